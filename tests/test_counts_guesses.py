"""No silent guesses in a published table of counts (issue 20): the decimals of a percent
column, rows that fit no count, repeated unit names, dissatisfied counts and rates, a rounded
"100%", `validate --counts` and a header proposed below data rows."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis import ResponseFileError
from survey_analysis.present.cli import main


def _no_survey_warning(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    assert not [w for w in caught if issubclass(w.category, sa.SurveyWarning)]
    return result


# -- 1. one precision per percent column --------------------------------------------------------

def test_a_column_of_whole_percentages_printed_with_zeros_is_read_with_0_decimals():
    # As exported by a spreadsheet: "74.0", "33.00", "96" are whole percentages.
    table = pd.DataFrame({"unit": ["A", "B", "C"], "n": [23, 3, 25], "pct": ["74.0", "33.00", "96"]})
    survey = _no_survey_warning(lambda: sa.Survey.from_counts(table, item="unit", percent="pct"))
    audit = survey.percent_audit
    assert audit["decimals"].tolist() == [0, 0, 0]
    assert audit["consistent"].all() and survey.report.excluded == {}
    # 17/23 = 73.91% rounds to 74 (16/23 = 69.6%, 18/23 = 78.3%); 1/3 = 33.33% rounds to 33;
    # 24/25 = 96% exactly (hand arithmetic).
    assert audit["k_min"].tolist() == [17, 1, 24] and audit["k_max"].tolist() == [17, 1, 24]
    note = str(survey.report)
    assert "read with 0 decimal(s), one precision for the column" in note
    assert "every value is a whole percentage" in note and "decimals (rows): 0 (1), 1 (1), 2 (1)" in note
    # Direct callers of counts_from_percentages keep reading each entry as printed: 74.0 of 23
    # (73.91%, 78.26%) and 33.00 of 3 (33.33%) fit no count at 1 and 2 decimals.
    direct = sa.counts_from_percentages(["74.0", "33.00", "96"], [23, 3, 25])
    assert direct["consistent"].tolist() == [False, False, True]


def test_a_column_whose_cells_disagree_takes_the_finest_decimals():
    table = pd.DataFrame({"unit": ["A", "B"], "n": [200, 200], "pct": ["96.5", "97"]})
    survey = sa.Survey.from_counts(table, item="unit", percent="pct")
    audit = survey.percent_audit.set_index("unit")
    assert audit["decimals"].tolist() == [1, 1]
    # 96.5% of 200 = 193 exactly; "97" is 97.0 at one decimal: 194 exactly (at 0 decimals it
    # would be 193..194: 193/200 = 96.5% rounds half-up to 97).
    assert (audit.loc["A", "k_min"], audit.loc["A", "k_max"]) == (193, 193)
    assert (audit.loc["B", "k_min"], audit.loc["B", "k_max"]) == (194, 194)
    assert "'96.5' needs 1" in str(survey.report)
    # decimals= given wins, and 96.5 cannot be read with 0 decimals (an error says so):
    with pytest.raises(ValueError, match="more than 0 decimals"):
        sa.Survey.from_counts(table, item="unit", percent="pct", decimals=0)


# -- 2. loud when many rows fit no count -------------------------------------------------------

def test_many_rows_that_fit_no_count_raise_a_survey_warning_naming_decimals():
    # 99.00% of 4226 fits no count at two decimals (4183/4226 = 98.98%, 4184/4226 = 99.01%);
    # 98.39% of 1922 is 1891 (98.387%): 1 of 2 rows (50%) fit none, over warn_share 5%.
    table = pd.DataFrame({"区县": ["甲", "乙"], "交办量": [4226, 1922], "满意率": ["99.00%", "98.39%"]})
    with pytest.warns(sa.SurveyWarning, match=r"decimals=") as caught:
        survey = sa.Survey.from_counts(table, item="区县", n="交办量", percent="满意率")
    text = str(caught[0].message)
    assert "on 1 of 2 rows (50.0%, more than warn_share=0.05)" in text
    assert "decimals=N (CLI --counts ... decimals=N)" in text
    assert survey.report.excluded == {"percent_fits_no_count": 1}
    assert any("fits no whole count" in w for w in survey.report.warnings)   # the ledger's warning
    assert "percent_fits_no_count (lines 1)" in str(survey.report)


def test_a_few_rows_that_fit_no_count_only_give_the_ledger_warning():
    # 1 of 25 rows (4%) fits no count: under warn_share 5%, so only the ledger warns. The
    # column has two decimals (95.25% of 400 = 381 exactly), so 99.00% of 4226 fits none.
    units = [f"u{i:02d}" for i in range(25)]
    table = pd.DataFrame({"unit": units, "n": [4226] + [400] * 24, "pct": ["99.00%"] + ["95.25%"] * 24})
    survey = _no_survey_warning(lambda: sa.Survey.from_counts(table, item="unit", percent="pct"))
    assert survey.report.excluded == {"percent_fits_no_count": 1}
    assert any("fits no whole count" in w for w in survey.report.warnings)
    with pytest.warns(sa.SurveyWarning, match="1 of 25 rows"):
        sa.Survey.from_counts(table, item="unit", percent="pct", warn_share=0.01)


def test_the_warning_names_the_decimals_that_fit_more_rows():
    # decimals=2 given for whole percentages: 74.00% of 23 (73.91%) fits none, nor 33.00% of
    # 3 (33.33%); at 0 decimals all three fit (see the first test).
    table = pd.DataFrame({"unit": ["A", "B", "C"], "n": [23, 3, 25], "pct": ["74.0", "33.00", "96"]})
    with pytest.warns(sa.SurveyWarning, match=r"decimals=0 \(CLI --counts \.\.\. decimals=0\); with "
                                              r"decimals=0, 3 of 3 rows fit"):
        sa.Survey.from_counts(table, item="unit", percent="pct", decimals=2)


def test_the_cli_prints_the_warning(tmp_path, capsys):
    path = tmp_path / "t.csv"
    path.write_text("区县,交办量,满意率\n甲,4226,99.00%\n乙,1922,98.39%\n", encoding="utf-8")
    assert main(["validate", str(path), "--counts", "item=区县", "n=交办量", "percent=满意率"]) == 0
    out = capsys.readouterr().out
    assert "WARNING: " in out and "decimals=N (CLI --counts ... decimals=N)" in out


# -- 3. unit keys must be unique ---------------------------------------------------------------

HOSPITALS = ("facility_id,facility_name,state,n,satisfied\n"
             "010001,MEMORIAL HOSPITAL,TX,300,270\n"
             "010002,GENERAL HOSPITAL,TX,200,180\n"
             "360003,MEMORIAL HOSPITAL,OH,400,330\n"
             "360004,ST MARY,OH,100,90\n")


def test_repeated_unit_names_are_an_error_naming_them_their_lines_and_the_fixes(tmp_path, capsys):
    path = tmp_path / "hospitals.csv"
    path.write_text(HOSPITALS, encoding="utf-8")
    with pytest.raises(ResponseFileError) as error:
        sa.Survey.from_counts(path, item="facility_name", n="n", satisfied="satisfied")
    text = str(error.value)
    # MEMORIAL HOSPITAL is on lines 2 and 4 (the header is line 1).
    assert "1 unit name(s) are on more than one row (2 rows)" in text
    assert "'MEMORIAL HOSPITAL' x2 (lines 2, 4)" in text
    assert "item='facility_id'" in text                       # unique on every row
    assert "item=['facility_name', 'state']" in text         # the name and the state together
    assert "duplicates='sum'" in text
    # The command line names its forms too, and exits 1.
    assert main(["validate", str(path), "--counts", "item=facility_name", "n=n", "satisfied=satisfied"]) == 1
    err = capsys.readouterr().err
    assert "(CLI --counts ... item=facility_id)" in err
    assert "(CLI --counts ... item=facility_name+state)" in err
    assert "(CLI --counts ... duplicates=sum)" in err


def test_duplicates_sum_adds_them_up_and_says_so(tmp_path):
    path = tmp_path / "hospitals.csv"
    path.write_text(HOSPITALS, encoding="utf-8")
    survey = sa.Survey.from_counts(path, item="facility_name", n="n", satisfied="satisfied", duplicates="sum")
    counts = survey.counts().set_index("facility_name")
    # 300 + 400 = 700 answers, 270 + 330 = 600 satisfied.
    assert (counts.loc["MEMORIAL HOSPITAL", "n"], counts.loc["MEMORIAL HOSPITAL", "satisfied"]) == (700, 600)
    assert survey.n_items == 3
    report = survey.report
    assert (report.rows_read, report.rows_kept) == (4, 4)
    assert "1 unit name(s) on more than one row (2 rows) are added up into one unit each" in str(report)
    with pytest.raises(ValueError, match=r"duplicates.*'error', 'sum'"):
        sa.Survey.from_counts(path, item="facility_name", n="n", satisfied="satisfied", duplicates="first")


def test_item_over_two_columns(tmp_path, capsys):
    path = tmp_path / "hospitals.csv"
    path.write_text(HOSPITALS, encoding="utf-8")
    survey = sa.Survey.from_counts(path, item=["facility_name", "state"], n="n", satisfied="satisfied")
    assert survey.item == "facility_name + state"
    rates = survey.item_rates().set_index("facility_name + state")
    assert rates.loc["MEMORIAL HOSPITAL / OH", "satisfied"] == 330   # line 4 of the file
    assert rates.loc["MEMORIAL HOSPITAL / TX", "n"] == 300
    assert len(rates) == 4
    assert "item id = facility_name + state" in str(survey.report)
    analysis = sa.analyze(path, counts={"item": ["facility_name", "state"], "n": "n", "satisfied": "satisfied"})
    assert len(analysis.item_rates) == 4
    assert main(["validate", str(path), "--counts", "item=facility_name+state", "n=n", "satisfied=satisfied"]) == 0
    assert "item_id = facility_name + state" in capsys.readouterr().out


# -- 4. dissatisfied counts and rates ----------------------------------------------------------

def test_a_dissatisfied_count():
    table = pd.DataFrame({"单位": ["甲", "乙"], "回访量": [400, 120], "不满意数": [10, 0]})
    survey = sa.Survey.from_counts(table, item="单位", n="回访量", dissatisfied="不满意数")
    counts = survey.counts().set_index("单位")
    # 400 - 10 = 390 satisfied; 120 - 0 = 120.
    assert counts["satisfied"].to_dict() == {"乙": 120, "甲": 390}
    assert survey.overall().pooled.estimate == pytest.approx(510 / 520)   # (390 + 120) / (400 + 120)
    assert "satisfaction is 1 - dissatisfied: satisfied = 回访量 - the dissatisfied count of 不满意数" \
        in str(survey.report)
    assert "satisfaction is 1 - dissatisfied" in survey.describe()
    table.loc[0, "不满意数"] = 401
    with pytest.raises(ResponseFileError, match="不满意数 is larger than 回访量"):
        sa.Survey.from_counts(table, item="单位", n="回访量", dissatisfied="不满意数")


def test_a_dissatisfied_rate():
    table = pd.DataFrame({"单位": ["甲", "乙"], "回访量": [400, 120], "不满意率": ["2.5%", "3%"]})
    with pytest.warns(sa.SurveyWarning, match="1 of 2 rows"):   # 乙's 3.0% fits no count (below)
        survey = sa.Survey.from_counts(table, item="单位", n="回访量", percent_dissatisfied="不满意率")
    audit = survey.percent_audit.set_index("单位")
    assert audit["decimals"].tolist() == [1, 1]   # "2.5" needs one decimal: "3%" is 3.0%
    # 2.5% of 400 = 10 dissatisfied exactly: 390 satisfied, a rate of exactly 0.975.
    assert (audit.loc["甲", "k_min"], audit.loc["甲", "k_max"]) == (390, 390)
    rates = survey.item_rates().set_index("单位")
    assert rates.loc["甲", "rate"] == 390 / 400
    # 3.0% of 120 = 3.6: 4/120 = 3.33% rounds to 3.3, 3/120 = 2.5%: no dissatisfied count fits
    # at one decimal; read with 0 decimals, 3% allows 3 (2.5% rounds half-up to 3) or 4 (3.33%).
    assert not audit.loc["乙", "consistent"]
    whole = sa.Survey.from_counts(table.assign(不满意率=["3%", "3%"]), item="单位", n="回访量",
                                  percent_dissatisfied="不满意率")
    ranges = whole.percent_audit.set_index("单位")
    assert (ranges.loc["乙", "dissatisfied_min"], ranges.loc["乙", "dissatisfied_max"]) == (3, 4)
    assert (ranges.loc["乙", "k_min"], ranges.loc["乙", "k_max"]) == (116, 117)   # 120 - 4, 120 - 3
    assert "the dissatisfied share (from the rounded percentage)" in str(whole.report)


def test_two_value_columns_are_an_error_naming_both():
    table = pd.DataFrame({"单位": ["甲"], "回访量": [400], "满意数": [390], "不满意数": [10]})
    with pytest.raises(ValueError, match=r"satisfied='满意数' and dissatisfied='不满意数' are both given"):
        sa.Survey.from_counts(table, item="单位", n="回访量", satisfied="满意数", dissatisfied="不满意数")


# -- 6. a published "100%" is not always 100% ----------------------------------------------------

def test_a_rounded_100_percent_is_not_counted_at_100():
    # Whole percentages: "100%" of 300 allows 299 (299.5/300 = 99.83% rounds half-up to 100;
    # 299/300 = 99.67% -> 100) and 300; "100%" of 57 allows only 57 (56/57 = 98.2% -> 98).
    table = pd.DataFrame({"unit": ["big", "small", "other"], "n": [300, 57, 20],
                          "pct": ["100%", "100%", "95%"]})
    survey = sa.Survey.from_counts(table, item="unit", percent="pct")
    assert survey.items_at_100()["unit"].tolist() == ["small"]
    rounding = survey.items_rounding_to_100()
    assert rounding.to_dict("records") == [{"unit": "big", "n": 300, "satisfied_min": 299, "satisfied_max": 300}]
    analysis = sa.analyze(survey)
    row = analysis.headline.set_index("measure").loc["items_at_100"]
    assert row["estimate"] == 1.0 and row["measure_en"] == "items at 100% (1 more round to 100%)"
    assert "items_rounding_to_100" in analysis.tables()
    claims = pd.DataFrame([
        {"id": "big", "kind": "item_at_100", "value": 100, "qualifier": "exact", "item": "big",
         "quote": "big 100%", "source": "test"},
        {"id": "small", "kind": "item_at_100", "value": 100, "qualifier": "exact", "item": "small",
         "quote": "small 100%", "source": "test"},
        {"id": "count", "kind": "items_at_100", "value": 2, "qualifier": "exact",
         "quote": "2 units at 100%", "source": "test"}])
    checks = sa.check_claims(survey, claims).set_index("claim_id")
    assert checks.loc["big", "verdict"] == "consistent but not shown"
    assert checks.loc["small", "verdict"] == "supported"
    # The count is 1 (small) to 2 (small and big): "2" is possible, not shown.
    assert checks.loc["count", "verdict"] == "consistent but not shown"
    assert "1 more item(s) print as 100%" in checks.loc["count", "detail"]
    assert "big: 299..300" in checks.loc["count", "detail"]


# -- 5. validate --counts ----------------------------------------------------------------------

def test_validate_counts_prints_the_ledger_and_exits_on_errors(tmp_path, capsys):
    path = tmp_path / "units.csv"
    path.write_text("单位,回访量,满意率\n甲,400,96.75%\n乙,300,99.00%\n合计,700,97.71%\n", encoding="utf-8")
    assert main(["validate", str(path), "--counts", "item=单位", "n=回访量", "percent=满意率"]) == 0
    out = capsys.readouterr().out
    assert "Counts report for" in out
    assert "read" in out and "kept" in out and "excluded: summary_row" in out
    assert "summary_row (lines 4)" in out                     # the totals row, line 4 of the file
    assert "percentages of 满意率 read with 2 decimal(s)" in out
    path.write_text("单位,回访量,满意率\n甲,400,96.75%\n乙,三百,99%\n", encoding="utf-8")
    assert main(["validate", str(path), "--counts", "item=单位", "n=回访量", "percent=满意率"]) == 1
    err = capsys.readouterr().err
    assert "line 3, column '回访量'" in err and "whole number" in err
    # A column that is not there: exit 1 and the columns found.
    path.write_text("单位,回访量,满意率\n甲,400,96.75%\n", encoding="utf-8")
    assert main(["validate", str(path), "--counts", "item=单位", "n=人数", "percent=满意率"]) == 1
    assert "'人数' is not a column" in capsys.readouterr().err


# -- 7. no header proposed below data rows because of one cell ----------------------------------

def test_a_state_code_in_a_data_row_is_not_proposed_as_the_header(tmp_path):
    rng = np.random.default_rng(1)
    states = np.array(["TX", "OH", "CA", "NY"])[rng.integers(0, 4, 1000)]
    states[828] = "ID"   # line 830: the header is line 1, data from line 2
    table = pd.DataFrame({"Facility Name": [f"HOSPITAL {i}" for i in range(1000)], "State": states,
                          "Completed Surveys": rng.integers(100, 900, 1000), "Top Box": "74.0"})
    path = tmp_path / "hcahps.csv"
    table.to_csv(path, index=False)
    with pytest.raises(ResponseFileError) as error:
        sa.load_responses(path)
    assert "830" not in str(error.value) and "header_row=N" in str(error.value)
    # A header below title rows (one cell each) is still found further down.
    path.write_text("title\n" * 60 + "事项,评价\nA,满意\n", encoding="utf-8")
    with pytest.raises(ResponseFileError, match=r"header_row=61"):
        sa.load_responses(path)
