"""Generate the response sheets in ``tests/data/bad``, ``tests/data/good`` and ``tests/data/office``.

Run from the repository root::

    python tests/data/make_test_files.py            # rewrites tests/data/bad, good and office
    python tests/data/make_test_files.py OUT_DIR    # writes OUT_DIR/bad, good and office

The output is deterministic: CSV bytes are spelled out here; Excel workbooks are
written by openpyxl and then re-zipped with fixed timestamps (1980-01-01) and fixed
document properties; Parquet files are written by pyarrow without timestamps.
``tests/test_io_files.py`` regenerates everything into a temporary folder and checks
that the committed files are byte-identical, so edit this script, never the files.

Every file is small and describes one problem real sheets have; the expected
outcome of loading each one is in the table of ``tests/test_io_files.py``. Line
numbers in the comments are the lines (CSV) or sheet rows (Excel) an analyst sees.

Formula cells with saved values: openpyxl writes formulas without the value Excel
would have calculated, so ``formulas_cached.xlsx`` is patched after saving: the
``<v/>`` element of each formula cell gets the value (and ``t="str"`` for text),
exactly as Excel stores a calculated formula.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd

HERE = Path(__file__).resolve().parent
HEADER = ["事项编号", "受访者", "满意度"]
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_W3CDTF = "2024-01-01T00:00:00Z"


# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------

def csv_text(rows, header=HEADER) -> str:
    """Header line then one line per row; a row is a list of cells or a raw line."""
    lines = [] if header is None else [",".join(header)]
    lines += [row if isinstance(row, str) else ",".join(row) for row in rows]
    return "\n".join(lines) + "\n"


def csv_bytes(rows, header=HEADER, encoding="utf-8") -> bytes:
    return csv_text(rows, header).encode(encoding)


def _normalize_zip(data: bytes, patch=None) -> bytes:
    """Re-zip with fixed timestamps and properties; ``patch(name, text) -> text`` edits XML."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                text = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                              rf"\g<1>{FIXED_W3CDTF}\g<3>", text)
                content = text.encode()
            if patch is not None and info.filename.endswith(".xml"):
                content = patch(info.filename, content.decode("utf-8")).encode()
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content)
    return out.getvalue()


def workbook_bytes(fill, patch=None) -> bytes:
    """A workbook built by ``fill(workbook)``, saved deterministically."""
    book = openpyxl.Workbook()
    fill(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return _normalize_zip(buffer.getvalue(), patch)


def sheet_rows(ws, rows) -> None:
    for row in rows:
        ws.append(list(row))


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, engine="pyarrow", index=False)
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# bad/: one awkward or broken file each
# ---------------------------------------------------------------------------

def bad_files() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    basic = [["A", "1", "满意"], ["A", "2", "基本满意"], ["B", "1", "不满意"], ["B", "2", "不了解"]]

    # Encodings ---------------------------------------------------------------
    # GBK (what Excel on Chinese Windows writes): read as GB18030, its superset.
    files["gbk.csv"] = csv_bytes(basic, encoding="gbk")
    # U+20000 needs a GB18030 four-byte sequence; GBK cannot encode it.
    files["gb18030_four_byte.csv"] = csv_bytes(
        [["A", "𠀀", "满意"], ["A", "2", "不满意"]], encoding="gb18030")
    # Excel's "Unicode Text": UTF-16 LE with BOM, tab-separated.
    files["utf16.csv"] = "\ufeff事项编号\t受访者\t满意度\nA\t1\t满意\n".encode("utf-16-le")
    # Line 3 holds bytes 0xFF, valid in neither UTF-8 nor GB18030.
    files["undecodable.csv"] = csv_bytes([["A", "1", "满意"]]) + b"A,2,\xff\xfe\n"
    # UTF-8 with BOM, to be read with encoding="utf-8" given explicitly.
    files["bom_explicit_utf8.csv"] = b"\xef\xbb\xbf" + csv_bytes(basic)
    # An Excel workbook saved under a .csv name.
    files["workbook_named_csv.csv"] = workbook_bytes(lambda b: sheet_rows(b.active, [HEADER]))
    files["not_a_workbook.xlsx"] = b"this is not a zip file\n"
    files["old_format.xls"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 56

    # Layout of the CSV -------------------------------------------------------
    # Title on line 1, blank line 2, header line 3, data on lines 4-7.
    files["title_rows.csv"] = csv_bytes(["市西街道群众满意度调查表,,", ",,", ",".join(HEADER)] + basic,
                                        header=None)
    # Header line 2 (below a title) uses names no alias knows: header_row= and columns=.
    files["unrecognized_header.csv"] = csv_bytes(
        ["2024年第二季度", "编号,答卷人,结果", "A,1,满意", "A,2,不满意"], header=None)
    # Blank lines (empty and ",,") on lines 3, 5, 6; data on 2, 4, 7.
    files["blank_lines.csv"] = csv_bytes(["A,1,满意", "", "A,2,不满意", ",,", "  ,　,", "B,1,基本满意"])
    # Quoted comments spanning lines: records start on lines 2, 4, 7, 8.
    files["multiline_comments.csv"] = (
        "事项编号,受访者,满意度,意见\n"
        'A,1,满意,"路灯\n还不够亮"\n'
        'A,2,不满意,"第一行\n第二行\n第三行"\n'
        "A,3,不了解,\n"
        "B,1,基本满意,\"引号\"\"里\"\"的字\"\n").encode()
    # Excel's habit: trailing empty columns and trailing ",,,," lines (6 and 7 are blank).
    files["trailing_empty_columns.csv"] = csv_bytes(
        ["A,1,满意,,,", "A,2,不满意,,,", "B,1,满意,,,", "B,2,基本满意,,,", ",,,,,", ",,,,,"],
        header=HEADER + ["", "", ""])
    files["empty.csv"] = b""
    files["header_only.csv"] = csv_bytes([])
    files["blank_only.csv"] = b"\n\n,,\n"

    # Totals rows -------------------------------------------------------------
    # Lines 6-8: Total / Sum / Average rows (first cell, or the item cell after a 序号).
    files["totals_rows.csv"] = csv_bytes(
        ["1,A,1,满意", "2,A,2,不满意", "3,B,1,满意", "4,B,2,满意", "Total,,,4", ",Sum:,,4",
         "5,Average,,0.75"], header=["序号"] + HEADER)

    # Labels ------------------------------------------------------------------
    files["fullwidth_labels.csv"] = csv_bytes(
        [["A", "１", "满意　"], ["A", "２", "基本 满意"], ["A", "３", "　不满意"], ["B", "１", "ＳＡＴＩＳＦＩＥＤ"],
         ["B", "２", "基　本　满　意"], ["B", "３", "不\u200b满意"]],
        header=["事项编号", "受访者", "满意度"])
    files["synonyms.csv"] = csv_bytes(
        [["A", "1", "很满意"], ["A", "2", "比较满意"], ["A", "3", "较满意"], ["A", "4", "一般"],
         ["A", "5", "不太满意"], ["A", "6", "很不满意"], ["A", "7", "十分满意"]])
    files["numeric_1to5.csv"] = csv_bytes(
        [["A", "1", "5"], ["A", "2", "4"], ["A", "3", "3"], ["A", "4", "2"], ["A", "5", "1"],
         ["A", "6", "５"], ["A", "7", "5分"]])
    files["yes_no.csv"] = csv_bytes(
        [["A", "1", "是"], ["A", "2", "否"], ["A", "3", "Yes"], ["A", "4", "NO"], ["A", "5", "不知道"]])
    files["english.csv"] = csv_bytes(
        [["Streetlights", "r1", "Very satisfied"], ["Streetlights", "r2", "satisfied"],
         ["Streetlights", "r3", "Neutral"], ["Roads", "r1", "dissatisfied"],
         ["Roads", "r2", "Very Dissatisfied"], ["Roads", "r3", "Don't know"]],
        header=["Item", "Respondent", "Rating"])
    files["chinese_headers.csv"] = csv_bytes(
        [["路灯维修", "张三", "满意", "1.5"], ["路灯维修", "李四", "不满意", "0.5"],
         ["道路修补", "张三", "基本满意", "1.5"]],
        header=["事项名称", "受访人", "满意程度", "权重"])
    # Lines 3 and 5: 好; line 4: 差.
    files["unknown_labels.csv"] = csv_bytes(
        [["A", "1", "满意"], ["A", "2", "好"], ["A", "3", "差"], ["A", "4", "好"], ["A", "5", "不了解"]])
    # 基本满意 (3-level) on lines 2 and 4; 非常满意 (5-level only) on line 5.
    files["mixed_scales.csv"] = csv_bytes(
        [["A", "1", "基本满意"], ["A", "2", "满意"], ["A", "3", "基本满意"], ["A", "4", "非常满意"]])
    files["mixed_yes_no.csv"] = csv_bytes([["A", "1", "是"], ["A", "2", "否"], ["A", "3", "满意"]])
    files["only_dont_know.csv"] = csv_bytes(
        [["A", "1", "不了解"], ["A", "2", "说不清"], ["B", "1", "不清楚"], ["B", "2", "不知道"]])

    # Integrity ---------------------------------------------------------------
    # Line 4 repeats respondent 1 on item A (line 2).
    files["duplicates.csv"] = csv_bytes(
        [["A", "1", "满意"], ["A", "2", "不满意"], ["A", "1", "不满意"], ["B", "1", "满意"]])
    # 不了解 (line 2) and 满意 (line 3) from the same respondent on the same item.
    files["duplicate_dont_know.csv"] = csv_bytes(
        [["A", "1", "不了解"], ["A", "1", "满意"], ["A", "2", "满意"]])
    files["empty_item_id.csv"] = csv_bytes([["A", "1", "满意"], ["", "2", "满意"]])
    files["missing_rating_column.csv"] = csv_bytes([["A", "1", "满意"]], header=["事项编号", "受访者", "打分"])
    weight_header = HEADER + ["权重"]
    files["weight_empty.csv"] = csv_bytes([["A", "1", "满意", "1"], ["A", "2", "满意", ""]], weight_header)
    files["weight_negative.csv"] = csv_bytes([["A", "1", "满意", "-2"], ["A", "2", "满意", "1"]],
                                             weight_header)
    files["weight_text.csv"] = csv_bytes([["A", "1", "满意", "1"], ["A", "2", "满意", "1"],
                                          ["A", "3", "不满意", "heavy"]], weight_header)
    # Items SX001, SX002 are in catalogue.csv; ZZ9 (lines 4, 5) and YY1 (line 6) are not.
    files["catalogue.csv"] = csv_bytes([["SX001", "路灯"], ["SX002", "道路"], ["SX003", "垃圾"]],
                                       header=["item_id", "name_zh"])
    files["catalogue_unknown_items.csv"] = csv_bytes(
        [["SX001", "1", "满意"], ["SX002", "1", "不满意"], ["ZZ9", "1", "满意"], ["ZZ9", "2", "基本满意"],
         ["YY1", "1", "不了解"]])

    # Wide sheets -------------------------------------------------------------
    # Respondents on lines 2-4; line 3 did not get item 道路修补; line 4 skipped two items.
    files["wide_blanks.csv"] = csv_bytes(
        ["R1,满意,不满意,基本满意", "R2,满意,,不了解", "R3,,,满意"],
        header=["受访者", "路灯维修", "道路修补", "垃圾清运"])
    files["wide_weights.csv"] = csv_bytes(
        ["1,R1,2,满意,不满意", "2,R2,0.5,基本满意,满意"],
        header=["序号", "受访者", "权重", "路灯维修", "道路修补"])

    # Excel -------------------------------------------------------------------
    def title_merged(book):
        ws = book.active
        ws.title = "Sheet1"
        ws["A1"] = "市西街道群众满意度调查表"
        ws.merge_cells("A1:C1")
        sheet_rows(ws, [[None, None, None], HEADER, ["A", 1, "满意"], ["A", 2, "基本满意"],
                        ["B", 1, "不了解"], ["B", 2, "不满意"]])
        # rows: 1 title, 2 blank, 3 header, 4-7 data
    files["title_merged.xlsx"] = workbook_bytes(title_merged)

    def merged_items(book):
        ws = book.active
        sheet_rows(ws, [["事项名称", "受访者", "满意度"],
                        ["路灯维修", 1, "满意"], [None, 2, "满意"], [None, 3, "不满意"],
                        ["道路修补", 1, "基本满意"], [None, 2, "不了解"]])
        ws.merge_cells("A2:A4")
        ws.merge_cells("A5:A6")
    files["merged_items.xlsx"] = workbook_bytes(merged_items)

    def formulas(book):
        ws = book.active
        sheet_rows(ws, [HEADER, ["A", "=ROW()-1", '="满意"'], ["A", "=ROW()-1", "不满意"],
                        ["B", "=1+0", '=IF(1>0,"基本满意","不满意")']])
    cached = {"B2": ("1", None), "C2": ("满意", "str"), "B3": ("2", None), "B4": ("1", None),
              "C4": ("基本满意", "str")}

    def add_cached_values(name, text):
        if not name.startswith("xl/worksheets/"):
            return text
        for ref, (value, kind) in cached.items():
            pattern = re.compile(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/>')
            attribute = f' t="{kind}"' if kind else ""
            text, count = pattern.subn(
                lambda m, ref=ref, attribute=attribute, value=value:
                f'<c r="{ref}"{m.group(1)}{attribute}><f>{m.group(2)}</f><v>{value}</v>', text)
            assert count == 1, (ref, text)
        return text
    files["formulas_cached.xlsx"] = workbook_bytes(formulas, patch=add_cached_values)
    # Rows 2-4; C3 holds a formula never calculated (no saved value).
    files["formula_no_cache.xlsx"] = workbook_bytes(
        lambda b: sheet_rows(b.active, [HEADER, ["A", 1, "满意"], ["A", 2, '=IF(1>0,"满意","不满意")'],
                                        ["A", 3, "不满意"]]))

    def totals(book):
        ws = book.active
        sheet_rows(ws, [["序号"] + HEADER, [1, "A", 1, "满意"], [2, "A", 2, "不满意"], [3, "B", 1, "满意"],
                        ["小计", None, None, 3], [4, "B", 2, "基本满意"], ["合计", None, None, 4],
                        ["总　计：", None, None, 4], [None, "平均", None, 0.75]])
        # data rows 2-4 and 6; totals rows 5, 7, 8, 9
    files["totals_rows.xlsx"] = workbook_bytes(totals)

    def wide(book):
        ws = book.active
        sheet_rows(ws, [["受访者", "路灯维修", "道路修补", "垃圾清运"], ["R1", "满意", "不满意", "满意"],
                        ["R2", "基本满意", "满意", "不了解"], ["R3", "满意", "满意", "满意"],
                        ["R4", "不满意", "基本满意", "满意"]])
    files["wide.xlsx"] = workbook_bytes(wide)

    def wide_unknown(book):
        ws = book.active
        sheet_rows(ws, [["受访者", "路灯维修", "道路修补"], ["R1", "满意", "满意"], ["R2", "满意", "很好"],
                        ["R3", "不满意", "满意"]])
    files["wide_unknown_label.xlsx"] = workbook_bytes(wide_unknown)

    def note_column(book):
        ws = book.active
        sheet_rows(ws, [HEADER + ["备注"], ["A", 1, "满意", "路灯已修好"], ["A", 2, "不满意", "=还没修"],
                        ["B", 1, "基本满意", None]])
    files["note_column.xlsx"] = workbook_bytes(note_column)

    def two_sheets(book):
        first = book.active
        first.title = "说明"
        sheet_rows(first, [["本表为演示数据"]])
        answers = book.create_sheet("答卷")
        sheet_rows(answers, [HEADER, ["A", 1, "满意"], ["A", 2, "不满意"]])
    files["two_sheets.xlsx"] = workbook_bytes(two_sheets)
    return files


# ---------------------------------------------------------------------------
# good/: the same answers in every format and layout
# ---------------------------------------------------------------------------

#: (item, respondent, rating): 12 cells; R03 has no answer for SX002.
GOOD_ANSWERS = [
    ("SX001", "R01", "满意"), ("SX001", "R02", "基本满意"), ("SX001", "R03", "满意"),
    ("SX001", "R04", "不了解"),
    ("SX002", "R01", "不满意"), ("SX002", "R02", "满意"), ("SX002", "R03", ""),
    ("SX002", "R04", "满意"),
    ("SX003", "R01", "基本满意"), ("SX003", "R02", "说不清"), ("SX003", "R03", "满意"),
    ("SX003", "R04", "不满意"),
]
GOOD_ITEMS = ["SX001", "SX002", "SX003"]
GOOD_RESPONDENTS = ["R01", "R02", "R03", "R04"]


def good_files() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    long_rows = [list(row) for row in GOOD_ANSWERS]
    files["long_utf8.csv"] = csv_bytes(long_rows)
    files["long_utf8_bom.csv"] = csv_bytes(long_rows, encoding="utf-8-sig")
    files["long_gb18030.csv"] = csv_bytes(long_rows, encoding="gb18030")
    files["long.parquet"] = parquet_bytes(pd.DataFrame(long_rows, columns=HEADER))
    cell = {(item, person): rating for item, person, rating in GOOD_ANSWERS}

    def wide(book):
        ws = book.active
        ws.title = "满意度"
        ws["A1"] = "市西街道群众满意度调查表（演示）"
        ws.merge_cells("A1:D1")
        ws.append(["受访者"] + GOOD_ITEMS)                       # row 2: header
        for person in GOOD_RESPONDENTS:                          # rows 3-6
            ws.append([person] + [cell[(item, person)] or None for item in GOOD_ITEMS])
        ws.append(["合计", 4, 3, 4])                              # row 7: totals
    files["wide_title_totals.xlsx"] = workbook_bytes(wide)
    return files


# ---------------------------------------------------------------------------
# office/: sheets built the way offices, hotlines and surveys export them
# ---------------------------------------------------------------------------

#: 好差评 export: (事项名称, 评价人, 评价等级); rows 4-23 of the sheet, in this order.
HAOCHAPING_ROWS = [
    ("户籍迁移", "张**", "非常满意"), ("户籍迁移", "李**", "满意"), ("户籍迁移", "王**", "基本满意"),
    ("户籍迁移", "张**", "非常满意"), ("户籍迁移", "赵**", "不满意"), ("户籍迁移", "刘**", "非常满意"),
    ("社保卡申领", "陈**", "满意"), ("社保卡申领", "杨**", "非常满意"), ("社保卡申领", "黄**", "不了解"),
    ("社保卡申领", "周**", "非常不满意"), ("社保卡申领", "吴**", "满意"), ("社保卡申领", "张**", "基本满意"),
    ("营业执照办理", "徐**", "非常满意"), ("营业执照办理", "孙**", "非常满意"),
    ("营业执照办理", "马**", "满意"), ("营业执照办理", "朱**", "非常满意"),
    ("营业执照办理", "胡**", "基本满意"), ("营业执照办理", "郭**", "满意"),
    ("营业执照办理", "何**", "非常满意"), ("营业执照办理", "林**", "不满意"),
]


def office_files() -> dict[str, bytes]:
    files: dict[str, bytes] = {}

    def haochaping(book):
        ws = book.active
        ws.title = "评价明细"
        ws["A1"] = "某区政务服务“好差评”评价明细（2024年第一季度）"      # row 1: title
        ws.merge_cells("A1:F1")
        ws.append(["导出时间：2024-04-01", None, None, None, None, None])  # row 2: export note
        ws.append(["序号", "事项名称", "办件编号", "评价人", "评价渠道", "评价等级"])  # row 3
        for number, (item, person, level) in enumerate(HAOCHAPING_ROWS, start=1):  # rows 4-23
            ws.append([number, item, f"BJ2024{number:04d}", person,
                       "窗口" if number % 2 else "网上", level])
        ws.append(["合计", None, None, None, None, "20"])                       # row 24
    files["haochaping_export.xlsx"] = workbook_bytes(haochaping)

    # 12345 callback sheet: respondents recorded as masked names and phone numbers; the
    # real key is 序号 (one row per call). Lines 2-9.
    files["masked_names.csv"] = csv_bytes([
        ["1", "路灯维修", "张**", "满意"], ["2", "路灯维修", "张**", "基本满意"],
        ["3", "路灯维修", "138****5678", "满意"], ["4", "噪音投诉", "李**", "不满意"],
        ["5", "噪音投诉", "李**", "满意"], ["6", "噪音投诉", "王某", "满意"],
        ["7", "噪音投诉", "王某", "不了解"], ["8", "路灯维修", "138****5678", "满意"],
    ], header=["序号", "事项名称", "受访人", "满意度"])

    # A header over two rows: 序号 and 事项名称 merged down, 受访情况 merged across
    # 社区 / 受访人 / 评价 (rows 2-3), under a title (row 1). Data rows 4-9.
    def two_rows(book):
        ws = book.active
        ws.title = "回访表"
        ws["A1"] = "市西街道办实事回访记录"
        ws.merge_cells("A1:E1")
        ws["A2"], ws["B2"], ws["C2"] = "序号", "事项名称", "受访情况"
        ws.merge_cells("A2:A3")
        ws.merge_cells("B2:B3")
        ws.merge_cells("C2:E2")
        ws["C3"], ws["D3"], ws["E3"] = "社区", "受访人", "评价"
        sheet_rows(ws, [[1, "小区积水治理", "东城社区", "张**", "满意"],
                        [2, None, "东城社区", "李**", "基本满意"],
                        [3, None, "西城社区", "王**", "满意"],
                        [4, "电动车棚改造", "西城社区", "赵**", "不满意"],
                        [5, None, "西城社区", "刘**", "满意"],
                        [6, None, "东城社区", "陈**", "不了解"]])
        ws.merge_cells("B4:B6")   # the item name merged down over its respondents
        ws.merge_cells("B7:B9")
    files["two_row_header.xlsx"] = workbook_bytes(two_rows)
    # The same sheet saved as CSV: merged cells leave their other cells empty.
    files["two_row_header.csv"] = csv_bytes([
        "市西街道办实事回访记录,,,,", "序号,事项名称,受访情况,,", ",,社区,受访人,评价",
        "1,小区积水治理,东城社区,张**,满意", "2,小区积水治理,东城社区,李**,基本满意",
        "3,小区积水治理,西城社区,王**,满意", "4,电动车棚改造,西城社区,赵**,不满意",
        "5,电动车棚改造,西城社区,刘**,满意", "6,电动车棚改造,东城社区,陈**,不了解",
    ], header=None)

    # Spoken variants of the 3-level scale (lines 2-9).
    files["spoken_variants.csv"] = csv_bytes([
        ["A", "1", "很满意"], ["A", "2", "非常满意"], ["A", "3", "比较满意"], ["A", "4", "满意"],
        ["B", "1", "基本满意"], ["B", "2", "不太满意"], ["B", "3", "不满意"], ["B", "4", "满意"],
    ])

    # A GP Patient Survey style export: one row per respondent, two questions on different
    # scales, with "Haven't tried" and "Don't know" (rows 2-7).
    files["gp_style.csv"] = csv_bytes([
        ["1001", "Y001", "Very easy", "Very good"],
        ["1002", "Y001", "Fairly easy", "Fairly good"],
        ["1003", "Y001", "Not very easy", "Neither good nor poor"],
        ["1004", "Y002", "Not at all easy", "Very poor"],
        ["1005", "Y002", "Haven't tried", "Fairly good"],
        ["1006", "Y002", "Fairly easy", "Don't know"],
    ], header=["Respondent ID", "Practice code", "Ease of getting through on the phone",
               "Overall experience of the GP practice"])

    # NHS Friends and Family Test codes 1-6 and an undocumented 7 (lines 2-10).
    files["fft_codes.csv"] = csv_bytes([
        ["T1", "r1", "1"], ["T1", "r2", "1"], ["T1", "r3", "2"], ["T1", "r4", "6"],
        ["T2", "r5", "4"], ["T2", "r6", "5"], ["T2", "r7", "1"], ["T2", "r8", "7"], ["T2", "r9", "3"],
    ], header=["unit", "respondent_id", "fft_code"])

    # Scores 1-5 without a word of what they mean (lines 2-6).
    files["numeric_no_scale.csv"] = csv_bytes([["A", "1", "5"], ["A", "2", "4"], ["B", "1", "3"],
                                               ["B", "2", "5"], ["B", "3", "1"]])
    return files


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0]) if argv else HERE
    for folder, files in (("bad", bad_files()), ("good", good_files()), ("office", office_files())):
        target = root / folder
        target.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (target / name).write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
