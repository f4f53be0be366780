"""A study's design and its sufficient counts, computed once.

:class:`Design` is where a survey's design lives -- clusters, strata, weights, the
scales and the definition of "satisfied" -- as R's ``svydesign`` is for every ``svy*``
function. It turns its input into **level counts**: responses per item x cluster x
stratum x group x level, with weight sums. Every estimate is a function of these
counts, so a file is scanned once and a new definition of "satisfied" costs nothing.

Inputs, and how they are counted:

* tidy responses from :func:`~survey_analysis.load_responses` (or a frame with the
  same ``item_id`` / ``scale`` / ``rank`` columns): pandas;
* a path, list of paths, folder or glob of long-format Parquet / CSV files: DuckDB,
  without loading the rows into pandas (``engine="dask"`` for Dask);
* a Dask DataFrame: Dask;
* a table of counts per item: :meth:`Design.from_counts`.

A raw sheet in a pandas DataFrame is refused with advice: load it with
:func:`~survey_analysis.load_responses` first (headers, labels, totals rows and the
ledger are the loader's work), or count it as it is with ``engine="pandas"``.

:class:`survey_analysis.Survey` adds the estimators as methods.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._validation import check_choice
from ..load.engines import (
    DUPLICATES,
    ENGINES,
    CountsReport,
    aggregate_cells,
    is_dask_frame,
    source_level_counts,
)
from ..scales.definition import resolve_definition
from ..scales.scale import Scale, scales_of
from .variance import (
    LONELY_CLUSTER_RULES,
    check_nesting,
    kish_n,
    stratified_covariance,
    with_replacement_covariance,
)

__all__ = [
    "COUNTS_SCALE",
    "ITEMS_AS",
    "Design",
    "LinearizedCovariance",
    "as_design",
    "is_tidy_responses",
    "resolve_weight",
]

#: What the items (the ``cluster`` units) are in the design: a sample of clusters from
#: a wider population of items, or strata of a census of items (see :class:`Design`).
ITEMS_AS = ("clusters", "strata")

#: The two-level scale of a table of counts (satisfied / not satisfied).
COUNTS_SCALE = Scale(["satisfied", "not satisfied"], 1, name="counts",
                            source="a published table of counts per item",
                            convention="as counted by the table's authors")
_TIDY = ("scale", "rank")


def _two_level_counts(base: pd.DataFrame, keys: list, satisfied: np.ndarray,
                      total: np.ndarray) -> pd.DataFrame:
    """Level counts of a counts table: rank 1 = satisfied, rank 2 = not satisfied."""
    two = pd.concat([base.assign(scale="counts", rank=np.int8(1), n=satisfied.astype(np.int64)),
                     base.assign(scale="counts", rank=np.int8(2), n=(total - satisfied).astype(np.int64))],
                    ignore_index=True)
    two = two.loc[two["n"] > 0]
    counts = two.groupby(keys + ["scale", "rank"], sort=True, observed=True)["n"].sum().reset_index()
    counts["n"] = counts["n"].astype("int64")
    counts["scale"] = counts["scale"].astype("string")
    return counts


def bad_weights_message(weights: np.ndarray, column: str, rows, lines=None) -> str:
    """What is wrong with weights that are not finite numbers >= 0 ("" when none is):
    how many are missing, infinite or negative, with their rows (index labels) or, when
    known, their lines in the file."""
    problems = weight_problems(weights, rows, lines)
    if not problems:
        return ""
    return (f"weight column {column!r} must hold finite numbers >= 0: {problems}; fix or remove "
            "those rows (a weight of 0 keeps the answer without weight)")


def weight_problems(weights: np.ndarray, rows, lines=None) -> str:
    """``"1 negative (lines 4; first -2)"``: the weights that are missing, infinite or
    negative, by kind ("" when none is)."""
    weights = np.asarray(weights, dtype=float)
    where, name = (np.asarray(lines), "line") if lines is not None else (np.asarray(rows), "row")
    parts = []
    for mask, what in ((np.isnan(weights), "missing or non-numeric"), (np.isinf(weights), "infinite"),
                       (weights < 0, "negative")):
        if mask.any():
            shown = ", ".join(str(v) for v in where[mask][:5]) + (" ..." if mask.sum() > 5 else "")
            parts.append(f"{int(mask.sum())} {what} ({name}s {shown}; first {weights[mask][0]:g})")
    return "; ".join(parts)


#: Largest weight used as it is: above it, the sums of squared weights over 1e12 answers
#: could overflow, so the weights are divided by their largest value first.
_LARGEST_WEIGHT = 1e140


def rescaled_weights(weights: np.ndarray) -> tuple[np.ndarray, float]:
    """``(weights / unit, unit)``: ``unit`` is 1, or the largest weight when it exceeds
    :data:`_LARGEST_WEIGHT`. Rates, intervals, Kish's n and design effects do not change
    when every weight is multiplied by one number; only the weight sums are then in units
    of the largest weight."""
    largest = float(np.max(weights)) if len(weights) else 0.0
    if largest <= _LARGEST_WEIGHT:
        return weights, 1.0
    return weights / largest, largest


def is_tidy_responses(source) -> bool:
    """True for a pandas DataFrame shaped like :func:`~survey_analysis.load_responses` output."""
    return isinstance(source, pd.DataFrame) and set(_TIDY) <= set(source.columns)


def _as_list(value) -> list:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def resolve_weight(responses: pd.DataFrame, weight) -> str | None:
    """The weight column of tidy responses: ``weight`` if named, else ``"weight"`` when
    present; ``False`` ignores weights."""
    if weight is False:
        return None
    if weight is None:
        return "weight" if "weight" in responses.columns else None
    if weight not in responses.columns:
        raise ValueError(f"weight column {weight!r} not found; columns are {list(responses.columns)}")
    return weight


@dataclass(frozen=True)
class LinearizedCovariance:
    """Design covariance of linearized estimates (:meth:`Design.linearized_covariance`).

    Attributes
    ----------
    covariance : numpy.ndarray
        k x k covariance matrix.
    units : int
        Sampling units (clusters; answers when items are strata).
    strata : int
        Strata (items when items are strata).
    lonely : int
        Strata with a single unit (0 without strata).
    df : int
        Design degrees of freedom: units with a positive weight minus the strata that
        have one (R ``degf``, which leaves out units whose weights are all 0; the
        variance itself, as R's, counts every unit).
    """

    covariance: np.ndarray
    units: int
    strata: int
    lonely: int
    df: int


class Design:
    """The design of a satisfaction survey and the sufficient counts of its answers.

    Parameters
    ----------
    responses : pandas.DataFrame, path, list of paths, folder, glob or Dask DataFrame
        Tidy responses, or long-format files / a Dask DataFrame (see the module notes).
    satisfied : None, str, collection of str or dict
        Who counts as satisfied (see
        :func:`~survey_analysis.scales.resolve_definition`); default: each
        scale's own convention (``cn3``: 满意 + 基本满意; ``haochaping5``: not 差评).
    cluster : str or list of str, default "item_id"
        Cluster (primary sampling unit) column(s). Several columns make one cluster of
        each combination, e.g. ``["item_id", "社区"]`` when an item was surveyed in
        several communities.
    strata : str, optional
        Stratum column; clusters must be nested in strata.
    weight : str, None or False
        Respondent weight column; ``None`` uses ``"weight"`` when tidy responses have
        one (name it for files); ``False`` ignores weights.
    groups : list of str, optional
        Other columns to keep in the counts, for comparisons and per-group tables
        (for a file, everything needed must be named here: it is scanned once).
    item : str, default "item_id"
        The item column.
    engine : {"auto", "pandas", "duckdb", "dask"}
        How files and Dask DataFrames are counted.
    rating, scale, labels
        For files and Dask input: the answer column, the scale (see
        :func:`~survey_analysis.load_responses`) and declared label meanings.
    duplicates : {"error", "keep_first"}, default "error"
        For files and Dask input: two answers of one respondent (column
        ``respondent_id``) to one item are an error, or the first is kept and the
        others counted as ``duplicate`` (as ``load_responses(duplicates=...)``).
    items_as : {"clusters", "strata"}, default "clusters"
        Which population the sampling error refers to (see :data:`ITEMS_AS`).
        ``"clusters"``: the items (the ``cluster`` units) are a sample from a wider
        population of possible items, and answers about one item share its
        circumstances -- R ``svydesign(ids = ~item_id)``. ``"strata"``: the items are
        all there are (a census of the completed items), so each is a stratum and the
        only sampling error is which respondents answered within it -- R
        ``svydesign(ids = ~1, strata = ~item_id)``; answers are the sampling units.
        With ``strata=`` as well, each item x stratum is a stratum.
    lonely_cluster : {"fail", "remove", "certainty", "adjust", "average"}, default "fail"
        What a stratum with a single cluster adds to design-based variances, with the
        meanings of R's ``options(survey.lonely.psu = ...)`` [1]_ (see
        :func:`~survey_analysis.design.variance.with_replacement_variance`). By default
        the estimate stops with an error naming the strata, as R does: the choice
        changes the interval and must be the analyst's. Results state the rule in their
        ``note`` when a stratum has one cluster.

    References
    ----------
    .. [1] Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R, section 2.2
       and ``?survey::surveyoptions``. Wiley.

    Attributes
    ----------
    counts_table : pandas.DataFrame
        Level counts: the key columns, ``scale``, ``rank``, ``n``; with weights ``w``
        and ``w2`` (sums of weights and squared weights).
    scales : dict
        Scale name -> :class:`~survey_analysis.scales.Scale`.
    definition : Definition
        The definition of "satisfied" in force.
    report : LoadReport or CountsReport or None
        The ledger of the input.
    weight_unit : float
        1, or the largest weight when weights above 1e140 were divided by it so that
        their sums of squares stay finite (rates, intervals, Kish's n and design effects
        do not change; the weight sums of the counts are in this unit). Weights that
        are missing, infinite or negative are refused, naming the rows or lines.
    """

    def __init__(self, responses, *, satisfied=None, cluster="item_id", strata=None, weight=None,
                 groups=(), item: str = "item_id", engine: str = "auto", rating: str = "rating",
                 scale="auto", labels=None, lonely_cluster: str = "fail",
                 items_as: str = "clusters", duplicates: str = "error"):
        check_choice("engine", engine, ENGINES)
        check_choice("duplicates", duplicates, DUPLICATES)
        check_choice("lonely_cluster", lonely_cluster, LONELY_CLUSTER_RULES)
        check_choice("items_as", items_as, ITEMS_AS)
        self.lonely_cluster = lonely_cluster
        self.items_as = items_as
        self.item = str(item)
        self.cluster = _as_list(cluster)
        if not self.cluster:
            raise ValueError("cluster= needs at least one column (the item column for items as "
                             "clusters)")
        if strata is not None and not isinstance(strata, str):
            raise ValueError(f"strata= is one column name, got {strata!r}")
        self.strata = strata
        self.groups = _as_list(groups)
        self.responses = None
        self.source = ""
        # Only a table of rounded percentages (from_counts) has counts known as a range.
        self.count_range = self.percent_audit = None
        if isinstance(responses, pd.DataFrame) and (is_tidy_responses(responses) or engine != "pandas"):
            if not is_tidy_responses(responses):
                raise ValueError(
                    "these are not tidy responses (no 'scale' and 'rank' columns): load the sheet "
                    "with sa.load_responses(frame) first -- it reads the headers, the labels and "
                    "their scale, and keeps a ledger of every row -- or count a long frame with "
                    "columns item_id and rating as it is with engine='pandas'")
            self._from_tidy(responses, weight)
        else:
            if isinstance(responses, pd.DataFrame):
                name = "<DataFrame>"
            elif is_dask_frame(responses):
                name = "<Dask DataFrame>"
            else:
                name = str(responses)
            self.weight = weight or None
            table, report = source_level_counts(
                responses, keys=self._keys(), item=self.item, rating=rating, weight=self.weight,
                engine=engine, scale=scale, labels=labels, duplicates=duplicates)
            self.source, self.report = name, report
            self.scales = dict(report.scales)
            self.counts_table = table
            self.weight_unit = 1.0
            if "w2" in table.columns and not np.isfinite(table["w2"].to_numpy(dtype=float)).all():
                raise ValueError(f"{name}: the weights in column {self.weight!r} are so large that "
                                 "their sum of squares overflows; divide the column by its mean "
                                 "(rates, intervals and Kish's n do not change)")
        self._source_input = responses
        self._engine, self._rating, self._scale, self._labels = engine, rating, scale, labels
        self._duplicates = duplicates
        check_nesting(self.counts_table, self.cluster, self.strata)
        self.definition = resolve_definition(self.scales, satisfied)

    # -- construction -----------------------------------------------------------------
    def _keys(self) -> list:
        keys = [self.item]
        for column in self.cluster + _as_list(self.strata) + self.groups:
            if column not in keys:
                keys.append(column)
        return keys

    def _from_tidy(self, responses: pd.DataFrame, weight) -> None:
        keys = self._keys()
        missing = [c for c in keys if c not in responses.columns]
        if missing:
            raise ValueError(f"column(s) {missing} not found; columns are {list(responses.columns)} "
                             "(load_responses(..., keep_columns=[...]) carries extra columns; CLI "
                             "--keep-columns)")
        self.responses = responses
        self.weight = resolve_weight(responses, weight)
        report = responses.attrs.get("load_report")
        self.report = report
        self.source = getattr(report, "source", "<DataFrame>")
        known = scales_of(responses)
        self.scales = {s.name: s for s in known.values()}
        self.counts_table = self._tidy_counts(responses, keys, known)

    def _tidy_counts(self, responses: pd.DataFrame, keys: list, known: dict) -> pd.DataFrame:
        """Level counts of tidy responses: rows (and weight sums) per key x scale x rank."""
        scale_codes, scale_values = pd.factorize(responses["scale"], sort=False)
        if (scale_codes < 0).any():
            raise ValueError("the scale column has empty values; load the sheet with sa.load_responses")
        names = [known[u if not isinstance(u, (int, np.integer)) else int(u)].name for u in scale_values]
        if len(set(names)) != len(names):  # e.g. 3 and "cn3" in one frame: the same scale
            unique = sorted(set(names))
            scale_codes = np.array([unique.index(n) for n in names], dtype=np.int64)[scale_codes]
            names = unique
        rank = pd.to_numeric(responses["rank"], errors="coerce").to_numpy(dtype=float)
        if np.isnan(rank).any():
            raise ValueError("the rank column has empty or non-numeric values; load the sheet with "
                             "sa.load_responses")
        values = {"n": None}  # one per answer
        self.weight_unit = 1.0
        if self.weight is not None:
            weights = pd.to_numeric(responses[self.weight], errors="coerce").to_numpy(dtype=float)
            lines = (responses["source_line"].to_numpy() if "source_line" in responses.columns
                     else None)
            problem = bad_weights_message(weights, self.weight, responses.index.to_numpy(), lines)
            if problem:
                raise ValueError(problem)
            weights, self.weight_unit = rescaled_weights(weights)
            # Rows of weight 0 stay in the design (as in R) but not in the SRS n of a
            # design effect or in Kish's n: count them per cell.
            values.update(w=weights, w2=weights * weights, zero_weight=(weights == 0).astype(float))
        # The scale as a Categorical: a few names over many rows, no string work per row.
        scale = pd.Categorical.from_codes(scale_codes, categories=names)
        return aggregate_cells([responses[k] for k in keys], scale, rank.astype(np.int64), values)

    @classmethod
    def from_counts(cls, table, *, item: str = "item_id", n: str = "n", satisfied: str | None = None,
                    percent: str | None = None, strata: str | None = None, groups=(),
                    decimals: int | None = None, rounding: str = "half_up", sheet=0,
                    encoding: str | None = None, header_row=None, source: str | None = None,
                    lonely_cluster: str = "fail", items_as: str = "clusters"):
        """A design from a table of counts per item (unit), or of rounded percentages.

        Parameters
        ----------
        table : pandas.DataFrame, str or path
            One row per item (rows of the same item and group are added up): a
            DataFrame, or a CSV / Excel file read by
            :func:`~survey_analysis.load.counts_table.read_counts_table` (title rows,
            headers over two rows and totals rows handled; every excluded row counted).
        item, n : str
            Columns holding the item (unit) and the number of valid answers.
        satisfied : str, optional
            Column holding the satisfied answers. Default ``"satisfied"`` unless
            ``percent`` is given.
        percent : str, optional
            Column holding a published percentage (``"96.75%"``) instead of a count.
            The satisfied counts consistent with its rounding are derived per row
            (:func:`~survey_analysis.counts_from_percentages`); a row whose percentage
            fits no count of its ``n`` is excluded, counted (``percent_fits_no_count``,
            always a warning) and listed in :attr:`percent_audit`.
        strata : str, optional
            Stratum column (items are the clusters).
        groups : list of str, optional
            Other columns to keep (e.g. a district for per-group tables).
        decimals, rounding
            How the percentages were rounded (see :func:`~survey_analysis.counts_from_percentages`):
            decimals as written by default, ``"half_up"`` (四舍五入).
        sheet, encoding, header_row
            For a file, as in :func:`~survey_analysis.load_responses`.
        source : str, optional
            Name shown in reports (default the file name, or ``"<counts table>"``).
        lonely_cluster : str, default "fail"
            A stratum with one item, as in :class:`Design`.
        items_as : {"clusters", "strata"}, default "clusters"
            Items as a sample of clusters or as the strata of a census, as in
            :class:`Design`.

        Notes
        -----
        The definition of "satisfied" is the table's own: it cannot be changed, and
        the answers' levels are not known (no definition sensitivity or answer
        shares). The items are the clusters.

        With ``percent``, a row's count is known only to lie in ``k_min..k_max``
        (``"99%"`` of 300 is 296 to 298). The counts used for point estimates are the
        consistent count nearest ``percent * n / 100``; :meth:`Survey.item_rates` and
        :meth:`Survey.overall` widen their intervals to run from the lower bound at
        ``k_min`` to the upper bound at ``k_max`` (columns ``satisfied_min`` and
        ``satisfied_max`` say when the count is not exact). Funnel, shrinkage, items at
        100% and the chance of 100% use the nearest counts; an item is at 100% only when
        its percentage admits no other count.

        Examples
        --------
        >>> import pandas as pd
        >>> counts = pd.DataFrame({"unit": ["A", "B"], "n": [20, 30], "satisfied": [19, 30]})
        >>> d = Design.from_counts(counts, item="unit")
        >>> d.counts().to_dict("list")
        {'unit': ['A', 'B'], 'n': [20, 30], 'satisfied': [19, 30]}

        Published percentages: 96.75% of 400 is exactly 387; 99.00% of 4226 fits no count:

        >>> table = pd.DataFrame({"单位": ["甲", "乙", "丙"], "回访量": [400, 4226, 300],
        ...                       "满意率": ["96.75%", "99.00%", "99%"]})
        >>> d = Design.from_counts(table, item="单位", n="回访量", percent="满意率")
        >>> d.percent_audit[["单位", "k_min", "k_max", "consistent"]]
          单位  k_min  k_max  consistent
        0  甲    387    387        True
        1  乙   <NA>   <NA>       False
        2  丙    296    298        True
        >>> d.report.excluded
        {'percent_fits_no_count': 1}
        """
        from ..load.counts_table import read_counts_table
        from ..load.percentages import counts_from_percentages

        if satisfied is None and percent is None:
            satisfied = "satisfied"
        extra = [c for c in [*_as_list(strata), *_as_list(groups)] if c != item]
        extra = list(dict.fromkeys(extra))
        read = read_counts_table(table, item=item, n=n, satisfied=satisfied, percent=percent,
                                 keep=extra, sheet=sheet, encoding=encoding, header_row=header_row)
        rows = read.table
        keys = [item] + extra
        excluded = dict(read.excluded)
        audit = None
        total = rows[n].to_numpy(dtype=np.int64)
        if percent is None:
            k_low = k_high = k_point = rows[satisfied].to_numpy(dtype=np.int64)
            fits = np.ones(len(rows), bool)
        else:
            check_choice("rounding", rounding, ("half_up", "half_even", "truncate"))
            ranges = counts_from_percentages(rows[percent], total, decimals=decimals, rounding=rounding)
            audit = pd.concat([rows[keys + [n, percent]].reset_index(drop=True),
                               ranges[["decimals", "k_min", "k_max", "n_consistent", "consistent"]],
                               rows[["source_line"]].reset_index(drop=True)], axis=1)
            fits = ranges["consistent"].to_numpy(dtype=bool)
            if (~fits).any():
                excluded["percent_fits_no_count"] = int((~fits).sum())
            k_low = ranges["k_min"].fillna(0).to_numpy(dtype=np.int64)
            k_high = ranges["k_max"].fillna(0).to_numpy(dtype=np.int64)
            shown = pd.to_numeric(rows[percent].str.rstrip("%").str.strip(), errors="coerce").to_numpy(float)
            # Nearest consistent count: the published share of n, rounded, kept in range.
            k_point = np.clip(np.floor(shown * total / 100.0 + 0.5).astype(np.int64), k_low, k_high)
        if not fits.any():
            raise ValueError(f"{read.source}: no row's percentage fits a whole count of its {n} "
                             f"({len(rows)} rows; see sa.counts_from_percentages): the percentages are "
                             f"not shares of {n} as rounded -- another denominator, or other decimals "
                             "(decimals=, rounding=)?")
        base = rows.loc[fits, keys].reset_index(drop=True)
        design = cls.__new__(cls)
        design.item, design.cluster, design.strata = item, [item], strata
        check_choice("lonely_cluster", lonely_cluster, LONELY_CLUSTER_RULES)
        design.lonely_cluster = lonely_cluster
        check_choice("items_as", items_as, ITEMS_AS)
        design.items_as = items_as
        design.groups = [g for g in keys if g not in (item, strata)]
        design.responses, design.weight = None, None
        design.source = source or read.source.replace("<DataFrame>", "<counts table>")
        design.scales = {"counts": COUNTS_SCALE}
        design.counts_table = _two_level_counts(base, keys, k_point[fits], total[fits])
        design.count_range = None
        if percent is not None and np.any(k_low[fits] != k_high[fits]):
            design.count_range = (base.assign(k_min=k_low[fits], k_max=k_high[fits])
                                  .groupby(keys, sort=True, observed=True)[["k_min", "k_max"]].sum()
                                  .reset_index())
        design.percent_audit = audit
        design.weight_unit = 1.0
        design._source_input = None
        design._engine, design._rating, design._scale, design._labels = "pandas", "", "auto", None
        design.report = CountsReport(source=design.source, engine="counts table", scale="counts",
                                     rows_read=read.rows_read, rows_kept=int(fits.sum()),
                                     excluded=excluded, scales={"counts": COUNTS_SCALE},
                                     quiet_reasons=("summary_row", "blank_row"))
        check_nesting(design.counts_table, design.cluster, strata)
        design.definition = resolve_definition(design.scales, None)
        return design

    def at_count_bound(self, bound: str) -> Design:
        """The design with every count at the low (``"min"``) or high (``"max"``) end of
        the counts its published percentage allows (itself when the counts are exact)."""
        check_choice("bound", bound, ("min", "max"))
        if self.count_range is None:
            return self
        keys = [c for c in self.count_range.columns if c not in ("k_min", "k_max")]
        totals = self.counts(keys)
        k = totals[keys].merge(self.count_range, on=keys, how="left")[f"k_{bound}"]
        new = copy.copy(self)
        new.counts_table = _two_level_counts(totals[keys], keys, k.to_numpy(dtype=np.int64),
                                             totals["n"].to_numpy(dtype=np.int64))
        new.count_range = None
        return new

    # -- views of the counts ------------------------------------------------------------
    @property
    def weighted(self) -> bool:
        """True when respondent weights are used."""
        return self.weight is not None

    @property
    def keys(self) -> list:
        """Columns the counts are kept by."""
        return self._keys()

    def satisfied_flags(self, table: pd.DataFrame) -> np.ndarray:
        cutoffs = self.definition.cutoffs()
        cutoff = table["scale"].map(cutoffs).to_numpy(dtype=float, na_value=np.nan)
        return table["rank"].to_numpy(dtype=float) <= cutoff

    def _table_for(self, by: list) -> pd.DataFrame:
        """Level counts holding the ``by`` columns (recounted from the responses if needed)."""
        if set(by) <= set(self.counts_table.columns):
            return self.counts_table
        if self.responses is None:
            raise ValueError(f"column(s) {[c for c in by if c not in self.counts_table.columns]} were "
                             f"not counted; the counts are kept by {self.keys}. Name them in "
                             "groups=[...] when building the Survey (a file is scanned once)")
        missing = [c for c in by if c not in self.responses.columns]
        if missing:
            raise ValueError(f"column(s) {missing} not found; columns are {list(self.responses.columns)} "
                             "(load_responses(..., keep_columns=[...]) carries extra columns; CLI "
                             "--keep-columns)")
        known = scales_of(self.responses)
        extra = [c for c in by if c not in self.keys]
        return self._tidy_counts(self.responses, self.keys + extra, known)

    def counts(self, by=None) -> pd.DataFrame:
        """Valid and satisfied answers per group, under the definition in force.

        Parameters
        ----------
        by : str or list of str, optional
            Grouping column(s); default the item column; ``[]`` gives one row of totals.

        Returns
        -------
        pandas.DataFrame
            The ``by`` columns (groups sorted), ``n`` and ``satisfied``; with weights
            also ``weight_sum``, ``satisfied_weight`` and ``weight_sq_sum``.
        """
        by = [self.item] if by is None else _as_list(by)
        table = self._table_for(by)
        flag = self.satisfied_flags(table)
        values = {"n": table["n"].to_numpy(dtype=np.int64),
                  "satisfied": np.where(flag, table["n"].to_numpy(dtype=np.int64), 0)}
        if self.weighted:
            w = table["w"].to_numpy(dtype=float)
            values.update(weight_sum=w, satisfied_weight=np.where(flag, w, 0.0),
                          weight_sq_sum=table["w2"].to_numpy(dtype=float))
        frame = pd.DataFrame(values)
        if not by:
            totals = frame.sum().to_frame().T.astype(frame.dtypes.to_dict())
            return totals.reset_index(drop=True)
        out = frame.groupby([table[c].reset_index(drop=True) for c in by], sort=True,
                            observed=True).sum().reset_index()
        return out

    def level_counts(self, by=None) -> pd.DataFrame:
        """Answers per group and level: the ``by`` columns, ``scale``, ``rank``, ``rating``
        (the level), ``n`` (and ``w``, ``w2`` with weights); groups sorted."""
        by = [] if by is None else _as_list(by)
        table = self._table_for(by)
        sums = ["n"] + (["w", "w2"] if self.weighted else [])
        out = table.groupby(by + ["scale", "rank"], sort=True, observed=True)[sums].sum().reset_index()
        # The level's label of each row, looked up for all rows at once (one row per group
        # x level: many rows for many items).
        pairs = [(name, i, level) for name, s in self.scales.items()
                 for i, level in enumerate(s.levels, start=1)]
        index = pd.MultiIndex.from_tuples([(name, i) for name, i, _ in pairs])
        labels = np.array([level for _, _, level in pairs], dtype=object)
        position = index.get_indexer(pd.MultiIndex.from_arrays(
            [out["scale"].astype(str).to_numpy(), out["rank"].astype(int).to_numpy()]))
        out.insert(len(by) + 2, "rating", labels[position])
        return out

    def cluster_totals(self, values=None) -> pd.DataFrame:
        """One row per cluster (within its stratum): ``n``, ``Y`` and ``W``.

        ``W`` is the weight total (the number of answers without weights); ``Y`` the
        weighted total of ``values``, a per-(scale, rank) score (default: 1 for a
        satisfied level, else 0).
        """
        keys = self.cluster + ([self.strata] if self.strata and self.strata not in self.cluster else [])
        table = self.counts_table
        if values is None:
            y = self.satisfied_flags(table).astype(float)
        else:
            y = values(table)
        w = table["w"].to_numpy(dtype=float) if self.weighted else table["n"].to_numpy(dtype=float)
        frame = pd.DataFrame({"n": table["n"].to_numpy(dtype=np.int64), "Y": w * y, "W": w})
        out = frame.groupby([table[c] for c in keys], sort=True, observed=True).sum().reset_index()
        out["stratum"] = out[self.strata] if self.strata else 0
        return out

    def positive_rows(self, table: pd.DataFrame | None = None) -> np.ndarray:
        """Answers with a positive weight in each row of a level-counts ``table`` (all of
        them without weights): the ``n`` of R's ``svyvar`` and of Kish's formulas."""
        table = self.counts_table if table is None else table
        n = table["n"].to_numpy(dtype=float)
        if self.weighted and "zero_weight" in table.columns:
            return n - table["zero_weight"].to_numpy(dtype=float)
        return n

    def kish(self) -> tuple[float, float]:
        """Kish's effective number of answers and weighting design effect (n and 1 unweighted).

        Answers of weight 0 take no part (as R and
        :func:`~survey_analysis.kish_design_effect`): ``n`` counts positive weights."""
        if not self.weighted:
            n = int(self.counts_table["n"].sum())
            return float(n), 1.0
        positive = float(self.positive_rows().sum())
        effective = kish_n(self.counts_table["w"].sum(), self.counts_table["w2"].sum())
        return float(effective), float(positive / effective) if effective else np.nan

    def linearized_covariance(self, coefficients, by=()) -> LinearizedCovariance:
        """Design covariance of estimates linearized as ``z_i = w_i c(cell_i)``.

        Parameters
        ----------
        coefficients : callable
            ``coefficients(table)`` gives, for each row (cell) of a level-counts table,
            the value per unit of weight of each linearized estimate: an array of
            shape ``(cells,)`` or ``(cells, k)``. For a ratio ``R = sum w y / sum w``
            over a domain ``d`` it is ``d (y - R) / sum_d w``.
        by : list of str
            Extra columns the coefficients need (domains, rounds).

        Returns
        -------
        LinearizedCovariance
            ``covariance`` (k x k), ``units`` (sampling units: clusters, or answers
            when items are strata), ``strata``, ``lonely`` (strata with one unit).

        Notes
        -----
        With items as clusters the units' totals are ``Z_c = sum_cells w c`` and the
        covariance is :func:`~survey_analysis.design.variance.with_replacement_covariance`
        of them (R ``svyrecvar``). With items as strata each answer is a unit: per
        stratum the centred second moment of ``w_i c`` follows from the cells' weight
        sums ``w`` and squared-weight sums ``w2`` without the rows
        (``sum_i (w_i c - m)^2 = c^2 w2 - 2 m c w + n m^2`` per cell).
        """
        units_key = self.cluster + ([self.strata] if self.strata and self.strata not in self.cluster else [])
        table = self._table_for(list(dict.fromkeys(units_key + _as_list(by))))
        c = np.asarray(coefficients(table), dtype=float)
        c = c[:, None] if c.ndim == 1 else c
        n = table["n"].to_numpy(dtype=float)
        positive = self.positive_rows(table)
        w = table["w"].to_numpy(dtype=float) if self.weighted else n
        codes = table.groupby(units_key, sort=True, observed=True).ngroup().to_numpy()
        n_groups = int(codes.max()) + 1 if len(codes) else 0
        k = c.shape[1]
        first = w[:, None] * c
        if self.items_as == "clusters":
            z = np.stack([np.bincount(codes, weights=first[:, j], minlength=n_groups)
                          for j in range(k)], axis=1)
            cluster_frame = table[units_key].iloc[np.unique(codes, return_index=True)[1]]
            stratum = (cluster_frame[self.strata].to_numpy() if self.strata
                       else np.zeros(n_groups, dtype=int))
            covariance, units, strata = with_replacement_covariance(z, stratum, self.lonely_cluster)
            sizes = pd.Series(stratum).value_counts()
            lonely = int((sizes == 1).sum()) if len(sizes) > 1 else 0
            live = np.bincount(codes, weights=positive, minlength=n_groups) > 0
            df = int(live.sum()) - int(pd.Series(stratum[live]).nunique())
            return LinearizedCovariance(covariance, units, strata, lonely, df)
        w2 = table["w2"].to_numpy(dtype=float) if self.weighted else n
        units = np.bincount(codes, weights=n, minlength=n_groups)
        sums = np.stack([np.bincount(codes, weights=first[:, j], minlength=n_groups)
                         for j in range(k)], axis=1)
        mean = (sums / np.maximum(units, 1.0)[:, None])[codes]          # stratum mean, per cell
        # sum over the cell's answers of (w_i c - m)(w_i c - m)^T
        cell = (w2[:, None, None] * c[:, :, None] * c[:, None, :]
                - first[:, :, None] * mean[:, None, :] - mean[:, :, None] * first[:, None, :]
                + n[:, None, None] * mean[:, :, None] * mean[:, None, :]).reshape(len(n), k * k)
        centred = np.stack([np.bincount(codes, weights=cell[:, j], minlength=n_groups)
                            for j in range(k * k)], axis=1).reshape(n_groups, k, k)
        labels = table[units_key].iloc[np.unique(codes, return_index=True)[1]].astype(str) \
            .agg(" x ".join, axis=1).to_numpy()
        covariance = stratified_covariance(centred, sums, units, labels, self.lonely_cluster)
        lonely = int((units == 1).sum()) if n_groups > 1 else 0
        live = np.bincount(codes, weights=positive, minlength=n_groups)
        df = int(live.sum()) - int((live > 0).sum())
        return LinearizedCovariance(covariance, int(units.sum()), n_groups, lonely, df)

    # -- changing the design -------------------------------------------------------------
    def with_definition(self, satisfied) -> Design:
        """The same design and counts under another definition of "satisfied"."""
        if self.scales.keys() == {"counts"} and satisfied not in (None, "default"):
            raise ValueError("a table of counts fixes the definition of satisfied: only its own "
                             "count of satisfied answers is known")
        new = copy.copy(self)
        new.definition = resolve_definition(self.scales, satisfied)
        return new

    def updated(self, **changes) -> Design:
        """A design with some options changed: a new definition reuses the counts; new
        clusters, strata, groups or weights recount (from the responses, or the file)."""
        design_keys = {"cluster", "strata", "weight", "groups", "item", "duplicates"}
        if not set(changes) & design_keys:
            new = self.with_definition(changes.get("satisfied", self.definition_spec))
            for name, allowed in (("lonely_cluster", LONELY_CLUSTER_RULES), ("items_as", ITEMS_AS)):
                if name in changes:  # a variance rule: the counts stay
                    new = copy.copy(new)
                    check_choice(name, changes[name], allowed)
                    setattr(new, name, changes[name])
            return new
        if self._source_input is None:
            raise ValueError("a design built from a counts table cannot be recounted; build a new "
                             "one with Survey.from_counts(...)")
        options = dict(satisfied=self.definition_spec, cluster=self.cluster, strata=self.strata,
                       weight=self.weight if self.weight is not None else False,
                       groups=self.groups, item=self.item, engine=self._engine, rating=self._rating,
                       scale=self._scale, labels=self._labels, lonely_cluster=self.lonely_cluster,
                       items_as=self.items_as, duplicates=getattr(self, "_duplicates", "error"))
        options.update(changes)
        return type(self)(self._source_input, **options)

    @property
    def definition_spec(self):
        """The definition in force, in a form ``satisfied=`` accepts."""
        return None if self.definition.is_default else dict(self.definition.levels)

    # -- description ----------------------------------------------------------------------
    @property
    def n_responses(self) -> int:
        """Valid answers counted."""
        return int(self.counts_table["n"].sum())

    @property
    def n_items(self) -> int:
        """Items with at least one valid answer."""
        return int(self.counts_table[self.item].nunique())

    def describe(self, lang: str = "en") -> str:
        """The design in one paragraph: answers, items, clusters, strata, weights, definition."""
        cluster = " x ".join(self.cluster)
        census = getattr(self, "items_as", "clusters") == "strata"
        if lang == "zh":
            cluster = " × ".join("事项" if c == self.item else c for c in self.cluster)
            units = (f"层：{cluster}（事项普查，回答为抽样单位）" + (f" × {self.strata}" if self.strata else "")
                     if census else f"群：{cluster}；层：{self.strata or '无'}")
            return (f"{self.n_responses:,} 个有效回答，{self.n_items} 个事项；{units}；"
                    f"权重：{self.weight or '无'}；" + self.definition.sentence("zh"))
        units = (f"strata: {cluster}{' x ' + self.strata if self.strata else ''} (a census of items; "
                 "answers are the sampling units)" if census
                 else f"clusters: {cluster}; strata: {self.strata or 'none'}")
        return (f"{self.n_responses:,} valid answers on {self.n_items} items; {units}; "
                f"weights: {self.weight or 'none'}. " + self.definition.sentence("en"))

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.describe()}>"


_DEFAULTS = {"satisfied": None, "cluster": "item_id", "strata": None, "weight": None, "groups": (),
             "item": "item_id", "engine": "auto", "rating": "rating", "scale": "auto", "labels": None,
             "lonely_cluster": "fail", "items_as": "clusters", "duplicates": "error"}


def as_design(source, **options) -> Design:
    """``source`` as a :class:`Design`: a Design is used as it is, with any option given
    here that differs from its default applied to it (a new definition costs nothing);
    anything else becomes a new Design with these options."""
    unknown = set(options) - set(_DEFAULTS)
    if unknown:
        raise TypeError(f"unknown design option(s) {sorted(unknown)}")
    if isinstance(source, Design):
        changes = {k: v for k, v in options.items() if not _same(v, _DEFAULTS[k])}
        return source.updated(**changes) if changes else source
    return Design(source, **options)


def _same(value, default) -> bool:
    if isinstance(value, (list, tuple)) and isinstance(default, (list, tuple)):
        return list(value) == list(default)
    return value is default or (isinstance(value, str) and value == default)

