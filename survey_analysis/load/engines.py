"""Counting engines for large data: DuckDB over files, Dask over partitioned datasets.

The estimators only need counts (DESIGN.md), so a big file never has to be loaded
into pandas row by row. Every engine computes the same small table in one scan --
rows per (group, raw answer label), with weight sums -- and the scales of
:mod:`survey_analysis.scales` then read that table, which has only a few rows
per group: each distinct (item, label) is normalized and placed on its scale once.

===========  ======================================  ==================================
engine       input                                   right choice for
===========  ======================================  ==================================
``pandas``   tidy responses in memory                up to a few million rows, and every
                                                     file an analyst opens by hand (full
                                                     line-by-line ledger)
``duckdb``   Parquet / CSV file(s) or a glob         1e6 - 1e9 rows on one machine; the
                                                     rows never enter pandas
``dask``     a Dask DataFrame or a Parquet dataset   data spread over many files or a
                                                     cluster (``dask.distributed``)
===========  ======================================  ==================================

One rule book for every engine (:mod:`.rules`): each engine only reduces its rows to a
counted table -- the distinct combinations of keys, raw label and the rule book's facts,
with their rows (:mod:`.duck` for DuckDB, :mod:`.frames` for pandas and Dask) -- and finds
repeated answers; the rule book decides, on distinct texts and on that table, what the
loader decides row by row: totals rows (``summary_row``), blank rows (``blank_row``),
empty answers (``missing_rating``), repeated answers of one respondent to one item (an
error by default; ``duplicates="keep_first"`` keeps the first in file order and counts
the others as ``duplicate``), "don't know" and unknown labels, empty ids and bad weights
(:mod:`.counted`). On the same file they give the loader's counts and ledger, per reason
only: the lines of excluded rows are the loader's business (run ``survey-analysis
validate FILE``). What an engine cannot see is said in :attr:`CountsReport.not_checked`
(DuckDB skips a CSV line with nothing on it, which the loader counts as a blank row).

DuckDB and Dask are optional extras (``pip install survey_analysis[duckdb]`` /
``[dask]``) and are imported only when used.
"""

from __future__ import annotations

import pandas as pd

from .._validation import check_choice
from . import rules
from .counted import aggregate_cells, level_counts_from_labels
from .duck import duckdb_label_counts, duckdb_level_counts
from .frames import dask_client, frame_label_counts, frame_level_counts
from .report import WARN_SHARE, CountsReport
from .sources import check_columns, is_dask_frame, paths, source_columns, source_name

__all__ = ["DUPLICATES", "ENGINES", "CountsReport", "aggregate_cells", "check_columns",
           "is_dask_frame", "label_counts", "level_counts_from_labels", "source_columns",
           "source_level_counts"]

ENGINES = ("auto", "pandas", "duckdb", "dask")
#: What a counting engine does with two answers of one respondent to one item (as
#: ``load_responses(duplicates=...)``).
DUPLICATES = rules.DUPLICATES
#: Hashes DuckDB's repeat check sorts at once in NumPy (8 bytes a row: 256 MiB); more kept
#: rows are first spread by their hashes over files on disk, each sorted alone (:mod:`.duck`).
_SORTED_HASHES_MAX = 2**25


def _choose_engine(source, engine: str, scheduler=None) -> str:
    check_choice("engine", engine, ENGINES)
    if scheduler is not None:  # a cluster named: the Dask engine runs on it
        if engine not in ("auto", "dask"):
            from ..words import Hint, SurveyError

            raise SurveyError("load.dask.scheduler_engine", hint=Hint("scheduler", scheduler), engine=engine)
        return "dask"
    if engine != "auto":
        return engine
    return "dask" if is_dask_frame(source) else "pandas" if isinstance(source, pd.DataFrame) else "duckdb"


def _dask_frame(source):
    """A Dask DataFrame of ``source`` (a Parquet file, folder, glob or list of them)."""
    if is_dask_frame(source):
        return source
    import dask.dataframe as dd

    return dd.read_parquet(paths(source)[0] if not isinstance(source, (list, tuple)) else list(map(str, source)))


def _pandas_only(source) -> None:
    if not isinstance(source, pd.DataFrame):
        from ..words import SurveyError

        raise SurveyError("load.engine.pandas_frame")


def label_counts(source, by=("item_id",), rating: str = "rating", weight: str | None = None,
                 engine: str = "auto") -> pd.DataFrame:
    """Rows per (group, raw answer label), counted by the chosen engine in one scan.

    Parameters
    ----------
    source : path, list of paths, glob, folder, Dask DataFrame or pandas DataFrame
        Long-format responses (one row per respondent x item).
    by : sequence of str
        Grouping columns (e.g. item and stratum).
    rating : str
        Column with the answers as written.
    weight : str, optional
        Weight column: weight sums are added.
    engine : {"auto", "pandas", "duckdb", "dask"}
        ``"auto"``: Dask for a Dask DataFrame, pandas for a pandas DataFrame,
        DuckDB for files.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns (as text), ``rating`` (the label as written, trimmed;
        ``""`` when missing), ``rows``; with ``weight`` also ``weight_sum``,
        ``weight_sq_sum``, ``zero_weight`` (rows of weight 0: they stay, as in R, but
        leave Kish's n and the degrees of freedom) and ``bad_weights`` (rows with a
        missing, non-numeric or negative weight).
    """
    by = [by] if isinstance(by, str) else list(by)
    engine = _choose_engine(source, engine)
    if engine == "pandas":
        _pandas_only(source)
        return frame_label_counts(source, by, rating, weight)
    wanted = [("by", c) for c in by] + [("rating", rating), ("weight", weight)]
    if engine == "dask":
        if is_dask_frame(source):
            check_columns([str(c) for c in source.columns], wanted, "<Dask DataFrame>")
        return frame_label_counts(_dask_frame(source), by, rating, weight)
    check_columns(source_columns(source), wanted, str(source))
    return duckdb_label_counts(source, by, rating, weight)


def source_level_counts(source, keys=("item_id",), item: str = "item_id", rating: str = "rating",
                        weight: str | None = None, engine: str = "auto", scale="auto",
                        labels=None, warn_share: float = WARN_SHARE,
                        respondent: str | None = "respondent_id", duplicates: str = "error",
                        scheduler: str | None = None):
    """Counts per group x level straight from a file, dataset or DataFrame, with the loader's
    rules and ledger (see the module notes).

    Parameters
    ----------
    source : path, list of paths, glob, folder, Dask DataFrame or pandas DataFrame
        Long-format responses (one row per respondent x item).
    keys : sequence of str
        Columns to count by (the item column is added).
    item, rating, weight : str
        The item, answer and (optional) weight columns.
    engine : {"auto", "pandas", "duckdb", "dask"}
        See :func:`label_counts`.
    scale, labels
        As in :func:`~survey_analysis.load_responses`.
    warn_share : float
        Share of excluded answers that makes the report warn.
    respondent : str or None, default "respondent_id"
        Respondent column; without it (or when the file has none) each row is its own
        respondent, as in the loader.
    duplicates : {"error", "keep_first"}
        Two answers of one respondent to one item: an error naming the pairs, or the
        first (in file order) kept and the others counted as ``duplicate``.
    scheduler : str, optional
        Address of a Dask scheduler (``"tcp://10.0.0.5:8786"``): the Dask engine (chosen
        by ``"auto"``) counts on that cluster through a ``distributed.Client`` it opens and
        closes. Default None: Dask's current scheduler (a running Client, else threads).
        The workers must reach the files and have this package installed.

    Returns
    -------
    (pandas.DataFrame, CountsReport)
        See :func:`level_counts_from_labels`.

    Raises
    ------
    ResponseFileError
        A column is missing (the message names it and lists the columns found), an item
        or respondent id is empty, a respondent answered an item twice (by default), or
        a counted row's weight is empty, non-numeric or negative.
    SurveyError
        The ``scheduler`` cannot be reached (the message names its address), or it is
        given with an engine other than Dask.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"item_id": ["A", "A", "合计"], "respondent_id": ["1", "2", ""],
    ...                       "rating": ["满意", "不满意", "2"]})
    >>> counts, report = source_level_counts(frame, engine="pandas")
    >>> counts["n"].tolist(), report.rows_read, report.excluded
    ([1, 1], 3, {'summary_row': 1})
    """
    keys = [keys] if isinstance(keys, str) else list(keys)
    if item not in keys:
        keys = [item, *keys]
    book = rules.RuleBook.of(duplicates=duplicates, scale=scale, labels=labels)
    chosen = _choose_engine(source, engine, scheduler)
    name = source_name(source)
    if chosen == "duckdb":
        return duckdb_level_counts(source, keys, item, rating, weight, book, name, warn_share, respondent,
                                   _SORTED_HASHES_MAX)
    if chosen == "pandas":
        _pandas_only(source)
        return frame_level_counts(source, keys, item, respondent, rating, weight, book, name, warn_share, chosen)
    source = _dask_frame(source)
    with dask_client(scheduler) as client:
        return frame_level_counts(source, keys, item, respondent, rating, weight, book, name, warn_share,
                                  chosen, client=client)
