"""Layer 3, estimate: every statistic, computed from counts.

Intervals, item and overall rates, weights, comparisons, multiplicity, multinomial
shares, planning, shrinkage, funnel limits, chance of 100% items, coverage.
"""
