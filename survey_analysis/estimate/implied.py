"""What published figures imply about the survey behind them.

An office publishes an overall rate ("satisfaction over 90%") and how many items reached
100% ("a few"), but not how many people answered about each item. The two figures pull in
opposite directions: with few respondents per item, many items come out at 100% by chance
(15 of 15 satisfied happens often when the true rate is 93%), so "only a few at 100%" needs
many respondents per item; "over 90%" needs the true rates high. :func:`implied_designs` computes, over a grid
of respondents per item and of the spread of the items' true rates, the probability that
a survey produces both figures together.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special, stats

from ..words import SurveyError

__all__ = ["implied_designs", "simulate_designs"]


def _beta(mean: float, spread: float):
    """(alpha, beta, concentration) of a Beta with this mean and standard deviation."""
    if spread == 0:
        return np.inf, np.inf, np.inf
    concentration = mean * (1.0 - mean) / spread**2 - 1.0
    if concentration <= 0:
        raise SurveyError("estimate.implied.spread", spread=spread, mean=mean,
                          limit=np.sqrt(mean * (1 - mean)))
    return mean * concentration, (1.0 - mean) * concentration, concentration


def _point(n_items: int, m: int, mean: float, spread: float, threshold: float, low: int, high: int):
    """(expected at 100%, P(count in range), P(overall > threshold), P(both)) at one point."""
    alpha, beta, concentration = _beta(mean, spread)
    if spread == 0:
        q = mean**m
        var_k = m * mean * (1.0 - mean)
    else:
        q = float(np.exp(special.betaln(alpha + m, beta) - special.betaln(alpha, beta)))
        var_k = m * mean * (1.0 - mean) * (concentration + m) / (concentration + 1.0)
    mean_k = m * mean
    second = var_k + mean_k**2
    # Moments of one item's satisfied count given it is not at 100% (k < m).
    if q < 1.0:
        mean_rest = (mean_k - m * q) / (1.0 - q)
        var_rest = max((second - m * m * q) / (1.0 - q) - mean_rest**2, 0.0)
    else:
        mean_rest = var_rest = 0.0
    j = np.arange(n_items + 1)
    pmf = stats.binom.pmf(j, n_items, q)
    # Given j items at 100%, the total satisfied is j*m plus n-j counts below m; more than
    # threshold * n * m satisfied means at least floor(threshold * n * m) + 1.
    needed = np.floor(threshold * n_items * m + 1e-9) + 1.0
    centre = j * m + (n_items - j) * mean_rest
    sd = np.sqrt((n_items - j) * var_rest)
    with np.errstate(divide="ignore", invalid="ignore"):
        above = np.where(sd > 0, stats.norm.sf((needed - 0.5 - centre) / sd),
                         (centre >= needed).astype(float))
    in_range = (j >= low) & (j <= high)
    return (n_items * q, float(pmf[in_range].sum()), float(np.dot(pmf, above)),
            float(np.dot(pmf[in_range], above[in_range])))


def implied_designs(n_items: int, overall_above: float, items_at_100, respondents=None,
                    spread=None, mean=None) -> pd.DataFrame:
    """How likely a survey is to give "overall above X" and "k items at 100%" together.

    Parameters
    ----------
    n_items : int
        Number of items surveyed.
    overall_above : float
        The published overall rate, as a fraction: the pooled rate must be strictly
        above it (e.g. 0.9 for "超过90%").
    items_at_100 : int or (int, int)
        The published number of items at 100%, or an inclusive range for a worded count
        (e.g. (3, 8) for "a few", or what the claims file's ``lower`` and ``upper`` say).
    respondents : sequence of int, optional
        Respondents per item to consider (the same for every item); default 10 to 200.
    spread : sequence of float, optional
        Standard deviations of the items' true rates (between-item spread, Beta
        distributed); 0 means every item has the same true rate. Default 0 to 0.04.
    mean : sequence of float, optional
        Mean true rates to consider, at or above the claimed overall rate; default
        ``overall_above`` + 0.005, 0.01, 0.02, 0.03 (capped below 1).

    Returns
    -------
    pandas.DataFrame
        One row per mean x spread x respondents: ``mean``, ``spread``,
        ``respondents_per_item``, ``expected_at_100`` (items at 100% on average),
        ``p_items_at_100`` (the count in the published range), ``p_overall`` (pooled
        rate above the published one), ``probability`` (both together).

    Notes
    -----
    Each item's true rate is drawn from a Beta with the given mean and standard
    deviation (a point mass when the spread is 0); each of its ``m`` respondents is
    satisfied with that probability. An item is at 100% with probability
    ``q = E[p^m] = B(alpha + m, beta) / B(alpha, beta)`` (``mean ** m`` without spread),
    so the number of items at 100% is Binomial(``n_items``, ``q``) -- the exact
    Poisson-binomial count of :func:`~survey_analysis.count_at_100_distribution` with
    equal items. Given ``j`` items at 100%, the total of satisfied answers is ``j m``
    plus the sum of ``n_items - j`` beta-binomial counts conditioned on being below
    ``m``, whose mean and variance follow from the beta-binomial moments; the chance
    that it exceeds ``overall_above * n_items * m`` is taken from the normal
    approximation with a continuity correction (hundreds of items: the sum is close to
    normal). The joint probability sums over ``j`` in the published range. With the
    same ``m`` for every item the pooled rate and the mean of item rates coincide.
    :func:`simulate_designs` checks these numbers by simulation
    (``tests/test_implied.py``).

    Examples
    --------
    60 items, "over 90%" and 3 to 8 items at 100%. With 15 respondents per item and a
    true rate of 93% everywhere, about 20 of 60 items come out at 100% (60 x 0.93^15), so
    "3 to 8" is practically impossible; with 40 respondents per item it is likely:

    >>> t = implied_designs(60, 0.90, (3, 8), respondents=[15, 40], spread=[0], mean=[0.93])
    >>> t[["respondents_per_item", "expected_at_100", "probability"]].round(3)
       respondents_per_item  expected_at_100  probability
    0                    15           20.202        0.000
    1                    40            3.292        0.641
    """
    n_items = int(n_items)
    if n_items < 1:
        raise SurveyError("estimate.implied.n_items", n_items=n_items)
    threshold = float(overall_above)
    if not 0.0 <= threshold < 1.0:
        raise SurveyError("estimate.implied.overall_above", value=overall_above)
    low, high = (items_at_100, items_at_100) if np.isscalar(items_at_100) else items_at_100
    low, high = int(low), int(high)
    if not 0 <= low <= high <= n_items:
        raise SurveyError("estimate.implied.items_at_100", n_items=n_items, value=items_at_100)
    respondents = [10, 15, 20, 30, 40, 50, 60, 70, 80, 100, 120, 150, 200] if respondents is None \
        else [int(m) for m in respondents]
    if any(m < 1 for m in respondents):
        raise SurveyError("estimate.implied.respondents")
    spread = [0.0, 0.01, 0.02, 0.03, 0.04] if spread is None else [float(s) for s in spread]
    if any(s < 0 for s in spread):
        raise SurveyError("estimate.implied.spread_negative")
    if mean is None:
        mean = [min(threshold + step, 0.999) for step in (0.005, 0.01, 0.02, 0.03)]
    mean = sorted({float(v) for v in mean})
    if any(not 0.0 < v < 1.0 for v in mean):
        raise SurveyError("estimate.implied.mean")
    rows = []
    for mu in mean:  # a small grid of points; each point is vectorized over the count
        for s in spread:
            for m in respondents:
                expected, p_count, p_overall, both = _point(n_items, m, mu, s, threshold, low, high)
                rows.append((mu, s, m, expected, p_count, p_overall, both))
    return pd.DataFrame(rows, columns=["mean", "spread", "respondents_per_item", "expected_at_100",
                                       "p_items_at_100", "p_overall", "probability"])


def simulate_designs(n_items: int, overall_above: float, items_at_100, respondents: int,
                     spread: float, mean: float, draws: int = 20_000, seed=0) -> dict:
    """Monte Carlo estimate of what :func:`implied_designs` computes, at one point.

    Draws ``draws`` surveys: true item rates from the Beta, satisfied counts from the
    binomial; counts how often each published figure, and both, hold.

    Returns
    -------
    dict
        ``p_items_at_100``, ``p_overall``, ``probability`` and ``draws``.

    Examples
    --------
    >>> out = simulate_designs(60, 0.90, (3, 8), respondents=40, spread=0, mean=0.93, draws=4000)
    >>> abs(out["probability"] - 0.641) < 0.03       # implied_designs gives 0.641
    True
    """
    low, high = (items_at_100, items_at_100) if np.isscalar(items_at_100) else items_at_100
    rng = np.random.default_rng(seed)
    alpha, beta, _ = _beta(float(mean), float(spread))
    rates = np.full((draws, n_items), float(mean)) if spread == 0 else \
        rng.beta(alpha, beta, size=(draws, n_items))
    satisfied = rng.binomial(int(respondents), rates)
    at_100 = (satisfied == respondents).sum(axis=1)
    overall = satisfied.sum(axis=1) / (n_items * respondents) > overall_above
    count = (at_100 >= low) & (at_100 <= high)
    return {"p_items_at_100": float(count.mean()), "p_overall": float(overall.mean()),
            "probability": float((count & overall).mean()), "draws": int(draws)}
