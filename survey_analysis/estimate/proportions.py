"""Any proportion under the design: the share of answers with some value, overall or by group.

The satisfaction rate is one proportion among many a report needs: the share of answers
given by telephone, of complaints settled within a week, of the dissatisfied who were
visited. :func:`proportion` estimates any of them under the study's design -- the same
clusters, strata and weights as the satisfaction rate -- by turning the answers into a
yes/no question (``y = 1`` when the answer has the value asked for) and running the
package's own estimators on it: :func:`~survey_analysis.estimate.rates.overall` for one
pooled share, :func:`~survey_analysis.estimate.domains.domain_rates` for a share per
group. A share among some answers only (``among``) is a domain of the whole design, as R
``svyciprop(~y, subset(design, ...))``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .._validation import check_choice
from ..design.design import Design, as_design
from ..scales.scale import scale_of, scales_of
from ..words import Message, SurveyError, SurveyWarning
from .domains import domain_rates
from .rates import CLUSTER_CI_METHODS, overall

__all__ = ["PROPORTION_COLUMNS", "PROPORTION_WORDS", "proportion"]

#: The words ``of`` and ``among`` take besides a ``{column: values}`` dict.
PROPORTION_WORDS = ("satisfied", "dissatisfied")
#: Columns of a :func:`proportion` table (after the ``by`` column, when there is one).
PROPORTION_COLUMNS = ("rate", "ci_low", "ci_high", "n", "positive", "se", "df", "confidence_level",
                      "note")
_AMONG = "__proportion_among__"


def _satisfied_rows(design, frame: pd.DataFrame) -> np.ndarray:
    """Which answers of tidy ``frame`` are satisfied under ``design``'s definition (its
    :meth:`~survey_analysis.design.design.Design.satisfied_flags`, row by row)."""
    names = {key: scale.name for key, scale in scales_of(frame).items()}
    cutoff = frame["scale"].astype(object).map(names).map(design.definition.cutoffs())
    rank = pd.to_numeric(frame["rank"], errors="coerce").to_numpy(dtype=float)
    return rank <= cutoff.to_numpy(dtype=float, na_value=np.nan)


def _indicator(design, frame: pd.DataFrame, spec, name: str) -> np.ndarray:
    """The 0/1 answers of ``spec`` (``of`` or ``among``), one per row of ``frame``."""
    if isinstance(spec, str):
        check_choice(name, spec, PROPORTION_WORDS)
        satisfied = _satisfied_rows(design, frame)
        return satisfied if spec == "satisfied" else ~satisfied
    if not isinstance(spec, dict) or not spec:
        raise SurveyError("estimate.proportions.form", name=name, value=spec)
    missing = [column for column in spec if column not in frame.columns]
    if missing:
        raise SurveyError("estimate.proportions.column_missing", name=name, missing=missing,
                          columns=list(frame.columns))
    hit = np.ones(len(frame), dtype=bool)
    for column, values in spec.items():  # a few columns, each compared in one pass
        values = [values] if isinstance(values, str) or not np.iterable(values) else list(values)
        wanted = [str(v).strip() for v in values]
        text = frame[column].astype("string").str.strip()
        hit &= text.isin(wanted).fillna(False).to_numpy(dtype=bool)
        seen = set(text.dropna().unique().tolist())
        unseen = [v for v in wanted if v not in seen]
        if unseen:  # a typo is loud, not an error: the share is then 0
            warnings.warn(SurveyWarning(Message("estimate.proportions.unseen", {
                "name": name, "column": column, "unseen": unseen, "found": sorted(seen)[:20]})),
                stacklevel=3)
    return hit


def _yes_no_design(base, frame: pd.DataFrame, y: np.ndarray, inside, by) -> Design:
    """``base``'s design over the answers made yes/no (``rank`` 1 when ``y``), with the
    rows outside ``among`` kept in the design but out of its domain."""
    options = dict(base.options)
    extra = [c for c in ([by] if by is not None else []) if c not in options["groups"]]
    rank = np.where(y, 1, 2).astype(np.int64)
    levels = np.asarray(scale_of("yes_no").levels, dtype=object)
    yes_no = frame.assign(scale="yes_no", rank=rank, rating=levels[rank - 1])
    if inside is not None:
        yes_no[_AMONG] = inside
        extra.append(_AMONG)
    yes_no.attrs = {}  # the answers' own scales and ledger do not describe these
    options.update(satisfied=None, groups=list(dict.fromkeys([*options["groups"], *extra])))
    design = Design(yes_no, **options)
    domain = {**dict(base.domain or {}), **({_AMONG: True} if inside is not None else {})}
    return design.subset(domain) if domain else design


def proportion(responses, of, *, among=None, by=None, confidence_level: float = 0.95,
               method: str = "logit", cluster=None, strata=None, weight=None,
               items_as=None) -> pd.DataFrame:
    """Share of the answers with some value, under the design, overall or per group.

    Parameters
    ----------
    responses : pandas.DataFrame or Survey
        Tidy responses (with the columns ``of``, ``among`` and ``by`` name), or a
        :class:`~survey_analysis.Survey` built from them (its design is used as it is).
    of : dict or {"satisfied", "dissatisfied"}
        What is counted: ``{column: value or [values]}`` -- ``y = 1`` for an answer whose
        ``column`` is one of the values (compared as text, spaces stripped; several
        columns must all match) -- or ``"satisfied"`` (the design's definition of
        satisfied) or ``"dissatisfied"`` (every other valid answer).
    among : None, dict or {"satisfied", "dissatisfied"}
        The base of the share: every answer of the design (None), or those matching a
        dict or word as ``of``. A domain of the whole design: its clusters, strata and
        weights stay the whole design's (R ``subset(design, ...)``).
    by : str, optional
        One share per value of this column (``"item_id"``, a district ...).
    confidence_level : float, default 0.95
    method : {"logit", "beta", "mean"}, default "logit"
        Interval of the pooled share (without ``by``), as
        :func:`~survey_analysis.overall_rate`'s pooled rate. With ``by``, the t interval
        of :func:`~survey_analysis.domain_rates`.
    cluster, strata, weight, items_as
        Design options as in :class:`~survey_analysis.Survey`; None keeps the default
        (or the Survey's own).

    Returns
    -------
    pandas.DataFrame
        One row (without ``by``), or one per value of ``by`` (sorted), with the ``by``
        column, ``rate`` (the weighted share ``sum w y / sum w`` over the base),
        ``ci_low``, ``ci_high``, ``n`` (answers in the base), ``positive`` (answers of
        the base with ``y = 1``), ``se`` (design-based standard error), ``df`` (degrees
        of freedom of the interval), ``confidence_level`` and ``note`` (why an interval
        is missing or uncertain; "" otherwise). ``.attrs``: ``of``, ``among`` and
        ``definition`` (the definition of "satisfied" in force).

    Raises
    ------
    SurveyError
        A column of ``of``, ``among`` or ``by`` that the responses lack (the error
        names the columns there are), an ``of`` or ``among`` of another form, a base
        with no answer, a Survey counted from a file without loading its rows, or a
        calibrated Survey.

    Warns
    -----
    SurveyWarning
        A value of ``of`` or ``among`` no answer has (the warning names those found).

    Notes
    -----
    The answers are made a yes/no question, ``y_i = 1`` when answer ``i`` matches
    ``of``, and the design's own estimators run on it: the share is the ratio
    ``p = sum_i w_i d_i y_i / sum_i w_i d_i`` (``d_i = 1`` in the base ``among``), its
    variance the design variance of the linearized values ``z_i = w_i d_i (y_i - p) /
    sum w d`` (Woodruff 1971), with the design's clusters, strata, weights and
    lonely-cluster rule. So ``proportion(r, of="satisfied")`` *is* the pooled rate of
    :func:`~survey_analysis.overall_rate` (estimate, interval, ``se`` and ``df``), and
    ``of="dissatisfied"`` its complement.

    Without ``by`` the interval is R ``svyciprop(~y, design, method = ...)`` (with
    ``among``: ``svyciprop(~y, subset(design, ...))``) on the degrees of freedom of the
    clusters holding the base minus their strata (R ``degf`` of the subset; the
    design's clusters - strata without ``among``): the logit interval (Korn & Graubard
    1998) stays in [0, 1] and is lopsided near 0 or 1. With ``by`` each group
    is a domain as in :func:`~survey_analysis.domain_rates`: ``se`` is R
    ``SE(svyby(~y, ~by, design, svymean))``, the interval is the t interval on the
    group's own degrees of freedom -- the clusters holding it minus their strata (Korn
    & Graubard 1999, sec. 5.2) -- and a group held by one cluster has no variance
    estimate (``se`` nan, with a note). Values agree with R ``survey`` 4.1.1
    (``tests/R/reference_proportion.R``): standard errors and ``svyby`` shares to
    1e-10, ``svyciprop`` intervals to 1e-10 (1e-9 in a domain, where R's logit interval
    rests on its glm fit's coefficient, converged to about 1e-10).

    A table of counts per unit already gives any count over any total:
    ``Survey.from_counts(table, item=..., n="受理数", satisfied="办结数").overall()`` is
    the pooled share of settled cases among those received, with its design-based
    interval (see the last example).

    References
    ----------
    .. [1] Woodruff, R. S. (1971). A simple method for approximating the variance of a
       complicated estimate. JASA 66, 411-414.
    .. [2] Korn, E. L., Graubard, B. I. (1998). Confidence intervals for proportions
       with small expected number of positive counts estimated from survey data.
       Survey Methodology 24, 193-201.
    .. [3] Korn, E. L., Graubard, B. I. (1999). Analysis of Health Surveys, sec. 5.2.
       Wiley.
    .. [4] Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"item_id": list("AAAABBBBCCCC"), "scale": "cn3",
    ...                   "rank": [1, 1, 2, 3, 1, 3, 1, 1, 2, 3, 3, 1],
    ...                   "channel": ["web", "phone", "web", "web", "phone", "web",
    ...                               "phone", "phone", "web", "web", "phone", "web"]})
    >>> out = proportion(r, of={"channel": "web"})
    >>> out[["rate", "n", "positive", "df"]].round(4)
         rate   n  positive  df
    0  0.5833  12          7   2
    >>> proportion(r, of={"channel": "web"}, among="dissatisfied")[["rate", "n", "positive"]]
       rate  n  positive
    0  0.75  4         3
    >>> proportion(r, of={"channel": "web"}, by="item_id")[["item_id", "rate", "n", "positive"]]
      item_id  rate  n  positive
    0       A  0.75  4         3
    1       B  0.25  4         1
    2       C  0.75  4         3

    Any count over any total of a counts table (cases settled among those received):

    >>> import survey_analysis as sa
    >>> table = pd.DataFrame({"item_id": ["X", "Y", "Z"], "受理数": [40, 25, 35],
    ...                       "办结数": [36, 20, 35]})
    >>> round(sa.Survey.from_counts(table, n="受理数", satisfied="办结数").overall().pooled.estimate, 4)
    0.91
    """
    check_choice("method", method, CLUSTER_CI_METHODS)
    if by is not None and not isinstance(by, str):
        raise SurveyError("estimate.one_column", name="by", value=by)
    base = as_design(responses, cluster=cluster, strata=strata, weight=weight, items_as=items_as)
    frame = base.responses
    if frame is None:
        raise SurveyError("estimate.proportions.no_responses", source=base.source or "<counts>")
    if base.calibration is not None:
        raise SurveyError("estimate.proportions.calibrated")
    if by is not None and by not in frame.columns:
        raise SurveyError("estimate.proportions.column_missing", name="by", missing=[by],
                          columns=list(frame.columns))
    y = _indicator(base, frame, of, "of")
    inside = None if among is None else _indicator(base, frame, among, "among")
    in_base = np.ones(len(frame), dtype=bool) if inside is None else inside
    if base.domain:
        in_base = in_base & base.in_domain(frame)
    if not in_base.any():
        raise SurveyError("estimate.proportions.empty_base", among=among)
    design = _yes_no_design(base, frame, y, inside, by)
    level = float(confidence_level)
    if by is None:
        pooled = overall(design, method=method, confidence_level=level).pooled
        totals = design.counts([])
        out = pd.DataFrame({"rate": [pooled.estimate], "ci_low": [pooled.ci_low],
                            "ci_high": [pooled.ci_high], "n": totals["n"].to_numpy(),
                            "positive": totals["satisfied"].to_numpy(), "se": [pooled.se],
                            "df": [pooled.df], "confidence_level": [level]})
        out["note"] = pd.Series([pooled.note], dtype=object)
    else:
        rates = domain_rates(design, by, confidence_level=level)
        counts = design.counts([by])
        out = rates[[by, "rate", "ci_low", "ci_high", "n"]].assign(
            positive=counts["satisfied"].to_numpy(), se=rates["se"].to_numpy(),
            df=rates["df"].to_numpy(), confidence_level=level)
        out["note"] = rates["note"]
    out.attrs.update(of=of, among=among, definition=base.definition)
    return out
