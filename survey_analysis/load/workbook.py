"""A workbook as no reader trusts it: the zip, entity declarations, the sheets it lists,
the size of a sheet, and the grid every reader of :mod:`.excel` and :mod:`.ods` makes.

A workbook is a zip of XML parts (issue 14): a cut-off or damaged zip, a damaged part, a
part that is not well-formed XML and a sheet whose part is missing are each a
:class:`~survey_analysis.load.report.ResponseFileError` naming the file, the part and the
sheet; an XML part with a document type declaration (which can declare entities) is
refused before any parser sees it; a sheet whose cells span more than the limit is refused
before anything that size is built.
"""

from __future__ import annotations

import datetime
import posixpath
import re
import zipfile
import zlib
from xml.etree import ElementTree
from xml.parsers import expat

import numpy as np
import pandas as pd

from ..words import Hint, Message, column_letters
from . import bounds, coded
from .cells import dates_as_text
from .grid import Grid
from .report import ResponseFileError

__all__ = ["DOC_REL", "MAIN", "NS", "PACKAGE_ERRORS", "RELS", "RESAVE", "UNPACK_ERRORS", "Fallback",
           "check_sheet_part", "checked_size", "column_number", "covered_cells", "damaged",
           "excel_text", "is_ods", "listed_sheets", "open_zip", "part_path", "read_part", "refuse_doctypes",
           "part_relations", "find_sheet", "rows_grid", "trimmed_grid", "unreadable", "values_text", "workbook_part"]


class Fallback(Exception):
    """The fast reader might not give what openpyxl gives: read the sheet with openpyxl."""


MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
NS = rb"(?:[\w.-]+:)?"  # an XML namespace prefix (x:c, x:f) or none


# What unpacking a part of a damaged or cut-off zip can raise.
UNPACK_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError)
# What reading a zip's parts and parsing their XML can raise (ValueError: ResponseFileError
# of a sheet that does not exist, among others).
PACKAGE_ERRORS = (*UNPACK_ERRORS, KeyError, IndexError, ValueError, ElementTree.ParseError)
#: What to do with a workbook no reader can read (a catalogue message).
RESAVE = Message("load.excel.resave")
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_PROLOG_LIMIT = 1 << 20  # bytes before the first element of a part: beyond this, refused


def open_zip(path, name: str, max_cells: int) -> zipfile.ZipFile:
    """The workbook's zip; a file that is none (or lost its end) is a ResponseFileError, and
    so is one with a part that would unpack to more than a sheet of ``max_cells`` cells
    needs (:func:`~survey_analysis.load.bounds.check_parts`: every reader of .xlsx and .ods
    opens the file here first)."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        with open(path, "rb") as handle:
            head = handle.read(4)
    except OSError as error:
        raise ResponseFileError("load.excel.cannot_open", name, error=str(error)) from None
    else:
        try:
            bounds.check_parts(archive, name, max_cells)
        except BaseException:
            archive.close()
            raise
        return archive
    if head.startswith(b"PK\x03\x04"):
        raise ResponseFileError("load.excel.cut_off", name, resave=RESAVE)
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE2 compound file
        raise ResponseFileError("load.excel.ole", name)
    raise ResponseFileError("load.excel.not_zip", name)


def read_part(archive: zipfile.ZipFile, part: str, name: str, sheet: str | None = None) -> bytes:
    """A part of the zip, its damage a ResponseFileError naming it."""
    try:
        return archive.read(part)
    except UNPACK_ERRORS as error:
        raise damaged(part, error, name, sheet) from None


def _sheet_of(archive: zipfile.ZipFile) -> dict:
    """part -> the name of the sheet it holds (empty when the workbook's listing is unreadable)."""
    try:
        return {part: sheet for sheet, part, _ in listed_sheets(archive)}
    except PACKAGE_ERRORS:
        return {}


def damaged(part: str, error, name: str, sheet: str | None = None) -> ResponseFileError:
    return ResponseFileError("load.excel.damaged", name, sheet=sheet, part=part, what=_the_sheet(sheet),
                             error=str(error), resave=RESAVE)


def _the_sheet(sheet) -> Message | str:
    """" (the sheet 'S')" after a part's name, when the part holds a sheet."""
    return Message("load.excel.the_sheet", {"sheet": sheet}) if sheet else ""


def is_ods(archive: zipfile.ZipFile) -> bool:
    """An OpenDocument spreadsheet: its first part, ``mimetype``, says so."""
    if "mimetype" not in archive.NameToInfo or archive.NameToInfo["mimetype"].file_size > 100:
        return False
    try:
        return archive.read("mimetype").strip() == b"application/vnd.oasis.opendocument.spreadsheet"
    except UNPACK_ERRORS:
        return False


def _prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, sheet: str | None) -> str:
    """The text of a part before its first element (where a DOCTYPE can only be)."""
    try:
        with archive.open(info) as handle:
            head = b""
            while len(head) <= _PROLOG_LIMIT:
                chunk = handle.read(65536)
                head += chunk
                utf16 = head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:4]
                text = head.decode("utf-16" if utf16 else "utf-8", "replace")
                first = re.search(r"<[^?!]", text)
                if first or not chunk:
                    return text[:first.start()] if first else text
    except UNPACK_ERRORS as error:
        raise damaged(info.filename, error, name, sheet) from None
    raise ResponseFileError("load.excel.prolog", name, part=info.filename, limit=_PROLOG_LIMIT)


def refuse_doctypes(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse any XML part with a document type declaration, before any parser sees it:
    it can declare entities (an external one reads a local file or a web address, nested
    ones expand a few bytes into gigabytes). Office programs never write one."""
    sheet_of = _sheet_of(archive)
    for info in archive.infolist():
        if not info.filename.lower().endswith(_XML_SUFFIXES):
            continue
        prolog = _prolog(archive, info, name, sheet_of.get(info.filename))
        if "<!DOCTYPE" in prolog or "<!ENTITY" in prolog:
            raise ResponseFileError("load.excel.doctype", name, part=info.filename)


def check_sheet_part(archive: zipfile.ZipFile, sheet, name: str) -> None:
    """The chosen sheet's part must be in the file (a reader would skip the sheet, and the
    sheet numbers would shift)."""
    try:
        listed = listed_sheets(archive)
    except PACKAGE_ERRORS:  # no readable workbook listing: the readers say why
        return
    names = [n for n, _, _ in listed]
    if not names:
        return
    sheet_name = find_sheet(names, sheet, name)
    part = listed[names.index(sheet_name)][1]
    if part not in archive.NameToInfo:
        raise ResponseFileError("load.excel.missing_part", name, sheet=sheet_name, listed=sheet_name,
                                part=part or "(none)", resave=RESAVE)


def _too_big(rows: int, cols: int, limit: int, farthest: list, merged: list, name: str,
             sheet: str) -> ResponseFileError:
    corner_of = {(m[3], m[2]): m for m in merged}
    where = []
    for row, col in dict.fromkeys(farthest):
        if (row, col) in corner_of:
            c0, r0, c1, r1 = corner_of[row, col]
            where.append(Message("load.excel.merged_range", {
                "range": f"{column_letters(c0)}{r0}:{column_letters(c1)}{r1}"}))
        else:
            where.append(Message("load.excel.value_in", {"cell": f"{column_letters(col)}{row}"}))
    return ResponseFileError(
        "load.excel.too_big", name, sheet=sheet, corner=f"{column_letters(cols)}{rows}", rows=rows, cols=cols,
        cells=rows * cols, limit=limit, first=where[0],
        more=Message("load.excel.farthest_more", {"item": where[1]}) if len(where) > 1 else "",
        hint=Hint("max_cells", rows * cols))


def _xml_error(archive: zipfile.ZipFile, name: str) -> ResponseFileError | None:
    """The first part that is not well-formed XML (or cannot be unpacked), as an error
    naming it and its sheet; None when every part is sound. Parsed by expat without
    building a tree (memory stays small); only after a reader failed."""
    sheet_of = _sheet_of(archive)
    for info in archive.infolist():
        if not info.filename.lower().endswith(_XML_SUFFIXES):
            continue
        sheet = sheet_of.get(info.filename)
        parser = expat.ParserCreate()
        try:
            with archive.open(info) as handle:
                while chunk := handle.read(1 << 20):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except UNPACK_ERRORS as error:
            return damaged(info.filename, error, name, sheet)
        except expat.ExpatError as error:
            return ResponseFileError(
                "load.excel.not_xml", name, sheet=sheet, part=info.filename, what=_the_sheet(sheet),
                reason=expat.errors.messages[error.code], xml_line=error.lineno, xml_column=error.offset + 1,
                resave=RESAVE)
    return None


def unreadable(path, name: str, error: BaseException) -> ResponseFileError:
    """The error for a workbook a reader failed on: the damaged part if one is found."""
    try:
        with zipfile.ZipFile(path) as archive:
            found = _xml_error(archive, name)
    except zipfile.BadZipFile:
        found = None
    if found is not None:
        return found
    return ResponseFileError("load.excel.unreadable", name, kind=type(error).__name__, error=str(error),
                             resave=RESAVE)


def find_sheet(names: list, sheet, source: str) -> str:
    if isinstance(sheet, (int, np.integer)) and not isinstance(sheet, bool):
        if not -len(names) <= sheet < len(names):
            raise ResponseFileError("load.excel.no_sheet_number", source, number=sheet, count=len(names),
                                    names=names)
        return names[sheet]
    if sheet in names:
        return sheet
    raise ResponseFileError("load.excel.no_sheet_named", source, name=sheet, names=names)


def column_number(letters: bytes | str) -> int:
    number = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        number = number * 26 + ord(letter) - 64
    return number


def part_path(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def part_relations(archive: zipfile.ZipFile, part: str) -> dict:
    rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    root = ElementTree.fromstring(archive.read(rels))
    return {rel.get("Id"): (rel.get("Target") or "", rel.get("Type") or "")
            for rel in root.iter(RELS + "Relationship")}


def workbook_part(archive: zipfile.ZipFile) -> str | None:
    return next((part_path("", target) for target, kind in part_relations(archive, "").values()
                 if kind.endswith("/officeDocument")), None)


def listed_sheets(archive: zipfile.ZipFile) -> list:
    """(name, part, is a worksheet) of every sheet workbook.xml lists, in its order (the
    part "" when the relationship is missing), whether or not the part is in the file."""
    workbook = workbook_part(archive)
    if workbook is None:
        return []
    relations = part_relations(archive, workbook)
    out = []
    for entry in ElementTree.fromstring(archive.read(workbook)).iter(MAIN + "sheet"):
        target, kind = relations.get(entry.get(DOC_REL), ("", ""))
        out.append((entry.get("name"), part_path(workbook, target) if target else "", kind.endswith("/worksheet")))
    return out


def checked_size(cells: list, merged: list, limit: int, name: str, sheet_name: str) -> tuple:
    """(height, width) of the grid: A1 to the farthest of ``cells`` (row, column) and of the
    merged ranges; a ResponseFileError beyond :data:`~survey_analysis.load.bounds.MAX_COLUMNS`
    columns or ``limit`` cells."""
    corners = cells + [(m[3], m[2]) for m in merged]
    height = max([0] + [r for r, _ in corners])
    width = max([0] + [c for _, c in corners])
    bounds.check_width(width, name, sheet=sheet_name)
    if height * width > limit:
        farthest = [max((p for p in corners if p[0] == height), key=lambda p: p[1]),
                    max((p for p in corners if p[1] == width), key=lambda p: p[0])]
        raise _too_big(height, width, limit, farthest, merged, name, sheet_name)
    return height, width


def covered_cells(merged: list, height: int, width: int) -> np.ndarray:
    """Cells of merged ranges but their top-left ones (openpyxl's MergedCell)."""
    covered = np.zeros((height, width), dtype=bool)
    for min_col, min_row, max_col, max_row in merged:
        covered[min_row - 1:max_row, min_col - 1:max_col] = True
        covered[min_row - 1, min_col - 1] = False
    return covered


def trimmed_grid(columns: list, no_value: pd.DataFrame, name: str, sheet_name: str, merged: list) -> Grid:
    """The grid without the rows below the last cell with content (formatting, not data)."""
    filled = no_value.to_numpy().any(axis=1) if no_value.shape[1] else np.zeros(len(no_value), bool)
    for column in columns:
        filled |= coded.mask(column, lambda u: np.array([bool(v.strip()) for v in u], dtype=bool))
    last = np.flatnonzero(filled)
    keep = int(last[-1]) + 1 if len(last) else 0
    text = coded.text_frame([column[:keep] for column in columns], keep)
    return Grid(text, np.arange(1, keep + 1), name, "excel", sheet=sheet_name,
                no_value=no_value.iloc[:keep].reset_index(drop=True), merged=merged)


def rows_grid(rows: list, merged: list, limit: int, name: str, sheet_name: str, *, formulas=(),
              shown=()) -> Grid:
    """python-calamine's rows of a sheet (lists from A1) as the loader's grid: the extent
    (the rows and the ``formulas`` without a saved value, as (row, column)) checked against
    ``limit``, ``shown`` texts ((row, column, text): what the sheet shows where the stored
    value is not the figure) put in, merged-over cells emptied, every value as text. The one
    path of the .xls and .ods readers."""
    cells = list(formulas) + ([(len(rows), max(map(len, rows)))] if rows else [])
    height, width = checked_size(cells, merged, limit, name, sheet_name)
    block = np.full((height, width), "", dtype=object)
    for i, row in enumerate(rows):
        block[i, :len(row)] = row
    for row, col, text in shown:
        if row <= height and col <= width:
            block[row - 1, col - 1] = text
    block[covered_cells(merged, height, width)] = ""  # openpyxl's MergedCell: no value
    no_value = np.zeros((height, width), dtype=bool)
    for row, col in formulas:
        no_value[row - 1, col - 1] = True
    columns = [coded.from_values(values_text(block[:, j], exact=False)) for j in range(width)]
    return trimmed_grid(columns, pd.DataFrame(no_value), name, sheet_name, merged)


def values_text(values: np.ndarray, exact: bool = True) -> np.ndarray:
    """calamine values of one column as the text openpyxl's values give (``exact``: the
    fast reader declines where the text could differ)."""
    kind = pd.api.types.infer_dtype(values, skipna=False)
    if kind in ("string", "empty"):
        return values
    cells = []
    for value in values:
        if type(value) is float:
            if exact and (abs(value) >= 2**53 or (value == 0 and np.signbit(value))):
                raise Fallback  # openpyxl's int or float text could differ
        elif type(value) is datetime.date:
            value = datetime.datetime(value.year, value.month, value.day)  # openpyxl: datetime
        elif isinstance(value, str) and not value:
            value = None
        cells.append(value)
    return excel_text(pd.Series(cells, dtype=object)).to_numpy(dtype=object)


def excel_text(col: pd.Series) -> pd.Series:
    """openpyxl values as text: whole floats without '.0', dates as ISO text
    (:func:`~.cells.dates_as_text`), missing as ''."""
    col = dates_as_text(col)
    text = col.astype("string")
    whole = (col.map(type) == float) & text.str.fullmatch(r"-?\d+\.0").fillna(False)
    return text.mask(whole, text.str.slice(stop=-2)).fillna("")
