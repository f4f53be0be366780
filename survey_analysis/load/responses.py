"""Load response sheets into tidy responses, with a ledger of every row.

Flow: file -> grid of cell texts, each row carrying the line (CSV) or sheet row
(Excel) the analyst sees -> header row found below any title rows -> canonical
columns -> layout (long, or wide melted to long) -> rows excluded by reason ->
normalized ratings -> tidy responses + :class:`LoadReport`. The invariant
``rows_read == rows_kept + rows_excluded`` is checked on every load.

Nothing in an input file is executed: CSV is parsed by pyarrow or the standard library's
``csv`` reader, Excel by python-calamine or openpyxl (formulas are read as the values Excel
saved, never evaluated), Parquet by pandas/pyarrow. No pickle, no eval (see :mod:`.read`).

Every step works on the distinct texts of a column and integer codes per row
(:mod:`.coded`): labels, ids and totals words are cleaned and read once per distinct
text; exclusions, duplicates and the ledger are integer array operations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._validation import check_choice
from ..scales.scale import DONT_KNOW, Scale, common_dont_know, scale_of
from ..scales.text import INVISIBLE_CHARACTERS, normalize_text
from . import coded
from .detect import ScaleDetectionError, choose_scales, sheet_scale
from .header import (
    Plan,
    Sheet,
    check_formulas,
    choose_layout,
    find_column,
    first_nonempty,
    first_text,
    is_summary,
    normalize_list,
    refuse_duplicate_headers,
    split_header,
    summary_of_first,
)
from .names import COLUMN_ALIASES
from .options import hint, parse_header_row
from .read import as_strings, read_source, read_table
from .report import (
    WARN_SHARE,
    LoadReport,
    ResponseFileError,
    empty_exclusions,
    empty_unknown_items,
    first_lines,
    label_listing,
    where_lines,
)

__all__ = ["load_responses"]

@dataclass
class _Answers:
    """One entry per answer -- the long sheet's rows, or the wide sheet's cells row by row --
    as integer codes into distinct texts (see :mod:`.coded`); nothing per answer is a
    Python object.

    ``columns``: canonical name (and ``_keep:NAME``) -> (codes, distinct texts);
    ``row``: position of the answer's sheet row in ``sheet.cells``; ``line``: its line;
    ``rating_header``: (codes, headers) of the rating cell's column; ``summary`` and
    ``blank``: the sheet row is a totals / blank row; ``first``: column of the first
    non-empty cell of each sheet row (its text and header name a totals row).
    """

    columns: dict
    row: np.ndarray
    line: np.ndarray
    rating_header: tuple
    summary: np.ndarray
    blank: np.ndarray
    first: np.ndarray


def _answers(sheet: Sheet, plan: Plan, summary, first) -> _Answers:
    cells, n = sheet.cells, len(sheet.cells)
    used = list(plan.mapping.values()) + plan.items
    # A blank row: empty in every used column (none is when a column has no empty cell).
    if used and any(not (coded.parts(cells[p])[1] == "").any() for p in used):
        blank = np.zeros(n, dtype=bool)
    else:
        blank = np.ones(n, dtype=bool)
        for position in used:
            blank &= coded.mask(cells[position], lambda u: u == "")
    columns = {}
    if plan.layout == "wide":
        k = len(plan.items)
        item_headers = np.array([sheet.header(i) for i in plan.items], dtype=object)
        small = coded.small_codes(max(k, 1))
        columns["item_id"] = (np.tile(np.arange(k, dtype=small), n),
                              np.array([h.strip() for h in item_headers], dtype=object))
        # The item columns' ratings share one set of codes; row-major: row by row.
        parts = [coded.parts(cells[i]) for i in plan.items]
        shared, texts = pd.factorize(np.concatenate([u for _, u in parts]))
        offsets = np.cumsum([0] + [len(u) for _, u in parts])
        shared = shared.astype(coded.small_codes(max(len(texts), 1)))
        ratings = np.column_stack([shared[offsets[j]:offsets[j + 1]][codes] for j, (codes, _) in enumerate(parts)])
        columns["rating"] = (ratings.ravel(), np.asarray(texts, dtype=object))
        for canonical, where in plan.mapping.items():
            codes, uniques = coded.parts(cells[where])
            columns[canonical] = (np.repeat(codes, k), uniques)
        rating_header = (np.tile(np.arange(k, dtype=small), n), item_headers)
    else:
        k = 1
        for canonical, where in plan.mapping.items():
            columns[canonical] = coded.parts(cells[where])
        rating_header = (np.zeros(n, dtype=np.int8),
                         np.array([sheet.header(plan.mapping["rating"])], dtype=object))
    lines, summary = np.asarray(sheet.lines, dtype=np.int64), np.asarray(summary, dtype=bool)
    positions = np.arange(n, dtype=np.int32 if n * k < 2**31 else np.int64)
    if k == 1:
        return _Answers(columns, positions, lines, rating_header, summary, blank, np.asarray(first))
    rows = np.repeat(positions, k)
    return _Answers(columns, rows, lines[rows], rating_header, summary[rows], blank[rows], np.asarray(first))


_INVISIBLE = INVISIBLE_CHARACTERS  # the same list as for labels


# ASCII white space as Python's ``\s`` reads it (RE2's ``\s`` leaves out \v and \x1c-\x1f).
_TWO_ASCII_SPACES = "[\t\n\v\f\r \x1c-\x1f]{2}"


def _may_change(texts: np.ndarray) -> np.ndarray:
    """Which texts are not plain ASCII or hold two white-space characters in a row: the only
    ones :func:`_id_keys` can change. pyarrow's kernels test a column of ids at once (pandas'
    ``str.contains`` on a Python-backed string column calls ``re`` once per text)."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pyarrow is optional: the same test, one regex call per text
        series = pd.Series(texts, dtype="string")
        return (~series.str.isascii() | series.str.contains(r"\s\s", regex=True)).fillna(False) \
            .to_numpy(bool)
    known = coded.string_array(texts) if len(texts) >= 1024 else None
    if isinstance(known, pd.arrays.ArrowStringArray):  # the reader's own Arrow texts
        array = pa.array(known)
    else:
        array = pa.array(texts, type=pa.large_string(), from_pandas=True)
    may = pc.or_(pc.invert(pc.string_is_ascii(array)), pc.match_substring_regex(array, _TWO_ASCII_SPACES))
    return pc.fill_null(may, False).to_numpy(zero_copy_only=False).astype(bool)


def _id_keys(texts: np.ndarray, may_change: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Display text and comparison key of each id text: invisible characters and outer white
    space removed (display); then NFKC (full-width letters and digits, the ideographic
    space) and inner white space collapsed (key). Case is kept: "a1" and "A1" may be
    different codes. Only non-ASCII texts or texts with inner runs of white space can change,
    so a column of plain ASCII ids costs one vectorized test (``may_change``: that test's
    result, when the caller has it already)."""
    texts = np.asarray(texts, dtype=object)
    display, key = texts.copy(), texts.copy()
    if not len(texts):
        return display, key
    if may_change is None:
        may_change = _may_change(texts)
    if may_change.any():
        series = pd.Series(texts, dtype="string")
        part = series[may_change]
        cleaned = part.str.replace(_INVISIBLE, "", regex=True).str.strip()
        display[may_change] = cleaned.to_numpy(dtype=object)
        key[may_change] = cleaned.str.normalize("NFKC").str.replace(r"\s+", " ", regex=True) \
            .str.strip().to_numpy(dtype=object)
    return display, key


def _merge_equivalent_ids(answers: _Answers, header_of: dict, notes: list) -> None:
    """Item and respondent ids that differ only by invisible characters, full-width forms or
    white space are one id (they print alike; counted apart they would split an item). Each
    keeps its first spelling (in the order the sheet gives them); the notes list the merges."""
    for canonical, what in (("item_id", "item"), ("respondent_id", "respondent")):
        if canonical not in answers.columns:
            continue
        codes, uniques = answers.columns[canonical]
        may_change = _may_change(uniques)
        if not may_change.any():  # plain ids (most sheets): nothing to merge or clean
            continue
        display, key = _id_keys(uniques, may_change)
        group, keys = pd.factorize(key)
        if len(keys) == len(uniques):
            if not (display == uniques).all():
                answers.columns[canonical] = (codes, display)
                notes.append(f"invisible characters or outer spaces removed from {what} ids "
                             f"(column {header_of.get(canonical, canonical)!r})")
            continue
        first = pd.Series(np.arange(len(uniques))).groupby(group).min().to_numpy()
        merged = pd.Series(uniques).groupby(group).agg(lambda s: list(s)).to_numpy()
        shown = [f"{' = '.join(repr(v) for v in members)} -> {display[first[g]]!r}"
                 for g, members in enumerate(merged) if len(members) > 1]
        notes.append(f"{len(shown)} {what} id(s) written in several ways were merged (they differ only "
                     f"by invisible characters, full-width forms or spaces; column "
                     f"{header_of.get(canonical, canonical)!r}): " + "; ".join(shown[:10])
                     + (" ..." if len(shown) > 10 else ""))
        answers.columns[canonical] = (group.astype(coded.small_codes(len(keys)))[codes], display[first])


_KEEP_PREFIX = "_keep:"
_TIDY_COLUMNS = ("item_id", "respondent_id", "rating", "scale", "rank", "weight", "source_line")


def _keep_columns(sheet: Sheet, plan: Plan, keep_columns, answers: _Answers) -> list[str]:
    """Add the requested extra columns to ``answers`` (repeated per answer in a wide sheet)."""
    if keep_columns is None:
        return []
    names = [keep_columns] if isinstance(keep_columns, str) else [str(c) for c in keep_columns]
    headers = [sheet.header(p).strip() for p in range(len(sheet.headers))]
    for name in names:
        if name in _TIDY_COLUMNS:
            raise ValueError(f"keep_columns: {name!r} is a column of the tidy result already")
        if name.strip() not in headers:
            raise sheet.fail(f"keep_columns: column {name!r} not found; columns found: "
                             f"{[h for h in headers if h]}")
        position = headers.index(name.strip())
        refuse_duplicate_headers(sheet, [position])
        codes, uniques = coded.parts(sheet.cells[position])
        answers.columns[_KEEP_PREFIX + name] = (codes[answers.row], uniques)
    return names


class _Ledger:
    """The answers still in play (positions into :class:`_Answers`), and those excluded
    so far with their reason."""

    def __init__(self, answers: _Answers, sheet: Sheet, header_of: dict, wide: bool):
        self.answers, self.sheet, self.header_of, self.wide = answers, sheet, header_of, wide
        self.rows_read = len(answers.row)
        self.alive = np.arange(self.rows_read, dtype=np.int32 if self.rows_read < 2**31 else np.int64)
        self._excluded: list[pd.DataFrame] = []
        self._codes: dict = {}  # column -> codes of the answers in play (until the next exclusion)

    def __len__(self) -> int:
        return len(self.alive)

    def codes(self, column: str) -> np.ndarray:
        """Codes of ``column`` for the answers in play."""
        if column not in self._codes:
            codes = self.answers.columns[column][0]
            self._codes[column] = codes if len(self.alive) == len(codes) else codes[self.alive]
        return self._codes[column]

    def uniques(self, column: str) -> np.ndarray:
        return self.answers.columns[column][1]

    def text(self, column: str, mask=None) -> np.ndarray:
        """Texts of ``column`` (``"_first"``: the row's first non-empty cell) for the answers
        in play, or those of them in ``mask``."""
        positions = self.alive if mask is None else self.alive[mask]
        if column == "_first":
            return first_text(self.sheet, self.answers.first, self.answers.row[positions])
        codes, uniques = self.answers.columns[column]
        return uniques[codes[positions]]

    def mask(self, column: str, predicate) -> np.ndarray:
        """``predicate`` of the distinct texts of ``column``, per answer in play."""
        uniques = self.answers.columns[column][1]
        hit = np.asarray(predicate(uniques), dtype=bool) if len(uniques) else np.zeros(0, bool)
        if not hit.any():
            return np.zeros(len(self.alive), dtype=bool)
        return hit[self.codes(column)]

    def rows(self, values: np.ndarray) -> np.ndarray:
        """``values`` (one per answer) of the answers in play."""
        return values if len(self.alive) == len(values) else values[self.alive]

    def lines(self) -> np.ndarray:
        if "_line" not in self._codes:
            line = self.answers.line
            self._codes["_line"] = line if len(self.alive) == len(line) else line[self.alive]
        return self._codes["_line"]

    def headers(self, mask=None) -> np.ndarray:
        """Rating-cell headers of the answers in play (or those in ``mask``)."""
        codes, headers = self.answers.rating_header
        positions = self.alive if mask is None else self.alive[mask]
        return headers[codes[positions]]

    def exclude(self, mask, reason: str, column: str = "rating", value: str | None = None) -> None:
        """Move the answers in ``mask`` to the ledger. ``column``: ``"rating"`` (the rating
        cell's header), ``"_first"`` (the row's first non-empty cell) or a canonical name."""
        self.exclude_in_turn([(mask, reason, column, value)])

    def exclude_in_turn(self, steps: list) -> None:
        """Several exclusions (mask, reason, column, value), each of the answers not excluded
        by an earlier one, as calls of :meth:`exclude` in turn would; the answers in play
        are narrowed once."""
        taken = np.zeros(len(self.alive), dtype=bool)
        for mask, reason, column, value in steps:
            mask = np.asarray(mask, dtype=bool) & ~taken
            if mask.any():
                self._record(mask, reason, column, value)
                taken |= mask
        if taken.any():
            keep = ~taken
            self.alive = self.alive[keep]
            self._codes = {name: codes[keep] for name, codes in self._codes.items()}

    def _record(self, mask, reason: str, column: str, value: str | None) -> None:
        positions = self.alive[mask]
        if column == "rating":
            headers = self.headers(mask)
        elif column == "_first":
            names = np.asarray([str(h) for h in self.sheet.headers], dtype=object)
            headers = names[self.answers.first[self.answers.row[positions]]]
        else:
            headers = self.header_of.get(column, column)
        value = value or column
        known = value == "_first" or value in self.answers.columns
        self._excluded.append(pd.DataFrame({
            "source_line": self.answers.line[positions].astype(np.int64),
            "reason": reason,
            "column": headers,
            "value": self.text(value, mask) if known else "",
        }))

    def drop(self, column: str) -> None:
        """Forget the codes of ``column`` gathered so far (the column was replaced)."""
        self._codes.pop(column, None)

    def where(self, mask) -> tuple[np.ndarray, np.ndarray]:
        """Lines and rating headers of the answers in ``mask``."""
        return self.lines()[mask], self.headers(mask)

    def exclusions(self) -> pd.DataFrame:
        frame = pd.concat(self._excluded, ignore_index=True) if self._excluded else empty_exclusions()
        return frame.sort_values("source_line", kind="stable").reset_index(drop=True)


def _check_ids(ledger: _Ledger, sheet: Sheet, plan: Plan) -> None:
    """Item and respondent ids must not be empty; without a respondent column, one per row."""
    header_of = plan.header_of(sheet)
    if plan.layout == "long":
        empty = ledger.mask("item_id", lambda u: u == "")
        if empty.any():
            first = ledger.lines()[empty]
            raise sheet.fail(f"empty item id on {empty.sum()} row(s) (lines {first_lines(first)})",
                             line=int(first[0]), column=header_of["item_id"])
    if "respondent_id" in plan.mapping:
        empty = ledger.mask("respondent_id", lambda u: u == "")
        if empty.any():
            first = pd.unique(ledger.lines()[empty])
            raise sheet.fail(f"empty respondent id on {len(first)} row(s) (lines {first_lines(first)})",
                             line=int(first[0]), column=header_of["respondent_id"])
    else:
        # "L<line>": one respondent per sheet row, so the codes are the rows themselves.
        names = ("L" + pd.Series(np.asarray(sheet.lines, dtype=np.int64)).astype(str)).to_numpy(dtype=object)
        ledger.answers.columns["respondent_id"] = (ledger.answers.row, names)
        ledger.drop("respondent_id")
        why = ("columns={'respondent_id': None}" if "respondent_id" in plan.absent
               else "no respondent column")
        sheet.notes.append(f"{why}: each row is treated as its own respondent")


def _check_catalogue(ledger: _Ledger, sheet: Sheet, catalogue_ids: set, unknown_items: str) -> pd.DataFrame:
    """Answers to items not in the catalogue: a table, and report / error / exclude."""
    # Compared by key: "Ａ１" in the sheet is "A1" in the catalogue.
    known = set(_id_keys(np.array(sorted(catalogue_ids), dtype=object))[1])
    outside = ~ledger.mask("item_id", lambda u: pd.Series(_id_keys(u)[1], dtype=object).isin(known).to_numpy())
    if not outside.any():
        return empty_unknown_items()
    part = pd.DataFrame({"item_id": pd.array(ledger.text("item_id", outside), dtype="string"),
                         "source_line": ledger.lines()[outside]})
    grouped = part.groupby("item_id", sort=True)["source_line"]
    counts = grouped.size()
    unknown = pd.DataFrame({
        "item_id": counts.index.astype(str),
        "rows": counts.to_numpy(dtype=np.int64),
        "source_lines": grouped.agg(lambda s: first_lines(pd.unique(s.to_numpy()))).to_numpy(),
    })
    listing = "; ".join(f"{i!r} x{n} (lines {w})" for i, n, w in unknown.itertuples(index=False))
    if unknown_items == "error":
        column = ledger.header_of.get("item_id") or str(ledger.headers(outside)[0])
        raise sheet.fail(f"{len(unknown)} item(s) not in the catalogue: {listing}. Pass "
                         f"{hint('unknown_items', 'report')} to keep them or "
                         f"{hint('unknown_items', 'exclude')} to exclude and count them",
                         line=int(part["source_line"].iloc[0]), column=column)
    if unknown_items == "exclude":
        ledger.exclude(outside, "unknown_item", "rating" if ledger.wide else "item_id", "item_id")
    return unknown


# Respondent names or phone numbers recorded masked (张**, 138****5678, 王某): many
# respondents share one masked value, so it cannot tell them apart.
_MASKED = r"[*＊×]|^.某+$|^.{1,2}某某?$"


def _key_candidates(sheet: Sheet, plan: Plan, ledger: _Ledger) -> list[str]:
    """Columns that could key respondents instead: filled on every row and never repeated
    within an item (序号 / 编号 / 问卷编号 ...)."""
    used = set(plan.mapping.values()) | set(plan.items)
    names = []
    at = ledger.answers.row[ledger.alive]
    items = ledger.codes("item_id")
    for position, header in enumerate(sheet.headers):
        if position in used or not str(header).strip():
            continue
        codes, uniques = coded.parts(sheet.cells[position])
        if (uniques[codes[at]] == "").any():
            continue
        pairs = pd.DataFrame({"item": items, "key": codes[at]})
        if not pairs.duplicated().any():
            names.append(str(header).strip())
    return names


def _pair_keys(ledger: _Ledger) -> np.ndarray:
    """One integer per item x respondent pair, from the two columns' codes."""
    respondents = max(len(ledger.uniques("respondent_id")), 1)
    items = ledger.codes("item_id")
    if len(ledger.uniques("item_id")) * respondents < 2**31:
        return items.astype(np.int32) * np.int32(respondents) + ledger.codes("respondent_id")
    return items.astype(np.int64) * respondents + ledger.codes("respondent_id")


def _check_duplicates(ledger: _Ledger, sheet: Sheet, plan: Plan, duplicates: str) -> None:
    """Two answers of one respondent to one item ("don't know" and unknown labels included)."""
    keys = _pair_keys(ledger)
    if not coded.any_repeated(keys):
        return
    duplicated = pd.Series(keys).duplicated(keep="first").to_numpy()
    looks_masked = ledger.mask("respondent_id", lambda u: pd.Series(u, dtype="string").str.contains(
        _MASKED, regex=True).fillna(False).to_numpy(dtype=bool))
    masked_values = pd.unique(ledger.text("respondent_id", duplicated & looks_masked))
    masked = ""
    if len(masked_values):
        shown = ", ".join(map(str, masked_values[:5])) + (" ..." if len(masked_values) > 5 else "")
        masked = (f" The respondent ids look masked ({shown}): a masked name or phone number is "
                  "shared by many people and cannot tell respondents apart.")
    if duplicates == "error":
        involved = pd.Series(keys).duplicated(keep=False).to_numpy()
        lines, headers = ledger.where(duplicated)
        all_lines, all_headers = ledger.where(involved)
        candidates = _key_candidates(sheet, plan, ledger) if "respondent_id" in plan.mapping else []
        if candidates:
            fix = (f" Column {candidates[0]!r} is filled on every row and never repeats within an "
                   f"item: use it as the respondent key with "
                   f"{hint('columns', {'respondent_id': candidates[0]})}.")
        else:
            fix = ""
        if masked or candidates:
            fix += (" If each row is one respondent's answer, use "
                    f"{hint('columns', {'respondent_id': None})}.")
        raise sheet.fail(
            f"{duplicated.sum()} duplicate respondent x item row(s) "
            f"({where_lines(lines, headers, ledger.wide)}; all rows involved: "
            f"{where_lines(all_lines, all_headers, ledger.wide)}).{masked}{fix} If the repeats are "
            f"true duplicates, {hint('duplicates', 'keep_first')} keeps the first answer of each "
            "and counts the rest as excluded",
            line=int(lines[0]),
            column=ledger.header_of.get("respondent_id", str(headers[0]) if ledger.wide else None))
    if masked:
        sheet.notes.append("duplicates were dropped although the respondent ids look masked "
                           f"({', '.join(map(str, masked_values[:5]))}); see the warning above")
    ledger.exclude(duplicated, "duplicate")


def _normalized_mapping(labels: dict | None) -> dict:
    """``labels=`` with normalized keys; values are levels (matched on the chosen scale)
    or :data:`~survey_analysis.scales.DONT_KNOW`."""
    if not labels:
        return {}
    if not isinstance(labels, dict):
        raise ValueError(f"labels= must be a dict {{label: level}}, got {type(labels).__name__}")
    keys = normalize_text(pd.Series([str(k) for k in labels], dtype="string")).tolist()
    return {key: str(value).strip() for key, value in zip(keys, labels.values())}


def _read_labels(normalized: pd.Series, scale_obj, reads_codes: bool) -> np.ndarray:
    """Level (or DONT_KNOW, or None) of each normalized label; no scale: "don't know" only."""
    if scale_obj is None:
        values = normalized.map(common_dont_know()).to_numpy(dtype=object)
    else:
        values = scale_obj.read(normalized.astype("string"), codes=reads_codes).to_numpy(dtype=object)
    return np.array([v if isinstance(v, str) else None for v in values], dtype=object)


@dataclass
class _Rated:
    """Level, scale and rank of each kept answer: ``level`` and ``scale`` are codes into
    ``levels`` and ``scale_names`` (texts; None for no scale)."""

    level: np.ndarray
    levels: np.ndarray
    scale: np.ndarray
    scale_names: np.ndarray
    rank: np.ndarray


def _rate(ledger: _Ledger, sheet: Sheet, scale, labels: dict, unknown_labels: str):
    """Read every answer on its item's scale: exclude "don't know", rank the rest.

    Labels are normalized once per distinct label. One scale for the whole sheet (given,
    or the preset covering every label) is decided from the distinct labels alone; only
    when there is none are the items' own label sets built (per distinct item x label).
    Returns the :class:`_Rated` kept answers and the
    :class:`~survey_analysis.scales.ScaleChoice`.
    """
    # Distinct labels in the order they first occur, as pd.factorize of the texts gives.
    label_codes, label_index = coded.factorize_codes(ledger.codes("rating"), len(ledger.uniques("rating")))
    raw_labels = ledger.uniques("rating")[label_index]
    normalized = normalize_text(pd.Series(raw_labels, dtype="string")).astype(object)
    if labels:  # a declared meaning replaces the label before the scale is chosen
        mapped = normalized.map(labels)
        where = mapped.notna().to_numpy()
        if where.any():
            normalized[where] = normalize_text(mapped[where].astype("string")).to_numpy(dtype=object)
    fallback = unknown_labels == "exclude"
    try:
        choice = sheet_scale(set(normalized), scale)
        if choice is None:
            item_codes, item_index = pd.factorize(ledger.codes("item_id"))
            item_values = ledger.uniques("item_id")[item_index]
            pair = item_codes.astype(np.int64) * len(raw_labels) + label_codes
            unique_pairs, pair_of_row = np.unique(pair, return_inverse=True)
            pair_item, pair_label = unique_pairs // len(raw_labels), unique_pairs % len(raw_labels)
            by_item: dict = {}
            for i, j in zip(pair_item, pair_label):  # distinct item x label pairs, not rows
                by_item.setdefault(item_values[i], set()).add(normalized.iloc[j])
            choice = choose_scales(by_item, scale, fallback=fallback)
    except ScaleDetectionError as error:
        bad = normalized.isin(list(error.unknown)).to_numpy(dtype=bool)[label_codes]
        lines, headers = ledger.where(bad)
        ratings = ledger.text("rating")
        listing = label_listing(ratings[bad], lines, headers, ledger.wide) if bad.any() else ""
        raise sheet.fail(f"{error}. Lines: {listing}" if listing else str(error),
                         line=int(lines[0]) if bad.any() else None,
                         column=str(headers[0]) if bad.any() else None) from None
    if labels:
        _check_label_targets(labels, choice, sheet)
    if choice.uniform is not None or not choice.by_item:
        # One scale (or none) for the sheet: each distinct label is read once.
        levels = _read_labels(normalized, choice.uniform, choice.uniform_codes)
        level = label_codes
        scale_names = np.array([choice.uniform.name if choice.uniform is not None else None], dtype=object)
        scale_code = np.zeros(len(level), dtype=np.int8)
    else:
        # Items on scales of their own: each distinct item x label pair is read once.
        levels = np.empty(len(unique_pairs), dtype=object)
        pair_scale = np.empty(len(unique_pairs), dtype=object)
        reading = [(choice.scale_for(item_values[i]), choice.reads_codes(item_values[i]))
                   for i in range(len(item_values))]
        keys = pd.Series([(s.name if s is not None else "", c) for s, c in reading])[pair_item]
        for (name, reads_codes), where in pd.Series(range(len(unique_pairs))).groupby(
                keys.to_numpy(), sort=False).groups.items():
            where = np.asarray(where)
            scale_obj = choice.scales.get(name) if name else None
            levels[where] = _read_labels(normalized.iloc[pair_label[where]], scale_obj, reads_codes)
            pair_scale[where] = name or None
        level = pair_of_row
        scale_of_pair, scale_names = pd.factorize(pair_scale, use_na_sentinel=False)
        scale_code, scale_names = scale_of_pair[pair_of_row], np.asarray(scale_names, dtype=object)

    dont_know = (levels == DONT_KNOW)[level] if len(levels) else np.zeros(len(level), bool)
    ledger.exclude(dont_know, "dont_know")
    level, scale_code = level[~dont_know], scale_code[~dont_know]
    unknown = np.array([v is None for v in levels], dtype=bool)[level] if len(levels) else \
        np.zeros(len(level), bool)
    if unknown.any():
        ratings = ledger.text("rating")
        if unknown_labels == "error":
            lines, headers = ledger.where(unknown)
            names = sorted(choice.scales)
            raise sheet.fail(
                f"labels that are no level of scale {', '.join(names)}: "
                + label_listing(ratings[unknown], lines, headers, ledger.wide)
                + f". Say what each means with {hint('labels', {'LABEL': 'LEVEL'})} ('dont_know' "
                f"for a non-answer), choose another scale with {hint('scale', 'NAME')}, or "
                f"{hint('unknown_labels', 'exclude')} to exclude and count them",
                line=int(lines[0]), column=str(headers[0]))
        ledger.exclude(unknown, "unknown_label")
        level, scale_code = level[~unknown], scale_code[~unknown]
    # Rank of each (scale, level) pair met: a handful of pairs, then one gather.
    width = max(len(levels), 1)
    if len(scale_names) == 1:
        scale_obj = choice.scales.get(scale_names[0])
        rank_of_level = np.array([scale_obj.rank(v) if scale_obj is not None and v in scale_obj.levels else 0
                                  for v in levels] or [0], dtype=np.int8)
        ranks = rank_of_level[level]
    else:
        pairs = scale_code.astype(np.int64) * width + level
        pair_of_answer, distinct = coded.factorize_codes(pairs, len(scale_names) * width)
        rank_of_pair = np.zeros(len(distinct), dtype=np.int8)
        for i, code in enumerate(distinct):
            scale_obj = choice.scales.get(scale_names[code // width])
            if scale_obj is not None:
                rank_of_pair[i] = scale_obj.rank(levels[code % width])
        ranks = rank_of_pair[pair_of_answer] if len(pairs) else np.zeros(0, np.int8)
    return _Rated(level, levels, scale_code, scale_names, ranks), choice


def _check_label_targets(labels: dict, choice, sheet: Sheet) -> None:
    """Every level named in ``labels=`` must be a level of the scale(s) chosen."""
    levels = set().union(*(s.levels for s in choice.scales.values())) if choice.scales else set()
    wrong = {raw: target for raw, target in labels.items()
             if target != DONT_KNOW and target not in levels}
    if wrong:
        names = "; ".join(f"{s.name}: {', '.join(s.levels)}" for s in choice.scales.values())
        raise sheet.fail(f"labels= maps {wrong} to text that is no level of the scale in use "
                         f"({names or 'none'}); map each label to one of those levels or to "
                         "'dont_know'")


def _check_weights(ledger: _Ledger, sheet: Sheet) -> np.ndarray:
    """Weights of the kept answers: finite numbers >= 0 (a weight of 0 keeps the answer in the
    design without weight, as R does; it leaves Kish's n and the degrees of freedom).
    Each distinct weight text is read once."""
    codes, uniques = ledger.codes("weight"), ledger.uniques("weight")
    weights = pd.to_numeric(pd.Series(uniques, dtype="string"), errors="coerce")
    bad_value = (weights.isna() | ~np.isfinite(weights) | (weights < 0)).to_numpy()
    bad = bad_value[codes] if len(uniques) else np.zeros(len(codes), bool)
    if bad.any():
        first = pd.unique(ledger.lines()[bad])
        raise sheet.fail(
            f"weights must be numbers >= 0; {len(first)} row(s) are empty, non-numeric, "
            f"infinite or negative (first value {ledger.text('weight', bad)[0]!r}, "
            f"lines {first_lines(first)})", line=int(first[0]), column=ledger.header_of["weight"])
    return weights.astype(float).to_numpy()[codes] if len(uniques) else np.zeros(len(codes))


def _read_catalogue(catalogue) -> set:
    """Item ids of a catalogue (DataFrame or CSV / Excel / Parquet path)."""
    if isinstance(catalogue, pd.DataFrame):
        frame, name = catalogue, "<catalogue DataFrame>"
    else:
        frame, name = read_table(catalogue, "catalogue file"), str(catalogue)
    headers = [str(c) for c in frame.columns]
    position = None
    normalized = normalize_list(headers)
    for alias in COLUMN_ALIASES["item_id"]:
        if alias in normalized:
            position = normalized.index(alias)
            break
    if position is None:
        raise ResponseFileError(f"the catalogue has no item_id column; columns found: {headers}", name)
    ids = as_strings(frame.iloc[:, [position]]).iloc[:, 0]
    return set(ids[ids != ""])


def load_responses(
    source,
    *,
    columns: dict | None = None,
    sheet=0,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_cells: int | None = None,
    scale="auto",
    labels: dict | None = None,
    unknown_labels: str = "error",
    duplicates: str = "error",
    layout: str = "auto",
    item_columns=None,
    header_row=None,
    catalogue=None,
    unknown_items: str = "report",
    keep_columns=None,
    warn_share: float = WARN_SHARE,
) -> pd.DataFrame:
    """Read a response sheet into tidy responses (one row per respondent x item).

    Parameters
    ----------
    source : str, path or pandas.DataFrame
        CSV, Excel (``.xlsx``, ``.xlsm``), Parquet (``.parquet``, ``.pq``), or an
        in-memory DataFrame; long or wide layout (see ``layout``). Any other suffix
        is read as CSV. The old binary ``.xls`` format is refused with a message.
    columns : dict, optional
        Canonical name -> header in the file, e.g. ``{"item_id": "编号"}``;
        ``{"respondent_id": None}`` says the sheet has no respondent key (e.g. only
        masked names such as 张**): each row is then its own respondent. Headers
        not given are recognized from :data:`COLUMN_ALIASES` (事项编号, 事项名称, 受访者,
        评价, 满意度, 满意程度, 权重, item, respondent, rating, weight ...), compared
        after NFKC, trimming and lower-casing. Non-string column names (e.g. integers
        of a DataFrame) are compared as text. The item id can span several columns
        (a department and its sub-department, a trust and its service):
        ``{"item_id": ["科室", "病区"]}`` (CLI ``--columns item_id=科室+病区``, split at
        ``+`` unless the text is itself a header) joins each row's non-empty parts
        with ``" / "``; the report notes it.
    sheet : str or int, default 0
        Excel sheet name, or index (0 = first sheet). Ignored for other formats.
    encoding : str, optional
        CSV text encoding. By default the file is decoded strictly with, in turn,
        UTF-8 with BOM (only if the file starts with one), UTF-8, then GB18030 (a
        superset of GBK and GB2312); the first that decodes without error is used
        and recorded in the report (a text with NUL characters, i.e. UTF-16 without
        a BOM, counts as not decoded; a stray NUL byte is an error naming its line).
        A file GB18030 decodes into no known header or label, but Big5 into some, is
        read as Big5 and the report says so. A UTF-8 file with some lines in another
        encoding is an error naming those lines. A given encoding is used as is, and
        a leading byte-order mark is removed. Errors name the first line an encoding
        cannot decode, and a UTF-16 or UTF-32 byte-order mark.
    delimiter : str, optional
        CSV field delimiter (one character; CLI ``--delimiter`` also takes ``tab``,
        ``semicolon``, ``comma``, ``pipe``). By default it is sniffed among ``,``
        ``;`` tab and ``|`` from the first 50 lines: the one that splits a line into
        the most known header names, else the one found equally often on the most
        lines; the report notes a delimiter other than the comma. A quote (``"``) that
        opens a field and does not close before the next records is an error naming
        the line where it opened (a comment over a few lines is read as one field).
    max_cells : int, optional
        Excel and ODS: the most cells (rows x columns, counted from A1) a sheet may
        span; default :data:`survey_analysis.load.excel.MAX_CELLS` (10,000,000). A
        sheet's stated size is never trusted: the cells present are located first, and
        a stray value far from the data (Excel's Ctrl+End) is an error naming it, not
        gigabytes of empty cells.
    scale : "auto", str, Scale or dict, default "auto"
        The rating scale (see :mod:`survey_analysis.scales`): a preset name from
        :data:`~survey_analysis.scales.SCALES` (``"cn3"``, ``"haochaping5"``,
        ``"likert5"``, ``"cn4"``, ``"cn5"``, ``"yes_no"``, ``"good5_en"``,
        ``"satisfied5_en"``, ``"easy4_en"``, ``"fft"``, ``"points5"``), a
        :class:`~survey_analysis.scales.Scale`, the path of a JSON file describing
        one, or a dict item id -> any of these for a sheet whose questions use
        different scales (items not in the dict are detected). ``"auto"`` keeps the
        presets whose labels cover every answer of the sheet and takes the one with
        the fewest levels (ties: the order of ``SCALES``); the load report says which
        and why, and names any other fitting preset that would count different answers
        as satisfied. When no preset covers the whole sheet, each item's scale is
        detected from its own answers (the report lists them). Numbers never get a
        direction by assumption: numeric answers are read only on a scale given here
        (``points5``: 5 = best; ``fft``: 1 = very good, 6 = don't know).
    labels : dict, optional
        What labels mean on this sheet: raw label -> level of the scale, or
        ``"dont_know"`` for a non-answer, e.g. ``{"很满意": "满意", "比较满意": "基本满意",
        "不太满意": "不满意"}`` for spoken variants of the 3-level scale. Applied (after
        normalization) before the scale is chosen.
    unknown_labels : {"error", "exclude"}
        An answer that is not a known label is an error listing each unknown label
        with its count and first lines; ``"exclude"`` excludes and counts them.
    duplicates : {"error", "keep_first"}
        Two answers of the same respondent to the same item are an error;
        ``"keep_first"`` keeps the first (in file order) and counts the others as
        excluded (``duplicate``). A "don't know" answer counts as an answer here, so
        不了解 followed by 满意 for the same respondent and item is a duplicate; a blank
        rating is no answer and is not.
    layout : {"auto", "long", "wide"}
        ``"long"``: one row per respondent x item, with item and rating columns.
        ``"wide"``: one row per respondent and one column per item; the item id is the
        column header and each cell a rating. ``"auto"`` (default) reads a sheet that
        has an item column as long; otherwise it looks for item columns and reads the
        sheet as wide when it finds at least two (a single column of labels without an
        item column is an error that asks which layout is meant).
    item_columns : list of str, optional
        Wide layout: the headers of the item columns. By default they are detected:
        columns with a header, other than the respondent, weight and common meta
        columns (:data:`META_COLUMNS`: 序号, 姓名, 备注 ...), whose non-empty cells are at
        least half rating labels (or "don't know"), at least one in words. A column
        of numbers alone may hold ids, ages or counts as well as 1-5 scores, so
        numeric item columns must be named here. A column that holds some labels
        but was not taken is mentioned in the report's notes. Giving
        ``item_columns`` implies ``layout="wide"``.
    header_row : int, (int, int) or str, optional
        Line (CSV) or sheet row (Excel) of the header, 1-based as the analyst sees
        it; a range ``(2, 3)`` (or ``"2-3"``) for a header over two rows, whose column
        names are the lower row's labels (the upper row's where a label is merged
        down; ``group/label`` where a lower label repeats under several groups). A
        header over two rows is also recognized by itself: Excel cells merged across
        or down from the header row, or a next row holding known header names under
        empty or unknown cells and no answer. By default the header is the first row, among the first 50, that holds
        a recognized header name (:data:`COLUMN_ALIASES`, :data:`META_COLUMNS`, or a
        header named in ``columns`` / ``item_columns``), so title rows above it are
        skipped; if none does, the first row with the most filled cells, and an
        error that follows names the row further down (up to row 1000) that holds a
        known header name, as a ``header_row=`` to pass. Not used for DataFrames and
        Parquet, whose column names are the header. Two columns whose headers are
        the same (after normalization) are an error when the loader uses one of them.
    catalogue : pandas.DataFrame or path, optional
        The item catalogue (a table with an item id column, e.g. ``data/items.csv``).
        Answers to items not in it are reported (see ``unknown_items``).
    unknown_items : {"report", "error", "exclude"}
        With a catalogue, answers to unknown items are listed in
        ``LoadReport.unknown_items`` and kept (``"report"``, default), raise an
        error listing them (``"error"``), or are excluded and counted
        (``"exclude"``, reason ``unknown_item``).

    keep_columns : list of str, optional
        Other columns to carry into the tidy result as text, by their header as
        written (e.g. ``["社区"]`` for a community used as stratum, or a category),
        so later calls can group or stratify by them. In a wide sheet they are
        row-level values, repeated for each of the row's answers.
    warn_share : float, default 0.05
        When a reason other than "don't know" or blank answers (duplicates, unknown
        labels, unknown items, totals rows) excludes at least this share of the
        answers, the load report starts with a warning (see
        :attr:`LoadReport.warnings`), and so do the CLI and the HTML report.

    Returns
    -------
    pandas.DataFrame
        Columns ``item_id``, ``respondent_id`` (strings), ``rating`` (the canonical
        level), ``scale`` (the scale's name), ``rank`` (1 = best), ``weight`` (only if
        the sheet has one), the ``keep_columns`` and ``source_line``.
        ``.attrs["load_report"]`` holds the :class:`LoadReport`; ``.attrs["scales"]``
        maps each scale name to its :class:`~survey_analysis.scales.Scale`, so the
        definition of "satisfied" travels with the responses.

    Raises
    ------
    ResponseFileError
        When the file cannot be decoded (the message names the encodings tried) or
        parsed, a required column is missing (the message lists the columns found),
        labels are unknown (by default) or mix scales (each label with its count
        and first lines), an item id, respondent id or weight is empty or invalid,
        a respondent answered an item twice (by default), an Excel formula cell
        holds no saved value (the cell is named, e.g. ``Sheet1!C7``), or, with
        ``unknown_items="error"``, items are not in the catalogue. The message
        names the file, line and column.
    FileNotFoundError
        When ``source`` (or ``catalogue``) does not exist.

    Notes
    -----
    Excluded, and counted in the load report by reason, in this order: totals rows
    (``summary_row``: 合计, 总计, 小计, 平均, Total, Sum, Average ... in the item or
    respondent cell, or in the first non-empty cell unless that is a rating cell,
    since "average" is also an answer), blank rows (``blank_row``),
    empty ratings (``missing_rating``; in a wide sheet an empty cell means the item
    was not asked: ``not_asked``), items not in the catalogue when asked
    (``unknown_item``), repeated answers when asked (``duplicate``), "don't know"
    answers (``dont_know``), and unknown labels when asked (``unknown_label``).

    Line numbers are those an analyst sees: for CSV the physical line (line 1 is
    the first line of the file; a quoted field spanning lines moves later rows
    down), for Excel the sheet row (title rows included); for Parquet and
    DataFrames the 1-based row position.

    The ledger counts rows read: in the long layout the data rows below the
    header; in the wide layout the answer cells, data rows x item columns (the
    number of data rows is ``sheet_rows``), so ``rows_read == rows_kept +
    rows_excluded`` holds in both. A blank or totals row of a wide sheet counts
    once per item column.

    Excel: cells merged over several rows below the header (an item name merged
    down over its respondents) take the merged value in every row; formula cells
    are read as the values Excel saved with the file, never evaluated.

    Item and respondent ids that differ only by invisible characters (zero-width
    space, soft hyphen, byte-order mark), full-width forms (``Ａ１`` = ``A1``) or white
    space are one id: they print alike, and counted apart they would split an item. Each
    keeps its first spelling and the report's notes list the merges; case is kept
    (``a1`` and ``A1`` may be different codes). A catalogue is matched the same way.

    When the sheet has no respondent column, each row is its own respondent
    (``"L<line>"``) and the report says so.

    Examples
    --------
    >>> import pandas as pd
    >>> from survey_analysis import load_responses
    >>> sheet = pd.DataFrame({"事项编号": ["A", "A", "B", "B"], "受访者": [1, 2, 1, 2],
    ...                       "满意度": ["满意", "基本满意", "不了解", "不满意"]})
    >>> tidy = load_responses(sheet)
    >>> tidy[["item_id", "rating", "rank"]].to_dict("list")
    {'item_id': ['A', 'A', 'B'], 'rating': ['满意', '基本满意', '不满意'], 'rank': [1, 2, 3]}
    >>> tidy.attrs["load_report"].excluded_by_reason().to_dict()
    {'dont_know': 1}

    The same answers in the wide layout (one column per item; a blank cell means
    the item was not asked):

    >>> wide = pd.DataFrame({"受访者": [1, 2], "A": ["满意", "基本满意"], "B": ["不了解", "不满意"]})
    >>> tidy = load_responses(wide)
    >>> tidy[["item_id", "respondent_id", "rating"]].to_dict("list")
    {'item_id': ['A', 'A', 'B'], 'respondent_id': ['1', '2', '2'], 'rating': ['满意', '基本满意', '不满意']}
    >>> report = tidy.attrs["load_report"]
    >>> report.layout, report.rows_read, report.rows_kept, report.item_columns
    ('wide', 4, 3, ('A', 'B'))
    """
    check_choice("unknown_labels", unknown_labels, ("error", "exclude"))
    check_choice("duplicates", duplicates, ("error", "keep_first"))
    if not (isinstance(scale, (str, dict, Scale))):
        raise ValueError(f"scale must be 'auto', a preset name, a sa.Scale or a dict item -> scale, "
                         f"got {scale!r}")
    if not (isinstance(scale, str) and scale == "auto") and not isinstance(scale, dict):
        scale = scale_of(scale)  # an unknown name fails here, before the file is read
    labels = _normalized_mapping(labels)
    check_choice("layout", layout, ("auto", "long", "wide"))
    check_choice("unknown_items", unknown_items, ("report", "error", "exclude"))
    if item_columns is not None:
        item_columns = [item_columns] if isinstance(item_columns, str) else list(item_columns)
        if layout == "long":
            raise ValueError("item_columns= describes a wide sheet; it cannot be used with layout='long'")
        if not item_columns:
            raise ValueError("item_columns= is empty")
    header_row = _check_header_row(header_row)
    if not 0.0 <= float(warn_share) <= 1.0:
        raise ValueError(f"warn_share must be a share between 0 and 1, got {warn_share!r}")
    catalogue_ids = _read_catalogue(catalogue) if catalogue is not None else None

    grid = read_source(source, sheet, encoding, delimiter, max_cells)
    columns = _item_parts(columns, grid)
    frame = split_header(grid, header_row, columns, item_columns)
    columns = _compose_item_column(frame, columns)
    first_column = first_nonempty(frame)
    summaries: dict = {}  # column position -> totals label per row, computed once

    def column_summary(position: int) -> np.ndarray:
        if position not in summaries:
            summaries[position] = is_summary(frame.cells[position])
        return summaries[position]

    summary = summary_of_first(frame, first_column, column_summary)
    check_formulas(frame, [], summary)  # header names first: the layout depends on them
    plan = choose_layout(frame, columns, item_columns, layout, _declared_labels(scale, labels))
    # A rating cell is never a totals label ("Average" is also an answer on the 5-level
    # scale), but the item or respondent cell may be one.
    ratings = plan.items if plan.layout == "wide" else [plan.mapping["rating"]]
    is_rating = np.zeros(max(frame.cells.shape[1], 1), dtype=bool)
    is_rating[ratings] = True
    summary = summary & ~is_rating[first_column]
    for canonical in ("item_id", "respondent_id"):
        if canonical in plan.mapping:
            summary = summary | column_summary(plan.mapping[canonical])
    check_formulas(frame, list(plan.mapping.values()) + plan.items, summary)

    header_of = plan.header_of(frame)
    wide = plan.layout == "wide"
    answers = _answers(frame, plan, summary, first_column)
    _merge_equivalent_ids(answers, header_of, frame.notes)
    kept_extra = _keep_columns(frame, plan, keep_columns, answers)
    ledger = _Ledger(answers, frame, header_of, wide)
    ledger.exclude_in_turn([
        (ledger.rows(answers.summary), "summary_row", "_first", "_first"),
        (ledger.rows(answers.blank), "blank_row", "rating", None),
        (ledger.mask("rating", lambda u: u == ""), "not_asked" if wide else "missing_rating", "rating", None)])
    _check_ids(ledger, frame, plan)
    unknown_table = (_check_catalogue(ledger, frame, catalogue_ids, unknown_items)
                     if catalogue_ids is not None else empty_unknown_items())
    _check_duplicates(ledger, frame, plan, duplicates)
    rated, choice = _rate(ledger, frame, scale, labels, unknown_labels)
    weights = _check_weights(ledger, frame) if "weight" in plan.mapping else None

    # What the result needs from the sheet, gathered first: the sheet's own arrays are
    # then let go, so the peak memory does not hold them beside the tidy columns.
    text_columns = {name: (ledger.codes(name), ledger.uniques(name)) for name in ("item_id", "respondent_id")}
    for name in kept_extra:
        text_columns[name] = (ledger.codes(_KEEP_PREFIX + name), ledger.uniques(_KEEP_PREFIX + name))
    source_line = ledger.lines().astype(np.int64, copy=False)
    rows_read, exclusions = ledger.rows_read, ledger.exclusions()
    sheet_rows, item_headers = len(frame.cells), tuple(frame.header(i).strip() for i in plan.items)
    frame.cells = frame.no_value = grid.text = grid.no_value = None
    summaries.clear()  # the column_summary closure holds the dict itself
    del ledger, answers, summary, first_column

    # The tidy columns: each distinct text converted once, then taken by code.
    items, item_uniques = text_columns["item_id"]
    tidy = pd.DataFrame({
        "item_id": coded.strings(items, item_uniques),
        "respondent_id": coded.strings(*text_columns.pop("respondent_id")),
        "rating": coded.strings(rated.level, rated.levels),
        "scale": coded.strings(rated.scale, rated.scale_names),
        "rank": rated.rank,
    })
    if weights is not None:
        tidy["weight"] = weights
    for name in kept_extra:
        tidy[name] = coded.strings(*text_columns.pop(name))
    tidy["source_line"] = source_line

    # Items in the order of their first kept answer, each with that answer's scale.
    first_answer = coded.first_occurrence(items, len(item_uniques))
    distinct_items = np.flatnonzero(first_answer >= 0)
    distinct_items = distinct_items[np.argsort(first_answer[distinct_items], kind="stable")]
    first_answer = first_answer[distinct_items]
    item_texts = item_uniques[distinct_items]
    if catalogue_ids is not None:
        answered = set(_id_keys(item_texts)[1])
        unanswered = sorted(c for c, k in zip(catalogue_ids, _id_keys(np.array(list(catalogue_ids), dtype=object))[1])
                            if k not in answered)
        if unanswered:
            frame.notes.append(f"{len(unanswered)} catalogue item(s) have no kept answer: "
                               + ", ".join(unanswered[:10]) + (" ..." if len(unanswered) > 10 else ""))
    scale_texts = [name if isinstance(name, str) else pd.NA for name in rated.scale_names]
    used = sorted({scale_texts[code] for code in np.unique(rated.scale) if isinstance(scale_texts[code], str)})
    item_scales = {item: scale_texts[rated.scale[answer]] for item, answer in zip(item_texts, first_answer)}
    frame.notes.extend(choice.notes)
    tidy.attrs["scales"] = {name: choice.scales[name] for name in used}
    tidy.attrs["load_report"] = LoadReport(
        source=grid.source, file_format=grid.file_format, encoding=grid.encoding,
        scale=used[0] if len(used) == 1 else None,
        rows_read=rows_read, rows_kept=len(tidy), exclusions=exclusions,
        columns=header_of, notes=tuple(frame.notes), layout=plan.layout, sheet=grid.sheet,
        header_line=frame.header_line, sheet_rows=sheet_rows,
        item_columns=item_headers, unknown_items=unknown_table,
        scales=dict(tidy.attrs["scales"]), item_scales=item_scales, scale_how=choice.how,
        warn_share=float(warn_share))
    return tidy


_PART_SEPARATOR = " / "


def _item_parts(columns, grid) -> dict | None:
    """``columns`` with a composite item id as a list of headers: ``["科室", "病区"]``, or
    the CLI's text ``"科室+病区"`` when that text is not itself a header."""
    if not columns or columns.get("item_id") is None:
        return columns
    value = columns["item_id"]
    if isinstance(value, str) and "+" in value:
        headers = grid.headers if grid.headers is not None else \
            [h for row in grid.text.iloc[:50].itertuples(index=False) for h in row]
        if value not in headers and value.strip() not in [str(h).strip() for h in headers]:
            value = [part.strip() for part in value.split("+")]
    if isinstance(value, (list, tuple)):
        parts = [str(p) for p in value]
        if not parts or any(not p.strip() for p in parts):
            raise ValueError(f"columns={{'item_id': {list(value)!r}}}: name one or more headers")
        if len(parts) == 1:
            return {**columns, "item_id": parts[0]}
        return {**columns, "item_id": parts}
    return columns


def _compose_item_column(frame: Sheet, columns) -> dict | None:
    """A composite item id (several columns, e.g. department and sub-department) becomes
    one column of the sheet: the non-empty parts joined with " / "."""
    if not columns or not isinstance(columns.get("item_id"), list):
        return columns
    parts = columns["item_id"]
    positions = []
    for part in parts:
        position = find_column(frame.headers, frame.normalized, part)
        if position is None:
            raise frame.fail(f"columns= names {part!r} as part of the item id, which is not a column; "
                             f"columns found: {[h for h in frame.headers if str(h).strip()]}",
                             column=part)
        positions.append(position)
    # The distinct combinations of the parts are joined (a loop over the parts, each step
    # vectorized over the combinations), then mapped back to the rows.
    combination = np.zeros(len(frame.cells), dtype=np.int64)
    for position in positions:
        codes, uniques = coded.parts(frame.cells[position])
        combination, _ = pd.factorize(combination * max(len(uniques), 1) + codes)
    _, first = np.unique(combination, return_index=True)  # a row of each combination
    text = {p: pd.Series(coded.text(frame.cells[p], first), dtype="string") for p in positions}
    joined = text[positions[0]].copy()
    for position in positions[1:]:
        cell = text[position]
        joined = joined.where(cell == "", joined.where(joined == "", joined + _PART_SEPARATOR) + cell)
    name = " + ".join(frame.header(p).strip() for p in positions)
    column = frame.cells.shape[1]
    codes, texts = pd.factorize(joined.to_numpy(dtype=object))
    frame.cells[column] = coded.from_codes(codes[combination], texts)
    frame.headers.append(name)
    frame.normalized.extend(normalize_list([name]))
    if frame.no_value is not None:
        frame.no_value[column] = frame.no_value[positions].any(axis=1)
    frame.notes.append(f"item id = {name}: the non-empty parts joined with {_PART_SEPARATOR!r}")
    return {**columns, "item_id": name}


def _check_header_row(header_row):
    """``header_row``: a line >= 1, or a (first, last) range of lines (a text "2-3" too)."""
    if header_row is None:
        return None
    if isinstance(header_row, str):
        header_row = parse_header_row(header_row)
    if isinstance(header_row, (list, tuple)):
        if len(header_row) != 2:
            raise ValueError(f"header_row range must be (first, last), got {header_row!r}")
        first, last = (_check_header_row(v) for v in header_row)
        if last < first:
            raise ValueError(f"header_row range must be (first, last) with first <= last, got {header_row!r}")
        return (first, last) if last > first else first
    if isinstance(header_row, bool) or not isinstance(header_row, (int, np.integer)) or header_row < 1:
        raise ValueError(f"header_row must be a line number >= 1 or a range (first, last), got {header_row!r}")
    return int(header_row)


def _declared_labels(scale, labels: dict) -> list:
    """Labels the analyst declared: ``labels=`` keys and the words of a given scale."""
    declared = list(labels)
    given = scale.values() if isinstance(scale, dict) else [scale]
    for spec in given:
        if not (isinstance(spec, str) and spec == "auto"):
            declared += list(scale_of(spec).vocabulary(codes=False))
    return declared
