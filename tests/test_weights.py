"""survey_analysis.estimate.weights against R survey 4.1.1 (postStratify, rake, calibrate, trimWeights,
svymean), the Kish formulas by hand, and properties.

All R values come from tests/R/reference_weights.R (R 4.2.2 Patched 2022-11-10, survey 4.1.1),
output in tests/R/reference_weights.out, 15 significant digits.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

import survey_analysis as sa
from survey_analysis.design.calibration import trim_weights
from survey_analysis.estimate.weights import (
    kish_design_effect,
    kish_effective_n,
    weighting_efficiency,
)


def poststratify(frame, by, population, weight=None, cluster="none", strata=None):
    """sa.poststratify with every answer its own sampling unit by default (R ids = ~1)."""
    return sa.poststratify(frame, by, population, weight=weight, cluster=cluster, strata=strata)


def rake(frame, margins, weight=None, cluster="none", **options):
    return sa.rake(frame, margins, weight=weight, cluster=cluster, **options)


def mean_of(survey) -> dict:
    """The pooled rate of a calibrated survey with its calibration-aware SE, and the SE of the
    same weights taken as plain design weights (``se_uncalibrated``, R's "naive" designs)."""
    pooled = survey.overall().pooled
    fixed = sa.Survey(survey.responses, weight=survey.weight, cluster=survey.cluster or "none",
                      strata=survey.strata).overall().pooled
    return {"estimate": pooled.estimate, "se": pooled.se, "se_uncalibrated": fixed.se,
            "n": pooled.n_responses, "n_clusters": pooled.n_clusters, "df": pooled.df}

# ---- The 40-row data set, built from the same strings as tests/R/reference_weights.R.
SEX = "FFMFMFFFMFFMMFFFFMFMFMMFFFFFFFFFFFMMFFMF"
AGE = "caaccbbbcbacbcccacaaabcacbcccccbccacabbc"
Y = "1111101010111011111110001111101111111111"
W = [1.5, 3, 2, 3, 1, 3, 1, 2, 1.5, 2, 1.5, 3, 1.5, 2, 1, 1, 2, 1.5, 2, 2,
     2, 3, 2, 1.5, 3, 2, 3, 1, 1.5, 1.5, 2, 3, 1.5, 3, 2, 1, 3, 1.5, 3, 2]
AGE_LABELS = {"a": "18-39", "b": "40-59", "c": "60+"}


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame of weights and cells as tidy responses (every answer satisfied, one item each)."""
    return frame.assign(item_id=[f"i{i}" for i in range(len(frame))], scale="yes_no", rank=1)


def survey_data():
    y = np.array([int(c) for c in Y])
    return pd.DataFrame({
        "item_id": [f"i{1 + i // 5}" for i in range(40)],
        "community": [f"c{1 + i // 10}" for i in range(40)],
        "sex": list(SEX),
        "age": [AGE_LABELS[c] for c in AGE],
        "y": y,
        "rating": np.where(y == 1, "满意", "不满意"), "scale": 3,
        "rank": np.where(y == 1, 1, 3),
        "weight": np.array(W, dtype=float),
    })


POP_COMMUNITY = pd.Series({"c1": 120.0, "c2": 80.0, "c3": 150.0, "c4": 50.0})
POP_SEX = pd.Series({"F": 210.0, "M": 190.0})
POP_AGE = pd.Series({"18-39": 130.0, "40-59": 150.0, "60+": 120.0})
POP_SEX_AGE = pd.Series([70.0, 75.0, 65.0, 60.0, 75.0, 55.0], index=pd.MultiIndex.from_product(
    [["F", "M"], ["18-39", "40-59", "60+"]], names=["sex", "age"]))

# R: weights(postStratify(svydesign(ids=~1, weights=~w, data=d), ~community, pop_community))
PS_WEIGHTS = [
    9, 18, 12, 18, 6, 18, 6, 12, 9, 12, 6.85714285714286, 13.7142857142857, 6.85714285714286,
    9.14285714285714, 4.57142857142857, 4.57142857142857, 9.14285714285714, 6.85714285714286,
    9.14285714285714, 9.14285714285714, 14.6341463414634, 21.9512195121951, 14.6341463414634,
    10.9756097560976, 21.9512195121951, 14.6341463414634, 21.9512195121951, 7.31707317073171,
    10.9756097560976, 10.9756097560976, 4.54545454545455, 6.81818181818182, 3.40909090909091,
    6.81818181818182, 4.54545454545455, 2.27272727272727, 6.81818181818182, 3.40909090909091,
    6.81818181818182, 4.54545454545455
]
# R: weights(postStratify(svydesign(ids=~item_id, strata=~community, weights=~w, data=d),
#                         ~sex, pop_sex))
PSS_WEIGHTS = [
    5.57522123893805, 11.1504424778761, 16.1702127659574, 11.1504424778761, 8.08510638297872,
    11.1504424778761, 3.71681415929204, 7.43362831858407, 12.1276595744681, 7.43362831858407,
    5.57522123893805, 24.2553191489362, 12.1276595744681, 7.43362831858407, 3.71681415929204,
    3.71681415929204, 7.43362831858407, 12.1276595744681, 7.43362831858407, 16.1702127659574,
    7.43362831858407, 24.2553191489362, 16.1702127659574, 5.57522123893805, 11.1504424778761,
    7.43362831858407, 11.1504424778761, 3.71681415929204, 5.57522123893805, 5.57522123893805,
    7.43362831858407, 11.1504424778761, 5.57522123893805, 11.1504424778761, 16.1702127659574,
    8.08510638297872, 11.1504424778761, 5.57522123893805, 24.2553191489362, 7.43362831858407
]
# R: weights(postStratify(svydesign(ids=~1, data=d), ~community, pop_community))  (unweighted start)
PSU_WEIGHTS = [
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 15, 15, 15, 15, 15,
    15, 15, 15, 15, 15, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5
]
# R: weights(postStratify(svydesign(ids=~1, weights=~w, data=d), ~sex + age, pop_sex_age))
PS2_WEIGHTS = [
    3.61111111111111, 14, 20, 7.22222222222222, 5.5, 15.5172413793103, 5.17241379310345,
    10.3448275862069, 8.25, 10.3448275862069, 7, 16.5, 15, 4.81481481481481, 2.40740740740741,
    2.40740740740741, 9.33333333333333, 8.25, 9.33333333333333, 20, 9.33333333333333, 30, 11, 7,
    7.22222222222222, 10.3448275862069, 7.22222222222222, 2.40740740740741, 3.61111111111111,
    3.61111111111111, 4.81481481481481, 15.5172413793103, 3.61111111111111, 7.22222222222222,
    20, 5.5, 14, 7.75862068965517, 30, 4.81481481481481
]
# R: weights(rake(svydesign(ids=~1, weights=~w, data=d), list(~sex, ~age), list(pop_sex, pop_age),
#      control=list(maxit=1000, epsilon=1e-15)))
RK_WEIGHTS = [
    3.74912362255487, 14.1269889478939, 19.7883517535101, 7.49824724510973, 5.25157747940124,
    14.8718958733537, 4.95729862445123, 9.91459724890246, 7.87736621910186, 9.91459724890246,
    7.06349447394695, 15.7547324382037, 15.6238339890914, 4.99883149673982, 2.49941574836991,
    2.49941574836991, 9.41799263192928, 7.87736621910186, 9.41799263192928, 19.7883517535101,
    9.41799263192928, 31.2476679781829, 10.5031549588025, 7.06349447394695, 7.49824724510973,
    9.91459724890246, 7.49824724510973, 2.49941574836991, 3.74912362255487, 3.74912362255487,
    4.99883149673982, 14.8718958733537, 3.74912362255487, 7.49824724510973, 19.7883517535101,
    5.25157747940124, 14.1269889478939, 7.43594793667684, 31.2476679781829, 4.99883149673982
]
# R: weights(rake(svydesign(ids=~1, data=d), list(~sex, ~age, ~community),
#      list(pop_sex, pop_age, pop_community), control=list(maxit=1000, epsilon=1e-15)))
RK3_WEIGHTS = [
    4.69115112569139, 11.5921526848291, 28.1850128114157, 4.69115112569139, 11.4060052669025,
    12.0071304296418, 12.0071304296418, 12.0071304296418, 11.4060052669025, 12.0071304296418,
    7.18665226882256, 7.07124861604557, 18.0990554681331, 2.90831848039418, 2.90831848039418,
    2.90831848039418, 7.18665226882256, 7.07124861604557, 7.18665226882256, 17.4735350521256,
    17.5201238264419, 44.1231440011337, 17.238784725697, 17.5201238264419, 7.09010231708115,
    18.1473120348798, 7.09010231708115, 7.09010231708115, 7.09010231708115, 7.09010231708115,
    1.90455614940875, 4.87476388711671, 1.90455614940875, 1.90455614940875, 11.4428075397453,
    4.63071363280076, 4.70628745253279, 4.87476388711671, 11.8524390030527, 1.90455614940875
]


# ============================================================================ Kish

def test_kish_hand_example():
    # Weights 1 and 2 in equal numbers: (1+2+1+2)^2 / (1+4+1+4) = 36/10 = 3.6, and
    # deff = 4 * 10 / 36 = 10/9 (R: length(v)*sum(v^2)/sum(v)^2 = 1.11111111111111).
    assert kish_effective_n([1, 2, 1, 2]) == pytest.approx(3.6, rel=1e-15)
    assert kish_design_effect([1, 2, 1, 2]) == pytest.approx(10 / 9, rel=1e-15)
    assert kish_design_effect(np.array([1.0, 2.0, 1.0, 2.0])) == pytest.approx(1.11111111111111,
                                                                               rel=1e-14)


def test_kish_design_weights_match_r_one_liners():
    d = survey_data()
    # R: sum(w)^2 / sum(w^2); length(w) * sum(w^2) / sum(w)^2 (formula one-liners, not survey)
    assert kish_effective_n(d["weight"]) == pytest.approx(35.6545961002786, rel=1e-13)
    assert kish_design_effect(d["weight"]) == pytest.approx(1.121875, rel=1e-14)
    # R: tapply(w, d$community, function(v) sum(v)^2 / sum(v^2))  (and the deff one-liner)
    n_eff = kish_effective_n(d["weight"], by=d["community"])
    assert isinstance(n_eff, pd.Series) and n_eff.name == "n_eff"
    assert n_eff.index.tolist() == ["c1", "c2", "c3", "c4"]
    assert n_eff.to_numpy() == pytest.approx(
        [8.79120879120879, 9.07407407407407, 8.98930481283423, 9.04672897196262], rel=1e-13)
    deff = kish_design_effect(d["weight"], by=d["community"])
    assert deff.to_numpy() == pytest.approx(
        [1.1375, 1.10204081632653, 1.11243307555027, 1.10537190082645], rel=1e-13)


def test_kish_multiple_keys_and_plain_lists():
    w = [1.0, 3.0, 2.0, 2.0, 2.0, 5.0]
    out = kish_effective_n(w, by=[["a", "a", "b", "b", "b", "b"], [1, 1, 1, 1, 1, 2]])
    # (1+3)^2/(1+9) = 1.6; three 2s -> 3; a single weight -> 1
    assert out.to_dict() == pytest.approx({("a", 1): 1.6, ("b", 1): 3.0, ("b", 2): 1.0})


def test_kish_zero_weights_are_left_out_of_n():
    # Zero weights do not change (sum w)^2 / sum w^2 and are not counted in n.
    assert kish_effective_n([0, 1, 2, 1, 2]) == pytest.approx(3.6)
    assert kish_design_effect([0, 1, 2, 1, 2]) == pytest.approx(10 / 9)
    summary = weighting_efficiency([0.0, 1.0, 2.0, 1.0, 2.0])
    assert summary.loc[0, "n"] == 4 and summary.loc[0, "n_zero"] == 1
    assert summary.loc[0, "weight_min"] == 1.0


@pytest.mark.parametrize("weights", [[], [0.0, 0.0]])
def test_kish_empty_or_all_zero_is_nan(weights):
    assert np.isnan(kish_effective_n(weights)) and np.isnan(kish_design_effect(weights))
    assert np.isnan(weighting_efficiency(weights).loc[0, "deff"])


def test_kish_group_with_only_zero_weights_is_nan():
    out = kish_effective_n([0.0, 0.0, 1.0, 2.0], by=["a", "a", "b", "b"])
    assert np.isnan(out["a"]) and out["b"] == pytest.approx(9 / 5)


@pytest.mark.parametrize(("weights", "match"), [
    ([1.0, -1.0], "finite and >= 0"),
    ([1.0, np.nan], "finite and >= 0"),
    ([1.0, np.inf], "finite and >= 0"),
    ([[1.0, 2.0]], "one-dimensional"),
])
def test_kish_bad_weights(weights, match):
    with pytest.raises(ValueError, match=match):
        kish_effective_n(weights)


def test_kish_by_of_wrong_length():
    with pytest.raises(ValueError, match="one value per weight"):
        kish_effective_n([1.0, 2.0, 3.0], by=["a", "b"])


positive_weights = st.lists(st.floats(0.01, 100.0, allow_nan=False), min_size=1, max_size=40)


@settings(max_examples=100, deadline=None)
@given(positive_weights, st.floats(0.01, 100.0))
def test_kish_properties(weights, scale):
    n = len(weights)
    n_eff = kish_effective_n(weights)
    assert 1.0 - 1e-9 <= n_eff <= n * (1 + 1e-9)
    assert kish_effective_n(np.array(weights) * scale) == pytest.approx(n_eff, rel=1e-9)
    assert kish_design_effect(weights) * n_eff == pytest.approx(n, rel=1e-9)
    # 1 + CV^2 with the population standard deviation (numpy, ddof=0)
    w = np.array(weights)
    assert kish_design_effect(weights) == pytest.approx(1 + (w.std() / w.mean()) ** 2, rel=1e-9)
    assert kish_effective_n([weights[0]] * n) == pytest.approx(n, rel=1e-12)


@settings(max_examples=50, deadline=None)
@given(positive_weights, st.data())
def test_kish_grouped_equals_each_group_alone(weights, data):
    groups = data.draw(st.lists(st.sampled_from("abc"), min_size=len(weights),
                                max_size=len(weights)))
    grouped = kish_effective_n(weights, by=groups)
    w, g = np.array(weights), np.array(groups)
    for label in grouped.index:
        assert grouped[label] == pytest.approx(kish_effective_n(w[g == label]), rel=1e-12)


def test_weighting_efficiency_columns_and_hand_values():
    out = weighting_efficiency([1.0, 2.0, 1.0, 2.0])
    assert list(out.columns) == ["n", "n_zero", "weight_sum", "weight_min", "weight_mean",
                                 "weight_max", "cv", "deff", "n_eff", "efficiency"]
    row = out.iloc[0]
    # mean 1.5, sd (divisor n) 0.5 -> cv 1/3; deff 1 + 1/9; n_eff 3.6; efficiency 0.9
    assert (row["n"], row["weight_sum"], row["weight_min"], row["weight_max"]) == (4, 6.0, 1.0, 2.0)
    assert row["cv"] == pytest.approx(1 / 3, rel=1e-12)
    assert (row["deff"], row["n_eff"], row["efficiency"]) == pytest.approx((10 / 9, 3.6, 0.9))


def test_weighting_efficiency_by_group_matches_r():
    d = survey_data()
    out = weighting_efficiency(d["weight"], by=d["community"])
    assert out["community"].tolist() == ["c1", "c2", "c3", "c4"]
    assert out["n"].tolist() == [10] * 4
    # R: tapply(w, d$community, function(v) length(v) * sum(v^2) / sum(v)^2)
    assert out["deff"].to_numpy() == pytest.approx(
        [1.1375, 1.10204081632653, 1.11243307555027, 1.10537190082645], rel=1e-13)
    assert out["efficiency"].to_numpy() == pytest.approx(1 / out["deff"].to_numpy(), rel=1e-13)


# ============================================================================ post-stratification

def test_poststratify_matches_r_weights_mean_and_se():
    d = survey_data()
    original = d.copy()
    result = poststratify(d, "community", POP_COMMUNITY)
    assert isinstance(result, sa.Survey) and result.calibration.method == "poststratify"
    pd.testing.assert_frame_equal(d, original)  # input not mutated
    assert result.responses["weight"].to_numpy() == pytest.approx(PS_WEIGHTS, rel=1e-13)
    mean = mean_of(result)
    # R: svymean(~y, ps): 0.725801393728223, SE 0.0818379138652416 (calibration-aware);
    # the same weights as plain design weights: SE 0.0848226194966729 ("ps naive").
    assert mean["estimate"] == pytest.approx(0.725801393728223, rel=1e-13)
    assert mean["se"] == pytest.approx(0.0818379138652416, rel=1e-11)
    assert mean["se_uncalibrated"] == pytest.approx(0.0848226194966729, rel=1e-11)
    assert (mean["n"], mean["n_clusters"], mean["df"]) == (40, 40, 39)
    # y is the satisfaction indicator built from rating / rank
    assert (d["y"] == sa.satisfied_mask(d)).all()


def test_poststratify_adjustment_report():
    result = poststratify(survey_data(), "community", POP_COMMUNITY).calibration
    report = result.adjustment
    assert list(report.columns) == ["community", "n", "weight_before", "population", "factor"]
    # design weight totals per community, summed by hand from W: 20, 17.5, 20.5, 22
    assert report["weight_before"].tolist() == [20.0, 17.5, 20.5, 22.0]
    assert report["factor"].to_numpy() == pytest.approx([6.0, 80 / 17.5, 150 / 20.5, 50 / 22])
    assert report["n"].tolist() == [10] * 4
    assert result.max_discrepancy < 1e-15 and result.converged


def test_poststratify_clustered_and_stratified_se_match_r():
    d = survey_data()
    result = poststratify(d, "community", POP_COMMUNITY, cluster="item_id")
    mean = mean_of(result)
    # R: svymean(~y, postStratify(svydesign(ids=~item_id, weights=~w, data=d), ~community, ...))
    assert mean["se"] == pytest.approx(0.101608579298165, rel=1e-11)
    assert mean["se_uncalibrated"] == pytest.approx(0.115136745759969, rel=1e-11)
    assert (mean["n_clusters"], mean["df"]) == (8, 7)
    by_sex = poststratify(d, "sex", POP_SEX, cluster="item_id", strata="community")
    assert by_sex.responses["weight"].to_numpy() == pytest.approx(PSS_WEIGHTS, rel=1e-13)
    mean = mean_of(by_sex)
    # R: svymean(~y, postStratify(svydesign(ids=~item_id, strata=~community, weights=~w, data=d),
    #                             ~sex, pop_sex))
    assert mean["estimate"] == pytest.approx(0.787431745434005, rel=1e-13)
    assert mean["se"] == pytest.approx(0.111135736321562, rel=1e-11)
    assert mean["se_uncalibrated"] == pytest.approx(0.111150109253022, rel=1e-11)
    assert (mean["n_clusters"], mean["df"]) == (8, 4)


@pytest.mark.parametrize("weight", [False, "none"])
def test_poststratify_unweighted_start_sets_n_h_over_N_h(weight):
    d = survey_data()
    if weight == "none":
        d, weight = d.drop(columns="weight"), None
    result = poststratify(d, "community", POP_COMMUNITY, weight=weight)
    assert result.responses["weight"].tolist() == pytest.approx(PSU_WEIGHTS, rel=1e-15)
    mean = mean_of(result)
    # R: svymean(~y, postStratify(svydesign(ids=~1, data=d), ~community, pop_community))
    assert mean["estimate"] == pytest.approx(0.74, rel=1e-14)
    assert mean["se"] == pytest.approx(0.075955452531275, rel=1e-11)


@pytest.mark.parametrize("population", [
    POP_SEX_AGE,
    POP_SEX_AGE.rename("Freq").reset_index(),  # R-style data frame with a Freq column
])
def test_poststratify_two_columns_matches_r(population):
    result = poststratify(survey_data(), ["sex", "age"], population)
    assert result.responses["weight"].to_numpy() == pytest.approx(PS2_WEIGHTS, rel=1e-13)
    mean = mean_of(result)
    # R: svymean(~y, postStratify(d0, ~sex + age, pop_sex_age))
    assert mean["estimate"] == pytest.approx(0.768417943805875, rel=1e-13)
    assert mean["se"] == pytest.approx(0.0760644574981526, rel=1e-11)
    assert list(result.calibration.adjustment.columns[:2]) == ["sex", "age"]


def test_one_cell_poststratification_changes_nothing():
    # One cell whose total is the weight total: weights unchanged, and the calibration-aware SE
    # is the plain weighted SE. R: svymean(~y, svydesign(ids=~1, weights=~w, data=d)):
    # 0.7875, SE 0.0696178290914321.
    d = survey_data().assign(everyone="all")
    result = poststratify(d, "everyone", {"all": float(sum(W))})
    assert result.responses["weight"].to_numpy() == pytest.approx(W, rel=1e-15)
    mean = mean_of(result)
    assert mean["estimate"] == pytest.approx(0.7875, rel=1e-14)
    assert mean["se"] == pytest.approx(0.0696178290914321, rel=1e-11)
    assert mean["se_uncalibrated"] == pytest.approx(0.0696178290914321, rel=1e-11)


def test_poststratify_writes_to_the_given_weight_column():
    d = survey_data().rename(columns={"weight": "w"})
    result = poststratify(d, "community", POP_COMMUNITY, weight="w")
    assert result.weight == "w" and "weight" not in result.responses.columns
    assert result.responses["w"].to_numpy() == pytest.approx(PS_WEIGHTS, rel=1e-13)


def test_poststratify_zero_total_cell_without_sample_is_dropped():
    population = pd.concat([POP_COMMUNITY, pd.Series({"c5": 0.0})])
    result = poststratify(survey_data(), "community", population)
    assert result.calibration.adjustment["community"].tolist() == ["c1", "c2", "c3", "c4"]


@pytest.mark.parametrize(("population", "match"), [
    (POP_COMMUNITY.drop("c4"), r"cells in the sample with no population total: 'c4 \(10 rows\)'"),
    (pd.concat([POP_COMMUNITY, pd.Series({"c5": 30.0})]),
     r"population cells with no responses in the sample: 'c5'"),
    (POP_COMMUNITY.replace(50.0, 0.0), r"population total is 0: 'c4'"),
    (POP_COMMUNITY.replace(50.0, -1.0), r"finite numbers >= 0; bad cells: \['c4'\]"),
    (POP_COMMUNITY.replace(50.0, np.nan), r"bad cells: \['c4'\]"),
    (pd.concat([POP_COMMUNITY, pd.Series({"c4": 5.0})]), "more than once"),
    (pd.DataFrame({"community": ["c1"], "a": [1.0], "b": [2.0]}), "exactly one column of totals"),
    ([120, 80, 150, 50], "must be a pandas Series, dict or DataFrame"),
    (POP_SEX_AGE, "indexed by 2 level"),
])
def test_poststratify_bad_population(population, match):
    with pytest.raises(ValueError, match=match):
        poststratify(survey_data(), "community", population)


def test_poststratify_bad_sample():
    d = survey_data()
    d.loc[3, "community"] = None
    with pytest.raises(ValueError, match="missing values in 1 row"):
        poststratify(d, "community", POP_COMMUNITY)
    with pytest.raises(ValueError, match=r"column\(s\) \['district'\] not found"):
        poststratify(survey_data(), "district", POP_COMMUNITY)
    zero = survey_data()
    zero.loc[zero["community"] == "c2", "weight"] = 0.0
    with pytest.raises(ValueError, match="all have weight 0.*'c2'"):
        poststratify(zero, "community", POP_COMMUNITY)
    negative = survey_data()
    negative.loc[0, "weight"] = -1.0
    with pytest.raises(ValueError, match="weight column 'weight' must hold finite numbers >= 0"):
        poststratify(negative, "community", POP_COMMUNITY)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.floats(0.1, 10.0)), min_size=1, max_size=30),
       st.floats(1.0, 1000.0))
def test_poststratify_properties(rows, scale):
    frame = tidy(pd.DataFrame(rows, columns=["cell", "weight"]))
    cells = sorted(frame["cell"].unique())
    population = pd.Series({c: scale * (i + 1) for i, c in enumerate(cells)})
    result = poststratify(frame, "cell", population)
    new = result.responses["weight"]
    totals = new.groupby(frame["cell"]).sum()
    assert totals.to_numpy() == pytest.approx(population[totals.index].to_numpy(), rel=1e-12)
    ratio = new / frame["weight"]  # one factor per cell: ratios of weights kept
    assert (ratio.groupby(frame["cell"]).std(ddof=0).fillna(0) <= 1e-9 * ratio.max()).all()


# ============================================================================ raking

def test_rake_matches_r_weights_mean_and_calibrate_se():
    d = survey_data()
    result = rake(d, {"sex": POP_SEX, "age": POP_AGE}, tol=1e-13)
    calibration = result.calibration
    assert calibration.method == "rake" and calibration.converged
    assert calibration.margins == (("sex",), ("age",))
    assert result.responses["weight"].to_numpy() == pytest.approx(RK_WEIGHTS, rel=1e-11)
    mean = mean_of(result)
    # R: svymean(~y, rk) mean 0.769341592746536
    assert mean["estimate"] == pytest.approx(0.769341592746536, rel=1e-12)
    # SE: R calibrate(d0, ~sex + age, population = pop_vec, calfun = "raking") gives the same
    # weights (max abs diff 5.3e-15) and SE 0.0770251624929995 (GREG linearization).
    # rake()'s own SE, 0.0779959934031381, uses ten sweeps of unweighted cell means instead.
    assert mean["se"] == pytest.approx(0.0770251624929995, rel=1e-10)
    # R: the same weights as plain design weights ("rk naive"): SE 0.0866200724600351
    assert mean["se_uncalibrated"] == pytest.approx(0.0866200724600351, rel=1e-10)
    clustered = mean_of(rake(d, {"sex": POP_SEX, "age": POP_AGE}, tol=1e-13, cluster="item_id"))
    # R: svymean(~y, calibrate(svydesign(ids=~item_id, weights=~w), ~sex + age, ..., "raking"))
    assert clustered["se"] == pytest.approx(0.113150553625042, rel=1e-10)


def test_rake_three_margins_unweighted_start_matches_r():
    result = rake(survey_data(), {"sex": POP_SEX, "age": POP_AGE, "community": POP_COMMUNITY},
                  weight=False, tol=1e-13)
    assert result.calibration.converged
    assert result.responses["weight"].to_numpy() == pytest.approx(RK3_WEIGHTS, rel=1e-11)
    mean = mean_of(result)
    # R: svymean(~y, rk3): 0.687745338400816, SE 0.0809583069792897 (calibrate: ...323; with
    # equal initial weights rake()'s and calibrate()'s linearizations agree)
    assert mean["estimate"] == pytest.approx(0.687745338400816, rel=1e-12)
    assert mean["se"] == pytest.approx(0.0809583069792897, rel=1e-10)


def test_rake_report_and_default_tolerance():
    survey = rake(survey_data(), {"sex": POP_SEX.to_dict(), "age": POP_AGE})
    result = survey.calibration
    report = result.adjustment
    assert list(report.columns) == ["margin", "cell", "n", "weight_before", "target",
                                    "weight_after"]
    assert report["margin"].tolist() == ["sex"] * 2 + ["age"] * 3
    assert report["cell"].tolist() == ["F", "M", "18-39", "40-59", "60+"]
    # counts from the SEX / AGE strings: 28 F, 12 M; 10, 10, 20 by age group
    assert report["n"].tolist() == [28, 12, 10, 10, 20]
    assert report["weight_before"].tolist() == [56.5, 23.5, 21.0, 22.0, 37.0]
    assert report["weight_after"].to_numpy() == pytest.approx(report["target"], rel=1e-10)
    assert result.max_discrepancy <= 1e-10 and result.n_trimmed == 0
    assert survey.responses["weight"].to_numpy() == pytest.approx(RK_WEIGHTS, rel=1e-9)


def test_crossed_margin_is_poststratification():
    # A single crossed margin (sex x age) is post-stratification to the 6 cells (R: ps2 weights).
    result = rake(survey_data(), {("sex", "age"): POP_SEX_AGE})
    assert result.calibration.iterations == 1 and result.calibration.converged
    assert result.responses["weight"].to_numpy() == pytest.approx(PS2_WEIGHTS, rel=1e-13)
    assert result.calibration.adjustment["margin"].iloc[0] == "sex x age"
    assert result.calibration.adjustment["cell"].iloc[0] == ("F", "18-39")


def test_rake_incompatible_margins_warn_and_name_the_margin():
    # Every M is old and every young respondent is F: the M total (50) cannot exceed the old
    # total (30), so no weights meet both margins.
    frame = tidy(pd.DataFrame({"sex": ["F", "F", "M", "M", "F"],
                               "age": ["young", "old", "old", "old", "young"]}))
    with pytest.warns(RuntimeWarning, match=r"did not converge in 50 sweeps: margin 'sex'"):
        result = rake(frame, {"sex": {"F": 50, "M": 50}, "age": {"young": 70, "old": 30}},
                      max_iter=50).calibration
    assert not result.converged and result.iterations == 50 and result.max_discrepancy > 1e-3


def test_rake_margins_with_different_totals():
    with pytest.raises(ValueError, match="same grand total.*'sex': 400.*'age': 401"):
        rake(survey_data(), {"sex": POP_SEX, "age": POP_AGE + [1.0, 0.0, 0.0]})


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"margins": {}}, "non-empty dict"),
    ({"margins": [("sex", POP_SEX)]}, "non-empty dict"),
    ({"max_iter": 0}, "max_iter must be at least 1"),
    ({"tol": 0.0}, "tol must be positive"),
    ({"trim": 3}, "pair"),
    ({"trim": (2.0, 3.0)}, "0 <= low <= 1 <= high"),
    ({"trim": (0.5, 0.9)}, "0 <= low <= 1 <= high"),
    ({"margins": {"sex": POP_SEX.drop("M"), "age": POP_AGE}},
     r"no margin 'sex' total: 'M \(12 rows\)'"),
])
def test_rake_bad_arguments(kwargs, match):
    arguments = {"margins": {"sex": POP_SEX, "age": POP_AGE}, **kwargs}
    with pytest.raises(ValueError, match=match):
        rake(survey_data(), **arguments)


def test_rake_with_trimming_meets_margins_and_bounds():
    d = survey_data()
    survey = rake(d, {"sex": POP_SEX, "age": POP_AGE}, trim=(0.3, 3.0))
    result = survey.calibration
    w = survey.responses["weight"].to_numpy()
    mean_weight = 400 / 40
    assert result.converged and result.n_trimmed > 0
    # untrimmed raking gives weights from 2.50 to 31.25 (R: rk weights), outside [3, 30]
    assert min(RK_WEIGHTS) < 0.3 * mean_weight and max(RK_WEIGHTS) > 3 * mean_weight
    assert w.min() >= 0.3 * mean_weight * (1 - 1e-9) and w.max() <= 3 * mean_weight * (1 + 1e-9)
    assert result.adjustment["weight_after"].to_numpy() == pytest.approx(
        result.adjustment["target"].to_numpy(), rel=1e-9)
    one_sided = rake(d, {"sex": POP_SEX, "age": POP_AGE}, trim=(None, 2.5))
    assert one_sided.calibration.converged and one_sided.responses["weight"].max() <= 25 * (1 + 1e-9)


def test_rake_with_infeasible_trim_bounds_warns():
    # No weights in [5, 20] meet both margins: scipy.optimize.linprog reports the feasibility
    # problem infeasible (checked below), so raking with trimming cannot converge.
    d = survey_data()
    equalities = [(d["sex"] == s).to_numpy(float) for s in POP_SEX.index]
    equalities += [(d["age"] == a).to_numpy(float) for a in POP_AGE.index]
    lp = linprog(np.zeros(40), A_eq=np.array(equalities),
                 b_eq=np.concatenate([POP_SEX.to_numpy(), POP_AGE.to_numpy()]),
                 bounds=[(5, 20)] * 40)
    assert lp.status == 2  # infeasible
    with pytest.warns(RuntimeWarning, match="did not converge"):
        result = rake(d, {"sex": POP_SEX, "age": POP_AGE}, trim=(0.5, 2.0), max_iter=200)
    assert not result.calibration.converged


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ab"), st.sampled_from("xyz"), st.floats(0.2, 5.0),
                          st.floats(0.2, 5.0)), min_size=1, max_size=30))
def test_rake_reaches_feasible_margins(rows):
    # Targets are the margins of some positive weights, so a solution exists; IPF must find it.
    frame = tidy(pd.DataFrame(rows, columns=["sex", "age", "weight", "truth"]))
    margins = {c: frame.groupby(c)["truth"].sum() for c in ("sex", "age")}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = rake(frame, margins, max_iter=2000)
    assert result.calibration.converged
    for column, totals in margins.items():
        got = result.responses.groupby(column)["weight"].sum()
        assert got.to_numpy() == pytest.approx(totals[got.index].to_numpy(), rel=1e-8)


# ============================================================================ trimming

TRIM_INPUT = [1, 2, 3, 10, 20, 4, 0.2, 5]
# R: weights(trimWeights(svydesign(ids=~1, weights=~tw, data=data.frame(tw = tw, y = 1)),
#                        upper=..., lower=..., strict=...))
TRIM_CASES = [
    ({"lower": 0.5, "upper": 8}, [3.74, 4.74, 5.74, 8, 8, 6.74, 0.5, 7.74]),
    ({"lower": 0.5, "upper": 8, "strict": True}, [3.74, 4.74, 5.74, 8, 8, 6.74, 0.5, 7.74]),
    ({"upper": 6}, [4, 5, 6, 6, 6, 7, 3.2, 8]),
    ({"upper": 10}, [2.42857142857143, 3.42857142857143, 4.42857142857143, 11.4285714285714, 10,
                     5.42857142857143, 1.62857142857143, 6.42857142857143]),
    ({"upper": 10, "strict": True}, [2.66666666666667, 3.66666666666667, 4.66666666666667, 10, 10,
                                     5.66666666666667, 1.86666666666667, 6.66666666666667]),
    ({"lower": 2}, [2, 1.53333333333333, 2.53333333333333, 9.53333333333333, 19.5333333333333,
                    3.53333333333333, 2, 4.53333333333333]),
    ({"lower": 1.5, "strict": True}, [1.5, 1.7, 2.7, 9.7, 19.7, 3.7, 1.5, 4.7]),
]


@pytest.mark.parametrize(("kwargs", "expected"), TRIM_CASES)
def test_trim_weights_matches_r_trimweights(kwargs, expected):
    out = trim_weights(TRIM_INPUT, **kwargs)
    assert out == pytest.approx(expected, rel=1e-13)
    assert out.sum() == pytest.approx(sum(TRIM_INPUT), rel=1e-13)


def test_trim_weights_strict_where_r_recurses_without_end():
    # R trimWeights(upper = 6, strict = TRUE) fails ("C stack usage too close to the limit");
    # here the passes converge: within the bound, total kept.
    out = trim_weights(TRIM_INPUT, upper=6, strict=True)
    assert out.max() <= 6 and out.sum() == pytest.approx(45.2, rel=1e-12)


def test_trim_weights_keeps_series_and_leaves_inside_weights_alone():
    w = pd.Series([1.0, 2.0, 3.0], index=["a", "b", "c"], name="weight")
    out = trim_weights(w, lower=0.5, upper=5)
    pd.testing.assert_series_equal(out, w)
    assert trim_weights([1.0, 2.0]).tolist() == [1.0, 2.0]


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"lower": 5, "upper": 2}, "must not exceed"),
    ({"upper": 5, "strict": True}, "mean weight 5.65 is outside"),
    ({"lower": 6, "strict": True}, "mean weight 5.65 is outside"),
    ({"lower": 25}, "every weight is outside"),
])
def test_trim_weights_bad_bounds(kwargs, match):
    with pytest.raises(ValueError, match=match):
        trim_weights(TRIM_INPUT, **kwargs)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0.01, 100.0), min_size=2, max_size=30), st.floats(1.05, 3.0))
def test_trim_weights_strict_properties(weights, relative_cap):
    cap = relative_cap * float(np.mean(weights))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = trim_weights(weights, upper=cap, strict=True)
    assert out.max() <= cap
    assert out.sum() == pytest.approx(sum(weights), rel=1e-9)


# ============================================================================ calibrated survey

def test_efficiency_before_and_after():
    result = poststratify(survey_data(), "community", POP_COMMUNITY)
    before = weighting_efficiency(survey_data()["weight"])
    after = weighting_efficiency(result.responses["weight"])
    # R: sum(w)^2/sum(w^2) = 35.6545961002786 before; for weights(ps): 31.2339955198575
    assert [before.loc[0, "n_eff"], after.loc[0, "n_eff"]] == pytest.approx(
        [35.6545961002786, 31.2339955198575], rel=1e-13)
    # Within a community post-stratification multiplies by a constant: Kish n_eff per community
    # unchanged (R: "ps kish n_eff by community" equals "kish n_eff w by community").
    by = kish_effective_n(result.responses["weight"], by=result.responses["community"])
    assert by.to_numpy() == pytest.approx(
        [8.79120879120879, 9.07407407407407, 8.98930481283422, 9.04672897196262], rel=1e-13)


def test_calibration_bad_arguments():
    with pytest.raises(ValueError, match=r"column\(s\) \['psu'\] not found"):
        sa.Survey(survey_data(), cluster="psu")
    with pytest.raises(ValueError, match="nested in strata"):
        poststratify(survey_data(), "community", POP_COMMUNITY, cluster="item_id", strata="sex")


def test_calibrated_survey_is_a_new_immutable_survey():
    survey = sa.Survey(survey_data(), cluster="none")
    calibrated = survey.poststratify("community", POP_COMMUNITY)
    assert survey.calibration is None and calibrated.calibration.before is survey
    assert survey.responses["weight"].tolist() == W          # the original weights stay
    with pytest.raises(AttributeError, match="cannot be changed"):
        calibrated.weight = "other"


@pytest.mark.parametrize(("weight", "expected"), [
    # R: svymean(~y, postStratify(svydesign(ids=~1, weights=~w, data=d), ~community, pop_community))
    ("weight", (0.725801393728223, 0.0818379138652416)),
    # R: svymean(~y, postStratify(svydesign(ids=~1, data=d), ~community, pop_community))
    (None, (0.74, 0.075955452531275)),
])
def test_calibration_of_counts_from_a_file_as_r(tmp_path, weight, expected):
    # A file counted by DuckDB keeps only the weight sums per cell, not the answers: it is
    # calibrated cell by cell, and gives R's estimate and calibration-aware SE all the same.
    path = tmp_path / "answers.parquet"
    survey_data().drop(columns=["scale", "rank"]).to_parquet(path)
    survey = sa.Survey(path, cluster="none", groups=["community"], weight=weight)
    assert survey.responses is None
    pooled = survey.poststratify("community", POP_COMMUNITY).overall().pooled
    assert (pooled.estimate, pooled.se) == pytest.approx(expected, rel=1e-11)
    with pytest.raises(ValueError, match=r"\['sex'\] were not counted"):
        survey.poststratify("sex", POP_SEX)


def test_trim_a_survey_as_r_trimweights():
    frame = tidy(pd.DataFrame({"weight": TRIM_INPUT}))
    trimmed = sa.Survey(frame, cluster="none").trim(lower=0.5, upper=8)
    # R: trimWeights(..., upper = 8, lower = 0.5) (TRIM_CASES above)
    assert trimmed.responses["weight"].tolist() == pytest.approx(
        [3.74, 4.74, 5.74, 8, 8, 6.74, 0.5, 7.74], rel=1e-13)
