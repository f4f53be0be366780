"""Funnel plots: which items differ from a target by more than chance, given their size.

A funnel plot (Spiegelhalter 2005a) puts each item's satisfaction rate against its
number of respondents ``n`` and draws control limits around a target rate
``theta0`` that narrow as ``n`` grows. Small items scatter widely by chance alone;
the limits say how widely. This module computes the limits
(:func:`funnel_limits`), the over-dispersion of the items
(:func:`estimate_overdispersion`) and a per-item table with z-scores and flags
(:func:`funnel_table`). Plotting is left to the presentation layer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from .._validation import check_choice, check_confidence_level, check_open_unit, tail_probability
from ..words import Hint, SurveyError, frame_html, percent, shorten
from .shrinkage import counts_input, item_count_arrays

__all__ = [
    "FUNNEL_METHODS",
    "OVERDISPERSION_MODELS",
    "Overdispersion",
    "estimate_overdispersion",
    "funnel_limits",
    "funnel_table",
]

FUNNEL_METHODS = ("exact", "normal")
OVERDISPERSION_MODELS = ("additive", "multiplicative")


@dataclass(frozen=True)
class Overdispersion:
    """How much more the items' rates vary than binomial sampling explains.

    Attributes
    ----------
    phi : float
        Over-dispersion factor: mean of the squared (Winsorized) z-scores.
    tau2 : float
        Between-item variance of the true rates (additive model), 0 when
        ``n_items * phi <= n_items - 1``.
    model : {"additive", "multiplicative"}
        Which inflation :func:`funnel_limits` and :func:`funnel_table` apply.
    target : float
        Target rate the z-scores were computed around.
    n_items : int
        Items with respondents.
    winsorize : float
        Share Winsorized in each tail before computing ``phi``.
    statistic : float
        ``n_items * phi``.
    df : int
        Degrees of freedom of the chi-squared reference: ``n_items - 1`` when the
        target was estimated from the same items, else ``n_items``.
    p_value : float
        ``P(chi2_df >= statistic)``: a test of "no over-dispersion". Winsorizing only
        lowers the statistic, so the test is conservative.
    """

    phi: float
    tau2: float
    model: str
    target: float
    n_items: int
    winsorize: float
    statistic: float
    df: int
    p_value: float

    def to_frame(self) -> pd.DataFrame:
        """One row with every attribute."""
        return pd.DataFrame([{name: getattr(self, name) for name in self.__dataclass_fields__}])

    def __repr__(self) -> str:
        return shorten(f"<Overdispersion ({self.model}): phi {self.phi:.3g}, tau2 {self.tau2:.3g}, "
                       f"p = {self.p_value:.3g} on {self.df} df; {self.n_items} items around "
                       f"{percent(self.target)}>")

    def _repr_html_(self) -> str:
        return frame_html(self.to_frame(), "Over-dispersion of the item rates",
                          percent_columns=("target",))

    def sd(self, trials, target=None):
        """Standard deviation of an item's observed rate under this model, for ``n`` trials.

        Multiplicative: ``sqrt(max(phi, 1) * theta0 (1 - theta0) / n)``; additive:
        ``sqrt(theta0 (1 - theta0) / n + tau2)``.
        """
        target = self.target if target is None else target
        return _rate_sd(np.asarray(trials, dtype=float), target, self)


def _check_target(target) -> float:
    return check_open_unit(target, "estimate.funnel.target_number", "estimate.funnel.target_range")


def _check_levels(confidence_levels) -> tuple[float, ...]:
    levels = np.atleast_1d(np.asarray(confidence_levels, dtype=object))
    if levels.size == 0:
        raise SurveyError("estimate.funnel.no_levels")
    return tuple(check_confidence_level(level) for level in levels)


def _level_label(level: float) -> str:
    """Column suffix of a confidence level: 0.95 -> "95", 0.998 -> "99.8"."""
    return f"{round(100.0 * level, 6):g}"


def _rate_sd(n, target, overdispersion):
    """Standard deviation of an observed rate with ``n`` trials around ``target``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = target * (1.0 - target) / n
        if overdispersion is None:
            return np.sqrt(variance)
        if isinstance(overdispersion, Overdispersion):
            if overdispersion.model == "additive":
                return np.sqrt(variance + overdispersion.tau2)
            phi = overdispersion.phi
        else:
            phi = float(overdispersion)
        # Under-dispersion (phi < 1) is not used to narrow the limits below binomial ones.
        return np.sqrt(max(phi, 1.0) * variance)


def _check_overdispersion(overdispersion, method):
    if overdispersion is None:
        return None
    if not isinstance(overdispersion, Overdispersion):
        try:
            phi = float(overdispersion)
        except (TypeError, ValueError):
            raise SurveyError("estimate.funnel.overdispersion_type", value=overdispersion) from None
        if not (np.isfinite(phi) and phi > 0):
            raise SurveyError("estimate.funnel.phi", phi=phi)
    if method == "exact":
        raise SurveyError("estimate.funnel.exact_overdispersion", fix=Hint("method", "normal"))
    return overdispersion


def _exact_limit(tail, n, target, upper: bool):
    """Spiegelhalter's (2005a, Appendix) interpolated exact binomial limit, as a rate.

    ``r_p`` is the ``p``-quantile of ``Binomial(n, theta0)`` (smallest ``r`` with
    ``F(r) >= p``), ``a = (F(r_p) - p) / (F(r_p) - F(r_p - 1))`` and the limit is
    ``(r_p - a) / n``. For the upper limit (``p = 1 - tail``) both ``r_p`` and
    ``F(r_p) - p = tail - S(r_p)`` come from the survival function so that tiny tails
    keep their precision.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        if upper:
            r = stats.binom.isf(tail, n, target)
            excess = tail - stats.binom.sf(r, n, target)
        else:
            r = stats.binom.ppf(tail, n, target)
            excess = stats.binom.cdf(r, n, target) - tail
        a = excess / stats.binom.pmf(r, n, target)
        limit = (r - a) / n
    # The interpolation spreads the mass at r over (r - 1, r], so a lower limit with
    # r_p = 0 can fall below 0; a rate cannot.
    return np.clip(limit, 0.0, 1.0)


def _limits(n, target, level, method, overdispersion):
    tail = tail_probability(level, "two-sided")
    if method == "exact":
        low = _exact_limit(tail, n, target, upper=False)
        high = _exact_limit(tail, n, target, upper=True)
    else:
        half = -special.ndtri(tail) * _rate_sd(n, target, overdispersion)
        low, high = np.clip(target - half, 0.0, 1.0), np.clip(target + half, 0.0, 1.0)
    empty = n <= 0
    return np.where(empty, np.nan, low), np.where(empty, np.nan, high)


def estimate_overdispersion(successes, trials, target=None, model: str = "additive",
                            winsorize: float = 0.1) -> Overdispersion:
    """Estimate over-dispersion of item rates around a target (Spiegelhalter 2005b).

    Parameters
    ----------
    successes, trials : array_like or pandas.Series
        Satisfied and valid respondents per item; items with ``n = 0`` are ignored.
    target : float, optional
        Target rate ``theta0``; default the pooled rate ``sum k / sum n``.
    model : {"additive", "multiplicative"}, default "additive"
        Which inflation later limits use (both ``phi`` and ``tau2`` are estimated):

        * ``"additive"`` -- random effects: the true item rates vary around
          ``theta0`` with variance ``tau2`` (DerSimonian & Laird 1986 moment
          estimator, as in Spiegelhalter 2005a, 2005b). The default because items
          genuinely differ, and because it keeps large items from all being flagged.
        * ``"multiplicative"`` -- every variance is multiplied by ``phi``
          (quasi-likelihood).
    winsorize : float, default 0.1
        Share of z-scores Winsorized in each tail (10% as in Spiegelhalter 2005b),
        in ``[0, 0.5)``.

    Returns
    -------
    Overdispersion
        ``phi``, ``tau2``, ``model``, ``target``, ``n_items``, ``winsorize``,
        ``statistic``, ``df``, ``p_value``.

    Notes
    -----
    With ``s_i^2 = theta0 (1 - theta0) / n_i`` and z-scores
    ``z_i = (y_i - theta0) / s_i`` (``y_i = k_i / n_i``), the z-scores below their
    ``winsorize`` quantile are set to it, and likewise above the ``1 - winsorize``
    quantile (quantiles by linear interpolation, as R ``quantile(type = 7)``). Then

    .. math:: \\hat\\phi = \\frac{1}{I}\\sum_i z_i^2, \\qquad
              \\hat\\tau^2 = \\max\\left(0, \\frac{I\\hat\\phi - (I - 1)}
              {\\sum_i w_i - \\sum_i w_i^2 / \\sum_i w_i}\\right), \\quad w_i = 1/s_i^2.

    References
    ----------
    .. [1] Spiegelhalter, D. J. (2005a). Funnel plots for comparing institutional
       performance. Statistics in Medicine 24, 1185-1202.
    .. [2] Spiegelhalter, D. J. (2005b). Handling over-dispersion of performance
       indicators. Quality and Safety in Health Care 14, 347-351.
    .. [3] DerSimonian, R., Laird, N. (1986). Meta-analysis in clinical trials.
       Controlled Clinical Trials 7, 177-188.

    Examples
    --------
    >>> est = estimate_overdispersion([48, 10, 17, 40, 35, 25], [51, 12, 17, 50, 38, 33])
    >>> round(est.phi, 3), round(est.tau2, 5), est.df
    (1.799, 0.00406, 5)
    """
    check_choice("model", model, OVERDISPERSION_MODELS)
    winsorize = float(winsorize)
    if not 0.0 <= winsorize < 0.5:
        raise SurveyError("estimate.funnel.winsorize", value=winsorize)
    k, n, _ = item_count_arrays(successes, trials)
    used = n > 0
    k, n = k[used], n[used]
    if k.size < 2:
        raise SurveyError("estimate.funnel.two_items")
    estimated = target is None
    theta0 = _check_target(k.sum() / n.sum()) if estimated else _check_target(target)
    s2 = theta0 * (1.0 - theta0) / n
    z = (k / n - theta0) / np.sqrt(s2)
    low, high = np.quantile(z, [winsorize, 1.0 - winsorize])
    z = np.clip(z, low, high)
    items = k.size
    phi = float(np.mean(z**2))
    w = 1.0 / s2
    tau2 = max(0.0, (items * phi - (items - 1)) / (w.sum() - np.sum(w**2) / w.sum()))
    df = items - 1 if estimated else items
    statistic = items * phi
    return Overdispersion(phi=phi, tau2=float(tau2), model=model, target=theta0, n_items=items,
                          winsorize=winsorize, statistic=statistic, df=df,
                          p_value=float(stats.chi2.sf(statistic, df)))


def funnel_limits(n, target, confidence_levels=(0.95, 0.998), method: str = "exact",
                  overdispersion=None) -> pd.DataFrame:
    """Funnel-plot control limits for a rate, for each sample size ``n``.

    Parameters
    ----------
    n : int or array_like
        Sample sizes (e.g. ``np.arange(1, 201)`` for a smooth funnel, or the items'
        ``n``).
    target : float
        Target rate ``theta0`` (for example the pooled rate, or 0.95).
    confidence_levels : float or sequence of float, default (0.95, 0.998)
        Two-sided levels; 95% and 99.8% (about 2 and 3 standard deviations) are
        Spiegelhalter's (2005a) "warning" and "alarm" limits.
    method : {"exact", "normal"}, default "exact"
        * ``"exact"`` -- binomial quantiles with Spiegelhalter's (2005a, Appendix)
          interpolation for discreteness. No over-dispersion.
        * ``"normal"`` -- ``theta0 +/- z sd(n)`` (Spiegelhalter 2005a), clipped to
          [0, 1]; required when ``overdispersion`` is given.
    overdispersion : None, float or Overdispersion, optional
        ``None``: binomial variation only. A float ``phi``: multiplicative inflation.
        An :class:`Overdispersion` from :func:`estimate_overdispersion`: its ``model``.

    Returns
    -------
    pandas.DataFrame
        Long format, one row per level and ``n`` (levels in the order given, then
        ``n`` in input order): ``confidence_level``, ``n``, ``lower``, ``upper``
        (limits as rates; nan for ``n = 0``), ``target``, ``method``.

    Notes
    -----
    Exact limits: with ``F`` the ``Binomial(n, theta0)`` CDF and ``p`` the lower
    (``(1 - level)/2``) or upper (``(1 + level)/2``) probability, ``r_p`` is the
    smallest ``r`` with ``F(r) >= p`` and

    .. math:: a = \\frac{F(r_p) - p}{F(r_p) - F(r_p - 1)}, \\qquad
              \\text{limit} = \\frac{r_p - a}{n}.

    This is the exact ``p``-quantile of ``R - U`` with ``U ~ Uniform(0, 1)``, which
    spreads the probability of ``r`` over ``(r - 1, r]``: the limits are smooth in
    ``n``. Lower limits below 0 are set to 0.

    Normal limits: ``theta0 +/- z_{1-q} sd``, with ``sd`` as in
    :meth:`Overdispersion.sd` (``sqrt(theta0 (1 - theta0) / n)`` without
    over-dispersion).

    References
    ----------
    .. [1] Spiegelhalter, D. J. (2005a). Funnel plots for comparing institutional
       performance. Statistics in Medicine 24, 1185-1202.
    .. [2] Spiegelhalter, D. J. (2005b). Handling over-dispersion of performance
       indicators. Quality and Safety in Health Care 14, 347-351.

    Examples
    --------
    >>> lim = funnel_limits([20, 100], 0.9, confidence_levels=0.95)
    >>> lim[["n", "lower", "upper"]].round(4)
         n   lower   upper
    0   20  0.7215  0.9897
    1  100  0.8323  0.9496
    """
    check_choice("method", method, FUNNEL_METHODS)
    target = _check_target(target)
    levels = _check_levels(confidence_levels)
    overdispersion = _check_overdispersion(overdispersion, method)
    sizes = np.atleast_1d(np.asarray(n, dtype=float))
    if sizes.ndim != 1 or np.any(sizes < 0) or np.any(sizes != np.round(sizes)):
        raise SurveyError("estimate.funnel.sizes")
    frames = []
    for level in levels:  # a handful of levels; vectorized over n
        low, high = _limits(sizes, target, level, method, overdispersion)
        frames.append(pd.DataFrame({"confidence_level": level, "n": sizes.astype("int64"),
                                    "lower": low, "upper": high}))
    out = pd.concat(frames, ignore_index=True)
    out["target"] = target
    out["method"] = method
    return out


def funnel_table(rates, target=None, confidence_levels=(0.95, 0.998), method: str = "exact",
                 overdispersion=None) -> pd.DataFrame:
    """Each item against the funnel: z-score, limits at its ``n`` and where it falls.

    Parameters
    ----------
    rates : pandas.DataFrame
        Counts table with columns ``n`` and ``satisfied`` (e.g. the output of
        :func:`~survey_analysis.item_rates`); other columns such as ``item_id`` are kept.
    target : float, optional
        Target rate; default the pooled rate of the items, ``sum k / sum n``.
    confidence_levels, method
        As in :func:`funnel_limits`.
    overdispersion : None, float, Overdispersion, "additive" or "multiplicative"
        As in :func:`funnel_limits`; the strings estimate it from these items with
        :func:`estimate_overdispersion` around ``target``.

    Returns
    -------
    pandas.DataFrame
        One row per item: identifying columns, ``n``, ``satisfied``, ``rate``,
        ``target``, ``z`` (``(rate - target) / sd(n)``, over-dispersion included),
        with ``method="exact"`` also ``p_above = P(R >= k)`` and
        ``p_below = P(R <= k)`` under ``Binomial(n, target)``; then for each level
        (suffix ``95``, ``99.8`` ...) ``lower_<level>``, ``upper_<level>`` and
        ``flag_<level>`` in {"above", "below", "within", "no data"}. The
        over-dispersion used is in ``.attrs["overdispersion"]``.

    Notes
    -----
    ``method="normal"``: "above" when ``z > z_{1-q}``, "below" when ``z < -z_{1-q}``
    (the item lies outside the normal limits), ``q = (1 - level)/2``.

    ``method="exact"``: "above" when ``p_above < q``, "below" when ``p_below < q``
    (exact one-sided binomial tests). "below" is the same as the rate lying below
    the interpolated lower limit. For the upper side, "rate above the interpolated
    limit" would mean only ``P(R > k) < q``, which leaves out the probability of the
    observed count itself: since the upper limit is below 1 whenever ``F(r_p) > p``,
    that rule flags **every** 100% item, also those with
    ``n < log(q) / log(target)`` for which ``n`` of ``n`` is not significant (at
    target 0.95 and 95% limits: fewer than 72 respondents; 20 of 20 happens with
    probability 0.36). So an item is flagged "above" only when the whole step of its
    count, ``(k - 1)/n`` to ``k/n``, lies above the limit: the exact test. On the
    probability of falling outside interpolated limits see Manktelow & Seaton (2012).

    References
    ----------
    .. [1] Spiegelhalter, D. J. (2005a). Funnel plots for comparing institutional
       performance. Statistics in Medicine 24, 1185-1202.
    .. [2] Spiegelhalter, D. J. (2005b). Handling over-dispersion of performance
       indicators. Quality and Safety in Health Care 14, 347-351.
    .. [3] Manktelow, B. N., Seaton, S. E. (2012). Specifying the probability
       characteristics of funnel plot control limits: an investigation of three
       approaches. PLoS ONE 7(9), e45723.

    Examples
    --------
    >>> import pandas as pd
    >>> rates = pd.DataFrame({"item_id": ["A", "B", "C"], "n": [20, 60, 200],
    ...                       "satisfied": [20, 45, 192]})
    >>> funnel_table(rates, target=0.95)[["item_id", "flag_95", "flag_99.8"]]
      item_id flag_95 flag_99.8
    0       A  within    within
    1       B   below     below
    2       C  within    within
    """
    check_choice("method", method, FUNNEL_METHODS)
    levels = _check_levels(confidence_levels)
    if not isinstance(rates, pd.DataFrame):
        raise SurveyError("estimate.funnel.rates_frame")
    ids, k, n, _ = counts_input(rates, None)
    has_data = n > 0
    pooled_target = target is None
    if target is None:
        if not has_data.any():
            raise SurveyError("estimate.funnel.no_target")
        target = k.sum() / n.sum()
    target = _check_target(target)
    if isinstance(overdispersion, str):
        check_choice("overdispersion", overdispersion, OVERDISPERSION_MODELS)
        _check_overdispersion(1.0, method)  # exact limits + over-dispersion: say so first
        # a pooled target was estimated from the same items: the test loses one degree of freedom
        overdispersion = estimate_overdispersion(k, n, target=None if pooled_target else target,
                                                 model=overdispersion)
    overdispersion = _check_overdispersion(overdispersion, method)

    out = ids.copy()
    out["n"] = n.astype("int64")
    out["satisfied"] = k.astype("int64")
    safe_n = np.where(has_data, n, 1.0)
    rate = np.where(has_data, k / safe_n, np.nan)
    out["rate"] = rate
    out["target"] = target
    out["z"] = np.where(has_data, (rate - target) / _rate_sd(safe_n, target, overdispersion),
                        np.nan)
    if method == "exact":
        out["p_above"] = np.where(has_data, stats.binom.sf(k - 1, safe_n, target), np.nan)
        out["p_below"] = np.where(has_data, stats.binom.cdf(k, safe_n, target), np.nan)
    for level in levels:  # a handful of levels; vectorized over items
        label = _level_label(level)
        tail = tail_probability(level, "two-sided")
        low, high = _limits(n, target, level, method, overdispersion)
        if method == "exact":
            above, below = out["p_above"].to_numpy() < tail, out["p_below"].to_numpy() < tail
        else:
            z_crit = -special.ndtri(tail)
            above, below = out["z"].to_numpy() > z_crit, out["z"].to_numpy() < -z_crit
        out[f"lower_{label}"] = low
        out[f"upper_{label}"] = high
        out[f"flag_{label}"] = np.select([~has_data, above, below], ["no data", "above", "below"],
                                         default="within")
    out.attrs["overdispersion"] = overdispersion
    return out
