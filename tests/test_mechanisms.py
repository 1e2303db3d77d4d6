"""Mechanism table (packaged data) and the schematic diagram (notebook 04)."""
import matplotlib.pyplot as plt
import pytest

from helpers.core.data import fact, provenance
from helpers.mechanism_data import mechanism_table_markdown, mechanisms, plot_mechanism_diagram
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
    assert provenance("msc_mechanisms.yaml")["literature_last_searched"] == "2026-12"


def test_diagram_names_mediators_targets_and_fate():
    fig = plot_mechanism_diagram()
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    for word in ("IFN-γ, TNF", "IDO", "PGE2", "TGF-β, HGF", "HLA-G", "PD-L1", "TSG-6",
                 "T cells", "B cells", "Dendritic cells", "Macrophages", "efferocytosis",
                 "lung", "~24 h (mice)", "cytotoxic cells", "graft-versus-host"):
        assert word in texts
    # the isoform paper was not read, and apoptosis was shown by Galleu, not Eggenhofer
    assert "HLA-G5" not in texts and "apoptosis" not in texts.lower()
    plt.close(fig)


def test_diagram_fate_row_does_not_feed_the_il10_macrophage_box():
    """Galleu's IDO+ phagocytes and Nemeth's IL-10 macrophages are separate findings."""
    fig = plot_mechanism_diagram()
    ax = fig.axes[0]
    arrow_ends = [ann.xy for ann in ax.texts if hasattr(ann, "xy")]
    # the macrophage box spans x 6.6-9.8, y 1.25-2.15; only the mediator arrow ends there
    into_macrophages = [(x, y) for x, y in arrow_ends if 6.4 <= x <= 9.9 and 1.2 <= y <= 2.2]
    assert into_macrophages == [(6.55, 1.7)]
    plt.close(fig)


# --- readable text: every figure at its defaults has no text below 11 pt ----------------



def test_plot_mechanism_diagram_has_no_text_smaller_than_11_pt():
    assert _small_texts_at_course_style(plot_mechanism_diagram) == []
