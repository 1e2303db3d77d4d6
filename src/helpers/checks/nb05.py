"""Checks for the exercises of notebook 05 (what the MSC trials in lupus show)."""
from __future__ import annotations

import math

import helpers.stats.proportions as proportions
from helpers.stats.distributions import z_quantile

import helpers.studies as studies

import helpers.trial_evidence as trial_evidence
from . import close, exercise


def _triple(answer):
    if not isinstance(answer, (tuple, list)) or len(answer) != 3:
        return None
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in answer):
        return None
    return tuple(float(x) for x in answer)


@exercise("5.1")
def wang2014_response(answer) -> str:
    """Response proportion of Wang 2014 with its exact 95% CI, as (p, low, high)."""
    row = studies.study("wang2014")["responders"]
    events, n = row["MCR_n"] + row["PCR_n"], row["denominator"]
    target = proportions.proportion_ci(events, n)
    got = _triple(answer)
    if got is None:
        return "not quite — give three numbers: (proportion, lower limit, upper limit)."
    if all(close(g, t, abs_tol=0.005) for g, t in zip(got, target)):
        return (f"correct — {events}/{n} = {target[0]:.3f}, exact 95% CI "
                f"{target[1]:.3f} to {target[2]:.3f}; with 40 patients the interval is wide.")
    if close(got[0], 100 * target[0], rel=0.01):
        return "not quite — use fractions (0 to 1), not percentages."
    mcr = proportions.proportion_ci(row["MCR_n"], n)
    if close(got[0], mcr[0], abs_tol=0.005):
        return ("not quite — that is the major responses only; the outcome is major OR "
                "partial response (MCR_n + PCR_n).")
    if close(got[0], target[0], abs_tol=0.005):
        p = target[0]
        half = z_quantile(0.95) * math.sqrt(p * (1 - p) / n)
        wald = (p - half, p + half)
        if close(got[1], wald[0], abs_tol=0.005):
            return ("not quite — the proportion is right but that is the normal (Wald) "
                    "interval; use proportion_ci for the exact interval.")
        return "not quite — the proportion is right; check the interval (use proportion_ci)."
    return "not quite — divide the responders (major + partial) by the patients treated."


@exercise("5.2")
def pool_without_wang(answer) -> str:
    """Pooled response proportion (DL) of the default set with Wang 2014 left out."""
    ids = [i for i in trial_evidence.INDEPENDENT_UNCONTROLLED]
    _, res, back = trial_evidence.single_arm_pool(ids, keep=None, method="DL")
    _, full, full_back = trial_evidence.single_arm_pool()
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        return "not quite — give the pooled proportion as one number between 0 and 1."
    if close(answer, back["proportion"], abs_tol=0.005):
        return (f"correct — without Wang 2014 the pooled proportion is "
                f"{back['proportion']:.2f} (was {full_back['proportion']:.2f}), from "
                f"{res.k} studies with only a few patients each: the interval widens.")
    if close(answer, res.estimate, abs_tol=0.005):
        return ("not quite — that is on the logit scale; back-transform it with expit "
                "(or read the 'proportion' entry returned by pool_proportions).")
    if close(answer, full_back["proportion"], abs_tol=0.005):
        return "not quite — that is the pooled value WITH Wang 2014; leave it out."
    if close(answer, 100 * back["proportion"], rel=0.01):
        return "not quite — give a fraction between 0 and 1, not a percentage."
    return ("not quite — pool the four independent studies (Carrion, Barbado, Kamen, "
            "Ranjbar) with method='DL'.")


@exercise("5.3")
def which_report_to_keep(answer) -> str:
    """Which of wang2014 and wen2019 to keep when pooling major/partial response."""
    if isinstance(answer, (list, tuple, set)):
        return ("not quite — keep ONE report: the two share patients from the same Nanjing "
                "programme, and pooling both counts some patients twice.")
    if not isinstance(answer, str):
        return "not quite — answer with a study id as a string, e.g. 'wang2014'."
    choice = answer.strip().lower()
    if choice == "wang2014":
        return ("correct — Wang 2014 is prospective, counts every treated patient and uses a "
                "predefined major/partial response; Wen 2019 is a retrospective selection "
                "(patients with enough follow-up) with a different outcome (low disease "
                "activity).")
    if choice == "wen2019":
        return ("not quite — Wen 2019 is larger, but it is a retrospective selection from the "
                "database with a different outcome; size does not fix selection.")
    if choice in ("both", "wang2014 and wen2019"):
        return "not quite — both would double-count patients from the same programme."
    return "not quite — choose between 'wang2014' and 'wen2019'."
