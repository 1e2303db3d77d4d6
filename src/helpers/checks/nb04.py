"""Checks for the exercises of notebook 04 (MSC immunomodulation)."""
from __future__ import annotations

from . import close, exercise


@exercise("4.1")
def fitted_ic50(answer) -> str:
    """The fitted IC50 (MSCs per T cell) of the exercise data set."""
    from ..assay import example_assay, fit_four_pl, ratio_label

    data = example_assay()
    fit = fit_four_pl(data["ratio"], data["proliferation"])
    true = data["true"]["ic50"]
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
def alive_at_72_h(answer) -> str:
    """Fraction of infused cells still alive at 72 h in the default compartment model."""
    from ..kinetics import alive_fraction, simulate_persistence

    res = simulate_persistence()
    target = alive_fraction(res, 72.0)
    if close(answer, target, rel=0.02, abs_tol=0.002):
        return (f"correct — about {target:.2f} of the dose ({100 * target:.0f}%) is still "
                "alive at 72 h in this simplified model, nearly all of it in the lung.")
    if close(answer, 100 * target, rel=0.02):
        return "not quite — give a fraction between 0 and 1, not a percentage."
    import numpy as np

    lung = float(np.interp(72.0, res["t"], res["lung"]))
    if close(answer, lung, rel=0.02, abs_tol=0.002):
        return ("not quite — that counts only the lung; add the cells in blood and other "
                "tissues (alive_fraction does this).")
    if close(answer, 1 - target, rel=0.02):
        return "not quite — that is the fraction already cleared; the question asks for alive."
    return "not quite — run alive_fraction(simulate_persistence(), 72)."
