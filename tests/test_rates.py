"""item_rates / overall_rate against R survey 4.1.1 (svyciprop, svymean) and by hand."""

import numpy as np
import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis import binomial_ci, item_rates, items_at_100, overall_rate, satisfaction_counts


def clustered(pairs, weighted=False, strata=None):
    """Tidy responses from per-cluster (k, n): the first k rows satisfied (as tests/R/*.R builds them).

    Weighted: w = 1 + (row within cluster mod 3), i.e. 1, 2, 3, 1, 2, 3, ...
    """
    item, rank, weight, stratum = [], [], [], []
    for c, (k, n) in enumerate(pairs, start=1):
        item += [f"c{c}"] * n
        rank += [1] * k + [3] * (n - k)
        weight += [1 + j % 3 for j in range(n)]
        stratum += [strata[c - 1] if strata else "s"] * n
    frame = pd.DataFrame({"item_id": item, "rating": np.where(np.array(rank) == 1, "满意", "不满意"),
                          "scale": 3, "rank": rank, "stratum": stratum})
    if weighted:
        frame["weight"] = np.array(weight, dtype=float)
    return frame


A = [(18, 20), (25, 25), (9, 12), (40, 42), (7, 7), (28, 31), (14, 15), (50, 55)]
B = [(5, 5), (10, 10), (3, 3), (19, 20), (8, 8)]
C = [(30, 40), (12, 20), (45, 50), (2, 10)]
S_STRATA = ["s1"] * 4 + ["s2"] * 4

# R 4.2.2, survey 4.1.1 -- tests/R/reference_svyciprop.R, output tests/R/reference_svyciprop.out:
#   des <- svydesign(ids=~cluster, data=d, weights=~w)      (strata=~stratum for S)
#   svyciprop(~y, des, method=<method>, level=<level>)
# logit values are the script's "exact ci" lines (closed form of svyciprop's logit interval, free
# of glm iteration error; they agree with svyciprop's own output to 1e-9).
#   deff: svymean(~y, des, deff="replace");  df: degf(des)
SVYCIPROP = [
    # dataset, method, level, estimate, low, high
    ("A", "logit", 0.95, 0.922705314009662, 0.871126005696187, 0.954714174271512),
    ("A", "logit", 0.90, 0.922705314009662, 0.883294565932176, 0.949567163016552),
    ("A", "beta", 0.95, 0.922705314009662, 0.87150756925365, 0.958175515501528),
    ("A", "beta", 0.90, 0.922705314009662, 0.882238282906166, 0.952431346688828),
    ("B", "logit", 0.95, 0.978260869565217, 0.854125747967927, 0.997116870111152),
    ("B", "beta", 0.95, 0.978260869565217, 0.884510375973464, 0.999454828859712),
    ("B", "beta", 0.90, 0.978260869565217, 0.910317563295084, 0.998381292707912),
    ("C", "logit", 0.95, 0.741666666666667, 0.367053670839232, 0.934267902718551),
    ("C", "beta", 0.95, 0.741666666666667, 0.34159092627422, 0.965269795637585),
    ("W", "logit", 0.95, 0.919315403422983, 0.871042928582722, 0.950544018993764),
    ("W", "beta", 0.95, 0.919315403422983, 0.871307871198291, 0.953681699984036),
    ("W", "beta", 0.90, 0.919315403422983, 0.881325326643825, 0.948000009197585),
    ("S", "logit", 0.95, 0.922705314009662, 0.864146115054142, 0.957270950666826),
    ("S", "beta", 0.95, 0.922705314009662, 0.864690958322504, 0.961328270308207),
    ("S", "beta", 0.90, 0.922705314009662, 0.877398520662654, 0.954989115237607),
]
DEFF_DF = {"A": (0.849909685283485, 7), "B": (0.516304347826088, 4), "C": (5.75966198166271, 3),
           "W": (0.747111420583641, 7), "S": (0.972447392986052, 6)}


def dataset(name):
    return {"A": lambda: clustered(A), "B": lambda: clustered(B), "C": lambda: clustered(C),
            "W": lambda: clustered(A, weighted=True), "S": lambda: clustered(A, strata=S_STRATA)}[name]()


@pytest.mark.parametrize(("name", "method", "level", "estimate", "low", "high"), SVYCIPROP)
def test_pooled_interval_matches_r_svyciprop(name, method, level, estimate, low, high):
    strata = "stratum" if name == "S" else None
    row = overall_rate(dataset(name), strata=strata, method=method, confidence_level=level).to_frame().iloc[0]
    assert row["estimand"] == "pooled" and row["ci_method"] == f"cluster_{method}"
    assert row["estimate"] == pytest.approx(estimate, rel=1e-12)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), rel=1e-10)
    deff, df = DEFF_DF[name]
    assert row["design_effect"] == pytest.approx(deff, rel=1e-10)
    assert row["df"] == df


@pytest.mark.parametrize(("name", "se"), [
    # R: SE(svymean(~y, des)) -- tests/R/reference_svyciprop.out, "svymean(~y, des, deff=TRUE) SE"
    ("A", 0.0171537512691743), ("B", 0.0156205046134579), ("C", 0.0962985220540494),
    ("W", 0.0164016168304047), ("S", 0.0183487201721418),
])
def test_pooled_standard_error_matches_r_svymean(name, se):
    strata = "stratum" if name == "S" else None
    assert overall_rate(dataset(name), strata=strata).se == pytest.approx(se, rel=1e-10)


@pytest.mark.parametrize(("method", "level", "low", "high"), [
    # R: svyciprop(~y, svydesign(ids = ~1, data = dA), method, level) -- dataset A_SRS
    ("logit", 0.95, 0.87710806168382, 0.952304356724039),
    ("logit", 0.90, 0.885807869190688, 0.948375380995689),
    ("beta", 0.95, 0.877380149512323, 0.955243636024499),
])
def test_no_clusters_is_r_ids_1(method, level, low, high):
    pooled = overall_rate(clustered(A), cluster="none", method=method, confidence_level=level).pooled
    # R: SE 0.0186068441197602, degf 206, deff ("replace") 1
    assert pooled.se == pytest.approx(0.0186068441197602, rel=1e-10)
    assert (pooled.df, pooled.n_clusters) == (206, 207)
    assert pooled.design_effect == pytest.approx(1.0, rel=1e-10)
    assert (pooled.ci_low, pooled.ci_high) == pytest.approx((low, high), rel=1e-10)
    assert pooled.ci_method == f"answers_{method}"


def test_naive_row_is_wilson_on_pooled_counts():
    # Dataset A: 191 of 207 satisfied (R: sum(y*w) sum(w) = 191 207).
    row = overall_rate(clustered(A)).to_frame().iloc[1]
    assert row["ci_method"] == "srs_wilson"
    # R 4.2.2: prop.test(191, 207, correct=FALSE)$conf.int computed via binomial_ci's R-checked Wilson.
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(tuple(binomial_ci(191, 207)), rel=1e-12)


def test_mean_of_items_t_interval_by_hand():
    # Dataset C rates: 0.75, 0.6, 0.9, 0.2 -> mean 0.6125, sd 0.30104...; t(0.975, 3) = 3.182446305
    # (R: qt(0.975, 3)). Half width 3.182446305 * 0.3010399 / 2 = 0.47902; the upper end is clipped to 1.
    row = overall_rate(clustered(C)).to_frame().iloc[2]
    assert row["estimand"] == "mean_of_items"
    assert row["estimate"] == pytest.approx(0.6125)
    sd = np.std([0.75, 0.6, 0.9, 0.2], ddof=1)
    assert row["ci_low"] == pytest.approx(0.6125 - 3.18244630528371 * sd / 2, rel=1e-9)
    assert row["ci_high"] == 1.0


def test_one_sided_bounds():
    two = overall_rate(clustered(A), confidence_level=0.90).to_frame().iloc[0]
    greater = overall_rate(clustered(A), confidence_level=0.95, alternative="greater").to_frame().iloc[0]
    # A one-sided 95% lower bound is the lower end of the two-sided 90% interval.
    assert greater["ci_low"] == pytest.approx(two["ci_low"], rel=1e-12)
    assert greater["ci_high"] == 1.0


def test_all_items_at_100_falls_back_to_exact_interval():
    # Zero design variance: design-based intervals are undefined, so the exact interval with
    # 3 + 4 = 7 responses is reported, and the note says so. 0.025 ** (1/7) = 0.5904.
    row = overall_rate(clustered([(3, 3), (4, 4)])).to_frame().iloc[0]
    assert row["estimate"] == 1.0
    assert row["ci_low"] == pytest.approx(0.025 ** (1 / 7), rel=1e-12) and row["ci_high"] == 1.0
    assert "zero design variance" in row["note"]


def test_single_cluster_has_no_design_interval():
    rows = overall_rate(clustered([(8, 10)])).to_frame()
    assert np.isnan(rows.loc[0, "ci_low"]) and "fewer than two clusters" in rows.loc[0, "note"]
    assert np.isnan(rows.loc[2, "ci_low"])


def test_clusters_must_be_nested_in_strata():
    frame = clustered(A, strata=S_STRATA)
    frame.loc[0, "stratum"] = "s2"  # cluster c1 now in both strata
    with pytest.raises(ValueError, match="nested in strata"):
        overall_rate(frame, strata="stratum").to_frame()


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"method": "wald"}, r"unknown method 'wald'.*'logit', 'beta'"),
    ({"confidence_level": 1.5}, "strictly between 0 and 1"),
    ({"alternative": "up"}, "unknown alternative"),
    ({"satisfied": "top_three_box"}, r"satisfied='top_three_box' on scale 'cn3' \(3 levels\) "
                                     r"would count every answer as satisfied"),
    ({"satisfied": "best"}, r"unknown satisfied 'best'; allowed: 'default', 'top_box'"),
    ({"weight": "w"}, "weight column 'w' not found"),
])
def test_overall_rate_bad_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        overall_rate(clustered(A), **kwargs).to_frame()


def test_item_rates_counts_and_intervals():
    frame = clustered([(18, 20), (7, 7)])
    rates = item_rates(frame, method="clopper_pearson")
    assert rates[["item_id", "n", "satisfied"]].to_dict("list") == {
        "item_id": ["c1", "c2"], "n": [20, 7], "satisfied": [18, 7]}
    # R 4.2.2: binom.test(7, 7)$conf.int[1] = 0.025^(1/7) = 0.590384...
    assert rates.loc[1, "ci_low"] == pytest.approx(0.025 ** (1 / 7), rel=1e-12)
    assert rates.loc[1, "ci_high"] == 1.0
    assert set(rates["method"]) == {"clopper_pearson"}


def test_satisfied_definitions_change_counts():
    frame = pd.DataFrame({"item_id": ["a"] * 4, "rating": ["满意", "基本满意", "基本满意", "不满意"],
                          "scale": 3, "rank": [1, 2, 2, 3]})
    assert item_rates(frame)["satisfied"].tolist() == [3]            # 满意 + 基本满意
    assert item_rates(frame, satisfied="top_box")["satisfied"].tolist() == [1]
    assert item_rates(frame, satisfied={"满意", "基本满意"})["satisfied"].tolist() == [3]
    with pytest.raises(ValueError, match=r"satisfied= names \['很好'\], which are not levels of the "
                                         r"scale\(s\) in use: cn3: 满意, 基本满意, 不满意"):
        item_rates(frame, satisfied={"很好"})
    # A better level cannot be "not satisfied" while a worse one is.
    with pytest.raises(ValueError, match="must be its top levels"):
        item_rates(frame, satisfied={"基本满意"})


def test_five_level_top_two_box():
    frame = pd.DataFrame({"item_id": ["a"] * 5, "rating": ["非常满意", "满意", "一般", "不满意", "非常不满意"],
                          "scale": 5, "rank": [1, 2, 3, 4, 5]})
    assert item_rates(frame)["satisfied"].tolist() == [2]
    assert item_rates(frame, satisfied="top_box")["satisfied"].tolist() == [1]


def test_items_at_100_lower_bound():
    rates = pd.DataFrame({"item_id": ["a", "b", "c"], "n": [10, 59, 5], "satisfied": [10, 59, 4]})
    perfect = items_at_100(rates)
    assert perfect["item_id"].tolist() == ["a", "b"]
    # One-sided exact bound alpha^(1/n): 0.05^(1/10) = 0.7411, 0.05^(1/59) = 0.9505 (> 95%).
    assert perfect["lower_bound"].tolist() == pytest.approx([0.05 ** 0.1, 0.05 ** (1 / 59)])
    assert items_at_100(rates, confidence_level=0.99)["lower_bound"].iloc[0] == pytest.approx(0.01 ** 0.1)


def test_weighted_counts():
    counts = satisfaction_counts(clustered([(2, 4)], weighted=True))
    # Weights 1, 2, 3, 1; first two satisfied -> satisfied weight 3 of 7.
    assert counts[["n", "satisfied", "weight_sum", "satisfied_weight"]].iloc[0].tolist() == [4, 2, 7.0, 3.0]


def test_kish_columns():
    # Dataset W weights per cluster are 1,2,3,1,2,3,...; Kish n_eff = (sum w)^2 / sum w^2, computed
    # here from the same weights (R: sum(w)^2/sum(w^2) in tests/R/reference_weights.R is the same formula).
    frame = clustered(A, weighted=True)
    w = frame["weight"].to_numpy()
    row = overall_rate(frame).to_frame().iloc[0]
    assert row["kish_n_effective"] == pytest.approx(w.sum() ** 2 / (w**2).sum(), rel=1e-12)
    assert row["kish_design_effect"] == pytest.approx(len(w) * (w**2).sum() / w.sum() ** 2, rel=1e-12)
    unweighted = overall_rate(clustered(A)).to_frame().iloc[0]
    assert (unweighted["kish_n_effective"], unweighted["kish_design_effect"]) == (207.0, 1.0)


def test_overall_totals_with_empty_by():
    # Dataset A: 191 of 207 satisfied in total (R: sum(y*w) sum(w) = 191 207).
    totals = satisfaction_counts(clustered(A), by=[])
    assert totals[["n", "satisfied"]].iloc[0].tolist() == [207, 191] and len(totals) == 1


def test_raw_sheet_in_a_dataframe_is_refused_with_advice():
    # The raw sheet: A has 满意 and a don't-know answer (excluded), B has 不满意. Estimators do
    # not guess what a frame is: a raw sheet must be loaded (or counted as is on request).
    raw = pd.DataFrame({"事项编号": ["A", "A", "B"], "满意度": ["满意", "不了解", "不满意"]})
    with pytest.raises(ValueError, match=r"not tidy responses.*sa.load_responses\(frame\) first"):
        item_rates(raw)
    rates = item_rates(sa.load_responses(raw))
    assert rates[["item_id", "n", "satisfied"]].values.tolist() == [["A", 1, 1], ["B", 1, 0]]
    long = raw.rename(columns={"事项编号": "item_id", "满意度": "rating"})
    rates = item_rates(long, engine="pandas")
    assert rates[["item_id", "n", "satisfied"]].values.tolist() == [["A", 1, 1], ["B", 1, 0]]


def test_missing_group_column_is_a_clear_error():
    with pytest.raises(ValueError, match=r"column\(s\) \['社区'\] not found.*keep_columns"):
        overall_rate(clustered(A), strata="社区").to_frame()
