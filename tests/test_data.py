"""Packaged data: schema validation errors name file, row and field; provenance."""
import pytest

from helpers.core import data
from helpers.core.data import DataError, Field, validate_records

SCHEMA = {"id": Field(str), "n": Field(int, low=0, high=1000),
          "design": Field(str, choices=("RCT", "single-arm")),
          "source": Field(dict, schema={"doi": Field(str, nullable=True, pattern=r"10\..+")})}
GOOD = {"id": "wang2014", "n": 40, "design": "single-arm", "source": {"doi": "10.1186/ar4520"}}


@pytest.mark.parametrize("change, phrase", [
    ({"n": -1}, "row 2 (id 'wang2014'), field 'n' must be between 0 and 1000; got -1"),
    ({"n": "40"}, "field 'n' must be int, not str"),
    ({"n": True}, "field 'n' must be int, not a bool"),
    ({"design": "cohort"}, "field 'design' must be one of"),
    ({"source": {"doi": "doi.org/x"}}, "field 'source.doi' must match"),
    ({"id": None}, "field 'id' must not be empty"),
])
def test_malformed_rows_are_reported_with_file_row_and_field(change, phrase):
    rows = [dict(GOOD, id="other"), dict(GOOD, **change)]
    with pytest.raises(DataError, match=phrase.replace("(", r"\(").replace(")", r"\)")):
        validate_records(rows, SCHEMA, filename="studies.yaml")


def test_missing_repeated_and_unknown_fields():
    with pytest.raises(DataError, match="field 'n' is missing"):
        validate_records([{k: v for k, v in GOOD.items() if k != "n"}], SCHEMA)
    with pytest.raises(DataError, match="repeats row 1"):
        validate_records([GOOD, GOOD], SCHEMA)
    with pytest.raises(DataError, match="field 'extra' is not in the schema"):
        validate_records([dict(GOOD, extra=1)], SCHEMA, strict=True)
    with pytest.raises(DataError, match="non-empty list"):
        validate_records([], SCHEMA)
    assert issubclass(DataError, ValueError)


def test_every_packaged_file_has_complete_provenance():
    for name in data.data_files():
        meta = data.provenance(name)
        assert meta["literature_last_searched"] >= "2026-01"


def test_unknown_data_file_is_a_clear_error():
    with pytest.raises(ValueError, match="filename must be one of the packaged data files"):
        data.read_yaml("nope.yaml")
    with pytest.raises(ValueError, match="filename must be a file name"):
        data.read_yaml("../secrets.yaml")


def test_facts_load_validate_and_match_cited_values():
    assert len(data.facts()) >= 50
    assert data.fact_number("epi_global_prevalence", "prevalence_per_100k") == 43.7
    assert data.fact_number("epi_sex_ratio", "prevalence_women_per_100k") == 78.73
    assert "doi:10.1136/ard-2022-223035" in data.fact_citation("epi_global_prevalence")


def test_unverified_facts_are_refused_unless_asked_for(monkeypatch):
    # Every packaged fact may be verified (all were by 2026-12), so mark a copy of one as
    # unverified to test the refusal itself.
    by_id = dict(data._facts_by_id())
    fact = dict(by_id["bio_tulip2"], verified=False)
    by_id[fact["id"]] = fact
    monkeypatch.setattr(data, "_facts_by_id", lambda: by_id)
    key = next(iter(fact["numbers"]))
    with pytest.raises(ValueError, match="is not verified"):
        data.fact_number(fact["id"], key)
    assert data.fact_number(fact["id"], key, allow_unverified=True) == fact["numbers"][key]
    assert all(f["verified"] for f in data.facts(verified_only=True))


def test_unknown_fact_topic_and_key():
    with pytest.raises(ValueError, match="fact_id must be one of"):
        data.fact("nope")
    with pytest.raises(ValueError, match="key must be one of"):
        data.fact_number("epi_global_prevalence", "nope")
    with pytest.raises(ValueError, match="topic must be one of"):
        data.facts("nope")


def test_read_yaml_returns_independent_copies():
    first = data.read_yaml("background_facts.yaml")
    first["facts"].clear()
    assert data.read_yaml("background_facts.yaml")["facts"]
