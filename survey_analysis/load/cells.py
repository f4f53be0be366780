"""Cell values as text, one rule for every reader: dates.

A date cell of Excel (or a datetime column of a DataFrame or Parquet file) and the same
date typed as text must be one id: ``2024-01-05`` is written ``2024-01-05`` whichever way
it was stored, and a date with a time of day ``2024-01-05 13:30:00``.
"""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd

__all__ = ["dates_as_text"]


# What pandas infers for an object column that holds no date (checked without a Python loop).
_NO_DATES = ("string", "empty", "integer", "floating", "mixed-integer-float", "decimal", "boolean",
             "bytes", "complex", "categorical", "time", "timedelta", "period", "interval")


def dates_as_text(col: pd.Series) -> pd.Series:
    """``col`` with its date and datetime values as ISO text (a date at midnight as the date
    alone); other values unchanged. A column without dates is returned as it is.

    Examples
    --------
    >>> import datetime
    >>> col = pd.Series([datetime.datetime(2024, 1, 5), "2024-01-05", datetime.datetime(2024, 1, 5, 13, 30), 7],
    ...                 dtype=object)
    >>> dates_as_text(col).tolist()
    ['2024-01-05', '2024-01-05', '2024-01-05 13:30:00', 7]
    """
    if pd.api.types.is_datetime64_any_dtype(col):
        when = col
        is_date = col.notna().to_numpy()
    else:
        if col.dtype != object or pd.api.types.infer_dtype(col, skipna=True) in _NO_DATES:
            return col
        is_date = col.map(lambda v: isinstance(v, (datetime.date, pd.Timestamp))).to_numpy(dtype=bool)
        if not is_date.any():
            return col
        when = pd.to_datetime(col.where(is_date), errors="coerce")
    midnight = (when == when.dt.normalize()).to_numpy(dtype=bool)
    text = np.where(midnight, when.dt.strftime("%Y-%m-%d"), when.dt.strftime("%Y-%m-%d %H:%M:%S"))
    return col.astype(object).mask(is_date, pd.Series(text, index=col.index))
