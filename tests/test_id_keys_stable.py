"""Ids of ASCII letters and digits and CJK unified ideographs alone (``STABLE_ID_PATTERN``)
are never changed by ``id_keys``, so ``ids_may_change`` leaves them out and the engines need
not clean a column of names (张三) text by text. The claim rests on Unicode facts checked here
over the whole range, with the Unicode version Python carries; the tests fail if a future
version breaks one of them.
"""

from __future__ import annotations

import sys
import unicodedata

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

import survey_analysis as sa
from survey_analysis.scales.text import STABLE_ID_PATTERN, id_keys, ids_may_change

STABLE = [*range(0x30, 0x3A), *range(0x41, 0x5B), *range(0x61, 0x7B), *range(0x4E00, 0xA000)]


def test_every_stable_character_is_its_own_form_and_no_two_compose():
    allowed = set(STABLE)
    changed = [cp for cp in STABLE if unicodedata.normalize("NFKC", chr(cp)) != chr(cp)
               or unicodedata.combining(chr(cp)) or chr(cp).isspace()]
    assert changed == []
    # A canonical composition of two characters of the set would change a text made of them.
    composites = []
    for cp in range(0x110000):
        decomposition = unicodedata.decomposition(chr(cp))
        if decomposition and not decomposition.startswith("<"):
            parts = [int(part, 16) for part in decomposition.split()]
            if len(parts) == 2 and all(part in allowed for part in parts):
                composites.append(cp)
    assert composites == []


def test_the_pattern_is_the_set():
    # RE2's class (pyarrow) against the code points above, at both ends of each range and
    # just outside them.
    import pyarrow.compute as pc

    edges = [0x2F, 0x30, 0x39, 0x3A, 0x40, 0x41, 0x5A, 0x5B, 0x60, 0x61, 0x7A, 0x7B, 0x4DFF, 0x4E00,
             0x9FFF, 0xA000, 0xF900, 0xFF21]
    texts = pa.array([chr(cp) for cp in edges])
    matched = pc.match_substring_regex(texts, f"^{STABLE_ID_PATTERN}$").to_pylist()
    assert matched == [cp in set(STABLE) for cp in edges]


@given(st.text(alphabet=st.sampled_from([chr(cp) for cp in (*range(0x30, 0x3A), *range(0x41, 0x5B),
                                                                *range(0x61, 0x7B), 0x4E00, 0x5F20, 0x4E09,
                                                                0x674E, 0x56DB, 0x9FFF)]),
               min_size=1, max_size=8))
def test_stable_ids_are_their_own_display_and_key(text):
    texts = np.array([text], dtype=object)
    assert not ids_may_change(texts)[0]
    display, key = id_keys(texts, np.ones(1, dtype=bool))  # cleaned as if it could change
    assert (display[0], key[0]) == (text, text)


@pytest.mark.parametrize("text, may", [("张三", False), ("张三1", False), ("王某", False),
                                        ("张三\u200b", True), ("张\u3000三", True), ("张  三", True),
                                        ("张 三", True), ("Ａ1", True), ("張三", False), ("\uf900", True)])
def test_ids_may_change_of_chinese_ids(text, may, monkeypatch):
    assert bool(ids_may_change(np.array([text], dtype=object))[0]) is may
    # The same test without pyarrow (its fallback, one regex per text) reads the same.
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # "import pyarrow" raises ImportError
    assert bool(ids_may_change(np.array([text], dtype=object))[0]) is may


@pytest.mark.parametrize("late", [False, True])
def test_chinese_look_alike_respondents_merge_in_every_engine(tmp_path, monkeypatch, late):
    # 张三 and 张三 with a zero-width space answered item A: one respondent, a repeat, for the
    # loader and for DuckDB, whose scan of the hashes meets the look-alike first or late.
    pytest.importorskip("duckdb")
    from survey_analysis.load import duck
    from survey_analysis.load.engines import source_level_counts
    from survey_analysis.load.report import ResponseFileError

    monkeypatch.setattr(duck, "_HASH_BATCH", 2)
    names = ["张三", "李四", "王五", "赵六", "孙七", "周八"]
    respondents = names + ["张三\u200b"] if late else ["张三\u200b"] + names
    path = tmp_path / "names.parquet"
    pq.write_table(pa.table({"item_id": ["A"] * 7, "respondent_id": respondents, "rating": ["满意"] * 7}), path)
    for call in (lambda: sa.load_responses(path), lambda: source_level_counts(path, engine="duckdb")):
        with pytest.raises(ResponseFileError, match="duplicate respondent x item"):
            call()
    report = sa.load_responses(path, duplicates="keep_first").attrs["load_report"]
    _, engine = source_level_counts(path, engine="duckdb", duplicates="keep_first")
    assert (engine.rows_read, engine.rows_kept, dict(engine.excluded)) == \
        (report.rows_read, report.rows_kept, report.excluded_by_reason().to_dict()) == (7, 6, {"duplicate": 1})
