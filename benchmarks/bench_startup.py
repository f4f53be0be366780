"""Import time (vs import pandas) and `survey-analysis reproduce` wall time.

Run from the repository root:  python benchmarks/bench_startup.py
Targets (issue 6): `python -c "import survey_analysis"` at most 1.3x `python -c "import pandas"`;
`survey-analysis reproduce` under 5 s.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, progress


def wall(command: list[str], repeat: int, cwd=None) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=cwd)
        times.append(time.perf_counter() - start)
    return median(times)


def main() -> list[dict]:
    python = sys.executable
    progress("import times")
    wall([python, "-c", "import pandas, survey_analysis"], 2)  # warm the file cache
    pandas_s = wall([python, "-c", "import pandas"], 15)
    ours_s = wall([python, "-c", "import survey_analysis"], 15)
    progress("reproduce")
    script = shutil.which("survey-analysis") or "survey-analysis"
    with tempfile.TemporaryDirectory() as folder:
        reproduce_s = wall([script, "reproduce", "-o", folder], 3)
    return [
        {"target": "python -c 'import survey_analysis'", "reference": "python -c 'import pandas'",
         "reference_s": pandas_s, "ours_s": ours_s, "ratio": ours_s / pandas_s, "goal": "<= 1.3x"},
        {"target": "survey-analysis reproduce (bundled data, writes tables and figure)",
         "reference": "goal: 5 s", "reference_s": 5.0, "ours_s": reproduce_s,
         "ratio": reproduce_s / 5.0, "goal": "< 5 s"},
    ]


if __name__ == "__main__":
    results = main()
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "bench_startup.json").write_text(json.dumps({"machine": machine(), "rows": results}, indent=1))
    for row in results:
        print(json.dumps(row))
