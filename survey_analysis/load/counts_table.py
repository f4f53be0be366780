"""Read a published table of counts per unit (CSV, Excel, DataFrame) with its ledger.

Offices and hospitals publish per-unit tables, not respondents: a unit, the number of
answers and either the satisfied count or a rounded percentage (满意率 96.75%). This
module reads such a table as text (title rows, headers over two rows, GB18030 and totals
rows handled as for response sheets), checks every number, and counts every row it does
not keep. The estimation side is :meth:`survey_analysis.Survey.from_counts`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..scales.text import normalize_text
from ..words import Message, SurveyError
from .header import find_column, first_cells, is_summary, split_header
from .read import read_source
from .report import ResponseFileError, first_lines

__all__ = ["CountsTable", "read_counts_table"]


@dataclass
class CountsTable:
    """A counts table as read: the kept rows and the ledger of the others.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per kept row: the named columns (``n`` and ``satisfied`` as int64,
        ``percent`` as the text published, the others as text) and ``source_line``.
    source : str
        File name or ``"<DataFrame>"``.
    rows_read : int
        Data rows below the header.
    excluded : dict
        Reason -> rows: ``summary_row`` (合计, 总计, Total ...), ``blank_row``.
    excluded_lines : dict
        Reason -> lines of the excluded rows.
    notes : list of str
        What the reader noticed (header over two rows, encoding ...).
    header_line : int or None
        Line (CSV) or sheet row (Excel) of the header; None for a DataFrame.
    file_format : str or None
        ``"csv"``, ``"excel"`` ... as :func:`~survey_analysis.load_responses` reads them.
    """

    table: pd.DataFrame
    source: str
    rows_read: int
    excluded: dict = field(default_factory=dict)
    excluded_lines: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    header_line: int | None = None
    file_format: str | None = None


def _column(sheet, header, role: str) -> int:
    position = find_column(sheet.headers, sheet.normalized, header)
    if position is None:
        shown = [h for h in sheet.headers if str(h).strip()]
        raise sheet.fail("load.counts.not_a_column", column=str(header), role=Message(f"load.counts.role_{role}"),
                         header=header, headers=shown)
    return position


def _whole_numbers(sheet, cells: pd.Series, lines: np.ndarray, header: str, minimum: int) -> np.ndarray:
    """Cells as whole numbers >= ``minimum`` (thousands separators and full-width digits
    accepted); the first bad cell is an error naming its line and column."""
    text = normalize_text(cells).str.replace(",", "", regex=False)
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isfinite(values) | (values != np.round(values)) | (values < minimum)
    if bad.any():
        rows = np.flatnonzero(bad)
        what = Message("load.counts.empty") if cells.iloc[rows[0]] == "" else repr(cells.iloc[rows[0]])
        raise sheet.fail("load.counts.whole_number", line=int(lines[rows[0]]), column=header, header=header,
                         minimum=minimum, what=what, count=len(rows), lines=first_lines(lines[rows]))
    return values.astype(np.int64)


def read_counts_table(source, *, item: str, n: str, satisfied: str | None = None,
                      percent: str | None = None, keep=(), sheet=0, encoding: str | None = None,
                      header_row=None) -> CountsTable:
    """Read a table of counts per unit, checking every number and counting every row.

    Parameters
    ----------
    source : str, path or pandas.DataFrame
        CSV, Excel (``.xlsx``) or a DataFrame; title rows above the header are skipped
        (the header is the first row holding the named columns).
    item, n : str
        Headers of the unit and of the number of answers (受访数, 回访量, responses).
    satisfied, percent : str
        Header of the satisfied count, or of the published percentage (exactly one).
    keep : list of str
        Other columns to carry as text (strata, groups).
    sheet, encoding, header_row
        As in :func:`~survey_analysis.load_responses`.

    Returns
    -------
    CountsTable

    Raises
    ------
    ResponseFileError
        A named column is missing (the columns found are listed), a unit is empty, or
        ``n`` / ``satisfied`` is not a whole number (``n >= 1`` with ``percent``,
        ``0 <= satisfied <= n``); the message names the file, line and column.
    ValueError
        Neither or both of ``satisfied`` and ``percent``.

    Notes
    -----
    Rows excluded, and counted: totals rows (``summary_row``: 合计, 总计, Total ... in
    the unit cell or the first non-empty cell) and blank rows (``blank_row``), so that
    rows read = rows kept + rows excluded. Percentages are kept as the text published
    (``"99.00%"`` has two decimals; see
    :func:`~survey_analysis.counts_from_percentages`).

    Examples
    --------
    >>> import pandas as pd
    >>> published = pd.DataFrame({"单位": ["甲", "乙", "合计"], "回访量": ["400", "1,922", "2322"],
    ...                           "满意率": ["96.75%", "98.37%", "98.11%"]})
    >>> read = read_counts_table(published, item="单位", n="回访量", percent="满意率")
    >>> read.table[["单位", "回访量", "满意率"]].to_dict("list")
    {'单位': ['甲', '乙'], '回访量': [400, 1922], '满意率': ['96.75%', '98.37%']}
    >>> read.rows_read, read.excluded
    (3, {'summary_row': 1})
    """
    if (satisfied is None) == (percent is None):
        raise SurveyError("load.counts.one_value")
    value_column = satisfied if satisfied is not None else percent
    named = {"item_id": item, "n": n, "value": value_column}
    grid = read_source(source, sheet, encoding)
    frame = split_header(grid, header_row, named, None)
    positions = {"item": _column(frame, item, "unit"), "n": _column(frame, n, "answers"),
                 "value": _column(frame, value_column, "satisfied" if satisfied else "percentage")}
    kept_positions = [_column(frame, header, "kept") for header in keep]
    cells, lines = frame.cells, frame.lines
    blank = ~(cells != "").any(axis=1).to_numpy() if cells.shape[1] else np.ones(len(cells), bool)
    _, first_text, _ = first_cells(frame)
    summary = (is_summary(cells[positions["item"]]) | is_summary(pd.Series(first_text, dtype="string"))) \
        & ~blank
    keep_rows = ~blank & ~summary
    excluded = {reason: int(mask.sum()) for reason, mask in (("summary_row", summary), ("blank_row", blank))
                if mask.any()}
    excluded_lines = {reason: lines[mask] for reason, mask in (("summary_row", summary),
                                                                ("blank_row", blank)) if mask.any()}
    rows, kept_lines = cells.loc[keep_rows], lines[keep_rows]
    units = rows[positions["item"]]
    if (units == "").any():
        empty = kept_lines[(units == "").to_numpy()]
        raise frame.fail("load.counts.empty_unit", line=int(empty[0]), column=item, count=len(empty),
                         lines=first_lines(empty))
    totals = _whole_numbers(frame, rows[positions["n"]], kept_lines, n, 1 if percent else 0)
    out = {item: units.astype("string").reset_index(drop=True), n: totals}
    if satisfied is not None:
        count = _whole_numbers(frame, rows[positions["value"]], kept_lines, satisfied, 0)
        over = count > totals
        if over.any():
            line = int(kept_lines[over][0])
            raise frame.fail("load.counts.over", line=line, column=satisfied, satisfied=satisfied, n=n,
                             count=int(over.sum()), lines=first_lines(kept_lines[over]))
        out[satisfied] = count
    else:
        values = rows[positions["value"]]
        if (values == "").any():
            empty = kept_lines[(values == "").to_numpy()]
            raise frame.fail("load.counts.empty_percent", line=int(empty[0]), column=percent, count=len(empty),
                             lines=first_lines(empty))
        text = normalize_text(values).str.replace("％", "%", regex=False)
        not_percent = ~text.str.fullmatch(r"\d+(\.\d+)?\s*%?").fillna(False).to_numpy(dtype=bool)
        if not_percent.any():
            bad = kept_lines[not_percent]
            raise frame.fail("load.counts.not_percent", line=int(bad[0]), column=percent, header=percent,
                             value=values.iloc[int(np.flatnonzero(not_percent)[0])], count=len(bad),
                             lines=first_lines(bad))
        out[percent] = text.astype(str).to_numpy(dtype=object)
    for header, position in zip(keep, kept_positions):
        out[header] = rows[position].astype("string").reset_index(drop=True)
    table = pd.DataFrame(out)
    table["source_line"] = kept_lines.astype(np.int64)
    if len(table) == 0:
        raise ResponseFileError("load.counts.no_rows", frame.source, sheet=frame.sheet)
    return CountsTable(table, frame.source, len(cells), excluded, excluded_lines, list(frame.notes),
                       frame.header_line, grid.file_format)
