"""Counting engines for large data: DuckDB over files, Dask over partitioned datasets.

The estimators only need counts (DESIGN.md), so a big file never has to be loaded
into pandas row by row. Every engine computes the same small table in one scan --
rows per (group, raw answer label), with weight sums -- and the scales of
:mod:`survey_analysis.load.scales` then read that table, which has only a few rows
per group: each distinct (item, label) is normalized and placed on its scale once.

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

What the engines count is what :func:`~survey_analysis.load_responses` keeps, by
reason (empty answers, "don't know", unknown labels), but per reason only: the lines
of excluded rows, totals rows and duplicate answers are the loader's business (run
``survey-analysis validate FILE``).

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
from ..load.options import hint
from ..load.report import WARN_SHARE, exclusion_warnings

__all__ = ["ENGINES", "CountsReport", "aggregate_cells", "is_dask_frame", "label_counts",
           "level_counts_from_labels", "source_columns", "source_level_counts"]

ENGINES = ("auto", "pandas", "duckdb", "dask")
_REASONS = ("missing_rating", "dont_know", "unknown_label")


@dataclass(frozen=True, eq=False)
class CountsReport:
    """Ledger of a file counted by an engine: rows read = rows kept + rows excluded.

    Unlike :class:`~survey_analysis.LoadReport` it holds counts per reason, not the
    line of every excluded row (run ``survey-analysis validate FILE`` on a file for
    that). ``unknown_labels`` maps each unknown label to its number of rows.
    :attr:`not_checked` says which of the loader's rules a counting engine does not
    apply, and the report prints it.
    """

    source: str
    engine: str
    scale: str | None
    rows_read: int
    rows_kept: int
    excluded: dict = field(default_factory=dict)
    unknown_labels: dict = field(default_factory=dict)
    scales: dict = field(default_factory=dict, repr=False)
    item_scales: dict = field(default_factory=dict, repr=False)
    scale_how: str = ""
    warn_share: float = WARN_SHARE
    #: Reasons that never warn here (a totals row is expected in a published table).
    quiet_reasons: tuple = ()

    def __post_init__(self):
        if self.rows_read != self.rows_kept + sum(self.excluded.values()):
            raise RuntimeError(f"counts ledger does not balance for {self.source}: read "
                               f"{self.rows_read}, kept {self.rows_kept}, excluded {self.excluded}")

    def __deepcopy__(self, memo):  # immutable; travels in DataFrame.attrs
        return self

    @property
    def not_checked(self) -> str:
        """The loader's rules this count did not apply (empty for a table of counts)."""
        if self.engine not in ENGINES:
            return ""
        return ("not checked by this one-scan count: repeated answers of one respondent, totals "
                "rows (合计) and header rows inside the data; `survey-analysis validate FILE` "
                "applies every rule with line numbers")

    @property
    def rows_excluded(self) -> int:
        """Number of excluded rows."""
        return int(sum(self.excluded.values()))

    @property
    def warnings(self) -> tuple:
        """Exclusions that remove a large share of the answers (see ``LoadReport.warnings``)."""
        loud = {reason: rows for reason, rows in self.excluded.items() if reason not in self.quiet_reasons}
        return exclusion_warnings(loud, self.rows_read, self.warn_share)

    def excluded_by_reason(self) -> pd.Series:
        """Count of excluded rows per reason."""
        return pd.Series(self.excluded, dtype="int64", name="rows").rename_axis("reason").sort_index()

    def to_frame(self) -> pd.DataFrame:
        """Columns ``category`` and ``rows``: read, kept, and ``excluded: <reason>``."""
        rows = [("read", self.rows_read), ("kept", self.rows_kept)]
        rows += [(f"excluded: {reason}", count) for reason, count in sorted(self.excluded.items())]
        return pd.DataFrame(rows, columns=["category", "rows"])

    def __str__(self) -> str:
        names = ", ".join(self.scales) or "none"
        lines = [f"WARNING: {w}" for w in self.warnings]
        lines += [f"Counts report for {self.source} (engine {self.engine})",
                  f"  scale: {names}" + (f" ({self.scale_how})" if self.scale_how else "")]
        table = self.to_frame()
        width = max(28, *(len(c) for c in table["category"]))
        lines += [f"  {category:<{width}} {rows:>12}" for category, rows in table.itertuples(index=False)]
        if self.not_checked:
            lines.append(f"  {self.not_checked}")
        return "\n".join(lines)


def is_dask_frame(source) -> bool:
    """True for a Dask DataFrame (checked without importing Dask)."""
    return type(source).__module__.split(".")[0] in ("dask", "dask_expr")


def _folder_pattern(folder: Path) -> str:
    """Glob for the response files in a folder: Parquet if it holds any, else CSV."""
    for suffix in ("parquet", "pq", "csv"):
        if next(folder.rglob(f"*.{suffix}"), None) is not None:
            return str(folder / "**" / f"*.{suffix}")
    raise FileNotFoundError(f"folder {folder} holds no .parquet, .pq or .csv response files; "
                            "pass a file, or a folder of Parquet or CSV files")


def _paths(source) -> list[str]:
    items = source if isinstance(source, (list, tuple)) else [source]
    out = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            out.append(_folder_pattern(path))
        else:
            if "*" not in str(item) and not path.exists():
                raise FileNotFoundError(f"response file not found: {item}")
            out.append(str(item))
    return out


def _connect():
    """A DuckDB connection; its progress bar on for long scans when a person is watching
    (stderr is a terminal) and off otherwise, so logs and pipes get no bar (in Jupyter
    without ipywidgets DuckDB refuses the change, and the setting stays as it is)."""
    import sys

    try:
        import duckdb
    except ImportError:
        raise ValueError("counting a Parquet file, a folder or a glob needs DuckDB: "
                         "pip install 'survey_analysis[duckdb]' (or read a CSV / Excel sheet with "
                         "sa.load_responses)") from None
    connection = duckdb.connect()
    try:
        connection.execute(f"SET enable_progress_bar = {str(sys.stderr.isatty()).lower()}")
    except duckdb.Error:  # Jupyter without ipywidgets refuses any change: leave it as it is
        pass
    return connection


def source_columns(source) -> list[str]:
    """Column names of a file or dataset from its first file's header or Parquet schema (no
    rows are read)."""
    first = _paths(source)[0]
    if "*" in first:
        import glob

        matches = sorted(glob.glob(first, recursive=True))
        if not matches:
            raise FileNotFoundError(f"no file matches {first}")
        first = matches[0]
    if Path(first).suffix.lower() in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        return list(pq.read_schema(first).names)
    import csv

    with open(first, encoding="utf-8-sig", newline="") as handle:
        return [name.strip() for name in next(csv.reader(handle), [])]


def _quote(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _duckdb_source(source) -> str:
    paths = _paths(source)
    suffixes = {Path(p.replace("*", "x")).suffix.lower() for p in paths}
    if suffixes <= {".parquet", ".pq"}:
        return f"read_parquet({paths!r})"
    return f"read_csv({paths!r}, all_varchar = true, header = true)"


def _duckdb_select_parts(by, rating, weight) -> tuple[str, str, str]:
    """SQL of the grouping columns (as text), the raw label and the weight sums of a
    label-count query."""
    groups = ", ".join(f"CAST({_quote(c)} AS VARCHAR) AS {_quote(c)}" for c in by)
    # Labels as written (whitespace included): they are normalized per distinct label later.
    label = f"coalesce(CAST({_quote(rating)} AS VARCHAR), '')"
    sums = ""
    if weight is not None:
        w = f"TRY_CAST({_quote(weight)} AS DOUBLE)"
        sums = (f", sum({w}) AS weight_sum, sum({w} * {w}) AS weight_sq_sum, "
                f"count(*) FILTER (WHERE {w} = 0) AS zero_weight, "
                f"count(*) FILTER (WHERE {w} IS NULL OR NOT isfinite({w}) OR {w} < 0) AS bad_weights")
    return groups, label, sums


def _duckdb_label_counts(source, by, rating, weight) -> pd.DataFrame:
    """One scan: rows (and weight sums) per group and raw label, inside DuckDB."""
    groups, label, sums = _duckdb_select_parts(by, rating, weight)
    with _connect() as connection:
        relation = connection.sql(
            f"SELECT {groups}{', ' if groups else ''}{label} AS rating, count(*) AS rows{sums} "
            f"FROM {_duckdb_source(source)} GROUP BY ALL")
        # Through Arrow: strings cross into pandas without a Python object per cell.
        arrow = relation.to_arrow_table() if hasattr(relation, "to_arrow_table") else relation.arrow()
        return arrow.to_pandas()


def _dask_label_counts(source, by, rating, weight) -> pd.DataFrame:
    import dask.dataframe as dd

    frame = source if is_dask_frame(source) else dd.read_parquet(
        _paths(source)[0] if not isinstance(source, (list, tuple)) else list(map(str, source)))
    columns = list(by) + [rating] + ([weight] if weight is not None else [])
    frame = frame[columns]
    frame = frame.assign(**{rating: frame[rating].astype(str).str.strip()
                            .where(frame[rating].notnull(), "")})
    frame = frame.assign(rows=1)
    if weight is not None:
        w = dd.to_numeric(frame[weight], errors="coerce")
        frame = frame.assign(weight_sum=w, weight_sq_sum=w * w, zero_weight=(w == 0).astype("int64"),
                             bad_weights=(w.isnull() | (w < 0)).astype("int64"))
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
        data["zero_weight"] = (w == 0).astype("int64")
        data["bad_weights"] = (w.isna() | (w < 0)).astype("int64")
    return data.groupby(list(by) + ["rating"], sort=False, observed=True).sum().reset_index()


def _choose_engine(source, engine: str) -> str:
    check_choice("engine", engine, ENGINES)
    if engine != "auto":
        return engine
    return "dask" if is_dask_frame(source) else "pandas" if isinstance(source, pd.DataFrame) else "duckdb"


def label_counts(source, by=("item_id",), rating: str = "rating", weight: str | None = None,
                 engine: str = "auto") -> pd.DataFrame:
    """Rows per (group, raw answer label), counted by the chosen engine in one scan.

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
        ``weight_sq_sum``, ``zero_weight`` (rows of weight 0: they stay, as in R, but
        leave Kish's n and the degrees of freedom) and ``bad_weights`` (rows with a
        missing, non-numeric or negative weight).
    """
    by = [by] if isinstance(by, str) else list(by)
    engine = _choose_engine(source, engine)
    if engine == "pandas":
        if not isinstance(source, pd.DataFrame):
            raise ValueError("engine='pandas' needs a pandas DataFrame; use load_responses() for files")
        return _pandas_label_counts(source, by, rating, weight)
    if engine == "dask":
        return _dask_label_counts(source, by, rating, weight)
    return _duckdb_label_counts(source, by, rating, weight)


# Largest number of key x scale x rank cells summed with np.bincount (arrays of this length).
_DENSE_CELLS = 20_000_000


def aggregate_cells(keys: list, scale_names: np.ndarray, ranks: np.ndarray, values: dict) -> pd.DataFrame:
    """Sum ``values`` (arrays: ``n``, and ``w`` / ``w2``) per key x scale x rank cell.

    ``keys`` are Series (their names become the columns), ``scale_names`` one scale name per
    row (or a Categorical of them), ``ranks`` the levels' ranks; a value given as None
    counts one per row. Each key is factorized once (sorted, so cells come out
    sorted as a pandas groupby would give them) and the codes are combined into one integer
    per cell; ``np.bincount`` then sums each column in one pass. Written by hand because a
    multi-column pandas groupby builds the same codes and then sums far more slowly; above
    :data:`_DENSE_CELLS` cells (a product of the key sizes) the pandas groupby is used.

    Returns
    -------
    pandas.DataFrame
        The key columns, ``scale`` (string), ``rank`` (int8) and the summed values (``n``
        as int64), one row per non-empty cell.
    """
    names = [str(k.name) for k in keys]
    columns, sizes, levels = [], [], []
    for key in keys:
        codes, uniques = pd.factorize(key, sort=True, use_na_sentinel=True)
        if (codes < 0).any():
            raise ValueError(f"column {key.name!r} has empty values: every answer needs its {key.name}")
        columns.append(codes)
        sizes.append(len(uniques))
        levels.append(uniques)
    if isinstance(scale_names, pd.Categorical):  # a few names: their codes, no string work
        order = np.argsort(np.asarray(scale_names.categories, dtype=object))
        position = np.empty(len(order), dtype=np.int64)
        position[order] = np.arange(len(order))
        scale_codes = position[scale_names.codes]
        scale_values = np.asarray(scale_names.categories, dtype=object)[order]
    else:
        scale_codes, scale_values = pd.factorize(np.asarray(scale_names, dtype=object), sort=True)
    ranks = np.asarray(ranks, dtype=np.int64)
    columns += [scale_codes, ranks]
    sizes += [max(len(scale_values), 1), int(ranks.max()) + 1 if len(ranks) else 1]
    cells = float(np.prod(sizes, dtype=float))
    if len(ranks) and cells <= _DENSE_CELLS:
        combined = np.ravel_multi_index(columns, sizes)
        count = np.bincount(combined, minlength=int(cells))
        present = np.flatnonzero(count)
        parts = np.unravel_index(present, sizes)
        out = pd.DataFrame({name: levels[i].take(parts[i]) for i, name in enumerate(names)})
        out["scale"] = pd.Categorical.from_codes(parts[-2], categories=list(scale_values))
        out["rank"] = parts[-1].astype("int8")
        for name, array in values.items():
            sums = count[present] if array is None else \
                np.bincount(combined, weights=array, minlength=int(cells))[present]
            out[name] = sums.astype(np.int64) if name == "n" else sums
        return out
    frame = pd.DataFrame({name: np.ones(len(ranks), dtype=np.int64) if array is None else array
                          for name, array in values.items()})
    by = [pd.Series(np.asarray(k), name=n) for k, n in zip(keys, names)] + [
        pd.Series(np.asarray(scale_names, dtype=object), name="scale"), pd.Series(ranks, name="rank")]
    out = frame.groupby(by, sort=True, observed=True).sum().reset_index()
    out["scale"] = pd.Categorical(out["scale"].astype(str), categories=sorted(set(out["scale"].astype(str))))
    out["rank"] = out["rank"].astype("int8")
    out["n"] = out["n"].astype("int64")
    return out


def _normalized_labels(raw: pd.Series, labels) -> pd.Series:
    """Each distinct raw label normalized once, with ``labels=`` meanings applied."""
    normalized = scales.normalize_text(raw.astype("string")).astype(object).fillna("")
    if labels:
        keys = scales.normalize_text(pd.Series([str(k) for k in labels], dtype="string"))
        mapped = normalized.map(dict(zip(keys, (str(v).strip() for v in labels.values()))))
        where = mapped.notna().to_numpy()
        if where.any():
            normalized[where] = scales.normalize_text(mapped[where].astype("string")).to_numpy(dtype=object)
    return normalized


def _reasons(readings: pd.DataFrame, choice) -> pd.DataFrame:
    """Add ``reason`` ('' when kept) and ``rank`` to readings with ``label``, ``scale``, ``level``."""
    level = readings["level"].astype("string")
    readings["reason"] = np.where(readings["label"] == "", "missing_rating",
                                  np.where(level.eq(scales.DONT_KNOW).fillna(False), "dont_know",
                                           np.where(level.isna(), "unknown_label", "")))
    rank = np.zeros(len(readings), dtype=np.int8)
    for name, scale_obj in choice.scales.items():
        found = ((readings["scale"] == name) & (readings["reason"] == "")).to_numpy(dtype=bool)
        rank[found] = level[found].map({lv: i for i, lv in enumerate(scale_obj.levels, 1)}).to_numpy(dtype=np.int8)
    readings["rank"] = rank
    return readings


def _uniform_readings(raw: pd.Series, normalized: pd.Series, choice) -> pd.DataFrame:
    """One reading per distinct raw label, on the sheet's one scale (or none)."""
    readings = pd.DataFrame({"rating": raw.to_numpy(dtype=object), "label": normalized.to_numpy(dtype=object)})
    if choice.uniform is not None:
        readings["level"] = choice.uniform.read(readings["label"].astype("string"),
                                                codes=choice.uniform_codes).to_numpy(dtype=object)
        readings["scale"] = choice.uniform.name
    else:
        readings["level"] = readings["label"].map(scales.common_dont_know()).to_numpy(dtype=object)
        readings["scale"] = ""
    return _reasons(readings, choice)


def _raise_on_unknown(readings: pd.DataFrame, rows: pd.Series, choice, source: str) -> None:
    unknown = readings["reason"].to_numpy() == "unknown_label"
    if unknown.any():
        counts = pd.Series(rows.to_numpy()[unknown], index=readings["rating"].to_numpy()[unknown])
        counts = counts.groupby(level=0).sum().astype(int).sort_index()
        listing = "; ".join(f"{label!r} x{count}" for label, count in counts.items())
        names = ", ".join(choice.scales) or "none"
        raise ValueError(f"{source}: unknown rating labels (scale {names}): {listing}; say what "
                         f"they mean with {hint('labels', {'LABEL': 'LEVEL'})} or choose the scale "
                         f"with {hint('scale', 'NAME')}; `survey-analysis validate` shows their lines")


def _choose(normalized: pd.Series, scale, source: str, per_item):
    """The sheet's one scale, or (``per_item()`` giving item -> labels) one per item."""
    try:
        choice = scales.sheet_scale({v for v in normalized if v}, scale)
        return choice if choice is not None else scales.choose_scales(per_item(), scale)
    except scales.ScaleDetectionError as error:
        raise ValueError(f"{source}: {error}") from None


def _report(counts, excluded: dict, rows_read: int, choice, item: str, source: str, engine: str,
            warn_share: float) -> CountsReport:
    used = sorted(str(s) for s in pd.unique(counts["scale"]))
    return CountsReport(
        source=source, engine=engine, scale=used[0] if len(used) == 1 else None,
        rows_read=int(rows_read), rows_kept=int(counts["n"].sum()), excluded=excluded,
        scales={name: choice.scales[name] for name in used},
        item_scales=(dict.fromkeys(pd.unique(counts[item]).tolist(), used[0])
                     if choice.uniform is not None and used
                     else {i: s.name for i, s in choice.by_item.items() if s.name in used}),
        scale_how=choice.how, warn_share=warn_share)


def level_counts_from_labels(table: pd.DataFrame, keys, item: str = "item_id", scale="auto",
                             labels=None, source: str = "", engine: str = "",
                             warn_share: float = WARN_SHARE):
    """Place rows per (group, raw label) on their scales: counts per group x level.

    Labels are read exactly as :func:`~survey_analysis.load_responses` reads them
    (the same scales, detection and ``labels=``), but once per distinct label (per
    distinct item x label when items have scales of their own). Unknown labels raise
    ``ValueError`` listing each label with its number of rows.

    Returns
    -------
    (pandas.DataFrame, CountsReport)
        One row per group and level: the ``keys`` columns (text), ``scale``,
        ``rank``, ``n``; with weights also ``w``, ``w2`` (sums of weights and of
        squared weights) and ``zero_weight`` (rows of weight 0).
    """
    keys = [keys] if isinstance(keys, str) else list(keys)
    weighted = "weight_sum" in table.columns
    if weighted and int(table["bad_weights"].sum()):
        raise ValueError(f"{source}: {int(table['bad_weights'].sum())} row(s) have an empty, "
                         "non-numeric or negative weight; run `survey-analysis validate` "
                         "on the file to see the lines")
    # Rows find their label's reading through the factorization codes, not a merge.
    label_codes, uniques = pd.factorize(table["rating"], use_na_sentinel=False)
    raw = pd.Series(np.asarray(uniques, dtype=object), dtype=object)
    normalized = _normalized_labels(raw, labels)
    label_of = dict(zip(raw, normalized))

    def per_item():
        pairs = table[[item, "rating"]].drop_duplicates()
        pairs = pairs.assign(label=pairs["rating"].map(label_of))
        return pairs.loc[pairs["label"] != ""].groupby(item, sort=False)["label"].agg(set).to_dict()

    choice = _choose(normalized, scale, source, per_item)
    if choice.uniform is not None or not choice.by_item:
        readings = _uniform_readings(raw, normalized, choice)
        scale_index, scale_names = pd.factorize(readings["scale"].astype(str))
        merged = table.assign(
            scale=pd.Categorical.from_codes(scale_index[label_codes], categories=list(scale_names)),
            rank=readings["rank"].to_numpy()[label_codes], reason=readings["reason"].to_numpy()[label_codes])
    else:  # items on scales of their own: one reading per distinct item x label
        pairs = table[[item, "rating"]].drop_duplicates().reset_index(drop=True)
        pairs["label"] = pairs["rating"].map(label_of)
        pairs["scale"], pairs["level"] = "", None
        reading = pairs[item].map({i: (s.name, choice.reads_codes(i)) for i, s in choice.by_item.items()})
        reading = reading.where(reading.notna(), ("", False))
        for (name, reads_codes), where in pairs.groupby(reading, sort=False).groups.items():
            text = pairs.loc[where, "label"].astype("string")
            if name:
                pairs.loc[where, "level"] = choice.scales[name].read(text, codes=reads_codes).to_numpy(dtype=object)
                pairs.loc[where, "scale"] = name
            else:
                pairs.loc[where, "level"] = text.map(scales.common_dont_know()).to_numpy(dtype=object)
        readings = _reasons(pairs, choice)
        merged = table.merge(readings[[item, "rating", "scale", "rank", "reason"]], on=[item, "rating"],
                             how="left", validate="many_to_one")
    excluded_rows = merged.loc[merged["reason"] != ""]
    _raise_on_unknown(excluded_rows[["rating", "reason"]], excluded_rows["rows"], choice, source)
    kept = merged.loc[merged["reason"] == ""]
    values = {"n": kept["rows"].to_numpy(dtype=np.int64)}
    if weighted:
        values.update(w=kept["weight_sum"].to_numpy(dtype=float),
                      w2=kept["weight_sq_sum"].to_numpy(dtype=float),
                      zero_weight=kept["zero_weight"].to_numpy(dtype=float))
    scale_column = kept["scale"]
    scale_column = scale_column.array if isinstance(scale_column.dtype, pd.CategoricalDtype) else \
        pd.Categorical(scale_column.astype(str))
    counts = aggregate_cells([kept[c] for c in keys], scale_column, kept["rank"].to_numpy(dtype=np.int64),
                             values)
    counts = counts.astype({column: "string" for column in keys})
    totals = excluded_rows.groupby("reason")["rows"].sum()
    excluded = {reason: int(totals[reason]) for reason in _REASONS if reason in totals.index}
    return counts, _report(counts, excluded, table["rows"].sum(), choice, item, source, engine,
                           warn_share)


def _duckdb_level_counts(source, keys, item, rating, weight, scale, labels, name, warn_share):
    """Level counts of a file in one scan, the second aggregation inside DuckDB as well.

    The scan groups rows by key and raw label into a temporary table; the distinct labels
    (a handful) are read in pandas; their readings join that table inside DuckDB, which
    sums per key x scale x rank. Only the level counts cross into pandas (through Arrow).
    When items have scales of their own the grouped table goes to
    :func:`level_counts_from_labels` instead.
    """
    groups, label, sums = _duckdb_select_parts(keys, rating, weight)

    def frame(relation) -> pd.DataFrame:
        # Through Arrow: strings cross into pandas without a Python object per cell.
        arrow = relation.to_arrow_table() if hasattr(relation, "to_arrow_table") else relation.arrow()
        return arrow.to_pandas()

    with _connect() as connection:
        connection.execute(f"CREATE TEMP TABLE lc AS SELECT {groups}, {label} AS rating, count(*) AS rows"
                           f"{sums} FROM {_duckdb_source(source)} GROUP BY ALL")
        distinct = frame(connection.sql("SELECT rating, sum(rows)::BIGINT AS rows FROM lc GROUP BY rating"))
        normalized = _normalized_labels(distinct["rating"], labels)
        try:
            uniform = scales.sheet_scale({v for v in normalized if v}, scale)
        except scales.ScaleDetectionError as error:
            raise ValueError(f"{name}: {error}") from None
        if uniform is None:  # items on scales of their own (or an error to name): the general path
            table = frame(connection.sql("SELECT * FROM lc")).astype({c: "string" for c in keys})
            return level_counts_from_labels(table, keys, item=item, scale=scale, labels=labels,
                                            source=name, engine="duckdb", warn_share=warn_share)
        if weight is not None:
            bad = int(connection.sql("SELECT coalesce(sum(bad_weights), 0) FROM lc").fetchall()[0][0])
            if bad:
                raise ValueError(f"{name}: {bad} row(s) have an empty, non-numeric or negative "
                                 "weight; run `survey-analysis validate` on the file to see the lines")
        readings = _uniform_readings(distinct["rating"], normalized, uniform)
        _raise_on_unknown(readings, distinct["rows"], uniform, name)
        connection.register("readings", readings[["rating", "scale", "rank", "reason"]])
        key_list = ", ".join(f"lc.{_quote(c)}" for c in keys)
        weight_sums = (", sum(lc.weight_sum) AS w, sum(lc.weight_sq_sum) AS w2, "
                       "sum(lc.zero_weight)::DOUBLE AS zero_weight") if weight is not None else ""
        counts = frame(connection.sql(
            f"SELECT {key_list}, r.scale, r.rank::TINYINT AS rank, sum(lc.rows)::BIGINT AS n{weight_sums} "
            f"FROM lc JOIN readings r USING (rating) WHERE r.reason = '' "
            f"GROUP BY ALL ORDER BY {key_list}, r.scale, rank"))
    counts = counts.astype({c: "string" for c in keys})
    counts["scale"] = pd.Categorical(counts["scale"].astype(str))
    counts["rank"] = counts["rank"].astype("int8")
    counts["n"] = counts["n"].astype("int64")
    totals = readings.assign(rows=distinct["rows"].to_numpy()).loc[readings["reason"] != ""] \
        .groupby("reason")["rows"].sum()
    excluded = {reason: int(totals[reason]) for reason in _REASONS if reason in totals.index}
    return counts, _report(counts, excluded, distinct["rows"].sum(), uniform, item, name, "duckdb",
                           warn_share)


def source_level_counts(source, keys=("item_id",), item: str = "item_id", rating: str = "rating",
                        weight: str | None = None, engine: str = "auto", scale="auto",
                        labels=None, warn_share: float = WARN_SHARE):
    """Counts per group x level straight from a file, dataset or Dask DataFrame (one scan).

    Returns
    -------
    (pandas.DataFrame, CountsReport)
        See :func:`level_counts_from_labels`.
    """
    keys = [keys] if isinstance(keys, str) else list(keys)
    if item not in keys:
        keys = [item, *keys]
    chosen = _choose_engine(source, engine)
    name = "<Dask DataFrame>" if is_dask_frame(source) else (
        "<DataFrame>" if isinstance(source, pd.DataFrame) else str(source))
    if chosen == "duckdb":
        return _duckdb_level_counts(source, keys, item, rating, weight, scale, labels, name, warn_share)
    table = label_counts(source, by=keys, rating=rating, weight=weight, engine=chosen)
    table = table.astype({column: "string" for column in keys})
    return level_counts_from_labels(table, keys, item=item, scale=scale, labels=labels, source=name,
                                    engine=chosen, warn_share=warn_share)
