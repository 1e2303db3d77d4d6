"""Compatibility module: the meta-analysis names of the former ``helpers.stats.meta``.

Everything is defined in the statistics core and only re-exported here, so code written
against the old module (``import helpers.stats.meta as meta``) keeps working:
:mod:`helpers.stats.pooling` (pooling, heterogeneity, overlap rule),
:mod:`helpers.stats.proportions`, :mod:`helpers.stats.effect_sizes`,
:mod:`helpers.stats.sensitivity` and :mod:`helpers.stats.plots`. New code should import
from those modules.
"""
from __future__ import annotations

from helpers.stats.effect_sizes import (log_risk_ratio, mean_difference, prepost_mean_difference,
                                        prepost_smd, risk_difference_ci,
                                        risk_difference_variance,
                                        standardized_mean_difference, t_interval,
                                        welch_mean_difference_ci)
from helpers.stats.plots import plot_forest, plot_funnel
from helpers.stats.pooling import (CI_METHODS, METHODS, MetaResult, apply_overlap_rule,
                                   i2_interval, pool_proportions, prediction_interval,
                                   random_effects)
from helpers.stats.proportions import expit, logit_proportion, proportion_ci
from helpers.stats.sensitivity import egger_test, leave_one_out, subgroup_analysis

__all__ = [
    "METHODS", "CI_METHODS", "MetaResult", "random_effects", "apply_overlap_rule",
    "logit_proportion", "expit", "proportion_ci", "pool_proportions", "prediction_interval",
    "mean_difference", "standardized_mean_difference", "prepost_mean_difference",
    "prepost_smd", "risk_difference_variance", "log_risk_ratio", "risk_difference_ci",
    "welch_mean_difference_ci", "t_interval", "i2_interval", "leave_one_out",
    "subgroup_analysis", "egger_test", "plot_forest", "plot_funnel",
]
