"""Hostile inputs of issue 14 for the counting engines, the estimators and the claim checks.

Each ``build(folder)`` writes a small deterministic file and returns its path; the
outcomes are asserted in ``tests/test_hostile_estimates.py``. Files whose name starts
with ``tidy_`` hold tidy responses (the columns ``load_responses`` returns) and are
read with pandas and given to the estimators directly, as a frame.
"""

from pathlib import Path

import pandas as pd

from hostile.common import Case

HEADER = "item_id,respondent_id,rating\n"


def _write(folder: Path, name: str, text: str) -> Path:
    path = Path(folder) / name
    path.write_bytes(text.encode("utf-8"))
    return path


def duplicate_answer_csv(folder: Path) -> Path:
    """Respondent 2 answers item A twice (lines 3 and 5: 满意 first, then 不满意)."""
    return _write(folder, "duplicate.csv", HEADER + "A,1,满意\nA,2,满意\nB,1,不满意\nA,2,不满意\nB,2,基本满意\n")


def duplicate_answer_parquet(folder: Path) -> Path:
    """The same rows as :func:`duplicate_answer_csv`, as Parquet (all columns text)."""
    source = duplicate_answer_csv(folder)
    path = Path(folder) / "duplicate.parquet"
    pd.read_csv(source, dtype=str, keep_default_na=False).to_parquet(path, index=False)
    return path


def totals_rows_csv(folder: Path) -> Path:
    """Six data rows (lines 2-7): 4 answers, a 合计 row in the item cell (its rating the
    count 4), a "Total:" row in the respondent cell and one whose first cell (序号) is
    平均 with every other cell empty."""
    return _write(folder, "totals.csv",
                  "序号,item_id,respondent_id,rating\n"
                  "1,A,1,满意\n2,A,2,不满意\n3,B,1,满意\n4,B,2,基本满意\n"
                  ",合计,,4\n,B,Total:,满意\n平均,,,\n")


def missing_rating_column_csv(folder: Path) -> Path:
    """A long file whose answer column is headed 评分 instead of ``rating``."""
    return _write(folder, "no_rating.csv", "item_id,respondent_id,评分\nA,1,满意\nA,2,不满意\n")


def tidy_nan_weight(folder: Path) -> Path:
    """Tidy responses; the weight on line 3 is empty (NaN once read)."""
    return _write(folder, "tidy_nan_weight.csv",
                  "item_id,respondent_id,rating,scale,rank,weight,source_line\n"
                  "A,1,满意,cn3,1,1.0,2\nA,2,不满意,cn3,3,,3\nB,1,满意,cn3,1,2.0,4\nB,2,满意,cn3,1,1.0,5\n")


def tidy_huge_weights(folder: Path) -> Path:
    """Tidy responses weighted 1e200 to 4e200: the squares overflow a float."""
    return _write(folder, "tidy_huge_weights.csv",
                  "item_id,respondent_id,rating,scale,rank,weight,source_line\n"
                  "A,1,满意,cn3,1,1e200,2\nA,2,不满意,cn3,3,3e200,3\n"
                  "A,3,满意,cn3,1,2e200,4\nB,1,满意,cn3,1,2e200,5\nB,2,不满意,cn3,3,1e200,6\n"
                  "B,3,满意,cn3,1,4e200,7\n")


def tidy_negative_weight(folder: Path) -> Path:
    """Tidy responses; the weight on line 4 is -2."""
    return _write(folder, "tidy_negative_weight.csv",
                  "item_id,respondent_id,rating,scale,rank,weight,source_line\n"
                  "A,1,满意,cn3,1,1.0,2\nA,2,不满意,cn3,3,1.0,3\nB,1,满意,cn3,1,-2,4\nB,2,满意,cn3,1,1.0,5\n")


def negative_weight_long_csv(folder: Path) -> Path:
    """A long file with a weight column; line 3 has the weight -1."""
    return _write(folder, "negative_weight.csv", "item_id,respondent_id,rating,weight\n"
                  "A,1,满意,1\nA,2,不满意,-1\nB,1,满意,1\n")


def negative_counts_csv(folder: Path) -> Path:
    """A table of counts per item whose second row (line 3) has n = -5."""
    return _write(folder, "negative_counts.csv", "item_id,n,satisfied\nA,10,9\nB,-5,1\n")


def all_excluded_csv(folder: Path) -> Path:
    """Four rows (lines 2-5), none a valid answer: two empty ratings, two 不了解."""
    return _write(folder, "all_excluded.csv", HEADER + "A,1,\nA,2,不了解\nB,1,\nB,2,不了解\n")


CASES = [
    Case(6, "DuckDB counted a duplicate answer (CSV)", duplicate_answer_csv,
         "item_rates / overall_rate: ResponseFileError naming the pair (item 'A', respondent '2': "
         "2 rows) and duplicates='keep_first' (the CLI adds --duplicates keep_first); analyze / the CLI: the "
         "loader's error at line 5 (exit 1); with keep_first every engine keeps 4 of 5 rows, 1 "
         "excluded as duplicate, as load_responses"),
    Case(6, "DuckDB counted a duplicate answer (Parquet)", duplicate_answer_parquet,
         "the same error from DuckDB and Dask; with keep_first the loader's ledger (5 read, 4 kept, "
         "duplicate 1) and counts"),
    Case(7, "DuckDB counted a 合计 row as an item", totals_rows_csv,
         "DuckDB, Dask and pandas engines exclude the 3 totals rows as summary_row (item, "
         "respondent and first cell, by the loader's is_summary): 7 read, 4 kept, as load_responses"),
    Case(33, "BinderException instead of 'column not found'", missing_rating_column_csv,
         "ResponseFileError naming 'rating' (given as rating=) and listing the columns found "
         "['item_id', 'respondent_id', '评分']; item='nope' likewise names 'nope'"),
    Case(9, "NaN weight gave a rate of 1.0", tidy_nan_weight,
         "ValueError: weight column 'weight' ... 1 missing or non-numeric (lines 3 ...)"),
    Case(9, "weights of 1e200 gave NaN", tidy_huge_weights,
         "weights divided by the largest (Design.weight_unit 4e200) before the sums of squares: "
         "finite rates and intervals equal to those of the weights 1-4"),
    Case(34, "negative weight reported as 'successes must not exceed trials' (frame)",
         tidy_negative_weight, "ValueError: 1 negative (lines 4; first -2) in weight column 'weight'"),
    Case(34, "negative weight in a long file counted by an engine", negative_weight_long_csv,
         "ResponseFileError naming column 'weight': 1 row(s) have an empty, non-numeric or "
         "negative weight"),
    Case(34, "negative count in a table of counts", negative_counts_csv,
         "ResponseFileError at line 3, column 'n': n must be a whole number >= 0"),
    Case(35, "KeyError from check_claims / items_at_100 on empty data", all_excluded_csv,
         "check_claims: ValueError 'nothing to check' with the ledger (read 4, kept 0); "
         "items_at_100(item_rates(...)): an empty table with the usual columns"),
]
