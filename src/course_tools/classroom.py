"""Hand the class edition out through git, for nbgitpuller links on a JupyterHub.

``lupus-class-edition-branch`` writes the class edition (no solutions, no Think!/quiz
answers; see :mod:`course_tools.student_copy`) as a new commit on a branch of the
instructor's clone, using git plumbing only: a temporary index, ``hash-object``,
``write-tree``, ``commit-tree`` and ``update-ref``.  The working tree, the real index and
the checked-out branch are never touched.  Push the branch and give students an
nbgitpuller link to it; when you fix a notebook, run the command again and push: the next
time a student opens the link, nbgitpuller merges the fix and keeps the student's edits.

Usage::

    lupus-class-edition-branch                       # from HEAD to branch class-edition
    lupus-class-edition-branch --from v1.0 --branch class-2027
    git push origin class-edition
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["DEFAULT_BRANCH", "SHIPPED", "nbgitpuller_link", "write_class_edition_branch",
           "handout_main"]

DEFAULT_BRANCH = "class-edition"
#: What the branch carries besides the notebooks: the student package and its install files,
#: so the notebooks' bootstrap cell finds ``src/helpers`` next to them (no course_tools).
SHIPPED = ("src/helpers", "pyproject.toml", "requirements.txt", "README.md", "GLOSSARY.md",
           "LICENSE", "LICENSE-CONTENT.md")


def _git(repo: Path, *args: str, env=None, data: bytes | None = None) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], input=data, capture_output=True,
                          env=env, timeout=120)
    if done.returncode != 0:
        raise ValueError(f"git {' '.join(args[:2])} failed: "
                         f"{done.stderr.decode(errors='replace').strip()[:300]}")
    return done.stdout.decode().strip()


def _tree_entries(repo: Path, rev: str, path: str) -> list[tuple[str, str, str]]:
    """(mode, sha, path) of the blobs under ``path`` at ``rev`` (none if it is absent)."""
    out = subprocess.run(["git", "-C", str(repo), "ls-tree", "-r", rev, "--", path],
                         capture_output=True, text=True, timeout=60)
    entries = []
    for line in out.stdout.splitlines():
        meta, name = line.split("\t", 1)
        mode, kind, sha = meta.split()
        if kind == "blob" and "__pycache__" not in name:
            entries.append((mode, sha, name))
    return entries


def _class_edition_blobs(repo: Path, rev: str) -> list[tuple[str, str, str]]:
    import nbformat

    from course_tools.student_copy import class_edition

    notebooks = [e for e in _tree_entries(repo, rev, "notebooks")
                 if Path(e[2]).parent.as_posix() == "notebooks"
                 and Path(e[2]).name[:2].isdigit() and e[2].endswith(".ipynb")]
    if not notebooks:
        raise ValueError(f"from_rev: {rev} has no notebooks/NN_*.ipynb")
    out = []
    for _mode, sha, name in notebooks:
        raw = subprocess.run(["git", "-C", str(repo), "cat-file", "blob", sha],
                             capture_output=True, timeout=60).stdout.decode("utf-8")
        try:
            nb = nbformat.reads(raw, as_version=4)
        except Exception as err:
            raise ValueError(f"{name} at {rev} is not a valid notebook ({type(err).__name__}); "
                             "nothing was written") from None
        text = nbformat.writes(class_edition(nb)) + "\n"
        blob = _git(repo, "hash-object", "-w", "--stdin", data=text.encode("utf-8"))
        out.append(("100644", blob, name))
    return out


def write_class_edition_branch(repo=".", *, branch: str = DEFAULT_BRANCH,
                               from_rev: str = "HEAD",
                               message: str | None = None) -> str | None:
    """Commit the class edition of ``from_rev`` onto ``branch``; return the new commit.

    Returns None when the branch already holds exactly this edition (nothing to commit).

    Raises
    ------
    ValueError
        If ``repo`` is not a git repository, ``branch`` is checked out there (its working
        tree would silently go stale) or is not a valid branch name, or ``from_rev`` has no
        notebooks.
    """
    repo = Path(repo)
    if not isinstance(branch, str) or not branch:
        raise ValueError("branch must be a non-empty branch name")
    _git(repo, "check-ref-format", "--branch", branch)
    _git(repo, "rev-parse", "--git-dir")
    current = subprocess.run(["git", "-C", str(repo), "symbolic-ref", "-q", "--short", "HEAD"],
                             capture_output=True, text=True).stdout.strip()
    if current == branch:
        raise ValueError(f"branch {branch!r} is checked out in {repo}; choose another branch "
                         "(this command never touches your working tree)")
    source = _git(repo, "rev-parse", "--verify", f"{from_rev}^{{commit}}")
    entries = _class_edition_blobs(repo, source)
    for path in SHIPPED:
        entries += _tree_entries(repo, source, path)
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, GIT_INDEX_FILE=str(Path(tmp) / "index"))
        _git(repo, "read-tree", "--empty", env=env)
        info = "".join(f"{mode} {sha}\t{path}\n" for mode, sha, path in entries)
        _git(repo, "update-index", "--add", "--index-info", env=env, data=info.encode())
        tree = _git(repo, "write-tree", env=env)
    parent = subprocess.run(["git", "-C", str(repo), "rev-parse", "-q", "--verify",
                             f"refs/heads/{branch}"], capture_output=True, text=True)
    parent_sha = parent.stdout.strip() if parent.returncode == 0 else ""
    if parent_sha and _git(repo, "rev-parse", f"{parent_sha}^{{tree}}") == tree:
        return None
    text = message or f"Class edition of {source[:12]} (no solutions, no Think!/quiz answers)"
    args = ["commit-tree", tree, "-m", text] + (["-p", parent_sha] if parent_sha else [])
    commit = _git(repo, *args)
    _git(repo, "update-ref", "-m", "lupus-class-edition-branch", f"refs/heads/{branch}",
         commit, parent_sha or "0" * 40)
    return commit


def nbgitpuller_link(hub_url: str, repo_url: str, branch: str = DEFAULT_BRANCH,
                     notebook: str = "notebooks/00_start_here.ipynb") -> str:
    """The nbgitpuller link that clones (then updates) ``branch`` and opens ``notebook``."""
    from urllib.parse import quote, urlencode

    for name, value in (("hub_url", hub_url), ("repo_url", repo_url)):
        if not isinstance(value, str) or "://" not in value:
            raise ValueError(f"{name} must be a URL such as https://hub.example.org; "
                             f"got {value!r}")
    folder = repo_url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    query = urlencode({"repo": repo_url, "branch": branch,
                       "urlpath": f"lab/tree/{folder}/{notebook}"}, quote_via=quote)
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def handout_main(argv: list[str] | None = None) -> int:
    """Command-line entry point (``lupus-class-edition-branch``)."""
    parser = argparse.ArgumentParser(description="Write the class edition to a git branch "
                                     "for nbgitpuller (never touches the working tree).")
    parser.add_argument("--repo", type=Path, default=Path("."), help="the clone (default: .)")
    parser.add_argument("--branch", default=DEFAULT_BRANCH,
                        help=f"branch to write (default: {DEFAULT_BRANCH})")
    parser.add_argument("--from", dest="from_rev", default="HEAD",
                        help="commit whose notebooks are handed out (default: HEAD)")
    parser.add_argument("--hub", help="hub URL, to print the nbgitpuller link")
    parser.add_argument("--remote-url", help="public URL of the repository (for the link)")
    args = parser.parse_args(argv)
    try:
        commit = write_class_edition_branch(args.repo, branch=args.branch,
                                            from_rev=args.from_rev)
        link = (nbgitpuller_link(args.hub, args.remote_url, args.branch)
                if args.hub and args.remote_url else None)
    except ValueError as err:
        print(f"lupus-class-edition-branch: {err}", file=sys.stderr)
        return 2
    if commit is None:
        print(f"{args.branch} already holds this class edition; nothing to commit")
    else:
        print(f"{args.branch} -> {commit[:12]}; publish it with: git push origin {args.branch}")
    if link:
        print(f"nbgitpuller link: {link}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(handout_main())
