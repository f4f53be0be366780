"""Layer load: files and frames -> tidy responses or counts, with a ledger of every row.

Modules: :mod:`.responses` (:func:`load_responses`), :mod:`.rules` (the rule book every
engine applies), :mod:`.report` (:class:`Ledger`, the ledger; :class:`ResponseFileError`),
:mod:`.engines` (counts from big files or frames: :mod:`.duck`, :mod:`.frames`,
:mod:`.counted`), :mod:`.read`, :mod:`.excel`, :mod:`.workbook`, :mod:`.ods` and
:mod:`.grid` (files and frames into grids of cell texts), :mod:`.header` and :mod:`.names`
(header rows and column names), :mod:`.detect` (which scale the answers are on),
:mod:`.counts_table` and :mod:`.percentages` (published tables of counts or rounded
percentages), :mod:`.claimset` (claims files), :mod:`.coded` (text columns as codes into
their distinct texts), :mod:`.options` (the loader's options and flags). See
``docs/architecture.md``.
"""
