"""The loader's fast paths give exactly what its reference paths give (never timed here).

CSV: pyarrow's reader (codes per column) against the standard library's ``csv`` reader, on
every CSV file in tests/data and on generated texts (title lines, blank lines, tabs, CR
line endings, quotes, GB18030, files of several pyarrow blocks). Excel: python-calamine plus
the sheet's XML against openpyxl (values with ``data_only=True``, formulas in a read-only
pass), on every workbook in tests/data and on generated ones (numbers, dates, times, booleans,
merged ranges, formulas with and without a saved value, a stale ``<dimension>``). Then the
pieces every path shares: distinct-value helpers against pandas, the prefilters of
``normalize_text`` and ``is_summary`` against the plain regular expressions, and exclusions
made together against exclusions made one by one. Speed is measured in
``benchmarks/bench_loader.py``, not here.
"""

from __future__ import annotations

import datetime
import io
import re
import sys
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey_analysis import load_responses
from survey_analysis.load import coded, excel, read
from survey_analysis.load.header import is_summary
from survey_analysis.load.names import SUMMARY_LABELS
from survey_analysis.scales.text import normalize_text

DATA = Path(__file__).parent / "data"
CSV_FILES = sorted(DATA.glob("*/*.csv"))
XLSX_FILES = sorted(p for p in DATA.glob("*/*.xlsx") if p.name != "not_a_workbook.xlsx")


def grid_state(grid) -> dict:
    """Everything a grid carries, as plain values."""
    text = grid.text
    return {
        "text": [[str(v) for v in coded.text(text[c])] for c in text.columns],
        "shape": text.shape,
        "lines": np.asarray(grid.lines, dtype=np.int64).tolist(),
        "encoding": grid.encoding, "notes": list(grid.notes), "sheet": grid.sheet,
        "file_format": grid.file_format,
        "no_value": None if grid.no_value is None else grid.no_value.to_numpy(dtype=bool).tolist(),
        "merged": sorted(tuple(m) for m in grid.merged),
    }


def exact_csv(data: bytes, encoding=None):
    text, used, notes = read.decode_bytes(data, "f.csv", encoding)
    return read._read_csv_records(text, "f.csv", used, notes)


def check_csv(data: bytes, encoding=None, expect_fast=None):
    """The fast reader gives the csv module's grid, or declines (returns None)."""
    try:
        reference = grid_state(exact_csv(data, encoding))
    except Exception as error:  # the file is unreadable: the fast path must not read it either
        with pytest.raises(type(error)):
            fast = read._read_csv_fast(data, "f.csv", encoding)
            if fast is None:
                exact_csv(data, encoding)
        return None
    fast = read._read_csv_fast(data, "f.csv", encoding)
    if expect_fast is not None:
        assert (fast is not None) == expect_fast
    if fast is not None:
        assert grid_state(fast) == reference
    return fast


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", CSV_FILES, ids=lambda p: p.name)
def test_csv_files_fast_equals_csv_module(path):
    check_csv(path.read_bytes())


@pytest.mark.parametrize("text, encoding, fast", [
    ("事项编号,受访者,满意度\nA,1,满意\nB,2,不了解\n", "utf-8", True),
    ("事项编号,受访者,满意度\r\nA,1,满意\r\nB,2,基本满意", "utf-8-sig", True),
    ("事项编号,受访者,满意度\rA,1,满意\rB,2,不满意\r", "gb18030", True),
    ("某街道满意度调查\n\n事项编号,受访者,满意度\nA,1,满意\nB,2,满意\n", "utf-8", True),   # title, blank line
    ("说明,,,,,\n事项编号,受访者,满意度\nA,1,满意\n", "utf-8", True),                     # title wider than the body
    ("事项编号\t受访者\t满意度\nA\t1\t满意\n", "utf-8", True),                             # tabs
    ("满意度\n满意\n\n不满意\n满意\n", "utf-8", True),                                     # one column: a blank row
    ("满意度\n满意\n不满意\n\n", "utf-8", False),                                          # ends with a blank line
    ("事项编号,受访者,满意度\nA,1,\"满意\"\n", "utf-8", False),                            # a quote
    ("事项编号,受访者,满意度\nA,1,满意\n\n", "utf-8", False),                              # blank line below the header
    ("事项编号,受访者,满意度\nA,1,满意\nB,2\nC,3,满意\n", "utf-8", True),                 # a short row in the sample
    ("事项编号,受访者,满意度\nA,1,满意,\n", "utf-8", True),                                # trailing comma: header is a title
    ("", "utf-8", False),
])
def test_csv_shapes(text, encoding, fast):
    check_csv(text.encode(encoding), expect_fast=fast)


def test_csv_of_several_pyarrow_blocks_and_late_surprises():
    # 2 MB of rows: pyarrow reads it in blocks whose dictionaries are unified.
    rows = [f"R{i // 7},事项{(i * 13) % 997},{['满意', '基本满意', '不满意', '不了解', ''][i % 5]}"
            for i in range(90_000)]
    body = "受访者,事项,满意度\n" + "\n".join(rows) + "\n"
    fast = check_csv(body.encode("utf-8"), expect_fast=True)
    assert fast.text.shape == (90_001, 3) and fast.lines[-1] == 90_001
    # Far below the sample: a row of another width, then a byte that is not UTF-8.
    check_csv((body + "X,1\n").encode("utf-8"), expect_fast=False)
    gb = (body + "满意,1,满意\n").encode("gb18030")
    grid = check_csv(gb, expect_fast=True)
    assert grid.encoding == "gb18030"
    check_csv(body.encode("utf-8") + b"\xff,1,2\n")   # neither UTF-8 nor GB18030: the same error
    check_csv(body.encode("utf-8") + b"\x00\n")


def test_csv_with_a_given_encoding():
    text = "事项编号,受访者,满意度\nA,1,满意\n"
    check_csv(b"\xef\xbb\xbf" + text.encode("utf-8"), encoding="utf-8", expect_fast=True)
    check_csv(text.encode("utf-16"), encoding="utf-16", expect_fast=True)
    check_csv(text.encode("gb18030"), encoding="gb18030", expect_fast=True)


CELL = st.sampled_from(["", "a", "满意", " 基本 满意 ", "合计", "1", "x y", '"', 'a"b', '"q"', ",", "\t"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELL, min_size=0, max_size=4), min_size=0, max_size=12),
       st.sampled_from([",", "\t"]), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans(),
       st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_csv_generated_texts(rows, delimiter, eol, final_eol, encoding):
    text = eol.join(delimiter.join(row) for row in rows) + (eol if final_eol else "")
    check_csv(text.encode(encoding))


# ---------------------------------------------------------------------------
# Excel
# ---------------------------------------------------------------------------

def check_xlsx(path: Path, fast: bool = True):
    """The fast reader gives openpyxl's grid (or declines when ``fast`` is False)."""
    reference = grid_state(excel._read_openpyxl(path, 0))
    if not fast:
        with pytest.raises(excel._Fallback):
            excel._read_fast(path, 0)
    else:
        assert grid_state(excel._read_fast(path, 0)) == reference
    assert grid_state(excel.read_excel(path, 0)) == reference


@pytest.mark.parametrize("path", XLSX_FILES, ids=lambda p: p.name)
def test_xlsx_files_fast_equals_openpyxl(path):
    check_xlsx(path)


def test_xlsx_sheet_choice_and_errors_are_the_same():
    path = DATA / "bad" / "two_sheets.xlsx"
    for sheet in ("答卷", 1, -1):
        assert grid_state(excel._read_fast(path, sheet)) == grid_state(excel._read_openpyxl(path, sheet))
    for sheet in ("缺失", 5):
        messages = []
        for reader in (excel._read_fast, excel._read_openpyxl):
            with pytest.raises(Exception) as error:
                reader(path, sheet)
            messages.append(str(error.value))
        assert messages[0] == messages[1]


def _patch_sheet(path: Path, edit) -> None:
    """Rewrite the first sheet's XML (as Excel or another program would have written it)."""
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    name = "xl/worksheets/sheet1.xml"
    parts[name] = edit(parts[name].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for part, data in parts.items():
            book.writestr(part, data)


def _shared_strings(path: Path) -> None:
    """Move a workbook's inline texts (openpyxl writes them so) to xl/sharedStrings.xml, as
    Excel saves them."""
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    texts: dict = {}

    def shared(match) -> str:
        return f'<c{match.group(1)} t="s"><v>{texts.setdefault(match.group(3), len(texts))}</v></c>'
    pattern = re.compile(r'<c([^>]*?) t="inlineStr"><is><t( xml:space="preserve")?>([^<]*)</t></is></c>')
    name = "xl/worksheets/sheet1.xml"
    parts[name] = pattern.sub(shared, parts[name].decode("utf-8")).encode("utf-8")
    parts["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "".join(f"<si><t>{text}</t></si>" for text in texts) + "</sst>").encode("utf-8")
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", f'<Relationship Id="rIdS" Type="{kind}" Target="sharedStrings.xml"/>'
        "</Relationships>".encode())
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for part, data in parts.items():
            book.writestr(part, data)


def _workbook(tmp_path, rows, merges=(), name="book.xlsx", formats=None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for merge in merges:
        sheet.merge_cells(merge)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    path = tmp_path / name
    book.save(path)
    return path


def test_xlsx_values_of_every_kind(tmp_path):
    rows = [["事项编号", "受访者", "满意度", "提交时间", "备注"],
            ["A", 1, "满意", datetime.datetime(2024, 1, 5, 13, 30, 15), 0.1],
            ["A", 2.0, "基本满意", datetime.date(2024, 2, 1), True],
            ["B", 3, " 不满意 ", datetime.time(12, 30), 1e10],
            ["B", 4, "不了解", datetime.timedelta(hours=30), -7],
            ["C", 5, "满意", 45000.25, "  "]]
    path = _workbook(tmp_path, rows, formats={"D6": "yyyy年m月d日", "D5": "[h]:mm:ss"})
    check_xlsx(path)
    tidy = load_responses(path, keep_columns=["提交时间", "备注"])
    # A date at midnight is written as the date alone (load/cells.py), as it would be typed.
    assert tidy["提交时间"].tolist()[:2] == ["2024-01-05 13:30:15", "2024-02-01"]


def test_xlsx_formulas_merges_and_formatting(tmp_path):
    rows = [["调查表", None, None], ["事项编号", "受访者", "满意度"], ["A", 1, "满意"], [None, 2, '="满意"'],
            ["B", 3, "=C3"], ["C", 4, "基本满意"], ["合计", None, "=COUNTA(C3:C6)"]]
    path = _workbook(tmp_path, rows, merges=["A1:C1", "A3:A4"])
    # C4 has a saved value (as Excel saves a calculated formula), C5 and C7 have none; B9 is
    # formatted but empty.

    def edit(xml):
        xml = re.sub(r'<c r="C4"([^>]*)><f>([^<]*)</f><v\s*/>', r'<c r="C4" t="str"\1><f>\2</f><v>满意</v>', xml)
        return xml
    _patch_sheet(path, edit)
    check_xlsx(path)
    with pytest.raises(Exception, match=r"Sheet!C5 holds a formula with no saved value"):
        load_responses(path)


def test_xlsx_covered_cells_stale_dimension_and_prefixes(tmp_path):
    rows = [["事项编号", "受访者", "满意度"], ["A", 1, "满意"], ["A", 2, "不满意"], ["B", 1, "=1+1"]]
    path = _workbook(tmp_path, rows, merges=["A2:A3"])

    def edit(xml):
        # A value under a merged range (openpyxl drops it), and a <dimension> that ends
        # before the formula in row 4 (openpyxl's formulas pass does not see it).
        xml = xml.replace('<c r="A3"', '<c r="A3" t="inlineStr"><is><t>hidden</t></is></c><c r="X3"', 1)
        return re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:C3"', xml)
    _patch_sheet(path, edit)
    check_xlsx(path)


@pytest.mark.parametrize("shared", [False, True], ids=["inline", "shared strings"])
def test_xlsx_white_space_cells(tmp_path, shared):
    # calamine reads a text of white space only as empty; openpyxl keeps it (a header "  "
    # names an unnamed column), so the fast reader puts it back.
    rows = [["  ", "事项编号", "受访者", "满意度", "\t"], ["合计", "", "", "", None], [" ", "A", "1", "满意", "\n"],
            ["x", "B", "2", "不满意", " a "], [" ", " B ", "3", "满意\t", "  "]]
    path = _workbook(tmp_path, rows)
    if shared:
        _shared_strings(path)
        assert b"sharedStrings" in zipfile.ZipFile(path).read("[Content_Types].xml")
    check_xlsx(path)
    tidy = load_responses(path, duplicates="keep_first")
    excluded = tidy.attrs["load_report"].exclusions
    assert excluded[["source_line", "reason", "column"]].values.tolist()[0] == [2, "summary_row", "  "]


def test_xlsx_rich_text_with_a_white_space_run(tmp_path):
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["事项编号", "受访者", "满意度"])
    sheet.append([CellRichText(["Room", TextBlock(InlineFont(b=True), " "), "101"]), 1, "满意"])
    path = tmp_path / "rich.xlsx"
    book.save(path)
    check_xlsx(path, fast=False)  # calamine would read "Room101"
    assert load_responses(path)["item_id"].tolist() == ["Room 101"]


def test_xlsx_texts_around_white_space_without_preserve(tmp_path):
    path = _workbook(tmp_path, [["事项编号", "受访者", "满意度"], ["A", "1", "满意"], ["B", "2", "满意"]])

    def edit(xml):  # texts written without xml:space="preserve", entities included
        xml = re.sub(r'(<c r="A2" t="inlineStr"><is>)<t>[^<]*</t>', r'\1<t>&#32;A&#x20;</t>', xml)
        return re.sub(r'(<c r="A1" t="inlineStr"><is>)<t>[^<]*</t>', '\\1<t>\t事项编号 </t>', xml)
    _patch_sheet(path, edit)
    check_xlsx(path)
    tidy = load_responses(path)
    assert tidy.attrs["load_report"].columns["item_id"] == "\t事项编号 "


def test_xlsx_what_the_fast_reader_declines(tmp_path, monkeypatch):
    declined = [
        [["事项编号", "受访者", "满意度"], ["A", 1, "#N/A"]],              # an error cell
        [["事项编号", "受访者", "满意度"], ["A", 2**60, "满意"]],          # beyond 2**53
    ]
    for i, rows in enumerate(declined):
        check_xlsx(_workbook(tmp_path, rows, name=f"d{i}.xlsx"), fast=False)
    path = _workbook(tmp_path, [["事项编号", "受访者", "满意度"], ["A", 1, "满意"]], name="ok.xlsx")
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # not installed: openpyxl reads
    check_xlsx(path, fast=False)


# ---------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 70), min_size=0, max_size=300), st.integers(71, 200))
def test_factorize_codes_and_first_occurrence(values, count):
    codes = np.array(values, dtype=np.int16)
    for n in (count, 71 if max(values, default=0) < 71 else count):
        renumbered, order = coded.factorize_codes(codes, n)
        expected_codes, expected_order = pd.factorize(codes)
        assert renumbered.tolist() == expected_codes.tolist() and order.tolist() == expected_order.tolist()
    first = coded.first_occurrence(codes, count)
    assert first.tolist() == [values.index(c) if c in values else -1 for c in range(count)]
    assert coded.any_repeated(codes) == (len(set(values)) < len(values))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["满意", "cn3", "", "a b", "非常满意"]), min_size=1, max_size=5, unique=True),
       st.lists(st.integers(0, 4), max_size=50))
def test_strings_equal_a_string_array_of_the_texts(uniques, picks):
    uniques = np.array(uniques, dtype=object)
    codes = np.array([p % len(uniques) for p in picks], dtype=np.int32)
    got = coded.strings(codes, uniques)
    expected = pd.array(uniques[codes].tolist(), dtype="string")
    assert got.dtype == expected.dtype and got.tolist() == expected.tolist()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(-3, 3), st.floats(allow_nan=True, allow_infinity=False, width=32),
                          st.booleans(), st.sampled_from(["a", " b ", "满意", ""])), max_size=20),
       st.sampled_from(["object", "float", "int", "string", "bool"]))
def test_frame_columns_coded_like_as_strings(values, kind):
    if kind == "float":
        values = [float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else np.nan for v in values]
    elif kind == "int":
        values = [int(v) for v in values if isinstance(v, int) and not isinstance(v, bool)]
    elif kind == "string":
        values = [v if isinstance(v, str) else None for v in values]
    elif kind == "bool":
        values = [bool(v) for v in values if isinstance(v, bool)]
    column = pd.Series(values, dtype={"object": object, "string": "string"}.get(kind))
    expected = read.as_strings(column.to_frame()).iloc[:, 0].tolist()
    assert coded.text(read._coded_column(column)).tolist() == expected


WHITE = [chr(c) for c in range(0x3100) if chr(c).isspace()] + ["\u200b", "\ufeff", "’", ":", "："]


def _normalize_reference(values: pd.Series) -> pd.Series:
    """normalize_text as it was, every regular expression on every text."""
    text = values.astype("string").str.normalize("NFKC")
    text = text.str.replace("[\u200b-\u200d\u2060\ufeff]", "", regex=True).str.strip().str.lower()
    text = text.str.replace(r"\s+", " ", regex=True)
    text = text.str.replace(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", regex=True)
    return text.str.replace("’", "'", regex=False)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(WHITE + list("合计Total满意ａ１2 ")), max_size=8), max_size=12))
def test_normalize_text_and_totals_as_plain_regular_expressions(texts):
    series = pd.Series(texts, dtype="string")
    assert normalize_text(series).tolist() == _normalize_reference(series).tolist()
    plain = _normalize_reference(series).str.replace(r"\s*[:：]$", "", regex=True)
    assert is_summary(series).tolist() == plain.isin(set(SUMMARY_LABELS)).fillna(False).tolist()


def test_exclusions_together_equal_one_by_one():
    frame = pd.DataFrame({"事项编号": ["A", "合计", "", "B", "B", "C", "C"],
                          "受访者": ["1", "x", "", "2", "3", "4", "4"],
                          "满意度": ["满意", "9", "", "", "不了解", "满意", "满意"]})
    tidy = load_responses(frame, duplicates="keep_first")
    report = tidy.attrs["load_report"]
    assert report.exclusions[["source_line", "reason"]].values.tolist() == [
        [2, "summary_row"], [3, "blank_row"], [4, "missing_rating"], [5, "dont_know"], [7, "duplicate"]]
    assert tidy["source_line"].tolist() == [1, 6]


def test_coded_grid_columns_are_categoricals_of_text():
    grid = read.read_source(io.StringIO("x") and (DATA / "good" / "long_utf8.csv"), 0, None)
    for column in grid.text.columns:
        cat = grid.text[column].array
        assert isinstance(cat, pd.Categorical) and cat.categories.dtype == object
        assert (np.asarray(cat.codes) >= 0).all()
