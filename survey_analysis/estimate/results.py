"""The part of the result protocol every estimate shares: a number with its uncertainty.

A result whose headline is one estimate (the overall rate's pooled rate, the change
between two rounds, the analysis' pooled rate) exposes it as ``estimate``, ``se``,
``df``, ``ci_low``, ``ci_high`` and ``confidence_interval(level)`` through
:class:`HeadlineEstimate`, so the fields mean the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .._validation import check_confidence_level
from ..words import SurveyError
from .intervals import ConfidenceInterval

__all__ = ["Estimate", "HeadlineEstimate"]


@dataclass(frozen=True)
class Estimate:
    """One estimate with its standard error, degrees of freedom and interval.

    Attributes
    ----------
    estimate, se, df, ci_low, ci_high : float
    confidence_level : float
    interval_at : callable, optional
        ``level -> (low, high)``: the same interval at another level.
    """

    estimate: float
    se: float
    df: float
    ci_low: float
    ci_high: float
    confidence_level: float = 0.95
    interval_at: object = field(default=None, repr=False, compare=False)

    def confidence_interval(self, confidence_level: float = 0.95) -> ConfidenceInterval:
        """The same interval at another confidence level."""
        check_confidence_level(confidence_level)
        if self.interval_at is None:
            raise SurveyError("estimate.results.no_other_level")
        return ConfidenceInterval(*self.interval_at(float(confidence_level)))


class HeadlineEstimate:
    """Mixin: ``estimate``, ``se``, ``df``, ``ci_low``, ``ci_high`` and
    ``confidence_interval(level)`` of the result's headline (``headline_estimate()``)."""

    def headline_estimate(self):
        raise NotImplementedError

    @property
    def estimate(self) -> float:
        """The headline estimate."""
        return self.headline_estimate().estimate

    @property
    def se(self) -> float:
        """Its standard error (design-based where there is a design)."""
        return self.headline_estimate().se

    @property
    def df(self) -> float:
        """The degrees of freedom of its interval."""
        return self.headline_estimate().df

    @property
    def ci_low(self) -> float:
        """Lower bound of its interval."""
        return self.headline_estimate().ci_low

    @property
    def ci_high(self) -> float:
        """Upper bound of its interval."""
        return self.headline_estimate().ci_high

    def confidence_interval(self, confidence_level: float = 0.95) -> ConfidenceInterval:
        """Its interval at another confidence level."""
        return self.headline_estimate().confidence_interval(confidence_level)
