"""Sheets built the way offices export them (tests/data/office, made by make_test_files.py).

Every expected count is read off the generator, where each sheet is spelled out row by
row (the line numbers are those an analyst sees: CSV lines, Excel sheet rows).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis import ResponseFileError, load_responses
from survey_analysis.load.options import flag_for
from survey_analysis.present.cli import main

OFFICE = Path(__file__).parent / "data" / "office"


def by_reason(report) -> dict:
    return {reason: sorted(group["source_line"].tolist())
            for reason, group in report.exclusions.groupby("reason")}


# ---------------------------------------------------------------------------
# The national 好差评 export
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def haochaping():
    return load_responses(OFFICE / "haochaping_export.xlsx")


def test_haochaping_export_loads_on_the_national_scale(haochaping):
    # Title row 1, an export note on row 2, header on row 3, 20 evaluations (rows 4-23), a
    # 合计 row 24; 不了解 on row 12. 办件编号 (the case number) keys the evaluations.
    report = haochaping.attrs["load_report"]
    assert (report.rows_read, report.rows_kept) == (21, 19)
    assert by_reason(report) == {"dont_know": [12], "summary_row": [24]}
    assert report.header_line == 3 and report.columns["respondent_id"] == "办件编号"
    assert report.scale == "haochaping5" and report.warnings == ()
    assert "非常满意 / 满意 / 基本满意 / 不满意 / 非常不满意" in str(report)


def test_haochaping_counts_under_each_definition(haochaping):
    survey = sa.Survey(haochaping)
    # By hand from HAOCHAPING_ROWS: 户籍迁移 6 answers (one 不满意), 社保卡申领 5 (one 非常不满意;
    # 不了解 excluded), 营业执照办理 8 (one 不满意). Not 差评 (the convention): 5 + 4 + 7 = 16 of 19.
    assert survey.counts()[["item_id", "n", "satisfied"]].to_dict("list") == {"item_id": ["户籍迁移", "社保卡申领", "营业执照办理"],
                                               "n": [6, 5, 8], "satisfied": [5, 4, 7]}
    assert survey.overall().pooled.estimate == pytest.approx(16 / 19)
    assert survey.definition.describe() == "非常满意 + 满意 + 基本满意" and survey.definition.is_default
    # 非常满意 + 满意: 4 + 3 + 6 = 13; 非常满意 only: 3 + 1 + 4 = 8.
    assert survey.with_definition("top_two_box").overall().pooled.estimate == pytest.approx(13 / 19)
    assert survey.with_definition("top_box").overall().pooled.estimate == pytest.approx(8 / 19)
    table = survey.sensitivity()
    pooled = table.loc[table["estimand"] == "pooled"].set_index("definition")
    assert pooled["estimate"].round(6).to_dict() == {
        "top_three_box": round(16 / 19, 6), "top_box": round(8 / 19, 6),
        "top_two_box": round(13 / 19, 6),
        # scores 100/75/50/25/0: 户籍 100+75+50+100+25+100 = 450, 社保 75+100+0+75+50 = 300,
        # 营业 100+100+75+100+50+75+100+25 = 625 -> 1375 / 19 / 100
        "score_index": round(1375 / 19 / 100, 6)}


def test_cli_on_a_haochaping_export(tmp_path, capsys):
    path = OFFICE / "haochaping_export.xlsx"
    assert main(["validate", str(path)]) == 0
    printed = capsys.readouterr().out
    assert "scale: haochaping5" in printed
    # Every guess of the loader is in the report: the header row and the header read as each
    # column (the export's title is on row 1, its note on row 2; see make_test_files.py).
    assert "header: row 3" in printed
    assert "columns read: item_id = 事项名称, respondent_id = 办件编号, rating = 评价等级" in printed
    out = tmp_path / "report"
    assert main(["report", str(path), "-o", str(out), "--lang", "zh", "--title", "某区好差评分析"]) == 0
    import re

    page = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", (out / "report.html").read_text(encoding="utf-8"))
    # The analyst's own survey: its definition, no article figure, no verdict, no claims table.
    assert "某区好差评分析" in page and "“满意”= 非常满意 + 满意 + 基本满意" in page
    assert "表头：第 3 行" in page
    assert "读取的列：事项（item_id）= 事项名称；受访者（respondent_id）= 办件编号；评价（rating）= 评价等级" in page
    for text in ("十余", "152", "超过95%", "矛盾", "公开说法", "满意 + 基本满意（量表 cn3"):
        assert text not in page, text
    assert not (out / "claims.csv").exists()
    headline = pd.read_csv(out / "headline.csv", encoding="utf-8-sig").set_index("measure")
    assert headline.loc["pooled", "estimate"] == pytest.approx(16 / 19)
    assert headline["published"].isna().all()


# ---------------------------------------------------------------------------
# Masked respondent names
# ---------------------------------------------------------------------------

def test_masked_names_are_no_key_each_row_is_a_respondent():
    # 受访人 (found by its header) holds only masked values (张**, 138****5678, 王某): they
    # cannot tell respondents apart, so each row is its own respondent and the report says so.
    path = OFFICE / "masked_names.csv"
    tidy = load_responses(path)
    report = tidy.attrs["load_report"]
    # The file: 8 rows, the 不了解 on line 8 excluded; 路灯维修 4 of 4 satisfied (lines 2, 3,
    # 4, 9), 噪音投诉 2 of 3 (lines 5, 6, 7).
    assert (report.rows_read, report.rows_kept) == (8, 7) and report.warnings == ()
    assert sa.satisfaction_counts(tidy).to_dict("list") == {
        "item_id": ["噪音投诉", "路灯维修"], "n": [3, 4], "satisfied": [2, 4]}
    assert tidy["respondent_id"].tolist() == ["L2", "L3", "L4", "L5", "L6", "L7", "L9"]
    assert "respondent_id" not in report.columns
    note = next(n for n in report.notes if "masked" in n)
    assert "'受访人'" in note and "张**, 138****5678, 李**" in note and "own respondent" in note
    roles = report.column_table().set_index("column")["role"].to_dict()
    assert roles == {"序号": "ignored", "事项名称": "item_id", "受访人": "ignored", "满意度": "rating"}
    # The same figures as keying by the row number 序号 (the earlier advice).
    by_key = load_responses(path, columns={"respondent_id": "序号"})
    assert sa.satisfaction_counts(by_key).equals(sa.satisfaction_counts(tidy))


def test_masked_names_named_as_the_key_are_refused_with_the_fix():
    # Named in columns=, the masked column is the analyst's key: repeats are an error that
    # says the ids look masked and proposes the row number 序号 or one respondent per row.
    path = OFFICE / "masked_names.csv"
    with pytest.raises(ResponseFileError, match="look masked") as info:
        load_responses(path, columns={"respondent_id": "受访人"})
    message = str(info.value)
    assert "张**" in message and "138****5678" in message and "王某" in message
    assert "columns={'respondent_id': '序号'}" in message and "CLI" not in message
    rendered = info.value.render(flags=flag_for)
    assert "columns={'respondent_id': '序号'} (CLI --columns respondent_id=序号)" in rendered
    assert "columns={'respondent_id': None} (CLI --columns respondent_id=)" in rendered


def test_masked_and_real_ids_mixed_stay_ids():
    # Two real ids and one masked value: not every id is masked, so the column keys
    # respondents and R1's second answer to A is a repeat (an error naming the masked value).
    sheet = pd.DataFrame({"事项": ["A", "A", "A", "B"], "受访者": ["R1", "R1", "张**", "R2"],
                          "满意度": ["满意", "不满意", "满意", "满意"]})
    with pytest.raises(ResponseFileError, match="1 duplicate respondent x item row"):
        load_responses(sheet)


def test_one_answer_on_a_row_per_comment_is_not_given_another_key(tmp_path):
    # As in the NHS FFT comments export: each respondent's one rating is written on two rows,
    # one per question, each with its own comment id. Keying by the comment id (unique per
    # row) would count R1 and R2 twice; the error says why and proposes keep_first only.
    path = tmp_path / "comments.csv"
    path.write_text("comment_id,unit,respondent,question,rating\n"
                    "c1,A,R1,why,满意\nc2,A,R1,improve,满意\n"
                    "c3,A,R2,why,不满意\nc4,A,R2,improve,不满意\nc5,A,R3,why,满意\n",
                    encoding="utf-8")
    columns = {"item_id": "unit", "respondent_id": "respondent"}
    with pytest.raises(ResponseFileError, match="Every repeat gives the same answer") as info:
        load_responses(path, columns=columns)
    message = info.value.render(flags=flag_for)
    assert "duplicates='keep_first' (CLI --duplicates keep_first)" in message
    assert "comment_id" not in message and "'respondent_id': None" not in message
    assert "逐行计数会把同一位受访者的回答计入多次" in info.value.render("zh")
    # The fix proposed works: R1 满意, R2 不满意, R3 满意 -> 2 of 3; lines 3 and 5 excluded.
    tidy = load_responses(path, columns=columns, duplicates="keep_first")
    assert by_reason(tidy.attrs["load_report"]) == {"duplicate": [3, 5]}
    assert sa.satisfaction_counts(tidy).to_dict("list") == {"item_id": ["A"], "n": [3], "satisfied": [2]}
    # When a repeat differs, the other key is still proposed (it may be the real one).
    path.write_text(path.read_text(encoding="utf-8").replace("c4,A,R2,improve,不满意", "c4,A,R2,improve,满意"),
                    encoding="utf-8")
    with pytest.raises(ResponseFileError, match="use it as the respondent key") as info:
        load_responses(path, columns=columns)
    assert "Every repeat" not in str(info.value)


def test_dropping_masked_duplicates_is_loud():
    # keep_first on masked names named as the key drops 4 of 8 rows (lines 3, 6, 8, 9): a
    # warning first.
    tidy = load_responses(OFFICE / "masked_names.csv", columns={"respondent_id": "受访人"},
                          duplicates="keep_first")
    report = tidy.attrs["load_report"]
    assert by_reason(report) == {"duplicate": [3, 6, 8, 9]}
    assert report.warnings == ("duplicate excludes 4 of 8 answers (50.0%): check that this is "
                               "what you meant",)
    assert str(report).startswith("WARNING: duplicate excludes 4 of 8 answers")
    assert any("look masked" in note for note in report.notes)


# ---------------------------------------------------------------------------
# A header over two rows
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["two_row_header.xlsx", "two_row_header.csv"])
def test_header_over_two_rows(name):
    # Rows 2-3: 序号 and 事项名称 merged down, 受访情况 merged across 社区 / 受访人 / 评价.
    tidy = load_responses(OFFICE / name, keep_columns=["社区"])
    report = tidy.attrs["load_report"]
    assert report.header_line == 2
    # 受访人 holds masked names only (张** ...): each row is its own respondent.
    assert report.columns == {"item_id": "事项名称", "rating": "评价"}
    assert any("'受访人' holds masked names" in note for note in report.notes)
    assert any("header spans" in note and "受访情况 / 社区" in note for note in report.notes)
    assert (report.rows_read, report.rows_kept) == (6, 5)
    assert by_reason(report) == {"dont_know": [9]}
    assert tidy["item_id"].tolist() == ["小区积水治理"] * 3 + ["电动车棚改造"] * 2
    assert tidy["社区"].tolist() == ["东城社区", "东城社区", "西城社区", "西城社区", "西城社区"]
    assert sa.satisfaction_counts(tidy).to_dict("list") == {
        "item_id": ["小区积水治理", "电动车棚改造"], "n": [3, 2], "satisfied": [3, 1]}


def test_header_row_range_is_explicit_too():
    tidy = load_responses(OFFICE / "two_row_header.csv", header_row=(2, 3))
    assert tidy.attrs["load_report"].rows_kept == 5
    assert main(["validate", str(OFFICE / "two_row_header.csv"), "--header-row", "2-3"]) == 0


# ---------------------------------------------------------------------------
# Spoken variants, numbers, English surveys
# ---------------------------------------------------------------------------

def test_spoken_variants_declared_with_labels(capsys):
    path = OFFICE / "spoken_variants.csv"
    with pytest.raises(ResponseFileError, match="no preset scale covers the answers '不太满意', '比较满意'"):
        load_responses(path)
    meaning = {"很满意": "满意", "非常满意": "满意", "比较满意": "基本满意", "不太满意": "不满意"}
    tidy = load_responses(path, labels=meaning)
    # A: 满意, 满意, 基本满意, 满意 -> 4 of 4; B: 基本满意, 不满意, 不满意, 满意 -> 2 of 4.
    assert sa.satisfaction_counts(tidy).to_dict("list") == {"item_id": ["A", "B"], "n": [4, 4],
                                                           "satisfied": [4, 2]}
    args = ["validate", str(path)] + [f"--label={raw}={level}" for raw, level in meaning.items()]
    assert main(args) == 0
    assert "scale: cn3" in capsys.readouterr().out


def test_numbers_without_a_scale(capsys):
    path = OFFICE / "numeric_no_scale.csv"
    with pytest.raises(ResponseFileError, match="numbers have no direction") as info:
        load_responses(path)
    assert info.value.line == 2
    assert main(["validate", str(path)]) == 1
    assert "--scale points5" in capsys.readouterr().err
    # points5: A 5, 4 -> 2 of 2; B 3, 5, 1 -> 1 of 3 (4 and 5 are satisfied).
    tidy = load_responses(path, scale="points5")
    assert sa.satisfaction_counts(tidy).to_dict("list") == {"item_id": ["A", "B"], "n": [2, 3],
                                                           "satisfied": [2, 1]}


def test_gp_style_survey_two_questions_two_scales():
    tidy = load_responses(OFFICE / "gp_style.csv")
    report = tidy.attrs["load_report"]
    assert report.layout == "wide" and (report.rows_read, report.rows_kept) == (12, 10)
    assert by_reason(report) == {"dont_know": [6, 7]}   # "Haven't tried" (line 6), "Don't know" (7)
    easy, good = "Ease of getting through on the phone", "Overall experience of the GP practice"
    assert report.item_scales == {easy: "easy4_en", good: "good5_en"}
    assert f"item columns: {easy}, {good}" in str(report)   # the detected items are shown
    # Very easy + Fairly easy: 3 of 5; Very good + Fairly good: 3 of 5.
    assert sa.satisfaction_counts(tidy).to_dict("list") == {"item_id": [easy, good], "n": [5, 5],
                                                           "satisfied": [3, 3]}
    assert sa.Survey(tidy).definition.describe("en") == (
        "easy4_en: Very easy + Fairly easy; good5_en: Very good + Fairly good")


def test_fft_codes_read_one_as_best():
    path = OFFICE / "fft_codes.csv"
    columns = {"item_id": "unit", "rating": "fft_code"}
    with pytest.raises(ResponseFileError, match=r"'7' x1 \(lines 9\)"):
        load_responses(path, columns=columns, scale="fft")
    tidy = load_responses(path, columns=columns, scale="fft", unknown_labels="exclude")
    report = tidy.attrs["load_report"]
    assert by_reason(report) == {"dont_know": [5], "unknown_label": [9]}
    assert report.warnings == ("unknown_label excludes 1 of 9 answers (11.1%): check that this is "
                               "what you meant",)
    # T1: 1, 1, 2 -> 3 of 3 (code 6 = don't know); T2: 4, 5, 1, 3 -> 1 of 4.
    assert sa.satisfaction_counts(tidy).to_dict("list") == {"item_id": ["T1", "T2"], "n": [3, 4],
                                                           "satisfied": [3, 1]}
    assert tidy["rating"].tolist()[:3] == ["Very good", "Very good", "Good"]


def test_own_scale_from_a_json_file(tmp_path):
    scale = sa.Scale(["很好", "较好", "一般", "较差", "很差"], satisfied=2, name="quality5",
                     dont_know=["不评价"])
    path = tmp_path / "quality5.json"
    import json

    path.write_text(json.dumps(scale.to_dict(), ensure_ascii=False), encoding="utf-8")
    sheet = tmp_path / "q.csv"
    sheet.write_text("事项编号,满意度\nA,很好\nA,较差\nA,不评价\nB,较好\n", encoding="utf-8")
    tidy = load_responses(sheet, scale=str(path))
    assert tidy["rank"].tolist() == [1, 4, 2]
    assert tidy.attrs["load_report"].excluded_by_reason().to_dict() == {"dont_know": 1}
    assert main(["validate", str(sheet), "--scale", str(path)]) == 0


# ---------------------------------------------------------------------------
# An item id over several columns (department + sub-department)
# ---------------------------------------------------------------------------

def test_item_id_over_several_columns(tmp_path):
    # Lines 2-6: 门诊/内科, 门诊/外科, 住院/(blank), 住院/内科, and a line with both parts
    # blank (no item id at all: an error naming the line); the composite name is shown.
    path = tmp_path / "units.csv"
    path.write_text("科室,病区,编号,评价\n门诊,内科,1,满意\n门诊,外科,2,不满意\n住院,,3,满意\n"
                    "住院,内科,4,基本满意\n", encoding="utf-8")
    tidy = load_responses(path, columns={"item_id": ["科室", "病区"], "respondent_id": "编号"})
    assert tidy["item_id"].tolist() == ["门诊 / 内科", "门诊 / 外科", "住院", "住院 / 内科"]
    report = tidy.attrs["load_report"]
    assert report.columns["item_id"] == "科室 + 病区"
    assert any("科室 + 病区" in note for note in report.notes)
    # The CLI's spelling: parts joined with "+".
    same = load_responses(path, columns={"item_id": "科室+病区", "respondent_id": "编号"})
    assert same["item_id"].tolist() == tidy["item_id"].tolist()
    with path.open("a", encoding="utf-8") as f:
        f.write(",,5,满意\n")
    with pytest.raises(ResponseFileError, match=r"line 6.*empty item id on 1 row"):
        load_responses(path, columns={"item_id": ["科室", "病区"], "respondent_id": "编号"})
    with pytest.raises(ResponseFileError, match="'楼层' as part of the item id"):
        load_responses(path, columns={"item_id": ["科室", "楼层"], "respondent_id": "编号"})


def test_a_header_with_a_plus_is_not_split(tmp_path):
    path = tmp_path / "plus.csv"
    path.write_text("事项A+B,评价\nX,满意\nY,不满意\n", encoding="utf-8")
    tidy = load_responses(path, columns={"item_id": "事项A+B"})
    assert tidy["item_id"].tolist() == ["X", "Y"]


def test_cli_item_id_over_several_columns(tmp_path, capsys):
    path = tmp_path / "units.csv"
    path.write_text("科室,病区,评价\n门诊,内科,满意\n门诊,外科,不满意\n住院,内科,基本满意\n",
                    encoding="utf-8")
    assert main(["validate", str(path), "--columns", "item_id=科室+病区"]) == 0
    out = capsys.readouterr().out
    assert "科室 + 病区" in out and "read" in out
