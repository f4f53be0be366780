"""Layer 1, load: files and frames -> tidy responses with a ledger of every row.

Modules: :mod:`.scales` (rating scales as data, label normalization) and
:mod:`.responses` (:func:`load_responses`, :class:`LoadReport`).
"""
