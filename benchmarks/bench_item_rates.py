"""item_rates at scale: DuckDB engine vs a bare DuckDB GROUP BY, pandas path vs a bare groupby.

Run from the repository root:  python benchmarks/bench_item_rates.py [--rows 10000000]
Targets (issue 6): item_rates straight from a 1e7-row Parquet file with 1e5 items at most 1.5x
a bare DuckDB GROUP BY computing the same two counts on the same file; from an in-memory
DataFrame at most 1.5x a bare pandas groupby-sum. Since issue 14 the package checks, before
counting, that no respondent answers an item twice (and the loader's other rules); a second
reference does that check by hand in DuckDB (a GROUP BY item, respondent HAVING count(*) > 1)
beside the same GROUP BY. Every measurement runs in a fresh process so
its peak memory (max RSS, including DuckDB's and Arrow's own allocations) is its own.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import duckdb_reference, machine, progress, run_isolated

DATA = Path(__file__).resolve().parent / "data"


OURS_DUCKDB = """
import time, survey_analysis as sa
times = []
for _ in range(5):
    start = time.perf_counter(); table = sa.item_rates('{path}'); times.append(time.perf_counter() - start)
RESULT = {{"seconds": min(times), "groups": len(table)}}
"""

PANDAS_SETUP = """
import time, numpy as np, pandas as pd, survey_analysis as sa
rng = np.random.default_rng(1)
items = pd.Series(np.char.add('I', rng.integers(0, {items}, {rows}).astype(str))).astype('string')
rank = rng.choice([1, 2, 3], {rows}, p=[0.7, 0.25, 0.05]).astype('int8')
tidy = pd.DataFrame({{'item_id': items, 'rating': pd.Series(np.array(['满意', '基本满意', '不满意'])[rank - 1]).astype('string'),
                     'scale': np.int8(3), 'rank': rank}})
before = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:')) / 1024
"""

BARE_PANDAS = PANDAS_SETUP + """
times = []
for _ in range(5):
    start = time.perf_counter()
    table = tidy.assign(satisfied=tidy['rank'] <= 2).groupby('item_id')['satisfied'].agg(['size', 'sum'])
    times.append(time.perf_counter() - start)
RESULT = {{'seconds': min(times), 'groups': len(table), 'rss_before_mb': before}}
"""

OURS_PANDAS = PANDAS_SETUP + """
times = []
for _ in range(5):
    start = time.perf_counter(); table = sa.item_rates(tidy); times.append(time.perf_counter() - start)
RESULT = {{'seconds': min(times), 'groups': len(table), 'rss_before_mb': before}}
"""


def make_parquet(rows: int, items: int) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = DATA / f"responses_{rows}_{items}.parquet"
    if path.exists():
        return path
    DATA.mkdir(exist_ok=True)
    progress(f"writing {path.name}")
    rng = np.random.default_rng(1)
    labels = np.array(["满意", "基本满意", "不满意", "不了解"])
    table = pa.table({
        "respondent_id": pa.array(np.arange(rows).astype(str)),
        "item_id": pa.array(np.char.add("I", rng.integers(0, items, rows).astype(str))),
        "rating": pa.array(labels[rng.choice(4, rows, p=[0.68, 0.25, 0.05, 0.02])]),
    })
    pq.write_table(table, path, row_group_size=1_000_000)
    return path


def main(rows: int, items: int) -> list[dict]:
    import duckdb
    import pandas

    path = make_parquet(rows, items)
    progress("bare DuckDB")
    bare = run_isolated(duckdb_reference(path, 5))
    progress("DuckDB GROUP BY + repeat check")
    checked = run_isolated(duckdb_reference(path, 5, check_repeats=True))
    progress("item_rates(parquet)")
    ours = run_isolated(OURS_DUCKDB.format(path=path))
    progress("bare pandas")
    bare_pd = run_isolated(BARE_PANDAS.format(rows=rows, items=items))
    progress("item_rates(DataFrame)")
    ours_pd = run_isolated(OURS_PANDAS.format(rows=rows, items=items))
    return [
        {"target": f"item_rates from Parquet ({rows:.0e} rows, {items:.0e} items)",
         "reference": f"bare DuckDB {duckdb.__version__} GROUP BY (same two counts)",
         "reference_s": bare["seconds"], "ours_s": ours["seconds"], "ratio": ours["seconds"] / bare["seconds"],
         "goal": "<= 1.5x", "reference_peak_mb": bare["peak_rss_mb"], "ours_peak_mb": ours["peak_rss_mb"]},
        {"target": f"item_rates from Parquet ({rows:.0e} rows, {items:.0e} items), with its checks",
         "reference": f"DuckDB {duckdb.__version__} GROUP BY + GROUP BY item, respondent HAVING count(*) > 1",
         "reference_s": checked["seconds"], "ours_s": ours["seconds"],
         "ratio": ours["seconds"] / checked["seconds"], "goal": "-",
         "reference_peak_mb": checked["peak_rss_mb"], "ours_peak_mb": ours["peak_rss_mb"]},
        {"target": f"item_rates from a DataFrame ({rows:.0e} rows, {items:.0e} items)",
         "reference": f"bare pandas {pandas.__version__} groupby size+sum",
         "reference_s": bare_pd["seconds"], "ours_s": ours_pd["seconds"],
         "ratio": ours_pd["seconds"] / bare_pd["seconds"], "goal": "<= 1.5x",
         "reference_peak_mb": bare_pd["peak_rss_mb"], "ours_peak_mb": ours_pd["peak_rss_mb"],
         "frame_mb_before": ours_pd["rss_before_mb"]},
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()
    results = main(args.rows, args.items)
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "bench_item_rates.json").write_text(json.dumps({"machine": machine(), "rows": results}, indent=1))
    for row in results:
        print(json.dumps(row))
