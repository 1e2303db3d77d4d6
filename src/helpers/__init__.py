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
    # studies (notebooks 05, 06): curated MSC-in-SLE data
    "study": "studies", "verified_studies": "studies", "study_label": "studies",
    "overlap_groups": "studies", "overlap_group_of": "studies",
    "registered_trials": "studies", "meta_analyses": "studies",
    "published_pooled": "studies", "response_table": "studies",
    "sledai_changes": "studies", "overview_table": "studies",
    # meta (notebooks 05, 06): effect sizes, pooling, forest and funnel plots
    "random_effects": "meta", "pool_proportions": "meta", "apply_overlap_rule": "meta",
    "logit_proportion": "meta", "proportion_ci": "meta", "expit": "meta",
    "mean_difference": "meta", "standardized_mean_difference": "meta",
    "prepost_mean_difference": "meta", "prepost_smd": "meta",
    "risk_difference": "meta", "log_risk_ratio": "meta", "leave_one_out": "meta",
    "subgroup_analysis": "meta", "egger_test": "meta", "plot_forest": "meta",
    "plot_funnel": "meta",
    # design (notebooks 06, 08): regression to the mean, power and sample size
    "simulate_regression_to_mean": "design", "expected_regression_to_mean": "design",
    "plot_regression_to_mean": "design", "power_two_proportions": "design",
    "sample_size_two_proportions": "design", "power_curve": "design",
    "plot_power": "design",
    # safety (notebook 07): pooled trial risks, lupus study harms, risk grades, red flags
    "safety_table": "safety", "pooled_risks": "safety", "risk_grades": "safety",
    "death_attribution": "safety", "red_flags": "safety", "report_status": "safety",
    "plot_adverse_events": "safety", "plot_pooled_risks": "safety",
    # standardisation (notebook 07): heterogeneity of MSC products and outcome definitions
    "heterogeneity_table": "standardisation", "reporting_completeness": "standardisation",
    "dose_per_kg": "standardisation", "plot_reporting_completeness": "standardisation",
    # regulation (notebook 07): regulatory routes and direct-to-consumer clinics
    "clinic_growth": "regulation", "growth_factor": "regulation",
    "regulatory_routes": "regulation", "plot_clinic_growth": "regulation",
    # costs (notebook 07): toy cost model with declared assumptions
    "cost_per_patient": "costs", "cost_assumptions": "costs", "cost_sensitivity": "costs",
    "list_price_anchor": "costs", "plot_cost_breakdown": "costs",
    "plot_cost_sensitivity": "costs",
    # stratify (notebook 08): biomarker-stratified response simulation
    "diluted_effect": "stratify", "enrichment_plan": "stratify",
    "simulate_trial": "stratify", "plot_enrichment": "stratify",
    "plot_simulated_trial": "stratify",
    # outlook (notebook 08): long-term data, new approaches, CAR-T context, trials
    "long_term_table": "outlook", "relapse_free_curve": "outlook",
    "msc_patients_treated": "outlook", "cart_vs_msc": "outlook", "approaches": "outlook",
    "trial_timeline": "outlook", "plot_long_term": "outlook",
    "plot_trial_timeline": "outlook",
    # audit (notebook 08): the seed article's claims and the series' verdicts
    "claims": "audit", "audit_table": "audit", "verdict_counts": "audit",
    "plot_verdicts": "audit", "PLANNED_NOTEBOOKS": "audit",
    # tables (notebooks 07, 08): Markdown tables that render on GitHub
    "markdown_table": "tables",
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
