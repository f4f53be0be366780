"""Published percentages read exactly, and the whole counts each one allows.

A percentage printed as ``"99.00%"`` is read as the decimal it shows (9900 / 100, never
the binary float), with the decimals it was rounded to; the satisfied counts ``k`` of
``n`` that round to it are found by cross-multiplied integer inequalities. The load
layer needs this to read a published table of rates (:meth:`survey_analysis.Survey.from_counts`
with ``percent=``); the audit of published figures (:mod:`survey_analysis.claims.audit`)
builds on the same arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd

from .._validation import check_choice
from ..words import Hint, SurveyError

__all__ = ["MAX_DECIMALS", "ROUNDING_RULES", "ColumnDecimals", "as_decimal", "check_decimals",
           "check_totals", "column_decimals", "counts_from_percentages", "decimals_of",
           "parse_percentages", "read_decimals", "rounding_windows", "scaled_integer"]

ROUNDING_RULES = ("half_up", "half_even", "truncate")

#: Most decimals a published percentage is read with.
MAX_DECIMALS = 12


def as_decimal(value, name: str) -> Decimal:
    """Read a percentage (number or text such as ``"95.31%"``) as an exact decimal."""
    if isinstance(value, Decimal):
        number = value
    else:
        text = str(value).strip().replace("％", "%")
        text = text[:-1].strip() if text.endswith("%") else text
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise SurveyError("load.percent.not_number", name=name, value=value) from None
    if not number.is_finite():
        raise SurveyError("load.percent.not_finite", name=name, value=value)
    return number


def decimals_of(number: Decimal, as_text: bool) -> int:
    """Decimals as written (text) or the fewest that represent the number (a float/int)."""
    exponent = (number if as_text else number.normalize()).as_tuple().exponent
    return max(0, -int(exponent))


def read_decimals(value, number: Decimal) -> int:
    """The decimals a published percentage is read with (:func:`decimals_of`); more than
    :data:`MAX_DECIMALS` is an error (a value with thousands of decimals is no published
    figure, and its arithmetic would not fit).

    Examples
    --------
    >>> read_decimals("96.75%", as_decimal("96.75%", "percent"))
    2
    >>> read_decimals("0." + "9" * 40, as_decimal("0." + "9" * 40, "percent"))
    Traceback (most recent call last):
    ...
    survey_analysis.words.SurveyError: '0.99999999999999999999...' has 40 decimals; a percentage is read with at most 12: round it
    """
    decimals = decimals_of(number, isinstance(value, str))
    if decimals > MAX_DECIMALS:
        text = str(value)
        shown = repr(text[:22] + "..." if len(text) > 25 else text)
        raise SurveyError("load.percent.too_many_decimals", value=shown, decimals=decimals, most=MAX_DECIMALS)
    return decimals


def scaled_integer(number: Decimal, decimals: int) -> int:
    """``number * 10**decimals`` as an exact integer (raises if it is not one)."""
    scaled = number.scaleb(decimals)
    if scaled != scaled.to_integral_value():
        raise SurveyError("load.percent.decimals_more", number=str(number), decimals=decimals,
                          hint=Hint("decimals", decimals_of(number, True)))
    return int(scaled)


def check_totals(n) -> np.ndarray:
    n = np.atleast_1d(np.asarray(n))
    if n.ndim != 1:
        raise SurveyError("load.percent.one_dimension", name="n_range")
    bad = n.size and (not np.issubdtype(n.dtype, np.number) or np.any(n != np.floor(n))
                      or np.any(n < 1))
    if bad:
        raise SurveyError("load.percent.totals", values=n[:5].tolist())
    return n.astype(np.int64)


def check_decimals(decimals) -> None:
    if decimals is not None and not (isinstance(decimals, (int, np.integer))
                                     and not isinstance(decimals, bool)
                                     and 0 <= decimals <= MAX_DECIMALS):
        raise SurveyError("load.percent.decimals", most=MAX_DECIMALS, value=decimals)


def parse_percentages(percent, decimals) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scaled integers ``m`` and decimals ``d`` (value = m / 10^d percent) per entry, and a
    mask of entries that are not a percentage. Text is parsed once per distinct value."""
    values = pd.Series(percent, dtype=object).reset_index(drop=True)
    missing = values.isna().to_numpy() | (values.astype(str).str.strip() == "").to_numpy()
    distinct = pd.unique(values[~missing])
    parsed = {}
    for value in distinct:  # distinct published texts, not rows
        number = as_decimal(value, "percent")
        d = read_decimals(value, number) if decimals is None else int(decimals)
        if not Decimal(0) <= number <= Decimal(100):
            raise SurveyError("load.percent.range", value=value)
        parsed[value] = (scaled_integer(number, d), d)
    m = np.zeros(len(values), dtype=object)
    d = np.zeros(len(values), dtype=np.int64)
    if len(distinct):
        pairs = values[~missing].map(parsed)
        m[~missing] = [pair[0] for pair in pairs]
        d[~missing] = [pair[1] for pair in pairs]
    return m, d, missing


@dataclass(frozen=True)
class ColumnDecimals:
    """The decimals a column of published percentages is read with, and why.

    Attributes
    ----------
    decimals : int
        The fewest decimals every value of the column fits (``"74.0"``, ``"33.00"`` and
        ``"96"`` all fit 0; ``"96.5"`` needs 1).
    example : str or None
        A value that needs ``decimals`` (None when every value is whole).
    printed : dict
        Decimals as printed -> rows (``{1: 3000, 2: 225}``).

    Examples
    --------
    >>> column_decimals(["74.0", "33.00", "96"])
    ColumnDecimals(decimals=0, example=None, printed={0: 1, 1: 1, 2: 1})
    """

    decimals: int
    example: str | None
    printed: dict


def column_decimals(percent) -> ColumnDecimals:
    """One precision for a whole column of published percentages: the fewest decimals
    every value fits.

    A column exported as ``74.0`` or ``33.00`` (a spreadsheet's number format) does not
    say that each value was rounded to one or two decimals: when every value is whole,
    the column is read with 0 decimals. A column whose values disagree (``96.5`` and
    ``97``) takes the finest (1 here): ``97`` is then ``97.0``, its trailing zero dropped.
    Reading with fewer decimals than the table was rounded to only widens the counts a
    value allows; reading with more would drop true counts.

    Parameters
    ----------
    percent : array_like of str, float or int
        The column as published (empty entries are skipped).

    Returns
    -------
    ColumnDecimals

    Notes
    -----
    :func:`counts_from_percentages` reads each entry with its own decimals unless told;
    :meth:`Survey.from_counts <survey_analysis.Survey.from_counts>` passes it this
    column's (unless ``decimals=`` is given). Distinct texts are read once each.

    Examples
    --------
    >>> column_decimals(["96.5%", "97%", "98.25%"]).decimals
    2
    >>> column_decimals(["96.5", "97"])
    ColumnDecimals(decimals=1, example='96.5', printed={0: 1, 1: 1})
    """
    values = pd.Series(percent, dtype=object).reset_index(drop=True)
    missing = values.isna().to_numpy() | (values.astype(str).str.strip() == "").to_numpy()
    kept = values[~missing]
    finest, example, printed_of = 0, None, {}
    for value in pd.unique(kept):  # distinct published texts, not rows
        number = as_decimal(value, "percent")
        printed_of[value] = read_decimals(value, number)
        fewest = decimals_of(number, False)
        if fewest > finest:
            finest, example = fewest, str(value)
    printed = kept.map(printed_of).value_counts().sort_index() if len(kept) else pd.Series(dtype="int64")
    return ColumnDecimals(int(finest), example, {int(d): int(rows) for d, rows in printed.items()})


def rounding_windows(m: np.ndarray, d: np.ndarray, rounding: str):
    """Rounding window of each shown value ``m / 10^d``: a share ``x`` rounds to it when
    ``low <= a x`` (``<`` if not ``low_in``) and ``a x < high`` (``<=`` if ``high_in``),
    with ``a = 2 * 10^d``. Multiply ``a`` by 100 for percentages."""
    a = (2 * 10 ** np.asarray(d, dtype=np.int64)).astype(object)   # d <= 12: no overflow
    size = len(m)
    if rounding == "truncate":
        low, high = 2 * m, 2 * m + 2
        low_in, high_in = np.ones(size, bool), np.zeros(size, bool)
    else:
        low, high = 2 * m - 1, 2 * m + 1
        if rounding == "half_up":
            low_in, high_in = np.ones(size, bool), np.zeros(size, bool)
        else:  # half_even: a tie rounds to the even shown value
            low_in = high_in = np.asarray(m % 2 == 0, dtype=bool)
    return a, low, low_in, high, high_in


def counts_from_percentages(percent, n, decimals=None, rounding: str = "half_up") -> pd.DataFrame:
    """The satisfied counts consistent with each rounded percentage of a table.

    For a published table that gives, per unit, the number of answers ``n`` and a
    rounded percentage (``"96.75%"``) but no count: the smallest and largest whole
    ``k`` with ``100 k / n`` rounding to the percentage, per row, vectorized.

    Parameters
    ----------
    percent : array_like of str, float or int
        Percentages as published (``"99.00%"``, ``"99.00"`` or ``99``). Text keeps its
        trailing zeros (``"99.00"`` has two decimals); a number is read with the fewest
        decimals that represent it, which can only widen the range. Empty entries give
        no counts (``consistent`` False).
    n : array_like of int
        Number of answers of each row (>= 1).
    decimals : int, optional
        Decimals every percentage was rounded to; default as written, per row (a table
        read by :meth:`Survey.from_counts <survey_analysis.Survey.from_counts>` is read
        with one precision for its column: :func:`column_decimals`).
    rounding : {"half_up", "half_even", "truncate"}
        As in :func:`~survey_analysis.consistent_counts`.

    Returns
    -------
    pandas.DataFrame
        One row per input row (same order): ``percent`` (as given), ``n``,
        ``decimals``, ``k_min`` and ``k_max`` (``<NA>`` when no count fits),
        ``n_consistent`` (how many counts fit) and ``consistent`` (at least one does).

    Notes
    -----
    The same exact integer inequalities as :func:`~survey_analysis.consistent_counts` with
    ``qualifier="exact"``, with each row's own percentage and decimals: for the
    shown value ``m / 10^d`` percent and ``a = 2 * 100 * 10^d``, ``half_up`` keeps
    ``k`` with ``(2m - 1) n <= a k < (2m + 1) n``.

    References
    ----------
    .. [1] Brown, N. J. L., Heathers, J. A. J. (2017). The GRIM test. Social Psychological
       and Personality Science 8(4), 363-369.

    Examples
    --------
    96.75% of 400 is exactly 387; 99.00% of 4226 fits no count (4183 / 4226 = 98.98%,
    4184 / 4226 = 99.01%); 50% of 3 fits none either:

    >>> t = counts_from_percentages(["96.75%", "99.00%", "50%"], [400, 4226, 3])
    >>> t[["n", "k_min", "k_max", "consistent"]]
          n  k_min  k_max  consistent
    0   400    387    387        True
    1  4226   <NA>   <NA>       False
    2     3   <NA>   <NA>       False

    A published "100%" rounded to whole percents can be 299 of 300 (99.67%); "100.00%"
    cannot:

    >>> counts_from_percentages(["100%", "100.00%"], [300, 300])[["k_min", "k_max"]]
       k_min  k_max
    0    299    300
    1    300    300
    """
    check_choice("rounding", rounding, ROUNDING_RULES)
    check_decimals(decimals)
    totals = check_totals(n)
    m, d, missing = parse_percentages(percent, decimals)
    if len(m) != len(totals):
        raise SurveyError("load.percent.lengths", percent=len(m), n=len(totals))
    # Python integers (object arrays): m * n can exceed int64 for many decimals; the
    # arithmetic stays exact and vectorized through NumPy.
    n_obj = totals.astype(object)
    a, low, low_inclusive, high, high_inclusive = rounding_windows(m, d, rounding)
    a = np.where(missing, 1, 100 * a)
    ceil_low = -((-low * n_obj) // a)
    k_min = np.where(low_inclusive, ceil_low, (low * n_obj) // a + 1)
    ceil_high = -((-high * n_obj) // a)
    k_max = np.where(high_inclusive, (high * n_obj) // a, ceil_high - 1)
    k_min = np.maximum(k_min.astype(np.int64), 0)
    k_max = np.minimum(k_max.astype(np.int64), totals)
    ok = (k_max >= k_min) & ~missing
    return pd.DataFrame({
        "percent": pd.Series(percent, dtype=object).reset_index(drop=True),
        "n": totals,
        "decimals": d,
        "k_min": pd.Series(k_min, dtype="Int64").where(ok),
        "k_max": pd.Series(k_max, dtype="Int64").where(ok),
        "n_consistent": np.where(ok, k_max - k_min + 1, 0),
        "consistent": ok,
    })
