"""Zero weights, items as strata, domain differences, Rao-Scott tests, rounds, weighted item rates.

Every reference value is from R 4.2.2, survey 4.1.1 (Epi 2.47 for Newcombe), produced by
tests/R/reference_domains.R (output tests/R/reference_domains.out) on the synthetic data it
writes to tests/data/reference/domains.csv: 24 items in 3 districts, two rounds of the same
items, weights 0.5-3 with 12 zeros, 461 answers.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis.design.variance import stratified_covariance

DATA = Path(__file__).parent / "data" / "reference" / "domains.csv"
TOL = dict(rel=1e-8)


@pytest.fixture(scope="module")
def answers():
    d = pd.read_csv(DATA)
    return d.assign(scale="yes_no", rank=np.where(d["sat"] == 1, 1, 2))


def survey(answers, weighted: bool, items_as: str = "clusters"):
    return sa.Survey(answers, weight="w" if weighted else False, items_as=items_as,
                     groups=["district", "round"])


# -- 1. zero weights -----------------------------------------------------------------------
def test_zero_weights_design_effect_and_kish_as_r(answers):
    assert (answers["w"] == 0).sum() == 12  # R: sum(d$w == 0)
    pooled = survey(answers, True).overall().pooled
    # R: svymean(~sat, svydesign(ids = ~item_id, weights = ~w, data = d), deff = "replace")
    assert pooled.estimate == pytest.approx(0.891722356097682, **TOL)
    assert pooled.design_effect == pytest.approx(2.43326389729813, **TOL)
    # R: confint(svyciprop(~sat, same design, method = "logit")); degf 23
    assert (pooled.ci_low, pooled.ci_high) == pytest.approx((0.834494187962136, 0.930803169084984),
                                                             rel=1e-8)
    assert pooled.df == 23
    # R: w <- d$w[d$w > 0]; sum(w)^2 / sum(w^2) and length(w) * sum(w^2) / sum(w)^2
    assert pooled.kish_n_effective == pytest.approx(388.482180165328, **TOL)
    assert pooled.kish_design_effect == pytest.approx(1.15578016939906, **TOL)
    # One Kish function: the column equals sa.kish_design_effect on the same weights.
    assert pooled.kish_design_effect == pytest.approx(sa.kish_design_effect(answers["w"]), rel=1e-12)


# -- 2. items as strata ----------------------------------------------------------------------
@pytest.mark.parametrize(("weighted", "items_as", "expected"), [
    # R: svymean(~sat, svydesign(ids = ~1, strata = ~item_id, data = d), deff = "replace") and
    #    confint(svyciprop(~sat, same, method = "logit")); degf 437
    (False, "strata", (0.887201735357918, 0.957290249090136, 0.855579490004049, 0.912607236784678, 437)),
    # R: the same with ids = ~item_id; degf 23
    (False, "clusters", (0.887201735357918, 1.77243437612529, 0.839775545847353, 0.921895477807432, 23)),
    # R: ids = ~1, strata = ~item_id, weights = ~w; degf 425 (answers of weight 0 leave degf)
    (True, "strata", (0.891722356097682, 1.04180370408538, 0.858564306671772, 0.91785065364373, 425)),
])
def test_items_as_strata_or_clusters_as_r(answers, weighted, items_as, expected):
    pooled = survey(answers, weighted, items_as).overall().pooled
    estimate, deff, low, high, df = expected
    assert pooled.estimate == pytest.approx(estimate, **TOL)
    assert pooled.design_effect == pytest.approx(deff, **TOL)
    assert (pooled.ci_low, pooled.ci_high) == pytest.approx((low, high), **TOL)
    assert pooled.df == df
    assert pooled.ci_method == f"{'cluster' if items_as == 'clusters' else 'strata'}_logit"


def test_items_as_strata_beta_interval_as_r(answers):
    pooled = survey(answers, False, "strata").overall(method="beta").pooled
    # R: confint(svyciprop(~sat, svydesign(ids = ~1, strata = ~item_id, data = d), method = "beta"))
    assert (pooled.ci_low, pooled.ci_high) == pytest.approx((0.855455932450073, 0.914074016799604), **TOL)


def test_items_as_is_validated_and_kept_when_the_definition_changes(answers):
    with pytest.raises(ValueError, match="unknown items_as 'census'"):
        sa.Survey(answers, items_as="census")
    s = survey(answers, False, "strata")
    assert s.with_definition("default").items_as == "strata"
    assert s.with_options(groups=["district"]).items_as == "strata"


def test_item_with_one_answer_is_a_lonely_stratum(answers):
    one = pd.concat([answers, answers.iloc[[0]].assign(item_id="SOLO")], ignore_index=True)
    with pytest.raises(ValueError, match="only one cluster: 'SOLO'"):
        sa.Survey(one, weight=False, items_as="strata").overall()
    removed = sa.Survey(one, weight=False, items_as="strata", lonely_cluster="remove").overall()
    assert "lonely_cluster='remove'" in removed.pooled.note


# -- 3. domains ------------------------------------------------------------------------------
R_DOMAINS = {
    # R: b <- svyby(~sat, ~district, des, svymean, covmat = TRUE); coef(b), SE(b);
    #    svycontrast(b, c(1, -1, 0)), (1, 0, -1), (0, 1, -1): coef, SE
    (True, "clusters"): dict(
        rate=[0.887882612811613, 0.94119094488189, 0.847331368696791],
        se=[0.0334543381723658, 0.0319641626548587, 0.0454334399597895],
        diff_se=[0.0462698653205007, 0.0564215402938524, 0.0555509240319732],
        # R: svychisq(~district + sat, des, statistic = "F" / "Chisq"): statistic, parameter, p.value
        f=(1.38523470727659, 1.98717974475246, 45.7051341293066, 0.260532230564915),
        chisq=(6.42191632733237, 2, 0.2502650538687)),
    (True, "strata"): dict(
        rate=[0.887882612811613, 0.94119094488189, 0.847331368696791],
        se=[0.0240990803443633, 0.020269406696003, 0.0323612404295542],
        diff_se=[0.0314899114202001, 0.0403486747686152, 0.0381850589883973],
        f=(2.99743501008314, 1.99854621280078, 873.364694993939, 0.0504670689759888),
        chisq=(6.42191632733237, 2, 0.0499149356152127)),
    (False, "clusters"): dict(
        rate=[0.878453038674033, 0.942028985507246, 0.845070422535211],
        se=[0.029054201881234, 0.0263573977815255, 0.0366161980861762],
        diff_se=[0.0392282941863276, 0.0467428348438731, 0.0451160545715121],
        f=(2.16194679307443, 1.98633311499123, 45.6856616447983, 0.127049453525022),
        chisq=(6.80233283692964, 2, 0.115100825290662)),
}


@pytest.mark.parametrize("case", list(R_DOMAINS))
def test_domain_rates_and_differences_as_r(answers, case):
    weighted, items_as = case
    expected = R_DOMAINS[case]
    s = survey(answers, weighted, items_as)
    rates = sa.domain_rates(s, "district")
    assert rates["rate"].tolist() == pytest.approx(expected["rate"], **TOL)
    assert rates["se"].tolist() == pytest.approx(expected["se"], **TOL)
    pairs = sa.domain_differences(s, "district")
    assert list(zip(pairs["group_1"], pairs["group_2"])) == [("D1", "D2"), ("D1", "D3"), ("D2", "D3")]
    assert pairs["se"].tolist() == pytest.approx(expected["diff_se"], **TOL)
    r = np.array(expected["rate"])
    assert pairs["difference"].tolist() == pytest.approx([r[0] - r[1], r[0] - r[2], r[1] - r[2]], **TOL)


@pytest.mark.parametrize("case", list(R_DOMAINS))
def test_subset_is_a_domain_of_the_whole_design_as_r(answers, case):
    # A subset keeps every cluster and stratum of the design (R: svyby over the domains,
    # or svymean on subset(design, district == d)): its pooled rate and SE are the domain's.
    weighted, items_as = case
    expected = R_DOMAINS[case]
    s = survey(answers, weighted, items_as)
    for position, district in enumerate(["D1", "D2", "D3"]):
        pooled = s.subset(district=district).overall().pooled
        assert pooled.estimate == pytest.approx(expected["rate"][position], **TOL)
        assert pooled.se == pytest.approx(expected["se"][position], **TOL)
    inside = s.subset(district="D1")
    assert inside.n_responses == int((answers["district"] == "D1").sum())
    assert s.subset(district=["D1", "D2"]).n_responses == int(answers["district"].isin(["D1", "D2"]).sum())
    with pytest.raises(ValueError, match="no answer has district in"):
        s.subset(district="D9")


@pytest.mark.parametrize("case", list(R_DOMAINS))
def test_rao_scott_as_r_svychisq(answers, case):
    weighted, items_as = case
    expected = R_DOMAINS[case]
    s = survey(answers, weighted, items_as)
    f = sa.rao_scott_test(s, "district", statistic="F")
    assert (f.statistic, f.ndf, f.ddf, f.p_value) == pytest.approx(expected["f"], **TOL)
    chisq = sa.rao_scott_test(s, "district", statistic="Chisq")
    assert (chisq.statistic, chisq.ndf, chisq.p_value) == pytest.approx(expected["chisq"], **TOL)
    assert np.isnan(chisq.ddf)
    frame = f.to_frame()
    assert frame.loc[0, "method"] == "rao_scott_f" and frame.loc[0, "groups"] == 3


def test_compare_groups_and_pairwise_use_the_design(answers):
    s = survey(answers, True)
    res = sa.compare_groups(s, group="district")
    # R: svychisq(~district + sat, ids = ~item_id, weights = ~w, statistic = "F")$p.value
    assert res.method == "rao_scott_f" and res.p_value == pytest.approx(0.260532230564915, **TOL)
    assert res.ddf == pytest.approx(45.7051341293066, **TOL)
    assert s.compare("district").p_value == res.p_value
    pairs = s.pairwise("district")
    assert pairs["method"].eq("design_t").all()
    # R: SE(svycontrast(b, c(1, -1, 0))) (design above)
    assert pairs.loc[0, "se"] == pytest.approx(0.0462698653205007, **TOL)
    assert (pairs["p_adjusted"] >= pairs["p_value"]).all()
    # Answers as independent, on request: Pearson / Fisher on the counts.
    naive = sa.compare_groups(answers, group="district", method="chi2")
    assert naive.method == "chi2" and naive.design == "answers as independent"
    with pytest.raises(ValueError, match="has no design"):
        sa.compare_groups(s.counts(["district"]), group="district", method="rao_scott")


def test_rao_scott_edges(answers):
    with pytest.raises(ValueError, match="unknown statistic 'Wald'"):
        sa.rao_scott_test(answers, "district", statistic="Wald")
    with pytest.raises(ValueError, match="at least two groups"):
        sa.rao_scott_test(answers.assign(district="D1"), "district")
    everyone = sa.rao_scott_test(answers.assign(rank=1), "district")
    assert np.isnan(everyone.p_value) and "same outcome" in everyone.note
    # Every answer satisfied: only one table has these margins, so compare_groups says p = 1.
    assert sa.compare_groups(answers.assign(rank=1), group="district").p_value == 1.0


# -- 4. rounds -------------------------------------------------------------------------------
@pytest.mark.parametrize(("weighted", "items_as", "expected"), [
    # R: svycontrast(svyby(~sat, ~round, des, svymean, covmat = TRUE), c(-1, 1)): coef, SE;
    #    est -/+ qt(0.975, degf(des)) * SE and 2 * pt(-|est / SE|, degf(des))
    (True, "clusters", (0.00416135816152063, 0.0220616613120433, -0.0414766654101253,
                        0.0497993817331666, 0.852041999420221)),
    (True, "strata", (0.00416135816152063, 0.0317775937839847, -0.0582994554347138,
                      0.0666221717577551, 0.895874776781556)),
    (False, "clusters", (0.00553665910808787, 0.0202555509815651, -0.0363651405831579,
                         0.0474384587993336, 0.787031111322576)),
])
def test_compare_rounds_overall_as_r(answers, weighted, items_as, expected):
    result = sa.compare_rounds(answers, weight="w" if weighted else False, items_as=items_as)
    row = result.overall.iloc[0]
    assert (row["earlier"], row["later"]) == ("R1", "R2")
    got = (row["difference"], row["se"], row["ci_low"], row["ci_high"], row["p_value"])
    assert got == pytest.approx(expected, **TOL)
    assert row["naive_ci_low"] < row["difference"] < row["naive_ci_high"]


# R: fisher.test(matrix(c(k2, n2 - k2, k1, n1 - k1), 2, byrow = TRUE))$p.value per item, and
#    Epi::ci.pd(k2, k1, n2 - k2, n1 - k1, method = "Nc") (round R2 minus R1), items I01..I24
R_ITEM_FISHER = [1, 0.595555555555556, 1, 1, 1, 0.493506493506494, 0.333333333333333, 1, 1,
                 0.584033613445378, 1, 1, 1, 0.294117647058824, 1, 1, 0.214285714285714, 1, 1,
                 0.525274725274725, 1, 1, 1, 1]


def _r_line(label: str) -> list:
    out = Path(__file__).parent / "R" / "reference_domains.out"
    for line in out.read_text(encoding="utf-8").splitlines():
        if line.startswith(label + ":"):
            return [float(v) for v in line[len(label) + 1:].split()]
    raise KeyError(label)


def test_compare_rounds_items_as_r(answers):
    items = sa.compare_rounds(answers, weight=False).items
    assert items["item_id"].tolist() == [f"I{i:02d}" for i in range(1, 25)]
    assert items["p_value"].tolist() == pytest.approx(R_ITEM_FISHER, rel=1e-10)
    # the Newcombe limits are read from the R output (24 x 2 values; script section 5)
    assert items["ci_low"].tolist() == pytest.approx(_r_line("items R2-R1 Epi::ci.pd Nc lower"), rel=1e-10)
    assert items["ci_high"].tolist() == pytest.approx(_r_line("items R2-R1 Epi::ci.pd Nc upper"), rel=1e-10)
    assert items["p_adjusted"].tolist() == pytest.approx(_r_line("items R2 p.adjust holm"), rel=1e-10)
    assert set(items["change"]) == {"no clear change"}


def test_compare_rounds_flags_a_real_change_and_items_in_one_round():
    # Item A: 2 of 30 -> 30 of 30 (Fisher p ~ 1e-14); B the same in both; C only in the later round.
    def rows(item, k, n, label):
        return pd.DataFrame({"item_id": item, "scale": "yes_no", "round": label,
                             "rank": [1] * k + [2] * (n - k)})
    frame = pd.concat([rows("A", 2, 30, "Q1"), rows("A", 30, 30, "Q2"), rows("B", 9, 10, "Q1"),
                       rows("B", 9, 10, "Q2"), rows("C", 5, 5, "Q2")], ignore_index=True)
    result = sa.compare_rounds(frame)
    items = result.items.set_index("item_id")
    assert items.loc["A", "change"] == "improved" and items.loc["A", "change_zh"] == "提高"
    assert items.loc["B", "change"] == "no clear change" and items.loc["B", "difference"] == 0
    assert items.loc["C", "change"] == "in one round only" and np.isnan(items.loc["C", "p_value"])
    assert len(result.improved) == 1 and result.worsened.empty
    assert "1 improved" in result.summary() and "1 个事项提高" in result.summary("zh")
    swapped = sa.compare_rounds(frame, rounds=("Q2", "Q1"))
    assert swapped.items.set_index("item_id").loc["A", "change"] == "worsened"


def test_compare_rounds_errors(answers):
    with pytest.raises(ValueError, match="round column 'wave' not found"):
        sa.compare_rounds(answers, round="wave")
    three = pd.concat([answers, answers.assign(round="R3")], ignore_index=True)
    with pytest.raises(ValueError, match="has 3 rounds"):
        sa.compare_rounds(three)
    assert sa.compare_rounds(three, rounds=("R1", "R3")).later == "R3"
    with pytest.raises(ValueError, match="no answers"):
        sa.compare_rounds(answers, rounds=("R1", "R9"))
    with pytest.raises(ValueError, match="unknown pvalue_adjustment"):
        sa.compare_rounds(answers, pvalue_adjustment="fdr")


def test_compare_rounds_from_two_sheets(tmp_path):
    for label, ratings in (("2026Q2", ["满意"] * 8 + ["不满意"] * 4), ("2026Q3", ["满意"] * 11 + ["不满意"])):
        pd.DataFrame({"item_id": ["A", "B"] * 6, "rating": ratings}).to_csv(tmp_path / f"{label}.csv",
                                                                            index=False)
    result = sa.compare_rounds([sa.load_responses(tmp_path / "2026Q2.csv"),
                                sa.load_responses(tmp_path / "2026Q3.csv")])
    assert (result.earlier, result.later) == ("2026Q2", "2026Q3")
    assert result.overall.loc[0, "difference"] == pytest.approx(11 / 12 - 8 / 12)


# -- 5. weighted item rates -------------------------------------------------------------------
def test_weighted_item_rates_as_r(answers):
    rates = sa.item_rates(answers, weight="w", method="wilson")
    # R: coef(svyby(~sat, ~item_id, svydesign(ids = ~1, strata = ~item_id, weights = ~w), svymean))
    assert rates["rate"].tolist() == pytest.approx(
        _r_line("weighted item rates svyby svymean coef (items I01..I24)"), **TOL)
    # R: tapply(w, item_id, function(w) {w <- w[w > 0]; sum(w)^2 / sum(w^2)})
    assert rates["n_effective"].tolist() == pytest.approx(_r_line("weighted item rates kish n_eff"), **TOL)
    # R: prop.test(p * n_eff, n_eff, correct = FALSE)$conf.int (Wilson at Kish's n)
    assert rates["ci_low"].tolist() == pytest.approx(
        _r_line("weighted item rates wilson low (prop.test(p n_eff, n_eff, correct = FALSE))"), **TOL)
    assert rates["ci_high"].tolist() == pytest.approx(_r_line("weighted item rates wilson high"), **TOL)
    assert ((rates["ci_low"] >= 0) & (rates["ci_high"] <= 1)).all()
    unweighted = sa.item_rates(answers, weight=False)
    assert "n_effective" not in unweighted.columns
    with pytest.raises(ValueError, match="mid_p"):
        sa.item_rates(answers, weight="w", method="mid_p")


def test_weighted_item_rates_with_all_zero_weights_in_an_item(answers):
    zero = answers.assign(w=np.where(answers["item_id"] == "I01", 0.0, answers["w"]))
    rates = sa.item_rates(zero, weight="w").set_index("item_id")
    assert rates.loc["I01", "n_effective"] == 0 and np.isnan(rates.loc["I01", "rate"])
    assert np.isnan(rates.loc["I01", "ci_low"])


# -- the covariance routine itself -------------------------------------------------------------
def test_stratified_covariance_rules():
    centred = np.array([[[2.0]], [[0.0]]])
    first = np.array([[0.0], [0.5]])
    units = np.array([3, 1])
    assert stratified_covariance(centred, first, units, lonely_cluster="remove")[0, 0] == 3.0  # 3/2 * 2
    assert stratified_covariance(centred, first, units, lonely_cluster="adjust")[0, 0] == 3.25
    assert stratified_covariance(centred, first, units, lonely_cluster="average")[0, 0] == 6.0
    with pytest.raises(ValueError, match="only one cluster: 'b'"):
        stratified_covariance(centred, first, units, labels=["a", "b"], lonely_cluster="fail")


def test_compare_rounds_everyone_satisfied_in_both_rounds(answers):
    # Zero design variance: the design gives no width, so the interval is Newcombe's (stated).
    result = sa.compare_rounds(answers.assign(rank=1), weight=False)
    row = result.overall.iloc[0]
    assert row["difference"] == 0 and row["se"] == 0 and row["p_value"] == 1.0
    assert "zero design variance" in row["note"] and "Newcombe" in row["note"]
    assert (row["ci_low"], row["ci_high"]) == (row["naive_ci_low"], row["naive_ci_high"])
    assert -1 < row["ci_low"] < 0 < row["ci_high"] < 1
    assert set(result.items["change"]) == {"no clear change"}
    assert result.items["p_value"].tolist() == pytest.approx([1.0] * 24)


def test_fisher_exact_pvalues_vectorized_against_scipy():
    from scipy import stats

    from survey_analysis.estimate.comparisons import fisher_exact_pvalues

    rng = np.random.default_rng(12)
    n1, n2 = rng.integers(1, 120, 400), rng.integers(1, 120, 400)
    k1, k2 = rng.binomial(n1, 0.9), rng.binomial(n2, 0.85)
    got = fisher_exact_pvalues(k1, n1 - k1, k2, n2 - k2)
    # scipy 1.x fisher_exact, one table per call (the same definition as R fisher.test)
    expected = [stats.fisher_exact([[a, b - a], [c, d - c]]).pvalue for a, b, c, d in zip(k1, n1, k2, n2)]
    assert got == pytest.approx(expected, rel=1e-9)
    # R: fisher.test(matrix(c(3, 2, 1, 4), 2, byrow = TRUE))$p.value = 0.523809523809524
    assert fisher_exact_pvalues([0, 3, 7], [0, 2, 0], [0, 1, 7], [0, 4, 0]) == pytest.approx(
        [np.nan, 0.523809523809524, 1.0], nan_ok=True, rel=1e-12)


def test_a_domain_with_every_answer_alike_gets_an_exact_interval_not_one_of_no_width():
    # Reason: 40 of 40 satisfied has no design variance; a t interval [1, 1] would claim
    # certainty. Clopper-Pearson on 40 answers: lower bound 0.025 ** (1 / 40) = 0.911896
    # (closed form of the Beta(40, 1) quantile; scipy.stats.beta.ppf(0.025, 40, 1)).
    r = pd.DataFrame({"item_id": np.repeat(["A", "B", "C", "D"], 40), "scale": "yes_no",
                      "channel": np.tile(["web", "desk"], 80)})
    r["rank"] = np.where((r["channel"] == "desk") & (np.arange(len(r)) % 3 == 0), 2, 1)
    out = sa.domain_rates(sa.Survey(r, items_as="strata", groups=["channel"]), "channel").set_index("channel")
    assert out.loc["web", "rate"] == 1.0 and out.loc["web", "n"] == 80
    assert out.loc["web", "ci_low"] == pytest.approx(0.025 ** (1 / 80), rel=1e-9)
    assert out.loc["web", "ci_high"] == 1.0
    assert "every answer alike" in out.loc["web", "note"]
    assert out.loc["desk", "ci_high"] < 1.0 and "alike" not in out.loc["desk", "note"]
    zero = sa.domain_rates(sa.Survey(r.assign(rank=2), items_as="strata", groups=["channel"]), "channel")
    assert (zero["ci_low"] == 0).all() and zero["ci_high"].to_numpy() == pytest.approx(1 - 0.025 ** (1 / 80))


def test_counts_computed_once_per_design_stay_each_designs_own():
    # Design.counts and level_counts are remembered per design: a caller changing the table
    # it got changes no later answer, and a design under another definition or a domain
    # counts afresh. Expected counts by hand from the six answers below (cn3: 满意 and
    # 基本满意 satisfied; top_box: 满意 alone).
    tidy = sa.load_responses(pd.DataFrame({
        "事项编号": ["A", "A", "A", "B", "B", "B"], "受访者": [1, 2, 3, 1, 2, 3],
        "满意度": ["满意", "基本满意", "不满意", "满意", "满意", "基本满意"]}))
    survey = sa.Survey(tidy)
    first = survey.counts()
    first["satisfied"] = 0
    first.loc[0, "n"] = 99
    assert survey.counts()[["item_id", "n", "satisfied"]].to_dict("list") == \
        {"item_id": ["A", "B"], "n": [3, 3], "satisfied": [2, 3]}
    strict = survey.with_definition("top_box")
    assert strict.counts()["satisfied"].tolist() == [1, 2]
    assert survey.counts()["satisfied"].tolist() == [2, 3]
    levels = survey.level_counts()
    levels["n"] = 0
    assert survey.level_counts()["n"].tolist() == [3, 2, 1]
    assert survey.subset(item_id="A").counts([])["satisfied"].tolist() == [2]
