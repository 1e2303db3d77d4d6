"""Compatibility module: the names of the former ``helpers.stats.effects``.

Defined in :mod:`helpers.stats.proportions`, :mod:`helpers.stats.effect_sizes` and
:mod:`helpers.stats.plots`; re-exported here so ``from helpers.stats.effects import ...``
keeps working. New code should import from those modules.
"""
from __future__ import annotations

from helpers.stats.effect_sizes import (NNT, RiskDifference, newcombe_limits,
                                        nnt_from_difference, number_needed_to_treat,
                                        risk_difference)
from helpers.stats.plots import plot_ard_explorer
from helpers.stats.proportions import counts_from_percent, wilson_interval

__all__ = ["RiskDifference", "NNT", "wilson_interval", "newcombe_limits", "risk_difference",
           "nnt_from_difference", "number_needed_to_treat", "counts_from_percent",
           "plot_ard_explorer"]
