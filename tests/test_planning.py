"""Sample-size planning against R 4.2.2 (binom.test, prop.test, pwr), statsmodels and by hand."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey_analysis import binomial_ci
from survey_analysis.estimate.planning import (
    _critical_count,
    lower_bound_power,
    n_for_all_satisfied,
    n_for_half_width,
    n_for_lower_bound,
)

# R 4.2.2, tests/R/reference_planning.R, output tests/R/reference_planning.out:
#   wald:            ceiling(qnorm(0.975)^2 * p * (1 - p) / h^2)
#   wilson:          first n = 1, 2, ... with z/(n + z^2) * sqrt(n p (1-p) + z^2/4) <= h, the
#                    formula checked against prop.test(k, n, correct=FALSE)$conf.int
#   clopper_pearson: first n with diff(binom.test(floor(n p + 1/2), n)$conf.int) / 2 <= h
HALF_WIDTH_R = [
    # p, h, wald, wilson, clopper_pearson
    (0.5, 0.05, 385, 381, 402),
    (0.9, 0.03, 385, 388, 414),
    (0.95, 0.03, 203, 215, 230),
    (0.98, 0.02, 189, 223, 248),
    (1.0, 0.05, None, 35, 36),
]


@pytest.mark.parametrize(("p", "h", "wald", "wilson", "cp"), HALF_WIDTH_R)
def test_half_width_matches_r(p, h, wald, wilson, cp):
    if wald is not None:
        assert n_for_half_width(p, h, method="wald") == wald
    assert n_for_half_width(p, h, method="wilson") == wilson
    assert n_for_half_width(p, h, method="clopper_pearson") == cp


def test_wald_textbook_385():
    # Cochran (1977), Sampling Techniques, ch. 4, n0 = z^2 p q / d^2:
    # p = 0.5, +/- 5 points, 95% -> 384.1 -> 385.
    assert n_for_half_width(0.5, 0.05, method="wald") == 385


def test_wald_agrees_with_statsmodels():
    from statsmodels.stats.proportion import samplesize_confint_proportion

    p = np.array([0.5, 0.7, 0.9, 0.95, 0.99])
    h = np.array([0.05, 0.04, 0.03, 0.02, 0.01])
    expected = np.ceil(samplesize_confint_proportion(p, h, alpha=0.05)).astype(int)
    np.testing.assert_array_equal(n_for_half_width(p, h, method="wald"), expected)


@settings(max_examples=60, deadline=None)
@given(p=st.floats(0.0, 1.0), h=st.floats(0.01, 0.3), level=st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_wilson_n_is_the_first_reaching_the_target(p, h, level):
    # Independent path: the Wilson interval of intervals.binomial_ci at (fractional) k = n p.
    n = n_for_half_width(p, h, confidence_level=level)
    low, high = binomial_ci(n * p, n, confidence_level=level)
    assert (high - low) / 2 <= h + 1e-12
    if n > 1:
        low, high = binomial_ci((n - 1) * p, n - 1, confidence_level=level)
        assert (high - low) / 2 > h - 1e-12


@settings(max_examples=20, deadline=None)
@given(p=st.floats(0.0, 1.0), h=st.floats(0.03, 0.3))
def test_clopper_pearson_n_is_the_first_reaching_the_target(p, h):
    n = n_for_half_width(p, h, method="clopper_pearson")
    m = np.arange(1, n + 1, dtype=float)
    low, high = binomial_ci(np.floor(m * p + 0.5), m, method="clopper_pearson")
    hw = (high - low) / 2
    assert hw[-1] <= h
    assert np.all(hw[:-1] > h)


def test_half_width_vectorized_and_series():
    out = n_for_half_width(pd.Series([0.9, 0.95], index=["a", "b"]), 0.03)
    assert list(out.index) == ["a", "b"] and out.tolist() == [388, 215]
    assert isinstance(n_for_half_width(0.9, 0.03), int)
    arr = n_for_half_width([[0.9], [0.95]], [0.03, 0.05], method="clopper_pearson")
    assert arr.shape == (2, 2) and arr.dtype == np.int64
    assert arr[0, 0] == 414 and arr[1, 0] == 230


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"expected_rate": 1.1, "half_width": 0.05}, "expected_rate"),
    ({"expected_rate": -0.1, "half_width": 0.05}, "expected_rate"),
    ({"expected_rate": 0.9, "half_width": 0.0}, "half_width"),
    ({"expected_rate": 0.9, "half_width": 0.5}, "half_width"),
    ({"expected_rate": float("nan"), "half_width": 0.05}, "nan"),
    ({"expected_rate": 0.9, "half_width": 0.05, "method": "exact"}, "method"),
    ({"expected_rate": 0.9, "half_width": 0.05, "confidence_level": 95}, "confidence_level"),
    ({"expected_rate": [0.9, 0.8], "half_width": [0.05, 0.03, 0.02]}, "broadcast"),
])
def test_half_width_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        n_for_half_width(**kwargs)


# R 4.2.2, tests/R/reference_planning.R: exact power of the one-sided 95% lower bound > p0,
#   clopper_pearson: rejection region {k: pbinom(k-1, n, p0, lower.tail=FALSE) <= 0.05} (checked
#     equal to binom.test(k, n, p0, alternative="greater")$p.value <= 0.05 for every n scanned);
#   wilson: {k: prop.test(k, n, p0, alternative="greater", correct=FALSE)$conf.int[1] > p0};
#   power = sum(dbinom(crit:n, n, p1)); "first" = first n with power >= target; "stable" =
#   smallest n such that every n up to 2 * first reaches the target.
LOWER_BOUND_R = [
    # p1, p0, power, cp_first, cp_stable, wilson_first, wilson_stable
    (0.98, 0.95, 0.8, 234, 286, 229, 255),
    (0.97, 0.90, 0.8, 76, 89, 72, 86),
    (0.90, 0.80, 0.8, 82, 94, 80, 86),
    (1.00, 0.95, 0.99, 59, 59, 52, 52),
    (0.99, 0.95, 0.9, 153, 181, 147, 147),
]


@pytest.mark.parametrize(("p1", "p0", "power", "cp", "cp_stable", "w", "w_stable"), LOWER_BOUND_R)
def test_lower_bound_n_matches_r(p1, p0, power, cp, cp_stable, w, w_stable):
    assert n_for_lower_bound(p1, p0, power) == cp
    assert n_for_lower_bound(p1, p0, power, stable=True) == cp_stable
    assert n_for_lower_bound(p1, p0, power, method="wilson") == w
    assert n_for_lower_bound(p1, p0, power, method="wilson", stable=True) == w_stable


# R 4.2.2, tests/R/reference_planning.R: "clopper_pearson power n=... p1=0.98 p0=0.95" lines,
# sum(dbinom(crit:n, n, 0.98)); the wilson lines are identical at these n (except 233, from the
# clopper_pearson "power at first-1, first" line only).
POWER_R = [
    (20, 0.0),
    (59, 0.303625655808286),
    (100, 0.403271710782004),
    (200, 0.628843580128816),
    (233, 0.675987110002925),  # "power at first-1, first" line
    (234, 0.809138831767981),
    (238, 0.798114158717318),
    (286, 0.876915105809401),
    (500, 0.97425864654522),
]


@pytest.mark.parametrize(("n", "power"), POWER_R)
def test_power_matches_r(n, power):
    assert lower_bound_power(n, 0.98, 0.95) == pytest.approx(power, rel=1e-12, abs=1e-15)
    if n != 233:
        assert lower_bound_power(n, 0.98, 0.95, method="wilson") == pytest.approx(
            power, rel=1e-12, abs=1e-15)


def test_power_is_saw_toothed():
    # The drop from n = 234 to 238 is what the Notes describe (values from R, above).
    power = lower_bound_power(np.arange(230, 290), 0.98, 0.95)
    assert np.any(np.diff(power) < 0) and np.any(np.diff(power) > 0)


# R 4.2.2 with pwr 1.3.0 (tests/R/reference_planning.R):
#   pwr.p.test(h=ES.h(p1, p0), sig.level=0.05, power=target, alternative="greater")$n
# The arcsine normal approximation ignores discreteness; the exact first n must be close to it
# (within 15% for these cases: 234 vs 221.1, 76 vs 70.9, 82 vs 76.8, 153 vs 136.3).
PWR_R = [
    (0.98, 0.95, 0.8, 221.067921895245),
    (0.97, 0.90, 0.8, 70.8823409158052),
    (0.90, 0.80, 0.8, 76.7646417698141),
    (0.99, 0.95, 0.9, 136.266153897942),
]


@pytest.mark.parametrize(("p1", "p0", "power", "n_approx"), PWR_R)
def test_exact_n_near_arcsine_approximation(p1, p0, power, n_approx):
    n = n_for_lower_bound(p1, p0, power)
    assert abs(n - n_approx) / n_approx < 0.15


@pytest.mark.parametrize("p0", [0.5, 0.8, 0.95, 0.99])
def test_critical_count_agrees_with_statsmodels(p0):
    from statsmodels.stats.proportion import binom_test_reject_interval

    n = np.arange(1, 400)
    expected = [binom_test_reject_interval(p0, int(m), alpha=0.05, alternative="larger")[1]
                for m in n]
    got = _critical_count(n.astype(float), p0, 0.95, "clopper_pearson")
    np.testing.assert_array_equal(got, np.minimum(expected, n + 1))


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 400), p0=st.floats(0.0, 0.999), method=st.sampled_from(
    ["clopper_pearson", "wilson"]), level=st.sampled_from([0.9, 0.95, 0.99]))
def test_critical_count_is_where_the_lower_bound_crosses(n, p0, method, level):
    # Independent path: the lower bounds of intervals.binomial_ci(..., alternative="greater").
    k = int(_critical_count(np.float64(n), p0, level, method))
    if k <= n:
        low, _ = binomial_ci(k, n, method=method, confidence_level=level, alternative="greater")
        assert low > p0 - 1e-12
    if k >= 1:
        low, _ = binomial_ci(k - 1, n, method=method, confidence_level=level, alternative="greater")
        assert low <= p0 + 1e-12


def test_power_vectorized_and_series():
    s = lower_bound_power(pd.Series([100, 200], index=["x", "y"]), 0.98, 0.95)
    assert s.index.tolist() == ["x", "y"]
    assert s["y"] == pytest.approx(0.628843580128816, rel=1e-12)  # R value above
    assert isinstance(lower_bound_power(100, 0.98, 0.95), float)
    # n = 1: one satisfied respondent never shows "over 95%".
    assert lower_bound_power(1, 1.0, 0.95) == 0.0
    # true rate 0: no satisfied respondents, the bound never clears a positive threshold.
    assert lower_bound_power(50, 0.0, 0.5) == 0.0


def test_lower_bound_n_vectorized():
    out = n_for_lower_bound(pd.Series([0.98, 0.97], index=["a", "b"]), [0.95, 0.90])
    assert out.to_dict() == {"a": 234, "b": 76}  # R values above
    assert isinstance(n_for_lower_bound(0.98, 0.95), int)


@pytest.mark.parametrize(("call", "match"), [
    (lambda: n_for_lower_bound(0.95, 0.95), "exceed threshold"),
    (lambda: n_for_lower_bound(0.90, 0.95), "exceed threshold"),
    (lambda: n_for_lower_bound(0.98, 0.95, power=1.0), "power"),
    (lambda: n_for_lower_bound(0.98, 0.95, power=0), "power"),
    (lambda: n_for_lower_bound(0.98, 1.0), "threshold"),
    (lambda: n_for_lower_bound(1.2, 0.95), "true_rate"),
    (lambda: n_for_lower_bound(0.98, 0.95, method="wald"), "method"),
    (lambda: n_for_lower_bound(0.98, 0.95, confidence_level=1.0), "confidence_level"),
    (lambda: lower_bound_power(0, 0.98, 0.95), "positive integer"),
    (lambda: lower_bound_power(10.5, 0.98, 0.95), "positive integer"),
    (lambda: n_for_all_satisfied(1.0), "p0"),
    (lambda: n_for_all_satisfied(-0.1), "p0"),
    (lambda: n_for_all_satisfied(0.95, confidence_level=0), "confidence_level"),
])
def test_bad_input_raises(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# R 4.2.2, tests/R/reference_planning.R: smallest n with 0.05^(1/n) > p0
# (0.05^(1/59) = 0.950492390111773, 0.05^(1/58) = 0.94966066166958).
@pytest.mark.parametrize(("p0", "n"), [(0.5, 5), (0.8, 14), (0.9, 29), (0.95, 59), (0.99, 299)])
def test_all_satisfied_matches_r(p0, n):
    assert n_for_all_satisfied(p0) == n


def test_all_satisfied_edges():
    # By hand: 0.25^(1/2) = 0.5 is not above 0.5, so n = 2 is not enough at level 0.75.
    assert n_for_all_satisfied(0.5, confidence_level=0.75) == 3
    assert n_for_all_satisfied(0.0) == 1  # 1 of 1 already shows a positive rate
    s = n_for_all_satisfied(pd.Series([0.9, 0.95], index=["a", "b"]))
    assert s.to_dict() == {"a": 29, "b": 59}


@settings(max_examples=60, deadline=None)
@given(p0=st.floats(0.0, 0.995), level=st.floats(0.5, 0.999))
def test_all_satisfied_agrees_with_exact_bound(p0, level):
    # Two code paths: the closed form here and the Clopper-Pearson bound of binomial_ci.
    n = n_for_all_satisfied(p0, confidence_level=level)
    low, _ = binomial_ci(n, n, method="clopper_pearson", confidence_level=level,
                         alternative="greater")
    assert low > p0
    if n > 1:
        low, _ = binomial_ci(n - 1, n - 1, method="clopper_pearson", confidence_level=level,
                             alternative="greater")
        assert low <= p0 * (1 + 1e-12)


@pytest.mark.parametrize("p0", [0.8, 0.9, 0.95])
def test_all_satisfied_is_the_power_one_case(p0):
    # With a true rate of 1 every respondent is satisfied, so the exact power jumps from 0 to 1
    # exactly at n_for_all_satisfied.
    assert n_for_lower_bound(1.0, p0, power=0.5) == n_for_all_satisfied(p0)


def test_design_effect_inflates_the_independent_answer_sizes():
    # Kish (1965) effective sample size: n = ceil(deff * n_srs). The SRS sizes 215 and 234 are
    # the R-verified values of this file (tests/R/reference_planning.out); 1.93 * 215 = 414.95,
    # 1.93 * 234 = 451.62.
    from survey_analysis import n_for_half_width, n_for_lower_bound

    assert n_for_half_width(0.95, 0.03) == 215
    assert n_for_half_width(0.95, 0.03, design_effect=1.93) == 415
    assert n_for_lower_bound(0.98, 0.95) == 234
    assert n_for_lower_bound(0.98, 0.95, design_effect=1.93) == 452
    assert n_for_half_width(0.95, 0.03, design_effect=1.0) == 215
    for bad in (0, -1, float("nan"), "x"):
        with pytest.raises(ValueError, match="design_effect must be a positive number"):
            n_for_half_width(0.95, 0.03, design_effect=bad)
