"""DuckDB and Dask engines give exactly the pandas results, without loading rows into pandas."""

import numpy as np
import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis.load.engines import CountsReport, label_counts

duckdb = pytest.importorskip("duckdb")


@pytest.fixture(scope="module")
def raw():
    """Long-format answers with weights, strata, don't-know and blank answers (generated here)."""
    rng = np.random.default_rng(3)
    size = 3000
    items = rng.integers(0, 60, size)
    ratings = np.array(["满意", "基本满意", "不满意", "不了解", " 满意 ", ""])[
        rng.choice(6, size, p=[0.6, 0.25, 0.07, 0.04, 0.02, 0.02])]
    return pd.DataFrame({
        "respondent_id": [f"R{i}" for i in range(size)],
        "item_id": [f"I{j:02d}" for j in items],
        "community": [f"C{j % 4}" for j in items],  # items nested in 4 communities
        "rating": ratings,
        "weight": rng.uniform(0.5, 3.0, size).round(3),
    })


@pytest.fixture(scope="module")
def files(raw, tmp_path_factory):
    folder = tmp_path_factory.mktemp("engines")
    raw.to_parquet(folder / "answers.parquet")
    raw.to_csv(folder / "answers.csv", index=False)
    parts = folder / "dataset"
    parts.mkdir()
    for number, start in enumerate(range(0, len(raw), 750)):
        raw.iloc[start:start + 750].to_parquet(parts / f"part-{number}.parquet")
    return folder


@pytest.fixture(scope="module")
def tidy(raw):
    return sa.load_responses(raw, keep_columns=["community"])


@pytest.mark.parametrize("name", ["answers.parquet", "answers.csv", "dataset"])
def test_item_rates_from_files_equal_pandas(files, tidy, name):
    # Tidy responses use their "weight" column by default; a file's weight must be named.
    expected = sa.item_rates(tidy, weight=False)
    got = sa.item_rates(files / name)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True))
    weighted = sa.item_rates(files / name, weight="weight")
    assert {"weight_sum", "n_effective"} <= set(weighted.columns)
    pd.testing.assert_frame_equal(weighted.reset_index(drop=True),
                                  sa.item_rates(tidy).reset_index(drop=True), rtol=1e-12)


def test_ledger_balances_and_matches_the_loader(files, tidy):
    got = sa.item_rates(files / "answers.parquet")
    report = got.attrs["load_report"]
    assert isinstance(report, CountsReport)
    loader = tidy.attrs["load_report"]
    assert report.rows_read == loader.rows_read == 3000
    assert report.rows_kept == loader.rows_kept
    assert report.excluded_by_reason().to_dict() == loader.excluded_by_reason().to_dict()


def test_overall_rate_weighted_and_stratified_from_files(files, tidy):
    expected = sa.overall_rate(tidy, strata="community", weight="weight").to_frame()
    got = sa.overall_rate(files / "answers.parquet", strata="community", weight="weight").to_frame()
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)


def test_unknown_label_and_bad_weight_errors(tmp_path, raw):
    bad = raw.copy()
    bad.loc[5, "rating"] = "好极了"
    bad.to_parquet(tmp_path / "bad.parquet")
    with pytest.raises(ValueError, match=r"no preset scale covers the answers '好极了'"):
        sa.item_rates(tmp_path / "bad.parquet")
    # On a given scale, the label is an unknown label of that scale, with its count.
    with pytest.raises(ValueError, match=r"unknown rating labels \(scale cn3\): '好极了' x1"):
        sa.Survey(tmp_path / "bad.parquet", scale="cn3")
    bad = raw.copy()
    bad.loc[[0, 1], "weight"] = [-1.0, np.nan]
    bad.loc[[0, 1], "rating"] = "满意"
    bad.to_parquet(tmp_path / "weights.parquet")
    with pytest.raises(ValueError, match="2 row\\(s\\) have an empty, non-numeric or negative weight"):
        sa.overall_rate(tmp_path / "weights.parquet", weight="weight").to_frame()
    # Weights of 0 are kept, as in R: the same figures from the file and from tidy responses.
    zero = raw.copy()
    zero.loc[[0, 5, 9], "weight"] = 0.0
    zero.to_parquet(tmp_path / "zero.parquet")
    for engine in ("duckdb", "dask"):
        got = sa.overall_rate(tmp_path / "zero.parquet", weight="weight", engine=engine).to_frame()
        expected = sa.overall_rate(sa.load_responses(zero), weight="weight").to_frame()
        pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)


def test_label_quotes_are_escaped(tmp_path):
    frame = pd.DataFrame({"item_id": ["a", "a", "b"], "rating": ["满意", "it's", "不满意"]})
    frame.to_parquet(tmp_path / "quote.parquet")
    with pytest.raises(ValueError, match="it's"):
        sa.item_rates(tmp_path / "quote.parquet")


def test_missing_file_and_bad_engine(tmp_path):
    with pytest.raises(FileNotFoundError):
        sa.item_rates(tmp_path / "nope.parquet")
    with pytest.raises(ValueError, match="unknown engine 'spark'"):
        label_counts(tmp_path / "nope.parquet", engine="spark")


def test_label_counts_table(files):
    table = label_counts(files / "answers.parquet", by=["item_id"])
    assert set(table.columns) == {"item_id", "rating", "rows"} and table["rows"].sum() == 3000


def test_label_counts_call_the_same_weights_bad_in_every_engine(tmp_path):
    # A missing, infinite or negative weight is bad (the loader refuses each); the pandas
    # count let an infinite weight through where DuckDB's counted it.
    frame = pd.DataFrame({"item_id": ["A", "A", "B", "B"], "rating": ["满意", "不满意", "满意", "不满意"],
                          "w": [1.0, np.inf, -1.0, np.nan]})
    frame.to_parquet(tmp_path / "w.parquet")
    for source in (frame, tmp_path / "w.parquet"):
        table = label_counts(source, weight="w").sort_values(["item_id", "rating"])
        assert table["bad_weights"].tolist() == [1, 0, 1, 1], source   # A 不满意, A 满意, B 不满意, B 满意


def test_dask_dataframe_on_a_local_cluster(files, tidy):
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster):
        frame = dd.read_parquet(str(files / "dataset"))
        assert frame.npartitions >= 2
        got = sa.item_rates(frame)
        overall = sa.overall_rate(frame, strata="community", weight="weight").to_frame()
    pd.testing.assert_frame_equal(got.reset_index(drop=True), sa.item_rates(tidy, weight=False).reset_index(drop=True))
    pd.testing.assert_frame_equal(overall, sa.overall_rate(tidy, strata="community", weight="weight").to_frame(),
                                  check_exact=False, rtol=1e-12)


def test_source_counts_dask_engine_on_parquet_path(files, tidy):
    pytest.importorskip("dask.dataframe")
    counts = sa.satisfaction_counts(files / "answers.parquet", engine="dask")
    report = counts.attrs["load_report"]
    assert report.engine == "dask" and report.rows_read == 3000
    expected = sa.satisfaction_counts(tidy)
    pd.testing.assert_frame_equal(counts[["item_id", "n", "satisfied"]].reset_index(drop=True),
                                  expected[["item_id", "n", "satisfied"]].astype({"item_id": object})
                                  .reset_index(drop=True), check_dtype=False)


def test_items_on_different_scales_read_alike_by_engine_and_loader(tmp_path):
    # Q1 on the "easy" scale, Q2 on the "good" scale, Q3 only "Don't know": no single preset
    # covers the sheet, so each item's scale comes from its own answers, in both paths.
    frame = pd.DataFrame({"item_id": ["Q1"] * 3 + ["Q2"] * 3 + ["Q3"],
                          "rating": ["Very easy", "Not very easy", "Haven't tried", "Very good",
                                     "Very poor", "Fairly good", "Don't know"]})
    frame.to_parquet(tmp_path / "two.parquet")
    engine = sa.Survey(tmp_path / "two.parquet")
    loader = sa.Survey(sa.load_responses(frame))
    # Q1: Very easy (satisfied), Not very easy; Q2: Very good, Fairly good satisfied, Very poor not.
    expected = {"item_id": ["Q1", "Q2"], "n": [2, 3], "satisfied": [1, 2]}
    columns = ["item_id", "n", "satisfied"]
    assert engine.counts()[columns].astype({"item_id": object}).to_dict("list") == expected
    assert loader.counts()[columns].astype({"item_id": object}).to_dict("list") == expected
    assert engine.report.item_scales == {"Q1": "easy4_en", "Q2": "good5_en"}
    assert engine.report.excluded_by_reason().to_dict() == {"dont_know": 2}
    given = sa.Survey(tmp_path / "two.parquet", scale={"Q1": "easy4_en", "Q2": "good5_en"})
    assert given.counts()[columns].astype({"item_id": object}).to_dict("list") == expected


def test_report_of_a_long_file_never_loads_rows_into_pandas(files, tidy, tmp_path, monkeypatch):
    """analyze / report of Parquet or a long CSV count in DuckDB: the loader is never called."""
    import survey_analysis.analysis as analysis_module

    def refuse(*args, **kwargs):
        raise AssertionError("the loader (a pandas frame of every row) was used")

    monkeypatch.setattr(analysis_module, "load_responses", refuse)
    for name in ("answers.parquet", "answers.csv"):
        a = sa.analyze(files / name)
        assert a.report.engine == "duckdb" and a.report.rows_read == 3000
        # The file's "weight" column is the weight, as the loader takes it from a sheet.
        assert a.survey.weight == "weight"
        expected = sa.overall_rate(tidy).to_frame()
        assert a.overall.pooled.estimate == pytest.approx(expected.loc[0, "estimate"], rel=1e-12)
    # A sheet that is not long (its header does not name item_id and rating) goes to the loader.
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("事项,满意度\nA,满意\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="the loader"):
        sa.analyze(sheet)


def test_long_csv_without_duckdb_goes_to_the_loader(files, monkeypatch):
    """The base install has no DuckDB (an optional extra): a long CSV is then read by the loader."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "duckdb" else real(name, *a))
    a = sa.analyze(files / "answers.csv")
    # The loader's ledger: no engine, the line of every excluded row.
    assert a.report.engine is None and a.report.has_lines and a.report.rows_read == 3000
