"""Mechanism table (packaged data) and the schematic diagram (notebook 04)."""
import matplotlib.pyplot as plt
import pytest

from helpers.data import fact, provenance
from helpers.mechanisms import mechanism_table_markdown, mechanisms, plot_mechanism_diagram
from conftest import small_texts_at_course_style as _small_texts_at_course_style


def test_every_mechanism_named_in_the_issue_is_covered_and_cited():
    rows = {r["id"]: r for r in mechanisms()}
    needed = {"licensing", "ido", "pge2", "tgfb_hgf", "hlag", "pdl1", "tsg6", "t_cells",
              "th17_treg", "b_cells", "dendritic_cells", "macrophages", "efferocytosis",
              "lung_entrapment"}
    assert needed <= set(rows)
    assert all(r["refs"] for r in rows.values())
    for r in rows.values():
        if r["fact"]:
            assert fact(r["fact"])["verified"]


def test_groups_and_bad_group():
    assert {r["group"] for r in mechanisms()} == {"switch", "mediator", "target", "fate"}
    assert [r["id"] for r in mechanisms("fate")] == ["efferocytosis", "lung_entrapment"]
    with pytest.raises(ValueError, match="group must be one of"):
        mechanisms("cytokine")


def test_table_has_one_row_per_mechanism_with_links():
    text = mechanism_table_markdown()
    lines = text.splitlines()
    assert len(lines) == 2 + len(mechanisms())
    assert all("](https://" in line for line in lines[2:])
    assert provenance("msc_mechanisms.yaml")["literature_last_searched"] == "2026-11"


def test_diagram_names_mediators_targets_and_fate():
    fig = plot_mechanism_diagram()
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    for word in ("IFN-γ, TNF", "IDO", "PGE2", "TGF-β, HGF", "HLA-G5", "PD-L1", "TSG-6",
                 "T cells", "B cells", "Dendritic cells", "Macrophages", "efferocytosis",
                 "lung", "viable ~24 h"):
        assert word in texts
    plt.close(fig)


# --- readable text: every figure at its defaults has no text below 11 pt ----------------



def test_plot_mechanism_diagram_has_no_text_smaller_than_11_pt():
    assert _small_texts_at_course_style(plot_mechanism_diagram) == []
