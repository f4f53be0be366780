"""Issue 21 (adversarial run, round 3), writing outputs: each case built and checked.

12. an id longer than an Excel cell holds keeps its numbers in ``tables.xlsx``;
13. a run killed between the renames of its swap (``report`` or ``compare``) is undone by
    the next run, and a rename failing midway changes nothing;
22. ``synthesize`` replaces its files only with ``--force``;
25. a symbolic link (dangling, a loop) or a file as the output path is refused before the
    analysis, naming the path and what is wrong;
21. items outside ``--catalogue`` are in the report's page and tables;
and values quoted in messages are cut to a bounded length.
"""

from __future__ import annotations

import importlib
import os
import re
import signal
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib
import openpyxl
import pandas as pd
import pytest
from hostile.outputs import build_two_reports

from survey_analysis.load.report import label_listing
from survey_analysis.present import export
from survey_analysis.present.cli import main
from survey_analysis.present.html_report import write_report
from survey_analysis.words import VALUE_LIMIT, Message, SurveyError, SurveyWarning

matplotlib.use("Agg")  # before anything imports pyplot

ROOT = Path(__file__).resolve().parents[1]
POSIX = pytest.mark.skipif(os.name != "posix", reason="symbolic links and SIGKILL as on POSIX")


def _sheet(path: Path, rows) -> Path:
    """A response sheet of (item, rating) rows, one respondent each."""
    frame = pd.DataFrame(rows, columns=["item_id", "rating"])
    frame.insert(0, "respondent_id", [f"R{i}" for i in range(1, len(frame) + 1)])
    frame.to_csv(path, index=False, encoding="utf-8")
    return path


def _mixed(items, satisfied: int = 4, dissatisfied: int = 2) -> list:
    """Each item answered ``satisfied`` times 满意 then ``dissatisfied`` times 不满意."""
    return [(item, rating) for item in items
            for rating in ["满意"] * satisfied + ["不满意"] * dissatisfied]


def _snapshot(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    return err


def _no_analysis(monkeypatch) -> None:
    """Fail the test if the analysis (or the comparison) runs: the output path is checked first."""
    def refuse(*args, **kwargs):
        raise AssertionError("the analysis ran before the output path was checked")

    monkeypatch.setattr(importlib.import_module("survey_analysis.analysis"), "analyze", refuse)
    monkeypatch.setattr(importlib.import_module("survey_analysis.estimate.rounds"), "compare_rounds",
                        refuse)


# -- 12: a cell longer than Excel's limit -----------------------------------------------------
LONG_ID = "长" + "A" * 39_999  # 40,000 characters, more than a cell's 32,767


def test_case_12_long_id_keeps_its_numbers_in_the_workbook(tmp_path, capsys):
    # 乙: 5 of 6 satisfied, above the long id's 4 of 6, so the long id is the first row.
    sheet = _sheet(tmp_path / "long.csv", _mixed([LONG_ID]) + _mixed(["乙"], 5, 1))
    out = tmp_path / "out"
    assert main(["report", str(sheet), "-o", str(out), "--lang", "en"]) == 0
    book = openpyxl.load_workbook(out / "tables.xlsx")
    rows = list(book["item_rates"].iter_rows(values_only=True))
    header, body = rows[0], {row[0][:1]: dict(zip(rows[0], row)) for row in rows[1:]}
    assert header[:3] == ("item_id", "n", "satisfied")
    long = body["长"]
    # Excel's cell limit (32,767 characters), the marker at the end saying how long it was.
    assert len(long["item_id"]) == export.EXCEL_MAX_CHARS == 32_767
    assert long["item_id"].startswith("长AAAA")
    assert long["item_id"].endswith("… [cut: 40,000 characters; the CSV file holds the full text]")
    # The row's numbers are written: 6 answers, 4 satisfied (_mixed's defaults).
    assert (long["n"], long["satisfied"]) == (6, 4)
    assert long["rate"] == pytest.approx(4 / 6)
    assert long["ci_low"] is not None and long["ci_high"] is not None
    # The workbook says so on a sheet of its own, opened first; the CSV has the full id.
    assert book.active.title == "notes"
    notes = list(book["notes"].iter_rows(values_only=True))
    assert notes[0] == ("sheet", "cell", "characters", "note")
    cut = {(sheet, cell): count for sheet, cell, count, _ in notes[1:]}
    assert cut[("item_rates", "A2")] == 40_000  # the lowest rate first: row 2, after the header
    assert "CSV file holds the full text" in notes[1][3]
    csv = pd.read_csv(out / "item_rates.csv", encoding="utf-8-sig")
    assert LONG_ID in set(csv["item_id"])


def test_case_12_write_excel_cuts_long_headers_and_cells_only(tmp_path):
    table = pd.DataFrame({"x" * 40_000: ["y" * 33_000, "short"], "n": [1, 2]})
    path = export.write_excel({"t": table}, tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    rows = list(book["t"].iter_rows(values_only=True))
    assert len(rows[0][0]) == len(rows[1][0]) == 32_767          # Excel's cell limit
    assert rows[0][1] == "n" and [r[1] for r in rows[1:]] == [1, 2]  # the other cells written
    assert rows[2][0] == "short"
    notes = list(book["notes"].iter_rows(values_only=True))[1:]
    assert [(n[0], n[1], n[2]) for n in notes] == [("t", "A1", 40_000), ("t", "A2", 33_000)]


def test_case_12_workbook_without_long_cells_has_no_notes(tmp_path):
    path = export.write_excel({"t": pd.DataFrame({"a": ["z" * 32_767]})}, tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["t"]
    assert book["t"]["A2"].value == "z" * 32_767  # exactly the limit: kept whole


# -- 13: a swap killed or failing midway ------------------------------------------------------
def _aside_names(folder: Path) -> list:
    return sorted(p.name for p in folder.iterdir() if ".old-" in p.name or ".partial-" in p.name)


@POSIX
def test_case_13_report_killed_between_its_two_renames_is_put_back(tmp_path, capsys):
    folder = build_two_reports(tmp_path)
    out = tmp_path / "out"
    assert main(["report", str(folder / "first.csv"), "-o", str(out), "--lang", "en"]) == 0
    before = _snapshot(out)
    # SIGKILL when the new folder is about to be renamed into place: the previous report
    # is already aside (the first rename), the new one not yet in place.
    script = (
        "import os, signal, sys\n"
        "from survey_analysis.present.cli import main\n"
        "rename = os.replace\n"
        "def replace(src, dst):\n"
        "    if os.path.basename(str(src)).startswith('.out.partial-'):\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return rename(src, dst)\n"
        "os.replace = replace\n"
        "main(sys.argv[1:])\n")
    done = subprocess.run([sys.executable, "-c", script, "report", str(folder / "second.csv"), "-o",
                           str(out), "--force", "--lang", "en"], cwd=ROOT, capture_output=True,
                          check=False)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert not out.exists()                               # the crash state of issue 21
    assert [n for n in _aside_names(tmp_path) if n.startswith(".out.old-")]
    # The next run puts the previous report back before anything else, says so, and (the
    # folder now holding a report) asks for --force as usual.
    assert main(["report", str(folder / "second.csv"), "-o", str(out), "--lang", "en"]) == 2
    said = capsys.readouterr()
    assert "killed while moving its files into place" in said.out and str(out) in said.out
    assert "--force" in said.err
    assert _snapshot(out) == before
    assert _aside_names(tmp_path) == []
    assert main(["report", str(folder / "second.csv"), "-o", str(out), "--lang", "en",
                 "--force"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.csv", "out", "second.csv"]


def test_case_13_lone_old_report_of_an_earlier_version_is_put_back(tmp_path, capsys):
    """The crash state as the previous version left it: the report folder itself renamed
    to ``.out.old-*``, no target; the next run renames it back and says so."""
    folder = build_two_reports(tmp_path)
    out = tmp_path / "out"
    write_report(folder / "first.csv", out, lang="en")
    before = _snapshot(out)
    os.replace(out, tmp_path / ".out.old-4242-0badcafe")
    with pytest.warns(SurveyWarning, match="previous outputs it had set aside"):
        export.check_output_folder(out, force=True)  # nothing written: the report put back
    assert _snapshot(out) == before and _aside_names(tmp_path) == []


def test_case_13_two_old_reports_without_target_are_not_guessed(tmp_path):
    """Two folders set aside and no report: which was the last is unknown; both are
    removed as before, and the run writes a new report."""
    folder = build_two_reports(tmp_path)
    for name in (".out.old-1-aa", ".out.old-2-bb"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "report.html").write_text("old", encoding="utf-8")
    write_report(folder / "first.csv", tmp_path / "out", lang="en")
    assert _aside_names(tmp_path) == [] and (tmp_path / "out" / "report.html").is_file()


@POSIX
def test_case_13_compare_killed_between_its_file_renames_is_put_back(tmp_path, capsys):
    folder = build_two_reports(tmp_path)
    out = tmp_path / "rounds"
    files = [str(folder / "first.csv"), str(folder / "second.csv")]
    assert main(["compare", *files, "-o", str(out)]) == 0
    before = _snapshot(out)
    # SIGKILL when the second new file is about to be renamed into place: one file of
    # this run is in place beside the previous run's others.
    script = (
        "import os, signal, sys\n"
        "from survey_analysis.present.cli import main\n"
        "rename, moved = os.replace, []\n"
        "def replace(src, dst):\n"
        "    if os.path.basename(os.path.dirname(str(src))).startswith('.partial-'):\n"
        "        moved.append(src)\n"
        "        if len(moved) == 2:\n"
        "            os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return rename(src, dst)\n"
        "os.replace = replace\n"
        "main(sys.argv[1:])\n")
    done = subprocess.run([sys.executable, "-c", script, "compare", files[1], files[0], "-o", str(out)],
                          cwd=ROOT, capture_output=True, check=False)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert _snapshot(out) != before                       # files of two runs side by side
    # The next run puts the previous files back before anything else, and says so.
    with pytest.warns(SurveyWarning, match="killed while moving its files into place"):
        export.check_output_folder(out, replace=False)
    assert _snapshot(out) == before and _aside_names(out) == []
    assert main(["compare", files[1], files[0], "-o", str(out)]) == 0
    assert _aside_names(out) == [] and (out / "rounds_items.csv").is_file()


@pytest.mark.parametrize("command", ["report", "compare"])
def test_case_13_a_rename_failing_midway_changes_nothing(tmp_path, capsys, monkeypatch, command):
    """report and compare move their outputs by one swap: a rename failing midway (the
    second one: for report, the new folder; for compare, its second file) puts back
    everything, and nothing is left beside."""
    folder = build_two_reports(tmp_path)
    out = tmp_path / "out"
    files = [str(folder / "first.csv"), str(folder / "second.csv")]
    args = ([command, files[0], "-o", str(out), "--lang", "en"] if command == "report"
            else [command, *files, "-o", str(out)])
    assert main(args) == 0
    before = _snapshot(out)
    rename, moved = os.replace, []

    def failing(src, dst):
        if ".partial-" in str(src):
            moved.append(src)
            if len(moved) == (1 if command == "report" else 2):
                raise OSError(5, "Input/output error", str(src))
        return rename(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    again = ([command, files[1], "-o", str(out), "--lang", "en", "--force"] if command == "report"
             else [command, files[1], files[0], "-o", str(out)])
    assert main(again) == 2
    err = _one_line_error(capsys)
    assert str(out) in err and "Input/output error" in err and "unchanged" in err
    assert moved  # the failure happened in the swap
    assert _snapshot(out) == before
    assert _aside_names(tmp_path) == [] and _aside_names(out) == []


def test_case_13_report_and_compare_share_one_swap(tmp_path, monkeypatch):
    """One function moves every output into place."""
    calls = []
    swap = export._swap

    def counted(home, moves, aside):
        calls.append(sorted(moves))
        return swap(home, moves, aside)

    monkeypatch.setattr(export, "_swap", counted)
    folder = build_two_reports(tmp_path)
    assert main(["report", str(folder / "first.csv"), "-o", str(tmp_path / "r"), "--lang", "en"]) == 0
    assert main(["compare", str(folder / "first.csv"), str(folder / "second.csv"), "-o",
                 str(tmp_path / "c")]) == 0
    assert calls[0] == ["r"]
    assert calls[1] == [export.OUTPUT_MARKER, "rounds.png", "rounds_items.csv", "rounds_overall.csv"]


# -- 22: synthesize replaces its files only with --force --------------------------------------
def test_case_22_synthesize_needs_force_to_replace(tmp_path, capsys):
    target = tmp_path / "syn"
    assert main(["synthesize", str(target)]) == 0
    before = _snapshot(target)
    (target / "responses_synthetic.csv").write_bytes(b"mine")
    edited = _snapshot(target)
    assert main(["synthesize", str(target)]) == 2
    err = _one_line_error(capsys)
    assert "responses_synthetic.csv" in err and "--force" in err and str(target) in err
    assert _snapshot(target) == edited                    # nothing replaced
    assert main(["synthesize", str(target), "--force"]) == 0
    assert _snapshot(target) == before                    # the generator's bytes again


def test_case_22_synthesize_into_a_file_is_a_message(tmp_path, capsys):
    blocker = tmp_path / "a_file"
    blocker.write_text("x", encoding="utf-8")
    assert main(["synthesize", str(blocker)]) == 2
    err = _one_line_error(capsys)
    assert str(blocker) in err and "is a file, not a folder" in err
    assert main(["synthesize", str(blocker / "below")]) == 2
    err = _one_line_error(capsys)
    assert str(blocker) in err and "is a file, not a folder" in err and "cannot be created" in err


# -- 25: the output path checked before the analysis ------------------------------------------
@POSIX
@pytest.mark.parametrize("command", ["report", "reproduce", "compare", "synthesize"])
@pytest.mark.parametrize("kind", ["dangling", "loop", "to_folder"])
def test_case_25_symbolic_link_as_output_is_refused(tmp_path, capsys, monkeypatch, command, kind):
    build_two_reports(tmp_path)
    link, elsewhere = tmp_path / "link", tmp_path / "elsewhere"
    if kind == "dangling":
        os.symlink(elsewhere, link)
    elif kind == "loop":
        os.symlink(link, link)
    else:
        elsewhere.mkdir()
        os.symlink(elsewhere, link)
    _no_analysis(monkeypatch)
    args = {"report": ["report", str(tmp_path / "first.csv"), "-o", str(link)],
            "reproduce": ["reproduce", "--data", str(tmp_path / "first.csv"), "-o", str(link)],
            "compare": ["compare", str(tmp_path / "first.csv"), str(tmp_path / "second.csv"), "-o",
                        str(link)],
            "synthesize": ["synthesize", str(link)]}[command]
    assert main(args) == 2
    err = _one_line_error(capsys)
    assert f"{link} is a symbolic link" in err
    assert (not elsewhere.exists()) if kind != "to_folder" else not any(elsewhere.iterdir())
    assert os.path.islink(link)


@pytest.mark.parametrize("command", ["report", "reproduce", "compare"])
def test_case_25_output_below_a_file_is_said_before_the_analysis(tmp_path, capsys, monkeypatch,
                                                                  command):
    build_two_reports(tmp_path)
    blocker = tmp_path / "a_file"
    blocker.write_text("x", encoding="utf-8")
    _no_analysis(monkeypatch)
    out = blocker / "report"
    args = {"report": ["report", str(tmp_path / "first.csv"), "-o", str(out)],
            "reproduce": ["reproduce", "--data", str(tmp_path / "first.csv"), "-o", str(out)],
            "compare": ["compare", str(tmp_path / "first.csv"), str(tmp_path / "second.csv"), "-o",
                        str(out)]}[command]
    assert main(args) == 2
    err = _one_line_error(capsys)
    assert f"{out} cannot be created: {blocker} is a file, not a folder" in err


@POSIX
def test_case_25_loop_among_the_parents_is_said_before_the_analysis(tmp_path, capsys, monkeypatch):
    build_two_reports(tmp_path)
    os.symlink(tmp_path / "loop", tmp_path / "loop")
    _no_analysis(monkeypatch)
    out = tmp_path / "loop" / "report"
    assert main(["report", str(tmp_path / "first.csv"), "-o", str(out)]) == 2
    err = _one_line_error(capsys)
    assert f"{out} cannot be reached" in err and "symbolic links" in err


# -- 21: items outside the catalogue are in the report ----------------------------------------
def test_case_21_items_outside_the_catalogue_are_in_the_report(tmp_path, capsys):
    sheet = _sheet(tmp_path / "s.csv", _mixed(["甲", "乙", "丙"]))
    catalogue = tmp_path / "catalogue.csv"
    pd.DataFrame({"item_id": ["甲", "乙"]}).to_csv(catalogue, index=False)
    out = tmp_path / "out"
    assert main(["report", str(sheet), "-o", str(out), "--lang", "en", "--catalogue",
                 str(catalogue)]) == 0
    table = pd.read_csv(out / "unknown_items.csv", encoding="utf-8-sig")
    # 丙 is answered on lines 14-19 (a header line, then 6 answers each for 甲 and 乙 first).
    assert table.to_dict("list") == {"item_id": ["丙"], "rows": [6],
                                     "source_lines": ["14, 15, 16, 17, 18 ..."]}
    page = (out / "report.html").read_text(encoding="utf-8")
    section = page.split("<h2>Items not in the catalogue</h2>", 1)[1].split("<h2>", 1)[0]
    assert "1 item id(s) of the sheet are not in the item catalogue" in section
    assert "<td>丙</td>" in section and "14, 15, 16, 17, 18 ..." in section
    assert "unknown_items" in openpyxl.load_workbook(out / "tables.xlsx").sheetnames
    # In Chinese too.
    assert main(["report", str(sheet), "-o", str(out), "--force", "--catalogue", str(catalogue)]) == 0
    assert "不在事项目录中的事项" in (out / "report.html").read_text(encoding="utf-8")


def test_case_21_no_unknown_items_no_table(tmp_path, capsys):
    sheet = _sheet(tmp_path / "s.csv", _mixed(["甲", "乙"]))
    catalogue = tmp_path / "catalogue.csv"
    pd.DataFrame({"item_id": ["甲", "乙"]}).to_csv(catalogue, index=False)
    out = tmp_path / "out"
    assert main(["report", str(sheet), "-o", str(out), "--lang", "en", "--catalogue",
                 str(catalogue)]) == 0
    assert not (out / "unknown_items.csv").exists()
    assert "Items not in the catalogue" not in (out / "report.html").read_text(encoding="utf-8")


# -- messages: quoted values cut to a bounded length ------------------------------------------
def _longest_run(text: str) -> int:
    return max((len(m.group(0)) for m in re.finditer(r"(.)\1*", text)), default=0)


def test_message_quoting_a_10k_label_is_short(tmp_path, capsys):
    label = "x" * 10_000
    sheet = _sheet(tmp_path / "s.csv", [("甲", "满意")] * 5 + [("甲", label)] * 2)
    assert main(["validate", str(sheet)]) == 1
    err = capsys.readouterr().err
    # Was 50,789 characters: the label quoted five times in full. Each quote now shows at
    # most VALUE_LIMIT (200) characters, the ellipsis included, and says the length.
    assert len(err) < 3_000, len(err)
    assert _longest_run(err) == VALUE_LIMIT - 1 == 199  # 199 x's, then "…"
    assert "(10,000 characters)" in err


def test_every_message_cuts_quoted_values_once():
    value = "v" * 1_000_000
    error = SurveyError("choice.unknown", name="method", value=value, allowed="'a', 'b'")
    text = str(error)
    assert len(text) < 400 and "(1,000,000 characters)" in text and "'a', 'b'" in text
    assert "（共 1,000,000 个字符）" in error.render("zh")
    # A listing built by the loader (label_listing) is cut when said, each value alone.
    listing = label_listing(["好" * 5_000, "差"], [3, 4], ["", ""], wide=False)
    said = Message("load.ledger.unknown_items", {"count": 2, "listing": listing}).render("en")
    assert "(5,000 characters) x1 (lines 3); '差' x1 (lines 4)" in said
    assert len(said) < 400
    # Rendered again inside another message (the command line's "error: ..."), it is not
    # cut twice.
    assert Message("present.cli.error", {"text": said}).render("en") == "error: " + said


def test_a_huge_unquoted_value_is_cut_too():
    # 2,000,000 characters without quotes: the whole parameter is cut at TEXT_LIMIT (5,000).
    said = Message("present.cli.wrote", {"paths": "p" * 2_000_000}).render("en")
    assert len(said) < 5_100 and said.endswith("(2,000,000 characters)")


def test_warnings_are_printed_not_raised(tmp_path, capsys):
    """The restore warning goes through the command line's warning printer (no stray
    Python warning)."""
    folder = build_two_reports(tmp_path)
    out = tmp_path / "out"
    write_report(folder / "first.csv", out, lang="en")
    os.replace(out, tmp_path / ".out.old-1-ab")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert main(["report", str(folder / "second.csv"), "-o", str(out), "--lang", "en",
                     "--force"]) == 0
    assert "WARNING: a run writing" in capsys.readouterr().out
