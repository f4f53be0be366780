"""The report of a big file: `survey-analysis report` on Parquet, against one DuckDB GROUP BY.

Run from the repository root:  python benchmarks/bench_report.py [--sizes 1000000:2000 30000000:100000]
Targets (issue 13): on a 3e7-row Parquet file with 1e5 items the whole report (HTML, CSV,
Excel) in at most 60 s and 2 GB; its data part (everything but drawing and writing:
``sa.analyze(path)``) at most 3x one bare DuckDB GROUP BY of the same two counts (and, as a
second reference, that GROUP BY with the repeat check the package makes, by hand). The files
are SYNTHETIC long answers written by DuckDB itself (item ids hashed from the row number,
labels drawn at fixed rates). Every measurement runs in a fresh process, so its peak memory
(max RSS, including DuckDB's and Arrow's allocations) is its own.
Targets of issue 25 (``--sizes 30000000:100000 100000000:100000``): peak memory at most 1 GB
at 3e7 rows and 2 GB at 1e8, the data part at most 2x the by-hand reference with the repeat
check. bench_scale.py goes on to 1e9 rows in a folder of Parquet files.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import duckdb_reference, machine, progress, run_isolated

DATA = Path(__file__).resolve().parent / "data"
RESULTS = Path(__file__).resolve().parent / "results"

WRITE = """
import duckdb
duckdb.sql("SET enable_progress_bar = false")
duckdb.sql('''COPY (SELECT CAST(i AS VARCHAR) AS respondent_id,
  'I' || lpad(CAST(hash(i) % {items} AS VARCHAR), 6, '0') AS item_id,
  CASE WHEN random() < 0.80 THEN '满意' WHEN random() < 0.6 THEN '基本满意'
       WHEN random() < 0.7 THEN '不满意' ELSE '不了解' END AS rating
  FROM range({rows}) t(i)) TO '{path}' (FORMAT PARQUET)''')
RESULT = {{}}
"""

DATA_PART = """
import time, survey_analysis as sa
times = []
for _ in range(3):
    start = time.perf_counter(); analysis = sa.analyze('{path}'); times.append(time.perf_counter() - start)
RESULT = {{"seconds": min(times), "items": len(analysis.item_rates)}}
"""

WHOLE_REPORT = """
import contextlib, io, time
from survey_analysis.present.cli import main
start = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    code = main(["report", "{path}", "-o", "{out}", "--lang", "en"])
RESULT = {{"seconds": time.perf_counter() - start, "exit": code}}
"""


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", nargs="+", default=["1000000:2000", "30000000:100000"],
                        help="ROWS:ITEMS pairs")
    args = parser.parse_args(argv)
    DATA.mkdir(exist_ok=True)
    rows_out = []
    for size in args.sizes:
        rows, items = (int(v) for v in size.split(":"))
        path = DATA / f"report_{rows}_{items}.parquet"
        if not path.exists():
            progress(f"writing {path.name} (SYNTHETIC)")
            run_isolated(WRITE.format(rows=rows, items=items, path=path))
        progress(f"{rows:,} rows, {items:,} items: bare DuckDB GROUP BY")
        bare = run_isolated(duckdb_reference(path, 3))
        progress("DuckDB GROUP BY + repeat check")
        checked = run_isolated(duckdb_reference(path, 3, check_repeats=True))
        progress("data part: sa.analyze(path)")
        data = run_isolated(DATA_PART.format(path=path))
        progress("whole report: survey-analysis report")
        with tempfile.TemporaryDirectory() as out:
            whole = run_isolated(WHOLE_REPORT.format(path=path, out=out))
        rows_out.append({"rows": rows, "items": items, "bare_duckdb": bare,
                         "checked_duckdb": checked, "data_part": data, "whole_report": whole,
                         "data_ratio": data["seconds"] / bare["seconds"],
                         "data_ratio_checked": data["seconds"] / checked["seconds"]})
        print(f"{rows:>11,} rows {items:>7,} items | DuckDB GROUP BY {bare['seconds']:.2f} s "
              f"(peak {bare['peak_rss_mb']:.0f} MB) | with repeat check {checked['seconds']:.2f} s "
              f"(peak {checked['peak_rss_mb']:.0f} MB) | analyze {data['seconds']:.2f} s "
              f"({data['seconds'] / bare['seconds']:.2f}x, peak {data['peak_rss_mb']:.0f} MB) | "
              f"report {whole['seconds']:.1f} s (peak {whole['peak_rss_mb']:.0f} MB)")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bench_report.json").write_text(
        json.dumps({"machine": machine(), "results": rows_out}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
