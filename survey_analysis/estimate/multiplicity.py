"""Many items at once: adjusted p-values, simultaneous confidence levels, threshold tests.

With 152 items, about 7 of them would show "p < 0.05" by chance alone even if none
differed from the threshold. The functions here say how strong a claim about *every*
item, or about the list of items flagged, the data can carry:

* :func:`adjust_pvalues` -- family-wise error (Bonferroni, Sidak, Holm, Hochberg) or
  false discovery rate (Benjamini-Hochberg, Benjamini-Yekutieli) adjustment of a vector
  of p-values;
* :func:`simultaneous_confidence_level` -- the per-interval level at which ``m``
  intervals hold jointly;
* :func:`threshold_tests` -- per item, the exact test of "the rate is above 95%" (or
  "below 95%") with adjusted p-values and simultaneous lower (or upper) confidence
  bounds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .._validation import check_choice, check_confidence_level, check_open_unit
from ..words import SurveyError
from .intervals import binomial_ci
from .rates import RATE_RESULT_COLUMNS

__all__ = [
    "PVALUE_ADJUSTMENTS",
    "SIMULTANEOUS_METHODS",
    "THRESHOLD_ALTERNATIVES",
    "adjust_pvalues",
    "simultaneous_confidence_level",
    "threshold_tests",
]

PVALUE_ADJUSTMENTS = ("bonferroni", "sidak", "holm", "benjamini_hochberg", "hochberg",
                      "benjamini_yekutieli")
SIMULTANEOUS_METHODS = ("bonferroni", "sidak")
THRESHOLD_ALTERNATIVES = ("greater", "less")

_RESULT_COLUMNS = RATE_RESULT_COLUMNS  # what item_rates() adds besides the item


def _holm(p: np.ndarray) -> np.ndarray:
    """Holm step-down adjustment of finite p-values (R ``p.adjust(method = "holm")``).

    Written by hand because scipy has no Holm adjustment (and statsmodels is not a
    dependency of the library): ``p_(i) -> max_{j <= i} min(1, (m - j + 1) p_(j))``.
    """
    m = p.size
    order = np.argsort(p, kind="stable")
    stepped = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(stepped, 1.0)
    return out


def _hochberg(p: np.ndarray) -> np.ndarray:
    """Hochberg step-up adjustment of finite p-values (R ``p.adjust(method = "hochberg")``).

    The step-up counterpart of :func:`_holm`, with the same multipliers but the running
    minimum taken from the largest p-value down:
    ``p_(i) -> min_{j >= i} min(1, (m - j + 1) p_(j))``.
    """
    m = p.size
    order = np.argsort(p, kind="stable")[::-1]      # largest first: multipliers 1, 2, ..., m
    stepped = np.minimum.accumulate((np.arange(m) + 1.0) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(stepped, 1.0)
    return out


def adjust_pvalues(pvalues, method: str = "holm"):
    """Adjust p-values for multiple testing.

    Parameters
    ----------
    pvalues : float, array_like or pandas.Series
        One-dimensional p-values in [0, 1]. ``nan`` entries (e.g. items with no
        valid response) stay ``nan`` and are not counted as tests.
    method : str, default "holm"
        One of :data:`PVALUE_ADJUSTMENTS`:

        * ``"holm"`` -- step-down Bonferroni, Holm (1979); controls the family-wise
          error rate (FWER) under any dependence and is uniformly more powerful than
          Bonferroni. As R ``p.adjust(method = "holm")``.
        * ``"bonferroni"`` -- ``min(1, m p)``; FWER under any dependence. As R
          ``p.adjust(method = "bonferroni")``.
        * ``"sidak"`` -- ``1 - (1 - p)^m``, Sidak (1967); FWER for independent (or
          positively orthant dependent) tests, slightly less conservative than
          Bonferroni.
        * ``"benjamini_hochberg"`` -- step-up false discovery rate (FDR) control,
          Benjamini & Hochberg (1995), computed with
          :func:`scipy.stats.false_discovery_control`; valid for independent or
          positively dependent tests. As R ``p.adjust(method = "BH")``.
        * ``"hochberg"`` -- step-up Bonferroni, Hochberg (1988); FWER like Holm and
          never less powerful than it, but valid only for independent or positively
          dependent tests (it rests on the Simes inequality). As R
          ``p.adjust(method = "hochberg")``.
        * ``"benjamini_yekutieli"`` -- Benjamini-Hochberg scaled by ``c(m) = 1 + 1/2 +
          ... + 1/m``, Benjamini & Yekutieli (2001); FDR under any dependence, at the
          price of fewer rejections. Computed with
          :func:`scipy.stats.false_discovery_control`; as R ``p.adjust(method =
          "BY")``.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Adjusted p-values, same shape as the input; a Series keeps its index. A
        test is rejected at level ``alpha`` when its adjusted p-value is ``<= alpha``.

    Raises
    ------
    ValueError
        For an unknown ``method``, input with more than one dimension, or p-values
        outside [0, 1].

    Notes
    -----
    With ``m`` non-missing p-values sorted as ``p_(1) <= ... <= p_(m)``:

    * Holm: ``p~_(i) = max_{j <= i} min(1, (m - j + 1) p_(j))``;
    * Hochberg: ``p~_(i) = min_{j >= i} min(1, (m - j + 1) p_(j))``;
    * Benjamini-Hochberg: ``p~_(i) = min_{j >= i} min(1, m p_(j) / j)``;
    * Benjamini-Yekutieli: ``p~_(i) = min_{j >= i} min(1, c(m) m p_(j) / j)`` with
      ``c(m) = sum_{k=1}^m 1/k``;
    * Sidak: ``p~ = 1 - (1 - p)^m``, computed as ``-expm1(m log1p(-p))`` so that
      tiny p-values keep their precision.

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       Scandinavian Journal of Statistics 6, 65-70.
    .. [2] Sidak, Z. (1967). Rectangular confidence regions for the means of
       multivariate normal distributions. JASA 62, 626-633.
    .. [3] Benjamini, Y., Hochberg, Y. (1995). Controlling the false discovery rate:
       a practical and powerful approach to multiple testing. JRSS B 57, 289-300.
    .. [4] Hochberg, Y. (1988). A sharper Bonferroni procedure for multiple tests of
       significance. Biometrika 75, 800-802.
    .. [5] Benjamini, Y., Yekutieli, D. (2001). The control of the false discovery rate
       in multiple testing under dependency. Annals of Statistics 29, 1165-1188.

    Examples
    --------
    >>> from survey_analysis.estimate.multiplicity import adjust_pvalues
    >>> adjust_pvalues([0.01, 0.04, 0.03, 0.005], "holm").round(4).tolist()
    [0.03, 0.06, 0.06, 0.02]
    >>> adjust_pvalues([0.01, 0.04, 0.03, 0.005], "benjamini_hochberg").round(4).tolist()
    [0.02, 0.04, 0.04, 0.02]
    >>> adjust_pvalues([0.01, 0.04, 0.03, 0.005], "hochberg").round(4).tolist()
    [0.03, 0.04, 0.04, 0.02]
    >>> adjust_pvalues([0.01, 0.04, 0.03, 0.005], "benjamini_yekutieli").round(4).tolist()
    [0.0417, 0.0833, 0.0833, 0.0417]
    >>> round(adjust_pvalues(0.01, "bonferroni"), 4)     # a single test is not adjusted
    0.01
    """
    check_choice("method", method, PVALUE_ADJUSTMENTS)
    index = pvalues.index if isinstance(pvalues, pd.Series) else None
    name = pvalues.name if isinstance(pvalues, pd.Series) else None
    p = np.asarray(pvalues, dtype=float)
    scalar = p.ndim == 0 and index is None
    if p.ndim > 1:
        raise SurveyError("estimate.multiplicity.one_dimensional", shape=p.shape)
    p = np.atleast_1d(p)
    finite = ~np.isnan(p)
    if np.any((p[finite] < 0) | (p[finite] > 1)):
        bad = p[finite][(p[finite] < 0) | (p[finite] > 1)][0]
        raise SurveyError("estimate.multiplicity.pvalue_range", value=bad)
    out = np.full(p.shape, np.nan)
    q = p[finite]
    m = q.size
    if m:
        if method == "bonferroni":
            out[finite] = np.minimum(1.0, m * q)
        elif method == "sidak":
            with np.errstate(divide="ignore"):
                out[finite] = -np.expm1(m * np.log1p(-q))
        elif method == "holm":
            out[finite] = _holm(q)
        elif method == "hochberg":
            out[finite] = _hochberg(q)
        elif method == "benjamini_hochberg":
            out[finite] = stats.false_discovery_control(q, method="bh")
        else:
            out[finite] = stats.false_discovery_control(q, method="by")
    if scalar:
        return float(out[0])
    if index is not None:
        return pd.Series(out, index=index, name=name)
    return out


def simultaneous_confidence_level(confidence_level: float, m, method: str = "bonferroni"):
    """Per-interval confidence level at which ``m`` intervals hold jointly.

    Parameters
    ----------
    confidence_level : float
        Wanted joint (family-wise) level, strictly between 0 and 1.
    m : int or array_like of int
        Number of intervals (>= 1).
    method : {"bonferroni", "sidak"}, default "bonferroni"
        * ``"bonferroni"`` -- ``1 - (1 - level) / m``; valid under any dependence
          (Bonferroni inequality; Dunn 1961).
        * ``"sidak"`` -- ``level ** (1 / m)``; exact for independent intervals,
          Sidak (1967). Slightly narrower intervals than Bonferroni.

    Returns
    -------
    float or numpy.ndarray
        The level to pass to each interval, e.g. as ``confidence_level`` of
        :func:`~survey_analysis.binomial_ci`.

    Raises
    ------
    ValueError
        For an unknown ``method``, a level outside (0, 1) or ``m`` not a whole
        number >= 1.

    References
    ----------
    .. [1] Dunn, O. J. (1961). Multiple comparisons among means. JASA 56, 52-64.
    .. [2] Sidak, Z. (1967). Rectangular confidence regions for the means of
       multivariate normal distributions. JASA 62, 626-633.

    Examples
    --------
    >>> from survey_analysis.estimate.multiplicity import simultaneous_confidence_level
    >>> round(simultaneous_confidence_level(0.95, 152), 6)
    0.999671
    >>> round(simultaneous_confidence_level(0.95, 152, "sidak"), 6)
    0.999663
    """
    check_choice("method", method, SIMULTANEOUS_METHODS)
    level = check_confidence_level(confidence_level)
    count = np.asarray(m, dtype=float)
    if np.any(~np.isfinite(count)) or np.any(count < 1) or np.any(count != np.round(count)):
        raise SurveyError("estimate.multiplicity.m", m=m)
    if method == "bonferroni":
        out = 1.0 - (1.0 - level) / count
    else:
        out = np.exp(np.log(level) / count)
    return float(out) if out.ndim == 0 else out


def threshold_tests(
    rates: pd.DataFrame,
    threshold: float = 0.95,
    confidence_level: float = 0.95,
    pvalue_adjustment: str = "holm",
    bound_adjustment: str = "bonferroni",
    alternative: str = "greater",
) -> pd.DataFrame:
    """Is each item's rate above (or below) ``threshold``? Exact tests, adjusted for many items.

    Parameters
    ----------
    rates : pandas.DataFrame
        One row per item with whole-number columns ``n`` (valid responses) and
        ``satisfied``, e.g. the output of :func:`~survey_analysis.item_rates`. All
        other columns except the result columns of ``item_rates`` (``rate``,
        ``ci_low``, ``ci_high``, ``method``, ``confidence_level``) are kept as item
        identifiers.
    threshold : float, default 0.95
        The rate ``p0`` to beat (or to fall short of), strictly between 0 and 1.
    confidence_level : float, default 0.95
        ``1 - alpha``: the family-wise (or, for Benjamini-Hochberg and
        Benjamini-Yekutieli, false discovery) level of the rejections and the joint
        level of the simultaneous bounds.
    pvalue_adjustment : str, default "holm"
        Adjustment of the p-values, one of :data:`PVALUE_ADJUSTMENTS` ("holm",
        "bonferroni", "sidak", "benjamini_hochberg", "hochberg",
        "benjamini_yekutieli"); see :func:`adjust_pvalues`.
    bound_adjustment : {"bonferroni", "sidak"}, default "bonferroni"
        How the simultaneous bounds are widened, see
        :func:`simultaneous_confidence_level`.
    alternative : {"greater", "less"}, default "greater"
        * ``"greater"`` -- is the item shown *above* the threshold? H0: ``p <= p0``
          against H1: ``p > p0``, with lower confidence bounds.
        * ``"less"`` -- is the item shown *below* the threshold? H0: ``p >= p0``
          against H1: ``p < p0``, with upper confidence bounds.

    Returns
    -------
    pandas.DataFrame
        One row per item, in the input order, with the identifier columns and

        * ``n``, ``satisfied`` -- the counts as given;
        * ``rate`` -- ``satisfied / n`` (``nan`` for ``n = 0``);
        * ``threshold`` -- ``p0``;
        * ``alternative`` -- ``"greater"`` or ``"less"``, as asked;
        * ``p_value`` -- exact one-sided binomial p-value of H0: ``p <= threshold``
          against H1: ``p > threshold`` (``"greater"``), or of H0: ``p >= threshold``
          against H1: ``p < threshold`` (``"less"``);
        * ``p_adjusted`` -- ``p_value`` adjusted over the ``m`` tested items;
        * ``reject`` -- ``p_adjusted <= 1 - confidence_level``: the item is shown to
          be above (``"greater"``) or below (``"less"``) the threshold, with the error
          rate controlled over all items; always ``False`` for ``n = 0``;
        * ``lower_bound`` (``"greater"``) or ``upper_bound`` (``"less"``) -- one-sided
          exact (Clopper-Pearson) bound at ``confidence_level`` for this item alone;
        * ``simultaneous_lower_bound`` (``"greater"``) or ``simultaneous_upper_bound``
          (``"less"``) -- the same at the adjusted level, so that all ``m`` bounds hold
          together with probability ``confidence_level``;
        * ``m`` -- number of items tested (items with ``n = 0`` get ``nan`` results
          and are not counted);
        * ``pvalue_adjustment``, ``bound_adjustment``, ``confidence_level`` -- the
          options used.

    Raises
    ------
    ValueError
        For missing ``n`` / ``satisfied`` columns, counts that are not whole numbers
        or with ``satisfied > n``, a threshold outside (0, 1), or a bad option
        (``pvalue_adjustment``, ``bound_adjustment``, ``alternative``).

    Notes
    -----
    With ``k`` satisfied of ``n`` the p-value is ``P(X >= k | n, p0) =
    binom.sf(k - 1, n, p0)``, as R ``binom.test(k, n, p = p0, alternative =
    "greater")``. It is at most ``alpha`` exactly when the one-sided Clopper-Pearson
    lower bound at level ``1 - alpha`` is at least ``p0``; so an item with all ``n``
    respondents satisfied is shown above 95% only from ``n = 59`` on
    (``0.95 ** 59 = 0.0485``).

    With ``alternative="less"`` the p-value is ``P(X <= k | n, p0) = binom.cdf(k, n,
    p0)``, as R ``binom.test(k, n, p = p0, alternative = "less")``; it is at most
    ``alpha`` exactly when the one-sided Clopper-Pearson upper bound at level ``1 -
    alpha`` is at most ``p0``. A rate of 90% is shown below 95% from 180 of 200
    (``p = 0.0027``) but not from 45 of 50 (``p = 0.10``).

    With Bonferroni adjustment of both, ``reject`` is true exactly when
    ``simultaneous_lower_bound >= threshold`` (``simultaneous_upper_bound <=
    threshold`` for ``"less"``). Holm and Hochberg reject at least as many items as
    Bonferroni but have no matching simultaneous bounds; Benjamini-Hochberg and
    Benjamini-Yekutieli control the expected share of false claims among the items
    flagged, not the chance of any false claim.

    References
    ----------
    .. [1] Clopper, C. J., Pearson, E. S. (1934). The use of confidence or fiducial
       limits illustrated in the case of the binomial. Biometrika 26, 404-413.
    .. [2] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       Scandinavian Journal of Statistics 6, 65-70.
    .. [3] Benjamini, Y., Hochberg, Y. (1995). Controlling the false discovery rate.
       JRSS B 57, 289-300.
    .. [4] Hochberg, Y. (1988). A sharper Bonferroni procedure for multiple tests of
       significance. Biometrika 75, 800-802.
    .. [5] Benjamini, Y., Yekutieli, D. (2001). The control of the false discovery rate
       in multiple testing under dependency. Annals of Statistics 29, 1165-1188.

    Examples
    --------
    >>> import pandas as pd
    >>> from survey_analysis.estimate.multiplicity import threshold_tests
    >>> rates = pd.DataFrame({"item_id": ["A", "B", "C"], "n": [20, 59, 200],
    ...                       "satisfied": [20, 59, 199]})
    >>> out = threshold_tests(rates)
    >>> out[["item_id", "p_value", "p_adjusted", "reject"]].round(4)
      item_id  p_value  p_adjusted  reject
    0       A   0.3585      0.3585   False
    1       B   0.0485      0.0970   False
    2       C   0.0004      0.0012    True

    Which items are shown *below* 95%?

    >>> low = pd.DataFrame({"item_id": ["D", "E", "F"], "n": [50, 200, 5],
    ...                     "satisfied": [45, 180, 0]})
    >>> below = threshold_tests(low, alternative="less")
    >>> below[["item_id", "p_value", "reject", "upper_bound"]].round(4)
      item_id  p_value  reject  upper_bound
    0       D   0.1036   False       0.9598
    1       E   0.0027    True       0.9327
    2       F   0.0000    True       0.4507
    """
    check_choice("pvalue_adjustment", pvalue_adjustment, PVALUE_ADJUSTMENTS)
    check_choice("bound_adjustment", bound_adjustment, SIMULTANEOUS_METHODS)
    check_choice("alternative", alternative, THRESHOLD_ALTERNATIVES)
    level = check_confidence_level(confidence_level)
    p0 = _check_threshold(threshold)
    missing = [c for c in ("n", "satisfied") if c not in rates.columns]
    if missing:
        raise SurveyError("estimate.multiplicity.columns", missing=missing)
    k = rates["satisfied"].to_numpy(dtype=float)
    n = rates["n"].to_numpy(dtype=float)
    if np.any(k != np.round(k)) or np.any(n != np.round(n)):
        raise SurveyError("estimate.multiplicity.whole_counts")
    tested = n > 0
    m = int(tested.sum())
    greater = alternative == "greater"

    with np.errstate(invalid="ignore", divide="ignore"):
        safe_n = np.where(tested, n, 1)
        tail = stats.binom.sf(k - 1, safe_n, p0) if greater else stats.binom.cdf(k, safe_n, p0)
        p_value = np.where(tested, tail, np.nan)
        rate = np.where(tested, k / safe_n, np.nan)
    # binomial_ci validates the counts (k <= n, no negatives) and gives nan for n = 0.
    # "greater" gives [low, 1], "less" gives [0, high]: keep the finite end.
    side = 0 if greater else 1
    bound = binomial_ci(k, n, method="clopper_pearson", confidence_level=level,
                        alternative=alternative)[side]
    if m:
        joint_level = simultaneous_confidence_level(level, m, bound_adjustment)
        simultaneous = binomial_ci(k, n, method="clopper_pearson", confidence_level=joint_level,
                                   alternative=alternative)[side]
    else:
        simultaneous = np.full(n.shape, np.nan)
    p_adjusted = adjust_pvalues(p_value, pvalue_adjustment)

    id_columns = [c for c in rates.columns if c not in _RESULT_COLUMNS]
    out = rates[id_columns].reset_index(drop=True)
    out["n"] = rates["n"].to_numpy()
    out["satisfied"] = rates["satisfied"].to_numpy()
    out["rate"] = rate
    out["threshold"] = p0
    out["alternative"] = alternative
    out["p_value"] = p_value
    out["p_adjusted"] = p_adjusted
    out["reject"] = np.where(tested, p_adjusted <= 1.0 - level, False)
    bound_name = "lower_bound" if greater else "upper_bound"
    out[bound_name] = bound
    out[f"simultaneous_{bound_name}"] = simultaneous
    out["m"] = m
    out["pvalue_adjustment"] = pvalue_adjustment
    out["bound_adjustment"] = bound_adjustment
    out["confidence_level"] = level
    return out


def _check_threshold(threshold) -> float:
    return check_open_unit(threshold, "estimate.multiplicity.threshold_number", "estimate.multiplicity.threshold_range")
