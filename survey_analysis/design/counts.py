"""Sufficient statistics: satisfied and valid counts per group.

Every estimator in the package works from these counts, so any engine that can
produce them (pandas, DuckDB, Dask, or a published table) feeds the estimators. The
counting itself is :class:`~survey_analysis.design.design.Design`'s; this is the plain
function for analysts who want the table.
"""

from __future__ import annotations

import pandas as pd

from .design import as_design

__all__ = ["satisfaction_counts"]


def satisfaction_counts(
    responses,
    by=None,
    satisfied=None,
    weight=None,
    engine: str | None = None,
    rating: str | None = None,
    duplicates: str | None = None,
) -> pd.DataFrame:
    """Count valid and satisfied responses per group.

    Parameters
    ----------
    responses : pandas.DataFrame, Survey, path, list of paths, folder or Dask DataFrame
        Tidy responses from :func:`~survey_analysis.load_responses`, a
        :class:`~survey_analysis.Survey`, or long-format responses in Parquet/CSV
        files or a Dask DataFrame, counted without loading the rows into pandas (see
        :mod:`survey_analysis.load.engines`).
    by : str or list of str, optional
        Grouping column(s), default the item column; an empty list gives the overall
        totals in one row.
    satisfied : None, str, collection of str or dict
        Definition of "satisfied"; default each scale's own convention (see
        :func:`~survey_analysis.scales.resolve_definition`).
    weight : str, None or False
        Weight column; ``None`` uses ``"weight"`` when tidy responses have one (for
        files, name it), ``False`` ignores weights.
    engine : {"auto", "pandas", "duckdb", "dask"}, optional
        How to count files and Dask DataFrames (default ``"auto"``); tidy pandas
        responses are always counted with pandas.
    rating : str, optional
        Answer column of a file or Dask DataFrame (default ``"rating"``).
    duplicates : {"error", "keep_first"}, optional
        Files and Dask input: two answers of one respondent to one item are an error,
        or the first is kept and the others counted as excluded (as in
        :func:`~survey_analysis.load_responses`).

    Returns
    -------
    pandas.DataFrame
        One row per group (groups sorted), the ``by`` columns followed by ``n``
        (valid responses) and ``satisfied`` (satisfied responses); with weights also
        ``weight_sum``, ``satisfied_weight`` and ``weight_sq_sum`` (sums of weights,
        satisfied weights and squared weights). ``.attrs["load_report"]`` holds the
        ledger of the input when there is one.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"item_id": ["A", "A", "B"], "rating": ["满意", "不满意", "基本满意"],
    ...                   "scale": "cn3", "rank": [1, 3, 2]})
    >>> satisfaction_counts(r)
      item_id  n  satisfied
    0       A  2          1
    1       B  1          1
    """
    by = None if by is None else [by] if isinstance(by, str) else list(by)
    # A file is scanned with the groups it needs; a Survey recounts them from its responses.
    design = as_design(responses, satisfied=satisfied, weight=weight, engine=engine, rating=rating,
                       groups=None if by is None else [c for c in by if c != "item_id"],
                       duplicates=duplicates)
    counts = design.counts(by)
    if not design.weighted:  # the weight sums are the counts themselves
        counts = counts.drop(columns=["weight_sum", "satisfied_weight", "weight_sq_sum"])
    if design.report is not None:
        counts.attrs["load_report"] = design.report
    return counts
