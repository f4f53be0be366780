"""Test-suite settings.

Hypothesis runs derandomized by default so that CI gives the same answer on every run
(a property test that fails once in a hundred runs would block a merge at random).
Set ``HYPOTHESIS_PROFILE=explore`` to search new random examples locally.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True)
settings.register_profile("explore", derandomize=False, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
