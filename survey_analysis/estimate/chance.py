"""How many items would be at 100% by chance? The Poisson-binomial count of perfect items.

An item at 100% may be a genuinely excellent service or a small sample: if the true
rate is 95% and 20 people answered, all 20 are satisfied with probability
``0.95 ** 20 = 0.36``. Given each item's number of respondents and a model of the
true rates, :func:`count_at_100_distribution` gives the exact distribution of the
number of items at 100%, so a claim such as "ten-plus items at 100%" can be set
against what chance alone produces.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from .._validation import tail_probability
from ..words import Note, SurveyError, html_table, shorten
from .shrinkage import fit_beta_binomial, prior_parameters

__all__ = ["CountDistribution", "chance_of_100", "count_at_100_distribution", "poisson_binomial_pmf"]


def poisson_binomial_pmf(probabilities) -> np.ndarray:
    """Exact pmf of the number of successes among independent Bernoulli(p_i) trials.

    Parameters
    ----------
    probabilities : array_like
        Success probability of each trial, in [0, 1].

    Returns
    -------
    numpy.ndarray
        ``pmf[j] = P(count = j)`` for ``j = 0 .. m``.

    Notes
    -----
    The standard recursion ``P_i(j) = P_{i-1}(j) (1 - p_i) + P_{i-1}(j - 1) p_i``, done
    in blocks: trials with the same probability (items of the same size under one rate
    or prior) add up to a binomial count, whose pmf is exact
    (:func:`scipy.stats.binom.pmf`); the blocks are convolved in turn
    (:func:`numpy.convolve`). Every term is a sum of non-negative products, so there is
    no cancellation (unlike FFT or characteristic-function methods, which can give
    small negative probabilities). Probabilities below ``1e-300`` are dropped from the
    ends of each partial pmf, which keeps it as long as its spread (a few thousand
    values for 10^5 items), not ``m``: the cost is that of a few hundred short
    convolutions where a survey has a few hundred item sizes. Written here because
    neither numpy nor scipy offers it.

    References
    ----------
    .. [1] Chen, X.-H., Dempster, A. P., Liu, J. S. (1994). Weighted finite
       population sampling to maximize entropy. Biometrika 81, 457-469.
    .. [2] Hong, Y. (2013). On computing the distribution function for the Poisson
       binomial distribution. Computational Statistics & Data Analysis 59, 41-51.

    Examples
    --------
    >>> poisson_binomial_pmf([0.5, 0.5]).tolist()
    [0.25, 0.5, 0.25]
    """
    p = np.asarray(probabilities, dtype=float).ravel()
    if np.any(~np.isfinite(p)) or np.any((p < 0) | (p > 1)):
        raise SurveyError("estimate.chance.probabilities")
    values, sizes = np.unique(p, return_counts=True)
    pmf, offset = np.ones(1), 0
    for value, size in zip(values, sizes):  # one binomial block per distinct probability
        block, start = _trimmed(stats.binom.pmf(np.arange(size + 1), size, value))
        pmf, shift = _trimmed(np.convolve(pmf, block))
        offset += start + shift
    out = np.zeros(p.size + 1)
    out[offset:offset + pmf.size] = pmf
    return out


def _trimmed(pmf: np.ndarray) -> tuple[np.ndarray, int]:
    """``pmf`` without the negligible (< 1e-300) values at its ends, and how many were cut
    from the start."""
    kept = np.flatnonzero(pmf >= 1e-300)
    if kept.size == 0:
        return pmf[:1], 0
    return pmf[kept[0]:kept[-1] + 1], int(kept[0])


@dataclass(frozen=True)
class CountDistribution:
    """Distribution of the number of items at 100%.

    Attributes
    ----------
    pmf : pandas.Series
        ``P(count = j)``, indexed ``0 .. m`` (``m`` items).
    item_probabilities : pandas.Series
        Each item's probability of being at 100% (index of the input trials).
    model : str
        What the probabilities assume, e.g. ``"fixed rate"`` or ``"beta prior"``.
    rate_mean : float
        The mean true rate assumed: the fixed rate's mean over items, or the prior's
        ``alpha / (alpha + beta)``.
    """

    pmf: pd.Series
    item_probabilities: pd.Series
    model: str
    rate_mean: float = float("nan")

    def to_frame(self) -> pd.DataFrame:
        """The distribution: ``items_at_100`` (0 .. m), ``probability``."""
        return self.pmf.reset_index()

    def __repr__(self) -> str:
        low, high = self.interval(0.95)
        return shorten(f"<CountDistribution of the items at 100%: mean {self.mean:.1f}, 95% range "
                       f"{low} to {high} ({self.model})>")

    def _repr_html_(self) -> str:
        low, high = self.interval(0.95)
        return html_table([("mean", f"{self.mean:.2f}"), ("95% range", f"{low} to {high}"),
                           ("model", self.model)], ["items at 100%", ""],
                          "How many items chance alone puts at 100%")

    @property
    def mean(self) -> float:
        """Expected number of items at 100%: ``sum p_i``."""
        return float(self.item_probabilities.sum())

    @property
    def var(self) -> float:
        """Variance of the count: ``sum p_i (1 - p_i)``."""
        p = self.item_probabilities.to_numpy()
        return float(np.sum(p * (1.0 - p)))

    def probability(self, low=0, high=None) -> float:
        """``P(low <= count <= high)`` (both ends included; ``high=None`` for no upper end).

        ``probability(11, 19)`` is the chance of "ten-plus" items at 100%
        read as 11 to 19.
        """
        if high is not None and low > high:
            raise SurveyError("estimate.chance.low_high", low=low, high=high)
        # the pmf is trimmed where its mass is negligible: counts beyond its end have none
        last = len(self.pmf) - 1 if high is None else int(np.floor(high))
        return float(self.pmf.loc[max(int(np.ceil(low)), 0):last].sum())

    def cdf(self, count) -> float:
        """``P(count_at_100 <= count)``."""
        return self.probability(0, count) if count >= 0 else 0.0

    def interval(self, confidence_level: float = 0.95) -> tuple[int, int]:
        """Equal-tailed interval ``(low, high)`` of the count.

        ``low`` is the smallest ``j`` with ``P(count <= j) >= q`` and ``high`` the
        smallest ``j`` with ``P(count <= j) >= 1 - q``, ``q = (1 - level)/2`` (the
        quantile definition of R's ``qbinom``), so that ``P(low <= count <= high)``
        is at least ``level``.
        """
        q = tail_probability(confidence_level, "two-sided")
        pmf = self.pmf.to_numpy()
        cdf = np.cumsum(pmf)
        # Upper tail from the survival side to keep precision: P(count > j) <= q.
        survival = np.concatenate([np.cumsum(pmf[::-1])[::-1][1:], [0.0]])
        return int(np.argmax(cdf >= q)), int(np.argmax(survival <= q))


def count_at_100_distribution(trials, rate=None, prior=None) -> CountDistribution:
    """Exact distribution of how many items are at 100%, given their sizes and true rates.

    Parameters
    ----------
    trials : array_like or pandas.Series
        Number of respondents ``n_i`` of each item.
    rate : float or array_like, optional
        The true satisfaction rate, the same for all items (float) or one per item.
    prior : BetaBinomialFit or (alpha, beta), optional
        Instead of ``rate``: the items' true rates are drawn from ``Beta(alpha, beta)``
        (e.g. :func:`~survey_analysis.fit_beta_binomial` on the same survey).

    Returns
    -------
    CountDistribution
        ``pmf`` (Series over ``0 .. m``), ``item_probabilities``, ``mean``, ``var``,
        ``probability(low, high)``, ``cdf(count)``, ``interval(confidence_level)``.

    Raises
    ------
    ValueError
        Unless exactly one of ``rate`` and ``prior`` is given, or for invalid inputs.

    Notes
    -----
    Item ``i`` is at 100% with probability

    * ``p_i = rate ** n_i`` for a fixed rate;
    * ``p_i = E[p^{n_i}] = B(alpha + n_i, beta) / B(alpha, beta)`` when the rate is
      ``Beta(alpha, beta)`` (the beta-binomial probability of ``k = n``), computed as
      ``exp(betaln(alpha + n_i, beta) - betaln(alpha, beta))``.

    Items are independent, so the count is Poisson-binomial; its pmf is computed
    exactly by :func:`poisson_binomial_pmf`. An item with ``n_i = 0`` is never
    counted as at 100% (``p_i = 0``), as in :func:`~survey_analysis.items_at_100`.

    References
    ----------
    .. [1] Wang, Y. H. (1993). On the number of successes in independent trials.
       Statistica Sinica 3, 295-312.
    .. [2] Skellam, J. G. (1948). A probability distribution derived from the
       binomial distribution by regarding the probability of success as variable
       between the sets of trials. JRSS B 10, 257-261.

    Examples
    --------
    152 items with 30 respondents each, every item truly 95% satisfactory:

    >>> dist = count_at_100_distribution([30] * 152, rate=0.95)
    >>> round(dist.mean, 1), dist.interval(0.95)
    (32.6, (23, 43))
    >>> round(dist.probability(11, 19), 4)     # "ten-plus" read as 11 to 19
    0.0032
    """
    if (rate is None) == (prior is None):
        raise SurveyError("estimate.chance.rate_or_prior")
    index = trials.index if isinstance(trials, pd.Series) else None
    n = np.atleast_1d(np.asarray(trials, dtype=float))
    if n.ndim != 1 or np.any(~np.isfinite(n)) or np.any(n < 0) or np.any(n != np.round(n)):
        raise SurveyError("estimate.chance.trials")
    if rate is not None:
        p = np.asarray(rate, dtype=float)
        if np.any(~np.isfinite(p)) or np.any((p < 0) | (p > 1)):
            raise SurveyError("estimate.chance.rate_range", rate=rate)
        try:
            p = np.broadcast_to(p, n.shape)
        except ValueError:
            raise SurveyError("estimate.chance.rate_shape", items=n.size, shape=p.shape) from None
        with np.errstate(divide="ignore"):
            probability = p**n
        model = Note("estimate.chance.fixed_rate")
        rate_mean = float(np.mean(p)) if p.size else float("nan")
    else:
        alpha, beta = prior_parameters(prior)
        probability = np.exp(special.betaln(alpha + n, beta) - special.betaln(alpha, beta))
        model = Note("estimate.chance.beta_prior", alpha=alpha, beta=beta)
        rate_mean = alpha / (alpha + beta)
    probability = np.where(n > 0, probability, 0.0)
    pmf = poisson_binomial_pmf(probability)
    return CountDistribution(
        pmf=pd.Series(pmf, index=pd.RangeIndex(len(pmf), name="items_at_100"), name="probability"),
        item_probabilities=pd.Series(probability, index=index, name="p_at_100"),
        model=model, rate_mean=rate_mean)


def chance_of_100(survey) -> CountDistribution | None:
    """How many of a survey's items chance alone puts at 100%: the distribution of the
    count under a beta-binomial fit of the item rates (:func:`count_at_100_distribution`
    with ``prior`` :func:`~survey_analysis.fit_beta_binomial`).

    Parameters
    ----------
    survey : Survey
        Its items' counts are used (items without answers left out).

    Returns
    -------
    CountDistribution or None
        None when the fit is degenerate: fewer than two items with answers, or every
        item at 100% (or at 0%).

    Examples
    --------
    >>> import pandas as pd, survey_analysis as sa
    >>> r = pd.DataFrame({"item_id": list("AAABBBCCCC"), "scale": "yes_no",
    ...                   "rank": [1, 1, 1, 1, 2, 1, 1, 1, 2, 1]})
    >>> chance_of_100(sa.Survey(r)).mean > 0
    True
    """
    counts = survey.counts([survey.item])
    counts = counts.loc[counts["n"] > 0]
    if len(counts) < 2:
        return None
    fit = fit_beta_binomial(counts["satisfied"].to_numpy(), counts["n"].to_numpy())
    if not (np.isfinite(fit.alpha) and np.isfinite(fit.beta)):
        return None
    return count_at_100_distribution(counts["n"].to_numpy(), prior=(fit.alpha, fit.beta))
