"""Satisfaction rates per item and overall, with their confidence intervals.

Two estimands of "overall satisfaction" (see DESIGN.md):

* **pooled** -- satisfied responses / all valid responses. Responses about the same
  item are not independent, so the design-based interval treats items as clusters
  (as R ``survey::svyciprop`` with ``svydesign(ids=~item_id)``), df = clusters - 1.
* **mean of items** -- the average of the item rates; each item counts once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from .._validation import check_choice, tail_probability
from ..design.counts import resolve_weight, satisfaction_counts
from ..design.engines import is_tidy_responses
from .intervals import binomial_ci

__all__ = ["item_rates", "overall_rate", "items_at_100", "cluster_proportion_ci",
           "linearized_ratio_variance", "items_mean_interval", "CLUSTER_CI_METHODS"]

CLUSTER_CI_METHODS = ("logit", "beta")


def item_rates(
    responses: pd.DataFrame,
    item="item_id",
    satisfied="top_two_box",
    method: str = "wilson",
    confidence_level: float = 0.95,
    alternative: str = "two-sided",
    engine: str = "auto",
    rating: str = "rating",
) -> pd.DataFrame:
    """Satisfaction rate of every item with its confidence interval.

    Parameters
    ----------
    responses : pandas.DataFrame, path, list of paths, folder or Dask DataFrame
        Tidy responses from :func:`~survey_analysis.load_responses`, or long-format
        Parquet/CSV file(s) or a Dask DataFrame counted by an engine without loading
        the rows into pandas (see :mod:`survey_analysis.design.engines`).
    item : str or list of str, default "item_id"
        Column(s) identifying an item (or any other group).
    satisfied : {"top_two_box", "top_box"} or collection of str
        Who counts as satisfied; default 满意 + 基本满意 (see :mod:`.scales`).
    method : str, default "wilson"
        Interval method of :func:`~survey_analysis.binomial_ci`.
    confidence_level : float, default 0.95
    alternative : {"two-sided", "greater", "less"}
    engine : {"auto", "pandas", "duckdb", "dask"}
        Counting engine for files and Dask input; ``"auto"`` uses DuckDB for files.
    rating : str, default "rating"
        Answer column of a file or Dask DataFrame.

    Returns
    -------
    pandas.DataFrame
        One row per item, sorted by item: the ``item`` column(s), ``n`` (valid
        responses), ``satisfied``, ``rate``, ``ci_low``, ``ci_high``, ``method``,
        ``confidence_level``. Respondent weights are not used here: the interval is
        for the item's respondents as a simple random sample. For file or Dask
        input, ``.attrs["load_report"]`` holds the counts ledger.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"item_id": ["A"] * 4 + ["B"] * 2,
    ...                   "rating": ["满意", "满意", "基本满意", "不满意", "满意", "满意"],
    ...                   "scale": 3, "rank": [1, 1, 2, 3, 1, 1]})
    >>> item_rates(r)[["item_id", "n", "satisfied", "rate"]]
      item_id  n  satisfied  rate
    0       A  4          3  0.75
    1       B  2          2  1.00
    """
    counts = satisfaction_counts(responses, by=item, satisfied=satisfied, weight=False,
                                 engine=engine, rating=rating)
    low, high = binomial_ci(counts["satisfied"].to_numpy(), counts["n"].to_numpy(), method=method,
                            confidence_level=confidence_level, alternative=alternative)
    counts = counts.copy()
    counts["rate"] = counts["satisfied"] / counts["n"]
    counts["ci_low"], counts["ci_high"] = low, high
    counts["method"] = method
    counts["confidence_level"] = float(confidence_level)
    return counts


def items_at_100(rates: pd.DataFrame, confidence_level: float = 0.95) -> pd.DataFrame:
    """Items where every respondent was satisfied, with what that does and does not show.

    Parameters
    ----------
    rates : pandas.DataFrame
        Output of :func:`item_rates` (needs ``n`` and ``satisfied``).
    confidence_level : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        The 100% rows of ``rates`` (sorted by ``n``, then item), with the item
        column(s), ``n``, ``satisfied``, and ``lower_bound``: the one-sided exact
        (Clopper-Pearson) lower confidence bound ``(1 - confidence_level) ** (1 / n)``.

    Notes
    -----
    If all ``n`` respondents are satisfied, the data rule out true rates below
    ``alpha ** (1/n)`` at level ``1 - alpha`` and nothing more: 10 of 10 satisfied
    shows only that the rate is above 74.1% (95% confidence); ``n >= 59`` is needed
    before "100%" even shows "above 95%".

    Examples
    --------
    >>> import pandas as pd
    >>> rates = pd.DataFrame({"item_id": ["A", "B"], "n": [10, 30], "satisfied": [10, 29]})
    >>> items_at_100(rates).round(4).to_dict("records")
    [{'item_id': 'A', 'n': 10, 'satisfied': 10, 'lower_bound': 0.7411}]
    """
    tail = tail_probability(confidence_level, "greater")
    perfect = rates.loc[(rates["n"] > 0) & (rates["satisfied"] == rates["n"])]
    id_columns = [c for c in rates.columns if c not in
                  ("n", "satisfied", "rate", "ci_low", "ci_high", "method", "confidence_level")]
    out = perfect[id_columns + ["n", "satisfied"]].copy()
    out["lower_bound"] = tail ** (1.0 / out["n"].to_numpy(dtype=float))
    return out.sort_values(["n", *id_columns], kind="stable").reset_index(drop=True)


def _t_quantile(df, tail: float):
    """Upper ``tail`` quantile of Student's t with ``df`` degrees of freedom."""
    return special.stdtrit(np.asarray(df, dtype=float), 1.0 - tail)


def linearized_ratio_variance(cluster_totals: pd.DataFrame, estimate: float, total_weight: float,
                              strata: str | None) -> tuple[float, int, int]:
    """Linearized with-replacement variance of a ratio mean, clusters within strata.

    ``cluster_totals`` has one row per cluster with ``K`` (weighted total of the
    outcome: satisfied weight, or weighted score) and ``W`` (total weight), plus the
    ``strata`` column when given. Returns (variance, number of clusters, number of
    strata). Matches
    ``survey:::svyrecvar`` for a one-stage design without fpc:
    ``sum_h n_h/(n_h - 1) * sum_c (z_hc - mean_h z)^2`` with
    ``z_c = (K_c - p W_c) / W``.
    """
    z = (cluster_totals["K"] - estimate * cluster_totals["W"]) / total_weight
    group = cluster_totals[strata] if strata else pd.Series(0, index=cluster_totals.index)
    n_h = group.map(group.value_counts())
    centred = z - z.groupby(group).transform("mean")
    with np.errstate(divide="ignore", invalid="ignore"):
        contributions = np.where(n_h > 1, n_h / (n_h - 1) * centred**2, 0.0)
    return float(np.sum(contributions)), len(cluster_totals), int(group.nunique())


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
    method : {"logit", "beta"}
        * ``"logit"`` -- Wald interval on the logit scale with a t quantile:
          ``expit(logit(p) -/+ t_df * sqrt(v) / (p (1 - p)))``, as R
          ``survey::svyciprop(method = "logit")``.
        * ``"beta"`` -- Korn & Graubard (1998): Clopper-Pearson with the effective
          sample size ``p (1 - p) / v`` scaled by ``(t_{n-1} / t_df)^2``, as
          ``svyciprop(method = "beta")``.
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
        return np.nan, np.nan, "fewer than two clusters: no design-based interval"
    if variance <= 0 or estimate <= 0 or estimate >= 1:
        low, high = binomial_ci(estimate * n_rows, n_rows, method="clopper_pearson",
                                confidence_level=confidence_level, alternative=alternative)
        return low, high, ("zero design variance: exact interval with responses treated as "
                           "independent")
    if method == "logit":
        eta = np.log(estimate / (1.0 - estimate))
        half = _t_quantile(df, tail) * np.sqrt(variance) / (estimate * (1.0 - estimate))
        low, high = special.expit(eta - half), special.expit(eta + half)
    else:
        n_eff = estimate * (1.0 - estimate) / variance
        n_eff *= (_t_quantile(n_rows - 1, tail) / _t_quantile(df, tail)) ** 2
        low = special.betaincinv(n_eff * estimate, n_eff * (1.0 - estimate) + 1.0, tail)
        high = 1.0 - special.betaincinv(n_eff * (1.0 - estimate), n_eff * estimate + 1.0, tail)
    if alternative == "greater":
        high = 1.0
    elif alternative == "less":
        low = 0.0
    return float(low), float(high), ""


def overall_rate(
    responses: pd.DataFrame,
    cluster="item_id",
    strata: str | None = None,
    weight=None,
    satisfied="top_two_box",
    method: str = "logit",
    confidence_level: float = 0.95,
    alternative: str = "two-sided",
    engine: str = "auto",
    rating: str = "rating",
) -> pd.DataFrame:
    """Overall satisfaction: the pooled rate and the mean of item rates, with intervals.

    Parameters
    ----------
    responses : pandas.DataFrame, path, list of paths, folder or Dask DataFrame
        Tidy responses, or long-format files / a Dask DataFrame (as in
        :func:`item_rates`; name the ``weight`` column explicitly for those).
    cluster : str, default "item_id"
        Cluster column: responses about one item share that item's circumstances.
    strata : str, optional
        Stratum column (e.g. community); clusters are nested in strata.
    weight : str, None or False
        Respondent weight column; ``None`` uses ``"weight"`` when present.
    satisfied : {"top_two_box", "top_box"} or collection of str
    method : {"logit", "beta"}, default "logit"
        Design-based interval for the pooled rate; see :func:`cluster_proportion_ci`.
    confidence_level : float, default 0.95
    alternative : {"two-sided", "greater", "less"}
        ``"greater"`` gives one-sided lower bounds (is the rate over a threshold?).
    engine : {"auto", "pandas", "duckdb", "dask"}
    rating : str, default "rating"

    Returns
    -------
    pandas.DataFrame
        Three rows, columns ``estimand`` (``pooled`` / ``mean_of_items``),
        ``ci_method``, ``estimate``, ``ci_low``, ``ci_high``, ``confidence_level``,
        ``alternative``, ``n_responses``, ``n_clusters``, ``df``, ``design_effect``,
        ``note``, ``kish_n_effective``, ``kish_design_effect``:

        1. pooled, ``cluster_<method>``: design-based interval, items as clusters;
        2. pooled, ``srs_wilson``: the naive interval that treats every response as
           independent (shown for contrast; too narrow when items differ);
        3. mean_of_items, ``t``: mean of item rates, t interval over items (df =
           items - 1), clipped to [0, 1].

    Notes
    -----
    The pooled estimate is ``p = sum(w y) / sum(w)``. Its variance treats items as
    primary sampling units drawn with replacement (Taylor linearization):
    ``v = sum_h n_h/(n_h-1) sum_c (z_c - mean_h z)^2`` with ``z_c = (K_c - p W_c)/W``,
    where ``K_c`` and ``W_c`` are the satisfied and total weight of cluster ``c``.
    ``design_effect`` is ``v`` over the with-replacement simple-random-sampling
    variance ``p (1 - p) / (n - 1)`` (R: ``svymean(..., deff = "replace")``).
    Values match R ``survey`` 4.1.1 (see ``tests/R/reference_svyciprop.R``).
    ``kish_design_effect`` is the part of the design effect due to unequal weights
    alone, ``1 + CV(w)^2`` (Kish 1965), and ``kish_n_effective = n / deff``; both
    are 1 and ``n`` without weights. Weights are treated as fixed design weights:
    after post-stratification or raking, use
    :meth:`survey_analysis.estimate.weights.WeightingResult.mean` for a standard error
    that accounts for the calibration (it is smaller).

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
    >>> r = pd.DataFrame({"item_id": ["A"] * 20 + ["B"] * 10, "rating": ratings, "scale": 3,
    ...                   "rank": [1] * 18 + [3] * 2 + [1] * 9 + [2]})
    >>> overall_rate(r)[["estimand", "ci_method", "estimate"]].round(4)
            estimand      ci_method  estimate
    0         pooled  cluster_logit    0.9333
    1         pooled     srs_wilson    0.9333
    2  mean_of_items              t    0.9500
    """
    check_choice("method", method, CLUSTER_CI_METHODS)
    tail_probability(confidence_level, alternative)  # validates both
    tidy = is_tidy_responses(responses)
    weight_column = resolve_weight(responses, weight) if tidy else (weight or None)
    by = [cluster] + ([strata] if strata else [])
    counts = satisfaction_counts(responses, by=by, satisfied=satisfied, weight=weight_column,
                                 engine=engine, rating=rating)
    if strata and counts[cluster].duplicated().any():
        raise ValueError(f"clusters must be nested in strata: some {cluster!r} values appear "
                         f"in more than one {strata!r}")
    if weight_column is None:
        counts["K"], counts["W"] = counts["satisfied"].astype(float), counts["n"].astype(float)
    else:
        counts["K"], counts["W"] = counts["satisfied_weight"], counts["weight_sum"]
    n_rows = int(counts["n"].sum())
    if weight_column is None:
        kish_n, kish_deff = float(n_rows), 1.0
    else:  # Kish (1965): n_eff = (sum w)^2 / sum w^2, deff = n / n_eff
        kish_n = float(counts["weight_sum"].sum() ** 2 / counts["weight_sq_sum"].sum())
        kish_deff = n_rows / kish_n
    total_weight = float(counts["W"].sum())
    estimate = float(counts["K"].sum() / total_weight) if total_weight > 0 else np.nan

    variance, n_clusters, n_strata = linearized_ratio_variance(counts, estimate, total_weight, strata)
    df = n_clusters - n_strata
    with np.errstate(divide="ignore", invalid="ignore"):
        srs_variance = estimate * (1.0 - estimate) / (n_rows - 1)
        deff = variance / srs_variance if srs_variance > 0 else np.nan
    low, high, note = (cluster_proportion_ci(estimate, variance, n_rows, df, method,
                                             confidence_level, alternative)
                       if n_rows > 0 else (np.nan, np.nan, "no responses"))

    srs_low, srs_high = binomial_ci(estimate * n_rows, n_rows, method="wilson",
                                    confidence_level=confidence_level, alternative=alternative)

    item_rate = counts["K"] / counts["W"]
    mean_items = float(item_rate.mean()) if n_clusters else np.nan
    mean_low, mean_high, mean_note = items_mean_interval(item_rate.to_numpy(), confidence_level,
                                                        alternative)

    rows = [
        ("pooled", f"cluster_{method}", estimate, low, high, n_rows, n_clusters, df, deff, note),
        ("pooled", "srs_wilson", estimate, srs_low, srs_high, n_rows, n_clusters, n_rows - 1, 1.0,
         "treats responses as independent; too narrow when items differ"),
        ("mean_of_items", "t", mean_items, mean_low, mean_high, n_rows, n_clusters,
         n_clusters - 1, np.nan, mean_note),
    ]
    out = pd.DataFrame(rows, columns=["estimand", "ci_method", "estimate", "ci_low", "ci_high",
                                      "n_responses", "n_clusters", "df", "design_effect", "note"])
    out["kish_n_effective"] = kish_n
    out["kish_design_effect"] = kish_deff
    out.insert(5, "confidence_level", float(confidence_level))
    out.insert(6, "alternative", alternative)
    return out


def items_mean_interval(values: np.ndarray, confidence_level: float, alternative: str = "two-sided"):
    """t interval for the mean of per-item values (rates or scores in [0, 1]), clipped to [0, 1].

    Returns ``(low, high, note)``; nan bounds with fewer than two items.
    """
    m = len(values)
    if m < 2:
        return np.nan, np.nan, "fewer than two items: no interval"
    tail = tail_probability(confidence_level, alternative)
    mean = values.mean()
    half = _t_quantile(m - 1, tail) * values.std(ddof=1) / np.sqrt(m)
    low = 0.0 if alternative == "less" else max(0.0, mean - half)
    high = 1.0 if alternative == "greater" else min(1.0, mean + half)
    return float(low), float(high), "each item counts once; t interval over items"
