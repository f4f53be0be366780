"""Check published satisfaction claims against response data.

Claims are an input (:func:`~survey_analysis.load.claimset.read_claims`): an office's
own statements, or the bundled article's for the bundled data. Verdicts (English / 中文):

* ``supported`` (支持) -- the whole one-sided confidence interval lies inside what the
  claim asserts;
* ``consistent but not shown`` (不矛盾但未证实) -- the interval overlaps the claim but
  also values outside it;
* ``contradicted`` (矛盾) -- the interval lies entirely outside the claim;
* ``not in data`` (数据中无此事项) -- the claim is about an item the data do not cover.

A count (items at 100%, items surveyed, valid answers) is a fact of the data, so it
either falls in the claimed range or does not.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validation import check_confidence_level
from ..design.design import as_design
from ..estimate.chance import chance_of_100
from ..estimate.rates import items_at_100, overall, rates_of
from ..load.claimset import CHECKED_KINDS, claim_interval, claimed_text, read_claims

__all__ = ["CHECK_COLUMNS", "VERDICTS", "check_claims", "interval_verdict"]

VERDICTS = {
    "supported": "支持",
    "consistent but not shown": "不矛盾但未证实",
    "contradicted": "矛盾",
    "not in data": "数据中无此事项",
}
#: Columns of :func:`check_claims`.
CHECK_COLUMNS = ["claim_id", "kind", "claimed", "wording", "estimand", "ci_method", "estimate",
                 "ci_low", "ci_high", "verdict", "verdict_zh", "detail", "detail_zh", "quote"]


def interval_verdict(ci_low, ci_high, claim_low, claim_high, open_low=False, open_high=False) -> str:
    """Compare a confidence interval with the claimed set of values.

    Examples
    --------
    >>> interval_verdict(0.951, 0.99, 0.95, np.inf, open_low=True)
    'supported'
    >>> interval_verdict(0.95, 0.99, 0.95, np.inf, open_low=True)   # 95% is not "over 95%"
    'consistent but not shown'
    """
    above_low = (ci_low > claim_low) if open_low else (ci_low >= claim_low)
    below_high = (ci_high < claim_high) if open_high else (ci_high <= claim_high)
    if above_low and below_high:
        return "supported"
    outside_low = (ci_high <= claim_low) if open_low else (ci_high < claim_low)
    outside_high = (ci_low >= claim_high) if open_high else (ci_low > claim_high)
    if outside_low or outside_high:
        return "contradicted"
    return "consistent but not shown"


def _unit_scale(claim) -> float:
    return 100.0 if claim.get("unit", "percent") != "fraction" else 1.0


_VIEW = {"clusters": ("items as clusters (a sample of possible items)", "事项作为群（可能事项的样本）"),
         "strata": ("items as strata (a census of the items)", "事项作为层（全部事项的普查）")}


def _other_view_row(claim, other, level):
    """The pooled verdict with items the other way (clusters <-> strata), as a row, when it
    differs from the design's own; ``other`` is ``(view, lower, upper)``."""
    view = other[0]
    lower, upper = other[1].pooled, other[2].pooled
    claim_low, claim_high, open_low, open_high = claim_interval(claim)
    scale = _unit_scale(claim)
    verdict = interval_verdict(lower.ci_low * scale, upper.ci_high * scale, claim_low, claim_high,
                               open_low, open_high)
    return {"estimand": f"pooled_items_as_{view}", "ci_method": lower.ci_method,
            "estimate": lower.estimate, "ci_low": lower.ci_low, "ci_high": upper.ci_high,
            "verdict": verdict,
            "detail": (f"the verdict depends on what the items are: with {_VIEW[view][0]}, "
                       f"one-sided {level:.0%} bounds [{lower.ci_low:.4f}, {upper.ci_high:.4f}] "
                       f"(design effect {lower.design_effect:.2f})"),
            "detail_zh": (f"结论取决于如何看待事项：若{_VIEW[view][1]}，单侧 {level:.0%} 界限 "
                          f"[{lower.ci_low:.4f}, {upper.ci_high:.4f}]（设计效应 "
                          f"{lower.design_effect:.2f}）")}


def _overall_rows(claim, lower, upper, level, other=None):
    claim_low, claim_high, open_low, open_high = claim_interval(claim)
    scale = _unit_scale(claim)
    rows = []
    for name in ("pooled", "mean_of_items"):
        low_side, high_side = getattr(lower, name), getattr(upper, name)
        low, high = low_side.ci_low, high_side.ci_high
        verdict = interval_verdict(low * scale, high * scale, claim_low, claim_high, open_low,
                                   open_high)
        what_en = "pooled over all answers" if name == "pooled" else "mean of the item rates"
        what_zh = "全部回答合并" if name == "pooled" else "各事项满意率的平均"
        rows.append({
            "estimand": name, "ci_method": low_side.ci_method, "estimate": low_side.estimate,
            "ci_low": low, "ci_high": high, "verdict": verdict,
            "detail": (f"{what_en}: one-sided {level:.0%} bounds [{low:.4f}, {high:.4f}]; "
                       f"{low_side.n_responses} answers on {low_side.n_clusters} "
                       f"{'clusters' if name == 'pooled' else 'items'}"),
            "detail_zh": (f"{what_zh}：单侧 {level:.0%} 界限 [{low:.4f}, {high:.4f}]；"
                          f"{low_side.n_responses} 个回答，{low_side.n_clusters} 个"
                          f"{'群' if name == 'pooled' else '事项'}"),
        })
    if other is not None:
        alternative = _other_view_row(claim, other, level)
        if alternative["verdict"] != rows[0]["verdict"]:
            rows.insert(1, alternative)
    return rows


def _chance_of_count(design, claim_low, claim_high, level) -> tuple[str, str]:
    """How many 100% items chance alone gives, if item rates vary as a beta-binomial fit says."""
    chance = chance_of_100(design)
    if chance is None:
        return "", ""
    low, high = chance.interval(level)
    upper = int(claim_high) if np.isfinite(claim_high) else None
    lower = int(np.ceil(claim_low)) if np.isfinite(claim_low) else 0
    probability = chance.probability(lower, upper)
    span = f"{claim_low:g} to {claim_high:g}" if np.isfinite(claim_high) else f">= {claim_low:g}"
    return ((f". With these item sizes and a beta-binomial fit of the item rates (mean "
             f"{chance.rate_mean:.3f}), chance alone gives {chance.mean:.1f} items at 100% ({level:.0%} "
             f"range {low} to {high}); P({span}) = {probability:.3f}"),
            (f"。按这些事项的受访人数和β-二项模型拟合（平均 {chance.rate_mean:.3f}），偶然出现的100%事项约 "
             f"{chance.mean:.1f} 个（{level:.0%} 范围 {low} 至 {high}）；P({span}) = {probability:.3f}"))


def _items_at_100_row(claim, design, rates, level, threshold):
    claim_low, claim_high, open_low, open_high = claim_interval(claim)
    perfect = items_at_100(design, confidence_level=level)
    count = len(perfect)
    verdict = interval_verdict(count, count, claim_low, claim_high, open_low, open_high)
    detail = f"{count} of {len(rates)} items have every respondent satisfied"
    detail_zh = f"{len(rates)} 个事项中 {count} 个全部受访者满意"
    if count:
        bounds = (f"n from {perfect['n'].min()} to {perfect['n'].max()}; one-sided {level:.0%} exact "
                  f"lower bounds {perfect['lower_bound'].min():.3f} to {perfect['lower_bound'].max():.3f}")
        detail += f" ({bounds}"
        detail_zh += (f"（n 为 {perfect['n'].min()} 至 {perfect['n'].max()}；单侧 {level:.0%} 精确下限 "
                      f"{perfect['lower_bound'].min():.3f} 至 {perfect['lower_bound'].max():.3f}")
        if threshold is not None:
            shown = int((perfect["lower_bound"] > threshold).sum())
            detail += f"; {shown} of them show a true rate above {threshold:.0%}"
            detail_zh += f"；其中 {shown} 个能说明真实满意率高于 {threshold:.0%}"
        detail += ")"
        detail_zh += "）"
    chance_en, chance_zh = _chance_of_count(design, claim_low, claim_high, level)
    return [{"estimand": "count_of_items_at_100", "ci_method": "observed", "estimate": float(count),
             "ci_low": np.nan, "ci_high": np.nan, "verdict": verdict,
             "detail": detail + chance_en, "detail_zh": detail_zh + chance_zh}]


def _count_row(claim, estimand, count, what_en, what_zh):
    low, high, open_low, open_high = claim_interval(claim)
    verdict = interval_verdict(count, count, low, high, open_low, open_high)
    return [{"estimand": estimand, "ci_method": "observed", "estimate": float(count),
             "ci_low": np.nan, "ci_high": np.nan, "verdict": verdict,
             "detail": f"{count:,} {what_en} in the data", "detail_zh": f"数据中有 {count:,} 个{what_zh}"}]


def _item_rows(claim, lower, upper, item_column, level):
    """A named item's claim against its one-sided exact bounds (``lower`` / ``upper``: the
    item rates with one-sided Clopper-Pearson bounds; counts known as a range from a
    rounded percentage widen them)."""
    item = claim.get("item")
    found = lower.loc[lower[item_column].astype(str) == str(item)]
    base = {"estimand": f"item {item}", "ci_method": "clopper_pearson_one_sided"}
    if found.empty or int(found["n"].iloc[0]) == 0:
        return [{**base, "estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan,
                 "verdict": "not in data", "detail": f"item {item!r} has no valid responses",
                 "detail_zh": f"事项 {item} 在数据中没有有效回答"}]
    position = found.index[0]
    k, n = int(found["satisfied"].iloc[0]), int(found["n"].iloc[0])
    fewest = int(found["satisfied_min"].iloc[0]) if "satisfied_min" in found else k
    rate = float(found["rate"].iloc[0])
    low, high = float(found["ci_low"].iloc[0]), float(upper.loc[position, "ci_high"])
    if claim["kind"] == "item_at_100":
        verdict = "supported" if fewest == n else "contradicted"
        if fewest == n:
            detail = (f"all {n} respondents satisfied; this shows only that the true rate is above "
                      f"{low:.3f} (one-sided {level:.0%} exact bound)")
            detail_zh = f"{n} 名受访者全部满意；这只能说明真实满意率高于 {low:.3f}（单侧 {level:.0%} 精确下限）"
        else:
            detail = f"{k} of {n} respondents satisfied: not 100% in these data"
            detail_zh = f"{n} 名受访者中 {k} 名满意：数据中并非100%"
        return [{**base, "estimate": rate, "ci_low": low, "ci_high": 1.0, "verdict": verdict,
                 "detail": detail, "detail_zh": detail_zh}]
    claim_low, claim_high, open_low, open_high = claim_interval(claim)
    scale = _unit_scale(claim)
    verdict = interval_verdict(low * scale, high * scale, claim_low, claim_high, open_low, open_high)
    return [{**base, "estimate": rate, "ci_low": low, "ci_high": high, "verdict": verdict,
             "detail": f"{k} of {n} respondents satisfied; one-sided {level:.0%} exact bounds",
             "detail_zh": f"{n} 名受访者中 {k} 名满意；单侧 {level:.0%} 精确界限"}]


def _nothing_to_check(design) -> str:
    """Why responses hold no valid answer, from their ledger when they have one."""
    report = design.report
    ledger = ""
    if report is not None:
        reasons = (report.excluded_by_reason().to_dict() if hasattr(report, "excluded_by_reason")
                   else {})
        listing = ", ".join(f"{reason} {rows}" for reason, rows in reasons.items()) or "none"
        ledger = f" (rows read {report.rows_read}, kept {report.rows_kept}; excluded: {listing})"
    return (f"{design.source or '<responses>'}: no valid answer{ledger}, so there is nothing to "
            "check the claims against: a verdict needs at least one answer")


def check_claims(
    responses,
    claims,
    satisfied=None,
    method: str = "logit",
    confidence_level: float = 0.95,
    threshold: float | None = None,
) -> pd.DataFrame:
    """Compare published satisfaction claims with response data.

    Parameters
    ----------
    responses : pandas.DataFrame, Survey, path or Dask DataFrame
        Tidy responses from :func:`~survey_analysis.load_responses` (or anything a
        :class:`~survey_analysis.Survey` accepts, or a Survey).
    claims : pandas.DataFrame or path
        A claims table or file (:func:`~survey_analysis.read_claims`), e.g. an
        office's own statements, or :func:`~survey_analysis.load_published_claims`
        for the bundled article. Kinds ``overall_rate``, ``item_rate``,
        ``item_at_100``, ``items_at_100``, ``n_items`` and ``n_responses`` are
        checked; other kinds (counts of works, money) cannot be checked from
        responses and are listed in ``.attrs["not_checked"]``.
    satisfied : None, str, collection of str or dict
        Who counts as satisfied; default each scale's convention.
    method : {"logit", "beta"}
        Design-based interval for the pooled rate (items as clusters).
    confidence_level : float, default 0.95
        Level of the one-sided bounds used for verdicts.
    threshold : float, optional
        A rate (0-1) to say how many 100% items show a true rate above it (e.g. the
        claimed overall rate); default the first ``overall_rate`` claim's value.

    Returns
    -------
    pandas.DataFrame
        One row per check, columns :data:`CHECK_COLUMNS`: ``claim_id``, ``kind``,
        ``claimed`` (e.g. ``"> 95 percent"``), ``wording`` (as published),
        ``estimand``, ``ci_method``, ``estimate``, ``ci_low``, ``ci_high``,
        ``verdict``, ``verdict_zh``, ``detail``, ``detail_zh``, ``quote``.

        * an overall rate: two rows, the pooled rate (design-based interval) and the
          mean of item rates, each with one-sided lower and upper bounds at
          ``confidence_level``; "over 95%" is *supported* only if the lower bound
          exceeds 95%. When the pooled verdict changes with the items taken the
          other way (as strata of a census instead of clusters, or back; see
          :class:`~survey_analysis.Survey` ``items_as``), a third row
          ``pooled_items_as_strata`` (or ``_clusters``) gives that verdict too.
        * items at 100%: the number of items at 100% against the claimed range, with
          the range of ``n``, exact lower bounds and what chance alone gives.
        * a named item at 100% or its rate: its ``k`` of ``n`` and one-sided exact
          bounds.
        * items surveyed, valid answers: the count in the data against the claim.

    Raises
    ------
    ValueError
        When the responses hold no valid answer (no rows, or every row excluded: the
        message gives the ledger) or the claims table has no rows: there is nothing to
        check, and a table of verdicts against no data would read as findings.

    Examples
    --------
    >>> import survey_analysis as sa
    >>> table = sa.check_claims(sa.load_synthetic_responses(),   # SYNTHETIC data
    ...                         sa.load_published_claims())
    >>> table[["claim_id", "estimand"]].head(3).to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
    {'claim_id': ['items_completed', 'overall_satisfaction_over_95', 'overall_satisfaction_over_95'],
     'estimand': ['items_with_responses', 'pooled', 'mean_of_items']}
    """
    level = check_confidence_level(confidence_level)
    if claims is None:
        raise ValueError("claims is required: a claims table or file (sa.read_claims), e.g. the "
                         "office's own published statements, or sa.load_published_claims() for "
                         "the bundled article")
    if isinstance(claims, pd.DataFrame) and claims.empty:
        raise ValueError("the claims table has no rows: there is nothing to check")
    claims = read_claims(claims)
    design = as_design(responses, satisfied=satisfied)
    if design.n_responses == 0:
        raise ValueError(_nothing_to_check(design))
    checkable = claims.loc[claims["kind"].isin(CHECKED_KINDS)]
    rates = rates_of(design)
    if threshold is None:
        first = claims.loc[claims["kind"] == "overall_rate"]
        if len(first):
            threshold = float(first["value"].iloc[0]) / _unit_scale(first.iloc[0])
    lower = upper = other = None
    if (checkable["kind"] == "overall_rate").any():
        lower = overall(design, method=method, confidence_level=level, alternative="greater")
        upper = overall(design, method=method, confidence_level=level, alternative="less")
        # The same data with the items the other way (clusters <-> strata): a verdict that
        # depends on it is reported both ways.
        view = "strata" if design.items_as == "clusters" else "clusters"
        try:
            flipped = design.with_options(items_as=view)
            other = (view, overall(flipped, method=method, confidence_level=level, alternative="greater"),
                     overall(flipped, method=method, confidence_level=level, alternative="less"))
        except ValueError:  # an item with one answer is a lonely stratum: no second view
            other = None
    rows, bounds = [], None
    for claim in checkable.to_dict("records"):  # a handful of claims, not data rows
        kind = claim["kind"]
        if kind == "overall_rate":
            found = _overall_rows(claim, lower, upper, level, other)
        elif kind == "items_at_100":
            found = _items_at_100_row(claim, design, rates, level, threshold)
        elif kind == "n_items":
            found = _count_row(claim, "items_with_responses", len(rates), "items with answers",
                               "有回答的事项")
        elif kind == "n_responses":
            found = _count_row(claim, "valid_responses", design.n_responses, "valid answers",
                               "有效回答")
        else:
            if bounds is None:
                bounds = tuple(rates_of(design, method="clopper_pearson", confidence_level=level,
                                        alternative=side) for side in ("greater", "less"))
            found = _item_rows(claim, *bounds, design.item, level)
        for row in found:
            rows.append({"claim_id": claim["id"], "kind": kind, "claimed": claimed_text(claim),
                         "wording": claim.get("wording", ""), **row,
                         "verdict_zh": VERDICTS[row["verdict"]], "quote": claim["quote"]})
    out = pd.DataFrame(rows, columns=CHECK_COLUMNS)
    skipped = claims.loc[~claims["kind"].isin(CHECKED_KINDS), ["id", "kind"]]
    out.attrs["not_checked"] = skipped.reset_index(drop=True)
    out.attrs["definition"] = design.definition
    out.attrs["confidence_level"] = level
    return out
