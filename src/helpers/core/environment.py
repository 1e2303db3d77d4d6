"""Environment check for the start-here notebook: are the pinned versions installed?"""
from __future__ import annotations

import sys
from importlib import metadata

from helpers.core import validate

__all__ = ["PINNED", "MIN_PYTHON", "environment_report"]

#: The versions in requirements.txt (a test keeps the two in step).
PINNED = {
    "jupyterlab": "4.6.6",
    "ipywidgets": "8.1.9",
    "ipykernel": "7.4.0",
    "matplotlib": "3.11.2",
    "numpy": "2.4.6",
    "scipy": "1.17.1",
    "pandas": "3.1.1",
    "statsmodels": "0.15.0",
    "PyYAML": "6.0.4",
}
MIN_PYTHON = (3, 10)


def _installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def environment_report(pinned: dict | None = None) -> str:
    """Return a plain-text table comparing installed package versions with the pins.

    Parameters
    ----------
    pinned : dict of str to str, optional
        Package name -> expected version; defaults to :data:`PINNED`.

    Returns
    -------
    str
        One line per package plus a verdict line.
    """
    pinned = PINNED if pinned is None else pinned
    if not isinstance(pinned, dict) or not pinned:
        raise ValueError("pinned must be a non-empty dict of package name -> version")
    for name, want in pinned.items():
        validate.text("pinned (package names)", name)
        validate.text(f"pinned[{name!r}]", want)
    py_ok = sys.version_info[:2] >= MIN_PYTHON
    lines = [f"{'python':<12} needs >= {MIN_PYTHON[0]}.{MIN_PYTHON[1]:<6} "
             f"{'ok' if py_ok else 'TOO OLD'}"]
    problems = 0 if py_ok else 1
    for name, want in pinned.items():
        have = _installed(name)
        if have == want:
            status = "ok"
        else:
            problems += 1
            status = "missing" if have is None else f"differs: {have} installed"
        lines.append(f"{name:<12} pinned {want:<9} {status}")
    lines.append("All set: versions match requirements.txt." if problems == 0 else
                 f"{problems} difference(s): notebooks may still run, but outputs can differ "
                 "from the committed ones; `python -m pip install -r requirements.txt` fixes it.")
    return "\n".join(lines)
