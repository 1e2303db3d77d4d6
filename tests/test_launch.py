"""One repository address for every launch path; nbgitpuller links; the bootstrap cell's
plain messages (a shadowing helpers.py, a failed install)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest

from conftest import NOTEBOOKS, ROOT
from course_tools.launch import (bootstrap_source, github_slug, nbgitpuller_link,
                                 repository_url)
from course_tools.notebook_tools import contents_main, update_generated

#: Every way the repository's address is written in generated text.
ADDRESS = re.compile(r"(?:github\.com/|mybinder\.org/v2/gh/|colab\.research\.google\.com/github/)"
                     r"([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:\.git\b|/|\"|\)|\s|$)")
LAUNCH_FILES = ["README.md", "CITATION.cff", "INSTRUCTORS.md", "CONTRIBUTING.md"]


def _course_addresses(root, paths) -> set[str]:
    """OWNER/NAME of each course address found in badges, clone lines, bootstrap cells."""
    found = set()
    texts = [(root / name).read_text(encoding="utf-8") for name in LAUNCH_FILES
             if (root / name).exists()]
    texts += [cell.source for p in paths for cell in nbformat.read(p, as_version=4).cells
              if cell.cell_type == "markdown" or cell.source.startswith("# bootstrap")]
    for text in texts:
        for line in text.splitlines():
            if any(k in line for k in ("mybinder.org/v2", "colab.research.google.com/github",
                                       "git clone", "git+", "repository-code")):
                found.update(m.group(1) for m in ADDRESS.finditer(line))
    return found


def test_every_launch_link_uses_the_one_repository_setting():
    slug = github_slug(repository_url(ROOT))
    assert _course_addresses(ROOT, NOTEBOOKS) == {slug}
    citation = (ROOT / "CITATION.cff").read_text()
    assert f'repository-code: "{repository_url(ROOT)}"' in citation


def test_changing_the_setting_rewrites_every_launch_link(tmp_path):
    """A fork sets its own address once; `make contents` moves every link."""
    copy = tmp_path / "fork"
    for name in ["pyproject.toml", "README.md", "GLOSSARY.md", *LAUNCH_FILES]:
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, copy / name if copy.exists() else
                        (copy.mkdir() or copy / name))
    shutil.copytree(ROOT / "notebooks", copy / "notebooks")
    pyproject = copy / "pyproject.toml"
    old = repository_url(ROOT)
    pyproject.write_text(pyproject.read_text().replace(old, "https://github.com/a-fork/lupus-course"))
    update_generated(copy)
    paths = sorted((copy / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert _course_addresses(copy, paths) == {"a-fork/lupus-course"}
    for path in paths:
        boot = next(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
        assert "git+https://github.com/a-fork/lupus-course" in boot.source
    assert update_generated(copy, check=True) == []


@pytest.mark.parametrize("bad", ["http://github.com/a/b", "https://gitlab.com/a/b",
                                 "https://github.com/a", None, 3])
def test_repository_setting_must_be_a_github_address(tmp_path, bad):
    value = "" if bad is None else f"Repository = {bad!r}".replace("'", '"')
    (tmp_path / "pyproject.toml").write_text(f"[project]\nname='x'\n[project.urls]\n{value}\n")
    with pytest.raises(ValueError, match="Repository"):
        repository_url(tmp_path)


# nbgitpuller: parameters as documented in jupyterhub/nbgitpuller docs/topic/url-options.rst
# (repo, branch, urlpath, targetPath; urlpath for JupyterLab is lab/tree/<clone folder>/<file>)
# and its link generator (docs/_static/link_gen/link.js: HUB/hub/user-redirect/git-pull).

def test_nbgitpuller_link_has_the_documented_form():
    link = nbgitpuller_link("https://hub.example.edu/", "https://github.com/o/course",
                            branch="spring 2027", path="notebooks/00_start here.ipynb")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https", "hub.example.edu", "/hub/user-redirect/git-pull")
    query = parse_qs(parts.query, strict_parsing=True)
    assert query == {"repo": ["https://github.com/o/course"], "branch": ["spring 2027"],
                     "urlpath": ["lab/tree/course/notebooks/00_start here.ipynb"]}
    assert "repo=https%3A%2F%2Fgithub.com%2Fo%2Fcourse" in parts.query
    assert "urlpath=lab%2Ftree%2Fcourse%2Fnotebooks%2F00_start%20here.ipynb" in parts.query
    assert not re.search(r"[ /:?#\[\]@!$'()*+,;]", parts.query.replace("&", "").replace("=", ""))


def test_nbgitpuller_link_with_a_target_folder_and_hub_prefix():
    link = nbgitpuller_link("https://uni.example/jupyter", "https://github.com/o/course",
                            target_path="courses/lupus")
    parts = urlsplit(link)
    assert parts.path == "/jupyter/hub/user-redirect/git-pull"
    query = parse_qs(parts.query)
    assert query["targetPath"] == ["courses/lupus"]
    assert query["urlpath"] == ["lab/tree/courses/lupus/notebooks/00_start_here.ipynb"]


@pytest.mark.parametrize("kwargs, word", [
    ({"hub_url": "hub.example.edu"}, "hub_url"), ({"hub_url": "https://h/?next=x"}, "hub_url"),
    ({"branch": ""}, "branch"), ({"path": "/etc/passwd"}, "path"),
    ({"path": "../x.ipynb"}, "path"), ({"target_path": "a/../../b"}, "target_path"),
    ({"hub_url": None}, "hub_url"), ({"branch": 3}, "branch"), ({"repo_url": b"x"}, "url")])
def test_nbgitpuller_link_refuses_bad_arguments(kwargs, word):
    args = {"hub_url": "https://hub.example.edu", "repo_url": "https://github.com/o/c", **kwargs}
    with pytest.raises(ValueError, match=word):
        nbgitpuller_link(**args)


def test_lupus_contents_prints_the_link(capsys):
    assert contents_main(["--nbgitpuller-link", "https://hub.example.edu",
                          "--branch", "main"]) == 0
    out = capsys.readouterr().out.strip()
    assert out == nbgitpuller_link("https://hub.example.edu", repository_url(ROOT))


def _run_bootstrap(cwd, **env):
    """Run the bootstrap cell as a script in ``cwd`` (the first sys.path entry)."""
    code = bootstrap_source(repository_url(ROOT))
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env={"PATH": "/usr/bin:/bin", **env})


def test_bootstrap_names_a_students_helpers_py_that_hides_the_course(tmp_path):
    (tmp_path / "helpers.py").write_text("x = 1\n")
    out = _run_bootstrap(tmp_path)
    assert out.returncode != 0
    message = out.stderr.strip().splitlines()[-1]
    assert message.startswith("ImportError: ") and "helpers.py hides the course package" in message
    assert "rename it" in message


def test_bootstrap_does_nothing_where_the_course_is_installed(tmp_path):
    out = _run_bootstrap(tmp_path)
    assert (out.returncode, out.stdout, out.stderr) == (0, "", "")


def test_bootstrap_explains_a_failed_install_instead_of_a_pip_traceback(tmp_path):
    """Offline, as on a disconnected Colab: the git server cannot be reached. Run in a
    fresh venv, where the course is not installed, so the bootstrap tries to install it."""
    subprocess.run([sys.executable, "-m", "venv", tmp_path / "venv"], check=True, timeout=120)
    script = tmp_path / "boot.py"
    script.write_text(bootstrap_source(repository_url(ROOT)))
    env = {"PATH": "/usr/bin:/bin", "LUPUS_MSC_SOURCE": "git+https://127.0.0.1:9/no/course",
           "GIT_TERMINAL_PROMPT": "0", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    out = subprocess.run([tmp_path / "venv" / "bin" / "python", script], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode != 0
    lines = out.stderr.strip().splitlines()
    assert lines[-1].startswith("ImportError: Could not install the course from "
                                "git+https://127.0.0.1:9/no/course: no internet connection?")
    assert "(pip: fatal: unable to access" in lines[-1]
    assert len(lines) <= 6, out.stderr  # a short message, not pip's traceback
