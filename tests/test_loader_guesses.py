"""The loader's guesses about real files: each one right, shown in the load report, or refused
with the option that decides it (issue "No silent guesses").

Every sheet is built here row by row; each expected count is read off the rows written
(CSV line 1 is the header unless a title row is written above it).
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis import ResponseFileError, load_responses
from survey_analysis.load.engines import source_level_counts
from survey_analysis.load.options import flag_for
from survey_analysis.present.cli import main
from survey_analysis.words import SurveyError, SurveyWarning

ROOT = Path(__file__).resolve().parents[1]
GOOD5 = ["Very good", "Good", "Neither good nor poor", "Poor", "Very poor"]


def by_reason(report) -> dict:
    return {reason: sorted(group["source_line"].tolist())
            for reason, group in report.exclusions.groupby("reason")}


# ---------------------------------------------------------------------------
# Wide sheets: items by content, not by header name
# ---------------------------------------------------------------------------

def _gp_sheet() -> pd.DataFrame:
    """A GP network's wide sheet: a True/False test flag, a question headed 'phone'.

    12 respondents; rows 3 and 9 (1-based) are test entries. phone: 9 of 12 positive (Very good
    or Good); online: 8 of 12 positive.
    """
    phone = ["Very good", "Good", "Poor", "Very good", "Good", "Good", "Very poor", "Very good", "Good",
             "Neither good nor poor", "Good", "Very good"]
    online = ["Good", "Good", "Poor", "Poor", "Very good", "Good", "Very good", "Very poor", "Good",
              "Good", "Neither good nor poor", "Very good"]
    return pd.DataFrame({"respondent_id": [f"P{i}" for i in range(1, 13)],
                         "possible_test_entry": [False, False, True, False, False, False, False, False,
                                                 True, False, False, False],
                         "phone": phone, "online": online})


def test_flag_column_is_no_item_and_phone_question_is_one():
    tidy = load_responses(_gp_sheet())
    report = tidy.attrs["load_report"]
    # Two items of 12 answers each: the flag is no item, 'phone' (a usual non-item header)
    # is one because every answer is a rating label.
    assert report.layout == "wide" and report.item_columns == ("phone", "online")
    assert (report.rows_read, report.rows_kept) == (24, 24)
    assert sa.satisfaction_counts(tidy).to_dict("list") == {
        "item_id": ["online", "phone"], "n": [12, 12], "satisfied": [8, 9]}
    roles = report.column_table().set_index("column")
    assert roles["role"].to_dict() == {"respondent_id": "respondent_id", "possible_test_entry": "ignored",
                                       "phone": "item", "online": "item"}
    assert roles.loc["possible_test_entry", "why"] == "True/False flag"
    notes = " ".join(report.notes)
    assert "'possible_test_entry' holds only True/False" in notes and "item_columns=['possible_test_entry'" in notes
    assert "'phone' was read as an item" in notes
    assert "columns not read: possible_test_entry (True/False flag)" in str(report)


def test_flag_column_named_is_an_item_and_a_kept_column_is_none():
    sheet = _gp_sheet()
    kept = load_responses(sheet, keep_columns=["possible_test_entry"])
    assert kept.attrs["load_report"].item_columns == ("phone", "online")
    # Kept as text for every answer: 2 test respondents x 2 items.
    assert (kept["possible_test_entry"] == "True").sum() == 4
    named = load_responses(sheet, item_columns=["phone", "online", "possible_test_entry"], scale={
        "possible_test_entry": "yes_no"})
    assert named.attrs["load_report"].item_columns == ("phone", "online", "possible_test_entry")


@pytest.mark.parametrize("flag", [["是", "否", "否", "是"], ["yes", "no", "no", "no"], ["1", "0", "0", "1"]])
def test_yes_no_column_beside_items_of_more_levels_is_a_flag(flag):
    sheet = pd.DataFrame({"编号": ["1", "2", "3", "4"], "路灯": ["满意", "基本满意", "不满意", "满意"],
                          "道路": ["满意", "满意", "不满意", "基本满意"], "是否回访": flag})
    report = load_responses(sheet).attrs["load_report"]
    assert report.item_columns == ("路灯", "道路")
    assert report.column_table().set_index("column").loc["是否回访", "role"] == "ignored"


def test_yes_no_items_alone_are_items():
    # A sheet of yes/no questions only: 2 of 3 yes on Q1, 1 of 3 on Q2.
    sheet = pd.DataFrame({"Q1": ["是", "是", "否"], "Q2": ["否", "是", "否"]})
    tidy = load_responses(sheet)
    assert tidy.attrs["load_report"].item_columns == ("Q1", "Q2")
    assert sa.satisfaction_counts(tidy).to_dict("list") == {"item_id": ["Q1", "Q2"], "n": [3, 3],
                                                           "satisfied": [2, 1]}


def test_remark_column_with_one_label_stays_a_remark():
    # 备注 holds one "满意" among mostly empty cells: a remark, not an item.
    sheet = pd.DataFrame({"受访者": ["R1", "R2", "R3", "R4"], "路灯": ["满意"] * 4, "道路": ["不满意"] * 4,
                          "备注": ["", "满意", "", ""]})
    assert load_responses(sheet).attrs["load_report"].item_columns == ("路灯", "道路")


# ---------------------------------------------------------------------------
# Missing answers written as text
# ---------------------------------------------------------------------------

MARKERS = ["NA", "N/A", "NaN", "NULL", "#N/A", "-", "—", "无", "空"]


def _marker_sheet() -> pd.DataFrame:
    # 9 written missing answers (rows 1-9: a DataFrame's lines are its 1-based row positions),
    # then 满意 x2 and 不满意 x1 (rows 10-12).
    ratings = MARKERS + ["满意", "满意", "不满意"]
    return pd.DataFrame({"事项": ["A"] * len(ratings), "受访者": [f"R{i}" for i in range(len(ratings))],
                         "满意度": ratings})


def test_missing_markers_are_empty_answers_not_dont_know():
    tidy = load_responses(_marker_sheet())
    report = tidy.attrs["load_report"]
    assert (report.rows_read, report.rows_kept) == (12, 3)
    assert by_reason(report) == {"missing_rating": list(range(1, 10))}
    assert report.warnings == ()
    note = next(n for n in report.notes if "missing value" in n)
    assert note.startswith("9 answer(s) written as a missing value ('NA', 'N/A', 'NaN'")
    assert "labels={'NA': LEVEL}" in note


def test_a_marker_declared_as_a_label_is_an_answer():
    # 无 declared as 不满意: 10 answers, 2 satisfied; the other 8 markers stay missing.
    tidy = load_responses(_marker_sheet(), labels={"无": "不满意"})
    report = tidy.attrs["load_report"]
    assert report.rows_kept == 4 and report.excluded == {"missing_rating": 8}
    assert sa.satisfaction_counts(tidy)[["n", "satisfied"]].values.tolist() == [[4, 2]]


@pytest.mark.parametrize("engine", ["duckdb", "pandas", "dask"])
def test_every_engine_reads_markers_and_footers_alike(engine, tmp_path):
    frame = pd.DataFrame({"seq": ["1", "2", "3", "4", "5", "制表人：张三"],
                          "item_id": ["A", "A", "B", "B", "B", ""],
                          "respondent_id": ["1", "2", "3", "4", "5", ""],
                          "rating": ["满意", "NA", "不满意", "#N/A", "满意", ""]})
    if engine == "duckdb":
        source = tmp_path / "answers.parquet"
        frame.to_parquet(source)
    elif engine == "dask":
        import dask.dataframe as dd
        source = dd.from_pandas(frame, npartitions=2)
    else:
        source = frame
    _, report = source_level_counts(source, engine=engine)
    # 6 rows: the footer (line 7), 2 written missing answers, 3 kept; as the loader counts them.
    assert (report.rows_read, report.rows_kept) == (6, 3)
    assert report.excluded == {"footer_row": 1, "missing_rating": 2}
    assert load_responses(frame).attrs["load_report"].excluded == report.excluded


# ---------------------------------------------------------------------------
# Footer lines under the table
# ---------------------------------------------------------------------------

def test_footer_lines_are_counted_as_footer_rows(tmp_path):
    path = tmp_path / "回访.csv"
    path.write_text("某街道回访情况统计表,,,\n"
                    "序号,事项名称,受访人,满意度\n"
                    "1,审核备案,R1,满意\n2,审核备案,R2,不满意\n3,噪音投诉,R3,满意\n"
                    "合计,,,\n"
                    "制表人：张三,,审核人：李四,\n"
                    "填报日期：2024年1月31日,,,\n"
                    "单位（盖章）,,,\n", encoding="utf-8")
    tidy = load_responses(path)
    report = tidy.attrs["load_report"]
    # Header on line 2; 3 answers (lines 3-5; the item 审核备案 is no footer), 合计 on line 6,
    # footer lines 7-9.
    assert (report.rows_read, report.rows_kept) == (7, 3)
    assert by_reason(report) == {"footer_row": [7, 8, 9], "summary_row": [6]}
    # A footer is not data: no warning, although 3 of 7 rows.
    assert not any("footer_row" in w for w in report.warnings)
    assert sa.satisfaction_counts(tidy).to_dict("list") == {"item_id": ["噪音投诉", "审核备案"], "n": [1, 2],
                                                           "satisfied": [1, 1]}


def test_footer_words_need_a_colon_or_a_space():
    from survey_analysis.load.rules import footer
    texts = np.array(["制表人：张三", "审核人 李四", "Prepared by J. Smith", "注：不含电话回访", "审核备案",
                      "负责人变更登记", "Notes on phone access", "数据来源:12345热线"], dtype=object)
    assert footer(texts).tolist() == [True, True, True, True, False, False, False, True]


# ---------------------------------------------------------------------------
# Row filters, counted in the ledger
# ---------------------------------------------------------------------------

def test_exclude_rows_and_only_rows_are_counted_with_their_lines(tmp_path):
    sheet = _gp_sheet().assign(week=["pilot"] * 2 + ["1"] * 10)
    path = tmp_path / "gp.csv"
    sheet.to_csv(path, index=False)
    tidy = load_responses(path, exclude_rows={"possible_test_entry": True}, only_rows={"week": "1"})
    report = tidy.attrs["load_report"]
    # Test entries on lines 4 and 10 (x 2 items); pilot week on lines 2 and 3 (x 2 items).
    assert (report.rows_read, report.rows_kept) == (24, 16)
    assert by_reason(report) == {"filtered: possible_test_entry=True": [4, 4, 10, 10],
                                 "filtered: week not 1": [2, 2, 3, 3]}
    assert report.warnings == ()  # asked for: no warning
    # CLI: the same flags, the same ledger.
    assert main(["validate", str(path), "--exclude-rows", "possible_test_entry=TRUE",
                 "--only-rows", "week=1"]) == 0


def test_row_filter_values_compare_as_normalized_text():
    sheet = _gp_sheet()
    for value in (True, "TRUE", " true ", ["True"]):
        report = load_responses(sheet, exclude_rows={"possible_test_entry": value}).attrs["load_report"]
        assert report.rows_kept == 20  # 2 test respondents x 2 items out


def test_row_filter_on_a_missing_column_is_an_error_naming_the_columns():
    with pytest.raises(ResponseFileError, match="exclude_rows names 'test', which is not a column") as info:
        load_responses(_gp_sheet(), exclude_rows={"test": True})
    assert "possible_test_entry" in str(info.value)


def test_row_filter_value_matching_nothing_warns_with_the_values_found():
    with pytest.warns(SurveyWarning, match=r"no row has 'maybe' in column 'possible_test_entry'; "
                                           r"the values there are 'False', 'True'"):
        tidy = load_responses(_gp_sheet(), exclude_rows={"possible_test_entry": [True, "maybe"]})
    assert tidy.attrs["load_report"].rows_kept == 20


def test_row_filter_flags_render():
    assert flag_for("exclude_rows", {"possible_test_entry": ["True"]}) == \
        "--exclude-rows possible_test_entry=True"
    assert flag_for("only_rows", {"区县": ["东城区", "西城区"]}) == "--only-rows 区县=东城区,西城区"


def test_frame_filtered_by_hand_says_so():
    tidy = load_responses(_marker_sheet())  # 3 kept answers
    with pytest.warns(SurveyWarning, match="changed after loading.*counts 3 kept answers, the frame now holds 2"):
        survey = sa.Survey(tidy.iloc[:2])
    assert survey.report.warnings[0].startswith("the responses were changed after loading")
    # Unchanged frames say nothing.
    with warnings.catch_warnings():
        warnings.simplefilter("error", SurveyWarning)
        assert sa.Survey(tidy).report.warnings == ()


# ---------------------------------------------------------------------------
# Scale direction
# ---------------------------------------------------------------------------

AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]


def test_worst_first_levels_are_read_by_their_words():
    scale = sa.Scale(AGREE, satisfied=2)
    assert scale.levels == tuple(AGREE[::-1]) and scale.satisfied == ("Strongly agree", "Agree")
    assert (scale.order, scale.order_how) == ("worst_first", "words")
    # 3 agree answers of 5 -> 3 satisfied, not the 2 disagree ones.
    sheet = pd.DataFrame({"item": ["Q"] * 5, "rating": ["Agree", "Strongly agree", "Agree", "Disagree",
                                                        "Strongly disagree"]})
    tidy = load_responses(sheet, scale=scale)
    assert sa.satisfaction_counts(tidy)[["n", "satisfied"]].values.tolist() == [[5, 3]]


def test_order_given_or_from_the_satisfied_labels():
    assert sa.Scale(["C", "B", "A"], satisfied=1, order="worst_first").satisfied == ("A",)
    assert sa.Scale(["C", "B", "A"], satisfied=["A"]).order_how == "satisfied"
    assert sa.Scale(["C", "B", "A"], satisfied=["A"]).levels == ("A", "B", "C")
    with pytest.raises(SurveyError, match="unknown order 'up'"):
        sa.Scale(["C", "B", "A"], satisfied=1, order="up")


def test_levels_that_do_not_say_their_order_are_refused_with_both_readings():
    with pytest.raises(SurveyError) as info:
        sa.Scale(["1", "2", "3", "4", "5"], satisfied=2)
    message = str(info.value)
    assert "order='best_first' (1 is best)" in message and "order='worst_first' (5 is best)" in message


def _json_blocks(path: Path) -> list:
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", path.read_text(encoding="utf-8"), re.S)]


def test_documented_scale_files_load_as_documented(tmp_path):
    # README and docs/scales.md: the agree5 file lists its levels worst first.
    for data in _json_blocks(ROOT / "README.md") + _json_blocks(ROOT / "docs" / "scales.md"):
        path = tmp_path / "scale.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        scale = sa.Scale.from_json(path)
        if data["name"] == "agree5":
            assert scale.satisfied == ("Strongly agree", "Agree") and scale.order == "worst_first"
        else:
            assert scale.satisfied == ("很好", "较好")
        assert sa.Scale.from_dict(scale.to_dict()).levels == scale.levels


# ---------------------------------------------------------------------------
# Whole-area rows of published tables; files the counting engines do not scan
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("label", ["全市", "总体", "全区", "全县", "合计（全市）"])
def test_whole_area_rows_are_totals_rows(label):
    # Two districts of 300 and 400 answers and a whole-area row of their sum (700): the
    # survey counts the 700 answers once, not 1,400.
    table = pd.DataFrame({"区县": ["东区", "西区", label], "回访量": [300, 400, 700],
                          "满意数": [290, 380, 670]})
    survey = sa.Survey.from_counts(table, item="区县", n="回访量", satisfied="满意数")
    assert survey.report.excluded == {"summary_row": 1}
    assert survey.counts()["n"].sum() == 700
    responses = pd.DataFrame({"事项": ["A", "A", label], "满意度": ["满意", "不满意", "满意"]})
    assert load_responses(responses).attrs["load_report"].excluded == {"summary_row": 1}


@pytest.mark.parametrize("suffix", [".xlsx", ".zip", ".sav"])
def test_counting_engines_name_the_loader_for_other_files(tmp_path, suffix):
    path = tmp_path / f"answers{suffix}"
    path.write_bytes(b"")
    with pytest.raises(SurveyError, match=r"counting engines scan CSV \(plain or .gz\) and Parquet only; "
                                          r"read it with sa.load_responses\(path\)"):
        sa.Survey(path)


def test_counts_table_units_not_published_and_footers_are_counted():
    # A hospital table where two units publish no figure (CMS writes "Not Available") and an
    # office table with a footer line: excluded and counted with their lines, never read as 0
    # and never an error.
    hospitals = pd.DataFrame({"facility_name": ["A", "B", "C", "D", "E"],
                              "n": ["300", "Not Available", "250", "120", "80"],
                              "pct": ["74.0", "33.00", "Not Available", "96", "81"]})
    survey = sa.Survey.from_counts(hospitals, item="facility_name", n="n", percent="pct")
    assert (survey.report.rows_read, survey.report.rows_kept) == (5, 3)
    assert survey.report.excluded == {"not_published": 2}
    # 2 of 5 rows is more than warn_share: the ledger warns.
    assert survey.report.warnings[0].startswith("not_published excludes 2 of 5")
    office = pd.DataFrame({"单位": ["甲", "乙", "制表人：张三"], "回访量": [100, 200, None],
                           "满意率": ["96%", "97%", None]})
    survey = sa.Survey.from_counts(office, item="单位", n="回访量", percent="满意率")
    assert survey.report.excluded == {"footer_row": 1} and survey.report.warnings == ()
    assert survey.counts().set_index("单位")["n"].to_dict() == {"甲": 100, "乙": 200}
