"""Load response sheets into tidy responses, with a ledger of every row.

Flow: file -> grid of cell texts, each row carrying the line (CSV) or sheet row
(Excel) the analyst sees -> header row found below any title rows -> canonical
columns -> layout (long, or wide melted to long) -> rows excluded by reason ->
normalized ratings -> tidy responses + :class:`LoadReport`. The invariant
``rows_read == rows_kept + rows_excluded`` is checked on every load.

Nothing in an input file is executed: CSV is parsed by the standard library's
``csv`` reader, Excel by openpyxl with ``data_only=True`` (formulas are read as the
values Excel saved, never evaluated), Parquet by pandas/pyarrow. No pickle, no eval.
"""

from __future__ import annotations

import csv
import io as _io
import itertools
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .._validation import check_choice
from . import scales

__all__ = [
    "COLUMN_ALIASES",
    "ENCODINGS_TRIED",
    "EXCLUSION_REASONS",
    "META_COLUMNS",
    "SUMMARY_LABELS",
    "LoadReport",
    "ResponseFileError",
    "load_responses",
]

#: Header names recognized for each canonical column (compared after NFKC, trim,
#: lower-case; see :func:`survey_analysis.load.scales.normalize_text`). Within a tuple the
#: first alias found wins, so 事项编号 is preferred to 事项名称 when a sheet has both.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "item_id": ("item_id", "item", "item id", "item name", "item_name", "事项编号", "事项id", "事项",
                "项目编号", "项目", "事项名称", "项目名称", "服务事项", "评价事项"),
    "respondent_id": ("respondent_id", "respondent", "respondent id", "respondent no",
                      "受访者", "受访者编号", "受访者id", "受访人", "被访者", "问卷编号", "答卷编号",
                      "问卷id", "答卷id", "调查对象"),
    "rating": ("rating", "answer", "response", "satisfaction", "satisfaction level", "评价", "满意度",
               "满意程度", "评价结果", "满意度评价", "评价等级", "满意情况"),
    "weight": ("weight", "weights", "权重", "权数"),
}
#: Other header names a response sheet commonly has. They help find the header row and
#: are never taken for item columns of a wide sheet.
META_COLUMNS: tuple[str, ...] = (
    "序号", "编号", "no", "no.", "id", "姓名", "name", "性别", "gender", "sex", "年龄", "age",
    "电话", "联系电话", "手机", "phone", "地址", "address", "社区", "小区", "网格", "时间", "日期",
    "填写时间", "提交时间", "date", "time", "timestamp", "备注", "意见", "建议", "意见建议", "留言",
    "说明", "comment", "comments", "note", "notes", "remark", "remarks",
)
#: Labels that mark a totals / summary row (in the item or respondent cell, or the
#: first non-empty cell when it is not a rating cell), compared after normalization
#: with a trailing colon removed.
SUMMARY_LABELS: tuple[str, ...] = (
    "合计", "总计", "小计", "共计", "总和", "平均", "平均值", "平均分", "均值",
    "total", "totals", "grand total", "subtotal", "sum", "average", "mean",
)
REQUIRED_COLUMNS = ("item_id", "rating")
#: Encodings tried, in order, when none is given (a UTF-8 BOM selects utf-8-sig alone).
ENCODINGS_TRIED = ("utf-8-sig", "utf-8", "gb18030")
#: Reasons a row (a cell, in a wide sheet) is excluded, in the order they are checked.
EXCLUSION_REASONS = ("summary_row", "blank_row", "missing_rating", "not_asked", "unknown_item",
                     "duplicate", "dont_know", "unknown_label")
_EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
_PARQUET_SUFFIXES = {".parquet", ".pq"}
_LINE_BREAKS = r"\r\n|\r|\n"
_HEADER_SEARCH_ROWS = 50
_WIDE_LABEL_SHARE = 0.5
_UTF8_BOM = b"\xef\xbb\xbf"


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
    sheet : str or None
        Excel sheet name.
    """

    def __init__(self, message: str, source: str, line: int | None = None,
                 column: str | None = None, sheet: str | None = None):
        self.source, self.line, self.column, self.sheet = source, line, column, sheet
        where = source
        if sheet is not None:
            where += f", sheet {sheet!r}"
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")


def _empty_exclusions() -> pd.DataFrame:
    return pd.DataFrame({"source_line": pd.Series(dtype="int64"), "reason": pd.Series(dtype=str),
                         "column": pd.Series(dtype=str), "value": pd.Series(dtype=str)})


def _empty_unknown_items() -> pd.DataFrame:
    return pd.DataFrame({"item_id": pd.Series(dtype=str), "rows": pd.Series(dtype="int64"),
                         "source_lines": pd.Series(dtype=str)})


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
        Long layout: data rows below the header (blank and totals rows included).
        Wide layout: answer cells, i.e. data rows x item columns (see ``sheet_rows``).
    rows_kept : int
        Rows in the tidy result.
    exclusions : pandas.DataFrame
        One row per excluded row (cell, in a wide sheet): ``source_line``, ``reason``
        (one of :data:`EXCLUSION_REASONS`), ``column`` (header as written), ``value``.
    columns : dict
        Canonical column -> header in the file.
    notes : tuple of str
        Other things the analyst should know (e.g. generated respondent ids).
    layout : {"long", "wide"}
        Long: one row per respondent x item. Wide: one row per respondent, one column
        per item.
    sheet : str or None
        Excel sheet read.
    header_line : int or None
        Line (CSV) or sheet row (Excel) of the header; None for DataFrames and Parquet.
    sheet_rows : int or None
        Data rows below the header (equal to ``rows_read`` in the long layout).
    item_columns : tuple of str
        Wide layout: the item column headers (each is an ``item_id``).
    unknown_items : pandas.DataFrame
        With a catalogue: items answered but not in it, columns ``item_id``, ``rows``,
        ``source_lines`` (first lines); empty otherwise.
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
    layout: str = "long"
    sheet: str | None = None
    header_line: int | None = None
    sheet_rows: int | None = None
    item_columns: tuple = ()
    unknown_items: pd.DataFrame = field(default_factory=_empty_unknown_items, repr=False)

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
        lists the first lines of each exclusion reason (distinct lines, in order).
        """
        rows = [("read", self.rows_read, ""), ("kept", self.rows_kept, "")]
        for reason, group in self.exclusions.groupby("reason", sort=True):
            lines = pd.unique(group["source_line"].to_numpy())
            shown = ", ".join(str(int(v)) for v in lines[:10]) + (" ..." if len(lines) > 10 else "")
            rows.append((f"excluded: {reason}", len(group), shown))
        return pd.DataFrame(rows, columns=["category", "rows", "source_lines"])

    def __str__(self) -> str:
        head = f"Load report for {self.source} ({self.file_format}"
        head += f", encoding {self.encoding}" if self.encoding else ""
        head += f", sheet {self.sheet!r}" if self.sheet is not None else ""
        lines = [head + ")"]
        if self.header_line is not None:
            unit = "row" if self.file_format == "excel" else "line"
            lines.append(f"  header: {unit} {self.header_line}")
        if self.layout == "wide":
            lines.append(f"  layout: wide, {len(self.item_columns)} item column(s) x "
                         f"{self.sheet_rows} data row(s) = {self.rows_read} answer cells "
                         "(the counts below are cells)")
        lines.append(f"  scale: {self.scale}-level" if self.scale else "  scale: none detected")
        for category, rows, where in self.to_frame().itertuples(index=False):
            lines.append(f"  {category:<28} {rows:>8}" + (f"   lines {where}" if where else ""))
        if len(self.unknown_items):
            parts = [f"{item} x{rows} (lines {where})"
                     for item, rows, where in self.unknown_items.itertuples(index=False)]
            lines.append(f"  items not in the catalogue: {len(self.unknown_items)}: " + "; ".join(parts))
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


# ---------------------------------------------------------------------------
# Reading: file -> grid of texts with line numbers
# ---------------------------------------------------------------------------

@dataclass
class _Grid:
    """Every row of a file or sheet as text (not yet stripped), with its line."""

    text: pd.DataFrame          # string cells, '' when empty; columns 0..m-1
    lines: np.ndarray           # line (CSV) or sheet row (Excel) of each grid row
    source: str
    file_format: str
    encoding: str | None = None
    sheet: str | None = None
    headers: list | None = None  # DataFrame / Parquet: the column names are the header
    no_value: pd.DataFrame | None = None  # Excel: formula cell without a saved value
    merged: list = field(default_factory=list)  # Excel: (min_col, min_row, max_col, max_row)
    notes: list = field(default_factory=list)


def _decode(data: bytes, source: str, encoding: str | None) -> tuple[str, str, list]:
    """Decode bytes strictly: the given encoding, else BOM, UTF-8, GB18030 in turn.

    Returns the text, the encoding used and notes. A NUL character never occurs in a
    text CSV (it means UTF-16/32 without a BOM, or a binary file), so a candidate that
    yields one is rejected.
    """
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as error:
            raise ResponseFileError(f"cannot decode with encoding {encoding!r}: {error}", source) from None
        if text.startswith("\ufeff"):  # e.g. encoding="utf-8" on a file saved with a BOM
            return text[1:], encoding, ["a byte-order mark (BOM) at the start of the file was removed"]
        return text, encoding, []
    candidates = ENCODINGS_TRIED[:1] if data.startswith(_UTF8_BOM) else ENCODINGS_TRIED[1:]
    for candidate in candidates:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text, candidate, []
    hint = ""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        hint = ("; the file starts with a UTF-16 byte-order mark (Excel's 'Unicode Text'): "
                "save it as 'CSV UTF-8', or pass encoding='utf-16'")
    elif data.startswith(b"PK\x03\x04"):
        hint = "; it looks like an Excel workbook: give it the .xlsx suffix"
    elif b"\x00" in data:
        hint = "; it contains NUL bytes (UTF-16/UTF-32 text or a binary file)"
    raise ResponseFileError(
        f"no encoding decodes this file; tried {', '.join(candidates)}{hint} "
        "(pass encoding=... if you know it)", source)


def _read_csv(path: Path, encoding: str | None) -> _Grid:
    name = str(path)
    text, used, notes = _decode(path.read_bytes(), name, encoding)
    # Excel's "Unicode Text" export separates fields by tabs: a sample of lines with
    # tabs and no comma at all is read tab-separated.
    sample = [line for line in text[:65536].splitlines()[:20] if line.strip()]
    delimiter = "\t" if sample and not any("," in line for line in sample) and \
        any("\t" in line for line in sample) else ","
    if delimiter == "\t":
        notes = notes + ["fields are separated by tabs"]
    # The standard library's C reader, not pandas: pandas fixes the number of fields
    # from the first record, so a title line above the header would be a parse error.
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as error:
        raise ResponseFileError(f"not a readable CSV: {error}", name, line=reader.line_num) from None
    if not records:
        raise ResponseFileError("not a readable CSV: the file is empty", name)
    # Records differ in length (title lines, trailing commas): pad them to columns.
    columns = list(itertools.zip_longest(*records, fillvalue=""))
    grid = (pd.DataFrame({i: pd.array(col, dtype="string") for i, col in enumerate(columns)},
                         index=range(len(records))))
    # Each record starts on the line after the line breaks inside earlier records
    # (a quoted comment may span lines).
    spans = (grid.apply(lambda col: col.str.count(_LINE_BREAKS)).sum(axis=1).to_numpy(dtype=np.int64)
             if grid.shape[1] else np.zeros(len(grid), dtype=np.int64))
    lines = 1 + np.arange(len(grid)) + np.cumsum(spans) - spans
    return _Grid(grid, lines, name, "csv", encoding=used, notes=notes)


def _excel_text(grid: pd.DataFrame) -> pd.DataFrame:
    """openpyxl values as text: whole floats without '.0', missing as ''."""
    def as_text(col: pd.Series) -> pd.Series:
        text = col.astype("string")
        whole = (col.map(type) == float) & text.str.fullmatch(r"-?\d+\.0").fillna(False)
        return text.mask(whole, text.str.slice(stop=-2)).fillna("")
    return grid.apply(as_text) if grid.shape[1] else grid.astype("string")


def _is_formula(value) -> bool:
    # data_only=False: a formula reads as "=..." text, or an ArrayFormula/DataTableFormula.
    return (isinstance(value, str) and value.startswith("=")) or type(value).__name__.endswith("Formula")


def _read_excel(path: Path, sheet) -> _Grid:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    name = str(path)
    try:
        # Not read_only: merged ranges are only known to a fully loaded sheet.
        book = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise ResponseFileError(f"not a readable Excel workbook ({error})", name) from None
    names = book.sheetnames
    if isinstance(sheet, (int, np.integer)) and not isinstance(sheet, bool):
        if not -len(names) <= sheet < len(names):
            raise ResponseFileError(f"no sheet number {sheet}; the workbook has {len(names)} "
                                    f"sheet(s): {names}", name)
        sheet_name = names[sheet]
    elif sheet in names:
        sheet_name = sheet
    else:
        raise ResponseFileError(f"no sheet named {sheet!r}; sheets: {names}", name)
    ws = book[sheet_name]
    values = pd.DataFrame(list(ws.values), dtype=object)
    merged = [r.bounds for r in ws.merged_cells.ranges]  # (min_col, min_row, max_col, max_row)
    book.close()
    # A formula cell reads as None when the file holds no saved value for it (written by
    # a program that does not calculate). Only the formulas view tells such a cell from
    # an empty one.
    formulas_book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    formulas = pd.DataFrame(list(formulas_book[sheet_name].values), dtype=object)
    formulas_book.close()
    formulas = formulas.reindex(index=values.index, columns=values.columns)
    no_value = formulas.map(_is_formula) & values.isna()
    text = _excel_text(values)
    grid = _Grid(text, np.arange(1, len(text) + 1), name, "excel", sheet=sheet_name,
                 no_value=no_value, merged=merged)
    # Rows below the last cell with content are formatting, not lines of data.
    filled = ((text.apply(lambda col: col.str.strip()) != "") | no_value).any(axis=1).to_numpy()
    last = np.flatnonzero(filled)
    keep = int(last[-1]) + 1 if len(last) else 0
    grid.text, grid.lines, grid.no_value = text.iloc[:keep], grid.lines[:keep], no_value.iloc[:keep]
    return grid


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
    if raw.shape[1] == 0:
        return raw.astype("string")
    return raw.apply(as_text)


def _read_source(source, sheet, encoding) -> _Grid:
    if isinstance(source, pd.DataFrame):
        frame, name, file_format = source, "<DataFrame>", "dataframe"
    else:
        path = Path(source)
        name = str(path)
        if not path.exists():
            raise FileNotFoundError(f"response file not found: {name}")
        suffix = path.suffix.lower()
        if suffix in _EXCEL_SUFFIXES:
            return _read_excel(path, sheet)
        if suffix == ".xls":
            raise ResponseFileError("the old binary .xls format is not read; open it in Excel or "
                                    "LibreOffice and save it as .xlsx", name)
        if suffix not in _PARQUET_SUFFIXES:
            return _read_csv(path, encoding)
        frame, file_format = pd.read_parquet(path), "parquet"
    text = _as_strings(frame.set_axis(range(frame.shape[1]), axis=1))
    return _Grid(text, np.arange(1, len(frame) + 1), name, file_format,
                 headers=[str(c) for c in frame.columns])


# ---------------------------------------------------------------------------
# Header row and columns
# ---------------------------------------------------------------------------

def _normalize_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.apply(scales.normalize_text) if frame.shape[1] else frame


def _normalize_list(values) -> list[str]:
    return scales.normalize_text(pd.Series([str(v) for v in values], dtype="string")).tolist()


def _find_header(grid: _Grid, recognized: set, header_row) -> int:
    """Position (in ``grid.text``) of the header row."""
    text, lines = grid.text, grid.lines
    unit = "row" if grid.file_format == "excel" else "line"
    nonempty = (text.apply(lambda col: col.str.strip()) != "").to_numpy() if text.shape[1] else \
        np.zeros((len(text), 0), dtype=bool)
    if header_row is not None:
        found = np.flatnonzero(lines == header_row)
        if not len(found) or not nonempty[found[0]].any():
            raise ResponseFileError(f"header_row={header_row} is not a non-empty {unit} "
                                    f"of the file (it has {unit}s 1 to {lines.max() if len(lines) else 0})",
                                    grid.source, sheet=grid.sheet)
        return int(found[0])
    if not nonempty.any():
        what = "the sheet is empty" if grid.file_format == "excel" else "not a readable CSV: the file is empty"
        raise ResponseFileError(f"{what} (no non-blank {unit} to take as the header)",
                                grid.source, sheet=grid.sheet)
    top = text.iloc[:_HEADER_SEARCH_ROWS]
    hits = _normalize_frame(top).isin(recognized).any(axis=1).to_numpy()
    if hits.any():
        return int(np.argmax(hits))
    # No known header name: take the first row with the most filled cells (a title row
    # fills one cell; the header fills every column).
    return int(np.argmax(nonempty[:_HEADER_SEARCH_ROWS].sum(axis=1)))


def _find_column(headers: list, normalized: list, wanted) -> int | None:
    """Position of ``wanted`` among ``headers``: exact text first, then normalized."""
    wanted = str(wanted)
    for candidates, target in ((headers, wanted), (normalized, _normalize_list([wanted])[0])):
        if target in candidates:
            return candidates.index(target)
    return None


def _shown_headers(headers: list) -> list:
    return [h for h in headers if h.strip()]


def _resolve_columns(headers, normalized, columns, source, sheet):
    """Canonical column -> position, from ``columns`` first, then :data:`COLUMN_ALIASES`."""
    mapping: dict[str, int] = {}
    for canonical, header in (columns or {}).items():
        check_choice("canonical column", canonical, tuple(COLUMN_ALIASES))
        position = _find_column(headers, normalized, header)
        if position is None:
            raise ResponseFileError(
                f"columns= maps {canonical!r} to {header!r}, which is not a column; "
                f"columns found: {_shown_headers(headers)}", source, column=str(header), sheet=sheet)
        mapping[canonical] = position
    for canonical, aliases in COLUMN_ALIASES.items():
        if canonical in mapping:
            continue
        for alias in aliases:
            positions = [i for i, h in enumerate(normalized) if h == alias and i not in mapping.values()]
            if positions:
                mapping[canonical] = positions[0]
                break
    return mapping


def _detect_item_columns(cells: pd.DataFrame, headers, normalized, taken):
    """Wide sheet: the item columns, and the columns that nearly qualified.

    A candidate (not taken, not a meta column, with a header) is an item column when
    at least half of its non-empty cells are rating labels or "don't know" answers
    and at least one is a word label: a column of small numbers alone may as well
    hold ids, ages or counts, so numeric item columns must be named with
    ``item_columns=``. Returns (item positions, notes about near misses).
    """
    known_names = set(META_COLUMNS).union(*COLUMN_ALIASES.values())
    candidates = [i for i, (h, n) in enumerate(zip(headers, normalized))
                  if str(h).strip() and i not in taken and n not in known_names]
    block = cells[candidates].to_numpy(dtype=object)  # totals rows included: they are few
    if not candidates or not block.size:
        return [], []
    tokens = scales.classify_labels(scales.normalize_text(pd.Series(block.ravel(), dtype="string")))
    tokens = tokens.to_numpy(dtype=object, na_value=None).reshape(block.shape)
    known = pd.notna(tokens)
    worded = known & ~pd.Series(tokens.ravel()).astype("string").str.startswith("NUM") \
        .fillna(False).to_numpy(dtype=bool).reshape(block.shape)
    filled = (block != "").sum(axis=0)
    share = np.divide(known.sum(axis=0), filled, out=np.zeros(len(candidates)), where=filled > 0)
    qualifies = (share >= _WIDE_LABEL_SHARE) & worded.any(axis=0)
    items = [c for c, ok in zip(candidates, qualifies) if ok]
    near = [f"column {str(headers[c])!r} holds {int(k)} rating label(s) among {int(f)} answers and "
            "was not read as an item column (name it in item_columns= if it is one)"
            for c, ok, k, f in zip(candidates, qualifies, known.sum(axis=0), filled) if not ok and k]
    return items, near


# ---------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------

def _first_lines(lines, limit: int = 5) -> str:
    lines = np.asarray(lines)
    shown = ", ".join(str(int(v)) for v in lines[:limit])
    return shown + (" ..." if len(lines) > limit else "")


def _where(lines, headers, wide: bool, limit: int = 5) -> str:
    """'lines 3, 5' (long) or 'lines 3 [路灯], 5 [道路]' (wide: the item column too)."""
    lines = np.asarray(lines)
    if not wide:
        return "lines " + _first_lines(lines, limit)
    headers = np.asarray(headers)
    shown = ", ".join(f"{int(v)} [{h}]" for v, h in zip(lines[:limit], headers[:limit]))
    return "lines " + shown + (" ..." if len(lines) > limit else "")


def _label_listing(values, lines, headers, wide: bool) -> str:
    table = pd.DataFrame({"value": np.asarray(values, dtype=object), "line": np.asarray(lines),
                          "header": np.asarray(headers, dtype=object)})
    return "; ".join(f"{value!r} x{len(group)} ({_where(group['line'], group['header'], wide)})"
                     for value, group in table.groupby("value", sort=True))


# ---------------------------------------------------------------------------
# The loader
# ---------------------------------------------------------------------------

@dataclass
class _Sheet:
    """The data rows below the header, as stripped text, with their lines."""

    source: str
    sheet: str | None
    headers: list                  # header text as written, one per column
    normalized: list               # headers after normalize_text
    cells: pd.DataFrame            # stripped text, '' when empty; columns 0..m-1
    lines: np.ndarray              # line / sheet row of each data row
    header_line: int | None = None
    no_value: pd.DataFrame | None = None      # Excel: formula without a saved value
    header_no_value: np.ndarray | None = None
    notes: list = field(default_factory=list)

    def fail(self, message: str, line=None, column=None) -> ResponseFileError:
        return ResponseFileError(message, self.source, line=line, column=column, sheet=self.sheet)

    def header(self, position: int) -> str:
        return str(self.headers[position])


@dataclass
class _Plan:
    """Layout and where the canonical columns are."""

    layout: str
    mapping: dict                  # canonical -> column position
    items: list                    # wide: item column positions

    def header_of(self, sheet: _Sheet) -> dict:
        return {c: sheet.header(p) for c, p in self.mapping.items()}


def _split_header(grid: _Grid, header_row, columns, item_columns) -> _Sheet:
    """Find the header row, fill merged ranges below it, drop empty unnamed columns."""
    notes = list(grid.notes)
    if grid.headers is not None:
        if header_row is not None:
            raise ValueError("header_row= applies to CSV and Excel files; the column names of a "
                             "DataFrame or Parquet file are its header")
        headers, header_line, cells, lines = grid.headers, None, grid.text, grid.lines
        no_value = header_no_value = None
    else:
        recognized = set(META_COLUMNS).union(*COLUMN_ALIASES.values())
        recognized.update(_normalize_list(list((columns or {}).values()) + list(item_columns or [])))
        position = _find_header(grid, recognized, header_row)
        headers = grid.text.iloc[position].tolist()
        header_line = int(grid.lines[position])
        below = grid.text.iloc[position + 1:]
        cells = below.apply(lambda col: col.str.strip()) if below.shape[1] else below
        lines = grid.lines[position + 1:]
        no_value = grid.no_value.iloc[position + 1:] if grid.no_value is not None else None
        header_no_value = grid.no_value.iloc[position].to_numpy() if grid.no_value is not None else None
        # Merged ranges below the header: every cell takes the value of the range's
        # top-left cell (a small loop over merged ranges, not over rows).
        for min_col, min_row, max_col, max_row in grid.merged:
            if header_line < min_row <= len(grid.text):
                rows = np.flatnonzero((lines >= min_row) & (lines <= max_row))
                cells.iloc[rows, min_col - 1:max_col] = grid.text.iat[min_row - 1, min_col - 1].strip()
    cells = cells.reset_index(drop=True)
    if no_value is not None:
        no_value = no_value.reset_index(drop=True)
    occupied = (cells != "").any(axis=0).to_numpy() if len(cells) else np.zeros(len(headers), bool)
    if no_value is not None:
        occupied = occupied | no_value.any(axis=0).to_numpy()
    unnamed = [i for i, h in enumerate(headers) if not str(h).strip() and occupied[i]]
    if unnamed:
        notes.append(f"{len(unnamed)} column(s) without a header hold values and were ignored")
    return _Sheet(grid.source, grid.sheet, list(headers), _normalize_list(headers), cells,
                  np.asarray(lines, dtype=np.int64), header_line, no_value, header_no_value, notes)


def _is_summary(values: pd.Series) -> np.ndarray:
    norm = scales.normalize_text(values).str.replace(r"\s*[:：]$", "", regex=True)
    return norm.isin(set(SUMMARY_LABELS)).fillna(False).to_numpy(dtype=bool)


def _first_cells(sheet: _Sheet) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column, text and header of the first non-empty cell of each row ('' for a blank row)."""
    cells = sheet.cells
    if not cells.shape[1]:
        empty = np.full(len(cells), "", dtype=object)
        return np.zeros(len(cells), dtype=int), empty, empty
    first = np.argmax((cells != "").to_numpy(), axis=1)
    text = cells.to_numpy(dtype=object)[np.arange(len(cells)), first]
    return first, text, np.asarray([str(h) for h in sheet.headers], dtype=object)[first]


def _choose_layout(sheet: _Sheet, columns, item_columns, layout) -> _Plan:
    headers, normalized = sheet.headers, sheet.normalized
    mapping = _resolve_columns(headers, normalized, columns, sheet.source, sheet.sheet)
    items: list[int] = []
    if item_columns is not None:
        for header in item_columns:
            position = _find_column(headers, normalized, header)
            if position is None:
                raise sheet.fail(f"item_columns names {header!r}, which is not a column; "
                                 f"columns found: {_shown_headers(headers)}", column=str(header))
            items.append(position)
        chosen = "wide"
    elif layout == "long" or (layout == "auto" and "item_id" in mapping):
        chosen = "long"
    else:
        taken = {mapping[c] for c in ("respondent_id", "weight") if c in mapping}
        if layout == "auto":
            taken |= {mapping[c] for c in REQUIRED_COLUMNS if c in mapping}
        items, near_misses = _detect_item_columns(sheet.cells, headers, normalized, taken)
        # A single column of labels in a sheet without an item column is more likely a
        # long sheet with unrecognized headers than a wide sheet of one item: ask.
        chosen = "wide" if len(items) >= (1 if layout == "wide" else 2) else "long"
        if chosen == "wide":
            sheet.notes.extend(near_misses)
        elif layout == "wide":
            raise sheet.fail(f"no item columns found (columns whose answers are mostly rating labels, "
                             f"in words); columns found: {_shown_headers(headers)}. "
                             "Pass item_columns=[...]")
    if chosen == "long":
        missing = [c for c in REQUIRED_COLUMNS if c not in mapping]
        if missing:
            lone = (f" Column {sheet.header(items[0])!r} holds rating labels: name it in columns= "
                    "(long sheet) or item_columns= (wide sheet)." if items else "")
            raise sheet.fail(
                f"required column(s) {missing} not found; columns found: {_shown_headers(headers)}. "
                "Pass columns={'item_id': ..., 'rating': ...} to name them (or, for a wide sheet "
                "with one column per item, item_columns=[...])." + lone)
        return _Plan("long", mapping, [])
    names = pd.Series([sheet.header(i).strip() for i in items])
    if names.duplicated().any():
        twice = items[int(np.argmax(names.duplicated().to_numpy()))]
        raise sheet.fail(f"item column {sheet.header(twice).strip()!r} appears twice",
                         column=sheet.header(twice))
    mapping = {c: p for c, p in mapping.items() if c in ("respondent_id", "weight") and p not in items}
    return _Plan("wide", mapping, items)


def _check_formulas(sheet: _Sheet, used: list, summary: np.ndarray) -> None:
    """Excel: a formula cell the loader needs (header, or a used column of a data row that
    is not a totals row) must hold the value Excel saved."""
    if sheet.no_value is None:
        return
    in_header = np.flatnonzero(sheet.header_no_value)
    cells = sheet.no_value[used].to_numpy(dtype=bool) & ~summary[:, None]
    if len(in_header):
        row, col, count = sheet.header_line, int(in_header[0]), len(in_header)
    elif cells.any():
        r, c = np.argwhere(cells)[0]
        row, col, count = int(sheet.lines[r]), used[int(c)], int(cells.sum())
    else:
        return
    from openpyxl.utils import get_column_letter

    raise sheet.fail(f"{sheet.sheet}!{get_column_letter(col + 1)}{row} holds a formula with no saved "
                     f"value ({count} such cell(s)); the file was written by a program that does "
                     "not calculate formulas: open it in Excel or LibreOffice and save it, or "
                     "replace the formulas by values", line=row, column=sheet.header(col))


def _answers(sheet: _Sheet, plan: _Plan, summary, first_text, first_header) -> pd.DataFrame:
    """One row per answer: the long sheet's rows, or the wide sheet's cells (row-major).

    Private columns: ``_rating_header`` (header of the rating cell), ``_summary`` and
    ``_blank`` (the sheet row is a totals / blank row), ``_first`` and
    ``_first_header`` (first non-empty cell of the row and its header).
    """
    cells, n = sheet.cells, len(sheet.cells)
    used = list(plan.mapping.values()) + plan.items
    blank = (cells[used] == "").all(axis=1).to_numpy() if used else np.ones(n, dtype=bool)
    if plan.layout == "wide":
        k = len(plan.items)
        item_headers = np.array([sheet.header(i) for i in plan.items], dtype=object)
        table = pd.DataFrame({
            "item_id": np.tile(np.array([h.strip() for h in item_headers], dtype=object), n),
            "rating": cells[plan.items].to_numpy(dtype=object).ravel(),  # row-major: row by row
        })
        for canonical, position in plan.mapping.items():
            table[canonical] = np.repeat(cells[position].to_numpy(dtype=object), k)
        table["_rating_header"] = np.tile(item_headers, n)
    else:
        k = 1
        table = pd.DataFrame({c: cells[p].to_numpy(dtype=object) for c, p in plan.mapping.items()})
        table["_rating_header"] = sheet.header(plan.mapping["rating"])

    def repeat(values) -> np.ndarray:  # a row-level value for each of the row's answers
        return np.repeat(np.asarray(values), k)

    table["source_line"] = repeat(sheet.lines)
    table["_summary"], table["_blank"] = repeat(summary), repeat(blank)
    table["_first"], table["_first_header"] = repeat(first_text), repeat(first_header)
    for column in ("item_id", "rating", "respondent_id", "weight"):
        if column in table:
            table[column] = table[column].astype("string")
    return table


_KEEP_PREFIX = "_keep:"
_TIDY_COLUMNS = ("item_id", "respondent_id", "rating", "scale", "rank", "weight", "source_line")


def _keep_columns(sheet: _Sheet, plan: _Plan, keep_columns, answers: pd.DataFrame) -> list[str]:
    """Add the requested extra columns to ``answers`` (repeated per answer in a wide sheet)."""
    if keep_columns is None:
        return []
    names = [keep_columns] if isinstance(keep_columns, str) else [str(c) for c in keep_columns]
    headers = [sheet.header(p).strip() for p in range(len(sheet.headers))]
    per_row = len(plan.items) if plan.layout == "wide" else 1
    for name in names:
        if name in _TIDY_COLUMNS:
            raise ValueError(f"keep_columns: {name!r} is a column of the tidy result already")
        if name.strip() not in headers:
            raise sheet.fail(f"keep_columns: column {name!r} not found; columns found: "
                             f"{[h for h in headers if h]}")
        position = headers.index(name.strip())
        answers[_KEEP_PREFIX + name] = np.repeat(sheet.cells[position].to_numpy(dtype=object), per_row)
    return names


class _Ledger:
    """The answers still in play, and those excluded so far with their reason."""

    def __init__(self, table: pd.DataFrame, header_of: dict, wide: bool):
        self.table, self.header_of, self.wide = table, header_of, wide
        self.rows_read = len(table)
        self._excluded: list[pd.DataFrame] = []

    def exclude(self, mask, reason: str, column: str = "rating", value: str | None = None) -> None:
        """Move the rows in ``mask`` to the ledger. ``column``: ``"rating"`` (the rating
        cell's header), ``"_first"`` (the row's first non-empty cell) or a canonical name."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        part = self.table.loc[mask]
        if column == "rating":
            headers = part["_rating_header"].to_numpy(dtype=object)
        elif column == "_first":
            headers = part["_first_header"].to_numpy(dtype=object)
        else:
            headers = self.header_of.get(column, column)
        value = value or column
        self._excluded.append(pd.DataFrame({
            "source_line": part["source_line"].to_numpy(dtype=np.int64),
            "reason": reason,
            "column": headers,
            "value": part[value].to_numpy(dtype=object) if value in part else "",
        }))
        self.table = self.table.loc[~mask]

    def where(self, mask) -> tuple[np.ndarray, np.ndarray]:
        """Lines and rating headers of the rows in ``mask``."""
        return (self.table["source_line"].to_numpy()[mask],
                self.table["_rating_header"].to_numpy()[mask])

    def exclusions(self) -> pd.DataFrame:
        frame = pd.concat(self._excluded, ignore_index=True) if self._excluded else _empty_exclusions()
        return frame.sort_values("source_line", kind="stable").reset_index(drop=True)


def _check_ids(ledger: _Ledger, sheet: _Sheet, plan: _Plan) -> None:
    """Item and respondent ids must not be empty; without a respondent column, one per row."""
    table, header_of = ledger.table, plan.header_of(sheet)
    if plan.layout == "long":
        empty = (table["item_id"] == "").to_numpy()
        if empty.any():
            first = table["source_line"].to_numpy()[empty]
            raise sheet.fail(f"empty item id on {empty.sum()} row(s) (lines {_first_lines(first)})",
                             line=int(first[0]), column=header_of["item_id"])
    if "respondent_id" in plan.mapping:
        empty = (table["respondent_id"] == "").to_numpy()
        if empty.any():
            first = pd.unique(table["source_line"].to_numpy()[empty])
            raise sheet.fail(f"empty respondent id on {len(first)} row(s) (lines {_first_lines(first)})",
                             line=int(first[0]), column=header_of["respondent_id"])
    else:
        table["respondent_id"] = ("L" + table["source_line"].astype(str)).astype("string")
        sheet.notes.append("no respondent column: each row is treated as its own respondent")


def _check_catalogue(ledger: _Ledger, sheet: _Sheet, catalogue_ids: set, unknown_items: str) -> pd.DataFrame:
    """Answers to items not in the catalogue: a table, and report / error / exclude."""
    table = ledger.table
    outside = ~table["item_id"].isin(catalogue_ids).to_numpy(dtype=bool)
    if not outside.any():
        return _empty_unknown_items()
    part = table.loc[outside]
    grouped = part.groupby("item_id", sort=True)["source_line"]
    counts = grouped.size()
    unknown = pd.DataFrame({
        "item_id": counts.index.astype(str),
        "rows": counts.to_numpy(dtype=np.int64),
        "source_lines": grouped.agg(lambda s: _first_lines(pd.unique(s.to_numpy()))).to_numpy(),
    })
    listing = "; ".join(f"{i!r} x{n} (lines {w})" for i, n, w in unknown.itertuples(index=False))
    if unknown_items == "error":
        column = ledger.header_of.get("item_id") or str(part["_rating_header"].iloc[0])
        raise sheet.fail(f"{len(unknown)} item(s) not in the catalogue: {listing}. Pass "
                         "unknown_items='report' to keep them or 'exclude' to exclude and count them",
                         line=int(part["source_line"].iloc[0]), column=column)
    if unknown_items == "exclude":
        ledger.exclude(outside, "unknown_item", "rating" if ledger.wide else "item_id", "item_id")
    return unknown


def _check_duplicates(ledger: _Ledger, sheet: _Sheet, duplicates: str) -> None:
    """Two answers of one respondent to one item ("don't know" and unknown labels included)."""
    key = ["item_id", "respondent_id"]
    duplicated = ledger.table.duplicated(key, keep="first").to_numpy()
    if not duplicated.any():
        return
    if duplicates == "error":
        involved = ledger.table.duplicated(key, keep=False).to_numpy()
        lines, headers = ledger.where(duplicated)
        all_lines, all_headers = ledger.where(involved)
        raise sheet.fail(
            f"{duplicated.sum()} duplicate respondent x item row(s) "
            f"({_where(lines, headers, ledger.wide)}; all rows involved: "
            f"{_where(all_lines, all_headers, ledger.wide)}); "
            "pass duplicates='keep_first' to keep the first answer and count the rest",
            line=int(lines[0]),
            column=ledger.header_of.get("respondent_id", str(headers[0]) if ledger.wide else None))
    ledger.exclude(duplicated, "duplicate")


def _rate(ledger: _Ledger, sheet: _Sheet, scale, unknown_labels: str):
    """Exclude "don't know", decide the scale, rank the answers. Returns (ranks, scale)."""
    normalized = scales.normalize_text(ledger.table["rating"])
    tokens = scales.classify_labels(normalized)
    dont_know = (tokens == "DK").fillna(False).to_numpy(dtype=bool)
    ledger.exclude(dont_know, "dont_know")
    normalized, tokens = normalized[~dont_know], tokens[~dont_know]
    ratings = ledger.table["rating"].to_numpy(dtype=object)
    if scale == "auto":
        try:
            scale = scales.detect_scale(tokens, normalized)
        except scales.MixedScaleError as error:
            parts, firsts = [], []
            for description, group in error.groups.items():
                mask = tokens.isin(group).fillna(False).to_numpy(dtype=bool)
                lines, headers = ledger.where(mask)
                parts.append(f"{description} " + _label_listing(ratings[mask], lines, headers, ledger.wide))
                firsts.append((int(mask.sum()), -int(lines[0]), int(lines[0]), str(headers[0])))
            _, _, line, column = min(firsts)  # point at the rarer group (the later one on a tie)
            raise sheet.fail(f"{error}. Lines: " + "; ".join(parts), line=line, column=column) from None
    ranks = (scales.rank_on_scale(tokens, scale) if scale
             else pd.Series(pd.NA, index=tokens.index, dtype="Int8"))
    unknown = ranks.isna().to_numpy()
    if unknown.any():
        if unknown_labels == "error":
            lines, headers = ledger.where(unknown)
            raise sheet.fail("unknown rating labels: "
                             + _label_listing(ratings[unknown], lines, headers, ledger.wide)
                             + ". Recode them, or pass unknown_labels='exclude' to exclude and count them",
                             line=int(lines[0]), column=str(headers[0]))
        ledger.exclude(unknown, "unknown_label")
        ranks = ranks[~unknown]
    return ranks, scale


def _check_weights(ledger: _Ledger, sheet: _Sheet) -> pd.Series:
    """Weights of the kept answers: positive finite numbers."""
    table = ledger.table
    weights = pd.to_numeric(table["weight"], errors="coerce")
    bad = (weights.isna() | ~np.isfinite(weights) | (weights <= 0)).to_numpy()
    if bad.any():
        first = pd.unique(table["source_line"].to_numpy()[bad])
        raise sheet.fail(
            f"weights must be positive numbers; {len(first)} row(s) are empty, non-numeric, "
            f"zero or negative (first value {table['weight'].to_numpy()[bad][0]!r}, "
            f"lines {_first_lines(first)})", line=int(first[0]), column=ledger.header_of["weight"])
    return weights.astype(float)


def _read_catalogue(catalogue) -> set:
    """Item ids of a catalogue (DataFrame or CSV / Excel / Parquet path)."""
    if isinstance(catalogue, pd.DataFrame):
        frame, name = catalogue, "<catalogue DataFrame>"
    else:
        path = Path(catalogue)
        name = str(path)
        if not path.exists():
            raise FileNotFoundError(f"catalogue file not found: {name}")
        suffix = path.suffix.lower()
        if suffix in _EXCEL_SUFFIXES:
            frame = pd.read_excel(path, dtype=str)
        elif suffix in _PARQUET_SUFFIXES:
            frame = pd.read_parquet(path)
        else:
            text, _, _ = _decode(path.read_bytes(), name, None)
            frame = pd.read_csv(_io.StringIO(text), dtype=str, keep_default_na=False)
    headers = [str(c) for c in frame.columns]
    position = None
    normalized = _normalize_list(headers)
    for alias in COLUMN_ALIASES["item_id"]:
        if alias in normalized:
            position = normalized.index(alias)
            break
    if position is None:
        raise ResponseFileError(f"the catalogue has no item_id column; columns found: {headers}", name)
    ids = _as_strings(frame.iloc[:, [position]]).iloc[:, 0]
    return set(ids[ids != ""])


def load_responses(
    source,
    *,
    columns: dict | None = None,
    sheet=0,
    encoding: str | None = None,
    scale="auto",
    unknown_labels: str = "error",
    duplicates: str = "error",
    layout: str = "auto",
    item_columns=None,
    header_row: int | None = None,
    catalogue=None,
    unknown_items: str = "report",
    keep_columns=None,
) -> pd.DataFrame:
    """Read a response sheet into tidy responses (one row per respondent x item).

    Parameters
    ----------
    source : str, path or pandas.DataFrame
        CSV, Excel (``.xlsx``, ``.xlsm``), Parquet (``.parquet``, ``.pq``), or an
        in-memory DataFrame; long or wide layout (see ``layout``). Any other suffix
        is read as CSV. The old binary ``.xls`` format is refused with a message.
    columns : dict, optional
        Canonical name -> header in the file, e.g. ``{"item_id": "编号"}``. Headers
        not given are recognized from :data:`COLUMN_ALIASES` (事项编号, 事项名称, 受访者,
        评价, 满意度, 满意程度, 权重, item, respondent, rating, weight ...), compared
        after NFKC, trimming and lower-casing. Non-string column names (e.g. integers
        of a DataFrame) are compared as text.
    sheet : str or int, default 0
        Excel sheet name, or index (0 = first sheet). Ignored for other formats.
    encoding : str, optional
        CSV text encoding. By default the file is decoded strictly with, in turn,
        UTF-8 with BOM (only if the file starts with one), UTF-8, then GB18030 (a
        superset of GBK and GB2312); the first that decodes without error is used
        and recorded in the report (a text with NUL characters, i.e. UTF-16 without
        a BOM, counts as not decoded). A given encoding is used as is, and a leading
        byte-order mark is removed. A CSV whose first lines hold tabs and no comma
        (Excel's "Unicode Text") is read as tab-separated.
    scale : {"auto", 2, 3, 5}
        Rating scale; ``"auto"`` detects it from the labels (see :mod:`.scales`).
    unknown_labels : {"error", "exclude"}
        An answer that is not a known label is an error listing each unknown label
        with its count and first lines; ``"exclude"`` excludes and counts them.
    duplicates : {"error", "keep_first"}
        Two answers of the same respondent to the same item are an error;
        ``"keep_first"`` keeps the first (in file order) and counts the others as
        excluded (``duplicate``). A "don't know" answer counts as an answer here, so
        不了解 followed by 满意 for the same respondent and item is a duplicate; a blank
        rating is no answer and is not.
    layout : {"auto", "long", "wide"}
        ``"long"``: one row per respondent x item, with item and rating columns.
        ``"wide"``: one row per respondent and one column per item; the item id is the
        column header and each cell a rating. ``"auto"`` (default) reads a sheet that
        has an item column as long; otherwise it looks for item columns and reads the
        sheet as wide when it finds at least two (a single column of labels without an
        item column is an error that asks which layout is meant).
    item_columns : list of str, optional
        Wide layout: the headers of the item columns. By default they are detected:
        columns with a header, other than the respondent, weight and common meta
        columns (:data:`META_COLUMNS`: 序号, 姓名, 备注 ...), whose non-empty cells are at
        least half rating labels (or "don't know"), at least one in words. A column
        of numbers alone may hold ids, ages or counts as well as 1-5 scores, so
        numeric item columns must be named here. A column that holds some labels
        but was not taken is mentioned in the report's notes. Giving
        ``item_columns`` implies ``layout="wide"``.
    header_row : int, optional
        Line (CSV) or sheet row (Excel) of the header, 1-based as the analyst sees
        it. By default the header is the first row, among the first 50, that holds
        a recognized header name (:data:`COLUMN_ALIASES`, :data:`META_COLUMNS`, or a
        header named in ``columns`` / ``item_columns``), so title rows above it are
        skipped; if none does, the first row with the most filled cells. Not used
        for DataFrames and Parquet, whose column names are the header.
    catalogue : pandas.DataFrame or path, optional
        The item catalogue (a table with an item id column, e.g. ``data/items.csv``).
        Answers to items not in it are reported (see ``unknown_items``).
    unknown_items : {"report", "error", "exclude"}
        With a catalogue, answers to unknown items are listed in
        ``LoadReport.unknown_items`` and kept (``"report"``, default), raise an
        error listing them (``"error"``), or are excluded and counted
        (``"exclude"``, reason ``unknown_item``).

    keep_columns : list of str, optional
        Other columns to carry into the tidy result as text, by their header as
        written (e.g. ``["社区"]`` for a community used as stratum, or a category),
        so later calls can group or stratify by them. In a wide sheet they are
        row-level values, repeated for each of the row's answers.

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
        When the file cannot be decoded (the message names the encodings tried) or
        parsed, a required column is missing (the message lists the columns found),
        labels are unknown (by default) or mix scales (each label with its count
        and first lines), an item id, respondent id or weight is empty or invalid,
        a respondent answered an item twice (by default), an Excel formula cell
        holds no saved value (the cell is named, e.g. ``Sheet1!C7``), or, with
        ``unknown_items="error"``, items are not in the catalogue. The message
        names the file, line and column.
    FileNotFoundError
        When ``source`` (or ``catalogue``) does not exist.

    Notes
    -----
    Excluded, and counted in the load report by reason, in this order: totals rows
    (``summary_row``: 合计, 总计, 小计, 平均, Total, Sum, Average ... in the item or
    respondent cell, or in the first non-empty cell unless that is a rating cell,
    since "average" is also an answer), blank rows (``blank_row``),
    empty ratings (``missing_rating``; in a wide sheet an empty cell means the item
    was not asked: ``not_asked``), items not in the catalogue when asked
    (``unknown_item``), repeated answers when asked (``duplicate``), "don't know"
    answers (``dont_know``), and unknown labels when asked (``unknown_label``).

    Line numbers are those an analyst sees: for CSV the physical line (line 1 is
    the first line of the file; a quoted field spanning lines moves later rows
    down), for Excel the sheet row (title rows included); for Parquet and
    DataFrames the 1-based row position.

    The ledger counts rows read: in the long layout the data rows below the
    header; in the wide layout the answer cells, data rows x item columns (the
    number of data rows is ``sheet_rows``), so ``rows_read == rows_kept +
    rows_excluded`` holds in both. A blank or totals row of a wide sheet counts
    once per item column.

    Excel: cells merged over several rows below the header (an item name merged
    down over its respondents) take the merged value in every row; formula cells
    are read as the values Excel saved with the file, never evaluated.

    When the sheet has no respondent column, each row is its own respondent
    (``"L<line>"``) and the report says so.

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

    The same answers in the wide layout (one column per item; a blank cell means
    the item was not asked):

    >>> wide = pd.DataFrame({"受访者": [1, 2], "A": ["满意", "基本满意"], "B": ["不了解", "不满意"]})
    >>> tidy = load_responses(wide)
    >>> tidy[["item_id", "respondent_id", "rating"]].to_dict("list")
    {'item_id': ['A', 'A', 'B'], 'respondent_id': ['1', '2', '2'], 'rating': ['满意', '基本满意', '不满意']}
    >>> report = tidy.attrs["load_report"]
    >>> report.layout, report.rows_read, report.rows_kept, report.item_columns
    ('wide', 4, 3, ('A', 'B'))
    """
    check_choice("unknown_labels", unknown_labels, ("error", "exclude"))
    check_choice("duplicates", duplicates, ("error", "keep_first"))
    check_choice("scale", scale, ("auto", 2, 3, 5))
    check_choice("layout", layout, ("auto", "long", "wide"))
    check_choice("unknown_items", unknown_items, ("report", "error", "exclude"))
    if item_columns is not None:
        item_columns = [item_columns] if isinstance(item_columns, str) else list(item_columns)
        if layout == "long":
            raise ValueError("item_columns= describes a wide sheet; it cannot be used with layout='long'")
        if not item_columns:
            raise ValueError("item_columns= is empty")
    if header_row is not None and (isinstance(header_row, bool)
                                   or not isinstance(header_row, (int, np.integer)) or header_row < 1):
        raise ValueError(f"header_row must be a line number >= 1, got {header_row!r}")
    catalogue_ids = _read_catalogue(catalogue) if catalogue is not None else None

    grid = _read_source(source, sheet, encoding)
    frame = _split_header(grid, header_row, columns, item_columns)
    first_column, first_text, first_header = _first_cells(frame)
    summary = _is_summary(pd.Series(first_text, dtype="string"))
    _check_formulas(frame, [], summary)  # header names first: the layout depends on them
    plan = _choose_layout(frame, columns, item_columns, layout)
    # A rating cell is never a totals label ("Average" is also an answer on the 5-level
    # scale), but the item or respondent cell may be one.
    ratings = plan.items if plan.layout == "wide" else [plan.mapping["rating"]]
    summary = summary & ~np.isin(first_column, ratings)
    for canonical in ("item_id", "respondent_id"):
        if canonical in plan.mapping:
            summary = summary | _is_summary(frame.cells[plan.mapping[canonical]])
    _check_formulas(frame, list(plan.mapping.values()) + plan.items, summary)

    header_of = plan.header_of(frame)
    wide = plan.layout == "wide"
    answers = _answers(frame, plan, summary, first_text, first_header)
    kept_extra = _keep_columns(frame, plan, keep_columns, answers)
    ledger = _Ledger(answers, header_of, wide)
    ledger.exclude(ledger.table["_summary"].to_numpy(), "summary_row", "_first", "_first")
    ledger.exclude(ledger.table["_blank"].to_numpy(), "blank_row")
    ledger.exclude((ledger.table["rating"] == "").to_numpy(), "not_asked" if wide else "missing_rating")
    _check_ids(ledger, frame, plan)
    unknown_table = (_check_catalogue(ledger, frame, catalogue_ids, unknown_items)
                     if catalogue_ids is not None else _empty_unknown_items())
    _check_duplicates(ledger, frame, duplicates)
    ranks, chosen_scale = _rate(ledger, frame, scale, unknown_labels)
    weights = _check_weights(ledger, frame) if "weight" in plan.mapping else None

    table = ledger.table
    tidy = pd.DataFrame({
        "item_id": table["item_id"].astype("string"),
        "respondent_id": table["respondent_id"].astype("string"),
        "rating": scales.canonical_label(ranks, chosen_scale) if chosen_scale
        else pd.Series(dtype="string"),
        "scale": np.int8(chosen_scale or 0),
        "rank": ranks.astype("int8"),
    })
    if weights is not None:
        tidy["weight"] = weights
    for name in kept_extra:
        tidy[name] = table[_KEEP_PREFIX + name].astype("string")
    tidy["source_line"] = table["source_line"].astype("int64")
    tidy = tidy.reset_index(drop=True)

    if catalogue_ids is not None:
        unanswered = sorted(catalogue_ids - set(tidy["item_id"]))
        if unanswered:
            frame.notes.append(f"{len(unanswered)} catalogue item(s) have no kept answer: "
                               + ", ".join(unanswered[:10]) + (" ..." if len(unanswered) > 10 else ""))
    tidy.attrs["load_report"] = LoadReport(
        source=grid.source, file_format=grid.file_format, encoding=grid.encoding, scale=chosen_scale,
        rows_read=ledger.rows_read, rows_kept=len(tidy), exclusions=ledger.exclusions(),
        columns=header_of, notes=tuple(frame.notes), layout=plan.layout, sheet=grid.sheet,
        header_line=frame.header_line, sheet_rows=len(frame.cells),
        item_columns=tuple(frame.header(i).strip() for i in plan.items), unknown_items=unknown_table)
    return tidy
