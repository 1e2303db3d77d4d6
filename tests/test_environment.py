"""The environment check's pins agree with requirements.txt; the report is readable."""
import re

from conftest import ROOT
import tomllib

import pytest

from helpers.core import environment
from helpers.core.environment import MIN_PYTHON, PINNED, environment_report, required_ranges


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


def test_report_flags_differences_from_the_pins_only_when_asked():
    pinned = {"numpy": "0.0.1", "no-such-package-xyz": "1.0"}
    assert "differs" not in environment_report(pinned)
    report = environment_report(pinned, pins=True)
    assert "differs" in report and "missing" in report
    assert report.splitlines()[-1].startswith("2 version(s) differ")


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_ranges_and_python_floor_are_those_of_pyproject():
    declared = {re.match(r"[A-Za-z0-9_.-]+", d).group(0): d for d in _pyproject()["dependencies"]}
    assert set(required_ranges()) == set(declared)
    for name, spec in required_ranges().items():
        assert declared[name].replace(" ", "") == name + spec
    assert _pyproject()["requires-python"] == ">=%d.%d" % MIN_PYTHON


def test_default_report_is_the_same_for_any_supported_version(monkeypatch):
    """New releases within the ranges leave the stored output of notebook 00 unchanged."""
    today = environment_report()
    monkeypatch.setattr(environment, "_installed", lambda name: "99.0")
    assert environment_report() == today


@pytest.mark.parametrize("version, verdict", [("1.0", "too old or too new (1.0)"),
                                              (None, "missing")])
def test_report_names_a_package_outside_its_range(monkeypatch, version, verdict):
    monkeypatch.setattr(environment, "_installed",
                        lambda name: version if name == "numpy" else "99.0")
    report = environment_report()
    line = next(ln for ln in report.splitlines() if ln.startswith("numpy "))
    assert line.endswith(verdict)
    assert report.splitlines()[-1].startswith("1 problem(s)")


@pytest.mark.parametrize("bad", [{}, [], {"numpy": 2}, "numpy"])
def test_report_rejects_bad_pins(bad):
    with pytest.raises(ValueError, match="pinned"):
        environment_report(bad, pins=True)
