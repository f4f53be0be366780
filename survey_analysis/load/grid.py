"""A file or sheet as a grid of texts, each row with the line an analyst sees.

The bottom of the loader: readers (:mod:`.read`, :mod:`.excel`) make a :class:`Grid`,
the header finder (:mod:`.header`) reads one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["Grid"]


@dataclass
class Grid:
    """Every row of a file or sheet as text (not yet stripped), with its line."""

    text: pd.DataFrame          # text cells (coded.py Categoricals), '' when empty; columns 0..m-1
    lines: np.ndarray           # line (CSV) or sheet row (Excel) of each grid row
    source: str
    file_format: str
    encoding: str | None = None
    sheet: str | None = None
    headers: list | None = None  # DataFrame / Parquet: the column names are the header
    no_value: pd.DataFrame | None = None  # Excel: formula cell without a saved value
    merged: list = field(default_factory=list)  # Excel: (min_col, min_row, max_col, max_row)
    notes: list = field(default_factory=list)
