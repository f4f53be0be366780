"""Reading a file or frame into a grid of cell texts, each row with the line the analyst sees.

Nothing in an input file is executed: CSV is parsed by pyarrow's CSV reader where it reads a
file exactly as the standard library's ``csv`` reader does, else by the latter; Excel by
python-calamine and openpyxl (see :mod:`.excel`; formulas are read as the values Excel saved,
never evaluated); Parquet by pandas/pyarrow. No pickle, no eval.

Cell texts are kept once per distinct value (:mod:`.coded`): a column of a million rows is
integer codes into its few distinct texts.
"""

from __future__ import annotations

import codecs
import csv
import io as _io
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import coded
from .report import ResponseFileError

__all__ = ["ENCODINGS_TRIED", "EXCEL_SUFFIXES", "PARQUET_SUFFIXES", "Grid", "as_strings",
           "decode_bytes", "read_source", "read_table"]

#: Encodings tried, in order, when none is given (a UTF-8 BOM selects utf-8-sig alone).
ENCODINGS_TRIED = ("utf-8-sig", "utf-8", "gb18030")
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
_LINE_BREAKS = r"\r\n|\r|\n"
_UTF8_BOM = b"\xef\xbb\xbf"
_LINE_END = re.compile(r"\r\n|\r|\n")
_SAMPLE_CHARS = 65536  # the start of a CSV file looked at for its delimiter and first lines

# ---------------------------------------------------------------------------
# Reading: file -> grid of texts with line numbers
# ---------------------------------------------------------------------------

@dataclass
class Grid:
    """Every row of a file or sheet as text (not yet stripped), with its line."""

    text: pd.DataFrame          # text cells (coded.py Categoricals), '' when empty; columns 0..m-1
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


def _delimiter(text: str) -> str:
    """Excel's "Unicode Text" export separates fields by tabs: a sample of lines with tabs
    and no comma at all is read tab-separated."""
    sample = [line for line in text[:_SAMPLE_CHARS].splitlines()[:20] if line.strip()]
    return "\t" if sample and not any("," in line for line in sample) and \
        any("\t" in line for line in sample) else ","


def _read_csv(path: Path, encoding: str | None) -> Grid:
    name = str(path)
    data = path.read_bytes()
    grid = _read_csv_fast(data, name, encoding)
    if grid is not None:
        return grid
    text, used, notes = decode_bytes(data, name, encoding)
    return _read_csv_records(text, name, used, notes)


def _read_csv_records(text: str, name: str, used: str, notes: list) -> Grid:
    """Any CSV, by the standard library's C reader: quoted fields (over several lines
    too), records of any length."""
    delimiter = _delimiter(text)
    if delimiter == "\t":
        notes = notes + ["fields are separated by tabs"]
    # The standard library's reader, not pandas: pandas fixes the number of fields from
    # the first record, so a title line above the header would be a parse error.
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as error:
        raise ResponseFileError(f"not a readable CSV: {error}", name, line=reader.line_num) from None
    if not records:
        raise ResponseFileError("not a readable CSV: the file is empty", name)
    rows = len(records)
    # Records differ in length (title lines, trailing commas): pad them to columns.
    columns = [coded.from_values(col) for col in itertools.zip_longest(*records, fillvalue="")]
    del records
    # Each record starts on the line after the line breaks inside earlier records (a
    # quoted comment may span lines); line breaks are counted once per distinct text.
    spans = np.zeros(rows, dtype=np.int64)
    for column in columns:
        codes, uniques = coded.parts(column)
        breaks = pd.Series(uniques, dtype=object).str.count(_LINE_BREAKS).to_numpy(dtype=np.int64)
        if breaks.any():
            spans += breaks[codes]
    lines = 1 + np.arange(rows) + np.cumsum(spans) - spans
    return Grid(coded.text_frame(columns, rows), lines, name, "csv", encoding=used, notes=notes)


_HEAD_LINES = 200  # lines of the sample looked at for the title / header / body widths


def _head_lines(head: str, complete: bool) -> tuple[list, list]:
    """The first whole lines of ``head`` (the start of the text; all of it when
    ``complete``) and the position after each line's end."""
    lines, ends, position = [], [], 0
    for match in _LINE_END.finditer(head):
        if len(lines) == _HEAD_LINES:
            return lines, ends
        if not complete and match.end() >= len(head):
            break  # a final "\r" may be the first half of "\r\n"
        lines.append(head[position:match.start()])
        ends.append(match.end())
        position = match.end()
    if complete and position < len(head):
        lines.append(head[position:])
        ends.append(len(head))
    return lines, ends


_NOT_UTF8 = object()


def _read_csv_fast(data: bytes, name: str, encoding: str | None) -> Grid | None:
    """A CSV file read by pyarrow's multi-threaded reader into codes per column, or None
    when pyarrow might read it differently from :func:`_read_csv_records`.

    pyarrow reads exactly what the ``csv`` module reads when no field is quoted (no ``"``
    anywhere), no NUL occurs, and every record is one line of the same number of fields:
    then record i is line i + 1 and its fields are the texts between delimiters. The first
    lines of the file (a title, a header of another width, blank lines) are read by the
    ``csv`` module from the sample; every line below them must have the width of the last
    lines of the sample, else pyarrow stops and the ``csv`` module reads the file.
    Without ``encoding``, UTF-8 is validated by pyarrow as it reads (an invalid byte stops
    it, and the file is decoded strictly as :func:`decode_bytes` says); other encodings are
    decoded first and read as UTF-8.
    """
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return None
    # '"' and NUL bytes never occur inside a UTF-8 or GB18030 multi-byte character.
    if encoding is None and data.find(b'"') == -1 and data.find(b"\x00") == -1:
        bom = data[:len(_UTF8_BOM)] == _UTF8_BOM
        payload = memoryview(data)[len(_UTF8_BOM):] if bom else memoryview(data)
        size = 4 * _SAMPLE_CHARS + 4
        try:
            head = codecs.getincrementaldecoder("utf-8")().decode(payload[:size],
                                                                  final=len(payload) <= size)
        except UnicodeDecodeError:
            head = None
        if head is not None:
            grid = _arrow_grid(payload, head, len(payload) <= size, name,
                               "utf-8-sig" if bom else "utf-8", [], data)
            if grid is not _NOT_UTF8:
                return grid
    text, used, notes = decode_bytes(data, name, encoding)
    if '"' in text or "\x00" in text:
        return None
    try:
        payload = memoryview(text.encode("utf-8"))
    except UnicodeEncodeError:
        return None
    grid = _arrow_grid(payload, text[:4 * _SAMPLE_CHARS], len(text) <= 4 * _SAMPLE_CHARS, name,
                       used, notes, None)
    return None if grid is _NOT_UTF8 else grid


def _arrow_grid(payload: memoryview, head: str, complete: bool, name: str, used: str,
                notes: list, unchecked: bytes | None):
    """The grid of UTF-8 ``payload`` whose text starts with ``head`` (all of it when
    ``complete``); None when pyarrow might read it differently from the ``csv`` module;
    ``_NOT_UTF8`` when ``unchecked`` (the file's bytes, not yet known to be UTF-8) is not."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    delimiter = _delimiter(head)
    lines, ends = _head_lines(head[:_SAMPLE_CHARS], complete and len(head) <= _SAMPLE_CHARS)
    if not lines:
        return None
    fields = [line.count(delimiter) + 1 if line else 0 for line in lines]
    width = fields[-1]
    if width == 0:
        return None
    first = len(fields)  # the body: the last lines of the sample, all of one width
    while first and fields[first - 1] == width:
        first -= 1
    top = head[:ends[first - 1]] if first else ""
    leading = list(csv.reader(_io.StringIO(top, newline=""), delimiter=delimiter))
    if len(leading) != first:  # one record per line, or the csv module reads the file
        return None
    body = payload[len(top.encode("utf-8")):]
    names = [str(i) for i in range(width)]
    table = dictionaries = None
    if len(body):
        try:
            # Fields are read as bytes into dictionaries (codes + distinct values); the
            # distinct values are then checked as UTF-8, not every field. The system
            # allocator returns the reader's working memory when it is done.
            pool = pa.system_memory_pool()
            table = pa_csv.read_csv(
                pa.BufferReader(pa.py_buffer(body)),
                read_options=pa_csv.ReadOptions(column_names=names, use_threads=True),
                parse_options=pa_csv.ParseOptions(
                    delimiter=delimiter, quote_char=False, double_quote=False, escape_char=False,
                    newlines_in_values=False, ignore_empty_lines=False),
                convert_options=pa_csv.ConvertOptions(
                    column_types={n: pa.dictionary(pa.int32(), pa.binary()) for n in names},
                    null_values=[], strings_can_be_null=False, quoted_strings_can_be_null=False),
                memory_pool=pool)
            table = table.unify_dictionaries(memory_pool=pool).combine_chunks(memory_pool=pool)
            dictionaries = [table.column(j).chunk(0).dictionary.cast(pa.string())
                            if table.column(j).num_chunks else None for j in range(width)]
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            if unchecked is not None:
                try:
                    unchecked.decode("utf-8")
                except UnicodeDecodeError:
                    return _NOT_UTF8
            return None  # records of another width below the sample: the csv module reads it
    rows = first + (table.num_rows if table is not None else 0)
    columns = []
    for j in range(max([width] + [len(record) for record in leading])):
        lead = np.array([record[j] if j < len(record) else "" for record in leading], dtype=object)
        if table is not None and j < width and dictionaries[j] is not None:
            codes = table.column(j).chunk(0).indices.to_numpy(zero_copy_only=False)
            uniques = dictionaries[j].to_numpy(zero_copy_only=False).astype(object)
        else:
            codes = np.zeros(rows - first, dtype=np.int32)
            uniques = np.array([""], dtype=object)
        columns.append(_prepend(lead, codes, uniques))
        if not len(lead) and table is not None and j < width and dictionaries[j] is not None:
            # The distinct texts are an Arrow array already: later text operations use it.
            coded.remember_strings(coded.parts(columns[-1])[1], pd.arrays.ArrowStringArray(
                pa.chunked_array([dictionaries[j].cast(pa.large_string())])))
    del table, dictionaries
    _return_freed_memory()
    if delimiter == "\t":
        notes = notes + ["fields are separated by tabs"]
    return Grid(coded.text_frame(columns, rows), np.arange(1, rows + 1, dtype=np.int64), name, "csv",
                encoding=used, notes=notes)


def _return_freed_memory() -> None:
    """Give the C heap's free pages back to the operating system (glibc only).

    pyarrow's CSV reader allocates and frees several times the file's size; glibc keeps
    the freed pages in the process while later arrays are allocated elsewhere, so the
    peak memory of a load would hold both. ``malloc_trim`` returns them (about 1 ms).
    """
    global _MALLOC_TRIM
    if _MALLOC_TRIM is None:
        import ctypes
        import ctypes.util

        try:
            _MALLOC_TRIM = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
        except (OSError, AttributeError):  # not glibc (macOS, Windows, musl): nothing to do
            _MALLOC_TRIM = False
    if _MALLOC_TRIM:
        _MALLOC_TRIM(0)


_MALLOC_TRIM = None


def _prepend(lead: np.ndarray, codes: np.ndarray, uniques: np.ndarray) -> pd.Categorical:
    """A column of the leading texts ``lead`` followed by the coded body."""
    if not len(lead):
        return coded.from_codes(codes, uniques)
    index = pd.Index(uniques, dtype=object)
    where = index.get_indexer(lead)
    extra = pd.unique(lead[where < 0])
    if len(extra):
        where[where < 0] = len(uniques) + pd.Index(extra, dtype=object).get_indexer(lead[where < 0])
        uniques = np.concatenate([uniques, extra])
    return coded.from_codes(np.concatenate([where, codes]), uniques)


def _as_text(col: pd.Series) -> pd.Series:
    if pd.api.types.is_float_dtype(col):
        values = col.to_numpy(dtype=float, na_value=np.nan)
        values = values[~np.isnan(values)]
        if np.all(np.abs(values) < 2**53) and np.all(values == np.round(values)):
            col = col.astype("Int64")
    return col.astype("string").fillna("").str.strip()


def as_strings(raw: pd.DataFrame) -> pd.DataFrame:
    """Cells as stripped text, '' when missing. A float column holding whole numbers (an
    integer column with a gap, as pandas stores it) is written without '.0', so ids from
    a DataFrame or Parquet file match the same ids read from CSV or Excel."""
    if raw.shape[1] == 0:
        return raw.astype("string")
    return raw.apply(_as_text)


def _coded_column(col: pd.Series) -> pd.Categorical:
    """:func:`as_strings` of a column, once per distinct value where that gives the same
    texts: for integers, booleans and text. Columns whose distinct values could share a
    hash and differ in text (``1``, ``1.0`` and ``True`` in an object column; ``0.0`` and
    ``-0.0``) are written cell by cell."""
    dtype = col.dtype
    by_value = (dtype.kind in "iub" or isinstance(dtype, pd.StringDtype)
                or (dtype == object and pd.api.types.infer_dtype(col, skipna=True) in ("string", "empty")))
    if not by_value:
        return coded.from_values(_as_text(col).to_numpy(dtype=object))
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    texts = _as_text(pd.Series(uniques, dtype=dtype)).to_numpy(dtype=object)
    texts = np.append(texts, "")  # code -1 (missing) -> ""
    new_codes, new_uniques = pd.factorize(texts)
    return coded.from_codes(new_codes[codes], new_uniques)


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
            from .excel import read_excel

            return read_excel(path, sheet)
        if suffix == ".xls":
            raise ResponseFileError("the old binary .xls format is not read; open it in Excel or "
                                    "LibreOffice and save it as .xlsx", name)
        if suffix not in PARQUET_SUFFIXES:
            return _read_csv(path, encoding)
        frame, file_format = pd.read_parquet(path), "parquet"
    text = coded.text_frame([_coded_column(frame.iloc[:, i]) for i in range(frame.shape[1])], len(frame))
    return Grid(text, np.arange(1, len(frame) + 1), name, file_format,
                headers=[str(c) for c in frame.columns])

