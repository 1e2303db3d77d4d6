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
    "setup": "core.style", "show": "core.style", "OKABE_ITO": "core.style", "COLORS": "core.style",
    "MARKERS": "core.style", "LINESTYLES": "core.style", "plot_palette": "core.style",
    # parameters and widgets
    "Range": "core.params", "Choice": "core.params", "Flag": "core.params", "ranged": "core.params",
    "param_ranges": "core.params", "defaults": "core.params",
    "interactive_demo": "core.widgets",
    # exercises
    "check_exercise": "checks", "feedback": "checks",
    # data, citations, glossary
    "fact": "core.data", "fact_number": "core.data", "fact_citation": "core.data", "facts": "core.data",
    "provenance": "core.data",
    "cite": "core.references", "show_references": "core.references", "reference": "core.references",
    "define": "core.glossary",
    # notebook 00
    "environment_report": "core.environment",
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
    # effects, trials (notebook 02): proportions, effect sizes and the ARD explorer
    "risk_difference": "stats.effect_sizes", "nnt_from_difference": "stats.effect_sizes",
    "number_needed_to_treat": "stats.effect_sizes", "counts_from_percent": "stats.proportions",
    "wilson_interval": "stats.proportions", "plot_ard_explorer": "stats.plots",
    "trial_effects": "trials", "excluded_trials": "trials", "plot_trial_effects": "trials",
    "seed_claims": "trials", "gc_damage_hazard_ratios": "trials",
    "plot_gc_hazard_ratios": "trials",
    # notebook 03: MSC identity (helpers.msc)
    "check_isct_criteria": "msc", "isct_criteria": "msc", "valid_markers": "msc",
    "example_panels": "msc", "panels_markdown": "msc", "plot_isct_panel": "msc",
    "cell_sources": "msc",
    # notebook 04: MSC immunomodulation (assay, kinetics, tcell_balance, mechanism_data)
    "four_pl": "assay", "simulate_suppression_assay": "assay", "fit_four_pl": "assay",
    "ratio_label": "assay", "plot_suppression_assay": "assay", "example_assay": "assay",
    "simulate_persistence": "kinetics", "alive_fraction": "kinetics",
    "plot_persistence": "kinetics", "default_lung_half_life_h": "kinetics",
    "simulate_balance": "tcell_balance", "plot_balance": "tcell_balance",
    "baseline_state": "tcell_balance",
    "mechanisms": "mechanism_data", "mechanism_table_markdown": "mechanism_data",
    "plot_mechanism_diagram": "mechanism_data",
    # studies (notebooks 05, 06): curated MSC-in-SLE data
    "study": "studies", "verified_studies": "studies", "study_label": "studies",
    "overlap_groups": "studies", "overlap_group_of": "studies",
    "registered_trials": "studies", "meta_analyses": "studies",
    "published_pooled": "studies", "response_table": "studies",
    "sledai_changes": "studies", "overview_table": "studies",
    # statistics core (notebooks 05, 06, 08): effect sizes, pooling, sensitivity, power, plots
    "random_effects": "stats.pooling", "pool_proportions": "stats.pooling",
    "apply_overlap_rule": "stats.pooling", "prediction_interval": "stats.pooling",
    "logit_proportion": "stats.proportions", "proportion_ci": "stats.proportions",
    "expit": "stats.proportions",
    "mean_difference": "stats.effect_sizes", "standardized_mean_difference": "stats.effect_sizes",
    "prepost_mean_difference": "stats.effect_sizes", "prepost_smd": "stats.effect_sizes",
    "risk_difference_variance": "stats.effect_sizes", "log_risk_ratio": "stats.effect_sizes",
    "leave_one_out": "stats.sensitivity", "subgroup_analysis": "stats.sensitivity",
    "egger_test": "stats.sensitivity", "plot_forest": "stats.plots", "plot_funnel": "stats.plots",
    "power_two_proportions": "stats.power", "sample_size_two_proportions": "stats.power",
    "power_curve": "stats.power", "plot_power": "stats.plots",
    # design (notebooks 06, 08): regression to the mean
    "simulate_regression_to_mean": "design", "expected_regression_to_mean": "design",
    "plot_regression_to_mean": "design",
    # trial_evidence (notebook 05)
    "single_arm_pool": "trial_evidence", "plot_single_arm_forest": "trial_evidence",
    "plot_pooled_response": "trial_evidence", "plot_timeline": "trial_evidence",
    "rct_results": "trial_evidence", "sledai_results": "trial_evidence",
    "proteinuria_results": "trial_evidence", "comparison_table": "trial_evidence",
    "leave_one_out_response": "trial_evidence", "markdown_table": "core.tables",
    "response_by_design": "trial_evidence",
    # critical_reading (notebook 06)
    "placebo_responses": "critical_reading", "plot_placebo_responses": "critical_reading",
    "msc_trial_scenarios": "critical_reading", "egger_detection_rate": "critical_reading",
    "plot_egger_power": "critical_reading", "plot_msc_funnel": "critical_reading",
    "msc_funnel_egger": "critical_reading",
    "risk_of_bias": "critical_reading",
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
    "msc_patients_treated": "outlook", "cart_vs_msc": "outlook", "biomarker_studies": "outlook",
    "cart_cohorts": "outlook", "approaches": "outlook",
    "trial_timeline": "outlook", "plot_long_term": "outlook",
    "plot_trial_timeline": "outlook",
    # audit (notebook 08): the seed article's claims and the series' verdicts
    "claims": "audit", "audit_table": "audit", "verdict_counts": "audit",
    "plot_verdicts": "audit", "PLANNED_NOTEBOOKS": "audit",
    # tables (notebooks 07, 08): Markdown tables that render on GitHub, and their display
    # layer (headers in words, names for keys, doses as 1 × 10⁶ cells/kg)
    "markdown_table_text": "core.tables", "display_text": "core.tables",
    "format_dose": "core.tables",
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
