"""Reading an Excel sheet (.xlsx / .xlsm) into a grid of cell texts, with what openpyxl shows.

Three readers, each for what it does best:

* **python-calamine** (Rust) reads the cell values: the values Excel saved, formulas never
  evaluated, about ten times faster than openpyxl. It also gives the merged ranges.
* The sheet's own XML, found through the workbook's relationships with the standard
  library's ``zipfile`` and ``ElementTree``, tells what calamine does not: which cells hold a
  formula, and whether Excel saved a value for it (a file written by a program that does not
  calculate has none). Only the cells holding a formula are looked at; a sheet without
  formulas costs a few byte searches of its XML.
* **openpyxl** reads the sheet as before (values with ``data_only=True``, formulas in a
  second read-only pass) whenever the fast reader might not give exactly what openpyxl
  gives: python-calamine missing, a file calamine cannot open (openpyxl's error names why),
  error cells (``#N/A``: openpyxl keeps the text, calamine drops it), ISO-date cells,
  numbers beyond 2**53 or -0 (their text would differ), cells without a reference (or
  written otherwise than ``<c r="A1" ...>`` more than a few times), a sheet whose cells
  may span more than :data:`MAX_CELLS` (openpyxl's sparse cells then tell exactly),
  ``CDATA`` sections, namespace-prefixed texts, rich or phonetic texts with a run that
  calamine trims, more than a few shared strings that it trims, or a sheet part that cannot
  be found.

What both give, cell by cell: the text of each value (whole numbers without ``.0``; a
date as openpyxl's ``datetime``; white space around a text kept, which calamine trims where
the file does not say ``xml:space="preserve"``), ``""`` for an empty cell and for every cell
of a merged range but its top-left one (openpyxl's ``MergedCell``), the merged ranges, and
the formula cells without a saved value (wherever they are: a ``<dimension>`` that ends
before them does not hide them; a formula under a merged range has no value there). The
grid spans the cells with a value and those formulas: formatting and merged ranges alone
do not widen it. ``tests/test_loader_speed_paths.py`` checks the two readers against each
other.

A workbook is a zip of XML parts, and none of it is trusted (issue 14):

* Every XML part is looked at before any reader parses it: a document type declaration
  (``<!DOCTYPE``, which can declare entities: an external entity reads a local file, nested
  ones expand to gigabytes) is refused. Excel, WPS and LibreOffice never write one.
* A cut-off or damaged zip, a damaged part, a part that is not well-formed XML and a sheet
  whose part is missing are each a :class:`ResponseFileError` naming the file, the part and
  the sheet.
* The size of a sheet is never taken from what it says (its ``<dimension>``, openpyxl's
  ``max_row``/``max_column``, calamine's range, which is dense from A1 to the farthest
  value): the cells present are counted first, and a sheet whose cells with a value span
  more than :data:`MAX_CELLS` (rows x columns from A1) is refused before anything that
  size is built. Cells without a value (formatting) do not count, whatever their place.

OpenDocument spreadsheets (``.ods``, :func:`read_ods`) are read by python-calamine for the
values and from their ``content.xml`` for merged ranges, formulas without a saved value and
the size, so the header and merged-cell logic is the same as for ``.xlsx``.

Old binary Excel workbooks (``.xls``, BIFF, :func:`read_xls`) are read by python-calamine
alone: the values (a formula as the result Excel saved with it: a BIFF file always holds
one) and the merged ranges, so title rows, merged cells and totals rows are read as in an
``.xlsx`` sheet. A sheet's size is checked before its values become Python objects; the
format itself bounds a sheet to 65,536 rows x 256 columns.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pandas as pd

from . import bounds, coded
from .cellformat import has_percent_cells, shown_values
from .grid import Grid
from .ods import read_ods_archive
from .report import Note, ResponseFileError
from .workbook import (
    NS,
    PACKAGE_ERRORS,
    RESAVE,
    Fallback,
    check_sheet_part,
    checked_size,
    column_number,
    covered_cells,
    excel_text,
    find_sheet,
    is_ods,
    listed_sheets,
    open_zip,
    part_path,
    part_relations,
    read_part,
    refuse_doctypes,
    rows_grid,
    trimmed_grid,
    unreadable,
    values_text,
    workbook_part,
)

__all__ = ["MAX_CELLS", "read_excel", "read_ods", "read_xls"]

#: The most cells a sheet may span, counted as rows x columns from A1 to the farthest cell
#: with a value (1e5 answers x 100 columns). A stray value far from the data (XFD1048576 is
#: 17 billion cells from A1) would otherwise make every reader build a grid that size.
#: Raise it for one call with ``read_excel(path, sheet, max_cells=N)``, or for the session
#: with ``survey_analysis.load.excel.MAX_CELLS = N``.
MAX_CELLS = 10_000_000

#: The fast reader's signal to read the sheet with openpyxl (the fast reader and its tests
#: know it by this name).
_Fallback = Fallback
_SHEET_DATA = re.compile(rb"<" + NS + rb"sheetData[\s/>]")
_FORMULA = re.compile(rb"<" + NS + rb"f[\s/>]")
_CELL_TAG = re.compile(rb"<" + NS + rb"c(\s[^>]*)?>\s*")
_REF = re.compile(rb"(?:^|\s)r\s*=\s*[\"']\$?([A-Za-z]{1,3})\$?(\d+)[\"']")
_TYPE = re.compile(rb"(?:^|\s)t\s*=\s*[\"']([^\"']*)[\"']")
_FORMULA_END = re.compile(rb"</" + NS + rb"f\s*>")
# The formula element, then its saved value: <f>..</f><v>42</v>, <f .../><v/>, or no <v>.
_SAVED = re.compile(rb"<" + NS + rb"f\b[^>]*?(?:/>|>[^<]*</" + NS + rb"f\s*>)\s*"
                    rb"(?:<" + NS + rb"v\b[^>]*?(?:/>|>([^<]*)</" + NS + rb"v\s*>))?")
# Cells of type e (error) or d (ISO 8601 date): openpyxl reads them differently.
_ODD_TYPE = re.compile(rb"<" + NS + rb"c(?:\s[^>]*?)?\st\s*=\s*[\"'][ed][\"']")


def read_excel(path, sheet, max_cells: int | None = None) -> Grid:
    """Every row of the chosen sheet of an .xlsx/.xlsm workbook as text, with its sheet row,
    formula cells without a saved value and merged ranges.

    Parameters
    ----------
    path : str or pathlib.Path
        The workbook.
    sheet : str or int
        Sheet name, or its number in the workbook's order (0 is the first).
    max_cells : int, optional
        The most cells (rows x columns from A1 to the farthest cell with a value) the sheet
        may span; default :data:`MAX_CELLS`.

    Returns
    -------
    Grid
        The sheet's cells as text (``file_format`` "excel"). An OpenDocument spreadsheet
        given an .xlsx name is read as one (:func:`read_ods`), with a note saying so.

    Raises
    ------
    ResponseFileError
        A file that is no workbook, cut off or damaged (naming the part and the sheet), an
        XML part with a document type declaration (entities), a sheet missing from the
        file, or a sheet spanning more than ``max_cells``.

    Examples
    --------
    >>> read_excel("survey.xlsx", 0).text  # doctest: +SKIP
    """
    name = str(path)
    limit = MAX_CELLS if max_cells is None else int(max_cells)
    with open_zip(path, name, limit) as archive:
        if is_ods(archive):
            grid = read_ods_archive(path, archive, sheet, limit)
            grid.notes.insert(0, Note("load.excel.ods_named_xlsx", suffix=Path(name).suffix))
            return grid
        refuse_doctypes(archive, name)
        check_sheet_part(archive, sheet, name)
    try:
        return _read_fast(path, sheet, limit)
    except Fallback:
        return _read_openpyxl(path, sheet, limit)


def read_ods(path, sheet, max_cells: int | None = None) -> Grid:
    """Every row of the chosen sheet of an OpenDocument spreadsheet (.ods) as text.

    Values are read by python-calamine (formulas as the values the program saved); merged
    ranges, formula cells without a saved value and the sheet's size come from the file's
    ``content.xml``, so the header and merged-cell logic is that of an .xlsx sheet.

    Parameters
    ----------
    path : str or pathlib.Path
        The spreadsheet.
    sheet : str or int
        Sheet name, or its number (0 is the first).
    max_cells : int, optional
        As in :func:`read_excel`; default :data:`MAX_CELLS`.

    Returns
    -------
    Grid
        ``file_format`` "excel" (rows are sheet rows); its notes say the file was read as
        OpenDocument.

    Raises
    ------
    ResponseFileError
        As :func:`read_excel`.

    Examples
    --------
    >>> read_ods("survey.ods", 0).notes  # doctest: +SKIP
    ['read as an OpenDocument spreadsheet (.ods) ...']
    """
    name = str(path)
    limit = MAX_CELLS if max_cells is None else int(max_cells)
    with open_zip(path, name, limit) as archive:
        if not is_ods(archive) and "xl/workbook.xml" in archive.NameToInfo:
            grid = read_excel(path, sheet, max_cells)
            grid.notes.insert(0, Note("load.excel.xlsx_named_ods"))
            return grid
        return read_ods_archive(path, archive, sheet, limit)


def read_xls(path, sheet, max_cells: int | None = None) -> Grid:
    """Every row of the chosen sheet of an old binary Excel workbook (.xls) as text, with
    its sheet row and merged ranges, read by python-calamine.

    Parameters
    ----------
    path : str or pathlib.Path
        The workbook.
    sheet : str or int
        Sheet name, or its number in the workbook's order (0 is the first).
    max_cells : int, optional
        As in :func:`read_excel`; default :data:`MAX_CELLS`.

    Returns
    -------
    Grid
        ``file_format`` "excel" (rows are sheet rows), its notes saying the file was read
        as an .xls workbook.

    Raises
    ------
    ResponseFileError
        A file calamine cannot read as a workbook (damaged, password-protected), a sheet
        missing from it, or a sheet spanning more than ``max_cells``.

    Examples
    --------
    >>> read_xls("survey.xls", 0).merged  # doctest: +SKIP
    [(1, 1, 3, 1)]
    """
    name = str(path)
    limit = MAX_CELLS if max_cells is None else int(max_cells)
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        raise ResponseFileError("load.xls.needs_calamine", name) from None
    try:
        with open(path, "rb") as handle:  # by its content, whatever its name says
            book = CalamineWorkbook.from_filelike(handle)
            try:
                sheet_name = find_sheet(list(book.sheet_names), sheet, name)
                ws = book.get_sheet_by_name(sheet_name)
                merged = [(c0 + 1, r0 + 1, c1 + 1, r1 + 1) for (r0, c0), (r1, c1) in ws.merged_cell_ranges or []]
                end = ws.end  # the farthest cell with a value (0-based), None for an empty sheet
                # Checked before calamine's dense range becomes a list of Python objects.
                checked_size([(end[0] + 1, end[1] + 1)] if end else [], merged, limit, name, sheet_name)
                rows = ws.to_python(skip_empty_area=False)
            finally:
                book.close()
    except (ResponseFileError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: BLE001 -- calamine's errors, its Rust panics included
        raise ResponseFileError("load.xls.unreadable", name, kind=type(error).__name__, error=str(error)) from None
    grid = rows_grid(rows, merged, limit, name, sheet_name)
    grid.notes.append(Note("load.xls.note"))
    return grid


# ---------------------------------------------------------------------------
# Fast: python-calamine for values, the sheet's XML for formulas
# ---------------------------------------------------------------------------


def _sheet_parts(archive: zipfile.ZipFile) -> tuple[list, str | None]:
    """(name, part, is a worksheet) of every sheet, in workbook order, and the shared
    strings part (None without one)."""
    workbook = workbook_part(archive)
    if workbook is None:
        raise Fallback
    strings = next((part_path(workbook, target) for target, kind in part_relations(archive, workbook).values()
                    if kind.endswith("/sharedStrings")), None)
    if strings is not None and strings not in archive.NameToInfo:
        raise Fallback
    out = listed_sheets(archive)
    if any(part not in archive.NameToInfo for _, part, _ in out):
        raise Fallback  # openpyxl skips such a sheet; so does its list of names
    return out, strings


def _sheet_data(xml: bytes) -> bytes:
    """The ``<sheetData>`` element of a sheet's XML (empty without one)."""
    start = _SHEET_DATA.search(xml)
    return xml[start.start():xml.rfind(b"sheetData>") + 1] if start else b""


def _formula_cells(data: bytes) -> list:
    """Formula cells of a sheet's ``<sheetData>`` as (row, column, saved value?), 1-based."""
    if b"<![CDATA[" in data:
        raise Fallback
    if (b'"e"' in data or b"'e'" in data or b'"d"' in data or b"'d'" in data) and _ODD_TYPE.search(data):
        raise Fallback
    cells = []
    for where in _formula_tags(data):
        # <f> is the first child of its <c>: the tag just before it is the cell's.
        tag = _CELL_TAG.fullmatch(data, data.rfind(b"<", 0, where), where)
        attributes = tag.group(1) or b"" if tag else b""
        ref = _REF.search(attributes)
        kind = _TYPE.search(attributes)
        saved = _SAVED.match(data, where)
        if not tag or not ref or not saved or (kind and kind.group(1) == b"inlineStr"):
            raise Fallback
        cells.append((int(ref.group(2)), column_number(ref.group(1)), bool(saved.group(1))))
    return cells


def _formula_tags(data: bytes):
    """Start of each formula element (``<f``, ``<x:f``) in sheet data, found by fast byte
    searches for "<f" and ":f" (a regular expression over every tag would be slower than
    reading the values)."""
    found = []
    for needle in (b"<f", b":f"):
        where = data.find(needle)
        while where != -1:
            start = where if needle == b"<f" else data.rfind(b"<", 0, where)
            match = _FORMULA.match(data, start) if start != -1 else None
            if match and match.end() == where + 3:
                found.append(start)
            where = data.find(needle, where + 2)
    return sorted(found)


# calamine trims the white space around a text that does not say xml:space="preserve" (a
# text of white space only becomes empty, a rich text " " + "abc" becomes "abc"); openpyxl
# keeps it. Excel writes "preserve" where it matters, other programs may not: such texts are
# found (a few byte searches) and put back as openpyxl reads them.
_TEXT = re.compile(rb"<(" + NS + rb")t(\s[^>]*)?>([^<]*)</\1t\s*>")
_TEXT_EDGES = (b"<t> ", b"<t>\t", b"<t>\n", b"<t>\r", b"<t>&#", b" </", b"\t</", b"\n</", b"\r</", b";</")
_MOST_TRIMMED = 20  # more trimmed shared strings than this: openpyxl reads the sheet


def _trimmed_texts(data: bytes):
    """(start, end, text as openpyxl reads it) of each text element calamine trims."""
    if b":t>" in data:
        raise Fallback  # prefixed text elements: openpyxl reads them
    starts = set()
    for needle in _TEXT_EDGES:
        where = data.find(needle)
        while where != -1:
            starts.add(where if needle.startswith(b"<t>") else data.rfind(b"<", 0, where + 1))
            where = data.find(needle, where + 1)
    for start in sorted(starts):
        match = _TEXT.match(data, start) if start >= 0 else None
        if not match or b"preserve" in (match.group(2) or b""):
            continue
        text = ElementTree.fromstring(b"<t>" + match.group(3) + b"</t>").text or ""
        if text != text.strip(" \t\r\n"):
            yield match.start(), match.end(), text


def _trimmed_strings(data: bytes) -> dict:
    """Shared strings calamine trims: index -> text. A rich or phonetic string with such a
    text among others would read differently: the fast reader declines."""
    out = {}
    for start, end, text in _trimmed_texts(data):
        first, last = data.rfind(b"<si", 0, start), data.find(b"</si>", end)
        if first == -1 or last == -1 or data.count(b"<t", first, last) != 1 or b"<rPh" in data[first:last]:
            raise Fallback
        out[data.count(b"<si", 0, first)] = text
        if len(out) > _MOST_TRIMMED:
            raise Fallback
    return out


def _trimmed_cells(xml: bytes, trimmed_strings: dict) -> dict:
    """(row, column) -> text of the cells whose text calamine trims (shared or inline)."""
    cells = {}

    def cell(start: int, end: int):
        tag = _CELL_TAG.fullmatch(xml, start, end) if start != -1 else None
        ref = _REF.search(tag.group(1) or b"") if tag else None
        return tag, ((int(ref.group(2)), column_number(ref.group(1))) if ref else None)

    for index, text in trimmed_strings.items():
        needle = b"<v>%d</v>" % index
        where = xml.find(needle)
        while where != -1:
            start = xml.rfind(b"<", 0, where)
            tag, key = cell(start, where)
            if tag is None:
                if not _FORMULA_END.match(xml, start):
                    raise Fallback  # a value element written otherwise: openpyxl reads it
            else:  # <c ...><v>index</v>: a shared string when t="s"
                kind = _TYPE.search(tag.group(1) or b"")
                if kind and kind.group(1) == b"s":
                    if key is None:
                        raise Fallback
                    cells[key] = text
            where = xml.find(needle, where + len(needle))
    if b"<is>" in xml or b":is>" in xml:
        for start, _, text in _trimmed_texts(xml):
            opening = xml.rfind(b"<is>", 0, start)
            tag, key = cell(xml.rfind(b"<", 0, opening), opening) if opening != -1 else (None, None)
            if key is None or xml[opening + 4:start].strip():
                raise Fallback  # a run of a rich inline string, or prefixes
            cells[key] = text
    return cells


# A sheet spanning more cells than this with fewer than 1 in _SPARSE_SHARE of them holding
# a value is read by openpyxl, cell by cell, not as calamine's dense range.
_SPARSE_AREA, _SPARSE_SHARE = 2_000_000, 16
_IRREGULAR_CELLS = 1000  # cell tags not written <c r="A1" ...> looked at one by one; more: openpyxl


def _cell_extent(data: bytes) -> tuple | None:
    """(rows, columns) from A1 to the farthest cell of ``<sheetData>`` that may hold a value,
    and the number of such cells: calamine's dense range spans at most rows x columns. A cell written ``<c .../>`` holds no value
    (formatting) and does not count when the cells span more than ``_SPARSE_AREA``. None
    when a cell's place is not written in its tag (calamine would place it by its order)
    or when cells are written otherwise than Excel and most programs do more than a few
    times.

    numpy over the bytes: a regular expression over every cell would take a fifth of the
    time of reading the sheet."""
    # Zero bytes after the end: the few bytes read after each "<c" stay in the array.
    arr = np.frombuffer(data + bytes(40), dtype=np.uint8)
    letter_c = np.flatnonzero(arr[1:len(data)] == ord("c")) + 1
    before, after = arr[letter_c - 1], arr[letter_c + 1]
    ends_name = ((after == ord(" ")) | (after == ord(">")) | (after == ord("/")) | (after == ord("\t"))
                 | (after == ord("\n")) | (after == ord("\r")))  # not <col, <color ...
    if (ends_name & (before == ord(":"))).any():
        return None  # namespace-prefixed cells (<x:c>): openpyxl reads them
    tags = letter_c[ends_name & (before == ord("<"))] - 1  # where "<c" starts
    del letter_c, before, after, ends_name
    if not len(tags):
        return 0, 0, 0
    window = [arr[tags + k] for k in range(6, 10)]
    upper = [(w >= ord("A")) & (w <= ord("Z")) for w in window]
    regular = ((arr[tags + 2] == ord(" ")) & (arr[tags + 3] == ord("r")) & (arr[tags + 4] == ord("="))
               & (arr[tags + 5] == ord('"')) & upper[0] & ~(upper[1] & upper[2] & upper[3]))
    two, three = upper[1], upper[1] & upper[2]
    col = window[0].astype(np.int64) - 64
    col = np.where(two, col * 26 + window[1] - 64, col)
    col = np.where(three, col * 26 + window[2] - 64, col)
    digits_at = tags + 7 + two + three
    # The number of digits of each row (Excel's last row, 1048576, has 7), then the
    # closing quote; the rows themselves are only computed where the largest can be.
    count = np.zeros(len(tags), dtype=np.int64)
    running = np.ones(len(tags), dtype=bool)
    for k in range(8):
        running &= (arr[digits_at + k] - np.uint8(ord("0"))) <= 9  # wraps below "0"
        if not running.any():
            break
        count += running
    regular &= (count > 0) & (count < 8) & (arr[digits_at + count] == ord('"'))

    def rows_of(which: np.ndarray) -> np.ndarray:
        row = np.zeros(len(which), dtype=np.int64)
        for k in range(int(count[which].max(initial=0))):
            inside = k < count[which]
            row = np.where(inside, row * 10 + arr[digits_at[which] + k] - ord("0"), row)
        return row

    odd = np.flatnonzero(~regular)
    if len(odd) > _IRREGULAR_CELLS:
        return None
    places = []  # (row, column, valued) of the tags read one by one
    for i in odd:  # attributes in another order, single quotes, a "$": read the tag itself
        tag = _CELL_TAG.match(data, int(tags[i]))
        ref = _REF.search(tag.group(1) or b"") if tag else None
        if ref is None:
            return None
        places.append((int(ref.group(2)), column_number(ref.group(1)), not tag.group(0).rstrip().endswith(b"/>")))
    keep = regular.copy()
    for valued_only in (False, True):
        if valued_only:
            # Formatted cells far away are common (a column formatted to its end): a cell
            # written <c .../> holds no value, and calamine does not count it.
            closing = np.flatnonzero(arr == ord(">"))
            ends = closing[np.minimum(np.searchsorted(closing, tags), len(closing) - 1)]
            keep &= arr[ends - 1] != ord("/")
            places = [p for p in places if p[2]]
        cells = int(keep.sum()) + len(places)
        if not cells:
            return 0, 0, 0
        longest = int(count[keep].max(initial=0))
        rows = max([int(rows_of(np.flatnonzero(keep & (count == longest))).max(initial=0))]
                   + [p[0] for p in places])
        cols = max([int(col[keep].max(initial=0))] + [p[1] for p in places])
        if rows * cols <= _SPARSE_AREA:
            break
    return rows, cols, cells

def _read_fast(path, sheet, max_cells: int | None = None) -> Grid:
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        raise Fallback from None
    name = str(path)
    limit = MAX_CELLS if max_cells is None else max_cells
    try:
        with zipfile.ZipFile(path) as archive:
            parts, strings_part = _sheet_parts(archive)
            names = [n for n, _, _ in parts]
            sheet_name = find_sheet(names, sheet, name)
            _, part, is_worksheet = parts[names.index(sheet_name)]
            if not is_worksheet:
                raise Fallback
            xml = read_part(archive, part, name, sheet_name)
            data = _sheet_data(xml)
            extent = _cell_extent(data)
            if extent is not None:
                bounds.check_width(extent[1], name, sheet=sheet_name)  # before calamine reads them
            # calamine builds a dense range from A1 to the farthest value before anything
            # can be checked: openpyxl's sparse cells decide whether a bigger sheet is read,
            # and read a big sheet that is mostly empty (a stray value far below) in less
            # memory than that range.
            if extent is None or extent[0] * extent[1] > limit or (
                    extent[0] * extent[1] > _SPARSE_AREA and extent[2] * _SPARSE_SHARE < extent[0] * extent[1]):
                raise Fallback
            formulas = _formula_cells(data)
            if has_percent_cells(archive, data, name):
                raise Fallback  # numbers in a percent format: openpyxl knows each cell's format
            del data
            trimmed = _trimmed_strings(read_part(archive, strings_part, name)) if strings_part else {}
            blanks = _trimmed_cells(xml, trimmed)
            del xml
        book = CalamineWorkbook.from_path(name)
        try:
            if list(book.sheet_names) != names:
                raise Fallback
            ws = book.get_sheet_by_name(sheet_name)
            rows = ws.to_python(skip_empty_area=False)
            merged = [(c0 + 1, r0 + 1, c1 + 1, r1 + 1) for (r0, c0), (r1, c1) in ws.merged_cell_ranges or []]
        finally:
            book.close()
    except (ResponseFileError, Fallback):
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    # Not a workbook, encrypted, damaged ...: openpyxl says why. A panic in calamine's Rust
    # code is a BaseException (pyo3's PanicException): it too is openpyxl's to explain.
    except BaseException:  # noqa: BLE001
        raise Fallback from None
    cells = [(r, c) for r, c, _ in formulas] + list(blanks)
    if rows:
        cells.append((len(rows), max(map(len, rows))))
    height, width = checked_size(cells, merged, limit, name, sheet_name)
    lengths = set(map(len, rows))
    if len(lengths) == 1 and len(rows) == height and max(lengths) == width and width:
        block = np.empty((height, width), dtype=object)
        block[:] = rows  # calamine's rows are rectangular: one copy in C
    else:
        block = np.full((height, width), "", dtype=object)
        for i, row in enumerate(rows):
            block[i, :len(row)] = row
    del rows
    for (row, col), text in blanks.items():
        block[row - 1, col - 1] = text  # white space calamine trims away
    covered = covered_cells(merged, height, width)
    block[covered] = ""  # openpyxl's MergedCell: no value
    no_value = np.zeros((height, width), dtype=bool)
    for row, col, saved in formulas:
        no_value[row - 1, col - 1] = not saved or covered[row - 1, col - 1]
    columns = [coded.from_values(values_text(block[:, j])) for j in range(width)]
    return trimmed_grid(columns, pd.DataFrame(no_value), name, sheet_name, merged)


# ---------------------------------------------------------------------------
# openpyxl: the reference, and the reader of everything the fast reader declines
# ---------------------------------------------------------------------------


def _is_formula(value) -> bool:
    # data_only=False: a formula reads as "=..." text, or an ArrayFormula/DataTableFormula.
    return (isinstance(value, str) and value.startswith("=")) or type(value).__name__.endswith("Formula")


_OPENPYXL_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError, ValueError, TypeError,
                    AttributeError, IndexError, ElementTree.ParseError)


def _read_openpyxl(path, sheet, max_cells: int | None = None) -> Grid:
    import openpyxl

    name = str(path)
    limit = MAX_CELLS if max_cells is None else max_cells
    _check_merges(path, sheet, limit, name)
    try:
        # Not read_only: merged ranges are only known to a fully loaded sheet. Its cells
        # are those the file holds (a dict by place): nothing is built from max_row or
        # max_column, which count formatted cells and trust no one.
        book = openpyxl.load_workbook(path, data_only=True)
    except _OPENPYXL_ERRORS as error:
        raise unreadable(path, name, error) from None
    sheet_name = find_sheet(book.sheetnames, sheet, name)
    ws = book[sheet_name]
    # A number in a percent format is read as the text the sheet shows (0.974 -> "97.4%").
    values, percent_note = shown_values(ws._cells.items())
    merged = [r.bounds for r in ws.merged_cells.ranges]  # (min_col, min_row, max_col, max_row)
    book.close()
    # A formula cell reads as None when the file holds no saved value for it (written by
    # a program that does not calculate). Only the formulas tell such a cell from an
    # empty one; a formula under a merged range has no value either.
    try:
        formulas = _formula_places(path, sheet_name)
    except _OPENPYXL_ERRORS as error:
        raise unreadable(path, name, error) from None
    no_value = [place for place in formulas if place not in values]
    height, width = checked_size(list(values) + no_value, merged, limit, name, sheet_name)
    by_column = [[] for _ in range(width)]
    for (row, col), value in values.items():
        by_column[col - 1].append((row, value))
    columns = []
    for cells in by_column:
        column = np.full(height, None, dtype=object)
        for row, value in cells:
            column[row - 1] = value
        columns.append(coded.from_values(excel_text(pd.Series(column, dtype=object)).to_numpy(dtype=object)))
    flags = np.zeros((height, width), dtype=bool)
    for row, col in no_value:
        flags[row - 1, col - 1] = True
    grid = trimmed_grid(columns, pd.DataFrame(flags), name, sheet_name, merged)
    if percent_note is not None:
        grid.notes.append(percent_note)
    return grid


def _formula_places(path, sheet_name: str) -> list:
    """(row, column) of every formula cell of the sheet, read as the rows come (openpyxl's
    read-only worksheet pads every row to the sheet's stated ``<dimension>``, and a fully
    loaded one drops the formulas under merged ranges: its own row parser is used)."""
    import openpyxl
    from openpyxl.worksheet._reader import WorkSheetParser

    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        ws = book[sheet_name]
        with ws._get_source() as source:
            parser = WorkSheetParser(source, ws._shared_strings, data_only=False, epoch=book.epoch,
                                     date_formats=book._date_formats,
                                     timedelta_formats=book._timedelta_formats)
            return [(cell["row"], cell["column"]) for _, row in parser.parse() for cell in row
                    if _is_formula(cell["value"])]
    finally:
        book.close()


def _check_merges(path, sheet, limit: int, name: str) -> None:
    """openpyxl makes one object per cell of a merged range: merged ranges over more than
    ``limit`` cells are refused before it loads the sheet."""
    try:
        with zipfile.ZipFile(path) as archive:
            listed = listed_sheets(archive)
            names = [n for n, _, _ in listed]
            sheet_name = find_sheet(names, sheet, name)
            xml = archive.read(listed[names.index(sheet_name)][1])
    except PACKAGE_ERRORS:  # openpyxl's load says what is wrong (the same for a bad sheet)
        return
    merged = []
    for ref in re.findall(rb"<" + NS + rb"mergeCell\b[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']", xml):
        found = re.fullmatch(rb"\$?([A-Za-z]{1,3})\$?(\d+):\$?([A-Za-z]{1,3})\$?(\d+)", ref.strip())
        if found:
            c0, c1 = sorted((column_number(found.group(1)), column_number(found.group(3))))
            r0, r1 = sorted((int(found.group(2)), int(found.group(4))))
            merged.append((c0, r0, c1, r1))
    checked_size([], merged, limit, name, sheet_name)  # the message the fast reader gives
    # Ranges that overlap (no program writes them) could still make too many cells.
    total = sum((r1 - r0 + 1) * (c1 - c0 + 1) for c0, r0, c1, r1 in merged)
    if total > limit:
        raise ResponseFileError("load.excel.merges_overlap", name, sheet=sheet_name, total=total, limit=limit,
                                resave=RESAVE)
