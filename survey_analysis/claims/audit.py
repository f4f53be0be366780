"""Audit published percentages: which counts could have produced them (GRIM-style).

A reported percentage with ``n`` respondents can only come from whole counts
``k = 0..n``. "95.31% of 152" is impossible (no ``k / 152`` rounds to 95.31%), and
"over 95% of 152" means at least 145 of them (145 / 152 = 95.39%, 144 / 152 =
94.74%). Brown & Heathers (2017) call this check for means of integer data GRIM.

All comparisons are done in exact integer arithmetic: the reported percentage is
read as a decimal (``"95.31"`` is 9531 / 100 exactly, never the binary float
95.31000000000000227...), and ``100 k / n`` is compared with it by cross-multiplying,
so no count is wrongly accepted or rejected at a rounding boundary.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from .._validation import check_choice
from ..load.percentages import (
    MAX_DECIMALS,
    ROUNDING_RULES,
    as_decimal,
    check_totals,
    counts_from_percentages,
    decimals_of,
    scaled_integer,
)
from ..words import SurveyError

__all__ = ["QUALIFIERS", "ROUNDING_RULES", "consistent_counts", "consistent_totals",
           "counts_from_percentages"]

QUALIFIERS = ("exact", "over", "at_least", "about")


def _bounds(percent, n: np.ndarray, qualifier: str, decimals, rounding: str, tolerance):
    """Smallest and largest consistent k for each n (``k_min > k_max`` when none).

    Every condition has the form ``A k >= B n`` or ``A k > B n`` (lower) and
    ``A k <= C n`` or ``A k < C n`` (upper) with integers A > 0, B, C.
    """
    check_choice("qualifier", qualifier, QUALIFIERS)
    check_choice("rounding", rounding, ROUNDING_RULES)
    value = as_decimal(percent, "percent")
    if not Decimal(0) <= value <= Decimal(100):
        raise SurveyError("load.percent.range", value=percent)
    is_text = isinstance(percent, str)
    if decimals is None:
        decimals = decimals_of(value, is_text)
    elif not (isinstance(decimals, (int, np.integer)) and 0 <= decimals <= MAX_DECIMALS):
        raise SurveyError("load.percent.decimals", most=MAX_DECIMALS, value=decimals)
    decimals = int(decimals)

    if qualifier == "about":
        tol = (Decimal(5).scaleb(-decimals - 1) if tolerance is None
               else as_decimal(tolerance, "tolerance"))
        if tol < 0:
            raise SurveyError("claims.audit.tolerance", value=tolerance)
        scale = max(decimals, decimals_of(tol, isinstance(tolerance, str)),
                    decimals_of(value, True))
        m, t = scaled_integer(value, scale), scaled_integer(tol, scale)
        a, lower, upper = 100 * 10**scale, (m - t, True), (m + t, True)
    else:
        if tolerance is not None:
            raise SurveyError("claims.audit.tolerance_about")
        m = scaled_integer(value, decimals)
        if qualifier == "over":
            a, lower, upper = 10**decimals * 100, (m, False), None
        elif qualifier == "at_least":
            a, lower, upper = 10**decimals * 100, (m, True), None
        elif rounding == "truncate":
            a, lower, upper = 10**decimals * 100, (m, True), (m + 1, False)
        else:
            # Shown value m means 100 k / n * 10^d lies within m -/+ 1/2; doubled to stay integer.
            # half_up keeps the lower tie (it rounds up to m); half_even keeps both ties if m
            # is even.
            even = m % 2 == 0
            lower_inclusive = True if rounding == "half_up" else even
            upper_inclusive = False if rounding == "half_up" else even
            a = 2 * 10**decimals * 100
            lower, upper = (2 * m - 1, lower_inclusive), (2 * m + 1, upper_inclusive)

    # Python integers (object arrays) when int64 could overflow; exact either way.
    biggest = int(n.max(initial=0)) * (abs(lower[0]) + (abs(upper[0]) if upper else 0) + a)
    n_int = n.astype(object) if biggest >= 2**62 else n.astype(np.int64)
    b, inclusive = lower
    k_min = -((-b * n_int) // a) if inclusive else (b * n_int) // a + 1
    if upper is None:
        k_max = n_int
    else:
        c, inclusive = upper
        k_max = (c * n_int) // a if inclusive else -((-c * n_int) // a) - 1
    k_min = np.maximum(k_min, 0).astype(np.int64)
    k_max = np.minimum(k_max, n_int).astype(np.int64)
    return k_min, k_max


def consistent_counts(percent, n, qualifier: str = "exact", decimals=None,
                      rounding: str = "half_up", tolerance=None) -> pd.DataFrame:
    """Which counts ``k`` out of ``n`` are consistent with a reported percentage.

    Parameters
    ----------
    percent : float, int, str or decimal.Decimal
        The percentage as published, e.g. ``95``, ``"95.31%"`` or ``"95.30"``. Text
        keeps trailing zeros (``"95.30"`` has two decimals); a number is read with the
        fewest decimals that represent it (``95.0`` -> 0).
    n : int
        Number of respondents (>= 1).
    qualifier : {"exact", "over", "at_least", "about"}
        How the figure was worded:

        * ``"exact"`` -- "95.31%": ``100 k / n`` rounded to ``decimals`` decimals
          equals ``percent``;
        * ``"over"`` -- "超过95%" / "more than 95%": ``k / n > percent / 100`` strictly;
        * ``"at_least"`` -- "不低于95%" / "at least 95%": ``k / n >= percent / 100``;
        * ``"about"`` -- "约95%" / "about 95%": ``|100 k / n - percent| <= tolerance``.
    decimals : int, optional
        Decimals the figure was rounded to (``"exact"``); default: as written.
    rounding : {"half_up", "half_even", "truncate"}
        Rounding rule behind an ``"exact"`` figure: ``"half_up"`` (四舍五入; Excel's
        ROUND), ``"half_even"`` (banker's rounding; Python's ``round`` and numpy), or
        ``"truncate"`` (digits cut off).
    tolerance : float or str, optional
        Percentage points for ``"about"``; default half a unit of the last reported
        decimal (``"about 95%"`` -> 94.5 to 95.5, both included).

    Returns
    -------
    pandas.DataFrame
        One row per ``k = 0..n``: ``k``, ``n``, ``rate`` (``k / n``), ``percent``
        (``100 k / n``, a float for display only) and ``consistent`` (bool, from exact
        integer comparisons).

    Raises
    ------
    ValueError
        For an unknown qualifier or rounding rule, a percentage outside [0, 100] or
        with more decimals than ``decimals``, ``n < 1``, or a tolerance given with a
        qualifier other than ``"about"``.

    Notes
    -----
    With the reported value ``m / 10^d`` percent, ``"exact"`` with ``"half_up"``
    accepts ``k`` when ``(2m - 1) n <= 2 * 100 * 10^d * k < (2m + 1) n``; the other
    rules and qualifiers are the same cross-multiplied inequalities with different
    ends. The consistent counts always form one run ``k_min..k_max`` (possibly empty).

    References
    ----------
    .. [1] Brown, N. J. L., Heathers, J. A. J. (2017). The GRIM test: a simple technique
       detects numerous anomalies in the reporting of results in psychology. Social
       Psychological and Personality Science 8(4), 363-369.

    Examples
    --------
    "Over 95%" of 152 respondents means at least 145 satisfied:

    >>> table = consistent_counts(95, 152, qualifier="over")
    >>> int(table.loc[table["consistent"], "k"].min())
    145
    >>> table.loc[table["k"].isin([144, 145]), ["k", "percent", "consistent"]].round(2)
           k  percent  consistent
    144  144    94.74       False
    145  145    95.39        True

    "95.31%" cannot come from 152 respondents, but can from 64 (61 / 64 = 95.3125%):

    >>> bool(consistent_counts("95.31%", 152)["consistent"].any())
    False
    >>> consistent_counts("95.31%", 64).query("consistent")["k"].tolist()
    [61]
    """
    n_arr = check_totals(n)
    if n_arr.size != 1:
        raise SurveyError("claims.audit.single_n")
    total = int(n_arr[0])
    k_min, k_max = _bounds(percent, n_arr, qualifier, decimals, rounding, tolerance)
    k = np.arange(total + 1)
    return pd.DataFrame({
        "k": k,
        "n": total,
        "rate": k / total,
        "percent": 100.0 * k / total,
        "consistent": (k >= k_min[0]) & (k <= k_max[0]),
    })


def consistent_totals(percent, n_range, qualifier: str = "exact", decimals=None,
                      rounding: str = "half_up", tolerance=None) -> pd.DataFrame:
    """For which numbers of respondents a reported percentage is possible, and from which counts.

    Parameters
    ----------
    percent, qualifier, decimals, rounding, tolerance
        As in :func:`consistent_counts`.
    n_range : int or array_like of int
        Candidate numbers of respondents (each >= 1), e.g. ``range(1, 301)``.

    Returns
    -------
    pandas.DataFrame
        One row per candidate ``n`` (in the given order): ``n``, ``k_min`` and
        ``k_max`` (smallest and largest consistent count; ``<NA>`` when none),
        ``n_consistent`` (how many counts fit), ``rate_min`` and ``rate_max``
        (``k_min / n``, ``k_max / n``), and ``consistent`` (at least one count fits).
        Vectorized over ``n`` with integer floor division; no loop over counts.

    Examples
    --------
    >>> t = consistent_totals("95.31%", range(1, 200))
    >>> t.loc[t["consistent"], "n"].head(3).tolist()          # fewest respondents possible
    [64, 128, 192]
    >>> consistent_totals(95, [20, 152], qualifier="over")[["n", "k_min", "k_max"]]
         n  k_min  k_max
    0   20     20     20
    1  152    145    152
    """
    n = check_totals(n_range)
    k_min, k_max = _bounds(percent, n, qualifier, decimals, rounding, tolerance)
    count = np.maximum(k_max - k_min + 1, 0)
    ok = count > 0
    out = pd.DataFrame({
        "n": n,
        "k_min": pd.array(np.where(ok, k_min, 0), dtype="Int64"),
        "k_max": pd.array(np.where(ok, k_max, 0), dtype="Int64"),
        "n_consistent": count,
    })
    out.loc[~ok, ["k_min", "k_max"]] = pd.NA
    with np.errstate(invalid="ignore"):
        out["rate_min"] = np.where(ok, k_min / n, np.nan)
        out["rate_max"] = np.where(ok, k_max / n, np.nan)
    out["consistent"] = ok
    return out
