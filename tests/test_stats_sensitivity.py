"""helpers.stats.sensitivity: leave-one-out, subgroups and Egger's test."""
import math

import numpy as np
import pytest
from statsmodels.regression.linear_model import OLS

from helpers.stats import pooling, sensitivity

KACKER_Y = [61.0, 61.4, 62.21, 62.3, 62.34, 62.6, 62.7, 62.84, 65.9]
KACKER_V = [0.2025, 1.2100, 0.0900, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225]


def test_leave_one_out_and_subgroups():
    loo = sensitivity.leave_one_out(KACKER_Y, KACKER_V, list("abcdefghi"), "DL")
    assert list(loo["omitted"]) == list("abcdefghi") and (loo["k"] == 8).all()
    full = pooling.random_effects(KACKER_Y, KACKER_V)
    last = loo.set_index("omitted").loc["i"]
    assert last["tau2"] < full.tau2  # the outlying laboratory drives the heterogeneity
    groups, q_between, p = sensitivity.subgroup_analysis(KACKER_Y, KACKER_V, ["x"] * 4 + ["y"] * 5)
    assert set(groups) == {"x", "y"} and q_between >= 0 and 0 <= p <= 1
    one, qb, pb = sensitivity.subgroup_analysis(KACKER_Y, KACKER_V, ["x"] * 9)
    assert math.isnan(qb) and math.isnan(pb)
    egger = sensitivity.egger_test(KACKER_Y, KACKER_V)
    assert egger["k"] == 9 and 0 <= egger["p"] <= 1


def test_egger_matches_ordinary_least_squares():
    y = np.array([0.9, 0.3, 1.4, 0.2, 0.6, 1.1])
    v = np.array([0.30, 0.05, 0.50, 0.02, 0.10, 0.25])
    se = np.sqrt(v)
    fit = OLS(y / se, np.column_stack([np.ones(6), 1 / se])).fit()
    res = sensitivity.egger_test(y, v)
    assert res["intercept"] == pytest.approx(fit.params[0], abs=1e-10)
    assert res["se"] == pytest.approx(fit.bse[0], abs=1e-10)
    assert res["p"] == pytest.approx(fit.pvalues[0], abs=1e-10)


def test_egger_refuses_equal_variances_and_too_few_studies():
    with pytest.raises(ValueError, match="variances must differ"):
        sensitivity.egger_test([0.1, 0.2, 0.4], [0.1, 0.1, 0.1])
    with pytest.raises(ValueError, match="effects must have at least 3"):
        sensitivity.egger_test([0.1, 0.2], [0.1, 0.2])


def test_leave_one_out_passes_method_and_interval_on():
    loo = sensitivity.leave_one_out(KACKER_Y, KACKER_V, list("abcdefghi"), "REML", ci="hksj")
    full = pooling.random_effects(KACKER_Y[1:], KACKER_V[1:], "REML", ci="hksj")
    first = loo.iloc[0]
    assert (first["estimate"], first["ci_low"], first["tau2"]) == pytest.approx(
        (full.estimate, full.ci_low, full.tau2))
