"""survey_analysis: satisfaction rates of public-service items with honest uncertainty.

Data flow: load -> validate -> counts -> estimates -> presentation.

Public names are loaded on first use (PEP 562), so ``import survey_analysis`` is
fast and SciPy, Matplotlib, DuckDB and Dask are imported only when needed.

>>> import survey_analysis as sa
>>> low, high = sa.binomial_ci(29, 29)
>>> round(low, 4), high
(0.883, 1.0)
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it, in data-flow order
_EXPORTS = {
    # load and validate
    "load_responses": "io", "LoadReport": "io", "ResponseFileError": "io",
    "satisfied_mask": "scales",
    # bundled data
    "data_dir": "datasets", "load_items": "datasets", "load_published_claims": "datasets",
    "load_synthetic_responses": "datasets", "synthetic_responses_path": "datasets",
    "SyntheticAssumptions": "synthetic", "generate_synthetic_responses": "synthetic",
    # counts
    "satisfaction_counts": "counts", "CountsReport": "engines",
    # estimates
    "BINOMIAL_CI_METHODS": "intervals", "ConfidenceInterval": "intervals", "binomial_ci": "intervals",
    "item_rates": "rates", "items_at_100": "rates", "overall_rate": "rates",
    "check_claims": "claims",
    "kish_effective_n": "weights", "kish_design_effect": "weights", "weighting_efficiency": "weights",
    "poststratify": "weights", "rake": "weights", "trim_weights": "weights",
    "WeightingResult": "weights",
    "adjust_pvalues": "multiplicity", "simultaneous_confidence_level": "multiplicity",
    "threshold_tests": "multiplicity",
    "rate_difference_ci": "comparisons", "compare_groups": "comparisons",
    "pairwise_comparisons": "comparisons", "GroupComparison": "comparisons",
    "multinomial_ci": "multinomial", "rating_shares": "multinomial",
    "n_for_half_width": "planning", "n_for_lower_bound": "planning",
    "lower_bound_power": "planning", "n_for_all_satisfied": "planning",
    "fit_beta_binomial": "shrinkage", "shrink_rates": "shrinkage", "rank_intervals": "shrinkage",
    "BetaBinomialFit": "shrinkage",
    "funnel_limits": "funnel", "funnel_table": "funnel", "estimate_overdispersion": "funnel",
    "count_at_100_distribution": "chance", "poisson_binomial_pmf": "chance",
    "consistent_counts": "audit", "consistent_totals": "audit",
    "definition_sensitivity": "sensitivity", "score_index": "sensitivity",
    "exact_coverage": "coverage",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'survey_analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # cache: the next access is a plain attribute lookup
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
