"""Issue 21, round 3: bombs and oversized files, each built as the adversarial run built it,
small (the limits monkeypatched low), each giving one clear error before anything big is
built; and the DuckDB engine's errors on CSV files it cannot read.

Memory under a 2 GB address space is measured by ``benchmarks/bombs.py`` (the full-size
bombs), not here.
"""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hostile.excel import ROWS, sheet_xml, xlsx

import survey_analysis as sa
from survey_analysis import ResponseFileError, load_responses
from survey_analysis.load import bounds, excel, read, workbook
from survey_analysis.load.counts_table import read_counts_table
from survey_analysis.load.read import read_table

CSV = "事项编号,受访者,满意度\nA,1,满意\nA,2,不满意\nB,3,满意\n"
_WHEN = (2024, 1, 1, 0, 0, 0)


def _padded_sheet(pad: int) -> bytes:
    """The survey's sheet with ``pad`` spaces inside <sheetData> (compresses to almost nothing)."""
    return sheet_xml(ROWS).replace(b"<sheetData>", b"<sheetData>" + b" " * pad)


def _ods(path: Path, pad: int) -> Path:
    """An OpenDocument spreadsheet of the survey, its content.xml padded with ``pad`` spaces."""
    rows = "".join("<table:table-row>" + "".join(
        f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>' for v in row)
        + "</table:table-row>" for row in ROWS)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:spreadsheet><table:table table:name="答卷">'
               f'{rows}</table:table>{" " * pad}</office:spreadsheet></office:body></office:document-content>')
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo("mimetype", date_time=_WHEN)
        archive.writestr(info, "application/vnd.oasis.opendocument.spreadsheet")
        info = zipfile.ZipInfo("content.xml", date_time=_WHEN)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, content.encode())
    return path


@pytest.fixture
def low_part_limit(monkeypatch):
    """Parts up to 64 x max_cells bytes, at least 20,000; max_cells 100 unless given."""
    monkeypatch.setattr(bounds, "MIN_PART_BYTES", 20_000)
    monkeypatch.setattr(excel, "MAX_CELLS", 100)


def _no_unpacking(monkeypatch):
    """Any read of a part's bytes fails the test: the bound is checked on the declared sizes."""
    def refuse(*args, **kwargs):
        raise AssertionError("a part was unpacked")
    monkeypatch.setattr(zipfile.ZipFile, "read", refuse)
    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)


# ---------------------------------------------------------------------------
# 26: zip bombs inside .xlsx and .ods, through every reader of them
# ---------------------------------------------------------------------------

def test_26_xlsx_sheet_part_is_refused_on_its_declared_size(tmp_path, low_part_limit, monkeypatch):
    path = xlsx(tmp_path / "bomb.xlsx", [("答卷", _padded_sheet(300_000))])
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    _no_unpacking(monkeypatch)
    with pytest.raises(ResponseFileError) as caught:
        load_responses(path)
    assert str(caught.value) == (
        f"{path}: the part xl/worksheets/sheet1.xml unpacks to {info.file_size:,} bytes "
        f"({info.compress_size:,} packed), more than the 20,000 a workbook part may hold (64 bytes per cell "
        "of max_cells): a possible decompression bomb, refused before it was unpacked. If the file is "
        f"genuine, raise the limit: max_cells={-(-info.file_size // 64)}")
    assert caught.value.source == str(path) and caught.value.params["part"] == "xl/worksheets/sheet1.xml"


def test_26_the_limit_follows_max_cells(tmp_path, low_part_limit):
    path = xlsx(tmp_path / "big.xlsx", [("答卷", _padded_sheet(300_000))])
    with pytest.raises(ResponseFileError, match="more than the 20,000 a workbook part"):
        load_responses(path, max_cells=100)
    # The max_cells the error proposes reads it.
    frame = load_responses(path, max_cells=-(-(300_000 + 2_000) // 64))
    assert list(frame["item_id"]) == ["A", "A", "B"]


def test_26_ods_content_is_refused(tmp_path, low_part_limit, monkeypatch):
    path = _ods(tmp_path / "bomb.ods", 300_000)
    _no_unpacking(monkeypatch)
    with pytest.raises(ResponseFileError) as caught:
        load_responses(path)
    assert caught.value.params["part"] == "content.xml"
    assert str(caught.value).startswith(f"{path}: the part content.xml unpacks to ")


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
@pytest.mark.parametrize("reader", ["responses", "counts table", "claims", "items catalogue", "as .xls",
                                    "in a zip"])
def test_26_every_reader_goes_through_the_one_check(tmp_path, low_part_limit, monkeypatch, reader, suffix):
    if suffix == ".xlsx":
        path = xlsx(tmp_path / f"bomb{suffix}", [("答卷", _padded_sheet(300_000))])
        part = "xl/worksheets/sheet1.xml"
    else:
        path = _ods(tmp_path / f"bomb{suffix}", 300_000)
        part = "content.xml"
    if reader == "as .xls":
        path = path.rename(path.with_suffix(".xls"))
    if reader == "in a zip":
        with zipfile.ZipFile(tmp_path / "packed.zip", "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(path, path.name)
        path = tmp_path / "packed.zip"
    calls = []
    check = bounds.check_parts
    monkeypatch.setattr(bounds, "check_parts", lambda *args: calls.append(args[1]) or check(*args))
    with pytest.raises(ResponseFileError) as caught:
        if reader == "counts table":
            read_counts_table(path, item="事项编号", n="受访者", satisfied="满意度")
        elif reader == "claims":
            sa.read_claims(path)
        elif reader == "items catalogue":
            read_table(path, "item catalogue")
        else:
            load_responses(path)
    assert caught.value.code == "load.bounds.part_too_big" and caught.value.params["part"] == part
    assert len(calls) >= 1
    if reader == "in a zip":
        assert caught.value.source == f"{path}:bomb{suffix}"


def test_26_a_part_larger_than_it_declares_is_damaged(tmp_path):
    # The declared size passes; the part unpacks to more. zipfile stops at the declared size
    # (and fails its checksum): the part is named as damaged, nothing bigger is built.
    path = xlsx(tmp_path / "lies.xlsx", [("答卷", _padded_sheet(300_000))])
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    name = info.filename.encode()
    declared = (5000).to_bytes(4, "little")
    data[info.header_offset + 22:info.header_offset + 26] = declared  # the local header
    entry = data.find(b"PK\x01\x02")  # the central directory's entries
    while data[entry + 46:entry + 46 + int.from_bytes(data[entry + 28:entry + 30], "little")] != name:
        entry = data.find(b"PK\x01\x02", entry + 4)
    data[entry + 24:entry + 28] = declared
    path.write_bytes(bytes(data))
    with pytest.raises(ResponseFileError) as caught:
        load_responses(path)
    assert caught.value.code == "load.excel.damaged"
    assert "the part xl/worksheets/sheet1.xml (the sheet '答卷') of the workbook is damaged" in str(caught.value)


def test_26_ordinary_workbooks_pass(tmp_path):
    path = xlsx(tmp_path / "ok.xlsx", [("答卷", sheet_xml(ROWS))])
    assert list(load_responses(path)["rating"]) == ["满意", "不满意", "满意"]
    assert bounds.part_limit(excel.MAX_CELLS) == 640_000_000


# ---------------------------------------------------------------------------
# 27: a line without a line break; a long comment
# ---------------------------------------------------------------------------

@pytest.fixture
def short_lines(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_LINE_BYTES", 1000)


@pytest.mark.parametrize("header", [True, False])
def test_27_a_line_without_line_break_is_refused_before_decoding(tmp_path, short_lines, monkeypatch, header):
    path = tmp_path / "long.csv"
    path.write_bytes((CSV.encode() if header else b"") + b"x" * 5000)
    monkeypatch.setattr(read, "decode_bytes", lambda *a, **k: pytest.fail("decoded"))
    monkeypatch.setattr(Path, "read_bytes", lambda *a, **k: pytest.fail("read whole"))
    with pytest.raises(ResponseFileError) as caught:
        load_responses(path)
    line = 5 if header else 1
    assert str(caught.value) == (
        f"{path}, line {line}: this line is 5,000 bytes long, more than the 1,000 a line may hold (a file "
        "without line breaks, or not a text file?); refused before it was decoded. If the line is genuine, "
        "raise the limit for the session: survey_analysis.load.bounds.MAX_LINE_BYTES = N")
    assert caught.value.line == line


def test_27_line_numbers_count_every_kind_of_line_break(tmp_path, short_lines):
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"item,rating\r\nA,good\rB,good\n" + b"C," + b"y" * 3000 + b"\r\n")
    with pytest.raises(ResponseFileError) as caught:
        load_responses(path)
    assert caught.value.line == 4 and caught.value.params["length"] == 3002


@pytest.mark.parametrize("how", ["gzip", "claims", "counts table"])
def test_27_long_lines_refused_through_the_other_doors(tmp_path, short_lines, how):
    text = CSV.encode() + b"x" * 5000
    if how == "gzip":
        path = tmp_path / "long.csv.gz"
        path.write_bytes(gzip.compress(text))
    else:
        path = tmp_path / "long.csv"
        path.write_bytes(text)
    with pytest.raises(ResponseFileError) as caught:
        if how == "claims":
            sa.read_claims(path)
        elif how == "counts table":
            read_counts_table(path, item="事项编号", n="受访者", satisfied="满意度")
        else:
            load_responses(path)
    assert caught.value.code == "load.bounds.long_line" and caught.value.line == 5


def test_27_lines_just_under_the_limit_are_read(tmp_path, short_lines):
    path = tmp_path / "ok.csv"
    path.write_text("事项编号,受访者,满意度,备注\n" + "".join(f"A,{i},满意,{'z' * 980}\n" for i in range(40)))
    assert len(load_responses(path)) == 40


def test_a_200k_character_comment_is_read(tmp_path):
    comment = "服务很好，" * 40_000  # 200,000 characters, 600,000 bytes
    for quoted in (False, True):
        path = tmp_path / f"comment{quoted}.csv"
        cell = f'"{comment}"' if quoted else comment
        path.write_text(f"事项编号,受访者,满意度,备注\nA,1,满意,{cell}\nA,2,不满意,短\n", encoding="utf-8")
        frame = load_responses(path)
        assert len(frame) == 2
    import csv
    assert csv.field_size_limit() == 131072  # the csv module's limit is back as it was


# ---------------------------------------------------------------------------
# 28: a million columns
# ---------------------------------------------------------------------------

@pytest.fixture
def few_columns(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_COLUMNS", 50)


@pytest.mark.parametrize("quoted", [False, True])
def test_28_wide_csv_is_refused_with_the_count(tmp_path, few_columns, quoted):
    path = tmp_path / "wide.csv"
    wide = ",".join(f'"c{j}"' if quoted else f"c{j}" for j in range(60))
    path.write_text("调查表\n" + wide + "\n" + ",".join(["1"] * 60) + "\n", encoding="utf-8")
    with pytest.raises(ResponseFileError) as caught:
        load_responses(path)
    assert str(caught.value) == (
        f"{path}, line 2: 60 columns, more than the 50 a sheet may have; refused before they "
        "were read. Check the delimiter and that this is a response sheet; to read it anyway, raise the "
        "limit for the session: survey_analysis.load.bounds.MAX_COLUMNS = N")


def test_28_wide_row_below_the_sample(tmp_path, few_columns):
    path = tmp_path / "wide_below.csv"
    body = "".join(f"A,{i},满意\n" for i in range(3000))
    path.write_text("事项编号,受访者,满意度\n" + body + ",".join(["x"] * 70) + "\n", encoding="utf-8")
    with pytest.raises(ResponseFileError) as caught:
        load_responses(path)
    assert caught.value.line == 3002 and caught.value.params["count"] == 70


def test_28_wide_xlsx_and_ods(tmp_path, few_columns):
    rows = [ROWS[0] + [f"x{j}" for j in range(60)]] + ROWS[1:]
    path = xlsx(tmp_path / "wide.xlsx", [("答卷", sheet_xml(rows))])
    with pytest.raises(ResponseFileError) as caught:
        load_responses(path)
    assert str(caught.value).startswith(f"{path}, sheet '答卷': 63 columns, more than the 50 a sheet may have")
    with pytest.raises(ResponseFileError, match="63 columns, more than the 50"):
        excel._read_openpyxl(path, 0)


def test_28_wide_parquet(tmp_path, few_columns):
    path = tmp_path / "wide.parquet"
    pd.DataFrame({f"c{j}": ["1"] for j in range(60)}).to_parquet(path)
    with pytest.raises(ResponseFileError, match="60 columns, more than the 50"):
        load_responses(path)


# ---------------------------------------------------------------------------
# 30: a CSV file or an empty file named .parquet
# ---------------------------------------------------------------------------

_NOT_PARQUET = {
    "csv": ("its 65 bytes start with b'item_id,respondent_id,ra'; a Parquet file starts and ends with the "
            "bytes PAR1. It looks like text: if it is a CSV file, give it a .csv name and load it again"),
    "empty": ("the file is empty (0 bytes); a Parquet file starts and ends with the bytes PAR1. Write the "
              "data as Parquet again, or give the file the suffix of its format"),
}
_TIDY = "item_id,respondent_id,rating\nA,1,满意\nA,2,不满意\nB,3,满意\n"


@pytest.mark.parametrize("content", ["csv", "empty"])
@pytest.mark.parametrize("door", ["load_responses", "Survey", "item_rates", "read_table", "engine=duckdb"])
def test_30_not_parquet(tmp_path, content, door):
    path = tmp_path / "answers.parquet"
    path.write_bytes(_TIDY.encode() if content == "csv" else b"")
    with pytest.raises(ResponseFileError) as caught:
        if door == "load_responses":
            load_responses(path)
        elif door == "Survey":
            sa.Survey(str(path))
        elif door == "item_rates":
            sa.item_rates(str(path))
        elif door == "read_table":
            read_table(path, "claims file")
        else:
            sa.satisfaction_counts(str(path), engine="duckdb")
    assert str(caught.value) == f"{path}: not a Parquet file: {_NOT_PARQUET[content]}"


def test_30_damaged_parquet_is_named(tmp_path):
    path = tmp_path / "cut.parquet"
    pd.DataFrame({"item_id": ["A"], "rating": ["满意"]}).to_parquet(path)
    data = path.read_bytes()
    path.write_bytes(data[:8] + b"\x00" * 20 + data[-8:])  # the marks kept, the rest broken
    with pytest.raises(ResponseFileError) as caught:
        load_responses(path)
    assert caught.value.code == "load.read.parquet_unreadable"
    assert str(caught.value).startswith(f"{path}: not a readable Parquet file (")


# ---------------------------------------------------------------------------
# The DuckDB engine on CSV files it cannot read
# ---------------------------------------------------------------------------

_NOT_UTF8 = (
    "the file is not UTF-8 from this line on, and the DuckDB engine (which sa.Survey(path), "
    "sa.item_rates(path) and the other counting functions use for a CSV file) reads UTF-8 only. Read the "
    "file with sa.load_responses(path), which detects GB18030, Big5 and UTF-8 with or without a BOM, and "
    "pass the responses; or save the file as UTF-8")


@pytest.mark.parametrize("late", [False, True])
@pytest.mark.parametrize("door", ["Survey", "item_rates"])
def test_duckdb_gb18030_csv(tmp_path, late, door):
    path = tmp_path / "gb.csv"
    ascii_rows = "".join(f"Z,{i},good\n" for i in range(5000)) if late else ""
    path.write_bytes((_TIDY.replace("A,1,", ascii_rows + "A,1,")).encode("gb18030"))
    with pytest.raises(ResponseFileError) as caught:
        getattr(sa, door)(str(path))
    line = 5002 if late else 2
    assert str(caught.value) == f"{path}, line {line}: {_NOT_UTF8}"
    # What it proposes reads the file.
    assert len(load_responses(path)) == (5003 if late else 3)


def test_duckdb_gb18030_header(tmp_path):
    path = tmp_path / "gb_header.csv"
    path.write_bytes("事项编号,受访者,满意度\nA,1,满意\n".encode("gb18030"))
    with pytest.raises(ResponseFileError) as caught:
        sa.Survey(str(path))
    assert str(caught.value) == f"{path}, line 1: {_NOT_UTF8}"


@pytest.mark.parametrize("door", ["Survey", "item_rates"])
def test_duckdb_ragged_row(tmp_path, door):
    path = tmp_path / "ragged.csv"
    path.write_text(_TIDY.replace("A,2,不满意\n", "A,2,不满意,extra\n"), encoding="utf-8")
    with pytest.raises(ResponseFileError) as caught:
        getattr(sa, door)(str(path))
    assert str(caught.value) == (
        f"{path}, line 3: this row has 4 fields where the header (line 1) has 3, and the DuckDB engine "
        "(which sa.Survey(path), sa.item_rates(path) and the other counting functions use for a CSV file) "
        "cannot read rows of different lengths. Read the file with sa.load_responses(path), which reads "
        "such rows and reports them, and pass the responses; or fix the row")


def test_duckdb_reads_ordinary_csv_still(tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text(_TIDY, encoding="utf-8")
    assert len(sa.item_rates(str(path))) == 2


def test_open_zip_needs_the_cell_limit(tmp_path):
    # Every opener of a workbook says how many cells it allows: the part bound follows.
    path = xlsx(tmp_path / "ok.xlsx", [("答卷", sheet_xml(ROWS))])
    with workbook.open_zip(path, str(path), 10) as archive:
        assert "xl/workbook.xml" in archive.NameToInfo
