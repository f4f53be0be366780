"""Respondent weights: how much unequal weights cost (Kish).

Tidy responses carry respondent weights in a float column (``"weight"`` by default,
see :func:`~survey_analysis.load_responses`). This module summarises what unequal
weights cost: Kish's effective sample size and design effect
(:func:`kish_effective_n`, :func:`kish_design_effect`, :func:`weighting_efficiency`).
Calibrating weights to known totals is a change of the survey's design:
:meth:`Survey.poststratify <survey_analysis.Survey.poststratify>`,
:meth:`Survey.rake <survey_analysis.Survey.rake>` and :meth:`Survey.trim
<survey_analysis.Survey.trim>` (:mod:`survey_analysis.design.calibration`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..design.calibration import weight_values
from ..design.variance import kish_n
from ..words import SurveyError

__all__ = ["kish_design_effect", "kish_effective_n", "weighting_efficiency"]


# --------------------------------------------------------------------------- helpers

def _group_keys(by, n: int) -> list[pd.Series]:
    """``by`` (one key or a list of keys) as positional Series of length ``n``."""
    array_like = (list, tuple, np.ndarray, pd.Series, pd.Index)
    several = isinstance(by, list) and len(by) > 0 and all(isinstance(k, array_like) for k in by)
    keys = list(by) if several else [by]
    out = []
    for position, key in enumerate(keys):
        values = key.to_numpy() if isinstance(key, (pd.Series, pd.Index)) else np.asarray(key)
        if values.ndim != 1 or len(values) != n:
            raise SurveyError("estimate.weights.by_length", n=n, shape=values.shape)
        name = getattr(key, "name", None)
        out.append(pd.Series(values, name=name if name is not None else
                             ("group" if len(keys) == 1 else f"group_{position}")))
    return out


def _weight_summary(weights, by) -> pd.DataFrame:
    """Per-group sums over the positive weights (zero weights counted apart)."""
    w = weight_values(weights)
    positive = np.where(w > 0, w, np.nan)
    frame = pd.DataFrame({"w": positive, "w2": positive * positive, "zero": w == 0})
    if by is None:
        frame["_all"] = 0
        grouped = frame.groupby("_all")
    else:
        grouped = frame.groupby(_group_keys(by, len(w)), sort=True, dropna=False)
    stats = grouped.agg(n=("w", "count"), n_zero=("zero", "sum"), weight_sum=("w", "sum"),
                        weight_min=("w", "min"), weight_mean=("w", "mean"),
                        weight_max=("w", "max"), sum_squares=("w2", "sum"))
    if by is None and stats.empty:
        stats.loc[0] = [0, 0, 0.0, np.nan, np.nan, np.nan, 0.0]
    return stats


# --------------------------------------------------------------------------- Kish

def kish_effective_n(weights, by=None):
    """Kish's effective sample size ``(sum w)^2 / sum w^2``, overall or per group.

    Parameters
    ----------
    weights : array_like or pandas.Series
        Non-negative finite weights.
    by : array_like, pandas.Series or list of them, optional
        Group labels, one per weight (e.g. ``df["item_id"]``), or a list of such
        arrays for several keys; positions, not index labels, are matched.

    Returns
    -------
    float or pandas.Series
        A float without ``by``; with ``by`` a Series named ``n_eff`` indexed by
        group (sorted). ``nan`` when all weights are zero or there are none.

    Raises
    ------
    ValueError
        For negative, infinite or missing weights, or ``by`` of the wrong length.

    Notes
    -----
    .. math:: n_{\\mathrm{eff}} = \\frac{(\\sum_i w_i)^2}{\\sum_i w_i^2}
              = \\frac{n}{1 + \\mathrm{CV}^2(w)}

    the size of a simple random sample with the same variance of the mean as the
    weighted one, *if* the outcome's variance does not depend on the weights
    (Kish 1965; Kish 1992). It ignores clustering and the correlation
    of weights with the outcome: design-based standard errors
    (:func:`~survey_analysis.overall_rate`, :meth:`Survey.overall <survey_analysis.Survey.overall>`) do not.
    Zero weights do not change ``n_eff``.

    References
    ----------
    .. [1] Kish, L. (1965). Survey Sampling. New York: Wiley.
    .. [2] Kish, L. (1992). Weighting for unequal Pi. Journal of Official
       Statistics 8(2), 183-200.

    Examples
    --------
    >>> round(kish_effective_n([1, 2, 1, 2]), 4)          # 36 / 10
    3.6
    >>> import pandas as pd
    >>> d = pd.DataFrame({"item_id": ["A", "A", "B", "B", "B"],
    ...                   "weight": [1.0, 3.0, 2.0, 2.0, 2.0]})
    >>> kish_effective_n(d["weight"], by=d["item_id"]).round(3).to_dict()
    {'A': 1.6, 'B': 3.0}
    """
    stats = _weight_summary(weights, by)
    n_eff = kish_n(stats["weight_sum"].to_numpy(), stats["sum_squares"].to_numpy())
    if by is None:
        return float(n_eff[0])
    return pd.Series(n_eff, index=stats.index, name="n_eff")


def kish_design_effect(weights, by=None):
    """Kish's design effect of unequal weighting ``n sum w^2 / (sum w)^2 = 1 + CV^2``.

    Parameters
    ----------
    weights : array_like or pandas.Series
        Non-negative finite weights.
    by : array_like, pandas.Series or list of them, optional
        Group labels, one per weight, or a list of such arrays (see
        :func:`kish_effective_n`).

    Returns
    -------
    float or pandas.Series
        A float without ``by``; with ``by`` a Series named ``deff`` indexed by group.
        ``nan`` when there is no positive weight.

    Notes
    -----
    .. math:: \\mathrm{deff}_K = \\frac{n \\sum_i w_i^2}{(\\sum_i w_i)^2}
              = 1 + \\mathrm{CV}^2(w) = \\frac{n}{n_{\\mathrm{eff}}}

    with ``n`` the number of *positive* weights and the population coefficient
    of variation (standard deviation with divisor ``n``, not ``n - 1``; some
    tools, e.g. Pew's ``pewmethods::calculate_deff``, use ``n - 1``). Units with
    weight 0 take no part in any estimate and are left out of ``n`` (as
    ``pewmethods::calculate_deff`` does by default). It is *not* the design
    effect that R ``svymean(..., deff = TRUE)`` reports, which also reflects how
    the outcome relates to the weights.

    References
    ----------
    .. [1] Kish, L. (1965). Survey Sampling. New York: Wiley.
    .. [2] Kish, L. (1992). Weighting for unequal Pi. Journal of Official
       Statistics 8(2), 183-200.

    Examples
    --------
    >>> round(kish_design_effect([1, 2, 1, 2]), 6)       # 4 * 10 / 36 = 10/9
    1.111111
    >>> kish_design_effect([3.0, 3.0, 3.0])
    1.0
    """
    stats = _weight_summary(weights, by)
    n_eff = kish_n(stats["weight_sum"].to_numpy(), stats["sum_squares"].to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        deff = stats["n"].to_numpy(dtype=float) / n_eff
    if by is None:
        return float(deff[0])
    return pd.Series(deff, index=stats.index, name="deff")


def weighting_efficiency(weights, by=None) -> pd.DataFrame:
    """How much unequal weights cost: a tidy summary, overall or per group.

    Parameters
    ----------
    weights : array_like or pandas.Series
        Non-negative finite weights.
    by : array_like, pandas.Series or list of them, optional
        Group labels, one per weight (e.g. ``responses["item_id"]``), or a list
        of such arrays.

    Returns
    -------
    pandas.DataFrame
        One row (or one row per group, group column(s) first) with ``n`` (positive
        weights), ``n_zero`` (zero weights, left out of everything else),
        ``weight_sum``, ``weight_min``, ``weight_mean``, ``weight_max``, ``cv``
        (population coefficient of variation), ``deff`` (Kish design effect),
        ``n_eff`` (Kish effective sample size) and ``efficiency`` (``n_eff / n``,
        between ``1/n`` and 1).

    Notes
    -----
    ``cv = sd(w) / mean(w)`` with divisor ``n``; ``deff = 1 + cv^2``;
    ``n_eff = (sum w)^2 / sum w^2 = n / deff``; ``efficiency = 1 / deff``. See
    :func:`kish_design_effect` for what these do and do not measure.

    References
    ----------
    .. [1] Kish, L. (1992). Weighting for unequal Pi. Journal of Official
       Statistics 8(2), 183-200.

    Examples
    --------
    >>> summary = weighting_efficiency([1.0, 2.0, 1.0, 2.0])
    >>> summary[["n", "weight_mean", "cv", "deff", "n_eff", "efficiency"]].round(4)
       n  weight_mean      cv    deff  n_eff  efficiency
    0  4          1.5  0.3333  1.1111    3.6         0.9
    """
    stats = _weight_summary(weights, by)
    n = stats["n"].to_numpy(dtype=float)
    n_eff = kish_n(stats["weight_sum"].to_numpy(), stats["sum_squares"].to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        deff = n / n_eff
    out = stats.drop(columns="sum_squares")
    out["n"] = out["n"].astype("int64")
    out["n_zero"] = out["n_zero"].astype("int64")
    # cv from deff keeps one formula; max(0, .) removes a -1e-17 rounding residue.
    out["cv"] = np.sqrt(np.maximum(deff - 1.0, 0.0))
    out["deff"] = deff
    out["n_eff"] = n_eff
    with np.errstate(divide="ignore", invalid="ignore"):
        out["efficiency"] = n_eff / n
    if by is None:
        return out.reset_index(drop=True)
    return out.reset_index()
