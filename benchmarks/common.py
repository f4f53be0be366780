"""Helpers shared by the benchmark scripts: timing, peak memory, the machine description."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from statistics import median


def best_time(function, repeat: int = 5) -> float:
    """Best wall time of ``repeat`` calls, in seconds (the usual timeit convention)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def median_time(function, repeat: int = 5) -> float:
    """Median wall time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return median(times)


def run_isolated(code: str) -> dict:
    """Run ``code`` in a fresh Python process; it must print one JSON object as its last line.

    The child adds ``peak_rss_mb`` (its VmHWM, the peak resident memory of its own address
    space; not ``ru_maxrss``, which Linux carries over from the forking parent), so each
    measurement's peak memory is its own, including memory that DuckDB or Arrow allocate
    outside Python.
    """
    wrapper = code + (
        "\nimport json as _j\n"
        "_out = globals().get('RESULT', {})\n"
        "with open('/proc/self/status') as _s:\n"
        "    _out['peak_rss_mb'] = next(int(_l.split()[1]) for _l in _s if _l.startswith('VmHWM:')) / 1024\n"
        "print(_j.dumps(_out))\n")
    result = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True,
                            check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def machine() -> str:
    """One line describing the machine, for the results table."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            model = next(line.split(":", 1)[1].strip() for line in handle if line.startswith("model name"))
    except (OSError, StopIteration):
        model = platform.processor() or "unknown CPU"
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{model}, {os.cpu_count()} cores, {memory:.0f} GiB, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def progress(message: str) -> None:
    """Progress line on stderr (benchmarks take a while)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def duckdb_reference(path, repeat: int, check_repeats: bool = False) -> str:
    """Script (for :func:`run_isolated`) of the reference the engine is measured against: a
    bare DuckDB ``GROUP BY`` of the two counts per item of the long file ``path``, best of
    ``repeat``; with ``check_repeats``, first the check the package makes before counting
    (issue 14), written as an analyst would: ``GROUP BY item_id, respondent_id HAVING
    count(*) > 1``."""
    return f"""
import duckdb, time
query = '''SELECT item_id, count(*) FILTER (WHERE rating IN ('满意', '基本满意', '不满意')) AS n,
           count(*) FILTER (WHERE rating IN ('满意', '基本满意')) AS satisfied
           FROM read_parquet('{path}') GROUP BY item_id'''
repeats = '''SELECT count(*) FROM (SELECT item_id, respondent_id FROM read_parquet('{path}')
             GROUP BY ALL HAVING count(*) > 1)'''
times, found = [], None
for _ in range({repeat}):
    connection = duckdb.connect(); connection.execute("SET enable_progress_bar = false")
    start = time.perf_counter()
    if {check_repeats!r}:
        found = connection.execute(repeats).fetchall()[0][0]
    table = connection.execute(query).df(); times.append(time.perf_counter() - start)
RESULT = {{"seconds": min(times), "groups": len(table), "repeats": found}}
"""
