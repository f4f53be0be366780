"""Hostile CSV text (issue 14, cases 1-3, 23-29, 32): each case of tests/hostile/csv_text.py
built into tmp_path and its outcome asserted; then the fast (pyarrow) reader against the
``csv`` module reader on the same inputs, and the keyword / flag of the delimiter."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hostile.csv_text import CASES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey_analysis import load_responses
from survey_analysis.load import coded, read
from survey_analysis.load.detect import sheet_scale
from survey_analysis.load.options import LOAD_OPTIONS, flag_for
from survey_analysis.load.report import ResponseFileError
from survey_analysis.present.cli import main
from survey_analysis.scales import SCALES
from survey_analysis.scales.text import traditional_spellings
from survey_analysis.words import Hint

BUILD = {case.build.__name__: case for case in CASES}


def build(tmp_path, name):
    return BUILD[name].build(tmp_path)


def report_of(tidy):
    return tidy.attrs["load_report"]


def test_every_case_is_numbered_and_deterministic(tmp_path):
    assert {case.number for case in CASES} == {1, 2, 3, 23, 24, 25, 26, 27, 28, 29, 32}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for case in CASES:
        assert case.build(tmp_path / "a").read_bytes() == case.build(tmp_path / "b").read_bytes(), case


# -- 1: quotes ---------------------------------------------------------------------------

def test_1_unclosed_quote_is_an_error_at_the_line_it_opens(tmp_path, capsys):
    path = build(tmp_path, "unclosed_quote")
    with pytest.raises(ResponseFileError) as info:
        load_responses(path)
    # The builder writes the header on line 1 and 'A,2,满意,"还行' (the quote) on line 3;
    # lines 4-6 are the 3 rows the quote would take in.
    assert info.value.line == 3
    assert 'opens field 4 on line 3' in str(info.value)
    assert "lines 4-6" in str(info.value) and "3 of them look like records" in str(info.value)
    assert main(["validate", str(path)]) != 0  # it exited 0 with 2 of 5 rows read
    assert "opens field 4 on line 3" in capsys.readouterr().err


def test_1_quote_closed_by_a_later_quote(tmp_path):
    with pytest.raises(ResponseFileError, match=r"opens field 4 on line 2 .* lines 3-5") as info:
        load_responses(build(tmp_path, "unclosed_quote_closed_later"))
    assert info.value.line == 2  # 'A,1,满意,"好' is the line after the header


def test_1_quote_open_to_the_end_of_a_two_column_file(tmp_path):
    # One delimiter per swallowed line is too few to look like a record (2 columns): the
    # strict re-read finds the quote still open at the end.
    with pytest.raises(ResponseFileError, match=r"opens field 2 on line 3 .*lines 4-5 \(the quote is "
                                                r"still open at the end of the file\)") as info:
        load_responses(build(tmp_path, "quote_open_two_columns"))
    assert info.value.line == 3


def test_1_quote_opened_on_the_last_line_is_read_and_noted(tmp_path):
    tidy = load_responses(build(tmp_path, "quote_open_on_last_line"))
    report = report_of(tidy)
    # 2 data rows on lines 2 and 3, both kept (满意, 不满意).
    assert (report.rows_read, report.rows_kept) == (2, 2)
    assert tidy["source_line"].tolist() == [2, 3]
    assert any("opens field 4 on line 3 and is never closed" in note for note in report.notes)


def test_1_comments_over_several_lines_still_read(tmp_path):
    tidy = load_responses(build(tmp_path, "multiline_comment"))
    # Records start on lines 2, 4 (after the 2-line comment) and 7 (after the 3-line one,
    # whose middle line holds a comma: one delimiter, not a record's 3).
    assert tidy["source_line"].tolist() == [2, 4, 7]
    assert report_of(tidy).rows_read == 3


def test_1_the_bundled_multiline_file_still_reads():
    from pathlib import Path

    path = Path(__file__).parent / "data" / "bad" / "multiline_comments.csv"
    tidy = load_responses(path)
    # The file: records on lines 2, 4, 7 and 8; line 7 is 不了解 (excluded as don't know).
    assert tidy["source_line"].tolist() == [2, 4, 8]


# -- 2, 3: duplicate headers -------------------------------------------------------------

@pytest.mark.parametrize(("name", "header", "columns"), [
    ("duplicate_rating", "满意度", "C and D"),
    ("duplicate_item", "事项编号", "A and C"),
    ("duplicate_wide_item", "服务", "B and D"),
])
def test_2_3_duplicate_used_headers_are_errors(tmp_path, name, header, columns):
    with pytest.raises(ResponseFileError) as info:
        load_responses(build(tmp_path, name))
    message = str(info.value)
    assert f"the header {header!r} names 2 columns ({columns}) on line 1" in message
    assert (info.value.line, info.value.column) == (1, header)


def test_2_duplicate_headers_in_excel_and_dataframe(tmp_path):
    frame = pd.DataFrame([["A", "1", "", "满意"], ["A", "2", "", "不满意"]],
                         columns=["事项编号", "受访者", "满意度", "满意度"])
    with pytest.raises(ResponseFileError, match=r"'满意度' names 2 columns \(positions 3 and 4\)"):
        load_responses(frame)
    path = tmp_path / "dup.xlsx"
    frame.to_excel(path, index=False)
    with pytest.raises(ResponseFileError, match=r"'满意度' names 2 columns \(C and D\) on row 1") as info:
        load_responses(path)
    assert info.value.line == 1


def test_2_duplicate_after_normalization(tmp_path):
    # "满意度 " and full-width spaces normalize to the same header.
    path = tmp_path / "dup_norm.csv"
    path.write_text("事项编号,受访者,满意度,满意度 \nA,1,满意,满意\n", encoding="utf-8")
    with pytest.raises(ResponseFileError, match=r"names 2 columns \(C and D\)"):
        load_responses(path)


def test_3_duplicate_unused_headers_are_noted(tmp_path):
    tidy = load_responses(build(tmp_path, "duplicate_unused"))
    report = report_of(tidy)
    assert (report.rows_read, report.rows_kept) == (2, 2)  # lines 2 and 3
    assert any("'备注' (D and E)" in note for note in report.notes)


# -- 23-27: encodings and bytes ----------------------------------------------------------

def test_23_utf8_with_gbk_rows_names_the_lines(tmp_path):
    with pytest.raises(ResponseFileError) as info:
        load_responses(build(tmp_path, "utf8_with_gbk_rows"))
    message = str(info.value)
    # The builder writes lines 3 (A,2,不满意) and 5 (B,1,基本满意) in GBK.
    assert "tried utf-8, gb18030" in message
    assert "utf-8 fails at line 3" in message
    assert "the file is UTF-8 up to line 3, which is not (2 such line(s): 3, 5)" in message


def test_23_utf8_with_gbk_rows_that_gb18030_decodes(tmp_path):
    # Only ASCII and GBK-decodable bytes after the UTF-8 header: GB18030 would decode the
    # whole file (turning the UTF-8 header into other characters); refused, naming line 2.
    path = tmp_path / "mixed.csv"
    path.write_bytes("事项编号,评价\n".encode() + "A,满意\n".encode("gbk"))
    assert path.read_bytes().decode("gb18030")  # the premise: GB18030 decodes it
    with pytest.raises(ResponseFileError, match=r"UTF-8 up to line 2, which is not .*tried utf-8, "
                                                r"gb18030") as info:
        load_responses(path)
    assert info.value.line == 2


def test_23_explicit_encoding_names_the_line(tmp_path):
    path = build(tmp_path, "utf8_with_gbk_rows")
    with pytest.raises(ResponseFileError, match=r"first undecodable byte on line 3"):
        load_responses(path, encoding="utf-8")


def test_24_utf32_is_called_utf32_and_the_hint_works(tmp_path):
    path = build(tmp_path, "utf32")
    with pytest.raises(ResponseFileError, match=r"UTF-32 \(little-endian\) byte-order mark.*"
                                                r"encoding='utf-32'") as info:
        load_responses(path)
    # The library names the keyword; the command line adds its flag.
    assert "CLI" not in str(info.value)
    assert "encoding='utf-32' (CLI --encoding utf-32)" in info.value.render(flags=flag_for)
    tidy = load_responses(path, encoding="utf-32")
    assert tidy["rating"].tolist() == ["满意", "不满意"]  # lines 2 and 3
    big_endian = tmp_path / "utf32be.csv"
    big_endian.write_bytes(b"\x00\x00\xfe\xff" + "事项编号,满意度\nA,满意\n".encode("utf-32-be"))
    with pytest.raises(ResponseFileError, match=r"UTF-32 \(big-endian\)"):
        load_responses(big_endian)


def test_25_big5_is_detected(tmp_path):
    tidy = load_responses(build(tmp_path, "big5"))
    report = report_of(tidy)
    assert report.encoding == "big5"
    assert any("decoded as Big5" in note for note in report.notes)
    # 4 data rows (lines 2-5); 不瞭解 on line 5 is don't know.
    assert (report.rows_read, report.rows_kept) == (4, 3)
    assert report.excluded_by_reason().to_dict() == {"dont_know": 1}
    assert tidy["rating"].tolist() == ["满意", "不满意", "基本满意"]
    assert report.scale == "cn3"


def test_25_big5_labels_under_ascii_headers(tmp_path):
    # The ASCII headers are known in both decodings; only Big5 also reads the labels.
    path = tmp_path / "big5_ascii.csv"
    path.write_bytes("item_id,respondent_id,rating\nA,1,滿意\nA,2,不滿意\n".encode("big5"))
    tidy = load_responses(path)
    assert report_of(tidy).encoding == "big5"
    assert tidy["rating"].tolist() == ["满意", "不满意"]  # lines 2 and 3


def test_25_gb18030_files_stay_gb18030(tmp_path):
    # A GBK file that Big5 happens to decode as well keeps GB18030 (its headers are known).
    text = "事项编号,受访者,满意度\nA,1,满意\n"
    data = text.encode("gbk")
    assert data.decode("big5") != text  # the premise: Big5 decodes it too, into other characters
    path = tmp_path / "gbk.csv"
    path.write_bytes(data)
    assert report_of(load_responses(path)).encoding == "gb18030"


def test_26_traditional_sheet_reads_on_the_simplified_scale(tmp_path):
    tidy = load_responses(build(tmp_path, "traditional_utf8"))
    report = report_of(tidy)
    # 很滿意 / 基本滿意 / 不滿意 is the cn4 wording (as 很满意 / 基本满意 / 不满意 would be).
    assert report.scale == "cn4"
    assert tidy["rating"].tolist() == ["很满意", "基本满意", "不满意"]
    assert report.excluded_by_reason().to_dict() == {"dont_know": 1}  # 不瞭解, line 5
    assert report.columns == {"item_id": "事項編號", "respondent_id": "受訪者", "rating": "滿意度"}


def test_26_with_encoding_big5(tmp_path):
    path = build(tmp_path, "big5")
    tidy = load_responses(path, encoding="big5")
    assert tidy["rating"].tolist() == ["满意", "不满意", "基本满意"]


def test_26_auto_scale_is_unchanged_for_simplified_and_equal_for_traditional():
    # For every Chinese preset: its own levels choose the same preset in both spellings.
    for name in ("cn3", "cn4", "haochaping5", "cn5", "likert5"):
        levels = list(SCALES[name].levels)
        simplified = sheet_scale(set(levels))
        traditional = sheet_scale({traditional_spellings([level])[-1] for level in levels})
        assert simplified.uniform.name == traditional.uniform.name, name


def test_27_nul_byte_names_its_line(tmp_path):
    with pytest.raises(ResponseFileError, match=r"line 3 holds a NUL byte \(1 in the file\)") as info:
        load_responses(build(tmp_path, "nul_byte"))
    assert info.value.line == 3  # 'A,2,不\0满意' is the second data row


def test_27_nul_with_explicit_encoding(tmp_path):
    with pytest.raises(ResponseFileError, match="holds a NUL character") as info:
        load_responses(build(tmp_path, "nul_byte"), encoding="utf-8")
    assert info.value.line == 3


# -- 28, 29: delimiters ------------------------------------------------------------------

def test_28_semicolons_are_sniffed_and_noted(tmp_path):
    path = build(tmp_path, "semicolons")
    tidy = load_responses(path)
    report = report_of(tidy)
    assert (report.rows_read, report.rows_kept) == (3, 3)  # lines 2-4
    assert "fields are separated by semicolons (';')" in report.notes
    assert tidy["rating"].tolist() == ["满意", "不满意", "基本满意"]
    given = load_responses(path, delimiter=";", keep_columns=["意见"])
    assert given["意见"].tolist() == ["好,很好", "", "慢,太慢"]


def test_28_delimiter_given_overrides_sniffing(tmp_path):
    path = build(tmp_path, "semicolons")
    # Read with commas, each line splits at the commas inside the comments only: the
    # header is one cell, so no item or rating column.
    with pytest.raises(ResponseFileError, match="required column"):
        load_responses(path, delimiter=",")


def test_28_cli_flag(tmp_path, capsys):
    path = build(tmp_path, "semicolons")
    assert main(["validate", str(path), "--delimiter", "semicolon"]) == 0
    assert LOAD_OPTIONS["delimiter"].parse("tab") == "\t"
    assert LOAD_OPTIONS["delimiter"].parse("\\t") == "\t"
    assert LOAD_OPTIONS["delimiter"].parse(";") == ";"
    assert Hint("delimiter", "\t").render(flag_for) == "delimiter='\\t' (CLI --delimiter tab)"


@pytest.mark.parametrize("bad", ["", ";;", '"', "a", "\n", 5])
def test_28_bad_delimiters(tmp_path, bad):
    with pytest.raises(ValueError, match="delimiter must be one character"):
        load_responses(build(tmp_path, "semicolons"), delimiter=bad)


def test_28_delimiter_on_excel_is_refused(tmp_path):
    path = tmp_path / "x.xlsx"
    pd.DataFrame({"事项编号": ["A"], "满意度": ["满意"]}).to_excel(path, index=False)
    with pytest.raises(ValueError, match="applies to CSV files"):
        load_responses(path, delimiter=";")


def test_29_tabs_with_commas_in_cells(tmp_path):
    tidy = load_responses(build(tmp_path, "tabs_with_commas"), keep_columns=["意见"])
    report = report_of(tidy)
    assert "fields are separated by tabs" in report.notes
    assert tidy["意见"].tolist() == ["好,很好", "差,太差,非常差", ""]  # lines 2-4
    assert tidy["rating"].tolist() == ["满意", "不满意", "满意"]


def test_29_sniffing_without_known_headers(tmp_path):
    # No known header name: the delimiter found equally often on most lines wins (tab: 1
    # per line on 3 lines; comma: 0, 1 and 2 times).
    path = tmp_path / "plain.csv"
    path.write_text("甲\t乙\nx\ta,b\ny\tc,d,e\n", encoding="utf-8")
    grid = read.read_source(path, 0, None)
    assert grid.text.shape == (3, 2)
    assert "fields are separated by tabs" in grid.notes


# -- 32: header far down -----------------------------------------------------------------

def test_32_header_below_row_50_is_named(tmp_path):
    path = build(tmp_path, "header_far_down")
    with pytest.raises(ResponseFileError) as info:
        load_responses(path)
    message = str(info.value)
    assert "no known header name in the first 50 lines (only those are searched)" in message
    # The builder writes 60 note lines, then the header on line 61.
    assert "pass header_row=61" in message and "CLI" not in message
    assert "pass header_row=61 (CLI --header-row 61)" in info.value.render(flags=flag_for)
    tidy = load_responses(path, header_row=61)  # the hint works
    assert tidy["source_line"].tolist() == [62, 63]


def test_32_no_header_anywhere(tmp_path):
    with pytest.raises(ResponseFileError, match=r"first 50 lines \(only those are searched\): if the "
                                                r"header is further down, pass its line number as "
                                                r"header_row=N") as info:
        load_responses(build(tmp_path, "header_unknown_far_down"))
    assert "header_row=N (CLI --header-row N)" in info.value.render(flags=flag_for)


def test_every_outcome_is_checked():
    # Each case above is asserted by a test named after its number.
    names = {name for name in globals() if name.startswith("test_")}
    for case in CASES:
        assert any(name.startswith(f"test_{case.number}_") for name in names), case


# -- the fast reader agrees with the csv module ------------------------------------------

def _state(grid):
    return {"text": [[str(v) for v in coded.text(grid.text[c])] for c in grid.text.columns],
            "lines": np.asarray(grid.lines, dtype=np.int64).tolist(),
            "encoding": grid.encoding, "notes": list(grid.notes)}


@pytest.mark.parametrize(("name", "delimiter", "encoding"), [
    ("semicolons", None, None), ("semicolons", ";", None), ("tabs_with_commas", None, None),
    ("tabs_with_commas", "\t", None), ("big5", None, None), ("big5", None, "big5"),
    ("traditional_utf8", None, None), ("header_far_down", None, None),
])
def test_fast_reader_agrees(tmp_path, name, delimiter, encoding):
    data = build(tmp_path, name).read_bytes()
    text, used, notes = read.decode_bytes(data, "f.csv", encoding)
    reference = _state(read._read_csv_records(text, "f.csv", used, notes, delimiter))
    fast = read._read_csv_fast(data, "f.csv", encoding, delimiter)
    assert fast is not None  # no quote, one record per line: pyarrow reads these
    assert _state(fast) == reference


@pytest.mark.parametrize("name", ["unclosed_quote", "quote_open_two_columns", "nul_byte",
                                  "utf8_with_gbk_rows", "utf32"])
def test_fast_reader_leaves_errors_to_the_csv_module(tmp_path, name):
    data = build(tmp_path, name).read_bytes()
    with pytest.raises(ResponseFileError):
        if read._read_csv_fast(data, "f.csv", None) is None:
            text, used, notes = read.decode_bytes(data, "f.csv", None)
            read._read_csv_records(text, "f.csv", used, notes)


# ---------------------------------------------------------------------------
# Property (issue 14): the ledger balances with quoted fields over several lines, any of
# the sniffed delimiters and a duplicated header of an unused column
# ---------------------------------------------------------------------------

_COMMENTS = ["", "好", "\"慢,太慢\"", "\"第一行\n第二行\"", "\"说\"\"很好\"\"\"", "\"a\r\nb\nc\""]


@st.composite
def _quoted_sheet(draw):
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    duplicate_note = draw(st.booleans())
    kinds = draw(st.lists(st.sampled_from(["valid", "dont_know", "blank_rating"]), max_size=25))
    header = ["事项编号", "受访者", "满意度", "备注"] + (["备注"] if duplicate_note else [])
    lines, line_of_row, line = [delimiter.join(header)], [], 2
    for i, kind in enumerate(kinds):
        rating = {"valid": draw(st.sampled_from(["满意", "基本满意", "不满意"])),
                  "dont_know": "不了解", "blank_rating": ""}[kind]
        comment = draw(st.sampled_from(_COMMENTS))
        if delimiter != "," and "," in comment:
            comment = comment.replace(",", delimiter)  # a quoted delimiter, whatever it is
        cells = [draw(st.sampled_from(["A", "B"])), f"r{i}", rating, comment] + (["x"] if duplicate_note else [])
        lines.append(delimiter.join(cells))
        line_of_row.append(line)
        # A quoted comment's line breaks move the next record down (\r\n is one break).
        line += 1 + comment.replace("\r\n", "\n").count("\n")
    return kinds, "\n".join(lines) + "\n", line_of_row, duplicate_note


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_quoted_sheet())
def test_ledger_balances_with_quotes_delimiters_and_duplicate_headers(tmp_path, generated):
    kinds, text, line_of_row, duplicate_note = generated
    path = tmp_path / "sheet.csv"
    path.write_bytes(text.encode("utf-8"))
    tidy = load_responses(path)
    report = report_of(tidy)
    # Every data row is read once, whatever its comment holds.
    assert report.rows_read == len(kinds) == report.rows_kept + report.rows_excluded
    assert report.rows_kept == len(tidy) == kinds.count("valid")
    assert tidy["source_line"].tolist() == [n for n, k in zip(line_of_row, kinds) if k == "valid"]
    # (备注 is also a comment column the report names: that note is another one)
    others = [note for note in report.notes if getattr(getattr(note, "message", None), "code", "") != "load.comments.found"]
    assert any("备注" in note for note in others) == duplicate_note
