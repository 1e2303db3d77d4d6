"""The scipy.special wrappers give the same numbers as scipy.stats."""
import numpy as np
import pytest
from scipy import stats

from helpers.stats import distributions as _dist

X = np.array([-8.0, -2.5, -0.3, 0.0, 0.7, 1.96, 5.0, 12.0])
P = np.array([1e-9, 0.001, 0.025, 0.3, 0.5, 0.9, 0.975, 0.999999])


def test_normal():
    np.testing.assert_allclose(_dist.norm_cdf(X), stats.norm.cdf(X), rtol=1e-13, atol=0)
    np.testing.assert_allclose(_dist.norm_ppf(P), stats.norm.ppf(P), rtol=1e-13)
    np.testing.assert_allclose(_dist.norm_logpdf(X), stats.norm.logpdf(X), rtol=1e-13)
    np.testing.assert_allclose(_dist.norm_logsf(X), stats.norm.logsf(X), rtol=1e-12)


@pytest.mark.parametrize("df", [1, 2, 7, 30.5])
def test_t_and_chi2(df):
    np.testing.assert_allclose(_dist.t_ppf(P, df), stats.t.ppf(P, df), rtol=1e-10)
    np.testing.assert_allclose(_dist.t_sf(X, df), stats.t.sf(X, df), rtol=1e-10, atol=1e-300)
    q = np.abs(X) * 3
    np.testing.assert_allclose(_dist.chi2_sf(q, df), stats.chi2.sf(q, df), rtol=1e-10)


@pytest.mark.parametrize("a, b", [(1, 10), (3, 8), (40, 2), (0.5, 0.5)])
def test_beta(a, b):
    np.testing.assert_allclose(_dist.beta_ppf(P, a, b), stats.beta.ppf(P, a, b), rtol=1e-10)


def test_quantiles_from_the_confidence_level():
    assert _dist.z_quantile(0.95) == pytest.approx(stats.norm.ppf(0.975), rel=1e-15)
    assert _dist.z_quantile() == _dist.z_quantile(0.95)
    assert _dist.z_quantile(np.float64(0.9)) == pytest.approx(stats.norm.ppf(0.95), rel=1e-15)
    assert _dist.t_quantile(0.95, 12) == pytest.approx(stats.t.ppf(0.975, 12), rel=1e-12)
    assert _dist.t_quantile(0.8, 3.5) == pytest.approx(stats.t.ppf(0.9, 3.5), rel=1e-12)
    for bad in (0, 1, 95, -0.5, float("nan"), None, "0.95", True):
        with pytest.raises(ValueError, match="level must be"):
            _dist.z_quantile(bad)
    with pytest.raises(ValueError, match="df must be"):
        _dist.t_quantile(0.95, 0)


def test_no_module_types_the_normal_quantile():
    """1.96 (or 1.95996...) appears nowhere in the package: intervals use z_quantile."""
    import pathlib
    import re

    import helpers

    root = pathlib.Path(helpers.__file__).parent
    hits = [f"{p.relative_to(root)}:{i}" for p in root.rglob("*.py")
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if re.search(r"(?<![\d.])1\.9(6|59)", line)]
    assert hits == []
