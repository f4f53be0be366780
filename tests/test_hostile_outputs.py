"""Issue 14, writing outputs: each case of tests/hostile/outputs.py built and checked.

Report folders are written whole or not at all, CSV and Excel cells never start a
formula, plots take user text as plain text, and a folder that cannot be written is a
one-line message with exit status 2.
"""

from __future__ import annotations

import csv
import errno
import html
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import matplotlib
import openpyxl
import pandas as pd
import pytest
from hostile.outputs import CASES, CR_FORMULA, MATH_NAME
from hypothesis import given, settings
from hypothesis import strategies as st

from survey_analysis.present import export
from survey_analysis.present.cli import main
from survey_analysis.present.html_report import write_report

matplotlib.use("Agg")  # before anything imports pyplot

BY_NUMBER = {case.number: case for case in CASES}
ROOT = Path(__file__).resolve().parents[1]
#: What a spreadsheet may drop before reading a formula (the rule written out here, apart
#: from the module): whitespace, control and zero-width characters.
BLANKS = "".join(map(chr, range(32))) + "\x7f\u200b\u200c\u200d\u2060\ufeff"
FORMULA = tuple("=+-@") + ("\uff1d", "\uff0b", "\uff0d", "\uff20")


def _build(number: int, folder: Path) -> Path:
    return BY_NUMBER[number].build(folder)


def _number(value: str) -> bool:
    """Text a spreadsheet reads as a number (not "-inf" or "nan": those it reads as text)."""
    return re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", value) is not None


def _formula_like(value) -> bool:
    """A text cell a spreadsheet could run: a formula character after leading blanks (a
    number such as -1 is read as a number)."""
    if not isinstance(value, str) or _number(value):
        return False
    stripped = value
    while stripped and (stripped[0] in BLANKS or stripped[0].isspace()):
        stripped = stripped[1:]
    return stripped.startswith(FORMULA)


def _csv_rows(path: Path) -> list:
    with open(path, encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def _excel_text(value):
    """A cell's text as Excel shows it: the XML of a workbook stores control characters
    as ``_xHHHH_`` (ECMA-376 ST_Xstring), which Excel decodes and openpyxl does not."""
    if not isinstance(value, str):
        return value
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)


def _xlsx_rows(path: Path) -> list:
    """The rows of the first sheet, as Excel shows them."""
    sheet = openpyxl.load_workbook(path).active
    return [[_excel_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def _xlsx_cells(path: Path) -> list:
    """Every cell of every sheet, as Excel shows it (value, data type)."""
    book = openpyxl.load_workbook(path)
    return [(_excel_text(cell.value), cell.data_type) for sheet in book.worksheets
            for row in sheet.iter_rows() for cell in row]


def _assert_no_formula(folder: Path) -> int:
    """No cell of any CSV or workbook in ``folder`` is formula-like; the number of files read."""
    files = sorted(folder.glob("*.csv")) + sorted(folder.glob("*.xlsx"))
    for path in files:
        if path.suffix == ".csv":
            cells = [cell for row in _csv_rows(path) for cell in row]
            assert not [c for c in cells if _formula_like(c)], path
        else:
            cells = _xlsx_cells(path)
            assert not [v for v, kind in cells if kind == "f" or _formula_like(v)], path
    return len(files)


def _snapshot(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    return err


# -- case 8: a report folder is written whole, or not at all --------------------------------
def test_case_8_second_report_into_a_folder_needs_force(tmp_path, capsys):
    folder = _build(8, tmp_path)
    out = tmp_path / "out"
    assert main(["report", str(folder / "first.csv"), "-o", str(out), "--lang", "en"]) == 0
    before = _snapshot(out)
    assert main(["report", str(folder / "second.csv"), "-o", str(out), "--lang", "en"]) == 2
    err = _one_line_error(capsys)
    assert str(out) in err and "--force" in err and "force=True" in err
    assert _snapshot(out) == before                       # the first report, byte for byte

    assert main(["report", str(folder / "second.csv"), "-o", str(out), "--lang", "en",
                 "--force"]) == 0
    # second.csv has the items 丙 and 丁 only (build_two_reports): page, CSV and workbook agree.
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "丙" in page and "甲" not in page
    items = pd.read_csv(out / "item_rates.csv", encoding="utf-8-sig")["item_id"]
    assert sorted(items) == ["丁", "丙"]
    sheet = pd.read_excel(out / "tables.xlsx", sheet_name="item_rates", engine="openpyxl")
    assert sorted(sheet["item_id"]) == ["丁", "丙"]
    listed = (out / export.OUTPUT_MARKER).read_text(encoding="utf-8").splitlines()[1:]
    assert sorted(p.name for p in out.iterdir()) == sorted([*listed, export.OUTPUT_MARKER])
    # Nothing beside the report: no lock, no half-written or old folder.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.csv", "out", "second.csv"]


def test_case_8_interrupted_report_leaves_the_previous_one(tmp_path, monkeypatch):
    folder = _build(8, tmp_path)
    out = tmp_path / "out"
    write_report(folder / "first.csv", out, lang="en")
    before = _snapshot(out)

    def interrupted(tables, path, **options):
        Path(path).write_bytes(b"PK\x03\x04 half a workbook")
        raise KeyboardInterrupt  # as Ctrl-C (or a kill) midway through the workbook

    monkeypatch.setattr(export, "write_excel", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_report(folder / "second.csv", out, lang="en", force=True)
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.csv", "out", "second.csv"]


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL and the stale-lock check are POSIX")
def test_case_8_killed_report_then_the_next_run_takes_over(tmp_path, capsys):
    folder = _build(8, tmp_path)
    out = tmp_path / "out"
    assert main(["report", str(folder / "first.csv"), "-o", str(out)]) == 0
    before = _snapshot(out)
    script = (
        "import os, signal, sys\n"
        "from survey_analysis.present import export\n"
        "from survey_analysis.present.cli import main\n"
        "def killed(tables, path, **options):\n"
        "    open(path, 'wb').write(b'PK half')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "export.write_excel = killed\n"
        "main(sys.argv[1:])\n")
    done = subprocess.run([sys.executable, "-c", script, "report", str(folder / "second.csv"), "-o",
                           str(out), "--force"], cwd=ROOT, capture_output=True, check=False)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert _snapshot(out) == before                       # the killed run changed nothing
    left = sorted(p.name for p in tmp_path.iterdir())
    assert "out.lock" in left and any(n.startswith(".out.partial-") for n in left), left
    # The lock's process is gone: the next run takes the lock over and clears what it left.
    assert main(["report", str(folder / "second.csv"), "-o", str(out), "--force"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.csv", "out", "second.csv"]
    items = pd.read_csv(out / "item_rates.csv", encoding="utf-8-sig")["item_id"]
    assert sorted(items) == ["丁", "丙"]


def test_case_8_a_running_writer_holds_the_folder(tmp_path, capsys):
    folder = _build(8, tmp_path)
    out = tmp_path / "out"
    assert main(["report", str(folder / "first.csv"), "-o", str(out)]) == 0
    before = _snapshot(out)
    import socket

    lock = tmp_path / "out.lock"
    lock.write_text(f"{os.getpid()} {socket.gethostname()}\n", encoding="utf-8")  # a live process
    assert main(["report", str(folder / "second.csv"), "-o", str(out), "--force"]) == 2
    err = _one_line_error(capsys)
    assert "another run is writing" in err and str(lock) in err
    assert _snapshot(out) == before and lock.exists()     # its lock is not ours to remove


def test_case_8_force_never_deletes_files_it_did_not_write(tmp_path, capsys):
    folder = _build(8, tmp_path)
    out = tmp_path / "out"
    assert main(["report", str(folder / "first.csv"), "-o", str(out)]) == 0
    (out / "my_notes.txt").write_text("mine\n", encoding="utf-8")
    before = _snapshot(out)
    assert main(["report", str(folder / "second.csv"), "-o", str(out), "--force"]) == 2
    err = _one_line_error(capsys)
    assert "did not write" in err and "my_notes.txt" in err
    assert _snapshot(out) == before
    with pytest.raises(ValueError, match="force=True"):   # the library says the same
        write_report(folder / "second.csv", out, lang="en")


def test_case_8_reproduce_replaces_its_own_files_only(tmp_path, capsys):
    folder = _build(8, tmp_path)
    # reproduce writes beside the input sheets (-o is their folder): they stay; a second
    # run replaces the first run's files and removes those it does not write again.
    assert main(["reproduce", "--data", str(folder / "first.csv"), "-o", str(tmp_path),
                 "--claims", "article"]) == 0
    assert (tmp_path / "claims_check.csv").exists()
    assert main(["reproduce", "--data", str(folder / "second.csv"), "-o", str(tmp_path)]) == 0
    assert not (tmp_path / "claims_check.csv").exists()   # the first run's, not this one's
    assert (tmp_path / "first.csv").exists() and (tmp_path / "second.csv").exists()
    items = pd.read_csv(tmp_path / "item_rates.csv", encoding="utf-8-sig")["item_id"]
    assert sorted(items) == ["丁", "丙"]
    # compare writes other files: into the same folder it leaves reproduce's alone.
    assert main(["compare", str(folder / "first.csv"), str(folder / "second.csv"), "-o",
                 str(tmp_path)]) == 0
    assert (tmp_path / "rounds_items.csv").exists() and (tmp_path / "item_rates.csv").exists()
    assert main(["reproduce", "--data", str(folder / "first.csv"), "-o", str(tmp_path)]) == 0
    assert (tmp_path / "rounds_items.csv").exists()
    items = pd.read_csv(tmp_path / "item_rates.csv", encoding="utf-8-sig")["item_id"]
    assert sorted(items) == ["乙", "甲"]


# -- cases 10-12 and 22: no cell of a CSV or a workbook starts a formula ----------------------
def test_case_10_cr_before_a_formula_in_every_csv_the_cli_writes(tmp_path, capsys):
    sheet = _build(10, tmp_path)
    out = tmp_path / "report"
    assert main(["report", str(sheet), "-o", str(out)]) == 0
    assert _assert_no_formula(out) >= 2
    rows = _csv_rows(out / "item_rates.csv")
    # The sheet has 2 items (build_cr_formula_sheet): a header and 2 rows, the CR kept inside
    # its quoted field, the @ item escaped.
    assert len(rows) == 3
    names = sorted(row[0] for row in rows[1:])
    assert names == ["'@SUM(1+1)*cmd|' /C calc'!A0", CR_FORMULA]
    assert f'"{CR_FORMULA}"'.encode() in (out / "item_rates.csv").read_bytes()
    again = tmp_path / "reproduced"
    assert main(["reproduce", "--data", str(sheet), "-o", str(again)]) == 0
    assert _assert_no_formula(again) >= 2
    assert len(_csv_rows(again / "item_rates.csv")) == 3


def test_case_11_formula_cells_through_write_csv_and_write_excel(tmp_path):
    table = pd.read_csv(_build(11, tmp_path), encoding="utf-8", keep_default_na=False)
    assert table["text"].iloc[0] == "\r=1+1"
    expected = ["'\r=1+1", "'\t=1+1", "'  =1+1", "'\uff1d1+1", "'\u200b@SUM(A1)",
                "'=cmd|' /C calc'!A0", "'-x", "|a|b|", "plain"]
    out = tmp_path / "out"
    rows = _csv_rows(export.write_csv(table, out / "out.csv"))
    # The table has 9 rows (build_cr_table): header + 9, however many CRs its cells hold.
    assert rows[0] == ["text", "n"] and len(rows) == 10
    assert [row[0] for row in rows[1:]] == expected
    assert [row[1] for row in rows[1:]] == [str(n) for n in range(-1, 8)]  # -1 stays a number
    values = _xlsx_rows(export.write_excel(table, out / "out.xlsx"))[1:]
    assert [v[0] for v in values] == expected and [v[1] for v in values] == list(range(-1, 8))
    assert _assert_no_formula(out) == 2


def test_case_12_multiindex_headers_are_escaped(tmp_path):
    table = pd.read_csv(_build(12, tmp_path), header=[0, 1])
    assert isinstance(table.columns, pd.MultiIndex)
    first = ["'=HYPERLINK(\"http://x\")", "rate", "'@items"]
    second = ["'+1", "'-2", "'\r=3"]
    rows = _csv_rows(export.write_csv(table, tmp_path / "out.csv"))
    assert rows == [first, second, ["a", "0.5", "b"]]
    assert _xlsx_rows(export.write_excel(table, tmp_path / "out.xlsx")) == [first, second,
                                                                             ["a", 0.5, "b"]]
    assert list(table.columns[0]) == ["=HYPERLINK(\"http://x\")", "+1"]  # a copy was escaped


def test_case_22_categorical_column(tmp_path):
    table = pd.read_parquet(_build(22, tmp_path))
    assert isinstance(table["事项"].dtype, pd.CategoricalDtype)
    rows = _csv_rows(export.write_csv(table, tmp_path / "out.csv"))
    assert [row[0] for row in rows] == ["事项", "路灯", "'=1+1", "路灯", ""]
    rows = _xlsx_rows(export.write_excel(table, tmp_path / "out.xlsx"))
    assert [r[0] for r in rows] == ["事项", "路灯", "'=1+1", "路灯", None]
    raw = _csv_rows(export.write_csv(table, tmp_path / "raw.csv", escape=False))
    assert raw[2][0] == "=1+1"                             # escape=False writes it verbatim
    assert isinstance(table["事项"].dtype, pd.CategoricalDtype)  # the caller's table untouched


# Text of every kind a sheet may hold, with the characters the escaping is about.
_TEXT = st.text(alphabet=st.sampled_from(list("=+-@ \t\r\n|a1路'\"\x01\u3000\u200b")
                                         + list("\uff1d\uff0b\uff0d\uff20")), max_size=6)


@settings(max_examples=60, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=5), st.lists(_TEXT, min_size=2, max_size=2))
def test_round_trip_no_cell_starts_a_formula(values, headers):
    """Every value written by write_csv / write_excel and read back (Python's csv module,
    openpyxl) is the original or the original behind one ', and none is formula-like."""
    import tempfile

    columns = pd.MultiIndex.from_arrays([[headers[0], "n"], [headers[1], "m"]])
    table = pd.DataFrame({(headers[0], headers[1]): values, ("n", "m"): range(len(values))})
    table.columns = columns
    with tempfile.TemporaryDirectory() as folder:
        rows = _csv_rows(export.write_csv(table, Path(folder) / "t.csv"))
        cells = _xlsx_rows(export.write_excel(table, Path(folder) / "t.xlsx"))
    assert len(rows) == 2 + len(values)                   # no field became a row of its own
    written = [rows[0][0], rows[1][0], *(row[0] for row in rows[2:])]
    for before, after in zip([headers[0], headers[1], *values], written):
        assert after in (before, "'" + before) and not _formula_like(after)
        if _formula_like(before):
            assert after == "'" + before
    excel = [cells[0][0], cells[1][0], *(row[0] for row in cells[2:])]
    for before, after in zip(written, excel):
        # openpyxl reads an empty cell as None.
        assert (after or "") == before and not _formula_like(after)


# -- case 15: user text in plots is plain text --------------------------------------------
def test_case_15_mathtext_item_name(tmp_path, capsys):
    sheet = _build(15, tmp_path)
    out = tmp_path / "out"
    assert main(["report", str(sheet), "-o", str(out), "--lang", "en", "--title", "$\\frac{$"]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert html.escape(MATH_NAME) in page and "<h1>$\\frac{$</h1>" in page
    assert main(["reproduce", "--data", str(sheet), "-o", str(tmp_path / "rep")]) == 0
    assert (tmp_path / "rep" / "headline.png").stat().st_size > 0


def test_case_15_plot_texts_do_not_parse_math(tmp_path):
    import io

    from matplotlib.figure import Figure

    import survey_analysis as sa
    from survey_analysis.present import plots

    analysis = sa.analyze(_build(15, tmp_path))
    figure = Figure()
    ax = plots.forest_plot(analysis.item_rates, ax=figure.add_subplot(), title=MATH_NAME)
    labels = {t.get_text(): t for t in ax.get_yticklabels()}
    assert MATH_NAME in labels and not labels[MATH_NAME].get_parse_math()
    assert not ax.title.get_parse_math() and ax.get_title() == MATH_NAME
    figure.savefig(io.BytesIO(), format="png")            # mathtext would raise here


# -- cases 16 and 17: a sheet where the rate is 100% or 0% --------------------------------
@pytest.mark.parametrize("number, rate, reason", [
    (16, 1.0, "every answer is satisfied"),      # 12 of 12 answers 满意 (build_all_satisfied)
    (17, 0.0, "no answer is satisfied"),         # 0 of 12 (build_all_dissatisfied)
])
def test_cases_16_17_rate_of_100_or_0_percent(tmp_path, capsys, number, rate, reason):
    sheet = _build(number, tmp_path)
    assert main(["reproduce", "--data", str(sheet), "-o", str(tmp_path / "rep")]) == 0
    printed = capsys.readouterr().out
    assert f"NOT COMPUTED: Funnel plot: not drawn, {reason}" in printed
    headline = pd.read_csv(tmp_path / "rep" / "headline.csv", encoding="utf-8-sig")
    assert headline.set_index("measure").loc["pooled", "estimate"] == rate
    out = tmp_path / "report"
    assert main(["report", str(sheet), "-o", str(out), "--lang", "en"]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<h2>Not computed for these data</h2>" in page and reason in page
    assert 'alt="funnel"' not in page and 'alt="forest"' in page
    funnel = pd.read_csv(out / "funnel.csv", encoding="utf-8-sig")
    assert len(funnel) == 2 and set(funnel["target"]) == {rate}   # 2 items, each at the rate
    zh = tmp_path / "zh"
    assert main(["report", str(sheet), "-o", str(zh), "--lang", "zh"]) == 0
    assert "这些数据无法计算的内容" in (zh / "report.html").read_text(encoding="utf-8")
    # The same answers as a long CSV (headers item_id, rating): counted by DuckDB when it is
    # installed, not by the loader.
    long = tmp_path / "long.csv"
    lines = sheet.read_text(encoding="utf-8").splitlines()
    long.write_text("\n".join(["respondent_id,item_id,rating", *lines[1:]]) + "\n", encoding="utf-8")
    assert main(["reproduce", "--data", str(long), "-o", str(tmp_path / "long")]) == 0
    headline = pd.read_csv(tmp_path / "long" / "headline.csv", encoding="utf-8-sig")
    assert headline.set_index("measure").loc["pooled", "estimate"] == rate


# -- cases 18-21: an output that cannot be written is a one-line message, exit 2 ----------
@pytest.mark.parametrize("command", ["report", "reproduce"])
def test_case_18_output_is_a_file(tmp_path, capsys, command):
    sheet = _build(18, tmp_path)
    argv = ["report", str(sheet)] if command == "report" else ["reproduce", "--data", str(sheet)]
    assert main([*argv, "-o", str(tmp_path / "out")]) == 2
    assert "is a file, not a folder" in _one_line_error(capsys)
    assert (tmp_path / "out").read_text(encoding="utf-8") == "not a folder\n"


@pytest.mark.parametrize("command", ["report", "reproduce"])
def test_case_19_read_only_output_folder(tmp_path, capsys, monkeypatch, command):
    sheet = _build(19, tmp_path)
    target = tmp_path / "readonly"
    if os.geteuid() == 0:  # root may write anywhere: let os.access say what mode 0o555 means
        real = os.access
        monkeypatch.setattr(export.os, "access",
                            lambda path, mode, **kw: False if Path(path) == target
                            else real(path, mode, **kw))
    argv = ["report", str(sheet)] if command == "report" else ["reproduce", "--data", str(sheet)]
    assert main([*argv, "-o", str(target)]) == 2
    assert f"{target} is read-only" in _one_line_error(capsys)
    assert list(target.iterdir()) == []
    target.chmod(0o755)


def test_case_19_folder_that_cannot_be_created(tmp_path, capsys, monkeypatch):
    sheet = _build(19, tmp_path)
    real = os.open

    def denied(path, flags, *args, **kwargs):
        if str(path).endswith(".lock"):  # as in a read-only parent folder
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(export.os, "open", denied)
    assert main(["report", str(sheet), "-o", str(tmp_path / "new")]) == 2
    err = _one_line_error(capsys)
    assert "Permission denied" in err and "nothing was written" in err
    assert not (tmp_path / "new").exists()


def test_case_20_folder_given_to_validate(tmp_path, capsys):
    folder = _build(20, tmp_path)
    assert main(["validate", str(folder)]) == 2
    assert "is a folder: validate reads one response sheet" in _one_line_error(capsys)


def _enospc(path):
    raise OSError(errno.ENOSPC, "No space left on device", str(path))


@pytest.mark.parametrize("full", ["report.html", "csv"])
def test_case_21_disk_full_leaves_nothing(tmp_path, capsys, monkeypatch, full):
    sheet = _build(21, tmp_path)
    if full == "csv":
        def full_csv(table, path, escape=True):
            Path(path).write_text("item_id,n\n甲,", encoding="utf-8")  # half a file, then full
            _enospc(path)

        monkeypatch.setattr(export, "write_csv", full_csv)
    else:
        real = Path.write_text

        def truncated(self, text, *args, **kwargs):
            if self.name != "report.html":
                return real(self, text, *args, **kwargs)
            real(self, text[:len(text) // 2], *args, **kwargs)  # a truncated page, then full
            return _enospc(self)

        monkeypatch.setattr(Path, "write_text", truncated)
    assert main(["report", str(sheet), "-o", str(tmp_path / "out")]) == 2
    err = _one_line_error(capsys)
    assert "No space left on device" in err and "nothing was written" in err
    # Whatever was half written (the page, or a CSV after a complete page) is gone with the
    # new folder: no report.html, no lock, no half-written folder.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet.csv"]


def test_case_21_disk_full_keeps_the_previous_outputs(tmp_path, capsys, monkeypatch):
    sheet = _build(21, tmp_path)
    out = tmp_path / "out"
    assert main(["report", str(sheet), "-o", str(out)]) == 0
    assert main(["reproduce", "--data", str(sheet), "-o", str(tmp_path / "rep")]) == 0
    before, before_rep = _snapshot(out), _snapshot(tmp_path / "rep")
    capsys.readouterr()

    def full_excel(tables, path, **options):
        Path(path).write_bytes(b"PK\x03\x04")
        _enospc(path)

    monkeypatch.setattr(export, "write_excel", full_excel)
    assert main(["report", str(sheet), "-o", str(out), "--force"]) == 2
    assert "the previous files are unchanged" in _one_line_error(capsys)
    assert _snapshot(out) == before
    monkeypatch.setattr(export, "write_csv", lambda table, path, escape=True: _enospc(path))
    assert main(["reproduce", "--data", str(sheet), "-o", str(tmp_path / "rep")]) == 2
    assert "No space left on device" in _one_line_error(capsys)
    assert _snapshot(tmp_path / "rep") == before_rep
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "rep", "sheet.csv"]
    assert not [p for p in (tmp_path / "rep").iterdir() if p.name.startswith(".partial-")]


def test_every_case_builds_the_same_bytes(tmp_path):
    for case in CASES:
        first, second = tmp_path / f"{case.number}a", tmp_path / f"{case.number}b"
        first.mkdir(), second.mkdir()
        a, b = case.build(first), case.build(second)
        files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
        same = [(first / f).read_bytes() == (second / f).read_bytes() for f in files]
        assert files and all(same), case.number
        assert a.relative_to(first) == b.relative_to(second)
    assert sorted(BY_NUMBER) == [8, 10, 11, 12, 15, 16, 17, 18, 19, 20, 21, 22]


def test_reproduce_then_report_with_default_folders(tmp_path, monkeypatch):
    """The README's commands in turn, with their default folders: reproduce writes into
    reports/, report into reports/report, so the second needs no --force; a second report
    into the same folder does."""
    monkeypatch.chdir(tmp_path)
    assert main(["reproduce"]) == 0
    assert main(["report", "--lang", "en"]) == 0
    assert (tmp_path / "reports" / "report" / "report.html").is_file()
    assert (tmp_path / "reports" / "headline.csv").is_file()  # reproduce's tables kept
    assert main(["report", "--lang", "en"]) == 2
    assert main(["report", "--lang", "en", "--force"]) == 0


def test_output_folder_is_checked_before_the_analysis(tmp_path, monkeypatch):
    """A folder that needs --force is said at once: the analysis is not run first."""
    from survey_analysis.present import cli

    out = tmp_path / "out"
    assert main(["report", "--lang", "en", "-o", str(out)]) == 0

    def no_analysis(*args, **kwargs):
        raise AssertionError("the analysis ran before the output folder was checked")

    monkeypatch.setattr(cli, "_analysis", no_analysis)
    assert main(["report", "--lang", "en", "-o", str(out)]) == 2
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    assert main(["reproduce", "-o", str(blocker)]) == 2
