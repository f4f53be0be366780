"""The one design-based variance routine: the covariance of linearized estimates.

Every design-based standard error of the package comes from
:func:`linearized_covariance` (through :meth:`Design.linearized_covariance
<survey_analysis.design.design.Design.linearized_covariance>`): an estimator gives, for
each cell of the level counts, the value per unit of weight of its linearized estimate,
and the routine sums them into the sampling units' totals and applies the
with-replacement variance of :mod:`.variance` -- with clusters, or with answers as the
units (items as strata, or no clusters), within strata, inside a domain kept in the whole
design (:meth:`~survey_analysis.design.design.Design.subset`), after calibration (the
residuals on the margins), and with the one lonely-cluster rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .calibration import margin_residuals
from .fpc import sampling_fractions
from .options import normalized
from .variance import (
    EXPANDED_TOLERANCE,
    StratumMoments,
    stratified_covariance,
    with_replacement_covariance,
    without_rounding_noise,
)

__all__ = ["LinearizedCovariance", "calibrated_values", "linearized_covariance"]


@dataclass(frozen=True)
class LinearizedCovariance:
    """Design covariance of linearized estimates (:func:`linearized_covariance`).

    Attributes
    ----------
    covariance : numpy.ndarray
        k x k covariance matrix.
    units : int
        Sampling units (clusters; answers when items are strata or there are no clusters).
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


def _margin_columns(design) -> list:
    out, step = [], design.calibration
    while step is not None:
        out += [c for margin in step.margins for c in margin]
        step = step.before.calibration
    return out


def calibrated_values(design, c: np.ndarray, table: pd.DataFrame, keys: list) -> np.ndarray:
    """Linearized values after calibration: residuals of their regression on each
    calibration's margins, weighted by the weights before it, the latest first (as R's
    ``svyrecvar`` does for its ``postStrata``). ``table``: level counts by ``keys``."""
    step = design.calibration
    position = None
    while step is not None:
        before = step.before.table_for(keys, domain=False)
        if position is None:  # every earlier design counts the same cells in the same order
            index = pd.MultiIndex.from_frame(before[keys + ["scale", "rank"]].astype(str))
            position = index.get_indexer(pd.MultiIndex.from_frame(
                table[keys + ["scale", "rank"]].astype(str)))
        w0 = before["w"].to_numpy(dtype=float)[position]
        codes = [pd.factorize(pd.MultiIndex.from_frame(table[list(margin)].astype(str)))[0]
                 for margin in step.margins]
        c = margin_residuals(codes, w0, c)
        step = step.before.calibration
    return c


def linearized_covariance(design, coefficients, by=(), members=None) -> LinearizedCovariance:
    """Design covariance of estimates linearized as ``z_i = w_i c(cell_i)``.

    Parameters
    ----------
    design : Design
        The design (its counts, clusters, strata, domain and calibration).
    coefficients : callable
        ``coefficients(table)`` gives, for each row (cell) of a level-counts table,
        the value per unit of weight of each linearized estimate: an array of
        shape ``(cells,)`` or ``(cells, k)``. For a ratio ``R = sum w y / sum w``
        over a domain ``d`` it is ``d (y - R) / sum_d w``.
    by : list of str
        Extra columns the coefficients need (domains, rounds).
    members : callable, optional
        ``members(table)``: which cells belong to the domain of each estimate, a boolean
        array shaped like the coefficients. Used with ``lonely_domain=True`` (a
        domain's lonely strata, see
        :func:`~survey_analysis.design.variance.domain_lonely_variances`); the design's
        own domain (:meth:`~survey_analysis.design.design.Design.subset`) always counts.

    Returns
    -------
    LinearizedCovariance
        ``covariance`` (k x k), ``units`` (sampling units: clusters, or answers
        when items are strata or there are no clusters), ``strata``, ``lonely``
        (strata with one unit), ``df``.

    Notes
    -----
    With clusters the units' totals are ``Z_c = sum_cells w c`` and the covariance
    is :func:`~survey_analysis.design.variance.with_replacement_covariance` of them
    (R ``svyrecvar``). When answers are the units (items as strata, or no clusters)
    the centred second moment of ``w_i c`` per stratum follows from the cells'
    weight sums ``w`` and squared-weight sums ``w2`` without the rows
    (``sum_i (w_i c - m)^2 = c^2 w2 - 2 m c w + n m^2`` per cell). In a subset
    (:meth:`~survey_analysis.design.design.Design.subset`) the cells outside the domain have ``c = 0`` but their units
    stay in the design, as R's ``subset`` of a design. After calibration ``c`` is
    replaced by its residuals on the margins (:func:`~survey_analysis.design.calibration.margin_residuals`).
    With a finite population correction (``fpc=``) each stratum's term is multiplied by
    ``1 - f_h`` (:func:`~survey_analysis.design.fpc.sampling_fractions`), as R's
    ``svyrecvar`` with ``svydesign(fpc = ...)``.
    """
    unit_key, stratum_key = design.unit_columns(), design.stratum_columns()
    answers = not unit_key
    fpc = getattr(design, "fpc", None)
    keys = list(dict.fromkeys(unit_key + stratum_key + list(normalized("groups", by)) + _margin_columns(design)
                              + list(design.domain or {}) + ([fpc] if fpc else [])))
    table = design.table_for(keys, domain=False)
    table_keys = list(dict.fromkeys(design.keys + [c for c in keys if c not in design.keys]))
    c = np.asarray(coefficients(table), dtype=float)
    c = c[:, None] if c.ndim == 1 else c
    inside = design.in_domain(table)
    if design.domain:
        c = np.where(inside[:, None], c, 0.0)
    if design.calibration is not None:
        c = calibrated_values(design, c, table, table_keys)
    n = table["n"].to_numpy(dtype=float)
    positive = design.positive_rows(table) * inside
    w = table["w"].to_numpy(dtype=float)
    k = c.shape[1]
    first = w[:, None] * c
    member = None
    if getattr(design, "lonely_domain", False):
        member = np.broadcast_to(inside[:, None], c.shape)
        if members is not None:
            member = member & np.asarray(members(table), dtype=bool).reshape(c.shape)
    if not answers:
        codes = table.groupby(unit_key, sort=True, observed=True).ngroup().to_numpy()
        n_groups = int(codes.max()) + 1 if len(codes) else 0
        z = np.stack([np.bincount(codes, weights=first[:, j], minlength=n_groups)
                      for j in range(k)], axis=1)
        cluster_frame = table[unit_key].iloc[np.unique(codes, return_index=True)[1]]
        stratum = (cluster_frame[design.strata].to_numpy() if design.strata
                   else np.zeros(n_groups, dtype=int))
        magnitude = np.stack([np.bincount(codes, weights=np.abs(first[:, j]), minlength=n_groups)
                              for j in range(k)], axis=1)
        fraction = held = None
        if fpc:
            stratum_codes = pd.factorize(pd.Series(stratum), sort=False)[0]
            sizes_h = np.bincount(stratum_codes).astype(float)
            labels_h = pd.Series(stratum).drop_duplicates().to_numpy()
            fraction = sampling_fractions(table[fpc].to_numpy(), stratum_codes[codes], sizes_h, labels_h,
                                          fpc)[stratum_codes]
        if member is not None:
            held = np.stack([np.bincount(codes, weights=member[:, j] * n, minlength=n_groups)
                             for j in range(k)], axis=1) > 0
        covariance, units, strata = with_replacement_covariance(z, stratum, design.lonely_cluster, magnitude,
                                                                fraction, held)
        sizes = pd.Series(stratum).value_counts()
        lonely = int((sizes == 1).sum()) if len(sizes) > 1 else 0
        live = np.bincount(codes, weights=positive, minlength=n_groups) > 0
        df = int(live.sum()) - int(pd.Series(stratum[live]).nunique())
        return LinearizedCovariance(covariance, units, strata, lonely, df)
    w2 = table["w2"].to_numpy(dtype=float)
    codes = (table.groupby(stratum_key, sort=True, observed=True).ngroup().to_numpy() if stratum_key
             else np.zeros(len(table), dtype=np.int64))
    n_groups = int(codes.max()) + 1 if len(codes) else 0
    units = np.bincount(codes, weights=n, minlength=n_groups)
    labels = None  # the strata's names, built only for the error that names them
    if stratum_key and (fpc or member is not None or (design.lonely_cluster == "fail" and (units == 1).any())):
        labels = table[stratum_key].iloc[np.unique(codes, return_index=True)[1]].astype(str) \
            .agg(" x ".join, axis=1).to_numpy()
    sums = np.stack([np.bincount(codes, weights=first[:, j], minlength=n_groups)
                     for j in range(k)], axis=1)
    # sum over the cell's answers of (w_i c - m)(w_i c - m)^T, per stratum: c^T w2 c - S S^T / n
    centred = StratumMoments(c, w2, codes, sums, units)
    fraction = domain_units = None
    if fpc:
        fraction = sampling_fractions(table[fpc].to_numpy(), codes, units,
                                      labels if labels is not None else ["all"], fpc)
    if member is not None:
        domain_units = np.stack([np.bincount(codes, weights=member[:, j] * n, minlength=n_groups)
                                 for j in range(k)], axis=1)
    covariance = stratified_covariance(centred, sums, units, labels, design.lonely_cluster, fraction,
                                       domain_units)
    covariance = without_rounding_noise(covariance, (w2[:, None] * c * c).sum(axis=0), EXPANDED_TOLERANCE)
    lonely = int((units == 1).sum()) if n_groups > 1 else 0
    live = np.bincount(codes, weights=positive, minlength=n_groups)
    df = int(live.sum()) - int((live > 0).sum())
    return LinearizedCovariance(covariance, int(units.sum()), n_groups, lonely, df)
