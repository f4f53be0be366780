"""The DuckDB counting engine: a big file's rows as a counted table, inside DuckDB.

Two scans of the file (three with repeats kept first). The first groups its rows by the raw
item and other keys, the raw label, the first non-empty cell outside the read columns, the
respondent text when it could be a totals label (no digit), and whether the weight is empty:
a small table (``grouped``). The rule book (:mod:`.rules`) reads its distinct texts --
totals labels, empty cells -- and the engine turns them into each group's facts (bits, in
SQL), summed into the counted table ``lc`` (keys trimmed there, once per distinct text, not
once per row). The second scan, with a respondent column, hashes item x respondent of every
row in play to 64 bits (no texts stored) and sorts the hashes in NumPy: a hash seen twice
means repeated answers (or a rare collision, told apart on the texts), which the rule book
refuses, or, with ``keep_first``, which are counted as ``duplicate`` after the first in file
order (the one case that stores the used columns). The distinct labels (a handful) are read
by the rule book; their readings join ``lc`` inside DuckDB, which sums per key x scale x rank.
Only the level counts cross into pandas (through Arrow).

Look-alike ids are merged as the loader merges them: item ids in the counts, respondent ids
when the hashes look for repeats. Only respondent ids that may change (not plain ASCII, or two
spaces in a row) are read out of DuckDB, once each, and keyed by the rule book's own
normalizer; those whose key differs join the hash through a small table, so a file of plain
ids pays one filtered scan of its respondent column.

Memory and disk. Every connection gets a ``memory_limit`` of a quarter of the machine's
memory, at most 1 GiB (:data:`MEMORY_SHARE`, :data:`MEMORY_CAP`; the environment variable
``SURVEY_ANALYSIS_DUCKDB_MEMORY``, a DuckDB size such as ``"4GB"``, overrides it), and a
``temp_directory`` of its own under :func:`tempfile.gettempdir` (``SURVEY_ANALYSIS_TEMP``
names another folder), where DuckDB spills what does not fit (DuckDB removes it on close).
The repeat check holds at most ``sorted_max`` hashes (8 bytes each) at a time: more rows in
play are first spread by their hashes' leading bits over files in a temporary folder under
the same root, each file then sorted alone (equal hashes share a file), so 1e9 rows need 8 GB
of disk, not of memory.
On a terminal DuckDB's progress bar shows for every query that runs longer than
:data:`PROGRESS_AFTER_MS`; without one (pipes, logs, notebooks) it stays off.
"""

from __future__ import annotations

import itertools
import os
import tempfile
import uuid
from pathlib import Path

import numpy as np
import pandas as pd

from ..scales.text import STABLE_ID_PATTERN, TWO_SPACES_PATTERN, id_keys, ids_may_change
from ..words import Message, SurveyError
from . import rules
from .counted import (
    CountedPlace,
    counts_report,
    early_reasons_of,
    excluded_rows,
    in_play_facts,
    merge_item_ids,
)
from .formats import check_parquet
from .report import ResponseFileError
from .sources import check_columns, csv_trouble, files, is_parquet, paths, wanted_columns

__all__ = ["MEMORY_CAP", "MEMORY_SHARE", "PROGRESS_AFTER_MS", "duckdb_label_counts", "duckdb_level_counts",
           "memory_limit", "temp_root"]

#: Share of the machine's memory DuckDB may use (``memory_limit``), and its cap in bytes: the
#: counts need little (a row per item x label x distinct text), and what needs more (the
#: repeat check's listing, ``keep_first``) spills to disk; the cap keeps a report of 1e8
#: rows within 2 GB of memory, the process whole.
MEMORY_SHARE = 0.25
MEMORY_CAP = 2**30
#: Milliseconds a query runs before DuckDB's progress bar shows (on a terminal only).
PROGRESS_AFTER_MS = 2000
#: Hashes per batch read out of DuckDB by the repeat check (8 MB).
_HASH_BATCH = 1 << 20
#: At most 2**_SPREAD_BITS files per spreading pass of the repeat check's hashes.
_SPREAD_BITS = 8

# Texts Python's str.strip() removes entirely (its white space: ASCII, \x1c-\x1f, \x85 and the
# Unicode separators), as RE2 spells them: only such texts can be empty cells.
_BLANK_TEXT = r"[\s\x0b\x1c-\x1f\x85\pZ]*"


def memory_limit() -> str:
    """DuckDB's ``memory_limit`` for a count: ``SURVEY_ANALYSIS_DUCKDB_MEMORY`` when set,
    else :data:`MEMORY_SHARE` of the machine's memory, at most :data:`MEMORY_CAP` (the cap
    alone when the memory cannot be read).

    Examples
    --------
    >>> memory_limit().endswith("MiB") or "SURVEY_ANALYSIS_DUCKDB_MEMORY" in os.environ
    True
    """
    chosen = os.environ.get("SURVEY_ANALYSIS_DUCKDB_MEMORY", "").strip()
    if chosen:
        return chosen
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # no sysconf (Windows): the cap alone
        total = MEMORY_CAP / MEMORY_SHARE
    return f"{max(64, int(min(total * MEMORY_SHARE, MEMORY_CAP)) // 2**20)}MiB"


def temp_root() -> str:
    """The folder under which DuckDB spills and the repeat check spreads its hashes:
    ``SURVEY_ANALYSIS_TEMP`` when set, else :func:`tempfile.gettempdir`."""
    return os.environ.get("SURVEY_ANALYSIS_TEMP", "").strip() or tempfile.gettempdir()


def _connect():
    """A DuckDB connection with the memory limit and a spill folder of its own (see the
    module notes); its progress bar on for long scans when a person is watching (stderr is
    a terminal) and off otherwise, so logs and pipes get no bar (in Jupyter without
    ipywidgets DuckDB refuses the change, and the setting stays as it is)."""
    import sys

    try:
        import duckdb
    except ImportError:
        raise SurveyError("load.duckdb.missing") from None
    connection = duckdb.connect()
    # A folder per connection, made by DuckDB only when it spills and removed on close.
    spill = Path(temp_root()) / f"survey_analysis_duckdb_{os.getpid()}_{uuid.uuid4().hex[:12]}"
    limit = memory_limit()
    try:
        connection.execute(f"SET memory_limit = {_literal(limit)}")
    except duckdb.Error as error:  # only a size set by hand can be wrong
        connection.close()
        raise SurveyError("load.duckdb.memory_setting", value=limit, error=str(error)) from None
    connection.execute(f"SET temp_directory = {_literal(spill)}")
    terminal = bool(getattr(sys.stderr, "isatty", lambda: False)())
    try:
        connection.execute(f"SET enable_progress_bar = {str(terminal).lower()}")
        if terminal:
            connection.execute(f"SET progress_bar_time = {int(PROGRESS_AFTER_MS)}")
    except duckdb.Error:  # Jupyter without ipywidgets refuses any change: leave it as it is
        pass
    return connection


def _quote(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _literal(text) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _among(expression: str, texts) -> str:
    """SQL: ``expression`` is one of ``texts`` (a few: totals labels, empty cells)."""
    texts = sorted(set(texts))
    return f"coalesce({expression} IN ({', '.join(map(_literal, texts))}), FALSE)" if texts else "FALSE"


def _source_sql(source) -> str:
    listed = paths(source)
    if all(map(is_parquet, listed)):
        return f"read_parquet({listed!r})"
    return f"read_csv({listed!r}, all_varchar = true, header = true)"


def _frame(relation) -> pd.DataFrame:
    # Through Arrow: strings cross into pandas without a Python object per cell.
    arrow = relation.to_arrow_table() if hasattr(relation, "to_arrow_table") else relation.arrow()
    return arrow.to_pandas()


def _weight_sums(w: str) -> str:
    """SQL of the weight sums of a group of rows whose weight is ``w`` (a number or NULL)."""
    return (f"sum({w}) AS weight_sum, sum({w} * {w}) AS weight_sq_sum, "
            f"count(*) FILTER (WHERE {w} = 0) AS zero_weight, "
            f"count(*) FILTER (WHERE {w} IS NULL OR NOT isfinite({w}) OR {w} < 0) AS bad_weights")


def duckdb_label_counts(source, by, rating, weight) -> pd.DataFrame:
    """One scan: rows (and weight sums) per group and raw label, inside DuckDB."""
    groups = ", ".join(f"CAST({_quote(c)} AS VARCHAR) AS {_quote(c)}" for c in by)
    # Labels as written (whitespace included): they are normalized per distinct label later.
    label = f"coalesce(CAST({_quote(rating)} AS VARCHAR), '')"
    sums = f", {_weight_sums(f'TRY_CAST({_quote(weight)} AS DOUBLE)')}" if weight is not None else ""
    import duckdb

    with _connect() as connection:
        try:
            return _frame(connection.sql(
                f"SELECT {groups}{', ' if groups else ''}{label} AS rating, count(*) AS rows{sums} "
                f"FROM {_source_sql(source)} GROUP BY ALL"))
        except (duckdb.Error, UnicodeDecodeError) as error:
            _explain_csv(source)
            raise ResponseFileError("load.duckdb.cannot_count", str(source), error=str(error)) from None


def _distinct(connection, column: str, where: str = "") -> list:
    return [t for (t,) in connection.sql(f"SELECT DISTINCT {column} AS t FROM grouped {where}").fetchall()]


class _Facts:
    """The SQL of the rule book's facts over the columns of ``base`` (one row per file row)
    and of ``grouped``, from the decisions on the distinct texts."""

    def __init__(self, connection, weight, book: rules.RuleBook, lead):
        # Totals labels among the texts that may be one (no digit), empty cells among the
        # texts that may be blank: each decided by the rule book once per distinct text.
        texts = set()
        for column in ("coalesce(_item_raw, '')", "_first", "_resp_text"):
            texts.update(_distinct(connection, column, f"WHERE t <> '' AND NOT regexp_matches(t, '{rules.NO_TOTALS}')"))
        candidates = np.array(sorted(texts), dtype=object)
        self.totals = candidates[rules.totals(candidates)].tolist() if len(candidates) else []
        # Footer lines (制表人：张三, dates and all) start with one of a few words: only the
        # first cells that may be one are read out and decided by the rule book.
        # ``lead(item_sql, resp_sql)``: the SQL of the row's first non-empty cell, wherever it
        # is (制表人：张三 in the item cell is a footer too), read from the grouped table.
        self.lead = lead
        starts = np.array(_distinct(connection, lead("coalesce(_item_raw, '')", "_resp_text"),
                                    f"WHERE regexp_matches(lower(t), '{rules.FOOTER_START}')"), dtype=object)
        self.footers = starts[rules.footer(starts)].tolist() if len(starts) else []
        labels = np.array(_distinct(connection, "rating"), dtype=object)
        self.empty_labels = labels[book.no_answer(labels)].tolist() if len(labels) else []
        blank = f"WHERE regexp_full_match(t, '{_BLANK_TEXT}')"
        items = np.array(_distinct(connection, "coalesce(_item_raw, '')", blank), dtype=object)
        self.empty_items = items[rules.empty(items)].tolist() if len(items) else []
        respondents = np.array([t for t in _distinct(connection, "_resp_text", blank) if t is not None], dtype=object)
        self.empty_respondents = respondents[rules.empty(respondents)].tolist() if len(respondents) else []
        self.weight = weight
        kept = in_play_facts()
        # The facts that decide whether a row is in play (a blank row is also one without a
        # rating): per row of the file only these are computed.
        table = rules.early_reason_table() == ""
        self.deciding = [bit for bit in (rules.ITEM_TOTALS, rules.RESPONDENT_TOTALS, rules.FIRST_TOTALS,
                                         rules.FOOTER, rules.RATING_EMPTY, rules.REST_EMPTY)
                         if any(table[f] != table[f ^ bit] for f in range(rules.FACTS))]
        mask = sum(self.deciding)
        self.kept = ", ".join(map(str, kept))
        self.kept_deciding = ", ".join(map(str, sorted({f & mask for f in kept})))

    def bits(self, item_sql: str, resp_sql: str, only=None) -> str:
        """SQL of the facts (bits) of a row whose raw item is ``item_sql`` and whose
        respondent text (trimmed when it holds no digit, NULL otherwise) is ``resp_sql``."""
        rest = f"{_among(item_sql, self.empty_items)} AND {_among(resp_sql, self.empty_respondents)}"
        if self.weight is not None:
            rest += " AND _no_w"
        terms = {rules.ITEM_TOTALS: _among(item_sql, self.totals),
                 rules.RESPONDENT_TOTALS: _among(resp_sql, self.totals),
                 rules.FIRST_TOTALS: _among("_first", self.totals),
                 rules.FOOTER: _among(self.lead(item_sql, resp_sql), self.footers),
                 rules.RATING_EMPTY: _among("rating", self.empty_labels),
                 rules.REST_EMPTY: f"({rest})"}
        return " + ".join(f"({sql})::INTEGER * {bit}" for bit, sql in terms.items()
                          if only is None or bit in only)

    def in_play(self, item_sql: str, resp_sql: str) -> str:
        """SQL: the row is in play (no early reason), from the deciding facts alone."""
        return f"({self.bits(item_sql, resp_sql, self.deciding)}) IN ({self.kept_deciding})"


def _count_table(connection, source, keys, item, respondent, rating, weight, name, book):
    """Create ``grouped`` (the first scan) and ``lc`` (the counted table: trimmed keys, raw
    label, facts, ``later``, rows, weight sums). Returns the facts' SQL, the respondent
    column (None when the file has none) and the file's columns."""
    import duckdb

    src = _source_sql(source)
    try:
        found = [row[0] for row in connection.sql(f"DESCRIBE SELECT * FROM {src}").fetchall()]
    except (duckdb.Error, UnicodeDecodeError) as error:
        _explain_csv(source)
        raise ResponseFileError("load.duckdb.cannot_read", name, error=str(error)) from None
    try:
        check_columns(found, wanted_columns(keys, item, rating, weight), name)
    except ResponseFileError:
        _explain_csv(source)  # a ragged row makes DuckDB read the header as one column
        raise
    if respondent is not None and respondent not in found:
        respondent = None  # as the loader: each row is its own respondent

    def raw(column):
        return f"CAST({_quote(column)} AS VARCHAR)"

    def text(column):
        return f"trim({raw(column)})"

    read = {item, respondent, rating}
    # The first non-empty cell of the row when it is in another column (the item and
    # respondent cells are checked on every row: a rating cell is never a totals label:
    # "Average" is an answer).
    first = ("CASE " + " ".join(f"WHEN {text(c)} <> '' THEN {'NULL' if c in read else text(c)}"
                                for c in found) + " END") if set(found) - read else "NULL"
    others = [c for c in keys if c != item]
    connection.execute(
        f"CREATE TEMP VIEW base AS SELECT {raw(item)} AS _item_raw"
        + "".join(f", {raw(c)} AS {_quote(c)}" for c in others)
        + (f", {raw(respondent)} AS _resp_raw" if respondent else ", '' AS _resp_raw")
        + f", coalesce({raw(rating)}, '') AS rating, {first} AS _first"
        + (f", TRY_CAST({_quote(weight)} AS DOUBLE) AS _w, coalesce({text(weight)}, '') = '' AS _no_w"
           if weight is not None else "")
        + f" FROM {src}")
    # Totals labels hold no ASCII digit (rules.NO_TOTALS), nor do empty cells: a respondent
    # id with a digit (most are) is left out of the grouping, which stays small.
    resp_text = ("CASE WHEN _resp_raw IS NULL THEN '' WHEN _resp_raw SIMILAR TO '[^0-9]*' "
                 "THEN trim(_resp_raw) END")
    weight_group = (", _no_w, " + _weight_sums("_w")) if weight is not None else ""
    raw_keys = ", ".join(["_item_raw", *map(_quote, others)])
    connection.execute(
        f"CREATE TEMP TABLE grouped AS SELECT {raw_keys}, rating, _first, {resp_text} AS _resp_text, "
        f"count(*) AS rows{weight_group} FROM base GROUP BY ALL")
    read_order = [c for c in found if c in read]

    def lead(item_sql: str, resp_sql: str) -> str:
        """SQL: the row's first non-empty cell -- ``_first`` when a column not read holds it,
        else the first non-empty read cell in file order (a respondent id with a digit,
        whose text ``resp_sql`` leaves out, can be no footer: NULL)."""
        cells = {item: f"WHEN trim({item_sql}) <> '' THEN trim({item_sql})",
                 rating: "WHEN trim(rating) <> '' THEN trim(rating)"}
        if respondent:
            cells[respondent] = f"WHEN {resp_sql} IS NULL THEN NULL WHEN {resp_sql} <> '' THEN {resp_sql}"
        return ("CASE WHEN _first IS NOT NULL THEN _first "
                + " ".join(cells[c] for c in read_order if c in cells) + " END")
    facts = _Facts(connection, weight, book, lead)
    item_raw = "coalesce(_item_raw, '')"
    trimmed = ", ".join([f"coalesce(trim(_item_raw), '') AS {_quote(item)}",
                         *(f"trim({_quote(c)}) AS {_quote(c)}" for c in others)])
    sums = (", " + ", ".join(f"sum({c}) AS {c}" for c in
                             ("weight_sum", "weight_sq_sum", "zero_weight", "bad_weights"))
            ) if weight is not None else ""
    connection.execute(
        f"CREATE TEMP VIEW gf AS SELECT *, {facts.bits(item_raw, '_resp_text')} AS facts, "
        f"{_among(item_raw, facts.empty_items)} AS _no_item, "
        f"{_among('_resp_text', facts.empty_respondents)} AS _no_resp FROM grouped")
    connection.execute(
        f"CREATE TEMP TABLE lc AS SELECT {trimmed}, rating, facts, FALSE AS later, "
        f"sum(rows)::BIGINT AS rows{sums} FROM gf GROUP BY ALL")
    return facts, respondent, found


def _repeats(connection, facts: _Facts, keys, item, respondent, weight, book, place, sorted_max: int) -> None:
    """Find repeated answers of a respondent to an item among the rows in play (64-bit
    hashes of item x respondent sorted in NumPy: equal pairs hash alike, so no repeated hash
    means no repeated pair; a repeated hash is then checked on the texts) and apply the rule
    book: an error, or the later ones marked ``later`` in ``lc`` (file order: a stored
    table keeps the insertion order, and its rowid is it)."""
    others = [c for c in keys if c != item]
    q_item = _quote(item)
    # The raw item stands for its text when no item is written with blanks around it (the
    # grouping says so): one trim per row fewer.
    untrimmed = connection.sql("SELECT count(*) FROM grouped WHERE _item_raw IS NULL OR "
                               "_item_raw <> trim(_item_raw)").fetchall()[0][0]
    item_text = "coalesce(trim(_item_raw), '')"
    item_key = item_text if untrimmed else "_item_raw"
    resp_key = "coalesce(trim(_resp_raw), '')"
    resp_text = ("CASE WHEN _resp_raw IS NULL THEN '' WHEN _resp_raw SIMILAR TO '[^0-9]*' "
                 "THEN trim(_resp_raw) END")
    in_play = facts.in_play("coalesce(_item_raw, '')", resp_text)
    # Look-alike ids ("Ａ1" and "A1", "SX\u200b001" and "SX001") are one item, one respondent,
    # as in the loader: their key replaces them in the check and in the listing.
    # The items are read from the first scan's groups (a key for an item out of play is unused).
    if _register_keys(connection, "grouped", "_item_raw", "item_keys"):
        item_key = f"coalesce((SELECT k.key FROM item_keys k WHERE k.raw = {item_text}), {item_text})"
    rows_kept = connection.sql(f"SELECT coalesce(sum(rows), 0) FROM lc WHERE facts IN ({facts.kept})").fetchall()[0][0]
    # Whether a respondent id may change is tested in the scan of the hashes, which reads every
    # id anyway (a scan of its own costs more than the test). The first id in play that may
    # (most columns hold none) stops that scan: the keys are registered, as before any scan,
    # and the hashes made with them.
    pair_hash = f"hash({item_key}, {resp_key})"
    try:
        repeats = _pair_hashes_repeat(connection, pair_hash, in_play, int(rows_kept), sorted_max, place,
                                      stop_when=_may_change_sql("_resp_raw"))
    except _MayChange:
        if _register_keys(connection, f"(SELECT _resp_raw FROM base WHERE {in_play})", "_resp_raw",
                          "respondent_keys"):
            resp_key = f"coalesce((SELECT k.key FROM respondent_keys k WHERE k.raw = {resp_key}), {resp_key})"
            pair_hash = f"hash({item_key}, {resp_key})"
        repeats = _pair_hashes_repeat(connection, pair_hash, in_play, int(rows_kept), sorted_max, place)
    if not repeats:
        return
    trimmed = ", ".join([f"{item_text} AS {q_item}", *(f"trim({_quote(c)}) AS {_quote(c)}" for c in others)])
    row_facts = facts.bits("coalesce(_item_raw, '')", resp_text)
    connection.execute(
        f"CREATE TEMP VIEW rows_read AS SELECT *, {row_facts} AS facts, "
        f"{in_play} AS _in FROM (SELECT {trimmed}, {item_key} AS _item, {resp_key} AS _resp, _item_raw, "
        f"* EXCLUDE (_item_raw{''.join(', ' + _quote(c) for c in others)}) FROM base)")
    pairs = connection.sql(
        "SELECT _item AS item, _resp AS respondent, count(*) AS n FROM rows_read WHERE _in "
        "GROUP BY ALL HAVING count(*) > 1 ORDER BY item, respondent").df()
    if pairs.empty:  # hash collisions only
        return
    book.repeats(lambda: rules.RuleBook.repeats_error(place, int((pairs["n"] - 1).sum()), pairs=pairs,
                                                      column=respondent))
    connection.execute("CREATE TEMP TABLE ordered AS SELECT * FROM rows_read")
    q_keys = ", ".join(_quote(c) for c in (item, *others))
    weight_rows = (", " + _weight_sums("_w")) if weight is not None else ""
    connection.execute("DROP TABLE lc")
    connection.execute(
        f"CREATE TEMP TABLE lc AS SELECT {q_keys}, rating, facts, later, count(*)::BIGINT AS rows{weight_rows} "
        f"FROM (SELECT *, _in AND row_number() OVER (PARTITION BY _in, _item, _resp ORDER BY rowid) > 1 "
        f"AS later FROM ordered) GROUP BY {q_keys}, rating, facts, later")


class _MayChange(Exception):
    """A respondent id in play may change under its key (see :func:`_pair_hashes_repeat`)."""


def _pair_hashes_repeat(connection, pair_hash: str, in_play: str, rows: int, sorted_max: int, place,
                        stop_when: str | None = None) -> bool:
    """Whether a pair hash (SQL ``pair_hash``) comes twice among the rows ``in_play`` (see
    :func:`_hashes_repeat`). With ``stop_when`` (SQL), raises :class:`_MayChange` at the first
    batch of rows where it holds."""
    # The hashes are sorted by NumPy rather than counted distinct or grouped by DuckDB: 8
    # bytes a row and a sort, against a hash table of every pair (twice the time and several
    # times the memory on 1e7 rows here); beyond ``sorted_max`` spread over files first.
    columns = f"{pair_hash} AS h" + (f", {stop_when} AS stop" if stop_when else "")
    batches = connection.sql(f"SELECT {columns} FROM base WHERE {in_play}").to_arrow_reader(_HASH_BATCH)

    def hashes():
        for batch in batches:
            if stop_when and batch.column(1).to_numpy(zero_copy_only=False).any():
                raise _MayChange
            yield batch.column(0).to_numpy()
    try:
        return _hashes_repeat(hashes(), rows, max(int(sorted_max), 1))
    except OSError as error:  # the spill folder is full or cannot be written
        raise place.fail("load.duckdb.cannot_count", error=str(error)) from None
    finally:
        batches.close()  # a scan stopped early releases its result before the next query


def _may_change_sql(column: str) -> str:
    """SQL: whether the id in ``column`` is one :func:`_register_keys` reads out, as
    :func:`~survey_analysis.scales.text.ids_may_change` tests them (a character outside
    ASCII, unless the id is ASCII letters and digits and CJK ideographs alone; or two
    white-space characters in a row); never NULL."""
    # CASE reads its second branch only for the rows that take it (AND, in a select list,
    # would test every id against both patterns).
    return (f"coalesce(CASE WHEN strlen({column}) = length({column}) "
            f"THEN regexp_matches({column}, '{TWO_SPACES_PATTERN}') "
            f"ELSE NOT regexp_full_match({column}, '{STABLE_ID_PATTERN}') "
            f"OR regexp_matches({column}, '{TWO_SPACES_PATTERN}') END, FALSE)")


def _hashes_repeat(batches, rows: int, limit: int, used: int = 0, folder=None) -> bool:
    """True when a hash comes twice among ``batches`` (uint64 arrays, about ``rows`` hashes
    in all, whose ``used`` leading bits are equal), holding at most ``limit`` of them at a
    time (plus a batch): up to ``limit`` they are sorted in memory; more are spread by their
    next leading bits over up to 2**_SPREAD_BITS files in a temporary folder (under
    :func:`temp_root`), each checked in turn, alone (spread again when too big: equal hashes
    share a file, so only many repeats make one grow).

    Examples
    --------
    >>> hashes = [np.array([5, 2**63, 7], dtype=np.uint64), np.array([2**64 - 1, 5], dtype=np.uint64)]
    >>> _hashes_repeat(iter(hashes), 5, 2), _hashes_repeat(iter(hashes[:1]), 3, 1)
    (True, False)
    """
    if used >= 64:  # every bit equal: one hash, repeated when it came twice
        return sum(len(b) for b in batches) > 1
    if rows <= limit:
        return _sorted_repeat(batches, rows)
    bits = min(_SPREAD_BITS, 64 - used, max(1, int(np.ceil(np.log2(rows / limit)))))
    shift, mask = np.uint64(64 - used - bits), np.uint64((1 << bits) - 1)
    with tempfile.TemporaryDirectory(prefix="survey_analysis_hashes_", dir=folder or temp_root()) as spread:
        names = [Path(spread) / f"{part}.u64" for part in range(1 << bits)]
        sizes = np.zeros(1 << bits, dtype=np.int64)
        handles = [open(name, "wb") for name in names]
        try:
            for batch in batches:
                batch = np.asarray(batch, dtype=np.uint64)
                part = ((batch >> shift) & mask).astype(np.uint16 if bits > 8 else np.uint8)
                counts = np.bincount(part, minlength=1 << bits)
                # Grouped by file with one radix sort (8-bit keys) and one gather.
                batch = batch[np.argsort(part, kind="stable")]
                ends = np.cumsum(counts)
                for index in np.flatnonzero(counts):
                    batch[ends[index] - counts[index]:ends[index]].tofile(handles[index])
                sizes += counts
        finally:
            for handle in handles:
                handle.close()
        for name, size in zip(names, sizes):
            if size > limit and _sorted_repeat(iter([_read_hashes(name, 0, limit)]), limit):
                return True  # a file grown by repeats: they show in its first part
            chunks = (_read_hashes(name, start, limit) for start in range(0, int(size), limit))
            if size > 1 and _hashes_repeat(chunks, int(size), limit, used + bits, spread):
                return True
            name.unlink()
    return False


def _read_hashes(name, start: int, count: int) -> np.ndarray:
    """``count`` hashes (at most) of the file ``name`` from the ``start``-th on."""
    return np.fromfile(name, dtype=np.uint64, count=count, offset=start * 8)


def _sorted_repeat(batches, rows: int) -> bool:
    """True when a hash comes twice among ``batches`` (about ``rows`` hashes, held at once:
    one array of our own (a spread file) sorted where it is, else the batches filled into
    one array, without a second copy, and sorted in place)."""
    batches = iter(batches)
    first = next(batches, None)
    second = next(batches, None) if first is not None else None
    if first is not None and second is None and first.flags.writeable:
        hashes = first
    else:
        hashes = np.empty(rows, dtype=np.uint64)
        filled = 0
        for batch in itertools.chain([b for b in (first, second) if b is not None], batches):
            if filled + len(batch) > len(hashes):  # more than announced: room for them
                hashes = np.concatenate([hashes[:filled], np.empty(filled + len(batch), dtype=np.uint64)])
            hashes[filled:filled + len(batch)] = batch
            filled += len(batch)
        hashes = hashes[:filled]
    hashes.sort()
    return bool(len(hashes) > 1 and (hashes[1:] == hashes[:-1]).any())


def _register_keys(connection, rows: str, column: str, name: str) -> bool:
    """Register the table ``name`` (raw, key): the trimmed ids of ``column`` in ``rows`` (a
    table or subquery) whose comparison key (:func:`~survey_analysis.scales.text.id_keys`)
    differs from them. Only ids that may change are read out (:func:`_may_change_sql`).
    False when none does."""
    raw = f"coalesce(trim({column}), '')"
    texts = [t for (t,) in connection.sql(
        f"SELECT DISTINCT {raw} FROM {rows} WHERE {_may_change_sql(column)}").fetchall()]
    if not texts:
        return False
    texts = np.array(texts, dtype=object)
    _, keys = id_keys(texts, ids_may_change(texts))
    changed = keys != texts
    if not changed.any():
        return False
    connection.register(name, pd.DataFrame({"raw": texts[changed], "key": keys[changed]}))
    return True


def _explain_csv(source) -> None:
    """Raise what the loader finds wrong with a file DuckDB failed on: a CSV file's line that
    is not UTF-8 or row of another length (:func:`~.sources.csv_trouble`), naming the line; a
    file of a glob named as Parquet that is not one. Nothing when it finds nothing."""
    for path in files(source):
        if is_parquet(path):
            check_parquet(path)
            continue
        trouble = csv_trouble(path)
        if trouble is not None:
            raise trouble


def _diagnose_quotes(source) -> None:
    """A label or item of a CSV file holds a quote ("): DuckDB, finding no consistent quoting,
    read the file without any, where a quote left open swallows the rows below it. The
    loader's reader, which names the line and field where such a quote opens, reads each
    file and raises that error; files it reads are fine, and the count goes on."""
    from .read import read_source

    for path in files(source):
        if not is_parquet(path):
            read_source(path, 0, None)


def duckdb_level_counts(source, keys, item, rating, weight, book: rules.RuleBook, name: str, warn_share: float,
                        respondent="respondent_id", sorted_max: int = 100_000_000):
    """Level counts of a file: the counted table in DuckDB (see the module notes), the rule
    book's decisions on its distinct texts and labels, one aggregation in DuckDB.
    ``sorted_max``: rows in play up to which the repeat check sorts hashes in NumPy."""
    import duckdb

    csv = not all(map(is_parquet, paths(source)))
    unchecked = Message("load.ledger.empty_csv_lines") if csv else ""
    with _connect() as connection:
        try:
            facts, respondent, found = _count_table(connection, source, keys, item, respondent, rating,
                                                    weight, name, book)
            place = CountedPlace(name, found)  # the file's headers: Chinese ones, errors in Chinese too
            if csv and connection.sql(f"SELECT count(*) FROM lc WHERE contains(rating, '\"') OR "
                                      f"contains({_quote(item)}, '\"')").fetchall()[0][0]:
                _diagnose_quotes(source)
            empty_items, empty_respondents = connection.sql(
                f"SELECT coalesce(sum(rows) FILTER (WHERE _no_item), 0)::BIGINT, "
                f"coalesce(sum(rows) FILTER (WHERE _no_resp), 0)::BIGINT FROM gf "
                f"WHERE facts IN ({facts.kept})").fetchall()[0]
            rules.RuleBook.refuse_empty_ids(place, "item", int(empty_items), column=item)
            if respondent is not None:
                rules.RuleBook.refuse_empty_ids(place, "respondent", int(empty_respondents), column=respondent)
                _repeats(connection, facts, keys, item, respondent, weight, book, place, sorted_max)
        except (duckdb.Error, UnicodeDecodeError) as error:  # e.g. a row DuckDB cannot parse
            if csv:
                _explain_csv(source)
            raise ResponseFileError("load.duckdb.cannot_count", name, error=str(error)) from None
        ledger = _frame(connection.sql("SELECT facts, later, sum(rows)::BIGINT AS rows FROM lc GROUP BY ALL"))
        rows_read = int(ledger["rows"].sum())
        reason = early_reasons_of(ledger, book)
        early = reason != ""
        before = pd.Series(ledger["rows"].to_numpy()[early]).groupby(reason[early]).sum().to_dict()
        in_play = f"lc.facts IN ({facts.kept}) AND NOT lc.later"
        labels = _frame(connection.sql(f"SELECT rating, sum(rows)::BIGINT AS rows FROM lc WHERE {in_play} "
                                       "GROUP BY rating"))
        raw = labels["rating"].to_numpy(dtype=object)
        place.labels, place.label_rows = raw, labels["rows"].to_numpy(dtype=np.int64)
        pair_rows = {}

        def pairs():
            table = _frame(connection.sql(f"SELECT {_quote(item)} AS item, rating, sum(rows)::BIGINT AS rows "
                                          f"FROM lc WHERE {in_play} GROUP BY ALL"))
            pair_rows["rows"] = table["rows"].to_numpy(dtype=np.int64)
            pair_rows["items"] = table["item"].astype(object).to_numpy()
            index = pd.Index(raw, dtype=object).get_indexer(table["rating"].to_numpy(dtype=object))
            return pair_rows["items"], index

        readings = book.read_answers(raw, place, pairs)
        place.reading_labels = raw[readings.label]
        place.reading_rows = pair_rows["rows"] if readings.by_pair else place.label_rows
        book.unknown_labels_action(readings, place)
        read = pd.DataFrame({"rating": raw[readings.label],
                             "scale": pd.Series(readings.scale, dtype=object).fillna("").to_numpy(dtype=object),
                             "rank": readings.rank, "reason": readings.reason.astype(str)})
        on = ["rating"]
        if readings.by_pair:
            read.insert(0, item, pair_rows["items"])
            on = [item, "rating"]
        totals = pd.Series(place.reading_rows).groupby(readings.reason).sum()
        connection.register("readings", read)
        kept = (f"FROM lc JOIN readings r USING ({', '.join(map(_quote, on))}) "
                f"WHERE r.reason = '' AND {in_play}")
        if weight is not None:
            bad = int(connection.sql(f"SELECT coalesce(sum(lc.bad_weights), 0) {kept}").fetchall()[0][0])
            rules.RuleBook.refuse_bad_weights(place, bad, column=weight)
        key_list = ", ".join(f"lc.{_quote(c)}" for c in keys)
        weight_sums = (", sum(lc.weight_sum) AS w, sum(lc.weight_sq_sum) AS w2, "
                       "sum(lc.zero_weight)::DOUBLE AS zero_weight") if weight is not None else ""
        counts = _frame(connection.sql(
            f"SELECT {key_list}, r.scale, r.rank::TINYINT AS rank, sum(lc.rows)::BIGINT AS n{weight_sums} "
            f"{kept} GROUP BY ALL ORDER BY {key_list}, r.scale, rank"))
    counts = counts.astype({c: "string" for c in keys})
    counts["scale"] = pd.Categorical(counts["scale"].astype(str))
    counts["rank"] = counts["rank"].astype("int8")
    counts["n"] = counts["n"].astype("int64")
    notes: list = []
    counts = merge_item_ids(counts, keys, item, notes)
    return counts, counts_report(counts, excluded_rows(before, totals), rows_read, readings.choice, item,
                                 name, "duckdb", warn_share, unchecked, notes)
