"""Check published satisfaction claims against response data.

Claims are an input (:func:`~survey_analysis.load.claimset.read_claims`): an office's
own statements, or the bundled article's for the bundled data. Verdicts (English / 中文):

* ``supported`` (支持) -- the whole one-sided confidence interval lies inside what the
  claim asserts;
* ``consistent but not shown`` (不矛盾但未证实) -- the interval overlaps the claim but
  also values outside it;
* ``contradicted`` (矛盾) -- the interval lies entirely outside the claim;
* ``not in data`` (数据中无此事项) -- the claim is about an item the data do not cover;
* ``not_publishable`` (按发布规则不予公布) -- the claim is about an item with fewer answers
  than a publication rule requires (``suppress=``; see
  :func:`~survey_analysis.suppression_rule`): its rate is not published, so a claim about
  it cannot be checked in public.

A count (items at 100%, items surveyed, valid answers) is a fact of the data, so it
either falls in the claimed range or does not.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validation import check_confidence_level, check_threshold
from ..design.design import as_design
from ..estimate.chance import chance_of_100
from ..estimate.rates import at_100, items_at_100, items_rounding_to_100, overall, rates_of
from ..estimate.suppression import suppression_rule
from ..load.claimset import CHECKED_KINDS, claim_interval, claimed_text, read_claims
from ..scales.text import id_keys
from ..words import Message, SurveyError, join, say

__all__ = ["CHECK_COLUMNS", "VERDICTS", "check_claims", "interval_verdict"]

#: The verdicts (codes); their words in English and Chinese are catalogue entries
#: (``verdict.<code>``; see :mod:`survey_analysis.words`).
VERDICTS = ("supported", "consistent but not shown", "contradicted", "not in data", "not_publishable")
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


def _level(level: float) -> str:
    return f"{level:.0%}"


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
            "detail": [Message("claims.other_view", {
                "view": Message(f"claims.view.{view}"), "level": _level(level),
                "low": lower.ci_low, "high": upper.ci_high, "deff": lower.design_effect})]}


def _overall_rows(claim, lower, upper, level, other=None):
    claim_low, claim_high, open_low, open_high = claim_interval(claim)
    scale = _unit_scale(claim)
    rows = []
    for name in ("pooled", "mean_of_items"):
        low_side, high_side = getattr(lower, name), getattr(upper, name)
        low, high = low_side.ci_low, high_side.ci_high
        verdict = interval_verdict(low * scale, high * scale, claim_low, claim_high, open_low,
                                   open_high)
        rows.append({
            "estimand": name, "ci_method": low_side.ci_method, "estimate": low_side.estimate,
            "ci_low": low, "ci_high": high, "verdict": verdict,
            "detail": [Message(f"claims.{name}", {
                "level": _level(level), "low": low, "high": high,
                "answers": low_side.n_responses, "units": low_side.n_clusters})],
        })
    if other is not None:
        alternative = _other_view_row(claim, other, level)
        if alternative["verdict"] != rows[0]["verdict"]:
            rows.insert(1, alternative)
    return rows


def _chance_of_count(design, claim_low, claim_high, level) -> list:
    """How many 100% items chance alone gives, if item rates vary as a beta-binomial fit says."""
    chance = chance_of_100(design)
    if chance is None:
        return []
    low, high = chance.interval(level)
    upper = int(claim_high) if np.isfinite(claim_high) else None
    lower = int(np.ceil(claim_low)) if np.isfinite(claim_low) else 0
    span = (Message("claims.span_range", {"low": claim_low, "high": claim_high})
            if np.isfinite(claim_high) else Message("claims.span_from", {"low": claim_low}))
    if high == 0:   # "0.0 items (range 0 to 0)" would read as a finding; say what it means
        return [Message("claims.chance_none", {"mean": chance.rate_mean, "any": chance.probability(1),
                                               "span": span, "probability": chance.probability(lower, upper)})]
    return [Message("claims.chance", {"mean": chance.rate_mean, "expected": chance.mean,
                                      "level": _level(level), "low": low, "high": high,
                                      "span": span,
                                      "probability": chance.probability(lower, upper)})]


def _items_at_100_row(claim, design, level, threshold):
    """The count of items at 100%; items whose rounded "100%" also allows fewer satisfied
    answers (:func:`~survey_analysis.estimate.rates.at_100`) make it a range, and the
    verdict is over that range."""
    claim_low, claim_high, open_low, open_high = claim_interval(claim)
    perfect = items_at_100(design, confidence_level=level)
    rounding = items_rounding_to_100(design)
    count, more = len(perfect), len(rounding)
    verdict = interval_verdict(count, count + more, claim_low, claim_high, open_low, open_high)
    detail = [Message("claims.at_100", {"count": count, "items": design.n_items})]
    if count:
        shown = (Message("claims.at_100_shown", {
            "shown": int((perfect["lower_bound"] > threshold).sum()), "threshold": f"{threshold:.0%}"})
            if threshold is not None else "")
        detail.append(Message("claims.at_100_bounds", {
            "n_min": perfect["n"].min(), "n_max": perfect["n"].max(), "level": _level(level),
            "b_min": perfect["lower_bound"].min(), "b_max": perfect["lower_bound"].max(),
            "shown": shown}))
    if more:
        listing = ", ".join(f"{item}: {low}..{n}" for item, low, n in rounding[
            [design.item, "satisfied_min", "n"]].head(5).itertuples(index=False))
        detail.append(Message("claims.at_100_rounding", {
            "more": more, "listing": listing + (" ..." if more > 5 else ""), "low": count,
            "high": count + more}))
    detail += _chance_of_count(design, claim_low, claim_high, level)
    return [{"estimand": "count_of_items_at_100", "ci_method": "observed", "estimate": float(count),
             "ci_low": np.nan, "ci_high": np.nan, "verdict": verdict, "detail": detail}]


def _count_row(claim, estimand, count, what: str):
    low, high, open_low, open_high = claim_interval(claim)
    verdict = interval_verdict(count, count, low, high, open_low, open_high)
    return [{"estimand": estimand, "ci_method": "observed", "estimate": float(count),
             "ci_low": np.nan, "ci_high": np.nan, "verdict": verdict,
             "detail": [Message("claims.count", {"count": count, "what": Message(f"claims.what.{what}")})]}]


def _item_rows(claim, lower, upper, item_column, level, rule=None):
    """A named item's claim against its one-sided exact bounds (``lower`` / ``upper``: the
    item rates with one-sided Clopper-Pearson bounds; counts known as a range from a
    rounded percentage widen them); ``not_publishable`` when the publication ``rule``
    hides the item."""
    item = claim.get("item")
    # The claim's item is found as the loader keys ids: Ａ1 (full-width) is A1.
    keys = id_keys(lower[item_column].astype(str).to_numpy(dtype=object))[1]
    found = lower.loc[keys == id_keys(np.array([str(item).strip()], dtype=object))[1][0]]
    base = {"estimand": f"item {item}", "ci_method": "clopper_pearson_one_sided"}
    if found.empty or int(found["n"].iloc[0]) == 0:
        return [{**base, "estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan,
                 "verdict": "not in data", "detail": [Message("claims.item_missing", {"item": item})]}]
    position = found.index[0]
    k, n = int(found["satisfied"].iloc[0]), int(found["n"].iloc[0])
    if rule is not None and rule.hides(n):
        # Too few answers to publish the item's rate: no estimate is given for it either.
        return [{**base, "estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan,
                 "verdict": "not_publishable",
                 "detail": [Message("claims.not_publishable", {
                     "item": item, "n": n, "minimum": rule.minimum_n, "title": rule.title})]}]
    fewest = int(found["satisfied_min"].iloc[0]) if "satisfied_min" in found else k
    most = int(found["satisfied_max"].iloc[0]) if "satisfied_max" in found else k
    rate = float(found["rate"].iloc[0])
    low, high = float(found["ci_low"].iloc[0]), float(upper.loc[position, "ci_high"])
    if claim["kind"] == "item_at_100":
        perfect, rounds = at_100([n], [fewest], [most])
        if perfect[0]:
            verdict, detail = "supported", Message("claims.item_all", {"n": n, "low": low, "level": _level(level)})
        elif rounds[0]:  # a rounded "100%" that fewer satisfied answers also print as
            verdict = "consistent but not shown"
            detail = Message("claims.item_maybe_all", {"fewest": fewest, "n": n})
        else:
            verdict, detail = "contradicted", Message("claims.item_not_all", {"k": k, "n": n})
        return [{**base, "estimate": rate, "ci_low": low, "ci_high": 1.0, "verdict": verdict,
                 "detail": [detail]}]
    claim_low, claim_high, open_low, open_high = claim_interval(claim)
    scale = _unit_scale(claim)
    verdict = interval_verdict(low * scale, high * scale, claim_low, claim_high, open_low, open_high)
    return [{**base, "estimate": rate, "ci_low": low, "ci_high": high, "verdict": verdict,
             "detail": [Message("claims.item_rate", {"k": k, "n": n, "level": _level(level)})]}]


def check_claims(
    responses,
    claims,
    satisfied=None,
    method: str = "logit",
    confidence_level: float = 0.95,
    threshold: float | None = None,
    suppress=None,
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
    suppress : int, str or None
        A publication rule (:func:`~survey_analysis.suppression_rule`: a minimum number
        of answers or a preset, ``"gpps"``, ``"hcahps"``, ``"fft"``). A claim about a
        named item (``item_rate``, ``item_at_100``) with fewer answers gets the verdict
        ``not_publishable``, the rule in its detail. Claims about the overall rate and
        the counts are checked on every answer whatever the rule.

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

        ``.attrs["suppression"]``: the rule's name and minimum (None without a rule).

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

    Under a publication rule a claim about an item answered by too few is not checked:

    >>> import pandas as pd
    >>> counts = sa.Survey.from_counts(pd.DataFrame({"item_id": ["A", "B"], "n": [3, 40],
    ...                                              "satisfied": [3, 36]}))
    >>> claim = pd.DataFrame({"id": ["a"], "kind": ["item_at_100"], "item": ["A"], "value": [100],
    ...                       "qualifier": ["exact"], "quote": ["A: 100%"], "source": ["report"]})
    >>> check_claims(counts, claim, suppress="gpps")["verdict"].tolist()
    ['not_publishable']
    """
    level = check_confidence_level(confidence_level)
    rule = suppression_rule(suppress)
    threshold = check_threshold(threshold)
    if claims is None:
        raise SurveyError("claims.required")
    if isinstance(claims, pd.DataFrame) and claims.empty:
        raise SurveyError("claims.empty")
    claims = read_claims(claims)
    design = as_design(responses, satisfied=satisfied)
    if design.n_responses == 0:
        raise design.no_answer_error("claims")
    checkable = claims.loc[claims["kind"].isin(CHECKED_KINDS)]
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
            found = _items_at_100_row(claim, design, level, threshold)
        elif kind == "n_items":
            found = _count_row(claim, "items_with_responses", design.n_items, "items")
        elif kind == "n_responses":
            found = _count_row(claim, "valid_responses", design.n_responses, "answers")
        else:
            if bounds is None:
                bounds = tuple(rates_of(design, method="clopper_pearson", confidence_level=level,
                                        alternative=side) for side in ("greater", "less"))
            found = _item_rows(claim, *bounds, design.item, level, rule)
        for row in found:
            detail = row.pop("detail")
            rows.append({"claim_id": claim["id"], "kind": kind, "claimed": claimed_text(claim),
                         "wording": claim.get("wording", ""), **row,
                         "verdict_zh": say(f"verdict.{row['verdict']}", "zh"),
                         "detail": join(detail, "en", ""), "detail_zh": join(detail, "zh", ""),
                         "quote": claim["quote"]})
    out = pd.DataFrame(rows, columns=CHECK_COLUMNS)
    skipped = claims.loc[~claims["kind"].isin(CHECKED_KINDS), ["id", "kind"]]
    out.attrs["not_checked"] = skipped.reset_index(drop=True)
    out.attrs["definition"] = design.definition
    out.attrs["confidence_level"] = level
    out.attrs["suppression"] = (None if rule is None else
                                {"rule": rule.name, "minimum_n": rule.minimum_n, "title": rule.title,
                                 "source": rule.source})
    return out
