"""Rating scales as data: their levels, who counts as "satisfied", and how labels are read.

A :class:`Scale` is ordered levels (best first), the levels that count as satisfied by
the scale's own convention, its "don't know" labels, synonyms and numeric codes. The
presets in :data:`SCALES` each carry their source and their conventional definition of
"satisfied"; analysts declare their own with ``Scale(...)``.

A tidy response carries three scale columns:

* ``rating`` -- the canonical level (``满意``, ``Very good`` ...);
* ``scale`` -- the name of the scale it belongs to (``cn3``, ``haochaping5`` ...);
* ``rank`` -- its position from the top (1 = best).

Labels are compared after :func:`~survey_analysis.scales.text.normalize_text`. "Don't
know" answers (不了解, 说不清, Don't know ...; :data:`COMMON_DONT_KNOW` on every scale) are
left out of the denominator and counted.

Numbers never get a direction by assumption: numeric codes are read only on a scale
that declares them (``points5``: 5 = best; ``fft``: 1 = very good), never by
``scale="auto"``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .._validation import check_choice
from ..words import Hint, SurveyError
from .text import code_key, code_keys, normalize_many, normalize_one, traditional_spellings

__all__ = ["ALL_WORDS", "COMMON_DONT_KNOW", "DONT_KNOW", "ORDERS", "SCALES", "TOP_BOX_NAMES", "Scale",
           "common_dont_know", "is_dont_know", "scale_of", "scales_of"]

#: Target meaning "don't know" in ``synonyms``, ``codes`` and ``labels=`` mappings.
DONT_KNOW = "dont_know"

#: "Don't know" and "not applicable" answers recognized on every scale (normalized).
COMMON_DONT_KNOW = (
    "不了解", "说不清", "不清楚", "不知道", "无法评价", "不好说", "不确定", "说不清楚", "不太清楚",
    "不太了解", "不好评价", "无法回答", "不适用", "未评价",
    "don't know", "dont know", "do not know", "not sure", "dk", "no opinion", "can't say",
    "cannot say", "not applicable", "don't know / not sure",
)

COMMON_DONT_KNOW = tuple(traditional_spellings(COMMON_DONT_KNOW))  # 不瞭解, 說不清, 無法評價 ...


#: Names of the definitions that count the top ``k`` levels as satisfied.
TOP_BOX_NAMES = {1: "top_box", 2: "top_two_box", 3: "top_three_box", 4: "top_four_box",
                 5: "top_five_box"}
_TOP_BOX_K = {name: k for k, name in TOP_BOX_NAMES.items()}


@dataclass(frozen=True, eq=False)
class Scale:
    """A rating scale: ordered levels, the satisfied levels, and how labels are read.

    Parameters
    ----------
    levels : sequence of str
        Canonical labels (at least two), in the order ``order`` says.
    satisfied : int or collection of str
        The levels counted as satisfied by the scale's convention: the ``k`` best levels
        (an int), or the labels themselves. They must be a block at the best end of the
        scale -- a better level cannot be "not satisfied" while a worse one is -- and must
        leave at least one level out.
    order : {"best_first", "worst_first"}, optional
        Which end of ``levels`` is the best. R factors and SPSS value labels often list
        the worst level first (``Strongly disagree`` ... ``Strongly agree``). When not
        given, it is read from the satisfied labels when they are given as labels (the
        end they sit at), else from the words at the two ends (very good / strongly agree
        / 满意 / 好 against poor / disagree / 不 / 差); when neither tells and
        ``satisfied`` is a number, the scale is refused with an error asking for
        ``order=``. The levels are kept best first (:attr:`levels`); :attr:`order` says
        how they were given and :attr:`order_how` how that was known.
    dont_know : sequence of str, optional
        Extra labels meaning "don't know" (left out of the denominator and counted);
        :data:`COMMON_DONT_KNOW` is recognized on every scale.
    synonyms : dict, optional
        Other label -> level (or :data:`DONT_KNOW`), e.g. ``{"很满意": "非常满意"}``.
    codes : dict, optional
        Numeric code -> level (or :data:`DONT_KNOW`), e.g. ``{1: "Very good", 6:
        "dont_know"}``. Codes are read only when this scale is chosen explicitly.
    name : str, optional
        Short name shown in reports (default ``"custom"``).
    source : str, optional
        Where the wording and the convention come from.
    convention : str, optional
        The definition of "satisfied" in plain words (e.g. ``"not 差评"``).
    labels_en : dict, optional
        Level -> English wording, for bilingual tables.
    labels_zh : dict, optional
        Level -> Chinese wording (for a scale worded in English), so that a Chinese report
        names the levels in Chinese.
    scores : sequence of float, optional
        Score (0-100) of each level for the score index; default equally spaced from
        100 (best) to 0 (worst).

    Examples
    --------
    >>> s = Scale(["很好", "好", "一般", "差"], satisfied=2, name="mine")
    >>> s.satisfied, s.rank("一般")
    (('很好', '好'), 3)
    >>> s.describe()
    '很好 + 好'
    >>> Scale(["A", "B", "C"], satisfied=["B"])
    Traceback (most recent call last):
    ...
    survey_analysis.words.SurveyError: satisfied levels of scale 'custom' must be its top levels (best first: A, B, C); got ['B'], which leaves out A above them

    Listed worst first, as R and SPSS list levels: the words at the ends tell the order.

    >>> agree = Scale(["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"], satisfied=2)
    >>> agree.satisfied, agree.order, agree.order_how
    (('Strongly agree', 'Agree'), 'worst_first', 'words')
    >>> Scale(["A", "B", "C"], satisfied=1)
    Traceback (most recent call last):
    ...
    survey_analysis.words.SurveyError: which end of scale 'custom' is the best? Its levels (A, B, C) do not say and satisfied=1 counts from the best end: pass order='best_first' (A is best) or order='worst_first' (C is best)
    """

    levels: tuple
    satisfied: tuple
    dont_know: tuple = ()
    synonyms: dict = field(default_factory=dict)
    codes: dict = field(default_factory=dict)
    name: str = "custom"
    source: str = ""
    convention: str = ""
    labels_en: dict = field(default_factory=dict)
    labels_zh: dict = field(default_factory=dict, compare=False)
    scores: tuple = ()
    order: str = field(default="best_first", compare=False)
    order_how: str = field(default="given", compare=False)

    def __init__(self, levels, satisfied, *, dont_know=(), synonyms=None, codes=None, name=None,
                 source="", convention="", labels_en=None, scores=None, order=None, labels_zh=None):
        if isinstance(levels, str) or len(list(levels)) < 2:
            raise SurveyError("scales.scale.two_levels", levels=levels)
        levels = tuple(str(level).strip() for level in levels)
        name = "custom" if name is None else str(name)
        normalized = normalize_many(levels)
        if len(set(normalized)) != len(levels) or "" in normalized:
            raise SurveyError("scales.scale.distinct", name=name, levels=list(levels))
        order, how = _order_of(levels, satisfied, order, name)
        if order == "worst_first":
            levels = levels[::-1]
            scores = None if scores is None else list(scores)[::-1]
        set_ = object.__setattr__
        set_(self, "levels", levels)
        set_(self, "name", name)
        set_(self, "order", order)
        set_(self, "order_how", how)
        set_(self, "satisfied", self._top_block(satisfied, "satisfied"))
        set_(self, "dont_know", tuple(str(label) for label in dont_know))
        set_(self, "synonyms", self._targets(synonyms or {}, "synonyms"))
        set_(self, "codes", self._code_targets(codes or {}))
        set_(self, "source", str(source))
        set_(self, "convention", str(convention))
        set_(self, "labels_en", dict(labels_en or {}))
        set_(self, "labels_zh", dict(labels_zh or {}))
        if scores is None:
            scores = np.linspace(100.0, 0.0, len(levels))
        scores = tuple(float(s) for s in scores)
        if len(scores) != len(levels) or not all(0.0 <= s <= 100.0 for s in scores):
            raise SurveyError("scales.scale.scores", name=name, scores=list(scores))
        set_(self, "scores", scores)
        words, with_codes = self._vocabulary()
        set_(self, "words", words)
        set_(self, "_with_codes", with_codes)

    # -- construction helpers -------------------------------------------------------
    def _top_block(self, satisfied, what: str) -> tuple:
        levels = self.levels
        if isinstance(satisfied, (int, np.integer)) and not isinstance(satisfied, bool):
            k = int(satisfied)
            if not 1 <= k < len(levels):
                raise SurveyError("scales.scale.top_count", what=what, k=k, name=self.name,
                                  most=len(levels) - 1, count=len(levels))
            return levels[:k]
        if isinstance(satisfied, str):
            satisfied = [satisfied]
        wanted = [str(s).strip() for s in satisfied]
        unknown = [s for s in wanted if s not in levels]
        if unknown:
            raise SurveyError("scales.scale.not_levels", what=what, unknown=unknown, name=self.name,
                              levels=", ".join(levels))
        k = len(set(wanted))
        if set(wanted) != set(levels[:k]):
            missing = [level for level in levels[:k] if level not in wanted]
            raise SurveyError("scales.scale.not_top", what=what, name=self.name,
                              levels=", ".join(levels), wanted=wanted, missing=", ".join(missing))
        if not 1 <= k < len(levels):
            raise SurveyError("scales.scale.leave_one_out", what=what, name=self.name)
        return levels[:k]

    def _targets(self, mapping: dict, what: str) -> dict:
        out = {}
        for raw, target in mapping.items():
            target = str(target).strip()
            if target != DONT_KNOW and target not in self.levels:
                raise SurveyError("scales.scale.target", what=what, name=self.name, raw=raw,
                                  target=target, levels=", ".join(self.levels), dont_know=DONT_KNOW)
            out[str(raw)] = target
        return out

    def _code_targets(self, mapping: dict) -> dict:
        targets = self._targets({str(k): v for k, v in mapping.items()}, "codes")
        out = {}
        for raw, target in targets.items():
            key = code_key(normalize_one(raw))
            if key is None:
                raise SurveyError("scales.scale.code", name=self.name, raw=raw)
            out[key] = target
        return out

    def _vocabulary(self) -> tuple[dict, dict]:
        """Normalized label -> level or DONT_KNOW: words only, and words plus codes."""
        dont_know = COMMON_DONT_KNOW + (DONT_KNOW,) + self.dont_know
        normalize_many(dont_know + tuple(self.synonyms) + tuple(self.levels))  # one call
        words = {normalize_one(label): DONT_KNOW for label in dont_know}
        words.update({normalize_one(raw): target for raw, target in self.synonyms.items()})
        words.update({normalize_one(level): level for level in self.levels})
        with_codes = dict(words)
        with_codes.update(self.codes)
        # Numbers are never words: a numeric level (points5) is read as a code only.
        words = {text: target for text, target in words.items() if code_key(text) is None}
        return words, with_codes

    # -- reading labels ---------------------------------------------------------------
    def vocabulary(self, codes: bool = True) -> dict:
        """Normalized label -> level (or :data:`DONT_KNOW`); numeric codes when ``codes``."""
        return dict(self._with_codes if codes else self.words)

    def read(self, normalized: pd.Series, codes: bool = True) -> pd.Series:
        """Level (or :data:`DONT_KNOW`) of each normalized label; <NA> where unknown."""
        vocabulary = self._with_codes if codes else self.words
        direct = normalized.map(vocabulary)
        if codes and self.codes:
            # "5.0", "5分" and other spellings of a code: only labels not already known.
            unknown = (direct.isna() & normalized.notna()).to_numpy(dtype=bool)
            if unknown.any():
                keys = code_keys(normalized[unknown])
                direct = direct.astype(object)
                direct[unknown] = [self.codes.get(k) if k is not None else None for k in keys]
        return direct.astype("string")

    def rank(self, level: str) -> int:
        """Position of ``level`` from the top (1 = best)."""
        return self.levels.index(level) + 1

    # -- definitions of "satisfied" ---------------------------------------------------
    def resolve(self, spec=None) -> tuple:
        """The satisfied levels under ``spec``.

        ``None`` or ``"default"``: the scale's convention (:attr:`satisfied`);
        ``"top_box"``, ``"top_two_box"``, ``"top_three_box"`` ...: the top ``k``
        levels; an int ``k``: the same; a collection of levels: those (a top block).
        """
        if spec is None or (isinstance(spec, str) and spec == "default"):
            return self.satisfied
        if isinstance(spec, str) and spec in _TOP_BOX_K:
            k = _TOP_BOX_K[spec]
            if k >= len(self.levels):
                raise SurveyError("scales.scale.every_answer", spec=spec, name=self.name,
                                  count=len(self.levels))
            return self.levels[:k]
        if isinstance(spec, str) and spec not in self.levels:
            raise SurveyError("scales.scale.unknown_satisfied", spec=spec, name=self.name,
                              boxes=", ".join(repr(n) for k, n in TOP_BOX_NAMES.items()
                                              if k < len(self.levels)),
                              levels=", ".join(self.levels))
        return self._top_block(spec, "satisfied")

    def alternatives(self) -> dict:
        """Definitions worth comparing: the convention first, then each top-``k`` box for
        ``k`` up to half the levels (rounded up). Name -> satisfied levels."""
        out = {"default": self.satisfied}
        for k in range(1, (len(self.levels) + 1) // 2 + 1):
            if self.levels[:k] != self.satisfied:
                out[TOP_BOX_NAMES[k]] = self.levels[:k]
        return out

    def describe(self, satisfied=None, lang: str | None = None) -> str:
        """The satisfied levels joined by ``+`` (``"满意 + 基本满意"``): as the scale writes
        them, or in ``lang`` ("en" / "zh") where the scale gives their wording."""
        levels = self.satisfied if satisfied is None else satisfied
        return " + ".join(self.level_label(level, lang) for level in levels)

    def level_label(self, level: str, lang: str | None = None) -> str:
        """A level in ``lang``: its wording in ``labels_en`` / ``labels_zh`` when the scale
        gives one, else (and with ``lang=None``) as the scale writes it."""
        words = {"en": self.labels_en, "zh": self.labels_zh}.get(lang, {})
        return words.get(level, level)

    # -- files ------------------------------------------------------------------------
    def to_dict(self) -> dict:
        """Plain data (JSON-ready): what :meth:`from_dict` reads back."""
        return {"name": self.name, "levels": list(self.levels), "order": "best_first",
                "satisfied": list(self.satisfied),
                "dont_know": list(self.dont_know), "synonyms": dict(self.synonyms),
                "codes": dict(self.codes), "source": self.source, "convention": self.convention,
                "labels_en": dict(self.labels_en), "labels_zh": dict(self.labels_zh),
                "scores": list(self.scores)}

    @classmethod
    def from_dict(cls, data: dict) -> Scale:
        """A scale from plain data with keys ``levels``, ``satisfied`` and optionally
        ``order``, ``dont_know``, ``synonyms``, ``codes``, ``name``, ``source``,
        ``convention``, ``labels_en``, ``labels_zh``, ``scores`` (the keywords of :class:`Scale`)."""
        known = {"levels", "satisfied", "order", "dont_know", "synonyms", "codes", "name", "source",
                 "convention", "labels_en", "labels_zh", "scores"}
        unknown = sorted(set(data) - known)
        if unknown or not {"levels", "satisfied"} <= set(data):
            raise SurveyError("scales.scale.keys", unknown=unknown, allowed=sorted(known))
        rest = {k: v for k, v in data.items() if k not in ("levels", "satisfied")}
        return cls(data["levels"], data["satisfied"], **rest)

    @classmethod
    def from_json(cls, path) -> Scale:
        """A scale from a JSON file (see :meth:`from_dict`), as ``--scale FILE.json``."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise SurveyError("scales.scale.cannot_read", path=path, error=str(error)) from None
        if not isinstance(data, dict):
            raise SurveyError("scales.scale.not_object", path=path)
        return cls.from_dict(data)

    def __repr__(self) -> str:
        return (f"Scale({list(self.levels)!r}, satisfied={list(self.satisfied)!r}, "
                f"name={self.name!r})")


#: Which end of a scale is the best: given (``order=``), or read from the words at its ends.
ORDERS = ("best_first", "worst_first")
# Words of the bad end, looked for first ("dissatisfied" holds "satisfied", 不满意 holds 满意),
# then words of the good end; only the two end levels are read.
_WORSE = ("disagree", "dissatisfied", "unsatisfied", "not ", "poor", "bad", "worst", "unlikely",
          "difficult", "never", "terrible", "awful", "不", "差", "没", "否")
_BETTER = ("agree", "satisfied", "good", "excellent", "best", "likely", "easy", "always", "great",
           "满意", "同意", "好", "优", "是")


def _leaning(label: str) -> int:
    """-1 for a label of the bad end of a scale, 1 for the good end, 0 when its words do
    not say."""
    text = normalize_one(label)
    if any(word in text for word in _WORSE):
        return -1
    return 1 if any(word in text for word in _BETTER) else 0


def _order_of(levels: tuple, satisfied, order, name: str) -> tuple[str, str]:
    """Which end of ``levels`` is the best, and how that is known: ``given``, ``satisfied``
    (the satisfied labels sit at that end) or ``words`` (the words at the ends)."""
    if order is not None:
        check_choice("order", order, ORDERS)
        return order, "given"
    if not isinstance(satisfied, (int, np.integer)) or isinstance(satisfied, bool):
        wanted = {str(s).strip() for s in ([satisfied] if isinstance(satisfied, str) else satisfied)}
        k = len(wanted)
        if 0 < k < len(levels) and wanted == set(levels[-k:]) and wanted != set(levels[:k]):
            return "worst_first", "satisfied"
        return "best_first", "satisfied"
    first, last = _leaning(levels[0]), _leaning(levels[-1])
    if first > last:
        return "best_first", "words"
    if first < last:
        return "worst_first", "words"
    raise SurveyError("scales.scale.order", name=name, levels=", ".join(levels), k=int(satisfied),
                      first=levels[0], last=levels[-1])


_VERY = {"很满意": "非常满意", "十分满意": "非常满意", "特别满意": "非常满意",
         "很不满意": "非常不满意", "十分不满意": "非常不满意", "特别不满意": "非常不满意"}
_EN_SATISFACTION = {"非常满意": "very satisfied", "满意": "satisfied", "基本满意": "basically satisfied",
                    "比较满意": "fairly satisfied", "一般": "neutral", "不太满意": "not very satisfied",
                    "不满意": "dissatisfied", "非常不满意": "very dissatisfied",
                    "很满意": "very satisfied", "很不满意": "very dissatisfied"}


def _chinese(levels, satisfied, *, synonyms, **rest) -> Scale:
    """A Chinese preset that also reads the traditional spelling of each of its levels and
    synonyms (滿意 -> 满意). Each preset gets the images of exactly its own words, so "auto"
    detection chooses among the presets for a traditional sheet as it does for the
    simplified one, and the words of simplified sheets are unchanged."""
    synonyms = dict(synonyms)
    for word, target in [(level, level) for level in levels] + list(synonyms.items()):
        for spelling in traditional_spellings([word])[1:]:
            synonyms.setdefault(spelling, target)
    return Scale(levels, satisfied, synonyms=synonyms, order="best_first", **rest)


def _english(*levels) -> dict:
    """English wording -> level, for the levels given (a sheet exported in English)."""
    return {_EN_SATISFACTION[level]: level for level in levels}


def _presets() -> dict:
    cn = "Chinese public-service satisfaction surveys"
    presets = [
        Scale(["是", "否"], 1, name="yes_no", order="best_first",
              synonyms={"yes": "是", "y": "是", "true": "是", "no": "否", "n": "否", "false": "否"},
              labels_en={"是": "yes", "否": "no"},
              source="a yes/no question (是 / 否, yes / no)", convention="是 (yes)"),
        _chinese(["满意", "基本满意", "不满意"], 2, name="cn3",
                 synonyms={**_english("满意", "基本满意", "不满意"), "not satisfied": "不满意",
                           "unsatisfied": "不满意"},
                 labels_en={k: _EN_SATISFACTION[k] for k in ("满意", "基本满意", "不满意")},
                 source=f"three-level wording of {cn} (street-office follow-up visits, 12345 "
                        "callbacks); the published 满意率 counts 满意 + 基本满意",
                 convention="满意 + 基本满意"),
        _chinese(["很满意", "基本满意", "不满意", "很不满意"], 2, name="cn4",
                 synonyms={"非常满意": "很满意", "十分满意": "很满意", "非常不满意": "很不满意",
                           "十分不满意": "很不满意"},
                 labels_en={k: _EN_SATISFACTION[k] for k in ("很满意", "基本满意", "不满意", "很不满意")},
                 source="four-level wording of provincial 政务服务网 evaluations (e.g. Zhejiang: "
                        "很满意 / 基本满意 / 不满意 / 很不满意; '基本满意以上')",
                 convention="基本满意以上 (很满意 + 基本满意)"),
        _chinese(["非常满意", "满意", "基本满意", "不满意", "非常不满意"], 3, name="haochaping5",
                 synonyms={**_VERY, **_english("非常满意", "满意", "基本满意", "不满意", "非常不满意")},
                 labels_en={k: _EN_SATISFACTION[k] for k in ("非常满意", "满意", "基本满意", "不满意",
                                                              "非常不满意")},
                 source="政务服务“好差评” five levels, 国务院办公厅《关于建立政务服务“好差评”制度提高"
                        "政务服务水平的意见》(国办发〔2019〕51号); 差评 = 不满意 + 非常不满意",
                 convention="not 差评: 非常满意 + 满意 + 基本满意"),
        _chinese(["非常满意", "满意", "一般", "不满意", "非常不满意"], 2, name="cn5",
                 synonyms={**_VERY, **_english("非常满意", "满意", "一般", "不满意", "非常不满意"),
                           "neither satisfied nor dissatisfied": "一般"},
                 labels_en={k: _EN_SATISFACTION[k] for k in ("非常满意", "满意", "一般", "不满意",
                                                              "非常不满意")},
                 source=f"five-level questionnaire wording of {cn} with 一般 in the middle",
                 convention="非常满意 + 满意"),
        _chinese(["非常满意", "比较满意", "一般", "不太满意", "非常不满意"], 2, name="likert5",
                 synonyms={**_VERY, "较满意": "比较满意", "较为满意": "比较满意",
                           "比较不满意": "不太满意", "较不满意": "不太满意", "不大满意": "不太满意"},
                 labels_en={k: _EN_SATISFACTION[k] for k in ("非常满意", "比较满意", "一般", "不太满意",
                                                              "非常不满意")},
                 source=f"five-level Likert wording of {cn} (非常满意 ... 非常不满意 with 比较 / 不太)",
                 convention="非常满意 + 比较满意"),
        Scale(["Very easy", "Fairly easy", "Not very easy", "Not at all easy"], 2, name="easy4_en",
              order="best_first",
              dont_know=("Haven't tried", "Have not tried"),
              labels_zh={"Very easy": "非常容易", "Fairly easy": "比较容易", "Not very easy": "不太容易",
                         "Not at all easy": "一点也不容易"},
              source="GP Patient Survey (NHS England / Ipsos) ease-of-access questions",
              convention="Very easy + Fairly easy"),
        Scale(["Very good", "Fairly good", "Neither good nor poor", "Fairly poor", "Very poor"], 2,
              name="good5_en", order="best_first",
              labels_zh={"Very good": "非常好", "Fairly good": "比较好", "Neither good nor poor": "一般",
                         "Fairly poor": "比较差", "Very poor": "非常差"},
              source="GP Patient Survey (NHS England / Ipsos) overall-experience question",
              convention="Very good + Fairly good"),
        Scale(["Very satisfied", "Fairly satisfied", "Neither satisfied nor dissatisfied",
               "Fairly dissatisfied", "Very dissatisfied"], 2, name="satisfied5_en", order="best_first",
              labels_zh={"Very satisfied": "非常满意", "Fairly satisfied": "比较满意",
                         "Neither satisfied nor dissatisfied": "一般", "Fairly dissatisfied": "不太满意",
                         "Very dissatisfied": "非常不满意"},
              source="GP Patient Survey (NHS England / Ipsos) satisfaction questions",
              convention="Very satisfied + Fairly satisfied"),
        Scale(["Very good", "Good", "Neither good nor poor", "Poor", "Very poor"], 2, name="fft",
              order="best_first",
              codes={1: "Very good", 2: "Good", 3: "Neither good nor poor", 4: "Poor",
                     5: "Very poor", 6: DONT_KNOW},
              labels_zh={"Very good": "非常好", "Good": "好", "Neither good nor poor": "一般", "Poor": "差",
                         "Very poor": "非常差"},
              source="NHS Friends and Family Test (NHS England): codes 1 = Very good ... 5 = Very "
                     "poor, 6 = Don't know; the published 'positive' share counts 1 and 2",
              convention="Very good + Good (codes 1-2)"),
        Scale(["5", "4", "3", "2", "1"], 2, name="points5", order="best_first",
              codes={5: "5", 4: "4", 3: "3", 2: "2", 1: "1"},
              source="a 1-5 point rating where 5 is best (declared by the analyst: numbers have "
                     "no direction by themselves)",
              convention="4 + 5 points"),
    ]
    return {scale.name: scale for scale in presets}


#: Preset scales by name, in the order used to break ties in automatic detection.
SCALES: dict = _presets()
#: Every word of every preset (normalized): the labels a sheet of answers may hold.
ALL_WORDS = frozenset().union(*(s.words for s in SCALES.values()))
# "dont_know" itself: the target of labels={"...": "dont_know"} reads as don't know.
_COMMON_DK = {normalize_one(label): DONT_KNOW for label in COMMON_DONT_KNOW + (DONT_KNOW,)}

# Integer scale codes of tidy frames written before scales had names.
_LEGACY = {2: "yes_no", 3: "cn3", 5: "cn5"}


def scale_of(spec) -> Scale:
    """A :class:`Scale` from a Scale, a preset name, or a JSON file path.

    Examples
    --------
    >>> scale_of("haochaping5").satisfied
    ('非常满意', '满意', '基本满意')
    """
    if isinstance(spec, Scale):
        return spec
    if isinstance(spec, (int, np.integer)) and int(spec) in _LEGACY:
        return SCALES[_LEGACY[int(spec)]]
    text = str(spec)
    if text in SCALES:
        return SCALES[text]
    if text.lower().endswith(".json"):
        return Scale.from_json(text)
    raise SurveyError("scale.unknown", spec=spec, presets=", ".join(SCALES),
                      fix=Hint("scale", "FILE.json"))


def scales_of(responses: pd.DataFrame) -> dict:
    """Scale name -> :class:`Scale` for the scales used in tidy ``responses``.

    Taken from ``responses.attrs["scales"]`` (set by the loader), else from the presets
    by name (``2``, ``3`` and ``5`` of hand-made frames mean ``yes_no``, ``cn3`` and
    ``cn5``).
    """
    known = dict(responses.attrs.get("scales") or {})
    out = {}
    values = pd.unique(responses["scale"].dropna()) if "scale" in responses else []
    for value in values:
        key = value if not isinstance(value, (int, np.integer)) else int(value)
        if key in known:
            out[key] = known[key]
        else:
            try:
                out[key] = scale_of(key)
            except ValueError:
                raise SurveyError("scales.scale.unknown_in_responses", key=key,
                                  presets=", ".join(SCALES)) from None
    return out


def common_dont_know() -> dict:
    """Normalized :data:`COMMON_DONT_KNOW` label -> :data:`DONT_KNOW` (read on any item)."""
    return dict(_COMMON_DK)


def is_dont_know(normalized: str) -> bool:
    """True for a normalized label that means "don't know" on every scale."""
    return normalized in _COMMON_DK
