"""Layer 4, claims: published statements checked against the estimates.

Modules: :mod:`.claimset` (claims files: an office's own statements as data),
:mod:`.check` (verdicts), :mod:`.audit` (which counts a published percentage allows),
:mod:`.reconcile` (published figures reconciled: which denominator reproduces a rate, whether a
whole can follow from its parts, what totals a claim needs), :mod:`.implied` (what published
figures imply about the survey behind them) and :mod:`.sensitivity` (the headline under each
definition of "satisfied").
"""
