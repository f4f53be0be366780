"""Reading an OpenDocument spreadsheet (.ods) into a grid of cell texts.

Values are read by python-calamine (formulas as the values the program saved); merged
ranges, formula cells without a saved value and each table's size come from the file's
``content.xml``, read as its rows come, so the header and merged-cell logic is that of an
.xlsx sheet (:mod:`.excel`) and a table far larger than its data is refused before
calamine opens it.
"""

from __future__ import annotations

import zipfile
from xml.etree import ElementTree

from .grid import Grid
from .report import Note, ResponseFileError
from .workbook import (
    RESAVE,
    UNPACK_ERRORS,
    checked_size,
    damaged,
    find_sheet,
    refuse_doctypes,
    rows_grid,
)

__all__ = ["read_ods_archive"]


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _ods_tables(archive: zipfile.ZipFile, name: str) -> list:
    """Per table of content.xml, in order: (name, rows, columns, farthest, merged, formulas
    without a saved value, percent cells as (row, column, text shown, value stored)). rows x columns spans A1 to the farthest cell with a value
    (repeated rows and cells counted as LibreOffice repeats them); read as the rows come,
    each row let go once counted."""
    tables, current = [], None
    row = col = row_last = 0
    try:
        with archive.open("content.xml") as source:
            for event, element in ElementTree.iterparse(source, events=("start", "end")):
                tag = element.tag
                if event == "start":
                    if tag == _TABLE + "table":
                        current = [element.get(_TABLE + "name"), 0, 0, [], [], [], []]
                        tables.append(current)
                        row = 0
                    elif tag == _TABLE + "table-row":
                        col = row_last = 0
                    continue
                if current is None:
                    continue
                if tag in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
                    repeat = int(element.get(_TABLE + "number-columns-repeated") or 1)
                    if element.get(_OFFICE + "value-type") is not None or len(element):
                        _ods_value(current, row + 1, col + repeat)
                        row_last = col + repeat
                        if element.get(_OFFICE + "value-type") == "percentage":
                            # Stored as the fraction (0.974); the cell's text is what the
                            # sheet shows (97.4%), the figure a published table means.
                            shown = "".join(element.itertext()).strip()
                            current[6].extend((row + 1, col + 1 + k, shown, element.get(_OFFICE + "value"))
                                              for k in range(repeat))
                    elif element.get(_TABLE + "formula") is not None:
                        current[5].extend((row + 1, col + 1 + k) for k in range(repeat))
                        _ods_value(current, row + 1, col + repeat)
                        row_last = col + repeat
                    rows_spanned = int(element.get(_TABLE + "number-rows-spanned") or 1)
                    cols_spanned = int(element.get(_TABLE + "number-columns-spanned") or 1)
                    if rows_spanned > 1 or cols_spanned > 1:
                        current[4].extend((col + 1 + k, row + 1, col + k + cols_spanned, row + rows_spanned)
                                          for k in range(repeat))
                    col += repeat
                elif tag == _TABLE + "table-row":
                    repeat = int(element.get(_TABLE + "number-rows-repeated") or 1)
                    if repeat > 1 and row_last:  # a row of values written once, repeated down
                        _ods_value(current, row + repeat, row_last)
                    row += repeat
                    element.clear()
                elif tag == _TABLE + "table":
                    current = None
    except UNPACK_ERRORS as error:
        raise damaged("content.xml", error, name) from None
    except KeyError:
        raise ResponseFileError("load.ods.no_content", name, resave=RESAVE) from None
    except (ElementTree.ParseError, ValueError) as error:
        raise ResponseFileError("load.ods.not_xml", name, error=str(error), resave=RESAVE) from None
    return [tuple(t) for t in tables]


def _ods_value(table: list, row: int, col: int) -> None:
    """Widen a table's extent (rows, columns, the farthest cells) to a value at (row, col)."""
    points = table[3] + [(row, col)]
    lowest, rightmost = max(points), max(points, key=lambda p: (p[1], p[0]))
    table[1], table[2], table[3] = lowest[0], rightmost[1], [lowest, rightmost]


def read_ods_archive(path, archive: zipfile.ZipFile, sheet, limit: int) -> Grid:
    name = str(path)
    refuse_doctypes(archive, name)
    tables = _ods_tables(archive, name)
    # calamine reads every table when it opens the file, each dense from A1: every table
    # is checked before it is opened.
    for table_name, rows, cols, farthest, merged, _, _ in tables:
        checked_size(farthest, merged, limit, name, table_name)
    names = [t[0] for t in tables]
    sheet_name = find_sheet(names, sheet, name)
    _, _, _, _, merged, formulas, percents = tables[names.index(sheet_name)]
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        raise ResponseFileError("load.ods.needs_calamine", name) from None
    try:
        with open(path, "rb") as handle:  # by its content, whatever its name says
            book = CalamineWorkbook.from_filelike(handle)
            try:
                rows = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            finally:
                book.close()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: BLE001 -- calamine's errors, its Rust panics included
        raise ResponseFileError("load.ods.unreadable", name, kind=type(error).__name__, error=str(error)) from None
    shown = [p for p in percents if p[2]]
    grid = rows_grid(rows, merged, limit, name, sheet_name, formulas=formulas,
                     shown=[(row, col, text) for row, col, text, _ in shown])
    grid.notes.append(Note("load.ods.note"))
    if shown:
        row, col, text, stored = shown[0]
        grid.notes.append(Note("load.excel.percent_cells", count=len(shown), stored=stored, format="percentage",
                               shown=text))
    return grid
