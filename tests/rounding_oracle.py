"""An independent reference for rounding tests: exact fractions, no inequalities.

Shared by ``test_audit.py`` and ``test_reconcile.py``, which check the package's integer
cross-multiplications against it.
"""

from fractions import Fraction


def round_fraction(x: Fraction, decimals: int, rounding: str) -> int:
    """``x`` rounded to ``decimals`` decimals, returned times ``10**decimals`` (exact)."""
    scaled = x * 10**decimals
    floor = scaled.numerator // scaled.denominator
    rest = scaled - floor
    if rounding == "truncate":
        return floor
    if rounding == "half_up":
        return floor + (rest >= Fraction(1, 2))
    return floor + (rest > Fraction(1, 2) or (rest == Fraction(1, 2) and floor % 2 == 1))
