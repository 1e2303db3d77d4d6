"""Hygiene rules: each one passes the good fixture and catches a notebook that breaks it."""
from __future__ import annotations

import copy
import json
import subprocess
import sys

import nbformat
import pytest

from conftest import FIXTURES, NOTEBOOKS, ROOT
from course_tools import hygiene

GOOD = FIXTURES / "good.ipynb"


def _code(nb, needle):
    return next(c for c in nb.cells if c.cell_type == "code" and needle in c.source)


def executed_out_of_order(nb):
    """Two cells run in the wrong order (counts 1, 2, 4, 3, …)."""
    cells = [c for c in nb.cells if c.cell_type == "code"]
    cells[2].execution_count, cells[3].execution_count = 4, 3


def outputs_cleared(nb):
    """Saved after 'clear all outputs'."""
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs, c.execution_count = [], None


def has_widget_state(nb):
    """Widget state saved in the metadata (GitHub refuses to render this)."""
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"version_major": 2}}


def has_error_output(nb):
    """A cell that raised."""
    _code(nb, "mean = 0.375").outputs.append(nbformat.v4.new_output(
        "error", ename="NameError", evalue="x", traceback=[]))


def figure_without_alt(nb):
    """A figure shown with plain display (no alt text)."""
    out = _code(nb, "99_line").outputs[0]
    out.metadata = {}


def figure_without_caption(nb):
    """A figure with no numbered caption after it."""
    cell = _code(nb, "99_line")
    cell.outputs = cell.outputs[:1]


def widget_cell_not_ignored(nb):
    """A widget cell without the nbval-ignore-output tag."""
    _code(nb, ".controls()").metadata["tags"] = []


def widget_without_static_figure(nb):
    """Widget controls with no static figure drawn before them."""
    for c in nb.cells:
        if c.cell_type == "code" and ".controls()" not in c.source:
            c.outputs = [o for o in c.outputs if "image/png" not in o.get("data", {})]


def missing_key_points(nb):
    """The Key points section was deleted."""
    for c in nb.cells:
        c.source = c.source.replace("## Key points", "## Summary")


def sections_out_of_order(nb):
    """References come before the numbered sections."""
    first = nb.cells[1]
    first.source = first.source.replace("## Prerequisites", "## References\n\n## Prerequisites")
    last = nb.cells[-1]
    last.source = last.source.replace("## References", "## Sources")


def two_titles(nb):
    """A second level-1 heading."""
    nb.cells[4].source = "# Another title"


def heading_skips_level(nb):
    """A level-4 heading straight after a level-2 one."""
    nb.cells[4].source += "\n\n#### Too deep"


def broken_link(nb):
    """A relative link to a notebook that does not exist."""
    nb.cells[1].source += "\n\nSee [the next notebook](03_missing.ipynb)."


def image_without_alt(nb):
    """A Markdown image with empty alt text."""
    nb.cells[1].source += "\n\n![](../figures/00_palette.png)"


def stderr_warning(nb):
    """A cell that printed a warning to stderr."""
    _code(nb, "mean = 0.375").outputs.append(nbformat.v4.new_output(
        "stream", name="stderr", text="FutureWarning: something changed\n"))


def too_large(nb):
    """A notebook over 1 MB."""
    _code(nb, "mean = 0.375").outputs.append(nbformat.v4.new_output(
        "stream", name="stdout", text="x" * 1_100_000))


def timestamps(nb):
    """Executed with record_timing=True."""
    nb.cells[2].metadata["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00Z"}


def markdown_without_html(nb):
    """A Markdown caption displayed with plain ``display(Markdown(...))`` before setup()."""
    out = _code(nb, "99_line").outputs[1]
    del out.data["text/html"]


def markdown_plain_is_repr(nb):
    """A Markdown output whose plain text is IPython's object repr."""
    _code(nb, "99_line").outputs[1].data["text/plain"] = "<IPython.core.display.Markdown object>"


def figure_without_display_width(nb):
    """A PNG shown with alt text but no display width/height (plain ``display``)."""
    meta = _code(nb, "99_line").outputs[0].metadata["image/png"]
    del meta["width"], meta["height"]


def figure_too_wide(nb):
    """A figure shown wider than the ~900 px column."""
    meta = _code(nb, "99_line").outputs[0].metadata["image/png"]
    meta["width"], meta["height"] = 1200, 900


def figure_at_1x(nb):
    """A PNG rendered at display resolution (soft on high-density screens)."""
    meta = _code(nb, "99_line").outputs[0].metadata["image/png"]
    meta["width"], meta["height"] = meta["width"] * 2, meta["height"] * 2


def prose_in_code_cells(nb):
    """Paragraphs shown by ``Markdown(f"...")`` code cells instead of Markdown cells."""
    paragraph = ("The pooled estimate sits between the two studies, and the interval is wide "
                 "because both studies are small; a reader should not take the point estimate "
                 "as the answer, because the interval still spans values of little clinical use.")
    for _ in range(3):
        nb.cells.append(nbformat.v4.new_code_cell(
            f"Markdown({paragraph!r})", execution_count=None, outputs=[nbformat.v4.new_output(
                "display_data", data={"text/markdown": paragraph, "text/html": f"<p>{paragraph}</p>",
                                      "text/plain": paragraph})]))


def unlocked_prose_number(nb):
    """A number typed into prose with no lock to its source."""
    nb.cells.insert(3, nbformat.v4.new_markdown_cell("About 43 people per 100,000 live with it."))


def lock_text_edited_away(nb):
    """A lock whose shown text was edited out of the sentence."""
    cell = nbformat.v4.new_markdown_cell("The trial enrolled forty people.")
    cell.metadata["lupus"] = {"numbers": [{"value": "40", "format": "", "shown": "40"}]}
    nb.cells.insert(3, cell)


BREAKERS = {
    prose_in_code_cells: "prose_in_markdown",
    unlocked_prose_number: "prose_numbers",
    lock_text_edited_away: "prose_numbers",
    executed_out_of_order: "executed_in_order",
    outputs_cleared: "has_outputs",
    has_widget_state: "no_widget_state",
    timestamps: "no_widget_state",
    has_error_output: "no_errors",
    stderr_warning: "no_errors",
    figure_without_alt: "figures_accessible",
    figure_without_caption: "figures_accessible",
    image_without_alt: "figures_accessible",
    widget_cell_not_ignored: "widget_cells",
    widget_without_static_figure: "widget_cells",
    missing_key_points: "anatomy",
    sections_out_of_order: "anatomy",
    two_titles: "anatomy",
    heading_skips_level: "anatomy",
    broken_link: "links",
    markdown_without_html: "markdown_outputs",
    markdown_plain_is_repr: "markdown_outputs",
    figure_without_display_width: "figure_sizes",
    figure_too_wide: "figure_sizes",
    figure_at_1x: "figure_sizes",
    too_large: "size",
}


def test_good_fixture_passes_every_rule():
    assert hygiene.problems(GOOD) == {}


def test_every_rule_has_a_breaking_fixture():
    assert set(BREAKERS.values()) | {"format"} == set(hygiene.RULES)


@pytest.mark.parametrize("breaker", list(BREAKERS), ids=lambda f: f.__name__)
def test_rule_catches_the_notebook_that_breaks_it(breaker, tmp_path):
    nb = nbformat.read(GOOD, as_version=4)
    broken = copy.deepcopy(nb)
    breaker(broken)
    path = tmp_path / f"{breaker.__name__}.ipynb"
    nbformat.write(broken, path)
    report = hygiene.problems(path)
    assert BREAKERS[breaker] in report, report


def test_outputs_saved_before_the_reader_rules_fail_them():
    """The fixture as the course saved it before: Markdown-only captions, 1x PNGs, no widths."""
    report = hygiene.problems(FIXTURES / "markdown_and_1x_figures.ipynb")
    assert set(report) == {"markdown_outputs", "figure_sizes"}, report
    assert any("Markdown object" in p for p in report["markdown_outputs"])
    assert any("no text/html" in p for p in report["markdown_outputs"])


def test_png_pixel_size_reads_the_header():
    import base64

    nb = nbformat.read(GOOD, as_version=4)
    out = _code(nb, "99_line").outputs[0]
    assert hygiene.png_pixel_size(out.data["image/png"]) == (800, 600)
    with pytest.raises(ValueError, match="PNG"):
        hygiene.png_pixel_size(base64.b64encode(b"GIF89a" + b"0" * 40).decode())


def test_invalid_json_is_reported(tmp_path):
    path = tmp_path / "not_json.ipynb"
    path.write_text("{ this is not json")
    assert "format" in hygiene.problems(path)


def test_invalid_nbformat_is_reported(tmp_path):
    nb = nbformat.read(GOOD, as_version=4)
    nb.cells[0]["bogus"] = 1
    path = tmp_path / "bad_schema.ipynb"
    path.write_text(json.dumps(nb))
    assert "format" in hygiene.problems(path)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_follows_every_rule(path):
    assert hygiene.problems(path) == {}


def test_command_line_reports_all_problems_and_fails(tmp_path):
    nb = nbformat.read(GOOD, as_version=4)
    has_widget_state(nb)
    missing_key_points(nb)
    path = tmp_path / "two_problems.ipynb"
    nbformat.write(nb, path)
    script = ROOT / "scripts" / "check_notebooks.py"
    bad = subprocess.run([sys.executable, str(script), str(path)], capture_output=True, text=True)
    assert bad.returncode == 1
    assert "no_widget_state" in bad.stdout and "anatomy" in bad.stdout
    good = subprocess.run([sys.executable, str(script), str(GOOD)], capture_output=True, text=True)
    assert good.returncode == 0, good.stdout
