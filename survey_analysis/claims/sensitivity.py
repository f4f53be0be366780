"""How much the headline depends on the definition of "satisfied".

The published 满意率 counts 满意 + 基本满意 (top-two-box). The same answers give a
lower headline under top-box (满意 only) and a different one again as a score index
(each answer mapped to a score and averaged). :func:`definition_sensitivity` puts the
three side by side, each as a pooled rate (items as clusters, as
:func:`~survey_analysis.overall_rate`) and as the mean of item rates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from .._validation import check_choice, check_confidence_level
from ..design.counts import resolve_weight
from ..estimate.rates import (
    CLUSTER_CI_METHODS,
    items_mean_interval,
    linearized_ratio_variance,
    overall_rate,
)
from ..load.scales import SCALE_LEVELS

__all__ = ["DEFAULT_SCORES", "DEFINITIONS", "definition_sensitivity", "score_index"]

#: Score (0-100) of each canonical label, per scale. 基本满意 sits halfway on the 3-level
#: scale; the 5 levels are equally spaced. Pass ``scores=`` to use another mapping.
DEFAULT_SCORES: dict[int, dict[str, float]] = {
    3: {"满意": 100.0, "基本满意": 50.0, "不满意": 0.0},
    5: {"非常满意": 100.0, "满意": 75.0, "一般": 50.0, "不满意": 25.0, "非常不满意": 0.0},
    2: {"是": 100.0, "否": 0.0},
}

#: Definitions compared by :func:`definition_sensitivity`, the default first.
DEFINITIONS = ("top_two_box", "top_box", "score_index")


def _score_lookup(scores) -> pd.Series:
    """Score (0-1) indexed by (scale, rank), from a nested or flat label -> score mapping."""
    if scores is None:
        scores = DEFAULT_SCORES
    nested = all(isinstance(v, dict) for v in scores.values())
    rows = []
    for scale, levels in SCALE_LEVELS.items():
        mapping = scores.get(scale, {}) if nested else scores
        for rank, label in enumerate(levels, start=1):
            if label in mapping:
                value = float(mapping[label])
                if not 0.0 <= value <= 100.0:
                    raise ValueError(f"scores must be between 0 and 100, got {label!r}: {value}")
                rows.append((scale, rank, value / 100.0))
    if not nested:
        unknown = set(scores) - {label for levels in SCALE_LEVELS.values() for label in levels}
        if unknown:
            raise ValueError(f"scores has labels that are on no scale: {sorted(unknown)}")
    index = pd.MultiIndex.from_tuples([(s, r) for s, r, _ in rows], names=["scale", "rank"])
    return pd.Series([v for *_, v in rows], index=index, dtype=float)


def _response_scores(responses: pd.DataFrame, scores) -> np.ndarray:
    lookup = _score_lookup(scores)
    keys = pd.MultiIndex.from_arrays([responses["scale"].astype(int).to_numpy(),
                                      responses["rank"].astype(int).to_numpy()])
    values = lookup.reindex(keys).to_numpy()
    missing = np.isnan(values)
    if missing.any():
        bad = responses.loc[missing, ["scale", "rating"]].drop_duplicates().head(5)
        raise ValueError("no score for " + ", ".join(
            f"{r.rating!r} on the {r.scale}-level scale" for r in bad.itertuples())
            + "; pass scores={scale: {label: score}}")
    return values


def _check_columns(responses: pd.DataFrame, names) -> None:
    missing = [c for c in ["scale", "rank", *names] if c not in responses.columns]
    if missing:
        raise ValueError(f"column(s) {missing} not found; columns are {list(responses.columns)}")


def _t_quantile(df, tail: float) -> float:
    return float(special.stdtrit(df, 1.0 - tail))


def _clustered_mean(y: np.ndarray, w: np.ndarray, cluster: pd.Series, stratum: pd.Series,
                    level: float):
    """Weighted mean of ``y`` with a linearized variance, clusters within strata.

    The same estimator as R ``survey::svymean`` on ``svydesign(ids=~cluster,
    strata=~stratum, weights=~w)`` (with-replacement, no fpc), with the t interval of
    ``confint(..., df = degf(design))``; the variance is the one of
    :func:`~survey_analysis.estimate.rates.linearized_ratio_variance`.
    """
    frame = pd.DataFrame({"c": cluster.to_numpy(), "h": stratum.to_numpy(), "K": w * y, "W": w})
    totals = frame.groupby(["h", "c"], sort=True, observed=True)[["K", "W"]].sum().reset_index()
    if totals["c"].duplicated().any():
        raise ValueError("clusters must be nested in strata: some clusters appear in more than "
                         "one stratum")
    total_weight = float(totals["W"].sum())
    if total_weight <= 0:
        return np.nan, np.nan, np.nan, 0, 0, "no responses"
    mean = float(totals["K"].sum() / total_weight)
    variance, n_clusters, n_strata = linearized_ratio_variance(totals, mean, total_weight, "h")
    df = n_clusters - n_strata
    if df < 1:
        return mean, np.nan, np.nan, n_clusters, df, "fewer than two clusters: no interval"
    half = _t_quantile(df, (1.0 - level) / 2.0) * np.sqrt(variance)
    note = "" if variance > 0 else "zero design variance: the interval has no width"
    return mean, max(0.0, mean - half), min(1.0, mean + half), n_clusters, df, note


def _item_mean_interval(values: np.ndarray, level: float):
    """Mean of item scores (0-1) with the t interval of :func:`~.rates.items_mean_interval`."""
    mean = float(values.mean()) if len(values) else np.nan
    low, high, note = items_mean_interval(values, level)
    return mean, low, high, note


def score_index(responses: pd.DataFrame, cluster="item_id", strata: str | None = None,
                weight=None, scores=None, confidence_level: float = 0.95) -> pd.DataFrame:
    """Mean satisfaction score (0-1) with a design-based interval, items as clusters.

    Parameters
    ----------
    responses : pandas.DataFrame
        Tidy responses with ``scale`` and ``rank`` (and ``rating``) columns.
    cluster : str, default "item_id"
    strata : str, optional
    weight : str, None or False
        Respondent weight column; ``None`` uses ``"weight"`` when present.
    scores : dict, optional
        ``{scale: {label: score}}`` or a flat ``{label: score}`` applied to every scale,
        scores on 0-100. Default :data:`DEFAULT_SCORES`: 3-level 满意 = 100,
        基本满意 = 50, 不满意 = 0; 5-level 100 / 75 / 50 / 25 / 0; yes / no 100 / 0.
    confidence_level : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        Two rows, ``estimand`` ``pooled`` (the mean score over all responses; interval
        ``cluster_t``) and ``mean_of_items`` (mean of item mean scores; ``t`` over
        items), with ``estimate``, ``ci_low``, ``ci_high`` on the 0-1 scale (multiply
        by 100 for the usual 0-100 index), ``ci_method``, ``n_responses``,
        ``n_clusters``, ``df``, ``note``.

    Notes
    -----
    With item totals ``Y_c = sum w s`` and ``W_c = sum w``, the pooled index is
    ``m = sum Y_c / sum W_c`` and its linearized variance is
    ``v = sum_h n_h/(n_h - 1) sum_c (z_c - mean_h z)^2``, ``z_c = (Y_c - m W_c) / W``;
    the interval is ``m -/+ t_{df} sqrt(v)`` with df = clusters - strata, clipped to
    [0, 1] -- R ``survey::svymean`` with ``confint(df = degf(design))``
    (``tests/R/reference_sensitivity.R``).

    References
    ----------
    .. [1] Lumley, T. (2004). Analysis of complex survey samples. J. Stat. Softw. 9(8).
    .. [2] Woodruff, R. S. (1971). A simple method for approximating the variance of a
       complicated estimate. JASA 66, 411-414.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"item_id": list("AAABBB"), "scale": 3,
    ...                   "rating": ["满意", "基本满意", "不满意", "满意", "满意", "基本满意"],
    ...                   "rank": [1, 2, 3, 1, 1, 2]})
    >>> score_index(r)[["estimand", "estimate"]].round(4)     # (150 + 250) / 6 / 100
            estimand  estimate
    0         pooled    0.6667
    1  mean_of_items    0.6667
    """
    level = check_confidence_level(confidence_level)
    weight_column = resolve_weight(responses, weight)
    _check_columns(responses, [cluster] + ([strata] if strata else []))
    y = _response_scores(responses, scores)
    w = (np.ones(len(responses)) if weight_column is None
         else responses[weight_column].to_numpy(dtype=float))
    stratum = responses[strata] if strata else pd.Series(0, index=responses.index)
    mean, low, high, n_clusters, df, note = _clustered_mean(y, w, responses[cluster], stratum,
                                                            level)

    per_item = pd.DataFrame({"c": responses[cluster].to_numpy(), "Y": w * y, "W": w}) \
        .groupby("c", sort=True, observed=True)[["Y", "W"]].sum()
    item_scores = (per_item["Y"] / per_item["W"]).to_numpy()
    item_mean, item_low, item_high, item_note = _item_mean_interval(item_scores, level)
    rows = [
        ("pooled", "cluster_t", mean, low, high, len(responses), n_clusters, df, note),
        ("mean_of_items", "t", item_mean, item_low, item_high, len(responses), len(item_scores),
         len(item_scores) - 1, item_note),
    ]
    return pd.DataFrame(rows, columns=["estimand", "ci_method", "estimate", "ci_low", "ci_high",
                                       "n_responses", "n_clusters", "df", "note"])


def definition_sensitivity(responses: pd.DataFrame, confidence_level: float = 0.95,
                           cluster="item_id", strata: str | None = None, weight=None,
                           method: str = "logit", scores=None) -> pd.DataFrame:
    """The overall headline under three definitions of "satisfied", with intervals.

    Parameters
    ----------
    responses : pandas.DataFrame
        Tidy responses from :func:`~survey_analysis.load_responses`.
    confidence_level : float, default 0.95
    cluster : str, default "item_id"
        Cluster column for the design-based intervals (items as clusters).
    strata : str, optional
        Stratum column; clusters nested in strata.
    weight : str, None or False
        Respondent weight column; ``None`` uses ``"weight"`` when present.
    method : {"logit", "beta"}, default "logit"
        Interval for the pooled top-box / top-two-box rates; see
        :func:`~survey_analysis.estimate.rates.cluster_proportion_ci`.
    scores : dict, optional
        Scores for the score index; see :func:`score_index`.

    Returns
    -------
    pandas.DataFrame
        Six rows: ``definition`` (``top_two_box`` -- the default 满意 + 基本满意;
        ``top_box`` -- 满意 only, 非常满意 only on 5 levels; ``score_index`` -- mean
        score / 100) by ``estimand`` (``pooled`` / ``mean_of_items``), with
        ``estimate``, ``ci_low``, ``ci_high`` (all on 0-1), ``ci_method``,
        ``confidence_level``, ``n_responses``, ``n_clusters``, ``df``,
        ``difference`` (estimate minus the top-two-box estimate of the same estimand)
        and ``note``.

    Notes
    -----
    Rates come from :func:`~survey_analysis.overall_rate` (pooled: design-based
    interval with items as clusters, ``cluster_<method>``; mean of items: ``t``);
    the score index from :func:`score_index` (``cluster_t`` / ``t``). On the same
    answers, ``top_box <= score_index <= top_two_box`` for the default 3-level
    scores, because 基本满意 scores 1 in top-two-box, 0.5 in the index and 0 in
    top-box.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"item_id": list("AAAABBBB"), "scale": 3,
    ...                   "rating": ["满意", "基本满意", "基本满意", "不满意",
    ...                              "满意", "满意", "满意", "基本满意"],
    ...                   "rank": [1, 2, 2, 3, 1, 1, 1, 2]})
    >>> t = definition_sensitivity(r)
    >>> t.loc[t["estimand"] == "pooled", ["definition", "estimate", "difference"]].round(4)
        definition  estimate  difference
    0  top_two_box    0.8750      0.0000
    2      top_box    0.5000     -0.3750
    4  score_index    0.6875     -0.1875
    """
    check_choice("method", method, CLUSTER_CI_METHODS)
    level = check_confidence_level(confidence_level)
    _check_columns(responses, [cluster] + ([strata] if strata else []))
    pieces = []
    for definition in ("top_two_box", "top_box"):
        rates = overall_rate(responses, cluster=cluster, strata=strata, weight=weight,
                             satisfied=definition, method=method, confidence_level=level)
        keep = rates["ci_method"].isin([f"cluster_{method}", "t"])
        part = rates.loc[keep, ["estimand", "ci_method", "estimate", "ci_low", "ci_high",
                                "n_responses", "n_clusters", "df", "note"]]
        pieces.append(part.assign(definition=definition))
    index = score_index(responses, cluster=cluster, strata=strata, weight=weight, scores=scores,
                        confidence_level=level)
    pieces.append(index.assign(definition="score_index"))
    out = pd.concat(pieces, ignore_index=True)
    default = out.loc[out["definition"] == "top_two_box"].set_index("estimand")["estimate"]
    out["difference"] = out["estimate"] - out["estimand"].map(default)
    out["confidence_level"] = level
    columns = ["definition", "estimand", "estimate", "ci_low", "ci_high", "ci_method",
               "confidence_level", "n_responses", "n_clusters", "df", "difference", "note"]
    return out[columns]
