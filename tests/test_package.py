"""Package-level promises: light import, public names resolve, doctests pass."""
import doctest
import importlib
import pkgutil
import subprocess
import sys

import pytest

import helpers


def test_import_helpers_loads_no_heavy_library():
    code = ("import sys, helpers; heavy = [m for m in ('matplotlib', 'pandas', 'scipy', "
            "'statsmodels', 'ipywidgets', 'numpy', 'yaml') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_every_public_name_resolves():
    for name in helpers.__all__:
        assert getattr(helpers, name) is not None
    with pytest.raises(AttributeError):
        helpers.no_such_name


MODULES = [m.name for m in pkgutil.walk_packages(helpers.__path__, "helpers.")]


@pytest.mark.parametrize("module", MODULES)
def test_doctests(module):
    mod = importlib.import_module(module)
    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.failed == 0
