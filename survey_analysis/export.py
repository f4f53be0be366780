"""Write tables for analysts: CSV that Excel opens correctly, text cells made safe.

Text cells that begin with ``=``, ``+``, ``-``, ``@``, tab or carriage return are
prefixed with a single quote (OWASP "CSV injection" rule) so a spreadsheet does
not run them as formulas. Only text columns are touched, never numbers.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["escape_formulas", "write_csv"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``table`` with formula-like text cells prefixed by ``'``.

    Examples
    --------
    >>> import pandas as pd
    >>> escape_formulas(pd.DataFrame({"a": ["=1+1", "ok"], "b": [-1, 2]})).to_dict("list")
    {'a': ["'=1+1", 'ok'], 'b': [-1, 2]}
    """
    out = table.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
            text = values.astype("string")
            risky = text.str.startswith(_FORMULA_START).fillna(False).astype(bool)
            if risky.any():
                out[column] = values.where(~risky, "'" + text)
    return out


def write_csv(table: pd.DataFrame, path, escape: bool = True) -> Path:
    """Write ``table`` as UTF-8 CSV with a BOM (so Excel reads the Chinese correctly).

    Parameters
    ----------
    table : pandas.DataFrame
    path : str or path
    escape : bool, default True
        Escape formula-like text cells; pass False to write them verbatim.

    Returns
    -------
    pathlib.Path
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    (escape_formulas(table) if escape else table).to_csv(path, index=False, encoding="utf-8-sig")
    return path
