"""survey_analysis: satisfaction rates of public-service items with honest uncertainty.

Data flow: load -> validate -> counts -> estimates -> presentation.

>>> import survey_analysis as sa
>>> low, high = sa.binomial_ci(29, 29)
>>> round(low, 4), high
(0.883, 1.0)
"""

from .claims import check_claims
from .counts import satisfaction_counts
from .datasets import (data_dir, load_items, load_published_claims, load_synthetic_responses,
                       synthetic_responses_path)
from .intervals import BINOMIAL_CI_METHODS, ConfidenceInterval, binomial_ci
from .io import LoadReport, ResponseFileError, load_responses
from .rates import item_rates, items_at_100, overall_rate
from .scales import satisfied_mask
from .synthetic import SyntheticAssumptions, generate_synthetic_responses

__version__ = "0.1.0"

__all__ = [
    "BINOMIAL_CI_METHODS",
    "ConfidenceInterval",
    "LoadReport",
    "ResponseFileError",
    "SyntheticAssumptions",
    "binomial_ci",
    "check_claims",
    "data_dir",
    "generate_synthetic_responses",
    "item_rates",
    "items_at_100",
    "load_items",
    "load_published_claims",
    "load_responses",
    "load_synthetic_responses",
    "overall_rate",
    "satisfaction_counts",
    "satisfied_mask",
    "synthetic_responses_path",
]
