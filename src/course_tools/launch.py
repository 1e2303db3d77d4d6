"""Launch paths: the repository's address and everything built from it.

One setting, ``[project.urls] Repository`` in ``pyproject.toml``, is the public home of the
course. ``lupus-contents`` (``make contents``) writes from it the Binder and Colab badges,
the ``git clone`` lines, the Colab bootstrap cell of every notebook and CITATION.cff's
``repository-code``; :func:`nbgitpuller_link` builds a hub link from it.
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

__all__ = ["DEFAULT_BRANCH", "SOURCE_ENV", "repository_url", "github_slug", "badges_markdown",
           "clone_commands", "bootstrap_source", "nbgitpuller_link", "citation_text"]

#: Branch the badges and links open.
DEFAULT_BRANCH = "main"
#: Environment variable the bootstrap cell honours instead of the repository address
#: (a local clone or any other pip-installable source; used by the Colab simulation test).
SOURCE_ENV = "LUPUS_MSC_SOURCE"
BOOTSTRAP_MARK = "# bootstrap: makes `helpers` importable"
_GITHUB = re.compile(r"^https://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)/?$")


def repository_url(root: Path) -> str:
    """Return ``[project.urls] Repository`` from ``root/pyproject.toml``.

    Raises
    ------
    ValueError
        If the setting is missing or is not a ``https://github.com/OWNER/NAME`` address
        (Binder and Colab badges need a GitHub repository).
    """
    data = tomllib.loads((Path(root) / "pyproject.toml").read_text(encoding="utf-8"))
    url = data.get("project", {}).get("urls", {}).get("Repository")
    if not isinstance(url, str) or not _GITHUB.match(url):
        raise ValueError("pyproject.toml [project.urls] Repository must be "
                         f"'https://github.com/OWNER/NAME'; got {url!r}")
    return url.rstrip("/")


def github_slug(url: str) -> str:
    """``OWNER/NAME`` of a GitHub address."""
    from helpers.core.validate import text

    match = _GITHUB.match(text("url", url))
    if not match:
        raise ValueError(f"url must be 'https://github.com/OWNER/NAME'; got {url!r}")
    return f"{match.group(1)}/{match.group(2)}"


def badges_markdown(url: str, notebook: str, branch: str = DEFAULT_BRANCH) -> str:
    """Colab and Binder badges opening ``notebook`` (a path inside the repository)."""
    slug = github_slug(url)
    colab = f"https://colab.research.google.com/github/{slug}/blob/{branch}/{notebook}"
    binder = f"https://mybinder.org/v2/gh/{slug}/{branch}?urlpath=lab/tree/{notebook}"
    return ("[![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
            f"({colab})\n"
            f"[![Launch Binder](https://mybinder.org/badge_logo.svg)]({binder})")


def clone_commands(url: str) -> str:
    """The ``git clone`` + ``cd`` lines of the local set-up instructions."""
    return f"git clone {url}.git\ncd {github_slug(url).split('/')[1]}"


def bootstrap_source(url: str) -> str:
    """Code of the first code cell of every notebook (Colab, a plain clone, a lone copy).

    In order: nothing to do if the course package is importable; a student's own
    ``helpers.py`` (or folder) that hides it is named and the cell stops; in a clone
    without an install, ``../src`` is put on the path; otherwise the package is installed
    with pip from ``$LUPUS_MSC_SOURCE`` or the repository, with its own version ranges
    (no exact pins, so Colab's IPython, ipykernel and matplotlib stay as they are), plus
    ipywidgets 8 (the widgets need it; Colab may ship 7). A failed install (e.g. no
    network) ends in a short explanation instead of pip's traceback.
    """
    return f'''{BOOTSTRAP_MARK} on Colab, in a clone or a lone copy
import importlib, importlib.util, os, pathlib, subprocess, sys
spec, src = importlib.util.find_spec("helpers"), pathlib.Path.cwd().parent / "src"
if spec is not None and not (pathlib.Path(spec.origin or ".").parent / "checks").is_dir():
    raise ImportError(f"{{spec.origin or 'A folder named helpers'}} hides the course package "
                      "`helpers`: rename it (e.g. my_helpers.py), then restart the kernel.") from None
if spec is None and (src / "helpers" / "checks").is_dir():
    sys.path.insert(0, str(src))  # a clone without `pip install -e .`
elif spec is None:  # Colab or a lone copy: install the package, keep the rest as it is
    source = os.environ.get("{SOURCE_ENV}") or "git+{url}"
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", source,
                          "ipywidgets>=8,<9"], capture_output=True, text=True)
    if pip.returncode != 0:
        said = [ln.strip() for ln in pip.stderr.splitlines() if ln.strip()] or ["no message"]
        why = next((ln for ln in said if ln.startswith(("fatal:", "ERROR:"))), said[-1])
        raise ImportError(f"Could not install the course from {{source}}: no internet connection? "
                          f"Connect, then run this cell again. (pip: {{why}})") from None
    importlib.invalidate_caches()
    if getattr(sys.modules.get("ipywidgets"), "__version__", "8") < "8":
        print("ipywidgets was upgraded to 8: restart the session, then run all cells.")'''


def nbgitpuller_link(hub_url: str, repo_url: str, *, branch: str = DEFAULT_BRANCH,
                     path: str = "notebooks/00_start_here.ipynb",
                     target_path: str | None = None) -> str:
    """Return an nbgitpuller link that clones/updates the course on a JupyterHub and opens
    ``path`` in JupyterLab.

    Parameters follow nbgitpuller's documentation ("Options in an nbgitpuller URL",
    docs/topic/url-options.rst, and the link generator docs/_static/link_gen/link.js in
    jupyterhub/nbgitpuller): the link is ``HUB/hub/user-redirect/git-pull`` with the query
    parameters ``repo`` (anything ``git clone`` accepts), ``branch``, ``urlpath`` (where to
    go afterwards, relative to the user's server; for JupyterLab ``lab/tree/<folder>/<file>``
    where ``<folder>`` is the clone's folder, by default the repository's name) and,
    optionally, ``targetPath`` (the folder to clone into). Every value is percent-encoded.

    Raises
    ------
    ValueError
        If ``hub_url`` is not an http(s) address without query or fragment, ``branch`` is
        empty, or ``path``/``target_path`` is absolute or climbs out with ``..``.
    """
    from helpers.core.validate import text

    parts = urlsplit(text("hub_url", hub_url))
    if parts.scheme not in ("http", "https") or not parts.netloc \
            or parts.query or parts.fragment:
        raise ValueError("hub_url must be an http(s) address of a JupyterHub without "
                         f"query or fragment, e.g. https://hub.example.edu; got {hub_url!r}")
    github_slug(text("repo_url", repo_url))
    if not text("branch", branch, allow_empty=True).strip():
        raise ValueError(f"branch must be a non-empty branch name; got {branch!r}")
    for name, value in (("path", path), ("target_path", target_path)):
        if value is None and name == "target_path":
            continue
        if not text(name, value) or value.startswith("/") or ".." in value.split("/"):
            raise ValueError(f"{name} must be a relative path inside the hub folder "
                             f"without '..'; got {value!r}")
    folder = target_path or github_slug(repo_url).split("/")[1]
    query = {"repo": repo_url, "branch": branch, "urlpath": f"lab/tree/{folder}/{path}"}
    if target_path:
        query["targetPath"] = target_path
    return (f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?"
            + urlencode(query, quote_via=quote, safe=""))


def citation_text(text: str, url: str) -> str:
    """CITATION.cff with its ``repository-code`` set to ``url`` (added if missing)."""
    line = f'repository-code: "{url}"'
    if re.search(r"^repository-code:.*$", text, re.M):
        return re.sub(r"^repository-code:.*$", line, text, count=1, flags=re.M)
    return text.rstrip("\n") + "\n" + line + "\n"
