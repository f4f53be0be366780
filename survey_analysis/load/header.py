"""Finding the header below title rows, naming the columns, and choosing the layout.

Headers are compared after :func:`survey_analysis.scales.text.normalize_text`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._validation import check_choice
from ..scales.text import normalize_labels, normalize_many
from ..words import Hint, Message, SurveyError
from . import coded, rules
from .detect import known_labels
from .grid import Grid
from .names import (
    COLUMN_ALIASES,
    COMMENT_COLUMNS,
    FLAG_ANSWERS,
    META_COLUMNS,
    REQUIRED_COLUMNS,
    YES_NO_ANSWERS,
)
from .options import Placeholder
from .report import Note, ResponseFileError, sheet_languages

__all__ = ["ColumnRole", "Plan", "Sheet", "comment_positions",
           "check_formulas", "choose_layout", "find_column", "first_cells", "first_nonempty", "first_text",
           "footer_of_first",
           "is_summary", "refuse_duplicate_headers", "split_header", "summary_of_first"]


_HEADER_SEARCH_ROWS = 50
_HEADER_HINT_ROWS = 1000  # rows searched (for the error message only) when the first 50 hold no header
_WIDE_LABEL_SHARE = 0.5


# ---------------------------------------------------------------------------
# Header row and columns
# ---------------------------------------------------------------------------

_MANY_COLUMNS = 64  # beyond this, the distinct texts of all columns are stripped in one call


def _stripped_columns(text: pd.DataFrame) -> list:
    """(codes, distinct texts, the same stripped, the column) of each column of a grid."""
    cats = [coded.as_coded(column) for _, column in text.items()]
    if len(cats) > _MANY_COLUMNS:
        # A wide sheet (thousands of item columns): one vectorized strip over the distinct
        # texts of every column, instead of pandas calls per column.
        parts = [coded.parts(cat) for cat in cats]
        every = np.concatenate([uniques for _, uniques in parts]) if parts else np.zeros(0, object)
        texts = pd.Series(every, dtype="string")
        clean = texts.str.strip()
        changed = (clean != texts).to_numpy(dtype=bool)
        cleaned = clean.to_numpy(dtype=object)
        out, start = [], 0
        for (codes, uniques), cat in zip(parts, cats):
            stop = start + len(uniques)
            out.append((codes, uniques, cleaned[start:stop] if changed[start:stop].any() else uniques, cat))
            start = stop
        return out
    out = []
    for cat in cats:
        codes, uniques = coded.parts(cat)
        stripped = uniques
        # Texts of ASCII letters and digits alone (ids) strip to themselves: the others are stripped.
        rest = ~coded.plain_texts(uniques) if len(uniques) else np.zeros(0, dtype=bool)
        if rest.any():
            texts = pd.Series(coded.string_array(uniques))
            texts = texts[rest] if not rest.all() else texts
            clean = texts.str.strip()
            if not (clean == texts).all():
                stripped = uniques.copy()
                stripped[rest] = clean.to_numpy(dtype=object)
        out.append((codes, uniques, stripped, cat))
    return out


def _any_row(codes: np.ndarray, hit: np.ndarray) -> bool:
    """Whether some row's distinct text is a ``hit``."""
    if not len(codes) or not hit.any():
        return False
    # The first rows decide most columns: all of them are read only when those say no.
    return bool(hit.all() or hit[codes[:4096]].any() or hit[codes].any())


def _find_header(grid: Grid, recognized: set, header_row, columns: list, normalized: dict) -> tuple:
    """Position (in ``grid.text``) of the header row, and a hint for error messages when
    no row among the first 50 holds a known header name (None otherwise); ``columns``: see
    :func:`_stripped_columns`; ``normalized`` receives the normalized texts of the rows
    searched (row position -> list), which the next steps read again."""
    text, lines = grid.text, grid.lines
    unit = "row" if grid.file_format == "excel" else "line"

    def nonempty(rows) -> np.ndarray:  # rows x columns: holds more than white space
        return (np.column_stack([stripped[codes[rows]] != "" for codes, _, stripped, _ in columns])
                if columns else np.zeros((len(np.arange(len(text))[rows]), 0), dtype=bool))

    if header_row is not None:
        first, last = header_row if isinstance(header_row, tuple) else (header_row, header_row)
        found = np.flatnonzero(lines == first)
        if not len(found) or not nonempty([found[0]])[0].any() or not np.isin(last, lines):
            shown = first if first == last else f"({first}, {last})"
            raise ResponseFileError("load.header.row_empty", grid.source, sheet=grid.sheet, shown=shown,
                                    unit=Message(f"load.unit.{unit}"), units=Message(f"load.unit.{unit}s"),
                                    last=lines.max() if len(lines) else 0)
        return int(found[0]), None
    if not any(_any_row(codes, ~coded.empty_texts(stripped)) for codes, _, stripped, _ in columns):
        what = Message("load.header.empty_sheet" if grid.file_format == "excel" else "load.header.empty_csv")
        raise ResponseFileError("load.header.nothing", grid.source, sheet=grid.sheet, what=what,
                                unit=Message(f"load.unit.{unit}"))
    top = coded.block(text, 0, _HEADER_SEARCH_ROWS)
    norm = normalize_labels(pd.Series(top.ravel(), dtype="string")).to_numpy(dtype=object)
    norm = norm.reshape(top.shape)
    normalized.update({row: norm[row].tolist() for row in range(len(norm))})
    hits = pd.Series(norm.ravel(), dtype=object).isin(recognized).to_numpy(dtype=bool)
    hits = hits.reshape(norm.shape).any(axis=1)
    if hits.any():
        return int(np.argmax(hits)), None
    # No known header name: take the first row with the most filled cells (a title row
    # fills one cell; the header fills every column).
    return (int(np.argmax(nonempty(slice(0, _HEADER_SEARCH_ROWS)).sum(axis=1))),
            _header_further_down(grid, recognized, unit))


def _header_further_down(grid: Grid, recognized: set, unit: str) -> Message:
    """What to say when the first rows hold no known header name: the row further down
    (up to :data:`_HEADER_HINT_ROWS`) that holds one, as a ``header_row=`` to pass."""
    searched = Message("load.header.searched", {"rows": _HEADER_SEARCH_ROWS, "units": Message(f"load.unit.{unit}s")})
    below = coded.block(grid.text, _HEADER_SEARCH_ROWS, _HEADER_HINT_ROWS)
    if below.size:
        norm = normalize_labels(pd.Series(below.ravel(), dtype="string")).to_numpy(dtype=object)
        hits = pd.Series(norm, dtype=object).isin(recognized).to_numpy(dtype=bool).reshape(below.shape)
        # A row is proposed only when it holds two known names, or one with no data-like row
        # (two filled cells or more) above it: one cell of a data row ("ID", a US state
        # code) is no header.
        above = np.vstack([coded.block(grid.text, 0, _HEADER_SEARCH_ROWS), below])
        filled = (pd.Series(above.ravel(), dtype="string").str.strip().fillna("") != "").to_numpy(bool)
        data_like = filled.reshape(above.shape).sum(axis=1) >= 2
        data_above = (np.cumsum(data_like) - data_like)[_HEADER_SEARCH_ROWS:] > 0
        found = hits.sum(axis=1)
        rows = np.flatnonzero((found >= 2) | ((found == 1) & ~data_above))
        if len(rows):
            line = int(grid.lines[_HEADER_SEARCH_ROWS + rows[0]])
            names = [str(v).strip() for v, hit in zip(below[rows[0]], hits[rows[0]]) if hit]
            return Message("load.header.further_down", {
                "searched": searched, "unit": Message(f"load.unit.{unit}"), "line": line,
                "names": ", ".join(map(repr, names[:4])), "hint": Hint("header_row", line)})
    return Message("load.header.not_found", {"searched": searched, "unit": Message(f"load.unit.{unit}"),
                                             "hint": Hint("header_row", Placeholder("N"))})


def find_column(headers: list, normalized: list, wanted) -> int | None:
    """Position of ``wanted`` among ``headers``: exact text first, then normalized."""
    wanted = str(wanted)
    for candidates, target in ((headers, wanted), (normalized, normalize_many([wanted])[0])):
        if target in candidates:
            return candidates.index(target)
    return None


def _shown_headers(headers: list) -> list:
    return [h for h in headers if h.strip()]


def _resolve_columns(headers, normalized, columns, source, sheet):
    """Canonical column -> position, from ``columns`` first, then :data:`COLUMN_ALIASES`.

    A canonical name mapped to None in ``columns`` is absent on purpose (e.g. no
    respondent column: each row is its own respondent) and is not looked for.
    Returns (mapping, absent names).
    """
    mapping: dict[str, int] = {}
    absent = set()
    for canonical, header in (columns or {}).items():
        check_choice("canonical column", canonical, tuple(COLUMN_ALIASES))
        if header is None:
            if canonical in REQUIRED_COLUMNS:
                raise SurveyError("load.columns.required", canonical=canonical)
            absent.add(canonical)
            continue
        position = find_column(headers, normalized, header)
        if position is None:
            raise ResponseFileError("load.columns.not_a_column", source, column=str(header), sheet=sheet,
                                    languages=sheet_languages(*headers), canonical=canonical, header=header,
                                    headers=_shown_headers(headers))
        mapping[canonical] = position
    for canonical, aliases in COLUMN_ALIASES.items():
        if canonical in mapping or canonical in absent:
            continue
        for alias in aliases:
            positions = [i for i, h in enumerate(normalized) if h == alias and i not in mapping.values()]
            if positions:
                mapping[canonical] = positions[0]
                break
    return mapping, frozenset(absent)


@dataclass(frozen=True)
class ColumnRole:
    """What the loader made of one column of the sheet, and why (catalogue codes
    ``load.role.<role>`` and ``load.why.<why>``).

    ``role``: ``item_id``, ``respondent_id``, ``rating``, ``weight`` (a canonical column),
    ``item`` (an item column of a wide sheet), ``kept`` (``keep_columns=``), ``comment``
    (``comments=``) or ``ignored``.
    """

    header: str
    role: str
    why: str


def _column_kind(values: set) -> str:
    """``flag`` (True/False, 0/1), ``yes_no`` (是/否, yes/no) or ``levels`` for the distinct
    normalized answers of a column that holds rating labels."""
    if values and values <= FLAG_ANSWERS:
        return "flag"
    if values and values <= YES_NO_ANSWERS:
        return "yes_no"
    return "levels"


def _detect_item_columns(cells: pd.DataFrame, headers, normalized, taken, extra_labels=()):
    """Wide sheet: the item columns, notes about the columns that nearly qualified, and the
    :class:`ColumnRole` of every other column looked at.

    Items are found by their content, not their header. A candidate (not taken, with a
    header that is not a canonical column's) is an item column when at least half of its
    non-empty cells are rating labels or "don't know" answers and at least one is a word
    label: a column of small numbers alone may as well hold ids, ages or counts, so numeric
    item columns must be named with ``item_columns=``. A header that usually names another
    kind of column (:data:`META_COLUMNS`: 电话, phone, 时间 ...) is an item only when every
    answer is a rating label, there are two labels or more and at least half the rows are
    filled; the report says so. A column of True/False (or 0/1) is a
    flag, never an item unless named; a column of yes/no answers (是/否) is an item only
    when no column of more levels is.
    """
    canonical_names = set().union(*COLUMN_ALIASES.values())
    meta_names = set(META_COLUMNS)
    candidates = [i for i, (h, n) in enumerate(zip(headers, normalized))
                  if str(h).strip() and i not in taken and n not in canonical_names]
    if not candidates or not len(cells):
        return [], [], [ColumnRole(str(headers[c]).strip(), "ignored", "no_rows") for c in candidates]
    # Each column's distinct texts are read once (totals rows included: they are few).
    coded_parts = [coded.parts(cells[c]) for c in candidates]
    everything = np.concatenate([uniques for _, uniques in coded_parts])
    normalized_all = normalize_labels(pd.Series(everything, dtype="string"))
    known_all, worded_all = known_labels(normalized_all, extra_labels)
    normalized_all = normalized_all.fillna("").to_numpy(dtype=object)
    known_count, filled, worded_any, kinds, distinct, start = [], [], [], [], [], 0
    for codes, uniques in coded_parts:
        part = slice(start, start + len(uniques))
        present = np.zeros(len(uniques), dtype=bool)
        present[np.unique(codes)] = True
        known, worded = known_all[part], worded_all[part]
        start += len(uniques)
        known_count.append(known[codes].sum())
        filled.append((uniques != "")[codes].sum())
        worded_any.append(worded[codes].any())
        answers = {v for v in normalized_all[part][present & known] if v}
        kinds.append(_column_kind(answers))
        distinct.append(len(answers))
    known_count, filled = np.array(known_count), np.array(filled)
    share = np.divide(known_count, filled, out=np.zeros(len(candidates)), where=filled > 0)
    is_meta = np.array([normalized[c] in meta_names for c in candidates], dtype=bool)
    # A usual non-item header (电话, phone, 备注) is an item only on strong evidence: every
    # answer a label, two labels or more, filled on at least half the rows (a remark
    # column holding one "满意" is a remark).
    strong = (share == 1.0) & (np.array(distinct) >= 2) & (filled >= _WIDE_LABEL_SHARE * len(cells))
    labelled = np.array(worded_any, dtype=bool) & np.where(is_meta, strong, share >= _WIDE_LABEL_SHARE)
    kinds = np.array(kinds, dtype=object)
    many_levels = labelled & (kinds == "levels")
    qualifies = many_levels | (labelled & (kinds == "yes_no") & ~many_levels.any() & ~is_meta)
    items = [c for c, ok in zip(candidates, qualifies) if ok]
    notes, roles = [], []
    for c, ok, k, f, kind, meta, fits in zip(candidates, qualifies, known_count, filled, kinds, is_meta, labelled):
        header = str(headers[c]).strip()
        if ok:
            roles.append(ColumnRole(header, "item", "meta_labels" if meta else "labels"))
            if meta:
                notes.append(Note("load.layout.meta_item", header=header))
        elif fits and kind in ("flag", "yes_no"):
            roles.append(ColumnRole(header, "ignored", kind))
            notes.append(Note(f"load.layout.{kind}_column", header=header,
                              hint=Hint("item_columns", [header, Placeholder("...")])))
        else:
            roles.append(ColumnRole(header, "ignored", "meta_name" if meta and k else "not_labels"))
            if k and not meta:
                notes.append(Note("load.layout.near_miss", header=header, labels=int(k), answers=int(f)))
    return items, notes, roles


# ---------------------------------------------------------------------------
# The loader
# ---------------------------------------------------------------------------

@dataclass
class Sheet:
    """The data rows below the header, as stripped text, with their lines."""

    source: str
    sheet: str | None
    headers: list                  # header text as written, one per column
    normalized: list               # headers after normalize_text
    cells: pd.DataFrame            # stripped text (coded.py Categoricals), '' when empty; columns 0..m-1
    lines: np.ndarray              # line / sheet row of each data row
    header_line: int | None = None
    no_value: pd.DataFrame | None = None      # Excel: formula without a saved value
    header_no_value: np.ndarray | None = None
    notes: list = field(default_factory=list)
    header_hint: Message | None = None  # the header was guessed: where a header_row= could point
    unit: str = "line"             # "row" for Excel

    def fail(self, code: str, line=None, column=None, **params) -> ResponseFileError:
        """The error ``code`` (a catalogue entry) about this sheet: its file, sheet, ``line``
        and ``column``; in Chinese too when the sheet's headers are Chinese."""
        return ResponseFileError(code, self.source, line=line, column=column, sheet=self.sheet,
                                 languages=sheet_languages(*self.headers), **params)

    def header(self, position: int) -> str:
        return str(self.headers[position])


@dataclass
class Plan:
    """Layout and where the canonical columns are."""

    layout: str
    mapping: dict                  # canonical -> column position
    items: list                    # wide: item column positions
    absent: frozenset = frozenset()  # canonical columns declared absent (columns={...: None})
    roles: tuple = ()              # ColumnRole of each column looked at for items (wide)

    def header_of(self, sheet: Sheet) -> dict:
        return {c: sheet.header(p) for c, p in self.mapping.items()}


def _header_span(grid: Grid, position: int, header_row, recognized: set, normalized: dict) -> int:
    """How many rows the header takes, from ``position`` down (1 for a plain header).

    A header over two rows -- group labels merged across the top row (受访情况 over 社区 /
    受访人 / 评价) and other labels merged down (序号, 事项名称) -- is recognized from Excel's
    merged ranges, or, in any file, when the next row holds a known header name under an
    empty or unknown top cell and no rating label. ``header_row=(first, last)`` gives the
    span explicitly.
    """
    if isinstance(header_row, tuple):
        return header_row[1] - header_row[0] + 1
    if header_row is not None or position + 1 >= len(grid.text):
        return 1
    line = int(grid.lines[position])
    if position + 1 in normalized:
        below = pd.Series(normalized[position + 1], dtype="string")
        top = normalized[position]
    else:
        rows = coded.block(grid.text, position, position + 2)
        below = normalize_labels(pd.Series(rows[1], dtype="string"))
        top = normalize_many(rows[0].tolist())
    _, worded = known_labels(below)
    header_words = below.isin(recognized).to_numpy(dtype=bool)
    if worded.any() and not header_words.any():
        return 1  # the next row holds answers: it is data
    last = line
    for min_col, min_row, max_col, max_row in grid.merged:
        if min_row == line:
            last = max(last, max_row, line + 1 if max_col > min_col else line)
    if last > line:
        return min(last - line + 1, len(grid.text) - position)
    under_unknown = [i for i, hit in enumerate(header_words)
                     if hit and (top[i] == "" or top[i] not in recognized)]
    return 2 if under_unknown and not worded.any() else 1


def _combine_header(rows: pd.DataFrame) -> tuple[list, str | None]:
    """One name per column from header rows: the lowest non-empty cell (as written),
    prefixed with the group label above it (carried right across a merged group) where
    names repeat."""
    if len(rows) == 1:
        return rows.iloc[0].tolist(), None
    raw = rows.to_numpy(dtype=object)
    filled = rows.apply(lambda col: col.str.strip()).to_numpy(dtype=object) != ""
    lowest = []
    for j in range(raw.shape[1]):
        below = np.flatnonzero(filled[:, j])
        lowest.append(raw[below[-1], j] if len(below) else "")
    group, groups = "", []
    for j in range(raw.shape[1]):
        if filled[0, j]:
            group = str(raw[0, j]).strip()
        elif j and not filled[-1, j]:
            group = ""
        groups.append(group)
    stripped = [str(name).strip() for name in lowest]
    counts = pd.Series(stripped).value_counts()
    names = [f"{g}/{s}" if s and counts[s] > 1 and g and g != s else name
             for g, s, name in zip(groups, stripped, lowest)]
    joined = [f"{g} / {s}" for g, s in zip(groups, stripped) if g and s and g != s]
    note = Message("load.header.lower_row", {
        "joined": f" ({'; '.join(joined[:6])}{' ...' if len(joined) > 6 else ''})" if joined else ""})
    return names, note


def _stripped_cells(column: pd.Categorical, uniques: np.ndarray, stripped: np.ndarray) -> pd.Categorical:
    """A column of stripped texts (texts that strip to the same text share a code)."""
    if stripped is uniques or (stripped == uniques).all():
        return column
    new_codes, new_uniques = pd.factorize(stripped)
    return coded.from_codes(new_codes[np.asarray(column.codes)], new_uniques)


def split_header(grid: Grid, header_row, columns, item_columns) -> Sheet:
    """Find the header row(s), fill merged ranges below them, drop empty unnamed columns."""
    notes = list(grid.notes)
    if grid.headers is not None:
        if header_row is not None:
            raise SurveyError("load.header.row_not_file")
        headers, header_line, cells, lines = grid.headers, None, grid.text, grid.lines
        no_value = header_no_value = header_hint = None
        span, position, normalized_rows = 1, None, {}
    else:
        recognized = set(META_COLUMNS).union(*COLUMN_ALIASES.values())
        named = [part for v in (columns or {}).values() if v is not None
                 for part in (v if isinstance(v, (list, tuple)) else [v])]
        recognized.update(normalize_many(named + list(item_columns or [])))
        stripped = _stripped_columns(grid.text)
        normalized_rows: dict = {}
        position, header_hint = _find_header(grid, recognized, header_row, stripped, normalized_rows)
        span = _header_span(grid, position, header_row, recognized, normalized_rows)
        headers, combined = _combine_header(pd.DataFrame(coded.block(grid.text, position, position + span),
                                                         dtype="string"))
        header_line = int(grid.lines[position])
        last_line = int(grid.lines[position + span - 1])
        if span > 1:
            unit = "rows" if grid.file_format == "excel" else "lines"
            notes.append(Note("load.header.spans", **{"units": Message(f"load.unit.{unit}"), "first": header_line,
                                                       "last": last_line, "how": combined}))
        below = max(len(grid.text) - position - span, 0)
        cells = coded.text_frame([_stripped_cells(cat[position + span:], uniques, clean)
                                  for _, uniques, clean, cat in stripped], below)
        lines = grid.lines[position + span:]
        no_value = grid.no_value.iloc[position + span:] if grid.no_value is not None else None
        header_no_value = (grid.no_value.iloc[position:position + span].any(axis=0).to_numpy()
                           if grid.no_value is not None else None)
        # Merged ranges below the header: every cell takes the value of the range's
        # top-left cell (a small loop over merged ranges, not over rows).
        for min_col, min_row, max_col, max_row in grid.merged:
            if last_line < min_row <= len(grid.text):
                rows = np.flatnonzero((lines >= min_row) & (lines <= max_row))
                value = grid.text.iat[min_row - 1, min_col - 1].strip()
                for column in range(min_col - 1, min(max_col, cells.shape[1])):
                    cells[column] = coded.assign(cells[column], rows, value)
    cells = cells.reset_index(drop=True)
    if no_value is not None:
        no_value = no_value.reset_index(drop=True)
    occupied = np.array([_any_row(codes, ~coded.empty_texts(uniques))
                         for codes, uniques in (coded.parts(cells[c]) for c in cells.columns)], dtype=bool)
    if not len(cells):
        occupied = np.zeros(len(headers), bool)
    if no_value is not None:
        occupied = occupied | no_value.any(axis=0).to_numpy()
    unnamed = [i for i, h in enumerate(headers) if not str(h).strip() and occupied[i]]
    if unnamed:
        notes.append(Note("load.header.unnamed", **{"count": len(unnamed)}))
    if grid.headers is None and span == 1 and position in normalized_rows:
        normalized_headers = list(normalized_rows[position])  # the header row, normalized above
    else:
        normalized_headers = normalize_many(headers)
    return Sheet(grid.source, grid.sheet, list(headers), normalized_headers, cells,
                 np.asarray(lines, dtype=np.int64), header_line, no_value, header_no_value, notes,
                 header_hint, "row" if grid.file_format == "excel" else "line")


def is_summary(values) -> np.ndarray:
    """Boolean per cell: a totals label (合计, Total ...: :func:`~.rules.totals`), decided once
    per distinct text."""
    return coded.mask(values, rules.totals)


def first_nonempty(sheet: Sheet) -> np.ndarray:
    """Column of the first non-empty cell of each row (0 for a blank row): column by
    column, over the rows still empty (often none after the first column)."""
    cells = sheet.cells
    first = np.zeros(len(cells), dtype=coded.small_codes(max(cells.shape[1], 1)))
    pending = None  # the rows still empty; None: every row (no list of a million positions)
    for column in range(cells.shape[1]):
        codes, uniques = coded.parts(cells[column])
        empty = coded.empty_texts(uniques)
        if not empty.any():
            first[slice(None) if pending is None else pending] = column
            break
        if pending is None:
            here = ~empty[codes]
            first[here] = column
            pending = np.flatnonzero(~here)
        else:
            here = ~empty[codes[pending]]
            first[pending[here]] = column
            pending = pending[~here]
        if not len(pending):
            break
    else:
        if pending is not None:
            first[pending] = 0  # blank rows
    return first


def first_text(sheet: Sheet, first: np.ndarray, rows=None) -> np.ndarray:
    """Text of the first non-empty cell (``first[row]``) of ``rows`` (all rows by default)."""
    rows = np.arange(len(first)) if rows is None else np.asarray(rows)
    out = np.full(len(rows), "", dtype=object)
    columns = first[rows]
    for column in np.unique(columns):
        here = columns == column
        out[here] = coded.text(sheet.cells[column], rows[here])
    return out


def summary_of_first(sheet: Sheet, first: np.ndarray, column_summary=None) -> np.ndarray:
    """Whether the first non-empty cell of each row is a totals label. ``column_summary``
    (position -> :func:`is_summary` of the column) may return remembered results."""
    column_summary = column_summary or (lambda position: is_summary(sheet.cells[position]))
    out = np.zeros(len(first), dtype=bool)
    columns = np.flatnonzero(np.bincount(first, minlength=sheet.cells.shape[1])) if len(first) else []
    if len(columns) == 1:
        return column_summary(int(columns[0])).copy()
    for column in columns:
        here = first == column
        if here.any():
            out[here] = column_summary(column)[here]
    return out


def footer_of_first(sheet: Sheet, first: np.ndarray) -> np.ndarray:
    """Whether the first non-empty cell of each row opens a footer line (制表人：..., 审核人,
    Prepared by ...: :func:`~.rules.footer`), decided once per distinct text of a column."""
    out = np.zeros(len(first), dtype=bool)
    columns = np.flatnonzero(np.bincount(first, minlength=sheet.cells.shape[1])) if len(first) else []
    if len(columns) == 1:  # every row starts in one column (most sheets): its mask as it is
        return coded.mask(sheet.cells[int(columns[0])], rules.footer)
    for column in columns:
        here = first == column
        out[here] = coded.mask(sheet.cells[column], rules.footer)[here]
    return out


def first_cells(sheet: Sheet) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column, text and header of the first non-empty cell of each row ('' for a blank row)."""
    cells = sheet.cells
    if not cells.shape[1]:
        empty = np.full(len(cells), "", dtype=object)
        return np.zeros(len(cells), dtype=int), empty, empty
    first = first_nonempty(sheet)
    return first, first_text(sheet, first), np.asarray([str(h) for h in sheet.headers], dtype=object)[first]


def comment_positions(sheet: Sheet) -> list[int]:
    """Positions of the columns whose header names a free-text comment
    (:data:`~.names.COMMENT_COLUMNS`: 评价内容, 意见建议, comment, FFT answer ...)."""
    names = set(normalize_many(COMMENT_COLUMNS))
    return [p for p, name in enumerate(sheet.normalized) if name in names and str(sheet.headers[p]).strip()]


def choose_layout(sheet: Sheet, columns, item_columns, layout, extra_labels=(), keep=()) -> Plan:
    """Long or wide, and where the canonical columns are. ``extra_labels``: labels the
    analyst declared (``labels=``, a given scale), which also mark item columns; ``keep``:
    headers of ``keep_columns=`` and ``comments=``, never items; nor is a column whose
    header names a comment (:func:`comment_positions`)."""
    headers, normalized = sheet.headers, sheet.normalized
    mapping, absent = _resolve_columns(headers, normalized, columns, sheet.source, sheet.sheet)
    items: list[int] = []
    if item_columns is not None:
        for header in item_columns:
            position = find_column(headers, normalized, header)
            if position is None:
                raise sheet.fail("load.layout.item_column_missing", column=str(header), header=header,
                                 headers=_shown_headers(headers))
            items.append(position)
        chosen = "wide"
    elif layout == "long" or (layout == "auto" and "item_id" in mapping):
        chosen = "long"
    else:
        taken = {mapping[c] for c in ("respondent_id", "weight") if c in mapping}
        if layout == "auto":
            taken |= {mapping[c] for c in REQUIRED_COLUMNS if c in mapping}
        kept = ({find_column(headers, normalized, name) for name in keep or ()} - {None}) \
            | set(comment_positions(sheet))
        items, near_misses, roles = _detect_item_columns(sheet.cells, headers, normalized, taken | kept,
                                                         extra_labels)
        # A single column of labels in a sheet without an item column is more likely a
        # long sheet with unrecognized headers than a wide sheet of one item: ask.
        chosen = "wide" if len(items) >= (1 if layout == "wide" else 2) else "long"
        if chosen == "wide":
            sheet.notes.extend(near_misses)
        elif layout == "wide":
            raise sheet.fail("load.layout.no_item_columns", headers=_shown_headers(headers),
                             hint=_ITEM_COLUMNS_HINT, guessed=_guessed(sheet))
    if chosen == "long":
        missing = [c for c in REQUIRED_COLUMNS if c not in mapping]
        if missing:
            lone = (Message("load.layout.lone_column", {
                "header": sheet.header(items[0]), "columns": Hint("columns", {"rating": Placeholder("HEADER")}),
                "items": _ITEM_COLUMNS_HINT}) if items else "")
            raise sheet.fail("load.layout.required", missing=missing, headers=_shown_headers(headers),
                             columns=Hint("columns", {"item_id": Placeholder("HEADER"), "rating": Placeholder("HEADER")}),
                             items=_ITEM_COLUMNS_HINT, lone=lone, guessed=_guessed(sheet))
        refuse_duplicate_headers(sheet, list(mapping.values()))
        return Plan("long", mapping, [], absent)
    refuse_duplicate_headers(sheet, [mapping[c] for c in ("respondent_id", "weight") if c in mapping],
                             items)
    names = pd.Series([sheet.header(i).strip() for i in items])
    if names.duplicated().any():
        twice = items[int(np.argmax(names.duplicated().to_numpy()))]
        raise sheet.fail("load.layout.item_twice", column=sheet.header(twice), header=sheet.header(twice).strip())
    mapping = {c: p for c, p in mapping.items() if c in ("respondent_id", "weight") and p not in items}
    if item_columns is not None:
        roles = tuple(ColumnRole(sheet.header(p).strip(), "item", "named") for p in items)
    return Plan("wide", mapping, items, absent, tuple(roles))


#: The keyword that names the item columns of a wide sheet, as errors propose it.
_ITEM_COLUMNS_HINT = Hint("item_columns", [Placeholder("HEADER"), Placeholder("...")])


def _guessed(sheet: Sheet):
    """The header hint of a sheet whose header row was guessed (see :func:`_find_header`)."""
    return Message("load.header.guessed", {"hint": sheet.header_hint}) if sheet.header_hint else ""


def _column_names(sheet: Sheet, positions) -> str:
    """"C and F" (CSV and Excel: the letters a spreadsheet shows); "positions 3 and 6" for a
    DataFrame, whose columns have no letters."""
    from openpyxl.utils import get_column_letter

    names = ([get_column_letter(p + 1) for p in positions] if sheet.header_line is not None
             else [str(p + 1) for p in positions])
    joined = ", ".join(names[:-1]) + f" and {names[-1]}"
    return joined if sheet.header_line is not None else f"positions {joined}"


def refuse_duplicate_headers(sheet: Sheet, used, items=()) -> None:
    """Two columns whose headers are the same after normalization, one of them used.

    The loader would read the first and ignore the other (the second 满意度 column may be
    the one holding the answers), so a duplicated header of a column the loader uses --
    ``used``: item, respondent, rating, weight, item columns of a wide sheet, kept
    columns -- is an error naming both columns and the header line. Duplicates among
    columns the loader does not use are noted.

    Parameters
    ----------
    sheet : Sheet
        The sheet (headers and their normalized texts).
    used : list of int
        Positions of the columns the loader reads.
    items : list of int, optional
        Positions of the item columns of a wide sheet (among ``used``).

    Raises
    ------
    ResponseFileError
        Naming the header, its columns (letters; positions for a DataFrame) and line.

    Examples
    --------
    >>> import pandas as pd
    >>> from survey_analysis import load_responses
    >>> frame = pd.DataFrame([["A", "1", "满意", "不满意"]], columns=["事项", "受访者", "满意度", "满意度"])
    >>> load_responses(frame)
    Traceback (most recent call last):
    ...
    survey_analysis.load.report.ResponseFileError: <DataFrame>, column '满意度': the header '满意度' names 2 columns (positions 3 and 4): the loader would read one and ignore the other(s), which may hold the answers meant. Rename or delete the column(s) not meant, so that each header names one column ...
    """
    groups: dict = {}
    for position, (header, name) in enumerate(zip(sheet.headers, sheet.normalized)):
        if str(header).strip():
            groups.setdefault(name, []).append(position)
    used, used_items = set(used) | set(items), set(items)
    where = (Message("load.header.on_line", {"unit": Message(f"load.unit.{sheet.unit}"), "line": sheet.header_line})
             if sheet.header_line is not None else "")
    unused = []
    for positions in (p for p in groups.values() if len(p) > 1):
        header = sheet.header(positions[0]).strip()
        if not used.intersection(positions):
            unused.append(f"{header!r} ({_column_names(sheet, positions)})")
            continue
        prefix = (Message("load.layout.item_twice_prefix", {"header": header})
                  if used_items.intersection(positions) else "")
        raise sheet.fail("load.header.shared", line=sheet.header_line, column=header, twice=prefix,
                         header=header, count=len(positions), columns=_column_names(sheet, positions),
                         where=where)
    if unused:
        sheet.notes.append(Note("load.header.shared_unused", **{"listing": "; ".join(unused)}))


def check_formulas(sheet: Sheet, used: list, summary: np.ndarray) -> None:
    """Excel: a formula cell the loader needs (header, or a used column of a data row that
    is not a totals row) must hold the value Excel saved."""
    if sheet.no_value is None:
        return
    in_header = np.flatnonzero(sheet.header_no_value)
    cells = sheet.no_value[used].to_numpy(dtype=bool) & ~summary[:, None]
    if len(in_header):
        row, col, count = sheet.header_line, int(in_header[0]), len(in_header)
    elif cells.any():
        r, c = np.argwhere(cells)[0]
        row, col, count = int(sheet.lines[r]), used[int(c)], int(cells.sum())
    else:
        return
    from openpyxl.utils import get_column_letter

    raise sheet.fail("load.excel.formula_no_value", line=row, column=sheet.header(col),
                     cell=f"{sheet.sheet}!{get_column_letter(col + 1)}{row}", count=count)

