"""The Dask engine on a cluster (issue 25): ``scheduler=`` connects a ``distributed.Client``,
and the counts and ledger are the DuckDB engine's and the loader's, repeats across
partitions included. No test needs a terminal, and none is timed."""

import io
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import survey_analysis as sa
from survey_analysis.load.engines import source_level_counts
from survey_analysis.words import SurveyError

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pytest.importorskip("duckdb")


@pytest.fixture(scope="module")
def cluster():
    """A cluster reached through a TCP address, as a real one is (workers in this process:
    quick to start); closed after the module's tests."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp",
                                  dashboard_address=None) as local:
        yield local


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    """A small long file: totals and blank rows, missing ratings, don't-know answers,
    look-alike ids, weights, and a folder of it in four parts."""
    rng = np.random.default_rng(25)
    size = 2000
    items = np.array([f"I{j:02d}" for j in rng.integers(0, 40, size)], dtype=object)
    items[[5, 6]] = ["合计", "Ｉ01"]
    ratings = np.array(["满意", "基本满意", "不满意", "不了解", " 满意 ", ""], dtype=object)[
        rng.choice(6, size, p=[0.6, 0.25, 0.07, 0.04, 0.02, 0.02])]
    frame = pd.DataFrame({"respondent_id": [f"R{i}" for i in range(size)], "item_id": items,
                          "community": [f"C{int(i[-1]) % 3}" if i[-1].isdigit() else "C0" for i in items],
                          "rating": ratings, "weight": rng.uniform(0.5, 3.0, size).round(3)})
    folder = tmp_path_factory.mktemp("dask_cluster")
    frame.to_parquet(folder / "answers.parquet")
    parts = folder / "parts"
    parts.mkdir()
    for number, start in enumerate(range(0, size, 500)):
        frame.iloc[start:start + 500].to_parquet(parts / f"part-{number}.parquet")
    return folder


def _ledger(report):
    return report.rows_read, report.rows_kept, dict(report.excluded)


def test_the_dask_engine_on_a_cluster_gives_the_duckdb_counts(cluster, answers):
    address = cluster.scheduler_address
    for source in (answers / "answers.parquet", answers / "parts"):
        for options in ({}, {"weight": "weight", "keys": ("item_id", "community")}):
            expected, duck = source_level_counts(source, engine="duckdb", **options)
            counts, report = source_level_counts(source, engine="dask", scheduler=address, **options)
            pd.testing.assert_frame_equal(counts, expected, check_exact=False, rtol=1e-12)
            assert _ledger(report) == _ledger(duck) and report.engine == "dask"
    # A scheduler named, the automatic choice is Dask; the design and its estimates follow.
    survey = sa.Survey(answers / "answers.parquet", scheduler=address)
    assert survey.report.engine == "dask" and survey.options["scheduler"] == address
    pd.testing.assert_frame_equal(survey.item_rates(), sa.item_rates(answers / "answers.parquet"))
    # A Dask DataFrame of several partitions, counted on the cluster.
    frame = dd.read_parquet(str(answers / "parts"))
    assert frame.npartitions > 1
    counts, _ = source_level_counts(frame, scheduler=address)
    pd.testing.assert_frame_equal(counts, source_level_counts(answers / "parts", engine="duckdb")[0])


def test_repeats_across_partitions_as_duckdb_and_the_loader(cluster, tmp_path):
    # SX001 answers A in the first partition and, written full-width, again in the last:
    # one respondent (ids compared by their key), the second answer the repeat.
    frame = pd.DataFrame({"item_id": ["A", "B", "A", "B", "C", "A"],
                          "respondent_id": ["SX001", "SX002", "SX003", "SX001", "SX004", "ＳＸ001"],
                          "rating": ["满意", "不满意", "满意", "满意", "基本满意", "不满意"]})
    path = tmp_path / "repeats.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    split = dd.from_pandas(frame, npartitions=3, sort=False)
    with pytest.raises(SurveyError, match=r"item 'A', respondent 'SX001': 2 rows"):
        source_level_counts(split, engine="dask", scheduler=cluster.scheduler_address)
    loader = sa.load_responses(path, duplicates="keep_first").attrs["load_report"]
    _, duck = source_level_counts(path, engine="duckdb", duplicates="keep_first")
    counts, report = source_level_counts(split, engine="dask", scheduler=cluster.scheduler_address,
                                         duplicates="keep_first")
    assert _ledger(report) == _ledger(duck) == (loader.rows_read, loader.rows_kept,
                                                loader.excluded_by_reason().to_dict()) == (6, 5, {"duplicate": 1})
    kept = counts.groupby(["item_id", "rank"], observed=True)["n"].sum().to_dict()
    assert kept == {("A", 1): 2, ("B", 1): 1, ("B", 3): 1, ("C", 2): 1}  # 不满意 of ＳＸ001 dropped


def test_a_scheduler_that_cannot_be_reached_is_named(answers):
    import dask

    address = "tcp://127.0.0.1:9"  # the discard port: nothing listens there
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        with pytest.raises(SurveyError, match="tcp://127.0.0.1:9") as info:
            source_level_counts(answers / "answers.parquet", engine="dask", scheduler=address)
    assert info.value.code == "load.dask.scheduler" and "scheduler='tcp://127.0.0.1:9'" in str(info.value)
    with pytest.raises(SurveyError, match="engine='duckdb'"):
        source_level_counts(answers / "answers.parquet", engine="duckdb", scheduler=address)


def test_progress_only_for_a_person_watching(answers, capsys, monkeypatch):
    # No terminal: nothing on stderr. A terminal: a short count shows no bar either (the
    # bar waits a few seconds), and the counts are the same.
    frame = dd.read_parquet(str(answers / "parts"))
    quiet, _ = source_level_counts(frame, engine="dask")
    assert capsys.readouterr().err == ""

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())
    watched, _ = source_level_counts(frame, engine="dask")
    assert sys.stderr.getvalue() == ""
    pd.testing.assert_frame_equal(watched, quiet)


def test_engine_and_scheduler_flags_parse():
    from survey_analysis.design.options import DESIGN_OPTIONS
    from survey_analysis.present.cli import build_parser

    if DESIGN_OPTIONS["scheduler"].flag is None:
        pytest.skip("--engine and --scheduler come with analyze(engine=, scheduler=) (see options.py)")
    args = build_parser().parse_args(["report", "answers.parquet", "--engine", "dask",
                                      "--scheduler", "tcp://10.0.0.5:8786"])
    assert (args.analysis_engine, args.analysis_scheduler) == ("dask", "tcp://10.0.0.5:8786")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["report", "answers.parquet", "--engine", "spark"])
