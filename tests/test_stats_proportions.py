"""helpers.stats.proportions: Wilson and exact intervals, the logit scale, counts."""
import math

import numpy as np
import pytest

import helpers.studies as studies
from helpers.stats import proportions
from helpers.stats.pooling import pool_proportions
from helpers.stats.proportions import counts_from_percent, wilson_interval


def test_wilson_interval_known_answer():
    # Newcombe 1998 example: 81/263 -> 0.2553 to 0.3662 (Wilson score interval)
    low, high = wilson_interval(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    assert wilson_interval(0, 10)[0] == pytest.approx(0, abs=1e-12)
    assert wilson_interval(10, 10)[1] == pytest.approx(1)
    assert wilson_interval(np.int64(3), np.int64(10)) == wilson_interval(3, 10)  # numpy counts
    assert wilson_interval(3.0, 10) == wilson_interval(3, 10)  # whole-valued floats are counts
    wide, narrow = wilson_interval(3, 10, level=0.99), wilson_interval(3, 10, level=0.9)
    assert wide[0] < narrow[0] < narrow[1] < wide[1]


def test_logit_proportion_and_back_transform():
    y, v = proportions.logit_proportion(24, 40)
    assert y == pytest.approx(math.log(24 / 16)) and v == pytest.approx(1 / 24 + 1 / 16)
    y0, v0 = proportions.logit_proportion(0, 2)  # continuity correction only when a cell is 0
    assert y0 == pytest.approx(math.log(0.5 / 2.5)) and v0 == pytest.approx(1 / 0.5 + 1 / 2.5)
    assert proportions.expit(y) == pytest.approx(0.6)
    res, back = pool_proportions([24, 5], [40, 6])
    assert back["proportion"] == pytest.approx(proportions.expit(res.estimate))
    assert math.isnan(back["pi_low"])


def test_exact_ci_reproduces_the_published_kamen_interval():
    row = studies.study("kamen2022")["responders"]
    _, low, high = proportions.proportion_ci(row["overall_n"], row["denominator"])
    # "83.3% (95% CI 35.9% to 99.6%)" in the Kamen 2022 abstract
    assert f"{100 * low:.1f}%" in row["percent_and_ci"]
    assert f"{100 * high:.1f}%" in row["percent_and_ci"]
    assert proportions.proportion_ci(0, 2)[1] == 0.0 and proportions.proportion_ci(3, 3)[2] == 1.0


def test_exact_interval_matches_scipy_at_other_levels():
    from scipy.stats import binomtest

    for events, n, level in [(5, 6, 0.9), (0, 7, 0.99), (12, 40, 0.8)]:
        ref = binomtest(events, n).proportion_ci(confidence_level=level, method="exact")
        _, low, high = proportions.proportion_ci(events, n, level=level)
        assert (low, high) == pytest.approx((ref.low, ref.high), abs=1e-10)


def test_expit_on_numbers_and_arrays():
    assert proportions.expit(0) == 0.5 and proportions.expit(np.float64(0.0)) == 0.5
    assert proportions.expit(-800.0) == 0.0 and proportions.expit(800.0) == 1.0
    assert np.allclose(proportions.expit([0.0, math.log(3)]), [0.5, 0.75])
    for bad in (math.nan, math.inf, None, "0", [0.0, math.nan]):
        with pytest.raises(ValueError, match="x"):
            proportions.expit(bad)


def test_counts_from_percent():
    assert counts_from_percent(57.6, 290) == 167
    assert counts_from_percent(0, 10) == 0 and counts_from_percent(100, 10) == 10
    assert counts_from_percent(np.float64(50.0), np.int64(10)) == 5
