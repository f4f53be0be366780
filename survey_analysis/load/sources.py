"""Where a count's rows come from: files, folders and globs, Dask and pandas frames, and
the columns they hold.

Shared by the counting engines (:mod:`.engines`, :mod:`.duck`, :mod:`.frames`): a folder
stands for its Parquet (else CSV) files, a glob for the files it matches; a column a count
needs and the source lacks is an error naming the keyword that named it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..words import SurveyError, say
from . import bounds
from .formats import check_parquet, file_kind
from .read import DELIMITERS, PARQUET_SUFFIXES
from .report import ResponseFileError, sheet_languages

__all__ = ["check_columns", "csv_trouble", "files", "is_dask_frame", "is_parquet", "paths", "source_columns",
           "source_name", "wanted_columns"]


def is_dask_frame(source) -> bool:
    """True for a Dask DataFrame (checked without importing Dask)."""
    return type(source).__module__.split(".")[0] in ("dask", "dask_expr")


def source_name(source) -> str:
    """How errors and ledgers name a source: its path, or ``<DataFrame>`` / ``<Dask DataFrame>``."""
    if is_dask_frame(source):
        return "<Dask DataFrame>"
    return "<DataFrame>" if isinstance(source, pd.DataFrame) else str(source)


def _folder_pattern(folder: Path) -> str:
    """Glob for the response files in a folder: Parquet if it holds any, else CSV."""
    for suffix in ("parquet", "pq", "csv"):
        if next(folder.rglob(f"*.{suffix}"), None) is not None:
            return str(folder / "**" / f"*.{suffix}")
    raise FileNotFoundError(say("load.source.empty_folder", folder=str(folder)))


def _uncountable(path: str) -> str | None:
    """The kind of a file the counting engines cannot scan (they read CSV, plain or
    gzip-compressed, and Parquet; the loader reads the rest), or None."""
    suffixes = [s.lower() for s in Path(path.replace("*", "x")).suffixes]
    kind = file_kind(suffixes[-1]) if suffixes else "text"
    if kind == "compressed" and suffixes[-1] == ".gz" and len(suffixes) > 1 and file_kind(suffixes[-2]) == "text":
        return None
    return None if kind in ("text", "parquet") else kind


def paths(source) -> list[str]:
    """The paths or globs of ``source`` (a path, a list of them, a folder or a glob); a
    missing file is an error."""
    items = source if isinstance(source, (list, tuple)) else [source]
    out = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            out.append(_folder_pattern(path))
        else:
            if "*" not in str(item) and not path.exists():
                raise FileNotFoundError(say("load.source.not_found", path=str(item)))
            kind = _uncountable(str(item))
            if kind is not None:
                raise SurveyError("load.source.not_countable", path=str(item), kind=kind)
            if "*" not in str(item) and is_parquet(str(item)):
                check_parquet(path, str(item))  # a CSV file or an empty file named .parquet
            out.append(str(item))
    return out


def is_parquet(path: str) -> bool:
    """A Parquet file (or a glob of them) by its suffix."""
    return Path(path.replace("*", "x")).suffix.lower() in PARQUET_SUFFIXES


def files(source) -> list[str]:
    """Every file of ``source``, globs expanded (sorted); a glob that matches nothing is an error."""
    import glob

    out = []
    for pattern in paths(source):
        matches = sorted(glob.glob(pattern, recursive=True)) if "*" in pattern else [pattern]
        if not matches:
            raise FileNotFoundError(say("load.source.no_match", pattern=pattern))
        out.extend(matches)
    return out


def source_columns(source) -> list[str]:
    """Column names of a file or dataset from its first file's header or Parquet schema (no
    rows are read)."""
    first = files(source)[0]
    if is_parquet(first):
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            return list(pq.read_schema(first).names)
        except (pa.ArrowException, OSError) as error:
            raise ResponseFileError("load.read.parquet_unreadable", first, kind=type(error).__name__,
                                    error=str(error)) from None
    import csv

    try:
        with _open_text(first) as handle:
            # The header line read within the line bound, not whatever length it has.
            line = handle.readline(bounds.MAX_LINE_BYTES + 1)
        with bounds.field_limit():
            return [name.strip() for name in next(csv.reader([line]), [])]
    except UnicodeDecodeError:
        raise csv_trouble(first) or ResponseFileError("load.duckdb.not_utf8", first, line=1) from None
    except csv.Error as error:
        raise ResponseFileError("load.read.csv_error", first, line=1, error=str(error)) from None


def _open_text(path: str):
    """A CSV file (plain or .gz, as the counting engines read it) as UTF-8 text."""
    if path.lower().endswith(".gz"):
        import gzip

        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def csv_trouble(path: str) -> ResponseFileError | None:
    """Why the counting engines (DuckDB) cannot read the CSV file ``path``: its first line
    that is not UTF-8, else its first row whose number of fields differs from the header's
    (the error names the line and proposes ``sa.load_responses``); None when neither is
    found. Read as the lines come, after an engine failed (a line beyond
    :data:`~.bounds.MAX_LINE_BYTES` ends the search).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = pathlib.Path(folder.name) / "a.csv"
    >>> _ = path.write_text("item_id,rating\\nA,good\\nB,good,extra\\n")
    >>> error = csv_trouble(str(path))
    >>> error.line, error.params["fields"], error.params["expected"]
    (3, 3, 2)
    >>> folder.cleanup()
    """
    import csv
    import gzip

    read = [0]  # lines decoded so far

    def lines():
        with (gzip.open if path.lower().endswith(".gz") else open)(path, "rb") as handle:
            while raw := handle.readline(bounds.MAX_LINE_BYTES + 1):
                if len(raw) > bounds.MAX_LINE_BYTES:
                    return
                text = raw.decode("utf-8")
                read[0] += 1
                yield text

    try:
        with bounds.field_limit():
            source = lines()
            for text in source:
                if text.strip():
                    text = text.removeprefix("\ufeff")
                    delimiter = max(DELIMITERS, key=text.count)  # a tie: the first listed
                    header, expected = read[0], len(next(csv.reader([text], delimiter=delimiter)))
                    break
            else:
                return None
            reader = csv.reader(source, delimiter=delimiter)
            start = header + 1
            for record in reader:
                if record and len(record) != expected:
                    return ResponseFileError("load.duckdb.ragged", path, line=start, fields=len(record),
                                             header=header, expected=expected)
                start = header + reader.line_num + 1
    except UnicodeDecodeError:
        return ResponseFileError("load.duckdb.not_utf8", path, line=read[0] + 1)
    except (csv.Error, OSError, EOFError):
        return None
    return None


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
        raise ResponseFileError("load.source.missing_columns", name, column=missing[0][1],
                                languages=sheet_languages(*found), listing=listing, found=list(found))


def wanted_columns(keys, item, rating, weight) -> list:
    """(keyword, column) of every column a count reads."""
    return [("item", item), ("rating", rating), ("weight", weight),
            *(("cluster/strata/groups", key) for key in keys if key != item)]
