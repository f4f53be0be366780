"""Layer 4, claims: published statements checked against the estimates.

Modules: :mod:`.claimset` (claims files: an office's own statements as data),
:mod:`.check` (verdicts), :mod:`.audit` (which counts a published percentage allows) and
:mod:`.sensitivity` (the headline under each definition of "satisfied").
"""
