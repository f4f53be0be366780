"""Design-based comparisons of groups (domains): rates, differences and Rao-Scott tests.

A domain is a subset of the answers -- a district, a channel, a survey round -- that
is not a stratum of the design: its size is random, and its answers share clusters
(items) with the other domains. Its rate ``p_d = sum_d w y / sum_d w`` is a ratio,
linearized as ``z_i = w_i d_i (y_i - p_d) / sum_d w`` (Woodruff 1971), and every
variance and covariance here is the design variance of such totals under the design
in force (clusters or items as strata, strata, weights; see
:meth:`~survey_analysis.design.design.Design.linearized_covariance`). This is what R
``svyby(~y, ~d, design, svymean, covmat = TRUE)`` and ``svycontrast`` compute, and
:func:`rao_scott_test` is R ``svychisq``.

* :func:`domain_rates` -- the rate of each domain with its design-based standard error;
* :func:`domain_differences` -- every pair of domains (or chosen pairs): difference,
  standard error from the joint covariance (domains may share clusters), t interval
  and p-value on the degrees of freedom of the clusters holding the two domains;
* :func:`rao_scott_test` -- is satisfaction independent of the domain? Pearson's
  statistic with the Rao-Scott first- or second-order correction.

A domain's degrees of freedom are those of the clusters that hold it (Korn & Graubard
1999, sec. 5.2): its clusters minus the strata holding them. A domain held by a single
cluster has no variance estimate -- its linearized values sum to zero in that cluster,
so its design variance is 0 whatever the answers -- and gets none here (R ``svyby``
reports a standard error of 0 and the design's degrees of freedom).

References
----------
.. [1] Woodruff, R. S. (1971). A simple method for approximating the variance of a
   complicated estimate. JASA 66, 411-414.
.. [2] Rao, J. N. K., Scott, A. J. (1984). On chi-squared tests for multiway
   contingency tables with cell proportions estimated from survey data. Annals of
   Statistics 12, 46-60.
.. [3] Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley.
.. [4] Korn, E. L., Graubard, B. I. (1999). Analysis of Health Surveys, sec. 5.2. Wiley.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import sparse, stats

from .._validation import check_choice, tail_probability
from ..design.design import as_design
from ..design.variance import kish_n, t_quantile
from ..words import Note, SurveyError, frame_html, join_notes, shorten
from .intervals import binomial_ci
from .rates import FEW_DF

__all__ = ["RAO_SCOTT_LEVELS", "RAO_SCOTT_STATISTICS", "RaoScottTest", "domain_differences", "domain_rates",
           "rao_scott_test"]

RAO_SCOTT_STATISTICS = ("F", "Chisq")
#: The outcome a Rao-Scott test compares across groups: satisfied or not, or every level.
RAO_SCOTT_LEVELS = ("satisfied", "all")


def _outcome_categories(design, by: str, counts: pd.DataFrame, levels: str):
    """``(category, names)``: a function giving each cell of a level-counts table its outcome
    column (-1: none), and the columns' names -- (not satisfied, satisfied), or every
    (scale, level) some answer of the groups uses, best first."""
    if levels == "satisfied":
        return (lambda table: design.satisfied_flags(table).astype(np.int64)), ["not satisfied", "satisfied"]
    table = design.table_for([by])
    used = table.loc[(_domain_codes(table, [by], counts) >= 0) & (table["n"].to_numpy() > 0)
                     & (table["w"].to_numpy(dtype=float) > 0), ["scale", "rank"]]
    pairs = sorted(set(zip(used["scale"].astype(str), used["rank"].astype(int))))
    several = len({scale for scale, _ in pairs}) > 1

    def name(scale, rank):
        known = design.scales.get(scale)
        label = known.levels[rank - 1] if known is not None and 1 <= rank <= len(known.levels) else str(rank)
        return f"{scale}: {label}" if several else label

    index = pd.MultiIndex.from_tuples(pairs, names=["scale", "rank"]) if pairs else None

    def category(cells):
        if index is None:
            return np.full(len(cells), -1, dtype=np.int64)
        return index.get_indexer(pd.MultiIndex.from_arrays(
            [cells["scale"].astype(str).to_numpy(), cells["rank"].to_numpy(dtype=np.int64)]))

    return category, [name(*pair) for pair in pairs]


def _as_list(value) -> list:
    return [value] if isinstance(value, str) else list(value)


def _label_text(label) -> str:
    """A domain's label as text: its value, or its values joined by " x "."""
    return " x ".join(map(str, label)) if isinstance(label, tuple) else str(label)


def _domain_codes(table: pd.DataFrame, by: list, domains: pd.DataFrame) -> np.ndarray:
    """The position of each cell's domain in ``domains`` (-1 for a domain left out)."""
    index = pd.MultiIndex.from_frame(domains[by].astype(str))
    return index.get_indexer(pd.MultiIndex.from_frame(table[by].astype(str)))


def _domains(design, by: list):
    """Counts per domain, and the linearized covariance of the domain rates."""
    counts = design.counts(by)
    weight = counts["weight_sum"].to_numpy(dtype=float)
    satisfied = counts["satisfied_weight"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(weight > 0, satisfied / weight, np.nan)

    def coefficient(table):
        codes = _domain_codes(table, by, counts)
        y = design.satisfied_flags(table).astype(float)
        out = np.zeros((len(table), len(counts)))
        rows = np.flatnonzero(codes >= 0)
        rows = rows[weight[codes[rows]] > 0]
        out[rows, codes[rows]] = (y[rows] - rate[codes[rows]]) / weight[codes[rows]]
        return out

    def members(table):  # each domain's cells (the lonely-cluster rule inside domains)
        return _domain_codes(table, by, counts)[:, None] == np.arange(len(counts))[None, :]

    result = design.linearized_covariance(coefficient, by=by, members=members)
    return counts, rate, result


@dataclass(frozen=True)
class _DomainUnits:
    """The sampling units and strata holding each domain's answers (Korn & Graubard's df).

    ``units`` and ``strata`` (k,): units with an answer of positive weight in the domain,
    and the strata holding them; ``shared_units`` and ``shared_strata`` (k x k): those
    holding both of two domains (the diagonal: the domain's own). ``answers``: the units
    are answers (items as strata, or no clusters); ``stratified``: the design has strata
    other than the single whole-design one.
    """

    units: np.ndarray
    strata: np.ndarray
    shared_units: np.ndarray
    shared_strata: np.ndarray
    answers: bool
    stratified: bool

    @property
    def df(self) -> np.ndarray:
        """Each domain's degrees of freedom: its units minus the strata holding them."""
        return self.units - self.strata

    def pair_units(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Units holding domain ``i`` or domain ``j``."""
        return self.units[i] + self.units[j] - self.shared_units[i, j]

    def pair_df(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Degrees of freedom of the units holding domain ``i`` or ``j``: those units minus
        the strata holding them."""
        strata = self.strata[i] + self.strata[j] - self.shared_strata[i, j]
        return self.pair_units(i, j) - strata

    def no_df_note(self, d: int) -> Note:
        """Why domain ``d`` (with df < 1) has no variance estimate."""
        units, strata, df = int(self.units[d]), int(self.strata[d]), int(self.df[d])
        if self.answers:
            return Note("estimate.domains.domain_no_df_answers", answers=units, strata=strata, df=df)
        if self.stratified and units >= 2:
            return Note("estimate.domains.domain_no_df_strata", clusters=units, strata=strata, df=df)
        return Note("estimate.domains.domain_no_df", clusters=units)

    def few_note(self, units: int, df: int, pair: bool = False) -> Note:
        """1 <= df < FEW_DF: the interval rests on few units."""
        if self.answers:
            return Note("estimate.domains.pair_few_answers" if pair else "estimate.domains.domain_few_answers",
                        answers=int(units), df=int(df), few=FEW_DF)
        return Note("estimate.domains.pair_few" if pair else "estimate.domains.domain_few",
                    clusters=int(units), df=int(df), few=FEW_DF)


def _incidence(domain: np.ndarray, unit: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct units per domain (k,) and units shared by two domains (k x k), from the
    (domain, unit) code of each row."""
    n_units = int(unit.max()) + 1 if len(unit) else 1
    pairs = np.unique(domain.astype(np.int64) * n_units + unit)
    rows, cols = pairs // n_units, pairs % n_units
    held = sparse.csr_matrix((np.ones(len(pairs)), (rows, cols)), shape=(k, n_units))
    shared = np.rint((held @ held.T).toarray()).astype(np.int64)
    return np.bincount(rows, minlength=k).astype(np.int64), shared


def _domain_units(design, by: list, counts: pd.DataFrame) -> _DomainUnits:
    """Sampling units and strata holding each domain of ``counts`` (answers of positive
    weight inside the design's domain), for the domains' degrees of freedom."""
    unit_key = design.unit_columns()
    answers = not unit_key
    stratum_key = design.stratum_columns() if answers else ([design.strata] if design.strata else [])
    table = design.table_for(list(dict.fromkeys(unit_key + stratum_key + by)))
    codes = _domain_codes(table, by, counts)
    positive = design.positive_rows(table)
    rows = np.flatnonzero((codes >= 0) & (positive > 0))
    k, domain = len(counts), codes[rows]
    if stratum_key:
        stratum = table.groupby(stratum_key, sort=True, observed=True).ngroup().to_numpy()[rows]
    else:
        stratum = np.zeros(len(rows), dtype=np.int64)
    strata, shared_strata = _incidence(domain, stratum, k)
    if answers:
        # Every answer is a unit; domains share none (one domain per answer).
        units = np.rint(np.bincount(domain, weights=positive[rows], minlength=k)).astype(np.int64)
        shared_units = np.diag(units)
    else:
        unit = table.groupby(unit_key, sort=True, observed=True).ngroup().to_numpy()[rows]
        units, shared_units = _incidence(domain, unit, k)
    return _DomainUnits(units, strata, shared_units, shared_strata, answers, bool(stratum_key))


def _design_from(responses, options: dict, by):
    return as_design(responses, groups=_as_list(by), **options)


def domain_rates(responses, by, *, confidence_level: float = 0.95, satisfied=None,
                 cluster=None, strata=None, weight=None, items_as=None,
                 lonely_cluster=None, suppress=None) -> pd.DataFrame:
    """Satisfaction rate of each domain with its design-based standard error and interval.

    Parameters
    ----------
    responses : pandas.DataFrame, Survey, Design or path
        Tidy responses (with the ``by`` column), or a :class:`~survey_analysis.Survey`
        whose design is used as it is.
    by : str or list of str
        Domain column(s).
    confidence_level : float, default 0.95
    satisfied, cluster, strata, weight, items_as, lonely_cluster
        Design options as in :class:`~survey_analysis.Survey`; None keeps the default
        (or the Survey's own).
    suppress : int, str or None
        A publication rule (:func:`~survey_analysis.suppression_rule`): domains with
        fewer answers than its minimum keep ``n`` and ``df`` and lose ``rate``, ``se``
        and the interval; ``suppressed`` and ``suppressed_reason`` are added (see
        :func:`~survey_analysis.estimate.suppression.suppress`). Default None: no rule.

    Returns
    -------
    pandas.DataFrame
        One row per domain (sorted): the ``by`` column(s), ``n`` (answers), ``rate``,
        ``se``, ``ci_low``, ``ci_high`` (Wald on the t distribution with the domain's
        degrees of freedom ``df``, clipped to [0, 1]), ``df`` (see Notes), ``note``
        (why ``se`` and the interval are missing -- the domain has ``df < 1``, e.g. a
        single cluster holds it -- or that ``df`` is below 10 and the interval very
        uncertain; "" otherwise). ``se``, ``ci_low`` and ``ci_high`` are nan when
        ``df < 1``.

    Notes
    -----
    ``se`` is the domain's variance in the whole design (its answers' linearized values,
    0 outside it, in every stratum): R ``sqrt(diag(vcov(svyby(~sat, ~by, design,
    svymean, covmat = TRUE))))``. That is also R ``SE(svyby(...))``
    (``tests/R/reference_domains.R``) wherever ``df >= 1`` -- except under
    ``lonely_cluster="average"`` when a stratum holds none of the domain's answers:
    ``SE(svyby)`` computes each domain on its subset, where such strata do not exist,
    so it averages over fewer strata (``tests/R/reference_lonely_domain.R``: lonely
    stratum s2 outside domain X, ``vcov`` 0.1030 = ``se`` here, ``SE(svyby)`` 0.0892).
    With ``lonely_domain=True`` (:class:`~survey_analysis.Survey`) ``se`` is R's
    ``SE(svyby(...))`` under ``options(survey.adjust.domain.lonely = TRUE)``: only the
    strata holding the domain count, and a stratum where one cluster holds the domain
    is treated by the lonely-cluster rule (same test: ``"adjust"`` 0.1091 and 0.0404,
    ``"average"`` 0.0895 and 0.0745). The interval is the plain
    t interval of a domain; for one rate near 0% or 100% prefer
    :func:`~survey_analysis.overall_rate` on the domain's answers.

    A publication rule (``suppress``) hides rows after every domain is estimated: the
    other domains' rates, standard errors and degrees of freedom do not change with it.

    **Degrees of freedom of a domain** (Korn & Graubard 1999, sec. 5.2 [1]_; 1998
    [2]_): ``df_d`` = the sampling units (clusters) holding at least one answer of
    the domain (of positive weight) minus the strata holding those clusters; without
    strata the design is one stratum, so ``df_d`` = the domain's clusters - 1. When
    the answers are the units (``items_as="strata"`` or no clusters) they count as
    the units, and each item (x stratum) as a stratum. A domain spanning every
    cluster keeps the design's degrees of freedom (clusters - strata, R
    ``degf(design)``); a domain that is a category of items -- each item a cluster --
    has only its own items' degrees of freedom. This differs from R ``svyby`` /
    ``confint`` on purpose: R uses the design's degrees of freedom for every domain,
    and for a domain in one cluster reports a standard error of 0 (its linearized
    values sum to zero in that cluster whatever the answers), so a rate of 100% in
    one item looked exact. Here a domain with ``df_d < 1`` (fewer than two clusters,
    or one cluster per stratum) has no variance estimate: ``se`` and the interval
    are nan and ``note`` says why; ``1 <= df_d < 10`` is flagged as very uncertain.
    A domain whose answers are all alike (0% or 100%) has no design variance, and the
    t interval would have no width; its interval is Clopper-Pearson's (1934) on the
    domain's Kish effective number of answers instead, and ``note`` says so (R ``svyby``
    gives a standard error of 0 and an interval of no width).

    References
    ----------
    .. [1] Korn, E. L., Graubard, B. I. (1999). Analysis of Health Surveys, sec. 5.2.
       Wiley.
    .. [2] Korn, E. L., Graubard, B. I. (1998). Confidence intervals for proportions
       with small expected number of positive counts estimated from survey data.
       Survey Methodology 24, 193-201.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"item_id": list("AAABBBCCCDDD"), "district": list("XXXXXXYYYYYY"),
    ...                   "scale": "yes_no", "rank": [1, 1, 2, 1, 1, 1, 1, 2, 2, 1, 1, 1]})
    >>> domain_rates(r, "district")[["district", "n", "rate", "df"]].round(4)
      district  n    rate  df
    0        X  6  0.8333   1
    1        Y  6  0.6667   1

    Each district is held by two items (clusters): ``df = 2 - 1``. A district held by
    one item has no variance estimate:

    >>> one = r.assign(district=list("XXXYYYYYYYYY"))
    >>> out = domain_rates(one, "district")
    >>> int(out.loc[0, "df"]), bool(pd.isna(out.loc[0, "se"]))
    (0, True)
    >>> out.loc[0, "note"]
    'only 1 cluster(s) hold this domain: no variance estimate'
    >>> domain_rates(r, "district", suppress=7)[["district", "n", "rate", "suppressed"]]
      district  n  rate  suppressed
    0        X  6   NaN        True
    1        Y  6   NaN        True
    """
    from .suppression import suppress as suppress_rows
    from .suppression import suppression_rule

    rule = suppression_rule(suppress)  # a bad rule is refused before anything is counted
    design = _design_from(responses, dict(satisfied=satisfied, cluster=cluster, strata=strata,
                                          weight=weight, items_as=items_as,
                                          lonely_cluster=lonely_cluster), by)
    by = _as_list(by)
    tail = tail_probability(confidence_level, "two-sided")
    counts, rate, result = _domains(design, by)
    units = _domain_units(design, by, counts)
    df = units.df
    estimable = df >= 1
    se = np.where(estimable, np.sqrt(np.clip(np.diag(result.covariance), 0.0, None)), np.nan)
    half = t_quantile(np.maximum(df, 1), tail) * se
    out = counts[by + ["n"]].copy()
    out["rate"], out["se"] = rate, se
    low, high = np.clip(rate - half, 0, 1), np.clip(rate + half, 0, 1)
    # Every answer of the domain alike (0% or 100%): no design variance, and a Wald interval
    # of no width would claim certainty. Clopper-Pearson's on the domain's effective number
    # of answers (Kish) says what that many alike answers can show.
    alike = estimable & (se == 0) & (counts["n"].to_numpy() > 0) & ((rate == 0) | (rate == 1))
    if alike.any():
        kish = kish_n(counts["weight_sum"].to_numpy(dtype=float), counts["weight_sq_sum"].to_numpy(dtype=float))
        exact = binomial_ci(rate[alike] * kish[alike], kish[alike], method="clopper_pearson",
                            confidence_level=confidence_level)
        low[alike], high[alike] = exact.low, exact.high
    out["ci_low"], out["ci_high"] = low, high
    out["df"] = df
    # Notes only for the flagged domains (a data frame column of Notes: English text that
    # a report can say in Chinese).
    note = np.full(len(out), "", dtype=object)
    for d in np.flatnonzero(~estimable):
        note[d] = units.no_df_note(d)
    for d in np.flatnonzero(estimable & (df < FEW_DF)):
        note[d] = units.few_note(units.units[d], df[d])
    for d in np.flatnonzero(alike):
        note[d] = join_notes(note[d], Note("estimate.domains.domain_all_alike", n=round(float(kish[d]), 1)))
    out["note"] = pd.Series(note, index=out.index, dtype=object)  # object: keeps the Notes
    return suppress_rows(out, rule)


def domain_differences(responses, by, *, pairs=None, confidence_level: float = 0.95,
                       satisfied=None, cluster=None, strata=None, weight=None, items_as=None,
                       lonely_cluster=None) -> pd.DataFrame:
    """Differences between domain rates with their design-based intervals and p-values.

    Parameters
    ----------
    responses : pandas.DataFrame, Survey, Design or path
        Tidy responses with the ``by`` column, or a Survey.
    by : str or list of str
        Domain column, or columns whose combinations are the domains (a banner's
        cells: row x column); the labels are then tuples of values.
    pairs : list of (label, label), optional
        Which differences (``rate(first) - rate(second)``); default every pair of
        domains in sorted order, ``(a, b)`` with ``a`` before ``b``. Compare only the
        pairs needed when there are many domains (``k`` domains have ``k (k - 1) / 2``
        pairs).
    confidence_level : float, default 0.95
    satisfied, cluster, strata, weight, items_as, lonely_cluster
        Design options, as in :func:`domain_rates`.

    Returns
    -------
    pandas.DataFrame
        One row per pair: ``group_1``, ``group_2``, ``n_1``, ``rate_1``, ``n_2``,
        ``rate_2``, ``difference`` (``rate_1 - rate_2``), ``se``, ``ci_low``,
        ``ci_high``, ``statistic`` (``difference / se``), ``df`` (of the clusters
        holding either domain, see Notes), ``p_value`` (two-sided, t on ``df``),
        ``confidence_level``, ``note`` (why an interval is missing: zero design
        variance -- both domains' answers all alike, p = 1 when the difference is 0
        too -- or a domain without degrees of freedom, named, whose ``se``, interval,
        ``statistic`` and ``p_value`` are nan; or that ``df`` is below 10 and the
        interval very uncertain).

    Notes
    -----
    ``se^2 = v_11 + v_22 - 2 v_12`` from the joint linearized covariance of the
    domain rates, so answers of both domains about the same item (shared clusters)
    are accounted for: R ``svycontrast(svyby(~sat, ~by, design, svymean,
    covmat = TRUE), c(1, -1))`` (``tests/R/reference_domains.R``, to 1e-8) wherever
    both domains have degrees of freedom. The interval and p-value use the t
    distribution, as R ``svyttest`` and ``svyciprop`` do (R's ``confint`` of a
    ``svycontrast`` uses the normal quantile instead, the same for many clusters),
    on the degrees of freedom of the clusters holding either domain (Korn & Graubard
    1999, sec. 5.2 [1]_): (clusters holding an answer of domain 1 or of domain 2) -
    (strata holding those clusters); without strata, those clusters - 1. When either
    domain has fewer than 10 degrees of freedom of its own (``df_k`` as in
    :func:`domain_rates`), ``df`` is no more than Welch-Satterthwaite's
    ``(v_11 + v_22)^2 / (v_11^2 / df_1 + v_22^2 / df_2)`` (Satterthwaite 1946 [2]_): a
    category of 3 items compared with one of 135 is read on about 2 degrees of freedom,
    not 137, because the small domain's variance makes most of the difference's. With 10
    or more on both sides the t quantiles barely differ and the union's are kept.
    Two domains spanning every cluster keep the design's degrees of freedom (R
    ``degf(design)``, which R uses for every pair); two categories of items have only
    their own items'. A domain with no degrees of freedom of its own (one cluster, see
    :func:`domain_rates`) has no variance estimate, so neither has any difference
    with it: its rows are nan with a note, never a confident p-value (R gives the
    single-cluster domain a standard error of 0).

    References
    ----------
    .. [1] Korn, E. L., Graubard, B. I. (1999). Analysis of Health Surveys, sec. 5.2.
       Wiley.
    .. [2] Satterthwaite, F. E. (1946). An approximate distribution of estimates of
       variance components. Biometrics Bulletin 2(6), 110-114.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"item_id": list("AAABBBCCCDDD"), "district": list("XXXXXXYYYYYY"),
    ...                   "scale": "yes_no", "rank": [1, 1, 2, 1, 1, 1, 1, 2, 2, 1, 1, 1]})
    >>> domain_differences(r, "district")[["group_1", "group_2", "difference", "df"]].round(4)
      group_1 group_2  difference  df
    0       X       Y      0.1667  1.4706

    The four items hold X or Y (``4 - 1 = 3``), but each district has only 2 items (1
    degree of freedom each): Welch-Satterthwaite's 1.47 applies.
    """
    columns = _as_list(by)
    if not columns or not all(isinstance(c, str) for c in columns):
        raise SurveyError("estimate.one_column", name="by", value=by)
    design = _design_from(responses, dict(satisfied=satisfied, cluster=cluster, strata=strata,
                                          weight=weight, items_as=items_as,
                                          lonely_cluster=lonely_cluster), by)
    tail = tail_probability(confidence_level, "two-sided")
    counts, rate, result = _domains(design, columns)
    # A domain's label: its value, or the tuple of its values when ``by`` names several columns.
    keys = counts[columns].astype(str)
    labels = keys[columns[0]].tolist() if isinstance(by, str) else list(keys.itertuples(index=False, name=None))
    if pairs is None:
        index_pairs = list(combinations(range(len(labels)), 2))
    else:
        position = {label: p for p, label in enumerate(labels)}

        def key(value):
            return str(value) if isinstance(by, str) else tuple(map(str, value))
        unknown = [p for pair in pairs for p in pair if key(p) not in position]
        if unknown:
            raise SurveyError("estimate.domains.unknown_values", by=by, unknown=unknown,
                              labels=labels)
        index_pairs = [(position[key(a)], position[key(b)]) for a, b in pairs]
    i = np.array([p[0] for p in index_pairs], dtype=int)
    j = np.array([p[1] for p in index_pairs], dtype=int)
    v = result.covariance
    units = _domain_units(design, columns, counts)
    # Korn & Graubard: the degrees of freedom of the clusters holding either domain; a
    # domain without degrees of freedom of its own has no variance estimate.
    union_df = units.pair_df(i, j)
    df = _pair_df(union_df, np.diag(v)[i], units.df[i], np.diag(v)[j], units.df[j])
    estimable = (units.df[i] >= 1) & (units.df[j] >= 1)
    difference = rate[i] - rate[j]
    se = np.where(estimable, np.sqrt(np.clip(v[i, i] + v[j, j] - 2 * v[i, j], 0.0, None)), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = np.where(se > 0, difference / se, np.nan)
    safe_df = np.maximum(df, 1)
    half = np.where(estimable, t_quantile(safe_df, tail) * se, np.nan)
    p_value = np.where(estimable, 2 * stats.t.sf(np.abs(statistic), safe_df), np.nan)
    # No design variance (every answer of both domains alike, e.g. both at 100%): the
    # interval has no width and says nothing; the note says so and callers may fall back.
    degenerate = estimable & (se == 0)
    half = np.where(degenerate, np.nan, half)
    p_value = np.where(degenerate & (difference == 0), 1.0, p_value)
    # A column of Notes (English text a report can say in Chinese), built for flagged rows.
    note = np.full(len(i), "", dtype=object)
    label = (counts[by].to_numpy() if isinstance(by, str)
             else pd.Series(list(counts[columns].itertuples(index=False, name=None)), dtype=object).to_numpy())
    lacking = {d: Note("estimate.domains.pair_no_df", group=_label_text(label[d]), reason=units.no_df_note(d))
               for d in np.flatnonzero(units.df < 1)}  # each domain without df, said once
    for r in np.flatnonzero(~estimable):
        note[r] = join_notes(lacking.get(i[r], ""), lacking.get(j[r], ""))
    for r in np.flatnonzero(degenerate):
        note[r] = Note("estimate.domains.zero_variance")
    for r in np.flatnonzero(estimable & ~degenerate & (df < FEW_DF)):
        if df[r] < union_df[r]:   # capped by the smaller domain (Welch-Satterthwaite)
            small = i[r] if units.df[i[r]] <= units.df[j[r]] else j[r]
            note[r] = Note("estimate.domains.pair_few_small", group=_label_text(label[small]),
                           units=int(units.units[small]), df=round(float(df[r]), 1), few=FEW_DF)
        else:
            note[r] = units.few_note(units.pair_units(i[r], j[r]), df[r], pair=True)
    n = counts["n"].to_numpy()
    return pd.DataFrame({
        "group_1": label[i], "group_2": label[j],
        "n_1": n[i], "rate_1": rate[i], "n_2": n[j], "rate_2": rate[j],
        "difference": difference, "se": se,
        "ci_low": np.clip(difference - half, -1, 1), "ci_high": np.clip(difference + half, -1, 1),
        "statistic": statistic, "df": df, "p_value": p_value,
        "confidence_level": float(confidence_level),
        "note": pd.Series(note, dtype=object)})  # object: keeps the Notes


def _pair_df(union_df, var_1, df_1, var_2, df_2) -> np.ndarray:
    """Degrees of freedom of a difference of two domain rates: those of the clusters holding
    either domain, but no more than Welch-Satterthwaite's from each domain's own variance and
    degrees of freedom, so that a small domain compared with a large one is not read on the
    large one's degrees of freedom (its variance dominates the difference's)."""
    union_df = np.asarray(union_df, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        welch = (var_1 + var_2) ** 2 / (var_1 ** 2 / df_1 + var_2 ** 2 / df_2)
    # Only where a domain has few degrees of freedom of its own: with many on both sides the
    # t quantiles barely differ, and the union's are R's degf(design) (svyttest, svyciprop).
    few = (df_1 < FEW_DF) | (df_2 < FEW_DF)
    usable = few & np.isfinite(welch) & (df_1 >= 1) & (df_2 >= 1) & (var_1 + var_2 > 0)
    return np.where(usable, np.minimum(union_df, welch), union_df)


@dataclass(frozen=True)
class RaoScottTest:
    """Result of :func:`rao_scott_test`.

    Attributes
    ----------
    statistic : float
        ``"F"``: the Rao-Scott F, ``X^2 / trace(Delta)``; ``"Chisq"``: Pearson's ``X^2``
        itself, as R reports it (the p-value is that of ``X^2 / mean eigenvalue``).
    p_value : float
    ndf, ddf : float
        Degrees of freedom: ``"F"``: ``d0 = tr(Delta)^2 / tr(Delta^2)`` and ``d0 nu``
        (``nu`` = design degrees of freedom); ``"Chisq"``: ``groups - 1`` and nan.
    pearson : float
        Pearson's ``X^2`` of the weighted table scaled to the number of answers.
    mean_design_effect : float
        Mean of the generalized design effects (eigenvalues of ``Delta``): how much
        the design inflates the independent-answers statistic.
    kind : str
        ``"F"`` or ``"Chisq"``.
    table : pandas.DataFrame
        Per group: the group column, ``n``, ``rate`` (weighted).
    note : str

    See Also
    --------
    rao_scott_test : returns it.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"item_id": list("AAABBBCCCDDD"), "district": list("XXXXXXYYYYYY"),
    ...                   "scale": "yes_no", "rank": [1, 1, 2, 1, 1, 1, 1, 2, 2, 1, 1, 2]})
    >>> test = rao_scott_test(r, "district")
    >>> test.kind, int(test.to_frame().loc[0, "groups"])
    ('F', 2)
    """

    statistic: float
    p_value: float
    ndf: float
    ddf: float
    pearson: float
    mean_design_effect: float
    kind: str
    table: pd.DataFrame
    note: str = ""

    def __repr__(self) -> str:
        return shorten(f"<RaoScottTest {self.kind}: statistic {self.statistic:.4g} (ndf {self.ndf:.3g}, "
                       f"ddf {self.ddf:.3g}), p = {self.p_value:.3g}; mean design effect "
                       f"{self.mean_design_effect:.3g}; {len(self.table)} groups>")

    def _repr_html_(self) -> str:
        return frame_html(self.table, f"Rao-Scott {self.kind}: p = {self.p_value:.3g}",
                          percent_columns=("rate",))

    def to_frame(self) -> pd.DataFrame:
        """One row: ``method``, ``statistic``, ``ndf``, ``ddf``, ``p_value``, ``pearson``,
        ``mean_design_effect``, ``groups``, ``note``."""
        return pd.DataFrame([{"method": f"rao_scott_{self.kind.lower()}", "statistic": self.statistic,
                              "ndf": self.ndf, "ddf": self.ddf, "p_value": self.p_value,
                              "pearson": self.pearson, "mean_design_effect": self.mean_design_effect,
                              "groups": len(self.table), "note": self.note}])


def rao_scott_test(responses, by: str, *, statistic: str = "F", satisfied=None, cluster=None,
                   strata=None, weight=None, items_as=None, lonely_cluster=None,
                   levels: str = "satisfied", fpc=None) -> RaoScottTest:
    """Is satisfaction independent of the group? Pearson's test with the Rao-Scott correction.

    Parameters
    ----------
    responses : pandas.DataFrame, Survey, Design or path
        Tidy responses with the ``by`` column, or a Survey.
    by : str
        Group column (district, channel, round).
    statistic : {"F", "Chisq"}, default "F"
        * ``"F"`` -- second-order correction: ``X^2 / tr(Delta)`` on an F distribution
          with ``d0`` and ``d0 nu`` degrees of freedom, ``d0 = tr(Delta)^2 /
          tr(Delta^2)`` (Rao & Scott 1984; Thomas & Rao 1987); R ``svychisq(statistic
          = "F")``, its default and the better one for few clusters.
        * ``"Chisq"`` -- first-order correction: ``X^2`` divided by the mean
          generalized design effect on ``groups - 1`` degrees of freedom (Rao & Scott
          1981); R ``svychisq(statistic = "Chisq")``.
    satisfied, cluster, strata, weight, items_as, lonely_cluster, fpc
        Design options, as in :func:`domain_rates` (``fpc``: see
        :class:`~survey_analysis.Survey`).
    levels : {"satisfied", "all"}, default "satisfied"
        Which outcome is tested: ``"satisfied"`` -- satisfied or not (a groups x 2
        table); ``"all"`` -- the whole rating distribution, every level of the scale
        that some answer uses (a groups x levels table; with several scales each scale's
        level is its own column), as R ``svychisq(~rating + group, design)``. A level no
        answer uses is left out, as R tabulates the values present.

    Returns
    -------
    RaoScottTest
        ``statistic``, ``p_value``, ``ndf``, ``ddf``, ``pearson``,
        ``mean_design_effect``, ``kind``, ``table``, ``note``; ``.to_frame()``. With
        ``levels="all"`` the table also holds each level's weighted share per group
        (a column per level).

    Notes
    -----
    With ``P`` the estimated proportions of the groups x (not satisfied, satisfied)
    cells (weighted, with their linearized design covariance ``V``), ``X^2 = N sum
    (P_gs - P_g P_s)^2 / (P_g P_s)`` with ``N`` the number of answers, and
    ``Delta = (C' D^-1 C / N)^-1 C' D^-1 V D^-1 C`` with ``D = diag(P)`` and ``C`` the
    interaction contrasts orthogonal to the main effects: exactly R ``survey``'s
    ``svychisq`` (values in ``tests/R/reference_domains.R`` agree to 1e-8). Without
    clusters or weights, ``Delta`` is close to the identity and the test is close to
    Pearson's. The denominator degrees of freedom are the design's (``nu`` = clusters -
    strata), as R's. A group held by fewer than two clusters (answers, when they are
    the units) has no variance estimate (Korn & Graubard 1999, sec. 5.2; see
    :func:`domain_rates`): the test is then not done -- ``statistic`` and ``p_value``
    nan, and ``note`` names the group(s) -- where R would report a confident p-value
    built on that group's standard error of 0.

    References
    ----------
    .. [1] Rao, J. N. K., Scott, A. J. (1981). The analysis of categorical data from
       complex sample surveys. JASA 76, 221-230.
    .. [2] Rao, J. N. K., Scott, A. J. (1984). On chi-squared tests for multiway
       contingency tables with cell proportions estimated from survey data. Ann.
       Statist. 12, 46-60.
    .. [3] Thomas, D. R., Rao, J. N. K. (1987). Small-sample comparisons of level and
       power for simple goodness-of-fit statistics under cluster sampling. JASA 82,
       630-636.
    .. [4] Korn, E. L., Graubard, B. I. (1999). Analysis of Health Surveys, sec. 5.2.
       Wiley.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"item_id": list("AAABBBCCCDDDEEEFFF"), "district": list("XXXXXXXXXYYYYYYYYY"),
    ...                   "scale": "yes_no", "rank": [1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 2, 2, 1, 1, 2, 1, 2, 1]})
    >>> test = rao_scott_test(r, "district")
    >>> test.kind, bool(0 < test.p_value < 1)
    ('F', True)
    """
    check_choice("statistic", statistic, RAO_SCOTT_STATISTICS)
    check_choice("levels", levels, RAO_SCOTT_LEVELS)
    if not isinstance(by, str):
        raise SurveyError("estimate.one_column", name="by", value=by)
    design = _design_from(responses, dict(satisfied=satisfied, cluster=cluster, strata=strata,
                                          weight=weight, items_as=items_as,
                                          lonely_cluster=lonely_cluster, fpc=fpc), by)
    counts = design.counts([by])
    counts = counts.loc[counts["n"] > 0].reset_index(drop=True)
    groups = len(counts)
    if groups < 2:
        raise SurveyError("estimate.domains.two_groups", by=by, count=groups)
    total = float(counts["weight_sum"].sum())
    sat = counts["satisfied_weight"].to_numpy(dtype=float)
    group_weight = counts["weight_sum"].to_numpy(dtype=float)
    category, names = _outcome_categories(design, by, counts, levels)
    n_levels = len(names)
    # Cells in R's order: interaction(group, outcome), the group varying fastest.
    observed = design.table_for([by])
    codes_observed = _domain_codes(observed, [by], counts)
    kept = (codes_observed >= 0) & (category(observed) >= 0)
    cell_weight = np.bincount((codes_observed + groups * category(observed))[kept],
                              weights=observed["w"].to_numpy(dtype=float)[kept],
                              minlength=groups * n_levels)
    proportion = cell_weight / total

    def coefficient(table):
        codes = _domain_codes(table, [by], counts)
        level = category(table)
        cell = np.where((codes >= 0) & (level >= 0), codes + groups * level, -1)
        out = -np.broadcast_to(proportion, (len(table), n_levels * groups)).copy()
        rows = np.flatnonzero(cell >= 0)
        out[rows, cell[rows]] += 1.0
        return out / total

    result = design.linearized_covariance(coefficient, by=[by])
    n_answers = float(counts["n"].sum())
    rate = sat / group_weight
    table = counts[[by, "n"]].assign(rate=rate)
    if levels == "all":
        shares = cell_weight.reshape(n_levels, groups) / group_weight[None, :]
        table = table.assign(**{str(name): shares[i] for i, name in enumerate(names)})
    row_share = group_weight / total
    col_share = cell_weight.reshape(n_levels, groups).sum(axis=1) / total
    expected = np.concatenate([row_share * col_share[level] for level in range(n_levels)])
    if n_levels < 2 or np.any(col_share == 0):
        return RaoScottTest(np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, statistic, table,
                            Note("estimate.domains.same_outcome"))
    pearson = float(n_answers * np.sum((proportion - expected) ** 2 / expected))
    rows_factor = np.tile(np.arange(groups), n_levels)
    cols_factor = np.repeat(np.arange(n_levels), groups)
    main = np.column_stack([np.ones(n_levels * groups)]
                           + [(rows_factor == g).astype(float) for g in range(1, groups)]
                           + [(cols_factor == c).astype(float) for c in range(1, n_levels)])
    interaction = np.column_stack([((rows_factor == g) & (cols_factor == c)).astype(float)
                                   for c in range(1, n_levels) for g in range(1, groups)])
    # Interaction contrasts with the main effects projected out (R: qr.resid(qr(X1), X12[...]))
    contrast = interaction - main @ np.linalg.lstsq(main, interaction, rcond=None)[0]
    inverse = np.where(proportion > 0, 1.0 / np.where(proportion > 0, proportion, 1.0), 0.0)
    scaled = contrast * inverse[:, None]
    denominator = contrast.T @ scaled / n_answers
    numerator = scaled.T @ result.covariance @ scaled
    delta = np.linalg.solve(denominator, numerator)
    trace, trace_sq = float(np.trace(delta)), float(np.trace(delta @ delta))
    if not trace > 0 or not trace_sq > 0:
        # No variance between the design's units (one item as the only cluster): the
        # design-based test is undefined, not significant.
        return RaoScottTest(np.nan, np.nan, np.nan, np.nan, pearson, np.nan, statistic, table,
                            Note("estimate.domains.no_variance", units=int(result.units)))
    units = _domain_units(design, [by], counts)
    lonely_groups = np.flatnonzero(units.units < 2)
    if len(lonely_groups):
        # A group in one cluster has a design variance of 0 whatever its answers (its
        # linearized values sum to zero there): the test would be confidently wrong.
        names = ", ".join(repr(str(g)) for g in counts[by].to_numpy()[lonely_groups])
        return RaoScottTest(np.nan, np.nan, np.nan, np.nan, pearson, np.nan, statistic, table,
                            Note("estimate.domains.groups_one_answer" if units.answers
                                 else "estimate.domains.groups_one_cluster", groups=names))
    mean_deff = trace / delta.shape[0]
    nu = result.units - result.strata  # svychisq counts every unit, zero weights too
    note = ""
    if nu < 1:
        note = Note("estimate.domains.no_df")
    if statistic == "F":
        d0 = trace * trace / trace_sq
        value = pearson / trace
        p_value = float(stats.f.sf(value, d0, d0 * nu)) if nu >= 1 else np.nan
        return RaoScottTest(value, p_value, d0, d0 * nu, pearson, mean_deff, "F", table, note)
    p_value = float(stats.chi2.sf(pearson / mean_deff, delta.shape[0]))
    return RaoScottTest(pearson, p_value, float(delta.shape[0]), np.nan, pearson, mean_deff, "Chisq",
                        table, note)
