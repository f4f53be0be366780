"""check_claims: verdict logic on small constructed data (every expectation derived in a comment)."""

import numpy as np
import pandas as pd
import pytest

from survey_analysis import check_claims
from survey_analysis.claims.check import VERDICTS, _interval_verdict, claim_interval


def responses(pairs):
    """Tidy responses from per-item (k, n), items I1, I2, ...: first k satisfied."""
    item, rank = [], []
    for i, (k, n) in enumerate(pairs, start=1):
        item += [f"I{i}"] * n
        rank += [1] * k + [3] * (n - k)
    rank = np.array(rank)
    return pd.DataFrame({"item_id": item, "rating": np.where(rank == 1, "满意", "不满意"),
                         "scale": 3, "rank": rank})


def claims(*rows):
    columns = ["claim_id", "value", "qualifier", "lower", "upper", "unit", "kind", "scope",
               "item_id", "quote_zh"]
    return pd.DataFrame([dict(zip(columns, r)) for r in rows], columns=columns)


OVER_95 = ("over95", 95, "over", np.nan, np.nan, "percent", "satisfaction", "overall", np.nan, "超过95%")
TEN_PLUS = ("tenplus", 10, "ten-plus", 11, 19, "items", "satisfaction", "items_at_100", np.nan, "十余件")


def test_over_95_supported_when_lower_bound_above():
    # 20 items at 200/200 and 20 at 196/200 -> pooled 7920/8000 = 0.99; the one-sided lower
    # bound is far above 0.95 (items differ only a little, so the design variance is small).
    data = responses([(200, 200)] * 20 + [(196, 200)] * 20)
    table = check_claims(data, claims(OVER_95))
    assert table["verdict"].tolist() == ["supported", "supported"]
    assert table["estimand"].tolist() == ["pooled", "mean_of_items"]
    assert table.loc[0, "estimate"] == pytest.approx(0.99)
    assert table.loc[0, "ci_low"] > 0.95


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
    pooled = table.iloc[0]
    assert pooled["estimate"] == pytest.approx(0.95)  # 190 of 200
    assert pooled["ci_low"] < 0.95 < pooled["ci_high"]
    assert pooled["verdict"] == "consistent but not shown"


def test_ten_plus_counts_items_at_100():
    # 12 items at 100% (in the range 11-19) and 3 items below.
    data = responses([(10, 10)] * 12 + [(9, 10)] * 3)
    row = check_claims(data, claims(TEN_PLUS)).iloc[0]
    assert row["estimate"] == 12 and row["verdict"] == "supported"
    # 0.05 ** (1/10) = 0.741 is the bound for every one of them.
    assert "0.741" in row["detail"] and "0 of them show a true rate above 95%" in row["detail"]
    # The chance judgement: 12 of 15 items of size 10 at 100% with 147/150 satisfied; a fitted
    # beta-binomial expects a similar count, so P(11-19) must be far from 0.
    assert "chance alone gives" in row["detail"]
    probability = float(row["detail"].rsplit("= ", 1)[1])
    assert 0.2 < probability <= 1.0
    data = responses([(10, 10)] * 25 + [(9, 10)] * 3)
    assert check_claims(data, claims(TEN_PLUS)).iloc[0]["verdict"] == "contradicted"
    data = responses([(10, 10)] * 10 + [(9, 10)] * 3)  # exactly ten is not "ten-plus"
    assert check_claims(data, claims(TEN_PLUS)).iloc[0]["verdict"] == "contradicted"


def test_named_item_rows():
    item_claim = ("named", 100, "exact", 100, 100, "percent", "satisfaction", "item", "I2", "达100%")
    missing = ("gone", 100, "exact", 100, 100, "percent", "satisfaction", "item", "I9", "达100%")
    table = check_claims(responses([(9, 10), (13, 13)]), claims(item_claim, missing))
    assert table["verdict"].tolist() == ["supported", "not in data"]
    # R 4.2.2: binom.test(13, 13, alternative="greater")$conf.int[1] = 0.05^(1/13) = 0.79418
    assert table.loc[0, "ci_low"] == pytest.approx(0.05 ** (1 / 13), rel=1e-12)
    table = check_claims(responses([(9, 10), (12, 13)]), claims(item_claim))
    assert table.loc[0, "verdict"] == "contradicted" and "not 100%" in table.loc[0, "detail"]


def test_non_satisfaction_claims_are_skipped():
    finance = ("revenue", 95.31, "exact", 95.31, 95.31, "percent", "finance", "campaign", np.nan, "95.31%")
    table = check_claims(responses([(9, 10), (10, 10)]), claims(finance, OVER_95))
    assert set(table["claim_id"]) == {"over95"}


def test_claim_interval_and_verdict_rules():
    assert claim_interval(pd.Series({"value": 95, "qualifier": "over"})) == (95, np.inf, True)
    assert claim_interval(pd.Series({"value": 10, "qualifier": "ten-plus", "lower": 11, "upper": 19})) == (11, 19, False)
    assert claim_interval(pd.Series({"value": 500, "qualifier": "plus", "lower": 500, "upper": np.nan})) == (500, np.inf, False)
    # "over 95": an interval starting exactly at 95 does not show "over".
    assert _interval_verdict(95, 99, 95, np.inf, True) == "consistent but not shown"
    assert _interval_verdict(95.1, 99, 95, np.inf, True) == "supported"
    assert _interval_verdict(90, 95, 95, np.inf, True) == "contradicted"
    assert set(VERDICTS) == {"supported", "consistent but not shown", "contradicted", "not in data"}


def test_bad_confidence_level():
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        check_claims(responses([(9, 10)]), claims(OVER_95), confidence_level=95)


def test_default_claims_on_synthetic_data_have_every_satisfaction_claim():
    import survey_analysis as sa

    table = sa.check_claims(sa.load_synthetic_responses(), sa.load_published_claims())  # SYNTHETIC data
    published = sa.load_published_claims()
    expected = published.loc[published["kind"] == "satisfaction", "claim_id"]
    assert set(table["claim_id"]) == set(expected)
    assert table["verdict"].isin(list(VERDICTS)).all()
    assert ((table["ci_low"] <= table["estimate"]) | table["ci_low"].isna()).all()
