"""Check published satisfaction claims against response data.

Verdicts (English / 中文):

* ``supported`` (支持) -- the whole confidence interval lies inside what the claim asserts;
* ``consistent but not shown`` (不矛盾但未证实) -- the interval overlaps the claim but
  also values outside it;
* ``contradicted`` (矛盾) -- the interval lies entirely outside the claim;
* ``not in data`` (数据中无此事项) -- the claim is about an item the data do not cover.

For a count of items (e.g. "ten-plus items at 100%") the count in the data is a
fact of the sample, so it either falls in the claimed range or does not.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validation import check_confidence_level
from ..estimate.intervals import binomial_ci
from ..estimate.rates import item_rates, items_at_100, overall_rate

__all__ = ["check_claims", "VERDICTS", "claim_interval"]

VERDICTS = {
    "supported": "支持",
    "consistent but not shown": "不矛盾但未证实",
    "contradicted": "矛盾",
    "not in data": "数据中无此事项",
}

_CHECKABLE_SCOPES = ("overall", "items_at_100", "item")


def claim_interval(claim: pd.Series) -> tuple[float, float, bool]:
    """The set of values a claim asserts, as ``(low, high, open_low)`` on its own unit.

    ``over`` 95 -> (95, inf, True) (strictly above); ranges use the ``lower`` /
    ``upper`` columns; ``exact`` and ``about`` use the value itself.
    """
    value = float(claim["value"])
    qualifier = claim["qualifier"]
    lower = float(claim["lower"]) if pd.notna(claim.get("lower")) else np.nan
    upper = float(claim["upper"]) if pd.notna(claim.get("upper")) else np.nan
    if qualifier == "over":
        return value, np.inf, True
    if qualifier in ("ten-plus", "plus"):
        return (lower if np.isfinite(lower) else value), (upper if np.isfinite(upper) else np.inf), False
    return value, value, False


def _interval_verdict(ci_low, ci_high, claim_low, claim_high, open_low) -> str:
    """Compare a confidence interval with the claimed set of values."""
    above_low = (ci_low > claim_low) if open_low else (ci_low >= claim_low)
    if above_low and ci_high <= claim_high:
        return "supported"
    below = (ci_high <= claim_low) if open_low else (ci_high < claim_low)
    if below or ci_low > claim_high:
        return "contradicted"
    return "consistent but not shown"


def _overall_rows(claim, responses, satisfied, method, level):
    claim_low, claim_high, open_low = claim_interval(claim)
    scale = 100.0 if claim["unit"] == "percent" else 1.0
    lower = overall_rate(responses, satisfied=satisfied, method=method, confidence_level=level,
                         alternative="greater")
    upper = overall_rate(responses, satisfied=satisfied, method=method, confidence_level=level,
                         alternative="less")
    rows = []
    for position in (0, 2):  # pooled with the design-based interval; mean of item rates
        low, high = lower.loc[position, "ci_low"], upper.loc[position, "ci_high"]
        verdict = _interval_verdict(low * scale, high * scale, claim_low, claim_high, open_low)
        rows.append({
            "estimand": lower.loc[position, "estimand"],
            "ci_method": lower.loc[position, "ci_method"],
            "estimate": lower.loc[position, "estimate"],
            "ci_low": low, "ci_high": high, "verdict": verdict,
            "detail": (f"one-sided {level:.0%} bounds; {lower.loc[position, 'n_responses']} "
                       f"responses in {lower.loc[position, 'n_clusters']} items"),
        })
    return rows


def _items_at_100_row(claim, rates, level):
    claim_low, claim_high, _ = claim_interval(claim)
    perfect = items_at_100(rates, confidence_level=level)
    count = len(perfect)
    verdict = "supported" if claim_low <= count <= claim_high else "contradicted"
    shown = int((perfect["lower_bound"] > 0.95).sum()) if count else 0
    detail = (f"{count} of {len(rates)} items have every respondent satisfied"
              + (f" (n from {perfect['n'].min()} to {perfect['n'].max()}; one-sided {level:.0%} "
                 f"exact lower bounds {perfect['lower_bound'].min():.3f} to "
                 f"{perfect['lower_bound'].max():.3f}; {shown} of them show a true rate above 95%)"
                 if count else ""))
    detail += _chance_of_count(rates, claim_low, claim_high, level)
    return [{"estimand": "count_of_items_at_100", "ci_method": "observed", "estimate": float(count),
             "ci_low": np.nan, "ci_high": np.nan, "verdict": verdict, "detail": detail}]


def _chance_of_count(rates, claim_low, claim_high, level) -> str:
    """How many 100% items chance alone gives, if item rates vary as a beta-binomial fit says."""
    from ..estimate.chance import count_at_100_distribution
    from ..estimate.shrinkage import fit_beta_binomial

    sized = rates.loc[rates["n"] > 0]
    if len(sized) < 2:
        return ""
    fit = fit_beta_binomial(sized["satisfied"].to_numpy(), sized["n"].to_numpy())
    if not (np.isfinite(fit.alpha) and np.isfinite(fit.beta)):
        return ""
    chance = count_at_100_distribution(sized["n"].to_numpy(), prior=(fit.alpha, fit.beta))
    low, high = chance.interval(level)
    upper = claim_high if np.isfinite(claim_high) else None
    return (f". With these item sizes and a beta-binomial fit of the item rates (mean "
            f"{fit.mean:.3f}), chance alone gives {chance.mean:.1f} items at 100% ({level:.0%} range "
            f"{low} to {high}); P({claim_low:g} to {claim_high:g}) = "
            f"{chance.probability(int(claim_low), None if upper is None else int(upper)):.3f}")


def _item_row(claim, rates, level):
    item = claim.get("item_id")
    found = rates.loc[rates["item_id"] == item] if pd.notna(item) else rates.iloc[0:0]
    base = {"estimand": f"item {item}", "ci_method": "clopper_pearson_one_sided"}
    if found.empty:
        return [{**base, "estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan,
                 "verdict": "not in data", "detail": f"item {item!r} has no valid responses"}]
    k, n = int(found["satisfied"].iloc[0]), int(found["n"].iloc[0])
    low, _ = binomial_ci(k, n, method="clopper_pearson", confidence_level=level, alternative="greater")
    verdict = "supported" if k == n else "contradicted"
    if k == n:
        detail = (f"all {n} respondents satisfied; this shows only that the true rate is above "
                  f"{low:.3f} (one-sided {level:.0%} exact bound)")
    else:
        detail = f"{k} of {n} respondents satisfied: not 100% in these data"
    return [{**base, "estimate": k / n, "ci_low": low, "ci_high": 1.0, "verdict": verdict,
             "detail": detail}]


def check_claims(
    responses: pd.DataFrame,
    claims: pd.DataFrame | None = None,
    satisfied="top_two_box",
    method: str = "logit",
    confidence_level: float = 0.95,
) -> pd.DataFrame:
    """Compare the published satisfaction claims with response data.

    Parameters
    ----------
    responses : pandas.DataFrame
        Tidy responses from :func:`~survey_analysis.load_responses`.
    claims : pandas.DataFrame, optional
        Claims table like :func:`~survey_analysis.load_published_claims` (the
        default). Rows of kind ``satisfaction`` with scope ``overall``,
        ``items_at_100`` or ``item`` are checked; other figures (counts, finance)
        cannot be checked from responses and are left out.
    satisfied : {"top_two_box", "top_box"} or collection of str
    method : {"logit", "beta"}
        Design-based interval for the pooled rate (items as clusters).
    confidence_level : float, default 0.95
        Level of the one-sided bounds used for verdicts.

    Returns
    -------
    pandas.DataFrame
        One row per check, columns ``claim_id``, ``claimed`` (e.g. ``"> 95 percent"``),
        ``estimand``, ``ci_method``, ``estimate``, ``ci_low``, ``ci_high``,
        ``verdict``, ``verdict_zh``, ``detail``, ``quote_zh``.

        * overall "over 95%": two rows, the pooled rate (design-based interval) and
          the mean of item rates, each with one-sided lower and upper bounds at
          ``confidence_level``; *supported* only if the lower bound exceeds 95%.
        * "ten-plus at 100%": the number of items at 100% against the claimed range
          (十余 read as 11 to 19), with the range of ``n`` and exact lower bounds.
        * a named item at 100%: its ``k`` of ``n`` and one-sided exact lower bound.

    Examples
    --------
    >>> import survey_analysis as sa
    >>> table = sa.check_claims(sa.load_synthetic_responses(),   # SYNTHETIC data
    ...                          sa.load_published_claims())
    >>> table[["claim_id", "estimand"]].head(3).to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
    {'claim_id': ['overall_satisfaction_over_95', 'overall_satisfaction_over_95',
                  'items_at_100_ten_plus'],
     'estimand': ['pooled', 'mean_of_items', 'count_of_items_at_100']}
    """
    level = check_confidence_level(confidence_level)
    if claims is None:
        raise ValueError("claims is required: a claims table such as "
                         "sa.load_published_claims() (the bundled article's figures)")
    checkable = claims.loc[(claims["kind"] == "satisfaction") & claims["scope"].isin(_CHECKABLE_SCOPES)]
    rates = item_rates(responses, satisfied=satisfied, method="wilson", confidence_level=level)
    rows = []
    for _, claim in checkable.iterrows():  # a handful of claims, not data rows
        if claim["scope"] == "overall":
            found = _overall_rows(claim, responses, satisfied, method, level)
        elif claim["scope"] == "items_at_100":
            found = _items_at_100_row(claim, rates, level)
        else:
            found = _item_row(claim, rates, level)
        low, high, open_low = claim_interval(claim)
        claimed = (f"> {low:g}" if open_low else f"{low:g}" if low == high else
                   f"{low:g} to {high:g}" if np.isfinite(high) else f">= {low:g}")
        for row in found:
            rows.append({"claim_id": claim["claim_id"], "claimed": f"{claimed} {claim['unit']}",
                         **row, "verdict_zh": VERDICTS[row["verdict"]], "quote_zh": claim["quote_zh"]})
    columns = ["claim_id", "claimed", "estimand", "ci_method", "estimate", "ci_low", "ci_high",
               "verdict", "verdict_zh", "detail", "quote_zh"]
    return pd.DataFrame(rows, columns=columns)
