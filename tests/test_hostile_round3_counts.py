"""Issue 21, the adversarial run's silent wrong numbers in published tables, claims and
options: each case built as the report built it, its right figure or its exact error."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis import ResponseFileError
from survey_analysis.load.cellformat import has_percent_cells, percent_shown
from survey_analysis.load.counts_table import counts_flag, read_counts_table
from survey_analysis.load.numbers import MAX_COUNT
from survey_analysis.present.cli import main
from survey_analysis.words import SurveyError, SurveyWarning

openpyxl = pytest.importorskip("openpyxl")


def _workbook(path, rows, formats):
    """An .xlsx of ``rows`` (the first the header), cell formats by (row, column), 1-based."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for (row, column), number_format in formats.items():
        sheet.cell(row, column).number_format = number_format
    book.save(path)
    return path


# -- case 2: Excel cells formatted as percentages ------------------------------------------

def test_excel_percent_cells_are_read_as_the_percentage_shown(tmp_path):
    # 97.4% is stored 0.974 (format 0.0%), 100% is stored 1 (format 0%): read as shown.
    path = _workbook(tmp_path / "units.xlsx", [["单位", "回访量", "满意率"], ["甲", 1000, 0.974], ["乙", 300, 1]],
                     {(2, 3): "0.0%", (3, 3): "0%"})
    read = read_counts_table(path, item="单位", n="回访量", percent="满意率")
    assert read.table["满意率"].tolist() == ["97.4%", "100%"]
    assert any("2 cell(s) formatted as percentages" in note for note in read.notes)
    survey = sa.Survey.from_counts(path, item="单位", n="回访量", percent="满意率")
    # 97.4% of 1000 at 1 decimal: only 974 rounds to it; "100%" read at the column's 1
    # decimal (100.0%) of 300: only 300.
    assert survey.counts().set_index("单位")["satisfied"].to_dict() == {"甲": 974, "乙": 300}
    # (974 + 300) / 1300 = 0.98 pooled (it was 1.0% when 0.974 and 1 were read as percents).
    assert survey.overall().estimate == pytest.approx(1274 / 1300)
    assert any("formatted as percentages" in note for note in survey.report.notes)


def test_a_response_sheet_reads_percent_cells_as_shown_too(tmp_path):
    # The reader's job, whatever the sheet: the grid holds the text the sheet shows.
    from survey_analysis.load.read import read_source

    path = _workbook(tmp_path / "sheet.xlsx", [["item_id", "share"], ["A", 0.5], ["B", 0.25]],
                     {(2, 2): "0%", (3, 2): "0.00%"})
    grid = read_source(path, 0, None)
    assert grid.text[1].astype(str).tolist() == ["share", "50%", "25.00%"]


def test_the_fast_reader_leaves_percent_cells_to_openpyxl(tmp_path):
    import zipfile

    percent = _workbook(tmp_path / "p.xlsx", [["a"], [0.5]], {(2, 1): "0.0%"})
    plain = _workbook(tmp_path / "n.xlsx", [["a"], [0.5]], {})
    for path, expected in ((percent, True), (plain, False)):
        with zipfile.ZipFile(path) as archive:
            data = archive.read("xl/worksheets/sheet1.xml")
            assert has_percent_cells(archive, data, str(path)) is expected


@pytest.mark.parametrize(("value", "number_format", "shown"), [
    (0.974, "0.0%", "97.4%"),       # the format's 1 decimal
    (1, "0%", "100%"),              # a stored 1 is 100%
    (0.97456, "0.00%", "97.46%"),   # 97.456 rounded half up to 2 decimals
    (0.5, "0.##%", "50%"),          # optional digits show no trailing zeros
    (0.974, "General", 0.974),      # no percent format: the number as stored
])
def test_percent_shown(value, number_format, shown):
    assert percent_shown(value, number_format) == shown


# -- case 3: rates written as fractions -------------------------------------------------------

FRACTIONS = pd.DataFrame({"u": ["a", "b"], "n": ["100", "100"], "p": ["0.97", "0.95"]})


def test_a_column_of_fractions_is_refused_naming_both_readings():
    with pytest.raises(ResponseFileError) as caught:
        sa.Survey.from_counts(FRACTIONS, item="u", n="n", percent="p")
    assert caught.value.code == "load.counts.percent_ambiguous"
    text = str(caught.value)
    assert "is 0.97 a fraction of 1 (97%) or a percentage (0.97%)?" in text
    assert "percent_scale='fraction' or percent_scale='percent'" in text
    assert "--counts ... percent_scale=fraction" in caught.value.render(flags=counts_flag)


def test_percent_scale_fraction_and_percent():
    survey = sa.Survey.from_counts(FRACTIONS, item="u", n="n", percent="p", percent_scale="fraction")
    # 0.97 = 97% of 100 = 97; 0.95 = 95% of 100 = 95.
    assert survey.counts()["satisfied"].tolist() == [97, 95]
    assert any("read as fractions of 1" in note for note in survey.report.notes)
    # The old reading, asked for: 0.97% of 10000 answers is 97.
    wide = FRACTIONS.assign(n="10000")
    kept = sa.Survey.from_counts(wide, item="u", n="n", percent="p", percent_scale="percent")
    assert kept.counts()["satisfied"].tolist() == [97, 95]  # 0.97% and 0.95% of 10000


def test_percent_scale_fraction_refuses_a_percentage_and_unknown_scales():
    table = FRACTIONS.assign(p=["0.97", "95%"])
    with pytest.raises(ResponseFileError, match="'95%' is not a fraction of 1"):
        sa.Survey.from_counts(table, item="u", n="n", percent="p", percent_scale="fraction")
    with pytest.raises(SurveyError, match="unknown percent_scale 'ratio'; allowed: 'percent', 'fraction'"):
        sa.Survey.from_counts(FRACTIONS, item="u", n="n", percent="p", percent_scale="ratio")


def test_a_column_with_a_percent_sign_or_above_1_is_not_ambiguous():
    for values in (["0.97%", "0.95"], ["0.97", "2"], ["0", "0"]):
        table = FRACTIONS.assign(n="10000", p=values)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SurveyWarning)
            sa.Survey.from_counts(table, item="u", n="n", percent="p")  # read as percentages


def test_cli_counts_percent_scale(tmp_path, capsys):
    path = tmp_path / "rates.csv"
    FRACTIONS.to_csv(path, index=False)
    assert main(["validate", str(path), "--counts", "item=u", "n=n", "percent=p"]) == 1
    assert "percent_scale='fraction' (CLI --counts ... percent_scale=fraction)" in capsys.readouterr().err
    assert main(["validate", str(path), "--counts", "item=u", "n=n", "percent=p", "percent_scale=fraction"]) == 0


# -- cases 9 and 24: counts beyond what a float64 holds exactly ---------------------------------

def test_counts_over_2_53_are_refused_naming_line_and_column(tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text(f"unit,n,satisfied\na,100,90\nb,{2**63},5\nc,1e20,5\n", encoding="utf-8")
    with pytest.raises(ResponseFileError) as caught:
        sa.Survey.from_counts(path, item="unit", n="n", satisfied="satisfied")
    assert caught.value.code == "load.counts.too_large"
    # Line 3 is the first (the header is line 1); lines 3 and 4 are both over.
    assert str(caught.value).startswith(f"{path}, line 3, column 'n': n is {2**63} here, more than 9,007,199,254,740,991")
    assert "(2 bad row(s), lines 3, 4)" in str(caught.value)


def test_from_counts_of_2_63_minus_1_is_an_error_not_an_empty_table():
    table = pd.DataFrame({"u": ["a"], "n": [2**63 - 1], "s": [2**63 - 1]})
    with pytest.raises(ResponseFileError, match="n is 9223372036854775807 here, more than"):
        sa.Survey.from_counts(table, item="u", n="n", satisfied="s")
    # The largest count read: 2**53 - 1, exactly.
    largest = pd.DataFrame({"u": ["a"], "n": [MAX_COUNT], "s": [MAX_COUNT - 1]})
    assert read_counts_table(largest, item="u", n="n", satisfied="s").table["n"].tolist() == [2**53 - 1]


# -- case 17: thousands separators --------------------------------------------------------

@pytest.mark.parametrize("written", ["1,2,3,4", "12,34", "1234,567"])
def test_misplaced_thousands_separators_are_refused(written):
    table = pd.DataFrame({"u": ["a", "b"], "n": ["100", written], "s": ["5", "5"]})
    with pytest.raises(ResponseFileError) as caught:
        sa.Survey.from_counts(table, item="u", n="n", satisfied="s")
    assert caught.value.code == "load.counts.separators"
    assert f"line 2, column 'n': n: {written!r} has thousands separators in the wrong places" in str(caught.value)


def test_thousands_separators_every_three_digits_are_read():
    table = pd.DataFrame({"u": ["a", "b", "c"], "n": ["1,234", "12,345,678", "１，２３４"], "s": ["5", "5", "5"]})
    # 1,234 and the full-width １，２３４ are 1234; 12,345,678 is 12345678.
    assert read_counts_table(table, item="u", n="n", satisfied="s").table["n"].tolist() == [1234, 12345678, 1234]


# -- case 16: look-alike unit names ---------------------------------------------------------

def test_look_alike_unit_names_are_one_unit_repeated():
    table = pd.DataFrame({"u": ["事项1", "事项１", "事项2"], "n": [10, 10, 8], "s": [5, 6, 8]})
    with pytest.raises(ResponseFileError) as caught:
        sa.Survey.from_counts(table, item="u", n="n", satisfied="s")
    text = str(caught.value)
    assert caught.value.code == "load.counts.repeated_units"
    assert "'事项1' x2 (lines 1, 2)" in text
    assert "differ only by invisible characters, full-width forms or spaces" in text
    assert "'事项1' = '事项１' -> '事项1'" in text
    summed = sa.Survey.from_counts(table, item="u", n="n", satisfied="s", duplicates="sum")
    # 事项1 = 10 + 10 answers, 5 + 6 satisfied; 事项2 as given.
    assert summed.counts()[["u", "n", "satisfied"]].values.tolist() == [["事项1", 20, 11], ["事项2", 8, 8]]
    assert any("written in several ways were merged" in note for note in summed.report.notes)


def test_invisible_characters_in_a_unit_name_are_removed_with_a_note():
    table = pd.DataFrame({"u": ["事项1\u200b", "事项2"], "n": [10, 8], "s": [5, 8]})
    read = read_counts_table(table, item="u", n="n", satisfied="s")
    assert read.table["u"].tolist() == ["事项1", "事项2"]
    assert any("invisible characters or outer spaces removed" in note for note in read.notes)


# -- case 31: a percentage with thousands of decimals -----------------------------------------

def test_a_percentage_with_too_many_decimals_is_refused():
    with pytest.raises(SurveyError) as caught:
        sa.counts_from_percentages(["0." + "9" * 5000], [10])
    assert caught.value.code == "load.percent.too_many_decimals"
    assert str(caught.value) == ("'0.99999999999999999999...' has 5000 decimals; a percentage is read with at "
                                 "most 12: round it")
    table = pd.DataFrame({"u": ["a"], "n": [10], "p": ["0." + "9" * 5000 + "%"]})
    with pytest.raises(SurveyError, match="has 5000 decimals"):
        sa.Survey.from_counts(table, item="u", n="n", percent="p")


# -- cases 7, 8 and 20: claims ----------------------------------------------------------------

def _claims(value, kind="overall_rate", qualifier="over", item="", unit=""):
    return pd.DataFrame({"id": ["c"], "kind": [kind], "value": [value], "qualifier": [qualifier],
                         "quote": ["满意度超过95%"], "source": ["通报"], "item": [item], "unit": [unit]})


def test_a_decimal_comma_in_a_rate_claim_is_refused_with_the_fix():
    with pytest.raises(SurveyError) as caught:
        sa.read_claims(_claims("95,5"))
    assert caught.value.code == "claims.decimal_comma"
    assert str(caught.value) == ("<claims DataFrame>, line 2, column 'value': '95,5' has a decimal comma (a "
                                 "comma before one or two digits; a thousands separator comes before three): "
                                 "write 95.5")


def test_thousands_separators_in_a_count_claim_follow_the_counts_rule():
    # 1,234 answers is 1234; 12,34 is refused as in a table of counts.
    assert sa.read_claims(_claims("1,234", kind="n_responses", qualifier="exact"))["value"].tolist() == [1234.0]
    with pytest.raises(SurveyError, match="'12,34' has thousands separators in the wrong places"):
        sa.read_claims(_claims("12,34", kind="n_responses", qualifier="exact"))


def test_a_rate_claim_at_most_1_in_percent_is_refused_naming_both_readings():
    with pytest.raises(SurveyError) as caught:
        sa.read_claims(_claims("0.95"))
    assert caught.value.code == "claims.fraction_or_percent"
    assert ("it reads as 0.95%. If 95% is meant, write 95 (or unit fraction); if 0.95% is meant, write 0.95%"
            in str(caught.value))
    # Written so that it says which: 0.95% as a percent, 0.95 as a fraction, 95%.
    assert sa.read_claims(_claims("0.95%"))["value"].tolist() == [0.95]
    assert sa.read_claims(_claims("0.95", unit="fraction"))["value"].tolist() == [0.95]
    assert sa.read_claims(_claims("95%"))["value"].tolist() == [95.0]


def test_a_claim_on_a_full_width_item_id_finds_the_item():
    responses = pd.DataFrame({"item_id": ["A"] * 10, "scale": "cn3", "rank": [1] * 10})
    checks = sa.check_claims(responses, _claims("100", kind="item_at_100", qualifier="exact", item="Ａ"))
    # Item A: 10 of 10 satisfied, so "Ａ at 100%" is supported, not "not in data".
    assert checks[["estimand", "verdict"]].values.tolist() == [["item Ａ", "supported"]]


# -- case 11: a repeated id in the item catalogue -----------------------------------------------

RESPONSES = pd.DataFrame({"item_id": list("AABBCC"), "scale": "cn3", "rank": [1, 2, 1, 1, 1, 3]})


def test_a_repeated_catalogue_id_with_other_names_is_an_error():
    items = pd.DataFrame({"item_id": ["A", "B", "C", "A"], "name_en": ["a", "b", "c", "x"]})
    with pytest.raises(SurveyError) as caught:
        sa.analyze(RESPONSES, items=items)
    assert caught.value.code == "analysis.items_repeated"
    assert "'A' x2 (rows 1, 4)" in str(caught.value)


def test_identical_repeated_catalogue_rows_are_dropped_with_a_warning():
    items = pd.DataFrame({"item_id": ["A", "B", "C", "Ａ"], "name_en": ["a", "b", "c", "a"]})
    with pytest.warns(SurveyWarning, match=r"repeats 1 item id\(s\) on identical rows; the repeats are dropped"):
        analysis = sa.analyze(RESPONSES, items=items)
    # 3 items in the data, 3 rows in the rate table (it was 4: A twice).
    assert len(analysis.item_rates) == 3
    assert analysis.headline.set_index("measure").loc["items", "estimate"] == 3


def test_cli_names_the_catalogue_file(tmp_path, capsys):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("事项编号,受访者,满意度\nA,1,满意\nB,2,不满意\nC,3,满意\n", encoding="utf-8")
    catalogue = tmp_path / "items.csv"
    catalogue.write_text("item_id,name_en\nA,a\nB,b\nC,c\nA,other\n", encoding="utf-8")
    assert main(["report", str(sheet), "--items", str(catalogue), "-o", str(tmp_path / "out")]) == 2
    assert f"the item catalogue {catalogue} names 1 item id(s)" in capsys.readouterr().err


# -- case 23: a threshold written as a percentage ---------------------------------------------

def test_a_threshold_over_1_is_an_error_proposing_the_rate():
    with pytest.raises(SurveyError) as caught:
        sa.analyze(RESPONSES, threshold=95)
    assert str(caught.value) == ("threshold must be a rate strictly between 0 and 1, got 95 (a percentage? "
                                 "write threshold=0.95, not 95)")
    with pytest.raises(SurveyError, match="write threshold=0.95"):
        sa.check_claims(RESPONSES, _claims("95"), threshold=95)


def test_plots_refuse_a_threshold_over_1():
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    from survey_analysis.present.plots import forest_plot, rate_histogram

    rates = sa.item_rates(RESPONSES)
    for plot in (forest_plot, rate_histogram):
        with pytest.raises(SurveyError, match="got 95 "):
            plot(rates, threshold=95)
    plt.close("all")


def test_cli_threshold_95_names_the_flag(tmp_path, capsys):
    assert main(["report", "--threshold", "95", "-o", str(tmp_path / "out")]) != 0
    assert "threshold=0.95 (CLI --threshold 0.95)" in capsys.readouterr().err


def test_every_count_is_kept_or_excluded():
    # Nothing lost silently: the ledger of a table with totals and an unpublished row.
    table = pd.DataFrame({"u": ["a", "b", "合计"], "n": ["1,000", "NA", "1000"], "s": ["900", "5", "900"]})
    survey = sa.Survey.from_counts(table, item="u", n="n", satisfied="s")
    report = survey.report
    # 3 rows read = 1 kept + 1 totals row + 1 not published.
    assert (report.rows_read, report.rows_kept) == (3, 1)
    assert sum(report.excluded.values()) == 2
    assert np.array_equal(survey.counts()["n"].to_numpy(), [1000])
