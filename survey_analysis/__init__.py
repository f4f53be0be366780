"""survey_analysis: satisfaction rates of public-service items with honest uncertainty.

Data flow, one sub-package per layer (see ``docs/architecture.md``)::

    load/      files and frames -> tidy responses, scales, the ledger of every row
    design/    the study's design and its sufficient counts (pandas, DuckDB, Dask)
    estimate/  intervals, rates, weights, comparisons, planning, shrinkage, funnel, chance
    claims/    published statements checked, percentages audited, definition sensitivity
    present/   tables, plots, HTML report, exports, command line
    bundled/   the first case's published figures and SYNTHETIC demo responses

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
    # load
    "load_responses": "load.responses", "LoadReport": "load.report",
    "ResponseFileError": "load.report", "SurveyError": "words", "SurveyWarning": "words",
    "Scale": "scales.scale", "SCALES": "scales.scale", "satisfied_mask": "scales.definition",
    "mask_personal_data": "scales.masking",
    # design and counts
    "Survey": "survey", "satisfaction_counts": "design.counts", "CountsReport": "load.engines",
    "LevelCounts": "design.level_counts", "Calibration": "design.calibration",
    # estimates
    "BINOMIAL_CI_METHODS": "estimate.intervals", "ConfidenceInterval": "estimate.intervals",
    "binomial_ci": "estimate.intervals",
    "item_rates": "estimate.rates", "items_at_100": "estimate.rates",
    "items_rounding_to_100": "estimate.rates", "overall_rate": "estimate.rates",
    "kish_effective_n": "estimate.weights", "kish_design_effect": "estimate.weights",
    "weighting_efficiency": "estimate.weights", "poststratify": "survey",
    "rake": "survey", "trim_weights": "design.calibration",
    "adjust_pvalues": "estimate.multiplicity",
    "simultaneous_confidence_level": "estimate.multiplicity",
    "threshold_tests": "estimate.multiplicity",
    "rate_difference_ci": "estimate.comparisons", "compare_groups": "estimate.comparisons",
    "pairwise_comparisons": "estimate.comparisons", "GroupComparison": "estimate.comparisons",
    "crosstab": "estimate.crosstab",
    "domain_rates": "estimate.domains", "domain_differences": "estimate.domains",
    "proportion": "estimate.proportions",
    "rao_scott_test": "estimate.domains", "RaoScottTest": "estimate.domains",
    "compare_rounds": "estimate.rounds", "stack_rounds": "estimate.rounds",
    "RoundsComparison": "estimate.rounds",
    "multinomial_ci": "estimate.multinomial", "rating_shares": "estimate.multinomial",
    "OverallRate": "estimate.rates", "RateEstimate": "estimate.rates",
    "n_for_half_width": "estimate.planning", "n_for_lower_bound": "estimate.planning",
    "lower_bound_power": "estimate.planning", "n_for_all_satisfied": "estimate.planning",
    "fit_beta_binomial": "estimate.shrinkage", "shrink_rates": "estimate.shrinkage",
    "rank_intervals": "estimate.shrinkage", "BetaBinomialFit": "estimate.shrinkage",
    "funnel_limits": "estimate.funnel", "funnel_table": "estimate.funnel",
    "estimate_overdispersion": "estimate.funnel",
    "count_at_100_distribution": "estimate.chance", "poisson_binomial_pmf": "estimate.chance",
    "chance_of_100": "estimate.chance",
    "exact_coverage": "estimate.coverage",
    "track": "estimate.tracking",
    "comments": "estimate.comments", "topics": "estimate.comments",
    "SUPPRESSION_RULES": "estimate.suppression", "suppression_rule": "estimate.suppression",
    # claims
    "read_claims": "load.claimset", "check_claims": "claims.check",
    "consistent_counts": "claims.audit", "consistent_totals": "claims.audit",
    "counts_from_percentages": "load.percentages",
    "definition_sensitivity": "estimate.sensitivity", "score_index": "estimate.sensitivity",
    "implied_designs": "estimate.implied", "simulate_designs": "estimate.implied",
    "check_denominators": "claims.reconcile", "denominators_for_share": "claims.reconcile",
    "rounded_count_range": "claims.reconcile", "pooled_rate_range": "claims.reconcile",
    "remainder_rate_range": "claims.reconcile", "min_total_for_claim": "claims.reconcile",
    "PooledRange": "claims.reconcile",
    # the standard analysis, and presentation
    "analyze": "analysis", "Analysis": "analysis",
    "in_language": "present.tables",
    "banner_frame": "present.tables",
    "write_report": "present.html_report", "write_csv": "present.export",
    "write_excel": "present.export",
    "write_banner": "present.export",
    # bundled data
    "data_dir": "bundled.datasets", "load_items": "bundled.datasets",
    "load_published_claims": "bundled.datasets",
    "load_synthetic_responses": "bundled.datasets", "synthetic_responses_path": "bundled.datasets",
    "fft_responses_path": "bundled.datasets", "fft_comments_path": "bundled.datasets",
    "SyntheticAssumptions": "bundled.synthetic", "generate_synthetic_responses": "bundled.synthetic",
    "synthetic_rounds_path": "bundled.datasets", "generate_synthetic_rounds": "bundled.rounds",
    "generate_synthetic_monthly": "bundled.monthly",
}
# Modules reachable as attributes (``from survey_analysis import plots``).
_MODULES = {"plots": "present.plots", "export": "present.export"}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _MODULES:
        value = importlib.import_module(f".{_MODULES[name]}", __name__)
    elif name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    else:
        raise AttributeError(f"module 'survey_analysis' has no attribute {name!r}")
    globals()[name] = value  # cache: the next access is a plain attribute lookup
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__) | set(_MODULES))
