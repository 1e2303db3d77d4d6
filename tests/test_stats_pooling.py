"""helpers.stats.pooling: agreement with metafor's published output, statsmodels and scipy."""
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats import meta_analysis as sm

from helpers.stats import pooling
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
    res = pooling.random_effects(KACKER_Y, KACKER_V, method)
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
    res = pooling.random_effects(y, v, "DL")
    assert res.estimate == pytest.approx(ref.mean_effect_re, abs=1e-8)
    assert res.se == pytest.approx(ref.sd_eff_w_re, abs=1e-8)
    assert res.tau2 == pytest.approx(ref.tau2, abs=1e-8)
    assert res.q == pytest.approx(ref.q, abs=1e-8)
    assert res.i2 == pytest.approx(ref.i2, abs=1e-8)
    low, high = ref.conf_int(use_t=False)[1]
    assert (res.ci_low, res.ci_high) == pytest.approx((low, high), abs=1e-8)
    assert sum(res.weights) == pytest.approx(1.0)
    assert res.weights == pytest.approx(tuple(ref.weights_rel_re), abs=1e-10)
    fe = pooling.random_effects(y, v, "FE")
    assert fe.estimate == pytest.approx(ref.mean_effect_fe, abs=1e-8)
    assert fe.se == pytest.approx(ref.sd_eff_w_fe, abs=1e-8)


@pytest.mark.parametrize("seed", range(5))
def test_pm_agrees_with_statsmodels_iterated_at_its_tolerance(seed):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(3, 12))
    v = rng.uniform(0.01, 0.5, k)
    y = rng.normal(0, 2.0, k)
    ref = sm.combine_effects(y, v, method_re="iterated")  # Newton steps, atol 1e-5 on Q
    res = pooling.random_effects(y, v, "PM")
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
    assert pooling.random_effects(y, v, "PM").tau2 == pytest.approx(0.45, abs=1e-12)


def test_dl_negative_tau2_from_statsmodels_is_truncated_at_zero():
    y, v = [0.10, 0.12, 0.11, 0.105], [1.0, 1.0, 1.0, 1.0]  # Q far below k - 1
    ref = sm.combine_effects(np.array(y), np.array(v), method_re="chi2")
    assert ref.tau2 < 0 and ref.i2 < 0  # the statsmodels 0.15 behaviour we guard against
    res = pooling.random_effects(y, v, "DL")
    fe = pooling.random_effects(y, v, "FE")
    assert res.tau2 == 0.0 and res.i2 == 0.0
    assert res.estimate == pytest.approx(fe.estimate, abs=1e-12)
    assert res.se == pytest.approx(fe.se, abs=1e-12)
    assert any("truncated" in note for note in res.notes)
    assert pooling.random_effects(y, v, "PM").tau2 >= 0


@pytest.mark.parametrize("method", ["DL", "PM", "REML", "FE"])
def test_invariant_to_study_order(method):
    rng = np.random.default_rng(3)
    order = rng.permutation(len(KACKER_Y))
    a = pooling.random_effects(KACKER_Y, KACKER_V, method)
    b = pooling.random_effects(np.array(KACKER_Y)[order], np.array(KACKER_V)[order], method)
    for key in ("estimate", "se", "tau2", "q", "i2", "ci_low", "ci_high", "pi_low", "pi_high"):
        assert getattr(a, key) == pytest.approx(getattr(b, key), abs=1e-8, nan_ok=True)
    assert np.allclose(np.array(a.weights)[order], b.weights)


@pytest.mark.parametrize("method", ["DL", "PM", "REML", "FE"])
def test_single_study(method):
    res = pooling.random_effects([0.4], [0.09], method)
    assert res.k == 1 and res.estimate == 0.4 and res.se == pytest.approx(0.3)
    assert res.tau2 == 0.0 and math.isnan(res.i2)
    assert math.isnan(res.pi_low) and math.isnan(res.pi_high)
    assert any("one study" in n for n in res.notes)
    expected = "under fixed effect" if method == "FE" else "prediction interval undefined"
    assert any(expected in n for n in res.notes)


@pytest.mark.parametrize("method", ["DL", "PM", "FE"])
def test_two_studies_have_no_prediction_interval(method):
    res = pooling.random_effects([0.0, 1.0], [0.05, 0.05], method)
    assert res.k == 2 and math.isfinite(res.estimate) and math.isfinite(res.tau2)
    assert res.ci_low < res.estimate < res.ci_high
    assert math.isnan(res.pi_low) and math.isnan(res.pi_high)
    assert any(("under fixed effect" if method == "FE" else "k = 2") in n for n in res.notes)
    if method != "FE":  # equal variances: DL and PM coincide, Q = 10 so tau2 = 0.45
        ref = sm.combine_effects(np.array([0.0, 1.0]), np.array([0.05, 0.05]), method_re="chi2")
        assert res.tau2 == pytest.approx(ref.tau2, abs=1e-8)


def test_i2_interval_follows_higgins_thompson_2002():
    def reference(q, k, z=stats.norm.ppf(0.975)):  # heterometa::higgins, written out again
        h = max(1.0, math.sqrt(q / (k - 1)))
        if q > k:
            se = 0.5 * (math.log(q) - math.log(k - 1)) / (math.sqrt(2 * q) - math.sqrt(2 * k - 3))
        else:
            se = math.sqrt(1 / (2 * (k - 2)) * (1 - 1 / (3 * (k - 2) ** 2)))
        lims = [max(1.0, math.exp(math.log(h) + s * z * se)) for s in (-1, 1)]
        return tuple((x * x - 1) / (x * x) for x in lims)

    for q, k in [(METAFOR_Q, 9), (4.7, 5), (2.0, 5), (40.0, 12), (0.0, 3)]:
        assert pooling.i2_interval(q, k) == pytest.approx(reference(q, k), abs=1e-12)
    res = pooling.random_effects(KACKER_Y, KACKER_V)
    low, high = res.i2_interval()
    assert low < res.i2 < high < 1
    het = res.heterogeneity()
    assert het["df"] == 8 and het["q"] == pytest.approx(METAFOR_Q)
    assert het["p"] == pytest.approx(stats.chi2.sf(METAFOR_Q, 8))
    assert (het["i2_low"], het["i2_high"]) == (low, high)
    assert all(math.isnan(x) for x in pooling.random_effects([0.1, 0.2], [0.1, 0.1]).i2_interval())


def test_overlap_rule_refuses_double_counting():
    labels, groups = ["a", "b", "c"], ["g", "g", None]
    with pytest.raises(ValueError, match="keep must name exactly one"):
        pooling.apply_overlap_rule(labels, groups)
    with pytest.raises(ValueError, match="keep must name exactly one"):
        pooling.apply_overlap_rule(labels, groups, keep=["a", "b"])
    with pytest.raises(ValueError, match="keep must name studies among labels"):
        pooling.apply_overlap_rule(labels, groups, keep=["z"])
    assert pooling.apply_overlap_rule(labels, groups, keep=["b"]) == [False, True, True]
    assert pooling.apply_overlap_rule(labels, [None, "", float("nan")]) == [True] * 3
    with pytest.raises(ValueError, match="keep must name exactly one"):
        pooling.random_effects([0.1, 0.2, 0.3], [0.1] * 3, labels=labels, groups=groups)
    res = pooling.random_effects([0.1, 0.2, 0.3], [0.1] * 3, labels=labels, groups=groups,
                              keep="a")
    assert res.k == 2 and "b" in res.notes[0]


def test_overlap_rule_on_the_real_data():
    table = studies.response_table()
    with pytest.raises(ValueError, match="nanjing_drum_tower"):
        pooling.pool_proportions(table["events"], table["n"], labels=list(table["id"]),
                              groups=list(table["group"]))
    res, _ = pooling.pool_proportions(table["events"], table["n"], labels=list(table["id"]),
                                   groups=list(table["group"]), keep=["wang2014"])
    assert res.k == (table["group"] == "").sum() + 1


@settings(max_examples=25, deadline=None)
@given(data=st.lists(st.tuples(st.floats(-5, 5), st.floats(1e-3, 10)), min_size=1, max_size=12),
       method=st.sampled_from(["DL", "PM", "REML", "FE"]), ci=st.sampled_from(["wald", "hksj"]))
def test_pooling_never_fails_or_returns_nan_for_valid_input(data, method, ci):
    y, v = zip(*data)
    assume(ci == "wald" or len(y) >= 2)
    res = pooling.random_effects(list(y), list(v), method, ci=ci)
    for key in ("estimate", "se", "ci_low", "ci_high", "tau2", "q"):
        assert math.isfinite(getattr(res, key)), key
    assert res.tau2 >= 0 and res.ci_low <= res.estimate <= res.ci_high
    assert res.k == 1 or 0 <= res.i2 <= 1
    assert (res.k >= 3 and method != "FE") == math.isfinite(res.pi_low)
    low, high = res.i2_interval()
    assert (res.k >= 3) == math.isfinite(low)
    if res.k >= 3:
        assert 0 <= low <= res.i2 + 1e-12 and res.i2 <= high + 1e-12 and high < 1




# --- REML and HKSJ (issue 12) -----------------------------------------------------------
# BCG vaccine trials (metafor's dat.bcg; Colditz et al. 1994): TB cases / no TB in the
# vaccinated and the control group of each of the 13 trials.
BCG_COUNTS = [  # (tpos, tneg, cpos, cneg)
    (4, 119, 11, 128), (6, 300, 29, 274), (3, 228, 11, 209), (62, 13536, 248, 12619),
    (33, 5036, 47, 5761), (180, 1361, 372, 1079), (8, 2537, 10, 619),
    (505, 87886, 499, 87892), (29, 7470, 45, 7232), (17, 1699, 65, 1600),
    (186, 50448, 141, 27197), (5, 2493, 3, 2338), (27, 16886, 29, 17825),
]
# Published metafor output for the log risk ratios, escalc(measure="RR") then rma():
# README of github.com/wviechtb/metafor, "rma(yi, vi, data=dat, test='knha')" (REML):
#   tau^2 0.3132, Q(df = 12) = 152.2330, estimate -0.7145, se 0.1808, t -3.9522,
#   CI -1.1084 to -0.3206;
# the same REML model with the default z test (rma output reproduced in a course page):
#   se 0.1798, CI -1.0669 to -0.3622;
# metafor's tests/testthat/test_misc_metan_vs_rma.uni_with_dat.bcg.r: DL estimate -0.7141,
#   CI -1.0644 to -0.3638; EE (fixed effect) -0.4303, CI -0.5097 to -0.3509.
BCG_METAFOR = {
    ("REML", "hksj"): {"tau2": 0.3132, "estimate": -0.7145, "se": 0.1808,
                       "ci_low": -1.1084, "ci_high": -0.3206},
    ("REML", "wald"): {"tau2": 0.3132, "estimate": -0.7145, "se": 0.1798,
                       "ci_low": -1.0669, "ci_high": -0.3622},
    ("DL", "wald"): {"estimate": -0.7141, "ci_low": -1.0644, "ci_high": -0.3638},
    ("FE", "wald"): {"estimate": -0.4303, "ci_low": -0.5097, "ci_high": -0.3509},
}


def _bcg():
    from helpers.stats.effect_sizes import log_risk_ratio

    pairs = [log_risk_ratio(a, a + b, c, c + d) for a, b, c, d in BCG_COUNTS]
    return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])


@pytest.mark.parametrize("method, ci", sorted(BCG_METAFOR))
def test_bcg_trials_reproduce_metafor_to_its_printed_digits(method, ci):
    y, v = _bcg()
    res = pooling.random_effects(y, v, method, ci=ci)
    for key, expected in BCG_METAFOR[(method, ci)].items():
        assert round(getattr(res, key), 4) == expected, key
    assert round(res.q, 4) == 152.2330 and res.df == 12
    assert res.ci_method == ci


def _reml_loglik_by_hand(y, v, tau2):
    """Restricted log-likelihood written out from its definition (not the module's code)."""
    w = 1 / (v + tau2)
    mu = np.sum(w * y) / np.sum(w)
    return -0.5 * (np.sum(np.log(v + tau2)) + np.log(np.sum(w)) + np.sum(w * (y - mu) ** 2))


@pytest.mark.parametrize("seed", range(6))
def test_reml_maximises_the_restricted_likelihood(seed):
    from scipy.optimize import minimize_scalar

    rng = np.random.default_rng(seed)
    k = int(rng.integers(3, 15))
    v = rng.uniform(0.01, 0.5, k)
    y = rng.normal(0, rng.uniform(0.05, 1.5), k)
    best = minimize_scalar(lambda t: -_reml_loglik_by_hand(y, v, t), bounds=(0, 50),
                           method="bounded", options={"xatol": 1e-12})
    res = pooling.random_effects(y, v, "REML")
    boundary = -_reml_loglik_by_hand(y, v, 0.0) <= best.fun  # maximum at tau2 = 0
    expected = 0.0 if boundary else best.x
    assert res.tau2 == pytest.approx(expected, abs=1e-6)
    assert _reml_loglik_by_hand(y, v, res.tau2) >= -best.fun - 1e-9


def test_reml_on_the_bcg_trials_matches_direct_maximisation():
    from scipy.optimize import minimize_scalar

    y, v = _bcg()
    best = minimize_scalar(lambda t: -_reml_loglik_by_hand(y, v, t), bounds=(0, 5),
                           method="bounded", options={"xatol": 1e-12})
    assert pooling.random_effects(y, v, "REML").tau2 == pytest.approx(best.x, abs=1e-7)


def test_reml_falls_back_to_bounded_maximisation_and_says_so(monkeypatch):
    """The fallback (the only REML path that imports scipy.optimize) gives the same tau²."""
    y, v = _bcg()
    scored = pooling.random_effects(y, v, "REML")
    monkeypatch.setattr(pooling, "REML_MAX_ITER", 0)
    fallback = pooling.random_effects(y, v, "REML")
    assert fallback.tau2 == pytest.approx(scored.tau2, abs=1e-7)
    assert any("did not converge" in note for note in fallback.notes)
    assert not any("did not converge" in note for note in scored.notes)


@pytest.mark.parametrize("seed", range(5))
def test_hksj_agrees_with_statsmodels(seed):
    rng = np.random.default_rng(10 + seed)
    k = int(rng.integers(3, 12))
    v = rng.uniform(0.01, 0.5, k)
    y = rng.normal(0, 1.0, k)
    ref = sm.combine_effects(y, v, method_re="chi2")
    res = pooling.random_effects(y, v, "DL", ci="hksj")
    assert res.tau2 == pytest.approx(max(0.0, ref.tau2), abs=1e-10)
    if ref.tau2 > 0:
        assert res.se == pytest.approx(ref.sd_eff_w_re_hksj, abs=1e-10)
    half = stats.t.ppf(0.975, k - 1) * res.se
    assert (res.ci_low, res.ci_high) == pytest.approx((res.estimate - half,
                                                       res.estimate + half), abs=1e-12)


def test_hksj_is_untruncated_and_says_so():
    y, v = [0.10, 0.12, 0.11, 0.105], [1.0, 1.0, 1.0, 1.0]  # far less spread than v predicts
    wald = pooling.random_effects(y, v, "REML")
    hksj = pooling.random_effects(y, v, "REML", ci="hksj")
    assert hksj.ci_high - hksj.ci_low < wald.ci_high - wald.ci_low
    assert any("no ad hoc truncation" in n for n in hksj.notes)
    with pytest.raises(ValueError, match="ci='hksj' needs at least 2 studies"):
        pooling.random_effects([0.1], [0.1], ci="hksj")


def test_prediction_interval_is_one_function_used_by_the_result():
    y, v = _bcg()
    for ci in ("wald", "hksj"):
        res = pooling.random_effects(y, v, "REML", ci=ci, level=0.9)
        assert res.prediction_interval() == pooling.prediction_interval(
            res.estimate, res.se, res.tau2, res.k, level=0.9)
    half = stats.t.ppf(0.975, 11) * math.sqrt(0.5 + 0.04)
    assert pooling.prediction_interval(1.0, 0.2, 0.5, 13) == pytest.approx((1 - half, 1 + half))
    with pytest.raises(ValueError, match="k must be a whole number >= 3"):
        pooling.prediction_interval(1.0, 0.2, 0.5, 2)


@settings(max_examples=60, deadline=None)
@given(value=st.floats(-10, 10), variances=st.lists(st.floats(1e-3, 100), min_size=2,
                                                    max_size=10),
       method=st.sampled_from(["DL", "PM", "REML", "FE"]))
def test_identical_effects_have_q_zero_and_a_valid_heterogeneity_summary(value, variances,
                                                                          method):
    """Rounding must never make Q negative (it once did for [0.1875] * 3, [1, 3, 1])."""
    res = pooling.random_effects([value] * len(variances), variances, method)
    het = res.heterogeneity()
    assert 0.0 <= het["q"] < 1e-9 and het["tau2"] == 0.0 and het["i2"] == 0.0
    assert het["p"] == pytest.approx(1.0)
    if res.k >= 3:
        assert 0.0 <= het["i2_low"] <= het["i2_high"] < 1


def test_the_reported_rounding_case():
    het = pooling.random_effects([0.1875] * 3, [1, 3, 1]).heterogeneity()
    assert het["q"] >= 0 and het["i2_low"] == 0.0


@pytest.mark.parametrize("call, phrase", [
    (lambda: pooling.random_effects([], []), "effects must have at least 1 item"),
    (lambda: pooling.random_effects([0.1, 0.2], [0.1]), r"variances must have one entry per study, as effects \(2\)"),
    (lambda: pooling.random_effects([0.1, 0.2], [0.1, -0.1]), r"variances\[1\] must be a number > 0"),
    (lambda: pooling.random_effects([0.1, float("nan")], [0.1, 0.1]), r"effects\[1\] must be a finite"),
    (lambda: pooling.random_effects("0.1", [0.1]), "effects must be a sequence"),
    (lambda: pooling.random_effects([0.1], [0.1], "ML"), "method must be one of"),
    (lambda: pooling.random_effects([0.1], [0.1], ci="knha"), "ci must be one of"),
    (lambda: pooling.random_effects([0.1], [0.1], level=1.5), "level must be a number strictly between 0 and 1"),
    (lambda: pooling.random_effects([1e300, -1e300], [1e-300, 1e-300]), "effects and variances must be moderate"),
    (lambda: pooling.pool_proportions([1, 2], [3]), "ns must have one entry per study"),
    (lambda: pooling.pool_proportions([], []), "events must contain at least one study"),
    (lambda: pooling.pool_proportions([7], [6]), r"events\[0\] must be a whole number between 0 and ns\[0\] \(6\)"),
    (lambda: pooling.i2_interval(5.0, 2), "k must be a whole number between 3"),
    (lambda: pooling.i2_interval(-1.0, 5), "q must be a number >= 0"),
    (lambda: pooling.apply_overlap_rule(["a"], ["g", "h"]), "groups must have one entry per study"),
    (lambda: pooling.apply_overlap_rule(["a", "b"], [["g"], None]), "groups must hold"),
])
def test_bad_input_raises_value_error_naming_the_parameter(call, phrase):
    with pytest.raises(ValueError, match=phrase):
        call()
