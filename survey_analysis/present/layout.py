"""How big a one-row-per-item figure is, and which rows a capped figure draws.

Shared by the plots and by the reports that make their own Figure, so a figure drawn
either way has the same size.
"""

from __future__ import annotations

from ..words import SurveyError

__all__ = ["MAX_ROWS", "check_cap", "extremes_shown", "row_figsize", "rows_drawn"]

#: Rows a one-row-per-item figure draws by default: the lowest and the highest items.
MAX_ROWS = 40


def check_cap(name: str, value) -> None:
    """Raise ``ValueError`` unless ``value`` is None or a positive whole number."""
    if value is not None and (isinstance(value, bool) or int(value) != value or value < 1):
        raise SurveyError("present.layout.cap", name=name, value=value)


def extremes_shown(total: int, max_items) -> tuple:
    """``(low, high)``: rows a capped figure draws from each end of ``total`` sorted rows.

    Every row (``(total, 0)``) when ``max_items`` is None or not exceeded; otherwise
    the lower half of ``max_items`` from the low end and the rest from the high end.
    """
    check_cap("max_items", max_items)
    if max_items is None or total <= max_items:
        return total, 0
    low = (int(max_items) + 1) // 2
    return low, int(max_items) - low


def rows_drawn(total: int, max_items) -> int:
    """Rows a figure of ``total`` items capped at ``max_items`` takes: the items drawn,
    plus one for the gap between the lowest and the highest when some are left out."""
    low, high = extremes_shown(total, max_items)
    return low + high + (1 if low + high < total else 0)


def row_figsize(total: int, max_items=MAX_ROWS, width: float = 7.0, per_row: float = 0.13,
                 base: float = 1.8, minimum: float = 3.0) -> tuple:
    """Figure size of a one-row-per-item plot: its height follows the rows drawn, never
    the number of items (so callers making their own Figure size it the same way)."""
    return width, max(minimum, per_row * rows_drawn(total, max_items) + base)
