"""Comparing satisfaction between groups: rate differences, tests of a group table, pairs.

Everything here works from counts per group (``n`` valid responses, ``satisfied``),
either given directly or counted from tidy responses with
:func:`~survey_analysis.satisfaction_counts`.

* :func:`rate_difference_ci` -- interval for ``p1 - p2`` (Newcombe's hybrid score
  interval by default), vectorized;
* :func:`compare_groups` -- one test of "all groups have the same rate" on the
  group x (satisfied, not satisfied) table;
* :func:`pairwise_comparisons` -- every pair of groups: difference, interval, Fisher
  exact p-value and its multiplicity adjustment.

Responses to the same item share that item's circumstances, so they are not
independent. By default both functions use the design (items as clusters, strata,
weights): the Rao-Scott test and design-based differences of
:mod:`survey_analysis.estimate.domains`, which need the answers (tidy responses or a
:class:`~survey_analysis.Survey`). The tests that treat answers as independent
(Fisher, Pearson, Newcombe) are chosen by name, whatever the input: when item rates
vary within a group, they overstate the evidence for a difference between groups. The
method is never chosen from the type of the input.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import special, stats

from .._validation import check_choice, tail_probability
from ..design.design import as_design, is_tidy_responses
from ..words import Hint, Note, SurveyError, frame_html, join_notes, shorten
from .domains import domain_differences, rao_scott_test
from .intervals import ConfidenceInterval, binomial_ci
from .multiplicity import PVALUE_ADJUSTMENTS, adjust_pvalues, simultaneous_confidence_level

__all__ = [
    "DIFFERENCE_CI_METHODS",
    "GROUP_TEST_METHODS",
    "PAIRWISE_METHODS",
    "GroupComparison",
    "compare_groups",
    "fisher_exact_pvalues",
    "pairwise_comparisons",
    "rate_difference_ci",
]

DIFFERENCE_CI_METHODS = ("newcombe", "wald")
GROUP_TEST_METHODS = ("rao_scott", "fisher", "chi2")
#: Intervals of :func:`pairwise_comparisons`: design-based, or answers as independent.
PAIRWISE_METHODS = ("design",) + DIFFERENCE_CI_METHODS


# --------------------------------------------------------------------------------------
# Difference of two rates
# --------------------------------------------------------------------------------------
def _common_index(*values):
    index = None
    for value in values:
        if isinstance(value, pd.Series):
            if index is not None and not value.index.equals(index):
                raise SurveyError("estimate.comparisons.indexes")
            index = value.index
    return index


def rate_difference_ci(k1, n1, k2, n2, *, method: str = "newcombe",
                       confidence_level: float = 0.95) -> ConfidenceInterval:
    """Confidence interval for the difference of two independent rates ``k1/n1 - k2/n2``.

    Parameters
    ----------
    k1, n1 : int, array_like or pandas.Series
        Satisfied and valid responses of the first group.
    k2, n2 : int, array_like or pandas.Series
        The same for the second group; all four are broadcast together.
    method : {"newcombe", "wald"}, default "newcombe"
        * ``"newcombe"`` -- hybrid score interval built from the two Wilson
          intervals, Newcombe (1998b) method 10. Good coverage for small ``n`` and
          for rates at 0% or 100%, no root finding; as R ``Epi::ci.pd(method = "Nc")``.
        * ``"wald"`` -- ``d -/+ z sqrt(p1 (1-p1)/n1 + p2 (1-p2)/n2)`` (Newcombe 1998b
          method 1), clipped to [-1, 1]. Shown only for contrast: it has zero width
          when both rates are 0% or 100%.
    confidence_level : float, default 0.95
        Two-sided level, strictly between 0 and 1.

    Returns
    -------
    ConfidenceInterval
        ``(low, high)`` for ``p1 - p2``: floats for scalar input, arrays for arrays,
        Series (keeping the index) when any input is a Series. ``nan`` where
        ``n1 = 0`` or ``n2 = 0``.

    Raises
    ------
    ValueError
        For an unknown method, a bad confidence level, negative counts, ``k > n``,
        or Series with different indexes.

    Notes
    -----
    With ``d = p1 - p2`` and Wilson limits ``(l1, u1)``, ``(l2, u2)`` at the same
    level (see :func:`~survey_analysis.binomial_ci`), method 10 of Newcombe (1998b) is

    .. math:: L = d - \\sqrt{(p_1 - l_1)^2 + (u_2 - p_2)^2}, \\quad
              U = d + \\sqrt{(u_1 - p_1)^2 + (p_2 - l_2)^2}.

    It reproduces Newcombe's Table II, e.g. 56/70 - 48/80: 0.0524 to 0.3339 and
    10/10 - 0/20: 0.6791 to 1.

    References
    ----------
    .. [1] Newcombe, R. G. (1998b). Interval estimation for the difference between
       independent proportions: comparison of eleven methods. Statistics in Medicine
       17, 873-890.
    .. [2] Wilson, E. B. (1927). Probable inference, the law of succession, and
       statistical inference. JASA 22, 209-212.

    Examples
    --------
    >>> from survey_analysis.estimate.comparisons import rate_difference_ci
    >>> low, high = rate_difference_ci(56, 70, 48, 80)       # Newcombe (1998b) Table II
    >>> round(low, 4), round(high, 4)
    (0.0524, 0.3339)
    >>> low, high = rate_difference_ci(10, 10, 0, 20)
    >>> round(low, 4), round(high, 4)
    (0.6791, 1.0)
    """
    check_choice("method", method, DIFFERENCE_CI_METHODS)
    q = tail_probability(confidence_level, "two-sided")
    index = _common_index(k1, n1, k2, n2)
    arrays = [np.asarray(v, dtype=float) for v in (k1, n1, k2, n2)]
    try:
        a1, b1, a2, b2 = np.broadcast_arrays(*arrays)
    except ValueError:
        raise SurveyError("estimate.comparisons.broadcast",
                          shapes=", ".join(str(a.shape) for a in arrays)) from None
    # binomial_ci checks the counts (non-negative, k <= n) and gives nan for n = 0.
    l1, u1 = binomial_ci(a1, b1, "wilson", confidence_level)
    l2, u2 = binomial_ci(a2, b2, "wilson", confidence_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p2 = a1 / b1, a2 / b2
        d = p1 - p2
        if method == "newcombe":
            low = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
            high = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
        else:
            half = -special.ndtri(q) * np.sqrt(p1 * (1 - p1) / b1 + p2 * (1 - p2) / b2)
            low, high = d - half, d + half
    low, high = np.clip(low, -1.0, 1.0), np.clip(high, -1.0, 1.0)
    if index is not None:
        return ConfidenceInterval(pd.Series(low, index=index, name="ci_low"),
                                  pd.Series(high, index=index, name="ci_high"))
    if low.ndim == 0:
        return ConfidenceInterval(float(low), float(high))
    return ConfidenceInterval(low, high)


def fisher_exact_pvalues(a, b, c, d) -> np.ndarray:
    """Two-sided Fisher exact p-values of many 2 x 2 tables ``[[a, b], [c, d]]`` at once.

    The sum of the hypergeometric probabilities of every table with the same margins that
    is no more likely than the observed one (relative tolerance ``1e-7``), as R
    ``fisher.test`` and :func:`scipy.stats.fisher_exact`. Written here because scipy
    takes one table per call (about a millisecond each): this evaluates all tables'
    supports on one padded grid, in chunks that bound the memory. ``nan`` where a table
    is empty.
    """
    a, b, c, d = (np.asarray(v, dtype=np.int64).ravel() for v in (a, b, c, d))
    out = np.full(a.size, np.nan)
    row, column, total = a + b, a + c, a + b + c + d
    low = np.maximum(0, row + column - total)
    high = np.minimum(row, column)
    width = high - low + 1
    valid = np.flatnonzero(total > 0)
    order = valid[np.argsort(width[valid], kind="stable")]
    start = 0
    while start < order.size:  # chunks of tables with similar supports, ~4e6 cells each
        stop = start + 1
        while stop < order.size and (stop - start + 1) * width[order[stop]] <= 4_000_000:
            stop += 1
        chunk = order[start:stop]
        grid = low[chunk, None] + np.arange(int(width[chunk].max()))[None, :]
        inside = grid <= high[chunk, None]
        log_pmf = stats.hypergeom.logpmf(grid, total[chunk, None], column[chunk, None], row[chunk, None])
        observed = stats.hypergeom.logpmf(a[chunk], total[chunk], column[chunk], row[chunk])
        keep = inside & (log_pmf <= observed[:, None] + np.log1p(1e-7))
        out[chunk] = np.minimum(1.0, np.where(keep, np.exp(log_pmf), 0.0).sum(axis=1))
        start = stop
    return out


# --------------------------------------------------------------------------------------
# Counts per group
# --------------------------------------------------------------------------------------
def _group_counts(data, group: str, satisfied, design: dict) -> tuple[pd.DataFrame, bool]:
    """Counts ``n`` and ``satisfied`` per group (answers, not weights), from a counts
    table or from anything a Survey is built from; and whether that survey is weighted
    (the counts then leave its weights out)."""
    if not isinstance(group, str):
        raise SurveyError("estimate.one_column", name="group", value=group)
    if isinstance(data, pd.DataFrame) and not is_tidy_responses(data):
        if group not in data.columns:
            raise SurveyError("estimate.comparisons.group_missing", group=group,
                              columns=list(data.columns))
        if not {"n", "satisfied"} <= set(data.columns):
            raise SurveyError("estimate.comparisons.counts_columns", group=group,
                              columns=list(data.columns))
        if satisfied is not None:
            raise SurveyError("estimate.comparisons.counts_satisfied", fix=Hint("satisfied", None))
        if any(v is not None for v in design.values()):
            raise SurveyError("estimate.comparisons.counts_design",
                              options=sorted(k for k, v in design.items() if v is not None))
        counts = (data.groupby(group, sort=True, observed=True)[["n", "satisfied"]].sum()
                  .reset_index())
        weighted = False
    else:
        survey = _survey(data, group, satisfied, design)
        counts, weighted = survey.counts([group])[[group, "n", "satisfied"]], survey.weighted
    k = counts["satisfied"].to_numpy(dtype=float)
    n = counts["n"].to_numpy(dtype=float)
    if np.any(k != np.round(k)) or np.any(n != np.round(n)):
        raise SurveyError("estimate.comparisons.whole_counts")
    if np.any(n < 0) or np.any(k < 0) or np.any(k > n):
        raise SurveyError("estimate.comparisons.counts_order")
    return counts, weighted


def _survey(data, group: str, satisfied, design: dict):
    """The design the answers were drawn under (a Survey's own, or one built on them)."""
    if isinstance(data, pd.DataFrame) and not is_tidy_responses(data):
        raise SurveyError("estimate.comparisons.no_design", fisher=Hint("method", "fisher"),
                          newcombe=Hint("method", "newcombe"))
    if not isinstance(group, str):
        raise SurveyError("estimate.one_column", name="group", value=group)
    return as_design(data, satisfied=satisfied, groups=[group], **design)


# --------------------------------------------------------------------------------------
# One test over all groups
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GroupComparison:
    """Result of :func:`compare_groups`.

    Attributes
    ----------
    method : str
        ``"fisher_exact"`` (2 groups), ``"fisher_monte_carlo"`` (more groups) or
        ``"chi2"`` (Pearson chi-square, no continuity correction).
    statistic : float
        Pearson ``X^2`` for ``"chi2"``; the sample odds ratio (satisfied odds of the
        first group over the second) for ``"fisher_exact"``; the null probability of
        the observed table for ``"fisher_monte_carlo"``. ``nan`` when undefined.
    df : float
        Degrees of freedom ``groups - 1`` for ``"chi2"``, else ``nan``.
    p_value : float
        p-value of "all groups have the same satisfaction rate".
    table : pandas.DataFrame
        One row per group compared: the group column, ``n``, ``satisfied``,
        ``not_satisfied``, ``rate``, ``expected_satisfied``, ``expected_not_satisfied``.
    min_expected : float
        Smallest expected count under equal rates.
    sparse : bool
        True when some expected count is below 5: the chi-square approximation may be
        poor (Cochran 1954); prefer ``method="fisher"``.
    note : str
        Plain-language remarks (groups left out, degenerate tables, sparseness).
    ddf : float
        Denominator degrees of freedom of the Rao-Scott F (``nan`` otherwise).
    design : str
        The design the test used (``"answers as independent"`` for the others).

    See Also
    --------
    compare_groups : returns it.

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.DataFrame({"category": ["a", "b"], "n": [20, 20], "satisfied": [18, 11]})
    >>> result = compare_groups(counts, method="fisher")
    >>> result
    <GroupComparison fisher_exact: statistic 7.364, p = 0.031; 2 groups; answers as independent>
    >>> result.to_frame()[["method", "p_value", "groups"]].round(4)
             method  p_value  groups
    0  fisher_exact    0.031       2
    """

    method: str
    statistic: float
    df: float
    p_value: float
    table: pd.DataFrame
    min_expected: float
    sparse: bool
    note: str
    ddf: float = np.nan
    design: str = Note("estimate.comparisons.independent")

    def __repr__(self) -> str:
        df = f" on {self.df:.3g}" + (f" and {self.ddf:.3g}" if np.isfinite(self.ddf) else "") + " df" \
            if np.isfinite(self.df) else ""
        return shorten(f"<GroupComparison {self.method}: statistic {self.statistic:.4g}{df}, "
                       f"p = {self.p_value:.3g}; {len(self.table)} groups; {self.design}>")

    def _repr_html_(self) -> str:
        caption = f"{self.method}: p = {self.p_value:.3g}" + (f"; {self.note}" if self.note else "")
        return frame_html(self.table, caption, percent_columns=("rate",))

    def to_frame(self) -> pd.DataFrame:
        """One-row summary: method, statistic, df, ddf, p_value, groups, min_expected, sparse,
        note, design."""
        return pd.DataFrame([{
            "method": self.method, "statistic": self.statistic, "df": self.df, "ddf": self.ddf,
            "p_value": self.p_value, "groups": len(self.table),
            "min_expected": self.min_expected, "sparse": self.sparse, "note": self.note,
            "design": self.design,
        }])


def compare_groups(
    data,
    group: str = "category",
    satisfied=None,
    method: str = "rao_scott",
    n_resamples: int = 9999,
    rng=None,
    **design,
) -> GroupComparison:
    """Test whether the satisfaction rate is the same in all groups.

    Parameters
    ----------
    data : pandas.DataFrame or Survey
        Tidy responses (from :func:`~survey_analysis.load_responses`) with a
        ``group`` column, a :class:`~survey_analysis.Survey`, or a counts table with
        columns ``group``, ``n`` and ``satisfied`` (e.g.
        :func:`~survey_analysis.item_rates` merged with the item catalogue); counts
        of rows in the same group are added up.
    group : str, default "category"
        Column defining the groups. For the bundled data, ``category`` comes from
        ``data/items.csv``: merge it onto the responses by ``item_id``.
    satisfied : None, str, collection of str or dict
        Definition of satisfied for responses (None: each scale's convention); must be
        None for a counts table.
    method : {"rao_scott", "fisher", "chi2"}, default "rao_scott"
        * ``"rao_scott"`` -- Pearson's statistic with the Rao-Scott second-order
          correction under the design (clusters, strata, weights): an F test, as R
          ``svychisq(statistic = "F")``; see :func:`~survey_analysis.rao_scott_test`.
          Needs the answers (tidy responses or a Survey), not a table of counts.
        * ``"fisher"`` -- Fisher's exact test conditional on the margins (Fisher
          1935). For two groups the exact two-sided p-value of
          :func:`scipy.stats.fisher_exact`, as R ``fisher.test``. For more groups
          (Freeman-Halton extension) scipy only offers a Monte Carlo p-value over
          ``n_resamples`` random tables with the same margins (scipy >= 1.15); R
          ``fisher.test`` computes it exactly.
        * ``"chi2"`` -- Pearson's chi-square test without continuity correction,
          :func:`scipy.stats.chi2_contingency` with ``correction=False``; as R
          ``chisq.test(correct = FALSE)`` and, for two groups, ``prop.test(correct =
          FALSE)``.

        Fisher's and Pearson's tests treat answers as independent and count answers,
        not weights (the ``note`` says so when the survey is weighted).
    n_resamples : int, default 9999
        Random tables for the Monte Carlo Fisher test.
    rng : int, numpy.random.Generator or None
        Seed or generator for the Monte Carlo Fisher test (set it for reproducible
        p-values).
    **design
        Design options for tidy responses (``cluster``, ``strata``, ``weight``,
        ``items_as``, ``lonely_cluster`` ...; see :class:`~survey_analysis.Survey`);
        with a Survey they must agree with its own.

    Returns
    -------
    GroupComparison
        ``method`` (``"rao_scott_f"``, ``"fisher_exact"``, ``"fisher_monte_carlo"``
        or ``"chi2"``), ``statistic``, ``df`` (``ddf`` too for Rao-Scott),
        ``p_value``, the group ``table`` with expected counts, ``min_expected``,
        ``sparse``, a ``note`` and the ``design``; ``.to_frame()`` gives a one-row
        summary.

    Raises
    ------
    ValueError
        For fewer than two groups with responses, a missing group column, counts
        that are not whole numbers, or a bad option.

    Notes
    -----
    The table has one row per group and the columns satisfied / not satisfied.
    Expected counts are ``E_gj = n_g C_j / N``; Pearson's statistic is
    ``X^2 = sum (O - E)^2 / E`` on ``G - 1`` degrees of freedom. Groups with no
    valid response are left out (and named in ``note``). If no group has any
    satisfied response, or every response is satisfied (every group at 100%), only
    one table has these margins, so the exact p-value is 1; the chi-square statistic
    is undefined (``nan``; R gives NaN).

    Fisher's and Pearson's tests treat responses as independent. Responses about
    one item are clustered; when item rates vary within groups, the effective sample
    size is smaller than the number of responses and those p-values are too small.
    That is why the default, whenever the answers are at hand, is the Rao-Scott test
    under the design (R ``svychisq``; values in ``tests/R/reference_domains.R``).

    References
    ----------
    .. [1] Fisher, R. A. (1935). The logic of inductive inference. JRSS 98, 39-82.
    .. [2] Freeman, G. H., Halton, J. H. (1951). Note on an exact treatment of
       contingency, goodness of fit and other problems of significance. Biometrika
       38, 141-149.
    .. [3] Pearson, K. (1900). On the criterion that a given system of deviations ...
       Philosophical Magazine 50, 157-175.
    .. [4] Cochran, W. G. (1954). Some methods for strengthening the common chi-square
       tests. Biometrics 10, 417-451.

    Examples
    --------
    >>> import pandas as pd
    >>> from survey_analysis.estimate.comparisons import compare_groups
    >>> counts = pd.DataFrame({"category": ["a", "b"], "n": [20, 20], "satisfied": [18, 11]})
    >>> res = compare_groups(counts, method="fisher")
    >>> res.method, round(res.p_value, 4)                 # R: fisher.test -> 0.03095
    ('fisher_exact', 0.031)
    >>> res = compare_groups(counts, method="chi2")
    >>> round(res.statistic, 4), res.df, round(res.p_value, 4)
    (6.1442, 1.0, 0.0132)
    """
    check_choice("method", method, GROUP_TEST_METHODS)
    if method == "rao_scott":
        return _rao_scott_comparison(_survey(data, group, satisfied, design), group)
    counts, weighted = _group_counts(data, group, satisfied, design)
    empty = counts["n"] == 0
    notes = []
    if weighted:
        notes.append(Note("estimate.comparisons.unweighted"))
    if empty.any():
        notes.append(Note("estimate.comparisons.left_out",
                          groups=", ".join(map(str, counts.loc[empty, group]))))
    counts = counts.loc[~empty].reset_index(drop=True)
    if len(counts) < 2:
        raise SurveyError("estimate.comparisons.two_groups_responses", group=group,
                          count=len(counts))
    observed = np.column_stack([counts["satisfied"].to_numpy(dtype=np.int64),
                                (counts["n"] - counts["satisfied"]).to_numpy(dtype=np.int64)])
    expected = stats.contingency.expected_freq(observed)
    table = counts[[group, "n", "satisfied"]].copy()
    table["not_satisfied"] = observed[:, 1]
    table["rate"] = table["satisfied"] / table["n"]
    table["expected_satisfied"] = expected[:, 0]
    table["expected_not_satisfied"] = expected[:, 1]
    min_expected = float(expected.min())
    sparse = bool(min_expected < 5)
    degenerate = bool(np.any(observed.sum(axis=0) == 0))

    df = np.nan
    if degenerate:
        name = {"fisher": "fisher_exact" if len(counts) == 2 else "fisher_monte_carlo",
                "chi2": "chi2"}[method]
        statistic, p_value = np.nan, 1.0
        notes.append(Note("estimate.comparisons.same_outcome"))
        if method == "chi2":
            df = float(len(counts) - 1)
        method = name
    elif method == "chi2":
        result = stats.chi2_contingency(observed, correction=False)
        statistic, p_value, df = float(result.statistic), float(result.pvalue), float(result.dof)
        method = "chi2"
        if sparse:
            share = float(np.mean(expected < 5))
            notes.append(Note("estimate.comparisons.sparse", share=share, smallest=min_expected,
                              fix=Hint("method", "fisher")))
    elif len(counts) == 2:
        result = stats.fisher_exact(observed)
        statistic, p_value = float(result.statistic), float(result.pvalue)
        method = "fisher_exact"
    else:
        if not hasattr(stats, "MonteCarloMethod"):  # pragma: no cover - old scipy
            raise SurveyError("estimate.comparisons.fisher_scipy", fix=Hint("method", "chi2"))
        result = stats.fisher_exact(
            observed, method=stats.MonteCarloMethod(n_resamples=int(n_resamples), rng=rng))
        statistic, p_value = float(result.statistic), float(result.pvalue)
        method = "fisher_monte_carlo"
        notes.append(Note("estimate.comparisons.monte_carlo", resamples=int(n_resamples)))
    return GroupComparison(method=method, statistic=statistic, df=df, p_value=p_value,
                           table=table, min_expected=min_expected, sparse=sparse,
                           note=join_notes(*notes))


def _rao_scott_comparison(survey, group: str) -> GroupComparison:
    counts = survey.counts([group])[[group, "n", "satisfied"]]
    empty = counts["n"] == 0
    counts = counts.loc[~empty].reset_index(drop=True)
    if len(counts) < 2:
        raise SurveyError("estimate.comparisons.two_groups_responses", group=group,
                          count=len(counts))
    test = rao_scott_test(survey, group, statistic="F")
    observed = np.column_stack([counts["satisfied"].to_numpy(dtype=np.int64),
                                (counts["n"] - counts["satisfied"]).to_numpy(dtype=np.int64)])
    expected = stats.contingency.expected_freq(observed)
    table = counts[[group, "n", "satisfied"]].copy()
    table["not_satisfied"] = observed[:, 1]
    table["rate"] = test.table["rate"].to_numpy()
    table["expected_satisfied"], table["expected_not_satisfied"] = expected[:, 0], expected[:, 1]
    min_expected = float(expected.min())
    notes = [test.note] if test.note else []
    if np.isfinite(test.p_value):
        notes.append(Note("estimate.comparisons.rao_scott", deff=test.mean_design_effect))
    # Every answer with the same outcome: no evidence of a difference (p = 1, as Fisher's).
    degenerate = bool(np.any(observed.sum(axis=0) == 0))
    return GroupComparison(method="rao_scott_f", statistic=test.statistic, df=test.ndf,
                           p_value=1.0 if degenerate else test.p_value, table=table, min_expected=min_expected, sparse=bool(min_expected < 5),
                           note=join_notes(*notes), ddf=test.ddf, design=survey.describe())


# --------------------------------------------------------------------------------------
# All pairs of groups
# --------------------------------------------------------------------------------------
def pairwise_comparisons(
    data,
    group: str = "category",
    satisfied=None,
    method: str = "design",
    confidence_level: float = 0.95,
    pvalue_adjustment: str = "holm",
    ci_adjustment: str | None = None,
    **design,
) -> pd.DataFrame:
    """Every pair of groups: rate difference, its interval, p-value, adjusted p-value.

    Parameters
    ----------
    data : pandas.DataFrame or Survey
        Tidy responses with a ``group`` column, a Survey, or a counts table with
        ``group``, ``n`` and ``satisfied`` (see :func:`compare_groups`).
    group : str, default "category"
        Column defining the groups.
    satisfied : None, str, collection of str or dict
        Definition of satisfied for responses (None: each scale's convention); None
        for a counts table.
    method : {"design", "newcombe", "wald"}, default "design"
        * ``"design"`` -- the design-based difference and its t interval and test
          (``method`` column ``"design_t"``); needs the answers (tidy responses or a
          Survey).
        * ``"newcombe"``, ``"wald"`` -- answers treated as independent (a table of
          counts allows only these): the interval of :func:`rate_difference_ci` and
          Fisher's exact p-value, on counts of answers (not weights).
    confidence_level : float, default 0.95
        ``1 - alpha`` for the rejections (after adjustment) and the intervals.
    pvalue_adjustment : str, default "holm"
        One of :data:`~survey_analysis.estimate.multiplicity.PVALUE_ADJUSTMENTS`
        Adjustment over the ``m`` pairs, see
        :func:`~survey_analysis.estimate.multiplicity.adjust_pvalues`.
    ci_adjustment : {None, "bonferroni", "sidak"}, default None
        None gives each interval ``confidence_level`` on its own; otherwise each
        interval gets the level at which all ``m`` intervals hold jointly (see
        :func:`~survey_analysis.estimate.multiplicity.simultaneous_confidence_level`).
    **design
        Design options for tidy responses, as in :func:`compare_groups`.

    Returns
    -------
    pandas.DataFrame
        One row per pair (groups sorted; pair ``(a, b)`` with ``a`` before ``b``):
        ``group_1``, ``group_2``, ``n_1``, ``satisfied_1``, ``rate_1``, ``n_2``,
        ``satisfied_2``, ``rate_2``, ``difference`` (``rate_1 - rate_2``), ``ci_low``,
        ``ci_high``, ``ci_level`` (level of each interval), ``p_value`` (two-sided
        Fisher exact; under a design the t test of the design-based difference),
        ``p_adjusted``, ``reject`` (``p_adjusted <= 1 - confidence_level``),
        ``method``, ``pvalue_adjustment``, ``confidence_level``; under a design also
        ``se``, ``df`` and ``note`` (as :func:`~survey_analysis.domain_differences`: why a
        pair has no test -- a group held by one cluster -- or few degrees of freedom), and
        ``rate_1``, ``rate_2`` are weighted when the design is.
        Pairs involving a group without responses get ``nan`` and are not counted in
        ``m``.

    Notes
    -----
    Under a design each difference's standard error comes from the joint
    linearized covariance of the group rates (groups may share items), as R
    ``svycontrast(svyby(...))``; see
    :func:`~survey_analysis.estimate.domains.domain_differences`. Without one, the
    Fisher p-value and the Newcombe interval are different procedures: near the 5%
    boundary one may exclude "no difference" and the other not. With ``G`` groups
    there are ``G (G - 1) / 2`` pairs.

    References
    ----------
    .. [1] Newcombe, R. G. (1998b). Interval estimation for the difference between
       independent proportions: comparison of eleven methods. Stat. Med. 17, 873-890.
    .. [2] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       Scandinavian Journal of Statistics 6, 65-70.

    Examples
    --------
    >>> import pandas as pd
    >>> from survey_analysis.estimate.comparisons import pairwise_comparisons
    >>> counts = pd.DataFrame({"category": ["a", "b", "c"], "n": [100, 100, 100],
    ...                        "satisfied": [90, 85, 70]})
    >>> out = pairwise_comparisons(counts, method="newcombe")
    >>> out[["group_1", "group_2", "difference", "p_adjusted", "reject"]].round(4)
      group_1 group_2  difference  p_adjusted  reject
    0       a       b        0.05      0.3928   False
    1       a       c        0.20      0.0020    True
    2       b       c        0.15      0.0343    True
    """
    check_choice("method", method, PAIRWISE_METHODS)
    check_choice("pvalue_adjustment", pvalue_adjustment, PVALUE_ADJUSTMENTS)
    check_choice("ci_adjustment", ci_adjustment, (None, "bonferroni", "sidak"))
    tail_probability(confidence_level, "two-sided")  # validates the level
    if method == "design":
        return _design_pairs(_survey(data, group, satisfied, design), group, confidence_level,
                             pvalue_adjustment, ci_adjustment)
    counts, _ = _group_counts(data, group, satisfied, design)
    if len(counts) < 2:
        raise SurveyError("estimate.comparisons.two_groups", group=group, count=len(counts))
    pairs = list(combinations(range(len(counts)), 2))
    i = np.array([p[0] for p in pairs], dtype=int)
    j = np.array([p[1] for p in pairs], dtype=int)
    k = counts["satisfied"].to_numpy(dtype=np.int64)
    n = counts["n"].to_numpy(dtype=np.int64)
    labels = counts[group].to_numpy()
    valid = (n[i] > 0) & (n[j] > 0)
    m = int(valid.sum())

    level = float(confidence_level)
    if ci_adjustment is not None and m > 0:
        level = simultaneous_confidence_level(confidence_level, m, ci_adjustment)
    low, high = rate_difference_ci(k[i], n[i], k[j], n[j], method=method,
                                   confidence_level=level)
    p_value = np.where(valid, fisher_exact_pvalues(k[i], n[i] - k[i], k[j], n[j] - k[j]), np.nan)
    p_adjusted = adjust_pvalues(p_value, pvalue_adjustment)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n > 0, k / np.where(n > 0, n, 1), np.nan)
    out = pd.DataFrame({
        "group_1": labels[i], "group_2": labels[j],
        "n_1": n[i], "satisfied_1": k[i], "rate_1": rate[i],
        "n_2": n[j], "satisfied_2": k[j], "rate_2": rate[j],
        "difference": rate[i] - rate[j], "ci_low": low, "ci_high": high,
        "ci_level": level, "p_value": p_value, "p_adjusted": p_adjusted,
        "reject": p_adjusted <= 1.0 - float(confidence_level),
    })
    out["method"] = method
    out["pvalue_adjustment"] = pvalue_adjustment
    out["confidence_level"] = float(confidence_level)
    return out


def _design_pairs(survey, group: str, confidence_level: float, pvalue_adjustment: str,
                  ci_adjustment) -> pd.DataFrame:
    """:func:`pairwise_comparisons` under a design: design-based differences and t tests."""
    counts = survey.counts([group])[[group, "n", "satisfied"]]
    if len(counts) < 2:
        raise SurveyError("estimate.comparisons.two_groups", group=group, count=len(counts))
    m = len(counts) * (len(counts) - 1) // 2
    level = float(confidence_level)
    if ci_adjustment is not None:
        level = simultaneous_confidence_level(confidence_level, m, ci_adjustment)
    pairs = domain_differences(survey, group, confidence_level=level)
    satisfied = dict(zip(counts[group].astype(str), counts["satisfied"]))
    out = pd.DataFrame({
        "group_1": pairs["group_1"], "group_2": pairs["group_2"],
        "n_1": pairs["n_1"], "satisfied_1": pairs["group_1"].astype(str).map(satisfied),
        "rate_1": pairs["rate_1"], "n_2": pairs["n_2"],
        "satisfied_2": pairs["group_2"].astype(str).map(satisfied), "rate_2": pairs["rate_2"],
        "difference": pairs["difference"], "ci_low": pairs["ci_low"], "ci_high": pairs["ci_high"],
        "ci_level": level, "p_value": pairs["p_value"]})
    out["p_adjusted"] = adjust_pvalues(out["p_value"].to_numpy(dtype=float), pvalue_adjustment)
    out["reject"] = out["p_adjusted"] <= 1.0 - float(confidence_level)
    out["method"] = "design_t"
    out["pvalue_adjustment"] = pvalue_adjustment
    out["confidence_level"] = float(confidence_level)
    out["se"], out["df"] = pairs["se"].to_numpy(), pairs["df"].to_numpy()
    out["note"] = pairs["note"].to_numpy()   # why a pair has no test, or few degrees of freedom
    return out
