"""How much the headline depends on the definition of "satisfied".

A published 满意率 counts some top levels of a scale as satisfied: 满意 + 基本满意 on
the 3-level scale, the top three ("not 差评") on the national 好差评 five levels. The same
answers give another headline under each other definition, and another again as a
score index (each level scored 0-100 and averaged). :func:`definition_sensitivity` puts
every definition a scale allows side by side (:meth:`Scale.alternatives
<survey_analysis.scales.Scale.alternatives>`), each as a pooled rate (design-based,
items as clusters) and as the mean of item rates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validation import check_choice, check_confidence_level
from ..design.design import as_design
from ..design.variance import t_quantile
from ..scales.scale import TOP_BOX_NAMES, scale_of
from ..words import Note, SurveyError, said, say
from .rates import CLUSTER_CI_METHODS, items_mean_interval, overall, pooled_variance

__all__ = ["definition_sensitivity", "score_index", "score_lookup"]


def score_lookup(design, scores=None) -> dict:
    """(scale name, rank) -> score on 0-1 for every level of the design's scales.

    ``scores``: None (each scale's own scores, by default equally spaced from 100 to 0),
    ``{scale: {level: score}}`` (a scale by name, or ``3`` / ``5`` / ``2`` for ``cn3`` /
    ``cn5`` / ``yes_no``) or a flat ``{level: score}`` for every scale; scores on 0-100.
    """
    nested = scores is not None and all(isinstance(v, dict) for v in scores.values())
    mapping = {}
    if nested:
        mapping = {scale_of(key).name if not isinstance(key, str) or key not in design.scales
                   else key: value for key, value in scores.items()}
    known_levels = {level for s in design.scales.values() for level in s.levels}
    if scores is not None and not nested:
        unknown = set(scores) - known_levels
        if unknown:
            raise SurveyError("estimate.sensitivity.unknown_labels", labels=sorted(unknown))
    lookup = {}
    for name, scale in design.scales.items():
        given = mapping.get(name, {}) if nested else scores
        for rank, level in enumerate(scale.levels, start=1):
            if scores is None:
                value = scale.scores[rank - 1]
            elif level in given:
                value = float(given[level])
            else:
                raise SurveyError("estimate.sensitivity.missing_score", level=level, scale=name)
            if not 0.0 <= value <= 100.0:
                raise SurveyError("estimate.sensitivity.score_range", level=level, value=value)
            lookup[(name, rank)] = value / 100.0
    return lookup


def _score_values(lookup: dict):
    """``values(table)``: the score of each (scale, rank) cell of a level-counts table, looked
    up for all cells at once (a table has a row per item x level)."""
    index = pd.MultiIndex.from_tuples(list(lookup), names=["scale", "rank"])
    scores = np.fromiter(lookup.values(), dtype=float, count=len(lookup))

    def values(table: pd.DataFrame) -> np.ndarray:
        cells = pd.MultiIndex.from_arrays([table["scale"].astype(str).to_numpy(),
                                           table["rank"].astype(int).to_numpy()])
        position = index.get_indexer(cells)
        if (position < 0).any():
            missing = cells[position < 0][0]
            # A KeyError, as a lookup that misses: every level of the design's scales has a
            # score, so this is a cell of a scale the lookup was not built for.
            raise KeyError(say("estimate.sensitivity.no_score", rank=missing[1], scale=missing[0]))
        return scores[position]
    return values


def _index(design, scores, level: float) -> pd.DataFrame:
    lookup = score_lookup(design, scores)
    totals = design.cluster_totals(values=_score_values(lookup))
    total_weight = float(totals["W"].sum())
    n_rows = int(totals["n"].sum())
    n_clusters = len(totals)
    if total_weight <= 0:
        mean, low, high, df, note = np.nan, np.nan, np.nan, 0, Note("estimate.no_responses")
    else:
        mean = float(totals["Y"].sum() / total_weight)
        result = pooled_variance(design, mean, values=_score_values(lookup))
        variance, df = float(result.covariance[0, 0]), result.df
        if df < 1:
            low = high = np.nan
            note = Note("estimate.sensitivity.few_clusters")
        else:
            half = float(t_quantile(df, (1.0 - level) / 2.0)) * np.sqrt(variance)
            low, high = max(0.0, mean - half), min(1.0, mean + half)
            note = "" if variance > 0 else Note("estimate.sensitivity.zero_variance")
    levels = design.level_counts([design.item])
    weight = levels["w"]
    score = _score_values(lookup)(levels)
    per_item = pd.DataFrame({"item": levels[design.item], "Y": weight * score, "W": weight}) \
        .groupby("item", sort=True, observed=True)[["Y", "W"]].sum()
    item_scores = (per_item["Y"] / per_item["W"]).to_numpy(dtype=float)
    item_mean = float(item_scores.mean()) if len(item_scores) else np.nan
    item_low, item_high, item_note = items_mean_interval(item_scores, level)
    rows = [
        ("pooled", "cluster_t", mean, low, high, n_rows, n_clusters, df, note),
        ("mean_of_items", "t", item_mean, item_low, item_high, n_rows, len(item_scores),
         len(item_scores) - 1, item_note),
    ]
    return pd.DataFrame(rows, columns=["estimand", "ci_method", "estimate", "ci_low", "ci_high",
                                       "n_responses", "n_clusters", "df", "note"])


def score_index(responses, cluster=None, strata: str | None = None, weight=None,
                scores=None, confidence_level: float = 0.95) -> pd.DataFrame:
    """Mean satisfaction score (0-1) with a design-based interval, items as clusters.

    Parameters
    ----------
    responses : pandas.DataFrame, Survey, path or Dask DataFrame
        Tidy responses (or anything :class:`~survey_analysis.Survey` accepts).
    cluster : str or list of str, default "item_id"
    strata : str, optional
    weight : str, None or False
        Respondent weight column; ``None`` uses ``"weight"`` when present.
    scores : dict, optional
        ``{scale: {level: score}}`` or a flat ``{level: score}`` applied to every
        scale, scores on 0-100. Default: each scale's scores (equally spaced from 100
        for the best level to 0 for the worst: 3-level 100 / 50 / 0; 5-level 100 / 75
        / 50 / 25 / 0).
    confidence_level : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        Two rows, ``estimand`` ``pooled`` (the mean score over all responses; interval
        ``cluster_t``) and ``mean_of_items`` (mean of item mean scores; ``t`` over
        items), with ``estimate``, ``ci_low``, ``ci_high`` on the 0-1 scale (multiply
        by 100 for the usual 0-100 index), ``ci_method``, ``n_responses``,
        ``n_clusters``, ``df``, ``note``.

    Notes
    -----
    With item totals ``Y_c = sum w s`` and ``W_c = sum w``, the pooled index is
    ``m = sum Y_c / sum W_c`` and its linearized variance is
    ``v = sum_h n_h/(n_h - 1) sum_c (z_c - mean_h z)^2``, ``z_c = (Y_c - m W_c) / W``;
    the interval is ``m -/+ t_{df} sqrt(v)`` with df = clusters - strata, clipped to
    [0, 1] -- R ``survey::svymean`` with ``confint(df = degf(design))``
    (``tests/R/reference_sensitivity.R``).

    References
    ----------
    .. [1] Lumley, T. (2004). Analysis of complex survey samples. J. Stat. Softw. 9(8).
    .. [2] Woodruff, R. S. (1971). A simple method for approximating the variance of a
       complicated estimate. JASA 66, 411-414.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"item_id": list("AAABBB"), "scale": "cn3",
    ...                   "rating": ["满意", "基本满意", "不满意", "满意", "满意", "基本满意"],
    ...                   "rank": [1, 2, 3, 1, 1, 2]})
    >>> score_index(r)[["estimand", "estimate"]].round(4)     # (150 + 250) / 6 / 100
            estimand  estimate
    0         pooled    0.6667
    1  mean_of_items    0.6667
    """
    level = check_confidence_level(confidence_level)
    design = as_design(responses, cluster=cluster, strata=strata, weight=weight)
    return _index(design, scores, level)


def _rendered(label, lang: str) -> str:
    """A label in ``lang``: a catalogue note rendered; levels (a scale and its levels) in the
    scale's wording for ``lang`` (``非常好 + 好`` for fft in Chinese)."""
    if isinstance(label, tuple):
        scale, levels = label
        return scale.describe(levels, lang)
    return said(label, lang)


def _definitions(design) -> list[tuple[str, object, object]]:
    """(name, satisfied spec, short label) of every definition worth comparing, the
    convention first.

    One scale: its convention and each other top-``k`` box up to half its levels
    (:meth:`~survey_analysis.scales.Scale.alternatives`). Several scales: the conventions,
    then per scale each of its own alternatives with the other scales at their convention,
    named ``scale: top_box`` -- never one "top three" for a 4-level and a 5-level scale
    alike -- and a definition that counts the same levels as one before it left out.
    """
    if len(design.scales) == 1:
        scale = next(iter(design.scales.values()))
        return [(TOP_BOX_NAMES.get(len(levels), name) if name == "default" else name, levels,
                 (scale, levels)) for name, levels in scale.alternatives().items()]
    out, seen = [("default", None, Note("estimate.sensitivity.conventions"))], set()
    for scale_name, scale in design.scales.items():
        for name, levels in scale.alternatives().items():
            if name == "default" or (scale_name, levels) in seen:
                continue
            seen.add((scale_name, levels))
            out.append((f"{scale_name}: {name}", {scale_name: list(levels)},
                        Note("estimate.sensitivity.scale_top", scale=scale_name, k=len(levels),
                             count=len(scale.levels))))
    return out


def definition_sensitivity(responses, confidence_level: float = 0.95, cluster=None,
                           strata: str | None = None, weight=None, method: str = "logit",
                           scores=None) -> pd.DataFrame:
    """The overall headline under every definition of "satisfied" the scale allows.

    Parameters
    ----------
    responses : pandas.DataFrame, Survey, path or Dask DataFrame
        Tidy responses (or anything :class:`~survey_analysis.Survey` accepts).
    confidence_level : float, default 0.95
    cluster : str or list of str, default "item_id"
        Cluster column(s) for the design-based intervals (items as clusters).
    strata : str, optional
        Stratum column; clusters nested in strata.
    weight : str, None or False
        Respondent weight column; ``None`` uses ``"weight"`` when present.
    method : {"logit", "beta"}, default "logit"
        Interval for the pooled rates; see
        :func:`~survey_analysis.estimate.rates.cluster_proportion_ci`.
    scores : dict, optional
        Scores for the score index; see :func:`score_index`.

    Returns
    -------
    pandas.DataFrame
        Two rows (``estimand`` ``pooled`` / ``mean_of_items``) per ``definition``:
        the scale's convention first (named by how many top levels it counts:
        ``top_two_box`` for ``cn3``'s 满意 + 基本满意, ``top_three_box`` for
        ``haochaping5``'s "not 差评"), then every other top-``k`` box up to half the
        levels (``top_box`` ...), then ``score_index`` (mean score / 100). Columns
        ``definition``, ``satisfied_levels`` (the levels counted, e.g. ``"满意 +
        基本满意"``), ``is_default`` (the scale's convention), ``estimand``,
        ``estimate``, ``ci_low``, ``ci_high`` (all on 0-1), ``ci_method``,
        ``confidence_level``, ``n_responses``, ``n_clusters``, ``df``, ``difference``
        (estimate minus the convention's estimate of the same estimand) and ``note``.
        ``label`` and ``label_zh`` name a figure's rows in English and Chinese (the
        levels counted on one scale; ``scale: top k of m`` on several, the levels in
        ``satisfied_levels``). With items on several scales the
        convention is ``default`` (each scale's own), then each scale's own top-``k``
        boxes (up to half its levels) one scale at a time, named ``scale: top_box``
        ..., the other scales at their convention.

    Notes
    -----
    Rates come from :func:`~survey_analysis.overall_rate` (pooled: design-based
    interval with items as clusters, ``cluster_<method>``; mean of items: ``t``);
    the score index from :func:`score_index` (``cluster_t`` / ``t``). On the same
    answers, ``top_box <= score_index <= top_two_box`` for the default 3-level
    scores, because 基本满意 scores 1 in top-two-box, 0.5 in the index and 0 in
    top-box. The counts are made once; each definition only re-reads them.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"item_id": list("AAAABBBB"), "scale": "cn3",
    ...                   "rating": ["满意", "基本满意", "基本满意", "不满意",
    ...                              "满意", "满意", "满意", "基本满意"],
    ...                   "rank": [1, 2, 2, 3, 1, 1, 1, 2]})
    >>> t = definition_sensitivity(r)
    >>> t.loc[t["estimand"] == "pooled", ["definition", "estimate", "difference"]].round(4)
        definition  estimate  difference
    0  top_two_box    0.8750      0.0000
    2      top_box    0.5000     -0.3750
    4  score_index    0.6875     -0.1875
    """
    check_choice("method", method, CLUSTER_CI_METHODS)
    level = check_confidence_level(confidence_level)
    design = as_design(responses, cluster=cluster, strata=strata, weight=weight)
    pieces = []
    for position, (name, spec, label) in enumerate(_definitions(design)):
        variant = design.with_definition(spec)
        result = overall(variant, method=method, confidence_level=level)
        fields = ["estimand", "ci_method", "estimate", "ci_low", "ci_high", "n_responses",
                  "n_clusters", "df", "note"]
        part = pd.DataFrame([{f: getattr(e, f) for f in fields}
                             for e in (result.pooled, result.mean_of_items)])
        pieces.append(part.assign(definition=name, label=_rendered(label, "en"), label_zh=_rendered(label, "zh"),
                                  satisfied_levels=variant.definition.describe(), is_default=position == 0))
    index = _index(design, scores, level)
    score = Note("estimate.sensitivity.score_levels")
    pieces.append(index.assign(definition="score_index", label=score.render("en"), label_zh=score.render("zh"),
                               satisfied_levels=score, is_default=False))
    out = pd.concat(pieces, ignore_index=True)
    default = out.loc[out["is_default"]].set_index("estimand")["estimate"]
    out["difference"] = out["estimate"] - out["estimand"].map(default)
    out["confidence_level"] = level
    columns = ["definition", "label", "label_zh", "satisfied_levels", "is_default", "estimand", "estimate", "ci_low",
               "ci_high", "ci_method", "confidence_level", "n_responses", "n_clusters", "df",
               "difference", "note"]
    out = out[columns]
    out.attrs["definition"] = design.definition
    return out
