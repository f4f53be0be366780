"""Layer 1, load: files and frames -> tidy responses or counts, with a ledger of every row.

Modules: :mod:`.responses` (:func:`load_responses`), :mod:`.rules` (the rule book every
engine applies), :mod:`.report` (:class:`Ledger`, the ledger; :class:`ResponseFileError`),
:mod:`.engines` (counts from big files or frames: :mod:`.duck`, :mod:`.frames`,
:mod:`.counted`), :mod:`.read`, :mod:`.excel` and :mod:`.ods` (files and frames into grids of
cell texts), :mod:`.header` (header and layout), :mod:`.coded` (text columns as codes into
their distinct texts). See ``docs/architecture.md``.
"""
