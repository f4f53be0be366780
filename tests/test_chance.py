"""Number of items at 100%: the Poisson-binomial pmf against R (DP written in R, dbinom), direct
enumeration, numerical integration for the Beta prior; edges and properties."""

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from survey_analysis.estimate.chance import (
    CountDistribution,
    count_at_100_distribution,
    poisson_binomial_pmf,
)
from survey_analysis.estimate.shrinkage import fit_beta_binomial
from survey_analysis.words import SurveyError


def _enumerate_pmf(p):
    """Independent reference: sum the probability of every 0/1 outcome vector (2^m terms)."""
    p = np.asarray(p, dtype=float)
    pmf = np.zeros(len(p) + 1)
    for outcome in itertools.product((0, 1), repeat=len(p)):
        x = np.array(outcome, dtype=int)
        pmf[int(x.sum())] += np.prod(np.where(x == 1, p, 1 - p))
    return pmf


# E1 (tests/R/reference_chance.R, R 4.2.2): n = c(5, 10, 20, 3, 40, 1), rate 0.9, p_i = 0.9^n;
# pmf from the recursion written in R: pmf <- c(pmf * (1 - p), 0) + c(0, pmf * p)
E1_N = [5, 10, 20, 3, 40, 1]
R_E1_PMF = [0.00625555657484085, 0.0864563305077233, 0.314000750696539, 0.402240194919493,
            0.172131024979326, 0.0186733928770462, 0.000242749445031547]
R_E1_MEAN_VAR = (2.704525977632, 0.877830525499472)


def test_fixed_rate_matches_r_and_enumeration():
    dist = count_at_100_distribution(E1_N, rate=0.9)
    assert isinstance(dist, CountDistribution)
    np.testing.assert_allclose(dist.pmf, R_E1_PMF, rtol=1e-13)
    np.testing.assert_allclose(dist.pmf, _enumerate_pmf(0.9 ** np.array(E1_N)), rtol=1e-13)
    assert (dist.mean, dist.var) == pytest.approx(R_E1_MEAN_VAR, rel=1e-13)
    assert list(dist.pmf.index) == list(range(7)) and dist.model == "fixed rate"


# E2: 152 items of 30 respondents at true rate 0.95 -> Binomial(152, 0.95^30).
# R 4.2.2: dbinom(0:60, 152, 0.95^30); sum(dbinom(11:19, 152, p)) = 0.00316808401265713;
# qbinom(c(0.025, 0.975), 152, p) = 23 43; the R recursion equals dbinom to 3.3e-16.
R_E2_DBINOM_0_60 = [
    1.12346138476026e-16, 4.66702830334828e-15, 9.62999548420128e-14, 1.31593605121278e-12,
    1.33967594462865e-11, 1.08375263749603e-10, 7.25662948256466e-10, 4.13645650305182e-09,
    2.04901517245669e-08, 8.95991426568393e-08, 3.50169719825635e-07, 1.2354152132772e-06,
    3.9672494520719e-06, 1.16765055304073e-05, 3.16838793668189e-05, 7.96645074983004e-05,
    0.000186425002353094, 0.000407598748051474, 0.000835473736000326, 0.00161035896919136,
    0.00292673255885843, 0.00502778123334251, 0.00818207930473957, 0.0126391508727341,
    0.0185667146897861, 0.0259802736927818, 0.0346826914305809, 0.0442342094649661,
    0.0539695688955698, 0.0630683302935492, 0.0706698040726724, 0.076009998026987,
    0.0785497505896484, 0.0780640023308767, 0.0746719607463817, 0.068803449970518,
    0.0611128128441627, 0.0523633274037737, 0.0433092015058573, 0.0345986471886521,
    0.0267126065499095, 0.0199429376088671, 0.0144046103887002, 0.010070810936414,
    0.0068183134314451, 0.00447225852230247, 0.00284309612540779, 0.00175242018934062,
    0.00104767120313478, 0.00060771640944457, 0.000342142386843729, 0.000187014626220459,
    9.92732639158723e-05, 5.11911785764835e-05, 2.56492848322096e-05, 1.24904286746838e-05,
    5.91288929790523e-06, 2.72166596672575e-06, 1.21834176325515e-06, 5.30497901943456e-07,
    2.24726385153223e-07]


def test_equal_probabilities_give_r_dbinom():
    dist = count_at_100_distribution(np.full(152, 30), rate=0.95)
    # Recursion vs dbinom: sums of positive terms, so relative agreement even in the far tail.
    np.testing.assert_allclose(dist.pmf.iloc[:61], R_E2_DBINOM_0_60, rtol=1e-10)
    assert dist.probability(11, 19) == pytest.approx(0.00316808401265713, rel=1e-11)
    assert dist.interval(0.95) == (23, 43)
    assert dist.pmf.sum() == pytest.approx(1.0, abs=1e-13)
    # scipy as a second reference over the whole support.
    np.testing.assert_allclose(dist.pmf, stats.binom.pmf(np.arange(153), 152, 0.95**30),
                               rtol=1e-9, atol=1e-300)


# E3: Beta prior = VGAM betabinomialff fit of D1 (tests/R/reference_shrinkage.out):
# a = 32.9321861176749, b = 3.28336656659811; R: exp(lbeta(a + n, b) - lbeta(a, b)), pmf by the
# R recursion, sum(pmf[4:7]) = P(3 <= count <= 6), interval = smallest j with cumsum >= q.
E3_N = [51, 12, 17, 20, 17, 50, 54, 38, 10, 12, 25, 30, 40, 33, 22, 16, 44, 46, 9, 14]
E3_PRIOR = (32.9321861176749, 3.28336656659811)
R_E3_P = [0.0495282071969038, 0.371144398359654, 0.264594437345933, 0.219364487857987,
          0.264594437345933, 0.0514890774841419, 0.0442007500593489, 0.0853781667838341,
          0.429388412846948, 0.371144398359654, 0.164069042775351, 0.125645321389453,
          0.0780388485291073, 0.108114896119048, 0.194698943878364, 0.282348815357989,
          0.0656607707705259, 0.0604272909903404, 0.463010307848317, 0.322795936775059]
R_E3_PMF = [0.00832541965134324, 0.0485704310745517, 0.129644118312474, 0.210275975239794,
            0.232158385440007, 0.185243175457683, 0.110706502688142, 0.0506839835970015,
            0.0180340504878287, 0.00503131864296368, 0.00110576898925998, 0.00019167615892549,
            2.61534220442891e-05, 2.79394980460304e-06, 2.31508795105697e-07,
            1.46614069732692e-08, 6.93749848462975e-10, 2.36691749469018e-11, 5.485717763628e-13,
            7.71324841544537e-15, 4.9566106547386e-17]


def test_beta_prior_matches_r():
    dist = count_at_100_distribution(E3_N, prior=E3_PRIOR)
    np.testing.assert_allclose(dist.item_probabilities, R_E3_P, rtol=1e-12)
    np.testing.assert_allclose(dist.pmf, R_E3_PMF, rtol=1e-10)
    assert (dist.mean, dist.var) == pytest.approx((4.01563694807389, 2.8486263141645), rel=1e-12)
    assert dist.probability(3, 6) == pytest.approx(0.738384038825625, rel=1e-12)
    assert dist.interval(0.95) == (1, 7)
    assert dist.model.startswith("beta prior")


def test_beta_prior_probability_is_the_integral_of_p_to_the_n():
    # E[p^n] under Beta(a, b) by numerical integration (independent of betaln).
    a, b = 5.0, 0.7
    dist = count_at_100_distribution([1, 3, 10, 40], prior=(a, b))
    for n, p_i in zip([1, 3, 10, 40], dist.item_probabilities):
        value, _ = integrate.quad(lambda x: x**n * stats.beta.pdf(x, a, b), 0, 1, epsabs=1e-13)
        assert p_i == pytest.approx(value, rel=1e-8)
    # n = 1: E[p] = a / (a + b)
    assert dist.item_probabilities.iloc[0] == pytest.approx(a / (a + b), rel=1e-14)


def test_fitted_prior_object_and_series_index():
    fit = fit_beta_binomial([48, 10, 17, 19, 40], [51, 12, 17, 20, 50])
    trials = pd.Series([51, 12, 17, 20, 50], index=list("ABCDE"))
    dist = count_at_100_distribution(trials, prior=fit)
    assert list(dist.item_probabilities.index) == list("ABCDE")
    direct = count_at_100_distribution(trials, prior=(fit.alpha, fit.beta))
    pd.testing.assert_series_equal(dist.pmf, direct.pmf)
    degenerate = fit_beta_binomial([5, 5], [5, 5])
    with pytest.raises(ValueError, match="degenerate"):
        count_at_100_distribution([5, 5], prior=degenerate)


# E4: per-item rates, R: p4 <- c(0.99, 0.97, 0.95, 0.9, 0.98, 0.85, 1)^c(8, 15, 30, 60, 120, 25, 12)
R_E4_PMF = [0, 0.0198971145468732, 0.279763247429385, 0.517029249639031, 0.169111901842702,
            0.0139828877371439, 0.000215255627588861, 3.43177275280869e-07]


def test_per_item_rates_match_r_and_enumeration():
    n = [8, 15, 30, 60, 120, 25, 12]
    rates = [0.99, 0.97, 0.95, 0.9, 0.98, 0.85, 1.0]
    dist = count_at_100_distribution(n, rate=rates)
    np.testing.assert_allclose(dist.pmf, R_E4_PMF, rtol=1e-12, atol=1e-300)
    assert dist.pmf.iloc[0] == 0.0  # the item with rate 1 is surely at 100%
    np.testing.assert_allclose(dist.pmf, _enumerate_pmf(np.power(rates, n)), rtol=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1), min_size=0, max_size=9))
def test_pmf_equals_enumeration(p):
    pmf = poisson_binomial_pmf(p)
    np.testing.assert_allclose(pmf, _enumerate_pmf(p), rtol=1e-10, atol=1e-15)
    assert pmf.sum() == pytest.approx(1.0, abs=1e-12)
    j = np.arange(len(pmf))
    assert np.sum(j * pmf) == pytest.approx(np.sum(p), abs=1e-10)
    variance = np.sum(np.multiply(p, np.subtract(1, p)))
    assert np.sum((j - np.sum(p)) ** 2 * pmf) == pytest.approx(variance, abs=1e-10)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=40),
       st.floats(min_value=0.5, max_value=1.0), st.floats(min_value=0.5, max_value=0.999))
def test_interval_and_probability_properties(trials, rate, level):
    dist = count_at_100_distribution(trials, rate=rate)
    low, high = dist.interval(level)
    assert 0 <= low <= high <= len(trials)
    assert dist.probability(low, high) >= level - 1e-12
    q = (1 - level) / 2
    assert dist.cdf(low - 1) < q + 1e-12  # low is the smallest such count
    assert dist.probability(0, None) == pytest.approx(1.0, abs=1e-12)
    assert dist.probability(0, 2) == pytest.approx(dist.cdf(2), abs=0)


def test_edges():
    # n = 0 items never count as 100% (as items_at_100); rate 1 makes every other item 100%.
    dist = count_at_100_distribution([0, 4, 9], rate=1.0)
    assert dist.item_probabilities.tolist() == [0.0, 1.0, 1.0]
    assert dist.pmf.tolist() == [0.0, 0.0, 1.0, 0.0]
    assert dist.interval(0.95) == (2, 2) and dist.var == 0.0
    zero = count_at_100_distribution([3, 1], rate=0.0)
    assert zero.pmf.tolist() == [1.0, 0.0, 0.0]
    one = count_at_100_distribution(1, rate=0.8)
    assert one.pmf.tolist() == pytest.approx([0.2, 0.8], rel=1e-15)
    assert poisson_binomial_pmf([]).tolist() == [1.0]
    assert count_at_100_distribution([], rate=0.9).pmf.tolist() == [1.0]


@pytest.mark.parametrize(("call", "match"), [
    (lambda: count_at_100_distribution([10]), "exactly one of rate"),
    (lambda: count_at_100_distribution([10], rate=0.9, prior=(1, 1)), "exactly one of rate"),
    (lambda: count_at_100_distribution([10], rate=95), r"rate must be in \[0, 1\]"),
    (lambda: count_at_100_distribution([10, 20], rate=[0.9, 0.8, 0.7]), "one rate per item"),
    (lambda: count_at_100_distribution([-1], rate=0.9), "whole numbers >= 0"),
    (lambda: count_at_100_distribution([2.5], rate=0.9), "whole numbers >= 0"),
    (lambda: count_at_100_distribution([10], prior=(0, 1)), "alpha > 0"),
    (lambda: count_at_100_distribution([10], rate=0.9).probability(5, 2), "low must not exceed"),
    (lambda: count_at_100_distribution([10], rate=0.9).interval(1.5), "strictly between 0 and 1"),
    (lambda: poisson_binomial_pmf([0.5, 1.2]), r"in \[0, 1\]"),
])
def test_bad_inputs(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_thousands_of_items_are_fast_and_exact():
    # O(m^2): 3000 items well under a second; equal p -> scipy binomial pmf as reference.
    pmf = poisson_binomial_pmf(np.full(3000, 0.3))
    np.testing.assert_allclose(pmf[700:1100], stats.binom.pmf(np.arange(700, 1100), 3000, 0.3),
                               rtol=1e-9)


# --- An impossible event is said as such, never as "0.0 items (range 0 to 0)" (issue 22) ---------

def _big_units():
    """Six units of 2,000 answers at about 90%: a unit at 100% is practically impossible."""
    rows = []
    for unit, satisfied in zip("ABCDEF", (1790, 1810, 1795, 1805, 1800, 1788)):
        rows.append({"unit": unit, "n": 2000, "satisfied": satisfied})
    return pd.DataFrame(rows)


def test_probability_beyond_the_trimmed_end_is_zero_not_an_error():
    # P(count >= 1) when the pmf holds only count 0: the counts beyond its end have no mass.
    chance = count_at_100_distribution(pd.Series([2000] * 6), rate=0.7)   # 0.7 ** 2000 < 1e-300
    assert len(chance.pmf) <= 11   # so P(count >= 11) reaches past the pmf's end
    assert chance.probability(1) == 0.0 and chance.probability(11) == 0.0
    with pytest.raises(SurveyError, match="11"):
        chance.probability(11, 3)


def test_claims_and_report_say_an_impossible_count_in_words(tmp_path):
    import survey_analysis as sa
    table = _big_units()
    path = tmp_path / "units.csv"
    table.to_csv(path, index=False)
    counts = {"item": "unit", "n": "n", "satisfied": "satisfied"}
    claims = pd.DataFrame({"id": ["c1"], "kind": ["items_at_100"], "value": [2], "qualifier": ["at_least"],
                           "unit": ["items"], "wording": ["2+ units at 100%"],
                           "quote": ["two units at 100%"], "source": ["a test"]})
    survey = sa.Survey.from_counts(table, item="unit", n="n", satisfied="satisfied")
    detail = sa.check_claims(survey, claims)["detail"].iloc[0]
    assert "practically never gives an item at 100%" in detail and "0.0 items" not in detail, detail
    for lang in ("zh", "en"):
        out = tmp_path / lang
        sa.write_report(str(path), out, lang=lang, counts=counts)
        text = (out / "report.html").read_text(encoding="utf-8")
        assert "约有 0.0 个" not in text and "gives 0.0 items" not in text, lang
    assert "几乎不会有事项达到100%" in (tmp_path / "zh" / "report.html").read_text(encoding="utf-8")


def test_no_chance_figure_when_nothing_is_expected_observed_or_claimed(tmp_path):
    import survey_analysis as sa
    path = tmp_path / "units.csv"
    _big_units().to_csv(path, index=False)
    sa.write_report(str(path), tmp_path / "out", lang="en",
                    counts={"item": "unit", "n": "n", "satisfied": "satisfied"})
    text = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert 'alt="items_at_100_by_chance"' not in text            # a bar at 0 beside an observed 0
    assert "practically never gives an item at 100%" in text     # the note says it instead
