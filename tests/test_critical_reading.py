"""helpers.critical_reading: placebo arms from verified facts, scenarios, Egger toy model, RoB."""
import math

import matplotlib.pyplot as plt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import helpers.critical_reading as cr
from helpers.core import data
import helpers.design as design


def test_placebo_table_uses_only_verified_facts():
    table = cr.placebo_responses()
    assert len(table) == sum(data.fact(f[0])["verified"] for f in cr.PLACEBO_TRIALS) + 1
    ln = table[table["trial"].str.startswith("BLISS-LN")].iloc[0]
    assert ln["placebo_pct"] == pytest.approx(100 * 72 / 223)  # exact counts (Anders 2023)
    assert ln["active_pct"] == pytest.approx(100 * 96 / 223)
    # ... which round to the percentages of the primary paper (Furie 2020)
    assert round(ln["placebo_pct"]) == data.fact_number("bio_bliss_ln", "perr_placebo_pct")
    assert round(ln["active_pct"]) == data.fact_number("bio_bliss_ln", "perr_belimumab_pct")
    tulip = table[table["trial"].str.startswith("TULIP")].iloc[0]
    assert tulip["placebo_pct"] == 30.8  # the percentage printed in the source text
    assert "post hoc pooled" in tulip["note"]
    bliss52 = table[table["trial"].str.startswith("BLISS-52")].iloc[0]
    assert "Oon et al., 2019" in bliss52["note"] and "see locator" not in bliss52["note"]
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
    table, deng = cr.msc_trial_scenarios()
    first, half = table.iloc[0], table.iloc[1]
    assert (first["control"], first["msc"]) == pytest.approx((72 / 223, 96 / 223))
    assert first["n_per_arm"] == math.ceil(design.sample_size_two_proportions(
        first["control"], first["msc"])) == 318
    assert half["n_per_arm"] > 3 * first["n_per_arm"]  # halving the gain ~quadruples n
    assert (deng["n_msc"], deng["n_placebo"]) == (12, 6)
    assert deng["power"] == pytest.approx(0.067, abs=0.001)  # normal approximation
    # the exact (Fisher) power of so small a trial is lower still
    assert deng["power_exact"] == pytest.approx(0.0325, abs=0.001)
    assert deng["power_exact"] < deng["power"]
    assert deng["observed_placebo_rate"] == pytest.approx(5 / 6)
    assert deng["scenario_control"] < deng["observed_placebo_rate"]


def test_deng_remission_difference_has_a_wide_newcombe_interval():
    rd = cr.rct_remission_difference("deng2017")
    assert rd.difference == pytest.approx(9 / 12 - 5 / 6)
    # Newcombe hybrid score interval for 9/12 vs 5/6: about -40 to +34 points
    assert rd.low == pytest.approx(-0.397, abs=0.001)
    assert rd.high == pytest.approx(0.345, abs=0.001)
    with pytest.raises(ValueError, match="study_id"):
        cr.rct_remission_difference("wang2014")


def test_egger_null_rate_is_near_the_level_and_defaults_agree():
    null = cr.egger_detection_rate(10, bias=0.0, n_sims=1000, rng=2)
    assert abs(null - cr.EGGER_LEVEL) < 0.03  # valid test: false alarms at about the level
    from helpers.core.params import param_ranges

    assert param_ranges(cr.plot_egger_power)["bias"].default == 1.5
    assert cr.egger_detection_rate(5, n_sims=50, rng=4) == \
        cr.egger_detection_rate(5, bias=1.5, n_sims=50, rng=4)


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
    fig = cr.plot_msc_funnel()
    egger = cr.msc_funnel_egger()
    assert egger["k"] == len([t for t in fig.axes[0].texts])
    assert egger["corrected"] == [("Carrion 2010", 0, 2), ("Barbado 2018", 3, 3)]
    plt.close(fig)
    rob = cr.risk_of_bias()
    assert set(rob["study"]) == {"Wang 2014", "Deng 2017"}
    bias = rob[rob["kind"] == "risk of bias"]
    assert set(bias["judgement"]) <= {"low", "some concerns", "high"}
    imprecision = rob[rob["kind"] == "imprecision"]
    assert imprecision["domain"].str.startswith("Imprecision (not risk of bias)").all()
    assert set(imprecision["judgement"]) <= set(cr.JUDGEMENTS["imprecision"])
    deng = rob[rob["study"] == "Deng 2017"].set_index("domain")["reason"]
    assert not deng.str.contains("futility").any()
    assert data.provenance(cr.RISK_OF_BIAS_FILE)["literature_last_searched"] >= "2026-01"


def test_rob_wide_table_keeps_file_order():
    rob = cr.risk_of_bias()
    wide = cr.risk_of_bias(wide=True)
    assert list(wide.columns) == ["question", "Wang 2014", "Deng 2017"]
    assert list(wide["question"]) == list(dict.fromkeys(rob["domain"]))
    assert wide["question"].iloc[-1].startswith("Imprecision (not risk of bias)")
    assert list(wide["question"]) != sorted(wide["question"])


def test_rob_rejects_a_judgement_of_the_wrong_kind(monkeypatch):
    real = cr.load_records

    def fake(*args, **kwargs):
        rows = real(*args, **kwargs)
        rows[0]["deng2017"] = dict(rows[0]["deng2017"], judgement="very serious")
        return rows

    monkeypatch.setattr(cr, "load_records", fake)
    with pytest.raises(ValueError, match="judgement"):
        cr.risk_of_bias()


@settings(max_examples=25, deadline=None)
@given(bias=st.floats(0.0, 3.0))
def test_egger_widget_over_its_range(bias):
    fig = cr.plot_egger_power(bias=bias, ks=(5, 10), n_sims=10)
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert len(heights) == 4  # no-effect and effect bars for each number of studies
    assert all(0 <= h <= 100 and not math.isnan(h) for h in heights)
    plt.close(fig)


def test_figures_have_no_text_below_11_pt():
    """Course style: every text >= 11 pt in the placebo bars, Egger power bars and the MSC funnel."""
    from helpers.core.style import RC_PARAMS, small_texts

    with plt.rc_context(RC_PARAMS):
        figs = [cr.plot_placebo_responses(), cr.plot_egger_power(n_sims=20),
                cr.plot_msc_funnel()]
        for fig in figs:
            assert small_texts(fig) == []
            plt.close(fig)
