"""SPSS (``.sav``, ``.zsav``) and Stata (``.dta``) data files into a grid of cell texts.

Read by pyreadstat, an optional dependency (the ``spss`` extra: ``pip install
"survey_analysis[spss]"``); without it, such a file is an error saying so. What the file
says about its values is applied before the loader sees them:

* **Value labels** become the cells' texts: a rating coded 1..5 with the labels "Very
  satisfied" .. "Very dissatisfied" is read as those labels, then goes through the usual
  scale detection. A code without a label stays a number. The load report notes, per set
  of labels, the columns it was applied to and the labels **in code order** (the order the
  file gives them): a scale that no preset matches can be declared from it
  (:func:`value_labels` gives them as data).
* **User-defined missing values** (SPSS missing codes and ranges, Stata's ``.a`` .. ``.z``)
  are empty cells, never answers: a rating cell holding one is a missing rating in the
  ledger. The report notes how many cells each column had.
* Line numbers are the cases' positions in the file, 1 for the first (as for Parquet), and
  the report says so; the column names are the header.

A file whose stated size (cases x variables) is more than
:data:`survey_analysis.load.excel.MAX_CELLS` (``max_cells``) is refused before its data are
read.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .._validation import check_choice
from ..words import Hint, Message
from . import coded, excel
from .grid import Grid
from .report import Note, ResponseFileError

__all__ = ["STAT_FORMATS", "read_stat_file", "value_labels"]

#: Kind -> how the report names the format.
STAT_FORMATS = {"spss": "SPSS", "stata": "Stata"}
_EXTRA_HINT = 'pip install "survey_analysis[spss]"'
_EXTRA_HINT_CHECKOUT = 'pip install -e ".[spss]"'


def _pyreadstat(name: str):
    try:
        import pyreadstat
    except ImportError:
        raise ResponseFileError("load.stat.needs_pyreadstat", name, install=_EXTRA_HINT,
                                checkout=_EXTRA_HINT_CHECKOUT) from None
    return pyreadstat


def _kind(path: Path, kind: str | None) -> str:
    if kind is None:
        kind = "stata" if path.suffix.lower() == ".dta" else "spss"
    check_choice("kind", kind, tuple(STAT_FORMATS))
    return kind


def _read(path: Path, name: str, kind: str, **options):
    """pyreadstat's (frame, metadata) of the file; its errors a ResponseFileError."""
    pyreadstat = _pyreadstat(name)
    reader = pyreadstat.read_dta if kind == "stata" else pyreadstat.read_sav
    try:
        return reader(str(path), **options)
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except Exception as error:  # noqa: BLE001 -- pyreadstat's ReadstatError, PyreadstatError, OSError ...
        raise ResponseFileError("load.stat.unreadable", name, format=STAT_FORMATS[kind], kind=type(error).__name__,
                                error=str(error)) from None


def _code_key(code):
    """Codes sort numbers first (by value), then texts (Stata's missing letters)."""
    return (0, float(code), "") if isinstance(code, (int, float, np.number)) else (1, 0.0, str(code))


def _code_text(value) -> str:
    """A value as text: whole numbers without ``.0``."""
    if isinstance(value, (float, np.floating)) and np.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return str(value)


def value_labels(path, kind: str | None = None) -> dict:
    """The value labels of every labelled column, each in code order.

    Parameters
    ----------
    path : str or pathlib.Path
        An SPSS (``.sav``, ``.zsav``) or Stata (``.dta``) file.
    kind : {"spss", "stata"}, optional
        The format; default by the suffix (``.dta``: Stata).

    Returns
    -------
    dict
        Column -> {code: label}, the codes in ascending order: a scale is
        ``Scale(list(labels.values()), satisfied=2, order="best_first")`` when the lowest
        code is the best level, ``order="worst_first"`` when it is the worst (numbers
        never get a direction by assumption).

    Raises
    ------
    ResponseFileError
        pyreadstat missing (naming the ``spss`` extra), or a file it cannot read.

    Examples
    --------
    >>> value_labels("survey.sav")  # doctest: +SKIP
    {'rating': {1: 'Very satisfied', 2: 'Fairly satisfied', 3: 'Neither', ...}}
    """
    path = Path(path)
    kind = _kind(path, kind)
    _, meta = _read(path, str(path), kind, metadataonly=True)
    return {column: {code: labels[code] for code in sorted(labels, key=_code_key)}
            for column, labels in (meta.variable_value_labels or {}).items()}


def _missing_of(meta, column: str, values: np.ndarray) -> np.ndarray:
    """Which of ``values`` (a column's distinct values) are user-defined missing codes:
    SPSS's discrete codes and ranges (``missing_ranges``, a code is a range of one), Stata's
    ``.a`` .. ``.z`` (``missing_user_values``, given as the letters)."""
    spans = [(span.get("lo"), span.get("hi")) for span in
             (getattr(meta, "missing_ranges", None) or {}).get(column) or []]
    spans += [(code, code) for code in (getattr(meta, "missing_user_values", None) or {}).get(column) or []]
    out = np.zeros(len(values), dtype=bool)
    for i, value in enumerate(values):
        for low, high in spans:
            if isinstance(value, str) != isinstance(low, str):
                continue  # a text beside numeric codes, or a number beside Stata's letters
            try:
                if low <= value <= high:
                    out[i] = True
                    break
            except TypeError:  # a date beside numeric codes
                continue
    return out


def read_stat_file(path, kind: str | None = None, max_cells: int | None = None, name: str | None = None) -> Grid:
    """Every case of an SPSS or Stata file as text: value labels applied, user-defined
    missing values empty.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    kind : {"spss", "stata"}, optional
        The format; default by the suffix (``.dta``: Stata).
    max_cells : int, optional
        The most cells (cases x variables) the file may hold; default
        :data:`survey_analysis.load.excel.MAX_CELLS`.
    name : str, optional
        How the grid and errors name the file (default its path).

    Returns
    -------
    Grid
        ``file_format`` ``"spss"`` or ``"stata"``, the column names as headers, lines 1..n
        (the cases' positions), and notes: the format, each set of value labels applied
        (columns and labels in code order), user-defined missing values per column.

    Raises
    ------
    ResponseFileError
        pyreadstat missing (naming the ``spss`` extra), a file it cannot read, or more
        cells than ``max_cells``.

    Examples
    --------
    >>> read_stat_file("survey.sav").notes  # doctest: +SKIP
    """
    path = Path(path)
    name = str(path) if name is None else name
    kind = _kind(path, kind)
    limit = excel.MAX_CELLS if max_cells is None else int(max_cells)
    _, meta = _read(path, name, kind, metadataonly=True)
    rows, cols = meta.number_rows, meta.number_columns
    if rows is not None and cols is not None and rows > 0 and rows * cols > limit:
        raise ResponseFileError("load.stat.too_big", name, rows=rows, cols=cols, cells=rows * cols, limit=limit,
                                hint=Hint("max_cells", rows * cols))
    frame, meta = _read(path, name, kind, user_missing=True)
    labels_of = meta.variable_value_labels or {}
    columns, labelled, missing_notes = [], {}, []
    for position, column in enumerate(frame.columns):
        series = frame.iloc[:, position]
        codes, uniques = pd.factorize(series.to_numpy(dtype=object), use_na_sentinel=True)
        uniques = np.asarray(uniques, dtype=object)
        labels = labels_of.get(column) or {}
        missing = _missing_of(meta, column, uniques)
        texts = np.array([""] * (len(uniques) + 1), dtype=object)  # the last: a system-missing value
        for i, value in enumerate(uniques):
            if not missing[i]:
                label = labels.get(value)
                texts[i] = str(label) if label is not None else _code_text(value)
        new_codes, new_texts = pd.factorize(texts)
        columns.append(coded.from_codes(new_codes[codes], new_texts))
        if labels:
            listing = ", ".join(f"{_code_text(code)} = {labels[code]}" for code in sorted(labels, key=_code_key))
            labelled.setdefault(listing, []).append(str(column))
        if missing.any():
            counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
            shown = ", ".join(_code_text(v) + (f" ({labels[v]})" if labels.get(v) is not None else "")
                              for v in sorted(uniques[missing], key=_code_key))
            missing_notes.append(Note("load.stat.user_missing", column=str(column),
                                      count=int(counts[missing].sum()), codes=shown))
    notes = [Note("load.stat.read", format=Message(f"load.stat.format_{kind}"))]
    notes += [Note("load.stat.value_labels", columns=", ".join(map(repr, names)), listing=listing)
              for listing, names in labelled.items()]
    notes += missing_notes
    return Grid(coded.text_frame(columns, len(frame)), np.arange(1, len(frame) + 1, dtype=np.int64), name, kind,
                headers=[str(c) for c in frame.columns], notes=notes)
