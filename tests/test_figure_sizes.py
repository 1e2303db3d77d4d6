"""Every plot function's default figure fits a ~900 px column: at most 9 in wide at 100 dpi.

helpers.core.style shows figures at 100 dpi (rendered at 2x); a wider figure is scaled down
by the browser or GitHub, and its text shrinks below the course's 11 pt.
"""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import helpers  # noqa: E402
from helpers.core.style import setup  # noqa: E402

MAX_WIDTH_IN = 9.0


def _arguments(name):
    """Arguments for the plot functions that have no default data (from the course data)."""
    if name in ("plot_forest", "plot_funnel"):
        from helpers.trial_evidence import single_arm_pool

        rows, result, _ = single_arm_pool()
        effects, variances = list(rows["logit"]), list(rows["var"])
        if name == "plot_forest":
            return (list(rows["label"]), effects, variances, result), {}
        return (effects, variances, result), {}
    if name == "plot_simulated_trial":
        from helpers.stratify import simulate_trial

        return (simulate_trial(),), {}
    return (), {}


PLOTS = sorted(n for n in helpers.__all__ if n.startswith("plot_"))


def test_the_plot_list_is_not_empty():
    assert len(PLOTS) > 30 and "plot_mechanism_diagram" in PLOTS


@pytest.mark.parametrize("name", PLOTS)
def test_default_figure_is_at_most_9_inches_wide(name):
    setup()
    args, kwargs = _arguments(name)
    fig = getattr(helpers, name)(*args, **kwargs)
    try:
        width, _ = fig.get_size_inches()
        assert width <= MAX_WIDTH_IN + 1e-9, f"{name}: default figure is {width:g} in wide"
    finally:
        plt.close(fig)
