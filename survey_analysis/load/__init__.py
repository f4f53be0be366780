"""Layer 1, load: files and frames -> tidy responses with a ledger of every row.

Modules: :mod:`.scales` (rating scales as data, label normalization),
:mod:`.responses` (:func:`load_responses`, :class:`LoadReport`), :mod:`.read` and
:mod:`.excel` (files and frames into grids of cell texts), :mod:`.coded` (text columns as
codes into their distinct texts).
"""
