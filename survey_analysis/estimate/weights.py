"""Respondent weights: Kish effective sample size, post-stratification, raking, trimming.

Tidy responses carry respondent weights in a float column (``"weight"`` by
default, see :func:`~survey_analysis.load_responses`). This module

* summarises how much unequal weights cost: Kish's effective sample size and
  design effect (:func:`kish_effective_n`, :func:`kish_design_effect`,
  :func:`weighting_efficiency`);
* makes weights agree with known population totals: post-stratification to the
  cells of one classification (:func:`poststratify`) and raking (iterative
  proportional fitting) to several margins (:func:`rake`), each returning a
  :class:`WeightingResult` whose :meth:`WeightingResult.mean` gives a
  calibration-aware standard error;
* trims extreme weights as R ``survey::trimWeights`` does (:func:`trim_weights`).

Weighted results were checked against R ``survey`` 4.1.1 (``postStratify``,
``rake``, ``calibrate``, ``trimWeights``, ``svymean``); see
``tests/R/reference_weights.R``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..design.design import resolve_weight, weight_problems
from ..design.variance import check_nesting, kish_n, with_replacement_variance
from ..scales.definition import satisfied_mask

__all__ = [
    "WeightingResult",
    "kish_effective_n",
    "kish_design_effect",
    "weighting_efficiency",
    "poststratify",
    "rake",
    "trim_weights",
]


# --------------------------------------------------------------------------- helpers

def _weight_values(weights, name: str = "weights") -> np.ndarray:
    """1-D float array of finite, non-negative weights, or ValueError."""
    values = np.asarray(weights, dtype=float)
    if values.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {values.shape}")
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        # Which rows, and whether missing, infinite or negative: a negative weight must not
        # surface later as "successes must not exceed trials".
        rows = weights.index.to_numpy() if isinstance(weights, pd.Series) else np.arange(len(values))
        raise ValueError(f"{name} must be finite and >= 0: {weight_problems(values, rows)}")
    return values


def _group_keys(by, n: int) -> list[pd.Series]:
    """``by`` (one key or a list of keys) as positional Series of length ``n``."""
    array_like = (list, tuple, np.ndarray, pd.Series, pd.Index)
    several = isinstance(by, list) and len(by) > 0 and all(isinstance(k, array_like) for k in by)
    keys = list(by) if several else [by]
    out = []
    for position, key in enumerate(keys):
        values = key.to_numpy() if isinstance(key, (pd.Series, pd.Index)) else np.asarray(key)
        if values.ndim != 1 or len(values) != n:
            raise ValueError(f"by must have one value per weight ({n}), got shape {values.shape}")
        name = getattr(key, "name", None)
        out.append(pd.Series(values, name=name if name is not None else
                             ("group" if len(keys) == 1 else f"group_{position}")))
    return out


def _weight_summary(weights, by) -> pd.DataFrame:
    """Per-group sums over the positive weights (zero weights counted apart)."""
    w = _weight_values(weights)
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


def _as_population(population, columns: list[str], what: str) -> pd.Series:
    """Known totals as a float Series indexed by cell (a MultiIndex for several columns)."""
    if isinstance(population, dict):
        population = pd.Series(population, dtype=float)
    if isinstance(population, pd.DataFrame):
        missing = [c for c in columns if c not in population.columns]
        others = [c for c in population.columns if c not in columns]
        if missing or len(others) != 1:
            raise ValueError(f"{what} DataFrame must have the columns {columns} and exactly one "
                             f"column of totals; it has {list(population.columns)}")
        population = population.set_index(columns)[others[0]]
    if not isinstance(population, pd.Series):
        raise ValueError(f"{what} must be a pandas Series, dict or DataFrame of totals, "
                         f"got {type(population).__name__}")
    if population.index.nlevels != len(columns):
        raise ValueError(f"{what} is indexed by {population.index.nlevels} level(s) but the "
                         f"cells are defined by {len(columns)} column(s) {columns}")
    if population.index.has_duplicates:
        duplicated = population.index[population.index.duplicated()].unique().tolist()
        raise ValueError(f"{what} lists some cells more than once: {duplicated[:10]}")
    totals = pd.to_numeric(population, errors="coerce").astype(float)
    bad = ~np.isfinite(totals.to_numpy()) | (totals.to_numpy() < 0)
    if bad.any():
        raise ValueError(f"{what} totals must be finite numbers >= 0; bad cells: "
                         f"{population.index[bad].tolist()[:10]}")
    return totals


def _describe(cells, limit: int = 10) -> str:
    cells = list(cells)
    shown = ", ".join(map(repr, cells[:limit]))
    return shown + (f" ... ({len(cells)} in all)" if len(cells) > limit else "")


def _cell_codes(responses: pd.DataFrame, columns: list[str], totals: pd.Series,
                weights: np.ndarray, what: str):
    """Map every response to its cell in ``totals``; check both directions.

    Returns (codes, kept totals): cells with a zero total and no responses are
    dropped, as in R ``postStratify``.
    """
    missing = [c for c in columns if c not in responses.columns]
    if missing:
        raise ValueError(f"column(s) {missing} not found; columns are {list(responses.columns)}")
    frame = responses[columns]
    if frame.isna().any().any():
        raise ValueError(f"{columns} have missing values in {int(frame.isna().any(axis=1).sum())} "
                         "row(s); every response must belong to a cell")
    keys = (pd.Index(frame[columns[0]]) if len(columns) == 1
            else pd.MultiIndex.from_frame(frame))
    codes = totals.index.get_indexer(keys)
    if (codes < 0).any():
        absent = pd.Index(keys[codes < 0]).value_counts(sort=False)
        raise ValueError(f"cells in the sample with no {what} total: "
                         f"{_describe(f'{cell} ({count} rows)' for cell, count in absent.items())}")
    n = np.bincount(codes, minlength=len(totals))
    weight_sum = np.bincount(codes, weights=weights, minlength=len(totals))
    values = totals.to_numpy()
    no_sample = (n == 0) & (values > 0)
    if no_sample.any():
        raise ValueError(f"{what} cells with no responses in the sample: "
                         f"{_describe(totals.index[no_sample])}")
    zero_total = (n > 0) & (values == 0)
    if zero_total.any():
        raise ValueError(f"cells in the sample whose {what} total is 0: "
                         f"{_describe(totals.index[zero_total])}")
    zero_weight = (n > 0) & (weight_sum <= 0)
    if zero_weight.any():
        raise ValueError(f"cells whose responses all have weight 0 cannot be scaled to their "
                         f"{what} total: {_describe(totals.index[zero_weight])}")
    keep = n > 0
    remap = np.cumsum(keep) - 1
    return remap[codes], totals[keep]


def _start_weights(responses: pd.DataFrame, weight):
    """Initial weights and the column the new weights are written to."""
    column = resolve_weight(responses, weight)
    if column is None:
        return np.ones(len(responses)), "weight"
    return _weight_values(responses[column], f"weight column {column!r}"), column


def _cell_labels(totals: pd.Series, columns: list[str]) -> pd.DataFrame:
    if len(columns) == 1:
        return pd.DataFrame({columns[0]: totals.index.to_numpy()})
    return totals.index.to_frame(index=False, name=columns)


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
    (:func:`~survey_analysis.overall_rate`, :meth:`WeightingResult.mean`) do not.
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


# --------------------------------------------------------------------------- trimming

def trim_weights(weights, lower=None, upper=None, strict: bool = False, max_iter: int = 1000):
    """Trim weights to ``[lower, upper]`` and spread the trimmed amount over the others.

    Follows R ``survey::trimWeights`` (survey 4.1.1): weights outside the bounds
    are set to the bound, and the total removed (or added) is shared *equally*
    among the weights that were inside the bounds, so the weight total is kept.

    Parameters
    ----------
    weights : array_like or pandas.Series
        Non-negative finite weights.
    lower, upper : float, optional
        Absolute bounds (not relative to the mean); ``None`` means no bound.
    strict : bool, default False
        ``False``: one pass, as ``trimWeights(strict = FALSE)``; the redistribution
        may push some weights past a bound again. ``True``: repeat until every
        weight is within the bounds (to a relative 1e-12), as ``strict = TRUE``.
    max_iter : int, default 1000
        Passes allowed with ``strict=True``; a ``RuntimeWarning`` says if the bounds
        were not reached.

    Returns
    -------
    numpy.ndarray or pandas.Series
        Trimmed weights, same shape; a Series keeps its index and name.

    Raises
    ------
    ValueError
        For bad weights, ``lower > upper``, all weights outside the bounds, or (with
        ``strict``) bounds the total cannot meet (``upper * n < sum w`` or
        ``lower * n > sum w``).

    Notes
    -----
    With ``O`` the weights outside the bounds and ``I`` the others, one pass sets
    ``w_i = clip(w_i)`` for ``i`` in ``O`` and ``w_i += sum_O (w_j - clip(w_j)) / |I|``
    for ``i`` in ``I``. In R, ``strict = TRUE`` recurses until no weight is
    outside, which can recurse without end when the excess keeps landing on
    weights at the bound (e.g. ``upper = 6`` for the weights in
    ``tests/R/reference_weights.R``: "C stack usage too close to the limit");
    here the loop stops once the largest violation is below 1e-12 of the bound,
    then sets those weights to the bound.

    References
    ----------
    .. [1] Lumley, T. survey: Analysis of Complex Survey Samples. R package version
       4.1-1, function ``trimWeights``.
    .. [2] Potter, F. J. (1990). A study of procedures to identify and trim extreme
       sampling weights. Proceedings of the Survey Research Methods Section,
       American Statistical Association, 225-230.

    Examples
    --------
    >>> trim_weights([1, 2, 3, 10, 20, 4, 0.2, 5], lower=0.5, upper=8).round(2).tolist()
    [3.74, 4.74, 5.74, 8.0, 8.0, 6.74, 0.5, 7.74]
    """
    w = _weight_values(weights).copy()
    low = -np.inf if lower is None else float(lower)
    high = np.inf if upper is None else float(upper)
    if low > high:
        raise ValueError(f"lower ({lower}) must not exceed upper ({upper})")
    if strict:
        total, n = w.sum(), len(w)
        if high * n < total * (1 - 1e-12) or low * n > total * (1 + 1e-12):
            raise ValueError(f"no weights within [{lower}, {upper}] keep the total {total:g} of "
                             f"{n} weights (the mean weight {total / n:g} is outside the bounds)")
    tolerance = 1e-12 * np.maximum(np.abs(np.array([low, high])), 1.0)
    for _ in range(max_iter if strict else 1):
        outside = (w < low) | (w > high)
        if not outside.any():
            break
        if outside.all():
            raise ValueError(f"every weight is outside [{lower}, {upper}]; nothing to spread "
                             "the trimmed amount over")
        clipped = np.clip(w, low, high)
        excess = float(np.sum(w - clipped))
        w = np.where(outside, clipped, w + excess / np.count_nonzero(~outside))
        if strict and not ((w < low - tolerance[0]) | (w > high + tolerance[1])).any():
            w = np.clip(w, low, high)
            break
    else:
        if strict:
            warnings.warn(f"trim_weights: weights still outside [{lower}, {upper}] after "
                          f"{max_iter} passes", RuntimeWarning, stacklevel=2)
    if isinstance(weights, pd.Series):
        return pd.Series(w, index=weights.index, name=weights.name)
    return w


# --------------------------------------------------------------------------- calibration

@dataclass(frozen=True)
class WeightingResult:
    """New weights from :func:`poststratify` or :func:`rake`, and how they were made.

    Attributes
    ----------
    responses : pandas.DataFrame
        A copy of the input with the weight column replaced (input not mutated).
    adjustment : pandas.DataFrame
        One row per cell (per margin and cell for raking); see the function.
    method : str
        ``"poststratify"`` or ``"rake"``.
    weight : str
        Name of the column holding the new weights.
    margins : tuple of tuple of str
        The column(s) of each margin the weights were calibrated to.
    converged : bool
        Always True for post-stratification.
    iterations : int
        Raking sweeps over all margins (1 for post-stratification).
    max_discrepancy : float
        Largest ``|weighted total - target|`` over all cells, relative to the total.
    n_trimmed : int
        Weights clipped at least once by ``rake(trim=...)``.
    """

    responses: pd.DataFrame
    adjustment: pd.DataFrame
    method: str
    weight: str
    margins: tuple
    converged: bool = True
    iterations: int = 1
    max_discrepancy: float = 0.0
    n_trimmed: int = 0
    initial_weights: np.ndarray = field(default=None, repr=False)
    _codes: tuple = field(default=(), repr=False)

    def efficiency(self) -> pd.DataFrame:
        """:func:`weighting_efficiency` of the weights before and after (column ``weights``)."""
        before = weighting_efficiency(self.initial_weights)
        after = weighting_efficiency(self.responses[self.weight])
        out = pd.concat([before, after], ignore_index=True)
        out.insert(0, "weights", ["before", "after"])
        return out

    def mean(self, column: str | None = None, satisfied=None, cluster: str | None = None,
             strata: str | None = None) -> pd.DataFrame:
        """Weighted mean (e.g. satisfaction rate) with a calibration-aware standard error.

        Parameters
        ----------
        column : str, optional
            Numeric column to average; by default the satisfaction indicator.
        satisfied : None, str, collection of str or dict
            Definition of satisfied when ``column`` is None (default: each scale's
            convention; see :func:`~survey_analysis.scales.resolve_definition`).
        cluster : str, optional
            Cluster (primary sampling unit) column, e.g. ``"item_id"``; by default
            every response is its own unit.
        strata : str, optional
            Stratum column; clusters nested in strata.

        Returns
        -------
        pandas.DataFrame
            One row: ``estimate``, ``se`` (calibration-aware), ``se_uncalibrated``
            (the same weights treated as fixed design weights), ``n``,
            ``n_clusters``, ``df`` (clusters - strata).

        Notes
        -----
        Taylor linearization of ``ybar = sum w y / sum w`` with the calibration
        taken into account (Deville & Sarndal 1992; Lumley 2010, ch. 7): the
        linearized values ``w_i (y_i - ybar) / W`` are replaced by
        ``w_i e_i / W``, where ``e`` are the residuals of the regression of
        ``y - ybar`` on the indicators of every margin's cells, weighted by the
        *initial* weights. For post-stratification these are the deviations from
        the cell means, exactly R ``svymean`` on ``postStratify``; for raking they
        are the residuals R ``svymean`` uses on ``calibrate(..., calfun =
        "raking")``. R's ``rake()`` itself approximates them by ten back-fitting
        sweeps of *unweighted* cell means, which differs slightly when the initial
        weights are unequal. Cluster totals ``z_c`` of these values give
        ``v = sum_h n_h/(n_h - 1) sum_c (z_c - mean_h z)^2`` (with replacement,
        no finite population correction; a stratum with one cluster adds 0).
        Calibration removes the variation explained by the margins, so ``se`` is
        usually below ``se_uncalibrated``.

        References
        ----------
        .. [1] Deville, J.-C., Sarndal, C.-E. (1992). Calibration estimators in
           survey sampling. JASA 87, 376-382.
        .. [2] Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R.
           Wiley, chapter 7.
        """
        frame = self.responses
        if column is None:
            y = satisfied_mask(frame, satisfied).to_numpy(dtype=float)
        else:
            if column not in frame.columns:
                raise ValueError(f"column {column!r} not found; columns are {list(frame.columns)}")
            y = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
            if np.isnan(y).any():
                raise ValueError(f"column {column!r} has missing or non-numeric values")
        w = frame[self.weight].to_numpy(dtype=float)
        total = w.sum()
        estimate = float(np.dot(w, y) / total) if total > 0 else np.nan
        u = y - estimate
        residual = u - _margin_fit(self._codes, self.initial_weights, u)
        psu, stratum = _design_codes(frame, cluster, strata)
        variance_cal = _with_replacement_variance(w * residual / total, psu, stratum)
        variance_raw = _with_replacement_variance(w * u / total, psu, stratum)
        n_clusters = len(np.unique(psu))
        return pd.DataFrame({
            "estimate": [estimate], "se": [np.sqrt(variance_cal)],
            "se_uncalibrated": [np.sqrt(variance_raw)], "n": [len(frame)],
            "n_clusters": [n_clusters], "df": [n_clusters - len(np.unique(stratum))],
        })


def _margin_fit(codes: tuple, weights: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Fitted values of the ``weights``-weighted regression of ``values`` on the cell indicators.

    Works from the normal equations, built with ``np.bincount`` (cross-tabulations
    of the margins), so memory stays O(cells^2) however many responses there are.
    The indicators of different margins are collinear (each margin sums to the
    intercept), so the system is solved with a pseudo-inverse; the fitted values
    are unique.
    """
    sizes = [int(c.max()) + 1 if len(c) else 0 for c in codes]
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    k = int(offsets[-1])
    gram = np.zeros((k, k))
    rhs = np.zeros(k)
    for a, ca in enumerate(codes):  # a handful of margins: loop over margin pairs
        rhs[offsets[a]:offsets[a + 1]] = np.bincount(ca, weights=weights * values,
                                                     minlength=sizes[a])
        for b, cb in enumerate(codes):
            cross = np.bincount(ca * sizes[b] + cb, weights=weights,
                                minlength=sizes[a] * sizes[b]).reshape(sizes[a], sizes[b])
            gram[offsets[a]:offsets[a + 1], offsets[b]:offsets[b + 1]] = cross
    beta = np.linalg.pinv(gram, rcond=1e-10, hermitian=True) @ rhs
    return sum(beta[offsets[a]:offsets[a + 1]][c] for a, c in enumerate(codes))


def _design_codes(frame: pd.DataFrame, cluster, strata):
    for name in (cluster, strata):
        if name is not None and name not in frame.columns:
            raise ValueError(f"column {name!r} not found; columns are {list(frame.columns)}")
    psu = (pd.factorize(frame[cluster])[0] if cluster is not None else np.arange(len(frame)))
    stratum = (pd.factorize(frame[strata])[0] if strata is not None
               else np.zeros(len(frame), dtype=int))
    if strata is not None and cluster is not None:
        check_nesting(frame, [cluster], strata)
    return psu, stratum


def _with_replacement_variance(z: np.ndarray, psu: np.ndarray, stratum: np.ndarray) -> float:
    """The design variance of a total of per-row values ``z``: cluster totals, then
    :func:`~survey_analysis.design.variance.with_replacement_variance`."""
    totals = pd.DataFrame({"psu": psu, "stratum": stratum, "z": z}).groupby(
        ["stratum", "psu"], sort=False)["z"].sum().reset_index()
    return with_replacement_variance(totals["z"].to_numpy(), totals["stratum"].to_numpy())[0]


def poststratify(responses: pd.DataFrame, by, population, weight=None) -> WeightingResult:
    """Post-stratify: scale weights so each cell's weight total equals its population total.

    Parameters
    ----------
    responses : pandas.DataFrame
        Tidy responses (one row per respondent x item, or per respondent).
    by : str or list of str
        Column(s) defining the cells, e.g. ``"community"`` or ``["sex", "age"]``.
    population : pandas.Series, dict or pandas.DataFrame
        Known total per cell (e.g. households per community): a Series indexed by
        cell (a MultiIndex for several ``by`` columns), a dict, or a DataFrame with
        the ``by`` columns and one column of totals (like R's ``Freq``).
    weight : str, None or False
        Column of initial weights; ``None`` uses ``"weight"`` when present,
        ``False`` (or no weight column) starts from 1, so the new weights are set
        to ``N_h / n_h``.

    Returns
    -------
    WeightingResult
        ``.responses``: a copy with the new weights in the weight column
        (``"weight"`` when there was none); ``.adjustment``: one row per cell with
        the ``by`` column(s), ``n`` (responses), ``weight_before``, ``population``
        and ``factor`` (``population / weight_before``).

    Raises
    ------
    ValueError
        Naming the cells: cells in the sample with no population total (or a zero
        total), population cells with no responses (cells with a zero total and no
        responses are dropped, as in R), cells whose weights are all zero; also
        missing ``by`` values and bad totals.

    Notes
    -----
    ``w_i' = w_i N_h / sum_{j in h} w_j`` for response ``i`` in cell ``h``, as R
    ``survey::postStratify(design, ~by, population)`` (Holt & Smith 1979). For
    standard errors that account for it, use :meth:`WeightingResult.mean`.

    References
    ----------
    .. [1] Holt, D., Smith, T. M. F. (1979). Post stratification. Journal of the
       Royal Statistical Society A 142(1), 33-46.
    .. [2] Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley,
       chapter 7.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"community": ["东", "东", "西"], "weight": [1.0, 3.0, 2.0]})
    >>> result = poststratify(r, "community", {"东": 100, "西": 50})
    >>> result.responses["weight"].tolist()
    [25.0, 75.0, 50.0]
    >>> result.adjustment[["community", "n", "population", "factor"]]
      community  n  population  factor
    0         东  2       100.0    25.0
    1         西  1        50.0    25.0
    """
    columns = [by] if isinstance(by, str) else list(by)
    if not columns:
        raise ValueError("by must name at least one column")
    w0, column = _start_weights(responses, weight)
    totals = _as_population(population, columns, "population")
    codes, totals = _cell_codes(responses, columns, totals, w0, "population")
    n = np.bincount(codes, minlength=len(totals))
    before = np.bincount(codes, weights=w0, minlength=len(totals))
    factor = totals.to_numpy() / before
    new = responses.copy()
    new[column] = w0 * factor[codes]
    adjustment = _cell_labels(totals, columns)
    adjustment["n"] = n
    adjustment["weight_before"] = before
    adjustment["population"] = totals.to_numpy()
    adjustment["factor"] = factor
    after = np.bincount(codes, weights=new[column].to_numpy(), minlength=len(totals))
    discrepancy = float(np.max(np.abs(after - totals.to_numpy())) / totals.sum())
    return WeightingResult(new, adjustment, "poststratify", column, (tuple(columns),),
                           max_discrepancy=discrepancy, initial_weights=w0, _codes=(codes,))


def _check_trim(trim):
    if trim is None:
        return None
    try:
        low, high = trim
    except (TypeError, ValueError):
        raise ValueError(f"trim must be a pair (low, high) of bounds relative to the mean "
                         f"weight, got {trim!r}") from None
    low = 0.0 if low is None else float(low)
    high = np.inf if high is None else float(high)
    if not 0.0 <= low <= 1.0 <= high:
        raise ValueError(f"trim bounds are relative to the mean weight and need "
                         f"0 <= low <= 1 <= high; got {trim!r}")
    return low, high


def rake(responses: pd.DataFrame, margins: dict, weight=None, max_iter: int = 100,
         tol: float = 1e-10, trim=None) -> WeightingResult:
    """Rake weights to several known margins (iterative proportional fitting).

    Parameters
    ----------
    responses : pandas.DataFrame
        Tidy responses.
    margins : dict
        ``{column: totals}``: for each margin a column name (or a tuple of names
        for a crossed margin) and its known totals as a Series, dict or DataFrame
        (as ``population`` in :func:`poststratify`). All margins must have the same
        grand total.
    weight : str, None or False
        Column of initial weights; ``None`` uses ``"weight"`` when present,
        ``False`` starts from 1.
    max_iter : int, default 100
        Maximum number of sweeps (each sweep post-stratifies to every margin once).
    tol : float, default 1e-10
        Convergence when every cell's weighted total is within ``tol`` of its
        target, relative to the grand total (and, with ``trim``, no weight is more
        than ``tol`` (relative) outside its bounds).
    trim : (low, high), optional
        Bounds on the weights *relative to the mean weight* (grand total / number
        of positive weights), e.g. ``(0.2, 5)``; ``None`` for either side means no
        bound. After each sweep, weights outside are set to the bound, and raking
        goes on until the margins and the bounds hold together.

    Returns
    -------
    WeightingResult
        ``.responses`` with the new weights; ``.adjustment``: one row per margin
        cell with ``margin``, ``cell``, ``n``, ``weight_before``, ``target``,
        ``weight_after``; ``.converged``, ``.iterations``, ``.max_discrepancy`` and
        ``.n_trimmed`` (weights clipped at least once).

    Raises
    ------
    ValueError
        For cells in the sample without a target, targets with no responses,
        margins with different grand totals, bad ``trim`` or ``max_iter``.

    Warns
    -----
    RuntimeWarning
        When not converged after ``max_iter`` sweeps, naming the margin with the
        largest discrepancy and its size (or the bound violation). The weights are
        still returned, with ``converged=False``.

    Notes
    -----
    Each sweep multiplies, margin by margin, every weight by
    ``T_h / sum_{i in h} w_i`` for its cell ``h`` (Deming & Stephan 1940). The
    result is the raking-ratio calibration estimator of Deville & Sarndal (1992)
    (R ``calibrate(..., calfun = "raking")`` gives the same weights). It is
    written here (a vectorized ``np.bincount`` per margin per sweep) rather than
    taken from a library: ``balance`` and ``samplics`` require statsmodels (and
    scikit-learn or polars), ``weightipy`` requires watchdog and requests, and
    ``ipfn`` has had no release since 2021; IPF is a few vectorized lines.
    R ``rake()`` stops when the crossed table changes by less than ``epsilon``
    (default 1, absolute; at most 10 sweeps); this function stops on the
    discrepancy to the targets, relative to the total.

    Trimming, when asked, alternates clipping with raking (as in Battaglia et al.
    2009), so the final weights meet both the margins and the bounds. Trimmed
    weights are no longer a pure raking solution; :meth:`WeightingResult.mean`
    still uses the raking linearization, an approximation in that case.

    References
    ----------
    .. [1] Deming, W. E., Stephan, F. F. (1940). On a least squares adjustment of
       a sampled frequency table when the expected marginal totals are known.
       Annals of Mathematical Statistics 11(4), 427-444.
    .. [2] Deville, J.-C., Sarndal, C.-E. (1992). Calibration estimators in survey
       sampling. JASA 87, 376-382.
    .. [3] Battaglia, M. P., Hoaglin, D. C., Frankel, M. R. (2009). Practical
       considerations in raking survey data. Survey Practice 2(5).
    .. [4] Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley,
       chapter 7.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"sex": ["F", "F", "M", "M", "F"],
    ...                   "age": ["young", "old", "young", "old", "old"]})
    >>> result = rake(r, {"sex": {"F": 60, "M": 40}, "age": {"young": 50, "old": 50}})
    >>> result.converged, round(result.responses.groupby("sex")["weight"].sum(), 6).to_dict()
    (True, {'F': 60.0, 'M': 40.0})
    """
    if not isinstance(margins, dict) or not margins:
        raise ValueError("margins must be a non-empty dict {column: totals}")
    if int(max_iter) < 1:
        raise ValueError(f"max_iter must be at least 1, got {max_iter!r}")
    if not tol > 0:
        raise ValueError(f"tol must be positive, got {tol!r}")
    bounds = _check_trim(trim)
    w0, column = _start_weights(responses, weight)

    names, codes, targets, columns_of = [], [], [], []
    for key, totals in margins.items():
        columns = [key] if isinstance(key, str) else list(key)
        name = " x ".join(map(str, columns))
        series = _as_population(totals, columns, f"margin {name!r}")
        c, series = _cell_codes(responses, columns, series, w0, f"margin {name!r}")
        names.append(name)
        codes.append(c)
        targets.append(series)
        columns_of.append(tuple(columns))
    grand = np.array([t.sum() for t in targets])
    if not np.allclose(grand, grand[0], rtol=1e-9, atol=0.0):
        raise ValueError("margins must have the same grand total; got "
                         + ", ".join(f"{n!r}: {g:g}" for n, g in zip(names, grand)))
    total = float(grand[0])
    values = [t.to_numpy() for t in targets]

    positive = w0 > 0
    if bounds is not None:
        mean_weight = total / np.count_nonzero(positive)
        low, high = bounds[0] * mean_weight, bounds[1] * mean_weight
    w = w0.copy()
    trimmed = np.zeros(len(w), dtype=bool)
    converged = False
    # The loop is over sweeps and margins (each step vectorized over responses):
    # IPF is iterative by nature.
    for iteration in range(1, int(max_iter) + 1):
        for c, target in zip(codes, values):
            w *= (target / np.bincount(c, weights=w, minlength=len(target)))[c]
        discrepancy = np.array([
            np.max(np.abs(np.bincount(c, weights=w, minlength=len(t)) - t)) / total
            for c, t in zip(codes, values)])
        violation = 0.0
        if bounds is not None:
            over = np.where(positive, np.maximum(w - high, low - w), -np.inf)
            violation = float(np.max(over) / mean_weight) if len(w) else 0.0
        if discrepancy.max() <= tol and violation <= tol:
            converged = True
            break
        if bounds is not None and violation > 0:
            outside = positive & ((w < low) | (w > high))
            trimmed |= outside
            w[outside] = np.clip(w[outside], low, high)
    if not converged:
        worst = int(np.argmax(discrepancy))
        if discrepancy[worst] > tol:
            problem = (f"margin {names[worst]!r} is off its targets by up to "
                       f"{discrepancy[worst]:.3g} of the total ({discrepancy[worst] * total:.6g})")
        else:
            problem = (f"weights are outside the trim bounds by up to {violation:.3g} of the "
                       "mean weight")
        warnings.warn(f"raking did not converge in {max_iter} sweeps: {problem}; the "
                      "margins may be incompatible (e.g. empty crossed cells) or the bounds "
                      "too tight", RuntimeWarning, stacklevel=2)

    new = responses.copy()
    new[column] = w
    pieces = []
    for name, c, series in zip(names, codes, targets):
        k = len(series)
        cells = series.index.tolist()
        pieces.append(pd.DataFrame({
            "margin": name, "cell": pd.Series(cells, dtype=object),
            "n": np.bincount(c, minlength=k),
            "weight_before": np.bincount(c, weights=w0, minlength=k),
            "target": series.to_numpy(),
            "weight_after": np.bincount(c, weights=w, minlength=k)}))
    adjustment = pd.concat(pieces, ignore_index=True)
    return WeightingResult(new, adjustment, "rake", column, tuple(columns_of),
                           converged=converged, iterations=iteration,
                           max_discrepancy=float(discrepancy.max()),
                           n_trimmed=int(trimmed.sum()), initial_weights=w0,
                           _codes=tuple(codes))
