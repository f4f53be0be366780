"""Text columns stored once per distinct value, as pandas Categoricals of text.

A sheet of a million rows holds a few distinct rating labels, some thousands of items and at
most a million respondent ids. Every clean-up the loader applies to a cell (strip, NFKC
normalization, totals labels, rating labels, numbers) depends on the cell's text alone, so it
is computed once per distinct text and mapped back through the integer codes; comparisons,
duplicates and masks work on the codes. Per-row work is numpy on integer arrays, never Python.

Every column of :attr:`Grid.text <survey_analysis.load.grid.Grid>` and
:attr:`Sheet.cells <survey_analysis.load.header.Sheet>` is such a Categorical: categories are
distinct ``str`` in an object Index, codes are never -1 (an empty cell is the text ``""``). The
distinct texts of a big column are converted to pandas' ``"string"`` dtype (Arrow) once, for
the text operations and the tidy result (:func:`string_array`).
"""

from __future__ import annotations

import weakref

import numpy as np
import pandas as pd

__all__ = ["any_repeated", "as_coded", "assign", "block", "empty_texts", "factorize_codes", "first_occurrence",
           "from_codes", "from_values", "mask", "parts", "plain_texts", "remember_strings", "small_codes", "string_array", "strings", "text",
           "text_frame"]


_STRING_ARRAYS: dict = {}  # id(distinct texts) -> (weak reference to them, their "string" array)


def string_array(uniques: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """The distinct texts of a column as a pandas ``"string"`` array (the dtype the loader's
    text operations use), converted once per column while the column lives: a column of
    a million respondent ids is cleaned, checked for totals labels and written out."""
    key = id(uniques)
    hit = _STRING_ARRAYS.get(key)
    if hit is not None and hit[0]() is uniques:
        return hit[1]
    array = pd.array(np.asarray(uniques, dtype=object), dtype="string")
    if isinstance(uniques, np.ndarray) and len(uniques) >= 1024:
        for stale in [k for k, (ref, _) in _STRING_ARRAYS.items() if ref() is None]:
            del _STRING_ARRAYS[stale]
        _STRING_ARRAYS[key] = (weakref.ref(uniques), array)
    return array


def remember_strings(uniques: np.ndarray, array) -> None:
    """Record ``array`` (the ``"string"`` array of ``uniques``, e.g. as a reader made it) as
    what :func:`string_array` returns for ``uniques``."""
    if isinstance(uniques, np.ndarray) and len(uniques) >= 1024 and len(array) == len(uniques):
        _STRING_ARRAYS[id(uniques)] = (weakref.ref(uniques), array)


def _remembered(uniques):
    """The ``"string"`` array of ``uniques`` when one is remembered (see :func:`string_array`)."""
    hit = _STRING_ARRAYS.get(id(uniques))
    return hit[1] if hit is not None and hit[0]() is uniques else None


def empty_texts(uniques) -> np.ndarray:
    """Which distinct texts are ``""``: by Arrow for a big column whose texts are an Arrow
    array already (no pass over a million Python strings).

    Examples
    --------
    >>> empty_texts(np.array(["", "A1", " "], dtype=object)).tolist()
    [True, False, False]
    """
    array = _remembered(uniques)
    if not isinstance(array, pd.arrays.ArrowStringArray):
        return np.asarray(uniques, dtype=object) == ""
    import pyarrow as pa
    import pyarrow.compute as pc

    return np.asarray(pc.fill_null(pc.equal(pa.array(array), ""), False).to_numpy(zero_copy_only=False), dtype=bool)


def plain_texts(uniques) -> np.ndarray:
    """Which distinct texts are ASCII letters and digits alone (``R0012``, ``A1``: no white
    space, punctuation, full-width form or CJK character), the texts most tests of a
    column of ids can pass by. By Arrow, remembered while the texts live.

    Examples
    --------
    >>> plain_texts(np.array(["A1", "A 1", "", "Ａ1", "满意"], dtype=object)).tolist()
    [True, False, False, False, False]
    """
    key = id(uniques)
    hit = _PLAIN.get(key)
    if hit is not None and hit[0]() is uniques:
        return hit[1]
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pyarrow is optional: the same test, once per distinct text
        plain = np.fromiter((isinstance(t, str) and t.isascii() and t.isalnum() for t in uniques),
                            dtype=bool, count=len(uniques))
    else:
        values = pa.array(string_array(uniques))
        plain = np.array(pc.fill_null(pc.ascii_is_alnum(values), False).to_numpy(zero_copy_only=False),
                         dtype=bool)
    plain.flags.writeable = False  # shared by every caller
    if isinstance(uniques, np.ndarray) and len(uniques) >= 1024:
        for stale in [k for k, (ref, _) in _PLAIN.items() if ref() is None]:
            del _PLAIN[stale]
        _PLAIN[key] = (weakref.ref(uniques), plain)
    return plain


_PLAIN: dict = {}  # id(distinct texts) -> (weak reference to them, plain_texts of them)


def from_codes(codes, uniques) -> pd.Categorical:
    """A text column from integer codes into ``uniques`` (distinct ``str``). An object Index
    is taken as it is: pandas checks that categories are distinct once per Index (a
    million texts are hashed once, not again for every column made of them)."""
    categories = uniques if isinstance(uniques, pd.Index) and uniques.dtype == object \
        else pd.Index(uniques, dtype=object)
    return pd.Categorical.from_codes(np.asarray(codes), categories=categories, validate=False)


def from_values(values) -> pd.Categorical:
    """A text column from a sequence of ``str`` (no missing values)."""
    values = np.asarray(values, dtype=object)
    codes, uniques = pd.factorize(values) if len(values) else (np.zeros(0, np.intp), values)
    return from_codes(codes, uniques)


def as_coded(column) -> pd.Categorical:
    """``column`` as a text Categorical (a Categorical of text is returned as it is; missing
    values of anything else read as ``""``)."""
    array = column.array if isinstance(column, pd.Series) else column
    if isinstance(array, pd.Categorical) and array.categories.dtype == object:
        return array  # the loader's own columns: no missing value (see the module's invariant)
    values = pd.Series(np.asarray(array, dtype=object)).fillna("").to_numpy(dtype=object)
    return from_values(values)


def parts(column) -> tuple[np.ndarray, np.ndarray]:
    """Codes and distinct texts (object array) of a text column."""
    cat = as_coded(column)
    return np.asarray(cat.codes), np.asarray(cat.categories, dtype=object)


def small_codes(count: int):
    """The smallest integer type holding codes 0..count-1 (gathers of small codes are fast)."""
    for kind in (np.int8, np.int16, np.int32):
        if count <= np.iinfo(kind).max:
            return kind
    return np.int64


def mask(column, predicate) -> np.ndarray:
    """Boolean per row: ``predicate`` (distinct texts as an object array -> booleans) of the
    row's text, computed once per distinct text."""
    codes, uniques = parts(column)
    if not len(uniques):
        return np.zeros(len(codes), dtype=bool)
    hit = np.asarray(predicate(uniques), dtype=bool)
    if not hit.any():  # no text is one (most tests, most columns): no gather over the rows
        return np.zeros(len(codes), dtype=bool)
    return hit[codes]


def assign(column, rows, value: str) -> pd.Categorical:
    """The column with ``value`` in ``rows``."""
    codes, uniques = parts(column)
    where = np.flatnonzero(uniques == value)
    if not len(where):
        uniques, where = np.append(uniques, value), [len(uniques)]
    codes = codes.astype(np.int64 if len(uniques) > 2**31 - 1 else np.int32)
    codes[rows] = where[0]
    return from_codes(codes, uniques)


def text(column, rows=None) -> np.ndarray:
    """The texts of ``rows`` (all rows by default) as an object array."""
    codes, uniques = parts(column)
    return uniques[codes if rows is None else codes[rows]]


def block(frame: pd.DataFrame, start: int, stop: int) -> np.ndarray:
    """The texts of rows ``start:stop`` of a grid, rows x columns (object). Column by
    column: a row of a DataFrame of Categoricals would look for a dtype common to all
    columns, hashing every column's distinct texts."""
    stop = max(min(stop, len(frame)), start)
    if not frame.shape[1]:
        return np.empty((stop - start, 0), dtype=object)
    return np.column_stack([text(frame[c].array[start:stop]) for c in frame.columns]).astype(object)


def strings(codes, uniques) -> pd.api.extensions.ExtensionArray:
    """A pandas ``"string"`` array (the tidy result's text dtype) from codes into
    ``uniques``: the distinct texts are converted once, then taken (in C) by code."""
    small = string_array(uniques)
    codes = np.asarray(codes)
    if not isinstance(small, pd.arrays.ArrowStringArray) or not len(codes) or small.isna().any():
        return small.take(codes.astype(np.intp, copy=False))
    import pyarrow as pa
    import pyarrow.compute  # noqa: F401  (pa.compute)

    values = pa.array(small)  # the Arrow data behind the pandas array (__arrow_array__)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if len(uniques) == 1:
        # One text (the scale of a one-scale sheet): its bytes repeated, offsets by numpy.
        data = str(uniques[0]).encode("utf-8")
        offsets = np.arange(len(codes) + 1, dtype=np.int64) * len(data)
        array = pa.Array.from_buffers(values.type, len(codes),
                                      [None, pa.py_buffer(offsets), pa.py_buffer(data * len(codes))])
    else:
        # The system allocator, as numpy's arrays and the CSV reader use: mimalloc (pyarrow's
        # default) keeps a reserve of pages beside each large result.
        array = pa.compute.take(values, pa.array(codes), memory_pool=pa.system_memory_pool())
    return pd.arrays.ArrowStringArray(pa.chunked_array([array], type=values.type))


def text_frame(columns: list, rows: int) -> pd.DataFrame:
    """A grid of text columns 0..m-1 with ``rows`` rows."""
    return pd.DataFrame({i: column for i, column in enumerate(columns)}, index=range(rows), copy=False)


def first_occurrence(codes: np.ndarray, count: int) -> np.ndarray:
    """Index of the first row holding each code 0..count-1 (-1 for codes no row holds),
    without hashing every row: block by block, stopping once every code that occurs has
    (usually within the first block)."""
    codes = np.asarray(codes)
    first = np.full(count, -1, dtype=np.int64)
    if not len(codes) or not count:
        return first
    present = int((np.bincount(codes, minlength=count) > 0).sum())
    seen, found, block = np.zeros(count, dtype=bool), 0, 1 << 16
    for start in range(0, len(codes), block):
        values, index = np.unique(codes[start:start + block], return_index=True)
        new = ~seen[values]
        first[values[new]] = start + index[new]
        seen[values[new]] = True
        found += int(new.sum())
        if found == present:
            break
    return first


def factorize_codes(codes: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(codes)`` of codes into ``count`` distinct values: new codes numbered in
    the order the values first occur, and the old code of each (no hashing of every row)."""
    codes = np.asarray(codes)
    if not len(codes):
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    first = first_occurrence(codes, count)
    found = np.flatnonzero(first >= 0)
    order = found[np.argsort(first[found], kind="stable")]
    renumber = np.full(count, -1, dtype=small_codes(count))
    renumber[order] = np.arange(len(order))
    return renumber[codes], order


def any_repeated(keys: np.ndarray) -> bool:
    """Whether an integer key occurs twice (a sort: several times faster than hashing)."""
    if len(keys) < 2:
        return False
    ordered = np.sort(keys)
    return bool((ordered[1:] == ordered[:-1]).any())
