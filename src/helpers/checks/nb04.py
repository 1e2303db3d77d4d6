"""Checks for the exercises of notebook 04 (MSC immunomodulation)."""
from __future__ import annotations

import re

from . import close, exercise

_RATIO_TEXT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[:/]\s*(\d+(?:\.\d+)?)\s*$")


def _ratio_from_text(text: str) -> float | None:
    """``'1:45'`` or ``'1/45'`` -> 1/45 (MSCs per T cell); None if it is not a ratio."""
    match = _RATIO_TEXT.match(text)
    if match is None or float(match.group(2)) == 0:
        return None
    return float(match.group(1)) / float(match.group(2))


@exercise("4.1")
def fitted_ic50(answer) -> str:
    """The fitted IC50 (MSCs per T cell) of the exercise data set."""
    from helpers.assay import example_assay, fit_four_pl, ratio_label

    data = example_assay()
    fit = fit_four_pl(data["ratio"], data["proliferation"])
    true = data["true"]["ic50"]
    if isinstance(answer, str):
        value = _ratio_from_text(answer)
        if value is not None and close(value, fit.ic50, rel=0.05):
            return (f"not quite — {answer.strip()!r} is the right ratio written as text; store "
                    "the number itself (fit.ic50, MSCs per T cell), e.g. "
                    "answer = fit_ex.ic50.")
        return ("not quite — give a number, not text: the fitted IC50 in MSCs per T cell "
                "(fit.ic50; ratio_label turns it into a label such as '1:45' for printing).")
    if close(answer, fit.ic50, rel=0.01):
        low, high = fit.ic50_ci
        return (f"correct — IC50 ≈ {fit.ic50:.4f} MSCs per T cell ({ratio_label(fit.ic50)}), "
                f"95% CI {ratio_label(high)} to {ratio_label(low)}: half-maximal suppression "
                "needs about one MSC for every "
                f"{1 / fit.ic50:.0f} T cells in this simulated dish.")
    if close(answer, 1 / fit.ic50, rel=0.01):
        return ("not quite — that is T cells per MSC; the fit reports the ratio as MSCs per "
                "T cell (fit.ic50).")
    if close(answer, fit.ic50 * 100, rel=0.01):
        return "not quite — give the ratio itself (fit.ic50), not a percentage."
    if close(answer, true, rel=0.001):
        return ("not quite — that is the true value used to simulate the data; the exercise "
                "asks for the value estimated by the fit.")
    if any(close(answer, b, rel=0.01) for b in fit.ic50_ci):
        return "not quite — that is one end of the confidence interval; give the estimate."
    return "not quite — fit the data with fit_four_pl and read the .ic50 attribute."


@exercise("4.2")
def detectable_at_72_h(answer) -> str:
    """Fraction of the dose still detectable (not cleared) at 72 h in the default model."""
    from helpers.kinetics import alive_fraction, simulate_persistence

    res = simulate_persistence()
    target = alive_fraction(res, 72.0)
    if isinstance(answer, str):
        return ("not quite — give a number between 0 and 1, not text: "
                "alive_fraction(result, 72).")
    # accept anything that agrees with the value to the 2 decimals printed below
    if close(answer, target, rel=0.0, abs_tol=0.005):
        return (f"correct — about {target:.2f} of the dose ({100 * target:.0f}%) is still "
                "detectable at 72 h in this model, nearly all of it in the lung. The "
                "half-life behind it was measured as human DNA, so this is an upper bound "
                "on living cells.")
    if close(answer, 100 * target, rel=0.02):
        return "not quite — give a fraction between 0 and 1, not a percentage."
    if close(answer, 1 - target, rel=0.0, abs_tol=0.005):
        return ("not quite — that is the fraction already cleared; the question asks what "
                "is still there.")
    if close(answer, 0.0, rel=0.0, abs_tol=1e-9):
        return ("not quite — 0 is close to what viability cultures found in mice, but the "
                "question asks what this model says: run alive_fraction(result, 72).")
    if close(answer, alive_fraction(res, 24.0), rel=0.0, abs_tol=0.005):
        return "not quite — that is the value at 24 h; the question asks for 72 h."
    return ("not quite — result holds the fraction of the dose in each compartment over "
            "time; alive_fraction(result, 72) adds blood, lung and other tissues at 72 h.")
