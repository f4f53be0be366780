"""Scales as data, at the bottom of the package: levels, conventions, definitions, text.

Both the loader (which reads labels onto scales) and the estimators (which count the
satisfied levels) use these; neither owns them.
"""

from .definition import Definition, resolve_definition, satisfied_mask
from .scale import COMMON_DONT_KNOW, DONT_KNOW, SCALES, TOP_BOX_NAMES, Scale, scale_of, scales_of
from .text import normalize_text

__all__ = ["COMMON_DONT_KNOW", "DONT_KNOW", "SCALES", "TOP_BOX_NAMES", "Definition", "Scale",
           "normalize_text", "resolve_definition", "satisfied_mask", "scale_of", "scales_of"]
