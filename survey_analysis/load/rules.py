"""The loader's rule book: which answers are excluded, for which reason, in which order.

Written once, over columnar data, and applied by every engine: :func:`load_responses`
(row by row, naming the line of every excluded row), DuckDB over big files and pandas or
Dask frames (:mod:`.engines`). An engine only produces the columnar input -- the distinct
texts of each column it reads, with the codes (or the counts) of the rows holding them --
and finds the repeated answers of a respondent to an item, the one step it alone can do
efficiently on its rows. Every decision is taken here:

1. **Texts**, once per distinct text: totals labels (:func:`totals`: 合计, Total ...),
   empty cells (:func:`empty`), ids compared by their key (:func:`merge_ids`: ``SX001`` =
   ``ＳＸ001`` = ``SX\\u200b001``), answer labels normalized with ``labels=``
   (:func:`normalized_labels`), masked respondent ids (:func:`looks_masked`).
2. **Facts -> early reasons** (:func:`early_reasons`): an engine states a few facts about
   each row (or group of rows) as bits -- :data:`ITEM_TOTALS`, :data:`RESPONDENT_TOTALS`,
   :data:`FIRST_TOTALS`, :data:`FOOTER`, :data:`RATING_EMPTY`, :data:`REST_EMPTY` -- and the
   rule book turns each combination into ``summary_row``, ``footer_row``, ``blank_row`` or ``missing_rating``
   (``not_asked`` in a wide sheet). :func:`early_reason_table` gives every combination at
   once (64 entries), for an engine that maps them in SQL or in Dask.
3. **Ids**: empty item and respondent ids are errors (:meth:`RuleBook.refuse_empty_ids`).
4. **Items outside the catalogue** (:meth:`RuleBook.unknown_items_action`): reported,
   an error, or excluded as ``unknown_item``.
5. **Repeated answers** (:meth:`RuleBook.repeats`): an error naming them, or the later
   ones excluded as ``duplicate`` (``duplicates="keep_first"``).
6. **Labels** (:meth:`RuleBook.read_answers`): the scale chosen from the distinct labels
   (per item when needed), each distinct label (or item x label) read once: ``dont_know``,
   ``unknown_label`` (an error, or excluded with ``unknown_labels="exclude"``), or a level
   and its rank.
7. **Weights**: finite numbers >= 0 on every counted row (:meth:`RuleBook.refuse_bad_weights`).

The ledger (:class:`~survey_analysis.load.report.Ledger`) lists the reasons in this order
(:data:`~survey_analysis.load.report.EXCLUSION_REASONS`).

Errors are raised through a *place* the engine gives (see :class:`Place`): the loader's names
the file, line and column; an engine's names the file and counts rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pandas as pd

from .._validation import check_choice
from ..scales.scale import DONT_KNOW, Scale, common_dont_know, scale_of
from ..scales.text import id_keys, ids_may_change, normalize_text
from ..words import Hint, Message, SurveyError
from . import coded
from .detect import ScaleDetectionError, choose_scales, sheet_scale
from .names import SUMMARY_LABELS
from .options import DUPLICATES, UNKNOWN_ITEMS, UNKNOWN_LABELS
from .report import Note, first_lines, where_lines

__all__ = ["DUPLICATES", "EXCEL_ERRORS", "FACTS", "FIRST_TOTALS", "FOOTER", "FOOTER_START", "ITEM_TOTALS", "NO_TOTALS", "RATING_EMPTY",
           "MISSING_MARKERS", "REPEATED", "RESPONDENT_TOTALS", "REST_EMPTY", "UNKNOWN_ITEMS", "UNKNOWN_LABELS", "IdMerge", "Place",
           "Readings", "RuleBook", "early_reason_table", "early_reasons", "empty", "footer", "looks_masked",
           "excel_errors", "merge_ids", "missing_markers", "no_answer", "normalized_labels", "totals"]

#: The reason of the later answers of a respondent to an item (``duplicates="keep_first"``).
REPEATED = "duplicate"

#: Facts about a row, one bit each: the item cell is a totals label ...
ITEM_TOTALS = 1
#: ... the respondent cell is one ...
RESPONDENT_TOTALS = 2
#: ... the row's first non-empty cell is one (an engine leaves out a first cell that is a
#: rating: "Average" is also an answer) ...
FIRST_TOTALS = 4
#: ... the answer's rating cell is empty ...
RATING_EMPTY = 8
#: ... and every other cell the count reads of the row is empty (item, respondent, weight;
#: in a wide sheet the row's other answers too).
REST_EMPTY = 16
#: ... the row's first non-empty cell (not a rating) opens a footer: 制表人, 审核人,
#: 填报日期, 单位（盖章）, Prepared by ... (:func:`footer`).
FOOTER = 32
#: Number of combinations of the facts.
FACTS = 64
#: A text holding an ASCII digit is never a totals label (normalization keeps every ASCII
#: digit): engines may leave such texts out of the candidates they hand to :func:`totals`.
NO_TOTALS = "[0-9]"

#: Texts exports write for a missing answer (R, SPSS, Stata, Excel, databases, a dash, 无 / 空),
#: compared after normalization: read as an empty cell, never as "don't know" nor as an
#: unknown label. A sheet where one is a real answer says so with ``labels=`` (or a scale).
MISSING_MARKERS: tuple[str, ...] = ("na", "n/a", "n.a.", "nan", "null", "#n/a", "#null!", "-", "--", "—", "——",
                                    "–", ".", "无", "空", "缺失", "not available")

# Footer lines offices put under a table: who made it, who checked it, when, the seal, the
# source. A footer word followed by a colon, or a person-word followed by a space or nothing
# (制表人 张三), so an item named 审核备案 or 负责人变更 is not one.
_FOOTER_WORDS = ("制表人|制表|制表单位|填表人|填报人|填报日期|填表日期|填报单位|审核人|审核|审批人|负责人|统计人|"
                 "联系人|联系电话|单位\\(盖章\\)|单位\\(章\\)|盖章|签字|签名|数据来源|资料来源|注|备注|说明|"
                 "prepared by|compiled by|checked by|approved by|reviewed by|source|sources|note|notes")
_FOOTER = (f"^(?:(?:{_FOOTER_WORDS})\\s*[:：]|(?:制表人|填表人|填报人|审核人|审批人|负责人|统计人|"
           f"单位\\(盖章\\))(?:\\s|$)|(?:prepared|compiled|checked|approved|reviewed) by\\b)")
# The first two characters (NFKC, lower case) of every text _FOOTER can match.
_FOOTER_HEADS = frozenset({"制表", "填表", "填报", "审核", "审批", "负责", "统计", "联系", "单位", "盖章", "签字", "签名",
                           "数据", "资料", "注:", "注 ", "备注", "说明", "pr", "co", "ch", "ap", "re", "so", "no"})
#: How a footer line may start, as a cheap pre-filter an engine can run in SQL (RE2) on its
#: raw texts, lower-cased, before :func:`footer` decides on the few texts it keeps.
FOOTER_START = "^\\s*(?:制|填|审|负|统|联|单|盖|签|数|资|注|备|说|prepared|compiled|checked|approved|reviewed|source|note)"

# Respondent names or phone numbers recorded masked (张**, 138****5678, 王某): many
# respondents share one masked value, so it cannot tell them apart.
_MASKED = r"[*＊×]|^.某+$|^.{1,2}某某?$"


# ---------------------------------------------------------------------------
# Texts: each decided once per distinct text
# ---------------------------------------------------------------------------

def totals(texts) -> np.ndarray:
    """Which distinct texts are totals labels (合计, 总计, Total, 平均 ...: :data:`SUMMARY_LABELS`),
    compared after normalization with a final colon, or a final note in brackets, dropped.

    Examples
    --------
    >>> totals(np.array(["合计：", " Total", "A1", "", "平均 分", "合计（全市）", "全市", "路灯（全市）"],
    ...                  dtype=object)).tolist()
    [True, True, False, False, True, True, True, False]
    """
    texts = np.asarray(texts, dtype=object)
    out = np.zeros(len(texts), dtype=bool)
    if not len(texts):
        return out
    # No totals label holds a digit, and normalization keeps every ASCII digit (NFKC maps
    # none away, nor composes one with a mark): ids with digits are not read, nor is "".
    series = pd.Series(coded.string_array(texts))
    # Texts of ASCII letters and digits alone (ids) hold a digit unless all letters: the
    # regular expression reads the other texts only.
    plain = coded.plain_texts(texts)
    skip = plain & ~series.str.isalpha().fillna(False).to_numpy(dtype=bool)
    if not plain.all():
        rest = series[~plain] if plain.any() else series
        skip[~plain] = rest.str.contains(NO_TOTALS, regex=True).fillna(False).to_numpy(dtype=bool)
    skip |= coded.empty_texts(texts)
    if skip.all():
        return out
    norm = normalize_text(series[~skip])
    # A colon can only end a text normalize_text stripped: drop it where there is one.
    colon = norm.str.endswith((":", "：")).fillna(False).to_numpy(dtype=bool)
    if colon.any():
        norm = norm.copy()
        norm[colon] = norm[colon].str.replace(r"\s*[:：]$", "", regex=True)
    found = norm.isin(set(SUMMARY_LABELS)).fillna(False).to_numpy(dtype=bool, copy=True)
    # 合计（全市）, Total (all units): a totals label followed by a note in brackets.
    noted = ~found & norm.str.endswith(")").fillna(False).to_numpy(dtype=bool)
    if noted.any():
        label = norm[noted].str.replace(r"\s*\([^()]*\)$", "", regex=True)
        found[noted] = label.isin(set(SUMMARY_LABELS)).fillna(False).to_numpy(dtype=bool)
    out[~skip] = found
    return out


def footer(texts) -> np.ndarray:
    """Which distinct texts open a footer line under a table (制表人：张三, 审核人 李四,
    填报日期：2024年1月, 单位（盖章）, Prepared by ..., 注：...), compared after normalization.

    Examples
    --------
    >>> footer(np.array(["制表人：张三", "审核人 李四", "填报日期:2024-01-31", "单位（盖章）",
    ...                  "Prepared by: J. Smith", "审核备案", "负责人变更", "满意"], dtype=object)).tolist()
    [True, True, True, True, True, False, False, False]
    """
    texts = np.asarray(texts, dtype=object)
    out = np.zeros(len(texts), dtype=bool)
    if not len(texts):
        return out
    series = pd.Series(coded.string_array(texts))
    # Every footer holds a colon, a space or a CJK word: texts of ASCII letters and digits
    # alone (a column of respondent ids) are none, and are not read further.
    rest = ~coded.plain_texts(texts)
    if not rest.any():
        return out
    series = series[rest].reset_index(drop=True) if not rest.all() else series
    # A footer opens with one of a few words: the texts whose first two characters can start
    # one (most ids, labels and names cannot) are the only ones matched in full.
    head = series.str.lstrip().str.slice(0, 2).str.lower()
    wide = head.str.contains("[\uff01-\uff5e]", regex=True).fillna(False).to_numpy(dtype=bool)
    if wide.any():  # full-width forms (Ｐｒｅｐａｒｅｄ): normalized, these few only
        head[wide] = series[wide].str.normalize("NFKC").str.lstrip().str.slice(0, 2).str.lower()
    may = head.isin(_FOOTER_HEADS).fillna(False).to_numpy(dtype=bool)
    found = np.zeros(len(series), dtype=bool)
    if may.any():
        # NFKC and lower case, the spaces kept: 审核人 李四 is a footer, 审核人员 may be an item.
        norm = series[may].str.normalize("NFKC").str.strip().str.lower()
        found[may] = norm.str.contains(_FOOTER, regex=True).fillna(False).to_numpy(dtype=bool)
    out[rest] = found
    return out


def empty(texts, stripped: bool = False) -> np.ndarray:
    """Which distinct texts are empty cells: nothing but white space (``stripped``: the
    texts were stripped already, as the loader's reader strips every cell).

    Examples
    --------
    >>> empty(np.array(["", "  ", "\\u3000", "满意"], dtype=object)).tolist()
    [True, True, True, False]
    """
    texts = np.asarray(texts, dtype=object)
    if stripped or not len(texts):
        return coded.empty_texts(texts)
    return (pd.Series(texts, dtype="string").str.strip() == "").fillna(True).to_numpy(dtype=bool)


def missing_markers(texts, declared=()) -> np.ndarray:
    """Which distinct texts are written missing answers (:data:`MISSING_MARKERS`: ``NA``,
    ``N/A``, ``NULL``, ``#N/A``, ``-``, ``无`` ...), unless ``declared`` (labels the analyst
    gave, normalized or not) holds them.

    Examples
    --------
    >>> missing_markers(np.array(["NA", " n/a ", "#N/A", "满意", "—", "无"], dtype=object)).tolist()
    [True, True, True, False, True, True]
    >>> missing_markers(np.array(["无", "NA"], dtype=object), declared=["无"]).tolist()
    [False, True]
    """
    texts = np.asarray(texts, dtype=object)
    if not len(texts):
        return np.zeros(0, dtype=bool)
    markers = set(MISSING_MARKERS) - set(normalize_text(pd.Series([str(d) for d in declared], dtype="string")))
    short = pd.Series(coded.string_array(texts)).str.len().fillna(99).to_numpy() <= 13
    out = np.zeros(len(texts), dtype=bool)
    if short.any():
        out[short] = normalize_text(pd.Series(texts[short], dtype="string")).isin(markers).fillna(False).to_numpy(bool)
    return out


#: Values Excel writes for a formula that failed (and saves as the cell's value), compared
#: in upper case: never an id, never an answer.
EXCEL_ERRORS = ("#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!")


def excel_errors(texts) -> np.ndarray:
    """Which distinct texts are Excel error values (#DIV/0!, #N/A, #VALUE! ...).

    Examples
    --------
    >>> excel_errors(np.array(["#DIV/0!", " #n/a", "A1", "#1"], dtype=object)).tolist()
    [True, True, False, False]
    """
    texts = np.asarray(texts, dtype=object)
    if not len(texts):
        return np.zeros(0, dtype=bool)
    # Every error value holds a '#' (stripping and upper case add none): texts of ASCII
    # letters and digits alone (a column of a million ids) and the texts without one are
    # not read further.
    out = ~coded.plain_texts(texts)
    if out.any():
        series = pd.Series(coded.string_array(texts))
        out[out] = series[out].str.contains("#", regex=False).fillna(False).to_numpy(dtype=bool)
        if out.any():
            out[out] = series[out].str.strip().str.upper().isin(EXCEL_ERRORS).fillna(False).to_numpy(dtype=bool)
    return out


def no_answer(texts, declared=(), stripped: bool = False) -> np.ndarray:
    """Which distinct texts hold no answer: empty cells (:func:`empty`) and written missing
    answers (:func:`missing_markers`) not among the ``declared`` labels.

    Examples
    --------
    >>> no_answer(np.array(["", "NA", "Not Available", "满意"], dtype=object), stripped=True).tolist()
    [True, True, True, False]
    """
    return empty(texts, stripped) | missing_markers(texts, declared)


def looks_masked(texts) -> np.ndarray:
    """Which respondent ids look masked (张**, 138****5678, 王某): such a value is shared by
    many people and cannot tell respondents apart."""
    return pd.Series(coded.string_array(np.asarray(texts, dtype=object))).str.contains(
        _MASKED, regex=True).fillna(False).to_numpy(dtype=bool)


@dataclass(frozen=True)
class IdMerge:
    """Ids that differ only by invisible characters, full-width forms or white space, as one.

    ``group``: the merged id of each distinct text given (codes into ``display``);
    ``display``: each merged id's spelling (the first of its texts, cleaned); ``note``:
    what the ledger says (a :class:`~survey_analysis.words.Message`).
    """

    group: np.ndarray
    display: np.ndarray
    note: Message


def merge_ids(texts, what: str, column: str) -> IdMerge | None:
    """Ids compared by their key (:func:`~survey_analysis.scales.text.id_keys`): texts
    with one key are one id, spelled as the first of them (in the order given), invisible
    characters and outer spaces removed. None when no text changes (most sheets: plain
    ids cost one vectorized test).

    Parameters
    ----------
    texts : numpy.ndarray of str
        Distinct ids, in the order the sheet gives them.
    what : {"item", "respondent"}
        Which ids (for the note).
    column : str
        Their column's header (for the note).

    Examples
    --------
    >>> merged = merge_ids(np.array(["SX001", "ＳＸ001", "B"], dtype=object), "item", "事项")
    >>> merged.group.tolist(), merged.display.tolist()
    ([0, 0, 1], ['SX001', 'B'])
    >>> print(merged.note)
    1 item id(s) written in several ways were merged (they differ only by invisible characters, full-width forms or spaces; column '事项'): 'SX001' = 'ＳＸ001' -> 'SX001'
    """
    texts = np.asarray(texts, dtype=object)
    if not len(texts):
        return None
    # Ids of ASCII letters and digits alone (most ids) cannot change: the others are tested.
    rest = ~coded.plain_texts(texts)
    may_change = np.zeros(len(texts), dtype=bool)
    if rest.any():
        part = coded.string_array(texts) if len(texts) >= 1024 else texts
        may_change[rest] = ids_may_change(part if rest.all() else part[rest])
    if not may_change.any():
        return None
    # The texts that may change alone are cleaned (the others are their own display and key).
    part_display, part_key = id_keys(texts[may_change], np.ones(int(may_change.sum()), dtype=bool))
    collide = _keys_collide(texts, part_key)
    if not collide and (part_display == texts[may_change]).all():
        return None
    display = texts.copy()
    display[may_change] = part_display
    if not collide:
        # Every key distinct (the texts are): the ids merge into none, only cleaned.
        return IdMerge(np.arange(len(texts)), display,
                       Note("load.ids.cleaned", **{"what": Message(f"load.ids.{what}"), "column": column}))
    key = texts.copy()
    key[may_change] = part_key
    group, _ = pd.factorize(key)
    first = pd.Series(np.arange(len(texts))).groupby(group).min().to_numpy()
    members = pd.Series(texts).groupby(group).agg(list).to_numpy()
    shown = [f"{' = '.join(repr(v) for v in spellings)} -> {display[first[g]]!r}"
             for g, spellings in enumerate(members) if len(spellings) > 1]
    note = Note("load.ids.merged", **{"count": len(shown), "what": Message(f"load.ids.{what}"), "column": column,
                                       "listing": "; ".join(shown[:10]) + (" ..." if len(shown) > 10 else "")})
    return IdMerge(group, display[first], note)


def _keys_collide(texts: np.ndarray, changed: np.ndarray) -> bool:
    """Whether two of the distinct ``texts`` share a key (:func:`merge_ids`); ``changed``:
    the keys of the texts :func:`~survey_analysis.scales.text.ids_may_change` marks. Any
    other text is its own key, and one that test leaves alone: a key can only be such a
    text when the test leaves the key alone too, so the column is probed for those few keys
    alone (one vectorized test, no hashing of every text).

    Examples
    --------
    >>> texts = np.array(["SX001", "ＳＸ001", "B"], dtype=object)
    >>> _keys_collide(texts, np.array(["SX001"], dtype=object))
    True
    >>> _keys_collide(texts[1:], np.array(["SX001"], dtype=object))
    False
    """
    if len(pd.unique(changed)) < len(changed):
        return True
    plain = changed[~ids_may_change(changed)] if len(changed) else changed
    if not len(plain):
        return False
    series = pd.Series(coded.string_array(texts) if len(texts) >= 1024 else texts, dtype="string")
    return bool(series.isin(plain).fillna(False).to_numpy(dtype=bool).any())


def normalized_labels(raw, labels: dict | None = None) -> np.ndarray:
    """Each distinct raw label normalized (:func:`~survey_analysis.scales.text.normalize_text`),
    then replaced by the level ``labels`` gives it (keys normalized as :meth:`RuleBook.of`
    stores them), normalized too."""
    normalized = np.array(normalize_text(pd.Series(np.asarray(raw, dtype=object), dtype="string"))
                          .astype(object).fillna(""), dtype=object)
    if labels:
        mapped = pd.Series(normalized, dtype=object).map(labels)
        where = mapped.notna().to_numpy()
        if where.any():
            normalized[where] = normalize_text(mapped[where].astype("string")).to_numpy(dtype=object)
    return normalized


# ---------------------------------------------------------------------------
# Facts -> the reasons decided before the labels are read
# ---------------------------------------------------------------------------

def early_reasons(facts, wide: bool = False) -> np.ndarray:
    """The reason each row is excluded before its label is read ("" for none), from its
    facts (bits: :data:`ITEM_TOTALS` ... :data:`REST_EMPTY`).

    A totals row first (whatever else it holds); then a footer line (制表人 ...); then a blank row (every cell the count
    reads is empty); then an empty rating: ``missing_rating``, or ``not_asked`` in a
    wide sheet (an empty cell there is a question not asked).

    Examples
    --------
    >>> early_reasons(np.array([0, ITEM_TOTALS | RATING_EMPTY, RATING_EMPTY | REST_EMPTY, RATING_EMPTY])).tolist()
    ['', 'summary_row', 'blank_row', 'missing_rating']
    """
    facts = np.asarray(facts, dtype=np.int64)
    is_totals = (facts & (ITEM_TOTALS | RESPONDENT_TOTALS | FIRST_TOTALS)) != 0
    is_footer = (facts & FOOTER) != 0
    no_rating = (facts & RATING_EMPTY) != 0
    blank = no_rating & ((facts & REST_EMPTY) != 0)
    return np.select([is_totals, is_footer, blank, no_rating],
                     ["summary_row", "footer_row", "blank_row", "not_asked" if wide else "missing_rating"],
                     "").astype(object)


def early_reason_table(wide: bool = False) -> np.ndarray:
    """:func:`early_reasons` of every combination of facts: index = the facts' bits."""
    return early_reasons(np.arange(FACTS), wide)


# ---------------------------------------------------------------------------
# Places: where an engine's errors point
# ---------------------------------------------------------------------------

class Place(Protocol):
    """What an engine gives the rule book so that its errors name where they are.

    ``fail(code, line=None, column=None, **params)`` returns the error to raise (a
    :class:`~survey_analysis.load.report.ResponseFileError` naming the file, and for the
    loader the line and column); ``has_lines`` says whether the engine knows lines;
    ``validate``: what an engine's error adds to say where the lines are (a message, or "");
    ``labels_where(mask)`` and ``readings_where(mask)`` describe the answers whose
    distinct label (a mask over the labels given to :meth:`RuleBook.read_answers`) or
    reading (a mask over :attr:`Readings.level`) is marked: ``(listing, line, column)``,
    e.g. ``("'好' x2 (lines 3, 5)", 3, "满意度")``, or ``("'好' x2", None, None)`` with counts.
    """

    has_lines: bool
    validate: object

    def fail(self, code: str, line=None, column=None, **params) -> Exception: ...

    def labels_where(self, mask: np.ndarray) -> tuple: ...

    def readings_where(self, mask: np.ndarray) -> tuple: ...


@dataclass
class Readings:
    """One reading per distinct answer: per distinct label (``label`` is then
    ``0..n-1``), or per distinct item x label pair when items have scales of their own.

    ``label``: the distinct label of each reading (index into the labels read);
    ``level``: the level (or :data:`~survey_analysis.scales.DONT_KNOW`, or None);
    ``scale``: the scale's name (None: no scale); ``rank``: 1 = best (0 when no level);
    ``reason``: ``""``, ``"dont_know"`` or ``"unknown_label"``; ``choice``: the
    :class:`~survey_analysis.load.detect.ScaleChoice`; ``by_pair``: readings per pair.
    """

    label: np.ndarray
    level: np.ndarray
    scale: np.ndarray
    rank: np.ndarray
    reason: np.ndarray
    choice: object
    by_pair: bool = False


def _read_labels(normalized: np.ndarray, scale_obj, reads_codes: bool) -> np.ndarray:
    """Level (or DONT_KNOW, or None) of each normalized label; no scale: "don't know" only."""
    series = pd.Series(normalized, dtype="string")
    values = (series.map(common_dont_know()) if scale_obj is None
              else scale_obj.read(series, codes=reads_codes)).to_numpy(dtype=object)
    return np.array([v if isinstance(v, str) else None for v in values], dtype=object)


def _ranks(level: np.ndarray, scale: np.ndarray, choice) -> np.ndarray:
    """Rank of each reading on its scale: once per distinct scale x level pair (a handful),
    then one gather."""
    rank = np.zeros(len(level), dtype=np.int8)
    if not len(level):
        return rank
    scale_codes, scales = pd.factorize(pd.Series(scale, dtype=object), use_na_sentinel=False)
    level_codes, _ = pd.factorize(pd.Series(level, dtype=object), use_na_sentinel=False)
    codes, distinct = pd.factorize(level_codes.astype(np.int64) * max(len(scales), 1) + scale_codes)
    first = pd.Series(np.arange(len(codes))).groupby(codes).min().to_numpy()
    of_pair = np.zeros(len(distinct), dtype=np.int8)
    for k, i in enumerate(first):
        scale_obj = choice.scales.get(scale[i]) if scale[i] is not None else None
        if scale_obj is not None and level[i] in scale_obj.levels:
            of_pair[k] = scale_obj.rank(level[i])
    return of_pair[codes]


# ---------------------------------------------------------------------------
# The rule book: the options that change what is excluded, and every decision
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class RuleBook:
    """The options of one load or count that change what is excluded, and the decisions.

    Build it with :meth:`of`, which checks every option (the loader and every engine take
    the same keywords: ``duplicates``, ``unknown_labels``, ``unknown_items``, ``scale``,
    ``labels``).

    Examples
    --------
    >>> rules = RuleBook.of(duplicates="keep_first", labels={"很满意": "满意"})
    >>> rules.duplicates, rules.labels
    ('keep_first', {'很满意': '满意'})
    >>> RuleBook.of(duplicates="drop")
    Traceback (most recent call last):
    ...
    survey_analysis.words.SurveyError: unknown duplicates 'drop'; allowed: 'error', 'keep_first'
    """

    duplicates: str = "error"
    unknown_labels: str = "error"
    unknown_items: str = "report"
    scale: object = "auto"
    labels: dict = field(default_factory=dict)

    @classmethod
    def of(cls, *, duplicates: str = "error", unknown_labels: str = "error",
           unknown_items: str = "report", scale="auto", labels: dict | None = None) -> RuleBook:
        """The rule book of these options, each checked (an unknown scale name fails here,
        before any file is read)."""
        check_choice("unknown_labels", unknown_labels, UNKNOWN_LABELS)
        check_choice("duplicates", duplicates, DUPLICATES)
        if not isinstance(scale, (str, dict, Scale)):
            raise SurveyError("load.option.scale", value=scale)
        if not (isinstance(scale, str) and scale == "auto") and not isinstance(scale, dict):
            scale = scale_of(scale)
        if labels and not isinstance(labels, dict):
            raise SurveyError("load.option.labels", kind=type(labels).__name__)
        check_choice("unknown_items", unknown_items, UNKNOWN_ITEMS)
        keys = normalize_text(pd.Series([str(k) for k in labels or {}], dtype="string")).tolist()
        mapping = {key: str(value).strip() for key, value in zip(keys, (labels or {}).values())}
        return cls(duplicates, unknown_labels, unknown_items, scale, mapping)

    def no_answer(self, texts, stripped: bool = False) -> np.ndarray:
        """:func:`no_answer` of distinct rating texts, the labels this analyst declared
        (``labels=``, a given scale) being answers."""
        return no_answer(texts, self.declared_labels(), stripped)

    def declared_labels(self) -> list:
        """Labels the analyst declared: ``labels=`` keys and the words of a given scale."""
        declared = list(self.labels)
        given = self.scale.values() if isinstance(self.scale, dict) else [self.scale]
        for spec in given:
            if not (isinstance(spec, str) and spec == "auto"):
                declared += list(scale_of(spec).vocabulary(codes=False))
        return declared

    # -- ids -----------------------------------------------------------------------------
    @staticmethod
    def refuse_empty_ids(place: Place, what: str, count: int, lines=None, column=None) -> None:
        """Every answer needs its item and respondent: ``count`` rows with an empty ``what``
        id ("item", "respondent") are an error naming their first ``lines`` when the engine
        knows them."""
        if not count:
            return
        what_text = Message(f"load.ids.{what}")
        if lines is not None:
            raise place.fail("load.ids.empty", line=int(lines[0]), column=column, what=what_text, count=count,
                             where=Message("load.ids.empty_lines", {"lines": first_lines(lines)}))
        raise place.fail("load.ids.empty", column=column, what=what_text, count=count,
                         where=Message("load.ids.empty_counted", {"what": what_text, "validate": place.validate}))

    @staticmethod
    def refuse_error_ids(place: Place, what: str, count: int, value: str, lines=None, column=None) -> None:
        """An Excel error value (#DIV/0!, #N/A ...: :func:`excel_errors`) where an ``what`` id
        ("item", "respondent") should be: a formula failed in the sheet, so the rows belong to
        no known item or respondent; an error naming them."""
        if not count:
            return
        where = Message("load.ids.empty_lines", {"lines": first_lines(lines)}) if lines is not None else ""
        raise place.fail("load.ids.excel_error", line=int(lines[0]) if lines is not None else None, column=column,
                         what=Message(f"load.ids.{what}"), count=count, value=value, where=where)

    # -- items outside the catalogue ------------------------------------------------------
    @staticmethod
    def outside_catalogue(texts, catalogue) -> np.ndarray:
        """Which distinct item texts are not in ``catalogue`` (ids compared by their key:
        "Ａ１" in the sheet is "A1" in the catalogue)."""
        known = set(id_keys(np.array(sorted(catalogue), dtype=object))[1])
        keys = id_keys(np.asarray(texts, dtype=object))[1]
        return ~pd.Series(keys, dtype=object).isin(known).to_numpy(dtype=bool)

    def unknown_items_action(self, place: Place, count: int, listing: str, line=None, column=None) -> str:
        """What happens to answers to items not in the catalogue: ``"report"`` (kept and
        listed), ``"exclude"`` (reason ``unknown_item``), or the error naming them."""
        if count and self.unknown_items == "error":
            raise place.fail("load.items.unknown", line=line, column=column, count=count, listing=listing,
                             report=Hint("unknown_items", "report"), exclude=Hint("unknown_items", "exclude"))
        return self.unknown_items

    @staticmethod
    def catalogue_note(catalogue, answered) -> Message | None:
        """The catalogue items without a kept answer (``answered``: the items kept), as a note."""
        answered = set(id_keys(np.asarray(list(answered), dtype=object))[1])
        ids = list(catalogue)
        keys = id_keys(np.array(ids, dtype=object))[1]
        unanswered = sorted(c for c, k in zip(ids, keys) if k not in answered)
        if not unanswered:
            return None
        return Note("load.items.unanswered", **{
            "count": len(unanswered), "listing": ", ".join(unanswered[:10]) + (" ..." if len(unanswered) > 10 else "")})

    # -- repeated answers -----------------------------------------------------------------
    def repeats(self, error) -> str:
        """The reason of the later answers of a respondent to an item: ``"duplicate"``
        under ``duplicates="keep_first"``; by default the error ``error()`` builds (see
        :meth:`repeats_error`) is raised."""
        if self.duplicates == "error":
            raise error()
        return REPEATED

    @staticmethod
    def repeats_error(place: Place, extra: int, *, lines=None, involved=None, wide: bool = False,
                      masked=(), key_column: str | None = None, one_per_row: bool = False,
                      same_answer: bool = False, pairs: pd.DataFrame | None = None, line=None,
                      column=None) -> Exception:
        """The error of repeated answers: with ``lines`` (the later rows) and ``involved``
        (every row of a repeated pair), as (lines, headers) pairs, when the engine knows
        them; else with ``pairs`` (item, respondent, n), counted. ``masked``: respondent
        ids that look masked; ``key_column``: a column that would key respondents;
        ``one_per_row``: propose that each row is its own respondent; ``same_answer``: every
        repeat gives the first answer again (one answer written on several rows)."""
        keep_first = Hint("duplicates", "keep_first")
        if lines is not None:
            shown = ", ".join(map(str, list(masked)[:5])) + (" ..." if len(masked) > 5 else "")
            key = "" if key_column is None else Message("load.duplicates.key_column", {
                "column": key_column, "hint": Hint("columns", {"respondent_id": key_column})})
            return place.fail(
                "load.duplicates.rows", line=line, column=column, count=extra,
                where=where_lines(*lines, wide), involved=where_lines(*involved, wide),
                masked=Message("load.duplicates.masked", {"shown": shown}) if len(masked) else "",
                same=Message("load.duplicates.same_answer", {}) if same_answer else "", key=key,
                per_row=Message("load.duplicates.one_per_row", {"hint": Hint("columns", {"respondent_id": None})})
                if one_per_row else "", keep_first=keep_first)
        shown = "; ".join(f"item {i!r}, respondent {r!r}: {n} rows"
                          for i, r, n in pairs.head(5).itertuples(index=False))
        more = Message("load.duplicates.more", {"count": len(pairs) - 5}) if len(pairs) > 5 else ""
        return place.fail("load.duplicates.pairs", column=column, extra=extra, pairs=len(pairs),
                          shown=shown, more=more, keep_first=keep_first)

    # -- labels ---------------------------------------------------------------------------
    def read_answers(self, raw, place: Place, pairs=None) -> Readings:
        """Read each distinct label on its scale.

        The scale is chosen from the distinct normalized labels alone (given, or the preset
        covering every label); only when there is none are the items' own label sets built,
        from ``pairs()`` -- the distinct item x label pairs, as (item texts, label index),
        computed by the engine only then -- and each pair read once.

        Parameters
        ----------
        raw : numpy.ndarray of str
            Distinct labels as written.
        place : Place
            Where errors point.
        pairs : callable, optional
            ``pairs() -> (items, label_index)`` of the distinct item x label pairs.

        Returns
        -------
        Readings

        Raises
        ------
        ResponseFileError
            No scale fits the labels (each label no preset covers, with its lines or count),
            or ``labels=`` maps a label to text that is no level of the scale chosen.
        """
        raw = np.asarray(raw, dtype=object)
        normalized = normalized_labels(raw, self.labels)
        fallback = self.unknown_labels == "exclude"
        pair_items = pair_labels = None
        try:
            choice = sheet_scale(set(normalized), self.scale)
            if choice is None:
                pair_items, pair_labels = pairs()
                by_item: dict = {}
                for item, j in zip(pair_items, pair_labels):  # distinct item x label pairs, not rows
                    by_item.setdefault(item, set()).add(normalized[j])
                choice = choose_scales(by_item, self.scale, fallback=fallback)
        except ScaleDetectionError as error:
            bad = pd.Series(normalized, dtype=object).isin(list(error.unknown)).to_numpy(dtype=bool)
            listing, line, column = place.labels_where(bad) if bad.any() else ("", None, None)
            lines = Message("load.labels.lines", {"listing": listing}) if listing and place.has_lines else ""
            raise place.fail("load.labels.undetected", line=line, column=column, error=error.message,
                             lines=lines) from None
        self._check_targets(choice, place)
        if choice.uniform is not None or not choice.by_item:
            # One scale (or none) for the sheet: each distinct label is read once.
            level = _read_labels(normalized, choice.uniform, choice.uniform_codes)
            name = choice.uniform.name if choice.uniform is not None else None
            scale = np.full(len(level), name, dtype=object)
            label, by_pair = np.arange(len(level)), False
        else:
            # Items on scales of their own: each distinct item x label pair is read once.
            if pair_items is None:
                pair_items, pair_labels = pairs()
            pair_items, label = np.asarray(pair_items, dtype=object), np.asarray(pair_labels)
            level = np.empty(len(label), dtype=object)
            scale = np.empty(len(label), dtype=object)
            item_codes, items = pd.factorize(pair_items)
            reading = [(choice.scale_for(item), choice.reads_codes(item)) for item in items]
            keys = pd.Series([(s.name if s is not None else "", c) for s, c in reading])[item_codes]
            for (name, reads_codes), where in pd.Series(range(len(label))).groupby(
                    keys.to_numpy(), sort=False).groups.items():
                where = np.asarray(where)
                scale_obj = choice.scales.get(name) if name else None
                level[where] = _read_labels(normalized[label[where]], scale_obj, reads_codes)
                scale[where] = name or None
            by_pair = True
        values = pd.Series(level, dtype=object)
        is_dont_know = values.eq(DONT_KNOW).to_numpy(dtype=bool)
        is_unknown = values.isna().to_numpy(dtype=bool)
        reason = np.where(is_dont_know, "dont_know", np.where(is_unknown, "unknown_label", "")).astype(object)
        return Readings(label, level, scale, _ranks(level, scale, choice), reason, choice, by_pair)

    def _check_targets(self, choice, place: Place) -> None:
        """Every level named in ``labels=`` must be a level of the scale(s) chosen."""
        levels = set().union(*(s.levels for s in choice.scales.values())) if choice.scales else set()
        wrong = {raw: target for raw, target in self.labels.items()
                 if target != DONT_KNOW and target not in levels}
        if wrong:
            names = "; ".join(f"{s.name}: {', '.join(s.levels)}" for s in choice.scales.values())
            raise place.fail("load.labels.targets", wrong=wrong, names=names or "none")

    def unknown_labels_action(self, readings: Readings, place: Place) -> str:
        """What happens to answers that are no label of their scale: excluded
        (``"exclude"``, reason ``unknown_label``) or the error listing each with its
        lines or count (default)."""
        unknown = readings.reason == "unknown_label"
        if self.unknown_labels == "exclude" or not unknown.any():
            return self.unknown_labels
        listing, line, column = place.readings_where(unknown)
        names = ", ".join(sorted(readings.choice.scales)) if place.has_lines else \
            (", ".join(readings.choice.scales) or "none")
        hints = {"labels": Hint("labels", {"LABEL": "LEVEL"}), "scale": Hint("scale", "NAME")}
        if place.has_lines:
            raise place.fail("load.labels.unknown", line=line, column=column, names=names, listing=listing,
                             exclude=Hint("unknown_labels", "exclude"), **hints)
        raise place.fail("load.labels.unknown_counted", names=names, listing=listing, **hints)

    # -- weights --------------------------------------------------------------------------
    @staticmethod
    def weights(texts) -> tuple[np.ndarray, np.ndarray]:
        """Each distinct weight text as a number, and whether it is no valid weight (empty,
        not a number, infinite or negative). A weight of 0 is valid: the answer stays in
        the design without weight, as R does (it leaves Kish's n and the degrees of freedom)."""
        values = pd.to_numeric(pd.Series(np.asarray(texts, dtype=object), dtype="string"), errors="coerce")
        bad = (values.isna() | ~np.isfinite(values) | (values < 0)).to_numpy(dtype=bool)
        return values.astype(float).to_numpy(), bad

    @staticmethod
    def refuse_bad_weights(place: Place, count: int, column=None, lines=None, value=None) -> None:
        """Counted rows whose weight is no valid weight are an error (with the first value
        and lines when the engine knows them)."""
        if not count:
            return
        if lines is not None:
            raise place.fail("load.weights.bad", line=int(lines[0]), column=column, count=count,
                             value=value, lines=first_lines(lines))
        raise place.fail("load.weights.bad_counted", column=column, count=count)
