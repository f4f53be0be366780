"""One question, one answer: every public estimate gives the same numbers through every door.

The doors: the plain function on tidy responses, on a file (counted by DuckDB), on a
Survey; the Survey's method; ``sa.analyze`` (of the frame, of the file, of the Survey);
and the tables the command line writes (``survey-analysis report``). Two surveys: answers
with clusters nested in strata and respondent weights, and a published table of rounded
percentages per unit (``Survey.from_counts(..., percent=...)``).

The numbers themselves are checked against R elsewhere (tests/test_rates.py,
test_domains.py, test_weights.py, ...); here every door must give *identical* numbers
(to float rounding of a CSV round trip, rel 1e-12), by construction: each door runs the
same function over the same Survey.
"""

import numpy as np
import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis.present.cli import main

DESIGN = {"cluster": "item_id", "strata": "district", "weight": "weight"}
EXACT = {"rtol": 1e-12, "atol": 1e-15}


def _answers(seed: int = 20261206) -> pd.DataFrame:
    """Long answers: 4 districts (strata), 3 items in each (clusters), 8-30 respondents per
    item on the 3-level scale, a channel, weights from 0.5 to 3, and some 不了解."""
    rng = np.random.default_rng(seed)
    rows = []
    for d in range(4):
        for i in range(3):
            item = f"D{d}-I{i}"
            p = rng.uniform(0.75, 0.99)
            for r in range(int(rng.integers(8, 31))):
                u = rng.uniform()
                rating = ("不了解" if u > 0.97 else "满意" if u < p * 0.7 else
                          "基本满意" if u < p else "不满意")
                rows.append({"item_id": item, "respondent_id": f"{item}-{r}", "district": f"D{d}",
                             "channel": ["phone", "visit", "online"][int(rng.integers(3))],
                             "rating": rating, "weight": round(float(rng.uniform(0.5, 3.0)), 3)})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("doors")
    answers = _answers()
    answers.to_csv(folder / "answers.csv", index=False)
    answers.to_parquet(folder / "answers.parquet")
    # Claims an office might publish about these answers.
    pd.DataFrame([
        {"id": "overall", "kind": "overall_rate", "value": 90, "qualifier": "over",
         "quote": "满意率超过90%", "source": "test"},
        {"id": "item", "kind": "item_rate", "value": 95, "qualifier": "over", "item": "D0-I0",
         "quote": "D0-I0 满意率超过95%", "source": "test"},
        {"id": "count", "kind": "n_items", "value": 12, "qualifier": "exact",
         "quote": "12个事项", "source": "test"},
    ]).to_csv(folder / "claims.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def tidy(files):
    return sa.load_responses(files / "answers.csv", keep_columns=["district", "channel"])


@pytest.fixture(scope="module")
def survey(tidy):
    return sa.Survey(tidy, groups=["channel"], **DESIGN)


@pytest.fixture(scope="module")
def report(files, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report"
    assert main(["report", str(files / "answers.csv"), "-o", str(out), "--lang", "en",
                 "--cluster", "item_id", "--strata", "district", "--weight", "weight",
                 "--by", "channel", "--claims", str(files / "claims.csv")]) == 0
    return out


def _csv(folder, name):
    return pd.read_csv(folder / f"{name}.csv", encoding="utf-8-sig")


def _same(tables, columns, key):
    """Every table holds the same numbers in ``columns``, rows matched on ``key``."""
    first = tables[0].sort_values(key).reset_index(drop=True)
    for other in tables[1:]:
        other = other.sort_values(key).reset_index(drop=True)
        assert first[key].astype(str).tolist() == other[key].astype(str).tolist()
        for column in columns:
            np.testing.assert_allclose(other[column].to_numpy(dtype=float),
                                       first[column].to_numpy(dtype=float), err_msg=column, **EXACT)


# -- answers: clusters in strata, weights -------------------------------------------------------
def test_the_file_and_the_frame_are_the_same_survey(files, tidy, survey):
    from_file = sa.Survey(files / "answers.parquet", groups=["channel"], **DESIGN)
    assert from_file.n_responses == survey.n_responses == len(tidy)
    assert from_file.report.excluded == tidy.attrs["load_report"].excluded_by_reason().to_dict()


def test_item_rates(files, tidy, survey, report):
    columns = ["n", "satisfied", "weight_sum", "n_effective", "rate", "ci_low", "ci_high"]
    analysis = sa.analyze(tidy, **DESIGN)
    tables = [sa.item_rates(tidy, weight="weight"),
              sa.item_rates(files / "answers.parquet", weight="weight"),
              sa.item_rates(survey), survey.item_rates(), analysis.item_rates,
              sa.analyze(files / "answers.parquet", **DESIGN).item_rates,
              sa.analyze(survey).item_rates]
    _same(tables, columns, "item_id")
    _same([tables[0], _csv(report, "item_rates")], columns, "item_id")
    assert tables[0]["n_effective"].lt(tables[0]["n"]).any()  # the weights count


def test_item_rates_by_group(files, tidy, survey, report):
    columns = ["n", "satisfied", "rate", "ci_low", "ci_high"]
    tables = [sa.item_rates(tidy, item="channel", weight="weight"),
              sa.item_rates(files / "answers.parquet", item="channel", weight="weight"),
              sa.item_rates(survey, item="channel"), survey.item_rates(by="channel"),
              sa.analyze(tidy, by="channel", **DESIGN).groups, _csv(report, "groups")]
    _same(tables, columns, "channel")


def test_overall(files, tidy, survey, report):
    results = [sa.overall_rate(tidy, **DESIGN), sa.overall_rate(files / "answers.parquet", **DESIGN),
               sa.overall_rate(survey), survey.overall(), sa.analyze(tidy, **DESIGN).overall,
               sa.analyze(files / "answers.parquet", **DESIGN).overall, sa.analyze(survey).overall]
    columns = ["estimate", "se", "ci_low", "ci_high", "df", "design_effect", "kish_n_effective"]
    frames = [r.to_frame().assign(row=range(3)) for r in results] + [
        _csv(report, "overall").assign(row=range(3))]
    _same(frames, columns, "row")
    headline = _csv(report, "headline").set_index("measure")
    pooled = results[0].pooled
    np.testing.assert_allclose(headline.loc["pooled", ["estimate", "ci_low", "ci_high"]].to_numpy(float),
                               [pooled.estimate, pooled.ci_low, pooled.ci_high], **EXACT)
    assert pooled.df == 12 - 4                                    # clusters - strata
    low, high = results[3].confidence_interval(0.9)
    assert pooled.ci_low < low < pooled.estimate < high < pooled.ci_high


def test_items_at_100(files, tidy, survey, report):
    tables = [sa.items_at_100(sa.item_rates(tidy, weight="weight")), sa.items_at_100(survey),
              survey.items_at_100(), sa.analyze(tidy, **DESIGN).items_at_100]
    if len(tables[0]):
        tables.append(_csv(report, "items_at_100"))
    _same(tables, ["n", "satisfied", "lower_bound"], "item_id")


def test_counts(files, tidy, survey):
    tables = [sa.satisfaction_counts(tidy, by="channel", weight="weight"),
              sa.satisfaction_counts(files / "answers.parquet", by="channel", weight="weight"),
              sa.satisfaction_counts(survey, by="channel"), survey.counts("channel")]
    _same(tables, ["n", "satisfied", "weight_sum", "satisfied_weight", "weight_sq_sum"], "channel")


def test_domains_and_tests(files, tidy, survey, report):
    rates = [sa.domain_rates(tidy, "channel", **DESIGN),
             sa.domain_rates(files / "answers.parquet", "channel", **DESIGN),
             sa.domain_rates(survey, "channel"), survey.domain_rates("channel")]
    _same(rates, ["n", "rate", "se", "ci_low", "ci_high", "df"], "channel")
    differences = [sa.domain_differences(tidy, "channel", **DESIGN),
                   sa.domain_differences(survey, "channel"), survey.domain_differences("channel"),
                   sa.pairwise_comparisons(tidy, group="channel", **DESIGN)]
    _same(differences[:3], ["difference", "se", "ci_low", "ci_high", "p_value"], "group_1")
    np.testing.assert_allclose(differences[3]["p_value"], differences[0]["p_value"], **EXACT)
    tests = [sa.rao_scott_test(tidy, "channel", **DESIGN),
             sa.rao_scott_test(files / "answers.parquet", "channel", **DESIGN),
             sa.rao_scott_test(survey, "channel"), survey.rao_scott("channel")]
    comparisons = [sa.compare_groups(tidy, group="channel", **DESIGN),
                   sa.compare_groups(survey, group="channel"), survey.compare("channel"),
                   sa.analyze(tidy, by="channel", **DESIGN).group_test]
    values = [(t.statistic, t.p_value, t.ddf) for t in tests]
    values += [(c.statistic, c.p_value, c.ddf) for c in comparisons]
    np.testing.assert_allclose(np.array(values), np.array([values[0]] * len(values)), **EXACT)


def test_shares_sensitivity_and_chance(files, tidy, survey, report):
    shares = [sa.rating_shares(tidy, by="item_id"), sa.rating_shares(survey, by="item_id"),
              survey.rating_shares(by="item_id"), sa.analyze(tidy, **DESIGN).shares,
              _csv(report, "answer_shares")]
    for table in shares:
        table["key"] = table["item_id"].astype(str) + "/" + table["rank"].astype(str)
    _same(shares, ["count", "n", "share", "ci_low", "ci_high"], "key")
    sensitivity = [sa.definition_sensitivity(tidy, **DESIGN), sa.definition_sensitivity(survey),
                   survey.sensitivity(), sa.analyze(tidy, **DESIGN).sensitivity,
                   _csv(report, "definition_sensitivity")]
    for table in sensitivity:
        table["key"] = table["definition"] + "/" + table["estimand"]
    _same(sensitivity, ["estimate", "ci_low", "ci_high", "df"], "key")
    chances = [sa.chance_of_100(survey), survey.chance_of_100(), sa.analyze(survey).chance]
    if chances[0] is not None:
        for other in chances[1:]:
            np.testing.assert_allclose(other.pmf, chances[0].pmf, **EXACT)


def test_claims(files, tidy, survey, report):
    claims = files / "claims.csv"
    tables = [sa.check_claims(survey, claims), sa.check_claims(sa.Survey(files / "answers.parquet",
                                                                          **DESIGN), claims),
              sa.analyze(tidy, claims=claims, **DESIGN).checks, _csv(report, "claims")]
    for table in tables:
        table["key"] = table["claim_id"] + "/" + table["estimand"]
    _same(tables, ["estimate", "ci_low", "ci_high"], "key")
    assert [t["verdict"].tolist() for t in tables[1:]] == [tables[0]["verdict"].tolist()] * 3
    # The verdict on the overall claim uses the headline's own design (one-sided bounds).
    lower = survey.overall(alternative="greater").pooled
    pooled = tables[0].set_index("key").loc["overall/pooled"]
    assert pooled["ci_low"] == pytest.approx(lower.ci_low, rel=1e-15)


def test_contradicting_options_are_an_error_naming_both(survey):
    with pytest.raises(ValueError, match=r"strata='district'.*strata='channel'"):
        sa.overall_rate(survey, strata="channel")
    with pytest.raises(ValueError, match="with_definition"):
        sa.item_rates(survey, satisfied="top_box")
    # Options that agree with the Survey are fine.
    assert sa.overall_rate(survey, cluster="item_id", strata="district").estimate == \
        survey.overall().estimate
    # So for the calibration functions, which ignored them without a word.
    totals = {d: 100.0 for d in ("D0", "D1", "D2", "D3")}
    for call in (lambda **o: sa.poststratify(survey, "district", totals, **o),
                 lambda **o: sa.rake(survey, {"district": totals}, **o)):
        with pytest.raises(ValueError, match=r"weight='weight'; weight='w2' asks for another design"):
            call(weight="w2")
        with pytest.raises(ValueError, match=r"strata='district'; strata='channel' asks for another design"):
            call(strata="channel")
        calibrated = call(strata="district")
        assert calibrated.strata == "district" and calibrated.calibration is not None


# -- a published table of rounded percentages ----------------------------------------------------
PERCENTS = pd.DataFrame({"unit": ["甲", "乙", "丙", "丁", "戊", "己"],
                         "district": ["东", "东", "东", "西", "西", "西"],
                         "n": [400, 300, 57, 120, 88, 250],
                         # Whole percentages (the column's precision): most allow a range of counts.
                         "pct": ["97%", "99%", "100%", "96%", "98%", "92%"]})
COUNTS = {"item": "unit", "n": "n", "percent": "pct"}


@pytest.fixture(scope="module")
def counts_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("counts")
    PERCENTS.to_csv(folder / "table.csv", index=False)
    out = folder / "report"
    assert main(["report", str(folder / "table.csv"), "-o", str(out), "--lang", "zh",
                 "--counts", "item=unit", "n=n", "percent=pct"]) == 0
    return folder


def test_counts_survey_every_door(counts_files):
    survey = sa.Survey.from_counts(PERCENTS, **COUNTS)
    from_file = sa.Survey.from_counts(counts_files / "table.csv", **COUNTS)
    assert survey.count_range is not None            # some counts are known only as a range
    report = counts_files / "report"
    columns = ["n", "satisfied", "satisfied_min", "satisfied_max", "rate", "ci_low", "ci_high"]
    _same([survey.item_rates(), sa.item_rates(survey), from_file.item_rates(),
           sa.analyze(survey).item_rates,
           sa.analyze(counts_files / "table.csv", counts=COUNTS).item_rates,
           _csv(report, "item_rates")], columns, "unit")
    frames = [r.to_frame().assign(row=range(3)) for r in (
        survey.overall(), sa.overall_rate(survey), sa.overall_rate(survey, cluster="unit"),
        from_file.overall(), sa.analyze(survey).overall)] + [_csv(report, "overall").assign(row=range(3))]
    _same(frames, ["estimate", "se", "ci_low", "ci_high", "df"], "row")
    # The interval runs over the counts the percentages allow: wider than at the nearest counts.
    point = survey.at_count_bound("min").overall().pooled
    assert survey.overall().pooled.ci_low <= point.ci_low
    # Verdicts use the same widened bounds as the headline.
    claims = pd.DataFrame([{"id": "over95", "kind": "overall_rate", "value": 95,
                            "qualifier": "over", "quote": "满意率超过95%", "source": "test"}])
    checks = sa.check_claims(survey, claims).set_index("estimand")
    assert checks.loc["pooled", "ci_low"] == survey.overall(alternative="greater").pooled.ci_low
