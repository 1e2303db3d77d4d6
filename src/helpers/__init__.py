"""helpers: the code, data and checks behind the Lupus & MSC teaching notebooks.

Notebooks import what they need in one line, e.g.::

    from helpers import setup, show, interactive_demo, check_exercise

Public names are loaded lazily (on first use), so ``import helpers`` stays fast; heavy
libraries (matplotlib, scipy, pandas, statsmodels) are imported only by the functions that
need them.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: public name -> module that defines it
_EXPORTS = {
    # style
    "setup": "style", "show": "style", "OKABE_ITO": "style", "COLORS": "style",
    "MARKERS": "style", "LINESTYLES": "style", "plot_palette": "style",
    # parameters and widgets
    "Range": "params", "Choice": "params", "Flag": "params", "ranged": "params",
    "param_ranges": "params", "defaults": "params",
    "interactive_demo": "widgets",
    # exercises
    "check_exercise": "checks", "feedback": "checks",
    # data, citations, glossary
    "fact": "data", "fact_number": "data", "fact_citation": "data", "facts": "data",
    "provenance": "data",
    "cite": "references", "show_references": "references", "reference": "references",
    "define": "glossary",
    # notebook 00
    "environment_report": "environment",
    "expected_cases": "epidemiology", "prevalence_by_sex": "epidemiology",
    "plot_expected_cases": "epidemiology",
    # scores, score_views, pathogenesis (notebook 01)
    "sledai_2k": "scores", "sledai_activity_category": "scores",
    "sledai_activity_bands": "scores", "sledai_descriptors": "scores",
    "sledai_weights": "scores", "sledai_by_organ": "scores",
    "sledai_change_convention": "scores", "classify_eular_acr_2019": "scores",
    "eular_acr_criteria": "scores", "eular_acr_threshold": "scores",
    "eular_acr_entry_criterion": "scores", "criteria_performance": "scores",
    "validation_cohort": "scores",
    "plot_sledai": "score_views", "plot_eular_acr": "score_views",
    "plot_criteria_performance": "score_views", "sledai_demo": "score_views",
    "eular_demo": "score_views", "sledai_summary": "score_views",
    "eular_summary": "score_views",
    "plot_pathogenesis": "pathogenesis", "pathogenesis_steps": "pathogenesis",
    "sex_specific_rates": "epidemiology", "female_share": "epidemiology",
    "plot_sex_specific_rates": "epidemiology",
    # effects, trials (notebook 02)
    "risk_difference": "effects", "nnt_from_difference": "effects",
    "number_needed_to_treat": "effects", "counts_from_percent": "effects",
    "wilson_interval": "effects", "plot_ard_explorer": "effects",
    "trial_effects": "trials", "excluded_trials": "trials", "plot_trial_effects": "trials",
    "seed_claims": "trials", "gc_damage_hazard_ratios": "trials",
    "plot_gc_hazard_ratios": "trials",
    # notebook 03: MSC identity (helpers.msc)
    "check_isct_criteria": "msc", "isct_criteria": "msc", "valid_markers": "msc",
    "example_panels": "msc", "panels_markdown": "msc", "plot_isct_panel": "msc",
    # notebook 04: MSC immunomodulation (assay, kinetics, tcell_balance, mechanisms)
    "four_pl": "assay", "simulate_suppression_assay": "assay", "fit_four_pl": "assay",
    "ratio_label": "assay", "plot_suppression_assay": "assay", "example_assay": "assay",
    "simulate_persistence": "kinetics", "alive_fraction": "kinetics",
    "plot_persistence": "kinetics", "default_lung_half_life_h": "kinetics",
    "simulate_balance": "tcell_balance", "plot_balance": "tcell_balance",
    "baseline_state": "tcell_balance",
    "mechanisms": "mechanisms", "mechanism_table_markdown": "mechanisms",
    "plot_mechanism_diagram": "mechanisms",
}
__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'helpers' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
