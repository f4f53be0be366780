"""A study's design and its sufficient counts: built once, never changed.

:class:`Design` is where a survey's design lives -- clusters, strata, weights, the
scales and the definition of "satisfied" -- as R's ``svydesign`` object is for every
``svy*`` function. It turns its input into **level counts**
(:class:`~survey_analysis.design.level_counts.LevelCounts`): answers per item x cluster x
stratum x group x level, with weight sums. Every estimate is a function of these
counts, so a file is scanned once and a new definition of "satisfied" costs nothing.

A Design is **immutable**: assigning an attribute raises ``AttributeError``. Methods
that change something return a new one: :meth:`Design.with_definition`,
:meth:`Design.with_options`, :meth:`Design.subset` (a domain kept inside the design, as
R's ``subset(design, ...)``), :meth:`Design.poststratify`, :meth:`Design.rake` and
:meth:`Design.trim` (calibrated weights, with the variance that calibration implies).

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

:class:`survey_analysis.Survey` adds the estimators as methods; the plain functions
(``sa.item_rates(responses, ...)``) build a design with :func:`as_design` and run the
same code.
"""

from __future__ import annotations

import copy
import html
from types import MappingProxyType

import numpy as np
import pandas as pd

from .._validation import check_choice
from ..load.counts_table import unit_columns
from ..load.engines import check_columns, is_dask_frame, source_columns, source_level_counts
from ..load.report import changed_after_loading
from ..scales.definition import resolve_definition
from ..scales.scale import scales_of
from ..words import Hint, Message, SurveyError, say
from .calibration import (
    Calibration,
    as_population,
    cell_codes,
    equal_weights_within,
    poststratified_weights,
    rake_adjustment,
    raked_weights,
    trim_weights,
    weight_values,
)
from .covariance import LinearizedCovariance, linearized_covariance
from .level_counts import (
    COUNTS_SCALE,
    LevelCounts,
    counts_table_level_counts,
    resolve_weight,
    tidy_level_counts,
    two_level_counts,
    with_weight_sums,
)
from .options import (
    COUNTING_OPTIONS,
    DESIGN_OPTIONS,
    DUPLICATES,
    ENGINES,
    ITEMS_AS,
    LONELY_CLUSTER_RULES,
    LONELY_DOMAIN,
    normalized,
)
from .variance import check_nesting, kish_n

__all__ = ["COUNTS_SCALE", "ITEMS_AS", "Design", "as_design",
           "check_source_columns", "is_tidy_responses", "resolve_weight"]

_TIDY = ("scale", "rank")


def is_tidy_responses(source) -> bool:
    """True for a pandas DataFrame shaped like :func:`~survey_analysis.load_responses` output."""
    return isinstance(source, pd.DataFrame) and set(_TIDY) <= set(source.columns)


def _as_list(value) -> list:
    return list(normalized("cluster", value))


def _same_definition(design, satisfied) -> bool:
    return resolve_definition(design.scales, satisfied).levels == design.definition.levels


class Design:
    """The design of a satisfaction survey and the sufficient counts of its answers.

    Parameters
    ----------
    responses : pandas.DataFrame, path, list of paths, folder, glob or Dask DataFrame
        Tidy responses, or long-format files / a Dask DataFrame (see the module notes).
    satisfied : None, str, collection of str or dict
        Who counts as satisfied (see
        :func:`~survey_analysis.scales.definition.resolve_definition`); default: each
        scale's own convention (``cn3``: 满意 + 基本满意; ``haochaping5``: not 差评).
    cluster : str, list of str or "none", default "item_id"
        Cluster (primary sampling unit) column(s). Several columns make one cluster of
        each combination, e.g. ``["item_id", "社区"]`` when an item was surveyed in
        several communities. ``[]`` (or ``"none"``): no clusters, every answer is its
        own sampling unit (R ``svydesign(ids = ~1)``).
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
        How files and Dask DataFrames are counted (``"dask"`` reads Parquet files with
        ``dask.dataframe``).
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
        :func:`~survey_analysis.design.variance.with_replacement_covariance`). By default
        the estimate stops with an error naming the strata, as R does: the choice
        changes the interval and must be the analyst's. Results state the rule in their
        ``note`` when a stratum has one cluster.
    fpc : str, optional
        Finite population correction: a column giving, per stratum, the population the
        sampling units were drawn from -- ``N_h``, the items (clusters) of the stratum's
        population, or the cases (answers) of an item when answers are the units
        (``items_as="strata"``: a callback survey that reached 30 of an item's 40 closed
        cases has 40 in that item's rows) -- or the sampling fraction ``f_h = n_h / N_h``
        itself: values at most 1 are fractions, larger ones population sizes, as R
        ``svydesign(fpc = ~column)`` [1]_. One value per stratum (without strata, one for
        the design). Every design variance multiplies stratum ``h``'s between-unit term by
        ``1 - f_h`` (:func:`~survey_analysis.design.fpc.sampling_fractions`): a stratum
        whose units were all taken adds none. Errors name the stratum whose value varies,
        is smaller than its sample, or mixes fractions with sizes. The weights are not
        changed: R derives weights ``N_h / n_h`` from the fpc when none are given, the
        package only from ``weight=``. ``design_effect`` stays the ratio to the
        with-replacement simple random sample (R ``deff = "replace"``); R's ``deff =
        TRUE`` compares with one drawn without replacement from ``sum(w)``:
        ``design_effect / (1 - n / sum(w))``.
    lonely_domain : bool, default False
        Apply the lonely-cluster rule inside domains, as R ``options(survey.adjust.
        domain.lonely = TRUE)``: a stratum where a single unit holds a domain's answers
        though the stratum has more is treated by ``lonely_cluster`` (``"adjust"``: its
        unit's total uncentred; ``"average"``: left out, the strata holding the domain
        scaled up; ``"remove"`` and ``"certainty"``: no change, as R; ``"fail"``: an error
        naming the strata), and only the strata holding the domain take part -- R's
        variance of ``svymean(~y, subset(design, ...))`` and ``SE(svyby(...))``. Applies to
        :meth:`subset` designs and to the domains of
        :func:`~survey_analysis.domain_rates` and
        :func:`~survey_analysis.domain_differences` (whose covariances keep the whole
        design's correlations; see
        :func:`~survey_analysis.design.variance.domain_lonely_variances`).
    scheduler : str, optional
        Address of a Dask scheduler (``"tcp://10.0.0.5:8786"``): files and Dask
        DataFrames are counted by the Dask engine on that cluster (see
        :func:`~survey_analysis.load.engines.source_level_counts`); an address that cannot
        be reached is an error naming it. Default: the current Dask scheduler.

    Attributes
    ----------
    sufficient : LevelCounts
        The level counts (:attr:`counts_table`), the count ranges of rounded
        percentages and the ledger (:attr:`report`).
    scales : dict
        Scale name -> :class:`~survey_analysis.scales.Scale`.
    definition : Definition
        The definition of "satisfied" in force.
    calibration : Calibration or None
        How the weights were calibrated (:meth:`poststratify`, :meth:`rake`).
    domain : dict or None
        The subset kept (:meth:`subset`): column -> values.

    References
    ----------
    .. [1] Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R, section 2.2
       and ``?survey::surveyoptions``. Wiley.
    """

    def __init__(self, responses, *, satisfied=None, cluster="item_id", strata=None, weight=None,
                 groups=(), item: str = "item_id", engine: str = "auto", rating: str = "rating",
                 scale="auto", labels=None, lonely_cluster: str = "fail",
                 items_as: str = "clusters", duplicates: str = "error", fpc=None,
                 lonely_domain: bool = False, scheduler: str | None = None):
        check_choice("engine", engine, ENGINES)
        check_choice("lonely_domain", lonely_domain, LONELY_DOMAIN)
        if fpc is not None and not isinstance(fpc, str):
            raise SurveyError("design.fpc.one", fpc=fpc)
        check_choice("duplicates", duplicates, DUPLICATES)
        check_choice("lonely_cluster", lonely_cluster, LONELY_CLUSTER_RULES)
        check_choice("items_as", items_as, ITEMS_AS)
        if isinstance(responses, Design):
            raise TypeError(say("design.already_built"))  # a programming mistake: not a ValueError
        cluster = _as_list(cluster)
        if strata is not None and not isinstance(strata, str):
            raise SurveyError("design.strata_one", strata=strata)
        item = str(item)
        groups = _as_list(groups)
        keys = _key_columns(item, cluster, strata, groups + ([fpc] if fpc else []))
        counting = dict(engine=engine, rating=rating, scale=scale, labels=labels, duplicates=duplicates,
                        scheduler=scheduler)
        responses_kept, percent_audit = None, None
        if isinstance(responses, pd.DataFrame) and (is_tidy_responses(responses) or engine != "pandas"):
            if not is_tidy_responses(responses):
                raise SurveyError("design.not_tidy", fix=Hint("engine", "pandas"))
            missing = [c for c in keys if c not in responses.columns]
            if missing:
                raise SurveyError("design.columns_missing", missing=missing,
                                  found=list(responses.columns),
                                  fix=Hint("keep_columns", missing))
            # A shallow copy: with pandas' copy-on-write, a later change to the caller's frame
            # does not reach this design (and the frame is never changed here).
            responses_kept = responses.copy(deep=False)
            weight = resolve_weight(responses, weight)
            known = scales_of(responses)
            table, unit = tidy_level_counts(responses, keys, known, weight)
            scales = {s.name: s for s in known.values()}
            report = changed_after_loading(responses.attrs.get("load_report"), len(responses))
            source = getattr(report, "source", "<DataFrame>")
        else:
            source = ("<DataFrame>" if isinstance(responses, pd.DataFrame) else
                      "<Dask DataFrame>" if is_dask_frame(responses) else str(responses))
            weight = weight or None
            table, report = source_level_counts(
                responses, keys=keys, item=item, rating=rating, weight=weight, engine=engine,
                scale=scale, labels=labels, duplicates=duplicates, scheduler=scheduler)
            table, unit = with_weight_sums(table), 1.0
            scales = dict(report.scales)
            if weight is not None and not np.isfinite(table["w2"].to_numpy(dtype=float)).all():
                raise SurveyError("design.weights_overflow", source=source, weight=weight)
        if weight is not None and len(table) and not (table["w"].to_numpy(dtype=float) > 0).any():
            # Every weight 0: no answer counts, so every rate would be 0/0.
            raise SurveyError("design.weights_all_zero", source=source, weight=weight, rows=int(table["n"].sum()))
        if cluster:
            check_nesting(table, cluster, strata)
        definition = resolve_definition(scales, satisfied)
        self._assemble(
            item=item, cluster=tuple(cluster), strata=strata, groups=tuple(groups), weight=weight,
            items_as=items_as, lonely_cluster=lonely_cluster, counting=counting,
            sufficient=LevelCounts(table, tuple(keys), None, report, unit), scales=scales,
            definition=definition, source=source, responses=responses_kept,
            percent_audit=percent_audit, calibration=None, domain=None, source_input=responses,
            fpc=fpc, lonely_domain=bool(lonely_domain))

    def _assemble(self, *, item, cluster, strata, groups, weight, items_as, lonely_cluster,
                  counting, sufficient, scales, definition, source, responses, percent_audit,
                  calibration, domain, source_input, fpc=None, lonely_domain=False) -> None:
        """Set every field at once (each construction path names them all)."""
        self.__dict__.update(
            fpc=fpc, lonely_domain=lonely_domain,
            item=item, cluster=cluster, strata=strata, groups=groups, weight=weight,
            items_as=items_as, lonely_cluster=lonely_cluster, _counting=dict(counting),
            sufficient=sufficient, _scales=dict(scales), definition=definition, source=source,
            _responses=responses, percent_audit=percent_audit, calibration=calibration,
            domain=domain, _source_input=source_input, _recounts={}, _memo={})

    def _evolve(self, **changes):
        """A new design of the same type with some fields changed (the counts shared)."""
        new = copy.copy(self)
        new.__dict__.update(changes)
        new.__dict__["_recounts"] = {} if "sufficient" in changes else self._recounts
        new.__dict__["_memo"] = {}  # any field may change a count: computed again
        return new

    def _memoized(self, key: tuple, compute):
        """``compute()`` once per design and ``key`` (a design never changes: every change
        is a new design); a table is returned as a copy, so a caller may change its own.
        An analysis asks for the same counts a dozen times (1e5 items: 40 ms each)."""
        if key not in self._memo:
            self._memo[key] = compute()
        value = self._memo[key]
        return value.copy() if isinstance(value, pd.DataFrame) else value

    def __setattr__(self, name, value):
        raise AttributeError(say("design.read_only", kind=type(self).__name__, name=name))

    def __delattr__(self, name):
        self.__setattr__(name, None)

    # -- construction from a table of counts -------------------------------------------------
    @classmethod
    def from_counts(cls, table, *, item="item_id", n: str = "n", satisfied: str | None = None,
                    percent: str | None = None, dissatisfied: str | None = None,
                    percent_dissatisfied: str | None = None, strata: str | None = None, groups=(),
                    decimals: int | None = None, rounding: str = "half_up", duplicates: str = "error",
                    sheet=0, encoding: str | None = None, header_row=None, source: str | None = None,
                    lonely_cluster: str = "fail", items_as: str = "clusters",
                    warn_share: float | None = None, percent_scale: str | None = None,
                    fpc: str | None = None, lonely_domain: bool = False):
        """A design from a table of counts per item (unit), or of rounded percentages.

        Parameters
        ----------
        table : pandas.DataFrame, str or path
            One row per item (with its groups): a DataFrame, or a CSV / Excel file read
            by :func:`~survey_analysis.load.counts_table.read_counts_table` (title rows,
            headers over two rows and totals rows handled; every excluded row counted).
        item : str or list of str
            Column holding the item (unit), or columns that name it together (a
            hospital's name and state: ``["facility_name", "state"]``; CLI ``--counts
            item=facility_name+state``): their values joined with ``" / "``, the column
            named ``"facility_name + state"``.
        n : str
            Column holding the number of valid answers.
        satisfied : str, optional
            Column holding the satisfied answers. Default ``"satisfied"`` unless another
            value column is given. Any count over any ``n`` works the same way: a table
            of 办结数 over 受理数 gives the closure rate (``satisfied="办结数"``).
        percent : str, optional
            Column holding a published percentage (``"96.75%"``) instead of a count.
            The satisfied counts consistent with its rounding are derived per row
            (:func:`~survey_analysis.counts_from_percentages`), the whole column read with
            one precision (``decimals``). A row whose percentage fits no count of its
            ``n`` is excluded, counted (``percent_fits_no_count``: the ledger warns of
            any) and listed in :attr:`percent_audit`; when such rows are more than
            ``warn_share`` of the table, a :class:`~survey_analysis.words.SurveyWarning`
            names ``decimals=`` too.
        dissatisfied, percent_dissatisfied : str, optional
            Column holding the dissatisfied count (不满意数) or a published dissatisfied
            percentage (不满意率): satisfied = ``n`` - dissatisfied (for a percentage, the
            satisfied counts are ``n`` minus each dissatisfied count it allows). The
            ledger's notes and :meth:`describe` say so. Exactly one of ``satisfied``,
            ``percent``, ``dissatisfied`` and ``percent_dissatisfied``.
        strata : str, optional
            Stratum column (items are the clusters).
        groups : list of str, optional
            Other columns to keep (e.g. a district for per-group tables).
        decimals : int, optional
            Decimals the percentages were rounded to. Default: one precision for the
            column, the fewest decimals every value fits
            (:func:`~survey_analysis.load.percentages.column_decimals`): ``74.0``,
            ``33.00`` and ``96`` are whole percentages (0), ``96.5`` beside ``97`` gives 1.
            The ledger's notes say which and why.
        rounding : {"half_up", "half_even", "truncate"}
            How the percentages were rounded (see
            :func:`~survey_analysis.counts_from_percentages`); ``"half_up"`` (四舍五入).
        duplicates : {"error", "sum"}, default "error"
            An item named on more than one row (with the same groups): an error listing
            the names and their lines and proposing an id column or ``item=[name,
            state]`` that tells them apart; ``"sum"`` adds the rows up (the ledger's notes
            say how many names).
        sheet, encoding, header_row
            For a file, as in :func:`~survey_analysis.load_responses`.
        source : str, optional
            Name shown in reports (default the file name, or ``"<counts table>"``).
        lonely_cluster : str, default "fail"
            A stratum with one item, as in :class:`Design`.
        items_as : {"clusters", "strata"}, default "clusters"
            Items as a sample of clusters or as the strata of a census, as in
            :class:`Design`.
        fpc : str, optional
            Column of the population size (items in the stratum's population) or
            sampling fraction per stratum, as in :class:`Design`.
        lonely_domain : bool, default False
            The lonely-cluster rule inside domains, as in :class:`Design`.
        warn_share : float, optional
            Share of excluded rows above which the ledger warns (as in
            :func:`~survey_analysis.load_responses`; default 0.05), and share of rows
            fitting no count above which a Python warning is issued.
        percent_scale : {"percent", "fraction"}, optional
            How the percentages are written: ``"percent"`` (97.4) or ``"fraction"``
            (0.974 = 97.4%; CLI ``--counts ... percent_scale=fraction``). Default
            percentages, but a column whose every value is at most 1 without a % sign
            is an error naming both readings (see
            :func:`~survey_analysis.load.counts_table.read_counts_table`).

        Returns
        -------
        Design
            (a :class:`~survey_analysis.Survey` when called on it).

        Warns
        -----
        SurveyWarning
            More than ``warn_share`` of the rows have a percentage that fits no count.

        Notes
        -----
        The definition of "satisfied" is the table's own: it cannot be changed, and
        the answers' levels are not known (no definition sensitivity or answer
        shares). The items are the clusters.

        With a percentage, a row's count is known only to lie in ``k_min..k_max``
        (``"99%"`` of 300 is 296 to 298). The counts used for point estimates are the
        consistent count nearest ``percent * n / 100``; the item rates, the overall
        rate and the verdicts on claims widen their intervals to run from the lower
        bound at ``k_min`` to the upper bound at ``k_max`` (columns ``satisfied_min`` and
        ``satisfied_max`` say when the count is not exact). Funnel, shrinkage and the
        chance of 100% use the nearest counts. An item is at 100% only when every count
        its percentage allows is ``n`` (:func:`~survey_analysis.items_at_100`); a
        published "100%" that fewer satisfied answers also print as (299 of 300 at 0
        decimals) is listed by :func:`~survey_analysis.estimate.rates.items_rounding_to_100`.

        Examples
        --------
        >>> import pandas as pd
        >>> counts = pd.DataFrame({"unit": ["A", "B"], "n": [20, 30], "satisfied": [19, 30]})
        >>> d = Design.from_counts(counts, item="unit")
        >>> d.counts()[["unit", "n", "satisfied"]].to_dict("list")
        {'unit': ['A', 'B'], 'n': [20, 30], 'satisfied': [19, 30]}

        Published percentages, read with the column's two decimals: 96.75% of 400 is
        exactly 387; 99.00% of 4226 fits no count; "99%" is 99.00%, 297 of 300:

        >>> table = pd.DataFrame({"单位": ["甲", "乙", "丙"], "回访量": [400, 4226, 300],
        ...                       "满意率": ["96.75%", "99.00%", "99%"]})
        >>> import warnings
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")   # 1 of 3 rows fits no count: a SurveyWarning
        ...     d = Design.from_counts(table, item="单位", n="回访量", percent="满意率")
        >>> d.percent_audit[["单位", "decimals", "k_min", "k_max", "consistent"]]
          单位  decimals  k_min  k_max  consistent
        0  甲         2    387    387        True
        1  乙         2   <NA>   <NA>       False
        2  丙         2    297    297        True
        >>> d.report.excluded
        {'percent_fits_no_count': 1}

        A 12345 notice's dissatisfied rate: 2.5% of 400 dissatisfied is 10, so 390 satisfied:

        >>> notice = pd.DataFrame({"单位": ["甲"], "回访量": [400], "不满意率": ["2.5%"]})
        >>> Design.from_counts(notice, item="单位", n="回访量", percent_dissatisfied="不满意率").counts()[
        ...     ["单位", "n", "satisfied"]].to_dict("list")
        {'单位': ['甲'], 'n': [400], 'satisfied': [390]}
        """
        check_choice("lonely_cluster", lonely_cluster, LONELY_CLUSTER_RULES)
        check_choice("items_as", items_as, ITEMS_AS)
        check_choice("lonely_domain", lonely_domain, LONELY_DOMAIN)
        parts = unit_columns(item)
        extra = list(dict.fromkeys(c for c in [*_as_list(strata), *_as_list(groups), *_as_list(fpc)]
                                   if c not in parts))
        sufficient, audit, name = counts_table_level_counts(
            table, item=item, n=n, satisfied=satisfied, percent=percent, dissatisfied=dissatisfied,
            percent_dissatisfied=percent_dissatisfied, keep=extra, decimals=decimals, rounding=rounding,
            duplicates=duplicates, sheet=sheet, encoding=encoding, header_row=header_row, source=source,
            warn_share=warn_share, percent_scale=percent_scale)
        keys = list(sufficient.keys)
        item = keys[0]  # the unit column: the header, or several headers joined
        check_nesting(sufficient.table, [item], strata)
        scales = {"counts": COUNTS_SCALE}
        design = cls.__new__(cls)
        design._assemble(
            item=item, cluster=(item,), strata=strata,
            groups=tuple(g for g in keys if g not in (item, strata, fpc)), weight=None,
            items_as=items_as, lonely_cluster=lonely_cluster,
            counting=dict(engine="pandas", rating="", scale="auto", labels=None, duplicates="error",
                          scheduler=None),
            sufficient=sufficient, scales=scales,
            definition=resolve_definition(scales, None), source=name, responses=None,
            percent_audit=audit, calibration=None, domain=None, source_input=None, fpc=fpc,
            lonely_domain=bool(lonely_domain))
        return design

    # -- what it holds ----------------------------------------------------------------------
    @property
    def scales(self):
        """Scale name -> :class:`~survey_analysis.scales.Scale` (read-only)."""
        return MappingProxyType(self._scales)

    @property
    def responses(self) -> pd.DataFrame | None:
        """The tidy responses the counts were made from (None for files and counts tables): a
        view of them, so changing it leaves the survey as it is."""
        return None if self._responses is None else self._responses.copy(deep=False)

    @property
    def counts_table(self) -> pd.DataFrame:
        """The level counts: the key columns, ``scale``, ``rank``, ``n``, ``w``, ``w2``,
        ``zero_weight`` (the whole design, whatever the domain)."""
        return self.sufficient.table.copy(deep=False)

    @property
    def report(self):
        """The ledger of the input (LoadReport or CountsReport), or None."""
        return self.sufficient.report

    def no_answer_error(self, purpose: str) -> SurveyError:
        """The error of a survey with no valid answer, saying why from its ledger (rows read,
        kept, excluded by reason) and what cannot be done (``purpose``: ``"claims"`` or
        ``"analysis"``)."""
        report, ledger = self.report, ""
        if report is not None:
            reasons = report.excluded_by_reason().to_dict() if hasattr(report, "excluded_by_reason") else {}
            listing = ", ".join(f"{reason} {rows}" for reason, rows in reasons.items()) or Message("design.none")
            ledger = Message("claims.ledger", {"read": report.rows_read, "kept": report.rows_kept, "listing": listing})
        return SurveyError("design.no_answer", source=self.source or "<responses>", ledger=ledger,
                           what=Message(f"design.no_answer.{purpose}"))

    @property
    def count_range(self):
        """Per unit, the satisfied counts its rounded percentage allows (None when exact)."""
        return self.sufficient.count_range

    @property
    def weight_unit(self) -> float:
        """1, or the largest weight when very large weights were divided by it."""
        return self.sufficient.weight_unit

    @property
    def weighted(self) -> bool:
        """True when respondent weights are used."""
        return self.weight is not None

    @property
    def keys(self) -> list:
        """Columns the counts are kept by."""
        return list(self.sufficient.keys)

    @property
    def options(self) -> dict:
        """The design's options, as :class:`Design` takes them (a new design with these
        options and the same input is this design)."""
        return dict(satisfied=self.definition_spec, cluster=list(self.cluster), strata=self.strata,
                    weight=self.weight if self.weight is not None else False,
                    groups=list(self.groups), item=self.item, items_as=self.items_as,
                    lonely_cluster=self.lonely_cluster, **self._counting, fpc=self.fpc,
                    lonely_domain=self.lonely_domain)

    @property
    def definition_spec(self):
        """The definition in force, in a form ``satisfied=`` accepts."""
        return None if self.definition.is_default else dict(self.definition.levels)

    # -- views of the counts ----------------------------------------------------------------
    def satisfied_flags(self, table: pd.DataFrame) -> np.ndarray:
        """Which rows (cells) of a level-counts ``table`` are satisfied levels under the
        definition in force."""
        cutoffs = self.definition.cutoffs()
        cutoff = table["scale"].map(cutoffs).to_numpy(dtype=float, na_value=np.nan)
        return table["rank"].to_numpy(dtype=float) <= cutoff

    def _recount(self, keys: list) -> pd.DataFrame:
        key = tuple(keys)
        if key not in self._recounts:
            responses = self._responses
            if responses is None:
                counted = [c for c in keys if c in self.sufficient.table.columns]
                raise SurveyError("design.not_counted", missing=[c for c in keys if c not in counted],
                                  keys=self.keys, fix=Hint("groups", [c for c in keys if c not in counted]))
            missing = [c for c in keys if c not in responses.columns]
            if missing:
                raise SurveyError("design.columns_missing", missing=missing,
                                  found=list(responses.columns), fix=Hint("keep_columns", missing))
            self._recounts[key], _ = tidy_level_counts(responses, keys, scales_of(responses), self.weight)
        return self._recounts[key]

    def in_domain(self, table: pd.DataFrame) -> np.ndarray:
        """Which rows of a level-counts ``table`` lie in the domain (:meth:`subset`)."""
        keep = np.ones(len(table), dtype=bool)
        for column, values in (self.domain or {}).items():
            keep &= table[column].isin(list(values)).to_numpy(dtype=bool)
        return keep

    def table_for(self, by, domain: bool = True) -> pd.DataFrame:
        """Level counts holding the ``by`` columns (recounted from the responses if
        needed), restricted to the domain unless ``domain=False``."""
        by = list(dict.fromkeys(by))
        table = self.sufficient.table
        if not set(by) <= set(table.columns):
            table = self._recount(self.keys + [c for c in by if c not in self.keys])
        if domain and self.domain:
            table = table.loc[self.in_domain(table)]
        return table

    def counts(self, by=None) -> pd.DataFrame:
        """Valid and satisfied answers per group, under the definition in force.

        Parameters
        ----------
        by : str or list of str, optional
            Grouping column(s); default the item column; ``[]`` gives one row of totals.

        Returns
        -------
        pandas.DataFrame
            The ``by`` columns (groups sorted), ``n`` and ``satisfied``, and the weight
            sums ``weight_sum``, ``satisfied_weight`` and ``weight_sq_sum`` (``n``,
            ``satisfied`` and ``n`` without weights: every answer weighs 1).
        """
        by = [self.item] if by is None else _as_list(by)
        return self._memoized(("counts", *by), lambda: self._counts(by))

    def _counts(self, by: list) -> pd.DataFrame:
        table = self.table_for(by)
        flag = self.satisfied_flags(table)
        n = table["n"].to_numpy(dtype=np.int64)
        w = table["w"].to_numpy(dtype=float)
        frame = pd.DataFrame({"n": n, "satisfied": np.where(flag, n, 0), "weight_sum": w,
                              "satisfied_weight": np.where(flag, w, 0.0),
                              "weight_sq_sum": table["w2"].to_numpy(dtype=float)})
        if not by:
            totals = frame.sum().to_frame().T.astype(frame.dtypes.to_dict())
            return totals.reset_index(drop=True)
        return frame.groupby([table[c].reset_index(drop=True) for c in by], sort=True,
                             observed=True).sum().reset_index()

    def effective_counts(self, counts: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """``(satisfied, n)`` for a binomial interval of each row of :meth:`counts`: the
        counts themselves without weights; with weights the weighted rate times Kish's
        effective number of answers, and that number (0 where no weight is positive).

        The one place where "weights or counts" is decided for intervals."""
        if not self.weighted:
            return counts["satisfied"].to_numpy(), counts["n"].to_numpy()
        weight_sum = counts["weight_sum"].to_numpy(dtype=float)
        n_effective = np.atleast_1d(np.nan_to_num(
            kish_n(weight_sum, counts["weight_sq_sum"].to_numpy(dtype=float)), nan=0.0))
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.where(weight_sum > 0, counts["satisfied_weight"].to_numpy(dtype=float)
                            / np.where(weight_sum > 0, weight_sum, 1.0), 0.0)
        return rate * n_effective, n_effective

    def level_counts(self, by=None) -> pd.DataFrame:
        """Answers per group and level: the ``by`` columns, ``scale``, ``rank``, ``rating``
        (the level), ``n``, ``w``, ``w2``; groups sorted."""
        by = [] if by is None else _as_list(by)
        return self._memoized(("level_counts", *by), lambda: self._level_counts(by))

    def _level_counts(self, by: list) -> pd.DataFrame:
        table = self.table_for(by)
        out = table.groupby(by + ["scale", "rank"], sort=True, observed=True)[["n", "w", "w2"]] \
            .sum().reset_index()
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
        keys = self.unit_columns() or [self.item]
        table = self.table_for(keys)
        y = self.satisfied_flags(table).astype(float) if values is None else values(table)
        w = table["w"].to_numpy(dtype=float)
        frame = pd.DataFrame({"n": table["n"].to_numpy(dtype=np.int64), "Y": w * y, "W": w})
        out = frame.groupby([table[c] for c in keys], sort=True, observed=True).sum().reset_index()
        out["stratum"] = out[self.strata] if self.strata else 0
        return out

    def positive_rows(self, table: pd.DataFrame | None = None) -> np.ndarray:
        """Answers with a positive weight in each row of a level-counts ``table`` (all of
        them without weights): the ``n`` of R's ``svyvar`` and of Kish's formulas."""
        table = self.table_for([]) if table is None else table
        return table["n"].to_numpy(dtype=float) - table["zero_weight"].to_numpy(dtype=float)

    def kish(self) -> tuple[float, float]:
        """Kish's effective number of answers and weighting design effect (n and 1 unweighted).

        Answers of weight 0 take no part (as R and
        :func:`~survey_analysis.kish_design_effect`): ``n`` counts positive weights."""
        table = self.table_for([])
        if not self.weighted:
            return float(table["n"].sum()), 1.0
        positive = float(self.positive_rows(table).sum())
        effective = kish_n(table["w"].sum(), table["w2"].sum())
        return float(effective), float(positive / effective) if effective else np.nan

    # -- the design variance -------------------------------------------------------------------
    def unit_columns(self) -> list:
        """Columns of a sampling unit (a cluster within its stratum); [] when answers are the
        units (items as strata, or no clusters)."""
        if self.items_as == "strata" or not self.cluster:
            return []
        return list(self.cluster) + ([self.strata] if self.strata and self.strata not in self.cluster else [])

    def stratum_columns(self) -> list:
        """Columns of a stratum when answers are the units (items as strata, or no clusters)."""
        key = list(self.cluster) if self.items_as == "strata" else []
        return key + ([self.strata] if self.strata and self.strata not in key else [])

    def linearized_covariance(self, coefficients, by=(), members=None) -> LinearizedCovariance:
        """Design covariance of estimates linearized as ``z_i = w_i c(cell_i)``: see
        :func:`~survey_analysis.design.covariance.linearized_covariance`, the one variance
        routine every estimator uses."""
        return linearized_covariance(self, coefficients, by, members)

    def n_clusters(self) -> int:
        """Clusters with answers in the domain (answers when there are no clusters)."""
        if not self.cluster:
            return self.n_responses
        return int(self.table_for(list(self.cluster)).groupby(list(self.cluster), observed=True).ngroups)

    # -- new designs -----------------------------------------------------------------------
    def with_definition(self, satisfied) -> Design:
        """The same design and counts under another definition of "satisfied"."""
        if self.scales.keys() == {"counts"} and satisfied not in (None, "default"):
            raise SurveyError("design.counts_definition")
        return self._evolve(definition=resolve_definition(self.scales, satisfied))

    def with_responses(self, responses, groups=()) -> Design:
        """The same design (options, calibration, subset) over other tidy ``responses``, e.g.
        the same answers with a column relabelled (dates made months), counting ``groups``
        too."""
        options = self.options
        options["groups"] = list(dict.fromkeys([*options["groups"], *groups, *(self.domain or {})]))
        return type(self)(responses, **options)._evolve(calibration=self.calibration, domain=self.domain)

    def with_options(self, **changes) -> Design:
        """A new design with some options changed (those of :class:`Design`).

        A new definition of "satisfied", ``items_as`` or ``lonely_cluster`` reuse the
        counts; new clusters, strata, groups or weights recount them (from the
        responses, or the file). The domain of a subset is kept.
        """
        unknown = sorted(set(changes) - set(DESIGN_OPTIONS))
        if unknown:
            raise TypeError(f"unknown design option(s) {unknown}; allowed: {list(DESIGN_OPTIONS)}")
        own = self.options
        changes = {k: v for k, v in changes.items() if not self._agrees(k, v, own)}
        if not changes:
            return self
        new = self
        if "satisfied" in changes:
            new = new.with_definition(changes.pop("satisfied"))
        if "fpc" in changes and (changes["fpc"] is None or changes["fpc"] in self.keys):
            value = changes.pop("fpc")  # a column already counted: the counts stay
            if value is not None and not isinstance(value, str):
                raise SurveyError("design.fpc.one", fpc=value)
            new = new._evolve(fpc=value)
        for name, allowed in (("lonely_cluster", LONELY_CLUSTER_RULES), ("items_as", ITEMS_AS),
                              ("lonely_domain", LONELY_DOMAIN)):
            if name in changes:  # a variance rule: the counts stay
                value = changes.pop(name)
                check_choice(name, value, allowed)
                new = new._evolve(**{name: value})
        if not changes:
            return new
        if self.calibration is not None:
            raise SurveyError("design.recount_calibrated", changes=sorted(changes))
        if self._source_input is None:
            raise SurveyError("design.counts_recount")
        options = dict(new.options)
        options.update(changes)
        if self.domain:
            options["groups"] = list(dict.fromkeys(_as_list(options.get("groups")) + list(self.domain)))
        source = self._responses if self._responses is not None else self._source_input
        rebuilt = type(self)(source, **options)
        return rebuilt._evolve(domain=self.domain) if self.domain else rebuilt

    def _agrees(self, keyword: str, value, own: dict) -> bool:
        if keyword == "satisfied":
            return _same_definition(self, value)
        if keyword == "groups":
            return set(normalized("groups", value)) <= set(self.keys)
        if keyword in COUNTING_OPTIONS and self._source_input is not None and is_tidy_responses(
                self._source_input):
            return True  # tidy responses are not counted from a file: nothing to compare
        return normalized(keyword, value) == normalized(keyword, own[keyword])

    def agreeing(self, **given) -> Design:
        """This design when every option ``given`` agrees with it (extra ``groups`` are
        counted from the responses); a :class:`~survey_analysis.words.SurveyError` naming
        both values when one does not."""
        unknown = sorted(set(given) - set(DESIGN_OPTIONS))
        if unknown:
            raise TypeError(f"unknown design option(s) {unknown}; allowed: {list(DESIGN_OPTIONS)}")
        own = self.options
        for keyword, value in given.items():
            if keyword == "groups" or self._agrees(keyword, value, own):
                continue
            fix = ("with_definition" if keyword == "satisfied" else "with_options")
            raise SurveyError("design.contradicts", keyword=keyword, given=value,
                              own=own[keyword], method=fix)
        groups = [c for c in normalized("groups", given.get("groups")) if c not in self.keys]
        if groups:
            self.table_for(groups)  # counted now, or the error naming groups=
        return self

    def subset(self, where: dict | None = None, **columns) -> Design:
        """The design restricted to a domain, kept inside the whole design (R ``subset``).

        Parameters
        ----------
        where : dict, optional
            Column -> value or list of values kept (for column names that are not
            Python identifiers).
        **columns
            The same as keywords: ``survey.subset(district="东区")``.

        Returns
        -------
        Design
            Every estimate of the new design covers the answers in the domain; the
            variance still sees every cluster and stratum of the whole design (the units
            outside add nothing), as for a domain in R ``svyby`` or ``subset(design, ...)``:
            the domain's size is random, not fixed by design.

        Examples
        --------
        >>> import pandas as pd
        >>> r = pd.DataFrame({"item_id": list("AABBCC"), "district": list("XXXXYY"),
        ...                   "scale": "yes_no", "rank": [1, 2, 1, 1, 1, 2]})
        >>> Design(r, groups=["district"]).subset(district="X").counts()[["item_id", "n"]]
          item_id  n
        0       A  2
        1       B  2
        """
        conditions = dict(where or {})
        conditions.update(columns)
        if not conditions:
            raise SurveyError("design.subset_empty")
        design = self
        missing = [c for c in conditions if c not in self.keys]
        if missing:
            if self.calibration is not None:
                raise SurveyError("design.not_counted_calibrated", missing=missing,
                                  fix=Hint("groups", list(self.groups) + missing))
            design = self.with_options(groups=list(self.groups) + missing)
        domain = dict(self.domain or {})
        for column, values in conditions.items():
            values = (values,) if isinstance(values, str) or not np.iterable(values) else tuple(values)
            present = set(design.counts_table[column].unique().tolist())
            unknown = [v for v in values if v not in present]
            if len(unknown) == len(values):
                raise SurveyError("design.subset_no_answer", column=column, values=list(values),
                                  present=sorted(map(str, present))[:20])
            kept = tuple(v for v in values if v not in unknown)
            domain[column] = tuple(v for v in domain[column] if v in kept) if column in domain else kept
        new = design._evolve(domain=domain)
        if new.n_responses == 0:
            raise SurveyError("design.subset_none", domain=domain)
        return new

    def at_count_bound(self, bound: str) -> Design:
        """The design with every count at the low (``"min"``) or high (``"max"``) end of
        the counts its published percentage allows (itself when the counts are exact)."""
        check_choice("bound", bound, ("min", "max"))
        if self.count_range is None:
            return self
        keys = [c for c in self.count_range.columns if c not in ("k_min", "k_max")]
        totals = self._evolve(domain=None).counts(keys)
        k = totals[keys].merge(self.count_range, on=keys, how="left")[f"k_{bound}"]
        table = two_level_counts(totals[keys], keys, k.to_numpy(dtype=np.int64),
                                 totals["n"].to_numpy(dtype=np.int64))
        sufficient = LevelCounts(table, self.sufficient.keys, None, self.report, self.weight_unit)
        return self._evolve(sufficient=sufficient)

    # -- calibration -------------------------------------------------------------------------
    def _calibration_units(self, columns: list):
        """``(units, w0, multiplicity)``: the answers of the responses (one weight each), or
        the cells of the counts (their answers share the cell's weight sum)."""
        if self.domain:
            raise SurveyError("design.calibrate_subset")
        responses = self._responses
        if responses is not None:
            missing = [c for c in columns if c not in responses.columns]
            if missing:
                raise SurveyError("design.columns_missing", missing=missing,
                                  found=list(responses.columns), fix=Hint("keep_columns", missing))
            # The weights as the responses hold them (the counts may hold them in weight_unit).
            w0 = (weight_values(responses[self.weight], Message("design.weights.column", {"column": self.weight}))
                  if self.weight else np.ones(len(responses)))
            return responses, w0, None
        missing = [c for c in columns if c not in self.keys]
        if missing:
            raise SurveyError("design.not_counted", missing=missing, keys=self.keys,
                              fix=Hint("groups", list(self.groups) + missing))
        table = self.sufficient.table
        return table, table["w"].to_numpy(dtype=float), table["n"].to_numpy(dtype=float)

    def _with_weights(self, units, w: np.ndarray, calibration) -> Design:
        """The same design with new weights per unit (answers or cells)."""
        column = self.weight or "weight"
        if self._responses is not None:
            new = type(self)(self._responses.assign(**{column: w}), **{**self.options, "weight": column})
            return new._evolve(calibration=calibration)
        old = units["w"].to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = np.where(old > 0, w / np.where(old > 0, old, 1.0), 0.0)
        table = units.assign(w=w, w2=units["w2"].to_numpy(dtype=float) * factor * factor)
        sufficient = LevelCounts(table, self.sufficient.keys, self.count_range, self.report, 1.0)
        return self._evolve(sufficient=sufficient, weight=column, calibration=calibration)

    def poststratify(self, by, population) -> Design:
        """Post-stratify: scale the weights so each cell's weight total is its population total.

        Parameters
        ----------
        by : str or list of str
            Column(s) defining the cells, e.g. ``"community"`` or ``["sex", "age"]``.
        population : pandas.Series, dict or pandas.DataFrame
            Known total per cell (e.g. households per community): a Series indexed by
            cell (a MultiIndex for several ``by`` columns), a dict, or a DataFrame with
            the ``by`` columns and one column of totals (like R's ``Freq``).

        Returns
        -------
        Design
            With the new weights (unweighted answers start from 1, so the new weights are
            ``N_h / n_h``) and :attr:`calibration` saying how they were made; its
            design-based variances account for the calibration.

        Raises
        ------
        ValueError
            Naming the cells: cells in the sample with no population total (or a zero
            total), population cells with no responses (cells with a zero total and no
            responses are dropped, as in R), cells whose weights are all zero; also
            missing ``by`` values and bad totals.

        Notes
        -----
        ``w_i' = w_i N_h / sum_{j in h} w_j`` for answer ``i`` in cell ``h``, as R
        ``survey::postStratify(design, ~by, population)`` (Holt & Smith 1979). The
        variance uses the residuals of the linearized values from their cell means
        (weighted by the weights before), exactly R ``svymean`` on ``postStratify``.
        """
        columns = [by] if isinstance(by, str) else list(by)
        if not columns:
            raise SurveyError("design.by_empty")
        units, w0, multiplicity = self._calibration_units(columns)
        what = Message("design.calibration.population")
        totals = as_population(population, columns, what)
        codes, totals = cell_codes(units, columns, totals, w0, what, multiplicity)
        w, adjustment, discrepancy = poststratified_weights(codes, w0, totals, columns, multiplicity)
        calibration = Calibration("poststratify", (tuple(columns),), adjustment,
                                  max_discrepancy=discrepancy, before=self)
        return self._with_weights(units, w, calibration)

    def rake(self, margins: dict, max_iter: int = 100, tol: float = 1e-10, trim=None) -> Design:
        """Rake the weights to several known margins (iterative proportional fitting).

        Parameters
        ----------
        margins : dict
            ``{column: totals}``: for each margin a column name (or a tuple of names
            for a crossed margin) and its known totals as a Series, dict or DataFrame
            (as ``population`` in :meth:`poststratify`). All margins must have the same
            grand total.
        max_iter : int, default 100
            Maximum number of sweeps (each sweep post-stratifies to every margin once).
        tol : float, default 1e-10
            Convergence when every cell's weighted total is within ``tol`` of its
            target, relative to the grand total (and, with ``trim``, no weight is more
            than ``tol`` (relative) outside its bounds).
        trim : (low, high), optional
            Bounds on the weights *relative to the mean weight* (grand total / number
            of positive weights), e.g. ``(0.2, 5)``; ``None`` for either side means no
            bound. After each sweep, weights outside are set to the bound, and raking
            goes on until the margins and the bounds hold together.

        Returns
        -------
        Design
            With the raked weights; :attr:`calibration` holds the adjustment per margin
            cell (``margin``, ``cell``, ``n``, ``weight_before``, ``target``,
            ``weight_after``), ``converged``, ``iterations``, ``max_discrepancy`` and
            ``n_trimmed``.

        Warns
        -----
        RuntimeWarning
            When not converged after ``max_iter`` sweeps, naming the margin with the
            largest discrepancy and its size (or the bound violation).

        Notes
        -----
        Each sweep multiplies, margin by margin, every weight by ``T_h / sum_{i in h}
        w_i`` for its cell ``h`` (Deming & Stephan 1940): the raking-ratio calibration
        estimator of Deville & Sarndal (1992); R ``calibrate(..., calfun = "raking")``
        gives the same weights. The variance uses the residuals of the regression on
        every margin's cells weighted by the weights before raking, as R ``svymean``
        on a ``calibrate(..., calfun = "raking")`` design (R's ``rake()`` approximates
        them by ten back-fitting sweeps of unweighted cell means, which differs slightly
        when the initial weights are unequal). Trimming alternates clipping with raking
        (Battaglia et al. 2009); the variance then still uses the raking
        linearization, an approximation.
        """
        if not isinstance(margins, dict) or not margins:
            raise SurveyError("design.margins")
        if int(max_iter) < 1:
            raise SurveyError("design.max_iter", value=max_iter)
        if not tol > 0:
            raise SurveyError("design.tol", value=tol)
        columns_of = [tuple([key] if isinstance(key, str) else list(key)) for key in margins]
        units, w0, multiplicity = self._calibration_units([c for m in columns_of for c in m])
        if trim is not None and multiplicity is not None and not equal_weights_within(units):
            raise SurveyError("design.trim_sums_rake")
        names, codes, targets = [], [], []
        for columns, totals in zip(columns_of, margins.values()):
            name = " x ".join(map(str, columns))
            what = Message("design.calibration.margin", {"name": name})
            series = as_population(totals, list(columns), what)
            c, series = cell_codes(units, list(columns), series, w0, what, multiplicity)
            names.append(name)
            codes.append(c)
            targets.append(series)
        fit = raked_weights(codes, targets, names, w0, max_iter, tol, trim, multiplicity)
        adjustment = rake_adjustment(codes, targets, names, w0, fit["weights"], multiplicity)
        calibration = Calibration("rake", tuple(columns_of), adjustment, converged=fit["converged"],
                                  iterations=fit["iterations"],
                                  max_discrepancy=float(fit["discrepancy"].max()),
                                  n_trimmed=int(fit["trimmed"].sum()), before=self)
        return self._with_weights(units, fit["weights"], calibration)

    def trim(self, lower=None, upper=None, strict: bool = False) -> Design:
        """Trim the weights to ``[lower, upper]``, spreading the trimmed amount over the
        others (R ``survey::trimWeights``; see :func:`~survey_analysis.trim_weights`).

        The new design keeps the calibration of this one, if any: its variance then
        treats the trimmed weights as calibrated, an approximation (as R does).
        """
        if self._responses is None:
            if not equal_weights_within(self.sufficient.table):
                raise SurveyError("design.trim_sums")
        if self.domain:
            raise SurveyError("design.trim_subset")
        units, w0, multiplicity = self._calibration_units([])
        if multiplicity is None:
            w = trim_weights(w0, lower, upper, strict=strict)
        else:  # cells of answers with one weight each: trim the answers' weight
            per_answer = np.repeat(w0 / np.maximum(multiplicity, 1), multiplicity.astype(np.int64))
            trimmed = trim_weights(per_answer, lower, upper, strict=strict)
            starts = np.concatenate([[0], np.cumsum(multiplicity.astype(np.int64))[:-1]])
            w = np.add.reduceat(trimmed, starts) if len(trimmed) else trimmed
        new = self._with_weights(units, w, self.calibration)
        return new

    # -- description -------------------------------------------------------------------------
    @property
    def n_responses(self) -> int:
        """Valid answers counted (in the domain)."""
        return int(self.table_for([])["n"].sum())

    @property
    def n_items(self) -> int:
        """Items with at least one valid answer (in the domain)."""
        return int(self.table_for([])[self.item].nunique())

    def describe(self, lang: str = "en") -> str:
        """The design in one paragraph: answers, items, clusters, strata, weights, definition."""
        census = self.items_as == "strata"
        cluster = (" × " if lang == "zh" else " x ").join(
            (say("measure.item", "zh") if lang == "zh" and c == self.item else c) for c in self.cluster)
        strata = self.strata or say("design.none", lang)
        if not self.cluster:
            units = say("design.units_answers", lang, strata=strata)
        elif census:
            units = say("design.units_census", lang, cluster=cluster,
                        strata=(" × " if lang == "zh" else " x ") + self.strata if self.strata else "")
        else:
            units = say("design.units_clusters", lang, cluster=cluster, strata=strata)
        parts = [say("design.describe", lang, answers=f"{self.n_responses:,}", items=self.n_items,
                     units=units, weight=self.weight or say("design.none", lang))]
        if self.calibration is not None:
            parts.append(say("design.calibrated", lang, method=self.calibration.method,
                             margins=", ".join(" x ".join(m) for m in self.calibration.margins)))
        if self.domain:
            parts.append(say("design.domain", lang, domain="; ".join(
                f"{c} = {', '.join(map(str, v))}" for c, v in self.domain.items())))
        columns = getattr(self.report, "columns", None) or {}
        for kind in ("dissatisfied", "percent_dissatisfied"):  # a table of dissatisfied counts or rates
            if kind in columns:
                what = "load.counts.what_count" if kind == "dissatisfied" else "load.counts.what_percent"
                parts.append(" " + say("load.counts.from_dissatisfied", lang, n=columns.get("n", "n"),
                                       column=columns[kind], what=Message(what)) + ".")
        return "".join(parts) + " " + self.definition.sentence(lang)

    def to_frame(self) -> pd.DataFrame:
        """The design as a small table: ``property``, ``value``."""
        rows = [("answers", self.n_responses), ("items", self.n_items),
                ("clusters", " x ".join(self.cluster) or "none (answers are the units)"),
                ("items as", self.items_as), ("strata", self.strata or "none"),
                ("weights", self.weight or "none"), ("lonely cluster", self.lonely_cluster),
                ("fpc", self.fpc or "none"), ("lonely domain", self.lonely_domain),
                ("satisfied", self.definition.describe("en")), ("source", self.source)]
        if self.calibration is not None:
            rows.append(("calibration", repr(self.calibration)))
        if self.domain:
            rows.append(("subset", "; ".join(f"{c} = {', '.join(map(str, v))}"
                                              for c, v in self.domain.items())))
        return pd.DataFrame(rows, columns=["property", "value"])

    def __repr__(self) -> str:
        text = self.describe()
        return f"<{type(self).__name__}: {text if len(text) <= 380 else text[:377] + '...'}>"

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><th style='text-align:left'>{html.escape(str(p))}</th>"
                       f"<td style='text-align:left'>{html.escape(str(v))}</td></tr>"
                       for p, v in self.to_frame().itertuples(index=False))
        return f"<table><caption>{type(self).__name__}</caption>{rows}</table>"


def check_source_columns(source, wanted) -> None:
    """Before a file or Dask DataFrame is scanned: every ``(keyword, column)`` of ``wanted``
    is one of its columns, else an error naming the column, the keyword and the columns
    found (no row is read)."""
    if is_dask_frame(source):
        check_columns([str(c) for c in source.columns], wanted, "<Dask DataFrame>")
    else:
        check_columns(source_columns(source), wanted, str(source))


def _key_columns(item: str, cluster: list, strata, groups: list) -> list:
    keys = [item]
    for column in list(cluster) + _as_list(strata) + list(groups):
        if column not in keys:
            keys.append(column)
    return keys


def as_design(source, **options) -> Design:
    """``source`` as a :class:`Design`, with the ``options`` given (``None`` = not given).

    A Design (a Survey) is used as it is when every option given agrees with it
    (:meth:`Design.agreeing`); an option that contradicts it is an error naming both
    values (build the other design with ``survey.with_options(...)``). Anything else
    becomes a new Design with the options given.
    """
    unknown = set(options) - set(DESIGN_OPTIONS)
    if unknown:
        raise TypeError(f"unknown design option(s) {sorted(unknown)}")
    given = {k: v for k, v in options.items() if v is not None}
    if isinstance(source, Design):
        return source.agreeing(**given)
    return Design(source, **given)
