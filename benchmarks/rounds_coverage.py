"""Simulation: coverage of the round-to-round difference of the pooled satisfaction rate.

Run from the repository root:  python benchmarks/rounds_coverage.py  [--replicates R] [--workers W]
Writes benchmarks/results/rounds_coverage.csv, rounds_coverage.png and rounds_coverage.md.

Every replicate is analysed by the library: per-answer tidy rows (``item_id``,
``scale="yes_no"``, ``rank`` 1 = satisfied / 2 = not satisfied, ``round``) and the
``.overall`` row of ``sa.compare_rounds(responses, round="round", weight=False)``: the
design-based interval (``ci_low``, ``ci_high``: the rounds are two domains of one design,
items are clusters shared by the rounds, t interval on clusters - 1 df) and the naive one
(``naive_ci_low``, ``naive_ci_high``: Newcombe, every answer independent).

Speed: a full ``compare_rounds`` call also builds the per-item table (Newcombe intervals and
Fisher tests for every item), which the overall row does not use; 22 scenarios x 1000
replicates of full calls would take far longer than the study needs, so each replicate computes the
``.overall`` row with the same calls ``compare_rounds`` makes for it (:func:`overall_interval`:
``as_design(..., groups=["round"], weight=False)``, ``domain_differences`` for later minus
earlier, ``rate_difference_ci(method="newcombe")`` on the pooled counts), and the first
replicate of every chunk of 50 is also run through ``compare_rounds`` itself and must agree
exactly (``np.array_equal``), or the run stops. (A counts-level input,
``Design.from_counts(..., groups=["round"])``, is accepted by ``compare_rounds`` and gives the
same ``.overall``, but is not faster: the cost is the per-item tests, not the rows.)

Model
-----
* ``m`` items (30 or 150), ``n`` respondents per item and round (10 or 40), two rounds.
* Item i's true rate in round r is ``expit(mu + u_i + delta * [r = 2] + v_ir)`` with
  ``mu = logit(0.90)``, ``u_i ~ N(0, sigma^2)`` (sigma in 0, 0.5, 1) **persistent across
  rounds**, and ``delta`` (0 or 0.3 on the logit scale) the change in round 2.
  ``v_ir ~ N(0, tau^2)`` is an item x round effect (the item's circumstances change between
  rounds); ``tau = 0`` in the base model.
* Each respondent answers independently given the item's rate (Bernoulli).
* Designs: ``shared`` -- the same m items in both rounds (tau = 0, the base model);
  ``not shared`` -- round 2 surveys m *other* items, a new draw of u; ``shared + item x round``
  -- the same items with tau = 0.5 (an extension beyond the base model).

Estimands (both reported, for both intervals)
---------------------------------------------
* **superpopulation** (primary): ``E[expit(mu + delta + Z)] - E[expit(mu + Z)]`` with
  ``Z ~ N(0, sigma^2 + tau^2)`` (Gauss-Hermite quadrature) -- the change in the pooled rate
  of the wider population of items of which the surveyed ones are a sample. This is what
  the design-based interval is built for: with items as clusters (``items_as="clusters"``,
  the default, R ``svydesign(ids = ~item_id)``) the sampling error includes which items were
  surveyed.
* **finite population of items**: the difference of the expected pooled rates given the
  items actually drawn (and their round effects): with equal n per item,
  ``mean_i p_i2 - mean_i p_i1`` over the round's items. This is the "these items only"
  (census) question; the library answers it with ``items_as="strata"``, which this study
  does not run. Conditional on the items, answers are independent, so the naive interval
  is (conservatively) valid for it and the clustered design-based interval is conservative.

Replicates: 1000 per scenario by default (Monte Carlo standard error of a 95% coverage
about 0.7 point), fixed seed (results do not depend on the number of workers), 2 worker
processes; progress is printed as a counter.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from multiprocessing import get_context
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import pandas as pd

OUT = Path(__file__).resolve().parent / "results"
SEED = 20261201
MU = float(np.log(0.90 / 0.10))  # logit(0.90)
LEVEL = 0.95
CHUNK = 50  # replicates per task


@dataclass(frozen=True)
class Scenario:
    design: str  # "shared", "not shared", "shared + item x round"
    m: int
    n: int
    sigma: float
    delta: float
    tau: float = 0.0

    @property
    def label(self) -> str:
        extra = f", tau={self.tau:g}" if self.tau else ""
        return (f"{self.design}: m={self.m}, n={self.n}, sigma={self.sigma:g}, "
                f"delta={self.delta:g}{extra}")


def scenarios() -> list[Scenario]:
    out = []
    for m in (30, 150):
        for n in (10, 40):
            for sigma in (0.0, 0.5, 1.0):
                out.append(Scenario("shared", m, n, sigma, 0.3))
            out.append(Scenario("shared", m, n, 1.0, 0.0))
    for m in (30, 150):
        for sigma in (0.0, 1.0):
            out.append(Scenario("not shared", m, 40, sigma, 0.3))
    for m in (30, 150):
        out.append(Scenario("shared + item x round", m, 40, 1.0, 0.3, tau=0.5))
    return out


def expit(x):
    return 1.0 / (1.0 + np.exp(-x))


def superpopulation_difference(sigma: float, tau: float, delta: float) -> float:
    """E[expit(mu + delta + Z)] - E[expit(mu + Z)], Z ~ N(0, sigma^2 + tau^2)."""
    s = np.sqrt(sigma ** 2 + tau ** 2)
    if s == 0:
        return float(expit(MU + delta) - expit(MU))
    x, w = np.polynomial.hermite.hermgauss(80)
    z = np.sqrt(2.0) * s * x
    mean = lambda shift: float(np.sum(w * expit(MU + shift + z)) / np.sqrt(np.pi))
    return mean(delta) - mean(0.0)


def simulate_replicate(sc: Scenario, rng: np.random.Generator):
    """Tidy responses of one replicate and its finite-population difference."""
    m, n = sc.m, sc.n
    u1 = rng.normal(0.0, sc.sigma, m) if sc.sigma else np.zeros(m)
    if sc.design == "not shared":
        u2 = rng.normal(0.0, sc.sigma, m) if sc.sigma else np.zeros(m)
        ids2 = np.arange(m, 2 * m)
    else:
        u2 = u1
        ids2 = np.arange(m)
    v1 = rng.normal(0.0, sc.tau, m) if sc.tau else 0.0
    v2 = rng.normal(0.0, sc.tau, m) if sc.tau else 0.0
    p1 = expit(MU + u1 + v1)
    p2 = expit(MU + sc.delta + u2 + v2)
    y1 = rng.random(m * n) < np.repeat(p1, n)
    y2 = rng.random(m * n) < np.repeat(p2, n)
    frame = pd.DataFrame({
        "item_id": np.concatenate([np.repeat(np.arange(m), n), np.repeat(ids2, n)]),
        "scale": "yes_no",
        "rank": np.where(np.concatenate([y1, y2]), 1, 2).astype(np.int64),
        "round": np.repeat(["Q1", "Q2"], m * n),
    })
    # Equal n per item: the expected pooled rate is the mean of the items' rates.
    return frame, float(p2.mean() - p1.mean())


def overall_interval(frame: pd.DataFrame):
    """``compare_rounds(frame, round="round", weight=False).overall`` without the per-item table.

    The same calls as :func:`survey_analysis.estimate.rounds.compare_rounds` makes for its
    ``.overall`` row (design, ``domain_differences`` for later minus earlier, Newcombe on the
    pooled counts); the per-item part (Newcombe and Fisher for every item)
    is skipped. :func:`run_chunk` checks the result against ``compare_rounds`` itself.
    """
    from survey_analysis.design.design import as_design
    from survey_analysis.estimate.comparisons import rate_difference_ci
    from survey_analysis.estimate.domains import domain_differences

    design = as_design(frame, groups=["round"], weight=False)
    row = domain_differences(design, "round", pairs=[("Q2", "Q1")], confidence_level=LEVEL).iloc[0]
    counts = design.counts(["round"])
    counts["round"] = counts["round"].astype(str)
    by_round = counts.set_index("round")
    k, n = by_round["satisfied"], by_round["n"]
    naive_low, naive_high = rate_difference_ci(k["Q2"], n["Q2"], k["Q1"], n["Q1"],
                                               method="newcombe", confidence_level=LEVEL)
    return np.array([row["difference"], row["ci_low"], row["ci_high"], float(naive_low),
                     float(naive_high), row["df"]], dtype=float)


COLUMNS = ["difference", "ci_low", "ci_high", "naive_ci_low", "naive_ci_high", "df"]


def run_chunk(task):
    """``chunk`` replicates of one scenario; the first is also run through ``compare_rounds``."""
    index, chunk, sc, seed = task
    import survey_analysis as sa

    rng = np.random.default_rng(seed)
    rows, errors, checked = [], [], 0
    for rep in range(chunk):
        frame, theta_f = simulate_replicate(sc, rng)
        try:
            values = overall_interval(frame)
            if rep == 0:  # the library's own function must give the very same numbers
                o = sa.compare_rounds(frame, round="round", weight=False).overall.iloc[0]
                assert o["earlier"] == "Q1" and o["later"] == "Q2"
                reference = o[COLUMNS].to_numpy(dtype=float)
                if not np.array_equal(values, reference, equal_nan=True):
                    raise AssertionError(f"shortcut {values} != compare_rounds {reference}")
                checked += 1
        except AssertionError:
            raise
        except Exception as exc:  # noqa: BLE001 -- counted and reported, not hidden
            errors.append(f"{type(exc).__name__}: {exc}")
            continue
        rows.append(np.concatenate([[theta_f], values]))
    return index, np.array(rows, dtype=float).reshape(-1, 7), errors, checked


def summarise(sc: Scenario, values: np.ndarray, errors: int) -> list[dict]:
    theta_f, diff, lo, hi, nlo, nhi, df = values.T
    theta_s = superpopulation_difference(sc.sigma, sc.tau, sc.delta)
    out = []
    for estimand, target in (("superpopulation", np.full_like(theta_f, theta_s)),
                             ("finite population", theta_f)):
        for method, (a, b) in (("naive", (nlo, nhi)), ("design-based", (lo, hi))):
            ok = np.isfinite(a) & np.isfinite(b)
            covered = (a[ok] <= target[ok]) & (target[ok] <= b[ok])
            r = int(ok.sum())
            cov = float(covered.mean())
            out.append({
                "scenario": sc.label, **asdict(sc), "estimand": estimand, "method": method,
                "replicates": r, "coverage": cov, "mc_se": float(np.sqrt(cov * (1 - cov) / r)),
                # interval entirely below / above the truth
                "miss_below": float(np.mean(b[ok] < target[ok])),
                "miss_above": float(np.mean(a[ok] > target[ok])),
                "mean_width": float(np.mean(b[ok] - a[ok])),
                "true_difference": (theta_s if estimand == "superpopulation"
                                    else float(np.mean(theta_f))),
                "mean_estimate": float(np.mean(diff)), "sd_estimate": float(np.std(diff, ddof=1)),
                "sd_finite_difference": float(np.std(theta_f, ddof=1)),
                "df": float(np.median(df)), "errors": errors, "invalid_intervals": int((~ok).sum()),
            })
    return out


def plot(table: pd.DataFrame, path: Path, replicates: int) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = list(dict.fromkeys(table["scenario"]))
    y = np.arange(len(labels))[::-1]
    fig, axes = plt.subplots(1, 2, figsize=(13, 0.32 * len(labels) + 2.2), sharey=True)
    styles = {"naive": ("tab:red", "o", -0.15), "design-based": ("tab:blue", "s", 0.15)}
    for ax, estimand in zip(axes, ("superpopulation", "finite population")):
        part = table.loc[table["estimand"] == estimand]
        for method, (color, marker, offset) in styles.items():
            rows = part.loc[part["method"] == method].set_index("scenario").loc[labels]
            ax.errorbar(rows["coverage"], y + offset, xerr=1.96 * rows["mc_se"], fmt=marker,
                        color=color, ms=4, capsize=2, lw=1, label=method)
        ax.axvline(LEVEL, color="black", ls="--", lw=1, label="nominal 95%")
        groups = pd.factorize(pd.Series([lab.split(":")[0] for lab in labels]))[0]
        for boundary in np.flatnonzero(np.diff(groups)):
            ax.axhline(y[boundary] - 0.5, color="grey", lw=0.5)
        ax.set_xlim(0.5, 1.01)
        ax.set_title(f"{estimand} difference")
        ax.set_xlabel("coverage (bars: +/-1.96 Monte Carlo SE)")
        ax.grid(axis="x", alpha=0.3)
    axes[0].set_yticks(y)
    axes[0].set_yticklabels(labels, fontsize=8)
    axes[0].legend(loc="lower left", fontsize=8)
    fig.suptitle(f"Simulation ({replicates} replicates per scenario): coverage of nominal 95% "
                 "intervals for the change in the pooled satisfaction rate between two rounds\n"
                 "sa.compare_rounds: naive (Newcombe, answers independent) vs design-based "
                 "(items as clusters shared by the rounds)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _pick(table, estimand, method, **where):
    rows = table.loc[(table["estimand"] == estimand) & (table["method"] == method)]
    for key, value in where.items():
        rows = rows.loc[rows[key] == value]
    assert len(rows) == 1, (estimand, method, where)
    return rows.iloc[0]


def _sentence(table, design, m, n, sigma, delta, tau=0.0, estimand="superpopulation"):
    where = {"design": design, "m": m, "n": n, "sigma": sigma, "delta": delta, "tau": tau}
    naive, des = (_pick(table, estimand, k, **where) for k in ("naive", "design-based"))
    return (f"{naive['coverage']:.1%} (mean width {naive['mean_width']:.3f}) for the naive "
            f"interval and {des['coverage']:.1%} (mean width {des['mean_width']:.3f}) for the "
            "design-based one "
            f"(Monte Carlo SE about {max(naive['mc_se'], des['mc_se']):.1%})")


def write_markdown(table: pd.DataFrame, path: Path, replicates: int, runtime: float,
                   workers: int, checked: int) -> None:
    uname = subprocess.run(["uname", "-a"], capture_output=True, text=True,
                           check=False).stdout.strip()
    # Without the OMP_NUM_THREADS=1 set above for the workers: nproc would report 1.
    env = {k: v for k, v in os.environ.items()
           if k not in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")}
    nproc = subprocess.run(["nproc"], capture_output=True, text=True, env=env,
                           check=False).stdout.strip()
    import survey_analysis as sa

    sup = table.loc[table["estimand"] == "superpopulation"]
    wide = sup.pivot_table(index="scenario", columns="method", values="coverage", sort=False)
    width = sup.pivot_table(index="scenario", columns="method", values="mean_width", sort=False)
    fin = table.loc[table["estimand"] == "finite population"].pivot_table(
        index="scenario", columns="method", values="coverage", sort=False)
    lines = [
        "# Round-to-round difference: coverage simulation",
        "",
        "Generated by `python benchmarks/rounds_coverage.py` (do not edit by hand).",
        "",
        ("**Model.** m items, n respondents per item and round, two rounds. Item i's true rate in "
         "round r is `expit(mu + u_i + delta*[r=2] + v_ir)`, `mu = logit(0.90)`, "
         "`u_i ~ N(0, sigma^2)` persistent across rounds, `delta` the change on the logit scale, "
         "`v_ir ~ N(0, tau^2)` an item x round effect (tau = 0 except in the last design). "
         "Respondents answer independently given the item's rate. *shared*: the same items in "
         "both rounds; *not shared*: round 2 surveys a new draw of m items; *shared + item x round*: "
         "the same items, tau = 0.5. Every replicate is the `.overall` row of "
         "`sa.compare_rounds(responses, round=\"round\", weight=False)` on per-answer rows "
         "(scale `yes_no`); naive = `naive_ci_*` (Newcombe, every answer independent), "
         "design-based = `ci_*` (items as clusters shared by the rounds, t on clusters - 1 df). "
         "For speed the row is computed with the same calls `compare_rounds` makes for it, "
         "skipping its per-item Fisher tests; "
         f"{checked} replicates (the first of every 50) were also run through `compare_rounds` "
         "itself and agreed exactly."),
        "",
        ("**Estimands.** *Superpopulation* (primary): `E[expit(mu+delta+Z)] - E[expit(mu+Z)]`, "
         "`Z ~ N(0, sigma^2 + tau^2)` -- the change for the population of items the surveyed ones "
         "stand for; this is what items-as-clusters (the default design) estimates a sampling "
         "error for. *Finite population*: the difference of the expected pooled rates given the "
         "items drawn (and their round effects), `mean p_i2 - mean p_i1` -- the \"these items "
         "only\" question, for which the library's `items_as=\"strata\"` is meant; given the items "
         "the answers are independent, so the naive interval is valid for it."),
        "",
        (f"**Replicates:** {replicates} per scenario, seed {SEED}; coverage +/- Monte Carlo SE "
         "`sqrt(c(1-c)/R)`."),
        "",
        "## Key numbers (superpopulation estimand, nominal 95%)",
        "",
        ("* Same items in both rounds, persistent item effects (the base model): with sigma = 1, "
         f"30 items, 40 answers per item and round, delta = 0.3, coverage is "
         f"{_sentence(table, 'shared', 30, 40, 1.0, 0.3)}. Persistent item effects cancel in the "
         "difference of the same items, so the naive interval is not too narrow here (if anything "
         "slightly conservative: the pooled rate's binomial variance exceeds the mean of the items' "
         "own); the design-based interval is about as wide and also near nominal."),
        (f"* Same design with 150 items: {_sentence(table, 'shared', 150, 40, 1.0, 0.3)}; with 30 "
         f"items and 10 answers: {_sentence(table, 'shared', 30, 10, 1.0, 0.3)}."),
        ("* Round 2 surveys other items (not shared), sigma = 1, 30 items, 40 answers per item: "
         f"{_sentence(table, 'not shared', 30, 40, 1.0, 0.3)}; with 150 items: "
         f"{_sentence(table, 'not shared', 150, 40, 1.0, 0.3)}. With sigma = 0 (no clustering): "
         f"{_sentence(table, 'not shared', 30, 40, 0.0, 0.3)}."),
        ("* Same items but their circumstances change between rounds (tau = 0.5 on the logit "
         "scale, sigma = 1, 40 answers per item and round): 30 items "
         f"{_sentence(table, 'shared + item x round', 30, 40, 1.0, 0.3, tau=0.5)}; 150 items "
         f"{_sentence(table, 'shared + item x round', 150, 40, 1.0, 0.3, tau=0.5)}."),
        ("* Finite-population estimand (the items surveyed): the naive interval covers "
         f"{fin['naive'].min():.1%}-{fin['naive'].max():.1%} across all scenarios and the "
         f"design-based {fin['design-based'].min():.1%}-{fin['design-based'].max():.1%} "
         "(conservative: its variance includes which items were drawn)."),
        "",
        "## All scenarios",
        "",
        ("| scenario | naive coverage (superpop.) | design-based coverage (superpop.) | naive width | "
         "design width | naive coverage (finite) | design-based coverage (finite) |"),
        "|---|---|---|---|---|---|---|",
    ]
    for label in wide.index:
        lines.append(f"| {label} | {wide.loc[label, 'naive']:.1%} "
                     f"| {wide.loc[label, 'design-based']:.1%} "
                     f"| {width.loc[label, 'naive']:.4f} | {width.loc[label, 'design-based']:.4f} "
                     f"| {fin.loc[label, 'naive']:.1%} | {fin.loc[label, 'design-based']:.1%} |")
    errors = int(table.groupby("scenario")["errors"].first().sum())
    invalid = int(table["invalid_intervals"].sum())
    lines += [
        "",
        f"Failed calls of `compare_rounds`: {errors}; non-finite interval bounds: {invalid}.",
        "",
        f"**Runtime:** {runtime / 60:.1f} min with {workers} worker processes.",
        (f"**Machine:** `{uname}`; `nproc` = {nproc}; Python {platform.python_version()}, "
         f"NumPy {np.__version__}, pandas {pd.__version__}, survey_analysis "
         f"{getattr(sa, '__version__', 'dev')}."),
        f"**Date:** {_dt.date.today().isoformat()}.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    grid = scenarios()
    seeds = np.random.SeedSequence(SEED).spawn(len(grid))
    tasks = []
    for i, (sc, seq) in enumerate(zip(grid, seeds)):
        full, rest = divmod(args.replicates, CHUNK)
        sizes = [CHUNK] * full + ([rest] if rest else [])
        for size, child in zip(sizes, seq.spawn(len(sizes))):
            tasks.append((i, size, sc, child))
    # Large scenarios first, so the two workers finish together.
    tasks.sort(key=lambda t: -(t[2].m * (2 if t[2].design != "not shared" else 1)))
    results = {i: [] for i in range(len(grid))}
    errors = {i: [] for i in range(len(grid))}
    total = sum(t[1] for t in tasks)
    done, checked, start = 0, 0, time.perf_counter()
    print(f"{len(grid)} scenarios x {args.replicates} replicates on {args.workers} workers",
          flush=True)
    with get_context("fork").Pool(args.workers) as pool:
        for index, values, errs, n_checked in pool.imap_unordered(run_chunk, tasks):
            checked += n_checked
            results[index].append(values)
            errors[index].extend(errs)
            done += len(values) + len(errs)
            elapsed = time.perf_counter() - start
            print(f"\r{done}/{total} replicates  {elapsed:6.0f} s elapsed, "
                  f"~{elapsed / done * (total - done):5.0f} s left", end="", flush=True)
    runtime = time.perf_counter() - start
    print(f"\n{checked} replicates checked against compare_rounds itself: identical")
    rows = []
    for i, sc in enumerate(grid):
        if errors[i]:
            print(f"{sc.label}: {len(errors[i])} failed calls, first: {errors[i][0]}")
        rows += summarise(sc, np.concatenate(results[i]), len(errors[i]))
    table = pd.DataFrame(rows)
    table.to_csv(OUT / "rounds_coverage.csv", index=False)
    plot(table, OUT / "rounds_coverage.png", args.replicates)
    write_markdown(table, OUT / "rounds_coverage.md", args.replicates, runtime, args.workers,
                   checked)
    show = table.loc[table["estimand"] == "superpopulation"].pivot_table(
        index="scenario", columns="method", values="coverage", sort=False)
    print(show.round(3).to_string())
    print(f"runtime {runtime:.0f} s; wrote {OUT / 'rounds_coverage.csv'}, .png, .md")


if __name__ == "__main__":
    main(sys.argv[1:])
