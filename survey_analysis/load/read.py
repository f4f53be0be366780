"""Reading a file or frame into a grid of cell texts, each row with the line the analyst sees.

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

from .report import ResponseFileError

__all__ = ["ENCODINGS_TRIED", "EXCEL_SUFFIXES", "PARQUET_SUFFIXES", "Grid", "as_strings",
           "decode_bytes", "read_source", "read_table"]

#: Encodings tried, in order, when none is given (a UTF-8 BOM selects utf-8-sig alone).
ENCODINGS_TRIED = ("utf-8-sig", "utf-8", "gb18030")
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
_LINE_BREAKS = r"\r\n|\r|\n"
_UTF8_BOM = b"\xef\xbb\xbf"



# ---------------------------------------------------------------------------
# Reading: file -> grid of texts with line numbers
# ---------------------------------------------------------------------------

@dataclass
class Grid:
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


def decode_bytes(data: bytes, source: str, encoding: str | None) -> tuple[str, str, list]:
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
                "save it as 'CSV UTF-8', or pass encoding='utf-16' (CLI --encoding utf-16)")
    elif data.startswith(b"PK\x03\x04"):
        hint = "; it looks like an Excel workbook: give it the .xlsx suffix"
    elif b"\x00" in data:
        hint = "; it contains NUL bytes (UTF-16/UTF-32 text or a binary file)"
    raise ResponseFileError(
        f"no encoding decodes this file; tried {', '.join(candidates)}{hint} "
        "(pass encoding=... if you know it; CLI --encoding NAME)", source)


def _read_csv(path: Path, encoding: str | None) -> Grid:
    name = str(path)
    text, used, notes = decode_bytes(path.read_bytes(), name, encoding)
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
    return Grid(grid, lines, name, "csv", encoding=used, notes=notes)


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


def _read_excel(path: Path, sheet) -> Grid:
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
    grid = Grid(text, np.arange(1, len(text) + 1), name, "excel", sheet=sheet_name,
                 no_value=no_value, merged=merged)
    # Rows below the last cell with content are formatting, not lines of data.
    filled = ((text.apply(lambda col: col.str.strip()) != "") | no_value).any(axis=1).to_numpy()
    last = np.flatnonzero(filled)
    keep = int(last[-1]) + 1 if len(last) else 0
    grid.text, grid.lines, grid.no_value = text.iloc[:keep], grid.lines[:keep], no_value.iloc[:keep]
    return grid


def as_strings(raw: pd.DataFrame) -> pd.DataFrame:
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


def read_table(path, what: str = "file") -> pd.DataFrame:
    """A small side table (an item catalogue, a claims file) as text cells.

    CSV through the loader's decoder (UTF-8 with or without BOM, then GB18030, strictly),
    Excel (first sheet) or Parquet; empty CSV cells stay ``""``. ``what`` names the file
    in the not-found error.
    """
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise FileNotFoundError(f"{what} not found: {name}")
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return pd.read_excel(path, dtype=str)
    if suffix in PARQUET_SUFFIXES:
        return pd.read_parquet(path)
    text, _, _ = decode_bytes(path.read_bytes(), name, None)
    return pd.read_csv(_io.StringIO(text), dtype=str, keep_default_na=False)


def read_source(source, sheet, encoding) -> Grid:
    if isinstance(source, pd.DataFrame):
        frame, name, file_format = source, "<DataFrame>", "dataframe"
    else:
        path = Path(source)
        name = str(path)
        if not path.exists():
            raise FileNotFoundError(f"response file not found: {name}")
        suffix = path.suffix.lower()
        if suffix in EXCEL_SUFFIXES:
            return _read_excel(path, sheet)
        if suffix == ".xls":
            raise ResponseFileError("the old binary .xls format is not read; open it in Excel or "
                                    "LibreOffice and save it as .xlsx", name)
        if suffix not in PARQUET_SUFFIXES:
            return _read_csv(path, encoding)
        frame, file_format = pd.read_parquet(path), "parquet"
    text = as_strings(frame.set_axis(range(frame.shape[1]), axis=1))
    return Grid(text, np.arange(1, len(frame) + 1), name, file_format,
                 headers=[str(c) for c in frame.columns])

