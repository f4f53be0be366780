"""The loader's rule book (survey_analysis.load.rules), the one ledger class and the loader's
words: decisions written once and taken alike by every engine."""

import copy
import pickle
import re
import string

import numpy as np
import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis.load import rules
from survey_analysis.load.engines import CountsReport, source_level_counts
from survey_analysis.load.options import LOAD_OPTIONS, flag_for
from survey_analysis.load.report import Ledger, LoadReport, Note, ResponseFileError
from survey_analysis.words import CATALOGUE, Hint, SurveyError


def test_early_reasons_in_their_order():
    table = rules.early_reason_table()
    assert len(table) == rules.FACTS
    # A totals row whatever else it holds; a blank row is one with nothing read in it.
    assert table[rules.ITEM_TOTALS | rules.RATING_EMPTY | rules.REST_EMPTY] == "summary_row"
    assert table[rules.RATING_EMPTY | rules.REST_EMPTY] == "blank_row"
    assert table[rules.RATING_EMPTY] == "missing_rating"
    assert rules.early_reason_table(wide=True)[rules.RATING_EMPTY] == "not_asked"
    assert table[rules.REST_EMPTY] == "" and table[0] == ""


def test_texts_are_decided_once_per_distinct_text():
    texts = np.array(["合计", "Total:", "总 计", "A1", "", "平均分"], dtype=object)
    assert rules.totals(texts).tolist() == [True, True, True, False, False, True]
    assert rules.empty(np.array([" ", "\u3000", "x"], dtype=object)).tolist() == [True, True, False]
    assert rules.looks_masked(np.array(["张**", "138****5678", "王某", "张三"], dtype=object)).tolist() == \
        [True, True, True, False]
    assert rules.merge_ids(np.array(["A1", "B2"], dtype=object), "item", "事项") is None


def test_the_rule_book_checks_its_options():
    with pytest.raises(SurveyError, match="unknown duplicates 'drop'"):
        rules.RuleBook.of(duplicates="drop")
    with pytest.raises(SurveyError, match="unknown unknown_items 'keep'"):
        rules.RuleBook.of(unknown_items="keep")
    with pytest.raises(ValueError, match="unknown duplicates 'drop'"):
        source_level_counts(pd.DataFrame({"item_id": ["A"], "rating": ["满意"]}), duplicates="drop")


LOOK_ALIKE = pd.DataFrame({"item_id": ["SX001", "ＳＸ001", "B\u200b", "B"], "respondent_id": ["1", "2", "1", "2"],
                           "rating": ["满意", "不满意", "满意", "基本满意"]})


@pytest.mark.parametrize("engine", ["pandas", "duckdb", "dask"])
def test_look_alike_items_are_one_item_in_every_engine(tmp_path, engine):
    if engine != "pandas":
        pytest.importorskip(engine)
    tidy = sa.load_responses(LOOK_ALIKE)
    source = LOOK_ALIKE
    if engine != "pandas":
        source = tmp_path / "look_alike.parquet"
        LOOK_ALIKE.to_parquet(source)
    counts, report = source_level_counts(source, engine=engine)
    assert counts.groupby("item_id")["n"].sum().to_dict() == tidy.groupby("item_id").size().to_dict() == \
        {"B": 2, "SX001": 2}
    assert any("written in several ways were merged" in note for note in report.notes)


def test_look_alike_respondents_repeat_in_the_loader_and_the_frame_engines():
    frame = pd.DataFrame({"item_id": ["A", "A", "B"], "respondent_id": ["R1", "Ｒ1", "R1"],
                          "rating": ["满意", "不满意", "满意"]})
    with pytest.raises(ResponseFileError, match="1 duplicate respondent x item row"):
        sa.load_responses(frame)
    with pytest.raises(ResponseFileError, match="1 duplicate respondent x item row"):
        source_level_counts(frame, engine="pandas")
    _, report = source_level_counts(frame, engine="pandas", duplicates="keep_first")
    assert report.excluded == {"duplicate": 1}


def test_one_ledger_class_in_both_roles():
    assert LoadReport is Ledger and CountsReport is Ledger and sa.LoadReport is Ledger
    tidy = sa.load_responses(pd.DataFrame({"事项": ["A"] * 3, "满意度": ["满意", "不了解", ""]}))
    report = tidy.attrs["load_report"]
    assert report.has_lines and report.excluded == {"missing_rating": 1, "dont_know": 1}
    assert list(report.to_frame().columns) == ["category", "rows", "source_lines"]
    counted = Ledger("x.parquet", engine="duckdb", rows_read=5, rows_kept=3, excluded={"dont_know": 2})
    assert not counted.has_lines and counted.exclusions.empty
    assert list(counted.to_frame().columns) == ["category", "rows"]
    with pytest.raises(RuntimeError, match="does not balance"):
        Ledger("x", engine="duckdb", rows_read=5, rows_kept=4, excluded={"dont_know": 2})


def test_ledger_repr_is_short_and_html_is_a_table():
    many = {f"reason_{i}": i + 1 for i in range(60)}
    ledger = Ledger("a/" * 200 + "x.csv", engine="duckdb", rows_read=10_000, rows_kept=10_000 - sum(many.values()),
                    excluded=many, notes=("a note",) * 50)
    assert len(repr(ledger)) <= 400 and repr(ledger).startswith("Ledger(")
    html = sa.load_responses(pd.DataFrame({"事项": ["A", "A"], "满意度": ["满意", "不了解"]})) \
        .attrs["load_report"]._repr_html_()
    assert html.count("<table>") == 1 and "excluded: dont_know" in html and "&quot;don&#x27;t know&quot;" in html
    assert "<p>columns read: item_id = 事项, rating = 满意度</p>" in html   # the loader's reading


def test_notes_are_text_with_their_message():
    note = Note("load.header.unnamed", count=2)
    assert isinstance(note, str) and note == "2 column(s) without a header hold values and were ignored"
    for copied in (pickle.loads(pickle.dumps(note)), copy.deepcopy(note)):
        assert copied == note and copied.render("zh") == "2 个无表头的列有内容，已忽略"


def test_errors_about_a_chinese_sheet_are_said_in_chinese_too():
    frame = pd.DataFrame({"事项": ["A", "A"], "受访者": ["1", "1"], "满意度": ["满意", "不满意"]})
    with pytest.raises(ResponseFileError) as info:
        sa.load_responses(frame)
    english, chinese = str(info.value).split("\n")
    assert english.startswith("<DataFrame>, line 2, column '受访者': 1 duplicate")
    assert chinese.startswith("<DataFrame>，第 2 行，列 '受访者'：") and "重复回答" in chinese
    # Pickled (Dask sends errors back) with where it is.
    again = pickle.loads(pickle.dumps(info.value))
    assert (again.source, again.line, again.column, str(again)) == ("<DataFrame>", 2, "受访者", str(info.value))
    with pytest.raises(ResponseFileError) as info:
        sa.load_responses(pd.DataFrame({"item": ["A", "A"], "respondent": ["1", "1"], "rating": ["满意", "满意"]}))
    assert "\n" not in str(info.value)


def test_library_errors_name_keywords_and_the_cli_names_flags(capsys, tmp_path):
    from survey_analysis.present.cli import ANALYSIS_FLAGS, COMPARE_FLAGS, _flags, main

    path = tmp_path / "twice.csv"
    path.write_text("item_id,respondent_id,rating\nA,1,满意\nA,1,满意\n", encoding="utf-8")
    with pytest.raises(ResponseFileError) as info:
        sa.load_responses(path)
    assert "duplicates='keep_first'" in str(info.value) and "--duplicates" not in str(info.value)
    assert main(["validate", str(path)]) == 1
    assert "duplicates='keep_first' (CLI --duplicates keep_first)" in capsys.readouterr().err
    # Every load option's keyword has its flag; so have the analysis and comparison options.
    for keyword, option in LOAD_OPTIONS.items():
        assert flag_for(keyword, "X").startswith(option.flag)
    for command, table in (("report", ANALYSIS_FLAGS), ("compare", COMPARE_FLAGS)):
        for keyword, (flag, _, _) in table.items():
            if keyword not in LOAD_OPTIONS:  # compare's labels= (round names) is also a load keyword
                assert _flags(command)(keyword, "X") == f"{flag} X"
    assert Hint("cluster", ["item_id", "社区"]).render(_flags()) == \
        "cluster=['item_id', '社区'] (CLI --cluster item_id 社区)"
    assert flag_for("confidence_level", 0.9) is None


def _fields(template: str) -> set:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_loader_sentence_is_in_both_languages():
    entries = {code: texts for code, texts in CATALOGUE.items() if code.startswith("load.")}
    assert len(entries) > 150
    for code, (english, chinese) in entries.items():
        assert english.strip() or code.startswith("load.where"), code
        assert chinese.strip(), code
        assert _fields(english) == _fields(chinese) or code in ("load.warning.excludes",), code
        # The library names keywords, never the command line's flags (but the CLI's own parsers).
        if not code.startswith("load.cli."):
            assert not re.search(r"CLI --|\(--[a-z]", english), code
