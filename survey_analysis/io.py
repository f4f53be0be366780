"""Load response sheets into tidy responses, with a ledger of every row.

Flow: file -> raw table of strings (with the line number the analyst sees) ->
canonical columns -> normalized ratings -> tidy responses + :class:`LoadReport`.
The invariant ``rows_read == rows_kept + rows_excluded`` is checked on every load.
"""

from __future__ import annotations

import io as _io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import scales
from .intervals import check_choice

__all__ = [
    "ResponseFileError",
    "LoadReport",
    "load_responses",
    "COLUMN_ALIASES",
    "ENCODINGS_TRIED",
]

#: Header names recognized for each canonical column (compared after NFKC, trim, lower-case).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "item_id": ("item_id", "item", "item id", "事项编号", "事项id", "事项", "项目编号", "项目", "事项名称"),
    "respondent_id": ("respondent_id", "respondent", "respondent id", "受访者", "受访者编号",
                      "问卷编号", "答卷编号", "被访者"),
    "rating": ("rating", "answer", "satisfaction", "评价", "满意度", "满意程度", "评价结果", "满意度评价"),
    "weight": ("weight", "权重"),
}
REQUIRED_COLUMNS = ("item_id", "rating")
ENCODINGS_TRIED = ("utf-8-sig", "utf-8", "gb18030")
_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
_PARQUET_SUFFIXES = {".parquet", ".pq"}
_LINE_BREAKS = r"\r\n|\r|\n"


class ResponseFileError(ValueError):
    """A response sheet that cannot be read; names the file, line and column.

    Attributes
    ----------
    source : str
        File name (or ``"<DataFrame>"``).
    line : int or None
        Line of the file (or sheet row) as the analyst sees it, 1-based.
    column : str or None
        Column header as written in the file.
    """

    def __init__(self, message: str, source: str, line: int | None = None, column: str | None = None):
        self.source, self.line, self.column = source, line, column
        where = source
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")


# eq=False: comparing two reports would compare their exclusions DataFrames, which
# has no truth value; pandas compares attrs in pd.concat, so that would crash.
@dataclass(frozen=True, eq=False)
class LoadReport:
    """What happened to every row of a loaded sheet.

    Attributes
    ----------
    source : str
        File name or ``"<DataFrame>"``.
    file_format : str
        ``"csv"``, ``"excel"``, ``"parquet"`` or ``"dataframe"``.
    encoding : str or None
        Text encoding used (CSV only).
    scale : int or None
        Rating scale detected or given (2, 3 or 5).
    rows_read : int
        Data rows in the file (header excluded).
    rows_kept : int
        Rows in the tidy result.
    exclusions : pandas.DataFrame
        One row per excluded row: ``source_line``, ``reason``, ``column``, ``value``.
    columns : dict
        Canonical column -> header in the file.
    notes : tuple of str
        Other things the analyst should know (e.g. generated respondent ids).
    """

    source: str
    file_format: str
    encoding: str | None
    scale: int | None
    rows_read: int
    rows_kept: int
    exclusions: pd.DataFrame = field(repr=False)
    columns: dict = field(default_factory=dict)
    notes: tuple = ()

    def __post_init__(self):
        excluded = len(self.exclusions)
        if self.rows_read != self.rows_kept + excluded:
            raise RuntimeError(
                f"load ledger does not balance for {self.source}: read {self.rows_read}, "
                f"kept {self.rows_kept}, excluded {excluded}"
            )

    # The report travels in DataFrame.attrs, which pandas deep-copies on many
    # operations; the report is immutable, so sharing it is safe and cheap.
    def __deepcopy__(self, memo):
        return self

    @property
    def rows_excluded(self) -> int:
        """Number of excluded rows."""
        return len(self.exclusions)

    def excluded_by_reason(self) -> pd.Series:
        """Count of excluded rows per reason (a Series named ``rows``)."""
        return self.exclusions.groupby("reason", sort=True).size().rename("rows")

    def to_frame(self) -> pd.DataFrame:
        """The ledger as a tidy table: columns ``category``, ``rows``, ``source_lines``.

        ``category`` is ``read``, ``kept`` or ``excluded: <reason>``; ``source_lines``
        lists the first lines of each exclusion reason.
        """
        rows = [("read", self.rows_read, ""), ("kept", self.rows_kept, "")]
        for reason, group in self.exclusions.groupby("reason", sort=True):
            lines = group["source_line"].head(10).astype(str).tolist()
            more = " ..." if len(group) > 10 else ""
            rows.append((f"excluded: {reason}", len(group), ", ".join(lines) + more))
        return pd.DataFrame(rows, columns=["category", "rows", "source_lines"])

    def __str__(self) -> str:
        head = f"Load report for {self.source} ({self.file_format}"
        head += f", encoding {self.encoding})" if self.encoding else ")"
        lines = [head, f"  scale: {self.scale}-level" if self.scale else "  scale: none detected"]
        for category, rows, where in self.to_frame().itertuples(index=False):
            lines.append(f"  {category:<28} {rows:>8}" + (f"   lines {where}" if where else ""))
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


def _decode(data: bytes, source: str, encoding: str | None) -> tuple[str, str]:
    """Decode bytes strictly: the given encoding, else BOM, UTF-8, GB18030 in turn."""
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as error:
            raise ResponseFileError(f"cannot decode with encoding {encoding!r}: {error}", source) from None
    candidates = ("utf-8-sig",) if data.startswith(b"\xef\xbb\xbf") else ENCODINGS_TRIED[1:]
    for candidate in candidates:
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    raise ResponseFileError(
        f"no encoding decodes this file; tried {', '.join(candidates)} "
        "(pass encoding=... if you know it)", source)


def _read_raw(source, sheet, encoding):
    """Return (strings DataFrame, source lines, source name, format, encoding)."""
    if isinstance(source, pd.DataFrame):
        raw = source.copy()
        lines = np.arange(1, len(raw) + 1)  # row position, 1-based
        return raw, lines, "<DataFrame>", "dataframe", None
    path = Path(source)
    name = str(path)
    if not path.exists():
        raise FileNotFoundError(f"response file not found: {name}")
    suffix = path.suffix.lower()
    if suffix in _EXCEL_SUFFIXES:
        raw = pd.read_excel(path, sheet_name=sheet, dtype=str, keep_default_na=False)
        lines = np.arange(2, len(raw) + 2)  # sheet row; header is row 1
        return raw, lines, name, "excel", None
    if suffix in _PARQUET_SUFFIXES:
        raw = pd.read_parquet(path)
        lines = np.arange(1, len(raw) + 1)
        return raw, lines, name, "parquet", None
    text, used = _decode(path.read_bytes(), name, encoding)
    try:
        raw = pd.read_csv(_io.StringIO(text), dtype=str, keep_default_na=False,
                          skip_blank_lines=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise ResponseFileError(f"not a readable CSV: {error}", name) from None
    # File line; header is line 1. A quoted field may span lines (a comment with a
    # line break), so each row starts after the line breaks inside earlier rows.
    spans = raw.apply(lambda col: col.str.count(_LINE_BREAKS)).sum(axis=1).to_numpy(dtype=np.int64)
    header_span = int(pd.Series(raw.columns.astype(str)).str.count(_LINE_BREAKS).sum())
    lines = 2 + header_span + np.arange(len(raw)) + np.cumsum(spans) - spans
    return raw, lines, name, "csv", used


def _resolve_columns(found, columns, source):
    """Map canonical names to the file's headers, using ``columns`` first, then aliases."""
    headers = [str(c) for c in found]
    normalized = {scales.normalize_text(pd.Series([h])).iloc[0]: h for h in headers}
    mapping: dict[str, str] = {}
    for canonical, header in (columns or {}).items():
        check_choice("canonical column", canonical, tuple(COLUMN_ALIASES))
        if header not in headers:
            raise ResponseFileError(
                f"columns= maps {canonical!r} to {header!r}, which is not a column; "
                f"columns found: {headers}", source, column=header)
        mapping[canonical] = header
    for canonical, aliases in COLUMN_ALIASES.items():
        if canonical in mapping:
            continue
        for alias in aliases:
            header = normalized.get(alias)
            if header is not None and header not in mapping.values():
                mapping[canonical] = header
                break
    missing = [c for c in REQUIRED_COLUMNS if c not in mapping]
    if missing:
        raise ResponseFileError(
            f"required column(s) {missing} not found; columns found: {headers}. "
            "Pass columns={'item_id': ..., 'rating': ...} to name them", source)
    return mapping


def _as_strings(raw: pd.DataFrame) -> pd.DataFrame:
    """Cells as stripped text, '' when missing. A float column holding whole numbers (an
    integer column with a gap, as pandas stores it) is written without '.0', so ids from
    a DataFrame or Parquet file match the same ids read from CSV or Excel."""
    def as_text(col: pd.Series) -> pd.Series:
        if pd.api.types.is_float_dtype(col):
            values = col.to_numpy(dtype=float, na_value=np.nan)
            values = values[~np.isnan(values)]
            if np.all(np.abs(values) < 2**53) and np.all(values == np.round(values)):
                col = col.astype("Int64")
        return col.astype("string").fillna("").str.strip()
    return raw.apply(as_text)


def _first_lines(lines: np.ndarray, limit: int = 5) -> str:
    shown = ", ".join(str(int(v)) for v in lines[:limit])
    return shown + (" ..." if len(lines) > limit else "")


def _unknown_label_message(values: pd.Series, lines: np.ndarray) -> str:
    table = pd.DataFrame({"value": values.to_numpy(), "line": lines})
    parts = []
    for value, group in table.groupby("value", sort=True):
        parts.append(f"{value!r} x{len(group)} (lines {_first_lines(group['line'].to_numpy())})")
    return ("unknown rating labels: " + "; ".join(parts)
            + ". Recode them, or pass unknown_labels='exclude' to exclude and count them")


def load_responses(
    source,
    *,
    columns: dict | None = None,
    sheet=0,
    encoding: str | None = None,
    scale="auto",
    unknown_labels: str = "error",
    duplicates: str = "error",
) -> pd.DataFrame:
    """Read a response sheet into tidy responses (one row per respondent x item).

    Parameters
    ----------
    source : str, path or pandas.DataFrame
        CSV (UTF-8, UTF-8 with BOM or GB18030, detected strictly in that order),
        Excel (``.xlsx``), Parquet, or an in-memory DataFrame, in long format.
    columns : dict, optional
        Canonical name -> header in the file, e.g. ``{"item_id": "编号"}``. Headers
        not given are recognized from :data:`COLUMN_ALIASES` (事项编号, 受访者, 评价,
        满意度, item, rating, weight ...).
    sheet : str or int, default 0
        Excel sheet name or index.
    encoding : str, optional
        Force a text encoding for CSV files.
    scale : {"auto", 2, 3, 5}
        Rating scale; ``"auto"`` detects it from the labels (see :mod:`.scales`).
    unknown_labels : {"error", "exclude"}
        An answer that is not a known label is an error listing each unknown label
        with its count and first lines; ``"exclude"`` excludes and counts them.
    duplicates : {"error", "keep_first"}
        Two rows for the same respondent and item are an error; ``"keep_first"``
        keeps the first and counts the others as excluded.

    Returns
    -------
    pandas.DataFrame
        Columns ``item_id``, ``respondent_id`` (strings), ``rating`` (canonical
        label), ``scale``, ``rank`` (1 = best), ``weight`` (only if the sheet has
        one) and ``source_line``. ``.attrs["load_report"]`` holds the
        :class:`LoadReport`.

    Raises
    ------
    ResponseFileError
        When the file cannot be decoded or parsed, a required column is missing,
        labels are unknown (by default), an item id or weight is invalid, or a
        respondent answered an item twice (by default). The message names the
        file, line and column.

    Notes
    -----
    Excluded, and counted in the load report by reason: blank rows
    (``blank_row``), empty ratings (``missing_rating``), "don't know" answers
    (``dont_know``), and, when asked for, unknown labels and duplicates. Line
    numbers are those an analyst sees in the file: line 1 is the header of a CSV
    or the first row of a sheet; for Parquet and DataFrames they are 1-based row
    positions. When the sheet has no respondent column, each row is its own
    respondent (``"L<line>"``) and the report says so.

    Examples
    --------
    >>> import pandas as pd
    >>> from survey_analysis import load_responses
    >>> sheet = pd.DataFrame({"事项编号": ["A", "A", "B", "B"], "受访者": [1, 2, 1, 2],
    ...                       "满意度": ["满意", "基本满意", "不了解", "不满意"]})
    >>> tidy = load_responses(sheet)
    >>> tidy[["item_id", "rating", "rank"]].to_dict("list")
    {'item_id': ['A', 'A', 'B'], 'rating': ['满意', '基本满意', '不满意'], 'rank': [1, 2, 3]}
    >>> tidy.attrs["load_report"].excluded_by_reason().to_dict()
    {'dont_know': 1}
    """
    check_choice("unknown_labels", unknown_labels, ("error", "exclude"))
    check_choice("duplicates", duplicates, ("error", "keep_first"))
    check_choice("scale", scale, ("auto", 2, 3, 5))
    raw, lines, source_name, file_format, used_encoding = _read_raw(source, sheet, encoding)
    mapping = _resolve_columns(raw.columns, columns, source_name)
    table = _as_strings(raw[[mapping[c] for c in mapping]].set_axis(list(mapping), axis=1))
    table["source_line"] = lines
    rows_read = len(table)
    excluded: list[pd.DataFrame] = []
    notes: list[str] = []

    def exclude(mask: np.ndarray, reason: str, column: str) -> None:
        nonlocal table
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            header = mapping.get(column, column)
            excluded.append(pd.DataFrame({
                "source_line": table["source_line"].to_numpy()[mask],
                "reason": reason, "column": header,
                "value": table[column].to_numpy()[mask] if column in table else "",
            }))
            table = table.loc[~mask]

    data_columns = [c for c in mapping]
    exclude((table[data_columns] == "").all(axis=1).to_numpy(), "blank_row", "rating")
    exclude((table["rating"] == "").to_numpy(), "missing_rating", "rating")

    normalized = scales.normalize_text(table["rating"])
    tokens = scales.classify_labels(normalized)
    exclude((tokens == "DK").fillna(False).to_numpy(), "dont_know", "rating")
    normalized, tokens = normalized.loc[table.index], tokens.loc[table.index]

    if scale == "auto":
        try:
            chosen_scale = scales.detect_scale(tokens, normalized)
        except ValueError as error:
            raise ResponseFileError(str(error), source_name, column=mapping["rating"]) from None
    else:
        chosen_scale = scale
    ranks = (scales.rank_on_scale(tokens, chosen_scale) if chosen_scale
             else pd.Series(pd.NA, index=tokens.index, dtype="Int8"))
    unknown = ranks.isna().to_numpy()
    if unknown.any():
        if unknown_labels == "error":
            raise ResponseFileError(
                _unknown_label_message(table["rating"][unknown], table["source_line"].to_numpy()[unknown]),
                source_name, line=int(table["source_line"].to_numpy()[unknown][0]),
                column=mapping["rating"])
        exclude(unknown, "unknown_label", "rating")
        ranks = ranks.loc[table.index]

    missing_item = (table["item_id"] == "").to_numpy()
    if missing_item.any():
        first = table["source_line"].to_numpy()[missing_item]
        raise ResponseFileError(
            f"empty item id on {missing_item.sum()} row(s) (lines {_first_lines(first)})",
            source_name, line=int(first[0]), column=mapping["item_id"])

    if "respondent_id" in mapping:
        empty = (table["respondent_id"] == "").to_numpy()
        if empty.any():
            first = table["source_line"].to_numpy()[empty]
            raise ResponseFileError(
                f"empty respondent id on {empty.sum()} row(s) (lines {_first_lines(first)})",
                source_name, line=int(first[0]), column=mapping["respondent_id"])
    else:
        table["respondent_id"] = "L" + table["source_line"].astype(str)
        notes.append("no respondent column: each row is treated as its own respondent")

    weights = None
    if "weight" in mapping:
        weights = pd.to_numeric(table["weight"], errors="coerce")
        bad = (weights.isna() | ~np.isfinite(weights) | (weights <= 0)).to_numpy()
        if bad.any():
            first = table["source_line"].to_numpy()[bad]
            raise ResponseFileError(
                f"weights must be positive numbers; {bad.sum()} row(s) are empty, non-numeric, "
                f"zero or negative (first value {table['weight'].to_numpy()[bad][0]!r}, "
                f"lines {_first_lines(first)})",
                source_name, line=int(first[0]), column=mapping["weight"])

    duplicated = table.duplicated(["item_id", "respondent_id"], keep="first").to_numpy()
    if duplicated.any():
        if duplicates == "error":
            first = table["source_line"].to_numpy()[duplicated]
            involved = table["source_line"].to_numpy()[
                table.duplicated(["item_id", "respondent_id"], keep=False).to_numpy()]
            raise ResponseFileError(
                f"{duplicated.sum()} duplicate respondent x item row(s) (lines {_first_lines(first)}; "
                f"all rows involved: lines {_first_lines(involved)}); "
                "pass duplicates='keep_first' to keep the first answer and count the rest",
                source_name, line=int(first[0]), column=mapping.get("respondent_id"))
        exclude(duplicated, "duplicate", "respondent_id")

    tidy = pd.DataFrame({
        "item_id": table["item_id"].astype("string"),
        "respondent_id": table["respondent_id"].astype("string"),
        "rating": scales.canonical_label(ranks.loc[table.index], chosen_scale) if chosen_scale
        else pd.Series(dtype="string"),
        "scale": np.int8(chosen_scale or 0),
        "rank": ranks.loc[table.index].astype("int8"),
    })
    if weights is not None:
        tidy["weight"] = weights.loc[table.index].astype(float)
    tidy["source_line"] = table["source_line"].astype("int64")
    tidy = tidy.reset_index(drop=True)

    exclusions = (pd.concat(excluded, ignore_index=True) if excluded else
                  pd.DataFrame({"source_line": pd.Series(dtype="int64"), "reason": pd.Series(dtype=str),
                                "column": pd.Series(dtype=str), "value": pd.Series(dtype=str)}))
    exclusions = exclusions.sort_values("source_line", kind="stable").reset_index(drop=True)
    tidy.attrs["load_report"] = LoadReport(
        source=source_name, file_format=file_format, encoding=used_encoding, scale=chosen_scale,
        rows_read=rows_read, rows_kept=len(tidy), exclusions=exclusions,
        columns=dict(mapping), notes=tuple(notes))
    return tidy
