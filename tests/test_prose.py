"""Numbers in Markdown prose stay locked to the data and computations they come from."""
from __future__ import annotations

import shutil

import nbformat
import pytest

from conftest import NOTEBOOKS, ROOT
from course_tools import prose


def _markdown(text, numbers=(), literal=None):
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata["lupus"] = {"numbers": [dict(zip(("value", "format", "shown"), n))
                                          for n in numbers]}
    if literal:
        cell.metadata["lupus"]["literal"] = literal
    return cell


def _notebook(tmp_path, cells, name="fixture.ipynb"):
    nb = nbformat.v4.new_notebook(cells=cells)
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("text, numbers", [
    ("About 43.7 people per 100,000 live with SLE.", ["43.7"]),
    ("CD105, IL-10, Th17 and SLEDAI-2K carry no numbers; 10⁶ is a unit.", []),
    ("See Section 3, Exercise 2.1, Think! 4.2 and notebook 05 (about 20 min).", []),
    ("ACR 1997 and Tian et al., 2023 name sources; in 2025 is a date.", ["2025"]),
    ("1. first item\n2. second item with 12 patients", ["12"]),
    ("`code 42` and [a link](https://doi.org/10.1/3) and <span id='x2'>ok</span>", []),
    ("## 4. A heading\nThe 95% CI and 95 % confidence interval; 80% of 2.4–25.99",
     ["80", "2.4", "25.99"]),
])
def test_prose_numbers_finds_the_numbers_that_need_a_source(text, numbers):
    assert [text[a:b] for a, b in prose.prose_numbers(text)] == numbers


def test_static_problems_name_the_unlocked_number_and_its_sentence():
    nb = nbformat.v4.new_notebook(cells=[
        _markdown("Pooling 112 studies. Women make up 88% of cases.",
                  [("n", "", "112")]),
        _markdown("A drug gives 30% response.", literal={"30": "invented worked example"}),
    ])
    found = prose.static_problems(nb)
    assert len(found) == 1
    assert "'88'" in found[0] and "Women make up 88% of cases." in found[0]


def test_static_problems_catch_a_lock_edited_out_of_the_prose():
    nb = nbformat.v4.new_notebook(cells=[_markdown("Pooling many studies.",
                                                   [("n", "", "112")])])
    assert "not in the cell" in prose.static_problems(nb)[0]


def test_check_notebook_names_the_sentence_whose_value_changed(tmp_path):
    path = _notebook(tmp_path, [
        nbformat.v4.new_code_cell("n_studies = 112 + 1\nrate = 5.144"),
        _markdown("Pooling 112 studies, about 5.14 new cases per 100,000 person-years.",
                  [("n_studies", "", "112"), ("rate", ".2f", "5.14")]),
    ])
    found = prose.check_notebook(path)
    assert len(found) == 1
    assert "Pooling 112 studies" in found[0] and "'113'" in found[0]


def test_check_notebook_reports_a_failing_lock_expression(tmp_path):
    path = _notebook(tmp_path, [_markdown("We had 3 arms.", [("arms", "", "3")])])
    assert "NameError" in prose.check_notebook(path)[0]


def test_update_rewrites_only_the_changed_number(tmp_path):
    path = _notebook(tmp_path, [
        nbformat.v4.new_code_cell("a, b = 7, 4"),
        _markdown("Seven is 7 and four is 5; 7 stays.", [("a", "", "7"), ("b", "", "5")],
                  literal={"7": "the same seven, said twice"}),
    ])
    assert prose.update_notebook(path) == ["cell 1: '5' -> '4'"]
    cell = nbformat.read(path, as_version=4).cells[1]
    assert cell.source == "Seven is 7 and four is 4; 7 stays."
    assert prose.check_notebook(path) == []


def test_convert_cell_moves_an_fstring_into_a_locked_markdown_cell(tmp_path):
    code = nbformat.v4.new_code_cell(
        'n = 112\nshare = 88.04\nMarkdown(f"Pooling {n} studies; women are {share:.0f}%." '
        '+ " Done.")')
    code.outputs = [nbformat.v4.new_output("display_data", data={
        "text/markdown": "Pooling 112 studies; women are 88%. Done."})]
    nb = nbformat.v4.new_notebook(cells=[code])
    assert prose.convert_cell(nb, 0) == 1
    assert nb.cells[0].source == "n = 112\nshare = 88.04" and nb.cells[0].outputs == []
    assert nb.cells[1].source == "Pooling 112 studies; women are 88%. Done."
    assert prose.locks(nb.cells[1]) == [{"value": "n", "format": "", "shown": "112"},
                                         {"value": "share", "format": ".0f", "shown": "88"}]
    path = tmp_path / "converted.ipynb"
    nbformat.write(nb, path)
    assert prose.check_notebook(path) == []


def test_convert_cell_refuses_a_cell_without_markdown():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    with pytest.raises(ValueError, match="does not end in Markdown"):
        prose.convert_cell(nb, 0)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_locked_number_matches_its_data(path):
    assert prose.check_notebook(path) == []


def test_a_changed_data_value_is_caught_with_its_sentence(tmp_path, monkeypatch):
    """Change one number in a copy of the package data: notebook 01's sentence is flagged."""
    package = tmp_path / "src" / "helpers"
    shutil.copytree(ROOT / "src" / "helpers", package,
                    ignore=shutil.ignore_patterns("__pycache__"))
    facts = package / "data" / "background_facts.yaml"
    text = facts.read_text(encoding="utf-8")
    assert "studies_included: 112}" in text
    facts.write_text(text.replace("studies_included: 112}", "studies_included: 113}"),
                     encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(package.parent))
    found = [p for p in prose.check_notebook(ROOT / "notebooks" / "01_lupus_pathology.ipynb")
             if "now gives" in p]
    assert len(found) == 1, found
    assert "Pooling 112 studies" in found[0] and "now gives '113'" in found[0]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_editions_drop_the_locks_that_quote_answers(path):
    """A lock's shown text may be a Think! or quiz answer's number: no edition keeps it."""
    from course_tools import nbgrader_course, student_copy

    nb = nbformat.read(path, as_version=4)
    references = {ex.item_id: None for ex in nbgrader_course.exercises(nb)}
    for edition in (student_copy.class_edition(nb), student_copy.strip_solutions(nb),
                    nbgrader_course.course_notebook(nb, references)):
        assert not [c for c in edition.cells if "lupus" in c.metadata]


@pytest.mark.parametrize("text, shown, expected", [
    ("SRI-4 needs a fall of 4 points", "4", 22),
    ("Wang 2013: 20 of 87", "20", 11),
    ("C4 and 2014 and 4.5 then 4", "4", 25),
    ("at least 4.", "4", 9),
    ("up 12,5 no", "12", -1),
])
def test_a_lock_sits_on_a_whole_number(text, shown, expected):
    assert prose._find_shown(text, shown, 0) == expected
