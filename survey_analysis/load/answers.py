"""The loader's columnar input: every answer of a sheet as integer codes, and those in play.

:func:`build_answers` turns the sheet's columns (after the header and layout are found) into
one entry per answer -- the long sheet's rows, or the wide sheet's cells row by row -- as
codes into each column's distinct texts (:mod:`.coded`), with the facts the rule book
(:mod:`.rules`) decides the early reasons from. :class:`InPlay` holds the answers not
excluded yet and records each exclusion with its line, column and value: the loader's
ledger, row by row. Nothing per answer is a Python object.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..words import SurveyError
from . import coded, rules
from .header import Plan, Sheet, first_text, refuse_duplicate_headers
from .report import empty_exclusions

__all__ = ["KEEP_PREFIX", "TIDY_COLUMNS", "Answers", "InPlay", "build_answers", "keep_columns", "merge_equivalent_ids"]

#: Prefix of the kept columns' names among the answers' columns.
KEEP_PREFIX = "_keep:"
#: The columns of the tidy result (a kept column may not take one of these names).
TIDY_COLUMNS = ("item_id", "respondent_id", "rating", "scale", "rank", "weight", "source_line")


@dataclass
class Answers:
    """One entry per answer as integer codes into distinct texts.

    ``columns``: canonical name (and ``_keep:NAME``) -> (codes, distinct texts);
    ``row``: position of the answer's sheet row in ``sheet.cells``; ``line``: its line;
    ``rating_header``: (codes, headers) of the rating cell's column; ``facts``: the rule
    book's facts of each answer (bits, see :mod:`.rules`); ``first``: column of the first
    non-empty cell of each sheet row (its text and header name a totals row).
    """

    columns: dict
    row: np.ndarray
    line: np.ndarray
    rating_header: tuple
    facts: np.ndarray
    first: np.ndarray


def build_answers(sheet: Sheet, plan: Plan, row_facts: np.ndarray, first, no_answer=None) -> Answers:
    """The answers of ``sheet`` laid out by ``plan``; ``row_facts``: the facts of each sheet
    row (totals cells, and :data:`~.rules.REST_EMPTY` added here), ``first``: its first
    non-empty column; ``no_answer``: which distinct rating texts are no answer (the rule
    book's :meth:`~.rules.RuleBook.no_answer`; empty cells when not given)."""
    cells, n = sheet.cells, len(sheet.cells)
    used = list(plan.mapping.values()) + plan.items
    # Every cell read of the row empty (none is when a used column has no empty cell).
    if used and any(not rules.empty(coded.parts(cells[p])[1], stripped=True).any() for p in used):
        blank = np.zeros(n, dtype=bool)
    else:
        blank = np.ones(n, dtype=bool)
        for position in used:
            blank &= coded.mask(cells[position], lambda u: rules.empty(u, stripped=True))
    row_facts = np.asarray(row_facts, dtype=np.int8) | (blank.astype(np.int8) * np.int8(rules.REST_EMPTY))
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
    lines = np.asarray(sheet.lines, dtype=np.int64)
    positions = np.arange(n, dtype=np.int32 if n * k < 2**31 else np.int64)
    rows = positions if k == 1 else np.repeat(positions, k)
    codes, uniques = columns["rating"]
    no_rating = no_answer(uniques, stripped=True) if no_answer else rules.empty(uniques, stripped=True)
    facts = row_facts if k == 1 else row_facts[rows]
    if no_rating.any():
        facts = facts | (no_rating[codes].astype(np.int8) * np.int8(rules.RATING_EMPTY))
    return Answers(columns, rows, lines if k == 1 else lines[rows], rating_header, facts, np.asarray(first))


def merge_equivalent_ids(answers: Answers, header_of: dict, notes: list) -> None:
    """Item and respondent ids the rule book reads as one (:func:`~.rules.merge_ids`: they
    differ only by invisible characters, full-width forms or white space) become one; each
    keeps its first spelling, in the order the sheet gives them. The notes say so."""
    for canonical, what in (("item_id", "item"), ("respondent_id", "respondent")):
        if canonical not in answers.columns:
            continue
        codes, uniques = answers.columns[canonical]
        merged = rules.merge_ids(uniques, what, header_of.get(canonical, canonical))
        if merged is None:
            continue
        notes.append(merged.note)
        if len(merged.display) == len(uniques):
            answers.columns[canonical] = (codes, merged.display)
        else:
            answers.columns[canonical] = (merged.group.astype(coded.small_codes(len(merged.display)))[codes],
                                          merged.display)


def keep_columns(sheet: Sheet, keep, answers: Answers, what: str = "keep") -> list[str]:
    """Add the requested extra columns to ``answers`` (repeated per answer in a wide sheet);
    ``what``: ``"keep"`` (``keep_columns=``) or ``"comments"`` (``comments=``), whose
    errors name that keyword."""
    if keep is None:
        return []
    names = [keep] if isinstance(keep, str) else [str(c) for c in keep]
    headers = [sheet.header(p).strip() for p in range(len(sheet.headers))]
    for name in names:
        if name in TIDY_COLUMNS:
            raise SurveyError(f"load.{what}.tidy", name=name)
        if name.strip() not in headers:
            raise sheet.fail(f"load.{what}.missing", name=name, headers=[h for h in headers if h])
        position = headers.index(name.strip())
        refuse_duplicate_headers(sheet, [position])
        codes, uniques = coded.parts(sheet.cells[position])
        answers.columns[KEEP_PREFIX + name] = (codes[answers.row], uniques)
    return names


class InPlay:
    """The answers still in play (positions into :class:`Answers`), and those excluded so
    far with their reason: the loader's ledger, row by row."""

    def __init__(self, answers: Answers, sheet: Sheet, header_of: dict, wide: bool):
        self.answers, self.sheet, self.header_of, self.wide = answers, sheet, header_of, wide
        self.rows_read = len(answers.row)
        self.alive = np.arange(self.rows_read, dtype=np.int32 if self.rows_read < 2**31 else np.int64)
        self.excluded: list[pd.DataFrame] = []
        self.gathered: dict = {}  # column -> codes of the answers in play (until the next exclusion)

    def __len__(self) -> int:
        return len(self.alive)

    def codes(self, column: str) -> np.ndarray:
        """Codes of ``column`` for the answers in play."""
        if column not in self.gathered:
            codes = self.answers.columns[column][0]
            self.gathered[column] = codes if len(self.alive) == len(codes) else codes[self.alive]
        return self.gathered[column]

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
        if "_line" not in self.gathered:
            line = self.answers.line
            self.gathered["_line"] = line if len(self.alive) == len(line) else line[self.alive]
        return self.gathered["_line"]

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
                self.record(mask, reason, column, value)
                taken |= mask
        if taken.any():
            keep = ~taken
            self.alive = self.alive[keep]
            self.gathered = {name: codes[keep] for name, codes in self.gathered.items()}

    def record(self, mask, reason: str, column: str, value: str | None) -> None:
        """Add the answers in ``mask`` to the ledger (they stay in play: see :meth:`exclude`)."""
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
        self.excluded.append(pd.DataFrame({
            "source_line": self.answers.line[positions].astype(np.int64),
            "reason": reason,
            "column": headers,
            "value": self.text(value, mask) if known else "",
        }))

    def drop(self, column: str) -> None:
        """Forget the codes of ``column`` gathered so far (the column was replaced)."""
        self.gathered.pop(column, None)

    def where(self, mask) -> tuple[np.ndarray, np.ndarray]:
        """Lines and rating headers of the answers in ``mask``."""
        return self.lines()[mask], self.headers(mask)

    def exclusions(self) -> pd.DataFrame:
        frame = pd.concat(self.excluded, ignore_index=True) if self.excluded else empty_exclusions()
        return frame.sort_values("source_line", kind="stable").reset_index(drop=True)

    def early(self, wide: bool) -> None:
        """Exclude what the rule book decides from the answers' facts before their labels
        are read: totals rows (named by the row's first non-empty cell), blank rows, empty
        ratings."""
        table = rules.early_reason_table(wide)
        names = ("summary_row", "footer_row", "blank_row", "not_asked" if wide else "missing_rating")
        codes = np.zeros(rules.FACTS, dtype=np.int8)
        for k, name in enumerate(names, 1):
            codes[table == name] = k
        reason = codes[self.rows(self.answers.facts)]
        places = {"summary_row": ("_first", "_first"), "footer_row": ("_first", "_first")}
        # A reason no answer has (most sheets have no footer, no blank row) costs no pass.
        present = np.bincount(reason, minlength=len(names) + 1) > 0
        self.exclude_in_turn([(reason == k, name, *places.get(name, ("rating", None)))
                              for k, name in enumerate(names, 1) if present[k]])

