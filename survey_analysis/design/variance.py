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

__all__ = ["LONELY_CLUSTER_RULES", "check_nesting", "kish_n", "ratio_variance", "t_quantile",
           "with_replacement_variance"]


def t_quantile(df, tail: float):
    """Upper ``tail`` quantile of Student's t with ``df`` degrees of freedom."""
    return special.stdtrit(np.asarray(df, dtype=float), 1.0 - tail)


#: What a stratum with a single cluster adds to the variance (R ``survey.lonely.psu``).
LONELY_CLUSTER_RULES = ("fail", "remove", "certainty", "adjust", "average")


def with_replacement_variance(z, stratum, lonely_cluster: str = "remove") -> tuple[float, int, int]:
    """``sum_h n_h/(n_h - 1) sum_c (z_hc - mean_h z)^2`` over cluster totals ``z``.

    Parameters
    ----------
    z : array_like
        One total of linearized values per cluster.
    stratum : array_like
        The stratum of each cluster (a constant for an unstratified design).
    lonely_cluster : {"fail", "remove", "certainty", "adjust", "average"}
        A stratum with a single cluster has no within-stratum variance to estimate;
        as R's ``options(survey.lonely.psu = ...)`` (one-stage designs): ``"fail"``
        raises an error naming the strata; ``"remove"`` and ``"certainty"`` let it add
        nothing (the same for a one-stage design); ``"adjust"`` centres its cluster at
        the overall mean (0 for linearized totals) instead of the stratum's; ``"average"``
        gives the other strata's sum scaled by strata / strata with two or more clusters.

    Returns
    -------
    (variance, number of clusters, number of strata)

    Notes
    -----
    A design without strata is one stratum; with a single cluster it has no
    design-based variance (zero degrees of freedom) whatever the rule, so the rule is
    applied only when there are two or more strata.
    """
    z = np.asarray(z, dtype=float)
    codes, uniques = pd.factorize(pd.Series(stratum), sort=False)
    n_h = np.bincount(codes, minlength=len(uniques)).astype(float)
    mean_h = np.bincount(codes, weights=z, minlength=len(uniques)) / np.maximum(n_h, 1.0)
    centred = z - mean_h[codes]
    lonely = n_h[codes] == 1
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(lonely, 0.0, n_h[codes] / (n_h[codes] - 1) * centred**2)
    variance = float(terms.sum())
    if lonely.any() and len(uniques) > 1:
        if lonely_cluster not in LONELY_CLUSTER_RULES:
            raise ValueError(f"lonely_cluster must be one of {list(LONELY_CLUSTER_RULES)}, "
                             f"got {lonely_cluster!r}")
        if lonely_cluster == "fail":
            names = [str(v) for v in uniques[n_h == 1]]
            shown = ", ".join(repr(v) for v in names[:5]) + (" ..." if len(names) > 5 else "")
            raise ValueError(
                f"{'strata' if len(names) > 1 else 'stratum'} {shown} "
                f"{'have' if len(names) > 1 else 'has'} only one cluster, so its variance cannot be estimated "
                f"({len(names)} of {len(uniques)} strata). Say how to treat it: "
                "lonely_cluster='remove' (adds nothing; R survey.lonely.psu), 'certainty' (the same "
                "for one stage), 'adjust' (centred at the overall mean; conservative) or 'average' "
                "(the other strata's average); CLI --lonely-cluster. Or merge it with a similar "
                "stratum.")
        if lonely_cluster == "adjust":
            variance += float((z[lonely] ** 2).sum())  # centred at the overall mean, 0
        elif lonely_cluster == "average":
            ok = int((n_h > 1).sum())
            variance = variance * len(uniques) / ok if ok else np.nan
    return variance, len(z), len(uniques)


def ratio_variance(y_totals, w_totals, stratum, estimate: float,
                   lonely_cluster: str = "remove") -> tuple[float, int, int]:
    """Linearized variance of the ratio ``sum Y / sum W`` from cluster totals.

    ``z_c = (Y_c - estimate * W_c) / sum W``; see :func:`with_replacement_variance`
    (``lonely_cluster`` there). Matches R ``svymean`` / ``svyciprop`` on
    ``svydesign(ids = ~cluster, strata = ~stratum, weights = ~w)``
    (``tests/R/reference_svyciprop.R``, ``tests/R/reference_lonely.R``).
    """
    y = np.asarray(y_totals, dtype=float)
    w = np.asarray(w_totals, dtype=float)
    total = w.sum()
    if total <= 0:
        return np.nan, len(w), len(pd.unique(pd.Series(stratum)))
    return with_replacement_variance((y - estimate * w) / total, stratum, lonely_cluster)


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
