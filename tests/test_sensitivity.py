"""Definition sensitivity and the score index: by hand and against R survey 4.1.1."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey_analysis import SCALES, load_responses
from survey_analysis.estimate.sensitivity import definition_sensitivity, score_index

LABELS3 = {1: "满意", 2: "基本满意", 3: "不满意"}

# Six items; per item the counts of (满意, 基本满意, 不满意), rows in that order. The same data as
# tests/R/reference_sensitivity.R.
COUNTS = {"A": (4, 1, 1), "B": (2, 2, 0), "C": (1, 1, 2), "D": (5, 0, 0), "E": (3, 3, 0),
          "F": (6, 1, 1)}


def build(counts=COUNTS, scale=3, labels=LABELS3):
    rows = []
    for item, per_level in counts.items():
        ranks = np.repeat(np.arange(1, len(per_level) + 1), per_level)
        rows += [(item, r, 1.0 + i % 3) for i, r in enumerate(ranks)]
    frame = pd.DataFrame(rows, columns=["item_id", "rank", "w"])
    frame["rating"] = frame["rank"].map(labels)
    frame["scale"] = scale
    frame["stratum"] = np.where(frame["item_id"].isin(["A", "B", "C"]), "s1", "s2")
    return frame


def pick(table, definition, estimand):
    return table.set_index(["definition", "estimand"]).loc[(definition, estimand)]


def test_estimates_by_hand():
    t = definition_sensitivity(build(), weight=False)
    # n = 33. top-two-box: 5+4+2+5+6+7 = 29 -> 29/33; top-box: 4+2+1+5+3+6 = 21 -> 21/33.
    # Score sums (0-100): A 4*100+50 = 450, B 300, C 150, D 500, E 450, F 650 -> 2500/33/100.
    assert pick(t, "top_two_box", "pooled")["estimate"] == pytest.approx(29 / 33, rel=1e-14)
    assert pick(t, "top_box", "pooled")["estimate"] == pytest.approx(21 / 33, rel=1e-14)
    assert pick(t, "score_index", "pooled")["estimate"] == pytest.approx(25 / 33, rel=1e-14)
    # Item rates: top-two 5/6, 1, 1/2, 1, 1, 7/8; top 4/6, 1/2, 1/4, 1, 1/2, 3/4;
    # item scores 75, 75, 37.5, 100, 75, 81.25.
    top2 = np.mean([5 / 6, 1, 0.5, 1, 1, 7 / 8])
    top = np.mean([4 / 6, 0.5, 0.25, 1, 0.5, 0.75])
    score = np.mean([75, 75, 37.5, 100, 75, 81.25]) / 100
    assert pick(t, "top_two_box", "mean_of_items")["estimate"] == pytest.approx(top2, rel=1e-14)
    assert pick(t, "top_box", "mean_of_items")["estimate"] == pytest.approx(top, rel=1e-14)
    assert pick(t, "score_index", "mean_of_items")["estimate"] == pytest.approx(score, rel=1e-14)
    assert pick(t, "top_box", "pooled")["difference"] == pytest.approx((21 - 29) / 33, rel=1e-14)
    assert pick(t, "top_two_box", "pooled")["difference"] == 0.0
    assert list(t.columns) == ["definition", "label", "label_zh", "satisfied_levels", "is_default", "estimand",
                               "estimate", "ci_low", "ci_high", "ci_method", "confidence_level",
                               "n_responses", "n_clusters", "df", "difference", "note"]
    assert t["definition"].tolist() == ["top_two_box"] * 2 + ["top_box"] * 2 + ["score_index"] * 2
    assert t["satisfied_levels"].tolist()[::2] == ["满意 + 基本满意", "满意", "mean score / 100"]
    assert t["is_default"].tolist() == [True, True, False, False, False, False]


# R 4.2.2, survey 4.1.1 -- tests/R/reference_sensitivity.R, output tests/R/reference_sensitivity.out
#   plain:           des <- svydesign(ids=~item, data=d, weights=~1)
#   weighted_strata: des <- svydesign(ids=~item, strata=~stratum, data=d, weights=~w)
#   score: m <- svymean(~score, des); confint(m, level=lev, df=degf(des))
#   top / top2: svyciprop(~top, des, method="logit", level=lev) (glm-fitted: compare to 1e-8)
#   mean_of_items: t.test(item means)$conf.int (upper clipped to 1 by the package)
R_SCORE = [
    # design, level, estimate, low, high
    ("plain", 0.95, 0.757575757575758, 0.586717472360749, 0.928434042790766),
    ("plain", 0.90, 0.757575757575758, 0.623641990161678, 0.891509524989837),
    ("weighted_strata", 0.95, 0.733870967741935, 0.584578078106669, 0.883163857377202),
    ("weighted_strata", 0.90, 0.733870967741935, 0.619238927513757, 0.848503007970114),
]
R_RATES = [
    # design, level, definition, estimate, low, high
    ("plain", 0.95, "top_box", 0.636363636363632, 0.388969557852916, 0.827908634675352),
    ("plain", 0.95, "top_two_box", 0.878787878775241, 0.618177380244701, 0.970118644466341),
    ("plain", 0.90, "top_box", 0.636363636363632, 0.441987440680515, 0.794510551396627),
    ("weighted_strata", 0.95, "top_box", 0.612903225806448, 0.371123516155826, 0.809453734891453),
    ("weighted_strata", 0.95, "top_two_box", 0.854838709677014, 0.603788231568189,
     0.957906626749472),
    ("weighted_strata", 0.90, "top_two_box", 0.854838709677014, 0.675926945659653,
     0.943268354328866),
]
R_ITEM_MEANS = [
    # design, definition, estimate, low, high (t.test at 0.95)
    ("plain", "score_index", 0.739583333333333, 0.526374678427953, 0.952791988238714),
    ("plain", "top_box", 0.611111111111111, 0.342036261752141, 0.880185960470081),
    ("plain", "top_two_box", 0.868055555555556, 0.664050687556467, 1.07206042355464),
    ("weighted_strata", "score_index", 0.708333333333333, 0.458748961915012, 0.957917704751655),
    ("weighted_strata", "top_two_box", 0.840873015873016, 0.603932847523579, 1.07781318422245),
]
DESIGNS = {"plain": {"weight": False}, "weighted_strata": {"weight": "w", "strata": "stratum"}}


@pytest.mark.parametrize(("design", "level", "estimate", "low", "high"), R_SCORE)
def test_score_index_matches_svymean(design, level, estimate, low, high):
    t = definition_sensitivity(build(), confidence_level=level, **DESIGNS[design])
    row = pick(t, "score_index", "pooled")
    assert row[["estimate", "ci_low", "ci_high"]].tolist() == pytest.approx(
        [estimate, low, high], rel=1e-12)
    assert row["df"] == (5 if design == "plain" else 4)  # degf(des) in the R output


@pytest.mark.parametrize(("design", "level", "definition", "estimate", "low", "high"), R_RATES)
def test_rates_match_svyciprop(design, level, definition, estimate, low, high):
    t = definition_sensitivity(build(), confidence_level=level, **DESIGNS[design])
    row = pick(t, definition, "pooled")
    assert row["ci_method"] == "cluster_logit"
    assert row[["estimate", "ci_low", "ci_high"]].tolist() == pytest.approx(
        [estimate, low, high], rel=1e-8)


@pytest.mark.parametrize(("design", "definition", "estimate", "low", "high"), R_ITEM_MEANS)
def test_mean_of_items_matches_t_test(design, definition, estimate, low, high):
    row = pick(definition_sensitivity(build(), **DESIGNS[design]), definition, "mean_of_items")
    assert row[["estimate", "ci_low", "ci_high"]].tolist() == pytest.approx(
        [estimate, low, min(high, 1.0)], rel=1e-12)


def test_five_level_scores_by_hand():
    labels5 = dict(enumerate(("非常满意", "满意", "一般", "不满意", "非常不满意"), start=1))
    counts = {"A": (2, 1, 1, 0, 0), "B": (0, 2, 0, 1, 1)}
    r = build(counts, scale=5, labels=labels5)
    t = definition_sensitivity(r, weight=False)
    # A: 2*100 + 75 + 50 = 325 (n 4); B: 2*75 + 25 + 0 = 175 (n 4) -> 500 / 8 / 100 = 0.625.
    assert pick(t, "score_index", "pooled")["estimate"] == pytest.approx(0.625)
    # top-box on 5 levels is 非常满意 only: 2/8; top-two-box 非常满意 + 满意: 5/8.
    assert pick(t, "top_box", "pooled")["estimate"] == pytest.approx(2 / 8)
    assert pick(t, "top_two_box", "pooled")["estimate"] == pytest.approx(5 / 8)


def test_national_five_levels_compare_every_definition():
    # 好差评 (haochaping5): the convention counts the top three (not 差评); the table also
    # gives top box and top two box, then the score index.
    labels = dict(enumerate(("非常满意", "满意", "基本满意", "不满意", "非常不满意"), start=1))
    r = build({"A": (2, 1, 1, 0, 0), "B": (0, 2, 0, 1, 1)}, scale="haochaping5", labels=labels)
    t = definition_sensitivity(r, weight=False)
    pooled = t.loc[t["estimand"] == "pooled"]
    assert pooled["definition"].tolist() == ["top_three_box", "top_box", "top_two_box",
                                             "score_index"]
    assert pooled["satisfied_levels"].tolist()[:3] == ["非常满意 + 满意 + 基本满意", "非常满意",
                                                       "非常满意 + 满意"]
    # By hand, n = 8: top three A 4 + B 2 = 6; top box 2; top two 3 + 2 = 5;
    # scores A 2*100 + 75 + 50 = 325, B 2*75 + 25 + 0 = 175 -> 500 / 800.
    assert pooled["estimate"].tolist() == pytest.approx([6 / 8, 2 / 8, 5 / 8, 0.625])
    assert pooled["difference"].tolist() == pytest.approx([0, -4 / 8, -1 / 8, 0.625 - 0.75])


def test_custom_scores():
    r = build()
    # 基本满意 = 60 instead of 50: sums become A 460, B 320, C 160, D 500, E 480, F 660 = 2580.
    nested = score_index(r, weight=False, scores={3: {"满意": 100, "基本满意": 60, "不满意": 0}})
    flat = score_index(r, weight=False, scores={"满意": 100, "基本满意": 60, "不满意": 0})
    assert nested["estimate"].iloc[0] == pytest.approx(2580 / 33 / 100, rel=1e-14)
    assert flat["estimate"].tolist() == nested["estimate"].tolist()
    assert SCALES["cn3"].scores == (100.0, 50.0, 0.0)


def test_mixed_scales_with_nested_scores():
    # A 3-level sheet and a 5-level sheet in one frame: each row scored on its own scale.
    three = build({"A": (1, 1, 0)})
    labels5 = dict(enumerate(("非常满意", "满意", "一般", "不满意", "非常不满意"), start=1))
    five = build({"B": (0, 1, 0, 0, 1)}, scale=5, labels=labels5)
    # By hand: 100 + 50 + 75 + 0 = 225 over 4 responses.
    out = score_index(pd.concat([three, five], ignore_index=True), weight=False)
    assert out["estimate"].iloc[0] == pytest.approx(225 / 400)


def test_edges():
    # All satisfied: the index is 1 with zero design variance, said in the note.
    r = build({"A": (3, 0, 0), "B": (2, 0, 0)})
    row = pick(definition_sensitivity(r, weight=False), "score_index", "pooled")
    assert (row["estimate"], row["ci_low"], row["ci_high"]) == (1.0, 1.0, 1.0)
    assert "zero design variance" in row["note"]
    # One item: no design-based interval.
    one = score_index(build({"A": (3, 1, 1)}), weight=False)
    assert one["estimate"].iloc[0] == pytest.approx((300 + 50) / 500)
    assert np.isnan(one["ci_low"].iloc[0]) and "fewer than two" in one["note"].iloc[0]
    # n = 1 in an item is fine; bounds stay within [0, 1].
    small = definition_sensitivity(build({"A": (1, 0, 0), "B": (0, 0, 1), "C": (0, 1, 0)}),
                                   weight=False)
    assert small["ci_low"].dropna().between(0, 1).all()
    assert small["ci_high"].dropna().between(0, 1).all()


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6), st.integers(0, 6))
                .filter(lambda c: sum(c) > 0), min_size=2, max_size=6))
def test_index_lies_between_box_rates(per_item):
    # 基本满意 counts 1 in top-two-box, 0.5 in the index, 0 in top-box; so for both estimands
    # top_box <= score_index <= top_two_box.
    r = build({f"i{j}": c for j, c in enumerate(per_item)})
    t = definition_sensitivity(r, weight=False)
    for estimand in ("pooled", "mean_of_items"):
        top = pick(t, "top_box", estimand)["estimate"]
        index = pick(t, "score_index", estimand)["estimate"]
        top2 = pick(t, "top_two_box", estimand)["estimate"]
        assert top - 1e-12 <= index <= top2 + 1e-12
        assert index == pytest.approx((top + top2) / 2)  # with the default 100 / 50 / 0


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"method": "wald"}, "method"),
    ({"confidence_level": 95}, "confidence_level"),
    ({"scores": {3: {"满意": 100, "不满意": 0}}}, "no score for '基本满意'"),
    ({"scores": {"cn3": {"满意": 100, "不满意": 0}}}, "no score for '基本满意'"),
    ({"scores": {"满意": 100, "基本满意": 150, "不满意": 0}}, "between 0 and 100"),
    ({"scores": {"满意": 100, "基本满意": 50, "不满意": 0, "很好": 90}}, "on no scale in use"),
    ({"cluster": "community"}, "community"),
    ({"weight": "nope"}, "nope"),
])
def test_bad_input_raises(kwargs, match):
    with pytest.raises(ValueError, match=match):
        definition_sensitivity(build(), **kwargs)


def test_clusters_must_nest_in_strata():
    r = build()
    r.loc[r.index[0], "stratum"] = "s2"  # item A now in two strata
    with pytest.raises(ValueError, match="nested"):
        score_index(r, strata="stratum", weight=False)


def test_several_scales_get_their_own_definitions():
    # A GP-style sheet: a 4-level ease question and a 5-level experience question. Each
    # scale's alternatives are its own (top box on easy4_en; top box and top three on
    # good5_en), one scale at a time; no "top three" touches the 4-level scale (it would
    # count "Not very easy" as satisfied), and no row repeats another's levels.
    easy = ["Very easy", "Fairly easy", "Not very easy", "Not at all easy"]
    good = ["Very good", "Fairly good", "Neither good nor poor", "Fairly poor", "Very poor"]
    sheet = pd.DataFrame({"respondent": ["P1", "P2", "P3", "P4"], "phone_ease": easy,
                          "experience": good[:4]})
    t = definition_sensitivity(load_responses(sheet, columns={"respondent_id": "respondent"}), weight=False)
    pooled = t.loc[t["estimand"] == "pooled"]
    assert pooled["definition"].tolist() == ["default", "easy4_en: top_box", "good5_en: top_box",
                                             "good5_en: top_three_box", "score_index"]
    assert pooled["label"].tolist()[:4] == ["each scale's convention", "easy4_en: top 1 of 4",
                                            "good5_en: top 1 of 5", "good5_en: top 3 of 5"]
    assert pooled["label_zh"].tolist()[3] == "good5_en：前 3 级（共 5 级）"
    assert pooled["satisfied_levels"].tolist()[3].endswith("Very good + Fairly good + Neither good nor poor")
    # By hand, 8 answers: conventions (top two each) 2 + 2 = 4; easy top box 1 + 2 = 3;
    # good top box 2 + 1 = 3; good top three 2 + 3 = 5.
    assert pooled["estimate"].tolist()[:4] == pytest.approx([4 / 8, 3 / 8, 3 / 8, 5 / 8])
    assert not pooled["satisfied_levels"].duplicated().any()
