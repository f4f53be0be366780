"""Hostile cases of issue 14 about writing outputs: report folders, CSV / Excel cells, plots.

Each ``build(folder)`` writes deterministic input files into ``folder`` and returns the
path to hand to the package; ``tests/test_hostile_outputs.py`` asserts each ``outcome``.
Sheets use the headers 受访者 / 事项 / 评价 so the loader reads them (with its ledger).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from hostile.common import Case

#: The formula of cases 10 and 11, after a carriage return (a DDE payload).
CR_FORMULA = "路灯维修\r=cmd|' /C calc'!A0"
#: An item name matplotlib would read as mathtext (case 15).
MATH_NAME = "$\\undefinedcmd$"


def _sheet(path: Path, rows) -> Path:
    """A response sheet: ``rows`` of (item, rating), one respondent each (R1, R2 ...),
    written with the csv module (fields holding a CR or LF are quoted)."""
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow(["受访者", "事项", "评价"])
        for number, (item, rating) in enumerate(rows, start=1):
            writer.writerow([f"R{number}", item, rating])
    return path


def _mixed(items, satisfied: int = 4, dissatisfied: int = 2) -> list:
    """Each item answered ``satisfied`` times 满意 then ``dissatisfied`` times 不满意."""
    return [(item, rating) for item in items
            for rating in ["满意"] * satisfied + ["不满意"] * dissatisfied]


def build_two_reports(folder: Path) -> Path:
    """Case 8: two sheets (first.csv: items 甲 乙; second.csv: items 丙 丁), 6 answers per
    item; returns the folder holding both."""
    _sheet(folder / "first.csv", _mixed(["甲", "乙"]))
    _sheet(folder / "second.csv", _mixed(["丙", "丁"], satisfied=5, dissatisfied=1))
    return folder


def build_cr_formula_sheet(folder: Path) -> Path:
    """Case 10: items named with a formula after a carriage return, and one starting with @
    (4 answers each, 2 satisfied)."""
    return _sheet(folder / "cr.csv", _mixed([CR_FORMULA, "@SUM(1+1)*cmd|' /C calc'!A0"], 2, 2))


def build_cr_table(folder: Path) -> Path:
    """Case 11: a table of text cells to pass to write_csv / write_excel: a formula after a
    CR, after a tab, after spaces, full-width, after a zero-width space, a DDE payload, a
    text minus, a pipe; and numbers (a negative one stays a number)."""
    values = ["\r=1+1", "\t=1+1", "  =1+1", "\uff1d1+1", "\u200b@SUM(A1)",
              "=cmd|' /C calc'!A0", "-x", "|a|b|", "plain"]
    table = pd.DataFrame({"text": values, "n": [-1, 0, 1, 2, 3, 4, 5, 6, 7]})
    path = folder / "cells.csv"
    table.to_csv(path, index=False, encoding="utf-8", lineterminator="\r\n")
    return path


def build_multiindex_table(folder: Path) -> Path:
    """Case 12: a table with two header rows (a MultiIndex) whose labels are formulas."""
    path = folder / "two_headers.csv"
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow(["=HYPERLINK(\"http://x\")", "rate", "@items"])
        writer.writerow(["+1", "-2", "\r=3"])
        writer.writerow(["a", "0.5", "b"])
    return path


def build_math_item(folder: Path) -> Path:
    """Case 15: an item named ``$\\undefinedcmd$`` beside an ordinary one (6 answers each)."""
    return _sheet(folder / "math.csv", _mixed([MATH_NAME, "路灯"]))


def build_all_satisfied(folder: Path) -> Path:
    """Case 16: 2 items x 6 answers, every answer 满意."""
    return _sheet(folder / "all_satisfied.csv", _mixed(["甲", "乙"], 6, 0))


def build_all_dissatisfied(folder: Path) -> Path:
    """Case 17: 2 items x 6 answers, every answer 不满意."""
    return _sheet(folder / "all_dissatisfied.csv", _mixed(["甲", "乙"], 0, 6))


def build_output_is_a_file(folder: Path) -> Path:
    """Case 18: a sheet, and a FILE named ``out`` to give as the output folder."""
    (folder / "out").write_text("not a folder\n", encoding="utf-8")
    return _sheet(folder / "sheet.csv", _mixed(["甲", "乙"]))


def build_read_only_output(folder: Path) -> Path:
    """Case 19: a sheet, and an empty folder ``readonly`` with mode 0o555."""
    (folder / "readonly").mkdir()
    (folder / "readonly").chmod(0o555)
    return _sheet(folder / "sheet.csv", _mixed(["甲", "乙"]))


def build_folder_input(folder: Path) -> Path:
    """Case 20: a folder (holding one sheet) given to ``validate`` as its input."""
    (folder / "sheets").mkdir()
    _sheet(folder / "sheets" / "sheet.csv", _mixed(["甲", "乙"]))
    return folder / "sheets"


def build_disk_full(folder: Path) -> Path:
    """Case 21: a sheet; the test makes the writers fail with ENOSPC halfway."""
    return _sheet(folder / "sheet.csv", _mixed(["甲", "乙"]))


def build_categorical(folder: Path) -> Path:
    """Case 22: a Parquet file whose text column is categorical (pandas reads it back as a
    Categorical); one value is a formula."""
    table = pd.DataFrame({"事项": pd.Categorical(["路灯", "=1+1", "路灯", None]), "n": [3, 4, 5, 6]})
    path = folder / "categorical.parquet"
    table.to_parquet(path)
    return path


CASES = [
    Case(8, "report written over an earlier one: killed midway, or two runs into one folder",
         build_two_reports,
         "report writes a new folder beside the target and renames it into place under a lock; "
         "a folder holding files is replaced only with --force (else exit 2 naming --force); "
         "a failure or kill leaves the previous report byte for byte"),
    Case(10, "an item name holding a carriage return before a formula, through every CSV writer",
         build_cr_formula_sheet,
         "report / reproduce CSVs quote the field (\\r\\n line ends): csv reads one row per item, "
         "and no cell starts with a formula character"),
    Case(11, "'\\r=1+1' and other formula cells through write_csv / write_excel", build_cr_table,
         "each text cell that starts (after blanks) with = + - @ or ＝ ＋ － ＠ gets a leading '; "
         "numbers and '|a|b|' are left alone"),
    Case(12, "MultiIndex headers with formulas through write_csv / write_excel",
         build_multiindex_table,
         "every level of the header is escaped; write_excel writes one header row per level"),
    Case(15, "an item named $\\undefinedcmd$ (matplotlib mathtext)", build_math_item,
         "report exits 0: plot texts are plain (parse_math=False, usetex=False), the name is shown "
         "as written"),
    Case(16, "every answer satisfied", build_all_satisfied,
         "report and reproduce exit 0; the funnel is not drawn and the report says why "
         "(rate 100%)"),
    Case(17, "every answer dissatisfied", build_all_dissatisfied,
         "reproduce --data and report exit 0; the funnel is not drawn and the output says why "
         "(rate 0%)"),
    Case(18, "-o naming an existing file", build_output_is_a_file,
         "exit 2, one line 'is a file, not a folder', the file untouched"),
    Case(19, "a read-only output folder", build_read_only_output,
         "exit 2, one line 'is read-only', nothing written"),
    Case(20, "a folder given to validate as its input", build_folder_input,
         "exit 2, one line 'is a folder: validate reads one response sheet'"),
    Case(21, "disk full while writing (ENOSPC halfway through a file)", build_disk_full,
         "exit 2, one line 'No space left on device ... nothing was written'; no partial file, "
         "folder or lock left; an earlier report is unchanged"),
    Case(22, "a Categorical column through write_csv / write_excel", build_categorical,
         "written as its values' text, the formula value escaped"),
]
