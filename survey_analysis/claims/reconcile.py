"""Reconcile published figures with each other: denominators, parts and wholes, totals.

A published report often gives a count and a rounded rate without saying what the rate is
a share of, gives the rates of some parts and a rate of the whole, or gives a rate, a
count and a total in one sentence. The functions here answer, in exact integer
arithmetic, whether such figures can all hold at once:

* :func:`check_denominators` -- which candidate denominator reproduces each published
  rate from its published count ("8 不满意 of 87 hotline cases rounds to 9%; of 99 cases
  it rounds to 8%");
* :func:`denominators_for_share` -- of which totals a count is a published share
  ("15552 is 64.46% of 24125 to 24128");
* :func:`rounded_count_range` -- the whole numbers a rounded figure such as "2.42万"
  stands for (24150 to 24249);
* :func:`pooled_rate_range` -- the range of the pooled rate of parts with published
  rounded rates and sizes, with the parts that fit no count named;
* :func:`remainder_rate_range` -- what the unpublished rest must have for a published
  whole to hold, or that nothing would do;
* :func:`min_total_for_claim` -- the fewest answers for which "X% satisfied, yet c not
  satisfied" is possible (175 不满意 beside "at least 99.5%" needs 35000 answers).

They state arithmetic, not intent: a figure that does not reconcile as stated may use
another denominator, another rounding, other categories, another period, or a table
that is only partly published. Rounded percentages are read as exact decimals
(``"96.75%"`` is 9675 / 10000, never a binary float) and every comparison is an integer
cross-multiplication, as in :mod:`survey_analysis.claims.audit`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from .._validation import check_choice
from ..load.percentages import (
    ROUNDING_RULES,
    check_decimals,
    counts_from_percentages,
    parse_percentages,
    rounding_windows,
)
from ..words import Message, Note, SurveyError, frame_html, percent, shorten

__all__ = ["CLAIM_QUALIFIERS", "MAGNITUDES", "UNFIT_RULES", "PooledRange", "check_denominators",
           "denominators_for_share", "min_total_for_claim", "pooled_rate_range",
           "remainder_rate_range", "rounded_count_range"]

#: How a "X% satisfied" claim is worded, for :func:`min_total_for_claim`.
CLAIM_QUALIFIERS = ("at_least", "over", "exact")
#: What :func:`pooled_rate_range` does with a part whose rate fits no count of its size.
UNFIT_RULES = ("exclude", "nearest", "raise")
#: Chinese magnitude characters read by :func:`rounded_count_range`.
MAGNITUDES = {"": 1, "十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}

_NUMBER = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(十|百|千|万|亿)?\s*$")


# --------------------------------------------------------------------------- helpers

def _integers(values, name: str, minimum: int = 0) -> np.ndarray:
    """Whole numbers >= ``minimum`` as an object array of Python ints (exact arithmetic),
    in the shape given (at least one dimension)."""
    array = np.atleast_1d(np.asarray(values, dtype=object))
    series = pd.Series(array.ravel(), dtype=object)
    if series.empty:
        return np.zeros(array.shape, dtype=object)
    numeric = pd.to_numeric(series, errors="coerce")
    bad = numeric.isna() | (numeric != np.floor(numeric)) | (numeric < minimum)
    bad |= series.map(lambda v: isinstance(v, (bool, np.bool_)))
    if bad.any():
        shown = series[bad].head(5).tolist()
        raise SurveyError("claims.reconcile.whole", name=name, minimum=minimum, shown=shown)
    return numeric.astype(np.int64).to_numpy().astype(object).reshape(array.shape)


def _notes(conditions: list, codes: list, default: str) -> pd.Series:
    """A note per row: the first condition that holds names its catalogue entry
    (``claims.reconcile.<code>``; "" for no note), as :func:`numpy.select` would pick a
    text. A Series of :class:`~survey_analysis.words.Note` (plain strings that also say
    themselves in Chinese), dtype object."""
    said = np.array([Note(f"claims.reconcile.{code}") if code else "" for code in [*codes, default]],
                    dtype=object)
    picked = said[np.select(conditions, list(range(len(codes))), default=len(codes))]
    # Kept as objects: pandas would store plain text (its str dtype) and lose the Notes.
    return pd.Series(picked, dtype=object)


def _ceil_div(x, y):
    return -((-x) // y)


def _least(num, den, inclusive):
    """Smallest whole ``x`` with ``x * den >= num`` (``> num`` where not ``inclusive``); den > 0."""
    return np.where(inclusive, _ceil_div(num, den), num // den + 1)


def _most(num, den, inclusive):
    """Largest whole ``x`` with ``x * den <= num`` (``< num`` where not ``inclusive``); den > 0."""
    return np.where(inclusive, num // den, _ceil_div(num, den) - 1)


def _display(numerator, denominator) -> np.ndarray:
    """``numerator / denominator`` as floats for display; NaN where the denominator is 0."""
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def _nullable(values, ok) -> pd.Series:
    return pd.Series(np.where(ok, values, 0).astype(np.int64), dtype="Int64").where(ok)


# ------------------------------------------------------------------- denominators

def check_denominators(table: pd.DataFrame, count: str, percent: str, candidates,
                       label: str | None = None, decimals=None,
                       rounding: str = "half_up") -> pd.DataFrame:
    """Which candidate denominator reproduces each published rate from its published count.

    For a table that prints a count (e.g. 不满意数) and a rounded rate (不满意率) per
    row but not the rate's denominator: for every row and every candidate column,
    whether ``count / denominator`` rounds to the published rate.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per unit of the published table.
    count : str
        Column of the published counts (whole numbers >= 0).
    percent : str
        Column of the published rates, as printed (``"9%"``, ``"98.44%"``); text keeps
        its decimals (``"99.00"`` has two). Empty entries reproduce nothing.
    candidates : list of str or dict
        Candidate denominators: column names, or a mapping ``{name: column or values}``
        for a denominator that is not a column (e.g. a sum of two columns). A
        denominator that is missing or 0, or smaller than the count, reproduces nothing.
    label : str, optional
        Column identifying the rows in the result; default the table's index.
    decimals : int, optional
        Decimals every rate was rounded to; default as written, per row.
    rounding : {"half_up", "half_even", "truncate"}
        As in :func:`~survey_analysis.consistent_counts`.

    Returns
    -------
    pandas.DataFrame
        One row per table row and candidate (row by row, candidates in the given
        order): ``row`` (label), ``candidate``, ``count``, ``denominator``, ``percent``
        (as published), ``share`` (``100 * count / denominator``, a float for
        display), ``window_low`` and ``window_high`` (the values, in percent, that round
        to the published rate; display floats), ``k_min`` and ``k_max`` (the counts of
        that denominator consistent with the rate, ``<NA>`` if none), ``reproduces``
        (bool, exact) and ``note``.

    Raises
    ------
    ValueError
        For an unknown rounding rule or column (the message names the columns there
        are), counts that are not whole numbers >= 0, a rate outside [0, 100], or a
        candidate of the wrong length.

    Notes
    -----
    A rate ``m / 10^d`` percent rounded half up holds for ``k`` of ``n`` when
    ``(2m - 1) n <= 2 * 100 * 10^d * k < (2m + 1) n``; ``reproduces`` is that
    inequality for the published count, decided with integers. A denominator that
    reproduces every row is arithmetically possible, not proven: another column (or an
    unpublished number) may reproduce them too. One that fails a row cannot be that
    row's denominator under the stated rounding.

    References
    ----------
    .. [1] Brown, N. J. L., Heathers, J. A. J. (2017). The GRIM test: a simple technique
       detects numerous anomalies in the reporting of results in psychology. Social
       Psychological and Personality Science 8(4), 363-369.

    Examples
    --------
    8 of 87 is 9.20%, which rounds to "9%"; 8 of 99 is 8.08%, which does not:

    >>> t = pd.DataFrame({"unit": ["A", "B"], "bad": [8, 3], "rate": ["9%", "5%"],
    ...                   "all_cases": [99, 68], "hotline": [87, 63]})
    >>> out = check_denominators(t, "bad", "rate", ["all_cases", "hotline"], label="unit")
    >>> out[["row", "candidate", "denominator", "share", "reproduces"]].round(2)
      row  candidate  denominator  share  reproduces
    0   A  all_cases           99   8.08       False
    1   A    hotline           87   9.20        True
    2   B  all_cases           68   4.41       False
    3   B    hotline           63   4.76        True
    """
    check_choice("rounding", rounding, ROUNDING_RULES)
    check_decimals(decimals)
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a pandas DataFrame, got {type(table).__name__}")
    columns = list(table.columns)
    if isinstance(candidates, str):
        candidates = [candidates]
    spec = dict(candidates) if isinstance(candidates, dict) else {c: c for c in candidates}
    for role, name in [("count", count), ("percent", percent), ("label", label)] + [
            ("candidate", v) for v in spec.values() if isinstance(v, str)]:
        if name is not None and name not in columns:
            raise SurveyError("claims.reconcile.unknown_column", role=role, name=name,
                              columns=", ".join(map(repr, columns)))
    if not spec:
        raise SurveyError("claims.reconcile.no_candidate")

    rows = len(table)
    counts = _integers(table[count].to_numpy(), Message("claims.reconcile.column", {"column": count}))
    denominators = []
    for name, source in spec.items():
        values = table[source] if isinstance(source, str) else pd.Series(list(source))
        if len(values) != rows:
            raise SurveyError("claims.reconcile.candidate_length", name=name, count=len(values),
                              rows=rows)
        numeric = pd.to_numeric(pd.Series(values.to_numpy()), errors="coerce")
        given = numeric.notna().to_numpy()
        whole = given & (numeric.fillna(0) == np.floor(numeric.fillna(0))).to_numpy() & (
            numeric.fillna(0) >= 0).to_numpy()
        if (given & ~whole).any():
            raise SurveyError("claims.reconcile.candidate_whole", name=name,
                              values=numeric[given & ~whole].head(5).tolist())
        denominators.append(numeric.fillna(0).astype(np.int64).to_numpy().astype(object))

    n_candidates = len(spec)
    labels = (table[label] if label is not None else table.index.to_series()).to_numpy()
    k = np.repeat(counts, n_candidates)
    den = np.column_stack(denominators).ravel() if rows else np.zeros(0, dtype=object)
    published = np.repeat(table[percent].to_numpy(dtype=object), n_candidates)
    m, d, missing = parse_percentages(published, decimals)
    usable = (den >= 1) & (k <= den) & ~missing

    k_min = np.zeros(len(k), dtype=np.int64)
    k_max = np.full(len(k), -1, dtype=np.int64)
    if usable.any():
        fits = counts_from_percentages(published[usable], den[usable].astype(np.int64),
                                       decimals=decimals, rounding=rounding)
        k_min[usable] = fits["k_min"].fillna(0).to_numpy(dtype=np.int64)
        k_max[usable] = fits["k_max"].fillna(-1).to_numpy(dtype=np.int64)
    has_fit = k_max >= k_min
    reproduces = usable & has_fit & (k >= k_min) & (k <= k_max)

    a, low, _, high, _ = rounding_windows(m, d, rounding)
    a = np.where(missing, 1, a)
    note = _notes([missing, den == 0, k > den, ~has_fit, reproduces],
                  ["no_rate", "no_denominator", "count_over", "no_fit", ""], "other_rate")
    return pd.DataFrame({
        "row": np.repeat(labels, n_candidates),
        "candidate": np.tile(np.array(list(spec), dtype=object), rows),
        "count": k.astype(np.int64),
        "denominator": pd.Series(den.astype(np.int64), dtype="Int64").where(den > 0),
        "percent": published,
        "share": 100 * _display(k, den),
        "window_low": np.where(missing, np.nan, _display(low, a)),
        "window_high": np.where(missing, np.nan, _display(high, a)),
        "k_min": _nullable(k_min, usable & has_fit),
        "k_max": _nullable(k_max, usable & has_fit),
        "reproduces": reproduces,
        "note": note,
    })


def denominators_for_share(percent, count, decimals=None, rounding: str = "half_up") -> pd.DataFrame:
    """Of which totals a count is the published share: "k is p% of N" for which N.

    Parameters
    ----------
    percent : str, float or array_like
        The published share, as printed (``"64.46%"``).
    count : int or array_like of int
        The count the share is of (whole numbers >= 0). Broadcast against ``percent``.
    decimals : int, optional
        Decimals the share was rounded to; default as written.
    rounding : {"half_up", "half_even", "truncate"}
        As in :func:`~survey_analysis.consistent_counts`.

    Returns
    -------
    pandas.DataFrame
        One row per (broadcast) entry: ``percent``, ``count``, ``n_min`` and ``n_max``
        (the smallest and largest total ``N >= max(count, 1)`` with ``100 * count / N``
        rounding to ``percent``; ``n_max`` is ``<NA>`` when there is no upper limit, as
        for a share that rounds to 0), ``unbounded`` (no upper limit) and
        ``consistent`` (some total fits). Every total between ``n_min`` and ``n_max``
        fits.

    Raises
    ------
    ValueError
        For an unknown rounding rule, a share outside [0, 100] or a count that is not a
        whole number >= 0.

    Notes
    -----
    With ``a = 2 * 100 * 10^d`` and the window ``(2m - 1) N <= a k < (2m + 1) N``
    (half up), the totals are ``a k / (2m + 1) < N <= a k / (2m - 1)``: one run of
    whole numbers, found by two integer divisions.

    References
    ----------
    .. [1] Brown, N. J. L., Heathers, J. A. J. (2017). The GRIM test. Social Psychological
       and Personality Science 8(4), 363-369.

    Examples
    --------
    15552 is 64.46% of 24125 to 24128 (15552 / 24124 = 64.467%, 15552 / 24129 = 64.453%);
    1 is 50% of 2 only:

    >>> denominators_for_share(["64.46%", "50%"], [15552, 1])[["count", "n_min", "n_max"]]
       count  n_min  n_max
    0  15552  24125  24128
    1      1      2      2
    """
    check_choice("rounding", rounding, ROUNDING_RULES)
    check_decimals(decimals)
    shares = np.atleast_1d(np.asarray(percent, dtype=object))
    counts = _integers(count, "count")
    try:
        shares, counts = np.broadcast_arrays(shares, counts)
    except ValueError:
        raise SurveyError("claims.reconcile.broadcast", first=shares.shape,
                          second=counts.shape) from None
    shares, counts = shares.astype(object).ravel(), counts.astype(object).ravel()
    m, d, missing = parse_percentages(shares, decimals)
    if missing.any():
        raise SurveyError("claims.reconcile.percent_empty")
    a, low, low_in, high, high_in = rounding_windows(m, d, rounding)
    a = 100 * a
    k = counts
    # a k < high N (or <=) bounds N from below (high >= 1 always); low N <= a k (or <)
    # bounds it from above only when low > 0.
    n_min = np.maximum(_least(a * k, high, high_in), np.maximum(k, 1))
    unbounded = ((low < 0) | ((low == 0) & low_in)).astype(bool)
    n_max = _most(a * k, np.where(low > 0, low, 1), low_in)
    ok = (unbounded | (n_max >= n_min)).astype(bool)
    return pd.DataFrame({
        "percent": shares,
        "count": counts.astype(np.int64),
        "decimals": d,
        "n_min": _nullable(n_min, ok),
        "n_max": _nullable(np.where(unbounded, 0, n_max), ok & ~unbounded),
        "unbounded": unbounded & ok,
        "consistent": ok,
    })


def rounded_count_range(value, rounding: str = "half_up") -> pd.DataFrame:
    """The whole numbers a rounded published count stands for: "2.42万" is 24150 to 24249.

    Parameters
    ----------
    value : str, int, float or array_like
        Counts as printed: digits with an optional Chinese magnitude 十, 百, 千, 万 (10^4)
        or 亿 (10^8), e.g. ``"2.42万"``, ``"9.67万"``, ``"175"``. Text keeps its
        decimals (``"2.40万"`` has two); strip measure words (件, 笔, 人) first.
    rounding : {"half_up", "half_even", "truncate"}
        How the figure was rounded to its last printed digit.

    Returns
    -------
    pandas.DataFrame
        One row per value: ``value`` (as given), ``magnitude`` (10000 for 万),
        ``decimals``, ``low`` and ``high`` (smallest and largest whole number that
        prints as ``value``; ``<NA>`` if none) and ``n_values``.

    Raises
    ------
    ValueError
        For an unknown rounding rule or a value that is not a number with an optional
        magnitude (the message names the allowed magnitudes).

    Notes
    -----
    A figure ``m / 10^d`` in units of ``U`` rounded half up stands for the whole
    numbers ``x`` with ``(2m - 1) U <= 2 * 10^d * x < (2m + 1) U``.

    Examples
    --------
    >>> rounded_count_range(["2.42万", "2.6万", "175"])[["value", "low", "high"]]
        value    low   high
    0  2.42万  24150  24249
    1   2.6万  25500  26499
    2     175    175    175
    >>> rounded_count_range("2.6万", rounding="truncate")[["low", "high"]]
         low   high
    0  26000  26999
    """
    check_choice("rounding", rounding, ROUNDING_RULES)
    values = pd.Series(np.atleast_1d(np.asarray(value, dtype=object)), dtype=object)
    lookup = {}
    for text in pd.unique(values):  # distinct printed figures, not rows
        match = _NUMBER.match(str(text).replace(",", ""))
        if isinstance(text, (bool, np.bool_)) or match is None:
            raise SurveyError("claims.reconcile.not_count", text=text,
                              magnitudes=", ".join(repr(u) for u in MAGNITUDES if u))
        number = Decimal(match.group(1))
        places = max(0, -int(number.as_tuple().exponent))
        lookup[text] = (int(number.scaleb(places)), places, MAGNITUDES[match.group(2) or ""])
    parts = values.map(lookup)
    m = np.array([p[0] for p in parts], dtype=object)
    d = np.array([p[1] for p in parts], dtype=np.int64)
    unit = np.array([p[2] for p in parts], dtype=object)
    a, low, low_in, high, high_in = rounding_windows(m, d, rounding)
    x_min = np.maximum(_least(low * unit, a, low_in), 0)
    x_max = _most(high * unit, a, high_in)
    ok = (x_max >= x_min).astype(bool)
    return pd.DataFrame({
        "value": values,
        "magnitude": unit.astype(np.int64),
        "decimals": d,
        "low": _nullable(x_min, ok),
        "high": _nullable(x_max, ok),
        "n_values": np.where(ok, x_max - x_min + 1, 0).astype(np.int64),
    })


# -------------------------------------------------------------------- parts and wholes

@dataclass(frozen=True)
class PooledRange:
    """The pooled rate that parts with published rounded rates and sizes allow.

    Attributes
    ----------
    n : int
        Total size of the parts in the pool.
    k_min, k_max : int
        Smallest and largest pooled count (sums of the parts' smallest and largest).
    rate_min, rate_max : float
        ``k_min / n`` and ``k_max / n`` (NaN when the pool is empty); exact values are
        the fractions of the integers above.
    unfit : tuple
        Labels of the parts whose published rate fits no whole count of their size.
    unfit_rule : str
        What was done with them (:data:`UNFIT_RULES`).
    parts : pandas.DataFrame
        One row per part: ``label``, ``percent``, ``n``, ``k_min``, ``k_max``
        (consistent counts, ``<NA>`` if none), ``consistent``, ``used_k_min``,
        ``used_k_max`` (what entered the pool) and ``in_pool``.

    See Also
    --------
    pooled_rate_range : returns it.

    Examples
    --------
    >>> pooled_rate_range(["96%", "97.5%"], [100, 200])
    <PooledRange: 97.00% to 97.00% (291 to 291 of 300); 0 part(s) fit no count (exclude)>
    """

    n: int
    k_min: int
    k_max: int
    rate_min: float
    rate_max: float
    unfit: tuple
    unfit_rule: str
    parts: pd.DataFrame = field(repr=False, compare=False)

    def __repr__(self) -> str:
        return shorten(f"<PooledRange: {percent(self.rate_min, 2)} to {percent(self.rate_max, 2)} "
                       f"({self.k_min:,} to {self.k_max:,} of {self.n:,}); {len(self.unfit)} part(s) "
                       f"fit no count ({self.unfit_rule})>")

    def _repr_html_(self) -> str:
        return frame_html(self.to_frame(), "Pooled rate the parts allow",
                          percent_columns=("rate_min", "rate_max"))

    def to_frame(self) -> pd.DataFrame:
        """One row: ``n``, ``k_min``, ``k_max``, ``rate_min``, ``rate_max``, ``n_unfit``,
        ``unfit_rule``."""
        return pd.DataFrame([{"n": self.n, "k_min": self.k_min, "k_max": self.k_max,
                              "rate_min": self.rate_min, "rate_max": self.rate_max,
                              "n_unfit": len(self.unfit), "unfit_rule": self.unfit_rule}])


def pooled_rate_range(percent, n, labels=None, unfit: str = "exclude", decimals=None,
                      rounding: str = "half_up") -> PooledRange:
    """Range of the pooled rate ``sum(k) / sum(n)`` of parts with published rounded rates.

    Parameters
    ----------
    percent : array_like of str or float
        Each part's published rate (``"98.44%"``).
    n : array_like of int
        Each part's size (>= 1), the denominator its rate is assumed to be of.
    labels : array_like, optional
        Names of the parts; default ``0 .. len - 1``.
    unfit : {"exclude", "nearest", "raise"}
        A part whose rate fits no whole count of its size (so its denominator is not
        ``n``, or its rate is rounded otherwise): ``"exclude"`` leaves it out of the
        pool; ``"nearest"`` pools it with the two whole counts on either side of its
        rounding window (as if its rate were of about ``n``); ``"raise"`` raises.
    decimals : int, optional
        Decimals every rate was rounded to; default as written.
    rounding : {"half_up", "half_even", "truncate"}
        As in :func:`~survey_analysis.consistent_counts`.

    Returns
    -------
    PooledRange
        ``n``, ``k_min``, ``k_max``, ``rate_min``, ``rate_max``, the ``unfit`` parts'
        labels and the per-part table ``parts``.

    Raises
    ------
    ValueError
        For an unknown ``unfit`` or rounding rule, an empty or out-of-range rate,
        sizes that are not whole numbers >= 1, inputs of different lengths, or (with
        ``unfit="raise"``) a part that fits no count.

    Notes
    -----
    Each part's count lies in ``k_min_i .. k_max_i``
    (:func:`~survey_analysis.counts_from_percentages`), independently of the others,
    so the pooled count is any whole number from ``sum(k_min_i)`` to ``sum(k_max_i)``.
    The pooled rate is only a share of ``sum(n)`` if each rate is of its ``n``; when
    the rates have other, unpublished denominators (e.g. callbacks), the pooled rate is
    a weighted mean with unknown weights and this range is an approximation.

    References
    ----------
    .. [1] Brown, N. J. L., Heathers, J. A. J. (2017). The GRIM test. Social Psychological
       and Personality Science 8(4), 363-369.

    Examples
    --------
    "50%" of 4 is 2, "100%" of 3 is 3, so the pool is 5 of 7; "50%" of 3 fits no count
    (1 / 3 = 33%, 2 / 3 = 67%):

    >>> r = pooled_rate_range(["50%", "100%", "50%"], [4, 3, 3], labels=["a", "b", "c"])
    >>> r.n, r.k_min, r.k_max, r.unfit
    (7, 5, 5, ('c',))
    >>> r = pooled_rate_range(["50%", "100%", "50%"], [4, 3, 3], unfit="nearest")
    >>> r.n, r.k_min, r.k_max, round(r.rate_min, 4), round(r.rate_max, 4)
    (10, 6, 7, 0.6, 0.7)
    """
    check_choice("unfit", unfit, UNFIT_RULES)
    check_choice("rounding", rounding, ROUNDING_RULES)
    check_decimals(decimals)
    shares = pd.Series(np.atleast_1d(np.asarray(percent, dtype=object)), dtype=object)
    sizes = _integers(n, "n", minimum=1)
    if len(shares) != len(sizes):
        raise SurveyError("load.percent.lengths", percent=len(shares), n=len(sizes))
    names = (pd.Series(range(len(sizes)), dtype=object) if labels is None
             else pd.Series(list(labels), dtype=object))
    if len(names) != len(sizes):
        raise SurveyError("claims.reconcile.labels", labels=len(names), parts=len(sizes))
    m, d, missing = parse_percentages(shares, decimals)
    if missing.any():
        raise SurveyError("claims.reconcile.part_rate")
    fits = counts_from_percentages(shares, sizes.astype(np.int64), decimals=decimals,
                                   rounding=rounding)
    consistent = fits["consistent"].to_numpy(dtype=bool)
    unfit_labels = tuple(names[~consistent])
    if unfit == "raise" and unfit_labels:
        raise SurveyError("claims.reconcile.unfit", labels=list(unfit_labels))
    used_min = fits["k_min"].fillna(0).to_numpy(dtype=np.int64)
    used_max = fits["k_max"].fillna(0).to_numpy(dtype=np.int64)
    in_pool = consistent.copy()
    if unfit == "nearest" and len(sizes):
        a, low, _, high, _ = rounding_windows(m, d, rounding)
        a = 100 * a
        below = (low * sizes) // a                  # the whole count just below the window
        above = _ceil_div(high * sizes, a)          # and just above it
        used_min = np.where(consistent, used_min, np.maximum(below, 0)).astype(np.int64)
        used_max = np.where(consistent, used_max, np.minimum(above, sizes)).astype(np.int64)
        in_pool[:] = True
    total = int(sizes[in_pool].sum()) if in_pool.any() else 0
    k_min, k_max = int(used_min[in_pool].sum()), int(used_max[in_pool].sum())
    parts = pd.DataFrame({
        "label": names, "percent": shares, "n": sizes.astype(np.int64),
        "k_min": fits["k_min"], "k_max": fits["k_max"], "consistent": consistent,
        "used_k_min": _nullable(used_min, in_pool), "used_k_max": _nullable(used_max, in_pool),
        "in_pool": in_pool,
    })
    return PooledRange(n=total, k_min=k_min, k_max=k_max,
                       rate_min=k_min / total if total else float("nan"),
                       rate_max=k_max / total if total else float("nan"),
                       unfit=unfit_labels, unfit_rule=unfit, parts=parts)


def remainder_rate_range(total_percent, total_n, known_n, known_k_min, known_k_max=None,
                         decimals=None, rounding: str = "half_up") -> pd.DataFrame:
    """What the unpublished rest must have for a published rate of the whole to hold.

    The whole (``total_n`` answers, published rate ``total_percent``) is made of known
    parts (``known_n`` answers with between ``known_k_min`` and ``known_k_max``
    satisfied, e.g. from :func:`pooled_rate_range`) and a rest that is not published.

    Parameters
    ----------
    total_percent : str, float or array_like
        The published rate of the whole (``"96.75%"``).
    total_n : int or array_like of int
        Size of the whole (>= 1); pass several to cover a rounded total.
    known_n : int or array_like of int
        Size of the known parts (0 .. ``total_n``).
    known_k_min : int or array_like of int
        Smallest satisfied count of the known parts.
    known_k_max : int or array_like of int, optional
        Largest; default ``known_k_min`` (a known count).
    decimals : int, optional
        Decimals the whole's rate was rounded to; default as written.
    rounding : {"half_up", "half_even", "truncate"}
        As in :func:`~survey_analysis.consistent_counts`.

    Returns
    -------
    pandas.DataFrame
        One row per (broadcast) entry: the inputs, ``total_k_min`` and ``total_k_max``
        (counts of the whole consistent with its rate), ``rest_n``, ``rest_k_min`` and
        ``rest_k_max`` (the counts of the rest that make the whole hold; ``<NA>`` if
        none), ``rest_rate_min`` and ``rest_rate_max`` (display floats; NaN when the
        rest is empty or impossible), ``possible`` and ``note`` (why not).

    Raises
    ------
    ValueError
        For an unknown rounding rule, a rate outside [0, 100], sizes or counts that are
        not whole numbers, ``known_n > total_n``, or known counts outside
        ``0 <= known_k_min <= known_k_max <= known_n``.

    Notes
    -----
    With the whole's count ``K`` in ``K_min .. K_max`` and the known count ``s`` in
    ``a .. b``, the rest's count ``x = K - s`` is any whole number in
    ``max(0, K_min - b) .. min(rest_n, K_max - a)``; the whole cannot hold when that run
    is empty.

    Examples
    --------
    A whole of 100 at "90%" with 60 of 60 known satisfied: the other 40 need 30 (75%);
    with 60 of 60 known and "30%" of 100, nothing works (at least 60 of 100 satisfied):

    >>> r = remainder_rate_range(["90%", "30%"], 100, 60, 60)
    >>> r[["rest_n", "rest_k_min", "rest_k_max", "rest_rate_min", "possible"]]
       rest_n  rest_k_min  rest_k_max  rest_rate_min  possible
    0      40          30          30           0.75      True
    1      40        <NA>        <NA>            NaN     False
    """
    check_choice("rounding", rounding, ROUNDING_RULES)
    check_decimals(decimals)
    if known_k_max is None:
        known_k_max = known_k_min
    arrays = [np.atleast_1d(np.asarray(total_percent, dtype=object)),
              _integers(total_n, "total_n", minimum=1), _integers(known_n, "known_n"),
              _integers(known_k_min, "known_k_min"), _integers(known_k_max, "known_k_max")]
    try:
        arrays = [x.astype(object).ravel() for x in np.broadcast_arrays(*arrays)]
    except ValueError:
        raise SurveyError("claims.reconcile.broadcast_remainder",
                          shapes=[np.shape(x) for x in arrays]) from None
    shares, n, kn, ka, kb = arrays
    if np.any(kn > n):
        raise SurveyError("claims.reconcile.known_n")
    if np.any(ka > kb) or np.any(kb > kn):
        raise SurveyError("claims.reconcile.known_counts")
    whole = counts_from_percentages(shares, n.astype(np.int64), decimals=decimals,
                                    rounding=rounding)
    whole_ok = whole["consistent"].to_numpy(dtype=bool)
    big_min = whole["k_min"].fillna(0).to_numpy(dtype=object)
    big_max = whole["k_max"].fillna(-1).to_numpy(dtype=object)
    rest_n = n - kn
    x_min = np.maximum(big_min - kb, 0)
    x_max = np.minimum(big_max - ka, rest_n)
    possible = (whole_ok & (x_max >= x_min)).astype(bool)
    note = _notes([~whole_ok, big_max - ka < 0, big_min - kb > rest_n],
                  ["whole_unfit", "parts_exceed", "rest_too_few"], "")
    with_rest = possible & (rest_n > 0)
    return pd.DataFrame({
        "total_percent": shares, "total_n": n.astype(np.int64),
        "total_k_min": whole["k_min"], "total_k_max": whole["k_max"],
        "known_n": kn.astype(np.int64), "known_k_min": ka.astype(np.int64),
        "known_k_max": kb.astype(np.int64), "rest_n": rest_n.astype(np.int64),
        "rest_k_min": _nullable(x_min, possible), "rest_k_max": _nullable(x_max, possible),
        "rest_rate_min": np.where(with_rest, _display(x_min, rest_n), np.nan),
        "rest_rate_max": np.where(with_rest, _display(x_max, rest_n), np.nan),
        "possible": possible, "note": note,
    })


# ------------------------------------------------------------- a rate beside a count

def _possible_at(a, m, low, low_in, high, high_in, qualifier, c, n):
    """Whether some satisfied count ``k <= n - c`` makes the claim hold with ``n`` answers
    (share ``m / 10^d`` percent, ``a = 2 * 100 * 10^d``)."""
    k = n - c  # the most satisfied there can be
    if qualifier == "at_least":
        return (n >= c) & (a * k >= 2 * m * n)
    if qualifier == "over":
        return (n >= c) & (a * k > 2 * m * n)
    # exact: the smallest count in the rounding window must not exceed n - c
    k_min = np.maximum(_least(low * n, a, low_in), 0)
    k_max = np.minimum(_most(high * n, a, high_in), n)
    return (n >= c) & (k_min <= k_max) & (k_min <= k)


def min_total_for_claim(percent, not_satisfied, qualifier: str = "at_least", n=None,
                        decimals=None, rounding: str = "half_up") -> pd.DataFrame:
    """The fewest answers for which "X% satisfied, yet c not satisfied" is possible.

    A statement such as "基本满意以上的达99.5%，但也有175个不满意" fixes a lower bound on
    the number of answers: ``c`` answers that are not satisfied leave at most
    ``(N - c) / N`` satisfied.

    Parameters
    ----------
    percent : str, float or array_like
        The published share satisfied (``"99.5%"``).
    not_satisfied : int or array_like of int
        The published number of answers that are not satisfied (>= 0); other answers
        may be unsatisfied too (e.g. a worse category not mentioned).
    qualifier : {"at_least", "over", "exact"}
        How the share is worded: ``"at_least"`` (达, 以上, 不低于: share >= X%),
        ``"over"`` (超过: share > X%) or ``"exact"`` (X% is the share rounded).
    n : int or array_like of int, optional
        Totals to check as well (e.g. the published total, or the ends of its rounding
        range from :func:`rounded_count_range`).
    decimals : int, optional
        Decimals the share was rounded to (``"exact"``); default as written.
    rounding : {"half_up", "half_even", "truncate"}
        Rounding behind an ``"exact"`` share.

    Returns
    -------
    pandas.DataFrame
        One row per (broadcast) entry: ``percent``, ``qualifier``, ``not_satisfied``,
        ``n_min`` (the smallest total that makes the claim possible; ``<NA>`` if none,
        e.g. "100%" beside a not-satisfied answer). With ``n``: also ``n``,
        ``satisfied_max`` (``n - not_satisfied``), ``percent_max`` (its share, display
        float) and ``possible`` (the claim can hold with ``n`` answers; exact).

    Raises
    ------
    ValueError
        For an unknown qualifier or rounding rule (the message names the allowed
        ones), a share outside [0, 100], counts or totals that are not whole numbers.

    Notes
    -----
    With ``a = 2 * 100 * 10^d`` and the share ``m / 10^d`` percent, "at least" needs
    ``a (N - c) >= 2m N``, i.e. ``N >= a c / (a - 2m)``; "over" the same, strictly.
    Every larger total works too. For ``"exact"`` the claim holds with ``N`` answers
    when the smallest count that rounds to the share is at most ``N - c``; the search
    starts at the lower edge of the rounding window, ``N >= a c / (a - (2m - 1))``
    (half up), and is vectorized over candidate totals. Larger totals do not always
    work for a rounded share (use :func:`~survey_analysis.consistent_totals` to list
    them).

    Examples
    --------
    175 不满意 beside "at least 99.5%" needs 35000 answers (175 / 35000 = 0.5%); read as a
    rounded 99.5% (from 99.45%), 31819 (175 / 31819 = 0.54999%); 2.6万 = 26000 answers
    leave at most 25825 / 26000 = 99.33%:

    >>> t = min_total_for_claim("99.5%", 175, ["at_least", "exact"], n=26000)
    >>> t[["qualifier", "n_min", "satisfied_max", "possible"]]
      qualifier  n_min  satisfied_max  possible
    0  at_least  35000          25825     False
    1     exact  31819          25825     False
    >>> round(float(t["percent_max"].iloc[0]), 2)
    99.33
    """
    check_choice("rounding", rounding, ROUNDING_RULES)
    check_decimals(decimals)
    wordings = np.atleast_1d(np.asarray(qualifier, dtype=object))
    for word in pd.unique(wordings.ravel()):
        check_choice("qualifier", word, CLAIM_QUALIFIERS)
    arrays = [np.atleast_1d(np.asarray(percent, dtype=object)), _integers(not_satisfied,
                                                                          "not_satisfied"),
              wordings]
    if n is not None:
        arrays.append(_integers(n, "n", minimum=1))
    try:
        arrays = [x.astype(object).ravel() for x in np.broadcast_arrays(*arrays)]
    except ValueError:
        raise SurveyError("claims.reconcile.broadcast_claim",
                          shapes=[np.shape(x) for x in arrays]) from None
    shares, c, words = arrays[:3]
    m, d, missing = parse_percentages(shares, decimals)
    if missing.any():
        raise SurveyError("claims.reconcile.percent_empty")
    a, low, low_in, high, high_in = rounding_windows(m, d, rounding)
    a = 100 * a
    floor = np.maximum(c, 1)                    # N >= c, and at least one answer

    # "at least" / "over": (a - 2m) N >= a c (or >), closed form. a = 2m is a 100% claim:
    # possible only with c = 0 ("at least"), never ("over").
    gap = a - 2 * m
    strict = words == "over"
    closed = (words != "exact") & (gap > 0)
    n_min = np.where(closed, np.maximum(_least(a * c, np.where(gap > 0, gap, 1), ~strict), floor),
                     0)
    found = closed | ((words == "at_least") & (gap == 0) & (c == 0))
    n_min = np.where(found & ~closed, 1, n_min)

    # "exact": the smallest total from the lower edge of the rounding window on,
    # (a - low) N >= a c (or >), for which a rounding count fits below N - c. Searched in
    # growing blocks of totals, all rows at once. A window at least one count wide always
    # holds a whole number, so no answer lies beyond start + a / 2 + 1.
    edge = a - low
    exact = (words == "exact") & ((edge > 0) | (c == 0))
    start = np.maximum(np.where(edge > 0, _least(a * c, np.where(edge > 0, edge, 1), low_in), 1),
                       floor)
    limit = start + a // 2 + 2
    todo = np.flatnonzero(exact)
    offset, width = 0, 1
    while todo.size:
        totals = start[todo][:, None] + np.arange(offset, offset + width, dtype=object)[None, :]
        column = (slice(None), None)
        ok = np.asarray(_possible_at(a[todo][column], m[todo][column], low[todo][column],
                                     low_in[todo][column], high[todo][column],
                                     high_in[todo][column], "exact", c[todo][column], totals),
                        dtype=bool)
        hit = ok.any(axis=1)
        n_min[todo[hit]] = totals[hit, ok[hit].argmax(axis=1)]
        found[todo[hit]] = True
        todo = todo[~hit & (start[todo] + offset + width <= limit[todo])]
        offset, width = offset + width, min(width * 4, 65536)

    out = pd.DataFrame({
        "percent": shares, "qualifier": words, "not_satisfied": c.astype(np.int64),
        "n_min": _nullable(n_min, found),
    })
    if n is not None:
        totals = arrays[3]
        possible = np.zeros(len(c), dtype=bool)
        for word in CLAIM_QUALIFIERS:  # three wordings, each vectorized over its rows
            rows = words == word
            if rows.any():
                possible[rows] = np.asarray(_possible_at(
                    a[rows], m[rows], low[rows], low_in[rows], high[rows], high_in[rows], word,
                    c[rows], totals[rows]), dtype=bool)
        out["n"] = totals.astype(np.int64)
        out["satisfied_max"] = pd.Series((totals - c).astype(np.int64), dtype="Int64").where(
            totals >= c)
        out["percent_max"] = np.where(totals >= c, 100 * _display(totals - c, totals), np.nan)
        out["possible"] = possible
    return out
