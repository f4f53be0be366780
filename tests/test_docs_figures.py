"""Figures written in the docs agree with the recorded results they come from (issue 22).

The results are the files the benchmark and study scripts write (`benchmarks/results/`);
the docs quote them. Each test reads both, so a rerun that changes a result, or an edit
that changes a quoted figure, fails here until the two agree again.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
STATISTICS = (ROOT / "docs" / "statistics.md").read_text(encoding="utf-8")
BENCHMARKS = (ROOT / "benchmarks" / "README.md").read_text(encoding="utf-8")


def test_interval_coverage_table_is_the_study_summary():
    # docs/statistics.md's table, row by row, against coverage_summary.csv (3 decimals).
    summary = pd.read_csv(RESULTS / "coverage_summary.csv").set_index("method")
    rows = re.findall(r"^\| (\w+) \| ([0-9.]+) \| ([0-9.]+) \| ([0-9.]+) \| ([0-9.]+) \|$", STATISTICS, re.MULTILINE)
    assert {row[0] for row in rows} == set(summary.index)
    for method, *values in rows:
        recorded = summary.loc[method, ["mean_coverage", "min_coverage", "share_below_93", "mean_width"]]
        assert [float(v) for v in values] == pytest.approx(recorded.round(3).tolist(), abs=1e-9), method


def test_wilson_minimum_is_where_the_study_found_it():
    coverage = pd.read_csv(RESULTS / "coverage.csv")
    wilson = coverage.loc[coverage["method"] == "wilson"]
    low = wilson.loc[wilson["coverage"].idxmin()]
    sentence = f"minimum {low['coverage']:.0%} at p = {low['p']:g}, n = {int(low['n'])}"
    assert sentence in STATISTICS
    assert f"minimum {wilson['coverage'].min():.0%}" in STATISTICS


def test_rounds_coverage_table_is_the_simulation():
    # The six rows of statistics.md's rounds table: sigma = 1, n = 40, delta = 0.3.
    recorded = pd.read_csv(RESULTS / "rounds_coverage.csv")
    recorded = recorded.loc[recorded["estimand"] == "superpopulation"]
    designs = {"same items in both rounds, item effects persist": "shared",
               "round 2 surveys other items": "not shared",
               "same items, their circumstances change (item × round effect, τ = 0.5)": "shared + item x round"}
    rows = re.findall(r"^\| (.+?) \| (\d+) \| ([0-9.]+)% \| ([0-9.]+)% \|$", STATISTICS, re.MULTILINE)
    assert len(rows) == 6
    for label, items, naive, design in rows:
        scenario = recorded.loc[(recorded["design"] == designs[label]) & (recorded["m"] == int(items))
                                & (recorded["n"] == 40) & (recorded["sigma"] == 1.0) & (recorded["delta"] == 0.3)]
        coverage = scenario.set_index("method")["coverage"]
        assert (float(naive), float(design)) == pytest.approx(
            (round(100 * coverage["naive"], 1), round(100 * coverage["design-based"], 1))), label
    # "near nominal (93.7%) only when items do not differ at all (sigma = 0)".
    calm = recorded.loc[(recorded["design"] == "not shared") & (recorded["sigma"] == 0.0)
                        & (recorded["method"] == "naive")]
    assert f"({100 * calm['coverage'].iloc[0]:.1f}%) only when items do not differ" in STATISTICS


def test_naive_loop_times_are_the_recorded_ones():
    rows = json.loads((RESULTS / "bench_intervals.json").read_text())["rows"]
    loops = [row["naive_scipy_loop_s_per_1e6"] for row in rows if "naive_scipy_loop_s_per_1e6" in row]
    assert len(loops) == 2
    assert f"{loops[0]:.0f} s (n < 200), {loops[1]:.0f} s (n < 5000)" in BENCHMARKS


def test_loader_table_of_today_is_the_recorded_run():
    rows = json.loads((RESULTS / "bench_loader.json").read_text())["rows"]
    by_target = {row["target"]: row for row in rows}
    long_csv = next(row for target, row in by_target.items() if "long CSV" in target)
    wide_csv = next(row for target, row in by_target.items() if "wide CSV" in target)
    assert f"| {1000 * long_csv['reference_s']:.0f} ms | {1000 * long_csv['ours_s']:.0f} ms |" in BENCHMARKS
    assert f"| {wide_csv['ours_s']:.2f} s |" in BENCHMARKS


def test_architecture_names_every_module():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    modules = [p for p in sorted((ROOT / "survey_analysis").rglob("*.py")) if p.name != "__init__.py"]
    missing = [str(p.relative_to(ROOT)) for p in modules if p.name not in text]
    assert not missing, f"docs/architecture.md does not name {missing}"


def test_api_reference_lists_every_public_name_and_method_once():
    import survey_analysis as sa

    api = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    headings = re.findall(r"^### `([A-Za-z_][A-Za-z0-9_]*)", api, re.MULTILINE)
    missing = [name for name in sa.__all__ if name not in headings]
    assert not missing, missing
    # Each function or class is documented in full once (the others say "See ...").
    full = re.findall(r"^### `([A-Za-z_][A-Za-z0-9_]*)\(", api, re.MULTILINE)
    repeated = sorted({name for name in full if full.count(name) > 1})
    assert not repeated, repeated
    for method in ("item_rates", "overall", "compare", "subset", "from_counts", "sensitivity"):
        assert re.search(rf"^- (classmethod )?`{method}\(", api, re.MULTILINE), method


# --- README: the worked figures of its rounding section, and the bundled real data -----------

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_rounding_examples_are_what_the_library_computes():
    import survey_analysis as sa
    # '"99%" of 300 answers is any count from 296 to 298'
    assert '"99%" of 300 answers is any count from 296 to 298' in README
    def fitting(percent, n):
        table = sa.consistent_counts(percent, n)
        return table.loc[table["consistent"], "k"].tolist()

    assert fitting("99", 300) == [296, 297, 298]
    # '"99.00%" of 4,226 ... fits no whole count'
    assert '"99.00%" of 4,226' in README and fitting("99.00", 4226) == []
    # '"100%" of 300 is 299 or 300 (299/300 = 99.67% rounds to 100)'
    assert '"100%" of 300 is 299 or 300 (299/300 =\n99.67% rounds to 100)' in README
    assert fitting("100", 300) == [299, 300]
    assert f"{299 / 300:.2%}" == "99.67%"


def test_readme_counts_the_bundled_fft_respondents():
    import survey_analysis as sa
    # "NHS Friends and Family Test answers of 4,466 respondents": the rows of the bundled file
    rows = len(pd.read_csv(sa.fft_responses_path()))
    assert f"answers of {rows:,} respondents" in README.replace("\n", " ")
