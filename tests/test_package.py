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


def test_notebook_05_pooling_table_does_not_load_scipy_optimize():
    """REML by Fisher scoring needs no scipy.optimize (about 25 MB in every class kernel)."""
    code = ("import sys; from helpers.trial_evidence import pooling_methods_table; "
            "pooling_methods_table(); print([m for m in ('scipy.optimize', 'scipy.stats') "
            "if m in sys.modules], 'scipy.special' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "[] True", out.stdout + out.stderr


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


def test_no_public_name_is_exported_twice():
    """A repeated key in the _EXPORTS literal silently hides one module's function."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(helpers))
    exports = next(node.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
                   and getattr(node.targets[0], "id", None) == "_EXPORTS")
    keys = [k.value for k in exports.keys]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    assert not repeated, f"exported twice: {repeated}"


def test_every_exported_name_lives_in_its_module():
    for name, module in helpers._EXPORTS.items():
        mod = importlib.import_module(f"helpers.{module}")
        assert hasattr(mod, name), f"helpers.{module} has no {name}"
