"""ARCHITECTURE.md stays true: it names every module in src/, and every module it names exists."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "ARCHITECTURE.md"


def _modules_in_tree() -> set[str]:
    names = set()
    for path in (ROOT / "src").rglob("*.py"):
        parts = path.relative_to(ROOT / "src").with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if len(parts) > 1:  # the packages themselves (helpers, course_tools) are headings
            names.add(".".join(parts))
    return names


def _modules_on_page() -> set[str]:
    text = PAGE.read_text(encoding="utf-8")
    found = set(re.findall(r"`((?:helpers|course_tools)(?:\.[A-Za-z_0-9]+)+)`", text))
    # "helpers.checks.nb00 … helpers.checks.nb08" stands for the nine check modules
    if "`helpers.checks.nb00` … `helpers.checks.nb08`" in text:
        found |= {f"helpers.checks.nb{i:02d}" for i in range(9)}
    return found


def test_every_module_in_src_is_on_the_architecture_page():
    missing = _modules_in_tree() - _modules_on_page()
    assert not missing, f"ARCHITECTURE.md does not mention: {sorted(missing)}"


def test_every_module_on_the_architecture_page_exists():
    tree = _modules_in_tree()
    stale = {m for m in _modules_on_page() if m not in tree}
    assert not stale, f"ARCHITECTURE.md names modules that do not exist: {sorted(stale)}"
