"""Beta-binomial empirical Bayes: the fit against R (VGAM, bbmle), posteriors against R qbeta,
boundaries, rank intervals against numerical integration, edges and properties."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, special, stats

from survey_analysis.estimate.shrinkage import (
    MAX_CONCENTRATION,
    BetaBinomialFit,
    fit_beta_binomial,
    rank_intervals,
    shrink_rates,
)

# Dataset D1 (tests/R/reference_shrinkage.R): 20 items drawn once with numpy default_rng(3)
# (n ~ U{8..60}, p ~ Beta(12, 1.5), k ~ Bin(n, p)) and hard-coded; 5 items at 100%.
N1 = np.array([51, 12, 17, 20, 17, 50, 54, 38, 10, 12, 25, 30, 40, 33, 22, 16, 44, 46, 9, 14])
K1 = np.array([48, 10, 17, 19, 17, 40, 52, 35, 8, 12, 23, 27, 37, 25, 18, 13, 43, 42, 9, 14])

# R 4.2.2, VGAM 1.1.7 (tests/R/reference_shrinkage.out):
#   Coef(vglm(cbind(k, n - k) ~ 1, betabinomialff, control = vglm.control(epsilon = 1e-13)))
R_VGAM_FF_ALPHA_BETA = (32.9321861176749, 3.28336656659811)
#   logLik(...) of the same fit (binomial coefficients included)
R_VGAM_LOGLIK = -37.6675132650865
#   Coef(vglm(cbind(k, n - k) ~ 1, betabinomial, ...)) -> mu, rho
R_VGAM_MU_RHO = (0.90933821406048, 0.0268704899626409)
# bbmle 1.0.25 + emdbook 1.3.12: mle2 of -sum(dbetabinom(k, plogis(lmu), n, exp(ltheta), log=TRUE)),
# BFGS, reltol = 1e-15 -> (mu theta, (1 - mu) theta) and logLik
R_BBMLE_ALPHA_BETA = (32.9321922754641, 3.2833666807648)
R_BBMLE_LOGLIK = -37.667513265087


def _loglik(alpha, beta, k, n):
    """Beta-binomial log-likelihood written out with gammaln (independent of scipy.betabinom)."""
    return np.sum(special.gammaln(n + 1) - special.gammaln(k + 1) - special.gammaln(n - k + 1)
                  + special.betaln(k + alpha, n - k + beta) - special.betaln(alpha, beta))


def test_fit_matches_r_vgam_and_bbmle():
    fit = fit_beta_binomial(K1, N1)
    assert isinstance(fit, BetaBinomialFit)
    assert fit.converged and not fit.at_boundary and fit.boundary == ""
    assert fit.n_items == 20
    # The three R fits agree with each other to ~3e-7 relative; we ask 1e-5 of each.
    assert (fit.alpha, fit.beta) == pytest.approx(R_VGAM_FF_ALPHA_BETA, rel=1e-5)
    assert (fit.alpha, fit.beta) == pytest.approx(R_BBMLE_ALPHA_BETA, rel=1e-5)
    assert (fit.mean, fit.rho) == pytest.approx(R_VGAM_MU_RHO, rel=1e-5)
    assert fit.loglik == pytest.approx(R_VGAM_LOGLIK, abs=1e-6)
    assert fit.loglik == pytest.approx(R_BBMLE_LOGLIK, abs=1e-6)
    assert fit.concentration == pytest.approx(fit.alpha + fit.beta, rel=1e-15)
    assert fit.rho == pytest.approx(1 / (fit.alpha + fit.beta + 1), rel=1e-15)


def test_fit_accepts_series_and_ignores_empty_items():
    base = fit_beta_binomial(K1, N1)
    k = pd.Series(np.append(K1, 0), index=[f"item{i}" for i in range(21)])
    n = pd.Series(np.append(N1, 0), index=k.index)
    with_empty = fit_beta_binomial(k, n)
    assert with_empty.n_items == 20
    assert (with_empty.alpha, with_empty.beta) == pytest.approx((base.alpha, base.beta), rel=1e-9)


# D2: no overdispersion. R 4.2.2: sum(dbinom(k2, n2, sum(k2)/sum(n2), log = TRUE)) is the
# supremum of the beta-binomial log-likelihood (emdbook::dbetabinom profile at theta = 1e2, 1e4,
# 1e6, 1e7 rises: -12.1730862462013, -11.39888961214, -11.3907049020345, -11.3906304542907).
N2 = np.full(10, 20)
K2 = np.array([19, 19, 18, 19, 19, 18, 19, 19, 19, 18])
R_D2_BINOMIAL_LOGLIK = -11.3906221794403


def test_no_overdispersion_boundary_is_flagged_not_failed():
    fit = fit_beta_binomial(K2, N2)
    assert fit.at_boundary and fit.boundary == "no overdispersion" and fit.converged
    assert fit.mean == pytest.approx(0.935, rel=1e-14)  # R: sum(k2) / sum(n2)
    assert fit.concentration == pytest.approx(MAX_CONCENTRATION)
    assert fit.loglik == pytest.approx(R_D2_BINOMIAL_LOGLIK, abs=1e-9)
    # Complete pooling: every item is shrunk to the pooled rate.
    out = shrink_rates(K2, N2, prior=fit)
    np.testing.assert_allclose(out["shrunken_rate"], 0.935, atol=1e-5)
    assert out["weight_on_data"].max() < 1e-5


def test_single_item_is_a_boundary_too():
    fit = fit_beta_binomial([3], [10])
    assert fit.boundary == "no overdispersion"
    assert fit.loglik == pytest.approx(stats.binom.logpmf(3, 10, 0.3), abs=1e-12)


@pytest.mark.parametrize(("k", "label", "mean"), [([10, 5, 20], "all items at 100%", 1.0),
                                                  ([0, 0, 0], "all items at 0%", 0.0)])
def test_all_items_at_100_or_0(k, label, mean):
    n = [10, 5, 20] if mean == 1.0 else [7, 3, 9]
    fit = fit_beta_binomial(k, n)
    assert fit.at_boundary and fit.boundary == label
    assert fit.mean == mean and fit.loglik == 0.0 and np.isnan(fit.alpha) and np.isnan(fit.rho)
    with pytest.raises(ValueError, match="degenerate.*explicit prior"):
        shrink_rates(k, n)
    # With an explicit prior the 100% items get shrunken rates below 1 (Jeffreys prior).
    out = shrink_rates(k, n, prior=(0.5, 0.5))
    assert np.all((out["shrunken_rate"] > 0) & (out["shrunken_rate"] < 1))


def test_maximal_overdispersion_boundary():
    # Items only at 0% or 100%: P(k = n) = E[p^n] <= mu and P(k = 0) <= 1 - mu, with equality in
    # the limit alpha + beta -> 0; so the supremum is mu^3 (1 - mu) at mu = 3/4.
    fit = fit_beta_binomial([0, 10, 5, 20], [10, 10, 5, 20])
    assert fit.at_boundary and fit.boundary == "maximal overdispersion"
    assert fit.mean == pytest.approx(0.75, rel=1e-14)
    assert fit.loglik == pytest.approx(3 * np.log(0.75) + np.log(0.25), rel=1e-14)
    assert _loglik(fit.alpha, fit.beta, np.array([0, 10, 5, 20]), np.array([10, 10, 5, 20])) \
        == pytest.approx(fit.loglik, abs=1e-4)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=80).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))),
    min_size=2, max_size=15))
def test_fit_is_a_maximum(pairs):
    """No nearby (alpha, beta) has a higher likelihood (log-likelihood written with gammaln)."""
    k = np.array([p[0] for p in pairs], dtype=float)
    n = np.array([p[1] for p in pairs], dtype=float)
    fit = fit_beta_binomial(k, n)
    if fit.boundary in ("all items at 100%", "all items at 0%"):
        assert k.sum() in (0, n.sum())
        return
    best = _loglik(fit.alpha, fit.beta, k, n)
    assert best <= fit.loglik + 1e-6  # at a boundary loglik is the supremum
    top = max(best, fit.loglik)  # at a boundary: the supremum
    for factor_a, factor_b in [(1.05, 1.0), (0.95, 1.0), (1.0, 1.05), (1.0, 0.95), (1.05, 1.05),
                               (0.95, 0.95)]:
        assert _loglik(fit.alpha * factor_a, fit.beta * factor_b, k, n) <= top + 1e-7


# Posterior at the VGAM estimates (R 4.2.2, tests/R/reference_shrinkage.out):
#   (a + k) / (a + b + n); qbeta(c(0.025, 0.975), a + k, b + n - k); n / (a + b + n)
R_POSTERIOR_MEAN = [0.927955893493625, 0.890421943284673, 0.93830062075878, 0.923804599224434,
                    0.93830062075878, 0.845928418330244, 0.941436189111557, 0.915336255820546,
                    0.88567990081841, 0.93190233474874, 0.91369241418357, 0.905107390758207,
                    0.917557947882012, 0.836982208058538, 0.874889677572954, 0.879664846131359,
                    0.946601794499162, 0.911411328771723, 0.927384132855239, 0.934614548858158]
R_QBETA_025 = [0.865489090658189, 0.789281017505928, 0.86049209333807, 0.842254529234955,
               0.86049209333807, 0.763044971376824, 0.88483008175262, 0.842726526112392,
               0.780629004747675, 0.846561090485719, 0.83230770597628, 0.824453649786924,
               0.846716388488897, 0.742010186218052, 0.779433098295133, 0.779697006913781,
               0.888236209243832, 0.841631993829422, 0.836784992330035, 0.852453970817078]
R_QBETA_975 = [0.972004473191986, 0.961179420023021, 0.985528482777879, 0.977191910277797,
               0.985528482777879, 0.913651128381336, 0.979723075121994, 0.966929736145887,
               0.959411297959113, 0.983969997423123, 0.969744888363807, 0.962777112014129,
               0.967827002919517, 0.913564817737272, 0.946099516713354, 0.952291530695219,
               0.984194749225277, 0.962371255157687, 0.982862610458717, 0.984632016520687]
R_QBETA_05 = [0.877737192884933, 0.808965510850496, 0.87673086751276, 0.858711726644234,
              0.87673086751276, 0.778034494652275, 0.896165974204213, 0.856873129521178,
              0.801017968756218, 0.864291516294821, 0.848359085646911, 0.840085340222058,
              0.860534076120425, 0.759254306746128, 0.797476794111213, 0.798814461360627,
              0.90017961263911, 0.855057279178086, 0.855547166108116, 0.869556470797823]
R_QBETA_95 = [0.967031574637745, 0.953410780940973, 0.981257167516152, 0.971787305533834,
              0.981257167516152, 0.904663896050839, 0.9756187209783, 0.961073395486704,
              0.951297736696197, 0.979243517819745, 0.963658196622075, 0.956201979004096,
              0.962126461017592, 0.903584619798865, 0.937602582907522, 0.943917956663724,
              0.980433016742153, 0.95638089569058, 0.977813282605739, 0.980098768637152]
R_WEIGHT = [0.58475808993178, 0.248882348784403, 0.319455481386442, 0.35577343003861,
            0.319455481386442, 0.579941767387414, 0.598566415582284, 0.512022057716921,
            0.216377375562642, 0.248882348784403, 0.40839294760501, 0.453065764519781,
            0.52482726413731, 0.476771458439834, 0.377905885722929, 0.306422113287697,
            0.5485220574766, 0.559504844255573, 0.19904655512771, 0.278798086481774]


def test_posterior_matches_r_qbeta():
    out = shrink_rates(K1, N1, prior=R_VGAM_FF_ALPHA_BETA)
    np.testing.assert_allclose(out["shrunken_rate"], R_POSTERIOR_MEAN, rtol=1e-13)
    np.testing.assert_allclose(out["cred_low"], R_QBETA_025, rtol=1e-12)
    np.testing.assert_allclose(out["cred_high"], R_QBETA_975, rtol=1e-12)
    np.testing.assert_allclose(out["weight_on_data"], R_WEIGHT, rtol=1e-13)
    out90 = shrink_rates(K1, N1, prior=R_VGAM_FF_ALPHA_BETA, confidence_level=0.9)
    np.testing.assert_allclose(out90["cred_low"], R_QBETA_05, rtol=1e-12)
    np.testing.assert_allclose(out90["cred_high"], R_QBETA_95, rtol=1e-12)
    assert (out90["confidence_level"] == 0.9).all()


def test_default_prior_is_the_fit_and_columns():
    out = shrink_rates(K1, N1)
    assert list(out.columns) == ["n", "satisfied", "rate", "shrunken_rate", "cred_low", "cred_high",
                                 "weight_on_data", "confidence_level"]
    prior = out.attrs["prior"]
    assert isinstance(prior, BetaBinomialFit)
    # Fitted prior within 1e-5 of R's, so the posterior means agree with R's to ~1e-7.
    np.testing.assert_allclose(out["shrunken_rate"], R_POSTERIOR_MEAN, rtol=1e-6)


def test_counts_dataframe_keeps_ids_and_index():
    counts = pd.DataFrame({"item_id": ["甲", "乙", "丙"], "n": [9, 500, 0],
                           "satisfied": [9, 470, 0],
                           "rate": [1.0, 0.94, np.nan], "ci_low": 0.0, "method": "wilson"},
                          index=[10, 11, 12])
    out = shrink_rates(counts, prior=(18.0, 2.0))
    assert list(out.index) == [10, 11, 12] and list(out["item_id"]) == ["甲", "乙", "丙"]
    assert "ci_low" not in out.columns and "method" not in out.columns
    # n = 0: posterior = prior. Mean 18/20; Beta(18, 2) quantiles (closed form as a check:
    # P(X > x) for Beta(18, 2) is 1 - I_x(18, 2); betainc is the CDF, not the inverse used).
    empty = out.loc[12]
    assert np.isnan(empty["rate"]) and empty["weight_on_data"] == 0.0
    assert empty["shrunken_rate"] == pytest.approx(0.9, rel=1e-15)
    assert special.betainc(18, 2, empty["cred_low"]) == pytest.approx(0.025, rel=1e-10)
    assert special.betainc(18, 2, empty["cred_high"]) == pytest.approx(0.975, rel=1e-10)
    series_out = shrink_rates(pd.Series([3, 4], index=["a", "b"]),
                              pd.Series([5, 4], index=["a", "b"]), prior=(1, 1))
    assert list(series_out.index) == ["a", "b"]
    # Uniform prior: posterior mean (k + 1) / (n + 2) (Laplace's rule of succession).
    assert series_out["shrunken_rate"].tolist() == pytest.approx([4 / 7, 5 / 6], rel=1e-15)


def test_upper_credible_bound_keeps_precision_near_one():
    # Posterior Beta(a, 1) (prior beta = 1, item at 100%) has CDF x^a, so its upper q quantile is
    # (1 - q)^(1/a) exactly: a check on the symmetric upper-tail formula at a tiny tail.
    n = 500
    level = 1 - 1e-12
    out = shrink_rates([n], [n], prior=(2.0, 1.0), confidence_level=level)
    a, q = 2.0 + n, (1 - level) / 2
    assert out["cred_high"].iloc[0] == pytest.approx(np.exp(np.log1p(-q) / a), rel=1e-15)
    assert out["cred_high"].iloc[0] < 1.0
    assert out["cred_low"].iloc[0] == pytest.approx(q ** (1 / a), rel=1e-10)


counts = st.integers(min_value=0, max_value=300).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n)))


@settings(max_examples=100, deadline=None)
@given(st.lists(counts, min_size=1, max_size=10),
       st.floats(min_value=0.05, max_value=50), st.floats(min_value=0.05, max_value=50),
       st.floats(min_value=0.5, max_value=0.999))
def test_properties_of_shrinkage(pairs, alpha, beta, level):
    k = np.array([p[0] for p in pairs])
    n = np.array([p[1] for p in pairs])
    out = shrink_rates(k, n, prior=(alpha, beta), confidence_level=level)
    prior_mean = alpha / (alpha + beta)
    shrunk, rate = out["shrunken_rate"].to_numpy(), out["rate"].to_numpy()
    low, high = out["cred_low"].to_numpy(), out["cred_high"].to_numpy()
    assert np.all((0 <= low) & (low <= high) & (high <= 1))
    # The equal-tailed interval holds the posterior median (not always the mean: skewed Betas).
    a, b = alpha + k, beta + n - k
    assert np.all(special.betainc(a, b, low) <= 0.5 + 1e-9)
    assert np.all(special.betainc(a, b, high) >= 0.5 - 1e-9)
    has = n > 0
    # The shrunken rate lies between the item's rate and the prior mean.
    lo = np.minimum(rate[has], prior_mean) - 1e-12
    hi = np.maximum(rate[has], prior_mean) + 1e-12
    assert np.all((lo <= shrunk[has]) & (shrunk[has] <= hi))
    w = out["weight_on_data"].to_numpy()
    assert np.all((0 <= w) & (w < 1))
    np.testing.assert_allclose(shrunk[has], w[has] * rate[has] + (1 - w[has]) * prior_mean,
                               rtol=1e-12)


@pytest.mark.parametrize(("args", "kwargs", "match"), [
    (([5], [10]), {"confidence_level": 95}, "strictly between 0 and 1"),
    (([5], [10]), {"prior": (-1, 2)}, "alpha > 0 and beta > 0"),
    (([5], [10]), {"prior": (1, np.inf)}, "finite"),
    (([5], [10]), {"prior": 3.0}, "BetaBinomialFit or an \\(alpha, beta\\) pair"),
    (([11], [10]), {"prior": (1, 1)}, "must not exceed"),
    (([-1], [10]), {"prior": (1, 1)}, ">= 0"),
    (([2.5], [10]), {"prior": (1, 1)}, "whole numbers"),
    (([5],), {"prior": (1, 1)}, "trials is required"),
    ((pd.DataFrame({"n": [3]}),), {}, "missing \\['satisfied'\\]"),
    ((pd.DataFrame({"n": [3], "satisfied": [2]}), [3]), {}, "not both"),
])
def test_bad_inputs(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        shrink_rates(*args, **kwargs)


def test_fit_needs_an_item_with_respondents():
    with pytest.raises(ValueError, match="at least one item"):
        fit_beta_binomial([0, 0], [0, 0])
    with pytest.raises(ValueError, match="different indexes"):
        fit_beta_binomial(pd.Series([1], index=["a"]), pd.Series([2], index=["b"]))


def _prob_greater(a1, b1, a2, b2):
    """P(X2 > X1) for independent Betas, by numerical integration: int f1(x) (1 - F2(x)) dx."""
    value, _ = integrate.quad(lambda x: stats.beta.pdf(x, a1, b1) * stats.beta.sf(x, a2, b2), 0, 1,
                              epsabs=1e-12, epsrel=1e-10)
    return value


def test_rank_intervals_two_items_match_integration():
    # Two items: rank of item 0 is 1 + 1{X1 > X0}; its mean is 1 + P(X1 > X0).
    k, n, prior = np.array([18, 45]), np.array([20, 50]), (9.0, 1.0)
    draws = 20000
    out = rank_intervals(k, n, prior=prior, draws=draws, seed=1)
    p = _prob_greater(9 + 18, 1 + 2, 9 + 45, 1 + 5)
    se = np.sqrt(p * (1 - p) / draws)
    assert out["rank_mean"].iloc[0] == pytest.approx(1 + p, abs=4 * se)
    assert out["rank_mean"].iloc[1] == pytest.approx(2 - p, abs=4 * se)
    assert out["prob_top"].iloc[0] == pytest.approx(1 - p, abs=4 * se)
    assert out["prob_top"].sum() == pytest.approx(1.0)


def test_rank_intervals_properties_and_reproducibility():
    out = rank_intervals(K1, N1, prior=R_VGAM_FF_ALPHA_BETA, draws=2000, seed=7)
    again = rank_intervals(K1, N1, prior=R_VGAM_FF_ALPHA_BETA, draws=2000, seed=7)
    pd.testing.assert_frame_equal(out, again)
    m = len(N1)
    assert out["rank_mean"].sum() == pytest.approx(m * (m + 1) / 2)
    assert np.all((1 <= out["rank_low"]) & (out["rank_low"] <= out["rank_median"])
                  & (out["rank_median"] <= out["rank_high"]) & (out["rank_high"] <= m))
    # rank_observed ranks the raw rates, 1 = highest; five items tie at 100% (ranks 1..5 -> 3).
    assert (out.loc[K1 == N1, "rank_observed"] == 3.0).all()
    # With 20 items of 8-54 respondents the league table is mostly noise: typical 95% rank
    # intervals span more than half the table.
    assert (out["rank_high"] - out["rank_low"]).median() > m / 2


def test_rank_intervals_well_separated_items_are_certain():
    # Huge samples at very different rates: every draw gives the observed order.
    out = rank_intervals([9000, 5000, 7000], [10000, 10000, 10000], prior=(1, 1), draws=500)
    assert out["rank_low"].tolist() == [1, 3, 2] and out["rank_high"].tolist() == [1, 3, 2]
    assert out["rank_observed"].tolist() == [1, 3, 2]
    with pytest.raises(ValueError, match="draws"):
        rank_intervals([1, 2], [3, 4], prior=(1, 1), draws=1)
