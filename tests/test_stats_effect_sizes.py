"""helpers.stats.effect_sizes: risk difference (one implementation), NNT, ratios, means."""
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats import meta_analysis as sm

from helpers.stats import effect_sizes
from helpers.stats.distributions import z_quantile
from helpers.stats.effect_sizes import (NNT, RiskDifference, nnt_from_difference,
                                        number_needed_to_treat, risk_difference)
from helpers.stats.proportions import counts_from_percent


def test_newcombe_hybrid_interval_matches_published_example():
    # Newcombe 1998, Table II example (56/70 vs 48/80): method 10 gives 0.0524 to 0.3339
    rd = risk_difference(56, 70, 48, 80)
    assert rd.difference == pytest.approx(0.2)
    assert (round(rd.low, 4), round(rd.high, 4)) == (0.0524, 0.3339)


def test_wald_interval_is_the_textbook_formula():
    rd = risk_difference(60, 100, 40, 100, method="wald")
    se = math.sqrt(0.6 * 0.4 / 100 + 0.4 * 0.6 / 100)
    assert rd.low == pytest.approx(0.2 - 1.959964 * se, abs=1e-6)
    assert rd.high == pytest.approx(0.2 + 1.959964 * se, abs=1e-6)


def test_nnt_when_interval_excludes_zero_is_reciprocal_of_limits():
    rd = risk_difference(60, 100, 40, 100)
    nnt = nnt_from_difference(rd)
    assert nnt.kind == "benefit" and not nnt.crosses_zero
    assert nnt.value == pytest.approx(5)
    assert nnt.low == pytest.approx(1 / rd.high) and nnt.high == pytest.approx(1 / rd.low)
    assert nnt.text == "NNTB 5.0 (95% CI 3.0 to 16.3)"


def test_nnt_when_interval_crosses_zero_runs_through_infinity():
    rd = risk_difference(50, 100, 45, 100)
    assert rd.crosses_zero
    nnt = nnt_from_difference(rd)
    assert nnt.crosses_zero and nnt.low is None and nnt.high is None
    assert nnt.nntb_limit == pytest.approx(1 / rd.high)
    assert nnt.nnth_limit == pytest.approx(1 / -rd.low)
    assert "to ∞ to" in nnt.text and nnt.text.startswith("NNTB 20.0")
    assert "-" not in nnt.text  # never a negative NNT bound


def test_nnt_for_harm_and_for_no_difference():
    harm = number_needed_to_treat(40, 100, 60, 100)
    assert harm.kind == "harm" and harm.text.startswith("NNTH 5.0")
    none = number_needed_to_treat(30, 100, 30, 100)
    assert none.kind == "none" and math.isinf(none.value) and none.crosses_zero
    assert none.text.startswith("NNT ∞")


def test_one_risk_difference_behind_every_view():
    """risk_difference, risk_difference_ci and risk_difference_variance agree exactly."""
    for counts in [(9, 12, 5, 6), (0, 2, 3, 3), (60, 100, 40, 100)]:
        rd = risk_difference(*counts)
        assert effect_sizes.risk_difference_ci(*counts) == (rd.difference, rd.low, rd.high)
        assert effect_sizes.risk_difference_variance(*counts) == (rd.difference, rd.variance)
        wald = risk_difference(*counts, method="wald")
        half = z_quantile(0.95) * math.sqrt(rd.variance)
        assert (wald.low, wald.high) == pytest.approx(
            (max(-1, rd.difference - half), min(1, rd.difference + half)))
    assert risk_difference(6, 10, 4, 10, level=0.9).level == 0.9
    assert "90% CI" in number_needed_to_treat(60, 100, 40, 100, level=0.9).text


@settings(max_examples=25, deadline=None)
@given(st.floats(0, 100), st.floats(0, 100), st.integers(10, 1000),
       st.sampled_from(["newcombe", "wald"]))
def test_risk_difference_over_widget_ranges_no_error_no_nan(active, control, n, method):
    e1, e0 = counts_from_percent(active, n), counts_from_percent(control, n)
    rd = risk_difference(e1, n, e0, n, method=method)
    assert -1 <= rd.low <= rd.difference <= rd.high <= 1
    assert not any(math.isnan(x) for x in (rd.low, rd.high, rd.difference, rd.variance))
    nnt = nnt_from_difference(rd)
    assert isinstance(nnt, NNT) and "nan" not in nnt.text
    assert nnt.crosses_zero == (rd.low <= 0 <= rd.high)


def test_quiz_answer_of_notebook_02_matches_the_printed_order():
    """Notebook 02, quiz 2: a difference of -2 to +12 points prints as NNTH 50 to ∞ to NNTB 8.3."""
    rd = RiskDifference(0.05, -0.02, 0.12, 0.55, 0.50, 0.95, "newcombe")
    assert "(95% CI NNTH 50.0 to ∞ to NNTB 8.3)" in nnt_from_difference(rd).text


def test_two_group_effect_sizes_match_statsmodels():
    smd, var = effect_sizes.standardized_mean_difference(-8, 4, 12, -5, 8, 6)
    ref_smd, _ = sm.effectsize_smd(-8, 4, 12, -5, 8, 6)  # statsmodels approximates the variance
    assert smd == pytest.approx(ref_smd, abs=1e-10)
    pooled = math.sqrt((11 * 16 + 5 * 64) / 16)
    d, j = -3 / pooled, 1 - 3 / (4 * 16 - 1)
    assert var == pytest.approx(j ** 2 * (18 / 72 + d ** 2 / 36), abs=1e-12)  # Borenstein 2009
    rr, rr_var = effect_sizes.log_risk_ratio(9, 12, 5, 6)
    ref_rr, ref_rr_var = sm.effectsize_2proportions(9, 12, 5, 6, statistic="risk-ratio")
    assert rr == pytest.approx(ref_rr) and rr_var == pytest.approx(ref_rr_var)
    rd, rd_var = effect_sizes.risk_difference_variance(9, 12, 5, 6)
    ref_rd, ref_rd_var = sm.effectsize_2proportions(9, 12, 5, 6, statistic="diff")
    assert rd == pytest.approx(ref_rd) and rd_var == pytest.approx(ref_rd_var)
    md, md_var = effect_sizes.mean_difference(-8, 4, 12, -5, 8, 6)
    assert md == -3 and md_var == pytest.approx(16 / 12 + 64 / 6)
    assert effect_sizes.log_risk_ratio(0, 5, 2, 5)[0] == pytest.approx(math.log((0.5 / 6) / (2.5 / 6)))


def test_prepost_correlation_is_explicit_and_matters():
    md, v_half = effect_sizes.prepost_mean_difference(12.2, 3.3, 3.2, 2.8, 12, r=0.5)
    assert md == pytest.approx(-9.0)
    assert v_half == pytest.approx((3.3 ** 2 + 2.8 ** 2 - 3.3 * 2.8) / 12)
    _, v_zero = effect_sizes.prepost_mean_difference(12.2, 3.3, 3.2, 2.8, 12, r=0.0)
    _, v_high = effect_sizes.prepost_mean_difference(12.2, 3.3, 3.2, 2.8, 12, r=0.9)
    assert v_high < v_half < v_zero
    g5, vg5 = effect_sizes.prepost_smd(12.2, 3.3, 3.2, 2.8, 12, r=0.5)
    g9, vg9 = effect_sizes.prepost_smd(12.2, 3.3, 3.2, 2.8, 12, r=0.9)
    assert g5 == g9 < 0 and vg9 < vg5


@pytest.mark.parametrize("counts", [(9, 12, 5, 6), (0, 2, 3, 3), (0, 10, 0, 10), (7, 7, 1, 9),
                                    (24, 40, 13, 40)])
def test_risk_difference_ci_matches_statsmodels_newcombe(counts):
    from statsmodels.stats.proportion import confint_proportions_2indep

    d, low, high = effect_sizes.risk_difference_ci(*counts)
    ref = confint_proportions_2indep(*counts, method="newcomb", compare="diff")
    assert d == pytest.approx(counts[0] / counts[1] - counts[2] / counts[3])
    assert (low, high) == pytest.approx(tuple(float(x) for x in ref), abs=1e-10)
    assert -1 <= low <= d <= high <= 1
    # with 12 and 6 patients the score interval is wider than the Wald one on the low side
    _, var = effect_sizes.risk_difference_variance(9, 12, 5, 6)
    assert effect_sizes.risk_difference_ci(9, 12, 5, 6)[1] < -0.0833 - z_quantile(0.95) * math.sqrt(var) + 0.1


@pytest.mark.parametrize("stats_in", [(-8, 4, 12, -5, 8, 6), (-2.1, 1.8, 12, -1.4, 1.1, 6),
                                      (10.0, 2.0, 30, 9.0, 5.0, 5)])
def test_welch_interval_matches_scipy(stats_in):
    res = effect_sizes.welch_mean_difference_ci(*stats_in)
    m1, s1, n1, m2, s2, n2 = stats_in
    t, p = stats.ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=False)
    assert res["estimate"] / res["se"] == pytest.approx(t, rel=1e-10)
    # each limit is where the two-sided Welch test of "difference = limit" gives P = 0.05
    for limit in (res["ci_low"], res["ci_high"]):
        _, p_limit = stats.ttest_ind_from_stats(m1 - limit, s1, n1, m2, s2, n2, equal_var=False)
        assert p_limit == pytest.approx(0.05, abs=1e-8)
    z_half = z_quantile(0.95) * res["se"]
    assert res["ci_high"] - res["ci_low"] > 2 * z_half  # wider than the z interval


def test_t_interval_reduces_to_z_for_large_df():
    low, high = effect_sizes.t_interval(1.0, 0.5, 1e7)
    assert (low, high) == pytest.approx((1 - 1.959964 * 0.5, 1 + 1.959964 * 0.5), abs=1e-5)
    low3, high3 = effect_sizes.t_interval(1.0, 0.5, 3)
    assert high3 - 1 == pytest.approx(stats.t.ppf(0.975, 3) * 0.5)
