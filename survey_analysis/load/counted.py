"""The rule book applied to a counted table: the counting engines' common second half.

A counting engine (:mod:`.engines`) reduces its rows to a *counted table*: one row per
distinct combination of the keys (item, cluster, stratum, group), the raw answer label and
the rule book's facts (:data:`~.rules.ITEM_TOTALS` ... as bits, column ``facts``), with
``later`` (a repeated answer of a respondent to an item, after the first in file order),
``rows`` and, with a weight, ``weight_sum``, ``weight_sq_sum``, ``zero_weight`` and
``bad_weights``. :func:`level_counts_from_labels` applies the rule book to it -- early
reasons from the facts, repeats, labels read once per distinct label (or item x label),
weights -- and sums the kept rows per key x scale x rank, with the ledger.
:class:`CountedPlace` is where such an engine's errors point: the file, with counts of rows
instead of lines.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..scales.text import ids_may_change
from ..words import Message, SurveyError
from . import rules
from .report import WARN_SHARE, CountsReport, ResponseFileError, sheet_languages

__all__ = ["CountedPlace", "aggregate_cells", "counts_report", "excluded_rows", "in_play_facts",
           "level_counts_from_labels", "merge_item_ids"]

# Largest number of key x scale x rank cells summed with np.bincount (arrays of this length).
_DENSE_CELLS = 20_000_000


def in_play_facts() -> list:
    """The combinations of facts (bits) the rule book excludes nothing for: the rows still
    in play after the early reasons."""
    return np.flatnonzero(rules.early_reason_table() == "").tolist()


class CountedPlace:
    """Where a counting engine's errors point (a :class:`~.rules.Place`): the file (and the
    column), with each answer's label and its number of rows instead of lines.

    Parameters
    ----------
    source : str
        The file, folder, glob or ``"<DataFrame>"``.
    labels, label_rows : numpy.ndarray
        The distinct raw labels read and their rows (set before the labels are read).
    headers : sequence of str
        The columns of the source (Chinese ones: the errors say it in Chinese too).
    is_file : bool
        Whether ``survey-analysis validate FILE`` can list the lines.
    """

    has_lines = False

    def __init__(self, source: str, headers=(), is_file: bool = True):
        self.source, self.languages = source, sheet_languages(*headers)
        self.validate = Message("load.validate_lines") if is_file else ""
        self.labels = self.label_rows = self.reading_labels = self.reading_rows = None

    def fail(self, code: str, line=None, column=None, **params) -> ResponseFileError:
        return ResponseFileError(code, self.source, line=line, column=column, languages=self.languages, **params)

    @staticmethod
    def _listing(labels, rows) -> str:
        counts = pd.Series(np.asarray(rows, dtype=np.int64), index=np.asarray(labels, dtype=object))
        counts = counts.groupby(level=0).sum().sort_index()
        return "; ".join(f"{label!r} x{int(count)}" for label, count in counts.items())

    def labels_where(self, mask: np.ndarray) -> tuple:
        return self._listing(self.labels[mask], self.label_rows[mask]), None, None

    def readings_where(self, mask: np.ndarray) -> tuple:
        return self._listing(self.reading_labels[mask], self.reading_rows[mask]), None, None


def aggregate_cells(keys: list, scale_names: np.ndarray, ranks: np.ndarray, values: dict) -> pd.DataFrame:
    """Sum ``values`` (arrays: ``n``, and ``w`` / ``w2``) per key x scale x rank cell.

    ``keys`` are Series (their names become the columns), ``scale_names`` one scale name per
    row (or a Categorical of them), ``ranks`` the levels' ranks; a value given as None
    counts one per row. Each key is factorized once (sorted, so cells come out
    sorted as a pandas groupby would give them) and the codes are combined into one integer
    per cell; ``np.bincount`` then sums each column in one pass. Written by hand because a
    multi-column pandas groupby builds the same codes and then sums far more slowly; above
    :data:`_DENSE_CELLS` cells (a product of the key sizes) the pandas groupby is used.

    Returns
    -------
    pandas.DataFrame
        The key columns, ``scale`` (string), ``rank`` (int8) and the summed values (``n``
        as int64), one row per non-empty cell.
    """
    names = [str(k.name) for k in keys]
    columns, sizes, levels = [], [], []
    for key in keys:
        codes, uniques = pd.factorize(key, sort=True, use_na_sentinel=True)
        if (codes < 0).any():
            raise SurveyError("load.counts.empty_key", column=str(key.name))
        columns.append(codes)
        sizes.append(len(uniques))
        levels.append(uniques)
    if isinstance(scale_names, pd.Categorical):  # a few names: their codes, no string work
        order = np.argsort(np.asarray(scale_names.categories, dtype=object))
        position = np.empty(len(order), dtype=np.int64)
        position[order] = np.arange(len(order))
        scale_codes = position[scale_names.codes]
        scale_values = np.asarray(scale_names.categories, dtype=object)[order]
    else:
        scale_codes, scale_values = pd.factorize(np.asarray(scale_names, dtype=object), sort=True)
    ranks = np.asarray(ranks, dtype=np.int64)
    columns += [scale_codes, ranks]
    sizes += [max(len(scale_values), 1), int(ranks.max()) + 1 if len(ranks) else 1]
    cells = float(np.prod(sizes, dtype=float))
    if len(ranks) and cells <= _DENSE_CELLS:
        combined = np.ravel_multi_index(columns, sizes)
        count = np.bincount(combined, minlength=int(cells))
        present = np.flatnonzero(count)
        parts = np.unravel_index(present, sizes)
        out = pd.DataFrame({name: levels[i].take(parts[i]) for i, name in enumerate(names)})
        out["scale"] = pd.Categorical.from_codes(parts[-2], categories=list(scale_values))
        out["rank"] = parts[-1].astype("int8")
        for name, array in values.items():
            sums = count[present] if array is None else \
                np.bincount(combined, weights=array, minlength=int(cells))[present]
            out[name] = sums.astype(np.int64) if name == "n" else sums
        return out
    frame = pd.DataFrame({name: np.ones(len(ranks), dtype=np.int64) if array is None else array
                          for name, array in values.items()})
    by = [pd.Series(np.asarray(k), name=n) for k, n in zip(keys, names)] + [
        pd.Series(np.asarray(scale_names, dtype=object), name="scale"), pd.Series(ranks, name="rank")]
    out = frame.groupby(by, sort=True, observed=True).sum().reset_index()
    out["scale"] = pd.Categorical(out["scale"].astype(str), categories=sorted(set(out["scale"].astype(str))))
    out["rank"] = out["rank"].astype("int8")
    out["n"] = out["n"].astype("int64")
    return out


def merge_item_ids(counts: pd.DataFrame, keys: list, item: str, notes: list) -> pd.DataFrame:
    """Counts with look-alike item ids (the rule book's :func:`~.rules.merge_ids`) as one
    item, spelled as the first of its texts in the counts' (sorted) order; a note says so."""
    column = counts[item].array
    # Most counts have plain ids: one vectorized test of the column as it is (Arrow texts
    # are tested without a copy), before any distinct text is taken.
    if not ids_may_change(column if isinstance(column, pd.arrays.ArrowStringArray)
                          else np.asarray(column, dtype=object)).any():
        return counts
    texts = counts[item].drop_duplicates().to_numpy(dtype=object)
    merged = rules.merge_ids(texts, "item", item)
    if merged is None:
        return counts
    notes.append(merged.note)
    display = dict(zip(texts, merged.display[merged.group]))
    counts = counts.assign(**{item: counts[item].map(display).astype("string")})
    if len(merged.display) == len(texts):
        return counts
    sums = [c for c in counts.columns if c not in keys and c not in ("scale", "rank")]
    out = counts.groupby(list(keys) + ["scale", "rank"], sort=True, observed=True)[sums].sum().reset_index()
    return out.astype({c: "string" for c in keys})


def excluded_rows(*tallies) -> dict:
    """Rows per reason of exclusion, summed over ``tallies`` (each reason -> rows; the
    reason "" is none: those rows are kept)."""
    out: dict = {}
    for tally in tallies:
        for reason, rows in tally.items():
            if reason:
                out[str(reason)] = out.get(str(reason), 0) + int(rows)
    return out


def counts_report(counts, excluded: dict, rows_read: int, choice, item: str, source: str, engine: str,
                  warn_share: float, unchecked="", notes=()) -> CountsReport:
    """The ledger of a count: rows read, kept (the counts' ``n``) and excluded by reason."""
    used = sorted(str(s) for s in pd.unique(counts["scale"]))
    return CountsReport(
        source=source, engine=engine, scale=used[0] if len(used) == 1 else None,
        rows_read=int(rows_read), rows_kept=int(counts["n"].sum()), excluded=excluded,
        scales={name: choice.scales[name] for name in used},
        item_scales=(dict.fromkeys(pd.unique(counts[item]).tolist(), used[0])
                     if choice.uniform is not None and used
                     else {i: s.name for i, s in choice.by_item.items() if s.name in used}),
        scale_how=choice.how, warn_share=warn_share, unchecked=unchecked, notes=tuple(notes))


def early_reasons_of(table: pd.DataFrame, book: rules.RuleBook) -> np.ndarray:
    """The reason of each row of a counted table decided before its label is read: the rule
    book's early reason of its facts, else the repeat's (``later``) under the book's
    duplicates rule ("" while in play)."""
    reason = rules.early_reason_table()[table["facts"].to_numpy(dtype=np.int64)]
    if "later" in table.columns:
        later = table["later"].to_numpy(dtype=bool) & (reason == "")
        if later.any():  # marked by an engine only when the book's rule keeps the first
            reason = reason.copy()
            reason[later] = rules.REPEATED
    return reason


def level_counts_from_labels(table: pd.DataFrame, keys, item: str = "item_id", scale="auto",
                             labels=None, source: str = "", engine: str = "",
                             warn_share: float = WARN_SHARE, unchecked="", book=None, place=None):
    """Place a counted table's rows on their scales: counts per group x level, with the ledger.

    Labels are read exactly as :func:`~survey_analysis.load_responses` reads them (the rule
    book's :meth:`~.rules.RuleBook.read_answers`: the same scales, detection and
    ``labels=``), but once per distinct label (per distinct item x label when items have
    scales of their own). The columns ``facts`` and ``later`` (see the module notes), when
    present, exclude rows before their labels are read; unknown labels, empty item ids and
    bad weights on a counted row are errors.

    Returns
    -------
    (pandas.DataFrame, CountsReport)
        One row per group and level: the ``keys`` columns (text), ``scale``,
        ``rank``, ``n``; with weights also ``w``, ``w2`` (sums of weights and of
        squared weights) and ``zero_weight`` (rows of weight 0).
    """
    keys = [keys] if isinstance(keys, str) else list(keys)
    book = book or rules.RuleBook.of(scale=scale, labels=labels)
    place = place or CountedPlace(source, [str(c) for c in table.columns], is_file=not source.startswith("<"))
    weighted = "weight_sum" in table.columns
    rows_read = int(table["rows"].sum())
    if "facts" not in table.columns:  # a plain table of labels: an empty one is no answer
        table = table.assign(facts=np.where(book.no_answer(table["rating"].to_numpy(dtype=object)),
                                            rules.RATING_EMPTY, 0))
    reason = early_reasons_of(table, book)
    early = reason != ""
    before = pd.Series(table["rows"].to_numpy()[early]).groupby(reason[early]).sum().to_dict()
    table = table.loc[~early].reset_index(drop=True)
    empty_items = int(table.loc[rules.empty(table[item].to_numpy(dtype=object)), "rows"].sum())
    rules.RuleBook.refuse_empty_ids(place, "item", empty_items, column=item)
    failed = rules.excel_errors(table[item].to_numpy(dtype=object))
    if failed.any():
        rules.RuleBook.refuse_error_ids(place, "item", int(table.loc[failed, "rows"].sum()),
                                        str(table.loc[failed, item].iloc[0]), column=item)
    # Rows find their label's reading through the factorization codes, not a merge.
    label_codes, uniques = pd.factorize(table["rating"], use_na_sentinel=False)
    raw = np.asarray(uniques, dtype=object)
    place.labels = raw
    place.label_rows = np.bincount(label_codes, weights=table["rows"].to_numpy(dtype=float),
                                   minlength=len(raw)) if len(raw) else np.zeros(0)
    pair_of_row = {}

    def pairs():
        pair = table[[item]].assign(label=label_codes)
        codes, distinct = pd.factorize(pd.MultiIndex.from_frame(pair))
        pair_of_row["codes"] = codes
        return (distinct.get_level_values(0).to_numpy(dtype=object),
                distinct.get_level_values(1).to_numpy(dtype=np.int64))

    readings = book.read_answers(raw, place, pairs)
    reading = pair_of_row["codes"] if readings.by_pair else label_codes
    place.reading_labels = raw[readings.label]
    place.reading_rows = np.bincount(reading, weights=table["rows"].to_numpy(dtype=float),
                                     minlength=len(readings.label)) if len(reading) else np.zeros(len(readings.label))
    book.unknown_labels_action(readings, place)
    reason = readings.reason[reading] if len(reading) else np.zeros(0, dtype=object)
    excluded = reason != ""
    totals = pd.Series(table["rows"].to_numpy()[excluded]).groupby(reason[excluded]).sum().to_dict()
    kept = ~excluded
    kept_table = table.loc[kept]
    if weighted:
        rules.RuleBook.refuse_bad_weights(place, int(kept_table["bad_weights"].sum()))
    values = {"n": kept_table["rows"].to_numpy(dtype=np.int64)}
    if weighted:
        values.update(w=kept_table["weight_sum"].to_numpy(dtype=float),
                      w2=kept_table["weight_sq_sum"].to_numpy(dtype=float),
                      zero_weight=kept_table["zero_weight"].to_numpy(dtype=float))
    scale_of_reading, scale_names = pd.factorize(pd.Series(readings.scale, dtype=object).fillna(""))
    scale_column = pd.Categorical.from_codes(scale_of_reading[reading[kept]], categories=list(scale_names)) \
        if len(scale_names) else pd.Categorical([], categories=[])
    counts = aggregate_cells([kept_table[c] for c in keys], scale_column, readings.rank[reading[kept]], values)
    counts = counts.astype({column: "string" for column in keys})
    notes: list = []
    counts = merge_item_ids(counts, keys, item, notes)
    return counts, counts_report(counts, excluded_rows(before, totals), rows_read, readings.choice, item,
                                 source, engine, warn_share, unchecked, notes)
