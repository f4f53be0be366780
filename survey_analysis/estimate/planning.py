"""Planning: how many respondents an item needs.

Three questions a survey planner asks before fieldwork:

* :func:`n_for_half_width` -- how many respondents give an interval no wider than
  +/- ``half_width`` around the expected rate?
* :func:`n_for_lower_bound` -- how many respondents make it likely (``power``) that
  the one-sided lower confidence bound clears a threshold such as 95%, when the true
  rate is, say, 98%? Computed exactly from the binomial distribution;
  :func:`lower_bound_power` gives the power for a given ``n``.
* :func:`n_for_all_satisfied` -- how many respondents, all satisfied, are needed
  before "100% satisfied" even shows a rate above ``p0``?

All functions broadcast their inputs: a scalar in gives an ``int`` (or ``float``)
out, arrays give arrays, and a pandas Series keeps its index.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special, stats

from .._validation import check_choice, check_confidence_level, tail_probability
from ..words import SurveyError
from .intervals import binomial_ci

__all__ = [
    "HALF_WIDTH_METHODS",
    "LOWER_BOUND_METHODS",
    "lower_bound_power",
    "n_for_all_satisfied",
    "n_for_half_width",
    "n_for_lower_bound",
]

HALF_WIDTH_METHODS = ("wilson", "clopper_pearson", "wald")
LOWER_BOUND_METHODS = ("clopper_pearson", "wilson")

# Largest sample size the searches consider; beyond it a ValueError explains why.
_N_LIMIT = 10_000_000


def _broadcast(**inputs):
    """Broadcast named inputs to float arrays; remember a shared Series index."""
    index = None
    for name, value in inputs.items():
        if isinstance(value, pd.Series):
            if index is not None and not value.index.equals(index):
                raise SurveyError("estimate.planning.indexes", name=name)
            index = value.index
    arrays = [np.asarray(v, dtype=float) for v in inputs.values()]
    try:
        arrays = np.broadcast_arrays(*arrays)
    except ValueError:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in inputs.items())
        raise SurveyError("estimate.planning.broadcast", shapes=shapes) from None
    for name, array in zip(inputs, arrays, strict=True):
        if np.any(np.isnan(array)):
            raise SurveyError("estimate.planning.nan", name=name)
    scalar = arrays[0].ndim == 0 and index is None
    return [np.array(a) for a in arrays], scalar, index


def _wrap(values: np.ndarray, scalar: bool, index, name: str, dtype=np.int64):
    values = np.asarray(values).astype(dtype)
    if scalar:
        return dtype(values.item()).item() if dtype is np.int64 else float(values)
    if index is not None:
        return pd.Series(values, index=index, name=name)
    return values


def _check_range(name, values, low, high, low_open=False, high_open=False):
    below = values <= low if low_open else values < low
    above = values >= high if high_open else values > high
    if np.any(below | above):
        bad = values[below | above].flat[0]
        left, right = "(" if low_open else "[", ")" if high_open else "]"
        raise SurveyError("estimate.planning.range", name=name, left=left, low=low, high=high,
                          right=right, value=bad)


def _check_design_effect(design_effect) -> float:
    try:
        deff = float(design_effect)
    except (TypeError, ValueError):
        raise SurveyError("estimate.planning.design_effect", value=design_effect) from None
    if not (np.isfinite(deff) and deff > 0):
        raise SurveyError("estimate.planning.design_effect", value=design_effect)
    return deff


def _inflate(n, design_effect: float) -> np.ndarray:
    """Responses needed under a design effect: ``ceil(deff * n)`` (unchanged at deff = 1)."""
    n = np.asarray(n, dtype=float)
    if design_effect == 1.0:
        return n
    return np.maximum(np.ceil(design_effect * n - 1e-9), 1.0)


def _wilson_half_width(n, p, z):
    """Half-width of the Wilson interval at observed proportion ``p`` with ``n`` trials."""
    return z / (n + z * z) * np.sqrt(n * p * (1.0 - p) + z * z / 4.0)


def _cp_half_width(n, p, confidence_level):
    """Half the two-sided Clopper-Pearson width at ``k = floor(n p + 1/2)``."""
    k = np.floor(n * p + 0.5)
    low, high = binomial_ci(k, n, method="clopper_pearson", confidence_level=confidence_level)
    return (high - low) / 2.0


def _first_n_cp(p: float, h: float, confidence_level: float, start: int) -> int:
    """Smallest n with Clopper-Pearson half-width <= h (searching 1, 2, ... in blocks)."""
    upper = max(start, 16)
    while upper <= _N_LIMIT:
        n = np.arange(1, upper + 1, dtype=float)
        ok = np.flatnonzero(_cp_half_width(n, p, confidence_level) <= h)
        if ok.size:
            return int(n[ok[0]])
        upper *= 2
    raise SurveyError("estimate.planning.no_n_half_width", limit=_N_LIMIT, half_width=h, rate=p)


def n_for_half_width(expected_rate, half_width, confidence_level: float = 0.95,
                     method: str = "wilson", design_effect: float = 1.0):
    """Smallest number of respondents whose interval is at most +/- ``half_width``.

    Parameters
    ----------
    expected_rate : float, array_like or pandas.Series
        Rate you expect to observe, in [0, 1].
    half_width : float, array_like or pandas.Series
        Target half-width (margin of error), in (0, 0.5); 0.03 means +/- 3 points.
    confidence_level : float, default 0.95
    method : {"wilson", "clopper_pearson", "wald"}
        * ``"wilson"`` -- the Wilson (1927) score interval's half-width evaluated at
          the observed proportion ``p_hat = expected_rate`` (closed form, below).
        * ``"clopper_pearson"`` -- half the width of the two-sided Clopper & Pearson
          (1934) interval at ``k = floor(n * expected_rate + 1/2)``; found by search.
        * ``"wald"`` -- the textbook ``n = z^2 p (1 - p) / h^2`` (Cochran 1977,
          chapter 4), rounded up. Shown for contrast: at ``p = 1`` it asks for one
          respondent, because the Wald interval has zero width there.
    design_effect : float, default 1.0
        Design effect of the planned survey (e.g. ``design_effect`` of
        :func:`~survey_analysis.overall_rate` on a previous round, where responses
        cluster within items). The size for independent answers is multiplied by it
        and rounded up: the usual effective-sample-size approximation (Kish 1965).

    Returns
    -------
    int, numpy.ndarray of int64 or pandas.Series
        Sample size ``n`` (at least 1), broadcast over the inputs.

    Raises
    ------
    ValueError
        For an unknown method, a rate outside [0, 1], a half-width outside (0, 0.5)
        or a bad confidence level.

    Notes
    -----
    With ``z`` the upper ``(1 - level)/2`` normal quantile and ``q = 1 - p``, the
    Wilson half-width at ``p_hat = p`` is

    .. math:: h(n) = \\frac{z}{n + z^2}\\sqrt{n p q + z^2/4},

    which decreases in ``n`` from ``h(0) = 1/2`` (its derivative has the sign of
    ``z^2 (pq - 1/2) - n pq < 0``). ``h(n) <= h`` is the quadratic
    ``h^2 n^2 + (2 h^2 z^2 - z^2 pq) n + z^4 (h^2 - 1/4) >= 0``, so ``n`` is the
    larger root rounded up (then checked against ``h(n)`` to guard rounding).

    The Clopper-Pearson half-width is not monotone in ``n`` because ``k`` is rounded
    to an integer; the answer is the first ``n`` that reaches the target, and an
    ``n`` slightly above it can be a little wider.

    References
    ----------
    .. [1] Wilson, E. B. (1927). Probable inference, the law of succession, and
       statistical inference. JASA 22, 209-212.
    .. [2] Clopper, C. J., Pearson, E. S. (1934). The use of confidence or fiducial
       limits illustrated in the case of the binomial. Biometrika 26, 404-413.
    .. [3] Cochran, W. G. (1977). Sampling Techniques, 3rd ed. Wiley, chapter 4.
    .. [4] Newcombe, R. G. (1998). Two-sided confidence intervals for the single
       proportion: comparison of seven methods. Stat. Med. 17, 857-872.

    Examples
    --------
    >>> n_for_half_width(0.5, 0.05, method="wald")      # the textbook 385
    385
    >>> n_for_half_width([0.9, 0.95], 0.03).tolist()
    [388, 215]
    >>> n_for_half_width(0.95, 0.03, design_effect=1.93)   # answers clustered in items
    415
    """
    check_choice("method", method, HALF_WIDTH_METHODS)
    level = check_confidence_level(confidence_level)
    deff = _check_design_effect(design_effect)
    (p, h), scalar, index = _broadcast(expected_rate=expected_rate, half_width=half_width)
    _check_range("expected_rate", p, 0.0, 1.0)
    _check_range("half_width", h, 0.0, 0.5, low_open=True, high_open=True)
    z = -special.ndtri((1.0 - level) / 2.0)
    pq = p * (1.0 - p)
    if method == "wald":
        n = np.maximum(np.ceil(z * z * pq / (h * h) - 1e-9), 1.0)
        # Guard the 1e-9: the returned n must meet the target and n - 1 must not.
        n = np.where(z * np.sqrt(pq / n) > h, n + 1.0, n)
        return _wrap(_inflate(n, deff), scalar, index, "n")
    a = h * h
    b = 2.0 * h * h * z * z - z * z * pq
    c = z ** 4 * (h * h - 0.25)
    root = (-b + np.sqrt(b * b - 4.0 * a * c)) / (2.0 * a)
    n = np.maximum(np.ceil(root), 1.0)
    # Floating-point guard: step to the true boundary of the monotone h(n).
    n = np.where(_wilson_half_width(n, p, z) > h, n + 1.0, n)
    n = np.where((n > 1) & (_wilson_half_width(n - 1.0, p, z) <= h), n - 1.0, n)
    if method == "wilson":
        return _wrap(_inflate(n, deff), scalar, index, "n")
    # Clopper-Pearson: a search per input, because its half-width is saw-toothed in n
    # (k is rounded), so no closed form or vectorized bisection applies.
    flat = [_first_n_cp(float(pi), float(hi), level, start=int(2 * ni))
            for pi, hi, ni in zip(p.ravel(), h.ravel(), n.ravel(), strict=True)]
    return _wrap(_inflate(np.reshape(flat, p.shape), deff), scalar, index, "n")


def _critical_count(n, threshold, confidence_level, method):
    """Smallest k whose one-sided lower confidence bound is above ``threshold``.

    ``n + 1`` where no k in 0..n qualifies.
    """
    alpha = tail_probability(confidence_level, "greater")
    if method == "clopper_pearson":
        # The one-sided Clopper-Pearson bound exceeds p0 exactly when the exact test of
        # H0: p <= p0 rejects: P(X >= k | n, p0) <= alpha (scipy/R convention p <= alpha;
        # the two differ only where the p-value equals alpha exactly).
        k = stats.binom.ppf(1.0 - alpha, n, threshold) + 1.0
        # binom.ppf inverts a floating cdf; make the boundary exact with the survival function.
        k = np.where(stats.binom.sf(k - 2.0, n, threshold) <= alpha, k - 1.0, k)
        k = np.where((k <= n) & (stats.binom.sf(k - 1.0, n, threshold) > alpha), k + 1.0, k)
        return np.minimum(k, n + 1.0)
    # Wilson: the score interval inverts the score test, so its lower bound exceeds p0
    # exactly when (k/n - p0) / sqrt(p0 (1 - p0) / n) > z.
    z = -special.ndtri(alpha)
    k = np.floor(n * threshold + z * np.sqrt(n * threshold * (1.0 - threshold))) + 1.0
    return np.minimum(k, n + 1.0)


def lower_bound_power(n, true_rate, threshold, confidence_level: float = 0.95,
                      method: str = "clopper_pearson"):
    """Exact probability that the one-sided lower bound from ``n`` respondents clears ``threshold``.

    Parameters
    ----------
    n : int, array_like or pandas.Series
        Number of respondents (>= 1).
    true_rate : float, array_like or pandas.Series
        True satisfaction rate, in [0, 1].
    threshold : float, array_like or pandas.Series
        Rate the lower bound must exceed (e.g. 0.95 for "over 95%"), in [0, 1).
    confidence_level : float, default 0.95
        Level of the one-sided lower bound (``binomial_ci(..., alternative="greater")``).
    method : {"clopper_pearson", "wilson"}
        Lower bound: exact Clopper & Pearson (1934), i.e. the exact one-sided binomial
        test, or the Wilson (1927) score bound, i.e. the score test.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        ``P(lower bound > threshold | true_rate)``, broadcast over the inputs.

    Notes
    -----
    With ``k*`` the smallest count whose lower bound exceeds ``p0 = threshold``
    (Clopper-Pearson: ``P(X >= k* | n, p0) <= 1 - level``; Wilson:
    ``k* = floor(n p0 + z sqrt(n p0 (1 - p0))) + 1``), the power is
    ``P(X >= k* | n, true_rate)`` = ``binom.sf(k* - 1, n, true_rate)``. No normal
    approximation is involved. The power is saw-toothed in ``n``: ``k*`` jumps by
    one at some ``n``, and the power drops there.

    Examples
    --------
    >>> round(lower_bound_power(59, 1.0, 0.95), 4)     # 59 of 59 satisfied shows > 95%
    1.0
    >>> lower_bound_power([100, 200], 0.98, 0.95).round(3).tolist()
    [0.403, 0.629]
    """
    check_choice("method", method, LOWER_BOUND_METHODS)
    tail_probability(confidence_level, "greater")  # validates the level
    (n_arr, p1, p0), scalar, index = _broadcast(n=n, true_rate=true_rate, threshold=threshold)
    _check_n(n_arr)
    _check_range("true_rate", p1, 0.0, 1.0)
    _check_range("threshold", p0, 0.0, 1.0, high_open=True)
    k = _critical_count(n_arr, p0, confidence_level, method)
    power = np.where(k > n_arr, 0.0, stats.binom.sf(k - 1.0, n_arr, p1))
    return _wrap(power, scalar, index, "power", dtype=float)


def _check_n(n: np.ndarray) -> None:
    if np.any((n < 1) | (n != np.floor(n))):
        bad = n[(n < 1) | (n != np.floor(n))].flat[0]
        raise SurveyError("estimate.planning.n_positive", value=bad)


def _first_n_power(p1, p0, power, level, method, stable) -> int:
    """Search n = 1, 2, ... for the target power (blocks of doubling size)."""
    z_a = -special.ndtri(1.0 - level)
    z_b = -special.ndtri(1.0 - power)
    guess = ((z_a * np.sqrt(p0 * (1 - p0)) + z_b * np.sqrt(p1 * (1 - p1))) / (p1 - p0)) ** 2
    upper = int(max(64, 2 * np.ceil(guess)))
    while upper <= _N_LIMIT:
        n = np.arange(1, upper + 1, dtype=float)
        k = _critical_count(n, p0, level, method)
        achieved = np.where(k > n, 0.0, stats.binom.sf(k - 1.0, n, p1))
        ok = achieved >= power
        if ok.any():
            first = int(np.argmax(ok))
            if not stable:
                return first + 1
            # Stable: all n from the answer up to twice the first qualifying n qualify.
            if upper >= 2 * (first + 1):
                window = ok[: 2 * (first + 1)]
                failing = np.flatnonzero(~window)
                return int(failing[-1] + 2) if failing.size else 1
        upper *= 2
    raise SurveyError("estimate.planning.no_n_power", limit=_N_LIMIT, power=power, rate=p1,
                      threshold=p0)


def n_for_lower_bound(true_rate, threshold, power: float = 0.8, confidence_level: float = 0.95,
                      method: str = "clopper_pearson", stable: bool = False,
                      design_effect: float = 1.0):
    """Respondents needed so that the lower confidence bound clears ``threshold`` with ``power``.

    Parameters
    ----------
    true_rate : float, array_like or pandas.Series
        Assumed true satisfaction rate, in (threshold, 1].
    threshold : float, array_like or pandas.Series
        The claim to support, e.g. 0.95 for "satisfaction over 95%", in [0, 1).
    power : float, default 0.8
        Wanted probability that the one-sided lower bound exceeds ``threshold``.
    confidence_level : float, default 0.95
        Level of the one-sided lower bound.
    method : {"clopper_pearson", "wilson"}
        Lower bound used; see :func:`lower_bound_power`.
    stable : bool, default False
        The power is saw-toothed in ``n`` (see Notes). ``False`` returns the first ``n``
        reaching ``power``; ``True`` returns the smallest ``n`` such that every sample
        size from it up to twice the first qualifying ``n`` also reaches ``power``.
    design_effect : float, default 1.0
        Design effect of the planned survey (e.g. ``design_effect`` of
        :func:`~survey_analysis.overall_rate` on a previous round, where responses
        cluster within items). The size for independent answers is multiplied by it
        and rounded up: the usual effective-sample-size approximation (Kish 1965).

    Returns
    -------
    int, numpy.ndarray of int64 or pandas.Series
        Sample size, broadcast over the inputs.

    Raises
    ------
    ValueError
        If ``true_rate <= threshold`` (the bound then clears the threshold with
        probability at most ``1 - confidence_level``), for rates outside their ranges,
        ``power`` outside (0, 1), or no ``n`` up to 10 million reaching the power.

    Notes
    -----
    The power of each ``n`` is exact (:func:`lower_bound_power`). Because the critical
    count ``k*`` moves in integer steps, power is not monotone in ``n``: for a true
    rate of 98% against 95% (95% one-sided Clopper-Pearson), 80% power is first
    reached at ``n = 234`` (power 0.809), lost again from ``n = 238`` (0.798) to 259,
    and held from ``n = 286`` on, which is what ``stable=True`` returns. One search
    runs per input (the saw-tooth rules out a closed form or a vectorized bisection).
    A normal (arcsine) approximation such as R ``pwr::pwr.p.test`` gives a rough
    starting value only; it ignores the discreteness.

    References
    ----------
    .. [1] Clopper, C. J., Pearson, E. S. (1934). Biometrika 26, 404-413.
    .. [2] Chernick, M. R., Liu, C. Y. (2002). The saw-toothed behavior of power
       versus sample size and software solutions: single binomial proportion using
       exact methods. The American Statistician 56, 149-155.
    .. [3] Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences,
       2nd ed., chapter 6 (the arcsine effect size h).

    Examples
    --------
    >>> n_for_lower_bound(0.98, 0.95)
    234
    >>> n_for_lower_bound(0.98, 0.95, stable=True)
    286
    >>> n_for_lower_bound(1.0, 0.95, power=0.99)          # = n_for_all_satisfied(0.95)
    59
    >>> n_for_lower_bound(0.98, 0.95, design_effect=1.93)  # answers clustered in items
    452
    """
    check_choice("method", method, LOWER_BOUND_METHODS)
    level = check_confidence_level(confidence_level)
    deff = _check_design_effect(design_effect)
    power = float(power)
    if not 0.0 < power < 1.0:
        raise SurveyError("estimate.planning.power", power=power)
    (p1, p0), scalar, index = _broadcast(true_rate=true_rate, threshold=threshold)
    _check_range("true_rate", p1, 0.0, 1.0)
    _check_range("threshold", p0, 0.0, 1.0, high_open=True)
    if np.any(p1 <= p0):
        bad = np.flatnonzero((p1 <= p0).ravel())[0]
        raise SurveyError("estimate.planning.rate_above_threshold", rate=p1.flat[bad],
                          threshold=p0.flat[bad])
    flat = [_first_n_power(float(a), float(b), power, level, method, bool(stable))
            for a, b in zip(p1.ravel(), p0.ravel(), strict=True)]
    return _wrap(_inflate(np.reshape(flat, p1.shape), deff), scalar, index, "n")


def n_for_all_satisfied(p0, confidence_level: float = 0.95):
    """Smallest ``n`` for which "``n`` of ``n`` satisfied" shows a rate above ``p0``.

    Parameters
    ----------
    p0 : float, array_like or pandas.Series
        Rate to exceed, in [0, 1).
    confidence_level : float, default 0.95

    Returns
    -------
    int, numpy.ndarray of int64 or pandas.Series

    Notes
    -----
    With all ``n`` satisfied the one-sided exact (Clopper-Pearson) lower bound is
    ``(1 - level)^(1/n)``, which exceeds ``p0`` exactly when ``p0^n < 1 - level``:

    .. math:: n = \\lfloor \\log(1 - level) / \\log(p_0) \\rfloor + 1.

    For ``p0 = 0.95`` at 95%: ``0.05^(1/59) = 0.9505 > 0.95`` but
    ``0.05^(1/58) = 0.9497``, so 59 respondents are needed. This is the "rule of
    three" read the other way (Hanley & Lippman-Hand 1983).

    References
    ----------
    .. [1] Clopper, C. J., Pearson, E. S. (1934). Biometrika 26, 404-413.
    .. [2] Hanley, J. A., Lippman-Hand, A. (1983). If nothing goes wrong, is
       everything all right? JAMA 249, 1743-1745.

    Examples
    --------
    >>> n_for_all_satisfied(0.95)
    59
    >>> n_for_all_satisfied([0.8, 0.9, 0.99]).tolist()
    [14, 29, 299]
    """
    level = check_confidence_level(confidence_level)
    (p,), scalar, index = _broadcast(p0=p0)
    _check_range("p0", p, 0.0, 1.0, high_open=True)
    tail = 1.0 - level
    with np.errstate(divide="ignore"):
        n = np.floor(np.log(tail) / np.log(p)) + 1.0
    n = np.maximum(n, 1.0)
    # Guard floating rounding at an exact integer ratio: p0^n < tail must hold, p0^(n-1) not.
    n = np.where(p ** n >= tail, n + 1.0, n)
    n = np.where((n > 1) & (p ** (n - 1.0) < tail), n - 1.0, n)
    return _wrap(n, scalar, index, "n")
