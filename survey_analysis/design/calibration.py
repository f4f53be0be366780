"""Calibrating weights to known totals, and what calibration does to the variance.

The kernels of :meth:`Survey.poststratify <survey_analysis.Survey.poststratify>`,
:meth:`Survey.rake <survey_analysis.Survey.rake>` and :meth:`Survey.trim
<survey_analysis.Survey.trim>`. They work on *units* -- the answers of tidy responses,
or the cells of a table of counts, whose answers share one weight -- so a survey read
from files gets the same weights as the same survey loaded row by row.

* post-stratification: ``w_i' = w_i N_h / sum_{j in h} w_j`` in each cell ``h``
  (Holt & Smith 1979; R ``survey::postStratify``);
* raking: iterative proportional fitting to several margins (Deming & Stephan 1940;
  R ``calibrate(..., calfun = "raking")``), optionally with trimming between sweeps
  (Battaglia et al. 2009);
* trimming: R ``survey::trimWeights``;
* :func:`margin_residuals`: the residuals of the regression of linearized values on
  the margins' cell indicators, weighted by the weights before calibration, which the
  design variance uses after calibration (Deville & Sarndal 1992; Lumley 2010, ch. 7).

IPF is written here (a vectorized ``np.bincount`` per margin per sweep) rather than
taken from a library: ``balance`` and ``samplics`` require statsmodels (and
scikit-learn or polars), ``weightipy`` requires watchdog and requests, and ``ipfn`` has
had no release since 2021; it is a few vectorized lines.

References
----------
.. [1] Holt, D., Smith, T. M. F. (1979). Post stratification. JRSS A 142(1), 33-46.
.. [2] Deming, W. E., Stephan, F. F. (1940). On a least squares adjustment of a sampled
   frequency table when the expected marginal totals are known. Ann. Math. Stat. 11(4),
   427-444.
.. [3] Deville, J.-C., Sarndal, C.-E. (1992). Calibration estimators in survey sampling.
   JASA 87, 376-382.
.. [4] Battaglia, M. P., Hoaglin, D. C., Frankel, M. R. (2009). Practical considerations
   in raking survey data. Survey Practice 2(5).
.. [5] Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley, chapter 7.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..words import Message, Parts, SurveyError, frame_html, say

__all__ = ["Calibration", "as_population", "cell_codes", "check_trim", "equal_weights_within", "margin_residuals",
           "poststratified_weights", "rake_adjustment", "raked_weights", "trim_weights",
           "weight_problems",
           "weight_values"]


# --------------------------------------------------------------------------- weights

def weight_problems(weights: np.ndarray, rows, lines=None) -> Parts:
    """The weights that are missing, infinite or negative, by kind, as catalogue messages
    (``"1 negative (lines 4; first -2)"`` in English; empty when none is)."""
    weights = np.asarray(weights, dtype=float)
    where, code = ((np.asarray(lines), "design.weights.problem_lines") if lines is not None
                   else (np.asarray(rows), "design.weights.problem_rows"))
    parts = []
    for mask, kind in ((np.isnan(weights), "missing"), (np.isinf(weights), "infinite"),
                       (weights < 0, "negative")):
        if mask.any():
            shown = ", ".join(str(v) for v in where[mask][:5]) + (" ..." if mask.sum() > 5 else "")
            parts.append(Message(code, {"count": int(mask.sum()),
                                        "kind": Message(f"design.weights.{kind}"),
                                        "shown": shown, "first": float(weights[mask][0])}))
    return Parts(parts)


def weight_values(weights, name: str = "weights") -> np.ndarray:
    """1-D float array of finite, non-negative weights, or ValueError naming the rows
    (``name``: the keyword, or a catalogue Message such as ``weight column 'w'``)."""
    values = np.asarray(weights, dtype=float)
    if values.ndim != 1:
        raise SurveyError("design.weights.one_dimension", name=name, shape=values.shape)
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        # Which rows, and whether missing, infinite or negative: a negative weight must not
        # surface later as "successes must not exceed trials".
        rows = weights.index.to_numpy() if isinstance(weights, pd.Series) else np.arange(len(values))
        raise SurveyError("design.weights.bad", name=name, problems=weight_problems(values, rows))
    return values


# --------------------------------------------------------------------------- cells

def _describe(cells, limit: int = 10) -> Message:
    """The first ``limit`` cells, and how many there are in all when more."""
    cells = list(cells)
    return _listed(", ".join(map(repr, cells[:limit])), len(cells), limit)


def _listed(shown, total: int, limit: int) -> Message:
    more = Message("design.calibration.cells_more", {"count": total}) if total > limit else ""
    return Message("design.calibration.cells", {"shown": shown, "more": more})


def _describe_rows(rows: pd.Series, limit: int = 10) -> Message:
    """``'c4 (10 rows)', 'c5 (2 rows)'``: cells with their rows, said in either language
    (a chain of messages, each naming the next)."""
    shown = list(rows.items())[:limit]
    chain = ""
    for position, (cell, count) in reversed(list(enumerate(shown))):
        code = "design.calibration.cell_rows" if position == 0 else "design.calibration.next_cell_rows"
        chain = Message(code, {"cell": cell, "rows": count, "next": chain})
    return _listed(chain, len(rows), limit)


def as_population(population, columns: list[str], what: str) -> pd.Series:
    """Known totals as a float Series indexed by cell (a MultiIndex for several columns).

    ``population`` is a Series indexed by cell, a dict, or a DataFrame with the
    ``columns`` and one column of totals (like R's ``Freq``).
    """
    if isinstance(population, dict):
        population = pd.Series(population, dtype=float)
    if isinstance(population, pd.DataFrame):
        missing = [c for c in columns if c not in population.columns]
        others = [c for c in population.columns if c not in columns]
        if missing or len(others) != 1:
            raise SurveyError("design.calibration.frame", what=what, columns=columns,
                              found=list(population.columns))
        population = population.set_index(columns)[others[0]]
    if not isinstance(population, pd.Series):
        raise SurveyError("design.calibration.kind", what=what, kind=type(population).__name__)
    if population.index.nlevels != len(columns):
        raise SurveyError("design.calibration.levels", what=what, levels=population.index.nlevels,
                          count=len(columns), columns=columns)
    if population.index.has_duplicates:
        duplicated = population.index[population.index.duplicated()].unique().tolist()
        raise SurveyError("design.calibration.twice", what=what, cells=duplicated[:10])
    totals = pd.to_numeric(population, errors="coerce").astype(float)
    bad = ~np.isfinite(totals.to_numpy()) | (totals.to_numpy() < 0)
    if bad.any():
        raise SurveyError("design.calibration.bad_totals", what=what,
                          cells=population.index[bad].tolist()[:10])
    return totals


def cell_codes(units: pd.DataFrame, columns: list[str], totals: pd.Series, weights: np.ndarray,
               what: str, multiplicity=None):
    """Map every unit (answer or cell of answers) to its cell in ``totals``; check both ways.

    ``multiplicity`` is the number of answers of each unit (1 for answers). Returns
    ``(codes, kept totals)``: cells with a zero total and no answers are dropped, as in R
    ``postStratify``.
    """
    missing = [c for c in columns if c not in units.columns]
    if missing:
        raise SurveyError("design.calibration.columns_missing", missing=missing,
                          found=list(units.columns))
    frame = units[columns]
    if frame.isna().any().any():
        raise SurveyError("design.calibration.missing_values", columns=columns,
                          count=int(frame.isna().any(axis=1).sum()))
    keys = (pd.Index(frame[columns[0]]) if len(columns) == 1
            else pd.MultiIndex.from_frame(frame))
    codes = totals.index.get_indexer(keys)
    count = np.ones(len(units)) if multiplicity is None else np.asarray(multiplicity, dtype=float)
    if (codes < 0).any():
        absent = pd.Series(count[codes < 0], index=keys[codes < 0]).groupby(level=list(
            range(keys.nlevels)), sort=False).sum().astype(int)
        raise SurveyError("design.calibration.no_total", what=what, cells=_describe_rows(absent))
    n = np.bincount(codes, weights=count, minlength=len(totals))
    weight_sum = np.bincount(codes, weights=weights, minlength=len(totals))
    values = totals.to_numpy()
    no_sample = (n == 0) & (values > 0)
    if no_sample.any():
        raise SurveyError("design.calibration.no_sample", what=what,
                          cells=_describe(totals.index[no_sample]))
    zero_total = (n > 0) & (values == 0)
    if zero_total.any():
        raise SurveyError("design.calibration.zero_total", what=what,
                          cells=_describe(totals.index[zero_total]))
    zero_weight = (n > 0) & (weight_sum <= 0)
    if zero_weight.any():
        raise SurveyError("design.calibration.zero_weight", what=what,
                          cells=_describe(totals.index[zero_weight]))
    keep = n > 0
    remap = np.cumsum(keep) - 1
    return remap[codes], totals[keep]


def _cell_labels(totals: pd.Series, columns: list[str]) -> pd.DataFrame:
    if len(columns) == 1:
        return pd.DataFrame({columns[0]: totals.index.to_numpy()})
    return totals.index.to_frame(index=False, name=columns)


# --------------------------------------------------------------------------- calibration

@dataclass(frozen=True, eq=False)
class Calibration:
    """How a survey's weights were calibrated (:attr:`Survey.calibration
    <survey_analysis.Survey>`).

    Attributes
    ----------
    method : str
        ``"poststratify"`` or ``"rake"``.
    margins : tuple of tuple of str
        The column(s) of each margin the weights were calibrated to.
    adjustment : pandas.DataFrame
        Post-stratification: one row per cell with the cell column(s), ``n``
        (answers), ``weight_before``, ``population`` and ``factor``. Raking: one row
        per margin cell with ``margin``, ``cell``, ``n``, ``weight_before``,
        ``target``, ``weight_after``.
    converged : bool
        Always True for post-stratification.
    iterations : int
        Raking sweeps over all margins (1 for post-stratification).
    max_discrepancy : float
        Largest ``|weighted total - target|`` over all cells, relative to the total.
    n_trimmed : int
        Weights (units) clipped at least once by ``rake(trim=...)``.
    before : Survey
        The survey before this calibration (its weights are those the variance's
        regression on the margins uses).

    See Also
    --------
    survey_analysis.Survey.poststratify, survey_analysis.Survey.rake : return a Survey with one.

    Examples
    --------
    >>> import pandas as pd, survey_analysis as sa
    >>> r = pd.DataFrame({"item_id": list("ABCD"), "community": ["东", "东", "西", "西"],
    ...                   "scale": "yes_no", "rank": [1, 2, 1, 1]})
    >>> survey = sa.Survey(r, cluster="none").poststratify("community", {"东": 60, "西": 40})
    >>> survey.calibration
    <Calibration poststratify to community: converged in 1 sweep(s), largest discrepancy 0>
    """

    method: str
    margins: tuple
    adjustment: pd.DataFrame
    converged: bool = True
    iterations: int = 1
    max_discrepancy: float = 0.0
    n_trimmed: int = 0
    before: object = field(default=None, repr=False)

    def to_frame(self) -> pd.DataFrame:
        """The adjustment table (see :attr:`adjustment`)."""
        return self.adjustment.copy()

    def _repr_html_(self) -> str:
        return frame_html(self.adjustment, repr(self)[1:-1])

    def __repr__(self) -> str:
        margins = ", ".join(" x ".join(m) for m in self.margins)
        state = "converged" if self.converged else "NOT converged"
        return (f"<Calibration {self.method} to {margins}: {state} in {self.iterations} "
                f"sweep(s), largest discrepancy {self.max_discrepancy:.2g}>")


def poststratified_weights(codes: np.ndarray, w0: np.ndarray, totals: pd.Series,
                           columns: list[str], multiplicity=None):
    """``(weights, adjustment, discrepancy)``: ``w0`` scaled so each cell's total is its
    population total (``codes`` from :func:`cell_codes`)."""
    count = np.ones(len(w0)) if multiplicity is None else np.asarray(multiplicity, dtype=float)
    n = np.bincount(codes, weights=count, minlength=len(totals)).astype(np.int64)
    before = np.bincount(codes, weights=w0, minlength=len(totals))
    factor = totals.to_numpy() / before
    weights = w0 * factor[codes]
    adjustment = _cell_labels(totals, columns)
    adjustment["n"] = n
    adjustment["weight_before"] = before
    adjustment["population"] = totals.to_numpy()
    adjustment["factor"] = factor
    after = np.bincount(codes, weights=weights, minlength=len(totals))
    discrepancy = float(np.max(np.abs(after - totals.to_numpy())) / totals.sum())
    return weights, adjustment, discrepancy


def check_trim(trim):
    """``(low, high)`` bounds relative to the mean weight, or None; ValueError when bad."""
    if trim is None:
        return None
    try:
        low, high = trim
    except (TypeError, ValueError):
        raise SurveyError("design.calibration.trim_pair", trim=trim) from None
    low = 0.0 if low is None else float(low)
    high = np.inf if high is None else float(high)
    if not 0.0 <= low <= 1.0 <= high:
        raise SurveyError("design.calibration.trim_bounds", trim=trim)
    return low, high


def raked_weights(codes: list, targets: list, names: list, w0: np.ndarray, max_iter: int = 100,
                  tol: float = 1e-10, trim=None, multiplicity=None) -> dict:
    """Rake ``w0`` to the margins: ``codes[m]`` maps each unit to its cell of margin ``m``,
    whose known totals are ``targets[m]`` (Series) and name ``names[m]``.

    Returns a dict with ``weights``, ``converged``, ``iterations``, ``discrepancy``
    (largest relative miss per margin), ``trimmed`` (units clipped at least once). Warns
    (``RuntimeWarning``) when not converged after ``max_iter`` sweeps. See
    :meth:`survey_analysis.Survey.rake` for the method.
    """
    bounds = check_trim(trim)
    values = [t.to_numpy() for t in targets]
    grand = np.array([t.sum() for t in targets])
    if not np.allclose(grand, grand[0], rtol=1e-9, atol=0.0):
        raise SurveyError("design.calibration.grand_totals",
                          totals=", ".join(f"{n!r}: {g:g}" for n, g in zip(names, grand)))
    total = float(grand[0])
    count = np.ones(len(w0)) if multiplicity is None else np.asarray(multiplicity, dtype=float)
    positive = w0 > 0
    if bounds is not None:
        mean_weight = total / float(count[positive].sum())
        # Bounds apply to each answer's weight: a unit of several answers holds their sum.
        low, high = bounds[0] * mean_weight * count, bounds[1] * mean_weight * count
    w = w0.copy()
    trimmed = np.zeros(len(w), dtype=bool)
    converged = False
    discrepancy = np.zeros(len(codes))
    violation = 0.0
    # The loop is over sweeps and margins (each step vectorized over units): IPF is
    # iterative by nature.
    for iteration in range(1, int(max_iter) + 1):
        for c, target in zip(codes, values):
            w *= (target / np.bincount(c, weights=w, minlength=len(target)))[c]
        discrepancy = np.array([
            np.max(np.abs(np.bincount(c, weights=w, minlength=len(t)) - t)) / total
            for c, t in zip(codes, values)])
        violation = 0.0
        if bounds is not None:
            over = np.where(positive, np.maximum(w - high, low - w) / count, -np.inf)
            violation = float(np.max(over) / mean_weight) if len(w) else 0.0
        if discrepancy.max() <= tol and violation <= tol:
            converged = True
            break
        if bounds is not None and violation > 0:
            outside = positive & ((w < low) | (w > high))
            trimmed |= outside
            w[outside] = np.clip(w[outside], low[outside], high[outside])
    if not converged:
        worst = int(np.argmax(discrepancy))
        if discrepancy[worst] > tol:
            problem = Message("design.calibration.off_targets", {
                "name": names[worst], "share": float(discrepancy[worst]),
                "amount": float(discrepancy[worst] * total)})
        else:
            problem = Message("design.calibration.off_bounds", {"share": violation})
        # A RuntimeWarning (a numerical outcome, as numpy's), its text from the catalogue.
        warnings.warn(say("design.calibration.not_converged", sweeps=max_iter, problem=problem),
                      RuntimeWarning, stacklevel=3)
    return {"weights": w, "converged": converged, "iterations": iteration,
            "discrepancy": discrepancy, "trimmed": trimmed}


def rake_adjustment(codes: list, targets: list, names: list, w0: np.ndarray, w: np.ndarray,
                    multiplicity=None) -> pd.DataFrame:
    """One row per margin cell: ``margin``, ``cell``, ``n``, ``weight_before``, ``target``,
    ``weight_after``."""
    count = np.ones(len(w0)) if multiplicity is None else np.asarray(multiplicity, dtype=float)
    pieces = []
    for name, c, series in zip(names, codes, targets):
        k = len(series)
        pieces.append(pd.DataFrame({
            "margin": name, "cell": pd.Series(series.index.tolist(), dtype=object),
            "n": np.bincount(c, weights=count, minlength=k).astype(np.int64),
            "weight_before": np.bincount(c, weights=w0, minlength=k),
            "target": series.to_numpy(),
            "weight_after": np.bincount(c, weights=w, minlength=k)}))
    return pd.concat(pieces, ignore_index=True)


def margin_residuals(codes: list, weights: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``values`` minus their fit by the ``weights``-weighted regression on the cell
    indicators of every margin (``codes[m]``: each unit's cell of margin ``m``).

    ``values`` has one row per unit and one column per linearized estimate. The normal
    equations are built with ``np.bincount`` (cross-tabulations of the margins), so memory
    stays O(cells^2) however many units there are. The indicators of different margins
    are collinear (each margin sums to the intercept), so the system is solved with a
    pseudo-inverse; the fitted values are unique.
    """
    values = np.asarray(values, dtype=float)
    single = values.ndim == 1
    values = values[:, None] if single else values
    sizes = [int(c.max()) + 1 if len(c) else 0 for c in codes]
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    k = int(offsets[-1])
    gram = np.zeros((k, k))
    for a, ca in enumerate(codes):  # a handful of margins: loop over margin pairs
        for b, cb in enumerate(codes):
            cross = np.bincount(ca * sizes[b] + cb, weights=weights,
                                minlength=sizes[a] * sizes[b]).reshape(sizes[a], sizes[b])
            gram[offsets[a]:offsets[a + 1], offsets[b]:offsets[b + 1]] = cross
    inverse = np.linalg.pinv(gram, rcond=1e-10, hermitian=True)
    out = np.empty_like(values)
    for j in range(values.shape[1]):
        rhs = np.concatenate([np.bincount(c, weights=weights * values[:, j], minlength=size)
                              for c, size in zip(codes, sizes)])
        beta = inverse @ rhs
        out[:, j] = values[:, j] - sum(beta[offsets[a]:offsets[a + 1]][c] for a, c in enumerate(codes))
    return out[:, 0] if single else out


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
    then sets those weights to the bound. To trim a survey's weights, use
    :meth:`Survey.trim <survey_analysis.Survey.trim>`.

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
    w = weight_values(weights).copy()
    low = -np.inf if lower is None else float(lower)
    high = np.inf if upper is None else float(upper)
    if low > high:
        raise SurveyError("design.calibration.lower_upper", lower=lower, upper=upper)
    if strict:
        total, n = w.sum(), len(w)
        if high * n < total * (1 - 1e-12) or low * n > total * (1 + 1e-12):
            raise SurveyError("design.calibration.no_weights_within", lower=lower, upper=upper,
                              total=float(total), n=n, mean=float(total / n))
    tolerance = 1e-12 * np.maximum(np.abs(np.array([low, high])), 1.0)
    for _ in range(max_iter if strict else 1):
        outside = (w < low) | (w > high)
        if not outside.any():
            break
        if outside.all():
            raise SurveyError("design.calibration.all_outside", lower=lower, upper=upper)
        clipped = np.clip(w, low, high)
        excess = float(np.sum(w - clipped))
        w = np.where(outside, clipped, w + excess / np.count_nonzero(~outside))
        if strict and not ((w < low - tolerance[0]) | (w > high + tolerance[1])).any():
            w = np.clip(w, low, high)
            break
    else:
        if strict:
            warnings.warn(say("design.calibration.still_outside", lower=lower, upper=upper,
                              passes=max_iter), RuntimeWarning, stacklevel=2)
    if isinstance(weights, pd.Series):
        return pd.Series(w, index=weights.index, name=weights.name)
    return w


def equal_weights_within(table: pd.DataFrame) -> bool:
    """Every cell's answers share one weight (``n w2 = w^2``): its weight sum splits evenly."""
    n, w, w2 = (table[c].to_numpy(dtype=float) for c in ("n", "w", "w2"))
    return bool(np.allclose(n * w2, w * w, rtol=1e-9, atol=0.0))
