"""Hostile and broken workbooks (issue 14, Excel and OpenDocument): each built byte by byte.

Every workbook is a zip written here part by part (fixed dates, fixed order), so the bytes
are the same on every run and every machine. The survey in each is the same small sheet
(:data:`ROWS`: a header and three answers) unless the case is about something else.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from hostile.common import Case

__all__ = ["CASES", "ROWS", "ods", "sheet_xml", "xlsx"]

#: The survey of every case: header on row 1, answers on rows 2-4.
ROWS = [["事项编号", "受访者", "满意度"], ["A", "1", "满意"], ["A", "2", "不满意"], ["B", "3", "满意"]]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_WHEN = (2024, 1, 1, 0, 0, 0)


def _zip(path: Path, parts: list, stored: tuple = ()) -> Path:
    """A zip of (name, bytes) in the given order, with fixed dates: the same bytes every run."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=_WHEN)
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return path


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_xml(rows: list, extra: dict | None = None, merges: tuple = (), dimension: str | None = None,
              prolog: str = "") -> bytes:
    """A worksheet part: ``rows`` from A1 on as inline texts, then ``extra`` cells
    (reference -> text, or None for a formatted cell without a value)."""
    cells: dict = {}
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cells.setdefault(r, []).append((f"{_column_letters(c)}{r}", value))
    for ref, value in (extra or {}).items():
        row = int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        cells.setdefault(row, []).append((ref, value))
    out = [(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}'
            f'<worksheet xmlns="{_MAIN}" xmlns:r="{_DOC_REL}">')]
    if dimension:
        out.append(f'<dimension ref="{dimension}"/>')
    out.append("<sheetData>")
    for row in sorted(cells):
        out.append(f'<row r="{row}">')
        for ref, value in cells[row]:
            if value is None:
                out.append(f'<c r="{ref}" s="1"/>')
            elif value.startswith("&"):  # an entity reference, written as it is
                out.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
            else:
                out.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
        out.append("</row>")
    out.append("</sheetData>")
    if merges:
        out.append(f'<mergeCells count="{len(merges)}">'
                   + "".join(f'<mergeCell ref="{m}"/>' for m in merges) + "</mergeCells>")
    out.append("</worksheet>")
    return "".join(out).encode("utf-8")


_STYLES = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_MAIN}">'
           '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
           '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
           '<borders count="1"><border/></borders>'
           '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
           '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
           '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
           '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
           '</styleSheet>').encode()


def xlsx(path: Path, sheets: list, shared: bytes | None = None, omit: tuple = ()) -> Path:
    """A workbook of ``sheets`` [(name, worksheet XML)] as Excel lays it out; parts named in
    ``omit`` are listed by the workbook but left out of the zip."""
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    types = [(f'{head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
              '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
              '<Default Extension="xml" ContentType="application/xml"/>'
              '<Override PartName="/xl/workbook.xml" ContentType="application/'
              'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
              '<Override PartName="/xl/styles.xml" ContentType="application/'
              'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>')]
    entries, relations, parts = [], [], []
    for i, (name, xml) in enumerate(sheets, start=1):
        types.append(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SHEET_TYPE}"/>')
        entries.append(f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>')
        relations.append(f'<Relationship Id="rId{i}" Type="{_DOC_REL}/worksheet" '
                         f'Target="worksheets/sheet{i}.xml"/>')
        parts.append((f"xl/worksheets/sheet{i}.xml", xml))
    relations.append(f'<Relationship Id="rIdStyles" Type="{_DOC_REL}/styles" Target="styles.xml"/>')
    if shared is not None:
        types.append('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                     'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
        relations.append(f'<Relationship Id="rIdShared" Type="{_DOC_REL}/sharedStrings" '
                         'Target="sharedStrings.xml"/>')
        parts.append(("xl/sharedStrings.xml", shared))
    types.append("</Types>")
    everything = [
        ("[Content_Types].xml", "".join(types).encode()),
        ("_rels/.rels", (f'{head}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
                         f'Type="{_DOC_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>').encode()),
        ("xl/workbook.xml", (f'{head}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_REL}"><sheets>'
                             + "".join(entries) + "</sheets></workbook>").encode("utf-8")),
        ("xl/_rels/workbook.xml.rels", (f'{head}<Relationships xmlns="{_PKG_REL}">' + "".join(relations)
                                        + "</Relationships>").encode()),
        ("xl/styles.xml", _STYLES),
        *parts]
    return _zip(path, [(name, data) for name, data in everything if name not in omit])


def ods(path: Path, rows: list, spans: dict | None = None) -> Path:
    """An OpenDocument spreadsheet as LibreOffice writes it: ``rows`` of texts (None: an
    empty cell; a tuple ``(value type, stored value, shown text)`` for a typed cell, such as
    ``("percentage", "0.975", "97.5%")``), ``spans`` maps (row, column) (0-based) of a merged range's first cell to
    its (rows, columns); the cells it covers are written as covered cells."""
    spans = spans or {}
    covered = {(r0 + dr, c0 + dc) for (r0, c0), (nr, nc) in spans.items()
               for dr in range(nr) for dc in range(nc)} - set(spans)
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"')
    body = []
    for r, row in enumerate(rows):
        body.append("<table:table-row>")
        for c, value in enumerate(row):
            if (r, c) in covered:
                body.append("<table:covered-table-cell/>")
                continue
            span = spans.get((r, c))
            attributes = (f' table:number-rows-spanned="{span[0]}" table:number-columns-spanned="{span[1]}"'
                          if span else "")
            if value is None:
                body.append(f"<table:table-cell{attributes}/>")
            elif isinstance(value, tuple):
                kind, stored, shown = value
                body.append(f'<table:table-cell{attributes} office:value-type="{kind}" office:value="{stored}">'
                            f"<text:p>{escape(shown)}</text:p></table:table-cell>")
            else:
                body.append(f'<table:table-cell{attributes} office:value-type="string">'
                            f"<text:p>{escape(value)}</text:p></table:table-cell>")
        body.append("</table:table-row>")
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ns}><office:body>'
               f'<office:spreadsheet><table:table table:name="答卷">'
               f'<table:table-column table:number-columns-repeated="{max(map(len, rows))}"/>'
               + "".join(body) + "</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    return _zip(path, [("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
                       ("content.xml", content.encode("utf-8")),
                       ("META-INF/manifest.xml", manifest.encode())], stored=("mimetype",))


# ---------------------------------------------------------------------------
# The cases
# ---------------------------------------------------------------------------

def _survey(folder: Path, name: str = "survey.xlsx") -> Path:
    return xlsx(folder / name, [("答卷", sheet_xml(ROWS))])


def build_cut_off(folder: Path) -> Path:
    """13a: the workbook's last half is missing (a download or copy stopped midway)."""
    whole = _survey(folder, "whole.xlsx").read_bytes()
    path = folder / "cut_off.xlsx"
    path.write_bytes(whole[:len(whole) // 2])
    return path


def build_damaged_part(folder: Path) -> Path:
    """13b: the sheet part's compressed bytes are damaged (the zip's index is intact)."""
    path = _survey(folder, "damaged.xlsx")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    # The member's data starts after its 30-byte local header, name and extra field.
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 10, start + 40):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


def build_malformed_xml(folder: Path) -> Path:
    """13c: the sheet's XML is cut midway through a cell tag: ``<row r="5"><c r="A5"``."""
    xml = sheet_xml(ROWS)
    cut = xml.index(b'<row r="4">')
    broken = xml[:cut] + b'<row r="5"><c r="A5"'
    return xlsx(folder / "malformed.xlsx", [("答卷", broken)])


_XXE = '<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
_LAUGHS = ('<!DOCTYPE sst [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
           + "]>\n")


def build_xxe(folder: Path) -> Path:
    """14a: a sheet declaring an external entity (a local file) and a cell that uses it."""
    xml = sheet_xml(ROWS, extra={"A5": "&secret;"}, prolog=_XXE)
    return xlsx(folder / "xxe.xlsx", [("答卷", xml)])


def build_laughs(folder: Path) -> Path:
    """14b: shared strings with "billion laughs" (10**9 "lol" from nine nested entities)."""
    shared = (f'<?xml version="1.0" encoding="UTF-8"?>\n{_LAUGHS}<sst xmlns="{_MAIN}" count="1" '
              'uniqueCount="1"><si><t>&lol9;</t></si></sst>').encode()
    xml = sheet_xml(ROWS).replace(b'<row r="4">', b'<row r="5"><c r="A5" t="s"><v>0</v></c></row><row r="4">')
    return xlsx(folder / "laughs.xlsx", [("答卷", xml)], shared=shared)


def build_missing_part(folder: Path) -> Path:
    """30: workbook.xml names the sheet 答卷 in xl/worksheets/sheet1.xml; the zip lacks it."""
    return xlsx(folder / "no_sheet.xlsx", [("答卷", sheet_xml(ROWS))], omit=("xl/worksheets/sheet1.xml",))


def build_ods(folder: Path) -> Path:
    """31: an .ods file from LibreOffice: a title merged over A1:C1, the header on row 2,
    item A merged down over rows 3-4."""
    rows = [["满意度调查", None, None], *[list(r) for r in ROWS]]
    rows[3][0] = None  # covered by A3:A4
    return ods(folder / "survey.ods", rows, spans={(0, 0): (1, 3), (2, 0): (2, 1)})


def build_far_corner(folder: Path) -> Path:
    """36: the survey plus one cell at XFD1048576, Excel's last cell (a stray keystroke)."""
    xml = sheet_xml(ROWS, extra={"XFD1048576": "x"}, dimension="A1:XFD1048576")
    return xlsx(folder / "far_corner.xlsx", [("答卷", xml)])


def build_far_row(folder: Path) -> Path:
    """37: the survey plus one cell with a value at C1048576, the last row of column C."""
    xml = sheet_xml(ROWS, extra={"C1048576": "x"}, dimension="A1:C1048576")
    return xlsx(folder / "far_row.xlsx", [("答卷", xml)])


def build_far_format(folder: Path) -> Path:
    """37b: the survey plus formatted cells without a value at C1048576 and XFD4 (a
    column or row formatted to the end): they hold nothing and must cost nothing."""
    xml = sheet_xml(ROWS, extra={"XFD4": None, "C1048576": None}, dimension="A1:XFD1048576")
    return xlsx(folder / "far_format.xlsx", [("答卷", xml)])


def build_far_format_error_cell(folder: Path) -> Path:
    """37c: as 37b, with a 备注 column holding an error cell (#N/A), which the fast reader
    leaves to openpyxl: openpyxl's path must not cost anything for the formatting either."""
    xml = sheet_xml(ROWS, extra={"D1": "备注", "XFD4": None, "C1048576": None}, dimension="A1:XFD1048576")
    xml = xml.replace(b'</row><row r="3">', b'<c r="D2" t="e"><v>#N/A</v></c></row><row r="3">')
    return xlsx(folder / "far_format_error.xlsx", [("答卷", xml)])


def build_whole_sheet_merge(folder: Path) -> Path:
    """36b: the survey under a merged range A5:XFD1048576 (every cell below it)."""
    xml = sheet_xml(ROWS, merges=("A5:XFD1048576",))
    return xlsx(folder / "whole_sheet_merge.xlsx", [("答卷", xml)])


def build_ods_named_xlsx(folder: Path) -> Path:
    """31b: the .ods of case 31 saved under an .xlsx name."""
    path = build_ods(folder)
    return path.rename(path.with_suffix(".xlsx"))


CASES = [
    Case(13, "cut-off workbook (truncated zip)", build_cut_off,
         "ResponseFileError: not a readable Excel workbook, cut off or damaged (zip index missing)"),
    Case(13, "damaged sheet part inside the zip", build_damaged_part,
         "ResponseFileError naming the part xl/worksheets/sheet1.xml as damaged (zlib's reason)"),
    Case(13, "malformed sheet XML cut inside a cell tag", build_malformed_xml,
         "ResponseFileError naming the part, sheet 答卷 and the XML line/column (unclosed token)"),
    Case(14, "XML external entity (XXE) in a sheet", build_xxe,
         "ResponseFileError: the workbook contains XML entity declarations; refused (names the part)"),
    Case(14, "billion laughs in the shared strings", build_laughs,
         "ResponseFileError: XML entity declarations in xl/sharedStrings.xml; refused, nothing expanded"),
    Case(30, "workbook names a sheet part the zip lacks", build_missing_part,
         "ResponseFileError: sheet 答卷 listed in xl/worksheets/sheet1.xml, which the file lacks"),
    Case(31, "OpenDocument .ods with merged cells", build_ods,
         "read: header row 2 under a merged title, item A filled down its merge; the report notes .ods"),
    Case(31, "an .ods file named .xlsx", build_ods_named_xlsx,
         "read as .ods, as case 31; the report notes the file is OpenDocument under an .xlsx name"),
    Case(36, "one cell at XFD1048576", build_far_corner,
         "ResponseFileError naming A1:XFD1048576, the 10,000,000-cell limit and max_cells; peak < 500 MB"),
    Case(36, "a merged range A5:XFD1048576", build_whole_sheet_merge,
         "ResponseFileError naming the merged range and the limit, in both readers; peak < 500 MB"),
    Case(37, "one cell at C1048576", build_far_row,
         "read cell by cell (sparse); ResponseFileError naming line 1048576 (empty item id); < 500 MB"),
    Case(37, "formatted empty cells at C1048576 and XFD4", build_far_format,
         "loaded as if they were not there: 3 rows read, 3 kept, a 4 x 3 grid"),
    Case(37, "formatted far cells and an error cell (openpyxl's path)", build_far_format_error_cell,
         "loaded by openpyxl's path as if the formatting were not there: 3 rows kept"),
]
