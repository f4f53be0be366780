"""The Dask engine on a cluster: ``item_rates(dd.read_parquet(FILE))`` against the same work by hand.

Run from the repository root:  python benchmarks/bench_dask.py [--rows 10000000]
Target (issue 25): on a ``distributed.LocalCluster`` of 2 worker processes (1 thread each),
``sa.item_rates(dd.read_parquet(FILE))`` of a 1e7-row Parquet file with 1e5 items at most
1.5x the same counts written by hand in Dask -- rows per item x label, and the repeat check
the package makes (``groupby([item_id, respondent_id]).size() > 1``), computed together --
with counts identical to the DuckDB engine's on the same file (timed too, as a third
column). Everything runs in one process against one cluster, side by side; each time is the
best of ``--repeat`` after a warm-up. The file is the SYNTHETIC one of
``bench_item_rates.py`` (written there when missing).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_item_rates import make_parquet
from common import best_time, machine, progress

RESULTS = Path(__file__).resolve().parent / "results"
#: The labels the package counts as answers (cn3), and the satisfied ones.
ANSWERS = ("满意", "基本满意", "不满意")
SATISFIED = ("满意", "基本满意")


def by_hand(path):
    """The counts (rows per item x label) and the repeat check, as an analyst writes them in
    Dask, computed together (one read of the file)."""
    import dask
    import dask.dataframe as dd

    frame = dd.read_parquet(str(path))
    counts = frame.groupby(["item_id", "rating"]).size()
    repeats = (frame.groupby(["item_id", "respondent_id"]).size() > 1).any()
    return dask.compute(counts, repeats)


def ours(path):
    import dask.dataframe as dd

    import survey_analysis as sa

    return sa.item_rates(dd.read_parquet(str(path)))


def duckdb_engine(path):
    import survey_analysis as sa

    return sa.item_rates(str(path), engine="duckdb")


def _two_counts(table):
    """Answers and satisfied answers per item, as plain integers sorted by item."""
    return table[["item_id", "n", "satisfied"]].astype({"item_id": str, "n": "int64", "satisfied": "int64"}) \
        .sort_values("item_id").reset_index(drop=True)


def _hand_counts(result):
    import pandas as pd

    counts, repeats = result
    frame = counts.rename("rows").reset_index()
    frame = frame.assign(n=frame["rating"].isin(ANSWERS) * frame["rows"],
                         satisfied=frame["rating"].isin(SATISFIED) * frame["rows"])
    table = frame.groupby("item_id", observed=True)[["n", "satisfied"]].sum().reset_index()
    table = table[table["n"] > 0]
    return _two_counts(pd.DataFrame(table)), bool(repeats)


def main(rows: int, items: int, repeat: int, workers: int) -> dict:
    import dask
    import distributed
    import duckdb
    import pandas as pd

    path = make_parquet(rows, items)
    results = {}
    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster):
        for name, function in (("by_hand", by_hand), ("ours", ours), ("duckdb", duckdb_engine)):
            progress(f"{name}: warm-up")
            results[name] = {"result": function(path)}
            progress(f"{name}: best of {repeat}")
            results[name]["seconds"] = best_time(lambda f=function: f(path), repeat)
    hand, repeats = _hand_counts(results["by_hand"]["result"])
    mine, engine = _two_counts(results["ours"]["result"]), _two_counts(results["duckdb"]["result"])
    pd.testing.assert_frame_equal(mine, engine)
    pd.testing.assert_frame_equal(mine, hand)
    assert not repeats  # the file has no repeated answers: every method goes on to count
    hand_s, ours_s, duck_s = (results[k]["seconds"] for k in ("by_hand", "ours", "duckdb"))
    return {"machine": machine(), "rows": rows, "items": items, "workers": workers,
            "threads_per_worker": 1, "repeat": repeat, "file": path.name,
            "versions": {"dask": dask.__version__, "distributed": distributed.__version__,
                         "duckdb": duckdb.__version__, "pandas": pd.__version__},
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "by_hand_s": hand_s, "ours_s": ours_s, "duckdb_engine_s": duck_s,
            "ratio_to_by_hand": ours_s / hand_s, "goal": "<= 1.5x", "met": ours_s / hand_s <= 1.5,
            "identical_counts": True, "groups": len(mine)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=lambda v: int(float(v)), default=10_000_000)
    parser.add_argument("--items", type=lambda v: int(float(v)), default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    result = main(args.rows, args.items, args.repeat, args.workers)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bench_dask.json").write_text(json.dumps(result, indent=1))
    print(f"{result['rows']:.0e} rows, {result['items']:.0e} items, LocalCluster({result['workers']} workers x 1 thread)")
    print(f"{'work':<44}{'seconds':>9}{'ratio':>8}")
    print(f"{'by hand in Dask (counts + repeat check)':<44}{result['by_hand_s']:>9.2f}{1:>8.2f}")
    print(f"{'sa.item_rates(dd.read_parquet(FILE))':<44}{result['ours_s']:>9.2f}{result['ratio_to_by_hand']:>8.2f}")
    duck = 'sa.item_rates(FILE, engine="duckdb")'
    print(f"{duck:<44}{result['duckdb_engine_s']:>9.2f}{result['duckdb_engine_s'] / result['by_hand_s']:>8.2f}")
    print(f"goal: ours <= 1.5x by hand: {'met' if result['met'] else 'NOT met'}; counts identical in all three")
