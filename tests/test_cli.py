"""The console script: reproduce, validate, synthesize."""

import subprocess
import sys

import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis.present.cli import main


def test_reproduce_writes_tables_and_figure(tmp_path, capsys):
    assert main(["reproduce", "-o", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "SYNTHETIC" in out and "合成" in out
    assert "总体满意度" in out and "pooled satisfaction" in out
    for name in ("headline.csv", "item_rates.csv", "items_at_100.csv", "claims_check.csv",
                 "load_report.csv", "headline.png"):
        assert (tmp_path / name).stat().st_size > 0
    # UTF-8 with BOM so Excel shows the Chinese labels.
    assert (tmp_path / "headline.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(tmp_path / "headline.csv", encoding="utf-8-sig")
    assert {"measure_zh", "measure_en", "estimate", "ci_low", "ci_high"} <= set(table.columns)
    item_table = pd.read_csv(tmp_path / "item_rates.csv", encoding="utf-8-sig")
    assert len(item_table) == 152


def test_console_script_entry_point(tmp_path):
    result = subprocess.run([sys.executable, "-m", "survey_analysis.present.cli", "reproduce", "-o",
                             str(tmp_path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "pooled satisfaction" in result.stdout


def test_validate_ok_and_error(tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text("item_id,rating\nA,满意\nA,不了解\n", encoding="utf-8")
    assert main(["validate", str(good)]) == 0
    assert "dont_know" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("item_id,rating\nA,满意\nA,好极了\n", encoding="utf-8")
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.csv" in err and "line 3" in err and "好极了" in err


def test_bad_option_is_a_message_not_a_traceback(capsys):
    assert main(["reproduce", "--confidence-level", "95"]) == 2
    assert "strictly between 0 and 1" in capsys.readouterr().err


def test_unknown_command():
    with pytest.raises(SystemExit):
        main(["frobnicate"])


def test_report_command_writes_html_excel_csv(tmp_path, capsys):
    assert main(["report", "-o", str(tmp_path), "--lang", "en"]) == 0
    assert "SYNTHETIC" in capsys.readouterr().out
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<html lang=\"en\">" in page and "data:image/png;base64," in page
    assert (tmp_path / "tables.xlsx").stat().st_size > 0 and (tmp_path / "headline.csv").exists()


def test_report_command_on_a_file_with_errors(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("item_id,rating\nA,满意\nA,好极了\n", encoding="utf-8")
    assert main(["report", str(bad), "-o", str(tmp_path / "out")]) == 1
    assert "line 3" in capsys.readouterr().err


# ---------------------------------------------------------------------------
# The CLI says what the library can: flags built from the same tables
# ---------------------------------------------------------------------------

def _flags(parser, command):
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return {flag for action in sub.choices[command]._actions for flag in action.option_strings}


def test_every_load_option_has_a_flag_on_every_command():
    import inspect

    from survey_analysis import load_responses
    from survey_analysis.load.options import LOAD_OPTIONS
    from survey_analysis.present.cli import build_parser

    keywords = set(inspect.signature(load_responses).parameters) - {"source"}
    assert keywords == set(LOAD_OPTIONS)
    parser = build_parser()
    for command in ("validate", "report", "reproduce"):
        missing = {o.flag for o in LOAD_OPTIONS.values()} - _flags(parser, command)
        assert not missing, (command, missing)


def test_every_analysis_option_has_a_flag():
    import inspect

    from survey_analysis import analyze
    from survey_analysis.present.cli import ANALYSIS_FLAGS, build_parser

    keywords = {name for name, p in inspect.signature(analyze).parameters.items()
                if p.kind is p.KEYWORD_ONLY} - {"synthetic"}   # synthetic: the bundled data only
    assert keywords == set(ANALYSIS_FLAGS)
    parser = build_parser()
    for command in ("report", "reproduce"):
        assert {flag for flag, _, _ in ANALYSIS_FLAGS.values()} <= _flags(parser, command)


def test_help_and_validate_start_without_the_estimators(tmp_path):
    # `survey-analysis --help` and `validate` build only what they show: the analysis' flags
    # (and with them SciPy's statistics) are loaded for the commands that analyse.
    path = tmp_path / "a.csv"
    path.write_text("item_id,respondent_id,rating\nA,1,满意\n", encoding="utf-8")
    code = ("import sys, contextlib, io\n"
            "from survey_analysis.present.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
            "    try:\n"
            "        main(['--help'])\n"
            "    except SystemExit:\n"
            "        pass\n"
            f"    assert main(['validate', {str(path)!r}]) == 0\n"
            "assert 'report' in out.getvalue() and 'kept' in out.getvalue()\n"
            "print(sorted(m for m in ('scipy.stats', 'survey_analysis.analysis') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(("sheet", "expected"), [
    ("item_id,respondent_id,rating\nA,1,满意\nA,1,满意\n", ["duplicates='keep_first' (CLI --duplicates keep_first)"]),
    ("item_id,rating\nA,5\n", ["scale='points5'", "--scale points5"]),
    ("item_id,rating\nA,好极了\n", ["labels={", "--label LABEL=LEVEL", "--scale NAME"]),
    ("x,y\nA,满意\n", ["columns={'item_id'", "--columns item_id=HEADER"]),
])
def test_errors_that_name_a_keyword_name_its_flag(tmp_path, capsys, sheet, expected):
    path = tmp_path / "sheet.csv"
    path.write_text(sheet, encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    for text in expected:
        assert text in err, (text, err)


def test_reproduce_on_own_file_shows_no_article_figure(tmp_path, capsys):
    sheet = tmp_path / "mine.csv"
    sheet.write_text("事项编号,受访者,满意度\nA,1,满意\nA,2,不满意\nB,1,基本满意\nB,2,满意\n",
                     encoding="utf-8")
    assert main(["reproduce", "--data", str(sheet), "-o", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    for text in ("十余", "152", "article", "claimed", "矛盾", "SYNTHETIC"):
        assert text not in out, text
    assert "“满意”= 满意 + 基本满意" in out
    assert not (tmp_path / "out" / "claims_check.csv").exists()
    # The article's claims only when asked for.
    assert main(["reproduce", "--data", str(sheet), "--claims", "article", "-o",
                 str(tmp_path / "out2")]) == 0
    assert "claimed: 超过95%" in capsys.readouterr().out


@pytest.mark.parametrize("level", [0.90, 0.99])
def test_report_labels_carry_the_confidence_level(tmp_path, level):
    import re

    out = tmp_path / f"r{level}"
    assert main(["report", "-o", str(out), "--lang", "en", "--confidence-level", str(level)]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    shown = f"{level:.0%}"
    assert f"Estimate [{shown} interval]" in page and f"one-sided {shown} exact lower bound" in page
    assert f"Item rates with {shown} Wilson score (wilson) intervals" in page
    for default in ("95% interval", "95% wilson", "one-sided 95%", "95% range", "[95%"):
        assert default not in page, default   # no label keeps the default level
    # The item table carries the level too.
    rates = pd.read_csv(out / "item_rates.csv", encoding="utf-8-sig")
    assert set(rates["confidence_level"]) == {level}
    assert len(re.findall(r"data:image/png;base64,", page)) >= 4   # the figures are embedded


def test_report_on_a_parquet_file_scans_it_once(tmp_path, monkeypatch):
    duckdb = pytest.importorskip("duckdb")
    import survey_analysis.load.duck as duck

    frame = pd.DataFrame({"item_id": ["A", "A", "B", "B", "C"], "respondent_id": list("12345"),
                          "rating": ["满意", "不满意", "基本满意", "满意", "不了解"]})
    path = tmp_path / "answers.parquet"
    frame.to_parquet(path)
    scans = []
    real = duck._source_sql

    def spy(source):  # every SQL statement that reads the file asks for its source clause
        scans.append(source)
        return real(source)

    monkeypatch.setattr(duck, "_source_sql", spy)
    assert main(["report", str(path), "-o", str(tmp_path / "out"), "--lang", "zh"]) == 0
    assert len(scans) == 1
    assert duckdb


def test_every_compare_rounds_option_has_a_flag():
    import inspect

    from survey_analysis import compare_rounds
    from survey_analysis.present.cli import COMPARE_FLAGS, build_parser

    keywords = {name for name, p in inspect.signature(compare_rounds).parameters.items()
                if p.kind is p.KEYWORD_ONLY} | {"round"}
    assert keywords == set(COMPARE_FLAGS)
    flags = _flags(build_parser(), "compare")
    assert {flag for flag, _, _ in COMPARE_FLAGS.values()} <= flags
    assert {o.flag for o in __import__("survey_analysis.load.options", fromlist=["LOAD_OPTIONS"])
            .LOAD_OPTIONS.values()} <= flags


def _round_sheet(path, satisfied_a: int, satisfied_b: int):
    ratings = ["满意"] * satisfied_a + ["不满意"] * (30 - satisfied_a) \
        + ["基本满意"] * satisfied_b + ["不满意"] * (30 - satisfied_b)
    pd.DataFrame({"事项": ["A"] * 30 + ["B"] * 30, "满意度": ratings}).to_csv(path, index=False)


def test_compare_two_files(tmp_path, capsys):
    _round_sheet(tmp_path / "q2.csv", 3, 27)
    _round_sheet(tmp_path / "q3.csv", 29, 27)
    code = main(["compare", str(tmp_path / "q2.csv"), str(tmp_path / "q3.csv"), "-o", str(tmp_path),
                 "--columns", "item_id=事项", "--columns", "rating=满意度"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "q3 against q2" in out and "1 improved" in out
    items = pd.read_csv(tmp_path / "rounds_items.csv", encoding="utf-8-sig")
    assert items.set_index("item_id").loc["A", "change"] == "improved"
    assert (tmp_path / "rounds.png").stat().st_size > 0
    overall = pd.read_csv(tmp_path / "rounds_overall.csv", encoding="utf-8-sig")
    assert overall.loc[0, "difference"] == pytest.approx((29 + 27) / 60 - (3 + 27) / 60)


def test_compare_one_file_with_a_round_column(tmp_path, capsys):
    rows = pd.DataFrame({"item_id": ["A", "A", "B", "B"] * 3,
                         "轮次": ["一季度"] * 4 + ["二季度"] * 4 + ["三季度"] * 4,
                         "rating": ["满意", "不满意", "满意", "满意"] * 3})
    rows.to_csv(tmp_path / "all.csv", index=False)
    assert main(["compare", str(tmp_path / "all.csv"), "--round-column", "轮次", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "has 3 rounds" in err and "--rounds EARLIER LATER" in err
    assert main(["compare", str(tmp_path / "all.csv"), "--round-column", "轮次", "--rounds", "一季度",
                 "三季度", "-o", str(tmp_path), "--lang", "zh"]) == 0
    assert "三季度 相比 一季度" in capsys.readouterr().out


def test_the_design_options_table_is_the_survey_signature():
    # One table of the design's options: the Survey's keywords and defaults are the table's,
    # and every plain function that builds a Survey takes only keywords from it (None = not
    # given) besides its own.
    import inspect

    from survey_analysis.design.options import DESIGN_OPTIONS

    signature = inspect.signature(sa.Survey.__init__).parameters
    given = {name: p.default for name, p in signature.items() if p.kind is p.KEYWORD_ONLY}
    assert given.keys() == DESIGN_OPTIONS.keys()
    for name, option in DESIGN_OPTIONS.items():
        default = given[name]
        assert (tuple(default) if isinstance(default, (list, tuple)) else default) == \
            (tuple(option.default) if isinstance(option.default, (list, tuple)) else option.default), name
    for function in (sa.item_rates, sa.overall_rate, sa.domain_rates, sa.rao_scott_test,
                     sa.compare_rounds, sa.satisfaction_counts):
        design_keywords = set(inspect.signature(function).parameters) & set(DESIGN_OPTIONS)
        assert all(inspect.signature(function).parameters[k].default is None
                   for k in design_keywords), function.__name__


def test_validate_speaks_chinese_when_asked(tmp_path, capsys):
    # Issue 22: load reports and errors readable in Chinese, from the command line too.
    good = tmp_path / "回访.csv"
    good.write_text("事项,评价\n办证,满意\n办证,不了解\n咨询,不满意\n", encoding="utf-8")
    assert main(["validate", str(good), "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "回访.csv 的加载报告" in out and "读入" in out and "排除：不了解（dont_know）" in out
    assert "read" not in out and str(tmp_path) not in out
    bad = tmp_path / "bad.csv"
    bad.write_text("item,rating\nA,satisfied\nA,superb\n", encoding="utf-8")   # an English sheet
    assert main(["validate", str(bad), "--lang", "zh"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "没有预设量表" in err and "no preset scale" not in err
    assert main(["validate", str(bad)]) == 1                                      # its own language
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "no preset scale" in err and "没有预设量表" not in err


def test_long_work_says_what_it_does_on_a_terminal_only(monkeypatch, capsys):
    # Reason: a report of a big file runs for a while; on a terminal it says what it is
    # doing once PROGRESS_AFTER seconds have passed, and nothing in a pipe or a log.
    import io
    import time

    from survey_analysis.present import cli as cli_module

    class Terminal(io.StringIO):
        def isatty(self):
            return True
    monkeypatch.setattr(cli_module, "PROGRESS_AFTER", 0.01)
    terminal = Terminal()
    monkeypatch.setattr(cli_module.sys, "stderr", terminal)
    with cli_module._progress("counting answers"):
        time.sleep(0.2)
    said = terminal.getvalue()
    assert "counting answers" in said and "done in" in said
    pipe = io.StringIO()                 # isatty() is False
    monkeypatch.setattr(cli_module.sys, "stderr", pipe)
    with cli_module._progress("counting answers"):
        time.sleep(0.05)
    assert pipe.getvalue() == ""
