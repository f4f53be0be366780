"""Issue 14, estimates / engines / claims: each hostile case of ``hostile.estimates`` built
into ``tmp_path`` and its outcome asserted (error type, message parts, ledger counts)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from hostile.estimates import CASES

import survey_analysis as sa
from survey_analysis.load.engines import source_level_counts
from survey_analysis.load.report import ResponseFileError

pytest.importorskip("duckdb")
dd = pytest.importorskip("dask.dataframe")

BUILD = {case.build.__name__: case.build for case in CASES}


def build(tmp_path, name):
    return BUILD[name](tmp_path)


def test_every_case_is_built_and_named():
    numbers = sorted({case.number for case in CASES})
    assert numbers == [6, 7, 9, 33, 34, 35]  # the brief's case numbers
    for case in CASES:
        assert case.outcome and case.title


def _loader_ledger(path, **options):
    """rows read, kept and excluded by reason, from load_responses (the reference)."""
    report = sa.load_responses(path, **options).attrs["load_report"]
    return report.rows_read, report.rows_kept, report.excluded_by_reason().to_dict()


def _engine_counts(path, engine, **options):
    """(counts, report) of ``path`` counted by ``engine``: DuckDB reads the file; pandas and
    Dask get its rows as a raw frame of text (what a user would hand them)."""
    if engine == "duckdb":
        return source_level_counts(path, engine="duckdb", **options)
    raw = (pd.read_parquet(path) if path.suffix == ".parquet"
           else pd.read_csv(path, dtype=str, keep_default_na=False))
    source = raw if engine == "pandas" else dd.from_pandas(raw, npartitions=2)
    return source_level_counts(source, engine=engine, **options)


def _ledger(report):
    return report.rows_read, report.rows_kept, dict(report.excluded)


ENGINES = ["duckdb", "pandas", "dask"]


# --- case 6: duplicate answers --------------------------------------------------------

@pytest.mark.parametrize("name", ["duplicate_answer_csv", "duplicate_answer_parquet"])
@pytest.mark.parametrize("engine", ENGINES)
def test_6_duplicate_answer_is_an_error_naming_the_pair(tmp_path, name, engine):
    path = build(tmp_path, name)
    with pytest.raises(ResponseFileError) as error:
        _engine_counts(path, engine)
    message = str(error.value)
    # The file's only repeat: respondent 2 answers item A on lines 3 and 5.
    assert "1 duplicate respondent x item row(s) in 1 pair(s)" in message
    assert "item 'A', respondent '2': 2 rows" in message
    assert "duplicates='keep_first' keeps" in message and "CLI" not in message  # keywords only
    assert error.value.column == "respondent_id"


@pytest.mark.parametrize("name", ["duplicate_answer_csv", "duplicate_answer_parquet"])
def test_6_item_rates_and_overall_rate_on_the_file_refuse_it(tmp_path, name):
    path = build(tmp_path, name)
    with pytest.raises(ResponseFileError, match="1 duplicate respondent x item row"):
        sa.item_rates(path)
    with pytest.raises(ResponseFileError, match="1 duplicate respondent x item row"):
        sa.overall_rate(path).to_frame()


@pytest.mark.parametrize("name", ["duplicate_answer_csv", "duplicate_answer_parquet"])
def test_6_analyze_and_cli_refuse_the_file(tmp_path, name, capsys):
    from survey_analysis.present.cli import main

    path = build(tmp_path, name)
    with pytest.raises(ValueError, match="duplicate respondent x item row"):
        sa.analyze(path)
    assert main(["report", str(path), "-o", str(tmp_path / "out")]) == 1  # an error in the file
    err = capsys.readouterr().err
    assert "duplicate respondent x item row" in err and "--duplicates keep_first" in err
    if path.suffix == ".csv":  # the count names pairs; the loader then names the lines
        assert "line 5, column 'respondent_id'" in err


def test_6_cli_keep_first_on_a_long_csv_works(tmp_path, capsys):
    from survey_analysis.present.cli import main

    path = build(tmp_path, "duplicate_answer_csv")
    assert main(["report", str(path), "--duplicates", "keep_first", "-o", str(tmp_path / "out")]) == 0
    # 1 of the 5 answers is a repeat: over the 5% warning share.
    assert "duplicate excludes 1 of 5 answers" in capsys.readouterr().out


def test_6_analyze_keep_first_on_parquet(tmp_path):
    analysis = sa.analyze(build(tmp_path, "duplicate_answer_parquet"), duplicates="keep_first")
    assert analysis.report.excluded == {"duplicate": 1}


@pytest.mark.parametrize("name", ["duplicate_answer_csv", "duplicate_answer_parquet"])
@pytest.mark.parametrize("engine", ENGINES)
def test_6_keep_first_gives_the_loaders_ledger_and_counts(tmp_path, name, engine):
    path = build(tmp_path, name)
    counts, report = _engine_counts(path, engine, duplicates="keep_first")
    # 5 data rows (lines 2-6); the second answer of respondent 2 to A (line 5) is excluded.
    assert _ledger(report) == (5, 4, {"duplicate": 1})
    assert _loader_ledger(path, duplicates="keep_first") == (5, 4, {"duplicate": 1})
    assert report.rows_read == report.rows_kept + report.rows_excluded
    # The FIRST answer is kept: A has 满意 (line 2) and 满意 (line 3), not 不满意 (line 5).
    a = counts.loc[counts["item_id"] == "A"]
    assert a[["rank", "n"]].values.tolist() == [[1, 2]]


def test_6_keep_first_through_item_rates(tmp_path):
    path = build(tmp_path, "duplicate_answer_csv")
    rates = sa.item_rates(path, duplicates="keep_first")
    # A: lines 2 and 3 (满意, 满意) kept; B: 不满意 and 基本满意 -> 1 of 2 satisfied (cn3).
    assert rates[["item_id", "n", "satisfied"]].values.tolist() == [["A", 2, 2], ["B", 2, 1]]
    assert rates.attrs["load_report"].excluded == {"duplicate": 1}


def test_6_every_fix_the_message_proposes_is_accepted(tmp_path):
    path = build(tmp_path, "duplicate_answer_parquet")
    # A: lines 2 and 3 kept (满意, 满意); B: 不满意, 基本满意 -> 1 satisfied (cn3 convention).
    counts = sa.satisfaction_counts(path, duplicates="keep_first")
    assert counts.values.tolist() == [["A", 2, 2], ["B", 2, 1]]
    assert sa.overall_rate(path, duplicates="keep_first").to_frame()["n_responses"].iloc[0] == 4
    survey = sa.Survey(path, duplicates="keep_first")
    assert survey.report.excluded == {"duplicate": 1}
    # A recount (new groups) keeps the choice.
    assert survey.with_options(groups=["respondent_id"]).report.excluded == {"duplicate": 1}
    with pytest.raises(ValueError, match="duplicates"):
        sa.Survey(path, duplicates="drop")


# --- case 7: totals rows ------------------------------------------------------------

@pytest.mark.parametrize("engine", ENGINES)
def test_7_totals_rows_are_excluded_as_the_loader_does(tmp_path, engine):
    path = build(tmp_path, "totals_rows_csv")
    counts, report = _engine_counts(path, engine)
    # 7 data rows (lines 2-8): 4 answers; 合计 (item cell), Total: (respondent cell) and
    # 平均 (first cell, the 序号 column) are totals rows.
    assert _ledger(report) == (7, 4, {"summary_row": 3})
    assert _loader_ledger(path) == (7, 4, {"summary_row": 3})
    assert "合计" not in set(counts["item_id"])
    assert sorted(set(counts["item_id"])) == ["A", "B"]
    assert report.rows_read == report.rows_kept + report.rows_excluded


def test_7_item_rates_on_the_file_has_no_totals_item(tmp_path):
    path = build(tmp_path, "totals_rows_csv")
    rates = sa.item_rates(path)
    # A: 满意, 不满意 -> 1 of 2; B: 满意, 基本满意 -> 2 of 2 (the Total: row excluded).
    assert rates[["item_id", "n", "satisfied"]].values.tolist() == [["A", 2, 1], ["B", 2, 2]]


@pytest.mark.parametrize("name", ["duplicate_answer_csv", "duplicate_answer_parquet",
                                  "totals_rows_csv", "all_excluded_csv"])
@pytest.mark.parametrize("engine", ENGINES)
def test_rows_read_equal_kept_plus_excluded_on_every_engine(tmp_path, name, engine):
    path = build(tmp_path, name)
    options = {"duplicates": "keep_first"} if "duplicate" in name else {}
    _, report = _engine_counts(path, engine, **options)
    read, kept, excluded = _loader_ledger(path, **options)
    assert report.rows_read == report.rows_kept + sum(report.excluded.values())
    assert (report.rows_read, report.rows_kept, dict(sorted(report.excluded.items()))) == \
        (read, kept, dict(sorted(excluded.items())))


def test_duckdb_says_what_it_does_not_check_on_csv_and_nothing_on_parquet(tmp_path):
    _, csv_report = _engine_counts(build(tmp_path, "totals_rows_csv"), "duckdb")
    assert "a CSV line with nothing on it" in csv_report.not_checked
    assert "not checked by this count" in str(csv_report)
    _, parquet_report = _engine_counts(build(tmp_path, "duplicate_answer_parquet"), "duckdb",
                                       duplicates="keep_first")
    assert parquet_report.not_checked == ""


# --- case 33: missing columns -------------------------------------------------------

def test_33_missing_rating_column_is_named_with_the_columns_found(tmp_path):
    path = build(tmp_path, "missing_rating_column_csv")
    for call in (lambda: sa.item_rates(path), lambda: sa.overall_rate(path).to_frame(),
                 lambda: _engine_counts(path, "pandas"), lambda: _engine_counts(path, "dask")):
        with pytest.raises(ResponseFileError) as error:
            call()
        message = str(error.value)
        assert "'rating' (given as rating=) not found" in message
        assert "['item_id', 'respondent_id', '评分']" in message
        assert error.value.column == "rating"


def test_33_label_counts_names_the_missing_column(tmp_path):
    from survey_analysis.load.engines import label_counts

    path = build(tmp_path, "missing_rating_column_csv")
    with pytest.raises(ResponseFileError, match=r"'rating' \(given as rating=\) not found; the columns "
                       r"are \['item_id', 'respondent_id', '评分'\]"):
        label_counts(path)


def test_33_unknown_item_column_is_named(tmp_path):
    path = build(tmp_path, "duplicate_answer_parquet")
    with pytest.raises(ResponseFileError, match=r"'nope' \(given as item=\) not found; the columns are "
                       r"\['item_id', 'respondent_id', 'rating'\]"):
        sa.item_rates(path, item="nope")
    with pytest.raises(ResponseFileError, match=r"'区' \(given as cluster/strata/groups=\) not found"):
        sa.overall_rate(path, strata="区").to_frame()
    with pytest.raises(ResponseFileError, match=r"'w' \(given as weight=\) not found"):
        sa.item_rates(path, weight="w")


# --- case 9: NaN and huge weights ----------------------------------------------------

def _tidy(path):
    return pd.read_csv(path, dtype={"item_id": str, "respondent_id": str})


def test_9_nan_weight_is_refused_naming_its_line(tmp_path):
    tidy = _tidy(build(tmp_path, "tidy_nan_weight"))
    for call in (sa.overall_rate, sa.item_rates):
        with pytest.raises(ValueError, match=r"weight column 'weight' must hold finite numbers >= 0: "
                           r"1 missing or non-numeric \(lines 3; first nan\)"):
            call(tidy)


def test_9_huge_weights_are_rescaled_and_give_the_rescaled_results(tmp_path):
    tidy = _tidy(build(tmp_path, "tidy_huge_weights"))
    small = tidy.assign(weight=tidy["weight"] / 1e200)  # 1, 3, 2, 2, 1, 4
    with np.errstate(all="raise"):  # no overflow anywhere
        huge_overall, small_overall = sa.overall_rate(tidy).to_frame(), sa.overall_rate(small).to_frame()
        huge_items, small_items = sa.item_rates(tidy), sa.item_rates(small)
    columns = ["estimate", "ci_low", "ci_high", "design_effect", "kish_n_effective"]
    assert np.isfinite(huge_overall[["estimate", "ci_low", "ci_high"]].to_numpy(float)).all()
    np.testing.assert_allclose(huge_overall[columns].to_numpy(float),
                               small_overall[columns].to_numpy(float), rtol=1e-12)
    item_columns = ["rate", "ci_low", "ci_high", "n_effective"]
    np.testing.assert_allclose(huge_items[item_columns].to_numpy(float),
                               small_items[item_columns].to_numpy(float), rtol=1e-12)
    # The pooled rate is (1 + 2 + 2 + 4) / (1 + 3 + 2 + 2 + 1 + 4) = 9/13 of the weight.
    assert huge_overall["estimate"].iloc[0] == pytest.approx(9 / 13)
    assert sa.Survey(tidy).weight_unit == 4e200  # the largest weight


def test_9_huge_weights_calibrate_and_trim_as_their_rescaled_copies(tmp_path):
    # Calibration starts from the weights as written, not from them times weight_unit (which
    # gave weight_before 4e400 -> inf and "every weight is outside" from trim).
    tidy = _tidy(build(tmp_path, "tidy_huge_weights"))
    small = tidy.assign(weight=tidy["weight"] / 1e200)  # 1, 3, 2, 2, 1, 4
    population = {item: 2 * w for item, w in small.groupby("item_id")["weight"].sum().items()}
    huge_step = sa.Survey(tidy).poststratify("item_id", {k: v * 1e200 for k, v in population.items()})
    small_step = sa.Survey(small).poststratify("item_id", population)
    huge_cal, small_cal = huge_step.calibration.to_frame(), small_step.calibration.to_frame()
    np.testing.assert_allclose(huge_cal["weight_before"], small_cal["weight_before"] * 1e200, rtol=1e-12)
    np.testing.assert_allclose(huge_cal["factor"], small_cal["factor"], rtol=1e-12)
    assert (small_cal["factor"] == 2).all()          # each item's population is twice its weight
    trimmed_huge = sa.Survey(tidy).trim(upper=3.5e200).overall().to_frame()
    trimmed_small = sa.Survey(small).trim(upper=3.5).overall().to_frame()
    np.testing.assert_allclose(trimmed_huge[["estimate", "ci_low", "ci_high"]].to_numpy(float),
                               trimmed_small[["estimate", "ci_low", "ci_high"]].to_numpy(float), rtol=1e-12)


# --- case 34: negative weights ---------------------------------------------------------

def test_34_negative_weight_in_a_frame_is_called_negative(tmp_path):
    tidy = _tidy(build(tmp_path, "tidy_negative_weight"))
    for call in (sa.overall_rate, sa.item_rates, sa.Survey):
        with pytest.raises(ValueError, match=r"weight column 'weight' must hold finite numbers >= 0: "
                           r"1 negative \(lines 4; first -2\)"):
            call(tidy)
    # The weight column's row 2 (0-based; line 4 of the file) holds -2.
    with pytest.raises(ValueError, match=r"weights must be finite and >= 0: 1 negative \(rows 2; first -2\)"):
        sa.kish_effective_n(tidy["weight"])


@pytest.mark.parametrize("engine", ENGINES)
def test_34_negative_weight_in_a_file_names_the_column(tmp_path, engine):
    path = build(tmp_path, "negative_weight_long_csv")
    with pytest.raises(ResponseFileError, match="1 row\\(s\\) have an empty, non-numeric or negative "
                       "weight") as error:
        _engine_counts(path, engine, weight="weight")
    assert "successes must not exceed trials" not in str(error.value)
    # The loader names the line: line 3 holds -1.
    with pytest.raises(ResponseFileError, match="'-1', lines 3"):
        sa.load_responses(path)


def test_34_negative_count_in_a_counts_table(tmp_path):
    path = build(tmp_path, "negative_counts_csv")
    with pytest.raises(ResponseFileError, match="n must be a whole number >= 0") as error:
        sa.Survey.from_counts(path)
    assert (error.value.line, error.value.column) == (3, "n")


# --- case 35: nothing to check -----------------------------------------------------------

def test_35_check_claims_on_no_valid_answer_says_there_is_nothing_to_check(tmp_path):
    tidy = sa.load_responses(build(tmp_path, "all_excluded_csv"))
    assert len(tidy) == 0
    with pytest.raises(ValueError, match=r"no valid answer \(rows read 4, kept 0; excluded: "
                       r"dont_know 2, missing_rating 2\), so there is nothing to check"):
        sa.check_claims(tidy, sa.load_published_claims())
    empty_frame = sa.load_synthetic_responses().iloc[:0]
    with pytest.raises(ValueError, match="nothing to check"), \
            pytest.warns(sa.SurveyWarning, match="changed after loading"):
        sa.check_claims(empty_frame, sa.load_published_claims())
    with pytest.raises(ValueError, match="the claims table has no rows"):
        sa.check_claims(sa.load_synthetic_responses(), sa.load_published_claims().iloc[:0])


def test_35_items_at_100_on_no_rows_is_an_empty_well_formed_table(tmp_path):
    tidy = sa.load_responses(build(tmp_path, "all_excluded_csv"))
    table = sa.items_at_100(sa.item_rates(tidy))
    assert table.columns.tolist() == ["item_id", "n", "satisfied", "lower_bound"]
    assert len(table) == 0
    with pytest.raises(ValueError, match=r"needs a table of item rates with columns 'n' and "
                       r"'satisfied'.*\['n', 'satisfied'\] not found among \[\]"):
        sa.items_at_100(pd.DataFrame())


# --- all satisfied, all dissatisfied -------------------------------------------------------

def _uniform(label):
    # Item A has 5 answers, item B 3; every answer is ``label``.
    frame = pd.DataFrame({"item_id": ["A"] * 5 + ["B"] * 3, "respondent_id": [str(i) for i in range(8)],
                          "rating": [label] * 8})
    return sa.load_responses(frame)


@pytest.mark.parametrize("method", ["wilson", "wilson_cc", "clopper_pearson", "mid_p", "jeffreys",
                                    "agresti_coull", "wald"])
def test_item_rates_at_n_of_n_and_0_of_n_are_finite(method):
    with np.errstate(all="raise"):
        full, none = sa.item_rates(_uniform("满意"), method=method), sa.item_rates(_uniform("不满意"), method=method)
    for table, rate in ((full, 1.0), (none, 0.0)):
        bounds = table[["ci_low", "ci_high"]].to_numpy(float)
        assert np.isfinite(bounds).all() and (bounds >= 0).all() and (bounds <= 1).all()
        assert (table["rate"] == rate).all()
        assert ((table["ci_low"] <= rate) & (rate <= table["ci_high"])).all()
    assert (full["ci_high"] == 1).all() and (none["ci_low"] == 0).all()
    if method == "clopper_pearson":
        # Exact bounds: 5 of 5 -> 0.025 ** (1/5); 0 of 5 -> 1 - 0.025 ** (1/5).
        assert full["ci_low"].iloc[0] == pytest.approx(0.025 ** (1 / 5))
        assert none["ci_high"].iloc[0] == pytest.approx(1 - 0.025 ** (1 / 5))


@pytest.mark.parametrize("method", ["logit", "beta"])
@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_overall_rate_at_n_of_n_and_0_of_n_is_finite(method, alternative):
    with np.errstate(all="raise"):
        full = sa.overall_rate(_uniform("满意"), method=method, alternative=alternative).to_frame()
        none = sa.overall_rate(_uniform("不满意"), method=method, alternative=alternative).to_frame()
    for table, rate in ((full, 1.0), (none, 0.0)):
        assert np.isfinite(table[["estimate", "ci_low", "ci_high"]].to_numpy(float)).all()
        assert (table["estimate"] == rate).all()
    pooled = full.iloc[0]
    if alternative == "two-sided":
        # Zero design variance: the exact interval of 8 of 8, lower bound 0.025 ** (1/8).
        assert pooled["ci_low"] == pytest.approx(0.025 ** (1 / 8))
        assert none.iloc[0]["ci_high"] == pytest.approx(1 - 0.025 ** (1 / 8))
