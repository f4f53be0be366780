"""Empirical Bayes across items: a beta-binomial prior fitted to all items, shrunken rates.

An item with 9 of 9 satisfied respondents and one with 470 of 500 are not equally
good evidence of a high rate. The beta-binomial model treats each item's true rate
``p_i`` as drawn from a common ``Beta(alpha, beta)`` distribution and each item's
count as ``k_i ~ Binomial(n_i, p_i)``. Fitting ``alpha`` and ``beta`` to all items by
maximum likelihood (:func:`fit_beta_binomial`) and then using that prior for every
item (:func:`shrink_rates`) pulls small items towards the overall level and leaves
large items nearly where they are. :func:`rank_intervals` shows how uncertain a
league table of items is.

All functions take counts (``satisfied``, ``n`` per item), vectorized over items.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from .._validation import check_confidence_level, count_arrays, tail_probability
from ..words import Hint, Message, Note, SurveyError, frame_html, percent, shorten
from .rates import RATE_RESULT_COLUMNS

__all__ = [
    "BetaBinomialFit",
    "counts_input",
    "item_count_arrays",
    "prior_parameters",
    "fit_beta_binomial",
    "shrink_rates",
    "rank_intervals",
    "MAX_CONCENTRATION",
    "MIN_CONCENTRATION",
]

#: Largest prior concentration ``alpha + beta`` the fit returns. At this value a
#: prior counts as 10 million respondents: the items' rates are shrunk completely
#: to the pooled rate (no overdispersion).
MAX_CONCENTRATION = 1e7
#: Smallest prior concentration: a Beta(alpha, beta) this flat puts its mass at 0 and 1.
MIN_CONCENTRATION = 1e-6

_STAT_COLUMNS = RATE_RESULT_COLUMNS  # what item_rates() adds besides the item


@dataclass(frozen=True)
class BetaBinomialFit:
    """Maximum-likelihood fit of a beta-binomial model: the prior for all items.

    Attributes
    ----------
    alpha, beta : float
        Parameters of the fitted ``Beta(alpha, beta)`` prior of the items' true rates
        (``nan`` when every item is at 100% or every item at 0%: see ``boundary``).
    mean : float
        Prior mean ``alpha / (alpha + beta)``: the typical item's rate.
    concentration : float
        ``alpha + beta``: the prior counts as that many respondents.
    rho : float
        Overdispersion (intra-item correlation) ``1 / (alpha + beta + 1)``: 0 when the
        items differ no more than binomial noise explains.
    loglik : float
        Maximized log-likelihood, binomial coefficients included (as R ``VGAM``).
        At a boundary it is the supremum (see Notes).
    n_items : int
        Items with at least one respondent (items with ``n = 0`` carry no information).
    converged : bool
        Whether the optimizer met its gradient criterion (always True at a boundary,
        where the answer is in closed form).
    at_boundary : bool
        True when the maximum is not attained inside the parameter space.
    boundary : str
        ``""``, ``"no overdispersion"`` (concentration capped at
        :data:`MAX_CONCENTRATION`), ``"maximal overdispersion"`` (concentration at
        :data:`MIN_CONCENTRATION`), ``"all items at 100%"`` or ``"all items at 0%"``.
    iterations : int
        Optimizer iterations (0 when no optimization was needed).
    message : str
        The optimizer's message, or an explanation of the boundary.

    See Also
    --------
    fit_beta_binomial : returns it.

    Examples
    --------
    >>> fit = fit_beta_binomial([9, 10, 18], [10, 10, 20])
    >>> round(fit.mean, 3), fit.n_items
    (0.925, 3)
    """

    alpha: float
    beta: float
    mean: float
    concentration: float
    rho: float
    loglik: float
    n_items: int
    converged: bool
    at_boundary: bool
    boundary: str
    iterations: int
    message: str

    def to_frame(self) -> pd.DataFrame:
        """One row with every attribute."""
        return pd.DataFrame([{name: getattr(self, name) for name in self.__dataclass_fields__}])

    def __repr__(self) -> str:
        where = f"; {self.boundary}" if self.boundary else ""
        return shorten(f"<BetaBinomialFit: mean {percent(self.mean)}, concentration "
                       f"{self.concentration:.4g} (rho {self.rho:.3g}), {self.n_items} items{where}>")

    def _repr_html_(self) -> str:
        return frame_html(self.to_frame()[["mean", "alpha", "beta", "concentration", "rho",
                                           "n_items", "boundary"]], "Beta-binomial fit",
                          percent_columns=("mean",))

    @classmethod
    def _from_ab(cls, alpha, beta, loglik, n_items, converged, boundary, iterations, message):
        concentration = alpha + beta
        return cls(float(alpha), float(beta), float(alpha / concentration), float(concentration),
                   float(1.0 / (concentration + 1.0)), float(loglik), int(n_items), bool(converged),
                   bool(boundary), boundary, int(iterations), message)


def item_count_arrays(successes, trials):
    """1-D float arrays of whole-number counts, and the index to label results with.

    Broadcasting, the Series index and the 0 <= k <= n checks are those of
    :func:`~survey_analysis.binomial_ci`; an empirical-Bayes fit also needs one finite,
    whole count per item.
    """
    k, n, _, index = count_arrays(successes, trials)
    k, n = np.atleast_1d(k).astype(float), np.atleast_1d(n).astype(float)
    if k.ndim != 1:
        raise SurveyError("estimate.shrinkage.one_dimensional", shape=k.shape)
    for values, name in ((k, "successes"), (n, "trials")):
        if not np.all(np.isfinite(values)):
            raise SurveyError("estimate.shrinkage.finite", name=name)
        if np.any(values != np.round(values)):
            raise SurveyError("estimate.shrinkage.whole", name=name)
    if index is None:
        index = pd.RangeIndex(len(k))
    return k, n, index


def counts_input(successes, trials):
    """Split the input into (identifying columns or None, k, n, index)."""
    if isinstance(successes, pd.DataFrame):
        if trials is not None:
            raise SurveyError("estimate.shrinkage.both_inputs")
        missing = [c for c in ("n", "satisfied") if c not in successes.columns]
        if missing:
            raise SurveyError("estimate.shrinkage.columns", missing=missing)
        k, n, _ = item_count_arrays(successes["satisfied"].to_numpy(), successes["n"].to_numpy())
        ids = successes[[c for c in successes.columns if c not in _STAT_COLUMNS]]
        return ids, k, n, successes.index
    if trials is None:
        raise SurveyError("estimate.shrinkage.trials")
    k, n, index = item_count_arrays(successes, trials)
    return None, k, n, index


def _beta_parameters(alpha, beta):
    alpha, beta = float(alpha), float(beta)
    if not (np.isfinite(alpha) and np.isfinite(beta) and alpha > 0 and beta > 0):
        raise SurveyError("estimate.shrinkage.beta", alpha=alpha, beta=beta)
    return alpha, beta


def prior_parameters(prior) -> tuple[float, float]:
    """``(alpha, beta)`` from a :class:`BetaBinomialFit` or an ``(alpha, beta)`` pair."""
    if isinstance(prior, BetaBinomialFit):
        if prior.boundary in ("all items at 100%", "all items at 0%"):
            raise SurveyError("estimate.shrinkage.degenerate",
                              boundary=Message(f"estimate.shrinkage.boundary.{prior.boundary}"),
                              fix=Hint("prior", (0.5, 0.5)))
        return _beta_parameters(prior.alpha, prior.beta)
    try:
        alpha, beta = prior
    except (TypeError, ValueError):
        raise SurveyError("estimate.shrinkage.prior_type", prior=prior) from None
    return _beta_parameters(alpha, beta)


def _negative_loglik_and_gradient(x, k, n, times=1.0):
    """Minus the beta-binomial log-likelihood in ``x = (logit mean, log concentration)``,
    each distinct ``(k, n)`` counted ``times`` (items sharing their counts).

    The gradient uses d/d alpha log B(k + alpha, n - k + beta) / B(alpha, beta)
    = psi(k + alpha) - psi(n + alpha + beta) - psi(alpha) + psi(alpha + beta), and
    likewise for beta, by the chain rule through alpha = mu M, beta = (1 - mu) M.
    """
    mu, m = special.expit(x[0]), np.exp(x[1])
    a, b = mu * m, (1.0 - mu) * m
    value = -np.sum(times * stats.betabinom.logpmf(k, n, a, b))
    common = special.digamma(a + b) - special.digamma(n + a + b)
    d_a = np.sum(times * (special.digamma(k + a) - special.digamma(a) + common))
    d_b = np.sum(times * (special.digamma(n - k + b) - special.digamma(b) + common))
    gradient = np.array([(d_a - d_b) * m * mu * (1.0 - mu), d_a * a + d_b * b])
    return value, -gradient


def _moment_start(k, n, pooled):
    """Method-of-moments start: Var(k) = n mu (1-mu) (1 + (n-1) rho) (Kleinman 1973)."""
    pearson = np.sum((k - n * pooled) ** 2 / (n * pooled * (1.0 - pooled)))
    excess = (pearson - (len(k) - 1)) / max(np.sum(n - 1.0), 1.0)
    rho = float(np.clip(excess, 1e-4, 0.5))
    return np.array([special.logit(pooled), np.log(1.0 / rho - 1.0)])


def fit_beta_binomial(successes, trials) -> BetaBinomialFit:
    """Fit a Beta(alpha, beta) prior of item rates by maximum likelihood (beta-binomial).

    Parameters
    ----------
    successes, trials : array_like or pandas.Series
        Satisfied and valid respondents per item (whole numbers, ``0 <= k <= n``).
        Items with ``n = 0`` are allowed and ignored.

    Returns
    -------
    BetaBinomialFit
        ``alpha``, ``beta``, ``mean``, ``concentration``, ``rho``, ``loglik``,
        ``n_items``, ``converged``, ``at_boundary``, ``boundary``, ``iterations``,
        ``message``.

    Raises
    ------
    ValueError
        Without any item with respondents, or for invalid counts.

    Notes
    -----
    The marginal likelihood of item ``i`` is beta-binomial,

    .. math:: P(k_i) = \\binom{n_i}{k_i}
              \\frac{B(k_i + \\alpha, n_i - k_i + \\beta)}{B(\\alpha, \\beta)},

    summed on the log scale with :data:`scipy.stats.betabinom` and maximized with
    :func:`scipy.optimize.minimize` (L-BFGS-B, analytic gradient) over
    ``(logit mu, log M)``, ``mu = alpha/(alpha+beta)``, ``M = alpha + beta``, from a
    method-of-moments start.

    Boundaries (flagged with ``at_boundary=True``, never an error):

    * **No overdispersion.** When the items differ no more than binomial noise
      explains, the likelihood keeps rising as ``M -> inf`` towards the binomial
      likelihood at the pooled rate ``sum k / sum n``. The fit then returns
      ``M =`` :data:`MAX_CONCENTRATION`, ``mu`` = pooled rate, and as ``loglik`` that
      supremum (the binomial log-likelihood). Shrinkage is then complete.
    * **All items at 100% (or all at 0%).** The likelihood tends to 1 whenever
      ``mu -> 1``, whatever the spread: ``mean`` is 1 (0), ``alpha``/``beta`` are nan,
      ``loglik`` is 0. :func:`shrink_rates` then asks for an explicit prior.
    * **Maximal overdispersion** (every item at 0% or 100%, both present): since
      ``P(k = n) = E[p^n] <= mu``, the supremum is ``mu^a (1 - mu)^b`` (``a``, ``b`` items
      at 100% / 0%), approached as ``M -> 0`` with ``mu = a / (a + b)``; ``M`` is set to
      :data:`MIN_CONCENTRATION` and ``loglik`` is that supremum.

    References
    ----------
    .. [1] Skellam, J. G. (1948). A probability distribution derived from the
       binomial distribution by regarding the probability of success as variable
       between the sets of trials. JRSS B 10, 257-261.
    .. [2] Kleinman, J. C. (1973). Proportions with extraneous variance: single and
       independent samples. JASA 68, 46-54.
    .. [3] Efron, B., Morris, C. (1975). Data analysis using Stein's estimator and its
       generalizations. JASA 70, 311-319.
    .. [4] Yee, T. W. (2015). Vector Generalized Linear and Additive Models. Springer
       (R package ``VGAM``, family ``betabinomialff``; the reference in the tests).

    Examples
    --------
    >>> fit = fit_beta_binomial([48, 10, 17, 19, 40, 35], [51, 12, 17, 20, 50, 38])
    >>> round(fit.mean, 3), fit.at_boundary
    (0.903, False)
    >>> fit_beta_binomial([19, 19, 18], [20, 20, 20]).boundary
    'no overdispersion'
    """
    k, n, _ = item_count_arrays(successes, trials)
    used = n > 0
    k, n = k[used], n[used]
    if k.size == 0:
        raise SurveyError("estimate.shrinkage.no_items")
    pooled = k.sum() / n.sum()
    if pooled in (0.0, 1.0):
        label = "all items at 100%" if pooled == 1.0 else "all items at 0%"
        return BetaBinomialFit(np.nan, np.nan, float(pooled), np.nan, np.nan, 0.0, k.size, True,
                               True, label, 0,
                               Note("estimate.shrinkage.all_same", pooled=pooled,
                                    boundary=Message(f"estimate.shrinkage.boundary.{label}")))
    perfect, zero = k == n, k == 0
    if np.all(perfect | zero):
        # Items only at 100% or 0%: P(k = n) = E[p^n] <= mu and P(k = 0) <= 1 - mu, so the
        # likelihood is at most mu^#100% (1 - mu)^#0%, the limit as alpha + beta -> 0 with mu
        # = share of items at 100%.
        share = perfect.mean()
        loglik = perfect.sum() * np.log(share) + zero.sum() * np.log1p(-share)
        return BetaBinomialFit._from_ab(
            share * MIN_CONCENTRATION, (1.0 - share) * MIN_CONCENTRATION, loglik, k.size, True,
            "maximal overdispersion", 0,
            Note("estimate.shrinkage.maximal", value=MIN_CONCENTRATION))
    # Supremum at M -> infinity: binomial log-likelihood at the pooled rate.
    binomial_loglik = float(np.sum(stats.binom.logpmf(k, n, pooled)))
    log_bounds = (np.log(MIN_CONCENTRATION), np.log(MAX_CONCENTRATION))
    x0 = _moment_start(k, n, pooled)
    # Items with the same counts add the same term: one term per distinct (k, n), weighted
    # (10^5 items of a few hundred sizes have far fewer distinct pairs).
    pairs, times = np.unique(np.column_stack([k, n]), axis=0, return_counts=True)
    args = (pairs[:, 0], pairs[:, 1], times.astype(float))
    result = optimize.minimize(
        _negative_loglik_and_gradient, x0, args=args, jac=True, method="L-BFGS-B",
        bounds=[(None, None), log_bounds], options={"ftol": 0.0, "gtol": 1e-9, "maxiter": 2000})
    mu, log_m = special.expit(result.x[0]), float(result.x[1])
    loglik = -float(result.fun)
    if loglik <= binomial_loglik + 1e-9 or log_m >= log_bounds[1] - 1e-6:
        # Within 1e-9 of the boundary supremum: report the boundary itself.
        return BetaBinomialFit._from_ab(
            pooled * MAX_CONCENTRATION, (1.0 - pooled) * MAX_CONCENTRATION, binomial_loglik,
            k.size, True, "no overdispersion", result.nit,
            Note("estimate.shrinkage.none", value=MAX_CONCENTRATION))
    # L-BFGS-B often ends with "ABNORMAL" once the gradient is at rounding level
    # (digamma differences), so judge convergence by the gradient itself.
    _, gradient = _negative_loglik_and_gradient(result.x, *args)
    at_low = log_m <= log_bounds[0] + 1e-6
    if at_low:
        gradient = gradient[:1]
    converged = bool(np.max(np.abs(gradient)) < 1e-5)
    m = np.exp(log_m)
    return BetaBinomialFit._from_ab(mu * m, (1.0 - mu) * m, loglik, k.size, converged,
                                    "maximal overdispersion" if at_low else "", result.nit,
                                    str(result.message))


def _posterior_table(successes, trials, prior, confidence_level):
    """Shared work of shrink_rates and rank_intervals: the posterior Beta of each item."""
    level = check_confidence_level(confidence_level)
    ids, k, n, index = counts_input(successes, trials)
    if prior is None:
        prior = fit_beta_binomial(k, n)
    alpha, beta = prior_parameters(prior)
    a, b = alpha + k, beta + n - k
    q = tail_probability(level, "two-sided")
    out = pd.DataFrame(index=index) if ids is None else ids.copy()
    out["n"] = n.astype("int64")
    out["satisfied"] = k.astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["rate"] = np.where(n > 0, k / np.where(n > 0, n, 1.0), np.nan)
    out["shrunken_rate"] = a / (a + b)
    out["cred_low"] = special.betaincinv(a, b, q)
    # Upper quantile by symmetry: I^{-1}_{1-q}(a, b) = 1 - I^{-1}_q(b, a) keeps full
    # precision when the quantile is close to 1 (items near 100%).
    out["cred_high"] = 1.0 - special.betaincinv(b, a, q)
    out["weight_on_data"] = n / (alpha + beta + n)
    out["confidence_level"] = level
    out.attrs["prior"] = prior if isinstance(prior, BetaBinomialFit) else (alpha, beta)
    return out, a, b


def shrink_rates(successes, trials=None, prior=None,
                 confidence_level: float = 0.95) -> pd.DataFrame:
    """Empirical-Bayes (shrunken) satisfaction rate of every item, with credible intervals.

    Parameters
    ----------
    successes : pandas.DataFrame, array_like or pandas.Series
        Either a counts table with columns ``n`` and ``satisfied`` (e.g. the output
        of :func:`~survey_analysis.item_rates` or
        :func:`~survey_analysis.satisfaction_counts`; its other columns, such as
        ``item_id``, are kept), or the satisfied counts per item.
    trials : array_like or pandas.Series, optional
        Valid respondents per item; required unless ``successes`` is a DataFrame.
    prior : BetaBinomialFit or (alpha, beta), optional
        Prior of the items' true rates. ``None`` (default) fits it to these items with
        :func:`fit_beta_binomial` (empirical Bayes).
    confidence_level : float, default 0.95
        Level of the equal-tailed credible intervals.

    Returns
    -------
    pandas.DataFrame
        One row per item (the input's index and identifying columns), with ``n``,
        ``satisfied``, ``rate`` (``k/n``; nan when ``n = 0``), ``shrunken_rate``
        (posterior mean), ``cred_low``, ``cred_high`` (equal-tailed posterior
        interval), ``weight_on_data``, ``confidence_level``. The prior used is in
        ``.attrs["prior"]``.

    Raises
    ------
    ValueError
        For invalid counts or confidence level, an invalid prior, or when the fitted
        prior is degenerate (every item at 100% or every item at 0%).

    Notes
    -----
    With prior ``Beta(alpha, beta)`` the posterior of item ``i`` is
    ``Beta(alpha + k_i, beta + n_i - k_i)``, so

    .. math:: \\tilde p_i = \\frac{\\alpha + k_i}{\\alpha + \\beta + n_i}
              = w_i \\frac{k_i}{n_i} + (1 - w_i) \\frac{\\alpha}{\\alpha + \\beta},
              \\qquad w_i = \\frac{n_i}{\\alpha + \\beta + n_i}

    (``weight_on_data``). The interval is the ``q`` and ``1 - q`` posterior
    quantiles, ``q = (1 - level)/2``, from :func:`scipy.special.betaincinv`.

    When the prior is fitted to the same items (the default) the intervals ignore the
    uncertainty in ``alpha`` and ``beta``, so they are somewhat too narrow when there
    are few items (Morris 1983; Carlin & Louis 2000, sec. 3.5). An item at 100% gets a
    shrunken rate below 100%: what a reader should expect of it on a new sample.

    References
    ----------
    .. [1] Efron, B., Morris, C. (1975). Data analysis using Stein's estimator and its
       generalizations. JASA 70, 311-319.
    .. [2] Morris, C. N. (1983). Parametric empirical Bayes inference: theory and
       applications. JASA 78, 47-55.
    .. [3] Carlin, B. P., Louis, T. A. (2000). Bayes and Empirical Bayes Methods for
       Data Analysis, 2nd ed. Chapman & Hall/CRC.

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.DataFrame({"item_id": ["A", "B", "C"], "n": [9, 500, 40],
    ...                        "satisfied": [9, 470, 30]})
    >>> out = shrink_rates(counts, prior=(18.0, 2.0))
    >>> out[["item_id", "rate", "shrunken_rate"]].round(3)
      item_id   rate  shrunken_rate
    0       A  1.000          0.931
    1       B  0.940          0.938
    2       C  0.750          0.800
    """
    out, _, _ = _posterior_table(successes, trials, prior, confidence_level)
    return out


def rank_intervals(successes, trials=None, prior=None, confidence_level: float = 0.95,
                   draws: int = 4000, seed=0) -> pd.DataFrame:
    """How certain is a league table? Intervals for each item's rank, by simulation.

    Parameters
    ----------
    successes, trials, prior
        As in :func:`shrink_rates`.
    confidence_level : float, default 0.95
        Level of the rank intervals (and of the credible intervals of the rates).
    draws : int, default 4000
        Number of simulated league tables.
    seed : int or numpy.random.Generator, default 0
        Seed of :func:`numpy.random.default_rng`; fixed so that results reproduce.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`shrink_rates` plus ``rank_observed`` (rank of the
        observed rate, ties averaged), ``rank_mean``, ``rank_median``, ``rank_low``,
        ``rank_high`` (equal-tailed interval of the simulated ranks, inverted-CDF
        quantiles, so they are ranks that occurred) and ``prob_top`` (share of the
        draws in which the item ranks first). Rank 1 is the **most** satisfied item.

    Notes
    -----
    A ``(draws, items)`` matrix of true rates is drawn from the items' posterior
    Betas ``Beta(alpha + k_i, beta + n_i - k_i)``; every row is ranked (descending)
    with :func:`scipy.stats.rankdata` along axis 1, and each item's ranks are
    summarized. This is the simulation approach of Goldstein & Spiegelhalter (1996)
    and Marshall & Spiegelhalter (1998) to league tables: a wide rank interval means
    the table's order for that item is mostly noise. Memory is about
    ``16 * draws * items`` bytes (4000 draws x 152 items: 10 MB). The Monte Carlo
    standard error of ``rank_mean`` is ``sd(rank) / sqrt(draws)``, at most
    ``(items - 1) / (2 sqrt(draws))``; raise ``draws`` for publication.

    References
    ----------
    .. [1] Goldstein, H., Spiegelhalter, D. J. (1996). League tables and their
       limitations: statistical issues in comparisons of institutional performance.
       JRSS A 159, 385-443.
    .. [2] Marshall, E. C., Spiegelhalter, D. J. (1998). Reliability of league tables
       of in vitro fertilisation clinics: retrospective analysis of live birth rates.
       BMJ 316, 1701-1704.

    Examples
    --------
    >>> out = rank_intervals([9, 470, 30], [9, 500, 40], prior=(18.0, 2.0))
    >>> out[["rank_observed", "rank_low", "rank_high"]].astype(int).to_numpy().tolist()
    [[1, 1, 3], [2, 1, 2], [3, 2, 3]]
    """
    if not isinstance(draws, (int, np.integer)) or draws < 2:
        raise SurveyError("estimate.shrinkage.draws", draws=draws)
    out, a, b = _posterior_table(successes, trials, prior, confidence_level)
    q = tail_probability(confidence_level, "two-sided")
    rng = np.random.default_rng(seed)
    samples = rng.beta(a, b, size=(int(draws), a.size))
    ranks = stats.rankdata(-samples, axis=1, method="average")
    out["rank_observed"] = stats.rankdata(-out["rate"].to_numpy(), nan_policy="omit")
    out["rank_mean"] = ranks.mean(axis=0)
    out["rank_median"] = np.median(ranks, axis=0)
    out["rank_low"] = np.quantile(ranks, q, axis=0, method="inverted_cdf")
    out["rank_high"] = np.quantile(ranks, 1.0 - q, axis=0, method="inverted_cdf")
    out["prob_top"] = np.mean(ranks == 1.0, axis=0)
    return out
