"""GRIM-style audit of published percentages: by hand, and against an exact brute force."""

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rounding_oracle import round_fraction

import survey_analysis as sa
from survey_analysis.claims.audit import consistent_counts, consistent_totals


def brute_force(percent: str, n: int, qualifier: str, decimals: int, rounding: str,
                tolerance: str | None = None) -> list[int]:
    """Consistent k by a second, independent method: exact fractions, k by k, no inequalities."""
    p = Fraction(Decimal(percent))
    out = []
    for k in range(n + 1):
        exact = Fraction(100 * k, n)
        if qualifier == "exact":
            ok = round_fraction(exact, decimals, rounding) == p * 10**decimals
        elif qualifier == "over":
            ok = exact > p
        elif qualifier == "at_least":
            ok = exact >= p
        else:
            ok = abs(exact - p) <= Fraction(Decimal(tolerance))
        if ok:
            out.append(k)
    return out


def consistent_k(table):
    return table.loc[table["consistent"], "k"].tolist()


def test_over_95_of_152():
    # By hand: 145/152 = 95.39% > 95%, 144/152 = 94.74% (152 * 0.95 = 144.4, so k >= 145).
    assert consistent_k(consistent_counts(95, 152, qualifier="over")) == list(range(145, 153))
    at_least = consistent_counts("95%", 152, qualifier="at_least")
    assert consistent_k(at_least) == list(range(145, 153))


def test_at_least_includes_the_boundary_over_does_not():
    # By hand: 19/20 = 95% exactly.
    assert consistent_k(consistent_counts(95, 20, qualifier="at_least")) == [19, 20]
    assert consistent_k(consistent_counts(95, 20, qualifier="over")) == [20]


def test_exact_two_decimals():
    # By hand: 61/64 = 95.3125% -> 95.31; no k/152 is within [95.305, 95.315) (145/152 = 95.395).
    assert consistent_k(consistent_counts("95.31%", 64)) == [61]
    assert consistent_k(consistent_counts(95.31, 64)) == [61]  # a float is read as written
    assert consistent_k(consistent_counts("95.31", 152)) == []


def test_rounding_rules_at_ties():
    # By hand, n = 200: 191/200 = 95.5% and 193/200 = 96.5% are exact ties at 0 decimals.
    # half_up: 95.5 -> 96, 96.5 -> 97; half_even: 95.5 -> 96, 96.5 -> 96; truncate: 96.x -> 96.
    assert consistent_k(consistent_counts(96, 200, rounding="half_up")) == [191, 192]
    assert consistent_k(consistent_counts(96, 200, rounding="half_even")) == [191, 192, 193]
    assert consistent_k(consistent_counts(96, 200, rounding="truncate")) == [192, 193]
    # 97 under half_even loses its lower tie (96.5 rounds to the even 96).
    assert consistent_k(consistent_counts(97, 200, rounding="half_even")) == [194]


def test_ties_not_representable_in_binary():
    # 1929/2000 = 96.45% exactly; in binary 100 * 1929 / 2000 is 96.4500000000000028...
    # half_up to one decimal gives 96.5; half_even gives 96.4 (the 4 is even).
    assert 1929 in consistent_k(consistent_counts("96.5", 2000, rounding="half_up"))
    assert 1929 not in consistent_k(consistent_counts("96.4", 2000, rounding="half_up"))
    assert 1929 in consistent_k(consistent_counts("96.4", 2000, rounding="half_even"))


def test_trailing_zero_text_keeps_decimals():
    # "95.0" (text) is reported to 1 decimal: 95.0 needs k/n in [94.95, 95.05); 95 (a number)
    # is read with 0 decimals: [94.5, 95.5). By hand with n = 19: 18/19 = 94.74%.
    assert consistent_k(consistent_counts(95, 19)) == [18]
    assert consistent_k(consistent_counts("95.0", 19)) == []
    assert consistent_k(consistent_counts(95, 19, decimals=1)) == []


def test_about_default_and_tolerance():
    # By hand, n = 19: 18/19 = 94.74% is within the default 94.5..95.5; with tolerance 0.2 not.
    assert consistent_k(consistent_counts(95, 19, qualifier="about")) == [18]
    assert consistent_k(consistent_counts(95, 19, qualifier="about", tolerance=0.2)) == []
    # Inclusive ends: 95.5 is "about 95" (191/200 = 95.5%, 189/200 = 94.5%).
    assert consistent_k(consistent_counts(95, 200, qualifier="about")) == list(range(189, 192))
    assert consistent_k(consistent_counts(95, 200, qualifier="about", tolerance="1")) == \
        list(range(188, 193))


def test_boundaries_0_and_100_percent():
    assert consistent_k(consistent_counts(0, 5)) == [0]
    assert consistent_k(consistent_counts(100, 5)) == [5]
    assert consistent_k(consistent_counts(100, 5, qualifier="over")) == []
    assert consistent_k(consistent_counts(0, 5, qualifier="at_least")) == list(range(6))
    # n = 1: only 0% and 100% are possible.
    assert consistent_k(consistent_counts(100, 1)) == [1]
    assert consistent_k(consistent_counts(50, 1)) == []
    # A rounded "100%" hides one dissatisfied respondent from n = 200 on (by hand:
    # 198/199 = 99.497% -> 99%; 199/200 = 99.5% -> 100% half up, also half even as 100 is even).
    assert consistent_k(consistent_counts(100, 199)) == [199]
    assert consistent_k(consistent_counts(100, 200)) == [199, 200]
    assert consistent_k(consistent_counts(100, 200, rounding="half_even")) == [199, 200]
    assert consistent_k(consistent_counts(100, 200, rounding="truncate")) == [200]


def test_table_columns():
    table = consistent_counts(95, 152, qualifier="over")
    assert list(table.columns) == ["k", "n", "rate", "percent", "consistent"]
    assert len(table) == 153 and table["k"].tolist() == list(range(153))
    assert table["rate"].iloc[145] == pytest.approx(145 / 152)


def test_totals():
    t = consistent_totals("95.31%", range(1, 200))
    # By hand: 61/64, 122/128, 183/192 = 95.3125%; brute force below covers every other n.
    assert t.loc[t["consistent"], "n"].tolist() == [64, 128, 192]
    row = t.set_index("n").loc[64]
    assert (row["k_min"], row["k_max"], row["n_consistent"]) == (61, 61, 1)
    none = t.set_index("n").loc[152]
    assert none["k_min"] is pd.NA and none["n_consistent"] == 0 and np.isnan(none["rate_min"])
    over = consistent_totals(95, [20, 152], qualifier="over")
    assert over["k_min"].tolist() == [20, 145] and over["k_max"].tolist() == [20, 152]


def test_totals_agree_with_counts():
    t = consistent_totals("95.4", range(1, 300), qualifier="exact")
    for n in (22, 65, 152, 299):
        expected = consistent_k(consistent_counts("95.4", n))
        row = t.set_index("n").loc[n]
        assert row["n_consistent"] == len(expected)
        if expected:
            assert (row["k_min"], row["k_max"]) == (expected[0], expected[-1])


def test_huge_numbers_stay_exact():
    # 12 decimals and n = 10^9 overflow int64 in the cross-products; Python integers take over.
    # By hand: 999999999 / 10^9 = 99.9999999%.
    t = consistent_totals("99.999999900000", [10**9], decimals=12)
    assert (t["k_min"].iloc[0], t["k_max"].iloc[0]) == (999_999_999, 999_999_999)


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 120), m=st.integers(0, 10000), decimals=st.integers(0, 2),
       qualifier=st.sampled_from(["exact", "over", "at_least", "about"]),
       rounding=st.sampled_from(["half_up", "half_even", "truncate"]),
       tolerance=st.sampled_from([None, "0.25", "1", "2.5"]))
def test_matches_brute_force(n, m, decimals, qualifier, rounding, tolerance):
    percent = str(Decimal(min(m, 100 * 10**decimals)).scaleb(-decimals))
    if qualifier != "about":
        tolerance = None
    brute_tol = tolerance if tolerance is not None else str(Decimal(5).scaleb(-decimals - 1))
    expected = brute_force(percent, n, qualifier, decimals, rounding, brute_tol)
    table = consistent_counts(percent, n, qualifier=qualifier, decimals=decimals,
                              rounding=rounding, tolerance=tolerance)
    assert consistent_k(table) == expected
    # consistent counts form one run
    if expected:
        assert expected == list(range(expected[0], expected[-1] + 1))


@pytest.mark.parametrize(("call", "match"), [
    (lambda: consistent_counts(95, 152, qualifier="more"), "qualifier"),
    (lambda: consistent_counts(95, 152, rounding="up"), "rounding"),
    (lambda: consistent_counts(101, 152), "between 0 and 100"),
    (lambda: consistent_counts(-1, 152), "between 0 and 100"),
    (lambda: consistent_counts("abc", 152), "percent"),
    (lambda: consistent_counts("nan", 152), "finite"),
    (lambda: consistent_counts("95.31", 152, decimals=1), "decimals"),
    (lambda: consistent_counts(95, 152, decimals=-1), "decimals"),
    (lambda: consistent_counts(95, 0), ">= 1"),
    (lambda: consistent_counts(95, 10.5), ">= 1"),
    (lambda: consistent_counts(95, [10, 20]), "single"),
    (lambda: consistent_counts(95, 152, tolerance=1), "about"),
    (lambda: consistent_counts(95, 152, qualifier="about", tolerance=-1), "tolerance"),
    (lambda: consistent_totals(95, [[1, 2]]), "one-dimensional"),
])
def test_bad_input_raises(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# -- counts_from_percentages: per-row counts of a published table -------------------------

def _brute_force_counts(percent_text, n, rounding="half_up"):
    """Every k whose exact 100 k / n, rounded to the decimals written, shows the percentage
    (the oracle ``round_fraction`` above, k by k)."""
    shown = Decimal(percent_text.rstrip("%"))
    decimals = max(0, -shown.as_tuple().exponent)
    target = int(shown.scaleb(decimals))
    return [k for k in range(n + 1) if round_fraction(Fraction(100 * k, n), decimals, rounding) == target]


@pytest.mark.parametrize("rounding", ["half_up", "half_even", "truncate"])
def test_counts_from_percentages_match_enumeration(rounding):
    percents = ["96.75%", "99.00%", "98.37%", "94.01%", "100.00%", "97.02%", "100%", "0%", "50%",
                "12.5%", "62.5", "9%", "13%", "66.67%"]
    totals = [400, 4226, 1922, 2584, 22, 268, 300, 7, 3, 8, 8, 87, 39, 3]
    table = sa.counts_from_percentages(percents, totals, rounding=rounding)
    for row, (p, n) in enumerate(zip(percents, totals)):
        ks = _brute_force_counts(p, n, rounding)
        assert table.loc[row, "n_consistent"] == len(ks), (p, n)
        if ks:
            assert (table.loc[row, "k_min"], table.loc[row, "k_max"]) == (ks[0], ks[-1]), (p, n)
            assert ks == list(range(ks[0], ks[-1] + 1))  # one run, as documented
        else:
            assert pd.isna(table.loc[row, "k_min"]) and not table.loc[row, "consistent"]


def test_counts_from_percentages_edges():
    # Empty percentage: no count, kept in place; numbers read with the fewest decimals.
    table = sa.counts_from_percentages(["", 95, "95"], [20, 20, 20])
    assert table["consistent"].tolist() == [False, True, True]
    assert table.loc[1, "k_min"] == 19 and table.loc[1, "k_max"] == 19  # 19/20 = 95%
    with pytest.raises(ValueError, match="same length"):
        sa.counts_from_percentages(["95%"], [20, 30])
    with pytest.raises(ValueError, match="between 0 and 100"):
        sa.counts_from_percentages(["101%"], [20])
    with pytest.raises(ValueError, match="rounding"):
        sa.counts_from_percentages(["95%"], [20], rounding="nearest")
    with pytest.raises(ValueError, match="integers >= 1"):
        sa.counts_from_percentages(["95%"], [0])
    with pytest.raises(ValueError, match="decimals"):
        sa.counts_from_percentages(["95%"], [20], decimals=-1)
