"""The counting engine of pandas and Dask DataFrames: a frame's rows as a counted table.

One function reads a block of rows (a pandas DataFrame, or one partition of a Dask
DataFrame) and reduces it to what the count needs, in one pass over its columns:

* the **counted table** of the block -- rows (and weight sums) per distinct trimmed keys, raw
  label and the rule book's facts (totals labels, footers and empty cells, decided by
  :mod:`.rules` once per distinct text of the block: each decision is one text's own, so a
  block decides it as the whole frame would);
* the **hashes** of item x respondent (their comparison keys, :func:`~.rules.merge_ids`) of
  the rows in play, sorted: a hash seen twice means a repeated answer, or a rare collision
  told apart afterwards on the texts;
* the rows in play with an empty respondent id.

Dask runs it on every partition and sums the small tables, and merges the sorted hashes, in
two tree reductions computed together (one read of the data; no shuffle). Only when a hash
repeats is the data read again, for the few rows holding it (the error names them; with
``duplicates="keep_first"`` a third pass counts the later ones, in file order, as
``duplicate``).

Texts are worked on as Arrow strings: a column with few distinct texts (item, keys, labels)
through its codes into its distinct texts; respondent ids, nearly all distinct, row by row.

On a cluster (``scheduler=``, :func:`dask_client`) the computation runs on its workers; a
long one shows its progress when a person is watching (stderr is a terminal).
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ..scales.text import id_keys, ids_may_change
from ..words import Hint, SurveyError
from . import rules
from .counted import CountedPlace, in_play_facts, level_counts_from_labels
from .sources import check_columns, is_dask_frame, wanted_columns

__all__ = ["dask_client", "frame_label_counts", "frame_level_counts"]

#: Partitions (or partial results) one task of a tree reduction combines.
_SPLIT_EVERY = 8
#: Seconds a Dask computation runs before its progress is shown (on a terminal only).
_PROGRESS_AFTER = 2.0


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


# ---------------------------------------------------------------------------
# Texts of a block, decided once per distinct text
# ---------------------------------------------------------------------------

def _string(series: pd.Series) -> pd.Series:
    """A column as pandas strings (Arrow-backed), as ``astype("string")`` writes any value."""
    return series if isinstance(series.dtype, pd.StringDtype) else series.astype("string")


def _decided(texts: pd.Series, may: np.ndarray, decide) -> np.ndarray:
    """``decide`` (a rule book test of distinct texts) of each of ``texts`` where ``may``
    (a cheap test: the others cannot pass), once per distinct text."""
    out = np.zeros(len(texts), dtype=bool)
    if may.any():
        candidates = texts[may]
        distinct = pd.unique(candidates.to_numpy(dtype=object))
        passed = distinct[decide(distinct)]
        if len(passed):
            out[may] = candidates.isin(passed).to_numpy(dtype=bool)
    return out


def _totals(texts: pd.Series) -> np.ndarray:
    """Which trimmed texts are totals labels (only texts without a digit can be)."""
    may = ((texts != "") & ~texts.str.contains(rules.NO_TOTALS, regex=True)).fillna(False).to_numpy(dtype=bool)
    return _decided(texts, may, rules.totals)


# How a footer may start, for Arrow's RE2 (pandas sends a pattern with \\s to Python's re,
# one call per text): RE2's \\s widened to every white space Python's re knows, and case
# ignored, so it lets through at least what the rule book's pattern would.
_FOOTER_RE2 = ("^[\\s\\x0b\\x1c-\\x1f\\x85\\pZ]*" + rules.FOOTER_START[len("^\\s*"):]
               if rules.FOOTER_START.startswith("^\\s*") else None)


def _footers(texts: pd.Series) -> np.ndarray:
    """Which trimmed texts open a footer line (only texts starting with a few words can)."""
    if _FOOTER_RE2 is None or not isinstance(texts.array, pd.arrays.ArrowStringArray):
        may = texts.str.lower().str.contains(rules.FOOTER_START, regex=True)
    else:
        import pyarrow as pa
        import pyarrow.compute as pc

        may = pd.Series(pc.match_substring_regex(pa.array(texts.array), _FOOTER_RE2, ignore_case=True)
                        .to_numpy(zero_copy_only=False))
    return _decided(texts, may.fillna(False).to_numpy(dtype=bool), rules.footer)


class _Column:
    """One column of a block as trimmed text (missing cells as ""): per row (``codes`` None)
    or through ``codes`` into its distinct texts (a column with few of them: each is then
    trimmed, tested and hashed once)."""

    def __init__(self, series: pd.Series, distinct: bool, trim: bool = True):
        values = _string(series)
        if trim:
            values = values.str.strip()
        if distinct:
            codes, uniques = pd.factorize(values.array, use_na_sentinel=True)
            texts = pd.Series(uniques, dtype=values.dtype)
            if (codes < 0).any():  # a missing cell is an empty one
                empty = np.flatnonzero((texts == "").to_numpy(dtype=bool))
                if not len(empty):
                    texts = pd.concat([texts, pd.Series([""], dtype=values.dtype)], ignore_index=True)
                    empty = [len(texts) - 1]
                codes = np.where(codes < 0, empty[0], codes)
            self.codes, self.texts = codes, texts.reset_index(drop=True)
        else:
            self.codes, self.texts = None, values.fillna("").reset_index(drop=True)

    def rows(self, per_text: np.ndarray) -> np.ndarray:
        """A value per distinct text as a value per row."""
        return per_text if self.codes is None else per_text[self.codes]

    @cached_property
    def empty(self) -> np.ndarray:
        return self.rows((self.texts == "").to_numpy(dtype=bool))

    @cached_property
    def totals(self) -> np.ndarray:
        return self.rows(_totals(self.texts))

    @cached_property
    def footers(self) -> np.ndarray:
        return self.rows(_footers(self.texts))

    def hashes(self) -> np.ndarray:
        """64-bit hashes of the texts' comparison keys (ids that differ only by invisible
        characters, full-width forms or inner spaces hash alike)."""
        return self.rows(_hash_texts(_id_keys(self.texts)))


def _id_keys(texts: pd.Series) -> pd.Series:
    """The comparison key of each id (:func:`~survey_analysis.scales.text.id_keys`); plain
    ids (most) are their own key and are not copied."""
    may = ids_may_change(texts.array)
    if not may.any():
        return texts
    keys = texts.copy()
    keys[may] = id_keys(texts[may].to_numpy(dtype=object), np.ones(int(may.sum()), dtype=bool))[1]
    return keys


# Multipliers of the texts' hash and of the pair's (odd 64-bit constants).
_BASE = np.uint64(0x100000001B3)
_PAIR = np.uint64(0x9E3779B97F4A7C15)


def _mix(h: np.ndarray) -> np.ndarray:
    """SplitMix64's finalizer: every bit of ``h`` moves every bit of the result."""
    with np.errstate(over="ignore"):
        h = h ^ (h >> np.uint64(30))
        h = h * np.uint64(0xBF58476D1CE4E5B9)
        h = h ^ (h >> np.uint64(27))
        h = h * np.uint64(0x94D049BB133111EB)
        return h ^ (h >> np.uint64(31))


def _hash_texts(texts: pd.Series) -> np.ndarray:
    """A 64-bit hash of each text, from its UTF-8 bytes in NumPy (no Python object per
    text): a polynomial of the bytes (byte x base^place in its text, summed per text by
    differences of one running sum), with the length, mixed. Equal texts hash alike in every
    process; the rare collision is told apart on the texts.

    Written here because no library does it fast: ``pd.util.hash_array`` hashes one Python
    object per text (about 1 s per 10^6 ids) and pyarrow exposes no hash kernel."""
    try:
        import pyarrow as pa
    except ImportError:  # pyarrow is optional (the Dask extra brings it): pandas' hash, slower
        return pd.util.hash_array(texts.to_numpy(dtype=object, na_value=""), categorize=False)

    array = pa.array(texts.array, type=pa.large_string())
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64)[array.offset:array.offset + len(array) + 1]
    low, high = int(offsets[0]), int(offsets[-1])
    start, end = offsets[:-1] - low, offsets[1:] - low
    lengths = end - start
    sums = np.zeros(high - low + 1, dtype=np.uint64)
    if high > low:
        data = np.frombuffer(array.buffers()[2], dtype=np.uint8)[low:high]
        place = np.arange(high - low, dtype=np.int64) - np.repeat(start, lengths)
        with np.errstate(over="ignore"):
            powers = np.full(int(lengths.max()), _BASE, dtype=np.uint64)
            powers[0] = 1
            powers = np.cumprod(powers, dtype=np.uint64)  # base^k, wrapping modulo 2**64
            np.cumsum((data.astype(np.uint64) + np.uint64(1)) * powers[place], dtype=np.uint64, out=sums[1:])
    with np.errstate(over="ignore"):
        return _mix((sums[end] - sums[start]) ^ (lengths.astype(np.uint64) * _PAIR))


def _pair_hashes(item: np.ndarray, respondent: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return _mix((_mix(item) * _PAIR) ^ respondent)


# ---------------------------------------------------------------------------
# A block's rows: facts, keys, hashes
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Spec:
    """What a count reads (sent to every partition's task)."""

    keys: tuple
    item: str
    respondent: str | None
    rating: str
    weight: str | None
    book: rules.RuleBook


class _Block:
    """The rows of one block (a pandas frame or a partition) with the count's columns: the
    item and keys as trimmed text, the raw label, the rule book's facts and the weight."""

    def __init__(self, frame: pd.DataFrame, spec: _Spec):
        self.spec, self.size = spec, len(frame)
        self.item = _Column(frame[spec.item], distinct=True)
        self.others = {c: _Column(frame[c], distinct=True) for c in spec.keys if c != spec.item}
        for column, series in ((c, frame[c]) for c in self.others):
            self.others[column].missing = series.isna().to_numpy(dtype=bool)  # kept apart from ""
        self.respondent = _Column(frame[spec.respondent], distinct=False) if spec.respondent else None
        self.label = _Column(frame[spec.rating], distinct=True, trim=False)
        self.weight = (pd.to_numeric(frame[spec.weight], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
                       if spec.weight is not None else None)
        self.facts = self._facts(frame)

    def _first_cell(self, frame) -> tuple:
        """Whether each row's first non-empty cell (a rating cell is never one: "Average" is
        an answer) is a totals label, and whether it opens a footer."""
        spec = self.spec
        found = np.zeros(self.size, dtype=bool)
        totals, footer = np.zeros(self.size, dtype=bool), np.zeros(self.size, dtype=bool)
        for name in frame.columns:
            label = str(name)
            if label == spec.rating:
                found |= ~self.label.rows(_strip_empty(self.label.texts))
                continue
            column = self._column(frame, name, label)
            if column is None:  # numbers: empty only where missing, never totals nor footers
                filled = frame[name].notna().to_numpy(dtype=bool)
                found |= filled
                continue
            first = ~column.empty & ~found
            if first.any():
                totals |= first & column.totals
                footer |= first & column.footers
            found |= first
        return totals, footer

    def _column(self, frame, name, label):
        spec = self.spec
        if label == spec.item:
            return self.item
        if label in self.others:
            return self.others[label]
        if label == spec.respondent and self.respondent is not None:
            return self.respondent
        series = frame[name]
        if series.dtype.kind in "iufb":
            return None
        column = _Column(series, distinct=False)
        if label == spec.weight:
            self.weight_column = column
        return column

    def _facts(self, frame) -> np.ndarray:
        first_totals, footer = self._first_cell(frame)
        no_answer = self.label.rows(self.spec.book.no_answer(self.label.texts.to_numpy(dtype=object)))
        facts = (self.item.totals.astype(np.int64) * rules.ITEM_TOTALS
                 + first_totals * rules.FIRST_TOTALS + footer * rules.FOOTER
                 + no_answer * rules.RATING_EMPTY)
        rest_empty = self.item.empty
        if self.respondent is not None:
            facts = facts + self.respondent.totals * rules.RESPONDENT_TOTALS
            rest_empty = rest_empty & self.respondent.empty
        if self.spec.weight is not None:
            weight = getattr(self, "weight_column", None)
            rest_empty = rest_empty & (weight.empty if weight is not None
                                       else frame[self.spec.weight].isna().to_numpy(dtype=bool))
        return facts + rest_empty * rules.REST_EMPTY

    def in_play(self) -> np.ndarray:
        """The rows no early reason excludes (those the repeat check looks at)."""
        playing = np.zeros(rules.FACTS, dtype=bool)
        playing[in_play_facts()] = True
        return playing[self.facts]

    def pair_hashes(self) -> np.ndarray:
        return _pair_hashes(self.item.hashes(), self.respondent.hashes())

    def counted(self, later=None) -> pd.DataFrame:
        """The block's counted table: rows (and weight sums) per distinct keys, raw label,
        facts and ``later`` (the rows at positions ``later`` are repeats after the first)."""
        spec = self.spec
        columns = [self.item.codes]
        sizes = [len(self.item.texts)]
        for column in self.others.values():
            codes = np.where(column.missing, len(column.texts), column.codes)  # a missing key is no text
            columns.append(codes)
            sizes.append(len(column.texts) + 1)
        columns += [self.label.codes, self.facts]
        sizes += [len(self.label.texts), rules.FACTS]
        repeat = np.zeros(self.size, dtype=np.int64)
        if later is not None and len(later):
            repeat[later] = 1
        columns.append(repeat)
        sizes.append(2)
        if float(np.prod(sizes, dtype=float)) < 2.0 ** 62:
            combined = np.ravel_multi_index(columns, sizes)
            group, distinct = pd.factorize(combined)
            parts = np.unravel_index(distinct, sizes)
        else:  # too many combinations for one integer: pandas finds the distinct rows
            group, distinct = pd.factorize(pd.MultiIndex.from_arrays(columns))
            parts = [distinct.get_level_values(i).to_numpy() for i in range(len(columns))]
        out = {spec.item: self.item.texts.take(parts[0]).array}
        for i, (name, column) in enumerate(self.others.items(), start=1):
            texts = pd.concat([column.texts, pd.Series([pd.NA], dtype=column.texts.dtype)], ignore_index=True)
            out[name] = texts.take(parts[i]).array
        k = len(self.others) + 1
        out["rating"] = self.label.texts.take(parts[k]).array
        out["facts"] = parts[k + 1].astype(np.int64)
        out["later"] = parts[k + 2].astype(bool)
        out["rows"] = np.bincount(group, minlength=len(distinct)).astype(np.int64)
        if self.weight is not None:
            w = self.weight
            valid = np.nan_to_num(w, nan=0.0)  # as a pandas sum: a missing weight adds nothing
            out["weight_sum"] = np.bincount(group, weights=valid, minlength=len(distinct))
            out["weight_sq_sum"] = np.bincount(group, weights=valid * valid, minlength=len(distinct))
            out["zero_weight"] = np.bincount(group, weights=(w == 0), minlength=len(distinct)).astype(np.int64)
            bad = np.isnan(w) | (w < 0) | np.isinf(w)
            out["bad_weights"] = np.bincount(group, weights=bad, minlength=len(distinct)).astype(np.int64)
        table = pd.DataFrame(out)
        return table.astype({c: "string" for c in [spec.item, *self.others, "rating"]})


def _strip_empty(texts: pd.Series) -> np.ndarray:
    """Which raw texts are empty once trimmed."""
    return (texts.str.strip() == "").fillna(True).to_numpy(dtype=bool)


# ---------------------------------------------------------------------------
# The tasks: one block each, then tree reductions
# ---------------------------------------------------------------------------

def _count_block(frame: pd.DataFrame, spec: _Spec, later=None, hashes: bool = True) -> tuple:
    """A block's counted table, the sorted hashes of its rows in play (None without a
    respondent column) and its rows in play with an empty respondent id."""
    block = _Block(frame, spec)
    table = block.counted(later)
    if block.respondent is None or not hashes:
        return table, None, 0
    playing = block.in_play()
    empty = int((playing & block.respondent.empty).sum())
    found = block.pair_hashes()[playing]
    found.sort()
    return table, found, empty


def _sum_tables(*tables: pd.DataFrame) -> pd.DataFrame:
    """Counted tables of several blocks as one: their rows and sums added per group."""
    if len(tables) == 1:
        return tables[0]
    table = pd.concat(tables, ignore_index=True)
    group = [c for c in table.columns if c not in ("rows", "weight_sum", "weight_sq_sum", "zero_weight",
                                                      "bad_weights")]
    return table.groupby(group, sort=False, dropna=False, observed=True).sum().reset_index()


def _merge_hashes(*parts) -> tuple:
    """Sorted hashes of several blocks as (distinct hashes, hashes seen more than once)."""
    parts = [(p, np.zeros(0, np.uint64)) if isinstance(p, np.ndarray) else p for p in parts]
    hashes = np.concatenate([p[0] for p in parts])
    if len(parts) > 1:
        hashes.sort(kind="stable")  # sorted runs: merged, not sorted anew
    again = hashes[1:] == hashes[:-1]
    repeated = np.unique(np.concatenate([hashes[1:][again], *(p[1] for p in parts)]))
    return hashes[np.concatenate([[True], ~again])] if len(hashes) else hashes, repeated


def _repeated_hashes(merged) -> np.ndarray:
    """The hashes seen more than once, from a reduction's root (one block's sorted hashes
    when the frame has one partition)."""
    return (_merge_hashes(merged) if isinstance(merged, np.ndarray) else merged)[1]


def _total(*counts) -> int:
    return int(sum(counts))


def _repeat_rows(frame: pd.DataFrame, spec: _Spec, part: int, repeated: np.ndarray) -> pd.DataFrame:
    """The rows in play of a block whose item x respondent hash is among ``repeated``: their
    item and respondent (texts and comparison keys), with their place in the file."""
    block = _Block(frame, spec)
    where = np.flatnonzero(block.in_play() & np.isin(block.pair_hashes(), repeated))
    item = block.item.texts.take(block.item.codes[where]).to_numpy(dtype=object)
    respondent = block.respondent.texts.take(where).to_numpy(dtype=object)
    return pd.DataFrame({"item": item, "respondent": respondent,
                         "item_key": _id_keys(pd.Series(item, dtype="string")).to_numpy(dtype=object),
                         "respondent_key": _id_keys(pd.Series(respondent, dtype="string")).to_numpy(dtype=object),
                         "part": part, "position": where})


def _tree(function, values: list):
    """A tree reduction of Dask delayed ``values`` by ``function`` (several at a time)."""
    from dask import delayed

    while len(values) > 1:
        values = [delayed(function, pure=True)(*values[i:i + _SPLIT_EVERY])
                  for i in range(0, len(values), _SPLIT_EVERY)]
    return values[0]


# ---------------------------------------------------------------------------
# Computing: the scheduler, progress
# ---------------------------------------------------------------------------

@contextlib.contextmanager
def dask_client(scheduler: str | None):
    """The ``distributed.Client`` a Dask count runs on: one connected to ``scheduler`` (an
    address such as ``"tcp://10.0.0.5:8786"``, closed afterwards), else the running Client
    (None: Dask's current scheduler).

    Raises
    ------
    SurveyError
        ``scheduler`` cannot be reached (the message names the address).
    """
    if scheduler is None:
        yield None
        return
    try:
        from distributed import Client
    except ImportError:
        raise SurveyError("load.dask.distributed_missing", hint=Hint("scheduler", scheduler)) from None
    try:
        client = Client(str(scheduler), set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as error:
        raise SurveyError("load.dask.scheduler", address=str(scheduler), error=str(error) or type(error).__name__,
                          hint=Hint("scheduler", str(scheduler))) from None
    try:
        yield client
    finally:
        client.close()


def _running_client():
    """The Client Dask computes on now (a ``distributed.Client`` made the default), or None."""
    if "distributed" not in sys.modules:
        return None
    import dask.base
    from distributed import Client

    owner = getattr(dask.base.get_scheduler(), "__self__", None)
    return owner if isinstance(owner, Client) else None


def _run(values: list, client=None) -> list:
    """Dask ``values`` computed together (one graph: the data is read once), on ``client`` or
    the current scheduler. A person watching (stderr is a terminal) sees the progress of a
    computation that takes more than a few seconds; logs and pipes see nothing."""
    import dask

    client = client if client is not None else _running_client()
    watching = sys.stderr.isatty()
    if client is not None:
        futures = client.compute(values)
        if watching:
            from distributed import progress, wait

            try:
                wait(futures, timeout=_PROGRESS_AFTER)
            except TimeoutError:
                with contextlib.redirect_stdout(sys.stderr):  # distributed draws on stdout
                    progress(futures)
        return client.gather(futures)
    if watching:
        from dask.diagnostics import ProgressBar

        with ProgressBar(minimum=_PROGRESS_AFTER, out=sys.stderr):
            return list(dask.compute(*values))
    return list(dask.compute(*values))


# ---------------------------------------------------------------------------
# The count
# ---------------------------------------------------------------------------

def _counted(frame, spec: _Spec, client, later: dict | None = None, hashes: bool = True) -> tuple:
    """The counted table, the repeated hashes (None without a respondent) and the empty
    respondent ids in play of a pandas or Dask frame: one pass."""
    if not is_dask_frame(frame):
        table, found, empty = _count_block(frame, spec, (later or {}).get(0), hashes)
        return table, (None if found is None else _merge_hashes(found)[1]), empty
    from dask import delayed

    blocks = frame.to_delayed()
    later = later or {}
    shared = delayed(spec, traverse=False)  # in the graph once, not once per task
    results = [delayed(_count_block, nout=3, pure=True)(block, shared, later.get(i), hashes)
               for i, block in enumerate(blocks)]
    wanted = [_tree(_sum_tables, [r[0] for r in results])]
    if spec.respondent is not None and hashes:
        merged = _tree(_merge_hashes, [r[1] for r in results])
        wanted += [delayed(_repeated_hashes, pure=True)(merged), delayed(_total, pure=True)(*[r[2] for r in results])]
    out = _run(wanted, client)
    return (out[0], out[1], out[2]) if len(out) == 3 else (out[0], None, 0)


def _repeats(frame, spec: _Spec, client, repeated: np.ndarray) -> pd.DataFrame:
    """The rows in play whose item x respondent hash repeats, in file order (partition by
    partition in Dask)."""
    if not is_dask_frame(frame):
        return _repeat_rows(frame, spec, 0, repeated)
    from dask import delayed

    shared, hashes = delayed(spec, traverse=False), delayed(repeated, traverse=False)
    parts = [delayed(_repeat_rows, pure=True)(block, shared, i, hashes)
             for i, block in enumerate(frame.to_delayed())]
    return pd.concat(_run(parts, client), ignore_index=True)


def _display(texts: pd.Series, keys: pd.Series) -> pd.Series:
    """How an error shows each id: look-alike ids as the first of their texts, cleaned."""
    frame = pd.DataFrame({"text": texts.to_numpy(dtype=object), "key": keys.to_numpy(dtype=object)})
    spellings = frame.drop_duplicates().sort_values("text")
    first = spellings.groupby("key", sort=False)["text"].first()
    several = spellings.groupby("key", sort=False)["text"].size() > 1
    cleaned = pd.Series(id_keys(first.to_numpy(dtype=object))[0], index=first.index)
    shown = first.where(~several, cleaned)
    return frame["key"].map(shown)


def _later(frame, spec: _Spec, client, book: rules.RuleBook, place, respondent, repeated) -> dict | None:
    """Apply the rule book to the repeated answers: None when the hashes only collided, the
    error naming them, or (``keep_first``) the positions of the later answers per block."""
    rows = _repeats(frame, spec, client, repeated)
    pairs = rows.groupby(["item_key", "respondent_key"], sort=False).size()
    if not (pairs > 1).any():
        return None  # hash collisions only
    rows = rows.sort_values(["part", "position"], kind="stable")

    def error():
        repeats = rows.assign(item=_display(rows["item"], rows["item_key"]),
                              respondent=_display(rows["respondent"], rows["respondent_key"]))
        listed = repeats.groupby(["item_key", "respondent_key"], sort=False).agg(
            item=("item", "first"), respondent=("respondent", "first"), n=("part", "size"))
        listed = listed[listed["n"] > 1].reset_index(drop=True)
        listed = listed.rename(columns={"item": spec.item, "respondent": "_resp"}).sort_values([spec.item, "_resp"])
        return rules.RuleBook.repeats_error(place, int((listed["n"] - 1).sum()), pairs=listed, column=respondent)

    book.repeats(error)
    later = rows[rows.groupby(["item_key", "respondent_key"], sort=False).cumcount() > 0]
    return {int(part): group["position"].to_numpy() for part, group in later.groupby("part")}


def frame_level_counts(frame, keys, item, respondent, rating, weight, book: rules.RuleBook, name: str,
                       warn_share: float, engine: str, client=None):
    """Counts per key x scale x rank of a pandas or Dask DataFrame, with the ledger (Dask: on
    ``client``, a ``distributed.Client``, else the current scheduler)."""
    found = [str(c) for c in frame.columns]
    place = CountedPlace(name, found, is_file=False)
    check_columns(found, wanted_columns(keys, item, rating, weight), name)
    if respondent is not None and respondent not in found:
        respondent = None  # as the loader: each row is its own respondent
    spec = _Spec(tuple(keys), item, respondent, rating, weight, book)
    table, repeated, empty = _counted(frame, spec, client)
    # Ids first, items before respondents (as the loader and DuckDB say them).
    playing = table["facts"].isin(in_play_facts()).to_numpy(dtype=bool)
    rules.RuleBook.refuse_empty_ids(place, "item", int(table["rows"].to_numpy()[playing & (table[item] == "")
                                                                                .to_numpy(dtype=bool)].sum()),
                                    column=item)
    if respondent is not None:
        rules.RuleBook.refuse_empty_ids(place, "respondent", int(empty), column=respondent)
        if len(repeated):
            later = _later(frame, spec, client, book, place, respondent, repeated)
            if later:
                table = _counted(frame, spec, client, later, hashes=False)[0]
    table = table.astype({column: "string" for column in keys})
    return level_counts_from_labels(table, keys, item=item, source=name, engine=engine,
                                    warn_share=warn_share, book=book, place=place)
