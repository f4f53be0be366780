"""Exact coverage of binomial confidence intervals (how often they contain the true rate).

Coverage is computed exactly, not simulated: for ``n`` respondents the interval of
every possible count ``k = 0..n`` is computed once, and the coverage at a true rate
``p`` is the binomial probability of the counts whose interval contains ``p``
(Brown, Cai & DasGupta 2001).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .._validation import check_choice
from ..words import SurveyError
from .intervals import BINOMIAL_CI_METHODS, binomial_ci

__all__ = ["exact_coverage"]


def exact_coverage(
    n,
    p,
    methods=BINOMIAL_CI_METHODS,
    confidence_level: float = 0.95,
    alternative: str = "two-sided",
) -> pd.DataFrame:
    """Exact coverage probability of interval methods over a grid of ``n`` and true ``p``.

    Parameters
    ----------
    n : int or sequence of int
        Numbers of respondents.
    p : float or sequence of float
        True satisfaction rates, in (0, 1).
    methods : sequence of str
        Methods of :func:`~survey_analysis.binomial_ci`.
    confidence_level : float, default 0.95
    alternative : {"two-sided", "greater", "less"}

    Returns
    -------
    pandas.DataFrame
        One row per (method, n, p): columns ``method``, ``n``, ``p``, ``coverage``
        (probability that the interval contains ``p``), ``nominal``
        (``confidence_level``), ``mean_width`` (expected interval width).

    Notes
    -----
    ``coverage(n, p) = sum_k C(n, k) p^k (1 - p)^(n - k) 1[low_k <= p <= high_k]``.
    Near ``p = 1`` with small ``n`` the Wald interval covers far below nominal (it
    is [1, 1] whenever all respondents are satisfied), Clopper-Pearson always covers
    at least the nominal level but is wide, and Wilson stays close to nominal on
    average.

    References
    ----------
    .. [1] Brown, L. D., Cai, T. T., DasGupta, A. (2001). Interval estimation for a
       binomial proportion. Statistical Science 16, 101-133.

    Examples
    --------
    >>> table = exact_coverage(20, 0.95, methods=["wald", "clopper_pearson"])
    >>> table[["method", "coverage"]].round(3).to_dict("list")
    {'method': ['wald', 'clopper_pearson'], 'coverage': [0.639, 0.984]}
    """
    for method in methods:
        check_choice("method", method, BINOMIAL_CI_METHODS)
    n_values = np.atleast_1d(np.asarray(n, dtype=np.int64))
    p_values = np.atleast_1d(np.asarray(p, dtype=float))
    if np.any(n_values < 1):
        raise SurveyError("estimate.coverage.n")
    if np.any((p_values <= 0) | (p_values >= 1)):
        raise SurveyError("estimate.coverage.p")
    frames = []
    for method in methods:  # a handful of methods
        for size in n_values:  # the grid of n; every k and p is vectorized
            k = np.arange(size + 1)
            low, high = binomial_ci(k, size, method, confidence_level, alternative)
            pmf = stats.binom.pmf(k[:, None], size, p_values[None, :])          # (k, p)
            inside = (low[:, None] <= p_values[None, :]) & (p_values[None, :] <= high[:, None])
            frames.append(pd.DataFrame({
                "method": method, "n": int(size), "p": p_values,
                "coverage": (pmf * inside).sum(axis=0),
                "nominal": float(confidence_level),
                "mean_width": (pmf * (high - low)[:, None]).sum(axis=0),
            }))
    return pd.concat(frames, ignore_index=True)
