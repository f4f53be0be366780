"""Layer design: a study's design and its sufficient counts, built once, never changed.

Modules: :mod:`.design` (:class:`~.design.Design`, the immutable design every estimate
takes), :mod:`.level_counts` (the sufficient counts), :mod:`.options` (the design's
options, once), :mod:`.variance` (the one design-based variance routine),
:mod:`.calibration` (post-stratification, raking, trimming) and :mod:`.counts`
(``satisfaction_counts``).
"""
