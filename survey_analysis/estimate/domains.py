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
  and p-value on the design's degrees of freedom;
* :func:`rao_scott_test` -- is satisfaction independent of the domain? Pearson's
  statistic with the Rao-Scott first- or second-order correction.

References
----------
.. [1] Woodruff, R. S. (1971). A simple method for approximating the variance of a
   complicated estimate. JASA 66, 411-414.
.. [2] Rao, J. N. K., Scott, A. J. (1984). On chi-squared tests for multiway
   contingency tables with cell proportions estimated from survey data. Annals of
   Statistics 12, 46-60.
.. [3] Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats

from .._validation import check_choice, tail_probability
from ..design.design import as_design
from ..design.variance import t_quantile
from ..words import Note, SurveyError, frame_html, say, shorten

__all__ = ["RAO_SCOTT_STATISTICS", "RaoScottTest", "domain_differences", "domain_rates",
           "rao_scott_test"]

RAO_SCOTT_STATISTICS = ("F", "Chisq")


def _as_list(value) -> list:
    return [value] if isinstance(value, str) else list(value)


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

    result = design.linearized_covariance(coefficient, by=by)
    return counts, rate, result


def _design_from(responses, options: dict, by):
    return as_design(responses, groups=_as_list(by), **options)


def domain_rates(responses, by, *, confidence_level: float = 0.95, satisfied=None,
                 cluster=None, strata=None, weight=None, items_as=None,
                 lonely_cluster=None) -> pd.DataFrame:
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

    Returns
    -------
    pandas.DataFrame
        One row per domain (sorted): the ``by`` column(s), ``n`` (answers), ``rate``,
        ``se``, ``ci_low``, ``ci_high`` (Wald on the t distribution with the design's
        degrees of freedom, clipped to [0, 1]), ``df``.

    Notes
    -----
    ``se`` equals R ``SE(svyby(~sat, ~by, design, svymean))``
    (``tests/R/reference_domains.R``). The interval is the plain t interval of a
    domain; for one rate near 0% or 100% prefer
    :func:`~survey_analysis.overall_rate` on the domain's answers.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"item_id": list("AAABBBCCCDDD"), "district": list("XXXXXXYYYYYY"),
    ...                   "scale": "yes_no", "rank": [1, 1, 2, 1, 1, 1, 1, 2, 2, 1, 1, 1]})
    >>> domain_rates(r, "district")[["district", "n", "rate"]].round(4)
      district  n    rate
    0        X  6  0.8333
    1        Y  6  0.6667
    """
    design = _design_from(responses, dict(satisfied=satisfied, cluster=cluster, strata=strata,
                                          weight=weight, items_as=items_as,
                                          lonely_cluster=lonely_cluster), by)
    by = _as_list(by)
    tail = tail_probability(confidence_level, "two-sided")
    counts, rate, result = _domains(design, by)
    se = np.sqrt(np.clip(np.diag(result.covariance), 0.0, None))
    half = t_quantile(result.df, tail) * se if result.df >= 1 else np.full(len(se), np.nan)
    out = counts[by + ["n"]].copy()
    out["rate"], out["se"] = rate, se
    out["ci_low"], out["ci_high"] = np.clip(rate - half, 0, 1), np.clip(rate + half, 0, 1)
    out["df"] = result.df
    return out


def domain_differences(responses, by, *, pairs=None, confidence_level: float = 0.95,
                       satisfied=None, cluster=None, strata=None, weight=None, items_as=None,
                       lonely_cluster=None) -> pd.DataFrame:
    """Differences between domain rates with their design-based intervals and p-values.

    Parameters
    ----------
    responses : pandas.DataFrame, Survey, Design or path
        Tidy responses with the ``by`` column, or a Survey.
    by : str
        Domain column.
    pairs : list of (label, label), optional
        Which differences (``rate(first) - rate(second)``); default every pair of
        domains in sorted order, ``(a, b)`` with ``a`` before ``b``.
    confidence_level : float, default 0.95
    satisfied, cluster, strata, weight, items_as, lonely_cluster
        Design options, as in :func:`domain_rates`.

    Returns
    -------
    pandas.DataFrame
        One row per pair: ``group_1``, ``group_2``, ``n_1``, ``rate_1``, ``n_2``,
        ``rate_2``, ``difference`` (``rate_1 - rate_2``), ``se``, ``ci_low``,
        ``ci_high``, ``statistic`` (``difference / se``), ``df``, ``p_value``
        (two-sided, t on ``df``), ``confidence_level``, ``note`` (why an interval is
        missing: zero design variance -- both domains' answers all alike -- or fewer
        than two clusters; p = 1 when the difference is 0 too).

    Notes
    -----
    ``se^2 = v_11 + v_22 - 2 v_12`` from the joint linearized covariance of the
    domain rates, so answers of both domains about the same item (shared clusters)
    are accounted for: R ``svycontrast(svyby(~sat, ~by, design, svymean,
    covmat = TRUE), c(1, -1))`` (``tests/R/reference_domains.R``, to 1e-8). The
    interval and p-value use the t distribution on the design's degrees of freedom
    (clusters - strata), as R ``svyttest`` and ``svyciprop`` do; R's ``confint`` of a
    ``svycontrast`` uses the normal quantile instead (the same for many clusters).

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"item_id": list("AAABBBCCCDDD"), "district": list("XXXXXXYYYYYY"),
    ...                   "scale": "yes_no", "rank": [1, 1, 2, 1, 1, 1, 1, 2, 2, 1, 1, 1]})
    >>> domain_differences(r, "district")[["group_1", "group_2", "difference"]].round(4)
      group_1 group_2  difference
    0       X       Y      0.1667
    """
    if not isinstance(by, str):
        raise SurveyError("estimate.one_column", name="by", value=by)
    design = _design_from(responses, dict(satisfied=satisfied, cluster=cluster, strata=strata,
                                          weight=weight, items_as=items_as,
                                          lonely_cluster=lonely_cluster), by)
    tail = tail_probability(confidence_level, "two-sided")
    counts, rate, result = _domains(design, [by])
    labels = counts[by].astype(str).tolist()
    if pairs is None:
        index_pairs = list(combinations(range(len(labels)), 2))
    else:
        unknown = [p for pair in pairs for p in pair if str(p) not in labels]
        if unknown:
            raise SurveyError("estimate.domains.unknown_values", by=by, unknown=unknown,
                              labels=labels)
        index_pairs = [(labels.index(str(a)), labels.index(str(b))) for a, b in pairs]
    i = np.array([p[0] for p in index_pairs], dtype=int)
    j = np.array([p[1] for p in index_pairs], dtype=int)
    v = result.covariance
    difference = rate[i] - rate[j]
    se = np.sqrt(np.clip(v[i, i] + v[j, j] - 2 * v[i, j], 0.0, None))
    df = result.df
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = np.where(se > 0, difference / se, np.nan)
    if df >= 1:
        half = t_quantile(df, tail) * se
        p_value = 2 * stats.t.sf(np.abs(statistic), df)
    else:
        half = p_value = np.full(len(i), np.nan)
    # No design variance (every answer of both domains alike, e.g. both at 100%): the
    # interval has no width and says nothing; the note says so and callers may fall back.
    degenerate = (se == 0) & (df >= 1)
    half = np.where(degenerate, np.nan, half)
    p_value = np.where(degenerate & (difference == 0), 1.0, p_value)
    # A column of text (a data frame keeps strings, not Notes): the English entries.
    note = np.where(degenerate, say("estimate.domains.zero_variance"), "")
    note = np.where(df < 1, say("estimate.few_clusters"), note)
    n = counts["n"].to_numpy()
    return pd.DataFrame({
        "group_1": counts[by].to_numpy()[i], "group_2": counts[by].to_numpy()[j],
        "n_1": n[i], "rate_1": rate[i], "n_2": n[j], "rate_2": rate[j],
        "difference": difference, "se": se,
        "ci_low": np.clip(difference - half, -1, 1), "ci_high": np.clip(difference + half, -1, 1),
        "statistic": statistic, "df": df, "p_value": p_value,
        "confidence_level": float(confidence_level), "note": note})


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
                   strata=None, weight=None, items_as=None, lonely_cluster=None) -> RaoScottTest:
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
    satisfied, cluster, strata, weight, items_as, lonely_cluster
        Design options, as in :func:`domain_rates`.

    Returns
    -------
    RaoScottTest
        ``statistic``, ``p_value``, ``ndf``, ``ddf``, ``pearson``,
        ``mean_design_effect``, ``kind``, ``table``, ``note``; ``.to_frame()``.

    Notes
    -----
    With ``P`` the estimated proportions of the groups x (not satisfied, satisfied)
    cells (weighted, with their linearized design covariance ``V``), ``X^2 = N sum
    (P_gs - P_g P_s)^2 / (P_g P_s)`` with ``N`` the number of answers, and
    ``Delta = (C' D^-1 C / N)^-1 C' D^-1 V D^-1 C`` with ``D = diag(P)`` and ``C`` the
    interaction contrasts orthogonal to the main effects: exactly R ``survey``'s
    ``svychisq`` (values in ``tests/R/reference_domains.R`` agree to 1e-8). Without
    clusters or weights, ``Delta`` is close to the identity and the test is close to
    Pearson's.

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
    if not isinstance(by, str):
        raise SurveyError("estimate.one_column", name="by", value=by)
    design = _design_from(responses, dict(satisfied=satisfied, cluster=cluster, strata=strata,
                                          weight=weight, items_as=items_as,
                                          lonely_cluster=lonely_cluster), by)
    counts = design.counts([by])
    counts = counts.loc[counts["n"] > 0].reset_index(drop=True)
    groups = len(counts)
    if groups < 2:
        raise SurveyError("estimate.domains.two_groups", by=by, count=groups)
    total = float(counts["weight_sum"].sum())
    sat = counts["satisfied_weight"].to_numpy(dtype=float)
    group_weight = counts["weight_sum"].to_numpy(dtype=float)
    # Cells in R's order: interaction(group, satisfied), the group varying fastest.
    cell_weight = np.concatenate([group_weight - sat, sat])
    proportion = cell_weight / total

    def coefficient(table):
        codes = _domain_codes(table, [by], counts)
        y = design.satisfied_flags(table).astype(int)
        cell = np.where(codes >= 0, codes + groups * y, -1)
        out = -np.broadcast_to(proportion, (len(table), 2 * groups)).copy()
        rows = np.flatnonzero(cell >= 0)
        out[rows, cell[rows]] += 1.0
        return out / total

    result = design.linearized_covariance(coefficient, by=[by])
    n_answers = float(counts["n"].sum())
    rate = sat / group_weight
    table = counts[[by, "n"]].assign(rate=rate)
    row_share, col_share = group_weight / total, np.array([1 - sat.sum() / total, sat.sum() / total])
    expected = np.concatenate([row_share * col_share[0], row_share * col_share[1]])
    if np.any(col_share == 0):
        return RaoScottTest(np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, statistic, table,
                            Note("estimate.domains.same_outcome"))
    pearson = float(n_answers * np.sum((proportion - expected) ** 2 / expected))
    rows_factor = np.repeat(np.arange(groups)[None, :], 2, axis=0).ravel()
    cols_factor = np.repeat(np.arange(2), groups)
    main = np.column_stack([np.ones(2 * groups)]
                           + [(rows_factor == g).astype(float) for g in range(1, groups)]
                           + [(cols_factor == 1).astype(float)])
    interaction = np.column_stack([((rows_factor == g) & (cols_factor == 1)).astype(float)
                                   for g in range(1, groups)])
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
