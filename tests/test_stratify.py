"""helpers.stratify: biomarker-stratified response simulation and enrichment sample sizes."""
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import helpers.design as design
import helpers.stratify as stratify
from helpers.core.params import param_ranges


def test_diluted_effect_and_validation():
    assert stratify.diluted_effect(0.25, 0.3) == pytest.approx(0.075)
    with pytest.raises(ValueError, match="biomarker_prevalence"):
        stratify.diluted_effect(1.5, 0.3)


def test_enrichment_plan_reuses_design_sample_sizes():
    plan = stratify.enrichment_plan(0.5, 0.3, 0.2)
    assert plan["n_all_comers"] == math.ceil(design.sample_size_two_proportions(0.3, 0.4))
    assert plan["n_enriched"] == math.ceil(design.sample_size_two_proportions(0.3, 0.5))
    assert plan["screened_enriched"] == math.ceil(2 * plan["n_enriched"] / 0.5)
    everyone = stratify.enrichment_plan(1.0, 0.3, 0.2)
    assert everyone["n_all_comers"] == everyone["n_enriched"]


def test_simulation_is_seeded_and_shows_the_subgroup():
    a = stratify.simulate_trial(n_per_arm=2000, rng=1)
    b = stratify.simulate_trial(n_per_arm=2000, rng=np.random.default_rng(1))
    assert a.equals(b)
    pos = a.loc["biomarker-positive"]
    neg = a.loc["biomarker-negative"]
    assert pos["treatment"] - pos["control"] > 0.2
    assert abs(neg["treatment"] - neg["control"]) < 0.06
    with pytest.raises(ValueError, match="n_per_arm"):
        stratify.simulate_trial(n_per_arm=5)


def test_plots_content():
    fig = stratify.plot_enrichment()
    labels = [line.get_label() for line in fig.axes[0].lines]
    assert "enriched trial (per arm)" in labels
    plt.close(fig)
    fig = stratify.plot_simulated_trial(stratify.simulate_trial())
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == [
        "all patients", "biomarker-positive", "biomarker-negative"]
    plt.close(fig)
    with pytest.raises(ValueError, match="table"):
        stratify.plot_simulated_trial(stratify.simulate_trial()[["control"]])


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_widget_function_over_declared_ranges(data):
    kwargs = {name: data.draw(st.floats(spec.low, spec.high))
              for name, spec in param_ranges(stratify.plot_enrichment).items()}
    plan = stratify.enrichment_plan(**kwargs)
    assert all(math.isfinite(v) and v > 0 for v in plan.values())
    assert plan["n_all_comers"] >= plan["n_enriched"]
    fig = stratify.plot_enrichment(**kwargs)
    for line in fig.axes[0].lines:
        assert not np.isnan(np.asarray(line.get_ydata(), dtype=float)).any()
    plt.close(fig)


def test_figures_have_no_text_below_11_pt():
    """Course style: every text >= 11 pt in the simulated trial bars and enrichment curves (widget default)."""
    from helpers.core.style import RC_PARAMS, small_texts

    with plt.rc_context(RC_PARAMS):
        figs = [stratify.plot_simulated_trial(stratify.simulate_trial(rng=0)),
                stratify.plot_enrichment()]
        for fig in figs:
            assert small_texts(fig) == []
            plt.close(fig)


def _svg(fig):
    from helpers.core.style import figure_svg

    return figure_svg(fig, text_as_paths=False)


def test_widget_redraw_moves_the_same_artists_and_matches_a_fresh_drawing():
    """A live redraw updates the kept curves, line and marker (no new artists); the figure
    at the ranges' ends and back equals a new drawing at that setting."""
    from helpers.core.widgets import Demo

    demo = Demo(stratify.plot_enrichment, name="08_enrichment", alt="enrichment curves")
    fig = demo.redraw()
    before = [id(a) for a in fig.axes[0].get_children()]
    lines = list(fig.axes[0].lines)
    settings_ = [dict(biomarker_prevalence=1.0, p_control=0.1, effect_in_positive=0.1),
                 dict(biomarker_prevalence=0.1, p_control=0.6, effect_in_positive=0.35),
                 dict(biomarker_prevalence=0.55, p_control=0.35, effect_in_positive=0.2), {}]
    for values in settings_:
        assert demo.redraw(**values) is fig
        assert [id(a) for a in fig.axes[0].get_children()] == before
        fresh = demo.figure(**values)
        assert fig.axes[0].get_ylim() == fresh.axes[0].get_ylim()
        assert _svg(fig) == _svg(fresh), values
        plt.close(fresh)
    assert list(fig.axes[0].lines) == lines
    assert lines[0].get_ydata()[0] == stratify.enrichment_plan(0.1, 0.3, 0.3)["n_all_comers"]
    demo.close()
