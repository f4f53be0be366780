"""exact_coverage against an independent computation with statsmodels intervals."""

import numpy as np
import pytest
from scipy import stats

from survey_analysis.estimate.coverage import exact_coverage


@pytest.mark.parametrize(("method", "sm_method"), [("wilson", "wilson"), ("clopper_pearson", "beta"),
                                                   ("wald", "normal")])
def test_matches_statsmodels_based_enumeration(method, sm_method):
    # Independent reference: statsmodels 0.14+ proportion_confint for every k, then the binomial
    # probability of the k whose interval contains p.
    from statsmodels.stats.proportion import proportion_confint

    n, p = 30, np.array([0.8, 0.9, 0.95, 0.99])
    k = np.arange(n + 1)
    low, high = proportion_confint(k, n, alpha=0.05, method=sm_method)
    expected = [(stats.binom.pmf(k, n, q) * ((low <= q) & (q <= high))).sum() for q in p]
    got = exact_coverage(n, p, methods=[method])["coverage"].to_numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-10)


def test_wald_coverage_formula_at_all_satisfied_limit():
    # With n = 10 and p = 0.999 the Wald interval contains p only when k < 10 and the interval
    # reaches 0.999; P(k = 10) = 0.999^10 = 0.990045 goes to [1, 1], which misses p. Coverage is
    # therefore at most 1 - 0.999^10 = 0.009955.
    coverage = exact_coverage(10, 0.999, methods=["wald"])["coverage"].iloc[0]
    assert coverage <= 1 - 0.999**10 + 1e-12


def test_clopper_pearson_never_below_nominal():
    table = exact_coverage([5, 17, 60], np.linspace(0.8, 0.999, 15), methods=["clopper_pearson"])
    assert (table["coverage"] >= 0.95 - 1e-12).all()


@pytest.mark.parametrize(("kwargs", "match"), [({"n": 0, "p": 0.9}, "at least 1"),
                                               ({"n": 5, "p": 1.0}, "strictly between"),
                                               ({"n": 5, "p": 0.9, "methods": ["exact"]}, "unknown method")])
def test_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        exact_coverage(**kwargs)
