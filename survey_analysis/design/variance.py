"""Design-based variance: the one routine every estimator uses, and its helpers.

With clusters (primary sampling units) drawn with replacement within strata, the
variance of a total of linearized values is estimated from their cluster totals
``z_hc`` as ``sum_h n_h / (n_h - 1) * sum_c (z_hc - mean_h z)^2`` -- R
``survey:::svyrecvar`` for a one-stage design without finite population correction.
A ratio (a rate, a mean score) is linearized as ``z_c = (Y_c - r W_c) / W`` (Woodruff
1971). Kish's effective sample size measures what unequal weights alone cost.

References
----------
.. [1] Woodruff, R. S. (1971). A simple method for approximating the variance of a
   complicated estimate. JASA 66, 411-414.
.. [2] Lumley, T. (2004). Analysis of complex survey samples. J. Stat. Softw. 9(8).
.. [3] Kish, L. (1965). Survey Sampling. Wiley.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

__all__ = ["check_nesting", "kish_n", "ratio_variance", "t_quantile", "with_replacement_variance"]


def t_quantile(df, tail: float):
    """Upper ``tail`` quantile of Student's t with ``df`` degrees of freedom."""
    return special.stdtrit(np.asarray(df, dtype=float), 1.0 - tail)


def with_replacement_variance(z, stratum) -> tuple[float, int, int]:
    """``sum_h n_h/(n_h - 1) sum_c (z_hc - mean_h z)^2`` over cluster totals ``z``.

    Parameters
    ----------
    z : array_like
        One total of linearized values per cluster.
    stratum : array_like
        The stratum of each cluster (a constant for an unstratified design).

    Returns
    -------
    (variance, number of clusters, number of strata)
        A stratum with a single cluster adds nothing (R's ``survey.lonely.psu =
        "remove"``).
    """
    z = np.asarray(z, dtype=float)
    codes, uniques = pd.factorize(pd.Series(stratum), sort=False)
    n_h = np.bincount(codes, minlength=len(uniques)).astype(float)
    mean_h = np.bincount(codes, weights=z, minlength=len(uniques)) / np.maximum(n_h, 1.0)
    centred = z - mean_h[codes]
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(n_h[codes] > 1, n_h[codes] / (n_h[codes] - 1) * centred**2, 0.0)
    return float(terms.sum()), len(z), len(uniques)


def ratio_variance(y_totals, w_totals, stratum, estimate: float) -> tuple[float, int, int]:
    """Linearized variance of the ratio ``sum Y / sum W`` from cluster totals.

    ``z_c = (Y_c - estimate * W_c) / sum W``; see :func:`with_replacement_variance`.
    Matches R ``svymean`` / ``svyciprop`` on ``svydesign(ids = ~cluster, strata =
    ~stratum, weights = ~w)`` (``tests/R/reference_svyciprop.R``).
    """
    y = np.asarray(y_totals, dtype=float)
    w = np.asarray(w_totals, dtype=float)
    total = w.sum()
    if total <= 0:
        return np.nan, len(w), len(pd.unique(pd.Series(stratum)))
    return with_replacement_variance((y - estimate * w) / total, stratum)


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
        shown = "; ".join(f"{tuple(row[:-1]) if len(cluster) > 1 else row[0]!r} in {row[-1]!r}"
                          for row in example.itertuples(index=False))
        proposal = list(cluster) + ([strata] if strata not in cluster else [])
        raise ValueError(
            f"clusters must be nested in strata: some {cluster if len(cluster) > 1 else cluster[0]!r} "
            f"values appear in more than one {strata!r} ({shown}). If the same item was surveyed "
            f"in several {strata} values, take item x {strata} as the cluster: "
            f"cluster={proposal!r} (CLI --cluster {' '.join(proposal)})")
