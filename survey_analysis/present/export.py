"""Write tables for analysts: CSV that Excel opens correctly, Excel workbooks, text cells made safe.

Text cells that begin with ``=``, ``+``, ``-`` or ``@`` (also after leading whitespace,
control or zero-width characters, which a reader may drop first), or with tab, carriage
return or NUL, are prefixed with a single quote (the OWASP "CSV injection" rule; OWASP
ASVS 1.2.10 adds NUL) so a spreadsheet does not run them as formulas. Only text is touched,
never numbers: a negative number stays a number. Column headers that are text are
treated the same way, each level of a MultiIndex header too. Every writer takes
``escape=False`` to write text verbatim.

Two choices, and why:

* Full-width ``＝ ＋ － ＠`` (U+FF1D, U+FF0B, U+FF0D, U+FF20) are escaped as their ASCII
  forms are. Spreadsheets made for East Asian input turn them into formula characters:
  SpreadJS documents that a formula may be entered starting with full-width ``＝``,
  ``＋`` or ``－`` and normalizes it to ``=``. Whether Excel or WPS do the same on opening
  a CSV we could not establish from their documentation; Chinese sheets are typed with
  Chinese input methods, so the cautious choice is to escape them.
* A leading ``|`` is not escaped. A cell is a formula only when its first character
  starts one; ``|`` is the separator *inside* a DDE formula (``=cmd|' /C calc'!A0``),
  inert at the start of a cell, and item names such as ``|A|B|`` stay as written.

CSV files end lines with ``\\r\\n`` (RFC 4180), so every field holding a carriage return
or a line feed is quoted and cannot start a new row, and a formula, in a reader.
Categorical columns are written as their values' text. Long tables (a report's
``answer_shares`` has a row per item and level) are written by pyarrow's CSV writer when
pyarrow is installed, byte for byte as pandas writes them (numbers as Python's ``repr``,
quotes where Python's ``csv`` module puts them); a test compares the two.

A folder of outputs (a report, its tables and figures) is written with
:func:`output_folder`: into a new folder beside the target, moved into place when
complete, under a lock, so a failure or a second run at the same time leaves the
previous folder or nothing, never a mix of two runs.

References
----------
OWASP Foundation, "CSV Injection",
https://owasp.org/www-community/attacks/CSV_Injection

OWASP Application Security Verification Standard 5.0, requirement 1.2.10.

MESCIUS, "SpreadJS: East Asian Full-Width Formula Input",
https://developer.mescius.com/spreadjs/docs/features/formulas/east-asian-full-width-formula-input
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import shutil
import socket
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from .._validation import check_output_path
from ..words import Hint, Message, SurveyError, say

__all__ = ["EXCEL_MAX_CHARS", "OUTPUT_MARKER", "check_output_folder", "escape_formulas", "excel_sheet_name",
           "output_folder", "write_banner", "write_csv", "write_excel"]

#: Characters that make a spreadsheet read a cell as a formula (ASCII and full-width).
_FORMULA_CHARS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: A cell starting with one of these is escaped whatever follows (OWASP, ASVS 1.2.10).
_FORMULA_START = (*_FORMULA_CHARS, "\t", "\r", "\x00")
#: Whitespace, control and zero-width characters before a formula character (a reader
#: may drop them first).
_LEADING_BLANKS = r"^[\s\x00-\x1f\x7f\u200b-\u200d\u2060\ufeff]+"
#: The same test in one RE2 pattern (pyarrow's regex engine, one pass in C++ over a column):
#: a cell starting with tab, CR or NUL, or with a formula character after any of the blanks
#: above. RE2's ``\s`` is ASCII only, so Python's Unicode whitespace is spelled out; a test
#: compares the two over every code point.
_RISKY_PATTERN = (r"^(?:[\t\r\x00]|[\x{0}-\x{20}\x{7f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200d}\x{2028}\x{2029}"
                  r"\x{202f}\x{205f}\x{2060}\x{3000}\x{feff}]*[=+\-@\x{ff1d}\x{ff0b}\x{ff0d}\x{ff20}])")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31


def _text_mask(values: pd.Series) -> pd.Series:
    """Which cells hold text (str), whatever the column's dtype."""
    if pd.api.types.is_string_dtype(values) and not pd.api.types.is_object_dtype(values):
        return values.notna()
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind == "string":
        return values.notna()
    if kind in ("mixed", "mixed-integer", "mixed-integer-float"):
        # A column mixing numbers and text: only the text cells may be escaped.
        return values.map(lambda v: isinstance(v, str)).astype(bool)
    return pd.Series(False, index=values.index)


def _risky(values: pd.Series) -> pd.Series:
    """Text cells a spreadsheet could run: starting with a formula character, also after
    leading spaces or control characters (a reader may drop those first)."""
    text = values.astype("string")
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pyarrow is optional: the same test with Python's regexes, slower
        starts = text.str.startswith(_FORMULA_START).fillna(False).astype(bool)
        after_blank = text.str.replace(_LEADING_BLANKS, "", regex=True).str.startswith(
            _FORMULA_CHARS).fillna(False).astype(bool)
        return (starts | after_blank) & _text_mask(values)
    found = pc.match_substring_regex(pa.array(text, type=pa.large_string(), from_pandas=True), _RISKY_PATTERN)
    return pd.Series(found.fill_null(False).to_numpy(zero_copy_only=False), index=values.index) & _text_mask(values)


def _escaped_labels(labels: pd.Index) -> pd.Index:
    """Column labels with formula-like text prefixed by ``'``; each level of a MultiIndex."""
    if isinstance(labels, pd.MultiIndex):
        return pd.MultiIndex.from_arrays(
            [_escaped_labels(labels.get_level_values(level)) for level in range(labels.nlevels)],
            names=labels.names)
    names = pd.Series(labels, dtype=object)
    risky = _risky(names).to_numpy()
    if not risky.any():
        return labels
    return pd.Index(np.where(risky, "'" + names.astype(str), names.to_numpy()), dtype=object,
                    name=labels.name)


def escape_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``table`` with formula-like text cells (and headers) prefixed by ``'``.

    Parameters
    ----------
    table : pandas.DataFrame

    Returns
    -------
    pandas.DataFrame
        Same shape and index; text cells (and text column names, each level of a
        MultiIndex) that begin with ``=``, ``+``, ``-``, ``@`` (or their full-width
        forms ``＝ ＋ － ＠``), tab, carriage return or NUL -- also after
        leading spaces, control or zero-width characters -- get a leading ``'``.
        Numbers, including negative numbers in a column that mixes numbers and text,
        are left alone. Categorical columns become columns of their values (object
        dtype); other dtypes are kept.

    Notes
    -----
    The module docstring says why full-width signs are escaped and ``|`` is not.

    Examples
    --------
    >>> import pandas as pd
    >>> escape_formulas(pd.DataFrame({"a": ["=1+1", "ok"], "b": [-1, 2]})).to_dict("list")
    {'a': ["'=1+1", 'ok'], 'b': [-1, 2]}
    >>> escape_formulas(pd.DataFrame({"c": ["-x", -3]}))["c"].tolist()
    ["'-x", -3]
    >>> escape_formulas(pd.DataFrame({"d": pd.Categorical(["＝A1", " @x", "|a|"])}))["d"].tolist()
    ["'＝A1", "' @x", '|a|']
    """
    out = table.copy()
    for position in range(out.shape[1]):
        values = out.iloc[:, position]
        if isinstance(values.dtype, pd.CategoricalDtype):
            # Written as their values' text; an escaped value would be a new category.
            values = values.astype(object)
            out.isetitem(position, values)
        if pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
            risky = _risky(values)
            if risky.any():
                escaped = values.where(~risky.to_numpy(), "'" + values.astype("string"))
                out.isetitem(position, escaped.astype(values.dtype) if
                             pd.api.types.is_string_dtype(values) and not
                             pd.api.types.is_object_dtype(values) else escaped)
    out.columns = _escaped_labels(out.columns)
    return out


def write_csv(table: pd.DataFrame, path, escape: bool = True) -> Path:
    """Write ``table`` as UTF-8 CSV with a BOM (so Excel reads the Chinese correctly).

    Parameters
    ----------
    table : pandas.DataFrame
    path : str or path
        Parent folders are created.
    escape : bool, default True
        Escape formula-like text cells (see :func:`escape_formulas`); pass False to
        write them verbatim.

    Returns
    -------
    pathlib.Path
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = escape_formulas(table) if escape else table
    if len(table) >= _ARROW_CSV_ROWS and _write_csv_arrow(table, path):
        return path
    # RFC 4180 line ends ("\r\n") on every platform: the same bytes everywhere, and every
    # field holding a CR or a LF is quoted (with "\n" ends a lone CR would not be, and a
    # reader could start a new row, and a formula, there).
    table.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return path


#: Tables of at least this many rows are written by pyarrow's CSV writer, byte for byte as
#: pandas writes them (see :func:`_write_csv_arrow`); below it pandas is as fast.
_ARROW_CSV_ROWS = 5_000
#: Magnitudes whose shortest text Arrow writes as Python's ``repr`` does (plain decimal
#: notation with a fraction); whole numbers below the upper one only lack repr's ".0".
_ARROW_FLOAT_LOW, _ARROW_FLOAT_HIGH = 1e-4, 1e10


def _float_texts(values: np.ndarray):
    """The texts pandas writes for a float64 column (Python's ``repr``, NaN as a missing
    value), as an Arrow string array: cast by Arrow, which gives the same shortest digits
    in another notation outside [1e-4, 1e10) and without ".0" on whole numbers; those
    few are mended (".0" added) or written by ``repr``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = pc.cast(pa.array(values, from_pandas=True), pa.string())
    with np.errstate(invalid="ignore"):
        magnitude = np.abs(values)
        whole = np.isfinite(values) & (values == np.trunc(values)) & (magnitude < _ARROW_FLOAT_HIGH)
        other = np.isfinite(values) & ~whole & ((magnitude < _ARROW_FLOAT_LOW) | (magnitude >= _ARROW_FLOAT_HIGH))
    if whole.any():
        texts = pc.if_else(pa.array(whole), pc.binary_join_element_wise(texts, ".0", ""), texts)
    if other.any():
        texts = pc.replace_with_mask(texts, pa.array(other),
                                     pa.array(list(map(repr, values[other].tolist())), pa.string()))
    return texts


def _arrow_column(values: pd.Series):
    """The texts (or integers) pandas writes for a column, as an Arrow array; None for a kind
    of column not handled here (pandas writes the table)."""
    import pyarrow as pa

    dtype = values.dtype
    if isinstance(dtype, np.dtype):
        if dtype.kind in "iu":
            return pa.array(values.to_numpy())
        if dtype.kind == "b":
            return pa.array(np.where(values.to_numpy(), "True", "False"))
        if dtype == np.float64:
            return _float_texts(values.to_numpy())
        if dtype != object or pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
            return None
        # Text: a missing value is written as nothing, as pandas writes it.
        return pa.array(values.to_numpy(dtype=object, na_value=None), pa.string())
    if isinstance(dtype, pd.StringDtype):
        return pa.array(values.array)  # the Arrow array itself, or made from Python strings
    return None


def _write_csv_arrow(table: pd.DataFrame, path: Path) -> bool:
    """Write ``table`` as :func:`write_csv` does through pyarrow's CSV writer (several times
    faster than pandas on long tables of numbers): True when written; False when pyarrow is
    absent, a column or label is of a kind not handled here, or a cell needs quotes -- then
    pandas writes the file, over whatever part of it was written. A single column is left
    to pandas (its empty cells are written ``""``)."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pa_csv
    except ImportError:
        return False
    labels = list(table.columns)
    if table.shape[1] < 2 or isinstance(table.columns, pd.MultiIndex) \
            or not all(isinstance(label, str) for label in labels):
        return False
    columns = [_arrow_column(table.iloc[:, position]) for position in range(table.shape[1])]
    if any(column is None for column in columns):
        return False
    try:
        options = pa_csv.WriteOptions(eol="\r\n", quoting_style="none", quoting_header="none")
    except TypeError:  # a pyarrow older than these options
        return False
    try:
        with open(path, "wb") as handle:
            handle.write("\ufeff".encode("utf-8"))
            pa_csv.write_csv(pa.Table.from_arrays(columns, names=labels), handle, write_options=options)
    except pa.ArrowInvalid:  # a delimiter, quote or line end in a cell: it needs quotes
        return False
    return True


def excel_sheet_name(name, taken=()) -> str:
    """A valid Excel sheet name made from ``name``, distinct from the names in ``taken``.

    Excel's rules: 1 to 31 characters, none of ``[ ] : * ? / \\``, not beginning or
    ending with an apostrophe, and unique within a workbook ignoring case. Forbidden
    characters become ``_``; a clash gets a suffix ``~2``, ``~3`` ...

    Parameters
    ----------
    name : object
        Wanted name (converted to text).
    taken : collection of str
        Names already used in the workbook.

    Returns
    -------
    str

    Examples
    --------
    >>> excel_sheet_name("items: rates [95%] / 2024?")
    'items_ rates _95%_ _ 2024_'
    >>> excel_sheet_name("x" * 40, taken=["x" * 31])
    'xxxxxxxxxxxxxxxxxxxxxxxxxxxxx~2'
    """
    base = _SHEET_FORBIDDEN.sub("_", str(name)).strip("'").strip() or "Sheet"
    used = {t.lower() for t in taken}
    candidate, number = base[:_SHEET_MAX], 1
    while candidate.lower() in used:
        number += 1
        suffix = f"~{number}"
        candidate = base[:_SHEET_MAX - len(suffix)].rstrip("'") + suffix
    return candidate


def write_excel(tables, path, escape: bool = True, max_rows: int | None = None) -> Path:
    """Write one table or several (one per sheet) to an ``.xlsx`` workbook.

    Parameters
    ----------
    tables : pandas.DataFrame or dict of str -> pandas.DataFrame
        A single table (written to sheet ``Sheet1``) or sheet name -> table. Sheet
        names are made valid with :func:`excel_sheet_name` (at most 31 characters,
        none of ``[]:*?/\\``, unique).
    path : str or path
        Output file (parent folders are created).
    escape : bool, default True
        Escape formula-like text cells and headers (see :func:`escape_formulas`).
        With ``escape=False`` text is written verbatim, and always as text: a cell
        ``"=1+1"`` is stored as the string, never as a formula.
    max_rows : int, optional
        Tables with more rows are left out of the workbook (write them as CSV): a
        first sheet ``contents`` then lists every table, its rows, and whether it is
        in the workbook or only in ``<name>.csv``. Excel is slow to write and to open
        beyond some 10^5 rows; a sheet holds at most 1,048,575 rows in any case.

    Returns
    -------
    pathlib.Path

    Notes
    -----
    A cell holds at most :data:`EXCEL_MAX_CHARS` characters: longer text (an item id of
    40,000 characters) is cut, ending with ``… [cut: N characters; ...]``, and the row's
    other cells are written as usual; a sheet ``notes``, opened first, lists every cell
    cut. Write the table as CSV (:func:`write_csv`) for the full text.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "t.xlsx"
    >>> path = write_excel({"rates/2024": pd.DataFrame({"item": ["=A1"], "n": [-3]})}, out)
    >>> back = pd.read_excel(path, sheet_name=None, engine="calamine")
    >>> list(back), back["rates_2024"].to_dict("list")
    (['rates_2024'], {'item': ["'=A1"], 'n': [-3]})
    """
    if isinstance(tables, pd.DataFrame):
        tables = {"Sheet1": tables}
    if not tables:
        raise SurveyError("present.export.no_table")
    for wanted, table in tables.items():
        if not isinstance(table, pd.DataFrame):
            raise TypeError(f"table {wanted!r} is a {type(table).__name__}, not a DataFrame")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # XlsxWriter, not openpyxl: it streams rows (constant memory) and writes several times
    # faster, which matters for per-item tables of 10^5 items; with strings_to_formulas off
    # a text cell starting with "=" is stored as text, never as a formula.
    import xlsxwriter

    names: list[str] = []
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False,
                                          "strings_to_urls": False, "strings_to_numbers": False})
    long = {k for k, t in tables.items() if max_rows is not None and len(t) > max_rows}
    try:
        if long:
            contents = pd.DataFrame({
                "table": list(tables), "rows": [len(t) for t in tables.values()],
                "where": [say("present.export.only_csv", name=k, rows=max_rows) if k in long
                          else say("present.export.in_workbook") for k in tables]})
            names.append("contents")
            _write_sheet(workbook.add_worksheet("contents"), escape_formulas(contents))
        cut = []
        for wanted, table in tables.items():
            if wanted in long:
                continue
            name = excel_sheet_name(wanted, names)
            names.append(name)
            cut += [(name, cell, count) for cell, count in _write_sheet(
                workbook.add_worksheet(name), escape_formulas(table) if escape else table)]
        if cut:
            # Said on a sheet of its own, opened first: the cells cut, and where the full text is.
            notes = workbook.add_worksheet(excel_sheet_name("notes", names))
            _write_sheet(notes, escape_formulas(pd.DataFrame({
                "sheet": [c[0] for c in cut], "cell": [c[1] for c in cut],
                "characters": [c[2] for c in cut],
                "note": [say("present.export.cut_note", sheet=sheet, cell=cell, count=count,
                             most=EXCEL_MAX_CHARS) for sheet, cell, count in cut]})))
            notes.activate()
    finally:
        workbook.close()
    return path


def write_banner(table: pd.DataFrame, path, lang: str = "en", escape: bool = True) -> Path:
    """Write a banner table (:func:`~survey_analysis.crosstab`) to an ``.xlsx`` laid out as a banner.

    Parameters
    ----------
    table : pandas.DataFrame
        What :func:`~survey_analysis.crosstab` returns (its ``.attrs`` give the labels,
        the letters and the note).
    path : str or path
        Output file (parent folders are created).
    lang : {"en", "zh"}, default "en"
        Language of the base row's label, the total's label and the notes.
    escape : bool, default True
        Escape formula-like row and column labels (see :func:`escape_formulas`).

    Returns
    -------
    pathlib.Path

    Notes
    -----
    One sheet, ``banner``: a header row (the rows' column name, then each column value
    with its letter, ``"phone (B)"``, then the total), a base row (answers per column and
    in total over the rows; a cell whose base is below ``min_base`` somewhere gets ``*``),
    then one row per row value, each cell ``"94.4% A"`` -- the rate as a percentage and
    the letters of the columns it is significantly higher than -- with ``*`` after a
    small base and nothing for a cell without answers; under the table, the note of the
    test and the meaning of ``*``. Written with XlsxWriter as :func:`write_excel` (text
    is stored as text, never as a formula).

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> import survey_analysis as sa
    >>> r = pd.DataFrame({"item_id": [f"I{i}" for i in range(6) for _ in range(20)],
    ...                   "channel": ["web", "desk"] * 60, "scale": "yes_no",
    ...                   "rank": ([1, 1, 1, 2] * 5 + [1, 2] * 10) * 3})
    >>> table = sa.crosstab(r, "channel", rows="scale", min_base=10)
    >>> path = write_banner(table, pathlib.Path(tempfile.mkdtemp()) / "banner.xlsx")
    >>> back = pd.read_excel(path, header=None, engine="calamine")
    >>> back.iloc[:3].values.tolist()
    [['scale', 'desk (A)', 'web (B)', 'Total'], ['Base (n)', 60, 60, 120], ['yes_no', '25.0%', '100.0% A', '62.5%']]
    """
    # Imported here: the tables module brings in the analysis (SciPy), which writing CSVs does not need.
    from .tables import banner_frame

    grid = banner_frame(table, lang)
    header = list(grid.columns)
    # The base row as numbers (Excel sums them); "60*" (a small base somewhere) stays text.
    grid.iloc[0, 1:] = [int(v) if v.isdigit() else v for v in grid.iloc[0, 1:]]
    if escape:
        grid = escape_formulas(grid)
    lines = grid.attrs["notes"]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    import xlsxwriter

    workbook = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_urls": False,
                                          "strings_to_numbers": False})
    try:
        sheet = workbook.add_worksheet("banner")
        _write_sheet(sheet, grid)
        for i, line in enumerate(lines):
            sheet.write_string(len(grid) + 2 + i, 0, escape_formulas(pd.DataFrame({0: [line]})).iloc[0, 0]
                               if escape else line)
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, len(header) - 1, 14)
    finally:
        workbook.close()
    return path


#: Rows of an Excel sheet, the header included.
EXCEL_MAX_ROWS = 1_048_576
#: Characters an Excel cell holds ("Excel specifications and limits": 32,767).
EXCEL_MAX_CHARS = 32_767


def _cell_values(values: pd.Series) -> list:
    """A column as Python values XlsxWriter writes: numbers, text, booleans; None for a
    missing value (an empty cell); dates as ISO text."""
    if pd.api.types.is_datetime64_any_dtype(values):
        values = values.dt.strftime("%Y-%m-%d %H:%M:%S").str.replace(" 00:00:00", "", regex=False)
    return values.astype(object).where(values.notna(), None).tolist()


def _fit_cells(values: list, place) -> list:
    """Cut, in place, the text cells of ``values`` longer than a cell holds, each ending
    with a marker that says so and how long it was; the cells cut, as (cell reference,
    characters). ``place(i)`` is the (row, column) of ``values[i]``."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    cut = []
    for i, value in enumerate(values):
        if isinstance(value, str) and len(value) > EXCEL_MAX_CHARS:
            marker = say("present.export.cell_cut", count=len(value))
            values[i] = value[:EXCEL_MAX_CHARS - len(marker)] + marker
            cut.append((xl_rowcol_to_cell(*place(i)), len(value)))
    return cut


def _write_sheet(worksheet, table: pd.DataFrame) -> list:
    """Header row(s) and rows of ``table``: one header row per level of a MultiIndex, as
    ``to_csv`` writes them. XlsxWriter writes cell by cell, so this is a loop over rows
    (one ``write_row`` each, in order, as constant-memory mode needs); a table longer
    than a sheet holds keeps its first rows and says so beside the header. Text longer
    than a cell holds is cut with a marker (:func:`_fit_cells`), so the row's other cells
    are written (XlsxWriter stops a row at a cell it refuses); the cells cut are returned
    as (cell reference, characters)."""
    labels = table.columns
    levels = labels.nlevels if isinstance(labels, pd.MultiIndex) else 1
    headers = ([[str(c) for c in labels.get_level_values(level)] for level in range(levels)]
               if levels > 1 else [[str(c) for c in labels]])
    rows = min(len(table), EXCEL_MAX_ROWS - levels)
    if rows < len(table):
        headers[0].append(say("present.export.first_rows", rows=rows, total=len(table)))
    columns = [_cell_values(table.iloc[:rows, j]) for j in range(table.shape[1])]
    cut = [c for row, header in enumerate(headers)
           for c in _fit_cells(header, lambda i, row=row: (row, i))]
    cut += [c for j, values in enumerate(columns)
            for c in _fit_cells(values, lambda i, j=j: (levels + i, j))]
    for row, header in enumerate(headers):
        worksheet.write_row(row, 0, header)
    for i, row in enumerate(zip(*columns), start=levels):
        worksheet.write_row(i, 0, row)
    return cut


#: File in every folder :func:`output_folder` writes, listing the files runs wrote there
#: (one block per kind of run, blocks apart by an empty line): only those are ever
#: replaced or removed by a later run.
OUTPUT_MARKER = ".survey-analysis-output"
_MARKER_HEADER = "# " + say("present.export.marker")
_LOCK = ".survey-analysis.lock"


def _entries(folder: Path) -> list:
    return sorted(entry.name for entry in folder.iterdir())


def _groups(folder: Path) -> list:
    """The blocks of file names in the folder's marker, one per kind of run (none without
    a marker). Only plain names count: never a path out of the folder."""
    try:
        lines = (folder / OUTPUT_MARKER).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    groups, group = [], set()
    for line in [*lines[1:], ""]:
        if not line:
            if group:
                groups.append(group)
            group = set()
        elif _plain(line):
            group.add(line)
    return groups


def _ours(folder: Path) -> set:
    """Every file the folder's marker lists."""
    return set().union(*_groups(folder))


def _shown(names) -> str:
    names = sorted(names)
    return ", ".join(names[:3]) + (" ..." if len(names) > 3 else "")


#: The options an output folder's errors propose: another folder, or replacing this one.
#: Keywords only; the command line adds its flags (``-o``, ``--force``).
_ANOTHER_FOLDER = Hint("output_dir", "FOLDER")
_REPLACE = Hint("force", True)


def _check_target(target: Path, force: bool, replace: bool) -> None:
    """Refuse a target that is a file, is read-only, or (``replace``) is a non-empty folder
    not to be replaced."""
    if target.exists() and not target.is_dir():
        raise SurveyError("present.export.a_file", target=target, fix=_ANOTHER_FOLDER)
    if not target.is_dir():
        return
    if not os.access(target, os.W_OK | os.X_OK):
        raise SurveyError("present.export.read_only", target=target, fix=_ANOTHER_FOLDER)
    if replace and (target == Path.cwd() or target in Path.cwd().parents):
        # Replacing it would pull the current folder (and whatever it holds) away.
        raise SurveyError("present.export.current", target=target, fix=_ANOTHER_FOLDER)
    entries = _entries(target)
    if not replace or not entries:
        return
    if not force:
        raise SurveyError("present.export.not_empty", target=target, count=len(entries),
                          shown=_shown(entries), force=_REPLACE, fix=_ANOTHER_FOLDER)
    foreign = set(entries) - _ours(target) - {OUTPUT_MARKER, _LOCK}
    if foreign:
        # --force deletes the folder: only one holding nothing but what this package wrote.
        raise SurveyError("present.export.foreign", target=target, count=len(foreign),
                          shown=_shown(foreign), force=_REPLACE, fix=_ANOTHER_FOLDER)


def _running(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine (POSIX; elsewhere assume it does)."""
    if os.name != "posix":
        return True  # os.kill(pid, 0) would send CTRL_C_EVENT on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it runs, as another user
        return True
    return True


def _take_lock(lock: Path, target: Path) -> None:
    """Create ``lock`` atomically (``O_CREAT | O_EXCL``); a lock left by a process of this
    machine that no longer runs (killed) is taken over."""
    for _ in range(2):
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                pid, host = lock.read_text(encoding="utf-8").split()
                stale = host == socket.gethostname() and not _running(int(pid))
            except (OSError, ValueError):
                stale = False  # being written, or not ours: leave it
            if stale:
                lock.unlink(missing_ok=True)
                continue
            raise SurveyError("present.export.locked_wait", target=target, lock=lock) from None
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(f"{os.getpid()} {socket.gethostname()}\n")
        return
    raise SurveyError("present.export.locked", target=target, lock=lock)


#: In the folder a swap sets the previous entries aside in: the names it moves, each marked
#: ``+`` (an entry of that name was there) or ``-`` (none was), written before its first
#: rename; renamed to :data:`_DONE` when every rename is done.
_JOURNAL = ".survey-analysis-swap"
_DONE = ".survey-analysis-swap-done"


def _plain(name: str) -> bool:
    """A name inside a folder, never a path out of it."""
    return bool(name) and "/" not in name and "\\" not in name and name not in (".", "..")


def _remove(path: Path) -> None:
    """Remove a file, a link or a folder (with what it holds); nothing when there is none."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()


def _discard(aside: Path) -> None:
    """Delete the folder of a completed swap, its sign of completion last (a kill meanwhile
    leaves a folder still said completed, or an empty one)."""
    for entry in aside.iterdir():
        if entry.name != _DONE:
            _remove(entry)
    (aside / _DONE).unlink(missing_ok=True)
    aside.rmdir()


def _restore(home: Path, aside: Path) -> bool:
    """Undo the unfinished swap whose journal is in ``aside``: what it set aside goes back
    to ``home``, and what it put in place of nothing is removed. False when ``aside`` holds
    no journal (it is not an unfinished swap)."""
    try:
        lines = (aside / _JOURNAL).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return False
    for line in lines:
        existed, name = line[:1] == "+", line[2:]
        if not _plain(name):
            continue
        if os.path.lexists(aside / name):
            _remove(home / name)
            os.replace(aside / name, home / name)
        elif not existed:
            _remove(home / name)  # this run's, where there was nothing
    shutil.rmtree(aside, ignore_errors=True)
    return True


def _swap(home: Path, moves: dict, aside: Path) -> None:
    """Put new entries of the folder ``home`` in place: all of them, or none.

    The one way outputs are moved into place: a report folder (``home`` its parent, one
    name: the folder) and the files of a command writing beside other files (``home`` that
    folder, a name per file) alike.

    Parameters
    ----------
    home : pathlib.Path
    moves : dict
        Name -> the file or folder that becomes ``home/name`` (on the same file system);
        None: ``home/name`` is removed.
    aside : pathlib.Path
        A new folder in ``home`` for the entries replaced. Its journal (the names, each
        marked as there or not) is written before the first rename; then each entry there
        is renamed into ``aside`` and its replacement renamed into place. An error puts back
        what was set aside (:func:`_restore`); a kill leaves ``aside`` and its journal,
        which the next run puts back the same way (:func:`_recover`). When every rename is
        done the journal is renamed to say so and ``aside`` is deleted.
    """
    aside.mkdir()
    lines = [f"{'+' if os.path.lexists(home / name) else '-'} {name}" for name in moves]
    (aside / _JOURNAL).write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        for name, new in moves.items():
            if os.path.lexists(home / name):
                os.replace(home / name, aside / name)
            if new is not None:
                os.replace(new, home / name)
    except BaseException:
        _restore(home, aside)
        raise
    os.replace(aside / _JOURNAL, aside / _DONE)
    _discard(aside)


def _places(target: Path, replace: bool) -> tuple:
    """Where a run writing ``target`` works: the folder its swap renames in, its lock file,
    and the prefix of the folders it makes there (``<prefix>partial-``, ``<prefix>old-``)."""
    if replace:
        return target.parent, target.parent / f"{target.name}.lock", f".{target.name}."
    return target, target / _LOCK, "."


def _recover(home: Path, prefix: str, target: Path, replace: bool) -> list:
    """Clear what killed runs left in ``home`` (the caller holds the lock, so no run is
    writing them): swaps cut midway are undone (:func:`_restore`), completed ones and
    half-written folders deleted. A report folder set aside by a run of an earlier version
    (no journal) is put back when the report is missing and it is the only one. Returns the
    folders whose contents were put back."""
    restored, previous = [], []
    if not home.is_dir():
        return restored
    for entry in sorted(home.iterdir()):
        if not entry.is_dir() or entry.is_symlink():
            continue
        if entry.name.startswith(prefix + "old-"):
            if (entry / _DONE).exists():
                _discard(entry)
            elif _restore(home, entry):
                restored.append(entry)
            elif not any(entry.iterdir()):
                entry.rmdir()
            elif replace:
                previous.append(entry)  # an earlier version's: the previous folder itself
        elif entry.name.startswith(prefix + "partial-"):
            shutil.rmtree(entry, ignore_errors=True)
    if len(previous) == 1 and not os.path.lexists(target):
        os.replace(previous[0], target)
        restored.append(previous[0])
    else:
        for entry in previous:
            shutil.rmtree(entry, ignore_errors=True)
    return restored


def _say_restored(restored: list, target: Path) -> None:
    import warnings

    from ..words import SurveyWarning

    for aside in restored:
        warnings.warn(SurveyWarning(Message("present.export.restored",
                                            {"target": target, "aside": aside.name})),
                      stacklevel=3)


def _write_marker(folder: Path, groups) -> None:
    blocks = ["\n".join(sorted(group)) for group in groups if group]
    text = _MARKER_HEADER + "\n" + "\n\n".join(blocks) + "\n"
    (folder / OUTPUT_MARKER).write_text(text, encoding="utf-8")


def _update(new: Path, target: Path, aside: Path) -> None:
    """Move the files of ``new`` into ``target`` and remove the files an earlier run of the
    same kind wrote and this one did not (a run is of the same kind when it writes some of
    the same file names: ``reproduce`` twice, not ``reproduce`` then ``compare``), all in one
    :func:`_swap`; other files are left alone."""
    names = {name for name in _entries(new) if name != OUTPUT_MARKER}
    groups = _groups(target)
    same = [group for group in groups if group & names]
    _write_marker(new, [group for group in groups if not group & names] + [names])
    moves = {name: new / name for name in sorted(names)}
    moves.update({name: None for name in sorted(set().union(*same) - names)})
    moves[OUTPUT_MARKER] = new / OUTPUT_MARKER
    _swap(target, moves, aside)


def check_output_folder(path, force: bool = False, replace: bool = True) -> None:
    """Raise now what :func:`output_folder` would raise about ``path`` before writing.

    A command checks its output folder before the analysis, so a folder that needs
    ``--force`` (or is a file, a symbolic link, read-only) is said at once, not after
    minutes of work. The outputs of a run killed while moving them into place are put
    back first (a :class:`~survey_analysis.words.SurveyWarning` says so), as
    :func:`output_folder` does. :func:`output_folder` checks again when it writes (the
    folder may change meanwhile).

    Parameters
    ----------
    path : str or path
    force, replace : bool
        As for :func:`output_folder`.

    Raises
    ------
    ValueError
        As :func:`output_folder`: ``path`` is a symbolic link, a file, below a file, or
        read-only; with ``replace``, it holds files and ``force`` is False, or holds files
        this package did not write; another run is writing it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> check_output_folder(pathlib.Path(tempfile.mkdtemp()) / "new")  # nothing to say
    """
    target = check_output_path(path, _ANOTHER_FOLDER)
    replace = bool(replace)
    home, lock, prefix = _places(target, replace)
    if home.is_dir() and any(entry.name.startswith(prefix + "old-") for entry in home.iterdir()):
        try:
            _take_lock(lock, target)
        except OSError as error:
            raise _not_written(error, target) from error
        try:
            _say_restored(_recover(home, prefix, target, replace), target)
        finally:
            lock.unlink(missing_ok=True)
    _check_target(target, bool(force), replace)


@contextmanager
def output_folder(path, force: bool = False, replace: bool = True):
    """Write a folder of outputs all at once: the previous outputs or the new ones, never a mix.

    Parameters
    ----------
    path : str or path
        The folder to produce. Its parents are created if needed. A symbolic link is
        refused (a dangling link would be followed to wherever it points).
    force : bool, default False
        With ``replace``: replace an existing folder that holds files (CLI ``--force``);
        only a folder holding nothing but files this package wrote there.
    replace : bool, default True
        True: the folder is replaced as a whole (a report). False: the files written
        are moved into the folder, which may hold other files (the input sheets);
        files an earlier run of the same kind wrote there (some of the same names) and
        this one does not are removed.

    Yields
    ------
    pathlib.Path
        An empty folder on the same file system (beside ``path``, or inside it with
        ``replace=False``) to write into. When the block ends without an error its
        files are moved into place by renames; on any error (including an interrupt)
        it is deleted and ``path`` is left as it was.

    Raises
    ------
    ValueError
        ``path`` is a symbolic link, a file, below a file, or read-only; with
        ``replace``, it holds files and ``force`` is False, or it holds files this
        package did not write; another run is writing it.
    OSError
        Writing failed (disk full, no permission ...): the message names ``path`` and
        says that nothing was written.

    Notes
    -----
    A lock file (``<path>.lock`` beside a folder to replace, ``.survey-analysis.lock``
    in a folder to update), created with ``O_CREAT | O_EXCL`` and removed at the end,
    stops a second run writing the same folder at the same time; a lock left by a
    killed process of this machine is taken over. Every folder written holds
    :data:`OUTPUT_MARKER`, the list of its files.

    Both kinds of folder are moved into place by one swap: the entries replaced are
    first renamed into a folder ``.old-...`` (``.<name>.old-...`` beside a report) whose
    journal, written before the first rename, lists them; then the new ones are renamed
    into place. An error puts back what was set aside; a run killed between two renames
    leaves the journal, and the next run (or :func:`check_output_folder`) puts the
    previous outputs back before anything else, with a
    :class:`~survey_analysis.words.SurveyWarning` saying so, and deletes half-written
    folders.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> with output_folder(target) as folder:
    ...     _ = (folder / "a.txt").write_text("complete")
    >>> sorted(p.name for p in target.iterdir())
    ['.survey-analysis-output', 'a.txt']
    """
    target = check_output_path(path, _ANOTHER_FOLDER)
    replace = bool(replace)
    _check_target(target, bool(force), replace)
    created = not target.exists()
    home, lock, prefix = _places(target, replace)
    try:
        home.mkdir(parents=True, exist_ok=True)
        _take_lock(lock, target)
    except OSError as error:
        raise _not_written(error, target) from error
    try:
        _say_restored(_recover(home, prefix, target, replace), target)
        _check_target(target, bool(force), replace)  # as it is now that no other run writes it
        tag = f"{os.getpid()}-{secrets.token_hex(4)}"
        folder = home / f"{prefix}partial-{tag}"
        try:
            folder.mkdir()
            yield folder
            if replace:
                _write_marker(folder, [set(_entries(folder))])
                _swap(home, {target.name: folder}, home / f"{prefix}old-{tag}")
            else:
                _update(folder, target, home / f"{prefix}old-{tag}")
                folder.rmdir()
        except BaseException as error:
            shutil.rmtree(folder, ignore_errors=True)
            if isinstance(error, OSError):
                raise _not_written(error, target) from error
            raise
    finally:
        lock.unlink(missing_ok=True)
        if created and not replace and target.is_dir() and not any(target.iterdir()):
            target.rmdir()  # a folder made for a run that wrote nothing


def _not_written(error: OSError, target: Path) -> OSError:
    """An OSError naming the output folder, in one line: what failed, and that nothing of
    this run is left."""
    where = Message("present.export.where", {"filename": error.filename}) if error.filename else ""
    state = Message("present.export.unchanged" if target.exists() else "present.export.nothing_written")
    hint = Message("present.export.disk_full") if error.errno == errno.ENOSPC else ""
    # An OSError still (the caller tells a failed write from bad options by its type).
    return OSError(error.errno, say("present.export.not_written", target=target,
                                    reason=error.strerror or str(error), where=where, hint=hint,
                                    state=state))
