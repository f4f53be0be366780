"""Hostile inputs of issue 14, cases 4 and 5: ids that print alike but differ in their bytes."""

from pathlib import Path

from hostile.common import Case

HEADER = "事项编号,受访者,满意度\n"


def zero_width_ids(folder: Path) -> Path:
    """Item A1 written three ways: plain, with a zero-width space, with a soft hyphen;
    respondent R1 once with a trailing zero-width joiner (lines 2-6)."""
    path = folder / "zero_width_ids.csv"
    path.write_text(HEADER + "A1,R1,满意\nA\u200b1,R2,不满意\nA\u00ad1,R3,满意\n"
                    "B1,R1\u200d,满意\nB1,R2,满意\n", encoding="utf-8")
    return path


def full_width_ids(folder: Path) -> Path:
    """Item A1 in half- and full-width forms, respondent ids 1 / １ (lines 2-5); the same
    respondent answering A1 twice under two spellings is a duplicate (lines 2 and 4)."""
    path = folder / "full_width_ids.csv"
    path.write_text(HEADER + "A1,1,满意\nＡ１,2,不满意\nＡ１,１,满意\nB1,1,满意\n", encoding="utf-8")
    return path


CASES = [
    Case(4, "item or respondent ids differing only by invisible characters", zero_width_ids,
         "merged into one id (first spelling kept); the load report's notes list the merge"),
    Case(5, "ids in full-width letters and digits", full_width_ids,
         "NFKC-equal ids merged; the same respondent's two answers become a duplicate "
         "(error naming the lines, or counted with duplicates='keep_first')"),
]
