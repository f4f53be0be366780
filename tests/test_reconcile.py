"""Reconciling published figures: by hand, against exact brute force, and the cn_12345 data."""

import csv
import itertools
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rounding_oracle import round_fraction

import survey_analysis as sa
from survey_analysis.claims.reconcile import (
    check_denominators,
    denominators_for_share,
    min_total_for_claim,
    pooled_rate_range,
    remainder_rate_range,
    rounded_count_range,
)

ROOT = Path(__file__).resolve().parent.parent
CN = ROOT / "data" / "published" / "cn_12345"
RULES = ["half_up", "half_even", "truncate"]


# ------------------------------------------------------ an independent reference: Fractions

def rounds_to(k: int, n: int, percent: str, rounding: str = "half_up") -> bool:
    """Does ``100 k / n`` print as ``percent`` (decimals as written)?"""
    text = percent.rstrip("%")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return round_fraction(Fraction(100 * k, n), decimals, rounding) == Fraction(Decimal(text)) * 10**decimals


def percent_text(m: int, decimals: int) -> str:
    return f"{Decimal(m).scaleb(-decimals):.{decimals}f}%"


def percents(max_decimals: int = 2, low: int = 0):
    """Percentages as printed, ``low``% to 100% with 0 .. ``max_decimals`` decimals."""
    return st.integers(0, max_decimals).flatmap(
        lambda d: st.integers(low * 10**d, 100 * 10**d).map(lambda m: percent_text(m, d)))


# ----------------------------------------------------------------- check_denominators

def test_check_denominators_by_hand():
    table = pd.DataFrame({"unit": ["A", "B", "C"], "bad": [8, 5, 3], "rate": ["9%", "8%", "5%"],
                          "all_cases": [99, 68, 68], "hotline": [87, 66, 63]})
    out = check_denominators(table, "bad", "rate", ["all_cases", "hotline"], label="unit")
    wide = out.pivot(index="row", columns="candidate", values="reproduces")
    # 8/99 = 8.08% -> "8%", not 9%;  8/87 = 9.195% -> "9%"
    # 5/68 = 7.35% -> "7%", not 8%;  5/66 = 7.576% -> "8%"
    # 3/68 = 4.41% -> "4%", not 5%;  3/63 = 4.762% -> "5%"
    assert wide["all_cases"].tolist() == [False, False, False]
    assert wide["hotline"].tolist() == [True, True, True]
    a = out.set_index(["row", "candidate"])
    # "9%" of 99 is k = 9 only (8.5% <= 100k/99 < 9.5%: 8.415 <= k < 9.405)
    assert (a.loc[("A", "all_cases"), "k_min"], a.loc[("A", "all_cases"), "k_max"]) == (9, 9)
    assert a.loc[("A", "all_cases"), "note"] == "count gives another rate"
    # "8%" of 68 fits no count: 5/68 = 7.35%, 6/68 = 8.82%
    assert a.loc[("B", "all_cases"), "note"] == "rate fits no count of this denominator"
    assert pd.isna(a.loc[("B", "all_cases"), "k_min"])
    # the window of "9%" is [8.5%, 9.5%)
    assert (a.loc[("A", "hotline"), "window_low"], a.loc[("A", "hotline"), "window_high"]) == (8.5, 9.5)
    assert a.loc[("A", "hotline"), "share"] == pytest.approx(100 * 8 / 87)


def test_check_denominators_edges():
    table = pd.DataFrame({"k": [0, 4, 1, 1, 5, 2], "p": ["0%", "100%", "100%", "50%", "50%", ""],
                          "n": [7, 4, 1, 0, 3, 4]})
    out = check_denominators(table, "k", "p", ["n"])
    # 0 of 7 = 0% (yes); 4 of 4 = 100% (yes); 1 of 1 = 100% (yes); denominator 0;
    # 5 of 3 is more than all; no published rate
    assert out["reproduces"].tolist() == [True, True, True, False, False, False]
    assert out["note"].tolist()[3:] == ["no denominator (missing or 0)", "count exceeds denominator",
                                        "no published rate"]
    # the index labels the rows when no label column is given
    assert out["row"].tolist() == list(range(6))


def test_check_denominators_computed_candidate_and_empty_table():
    table = pd.DataFrame({"k": [1], "p": ["33%"], "a": [2], "b": [1]})
    # 1 / (2 + 1) = 33.3% -> "33%"; 1 / 2 = 50%
    out = check_denominators(table, "k", "p", {"a": "a", "a+b": table["a"] + table["b"]})
    assert out["candidate"].tolist() == ["a", "a+b"]
    assert out["reproduces"].tolist() == [False, True]
    empty = check_denominators(table.iloc[:0], "k", "p", ["a", "b"])
    assert empty.empty and "reproduces" in empty.columns


def test_check_denominators_rejects_bad_input():
    table = pd.DataFrame({"k": [1, 2], "p": ["10%", "20%"], "n": [10, 10]})
    with pytest.raises(ValueError, match="'n_total'.*columns: 'k', 'p', 'n'"):
        check_denominators(table, "k", "p", ["n_total"])
    with pytest.raises(ValueError, match="'ceil'.*'half_up', 'half_even', 'truncate'"):
        check_denominators(table, "k", "p", ["n"], rounding="ceil")
    with pytest.raises(ValueError, match="between 0 and 100"):
        check_denominators(table.assign(p=["10%", "120%"]), "k", "p", ["n"])
    with pytest.raises(ValueError, match="between 0 and 100"):
        check_denominators(table.assign(p=["-1%", "20%"]), "k", "p", ["n"])
    with pytest.raises(ValueError, match="whole numbers"):
        check_denominators(table.assign(k=[1.5, 2]), "k", "p", ["n"])
    with pytest.raises(ValueError, match="has 1 values for 2 rows"):
        check_denominators(table, "k", "p", {"x": [3]})
    with pytest.raises(ValueError, match="at least one"):
        check_denominators(table, "k", "p", [])
    with pytest.raises(TypeError):
        check_denominators([[1, "10%", 10]], "k", "p", ["n"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40), percents()), max_size=8),
       st.sampled_from(RULES))
def test_check_denominators_matches_brute_force(rows, rounding):
    table = pd.DataFrame(rows, columns=["k", "n", "p"])
    out = check_denominators(table, "k", "p", ["n"], rounding=rounding)
    expected = [n >= 1 and k <= n and rounds_to(k, n, p, rounding) for k, n, p in rows]
    assert out["reproduces"].tolist() == expected


# ------------------------------------------------------------------ denominators_for_share

def test_denominators_for_share_by_hand():
    out = denominators_for_share(["64.46%", "50%", "0%", "0%", "100%", "35%"], [15552, 1, 0, 2, 3, 0])
    # 15552/24124 = 64.467% -> 64.47; 15552/24125 = 64.4642% -> 64.46; 15552/24128 = 64.4562%;
    # 15552/24129 = 64.4536% -> 64.45
    assert (out.loc[0, "n_min"], out.loc[0, "n_max"]) == (24125, 24128)
    # 1 of N is 50% only for N = 2 (1/1 = 100%, 1/3 = 33%)
    assert (out.loc[1, "n_min"], out.loc[1, "n_max"]) == (2, 2)
    # 0 of any N is 0%: no upper limit
    assert out.loc[2, "unbounded"] and out.loc[2, "n_min"] == 1 and pd.isna(out.loc[2, "n_max"])
    # 2 of N rounds to "0%" when 200/N < 0.5, i.e. N > 400: no upper limit either
    assert out.loc[3, "unbounded"] and out.loc[3, "n_min"] == 401
    # 3 of N is "100%" (half up) for N = 3 .. 3 (3/3); 3/4 = 75%. Lower edge 99.5%: N <= 3.015
    assert (out.loc[4, "n_min"], out.loc[4, "n_max"]) == (3, 3)
    # 0 of N is never 35%
    assert not out.loc[5, "consistent"] and pd.isna(out.loc[5, "n_min"])


@settings(max_examples=200, deadline=None)
@given(percents(low=15), st.integers(0, 30), st.sampled_from(RULES))
def test_denominators_for_share_matches_brute_force(percent, count, rounding):
    # A share of at least 14.5% of N needs N <= 30 / 0.145 < 207, so N < 260 covers every fit.
    out = denominators_for_share(percent, count, rounding=rounding).iloc[0]
    fits = [n for n in range(max(count, 1), 260) if rounds_to(count, n, percent, rounding)]
    assert not out["unbounded"]
    if not fits:
        assert not out["consistent"]
    else:
        assert (out["n_min"], out["n_max"]) == (fits[0], fits[-1])
        assert fits == list(range(fits[0], fits[-1] + 1))   # one run


@pytest.mark.parametrize("rounding", RULES)
def test_denominators_for_share_small_shares_against_brute_force(rounding):
    # Shares near 0: 2 of N is "0.5%" for 200/N in [0.45, 0.55) -> N in 364 .. 444 (half up);
    # checked against every N up to 2000 (beyond 444 the share is below 0.45%).
    for percent, count in [("0.5%", 2), ("1%", 3), ("0%", 1), ("0.0%", 0), ("0.10%", 1)]:
        out = denominators_for_share(percent, count, rounding=rounding).iloc[0]
        fits = [n for n in range(max(count, 1), 2001) if rounds_to(count, n, percent, rounding)]
        if out["unbounded"]:
            assert fits[0] == out["n_min"] and fits[-1] == 2000, percent
        else:
            assert (out["n_min"], out["n_max"]) == (fits[0], fits[-1]), percent
    half_up = denominators_for_share("0.5%", 2).iloc[0]
    assert (half_up["n_min"], half_up["n_max"]) == (364, 444)   # 200/364 = 0.5495%, 200/444 = 0.4505%


def test_denominators_for_share_rejects_bad_input():
    with pytest.raises(ValueError, match="'nearest'.*'half_up', 'half_even', 'truncate'"):
        denominators_for_share("50%", 1, rounding="nearest")
    with pytest.raises(ValueError, match="between 0 and 100"):
        denominators_for_share("100.5%", 1)
    with pytest.raises(ValueError, match="whole numbers >= 0"):
        denominators_for_share("50%", -1)
    with pytest.raises(ValueError, match="broadcast"):
        denominators_for_share(["50%", "40%"], [1, 2, 3])


# -------------------------------------------------------------------- rounded_count_range

def test_rounded_count_range_by_hand():
    out = rounded_count_range(["2.42万", "9.67万", "2.6万", "175", "0.86万", "1亿", "2.5", "0"])
    # 2.42万: 24150 <= x < 24250;  9.67万: 96650 .. 96749;  2.6万: 25500 .. 26499
    # 175: 174.5 <= x < 175.5 -> 175;  0.86万: 8550 .. 8649;  1亿: 0.5e8 .. 1.5e8 - 1
    # 2.5 (one decimal): 2.45 <= x < 2.55 holds no whole number;  0: 0 (x >= 0)
    assert out["low"].tolist()[:6] == [24150, 96650, 25500, 175, 8550, 50_000_000]
    assert out["high"].tolist()[:6] == [24249, 96749, 26499, 175, 8649, 149_999_999]
    assert pd.isna(out.loc[6, "low"]) and out.loc[6, "n_values"] == 0
    assert (out.loc[7, "low"], out.loc[7, "high"]) == (0, 0)
    cut = rounded_count_range("2.6万", rounding="truncate")   # 26000 <= x < 27000
    assert (cut.loc[0, "low"], cut.loc[0, "high"]) == (26000, 26999)
    # half_even: 2.42万 keeps both ends (2 is even): 24150 .. 24250
    even = rounded_count_range("2.42万", rounding="half_even")
    assert (even.loc[0, "low"], even.loc[0, "high"]) == (24150, 24250)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 999), st.integers(0, 2), st.sampled_from(["", "十", "百", "千"]),
       st.sampled_from(RULES))
def test_rounded_count_range_matches_brute_force(m, decimals, magnitude, rounding):
    text = f"{Decimal(m).scaleb(-decimals):.{decimals}f}{magnitude}"
    unit = {"": 1, "十": 10, "百": 100, "千": 1000}[magnitude]
    out = rounded_count_range(text, rounding=rounding).iloc[0]
    # x / unit rounds to m / 10^d only within one unit of it, so that neighbourhood suffices.
    centre = m * unit // 10**decimals
    fits = [x for x in range(max(0, centre - 2 * unit), centre + 2 * unit + 1)
            if round_fraction(Fraction(x, unit), decimals, rounding) == m]
    if fits:
        assert (out["low"], out["high"], out["n_values"]) == (fits[0], fits[-1], len(fits))
    else:
        assert out["n_values"] == 0


def test_rounded_count_range_rejects_bad_input():
    with pytest.raises(ValueError, match="'万'"):
        rounded_count_range("2.42万件")
    with pytest.raises(ValueError, match="'half_up', 'half_even', 'truncate'"):
        rounded_count_range("2.42万", rounding="up")
    assert rounded_count_range([]).empty


# ---------------------------------------------------------------------- pooled_rate_range

def test_pooled_rate_range_by_hand():
    # "50%" of 4 is 2; "100%" of 3 is 3; "50%" of 3 fits no count (1/3 = 33%, 2/3 = 67%)
    r = pooled_rate_range(["50%", "100%", "50%"], [4, 3, 3], labels=["a", "b", "c"])
    assert (r.n, r.k_min, r.k_max, r.unfit) == (7, 5, 5, ("c",))
    assert r.rate_min == pytest.approx(5 / 7)
    assert r.parts["in_pool"].tolist() == [True, True, False]
    # nearest: the counts either side of 1.5 are 1 and 2 -> pool 6..7 of 10
    r = pooled_rate_range(["50%", "100%", "50%"], [4, 3, 3], unfit="nearest")
    assert (r.n, r.k_min, r.k_max) == (10, 6, 7)
    # "33%" of 100 is exactly 33 (32.5 <= k < 33.5); "67%" of 3 is 2 (2/3 = 66.7%)
    r = pooled_rate_range(["33%", "67%"], [100, 3])
    assert (r.n, r.k_min, r.k_max) == (103, 35, 35) and r.unfit == ()
    frame = r.to_frame()
    assert frame.loc[0, ["n", "k_min", "k_max", "n_unfit"]].tolist() == [103, 35, 35, 0]


def test_pooled_rate_range_edges():
    # 0 of 5 and 5 of 5 and a single answer
    r = pooled_rate_range(["0%", "100%", "100%"], [5, 5, 1])
    assert (r.n, r.k_min, r.k_max) == (11, 6, 6)
    # "0%" of 300 allows 0 (0%) and 1 (0.33% -> "0%"): 0 <= k < 1.5
    r = pooled_rate_range(["0%"], [300])
    assert (r.k_min, r.k_max) == (0, 1)
    empty = pooled_rate_range([], [])
    assert (empty.n, empty.k_min, empty.k_max) == (0, 0, 0) and np.isnan(empty.rate_min)


def test_pooled_rate_range_rejects_bad_input():
    with pytest.raises(ValueError, match="'drop'.*'exclude', 'nearest', 'raise'"):
        pooled_rate_range(["50%"], [4], unfit="drop")
    with pytest.raises(ValueError, match=r"fits no whole count.*\['c'\]"):
        pooled_rate_range(["50%", "50%"], [4, 3], labels=["a", "c"], unfit="raise")
    with pytest.raises(ValueError, match="between 0 and 100"):
        pooled_rate_range(["101%"], [4])
    with pytest.raises(ValueError, match="same length"):
        pooled_rate_range(["50%"], [4, 2])
    with pytest.raises(ValueError, match=">= 1"):
        pooled_rate_range(["50%"], [0])
    with pytest.raises(ValueError, match="remainder_rate_range"):
        pooled_rate_range(["50%", None], [4, 2])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(percents(), st.integers(1, 12)), min_size=1, max_size=3),
       st.sampled_from(RULES))
def test_pooled_rate_range_matches_enumeration(parts, rounding):
    r = pooled_rate_range([p for p, _ in parts], [n for _, n in parts], rounding=rounding)
    options = [[k for k in range(n + 1) if rounds_to(k, n, p, rounding)] for p, n in parts]
    kept = [(o, n) for o, (_, n) in zip(options, parts) if o]
    assert len(r.unfit) == sum(1 for o in options if not o)
    assert r.n == sum(n for _, n in kept)
    sums = {sum(ks) for ks in itertools.product(*(o for o, _ in kept))} or {0}
    assert (r.k_min, r.k_max) == (min(sums), max(sums))
    assert sums == set(range(min(sums), max(sums) + 1))     # every count in between occurs


# ------------------------------------------------------------------- remainder_rate_range

def test_remainder_rate_range_by_hand():
    r = remainder_rate_range(["90%", "30%", "90%"], [100, 100, 100], 60, [60, 60, 0], [60, 60, 10])
    # "90%" of 100 is K = 90 (89.5 <= K < 90.5); known 60 -> rest 30 of 40 = 75%
    assert (r.loc[0, "rest_k_min"], r.loc[0, "rest_k_max"]) == (30, 30)
    assert r.loc[0, "rest_rate_min"] == pytest.approx(0.75)
    # "30%" of 100 is K = 30 < 60 already known
    assert not r.loc[1, "possible"] and r.loc[1, "note"] == "the known parts alone exceed the whole"
    # known 0..10 of 60, K = 90 -> rest needs 80..90 of 40: too many
    assert not r.loc[2, "possible"] and r.loc[2, "note"] == "even a fully satisfied rest is too few"
    # "50%" of 3 fits no whole count
    r = remainder_rate_range("50%", 3, 1, 1)
    assert not r.loc[0, "possible"] and "fits no count" in r.loc[0, "note"]


def test_remainder_rate_range_edges():
    # nothing is known: the rest is the whole ("95%" of 20 is 19)
    r = remainder_rate_range("95%", 20, 0, 0)
    assert (r.loc[0, "rest_n"], r.loc[0, "rest_k_min"], r.loc[0, "rest_k_max"]) == (20, 19, 19)
    # everything is known: possible iff the known count fits, and the rest rate is undefined
    r = remainder_rate_range(["100%", "100%"], 5, 5, [5, 4])
    assert r["possible"].tolist() == [True, False]       # 4/5 = 80% is not "100%"
    assert np.isnan(r.loc[0, "rest_rate_min"])
    # n = 1
    r = remainder_rate_range("0%", 1, 0, 0)
    assert (r.loc[0, "rest_k_min"], r.loc[0, "rest_k_max"]) == (0, 0)
    assert remainder_rate_range([], [], [], []).empty


def test_remainder_rate_range_rejects_bad_input():
    with pytest.raises(ValueError, match="'up'.*'half_up', 'half_even', 'truncate'"):
        remainder_rate_range("90%", 100, 60, 50, rounding="up")
    with pytest.raises(ValueError, match="known_n must not exceed"):
        remainder_rate_range("90%", 10, 11, 5)
    with pytest.raises(ValueError, match="known_k_min <= known_k_max <= known_n"):
        remainder_rate_range("90%", 100, 10, 8, 6)
    with pytest.raises(ValueError, match="known_k_min <= known_k_max <= known_n"):
        remainder_rate_range("90%", 100, 10, 11)
    with pytest.raises(ValueError, match="between 0 and 100"):
        remainder_rate_range("-5%", 100, 10, 5)


@settings(max_examples=200, deadline=None)
@given(percents(), st.integers(1, 25), st.data(), st.sampled_from(RULES))
def test_remainder_rate_range_matches_enumeration(percent, total, data, rounding):
    known_n = data.draw(st.integers(0, total))
    a = data.draw(st.integers(0, known_n))
    b = data.draw(st.integers(a, known_n))
    r = remainder_rate_range(percent, total, known_n, a, b, rounding=rounding).iloc[0]
    rest = total - known_n
    fits = sorted({x for s in range(a, b + 1) for x in range(rest + 1)
                   if rounds_to(s + x, total, percent, rounding)})
    assert r["possible"] == bool(fits)
    if fits:
        assert (r["rest_k_min"], r["rest_k_max"]) == (fits[0], fits[-1])


# -------------------------------------------------------------------- min_total_for_claim

def test_min_total_for_claim_by_hand():
    out = min_total_for_claim("99.5%", 175, ["at_least", "over", "exact"], n=26000)
    # at least: 175 / N <= 0.5% -> N >= 175 / 0.005 = 35000;  over: N > 35000
    # exact (rounded from >= 99.45%): 175 / N <= 0.55% -> N >= 31818.18 -> 31819
    assert out["n_min"].tolist() == [35000, 35001, 31819]
    # 26000 - 175 = 25825; 25825 / 26000 = 99.327% < 99.45%
    assert out["satisfied_max"].tolist() == [25825] * 3
    assert out["percent_max"].iloc[0] == pytest.approx(100 * 25825 / 26000)
    assert not out["possible"].any()
    # the claim is possible exactly from n_min on (at least): 34999 no, 35000 yes
    edge = min_total_for_claim("99.5%", 175, n=[34999, 35000])
    assert edge["possible"].tolist() == [False, True]
    # "over" is strict: 19 of 20 is 95%, not over 95%; 20 of 21 = 95.24% is
    out = min_total_for_claim("95%", 1, ["at_least", "over"], n=20)
    assert out["n_min"].tolist() == [20, 21] and out["possible"].tolist() == [True, False]


def test_min_total_for_claim_edges():
    out = min_total_for_claim(["100%", "100%", "100%", "100%", "0%", "50%", "33%"],
                              [1, 0, 1, 0, 4, 1, 1],
                              ["at_least", "over", "exact", "exact", "at_least", "exact", "exact"])
    # "at least 100%" beside one not satisfied: impossible; "over 100%": impossible
    assert pd.isna(out.loc[0, "n_min"]) and pd.isna(out.loc[1, "n_min"])
    # "100%" rounded half up from 99.5%: 1 / N <= 0.5% -> N >= 200 (199/200 = 99.5% -> "100%")
    assert out.loc[2, "n_min"] == 200
    # "100%" and none unsatisfied: one answer will do
    assert out.loc[3, "n_min"] == 1
    # "at least 0%" with 4 unsatisfied: N = 4 (0 of 4)
    assert out.loc[4, "n_min"] == 4
    # "50%" with one unsatisfied: 1 of 2
    assert out.loc[5, "n_min"] == 2
    # "33%" with (at least) one unsatisfied: N = 2 gives 0% or 50%; N = 3 gives 1/3 = 33.3%
    assert out.loc[6, "n_min"] == 3
    # truncated "100%" needs every answer satisfied
    assert pd.isna(min_total_for_claim("100%", 1, "exact", rounding="truncate").loc[0, "n_min"])
    assert min_total_for_claim([], [], n=[]).empty


def test_min_total_for_claim_rejects_bad_input():
    with pytest.raises(ValueError, match="'about'.*'at_least', 'over', 'exact'"):
        min_total_for_claim("99.5%", 175, "about")
    with pytest.raises(ValueError, match="'ceil'.*'half_up', 'half_even', 'truncate'"):
        min_total_for_claim("99.5%", 175, rounding="ceil")
    with pytest.raises(ValueError, match="between 0 and 100"):
        min_total_for_claim("199.5%", 175)
    with pytest.raises(ValueError, match="whole numbers >= 0"):
        min_total_for_claim("99.5%", -1)
    with pytest.raises(ValueError, match="whole numbers >= 1"):
        min_total_for_claim("99.5%", 1, n=0)


def most_satisfied_share(n: int, c: int) -> Fraction:
    """With ``c`` of ``n`` not satisfied, the largest possible share satisfied, in percent."""
    return Fraction(100 * (n - c), n)


@settings(max_examples=150, deadline=None)
@given(percents(max_decimals=1), st.integers(0, 6), st.sampled_from(["at_least", "over"]))
def test_min_total_for_claim_worded_matches_brute_force(percent, c, qualifier):
    # Brute force over N: "at least p%" holds with N answers iff 100 (N - c) / N >= p.
    # With one decimal, p < 100 and c <= 6, the answer is at most 6 * 1000 = 6000.
    p = Fraction(Decimal(percent.rstrip("%")))
    holds = (lambda n: most_satisfied_share(n, c) >= p) if qualifier == "at_least" else \
        (lambda n: most_satisfied_share(n, c) > p)
    first = next((n for n in range(max(c, 1), 6002) if holds(n)), None)
    out = min_total_for_claim(percent, c, qualifier, n=[first or 1, (first or 1) + 1]).iloc[0]
    if first is None:
        assert pd.isna(out["n_min"])
    else:
        assert out["n_min"] == first and out["possible"]
        if first > max(c, 1):   # one answer fewer is not enough
            assert not min_total_for_claim(percent, c, qualifier, n=first - 1).loc[0, "possible"]


def exact_claim_holds(n: int, c: int, percent: str, rounding: str) -> bool:
    """Some k <= n - c of n rounds to ``percent`` (whole percents): k near p n / 100 only,
    since 100 k / n must lie within one percentage point of p."""
    p = Fraction(Decimal(percent.rstrip("%")))
    centre = int(p * n / 100)
    return any(rounds_to(k, n, percent, rounding)
               for k in range(max(0, centre - n // 100 - 2), min(n - c, centre + n // 100 + 2) + 1))


@settings(max_examples=150, deadline=None)
@given(percents(max_decimals=0), st.integers(0, 3), st.sampled_from(RULES))
def test_min_total_for_claim_exact_matches_brute_force(percent, c, rounding):
    # With whole percents and c <= 3 every possible claim holds by N = 3 * 200 + 100 = 700.
    first = next((n for n in range(max(c, 1), 800) if exact_claim_holds(n, c, percent, rounding)),
                 None)
    out = min_total_for_claim(percent, c, "exact", rounding=rounding).iloc[0]
    if first is None:
        assert pd.isna(out["n_min"])
    else:
        assert out["n_min"] == first
        checked = min_total_for_claim(percent, c, "exact", n=[first, first + 1],
                                      rounding=rounding)["possible"].tolist()
        assert checked == [True, exact_claim_holds(first + 1, c, percent, rounding)]


# ------------------------------------------------------------------- the published data

def test_every_cn_12345_claim_quotes_the_page_excerpts():
    excerpts = re.sub(r"\s+", "", (CN / "page_excerpts.txt").read_text(encoding="utf-8"))
    with open(CN / "claims_12345.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 12
    ids = [row["id"] for row in rows]
    assert len(set(ids)) == len(ids)
    for row in rows:
        assert row["quote"].strip() and row["source_url"].startswith("http"), row["id"]
        assert re.sub(r"\s+", "", row["quote"]) in excerpts, row["id"]
        assert "mirror" in row["host_note"] or "third-party" in row["host_note"], row["id"]
        assert f"=== {row['source_url']} " in (CN / "page_excerpts.txt").read_text(encoding="utf-8")
        # the printed figure is in its sentence (万 figures without the measure word)
        assert row["value_pub"].rstrip("%件笔个") in re.sub(r"\s+", "", row["quote"]), row["id"]
    for figure in ("96.75%", "2.42万件", "64.46%", "1.56万件", "2.6万笔", "99.5%", "175个"):
        assert figure in {row["value_pub"] for row in rows}, figure
    assert sum(row["id"].startswith("ningguo_dissatisfied_rate") for row in rows) == 5


def test_cn_12345_tables_are_unchanged_copies():
    shared = ROOT.parent / "shared" / "realdata" / "cn_12345"
    names = ["ningguo_12345_2022-04_units_partial.csv", "panjin_12345_2023-01to04_counties.csv",
             "page_excerpts.txt", "README_source_notes.md"]
    for name in names:
        assert (CN / name).is_file(), name
        if shared.is_dir():
            assert (CN / name).read_bytes() == (shared / name).read_bytes(), name


def test_the_audit_of_the_published_tables():
    # Ningguo: 8/87, 6/70, 5/66, 3/63, 5/39 round to 9, 9, 8, 5, 13% (9.2, 8.6, 7.6, 4.8, 12.8);
    # of the dispatched totals 8/99 = 8.1%, 6/77 = 7.8%, 5/68 = 7.4%, 3/68 = 4.4%, 5/41 = 12.2%.
    ningguo = pd.read_csv(CN / "ningguo_12345_2022-04_units_partial.csv", dtype={"dissatisfied_rate_pub": str})
    out = sa.check_denominators(ningguo, "n_dissatisfied", "dissatisfied_rate_pub",
                                ["dispatched_total", "hotline_ontime"], label="unit")
    assert out.groupby("candidate")["reproduces"].sum().to_dict() == {"dispatched_total": 0,
                                                                      "hotline_ontime": 5}
    # Panjin: 99.00% of 4226 fits no count (4183/4226 = 98.98%, 4184/4226 = 99.01%);
    # 98.44% of 6530 is 6428 (98.438%); the closure rates all fit the caseloads.
    panjin = pd.read_csv(CN / "panjin_12345_2023-01to04_counties.csv", dtype=str)
    n = panjin["assigned_total"].astype(int)
    satisfaction = sa.counts_from_percentages(panjin["satisfaction_rate_pub"], n)
    assert satisfaction["consistent"].tolist() == [False, False, True, False, True, False]
    assert sa.counts_from_percentages(panjin["closure_rate_pub"], n)["consistent"].all()
    assert n.sum() == 15552   # 4226 + 1922 + 6530 + 2584 + 22 + 268


# ------------------------------------------------------------------------------ the plot

def test_denominator_plot_draws_on_given_axes_with_chinese_labels():
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from survey_analysis import plots

    table = pd.DataFrame({"unit": ["住建局", "公安局"], "bad": [8, 6], "rate": ["9%", "9%"],
                          "dispatched": [99, 77], "hotline": [87, 70]})
    check = sa.check_denominators(table, "bad", "rate", ["dispatched", "hotline"], label="unit")
    fig, ax = plt.subplots()
    try:
        assert plots.denominator_plot(check, ax=ax) is ax
        # one marker per row and candidate; each row's window drawn as a band
        assert sum(len(line.get_xdata()) for line in ax.get_lines()) == 4
        assert [t.get_text() for t in ax.get_yticklabels()] == ["住建局", "公安局"]
        if plots.use_cjk_font() is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("error")   # "Glyph ... missing" is a UserWarning
                fig.canvas.draw()
        new = plots.denominator_plot(check, lang="en")
        assert new is not ax and new.get_xlabel().startswith("rate")
    finally:
        plt.close("all")
