"""Suppression as a publication rule (issue 23): rows based on too few answers are not
published, the overall estimates do not change, claims about hidden items are not checked
in public, and the report and the command line say which rule hid how many rows."""

import html
import re

import numpy as np
import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis.estimate.suppression import SUPPRESSION_RULES, suppress, suppression_rule
from survey_analysis.present.cli import main
from survey_analysis.present.html_report import render_html, write_report
from survey_analysis.words import Note, SurveyError

#: Items answered by 3, 9, 10 and 40 people: under "fewer than 10" A and B are hidden, C (at
#: exactly the minimum) and D are published. A and C are at 100%.
SIZES = [("A", 3, 3), ("B", 9, 8), ("C", 10, 10), ("D", 40, 36)]


def responses() -> pd.DataFrame:
    """Tidy responses (one question per item, one answer per respondent), with a district
    column: X holds items A and B (12 answers), Y items C and D (50)."""
    rows = [{"item_id": item, "respondent_id": f"{item}{i}", "district": "X" if item in "AB" else "Y",
             "rating": "满意" if i < k else "不满意"}
            for item, n, k in SIZES for i in range(n)]
    return sa.load_responses(pd.DataFrame(rows), keep_columns=["district"])


@pytest.fixture(scope="module")
def sheet(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sheet")
    rows = [{"item_id": item, "respondent_id": f"{item}{i}", "rating": "满意" if i < k else "不满意"}
            for item, n, k in SIZES for i in range(n)]
    path = folder / "sheet.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


CLAIM_A = pd.DataFrame({"id": ["a_at_100"], "kind": ["item_at_100"], "item": ["A"], "value": [100],
                        "qualifier": ["exact"], "quote": ["事项A满意度100%"], "source": ["通报"]})


# --- the rule --------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "minimum"), [(10, 10), (1, 1), (np.int64(25), 25), ("gpps", 10),
                                                ("hcahps", 100), ("fft", 10)])
def test_a_whole_number_or_a_preset_is_a_rule(value, minimum):
    rule = suppression_rule(value)
    # The presets' minimums are those of their sources (GPPS and FFT: fewer than 10 hidden;
    # HCAHPS star ratings: at least 100 completed surveys); a number is its own minimum.
    assert rule.minimum_n == minimum
    assert rule.name == (value if isinstance(value, str) else str(minimum))
    assert suppression_rule(rule) is rule  # a rule passes through unchanged


def test_every_preset_cites_its_source_in_both_languages():
    # Each preset's source quotes the sentence it rests on, with where it was found, and is
    # said in Chinese in a Chinese report.
    assert set(SUPPRESSION_RULES) == {"gpps", "hcahps", "fft"}
    assert "fewer than 10 people (unweighted)" in SUPPRESSION_RULES["gpps"].source
    assert "at least 100 completed HCAHPS surveys" in SUPPRESSION_RULES["hcahps"].source
    assert "fewer than 10 patients" in SUPPRESSION_RULES["fft"].source
    for rule in SUPPRESSION_RULES.values():
        assert "https://" in rule.source
        assert re.search(r"[\u4e00-\u9fff]", rule.source.render("zh"))
    assert sa.SUPPRESSION_RULES is SUPPRESSION_RULES and sa.suppression_rule is suppression_rule


@pytest.mark.parametrize("value", [0, -1, "foo", 2.5, True, "10", 10.0])
def test_anything_else_is_refused_naming_the_allowed_values(value):
    # 0 and negatives hide nothing sensible, 2.5 is no number of answers, True is not a
    # number, "foo" no preset; "10" and 10.0 are refused too, not guessed (the CLI turns its
    # text into a number itself).
    with pytest.raises(SurveyError) as caught:
        suppression_rule(value)
    text = str(caught.value)
    assert isinstance(caught.value, ValueError) and caught.value.code == "estimate.suppression.unknown"
    assert "suppress=10" in text and "'gpps', 'hcahps', 'fft'" in text and "None" in text
    assert "按发布规则" not in text and "预置规则" in caught.value.render("zh")


def test_the_row_at_the_minimum_is_kept_the_row_below_it_hidden():
    table = pd.DataFrame({"item_id": ["x", "y", "z"], "n": [9, 10, 11], "satisfied": [9, 10, 10],
                          "rate": [1.0, 1.0, 10 / 11], "ci_low": [0.7, 0.7, 0.6], "ci_high": 1.0,
                          "method": "wilson"})
    out = suppress(table, 10)
    # "fewer than 10" hides 9 and publishes 10: the minimum itself is publishable.
    assert out["suppressed"].tolist() == [True, False, False]
    # The hidden row keeps n (readers see why it is empty), loses its count, rate and
    # interval; the published rows are untouched.
    assert out.loc[0, "n"] == 9 and out.loc[[0], ["satisfied", "rate", "ci_low", "ci_high"]].isna().all(axis=None)
    pd.testing.assert_frame_equal(out.loc[1:, table.columns], table.loc[1:].astype({"satisfied": "Int64"}))
    assert out.loc[0, "method"] == "wilson"  # not a result: kept
    reason = out.loc[0, "suppressed_reason"]
    assert isinstance(reason, Note) and reason == "fewer than 10 responses (minimum set by the analyst)"
    assert reason.render("zh") == "回答少于 10 个：分析者设定的最低回答数"
    assert out.loc[1, "suppressed_reason"] == ""
    assert out.attrs["suppression"]["hidden"] == 1 and out.attrs["suppression"]["minimum_n"] == 10
    assert "suppressed" not in table  # the input is not changed


def test_no_rule_changes_nothing():
    table = sa.item_rates(responses())
    # suppress=None is the default: the same table, no column added.
    pd.testing.assert_frame_equal(sa.item_rates(responses(), suppress=None), table)
    pd.testing.assert_frame_equal(suppress(table, None), table)
    assert "suppression" not in table.attrs


def test_a_table_without_the_answers_column_is_refused():
    with pytest.raises(SurveyError, match="column 'answers'"):
        suppress(pd.DataFrame({"n": [3]}), "gpps", n="answers")


# --- the estimators ---------------------------------------------------------------------------

def test_item_rates_and_survey_item_rates_give_the_same_rows():
    r = responses()
    direct = sa.item_rates(r, suppress="gpps")
    # Survey.item_rates is sa.item_rates: the same rows, the same rows hidden.
    pd.testing.assert_frame_equal(sa.Survey(r).item_rates(suppress="gpps"), direct)
    assert direct.loc[direct["suppressed"], "item_id"].tolist() == ["A", "B"]   # n = 3 and 9
    assert direct["n"].tolist() == [3, 9, 10, 40]                             # every n stays
    assert direct.attrs["suppression"] == {**direct.attrs["suppression"], "rule": "gpps", "hidden": 2}


def test_domain_rates_and_survey_domain_rates_give_the_same_rows():
    r = responses()
    direct = sa.domain_rates(r, "district", suppress=20)
    pd.testing.assert_frame_equal(sa.Survey(r).domain_rates("district", suppress=20), direct)
    # District X has 12 answers (< 20): hidden, its n and df kept; Y (50 answers) published
    # with the rate it has without the rule: a rule hides rows, it re-estimates nothing.
    plain = sa.domain_rates(r, "district")
    assert direct["suppressed"].tolist() == [True, False]
    assert direct.loc[0, ["rate", "se", "ci_low", "ci_high"]].isna().all() and direct.loc[0, "n"] == 12
    assert direct.loc[0, "df"] == plain.loc[0, "df"]
    assert direct.loc[1, "rate"] == plain.loc[1, "rate"] and direct.loc[1, "se"] == plain.loc[1, "se"]
    # Domains by item hide the same items as item_rates does.
    by_item = sa.domain_rates(r, "item_id", suppress="gpps")
    assert by_item["suppressed"].tolist() == sa.item_rates(r, suppress="gpps")["suppressed"].tolist()


def test_the_overall_rate_does_not_change_with_the_rule():
    r = responses()
    plain, ruled = sa.analyze(r), sa.analyze(r, suppress="hcahps")   # hcahps hides every item here
    # The pooled and mean-of-items estimates are computed from every answer whatever the rule.
    pd.testing.assert_frame_equal(ruled.overall.to_frame(), plain.overall.to_frame())
    assert ruled.item_rates["suppressed"].all() and ruled.estimate == plain.estimate
    assert ruled.n_items_at_100 == plain.n_items_at_100 == 2   # the data's count, listed or not


def test_analyze_lists_only_publishable_items_at_100_and_says_how_many_it_left_out():
    a = sa.analyze(responses(), suppress="gpps")
    # A (3 of 3) is at 100% but not publishable; C (10 of 10) is.
    assert a.items_at_100["item_id"].tolist() == ["C"]
    assert a.items_at_100.attrs["suppression"]["hidden"] == 1
    row = a.headline.set_index("measure").loc["items_at_100"]
    assert row["estimate"] == 2 and "1 of them on fewer than 10 answers" in row["measure_en"]
    # The funnel and the answer shares hide the same items' results (their points and
    # shares would tell the rates); the funnel's target stays the pooled rate.
    hidden = a.funnel.loc[a.funnel["suppressed"], "item_id"].tolist()
    assert hidden == ["A", "B"] and a.funnel.loc[a.funnel["suppressed"], "rate"].isna().all()
    assert a.funnel["target"].nunique() == 1
    assert a.shares.loc[a.shares["item_id"].isin(["A", "B"]), "share"].isna().all()


# --- claims -----------------------------------------------------------------------------------

def test_a_claim_about_a_hidden_item_is_not_publishable():
    r = responses()
    table = sa.check_claims(r, CLAIM_A, suppress="gpps")
    # A's 3 answers are too few to publish its rate, so "A is at 100%" is not checked in
    # public: the verdict says so and names the rule.
    assert table["verdict"].tolist() == ["not_publishable"]
    assert table["verdict_zh"].tolist() == ["按发布规则不予公布"]
    assert "gpps: GP Patient Survey rule" in table.loc[0, "detail"] and "3 answers" in table.loc[0, "detail"]
    assert np.isnan(table.loc[0, "estimate"])
    # Without the rule the same claim is checked (3 of 3 satisfied: supported).
    assert sa.check_claims(r, CLAIM_A)["verdict"].tolist() == ["supported"]


# --- the report and the command line ----------------------------------------------------------

def visible(page: str) -> str:
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"data:[^\"']+", " ", page)
    return html.unescape(re.sub(r"<[^>]+>", "\n", page))


@pytest.fixture(scope="module")
def reports(sheet, tmp_path_factory):
    analysis = sa.analyze(str(sheet), suppress="gpps", claims=CLAIM_A)
    out = {}
    for lang in ("zh", "en"):
        folder = tmp_path_factory.mktemp(f"report_{lang}")
        write_report(analysis, folder, lang=lang, force=True)
        out[lang] = folder
    return analysis, out


def test_the_report_names_the_rule_and_what_it_hid(reports, sheet):
    analysis, folders = reports
    assert analysis.checks["verdict"].tolist() == ["not_publishable"]
    en = visible((folders["en"] / "report.html").read_text(encoding="utf-8"))
    # The rule's name, minimum and source, and how many rows it hid.
    assert "Rule in force: gpps: GP Patient Survey rule" in en and "fewer than 10 answers" in en
    assert "fewer than 10 people (unweighted)" in en and "2 rows hidden" in en
    assert "Items at 100%: 1 not listed" in en and "not publishable under the rule" in en
    # The hidden rows show their n and "suppressed" instead of a rate.
    assert re.search(r"\nA\n+3\n+—\n+suppressed\n", en)
    zh = visible((folders["zh"] / "report.html").read_text(encoding="utf-8"))
    assert "所用规则：英国全科医生患者调查规则（gpps）" in zh and "已按规则隐藏 2 行" in zh
    assert re.search(r"\nA\n+3\n+—\n+已按规则隐藏\n", zh) and "按发布规则不予公布" in zh
    for folder in folders.values():  # no machine path in the page (the file's name only)
        assert str(sheet.parent) not in (folder / "report.html").read_text(encoding="utf-8")
    # The CSV keeps the hidden rows with n, flagged, without their rate.
    rates = pd.read_csv(folders["en"] / "item_rates.csv").set_index("item_id")
    assert rates.loc["A", "n"] == 3 and bool(rates.loc["A", "suppressed"]) and np.isnan(rates.loc["A", "rate"])
    assert pd.read_csv(folders["en"] / "items_at_100.csv")["item_id"].tolist() == ["C"]


@pytest.mark.parametrize("rule", [*SUPPRESSION_RULES, 5])
def test_the_chinese_report_says_every_rule_without_english_words(rule, sheet):
    # As tests/test_report_language.py asks of a sheet's report: identifiers only in brackets
    # after their Chinese.
    page = render_html(sa.analyze(str(sheet), suppress=rule, claims=CLAIM_A), "zh", figures={})
    text = re.sub(r"（[A-Za-z][\w.-]*）", " ", visible(page))
    text = re.sub(r"\b[\w.-]+\.(csv|xlsx)\b", " ", text)
    assert sorted(set(re.findall(r"[A-Za-z]{3,}", text))) == []


def test_the_command_line_takes_the_rule(sheet, tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["report", str(sheet), "--suppress", "gpps", "-o", str(out), "--lang", "en"]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "2 rows hidden" in visible(page)
    # A number is a minimum of answers: 40 hides A, B and C.
    assert main(["report", str(sheet), "--suppress", "40", "-o", str(out), "--force", "--lang", "en"]) == 0
    assert "3 rows hidden" in visible((out / "report.html").read_text(encoding="utf-8"))
    # reproduce takes the analysis' options too.
    assert main(["reproduce", "--data", str(sheet), "--suppress", "fft", "-o", str(tmp_path / "r")]) == 0
    assert pd.read_csv(tmp_path / "r" / "item_rates.csv")["suppressed"].sum() == 2
    capsys.readouterr()
    # An unknown rule is a one-line message naming the allowed values, with the flag.
    assert main(["report", str(sheet), "--suppress", "foo", "-o", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "unknown suppress 'foo'" in err and "suppress=10 (CLI --suppress 10)" in err
