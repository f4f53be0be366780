"""Counting engines for large data: DuckDB over files, Dask over partitioned datasets.

The estimators only need counts (DESIGN.md), so a big file never has to be loaded
into pandas row by row. Every engine computes the same small table -- rows per
(group, raw answer label), with weight sums -- and the label normalization of
:mod:`.scales` then runs on that table, which has only a few rows per group.

===========  ======================================  ==================================
engine       input                                   right choice for
===========  ======================================  ==================================
``pandas``   tidy responses in memory                up to a few million rows, and every
                                                     file an analyst opens by hand (full
                                                     line-by-line ledger)
``duckdb``   Parquet / CSV file(s) or a glob         1e6 - 1e9 rows on one machine; the
                                                     rows never enter pandas
``dask``     a Dask DataFrame or a Parquet dataset   data spread over many files or a
                                                     cluster (``dask.distributed``)
===========  ======================================  ==================================

DuckDB and Dask are optional extras (``pip install survey_analysis[duckdb]`` /
``[dask]``) and are imported only when used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .._validation import check_choice
from ..load import scales

__all__ = ["ENGINES", "CountsReport", "label_counts", "counts_from_label_counts",
           "source_counts", "is_tidy_responses", "is_dask_frame"]

ENGINES = ("auto", "pandas", "duckdb", "dask")
_REASONS = ("missing_rating", "dont_know", "unknown_label")


@dataclass(frozen=True, eq=False)
class CountsReport:
    """Ledger of a file counted by an engine: rows read = rows kept + rows excluded.

    Unlike :class:`~survey_analysis.LoadReport` it holds counts per reason, not the
    line of every excluded row (run ``survey-analysis validate FILE`` on a file for
    that). ``unknown_labels`` maps each unknown label to its number of rows.
    """

    source: str
    engine: str
    scale: int | None
    rows_read: int
    rows_kept: int
    excluded: dict = field(default_factory=dict)
    unknown_labels: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.rows_read != self.rows_kept + sum(self.excluded.values()):
            raise RuntimeError(f"counts ledger does not balance for {self.source}: read "
                               f"{self.rows_read}, kept {self.rows_kept}, excluded {self.excluded}")

    def __deepcopy__(self, memo):  # immutable; travels in DataFrame.attrs
        return self

    @property
    def rows_excluded(self) -> int:
        """Number of excluded rows."""
        return int(sum(self.excluded.values()))

    def excluded_by_reason(self) -> pd.Series:
        """Count of excluded rows per reason."""
        return pd.Series(self.excluded, dtype="int64", name="rows").rename_axis("reason").sort_index()

    def to_frame(self) -> pd.DataFrame:
        """Columns ``category`` and ``rows``: read, kept, and ``excluded: <reason>``."""
        rows = [("read", self.rows_read), ("kept", self.rows_kept)]
        rows += [(f"excluded: {reason}", count) for reason, count in sorted(self.excluded.items())]
        return pd.DataFrame(rows, columns=["category", "rows"])

    def __str__(self) -> str:
        lines = [f"Counts report for {self.source} (engine {self.engine})",
                 f"  scale: {self.scale}-level" if self.scale else "  scale: none detected"]
        lines += [f"  {category:<28} {rows:>12}" for category, rows in self.to_frame().itertuples(index=False)]
        return "\n".join(lines)


def is_tidy_responses(source) -> bool:
    """True for a pandas DataFrame from :func:`~survey_analysis.load_responses`."""
    return isinstance(source, pd.DataFrame) and {"rank", "scale", "rating"} <= set(source.columns)


def is_dask_frame(source) -> bool:
    """True for a Dask DataFrame (checked without importing Dask)."""
    return type(source).__module__.split(".")[0] in ("dask", "dask_expr")


def _paths(source) -> list[str]:
    items = source if isinstance(source, (list, tuple)) else [source]
    out = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            out.append(str(path / "**" / "*.parquet"))
        else:
            if "*" not in str(item) and not path.exists():
                raise FileNotFoundError(f"response file not found: {item}")
            out.append(str(item))
    return out


def _quote(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _sql_text_list(values) -> str:
    """SQL list of string literals (quotes doubled), e.g. ('满意', 'it''s')."""
    return "(" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + ")"


def _duckdb_source(source) -> str:
    paths = _paths(source)
    suffixes = {Path(p.replace("*", "x")).suffix.lower() for p in paths}
    if suffixes <= {".parquet", ".pq"}:
        return f"read_parquet({paths!r})"
    return f"read_csv({paths!r}, all_varchar = true, header = true)"


def _duckdb_counts(source, by, rating, weight, satisfied, scale, name):
    """Two scans, each as cheap as a bare GROUP BY: labels first, then counts per group.

    Pass 1 counts rows per distinct raw label (a handful), which are normalized in
    pandas; pass 2 counts valid and satisfied rows per group with the label lists
    written into the query, so the per-group work stays inside DuckDB.
    """
    import duckdb

    table = _duckdb_source(source)
    label = f"CAST({_quote(rating)} AS VARCHAR)"
    with duckdb.connect() as connection:
        labels = connection.execute(
            f"SELECT coalesce({label}, '') AS rating, count(*) AS rows FROM {table} GROUP BY ALL").df()
        info, chosen = _classify(labels["rating"], scale)
        merged = labels.merge(info, on="rating", how="left", validate="one_to_one")
        excluded_rows = merged.loc[merged["reason"] != ""]
        _raise_on_unknown(excluded_rows, name)
        kept = merged.loc[merged["reason"] == ""].copy()
        kept["satisfied"] = scales.satisfied_mask(kept, satisfied).to_numpy()
        valid = _sql_text_list(kept["rating"]) if len(kept) else "(NULL)"
        happy = _sql_text_list(kept.loc[kept["satisfied"], "rating"]) if kept["satisfied"].any() else "(NULL)"
        groups = ", ".join(f"CAST({_quote(c)} AS VARCHAR) AS {_quote(c)}" for c in by)
        is_valid, is_happy = f"{label} IN {valid}", f"{label} IN {happy}"
        sums = ""
        if weight is not None:
            w = f"TRY_CAST({_quote(weight)} AS DOUBLE)"
            sums = (f", sum({w}) FILTER (WHERE {is_valid}) AS weight_sum"
                    f", sum({w}) FILTER (WHERE {is_happy}) AS satisfied_weight"
                    f", sum({w} * {w}) FILTER (WHERE {is_valid}) AS weight_sq_sum"
                    f", count(*) FILTER (WHERE {is_valid} AND ({w} IS NULL OR NOT isfinite({w}) "
                    f"OR {w} <= 0)) AS bad_weights")
        counts = connection.execute(
            f"SELECT {groups}, count(*) FILTER (WHERE {is_valid}) AS n, "
            f"count(*) FILTER (WHERE {is_happy}) AS satisfied{sums} "
            f"FROM {table} GROUP BY ALL HAVING count(*) FILTER (WHERE {is_valid}) > 0").df()
    if weight is not None:
        bad = int(counts.pop("bad_weights").sum())
        if bad:
            raise ValueError(f"{name}: {bad} row(s) have an empty, non-numeric, zero or negative "
                             "weight; run `survey-analysis validate` on the file to see the lines")
        counts["satisfied_weight"] = counts["satisfied_weight"].fillna(0.0)
    counts[["n", "satisfied"]] = counts[["n", "satisfied"]].astype("int64")
    counts = _as_text_groups(counts, by).sort_values(list(by), kind="stable").reset_index(drop=True)
    report = CountsReport(source=name, engine="duckdb", scale=chosen,
                          rows_read=int(labels["rows"].sum()), rows_kept=int(counts["n"].sum()),
                          excluded=_excluded_by_reason(excluded_rows))
    return counts, report


def _dask_label_counts(source, by, rating, weight) -> pd.DataFrame:
    import dask.dataframe as dd

    frame = source if is_dask_frame(source) else dd.read_parquet(_paths(source)[0]
                                                                if not isinstance(source, (list, tuple))
                                                                else list(map(str, source)))
    columns = list(by) + [rating] + ([weight] if weight is not None else [])
    frame = frame[columns]
    frame = frame.assign(**{rating: frame[rating].astype(str).str.strip()
                            .where(frame[rating].notnull(), "")})
    frame = frame.assign(rows=1)
    if weight is not None:
        w = dd.to_numeric(frame[weight], errors="coerce")
        frame = frame.assign(weight_sum=w, weight_sq_sum=w * w,
                             bad_weights=(w.isnull() | (w <= 0)).astype("int64"))
        frame = frame.drop(columns=[weight])
    table = frame.groupby(list(by) + [rating], observed=True).sum().compute().reset_index()
    for column in by:
        table[column] = table[column].astype(str)
    return table.rename(columns={rating: "rating"})


def _pandas_label_counts(frame: pd.DataFrame, by, rating, weight) -> pd.DataFrame:
    data = frame[list(by)].astype(str)
    data["rating"] = frame[rating].astype("string").str.strip().fillna("")
    data["rows"] = 1
    if weight is not None:
        w = pd.to_numeric(frame[weight], errors="coerce")
        data["weight_sum"], data["weight_sq_sum"] = w, w * w
        data["bad_weights"] = (w.isna() | (w <= 0)).astype("int64")
    return data.groupby(list(by) + ["rating"], sort=False, observed=True).sum().reset_index()


def label_counts(source, by=("item_id",), rating: str = "rating", weight: str | None = None,
                 engine: str = "auto") -> pd.DataFrame:
    """Rows per (group, raw answer label), counted by the chosen engine.

    Parameters
    ----------
    source : path, list of paths, glob, folder, Dask DataFrame or pandas DataFrame
        Long-format responses (one row per respondent x item).
    by : sequence of str
        Grouping columns (e.g. item and stratum).
    rating : str
        Column with the answers as written.
    weight : str, optional
        Weight column: weight sums are added.
    engine : {"auto", "pandas", "duckdb", "dask"}
        ``"auto"``: Dask for a Dask DataFrame, pandas for a pandas DataFrame,
        DuckDB for files.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns (as text), ``rating`` (the label as written, trimmed;
        ``""`` when missing), ``rows``; with ``weight`` also ``weight_sum``,
        ``weight_sq_sum`` and ``bad_weights`` (rows with a missing, non-numeric,
        zero or negative weight).
    """
    check_choice("engine", engine, ENGINES)
    by = [by] if isinstance(by, str) else list(by)
    if engine == "auto":
        engine = ("dask" if is_dask_frame(source) else
                  "pandas" if isinstance(source, pd.DataFrame) else "duckdb")
    if engine == "pandas":
        if not isinstance(source, pd.DataFrame):
            raise ValueError("engine='pandas' needs a pandas DataFrame; use load_responses() for files")
        return _pandas_label_counts(source, by, rating, weight)
    if engine == "dask":
        return _dask_label_counts(source, by, rating, weight)
    import duckdb

    groups = ", ".join(f"CAST({_quote(c)} AS VARCHAR) AS {_quote(c)}" for c in by)
    with duckdb.connect() as connection:
        return connection.execute(
            f"SELECT {groups}, coalesce(CAST({_quote(rating)} AS VARCHAR), '') AS rating, "
            f"count(*) AS rows FROM {_duckdb_source(source)} GROUP BY ALL").df()


def _as_text_groups(counts: pd.DataFrame, by) -> pd.DataFrame:
    """Group columns as the loader's ``string`` dtype, so engines and pandas agree exactly."""
    return counts.astype({column: "string" for column in by})


def _classify(labels: pd.Series, scale) -> tuple[pd.DataFrame, int | None]:
    """Normalize each distinct label once: its exclusion reason ('' if kept), scale and rank."""
    labels = labels.reset_index(drop=True)
    normalized = scales.normalize_text(labels)
    tokens = scales.classify_labels(normalized)
    chosen = scales.detect_scale(tokens, normalized) if scale == "auto" else scale
    ranks = (scales.rank_on_scale(tokens, chosen) if chosen
             else pd.Series(pd.NA, index=tokens.index, dtype="Int8"))
    empty = normalized.fillna("").eq("").to_numpy()
    reason = np.where(empty, "missing_rating",
                      np.where(tokens.fillna("").eq("DK").to_numpy(), "dont_know",
                               np.where(ranks.isna().to_numpy(), "unknown_label", "")))
    info = pd.DataFrame({"rating": labels, "reason": reason, "scale": chosen or 0,
                         "rank": ranks.fillna(0).astype("int64")})
    return info, chosen


def _raise_on_unknown(excluded_rows: pd.DataFrame, source: str) -> None:
    unknown = excluded_rows.loc[excluded_rows["reason"] == "unknown_label"]
    if len(unknown):
        counts = unknown.groupby("rating")["rows"].sum().astype(int).sort_index()
        listing = "; ".join(f"{label!r} x{count}" for label, count in counts.items())
        raise ValueError(f"{source}: unknown rating labels: {listing}; run `survey-analysis "
                         "validate` on the file to see their lines")


def _excluded_by_reason(excluded_rows: pd.DataFrame) -> dict:
    totals = excluded_rows.groupby("reason")["rows"].sum()
    return {reason: int(totals[reason]) for reason in _REASONS if reason in totals.index}


def counts_from_label_counts(table: pd.DataFrame, by=("item_id",), satisfied="top_two_box",
                             scale="auto", source: str = "", engine: str = "") -> tuple[pd.DataFrame, CountsReport]:
    """Turn rows per (group, label) into satisfied and valid counts per group.

    Labels are normalized exactly as :func:`~survey_analysis.load_responses` does,
    but once per distinct label. Unknown labels raise ``ValueError`` listing each
    label with its number of rows.

    Returns
    -------
    (pandas.DataFrame, CountsReport)
        Counts per group (sorted): the ``by`` columns, ``n``, ``satisfied``; with
        weights also ``weight_sum``, ``satisfied_weight`` and ``weight_sq_sum``.
    """
    by = [by] if isinstance(by, str) else list(by)
    weighted = "weight_sum" in table.columns
    if weighted and int(table["bad_weights"].sum()):
        raise ValueError(f"{source}: {int(table['bad_weights'].sum())} row(s) have an empty, "
                         "non-numeric, zero or negative weight; run `survey-analysis validate` "
                         "on the file to see the lines")
    label_info, chosen = _classify(pd.Series(pd.unique(table["rating"].astype(str))), scale)
    merged = table.merge(label_info, on="rating", how="left", validate="many_to_one")
    excluded_rows = merged.loc[merged["reason"] != ""]
    _raise_on_unknown(excluded_rows, source)
    kept = merged.loc[merged["reason"] == ""].copy()
    kept["satisfied"] = scales.satisfied_mask(kept, satisfied).to_numpy()
    kept["n"] = kept["rows"]
    kept["satisfied_rows"] = np.where(kept["satisfied"], kept["rows"], 0)
    aggregations = {"n": ("n", "sum"), "satisfied": ("satisfied_rows", "sum")}
    if weighted:
        kept["satisfied_weight"] = np.where(kept["satisfied"], kept["weight_sum"], 0.0)
        aggregations.update(weight_sum=("weight_sum", "sum"), satisfied_weight=("satisfied_weight", "sum"),
                            weight_sq_sum=("weight_sq_sum", "sum"))
    counts = kept.groupby(by, sort=True, observed=True).agg(**aggregations).reset_index()
    counts[["n", "satisfied"]] = counts[["n", "satisfied"]].astype("int64")
    counts = _as_text_groups(counts, by)
    excluded = _excluded_by_reason(excluded_rows)
    report = CountsReport(source=source, engine=engine, scale=chosen, rows_read=int(table["rows"].sum()),
                          rows_kept=int(counts["n"].sum()), excluded=excluded)
    return counts, report


def source_counts(source, by=("item_id",), satisfied="top_two_box", rating: str = "rating",
                  weight: str | None = None, engine: str = "auto", scale="auto"):
    """Counts per group straight from a file, dataset or Dask DataFrame.

    Returns
    -------
    (pandas.DataFrame, CountsReport)
        See :func:`counts_from_label_counts`.
    """
    by = [by] if isinstance(by, str) else list(by)
    chosen_engine = engine
    if engine == "auto":
        chosen_engine = "dask" if is_dask_frame(source) else (
            "pandas" if isinstance(source, pd.DataFrame) else "duckdb")
    name = "<Dask DataFrame>" if is_dask_frame(source) else (
        "<DataFrame>" if isinstance(source, pd.DataFrame) else str(source))
    check_choice("engine", chosen_engine, ENGINES[1:])
    if chosen_engine == "duckdb":
        return _duckdb_counts(source, by, rating, weight, satisfied, scale, name)
    table = label_counts(source, by=by, rating=rating, weight=weight, engine=chosen_engine)
    return counts_from_label_counts(table, by=by, satisfied=satisfied, scale=scale, source=name,
                                    engine=chosen_engine)
