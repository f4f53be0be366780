"""Claims files: an office's own published statements, as data.

A claims file is a small CSV (UTF-8, or anything :func:`read_claims` can decode), one
row per published figure:

============  ========  ================================================================
column        needed    meaning
============  ========  ================================================================
id            yes       a unique name for the statement
kind          yes       what it is about (see :data:`CLAIM_KINDS`); other kinds (counts of
                        works, money ...) are kept but not checked against responses
value         yes       the number as published (a percentage for rates: ``95`` for 95%)
qualifier     yes       how the number is meant (see :data:`QUALIFIERS`)
quote         yes       the sentence the figure comes from, verbatim
source        yes       where it was published (title, date, address)
lower, upper  no        the inclusive range of a ``range`` claim (e.g. 二十多 = 21 to 29)
item          no        the item of an ``item_at_100`` or ``item_rate`` claim
wording       no        how the statement phrases the figure (``超过95%``, ``二十多件``)
unit          no        ``percent`` (default for rates) or ``fraction``; free text otherwise
============  ========  ================================================================

Numbers are read by the rules of published numbers (:mod:`.numbers`): a comma is a
thousands separator before three digits only (``1,234``; ``12,34`` is refused). In a rate,
a comma before one or two digits (``95,5``) is a decimal comma: refused with the number to
write (``95.5``), since a reader who meant 95.5 and one who typed a separator cannot be
told apart silently. A rate in percent from 0 to 1 without a % sign (``0.95``) is 0.95% or
95%: refused, naming both; write ``95`` (or unit ``fraction``) or ``0.95%``.

Example (the file :func:`~survey_analysis.load_published_claims` reads is one)::

    id,kind,value,qualifier,lower,upper,item,wording,quote,source
    overall,overall_rate,95,over,,,,超过95%,"群众满意度超过95%",区政府网站 2024-01-05
    perfect,items_at_100,20,range,21,29,,二十多件,"二十多件事项满意度达100%",同上
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from .._validation import check_choice
from ..words import Message, SurveyError
from .numbers import without_separators
from .read import read_table

__all__ = ["CHECKED_KINDS", "CLAIM_COLUMNS", "CLAIM_KINDS", "QUALIFIERS", "claim_interval",
           "claimed_text", "read_claims"]

#: Kinds of statement and what is checked.
CLAIM_KINDS = {
    "overall_rate": "the overall satisfaction rate (pooled and mean of items, one-sided bounds)",
    "item_rate": "one item's satisfaction rate",
    "item_at_100": "a named item with every respondent satisfied",
    "items_at_100": "how many items have every respondent satisfied",
    "n_items": "how many items were surveyed (items with answers in the data)",
    "n_responses": "how many valid answers there were",
}
#: Kinds checked against responses; any other kind is carried and listed as not checked.
CHECKED_KINDS = tuple(CLAIM_KINDS)
#: How a published number is meant.
QUALIFIERS = {
    "exact": "exactly the value (a rate: within its rounding)",
    "about": "the value, rounded (a rate or count within half a unit of its last digit)",
    "over": "strictly more than the value (超过, 以上 when exclusive)",
    "at_least": "the value or more (不低于, 余 / 多 after a round number)",
    "under": "strictly less than the value (低于, 不足)",
    "at_most": "the value or less (不超过)",
    "range": "from lower to upper, inclusive (二十多 = 21 to 29)",
}
#: Required columns, then optional ones.
CLAIM_COLUMNS = ("id", "kind", "value", "qualifier", "quote", "source")
_OPTIONAL = ("lower", "upper", "item", "wording", "unit", "translation_en")


def _decimals(value: float) -> int:
    text = f"{value:.10g}"
    return len(text.split(".")[1]) if "." in text else 0


def claim_interval(claim) -> tuple[float, float, bool, bool]:
    """The set of values a claim asserts: ``(low, high, open_low, open_high)``, on its own unit.

    ``over 95`` -> (95, inf, True, False); ``range`` uses ``lower`` / ``upper``;
    ``exact`` and ``about`` of a rate cover its rounding (``96.75`` -> [96.745,
    96.755)); of a count, the value itself (``about``: within half the last digit's
    unit).

    Examples
    --------
    >>> claim_interval({"value": 95, "qualifier": "over", "kind": "overall_rate"})
    (95.0, inf, True, False)
    >>> claim_interval({"value": 96.75, "qualifier": "exact", "kind": "overall_rate"})
    (96.745, 96.755, False, True)
    """
    value = float(claim["value"])
    qualifier = claim["qualifier"]
    lower, upper = claim.get("lower"), claim.get("upper")
    if qualifier == "over":
        return value, np.inf, True, False
    if qualifier == "at_least":
        return value, np.inf, False, False
    if qualifier == "under":
        return -np.inf, value, False, True
    if qualifier == "at_most":
        return -np.inf, value, False, False
    if qualifier == "range":
        low = float(lower) if pd.notna(lower) else value
        high = float(upper) if pd.notna(upper) else np.inf
        return low, high, False, False
    rate = str(claim.get("kind", "")).endswith("rate")
    if qualifier == "exact" and not rate:
        return value, value, False, False
    half = 0.5 * 10.0 ** (-_decimals(value))
    if qualifier == "about" and not rate:  # "about 500": within half of the last digit's unit
        digits = len(str(int(abs(value)))) - len(str(int(abs(value))).rstrip("0"))
        half = 0.5 * 10.0 ** digits if value == int(value) and digits else half
    return round(value - half, 10), round(value + half, 10), False, True


def claimed_text(claim) -> str:
    """The claim in symbols: ``"> 95 percent"``, ``"11 to 19 items"``."""
    low, high, open_low, open_high = claim_interval(claim)
    unit = claim.get("unit")
    unit = "" if unit is None or (isinstance(unit, float) and np.isnan(unit)) else f" {unit}"
    qualifier = claim["qualifier"]
    value = float(claim["value"])
    if qualifier in ("exact", "about"):
        text = f"{'about ' if qualifier == 'about' else ''}{value:g}"
    elif qualifier == "range":
        text = f"{low:g} to {high:g}" if np.isfinite(high) else f">= {low:g}"
    else:
        text = {"over": f"> {low:g}", "at_least": f">= {low:g}", "under": f"< {high:g}",
                "at_most": f"<= {high:g}"}[qualifier]
    return text + unit


def _claim_number(text: str, rate: bool, percent: bool, where: Message) -> float | None:
    """A claim's number as written (``""``: None), by the rules of published numbers.

    A comma before three digits is a thousands separator (:mod:`.numbers`: ``1,234``;
    ``12,34`` is refused). In a rate, a comma before one or two digits (``95,5``) is a
    decimal comma: refused, with the number to write (``95.5``), never read as 955. A rate
    in percent from 0 to 1 written without a % sign (``0.95``) is 0.95% or 95%: refused,
    naming both readings. Returns None when the text is no number (the caller says so).
    """
    text = unicodedata.normalize("NFKC", text).strip()
    signed = text.endswith("%")
    body = text[:-1].strip() if signed else text
    if rate and re.fullmatch(r"[+-]?\d+,\d{1,2}", body):
        raise SurveyError("claims.decimal_comma", where=where, value=text,
                          fixed=body.replace(",", ".") + ("%" if signed else ""))
    cleaned, misplaced = without_separators(pd.Series([body], dtype="string"))
    if misplaced[0]:
        raise SurveyError("claims.separators", where=where, what=Message("numbers.separators", {"value": text}))
    try:
        number = float(cleaned.iloc[0])
    except ValueError:
        return None
    if not np.isfinite(number):  # "nan", "inf": no published figure
        return None
    if rate and percent and not signed and 0 < number <= 1:
        raise SurveyError("claims.fraction_or_percent", where=where, value=body,
                          as_percent=f"{number * 100:.10g}")
    return number


def _read_table(source) -> tuple[pd.DataFrame, str]:
    if isinstance(source, pd.DataFrame):
        return source.copy(), "<claims DataFrame>"
    return read_table(source, "claims file"), str(Path(source))


def read_claims(source) -> pd.DataFrame:
    """Read and check a claims file (CSV path or DataFrame; see the module notes).

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`CLAIM_COLUMNS` and the optional ones (empty when
        absent), ``value`` / ``lower`` / ``upper`` as numbers, one row per claim.
        ``.attrs["source"]`` names the file.

    Raises
    ------
    ValueError
        Naming the file, the row (as numbered in the file, header = line 1) and the
        column of any problem: a missing column, an unknown kind or qualifier, a value
        that is not a number (or has misplaced thousands separators, a decimal comma in a
        rate, or is a rate in percent from 0 to 1 without a % sign: see the module notes),
        a range without bounds, an item claim without an item, a
        duplicate id, an empty quote or source, a table with no claim.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"id": ["o"], "kind": ["overall_rate"], "value": ["95"],
    ...                       "qualifier": ["over"], "quote": ["满意度超过95%"], "source": ["通报"]})
    >>> read_claims(table)[["id", "value", "unit"]].to_dict("records")
    [{'id': 'o', 'value': 95.0, 'unit': 'percent'}]
    """
    table, name = _read_table(source)
    table.columns = [str(c).strip() for c in table.columns]
    if "claim_id" in table.columns and "id" not in table.columns:
        table = table.rename(columns={"claim_id": "id"})
    missing = [c for c in CLAIM_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{name}: claims file lacks column(s) {missing}; columns found: "
                         f"{list(table.columns)}; needed: {list(CLAIM_COLUMNS)}")
    if table.empty:
        raise ValueError(f"{name}: the claims table has a header and no claim; add one row per "
                         "published figure (see data/published/claims.csv)")
    for column in _OPTIONAL:
        if column not in table.columns:
            table[column] = ""
    for column in CLAIM_COLUMNS + _OPTIONAL:
        values = table[column].astype(object).where(table[column].notna(), "")
        table[column] = [f"{v:g}" if isinstance(v, float) else str(v).strip() for v in values]

    def fail(position: int, column: str, message: str) -> ValueError:
        return ValueError(f"{name}, line {position + 2}, column {column!r}: {message}")

    numbers = {column: [] for column in ("value", "lower", "upper")}
    for position, row in enumerate(table.itertuples(index=False)):  # a handful of claims
        record = row._asdict()
        for column in ("id", "kind", "qualifier", "quote", "source"):
            if not record[column]:
                raise fail(position, column, "is empty")
        if record["qualifier"] not in QUALIFIERS:
            raise fail(position, "qualifier", f"unknown qualifier {record['qualifier']!r}; allowed: "
                       + ", ".join(QUALIFIERS))
        rate = record["kind"].endswith("rate")
        if record["unit"] and rate:
            check_choice("unit of a rate claim", record["unit"], ("percent", "fraction"))
        for column in ("value", "lower", "upper"):
            if record[column] == "" and column != "value":
                numbers[column].append(np.nan)
                continue
            where = Message("claims.where", {"source": name, "line": position + 2, "column": column})
            if record[column] == "":
                # An Excel formula whose value was never saved reads as an empty cell too.
                raise SurveyError("claims.value_empty", where=where)
            number = _claim_number(record[column], rate, record["unit"] != "fraction", where)
            if number is None:
                raise SurveyError("claims.not_a_number", where=where, value=record[column])
            numbers[column].append(number)
        if record["qualifier"] == "range" and not (record["lower"] or record["upper"]):
            raise fail(position, "lower", "a range claim needs lower and/or upper")
        if record["kind"] in ("item_at_100", "item_rate") and not record["item"]:
            raise fail(position, "item", f"a {record['kind']} claim names its item")
    duplicated = table["id"].duplicated()
    if duplicated.any():
        raise fail(int(np.flatnonzero(duplicated)[0]), "id",
                   f"id {table['id'][duplicated].iloc[0]!r} appears twice")
    for column, values in numbers.items():
        table[column] = np.asarray(values, dtype=float)
    rates = table["kind"].str.endswith("rate")
    table.loc[rates & (table["unit"] == ""), "unit"] = "percent"
    table.attrs["source"] = name
    return table[list(CLAIM_COLUMNS[:4]) + ["lower", "upper", "unit", "item", "wording",
                                          "quote", "translation_en", "source"]]
