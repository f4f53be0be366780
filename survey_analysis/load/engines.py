"""Counting engines for large data: DuckDB over files, Dask over partitioned datasets.

The estimators only need counts (DESIGN.md), so a big file never has to be loaded
into pandas row by row. Every engine computes the same small table in one scan --
rows per (group, raw answer label), with weight sums -- and the scales of
:mod:`survey_analysis.scales` then read that table, which has only a few rows
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

One ledger for every engine: the engines apply the rules of
:func:`~survey_analysis.load_responses` to long files and count what they exclude by
the loader's reasons, in its order -- totals rows (``summary_row``: 合计, Total ... in
the item or respondent cell or in the first non-empty cell that is not the rating,
decided by the loader's own :func:`~survey_analysis.load.header.is_summary` on each
distinct text), blank rows (``blank_row``), empty answers (``missing_rating``),
repeated answers of one respondent to one item (an error by default;
``duplicates="keep_first"`` keeps the first in file order and counts the others as
``duplicate``), "don't know" and unknown labels. On the same file they give the
loader's counts and ledger, per reason only: the lines of excluded rows are the
loader's business (run ``survey-analysis validate FILE``). What an engine cannot see
is said in :attr:`CountsReport.not_checked` (DuckDB skips a CSV line with nothing on
it, which the loader counts as a blank row).

DuckDB and Dask are optional extras (``pip install survey_analysis[duckdb]`` /
``[dask]``) and are imported only when used.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .._validation import check_choice
from ..words import Message
from ..scales.scale import DONT_KNOW, common_dont_know
from ..scales.text import normalize_text
from .detect import ScaleDetectionError, choose_scales, sheet_scale
from .header import is_summary
from .options import hint
from .read import PARQUET_SUFFIXES
from .report import WARN_SHARE, CountsReport, ResponseFileError

__all__ = ["DUPLICATES", "ENGINES", "CountsReport", "aggregate_cells", "check_columns",
           "is_dask_frame", "label_counts", "level_counts_from_labels", "source_columns",
           "source_level_counts"]

ENGINES = ("auto", "pandas", "duckdb", "dask")
#: What a counting engine does with two answers of one respondent to one item (as
#: ``load_responses(duplicates=...)``).
DUPLICATES = ("error", "keep_first")
# The loader's reasons, in the loader's order (load_responses, Notes).
_REASONS = ("summary_row", "blank_row", "missing_rating", "duplicate", "dont_know", "unknown_label")


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


def _is_parquet(path: str) -> bool:
    """A Parquet file (or a glob of them) by its suffix."""
    return Path(path.replace("*", "x")).suffix.lower() in PARQUET_SUFFIXES


def _files(source) -> list[str]:
    """Every file of ``source``, globs expanded (sorted); a glob that matches nothing is an error."""
    import glob

    files = []
    for pattern in _paths(source):
        matches = sorted(glob.glob(pattern, recursive=True)) if "*" in pattern else [pattern]
        if not matches:
            raise FileNotFoundError(f"no file matches {pattern}")
        files.extend(matches)
    return files


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
    first = _files(source)[0]
    if _is_parquet(first):
        import pyarrow.parquet as pq

        return list(pq.read_schema(first).names)
    import csv

    with open(first, encoding="utf-8-sig", newline="") as handle:
        return [name.strip() for name in next(csv.reader(handle), [])]


def _quote(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _duckdb_source(source) -> str:
    paths = _paths(source)
    if all(map(_is_parquet, paths)):
        return f"read_parquet({paths!r})"
    return f"read_csv({paths!r}, all_varchar = true, header = true)"


def _duckdb_select_parts(by, rating, weight) -> tuple[str, str, str]:
    """SQL of the grouping columns (as text), the raw label and the weight sums of a
    label-count query."""
    groups = ", ".join(f"CAST({_quote(c)} AS VARCHAR) AS {_quote(c)}" for c in by)
    # Labels as written (whitespace included): they are normalized per distinct label later.
    label = f"coalesce(CAST({_quote(rating)} AS VARCHAR), '')"
    sums = f", {_weight_sums(f'TRY_CAST({_quote(weight)} AS DOUBLE)')}" if weight is not None else ""
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
    wanted = [("by", c) for c in by] + [("rating", rating), ("weight", weight)]
    if engine == "dask":
        if is_dask_frame(source):
            check_columns([str(c) for c in source.columns], wanted, "<Dask DataFrame>")
        return _dask_label_counts(source, by, rating, weight)
    check_columns(source_columns(source), wanted, str(source))
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
    normalized = normalize_text(raw.astype("string")).astype(object).fillna("")
    if labels:
        keys = normalize_text(pd.Series([str(k) for k in labels], dtype="string"))
        mapped = normalized.map(dict(zip(keys, (str(v).strip() for v in labels.values()))))
        where = mapped.notna().to_numpy()
        if where.any():
            normalized[where] = normalize_text(mapped[where].astype("string")).to_numpy(dtype=object)
    return normalized


def _reasons(readings: pd.DataFrame, choice) -> pd.DataFrame:
    """Add ``reason`` ('' when kept) and ``rank`` to readings with ``label``, ``scale``, ``level``."""
    level = readings["level"].astype("string")
    readings["reason"] = np.where(readings["label"] == "", "missing_rating",
                                  np.where(level.eq(DONT_KNOW).fillna(False), "dont_know",
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
        readings["level"] = readings["label"].map(common_dont_know()).to_numpy(dtype=object)
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
        choice = sheet_scale({v for v in normalized if v}, scale)
        return choice if choice is not None else choose_scales(per_item(), scale)
    except ScaleDetectionError as error:
        raise ValueError(f"{source}: {error}") from None


def _report(counts, excluded: dict, rows_read: int, choice, item: str, source: str, engine: str,
            warn_share: float, unchecked: str = "") -> CountsReport:
    used = sorted(str(s) for s in pd.unique(counts["scale"]))
    return CountsReport(
        source=source, engine=engine, scale=used[0] if len(used) == 1 else None,
        rows_read=int(rows_read), rows_kept=int(counts["n"].sum()), excluded=excluded,
        scales={name: choice.scales[name] for name in used},
        item_scales=(dict.fromkeys(pd.unique(counts[item]).tolist(), used[0])
                     if choice.uniform is not None and used
                     else {i: s.name for i, s in choice.by_item.items() if s.name in used}),
        scale_how=choice.how, warn_share=warn_share, unchecked=unchecked)


def level_counts_from_labels(table: pd.DataFrame, keys, item: str = "item_id", scale="auto",
                             labels=None, source: str = "", engine: str = "",
                             warn_share: float = WARN_SHARE, unchecked: str = ""):
    """Place rows per (group, raw label) on their scales: counts per group x level.

    Labels are read exactly as :func:`~survey_analysis.load_responses` reads them
    (the same scales, detection and ``labels=``), but once per distinct label (per
    distinct item x label when items have scales of their own). Unknown labels raise
    ``ValueError`` listing each label with its number of rows. A column ``excluded_as``
    (the loader's reason, ``""`` for a row to read) excludes rows before their labels are
    read; a weight that is empty, non-numeric or negative on a counted row is an error.

    Returns
    -------
    (pandas.DataFrame, CountsReport)
        One row per group and level: the ``keys`` columns (text), ``scale``,
        ``rank``, ``n``; with weights also ``w``, ``w2`` (sums of weights and of
        squared weights) and ``zero_weight`` (rows of weight 0).
    """
    keys = [keys] if isinstance(keys, str) else list(keys)
    weighted = "weight_sum" in table.columns
    rows_read, before = int(table["rows"].sum()), {}
    if "excluded_as" in table.columns:  # reasons decided before the labels are read
        early = table["excluded_as"].astype(str).ne("").to_numpy()
        before = table.loc[early].groupby("excluded_as")["rows"].sum().to_dict()
        table = table.loc[~early].drop(columns="excluded_as").reset_index(drop=True)
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
                pairs.loc[where, "level"] = text.map(common_dont_know()).to_numpy(dtype=object)
        readings = _reasons(pairs, choice)
        merged = table.merge(readings[[item, "rating", "scale", "rank", "reason"]], on=[item, "rating"],
                             how="left", validate="many_to_one")
    excluded_rows = merged.loc[merged["reason"] != ""]
    _raise_on_unknown(excluded_rows[["rating", "reason"]], excluded_rows["rows"], choice, source)
    kept = merged.loc[merged["reason"] == ""]
    if weighted and int(kept["bad_weights"].sum()):
        raise _bad_weights(int(kept["bad_weights"].sum()), source)
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
    excluded = _ordered_reasons(before, totals)
    return counts, _report(counts, excluded, rows_read, choice, item, source, engine,
                           warn_share, unchecked)


def _literal(text) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _among(expression: str, texts) -> str:
    """SQL: ``expression`` is one of ``texts`` (a few: totals labels, empty-looking labels)."""
    texts = sorted(set(texts))
    return f"({expression} IN ({', '.join(map(_literal, texts))}))" if texts else "FALSE"


def check_columns(found, wanted, name: str) -> None:
    """Every column in ``wanted`` (keyword -> column name, or (keyword, column) pairs; None
    for none) is in ``found``; else a :class:`ResponseFileError` naming the missing column,
    the keyword that named it and the columns found.

    Examples
    --------
    >>> check_columns(["item_id", "评分"], {"item": "item_id", "rating": "rating"}, "a.csv")
    Traceback (most recent call last):
    ...
    survey_analysis.load.report.ResponseFileError: a.csv, column 'rating': column(s) 'rating' (given as rating=) not found; the columns are ['item_id', '评分']. ...
    """
    pairs = wanted.items() if isinstance(wanted, dict) else wanted
    missing = [(keyword, column) for keyword, column in pairs
               if column is not None and column not in found]
    if missing:
        listing = ", ".join(f"{column!r} (given as {keyword}=)" for keyword, column in missing)
        raise ResponseFileError(
            f"column(s) {listing} not found; the columns are {list(found)}. Name the right "
            "column with that keyword (or read the sheet with sa.load_responses, which "
            "recognizes headers such as 事项编号 and 满意度)", source=name, column=missing[0][1])


def _wanted(keys, item, rating, weight) -> list:
    """(keyword, column) of every column a count reads."""
    return [("item", item), ("rating", rating), ("weight", weight),
            *(("cluster/strata/groups", key) for key in keys if key != item)]


def _empty_labels(labels) -> list:
    """The raw labels that are no answer (empty once normalized, as the loader reads them)."""
    raw = pd.Series(list(labels), dtype="string")
    return raw[normalize_text(raw).fillna("").eq("").to_numpy(dtype=bool)].tolist()


def _duplicate_error(pairs: pd.DataFrame, extra: int, name: str, respondent: str) -> ResponseFileError:
    shown = "; ".join(f"item {i!r}, respondent {r!r}: {n} rows"
                      for i, r, n in pairs.head(5).itertuples(index=False))
    more = f" and {len(pairs) - 5} more pair(s)" if len(pairs) > 5 else ""
    return ResponseFileError(
        f"{extra} duplicate respondent x item row(s) in {len(pairs)} pair(s) ({shown}{more}). If "
        f"the repeats are true duplicates, {hint('duplicates', 'keep_first')} keeps the first "
        "answer of each (in file order) and counts the rest as excluded; `survey-analysis "
        "validate FILE` lists their lines", source=name, column=respondent)


def _weight_sums(w: str) -> str:
    """SQL of the weight sums of a group of rows whose weight is ``w`` (a number or NULL)."""
    return (f"sum({w}) AS weight_sum, sum({w} * {w}) AS weight_sq_sum, "
            f"count(*) FILTER (WHERE {w} = 0) AS zero_weight, "
            f"count(*) FILTER (WHERE {w} IS NULL OR NOT isfinite({w}) OR {w} < 0) AS bad_weights")


#: Kept rows up to which the repeat check sorts the pairs' hashes in NumPy (8 bytes a row:
#: 800 MB at the limit); above it DuckDB counts the distinct hashes out of core.
_SORTED_HASHES_MAX = 100_000_000


def _duckdb_ledger(connection, source, keys, item, respondent, rating, weight, duplicates, name) -> None:
    """Create the table ``lc``: rows (and weight sums) per key x raw label x reason of
    exclusion (``excluded_as``: the loader's reason decided before the label is read, or '').

    Two scans of the file. The first groups its rows by the raw item and other keys, raw
    label, first non-empty cell outside the read columns and the respondent text when it
    could be a totals label (no digit): a small table, from which the totals labels and
    empty labels are read and ``lc`` is summed (keys trimmed there, once per distinct text,
    not once per row). The second, with a respondent column, hashes item x respondent of
    every kept row to 64 bits (no texts stored) and sorts the hashes in NumPy: a hash seen
    twice means repeated answers (or a rare collision, told apart on the texts), which are
    then listed (an error) or, with ``keep_first``, counted as ``duplicate`` after the
    first in file order, the one case that stores the used columns.
    """
    import duckdb

    src = _duckdb_source(source)
    try:
        found = [row[0] for row in connection.sql(f"DESCRIBE SELECT * FROM {src}").fetchall()]
    except duckdb.Error as error:
        raise ValueError(f"{name}: DuckDB cannot read the file: {error}") from None
    check_columns(found, _wanted(keys, item, rating, weight), name)
    if respondent is not None and respondent not in found:
        respondent = None  # as the loader: each row is its own respondent

    def raw(column):
        return f"CAST({_quote(column)} AS VARCHAR)"

    def text(column):
        return f"trim({raw(column)})"

    read = {item, respondent, rating}
    # The first non-empty cell of the row when it is in another column (the item and
    # respondent cells are checked on every row: a rating cell is never a totals label:
    # "Average" is an answer).
    first = ("CASE " + " ".join(f"WHEN {text(c)} <> '' THEN {'NULL' if c in read else text(c)}"
                                for c in found) + " END") if set(found) - read else "NULL"
    others = [c for c in keys if c != item]
    q_item = _quote(item)
    connection.execute(
        f"CREATE TEMP VIEW base AS SELECT {raw(item)} AS _item_raw"
        + "".join(f", {raw(c)} AS {_quote(c)}" for c in others)
        + (f", {raw(respondent)} AS _resp_raw" if respondent else ", '' AS _resp_raw")
        + f", coalesce({raw(rating)}, '') AS rating, {first} AS _first"
        + (f", TRY_CAST({_quote(weight)} AS DOUBLE) AS _w, coalesce({text(weight)}, '') = '' AS _no_w"
           if weight is not None else "")
        + f" FROM {src}")
    # The loader's totals labels hold no ASCII digit (header.is_summary skips such texts):
    # a respondent id with a digit (most are) is left out of the grouping, which stays small.
    resp_text = ("CASE WHEN _resp_raw IS NULL THEN '' WHEN _resp_raw SIMILAR TO '[^0-9]*' "
                 "THEN trim(_resp_raw) END")
    weight_group = (", _no_w, " + _weight_sums("_w")) if weight is not None else ""
    raw_keys = ", ".join(["_item_raw", *map(_quote, others)])
    connection.execute(
        f"CREATE TEMP TABLE grouped AS SELECT {raw_keys}, rating, _first, {resp_text} AS _resp_text, "
        f"count(*) AS rows{weight_group} FROM base GROUP BY ALL")
    item_text = "coalesce(trim(_item_raw), '')"
    texts = set()
    for column in (item_text, "_first", "_resp_text"):
        texts.update(t for (t,) in connection.sql(
            f"SELECT DISTINCT {column} AS t FROM grouped WHERE t <> '' AND NOT regexp_matches(t, '[0-9]')"
        ).fetchall())
    candidates = np.array(sorted(texts), dtype=object)
    totals = candidates[is_summary(candidates)].tolist() if len(candidates) else []
    empty = _empty_labels(t for (t,) in connection.sql("SELECT DISTINCT rating FROM grouped").fetchall())
    no_rating = _among("rating", empty)

    def summary(item_sql, resp_sql):
        return " OR ".join(f"coalesce({_among(sql, totals)}, FALSE)"
                           for sql in (item_sql, resp_sql, "_first"))

    def pre(item_sql, resp_sql):
        blank = f"{item_sql} = '' AND {resp_sql} = '' AND {no_rating}"
        if weight is not None:
            blank += " AND _no_w"
        return (f"CASE WHEN {summary(item_sql, resp_sql)} THEN 'summary_row' WHEN {blank} "
                f"THEN 'blank_row' WHEN {no_rating} THEN 'missing_rating' ELSE '' END")

    trimmed = ", ".join([f"{item_text} AS {q_item}", *(f"trim({_quote(c)}) AS {_quote(c)}" for c in others)])
    q_keys = ", ".join(_quote(c) for c in (item, *others))
    sums = (", " + ", ".join(f"sum({c}) AS {c}" for c in
                             ("weight_sum", "weight_sq_sum", "zero_weight", "bad_weights"))
            ) if weight is not None else ""
    # A NULL respondent text holds a digit: neither a totals label nor empty.
    connection.execute(
        f"CREATE TEMP TABLE lc AS SELECT {trimmed}, rating, {pre(item_text, 'coalesce(_resp_text, chr(48))')} "
        f"AS excluded_as, sum(rows)::BIGINT AS rows{sums} FROM grouped GROUP BY ALL")
    if respondent is None:
        return
    # Repeats among the kept rows: 64-bit hashes of item x respondent (equal pairs hash
    # alike, so no repeated hash means no repeated pair); a repeated hash (repeats, or a
    # rare collision) is then checked on the texts. The raw item stands for its text when
    # no item is written with blanks around it (the grouping says so): one trim per row fewer.
    untrimmed = connection.sql("SELECT count(*) FROM grouped WHERE _item_raw IS NULL OR "
                               "_item_raw <> trim(_item_raw)").fetchall()[0][0]
    item_key = item_text if untrimmed else "_item_raw"
    resp_key = "coalesce(trim(_resp_raw), '')"
    kept = f"NOT ({summary(item_text, resp_key)} OR {no_rating})"
    no_id = connection.sql(
        f"SELECT coalesce(sum(rows), 0) FROM grouped WHERE _resp_text = '' AND "
        f"{pre(item_text, 'coalesce(_resp_text, chr(48))')} = ''").fetchall()[0][0]
    if no_id:
        raise ResponseFileError(f"empty respondent id on {no_id} row(s); every answer needs its "
                                "respondent (`survey-analysis validate FILE` lists the lines)",
                                source=name, column=respondent)
    pair_hash = f"hash({item_key}, {resp_key})"
    rows_kept = connection.sql("SELECT coalesce(sum(rows), 0) FROM lc WHERE excluded_as = ''").fetchall()[0][0]
    if rows_kept <= _SORTED_HASHES_MAX:
        # The hashes are sorted by NumPy rather than counted distinct by DuckDB: 8 bytes a
        # row and a sort, against a hash table of every pair (twice the time and several
        # times the memory on 1e7 rows here).
        hashes = np.asarray(connection.sql(f"SELECT {pair_hash} AS h FROM base WHERE {kept}")
                            .fetchnumpy()["h"])
        hashes.sort()
        repeats = bool(len(hashes) > 1 and (hashes[1:] == hashes[:-1]).any())
        del hashes
    else:  # beyond memory's comfort DuckDB counts them, and spills to disk as it needs
        distinct = connection.sql(f"SELECT count(DISTINCT {pair_hash}) FROM base WHERE {kept}").fetchall()[0][0]
        repeats = distinct < rows_kept
    if not repeats:
        return
    connection.execute(
        f"CREATE TEMP VIEW rows_read AS SELECT *, {pre(q_item, '_resp')} AS _pre FROM (SELECT "
        f"{trimmed}, {resp_key} AS _resp, * EXCLUDE (_item_raw{''.join(', ' + _quote(c) for c in others)}) "
        "FROM base)")
    pairs = connection.sql(
        f"SELECT {q_item} AS item, _resp AS respondent, count(*) AS n FROM rows_read WHERE _pre = '' "
        "GROUP BY ALL HAVING count(*) > 1 ORDER BY item, respondent").df()
    if pairs.empty:  # hash collisions only
        return
    extra = int((pairs["n"] - 1).sum())
    if duplicates == "error":
        raise _duplicate_error(pairs, extra, name, respondent)
    # keep_first: which answer came first needs the file order; a stored table keeps the
    # insertion order (DuckDB's preserve_insertion_order, on by default), and its rowid is it.
    connection.execute("CREATE TEMP TABLE ordered AS SELECT * FROM rows_read")
    weight_rows = (", " + _weight_sums("_w")) if weight is not None else ""
    connection.execute("DROP TABLE lc")
    connection.execute(
        f"CREATE TEMP TABLE lc AS SELECT {q_keys}, rating, excluded_as, count(*) AS rows{weight_rows} "
        f"FROM (SELECT *, CASE WHEN _pre = '' AND row_number() OVER (PARTITION BY _pre, {q_item}, "
        "_resp ORDER BY rowid) > 1 THEN 'duplicate' ELSE _pre END AS excluded_as FROM ordered) "
        f"GROUP BY {q_keys}, rating, excluded_as")


def _diagnose_quotes(source) -> None:
    """A label or item of a CSV file holds a quote ("): DuckDB, finding no consistent quoting,
    read the file without any, where a quote left open swallows the rows below it. The
    loader's reader, which names the line and field where such a quote opens, reads each
    file and raises that error; files it reads are fine, and the count goes on."""
    from .read import read_source

    for path in _files(source):
        if not _is_parquet(path):
            read_source(path, 0, None)


def _duckdb_level_counts(source, keys, item, rating, weight, scale, labels, name, warn_share,
                         respondent="respondent_id", duplicates="error"):
    """Level counts of a file: the loader's rules in SQL, then one aggregation in DuckDB.

    The rows are grouped by key, raw label and reason of exclusion into a temporary table
    (:func:`_duckdb_ledger`); the distinct labels (a handful) are read in pandas; their readings
    join that table inside DuckDB, which sums per key x scale x rank. Only the level
    counts cross into pandas (through Arrow). When items have scales of their own the
    grouped table goes to :func:`level_counts_from_labels` instead.
    """
    import duckdb

    def frame(relation) -> pd.DataFrame:
        # Through Arrow: strings cross into pandas without a Python object per cell.
        arrow = relation.to_arrow_table() if hasattr(relation, "to_arrow_table") else relation.arrow()
        return arrow.to_pandas()

    csv = not all(map(_is_parquet, _paths(source)))
    unchecked = Message("load.ledger.empty_csv_lines") if csv else ""
    with _connect() as connection:
        try:
            _duckdb_ledger(connection, source, keys, item, respondent, rating, weight, duplicates, name)
        except duckdb.Error as error:  # e.g. a row DuckDB cannot parse: said with the file's name
            raise ValueError(f"{name}: DuckDB cannot count the file: {error}") from None
        if csv and connection.sql(f"SELECT count(*) FROM lc WHERE contains(rating, '\"') OR "
                                  f"contains({_quote(item)}, '\"')").fetchall()[0][0]:
            _diagnose_quotes(source)
        empty_items = connection.sql(f"SELECT coalesce(sum(rows), 0)::BIGINT FROM lc WHERE "
                                     f"excluded_as = '' AND {_quote(item)} = ''").fetchall()[0][0]
        if empty_items:
            raise ResponseFileError(f"empty item id on {empty_items} row(s); every answer needs its "
                                    "item (`survey-analysis validate FILE` lists the lines)",
                                    source=name, column=item)
        ledger = frame(connection.sql("SELECT excluded_as, sum(rows)::BIGINT AS rows FROM lc GROUP BY ALL"))
        rows_read = int(ledger["rows"].sum())
        before = dict(zip(ledger["excluded_as"], ledger["rows"].astype(int)))
        before.pop("", None)
        distinct = frame(connection.sql("SELECT rating, sum(rows)::BIGINT AS rows FROM lc "
                                        "WHERE excluded_as = '' GROUP BY rating"))
        normalized = _normalized_labels(distinct["rating"], labels)
        try:
            uniform = sheet_scale({v for v in normalized if v}, scale)
        except ScaleDetectionError as error:
            raise ValueError(f"{name}: {error}") from None
        if uniform is None:  # items on scales of their own (or an error to name): the general path
            table = frame(connection.sql("SELECT * FROM lc")).astype({c: "string" for c in keys})
            return level_counts_from_labels(table, keys, item=item, scale=scale, labels=labels,
                                            source=name, engine="duckdb", warn_share=warn_share,
                                            unchecked=unchecked)
        readings = _uniform_readings(distinct["rating"], normalized, uniform)
        _raise_on_unknown(readings, distinct["rows"], uniform, name)
        connection.register("readings", readings[["rating", "scale", "rank", "reason"]])
        kept = "FROM lc JOIN readings r USING (rating) WHERE r.reason = '' AND lc.excluded_as = ''"
        if weight is not None:
            bad = int(connection.sql(f"SELECT coalesce(sum(lc.bad_weights), 0) {kept}").fetchall()[0][0])
            if bad:
                raise _bad_weights(bad, name, weight)
        key_list = ", ".join(f"lc.{_quote(c)}" for c in keys)
        weight_sums = (", sum(lc.weight_sum) AS w, sum(lc.weight_sq_sum) AS w2, "
                       "sum(lc.zero_weight)::DOUBLE AS zero_weight") if weight is not None else ""
        counts = frame(connection.sql(
            f"SELECT {key_list}, r.scale, r.rank::TINYINT AS rank, sum(lc.rows)::BIGINT AS n{weight_sums} "
            f"{kept} GROUP BY ALL ORDER BY {key_list}, r.scale, rank"))
    counts = counts.astype({c: "string" for c in keys})
    counts["scale"] = pd.Categorical(counts["scale"].astype(str))
    counts["rank"] = counts["rank"].astype("int8")
    counts["n"] = counts["n"].astype("int64")
    totals = readings.assign(rows=distinct["rows"].to_numpy()).loc[readings["reason"] != ""] \
        .groupby("reason")["rows"].sum()
    excluded = _ordered_reasons(before, totals)
    return counts, _report(counts, excluded, rows_read, uniform, item, name, "duckdb", warn_share,
                           unchecked)


def _ordered_reasons(before: dict, totals: pd.Series) -> dict:
    """Excluded rows per reason, in the loader's order: reasons decided before the labels
    are read (``before``) and the labels' own (``totals``)."""
    merged = {reason: int(rows) for reason, rows in before.items() if int(rows)}
    for reason, rows in totals.items():
        if int(rows):
            merged[reason] = merged.get(reason, 0) + int(rows)
    return {reason: merged[reason] for reason in (*_REASONS, *sorted(set(merged) - set(_REASONS)))
            if reason in merged}


def _bad_weights(count: int, name: str, weight: str | None = None) -> ResponseFileError:
    return ResponseFileError(f"{count} row(s) have an empty, non-numeric or negative weight (or an "
                             "infinite one); weights must be numbers >= 0: run `survey-analysis "
                             "validate` on the file to see the lines", source=name, column=weight)


def _compute(value):
    """A Dask result computed; a pandas one as it is."""
    return value.compute() if hasattr(value, "compute") and is_dask_frame(value) else value


def _frame_rows(frame, keys, item, respondent, rating, weight, duplicates, name):
    """The loader's rules on a pandas or Dask DataFrame (the same operations, lazy in Dask):
    the frame's keys as trimmed text, ``rating`` (the raw label), the weight, and
    ``excluded_as`` (the loader's reason for excluding the row before its label is read).
    Dask computes the distinct texts, then the item x respondent pairs, then the count."""
    found = [str(c) for c in frame.columns]
    check_columns(found, _wanted(keys, item, rating, weight), name)
    if respondent is not None and respondent not in found:
        respondent = None

    def text(column):
        return frame[column].astype("string").str.strip().fillna("")

    label = frame[rating].astype("string").fillna("")
    item_t = text(item)
    resp_t = text(respondent) if respondent else None
    first = None  # the first non-empty cell unless it is the rating ("Average" is an answer)
    for column in reversed(list(frame.columns)):
        cell = text(column)
        value = cell.where(cell == "", pd.NA) if str(column) == rating else cell
        first = value.where(cell != "", first if first is not None else pd.NA)
    candidates = [item_t, first] + ([resp_t] if resp_t is not None else [])
    texts = set()
    for series in candidates:  # the loader's totals labels hold no ASCII digit (is_summary)
        series = series.dropna()
        texts.update(_compute(series[(series != "") & ~series.str.contains("[0-9]", regex=True)]
                              .unique()).tolist())
    texts = np.array(sorted(texts), dtype=object)
    totals = set(texts[is_summary(texts)].tolist()) if len(texts) else set()
    empty = set(_empty_labels(_compute(label.unique()).tolist()))
    no_rating = label.isin(empty)
    summary = item_t.isin(totals) | first.isin(totals).fillna(False)
    blank = (item_t == "") & no_rating
    if resp_t is not None:
        summary, blank = summary | resp_t.isin(totals), blank & (resp_t == "")
    if weight is not None:
        blank = blank & (text(weight) == "")
    nothing = label.str.slice(0, 0)  # "" on every row, in either library
    pre = nothing.where(~no_rating, "missing_rating").where(~blank, "blank_row") \
        .where(~summary, "summary_row")
    columns = {item: item_t, "rating": label, "excluded_as": pre}
    for column in keys:
        if column != item:
            columns[column] = text(column).where(frame[column].notnull(), pd.NA)
    if weight is not None:
        if is_dask_frame(frame):
            from dask.dataframe import to_numeric
        else:
            to_numeric = pd.to_numeric
        columns["_w"] = to_numeric(frame[weight], errors="coerce")
    if resp_t is not None:
        columns["_resp"] = resp_t
    out = frame.assign(**columns)[list(columns)]
    if resp_t is None:
        return out
    answered = out[out["excluded_as"] == ""]
    sizes = _compute(answered.groupby([item, "_resp"]).size())
    empty_ids = int(sizes[sizes.index.get_level_values("_resp") == ""].sum())
    if empty_ids:
        raise ResponseFileError(f"empty respondent id on {empty_ids} row(s); every answer needs its "
                                "respondent (`survey-analysis validate FILE` lists the lines)",
                                source=name, column=respondent)
    repeated = sizes[sizes > 1]
    if repeated.empty:
        return out
    if duplicates == "error":
        pairs = repeated.rename("n").reset_index().sort_values([item, "_resp"])
        raise _duplicate_error(pairs, int((repeated - 1).sum()), name, respondent)
    # keep_first: the order of the rows (partition by partition in Dask) is the file order.
    later = (out.groupby(["excluded_as", item, "_resp"]).cumcount() > 0) & (out["excluded_as"] == "")
    return out.assign(excluded_as=out["excluded_as"].where(~later, "duplicate"))


def _frame_level_counts(frame, keys, item, respondent, rating, weight, scale, labels, name,
                        warn_share, duplicates, engine):
    rows = _frame_rows(frame, keys, item, respondent, rating, weight, duplicates, name)
    group = list(keys) + ["rating", "excluded_as"]
    data = rows[group].assign(rows=1)
    if weight is not None:
        w = rows["_w"]
        data = data.assign(weight_sum=w, weight_sq_sum=w * w, zero_weight=(w == 0).astype("int64"),
                           bad_weights=(w.isnull() | (w < 0) | (w.abs() == np.inf)).astype("int64"))
    table = _compute(data.groupby(group, observed=True, dropna=False).sum()).reset_index()
    empty_items = int(table.loc[(table["excluded_as"] == "") & (table[item] == ""), "rows"].sum())
    if empty_items:
        raise ResponseFileError(f"empty item id on {empty_items} row(s); every answer needs its item",
                                source=name, column=item)
    table = table.astype({column: "string" for column in keys})
    return level_counts_from_labels(table, keys, item=item, scale=scale, labels=labels, source=name,
                                    engine=engine, warn_share=warn_share)


def source_level_counts(source, keys=("item_id",), item: str = "item_id", rating: str = "rating",
                        weight: str | None = None, engine: str = "auto", scale="auto",
                        labels=None, warn_share: float = WARN_SHARE,
                        respondent: str | None = "respondent_id", duplicates: str = "error"):
    """Counts per group x level straight from a file, dataset or DataFrame, with the loader's
    rules and ledger (see the module notes).

    Parameters
    ----------
    source : path, list of paths, glob, folder, Dask DataFrame or pandas DataFrame
        Long-format responses (one row per respondent x item).
    keys : sequence of str
        Columns to count by (the item column is added).
    item, rating, weight : str
        The item, answer and (optional) weight columns.
    engine : {"auto", "pandas", "duckdb", "dask"}
        See :func:`label_counts`.
    scale, labels
        As in :func:`~survey_analysis.load_responses`.
    warn_share : float
        Share of excluded answers that makes the report warn.
    respondent : str or None, default "respondent_id"
        Respondent column; without it (or when the file has none) each row is its own
        respondent, as in the loader.
    duplicates : {"error", "keep_first"}
        Two answers of one respondent to one item: an error naming the pairs, or the
        first (in file order) kept and the others counted as ``duplicate``.

    Returns
    -------
    (pandas.DataFrame, CountsReport)
        See :func:`level_counts_from_labels`.

    Raises
    ------
    ResponseFileError
        A column is missing (the message names it and lists the columns found), an item
        or respondent id is empty, a respondent answered an item twice (by default), or
        a counted row's weight is empty, non-numeric or negative.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"item_id": ["A", "A", "合计"], "respondent_id": ["1", "2", ""],
    ...                       "rating": ["满意", "不满意", "2"]})
    >>> counts, report = source_level_counts(frame, engine="pandas")
    >>> counts["n"].tolist(), report.rows_read, report.excluded
    ([1, 1], 3, {'summary_row': 1})
    """
    keys = [keys] if isinstance(keys, str) else list(keys)
    if item not in keys:
        keys = [item, *keys]
    check_choice("duplicates", duplicates, DUPLICATES)
    chosen = _choose_engine(source, engine)
    name = "<Dask DataFrame>" if is_dask_frame(source) else (
        "<DataFrame>" if isinstance(source, pd.DataFrame) else str(source))
    if chosen == "duckdb":
        return _duckdb_level_counts(source, keys, item, rating, weight, scale, labels, name, warn_share,
                                    respondent, duplicates)
    if chosen == "pandas" and not isinstance(source, pd.DataFrame):
        raise ValueError("engine='pandas' needs a pandas DataFrame; use load_responses() for files")
    if chosen == "dask" and not is_dask_frame(source):
        import dask.dataframe as dd

        source = dd.read_parquet(_paths(source)[0] if not isinstance(source, (list, tuple))
                                 else list(map(str, source)))
    return _frame_level_counts(source, keys, item, respondent, rating, weight, scale, labels, name,
                               warn_share, duplicates, chosen)
