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
  numbers beyond 2**53 or -0 (their text would differ), cells without a reference,
  ``CDATA`` sections, namespace-prefixed texts, rich or phonetic texts with a run that
  calamine trims, more than a few shared strings that it trims, or a sheet part that cannot
  be found.

What both give, cell by cell: the text of each value (whole numbers without ``.0``; a
date as openpyxl's ``datetime``; white space around a text kept, which calamine trims where
the file does not say ``xml:space="preserve"``), ``""`` for an empty cell and for every cell
of a merged range but its top-left one (openpyxl's ``MergedCell``), the merged ranges, and
the formula cells without a saved value as openpyxl reports them: its read-only formulas
pass reads the rows and columns of the sheet's ``<dimension>`` only, and a formula under a
merged range has no value there. ``tests/test_loader_speed_paths.py`` checks the two
readers against each other.
"""

from __future__ import annotations

import datetime
import posixpath
import re
import zipfile
from xml.etree import ElementTree

import numpy as np
import pandas as pd

from . import coded
from .read import Grid
from .report import ResponseFileError

__all__ = ["read_excel"]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_NS = rb"(?:[\w.-]+:)?"  # an XML namespace prefix (x:c, x:f) or none
_SHEET_DATA = re.compile(rb"<" + _NS + rb"sheetData[\s/>]")
_DIMENSION = re.compile(rb"<" + _NS + rb"dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
_FORMULA = re.compile(rb"<" + _NS + rb"f[\s/>]")
_CELL_TAG = re.compile(rb"<" + _NS + rb"c(\s[^>]*)?>\s*")
_REF = re.compile(rb"(?:^|\s)r\s*=\s*[\"']\$?([A-Za-z]{1,3})\$?(\d+)[\"']")
_TYPE = re.compile(rb"(?:^|\s)t\s*=\s*[\"']([^\"']*)[\"']")
_FORMULA_END = re.compile(rb"</" + _NS + rb"f\s*>")
# The formula element, then its saved value: <f>..</f><v>42</v>, <f .../><v/>, or no <v>.
_SAVED = re.compile(rb"<" + _NS + rb"f\b[^>]*?(?:/>|>[^<]*</" + _NS + rb"f\s*>)\s*"
                    rb"(?:<" + _NS + rb"v\b[^>]*?(?:/>|>([^<]*)</" + _NS + rb"v\s*>))?")
# Cells of type e (error) or d (ISO 8601 date): openpyxl reads them differently.
_ODD_TYPE = re.compile(rb"<" + _NS + rb"c(?:\s[^>]*?)?\st\s*=\s*[\"'][ed][\"']")
_RANGE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?$")


class _Fallback(Exception):
    """The fast reader might not give what openpyxl gives: read the sheet with openpyxl."""


def read_excel(path, sheet) -> Grid:
    """Every row of the chosen sheet as text, with its sheet row, formula cells without a
    saved value and merged ranges."""
    try:
        return _read_fast(path, sheet)
    except _Fallback:
        return _read_openpyxl(path, sheet)


def _sheet_name(names: list, sheet, source: str) -> str:
    if isinstance(sheet, (int, np.integer)) and not isinstance(sheet, bool):
        if not -len(names) <= sheet < len(names):
            raise ResponseFileError(f"no sheet number {sheet}; the workbook has {len(names)} "
                                    f"sheet(s): {names}", source)
        return names[sheet]
    if sheet in names:
        return sheet
    raise ResponseFileError(f"no sheet named {sheet!r}; sheets: {names}", source)


# ---------------------------------------------------------------------------
# Fast: python-calamine for values, the sheet's XML for formulas
# ---------------------------------------------------------------------------

def _column_number(letters: bytes | str) -> int:
    number = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        number = number * 26 + ord(letter) - 64
    return number


def _part(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _rels(archive: zipfile.ZipFile, part: str) -> dict:
    rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    root = ElementTree.fromstring(archive.read(rels))
    return {rel.get("Id"): (rel.get("Target") or "", rel.get("Type") or "")
            for rel in root.iter(_RELS + "Relationship")}


def _sheet_parts(archive: zipfile.ZipFile) -> tuple[list, str | None]:
    """(name, part, is a worksheet) of every sheet, in workbook order, and the shared
    strings part (None without one)."""
    workbook = next((_part("", target) for target, kind in _rels(archive, "").values()
                     if kind.endswith("/officeDocument")), None)
    if workbook is None:
        raise _Fallback
    relations = _rels(archive, workbook)
    strings = next((_part(workbook, target) for target, kind in relations.values()
                    if kind.endswith("/sharedStrings")), None)
    if strings is not None and strings not in archive.NameToInfo:
        raise _Fallback
    out = []
    for entry in ElementTree.fromstring(archive.read(workbook)).iter(_MAIN + "sheet"):
        target, kind = relations.get(entry.get(_DOC_REL), ("", ""))
        part = _part(workbook, target) if target else ""
        if part not in archive.NameToInfo:
            raise _Fallback  # openpyxl skips such a sheet; so does its list of names
        out.append((entry.get("name"), part, kind.endswith("/worksheet")))
    return out, strings


def _formula_cells(xml: bytes) -> tuple[list, tuple | None]:
    """Formula cells of a sheet's XML as (row, column, saved value?) (1-based), and the
    (max_col, max_row) of its ``<dimension>`` (None without one)."""
    start = _SHEET_DATA.search(xml)
    head = xml[:start.start()] if start else xml
    dimension = None
    found = _DIMENSION.search(head)
    if found:
        match = _RANGE.match(found.group(1).decode("ascii", "replace"))
        if not match:
            raise _Fallback  # openpyxl's own parser decides what such a reference means
        col, row = match.group(3) or match.group(1), match.group(4) or match.group(2)
        dimension = (_column_number(col), int(row))
    if not start:
        return [], dimension
    data = xml[start.start():xml.rfind(b"sheetData>") + 1]
    if b"<![CDATA[" in data:
        raise _Fallback
    if (b'"e"' in data or b"'e'" in data or b'"d"' in data or b"'d'" in data) and _ODD_TYPE.search(data):
        raise _Fallback
    cells = []
    for where in _formula_tags(data):
        # <f> is the first child of its <c>: the tag just before it is the cell's.
        tag = _CELL_TAG.fullmatch(data, data.rfind(b"<", 0, where), where)
        attributes = tag.group(1) or b"" if tag else b""
        ref = _REF.search(attributes)
        kind = _TYPE.search(attributes)
        saved = _SAVED.match(data, where)
        if not tag or not ref or not saved or (kind and kind.group(1) == b"inlineStr"):
            raise _Fallback
        cells.append((int(ref.group(2)), _column_number(ref.group(1)), bool(saved.group(1))))
    return cells, dimension


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
_TEXT = re.compile(rb"<(" + _NS + rb")t(\s[^>]*)?>([^<]*)</\1t\s*>")
_TEXT_EDGES = (b"<t> ", b"<t>\t", b"<t>\n", b"<t>\r", b"<t>&#", b" </", b"\t</", b"\n</", b"\r</", b";</")
_MOST_TRIMMED = 20  # more trimmed shared strings than this: openpyxl reads the sheet


def _trimmed_texts(data: bytes):
    """(start, end, text as openpyxl reads it) of each text element calamine trims."""
    if b":t>" in data:
        raise _Fallback  # prefixed text elements: openpyxl reads them
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
            raise _Fallback
        out[data.count(b"<si", 0, first)] = text
        if len(out) > _MOST_TRIMMED:
            raise _Fallback
    return out


def _trimmed_cells(xml: bytes, trimmed_strings: dict) -> dict:
    """(row, column) -> text of the cells whose text calamine trims (shared or inline)."""
    cells = {}

    def cell(start: int, end: int):
        tag = _CELL_TAG.fullmatch(xml, start, end) if start != -1 else None
        ref = _REF.search(tag.group(1) or b"") if tag else None
        return tag, ((int(ref.group(2)), _column_number(ref.group(1))) if ref else None)

    for index, text in trimmed_strings.items():
        needle = b"<v>%d</v>" % index
        where = xml.find(needle)
        while where != -1:
            start = xml.rfind(b"<", 0, where)
            tag, key = cell(start, where)
            if tag is None:
                if not _FORMULA_END.match(xml, start):
                    raise _Fallback  # a value element written otherwise: openpyxl reads it
            else:  # <c ...><v>index</v>: a shared string when t="s"
                kind = _TYPE.search(tag.group(1) or b"")
                if kind and kind.group(1) == b"s":
                    if key is None:
                        raise _Fallback
                    cells[key] = text
            where = xml.find(needle, where + len(needle))
    if b"<is>" in xml or b":is>" in xml:
        for start, _, text in _trimmed_texts(xml):
            opening = xml.rfind(b"<is>", 0, start)
            tag, key = cell(xml.rfind(b"<", 0, opening), opening) if opening != -1 else (None, None)
            if key is None or xml[opening + 4:start].strip():
                raise _Fallback  # a run of a rich inline string, or prefixes
            cells[key] = text
    return cells


def _values_text(values: np.ndarray) -> np.ndarray:
    """calamine values of one column as the text openpyxl's values give."""
    kind = pd.api.types.infer_dtype(values, skipna=False)
    if kind in ("string", "empty"):
        return values
    cells = []
    for value in values:
        if type(value) is float:
            if abs(value) >= 2**53 or (value == 0 and np.signbit(value)):
                raise _Fallback  # openpyxl's int or float text could differ
        elif type(value) is datetime.date:
            value = datetime.datetime(value.year, value.month, value.day)  # openpyxl: datetime
        elif isinstance(value, str) and not value:
            value = None
        cells.append(value)
    return excel_text(pd.Series(cells, dtype=object)).to_numpy(dtype=object)


def _read_fast(path, sheet) -> Grid:
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        raise _Fallback from None
    name = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            parts, strings_part = _sheet_parts(archive)
            names = [n for n, _, _ in parts]
            sheet_name = _sheet_name(names, sheet, name)
            _, part, is_worksheet = parts[names.index(sheet_name)]
            if not is_worksheet:
                raise _Fallback
            xml = archive.read(part)
            formulas, dimension = _formula_cells(xml)
            trimmed = _trimmed_strings(archive.read(strings_part)) if strings_part else {}
            blanks = _trimmed_cells(xml, trimmed)
            del xml
        book = CalamineWorkbook.from_path(name)
        try:
            if list(book.sheet_names) != names:
                raise _Fallback
            ws = book.get_sheet_by_name(sheet_name)
            rows = ws.to_python(skip_empty_area=False)
            merged = [(c0 + 1, r0 + 1, c1 + 1, r1 + 1) for (r0, c0), (r1, c1) in ws.merged_cell_ranges or []]
        finally:
            book.close()
    except (ResponseFileError, _Fallback):
        raise
    except Exception:  # not a workbook, encrypted, damaged ...: openpyxl says why, as before
        raise _Fallback from None
    lengths = set(map(len, rows))
    values_width = max(lengths) if rows else 0
    height = max([len(rows)] + [r for r, _, _ in formulas] + [m[3] for m in merged] + [r for r, _ in blanks])
    width = max([values_width] + [c for _, c, _ in formulas] + [m[2] for m in merged] + [c for _, c in blanks])
    if len(lengths) == 1 and len(rows) == height and values_width == width and width:
        block = np.empty((height, width), dtype=object)
        block[:] = rows  # calamine's rows are rectangular: one copy in C
    else:
        block = np.full((height, width), "", dtype=object)
        for i, row in enumerate(rows):
            block[i, :len(row)] = row
    del rows
    for (row, col), text in blanks.items():
        block[row - 1, col - 1] = text  # white space calamine trims away
    covered = np.zeros((height, width), dtype=bool)
    for min_col, min_row, max_col, max_row in merged:
        covered[min_row - 1:max_row, min_col - 1:max_col] = True
        covered[min_row - 1, min_col - 1] = False
    block[covered] = ""  # openpyxl's MergedCell: no value
    no_value = np.zeros((height, width), dtype=bool)
    for row, col, saved in formulas:
        if dimension is None or (row <= dimension[1] and col <= dimension[0]):
            no_value[row - 1, col - 1] = not saved or covered[row - 1, col - 1]
    columns = [coded.from_values(_values_text(block[:, j])) for j in range(width)]
    return _trimmed(columns, pd.DataFrame(no_value), name, sheet_name, merged)


def _trimmed(columns: list, no_value: pd.DataFrame, name: str, sheet_name: str, merged: list) -> Grid:
    """The grid without the rows below the last cell with content (formatting, not data)."""
    filled = no_value.to_numpy().any(axis=1) if no_value.shape[1] else np.zeros(len(no_value), bool)
    for column in columns:
        filled |= coded.mask(column, lambda u: np.array([bool(v.strip()) for v in u], dtype=bool))
    last = np.flatnonzero(filled)
    keep = int(last[-1]) + 1 if len(last) else 0
    text = coded.text_frame([column[:keep] for column in columns], keep)
    return Grid(text, np.arange(1, keep + 1), name, "excel", sheet=sheet_name,
                no_value=no_value.iloc[:keep].reset_index(drop=True), merged=merged)


# ---------------------------------------------------------------------------
# openpyxl: the reference, and the reader of everything the fast reader declines
# ---------------------------------------------------------------------------

def excel_text(col: pd.Series) -> pd.Series:
    """openpyxl values as text: whole floats without '.0', missing as ''."""
    text = col.astype("string")
    whole = (col.map(type) == float) & text.str.fullmatch(r"-?\d+\.0").fillna(False)
    return text.mask(whole, text.str.slice(stop=-2)).fillna("")


def _is_formula(value) -> bool:
    # data_only=False: a formula reads as "=..." text, or an ArrayFormula/DataTableFormula.
    return (isinstance(value, str) and value.startswith("=")) or type(value).__name__.endswith("Formula")


def _read_openpyxl(path, sheet) -> Grid:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    name = str(path)
    try:
        # Not read_only: merged ranges are only known to a fully loaded sheet.
        book = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise ResponseFileError(f"not a readable Excel workbook ({error})", name) from None
    sheet_name = _sheet_name(book.sheetnames, sheet, name)
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
    columns = [coded.from_values(excel_text(values[c]).to_numpy(dtype=object)) for c in values.columns]
    return _trimmed(columns, no_value.set_axis(range(values.shape[1]), axis=1), name, sheet_name, merged)
