"""Exports: formula-injection escaping (OWASP), UTF-8-with-BOM CSV, Excel workbooks.

The rule tested is OWASP's "CSV Injection" advice
(https://owasp.org/www-community/attacks/CSV_Injection): a text cell beginning with
=, +, -, @, tab or carriage return is prefixed with a single quote; numbers are
never changed.
"""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from survey_analysis.present.export import escape_formulas, excel_sheet_name, write_csv, write_excel

# A formula character after leading spaces or control characters is risky too: a reader that
# trims them (LibreOffice "trim spaces", some importers) would see the formula.
RISKY = ["=1+1", "+SUM(A1)", "-2+3+cmd|' /C calc'!A0", "@SUM(1)", "\tTAB", "\rCR", " =x", "\x00\x1f+1"]
SAFE = ["满意", "ok", "1=1", " x =1", "'=already", ""]


def test_escape_each_trigger_character():
    table = pd.DataFrame({"text": RISKY + SAFE})
    out = escape_formulas(table)["text"].tolist()
    assert out == ["'" + v for v in RISKY] + SAFE


def test_numbers_are_never_escaped():
    table = pd.DataFrame({"int": [-1, 2], "float": [-0.5, np.nan], "mixed": ["-x", -3],
                          "string": pd.array(["-y", None], dtype="string")})
    out = escape_formulas(table)
    assert out["int"].tolist() == [-1, 2] and out["int"].dtype == table["int"].dtype
    assert out["float"].iloc[0] == -0.5 and np.isnan(out["float"].iloc[1])
    assert out["mixed"].tolist() == ["'-x", -3]  # the text cell only
    assert out["string"].dtype == "string" and out["string"].tolist()[0] == "'-y"
    assert pd.isna(out["string"].iloc[1])


def test_headers_escaped_and_input_untouched():
    table = pd.DataFrame({"=HYPERLINK(x)": ["a"], "n": [1]})
    out = escape_formulas(table)
    assert list(out.columns) == ["'=HYPERLINK(x)", "n"]
    assert list(table.columns) == ["=HYPERLINK(x)", "n"]  # a copy, not in place


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=6), max_size=8))
def test_escape_property(values):
    out = escape_formulas(pd.DataFrame({"v": values}, dtype=object))["v"].tolist()
    for before, after in zip(values, out):
        # The rule, written out independently of the module: a formula character first,
        # or one of = + - @ after leading whitespace / control characters (OWASP).
        # Full-width ＝ ＋ － ＠ count as formula characters, zero-width characters as blanks,
        # and a leading NUL is escaped as tab and CR are (export.py's docstring says why).
        formula = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
        stripped = before
        while stripped and (stripped[0].isspace() or ord(stripped[0]) < 32
                            or stripped[0] in "\x7f\u200b\u200c\u200d\u2060\ufeff"):
            stripped = stripped[1:]
        if before[:1] in (*formula, "\t", "\r", "\x00") or stripped[:1] in formula:
            assert after == "'" + before
        else:
            assert after == before


def test_write_csv_bom_and_escape(tmp_path):
    table = pd.DataFrame({"事项": ["=cmd", "路灯"], "n": [-1, 2]})
    path = write_csv(table, tmp_path / "sub" / "t.csv")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert back.to_dict("list") == {"事项": ["'=cmd", "路灯"], "n": [-1, 2]}
    raw = write_csv(table, tmp_path / "raw.csv", escape=False)
    assert pd.read_csv(raw, encoding="utf-8-sig")["事项"].tolist() == ["=cmd", "路灯"]


@pytest.mark.parametrize("wanted, taken, expected", [
    ("items", [], "items"),
    ("a/b\\c:d*e?f[g]h", [], "a_b_c_d_e_f_g_h"),
    ("x" * 40, [], "x" * 31),
    ("Items", ["items"], "Items~2"),           # Excel compares names ignoring case
    ("items", ["items", "items~2"], "items~3"),
    ("y" * 31, ["y" * 31], "y" * 29 + "~2"),  # suffix kept within 31 characters
    ("'quoted'", [], "quoted"),               # no leading or trailing apostrophe
    ("", [], "Sheet"),
    ("///", [], "___"),
    (2024, [], "2024"),
])
def test_excel_sheet_name(wanted, taken, expected):
    name = excel_sheet_name(wanted, taken)
    assert name == expected
    assert 1 <= len(name) <= 31 and not set("[]:*?/\\") & set(name)


def test_write_excel_several_tables(tmp_path):
    tables = {"items/rates": pd.DataFrame({"item": ["=A1", "路灯"], "rate": [0.95, -0.1]}),
              "ITEMS_RATES": pd.DataFrame({"x": [1]}),
              "a" * 40: pd.DataFrame({"note": ["@risk"]})}
    path = write_excel(tables, tmp_path / "out" / "book.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["items_rates", "ITEMS_RATES~2", "a" * 31]
    ws = book["items_rates"]
    assert [c.value for c in ws[2]] == ["'=A1", 0.95]
    assert ws["A2"].data_type == "s" and ws["B3"].data_type == "n" and ws["B3"].value == -0.1
    assert book["a" * 31]["A2"].value == "'@risk"
    back = pd.read_excel(path, sheet_name=None, engine="calamine")
    assert_frame_equal(back["ITEMS_RATES~2"], tables["ITEMS_RATES"])


def test_write_excel_single_table_and_verbatim_text(tmp_path):
    table = pd.DataFrame({"=h": ["=1+1", "-x", "ok"], "n": [-1, 2, 3]})
    path = write_excel(table, tmp_path / "raw.xlsx", escape=False)
    ws = openpyxl.load_workbook(path)["Sheet1"]
    # Verbatim, but stored as text: never as a formula Excel would run.
    assert [(c.value, c.data_type) for c in ws["A"]] == [("=h", "s"), ("=1+1", "s"), ("-x", "s"),
                                                         ("ok", "s")]
    assert [c.value for c in ws["B"]][1:] == [-1, 2, 3]
    escaped = openpyxl.load_workbook(write_excel(table, tmp_path / "safe.xlsx"))["Sheet1"]
    assert [c.value for c in escaped["A"]] == ["'=h", "'=1+1", "'-x", "ok"]


def test_write_excel_bad_input(tmp_path):
    with pytest.raises(ValueError, match="at least one table"):
        write_excel({}, tmp_path / "x.xlsx")
    with pytest.raises(TypeError, match="'t' is a list, not a DataFrame"):
        write_excel({"t": [1, 2]}, tmp_path / "x.xlsx")


def test_write_excel_table_longer_than_a_sheet_says_so(tmp_path, monkeypatch):
    from survey_analysis.present import export

    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 4)   # a sheet of 4 rows: header + 3
    table = pd.DataFrame({"item": list("abcdef"), "n": range(6)})
    back = pd.read_excel(export.write_excel(table, tmp_path / "t.xlsx"), engine="openpyxl")
    assert back["item"].tolist() == ["a", "b", "c"]
    assert "first 3 of 6 rows" in back.columns[-1] and "CSV" in back.columns[-1]


def test_write_excel_missing_values_are_empty_cells_and_types_kept(tmp_path):
    table = pd.DataFrame({"x": [1.5, np.nan], "k": pd.array([3, None], dtype="Int64"),
                          "ok": [True, False], "t": ["=1+1", None],
                          "when": pd.to_datetime(["2026-11-30", "2026-12-01 08:30"], format="ISO8601")})
    back = pd.read_excel(write_excel(table, tmp_path / "t.xlsx", escape=False), engine="openpyxl")
    assert back["x"].iloc[0] == 1.5 and pd.isna(back["x"].iloc[1]) and pd.isna(back["k"].iloc[1])
    assert back["ok"].tolist() == [True, False]
    assert back["t"].iloc[0] == "=1+1"                  # text, never a formula
    assert back["when"].astype(str).tolist() == ["2026-11-30", "2026-12-01 08:30:00"]


def test_write_excel_leaves_long_tables_to_csv_and_lists_them(tmp_path):
    tables = {"short": pd.DataFrame({"a": [1, 2]}), "long": pd.DataFrame({"a": range(10)})}
    path = write_excel(tables, tmp_path / "t.xlsx", max_rows=5)
    sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    assert list(sheets) == ["contents", "short"]
    contents = sheets["contents"].set_index("table")
    assert contents.loc["long", "rows"] == 10 and "only in long.csv" in contents.loc["long", "where"]
    assert contents.loc["short", "where"] == "sheet in this workbook"


def test_csv_quotes_carriage_returns_and_escapes_after_blanks(tmp_path):
    import csv

    table = pd.DataFrame({"name": ["路灯维修\r=cmd|' /C calc'!A0", " =1+1", "\n@SUM(A1)", "ok"]})
    path = write_csv(table, tmp_path / "t.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 5                       # header + 4 rows: no row was split
    cells = [row[0] for row in rows[1:]]
    assert cells[0] == "路灯维修\r=cmd|' /C calc'!A0"   # quoted: the CR stays inside the field
    assert cells[1] == "' =1+1" and cells[2] == "'\n@SUM(A1)" and cells[3] == "ok"
    raw = path.read_bytes().decode("utf-8-sig")
    assert '\r\n"路灯维修\r=cmd' in raw        # the field is quoted where it starts
    assert raw.endswith("\r\n")


def test_formula_escaping_is_the_documented_rule_on_every_code_point():
    # Reason: the escape test runs as one RE2 pattern (pyarrow); RE2's classes differ from
    # Python's (its \s is ASCII only). Every code point, alone and after a blank, must be
    # escaped exactly when the documented rule says: starts with = + - @ (ASCII or
    # full-width), tab, CR or NUL, or has a formula character after leading whitespace,
    # control or zero-width characters.
    import re
    import sys

    from survey_analysis.present.export import escape_formulas
    chars = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    cells = chars + [" " + c for c in chars] + ["\u3000\u200b=1", "\ufeff+1", "a=1"]
    rule = re.compile(r"^(?:[\t\r\x00]|[\s\x00-\x1f\x7f\u200b-\u200d\u2060\ufeff]*[=+\-@＝＋－＠])")
    expected = ["'" + c if rule.match(c) else c for c in cells]
    assert escape_formulas(pd.DataFrame({"text": cells}))["text"].tolist() == expected


def _awkward_floats(rng, rows: int) -> np.ndarray:
    """Floats of every magnitude (subnormal to near the largest), signed zeros, infinities,
    NaN, whole numbers either side of 1e10 and 1e16, and values at the 1e-4 boundary."""
    special = [0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, 1e-4, 9.999999999999999e-05, 1e10,
               9999999999.5, 9999999999.0, 1e16, 1e16 + 2, 123456789012.0, 0.95, 1.0, 2.5e-7,
               np.nextafter(1e-4, 0), np.nextafter(1e10, 0), 1.7976931348623157e308]
    random = rng.random(rows - len(special)) * 10.0 ** rng.integers(-320, 308, rows - len(special))
    signs = np.where(rng.random(rows - len(special)) < 0.3, -1.0, 1.0)
    values = np.concatenate([special, random * signs])
    values[len(special):][rng.random(rows - len(special)) < 0.02] = 0.0
    return values


def test_write_csv_long_tables_byte_for_byte_as_pandas(tmp_path, monkeypatch):
    """A long table (pyarrow's writer) gives the bytes pandas' ``to_csv`` gives the same table
    (UTF-8 BOM, "\\r\\n"); pandas is not called for it."""
    pytest.importorskip("pyarrow")
    rng = np.random.default_rng(25)
    rows = 40_000
    floats = _awkward_floats(rng, rows)
    wholes = np.round(rng.random(rows) * 10.0 ** rng.integers(0, 20, rows))  # 3.0, 4e12 ...
    table = pd.DataFrame({
        "事项": pd.array(rng.choice(["路灯", "A-1", "", " x", "Ω"], rows), dtype="string"),
        "text": np.array(rng.choice(["a b", "满意 + 基本满意", "'=1", ""], rows), dtype=object),
        "n": rng.integers(-5, 10**12, rows), "flag": rng.random(rows) < 0.5,
        "rate": floats, "whole": wholes, "share": rng.random(rows)})
    table.loc[rng.random(rows) < 0.1, "事项"] = pd.NA
    expected = tmp_path / "pandas.csv"
    table.to_csv(expected, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    with monkeypatch.context() as patch:
        patch.setattr(pd.DataFrame, "to_csv", lambda *a, **k: pytest.fail("pandas wrote the table"))
        written = write_csv(table, tmp_path / "fast.csv", escape=False)
    assert written.read_bytes() == expected.read_bytes()


@pytest.mark.parametrize("cell", ["a,b", 'say "hi"', "two\nlines", "cr\ronly"])
def test_write_csv_long_tables_quote_cells_as_pandas_does(tmp_path, cell):
    """A cell that needs quotes (delimiter, quote, line end) anywhere in a long table: the
    file is pandas' own, quoted where Python's csv module quotes."""
    rows = 6_000
    table = pd.DataFrame({"item": ["x"] * rows, "rate": np.linspace(0, 1, rows)})
    table.loc[rows - 1, "item"] = cell
    expected = tmp_path / "pandas.csv"
    table.to_csv(expected, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    data = write_csv(table, tmp_path / "t.csv", escape=False).read_bytes()
    assert data == expected.read_bytes()
    assert b'"' + cell.replace('"', '""').encode() + b'"' in data
