"""Hostile input, third round (issue 21): estimates, rounds and the loader's ids.

Each case is rebuilt here the way the adversarial run built it; each expected figure is
read off the rows written (a DataFrame's lines are its 1-based row positions).
"""

from __future__ import annotations

import datetime
import warnings

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hostile.excel import ods

import survey_analysis as sa
from survey_analysis import ResponseFileError, load_responses
from survey_analysis.present.cli import main
from survey_analysis.words import SurveyError, SurveyWarning


def _csv(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# 1. The report's item table uses the respondent weights the headline uses.
def test_01_report_item_table_is_weighted(tmp_path):
    path = _csv(tmp_path, "w.csv", "item_id,respondent_id,rating,weight\nA,1,满意,3\nA,2,不满意,1\n"
                                   "B,3,满意,1\nB,4,满意,1\n")
    assert main(["report", str(path), "-o", str(tmp_path / "out"), "--weight", "weight"]) == 0
    table = pd.read_csv(tmp_path / "out" / "item_rates.csv", encoding="utf-8-sig").set_index("item_id")
    # Item A: weights 3 (satisfied) and 1 (not): 3 / 4 = 0.75, as sa.item_rates gives.
    assert table.loc["A", "rate"] == pytest.approx(0.75)
    assert sa.item_rates(load_responses(path), weight="weight").set_index("item_id").loc["A", "rate"] == \
        pytest.approx(0.75)


# 5. A design variance that is rounding noise is a zero variance.
def test_05_rounding_noise_in_the_variance_is_zero(monkeypatch):
    import survey_analysis.design.variance as variance

    # Ten items with the same answers, five of them with every weight x 1.7, the weights in
    # different orders: every item's rate is 0.9 / 1.9 exactly, so the variance between
    # items is 0; summed in different orders the items' totals differ in the last bit.
    base = [("满意", 0.1), ("不满意", 0.7), ("满意", 0.2), ("不满意", 0.3), ("满意", 0.6)]
    rng = np.random.default_rng(0)
    rows = [{"item_id": item + part, "respondent_id": f"{part}{item}{j}", "rating": base[j][0],
             "weight": base[j][1] * scale}
            for part, scale in (("1", 1.7), ("2", 1.0)) for item in "ABCDE" for j in rng.permutation(len(base))]
    tidy = load_responses(pd.DataFrame(rows))
    monkeypatch.setattr(variance, "CENTRED_TOLERANCE", 0.0)
    noisy = sa.Survey(tidy, weight="weight").overall().pooled
    assert 0 < noisy.se < 1e-15  # the noise the tolerance removes (seed 0 gives it)
    monkeypatch.undo()
    pooled = sa.Survey(tidy, weight="weight").overall().pooled
    assert pooled.se == 0.0 and pooled.estimate == pytest.approx(0.9 / 1.9)
    assert "zero design variance" in str(pooled.note)


# 6. Look-alike item ids across rounds are one item.
def test_06_lookalike_ids_across_rounds_are_one_item():
    q1 = load_responses(pd.DataFrame({"item_id": ["A"] * 4 + ["B"] * 4, "respondent_id": range(8),
                                      "rating": ["满意", "满意", "不满意", "满意"] * 2}))
    q2 = load_responses(pd.DataFrame({"item_id": ["Ａ"] * 4 + ["B"] * 4, "respondent_id": range(8),
                                      "rating": ["满意"] * 8}))
    result = sa.compare_rounds([q1, q2], labels=["Q1", "Q2"])
    assert result.items["item_id"].tolist() == ["A", "B"]
    assert (result.items["change"] != "in one round only").all()
    assert "'Ａ' -> 'A'" in str(result.overall.loc[0, "note"])


# 14. Rounds with no item in common say so.
def test_14_rounds_without_a_common_item_warn():
    q1 = load_responses(pd.DataFrame({"item_id": ["A", "A", "B", "B"], "respondent_id": range(4),
                                      "rating": ["满意", "不满意", "满意", "满意"]}))
    q2 = load_responses(pd.DataFrame({"item_id": ["C", "C", "D", "D"], "respondent_id": range(4),
                                      "rating": ["满意", "满意", "满意", "不满意"]}))
    with pytest.warns(SurveyWarning, match=r"no item is in both rounds \(Q1, Q2; 4 items\)"):
        result = sa.compare_rounds([q1, q2], labels=["Q1", "Q2"])
    assert "no item is in both rounds" in str(result.overall.loc[0, "note"])


# 15. Every weight 0 is an error, not a blank headline.
def test_15_all_weights_zero_is_an_error(tmp_path):
    path = _csv(tmp_path, "w0.csv", "item_id,respondent_id,rating,weight\nA,1,满意,0\nA,2,不满意,0\n")
    with pytest.raises(SurveyError, match=r"every weight in column 'weight' is 0 \(2 answers\)"):
        sa.analyze(path, weight="weight")
    assert main(["report", str(path), "-o", str(tmp_path / "out"), "--weight", "weight"]) == 2


# 18. An Excel error value in the item column is no item.
def test_18_excel_error_in_the_item_column_is_an_error(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["事项", "受访者", "满意度"], ["A", "1", "满意"], ["#DIV/0!", "2", "满意"], ["#N/A", "3", "不满意"]):
        sheet.append(row)
    path = tmp_path / "err.xlsx"
    book.save(path)
    with pytest.raises(ResponseFileError, match=r"row 3, column '事项'|line 3, column '事项'") as info:
        load_responses(path)
    assert "Excel error value ('#DIV/0!'" in str(info.value) and "(lines 3, 4)" in str(info.value)


# 19. A date cell and the same date as text are one item.
def test_19_date_cell_and_date_text_are_one_item(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["事项", "受访者", "满意度"], [datetime.datetime(2024, 1, 5), "1", "满意"],
                ["2024-01-05", "2", "不满意"], [datetime.datetime(2024, 1, 5, 13, 30), "3", "满意"]):
        sheet.append(row)
    path = tmp_path / "dates.xlsx"
    book.save(path)
    tidy = load_responses(path)
    assert tidy["item_id"].tolist() == ["2024-01-05", "2024-01-05", "2024-01-05 13:30:00"]
    frame = pd.DataFrame({"事项": pd.to_datetime(["2024-01-05", "2024-01-06"]), "满意度": ["满意", "满意"]})
    assert load_responses(frame)["item_id"].tolist() == ["2024-01-05", "2024-01-06"]


# 29. Groups compared on a sheet of one item: a note, not a ZeroDivisionError.
def test_29_groups_on_one_item_say_the_test_is_undefined(tmp_path):
    path = _csv(tmp_path, "one.csv", "item_id,respondent_id,rating,社区\nA,1,满意,东\nA,2,不满意,东\n"
                                     "A,3,满意,西\nA,4,满意,西\nA,5,不满意,西\n")
    test = sa.Survey(load_responses(path, keep_columns=["社区"])).compare("社区")
    assert np.isnan(test.p_value)
    assert "no variance between its 1 unit(s)" in str(test.note)
    assert main(["report", str(path), "-o", str(tmp_path / "out"), "--by", "社区", "--keep-columns", "社区"]) == 0


# Unclear errors, now clear.
def test_all_dont_know_sheet_says_there_is_nothing_to_analyse(tmp_path, capsys):
    path = _csv(tmp_path, "dk.csv", "item_id,respondent_id,rating\nA,1,不了解\nA,2,不了解\nB,3,不清楚\n")
    with pytest.raises(SurveyError, match=r"no valid answer \(rows read 3, kept 0; excluded: dont_know 3\), "
                                          r"so there is nothing to analyse"):
        sa.analyze(path)
    assert main(["report", str(path), "-o", str(tmp_path / "out")]) == 2
    assert "nothing to analyse" in capsys.readouterr().err


def test_compare_names_the_round_without_answers_and_the_missing_round_column(tmp_path, capsys):
    q1 = _csv(tmp_path, "q1.csv", "item_id,respondent_id,rating\nA,1,满意\nA,2,不满意\n")
    dk = _csv(tmp_path, "dk.csv", "item_id,respondent_id,rating\nA,1,不了解\n")
    assert main(["compare", str(q1), str(dk), "-o", str(tmp_path / "c1")]) == 2
    assert "no valid answer in ['dk']" in capsys.readouterr().err
    assert main(["compare", str(q1), "-o", str(tmp_path / "c2")]) == 2
    err = capsys.readouterr().err
    assert "'round' is not a column" in err and "--round-column" in err and "keep_columns" not in err


def test_a_repeated_header_row_is_counted_not_an_unknown_label(tmp_path):
    path = _csv(tmp_path, "twice.csv", "事项,受访者,满意度\nA,1,满意\nA,2,不满意\n事项,受访者,满意度\n"
                                       "B,3,满意\nB,4,满意\n")
    report = load_responses(path).attrs["load_report"]
    # Line 4 repeats the header (two exports pasted together): 5 rows read, 4 answers kept.
    assert (report.rows_read, report.rows_kept) == (5, 4)
    assert report.excluded == {"repeated_header": 1}


def test_binomial_ci_refuses_infinite_counts():
    with pytest.raises(SurveyError, match="must be finite: found successes=inf, trials=inf"):
        sa.binomial_ci(float("inf"), float("inf"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an all-missing input is NaN, silently (no RuntimeWarning)
        low, high = sa.binomial_ci(np.array([np.nan]), np.array([np.nan]))
    assert np.isnan(low[0]) and np.isnan(high[0])


def test_weight_named_in_chinese_is_found(tmp_path):
    path = _csv(tmp_path, "wt.csv", "item_id,respondent_id,rating,权重\nA,1,满意,1\nA,2,不满意,2\nB,3,满意,1\n")
    assert main(["report", str(path), "-o", str(tmp_path / "out"), "--weight", "权重"]) == 0


def test_claims_files_errors_name_file_line_and_column(tmp_path):
    header = "id,kind,value,qualifier,quote,source\n"
    nan = _csv(tmp_path, "nan.csv", header + "c1,overall_rate,nan,over,q,s\n")
    with pytest.raises(SurveyError, match=r"nan.csv, line 2, column 'value': 'nan' is not a number"):
        sa.read_claims(nan)
    bom_only = tmp_path / "bom.csv"
    bom_only.write_bytes(b"\xef\xbb\xbf")
    with pytest.raises(ResponseFileError, match=r"bom.csv: the file is empty \(no header row\)"):
        sa.read_claims(bom_only)
    book = openpyxl.Workbook()
    book.active.append(["id", "kind", "value", "qualifier", "quote", "source"])
    book.active.append(["c1", "overall_rate", "=94+1", "over", "q", "s"])  # no saved value
    path = tmp_path / "formula.xlsx"
    book.save(path)
    with pytest.raises(SurveyError, match=r"formula.xlsx, line 2, column 'value': the claim's value is empty; "
                                          r".*open and save the file in Excel"):
        sa.read_claims(path)


# 2 (OpenDocument): a cell formatted as a percentage is the figure the sheet shows.
def test_02_ods_percent_cells_read_as_shown(tmp_path):
    path = ods(tmp_path / "满意率.ods", [["单位", "回访量", "满意率"],
                                         ["甲", ("float", "200", "200"), ("percentage", "0.975", "97.5%")],
                                         ["乙", ("float", "50", "50"), ("percentage", "1", "100%")]])
    survey = sa.Survey.from_counts(path, item="单位", n="回访量", percent="满意率")
    # Read as shown: 97.5% of 200 is 195 exactly (194/200 = 97.0%, 196/200 = 98.0%); 100% of
    # 50 is 50. Read as stored, 0.975% and 1% would fit no count of 200 and 50.
    audit = survey.percent_audit.set_index("单位")
    assert audit.loc["甲", ["k_min", "k_max"]].tolist() == [195, 195]
    assert audit.loc["乙", ["k_min", "k_max"]].tolist() == [50, 50]
    assert any("97.5%" in note for note in survey.report.notes)
