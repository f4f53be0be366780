"""binomial_ci against published tables, R and statsmodels; edges and properties."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey_analysis import BINOMIAL_CI_METHODS, binomial_ci

# Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion:
# comparison of seven methods. Stat. Med. 17, 857-872, Table I (4 decimals):
# method 3 (Wilson score) and method 5 (Clopper-Pearson "exact").
NEWCOMBE_TABLE_I = [
    # k, n, wilson_low, wilson_high, exact_low, exact_high
    (81, 263, 0.2553, 0.3662, 0.2527, 0.3676),
    (15, 148, 0.0624, 0.1605, 0.0578, 0.1617),
    (0, 20, 0.0000, 0.1611, 0.0000, 0.1684),
    (1, 29, 0.0061, 0.1718, 0.0009, 0.1776),
    (29, 29, 0.8830, 1.0000, 0.8806, 1.0000),
]


@pytest.mark.parametrize(("k", "n", "w_low", "w_high", "e_low", "e_high"), NEWCOMBE_TABLE_I)
def test_newcombe_1998_table_i(k, n, w_low, w_high, e_low, e_high):
    assert binomial_ci(k, n, "wilson") == pytest.approx((w_low, w_high), abs=5e-5)
    assert binomial_ci(k, n, "clopper_pearson") == pytest.approx((e_low, e_high), abs=5e-5)


# R 4.2.2, tests/R/reference_binomial.R (output in tests/R/reference_binomial.out):
#   binom.test(x, n, conf.level=0.95)$conf.int                   -> clopper_pearson
#   binom.test(x, n, alternative="greater")$conf.int              -> clopper_pearson, greater
#   binom.test(x, n, alternative="less")$conf.int                 -> clopper_pearson, less
#   prop.test(x, n, correct=FALSE)$conf.int                       -> wilson
#   qbeta(c(.025, .975), x + .5, n - x + .5)                      -> jeffreys (0 < x < n)
R_REFERENCE = [
    ("clopper_pearson", "two-sided", 81, 263, 0.252736745585271, 0.367621922601351),
    ("clopper_pearson", "greater", 81, 263, 0.261055746009112, 1.0),
    ("clopper_pearson", "less", 81, 263, 0.0, 0.358178495575784),
    ("clopper_pearson", "two-sided", 1, 29, 0.000872646883579923, 0.177644295488723),
    ("clopper_pearson", "two-sided", 29, 29, 0.880555130930497, 1.0),
    ("clopper_pearson", "greater", 29, 29, 0.901855372322704, 1.0),
    ("clopper_pearson", "two-sided", 0, 1, 0.0, 0.975),
    ("clopper_pearson", "greater", 1, 1, 0.05, 1.0),
    ("clopper_pearson", "two-sided", 152, 160, 0.903859128262283, 0.978169325815879),
    ("clopper_pearson", "less", 152, 160, 0.0, 0.974880382091679),
    ("wilson", "two-sided", 81, 263, 0.255288519878274, 0.3662095769828),
    ("wilson", "two-sided", 15, 148, 0.0623863995307363, 0.160487241723308),
    ("wilson", "two-sided", 0, 20, 0.0, 0.161125158052819),
    ("wilson", "two-sided", 29, 29, 0.883030201500259, 1.0),
    ("wilson", "two-sided", 1, 1, 0.206549314377238, 1.0),
    ("wilson", "two-sided", 152, 160, 0.90444902082448, 0.974449403521165),
    ("jeffreys", "two-sided", 81, 263, 0.254521934991023, 0.365647499174082),
    ("jeffreys", "two-sided", 1, 29, 0.00374617364905708, 0.150077686002232),
    ("jeffreys", "two-sided", 152, 160, 0.907881278127603, 0.976081186455496),
]


@pytest.mark.parametrize(("method", "alternative", "k", "n", "low", "high"), R_REFERENCE)
def test_matches_r(method, alternative, k, n, low, high):
    got = binomial_ci(k, n, method=method, alternative=alternative)
    assert got == pytest.approx((low, high), rel=1e-10, abs=1e-12)


def test_clopper_pearson_99_percent_matches_r():
    # R 4.2.2: binom.test(29, 29, conf.level=0.99)$conf.int; binom.test(81, 263, conf.level=0.99)
    assert binomial_ci(29, 29, "clopper_pearson", 0.99) == pytest.approx((0.833017524812362, 1.0), rel=1e-10)
    assert binomial_ci(81, 263, "clopper_pearson", 0.99) == pytest.approx(
        (0.236837358165539, 0.386258325669745), rel=1e-10)


def test_jeffreys_boundary_rule_differs_from_plain_quantiles():
    # R: qbeta(c(.025,.975), 29.5, 0.5) = 0.917713517076176 0.999983213247875. Brown, Cai &
    # DasGupta (2001, sec. 4.1.2) set the upper bound to 1 at x = n (and lower to 0 at x = 0).
    assert binomial_ci(29, 29, "jeffreys") == pytest.approx((0.917713517076176, 1.0), rel=1e-10)
    # R: qbeta(c(.025,.975), 0.5, 20.5) upper = 0.116638982904875
    assert binomial_ci(0, 20, "jeffreys") == pytest.approx((0.0, 0.116638982904875), rel=1e-10)


@pytest.mark.parametrize("method", ["wilson", "agresti_coull", "wald"])
def test_matches_statsmodels_normal_based(method):
    # statsmodels.stats.proportion.proportion_confint (0.14+); "wald" is its "normal".
    from statsmodels.stats.proportion import proportion_confint

    k = np.array([0, 1, 5, 17, 29, 81, 150, 200])
    n = np.array([20, 29, 10, 30, 29, 263, 152, 200])
    sm_method = {"wald": "normal"}.get(method, method)
    low, high = binomial_ci(k, n, method=method, confidence_level=0.9)
    sm_low, sm_high = proportion_confint(k, n, alpha=0.1, method=sm_method)
    np.testing.assert_allclose(low, sm_low, rtol=0, atol=1e-12)
    np.testing.assert_allclose(high, sm_high, rtol=0, atol=1e-12)


@pytest.mark.parametrize(("method", "sm_method"), [("clopper_pearson", "beta"), ("jeffreys", "jeffreys")])
def test_matches_statsmodels_beta_based_inside(method, sm_method):
    # Interior counts only: at k = n statsmodels' Jeffreys keeps an upper bound < 1.
    from statsmodels.stats.proportion import proportion_confint

    k = np.array([1, 5, 17, 81, 150])
    n = np.array([29, 10, 30, 263, 152])
    low, high = binomial_ci(k, n, method=method)
    sm_low, sm_high = proportion_confint(k, n, alpha=0.05, method=sm_method)
    np.testing.assert_allclose(low, sm_low, rtol=1e-10)
    np.testing.assert_allclose(high, sm_high, rtol=1e-10)


def test_all_satisfied_one_sided_exact_bound_is_alpha_root():
    # For k = n the one-sided Clopper-Pearson bound solves p^n = alpha (DESIGN.md).
    n = np.array([1, 5, 13, 20, 59, 100])
    low, high = binomial_ci(n, n, "clopper_pearson", alternative="greater")
    np.testing.assert_allclose(low, 0.05 ** (1 / n), rtol=1e-12)
    assert np.all(high == 1.0)
    # Issue 3 / DESIGN.md: "100% satisfied" shows "over 95%" only from n = 59 on.
    assert binomial_ci(58, 58, "clopper_pearson", alternative="greater").low < 0.95
    assert binomial_ci(59, 59, "clopper_pearson", alternative="greater").low > 0.95


@pytest.mark.parametrize("method", BINOMIAL_CI_METHODS)
def test_edges_zero_and_all(method):
    low0, high0 = binomial_ci(0, 12, method)
    lown, highn = binomial_ci(12, 12, method)
    assert low0 == 0.0 and 0.0 <= high0 <= 1.0
    assert highn == 1.0 and 0.0 <= lown <= 1.0
    if method != "wald":  # Wald collapses to [1, 1] at k = n: the reason it is not the default
        assert lown < 1.0 and high0 > 0.0
    else:
        assert (lown, high0) == (1.0, 0.0)


@pytest.mark.parametrize("method", BINOMIAL_CI_METHODS)
def test_n_equals_one_and_zero(method):
    low, high = binomial_ci([0, 1], [1, 1], method)
    assert np.all((low >= 0) & (high <= 1))
    low, high = binomial_ci(0, 0, method)
    assert np.isnan(low) and np.isnan(high)


def test_series_keeps_index_and_scalar_gives_float():
    k = pd.Series([3, 10], index=pd.Index(["甲", "乙"], name="item_id"))
    ci = binomial_ci(k, pd.Series([10, 10], index=k.index))
    assert list(ci.low.index) == ["甲", "乙"] and ci.high.index.name == "item_id"
    assert isinstance(binomial_ci(3, 10).low, float)
    arr = binomial_ci(np.array([[1, 2], [3, 4]]), 4)
    assert arr.low.shape == (2, 2)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"method": "exact"}, r"unknown method 'exact'.*'wilson'"),
        ({"alternative": "larger"}, r"unknown alternative 'larger'.*'greater'"),
        ({"confidence_level": 95}, r"strictly between 0 and 1.*95"),
        ({"confidence_level": 0.0}, "strictly between 0 and 1"),
        ({"confidence_level": 1.0}, "strictly between 0 and 1"),
        ({"confidence_level": "high"}, "must be a number"),
    ],
)
def test_bad_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        binomial_ci(5, 10, **kwargs)


@pytest.mark.parametrize(("k", "n", "match"), [(11, 10, "must not exceed"), (-1, 10, ">= 0"), (1, -2, ">= 0")])
def test_bad_counts(k, n, match):
    with pytest.raises(ValueError, match=match):
        binomial_ci(k, n)


def test_mismatched_series_indexes():
    with pytest.raises(ValueError, match="different indexes"):
        binomial_ci(pd.Series([1], index=["a"]), pd.Series([2], index=["b"]))


def test_tiny_alpha_clopper_pearson_does_not_collapse():
    # statsmodels #9549: upper bounds computed as beta.isf(alpha/2) round to 1 at tiny alpha.
    # The exact upper bound for k = n - 1 solves P(X <= n-1 | p) = alpha/2, i.e. 1 - p^n = alpha/2.
    for n in (499, 500, 1000):
        _, high = binomial_ci(n - 1, n, "clopper_pearson", confidence_level=1 - 1e-7)
        assert high < 1.0
        assert high == pytest.approx((1 - 0.5e-7) ** (1 / n), rel=1e-12)


counts = st.integers(min_value=1, max_value=400).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n)))
levels = st.floats(min_value=0.5, max_value=0.999)


@settings(max_examples=200, deadline=None)
@given(counts, levels, st.sampled_from(BINOMIAL_CI_METHODS))
def test_properties_bounds_and_order(kn, level, method):
    k, n = kn
    low, high = binomial_ci(k, n, method, level)
    assert 0.0 <= low <= high <= 1.0
    if method != "wald":
        assert low <= k / n <= high
    wider_low, wider_high = binomial_ci(k, n, method, min(0.9999, level + 0.0005 + (1 - level) / 2))
    assert wider_low <= low + 1e-12 and wider_high >= high - 1e-12


@settings(max_examples=100, deadline=None)
@given(counts, st.sampled_from([m for m in BINOMIAL_CI_METHODS if m != "wald"]))
def test_monotone_in_k(kn, method):
    k, n = kn
    if k == n:
        k -= 1
    low1, high1 = binomial_ci(k, n, method)
    low2, high2 = binomial_ci(k + 1, n, method)
    assert low2 >= low1 - 1e-12 and high2 >= high1 - 1e-12


@settings(max_examples=50, deadline=None)
@given(st.lists(counts, min_size=1, max_size=20), st.sampled_from(BINOMIAL_CI_METHODS),
       st.sampled_from(["two-sided", "greater", "less"]))
def test_vectorized_equals_elementwise(pairs, method, alternative):
    k = np.array([p[0] for p in pairs])
    n = np.array([p[1] for p in pairs])
    low, high = binomial_ci(k, n, method, alternative=alternative)
    for i in range(len(k)):
        one = binomial_ci(int(k[i]), int(n[i]), method, alternative=alternative)
        assert (low[i], high[i]) == pytest.approx(one, abs=0, rel=0)


# Newcombe (1998a) Table I, method 4 (score with continuity correction) and method 6 (mid-p).
NEWCOMBE_TABLE_I_CC_MIDP = [
    (81, 263, 0.2535, 0.3682, 0.2544, 0.3658),
    (15, 148, 0.0598, 0.1644, 0.0601, 0.1581),
    (0, 20, 0.0000, 0.2005, 0.0000, 0.1391),
    (1, 29, 0.0018, 0.1963, 0.0017, 0.1585),
    (29, 29, 0.8544, 1.0000, 0.9019, 1.0000),
]


@pytest.mark.parametrize(("k", "n", "cc_low", "cc_high", "mid_low", "mid_high"), NEWCOMBE_TABLE_I_CC_MIDP)
def test_newcombe_1998_table_i_cc_and_mid_p(k, n, cc_low, cc_high, mid_low, mid_high):
    assert binomial_ci(k, n, "wilson_cc") == pytest.approx((cc_low, cc_high), abs=5e-5)
    assert binomial_ci(k, n, "mid_p") == pytest.approx((mid_low, mid_high), abs=5e-5)


# R 4.2.2: prop.test(x, n, correct=TRUE)$conf.int (tests/R/reference_binomial.out). R's Yates
# correction is min(0.5, |x - n/2|), so x = n/2 is left out; away from it R equals method 4.
@pytest.mark.parametrize(("k", "n", "low", "high"), [
    (81, 263, 0.253508682295185, 0.368176201043004),
    (15, 148, 0.0597782084284981, 0.164449779364837),
    (0, 20, 0.0, 0.200453345013487),
    (1, 29, 0.00180264021327967, 0.196281751009759),
    (29, 29, 0.854383524420427, 1.0),
    (152, 160, 0.900492243460155, 0.976565491409531),
])
def test_wilson_cc_matches_r_prop_test(k, n, low, high):
    assert binomial_ci(k, n, "wilson_cc") == pytest.approx((low, high), rel=1e-10, abs=1e-14)


# R 4.2.2, tests/R/reference_binomial_extra.R: mid-p from its definition with uniroot(tol=1e-15).
@pytest.mark.parametrize(("k", "n", "low", "high"), [
    (81, 263, 0.254402104945522, 0.365773474257777),
    (15, 148, 0.0600636026655322, 0.158121733050612),
    (0, 20, 0.0, 0.139108340668265),
    (1, 29, 0.00172477011470513, 0.158537383681465),
    (29, 29, 0.901855372322704, 1.0),
    (5, 10, 0.212008506778868, 0.787991493221132),
    (152, 160, 0.907277964625258, 0.976511849998048),
])
def test_mid_p_matches_r(k, n, low, high):
    assert binomial_ci(k, n, "mid_p") == pytest.approx((low, high), rel=1e-9, abs=1e-14)


def test_mid_p_needs_whole_counts():
    with pytest.raises(ValueError, match="whole-number"):
        binomial_ci(2.5, 10, "mid_p")


# R 4.2.2: binom.test(x, n, conf.level = 1 - 1e-7)$conf.int (tests/R/reference_binomial_extra.out)
@pytest.mark.parametrize(("k", "n", "low", "high"), [
    (498, 499, 0.960965611995578, 0.9999999998998),
    (499, 500, 0.961042217106372, 0.9999999999),
    (999, 1000, 0.980337406487126, 0.99999999995),
    (250, 500, 0.381656191592563, 0.618343808411755),
    # R's upper bound here, 0.0196625935140176, is off in the 11th digit: qbeta(1 - 5e-8, ...)
    # loses precision in 1 - 5e-8. The value below is the root of the defining equation
    # (1-p)^1000 + 1000 p (1-p)^999 = 5e-8 found by mpmath 1.3 at 50 digits
    # (mp.findroot(f, (0.019, 0.0205), solver="anderson")) = 0.0196625935123314784...
    (1, 1000, 5.00000012224323e-11, 0.019662593512331478),
])
def test_clopper_pearson_at_tiny_alpha_matches_r(k, n, low, high):
    got = binomial_ci(k, n, "clopper_pearson", confidence_level=1 - 1e-7)
    assert got == pytest.approx((low, high), rel=5e-11)


@pytest.mark.parametrize("method", ["clopper_pearson", "mid_p", "jeffreys", "wilson", "wilson_cc"])
@pytest.mark.parametrize("n", [499, 500, 1000])
def test_tiny_alpha_monotone_in_k_and_n_and_nested(method, n):
    level = 1 - 1e-7
    k = np.arange(n + 1)
    low, high = binomial_ci(k, n, method, level)
    assert np.all(np.diff(low) > 0) and np.all(np.diff(high) > 0)   # strictly increasing in k
    assert np.all(high[:-1] < 1.0) and np.all(low[1:] > 0.0)         # no collapse to 0 or 1
    low_more, high_more = binomial_ci(k, n + 1, method, level)        # one more respondent:
    assert np.all(low_more <= low) and np.all(high_more[:-1] <= high[:-1])  # same k, lower rate
    low95, high95 = binomial_ci(k, n, method, 0.95)                   # nested in the level
    assert np.all(low <= low95) and np.all(high >= high95)


@pytest.mark.parametrize("method", BINOMIAL_CI_METHODS)
@pytest.mark.parametrize("n_high", [50, 3000])
def test_large_inputs_use_shared_pairs_and_agree_with_direct_computation(method, n_high):
    # Above 4096 groups the bounds are computed once per distinct (k, n) pair (a dense table
    # for small max n, hashing otherwise); the result must equal the group-by-group computation.
    from survey_analysis.estimate.intervals import _interval_two_bounds

    rng = np.random.default_rng(7)
    n = rng.integers(1, n_high, 6000)
    k = rng.binomial(n, 0.9)
    n[:3] = [0, 1, 1]
    k[:3] = [0, 0, 1]
    low, high = binomial_ci(k, n, method)
    ref_low, ref_high = _interval_two_bounds(method, k.astype(float), n.astype(float), 0.025)
    # Equal up to the last bit or two: numpy's SIMD loops may round differently by array length.
    np.testing.assert_allclose(low, ref_low, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(high, ref_high, rtol=1e-14, atol=1e-15)
    grid = binomial_ci(k.reshape(60, 100), n.reshape(60, 100), method)
    np.testing.assert_allclose(grid.low.ravel(), low, rtol=1e-14, atol=1e-15)
    # Exactly 0 at k = 0 and exactly 1 at k = n on the fast paths too (wald excepted: it is
    # [1, 1] at k = n and [0, 0] at k = 0 by definition, which also satisfies this).
    assert np.all(low[(k == 0) & (n > 0)] == 0.0) and np.all(high[(k == n) & (n > 0)] == 1.0)
    assert np.all(np.isnan(low[n == 0])) and np.all(np.isnan(high[n == 0]))


@pytest.mark.parametrize("seed", range(4))
def test_large_input_wilson_bounds_stay_in_unit_interval(seed):
    # The in-place Wilson path (large max n) skips the clipping pass; check bounds, order and
    # agreement with statsmodels 0.14+ (wilson) on groups up to n = 1e6 with rates near 0 and 1.
    from statsmodels.stats.proportion import proportion_confint

    rng = np.random.default_rng(seed)
    n = rng.integers(1, 10**6, 20_000)
    p = rng.choice([0.0, 1e-6, 0.5, 0.999999, 1.0], size=n.size)
    k = rng.binomial(n, p)
    low, high = binomial_ci(k, n, "wilson")
    assert np.all((0.0 <= low) & (low <= k / n) & (k / n <= high) & (high <= 1.0))
    sm_low, sm_high = proportion_confint(k, n, alpha=0.05, method="wilson")
    np.testing.assert_allclose(low, sm_low, rtol=0, atol=1e-12)
    np.testing.assert_allclose(high, sm_high, rtol=0, atol=1e-12)
