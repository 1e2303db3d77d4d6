"""The environment check's pins agree with requirements.txt; the report is readable."""
import re

from conftest import ROOT
from helpers.core.environment import PINNED, environment_report


def _requirements():
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==([^\s#]+)", line)
        if match:
            pins[match.group(1).lower()] = match.group(2)
    return pins


def test_every_requirement_is_pinned_exactly_and_ends_with_editable_install():
    lines = [ln for ln in (ROOT / "requirements.txt").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert lines[-1] == "-e ."
    assert all("==" in ln for ln in lines[:-1])


def test_pinned_versions_match_requirements():
    pins = _requirements()
    for name, version in PINNED.items():
        assert pins[name.lower()] == version, name


def test_report_flags_differences():
    report = environment_report({"numpy": "0.0.1", "no-such-package-xyz": "1.0"})
    assert "differs" in report and "missing" in report
    assert report.splitlines()[-1].startswith("2 difference(s)")
