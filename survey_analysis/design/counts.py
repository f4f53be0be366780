"""Sufficient statistics: satisfied and valid counts per group.

Every estimator in the package works from these counts, so any engine that can
produce them (pandas here; DuckDB or Dask later) can feed the estimators.
"""

from __future__ import annotations

import pandas as pd

from ..load.responses import load_responses
from ..load.scales import satisfied_mask
from .engines import is_tidy_responses, source_counts

__all__ = ["satisfaction_counts", "resolve_weight"]


def resolve_weight(responses: pd.DataFrame, weight) -> str | None:
    """Name of the weight column to use: ``weight`` if given, else ``"weight"`` when present.

    ``weight=False`` forces an unweighted analysis.
    """
    if weight is False:
        return None
    if weight is None:
        return "weight" if "weight" in responses.columns else None
    if weight not in responses.columns:
        raise ValueError(f"weight column {weight!r} not found; columns are {list(responses.columns)}")
    return weight


def satisfaction_counts(
    responses,
    by="item_id",
    satisfied="top_two_box",
    weight=None,
    engine: str = "auto",
    rating: str = "rating",
) -> pd.DataFrame:
    """Count valid and satisfied responses per group.

    Parameters
    ----------
    responses : pandas.DataFrame, path, list of paths, folder or Dask DataFrame
        Tidy responses from :func:`~survey_analysis.load_responses` (a raw sheet
        in a DataFrame is loaded with it first); or long-format responses in
        Parquet/CSV files or a Dask DataFrame, counted without loading the rows into
        pandas (see :mod:`.engines`).
    by : str or list of str, default "item_id"
        Grouping column(s); an empty list gives the overall totals in one row.
    satisfied : str or collection of str
        Definition of "satisfied"; see :func:`~survey_analysis.load.scales.satisfied_mask`.
    weight : str, None or False
        Weight column; ``None`` uses ``"weight"`` when tidy responses have one (for
        files, name it), ``False`` ignores weights.
    engine : {"auto", "pandas", "duckdb", "dask"}
        How to count files and Dask DataFrames (see :mod:`.engines`); tidy pandas
        responses are always counted with pandas.
    rating : str, default "rating"
        Answer column of a file or Dask DataFrame.

    Returns
    -------
    pandas.DataFrame
        One row per group (groups sorted), the ``by`` columns followed by ``n``
        (valid responses) and ``satisfied`` (satisfied responses); with weights also
        ``weight_sum``, ``satisfied_weight`` and ``weight_sq_sum`` (sums of weights,
        satisfied weights and squared weights). For files and Dask input,
        ``.attrs["load_report"]`` holds a :class:`~survey_analysis.design.engines.CountsReport`.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"item_id": ["A", "A", "B"], "rating": ["满意", "不满意", "基本满意"],
    ...                   "scale": 3, "rank": [1, 3, 2]})
    >>> satisfaction_counts(r)
      item_id  n  satisfied
    0       A  2          1
    1       B  1          1
    """
    by = [by] if isinstance(by, str) else list(by)
    if isinstance(responses, pd.DataFrame) and not is_tidy_responses(responses) and engine == "auto":
        # A raw sheet in memory: load it first, so labels, headers and the ledger are handled
        # exactly as for a file.
        responses = load_responses(responses)
    if not is_tidy_responses(responses):
        counts, report = source_counts(responses, by=by, satisfied=satisfied, rating=rating,
                                       weight=weight or None, engine=engine)
        counts.attrs["load_report"] = report
        return counts
    missing = [c for c in by if c not in responses.columns]
    if missing:
        raise ValueError(f"column(s) {missing} not found; columns are {list(responses.columns)} "
                         "(load_responses(..., keep_columns=[...]) carries extra columns)")
    weight_column = resolve_weight(responses, weight)
    # Group the value columns by the key Series directly: no copy of the key columns, and the
    # group codes are computed once for all sums (as fast as a bare pandas groupby-sum).
    satisfied_flag = satisfied_mask(responses, satisfied).to_numpy()
    values = {"satisfied": satisfied_flag.astype("int64")}
    if weight_column is not None:
        w = responses[weight_column].to_numpy(dtype=float)
        values.update(weight_sum=w, satisfied_weight=w * satisfied_flag, weight_sq_sum=w * w)
    frame = pd.DataFrame(values, index=responses.index)
    if not by:  # overall totals: one row
        totals = frame.sum().to_frame().T.astype(frame.dtypes.to_dict())
        totals.insert(0, "n", len(frame))
        return totals
    grouped = frame.groupby([responses[c] for c in by], sort=True, observed=True)
    counts = grouped.sum()
    counts.insert(0, "n", grouped.size().astype("int64"))
    return counts.reset_index()
