"""Which scale a sheet's answers are on: detection from the labels, and why.

Decided from the distinct normalized labels of the sheet (or of each item), so big sheets
stay fast: they hold a handful of labels and perhaps very many items.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..scales.scale import ALL_WORDS, DONT_KNOW, SCALES, Scale, is_dont_know, scale_of
from ..scales.text import code_key, code_keys, normalize_one
from ..words import Hint, Message, SurveyError
from .report import Note

__all__ = ["ScaleChoice", "ScaleDetectionError", "choose_scales", "known_labels", "sheet_scale"]


@dataclass(frozen=True, eq=False)
class ScaleChoice:
    """Which scale each item is read on, and why.

    Attributes
    ----------
    by_item : dict
        Item id -> :class:`Scale`.
    how : str
        Plain-words account of the choice, for the load report.
    notes : tuple of Message
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


class ScaleDetectionError(SurveyError):
    """No scale fits the labels; ``unknown`` lists the labels no preset covers and
    ``closest`` the presets covering most labels. ``numeric`` is True when the sheet's
    answers are numbers without a declared scale. Its :attr:`message` (a catalogue
    :class:`~survey_analysis.words.Message`) is what the loader's error says."""

    def __init__(self, code: str, unknown=(), closest=(), numeric: bool = False, **params):
        self.unknown, self.closest, self.numeric = tuple(unknown), tuple(closest), numeric
        super().__init__(code, **params)

    def __reduce__(self):  # picklable with its labels
        return (_rebuild_detection_error, (self.code, self.unknown, self.closest, self.numeric, self.params))


def _rebuild_detection_error(code, unknown, closest, numeric, params):
    return ScaleDetectionError(code, unknown, closest, numeric, **params)


def known_labels(normalized: pd.Series, extra=()) -> tuple[np.ndarray, np.ndarray]:
    """Which normalized labels read as answers: ``(known, worded)`` boolean arrays.

    ``known``: a word of some preset (or "don't know"), a label in ``extra``, or a whole
    number from 0 to 10; ``worded``: known and not a number. Used to tell item columns
    of a wide sheet from other columns.
    """
    words = set(ALL_WORDS) | {normalize_one(label) for label in extra}
    in_words = normalized.isin(words).to_numpy(dtype=bool)
    numbers = code_keys(normalized)
    small = np.isin(numbers, [str(v) for v in range(11)])
    return in_words | small, in_words & pd.isna(numbers)


def _fitting(words: set) -> list:
    """Presets whose word vocabulary covers every label in ``words``, preferred first.

    Preference: fewest levels, then the order of :data:`SCALES` (so a sheet with only
    满意 / 不满意 reads as ``cn3``; one with 非常满意 / 满意 / 基本满意 as ``haochaping5``).
    """
    fits = [s for s in SCALES.values() if all(w in s.words for w in words)]
    order = {name: i for i, name in enumerate(SCALES)}
    return sorted(fits, key=lambda s: (len(s.levels), order[s.name]))


def _substantive(words: set) -> set:
    return {w for w in words if not is_dont_know(w)}


def _explain(fits: list, words: set) -> tuple[str, tuple]:
    chosen = fits[0]
    if len(fits) == 1:
        return Note("load.scale.only_preset"), ()
    others = ", ".join(s.name for s in fits[1:])
    how = Note("load.scale.first_preset", chosen=chosen.name, others=others)
    notes = []
    present = {w: chosen.words[w] for w in words if chosen.words.get(w) not in (None, DONT_KNOW)}
    for other in fits[1:]:
        mine = {text for text, level in present.items() if level in chosen.satisfied}
        theirs = {text for text in present if other.words[text] in other.satisfied}
        if mine != theirs:
            notes.append(Note("load.scale.other_preset", **{
                "name": other.name, "theirs": sorted(theirs) or "none", "mine": sorted(mine) or "none",
                "hint": Hint("scale", other.name)}))
    return how, tuple(notes)


def _closest(words: set) -> list:
    ranked = sorted(SCALES.values(), key=lambda s: -sum(w in s.words for w in words))
    return [s for s in ranked[:3] if any(w in s.words for w in words)]


def _numeric_error(numbers) -> ScaleDetectionError:
    shown = ", ".join(sorted(numbers, key=lambda v: (len(v), v))[:8])
    return ScaleDetectionError("load.scale.numbers", unknown=sorted(numbers), numeric=True, shown=shown,
                               points5=Hint("scale", "points5"), fft=Hint("scale", "fft"),
                               own=Hint("scale", "FILE.json"))


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
        return ScaleChoice({}, Note("load.scale.given"), uniform=scale_of(scale), uniform_codes=True)
    substantive = _substantive(set(labels))
    words = {w for w in substantive if code_key(w) is None}
    numbers = substantive - words
    if numbers and not words:
        raise _numeric_error(numbers)
    if not substantive:
        return ScaleChoice({}, Note("load.scale.none"))
    if numbers:
        return None
    fits = _fitting(words)
    if not fits:
        return None
    how, notes = _explain(fits, words)
    return ScaleChoice({}, Note("load.scale.detected", how=how), notes, uniform=fits[0])


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
        notes = ([Note("load.scale.no_answers", **{"items": unknown_items[:10]})]
                 if unknown_items else [])
        explicit = frozenset(set(items) & set(fixed))
        if not rest:
            return ScaleChoice({item: fixed[item] for item in items}, Note("load.scale.given_per_item"),
                               tuple(notes), explicit)
        auto = choose_scales(rest, "auto", fallback)
        by_item = {item: fixed.get(item) or auto.by_item.get(item) for item in items}
        by_item = {item: s for item, s in by_item.items() if s is not None}
        return ScaleChoice(by_item, Note("load.scale.given_some", count=len(explicit), how=auto.how),
                           tuple(notes) + auto.notes, explicit)
    if not (isinstance(scale, str) and scale == "auto"):
        chosen = scale_of(scale)
        return ScaleChoice({item: chosen for item in items}, Note("load.scale.given"),
                           explicit=frozenset(items))

    everything = set().union(*labels_by_item.values()) if labels_by_item else set()
    words = {w for w in _substantive(everything) if code_key(w) is None}
    numbers = {w for w in _substantive(everything) if code_key(w) is not None}
    if numbers and not words:
        raise _numeric_error(numbers)
    if not words and not numbers:  # nothing but "don't know" (or no answers)
        return ScaleChoice({}, Note("load.scale.none"))
    if not numbers:
        fits = _fitting(words)
        if fits:
            how, notes = _explain(fits, words)
            return ScaleChoice({item: fits[0] for item in items}, Note("load.scale.detected", how=how), notes)
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
        return ScaleChoice(by_item, Note("load.scale.per_item", listing=listing))
    if numbers and not any(w for labels in failures.values() for w in labels if code_key(w) is None):
        raise _numeric_error(numbers)
    failing = set().union(*failures.values())
    closest = _closest(failing)
    if fallback:
        for item, labels in failures.items():
            if _closest(labels) or closest:
                by_item[item] = (_closest(labels) or closest)[0]
        chosen = sorted({by_item[item].name for item in failures if item in by_item}) or ["none"]
        return ScaleChoice(by_item, Note("load.scale.closest", chosen=", ".join(chosen)),
                           (Note("load.scale.closest_note", **{
                               "labels": ", ".join(repr(w) for w in sorted(failing)[:8]),
                               "chosen": ", ".join(chosen)}),))
    uncovered = sorted(w for w in failing if not any(w in s.words for s in closest[:1]))
    lacking = {f"p{i}": Message("load.scale.lacks" if i == 0 else "load.scale.lacks_more", {
        "name": s.name, "levels": " / ".join(s.levels),
        "labels": ", ".join(repr(w) for w in sorted(failing) if w not in s.words) or "nothing"})
        for i, s in enumerate(closest)}
    others = sorted(failing - set(uncovered))
    raise ScaleDetectionError(
        "load.scale.uncovered", unknown=uncovered or sorted(failing), closest=[s.name for s in closest],
        labels=", ".join(repr(w) for w in (uncovered or sorted(failing))[:12]),
        others=Message("load.scale.together", {"others": ", ".join(repr(w) for w in others[:8])}) if others else "",
        lacking=Message("load.scale.closest_presets", {"p0": "", "p1": "", "p2": "", **lacking}) if closest else "",
        label_hint=Hint("labels", {"LABEL": "LEVEL"}), scale_hint=Hint("scale", "NAME"),
        presets=", ".join(SCALES), own_hint=Hint("scale", "FILE.json"))


