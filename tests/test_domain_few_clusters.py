"""Degrees of freedom of a domain held by few clusters (issue "Month after month", part
"Domains in few clusters").

Rule (Korn & Graubard 1999, Analysis of Health Surveys, sec. 5.2): a domain's degrees of
freedom are the clusters holding at least one of its answers minus the strata holding
those clusters (without strata: its clusters - 1); a difference of two domains uses the
clusters holding either, capped by Welch-Satterthwaite's when a domain has fewer than 10
(Satterthwaite 1946). A domain with df < 1 has no variance estimate.

The data are built by hand: 6 items (the clusters) in 3 categories,

    item  category  region  answers (1 = satisfied, 2 = not; scale yes_no)
    a1    A         N       1 1 1 1
    b1    B         N       1 1 2 1
    b2    B         S       1 2 2 1 1
    c1    C         N       1 1 1 2
    c2    C         S       2 2 1 1 1 1
    c3    C         S       1 1 1 1 2

and a respondent attribute ``sex`` (F, M alternating) present in every item.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import survey_analysis as sa

ITEMS = {
    "a1": ("A", "N", [1, 1, 1, 1]),
    "b1": ("B", "N", [1, 1, 2, 1]),
    "b2": ("B", "S", [1, 2, 2, 1, 1]),
    "c1": ("C", "N", [1, 1, 1, 2]),
    "c2": ("C", "S", [2, 2, 1, 1, 1, 1]),
    "c3": ("C", "S", [1, 1, 1, 1, 2]),
}

# Pre-change values (computed with the package before domain degrees of freedom were
# introduced, when every domain used the design's df): the estimates and standard errors
# that tests/test_domains.py ties to R svyby / svycontrast. They must not move.
BEFORE = {
    "plain": dict(rate=[1.0, 0.6666666666666666, 0.7333333333333333],
                  se=[0.0, 0.05737753105492469, 0.0383357487161739],
                  diff_se_bc=0.06900587438463827),
    "weighted": dict(rate=[1.0, 0.56, 0.7674418604651163],
                     se=[0.0, 0.05205289617302769, 0.025973495669535957],
                     diff_se_bc=0.05817324537358565),
    "strata": dict(rate=[1.0, 0.6666666666666666, 0.7333333333333333],
                   se=[0.0, 0.05237828008789241, 0.042629613540557505]),
    # by = sex (every item holds both sexes): rates, SEs, difference SE and p-value
    "plain/sex": dict(se=[0.06953815898882826, 0.09657848881942327], diff_se=0.12795324550984538,
                      p=0.7902925808816098, df=5),
    "strata/sex": dict(se=[0.06666666666666667, 0.10384573239517304], diff_se=0.14267650720892863,
                       p=0.8137477839569058, df=4),
}
OPTIONS = {"plain": dict(weight=False), "weighted": dict(weight="w"),
           "strata": dict(weight=False, strata="region")}


@pytest.fixture(scope="module")
def answers():
    rows = []
    for item, (category, region, ranks) in ITEMS.items():
        for k, rank in enumerate(ranks):
            rows.append(dict(item_id=item, category=category, region=region, scale="yes_no",
                             rank=rank, sex="F" if k % 2 == 0 else "M", w=1.0 + 0.5 * (k % 3)))
    return pd.DataFrame(rows)


# -- 1. one stratum: df = clusters holding the domain - 1 ------------------------------------
def test_domain_df_is_its_own_clusters_minus_one(answers):
    out = sa.domain_rates(answers, "category", weight=False).set_index("category")
    # Hand: A is held by 1 item -> 1 - 1 = 0; B by 2 -> 1; C by 3 -> 2.
    clusters = answers.groupby("category")["item_id"].nunique()
    assert out["df"].tolist() == [0, 1, 2] == (clusters - 1).tolist()
    # A: no variance estimate (R svyby says SE 0 here), and a note in both languages.
    assert np.isnan(out.loc["A", "se"]) and np.isnan(out.loc["A", "ci_low"]) and np.isnan(out.loc["A", "ci_high"])
    assert out.loc["A", "rate"] == 1.0
    assert out.loc["A", "note"] == "only 1 cluster(s) hold this domain: no variance estimate"
    assert out.loc["A", "note"].render("zh") == "只有 1 个群含有此类：无法估计方差"
    # B: t interval on 1 df: 2/3 -/+ qt(0.975, 1) * se (qt(0.975, 1) = 12.706), clipped to [0, 1].
    se_b = BEFORE["plain"]["se"][1]
    half = stats.t.ppf(0.975, 1) * se_b
    assert (out.loc["B", "ci_low"], out.loc["B", "ci_high"]) == pytest.approx(
        (max(2 / 3 - half, 0.0), min(2 / 3 + half, 1.0)), rel=1e-12)
    # C: 3 clusters, 2 df -> the few-clusters note.
    assert "only 3 clusters" in out.loc["C", "note"] and "very uncertain" in out.loc["C", "note"]
    assert "仅 3 个群" in out.loc["C", "note"].render("zh")
    half_c = stats.t.ppf(0.975, 2) * BEFORE["plain"]["se"][2]
    assert out.loc["C", "ci_high"] == pytest.approx(0.7333333333333333 + half_c, rel=1e-12)


# -- 2. strata: df = clusters holding the domain - strata holding them ------------------------
def test_domain_df_with_strata(answers):
    out = sa.domain_rates(answers, "category", weight=False, strata="region").set_index("category")
    # Hand: A = a1 (N): 1 - 1 = 0; B = b1 (N), b2 (S): 2 - 2 = 0; C = c1 (N), c2, c3 (S): 3 - 2 = 1.
    assert out["df"].tolist() == [0, 0, 1]
    assert out["se"].isna().tolist() == [True, True, False]
    assert out.loc["B", "note"] == ("the 2 cluster(s) holding this domain lie in 2 stratum/strata "
                                    "(0 degree(s) of freedom): no variance estimate")
    assert out.loc["A", "note"] == "only 1 cluster(s) hold this domain: no variance estimate"
    assert out.loc["C", "se"] == pytest.approx(BEFORE["strata"]["se"][2], rel=1e-12)
    half = stats.t.ppf(0.975, 1) * BEFORE["strata"]["se"][2]
    assert out.loc["C", "ci_low"] == pytest.approx(max(0.7333333333333333 - half, 0.0), abs=1e-12)


# -- 3. differences: the clusters holding either domain ---------------------------------------
def test_domain_differences_df_and_missing_variance(answers):
    pairs = sa.domain_differences(answers, "category", weight=False)
    pairs = pairs.set_index(["group_1", "group_2"])
    # A (one cluster) against anything: no se, interval, statistic or p-value -- never the
    # pre-change p = 0.0021 of "100% vs 67%" on 5 df.
    for other in ("B", "C"):
        row = pairs.loc[("A", other)]
        assert np.isnan([row["se"], row["ci_low"], row["ci_high"], row["statistic"], row["p_value"]]).all()
        assert row["note"] == "'A': only 1 cluster(s) hold this domain: no variance estimate"
        assert row["difference"] == pytest.approx(1.0 - BEFORE["plain"]["rate"]["BC".index(other) + 1])
    # B vs C: clusters holding B or C = b1, b2, c1, c2, c3 = 5, one stratum -> 5 - 1 = 4; but B
    # has 1 degree of freedom of its own and C 2 (< 10), so Welch-Satterthwaite's from the two
    # domains' variances caps it: (vB + vC)^2 / (vB^2 / 1 + vC^2 / 2) = 1.9025 (by hand below).
    row = pairs.loc[("B", "C")]
    var_b, var_c = BEFORE["plain"]["se"][1] ** 2, BEFORE["plain"]["se"][2] ** 2
    welch = (var_b + var_c) ** 2 / (var_b ** 2 / 1 + var_c ** 2 / 2)
    assert welch == pytest.approx(1.9025132, abs=1e-7) and row["df"] == pytest.approx(welch, rel=1e-12)
    assert row["se"] == pytest.approx(BEFORE["plain"]["diff_se_bc"], rel=1e-12)
    statistic = (2 / 3 - 11 / 15) / BEFORE["plain"]["diff_se_bc"]
    assert row["statistic"] == pytest.approx(statistic, rel=1e-12)
    assert row["p_value"] == pytest.approx(stats.t.sf(abs(row["statistic"]), welch) * 2, rel=1e-12)
    assert row["ci_high"] - row["difference"] == pytest.approx(stats.t.ppf(0.975, welch) * row["se"], rel=1e-12)
    assert row["note"] == ("'B' is held by only 2 units (1.9 degree(s) of freedom for the difference, "
                           "fewer than 10): very uncertain")


def test_domain_differences_with_strata(answers):
    pairs = sa.domain_differences(answers, "category", weight=False, strata="region")
    row = pairs.set_index(["group_1", "group_2"]).loc[("B", "C")]
    # Hand: B or C -> 5 clusters in 2 strata -> 5 - 2 = 3; but B has no df of its own
    # (2 clusters - 2 strata = 0), so no variance estimate for the difference.
    assert row["df"] == 3 and np.isnan(row["p_value"]) and np.isnan(row["se"])
    assert row["note"].startswith("'B': the 2 cluster(s) holding this domain")


def test_pairwise_and_rao_scott_with_a_one_cluster_group(answers):
    test = sa.rao_scott_test(answers, "category", weight=False)
    assert np.isnan(test.p_value) and np.isnan(test.statistic)
    assert test.note == "fewer than two clusters hold group(s) 'A': no design-based test"
    assert "'A'" in test.note.render("zh")
    # Every item holds both sexes: the test is done.
    assert 0 < sa.rao_scott_test(answers, "sex", weight=False).p_value < 1
    pairs = sa.pairwise_comparisons(sa.Survey(answers, weight=False, groups=["category"]),
                                    group="category", method="design")
    assert pairs["p_value"].isna().tolist() == [True, True, False]
    # A or B: 3 - 1; A or C: 4 - 1 (A has no df: no Welch cap); B or C: Welch 1.9025 (above)
    assert pairs["df"].tolist() == pytest.approx([2, 3, 1.9025132], abs=1e-7)
    assert pairs["p_adjusted"].isna().tolist() == [True, True, False]


# -- 4. a domain spanning every cluster keeps the design's df --------------------------------
@pytest.mark.parametrize("case", ["plain", "strata"])
def test_domain_in_every_cluster_keeps_design_df(answers, case):
    out = sa.domain_rates(answers, "sex", **OPTIONS[case])
    expected = BEFORE[f"{case}/sex"]
    # Hand: 6 items, each holding both sexes: 6 - 1 = 5 (one stratum), 6 - 2 = 4 (N, S).
    assert out["df"].tolist() == [expected["df"]] * 2
    assert out["se"].tolist() == pytest.approx(expected["se"], rel=1e-12)
    pairs = sa.domain_differences(answers, "sex", **OPTIONS[case])
    assert pairs.loc[0, "df"] == expected["df"]
    assert pairs.loc[0, "se"] == pytest.approx(expected["diff_se"], rel=1e-12)
    assert pairs.loc[0, "p_value"] == pytest.approx(expected["p"], rel=1e-12)  # unchanged


# -- 5. estimates and SEs of multi-cluster domains unchanged ----------------------------------
@pytest.mark.parametrize("case", ["plain", "weighted", "strata"])
def test_estimates_and_ses_unchanged(answers, case):
    out = sa.domain_rates(answers, "category", **OPTIONS[case])
    expected = BEFORE[case]
    assert out["rate"].tolist() == pytest.approx(expected["rate"], abs=1e-12)
    estimable = out["df"].to_numpy() >= 1
    assert np.abs(out["se"].to_numpy()[estimable] - np.array(expected["se"])[estimable]).max() <= 1e-12
    if "diff_se_bc" in expected:
        pairs = sa.domain_differences(answers, "category", pairs=[("B", "C")], **OPTIONS[case])
        assert abs(pairs.loc[0, "se"] - expected["diff_se_bc"]) <= 1e-12


# -- other units: answers as units, zero weights, subsets -------------------------------------
def test_items_as_strata_counts_answers(answers):
    out = sa.domain_rates(answers, "category", weight=False, items_as="strata")
    # Hand: answers in the domain - items (strata) holding them: A 4 - 1, B 9 - 2, C 15 - 3.
    assert out["df"].tolist() == [3, 7, 12]
    assert out["note"].tolist()[2] == ""
    assert out["note"].tolist()[1].startswith("only 9 answers belong to this domain (7 degree(s)")


def test_zero_weights_do_not_hold_a_domain(answers):
    zero = answers.assign(w=np.where(answers["item_id"] == "b2", 0.0, answers["w"]))
    out = sa.domain_rates(zero, "category", weight="w").set_index("category")
    # b2's answers weigh 0: B is held by b1 alone -> 1 - 1 = 0.
    assert out.loc["B", "df"] == 0 and np.isnan(out.loc["B", "se"])


def test_subset_counts_the_clusters_inside_it(answers):
    s = sa.Survey(answers, weight=False, groups=["category", "sex"]).subset(sex="F")
    out = sa.domain_rates(s, "category")
    # Every item has F answers: A 1 - 1, B 2 - 1, C 3 - 1.
    assert out["df"].tolist() == [0, 1, 2]
