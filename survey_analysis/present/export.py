"""Write tables for analysts: CSV that Excel opens correctly, Excel workbooks, text cells made safe.

Text cells that begin with ``=``, ``+``, ``-``, ``@``, tab or carriage return are
prefixed with a single quote (the OWASP "CSV injection" rule) so a spreadsheet does
not run them as formulas. Only text is touched, never numbers: a negative number
stays a number. Column headers that are text are treated the same way. Every
writer takes ``escape=False`` to write text verbatim.

References
----------
OWASP Foundation, "CSV Injection",
https://owasp.org/www-community/attacks/CSV_Injection
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["escape_formulas", "excel_sheet_name", "write_csv", "write_excel"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Whitespace and control characters before a formula character.
_LEADING_BLANKS = r"^[\s\x00-\x1f\x7f]+"
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
    starts = text.str.startswith(_FORMULA_START).fillna(False).astype(bool)
    after_blank = text.str.replace(_LEADING_BLANKS, "", regex=True).str.startswith(
        _FORMULA_START[:4]).fillna(False).astype(bool)
    return (starts | after_blank) & _text_mask(values)


def escape_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``table`` with formula-like text cells (and headers) prefixed by ``'``.

    Parameters
    ----------
    table : pandas.DataFrame

    Returns
    -------
    pandas.DataFrame
        Same shape, index and dtypes; text cells (and text column names) that begin
        with ``=``, ``+``, ``-``, ``@``, tab or carriage return -- also after leading
        spaces or control characters -- get a leading ``'``.
        Numbers, including negative numbers in a column that mixes numbers and text,
        are left alone.

    Examples
    --------
    >>> import pandas as pd
    >>> escape_formulas(pd.DataFrame({"a": ["=1+1", "ok"], "b": [-1, 2]})).to_dict("list")
    {'a': ["'=1+1", 'ok'], 'b': [-1, 2]}
    >>> escape_formulas(pd.DataFrame({"c": ["-x", -3]}))["c"].tolist()
    ["'-x", -3]
    """
    out = table.copy()
    for position in range(out.shape[1]):
        values = out.iloc[:, position]
        if pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
            risky = _risky(values)
            if risky.any():
                escaped = values.where(~risky.to_numpy(), "'" + values.astype("string"))
                out.isetitem(position, escaped.astype(values.dtype) if
                             pd.api.types.is_string_dtype(values) and not
                             pd.api.types.is_object_dtype(values) else escaped)
    if isinstance(out.columns, pd.Index) and not isinstance(out.columns, pd.MultiIndex):
        names = pd.Series(out.columns, dtype=object)
        risky = _risky(names).to_numpy()
        if risky.any():
            out.columns = pd.Index(np.where(risky, "'" + names.astype(str), names.to_numpy()),
                                   dtype=object)
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
    # RFC 4180 line ends ("\r\n") on every platform: the same bytes everywhere, and every
    # field holding a CR or a LF is quoted (with "\n" ends a lone CR would not be, and a
    # reader could start a new row, and a formula, there).
    (escape_formulas(table) if escape else table).to_csv(path, index=False, encoding="utf-8-sig",
                                                         lineterminator="\r\n")
    return path


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

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "t.xlsx"
    >>> path = write_excel({"rates/2024": pd.DataFrame({"item": ["=A1"], "n": [-3]})}, out)
    >>> back = pd.read_excel(path, sheet_name=None)
    >>> list(back), back["rates_2024"].to_dict("list")
    (['rates_2024'], {'item': ["'=A1"], 'n': [-3]})
    """
    if isinstance(tables, pd.DataFrame):
        tables = {"Sheet1": tables}
    if not tables:
        raise ValueError("write_excel needs at least one table")
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
                "where": [f"only in {k}.csv (more than {max_rows:,} rows)" if k in long
                          else "sheet in this workbook" for k in tables]})
            names.append("contents")
            _write_sheet(workbook.add_worksheet("contents"), escape_formulas(contents))
        for wanted, table in tables.items():
            if wanted in long:
                continue
            name = excel_sheet_name(wanted, names)
            names.append(name)
            _write_sheet(workbook.add_worksheet(name), escape_formulas(table) if escape else table)
    finally:
        workbook.close()
    return path


#: Rows of an Excel sheet, the header included.
EXCEL_MAX_ROWS = 1_048_576


def _cells(values: pd.Series) -> list:
    """A column as Python values XlsxWriter writes: numbers, text, booleans; None for a
    missing value (an empty cell); dates as ISO text."""
    if pd.api.types.is_datetime64_any_dtype(values):
        values = values.dt.strftime("%Y-%m-%d %H:%M:%S").str.replace(" 00:00:00", "", regex=False)
    return values.astype(object).where(values.notna(), None).tolist()


def _write_sheet(worksheet, table: pd.DataFrame) -> None:
    """Header and rows of ``table``. XlsxWriter writes cell by cell, so this is a loop over
    rows (one ``write_row`` each, in order, as constant-memory mode needs); a table longer
    than a sheet holds keeps its first rows and says so beside the header."""
    rows = min(len(table), EXCEL_MAX_ROWS - 1)
    header = [str(c) for c in table.columns]
    if rows < len(table):
        header.append(f"first {rows:,} of {len(table):,} rows (an Excel sheet holds no more); "
                      "the full table is in the CSV")
    worksheet.write_row(0, 0, header)
    columns = [_cells(table.iloc[:rows, j]) for j in range(table.shape[1])]
    for i, row in enumerate(zip(*columns), start=1):
        worksheet.write_row(i, 0, row)
