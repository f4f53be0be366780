"""More file formats through the same reader path, ledger and errors (issue 20).

Every file is built here, in ``tmp_path``: compressed CSV (gzip, bzip2, xz; GB18030 and
UTF-8), zip archives, old binary .xls (xlwt), SPSS .sav/.zsav and Stata .dta (pyreadstat).
Each test asserts exact counts of the ledger, or the exact error code.
"""

import bz2
import gzip
import io
import lzma
import sys
import zipfile

import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis.load import packed
from survey_analysis.load.report import ResponseFileError
from survey_analysis.present.cli import main
from survey_analysis.words import SurveyError

# A sheet as the street offices export it: a title line above the header, Chinese labels,
# a "don't know", a blank rating and a totals row.
#   line 1 title, line 2 header, lines 3-9 answers, line 10 totals.
#   A01: 满意, 满意, 不满意, 满意 -> 4 answers, 3 satisfied (cn3: 满意 + 基本满意)
#   A02: 基本满意 (kept, satisfied), 不了解 (dont_know, line 8), "" (missing_rating, line 9)
SHEET = [
    ["市西街道群众满意度调查（2024年）"],
    ["事项编号", "受访者", "评价"],
    ["A01", "1", "满意"],
    ["A01", "2", "满意"],
    ["A01", "3", "不满意"],
    ["A01", "4", "满意"],
    ["A02", "1", "基本满意"],
    ["A02", "2", "不了解"],
    ["A02", "3", ""],
    ["合计", "", "7"],
]
#: The ledger of SHEET, wherever it comes from (see the comments on SHEET).
EXPECTED_READ = 8  # lines 3-10: 7 answer rows + the totals row
EXPECTED_KEPT = 5  # 4 answers of A01 + 基本满意 of A02
EXPECTED_EXCLUDED = {"summary_row": 1, "missing_rating": 1, "dont_know": 1}  # lines 10, 9, 8
EXPECTED_RATES = {"A01": (4, 3), "A02": (1, 1)}  # item -> (n, satisfied), counted on SHEET above


def csv_text(delimiter: str = ",") -> str:
    return "".join(delimiter.join(row) + "\n" for row in SHEET)


def report_of(tidy: pd.DataFrame):
    return tidy.attrs["load_report"]


def assert_sheet_ledger(tidy: pd.DataFrame) -> None:
    """The ledger and item rates of SHEET."""
    report = report_of(tidy)
    assert report.rows_read == EXPECTED_READ
    assert report.rows_kept == EXPECTED_KEPT
    assert report.excluded_by_reason().to_dict() == EXPECTED_EXCLUDED
    assert report.rows_read == report.rows_kept + report.rows_excluded
    rates = sa.item_rates(tidy).set_index("item_id")
    assert {item: (int(rates.loc[item, "n"]), int(rates.loc[item, "satisfied"]))
            for item in rates.index} == EXPECTED_RATES


COMPRESSORS = {"gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress}


# ---------------------------------------------------------------------------
# Compressed text tables
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8"])
@pytest.mark.parametrize("compression", sorted(COMPRESSORS))
def test_compressed_csv_reads_as_the_csv(tmp_path, compression, encoding):
    path = tmp_path / f"answers.csv.{compression}"
    path.write_bytes(COMPRESSORS[compression](csv_text().encode(encoding)))
    tidy = sa.load_responses(path)
    assert_sheet_ledger(tidy)
    report = report_of(tidy)
    assert report.source == str(path)
    assert report.file_format == "csv"
    assert report.encoding == encoding  # detected from the unpacked bytes, as for a .csv
    assert report.header_line == 2  # the title is line 1 (SHEET)
    lines = report.exclusions.set_index("reason")["source_line"].to_dict()
    assert lines == {"dont_know": 8, "missing_rating": 9, "summary_row": 10}  # lines of SHEET
    kind = {"gz": "gzip", "bz2": "bzip2", "xz": "xz"}[compression]
    assert any(note.startswith(f"unpacked ({kind}) before reading") for note in report.notes)


def test_compressed_tsv_is_sniffed_for_tabs(tmp_path):
    path = tmp_path / "answers.tsv.gz"
    path.write_bytes(gzip.compress(csv_text("\t").encode("utf-8")))
    tidy = sa.load_responses(path)
    assert_sheet_ledger(tidy)
    assert "fields are separated by tabs" in report_of(tidy).notes


def test_compressed_csv_with_a_given_encoding_and_delimiter(tmp_path):
    path = tmp_path / "answers.csv.xz"
    path.write_bytes(lzma.compress(csv_text(";").encode("gb18030")))
    tidy = sa.load_responses(path, encoding="gb18030", delimiter=";")
    assert_sheet_ledger(tidy)
    assert report_of(tidy).encoding == "gb18030"


def test_csv_saved_compressed_under_a_csv_name_is_unpacked(tmp_path):
    # Before issue 20 this was "line 2 holds a NUL byte ... remove it".
    path = tmp_path / "answers.csv"
    path.write_bytes(gzip.compress(csv_text().encode("utf-8")))
    tidy = sa.load_responses(path)
    assert_sheet_ledger(tidy)
    assert ("the file is gzip-compressed although its name ends in .csv: it was unpacked and read"
            in report_of(tidy).notes)


def test_damaged_gzip_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(gzip.compress(csv_text().encode("utf-8") * 50)[:60])  # cut off after 60 bytes
    with pytest.raises(ResponseFileError) as info:
        sa.load_responses(path)
    assert info.value.code == "load.packed.damaged"
    assert info.value.source == str(path)


def test_gzip_bomb_is_refused_by_the_byte_limit(tmp_path, monkeypatch):
    # The limit is lowered to 100,000 bytes; the file unpacks to 3,000,000 (gzip makes
    # ~3 KB of it): refused while unpacking.
    monkeypatch.setattr(packed, "MAX_UNPACKED_BYTES", 100_000)
    path = tmp_path / "bomb.csv.gz"
    path.write_bytes(gzip.compress(b"0" * 3_000_000))
    with pytest.raises(ResponseFileError) as info:
        sa.load_responses(path)
    assert info.value.code == "load.packed.too_big"
    assert info.value.source == str(path)
    assert info.value.params["limit"] == 100_000  # set above
    assert "MAX_UNPACKED_BYTES" in str(info.value)


def test_gzip_bomb_is_refused_by_the_ratio(tmp_path, monkeypatch):
    # 3,000,000 zeros gzip to ~3 KB, about 1000:1; the ratio is lowered to 10 and checked
    # from the first byte.
    monkeypatch.setattr(packed, "UNPACKED_RATIO_FLOOR", 0)
    monkeypatch.setattr(packed, "MAX_UNPACKED_RATIO", 10)
    path = tmp_path / "bomb.csv.bz2"
    path.write_bytes(bz2.compress(b"0" * 3_000_000))
    with pytest.raises(ResponseFileError) as info:
        sa.load_responses(path)
    assert info.value.code == "load.packed.ratio"
    assert info.value.params["ratio"] == 10  # set above


def test_the_default_bounds_read_a_sheet_of_repeated_labels(tmp_path):
    # 200,000 identical rows (~3.4 MB, gzip ~1000:1 or more) stay under the 64 MiB floor.
    path = tmp_path / "many.csv.gz"
    path.write_bytes(gzip.compress(("item_id,rating\n" + "A01,满意\n" * 200_000).encode("utf-8")))
    report = report_of(sa.load_responses(path))
    assert report.rows_read == report.rows_kept == 200_000  # the rows written above


# ---------------------------------------------------------------------------
# Zip archives
# ---------------------------------------------------------------------------


def test_zip_with_one_csv_reads_the_member(tmp_path):
    path = tmp_path / "data.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export/", b"")  # a folder entry: ignored
        archive.writestr("export/answers.csv", csv_text().encode("gb18030"))
        archive.writestr("__MACOSX/export/._answers.csv", b"\x00\x05\x16\x07")  # macOS resource fork
    tidy = sa.load_responses(path)
    assert_sheet_ledger(tidy)
    report = report_of(tidy)
    assert report.source == f"{path}:export/answers.csv"
    assert report.encoding == "gb18030"
    assert report.header_line == 2  # SHEET's title is line 1
    assert not any("other member" in note for note in report.notes)  # nothing but the folder and macOS parts


def test_zip_with_one_xlsx_reads_the_member_and_names_it(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in SHEET:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "data.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("answers.xlsx", buffer.getvalue())
        archive.writestr("说明.docx", b"not data")
    tidy = sa.load_responses(path)
    assert_sheet_ledger(tidy)
    report = report_of(tidy)
    assert report.source == f"{path}:answers.xlsx"
    assert report.file_format == "excel"
    assert "the zip archive's 1 other member(s) are not data files and were not read: '说明.docx'" in report.notes
    with pytest.raises(ResponseFileError) as info:  # an error inside the member names it, not a temporary file
        sa.load_responses(path, sheet="nope")
    assert info.value.source == f"{path}:answers.xlsx"
    assert info.value.code == "load.excel.no_sheet_named"


def test_zip_with_two_data_members_lists_both(tmp_path):
    path = tmp_path / "data.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("answers.csv", csv_text())
        archive.writestr("old/answers_2023.xlsx", b"PK")
    with pytest.raises(ResponseFileError) as info:
        sa.load_responses(path)
    assert info.value.code == "load.packed.zip_several"
    assert info.value.params["count"] == 2  # the two members written above
    assert "'answers.csv'" in str(info.value) and "'old/answers_2023.xlsx'" in str(info.value)


def test_zip_without_a_data_member_lists_its_members(tmp_path):
    path = tmp_path / "data.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.md", "nothing here")
    with pytest.raises(ResponseFileError) as info:
        sa.load_responses(path)
    assert info.value.code == "load.packed.zip_none"
    assert "'readme.md'" in str(info.value)


def test_zip_bomb_is_refused_by_the_declared_size(tmp_path, monkeypatch):
    monkeypatch.setattr(packed, "MAX_UNPACKED_BYTES", 100_000)
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("answers.csv", b"0" * 3_000_000)  # declared 3,000,000 > 100,000 set above
    with pytest.raises(ResponseFileError) as info:
        sa.load_responses(path)
    assert info.value.code == "load.packed.too_big"
    assert info.value.source == f"{path}:answers.csv"
    assert info.value.params["unpacked"] == 3_000_000  # the declared size, before unpacking


def test_zip_member_whose_declared_size_lies_is_refused(tmp_path, monkeypatch):
    # The member's declared size is rewritten to 10 bytes (local header and central
    # directory), under the limit: unpacking stops at the declared size (and the bytes
    # are counted as they come), so the lie is found, not 3 MB unpacked.
    monkeypatch.setattr(packed, "MAX_UNPACKED_BYTES", 100_000)
    path = tmp_path / "liar.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("answers.csv", b"0" * 3_000_000)
    data = bytearray(path.read_bytes())
    size = (3_000_000).to_bytes(4, "little")
    for at in (data.find(b"PK\x03\x04") + 22, data.find(b"PK\x01\x02") + 24):  # uncompressed-size fields
        assert data[at:at + 4] == size
        data[at:at + 4] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(ResponseFileError) as info:
        sa.load_responses(path)
    # zipfile stops at the declared 10 bytes and finds the CRC wrong: never more is unpacked.
    assert info.value.code == "load.packed.damaged"
    assert "Bad CRC-32" in str(info.value)


# ---------------------------------------------------------------------------
# Old binary Excel (.xls)
# ---------------------------------------------------------------------------


def write_xls(path) -> None:
    """SHEET as an .xls workbook: the title merged over A1:C1, A01 merged down A3:A6, the
    respondents written as numbers."""
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("答卷")
    sheet.write_merge(0, 0, 0, 2, SHEET[0][0])
    for j, header in enumerate(SHEET[1]):
        sheet.write(1, j, header)
    sheet.write_merge(2, 5, 0, 0, "A01")  # rows 3-6 of SHEET, merged down
    for i, row in enumerate(SHEET[2:], start=2):
        if i > 5 or i == 9:
            sheet.write(i, 0, row[0])
        if row[1]:
            sheet.write(i, 1, int(row[1]))
        if row[2]:
            sheet.write(i, 2, int(row[2]) if row[2].isdigit() else row[2])
    book.save(str(path))


def test_xls_with_a_title_row_merged_cells_and_a_totals_row(tmp_path):
    path = tmp_path / "answers.xls"
    write_xls(path)
    tidy = sa.load_responses(path)
    assert_sheet_ledger(tidy)  # the merged A01 is filled down to its 4 rows
    report = report_of(tidy)
    assert report.file_format == "excel"
    assert report.sheet == "答卷"
    assert report.header_line == 2  # the merged title is row 1
    lines = report.exclusions.set_index("reason")["source_line"].to_dict()
    assert lines == {"dont_know": 8, "missing_rating": 9, "summary_row": 10}  # sheet rows of SHEET
    assert tidy["respondent_id"].tolist()[:2] == ["1", "2"]  # numbers 1.0, 2.0 read without ".0"
    assert any(note.startswith("read as an old binary Excel workbook (.xls)") for note in report.notes)


def test_xls_in_a_zip(tmp_path):
    inner = tmp_path / "answers.xls"
    write_xls(inner)
    path = tmp_path / "data.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(inner, "answers.xls")
    tidy = sa.load_responses(path)
    assert_sheet_ledger(tidy)
    assert report_of(tidy).source == f"{path}:answers.xls"


def test_xls_sheet_size_limit(tmp_path):
    path = tmp_path / "answers.xls"
    write_xls(path)
    with pytest.raises(ResponseFileError) as info:
        sa.load_responses(path, max_cells=20)  # the sheet spans A1:C10 = 30 cells (SHEET)
    assert info.value.code == "load.excel.too_big"
    assert info.value.params["cells"] == 30  # 10 rows x 3 columns of SHEET


def test_text_named_xls_is_read_as_text(tmp_path):
    path = tmp_path / "export.xls"  # many systems export tab-separated text as .xls
    path.write_bytes(csv_text("\t").encode("gb18030"))
    tidy = sa.load_responses(path)
    assert_sheet_ledger(tidy)
    assert report_of(tidy).file_format == "csv"
    assert any("text table (CSV or tab-separated)" in note for note in report_of(tidy).notes)


def test_html_named_xls_is_an_error(tmp_path):
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><td>事项编号</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(ResponseFileError) as info:
        sa.load_responses(path)
    assert info.value.code == "load.xls.html"


def test_damaged_xls_is_an_error(tmp_path):
    path = tmp_path / "broken.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    with pytest.raises(ResponseFileError) as info:
        sa.load_responses(path)
    assert info.value.code == "load.xls.unreadable"


# ---------------------------------------------------------------------------
# SPSS and Stata (pyreadstat, the "spss" extra)
# ---------------------------------------------------------------------------

# The national 好差评 five levels, coded 1..5 best first; 9 = 拒答 (refused), user-missing.
HAOCHAPING = {1.0: "非常满意", 2.0: "满意", 3.0: "基本满意", 4.0: "不满意", 5.0: "非常不满意", 9.0: "拒答"}


def spss_frame() -> pd.DataFrame:
    # A01: 1, 2, 4, 5 -> 4 answers, 2 satisfied on haochaping5 (非常满意 + 满意 + 基本满意)
    # A02: 3 (kept, satisfied), 9 (user-missing, case 6), system-missing (case 7)
    return pd.DataFrame({
        "事项": ["A01", "A01", "A01", "A01", "A02", "A02", "A02"],
        "受访者": [1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0],
        "评价": [1.0, 2.0, 4.0, 5.0, 3.0, 9.0, None],
    })


@pytest.mark.parametrize("suffix", [".sav", ".zsav"])
def test_sav_value_labels_and_user_missing(tmp_path, suffix):
    pyreadstat = pytest.importorskip("pyreadstat")
    path = tmp_path / f"answers{suffix}"
    pyreadstat.write_sav(spss_frame(), str(path), compress=suffix == ".zsav",
                         variable_value_labels={"评价": HAOCHAPING}, missing_ranges={"评价": [9.0]})
    tidy = sa.load_responses(path)
    report = report_of(tidy)
    assert report.file_format == "spss"
    assert report.scale == "haochaping5"  # the labels' texts are 好差评's five levels
    assert report.rows_read == 7  # the 7 cases of spss_frame
    assert report.rows_kept == 5  # 4 answers of A01 + 基本满意 of A02
    assert report.excluded_by_reason().to_dict() == {"missing_rating": 2}  # code 9 and system-missing
    lines = report.exclusions["source_line"].tolist()
    assert lines == [6, 7]  # the cases' positions (1-based) of code 9 and of the empty cell
    assert tidy["rating"].tolist() == ["非常满意", "满意", "不满意", "非常不满意", "基本满意"]  # labels of 1, 2, 4, 5, 3
    rates = sa.item_rates(tidy).set_index("item_id")
    assert (int(rates.loc["A01", "n"]), int(rates.loc["A01", "satisfied"])) == (4, 2)  # see spss_frame
    assert (int(rates.loc["A02", "n"]), int(rates.loc["A02", "satisfied"])) == (1, 1)  # see spss_frame
    notes = report.notes
    assert ("value labels applied to column(s) '评价', in code order: 1 = 非常满意, 2 = 满意, 3 = 基本满意, "
            "4 = 不满意, 5 = 非常不满意, 9 = 拒答") in notes
    assert "column '评价': 1 cell(s) held user-defined missing value(s) 9 (拒答) and were read as empty" in notes
    assert any("line numbers are the cases' positions in the file" in note for note in notes)


def test_sav_labels_no_preset_knows_are_listed_in_code_order(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    from survey_analysis.load.statfiles import value_labels

    path = tmp_path / "answers.sav"
    frame = pd.DataFrame({"item": ["A01", "A01", "A01"], "rating": [1.0, 2.0, 3.0]})
    own = {3.0: "Unhappy", 1.0: "Delighted", 2.0: "Content"}  # given out of order on purpose
    pyreadstat.write_sav(frame, str(path), variable_value_labels={"rating": own})
    assert value_labels(path) == {"rating": {1.0: "Delighted", 2.0: "Content", 3.0: "Unhappy"}}
    assert list(value_labels(path)["rating"].values()) == ["Delighted", "Content", "Unhappy"]  # code order
    with pytest.raises(ResponseFileError):  # no preset knows these labels
        sa.load_responses(path)
    # The labels in code order are the scale, best first (code 1 is the best here).
    scale = sa.Scale(list(value_labels(path)["rating"].values()), satisfied=2, name="own", order="best_first")
    tidy = sa.load_responses(path, scale=scale)
    report = report_of(tidy)
    assert (report.rows_read, report.rows_kept) == (3, 3)  # the 3 cases written above
    assert "value labels applied to column(s) 'rating', in code order: 1 = Delighted, 2 = Content, 3 = Unhappy" \
        in report.notes


def test_dta_value_labels_and_stata_missing(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    # A01: 1, 2, 3, 5 -> 4 answers, 2 satisfied (satisfied5_en: Very + Fairly satisfied)
    # A02: 2 (kept, satisfied), .a (Stata's user-defined missing, case 6)
    frame = pd.DataFrame({"item": ["A01", "A01", "A01", "A01", "A02", "A02"],
                          "rating": [1, 2, 3, 5, 2, "a"]})
    labels = {1: "Very satisfied", 2: "Fairly satisfied", 3: "Neither satisfied nor dissatisfied",
              4: "Fairly dissatisfied", 5: "Very dissatisfied", "a": "Refused"}
    path = tmp_path / "answers.dta"
    pyreadstat.write_dta(frame, str(path), variable_value_labels={"rating": labels},
                         missing_user_values={"rating": ["a"]})
    tidy = sa.load_responses(path)
    report = report_of(tidy)
    assert report.file_format == "stata"
    assert report.scale == "satisfied5_en"  # the labels' texts
    assert report.rows_read == 6  # the 6 cases written above
    assert report.rows_kept == 5  # all but .a
    assert report.excluded_by_reason().to_dict() == {"missing_rating": 1}  # .a, case 6
    assert report.exclusions["source_line"].tolist() == [6]  # the case's position
    rates = sa.item_rates(tidy).set_index("item_id")
    assert (int(rates.loc["A01", "n"]), int(rates.loc["A01", "satisfied"])) == (4, 2)  # see frame above
    assert (int(rates.loc["A02", "n"]), int(rates.loc["A02", "satisfied"])) == (1, 1)  # see frame above
    assert "column 'rating': 1 cell(s) held user-defined missing value(s) a (Refused) and were read as empty" \
        in report.notes


def test_stat_file_size_limit(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    path = tmp_path / "answers.sav"
    pyreadstat.write_sav(spss_frame(), str(path))
    with pytest.raises(ResponseFileError) as info:
        sa.load_responses(path, max_cells=20)
    assert info.value.code == "load.stat.too_big"
    assert info.value.params["cells"] == 21  # 7 cases x 3 variables of spss_frame


def test_stat_file_without_pyreadstat_names_the_extra(tmp_path, monkeypatch):
    path = tmp_path / "answers.sav"
    path.write_bytes(b"$FL2")
    monkeypatch.setitem(sys.modules, "pyreadstat", None)  # import pyreadstat -> ImportError
    with pytest.raises(ResponseFileError) as info:
        sa.load_responses(path)
    assert info.value.code == "load.stat.needs_pyreadstat"
    assert 'pip install "survey_analysis[spss]"' in str(info.value)
    assert 'pip install -e ".[spss]"' in str(info.value)


def test_damaged_sav_is_an_error(tmp_path):
    pytest.importorskip("pyreadstat")
    path = tmp_path / "broken.sav"
    path.write_bytes(b"$FL2" + bytes(50))
    with pytest.raises(ResponseFileError) as info:
        sa.load_responses(path)
    assert info.value.code == "load.stat.unreadable"


def test_delimiter_is_refused_for_a_binary_member(tmp_path):
    path = tmp_path / "data.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("answers.xlsx", b"PK")
    with pytest.raises(SurveyError) as info:
        sa.load_responses(path, delimiter=";")
    assert info.value.code == "load.option.delimiter_not_csv"


# ---------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------


def test_cli_validate_csv_gz(tmp_path, capsys):
    path = tmp_path / "answers.csv.gz"
    path.write_bytes(gzip.compress(csv_text().encode("gb18030")))
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "encoding gb18030" in out and "unpacked (gzip) before reading" in out
    assert "excluded: summary_row               1   lines 10" in out  # the totals row of SHEET


def test_cli_validate_zip_with_two_members_fails_listing_them(tmp_path, capsys):
    path = tmp_path / "data.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.csv", csv_text())
        archive.writestr("b.csv", csv_text())
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "'a.csv'" in err and "'b.csv'" in err


def test_cli_validate_xls(tmp_path, capsys):
    path = tmp_path / "answers.xls"
    write_xls(path)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "sheet '答卷'" in out and "kept                                5" in out  # EXPECTED_KEPT


def test_cli_validate_sav(tmp_path, capsys):
    pyreadstat = pytest.importorskip("pyreadstat")
    path = tmp_path / "answers.sav"
    pyreadstat.write_sav(spss_frame(), str(path), variable_value_labels={"评价": HAOCHAPING},
                         missing_ranges={"评价": [9.0]})
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "excluded: missing_rating            2   lines 6, 7" in out  # see spss_frame
