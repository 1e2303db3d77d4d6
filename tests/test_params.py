"""Declared parameter ranges: validation messages, defaults, decorator behaviour."""
import math

import pytest

from helpers.core.params import Choice, Flag, Range, defaults, param_ranges, ranged


@ranged(n=Range(1, 10, default=2, integer=True, label="patients"),
        rate=Range(0.0, 1.0, default=0.5),
        method=Choice(("DL", "PM"), default="DL"),
        show_pi=Flag(default=True))
def model(n=2, rate=0.5, method="DL", show_pi=True):
    """A tiny model for the tests."""
    return n, rate, method, show_pi


@pytest.mark.parametrize("kwargs, phrase", [
    ({"n": 0}, "n (patients) must be a whole number between 1 and 10; got 0"),
    ({"n": 2.5}, "whole number"),
    ({"rate": -0.1}, "rate must be between 0 and 1; got -0.1"),
    ({"rate": math.nan}, "rate must be between 0 and 1"),
    ({"rate": "0.5"}, "rate must be between 0 and 1; got '0.5'"),
    ({"rate": True}, "rate must be between 0 and 1; got True"),
    ({"method": "REML"}, "method must be one of 'DL', 'PM'; got 'REML'"),
    ({"show_pi": 1}, "show_pi must be True or False; got 1"),
])
def test_bad_values_name_parameter_and_range(kwargs, phrase):
    with pytest.raises(ValueError, match=phrase.replace("(", r"\(").replace(")", r"\)")):
        model(**kwargs)


def test_valid_values_pass_and_integers_are_normalised():
    assert model(n=3.0, rate=1.0, method="PM", show_pi=False) == (3, 1.0, "PM", False)
    assert isinstance(model(n=3.0)[0], int)


def test_defaults_and_ranges_are_exposed():
    assert defaults(model) == {"n": 2, "rate": 0.5, "method": "DL", "show_pi": True}
    assert set(param_ranges(model)) == {"n", "rate", "method", "show_pi"}
    assert model.__doc__ == "A tiny model for the tests."


def test_undecorated_function_is_rejected():
    with pytest.raises(ValueError, match="must be decorated"):
        param_ranges(print)


def test_declaring_unknown_parameter_fails_early():
    with pytest.raises(ValueError, match="no parameter"):
        ranged(x=Range(0, 1, default=0))(lambda y: y)


@pytest.mark.parametrize("args", [(1, 1, 1), (0, 1, 2)])
def test_malformed_range_declarations_fail(args):
    with pytest.raises(ValueError):
        Range(*args)


def test_choice_default_must_be_an_option():
    with pytest.raises(ValueError):
        Choice(("a",), default="b")


def test_slider_step_defaults():
    assert Range(0, 1, default=0).slider_step == pytest.approx(0.01)
    assert Range(0, 5, default=0, integer=True).slider_step == 1


def test_random_settings_respect_slider_positions_and_extremes():
    import numpy as np

    from helpers.core.params import random_settings

    specs = {"x": Range(0.0, 1.0, default=0.5, step=0.25), "n": Range(1, 3, integer=True, default=2),
             "m": Choice(("DL", "PM"), default="DL"), "f": Flag(True)}
    rng = np.random.default_rng(0)
    draws = [random_settings(specs, rng) for _ in range(200)]
    assert {d["x"] for d in draws} == {0.0, 0.25, 0.5, 0.75, 1.0}
    assert {d["n"] for d in draws} == {1, 2, 3}
    assert {d["m"] for d in draws} == {"DL", "PM"} and {d["f"] for d in draws} == {True, False}
    ends = [random_settings(specs, rng, extremes=True) for _ in range(50)]
    assert {d["x"] for d in ends} == {0.0, 1.0} and {d["n"] for d in ends} == {1, 3}
