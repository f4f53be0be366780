"""Tests of the response loader (survey_analysis.load.responses) and label normalization (scales).

Every sheet is written in the test itself (CSV text, Excel, Parquet, DataFrame) into
pytest's tmp_path; every expected number is read off that sheet. CSV line numbers: the
header is line 1, so the k-th data row is line k + 1. Excel: header is sheet row 1, so
the k-th data row is row k + 1. Parquet / DataFrame: the k-th row is position k.
"""

from __future__ import annotations

import copy
import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal, assert_series_equal

import survey_analysis as sa
from survey_analysis import LoadReport, ResponseFileError, load_responses
from survey_analysis.load.options import flag_for
from survey_analysis.load.read import ENCODINGS_TRIED

HEADER = ["事项编号", "受访者", "满意度"]
TIDY_COLUMNS = ["item_id", "respondent_id", "rating", "scale", "rank"]


def csv_text(rows, header=HEADER) -> str:
    """CSV text: header line, then one line per row (a row is a list of cells or a raw str)."""
    lines = [",".join(header)]
    lines += [row if isinstance(row, str) else ",".join(row) for row in rows]
    return "\n".join(lines) + "\n"


def write_csv(path, rows, header=HEADER, encoding="utf-8"):
    path.write_bytes(csv_text(rows, header).encode(encoding))
    return path


def report_of(tidy: pd.DataFrame) -> LoadReport:
    return tidy.attrs["load_report"]


def lines_by_reason(report: LoadReport) -> dict:
    ex = report.exclusions
    return {reason: group["source_line"].tolist() for reason, group in ex.groupby("reason")}


def sheet(ratings) -> pd.DataFrame:
    """One item 'A', respondents '1'..'n' (as text), the given ratings."""
    return pd.DataFrame({"事项编号": ["A"] * len(ratings),
                         "受访者": [str(i) for i in range(1, len(ratings) + 1)],
                         "满意度": list(ratings)})


# ---------------------------------------------------------------------------
# One long-format sheet in every format
# ---------------------------------------------------------------------------

# data row k (1-based) -> CSV line k+1
ROWS = [
    ["A", "1", "满意"],        # row 1: kept
    ["A", "2", "基本满意"],     # row 2: kept
    ["A", "3", "不了解"],       # row 3: dont_know
    ["", "", ""],              # row 4: blank_row
    ["B", "1", "不满意"],       # row 5: kept
    ["B", "2", ""],            # row 6: missing_rating
    ["B", "3", "满意　"],       # row 7: kept (trailing ideographic space)
]
KEPT_ROWS = [1, 2, 5, 7]
EXPECTED_TIDY = pd.DataFrame({
    "item_id": pd.array(["A", "A", "B", "B"], dtype="string"),
    "respondent_id": pd.array(["1", "2", "1", "3"], dtype="string"),
    "rating": pd.array(["满意", "基本满意", "不满意", "满意"], dtype="string"),
    "scale": pd.array(["cn3"] * 4, dtype="string"),
    "rank": np.array([1, 2, 3, 1], dtype="int8"),
})


def rows_frame() -> pd.DataFrame:
    return pd.DataFrame(ROWS, columns=HEADER)


@pytest.fixture
def csv_files(tmp_path):
    return {enc: write_csv(tmp_path / f"answers_{enc}.csv", ROWS, encoding=enc)
            for enc in ("utf-8", "utf-8-sig", "gb18030")}


def test_csv_encodings_load_identically(csv_files):
    gb_bytes = csv_files["gb18030"].read_bytes()
    with pytest.raises(UnicodeDecodeError):  # so GB18030 really has to be detected
        gb_bytes.decode("utf-8")
    assert csv_files["utf-8-sig"].read_bytes().startswith(b"\xef\xbb\xbf")

    loaded = {enc: load_responses(path) for enc, path in csv_files.items()}
    expected = EXPECTED_TIDY.assign(source_line=np.array([k + 1 for k in KEPT_ROWS], dtype="int64"))
    for enc, tidy in loaded.items():
        assert_frame_equal(tidy, expected)
        report = report_of(tidy)
        assert report.encoding == enc
        assert report.file_format == "csv"
        assert report.source == str(csv_files[enc])
        assert report.scale == "cn3"
        assert (report.rows_read, report.rows_kept, report.rows_excluded) == (7, 4, 3)
        # rows 3, 4, 6 -> lines 4, 5, 7
        assert lines_by_reason(report) == {"dont_know": [4], "blank_row": [5], "missing_rating": [7]}
    assert_frame_equal(loaded["utf-8"], loaded["utf-8-sig"])
    assert_frame_equal(loaded["utf-8"], loaded["gb18030"])


def test_excel_parquet_dataframe_match_csv(tmp_path, csv_files):
    from_csv = load_responses(csv_files["utf-8"])
    frame = rows_frame()
    xlsx = tmp_path / "answers.xlsx"
    frame.to_excel(xlsx, index=False)
    parquet = tmp_path / "answers.parquet"
    frame.to_parquet(parquet, engine="pyarrow")

    from_excel = load_responses(xlsx)
    from_parquet = load_responses(parquet)
    from_frame = load_responses(frame)

    for tidy in (from_csv, from_excel, from_parquet, from_frame):
        assert_frame_equal(tidy[TIDY_COLUMNS], EXPECTED_TIDY)
    # Line numbers differ by format (see the module docstring).
    assert from_csv["source_line"].tolist() == [2, 3, 6, 8]
    assert from_excel["source_line"].tolist() == [2, 3, 6, 8]
    assert from_parquet["source_line"].tolist() == KEPT_ROWS
    assert from_frame["source_line"].tolist() == KEPT_ROWS
    assert lines_by_reason(report_of(from_excel)) == {"dont_know": [4], "blank_row": [5],
                                                      "missing_rating": [7]}
    assert lines_by_reason(report_of(from_parquet)) == {"dont_know": [3], "blank_row": [4],
                                                        "missing_rating": [6]}
    formats = [report_of(t).file_format for t in (from_excel, from_parquet, from_frame)]
    assert formats == ["excel", "parquet", "dataframe"]
    assert [report_of(t).encoding for t in (from_excel, from_parquet, from_frame)] == [None] * 3
    assert report_of(from_frame).source == "<DataFrame>"


def test_excel_sheet_by_name(tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        sheet(["满意"]).to_excel(writer, sheet_name="其他", index=False)
        sheet(["不满意", "基本满意"]).to_excel(writer, sheet_name="答卷", index=False)
    tidy = load_responses(path, sheet="答卷")
    assert tidy["rating"].tolist() == ["不满意", "基本满意"]
    assert tidy["source_line"].tolist() == [2, 3]


def test_numeric_ids_with_gaps_match_across_formats(tmp_path):
    # pandas stores an integer column with a gap as float (1.0, NaN, 2.0); the ids must
    # still read as '1', '2' as they do from CSV, not '1.0', '2.0'.
    frame = pd.DataFrame({"事项编号": ["A", None, "A"], "受访者": [1, None, 2],
                          "满意度": [5, None, 4]})
    assert frame["受访者"].dtype == float
    parquet = tmp_path / "ids.parquet"
    frame.to_parquet(parquet)
    csv = write_csv(tmp_path / "ids.csv", [["A", "1", "5"], ["", "", ""], ["A", "2", "4"]])
    for tidy in (load_responses(frame, scale="points5"), load_responses(parquet, scale="points5"),
                 load_responses(csv, scale="points5")):
        assert tidy["respondent_id"].tolist() == ["1", "2"]
        assert tidy["rating"].tolist() == ["5", "4"]  # points5: 5 -> rank 1, 4 -> rank 2
        assert report_of(tidy).excluded_by_reason().to_dict() == {"blank_row": 1}


def test_quoted_field_spanning_lines_keeps_line_numbers(tmp_path):
    path = tmp_path / "comments.csv"
    path.write_text(
        "事项编号,受访者,满意度,意见\n"   # line 1
        'A,1,满意,"路灯\n还不够亮"\n'     # lines 2-3: one record
        "A,2,不了解,\n"                   # line 4
        "A,3,,\n",                        # line 5
        encoding="utf-8")
    tidy = load_responses(path)
    assert tidy["source_line"].tolist() == [2]
    assert lines_by_reason(report_of(tidy)) == {"dont_know": [4], "missing_rating": [5]}


def test_header_only_and_empty_csv(tmp_path):
    header_only = write_csv(tmp_path / "header.csv", [])
    tidy = load_responses(header_only)
    assert len(tidy) == 0
    assert list(tidy.columns) == TIDY_COLUMNS + ["source_line"]
    report = report_of(tidy)
    assert (report.rows_read, report.rows_kept, report.rows_excluded, report.scale) == (0, 0, 0, None)

    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ResponseFileError, match=r"empty\.csv.*not a readable CSV"):
        load_responses(empty)


def test_nonexistent_path(tmp_path):
    missing = tmp_path / "no_such_file.csv"
    with pytest.raises(FileNotFoundError, match="no_such_file.csv"):
        load_responses(missing)


# ---------------------------------------------------------------------------
# Encodings
# ---------------------------------------------------------------------------

def test_undecodable_bytes_name_file_and_encodings(tmp_path):
    path = tmp_path / "broken.csv"
    # 0xFF is not a valid byte in UTF-8, nor a GB18030 lead byte.
    path.write_bytes(csv_text([["A", "1", "满意"]]).encode("utf-8") + b"A,2,\xff\xff\n")
    with pytest.raises(ResponseFileError, match=r"broken\.csv.*tried utf-8, gb18030") as info:
        load_responses(path)
    assert info.value.source == str(path)
    assert "encoding=" in str(info.value)


def test_undecodable_bytes_after_bom(tmp_path):
    path = tmp_path / "bom_broken.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text([["A", "1", "满意"]]).encode() + b"\xff\n")
    with pytest.raises(ResponseFileError, match=r"bom_broken\.csv.*tried utf-8-sig"):
        load_responses(path)
    assert ENCODINGS_TRIED == ("utf-8-sig", "utf-8", "gb18030")


def test_explicit_encoding_is_used_and_recorded(tmp_path):
    path = write_csv(tmp_path / "gbk.csv", [["A", "1", "基本满意"]], encoding="gbk")
    tidy = load_responses(path, encoding="gbk")
    assert tidy["rating"].tolist() == ["基本满意"]
    assert report_of(tidy).encoding == "gbk"
    assert "encoding gbk" in str(report_of(tidy))

    with pytest.raises(ResponseFileError, match=r"gbk\.csv.*cannot decode with encoding 'utf-8'"):
        load_responses(path, encoding="utf-8")
    with pytest.raises(ResponseFileError, match="cannot decode with encoding 'no-such-codec'"):
        load_responses(path, encoding="no-such-codec")


# ---------------------------------------------------------------------------
# Labels and scales
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("labels, given, ratings, scale, ranks", [
    pytest.param(["满意", "基本满意", "不满意"], "auto", ["满意", "基本满意", "不满意"], "cn3", [1, 2, 3],
                 id="three-level"),
    pytest.param(["非常满意", "满意", "一般", "不满意", "非常不满意", "很满意", "很不满意"], "auto",
                 ["非常满意", "满意", "一般", "不满意", "非常不满意", "非常满意", "非常不满意"], "cn5",
                 [1, 2, 3, 4, 5, 1, 5], id="five-level"),
    pytest.param(["非常满意", "满意", "基本满意", "不满意", "非常不满意", "十分满意"], "auto",
                 ["非常满意", "满意", "基本满意", "不满意", "非常不满意", "非常满意"], "haochaping5",
                 [1, 2, 3, 4, 5, 1], id="haochaping-five"),
    pytest.param(["非常满意", "比较满意", "一般", "不太满意", "非常不满意", "较满意"], "auto",
                 ["非常满意", "比较满意", "一般", "不太满意", "非常不满意", "比较满意"], "likert5",
                 [1, 2, 3, 4, 5, 2], id="likert-five"),
    pytest.param(["很满意", "基本满意", "不满意", "很不满意"], "auto",
                 ["很满意", "基本满意", "不满意", "很不满意"], "cn4", [1, 2, 3, 4], id="four-level"),
    pytest.param(["5", "4", "3", "2", "1", "５", "5.0", "5分"], "points5",
                 ["5", "4", "3", "2", "1", "5", "5", "5"], "points5",
                 [1, 2, 3, 4, 5, 1, 1, 1], id="numeric-5-best-declared"),
    pytest.param(["1", "2", "3", "4", "5", "Very good"], "fft",
                 ["Very good", "Good", "Neither good nor poor", "Poor", "Very poor", "Very good"],
                 "fft", [1, 2, 3, 4, 5, 1], id="fft-codes-1-best"),
    pytest.param(["Very satisfied", "satisfied", "neutral", "Dissatisfied", "VERY  DISSATISFIED"],
                 "auto", ["非常满意", "满意", "一般", "不满意", "非常不满意"], "cn5", [1, 2, 3, 4, 5],
                 id="english-five"),
    pytest.param(["Satisfied", "basically satisfied", "dissatisfied"], "auto",
                 ["满意", "基本满意", "不满意"], "cn3", [1, 2, 3], id="english-three"),
    pytest.param(["Very good", "Fairly good", "Neither good nor poor", "Fairly poor", "Very poor"],
                 "auto", ["Very good", "Fairly good", "Neither good nor poor", "Fairly poor",
                          "Very poor"], "good5_en", [1, 2, 3, 4, 5], id="gp-survey-good"),
    pytest.param(["是", "否", "Yes", "ＮＯ"], "auto", ["是", "否", "是", "否"], "yes_no", [1, 2, 1, 2],
                 id="yes-no"),
    pytest.param(["满意　", "基本 满意", "　不满意", "基　本 满 意", "ｓａｔｉｓｆｉｅｄ"], "auto",
                 ["满意", "基本满意", "不满意", "基本满意", "满意"], "cn3", [1, 2, 3, 2, 1],
                 id="full-width-and-stray-spaces"),
    pytest.param(["５", "　１", "３ "], "points5", ["5", "1", "3"], "points5", [1, 5, 3],
                 id="full-width-digits"),
])
def test_labels_normalized(labels, given, ratings, scale, ranks):
    tidy = load_responses(sheet(labels), scale=given)
    assert tidy["rating"].tolist() == ratings
    assert tidy["scale"].tolist() == [scale] * len(labels)
    assert tidy["rank"].tolist() == ranks
    assert report_of(tidy).scale == scale
    assert set(tidy.attrs["scales"]) == {scale}
    assert tidy["rating"].dtype == "string"
    assert tidy["scale"].dtype == "string" and tidy["rank"].dtype == np.int8


def test_numbers_without_a_scale_are_an_error_naming_the_presets():
    # 5 = best (points) or 1 = best (FFT): the numbers alone cannot say which.
    with pytest.raises(ResponseFileError, match=r"numbers have no direction") as info:
        load_responses(sheet(["5", "4", "1"]))
    message = str(info.value)
    # The library names keywords; the command line adds the flags (tests/test_cli.py).
    assert "scale='points5'" in message and "scale='fft'" in message and "--scale" not in message
    assert info.value.render("en", flags=flag_for).count("(CLI --scale") == 3
    assert "sa.Scale(" in message
    assert info.value.line == 1
    # The same codes give opposite rates on the two scales (satisfied = top two levels):
    points = load_responses(sheet(["5", "4", "1"]), scale="points5")
    fft = load_responses(sheet(["5", "4", "1"]), scale="fft")
    assert points["rank"].tolist() == [1, 2, 5] and fft["rank"].tolist() == [5, 4, 1]


def test_spoken_variants_are_declared_with_labels():
    # 很满意 / 非常满意 / 比较满意 / 不太满意 used as spoken variants of the 3-level scale:
    # no preset covers them together, so the error asks what they mean ...
    spoken = ["很满意", "非常满意", "满意", "比较满意", "基本满意", "不太满意", "不满意"]
    with pytest.raises(ResponseFileError, match="no preset scale covers") as info:
        load_responses(sheet(spoken))
    assert "labels={" in str(info.value) and "--label" not in str(info.value)
    assert "(CLI --label LABEL=LEVEL)" in info.value.render(flags=flag_for)
    # ... and labels= says it: 7 answers, 5 satisfied (满意 + 基本满意 after the mapping).
    meaning = {"很满意": "满意", "非常满意": "满意", "比较满意": "基本满意", "不太满意": "不满意"}
    tidy = load_responses(sheet(spoken), labels=meaning)
    assert tidy["rating"].tolist() == ["满意", "满意", "满意", "基本满意", "基本满意", "不满意", "不满意"]
    assert report_of(tidy).scale == "cn3"
    # A label can also be declared a non-answer.
    tidy = load_responses(sheet(["满意", "无所谓"]), labels={"无所谓": "dont_know"})
    assert report_of(tidy).excluded_by_reason().to_dict() == {"dont_know": 1}


def test_labels_must_name_levels_of_the_scale():
    with pytest.raises(ResponseFileError, match=r"labels= maps \{'好': '很好'\}"):
        load_responses(sheet(["满意", "好"]), labels={"好": "很好"}, scale="cn3")


def test_auto_notes_a_preset_that_would_count_differently():
    # 满意 / 不满意 only: cn3, haochaping5 and cn5 fit and agree (满意 satisfied): no note.
    report = report_of(load_responses(sheet(["满意", "不满意"])))
    assert report.scale == "cn3" and "cn3 comes first" in report.scale_how
    assert not any("would be" in note for note in report.notes)


def test_forced_scale_reads_labels_on_that_scale():
    # The same words on two scales: 满意 is the top of cn3 and the second level of cn5.
    three = load_responses(sheet(["满意", "不满意"]), scale="cn3")
    assert three["rank"].tolist() == [1, 3]
    five = load_responses(sheet(["满意", "不满意"]), scale="cn5")
    assert five["rank"].tolist() == [2, 4]
    assert report_of(five).scale == "cn5" and report_of(five).scale_how == "given (scale=)"
    with pytest.raises(ValueError, match="unknown scale 'cn9'; presets: yes_no, cn3"):
        load_responses(sheet(["满意"]), scale="cn9")


def test_dont_know_excluded_with_lines(tmp_path):
    rows = [
        ["A", "1", "满意"],     # line 2: kept
        ["A", "2", "不了解"],   # line 3: dont_know
        ["A", "3", "说不清"],   # line 4: dont_know
        ["B", "1", "基本满意"],  # line 5: kept
        ["B", "2", "不清楚"],   # line 6: dont_know
        ["B", "3", "不 知道"],  # line 7: dont_know (stray space)
        ["C", "1", ""],        # line 8: missing_rating
        ["", "", ""],          # line 9: blank_row (written as ",,")
        "",                    # line 10: blank_row (an empty line)
        ["C", "2", "不满意"],   # line 11: kept
    ]
    tidy = load_responses(write_csv(tmp_path / "dk.csv", rows))
    report = report_of(tidy)
    assert tidy["source_line"].tolist() == [2, 5, 11]
    assert lines_by_reason(report) == {"dont_know": [3, 4, 6, 7], "missing_rating": [8],
                                       "blank_row": [9, 10]}
    assert report.excluded_by_reason().to_dict() == {"blank_row": 2, "dont_know": 4,
                                                      "missing_rating": 1}
    assert report.rows_read == 10 == report.rows_kept + report.rows_excluded
    assert (report.rows_kept, report.rows_excluded) == (3, 7)
    dk = report.exclusions[report.exclusions["reason"] == "dont_know"]
    assert dk["value"].tolist() == ["不了解", "说不清", "不清楚", "不 知道"]  # as written
    assert set(dk["column"]) == {"满意度"}


def test_english_dont_know():
    tidy = load_responses(sheet(["satisfied", "Don’t know", "not sure", "dissatisfied"]))
    assert tidy["rating"].tolist() == ["满意", "不满意"]
    assert report_of(tidy).excluded_by_reason().to_dict() == {"dont_know": 2}


def test_only_dont_know_answers():
    tidy = load_responses(sheet(["不了解", "说不清"]))
    report = report_of(tidy)
    assert len(tidy) == 0 and report.scale is None
    assert (report.rows_read, report.rows_kept, report.rows_excluded) == (2, 0, 2)
    assert tidy["rank"].dtype == np.int8
    assert "scale: none (no substantive answer)" in str(report)


def test_unknown_labels_error_lists_labels_counts_lines(tmp_path):
    rows = [
        ["A", "1", "满意"],   # line 2
        ["A", "2", "好"],     # line 3: unknown
        ["A", "3", "差"],     # line 4: unknown
        ["A", "4", "好"],     # line 5: unknown
        ["A", "5", "不了解"],  # line 6: dont_know (not unknown)
        ["A", "6", "好"],     # line 7: unknown
    ]
    path = write_csv(tmp_path / "unknown.csv", rows)
    with pytest.raises(ResponseFileError, match=r"no preset scale covers the answers") as info:
        load_responses(path)
    message = str(info.value)
    assert "'好' x3 (lines 3, 5, 7)" in message
    assert "'差' x1 (lines 4)" in message
    assert "labels={" in message and "--label" not in message
    # On a given scale the same labels are unknown labels of that scale.
    with pytest.raises(ResponseFileError, match=r"labels that are no level of scale cn3") as info:
        load_responses(path, scale="cn3")
    assert "unknown_labels='exclude' to exclude" in str(info.value)
    assert "unknown_labels='exclude' (CLI --unknown-labels exclude)" in info.value.render(flags=flag_for)
    assert str(path) in message
    assert info.value.line == 3  # first unknown label
    assert info.value.column == "满意度"

    tidy = load_responses(path, unknown_labels="exclude")
    report = report_of(tidy)
    assert tidy["source_line"].tolist() == [2]
    assert lines_by_reason(report) == {"unknown_label": [3, 4, 5, 7], "dont_know": [6]}
    assert report.excluded_by_reason().to_dict() == {"dont_know": 1, "unknown_label": 4}
    assert report.rows_read == 6 == report.rows_kept + report.rows_excluded


def test_unknown_label_lines_are_truncated_after_five():
    # '好' on rows 1..7 -> positions 1..7; only the first five are listed.
    with pytest.raises(ResponseFileError, match=r"'好' x7 \(lines 1, 2, 3, 4, 5 \.\.\.\)"):
        load_responses(sheet(["好"] * 7 + ["满意"]))


def test_unknown_label_column_is_header_as_written(tmp_path):
    path = write_csv(tmp_path / "english.csv", [["A", "1", "great"]],
                     header=["Item", "Respondent", " Rating "])
    with pytest.raises(ResponseFileError, match="'great' x1") as info:
        load_responses(path, scale="cn3")
    assert info.value.column == " Rating "
    assert info.value.line == 2


def test_national_five_levels_are_one_scale_not_a_mix():
    # 基本满意 with 非常满意 and 满意: the 好差评 scale, whose convention counts the top three.
    tidy = load_responses(sheet(["基本满意", "非常满意", "满意", "不满意"]))
    assert report_of(tidy).scale == "haochaping5"
    assert tidy["rank"].tolist() == [3, 1, 2, 4]
    # yes/no with a rating label: no preset covers both.
    with pytest.raises(ResponseFileError, match="no preset scale covers") as info:
        load_responses(sheet(["是", "满意"]))
    assert info.value.column == "满意度"


def test_forced_scale_five_rejects_basic_satisfied():
    # 基本满意 has no level on the cn5 scale; rows 2 and 4 hold it.
    labels = ["非常满意", "基本满意", "满意", "基本满意"]
    with pytest.raises(ResponseFileError, match=r"'基本满意' x2 \(lines 2, 4\)") as info:
        load_responses(sheet(labels), scale="cn5")
    assert info.value.line == 2
    tidy = load_responses(sheet(labels), scale="cn5", unknown_labels="exclude")
    assert tidy["rating"].tolist() == ["非常满意", "满意"]
    assert report_of(tidy).excluded_by_reason().to_dict() == {"unknown_label": 2}
    # Excluding half the answers is loud.
    assert report_of(tidy).warnings == (
        "unknown_label excludes 2 of 4 answers (50.0%): check that this is what you meant",)
    assert str(report_of(tidy)).startswith("WARNING: unknown_label excludes 2 of 4 answers")


def test_forced_scale_three_rejects_five_level_labels():
    with pytest.raises(ResponseFileError, match=r"'非常满意' x1 \(lines 1\)"):
        load_responses(sheet(["非常满意", "满意"]), scale="cn3")


# ---------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("header", [
    ["事项编号", "受访者", "满意度", "权重"],
    ["事项编号", "受访者", "评价", "权重"],
    ["item", "respondent", "rating", "weight"],
    ["Item", "Respondent", "Rating", "WEIGHT"],
    ["item_id", "respondent_id", "satisfaction", "weight"],
])
def test_headers_recognized(tmp_path, header):
    path = write_csv(tmp_path / "h.csv", [["A", "7", "满意", "2"]], header=header)
    tidy = load_responses(path)
    assert tidy[["item_id", "respondent_id", "rating"]].iloc[0].tolist() == ["A", "7", "满意"]
    assert tidy["weight"].tolist() == [2.0]
    assert report_of(tidy).columns == dict(zip(["item_id", "respondent_id", "rating", "weight"],
                                               header))


def test_columns_mapping_overrides(tmp_path):
    header = ["编号", "答卷人", "结果", "满意度"]  # '满意度' is an alias, but we map 结果
    path = write_csv(tmp_path / "m.csv", [["A", "1", "不满意", "满意"]], header=header)
    tidy = load_responses(path, columns={"item_id": "编号", "respondent_id": "答卷人",
                                         "rating": "结果"})
    assert tidy["rating"].tolist() == ["不满意"]
    assert tidy["respondent_id"].tolist() == ["1"]
    assert report_of(tidy).columns == {"item_id": "编号", "respondent_id": "答卷人", "rating": "结果"}


def test_missing_required_column_lists_columns_found(tmp_path):
    path = write_csv(tmp_path / "norating.csv", [["A", "1", "满意"]],
                     header=["事项编号", "受访者", "打分"])
    with pytest.raises(ResponseFileError,
                       match=r"norating\.csv.*\['rating'\] not found; "
                             r"columns found: \['事项编号', '受访者', '打分'\]"):
        load_responses(path)
    tidy = load_responses(path, columns={"rating": "打分"})
    assert tidy["rating"].tolist() == ["满意"]


def test_columns_naming_missing_header(tmp_path):
    path = write_csv(tmp_path / "c.csv", [["A", "1", "满意"]])
    with pytest.raises(ResponseFileError, match=r"maps 'rating' to '分数', which is not a column; "
                                                r"columns found: \['事项编号', '受访者', '满意度'\]") as info:
        load_responses(path, columns={"rating": "分数"})
    assert info.value.column == "分数"
    with pytest.raises(ValueError, match=r"unknown canonical column 'score'; allowed: 'item_id'"):
        load_responses(path, columns={"score": "满意度"})


def test_missing_respondent_column_generates_ids(tmp_path):
    rows = [["A", "满意"], ["A", "不了解"], ["B", "基本满意"]]  # lines 2, 3, 4
    path = write_csv(tmp_path / "norespondent.csv", rows, header=["事项编号", "评价"])
    tidy = load_responses(path)
    assert tidy["respondent_id"].tolist() == ["L2", "L4"]
    report = report_of(tidy)
    assert any("no respondent column" in note for note in report.notes)
    assert "note: no respondent column" in str(report)
    assert "respondent_id" not in report.columns


def test_empty_item_id(tmp_path):
    rows = [["A", "1", "满意"], ["", "2", "满意"], ["", "3", "不满意"]]  # blank ids on lines 3, 4
    path = write_csv(tmp_path / "noitem.csv", rows)
    with pytest.raises(ResponseFileError, match=r"line 3, column '事项编号': empty item id on 2 "
                                                r"row\(s\) \(lines 3, 4\)") as info:
        load_responses(path)
    assert (info.value.line, info.value.column) == (3, "事项编号")


def test_empty_respondent_id(tmp_path):
    path = write_csv(tmp_path / "norsp.csv", [["A", "1", "满意"], ["A", "", "满意"]])
    with pytest.raises(ResponseFileError, match=r"empty respondent id on 1 row\(s\) \(lines 3\)"):
        load_responses(path)


# ---------------------------------------------------------------------------
# Duplicates
# ---------------------------------------------------------------------------

DUP_ROWS = [
    ["A", "1", "满意"],     # line 2
    ["A", "2", "不满意"],   # line 3
    ["A", "1", "不满意"],   # line 4: repeats line 2
    ["B", "1", "基本满意"],  # line 5: another item, not a duplicate
]


def test_duplicates_error_names_lines(tmp_path):
    path = write_csv(tmp_path / "dup.csv", DUP_ROWS)
    with pytest.raises(ResponseFileError,
                       match=r"1 duplicate respondent x item row\(s\) \(lines 4; "
                             r"all rows involved: lines 2, 4\)") as info:
        load_responses(path)
    assert (info.value.line, info.value.column) == (4, "受访者")


def test_duplicates_keep_first(tmp_path):
    path = write_csv(tmp_path / "dup.csv", DUP_ROWS)
    tidy = load_responses(path, duplicates="keep_first")
    assert tidy["source_line"].tolist() == [2, 3, 5]
    assert tidy.loc[0, "rating"] == "满意"  # the answer on line 2, not line 4
    report = report_of(tidy)
    assert lines_by_reason(report) == {"duplicate": [4]}
    assert report.excluded_by_reason().to_dict() == {"duplicate": 1}
    assert report.rows_read == 4 == report.rows_kept + report.rows_excluded


# ---------------------------------------------------------------------------
# Weights
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("header", [["事项编号", "受访者", "满意度", "权重"],
                                    ["item", "respondent", "rating", "weight"]])
@pytest.mark.parametrize("bad", ["", "abc", "-1.5", "inf", "nan"])
def test_bad_weight(tmp_path, header, bad):
    rows = [["A", "1", "满意", "1"], ["A", "2", "满意", bad]]  # bad weight on line 3
    path = write_csv(tmp_path / "w.csv", rows, header=header)
    with pytest.raises(ResponseFileError, match=r"weights must be numbers >= 0; 1 row\(s\)") as info:
        load_responses(path)
    assert (info.value.line, info.value.column) == (3, header[3])
    assert f"first value {bad!r}" in str(info.value)


def test_zero_weight_is_kept_in_the_design(tmp_path):
    rows = [["A", "1", "满意", "1"], ["A", "2", "满意", "0"], ["B", "3", "不满意", "2"]]
    path = write_csv(tmp_path / "w.csv", rows, header=["item", "respondent", "rating", "weight"])
    tidy = load_responses(path)
    assert tidy["weight"].tolist() == [1.0, 0.0, 2.0]
    assert tidy.attrs["load_report"].rows_kept == 3
    # Kish over the positive weights (1, 2): (1 + 2)^2 / (1 + 4) = 1.8; deff 2 * 5 / 9
    pooled = sa.Survey(tidy).overall().pooled
    assert pooled.kish_n_effective == pytest.approx(1.8)
    assert pooled.kish_design_effect == pytest.approx(10 / 9)


def test_valid_weights():
    frame = sheet(["满意", "不满意", "不了解"]).assign(权重=["1", "2.5", ""])
    tidy = load_responses(frame)  # the blank weight belongs to the excluded 不了解 row
    assert tidy["weight"].dtype == np.float64
    assert tidy["weight"].tolist() == [1.0, 2.5]
    assert "weight" not in load_responses(sheet(["满意"])).columns


# ---------------------------------------------------------------------------
# Options
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("option, value, allowed", [
    ("unknown_labels", "x", r"'error', 'exclude'"),
    ("duplicates", "x", r"'error', 'keep_first'"),
])
def test_bad_options(option, value, allowed):
    with pytest.raises(ValueError, match=rf"unknown {option} {value!r}; allowed: {allowed}"):
        load_responses(sheet(["满意"]), **{option: value})
    with pytest.raises(ValueError, match=r"scale must be 'auto', a preset name"):
        load_responses(sheet(["满意"]), scale=4.5)


# ---------------------------------------------------------------------------
# LoadReport
# ---------------------------------------------------------------------------

@pytest.fixture
def loaded(csv_files):
    return load_responses(csv_files["utf-8"])


def test_report_str_and_frame(loaded):
    report = report_of(loaded)
    text = str(report)
    assert "csv, encoding utf-8" in text and "scale: cn3: 满意 / 基本满意 / 不满意" in text
    # ROWS: 7 read, 4 kept, one each of blank_row (line 5), dont_know (4), missing_rating (7)
    for category, rows, where in [("read", 7, ""), ("kept", 4, ""),
                                  ("excluded: blank_row", 1, "lines 5"),
                                  ("excluded: dont_know", 1, "lines 4"),
                                  ("excluded: missing_rating", 1, "lines 7")]:
        assert any(line.split()[:len(category.split()) + 1] == category.split() + [str(rows)]
                   and line.endswith(where) for line in text.splitlines()), (category, text)

    frame = report.to_frame()
    assert list(frame.columns) == ["category", "rows", "source_lines"]
    assert frame["category"].tolist() == ["read", "kept", "excluded: blank_row",
                                          "excluded: dont_know", "excluded: missing_rating"]
    assert frame["rows"].tolist() == [7, 4, 1, 1, 1]
    assert frame["source_lines"].tolist() == ["", "", "5", "4", "7"]
    assert_series_equal(report.excluded_by_reason(),
                        pd.Series({"blank_row": 1, "dont_know": 1, "missing_rating": 1},
                                  name="rows"), check_index_type=False, check_names=False)
    assert report.excluded_by_reason().name == "rows"
    assert list(report.exclusions.columns) == ["source_line", "reason", "column", "value"]


def test_report_source_lines_truncated_after_ten():
    report = report_of(load_responses(sheet(["不了解"] * 12)))  # positions 1..12
    row = report.to_frame().set_index("category").loc["excluded: dont_know"]
    assert row["rows"] == 12
    assert row["source_lines"] == "1, 2, 3, 4, 5, 6, 7, 8, 9, 10 ..."


def test_report_survives_copies_and_operations(loaded):
    report = report_of(loaded)
    assert copy.deepcopy(report) is report
    assert report_of(copy.deepcopy(loaded)) is report
    assert report_of(loaded.copy()) is report
    assert report_of(loaded.copy(deep=True)) is report
    assert report_of(loaded[loaded["item_id"] == "A"]) is report
    assert report_of(loaded.assign(x=1)) is report
    assert report_of(pd.concat([loaded, loaded])) is report
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.rows_kept = 0


def test_concat_of_two_loads_does_not_crash(csv_files):
    # pandas compares attrs when concatenating. Two reports equal in every scalar field
    # (same file loaded twice; two DataFrames of the same size) used to be compared down
    # to their exclusions DataFrames and raise "truth value of a DataFrame is ambiguous".
    first = load_responses(csv_files["utf-8"])
    second = load_responses(csv_files["utf-8"])
    both = pd.concat([first, second], ignore_index=True)
    assert len(both) == 8  # 4 kept rows from each load
    assert "load_report" not in both.attrs  # two different loads: no single report
    assert report_of(first) != report_of(second) and report_of(first) == report_of(first)

    frames = [load_responses(sheet(["满意", "不了解"])), load_responses(sheet(["不满意", "说不清"]))]
    assert pd.concat(frames)["rating"].tolist() == ["满意", "不满意"]


def test_report_ledger_must_balance():
    exclusions = pd.DataFrame({"source_line": [2], "reason": ["dont_know"], "column": ["满意度"],
                               "value": ["不了解"]})
    with pytest.raises(RuntimeError, match="does not balance.*read 3, kept 1, excluded 1"):
        LoadReport(source="x.csv", file_format="csv", encoding="utf-8", scale="cn3", rows_read=3,
                   rows_kept=1, exclusions=exclusions)


# ---------------------------------------------------------------------------
# Property: the ledger balances on random sheets
# ---------------------------------------------------------------------------

LABEL_FAMILIES = {  # family -> (scale to pass, labels)
    3: ("auto", ["满意", "基本满意", "不满意", "基本 满意", "满意　"]),
    5: ("auto", ["非常满意", "满意", "一般", "不满意", "非常不满意", "很满意", "很不满意"]),
    "haochaping": ("auto", ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]),
    "numeric": ("points5", ["1", "2", "3", "4", "5", "５"]),
    2: ("auto", ["是", "否", "yes", "no"]),
}
DONT_KNOW = ["不了解", "说不清", "不清楚", "不知道", "不 了解"]
BLANK_RATINGS = ["", " ", "　"]
BLANK_ROWS = [",,", "", " , , "]


@st.composite
def random_sheet(draw):
    family = draw(st.sampled_from(sorted(LABEL_FAMILIES, key=str)))
    kinds = st.sampled_from(["valid", "dont_know", "blank_rating", "blank_row"])
    rows = draw(st.lists(kinds, min_size=0, max_size=40))
    scale, family_labels = LABEL_FAMILIES[family]
    lines = []
    for i, kind in enumerate(rows):
        item = draw(st.sampled_from(["A", "B", "C"]))
        if kind == "valid":
            lines.append(f"{item},r{i},{draw(st.sampled_from(family_labels))}")
        elif kind == "dont_know":
            lines.append(f"{item},r{i},{draw(st.sampled_from(DONT_KNOW))}")
        elif kind == "blank_rating":
            lines.append(f"{item},r{i},{draw(st.sampled_from(BLANK_RATINGS))}")
        else:
            lines.append(draw(st.sampled_from(BLANK_ROWS)))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    return rows, lines, encoding, scale


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_sheet())
def test_ledger_balances_on_random_sheets(tmp_path_factory, generated):
    rows, lines, encoding, scale = generated
    path = tmp_path_factory.mktemp("prop") / "sheet.csv"
    path.write_bytes(csv_text(lines).encode(encoding))

    tidy = load_responses(path, scale=scale)
    report = report_of(tidy)
    assert report.rows_read == len(rows)
    assert report.rows_read == report.rows_kept + report.rows_excluded
    assert report.rows_kept == len(tidy) == rows.count("valid")
    expected_counts = {reason: rows.count(kind) for kind, reason in
                       [("dont_know", "dont_know"), ("blank_rating", "missing_rating"),
                        ("blank_row", "blank_row")] if rows.count(kind)}
    assert report.excluded_by_reason().to_dict() == expected_counts
    # data row i (0-based) is on line i + 2
    valid_lines = [i + 2 for i, kind in enumerate(rows) if kind == "valid"]
    assert tidy["source_line"].tolist() == valid_lines
    assert report.encoding == encoding


# ---------------------------------------------------------------------------
# Encodings: explicit override and byte-order marks
# ---------------------------------------------------------------------------

def test_explicit_utf8_strips_bom(tmp_path):
    # Known bug fixed: with encoding="utf-8" the BOM character stayed in the first header,
    # so 事项编号 was not recognized.
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text([["A", "1", "满意"]]).encode("utf-8"))
    tidy = load_responses(path, encoding="utf-8")
    report = report_of(tidy)
    assert report.columns["item_id"] == "事项编号"
    assert report.encoding == "utf-8"
    assert any("byte-order mark" in note for note in report.notes)


def test_utf16_without_bom_is_not_read_as_utf8(tmp_path):
    # ASCII text in UTF-16 LE decodes as "valid" UTF-8 full of NUL characters.
    path = tmp_path / "u16.csv"
    path.write_bytes("item,rating\nA,satisfied\n".encode("utf-16-le"))
    with pytest.raises(ResponseFileError, match=r"tried utf-8, gb18030; it contains NUL bytes"):
        load_responses(path)
    assert load_responses(path, encoding="utf-16-le")["rating"].tolist() == ["满意"]


def test_tab_separated_csv(tmp_path):
    path = tmp_path / "tabs.txt"
    path.write_text("事项编号\t受访者\t满意度\nA\t1\t满意\n", encoding="utf-8")
    assert load_responses(path)["rating"].tolist() == ["满意"]
    # A comma anywhere keeps the comma: a comment with a tab is not a separator.
    path.write_text('事项编号,受访者,满意度,意见\nA,1,满意,"a\tb"\n', encoding="utf-8")
    # The only note is the comment column found (意见), none about the delimiter.
    assert [n.message.code for n in report_of(load_responses(path)).notes] == ["load.comments.found"]


# ---------------------------------------------------------------------------
# Header row
# ---------------------------------------------------------------------------

def test_header_found_below_title_rows(tmp_path):
    path = tmp_path / "title.csv"
    path.write_text("市西街道群众满意度调查表\n\n2024年5月,,\n事项编号,受访者,满意度\nA,1,满意\nA,2,不了解\n",
                    encoding="utf-8")
    tidy = load_responses(path)
    report = report_of(tidy)
    assert report.header_line == 4 and "header: line 4" in str(report)
    assert tidy["source_line"].tolist() == [5]
    assert lines_by_reason(report) == {"dont_know": [6]}
    assert report.rows_read == 2  # title rows are not data rows


def test_header_row_given(tmp_path):
    path = tmp_path / "h.csv"
    # Line 1 holds alias names (a legend), line 2 the real header.
    path.write_text("满意度,说明\n编号,人,结果\nA,1,满意\n", encoding="utf-8")
    tidy = load_responses(path, header_row=2, columns={"item_id": "编号", "respondent_id": "人",
                                                      "rating": "结果"})
    assert tidy["source_line"].tolist() == [3]
    assert report_of(tidy).header_line == 2


@pytest.mark.parametrize("bad", [0, -1, 1.5, "x", True, (3, 2), (1, 2, 3)])
def test_header_row_must_be_a_line_number(bad):
    with pytest.raises(ValueError, match="header_row (must be a line number >= 1|range must be)"
                                         "|--header-row expects"):
        load_responses(sheet(["满意"]), header_row=bad)


def test_header_row_not_for_dataframes():
    with pytest.raises(ValueError, match=r"header_row= applies to CSV and Excel"):
        load_responses(sheet(["满意"]), header_row=1)


def test_header_without_known_names_falls_back_to_fullest_row(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("标题\n编码,答卷,结论\nA,1,满意\n", encoding="utf-8")
    with pytest.raises(ResponseFileError, match=r"columns found: \['编码', '答卷', '结论'\]"):
        load_responses(path)


def test_non_string_column_names():
    frame = pd.DataFrame({0: ["A", "B"], 1: ["1", "1"], 2: ["满意", "不满意"]})
    tidy = load_responses(frame, columns={"item_id": 0, "respondent_id": 1, "rating": 2})
    assert tidy["rating"].tolist() == ["满意", "不满意"]
    assert report_of(tidy).columns == {"item_id": "0", "respondent_id": "1", "rating": "2"}
    # Wide, with integer item ids as column names.
    wide = pd.DataFrame({"受访者": [1, 2], 101: ["满意", "不满意"], 102: ["基本满意", "满意"]})
    tidy = load_responses(wide)
    assert tidy["item_id"].tolist() == ["101", "102", "101", "102"]


def test_columns_matched_after_normalization(tmp_path):
    path = write_csv(tmp_path / "n.csv", [["A", "1", "满意"]], header=["编号 ", "人", "结果"])
    tidy = load_responses(path, columns={"item_id": "编号", "rating": "结果"})
    assert report_of(tidy).columns["item_id"] == "编号 "


def test_unnamed_columns_with_values_are_noted(tmp_path):
    path = tmp_path / "u.csv"
    path.write_text("事项编号,受访者,满意度,\nA,1,满意,x\nA,2,满意\n", encoding="utf-8")
    report = report_of(load_responses(path))
    assert report.notes == ("1 column(s) without a header hold values and were ignored",)


# ---------------------------------------------------------------------------
# Wide layout
# ---------------------------------------------------------------------------

WIDE = pd.DataFrame({"序号": [1, 2, 3], "受访者": ["R1", "R2", "R3"], "姓名": ["张", "李", "王"],
                     "路灯": ["满意", "不了解", ""], "道路": ["基本满意", "满意", "不满意"],
                     "备注": ["", "满意", ""]})


def test_wide_detection_skips_meta_columns():
    tidy = load_responses(WIDE)
    report = report_of(tidy)
    assert report.layout == "wide" and report.item_columns == ("路灯", "道路")
    assert report.columns == {"respondent_id": "受访者"}
    # 3 rows x 2 items: R2 路灯 不了解 (position 2), R3 路灯 blank (position 3).
    assert (report.rows_read, report.rows_kept, report.sheet_rows) == (6, 4, 3)
    assert lines_by_reason(report) == {"dont_know": [2], "not_asked": [3]}
    assert tidy[["item_id", "respondent_id", "rating"]].values.tolist() == [
        ["路灯", "R1", "满意"], ["道路", "R1", "基本满意"], ["道路", "R2", "满意"], ["道路", "R3", "不满意"]]


def test_wide_item_columns_given_and_numeric_scores():
    scores = pd.DataFrame({"答卷人": [7, 8], "Q1": [5, 4], "Q2": [3, None]})
    # Numbers alone do not make item columns (they may be ids or ages): ask.
    with pytest.raises(ResponseFileError, match=r"\['item_id', 'rating'\] not found"):
        load_responses(scores)
    with pytest.raises(ResponseFileError, match="numbers have no direction"):
        load_responses(scores, item_columns=["Q1", "Q2"])
    tidy = load_responses(scores, item_columns=["Q1", "Q2"], scale="points5")
    assert tidy[["item_id", "respondent_id", "rank"]].values.tolist() == [
        ["Q1", "L1", 1], ["Q2", "L1", 3], ["Q1", "L2", 2]]
    assert report_of(tidy).excluded_by_reason().to_dict() == {"not_asked": 1}


def test_wide_layout_errors():
    with pytest.raises(ResponseFileError, match="no item columns found"):
        load_responses(pd.DataFrame({"受访者": [1], "姓名": ["张"]}), layout="wide")
    with pytest.raises(ResponseFileError, match=r"item_columns names 'Q9', which is not a column"):
        load_responses(WIDE, item_columns=["Q9"])
    with pytest.raises(ValueError, match="cannot be used with layout='long'"):
        load_responses(WIDE, item_columns=["路灯"], layout="long")
    with pytest.raises(ValueError, match="item_columns= is empty"):
        load_responses(WIDE, item_columns=[])
    twice = pd.DataFrame([["R1", "满意", "满意"]], columns=["受访者", "路灯", "路灯"])
    with pytest.raises(ResponseFileError, match="item column '路灯' appears twice"):
        load_responses(twice, item_columns=["路灯", "路灯"])


def test_single_label_column_asks_for_the_layout():
    frame = pd.DataFrame({"受访者": [1, 2], "结果": ["满意", "不满意"]})
    with pytest.raises(ResponseFileError, match="Column '结果' holds rating labels"):
        load_responses(frame)
    assert load_responses(frame, layout="wide")["item_id"].tolist() == ["结果", "结果"]


def test_wide_near_miss_is_noted():
    frame = WIDE.assign(意向=["好", "好", "满意"])  # 1 label in 3 answers: not an item column
    notes = report_of(load_responses(frame)).notes
    assert any("'意向' holds 1 rating label(s) among 3 answers" in note for note in notes)


def test_wide_duplicate_respondents_and_weights():
    frame = pd.DataFrame({"受访者": ["R1", "R1"], "权重": ["2", "3"], "A": ["满意", "不满意"],
                          "B": ["满意", "满意"]})
    with pytest.raises(ResponseFileError, match=r"\(lines 2 \[A\], 2 \[B\]; all rows involved: "
                                                r"lines 1 \[A\], 1 \[B\], 2 \[A\], 2 \[B\]\)"):
        load_responses(frame)
    tidy = load_responses(frame, duplicates="keep_first")
    assert tidy["weight"].tolist() == [2.0, 2.0]
    bad = frame.assign(受访者=["R1", "R2"], 权重=["2", "-1"])
    with pytest.raises(ResponseFileError, match=r"1 row\(s\) are empty.*lines 2\)") as info:
        load_responses(bad)  # one sheet row, though two cells carry it
    assert info.value.column == "权重"


def test_wide_questions_on_different_scales():
    # A GP-style sheet: one question on the "easy" scale, one on the "good" scale. No preset
    # covers both, so each item's scale comes from its own answers, and the report lists them.
    frame = pd.DataFrame({"respondent": ["R1", "R2", "R3"],
                          "Phone access": ["Very easy", "Not very easy", "Haven't tried"],
                          "Overall": ["Fairly good", "Very poor", "Very good"]})
    tidy = load_responses(frame)
    report = report_of(tidy)
    assert report.item_scales == {"Phone access": "easy4_en", "Overall": "good5_en"}
    assert report.scale is None and "each item's scale was detected" in report.scale_how
    assert "items on easy4_en: Phone access" in str(report)
    assert tidy.groupby("scale")["rank"].apply(list).to_dict() == {"easy4_en": [1, 3],
                                                                   "good5_en": [2, 5, 1]}
    assert report.excluded_by_reason().to_dict() == {"dont_know": 1}  # "Haven't tried"
    # scale= per item says the same explicitly.
    given = load_responses(frame, scale={"Phone access": "easy4_en", "Overall": "good5_en"})
    assert given["rank"].tolist() == tidy["rank"].tolist()
    # An answer no preset reads names the item column it sits in.
    with pytest.raises(ResponseFileError, match=r"'Great' x1 \(lines 2 \[Overall\]\)") as info:
        load_responses(frame.assign(Overall=["Fairly good", "Great", "Very good"]))
    assert (info.value.line, info.value.column) == (2, "Overall")


# ---------------------------------------------------------------------------
# Totals rows
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("label", ["合计", "合 计", "总计：", "小计:", "平均", "平均值", "Total", "SUM",
                                   "average", "Grand Total"])
def test_summary_rows(label):
    frame = pd.DataFrame({"事项编号": ["A", label], "受访者": ["1", ""], "满意度": ["满意", "1"]})
    report = report_of(load_responses(frame))
    assert lines_by_reason(report) == {"summary_row": [2]}
    assert report.exclusions["value"].tolist() == [label]


def test_summary_label_in_respondent_column():
    frame = pd.DataFrame({"序号": ["1", "2"], "事项编号": ["A", ""], "受访者": ["1", "合计"],
                          "满意度": ["满意", "1"]})
    assert lines_by_reason(report_of(load_responses(frame))) == {"summary_row": [2]}


def test_summary_word_inside_a_label_is_not_a_total():
    frame = pd.DataFrame({"事项编号": ["合计划生育服务", "Totals A"], "受访者": ["1", "1"],
                          "满意度": ["满意", "满意"]})
    assert len(load_responses(frame)) == 2


# ---------------------------------------------------------------------------
# Excel specifics
# ---------------------------------------------------------------------------

def test_excel_merged_ranges_filled_only_below_header(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["调查表", None, None])                  # row 1: title merged A1:C1
    ws.append(["事项编号", "受访者", "满意度"])           # row 2
    ws.append(["A", 1, "满意"])                        # row 3
    ws.append([None, 2, "不满意"])                     # row 4: A merged A3:A5
    ws.append([None, 3, "基本满意"])                   # row 5
    ws.append(["B", 1, "满意"])                        # row 6: rating merged C6:C7
    ws.append(["C", 1, None])                          # row 7: rating merged C6:C7
    ws.merge_cells("A1:C1")
    ws.merge_cells("A3:A5")
    ws.merge_cells("C6:C7")
    path = tmp_path / "merged.xlsx"
    book.save(path)
    tidy = load_responses(path)
    assert tidy[["item_id", "respondent_id", "rating"]].values.tolist() == [
        ["A", "1", "满意"], ["A", "2", "不满意"], ["A", "3", "基本满意"], ["B", "1", "满意"],
        ["C", "1", "满意"]]
    assert report_of(tidy).header_line == 2


def test_excel_numbers_and_trailing_formatting(tmp_path):
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["事项编号", "受访者", "满意度", "权重"])
    ws.append(["A", 1.0, 5.0, 0.5])  # floats as Excel may store them
    ws.append(["A", 2, 4, 2])
    ws["A40"].font = Font(bold=True)  # formatted, empty: not a line of data
    path = tmp_path / "numbers.xlsx"
    book.save(path)
    tidy = load_responses(path, scale="points5")
    assert tidy["respondent_id"].tolist() == ["1", "2"]
    assert tidy["rating"].tolist() == ["5", "4"]
    assert tidy["weight"].tolist() == [0.5, 2.0]
    assert report_of(tidy).rows_read == 2


def _workbook_with_formula(tmp_path, rows):
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    path = tmp_path / "f.xlsx"
    book.save(path)
    return path


def test_formula_without_value_in_totals_row_is_fine(tmp_path):
    path = _workbook_with_formula(tmp_path, [HEADER, ["A", 1, "满意"], ["合计", None, "=COUNTA(C2:C2)"]])
    report = report_of(load_responses(path))
    assert lines_by_reason(report) == {"summary_row": [3]}


def test_formula_without_value_in_header_is_an_error(tmp_path):
    path = _workbook_with_formula(tmp_path, [["事项编号", "受访者", '="满意度"'], ["A", 1, "满意"]])
    with pytest.raises(ResponseFileError, match=r"Sheet!C1 holds a formula with no saved value"):
        load_responses(path)


# ---------------------------------------------------------------------------
# Options and report fields added with the layouts
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("option, value, allowed", [
    ("layout", "tall", r"'auto', 'long', 'wide'"),
    ("unknown_items", "drop", r"'report', 'error', 'exclude'"),
])
def test_more_bad_options(option, value, allowed):
    with pytest.raises(ValueError, match=rf"unknown {option} {value!r}; allowed: {allowed}"):
        load_responses(sheet(["满意"]), **{option: value})


def test_report_defaults_keep_old_constructor_working():
    report = LoadReport(source="x", file_format="csv", encoding=None, scale=None, rows_read=0,
                        rows_kept=0, exclusions=pd.DataFrame(columns=["source_line", "reason",
                                                                      "column", "value"]))
    assert (report.layout, report.sheet, report.header_line, report.item_columns) == ("long", None,
                                                                                       None, ())
    assert report.unknown_items.empty and list(report.unknown_items.columns) == [
        "item_id", "rows", "source_lines"]


def test_duplicate_with_dont_know_is_a_duplicate():
    frame = sheet(["满意", "不了解"]).assign(受访者=["1", "1"])
    with pytest.raises(ResponseFileError, match="1 duplicate respondent x item"):
        load_responses(frame)


def test_blank_rating_then_answer_is_not_a_duplicate():
    frame = sheet(["", "满意"]).assign(受访者=["1", "1"])
    report = report_of(load_responses(frame))
    assert lines_by_reason(report) == {"missing_rating": [1]}


def test_points_and_zero_width_labels():
    tidy = load_responses(sheet(["5分", "\u200b4\u200b", "３分"]), scale="points5")
    assert tidy["rank"].tolist() == [1, 2, 3]


def test_xls_is_refused_with_advice(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ResponseFileError, match="save it as .xlsx"):
        load_responses(path)


def test_empty_sheet(tmp_path):
    import openpyxl

    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(ResponseFileError, match=r"sheet 'Sheet': the sheet is empty \(no non-blank row"):
        load_responses(path)


def test_average_as_an_answer_is_not_a_totals_row():
    # "Average" is a level of this scale and also a totals word: as the first cell of a
    # row it is an answer when it sits in a rating column.
    scale = sa.Scale(["Good", "Average", "Poor"], satisfied=1, name="gap3")
    wide = pd.DataFrame({"Roads": ["average", "Average"], "Lights": ["good", ""],
                         "Parks": ["poor", "Good"]})
    tidy = load_responses(wide, scale=scale)
    # row 1: Roads, Lights, Parks answered; row 2: Roads "Average", Lights blank, Parks "Good"
    assert tidy["rating"].tolist() == ["Average", "Good", "Poor", "Average", "Good"]
    assert report_of(tidy).excluded_by_reason().to_dict() == {"not_asked": 1}
    long = pd.DataFrame({"item": ["", "Roads"], "rating": ["Average", "average"]})
    with pytest.raises(ResponseFileError, match="empty item id"):  # not hidden as a totals row
        load_responses(long, scale=scale)


def test_keep_columns_carries_strata_long_and_wide():
    # Long: 3 rows, the 不了解 row (line 2) is excluded; 社区 travels with the kept rows.
    raw = pd.DataFrame({"事项编号": ["A", "A", "B"], "受访者": [1, 2, 1],
                        "满意度": ["满意", "不了解", "不满意"], "社区": ["东", "东", "西"]})
    tidy = load_responses(raw, keep_columns=["社区"])
    assert tidy["社区"].tolist() == ["东", "西"] and str(tidy["社区"].dtype) == "string"
    # Wide: 社区 is a row value, repeated for each kept answer of the row.
    wide = pd.DataFrame({"受访者": [1, 2], "社区": ["东", "西"], "A": ["满意", "基本满意"],
                         "B": ["不了解", "不满意"]})
    tidy = load_responses(wide, keep_columns="社区")
    assert tidy[["item_id", "respondent_id", "社区"]].values.tolist() == [
        ["A", "1", "东"], ["A", "2", "西"], ["B", "2", "西"]]
    with pytest.raises(ResponseFileError, match=r"keep_columns: column '街道' not found.*'社区'"):
        load_responses(raw, keep_columns=["街道"])
    with pytest.raises(ValueError, match="is a column of the tidy result already"):
        load_responses(raw, keep_columns=["rank"])


def test_invisible_characters_in_labels_as_in_ids():
    # One list of invisible characters for labels and ids (scales.INVISIBLE_CHARACTERS): a
    # soft hyphen or a right-to-left mark pasted into a label is debris, as in an id.
    frame = pd.DataFrame({"item_id": ["A", "A\u00ad", "B"], "respondent_id": ["1", "2", "3"],
                          "rating": ["满\u00ad意", "\u200f基本满意", "不满意\u2063"]})
    tidy = load_responses(frame)
    assert tidy["rating"].tolist() == ["满意", "基本满意", "不满意"]
    assert tidy["item_id"].tolist() == ["A", "A", "B"]
