"""Banner tables: satisfaction rates of rows x columns with letters of significant differences.

A banner (a "cross-tab with column-proportion tests") shows, for each row value (an item,
a category), the satisfaction rate of each column value (a channel, a district) and a
total; a letter in a cell names a column whose rate the cell's is significantly higher
than, as SPSS Custom Tables' "compare column proportions" prints them.

The tests are the package's design-based pairwise tests
(:func:`~survey_analysis.pairwise_comparisons` with ``method="design"``): within each row,
the row's answers are a domain of the whole design (:meth:`~survey_analysis.Survey.subset`)
and every pair of its columns is compared by the design-based difference of the two domain
rates (its standard error from their joint linearized covariance, t on the degrees of
freedom of the clusters holding them; see
:func:`~survey_analysis.estimate.domains.domain_differences`), the p-values adjusted over
the pairs of that row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validation import check_choice, check_confidence_level, check_open_unit
from ..design.design import as_design
from ..words import Hint, Note, SurveyError, column_letters, join_notes
from .domains import domain_differences, domain_rates
from .multiplicity import PVALUE_ADJUSTMENTS, adjust_pvalues

__all__ = ["CROSSTAB_MEASURES", "banner_letters", "crosstab"]

#: What a banner cell shows: the satisfaction rate (the design's definition of satisfied).
CROSSTAB_MEASURES = ("rate",)


def banner_letters(count: int) -> list:
    """Letters of ``count`` columns by position, as spreadsheets name columns: A ... Z, AA, AB ...

    Examples
    --------
    >>> banner_letters(3), banner_letters(28)[-2:]
    (['A', 'B', 'C'], ['AA', 'AB'])
    """
    return [column_letters(position + 1) for position in range(int(count))]


def _check_alpha(alpha) -> float:
    return check_open_unit(alpha, "estimate.crosstab.alpha")


def _check_min_base(min_base) -> int:
    if isinstance(min_base, bool) or not isinstance(min_base, (int, np.integer)) or min_base < 0:
        raise SurveyError("estimate.crosstab.min_base", value=min_base)
    return int(min_base)


def _row_pairs(design, rows: str, columns: str, table: pd.DataFrame, confidence_level: float,
               pvalue_adjustment: str) -> pd.DataFrame:
    """Every pair of tested cells (``n >= min_base``) within each row, compared at once: one
    joint covariance of all the cells (a row's pairs are a handful of its entries), the
    p-values adjusted within each row."""
    tested = table.loc[~table["small_base"], ["row", "column"]]
    ends = tested.merge(tested, on="row", suffixes=("_1", "_2"))
    order = {value: p for p, value in enumerate(pd.unique(table["column"]))}
    ends = ends.loc[ends["column_1"].map(order) < ends["column_2"].map(order)].reset_index(drop=True)
    if ends.empty:
        return pd.DataFrame(columns=["row", "column_1", "column_2", "rate_1", "rate_2", "p_value",
                                     "p_adjusted", "note"])
    cells = design.subset(where={columns: pd.unique(tested["column"]).tolist()})
    found = domain_differences(cells, [rows, columns], confidence_level=confidence_level,
                               pairs=list(zip(zip(ends["row"], ends["column_1"]),
                                              zip(ends["row"], ends["column_2"]))))
    out = pd.DataFrame({"row": ends["row"], "column_1": ends["column_1"], "column_2": ends["column_2"],
                        "rate_1": found["rate_1"].to_numpy(), "rate_2": found["rate_2"].to_numpy(),
                        "p_value": found["p_value"].to_numpy(dtype=float), "note": found["note"].to_numpy()})
    # Each row is its own family (SPSS adjusts within a row); pandas' transform keeps the order.
    out["p_adjusted"] = out.groupby(out["row"].astype(str), sort=False)["p_value"].transform(
        lambda p: adjust_pvalues(p.to_numpy(dtype=float), pvalue_adjustment))
    return out


def crosstab(survey, columns: str, rows: str = "item_id", *, measure: str = "rate",
             pvalue_adjustment: str = "holm", alpha: float = 0.05, min_base: int = 30,
             confidence_level: float = 0.95) -> pd.DataFrame:
    """A banner table: the rate of each (row, column) cell, a total column, and letters of
    the columns each cell is significantly higher than.

    Parameters
    ----------
    survey : Survey or pandas.DataFrame
        A :class:`~survey_analysis.Survey` (its design and definition are used as they
        are) or tidy responses holding the ``rows`` and ``columns`` columns (a design
        with the package's defaults is built on them, items as clusters).
    columns : str
        Column whose values are the banner's columns (channel, district).
    rows : str, default "item_id"
        Column whose values are the banner's rows (item, category).
    measure : {"rate"}, default "rate"
        What a cell shows: the satisfaction rate under the design's definition.
    pvalue_adjustment : str, default "holm"
        One of :data:`~survey_analysis.estimate.multiplicity.PVALUE_ADJUSTMENTS`; the
        p-values of a row's pairs of columns are adjusted together (each row is its
        own family), see :func:`~survey_analysis.adjust_pvalues`.
    alpha : float, default 0.05
        A pair is significant when its adjusted p-value is at most ``alpha``.
    min_base : int, default 30
        Cells with fewer answers are marked (``small_base``) and not tested.
    confidence_level : float, default 0.95
        Level of each cell's interval (``ci_low``, ``ci_high``).

    Returns
    -------
    pandas.DataFrame
        One row per (row value, column value) -- every combination, sorted, an empty cell
        with ``n`` 0 -- then, for each row value, its total; columns:

        * ``row`` -- the row value;
        * ``column`` -- the column value, or ``"Total"`` for the row's total;
        * ``letter`` -- the column's letter by position (A, B, C ... in sorted order of the
          column values; ``""`` for the total);
        * ``n`` -- answers in the cell;
        * ``rate`` -- satisfaction rate (weighted when the design is; nan without answers);
        * ``ci_low``, ``ci_high`` -- design-based interval of the rate
          (:func:`~survey_analysis.domain_rates`: t on the cell's degrees of freedom; nan
          when one cluster holds the cell);
        * ``letters`` -- letters of the columns of the same row whose rate this cell's is
          significantly higher than (e.g. ``"BC"``; ``""`` when none, and always for the
          total);
        * ``small_base`` -- ``n < min_base``: the cell is marked and not tested;
        * ``note`` -- why a cell was not tested (small base) or has no test against a
          column (a column held by one cluster: the pair's p-value is nan), else ``""``.

        ``.attrs`` holds ``test`` (``"design_t"``), ``pvalue_adjustment``, ``alpha``,
        ``min_base``, ``confidence_level``, ``measure``, ``rows``, ``columns``,
        ``total`` (the total column's label), ``letters`` (letter -> column value),
        ``definition`` (the definition of satisfied, a sentence), ``design`` (the design
        in one paragraph), ``untested_pairs`` (pairs with no p-value) and ``note`` (the
        sentence a banner prints under the table).

    Notes
    -----
    **Tests.** Within each row value ``r``, every pair of its columns with
    ``n >= min_base`` is compared as :func:`~survey_analysis.pairwise_comparisons`
    (``method="design"``) compares them on ``survey.subset(rows=r)`` (a domain kept inside
    the whole design, so every cluster and stratum still counts in the variance):
    design-based difference, t test on the degrees of freedom of the clusters holding
    either cell (Korn & Graubard 1999), p-values adjusted over the row's pairs. All rows'
    pairs come from one joint covariance of the (row, column) cells
    (:func:`~survey_analysis.domain_differences` by ``[rows, columns]``), which gives each
    pair what its row alone gives, in one pass. Small-base cells are left out of the tests and of the row's family of
    p-values (SPSS tests them and flags them; a base under 30 rarely carries a reliable
    design-based variance). A pair with no p-value -- a cell held by a single cluster has
    no variance estimate -- gets no letter, and the cell's ``note`` says so. With
    ``rows="item_id"`` and items as clusters every cell of a row lies in one cluster, so
    no pair is tested: build the survey with ``items_as="strata"`` (the answers as units)
    to test columns within each item.

    **Letters** follow SPSS's column-proportion convention: a significant pair puts the
    letter of the lower column in the cell of the higher one, so "96.5% BC" reads "higher
    than columns B and C". Each significant pair is thus shown once, where the reader's
    eye lands on the larger rate.

    The total of a row is the row's rate over all its answers
    (:func:`~survey_analysis.domain_rates` by ``rows``); it is not tested.

    References
    ----------
    .. [1] IBM SPSS Custom Tables 29: "Compare column proportions" (column letters in the
       cell of the larger proportion; Bonferroni adjustment within each row).
    .. [2] Korn, E. L., Graubard, B. I. (1999). Analysis of Health Surveys, sec. 5.2.
       Wiley.
    .. [3] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       Scandinavian Journal of Statistics 6, 65-70.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from survey_analysis.estimate.crosstab import crosstab
    >>> rng = np.random.default_rng(1)
    >>> r = pd.DataFrame({"item_id": np.repeat([f"I{i:02d}" for i in range(12)], 45),
    ...                   "channel": np.tile(["web", "phone", "desk"], 180), "scale": "yes_no"})
    >>> r["district"] = np.where(r["item_id"] < "I06", "east", "west")
    >>> chance = r["channel"].map({"web": 0.95, "phone": 0.9, "desk": 0.6})
    >>> r["rank"] = np.where(rng.random(len(r)) < chance, 1, 2)      # 1 = yes
    >>> table = crosstab(r, "channel", rows="district")
    >>> table[["row", "column", "letter", "n", "rate", "letters", "small_base"]].round(3)
        row column letter    n   rate letters  small_base
    0  east   desk      A   90  0.611               False
    1  east  phone      B   90  0.944       A       False
    2  east    web      C   90  0.911       A       False
    3  east  Total         270  0.822               False
    4  west   desk      A   90  0.667               False
    5  west  phone      B   90  0.889       A       False
    6  west    web      C   90  0.967       A       False
    7  west  Total         270  0.841               False
    >>> table.attrs["letters"]
    {'A': 'desk', 'B': 'phone', 'C': 'web'}

    Phone and web are each significantly higher than desk (A) in both districts; they do
    not differ from each other.
    """
    check_choice("measure", measure, CROSSTAB_MEASURES)
    check_choice("pvalue_adjustment", pvalue_adjustment, PVALUE_ADJUSTMENTS)
    alpha = _check_alpha(alpha)
    min_base = _check_min_base(min_base)
    check_confidence_level(confidence_level)
    for name, value in (("columns", columns), ("rows", rows)):
        if not isinstance(value, str):
            raise SurveyError("estimate.one_column", name=name, value=value)
    if rows == columns:
        raise SurveyError("estimate.crosstab.same_column", column=rows)
    design = as_design(survey, groups=[rows, columns])

    cells = domain_rates(design, [rows, columns], confidence_level=confidence_level)
    cells = cells.loc[cells["n"] > 0]
    totals = domain_rates(design, rows, confidence_level=confidence_level)
    totals = totals.loc[totals["n"] > 0].reset_index(drop=True)
    row_values = totals[rows].tolist()
    column_values = sorted(cells[columns].unique().tolist(), key=lambda v: (str(type(v)), v))
    letters = banner_letters(len(column_values))
    letter_of = dict(zip(map(str, column_values), letters))
    total_label = Note("estimate.crosstab.total")

    # Every (row, column) combination, in order; a combination without answers has n 0.
    grid = pd.MultiIndex.from_product([row_values, column_values], names=[rows, columns])
    cells = cells.set_index([rows, columns]).reindex(grid)
    table = pd.DataFrame({
        "row": grid.get_level_values(0), "column": pd.Index(grid.get_level_values(1), dtype=object),
        "letter": np.tile(letters, len(row_values)),
        "n": cells["n"].fillna(0).to_numpy(dtype=np.int64),
        "rate": cells["rate"].to_numpy(dtype=float), "ci_low": cells["ci_low"].to_numpy(dtype=float),
        "ci_high": cells["ci_high"].to_numpy(dtype=float)})
    table["small_base"] = table["n"] < min_base
    won = {}      # (row position, column) -> letters of the columns it is higher than
    notes = {}    # (row position, column) -> notes
    for position, column, n in zip(np.repeat(np.arange(len(row_values)), len(column_values)),
                                   table["column"], table["n"]):
        if 0 < n < min_base:
            notes.setdefault((position, str(column)), []).append(
                Note("estimate.crosstab.small_base", n=int(n), min_base=min_base))
    pairs = _row_pairs(design, rows, columns, table, confidence_level, pvalue_adjustment)
    untested = 0
    if len(pairs):
        row_of = {str(value): position for position, value in enumerate(row_values)}
        position = pairs["row"].astype(str).map(row_of).to_numpy()
        first, second = pairs["column_1"].astype(str).to_numpy(), pairs["column_2"].astype(str).to_numpy()
        significant = (pairs["p_adjusted"] <= alpha).to_numpy()
        higher = (pairs["rate_1"] > pairs["rate_2"]).to_numpy()
        for where, winner, loser in zip(position[significant], np.where(higher, first, second)[significant],
                                        np.where(higher, second, first)[significant]):
            won.setdefault((where, winner), []).append(letter_of[loser])
        missing = pairs["p_value"].isna().to_numpy()
        untested = int(missing.sum())
        for where, a, b, reason in zip(position[missing], first[missing], second[missing],
                                       pairs["note"].to_numpy()[missing]):
            for cell, other in ((a, b), (b, a)):
                notes.setdefault((where, cell), []).append(
                    Note("estimate.crosstab.no_test", other=letter_of[other], reason=reason))
    keys = list(zip(np.repeat(np.arange(len(row_values)), len(column_values)), table["column"].astype(str)))
    table["letters"] = ["".join(sorted(won.get(key, []), key=lambda x: (len(x), x))) for key in keys]
    table["note"] = pd.Series([join_notes(*notes.get(key, [])) for key in keys], dtype=object)

    total = pd.DataFrame({
        "row": totals[rows].to_numpy(), "column": total_label, "letter": "",
        "n": totals["n"].to_numpy(dtype=np.int64), "rate": totals["rate"].to_numpy(dtype=float),
        "ci_low": totals["ci_low"].to_numpy(dtype=float), "ci_high": totals["ci_high"].to_numpy(dtype=float),
        "small_base": totals["n"].to_numpy() < min_base, "letters": "", "note": ""})
    order = np.concatenate([np.arange(len(table)), np.arange(len(total)) * len(column_values)
                            + len(column_values) - 0.5])
    out = pd.concat([table, total], ignore_index=True)
    out = out.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)
    out["column"] = out["column"].astype(object)
    out = out[["row", "column", "letter", "n", "rate", "ci_low", "ci_high", "letters", "small_base", "note"]]

    note = [Note("estimate.crosstab.method", adjustment=pvalue_adjustment, alpha=alpha, min_base=min_base)]
    if untested:
        note.append(Note("estimate.crosstab.untested", count=untested))
        if design.unit_columns() and set(design.cluster) <= {rows}:
            # Items as clusters and items as rows: every pair is untested, and the fix is known.
            note.append(Note("estimate.crosstab.rows_are_clusters", rows=rows, fix=Hint("items_as", "strata")))
    out.attrs.update({
        "test": "design_t", "pvalue_adjustment": pvalue_adjustment, "alpha": alpha,
        "min_base": min_base, "confidence_level": float(confidence_level), "measure": measure,
        "rows": rows, "columns": columns, "total": total_label,
        "letters": dict(zip(letters, column_values)), "definition": design.definition.sentence("en"),
        "design": design.describe(), "untested_pairs": untested, "note": join_notes(*note)})
    return out
