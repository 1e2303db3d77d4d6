"""Every public function of helpers.stats under hostile arguments.

For each function a valid call is given; one argument at a time is replaced by a hostile
value (wrong type, None, NaN, ±inf, huge and negative numbers, empty, ragged and nested
sequences, unicode). The call must either succeed with a finite result or raise
``ValueError``/``TypeError`` whose message names that argument: never another exception
type, never a NaN or infinity where the documentation promises a number.
"""
import dataclasses
import inspect
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.stats import (distributions, effect_sizes, plots, pooling, power, proportions,
                           sensitivity)

Y3, V3 = [0.1, 0.5, 0.9], [0.04, 0.09, 0.05]
RESULT = pooling.random_effects(Y3, V3)
RD = effect_sizes.risk_difference(6, 10, 3, 10)

#: function -> a valid set of keyword arguments
VALID = {
    proportions.wilson_interval: dict(events=3, n=10, level=0.95),
    proportions.proportion_ci: dict(events=3, n=10, level=0.95),
    proportions.logit_proportion: dict(events=3, n=10, correction=0.5),
    proportions.expit: dict(x=0.3),
    proportions.counts_from_percent: dict(percent=40.0, n=10),
    proportions.wilson_limits: None,  # arithmetic for already-checked counts (internal use)
    effect_sizes.newcombe_limits: None,  # likewise
    effect_sizes.risk_difference: dict(events_active=6, n_active=10, events_control=3,
                                       n_control=10, level=0.95, method="newcombe"),
    effect_sizes.risk_difference_ci: dict(events1=6, n1=10, events2=3, n2=10, level=0.95),
    effect_sizes.risk_difference_variance: dict(events1=6, n1=10, events2=3, n2=10),
    effect_sizes.log_risk_ratio: dict(events1=6, n1=10, events2=3, n2=10, correction=0.5),
    effect_sizes.nnt_from_difference: dict(rd=RD),
    effect_sizes.number_needed_to_treat: dict(events_active=6, n_active=10, events_control=3,
                                              n_control=10, level=0.95),
    effect_sizes.mean_difference: dict(mean1=1.0, sd1=1.0, n1=10, mean2=0.0, sd2=2.0, n2=12),
    effect_sizes.standardized_mean_difference: dict(mean1=1.0, sd1=1.0, n1=10, mean2=0.0,
                                                    sd2=2.0, n2=12),
    effect_sizes.prepost_mean_difference: dict(mean_pre=10.0, sd_pre=3.0, mean_post=6.0,
                                               sd_post=2.5, n=12, r=0.5),
    effect_sizes.prepost_smd: dict(mean_pre=10.0, sd_pre=3.0, mean_post=6.0, sd_post=2.5,
                                   n=12, r=0.5),
    effect_sizes.t_interval: dict(estimate=1.0, se=0.5, df=7, level=0.95),
    effect_sizes.welch_mean_difference_ci: dict(mean1=1.0, sd1=1.0, n1=10, mean2=0.0,
                                                sd2=2.0, n2=12, level=0.95),
    pooling.random_effects: dict(effects=Y3, variances=V3, method="REML", level=0.95,
                                 ci="hksj", labels=["a", "b", "c"], groups=["g", None, "h"],
                                 keep=None),
    pooling.pool_proportions: dict(events=[3, 5, 9], ns=[10, 12, 11], method="DL",
                                   correction=0.5, level=0.95, ci="wald", labels=None,
                                   groups=None, keep=None),
    pooling.prediction_interval: dict(estimate=0.4, se=0.2, tau2=0.1, k=5, level=0.95),
    pooling.i2_interval: dict(q=12.0, k=6, level=0.95),
    pooling.apply_overlap_rule: dict(labels=["a", "b", "c"], groups=["g", "g", None],
                                     keep=["a"]),
    sensitivity.leave_one_out: dict(effects=Y3, variances=V3, labels=["a", "b", "c"],
                                    method="PM", transform=None, level=0.95, ci="wald"),
    sensitivity.subgroup_analysis: dict(effects=Y3 * 2, variances=V3 * 2,
                                        subgroups=list("xxxyyy"), method="DL", level=0.95,
                                        ci="wald"),
    sensitivity.egger_test: dict(effects=Y3 + [0.3], variances=V3 + [0.2]),
    power.power_two_proportions: dict(p_control=0.3, p_treatment=0.5, n_per_arm=40,
                                      alpha=0.05, ratio=1.0, method="pooled"),
    power.power_fisher_exact: dict(p_control=0.3, p_treatment=0.5, n_control=8,
                                   n_treatment=8, alpha=0.05),
    power.sample_size_two_proportions: dict(p_control=0.3, p_treatment=0.5, power=0.8,
                                            alpha=0.05, ratio=1.0, method="arcsine"),
    power.power_curve: dict(p_control=0.3, p_treatment=0.5, n_values=[10, 20], alpha=0.05),
    distributions.z_quantile: dict(level=0.95),
    distributions.t_quantile: dict(level=0.95, df=4),
    distributions.norm_cdf: dict(x=0.3),
    distributions.norm_ppf: dict(p=0.3),
    distributions.norm_logpdf: dict(x=0.3),
    distributions.norm_logsf: dict(x=0.3),
    distributions.chi2_sf: dict(x=3.0, df=2),
    distributions.t_ppf: dict(p=0.3, df=4),
    distributions.t_sf: dict(x=0.3, df=4),
    distributions.beta_ppf: dict(q=0.3, a=2.0, b=3.0),
    plots.plot_forest: dict(labels=["a", "b", "c"], effects=Y3, variances=V3, result=RESULT,
                            n=[10, 20, 30], transform=None, xlabel="effect", null_value=0.0,
                            pooled_label=None, display=None, ax=None),
    plots.plot_funnel: dict(effects=Y3, variances=V3, result=RESULT, labels=["a", "b", "c"],
                            xlabel="effect", level=0.95, ax=None),
    plots.plot_ard_explorer: dict(active_pct=55.0, control_pct=45.0, n_per_arm=200,
                                  method="wald", ax=None),
    plots.plot_power: dict(p_control=0.3, effect=0.15, n_per_arm=50, alpha=0.05, ax=None),
}

MODULES = (distributions, effect_sizes, plots, pooling, power, proportions, sensitivity)
PUBLIC = sorted({getattr(m, n) for m in MODULES for n in m.__all__
                 if inspect.isfunction(getattr(m, n))}, key=lambda f: f.__qualname__)

HOSTILE = [None, "x", "", "é∂", b"1", math.nan, math.inf, -math.inf, 1e308, -1e308, -1,
           -1.5, 0, 10 ** 30, True, 1 + 2j, [], [1.0, [2.0]], [[1.0, 2.0], [3.0, 4.0]],
           [math.nan, 1.0, 2.0], {"a": 1}, {1, 2}, object(), np.array([]), np.float64("nan")]

#: result fields that are NaN by documented design (undefined prediction interval …), or
#: that echo the caller's labels
NAN_OK = {"pi_low", "pi_high", "i2", "i2_low", "i2_high", "p", "omitted"}



def test_every_public_function_has_a_valid_call():
    assert set(PUBLIC) == set(VALID), set(PUBLIC) ^ set(VALID)


def _finite(value, where="result"):
    """Assert no NaN/inf in a result (numbers, tuples, dicts, dataclasses, arrays, frames)."""
    import pandas as pd

    if isinstance(value, plt.Figure):
        plt.close(value)
        return
    if isinstance(value, (bool, str)) or value is None:
        return
    if isinstance(value, (int, float, np.number)):
        assert math.isfinite(value), where
    elif isinstance(value, np.ndarray):
        assert np.all(np.isfinite(value)), where
    elif isinstance(value, pd.DataFrame):
        cols = [c for c in value.columns if c not in NAN_OK and value[c].dtype.kind == "f"]
        assert np.all(np.isfinite(value[cols].to_numpy())), where
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            if f.name not in NAN_OK | {"value", "nntb_limit", "nnth_limit"}:
                _finite(getattr(value, f.name), f"{where}.{f.name}")
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in NAN_OK:
                _finite(v, f"{where}[{k!r}]")
    elif isinstance(value, (tuple, list)):
        for i, v in enumerate(value):
            _finite(v, f"{where}[{i}]")


def _call(fn, name, bad):
    kwargs = dict(VALID[fn])
    kwargs[name] = bad
    try:
        out = fn(**kwargs)
    except (ValueError, TypeError) as exc:
        assert name in str(exc) or (name == "ci" and "hksj" in str(exc)), \
            f"{fn.__name__}({name}={bad!r}) raised {exc!r}, which does not name {name}"
        return
    finally:
        plt.close("all")
    _finite(out, f"{fn.__name__}({name}={bad!r})")


CASES = [(fn, name) for fn, kwargs in VALID.items() if kwargs for name in kwargs]


@pytest.mark.parametrize("fn, name", CASES, ids=[f"{f.__name__}-{n}" for f, n in CASES])
def test_hostile_values_raise_a_named_error_or_give_finite_results(fn, name):
    _call(fn, name, VALID[fn][name])  # the valid call itself is finite
    for bad in HOSTILE:
        _call(fn, name, bad)


NON_PLOT = [(fn, name) for fn, name in CASES if fn.__module__ != plots.__name__]


@settings(max_examples=300, deadline=None)
@given(case=st.sampled_from(NON_PLOT), bad=st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-10 ** 40, 10 ** 40),
    st.text(max_size=5), st.none(), st.booleans(),
    st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=6),
    st.lists(st.integers(-5, 30), max_size=6),
    st.lists(st.one_of(st.none(), st.text(max_size=3), st.floats()), max_size=4)))
def test_property_hostile_values(case, bad):
    fn, name = case
    _call(fn, name, bad)


@settings(max_examples=150, deadline=None)
@given(data=st.lists(st.tuples(st.floats(-1e6, 1e6), st.floats(1e-8, 1e6)), min_size=1,
                     max_size=10), method=st.sampled_from(pooling.METHODS),
       ci=st.sampled_from(pooling.CI_METHODS))
def test_extreme_but_valid_pooling_input_is_finite_or_refused(data, method, ci):
    y, v = (list(t) for t in zip(*data))
    try:
        res = pooling.random_effects(y, v, method, ci=ci)
    except ValueError as exc:
        assert "effects" in str(exc) or "hksj" in str(exc)
        return
    _finite(res)
    _finite(res.heterogeneity())
