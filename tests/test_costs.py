"""helpers.costs: the toy cost model, its declared assumptions and sensitivity analysis."""
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import helpers.costs as costs
from helpers.core.data import fact_number
from helpers.core.params import param_ranges


def test_hand_calculation():
    out = costs.cost_per_patient(batch_cost_kusd=100, batch_yield_billion=6.5,
                                 failure_rate=0.0, cell_dose_million_per_kg=1,
                                 body_weight_kg=65, infusions=2, overhead_fraction=1.0,
                                 delivery_kusd=2)
    assert out["doses_per_batch"] == pytest.approx(100)
    assert out["manufacturing_kusd"] == pytest.approx(2.0)
    assert out["total_kusd"] == pytest.approx(2.0 + 2.0 + 4.0)


def test_validation_names_the_parameter():
    with pytest.raises(ValueError, match="failure_rate"):
        costs.cost_per_patient(failure_rate=0.9)
    with pytest.raises(ValueError, match="infusions"):
        costs.cost_per_patient(infusions=1.5)
    with pytest.raises(ValueError, match="unknown"):
        costs.cost_sensitivity(price=3)


def test_assumptions_table_labels_every_input():
    table = costs.cost_assumptions()
    assert len(table) == len(costs.COST_RANGES)
    assert table["basis"].str.contains("assumption").sum() >= 5
    assert table["basis"].str.contains("no wastage").any()
    assert table["basis"].str.contains("price, not a cost").any()


def test_anchor_is_the_cited_list_price():
    anchor = costs.list_price_anchor()
    assert anchor["per_infusion_kusd"] * 1000 == fact_number("cost_msc_manufacturing",
                                                             "wac_usd_per_infusion")


def test_sensitivity_is_sorted_and_brackets_the_base():
    rows = costs.cost_sensitivity()
    swings = [r["swing_kusd"] for r in rows]
    assert swings == sorted(swings, reverse=True)
    base = costs.cost_per_patient()["total_kusd"]
    for r in rows:
        assert min(r["low_kusd"], r["high_kusd"]) <= base + 1e-9
        assert max(r["low_kusd"], r["high_kusd"]) >= base - 1e-9
    fig = costs.plot_cost_sensitivity(rows)
    assert len(fig.axes[0].get_yticklabels()) == len(costs.COST_RANGES)
    plt.close(fig)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_widget_function_over_declared_ranges(data):
    kwargs = {}
    for name, spec in param_ranges(costs.plot_cost_breakdown).items():
        if spec.integer:
            kwargs[name] = data.draw(st.integers(int(spec.low), int(spec.high)))
        else:
            kwargs[name] = data.draw(st.floats(spec.low, spec.high))
    total = costs.cost_per_patient(**kwargs)["total_kusd"]
    assert math.isfinite(total) and total > 0
    fig = costs.plot_cost_breakdown(**kwargs)
    heights = [p.get_height() for a in fig.axes for p in a.patches]
    assert not np.isnan(heights).any()
    plt.close(fig)


def test_figures_have_no_text_below_11_pt():
    """Course style: every text >= 11 pt in the cost breakdown (widget default) and tornado chart."""
    from helpers.core.style import RC_PARAMS, small_texts

    with plt.rc_context(RC_PARAMS):
        figs = [costs.plot_cost_breakdown(), costs.plot_cost_sensitivity(costs.cost_sensitivity())]
        for fig in figs:
            assert small_texts(fig) == []
            plt.close(fig)


def test_widget_redraw_sets_the_same_bars_and_matches_a_fresh_drawing():
    """A live redraw sets the kept bars and value labels of both panels (no new artists);
    at the ranges' ends and back the figure equals a new drawing at that setting."""
    from helpers.core.style import figure_svg
    from helpers.core.widgets import Demo

    demo = Demo(costs.plot_cost_breakdown, name="07_cost_breakdown", alt="cost breakdown bars")
    fig = demo.redraw()
    before = [[id(a) for a in ax.get_children()] for ax in fig.axes]
    specs = param_ranges(costs.plot_cost_breakdown)
    cheapest = {"batch_cost_kusd": 20, "batch_yield_billion": 30, "failure_rate": 0.0,
                "cell_dose_million_per_kg": 0.5, "body_weight_kg": 40, "infusions": 1,
                "overhead_fraction": 0.0, "delivery_kusd": 0.5}
    dearest = {name: spec.high for name, spec in specs.items()}
    for values in (dearest, cheapest, {"infusions": 5, "overhead_fraction": 0.3}, {}):
        assert demo.redraw(**values) is fig
        assert [[id(a) for a in ax.get_children()] for ax in fig.axes] == before
        fresh = demo.figure(**values)
        for ours, theirs in zip(fig.axes, fresh.axes):
            assert ours.get_ylim() == theirs.get_ylim()
            assert [t.get_text() for t in ours.texts] == [t.get_text() for t in theirs.texts]
        assert figure_svg(fig, text_as_paths=False) == figure_svg(fresh, text_as_paths=False)
        plt.close(fresh)
    total = costs.cost_per_patient()["total_kusd"]
    assert fig.axes[0].texts[0].get_text() == f"{total:,.1f}"
    demo.close()
