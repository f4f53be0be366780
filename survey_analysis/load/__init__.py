"""Layer load: files and frames -> tidy responses (or counts) with a ledger of every row.

Modules: :mod:`.responses` (:func:`load_responses`), :mod:`.report` (the ledger),
:mod:`.read`, :mod:`.excel` and :mod:`.grid` (files into grids of cell texts),
:mod:`.header` and :mod:`.names` (header rows and column names), :mod:`.detect` (which
scale the answers are on), :mod:`.engines` (DuckDB and Dask: files -> counts with the
same ledger), :mod:`.counts_table` and :mod:`.percentages` (published tables of counts
or rounded percentages), :mod:`.claimset` (claims files), :mod:`.coded` (text columns as
codes into their distinct texts), :mod:`.options` (the loader's options and flags).
"""
