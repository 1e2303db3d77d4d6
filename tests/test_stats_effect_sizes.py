"""Risk difference, NNT and their intervals: known answers, the zero-crossing case, ranges."""
import math

import matplotlib.pyplot as plt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import small_texts_at_course_style as _small_texts_at_course_style

from helpers.stats.effects import (NNT, counts_from_percent, nnt_from_difference,
                             number_needed_to_treat, plot_ard_explorer, risk_difference,
                             wilson_interval)


def test_wilson_interval_known_answer():
    # Newcombe 1998 example: 81/263 -> 0.2553 to 0.3662 (Wilson score interval)
    low, high = wilson_interval(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    assert wilson_interval(0, 10)[0] == pytest.approx(0, abs=1e-12)
    assert wilson_interval(10, 10)[1] == pytest.approx(1)


def test_newcombe_hybrid_interval_matches_published_example():
    # Newcombe 1998, Table II example (56/70 vs 48/80): method 10 gives 0.0524 to 0.3339
    rd = risk_difference(56, 70, 48, 80)
    assert rd.difference == pytest.approx(0.2)
    assert (round(rd.low, 4), round(rd.high, 4)) == (0.0524, 0.3339)


def test_wald_interval_is_the_textbook_formula():
    rd = risk_difference(60, 100, 40, 100, method="wald")
    se = math.sqrt(0.6 * 0.4 / 100 + 0.4 * 0.6 / 100)
    assert rd.low == pytest.approx(0.2 - 1.959964 * se, abs=1e-6)
    assert rd.high == pytest.approx(0.2 + 1.959964 * se, abs=1e-6)


def test_nnt_when_interval_excludes_zero_is_reciprocal_of_limits():
    rd = risk_difference(60, 100, 40, 100)
    nnt = nnt_from_difference(rd)
    assert nnt.kind == "benefit" and not nnt.crosses_zero
    assert nnt.value == pytest.approx(5)
    assert nnt.low == pytest.approx(1 / rd.high) and nnt.high == pytest.approx(1 / rd.low)
    assert nnt.text == "NNTB 5.0 (95% CI 3.0 to 16.3)"


def test_nnt_when_interval_crosses_zero_runs_through_infinity():
    rd = risk_difference(50, 100, 45, 100)
    assert rd.crosses_zero
    nnt = nnt_from_difference(rd)
    assert nnt.crosses_zero and nnt.low is None and nnt.high is None
    assert nnt.nntb_limit == pytest.approx(1 / rd.high)
    assert nnt.nnth_limit == pytest.approx(1 / -rd.low)
    assert "to ∞ to" in nnt.text and nnt.text.startswith("NNTB 20.0")
    assert "-" not in nnt.text  # never a negative NNT bound


def test_nnt_for_harm_and_for_no_difference():
    harm = number_needed_to_treat(40, 100, 60, 100)
    assert harm.kind == "harm" and harm.text.startswith("NNTH 5.0")
    none = number_needed_to_treat(30, 100, 30, 100)
    assert none.kind == "none" and math.isinf(none.value) and none.crosses_zero
    assert none.text.startswith("NNT ∞")


def test_counts_from_percent():
    assert counts_from_percent(57.6, 290) == 167
    assert counts_from_percent(0, 10) == 0 and counts_from_percent(100, 10) == 10


@pytest.mark.parametrize("call, phrase", [
    (lambda: risk_difference(11, 10, 1, 10), "events must be a whole number between 0 and 10"),
    (lambda: risk_difference(1, 0, 1, 10), "n must be a whole number of at least 1"),
    (lambda: risk_difference(1.5, 10, 1, 10), "events"),
    (lambda: risk_difference(1, 10, 1, 10, conf=95), "conf must be a float"),
    (lambda: risk_difference(1, 10, 1, 10, method="exact"), "method must be one of"),
    (lambda: nnt_from_difference(0.2), "rd must be a RiskDifference"),
    (lambda: counts_from_percent(120, 10), "percent"),
    (lambda: counts_from_percent(50, -3), "n must be"),
    (lambda: plot_ard_explorer(n_per_arm=5), "n_per_arm"),
    (lambda: plot_ard_explorer(method="exact"), "method must be one of"),
])
def test_bad_input_raises_value_error_naming_the_parameter(call, phrase):
    with pytest.raises(ValueError, match=phrase):
        call()


def test_explorer_figure_content_at_defaults():
    fig = plot_ard_explorer()
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["active arm", "control arm",
                                                            "difference"]
    assert "NNTB 10.0" in ax.get_xlabel() and "n = 200 per arm" in ax.get_xlabel()
    plt.close(fig)


@settings(max_examples=25, deadline=None)
@given(st.floats(0, 100), st.floats(0, 100), st.integers(10, 1000),
       st.sampled_from(["newcombe", "wald"]))
def test_explorer_over_widget_ranges_no_error_no_nan(active, control, n, method):
    e1, e0 = counts_from_percent(active, n), counts_from_percent(control, n)
    rd = risk_difference(e1, n, e0, n, method=method)
    assert -1 <= rd.low <= rd.difference <= rd.high <= 1
    assert not any(math.isnan(x) for x in (rd.low, rd.high, rd.difference))
    nnt = nnt_from_difference(rd)
    assert isinstance(nnt, NNT) and "nan" not in nnt.text
    assert nnt.crosses_zero == (rd.low <= 0 <= rd.high)
    fig = plot_ard_explorer(active_pct=active, control_pct=control, n_per_arm=n, method=method)
    plt.close(fig)


# --- readable text: every figure at its defaults has no text below 11 pt ----------------



def test_plot_ard_explorer_has_no_text_smaller_than_11_pt():
    assert _small_texts_at_course_style(plot_ard_explorer) == []


def test_quiz_answer_of_notebook_02_matches_the_printed_order():
    """Notebook 02, quiz 2: a difference of -2 to +12 points prints as NNTH 50 to ∞ to NNTB 8.3."""
    from helpers.stats.effects import RiskDifference

    rd = RiskDifference(0.05, -0.02, 0.12, 0.55, 0.50, 0.95, "newcombe")
    assert "(95% CI NNTH 50.0 to ∞ to NNTB 8.3)" in nnt_from_difference(rd).text
