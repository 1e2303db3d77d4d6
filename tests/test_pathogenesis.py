"""The pathogenesis schematic: every step is backed by a verified fact; drawing content."""
import matplotlib.pyplot as plt

from helpers.pathogenesis import LINK_STYLES, LINKS, STEPS, pathogenesis_steps, plot_pathogenesis
from conftest import small_texts_at_course_style as _small_texts_at_course_style


def test_every_step_cites_a_verified_fact_with_a_doi():
    steps = pathogenesis_steps()
    assert len(steps) == len(STEPS)
    assert all(s["verified"] for s in steps)
    assert all(s["doi"] for s in steps)  # peer-reviewed sources only (2026-12)


def test_links_join_known_steps_and_reach_organ_damage():
    keys = {k for k, *_ in STEPS}
    assert all(a in keys and b in keys for a, b, _ in LINKS)
    reached, frontier = set(), {"triggers"}
    while frontier:
        node = frontier.pop()
        reached.add(node)
        frontier |= {b for a, b, _ in LINKS if a == node and b not in reached}
    assert "damage" in reached and "ifn" in reached


def test_th17_links_are_associations_not_causal_arrows():
    """Huang 2024 is a meta-analysis of associations: its links must not say "drives"."""
    th17 = [kind for a, _, kind in LINKS if a == "th17"]
    assert th17 and all(kind == "associated" for kind in th17)
    assert all(kind in LINK_STYLES for *_, kind in LINKS)


def test_figure_draws_one_box_per_step_and_one_arrow_per_link():
    fig = plot_pathogenesis()
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts if t.get_text()]
    assert len(texts) == len(STEPS)
    assert any("Type I interferon" in t for t in texts)
    arrows = [t for t in ax.texts if not t.get_text()]
    assert len(arrows) == len(LINKS)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(legend) == len(LINK_STYLES) and any("associated" in t for t in legend)
    plt.close(fig)


# --- readable text: every figure at its defaults has no text below 11 pt ----------------



def test_plot_pathogenesis_has_no_text_smaller_than_11_pt():
    assert _small_texts_at_course_style(plot_pathogenesis) == []
