"""Read a published table of counts per unit (CSV, Excel, DataFrame) with its ledger.

Offices and hospitals publish per-unit tables, not respondents: a unit, the number of
answers and one of the satisfied count, a rounded percentage (满意率 96.75%), the
dissatisfied count (不满意数) or a rounded dissatisfied percentage (不满意率). This module
reads such a table as text (title rows, headers over two rows, GB18030 and totals rows
handled as for response sheets), checks every number, refuses a unit named on two rows
unless told to add them up, and counts every row it does not keep. The estimation side is
:meth:`survey_analysis.Survey.from_counts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from .._validation import check_choice
from ..scales.text import normalize_text
from ..words import Hint, Message, Note, Parts, SurveyError
from . import coded, rules
from .header import find_column, first_cells, footer_of_first, is_summary, split_header
from .numbers import MAX_COUNT, without_separators
from .parts import PART_SEPARATOR, join_parts, joined_name
from .read import read_source
from .report import ResponseFileError, first_lines

__all__ = ["PERCENT_KINDS", "PERCENT_SCALES", "UNIT_REPEATS", "VALUE_KINDS", "CountsOption", "CountsTable", "counts_flag",
           "read_counts_table", "unit_columns"]

#: The columns a table can give its satisfied answers by; a table names exactly one.
VALUE_KINDS = ("satisfied", "percent", "dissatisfied", "percent_dissatisfied")
#: The kinds that are published percentages (the others are counts).
PERCENT_KINDS = ("percent", "percent_dissatisfied")
#: What to do with a unit named on more than one row: an error (default), or add them up.
UNIT_REPEATS = ("error", "sum")
#: How the numbers of a percentage column are written: as percentages (97.4) or as
#: fractions of 1 (0.974); a column of numbers at most 1 without a % sign must say which.
PERCENT_SCALES = ("percent", "fraction")
#: The catalogue's name of each kind's column (``load.counts.role_...``).
_ROLES = {"satisfied": "satisfied", "percent": "percentage", "dissatisfied": "dissatisfied",
          "percent_dissatisfied": "percentage_dissatisfied"}
#: Headers that name an id column (a facility id, a CCN, a code ...), proposed first.
_ID_HEADER = r"(?i)(\bid\b|_id\b|\bid_|\bcode\b|\bccn\b|number|\bno\.?$)"


class CountsOption(Hint):
    """An option of a counts table (:meth:`Survey.from_counts
    <survey_analysis.Survey.from_counts>`) that an error or a note proposes: said as the
    keyword, and by the command line inside ``--counts`` (:func:`counts_flag`).

    Examples
    --------
    >>> CountsOption("duplicates", "sum").render()
    "duplicates='sum'"
    >>> CountsOption("duplicates", "sum").render(counts_flag)
    "duplicates='sum' (CLI --counts ... duplicates=sum)"
    """

    def render(self, flags=None) -> str:
        text = f"{self.keyword}={self.value!r}"
        flag = flags("counts", {self.keyword: self.value}) if flags is not None else None
        return f"{text} (CLI {flag})" if flag else text


def counts_flag(keyword: str, value) -> str | None:
    """The command line's form of counts options (``keyword`` ``"counts"``, ``value`` a dict
    of them): ``--counts ... item=name+state``; None for any other keyword.

    Examples
    --------
    >>> counts_flag("counts", {"item": ["Facility Name", "State"], "decimals": 0})
    "--counts ... 'item=Facility Name+State' decimals=0"
    >>> counts_flag("header_row", 3) is None
    True
    """
    if keyword != "counts" or not isinstance(value, dict):
        return None
    pairs = [_cli_pair(k, "+".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v))
             for k, v in value.items()]
    return "--counts ... " + " ".join(pairs)


@dataclass
class CountsTable:
    """A counts table as read: the kept rows and the ledger of the others.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per kept row: the unit column :attr:`item`, ``n`` and a count column as
        int64, a percentage column as the text published, the kept columns as text, and
        ``source_line``.
    source : str
        File name or ``"<DataFrame>"``.
    rows_read : int
        Data rows below the header.
    excluded : dict
        Reason -> rows: ``summary_row`` (合计, 总计, Total ...), ``footer_row``, ``blank_row``,
        ``not_published``.
    excluded_lines : dict
        Reason -> lines of the excluded rows.
    notes : list of str
        What the reader noticed (header over two rows, encoding, units joined or added
        up ...).
    header_line : int or None
        Line (CSV) or sheet row (Excel) of the header; None for a DataFrame.
    file_format : str or None
        ``"csv"``, ``"excel"`` ... as :func:`~survey_analysis.load_responses` reads them.
    item : str
        The unit column of :attr:`table`: the header named, or for several columns their
        headers joined with ``" + "`` (the values joined with ``" / "``).
    kind : str
        Which of :data:`VALUE_KINDS` the table gives.
    value : str
        The header of that column.
    repeated : int
        Unit names on more than one row (added up, with ``duplicates="sum"``).
    """

    table: pd.DataFrame
    source: str
    rows_read: int
    excluded: dict = field(default_factory=dict)
    excluded_lines: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    header_line: int | None = None
    file_format: str | None = None
    item: str = "item_id"
    kind: str = "satisfied"
    value: str = "satisfied"
    repeated: int = 0


def unit_columns(item) -> list:
    """The column(s) of a unit as a list: ``"单位"`` -> ``["单位"]``; a list of headers (a
    name and a state) is kept (the command line's ``item=name+state`` is that list).

    Examples
    --------
    >>> unit_columns("单位"), unit_columns(["facility_name", "state"])
    (['单位'], ['facility_name', 'state'])
    """
    if isinstance(item, str):
        parts = [item]
    elif isinstance(item, (list, tuple)):
        parts = list(item)
    else:
        parts = []
    if not parts or not all(isinstance(part, str) and part.strip() for part in parts):
        raise SurveyError("load.counts.item_columns", value=item)
    return parts


def _column(sheet, header, role: str) -> int:
    position = find_column(sheet.headers, sheet.normalized, header)
    if position is None:
        shown = [h for h in sheet.headers if str(h).strip()]
        raise sheet.fail("load.counts.not_a_column", column=str(header), role=Message(f"load.counts.role_{role}"),
                         header=header, headers=shown)
    return position


def _whole_numbers(sheet, cells: pd.Series, lines: np.ndarray, header: str, minimum: int) -> np.ndarray:
    """Cells as whole numbers from ``minimum`` to :data:`~.numbers.MAX_COUNT` (thousands
    separators between groups of three digits and full-width digits accepted); the first
    bad cell is an error naming its line and column."""
    text, misplaced = without_separators(normalize_text(cells))
    if misplaced.any():
        rows = np.flatnonzero(misplaced)
        raise sheet.fail("load.counts.separators", line=int(lines[rows[0]]), column=header, header=header,
                         what=Message("numbers.separators", {"value": cells.iloc[rows[0]]}), count=len(rows),
                         lines=first_lines(lines[rows]))
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    # A count beyond 2**53 - 1 is not held exactly (and beyond 2**63 overflows int64).
    huge = np.isfinite(values) & (np.abs(values) > MAX_COUNT)
    if huge.any():
        rows = np.flatnonzero(huge)
        raise sheet.fail("load.counts.too_large", line=int(lines[rows[0]]), column=header, header=header,
                         value=cells.iloc[rows[0]], most=MAX_COUNT, count=len(rows), lines=first_lines(lines[rows]))
    bad = ~np.isfinite(values) | (values != np.round(values)) | (values < minimum)
    if bad.any():
        rows = np.flatnonzero(bad)
        what = Message("load.counts.empty") if cells.iloc[rows[0]] == "" else repr(cells.iloc[rows[0]])
        raise sheet.fail("load.counts.whole_number", line=int(lines[rows[0]]), column=header, header=header,
                         minimum=minimum, what=what, count=len(rows), lines=first_lines(lines[rows]))
    return values.astype(np.int64)


def _percent_text(sheet, values: pd.Series, lines: np.ndarray, header: str) -> np.ndarray:
    """Published percentages as text (full-width signs read), every cell checked."""
    if (values == "").any():
        empty = lines[(values == "").to_numpy()]
        raise sheet.fail("load.counts.empty_percent", line=int(empty[0]), column=header, count=len(empty),
                         lines=first_lines(empty))
    text = normalize_text(values).str.replace("％", "%", regex=False)
    not_percent = ~text.str.fullmatch(r"\d+(\.\d+)?\s*%?").fillna(False).to_numpy(dtype=bool)
    if not_percent.any():
        bad = lines[not_percent]
        raise sheet.fail("load.counts.not_percent", line=int(bad[0]), column=header, header=header,
                         value=values.iloc[int(np.flatnonzero(not_percent)[0])], count=len(bad),
                         lines=first_lines(bad))
    return text.astype(str).to_numpy(dtype=object)


def _scaled_percent(sheet, text: np.ndarray, lines: np.ndarray, header: str, percent_scale) -> np.ndarray:
    """Checked percentages (:func:`_percent_text`) on the scale of percentages.

    A column whose every value is at most 1, at least one above 0, none written with a %
    sign, is 0.97 = 97% or 0.97%: without ``percent_scale`` it is an error naming both
    readings. With ``"fraction"`` every value must be a fraction of 1 and is read times
    100, exactly (``"0.975"`` -> ``"97.5"``, its decimals kept: ``"0.9700"`` -> ``"97.00"``).
    """
    values = pd.Series(text, dtype="string")
    signed = values.str.contains("%", regex=False).fillna(False).to_numpy(dtype=bool)
    numbers = pd.to_numeric(values.str.rstrip("%").str.strip(), errors="coerce").to_numpy(dtype=float)
    if percent_scale == "percent" or not len(values):
        return text
    if percent_scale is None:
        if signed.any() or (numbers > 1).any() or not (numbers > 0).any():
            return text
        first = int(np.flatnonzero(numbers > 0)[0])
        shown = str(values.iloc[first])
        as_fraction = f"{Decimal(shown).scaleb(2):f}%"
        examples = ", ".join(map(str, pd.unique(values)[:3])) + (" ..." if values.nunique() > 3 else "")
        raise sheet.fail("load.counts.percent_ambiguous", line=int(lines[first]), column=header, header=header,
                         examples=examples, value=shown, as_fraction=as_fraction, as_percent=f"{shown}%",
                         fraction=CountsOption("percent_scale", "fraction"),
                         percent=CountsOption("percent_scale", "percent"))
    over = signed | (numbers > 1)
    if over.any():
        bad = lines[over]
        raise sheet.fail("load.counts.not_fraction", line=int(bad[0]), column=header, header=header,
                         value=str(values.iloc[int(np.flatnonzero(over)[0])]), count=len(bad), lines=first_lines(bad))
    scaled = {value: f"{Decimal(value).scaleb(2):f}" for value in pd.unique(values)}  # distinct texts
    return values.map(scaled).to_numpy(dtype=object)


def _value_kind(values: dict) -> tuple[str, str]:
    """The one value column named: ``(kind, header)``; none or several is an error."""
    given = [kind for kind in VALUE_KINDS if values[kind] is not None]
    if not given:
        raise SurveyError("load.counts.one_value")
    if len(given) > 1:
        raise SurveyError("load.counts.two_values", names=" and ".join(f"{k}={values[k]!r}" for k in given))
    return given[0], values[given[0]]


def _cli_pair(key: str, value: str) -> str:
    """``key=value`` as typed after ``--counts`` (quoted when it holds a space)."""
    pair = f"{key}={value}"
    return f"'{pair}'" if any(c.isspace() for c in pair) else pair


def _repeat_listing(names: pd.Series, lines: np.ndarray, repeated: np.ndarray, limit: int = 5) -> str:
    """"'MEMORIAL HOSPITAL' x5 (lines 12, 80 ...); ...": the first repeated names (in the
    order of their first line) with their lines."""
    table = pd.DataFrame({"name": names.to_numpy(dtype=object)[repeated], "line": lines[repeated]})
    groups = table.groupby("name", sort=False)["line"]
    order = groups.min().sort_values(kind="stable")
    shown = [f"{name!r} x{len(groups.get_group(name))} (lines {first_lines(groups.get_group(name).to_numpy())})"
             for name in order.index[:limit]]
    return "; ".join(shown) + (f"; ... ({len(order) - limit} more)" if len(order) > limit else "")


def _fixes(frame, rows: pd.DataFrame, used: set, units: pd.Series, keys: list, parts: list) -> Parts:
    """What makes the units unique: an id column (unique on every kept row, an id-like
    header first) and a combination of the unit with one text column; and ``duplicates="sum"``."""
    fixes, ids, combination = [], [], None
    others = [(position, frame.header(position).strip()) for position in range(rows.shape[1])
              if position not in used and frame.header(position).strip()]
    for position, header in others:  # a loop over columns, each check vectorized over rows
        cells = rows[position].reset_index(drop=True)
        numeric = pd.to_numeric(cells.str.replace(",", "", regex=False), errors="coerce").notna().all()
        id_like = re.search(_ID_HEADER, header) is not None
        if (cells != "").all() and not pd.concat([cells, *keys], axis=1).duplicated().any() and (id_like or not numeric):
            ids.append((not id_like, position, header))
        if combination is None and not numeric:
            joined = join_parts([units, cells])
            if not pd.concat([joined, *keys], axis=1).duplicated().any():
                combination = [*parts, header]
    if ids:
        header = min(ids)[2]
        fixes.append(Message("load.counts.fix_id", {"header": header, "hint": CountsOption("item", header)}))
    if combination is not None:
        fixes.append(Message("load.counts.fix_combination", {
            "parts": " + ".join(combination), "hint": CountsOption("item", combination)}))
    fixes.append(Message("load.counts.fix_sum", {"hint": CountsOption("duplicates", "sum")}))
    return Parts(fixes)


def read_counts_table(source, *, item, n: str, satisfied: str | None = None,
                      percent: str | None = None, dissatisfied: str | None = None,
                      percent_dissatisfied: str | None = None, keep=(), duplicates: str = "error",
                      sheet=0, encoding: str | None = None, header_row=None,
                      percent_scale: str | None = None) -> CountsTable:
    """Read a table of counts per unit, checking every number and counting every row.

    Parameters
    ----------
    source : str, path or pandas.DataFrame
        CSV, Excel (``.xlsx``) or a DataFrame; title rows above the header are skipped
        (the header is the first row holding the named columns).
    item : str or list of str
        Header of the unit, or several headers that name a unit together (a name and a
        state: ``["facility_name", "state"]``, or ``"facility_name+state"``): their
        non-empty values joined with ``" / "`` into a column named ``"facility_name +
        state"``.
    n : str
        Header of the number of answers (受访数, 回访量, responses).
    satisfied, percent, dissatisfied, percent_dissatisfied : str
        Header of the satisfied count, of the published percentage, of the dissatisfied
        count (不满意数) or of the published dissatisfied percentage (不满意率): exactly
        one.
    keep : list of str
        Other columns to carry as text (strata, groups); a unit is its item and these.
    duplicates : {"error", "sum"}, default "error"
        A unit named on more than one row: an error naming the rows and what would tell
        them apart, or ``"sum"``: the rows are added up (the notes say how many names).
        Unit names that differ only by invisible characters, full-width forms or spaces
        (事项1, 事项１) are one unit, as the response loader's ids are
        (:func:`~survey_analysis.load.rules.merge_ids`): named on two rows, they are a
        repeated unit, and the error (or the note) says they were written two ways.
    sheet, encoding, header_row
        As in :func:`~survey_analysis.load_responses`.
    percent_scale : {"percent", "fraction"}, optional
        How a percentage column is written: ``"percent"`` (97.4 is 97.4%) or
        ``"fraction"`` (0.974 is 97.4%). Default: percentages, unless every value is at
        most 1 (one above 0) and none has a % sign -- 0.97 is then 97% or 0.97%, and the
        error asks which.

    Returns
    -------
    CountsTable

    Raises
    ------
    ResponseFileError
        A named column is missing (the columns found are listed), a unit is empty or
        on more than one row (``duplicates="error"``), a count is not a whole number
        (``n >= 1`` with a percentage, ``0 <= count <= n``), is over 2**53 - 1
        (:data:`~survey_analysis.load.numbers.MAX_COUNT`) or has its thousands separators
        in the wrong places (``1,2,3,4``), or a percentage column is ambiguous (see
        ``percent_scale``); the message names the file, line and column.
    ValueError
        None or several of the value columns, or an unknown ``duplicates``.

    Notes
    -----
    Rows excluded, and counted: totals rows (``summary_row``: 合计, 总计, 全市, Total ... in
    the unit cell or the first non-empty cell), footer lines (``footer_row``: 制表人,
    审核人, Prepared by ...), blank rows (``blank_row``) and units whose count or
    percentage is not published (``not_published``: an empty cell, ``NA``, ``Not
    Available``, ``-`` ...), so that rows read = rows kept + rows excluded. Percentages are kept as the text published;
    the decimals they are read with are decided for the whole column
    (:func:`~survey_analysis.load.percentages.column_decimals`) by
    :meth:`Survey.from_counts <survey_analysis.Survey.from_counts>`.

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

    Two hospitals of one name are two units only with their state:

    >>> hospitals = pd.DataFrame({"name": ["MEMORIAL", "MEMORIAL"], "state": ["TX", "OH"],
    ...                           "n": [300, 200], "satisfied": [270, 150]})
    >>> read_counts_table(hospitals, item=["name", "state"], n="n", satisfied="satisfied").table["name + state"].tolist()
    ['MEMORIAL / TX', 'MEMORIAL / OH']
    """
    kind, value_column = _value_kind({"satisfied": satisfied, "percent": percent, "dissatisfied": dissatisfied,
                                      "percent_dissatisfied": percent_dissatisfied})
    check_choice("duplicates", duplicates, UNIT_REPEATS)
    if percent_scale is not None:
        check_choice("percent_scale", percent_scale, PERCENT_SCALES)
    parts = unit_columns(item)
    item_name = parts[0] if len(parts) == 1 else joined_name(parts)
    named = {"item_id": parts if len(parts) > 1 else parts[0], "n": n, "value": value_column}
    grid = read_source(source, sheet, encoding)
    frame = split_header(grid, header_row, named, None)
    item_positions = [_column(frame, part, "unit") for part in parts]
    positions = {"n": _column(frame, n, "answers"), "value": _column(frame, value_column, _ROLES[kind])}
    kept_positions = [_column(frame, header, "kept") for header in keep]
    cells, lines = frame.cells, frame.lines
    notes = list(frame.notes)
    blank = ~(cells != "").any(axis=1).to_numpy() if cells.shape[1] else np.ones(len(cells), bool)
    first, first_text, _ = first_cells(frame)
    unit_totals = np.zeros(len(cells), dtype=bool)
    for position in item_positions:
        unit_totals |= is_summary(cells[position])
    summary = (unit_totals | is_summary(pd.Series(first_text, dtype="string"))) & ~blank
    footer = footer_of_first(frame, first) & ~blank & ~summary
    # A unit whose count or percentage is not published (empty, NA, Not Available, -) has no
    # figure to count: excluded and counted with its line, never read as 0.
    unpublished = np.zeros(len(cells), dtype=bool)
    for position in positions.values():
        unpublished |= coded.mask(cells[position], lambda u: rules.no_answer(u, stripped=True))
    unpublished &= ~blank & ~summary & ~footer
    steps = (("summary_row", summary), ("footer_row", footer), ("blank_row", blank), ("not_published", unpublished))
    keep_rows = ~blank & ~summary & ~footer & ~unpublished
    excluded = {reason: int(mask.sum()) for reason, mask in steps if mask.any()}
    excluded_lines = {reason: lines[mask] for reason, mask in steps if mask.any()}
    rows, kept_lines = cells.loc[keep_rows], lines[keep_rows]
    if len(parts) > 1:
        units = join_parts([rows[p] for p in item_positions])
        notes.append(Note("load.columns.item_joined", name=item_name, separator=PART_SEPARATOR))
    else:
        units = rows[item_positions[0]].astype("string").reset_index(drop=True)
    if (units == "").any():
        empty = kept_lines[(units == "").to_numpy()]
        raise frame.fail("load.counts.empty_unit", line=int(empty[0]), column=item_name, count=len(empty),
                         lines=first_lines(empty))
    # Look-alike names (事项1, 事项１) are one unit, as the loader's look-alike ids are.
    distinct = units.drop_duplicates().to_numpy(dtype=object)
    merged = rules.merge_ids(distinct, "item", item_name)
    if merged is not None:
        units = units.map(dict(zip(distinct, merged.display[merged.group]))).astype("string")
    kept_cells = [rows[p].astype("string").reset_index(drop=True) for p in kept_positions]
    repeated = pd.concat([units, *kept_cells], axis=1).duplicated(keep=False).to_numpy()
    n_repeated = int(units[repeated].nunique()) if repeated.any() else 0
    if merged is not None and not (repeated.any() and duplicates == "error"):
        notes.append(merged.note)
    if repeated.any():
        listing = _repeat_listing(units, kept_lines, repeated)
        if merged is not None and len(merged.display) < len(distinct):  # say which were written two ways
            listing = Parts((listing, merged.note))
        if duplicates == "error":
            used = {*item_positions, *positions.values()}
            raise frame.fail("load.counts.repeated_units", line=int(kept_lines[repeated][0]), column=item_name,
                             count=n_repeated, rows=int(repeated.sum()), listing=listing,
                             fixes=_fixes(frame, rows, used, units, kept_cells, parts))
        notes.append(Note("load.counts.units_summed", count=n_repeated, rows=int(repeated.sum()),
                          listing=listing))
    totals = _whole_numbers(frame, rows[positions["n"]], kept_lines, n, 1 if kind in PERCENT_KINDS else 0)
    out = {item_name: units, n: totals}
    values = rows[positions["value"]]
    if kind in PERCENT_KINDS:
        text = _percent_text(frame, values, kept_lines, value_column)
        out[value_column] = _scaled_percent(frame, text, kept_lines, value_column, percent_scale)
        if percent_scale == "fraction":
            notes.append(Note("load.counts.fraction_read", column=value_column))
    else:
        count = _whole_numbers(frame, values, kept_lines, value_column, 0)
        over = count > totals
        if over.any():
            line = int(kept_lines[over][0])
            raise frame.fail("load.counts.over", line=line, column=value_column, satisfied=value_column, n=n,
                             count=int(over.sum()), lines=first_lines(kept_lines[over]))
        out[value_column] = count
    for header, column in zip(keep, kept_cells):
        out[header] = column
    table = pd.DataFrame(out)
    table["source_line"] = kept_lines.astype(np.int64)
    if len(table) == 0:
        raise ResponseFileError("load.counts.no_rows", frame.source, sheet=frame.sheet)
    return CountsTable(table, frame.source, len(cells), excluded, excluded_lines, notes,
                       frame.header_line, grid.file_format, item_name, kind, value_column, n_repeated)
