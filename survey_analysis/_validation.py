"""Checks shared by every layer: choices, confidence levels, counts, output paths.

Each raises :class:`~survey_analysis.words.SurveyError` (a ``ValueError``) with a
message naming the bad value and what is allowed.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .words import Hint, Message, SurveyError

__all__ = ["ALTERNATIVES", "Option", "check_choice", "check_confidence_level", "check_output_path",
           "check_threshold", "tail_probability", "count_arrays"]

ALTERNATIVES = ("two-sided", "greater", "less")


def check_choice(name: str, value, allowed) -> None:
    """Raise ``ValueError`` naming the bad ``value`` and the ``allowed`` ones."""
    if value not in allowed:
        raise SurveyError("choice.unknown", name=name, value=value,
                          allowed=", ".join(map(repr, allowed)))


def check_open_unit(value, not_number: str, out_of_range: str | None = None) -> float:
    """Return ``value`` as a float strictly between 0 and 1 (a level, a rate, an alpha), or
    raise the catalogue's ``not_number`` error (``out_of_range`` when it is a number outside
    (0, 1); the same code when not given), naming ``value``."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise SurveyError(not_number, value=value) from None
    if not 0.0 < number < 1.0:
        raise SurveyError(out_of_range or not_number, value=value)
    return number


def check_confidence_level(confidence_level) -> float:
    """Return ``confidence_level`` as a float, or raise if it is not in (0, 1)."""
    return check_open_unit(confidence_level, "level.not_number", "level.range")


def check_threshold(threshold) -> float | None:
    """Return a reference rate ``threshold`` as a float (None stays None), or raise if it is
    not in (0, 1); a percentage (95) is told to be written 0.95, as a confidence level is.

    Examples
    --------
    >>> check_threshold(0.95), check_threshold(None)
    (0.95, None)
    >>> check_threshold(95)
    Traceback (most recent call last):
    ...
    survey_analysis.words.SurveyError: threshold must be a rate strictly between 0 and 1, got 95 (a percentage? write threshold=0.95, not 95)
    """
    if threshold is None:
        return None
    try:
        value = float(threshold)
    except (TypeError, ValueError):
        raise SurveyError("threshold.not_number", value=threshold) from None
    if not 0.0 < value < 1.0:
        fix = (Message("threshold.fix", {"hint": Hint("threshold", round(value / 100, 10)), "value": threshold})
               if 1.0 < value < 100.0 else "")
        raise SurveyError("threshold.range", value=threshold, fix=fix)
    return value


def tail_probability(confidence_level: float, alternative: str) -> float:
    """Probability in each bounded tail: (1 - level) / 2 two-sided, 1 - level one-sided."""
    check_choice("alternative", alternative, ALTERNATIVES)
    level = check_confidence_level(confidence_level)
    return (1.0 - level) / 2.0 if alternative == "two-sided" else 1.0 - level


def count_arrays(successes, trials):
    """Broadcast the inputs to float arrays and remember how to wrap the result."""
    index = None
    for value in (successes, trials):
        if isinstance(value, pd.Series):
            if index is not None and not value.index.equals(index):
                raise SurveyError("counts.index")
            index = value.index
    # Whole-number input stays integer (the fast path of _bounds_once_per_pair needs no
    # conversion or rounding check); anything else becomes float.
    k, n = np.asarray(successes), np.asarray(trials)
    if not (np.issubdtype(k.dtype, np.integer) and np.issubdtype(n.dtype, np.integer)):
        k, n = k.astype(float), n.astype(float)
    try:
        k, n = np.broadcast_arrays(k, n)
    except ValueError:
        raise SurveyError("counts.broadcast", first=k.shape, second=n.shape) from None
    _check_counts(k, n)
    scalar = k.ndim == 0 and index is None
    return k, n, scalar, index


def _check_counts(k: np.ndarray, n: np.ndarray) -> None:
    if k.size == 0:
        return
    infinite = (np.isinf(k) | np.isinf(n)) if k.dtype.kind == "f" else None
    if infinite is None or not infinite.any():
        with np.errstate(invalid="ignore"):
            if not (np.nan_to_num(n, nan=0.0).min() < 0 or np.nan_to_num(k, nan=0.0).min() < 0
                    or np.any(k > n)):
                return  # the common case, decided by two reductions and one comparison
    problems = [(infinite if infinite is not None else np.zeros(k.shape, bool), "counts.infinite"),
                (n < 0, "counts.trials_negative"), (k < 0, "counts.successes_negative"),
                (k > n, "counts.too_many")]
    for bad, code in problems:
        if np.any(bad):
            where = np.argwhere(bad)[0]
            position = tuple(int(i) for i in where) if where.size else ()
            at = (Message("counts.position", {"position": position if len(position) > 1 else position[0]})
                  if position else "")
            raise SurveyError(code, k=f"{k[tuple(where)]:g}", n=f"{n[tuple(where)]:g}", where=at)


@dataclass(frozen=True)
class Option:
    """One keyword of a function and its command-line flag: the one place both are defined.

    Tables of these (``DESIGN_OPTIONS``, ``ANALYSIS_OPTIONS``, ``COMPARE_OPTIONS``) give the
    defaults the library uses and the flags the command line builds from them.

    Attributes
    ----------
    keyword : str
    default : object
        The value when the keyword is not given.
    help : str
        One line for the command line and the docs.
    flag : str or None
        The command-line flag (None: no flag).
    choices : tuple
        The allowed values, when they are a fixed list.
    cli : dict
        Other ``argparse`` keywords of the flag (``nargs``, ``metavar``, ``type``).
    """

    keyword: str
    default: object
    help: str
    flag: str | None = None
    choices: tuple = ()
    cli: dict = field(default_factory=dict)

    def argparse_keywords(self) -> dict:
        """The ``argparse`` keywords of the flag (its choices included)."""
        keywords = dict(self.cli)
        if self.choices and not {"choices", "metavar", "action"} & set(keywords):
            keywords["choices"] = self.choices
        return keywords


def check_output_path(path, fix) -> Path:
    """The folder outputs go to, checked before anything is computed or written.

    Refused: ``path`` is a symbolic link (dangling, a loop, or to a folder: outputs are
    never written through a link, as git refuses to), a file, or below a file or a path
    that cannot be reached (a loop among its parents). Missing parents are fine (they are
    created).

    Parameters
    ----------
    path : str or path
    fix : Hint
        The option an error proposes to choose another path.

    Returns
    -------
    pathlib.Path
        ``path`` with its parents' links resolved.

    Raises
    ------
    ValueError
        Naming ``path`` and what is wrong with it.

    Examples
    --------
    >>> import os, tempfile, pathlib
    >>> from survey_analysis.words import Hint
    >>> home = pathlib.Path(tempfile.mkdtemp())
    >>> check_output_path(home / "new" / "out", Hint("output_dir", "FOLDER")) == home.resolve() / "new" / "out"
    True
    >>> os.symlink(home / "elsewhere", home / "link")
    >>> check_output_path(home / "link", Hint("output_dir", "FOLDER"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    survey_analysis.words.SurveyError: .../link is a symbolic link (to .../elsewhere): ...
    """
    given = Path(path)
    if given.is_symlink():
        raise SurveyError("present.export.symlink", target=given, link=os.readlink(given), fix=fix)
    target = Path(os.path.realpath(given))
    for folder in [target, *target.parents]:
        try:
            mode = folder.stat().st_mode
        except (FileNotFoundError, NotADirectoryError):
            continue  # not there (yet), or below a file: said at the file
        except OSError as error:  # a loop among the parents, no permission to look
            raise SurveyError("present.export.unreachable", target=given, path=folder,
                              reason=error.strerror or str(error), fix=fix) from None
        if not stat.S_ISDIR(mode):
            if folder == target:
                raise SurveyError("present.export.a_file", target=given, fix=fix)
            raise SurveyError("present.export.parent_file", target=given, parent=folder, fix=fix)
        break
    return target
