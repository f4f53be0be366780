"""Layer claims: published statements checked against the estimates.

Modules: :mod:`.check` (verdicts on an office's claims; the claims file itself is data,
read by :mod:`survey_analysis.load.claimset`), :mod:`.audit` (which counts a published
percentage allows) and :mod:`.reconcile` (published figures reconciled: which denominator
reproduces a rate, whether a whole can follow from its parts, what totals a claim needs).
"""
