"""The sufficient counts of a survey: answers and weight sums per key x scale x level.

Every statistic of the package is a function of one table: for each combination of the
key columns (item, clusters, strata, groups), scale and level (``rank``, 1 = best), the
number of answers ``n`` and the sums of their weights ``w`` and squared weights ``w2``
(``n``, ``n`` without weights: every answer weighs 1), and ``zero_weight``, the answers
of weight 0 (they stay in the design, as in R, but leave Kish's n and the degrees of
freedom). Whatever produces the table feeds the estimators: pandas over tidy responses,
DuckDB over big files, Dask, or a published table of counts. A table of rounded
percentages also carries, per unit, the range of satisfied counts its percentage allows.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..load.counts_table import PERCENT_KINDS, CountsOption, counts_flag, read_counts_table
from ..load.engines import CountsReport, aggregate_cells
from ..load.options import Placeholder
from ..load.percentages import column_decimals, counts_from_percentages
from ..load.report import WARN_SHARE, first_lines
from ..scales.scale import Scale
from ..words import Message, Note, SurveyError, SurveyWarning
from .calibration import weight_problems

__all__ = ["COUNTS_SCALE", "LevelCounts", "bad_weights_message", "counts_table_level_counts",
           "rescaled_weights", "resolve_weight",
           "tidy_level_counts", "two_level_counts", "with_weight_sums"]

#: The two-level scale of a table of counts (satisfied / not satisfied).
COUNTS_SCALE = Scale(["satisfied", "not satisfied"], 1, name="counts",
                     source="a published table of counts per item",
                     convention="as counted by the table's authors")

#: Largest weight used as it is: above it, the sums of squared weights over 1e12 answers
#: could overflow, so the weights are divided by their largest value first.
_LARGEST_WEIGHT = 1e140


@dataclass(frozen=True, eq=False)
class LevelCounts:
    """The sufficient counts of a survey and where they came from.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per key x scale x level with answers: the key columns, ``scale``,
        ``rank``, ``n`` (int64), ``w``, ``w2`` (sums of weights and squared weights;
        ``n`` and ``n`` without weights) and ``zero_weight`` (answers of weight 0).
    keys : tuple of str
        The key columns.
    count_range : pandas.DataFrame or None
        For a table of rounded percentages: per unit (its key columns) ``k_min`` and
        ``k_max``, the satisfied counts its percentage allows; None when every count is
        exact.
    report : LoadReport, CountsReport or None
        The ledger of the input: rows read = rows kept + rows excluded.
    weight_unit : float
        1, or the largest weight when weights above 1e140 were divided by it so that
        their sums of squares stay finite (rates, intervals, Kish's n and design effects
        do not change; the weight sums are then in this unit).

    Examples
    --------
    >>> import pandas as pd, survey_analysis as sa
    >>> r = pd.DataFrame({"item_id": list("AAB"), "scale": "cn3", "rank": [1, 3, 2]})
    >>> sa.Survey(r).sufficient
    <LevelCounts: 3 cells of 3 answers by item_id>
    """

    table: pd.DataFrame
    keys: tuple
    count_range: pd.DataFrame | None = None
    report: object = None
    weight_unit: float = 1.0

    def __repr__(self) -> str:
        return (f"<LevelCounts: {len(self.table):,} cells of {int(self.table['n'].sum()):,} answers "
                f"by {', '.join(self.keys)}>")


def resolve_weight(responses: pd.DataFrame, weight) -> str | None:
    """The weight column of tidy responses: ``weight`` if named, else ``"weight"`` when
    present; ``False`` ignores weights."""
    if weight is False:
        return None
    if weight is None:
        return "weight" if "weight" in responses.columns else None
    if weight not in responses.columns:
        raise SurveyError("design.weight_missing", weight=weight, found=list(responses.columns))
    return weight


def with_weight_sums(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with ``w``, ``w2`` and ``zero_weight`` (every answer of weight 1 when it has
    none)."""
    if "w" in table.columns:
        if "zero_weight" not in table.columns:
            table = table.assign(zero_weight=0.0)
        return table
    n = table["n"].to_numpy(dtype=float)
    return table.assign(w=n, w2=n, zero_weight=np.zeros(len(table)))


def bad_weights_message(weights: np.ndarray, column: str, rows, lines=None) -> Message | None:
    """What is wrong with weights that are not finite numbers >= 0 (None when nothing is):
    how many are missing, infinite or negative, with their rows (index labels) or, when
    known, their lines in the file, as a catalogue message."""
    problems = weight_problems(weights, rows, lines)
    if not problems:
        return None
    return Message("design.weights.column_bad", {"column": column, "problems": problems})


def rescaled_weights(weights: np.ndarray) -> tuple[np.ndarray, float]:
    """``(weights / unit, unit)``: ``unit`` is 1, or the largest weight when it exceeds
    1e140. Rates, intervals, Kish's n and design effects do not change when every weight
    is multiplied by one number; only the weight sums are then in units of the largest
    weight."""
    largest = float(np.max(weights)) if len(weights) else 0.0
    if largest <= _LARGEST_WEIGHT:
        return weights, 1.0
    return weights / largest, largest


def tidy_level_counts(responses: pd.DataFrame, keys: list, scales: dict, weight: str | None):
    """``(table, weight_unit)``: the level counts of tidy responses by ``keys``.

    ``scales`` maps each value of the ``scale`` column to its Scale (3 and ``"cn3"`` in
    one frame are the same scale). A weight column must hold finite numbers >= 0; the
    error names the rows (lines of the file when the frame has ``source_line``).
    """
    scale_codes, scale_values = pd.factorize(responses["scale"], sort=False)
    if (scale_codes < 0).any():
        raise SurveyError("design.scale_empty")
    names = [scales[u if not isinstance(u, (int, np.integer)) else int(u)].name for u in scale_values]
    if len(set(names)) != len(names):  # e.g. 3 and "cn3" in one frame: the same scale
        unique = sorted(set(names))
        scale_codes = np.array([unique.index(n) for n in names], dtype=np.int64)[scale_codes]
        names = unique
    rank = pd.to_numeric(responses["rank"], errors="coerce").to_numpy(dtype=float)
    if np.isnan(rank).any():
        raise SurveyError("design.rank_empty")
    values = {"n": None}  # one per answer
    unit = 1.0
    if weight is not None:
        weights = pd.to_numeric(responses[weight], errors="coerce").to_numpy(dtype=float)
        lines = responses["source_line"].to_numpy() if "source_line" in responses.columns else None
        problem = bad_weights_message(weights, weight, responses.index.to_numpy(), lines)
        if problem is not None:
            raise SurveyError(problem.code, **problem.params)
        weights, unit = rescaled_weights(weights)
        values.update(w=weights, w2=weights * weights, zero_weight=(weights == 0).astype(float))
    # The scale as a Categorical: a few names over many rows, no string work per row.
    scale = pd.Categorical.from_codes(scale_codes, categories=names)
    table = aggregate_cells([responses[k] for k in keys], scale, rank.astype(np.int64), values)
    return with_weight_sums(table), unit


def two_level_counts(base: pd.DataFrame, keys: list, satisfied: np.ndarray,
                     total: np.ndarray) -> pd.DataFrame:
    """Level counts of a counts table: rank 1 = satisfied, rank 2 = not satisfied."""
    two = pd.concat([base.assign(scale="counts", rank=np.int8(1), n=satisfied.astype(np.int64)),
                     base.assign(scale="counts", rank=np.int8(2), n=(total - satisfied).astype(np.int64))],
                    ignore_index=True)
    two = two.loc[two["n"] > 0]
    counts = two.groupby(keys + ["scale", "rank"], sort=True, observed=True)["n"].sum().reset_index()
    counts["n"] = counts["n"].astype("int64")
    counts["scale"] = counts["scale"].astype("string")
    return with_weight_sums(counts)


def _percent_ranges(shown, total: np.ndarray, decimals, rounding: str):
    """``(ranges, used, inferred)``: :func:`counts_from_percentages` of a published column
    read with one precision, ``decimals`` if given, else the column's
    (:func:`column_decimals`)."""
    inferred = column_decimals(shown)
    used = inferred.decimals if decimals is None else decimals
    return counts_from_percentages(shown, total, decimals=used, rounding=rounding), used, inferred


def _warn_fits_none(shown, total, fits, used: int, inferred, decimals, rounding, warn_share, source) -> None:
    """A :class:`SurveyWarning` when more than ``warn_share`` of the rows fit no count: it
    names ``decimals=`` (and the command line's ``--counts ... decimals=N``), and the
    precision that fits the most rows when fewer decimals would fit more."""
    share_limit = WARN_SHARE if warn_share is None else float(warn_share)
    missing, rows = int((~fits).sum()), len(fits)
    if not rows or missing / rows <= share_limit:
        return
    best, best_fits = None, int(fits.sum())
    for candidate in range(inferred.decimals, used):  # at most 12 precisions, each vectorized
        fitting = int(counts_from_percentages(shown, total, decimals=candidate, rounding=rounding)["consistent"].sum())
        if fitting > best_fits:
            best, best_fits = candidate, fitting
    better = (Message("load.counts.fits_better", {"decimals": best, "fits": best_fits, "rows": rows})
              if best is not None else "")
    how = Message("load.counts.how_given" if decimals is not None else "load.counts.how_inferred")
    message = Message("load.counts.fits_no_count_many", {
        "source": source, "count": missing, "rows": rows, "share": missing / rows,
        "warn_share": share_limit, "decimals": used, "how": how,
        "hint": CountsOption("decimals", Placeholder("N") if best is None else best), "better": better})
    warnings.warn(SurveyWarning(message, flags=counts_flag), stacklevel=4)


def counts_table_level_counts(table, *, item, n: str, satisfied: str | None, percent: str | None,
                              keep: list, decimals, rounding: str, sheet, encoding, header_row,
                              source: str | None, warn_share: float | None, dissatisfied: str | None = None,
                              percent_dissatisfied: str | None = None, duplicates: str = "error",
                              percent_scale: str | None = None):
    """``(LevelCounts, percent_audit, name)`` of a published table of counts, of rounded
    percentages, of dissatisfied counts or of rounded dissatisfied percentages per unit (see
    :meth:`Survey.from_counts <survey_analysis.design.design.Design.from_counts>`): the
    counts at the nearest consistent value, each unit's range ``k_min..k_max`` of satisfied
    counts when a percentage allows several, and the ledger (rows whose percentage fits no
    count excluded and counted; a :class:`~survey_analysis.words.SurveyWarning` when they
    are more than ``warn_share`` of the rows)."""
    if satisfied is None and percent is None and dissatisfied is None and percent_dissatisfied is None:
        satisfied = "satisfied"
    extra = list(keep)
    read = read_counts_table(table, item=item, n=n, satisfied=satisfied, percent=percent,
                             dissatisfied=dissatisfied, percent_dissatisfied=percent_dissatisfied,
                             keep=extra, duplicates=duplicates, sheet=sheet, encoding=encoding,
                             header_row=header_row, percent_scale=percent_scale)
    rows, kind, column = read.table, read.kind, read.value
    keys = [read.item] + extra
    excluded = dict(read.excluded)
    name = source or read.source.replace("<DataFrame>", "<counts table>")
    notes = list(read.notes)
    audit = None
    total = rows[n].to_numpy(dtype=np.int64)
    if kind not in PERCENT_KINDS:
        counted = rows[column].to_numpy(dtype=np.int64)
        k_low = k_high = k_point = counted if kind == "satisfied" else total - counted
        fits = np.ones(len(rows), bool)
    else:
        ranges, used, inferred = _percent_ranges(rows[column], total, decimals, rounding)
        fits = ranges["consistent"].to_numpy(dtype=bool)
        low = ranges["k_min"].fillna(0).to_numpy(dtype=np.int64)
        high = ranges["k_max"].fillna(0).to_numpy(dtype=np.int64)
        shown = pd.to_numeric(rows[column].str.rstrip("%").str.strip(), errors="coerce").to_numpy(float)
        # Nearest consistent count: the published share of n, rounded, kept in range.
        point = np.clip(np.floor(shown * total / 100.0 + 0.5).astype(np.int64), low, high)
        if kind == "percent":
            k_low, k_high, k_point = low, high, point
            audit_counts = {}
        else:  # the counts the dissatisfied percentage allows, and the satisfied ones they leave
            k_low, k_high, k_point = total - high, total - low, total - point
            audit_counts = {"dissatisfied_min": ranges["k_min"], "dissatisfied_max": ranges["k_max"]}
        satisfied_range = {"k_min": pd.Series(k_low, dtype="Int64").where(fits),
                           "k_max": pd.Series(k_high, dtype="Int64").where(fits)}
        audit = pd.concat([rows[keys + [n, column]].reset_index(drop=True),
                           pd.DataFrame({"decimals": ranges["decimals"], **audit_counts, **satisfied_range,
                                         "n_consistent": ranges["n_consistent"], "consistent": fits}),
                           rows[["source_line"]].reset_index(drop=True)], axis=1)
        if (~fits).any():
            excluded["percent_fits_no_count"] = int((~fits).sum())
        if decimals is None:  # one precision for the column, and why
            why = (Message("load.counts.decimals_why_example", {"example": inferred.example, "decimals": used})
                   if inferred.example is not None else Message("load.counts.decimals_why_whole"))
            notes.append(Note("load.counts.decimals_inferred", column=column, decimals=used, why=why,
                              listing=", ".join(f"{d} ({r})" for d, r in inferred.printed.items()),
                              rounding=rounding, hint=CountsOption("decimals", Placeholder("N"))))
        else:
            notes.append(Note("load.counts.decimals_given", listing=f"{used} ({len(rows)})", rounding=rounding))
    if kind in ("dissatisfied", "percent_dissatisfied"):
        notes.append(Note("load.counts.from_dissatisfied", n=n, column=column, what=Message(
            "load.counts.what_count" if kind == "dissatisfied" else "load.counts.what_percent")))
    if not fits.any():
        raise SurveyError("design.percent_fits_none", source=read.source, n=n, rows=len(rows))
    if kind in PERCENT_KINDS:
        _warn_fits_none(rows[column], total, fits, used, inferred, decimals, rounding, warn_share, name)
    base = rows.loc[fits, keys].reset_index(drop=True)
    count_range = None
    if kind in PERCENT_KINDS and np.any(k_low[fits] != k_high[fits]):
        count_range = (base.assign(k_min=k_low[fits], k_max=k_high[fits])
                       .groupby(keys, sort=True, observed=True)[["k_min", "k_max"]].sum()
                       .reset_index())
    lines = dict(read.excluded_lines)
    if (~fits).any():
        lines["percent_fits_no_count"] = rows["source_line"].to_numpy()[~fits]
    if lines:  # the ledger of a table names the lines it left out (validate --counts shows them)
        notes.append(Note("load.counts.excluded_lines", listing="; ".join(
            f"{reason} (lines {first_lines(where, 10)})" for reason, where in lines.items())))
    report = CountsReport(source=name, engine="counts table", scale="counts",
                          rows_read=read.rows_read, rows_kept=int(fits.sum()),
                          excluded=excluded, scales={"counts": COUNTS_SCALE},
                          quiet_reasons=("summary_row", "footer_row", "blank_row"), notes=tuple(notes),
                          columns={"item_id": read.item, "n": n, kind: column},
                          header_line=read.header_line, file_format=read.file_format,
                          **({"warn_share": float(warn_share)} if warn_share is not None else {}))
    counts = two_level_counts(base, keys, k_point[fits], total[fits])
    return LevelCounts(counts, tuple(keys), count_range, report, 1.0), audit, name
