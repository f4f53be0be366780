"""Rating scales: normalize answer labels and define who counts as "satisfied".

A tidy response carries three scale columns:

* ``rating`` -- the canonical Chinese label of the answer (``满意``, ``基本满意`` ...);
* ``scale`` -- the number of levels of the scale it belongs to (2, 3 or 5);
* ``rank`` -- its position from the top (1 = most satisfied).

Supported scales (canonical labels, best first):

* 3-level (default): 满意 / 基本满意 / 不满意
* 5-level: 非常满意 / 满意 / 一般 / 不满意 / 非常不满意 (also numeric 1-5, 5 = best)
* 2-level: 是 / 否 (yes / no)

"Don't know" answers (不了解, 说不清, 不清楚, 不知道 ...) are non-substantive: they are
excluded from the denominator and counted in the load report.

Labels are compared after :func:`normalize_text` (NFKC, so full-width ``５`` and
``ｓａｔｉｓｆｉｅｄ`` read as ``5`` and ``satisfied``; trimmed; lower-case; stray spaces
removed), and synonyms map to the same level: 很满意 / 十分满意 -> 非常满意;
比较满意 / 较满意 -> the second level; 不太满意 / 较不满意 -> 不满意; 很不满意 -> 非常不满意.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validation import check_choice

__all__ = [
    "DONT_KNOW_LABELS",
    "LABELS_EN",
    "SATISFIED_DEFINITIONS",
    "SCALE_LEVELS",
    "MixedScaleError",
    "canonical_label",
    "classify_labels",
    "detect_scale",
    "normalize_text",
    "rank_on_scale",
    "satisfied_mask",
]

#: Canonical labels of each scale, best first.
SCALE_LEVELS: dict[int, tuple[str, ...]] = {
    3: ("满意", "基本满意", "不满意"),
    5: ("非常满意", "满意", "一般", "不满意", "非常不满意"),
    2: ("是", "否"),
}

#: English names of the canonical labels (for bilingual tables).
LABELS_EN = {
    "非常满意": "very satisfied",
    "满意": "satisfied",
    "基本满意": "basically satisfied",
    "一般": "neutral",
    "不满意": "dissatisfied",
    "非常不满意": "very dissatisfied",
    "是": "yes",
    "否": "no",
}

#: Named definitions of "satisfied" and the ranks they take on each scale.
SATISFIED_DEFINITIONS: dict[str, dict[int, int]] = {
    # 满意 + 基本满意 on the 3-level scale: the usual 满意率 of government surveys.
    "top_two_box": {3: 2, 5: 2, 2: 1},
    "top_box": {3: 1, 5: 1, 2: 1},
}

DONT_KNOW_LABELS = (
    "不了解", "说不清", "不清楚", "不知道", "无法评价", "不好说", "不确定",
    "说不清楚", "不太清楚", "不太了解", "不好评价", "无法回答",
    "don't know", "dont know", "do not know", "not sure", "dk", "no opinion", "can't say",
    "cannot say",
)

# Each normalized label -> (token, scale hint).  A token is the answer's meaning
# independent of the scale; the scale decides its rank.
_TOKENS = {
    "VS": ("非常满意", "很满意", "十分满意", "特别满意", "very satisfied", "extremely satisfied",
           "completely satisfied"),
    "S": ("满意", "satisfied"),
    # 基本满意 is the middle level of the 3-level scale only; it has no rank on the 5-level one.
    "BS": ("基本满意", "basically satisfied"),
    "FS": ("比较满意", "较满意", "较为满意", "还算满意", "fairly satisfied", "somewhat satisfied",
           "mostly satisfied", "rather satisfied"),
    "N": ("一般", "中立", "neutral", "neither satisfied nor dissatisfied", "average"),
    "D": ("不满意", "不太满意", "较不满意", "比较不满意", "不大满意", "dissatisfied", "unsatisfied",
          "not satisfied", "somewhat dissatisfied", "fairly dissatisfied"),
    "VD": ("非常不满意", "很不满意", "十分不满意", "特别不满意", "very dissatisfied",
           "extremely dissatisfied"),
    "YES": ("是", "yes", "y", "true"),
    "NO": ("否", "no", "n", "false"),
    "DK": DONT_KNOW_LABELS,
}
_NUMERIC = {str(v): f"NUM{v}" for v in range(1, 6)}
_NUMERIC.update({f"{v}.0": f"NUM{v}" for v in range(1, 6)})
_NUMERIC.update({f"{v}分": f"NUM{v}" for v in range(1, 6)})  # "5分" (5 points)

# Rank of each token on each scale (missing = not valid on that scale).
_RANKS = {
    3: {"S": 1, "BS": 2, "FS": 2, "D": 3},
    5: {"VS": 1, "S": 2, "FS": 2, "N": 3, "D": 4, "VD": 5,
        "NUM5": 1, "NUM4": 2, "NUM3": 3, "NUM2": 4, "NUM1": 5},
    2: {"YES": 1, "NO": 2},
}
_FIVE_ONLY = {"VS", "N", "VD", "NUM1", "NUM2", "NUM3", "NUM4", "NUM5"}
# 基本满意 only exists on the 3-level scale, so it marks a 3-level sheet.
_THREE_ONLY = {"BS"}
_LABEL_TO_TOKEN = {label: token for token, labels in _TOKENS.items() for label in labels}
_LABEL_TO_TOKEN.update(_NUMERIC)


class MixedScaleError(ValueError):
    """The answers of one sheet mix labels of different scales.

    Attributes
    ----------
    groups : dict
        Two entries, each a description (``"3-level label"``, ``"5-level labels"``,
        ``"yes/no"``, ``"rating labels"``) -> the set of tokens (see
        :func:`classify_labels`) that belong to it, so a caller can point at the rows.
    """

    def __init__(self, message: str, groups: dict):
        self.groups = groups
        super().__init__(message)


def normalize_text(values: pd.Series) -> pd.Series:
    """Vectorized clean-up of answer text: NFKC (full-width -> half-width), trim, lower-case.

    Inner whitespace is removed between CJK characters (``"基本 满意"``) and collapsed
    to one space elsewhere (``"very  satisfied"``).
    """
    text = values.astype("string").str.normalize("NFKC")
    # Zero-width characters (pasted from web pages or WeChat) are invisible typing debris.
    text = text.str.replace("[\u200b-\u200d\u2060\ufeff]", "", regex=True).str.strip().str.lower()
    text = text.str.replace(r"\s+", " ", regex=True)
    # A space next to a CJK character is a typing slip, not a word break.
    text = text.str.replace(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", regex=True)
    return text.str.replace("’", "'", regex=False)


def classify_labels(normalized: pd.Series) -> pd.Series:
    """Map normalized labels to tokens (``"S"``, ``"DK"``, ``"NUM5"`` ...); unknown -> <NA>."""
    return normalized.map(_LABEL_TO_TOKEN).astype("string")


def detect_scale(tokens: pd.Series, normalized: pd.Series) -> int | None:
    """Decide the scale (2, 3 or 5) of one sheet from the tokens present.

    Returns None when there is no substantive answer. Raises :class:`MixedScaleError`
    (a ``ValueError``) when the labels mix scales (for example 基本满意 together with
    非常满意); its ``groups`` say which tokens conflict.
    """
    present = set(tokens.dropna().unique()) - {"DK"}
    if not present:
        return None
    labels = set(normalized[tokens.notna()].unique())
    yes_no = present & {"YES", "NO"}
    five = present & _FIVE_ONLY
    three = present & _THREE_ONLY
    if yes_no and present - yes_no:
        raise MixedScaleError(
            "answers mix yes/no with rating labels: "
            + ", ".join(sorted(labels)),
            {"yes/no": yes_no, "rating labels": present - yes_no},
        )
    if yes_no:
        return 2
    if five and three:
        raise MixedScaleError(
            "answers mix the 3-level label 基本满意 with 5-level labels "
            f"({', '.join(sorted(labels))}); pass scale=3 or scale=5 and recode the others",
            {"3-level label": three, "5-level labels": five},
        )
    return 5 if five else 3


def rank_on_scale(tokens: pd.Series, scale: int) -> pd.Series:
    """Rank (1 = best) of each token on ``scale``; <NA> where the token is not valid there."""
    return tokens.map(_RANKS[scale]).astype("Int8")


def canonical_label(ranks: pd.Series, scale: int) -> pd.Series:
    """Canonical Chinese label for each rank on ``scale``."""
    levels = dict(enumerate(SCALE_LEVELS[scale], start=1))
    return ranks.map(levels).astype("string")


def satisfied_mask(responses: pd.DataFrame, satisfied="top_two_box") -> pd.Series:
    """Boolean Series: which tidy responses count as satisfied.

    Parameters
    ----------
    responses : pandas.DataFrame
        Tidy responses with ``rating``, ``scale`` and ``rank`` columns.
    satisfied : {"top_two_box", "top_box"} or collection of str
        ``"top_two_box"`` (default): 满意 + 基本满意 on the 3-level scale, 非常满意 +
        满意 on the 5-level scale, 是 on yes/no. ``"top_box"``: 满意 / 非常满意 / 是
        only. A collection of canonical labels (e.g. ``{"满意"}``) is matched against
        the ``rating`` column.

    Returns
    -------
    pandas.Series of bool, aligned with ``responses``.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"rating": ["满意", "基本满意", "不满意"], "scale": 3, "rank": [1, 2, 3]})
    >>> satisfied_mask(r).tolist(), satisfied_mask(r, "top_box").tolist()
    ([True, True, False], [True, False, False])
    """
    if isinstance(satisfied, str):
        check_choice("satisfied", satisfied, tuple(SATISFIED_DEFINITIONS))
        cutoffs = SATISFIED_DEFINITIONS[satisfied]
        cutoff = responses["scale"].map(cutoffs).to_numpy(dtype=float, na_value=np.nan)
        rank = responses["rank"].to_numpy(dtype=float, na_value=np.nan)
        return pd.Series(rank <= cutoff, index=responses.index, name="satisfied")
    labels = set(satisfied)
    unknown = labels - set(LABELS_EN)
    if unknown:
        raise ValueError(
            f"unknown satisfied labels {sorted(unknown)}; canonical labels are "
            f"{', '.join(LABELS_EN)} (or use 'top_two_box' / 'top_box')"
        )
    return responses["rating"].isin(labels).rename("satisfied")
