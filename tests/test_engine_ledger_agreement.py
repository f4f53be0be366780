"""The DuckDB count of a file gives the loader's ledger and counts where its SQL takes
shortcuts (issue 13): keys grouped raw and trimmed afterwards, respondent ids with digits
left out of the totals check, the repeat check on the raw item when no item has blanks
around it. Each file is built with pyarrow; the reference is ``sa.load_responses`` of the
same file (the loader's rules, row by row)."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import survey_analysis as sa
from survey_analysis.load.engines import source_level_counts
from survey_analysis.load.report import ResponseFileError

pytest.importorskip("duckdb")

# name -> columns (None is a missing value in Parquet), expected outcome without options:
# the ledger (read, kept, excluded) or the error's text.
CASES = {
    "respondent_with_blanks_repeats": (
        {"item_id": ["A", "A", "B"], "respondent_id": ["r1", " r1 ", "r1"],
         "rating": ["满意", "不满意", "满意"]}, "duplicate respondent x item"),
    "item_with_blanks_repeats": (
        {"item_id": ["A", " A", "B"], "respondent_id": ["1", "1", "1"],
         "rating": ["满意", "不满意", "满意"]}, "duplicate respondent x item"),
    "missing_respondent": (
        {"item_id": ["A", "B"], "respondent_id": ["1", None], "rating": ["满意", "满意"]},
        "empty respondent id on 1 row"),
    "blank_respondent": (
        {"item_id": ["A", "B"], "respondent_id": ["1", "  "], "rating": ["满意", "满意"]},
        "empty respondent id on 1 row"),
    "totals_label_as_respondent": (
        {"item_id": ["A", "A", "A"], "respondent_id": ["张**", "1", "合计"],
         "rating": ["满意", "不满意", "满意"]}, (3, 2, {"summary_row": 1})),
    "integer_columns": (
        {"item_id": [7, 7, 8, 8], "respondent_id": [1, 2, 1, 2],
         "rating": ["满意", "不满意", "基本满意", "满意"]}, (4, 4, {})),
    "integer_columns_repeat": (
        {"item_id": [7, 7, 8], "respondent_id": [1, 1, 1], "rating": ["满意", "不满意", "满意"]},
        "duplicate respondent x item"),
    "blank_rows_and_missing_ratings": (
        {"item_id": ["A", "", None, "B", "B"], "respondent_id": ["1", "", None, "2", "3"],
         "rating": ["满意", "", None, " ", "满意"]},
        (5, 2, {"blank_row": 2, "missing_rating": 1})),
    # Look-alike respondent ids (full-width letters, a zero-width space) are one respondent
    # for the loader; DuckDB's repeat check merges them too.
    "look_alike_respondents_repeat": (
        {"item_id": ["A", "A", "A", "B"], "respondent_id": ["SX001", "ＳＸ001", "SX002", "SX\u200b001"],
         "rating": ["满意", "不满意", "满意", "满意"]}, "duplicate respondent x item"),
    "look_alike_respondents_apart": (
        {"item_id": ["A", "B", "A"], "respondent_id": ["SX001", "ＳＸ001", "张  三"],
         "rating": ["满意", "不满意", "满意"]}, (3, 3, {})),
    # Look-alike item ids answered by one respondent are a repeat for the loader, and so for
    # DuckDB (which keyed only respondents: it counted both answers); ids that differ by a
    # tab and a space against one space too.
    "look_alike_items_repeat": (
        {"item_id": ["A1", "Ａ1", "A1"], "respondent_id": ["R1", "R1", "R2"],
         "rating": ["满意", "不满意", "满意"]}, "duplicate respondent x item"),
    "tab_and_space_respondents_repeat": (
        {"item_id": ["B", "B", "B"], "respondent_id": ["R\t 1", "R 1", "R2"],
         "rating": ["满意", "不满意", "满意"]}, "duplicate respondent x item"),
    # A footer line whose first non-empty cell is the item cell (the loader reads the first
    # cell wherever it is; DuckDB looked only at columns it did not read, and counted it).
    "footer_in_the_item_cell": (
        {"item_id": ["A", "B", "制表人：张三"], "respondent_id": ["1", "1", ""],
         "rating": ["满意", "不满意", ""]}, (3, 2, {"footer_row": 1})),
    "footer_in_the_item_cell_with_a_rating": (
        {"item_id": ["A", "B", "审核人：李四 2024-05-01"], "respondent_id": ["1", "1", "2"],
         "rating": ["满意", "不满意", "满意"]}, (3, 2, {"footer_row": 1})),
    "totals_in_a_first_column": (
        {"note": ["", "合计", ""], "item_id": ["A", "", "B"], "respondent_id": ["1", "", "1"],
         "rating": ["满意", "满意", "不满意"]}, (3, 2, {"summary_row": 1})),
}


def _write(tmp_path, name):
    columns, _ = CASES[name]
    path = tmp_path / f"{name}.parquet"
    pq.write_table(pa.table(columns), path)
    return path


@pytest.mark.parametrize("name", sorted(CASES))
def test_duckdb_count_gives_the_loaders_outcome(tmp_path, name):
    path = _write(tmp_path, name)
    expected = CASES[name][1]
    if isinstance(expected, str):
        for call in (lambda: sa.load_responses(path), lambda: source_level_counts(path, engine="duckdb")):
            with pytest.raises(ResponseFileError, match=expected):
                call()
        return
    tidy = sa.load_responses(path)
    report = tidy.attrs["load_report"]
    assert (report.rows_read, report.rows_kept, report.excluded_by_reason().to_dict()) == expected
    counts, engine_report = source_level_counts(path, engine="duckdb")
    assert (engine_report.rows_read, engine_report.rows_kept, dict(engine_report.excluded)) == expected
    # The same answers per item as the loader's tidy rows.
    by_item = tidy.groupby("item_id", observed=True).size().to_dict()
    assert counts.groupby("item_id", observed=True)["n"].sum().to_dict() == \
        {str(k): v for k, v in by_item.items()}


@pytest.mark.parametrize("name", ["respondent_with_blanks_repeats", "item_with_blanks_repeats",
                                  "integer_columns_repeat", "look_alike_items_repeat",
                                  "tab_and_space_respondents_repeat"])
def test_keep_first_counts_the_repeat_as_the_loader(tmp_path, name):
    path = _write(tmp_path, name)
    report = sa.load_responses(path, duplicates="keep_first").attrs["load_report"]
    _, engine_report = source_level_counts(path, engine="duckdb", duplicates="keep_first")
    assert (engine_report.rows_read, engine_report.rows_kept, dict(engine_report.excluded)) == \
        (report.rows_read, report.rows_kept, report.excluded_by_reason().to_dict()) == \
        (3, 2, {"duplicate": 1})


@pytest.mark.parametrize("huge", [False, True])
def test_keep_first_merges_look_alike_respondents_as_the_loader(tmp_path, huge, monkeypatch):
    from survey_analysis.load import engines

    if huge:  # the out-of-core branch of the repeat check
        monkeypatch.setattr(engines, "_SORTED_HASHES_MAX", 0)
    path = _write(tmp_path, "look_alike_respondents_repeat")
    report = sa.load_responses(path, duplicates="keep_first").attrs["load_report"]
    counts, engine_report = source_level_counts(path, engine="duckdb", duplicates="keep_first")
    # SX001 and ＳＸ001 both answered A: the second (file order) is the repeat.
    assert (engine_report.rows_read, engine_report.rows_kept, dict(engine_report.excluded)) == \
        (report.rows_read, report.rows_kept, report.excluded_by_reason().to_dict()) == \
        (4, 3, {"duplicate": 1})
    satisfied = counts.loc[counts["rank"] == 1].groupby("item_id", observed=True)["n"].sum().to_dict()
    assert satisfied == {"A": 2, "B": 1}  # 满意 of SX001 kept, 不满意 of ＳＸ001 dropped


@pytest.mark.parametrize("huge", [False, True])
@pytest.mark.parametrize("look_alike", ["ＳＸ0001", "SX\u200b0001", "SX  0001", None])
def test_a_look_alike_respondent_late_in_the_scan_is_merged_as_the_loader(tmp_path, monkeypatch, huge, look_alike):
    # The repeat check tests whether a respondent id may change in its scan of the hashes and
    # stops at the first batch holding one; with batches of 4 rows, the look-alike of SX0001
    # comes in the 8th, after seven batches of plain ids were hashed. Its answer to A repeats
    # SX0001's (the first row), for the loader and for DuckDB; without it, no repeat.
    from survey_analysis.load import duck, engines

    monkeypatch.setattr(duck, "_HASH_BATCH", 4)
    if huge:  # the out-of-core branch of the repeat check
        monkeypatch.setattr(engines, "_SORTED_HASHES_MAX", 0)
    respondents = [f"SX{i:04d}" for i in range(1, 30)] + ([look_alike] if look_alike else ["SX0030"])
    path = tmp_path / "late.parquet"
    pq.write_table(pa.table({"item_id": ["A"] * 30, "respondent_id": respondents,
                             "rating": ["满意"] * 29 + ["不满意"]}), path)
    report = sa.load_responses(path, duplicates="keep_first").attrs["load_report"]
    counts, engine_report = source_level_counts(path, engine="duckdb", duplicates="keep_first")
    expected = (30, 30, {}) if look_alike is None or "  " in look_alike else (30, 29, {"duplicate": 1})
    assert (engine_report.rows_read, engine_report.rows_kept, dict(engine_report.excluded)) == \
        (report.rows_read, report.rows_kept, report.excluded_by_reason().to_dict()) == expected
    assert counts.groupby("rank")["n"].sum().to_dict() == ({1: 29, 3: 1} if expected[1] == 30 else {1: 29})


def test_weight_column_blank_rows_and_sums(tmp_path):
    # A row with nothing in it, weight included, is blank; a weighted row without a rating
    # is a missing rating (the loader's order of reasons).
    path = tmp_path / "weighted.parquet"
    pq.write_table(pa.table({"item_id": ["A", "A", "", "B"], "respondent_id": ["1", "2", "", "3"],
                             "rating": ["满意", "不满意", "", ""], "w": [2.0, 0.5, None, 1.0]}), path)
    report = sa.load_responses(path, columns={"weight": "w"}).attrs["load_report"]
    counts, engine_report = source_level_counts(path, engine="duckdb", weight="w")
    assert (engine_report.rows_read, engine_report.rows_kept, dict(engine_report.excluded)) == \
        (report.rows_read, report.rows_kept, report.excluded_by_reason().to_dict()) == \
        (4, 2, {"blank_row": 1, "missing_rating": 1})
    assert counts["w"].sum() == 2.5  # 2.0 + 0.5, the kept rows' weights


@pytest.mark.parametrize("name", ["respondent_with_blanks_repeats", "integer_columns",
                                  "totals_label_as_respondent", "blank_rows_and_missing_ratings",
                                  "look_alike_items_repeat"])
def test_repeat_check_of_a_huge_file_gives_the_same_outcome(tmp_path, name, monkeypatch):
    # Beyond _SORTED_HASHES_MAX kept rows DuckDB counts the distinct hashes instead of NumPy
    # sorting them: the limit set to 0 sends these small files that way.
    from survey_analysis.load import engines

    monkeypatch.setattr(engines, "_SORTED_HASHES_MAX", 0)
    test_duckdb_count_gives_the_loaders_outcome(tmp_path, name)


def test_unclosed_quote_in_a_long_csv_is_named_as_the_loader_names_it(tmp_path):
    # DuckDB reads a CSV with a quote left open without quoting, so the label '"基本满意'
    # would surface as an unknown label; the count asks the loader's reader instead, which
    # names the line and field where the quote opens.
    path = tmp_path / "answers.csv"
    path.write_text('item_id,respondent_id,rating\nA,1,满意\nA,2,"基本满意\nB,3,满意\nB,4,不满意\n',
                    encoding="utf-8")
    for call in (lambda: sa.load_responses(path), lambda: source_level_counts(path, engine="duckdb"),
                 lambda: sa.item_rates(path)):
        with pytest.raises(ResponseFileError, match="line 3: a quote"):
            call()
    # Quotes that close are read by DuckDB as the loader reads them.
    fine = tmp_path / "fine.csv"
    fine.write_text('item_id,respondent_id,rating,comment\nA,1,满意,"hi, there"\n'
                    'A,2,满意,"say ""x"""\nB,3,不满意,"two\nlines"\n', encoding="utf-8")
    counts, report = source_level_counts(fine, engine="duckdb")
    assert (report.rows_read, report.rows_kept) == (3, 3)


def test_errors_about_a_file_with_chinese_headers_are_said_in_chinese_too(tmp_path):
    # The loader says an error about a sheet with Chinese headers in both languages; so does
    # the DuckDB count (it looked at its own internal column names and said it in English only).
    path = tmp_path / "zh.parquet"
    pq.write_table(pa.table({"事项": ["A", "A", "B"], "受访者": ["1", "2", "3"],
                             "评价": ["满意", "好极了", "满意"]}), path)
    for call in (lambda: sa.load_responses(path),
                 lambda: source_level_counts(path, keys=("事项",), engine="duckdb", item="事项",
                                             rating="评价", respondent="受访者")):
        with pytest.raises(ResponseFileError, match="no preset scale covers the answers '好极了'") as info:
            call()
        assert info.value.languages == ("en", "zh")
        assert "没有预设量表能涵盖回答 '好极了'" in str(info.value)
