"""Tables of counts per unit as input: counts, rounded percentages, files, the CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis import ResponseFileError
from survey_analysis.present.cli import main


def _responses_with_counts(counts: dict) -> pd.DataFrame:
    """Tidy 3-level responses with the given (satisfied, n) per item: the satisfied answer
    满意 and the others 不满意, so satisfied = 满意 + 基本满意 gives exactly these counts."""
    items = np.repeat(list(counts), [n for _, n in counts.values()])
    ratings = np.concatenate([["满意"] * k + ["不满意"] * (n - k) for k, n in counts.values()])
    sheet = pd.DataFrame({"事项": items, "受访者": np.arange(len(items)), "评价": ratings})
    return sa.load_responses(sheet)


COUNTS = {"A": (19, 20), "B": (30, 30), "C": (41, 50), "D": (8, 9)}


def test_counts_table_equals_respondent_level_on_same_counts():
    # The same counts reached two ways: a table of counts, and one row per respondent.
    table = pd.DataFrame({"item_id": list(COUNTS), "n": [n for _, n in COUNTS.values()],
                          "satisfied": [k for k, _ in COUNTS.values()]})
    from_table = sa.Survey.from_counts(table)
    from_rows = sa.Survey(_responses_with_counts(COUNTS))
    columns = ["item_id", "n", "satisfied", "rate", "ci_low", "ci_high"]
    pd.testing.assert_frame_equal(from_table.item_rates()[columns], from_rows.item_rates()[columns])
    a, b = from_table.overall().to_frame(), from_rows.overall().to_frame()
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(from_table.items_at_100(), from_rows.items_at_100())
    pd.testing.assert_frame_equal(from_table.funnel(), from_rows.funnel())
    pd.testing.assert_frame_equal(from_table.shrink(), from_rows.shrink())
    assert from_table.chance_of_100().mean == pytest.approx(from_rows.chance_of_100().mean, abs=1e-12)
    # The ledger of a counts table: 4 rows read, 4 kept.
    assert (from_table.report.rows_read, from_table.report.rows_kept) == (4, 4)


def test_percent_recovers_exact_counts():
    # 19/20 = 95%, 30/30 = 100.0%, 41/50 = 82%, 8/9 = 88.89%: each rounding leaves one count.
    table = pd.DataFrame({"item_id": list(COUNTS), "n": [20, 30, 50, 9],
                          "percent": ["95%", "100.0%", "82%", "88.89%"]})
    survey = sa.Survey.from_counts(table, percent="percent")
    assert survey.count_range is None  # every count exact
    assert survey.item_rates()["satisfied"].tolist() == [19, 30, 41, 8]
    assert survey.percent_audit["n_consistent"].tolist() == [1, 1, 1, 1]
    exact = sa.Survey.from_counts(pd.DataFrame({"item_id": list(COUNTS), "n": [20, 30, 50, 9],
                                                "satisfied": [19, 30, 41, 8]}))
    pd.testing.assert_frame_equal(survey.item_rates(), exact.item_rates())


def test_percent_with_a_range_widens_the_interval():
    # "99%" of 300 is any of 296..298 (296/300 = 98.67% -> 99%, 298/300 = 99.33% -> 99%).
    table = pd.DataFrame({"unit": ["X", "Y"], "n": [300, 40], "pct": ["99%", "95%"]})
    survey = sa.Survey.from_counts(table, item="unit", percent="pct")
    rates = survey.item_rates().set_index("unit")
    assert (rates.loc["X", "satisfied_min"], rates.loc["X", "satisfied"], rates.loc["X", "satisfied_max"]) \
        == (296, 297, 298)
    # R 4.2.2: prop.test(296, 300, correct=FALSE)$conf.int[1] = 0.966224469747467 and
    # prop.test(298, 300, correct=FALSE)$conf.int[2] = 0.998169851642088 (Wilson).
    assert rates.loc["X", "ci_low"] == pytest.approx(0.966224469747467, abs=1e-12)
    assert rates.loc["X", "ci_high"] == pytest.approx(0.998169851642088, abs=1e-12)
    # 95% of 40 is exactly 38: no widening there.
    assert rates.loc["Y", "satisfied_min"] == rates.loc["Y", "satisfied_max"] == 38
    # Overall: the interval contains the intervals at both ends of the range.
    widened = survey.overall().pooled
    low = survey.at_count_bound("min").overall().pooled
    high = survey.at_count_bound("max").overall().pooled
    assert widened.ci_low == low.ci_low and widened.ci_high == high.ci_high
    assert low.ci_low < widened.estimate < high.ci_high
    assert "rounded percentages" in widened.note
    # At another level the interval is widened the same way (it was the point counts' interval).
    overall = survey.overall()
    for estimate in (overall.pooled, overall.naive, overall.mean_of_items):
        assert estimate.confidence_interval(0.95) == (estimate.ci_low, estimate.ci_high)
    at_90 = widened.confidence_interval(0.90)
    assert at_90 == (low.confidence_interval(0.90).low, high.confidence_interval(0.90).high)
    assert widened.ci_low < at_90.low < at_90.high < widened.ci_high


def test_percent_that_fits_no_count_is_reported_and_counted():
    # 99.00% of 4226 fits no count: 4183/4226 = 98.98%, 4184/4226 = 99.01% (hand arithmetic).
    table = pd.DataFrame({"区县": ["甲", "乙", "合计"], "交办量": [4226, 1922, 6148],
                          "满意率": ["99.00%", "98.39%", "98.83%"]})
    with pytest.warns(sa.SurveyWarning, match="decimals="):   # 1 of 2 rows fits no count
        survey = sa.Survey.from_counts(table, item="区县", n="交办量", percent="满意率")
    report = survey.report
    assert (report.rows_read, report.rows_kept) == (3, 1)
    assert report.excluded == {"summary_row": 1, "percent_fits_no_count": 1}
    assert report.rows_read == report.rows_kept + report.rows_excluded
    assert any("fits no whole count" in w for w in report.warnings)
    audit = survey.percent_audit.set_index("区县")
    assert not audit.loc["甲", "consistent"]
    # 1891/1922 = 98.387% -> 98.39% (hand arithmetic); the only count that fits.
    assert (audit.loc["乙", "k_min"], audit.loc["乙", "k_max"]) == (1891, 1891)
    assert survey.item_rates()["区县"].tolist() == ["乙"]
    # 98.37% of 1922 fits no count either (1890/1922 = 98.34%, 1891/1922 = 98.39%): with
    # no row left there is nothing to estimate, and the error says why.
    table.loc[1, "满意率"] = "98.37%"
    with pytest.raises(ValueError, match=r"no row's percentage fits a whole count of its 交办量"):
        sa.Survey.from_counts(table, item="区县", n="交办量", percent="满意率")


def test_counts_file_with_title_rows_and_totals(tmp_path):
    path = tmp_path / "published.csv"
    path.write_text("2023年1-4月各区县满意度\n\n单位,回访量,满意数\n甲,120,118\n乙,\"1,030\",1001\n"
                    "合计,1150,1119\n", encoding="gb18030")
    survey = sa.Survey.from_counts(path, item="单位", n="回访量", satisfied="满意数")
    assert survey.counts(["单位"])[["单位", "n", "satisfied"]].to_dict("list") == \
        {"单位": ["乙", "甲"], "n": [1030, 120], "satisfied": [1001, 118]}
    assert survey.report.excluded == {"summary_row": 1}
    assert survey.source == str(path)
    # What the reader decided is in the report: the header below the title and blank line.
    assert "header: line 3" in str(survey.report)
    assert "columns read: item_id = 单位, n = 回访量, satisfied = 满意数" in str(survey.report)


def test_counts_report_shows_the_header_and_the_decimals_read(tmp_path):
    # A title row, then a header over lines 2-3; "96.75%" has two decimals, "99%" none.
    path = tmp_path / "published.csv"
    path.write_text("某市12345热线各单位满意率\n单位,回访情况,\n,回访量,满意率\n甲,400,96.75%\n乙,300,99%\n"
                    "丙,200,98.50%\n", encoding="utf-8")
    survey = sa.Survey.from_counts(path, item="单位", n="回访量", percent="满意率")
    report = str(survey.report)
    assert "header: line 2" in report and "header spans lines 2-3" in report
    assert "columns read: item_id = 单位, n = 回访量, percent = 满意率" in report
    # One precision for the column: "96.75%" needs 2, so "99%" is 99.00% (printed without
    # its zeros) and is read with 2 decimals too.
    assert ("percentages of 满意率 read with 2 decimal(s), one precision for the column: the fewest "
            "every value fits ('96.75%' needs 2); as printed, decimals (rows): 0 (1), 2 (2)") in report
    assert survey.percent_audit["decimals"].tolist() == [2, 2, 2]
    zh = survey.report.notes_in("zh")[-1]
    assert zh.startswith("满意率 的百分比按 2 位小数读取（整列统一精度")
    given = sa.Survey.from_counts(path, item="单位", n="回访量", percent="满意率", decimals=2)
    assert "decimals given (decimals=), decimals (rows): 2 (3)" in str(given.report)


def test_counts_table_errors_name_line_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("单位,回访量,满意数\n甲,120,118\n乙,100,101\n", encoding="utf-8")
    with pytest.raises(ResponseFileError, match=r"line 3, column '满意数'.*larger than 回访量"):
        sa.Survey.from_counts(path, item="单位", n="回访量", satisfied="满意数")
    path.write_text("单位,回访量,满意率\n甲,120,约九成\n", encoding="utf-8")
    with pytest.raises(ResponseFileError, match=r"line 2, column '满意率'.*percentage like"):
        sa.Survey.from_counts(path, item="单位", n="回访量", percent="满意率")
    path.write_text("单位,回访量,满意数\n甲,12.5,10\n", encoding="utf-8")
    with pytest.raises(ResponseFileError, match=r"line 2, column '回访量'.*whole number"):
        sa.Survey.from_counts(path, item="单位", n="回访量", satisfied="满意数")
    with pytest.raises(ResponseFileError, match=r"'人数' is not a column; columns found"):
        sa.Survey.from_counts(path, item="单位", n="人数", satisfied="满意数")
    with pytest.raises(ValueError, match="satisfied='满意数' and percent='满意率' are both given"):
        sa.Survey.from_counts(path, item="单位", n="回访量", satisfied="满意数", percent="满意率")
    table = pd.DataFrame({"item_id": ["A"], "n": [10], "percent": ["90%"]})
    with pytest.raises(ValueError, match="rounding"):
        sa.Survey.from_counts(table, percent="percent", rounding="nearest")


def test_counts_table_cannot_change_definition():
    table = pd.DataFrame({"item_id": ["A"], "n": [10], "satisfied": [9]})
    with pytest.raises(ValueError, match="fixes the definition"):
        sa.Survey.from_counts(table).with_definition("top_box")


def test_edges_zero_all_and_one():
    # 0 of 10, 10 of 10, 1 of 1: bounds within [0, 1], the 100% items listed.
    table = pd.DataFrame({"item_id": ["zero", "all", "one"], "n": [10, 10, 1], "satisfied": [0, 10, 1]})
    rates = sa.Survey.from_counts(table).item_rates()
    assert ((rates["ci_low"] >= 0) & (rates["ci_high"] <= 1)).all()
    assert set(sa.Survey.from_counts(table).items_at_100()["item_id"]) == {"all", "one"}


def test_analyze_and_cli_report_on_a_percent_table(tmp_path, capsys):
    path = tmp_path / "units.csv"
    path.write_text("单位,回访量,满意率\n甲,400,96.75%\n乙,300,99%\n丙,4226,99.00%\n", encoding="utf-8")
    with pytest.warns(sa.SurveyWarning, match="1 of 3 rows"):   # 99.00% of 4226 fits no count
        analysis = sa.analyze(path, counts={"item": "单位", "n": "回访量", "percent": "满意率"})
    assert len(analysis.item_rates) == 2 and analysis.sensitivity is None
    assert any("fits no whole count" in w for w in analysis.warnings)
    out_dir = tmp_path / "reports"
    code = main(["report", str(path), "--counts", "item=单位", "n=回访量", "percent=满意率",
                 "-o", str(out_dir)])
    assert code == 0
    assert (out_dir / "report.html").exists()
    printed = capsys.readouterr()
    assert "fits no whole count" in printed.out + printed.err
    html = (out_dir / "report.html").read_text(encoding="utf-8")
    assert "百分比与人数对不上" in html or "fits no whole count" in html
    # The report is in Chinese by default, each package column named in words.
    assert "读取的列：事项（item_id）= 单位；有效回答（n）= 回访量；百分比（percent）= 满意率" in html


def test_analyze_counts_option_errors(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("单位,回访量,满意数\n甲,40,38\n乙,30,30\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"unknown key\(s\) \['rate'\]; allowed: \['item', 'n'"):
        sa.analyze(path, counts={"item": "单位", "n": "回访量", "rate": "满意数"})
    with pytest.raises(ValueError, match="satisfied= does not apply to a table of counts"):
        sa.analyze(path, counts={"item": "单位", "n": "回访量", "satisfied": "满意数"}, satisfied="top_box")
    with pytest.raises(ValueError, match=r"option\(s\) \['scale'\] apply to sheets"):
        sa.analyze(path, counts={"item": "单位", "n": "回访量", "satisfied": "满意数"}, scale="cn3")
    analysis = sa.analyze(path, counts={"item": "单位", "n": "回访量", "satisfied": "满意数"})
    # 68 of 70 satisfied (38 + 30), one unit at 100% (乙, 30 of 30).
    assert analysis.overall.pooled.estimate == pytest.approx(68 / 70)
    assert analysis.items_at_100["单位"].tolist() == ["乙"]
    assert analysis.survey.percent_audit is None
