"""``sa.Survey``: one study's design, its counts, and every estimate as a method.

The design (clusters, strata, weights, scales, the definition of "satisfied") is
declared once, the sufficient counts are made once (one scan of a file), and each
method computes from them, as R's ``svydesign`` object is passed to every ``svy*``
function. The plain functions (``sa.item_rates(responses, ...)``) stay: each is the
method of a Survey built on the spot.

>>> import pandas as pd, survey_analysis as sa
>>> r = pd.DataFrame({"item_id": list("AAABBB"), "scale": "cn3", "rank": [1, 2, 3, 1, 1, 1],
...                   "rating": ["满意", "基本满意", "不满意", "满意", "满意", "满意"]})
>>> survey = sa.Survey(r)
>>> survey.item_rates()[["item_id", "n", "satisfied"]].to_dict("list")
{'item_id': ['A', 'B'], 'n': [3, 3], 'satisfied': [2, 3]}
>>> round(survey.overall().pooled.estimate, 4)
0.8333
>>> round(survey.with_definition("top_box").overall().pooled.estimate, 4)
0.6667
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from .claims.check import check_claims
from .claims.sensitivity import definition_sensitivity
from .design.design import Design
from .estimate.chance import count_at_100_distribution
from .estimate.comparisons import compare_groups, pairwise_comparisons
from .estimate.funnel import funnel_table
from .estimate.multinomial import multinomial_ci
from .estimate.rates import OverallRate, items_at_100, overall, rates_from_counts
from .estimate.shrinkage import fit_beta_binomial, shrink_rates

__all__ = ["Survey"]


class Survey(Design):
    """A satisfaction survey: its design, its counts, and the estimates as methods.

    Built like :class:`~survey_analysis.design.design.Design` (``Survey(responses,
    satisfied=None, cluster="item_id", strata=None, weight=None, groups=())``) or from
    a table of counts (:meth:`from_counts`). See that class for the inputs.
    """

    def item_rates(self, by=None, method: str = "wilson", confidence_level: float = 0.95,
                   alternative: str = "two-sided") -> pd.DataFrame:
        """Rate of every item (or group) with its interval; see :func:`~survey_analysis.item_rates`."""
        by = [self.item] if by is None else [by] if isinstance(by, str) else list(by)

        def rates(design):
            return rates_from_counts(design.counts(by)[by + ["n", "satisfied"]], method=method,
                                     confidence_level=confidence_level, alternative=alternative)

        out = rates(self)
        if self.count_range is not None:
            # Counts known only as a range (rounded percentages): from the lower bound at
            # the fewest consistent satisfied to the upper bound at the most.
            low, high = rates(self.at_count_bound("min")), rates(self.at_count_bound("max"))
            position = out.columns.get_loc("satisfied") + 1
            out.insert(position, "satisfied_min", low["satisfied"].to_numpy())
            out.insert(position + 1, "satisfied_max", high["satisfied"].to_numpy())
            out["ci_low"] = low["ci_low"].to_numpy()
            out["ci_high"] = high["ci_high"].to_numpy()
        out.attrs["definition"] = self.definition
        return out

    def overall(self, method: str = "logit", confidence_level: float = 0.95,
                alternative: str = "two-sided") -> OverallRate:
        """Pooled and mean-of-items overall rate; see :func:`~survey_analysis.overall_rate`.

        For a table of rounded percentages (:meth:`from_counts` with ``percent=``) each
        interval runs from its lower bound with every count at its smallest consistent
        value to its upper bound with every count at its largest."""
        options = dict(method=method, confidence_level=confidence_level, alternative=alternative)
        point = overall(self, **options)
        if self.count_range is None:
            return point
        low, high = overall(self.at_count_bound("min"), **options), overall(self.at_count_bound("max"), **options)

        def widened(name):
            return replace(getattr(point, name), ci_low=getattr(low, name).ci_low,
                           ci_high=getattr(high, name).ci_high,
                           note=(getattr(point, name).note + "; " if getattr(point, name).note else "")
                           + "counts from rounded percentages: interval over their range")
        return replace(point, pooled=widened("pooled"), naive=widened("naive"),
                       mean_of_items=widened("mean_of_items"))

    def items_at_100(self, confidence_level: float = 0.95) -> pd.DataFrame:
        """Every 100% item with ``n`` and its exact lower bound; see :func:`~survey_analysis.items_at_100`."""
        return items_at_100(self.counts([self.item])[[self.item, "n", "satisfied"]],
                            confidence_level=confidence_level)

    def check(self, claims, method: str = "logit", confidence_level: float = 0.95,
              threshold: float | None = None) -> pd.DataFrame:
        """Published claims checked against these data; see :func:`~survey_analysis.check_claims`."""
        return check_claims(self, claims, method=method, confidence_level=confidence_level,
                            threshold=threshold)

    def sensitivity(self, method: str = "logit", confidence_level: float = 0.95,
                    scores=None) -> pd.DataFrame:
        """The headline under every definition of "satisfied"; see
        :func:`~survey_analysis.definition_sensitivity`."""
        return definition_sensitivity(self, confidence_level=confidence_level, method=method,
                                      scores=scores)

    def compare(self, by: str, method: str = "auto", **options):
        """Do groups differ? :func:`~survey_analysis.compare_groups` under this design
        (Rao-Scott F by default)."""
        return compare_groups(self, group=by, method=method, **options)

    def pairwise(self, by: str, **options) -> pd.DataFrame:
        """Every pair of groups, design-based; see :func:`~survey_analysis.pairwise_comparisons`."""
        return pairwise_comparisons(self, group=by, **options)

    def rating_shares(self, by=None, confidence_level: float = 0.95,
                      method: str = "goodman") -> pd.DataFrame:
        """Share of each level with simultaneous intervals; see :func:`~survey_analysis.rating_shares`."""
        if len(self.scales) != 1 or "counts" in self.scales:
            raise ValueError("answer shares need one rating scale with known levels; this survey "
                             f"has {', '.join(self.scales) or 'none'}")
        by = [] if by is None else [by] if isinstance(by, str) else list(by)
        scale = next(iter(self.scales.values()))
        levels = self.level_counts(by)
        ranks = list(range(1, len(scale.levels) + 1))
        if by:
            table = (levels.pivot_table(index=by, columns="rank", values="n", aggfunc="sum",
                                        observed=True).reindex(columns=ranks, fill_value=0).fillna(0))
        else:
            table = levels.groupby("rank")["n"].sum().reindex(ranks, fill_value=0)
        if by:
            table.columns = list(scale.levels)
        else:
            table.index = list(scale.levels)
        out = multinomial_ci(table.astype("int64"), confidence_level=confidence_level, method=method)
        out.columns = [*out.columns[:len(by)], "rating", *out.columns[len(by) + 1:]]
        out.insert(len(by) + 1, "rank", [r for _ in range(len(out) // len(ranks)) for r in ranks])
        out.attrs["satisfied_levels"] = next(iter(self.definition.levels.values()))
        return out

    def funnel(self, target=None, **options) -> pd.DataFrame:
        """Funnel table of the items; see :func:`~survey_analysis.funnel_table`."""
        return funnel_table(self.counts([self.item])[[self.item, "n", "satisfied"]], target=target,
                            **options)

    def shrink(self, prior=None, confidence_level: float = 0.95) -> pd.DataFrame:
        """Empirical-Bayes item rates; see :func:`~survey_analysis.shrink_rates`."""
        return shrink_rates(self.counts([self.item])[[self.item, "n", "satisfied"]], prior=prior,
                            confidence_level=confidence_level)

    def chance_of_100(self):
        """How many 100% items chance alone gives under a beta-binomial fit of the item
        rates (:func:`~survey_analysis.count_at_100_distribution`); None when the fit is
        degenerate (every item at 100%, or at 0%)."""
        counts = self.counts([self.item])
        counts = counts.loc[counts["n"] > 0]
        if len(counts) < 2:
            return None
        fit = fit_beta_binomial(counts["satisfied"].to_numpy(), counts["n"].to_numpy())
        if not (np.isfinite(fit.alpha) and np.isfinite(fit.beta)):
            return None
        return count_at_100_distribution(counts["n"].to_numpy(), prior=(fit.alpha, fit.beta))
