"""Confidence intervals for binomial proportions, vectorized over groups.

Every function here takes counts (successes ``k`` out of ``n`` trials), never
rows: whatever engine produced the counts, the interval is the same.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import special

from .._validation import (
    check_choice,
    count_arrays,
    tail_probability,
)
from ..words import SurveyError

__all__ = ["BINOMIAL_CI_METHODS", "ConfidenceInterval", "binomial_ci"]

BINOMIAL_CI_METHODS = (
    "wilson", "wilson_cc", "clopper_pearson", "mid_p", "jeffreys", "agresti_coull", "wald",
)


class ConfidenceInterval(NamedTuple):
    """Lower and upper confidence bounds (floats, arrays or Series).

    Attributes
    ----------
    low, high : float, numpy.ndarray or pandas.Series

    Examples
    --------
    >>> low, high = binomial_ci(29, 29)
    >>> round(low, 4), high
    (0.883, 1.0)
    """

    low: object
    high: object


def _wrap(low: np.ndarray, high: np.ndarray, scalar: bool, index) -> ConfidenceInterval:
    if scalar:
        return ConfidenceInterval(float(low), float(high))
    if index is not None:
        return ConfidenceInterval(
            pd.Series(low, index=index, name="ci_low"), pd.Series(high, index=index, name="ci_high")
        )
    return ConfidenceInterval(low, high)


def _beta_quantile(q: float, a: np.ndarray, b: np.ndarray, upper_tail: bool) -> np.ndarray:
    """Quantile of Beta(a, b); for the upper tail use the mirrored lower tail of Beta(b, a).

    ``1 - betaincinv(b, a, q)`` keeps full precision at tiny ``q`` where computing
    ``betaincinv(a, b, 1 - q)`` would round ``1 - q`` to 1 (the collapse seen in
    statsmodels issues #9549 / #9141 for Clopper-Pearson at tiny alpha).
    """
    with np.errstate(invalid="ignore"):
        if upper_tail:
            return 1.0 - special.betaincinv(b, a, q)
        return special.betaincinv(a, b, q)


def _bisect_increasing(function, target: float, shape, iterations: int = 64) -> np.ndarray:
    """Vectorized bisection on [0, 1] for ``function(p) = target`` with ``function`` increasing.

    Written by hand because scipy's root finders solve one scalar equation at a time;
    bisection on all groups at once keeps the estimator vectorized. 64 halvings of
    [0, 1] reach the spacing of doubles.
    """
    lo = np.zeros(shape)
    hi = np.ones(shape)
    for _ in range(iterations):
        mid = (lo + hi) / 2.0
        below = function(mid) < target
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    return (lo + hi) / 2.0


def _mid_p_bounds(k: np.ndarray, n: np.ndarray, q: float):
    """Mid-p exact bounds (Newcombe 1998a, method 6; Berry & Armitage 1995).

    Lower: P(X > k | p) + P(X = k | p) / 2 = q;  upper: P(X < k | p) + P(X = k | p) / 2 = q.
    """
    if np.any(np.asarray(k) != np.round(k)):
        raise SurveyError("estimate.intervals.mid_p_whole")
    kk = np.where(n > 0, k, 0.0)
    nn = np.where(n > 0, n, 1.0)

    def half_pmf(p):
        return 0.5 * np.exp(special.xlogy(kk, p) + special.xlog1py(nn - kk, -p)
                            + special.gammaln(nn + 1) - special.gammaln(kk + 1)
                            - special.gammaln(nn - kk + 1))

    k_int, n_int = kk.astype(np.int64), nn.astype(np.int64)  # bdtrc wants integer counts

    def mid_p_upper_tail(p):  # P(X > k | p) + P(X = k | p) / 2, increasing in p
        return special.bdtrc(k_int, n_int, p) + half_pmf(p)

    # The lower bound puts q in the upper tail; the upper bound puts q in the lower tail,
    # i.e. 1 - q in the (increasing) upper tail.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        low = np.where(kk > 0, _bisect_increasing(mid_p_upper_tail, q, kk.shape), 0.0)
        high = np.where(kk < nn, _bisect_increasing(mid_p_upper_tail, 1.0 - q, kk.shape), 1.0)
    return low, high


def _normal_bounds(center, half_width):
    return center - half_width, center + half_width


def _interval_two_bounds(method: str, k, n, q: float):
    """Lower and upper bounds, each with tail probability ``q``."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    z = -special.ndtri(q)  # upper q-quantile of N(0, 1), exact for tiny q
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        if method == "wilson":
            # Wilson (1927): the interval of p whose score test is not rejected.
            center = (k + z * z / 2.0) / (n + z * z)
            half = z / (n + z * z) * np.sqrt(k * (n - k) / n + z * z / 4.0)
            low, high = _normal_bounds(center, half)
        elif method == "wilson_cc":
            # Wilson score interval with continuity correction: Newcombe (1998a), method 4.
            low = (2 * k + z * z - 1 - z * np.sqrt(z * z - 2 - 1 / n + 4 * p * (n * (1 - p) + 1))) \
                / (2 * (n + z * z))
            high = (2 * k + z * z + 1 + z * np.sqrt(z * z + 2 - 1 / n + 4 * p * (n * (1 - p) - 1))) \
                / (2 * (n + z * z))
            low = np.where(k == 0, 0.0, low)
            high = np.where(k == n, 1.0, high)
        elif method == "mid_p":
            low, high = _mid_p_bounds(k, n, q)
        elif method == "agresti_coull":
            # Agresti & Coull (1998): Wald around the Wilson centre with n + z^2 trials.
            n_tilde = n + z * z
            p_tilde = (k + z * z / 2.0) / n_tilde
            low, high = _normal_bounds(p_tilde, z * np.sqrt(p_tilde * (1.0 - p_tilde) / n_tilde))
        elif method == "wald":
            low, high = _normal_bounds(p, z * np.sqrt(p * (1.0 - p) / n))
        elif method == "clopper_pearson":
            # Clopper & Pearson (1934): Beta quantiles; bounds are exactly 0 / 1 at k = 0 / n.
            low = np.where(k > 0, _beta_quantile(q, k, n - k + 1.0, upper_tail=False), 0.0)
            high = np.where(k < n, _beta_quantile(q, k + 1.0, n - k, upper_tail=True), 1.0)
        elif method == "jeffreys":
            # Equal-tailed Jeffreys interval with the Brown, Cai & DasGupta (2001, sec. 4.1.2)
            # boundary rule: lower = 0 at k = 0 and upper = 1 at k = n.  Without it a 100% item
            # would get an upper bound below 1, which its own data contradict.
            low = np.where(k > 0, _beta_quantile(q, k + 0.5, n - k + 0.5, upper_tail=False), 0.0)
            high = np.where(k < n, _beta_quantile(q, k + 0.5, n - k + 0.5, upper_tail=True), 1.0)
        else:  # pragma: no cover - guarded by check_choice
            raise ValueError(method)
    low = np.clip(low, 0.0, 1.0)
    high = np.clip(high, 0.0, 1.0)
    # The score-based formulas give 0 and 1 at the boundaries analytically; pin them so
    # rounding cannot leave a 1e-17 gap that makes "0 of n" look like a positive rate.
    if method in ("wilson",):
        low = np.where(k == 0, 0.0, low)
        high = np.where(k == n, 1.0, high)
    empty = n == 0
    low = np.where(empty, np.nan, low)
    high = np.where(empty, np.nan, high)
    return low, high


_DEDUPLICATE_FROM = 4096  # below this many groups, finding the distinct pairs costs more than it saves
_COSTLY_METHODS = ("clopper_pearson", "mid_p", "jeffreys")


_PARALLEL_FROM = 1 << 18  # below this many groups one thread is faster than several
_BLOCK = 1 << 17          # groups per block (measured best here; fewer Python-level calls)


def _in_chunks(work, size: int) -> None:
    """Run ``work(start, stop)`` over chunks of ``range(size)``, in threads for large sizes.

    NumPy releases the GIL inside its loops, so the chunks of one array operation run
    on all cores; small inputs stay on one thread.
    """
    workers = min(os.cpu_count() or 1, 8)
    if size < _PARALLEL_FROM or workers < 2:
        work(0, size)
        return
    edges = np.linspace(0, size, workers + 1).astype(np.int64)
    # A pool for this call only, shut down when it returns: no threads outlive the library call
    # (starting a few threads costs microseconds next to the 2^18+ groups computed here).
    with ThreadPoolExecutor(workers, thread_name_prefix="survey_analysis") as pool:
        list(pool.map(lambda i: work(int(edges[i]), int(edges[i + 1])), range(workers)))


def _wilson_into(k: np.ndarray, n: np.ndarray, z: float, low: np.ndarray, high: np.ndarray) -> None:
    """Wilson bounds written in place, for large inputs.

    The work is bound by divisions and memory traffic, so it uses two reciprocals and
    few temporaries. The upper bound is computed as 1 - (lower bound of n - k), and
    ``c2`` is the same product the half-width uses at k = 0 or k = n, so the bounds
    are exactly 0 at k = 0 and exactly 1 at k = n with no extra pass to pin them.
    """
    c = z * z / 4.0
    c2 = np.sqrt(c) * z                      # = z^2 / 2, computed as the half-width is
    kf = k.astype(float)
    rest = n.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv_d = np.reciprocal(rest + z * z)  # 1 / (n + z^2)
        half = rest - kf                     # n - k
        half *= kf
        half /= rest                         # k (n - k) / n  (nan when n = 0)
    half += c
    np.sqrt(half, out=half)
    half *= z
    half *= inv_d
    rest -= kf                               # n - k
    np.add(kf, c2, out=low)
    low *= inv_d
    low -= half                              # (k + z^2/2) / (n + z^2) - half
    rest += c2
    rest *= inv_d
    rest -= half                             # lower bound of n - k
    np.subtract(1.0, rest, out=high)
    # No clipping pass: both bounds are exactly 0 / 1 at the boundaries, and for
    # 0 < k < n the Wilson bounds are far from 0 and 1 relative to rounding.


def _bounds_once_per_pair(method: str, k: np.ndarray, n: np.ndarray, q: float):
    """Bounds computed once per distinct (k, n) pair and gathered back.

    Many groups share the same counts (a million items with n < 200 have at most
    20,100 distinct pairs), and Beta quantiles are costly, so this is where the speed
    comes from. Whole-number counts only; otherwise every group is computed.

    * small ``max(n)``: a dense table of every pair with ``n <= max(n)``, indexed by
      ``n (max(n) + 1) + k`` (no hashing, no sorting);
    * otherwise, for the costly exact methods: the distinct pairs found by hashing.
    """
    whole = np.issubdtype(k.dtype, np.integer) or (
        k.size >= _DEDUPLICATE_FROM and np.all(k == np.floor(k)) and np.all(n == np.floor(n)))
    if k.size < _DEDUPLICATE_FROM:
        return _interval_two_bounds(method, k, n, q)
    flat_k, flat_n = k.ravel(), n.ravel()
    n_max = int(n.max(initial=0)) if whole else 0
    width = n_max + 1
    if whole and width * width <= k.size:
        # Table of every (k, n) with n <= max n, at position n * width + k (k > n unused).
        # Looking bounds up costs less than computing them, even for Wilson.
        table_n = np.repeat(np.arange(width), width)
        table_k = np.minimum(np.tile(np.arange(width), width), table_n)
        position = flat_n.astype(np.int64, copy=False) * np.int64(width)
        position += flat_k.astype(np.int64, copy=False)
        return _gather_pairs(_interval_two_bounds(method, table_k, table_n, q), position, k.shape)
    if method == "wilson":  # cheap arithmetic: computed for every group, in place

        def wilson(start, stop):
            for a in range(start, stop, _BLOCK):  # temporaries stay in cache
                b = min(a + _BLOCK, stop)
                _wilson_into(flat_k[a:b], flat_n[a:b], z, low[a:b], high[a:b])

        z = -special.ndtri(q)
        low, high = np.empty(k.size), np.empty(k.size)
        _in_chunks(wilson, k.size)
        return low.reshape(k.shape), high.reshape(k.shape)
    if not whole or method not in _COSTLY_METHODS or n_max >= 2**31:
        return _interval_two_bounds(method, k, n, q)
    key = k.astype(np.int64).ravel() * (2**31) + n.astype(np.int64).ravel()
    codes, unique_keys = pd.factorize(key)  # hash-based: O(size), no sort
    unique_k = (unique_keys // 2**31).astype(float)
    unique_n = (unique_keys % 2**31).astype(float)
    return _gather_pairs(_interval_two_bounds(method, unique_k, unique_n, q), codes, k.shape)


def _gather_pairs(bounds, position: np.ndarray, shape):
    """Look up (low, high) for every group from a table of distinct pairs.

    The table holds each pair's two bounds side by side, so one gather of 16-byte rows
    fetches both (several times faster than two separate gathers); the results are
    the two columns of that array.
    """
    table = np.column_stack(bounds)
    # mode="clip" skips the bounds check: positions are valid by construction.
    both = table.take(position, axis=0, mode="clip")
    return both[:, 0].reshape(shape), both[:, 1].reshape(shape)


def binomial_ci(
    successes,
    trials,
    method: str = "wilson",
    confidence_level: float = 0.95,
    alternative: str = "two-sided",
) -> ConfidenceInterval:
    """Confidence interval for a binomial proportion, vectorized over groups.

    Parameters
    ----------
    successes : int, float, array_like or pandas.Series
        Number of satisfied respondents ``k`` (may be fractional, e.g. effective
        counts from weighted data).
    trials : int, float, array_like or pandas.Series
        Number of valid respondents ``n``; broadcast against ``successes``.
    method : {"wilson", "wilson_cc", "clopper_pearson", "mid_p", "jeffreys", "agresti_coull", "wald"}
        Interval method:

        * ``"wilson"`` -- score interval, Wilson (1927). Default: close to nominal
          coverage for small ``n`` and rates near 1, and never degenerate at ``k = n``.
        * ``"wilson_cc"`` -- Wilson score interval with continuity correction,
          Newcombe (1998) method 4; as R ``prop.test(correct = TRUE)`` away from k = n/2.
        * ``"clopper_pearson"`` -- "exact" interval from Beta quantiles, Clopper &
          Pearson (1934); guaranteed coverage, conservative.
        * ``"mid_p"`` -- mid-p exact interval, Berry & Armitage (1995), Newcombe (1998)
          method 6: the tail probabilities count half of P(X = k); less conservative
          than Clopper-Pearson. Needs whole-number counts.
        * ``"jeffreys"`` -- equal-tailed Beta(k + 1/2, n - k + 1/2) interval with the
          boundary rule of Brown, Cai & DasGupta (2001).
        * ``"agresti_coull"`` -- adjusted Wald, Agresti & Coull (1998).
        * ``"wald"`` -- ``p +/- z sqrt(p(1-p)/n)``, clipped to [0, 1]. Shown only for
          contrast: it collapses to [1, 1] for a 100% item.
    confidence_level : float, default 0.95
        Strictly between 0 and 1.
    alternative : {"two-sided", "greater", "less"}
        ``"greater"`` gives the one-sided interval ``[low, 1]`` (a lower confidence
        bound, used to test "the rate is over p0"); ``"less"`` gives ``[0, high]``.
        Naming follows :func:`scipy.stats.binomtest`.

    Returns
    -------
    ConfidenceInterval
        Named tuple ``(low, high)``. Floats for scalar input, numpy arrays for
        array input, and Series carrying the input index for Series input.
        ``n = 0`` gives ``nan`` bounds.

    Raises
    ------
    ValueError
        For an unknown ``method`` or ``alternative``, a confidence level outside
        (0, 1), negative counts, or ``successes > trials``.

    Notes
    -----
    With ``z`` the upper ``q`` quantile of the standard normal (``q = (1 - level)/2``
    two-sided, ``1 - level`` one-sided), the Wilson bounds are

    .. math:: \\frac{k + z^2/2}{n + z^2} \\pm \\frac{z}{n + z^2}\\sqrt{\\frac{k(n-k)}{n} + \\frac{z^2}{4}}

    and the Clopper-Pearson bounds are ``Beta(q; k, n-k+1)`` and
    ``Beta(1-q; k+1, n-k)``. For ``k = n`` the one-sided Clopper-Pearson lower bound
    is ``(1 - level) ** (1 / n)``: with 95% confidence, an item where all 20
    respondents were satisfied is only shown to be above ``0.05 ** (1/20) = 0.861``.
    Upper-tail Beta quantiles are computed by symmetry so that very small tail
    probabilities keep full precision.

    References
    ----------
    .. [1] Wilson, E. B. (1927). Probable inference, the law of succession, and
       statistical inference. JASA 22, 209-212.
    .. [2] Clopper, C. J., Pearson, E. S. (1934). The use of confidence or fiducial
       limits illustrated in the case of the binomial. Biometrika 26, 404-413.
    .. [3] Agresti, A., Coull, B. A. (1998). Approximate is better than "exact" for
       interval estimation of binomial proportions. Am. Stat. 52, 119-126.
    .. [4] Brown, L. D., Cai, T. T., DasGupta, A. (2001). Interval estimation for a
       binomial proportion. Statistical Science 16, 101-133.
    .. [5] Newcombe, R. G. (1998). Two-sided confidence intervals for the single
       proportion: comparison of seven methods. Stat. Med. 17, 857-872.
    .. [6] Berry, G., Armitage, P. (1995). Mid-P confidence intervals: a brief review.
       J. R. Stat. Soc. D 44, 417-423.

    Examples
    --------
    >>> from survey_analysis import binomial_ci
    >>> low, high = binomial_ci(81, 263)          # Newcombe (1998) Table I
    >>> round(low, 4), round(high, 4)
    (0.2553, 0.3662)
    >>> low, _ = binomial_ci(20, 20, method="clopper_pearson", alternative="greater")
    >>> round(low, 4)                              # 0.05 ** (1 / 20)
    0.8609
    >>> import pandas as pd
    >>> ci = binomial_ci(pd.Series([9, 10], index=["A", "B"]), 10)
    >>> ci.high.round(3).to_dict()
    {'A': 0.982, 'B': 1.0}
    """
    check_choice("method", method, BINOMIAL_CI_METHODS)
    q = tail_probability(confidence_level, alternative)
    k, n, scalar, index = count_arrays(successes, trials)
    low, high = _bounds_once_per_pair(method, k, n, q)
    if alternative == "greater":
        high = np.where(n == 0, np.nan, 1.0)
    elif alternative == "less":
        low = np.where(n == 0, np.nan, 0.0)
    return _wrap(np.asarray(low, dtype=float), np.asarray(high, dtype=float), scalar, index)
