"""The headline table: the article's figures next to what the data show.

Presentation only: every number comes from :mod:`.rates` and :mod:`.claims`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..claims.check import check_claims
from ..estimate.rates import item_rates, items_at_100, overall_rate

__all__ = ["headline_table", "format_headline"]


def headline_table(
    responses: pd.DataFrame,
    claims: pd.DataFrame | None = None,
    satisfied="top_two_box",
    method: str = "logit",
    confidence_level: float = 0.95,
) -> pd.DataFrame:
    """The headline figures with intervals and claim verdicts, labelled in Chinese and English.

    Parameters
    ----------
    responses : pandas.DataFrame
        Tidy responses from :func:`~survey_analysis.load_responses`.
    claims : pandas.DataFrame, optional
        Published claims; defaults to :func:`~survey_analysis.load_published_claims`.
    satisfied, method, confidence_level
        As in :func:`~survey_analysis.overall_rate`.

    Returns
    -------
    pandas.DataFrame
        Columns ``measure_zh``, ``measure_en``, ``estimate``, ``ci_low``, ``ci_high``
        (two-sided, ``confidence_level``), ``published`` (the article's figure, if
        any), ``verdict`` and ``verdict_zh`` (from :func:`~survey_analysis.check_claims`,
        one-sided bounds).

    Examples
    --------
    >>> import survey_analysis as sa
    >>> from survey_analysis.present.tables import headline_table
    >>> table = headline_table(sa.load_synthetic_responses())   # SYNTHETIC data
    >>> table["measure_en"].tolist()[:4]      # doctest: +NORMALIZE_WHITESPACE
    ['items with responses', 'valid responses', 'rows excluded (see load report)',
     'pooled satisfaction (items as clusters)']
    """
    from ..bundled.datasets import load_published_claims

    claims = load_published_claims() if claims is None else claims
    overall = overall_rate(responses, satisfied=satisfied, method=method,
                           confidence_level=confidence_level).set_index("ci_method")
    rates = item_rates(responses, satisfied=satisfied, confidence_level=confidence_level)
    perfect = items_at_100(rates, confidence_level=confidence_level)
    verdicts = check_claims(responses, claims, satisfied=satisfied, method=method,
                            confidence_level=confidence_level)
    by_claim = verdicts.set_index(["claim_id", "estimand"])
    published = claims.set_index("claim_id")

    def verdict(claim_id, estimand):
        if (claim_id, estimand) in by_claim.index:
            row = by_claim.loc[(claim_id, estimand)]
            return row["verdict"], row["verdict_zh"]
        return "", ""

    def quoted(claim_id, fallback=""):
        if claim_id not in published.index:
            return fallback
        row = published.loc[claim_id]
        if row["qualifier"] == "ten-plus":
            return f"十余 / ten-plus ({row['lower']:g}-{row['upper']:g})"
        qualifier = {"over": "> ", "plus": ">= "}.get(row["qualifier"], "")
        unit = "%" if row["unit"] == "percent" else ""
        return f"{qualifier}{row['value']:g}{unit}"

    cluster = overall.loc[f"cluster_{method}"]
    srs = overall.loc["srs_wilson"]
    mean_items = overall.loc["t"]
    report = responses.attrs.get("load_report")
    rows = [
        ("有回答的事项数", "items with responses", float(rates.shape[0]), np.nan, np.nan,
         quoted("items_completed"), "", ""),
        ("有效回答数", "valid responses", float(cluster["n_responses"]), np.nan, np.nan, "",
         "", ""),
        ("总体满意度（合并，事项为群）", "pooled satisfaction (items as clusters)",
         cluster["estimate"], cluster["ci_low"], cluster["ci_high"],
         quoted("overall_satisfaction_over_95"), *verdict("overall_satisfaction_over_95", "pooled")),
        ("总体满意度（朴素区间，忽略聚集）", "pooled satisfaction (naive interval, ignores clustering)",
         srs["estimate"], srs["ci_low"], srs["ci_high"], "", "", ""),
        ("事项满意度平均", "mean of item rates", mean_items["estimate"], mean_items["ci_low"],
         mean_items["ci_high"], quoted("overall_satisfaction_over_95"),
         *verdict("overall_satisfaction_over_95", "mean_of_items")),
        ("设计效应", "design effect", cluster["design_effect"], np.nan, np.nan, "", "", ""),
        ("满意度100%的事项数", "items at 100%", float(len(perfect)), np.nan, np.nan,
         quoted("items_at_100_ten_plus"), *verdict("items_at_100_ten_plus", "count_of_items_at_100")),
    ]
    if report is not None and report.rows_excluded:
        rows.insert(2, ("排除的行（见加载报告）", "rows excluded (see load report)",
                        float(report.rows_excluded), np.nan, np.nan, "", "", ""))
    return pd.DataFrame(rows, columns=["measure_zh", "measure_en", "estimate", "ci_low", "ci_high",
                                       "published", "verdict", "verdict_zh"])


def format_headline(table: pd.DataFrame, confidence_level: float = 0.95) -> str:
    """Plain-text rendering of :func:`headline_table` for a terminal."""
    lines = []
    for row in table.itertuples(index=False):
        if np.isnan(row.ci_low):
            value = f"{row.estimate:,.0f}" if row.estimate >= 10 or row.estimate == int(row.estimate) \
                else f"{row.estimate:.2f}"
        else:
            value = f"{row.estimate:.1%}  [{row.ci_low:.1%}, {row.ci_high:.1%}]"
        published = f"  article: {row.published}" if row.published else ""
        verdict = f"  -> {row.verdict} / {row.verdict_zh}" if row.verdict else ""
        lines.append(f"{row.measure_zh} / {row.measure_en}: {value}{published}{verdict}")
    lines.append(f"(intervals: two-sided {confidence_level:.0%}; verdicts use one-sided "
                 f"{confidence_level:.0%} bounds)")
    return "\n".join(lines)
