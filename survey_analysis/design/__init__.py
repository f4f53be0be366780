"""Layer 2, design: a study's design and its sufficient counts.

Modules: :mod:`.counts` (satisfied and valid counts per group from tidy responses)
and :mod:`.engines` (the same counts from big files with DuckDB or Dask).
"""
