"""The counting engine of pandas and Dask DataFrames: a frame's rows as a counted table.

The same operations serve both libraries (lazy in Dask): each column the count reads as
trimmed text, the rule book's facts of each row (totals labels and empty cells, decided by
:mod:`.rules` on the distinct texts), the repeated answers of a respondent to an item
(found from the distinct item x respondent pairs and their sizes, ids compared by their key),
then one group-by to the counted table :mod:`.counted` reads. Dask computes the distinct
texts, then the pairs, then the table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import rules
from .counted import CountedPlace, in_play_facts, level_counts_from_labels
from .sources import check_columns, is_dask_frame, wanted_columns

__all__ = ["frame_label_counts", "frame_level_counts"]


def _compute(value):
    """A Dask result computed; a pandas one as it is."""
    return value.compute() if hasattr(value, "compute") and is_dask_frame(value) else value


def frame_label_counts(frame, by, rating, weight) -> pd.DataFrame:
    """Rows (and weight sums) per group and raw label (trimmed; "" when missing)."""
    columns = list(by) + [rating] + ([weight] if weight is not None else [])
    data = frame[columns]
    data = data.assign(**{rating: data[rating].astype("string").str.strip().fillna("")}, rows=1)
    for column in by:
        data = data.assign(**{column: data[column].astype(str)})
    if weight is not None:
        w = _to_numeric(frame, weight)
        data = data.assign(**_weight_sums(w)).drop(columns=[weight])
    grouped = (data.groupby(list(by) + [rating], sort=False, observed=True) if isinstance(frame, pd.DataFrame)
               else data.groupby(list(by) + [rating], observed=True))
    table = _compute(grouped.sum()).reset_index()
    return table.rename(columns={rating: "rating"})


def _weight_sums(w) -> dict:
    """The weight columns of rows whose weight is ``w`` (NaN when not a number): its sums,
    and the rows whose weight is 0 or bad (missing, infinite or negative, as the rule book
    and the DuckDB count say)."""
    return {"weight_sum": w, "weight_sq_sum": w * w, "zero_weight": (w == 0).astype("int64"),
            "bad_weights": (w.isnull() | (w < 0) | (w.abs() == np.inf)).astype("int64")}


def _to_numeric(frame, column):
    if is_dask_frame(frame):
        from dask.dataframe import to_numeric
    else:
        to_numeric = pd.to_numeric
    return to_numeric(frame[column], errors="coerce")


def _facts(frame, item_t, resp_t, label, weight, rating, book: rules.RuleBook):
    """The rule book's facts of each row (bits; lazy in Dask): totals labels in the item,
    respondent or first non-empty cell (a rating cell is never one), empty cells."""
    def text(column):
        return frame[column].astype("string").str.strip().fillna("")

    first = None  # the first non-empty cell unless it is the rating ("Average" is an answer)
    for column in reversed(list(frame.columns)):
        cell = text(column)
        value = cell.where(cell == "", pd.NA) if str(column) == rating else cell
        first = value.where(cell != "", first if first is not None else pd.NA)
    texts = set()
    for series in [item_t, first] + ([resp_t] if resp_t is not None else []):
        series = series.dropna()
        texts.update(_compute(series[(series != "") & ~series.str.contains(rules.NO_TOTALS, regex=True)]
                              .unique()).tolist())
    texts = np.array(sorted(texts), dtype=object)
    totals = set(texts[rules.totals(texts)].tolist()) if len(texts) else set()
    starts = first.dropna()
    starts = np.array(_compute(starts[starts.str.lower().str.contains(rules.FOOTER_START, regex=True)].unique()).tolist(),
                      dtype=object)
    footers = set(starts[rules.footer(starts)].tolist()) if len(starts) else set()
    labels = np.array(_compute(label.unique()).tolist(), dtype=object)
    empty = set(labels[book.no_answer(labels)].tolist()) if len(labels) else set()
    rest_empty = item_t == ""
    facts = (item_t.isin(totals).astype("int8") * rules.ITEM_TOTALS
             + first.isin(totals).fillna(False).astype("int8") * rules.FIRST_TOTALS
             + first.isin(footers).fillna(False).astype("int8") * rules.FOOTER
             + label.isin(empty).astype("int8") * rules.RATING_EMPTY)
    if resp_t is not None:
        facts = facts + resp_t.isin(totals).astype("int8") * rules.RESPONDENT_TOTALS
        rest_empty = rest_empty & (resp_t == "")
    if weight is not None:
        rest_empty = rest_empty & (text(weight) == "")
    return facts + rest_empty.astype("int8") * rules.REST_EMPTY


def _merged(sizes: pd.Series, level: str, what: str, column: str, notes: list):
    """Look-alike ids among the pairs' ``level`` (:func:`~.rules.merge_ids`) as one: the
    text -> merged id map (None when nothing merges)."""
    texts = np.array(sorted(pd.unique(sizes.index.get_level_values(level))), dtype=object)
    merged = rules.merge_ids(texts, what, column)
    if merged is None or len(merged.display) == len(texts):
        return None
    notes.append(merged.note)
    return dict(zip(texts, merged.display[merged.group]))


def _frame_rows(frame, keys, item, respondent, rating, weight, book: rules.RuleBook, place, name):
    """The frame's rows with the columns a count keeps: the keys as trimmed text, ``rating``
    (the raw label), ``facts`` and ``later`` (a repeated answer after the first, under the
    book's ``keep_first``), and the weight as a number."""
    found = [str(c) for c in frame.columns]
    check_columns(found, wanted_columns(keys, item, rating, weight), name)
    if respondent is not None and respondent not in found:
        respondent = None

    def text(column):
        return frame[column].astype("string").str.strip().fillna("")

    label = frame[rating].astype("string").fillna("")
    item_t = text(item)
    resp_t = text(respondent) if respondent else None
    facts = _facts(frame, item_t, resp_t, label, weight, rating, book)
    columns = {item: item_t, "rating": label, "facts": facts}
    for column in keys:
        if column != item:
            columns[column] = text(column).where(frame[column].notnull(), pd.NA)
    if weight is not None:
        columns["_w"] = _to_numeric(frame, weight)
    if resp_t is not None:
        columns["_resp"] = resp_t
    out = frame.assign(**columns)[list(columns)]
    out = out.assign(later=facts < 0)  # False on every row, in either library
    if resp_t is None:
        return out
    in_play = out["facts"].isin(in_play_facts())
    sizes = _compute(out[in_play].groupby([item, "_resp"]).size())
    rules.RuleBook.refuse_empty_ids(place, "respondent", int(sizes[sizes.index.get_level_values("_resp") == ""].sum()),
                                    column=respondent)
    # Ids compared by their key: look-alike respondents (or items) are one.
    resp_of = _merged(sizes, "_resp", "respondent", respondent, [])
    item_of = _merged(sizes, item, "item", item, [])
    if resp_of is not None or item_of is not None:
        index = sizes.index.to_frame(index=False)
        if resp_of is not None:
            index["_resp"] = index["_resp"].map(resp_of)
        if item_of is not None:
            index[item] = index[item].map(item_of)
        sizes = pd.Series(sizes.to_numpy(), index=pd.MultiIndex.from_frame(index)).groupby(level=[0, 1]).sum()
    repeated = sizes[sizes > 1]
    if repeated.empty:
        return out

    def error():
        pairs = repeated.rename("n").reset_index().sort_values([item, "_resp"])
        return rules.RuleBook.repeats_error(place, int((repeated - 1).sum()), pairs=pairs, column=respondent)

    book.repeats(error)
    # keep_first: the order of the rows (partition by partition in Dask) is the file order.
    key_item = out[item].map(item_of) if item_of is not None else out[item]
    key_resp = out["_resp"].map(resp_of) if resp_of is not None else out["_resp"]
    ordered = out.assign(_in=in_play, _ki=key_item, _kr=key_resp)
    return out.assign(later=(ordered.groupby(["_in", "_ki", "_kr"]).cumcount() > 0) & in_play)


def frame_level_counts(frame, keys, item, respondent, rating, weight, book: rules.RuleBook, name: str,
                       warn_share: float, engine: str):
    """Counts per key x scale x rank of a pandas or Dask DataFrame, with the ledger."""
    place = CountedPlace(name, [str(c) for c in frame.columns], is_file=False)
    rows = _frame_rows(frame, keys, item, respondent, rating, weight, book, place, name)
    group = list(keys) + ["rating", "facts", "later"]
    data = rows[group].assign(rows=1)
    if weight is not None:
        w = rows["_w"]
        data = data.assign(**_weight_sums(w))
    table = _compute(data.groupby(group, observed=True, dropna=False).sum()).reset_index()
    table = table.astype({column: "string" for column in keys})
    return level_counts_from_labels(table, keys, item=item, source=name, engine=engine,
                                    warn_share=warn_share, book=book, place=place)
