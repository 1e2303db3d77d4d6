"""helpers.stats.meta: agreement with statsmodels and with published metafor output, edge cases."""
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats import meta_analysis as sm

from helpers.stats import meta
import helpers.studies as studies

# Worked example: Kacker RN (2004), interlaboratory evaluation data (Metrologia), as analysed
# with R metafor::rma() and stored at full precision in statsmodels' test suite
# (statsmodels/stats/tests/results/results_meta.py, objects exk1_dl, exk1_metafor (PM),
# exk1_fe). Values below are that published metafor output.
KACKER_Y = [61.0, 61.4, 62.21, 62.3, 62.34, 62.6, 62.7, 62.84, 65.9]
KACKER_V = [0.2025, 1.2100, 0.0900, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225]
METAFOR = {
    "DL": {"estimate": 62.3901386044504, "se": 0.245749668040304, "tau2": 0.288049246973751,
           "ci_low": 61.9084781058787, "ci_high": 62.8717991030221},
    "PM": {"estimate": 62.4076199113286, "se": 0.338030602684471, "tau2": 0.705395309224248,
           "ci_low": 61.7450921043947, "ci_high": 63.0701477182625},
    "FE": {"estimate": 62.5833970939982, "se": 0.107845705498231, "tau2": 0.0,
           "ci_low": 62.3720233953344, "ci_high": 62.7947707926621},
}
METAFOR_Q = 24.801897741835
METAFOR_I2_PERCENT = 67.744403741711


@pytest.mark.parametrize("method", ["DL", "PM", "FE"])
def test_agrees_with_published_metafor_output_to_1e8(method):
    res = meta.random_effects(KACKER_Y, KACKER_V, method)
    for key, expected in METAFOR[method].items():
        assert getattr(res, key) == pytest.approx(expected, abs=1e-8), key
    assert res.q == pytest.approx(METAFOR_Q, abs=1e-8)
    assert 100 * res.i2 == pytest.approx(METAFOR_I2_PERCENT, abs=1e-8)
    if method == "FE":  # no between-study variation assumed: nothing to predict
        assert math.isnan(res.pi_low) and math.isnan(res.pi_high)
        assert any("no prediction interval under fixed effect" in n for n in res.notes)
        return
    # prediction interval: t with k - 2 df around the estimate (Higgins et al. 2009)
    half = stats.t.ppf(0.975, 7) * math.sqrt(METAFOR[method]["tau2"] + METAFOR[method]["se"] ** 2)
    assert res.pi_low == pytest.approx(METAFOR[method]["estimate"] - half, abs=1e-8)
    assert res.pi_high == pytest.approx(METAFOR[method]["estimate"] + half, abs=1e-8)


@pytest.mark.parametrize("seed", range(5))
def test_dl_agrees_with_statsmodels_combine_effects(seed):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(3, 12))
    v = rng.uniform(0.01, 0.5, k)
    y = rng.normal(0, 2.0, k)  # heterogeneous: tau2 > 0 with these draws
    ref = sm.combine_effects(y, v, method_re="chi2")
    assert ref.tau2 > 0
    res = meta.random_effects(y, v, "DL")
    assert res.estimate == pytest.approx(ref.mean_effect_re, abs=1e-8)
    assert res.se == pytest.approx(ref.sd_eff_w_re, abs=1e-8)
    assert res.tau2 == pytest.approx(ref.tau2, abs=1e-8)
    assert res.q == pytest.approx(ref.q, abs=1e-8)
    assert res.i2 == pytest.approx(ref.i2, abs=1e-8)
    low, high = ref.conf_int(use_t=False)[1]
    assert (res.ci_low, res.ci_high) == pytest.approx((low, high), abs=1e-8)
    assert sum(res.weights) == pytest.approx(1.0)
    assert res.weights == pytest.approx(tuple(ref.weights_rel_re), abs=1e-10)
    fe = meta.random_effects(y, v, "FE")
    assert fe.estimate == pytest.approx(ref.mean_effect_fe, abs=1e-8)
    assert fe.se == pytest.approx(ref.sd_eff_w_fe, abs=1e-8)


@pytest.mark.parametrize("seed", range(5))
def test_pm_agrees_with_statsmodels_iterated_at_its_tolerance(seed):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(3, 12))
    v = rng.uniform(0.01, 0.5, k)
    y = rng.normal(0, 2.0, k)
    ref = sm.combine_effects(y, v, method_re="iterated")  # Newton steps, atol 1e-5 on Q
    res = meta.random_effects(y, v, "PM")
    assert res.tau2 == pytest.approx(ref.tau2, rel=1e-4)
    assert res.estimate == pytest.approx(ref.mean_effect_re, rel=1e-4, abs=1e-6)
    # our root solves Q(tau2) = k - 1 to machine precision
    w = 1 / (v + res.tau2)
    m = (w * y).sum() / w.sum()
    assert (w * (y - m) ** 2).sum() == pytest.approx(k - 1, abs=1e-8)


def test_pm_does_not_collapse_where_statsmodels_newton_step_does():
    y, v = np.array([0.0, 1.0]), np.array([0.05, 0.05])
    ref = sm.combine_effects(y, v, method_re="iterated", atol=1e-14, maxiter=1000)
    assert ref.tau2 == 0  # overshoot reset in statsmodels 0.15
    assert meta.random_effects(y, v, "PM").tau2 == pytest.approx(0.45, abs=1e-12)


def test_dl_negative_tau2_from_statsmodels_is_truncated_at_zero():
    y, v = [0.10, 0.12, 0.11, 0.105], [1.0, 1.0, 1.0, 1.0]  # Q far below k - 1
    ref = sm.combine_effects(np.array(y), np.array(v), method_re="chi2")
    assert ref.tau2 < 0 and ref.i2 < 0  # the statsmodels 0.15 behaviour we guard against
    res = meta.random_effects(y, v, "DL")
    fe = meta.random_effects(y, v, "FE")
    assert res.tau2 == 0.0 and res.i2 == 0.0
    assert res.estimate == pytest.approx(fe.estimate, abs=1e-12)
    assert res.se == pytest.approx(fe.se, abs=1e-12)
    assert any("truncated" in note for note in res.notes)
    assert meta.random_effects(y, v, "PM").tau2 >= 0


@pytest.mark.parametrize("method", ["DL", "PM", "FE"])
def test_invariant_to_study_order(method):
    rng = np.random.default_rng(3)
    order = rng.permutation(len(KACKER_Y))
    a = meta.random_effects(KACKER_Y, KACKER_V, method)
    b = meta.random_effects(np.array(KACKER_Y)[order], np.array(KACKER_V)[order], method)
    for key in ("estimate", "se", "tau2", "q", "i2", "ci_low", "ci_high", "pi_low", "pi_high"):
        assert getattr(a, key) == pytest.approx(getattr(b, key), abs=1e-8, nan_ok=True)
    assert np.allclose(np.array(a.weights)[order], b.weights)


@pytest.mark.parametrize("method", ["DL", "PM", "FE"])
def test_single_study(method):
    res = meta.random_effects([0.4], [0.09], method)
    assert res.k == 1 and res.estimate == 0.4 and res.se == pytest.approx(0.3)
    assert res.tau2 == 0.0 and math.isnan(res.i2)
    assert math.isnan(res.pi_low) and math.isnan(res.pi_high)
    assert any("one study" in n for n in res.notes)
    expected = "under fixed effect" if method == "FE" else "prediction interval undefined"
    assert any(expected in n for n in res.notes)


@pytest.mark.parametrize("method", ["DL", "PM", "FE"])
def test_two_studies_have_no_prediction_interval(method):
    res = meta.random_effects([0.0, 1.0], [0.05, 0.05], method)
    assert res.k == 2 and math.isfinite(res.estimate) and math.isfinite(res.tau2)
    assert res.ci_low < res.estimate < res.ci_high
    assert math.isnan(res.pi_low) and math.isnan(res.pi_high)
    assert any(("under fixed effect" if method == "FE" else "k = 2") in n for n in res.notes)
    if method != "FE":  # equal variances: DL and PM coincide, Q = 10 so tau2 = 0.45
        ref = sm.combine_effects(np.array([0.0, 1.0]), np.array([0.05, 0.05]), method_re="chi2")
        assert res.tau2 == pytest.approx(ref.tau2, abs=1e-8)


@pytest.mark.parametrize("call, phrase", [
    (lambda: meta.random_effects([], []), "effects must contain at least one study"),
    (lambda: meta.random_effects([0.1, 0.2], [0.1]), "variances must have the same length"),
    (lambda: meta.random_effects([0.1, 0.2], [0.1, -0.1]), "variances must all be positive"),
    (lambda: meta.random_effects([0.1, float("nan")], [0.1, 0.1]), "effects must be finite"),
    (lambda: meta.random_effects("0.1", [0.1]), "effects must be a sequence"),
    (lambda: meta.random_effects([0.1], [0.1], "REML"), "method must be one of"),
    (lambda: meta.random_effects([0.1], [0.1], alpha=1.5), "alpha must be between"),
    (lambda: meta.logit_proportion(7, 6), "events must be between 0 and n"),
    (lambda: meta.logit_proportion(-1, 6), "events must be a whole number"),
    (lambda: meta.logit_proportion(1, 0), "n must be a whole number >= 1"),
    (lambda: meta.proportion_ci(3, 2), "events must be between 0 and n"),
    (lambda: meta.pool_proportions([1, 2], [3]), "ns must have the same length"),
    (lambda: meta.pool_proportions([], []), "events must contain at least one study"),
    (lambda: meta.prepost_mean_difference(10, 3, 5, 3, 12, r=1.0), "r \\(pre-post correlation\\)"),
    (lambda: meta.prepost_smd(10, -3, 5, 3, 12), "sd_pre must be a positive"),
    (lambda: meta.mean_difference(1, 1, 1, 0, 1, 10), "n1 must be a whole number >= 2"),
    (lambda: meta.risk_difference_variance(3, 2, 1, 2), "events1 must be between 0 and n1"),
    (lambda: meta.log_risk_ratio(1, 2, 3, 2), "events2 must be between 0 and n2"),
    (lambda: meta.egger_test([0.1, 0.2], [0.1, 0.1]), "at least 3 studies"),
    (lambda: meta.leave_one_out([0.1], [0.1], ["a"]), "at least 2 studies"),
    (lambda: meta.risk_difference_ci(3, 2, 1, 2), "events1 must be between 0 and n1"),
    (lambda: meta.risk_difference_ci(1, 2, 1, 2, alpha=0), "alpha must be between"),
    (lambda: meta.welch_mean_difference_ci(1, 1, 1, 0, 1, 10), "n1 must be a whole number >= 2"),
    (lambda: meta.welch_mean_difference_ci(1, 0, 5, 0, 1, 10), "sd1 must be a positive"),
    (lambda: meta.t_interval(1.0, 0.5, 0), "df must be a positive"),
    (lambda: meta.t_interval(1.0, -0.5, 3), "se must be a positive"),
    (lambda: meta.i2_interval(5.0, 2), "k must be a whole number >= 3"),
    (lambda: meta.i2_interval(-1.0, 5), "q must be a finite number >= 0"),
])
def test_bad_input_raises_value_error_naming_the_parameter(call, phrase):
    with pytest.raises(ValueError, match=phrase):
        call()


def test_logit_proportion_and_back_transform():
    y, v = meta.logit_proportion(24, 40)
    assert y == pytest.approx(math.log(24 / 16)) and v == pytest.approx(1 / 24 + 1 / 16)
    y0, v0 = meta.logit_proportion(0, 2)  # continuity correction only when a cell is 0
    assert y0 == pytest.approx(math.log(0.5 / 2.5)) and v0 == pytest.approx(1 / 0.5 + 1 / 2.5)
    assert meta.expit(y) == pytest.approx(0.6)
    res, back = meta.pool_proportions([24, 5], [40, 6])
    assert back["proportion"] == pytest.approx(meta.expit(res.estimate))
    assert math.isnan(back["pi_low"])


def test_exact_ci_reproduces_the_published_kamen_interval():
    row = studies.study("kamen2022")["responders"]
    _, low, high = meta.proportion_ci(row["overall_n"], row["denominator"])
    # "83.3% (95% CI 35.9% to 99.6%)" in the Kamen 2022 abstract
    assert f"{100 * low:.1f}%" in row["percent_and_ci"]
    assert f"{100 * high:.1f}%" in row["percent_and_ci"]
    assert meta.proportion_ci(0, 2)[1] == 0.0 and meta.proportion_ci(3, 3)[2] == 1.0


def test_two_group_effect_sizes_match_statsmodels():
    smd, var = meta.standardized_mean_difference(-8, 4, 12, -5, 8, 6)
    ref_smd, _ = sm.effectsize_smd(-8, 4, 12, -5, 8, 6)  # statsmodels approximates the variance
    assert smd == pytest.approx(ref_smd, abs=1e-10)
    pooled = math.sqrt((11 * 16 + 5 * 64) / 16)
    d, j = -3 / pooled, 1 - 3 / (4 * 16 - 1)
    assert var == pytest.approx(j ** 2 * (18 / 72 + d ** 2 / 36), abs=1e-12)  # Borenstein 2009
    rr, rr_var = meta.log_risk_ratio(9, 12, 5, 6)
    ref_rr, ref_rr_var = sm.effectsize_2proportions(9, 12, 5, 6, statistic="risk-ratio")
    assert rr == pytest.approx(ref_rr) and rr_var == pytest.approx(ref_rr_var)
    rd, rd_var = meta.risk_difference_variance(9, 12, 5, 6)
    ref_rd, ref_rd_var = sm.effectsize_2proportions(9, 12, 5, 6, statistic="diff")
    assert rd == pytest.approx(ref_rd) and rd_var == pytest.approx(ref_rd_var)
    md, md_var = meta.mean_difference(-8, 4, 12, -5, 8, 6)
    assert md == -3 and md_var == pytest.approx(16 / 12 + 64 / 6)
    assert meta.log_risk_ratio(0, 5, 2, 5)[0] == pytest.approx(math.log((0.5 / 6) / (2.5 / 6)))


def test_prepost_correlation_is_explicit_and_matters():
    md, v_half = meta.prepost_mean_difference(12.2, 3.3, 3.2, 2.8, 12, r=0.5)
    assert md == pytest.approx(-9.0)
    assert v_half == pytest.approx((3.3 ** 2 + 2.8 ** 2 - 3.3 * 2.8) / 12)
    _, v_zero = meta.prepost_mean_difference(12.2, 3.3, 3.2, 2.8, 12, r=0.0)
    _, v_high = meta.prepost_mean_difference(12.2, 3.3, 3.2, 2.8, 12, r=0.9)
    assert v_high < v_half < v_zero
    g5, vg5 = meta.prepost_smd(12.2, 3.3, 3.2, 2.8, 12, r=0.5)
    g9, vg9 = meta.prepost_smd(12.2, 3.3, 3.2, 2.8, 12, r=0.9)
    assert g5 == g9 < 0 and vg9 < vg5


@pytest.mark.parametrize("counts", [(9, 12, 5, 6), (0, 2, 3, 3), (0, 10, 0, 10), (7, 7, 1, 9),
                                    (24, 40, 13, 40)])
def test_risk_difference_ci_matches_statsmodels_newcombe(counts):
    from statsmodels.stats.proportion import confint_proportions_2indep

    d, low, high = meta.risk_difference_ci(*counts)
    ref = confint_proportions_2indep(*counts, method="newcomb", compare="diff")
    assert d == pytest.approx(counts[0] / counts[1] - counts[2] / counts[3])
    assert (low, high) == pytest.approx(tuple(float(x) for x in ref), abs=1e-10)
    assert -1 <= low <= d <= high <= 1
    # with 12 and 6 patients the score interval is wider than the Wald one on the low side
    _, var = meta.risk_difference_variance(9, 12, 5, 6)
    assert meta.risk_difference_ci(9, 12, 5, 6)[1] < -0.0833 - 1.96 * math.sqrt(var) + 0.1


@pytest.mark.parametrize("stats_in", [(-8, 4, 12, -5, 8, 6), (-2.1, 1.8, 12, -1.4, 1.1, 6),
                                      (10.0, 2.0, 30, 9.0, 5.0, 5)])
def test_welch_interval_matches_scipy(stats_in):
    res = meta.welch_mean_difference_ci(*stats_in)
    m1, s1, n1, m2, s2, n2 = stats_in
    t, p = stats.ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=False)
    assert res["estimate"] / res["se"] == pytest.approx(t, rel=1e-10)
    # each limit is where the two-sided Welch test of "difference = limit" gives P = 0.05
    for limit in (res["ci_low"], res["ci_high"]):
        _, p_limit = stats.ttest_ind_from_stats(m1 - limit, s1, n1, m2, s2, n2, equal_var=False)
        assert p_limit == pytest.approx(0.05, abs=1e-8)
    z_half = 1.959963984540054 * res["se"]
    assert res["ci_high"] - res["ci_low"] > 2 * z_half  # wider than the z interval


def test_t_interval_reduces_to_z_for_large_df():
    low, high = meta.t_interval(1.0, 0.5, 1e7)
    assert (low, high) == pytest.approx((1 - 1.959964 * 0.5, 1 + 1.959964 * 0.5), abs=1e-5)
    low3, high3 = meta.t_interval(1.0, 0.5, 3)
    assert high3 - 1 == pytest.approx(stats.t.ppf(0.975, 3) * 0.5)


def test_i2_interval_follows_higgins_thompson_2002():
    def reference(q, k, z=1.959963984540054):  # heterometa::higgins, written out again
        h = max(1.0, math.sqrt(q / (k - 1)))
        if q > k:
            se = 0.5 * (math.log(q) - math.log(k - 1)) / (math.sqrt(2 * q) - math.sqrt(2 * k - 3))
        else:
            se = math.sqrt(1 / (2 * (k - 2)) * (1 - 1 / (3 * (k - 2) ** 2)))
        lims = [max(1.0, math.exp(math.log(h) + s * z * se)) for s in (-1, 1)]
        return tuple((x * x - 1) / (x * x) for x in lims)

    for q, k in [(METAFOR_Q, 9), (4.7, 5), (2.0, 5), (40.0, 12), (0.0, 3)]:
        assert meta.i2_interval(q, k) == pytest.approx(reference(q, k), abs=1e-12)
    res = meta.random_effects(KACKER_Y, KACKER_V)
    low, high = res.i2_interval()
    assert low < res.i2 < high < 1
    het = res.heterogeneity()
    assert het["df"] == 8 and het["q"] == pytest.approx(METAFOR_Q)
    assert het["p"] == pytest.approx(stats.chi2.sf(METAFOR_Q, 8))
    assert (het["i2_low"], het["i2_high"]) == (low, high)
    assert all(math.isnan(x) for x in meta.random_effects([0.1, 0.2], [0.1, 0.1]).i2_interval())


def test_overlap_rule_refuses_double_counting():
    labels, groups = ["a", "b", "c"], ["g", "g", None]
    with pytest.raises(ValueError, match="keep must name exactly one"):
        meta.apply_overlap_rule(labels, groups)
    with pytest.raises(ValueError, match="keep must name exactly one"):
        meta.apply_overlap_rule(labels, groups, keep=["a", "b"])
    with pytest.raises(ValueError, match="keep must name studies among labels"):
        meta.apply_overlap_rule(labels, groups, keep=["z"])
    assert meta.apply_overlap_rule(labels, groups, keep=["b"]) == [False, True, True]
    assert meta.apply_overlap_rule(labels, [None, "", float("nan")]) == [True] * 3
    with pytest.raises(ValueError, match="keep must name exactly one"):
        meta.random_effects([0.1, 0.2, 0.3], [0.1] * 3, labels=labels, groups=groups)
    res = meta.random_effects([0.1, 0.2, 0.3], [0.1] * 3, labels=labels, groups=groups,
                              keep="a")
    assert res.k == 2 and "b" in res.notes[0]


def test_overlap_rule_on_the_real_data():
    table = studies.response_table()
    with pytest.raises(ValueError, match="nanjing_drum_tower"):
        meta.pool_proportions(table["events"], table["n"], labels=list(table["id"]),
                              groups=list(table["group"]))
    res, _ = meta.pool_proportions(table["events"], table["n"], labels=list(table["id"]),
                                   groups=list(table["group"]), keep=["wang2014"])
    assert res.k == (table["group"] == "").sum() + 1


def test_leave_one_out_and_subgroups():
    loo = meta.leave_one_out(KACKER_Y, KACKER_V, list("abcdefghi"), "DL")
    assert list(loo["omitted"]) == list("abcdefghi") and (loo["k"] == 8).all()
    full = meta.random_effects(KACKER_Y, KACKER_V)
    last = loo.set_index("omitted").loc["i"]
    assert last["tau2"] < full.tau2  # the outlying laboratory drives the heterogeneity
    groups, q_between, p = meta.subgroup_analysis(KACKER_Y, KACKER_V, ["x"] * 4 + ["y"] * 5)
    assert set(groups) == {"x", "y"} and q_between >= 0 and 0 <= p <= 1
    one, qb, pb = meta.subgroup_analysis(KACKER_Y, KACKER_V, ["x"] * 9)
    assert math.isnan(qb) and math.isnan(pb)
    egger = meta.egger_test(KACKER_Y, KACKER_V)
    assert egger["k"] == 9 and 0 <= egger["p"] <= 1


def test_forest_plot_content():
    labels = ["A", "B", "C"]
    y, v = [0.2, 0.5, 0.9], [0.04, 0.09, 0.05]
    res = meta.random_effects(y, v)
    fig = meta.plot_forest(labels, y, v, res, n=[20, 15, 30], xlabel="log odds")
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == labels + ["Pooled (DL)", "95% prediction interval"]
    texts = [t.get_text() for t in ax.texts]
    assert {"20", "15", "30", "k=3"} <= set(texts)
    weights = [float(t[:-1]) for t in texts if t.endswith("%") and t[0].isdigit()]
    assert sum(weights) == pytest.approx(100, abs=0.2)
    assert f"{res.estimate:.2f} [{res.ci_low:.2f}, {res.ci_high:.2f}]" in texts
    assert ax.get_xlabel() == "log odds"
    plt.close(fig)
    two = meta.random_effects(y[:2], v[:2])
    fig = meta.plot_forest(labels[:2], y[:2], v[:2], two)
    assert "undefined (k < 3)" in [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)
    fixed = meta.random_effects(y, v, "FE")
    fig = meta.plot_forest(labels, y, v, fixed)
    assert "not reported (fixed effect)" in [t.get_text() for t in fig.axes[0].texts]
    assert not [line for line in fig.axes[0].lines if line.get_linewidth() == 3]  # no PI bar
    plt.close(fig)
    with pytest.raises(ValueError, match="result must pool exactly"):
        meta.plot_forest(labels, y, v, two)
    _, ax = plt.subplots()
    assert meta.plot_forest(labels, y, v, ax=ax) is ax.figure
    plt.close(ax.figure)


def test_funnel_plot_content():
    fig = meta.plot_funnel(KACKER_Y, KACKER_V, labels=list("abcdefghi"))
    ax = fig.axes[0]
    points = [line for line in ax.lines if line.get_label() == "studies"][0]
    assert len(points.get_xdata()) == 9
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # standard error axis inverted
    assert len(ax.texts) == 9
    plt.close(fig)


@settings(max_examples=25, deadline=None)
@given(data=st.lists(st.tuples(st.floats(-5, 5), st.floats(1e-3, 10)), min_size=1, max_size=12),
       method=st.sampled_from(["DL", "PM", "FE"]))
def test_pooling_never_fails_or_returns_nan_for_valid_input(data, method):
    y, v = zip(*data)
    res = meta.random_effects(list(y), list(v), method)
    for key in ("estimate", "se", "ci_low", "ci_high", "tau2", "q"):
        assert math.isfinite(getattr(res, key)), key
    assert res.tau2 >= 0 and res.ci_low <= res.estimate <= res.ci_high
    assert res.k == 1 or 0 <= res.i2 <= 1
    assert (res.k >= 3 and method != "FE") == math.isfinite(res.pi_low)
    low, high = res.i2_interval()
    assert (res.k >= 3) == math.isfinite(low)
    if res.k >= 3:
        assert 0 <= low <= res.i2 + 1e-12 and res.i2 <= high + 1e-12 and high < 1


def test_figures_have_no_text_below_11_pt():
    """Course style: every text >= 11 pt in the forest plot (notebook 05 arguments, via
    trial_evidence) and the funnel plot."""
    from helpers.core.style import RC_PARAMS, small_texts

    with plt.rc_context(RC_PARAMS):
        from helpers import trial_evidence as te
        rows, res, _ = te.single_arm_pool()
        figs = [meta.plot_forest(["a", "b", "c"], [0.1, 0.3, 0.5], [0.04, 0.05, 0.06],
                                 meta.random_effects([0.1, 0.3, 0.5], [0.04, 0.05, 0.06], "DL"),
                                 n=[10, 20, 30], xlabel="effect", null_value=0),
                meta.plot_funnel(list(rows["logit"]), list(rows["var"]), res,
                                 labels=list(rows["label"]))]
        for fig in figs:
            assert small_texts(fig) == []
            plt.close(fig)
