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
        return "the only preset whose labels cover the answers", ()
    others = ", ".join(s.name for s in fits[1:])
    how = (f"presets {chosen.name}, {others} cover the answers; {chosen.name} comes first "
           "(fewest levels, then the order of sa.SCALES)")
    notes = []
    present = {w: chosen.words[w] for w in words if chosen.words.get(w) not in (None, DONT_KNOW)}
    for other in fits[1:]:
        mine = {text for text, level in present.items() if level in chosen.satisfied}
        theirs = {text for text in present if other.words[text] in other.satisfied}
        if mine != theirs:
            notes.append(f"under preset {other.name} the satisfied answers would be "
                         f"{sorted(theirs) or 'none'} instead of {sorted(mine) or 'none'}: pass "
                         f"scale='{other.name}' (CLI --scale {other.name}) if that is the sheet's scale")
    return how, tuple(notes)


def _closest(words: set) -> list:
    ranked = sorted(SCALES.values(), key=lambda s: -sum(w in s.words for w in words))
    return [s for s in ranked[:3] if any(w in s.words for w in words)]


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
    uncovered = sorted(w for w in failing if not any(w in s.words for s in closest[:1]))
    hint = "; ".join(f"{s.name} ({' / '.join(s.levels)}) lacks "
                     + (", ".join(repr(w) for w in sorted(failing) if w not in s.words) or "nothing")
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


