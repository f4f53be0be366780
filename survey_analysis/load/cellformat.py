"""A spreadsheet number as the text the sheet shows, where the stored number is not the figure.

Excel stores a cell formatted as a percentage (``0.0%``) as the fraction: the sheet shows
``97.4%`` and the file holds ``0.974``. Read as the number, a column of published
percentages would become 0.974 percent, and a stored ``1`` (100%) 1 percent. Every
Excel sheet read (a response sheet or a table of counts alike) therefore reads such a cell
as the text the sheet shows: the value times 100 with the decimals of its format,
followed by ``%``. A note says how many cells were read so.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from ..words import Note

__all__ = ["has_percent_cells", "percent_format", "percent_shown", "percent_styles", "shown_values", "uses_styles"]

# Parts of a number format that are no digits: quoted text, escaped characters, [colours],
# [conditions], fill (*x) and padding (_x).
_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|[*_].')


def _decimals(number_format) -> tuple[int, int] | None:
    """``(most, fewest)`` decimals of a percent format (``0.0#%`` -> (2, 1)), or None."""
    if not isinstance(number_format, str) or "%" not in number_format:
        return None
    section = _LITERALS.sub("", number_format.split(";")[0])
    if "%" not in section or "e" in section.lower():
        return None
    fraction = section.split(".", 1)[1] if "." in section else ""
    return sum(1 for char in fraction if char in "0#?"), fraction.count("0")


def percent_format(number_format) -> int | None:
    """The decimals a percent number format shows at most (``"0.0%"`` -> 1, ``"0%"`` -> 0),
    or None when the format is no percentage (its first section, the one of positive
    numbers, holds no ``%`` outside quoted text, or it shows an exponent).

    Examples
    --------
    >>> percent_format("0.0%"), percent_format("0.00%"), percent_format("0%"), percent_format("0.##%")
    (1, 2, 0, 2)
    >>> percent_format("General"), percent_format('0.0" %"'), percent_format(None)
    (None, None, None)
    """
    decimals = _decimals(number_format)
    return None if decimals is None else decimals[0]


def percent_shown(value, number_format):
    """A number in a percent format as the text the sheet shows (``0.974`` in ``0.0%`` ->
    ``"97.4%"``); any other value as it is.

    The stored number is read at Excel's 15 significant digits, times 100, rounded half
    away from zero to the decimals of the format (as Excel shows it).

    Examples
    --------
    >>> percent_shown(0.974, "0.0%"), percent_shown(1, "0%"), percent_shown(0.97456, "0.00%")
    ('97.4%', '100%', '97.46%')
    >>> percent_shown(0.974, "0.##%"), percent_shown(0.5, "0.##%")
    ('97.4%', '50%')
    >>> percent_shown(0.974, "General"), percent_shown("97%", "0%"), percent_shown(True, "0%")
    (0.974, '97%', True)
    """
    if type(value) not in (int, float):
        return value
    decimals = _decimals(number_format)
    if decimals is None or value != value or value in (float("inf"), float("-inf")):
        return value
    most, fewest = decimals
    number = Decimal(f"{value:.15g}").scaleb(2).quantize(Decimal(1).scaleb(-most), rounding=ROUND_HALF_UP)
    text = f"{number:f}"
    while most > fewest and text.endswith("0"):  # optional digits (#) show no trailing zero
        text, most = text[:-1], most - 1
    return f"{text.rstrip('.')}%"


def shown_values(cells) -> tuple[dict, Note | None]:
    """``(place -> value, note)`` of openpyxl's cells (``(place, cell)`` pairs): each value,
    numbers in a percent format as the text the sheet shows (:func:`percent_shown`), and a
    note saying how many were read so (None when none was). Empty cells are left out.

    A format is looked at once per format of the workbook, not per cell.
    """
    values, formats, shown, example = {}, {}, 0, None
    for place, cell in cells:
        value = cell.value
        if value is None:
            continue
        if type(value) in (int, float):
            style = cell._style
            key = style.numFmtId if style is not None else 0
            if key not in formats:
                formats[key] = cell.number_format if percent_format(cell.number_format) is not None else None
            if formats[key] is not None:
                text = percent_shown(value, formats[key])
                if example is None:
                    example = (value, formats[key], text)
                shown += 1
                value = text
        values[place] = value
    if not shown:
        return values, None
    stored, number_format, text = example
    return values, Note("load.excel.percent_cells", count=shown, stored=stored, format=number_format, shown=text)


#: Excel's built-in percent formats (number format ids 9 and 10).
_BUILTIN_PERCENT = {9: "0%", 10: "0.00%"}


def percent_styles(styles: bytes) -> set:
    """The cell styles (indices of ``<cellXfs>``) of a workbook's ``styles.xml`` that show a
    number as a percentage.

    Examples
    --------
    >>> percent_styles(b'<styleSheet><numFmts><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>'
    ...                b'<cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="9"/></cellXfs></styleSheet>')
    {1, 2}
    """
    from xml.etree import ElementTree

    root = ElementTree.fromstring(styles)
    local = {element.tag: element.tag.rsplit("}", 1)[-1] for element in root.iter()}
    codes = dict(_BUILTIN_PERCENT)
    for element in root.iter():
        if local[element.tag] == "numFmt":
            try:
                codes[int(element.get("numFmtId", ""))] = element.get("formatCode", "")
            except ValueError:
                continue
    found = set()
    for element in root.iter():
        if local[element.tag] == "cellXfs":
            for index, xf in enumerate(child for child in element if local[child.tag] == "xf"):
                try:
                    if percent_format(codes.get(int(xf.get("numFmtId", "0")))) is not None:
                        found.add(index)
                except ValueError:
                    continue
    return found


def uses_styles(sheet_data: bytes, styles: set) -> bool:
    """Whether a sheet's ``<sheetData>`` holds a cell (or row) of one of ``styles``
    (a cell without a style has style 0).

    Examples
    --------
    >>> uses_styles(b'<c r="A1" s="2"><v>0.5</v></c>', {2}), uses_styles(b'<c r="A1" s="12"/>', {2})
    (True, False)
    """
    if not styles:
        return False
    if 0 in styles:
        return True
    alternatives = b"|".join(str(index).encode() for index in sorted(styles))
    return re.search(rb"\ss\s*=\s*[\"'](?:" + alternatives + rb")[\"']", sheet_data) is not None


def has_percent_cells(archive, sheet_data: bytes, name: str) -> bool:
    """Whether a sheet of an .xlsx ``archive`` may hold a number in a percent format
    (its ``<sheetData>`` given): such a sheet is read by openpyxl, which knows each cell's
    format (python-calamine gives the stored number only). A styles part that cannot be
    read says True: openpyxl's reading decides."""
    from .workbook import PACKAGE_ERRORS, part_path, part_relations, read_part, workbook_part

    try:
        workbook = workbook_part(archive)
        if workbook is None:
            return True
        part = next((part_path(workbook, target) for target, kind in part_relations(archive, workbook).values()
                     if kind.endswith("/styles")), None)
        if part is None:
            return False
        if part not in archive.NameToInfo:
            return True
        return uses_styles(sheet_data, percent_styles(read_part(archive, part, name)))
    except PACKAGE_ERRORS:
        return True
