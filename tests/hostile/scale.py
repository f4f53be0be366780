"""Hostile inputs of issue 14, cases 38 and 39: many items (time and memory grow with them).

These are measured, not asserted on time: ``benchmarks/bench_loader.py`` (the wide sheet)
and the closing note of issue 14 (the 50,000-item report). The tests check what does not
depend on the machine: every figure and HTML table is bounded whatever the item count.
"""

from pathlib import Path

import numpy as np

from hostile.common import Case

LABELS = np.array(["满意", "基本满意", "不满意"])


def many_items_long(folder: Path, items: int = 50_000, per_item: int = 20, seed: int = 2) -> Path:
    """Long CSV: ``items`` items x ``per_item`` respondents (80% 满意, 15% 基本满意, 5% 不满意)."""
    rng = np.random.default_rng(seed)
    item = np.repeat(np.arange(items), per_item)
    respondent = np.tile(np.arange(per_item), items)
    rating = LABELS[rng.choice(3, items * per_item, p=[0.80, 0.15, 0.05])]
    path = folder / f"items_{items}_long.csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("事项编号,受访者,满意度\n")
        handle.write("\n".join(f"事项{i},R{r},{a}" for i, r, a in zip(item, respondent, rating)) + "\n")
    return path


def many_item_columns(folder: Path, columns: int = 20_000, rows: int = 30, seed: int = 1) -> Path:
    """Wide CSV: a respondent column and ``columns`` item columns, ``rows`` respondents."""
    rng = np.random.default_rng(seed)
    path = folder / f"wide_{columns}_columns.csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("受访者," + ",".join(f"事项{i}" for i in range(columns)) + "\n")
        for r in range(rows):
            handle.write(f"R{r}," + ",".join(LABELS[rng.integers(0, 3, columns)]) + "\n")
    return path


CASES = [
    Case(38, "a report of 50,000 items", many_items_long,
         "figures and HTML tables bounded (extremes + distribution, MAX_TABLE_ROWS); measured in "
         "the closing note"),
    Case(39, "a wide sheet of 20,000 item columns x 30 rows", many_item_columns,
         "read with per-distinct-text work over all columns at once; timed in "
         "benchmarks/bench_loader.py"),
]
