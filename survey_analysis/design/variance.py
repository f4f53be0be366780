"""Design-based variance: the one routine every estimator uses, and its helpers.

With clusters (primary sampling units) drawn with replacement within strata, the
variance of a total of linearized values is estimated from their cluster totals
``z_hc`` as ``sum_h n_h / (n_h - 1) * sum_c (z_hc - mean_h z)^2`` -- R
``survey:::svyrecvar`` for a one-stage design without finite population correction.
A ratio (a rate, a mean score) is linearized as ``z_c = (Y_c - r W_c) / W`` (Woodruff
1971); :meth:`~survey_analysis.design.design.Design.linearized_covariance` builds the
units' totals (clusters, or answers when items are strata) from the level counts and
calls :func:`stratified_covariance`. Kish's effective sample size measures what
unequal weights alone cost.

References
----------
.. [1] Woodruff, R. S. (1971). A simple method for approximating the variance of a
   complicated estimate. JASA 66, 411-414.
.. [2] Lumley, T. (2004). Analysis of complex survey samples. J. Stat. Softw. 9(8).
.. [3] Kish, L. (1965). Survey Sampling. Wiley.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from .._validation import check_choice
from ..words import Hint, Message, Parts, SurveyError

__all__ = ["CENTRED_TOLERANCE", "EXPANDED_TOLERANCE", "LONELY_CLUSTER_RULES", "StratumMoments",
           "check_nesting", "domain_lonely_variances", "kish_n", "stratified_covariance",
           "t_quantile", "with_replacement_covariance", "without_rounding_noise"]


def t_quantile(df, tail: float):
    """Upper ``tail`` quantile of Student's t with ``df`` degrees of freedom."""
    return special.stdtrit(np.asarray(df, dtype=float), 1.0 - tail)


#: What a stratum with a single cluster adds to the variance (R ``survey.lonely.psu``).
LONELY_CLUSTER_RULES = ("fail", "remove", "certainty", "adjust", "average")


def _lonely_error(names: list, n_strata: int) -> SurveyError:
    shown = ", ".join(repr(v) for v in names[:5]) + (" ..." if len(names) > 5 else "")
    return SurveyError("design.lonely", shown=shown, count=len(names), strata=n_strata,
                       fix=Hint("lonely_cluster", "remove"))


@dataclass(frozen=True)
class StratumMoments:
    """Per-stratum centred second moments ``M_h = sum_i r_i v_i v_i^T - S_h S_h^T / n_h``,
    kept as their parts.

    ``sum_h f_h M_h`` is then two matrix products and the diagonals ``k`` sums, never a
    strata x k x k array: with hundreds of domains (a banner's cells) that array would
    hold hundreds of millions of numbers.

    Attributes
    ----------
    values : numpy.ndarray, shape (rows, k)
        ``v_i``: the units' centred totals (``r_i = 1``, no ``S``), or the cells'
        linearized values per unit of weight (``r_i`` their squared-weight sums, ``S_h``
        the stratum's sums of ``w c``).
    row_weights : numpy.ndarray, shape (rows,)
        ``r_i``.
    codes : numpy.ndarray, shape (rows,)
        Stratum of each row, ``0 .. strata - 1``.
    sums : numpy.ndarray, shape (strata, k), optional
        ``S_h``; none when ``values`` are centred already.
    units : numpy.ndarray, shape (strata,), optional
        ``n_h``, with ``sums``.

    Examples
    --------
    >>> m = StratumMoments(np.array([[1.0], [-1.0], [2.0]]), np.ones(3), np.array([0, 0, 1]))
    >>> m.weighted(np.array([2.0, 1.0])).tolist(), m.diagonal().tolist()
    ([[8.0]], [[2.0], [4.0]])
    """

    values: np.ndarray
    row_weights: np.ndarray
    codes: np.ndarray
    sums: np.ndarray | None = None
    units: np.ndarray | None = None

    @property
    def n_strata(self) -> int:
        if self.sums is not None:
            return len(self.sums)
        return int(self.codes.max()) + 1 if len(self.codes) else 0

    def _shrink(self, factor) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.units > 0, np.asarray(factor, dtype=float) / self.units, 0.0)

    def weighted(self, factor) -> np.ndarray:
        """``sum_h factor_h M_h`` (k x k)."""
        scaled = self.values * (self.row_weights * np.asarray(factor, dtype=float)[self.codes])[:, None]
        out = scaled.T @ self.values
        if self.sums is not None:
            out = out - (self.sums * self._shrink(factor)[:, None]).T @ self.sums
        return out

    def diagonal(self) -> np.ndarray:
        """The diagonal of each ``M_h`` (strata x k)."""
        squares = self.values * self.values * self.row_weights[:, None]
        out = np.stack([np.bincount(self.codes, weights=squares[:, j], minlength=self.n_strata)
                        for j in range(self.values.shape[1])], axis=1)
        if self.sums is not None:
            out = out - self.sums * self.sums * self._shrink(np.ones(len(self.sums)))[:, None]
        return out


def stratified_covariance(centred, first, units, labels=None,
                          lonely_cluster: str = "remove", fraction=None,
                          domain_units=None) -> np.ndarray:
    """``sum_h n_h / (n_h - 1) M_h`` from per-stratum moments of the sampling units' totals.

    Parameters
    ----------
    centred : array_like, shape (strata, k, k), or StratumMoments
        ``M_h = sum_c (z_c - mean_h z)(z_c - mean_h z)^T`` over the units (clusters, or
        answers when items are strata) of each stratum, or their parts
        (:class:`StratumMoments`).
    first : array_like, shape (strata, k)
        ``sum_c z_c`` per stratum (used only for a stratum with a single unit).
    units : array_like, shape (strata,)
        Sampling units per stratum ``n_h``.
    labels : array_like, optional
        Stratum names, for the error of ``lonely_cluster="fail"``.
    lonely_cluster : {"fail", "remove", "certainty", "adjust", "average"}
        See :func:`with_replacement_covariance`.
    fraction : array_like, shape (strata,), optional
        Sampling fraction ``f_h`` of each stratum's units (finite population
        correction, :func:`~survey_analysis.design.fpc.sampling_fractions`): the
        stratum's term is multiplied by ``1 - f_h``; a stratum with ``f_h = 1`` adds
        nothing and is never lonely (R ``onestrat``). Default 0 (with replacement).
    domain_units : array_like, shape (strata, k), optional
        Units of each stratum holding the domain of each estimate: the lonely-cluster
        rule applied to a stratum where one unit holds the domain though the stratum
        has more (R ``options(survey.adjust.domain.lonely = TRUE)``; see
        :func:`domain_lonely_variances`). Default: not applied.

    Returns
    -------
    numpy.ndarray, shape (k, k)
    """
    if not isinstance(centred, StratumMoments):
        array = np.asarray(centred, dtype=float)
        weighted = lambda factor: np.einsum("h,hij->ij", factor, array)  # noqa: E731
        diagonal = lambda: np.einsum("hjj->hj", array)  # noqa: E731
    else:
        weighted, diagonal = centred.weighted, centred.diagonal
    first = np.asarray(first, dtype=float)
    units = np.asarray(units, dtype=float)
    check_choice("lonely_cluster", lonely_cluster, LONELY_CLUSTER_RULES)
    keep = np.ones(len(units)) if fraction is None else 1.0 - np.asarray(fraction, dtype=float)
    census = keep <= 1e-7  # R onestrat: a self-representing stratum adds 0, lonely or not
    lonely = (units == 1) & ~census
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where((units == 1) | (units < 1) | census, 0.0, keep * units / (units - 1.0))
    covariance = weighted(factor)
    within = domain_units is not None  # the rule inside domains: "fail" decided there
    if lonely.any() and len(units) > 1 and not (within and lonely_cluster == "fail"):
        if lonely_cluster == "fail":
            names = [str(v) for v in (np.asarray(labels, dtype=object)[lonely] if labels is not None
                                      else np.flatnonzero(lonely))]
            raise _lonely_error(names, len(units))
        if lonely_cluster == "adjust":  # centred at the overall mean, 0 for linearized totals
            single = first[lonely] * np.sqrt(keep[lonely])[:, None]
            covariance = covariance + single.T @ single
        elif lonely_cluster == "average":
            ok = int((~lonely).sum())
            covariance = covariance * len(units) / ok if ok else np.full_like(covariance, np.nan)
    if within:
        covariance = domain_lonely_variances(diagonal(), first, units, keep, factor, lonely,
                                             np.asarray(domain_units, dtype=float), covariance,
                                             labels, lonely_cluster)
    return covariance


def domain_lonely_variances(diagonal, first, units, keep, factor, lonely, domain_units, covariance,
                            labels, lonely_cluster) -> np.ndarray:
    """The covariance of domain estimates with the lonely-cluster rule applied inside each
    domain, as R's variance of a domain (``svyby``, ``svymean(subset(design, ...))``) under
    ``options(survey.adjust.domain.lonely = TRUE)``.

    For estimate ``j`` only the strata holding its domain take part (R's subset has no other
    rows), and a stratum with ``n_h > 1`` units of which one holds the domain (``m_hj = 1``)
    is *lonely in the domain*: ``"adjust"`` adds its unit's total uncentred,
    ``n_h / (n_h - 1) (1 - f_h) z_hj^2`` (instead of the centred ``(1 - f_h) z_hj^2``);
    ``"average"`` leaves it out and scales the sum by the strata holding the domain over
    those left; ``"remove"`` and ``"certainty"`` change nothing (R only warns); ``"fail"``
    is an error naming the strata. A stratum lonely in the whole design (``n_h = 1``) is
    treated by the rule as usual (R ``onestrat``). The variances are those; the
    covariances keep the correlations of the whole design's covariance ``covariance``
    (``V'_ij = V_ij sqrt(v'_i v'_j / (v_i v_j))``, 0 where ``v_i = 0``). ``diagonal``
    (strata x k): the diagonal of each stratum's centred moments ``M_h``.
    """
    present = domain_units > 0
    inside = present & (domain_units == 1) & (units > 1)[:, None] & (keep > 1e-7)[:, None]
    if lonely_cluster == "fail" and inside.any():
        names = [str(v) for v in (np.asarray(labels, dtype=object)[inside.any(axis=1)]
                                  if labels is not None else np.flatnonzero(inside.any(axis=1)))]
        shown = ", ".join(repr(v) for v in names[:5]) + (" ..." if len(names) > 5 else "")
        raise SurveyError("design.lonely_domain", shown=shown, count=len(names),
                          fix=Hint("lonely_cluster", "adjust"))
    term = factor[:, None] * np.asarray(diagonal, dtype=float)
    if lonely_cluster == "adjust":
        uncentred = (keep * np.where(units > 1, units / np.maximum(units - 1.0, 1.0), 1.0))[:, None] * first ** 2
        term = np.where(inside | (lonely[:, None] & present), uncentred, term)
    variance = term.sum(axis=0)
    if lonely_cluster == "average":
        bad = inside | (lonely[:, None] & present)
        strata = present.sum(axis=0)
        ok = (present & ~bad).sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            variance = np.where(ok > 0, np.where(bad, 0.0, term).sum(axis=0) * strata / np.maximum(ok, 1),
                                np.where(strata > 0, np.nan, 0.0))
    elif lonely_cluster == "fail" and (lonely[:, None] & present).any() and len(units) > 1:
        names = [str(v) for v in (np.asarray(labels, dtype=object)[lonely] if labels is not None
                                  else np.flatnonzero(lonely))]
        raise _lonely_error(names, len(units))
    old = np.diag(covariance)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(old > 0, np.sqrt(np.clip(variance, 0.0, None) / np.where(old > 0, old, 1.0)), 0.0)
    out = covariance * np.outer(scale, scale)
    np.fill_diagonal(out, variance)
    return out


#: A variance computed from centred values (the units' totals minus their stratum's mean)
#: that is below this share of the sum of the squared magnitudes of those totals is rounding
#: noise: totals equal in exact arithmetic differ in their last bits when summed in another
#: order, and their spread squared is about 1e-32 of that sum. Read as 0.
CENTRED_TOLERANCE = 1e-20
#: A variance computed by expanding squares (``c^2 w2 - 2 m c w + n m^2``) that is below
#: this share of its uncentred second moment is rounding noise of the cancellation (about
#: 1e-16 of it per term). Read as 0.
EXPANDED_TOLERANCE = 1e-12


def without_rounding_noise(covariance, scale, tolerance: float) -> np.ndarray:
    """``covariance`` with each variance that is rounding noise set to 0, its row and column
    too: a variance at most ``tolerance`` times ``scale`` (per column: the squared magnitude
    it was computed from; see :data:`CENTRED_TOLERANCE`, :data:`EXPANDED_TOLERANCE`).
    Exactly alike answers then give the design's documented zero-variance case, not an
    interval of width 1e-17 and a p-value of 1e-49.

    Examples
    --------
    >>> without_rounding_noise(np.array([[1e-33, 1e-34], [1e-34, 0.02]]), np.array([0.5, 0.5]),
    ...                        CENTRED_TOLERANCE).tolist()
    [[0.0, 0.0], [0.0, 0.02]]
    """
    covariance = np.array(covariance, dtype=float, copy=True)
    noise = np.diag(covariance) <= tolerance * np.asarray(scale, dtype=float)
    if noise.any():
        covariance[noise, :] = 0.0
        covariance[:, noise] = 0.0
    return covariance


def with_replacement_covariance(z, stratum, lonely_cluster: str = "remove",
                                magnitude=None, fraction=None, member=None) -> tuple[np.ndarray, int, int]:
    """Covariance of several totals from their cluster totals ``z`` (clusters x k).

    ``sum_h n_h/(n_h - 1) sum_c (z_hc - mean_h z)(z_hc - mean_h z)^T``.

    Parameters
    ----------
    z : array_like, shape (clusters,) or (clusters, k)
        Totals of linearized values per cluster.
    stratum : array_like
        The stratum of each cluster (a constant for an unstratified design).
    lonely_cluster : {"fail", "remove", "certainty", "adjust", "average"}
        A stratum with a single cluster has no within-stratum variance to estimate;
        as R's ``options(survey.lonely.psu = ...)`` (one-stage designs): ``"fail"``
        raises an error naming the strata; ``"remove"`` and ``"certainty"`` let it add
        nothing (the same for a one-stage design); ``"adjust"`` centres its cluster at
        the overall mean (0 for linearized totals) instead of the stratum's; ``"average"``
        gives the other strata's sum scaled by strata / strata with two or more clusters.

    magnitude : array_like, shape like ``z``, optional
        Per cluster, the sum of the absolute values ``z`` adds up (default ``|z|``): a
        variance below :data:`CENTRED_TOLERANCE` of their sum of squares is rounding noise
        (:func:`without_rounding_noise`).
    fraction : array_like, shape (clusters,), optional
        The sampling fraction of each cluster's stratum (finite population correction;
        see :func:`stratified_covariance`).
    member : array_like of bool, shape like ``z``, optional
        Which clusters hold the domain of each estimate: the lonely-cluster rule is
        then applied within domains (:func:`domain_lonely_variances`).

    Returns
    -------
    (covariance (k x k), number of clusters, number of strata)

    Notes
    -----
    A design without strata is one stratum; with a single cluster it has no
    design-based variance (zero degrees of freedom) whatever the rule, so the rule is
    applied only when there are two or more strata.
    """
    z = np.asarray(z, dtype=float)
    if z.ndim == 1:
        z = z[:, None]
    codes, uniques = pd.factorize(pd.Series(stratum), sort=False)
    n_strata, k = len(uniques), z.shape[1]
    units = np.bincount(codes, minlength=n_strata).astype(float)
    first = np.stack([np.bincount(codes, weights=z[:, j], minlength=n_strata) for j in range(k)], axis=1)
    centred = z - (first / np.maximum(units, 1.0)[:, None])[codes]
    second = StratumMoments(centred, np.ones(len(z)), codes)
    per_stratum = None
    if fraction is not None:
        per_stratum = np.zeros(n_strata)
        per_stratum[codes] = np.asarray(fraction, dtype=float)
    domain_units = None
    if member is not None:
        held = np.asarray(member, dtype=float).reshape(z.shape)
        domain_units = np.stack([np.bincount(codes, weights=held[:, j], minlength=n_strata)
                                 for j in range(k)], axis=1)
    covariance = stratified_covariance(second, first, units, uniques, lonely_cluster, per_stratum,
                                       domain_units)
    magnitude = np.abs(z) if magnitude is None else np.asarray(magnitude, dtype=float).reshape(z.shape)
    scale = (magnitude * magnitude).sum(axis=0)
    return without_rounding_noise(covariance, scale, CENTRED_TOLERANCE), len(z), n_strata


def kish_n(weight_sum, weight_sq_sum):
    """Kish's effective sample size ``(sum w)^2 / sum w^2`` (nan when no weight is positive).

    Zero weights add nothing to either sum, so they drop out, as R does.
    """
    weight_sum = np.asarray(weight_sum, dtype=float)
    weight_sq_sum = np.asarray(weight_sq_sum, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(weight_sq_sum > 0, weight_sum * weight_sum / weight_sq_sum, np.nan)
    return float(out) if out.ndim == 0 else out


def check_nesting(frame: pd.DataFrame, cluster: list, strata: str | None) -> None:
    """Clusters must be nested in strata; the error proposes crossing the cluster with
    the stratum, which makes it nested by construction."""
    if not strata:
        return
    pairs = frame[list(cluster) + [strata]].drop_duplicates()
    crossing = pairs.duplicated(subset=list(cluster), keep=False)
    if crossing.any():
        example = pairs.loc[crossing].head(4)
        shown = Parts(Message("design.nested_pair", {
            "unit": repr(tuple(row[:-1]) if len(cluster) > 1 else row[0]), "stratum": repr(row[-1])})
            for row in example.itertuples(index=False))
        proposal = list(cluster) + ([strata] if strata not in cluster else [])
        raise SurveyError("design.not_nested", cluster=cluster if len(cluster) > 1 else cluster[0],
                          strata=strata, shown=shown, fix=Hint("cluster", proposal))
