"""Hostile CSV text (issue 14): quotes, duplicate headers, encodings, delimiters, traditional
characters, a header far down. Each ``build(folder)`` writes deterministic bytes and returns
the path to load; ``tests/test_hostile_csv_text.py`` asserts each ``outcome``.
"""

from __future__ import annotations

from pathlib import Path

from hostile.common import Case

HEADER = "事项编号,受访者,满意度,意见\n"


def _write(folder: Path, name: str, data) -> Path:
    path = Path(folder) / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def unclosed_quote(folder: Path) -> Path:
    # Line 3 opens a quote that never closes: the csv module would read lines 3-6 as one
    # record (2 data rows read of 5), item A at 100% instead of 2/3.
    return _write(folder, "unclosed_quote.csv", HEADER
                  + "A,1,满意,好\n"
                  + 'A,2,满意,"还行\n'
                  + "A,3,不满意,差\n"
                  + "B,1,满意,\n"
                  + "B,2,不满意,\n")


def unclosed_quote_closed_later(folder: Path) -> Path:
    # The quote opened on line 2 closes only at the quoted comment of line 5: lines 3-4 are
    # swallowed into the comment of line 2 (3 data rows read of 5).
    return _write(folder, "unclosed_then_closed.csv", HEADER
                  + 'A,1,满意,"好\n'
                  + "A,2,满意,\n"
                  + "A,3,不满意,\n"
                  + 'B,1,满意,"太慢"\n'
                  + "B,2,不满意,\n")


def quote_open_two_columns(folder: Path) -> Path:
    # Two columns (no respondent): a swallowed line holds 1 delimiter only, too few to look
    # like a record, but the quote is still open at the end of the file after 2 line breaks.
    return _write(folder, "quote_to_end.csv",
                  "事项编号,满意度\nA,满意\nA,\"满意\nB,满意\nB,不满意\n")


def quote_open_on_last_line(folder: Path) -> Path:
    # Benign: the quote opens on the last line; only the final line break is inside it.
    return _write(folder, "quote_last_line.csv", HEADER
                  + "A,1,满意,\nA,2,不满意,\"没说完\n")


def multiline_comment(folder: Path) -> Path:
    # Legitimate: comments over 2 and 3 lines (as tests/data/bad/multiline_comments.csv).
    return _write(folder, "multiline.csv", HEADER
                  + 'A,1,满意,"路灯\n还不够亮"\n'
                  + 'A,2,不满意,"第一行\n第二行, 还有\n第三行"\n'
                  + "B,1,基本满意,\n")


def duplicate_rating(folder: Path) -> Path:
    # The first 满意度 (C) is empty, the second (D) holds the answers.
    return _write(folder, "duplicate_rating.csv",
                  "事项编号,受访者,满意度,满意度\nA,1,,满意\nA,2,,不满意\nB,1,,满意\n")


def duplicate_item(folder: Path) -> Path:
    return _write(folder, "duplicate_item.csv",
                  "事项编号,受访者,事项编号,满意度\nA,1,X,满意\nA,2,X,不满意\nB,1,Y,满意\n")


def duplicate_unused(folder: Path) -> Path:
    # Two 备注 columns: the loader does not use them, so the load goes on and notes them.
    return _write(folder, "duplicate_unused.csv",
                  "事项编号,受访者,满意度,备注,备注\nA,1,满意,,\nA,2,不满意,,\n")


def duplicate_wide_item(folder: Path) -> Path:
    # Wide sheet: item column 服务 twice (B and D).
    return _write(folder, "duplicate_wide.csv",
                  "受访者,服务,环境,服务\n1,满意,满意,不满意\n2,满意,不满意,满意\n")


def utf8_with_gbk_rows(folder: Path) -> Path:
    # UTF-8 text; lines 3 and 5 were pasted from a GBK file.
    data = (("事项编号,受访者,满意度\nA,1,满意\n").encode()
            + "A,2,不满意\n".encode("gbk")
            + "A,3,满意\n".encode()
            + "B,1,基本满意\n".encode("gbk")
            + "B,2,满意\n".encode())
    return _write(folder, "utf8_gbk_rows.csv", data)


def utf32(folder: Path) -> Path:
    return _write(folder, "utf32.csv", "事项编号,受访者,满意度\nA,1,满意\nA,2,不满意\n".encode("utf-32"))


def big5(folder: Path) -> Path:
    return _write(folder, "big5.csv",
                  "事項編號,受訪者,滿意度\nA,1,滿意\nA,2,不滿意\nA,3,基本滿意\nB,1,不瞭解\n".encode("big5"))


def traditional_utf8(folder: Path) -> Path:
    return _write(folder, "traditional.csv",
                  "事項編號,受訪者,滿意度\nA,1,很滿意\nA,2,基本滿意\nA,3,不滿意\nB,1,不瞭解\n")


def nul_byte(folder: Path) -> Path:
    return _write(folder, "nul.csv", "事项编号,受访者,满意度\nA,1,满意\nA,2,不\x00满意\nB,1,满意\n")


def semicolons(folder: Path) -> Path:
    return _write(folder, "semicolons.csv",
                  "事项编号;受访者;满意度;意见\nA;1;满意;好,很好\nA;2;不满意;\nB;1;基本满意;慢,太慢\n")


def tabs_with_commas(folder: Path) -> Path:
    return _write(folder, "tabs.csv",
                  "事项编号\t受访者\t满意度\t意见\nA\t1\t满意\t好,很好\nA\t2\t不满意\t差,太差,非常差\n"
                  "B\t1\t满意\t\n")


def header_far_down(folder: Path) -> Path:
    # 60 lines of notes above the header (line 61).
    notes = "".join(f"说明第{i}行\n" for i in range(1, 61))
    return _write(folder, "header_far_down.csv",
                  notes + "事项编号,受访者,满意度\nA,1,满意\nA,2,不满意\n")


def header_unknown_far_down(folder: Path) -> Path:
    # Nothing recognizable anywhere: the hint says how to give the header's line.
    notes = "".join(f"说明第{i}行\n" for i in range(1, 61))
    return _write(folder, "header_unknown.csv", notes + "甲,乙\nA,满意\n")


CASES = [
    Case(1, "unclosed quote in a comment swallows the rows below", unclosed_quote,
         "ResponseFileError naming line 4 (field 4) where the quote opened and lines 5-7"),
    Case(1, "unclosed quote closed by a later quoted comment", unclosed_quote_closed_later,
         "ResponseFileError naming line 2 (field 4) where the quote opened"),
    Case(1, "quote open to the end of a two-column file", quote_open_two_columns,
         "ResponseFileError naming line 3 (field 2): the quote is still open at the end"),
    Case(1, "quote opened on the last line (benign)", quote_open_on_last_line,
         "read: 2 rows read, 2 kept; a note names line 3 where the quote opened"),
    Case(1, "comments over 2 and 3 lines (legitimate)", multiline_comment,
         "read: 3 rows read on lines 2, 4, 7"),
    Case(2, "two 满意度 columns", duplicate_rating,
         "ResponseFileError naming columns C and D and line 1"),
    Case(3, "two 事项编号 columns", duplicate_item,
         "ResponseFileError naming columns A and C and line 1"),
    Case(3, "two 备注 columns the loader does not use", duplicate_unused,
         "read; a note names '备注' (D and E)"),
    Case(3, "wide sheet with item column 服务 twice", duplicate_wide_item,
         "ResponseFileError naming columns B and D and line 1"),
    Case(23, "UTF-8 file with two GBK rows", utf8_with_gbk_rows,
         "ResponseFileError naming line 3 (and 5) and the encodings tried"),
    Case(24, "UTF-32 file with a BOM", utf32,
         "ResponseFileError saying UTF-32 and encoding='utf-32'; with it the file reads"),
    Case(25, "Big5 file", big5,
         "read as Big5 (noted): 4 rows, 3 kept, 1 dont_know"),
    Case(26, "traditional headers and labels", traditional_utf8,
         "read with scale cn4 (as the simplified sheet): 4 rows, 3 kept, 1 dont_know"),
    Case(27, "one NUL byte", nul_byte,
         "ResponseFileError naming line 3"),
    Case(28, "semicolon-delimited file", semicolons,
         "read with ';' (noted): 3 rows kept"),
    Case(29, "tab-separated file with commas in cells", tabs_with_commas,
         "read with tabs (noted): 3 rows kept, comments whole"),
    Case(32, "header on line 61", header_far_down,
         "ResponseFileError hinting header_row=61 (the CLI adds --header-row 61); with it the file reads"),
    Case(32, "no known header anywhere", header_unknown_far_down,
         "ResponseFileError saying only the first 50 lines were searched, hinting header_row=N"),
]
