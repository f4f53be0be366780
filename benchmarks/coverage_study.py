"""Coverage study: exact coverage of every binomial_ci method for n = 5..200, p = 0.80..0.999.

Run from the repository root:  python benchmarks/coverage_study.py
Writes benchmarks/results/coverage.csv, coverage_summary.csv and coverage.png.
All statistics come from survey_analysis.estimate.coverage.exact_coverage (exact binomial sums,
not simulation, so the numbers are reproducible to the last digit).
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from survey_analysis.estimate.coverage import exact_coverage
from survey_analysis.present.plots import coverage_plot

OUT = Path(__file__).resolve().parent / "results"
N_GRID = [5, 10, 15, 20, 30, 50, 75, 100, 150, 200]
P_GRID = np.round(np.concatenate([np.arange(0.80, 0.99, 0.01), [0.99, 0.995, 0.999]]), 3)
P_GRID = np.unique(P_GRID)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    table = exact_coverage(N_GRID, P_GRID)
    table.to_csv(OUT / "coverage.csv", index=False)
    summary = (table.groupby("method")
               .agg(mean_coverage=("coverage", "mean"), min_coverage=("coverage", "min"),
                    share_below_93=("coverage", lambda c: float(np.mean(c < 0.93))),
                    mean_width=("mean_width", "mean"))
               .sort_values("mean_coverage"))
    summary.to_csv(OUT / "coverage_summary.csv")
    print(summary.round(4).to_string())

    fig, axes = plt.subplots(2, 2, figsize=(11, 8), sharey=True)
    for ax, size in zip(axes.flat, [10, 20, 50, 150]):
        coverage_plot(table, ax=ax, n=size)
        ax.set_ylim(0.5, 1.0)
    fig.suptitle("Exact coverage of nominal 95% intervals near 100% satisfaction")
    fig.tight_layout()
    fig.savefig(OUT / "coverage.png", dpi=110)
    plt.close(fig)
    print(f"wrote {OUT / 'coverage.png'}")


if __name__ == "__main__":
    main()
