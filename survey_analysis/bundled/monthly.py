"""SYNTHETIC monthly responses with a known shift in the true satisfaction rate.

A monthly report tracks one rate over time (:func:`~survey_analysis.track`). To show
what a control chart catches, this module samples a demonstration from a stated model
with a fixed seed: the same service units every month, each with a persistent true rate,
and from one stated month on every unit's true rate moves by a stated amount. Because the
truth is known, a chart can be checked against it. The sample is generated on demand
(nothing is written to ``data/``); it describes no real office, unit or person.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..words import SurveyError

__all__ = ["MONTHLY_SEED", "generate_synthetic_monthly"]

#: Seed of the default sample.
MONTHLY_SEED = 20261206


def generate_synthetic_monthly(months: int = 24, shift_at: int = 16, shift: float = -0.04,
                               seed: int = MONTHLY_SEED, units: int = 12, *, rate: float = 0.90,
                               unit_sd: float = 0.4, respondents: int = 40, top_box: float = 0.7,
                               start: str = "2024-01") -> pd.DataFrame:
    """Sample SYNTHETIC tidy monthly responses whose true rate shifts at a known month.

    Parameters
    ----------
    months : int, default 24
        Number of consecutive months, from ``start``.
    shift_at : int, default 16
        The first month (1 = the first month) of the shifted rate.
    shift : float, default -0.04
        Change of every unit's true satisfied rate from month ``shift_at`` on, on the
        rate scale (-0.04: four percentage points down).
    seed : int, default 20261206
        Seed of :func:`numpy.random.default_rng`.
    units : int, default 12
        Service units (items ``U01`` ...), the same every month.
    rate : float, default 0.90
        Common level: a unit with no unit effect has true rate ``rate`` before the shift.
    unit_sd : float, default 0.4
        Standard deviation of the persistent unit effects on the logit scale (normal,
        mean 0; the same in every month).
    respondents : int, default 40
        Mean respondents per unit and month: ``1 + Poisson(respondents - 1)``, drawn
        independently for each unit and month.
    top_box : float, default 0.7
        Share answering 满意 among the satisfied (the rest answer 基本满意); everyone not
        satisfied answers 不满意.
    start : str, default "2024-01"
        The first month (``YYYY-MM``).

    Returns
    -------
    pandas.DataFrame
        Tidy responses as :func:`~survey_analysis.load_responses` returns them:
        ``item_id`` (the unit), ``respondent_id``, ``rating`` (``cn3`` labels 满意 /
        基本满意 / 不满意), ``scale``, ``rank``, ``month`` (``YYYY-MM``) and
        ``source_line``. SYNTHETIC: not real respondents.

    Notes
    -----
    The model, every part of it an assumption: unit ``j``'s true satisfied rate in month
    ``m`` is ``expit(logit(rate) + u_j) + shift * [m >= shift_at]``, clipped to
    [0.001, 0.999], with ``u_j ~ Normal(0, unit_sd)`` drawn once. The months are otherwise
    alike: no seasonality, no month-to-month variation beyond sampling, no change in who
    answers. Each respondent answers once, independently, satisfied with the unit's true
    rate. So the pooled true rate moves by ``shift`` (less any clipping) at month
    ``shift_at`` and nowhere else, and the answers are clustered by unit.

    Examples
    --------
    >>> r = generate_synthetic_monthly()
    >>> r["month"].nunique(), r["month"].min(), r["month"].max()
    (24, '2024-01', '2025-12')
    >>> r["scale"].unique().tolist(), r["item_id"].nunique()
    (['cn3'], 12)
    """
    from ..load.responses import load_responses
    from ..scales.scale import SCALES

    months, shift_at, units, respondents = int(months), int(shift_at), int(units), int(respondents)
    if months < 2:
        raise SurveyError("bundled.monthly.months", value=months)
    if not 1 <= shift_at <= months:
        raise SurveyError("bundled.monthly.shift_at", value=shift_at, months=months)
    if not 0.0 < rate < 1.0:
        raise SurveyError("bundled.monthly.rate", value=rate)
    if units < 1 or respondents < 1 or unit_sd < 0 or not 0.0 <= top_box <= 1.0:
        raise SurveyError("bundled.monthly.sizes", units=units, respondents=respondents,
                          unit_sd=unit_sd)
    rng = np.random.default_rng(seed)
    effect = rng.normal(0.0, unit_sd, size=units)
    base = 1.0 / (1.0 + np.exp(-(np.log(rate / (1.0 - rate)) + effect)))  # (units,)
    step = np.where(np.arange(1, months + 1) >= shift_at, shift, 0.0)  # (months,)
    true = np.clip(base[None, :] + step[:, None], 0.001, 0.999)  # (months, units)
    size = 1 + rng.poisson(respondents - 1, size=true.shape)
    cell = np.repeat(np.arange(true.size), size.ravel())
    satisfied = rng.random(len(cell)) < true.ravel()[cell]
    top = rng.random(len(cell)) < top_box
    level = np.where(satisfied, np.where(top, 0, 1), 2)
    labels = np.asarray(SCALES["cn3"].levels, dtype=object)
    month_index, unit_index = np.divmod(cell, units)
    width = max(2, len(str(units)))
    unit_names = np.asarray([f"U{j:0{width}d}" for j in range(1, units + 1)], dtype=object)
    month_names = np.asarray(pd.period_range(start, periods=months, freq="M").strftime("%Y-%m"), dtype=object)
    raw = pd.DataFrame({"item_id": unit_names[unit_index],
                        "respondent_id": [f"R{i:06d}" for i in range(1, len(cell) + 1)],
                        "rating": labels[level], "month": month_names[month_index]})
    return load_responses(raw, scale="cn3", keep_columns=["month"])
