"""Text as the package compares it: one normalizer for labels, ids and headers.

Labels and headers are compared after :func:`normalize_text` (NFKC, so full-width ``５``
and ``ｓａｔｉｓｆｉｅｄ`` read as ``5`` and ``satisfied``; invisible characters removed;
trimmed; lower-case; stray spaces removed); :func:`normalize_labels` and
:func:`normalize_many` compute it once per distinct text. Ids keep their case: they are
compared by :func:`id_keys`, the same steps short of lower-casing and the CJK space rule.
A sheet from Taiwan or Hong Kong writes the same words in traditional characters
(:func:`traditional_spellings`).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["COMMENT_COLUMNS", "INVISIBLE_CHARACTERS", "NAME_COLUMNS", "NO_COMMENT", "NOT_TAGGED", "STABLE_ID_PATTERN",
           "TWO_SPACES_PATTERN", "code_key", "code_keys", "id_keys", "ids_may_change",
           "normalize_labels", "normalize_many", "normalize_one", "normalize_text",
           "traditional_spellings"]

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


_NUMBER = re.compile(r"^[+-]?\d+(?:\.0+)?(?:分|points?|pts?)?$")


# Characters that print as nothing (soft hyphen, zero-width space / joiners, direction
# marks, word joiner and invisible operators, BOM): pasted from web pages and chat apps,
# never part of a label or an id. One list for labels and ids.
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


def code_keys(values: pd.Series) -> np.ndarray:
    """:func:`code_key` of each value (object array, None where not a number), computed once
    per distinct value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    keys = np.array([code_key(u) for u in uniques] + [None], dtype=object)
    return keys[np.where(codes >= 0, codes, len(uniques))]


_NORMALIZED: dict = {}  # text -> normalize_text of it, for the labels of scales (a bounded set)


def normalize_many(texts) -> list:
    """:func:`normalize_text` of each text, remembered: the presets' labels are normalized
    once per process, in one call (a pandas call per label cost a second at import)."""
    texts = [str(t) for t in texts]
    missing = list(dict.fromkeys(t for t in texts if t not in _NORMALIZED))
    if missing:
        if len(_NORMALIZED) > 100_000:  # user-defined scales only add a few labels each
            _NORMALIZED.clear()
        _NORMALIZED.update(zip(missing, normalize_text(pd.Series(missing, dtype="string")).tolist()))
    return [_NORMALIZED[t] for t in texts]


def normalize_one(text) -> str:
    return normalize_many([text])[0]


#: Two ASCII white-space characters in a row, as Python's ``\s`` reads them (RE2's ``\s``
#: leaves out \v and \x1c-\x1f): an RE2 pattern for pyarrow and DuckDB alike.
TWO_SPACES_PATTERN = r"[\t\n\v\f\r \x1c-\x1f]{2}"


#: Ids written in ASCII letters and digits and CJK unified ideographs (U+4E00 to U+9FFF)
#: alone, in RE2 syntax (pyarrow and DuckDB): each such character is its own NFKC form, none
#: is white space, invisible or combining, and no two of them compose, so :func:`id_keys`
#: leaves such an id as it is (``tests/test_id_keys_stable.py`` checks every one of them).
#: Respondent ids that are names (张三) need no clean-up then.
STABLE_ID_PATTERN = r"[0-9A-Za-z\x{4e00}-\x{9fff}]+"

# The same class for Python's re (the fallback without pyarrow).
_STABLE_ID = re.compile("[0-9A-Za-z\u4e00-\u9fff]+")


def ids_may_change(texts) -> np.ndarray:
    """Which ids :func:`id_keys` can change: those with a character outside ASCII, ASCII
    letters and digits and CJK unified ideographs alone excepted
    (:data:`STABLE_ID_PATTERN`), and those holding two white-space characters in a row.

    pyarrow's kernels test a column of ids at once (pandas' ``str.contains`` on a
    Python-backed string column calls ``re`` once per text). ``texts``: an object array of
    ``str``, or a pandas Arrow string array of them (a reader's own, tested without a copy).

    Examples
    --------
    >>> ids_may_change(np.array(["A1", "Ａ1", "A  1", "张三", "张三\u200b", "张 三"], dtype=object)).tolist()
    [False, True, True, False, True, True]
    """
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pyarrow is optional: the same test, one regex call per text
        values = np.asarray(texts, dtype=object)
        return np.fromiter(
            (isinstance(t, str) and ((not t.isascii() and _STABLE_ID.fullmatch(t) is None)
                                     or re.search(TWO_SPACES_PATTERN, t) is not None) for t in values),
            dtype=bool, count=len(values))
    if isinstance(texts, pd.arrays.ArrowStringArray):
        array = pa.array(texts)
    else:
        array = pa.array(np.asarray(texts, dtype=object), type=pa.large_string(), from_pandas=True)
    # Ids of ASCII letters and digits alone (most ids) cannot change: the others are tested.
    rest = ~pc.fill_null(pc.ascii_is_alnum(array), False).to_numpy(zero_copy_only=False).astype(bool)
    out = np.zeros(len(rest), dtype=bool)
    if rest.any():
        part = array if rest.all() else array.filter(pa.array(rest))
        unstable = pc.and_(pc.invert(pc.string_is_ascii(part)),
                           pc.invert(pc.match_substring_regex(part, f"^{STABLE_ID_PATTERN}$")))
        may = pc.or_(unstable, pc.match_substring_regex(part, TWO_SPACES_PATTERN))
        out[rest] = pc.fill_null(may, False).to_numpy(zero_copy_only=False).astype(bool)
    return out


def id_keys(texts, may_change: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Display text and comparison key of each id.

    Display: invisible characters (:data:`INVISIBLE_CHARACTERS`) and outer white space
    removed. Key: then NFKC (full-width letters and digits, the ideographic space) and
    inner white space collapsed to one space. Case is kept: "a1" and "A1" may be different
    codes. Only the texts :func:`ids_may_change` marks can change, so a column of plain
    ASCII ids (or of names in Chinese characters) costs one vectorized test (``may_change``: that test's result, when the
    caller has it already).

    Parameters
    ----------
    texts : array of str
        Distinct ids as written (already stripped of outer white space by the reader).
    may_change : numpy.ndarray of bool, optional
        :func:`ids_may_change` of ``texts``.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Display texts and keys (object arrays).

    Examples
    --------
    >>> display, key = id_keys(np.array(["SX001", "ＳＸ001", "SX\u200b001", "a  1"], dtype=object))
    >>> display.tolist(), key.tolist()
    (['SX001', 'ＳＸ001', 'SX001', 'a  1'], ['SX001', 'SX001', 'SX001', 'a 1'])
    """
    texts = np.asarray(texts, dtype=object)
    display, key = texts.copy(), texts.copy()
    if not len(texts):
        return display, key
    if may_change is None:
        may_change = ids_may_change(texts)
    if may_change.any():
        # Only the texts that can change are converted (a column of a million plain ids
        # with one header-like text among its distinct values converts one).
        part = pd.Series(texts[may_change], dtype="string")
        cleaned = part.str.replace(INVISIBLE_CHARACTERS, "", regex=True).str.strip()
        display[may_change] = cleaned.to_numpy(dtype=object)
        key[may_change] = cleaned.str.normalize("NFKC").str.replace(r"\s+", " ", regex=True) \
            .str.strip().to_numpy(dtype=object)
    return display, key


# -- header vocabulary the loader and the estimates both use ----------------------------------
def _with_traditional(names: tuple) -> tuple:
    """Each name followed by its traditional-character spelling, the order kept."""
    return tuple(spelling for name in names for spelling in traditional_spellings([name]))


#: Headers of free-text comment columns (compared after normalization). A sheet's column
#: with one of these is never an item; the load report lists it and proposes ``comments=``
#: to keep it as text (it is not kept unless named: comments may hold personal data).
COMMENT_COLUMNS: tuple[str, ...] = _with_traditional((
    "评价内容", "意见建议", "意见", "建议", "评价意见", "留言内容", "留言", "备注", "意见和建议",
    "其他意见", "其他意见建议", "您的意见和建议", "诉求内容", "不满意原因", "评论", "评论内容",
    "comment", "comments", "free text", "free-text comment", "feedback", "remarks",
    "what could we do better?", "how could we improve?", "what was good?", "fft answer",
    "fft why?", "why?",
))
#: Headers of a column of respondents' names: their values are masked in the comments
#: (:func:`survey_analysis.comments`) as ``[name]``.
NAME_COLUMNS: tuple[str, ...] = _with_traditional((
    "姓名", "名字", "评价人", "客户姓名", "受访者姓名", "联系人", "name", "respondent name", "full name",
    "patient name",
))
#: Comment cells that say nothing was written (compared after normalization): an export's
#: placeholder ("Did not answer") or a "none" in words; not listed as comments.
NO_COMMENT: tuple[str, ...] = _with_traditional((
    "did not answer", "no answer", "no comment", "no comments", "none", "none.", "nothing", "n/a",
    "na", "nil", "-", "--", "—", ".", "无", "无。", "没有", "没有。", "暂无", "无意见", "没有意见", "无建议",
))
#: Cells of a coded topic column that mean "not tagged" (besides an empty cell), normalized.
NOT_TAGGED: tuple[str, ...] = ("0", "0.0", "false", "no", "n", "否", "nan", "none")
