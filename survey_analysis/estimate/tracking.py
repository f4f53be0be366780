"""A satisfaction rate tracked over time periods: control charts (p and Laney p').

:func:`track` gives, for every period (month, quarter, week or a label of the user's),
the rate with its design-based interval, the centre line and control limits of a
p-chart or of Laney's p'-chart, and which special-cause rules fired at each point (the
NHS England "Making Data Count" rules). It answers "has satisfaction changed, or is this
month's dip ordinary variation?" -- the question a monthly report is asked.

References
----------
.. [1] Laney, D. B. (2002). Improved control charts for attributes. Quality Engineering
   14(4), 531-537.
.. [2] NHS England and NHS Improvement (2019). Making data count: strengthening your
   decisions. https://www.england.nhs.uk/publication/making-data-count/
.. [3] NHS-R Community. NHSRplotthedots: draw XmR charts for NHS 'Making Data Count'
   (R package, version 0.2), files ``R/ptd_spc_standard.R`` and
   ``R/ptd_calculate_point_type.R``: the operational definitions of the rules.
.. [4] Montgomery, D. C. (2013). Introduction to Statistical Quality Control, 7th ed.,
   sec. 7.2 (the p-chart). Wiley.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .._validation import Option, check_choice, check_confidence_level
from ..design.design import Design, as_design, is_tidy_responses
from ..words import Hint, Message, Note, Parts, SurveyError, join_notes
from .domains import domain_rates
from .suppression import suppress as suppress_rows
from .suppression import suppression_rule

__all__ = ["CHARTS", "FREQS", "NEAR_SIGMA", "RULE_SETS", "RUN_LENGTH", "TRACK_COLUMNS",
           "TRACK_OPTIONS", "TREND_LENGTH", "track"]

#: Control charts: Laney's p' (over-dispersion allowed for) and the plain p-chart.
CHARTS = ("laney", "p")
#: Rule sets: the NHS "Making Data Count" rules, or only points outside the limits.
RULE_SETS = ("nhs", "limits")
#: Periods derived from dates: month, quarter, ISO week.
FREQS = ("M", "Q", "W")
#: Points on one side of the centre line that make a run (Making Data Count: 7).
RUN_LENGTH = 7
#: Points all rising or all falling that make a trend (Making Data Count: 7).
TREND_LENGTH = 7
#: A point "near a limit": beyond this many sigma from the centre (2 of the 3 to a limit).
NEAR_SIGMA = 2.0
#: d2 for moving ranges of two points: mean |X_i - X_{i-1}| = 1.128 sigma (normal X).
D2 = 1.128
#: Columns of a :func:`track` table (after the ``by`` column when there is one).
TRACK_COLUMNS = ("period", "n", "satisfied", "rate", "ci_low", "ci_high", "center", "lcl", "ucl",
                 "signal", "rule")

#: The options of :func:`track` beside the design's: defaults, meanings and the flags of
#: ``survey-analysis track``.
TRACK_OPTIONS: dict = {option.keyword: option for option in (
    Option("period", None, "the column of periods (labels, or dates with --freq)", "--period",
           cli={"metavar": "COLUMN", "required": True}),
    Option("by", None, "a column of groups: one chart per group", "--by", cli={"metavar": "COLUMN"}),
    Option("chart", "laney", "laney (default: limits allow for variation between periods) or p",
           "--chart", CHARTS),
    Option("baseline", None, "centre and limits from the first N periods (default: all)", "--baseline",
           cli={"type": int, "metavar": "N"}),
    Option("rules", "nhs", "nhs (default: the Making Data Count rules) or limits (points outside only)",
           "--rules", RULE_SETS),
    Option("freq", None, "the period column holds dates: M (month), Q (quarter) or W (ISO week)",
           "--freq", FREQS),
    Option("date_format", None, "the dates' format, e.g. %%d/%%m/%%Y (default: detected)", "--date-format",
           cli={"metavar": "FORMAT"}),
    Option("confidence_level", 0.95, "level of each period's interval (default: 0.95)",
           "--confidence-level", cli={"type": float}),
    Option("suppress", None, "publication rule: hide periods with fewer answers than N, or a preset "
           "(gpps, fft, hcahps)", "--suppress", cli={"metavar": "N|RULE"}),
)}

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?\s*$")
_DMY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:\s.*)?\s*$")
_EXAMPLES = 5


# -- periods from dates ---------------------------------------------------------------------------
def _lines(frame: pd.DataFrame, rows: np.ndarray) -> tuple[np.ndarray, str]:
    """Line numbers of ``rows`` (positions): the file's ``source_line`` when the tidy frame has
    it, else the row's position + 1."""
    if "source_line" in frame.columns:
        return frame["source_line"].to_numpy()[rows], "estimate.tracking.at_line"
    return rows + 1, "estimate.tracking.at_row"


def _examples(frame: pd.DataFrame, values: np.ndarray, rows: np.ndarray) -> Parts:
    """Up to five ``'value' (line n)`` of ``rows``."""
    rows = rows[:_EXAMPLES]
    lines, code = _lines(frame, rows)
    return Parts(Message(code, {"value": str(values[r]), "line": int(line)}) for r, line in zip(rows, lines))


def _parse_dates(frame: pd.DataFrame, column: str, date_format: str | None) -> pd.Series:
    """The dates of ``column`` (datetime64), parsed with ``date_format`` or detected: ISO
    ``YYYY-MM-DD``; ``dd/mm/yyyy`` or ``mm/dd/yyyy`` told apart by a field above 12."""
    raw = frame[column]
    if pd.api.types.is_datetime64_any_dtype(raw):
        dates = pd.to_datetime(raw)
        missing = np.flatnonzero(dates.isna().to_numpy())
        if len(missing):
            raise SurveyError("estimate.tracking.date_missing", column=column, count=len(missing),
                              examples=_examples(frame, raw.astype(str).to_numpy(), missing))
        return dates.reset_index(drop=True)
    text = raw.astype("string").str.strip()
    values = text.fillna("").to_numpy(dtype=object)
    missing = np.flatnonzero(values == "")
    if len(missing):
        raise SurveyError("estimate.tracking.date_missing", column=column, count=len(missing),
                          examples=_examples(frame, values, missing))
    series = pd.Series(values, dtype=object)
    if date_format is not None:
        parsed = pd.to_datetime(series, format=date_format, errors="coerce")
        bad = np.flatnonzero(parsed.isna().to_numpy())
        if len(bad):
            raise SurveyError("estimate.tracking.date_unparsed", column=column, count=len(bad),
                              format=Message("estimate.tracking.date_format_is", {"date_format": date_format}),
                              examples=_examples(frame, values, bad))
        return parsed
    iso = series.str.extract(_ISO).astype("float")
    dmy = series.str.extract(_DMY).astype("float")
    is_iso, is_dmy = iso[0].notna().to_numpy(), dmy[0].notna().to_numpy()
    bad = np.flatnonzero(~is_iso & ~is_dmy)
    first, second = dmy[0].to_numpy(), dmy[1].to_numpy()
    day_first_rows = np.flatnonzero(is_dmy & (first > 12))
    month_first_rows = np.flatnonzero(is_dmy & (second > 12))
    hints = (Hint("date_format", "%d/%m/%Y"), Hint("date_format", "%m/%d/%Y"))
    if len(day_first_rows) and len(month_first_rows):
        raise SurveyError("estimate.tracking.date_both_orders", column=column,
                          day_first=_examples(frame, values, day_first_rows[:2]),
                          month_first=_examples(frame, values, month_first_rows[:2]),
                          fix=hints[0], other=hints[1])
    if is_dmy.any() and not len(day_first_rows) and not len(month_first_rows):
        raise SurveyError("estimate.tracking.date_ambiguous", column=column,
                          examples=_examples(frame, values, np.flatnonzero(is_dmy)),
                          fix=hints[0], other=hints[1])
    year = np.where(is_iso, iso[0].to_numpy(), dmy[2].to_numpy())
    if len(month_first_rows):
        month, day = np.where(is_iso, iso[1].to_numpy(), first), np.where(is_iso, iso[2].to_numpy(), second)
    else:
        month, day = np.where(is_iso, iso[1].to_numpy(), second), np.where(is_iso, iso[2].to_numpy(), first)
    parts = pd.DataFrame({"year": year, "month": month, "day": day})
    ok = ~np.isnan(year)
    parsed = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
    if ok.any():
        parsed.loc[ok] = pd.to_datetime(parts.loc[ok].astype(int), errors="coerce")
    bad = np.flatnonzero(parsed.isna().to_numpy())  # no pattern, or no such day (31/02/2021)
    if len(bad):
        raise SurveyError("estimate.tracking.date_unparsed", column=column, count=len(bad), format="",
                          examples=_examples(frame, values, bad))
    return parsed


def _period_labels(periods: pd.PeriodIndex | pd.Series, freq: str) -> np.ndarray:
    """Labels of pandas periods: ``2021-09``, ``2021Q3``, ISO week ``2021-W38``."""
    index = pd.PeriodIndex(periods)
    if freq == "M":
        return np.asarray(index.strftime("%Y-%m"), dtype=object)
    if freq == "Q":
        return np.asarray(index.strftime("%YQ%q"), dtype=object)
    return np.asarray(index.start_time.strftime("%G-W%V"), dtype=object)


_PANDAS_FREQ = {"M": "M", "Q": "Q", "W": "W-SUN"}  # a W-SUN week runs Monday to Sunday (ISO)


def _with_periods(frame: pd.DataFrame, column: str, freq: str, date_format) -> tuple[pd.DataFrame, list]:
    """``frame`` with ``column`` replaced by period labels, and every period label from the
    first to the last (calendar periods without answers included)."""
    dates = _parse_dates(frame, column, date_format)
    periods = pd.PeriodIndex(dates.dt.to_period(_PANDAS_FREQ[freq]))
    labels = _period_labels(periods, freq)
    every = pd.period_range(periods.min(), periods.max(), freq=_PANDAS_FREQ[freq])
    return frame.assign(**{column: labels}), list(_period_labels(every, freq))


def _design(responses, period: str, by: list, freq, date_format):
    """The design counting ``period`` (and ``by``), and every period label to show."""
    groups = [period] + by
    if freq is None:
        return as_design(responses, groups=groups), None
    if isinstance(responses, Design):
        frame = responses.responses
        if frame is None:
            raise SurveyError("estimate.tracking.needs_responses", freq=freq, column=period)
        frame, every = _with_periods(frame, period, freq, date_format)
        # The same design over the relabelled answers: its calibration and domain kept.
        return responses.with_responses(frame, groups=groups), every
    if not is_tidy_responses(responses):
        raise SurveyError("estimate.tracking.needs_responses", freq=freq, column=period)
    frame, every = _with_periods(responses, period, freq, date_format)
    return as_design(frame, groups=groups), every


def _design_effects(rate, n, se, group, k: int) -> np.ndarray:
    """Each group's design effect ``d``: the mean over its periods of the period rate's own
    design effect, ``se_i^2 / (p_i (1 - p_i) / n_i)`` (its design-based variance over the
    binomial one); periods at 0 or 1 or without a variance estimate (a group held by one
    cluster) are left out; 1 when none is left or the mean is below 1."""
    with np.errstate(invalid="ignore", divide="ignore"):
        each = se ** 2 / (rate * (1.0 - rate) / n)
    usable = np.isfinite(each) & (rate > 0) & (rate < 1) & (n > 0)
    total = np.bincount(group[usable], weights=each[usable], minlength=k)
    counted = np.bincount(group[usable], minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(counted > 0, total / counted, 1.0)
    return np.where(np.isfinite(mean) & (mean > 1.0), mean, 1.0)


# -- the rules --------------------------------------------------------------------------------
def _blocks(key: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Size of the block of consecutive equal ``key`` (within a group) each point is in."""
    change = np.r_[True, (key[1:] != key[:-1]) | (group[1:] != group[:-1])]
    block = np.cumsum(change)
    return np.bincount(block)[block]


def _rules(rate, center, lcl, ucl, sigma, group, rule_set: str) -> dict:
    """Which rules fire at each observed point (arrays in period order within groups)."""
    outside = (rate > ucl) | (rate < lcl)
    fired = {"outside": outside}
    if rule_set == "limits":
        return fired
    if len(rate) == 0:
        return {name: outside for name in ("outside", "run", "trend", "near")}
    side = np.sign(rate - center)
    side = np.where(np.isnan(side), 0.0, side)
    # A run: RUN_LENGTH or more consecutive points on one side; a point on the centre breaks it.
    fired["run"] = (side != 0) & (_blocks(side, group) >= RUN_LENGTH)
    # A trend: TREND_LENGTH points each above (below) the one before; a tie breaks it.
    same = np.r_[False, group[1:] == group[:-1]]
    step = np.where(same, np.sign(np.r_[0.0, np.diff(rate)]), 0.0)
    rising = (step != 0) & (_blocks(step, group) >= TREND_LENGTH - 1)
    starts = np.r_[rising[1:] & same[1:], False]  # the point a trend's first step leaves
    fired["trend"] = rising | starts
    # Two of three: three consecutive points on one side, two or three of them beyond
    # NEAR_SIGMA (inside the limits); the near ones are flagged.
    with np.errstate(invalid="ignore"):
        near = ~outside & (np.abs(rate - center) > NEAR_SIGMA * sigma)
    size = len(rate)
    windows = np.zeros(size, dtype=bool)  # window of points i-2, i-1, i
    if size >= 3:
        whole = (group[2:] == group[:-2]) & (group[1:-1] == group[:-2])
        count = near[2:].astype(int) + near[1:-1] + near[:-2]
        sides = side[2:] + side[1:-1] + side[:-2]
        windows[2:] = whole & (count >= 2) & (np.abs(sides) == 3)
    covered = windows | np.r_[windows[1:], False] | np.r_[windows[2:], np.zeros(min(2, size), dtype=bool)]
    fired["near"] = near & covered
    return fired


_RULE_NOTES = {"outside": lambda: Note("estimate.tracking.rule.outside"),
               "run": lambda: Note("estimate.tracking.rule.run", length=RUN_LENGTH),
               "trend": lambda: Note("estimate.tracking.rule.trend", length=TREND_LENGTH),
               "near": lambda: Note("estimate.tracking.rule.near")}


def track(responses, period: str, *, by: str | None = None, chart: str = "laney", baseline=None,
          rules: str = "nhs", freq: str | None = None, date_format: str | None = None,
          confidence_level: float = 0.95, suppress=None) -> pd.DataFrame:
    """The satisfaction rate of each period with control limits and special-cause signals.

    Parameters
    ----------
    responses : pandas.DataFrame, Survey, Design or path
        Tidy responses holding the ``period`` column (``load_responses(...,
        keep_columns=[period])``), or a :class:`~survey_analysis.Survey` whose design
        (clusters, strata, weights, definition of "satisfied") is used as it is.
    period : str
        Column of period labels (kept as given and sorted), or with ``freq`` a column of
        dates.
    by : str, optional
        A column of groups (districts, services): one chart per group.
    chart : {"laney", "p"}, default "laney"
        Laney's p'-chart (limits widened or narrowed by the variation between periods
        beyond the binomial) or the plain p-chart.
    baseline : int, optional
        Centre line (and Laney's sigma_z) from the first ``baseline`` periods only, limits
        then drawn over every period; default every period. At least 2 and at most the
        number of periods.
    rules : {"nhs", "limits"}, default "nhs"
        The NHS "Making Data Count" rules (see Notes), or only points outside the limits.
    freq : {"M", "Q", "W"}, optional
        ``period`` holds dates: each is floored to its month (labelled ``2021-09``),
        quarter (``2021Q3``) or ISO week (``2021-W38``); every period from the first to
        the last is shown, those without answers with ``n = 0``.
    date_format : str, optional
        With ``freq``, the dates' format (``"%d/%m/%Y"``); default detected (see Notes). A
        column already of dates (datetime64) is used as it is: the way to read a column
        that mixes formats, each part parsed in its own (notebook 10).
    confidence_level : float, default 0.95
        Of each period's interval (``ci_low``, ``ci_high``); the limits are 3 sigma.
    suppress : int or str, optional
        A publication rule (:func:`~survey_analysis.suppression_rule`: a minimum ``n``, or
        ``"gpps"``, ``"fft"``, ``"hcahps"``): periods (of a group) with fewer answers keep
        ``n`` but their rate, interval, signal and rule are blanked, with ``suppressed`` and
        ``suppressed_reason`` columns (:func:`~survey_analysis.estimate.suppression.suppress`).
        Their answers still count in the centre line and Laney's sigma_z: the rule is about
        what is published, not about the data.

    Returns
    -------
    pandas.DataFrame
        One row per period (per group and period with ``by``), sorted: the ``by`` column
        first when given, then ``period``, ``n`` (answers), ``satisfied`` (answers),
        ``rate`` (weighted with weights; nan without answers), ``ci_low``, ``ci_high``
        (the period's design-based interval, :func:`~survey_analysis.domain_rates`),
        ``center``, ``lcl``, ``ucl`` (limits clipped to [0, 1]), ``signal`` (bool: a
        rule fired at this point) and ``rule`` (every rule that fired here, a
        :class:`~survey_analysis.words.Note` said in English that a report can say in
        Chinese; "" otherwise). ``.attrs``: ``chart``, ``baseline``, ``rules``,
        ``design_effect`` (the d of the effective n, one per group), ``sigma_z`` (Laney's, one per
        group: a float, or a dict by group), ``note`` (a Note on the n the limits use),
        ``definition``, ``confidence_level``, ``freq``.

    Notes
    -----
    **p-chart** (Montgomery 2013 [4]_): centre ``p̄ = Σ satisfied / Σ n`` over the
    periods of the centre (the baseline, or all), limits
    ``p̄ ± 3 sqrt(p̄ (1 - p̄) / n_i)``.

    **Laney p'** [1]_: ``z_i = (p_i - p̄) / σ_pi`` with ``σ_pi = sqrt(p̄ (1 - p̄) / n_i)``,
    moving ranges ``MR_i = |z_i - z_{i-1}|`` between consecutive periods with answers,
    ``σ_z = mean(MR) / 1.128``, limits ``p̄ ± 3 σ_pi σ_z``. With large periods the
    binomial limits of a p-chart are so narrow that ordinary month-to-month variation
    (different mixes of services, of respondents) falls outside them; ``σ_z`` measures
    that variation (``σ_z = 1``: none beyond the binomial). Laney's limits need at least
    two periods with answers in the baseline; when every baseline answer is satisfied
    (or none is) ``σ_pi = 0`` and the limits sit on the centre.

    **Weighted or clustered answers.** Answers about one item (a cluster) are alike,
    and weights add variance, so ``n_i`` answers carry less information than ``n_i``
    independent ones: the limits use the effective ``n_i / d``, with ``d`` the design
    effect of the periods' rates: the mean, over the group's periods, of each period
    rate's design-based variance (:func:`~survey_analysis.domain_rates`) over its binomial
    variance ``p_i (1 - p_i) / n_i`` -- the clustering *within* a period, which is what
    makes a period's rate vary, not the differences between items over the whole data. A
    group held by one cluster (``by="item_id"``) has no such variance and gets ``d = 1``,
    as does a mean below 1. One ``d`` per group serves its periods (stated in
    ``.attrs["note"]``). The p-chart's limits widen by ``sqrt(d)``; Laney's do not
    move (``σ_z`` shrinks by the same factor). With weights ``p_i`` and ``p̄`` are
    weighted rates.

    **Rules** (``rules="nhs"``; Making Data Count [2]_, as operationalised by
    NHSRplotthedots [3]_): (1) a point outside the limits; (2) a *run*: 7 or more
    consecutive points above the centre, or below it -- a point exactly on the centre
    breaks a run; (3) a *trend*: 7 or more consecutive points each higher than the one
    before (or each lower; 6 rises in a row) -- a tie breaks it; (4) *two of three*:
    among three consecutive points all on one side of the centre, two or three are
    beyond 2 sigma (``|p_i - p̄| > 2 σ_i``, ``σ_i`` the limit's sigma) but inside the
    limits. ``rule`` names each rule at every point it covers: all points of a run or
    trend, the near points of a two-of-three. Periods without answers are skipped:
    runs, trends and moving ranges go from one period with answers to the next.
    ``signal`` says a point is unusual, not whether it is better or worse.

    **Dates** (``freq``): with ``date_format`` parsed by it; otherwise ISO
    ``YYYY-MM-DD`` directly, and ``dd/mm/yyyy`` against ``mm/dd/yyyy`` decided by the
    whole column: a first field above 12 means day first, a second field above 12
    month first; both, or neither (every date ambiguous) is an error naming example
    values with their lines and ``date_format``. A value that is no date is an error
    naming it and its line.

    References
    ----------
    .. [1] Laney, D. B. (2002). Improved control charts for attributes. Quality
       Engineering 14(4), 531-537.
    .. [2] NHS England and NHS Improvement (2019). Making data count: strengthening your
       decisions.
    .. [3] NHS-R Community. NHSRplotthedots (R package): ``R/ptd_spc_standard.R``
       (near a limit: beyond 2/3 of the way, inside it) and
       ``R/ptd_calculate_point_type.R`` (runs of 7, trends of 7, two in three).
    .. [4] Montgomery, D. C. (2013). Introduction to Statistical Quality Control, 7th
       ed., sec. 7.2. Wiley.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = []
    >>> for month, (n, k) in enumerate([(20, 18), (20, 17), (20, 19), (20, 18), (20, 9)], 1):
    ...     rows += [{"month": f"2021-0{month}", "rank": 1 if i < k else 2} for i in range(n)]
    >>> r = pd.DataFrame(rows).assign(scale="yes_no")
    >>> r["item_id"] = [f"a{i}" for i in range(len(r))]   # one answer per item: d = 1
    >>> t = track(r, "month", chart="p")
    >>> t[["period", "n", "rate", "lcl", "ucl", "signal"]].round(3)
        period   n  rate    lcl  ucl  signal
    0  2021-01  20  0.90  0.547  1.0   False
    1  2021-02  20  0.85  0.547  1.0   False
    2  2021-03  20  0.95  0.547  1.0   False
    3  2021-04  20  0.90  0.547  1.0   False
    4  2021-05  20  0.45  0.547  1.0    True
    >>> t.loc[4, "rule"], t.loc[4, "rule"].render("zh")
    ('outside the limits', '超出控制限')
    """
    check_choice("chart", chart, CHARTS)
    check_choice("rules", rules, RULE_SETS)
    rule_of_publication = suppression_rule(suppress)   # refused early, before any counting
    if freq is not None:
        check_choice("freq", freq, FREQS)
    level = check_confidence_level(confidence_level)
    if not isinstance(period, str):
        raise SurveyError("estimate.tracking.one_column", name="period", value=period)
    if by is not None and not isinstance(by, str):
        raise SurveyError("estimate.tracking.one_column", name="by", value=by)
    if by == period:
        raise SurveyError("estimate.tracking.same_column", column=period)
    groups = [] if by is None else [by]
    design, every = _design(responses, period, groups, freq, date_format)

    counts = design.counts(groups + [period])
    counts = counts.loc[counts["n"] > 0]
    if counts.empty:
        raise SurveyError("estimate.tracking.no_periods", column=period)
    rates = domain_rates(design, groups + [period], confidence_level=level)
    periods = every if every is not None else list(pd.unique(design.counts([period])[period]))
    if baseline is not None:
        if isinstance(baseline, bool) or not isinstance(baseline, (int, np.integer)) \
                or not 2 <= int(baseline) <= len(periods):
            raise SurveyError("estimate.tracking.baseline", value=baseline, periods=len(periods))
        baseline = int(baseline)

    # Every group x every period, in order; periods without answers have n = 0.
    labels = (pd.Index(pd.unique(counts[by]), name=by).sort_values() if by else None)
    if by:
        grid = pd.MultiIndex.from_product([labels, periods], names=[by, period]).to_frame(index=False)
    else:
        grid = pd.DataFrame({period: periods})
    keys = groups + [period]
    table = grid.merge(counts[keys + ["n", "satisfied", "weight_sum", "satisfied_weight"]],
                       on=keys, how="left")
    table = table.merge(rates[keys + ["se", "ci_low", "ci_high"]], on=keys, how="left")
    n = table["n"].fillna(0).to_numpy(dtype=float)
    weight = table["weight_sum"].fillna(0).to_numpy(dtype=float)
    sat_weight = table["satisfied_weight"].fillna(0).to_numpy(dtype=float)
    observed = (n > 0) & (weight > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(observed, sat_weight / np.where(observed, weight, 1.0), np.nan)

    group = (table.groupby(groups, sort=False).ngroup().to_numpy() if by
             else np.zeros(len(table), dtype=np.int64))
    position = np.tile(np.arange(len(periods)), len(table) // len(periods))
    in_base = observed & (position < baseline if baseline is not None else True)

    k = int(group.max()) + 1
    if not design.weighted and (not design.cluster or design.n_clusters() == design.n_responses):
        deff = np.ones(k)   # independent answers: the binomial n is the n
    else:
        deff = _design_effects(rate, n, table["se"].to_numpy(dtype=float), group, k)
    n_eff = n / deff[group]
    base_weight = np.bincount(group, weights=np.where(in_base, weight, 0.0), minlength=k)
    base_sat = np.bincount(group, weights=np.where(in_base, sat_weight, 0.0), minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        center_g = np.where(base_weight > 0, base_sat / base_weight, np.nan)
        center = center_g[group]
        sigma_p = np.where(observed, np.sqrt(center * (1.0 - center) / n_eff), np.nan)
    sigma_z = np.ones(k)
    if chart == "laney":
        # Moving ranges of z between consecutive baseline periods with answers, per group.
        rows = np.flatnonzero(in_base)
        with np.errstate(invalid="ignore", divide="ignore"):
            z = (rate[rows] - center[rows]) / sigma_p[rows]
        pairs = group[rows][1:] == group[rows][:-1]
        moving = np.abs(np.diff(z))[pairs]
        owner = group[rows][1:][pairs]
        valid = np.isfinite(moving)
        total = np.bincount(owner[valid], weights=moving[valid], minlength=k)
        counted = np.bincount(owner[valid], minlength=k)
        with np.errstate(invalid="ignore", divide="ignore"):
            sigma_z = np.where(counted > 0, total / counted / D2, np.nan)
    sigma = sigma_p * sigma_z[group]
    sigma = np.where(sigma_p == 0, 0.0, sigma)  # all baseline answers alike: limits on the centre
    lcl = np.where(observed, np.clip(center - 3 * sigma, 0.0, 1.0), np.nan)
    ucl = np.where(observed, np.clip(center + 3 * sigma, 0.0, 1.0), np.nan)

    # Rules over the periods with answers, in order within each group.
    rows = np.flatnonzero(observed & np.isfinite(lcl))
    fired = _rules(rate[rows], center[rows], lcl[rows], ucl[rows], sigma[rows], group[rows], rules)
    signal = np.zeros(len(table), dtype=bool)
    rule = np.full(len(table), "", dtype=object)
    at = {name: np.zeros(len(table), dtype=bool) for name in fired}
    for name, mask in fired.items():
        at[name][rows[mask]] = True
        signal |= at[name]
    names = list(fired)
    for i in np.flatnonzero(signal):  # one Note per signalling point (rules said in order)
        rule[i] = join_notes(*(_RULE_NOTES[name]() for name in names if at[name][i]))

    out = table[keys].rename(columns={period: "period"})
    out["n"] = n.astype(np.int64)
    out["satisfied"] = table["satisfied"].fillna(0).to_numpy().astype(np.int64)
    out["rate"], out["ci_low"], out["ci_high"] = rate, table["ci_low"].to_numpy(), table["ci_high"].to_numpy()
    out["center"], out["lcl"], out["ucl"] = center, lcl, ucl
    out["signal"] = signal
    out["rule"] = pd.Series(rule, index=out.index, dtype=object)
    out.attrs.update(
        chart=chart, baseline=baseline, rules=rules, freq=freq,
        design_effect=float(deff[0]) if not by else dict(zip(labels.tolist(), map(float, deff))),
        sigma_z=(float(sigma_z[0]) if not by else dict(zip(labels.tolist(), map(float, sigma_z))))
        if chart == "laney" else None,
        note=(Note("estimate.tracking.plain_n") if (deff <= 1.0).all() else
              Note("estimate.tracking.effective_n", deff=float(deff[0])) if not by else
              Note("estimate.tracking.effective_n_groups", low=float(deff.min()), high=float(deff.max()))),
        definition=design.definition, confidence_level=level, by=by)
    if rule_of_publication is None:
        return out
    hidden = suppress_rows(out, rule_of_publication)
    hidden["signal"] = hidden["signal"].fillna(False).astype(bool) & ~hidden["suppressed"].to_numpy(dtype=bool)
    hidden.loc[hidden["suppressed"], "rule"] = ""
    hidden.attrs.update({**out.attrs, "suppression": hidden.attrs.get("suppression")})
    return hidden
