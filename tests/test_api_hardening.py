"""Regression tests for what the fuzz test (test_api_fuzz.py) found, one behaviour each."""
import inspect

import matplotlib.pyplot as plt
import pytest

from helpers.checks import _checker, feedback, is_blank, registered
from helpers.core import validate


def _self_list():
    items = [1.0]
    items.append(items)
    return items


def _self_dict():
    d = {"a": 1}
    d["self"] = d
    return d


# --- checkbox states --------------------------------------------------------------------
def test_sledai_dict_of_checkbox_states_counts_only_ticked_boxes():
    from helpers.scores import sledai_2k, sledai_weights

    assert sledai_2k({"seizure": False}) == 0
    assert sledai_2k({"seizure": True, "fever": False}) == sledai_weights()["seizure"]
    with pytest.raises(TypeError, match=r"present\['seizure'\] must be True or False"):
        sledai_2k({"seizure": "yes"})


def test_eular_dict_of_checkbox_states_counts_only_ticked_boxes():
    from helpers.scores import classify_eular_acr_2019, eular_acr_criteria

    first = eular_acr_criteria()[0]["id"]
    assert classify_eular_acr_2019({first: False}, True).total == 0
    assert classify_eular_acr_2019({first: True}, True).total == \
        classify_eular_acr_2019([first], True).total


def test_sledai_figure_does_not_tick_unticked_boxes():
    from helpers.score_views import plot_sledai

    fig = plot_sledai({"seizure": False})
    assert "SLEDAI-2K = 0 points" in fig.axes[0].get_xlabel()
    plt.close(fig)


# --- exercise checks --------------------------------------------------------------------
@pytest.mark.parametrize("answer", [_self_list(), _self_dict(), 10**400, float("inf")])
def test_feedback_never_raises_on_self_referencing_or_huge_answers(answer):
    for exercise_id in registered():
        line = feedback(exercise_id, answer)
        assert line.startswith(f"Exercise {exercise_id}: ")


def test_registered_checks_never_raise_when_called_directly():
    for nb in range(9):
        for exercise_id in registered(nb):
            assert isinstance(_checker(exercise_id)(_self_dict()), str)
            assert isinstance(_checker(exercise_id)(object()), str)


def test_is_blank_sees_a_placeholder_beside_a_cycle():
    cyclic = _self_list()
    assert not is_blank(cyclic)
    cyclic.append(...)
    assert is_blank(cyclic)


def test_feedback_with_a_non_string_id_does_not_raise():
    assert "cannot check" in feedback({"a": 1}, 3)


# --- axes -------------------------------------------------------------------------------
def test_two_panel_plots_take_a_pair_of_axes_and_refuse_one():
    from helpers.costs import plot_cost_breakdown
    from helpers.outlook import plot_long_term
    from helpers.safety import plot_adverse_events

    for plot in (plot_cost_breakdown, plot_long_term, plot_adverse_events):
        fig, pair = plt.subplots(1, 2)
        assert plot(ax=pair) is fig
        with pytest.raises(ValueError, match="ax must be a sequence of 2 matplotlib Axes"):
            plot(ax=pair[0])
        plt.close("all")


def test_one_panel_plot_refuses_what_is_not_axes():
    from helpers.trials import plot_trial_effects

    with pytest.raises(TypeError, match="ax must be a matplotlib Axes or None"):
        plot_trial_effects(ax=0)
    plt.close("all")


def test_validate_axes_accepts_none_one_and_a_pair():
    fig, pair = plt.subplots(1, 2)
    assert validate.axes("ax", None) is None
    assert validate.axes("ax", pair[0]) is pair[0]
    assert validate.axes("ax", pair, count=2) == tuple(pair)
    with pytest.raises(TypeError, match="ax must be a sequence of 2"):
        validate.axes("ax", [pair[0]], count=2)
    plt.close(fig)


def test_msc_funnel_returns_a_figure_and_egger_is_separate():
    from matplotlib.figure import Figure

    from helpers.critical_reading import msc_funnel_egger, plot_msc_funnel

    fig = plot_msc_funnel()
    assert isinstance(fig, Figure)
    assert {"intercept", "p", "k", "corrected"} <= set(msc_funnel_egger())
    plt.close(fig)


# --- data that cannot be parsed is listed, not dropped -----------------------------------
def test_unparsed_proteinuria_texts_are_listed_with_study_field_and_reason():
    import helpers.studies as studies
    from helpers.trial_evidence import proteinuria_results

    out = proteinuria_results()
    listed = {(row["study"], row["field"]) for row in out["not parsed"]}
    used = {row["study"] for kind in ("pre-post", "two-arm") for row in out[kind]}
    for row in studies.verified_studies():
        if row["proteinuria_followup"] is not None:
            label = studies.study_label(row["id"])
            assert label in used or any(s == label for s, _ in listed), label
    assert all(r["reason"] for r in out["not parsed"])


# --- lazy constants and widget function ---------------------------------------------------
def test_pooled_response_widget_function_behaves_as_a_function():
    import helpers.trial_evidence as te

    names = list(inspect.signature(te.plot_pooled_response).parameters)
    assert names[:2] == ["method", "nanjing_report"] and names[-1] == "ax"
    assert set(te.plot_pooled_response.param_ranges) == set(names) - {"ax"}
    assert te.DEFAULT_KEEP in te.NANJING_CHOICES
    with pytest.raises(AttributeError):
        te.NO_SUCH_CONSTANT


# --- argument checks name the parameter --------------------------------------------------
@pytest.mark.parametrize("call, phrase", [
    (lambda: __import__("helpers.studies").studies.study({}), "study_id must be a string"),
    (lambda: __import__("helpers.core.data").core.data.fact_number("x", {}),
     "fact_id must be one of"),
    (lambda: __import__("helpers.core.params").core.params.Range({}, 1, 0), "low must be"),
    (lambda: __import__("helpers.core.params").core.params.Flag(default=0.5),
     "default must be True or False"),
    (lambda: __import__("helpers.core.tables").core.tables.markdown_table_text(0),
     "rows must be a DataFrame or a list of dicts"),
    (lambda: __import__("helpers.kinetics").kinetics.alive_fraction({}, 1),
     "result must be the dict returned by simulate_persistence"),
    (lambda: __import__("helpers.core.references").core.references.reference_markdown([0]),
     r"keys\[0\] must be a string"),
])
def test_bad_arguments_raise_naming_the_parameter(call, phrase):
    with pytest.raises((ValueError, TypeError), match=phrase):
        call()


def test_range_validate_survives_an_int_too_large_for_a_float():
    from helpers.core.params import Range

    with pytest.raises(ValueError, match="must be between"):
        Range(0, 1, default=0).validate("x", 10**400)


def test_validate_sequence_accepts_flat_sequences_and_names_the_parameter():
    import numpy as np

    from helpers.core import validate

    assert validate.sequence("labels", ("a", "b")) == ["a", "b"]
    assert validate.sequence("labels", np.array([1, 2])) == [1, 2]
    for bad in ("ab", {"a": 1}, {1, 2}, 3, None, np.zeros((2, 2))):
        with pytest.raises(validate.ParameterTypeError, match="labels must be a flat sequence"):
            validate.sequence("labels", bad)
