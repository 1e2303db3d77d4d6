"""Expected cases from cited prevalence; the demo plot over its whole parameter range."""
import math

import matplotlib.pyplot as plt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.epidemiology import expected_cases, plot_expected_cases, prevalence_by_sex
from conftest import small_texts_at_course_style as _small_texts_at_course_style


def test_expected_cases_known_answers():
    cases = [
        {"population": 100_000, "prev": 43.7, "expected": 43.7},
        {"population": 50_000, "prev": 78.73, "expected": 39.365},
        {"population": 0, "prev": 78.73, "expected": 0.0},
    ]
    for case in cases:
        assert expected_cases(case["population"], case["prev"]) == pytest.approx(case["expected"])


@pytest.mark.parametrize("args, phrase", [((-1, 10), "population"), ((10, -1), "prevalence_per_100k"),
                                          ((10, 200_000), "prevalence_per_100k"),
                                          ((float("nan"), 1), "population")])
def test_expected_cases_rejects_bad_input(args, phrase):
    with pytest.raises(ValueError, match=phrase):
        expected_cases(*args)


def test_prevalence_by_sex_is_the_cited_verified_figures():
    assert prevalence_by_sex() == {"women": 78.73, "men": 9.26}


@settings(max_examples=25, deadline=None)
@given(st.integers(10, 2000), st.floats(0, 1))
def test_plot_over_widget_range_never_fails_or_goes_negative(pop, share):
    fig = plot_expected_cases(population_thousands=pop, share_women=share)
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert len(heights) == 2 and all(h >= 0 and not math.isnan(h) for h in heights)
    plt.close(fig)


def test_plot_rejects_out_of_range_slider_values():
    with pytest.raises(ValueError, match=r"population_thousands \(population \(thousands\)\)"):
        plot_expected_cases(population_thousands=5)
    with pytest.raises(ValueError, match="share_women"):
        plot_expected_cases(share_women=1.5)


# --- notebook 01 additions ------------------------------------------------------------

def test_sex_specific_rates_are_the_verified_tian_figures():
    from helpers.epidemiology import female_share, sex_specific_rates

    rates = sex_specific_rates()
    assert rates["incidence"] == {"women": 8.82, "men": 1.53, "all": 5.14}
    assert rates["prevalence"] == {"women": 78.73, "men": 9.26, "all": 43.7}
    share = female_share()
    assert round(share["prevalent"], 1) == 89.4 and round(share["incident"], 1) == 85.0


def test_sex_rate_figure_has_six_labelled_bars():
    from helpers.epidemiology import plot_sex_specific_rates

    fig = plot_sex_specific_rates()
    ax = fig.axes[0]
    assert [p.get_height() for p in ax.patches] == [8.82, 78.73, 1.53, 9.26, 5.14, 43.7]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["women", "men", "all"]
    plt.close(fig)


# --- readable text: every figure at its defaults has no text below 11 pt ----------------



@pytest.mark.parametrize("name", ["plot_expected_cases", "plot_sex_specific_rates"])
def test_figures_have_no_text_smaller_than_11_pt(name):
    from helpers.epidemiology import plot_sex_specific_rates

    draw = {
        "plot_expected_cases": plot_expected_cases,
        "plot_sex_specific_rates": plot_sex_specific_rates,
    }[name]
    assert _small_texts_at_course_style(draw) == []


def test_rate_intervals_are_the_ranges_of_the_tian_abstract():
    from helpers.epidemiology import rate_intervals, sex_specific_rates

    ci = rate_intervals()
    assert ci == {"incidence": (1.4, 15.13), "prevalence": (15.87, 108.92)}
    rates = sex_specific_rates()
    for measure, (low, high) in ci.items():
        assert low < rates[measure]["all"] < high


def test_sex_specific_rate_intervals_bracket_the_point_estimates():
    from helpers.epidemiology import rate_intervals, sex_specific_rates

    rates = sex_specific_rates()
    for sex in ("women", "men"):
        ci = rate_intervals(sex)
        for measure in ("incidence", "prevalence"):
            low, high = ci[measure]
            assert low < rates[measure][sex] < high
    assert rate_intervals("women")["incidence"] == (2.4, 25.99)  # Tian 2023 abstract
    with pytest.raises(ValueError, match="sex must be one of 'all', 'women', 'men'"):
        rate_intervals("female")


# --- the live figure is updated in place, not drawn again -------------------------------

def _picture(fig) -> tuple:
    from helpers.core.style import figure_png, figure_svg

    return figure_svg(fig, text_as_paths=False), figure_png(fig)


_EDGES = [(2000, 1.0), (10, 0.0), (10, 1.0), (2000, 0.0), (730, 0.35), (100, 0.5)]


def test_live_redraw_keeps_the_same_bars_and_value_labels():
    from helpers.core.widgets import Demo

    demo = Demo(plot_expected_cases, name="00_test_cases", alt="Expected cases for a test.")
    fig = demo.redraw()
    ax = fig.axes[0]
    kept = list(ax.patches) + list(ax.texts)
    for pop, share in _EDGES:
        assert demo.redraw(population_thousands=pop, share_women=share) is fig
        assert list(ax.patches) + list(ax.texts) == kept
    assert [t.get_text() for t in ax.texts] == [
        f"{expected_cases(50_000, prevalence_by_sex()['women']):,.0f}",
        f"{expected_cases(50_000, prevalence_by_sex()['men']):,.0f}"]
    demo.close()


def test_figure_updated_in_place_equals_a_fresh_one_at_the_edges():
    from helpers.core.widgets import Demo

    demo = Demo(plot_expected_cases, name="00_test_cases", alt="Expected cases for a test.")
    for pop, share in _EDGES:
        reused = demo.redraw(population_thousands=pop, share_women=share)
        fresh = plot_expected_cases(pop, share)
        assert _picture(reused) == _picture(fresh), (pop, share)
        plt.close(fresh)
    demo.close()
