"""More of the loader's fast paths against its general paths (never timed here: speed is
measured in ``benchmarks/bench_loader.py``).

A column of sorted plain ids below its header (:func:`survey_analysis.load.read._header_last`)
is coded without hashing its texts: each load is compared with the same load with that path
turned off, on files that take it and files at its edges (a repeated id far below the
sample, a totals row at the end, blank rows, a BOM, a header that sorts first, a header
whose id key is one of the ids). A column distinct on the sample lines is probed a little
further down (:func:`~survey_analysis.load.read._repeating`) and reads the same either way. The
long-line check of a file or of bytes held whole numbers the line of its error by counting
again, and names the line the check of unpacked pieces names. A header pasted again far below
is still excluded when the loader looks for it only where a header text occurs. A distinct
column over several of the reader's blocks keeps them as chunks and loads as the ``csv``
module's read does; blocks with dictionaries of their own join in first-seen order.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey_analysis import load_responses
from survey_analysis.load import bounds, coded, read
from survey_analysis.load.report import ResponseFileError

LABELS = np.array(["满意", "基本满意", "不满意", "不了解"])


def _lines(rows: int) -> list[str]:
    """``R0000000,事项0000,满意`` ...: one respondent per row, ids in increasing order."""
    return [f"R{i:07d},事项{(i * 7) % 300:04d},{LABELS[i % 4]}" for i in range(rows)]


def _csv(lines: list[str], header: str = "受访者,事项,满意度", bom: bool = False) -> bytes:
    data = (header + "\n" + "\n".join(lines) + "\n").encode("utf-8")
    return (b"\xef\xbb\xbf" if bom else b"") + data


def _outcome(path, **options):
    """Everything a load gives: the frame, its dtypes, the report, the warnings; or the error."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            tidy = load_responses(path, **options)
        except ResponseFileError as error:
            return ("error", str(error))
    report = tidy.attrs["load_report"]
    return (tidy, [str(t) for t in tidy.dtypes], str(report), repr(report.exclusions.to_dict("list")),
            tuple(report.notes), [str(w.message) for w in caught])


def _same_both_ways(path, monkeypatch, **options) -> int:
    """The load with the sorted-ids path equals the load without it; how often it was taken."""
    taken = []
    original = read._header_last

    def spy(strings):
        out = original(strings)
        taken.append(out is not None)
        return out

    monkeypatch.setattr(read, "_header_last", spy)
    fast = _outcome(path, **options)
    monkeypatch.setattr(read, "_header_last", lambda strings: None)
    general = _outcome(path, **options)
    monkeypatch.setattr(read, "_header_last", original)
    if isinstance(fast[0], str) or isinstance(general[0], str):
        assert fast == general
    else:
        pd.testing.assert_frame_equal(fast[0], general[0], check_exact=True)
        assert [type(fast[0][c].array) for c in fast[0]] == [type(general[0][c].array) for c in general[0]]
        assert fast[1:] == general[1:]
    return sum(taken)


def _grid_as_csv_module(data: bytes):
    fast = read._read_csv_fast(data, "f.csv", None)
    assert fast is not None
    text, used, notes = read.decode_bytes(data, "f.csv", None)
    reference = read._read_csv_records(text, "f.csv", used, notes)
    texts = [[str(v) for v in coded.text(fast.text[c])] for c in fast.text.columns]
    assert texts == [[str(v) for v in coded.text(reference.text[c])] for c in reference.text.columns]
    assert fast.lines.tolist() == np.asarray(reference.lines).tolist()
    return fast


def test_sorted_ids_below_a_header_take_the_path_and_load_the_same(tmp_path, monkeypatch):
    path = tmp_path / "sorted.csv"
    path.write_bytes(_csv(_lines(3_000)))
    assert _same_both_ways(path, monkeypatch) == 1
    grid = _grid_as_csv_module(path.read_bytes())
    # Every text distinct, codes never -1, the header the last category.
    cat = grid.text[0].array
    assert cat.categories.is_unique and (np.asarray(cat.codes) >= 0).all()
    assert cat.categories[-1] == "受访者" and cat.codes[0] == len(cat.categories) - 1


@pytest.mark.parametrize("edit", ["repeat_far_below", "totals_at_end", "blank_rows", "bom", "footer",
                                  "unsorted", "header_sorts_first", "empty_id"])
def test_edges_of_the_sorted_ids_path(tmp_path, monkeypatch, edit):
    lines = _lines(3_000)
    header, bom, options = "受访者,事项,满意度", False, {}
    if edit == "repeat_far_below":
        lines[2_500] = lines[1_200].replace("事项", "事项9")  # R0001200 again, far below the sample
        options = {"duplicates": "keep_first"}
    elif edit == "totals_at_end":
        lines.append("合计,,3000")
    elif edit == "blank_rows":
        lines[1_500:1_500] = [",,", ",,"]
    elif edit == "bom":
        bom = True
    elif edit == "footer":
        lines.append("制表人：张三,,")
    elif edit == "unsorted":
        lines[100], lines[2_000] = lines[2_000], lines[100]
    elif edit == "header_sorts_first":
        header = "ID,事项,满意度"
        lines = [line.replace("R", "r", 1) for line in lines]  # "ID" < "r...": no reordering needed
        options = {"columns": {"respondent_id": "ID"}}
    elif edit == "empty_id":
        lines[2_999] = ",事项0001,满意"
    path = tmp_path / f"{edit}.csv"
    path.write_bytes(_csv(lines, header, bom))
    _same_both_ways(path, monkeypatch, **options)
    _grid_as_csv_module(path.read_bytes())


def test_a_header_whose_id_key_is_one_of_the_ids_keeps_the_general_order(tmp_path, monkeypatch):
    # The header Ｒ0000005 (full-width) sorts after every plain id and has the key of the id
    # R0000005: the order of the texts decides which spelling the merged id keeps, so the
    # path declines and the load is the general one (the header's spelling first).
    path = tmp_path / "collide.csv"
    path.write_bytes(_csv(_lines(3_000), header="Ｒ0000005,事项,满意度"))
    assert _same_both_ways(path, monkeypatch, columns={"respondent_id": "Ｒ0000005"}) == 0
    tidy = load_responses(path, columns={"respondent_id": "Ｒ0000005"})
    assert "'Ｒ0000005' = 'R0000005'" in " ".join(tidy.attrs["load_report"].notes)


def test_sorted_ids_under_a_title_line(tmp_path, monkeypatch):
    # A title line of another width is read by the csv module and put before the column.
    path = tmp_path / "title.csv"
    path.write_bytes("某街道满意度调查\n".encode() + _csv(_lines(3_000)))
    assert _same_both_ways(path, monkeypatch) == 1
    _grid_as_csv_module(path.read_bytes())


# ---------------------------------------------------------------------------
# The long-line check numbers the line of its error only when there is one
# ---------------------------------------------------------------------------

def _long_line_error(check):
    """The line and length a long-line error names, or None when the text passes."""
    try:
        check()
    except ResponseFileError as error:
        assert error.code == "load.bounds.long_line"
        return error.line, error.params["length"]
    return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 40), st.sampled_from([b"\n", b"\r\n", b"\r"])), max_size=30),
       st.integers(1, 13), st.integers(8, 24))
def test_long_line_errors_counted_lazily_equal_counted_as_fed(tmp_path_factory, lines, piece, limit):
    # Lazily (a file, or bytes held whole) and as fed in pieces (unpacked text): one answer.
    data = b"".join(b"x" * length + end for length, end in lines)
    path = tmp_path_factory.mktemp("lines") / "f.csv"
    path.write_bytes(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bounds, "MAX_LINE_BYTES", limit)

        def fed():
            check = bounds.LineCheck("f.csv")
            for start in range(0, len(data), piece):
                check.feed(data[start:start + piece])
            check.close()
        expected = _long_line_error(fed)
        assert _long_line_error(lambda: bounds.check_lines(data, "f.csv")) == expected
        assert _long_line_error(lambda: bounds.check_file_lines(path, "f.csv")) == expected
        if expected is not None:  # the line is the one a reader counts (\r\n, \r and \n each end one)
            text = data.decode("ascii")
            starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
            assert any(len(re.split(r"\r\n|\r|\n", text[s:])[0]) > limit for s in [starts[expected[0] - 1]])


def test_file_breaks_across_its_blocks(tmp_path, monkeypatch):
    # A \r\n split between two blocks of the recount is one line break.
    data = b"a\r" + b"\n" * 3 + b"b\r\r\n"
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    monkeypatch.setattr(bounds, "_RECOUNT_BLOCK", 2)
    for stop in range(len(data) + 1):
        if data[stop - 1:stop + 1] == b"\r\n":
            continue
        assert bounds._file_breaks(path, stop) == bounds._breaks(data, stop) == \
            len(re.findall(rb"\r\n|\r|\n", data[:stop]))


# ---------------------------------------------------------------------------
# A column distinct on the sample lines and repeated a little further down
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("period, named", [(1_000, True), (30_000, False)])
def test_a_column_repeating_below_the_sample_reads_the_same(period, named):
    # Items in turn: distinct on the 200 sample lines, repeated every ``period`` lines (within
    # the probed start of the body, or only beyond it).
    lines = [f"R{i:07d},事项{i % period:05d},{LABELS[i % 4]}" for i in range(40_000)]
    data = _csv(lines)
    body = memoryview(data)
    assert (read._repeating(body, ["0", "1", "2"], {"0", "1"}, ",") == {"1"}) == named
    grid = _grid_as_csv_module(data)
    assert len(grid.text[1].array.categories) == period + 1


def test_the_probe_names_nothing_when_its_lines_do_not_read():
    # A line of four fields among lines of three: pyarrow refuses the window, nothing is named.
    data = _csv(_lines(100) + ["a,b,c,d"] + _lines(100))
    assert read._repeating(memoryview(data), ["0", "1", "2"], {"0", "1"}, ",") == set()
    assert read._repeating(memoryview(b"no line break"), ["0"], {"0"}, ",") == set()


def test_a_header_pasted_again_far_below_is_still_excluded(tmp_path):
    # The header's own text is a distinct text of the rating column on every sheet: the
    # count of the codes in play must still find it where a second export was pasted.
    lines = _lines(3_000)
    lines[2_000:2_000] = ["受访者,事项,满意度"]
    path = tmp_path / "pasted.csv"
    path.write_bytes(_csv(lines))
    report = load_responses(path, duplicates="keep_first").attrs["load_report"]
    excluded = report.exclusions
    assert excluded.loc[excluded["reason"] == "repeated_header", "source_line"].tolist() == [2_002]


# ---------------------------------------------------------------------------
# A distinct column over several of the reader's blocks keeps them as chunks
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("edit", ["sorted", "unsorted", "totals_at_end", "repeat_in_last_block"])
def test_distinct_ids_over_several_reader_blocks_load_as_the_csv_module_reads(tmp_path, monkeypatch, edit):
    # The ids' Arrow strings are the reader's blocks as they are (not one copy): the text
    # tests, the result's respondent column and the report equal those of the csv module's
    # read, whether the sorted-ids path takes the column or the uniqueness check does.
    pa = pytest.importorskip("pyarrow")
    lines = _lines(120_000)
    options = {}
    if edit == "unsorted":
        lines[100], lines[110_000] = lines[110_000], lines[100]
    elif edit == "totals_at_end":
        lines.append("合计,,120000")
    elif edit == "repeat_in_last_block":
        lines[-1] = lines[60_000].replace("事项", "事项9")
        options = {"duplicates": "keep_first"}
    path = tmp_path / f"{edit}.csv"
    path.write_bytes(_csv(lines))
    grid = read._read_csv_fast(path.read_bytes(), "f.csv", None)
    strings = coded.string_array(coded.parts(grid.text[0])[1])
    if edit != "repeat_in_last_block":
        assert pa.array(strings).num_chunks > 1
    assert strings.tolist() == coded.parts(grid.text[0])[1].tolist()
    fast = _outcome(path, **options)
    monkeypatch.setattr(read, "_read_csv_fast", lambda *args, **kwargs: None)
    general = _outcome(path, **options)
    pd.testing.assert_frame_equal(fast[0], general[0], check_exact=True)
    assert [type(fast[0][c].array) for c in fast[0]] == [type(general[0][c].array) for c in general[0]]
    assert fast[1:] == general[1:]


def test_blocks_with_their_own_dictionaries_join_in_first_seen_order():
    # Each block of the reader has its own dictionary (new items appear in later blocks,
    # in another order): the column's texts are the file's, in the order they first occur
    # below the header, as the reader's unified dictionary lists them.
    lines = [f"R{i:07d},事项{(i * 7) % 300 + 300 * (i // 40_000):04d},{LABELS[(i // 3) % 4]}"
             for i in range(120_000)]
    grid = _grid_as_csv_module(_csv(lines))
    for column, header in ((1, "事项"), (2, "满意度")):
        body = [line.split(",")[column] for line in lines]
        assert coded.parts(grid.text[column])[1].tolist() == [header] + pd.unique(pd.Series(body)).tolist()
