"""Generated parts, figures/ and the README contents are up to date with the notebooks."""
import base64
import re

import nbformat
import pytest

from conftest import NOTEBOOKS, ROOT, hatches_hidden_in_svg
from course_tools.notebook_tools import update_generated


def _figure_outputs():
    found = {}
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code" or "nbval-ignore-output" in cell.metadata.get("tags", []):
                continue
            for out in cell.get("outputs", []):
                name = out.get("metadata", {}).get("image/png", {}).get("figure")
                if name:
                    assert name not in found, f"figure name {name} used twice"
                    assert name.startswith(path.stem[:2] + "_"), f"{name} in {path.name}"
                    found[name] = base64.b64decode(out["data"]["image/png"])
    return found


def test_generated_parts_are_up_to_date():
    stale = update_generated(ROOT, check=True)
    assert stale == [], f"run `make contents` (lupus-contents): {stale}"


def test_readme_contents_lists_exactly_the_existing_notebooks():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- contents -->")[1].split("<!-- /contents -->")[0]
    linked = re.findall(r"\]\(notebooks/([^)]+\.ipynb)\)", table)
    assert linked == [p.name for p in NOTEBOOKS]


def test_every_shown_figure_is_exported_and_identical():
    figures = _figure_outputs()
    assert figures, "no figures found in the notebooks"
    for name, png in figures.items():
        exported = ROOT / "figures" / f"{name}.png"
        assert exported.exists(), f"{exported.name} missing: run `make execute`"
        assert exported.read_bytes() == png, f"{exported.name} is stale: run `make execute`"
        assert (ROOT / "figures" / f"{name}.svg").exists()


def test_figures_folder_has_no_orphans():
    names = set(_figure_outputs())
    for path in (ROOT / "figures").iterdir():
        if path.suffix in {".png", ".svg"}:
            assert path.stem in names, f"{path.name} belongs to no notebook figure"


def test_hatches_stay_visible_in_exported_svgs():
    svgs = sorted((ROOT / "figures").glob("*.svg"))
    assert svgs
    hidden = {p.name: hatches_hidden_in_svg(p.read_text(encoding="utf-8")) for p in svgs}
    assert {k: v for k, v in hidden.items() if v} == {}, (
        "hatch in the fill colour is invisible in SVG: use helpers.core.style.hatched_span")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_starts_with_bootstrap_then_setup(path):
    nb = nbformat.read(path, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code[0].startswith("# bootstrap")
    assert "setup(seed=" in code[1]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_carries_the_medical_disclaimer(path):
    text = path.read_text(encoding="utf-8").lower()
    assert "not medical advice" in text


@pytest.mark.parametrize("source, phrase", [
    ("d = interactive_demo(not_a_helper, name='00_x', alt='alt text here', caption='c')",
     "must be exported by helpers"),
    ("d = interactive_demo(plot_power, name=NAME, alt='alt text here', caption='c')",
     "needs literal arguments"),
    ("d = interactive_demo(plot_power, alt='alt text here')", "needs name= and alt="),
    ("%matplotlib inline\nd = interactive_demo(plot_power, name='00_x', alt='a')",
     "cannot parse a widget cell"),
])
def test_widget_demos_refuses_cells_it_cannot_read(tmp_path, source, phrase):
    from course_tools.notebook_tools import widget_demos

    (tmp_path / "notebooks").mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nbformat.write(nb, tmp_path / "notebooks" / "00_x.ipynb")
    with pytest.raises(ValueError, match=phrase):
        widget_demos(tmp_path)


def test_widget_demos_keeps_fixed_arguments(tmp_path):
    from course_tools.notebook_tools import widget_demos

    (tmp_path / "notebooks").mkdir()
    source = ("d = interactive_demo(plot_power, name='06_x', alt='Power curve.',\n"
              "                     caption='A caption.', alpha=0.01)")
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)]),
                   tmp_path / "notebooks" / "06_x.ipynb")
    demo = widget_demos(tmp_path)["06_x"]
    assert demo.fixed == {"alpha": 0.01} and "alpha" not in demo.specs
