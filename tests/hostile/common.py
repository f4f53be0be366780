"""Shared pieces of the hostile-input cases of issue 14 (one module per area beside this one).

Each area module defines ``CASES``: a list of :class:`Case`. ``build(folder)`` writes the
input into ``folder`` (deterministic bytes) and returns the path to hand to the package;
``outcome`` says in one line what the package does with it, and the area's test file
(``tests/test_hostile_<area>.py``) asserts it.
"""

from collections import namedtuple

Case = namedtuple("Case", "number title build outcome")
