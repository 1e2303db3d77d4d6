"""Environment check for the start-here notebook: can this Python run the course?

:func:`environment_report` checks Python and every package the course package declares
against the version ranges it declares (``pyproject.toml``), so its verdict changes only
when something the course needs is missing or too old — not with every new release.
``environment_report(pins=True)`` also compares with the exact versions in
``requirements.txt`` that the stored outputs were made with.
"""
from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

from helpers.core import validate

__all__ = ["PINNED", "MIN_PYTHON", "DISTRIBUTION", "required_ranges", "environment_report"]

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
#: ``requires-python`` of pyproject.toml (a test keeps the two in step).
MIN_PYTHON = (3, 11)
#: The course's distribution name (``pip install`` name).
DISTRIBUTION = "lupus-msc-notebooks"
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*([^;]*?)\s*(;.*)?$")


def _release(version: str) -> tuple[int, ...]:
    match = re.match(r"\d+(\.\d+)*", version.strip())
    return tuple(int(part) for part in match.group(0).split(".")) if match else ()


def _declared() -> list[str]:
    """Dependency strings of the installed package, or of pyproject.toml in a clone."""
    try:
        return list(metadata.requires(DISTRIBUTION) or [])
    except metadata.PackageNotFoundError:
        import tomllib

        pyproject = Path(__file__).resolve().parents[3] / "pyproject.toml"
        if not pyproject.is_file():
            return []
        return list(tomllib.loads(pyproject.read_text(encoding="utf-8"))
                    ["project"]["dependencies"])


def required_ranges() -> dict[str, str]:
    """``{package: range}`` the course package needs (optional extras left out).

    >>> required_ranges()["ipywidgets"]
    '>=8'
    """
    ranges = {}
    for line in _declared():
        match = _REQUIREMENT.match(line)
        if match and not match.group(3):
            ranges[match.group(1)] = match.group(2).replace(" ", "")
    return ranges


def _satisfies(version: str, spec: str) -> bool:
    have = _release(version)
    for clause in filter(None, spec.split(",")):
        op, want = re.match(r"(>=|<=|==|!=|<|>|~=)?(.*)", clause).groups()
        want = _release(want)
        width = max(len(have), len(want))
        a, b = have + (0,) * (width - len(have)), want + (0,) * (width - len(want))
        ok = {">=": a >= b, "<=": a <= b, "<": a < b, ">": a > b, "==": a == b,
              "!=": a != b, "~=": a >= b, None: True}[op]
        if not ok:
            return False
    return True


def _installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def environment_report(pinned: dict | None = None, *, pins: bool = False) -> str:
    """Return a plain-text table: does this environment meet what the course needs?

    Parameters
    ----------
    pinned : dict of str to str, optional
        Package name -> exact version for the ``pins`` comparison; defaults to
        :data:`PINNED` (the pins of requirements.txt).
    pins : bool, default False
        Also compare installed versions with ``pinned``, the versions the stored outputs
        were made with. Differences there do not stop the notebooks from running, but
        numbers or figures may then differ slightly from the stored ones.

    Returns
    -------
    str
        One line per requirement (``ok``, ``missing`` or ``too old``), optionally one per
        pin, and a verdict line.

    Raises
    ------
    ValueError
        If ``pinned`` is not a non-empty dict of names to versions.
    TypeError
        If ``pins`` is not a bool.
    """
    pins = validate.flag("pins", pins)
    pinned = PINNED if pinned is None else pinned
    if not isinstance(pinned, dict) or not pinned or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in pinned.items()):
        raise ValueError("pinned must be a non-empty dict of package name -> version")
    for name, want in pinned.items():
        validate.text("pinned (package names)", name)
        validate.text(f"pinned[{name!r}]", want)
    py_ok = sys.version_info[:2] >= MIN_PYTHON
    need = f">={MIN_PYTHON[0]}.{MIN_PYTHON[1]}"
    lines = [f"{'python':<12} needs {need:<9} {'ok' if py_ok else 'too old'}"]
    problems = 0 if py_ok else 1
    for name, spec in required_ranges().items():
        have = _installed(name)
        verdict = "missing" if have is None else ("ok" if _satisfies(have, spec) else
                                                  f"too old or too new ({have})")
        problems += verdict != "ok"
        lines.append(f"{name:<12} needs {spec:<9} {verdict}")
    differ = 0
    if pins:
        for name, want in pinned.items():
            have = _installed(name)
            status = "same" if have == want else ("missing" if have is None else
                                                 f"differs: {have} installed")
            differ += status != "same"
            lines.append(f"{name:<12} tested {want:<8} {status}")
    if problems:
        lines.append(f"{problems} problem(s): some notebooks may fail. "
                     "`python -m pip install -r requirements.txt` installs what the course "
                     "was tested with.")
    else:
        lines.append("All set: everything the course needs is installed.")
    if pins:
        lines.append("The stored outputs were made with exactly these versions." if not differ
                     else f"{differ} version(s) differ from the tested ones: outputs may "
                     "differ slightly from the stored ones.")
    return "\n".join(lines)
