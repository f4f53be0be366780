"""Real-world response files: every awkward file in tests/data loads, or fails clearly.

The files are made by ``tests/data/make_test_files.py`` (committed beside them; a
test below regenerates them and checks the bytes). Each file's expected outcome is
in the table ``CASES``: either exact counts (rows read / kept, the lines excluded
for each reason) or the error it raises and the line and column that error names.
Every expected line is read off the generator, where each file is spelled out with
its line numbers in comments (CSV: line 1 is the first line of the file; Excel: the
sheet row).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from survey_analysis import ResponseFileError, load_responses
from survey_analysis.present.cli import main

DATA = Path(__file__).parent / "data"
BAD, GOOD = DATA / "bad", DATA / "good"
TIDY_COLUMNS = ["item_id", "respondent_id", "rating", "scale", "rank"]


@dataclass
class Ok:
    """Loads: rows read and kept, {reason: lines excluded}, and report / tidy checks."""

    read: int
    kept: int
    excluded: dict = field(default_factory=dict)
    report: dict = field(default_factory=dict)   # LoadReport attribute -> value
    tidy: dict = field(default_factory=dict)     # tidy column -> values, in order


@dataclass
class Err:
    """Raises ``kind`` naming ``line`` and ``column``, with a message matching ``match``."""

    match: str
    line: int | None = None
    column: str | None = None
    kind: type = ResponseFileError


THREE = {"scale": "cn3"}
CASES = [
    # -- encodings ------------------------------------------------------------------
    ("gbk.csv", {}, Ok(4, 3, {"dont_know": [5]}, {"encoding": "gb18030"},
                       {"rating": ["满意", "基本满意", "不满意"]})),
    ("gb18030_four_byte.csv", {}, Ok(2, 2, {}, {"encoding": "gb18030"},
                                     {"respondent_id": ["𠀀", "2"]})),
    ("utf16.csv", {}, Err(r"no encoding decodes this file; tried utf-8, gb18030; the file starts "
                          r"with a UTF-16 byte-order mark.*encoding='utf-16'")),
    ("utf16.csv", {"encoding": "utf-16"},
     Ok(1, 1, {}, {"encoding": "utf-16", "notes": ("fields are separated by tabs",)},
        {"item_id": ["A"], "rating": ["满意"]})),
    ("undecodable.csv", {}, Err(r"undecodable\.csv: no encoding decodes this file; "
                                r"tried utf-8, gb18030 \(pass encoding=")),
    ("undecodable.csv", {"encoding": "utf-8"}, Err(r"cannot decode with encoding 'utf-8'")),
    ("bom_explicit_utf8.csv", {}, Ok(4, 3, {"dont_know": [5]}, {"encoding": "utf-8-sig"})),
    ("bom_explicit_utf8.csv", {"encoding": "utf-8"},
     Ok(4, 3, {"dont_know": [5]},
        {"encoding": "utf-8", "columns": {"item_id": "事项编号", "respondent_id": "受访者",
                                          "rating": "满意度"},
         "notes": ("a byte-order mark (BOM) at the start of the file was removed",)})),
    ("workbook_named_csv.csv", {}, Err(r"looks like an Excel workbook: give it the \.xlsx suffix")),
    ("not_a_workbook.xlsx", {}, Err(r"not a readable Excel workbook")),
    # An OLE2 header and nothing else: .xls is read (issue 20), this file cannot be.
    ("old_format.xls", {}, Err(r"not a readable \.xls workbook.*save it as \.xlsx")),
    # -- CSV layout -------------------------------------------------------------------
    ("title_rows.csv", {}, Ok(4, 3, {"dont_know": [7]}, {"header_line": 3},
                              {"source_line": [4, 5, 6]})),
    ("unrecognized_header.csv", {},
     Err(r"\['item_id', 'rating'\] not found; columns found: \['编号', '答卷人', '结果'\].*"
         r"Column '结果' holds rating labels")),
    ("unrecognized_header.csv",
     {"header_row": 2, "columns": {"item_id": "编号", "respondent_id": "答卷人", "rating": "结果"}},
     Ok(2, 2, {}, {"header_line": 2}, {"respondent_id": ["1", "2"], "source_line": [3, 4]})),
    ("unrecognized_header.csv", {"header_row": 9}, Err(r"header_row=9 is not a non-empty line")),
    ("blank_lines.csv", {}, Ok(6, 3, {"blank_row": [3, 5, 6]}, {}, {"source_line": [2, 4, 7]})),
    ("multiline_comments.csv", {}, Ok(4, 3, {"dont_know": [7]}, {}, {"source_line": [2, 4, 8]})),
    ("trailing_empty_columns.csv", {},
     Ok(6, 4, {"blank_row": [6, 7]},
        {"columns": {"item_id": "事项编号", "respondent_id": "受访者", "rating": "满意度"}})),
    ("empty.csv", {}, Err(r"empty\.csv: not a readable CSV: the file is empty")),
    ("blank_only.csv", {}, Err(r"not a readable CSV: the file is empty \(no non-blank line")),
    ("header_only.csv", {}, Ok(0, 0, {}, {"scale": None})),
    ("totals_rows.csv", {}, Ok(7, 4, {"summary_row": [6, 7, 8]}, {}, {"source_line": [2, 3, 4, 5]})),
    # -- labels -----------------------------------------------------------------------
    ("fullwidth_labels.csv", {},
     Ok(6, 6, {}, THREE, {"rating": ["满意", "基本满意", "不满意", "满意", "基本满意", "不满意"],
                          "respondent_id": ["１", "２", "３", "１", "２", "３"]})),  # ids kept as written
    # 很满意 / 比较满意 / 较满意 / 一般 / 不太满意 / 很不满意 / 十分满意: the Likert wording
    ("synonyms.csv", {},
     Ok(7, 7, {}, {"scale": "likert5"},
        {"rating": ["非常满意", "比较满意", "比较满意", "一般", "不太满意", "非常不满意", "非常满意"],
         "rank": [1, 2, 2, 3, 4, 5, 1]})),
    # Numbers have no direction by themselves: an error, unless the scale is named.
    ("numeric_1to5.csv", {}, Err(r"numbers have no direction by themselves.*scale='points5'", 2,
                                 "满意度")),
    ("numeric_1to5.csv", {"scale": "points5"},
     Ok(7, 7, {}, {"scale": "points5"}, {"rank": [1, 2, 3, 4, 5, 1, 1]})),
    ("numeric_1to5.csv", {"scale": "fft"},
     Ok(7, 7, {}, {"scale": "fft"}, {"rank": [5, 4, 3, 2, 1, 5, 5]})),
    ("yes_no.csv", {}, Ok(5, 4, {"dont_know": [6]}, {"scale": "yes_no"},
                          {"rating": ["是", "否", "是", "否"]})),
    ("english.csv", {},
     Ok(6, 5, {"dont_know": [7]},
        {"scale": "cn5", "columns": {"item_id": "Item", "respondent_id": "Respondent",
                                     "rating": "Rating"}},
        {"rating": ["非常满意", "满意", "一般", "不满意", "非常不满意"],
         "item_id": ["Streetlights"] * 3 + ["Roads"] * 2})),
    ("chinese_headers.csv", {},
     Ok(3, 3, {}, {"columns": {"item_id": "事项名称", "respondent_id": "受访人", "rating": "满意程度",
                               "weight": "权重"}},
        {"weight": [1.5, 0.5, 1.5], "respondent_id": ["张三", "李四", "张三"]})),
    ("unknown_labels.csv", {}, Err(r"no preset scale covers the answers.*Lines: '好' x2 \(lines 3, 5\); "
                                   r"'差' x1 \(lines 4\)", 3, "满意度")),
    ("unknown_labels.csv", {"scale": "cn3"},
     Err(r"labels that are no level of scale cn3: '好' x2 \(lines 3, 5\); '差' x1 \(lines 4\)",
         3, "满意度")),
    ("unknown_labels.csv", {"unknown_labels": "exclude"},
     Ok(5, 1, {"unknown_label": [3, 4, 5], "dont_know": [6]})),
    # 基本满意 with 非常满意 and 满意: the national 好差评 five levels, not a mix.
    ("mixed_scales.csv", {}, Ok(4, 4, {}, {"scale": "haochaping5"}, {"rank": [3, 2, 3, 1]})),
    ("mixed_scales.csv", {"scale": "cn3", "unknown_labels": "exclude"},
     Ok(4, 3, {"unknown_label": [5]})),
    ("mixed_yes_no.csv", {}, Err(r"no preset scale covers.*Lines: '满意' x1 \(lines 4\)", 4,
                                 "满意度")),
    ("only_dont_know.csv", {}, Ok(4, 0, {"dont_know": [2, 3, 4, 5]}, {"scale": None})),
    # -- integrity --------------------------------------------------------------------
    ("duplicates.csv", {}, Err(r"1 duplicate respondent x item row\(s\) \(lines 4; all rows involved: "
                               r"lines 2, 4\)", 4, "受访者")),
    ("duplicates.csv", {"duplicates": "keep_first"}, Ok(4, 3, {"duplicate": [4]}, {},
                                                        {"source_line": [2, 3, 5]})),
    ("duplicate_dont_know.csv", {}, Err(r"\(lines 3; all rows involved: lines 2, 3\)", 3, "受访者")),
    # keep_first keeps the first answer (不了解, then excluded as dont_know), not the later 满意.
    ("duplicate_dont_know.csv", {"duplicates": "keep_first"},
     Ok(3, 1, {"dont_know": [2], "duplicate": [3]}, {}, {"source_line": [4]})),
    ("empty_item_id.csv", {}, Err(r"empty item id on 1 row\(s\) \(lines 3\)", 3, "事项编号")),
    ("missing_rating_column.csv", {},
     Err(r"\['rating'\] not found; columns found: \['事项编号', '受访者', '打分'\]")),
    ("missing_rating_column.csv", {"columns": {"rating": "打分"}}, Ok(1, 1)),
    ("weight_empty.csv", {}, Err(r"weights must be numbers >= 0.*first value ''", 3, "权重")),
    ("weight_negative.csv", {}, Err(r"weights must be numbers >= 0.*first value '-2'", 2, "权重")),
    ("weight_text.csv", {}, Err(r"weights must be numbers >= 0.*first value 'heavy'", 4, "权重")),
    ("catalogue.csv", {}, Err(r"\['rating'\] not found; columns found: \['item_id', 'name_zh'\]")),
    ("catalogue_unknown_items.csv", {"catalogue": BAD / "catalogue.csv"},
     Ok(5, 4, {"dont_know": [6]},
        {"notes": ("1 catalogue item(s) have no kept answer: SX003",)},
        {"item_id": ["SX001", "SX002", "ZZ9", "ZZ9"]})),
    ("catalogue_unknown_items.csv", {"catalogue": BAD / "catalogue.csv", "unknown_items": "exclude"},
     Ok(5, 2, {"unknown_item": [4, 5, 6]}, {}, {"item_id": ["SX001", "SX002"]})),
    ("catalogue_unknown_items.csv", {"catalogue": BAD / "catalogue.csv", "unknown_items": "error"},
     Err(r"2 item\(s\) not in the catalogue: 'YY1' x1 \(lines 6\); 'ZZ9' x2 \(lines 4, 5\)",
         4, "事项编号")),
    # -- wide sheets ------------------------------------------------------------------
    ("wide_blanks.csv", {},
     Ok(9, 5, {"not_asked": [3, 4, 4], "dont_know": [3]},
        {"layout": "wide", "sheet_rows": 3, "item_columns": ("路灯维修", "道路修补", "垃圾清运")},
        {"item_id": ["路灯维修", "道路修补", "垃圾清运", "路灯维修", "垃圾清运"],
         "respondent_id": ["R1", "R1", "R1", "R2", "R3"],
         "rating": ["满意", "不满意", "基本满意", "满意", "满意"]})),
    ("wide_weights.csv", {},
     Ok(4, 4, {}, {"layout": "wide", "columns": {"respondent_id": "受访者", "weight": "权重"}},
        {"weight": [2.0, 2.0, 0.5, 0.5], "item_id": ["路灯维修", "道路修补"] * 2})),
    ("wide_weights.csv", {"layout": "long"}, Err(r"\['item_id', 'rating'\] not found")),
    # -- Excel ------------------------------------------------------------------------
    ("title_merged.xlsx", {}, Ok(4, 3, {"dont_know": [6]}, {"header_line": 3, "sheet": "Sheet1"},
                                 {"source_line": [4, 5, 7]})),
    ("merged_items.xlsx", {},
     Ok(5, 4, {"dont_know": [6]}, {}, {"item_id": ["路灯维修"] * 3 + ["道路修补"],
                                       "respondent_id": ["1", "2", "3", "1"]})),
    ("formulas_cached.xlsx", {},
     Ok(3, 3, {}, {}, {"respondent_id": ["1", "2", "1"], "rating": ["满意", "不满意", "基本满意"]})),
    ("formula_no_cache.xlsx", {}, Err(r"sheet 'Sheet', line 3, column '满意度': Sheet!C3 holds a "
                                      r"formula with no saved value", 3, "满意度")),
    ("totals_rows.xlsx", {}, Ok(8, 4, {"summary_row": [5, 7, 8, 9]}, {}, {"source_line": [2, 3, 4, 6]})),
    ("wide.xlsx", {}, Ok(12, 11, {"dont_know": [3]}, {"layout": "wide", "sheet_rows": 4})),
    ("wide_unknown_label.xlsx", {}, Err(r"'很好' x1 \(lines 3 \[道路修补\]\)", 3, "道路修补")),
    # The note "=还没修" is a formula with no saved value, in a column the loader does not use.
    ("note_column.xlsx", {}, Ok(3, 3)),
    ("two_sheets.xlsx", {}, Err(r"sheet '说明': required column\(s\) \['item_id', 'rating'\] not "
                                r"found; columns found: \['本表为演示数据'\]")),
    ("two_sheets.xlsx", {"sheet": "答卷"}, Ok(2, 2, {}, {"sheet": "答卷"})),
    ("two_sheets.xlsx", {"sheet": 1}, Ok(2, 2, {}, {"sheet": "答卷"})),
    ("two_sheets.xlsx", {"sheet": "缺失"}, Err(r"no sheet named '缺失'; sheets: \['说明', '答卷'\]")),
    ("two_sheets.xlsx", {"sheet": 5}, Err(r"no sheet number 5; the workbook has 2 sheet")),
]


def case_id(case) -> str:
    name, kwargs, _ = case
    return name + ("" if not kwargs else "-" + "-".join(f"{k}={v}" for k, v in kwargs.items()
                                                          if k != "catalogue"))


@pytest.mark.parametrize("name, kwargs, expected", CASES, ids=[case_id(c) for c in CASES])
def test_bad_file(name, kwargs, expected):
    path = BAD / name
    if isinstance(expected, Err):
        with pytest.raises(expected.kind, match=expected.match) as info:
            load_responses(path, **kwargs)
        assert info.value.source == str(path)
        assert (info.value.line, info.value.column) == (expected.line, expected.column)
        return
    tidy = load_responses(path, **kwargs)
    report = tidy.attrs["load_report"]
    assert report.source == str(path)
    assert (report.rows_read, report.rows_kept) == (expected.read, expected.kept)
    assert report.rows_read == report.rows_kept + report.rows_excluded == len(tidy) + len(report.exclusions)
    lines = {reason: group["source_line"].tolist() for reason, group in report.exclusions.groupby("reason")}
    assert lines == expected.excluded
    for attribute, value in expected.report.items():
        assert getattr(report, attribute) == value, attribute
    for column, values in expected.tidy.items():
        assert tidy[column].tolist() == values, column


def test_every_bad_file_has_an_expected_outcome():
    assert {p.name for p in BAD.iterdir()} == {name for name, _, _ in CASES}
    assert len(list(BAD.iterdir())) >= 30


def test_unknown_items_table():
    tidy = load_responses(BAD / "catalogue_unknown_items.csv", catalogue=BAD / "catalogue.csv")
    table = tidy.attrs["load_report"].unknown_items
    # ZZ9 on lines 4, 5; YY1 on line 6 (its only answer is 不了解, still an answer to YY1).
    assert table.to_dict("list") == {"item_id": ["YY1", "ZZ9"], "rows": [1, 2],
                                     "source_lines": ["6", "4, 5"]}
    assert "items not in the catalogue: 2: YY1 x1 (lines 6); ZZ9 x2 (lines 4, 5)" in \
        str(tidy.attrs["load_report"])
    catalogue = pd.DataFrame({"事项编号": ["SX001", "SX002", "ZZ9", "YY1"]})  # alias, as a DataFrame
    again = load_responses(BAD / "catalogue_unknown_items.csv", catalogue=catalogue)
    assert again.attrs["load_report"].unknown_items.empty


def test_bad_catalogue():
    with pytest.raises(ResponseFileError, match=r"catalogue has no item_id column; columns found: \['x'\]"):
        load_responses(BAD / "gbk.csv", catalogue=pd.DataFrame({"x": ["A"]}))
    with pytest.raises(FileNotFoundError, match="no_such_catalogue.csv"):
        load_responses(BAD / "gbk.csv", catalogue=BAD / "no_such_catalogue.csv")


def test_wide_exclusions_name_the_item_column():
    report = load_responses(BAD / "wide_blanks.csv").attrs["load_report"]
    ex = report.exclusions
    # Line 3: 道路修补 blank, 垃圾清运 不了解; line 4: 路灯维修 and 道路修补 blank.
    assert ex[["source_line", "reason", "column", "value"]].values.tolist() == [
        [3, "not_asked", "道路修补", ""], [3, "dont_know", "垃圾清运", "不了解"],
        [4, "not_asked", "路灯维修", ""], [4, "not_asked", "道路修补", ""]]
    text = str(report)
    assert "layout: wide, 3 item column(s) x 3 data row(s) = 9 answer cells" in text


def test_summary_rows_record_the_label():
    ex = load_responses(BAD / "totals_rows.xlsx").attrs["load_report"].exclusions
    assert ex["value"].tolist() == ["小计", "合计", "总　计：", "平均"]
    assert ex["column"].tolist() == ["序号", "序号", "序号", "事项编号"]


# ---------------------------------------------------------------------------
# The generator is deterministic and the committed files are its output
# ---------------------------------------------------------------------------

def test_generator_reproduces_committed_files(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_test_files", DATA / "make_test_files.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main([str(tmp_path)]) == 0
    for folder in ("bad", "good", "office"):
        fresh = {p.name: p for p in (tmp_path / folder).iterdir()}
        committed = {p.name: p for p in (DATA / folder).iterdir()}
        assert fresh.keys() == committed.keys()
        for name, path in fresh.items():
            new, old = path.read_bytes(), committed[name].read_bytes()
            # Parquet embeds the writer's version ("parquet-cpp-arrow version X"): the bytes
            # are reproducible with the same pyarrow, the content always.
            if name.endswith(".parquet") and pq.ParquetFile(path).metadata.created_by != \
                    pq.ParquetFile(committed[name]).metadata.created_by:
                assert_frame_equal(pd.read_parquet(path), pd.read_parquet(committed[name]))
                continue
            assert new == old, f"{folder}/{name} differs from make_test_files.py's output"


def test_workbooks_have_fixed_timestamps():
    with zipfile.ZipFile(BAD / "wide.xlsx") as book:
        assert {info.date_time for info in book.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "2024-01-01T00:00:00Z" in book.read("docProps/core.xml").decode()


def test_cached_formula_values_are_real_formulas():
    # The patched workbook still holds formulas (Excel's layout: <f> plus a saved <v>).
    formulas = openpyxl.load_workbook(BAD / "formulas_cached.xlsx").active
    assert formulas["B2"].value == "=ROW()-1" and formulas["C4"].data_type == "f"
    values = openpyxl.load_workbook(BAD / "formulas_cached.xlsx", data_only=True).active
    assert (values["B2"].value, values["C2"].value, values["C4"].value) == (1, "满意", "基本满意")


# ---------------------------------------------------------------------------
# good/: the same answers in every format and layout load identically
# ---------------------------------------------------------------------------

GOOD_FILES = ["long_utf8.csv", "long_utf8_bom.csv", "long_gb18030.csv", "long.parquet",
              "wide_title_totals.xlsx"]
# 12 answers (3 items x 4 respondents): 2 "don't know" (R04/SX001, R02/SX003) and one
# unanswered (R03/SX002) leave 9.
EXPECTED_GOOD = pd.DataFrame({
    "item_id": pd.array(["SX001"] * 3 + ["SX002"] * 3 + ["SX003"] * 3, dtype="string"),
    "respondent_id": pd.array(["R01", "R02", "R03", "R01", "R02", "R04", "R01", "R03", "R04"],
                              dtype="string"),
    "rating": pd.array(["满意", "基本满意", "满意", "不满意", "满意", "满意", "基本满意", "满意", "不满意"],
                       dtype="string"),
    "scale": pd.array(["cn3"] * 9, dtype="string"),
    "rank": np.array([1, 2, 1, 3, 1, 1, 2, 1, 3], dtype="int8"),
})


def sorted_tidy(tidy: pd.DataFrame) -> pd.DataFrame:
    return tidy[TIDY_COLUMNS].sort_values(["item_id", "respondent_id"]).reset_index(drop=True)


@pytest.mark.parametrize("name", GOOD_FILES)
def test_good_files_load_identically(name):
    tidy = load_responses(GOOD / name, catalogue=DATA.parent.parent / "data" / "items.csv")
    assert_frame_equal(sorted_tidy(tidy), EXPECTED_GOOD)
    report = tidy.attrs["load_report"]
    assert report.unknown_items.empty  # SX001-SX003 are in the real catalogue
    expected = {
        "long_utf8.csv": ("utf-8", "long", 12, {"dont_know": 2, "missing_rating": 1}),
        "long_utf8_bom.csv": ("utf-8-sig", "long", 12, {"dont_know": 2, "missing_rating": 1}),
        "long_gb18030.csv": ("gb18030", "long", 12, {"dont_know": 2, "missing_rating": 1}),
        "long.parquet": (None, "long", 12, {"dont_know": 2, "missing_rating": 1}),
        # title row 1, header row 2, respondents rows 3-6, totals row 7: 5 rows x 3 items
        "wide_title_totals.xlsx": (None, "wide", 15, {"dont_know": 2, "not_asked": 1,
                                                      "summary_row": 3}),
    }[name]
    assert (report.encoding, report.layout, report.rows_read) == expected[:3]
    assert report.excluded_by_reason().to_dict() == expected[3]


def test_good_wide_sheet_lines():
    report = load_responses(GOOD / "wide_title_totals.xlsx").attrs["load_report"]
    assert (report.header_line, report.sheet, report.sheet_rows) == (2, "满意度", 5)
    # R04 (row 6) 不了解 on SX001, R02 (row 4) 说不清 on SX003, R03 (row 5) blank SX002, 合计 row 7.
    assert report.exclusions[["source_line", "reason"]].values.tolist() == [
        [4, "dont_know"], [5, "not_asked"], [6, "dont_know"], [7, "summary_row"], [7, "summary_row"],
        [7, "summary_row"]]


# ---------------------------------------------------------------------------
# CLI: survey-analysis validate
# ---------------------------------------------------------------------------

def test_cli_validate_prints_report(capsys):
    assert main(["validate", str(GOOD / "wide_title_totals.xlsx"), "--sheet", "满意度",
                 "--layout", "wide", "--catalogue", str(DATA.parent.parent / "data" / "items.csv")]) == 0
    out = capsys.readouterr().out
    assert "sheet '满意度'" in out and "header: row 2" in out and "summary_row" in out


@pytest.mark.parametrize("args, where", [
    (["formula_no_cache.xlsx"], "line 3, column '满意度'"),
    (["duplicates.csv"], "line 4, column '受访者'"),
    (["unknown_labels.csv"], "line 3, column '满意度'"),
    (["catalogue_unknown_items.csv", "--catalogue", str(BAD / "catalogue.csv"),
      "--unknown-items", "error"], "line 4, column '事项编号'"),
    (["utf16.csv"], "tried utf-8, gb18030"),
    (["no_such_file.csv"], "no_such_file.csv"),
])
def test_cli_validate_errors(capsys, args, where):
    assert main(["validate", str(BAD / args[0]), *args[1:]]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: ") and where in captured.err


@pytest.mark.parametrize("args, out", [
    (["duplicates.csv", "--duplicates", "keep_first"], "excluded: duplicate"),
    (["unknown_labels.csv", "--unknown-labels", "exclude"], "excluded: unknown_label"),
    (["unrecognized_header.csv", "--header-row", "2", "--layout", "auto"], None),
    (["utf16.csv", "--encoding", "utf-16"], "encoding utf-16"),
    (["two_sheets.xlsx", "--sheet", "1"], "sheet '答卷'"),
    (["catalogue_unknown_items.csv", "--catalogue", str(BAD / "catalogue.csv"),
      "--unknown-items", "exclude"], "excluded: unknown_item"),
])
def test_cli_validate_options(capsys, args, out):
    code = main(["validate", str(BAD / args[0]), *args[1:]])
    captured = capsys.readouterr()
    if out is None:  # header found on line 2, but its names are not known: an error
        assert code == 1 and "columns found: ['编号', '答卷人', '结果']" in captured.err
    else:
        assert code == 0 and out in captured.out


# ---------------------------------------------------------------------------
# Property: the ledger balances on generated CSV and Excel files, long and wide
# ---------------------------------------------------------------------------

LABELS = ["满意", "基本满意", "不满意", "基本 满意", "满意　", "ＳＡＴＩＳＦＩＥＤ"]
DONT_KNOW = ["不了解", "说不清", "不清楚", "不知道"]
UNKNOWN = ["好", "差不多"]
SUMMARY = ["合计", "总计", "小计", "平均", "Total", "Sum", "Average"]
KINDS = ["valid", "dont_know", "unknown", "blank_rating", "blank_row", "summary", "duplicate"]
WIDE_KINDS = ["valid", "dont_know", "unknown", "blank_rating"]


@st.composite
def long_sheet(draw):
    """Rows of a long sheet, each with its kind, and the expected reason per row."""
    kinds = draw(st.lists(st.sampled_from(KINDS), max_size=25))
    rows, reasons, seen = [], [], []
    for i, kind in enumerate(kinds):
        item = draw(st.sampled_from(["A", "B"]))
        if kind == "duplicate" and seen:
            item, person = draw(st.sampled_from(seen))
            rows.append([item, person, draw(st.sampled_from(LABELS))])
            reasons.append("duplicate")
            continue
        person = f"r{i}"
        if kind in ("valid", "duplicate"):
            rows.append([item, person, draw(st.sampled_from(LABELS))])
            reasons.append(None)
            seen.append((item, person))
        elif kind == "dont_know":
            rows.append([item, person, draw(st.sampled_from(DONT_KNOW))])
            reasons.append("dont_know")
            seen.append((item, person))
        elif kind == "unknown":
            rows.append([item, person, draw(st.sampled_from(UNKNOWN))])
            reasons.append("unknown_label")
            seen.append((item, person))
        elif kind == "blank_rating":
            rows.append([item, person, ""])
            reasons.append("missing_rating")
        elif kind == "blank_row":
            rows.append(["", "", ""])
            reasons.append("blank_row")
        else:
            rows.append([draw(st.sampled_from(SUMMARY)), "", "12"])
            reasons.append("summary_row")
    titles = draw(st.integers(0, 2))
    return rows, reasons, titles


@st.composite
def wide_sheet(draw, unknown: bool = True):
    """Rows of a wide sheet (respondent, then one cell per item) and the reason per cell."""
    n_items = draw(st.integers(2, 4))
    n_rows = draw(st.integers(0, 8))
    kinds = WIDE_KINDS if unknown else [k for k in WIDE_KINDS if k != "unknown"]
    pool = {"valid": LABELS, "dont_know": DONT_KNOW, "unknown": UNKNOWN, "blank_rating": [""]}
    cell_reason = {"valid": None, "dont_know": "dont_know", "unknown": "unknown_label",
                   "blank_rating": "not_asked"}
    rows, reasons = [], []
    for i in range(n_rows):
        row_kind = draw(st.sampled_from(["answers", "answers", "answers", "blank", "summary"]))
        if row_kind == "blank":
            rows.append([""] * (n_items + 1))
            reasons.extend(["blank_row"] * n_items)
        elif row_kind == "summary":
            rows.append([draw(st.sampled_from(SUMMARY))] + ["3"] * n_items)
            reasons.extend(["summary_row"] * n_items)
        else:
            cells = draw(st.lists(st.sampled_from(kinds), min_size=n_items, max_size=n_items))
            rows.append([f"R{i}"] + [draw(st.sampled_from(pool[c])) for c in cells])
            reasons.extend(cell_reason[c] for c in cells)
    rows.append(["R_last"] + ["满意"] * n_items)  # every item answered at least once
    reasons.extend([None] * n_items)
    titles = draw(st.integers(0, 2))
    return n_items, rows, reasons, titles


def write_sheet(path: Path, header, rows, titles: int) -> tuple[int, list[int]]:
    """Write CSV or xlsx with ``titles`` title rows (a title, merged across in Excel,
    then blank rows); return the header line and the line of each data row."""
    prefix = [["市西街道群众满意度调查表"] + [""] * (len(header) - 1)] if titles else []
    prefix += [[""] * len(header)] * max(titles - 1, 0)
    if path.suffix == ".csv":
        path.write_text("\n".join(",".join(r) for r in prefix + [header] + rows) + "\n", encoding="utf-8")
    else:
        book = openpyxl.Workbook()
        ws = book.active
        for row in prefix + [header] + rows:
            ws.append([cell if cell != "" else None for cell in row])
        if titles:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        book.save(path)
    header_line = len(prefix) + 1
    return header_line, list(range(header_line + 1, header_line + 1 + len(rows)))


def check_ledger(tidy, reasons, lines, per_row: int = 1):
    report = tidy.attrs["load_report"]
    assert report.rows_read == len(reasons)
    assert report.rows_read == report.rows_kept + report.rows_excluded
    assert report.rows_kept == len(tidy) == reasons.count(None)
    expected = {}
    for index, reason in enumerate(reasons):
        if reason is not None:
            expected.setdefault(reason, []).append(lines[index // per_row])
    got = {r: g["source_line"].tolist() for r, g in report.exclusions.groupby("reason")}
    assert got == expected
    kept_lines = [lines[i // per_row] for i, r in enumerate(reasons) if r is None]
    assert tidy["source_line"].tolist() == kept_lines


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(long_sheet(), st.sampled_from([".csv", ".xlsx"]))
def test_ledger_balances_long(tmp_path_factory, sheet, suffix):
    rows, reasons, titles = sheet
    if suffix == ".xlsx":
        # A sheet ends at its last filled row: Excel has no trailing blank lines.
        while reasons and reasons[-1] == "blank_row":
            rows, reasons = rows[:-1], reasons[:-1]
    path = tmp_path_factory.mktemp("long") / f"sheet{suffix}"
    header_line, lines = write_sheet(path, ["事项编号", "受访者", "满意度"], rows, titles)
    tidy = load_responses(path, unknown_labels="exclude", duplicates="keep_first")
    check_ledger(tidy, reasons, lines)
    assert tidy.attrs["load_report"].header_line == header_line


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wide_sheet(), st.sampled_from([".csv", ".xlsx"]))
def test_ledger_balances_wide(tmp_path_factory, sheet, suffix):
    n_items, rows, reasons, titles = sheet
    path = tmp_path_factory.mktemp("wide") / f"sheet{suffix}"
    items = [f"事项{i}" for i in range(n_items)]
    header_line, lines = write_sheet(path, ["受访者"] + items, rows, titles)
    # Named item columns: unknown labels may outnumber labels in a column here, which
    # would (rightly) keep automatic detection from taking it.
    tidy = load_responses(path, unknown_labels="exclude", item_columns=items)
    report = tidy.attrs["load_report"]
    assert report.layout == "wide" and report.item_columns == tuple(items)
    assert report.header_line == header_line
    assert report.sheet_rows == len(rows) and report.rows_read == len(rows) * n_items
    check_ledger(tidy, reasons, lines, per_row=n_items)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wide_sheet(unknown=False), st.sampled_from([".csv", ".xlsx"]))
def test_wide_and_long_give_the_same_tidy_answers(tmp_path_factory, sheet, suffix):
    n_items, rows, reasons, titles = sheet
    items = [f"事项{i}" for i in range(n_items)]
    folder = tmp_path_factory.mktemp("same")
    wide_path = folder / f"wide{suffix}"
    _, lines = write_sheet(wide_path, ["受访者"] + items, rows, titles)
    # The same answers, one row per respondent x item (totals and blank rows dropped).
    long_rows = [[item, row[0], cell] for row in rows if row[0].startswith("R")
                 for item, cell in zip(items, row[1:])]
    long_path = folder / "long.csv"
    write_sheet(long_path, ["事项编号", "受访者", "满意度"], long_rows, titles=0)
    wide = load_responses(wide_path)  # layout and item columns detected
    long = load_responses(long_path)
    assert wide.attrs["load_report"].layout == "wide"
    check_ledger(wide, reasons, lines, per_row=n_items)
    assert_frame_equal(sorted_tidy(wide), sorted_tidy(long))
    assert len(wide) == reasons.count(None) > 0
