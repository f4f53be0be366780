"""Any proportion under the design (issue 24): ``sa.proportion`` and ``Survey.proportion``.

Reference values come from ``tests/R/reference_proportion.R`` (output
``tests/R/reference_proportion.out``, R 4.2.2, survey 4.1.1) on its synthetic data
``tests/data/reference/proportion.csv``: 20 items (clusters) in 2 districts (strata),
weights 0.5-3, a channel per answer (y = channel == "web"), a group g and a cn3 rank.
"""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis.words import SurveyError, SurveyWarning

HERE = Path(__file__).parent
DATA = HERE / "data" / "reference" / "proportion.csv"
COLUMNS = ["rate", "ci_low", "ci_high", "n", "positive", "se", "df", "confidence_level", "note"]


def _r_line(label: str) -> list:
    out = HERE / "R" / "reference_proportion.out"
    for line in out.read_text(encoding="utf-8").splitlines():
        if line.startswith(label + ":"):
            return [float(v) for v in line[len(label) + 1:].split()]
    raise KeyError(label)


@pytest.fixture(scope="module")
def answers():
    d = pd.read_csv(DATA)
    return d.assign(scale="cn3", weight=d["w"])


@pytest.fixture(scope="module")
def survey(answers):
    return sa.Survey(answers, strata="district")


# -- hand counts --------------------------------------------------------------------------
def _two_items():
    # item A: 4 answers, 3 by phone; item B: 6 answers, 1 by phone (4 of 10 in all)
    return pd.DataFrame({"item_id": ["A"] * 4 + ["B"] * 6, "scale": "yes_no",
                         "rank": [1, 1, 2, 1, 1, 2, 2, 1, 1, 1],
                         "channel": ["phone", "phone", " phone ", "web",
                                     "phone", "web", "web", "web", "visit", "web"]})


def test_hand_counts_pooled_and_by_item():
    out = sa.proportion(_two_items(), of={"channel": "phone"})
    assert list(out.columns) == COLUMNS
    assert out.loc[0, "n"] == 10 and out.loc[0, "positive"] == 4   # " phone " stripped
    assert out.loc[0, "rate"] == pytest.approx(0.4, abs=1e-15)      # 4 / 10
    assert out.loc[0, "df"] == 1                                      # 2 clusters - 1
    assert out.attrs["of"] == {"channel": "phone"} and out.attrs["among"] is None
    by = sa.proportion(_two_items(), of={"channel": ["phone", "visit"]}, by="item_id")
    assert list(by.columns) == ["item_id"] + COLUMNS
    assert by["n"].tolist() == [4, 6] and by["positive"].tolist() == [3, 2]
    assert by["rate"].tolist() == pytest.approx([0.75, 2 / 6], abs=1e-15)  # 3/4, 2/6
    # each item is its own single cluster: no variance estimate, and a note says why
    assert by["se"].isna().all() and (by["df"] == 0).all()
    assert all("1 cluster" in str(n) for n in by["note"])


def test_among_a_column_by_hand():
    # among the satisfied (rank 1 of yes_no): A 3 answers (2 by phone), B 4 (1 by phone)
    out = sa.proportion(_two_items(), of={"channel": "phone"}, among="satisfied")
    assert (out.loc[0, "n"], out.loc[0, "positive"]) == (7, 3)
    assert out.loc[0, "rate"] == pytest.approx(3 / 7, abs=1e-15)
    # among web answers (A: 1, rank 1; B: 4, ranks 2, 2, 1, 1): 3 of 5 satisfied
    web = sa.proportion(_two_items(), of="satisfied", among={"channel": "web"})
    assert (web.loc[0, "n"], web.loc[0, "positive"]) == (5, 3)
    assert web.loc[0, "rate"] == pytest.approx(3 / 5, abs=1e-15)
    assert web.attrs["among"] == {"channel": "web"}


# -- the invariant: of="satisfied" is overall().pooled -------------------------------------
@pytest.mark.parametrize("method", ["logit", "beta", "mean"])
def test_of_satisfied_is_the_pooled_rate(survey, method):
    pooled = survey.overall(method=method).pooled
    out = sa.proportion(survey, of="satisfied", method=method)
    for column, value in [("rate", pooled.estimate), ("ci_low", pooled.ci_low),
                          ("ci_high", pooled.ci_high), ("se", pooled.se), ("df", pooled.df)]:
        assert out.loc[0, column] == pytest.approx(value, abs=1e-12), column
    assert out.loc[0, "n"] == pooled.n_responses
    dissatisfied = survey.proportion(of="dissatisfied", method=method)
    assert dissatisfied.loc[0, "rate"] == pytest.approx(1 - pooled.estimate, abs=1e-12)
    assert dissatisfied.loc[0, "se"] == pytest.approx(pooled.se, abs=1e-12)


def test_of_satisfied_follows_the_definition(answers):
    survey = sa.Survey(answers, strata="district").with_definition("top_box")
    out = survey.proportion(of="satisfied")
    assert out.loc[0, "rate"] == pytest.approx(survey.overall().pooled.estimate, abs=1e-12)
    assert out.loc[0, "positive"] == int((answers["rank"] == 1).sum())


# -- R: svyciprop and svyby (tests/R/reference_proportion.R) --------------------------------
def test_pooled_share_as_r(survey):
    # R: svyciprop(~y, des, method = "logit"): coef SE lower upper; degf(des) = 18
    coef, se, low, high = _r_line("web svyciprop logit coef SE ci")
    out = survey.proportion(of={"channel": "web"})
    assert out.loc[0, "rate"] == pytest.approx(coef, abs=1e-9)   # svyciprop's coef is a glm fit
    assert out.loc[0, "se"] == pytest.approx(se, abs=1e-10)
    assert [out.loc[0, "ci_low"], out.loc[0, "ci_high"]] == pytest.approx([low, high], abs=1e-10)
    assert out.loc[0, "df"] == _r_line("degf")[0]
    assert (out.loc[0, "n"], out.loc[0, "positive"]) == (_r_line("rows")[0], _r_line("web")[0])
    beta = survey.proportion(of={"channel": "web"}, method="beta")   # R: method = "beta"
    assert [beta.loc[0, "ci_low"], beta.loc[0, "ci_high"]] == pytest.approx(
        _r_line("web svyciprop beta ci"), abs=1e-10)


def test_plain_function_takes_the_design_options(answers):
    out = sa.proportion(answers, of={"channel": "web"}, strata="district")
    _coef, se, low, high = _r_line("web svyciprop logit coef SE ci")
    assert out.loc[0, "se"] == pytest.approx(se, abs=1e-10)
    assert [out.loc[0, "ci_low"], out.loc[0, "ci_high"]] == pytest.approx([low, high], abs=1e-10)


@pytest.mark.parametrize("among, label", [({"g": "a"}, "among g=a"),
                                          ("dissatisfied", "among dissatisfied")])
def test_domain_share_as_r(survey, answers, among, label):
    # R: svyciprop(~y, subset(des, g == "a")) and subset(des, sat == 0); df: R degf of the
    # subset (clusters holding the domain minus their strata)
    coef, se, low, high = _r_line(f"web {label} svyciprop logit coef SE ci")
    out = survey.proportion(of={"channel": "web"}, among=among)
    assert out.loc[0, "rate"] == pytest.approx(coef, abs=1e-9)   # R's coef: a glm fit
    assert out.loc[0, "se"] == pytest.approx(se, abs=1e-10)
    # R's logit interval is built on its glm coefficient (converged to ~1e-10): 1e-9 here
    assert [out.loc[0, "ci_low"], out.loc[0, "ci_high"]] == pytest.approx([low, high], abs=1e-9)
    assert out.loc[0, "df"] == _r_line(f"{label} degf")[0]
    base = answers["g"].eq("a") if among != "dissatisfied" else answers["rank"].eq(3)
    assert out.loc[0, "n"] == int(base.sum())
    assert out.loc[0, "positive"] == int((base & answers["channel"].eq("web")).sum())
    assert out.attrs["among"] == among


def test_by_a_column_as_r(survey):
    # R: svyby(~y, ~g, des, svymean): coef and SE per group a, b
    out = survey.proportion(of={"channel": "web"}, by="g")
    assert out["g"].tolist() == ["a", "b"]
    assert out["rate"].tolist() == pytest.approx(_r_line("web by g svyby coef"), abs=1e-10)
    assert out["se"].tolist() == pytest.approx(_r_line("web by g svyby SE"), abs=1e-10)
    # same as domain_rates on the 0/1 column (its df rule: clusters holding g minus strata)
    among = survey.proportion(of={"channel": "web"}, by="g", among="satisfied")
    assert among["rate"].tolist() == pytest.approx(_r_line("web by g among satisfied svyby coef"),
                                                   abs=1e-10)
    assert among["se"].tolist() == pytest.approx(_r_line("web by g among satisfied svyby SE"),
                                                 abs=1e-10)


def test_by_is_domain_rates_of_the_indicator(answers):
    flagged = answers.assign(scale="yes_no", rank=np.where(answers["channel"] == "web", 1, 2))
    expected = sa.domain_rates(flagged, "g", strata="district")
    out = sa.proportion(answers, of={"channel": "web"}, by="g", strata="district")
    for column in ("rate", "se", "ci_low", "ci_high", "df", "n"):
        assert out[column].tolist() == pytest.approx(expected[column].tolist(), abs=1e-12)


def test_weights_strata_and_clusters_carry_over(answers):
    unweighted = sa.proportion(answers, of={"channel": "web"}, weight=False)
    weighted = sa.proportion(answers, of={"channel": "web"})
    stratified = sa.proportion(answers, of={"channel": "web"}, strata="district")
    no_clusters = sa.proportion(answers, of={"channel": "web"}, cluster="none")
    assert unweighted.loc[0, "rate"] == pytest.approx(92 / 213, abs=1e-15)   # R: web, rows
    assert weighted.loc[0, "rate"] != pytest.approx(unweighted.loc[0, "rate"], abs=1e-6)
    assert weighted.loc[0, "df"] == 19 and stratified.loc[0, "df"] == 18     # 20 - 1, 20 - 2
    assert no_clusters.loc[0, "df"] == 212                                    # 213 answers - 1


def test_a_subset_survey_keeps_its_domain(survey, answers):
    # subset(g="a") then of=web is among={"g": "a"}
    sub = survey.subset(g="a").proportion(of={"channel": "web"})
    among = survey.proportion(of={"channel": "web"}, among={"g": "a"})
    for column in ("rate", "se", "ci_low", "ci_high", "df", "n", "positive"):
        assert sub.loc[0, column] == pytest.approx(among.loc[0, column], abs=1e-12)


def test_group_in_one_cluster_has_no_se(answers):
    one = answers.assign(place=np.where(answers["item_id"] == "I01", "solo", "many"))
    out = sa.proportion(one, of={"channel": "web"}, by="place", strata="district")
    solo = out.set_index("place").loc["solo"]
    assert solo["df"] == 0 and np.isnan(solo["se"]) and np.isnan(solo["ci_low"])
    assert "only 1 cluster(s) hold this domain" in str(solo["note"])
    assert np.isfinite(out.set_index("place").loc["many", "se"])


# -- bad inputs ----------------------------------------------------------------------------
def test_missing_column_names_the_columns(answers):
    with pytest.raises(SurveyError) as caught:
        sa.proportion(answers, of={"chanel": "web"})
    assert caught.value.code == "estimate.proportions.column_missing"
    assert "channel" in str(caught.value) and "chanel" in str(caught.value)
    with pytest.raises(SurveyError, match="column"):
        sa.proportion(answers, of={"channel": "web"}, by="nowhere")
    with pytest.raises(SurveyError, match="among"):
        sa.proportion(answers, of="satisfied", among={"nowhere": 1})


@pytest.mark.parametrize("of", ["happy", 3, [("channel", "web")], {}])
def test_unknown_form_of_of(answers, of):
    with pytest.raises(SurveyError):
        sa.proportion(answers, of=of)


def test_unknown_method_and_by(answers):
    with pytest.raises(SurveyError, match="method"):
        sa.proportion(answers, of="satisfied", method="wald")
    with pytest.raises(SurveyError, match="by"):
        sa.proportion(answers, of="satisfied", by=["g", "district"])


def test_empty_base(answers):
    with pytest.warns(SurveyWarning), pytest.raises(SurveyError) as caught:
        sa.proportion(answers, of="satisfied", among={"g": "zzz"})
    assert caught.value.code == "estimate.proportions.empty_base"


def test_a_value_never_seen_warns_with_the_values_found(answers):
    with pytest.warns(SurveyWarning) as caught:
        out = sa.proportion(answers, of={"channel": ["web", "wechat"]})
    text = str(caught[0].message)
    assert "wechat" in text and "phone" in text and "visit" in text
    assert out.loc[0, "positive"] == 92          # the values seen still count
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sa.proportion(answers, of={"channel": "web"})   # no warning when every value is seen


def test_a_survey_counted_from_a_file_says_to_load_it(tmp_path, answers):
    path = tmp_path / "answers.csv"
    answers.assign(rating=np.array(["满意", "基本满意", "不满意"])[answers["rank"] - 1]).to_csv(
        path, index=False)
    counted = sa.Survey(str(path), weight=False)
    with pytest.raises(SurveyError, match="keep_columns"):
        sa.proportion(counted, of={"channel": "web"})
