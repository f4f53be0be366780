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

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..load.engines import aggregate_cells
from ..scales.scale import Scale
from ..words import Message, SurveyError
from .calibration import weight_problems

__all__ = ["COUNTS_SCALE", "LevelCounts", "bad_weights_message", "rescaled_weights",
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
    """

    table: pd.DataFrame
    keys: tuple
    count_range: pd.DataFrame | None = None
    report: object = None
    weight_unit: float = 1.0

    def __repr__(self) -> str:
        return (f"<LevelCounts: {len(self.table):,} cells of {int(self.table['n'].sum()):,} answers "
                f"by {', '.join(self.keys)}>")


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
