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
