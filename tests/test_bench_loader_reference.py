"""The by-hand references of ``benchmarks/bench_loader.py`` (``by_hand``: pyarrow's group-by
for the repeat check; ``by_codes``: dictionary codes, the floor) do the loader's work: on the
benchmark's own files (small), the frame each builds equals ``load_responses``' tidy result,
column for column and dtype for dtype. Were it to drift (a column, a dtype, a row kept
that the loader excludes), the benchmark would compare the loader with other work. No timing
here: the benchmark measures both.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("pyarrow")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_loader  # noqa: E402

from survey_analysis import load_responses  # noqa: E402


@pytest.mark.parametrize("by", [bench_loader.by_hand, bench_loader.by_codes])
@pytest.mark.parametrize("make", [bench_loader.make_csv, bench_loader.make_distinct])
def test_by_hand_frame_is_the_loaders_tidy_result(tmp_path, make, by):
    path = make(tmp_path / "responses.csv", 3_000)
    ours, hand = load_responses(path), by(path)
    report = ours.attrs["load_report"]
    # The files hold what the reference must drop: "don't know", blank answers and, in the
    # long file, the 合计 row; a check that dropped nothing could not tell.
    assert report.rows_read - report.rows_kept > 0
    pd.testing.assert_frame_equal(hand, ours.reset_index(drop=True), check_like=False)
    assert hand.equals(ours)


@pytest.mark.parametrize("by", [bench_loader.by_hand, bench_loader.by_codes])
def test_by_hand_refuses_a_repeated_answer(tmp_path, by):
    path = tmp_path / "repeat.csv"
    path.write_text("受访者,事项,满意度\n" + "\n".join(["R1,事项1,满意"] * 2 + [f"R{i},事项1,满意" for i in range(2, 60)])
                    + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="answered an item twice"):
        by(path)
