"""Satisfaction rates per item and overall, with their confidence intervals.

Two estimands of "overall satisfaction" (see DESIGN.md):

* **pooled** -- satisfied responses / all valid responses. Responses about the same
  item are not independent, so the design-based interval treats items as clusters
  (as R ``survey::svyciprop`` with ``svydesign(ids=~item_id)``), df = clusters - 1.
* **mean of items** -- the average of the item rates; each item counts once.

Every function takes tidy responses, files, a Dask DataFrame or a
:class:`~survey_analysis.Survey`, and computes from the survey's counts (see
:mod:`survey_analysis.design.design`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import special

from .._validation import check_choice, tail_probability
from ..design.design import Design, as_design, check_source_columns
from ..design.variance import t_quantile
from ..words import Note, SurveyError, html_table, join_notes, percent, percent_interval, shorten
from .intervals import BINOMIAL_CI_METHODS, binomial_ci
from .results import Estimate, HeadlineEstimate
from .suppression import suppress as suppress_rows
from .suppression import suppression_rule

__all__ = ["CLUSTER_CI_METHODS", "FEW_DF", "OVERALL_COLUMNS", "RATE_RESULT_COLUMNS", "OverallRate",
           "RateEstimate", "at_100", "cluster_proportion_ci", "item_rates", "items_at_100",
           "items_rounding_to_100",
           "items_mean_interval", "overall", "overall_rate", "pooled_variance", "rates_of"]

#: Design-based intervals of the pooled rate (:func:`cluster_proportion_ci`): R
#: ``svyciprop(method = ...)`` of the same names.
CLUSTER_CI_METHODS = ("logit", "beta", "mean")
#: Design degrees of freedom below which a design-based interval and design effect are said
#: to rest on few clusters (and a mean of items on few items).
FEW_DF = 10
#: Columns an :func:`item_rates` table holds besides the item (group) columns.
RATE_RESULT_COLUMNS = ("n", "satisfied", "weight_sum", "n_effective", "rate", "ci_low", "ci_high",
                       "method", "confidence_level", "satisfied_min", "satisfied_max")
_STAT_COLUMNS = RATE_RESULT_COLUMNS + ("satisfied_weight", "weight_sq_sum")


def _groups(responses, by) -> list:
    """The grouping columns a new design must count (a Survey recounts from its responses)."""
    return [c for c in by if c != "item_id"]


def item_rates(
    responses,
    item=None,
    satisfied=None,
    method: str = "wilson",
    confidence_level: float = 0.95,
    alternative: str = "two-sided",
    engine: str | None = None,
    rating: str | None = None,
    weight=None,
    duplicates: str | None = None,
    suppress=None,
) -> pd.DataFrame:
    """Satisfaction rate of every item with its confidence interval.

    Parameters
    ----------
    responses : pandas.DataFrame, Survey, path, list of paths, folder or Dask DataFrame
        Tidy responses from :func:`~survey_analysis.load_responses`, a
        :class:`~survey_analysis.Survey`, or long-format Parquet/CSV file(s) or a Dask
        DataFrame counted by an engine without loading the rows into pandas (see
        :mod:`survey_analysis.load.engines`).
    item : str or list of str, optional
        Column(s) identifying an item (or any other group); default the item column
        (``"item_id"``, or the Survey's own).
    satisfied : None, str, collection of str or dict
        Who counts as satisfied; default each scale's convention (``cn3``: 满意 +
        基本满意; ``haochaping5``: 非常满意 + 满意 + 基本满意). See
        :func:`~survey_analysis.scales.definition.resolve_definition`. With a Survey it
        must agree with the Survey's own (or be None).
    method : str, default "wilson"
        Interval method of :func:`~survey_analysis.binomial_ci`.
    confidence_level : float, default 0.95
    alternative : {"two-sided", "greater", "less"}
    engine : {"auto", "pandas", "duckdb", "dask"}, optional
        Counting engine for files and Dask input; default ``"auto"`` (DuckDB for files).
    rating : str, optional
        Answer column of a file or Dask DataFrame (default ``"rating"``).
    weight : str, None or False
        Respondent weight column; ``None`` uses ``"weight"`` when tidy responses have
        one (name it for files); ``False`` ignores weights.
    duplicates : {"error", "keep_first"}, optional
        Files and Dask input: two answers of one respondent to one item are an error
        (default), or the first is kept and the others counted as excluded (as in
        :func:`~survey_analysis.load_responses`).
    suppress : int, str or None
        A publication rule (:func:`~survey_analysis.suppression_rule`): a minimum number
        of answers (``10``) or a preset (``"gpps"``, ``"hcahps"``, ``"fft"``). Rows with
        fewer answers keep ``n`` and lose their counts, rate and interval
        (:func:`~survey_analysis.estimate.suppression.suppress`). Default None: no rule.

    Returns
    -------
    pandas.DataFrame
        One row per item, sorted by item: the ``item`` column(s), ``n`` (valid
        responses), ``satisfied``, ``rate``, ``ci_low``, ``ci_high``, ``method``,
        ``confidence_level``. With weights also ``weight_sum`` and ``n_effective``
        (Kish), and ``rate`` is the weighted rate. For a table of rounded percentages
        (:meth:`Survey.from_counts <survey_analysis.Survey.from_counts>` with
        ``percent=``) also ``satisfied_min`` and ``satisfied_max``, and the interval
        runs from the lower bound at the fewest satisfied answers the percentage
        allows to the upper bound at the most. ``.attrs["definition"]`` is the
        definition of "satisfied" in force; ``.attrs["load_report"]`` the ledger of
        the input when there is one. With ``suppress`` also ``suppressed`` (bool) and
        ``suppressed_reason``, and ``.attrs["suppression"]`` (the rule and the rows it
        hid).

    Notes
    -----
    The interval treats an item's respondents as a simple random sample. With
    weights, the rate is ``sum w y / sum w`` and the interval is the chosen method
    applied to ``rate * n_eff`` satisfied of ``n_eff``, Kish's effective number of
    answers ``(sum w)^2 / sum w^2`` (answers of weight 0 drop out): what unequal
    weights cost, as in Dean & Pagano (2015). R: ``svyby(~sat, ~item_id,
    svydesign(ids = ~1, weights = ~w), svymean)`` gives the rates
    (``tests/R/reference_domains.R``). ``"mid_p"`` needs whole counts and is refused
    with weights. ``Survey.item_rates`` is this function.

    A publication rule (``suppress``) hides rows; it changes no estimate: the overall
    rate (:func:`overall_rate`) is computed from every answer whatever the rule.

    References
    ----------
    .. [1] Kish, L. (1965). Survey Sampling. Wiley.
    .. [2] Dean, N., Pagano, M. (2015). Evaluating confidence interval methods for
       binomial proportions in clustered surveys. J. Survey Stat. Methodol. 3, 484-503.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"item_id": ["A"] * 4 + ["B"] * 2,
    ...                   "rating": ["满意", "满意", "基本满意", "不满意", "满意", "满意"],
    ...                   "scale": "cn3", "rank": [1, 1, 2, 3, 1, 1]})
    >>> item_rates(r)[["item_id", "n", "satisfied", "rate"]]
      item_id  n  satisfied  rate
    0       A  4          3  0.75
    1       B  2          2  1.00

    Under a publication rule, an item with fewer answers than its minimum is not shown:

    >>> item_rates(r, suppress=3)[["item_id", "n", "rate", "suppressed"]]
      item_id  n  rate  suppressed
    0       A  4  0.75       False
    1       B  2   NaN        True
    """
    suppress = suppression_rule(suppress)  # a bad rule is refused before a file is scanned
    by = None if item is None else [item] if isinstance(item, str) else list(item)
    options = {"satisfied": satisfied, "engine": engine, "rating": rating, "weight": weight,
               "duplicates": duplicates}
    if by is not None and not isinstance(responses, (pd.DataFrame, Design)):
        # A file is scanned once: the columns to group by are counted in that scan, and a
        # column it lacks is named, with the columns found, before any row is read.
        check_source_columns(responses, [("item", c) for c in by])
    if by is not None:
        options["groups"] = _groups(responses, by)
    design = as_design(responses, **options)
    return rates_of(design, by, method=method, confidence_level=confidence_level,
                    alternative=alternative, suppress=suppress)


def rates_of(design, by=None, method: str = "wilson", confidence_level: float = 0.95,
             alternative: str = "two-sided", suppress=None) -> pd.DataFrame:
    """:func:`item_rates` of the groups ``by`` (default the items) of a built design: the
    one implementation behind ``sa.item_rates``, ``Survey.item_rates``, the analysis and
    the verdicts on claims; ``suppress`` a publication rule
    (:func:`~survey_analysis.estimate.suppression.suppress`)."""
    rule = suppression_rule(suppress)  # checked before anything is counted
    by = [design.item] if by is None else [by] if isinstance(by, str) else list(by)
    check_choice("method", method, BINOMIAL_CI_METHODS)
    if design.weighted and method == "mid_p":
        raise SurveyError("estimate.rates.mid_p_weighted")
    out = _rates(design, by, method, confidence_level, alternative)
    if design.count_range is not None:
        # Counts known only as a range (rounded percentages): from the lower bound at
        # the fewest consistent satisfied to the upper bound at the most.
        low = _rates(design.at_count_bound("min"), by, method, confidence_level, alternative)
        high = _rates(design.at_count_bound("max"), by, method, confidence_level, alternative)
        position = out.columns.get_loc("satisfied") + 1
        out.insert(position, "satisfied_min", low["satisfied"].to_numpy())
        out.insert(position + 1, "satisfied_max", high["satisfied"].to_numpy())
        out["ci_low"] = low["ci_low"].to_numpy()
        out["ci_high"] = high["ci_high"].to_numpy()
    out.attrs["definition"] = design.definition
    if design.report is not None:
        out.attrs["load_report"] = design.report
    return suppress_rows(out, rule)


def _rates(design, by: list, method: str, confidence_level: float, alternative: str) -> pd.DataFrame:
    counts = design.counts(by)
    k, n = design.effective_counts(counts)
    low, high = binomial_ci(k, n, method=method, confidence_level=confidence_level,
                            alternative=alternative)
    weight_sum = counts["weight_sum"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(weight_sum > 0, counts["satisfied_weight"].to_numpy(dtype=float)
                        / np.where(weight_sum > 0, weight_sum, 1.0), np.nan)
    out = counts[by + ["n", "satisfied"] + (["weight_sum"] if design.weighted else [])].copy()
    if design.weighted:
        out["n_effective"] = n
    out["rate"], out["ci_low"], out["ci_high"] = rate, low, high
    out["method"] = method
    out["confidence_level"] = float(confidence_level)
    return out


def at_100(n, fewest, most) -> tuple[np.ndarray, np.ndarray]:
    """``(at_100, rounds_to_100)`` per item: the one rule for "100%".

    An item is **at 100%** when every satisfied count its data allow is ``n``
    (``fewest == n``); it **rounds to 100%** when a published rounded percentage allows
    ``n`` but also fewer (``most == n > fewest``: "100%" of 300 at 0 decimals is 299 or
    300, since 299.5 / 300 = 99.83% rounds half-up to 100). Exact counts have ``fewest ==
    most``. :func:`items_at_100`, :func:`items_rounding_to_100`, the headline and the
    verdicts on claims (:func:`~survey_analysis.check_claims`) all decide by this.

    Parameters
    ----------
    n, fewest, most : array_like of int
        Answers, and the fewest and most satisfied answers the data allow.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray) of bool

    Examples
    --------
    >>> at_100([300, 300, 30], [299, 300, 29], [300, 300, 29])
    (array([False,  True, False]), array([ True, False, False]))
    """
    n, fewest, most = (np.asarray(v, dtype=float) for v in (n, fewest, most))
    answered = n > 0
    perfect = answered & (fewest == n)
    return perfect, answered & (most == n) & ~perfect


def _count_ranges(rates) -> pd.DataFrame:
    """Per item (a Survey's items, or the rows of an item-rates table): the item column(s),
    ``n``, ``satisfied``, ``satisfied_min`` and ``satisfied_max`` (the counts a rounded
    percentage allows; the count itself when exact)."""
    if isinstance(rates, Design):
        item = rates.item
        out = rates.counts([item])[[item, "n", "satisfied"]]
        low = high = out["satisfied"].to_numpy()
        if rates.count_range is not None:
            low = rates.at_count_bound("min").counts([item])["satisfied"].to_numpy()
            high = rates.at_count_bound("max").counts([item])["satisfied"].to_numpy()
        return out.assign(satisfied_min=low, satisfied_max=high)
    missing = [c for c in ("n", "satisfied") if c not in getattr(rates, "columns", ())]
    if missing:
        raise SurveyError("estimate.rates.items_at_100_columns", missing=missing,
                          columns=list(getattr(rates, "columns", [])))
    out = rates.copy()
    for column in ("satisfied_min", "satisfied_max"):
        if column not in out.columns:
            out[column] = out["satisfied"]
    return out


def items_at_100(rates: pd.DataFrame, confidence_level: float = 0.95) -> pd.DataFrame:
    """Items where every respondent was satisfied, with what that does and does not show.

    Parameters
    ----------
    rates : pandas.DataFrame or Survey
        Output of :func:`item_rates` (needs ``n`` and ``satisfied``; with
        ``satisfied_min`` the fewest count a rounded percentage allows), or a Survey (its
        items' counts).
    confidence_level : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        The 100% rows of ``rates`` (sorted by ``n``, then item), with the item
        column(s), ``n``, ``satisfied``, and ``lower_bound``: the one-sided exact
        (Clopper-Pearson) lower confidence bound ``(1 - confidence_level) ** (1 / n)``.
        No item at 100% (or no item at all) gives the same columns with no row.

    Raises
    ------
    ValueError
        When ``rates`` lacks the ``n`` or ``satisfied`` column.

    Notes
    -----
    If all ``n`` respondents are satisfied, the data rule out true rates below
    ``alpha ** (1/n)`` at level ``1 - alpha`` and nothing more: 10 of 10 satisfied
    shows only that the rate is above 74.1% (95% confidence); ``n >= 59`` is needed
    before "100%" even shows "above 95%".

    An item of a table of rounded percentages is at 100% only when every count its
    percentage allows is ``n`` (:func:`at_100`): a published "100%" of 300 at 0
    decimals (299 or 300) is not listed here but by :func:`items_rounding_to_100`.

    Examples
    --------
    >>> import pandas as pd
    >>> rates = pd.DataFrame({"item_id": ["A", "B"], "n": [10, 30], "satisfied": [10, 29]})
    >>> items_at_100(rates).round(4).to_dict("records")
    [{'item_id': 'A', 'n': 10, 'satisfied': 10, 'lower_bound': 0.7411}]
    """
    tail = tail_probability(confidence_level, "greater")
    ranges = _count_ranges(rates)
    perfect, _ = at_100(ranges["n"], ranges["satisfied_min"], ranges["satisfied_max"])
    id_columns = [c for c in ranges.columns if c not in _STAT_COLUMNS]
    out = ranges.loc[perfect, id_columns + ["n", "satisfied"]].copy()
    out["lower_bound"] = tail ** (1.0 / out["n"].to_numpy(dtype=float))
    return out.sort_values(["n", *id_columns], kind="stable").reset_index(drop=True)


def items_rounding_to_100(rates) -> pd.DataFrame:
    """Items whose published rounded percentage prints as 100% though fewer satisfied
    answers also print so: not at 100%, and not below it either.

    Parameters
    ----------
    rates : pandas.DataFrame or Survey
        As for :func:`items_at_100` (a table of :func:`item_rates` of a Survey of rounded
        percentages has ``satisfied_min`` and ``satisfied_max``).

    Returns
    -------
    pandas.DataFrame
        The item column(s), ``n``, ``satisfied_min`` and ``satisfied_max`` (the counts
        the percentage allows, the most being ``n``), sorted by ``n`` then item; no row
        when every count is exact.

    Examples
    --------
    "100%" of 300 at 0 decimals: 299.5 / 300 = 99.83% rounds half-up to 100, so 299 or 300:

    >>> import pandas as pd, survey_analysis as sa
    >>> table = pd.DataFrame({"unit": ["A", "B"], "n": [300, 20], "pct": ["100%", "95%"]})
    >>> survey = sa.Survey.from_counts(table, item="unit", percent="pct")
    >>> len(items_at_100(survey)), items_rounding_to_100(survey).to_dict("records")
    (0, [{'unit': 'A', 'n': 300, 'satisfied_min': 299, 'satisfied_max': 300}])
    """
    ranges = _count_ranges(rates)
    _, rounding = at_100(ranges["n"], ranges["satisfied_min"], ranges["satisfied_max"])
    id_columns = [c for c in ranges.columns if c not in _STAT_COLUMNS]
    out = ranges.loc[rounding, id_columns + ["n", "satisfied_min", "satisfied_max"]]
    return out.sort_values(["n", *id_columns], kind="stable").reset_index(drop=True)


def cluster_proportion_ci(estimate, variance, n_rows, df, method="logit",
                          confidence_level=0.95, alternative="two-sided"):
    """Design-based interval for a proportion from its estimate and design variance.

    Parameters
    ----------
    estimate : float
        Estimated proportion ``p``.
    variance : float
        Design-based variance of ``p`` (e.g. with items as clusters).
    n_rows : int
        Number of responses (rows) behind ``p``.
    df : int
        Design degrees of freedom (clusters - strata).
    method : {"logit", "beta", "mean"}
        * ``"logit"`` -- Wald interval on the logit scale with a t quantile:
          ``expit(logit(p) -/+ t_df * sqrt(v) / (p (1 - p)))``, as R
          ``survey::svyciprop(method = "logit")``.
        * ``"beta"`` -- Korn & Graubard (1998): Clopper-Pearson with the effective
          sample size ``p (1 - p) / v`` scaled by ``(t_{n-1} / t_df)^2``, as
          ``svyciprop(method = "beta")``.
        * ``"mean"`` -- the Wald interval of the mean, ``p -/+ t_df(1 - alpha/2)
          sqrt(v)`` on the design's degrees of freedom, as ``svyciprop(method =
          "mean")`` (``confint(svymean(...), df = degf(design))``; Lumley 2010, sec.
          2.3), clipped to [0, 1] (R leaves a bound past 1 as it is). Symmetric: near 0%
          or 100% it undercovers (Korn & Graubard 1998); shown for agreement with
          reports that use it.
    confidence_level : float
    alternative : {"two-sided", "greater", "less"}

    Returns
    -------
    tuple
        ``(low, high, note)``; ``note`` is "" or explains a fallback.

    Notes
    -----
    When the design variance is zero (for example every item at 100%), both methods
    are undefined; we fall back to the exact Clopper-Pearson interval with the
    number of responses as the sample size, which treats responses as independent,
    and say so in ``note``. With a single cluster (``df < 1``) the bounds are nan.
    """
    check_choice("method", method, CLUSTER_CI_METHODS)
    tail = tail_probability(confidence_level, alternative)
    if df < 1 or not np.isfinite(variance):
        return np.nan, np.nan, Note("estimate.few_clusters")
    if variance <= 0 or estimate <= 0 or estimate >= 1:
        low, high = binomial_ci(estimate * n_rows, n_rows, method="clopper_pearson",
                                confidence_level=confidence_level, alternative=alternative)
        return low, high, Note("estimate.rates.zero_variance")
    if method == "mean":
        half = t_quantile(df, tail) * np.sqrt(variance)
        low, high = max(0.0, estimate - half), min(1.0, estimate + half)
    elif method == "logit":
        eta = np.log(estimate / (1.0 - estimate))
        half = t_quantile(df, tail) * np.sqrt(variance) / (estimate * (1.0 - estimate))
        low, high = special.expit(eta - half), special.expit(eta + half)
    else:
        n_eff = estimate * (1.0 - estimate) / variance
        n_eff *= (t_quantile(n_rows - 1, tail) / t_quantile(df, tail)) ** 2
        low = special.betaincinv(n_eff * estimate, n_eff * (1.0 - estimate) + 1.0, tail)
        high = 1.0 - special.betaincinv(n_eff * (1.0 - estimate), n_eff * estimate + 1.0, tail)
    if alternative == "greater":
        high = 1.0
    elif alternative == "less":
        low = 0.0
    return float(low), float(high), ""


@dataclass(frozen=True)
class RateEstimate:
    """One estimate of the overall rate with its interval and how it was made.

    Attributes
    ----------
    estimand : str
        ``"pooled"`` or ``"mean_of_items"``.
    ci_method : str
        ``"cluster_logit"`` / ``"cluster_beta"`` (design-based; ``"strata_..."`` with
        items as strata, ``"answers_..."`` without clusters), ``"srs_wilson"`` (naive) or
        ``"t"`` (over items).
    estimate, ci_low, ci_high : float
    se : float
        Standard error of ``estimate``: the design-based one for the pooled rate,
        ``sqrt(p (1 - p) / n)`` for the naive interval, ``sd / sqrt(items)`` for the
        mean of items.
    confidence_level : float
    alternative : str
    n_responses, n_clusters : int
    df : float
        Degrees of freedom of the interval.
    design_effect : float
        Design variance over simple-random-sampling variance (nan where undefined).
    note : str
    kish_n_effective, kish_design_effect : float
        Kish's effective n and weighting design effect (n and 1 without weights).

    Examples
    --------
    >>> import pandas as pd, survey_analysis as sa
    >>> r = pd.DataFrame({"item_id": list("AAABBBCCC"), "scale": "yes_no",
    ...                   "rank": [1, 1, 2, 1, 1, 1, 1, 2, 2]})
    >>> pooled = sa.Survey(r).overall().pooled
    >>> pooled
    <RateEstimate pooled: 66.7% [4.6%, 98.8%] (cluster_logit, 95%; 9 answers, 3 clusters)>
    >>> low, high = pooled.confidence_interval(0.8)
    >>> bool(low > pooled.ci_low)
    True
    """

    estimand: str
    ci_method: str
    estimate: float
    ci_low: float
    ci_high: float
    confidence_level: float
    alternative: str
    n_responses: int
    n_clusters: int
    df: float
    design_effect: float
    note: str
    kish_n_effective: float
    kish_design_effect: float
    se: float = np.nan
    #: ``level -> (low, high)``: the same interval at another level (not shown).
    interval_at: object = field(default=None, repr=False, compare=False)

    confidence_interval = Estimate.confidence_interval

    def to_frame(self) -> pd.DataFrame:
        """One row with the columns of :data:`OVERALL_COLUMNS`."""
        return pd.DataFrame([{c: getattr(self, c) for c in OVERALL_COLUMNS}], columns=OVERALL_COLUMNS)

    def __repr__(self) -> str:
        return shorten(f"<RateEstimate {self.estimand}: {percent(self.estimate)} "
                       f"{percent_interval(self.ci_low, self.ci_high)} ({self.ci_method}, "
                       f"{percent(self.confidence_level, 0)}; {self.n_responses:,} answers, "
                       f"{self.n_clusters:,} {'items' if self.estimand == 'mean_of_items' else 'clusters'})>")

    def _repr_html_(self) -> str:
        return _estimates_html([self], "")


#: Columns of :meth:`OverallRate.to_frame` (one row per estimate).
OVERALL_COLUMNS = ["estimand", "ci_method", "estimate", "se", "ci_low", "ci_high", "confidence_level",
                   "alternative", "n_responses", "n_clusters", "df", "design_effect", "note",
                   "kish_n_effective", "kish_design_effect"]


def _estimates_html(estimates, caption: str) -> str:
    rows = [(e.estimand, e.ci_method, percent(e.estimate), percent_interval(e.ci_low, e.ci_high),
             f"{e.se:.4f}" if np.isfinite(e.se) else "-", f"{e.n_responses:,}", e.note)
            for e in estimates]
    return html_table(rows, ["estimand", "interval", "estimate",
                             f"{percent(estimates[0].confidence_level, 0)} CI", "se", "answers",
                             "note"], caption)


@dataclass(frozen=True)
class OverallRate(HeadlineEstimate):
    """Overall satisfaction: the pooled rate (design-based and naive) and the mean of items.

    Attributes
    ----------
    pooled : RateEstimate
        Satisfied answers over all answers; design-based interval with the survey's
        clusters (items by default) and strata.
    naive : RateEstimate
        The same estimate with the interval that treats every answer as independent
        (Wilson), for contrast.
    mean_of_items : RateEstimate
        The mean of the item rates (each item counts once); t interval over items.
    definition : Definition
        Who counted as satisfied.
    design : str
        The design in one sentence.
    estimate, se, df, ci_low, ci_high : float
        Those of :attr:`pooled`, the headline.

    Examples
    --------
    >>> import pandas as pd, survey_analysis as sa
    >>> r = pd.DataFrame({"item_id": list("AAABBBCCC"), "scale": "yes_no",
    ...                   "rank": [1, 1, 2, 1, 1, 1, 1, 2, 2]})
    >>> result = sa.Survey(r).overall()
    >>> round(result.estimate, 4), round(result.se, 4), result.df
    (0.6667, 0.1925, 2)
    >>> result.to_frame()["estimand"].tolist()
    ['pooled', 'pooled', 'mean_of_items']
    """

    pooled: RateEstimate
    naive: RateEstimate
    mean_of_items: RateEstimate
    definition: object = None
    design: str = ""

    def headline_estimate(self) -> RateEstimate:
        """The pooled rate (design-based interval)."""
        return self.pooled

    def to_frame(self) -> pd.DataFrame:
        """Three rows (pooled, naive, mean of items) with the columns of :data:`OVERALL_COLUMNS`."""
        out = pd.concat([e.to_frame() for e in (self.pooled, self.naive, self.mean_of_items)],
                        ignore_index=True)
        out.attrs["definition"] = self.definition
        return out

    def __repr__(self) -> str:
        p, m = self.pooled, self.mean_of_items
        deff = f", design effect {p.design_effect:.2f}" if np.isfinite(p.design_effect) else ""
        return shorten(f"<OverallRate: pooled {percent(p.estimate)} {percent_interval(p.ci_low, p.ci_high)} "
                       f"({p.ci_method}{deff}); naive {percent_interval(self.naive.ci_low, self.naive.ci_high)}; "
                       f"mean of items {percent(m.estimate)} {percent_interval(m.ci_low, m.ci_high)}; "
                       f"{percent(p.confidence_level, 0)} intervals, {p.n_responses:,} answers>")

    def _repr_html_(self) -> str:
        return _estimates_html([self.pooled, self.naive, self.mean_of_items], self.design)


def _lonely_note(design, lonely: int, strata: int) -> str:
    """The lonely-cluster rule in force, when a stratum has a single sampling unit."""
    if not lonely:
        return ""
    return Note("estimate.rates.lonely", lonely=lonely, strata=strata, rule=design.lonely_cluster)


def pooled_variance(design, estimate: float, values=None):
    """Design variance of the pooled ratio ``sum w y / sum w`` (``y`` a 0/1 satisfied flag, or
    ``values(table)`` per cell) under ``design``: a
    :class:`~survey_analysis.design.covariance.LinearizedCovariance` (1 x 1)."""
    total = float(design.counts([])["weight_sum"].sum())

    def coefficient(table):
        y = design.satisfied_flags(table).astype(float) if values is None else values(table)
        return (y - estimate) / total

    return design.linearized_covariance(coefficient)


def _items_as_note(design) -> str:
    return Note("estimate.rates.items_as_strata") if design.items_as == "strata" else ""


def overall(design, method: str = "logit", confidence_level: float = 0.95,
            alternative: str = "two-sided") -> OverallRate:
    """:class:`OverallRate` of a built design: the one implementation behind
    ``sa.overall_rate``, ``Survey.overall``, the analysis and the verdicts on claims (see
    :func:`overall_rate` for the statistics).

    For a table of rounded percentages (``Survey.from_counts(..., percent=...)``) each
    interval runs from its lower bound with every count at its smallest consistent
    value to its upper bound with every count at its largest."""
    check_choice("method", method, CLUSTER_CI_METHODS)
    tail_probability(confidence_level, alternative)  # validates both
    point = _overall_point(design, method, float(confidence_level), alternative)
    if design.count_range is None:
        return point
    low = _overall_point(design.at_count_bound("min"), method, float(confidence_level), alternative)
    high = _overall_point(design.at_count_bound("max"), method, float(confidence_level), alternative)

    def widened(name):
        estimate, fewest, most = getattr(point, name), getattr(low, name), getattr(high, name)
        return replace(estimate, ci_low=fewest.ci_low, ci_high=most.ci_high,
                       note=join_notes(estimate.note, Note("estimate.rates.count_range")),
                       interval_at=lambda at: (fewest.interval_at(at)[0], most.interval_at(at)[1]))
    return replace(point, pooled=widened("pooled"), naive=widened("naive"),
                   mean_of_items=widened("mean_of_items"))


def _overall_point(design, method: str, level: float, alternative: str) -> OverallRate:
    totals = design.counts([])
    n_rows = int(totals["n"].sum())
    total_weight = float(totals["weight_sum"].sum())
    estimate = (float(totals["satisfied_weight"].sum() / total_weight) if total_weight > 0
                else np.nan)
    if total_weight > 0:
        result = pooled_variance(design, estimate)
        variance, df = float(result.covariance[0, 0]), result.df
        lonely_note = _lonely_note(design, result.lonely, result.strata)
    else:
        variance, df, lonely_note = np.nan, 0, ""
    n_clusters = design.n_clusters()
    # R svymean(deff = "replace"): the SRS variance p (1 - p) / (n - 1) counts only the
    # answers with a positive weight (svyvar's n).
    n_positive = float(design.positive_rows().sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        srs_variance = estimate * (1.0 - estimate) / (n_positive - 1)
        # No design variance (one cluster, or every cluster alike): no design effect to show.
        deff = variance / srs_variance if srs_variance > 0 and variance > 0 else np.nan
        naive_se = np.sqrt(estimate * (1.0 - estimate) / n_rows) if n_rows > 0 else np.nan
    low, high, note = (cluster_proportion_ci(estimate, variance, n_rows, df, method, level,
                                             alternative)
                       if n_rows > 0 else (np.nan, np.nan, Note("estimate.no_responses")))

    def naive_interval(at):
        if n_rows == 0:
            return np.nan, np.nan
        return tuple(binomial_ci(estimate * n_rows, n_rows, method="wilson", confidence_level=at,
                                 alternative=alternative))

    def design_interval(at):
        return cluster_proportion_ci(estimate, variance, n_rows, df, method, at, alternative)[:2] \
            if n_rows > 0 else (np.nan, np.nan)

    items = design.counts([design.item])
    item_rate = (items["satisfied_weight"] / items["weight_sum"]).to_numpy(dtype=float)
    n_items = len(item_rate)
    mean_items = float(item_rate.mean()) if n_items else np.nan
    mean_low, mean_high, mean_note = items_mean_interval(item_rate, level, alternative)
    mean_se = float(item_rate.std(ddof=1) / np.sqrt(n_items)) if n_items > 1 else np.nan

    def mean_interval(at):
        return items_mean_interval(item_rate, at, alternative)[:2]

    kish_effective, kish_deff = design.kish()
    common = dict(confidence_level=level, alternative=alternative, n_responses=n_rows,
                  kish_n_effective=kish_effective, kish_design_effect=kish_deff)
    srs_low, srs_high = naive_interval(level)
    # The sampling units of the interval: clusters, items as strata, or answers (no clusters).
    prefix = ("answers" if not design.cluster else
              "cluster" if design.items_as == "clusters" else "strata")
    # Fewer than FEW_DF design degrees of freedom: the interval and the design effect rest on
    # a handful of clusters and are themselves uncertain; said beside them.
    few = (Note("estimate.rates.few_clusters", clusters=int(n_clusters), df=int(df), few=FEW_DF)
           if design.cluster and 1 <= df < FEW_DF else "")
    few_items = (Note("estimate.rates.items_few", items=n_items, few=FEW_DF) if 2 <= n_items <= FEW_DF else "")
    return OverallRate(
        pooled=RateEstimate("pooled", f"{prefix}_{method}", estimate, low, high,
                            n_clusters=n_clusters, df=df, design_effect=deff,
                            note=join_notes(_items_as_note(design), note, lonely_note, few),
                            se=float(np.sqrt(variance)) if np.isfinite(variance) else np.nan,
                            interval_at=design_interval, **common),
        naive=RateEstimate("pooled", "srs_wilson", estimate, srs_low, srs_high,
                           n_clusters=n_clusters, df=n_rows - 1, design_effect=1.0,
                           note=Note("estimate.rates.naive_clusters"
                                     if design.items_as == "clusters"
                                     else "estimate.rates.naive_answers"),
                           se=float(naive_se), interval_at=naive_interval, **common),
        mean_of_items=RateEstimate("mean_of_items", "t", mean_items, mean_low, mean_high,
                                   n_clusters=n_items, df=n_items - 1, design_effect=np.nan,
                                   note=join_notes(mean_note, few_items), se=mean_se, interval_at=mean_interval,
                                   **common),
        definition=design.definition, design=design.describe())


def overall_rate(
    responses,
    cluster=None,
    strata: str | None = None,
    weight=None,
    satisfied=None,
    method: str = "logit",
    confidence_level: float = 0.95,
    alternative: str = "two-sided",
    engine: str | None = None,
    rating: str | None = None,
    lonely_cluster: str | None = None,
    duplicates: str | None = None,
    items_as: str | None = None,
    fpc: str | None = None,
) -> OverallRate:
    """Overall satisfaction: the pooled rate and the mean of item rates, with intervals.

    Parameters
    ----------
    responses : pandas.DataFrame, Survey, path, list of paths, folder or Dask DataFrame
        Tidy responses, a :class:`~survey_analysis.Survey`, or long-format files / a
        Dask DataFrame (as in :func:`item_rates`; name the ``weight`` column
        explicitly for those).
    cluster : str or list of str, default "item_id"
        Cluster column(s): responses about one item share that item's circumstances.
        ``["item_id", "社区"]`` makes each item x community a cluster (an item surveyed
        in several communities, with communities as strata).
    strata : str, optional
        Stratum column (e.g. community); clusters are nested in strata (the error
        proposes ``cluster=[item, stratum]`` when they are not).
    weight : str, None or False
        Respondent weight column; ``None`` uses ``"weight"`` when present.
    satisfied : None, str, collection of str or dict
        Who counts as satisfied; default each scale's convention.
    method : {"logit", "beta", "mean"}, default "logit"
        Design-based interval for the pooled rate; see :func:`cluster_proportion_ci`
        (``"mean"``: R ``svyciprop(method = "mean")``, the symmetric t interval).
    confidence_level : float, default 0.95
    alternative : {"two-sided", "greater", "less"}
        ``"greater"`` gives one-sided lower bounds (is the rate over a threshold?).
    engine : {"auto", "pandas", "duckdb", "dask"}
    rating : str, default "rating"
    lonely_cluster : {"fail", "remove", "certainty", "adjust", "average"}, default "fail"
        A stratum with a single cluster: stop with an error naming it (default, as R),
        or treat it as R's ``survey.lonely.psu`` option of that name does (see
        :class:`~survey_analysis.Survey`); the rule is written in the pooled row's
        ``note`` when it applies.
    duplicates : {"error", "keep_first"}, default "error"
        Files and Dask input: repeated answers of one respondent to one item (as in
        :func:`item_rates`).
    items_as : {"clusters", "strata"}, default "clusters"
        The items as a sample of clusters or as the strata of a census.
    fpc : str, optional
        Finite population correction column (population size or sampling fraction per
        stratum; see :class:`~survey_analysis.Survey`).

    Returns
    -------
    OverallRate
        ``.pooled`` (``cluster_<method>``: design-based interval, items as clusters),
        ``.naive`` (``srs_wilson``: the interval that treats every response as
        independent, shown for contrast; too narrow when items differ) and
        ``.mean_of_items`` (``t``: mean of item rates, t interval over items, df =
        items - 1, clipped to [0, 1]); ``.estimate``, ``.se``, ``.df``, ``.ci_low``,
        ``.ci_high`` are the pooled rate's and ``.confidence_interval(level)`` gives
        another level. ``.to_frame()`` gives the three rows with the columns of
        :data:`OVERALL_COLUMNS` (``estimand``, ``ci_method``, ``estimate``, ``se``,
        ``ci_low``, ``ci_high``, ``confidence_level``, ``alternative``,
        ``n_responses``, ``n_clusters``, ``df``, ``design_effect``, ``note``,
        ``kish_n_effective``, ``kish_design_effect``). ``Survey.overall`` is this
        function.

    Notes
    -----
    The pooled estimate is ``p = sum(w y) / sum(w)``. Its variance treats items as
    primary sampling units drawn with replacement (Taylor linearization):
    ``v = sum_h n_h/(n_h-1) sum_c (z_c - mean_h z)^2`` with ``z_c = (K_c - p W_c)/W``,
    where ``K_c`` and ``W_c`` are the satisfied and total weight of cluster ``c``
    (:meth:`~survey_analysis.design.design.Design.linearized_covariance`).
    ``design_effect`` is ``v`` over the with-replacement simple-random-sampling
    variance ``p (1 - p) / (n - 1)`` (R: ``svymean(..., deff = "replace")``).
    Values match R ``survey`` 4.1.1 (see ``tests/R/reference_svyciprop.R``).
    ``kish_design_effect`` is the part of the design effect due to unequal weights
    alone, ``1 + CV(w)^2`` (Kish 1965), and ``kish_n_effective = n / deff``; both
    are 1 and ``n`` without weights. Weights are treated as fixed design weights:
    after post-stratification or raking, use
    :meth:`survey_analysis.estimate.weights.WeightingResult.mean` for a standard
    error that accounts for the calibration (it is smaller).

    References
    ----------
    .. [1] Korn, E. L., Graubard, B. I. (1998). Confidence intervals for proportions
       with small expected number of positive counts estimated from survey data.
       Survey Methodology 24, 193-201.
    .. [2] Lumley, T. (2004). Analysis of complex survey samples. J. Stat. Softw.
       9(8); R package ``survey``, function ``svyciprop``.

    Examples
    --------
    >>> import pandas as pd
    >>> ratings = ["满意"] * 18 + ["不满意"] * 2 + ["满意"] * 9 + ["基本满意"]
    >>> r = pd.DataFrame({"item_id": ["A"] * 20 + ["B"] * 10, "rating": ratings, "scale": "cn3",
    ...                   "rank": [1] * 18 + [3] * 2 + [1] * 9 + [2]})
    >>> overall_rate(r).to_frame()[["estimand", "ci_method", "estimate"]].round(4)
            estimand      ci_method  estimate
    0         pooled  cluster_logit    0.9333
    1         pooled     srs_wilson    0.9333
    2  mean_of_items              t    0.9500
    """
    design = as_design(responses, cluster=cluster, strata=strata, weight=weight,
                       satisfied=satisfied, engine=engine, rating=rating,
                       lonely_cluster=lonely_cluster, duplicates=duplicates, items_as=items_as,
                       fpc=fpc)
    return overall(design, method=method, confidence_level=confidence_level,
                   alternative=alternative)



def items_mean_interval(values: np.ndarray, confidence_level: float, alternative: str = "two-sided"):
    """t interval for the mean of per-item values (rates or scores in [0, 1]), clipped to [0, 1].

    Returns ``(low, high, note)``; nan bounds with fewer than two items.
    """
    m = len(values)
    tail = tail_probability(confidence_level, alternative)
    if m < 2:
        return np.nan, np.nan, Note("estimate.rates.few_items")
    mean = values.mean()
    half = t_quantile(m - 1, tail) * values.std(ddof=1) / np.sqrt(m)
    low = 0.0 if alternative == "less" else max(0.0, mean - half)
    high = 1.0 if alternative == "greater" else min(1.0, mean + half)
    return float(low), float(high), Note("estimate.rates.mean_of_items")
