"""Internet scale: ``sa.item_rates`` of a folder of 1e9 long answers, against DuckDB by hand.

Run from the repository root:  python benchmarks/bench_scale.py [--rows 10000000]
The folder (benchmarks/data/scale_1e9/, git-ignored) holds SYNTHETIC answers written by
DuckDB itself in the shape of bench_report.py's files -- one respondent per row, item ids
hashed from the row number among 1e5 items, Chinese labels drawn at fixed rates -- as one
Parquet file per 5e7 rows (``--chunk``); it is written once and reused. Each measurement
runs in a fresh process (peak RSS its own): (a) ``sa.item_rates(folder)`` (the DuckDB
engine: counts, rule book, repeat check, intervals) and (b) the same two counts per item
and the repeat check written by hand in DuckDB (``GROUP BY item_id, respondent_id HAVING
count(*) > 1``), with DuckDB's default memory limit unless ``--hand-memory`` says otherwise,
spilling under benchmarks/data/ (at most ``--hand-spill``). Results go to benchmarks/results/bench_scale.json (one
entry per number of rows).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, progress, run_isolated

DATA = Path(__file__).resolve().parent / "data"
RESULTS = Path(__file__).resolve().parent / "results"

PART = """
import duckdb
connection = duckdb.connect()
connection.execute("SET enable_progress_bar = false")
connection.execute('''COPY (SELECT CAST(i AS VARCHAR) AS respondent_id,
  'I' || lpad(CAST(hash(i) % {items} AS VARCHAR), 6, '0') AS item_id,
  CASE WHEN random() < 0.80 THEN '满意' WHEN random() < 0.6 THEN '基本满意'
       WHEN random() < 0.7 THEN '不满意' ELSE '不了解' END AS rating
  FROM range({start}, {stop}) t(i)) TO '{path}' (FORMAT PARQUET)''')
RESULT = {{}}
"""

OURS = """
import time, survey_analysis as sa
times = []
for _ in range({repeat}):
    start = time.perf_counter(); rates = sa.item_rates('{folder}'); times.append(time.perf_counter() - start)
RESULT = {{"seconds": min(times), "items": len(rates), "answers": int(rates["n"].sum())}}
"""

BY_HAND = """
import duckdb, time
source = "read_parquet('{folder}/*.parquet')"
query = f'''SELECT item_id, count(*) FILTER (WHERE rating IN ('满意', '基本满意', '不满意')) AS n,
           count(*) FILTER (WHERE rating IN ('满意', '基本满意')) AS satisfied
           FROM {{source}} GROUP BY item_id'''
repeats = f'''SELECT count(*) FROM (SELECT item_id, respondent_id FROM {{source}}
             GROUP BY ALL HAVING count(*) > 1)'''
times = []
for _ in range({repeat}):
    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")
    connection.execute("SET temp_directory = '{spill}'")
    connection.execute("SET max_temp_directory_size = '{spill_cap}'")  # a shared disk
    if {memory!r}:
        connection.execute("SET memory_limit = '{memory}'")
    start = time.perf_counter()
    found = connection.execute(repeats).fetchall()[0][0]
    table = connection.execute(query).df(); times.append(time.perf_counter() - start)
    setting = connection.sql("SELECT current_setting('memory_limit')").fetchall()[0][0]
    connection.close()
RESULT = {{"seconds": min(times), "items": len(table), "answers": int(table["n"].sum()), "repeats": found,
          "memory_limit": setting}}
"""


def folder_name(rows: int) -> str:
    """``scale_1e9`` for 10**9 rows (``scale_123`` for a number not a power of ten)."""
    short = f"{rows:.0e}".replace("e+0", "e").replace("e+", "e")
    return f"scale_{short}" if float(short) == rows else f"scale_{rows}"


def generate(folder: Path, rows: int, items: int, chunk: int) -> float:
    """Write ``rows`` SYNTHETIC answers as Parquet files of ``chunk`` rows in ``folder``
    (parts already written are kept: an interrupted run resumes); the seconds it took."""
    partial = folder.with_name(folder.name + ".partial")
    partial.mkdir(parents=True, exist_ok=True)
    parts = -(-rows // chunk)
    start = time.perf_counter()
    for part in range(parts):
        path = partial / f"part-{part:04d}.parquet"
        if path.exists():
            continue
        progress(f"writing part {part + 1}/{parts} of {folder.name} (SYNTHETIC, {chunk:,} rows each)")
        temporary = path.with_suffix(".tmp")
        run_isolated(PART.format(items=items, start=part * chunk, stop=min(rows, (part + 1) * chunk),
                                 path=temporary))
        temporary.rename(path)
    partial.rename(folder)
    return time.perf_counter() - start


def _by_hand(folder: Path, spill: Path, args) -> dict:
    """The by-hand DuckDB reference, measured in a fresh process (its error when it fails)."""
    try:
        hand = run_isolated(BY_HAND.format(folder=folder, repeat=args.repeat, spill=spill, memory=args.hand_memory,
                                           spill_cap=args.hand_spill))
    except subprocess.CalledProcessError as error:  # e.g. out of memory or of spill space: say so
        lines = (error.stderr or "").strip().splitlines()
        hand = {"error": [line for line in lines if "Error" in line][-1:] + lines[-4:]}
    finally:
        shutil.rmtree(spill, ignore_errors=True)
    if args.hand_memory:
        hand["memory_limit_set"] = args.hand_memory
    return hand


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=float, default=1e9, help="answers (rows) in the folder")
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--chunk", type=float, default=5e7, help="rows per Parquet file")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (best kept)")
    parser.add_argument("--hand-memory", default="",
                        help="DuckDB memory_limit of the by-hand reference (default: DuckDB's own)")
    parser.add_argument("--hand-spill", default="25GB",
                        help="DuckDB max_temp_directory_size of the by-hand reference")
    parser.add_argument("--hand-only", action="store_true",
                        help="measure the by-hand reference only (item_rates as in the results file)")
    parser.add_argument("--ours-only", action="store_true",
                        help="measure item_rates only (the by-hand reference as in the results file)")
    args = parser.parse_args(argv)
    rows, chunk = int(args.rows), int(args.chunk)
    folder = DATA / folder_name(rows)
    generated = None
    if not folder.exists():
        generated = generate(folder, rows, args.items, chunk)
        progress(f"written in {generated:.0f} s")
    files = sorted(folder.glob("*.parquet"))
    size = sum(f.stat().st_size for f in files)
    out = RESULTS / "bench_scale.json"
    previous = json.loads(out.read_text(encoding="utf-8"))["results"] if out.exists() else []
    earlier = next((r for r in previous if r["rows"] == rows), None)
    if generated is None and earlier is not None:  # the folder as written then
        generated = earlier["generation_seconds"]
    if args.hand_only and earlier is not None:  # the by-hand reference again, ours as measured
        ours = earlier["item_rates"]
    else:
        progress(f"{rows:,} rows in {len(files)} files, {size / 1e9:.2f} GB: sa.item_rates(folder)")
        ours = run_isolated(OURS.format(folder=folder, repeat=args.repeat))
    progress(f"  {ours['seconds']:.1f} s, peak {ours['peak_rss_mb']:.0f} MB; by hand in DuckDB")
    spill = DATA / f"{folder.name}_spill"
    if args.ours_only and earlier is not None:  # item_rates again, the reference as measured
        hand = earlier["by_hand_duckdb"]
    else:
        hand = _by_hand(folder, spill, args)
    ratio = ours["seconds"] / hand["seconds"] if "seconds" in hand else None
    print(f"{rows:>13,} rows, {len(files)} files, {size / 1e9:.2f} GB | item_rates {ours['seconds']:.1f} s "
          f"(peak {ours['peak_rss_mb']:.0f} MB) | by hand "
          + (f"{hand['seconds']:.1f} s (peak {hand['peak_rss_mb']:.0f} MB) | {ratio:.2f}x" if ratio else
             f"failed: {hand['error']}"))
    entry = {"rows": rows, "items": args.items, "files": len(files), "bytes_on_disk": size,
             "generation_seconds": generated, "item_rates": ours, "by_hand_duckdb": hand, "ratio": ratio}
    RESULTS.mkdir(exist_ok=True)
    results = sorted([r for r in previous if r["rows"] != rows] + [entry], key=lambda r: r["rows"])
    out.write_text(json.dumps({"machine": machine(), "results": results}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
