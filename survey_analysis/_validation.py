"""Checks shared by every layer: choices, confidence levels, counts.

Each raises :class:`~survey_analysis.words.SurveyError` (a ``ValueError``) with a
message naming the bad value and what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .words import Message, SurveyError

__all__ = ["ALTERNATIVES", "Option", "check_choice", "check_confidence_level", "tail_probability",
           "count_arrays"]

ALTERNATIVES = ("two-sided", "greater", "less")


def check_choice(name: str, value, allowed) -> None:
    """Raise ``ValueError`` naming the bad ``value`` and the ``allowed`` ones."""
    if value not in allowed:
        raise SurveyError("choice.unknown", name=name, value=value,
                          allowed=", ".join(map(repr, allowed)))


def check_confidence_level(confidence_level) -> float:
    """Return ``confidence_level`` as a float, or raise if it is not in (0, 1)."""
    try:
        level = float(confidence_level)
    except (TypeError, ValueError):
        raise SurveyError("level.not_number", value=confidence_level) from None
    if not 0.0 < level < 1.0:
        raise SurveyError("level.range", value=confidence_level)
    return level


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
    if k.size == 0 or not (np.nanmin(n) < 0 or np.nanmin(k) < 0 or np.any(k > n)):
        return  # the common case, decided by two reductions and one comparison
    problems = [(n < 0, "counts.trials_negative"), (k < 0, "counts.successes_negative"),
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
        if self.choices and "choices" not in keywords and "metavar" not in keywords:
            keywords["choices"] = self.choices
        return keywords
