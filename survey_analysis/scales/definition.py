"""Who counts as "satisfied": definitions over the scales in use."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..words import Message, Parts, SurveyError, say
from .scale import TOP_BOX_NAMES, scales_of

__all__ = ["Definition", "resolve_definition", "satisfied_mask"]

@dataclass(frozen=True, eq=False)
class Definition:
    """Who counts as satisfied, per scale, and how to say it.

    Attributes
    ----------
    name : str
        ``"default"`` (each scale's convention), ``"top_box"``, ``"top_two_box"`` ...,
        or ``"custom"``.
    levels : dict
        Scale name -> tuple of satisfied levels.
    scales : dict
        Scale name -> :class:`Scale`.
    """

    name: str
    levels: dict
    scales: dict

    @property
    def is_default(self) -> bool:
        """True when every scale uses its own convention."""
        return all(self.levels[n] == s.satisfied for n, s in self.scales.items())

    def cutoffs(self) -> dict:
        """Scale name -> number of top levels counted as satisfied."""
        return {name: len(levels) for name, levels in self.levels.items()}

    def describe(self, lang: str | None = None) -> str:
        """``"满意 + 基本满意"``; with several scales, ``"cn3: ...; easy4_en: ..."``. The levels
        as the scales write them, or in ``lang`` ("en" / "zh") where a scale gives their wording."""
        if not self.scales:
            return say("definition.no_answers", lang or "zh")
        parts = {name: self.scales[name].describe(levels, lang) for name, levels in self.levels.items()}
        if len(parts) == 1:
            return next(iter(parts.values()))
        return "; ".join(f"{name}: {text}" for name, text in parts.items())

    def sentence(self, lang: str = "zh") -> str:
        """A full sentence for reports: the definition and whether it is the convention."""
        text = self.describe(lang)
        names = ", ".join(self.scales)
        if list(self.scales) == ["counts"]:  # a table of counts: its authors' own definition
            return say("definition.counts", lang)
        tail = say("definition.convention" if self.is_default else "definition.not_convention", lang)
        return say("definition.sentence", lang, text=text, names=names, tail=tail)


def _levels_of(scales: dict) -> Parts:
    """Each scale's levels (``cn3: 满意, 基本满意, 不满意``), said one after the other."""
    return Parts(Message("scales.levels_of", {"name": n, "levels": ", ".join(s.levels)})
                 for n, s in scales.items())


def resolve_definition(scales: dict, satisfied=None) -> Definition:
    """The :class:`Definition` of "satisfied" on ``scales`` under ``satisfied``.

    Parameters
    ----------
    scales : dict
        Scale name -> :class:`Scale` (see :func:`scales_of`).
    satisfied : None, str, collection of str, or dict
        ``None`` / ``"default"``: each scale's convention; ``"top_box"``,
        ``"top_two_box"`` ...: the top ``k`` levels of every scale; a collection of
        levels: on each scale, those of its levels (a top block); a dict scale name ->
        any of these.

    Examples
    --------
    >>> from survey_analysis.scales import SCALES
    >>> d = resolve_definition({"haochaping5": SCALES["haochaping5"]})
    >>> d.describe(), d.is_default
    ('非常满意 + 满意 + 基本满意', True)
    >>> resolve_definition({"haochaping5": SCALES["haochaping5"]}, "top_two_box").describe()
    '非常满意 + 满意'
    """
    if isinstance(satisfied, dict):
        unknown = sorted(set(satisfied) - set(scales), key=str)
        if unknown:
            raise SurveyError("scales.definition.unknown_scales", unknown=unknown,
                              scales=", ".join(map(str, scales)))
        levels = {name: scale.resolve(satisfied.get(name)) for name, scale in scales.items()}
        name = "custom"
    elif satisfied is None or isinstance(satisfied, str) and (
            satisfied == "default" or satisfied in TOP_BOX_NAMES.values()):
        levels = {name: scale.resolve(satisfied) for name, scale in scales.items()}
        name = "default" if satisfied is None else satisfied
    elif isinstance(satisfied, str):
        known = set().union(*(s.levels for s in scales.values())) if scales else set()
        if satisfied not in known:
            raise SurveyError("scales.definition.unknown", value=satisfied,
                              boxes=", ".join(repr(n) for n in TOP_BOX_NAMES.values()),
                              levels=_levels_of(scales))
        levels = {name: scale.resolve([satisfied]) for name, scale in scales.items()
                  if satisfied in scale.levels}
        if len(levels) != len(scales):
            raise SurveyError("scales.definition.some_scales", value=satisfied)
        name = "custom"
    else:
        wanted = [str(s) for s in satisfied]
        known = set().union(*(s.levels for s in scales.values())) if scales else set()
        unknown = [w for w in wanted if w not in known]
        if unknown and scales:
            raise SurveyError("scales.definition.not_levels", unknown=unknown,
                              levels=_levels_of(scales))
        levels = {}
        for scale_name, scale in scales.items():
            mine = [w for w in wanted if w in scale.levels]
            if not mine:
                raise SurveyError("scales.definition.no_level", scale=scale_name,
                                  levels=", ".join(scale.levels))
            levels[scale_name] = scale.resolve(mine)
        name = "custom"
    definition = Definition(name, levels, dict(scales))
    if name == "custom" and definition.is_default:
        definition = Definition("default", levels, dict(scales))
    return definition


def satisfied_mask(responses: pd.DataFrame, satisfied=None) -> pd.Series:
    """Boolean Series: which tidy responses count as satisfied.

    Parameters
    ----------
    responses : pandas.DataFrame
        Tidy responses with ``scale`` and ``rank`` columns.
    satisfied : None, str, collection of str, dict or Definition
        See :func:`resolve_definition`; default: each scale's convention (``cn3``:
        满意 + 基本满意; ``haochaping5``: 非常满意 + 满意 + 基本满意, i.e. not 差评).

    Returns
    -------
    pandas.Series of bool, aligned with ``responses``.

    Examples
    --------
    >>> r = pd.DataFrame({"rating": ["满意", "基本满意", "不满意"], "scale": "cn3", "rank": [1, 2, 3]})
    >>> satisfied_mask(r).tolist(), satisfied_mask(r, "top_box").tolist()
    ([True, True, False], [True, False, False])
    """
    definition = (satisfied if isinstance(satisfied, Definition)
                  else resolve_definition(scales_of(responses), satisfied))
    cutoffs = definition.cutoffs()
    scale = responses["scale"]
    if len(cutoffs) == 1:
        cutoff = np.full(len(responses), next(iter(cutoffs.values())), dtype=float)
    else:
        keys = scale.map(lambda v: int(v) if isinstance(v, (int, np.integer)) else v)
        cutoff = keys.map(cutoffs).to_numpy(dtype=float, na_value=np.nan)
    rank = responses["rank"].to_numpy(dtype=float, na_value=np.nan)
    return pd.Series(rank <= cutoff, index=responses.index, name="satisfied")
