"""Issue 21: the bombs of the adversarial run, at full size, each built in a temporary folder and
loaded in a child process; prints what each gives and the child's peak memory.

Run it under an address-space limit of 2 GB, as the issue's measurements were compared with::

    prlimit --as=2147483648 python benchmarks/bombs.py

The limit is inherited by the children. Each file is built by one child (streamed: the builder
never holds a bomb in memory) and loaded by another, whose peak resident memory
(``resource.getrusage``) is the load's alone: the imports (~100 MB) and the reader. Writes the
results to ``benchmarks/results/bombs.json``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

GB = 1024 ** 3
_CHUNK = 1 << 20
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_ROWS = [["事项编号", "受访者", "满意度"], ["A", "1", "满意"], ["A", "2", "不满意"], ["B", "3", "满意"]]


def _cells(rows) -> str:
    out = []
    for r, row in enumerate(rows, start=1):
        out.append(f'<row r="{r}">' + "".join(
            f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for c, v in enumerate(row)) + "</row>")
    return "".join(out)


def _stream(archive: zipfile.ZipFile, name: str, head: bytes, filler: bytes, size: int, tail: bytes) -> None:
    """A deflated member: ``head``, ``filler`` repeated to ``size`` bytes, ``tail``."""
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as out:
        out.write(head)
        block = filler * (_CHUNK // len(filler))
        written = 0
        while written < size:
            piece = block[:size - written]
            out.write(piece)
            written += len(piece)
        out.write(tail)


def _xlsx(path: Path, size: int, inline: bool) -> None:
    """A workbook of the survey whose sheet XML is ``size`` bytes more: white space inside
    <sheetData>, or (``inline``) one inline string of that many characters in A5."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
            'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxml'
            'formats-officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        archive.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
                         f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
                         '</Relationships>')
        archive.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" '
                         f'xmlns:r="{_REL}"><sheets><sheet name="答卷" sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships '
                         f'xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/worksheet" '
                         'Target="worksheets/sheet1.xml"/></Relationships>')
        head = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'
                + _cells(_ROWS)).encode()
        if inline:
            _stream(archive, "xl/worksheets/sheet1.xml", head + b'<row r="5"><c r="A5" t="inlineStr"><is><t>',
                    b"x", size, b"</t></is></c></row></sheetData></worksheet>")
        else:
            _stream(archive, "xl/worksheets/sheet1.xml", head, b" ", size, b"</sheetData></worksheet>")


def _ods(path: Path, size: int) -> None:
    rows = "".join("<table:table-row>" + "".join(
        f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>' for v in row)
        + "</table:table-row>" for row in _ROWS)
    head = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            f'<office:body><office:spreadsheet><table:table table:name="答卷">{rows}</table:table>').encode()
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        _stream(archive, "content.xml", head, b" ", size,
                b"</office:spreadsheet></office:body></office:document-content>")


def _text(path: Path, head: bytes, filler: bytes, size: int) -> None:
    with open(path, "wb") as out:
        out.write(head)
        block = filler * (_CHUNK // len(filler))
        written = 0
        while written < size:
            piece = block[:size - written]
            out.write(piece)
            written += len(piece)


def _wide(path: Path, columns: int) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(",".join(f"c{j}" for j in range(columns)) + "\n")
        out.write(",".join("1" for _ in range(columns)) + "\n")
        out.write(",".join("2" for _ in range(columns)) + "\n")


HEADER = "事项编号,受访者,满意度\nA,1,满意\n".encode()
#: name -> (file name, builder, how it is loaded, what the issue measured before)
CASES = {
    "xlsx 1 GB sheet XML": ("bomb1.xlsx", lambda p: _xlsx(p, GB, False), "load_responses", "4.2 GB"),
    "xlsx 3 GB sheet XML": ("bomb3.xlsx", lambda p: _xlsx(p, 3 * GB, False), "load_responses",
                            "MemoryError at 6.8 GB"),
    "xlsx 1 GB inline string": ("inline.xlsx", lambda p: _xlsx(p, GB, True), "load_responses", "ArrowMemoryError"),
    "ods 2 GB content.xml": ("bomb.ods", lambda p: _ods(p, 2 * GB), "load_responses", "3.6 GB"),
    "claims: xlsx 1 GB sheet XML": ("claims.xlsx", lambda p: _xlsx(p, GB, False), "read_claims", "4.3 GB"),
    "items: xlsx 1 GB sheet XML": ("items.xlsx", lambda p: _xlsx(p, GB, False), "catalogue", "3.4 GB"),
    "csv 1 GB line, no newline": ("line.csv", lambda p: _text(p, b"", b"x", GB), "load_responses",
                                  "MemoryError at 6.3 GB"),
    "csv header + 1 GB line": ("header_line.csv", lambda p: _text(p, HEADER, b"x", GB), "load_responses",
                               "4 GB, then the field-limit error"),
    "csv 10^6 columns, 2 rows": ("wide.csv", lambda p: _wide(p, 1_000_000), "load_responses", "243-279 s, 5.3 GB"),
}


def _build(case: str, folder: Path) -> None:
    name, builder, _, _ = CASES[case]
    builder(folder / name)


def _load(case: str, folder: Path) -> dict:
    name, _, how, _ = CASES[case]
    path = folder / name
    import survey_analysis as sa
    from survey_analysis.load.read import read_table

    start = time.perf_counter()
    try:
        if how == "read_claims":
            sa.read_claims(path)
        elif how == "catalogue":
            read_table(path, "item catalogue")
        else:
            sa.load_responses(path)
        outcome = "read"
    except sa.ResponseFileError as error:
        outcome = f"{error.code}: {str(error)[:160]}"
    except BaseException as error:  # noqa: BLE001 -- what escapes is the finding
        outcome = f"{type(error).__name__}: {str(error)[:160]}"
    seconds = time.perf_counter() - start
    return {"case": case, "file_bytes": path.stat().st_size, "outcome": outcome, "seconds": round(seconds, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main() -> None:
    limit = resource.getrlimit(resource.RLIMIT_AS)[0]
    print(f"address-space limit: {'none' if limit == resource.RLIM_INFINITY else f'{limit / GB:.1f} GiB'}")
    results = []
    for case in CASES:
        with tempfile.TemporaryDirectory(prefix="bombs_") as folder:
            built = subprocess.run([sys.executable, __file__, "build", case, folder], capture_output=True, text=True, check=False)
            if built.returncode:
                results.append({"case": case, "outcome": f"build failed: {built.stderr[-300:]}"})
                continue
            done = subprocess.run([sys.executable, __file__, "load", case, folder], capture_output=True, text=True, check=False)
            if done.returncode:
                result = {"case": case, "outcome": f"child died ({done.returncode}): {done.stderr[-300:]}"}
            else:
                result = json.loads(done.stdout.splitlines()[-1])
        result["before"] = CASES[case][3]
        results.append(result)
        print(json.dumps(result, ensure_ascii=False), flush=True)
    out = Path(__file__).parent / "results" / "bombs.json"
    out.write_text(json.dumps({"address_space_limit": None if limit == resource.RLIM_INFINITY else limit,
                               "results": results}, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "build":
        _build(sys.argv[2], Path(sys.argv[3]))
    elif len(sys.argv) == 4 and sys.argv[1] == "load":
        print(json.dumps(_load(sys.argv[2], Path(sys.argv[3])), ensure_ascii=False))
    else:
        main()
