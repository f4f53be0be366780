"""Simultaneous confidence intervals for the shares of every answer level.

The three shares of 满意 / 基本满意 / 不满意 (or the five of a 5-level scale) come
from one multinomial sample. Separate 95% intervals for each share would together
cover all true shares less than 95% of the time; the intervals here hold for all
shares at once with (approximately) the stated confidence.

:func:`multinomial_ci` takes counts (one row of counts per group);
:func:`rating_shares` counts the canonical rating labels of tidy responses first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .._validation import check_choice, check_confidence_level
from ..design.design import Design
from ..scales.scale import scales_of
from ..words import Message, SurveyError

__all__ = ["MULTINOMIAL_CI_METHODS", "multinomial_ci", "rating_shares", "shares_of"]

MULTINOMIAL_CI_METHODS = ("goodman", "quesenberry_hurst", "sison_glaz")


def _as_count_matrix(counts):
    """Counts as a float (groups x categories) matrix, with labels for both axes.

    Returns (matrix, category labels, group frame or None, one_group flag).
    """
    if isinstance(counts, pd.DataFrame):
        matrix = counts.to_numpy(dtype=float)
        categories = list(counts.columns)
        groups = counts.index.to_frame(index=False)
        if list(groups.columns) == [0] or groups.columns.isna().all():
            groups.columns = ["group"]
        one_group = False
    elif isinstance(counts, pd.Series):
        matrix = counts.to_numpy(dtype=float)[None, :]
        categories, groups, one_group = list(counts.index), None, True
    else:
        try:
            matrix = np.asarray(counts, dtype=float)
        except (TypeError, ValueError):
            raise SurveyError("estimate.multinomial.numeric") from None
        if matrix.ndim not in (1, 2):
            raise SurveyError("estimate.multinomial.dimensions", ndim=matrix.ndim)
        one_group = matrix.ndim == 1
        matrix = np.atleast_2d(matrix)
        categories = list(range(matrix.shape[1]))
        groups = None if one_group else pd.DataFrame({"group": np.arange(matrix.shape[0])})
    if matrix.shape[1] < 2:
        raise SurveyError("estimate.multinomial.categories", count=matrix.shape[1])
    if not np.all(np.isfinite(matrix)):
        raise SurveyError("estimate.multinomial.finite")
    if np.any(matrix < 0):
        raise SurveyError("estimate.multinomial.negative", value=matrix[matrix < 0][0])
    return matrix, categories, groups, one_group


def _score_bounds(x, n, q):
    """Wilson-form bounds with squared critical value ``q`` (0 and 1 pinned at the edges)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.sqrt(q * (q + 4.0 * x * (n - x) / n))
        low = (q + 2.0 * x - root) / (2.0 * (n + q))
        high = (q + 2.0 * x + root) / (2.0 * (n + q))
    low = np.where(x == 0, 0.0, np.clip(low, 0.0, 1.0))
    high = np.where(x == n, 1.0, np.clip(high, 0.0, 1.0))
    return low, high


def _truncated_poisson_moments(x, c):
    """Mean, variance, third and fourth cumulants of Poisson(x) truncated to [x - c, x + c].

    ``x`` and ``c`` broadcast. Uses the factorial moments of the truncated Poisson,
    ``E[Y (Y-1)...(Y-r+1)] = x^r P(b - r <= Y' <= a - r) / P(b <= Y' <= a)`` with
    ``Y' ~ Poisson(x)``, ``a = x + c``, ``b = max(x - c, 0)``. Also returns the
    truncation probability ``P(b <= Y' <= a)``.
    """
    a = x + c
    b = np.maximum(x - c, 0.0)
    cdf = stats.poisson.cdf
    inside = cdf(a, x) - cdf(b - 1.0, x)
    with np.errstate(divide="ignore", invalid="ignore"):
        f1, f2, f3, f4 = (x**r * (cdf(a - r, x) - cdf(b - r - 1.0, x)) / inside
                          for r in (1, 2, 3, 4))
    mean = f1
    var = f2 + f1 - f1**2
    third = f3 + f2 * (3.0 - 3.0 * f1) + f1 - 3.0 * f1**2 + 2.0 * f1**3
    fourth = (f4 + f3 * (6.0 - 4.0 * f1) + f2 * (7.0 - 12.0 * f1 + 6.0 * f1**2)
              + f1 - 4.0 * f1**2 + 6.0 * f1**3 - 3.0 * f1**4)
    return mean, var, third, fourth - 3.0 * var**2, inside


def _sison_glaz_coverage(x, n, c):
    """Edgeworth approximation of P(|X_i - x_i| <= c for all i) under Multinomial(n, x / n).

    ``x``: (groups, 1, k) counts; ``n``: (groups, 1); ``c``: (1, C). Returns (groups, C).
    """
    mean, var, k3, k4, inside = _truncated_poisson_moments(x, c[..., None])
    s_mean, s_var = mean.sum(-1), var.sum(-1)
    g1 = k3.sum(-1) / s_var**1.5
    g2 = k4.sum(-1) / s_var**2
    z = (n - s_mean) / np.sqrt(s_var)
    poly = (1.0 + g1 * (z**3 - 3.0 * z) / 6.0 + g2 * (z**4 - 6.0 * z**2 + 3.0) / 24.0
            + g1**2 * (z**6 - 15.0 * z**4 + 45.0 * z**2 - 15.0) / 72.0)
    density = poly * np.exp(-z * z / 2.0) / np.sqrt(2.0 * np.pi) / np.sqrt(s_var)
    # n! / (n^n e^-n) = 1 / P(Poisson(n) = n): the Levin (1981) representation.
    return np.prod(inside, axis=-1) * density / stats.poisson.pmf(n, n)


def _sison_glaz_bounds(matrix, level):
    """Sison & Glaz (1995) bounds for every row of ``matrix`` (integer counts)."""
    n = matrix.sum(axis=1)
    low = np.full(matrix.shape, np.nan)
    high = np.full(matrix.shape, np.nan)
    todo = np.flatnonzero(n > 0)
    if todo.size == 0:
        return low, high
    x = matrix[todo][:, None, :]
    nn = n[todo][:, None]
    found_c = np.zeros(todo.size)
    found_nu = np.zeros(todo.size)
    previous_nu = np.zeros(todo.size)
    pending = np.ones(todo.size, dtype=bool)
    start, width = 1, 64
    # Search c = 1, 2, ... in blocks (vectorized over groups and c) for the first c with
    # nu(c) > level; nu(c) rises with c, so a few blocks suffice.
    while pending.any():
        c = np.arange(start, start + width, dtype=float)[None, :]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            nu = _sison_glaz_coverage(x[pending], nn[pending], c)
        # From c = n on the box holds every possible outcome, so nu(c) = 1 exactly; the
        # Edgeworth value is not used there (it can level off below the target for tiny or
        # sparse counts; statsmodels issue #9587). This also guarantees a crossing.
        nu = np.where(c >= nn[pending], 1.0, nu)
        before = np.concatenate([previous_nu[pending][:, None], nu[:, :-1]], axis=1)
        crossing = (nu > level) & (before < level)
        hit = crossing.any(axis=1)
        first = np.argmax(crossing, axis=1)
        rows = np.flatnonzero(pending)
        found_c[rows[hit]] = c[0, first[hit]]
        found_nu[rows[hit]] = nu[hit, first[hit]]
        previous_nu[rows[hit]] = before[hit, first[hit]]
        previous_nu[rows[~hit]] = nu[~hit, -1]
        pending[rows[hit]] = False
        start += width
        width *= 2
    gamma = (level - previous_nu) / (found_nu - previous_nu)
    c_star = found_c - 1.0
    p = matrix[todo] / n[todo][:, None]
    span_low = (c_star / n[todo])[:, None]
    span_high = ((c_star + 2.0 * gamma) / n[todo])[:, None]
    low[todo] = np.clip(p - span_low, 0.0, 1.0)
    high[todo] = np.clip(p + span_high, 0.0, 1.0)
    return low, high


def multinomial_ci(counts, confidence_level: float = 0.95, method: str = "goodman") -> pd.DataFrame:
    """Simultaneous confidence intervals for multinomial shares, vectorized over groups.

    Parameters
    ----------
    counts : array_like, pandas.Series or pandas.DataFrame
        Counts per category. A 1-D array or a Series (indexed by label, e.g.
        ``满意`` / ``基本满意`` / ``不满意``) is one sample; a 2-D array or a DataFrame
        has one sample per row (groups) and one column per category.
    confidence_level : float, default 0.95
        Joint level: all shares of a group are covered at once.
    method : {"goodman", "quesenberry_hurst", "sison_glaz"}
        * ``"goodman"`` -- Goodman (1965): Wilson-form score intervals with the
          Bonferroni critical value ``chi2_1(1 - alpha/k)``. Default: good for the
          few (3 or 5), unequal shares of a rating scale, and exact 0 / 1 at empty or
          full categories.
        * ``"quesenberry_hurst"`` -- Quesenberry & Hurst (1964): the same form with
          ``chi2_{k-1}(1 - alpha)``; conservative, wider than Goodman for small ``k``.
        * ``"sison_glaz"`` -- Sison & Glaz (1995): ``[p_i - c/n, p_i + (c + 2 gamma)/n]``
          from an Edgeworth approximation of the multinomial box probability; best for
          many categories with small counts. All shares get the same width, so a
          rare category gets a relatively wide interval. Its actual joint coverage
          can fall below the nominal level (Wang 2008; 0.91 instead of 0.95 in this
          package's simulation with shares 0.6 / 0.3 / 0.1 and n = 120). Needs
          integer counts.

    Returns
    -------
    pandas.DataFrame
        One row per group and category: the group column(s) (DataFrame index, or
        ``group`` for a 2-D array; none for 1-D input), ``category``, ``count``,
        ``n`` (group total), ``share``, ``ci_low``, ``ci_high``, ``method``,
        ``confidence_level``. A group with no responses has ``nan`` shares and bounds.

    Raises
    ------
    ValueError
        For an unknown method, a bad confidence level, fewer than 2 categories,
        negative or non-finite counts, or non-integer counts with ``"sison_glaz"``.

    Notes
    -----
    With ``k`` categories, ``x_i`` counts summing to ``n`` and ``alpha = 1 - level``,
    the Goodman and Quesenberry-Hurst bounds are

    .. math:: \\frac{q + 2x_i \\mp \\sqrt{q\\,(q + 4 x_i (n - x_i)/n)}}{2 (n + q)}

    with ``q = chi2_1(1 - alpha/k)`` (Goodman; this is the Wilson interval at level
    ``1 - alpha/k``) or ``q = chi2_{k-1}(1 - alpha)`` (Quesenberry-Hurst). These are
    the ``"goodman"`` and ``"qh"`` methods of R ``DescTools::MultinomCI``.

    Sison & Glaz choose the integer ``c`` with ``nu(c) < level <= nu(c + 1)``, where
    ``nu(c) = P(x_i - c <= X_i <= x_i + c for all i)`` for ``X ~ Multinomial(n, x/n)``,
    and ``gamma = (level - nu(c)) / (nu(c + 1) - nu(c))``. ``nu`` is computed with
    Levin's (1981) representation through independent truncated Poisson variables
    and a one-term Edgeworth expansion of their sum, as in the SAS macro of May &
    Johnson (2000) and R ``MultinomialCI`` (Villacorta). Written out here because
    SciPy has no multinomial simultaneous intervals and statsmodels may not be a
    dependency of this package. Bounds are clipped to [0, 1]. From ``c = n`` on, the
    box holds every outcome and ``nu(c) = 1`` is used exactly, as in statsmodels.

    Sison-Glaz is built on the plug-in multinomial ``x / n``, so it degenerates at the
    boundary that matters most here: when one level holds every answer (a "100%"
    item) or ``n`` is tiny, ``nu(1)`` already exceeds the level, ``c = 0`` and the
    lower bound equals the observed share (10 of 10 满意 gives [1, 1]). Use Goodman
    there; with three levels it gives 10 of 10 满意 the interval [0.636, 1] at 95%.

    References
    ----------
    .. [1] Goodman, L. A. (1965). On simultaneous confidence intervals for
       multinomial proportions. Technometrics 7, 247-254.
    .. [2] Quesenberry, C. P., Hurst, D. C. (1964). Large sample simultaneous
       confidence intervals for multinomial proportions. Technometrics 6, 191-195.
    .. [3] Sison, C. P., Glaz, J. (1995). Simultaneous confidence intervals and sample
       size determination for multinomial proportions. JASA 90, 366-369.
    .. [4] Levin, B. (1981). A representation for multinomial cumulative distribution
       functions. Annals of Statistics 9, 1123-1126.
    .. [5] May, W. L., Johnson, W. D. (2000). Constructing two-sided simultaneous
       confidence intervals for multinomial proportions for small counts in a large
       number of cells. Journal of Statistical Software 5(6).
    .. [6] Wang, H. (2008). Exact confidence coefficients of simultaneous confidence
       intervals for multinomial proportions. Journal of Multivariate Analysis 99,
       896-911.

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.Series([120, 25, 5], index=["满意", "基本满意", "不满意"])
    >>> multinomial_ci(counts)[["category", "share", "ci_low", "ci_high"]].round(3)
      category  share  ci_low  ci_high
    0       满意  0.800   0.711    0.866
    1     基本满意  0.167   0.106    0.251
    2      不满意  0.033   0.012    0.089
    """
    check_choice("method", method, MULTINOMIAL_CI_METHODS)
    level = check_confidence_level(confidence_level)
    matrix, categories, groups, one_group = _as_count_matrix(counts)
    n_groups, k = matrix.shape
    n = matrix.sum(axis=1, keepdims=True)
    if method == "sison_glaz":
        if np.any(matrix != np.round(matrix)):
            raise SurveyError("estimate.multinomial.sison_glaz")
        low, high = _sison_glaz_bounds(matrix, level)
    else:
        alpha = 1.0 - level
        q = (stats.chi2.isf(alpha / k, 1) if method == "goodman"
             else stats.chi2.isf(alpha, k - 1))
        low, high = _score_bounds(matrix, n, q)
    empty = (n == 0).ravel()
    low[empty], high[empty] = np.nan, np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n > 0, matrix / n, np.nan)
    out = pd.DataFrame({
        "category": np.tile(np.asarray(categories, dtype=object), n_groups),
        "count": matrix.ravel(),
        "n": np.repeat(n.ravel(), k),
        "share": share.ravel(),
        "ci_low": low.ravel(),
        "ci_high": high.ravel(),
        "method": method,
        "confidence_level": level,
    })
    if np.all(matrix == np.round(matrix)):
        out["count"] = out["count"].astype(np.int64)
        out["n"] = out["n"].astype(np.int64)
    if not one_group:
        group_columns = groups.loc[groups.index.repeat(k)].reset_index(drop=True)
        out = pd.concat([group_columns, out], axis=1)
    return out


def rating_shares(responses, by=None, confidence_level: float = 0.95,
                  method: str = "goodman") -> pd.DataFrame:
    """Share of each rating level, with simultaneous intervals, overall or per group.

    Parameters
    ----------
    responses : pandas.DataFrame or Survey
        Tidy responses with ``rating``, ``scale`` and ``rank`` columns (see
        :func:`~survey_analysis.load_responses`), or a Survey. All answers must use one
        scale with known levels (not a table of counts).
    by : str or list of str, optional
        Grouping column(s), e.g. ``"item_id"``; ``None`` pools all responses.
    confidence_level : float, default 0.95
    method : {"goodman", "quesenberry_hurst", "sison_glaz"}
        See :func:`multinomial_ci`.

    Returns
    -------
    pandas.DataFrame
        One row per group and level (best level first, every level of the scale
        listed even when nobody chose it): the ``by`` columns, ``rating`` (canonical
        label), ``rank``, ``count``, ``n``, ``share``, ``ci_low``, ``ci_high``,
        ``method``, ``confidence_level``. Groups are sorted as in
        :func:`~survey_analysis.satisfaction_counts`. The shares count answers (not
        weights). ``.attrs["satisfied_levels"]``: the levels counted as satisfied.

    Raises
    ------
    ValueError
        If the responses mix scales, come from a table of counts, are empty, or lack
        the needed columns.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"item_id": list("AAAABB"), "scale": "cn3",
    ...                   "rating": ["满意", "满意", "基本满意", "不满意", "满意", "满意"],
    ...                   "rank": [1, 1, 2, 3, 1, 1]})
    >>> rating_shares(r, by="item_id")[["item_id", "rating", "count", "share"]]
      item_id rating  count  share
    0       A     满意      2   0.50
    1       A   基本满意      1   0.25
    2       A    不满意      1   0.25
    3       B     满意      2   1.00
    4       B   基本满意      0   0.00
    5       B    不满意      0   0.00
    """
    by = [] if by is None else [by] if isinstance(by, str) else list(by)
    if isinstance(responses, pd.DataFrame):
        missing = [c for c in ["scale", "rank", *by] if c not in responses.columns]
        if missing:
            raise SurveyError("estimate.multinomial.columns", missing=missing,
                              columns=list(responses.columns))
        if len(responses) == 0:
            raise SurveyError("estimate.multinomial.empty")
        used = scales_of(responses)
        if len(used) > 1:
            raise SurveyError("estimate.multinomial.mixed_scales",
                              scales=sorted(str(s) for s in used))
        if "item_id" not in responses.columns:  # shares need no items: all answers as one
            responses = responses.assign(item_id="")
        responses = Design(responses, groups=[c for c in by if c != "item_id"], weight=False)
    return shares_of(responses, by, confidence_level=confidence_level, method=method)


def shares_of(survey, by=(), confidence_level: float = 0.95, method: str = "goodman") -> pd.DataFrame:
    """:func:`rating_shares` of a built design (``Survey.rating_shares`` is this function)."""
    by = [by] if isinstance(by, str) else list(by)
    if len(survey.scales) != 1 or "counts" in survey.scales:
        raise SurveyError("estimate.multinomial.one_scale",
                          scales=", ".join(survey.scales) or Message("design.none"))
    scale = next(iter(survey.scales.values()))
    levels = survey.level_counts(by)
    ranks = list(range(1, len(scale.levels) + 1))
    if by:
        table = (levels.pivot_table(index=by, columns="rank", values="n", aggfunc="sum",
                                    observed=True).reindex(columns=ranks, fill_value=0).fillna(0))
        table.columns = list(scale.levels)
    else:
        table = levels.groupby("rank")["n"].sum().reindex(ranks, fill_value=0)
        table.index = list(scale.levels)
    out = multinomial_ci(table.astype("int64"), confidence_level=confidence_level, method=method)
    # Rename by position: a group column may itself be called "category".
    out.columns = [*out.columns[:len(by)], "rating", *out.columns[len(by) + 1:]]
    out.insert(len(by) + 1, "rank", np.tile(ranks, len(out) // len(ranks)))
    # The satisfied levels by the definition in force, for plots that split at them.
    out.attrs["satisfied_levels"] = next(iter(survey.definition.levels.values()))
    return out
