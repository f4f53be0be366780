"""Numbers as published: thousands separators, and the largest count read.

One rule for every reader of published numbers (a table of counts, a claims file): a
comma is a thousands separator only between groups of three digits (``1,234``,
``12,345,678``; the full-width ``１，２３４`` is read after NFKC); a number with a comma
anywhere else (``1,2,3,4``, ``12,34``) is refused, never read as its digits run together.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["MAX_COUNT", "THOUSANDS", "without_separators"]

#: The largest count read: up to 2**53 - 1 a float64 holds every whole number exactly (the
#: estimators compute in float64; int64 overflows at 2**63).
MAX_COUNT = 2**53 - 1
#: A number with thousands separators: groups of three digits after the first one to three.
THOUSANDS = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?"


def without_separators(text: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """``(text without its thousands separators, misplaced)``: the texts (already
    normalized: NFKC, trimmed) with their commas removed, and a mask of those whose commas
    are not thousands separators (:data:`THOUSANDS`).

    Examples
    --------
    >>> cleaned, misplaced = without_separators(pd.Series(["1,234", "12,345,678", "1,2,3,4", "12,34", "95"]))
    >>> cleaned.tolist(), misplaced.tolist()
    (['1234', '12345678', '1234', '1234', '95'], [False, False, True, True, False])
    """
    text = text.astype("string")
    comma = text.str.contains(",", regex=False).fillna(False).to_numpy(dtype=bool)
    misplaced = np.zeros(len(text), dtype=bool)
    if comma.any():
        valid = text[comma].str.fullmatch(THOUSANDS).fillna(False).to_numpy(dtype=bool)
        misplaced[np.flatnonzero(comma)[~valid]] = True
        text = text.str.replace(",", "", regex=False)
    return text, misplaced
