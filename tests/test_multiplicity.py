"""adjust_pvalues, simultaneous_confidence_level and threshold_tests against R; edges, properties.

R values: R 4.2.2, tests/R/reference_comparisons.R, output in tests/R/reference_comparisons.out.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from survey_analysis import item_rates
from survey_analysis.estimate.multiplicity import (
    PVALUE_ADJUSTMENTS,
    adjust_pvalues,
    simultaneous_confidence_level,
    threshold_tests,
)

NAN = np.nan

# R: p <- c(0.01, 0.04, NA, 0.03, 0.005, 0.2, 0.04, 1); p.adjust(p, method = ...)
# (NA entries are dropped from the number of tests, m = 7); Sidak: 1 - (1 - p)^7.
P_WITH_NA = [0.01, 0.04, NAN, 0.03, 0.005, 0.2, 0.04, 1.0]
R_ADJUSTED_WITH_NA = {
    "bonferroni": [0.07, 0.28, NAN, 0.21, 0.035, 1, 0.28, 1],
    "holm": [0.06, 0.16, NAN, 0.15, 0.035, 0.4, 0.16, 1],
    "benjamini_hochberg": [0.035, 0.056, NAN, 0.056, 0.035, 0.233333333333333, 0.056, 1],
    "sidak": [0.0679346520930101, 0.24855252189184, NAN, 0.19201715521887, 0.0344793531905158,
              0.7902848, 0.24855252189184, 1],
    # R 4.2.2: p.adjust(p, method = "hochberg") (tests/R/reference_comparisons.R, section 5)
    "hochberg": [0.06, 0.12, NAN, 0.12, 0.035, 0.4, 0.12, 1],
    # R 4.2.2: p.adjust(p, method = "BY") (tests/R/reference_comparisons.R, section 5)
    "benjamini_yekutieli": [0.09075, 0.1452, NAN, 0.1452, 0.09075, 0.605, 0.1452, 1],
}

# R: set.seed(20240503); q <- signif(runif(25)^3, 6); p.adjust(q, method = ...);
# Sidak 1 - (1 - q)^25.
Q = [0.810996, 0.470883, 0.748297, 0.680876, 0.278617, 0.570781, 0.829223, 0.533197, 0.346575,
     0.0330521, 0.000388366, 0.57978, 0.145652, 0.131016, 0.186939, 0.0723859, 0.000238327,
     0.256934, 0.194878, 0.00450635, 1.18269e-07, 0.926511, 0.232304, 0.0046607, 0.00465154]
R_ADJUSTED_Q = {
    "bonferroni": [1, 1, 1, 1, 1, 1, 1, 1, 1, 0.8263025, 0.00970915, 1, 1, 1, 1, 1, 0.005958175,
                   1, 1, 0.11265875, 2.956725e-06, 1, 1, 0.1165175, 0.1162885],
    "holm": [1, 1, 1, 1, 1, 1, 1, 1, 1, 0.6279899, 0.008932418, 1, 1, 1, 1, 1, 0.005719848, 1, 1,
             0.0991397, 2.956725e-06, 1, 1, 0.0991397, 0.0991397],
    "benjamini_hochberg": [
        0.863773958333333, 0.692475, 0.8503375, 0.810566666666667, 0.464361666666667, 0.724725,
        0.863773958333333, 0.724725, 0.5415234375, 0.118043214285714, 0.00323638333333333,
        0.724725, 0.36413, 0.363933333333333, 0.405995833333333, 0.2262059375,
        0.0029790875, 0.458810714285714, 0.405995833333333, 0.0194195833333333, 2.956725e-06,
        0.926511, 0.446738461538462, 0.0194195833333333, 0.0194195833333333],
    "sidak": [
        1, 0.999999877314601, 0.999999999999999, 0.999999999999603, 0.9997154572073,
        0.999999999343895, 1, 0.999999994650158, 0.999976017543609, 0.568404543963378,
        0.00966403599371435, 0.999999999613706, 0.980462446624541, 0.970125922454662,
        0.994336586844257, 0.847178824688624, 0.00594116616645857, 0.999403397937293,
        0.995568585768645, 0.10677194954591, 2.9567208046366e-06, 1, 0.998651869469227,
        0.110227861493245, 0.110023126963785],
    # R 4.2.2: p.adjust(q, method = "hochberg") (tests/R/reference_comparisons.R, section 5)
    "hochberg": [
        0.926511, 0.926511, 0.926511, 0.926511, 0.926511, 0.926511, 0.926511, 0.926511, 0.926511,
        0.6279899, 0.008932418, 0.926511, 0.926511, 0.926511, 0.926511, 0.926511, 0.005719848,
        0.926511, 0.926511, 0.093214, 2.956725e-06, 0.926511, 0.926511, 0.093214, 0.093214],
    # R 4.2.2: p.adjust(q, method = "BY") (tests/R/reference_comparisons.R, section 5)
    "benjamini_yekutieli": [
        1, 1, 1, 1, 1, 1, 1, 1, 1, 0.450447968881881, 0.0123499034471785, 1, 1, 1, 1,
        0.863192397059524, 0.0113680733078683, 1, 1, 0.074104317829399, 1.12827389431182e-05, 1,
        1, 0.074104317829399, 0.074104317829399],
}

# Ties and the ends of [0, 1]: tied <- c(0.02, 0.02, 0.02, 0.5, 0.5, 0)
TIED = [0.02, 0.02, 0.02, 0.5, 0.5, 0.0]
R_ADJUSTED_TIED = {
    # R 4.2.2: p.adjust(tied, method = "hochberg") (tests/R/reference_comparisons.R, section 5)
    "hochberg": [0.06, 0.06, 0.06, 0.5, 0.5, 0],
    # R 4.2.2: p.adjust(tied, method = "BY") (tests/R/reference_comparisons.R, section 5)
    "benjamini_yekutieli": [0.0735, 0.0735, 0.0735, 1, 1, 0],
}


@pytest.mark.parametrize("method", PVALUE_ADJUSTMENTS)
def test_adjust_pvalues_matches_r_with_missing(method):
    got = adjust_pvalues(P_WITH_NA, method)
    np.testing.assert_allclose(got, R_ADJUSTED_WITH_NA[method], rtol=1e-13, equal_nan=True)


@pytest.mark.parametrize("method", PVALUE_ADJUSTMENTS)
def test_adjust_pvalues_matches_r_random(method):
    # R's 1 - (1 - q)^m cancels for small q (relative error ~1e-10 at q = 1e-7); ours uses
    # -expm1(m log1p(-q)), so Sidak is compared to 1e-9 only.
    rtol = 1e-9 if method == "sidak" else 1e-13
    np.testing.assert_allclose(adjust_pvalues(Q, method), R_ADJUSTED_Q[method], rtol=rtol)


@pytest.mark.parametrize("method", ["hochberg", "benjamini_yekutieli"])
def test_adjust_pvalues_ties_match_r(method):
    got = adjust_pvalues(TIED, method)
    np.testing.assert_allclose(got, R_ADJUSTED_TIED[method], rtol=1e-13, atol=0)
    # the order of tied entries does not matter: a permutation permutes the result
    perm = [5, 3, 0, 4, 2, 1]
    np.testing.assert_array_equal(adjust_pvalues(np.array(TIED)[perm], method), got[perm])


@pytest.mark.parametrize("method", ["hochberg", "benjamini_yekutieli"])
def test_new_adjustments_edges(method):
    assert np.isnan(adjust_pvalues([NAN, NAN, NAN], method)).all()
    assert adjust_pvalues([], method).shape == (0,)
    # a single test is not adjusted (c(1) = 1 for BY), also when nan entries surround it
    assert adjust_pvalues(0.03, method) == pytest.approx(0.03, rel=1e-15)
    np.testing.assert_allclose(adjust_pvalues([NAN, 0.03, NAN], method), [NAN, 0.03, NAN],
                               rtol=1e-15)
    np.testing.assert_array_equal(adjust_pvalues([0.0, 1.0, 0.0], method), [0.0, 1.0, 0.0])
    s = pd.Series([0.2, NAN], index=["a", "b"], name="p")
    out = adjust_pvalues(s, method)
    assert out.index.equals(s.index) and out.name == "p" and out["a"] == pytest.approx(0.2)


@pytest.mark.parametrize(("method", "sm_method"), [
    ("bonferroni", "bonferroni"), ("sidak", "sidak"), ("holm", "holm"),
    ("benjamini_hochberg", "fdr_bh"), ("hochberg", "simes-hochberg"),
    ("benjamini_yekutieli", "fdr_by")])
def test_adjust_pvalues_matches_statsmodels(method, sm_method):
    # statsmodels.stats.multitest.multipletests (test-only second reference), with ties.
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(7)
    p = np.round(rng.uniform(size=60) ** 2, 3)
    np.testing.assert_allclose(adjust_pvalues(p, method), multipletests(p, method=sm_method)[1],
                               rtol=1e-12, atol=1e-15)


def test_adjust_pvalues_series_scalar_and_empty():
    s = pd.Series([0.01, NAN, 0.02], index=pd.Index(["甲", "乙", "丙"], name="item_id"), name="p")
    out = adjust_pvalues(s, "bonferroni")
    assert isinstance(out, pd.Series) and out.index.equals(s.index) and out.name == "p"
    assert out.tolist()[0] == pytest.approx(0.02) and np.isnan(out["乙"])  # m = 2, not 3
    assert adjust_pvalues(0.03, "holm") == 0.03 and isinstance(adjust_pvalues(0.03), float)
    assert adjust_pvalues([], "holm").shape == (0,)
    assert np.isnan(adjust_pvalues([NAN, NAN], "benjamini_hochberg")).all()
    # p = 0 and p = 1 stay where they are for every method
    for method in PVALUE_ADJUSTMENTS:
        np.testing.assert_array_equal(adjust_pvalues([0.0, 1.0], method), [0.0, 1.0])


def test_sidak_keeps_precision_for_tiny_p():
    # 1 - (1 - p)^m rounds to 0 in double precision for p = 1e-20; the exact value is
    # m p - C(m,2) p^2 + ... = 1e-19 to 19 digits.
    assert adjust_pvalues([1e-20] * 10, "sidak")[0] == pytest.approx(1e-19, rel=1e-12)


@pytest.mark.parametrize(("p", "kwargs", "match"), [
    ([0.1, 1.2], {}, r"\[0, 1\].*1.2"),
    ([-0.1], {}, r"\[0, 1\]"),
    ([[0.1, 0.2]], {}, "one-dimensional"),
    ([0.1], {"method": "BH"}, r"unknown method 'BH'.*'benjamini_hochberg'"),
    ([0.1], {"method": "fdr"}, "unknown method"),
    ([0.1], {"method": "BY"}, r"unknown method 'BY'.*'hochberg', 'benjamini_yekutieli'"),
])
def test_adjust_pvalues_bad_input(p, kwargs, match):
    with pytest.raises(ValueError, match=match):
        adjust_pvalues(p, **kwargs)


pvalue_lists = st.lists(st.one_of(st.floats(0, 1), st.just(NAN)), min_size=1, max_size=30)


@settings(max_examples=100, deadline=None)
@given(pvalue_lists)
def test_adjust_pvalues_properties(p):
    p = np.array(p)
    ok = ~np.isnan(p)
    adjusted = {m: adjust_pvalues(p, m) for m in PVALUE_ADJUSTMENTS}
    for values in adjusted.values():
        np.testing.assert_array_equal(np.isnan(values), ~ok)   # nan stays nan, nothing else
        assert np.all((values[ok] >= p[ok] - 1e-15) & (values[ok] <= 1.0))
        order = np.argsort(p[ok], kind="stable")                # adjustment keeps the order
        assert np.all(np.diff(values[ok][order]) >= -1e-15)
    # Bonferroni >= Sidak, Bonferroni >= Holm >= BH (Holm is step-down Bonferroni; BH is FDR).
    assert np.all(adjusted["bonferroni"][ok] >= adjusted["sidak"][ok] - 1e-12)
    assert np.all(adjusted["bonferroni"][ok] >= adjusted["holm"][ok] - 1e-15)
    assert np.all(adjusted["holm"][ok] >= adjusted["benjamini_hochberg"][ok] - 1e-15)


@settings(max_examples=200, deadline=None)
@given(pvalue_lists)
def test_hochberg_and_benjamini_yekutieli_orderings(p):
    # Hochberg (step-up) rejects at least what Holm (step-down, same multipliers) rejects, and
    # its multipliers m - j + 1 are >= BH's m / j; BY is BH made valid under any dependence by
    # the factor c(m) = 1 + 1/2 + ... + 1/m >= 1, so BY = min(1, c(m) BH) exactly.
    p = np.array(p)
    ok = ~np.isnan(p)
    holm, hochberg = adjust_pvalues(p, "holm")[ok], adjust_pvalues(p, "hochberg")[ok]
    bh = adjust_pvalues(p, "benjamini_hochberg")[ok]
    by = adjust_pvalues(p, "benjamini_yekutieli")[ok]
    assert np.all(hochberg <= holm + 1e-15)
    assert np.all(hochberg >= bh - 1e-15)
    assert np.all(by >= bh - 1e-15)
    c_m = np.sum(1.0 / np.arange(1, ok.sum() + 1))
    np.testing.assert_allclose(by, np.minimum(1.0, c_m * bh), rtol=1e-12, atol=1e-300)


# ------------------------------------------------------------------------------------------
def test_simultaneous_confidence_level():
    # Bonferroni: the m tail probabilities add up to 1 - level; Sidak: level_i^m = level.
    for m in (1, 2, 11, 152):
        b = simultaneous_confidence_level(0.95, m)
        s = simultaneous_confidence_level(0.95, m, "sidak")
        assert m * (1 - b) == pytest.approx(0.05, rel=1e-12)
        assert s**m == pytest.approx(0.95, rel=1e-12)
        assert s <= b < 1.0   # Sidak's per-interval level is lower: narrower intervals
    assert simultaneous_confidence_level(0.9, 1) == pytest.approx(0.9)
    arr = simultaneous_confidence_level(0.95, np.array([1, 10]))
    np.testing.assert_allclose(arr, [0.95, 0.995])


@pytest.mark.parametrize(("args", "match"), [
    ((0.95, 0), "whole number >= 1"), ((0.95, 2.5), "whole number"), ((0.95, -1), ">= 1"),
    ((95, 3), "strictly between 0 and 1"), ((0.95, 3, "holm"), "unknown method 'holm'"),
])
def test_simultaneous_confidence_level_bad(args, match):
    with pytest.raises(ValueError, match=match):
        simultaneous_confidence_level(*args)


# ------------------------------------------------------------------------------------------
# R: binom.test(k, n, p = 0.95, alternative = "greater")$p.value, then p.adjust(, "holm"/"BH");
# lower bounds: binom.test(k, n, alternative = "greater", conf.level = L)$conf.int[1] with
# L = 0.95, 1 - 0.05/11 (Bonferroni) and 0.95^(1/11) (Sidak).
K = [20, 58, 59, 150, 29, 0, 95, 100, 1, 199, 152]
N = [20, 58, 59, 152, 29, 5, 100, 100, 1, 200, 160]
R_P = [0.358485922408542, 0.0510468686836033, 0.0484945252494231, 0.0167701174981796,
       0.225935540992566, 1, 0.61599912795614, 0.005920529220334, 0.95, 0.000404028100447025,
       0.592577947444077]
R_HOLM = [1, 0.387956201995385, 0.387956201995385, 0.150931057483617, 1, 1, 1, 0.05920529220334,
          1, 0.00444430910491728, 1]
R_BH = [0.563335020927709, 0.112303111103927, 0.112303111103927, 0.0614904308266587,
        0.41421515848637, 1, 0.752887823057504, 0.032562910711837, 1, 0.00444430910491728,
        0.752887823057504]
R_LB = [0.860891659331735, 0.94966066166958, 0.950492390111773, 0.959161737110124,
        0.901855372322704, 0, 0.897746622356726, 0.97048695039296, 0.05, 0.976501529565049,
        0.911593792443191]
R_LB_BONFERRONI = [0.763622763112431, 0.911199351648426, 0.91263668219133, 0.939695080573653,
                   0.830284258444512, 0, 0.863608629278996, 0.947492483097343,
                   0.00454545454545452, 0.962919220143772, 0.886785686464335]
R_LB_SIDAK = [0.764509324779224, 0.911564005150235, 0.912995719364867, 0.939873615098171,
              0.830948935485538, 0, 0.863911532419989, 0.947712387670178, 0.00465217173219734,
              0.963046125397371, 0.887004263543055]


def _rates():
    return pd.DataFrame({"item_id": [f"SX{i:03d}" for i in range(1, 12)], "n": N, "satisfied": K})


def test_threshold_tests_match_r():
    out = threshold_tests(_rates())
    np.testing.assert_allclose(out["p_value"], R_P, rtol=1e-12)
    np.testing.assert_allclose(out["p_adjusted"], R_HOLM, rtol=1e-12)
    np.testing.assert_allclose(out["lower_bound"], R_LB, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(out["simultaneous_lower_bound"], R_LB_BONFERRONI, rtol=1e-10,
                               atol=1e-15)
    assert out["m"].eq(11).all()
    # Holm at 5%: only 199/200 (0.00444); 100/100 has 0.0592.
    assert out.loc[out["reject"], "item_id"].tolist() == ["SX010"]
    bh = threshold_tests(_rates(), pvalue_adjustment="benjamini_hochberg", bound_adjustment="sidak")
    np.testing.assert_allclose(bh["p_adjusted"], R_BH, rtol=1e-12)
    np.testing.assert_allclose(bh["simultaneous_lower_bound"], R_LB_SIDAK, rtol=1e-10, atol=1e-15)
    assert bh.loc[bh["reject"], "item_id"].tolist() == ["SX008", "SX010"]


def test_threshold_tests_other_thresholds_match_r():
    rates = pd.DataFrame({"item_id": ["x"], "n": [100], "satisfied": [90]})
    # R: binom.test(90, 100, p = 0.95, alternative = "greater")$p.value
    assert threshold_tests(rates)["p_value"].iloc[0] == pytest.approx(0.988527589932515, rel=1e-12)
    rates = pd.DataFrame({"item_id": ["x"], "n": [20], "satisfied": [18]})
    # R: binom.test(18, 20, p = 0.8, alternative = "greater")$p.value
    got = threshold_tests(rates, threshold=0.8)["p_value"].iloc[0]
    assert got == pytest.approx(0.206084718948474, rel=1e-12)


def test_all_satisfied_needs_59_respondents_for_95_percent():
    # DESIGN.md: 100% shows "above 95%" only from n = 59 (0.95^58 = 0.051, 0.95^59 = 0.0485).
    rates = pd.DataFrame({"item_id": ["a", "b"], "n": [58, 59], "satisfied": [58, 59]})
    out = threshold_tests(rates, pvalue_adjustment="bonferroni")
    np.testing.assert_allclose(out["p_value"], [0.95**58, 0.95**59], rtol=1e-12)
    single = [threshold_tests(rates.iloc[[i]])["reject"].item() for i in (0, 1)]
    assert single == [False, True]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 300).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
                min_size=1, max_size=12),
       st.sampled_from([0.8, 0.9, 0.95]), st.sampled_from([0.9, 0.95, 0.99]))
def test_bonferroni_rejection_equals_simultaneous_bound(kn, threshold, level):
    # p_value <= alpha exactly when the one-sided Clopper-Pearson bound at 1 - alpha is >= p0.
    rates = pd.DataFrame({"n": [n for _, n in kn], "satisfied": [k for k, _ in kn]})
    out = threshold_tests(rates, threshold, level, "bonferroni", "bonferroni")
    bound_says = out["simultaneous_lower_bound"] >= threshold
    # skip the measure-zero ties where bound and threshold agree to rounding
    clear = (out["simultaneous_lower_bound"] - threshold).abs() > 1e-9
    assert (out["reject"][clear] == bound_says[clear]).all()
    assert ((out["lower_bound"] >= out["simultaneous_lower_bound"] - 1e-15)
            & (out["lower_bound"] <= out["rate"] + 1e-15)).all()


def test_threshold_tests_edges_and_columns():
    rates = pd.DataFrame({"item_id": ["a", "b", "c"], "community": ["东", "西", "西"],
                          "n": [0, 1, 1], "satisfied": [0, 1, 0]})
    out = threshold_tests(rates)
    assert list(out.columns) == [
        "item_id", "community", "n", "satisfied", "rate", "threshold", "alternative", "p_value",
        "p_adjusted", "reject", "lower_bound", "simultaneous_lower_bound", "m",
        "pvalue_adjustment", "bound_adjustment", "confidence_level"]
    assert out["alternative"].eq("greater").all()
    assert np.isnan(out.loc[0, ["rate", "p_value", "p_adjusted", "lower_bound",
                                "simultaneous_lower_bound"]].astype(float)).all()
    assert not out.loc[0, "reject"] and out["m"].eq(2).all()      # the empty item is not a test
    # n = 1: 1 of 1 gives P(X >= 1) = 0.95; 0 of 1 gives 1. Bounds 0.05 and 0.
    np.testing.assert_allclose(out.loc[1:, "p_value"], [0.95, 1.0])
    np.testing.assert_allclose(out.loc[1:, "lower_bound"], [0.05, 0.0], atol=1e-15)
    # nothing tested at all
    none = threshold_tests(rates.iloc[[0]])
    assert none["m"].eq(0).all() and np.isnan(none["simultaneous_lower_bound"]).all()


def test_threshold_tests_on_item_rates_output():
    r = pd.DataFrame({"item_id": ["A"] * 4 + ["B"] * 2,
                      "rating": ["满意", "满意", "基本满意", "不满意", "满意", "满意"],
                      "scale": 3, "rank": [1, 1, 2, 3, 1, 1]})
    out = threshold_tests(item_rates(r), threshold=0.5)
    assert out.columns[0] == "item_id" and "ci_low" not in out.columns
    # A: 3 of 4 at p0 = 0.5: P(X >= 3) = 5/16; B: 2 of 2: 1/4 (binomial sums by hand)
    np.testing.assert_allclose(out["p_value"], [5 / 16, 1 / 4], rtol=1e-12)


@pytest.mark.parametrize(("rates", "kwargs", "match"), [
    (pd.DataFrame({"n": [10]}), {}, "missing \\['satisfied'\\]"),
    (pd.DataFrame({"n": [10.0], "satisfied": [9.5]}), {}, "whole-number"),
    (pd.DataFrame({"n": [10], "satisfied": [11]}), {}, "must not exceed"),
    (pd.DataFrame({"n": [10], "satisfied": [9]}), {"threshold": 95}, "not 95"),
    (pd.DataFrame({"n": [10], "satisfied": [9]}), {"threshold": 1.0}, "strictly between"),
    (pd.DataFrame({"n": [10], "satisfied": [9]}), {"confidence_level": 1.5}, "strictly between"),
    (pd.DataFrame({"n": [10], "satisfied": [9]}), {"pvalue_adjustment": "BH"}, "unknown"),
    (pd.DataFrame({"n": [10], "satisfied": [9]}), {"bound_adjustment": "holm"}, "unknown"),
    (pd.DataFrame({"n": [10], "satisfied": [9]}), {"alternative": "two-sided"},
     r"unknown alternative 'two-sided'; allowed: 'greater', 'less'"),
    (pd.DataFrame({"n": [10], "satisfied": [9]}), {"alternative": "lower"},
     r"unknown alternative 'lower'"),
])
def test_threshold_tests_bad_input(rates, kwargs, match):
    with pytest.raises(ValueError, match=match):
        threshold_tests(rates, **kwargs)


# ------------------------------------------------------------------------------------------
# alternative="less": is the item shown BELOW the threshold?
# R 4.2.2, tests/R/reference_comparisons.R, section 6:
#   kl <- c(20, 0, 5, 1, 0, 80, 90, 140, 180, 45, 95, 150, 283)
#   nl <- c(20, 5, 5, 1, 1, 100, 100, 152, 200, 50, 100, 152, 300)
KL = [20, 0, 5, 1, 0, 80, 90, 140, 180, 45, 95, 150, 283]
NL = [20, 5, 5, 1, 1, 100, 100, 152, 200, 50, 100, 152, 300]
# R 4.2.2: binom.test(kl, nl, p = 0.95, alternative = "less")$p.value (per pair, mapply)
R_P_LESS = [1, 3.12500000000001e-07, 1, 1, 0.0500000000000001, 1.05229534201475e-07,
            0.0281882941634163, 0.0798969739997883, 0.00266457954982948, 0.103616810144144,
            0.564018699314289, 0.996299754719757, 0.333360984214134]
R_ADJUSTED_LESS = {
    # R 4.2.2: p.adjust(pvl, "holm") (tests/R/reference_comparisons.R, section 6)
    "holm": [1, 3.75000000000001e-06, 1, 1, 0.45, 1.36798394461917e-06, 0.281882941634163,
             0.639175791998306, 0.0293103750481243, 0.725317671009006, 1, 1, 1],
    # R 4.2.2: p.adjust(pvl, "BH") (tests/R/reference_comparisons.R, section 6)
    "benjamini_hochberg": [1, 2.03125000000001e-06, 1, 1, 0.13, 1.36798394461917e-06,
                           0.0916119560311029, 0.173110110332875, 0.0115465113825944,
                           0.192431218839124, 0.814693676787306, 1, 0.541711599347967],
    # R 4.2.2: p.adjust(pvl, "hochberg") (tests/R/reference_comparisons.R, section 6)
    "hochberg": [1, 3.75000000000001e-06, 1, 1, 0.45, 1.36798394461917e-06, 0.281882941634163,
                 0.639175791998306, 0.0293103750481243, 0.725317671009006, 1, 1, 1],
    # R 4.2.2: p.adjust(pvl, "BY") (tests/R/reference_comparisons.R, section 6)
    "benjamini_yekutieli": [1, 6.45964669011547e-06, 1, 1, 0.413417388167389,
                            4.35037191876445e-06, 0.29133827374834, 0.550513305224503,
                            0.0367194506018246, 0.611957014571829, 1, 1, 1],
}
# R 4.2.2: binom.test(k, n, alternative = "less", conf.level = 0.95)$conf.int[2]
R_UB = [1, 0.450719728346941, 1, 1, 0.95, 0.863338674754133, 0.94473676231713,
        0.953816116634893, 0.93273859889986, 0.959763409597885, 0.980094436337828,
        0.997657114031235, 0.963575207656359]
# R 4.2.2: binom.test(k, n, alternative = "less", conf.level = 1 - 0.05/13)$conf.int[2]
R_UB_BONFERRONI = [1, 0.671144332868704, 1, 1, 0.996153846153846, 0.894094764042786,
                   0.963222795949861, 0.967906299382043, 0.948326708108116, 0.979128125375156,
                   0.989725975024879, 0.999403620546255, 0.972875909665863]
# R 4.2.2: binom.test(k, n, alternative = "less", conf.level = 0.95^(1/13))$conf.int[2]
R_UB_SIDAK = [1, 0.669590787670203, 1, 1, 0.996062135772356, 0.893874059557804,
              0.963098511725422, 0.967810016950375, 0.948215836718019, 0.979011269820128,
              0.989668143950637, 0.999396333854618, 0.972810687799669]


def _rates_less():
    return pd.DataFrame({"item_id": [f"L{i:02d}" for i in range(13)], "n": NL, "satisfied": KL})


def test_threshold_tests_less_match_r():
    out = threshold_tests(_rates_less(), alternative="less")
    np.testing.assert_allclose(out["p_value"], R_P_LESS, rtol=1e-12)
    np.testing.assert_allclose(out["p_adjusted"], R_ADJUSTED_LESS["holm"], rtol=1e-12)
    np.testing.assert_allclose(out["upper_bound"], R_UB, rtol=1e-10)
    np.testing.assert_allclose(out["simultaneous_upper_bound"], R_UB_BONFERRONI, rtol=1e-10)
    assert out["alternative"].eq("less").all() and out["m"].eq(13).all()
    # Holm at 5%: 0/5 (3.75e-6), 80/100 (1.4e-6) and 180/200 (0.029) are shown below 95%.
    assert out.loc[out["reject"], "item_id"].tolist() == ["L01", "L05", "L08"]
    for method in ("benjamini_hochberg", "hochberg", "benjamini_yekutieli"):
        got = threshold_tests(_rates_less(), pvalue_adjustment=method, alternative="less")
        np.testing.assert_allclose(got["p_adjusted"], R_ADJUSTED_LESS[method], rtol=1e-12)
    sidak = threshold_tests(_rates_less(), bound_adjustment="sidak", alternative="less")
    np.testing.assert_allclose(sidak["simultaneous_upper_bound"], R_UB_SIDAK, rtol=1e-10)


def test_threshold_tests_less_other_threshold_matches_r():
    rates = pd.DataFrame({"item_id": ["x"], "n": [20], "satisfied": [15]})
    # R 4.2.2: binom.test(15, 20, p = 0.9, alternative = "less")$p.value
    # (tests/R/reference_comparisons.R, section 6)
    got = threshold_tests(rates, threshold=0.9, alternative="less")["p_value"].iloc[0]
    assert got == pytest.approx(0.0431744952844633, rel=1e-12)


def test_threshold_tests_less_edges_and_columns():
    rates = pd.DataFrame({"item_id": ["empty", "none", "all", "one_no", "one_yes"],
                          "community": ["东", "西", "西", "东", "东"],
                          "n": [0, 30, 30, 1, 1], "satisfied": [0, 0, 30, 0, 1]})
    out = threshold_tests(rates, alternative="less", pvalue_adjustment="bonferroni")
    assert list(out.columns) == [
        "item_id", "community", "n", "satisfied", "rate", "threshold", "alternative", "p_value",
        "p_adjusted", "reject", "upper_bound", "simultaneous_upper_bound", "m",
        "pvalue_adjustment", "bound_adjustment", "confidence_level"]
    # n = 0: nan results, not a test, never rejected (as for "greater")
    assert np.isnan(out.loc[0, ["rate", "p_value", "p_adjusted", "upper_bound",
                                "simultaneous_upper_bound"]].astype(float)).all()
    assert not out.loc[0, "reject"] and out["m"].eq(4).all()
    # 0 of n: P(X <= 0) = 0.05^n, upper bound 1 - alpha^(1/n) (Clopper-Pearson by hand);
    # n of n: P(X <= n) = 1, upper bound 1; n = 1: 0 of 1 gives 0.05 and 0.95, 1 of 1 gives 1, 1.
    np.testing.assert_allclose(out.loc[1:, "p_value"], [0.05**30, 1.0, 0.05, 1.0], rtol=1e-12)
    np.testing.assert_allclose(out.loc[1:, "upper_bound"],
                               [1 - 0.05 ** (1 / 30), 1.0, 0.95, 1.0], rtol=1e-12)
    np.testing.assert_allclose(out.loc[1:, "simultaneous_upper_bound"],
                               [1 - (0.05 / 4) ** (1 / 30), 1.0, 1 - 0.05 / 4, 1.0], rtol=1e-12)
    np.testing.assert_allclose(out.loc[1:, "p_adjusted"], [4 * 0.05**30, 1.0, 0.2, 1.0],
                               rtol=1e-12)
    assert out["reject"].tolist() == [False, True, False, False, False]
    # nothing tested at all
    none = threshold_tests(rates.iloc[[0]], alternative="less")
    assert none["m"].eq(0).all() and np.isnan(none["simultaneous_upper_bound"]).all()
    assert not none["reject"].any()


def test_threshold_tests_greater_unchanged_by_default():
    explicit = threshold_tests(_rates(), alternative="greater")
    pd.testing.assert_frame_equal(threshold_tests(_rates()), explicit)
    assert "upper_bound" not in explicit.columns


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 300).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
                min_size=1, max_size=12),
       st.sampled_from([0.8, 0.9, 0.95]), st.sampled_from([0.9, 0.95, 0.99]))
def test_less_bonferroni_rejection_equals_simultaneous_upper_bound(kn, threshold, level):
    # P(X <= k | p0) <= alpha exactly when the one-sided Clopper-Pearson upper bound at
    # 1 - alpha is <= p0.
    rates = pd.DataFrame({"n": [n for _, n in kn], "satisfied": [k for k, _ in kn]})
    out = threshold_tests(rates, threshold, level, "bonferroni", "bonferroni", "less")
    bound_says = out["simultaneous_upper_bound"] <= threshold
    clear = (out["simultaneous_upper_bound"] - threshold).abs() > 1e-9
    assert (out["reject"][clear] == bound_says[clear]).all()
    assert ((out["upper_bound"] <= out["simultaneous_upper_bound"] + 1e-15)
            & (out["upper_bound"] >= out["rate"] - 1e-15)).all()
    # the two one-sided p-values of the same counts add up to 1 + P(X = k)
    greater = threshold_tests(rates, threshold, level, "bonferroni", "bonferroni", "greater")
    point = stats.binom.pmf(rates["satisfied"], rates["n"], threshold)
    np.testing.assert_allclose(out["p_value"] + greater["p_value"], 1 + point, rtol=1e-12)
