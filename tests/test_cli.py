"""The console script: reproduce, validate, synthesize."""

import subprocess
import sys

import pandas as pd
import pytest

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
