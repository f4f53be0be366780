"""check_claims: verdict logic on small constructed data (every expectation derived in a comment)."""

import numpy as np
import pandas as pd
import pytest

from survey_analysis import check_claims, read_claims
from survey_analysis.claims.check import VERDICTS, interval_verdict
from survey_analysis.load.claimset import claim_interval


def responses(pairs):
    """Tidy responses from per-item (k, n), items I1, I2, ...: first k satisfied."""
    item, rank = [], []
    for i, (k, n) in enumerate(pairs, start=1):
        item += [f"I{i}"] * n
        rank += [1] * k + [3] * (n - k)
    rank = np.array(rank)
    return pd.DataFrame({"item_id": item, "rating": np.where(rank == 1, "满意", "不满意"),
                         "scale": "cn3", "rank": rank})


def claims(*rows):
    columns = ["id", "kind", "value", "qualifier", "lower", "upper", "item", "quote"]
    table = pd.DataFrame([dict(zip(columns, r)) for r in rows], columns=columns)
    return table.assign(source="test")


OVER_95 = ("over95", "overall_rate", 95, "over", np.nan, np.nan, np.nan, "超过95%")
TEN_PLUS = ("tenplus", "items_at_100", 10, "range", 11, 19, np.nan, "十余件")


def test_over_95_supported_when_lower_bound_above():
    # 20 items at 200/200 and 20 at 196/200 -> pooled 7920/8000 = 0.99; the one-sided lower
    # bound is far above 0.95 (items differ only a little, so the design variance is small).
    data = responses([(200, 200)] * 20 + [(196, 200)] * 20)
    table = check_claims(data, claims(OVER_95))
    assert table["verdict"].tolist() == ["supported", "supported"]
    assert table["estimand"].tolist() == ["pooled", "mean_of_items"]
    pooled = table.set_index("estimand").loc["pooled"]
    assert pooled["estimate"] == pytest.approx(0.99)
    assert pooled["ci_low"] > 0.95


def test_over_95_contradicted_when_upper_bound_below():
    # 30 items at 80/100 and 90/100 -> pooled 0.85; the upper bound is far below 0.95.
    data = responses([(80, 100), (90, 100)] * 15)
    table = check_claims(data, claims(OVER_95))
    assert table["verdict"].tolist() == ["contradicted", "contradicted"]
    assert table["verdict_zh"].tolist() == ["矛盾", "矛盾"]


def test_over_95_not_shown_when_interval_straddles():
    # 10 items of 20 answers, 19/19/20/18/19 twice -> pooled 190/200 = 0.95 exactly, so the
    # interval must straddle 0.95 whatever its width.
    data = responses([(19, 20), (19, 20), (20, 20), (18, 20), (19, 20)] * 2)
    table = check_claims(data, claims(OVER_95))
    pooled = table.set_index("estimand").loc["pooled"]
    assert pooled["estimate"] == pytest.approx(0.95)  # 190 of 200
    assert pooled["ci_low"] < 0.95 < pooled["ci_high"]
    assert pooled["verdict"] == "consistent but not shown"


def test_ten_plus_counts_items_at_100():
    # 12 items at 100% (in the range 11-19) and 3 items below.
    data = responses([(10, 10)] * 12 + [(9, 10)] * 3)
    row = check_claims(data, claims(TEN_PLUS)).set_index("claim_id").loc["tenplus"]
    assert row["estimate"] == 12 and row["verdict"] == "supported"
    # 0.05 ** (1/10) = 0.741 is the bound for every one of them; without an overall claim no
    # threshold is assumed ...
    assert "0.741" in row["detail"] and "true rate above" not in row["detail"]
    # ... and with one (or threshold=) the detail says how many of them show a rate above it.
    row = check_claims(data, claims(TEN_PLUS), threshold=0.95).set_index("claim_id").loc["tenplus"]
    assert "0 of them show a true rate above 95%" in row["detail"]
    assert "其中 0 个能说明真实满意率高于 95%" in row["detail_zh"]
    # The chance judgement: 12 of 15 items of size 10 at 100% with 147/150 satisfied; a fitted
    # beta-binomial expects a similar count, so P(11-19) must be far from 0.
    assert "chance alone gives" in row["detail"]
    probability = float(row["detail"].rsplit("= ", 1)[1])
    assert 0.2 < probability <= 1.0
    data = responses([(10, 10)] * 25 + [(9, 10)] * 3)
    assert check_claims(data, claims(TEN_PLUS))["verdict"].tolist() == ["contradicted"]
    data = responses([(10, 10)] * 10 + [(9, 10)] * 3)  # exactly ten is not "ten-plus"
    assert check_claims(data, claims(TEN_PLUS))["verdict"].tolist() == ["contradicted"]


def test_named_item_rows():
    item_claim = ("named", "item_at_100", 100, "exact", np.nan, np.nan, "I2", "达100%")
    missing = ("gone", "item_at_100", 100, "exact", np.nan, np.nan, "I9", "达100%")
    table = check_claims(responses([(9, 10), (13, 13)]), claims(item_claim, missing))
    assert table["verdict"].tolist() == ["supported", "not in data"]
    named = table.set_index("claim_id").loc["named"]
    # R 4.2.2: binom.test(13, 13, alternative="greater")$conf.int[1] = 0.05^(1/13) = 0.79418
    assert named["ci_low"] == pytest.approx(0.05 ** (1 / 13), rel=1e-12)
    table = check_claims(responses([(9, 10), (12, 13)]), claims(item_claim))
    assert table["verdict"].tolist() == ["contradicted"] and "not 100%" in table["detail"].iloc[0]


def test_named_item_at_a_rounded_100_percent():
    # A published "100%" of 300 is 299 or 300 satisfied (299/300 = 99.67% rounds half up to
    # 100%): 100% is possible, not shown. "100%" of 50 is exactly 50 (49/50 = 98%): supported.
    # "99%" of 300 is 296..298: contradicted.
    from survey_analysis import Survey

    table = pd.DataFrame({"item_id": ["I1", "I2", "I3"], "n": [300, 50, 300], "pct": ["100%", "100%", "99%"]})
    rows = [(f"c{i}", "item_at_100", 100, "exact", np.nan, np.nan, f"I{i}", "达100%") for i in (1, 2, 3)]
    checked = check_claims(Survey.from_counts(table, percent="pct"), claims(*rows)).set_index("claim_id")
    assert checked["verdict"].to_dict() == {"c1": "consistent but not shown", "c2": "supported",
                                            "c3": "contradicted"}
    assert checked.loc["c1", "detail"] == ("the published percentage allows 299 to 300 of 300 respondents "
                                           "satisfied: 100% is possible but not shown")


def test_item_rate_and_count_claims():
    # I1: 9 of 10. "I1 at least 80%": R 4.2.2 binom.test(9, 10, alternative="greater")$conf.int[1]
    # = 0.605836697563 < 0.8 < 1, so consistent but not shown; "I1 under 50%" is contradicted
    # (the one-sided lower bound 0.6058 is above 0.5).
    rate = ("r80", "item_rate", 80, "at_least", np.nan, np.nan, "I1", "I1满意率80%以上")
    low = ("r50", "item_rate", 50, "under", np.nan, np.nan, "I1", "I1满意率不足50%")
    items = ("n2", "n_items", 2, "exact", np.nan, np.nan, np.nan, "共2个事项")
    answers = ("n23", "n_responses", 24, "exact", np.nan, np.nan, np.nan, "共24份")
    table = check_claims(responses([(9, 10), (13, 13)]), claims(rate, low, items, answers))
    verdicts = table.set_index("claim_id")["verdict"].to_dict()
    assert verdicts == {"r80": "consistent but not shown", "r50": "contradicted", "n2": "supported",
                        "n23": "contradicted"}  # 23 valid answers, not 24
    r80 = table.set_index("claim_id").loc["r80"]
    assert r80["ci_low"] == pytest.approx(0.605836697563, abs=1e-11)


def test_non_satisfaction_claims_are_listed_not_checked():
    finance = ("revenue", "finance", 95.31, "exact", np.nan, np.nan, np.nan, "95.31%")
    table = check_claims(responses([(9, 10), (10, 10)]), claims(finance, OVER_95))
    assert set(table["claim_id"]) == {"over95"}
    assert table.attrs["not_checked"].to_dict("list") == {"id": ["revenue"], "kind": ["finance"]}


def test_claim_interval_and_verdict_rules():
    assert claim_interval({"value": 95, "qualifier": "over"}) == (95, np.inf, True, False)
    assert claim_interval({"value": 10, "qualifier": "range", "lower": 11, "upper": 19}) == (
        11, 19, False, False)
    assert claim_interval({"value": 500, "qualifier": "at_least"}) == (500, np.inf, False, False)
    # A published rate of 96.75% covers its rounding; "about 500" a count within 50.
    assert claim_interval({"value": 96.75, "qualifier": "exact", "kind": "overall_rate"}) == (
        96.745, 96.755, False, True)
    assert claim_interval({"value": 500, "qualifier": "about", "kind": "n_responses"}) == (
        450, 550, False, True)
    # "over 95": an interval starting exactly at 95 does not show "over".
    assert interval_verdict(95, 99, 95, np.inf, True) == "consistent but not shown"
    assert interval_verdict(95.1, 99, 95, np.inf, True) == "supported"
    assert interval_verdict(90, 95, 95, np.inf, True) == "contradicted"
    assert set(VERDICTS) == {"supported", "consistent but not shown", "contradicted", "not in data",
                             "not_publishable"}  # the last under a publication rule (issue 23)


def test_bad_confidence_level():
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        check_claims(responses([(9, 10)]), claims(OVER_95), confidence_level=95)


def test_default_claims_on_synthetic_data_have_every_satisfaction_claim():
    import survey_analysis as sa

    table = sa.check_claims(sa.load_synthetic_responses(), sa.load_published_claims())  # SYNTHETIC data
    published = sa.load_published_claims()
    expected = published.loc[published["kind"].isin(["overall_rate", "items_at_100", "item_at_100",
                                                     "n_items"]), "id"]
    assert set(table["claim_id"]) == set(expected)
    assert len(table.attrs["not_checked"]) == len(published) - len(expected)
    assert table["verdict"].isin(list(VERDICTS)).all()
    assert ((table["ci_low"] <= table["estimate"]) | table["ci_low"].isna()).all()


def test_claims_file_errors_name_the_line_and_column(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text("id,kind,value,qualifier,quote,source\n"
                    "a,overall_rate,95,over,满意度超过95%,通报\n"
                    "b,items_at_100,十余,range,十余件,通报\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"claims.csv, line 3, column 'value': '十余' is not a number"):
        read_claims(path)
    path.write_text("id,kind,value,qualifier,quote,source\n"
                    "a,overall_rate,95,above,满意度超过95%,通报\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 2, column 'qualifier': unknown qualifier 'above'"):
        read_claims(path)
    path.write_text("id,kind,value,qualifier,quote\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['source'\]"):
        read_claims(path)
    path.write_text("id,kind,value,qualifier,quote,source\n"
                    "a,item_at_100,100,exact,达100%,通报\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"column 'item': a item_at_100 claim names its item"):
        read_claims(path)
