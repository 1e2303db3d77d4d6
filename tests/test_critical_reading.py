"""helpers.critical_reading: placebo arms from verified facts, scenarios, Egger toy model, RoB."""
import math

import matplotlib.pyplot as plt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import critical_reading as cr
from helpers import data, design, studies


def test_placebo_table_uses_only_verified_facts():
    table = cr.placebo_responses()
    assert len(table) == sum(data.fact(f[0])["verified"] for f in cr.PLACEBO_TRIALS) + 1
    ln = table[table["trial"].str.startswith("BLISS-LN")].iloc[0]
    assert ln["placebo_pct"] == data.fact_number("bio_bliss_ln", "perr_placebo_pct")
    tulip = table[table["trial"].str.startswith("TULIP")].iloc[0]
    assert tulip["placebo_pct"] == 30.8  # the percentage printed in the source text
    assert (table["placebo_pct"] > 0).all() and (table["active_pct"] <= 100).all()
    fig = cr.plot_placebo_responses()
    assert len(fig.axes[0].get_yticklabels()) == len(table)
    plt.close(fig)


def test_unverified_facts_are_left_out(monkeypatch):
    real = data.fact

    def fake(fid):
        record = dict(real(fid))
        if fid == "bio_bliss76":
            record["verified"] = False
        return record

    monkeypatch.setattr(cr, "fact", fake)
    assert not cr.placebo_responses()["trial"].str.startswith("BLISS-76").any()


def test_trial_scenarios():
    table, deng_power = cr.msc_trial_scenarios()
    first, half = table.iloc[0], table.iloc[1]
    assert first["n_per_arm"] == math.ceil(design.sample_size_two_proportions(
        first["control"], first["msc"]))
    assert half["n_per_arm"] > 3 * first["n_per_arm"]  # halving the gain ~quadruples n
    assert 0.025 < deng_power < 0.2


def test_egger_detection_rate_grows_with_k_and_is_reproducible():
    few = cr.egger_detection_rate(5, bias=2.0, n_sims=200, rng=1)
    many = cr.egger_detection_rate(40, bias=2.0, n_sims=200, rng=1)
    assert few < many
    assert cr.egger_detection_rate(5, bias=2.0, n_sims=50, rng=3) == \
        cr.egger_detection_rate(5, bias=2.0, n_sims=50, rng=3)
    with pytest.raises(ValueError, match="k"):
        cr.egger_detection_rate(2)
    with pytest.raises(ValueError, match="bias"):
        cr.egger_detection_rate(5, bias=-1)


def test_funnel_and_rob():
    fig, egger = cr.plot_msc_funnel()
    assert egger["k"] == len([t for t in fig.axes[0].texts])
    plt.close(fig)
    rob = cr.risk_of_bias()
    assert set(rob["study"]) == {"Wang 2014", "Deng 2017"}
    assert set(rob["judgement"]) <= {"low", "some concerns", "high"}
    assert data.provenance(cr.RISK_OF_BIAS_FILE)["literature_last_searched"] >= "2026-01"


@settings(max_examples=25, deadline=None)
@given(bias=st.floats(0.0, 3.0))
def test_egger_widget_over_its_range(bias):
    fig = cr.plot_egger_power(bias=bias, ks=(5, 10), n_sims=10)
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert all(0 <= h <= 100 and not math.isnan(h) for h in heights)
    plt.close(fig)


def test_figures_have_no_text_below_11_pt():
    """Course style: every text >= 11 pt in the placebo bars, Egger power bars and the MSC funnel."""
    from helpers.style import RC_PARAMS, small_texts

    with plt.rc_context(RC_PARAMS):
        figs = [cr.plot_placebo_responses(), cr.plot_egger_power(n_sims=20),
                cr.plot_msc_funnel()[0]]
        for fig in figs:
            assert small_texts(fig) == []
            plt.close(fig)
