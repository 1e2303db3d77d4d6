"""Exported names do not depend on import order, and importing any submodule does no work."""
import json
import pkgutil
import subprocess
import sys
import textwrap

import helpers

SUBMODULES = sorted(m.name for m in pkgutil.walk_packages(helpers.__path__, "helpers."))
#: matplotlib backend modules: loaded by ``savefig(backend="module://...")`` only, and a
#: backend is made of matplotlib classes, so importing one imports matplotlib.
MATPLOTLIB_BACKENDS = ["helpers.core._svg_backend"]


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_no_exported_name_is_also_a_submodule():
    """A submodule named like an export replaces the export once the submodule is imported."""
    direct = {name.split(".")[1] for name in SUBMODULES}
    assert not direct & set(helpers.__all__)


def test_every_export_is_the_same_object_whatever_was_imported_first():
    """``from helpers import NAME`` in a fresh interpreter == after importing every submodule.

    One subprocess: for each name the ``helpers`` modules are dropped from ``sys.modules``
    (a fresh import, as in a new interpreter), then all submodules are imported first and
    every name is looked up again.
    """
    code = f"""
    import importlib, json, sys

    def describe(obj):
        return [type(obj).__name__, getattr(obj, "__module__", None),
                getattr(obj, "__qualname__", getattr(obj, "__name__", None))]

    def fresh():
        for mod in [m for m in sys.modules if m == "helpers" or m.startswith("helpers.")]:
            del sys.modules[mod]

    import helpers
    names = list(helpers.__all__)
    alone = {{}}
    for name in names:
        fresh()
        namespace = {{}}
        exec(f"from helpers import {{name}}", namespace)
        alone[name] = describe(namespace[name])
    fresh()
    for mod in {SUBMODULES!r}:
        importlib.import_module(mod)
    import helpers
    after, same = {{}}, {{}}
    for name in names:
        namespace = {{}}
        exec(f"from helpers import {{name}}", namespace)
        after[name] = describe(namespace[name])
        home = helpers._EXPORTS.get(name)
        if home is not None:
            same[name] = namespace[name] is getattr(sys.modules["helpers." + home], name)
    print(json.dumps({{"alone": alone, "after": after, "same": same}}))
    """
    result = json.loads(_run(code))
    differ = {n: (result["alone"][n], result["after"][n]) for n in result["alone"]
              if result["alone"][n] != result["after"][n]}
    assert not differ
    assert all(result["same"].values()), [n for n, ok in result["same"].items() if not ok]
    assert result["after"]["mechanisms"][0] == "function"


def test_importing_every_submodule_imports_no_heavy_library_and_reads_no_data():
    """Every submodule but the matplotlib backends; matplotlib absent also proves that no
    other module imports a backend at import time."""
    assert set(MATPLOTLIB_BACKENDS) <= set(SUBMODULES)
    modules = [m for m in SUBMODULES if m not in MATPLOTLIB_BACKENDS]
    code = f"""
    import importlib, json, sys

    opened = []

    def audit(event, args):
        if event == "open" and isinstance(args[0], str) and "/helpers/data/" in args[0]:
            opened.append(args[0])

    sys.addaudithook(audit)
    for mod in {modules!r}:
        importlib.import_module(mod)
    heavy = [m for m in ("pandas", "scipy", "statsmodels", "matplotlib", "yaml")
             if m in sys.modules]
    print(json.dumps({{"heavy": heavy, "opened": opened}}))
    """
    result = json.loads(_run(code))
    assert result == {"heavy": [], "opened": []}


def test_notebook_constants_still_import():
    code = """
    from helpers.trial_evidence import INDEPENDENT_UNCONTROLLED, OUTCOME_LABEL, not_pooled
    from helpers.critical_reading import EGGER_LEVEL, EGGER_SE_RANGE, EGGER_TAU
    from helpers.design import RTM_FIGURE_PATIENTS
    from helpers.vignettes import VIGNETTES
    import helpers.trial_evidence as te
    print(len(INDEPENDENT_UNCONTROLLED) > 0, te.DEFAULT_KEEP in te.NANJING_CHOICES)
    """
    assert _run(code).split() == ["True", "True"]
