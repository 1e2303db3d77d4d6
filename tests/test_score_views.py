"""Figures and checkbox widgets over the SLEDAI-2K and EULAR/ACR 2019 calculators."""
import math

import matplotlib.pyplot as plt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.score_views import (EularChecklist, SledaiChecklist, eular_summary,
                                 plot_criteria_performance, plot_eular_acr, plot_sledai,
                                 sledai_summary)
from helpers.scores import eular_acr_criteria, sledai_weights
from conftest import small_texts_at_course_style as _small_texts_at_course_style


def test_sledai_figure_has_24_bars_with_the_weights_and_the_score():
    fig = plot_sledai(["arthritis", "rash"])
    ax = fig.axes[0]
    widths = [p.get_width() for p in ax.patches]
    assert widths == list(sledai_weights().values())
    assert "SLEDAI-2K = 6 points (moderate activity)" in ax.get_xlabel()
    filled = [p for p in ax.patches if p.get_facecolor()[:3] != (1.0, 1.0, 1.0)]
    assert len(filled) == 2
    assert ax.texts[0].get_text() == "Seizure (neuropsychiatric)"  # row labels are texts
    plt.close(fig)


def test_eular_figure_marks_counted_and_overridden_criteria():
    fig = plot_eular_acr(["oral_ulcers", "acle", "anti_dsdna"], ana_positive=True)
    ax = fig.axes[0]
    assert [p.get_width() for p in ax.patches] == [2, 6, 6]
    hatched = [p.get_hatch() for p in ax.patches]
    assert hatched == ["//", None, None]
    assert ax.get_xlabel().endswith("total 12 points, classified")
    plt.close(fig)


def test_eular_figure_without_ticks_and_ana_negative():
    fig = plot_eular_acr([], ana_positive=True)
    assert fig.axes[0].texts[0].get_text() == "no criterion ticked"
    plt.close(fig)
    fig = plot_eular_acr(["acle", "anti_dsdna"], ana_positive=False)
    assert all(p.get_hatch() == "//" for p in fig.axes[0].patches)
    assert "not classified" in fig.axes[0].get_xlabel()
    plt.close(fig)


def test_performance_chart_has_three_sets_two_metrics_with_values():
    fig = plot_criteria_performance()
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["EULAR/ACR 2019", "SLICC 2012",
                                                            "ACR 1997"]
    assert [round(p.get_height(), 1) for p in ax.patches] == [96.1, 96.7, 82.8, 93.4, 83.7, 93.4]
    plt.close(fig)


def test_summaries_and_bad_input():
    assert sledai_summary([]) == "SLEDAI-2K = 0 points (remission activity)"
    assert eular_summary(["fever"], False).startswith("EULAR/ACR 2019 total = 0 points. Entry")
    with pytest.raises(ValueError, match="unknown id"):
        plot_sledai(["not_a_descriptor"])
    with pytest.raises(ValueError, match="ana_positive"):
        plot_eular_acr(["fever"], ana_positive="no")


def test_checklist_widgets_build_with_core_ipywidgets(capsys):
    SledaiChecklist(("arthritis",)).controls()
    EularChecklist(("acle",), True).controls()  # displays without a kernel: no error


def test_sledai_checklist_updates_live_score():
    _, boxes, score = SledaiChecklist(("arthritis",)).build()
    assert len(boxes) == 24 and "SLEDAI-2K = 4 points" in score.value
    boxes["seizure"].value = True
    assert "SLEDAI-2K = 12 points (high activity)" in score.value
    boxes["arthritis"].value = False
    assert "SLEDAI-2K = 8 points" in score.value


def test_eular_checklist_updates_live_verdict():
    _, boxes, verdict = EularChecklist(("acle", "anti_dsdna"), True).build()
    assert len(boxes) == 23 and "total = 12 points" in verdict.value
    boxes["ana"].value = False
    assert "Entry criterion not met" in verdict.value
    boxes["ana"].value = True
    boxes["acle"].value = False
    assert "no clinical criterion" in verdict.value


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(sorted(sledai_weights())), max_size=24))
def test_sledai_figure_over_any_ticks(ids):
    fig = plot_sledai(ids)
    assert len(fig.axes[0].patches) == 24
    assert not any(math.isnan(p.get_width()) for p in fig.axes[0].patches)
    plt.close(fig)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(sorted(r["id"] for r in eular_acr_criteria())), max_size=22),
       st.booleans())
def test_eular_figure_over_any_ticks(ids, ana):
    fig = plot_eular_acr(ids, ana)
    assert len(fig.axes[0].patches) == len(set(ids))
    plt.close(fig)


# --- readable text: every figure at its defaults has no text below 11 pt ----------------



@pytest.mark.parametrize("name", ["plot_sledai", "plot_eular_acr", "plot_criteria_performance",
                                  "plot_sledai_all_ticked", "plot_eular_acr_all_ticked"])
def test_figures_have_no_text_smaller_than_11_pt(name):
    from helpers.scores import sledai_descriptors

    draw = {
        "plot_sledai": plot_sledai,
        "plot_eular_acr": plot_eular_acr,
        "plot_criteria_performance": plot_criteria_performance,
        "plot_sledai_all_ticked": lambda: plot_sledai([r["id"] for r in sledai_descriptors()]),
        "plot_eular_acr_all_ticked":
            lambda: plot_eular_acr([r["id"] for r in eular_acr_criteria()]),
    }[name]
    assert _small_texts_at_course_style(draw) == []


# --- the checklists are Demos: one widget framework ------------------------------------

def test_sledai_demo_shows_the_static_figure_and_returns_a_demo(monkeypatch):
    from helpers.core.widgets import Demo
    from helpers.score_views import sledai_demo

    shown = []
    monkeypatch.setattr("helpers.core.style.show", lambda fig, **kw: shown.append(kw["name"]))
    demo = sledai_demo(("arthritis", "rash"), name="01_test_sledai", alt="SLEDAI alt text.",
                       caption="Caption of the test.")
    plt.close("all")
    assert shown == ["01_test_sledai"] and isinstance(demo, Demo)
    assert set(demo.specs) == set(sledai_weights())
    assert demo.initial == {"arthritis": True, "rash": True}
    assert demo.summary().startswith("SLEDAI-2K checklist: 24 checkboxes")
    fig = demo.redraw(seizure=True)
    assert "SLEDAI-2K = 14 points" in fig.axes[0].get_xlabel()  # 4 + 2 + 8
    demo.close()


def test_eular_demo_redraws_with_ana_and_criteria():
    from helpers.score_views import EularChecklist

    demo = EularChecklist(("acle", "anti_dsdna"), True).demo()
    assert set(demo.specs) == {"ana_positive", *(r["id"] for r in eular_acr_criteria())}
    assert demo.redraw().axes[0].get_xlabel().endswith("total 12 points, classified")
    assert "not classified" in demo.redraw(ana_positive=False).axes[0].get_xlabel()
    data, _ = demo.live_bundle(acle=False)
    assert "</svg>" in data["image/svg+xml"]
    demo.close()


def test_checklist_controls_display_grouped_boxes_with_the_old_text(monkeypatch):
    from helpers.score_views import SledaiChecklist

    displayed = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: displayed.append(obj))
    SledaiChecklist(("arthritis",)).demo().controls()
    bundle = next(d for d in displayed if "application/vnd.jupyter.widget-view+json" in d)
    assert bundle["text/plain"].startswith("SLEDAI-2K checklist: 24 checkboxes grouped")


def test_widget_demos_finds_the_checklists_of_notebook_01():
    from course_tools.notebook_tools import widget_demos

    demos = widget_demos()
    assert len(demos["01_sledai_vignette_a"].specs) == 24
    assert len(demos["01_eular_acr_example"].specs) == 23
    assert "…" in demos["01_sledai_vignette_a"].alt  # f-string fields shown as '…'


def test_bad_ticks_are_refused_by_the_checklists():
    with pytest.raises(ValueError, match="unknown id"):
        SledaiChecklist(("not_a_descriptor",)).demo()
    from helpers.score_views import plot_sledai_checklist

    with pytest.raises(ValueError, match="seizure"):
        plot_sledai_checklist(seizure="yes")


# --- the live EULAR/ACR figure is updated in place, not drawn again ---------------------

_EULAR_IDS = [r["id"] for r in eular_acr_criteria()]


def _eular_picture(fig) -> tuple:
    from helpers.core.style import figure_png, figure_svg

    return fig.get_size_inches().tolist(), figure_svg(fig, text_as_paths=False), figure_png(fig)


def test_eular_live_redraw_moves_the_same_bars_and_labels():
    demo = EularChecklist().demo()
    fig = demo.redraw(**{k: True for k in _EULAR_IDS[:6]})
    bars, texts = list(fig.axes[0].patches), list(fig.axes[0].texts)
    assert len(bars) == 6
    assert demo.redraw(**{k: True for k in _EULAR_IDS[10:13]}) is fig  # fewer rows
    assert list(fig.axes[0].patches) == bars and list(fig.axes[0].texts) == texts
    assert [p.get_visible() for p in bars] == [True] * 3 + [False] * 3
    demo.redraw(**{k: True for k in _EULAR_IDS[:9]})  # more rows: three slots added
    assert list(fig.axes[0].patches)[:6] == bars and len(fig.axes[0].patches) == 9
    demo.close()


@pytest.mark.parametrize("moves", [
    [_EULAR_IDS, [], _EULAR_IDS[:1]],                      # all, none, one
    [_EULAR_IDS[::2], _EULAR_IDS[1::2], _EULAR_IDS[::3]],  # rows change place and style
    [[], _EULAR_IDS, []],                                  # the "none ticked" text comes back
])
@pytest.mark.parametrize("ana", [True, False])
def test_eular_figure_updated_in_place_equals_a_fresh_one(moves, ana):
    demo = EularChecklist().demo()
    for ticked in moves:
        reused = demo.redraw(ana_positive=ana, **{k: True for k in ticked})
        fresh = plot_eular_acr(ticked, ana)
        assert _eular_picture(reused) == _eular_picture(fresh), ticked
        plt.close(fresh)
    demo.close()
