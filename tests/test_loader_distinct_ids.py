"""A long sheet whose every respondent is distinct (one id per row): the loader reads such a
column by its own path (plain bytes, the codes the rows themselves) and passes the ids that
are ASCII letters and digits by in its text tests. These tests check that nothing it reads,
merges, excludes or reports changes on that path (never timed here: speed is measured in
``benchmarks/bench_loader.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from survey_analysis import load_responses
from survey_analysis.load import coded, read
from survey_analysis.load.report import ResponseFileError

LABELS = np.array(["满意", "基本满意", "不满意"])


def _body(rows: int, start: int = 0) -> list[str]:
    """Lines ``R0000000,事项0001,满意`` ...: one respondent per row."""
    return [f"R{i:07d},事项{(i * 7) % 2000:04d},{LABELS[i % 3]}" for i in range(start, start + rows)]


def _csv(lines: list[str], header: str = "受访者,事项,满意度") -> bytes:
    return (header + "\n" + "\n".join(lines) + "\n").encode("utf-8")


def _grid_texts(grid) -> list:
    return [[str(v) for v in coded.text(grid.text[c])] for c in grid.text.columns]


def _same_as_csv_module(data: bytes):
    """The fast reader's grid is the standard library reader's (texts, lines, encoding)."""
    fast = read._read_csv_fast(data, "f.csv", None)
    assert fast is not None
    text, used, notes = read.decode_bytes(data, "f.csv", None)
    reference = read._read_csv_records(text, "f.csv", used, notes)
    assert _grid_texts(fast) == _grid_texts(reference)
    assert fast.lines.tolist() == np.asarray(reference.lines).tolist()
    assert (fast.encoding, list(fast.notes)) == (reference.encoding, list(reference.notes))
    return fast


def test_a_full_width_id_among_plain_ids_is_still_merged_and_reported(tmp_path):
    # The look-alike test runs on the ids that are not ASCII letters and digits only: the
    # one full-width spelling among 100,000 plain ids must still meet its plain twin.
    lines = _body(100_000)
    lines[70_000] = "R000000５,事项1999,满意"  # R0000005 (line 7) in a full-width digit
    path = tmp_path / "distinct.csv"
    path.write_bytes(_csv(lines))
    tidy = load_responses(path)
    report = tidy.attrs["load_report"]
    notes = " ".join(report.notes)
    assert "respondent id(s) written in several ways were merged" in notes
    assert "'R0000005' = 'R000000５' -> 'R0000005'" in notes
    assert (tidy["respondent_id"] == "R0000005").sum() == 2
    assert report.rows_read == report.rows_kept == 100_000
    assert tidy["source_line"].tolist() == list(range(2, 100_002))


def test_an_invisible_character_is_cleaned_among_plain_ids(tmp_path):
    # A zero-width space in one id of a big column: the id is cleaned and the report says so.
    lines = _body(5_000)
    lines[4_000] = "R00\u200b04000,事项0001,满意"
    path = tmp_path / "invisible.csv"
    path.write_bytes(_csv(lines))
    tidy = load_responses(path)
    assert tidy["respondent_id"].iloc[4_000] == "R0004000"
    assert any("invisible characters or outer spaces removed from respondent ids" in n
               for n in tidy.attrs["load_report"].notes)


def test_a_repeated_respondent_among_distinct_ones_is_found(tmp_path):
    # Repeats are looked for only when a respondent occurs twice: one repeated pair among
    # 50,000 distinct respondents is still the error, and keep_first drops its later line.
    lines = _body(50_000)
    lines[30_000] = lines[10]  # respondent R0000010 answers 事项0070 again (line 30,002)
    path = tmp_path / "repeat.csv"
    path.write_bytes(_csv(lines))
    with pytest.raises(ResponseFileError, match="30002"):
        load_responses(path)
    report = load_responses(path, duplicates="keep_first").attrs["load_report"]
    assert report.exclusions["source_line"].tolist() == [30_002]
    assert report.exclusions["reason"].tolist() == ["duplicate"]


def test_totals_and_footer_rows_under_distinct_ids(tmp_path):
    # Ids of letters and digits pass by the totals and footer tests; a totals label in
    # letters alone (Total) and a footer line must still be read as such.
    lines = _body(3_000) + ["Total,,3000", "制表人：张三,,"]
    path = tmp_path / "totals.csv"
    path.write_bytes(_csv(lines))
    report = load_responses(path).attrs["load_report"]
    assert report.exclusions[["source_line", "reason"]].values.tolist() == [[3_002, "summary_row"],
                                                                            [3_003, "footer_row"]]


def test_the_distinct_column_path_reads_what_the_csv_module_reads(monkeypatch):
    # Distinct in the sample: read as plain bytes (the path is taken: counted here); the
    # grid must be the csv module's.
    calls = []
    distinct_codes = read._distinct_codes
    monkeypatch.setattr(read, "_distinct_codes", lambda *a: calls.append(1) or distinct_codes(*a))
    grid = _same_as_csv_module(_csv(_body(20_000)))
    assert grid.text.shape == (20_001, 3) and calls
    # Distinct in the sample, repeated further down: encoded as the reader would have.
    _same_as_csv_module(_csv(_body(20_000) + _body(300)))
    # Title lines above the header (texts not in the column) and a late non-UTF-8 byte.
    _same_as_csv_module("满意度调查\n\n".encode("utf-8") + _csv(_body(5_000)))
    gb = (("受访者,事项,满意度\n" + "\n".join(_body(5_000)) + "\n张三,事项0001,满意\n").encode("gb18030"))
    assert _same_as_csv_module(gb).encoding == "gb18030"


def test_loading_a_distinct_column_equals_loading_it_as_a_frame(tmp_path):
    # The same sheet given as a DataFrame goes through no CSV reader: the tidy result and
    # the ledger must be the same.
    lines = _body(8_000) + ["合计,,8000"]
    lines[5] = "R0000005,事项0001,"  # a missing rating
    path = tmp_path / "same.csv"
    path.write_bytes(_csv(lines))
    from_file = load_responses(path)
    frame = pd.DataFrame([line.split(",") for line in lines], columns=["受访者", "事项", "满意度"])
    from_frame = load_responses(frame)
    columns = ["item_id", "respondent_id", "rating", "rank"]
    pd.testing.assert_frame_equal(from_file[columns], from_frame[columns])
    assert from_file["source_line"].tolist() == [n + 1 for n in from_frame["source_line"]]
    ledger = from_file.attrs["load_report"].exclusions
    assert ledger[["source_line", "reason"]].values.tolist() == [[7, "missing_rating"], [8_002, "summary_row"]]
