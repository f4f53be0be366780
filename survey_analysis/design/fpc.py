"""Finite population correction: the sampling fraction of each stratum.

A design's ``fpc`` column gives, per stratum, the size of the population its sampling
units were drawn from (``N_h``: items when items are the clusters, answers -- cases --
when the answers are the units), or the sampling fraction ``f_h = n_h / N_h`` itself, as
R's ``svydesign(fpc = ~column)``: values at most 1 are fractions, larger values
population sizes. Without replacement the between-unit variance of stratum ``h`` is
multiplied by ``1 - f_h`` (Cochran 1977, sec. 5.3); a stratum whose units were all
taken (``f_h = 1``) adds no variance.

>>> sampling_fractions([40, 40, 25], [0, 0, 1], [30, 20], ["A", "B"], "cases")
array([0.75, 0.8 ])
>>> sampling_fractions([0.5, 0.25], [0, 1], [3, 2], ["A", "B"], "f")
array([0.5 , 0.25])

References
----------
.. [1] Cochran, W. G. (1977). Sampling Techniques, 3rd ed., sec. 5.3. Wiley.
.. [2] Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R, sec. 2.2. Wiley;
   R ``survey:::as.fpc`` and ``survey:::onestrat``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..words import SurveyError

__all__ = ["sampling_fractions"]


def sampling_fractions(values, stratum, units, labels, column: str) -> np.ndarray:
    """The sampling fraction ``f_h`` of each stratum from a design's ``fpc`` values.

    Parameters
    ----------
    values : array_like
        The ``fpc`` value of each row (a cell of the counts, or a cluster).
    stratum : array_like of int
        Each row's stratum, ``0 .. strata - 1``.
    units : array_like, shape (strata,)
        Sampling units ``n_h`` of each stratum (clusters, or answers when they are the
        units), counted in the whole design.
    labels : array_like, shape (strata,)
        The strata's names, for the errors.
    column : str
        The ``fpc`` column, for the errors.

    Returns
    -------
    numpy.ndarray, shape (strata,)
        ``f_h``: the value itself when every value is at most 1 (fractions), else
        ``n_h / N_h`` (population sizes).

    Raises
    ------
    ValueError
        A value missing, not a number or not positive; values that differ within a
        stratum; fractions (< 1) mixed with population sizes (> 1); a population smaller
        than the units sampled from it (R: "FPC implies >100% sampling in some strata").
        Each names the stratum.
    """
    values = pd.to_numeric(pd.Series(np.asarray(values, dtype=object)), errors="coerce").to_numpy(dtype=float)
    stratum = np.asarray(stratum, dtype=np.int64)
    units = np.asarray(units, dtype=float)
    labels = np.asarray(labels, dtype=object)
    n_strata = len(units)
    bad = ~np.isfinite(values) | (values <= 0)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raw = np.asarray(values, dtype=object)[row]
        raise SurveyError("design.fpc.not_number", column=column, value=raw, stratum=str(labels[stratum[row]]))
    low = np.full(n_strata, np.inf)
    high = np.full(n_strata, -np.inf)
    np.minimum.at(low, stratum, values)
    np.maximum.at(high, stratum, values)
    varies = np.flatnonzero(np.isfinite(low) & (low != high))
    if len(varies):
        h = int(varies[0])
        raise SurveyError("design.fpc.varies", column=column, stratum=str(labels[h]),
                          low=f"{low[h]:g}", high=f"{high[h]:g}")
    value = np.where(np.isfinite(low), low, np.nan)
    used = np.isfinite(value)
    if (value[used] > 1).any() and (value[used] < 1).any():
        small, big = int(np.flatnonzero(used & (value < 1))[0]), int(np.flatnonzero(used & (value > 1))[0])
        raise SurveyError("design.fpc.mixed", column=column, small=f"{value[small]:g}",
                          small_stratum=str(labels[small]), big=f"{value[big]:g}",
                          big_stratum=str(labels[big]))
    if not (value[used] > 1).any():
        return np.where(used, value, 0.0)
    short = np.flatnonzero(used & (value < units))
    if len(short):
        h = int(short[0])
        raise SurveyError("design.fpc.too_small", column=column, stratum=str(labels[h]),
                          population=f"{value[h]:g}", units=int(units[h]))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(used, units / value, 0.0)
