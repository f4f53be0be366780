"""Banner tables (issue 24): sa.crosstab and sa.write_banner.

The letters must be exactly the package's design-based pairwise tests, read in SPSS's
column-proportion convention (the lower column's letter in the higher cell).
"""

import numpy as np
import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis.words import SurveyError


def _responses(seed=3):
    """12 items (clusters), two districts of 6 items each, three channels; desk clearly lower.
    Item effects make the items' rates vary, so the design matters."""
    rng = np.random.default_rng(seed)
    items = [f"I{i:02d}" for i in range(12)]
    r = pd.DataFrame({"item_id": np.repeat(items, 60), "channel": np.tile(["web", "phone", "desk"], 240),
                      "scale": "yes_no"})
    r["district"] = np.where(r["item_id"] < "I06", "east", "west")
    item_effect = r["item_id"].map(dict(zip(items, rng.normal(0, 0.05, len(items)))))
    chance = r["channel"].map({"web": 0.93, "phone": 0.88, "desk": 0.6}) + item_effect
    r["rank"] = np.where(rng.random(len(r)) < chance, 1, 2)
    return r


@pytest.fixture(scope="module")
def responses():
    return _responses()


def test_letters_are_the_adjusted_pairwise_tests(responses):
    # Reason: a letter must appear exactly where pairwise_comparisons (design-based, Holm
    # within the row) rejects at alpha, in the cell of the higher rate, naming the lower.
    survey = sa.Survey(responses, groups=["district", "channel"])
    for adjustment, alpha in (("holm", 0.05), ("bonferroni", 0.01), ("benjamini_hochberg", 0.2)):
        table = sa.crosstab(survey, "channel", rows="district", pvalue_adjustment=adjustment, alpha=alpha)
        letter = table.attrs["letters"]
        seen = 0
        for district in ["east", "west"]:
            pairs = sa.pairwise_comparisons(survey.subset(district=district), group="channel",
                                            method="design", pvalue_adjustment=adjustment)
            cells = table[(table["row"] == district) & (table["column"] != "Total")].set_index("column")
            for _, pair in pairs.iterrows():
                high, low = ((pair["group_1"], pair["group_2"]) if pair["rate_1"] > pair["rate_2"]
                             else (pair["group_2"], pair["group_1"]))
                code = {v: k for k, v in letter.items()}
                significant = pair["p_adjusted"] <= alpha
                assert (code[low] in cells.loc[high, "letters"]) == significant
                assert code[high] not in cells.loc[low, "letters"]
                seen += significant
        assert seen > 0   # the data do show the low channel
    # desk (A) is clearly lower: phone and web carry A in both districts at 5%
    table = sa.crosstab(survey, "channel", rows="district")
    cells = table[table["column"] != "Total"]
    assert set(cells.loc[cells["column"] != "desk", "letters"]) == {"A"}
    assert set(cells.loc[cells["column"] == "desk", "letters"]) == {""}


def test_items_as_rows_with_answers_as_units_match_each_items_pairwise_tests(responses):
    # Reason: the banner's pairs are computed at once from one joint covariance of every
    # (item, channel) cell; each item's letters must still be exactly that item's own
    # pairwise_comparisons (items as strata: the answers are the units).
    r = responses.copy()
    r.loc[r.index % 7 == 0, "rank"] = 2        # some spread inside every item
    survey = sa.Survey(r, items_as="strata", groups=["channel"])
    table = sa.crosstab(survey, "channel", min_base=10)
    code = {v: k for k, v in table.attrs["letters"].items()}
    seen = 0
    for item in sorted(r["item_id"].unique()):
        pairs = sa.pairwise_comparisons(survey.subset(item_id=item), group="channel", method="design")
        cells = table[(table["row"] == item) & (table["column"] != "Total")].set_index("column")
        for _, pair in pairs.iterrows():
            high, low = ((pair["group_1"], pair["group_2"]) if pair["rate_1"] > pair["rate_2"]
                         else (pair["group_2"], pair["group_1"]))
            significant = pair["p_adjusted"] <= 0.05
            assert (code[low] in cells.loc[high, "letters"]) == significant, (item, high, low)
            seen += significant
    assert seen > 0


def test_items_as_clusters_and_rows_says_why_nothing_is_tested_and_the_fix(responses):
    # Reason: with items as clusters, an item's cells lie in one cluster (no degrees of
    # freedom), so a per-item banner can test nothing; the note must say so and name the fix.
    table = sa.crosstab(sa.Survey(responses, groups=["channel"]), "channel", min_base=10)
    assert (table["letters"] == "").all() and table.attrs["untested_pairs"] == 12 * 3
    assert "items_as='strata'" in table.attrs["note"]
    assert "以回答为单位" in table.attrs["note"].render("zh")
    fixed = sa.crosstab(sa.Survey(responses, items_as="strata", groups=["channel"]), "channel", min_base=10)
    assert fixed.attrs["untested_pairs"] == 0 and "items_as" not in fixed.attrs["note"]


def test_domain_differences_over_two_columns_is_the_same_as_over_their_combination(responses):
    # Reason: crosstab compares (row, column) cells through domain_differences(by=[rows,
    # columns]); it must give what one combined column gives (tuple labels aside).
    survey = sa.Survey(responses, groups=["district", "channel"])
    two = sa.domain_differences(survey, ["district", "channel"])
    combined = responses.assign(cell=responses["district"] + "|" + responses["channel"])
    one = sa.domain_differences(sa.Survey(combined, groups=["cell"]), "cell")
    assert list(two["group_1"]) == [tuple(v.split("|")) for v in one["group_1"]]
    for column in ("difference", "se", "df", "p_value"):
        np.testing.assert_allclose(two[column].to_numpy(float), one[column].to_numpy(float), rtol=1e-12)
    chosen = sa.domain_differences(survey, ["district", "channel"],
                                   pairs=[(("east", "web"), ("east", "desk"))])
    assert len(chosen) == 1 and chosen["difference"].iloc[0] > 0.2


def test_total_column_is_the_rows_rate(responses):
    # Reason: the total is the row's rate over all its answers, whatever the columns.
    table = sa.crosstab(responses, "channel", rows="district")
    total = table[table["column"] == "Total"].set_index("row")
    expected = sa.domain_rates(responses, "district").set_index("district")
    assert np.allclose(total["rate"], expected.loc[total.index, "rate"])
    assert (total["n"] == expected.loc[total.index, "n"]).all()
    assert (total["letters"] == "").all() and (total["letter"] == "").all()
    # per item, as sa.item_rates gives it
    by_item = sa.crosstab(sa.Survey(responses, items_as="strata"), "channel")
    item_total = by_item[by_item["column"] == "Total"].set_index("row")
    rates = sa.item_rates(responses).set_index("item_id")
    assert np.allclose(item_total["rate"], rates.loc[item_total.index, "rate"])


def test_layout_and_attrs(responses):
    # Reason: one row per (row, column) plus the total, in order, letters by position.
    table = sa.crosstab(responses, "channel", rows="district")
    assert list(table.columns[:9]) == ["row", "column", "letter", "n", "rate", "ci_low", "ci_high",
                                       "letters", "small_base"]
    assert table["column"].tolist() == ["desk", "phone", "web", "Total"] * 2
    assert table["letter"].tolist()[:4] == ["A", "B", "C", ""]
    assert table.attrs["letters"] == {"A": "desk", "B": "phone", "C": "web"}
    assert table.attrs["pvalue_adjustment"] == "holm" and table.attrs["alpha"] == 0.05
    assert table.attrs["test"] == "design_t" and table.attrs["min_base"] == 30
    assert "Satisfied" in table.attrs["definition"]
    assert "higher than" in table.attrs["note"]
    assert (table["ci_low"] <= table["rate"]).all() and (table["rate"] <= table["ci_high"]).all()


def test_small_bases_are_marked_and_not_tested(responses):
    # Reason: a cell below min_base is marked and takes no part in the row's tests.
    small = responses.drop(responses.index[(responses["channel"] == "desk")
                                           & (responses["district"] == "east")][20:])
    table = sa.crosstab(small, "channel", rows="district", min_base=30)
    east = table[table["row"] == "east"].set_index("column")
    assert east.loc["desk", "n"] == 20 and east.loc["desk", "small_base"]
    assert not east.loc["phone", "small_base"]
    assert "A" not in "".join(east["letters"])   # desk not tested: nobody is higher than A
    assert "below 30" in east.loc["desk", "note"]
    west = table[table["row"] == "west"].set_index("column")
    assert west.loc["phone", "letters"] == "A"    # the other row is unaffected
    # min_base=0 tests it again
    again = sa.crosstab(small, "channel", rows="district", min_base=0)
    assert not again["small_base"].any()


def test_a_column_in_one_cluster_gets_no_letter(responses):
    # Reason: a group held by one cluster has no variance estimate: its pairs have no
    # p-value, so no letter either way, and the note says so.
    r = responses.copy()
    desk = r["channel"] == "desk"
    r = r[~desk | (r["item_id"] == "I00") | (r["district"] == "west")]
    table = sa.crosstab(r, "channel", rows="district", min_base=1)
    east = table[table["row"] == "east"].set_index("column")
    assert east.loc["desk", "letters"] == ""
    assert "A" not in east.loc["phone", "letters"] and "A" not in east.loc["web", "letters"]
    assert "no test against column B" in east.loc["desk", "note"]
    assert "no test against column A" in east.loc["phone", "note"]
    assert table.attrs["untested_pairs"] == 2 and "no test" in table.attrs["note"]
    west = table[table["row"] == "west"].set_index("column")
    assert west.loc["phone", "letters"] == "A"


def test_bad_options_are_refused_naming_the_allowed_ones(responses):
    # Reason: options go through check_choice / the catalogue, naming what is allowed.
    with pytest.raises(SurveyError, match=r"unknown measure 'mean'; allowed: 'rate'"):
        sa.crosstab(responses, "channel", rows="district", measure="mean")
    with pytest.raises(SurveyError, match=r"unknown pvalue_adjustment 'tukey'; allowed: .*'holm'"):
        sa.crosstab(responses, "channel", rows="district", pvalue_adjustment="tukey")
    with pytest.raises(SurveyError, match="alpha must be"):
        sa.crosstab(responses, "channel", rows="district", alpha=5)
    with pytest.raises(SurveyError, match="min_base"):
        sa.crosstab(responses, "channel", rows="district", min_base=-1)
    with pytest.raises(SurveyError, match="same column"):
        sa.crosstab(responses, "channel", rows="channel")


def test_write_banner_reads_back(responses, tmp_path):
    # Reason: the workbook is a banner: header with letters, base row, "xx.x% A" cells,
    # small bases starred, the note under the table; formula-like labels escaped.
    openpyxl = pytest.importorskip("openpyxl")
    r = responses.copy()
    r["district"] = r["district"].replace({"west": "=west"})
    r = r.drop(r.index[(r["channel"] == "web") & (r["district"] == "east")][10:])
    table = sa.crosstab(r, "channel", rows="district")
    path = sa.write_banner(table, tmp_path / "out" / "banner.xlsx")
    sheet = openpyxl.load_workbook(path).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("district", "desk (A)", "phone (B)", "web (C)", "Total")
    assert values[1][0] == "Base (n)"
    assert values[1][1] == 240 and values[1][3] == "130*"   # web's east base is 10
    east = table[(table["row"] == "east")].set_index("column")
    assert values[2][0] == "'=west"   # escaped, not a formula (rows sorted: "=" before "e")
    assert values[3][0] == "east"
    assert values[3][2] == f"{100 * east.loc['phone', 'rate']:.1f}% A"
    assert values[3][3].endswith("*") and "%" in values[3][3]
    text = [row[0] for row in values[4:] if row[0]]
    assert any("higher than" in line for line in text)
    assert any(line.startswith("* base below 30") for line in text)
    # in Chinese
    zh = sa.write_banner(table, tmp_path / "zh.xlsx", lang="zh")
    sheet = openpyxl.load_workbook(zh).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == "合计" and rows[1][0] == "基数（n）"


def test_write_banner_refuses_other_tables(tmp_path):
    with pytest.raises(SurveyError, match="write_banner needs the table crosstab returns"):
        sa.write_banner(pd.DataFrame({"a": [1]}), tmp_path / "x.xlsx")
