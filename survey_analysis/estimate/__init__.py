"""Layer estimate: every statistic, computed from a design's counts (never from files).

Intervals, item and overall rates, Kish weighting summaries, comparisons, domains,
rounds, multiplicity, multinomial shares, definition sensitivity, planning, shrinkage,
funnel limits, chance of 100% items, implied designs, coverage.
"""
