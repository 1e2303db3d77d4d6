"""helpers.core.validate: the vectorised check of numpy arrays in ``reals`` behaves as the
item-by-item check (same floats, same messages naming the first bad item)."""
import numpy as np
import pytest

from helpers.core import validate

BOUNDS = [{}, {"low": 0, "low_open": True}, {"low": 0}, {"high": 1.0},
          {"low": -1, "high": 1, "low_open": True, "high_open": True}]


def _outcome(values, **bounds):
    try:
        return validate.reals("x", values, **bounds)
    except ValueError as err:
        return type(err), str(err)


@pytest.mark.parametrize("bounds", BOUNDS)
@pytest.mark.parametrize("array", [
    np.array([0.5, 0.25, 1e-300]), np.array([0.0, -0.0, 1.0]), np.array([3, -2, 0]),
    np.array([1, 2], dtype=np.uint8), np.float32([0.1, 0.7]), np.float16([0.5]),
    np.array([0.5, np.nan, -5.0]), np.array([np.inf, 0.5]), np.array([-1.0, 1.0]),
    np.array([2**63 - 1]), np.array([True, False]), np.array(["0.5"]),
    np.array([0.5 + 1j]), np.array([0.5], dtype=object), np.longdouble([0.5, 0.25]),
])
def test_an_array_gives_what_its_items_one_by_one_give(array, bounds):
    # a list of the array's numpy scalars takes the item-by-item path
    assert _outcome(array, **bounds) == _outcome(list(array), **bounds)


def test_the_vectorised_check_returns_plain_floats_and_names_the_first_bad_item():
    out = validate.reals("ratio", np.arange(1, 4))
    assert out == [1.0, 2.0, 3.0] and all(type(v) is float for v in out)
    with pytest.raises(ValueError, match=r"^ratio\[1\] must be a number > 0; got np.float64\(0.0\)"):
        validate.reals("ratio", np.array([1.0, 0.0, -1.0]), low=0, low_open=True)
    with pytest.raises(validate.ParameterTypeError, match=r"ratio\[0\]"):
        validate.reals("ratio", np.array([True]))
