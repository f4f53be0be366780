"""An item id over several columns: its parts joined into one text, one rule for every reader.

A department and its sub-department (``科室`` + ``病区``), or a hospital's name and state,
name one item together. Readers join the non-empty parts with :data:`PART_SEPARATOR`
and name the joined column after its parts (:func:`joined_name`).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["PART_SEPARATOR", "join_parts", "joined_name"]

#: Between the parts of an item id over several columns.
PART_SEPARATOR = " / "


def joined_name(headers) -> str:
    """The name of the joined column: the parts' headers joined with ``" + "``.

    Examples
    --------
    >>> joined_name(["facility_name", " state "])
    'facility_name + state'
    """
    return " + ".join(str(h).strip() for h in headers)


def join_parts(parts) -> pd.Series:
    """The non-empty parts of each row joined with :data:`PART_SEPARATOR` (vectorized over
    the rows, a step per part).

    Parameters
    ----------
    parts : list of pandas.Series
        Text columns of equal length ("" for an empty cell).

    Returns
    -------
    pandas.Series
        Of dtype ``string``, indexed 0..n-1.

    Examples
    --------
    >>> import pandas as pd
    >>> join_parts([pd.Series(["MEMORIAL HOSPITAL", "MEMORIAL HOSPITAL", "甲"]),
    ...             pd.Series(["TX", "OH", ""])]).tolist()
    ['MEMORIAL HOSPITAL / TX', 'MEMORIAL HOSPITAL / OH', '甲']
    """
    texts = [pd.Series(p, dtype="string").fillna("").reset_index(drop=True) for p in parts]
    joined = texts[0].copy()
    for cell in texts[1:]:
        joined = joined.where(cell == "", joined.where(joined == "", joined + PART_SEPARATOR) + cell)
    return joined
