"""DuckDB at scale (issue 25): each connection's memory limit and spill folder, the repeat
check with bounded memory (hashes spread over files beyond a threshold, set small here
through the parameter), folders of Parquet files, and the progress bar only on a terminal.
No timing: the benchmarks (benchmarks/bench_report.py, bench_scale.py) measure that."""

import io
import os

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import survey_analysis as sa
from survey_analysis.load import duck, rules
from survey_analysis.load.report import ResponseFileError
from survey_analysis.words import SurveyError

duckdb = pytest.importorskip("duckdb")


def _setting(connection, name):
    return connection.sql(f"SELECT current_setting('{name}')").fetchall()[0][0]


def _bytes(size: str) -> float:
    number, unit = size.split()
    return float(number) * {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}[unit]


def test_connection_memory_limit_is_set_below_the_machines_memory(monkeypatch):
    monkeypatch.delenv("SURVEY_ANALYSIS_DUCKDB_MEMORY", raising=False)
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    with duck._connect() as connection:
        limit = _bytes(_setting(connection, "memory_limit"))
    assert limit <= min(total * duck.MEMORY_SHARE, duck.MEMORY_CAP) < total


def test_memory_limit_can_be_set_by_hand_and_a_wrong_one_is_named(monkeypatch):
    monkeypatch.setenv("SURVEY_ANALYSIS_DUCKDB_MEMORY", "300MB")
    with duck._connect() as connection:
        assert 280 * 2**20 < _bytes(_setting(connection, "memory_limit")) <= 300 * 10**6
    monkeypatch.setenv("SURVEY_ANALYSIS_DUCKDB_MEMORY", "lots")
    with pytest.raises(SurveyError, match="SURVEY_ANALYSIS_DUCKDB_MEMORY='lots'") as caught:
        duck._connect()
    assert caught.value.code == "load.duckdb.memory_setting"


def test_spill_folder_is_the_connections_own_under_the_temp_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("SURVEY_ANALYSIS_TEMP", raising=False)
    import tempfile

    with duck._connect() as first, duck._connect() as second:
        folders = {_setting(c, "temp_directory") for c in (first, second)}
    assert len(folders) == 2
    assert all(os.path.dirname(f) == tempfile.gettempdir() for f in folders)
    monkeypatch.setenv("SURVEY_ANALYSIS_TEMP", str(tmp_path))
    with duck._connect() as connection:
        assert os.path.dirname(_setting(connection, "temp_directory")) == str(tmp_path)


class _Stream(io.StringIO):
    def __init__(self, terminal):
        super().__init__()
        self.terminal = terminal

    def isatty(self):
        return self.terminal


@pytest.mark.parametrize("terminal", [False, True])
def test_progress_bar_only_on_a_terminal(monkeypatch, terminal):
    monkeypatch.setattr("sys.stderr", _Stream(terminal))
    with duck._connect() as connection:
        assert _setting(connection, "enable_progress_bar") is terminal
        if terminal:
            assert _setting(connection, "progress_bar_time") == duck.PROGRESS_AFTER_MS


def _batches(hashes, size=7):
    return (hashes[start:start + size] for start in range(0, len(hashes), size))


@pytest.mark.parametrize("limit", [1, 5, 64, 10_000])
def test_spread_hashes_find_a_repeat_exactly_when_sorting_does(limit, tmp_path, monkeypatch):
    monkeypatch.setenv("SURVEY_ANALYSIS_TEMP", str(tmp_path))
    generator = np.random.default_rng(limit)
    unique = np.unique(generator.integers(0, 2**64, size=3000, dtype=np.uint64))
    generator.shuffle(unique)
    assert not duck._hashes_repeat(_batches(unique), len(unique), limit)
    for twice in (unique[0], unique[-1], unique[len(unique) // 2]):
        hashes = np.append(unique, twice)
        generator.shuffle(hashes)
        assert duck._hashes_repeat(_batches(hashes), len(hashes), limit)
    # Hashes alike in their leading bits (one file each pass) and one hash many times over.
    close = (np.arange(500, dtype=np.uint64) * np.uint64(3)) | np.uint64(0xFFFF << 48)
    assert not duck._hashes_repeat(_batches(close), len(close), limit)
    assert duck._hashes_repeat(_batches(np.append(close, close[7])), len(close) + 1, limit)
    assert duck._hashes_repeat(_batches(np.full(300, 42, dtype=np.uint64)), 300, limit)
    assert not os.listdir(tmp_path)  # the spread files are gone


def _long_file(path, repeated=()):
    items = [f"Q{i % 7}" for i in range(70)]
    respondents = [f"R{i // 7}" for i in range(70)]
    ratings = ["满意", "不满意", "基本满意", "不了解", "满意"] * 14
    for item, respondent in repeated:
        items.append(item)
        respondents.append(respondent)
        ratings.append("满意")
    pq.write_table(pa.table({"respondent_id": respondents, "item_id": items, "rating": ratings}), path)
    return path


def _count(path, sorted_max, duplicates="error"):
    book = rules.RuleBook.of(duplicates=duplicates, scale="auto", labels=None)
    return duck.duckdb_level_counts(str(path), ["item_id"], "item_id", "rating", None, book, str(path), 0.05,
                                    "respondent_id", sorted_max)


@pytest.mark.parametrize("sorted_max", [1, 3, 16])
def test_repeat_check_beyond_the_threshold_names_the_repeated_pairs(tmp_path, sorted_max, monkeypatch):
    monkeypatch.setenv("SURVEY_ANALYSIS_TEMP", str(tmp_path / "spill"))
    (tmp_path / "spill").mkdir()
    path = _long_file(tmp_path / "answers.parquet", repeated=[("Q3", "R4"), ("Q5", "R9")])
    with pytest.raises(ResponseFileError) as in_memory:
        _count(path, 10**8)
    with pytest.raises(ResponseFileError) as spread:
        _count(path, sorted_max)
    assert str(spread.value) == str(in_memory.value)
    assert "Q3" in str(spread.value) and "R4" in str(spread.value) and "R9" in str(spread.value)
    counts, report = _count(path, sorted_max, duplicates="keep_first")
    expected, expected_report = _count(path, 10**8, duplicates="keep_first")
    assert counts.equals(expected) and dict(report.excluded) == dict(expected_report.excluded)
    assert report.excluded["duplicate"] == 2
    assert not os.listdir(tmp_path / "spill")


def test_no_repeat_beyond_the_threshold_counts_as_in_memory(tmp_path):
    path = _long_file(tmp_path / "answers.parquet")
    counts, report = _count(path, 2)
    expected, expected_report = _count(path, 10**8)
    assert counts.equals(expected) and report.rows_kept == expected_report.rows_kept


def test_a_folder_of_parquet_files_counts_as_one_file(tmp_path):
    whole = pq.read_table(_long_file(tmp_path / "whole.parquet", repeated=[("Q1", "R99")]))
    folder = tmp_path / "parts"
    folder.mkdir()
    for part, start in enumerate(range(0, whole.num_rows, 20)):
        pq.write_table(whole.slice(start, 20), folder / f"part-{part}.parquet")
    expected = sa.item_rates(tmp_path / "whole.parquet")
    for source in (folder, str(folder / "*.parquet")):
        assert sa.item_rates(source).equals(expected)


def test_sorted_hashes_take_more_than_announced_and_leave_read_only_batches_alone():
    read_only = np.array([9, 4, 7], dtype=np.uint64)
    read_only.flags.writeable = False  # as DuckDB's Arrow batches come
    assert not duck._sorted_repeat(iter([read_only]), 3)
    assert read_only.tolist() == [9, 4, 7]
    batches = [np.array([3, 1], dtype=np.uint64), np.array([2, 3], dtype=np.uint64)]
    assert duck._sorted_repeat(iter(batches), 1) and not duck._sorted_repeat(iter(batches[:1]), 0)
