"""Rating scales as data: their levels, who counts as "satisfied", and how labels are read.

A :class:`Scale` is ordered levels (best first), the levels that count as satisfied by
the scale's own convention, its "don't know" labels, synonyms and numeric codes. The
presets in :data:`SCALES` each carry their source and their conventional definition of
"satisfied"; analysts declare their own with ``Scale(...)``.

A tidy response carries three scale columns:

* ``rating`` -- the canonical level (``满意``, ``Very good`` ...);
* ``scale`` -- the name of the scale it belongs to (``cn3``, ``haochaping5`` ...);
* ``rank`` -- its position from the top (1 = best).

Labels are compared after :func:`normalize_text` (NFKC, so full-width ``５`` and
``ｓａｔｉｓｆｉｅｄ`` read as ``5`` and ``satisfied``; trimmed; lower-case; stray spaces
removed). "Don't know" answers (不了解, 说不清, Don't know ...; :data:`COMMON_DONT_KNOW`
on every scale) are left out of the denominator and counted.

Numbers never get a direction by assumption: numeric codes are read only on a scale
that declares them (``points5``: 5 = best; ``fft``: 1 = very good), never by
``scale="auto"``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "COMMON_DONT_KNOW",
    "DONT_KNOW",
    "SCALES",
    "TOP_BOX_NAMES",
    "Definition",
    "Scale",
    "ScaleChoice",
    "ScaleDetectionError",
    "code_key",
    "choose_scales",
    "common_dont_know",
    "sheet_scale",
    "known_labels",
    "traditional_spellings",
    "normalize_labels",
    "normalize_text",
    "resolve_definition",
    "satisfied_mask",
    "scale_of",
    "scales_of",
]

#: Target meaning "don't know" in ``synonyms``, ``codes`` and ``labels=`` mappings.
DONT_KNOW = "dont_know"

#: "Don't know" and "not applicable" answers recognized on every scale (normalized).
COMMON_DONT_KNOW = (
    "不了解", "说不清", "不清楚", "不知道", "无法评价", "不好说", "不确定", "说不清楚", "不太清楚",
    "不太了解", "不好评价", "无法回答", "不适用", "未评价",
    "don't know", "dont know", "do not know", "not sure", "dk", "no opinion", "can't say",
    "cannot say", "not applicable", "n/a", "don't know / not sure",
)

# Simplified -> traditional characters of the labels and headers the loader knows (a sheet
# from Taiwan or Hong Kong writes 滿意, 事項編號). A fixed table, not a general converter:
# these words only; 了解 is written 瞭解 in Taiwan (both spellings are read).
_TRADITIONAL_WORDS = {"了解": "瞭解"}
_TRADITIONAL = str.maketrans(
    "满较为说确无评价适别问题对这个与么项编号访结级况权数称务调办单备见议时间写区网电话机"
    "联龄门县诉内计总实给",
    "滿較為說確無評價適別問題對這個與麼項編號訪結級況權數稱務調辦單備見議時間寫區網電話機"
    "聯齡門縣訴內計總實給")


def traditional_spellings(texts) -> list:
    """The traditional-character spelling of each text that has one, after the texts.

    Only the characters of the labels and headers the loader knows are converted
    (满 -> 滿, 评价 -> 評價, 编号 -> 編號, 了解 -> 瞭解 ...): enough to read a sheet
    written in traditional characters with the presets and header names, not a
    general converter.

    Parameters
    ----------
    texts : iterable of str
        Simplified spellings.

    Returns
    -------
    list of str
        ``texts`` followed by the traditional spellings that differ from them, each once.

    Examples
    --------
    >>> traditional_spellings(["满意度", "不了解", "rating"])
    ['满意度', '不了解', 'rating', '滿意度', '不瞭解']
    """
    texts = [str(t) for t in texts]
    out = dict.fromkeys(texts)
    for text in texts:
        spelled = text.translate(_TRADITIONAL)
        for simplified, traditional in _TRADITIONAL_WORDS.items():
            spelled = spelled.replace(simplified, traditional)
        out.setdefault(spelled)
    return list(out)


COMMON_DONT_KNOW = tuple(traditional_spellings(COMMON_DONT_KNOW))  # 不瞭解, 說不清, 無法評價 ...


#: Names of the definitions that count the top ``k`` levels as satisfied.
TOP_BOX_NAMES = {1: "top_box", 2: "top_two_box", 3: "top_three_box", 4: "top_four_box",
                 5: "top_five_box"}
_TOP_BOX_K = {name: k for k, name in TOP_BOX_NAMES.items()}
_NUMBER = re.compile(r"^[+-]?\d+(?:\.0+)?(?:分|points?|pts?)?$")


# Characters that print as nothing (soft hyphen, zero-width space / joiners, direction
# marks, word joiner and invisible operators, BOM): pasted from web pages and chat apps,
# never part of a label or an id. One list for labels here and ids in responses.py.
INVISIBLE_CHARACTERS = "[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]"


def normalize_text(values: pd.Series) -> pd.Series:
    """Vectorized clean-up of answer text: NFKC (full-width -> half-width), trim, lower-case.

    Inner whitespace is removed between CJK characters (``"基本 满意"``) and collapsed
    to one space elsewhere (``"very  satisfied"``); invisible characters (zero-width
    space, soft hyphen, direction marks: :data:`INVISIBLE_CHARACTERS`) are removed
    and the typographic apostrophe ``’`` becomes ``'``.

    Examples
    --------
    >>> normalize_text(pd.Series(["基本 满意", " Very  Good ", "５分", "Don’t know"])).tolist()
    ['基本满意', 'very good', '5分', "don't know"]
    """
    text = values.astype("string").str.normalize("NFKC")
    # Invisible characters (pasted from web pages or WeChat) are typing debris.
    text = text.str.replace(INVISIBLE_CHARACTERS, "", regex=True).str.strip().str.lower()
    # The two replacements below run Python's re text by text, so they are applied only to
    # the texts they can change: with white space inside (str.split splits on exactly the
    # characters \s matches), with a space inside.
    text = _replace_where(text, lambda x: x.split() != [x], r"\s+", " ")
    # A space next to a CJK character is a typing slip, not a word break.
    text = _replace_where(text, lambda x: " " in x, r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "")
    return text.str.replace("’", "'", regex=False)


def _replace_where(text: pd.Series, may_change, pattern: str, replacement: str) -> pd.Series:
    """``text.str.replace(pattern, replacement, regex=True)``, computed for the texts that
    ``may_change`` says it can change (the others are returned as they are)."""
    values = text.to_numpy(dtype=object, na_value=None)
    hit = np.fromiter((x is not None and may_change(x) for x in values), dtype=bool, count=len(values))
    if not hit.any():
        return text
    if hit.all():
        return text.str.replace(pattern, replacement, regex=True)
    out = text.copy()
    out[hit] = text[hit].str.replace(pattern, replacement, regex=True)
    return out


def normalize_labels(values: pd.Series) -> pd.Series:
    """:func:`normalize_text` computed once per distinct value and mapped back.

    Answer columns hold a handful of distinct labels over many rows, so this costs a
    factorization instead of regular expressions on every cell.
    """
    codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)
    normalized = normalize_text(pd.Series(uniques, dtype="string")).to_numpy(dtype=object)
    out = np.where(codes >= 0, normalized[np.maximum(codes, 0)] if len(normalized) else None, None)
    return pd.Series(out, index=values.index, dtype="string")


def code_key(text) -> str | None:
    """Numeric code of a normalized label (``"5"``, ``"5.0"``, ``"5分"`` -> ``"5"``), else None."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return None
    if isinstance(text, (int, np.integer)) and not isinstance(text, bool):
        return str(int(text))
    if isinstance(text, (float, np.floating)):
        return str(int(text)) if float(text).is_integer() else None
    text = str(text).strip().lower()
    if not _NUMBER.match(text):
        return None
    number = re.sub(r"(分|points?|pts?)$", "", text)
    return str(int(float(number)))


def _code_keys(values: pd.Series) -> np.ndarray:
    """:func:`code_key` of each value (object array, None where not a number), computed once
    per distinct value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    keys = np.array([code_key(u) for u in uniques] + [None], dtype=object)
    return keys[np.where(codes >= 0, codes, len(uniques))]


_NORMALIZED: dict = {}  # text -> normalize_text of it, for the labels of scales (a bounded set)


def _normalize_many(texts) -> list:
    """:func:`normalize_text` of each text, remembered: the presets' labels are normalized
    once per process, in one call (a pandas call per label cost a second at import)."""
    texts = [str(t) for t in texts]
    missing = list(dict.fromkeys(t for t in texts if t not in _NORMALIZED))
    if missing:
        if len(_NORMALIZED) > 100_000:  # user-defined scales only add a few labels each
            _NORMALIZED.clear()
        _NORMALIZED.update(zip(missing, normalize_text(pd.Series(missing, dtype="string")).tolist()))
    return [_NORMALIZED[t] for t in texts]


def _normalize_one(text) -> str:
    return _normalize_many([text])[0]


@dataclass(frozen=True, eq=False)
class Scale:
    """A rating scale: ordered levels, the satisfied levels, and how labels are read.

    Parameters
    ----------
    levels : sequence of str
        Canonical labels, **best first** (at least two).
    satisfied : int or collection of str
        The levels counted as satisfied by the scale's convention: the top ``k`` levels
        (an int), or the labels themselves. They must be a top block of ``levels`` --
        a better level cannot be "not satisfied" while a worse one is -- and must leave
        at least one level out.
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
    ValueError: satisfied levels of scale 'custom' must be its top levels (best first: A, B, C); got ['B'], which leaves out A above them
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
    scores: tuple = ()

    def __init__(self, levels, satisfied, *, dont_know=(), synonyms=None, codes=None, name=None,
                 source="", convention="", labels_en=None, scores=None):
        if isinstance(levels, str) or len(list(levels)) < 2:
            raise ValueError(f"a scale needs at least two levels (best first), got {levels!r}")
        levels = tuple(str(level).strip() for level in levels)
        name = "custom" if name is None else str(name)
        normalized = _normalize_many(levels)
        if len(set(normalized)) != len(levels) or "" in normalized:
            raise ValueError(f"levels of scale {name!r} must be distinct and non-empty, got {list(levels)}")
        set_ = object.__setattr__
        set_(self, "levels", levels)
        set_(self, "name", name)
        set_(self, "satisfied", self._top_block(satisfied, "satisfied"))
        set_(self, "dont_know", tuple(str(label) for label in dont_know))
        set_(self, "synonyms", self._targets(synonyms or {}, "synonyms"))
        set_(self, "codes", self._code_targets(codes or {}))
        set_(self, "source", str(source))
        set_(self, "convention", str(convention))
        set_(self, "labels_en", dict(labels_en or {}))
        if scores is None:
            scores = np.linspace(100.0, 0.0, len(levels))
        scores = tuple(float(s) for s in scores)
        if len(scores) != len(levels) or not all(0.0 <= s <= 100.0 for s in scores):
            raise ValueError(f"scores of scale {name!r} need one number from 0 to 100 per level, "
                             f"got {list(scores)}")
        set_(self, "scores", scores)
        words, with_codes = self._vocabulary()
        set_(self, "_words", words)
        set_(self, "_with_codes", with_codes)

    # -- construction helpers -------------------------------------------------------
    def _top_block(self, satisfied, what: str) -> tuple:
        levels = self.levels
        if isinstance(satisfied, (int, np.integer)) and not isinstance(satisfied, bool):
            k = int(satisfied)
            if not 1 <= k < len(levels):
                raise ValueError(f"{what}={k} on scale {self.name!r} must count between 1 and "
                                 f"{len(levels) - 1} top levels (it has {len(levels)})")
            return levels[:k]
        if isinstance(satisfied, str):
            satisfied = [satisfied]
        wanted = [str(s).strip() for s in satisfied]
        unknown = [s for s in wanted if s not in levels]
        if unknown:
            raise ValueError(f"{what} names {unknown}, which are not levels of scale {self.name!r} "
                             f"(levels, best first: {', '.join(levels)})")
        k = len(set(wanted))
        if set(wanted) != set(levels[:k]):
            missing = [level for level in levels[:k] if level not in wanted]
            raise ValueError(f"{what} levels of scale {self.name!r} must be its top levels (best "
                             f"first: {', '.join(levels)}); got {wanted}, which leaves out "
                             f"{', '.join(missing)} above them")
        if not 1 <= k < len(levels):
            raise ValueError(f"{what} on scale {self.name!r} must leave at least one level out "
                             "(otherwise every answer is satisfied)")
        return levels[:k]

    def _targets(self, mapping: dict, what: str) -> dict:
        out = {}
        for raw, target in mapping.items():
            target = str(target).strip()
            if target != DONT_KNOW and target not in self.levels:
                raise ValueError(f"{what} of scale {self.name!r} maps {raw!r} to {target!r}, which is "
                                 f"not a level ({', '.join(self.levels)}) or {DONT_KNOW!r}")
            out[str(raw)] = target
        return out

    def _code_targets(self, mapping: dict) -> dict:
        targets = self._targets({str(k): v for k, v in mapping.items()}, "codes")
        out = {}
        for raw, target in targets.items():
            key = code_key(_normalize_one(raw))
            if key is None:
                raise ValueError(f"codes of scale {self.name!r}: {raw!r} is not a whole number")
            out[key] = target
        return out

    def _vocabulary(self) -> tuple[dict, dict]:
        """Normalized label -> level or DONT_KNOW: words only, and words plus codes."""
        dont_know = COMMON_DONT_KNOW + (DONT_KNOW,) + self.dont_know
        _normalize_many(dont_know + tuple(self.synonyms) + tuple(self.levels))  # one call
        words = {_normalize_one(label): DONT_KNOW for label in dont_know}
        words.update({_normalize_one(raw): target for raw, target in self.synonyms.items()})
        words.update({_normalize_one(level): level for level in self.levels})
        with_codes = dict(words)
        with_codes.update(self.codes)
        # Numbers are never words: a numeric level (points5) is read as a code only.
        words = {text: target for text, target in words.items() if code_key(text) is None}
        return words, with_codes

    # -- reading labels ---------------------------------------------------------------
    def vocabulary(self, codes: bool = True) -> dict:
        """Normalized label -> level (or :data:`DONT_KNOW`); numeric codes when ``codes``."""
        return dict(self._with_codes if codes else self._words)

    def read(self, normalized: pd.Series, codes: bool = True) -> pd.Series:
        """Level (or :data:`DONT_KNOW`) of each normalized label; <NA> where unknown."""
        vocabulary = self._with_codes if codes else self._words
        direct = normalized.map(vocabulary)
        if codes and self.codes:
            # "5.0", "5分" and other spellings of a code: only labels not already known.
            unknown = (direct.isna() & normalized.notna()).to_numpy(dtype=bool)
            if unknown.any():
                keys = _code_keys(normalized[unknown])
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
                raise ValueError(f"satisfied={spec!r} on scale {self.name!r} ({len(self.levels)} "
                                 "levels) would count every answer as satisfied")
            return self.levels[:k]
        if isinstance(spec, str) and spec not in self.levels:
            raise ValueError(f"unknown satisfied={spec!r}; allowed: 'default', "
                             + ", ".join(repr(n) for k, n in TOP_BOX_NAMES.items() if k < len(self.levels))
                             + f", or levels of scale {self.name!r} ({', '.join(self.levels)})")
        return self._top_block(spec, "satisfied")

    def alternatives(self) -> dict:
        """Definitions worth comparing: the convention first, then each top-``k`` box for
        ``k`` up to half the levels (rounded up). Name -> satisfied levels."""
        out = {"default": self.satisfied}
        for k in range(1, (len(self.levels) + 1) // 2 + 1):
            if self.levels[:k] != self.satisfied:
                out[TOP_BOX_NAMES[k]] = self.levels[:k]
        return out

    def describe(self, satisfied=None, lang: str = "zh") -> str:
        """The satisfied levels joined by ``+`` (``"满意 + 基本满意"``)."""
        levels = self.satisfied if satisfied is None else satisfied
        if lang == "en":
            levels = [self.labels_en.get(level, level) for level in levels]
        return " + ".join(levels)

    def level_label(self, level: str, lang: str = "zh") -> str:
        """A level in the report language (English wording when known)."""
        return self.labels_en.get(level, level) if lang == "en" else level

    # -- files ------------------------------------------------------------------------
    def to_dict(self) -> dict:
        """Plain data (JSON-ready): what :meth:`from_dict` reads back."""
        return {"name": self.name, "levels": list(self.levels), "satisfied": list(self.satisfied),
                "dont_know": list(self.dont_know), "synonyms": dict(self.synonyms),
                "codes": dict(self.codes), "source": self.source, "convention": self.convention,
                "labels_en": dict(self.labels_en), "scores": list(self.scores)}

    @classmethod
    def from_dict(cls, data: dict) -> Scale:
        """A scale from plain data with keys ``levels``, ``satisfied`` and optionally
        ``dont_know``, ``synonyms``, ``codes``, ``name``, ``source``, ``convention``,
        ``labels_en``, ``scores``."""
        known = {"levels", "satisfied", "dont_know", "synonyms", "codes", "name", "source",
                 "convention", "labels_en", "scores"}
        unknown = sorted(set(data) - known)
        if unknown or not {"levels", "satisfied"} <= set(data):
            raise ValueError(f"a scale needs 'levels' and 'satisfied'; unknown keys {unknown}; "
                             f"allowed: {sorted(known)}")
        rest = {k: v for k, v in data.items() if k not in ("levels", "satisfied")}
        return cls(data["levels"], data["satisfied"], **rest)

    @classmethod
    def from_json(cls, path) -> Scale:
        """A scale from a JSON file (see :meth:`from_dict`), as ``--scale FILE.json``."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise ValueError(f"cannot read scale file {path}: {error}") from None
        if not isinstance(data, dict):
            raise ValueError(f"scale file {path} must hold one JSON object")
        return cls.from_dict(data)

    def __repr__(self) -> str:
        return (f"Scale({list(self.levels)!r}, satisfied={list(self.satisfied)!r}, "
                f"name={self.name!r})")


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
    return Scale(levels, satisfied, synonyms=synonyms, **rest)


def _english(*levels) -> dict:
    """English wording -> level, for the levels given (a sheet exported in English)."""
    return {_EN_SATISFACTION[level]: level for level in levels}


def _presets() -> dict:
    cn = "Chinese public-service satisfaction surveys"
    presets = [
        Scale(["是", "否"], 1, name="yes_no",
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
              dont_know=("Haven't tried", "Have not tried"),
              source="GP Patient Survey (NHS England / Ipsos) ease-of-access questions",
              convention="Very easy + Fairly easy"),
        Scale(["Very good", "Fairly good", "Neither good nor poor", "Fairly poor", "Very poor"], 2,
              name="good5_en",
              source="GP Patient Survey (NHS England / Ipsos) overall-experience question",
              convention="Very good + Fairly good"),
        Scale(["Very satisfied", "Fairly satisfied", "Neither satisfied nor dissatisfied",
               "Fairly dissatisfied", "Very dissatisfied"], 2, name="satisfied5_en",
              source="GP Patient Survey (NHS England / Ipsos) satisfaction questions",
              convention="Very satisfied + Fairly satisfied"),
        Scale(["Very good", "Good", "Neither good nor poor", "Poor", "Very poor"], 2, name="fft",
              codes={1: "Very good", 2: "Good", 3: "Neither good nor poor", 4: "Poor",
                     5: "Very poor", 6: DONT_KNOW},
              source="NHS Friends and Family Test (NHS England): codes 1 = Very good ... 5 = Very "
                     "poor, 6 = Don't know; the published 'positive' share counts 1 and 2",
              convention="Very good + Good (codes 1-2)"),
        Scale(["5", "4", "3", "2", "1"], 2, name="points5",
              codes={5: "5", 4: "4", 3: "3", 2: "2", 1: "1"},
              source="a 1-5 point rating where 5 is best (declared by the analyst: numbers have "
                     "no direction by themselves)",
              convention="4 + 5 points"),
    ]
    return {scale.name: scale for scale in presets}


#: Preset scales by name, in the order used to break ties in automatic detection.
SCALES: dict = _presets()
_ALL_WORDS = frozenset().union(*(s._words for s in SCALES.values()))
# "dont_know" itself: the target of labels={"...": "dont_know"} reads as don't know.
_COMMON_DK = {_normalize_one(label): DONT_KNOW for label in COMMON_DONT_KNOW + (DONT_KNOW,)}

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
    raise ValueError(f"unknown scale {spec!r}; presets: {', '.join(SCALES)} (or 'auto', a "
                     "sa.Scale(...), or a JSON file describing one; CLI --scale NAME or FILE.json)")


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
                raise ValueError(f"responses use scale {key!r}, which is neither in "
                                 "responses.attrs['scales'] nor a preset "
                                 f"({', '.join(SCALES)})") from None
    return out


# ---------------------------------------------------------------------------
# Choosing the scale of a sheet
# ---------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class ScaleChoice:
    """Which scale each item is read on, and why.

    Attributes
    ----------
    by_item : dict
        Item id -> :class:`Scale`.
    how : str
        Plain-words account of the choice, for the load report.
    notes : tuple of str
        Other things the analyst should know (e.g. another preset that also fits and
        would count different answers as satisfied).
    """

    by_item: dict
    how: str
    notes: tuple = ()
    explicit: frozenset = frozenset()
    uniform: Scale | None = None
    uniform_codes: bool = False

    def reads_codes(self, item) -> bool:
        """Numeric codes are read only on a scale the analyst named for the item."""
        return self.uniform_codes if self.uniform is not None else item in self.explicit

    def scale_for(self, item):
        """The scale of ``item`` (None for an item with no substantive answer)."""
        return self.uniform if self.uniform is not None else self.by_item.get(item)

    @property
    def scales(self) -> dict:
        """Scale name -> Scale, for every scale used."""
        if self.uniform is not None:
            return {self.uniform.name: self.uniform}
        return {scale.name: scale for scale in self.by_item.values()}


class ScaleDetectionError(ValueError):
    """No scale fits the labels; ``unknown`` lists the labels no preset covers and
    ``closest`` the presets covering most labels. ``numeric`` is True when the sheet's
    answers are numbers without a declared scale."""

    def __init__(self, message: str, unknown=(), closest=(), numeric: bool = False):
        self.unknown, self.closest, self.numeric = tuple(unknown), tuple(closest), numeric
        super().__init__(message)


def known_labels(normalized: pd.Series, extra=()) -> tuple[np.ndarray, np.ndarray]:
    """Which normalized labels read as answers: ``(known, worded)`` boolean arrays.

    ``known``: a word of some preset (or "don't know"), a label in ``extra``, or a whole
    number from 0 to 10; ``worded``: known and not a number. Used to tell item columns
    of a wide sheet from other columns.
    """
    words = set(_ALL_WORDS) | {_normalize_one(label) for label in extra}
    in_words = normalized.isin(words).to_numpy(dtype=bool)
    numbers = _code_keys(normalized)
    small = np.isin(numbers, [str(v) for v in range(11)])
    return in_words | small, in_words & pd.isna(numbers)


def _fitting(words: set) -> list:
    """Presets whose word vocabulary covers every label in ``words``, preferred first.

    Preference: fewest levels, then the order of :data:`SCALES` (so a sheet with only
    满意 / 不满意 reads as ``cn3``; one with 非常满意 / 满意 / 基本满意 as ``haochaping5``).
    """
    fits = [s for s in SCALES.values() if all(w in s._words for w in words)]
    order = {name: i for i, name in enumerate(SCALES)}
    return sorted(fits, key=lambda s: (len(s.levels), order[s.name]))


def common_dont_know() -> dict:
    """Normalized :data:`COMMON_DONT_KNOW` label -> :data:`DONT_KNOW` (read on any item)."""
    return dict(_COMMON_DK)


def _substantive(words: set) -> set:
    return {w for w in words if w not in _COMMON_DK}


def _explain(fits: list, words: set) -> tuple[str, tuple]:
    chosen = fits[0]
    if len(fits) == 1:
        return "the only preset whose labels cover the answers", ()
    others = ", ".join(s.name for s in fits[1:])
    how = (f"presets {chosen.name}, {others} cover the answers; {chosen.name} comes first "
           "(fewest levels, then the order of sa.SCALES)")
    notes = []
    present = {w: chosen._words[w] for w in words if chosen._words.get(w) not in (None, DONT_KNOW)}
    for other in fits[1:]:
        mine = {text for text, level in present.items() if level in chosen.satisfied}
        theirs = {text for text in present if other._words[text] in other.satisfied}
        if mine != theirs:
            notes.append(f"under preset {other.name} the satisfied answers would be "
                         f"{sorted(theirs) or 'none'} instead of {sorted(mine) or 'none'}: pass "
                         f"scale='{other.name}' (CLI --scale {other.name}) if that is the sheet's scale")
    return how, tuple(notes)


def _closest(words: set) -> list:
    ranked = sorted(SCALES.values(), key=lambda s: -sum(w in s._words for w in words))
    return [s for s in ranked[:3] if any(w in s._words for w in words)]


def _numeric_error(numbers) -> ScaleDetectionError:
    shown = ", ".join(sorted(numbers, key=lambda v: (len(v), v))[:8])
    return ScaleDetectionError(
        f"the answers are numbers ({shown}); numbers have no direction by themselves, so say "
        "which scale they are on: scale='points5' (5 = best ... 1 = worst), scale='fft' "
        "(1 = very good ... 5 = very poor, 6 = don't know), or your own "
        "sa.Scale(levels, satisfied, codes={...}) (CLI --scale points5, --scale fft, or "
        "--scale FILE.json)", unknown=sorted(numbers), numeric=True)


def sheet_scale(labels, scale="auto") -> ScaleChoice | None:
    """The one scale of a whole sheet, decided from its distinct normalized labels alone.

    A given scale applies to every item; ``"auto"`` takes the preset covering every label
    of the sheet (see :func:`choose_scales`). Returns None when the items must be read on
    scales of their own (``scale`` is a dict, or no single preset covers the labels): then
    :func:`choose_scales` decides item by item. Raises :class:`ScaleDetectionError` for a
    sheet of numbers without a scale. Deciding from the distinct labels keeps big sheets
    fast: they hold a handful of labels and perhaps very many items.
    """
    if isinstance(scale, dict):
        return None
    if not (isinstance(scale, str) and scale == "auto"):
        return ScaleChoice({}, "given (scale=)", uniform=scale_of(scale), uniform_codes=True)
    substantive = _substantive(set(labels))
    words = {w for w in substantive if code_key(w) is None}
    numbers = substantive - words
    if numbers and not words:
        raise _numeric_error(numbers)
    if not substantive:
        return ScaleChoice({}, "no substantive answer: no scale")
    if numbers:
        return None
    fits = _fitting(words)
    if not fits:
        return None
    how, notes = _explain(fits, words)
    return ScaleChoice({}, f"detected: {how}", notes, uniform=fits[0])


def choose_scales(labels_by_item: dict, scale="auto", fallback: bool = False) -> ScaleChoice:
    """Decide the scale of every item from the (normalized) labels it holds.

    Parameters
    ----------
    labels_by_item : dict
        Item id -> set of normalized non-empty labels.
    scale : "auto", name, Scale or dict
        ``"auto"``: one preset covering every label of the sheet if there is one (see
        :func:`_fitting` for the preference); else one per item from the item's own
        labels. A name or :class:`Scale`: that scale for every item (numeric codes are
        read). A dict item -> scale: those items on those scales, the others ``"auto"``.
    fallback : bool, default False
        When ``"auto"`` finds no preset for some item, read it on the preset covering
        most of its labels (the others then count as unknown labels) instead of
        raising; the choice is noted. Numbers without a scale still raise.

    Returns
    -------
    ScaleChoice

    Raises
    ------
    ScaleDetectionError
        When ``"auto"`` finds no preset for some labels, or the answers are numbers.
    """
    items = list(labels_by_item)
    if isinstance(scale, dict):
        fixed = {item: scale_of(spec) for item, spec in scale.items()}
        rest = {item: labels for item, labels in labels_by_item.items() if item not in fixed}
        unknown_items = sorted(set(fixed) - set(labels_by_item), key=str)
        notes = ([f"scale= names item(s) with no answers in the sheet: {unknown_items[:10]}"]
                 if unknown_items else [])
        explicit = frozenset(set(items) & set(fixed))
        if not rest:
            return ScaleChoice({item: fixed[item] for item in items}, "given per item (scale=)",
                               tuple(notes), explicit)
        auto = choose_scales(rest, "auto", fallback)
        by_item = {item: fixed.get(item) or auto.by_item.get(item) for item in items}
        by_item = {item: s for item, s in by_item.items() if s is not None}
        return ScaleChoice(by_item, f"given per item for {len(explicit)} item(s); "
                           f"the others {auto.how}", tuple(notes) + auto.notes, explicit)
    if not (isinstance(scale, str) and scale == "auto"):
        chosen = scale_of(scale)
        return ScaleChoice({item: chosen for item in items}, "given (scale=)",
                           explicit=frozenset(items))

    everything = set().union(*labels_by_item.values()) if labels_by_item else set()
    words = {w for w in _substantive(everything) if code_key(w) is None}
    numbers = {w for w in _substantive(everything) if code_key(w) is not None}
    if numbers and not words:
        raise _numeric_error(numbers)
    if not words and not numbers:  # nothing but "don't know" (or no answers)
        return ScaleChoice({}, "no substantive answer: no scale")
    if not numbers:
        fits = _fitting(words)
        if fits:
            how, notes = _explain(fits, words)
            return ScaleChoice({item: fits[0] for item in items}, f"detected: {how}", notes)
    # No single preset covers the sheet: each item on its own (a survey asking several
    # questions on different scales), or an error naming what no preset covers.
    by_item, failures = {}, {}
    for item, labels in labels_by_item.items():
        item_words = {w for w in _substantive(labels) if code_key(w) is None}
        item_numbers = {w for w in _substantive(labels) if code_key(w) is not None}
        if not item_words and not item_numbers:
            continue  # nothing but "don't know": no scale to read
        fits = _fitting(item_words) if not item_numbers else []
        if fits:
            by_item[item] = fits[0]
        elif item_words or item_numbers:
            failures[item] = item_words | item_numbers
    if not failures:
        named = pd.Series({item: s.name for item, s in by_item.items()})
        listing = "; ".join(f"{name}: {len(group)} item(s)" for name, group in named.groupby(named))
        return ScaleChoice(by_item, "no single preset covers every answer; each item's scale was "
                           f"detected from its own answers ({listing})")
    if numbers and not any(w for labels in failures.values() for w in labels if code_key(w) is None):
        raise _numeric_error(numbers)
    failing = set().union(*failures.values())
    closest = _closest(failing)
    if fallback:
        for item, labels in failures.items():
            if _closest(labels) or closest:
                by_item[item] = (_closest(labels) or closest)[0]
        chosen = sorted({by_item[item].name for item in failures if item in by_item}) or ["none"]
        return ScaleChoice(by_item, "no preset covers every answer; read on the closest preset "
                           f"({', '.join(chosen)}); the other labels are unknown",
                           (f"no preset covers {', '.join(repr(w) for w in sorted(failing)[:8])}: "
                            f"the items were read on {', '.join(chosen)}, the closest",))
    uncovered = sorted(w for w in failing if not any(w in s._words for s in closest[:1]))
    hint = "; ".join(f"{s.name} ({' / '.join(s.levels)}) lacks "
                     + (", ".join(repr(w) for w in sorted(failing) if w not in s._words) or "nothing")
                     for s in closest)
    others = sorted(failing - set(uncovered))
    raise ScaleDetectionError(
        "no preset scale covers the answers " + ", ".join(repr(w) for w in (uncovered or sorted(failing))[:12])
        + (f" together with the other answers ({', '.join(repr(w) for w in others[:8])})" if others else "")
        + (f". Closest presets: {hint}" if closest else "")
        + ". Say what each label means with labels={'label': 'level', ...} (CLI --label "
        "LABEL=LEVEL; 'dont_know' for a non-answer), choose a preset with scale='NAME' (CLI "
        "--scale NAME; presets: " + ", ".join(SCALES) + "), or declare "
        "sa.Scale(levels, satisfied, ...) (CLI --scale FILE.json)",
        unknown=uncovered or sorted(failing), closest=[s.name for s in closest])


# ---------------------------------------------------------------------------
# Definitions of "satisfied"
# ---------------------------------------------------------------------------

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

    def describe(self, lang: str = "zh") -> str:
        """``"满意 + 基本满意"``; with several scales, ``"cn3: ...; easy4_en: ..."``."""
        if not self.scales:
            return "(no answers)" if lang == "en" else "（无回答）"
        parts = {name: self.scales[name].describe(levels, lang) for name, levels in self.levels.items()}
        if len(parts) == 1:
            return next(iter(parts.values()))
        return "; ".join(f"{name}: {text}" for name, text in parts.items())

    def sentence(self, lang: str = "zh") -> str:
        """A full sentence for reports: the definition and whether it is the convention."""
        text = self.describe(lang)
        names = ", ".join(self.scales)
        if list(self.scales) == ["counts"]:  # a table of counts: its authors' own definition
            return ('"Satisfied" as counted by the table\'s authors (a table of counts; the levels '
                    'behind it are not known).' if lang == "en" else
                    "“满意”按原表作者的统计口径（计数表；其背后的评价等级未知）。")
        if lang == "en":
            tail = ("the scale's own convention" if self.is_default else
                    "NOT the scale's own convention")
            return f'"Satisfied" = {text} (scale {names}; {tail}).'
        tail = "量表的通行口径" if self.is_default else "并非该量表的通行口径"
        return f"“满意”= {text}（量表 {names}；{tail}）。"


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
    >>> d = resolve_definition({"haochaping5": SCALES["haochaping5"]})
    >>> d.describe(), d.is_default
    ('非常满意 + 满意 + 基本满意', True)
    >>> resolve_definition({"haochaping5": SCALES["haochaping5"]}, "top_two_box").describe()
    '非常满意 + 满意'
    """
    if isinstance(satisfied, dict):
        unknown = sorted(set(satisfied) - set(scales), key=str)
        if unknown:
            raise ValueError(f"satisfied= names scale(s) {unknown} not used here; scales: "
                             f"{', '.join(map(str, scales))}")
        levels = {name: scale.resolve(satisfied.get(name)) for name, scale in scales.items()}
        name = "custom"
    elif satisfied is None or isinstance(satisfied, str) and (
            satisfied == "default" or satisfied in _TOP_BOX_K):
        levels = {name: scale.resolve(satisfied) for name, scale in scales.items()}
        name = "default" if satisfied is None else satisfied
    elif isinstance(satisfied, str):
        known = set().union(*(s.levels for s in scales.values())) if scales else set()
        if satisfied not in known:
            raise ValueError(f"unknown satisfied {satisfied!r}; allowed: 'default', "
                             + ", ".join(repr(n) for n in TOP_BOX_NAMES.values())
                             + ", levels of the scale(s) in use ("
                             + "; ".join(f"{n}: {', '.join(s.levels)}" for n, s in scales.items())
                             + ") or a dict scale -> levels")
        levels = {name: scale.resolve([satisfied]) for name, scale in scales.items()
                  if satisfied in scale.levels}
        if len(levels) != len(scales):
            raise ValueError(f"satisfied={satisfied!r} is a level of some scales in use only; give a "
                             "dict scale -> levels")
        name = "custom"
    else:
        wanted = [str(s) for s in satisfied]
        known = set().union(*(s.levels for s in scales.values())) if scales else set()
        unknown = [w for w in wanted if w not in known]
        if unknown and scales:
            raise ValueError(f"satisfied= names {unknown}, which are not levels of the scale(s) in "
                             "use: " + "; ".join(f"{n}: {', '.join(s.levels)}" for n, s in scales.items())
                             + " (or use 'default', 'top_box', 'top_two_box' ...)")
        levels = {}
        for scale_name, scale in scales.items():
            mine = [w for w in wanted if w in scale.levels]
            if not mine:
                raise ValueError(f"satisfied= names no level of scale {scale_name!r} "
                                 f"({', '.join(scale.levels)}); give a dict scale -> levels")
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
