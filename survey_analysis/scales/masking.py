"""Personal data in free-text comments, masked before the comments are read or shown.

One function, :func:`mask_personal_data`: phone numbers, resident ID and NHS numbers,
e-mail addresses, bank card numbers, licence plates and the respondents' own names are
replaced by a placeholder that says what was there (``[phone]``, ``[id]``, ``[email]``,
``[card]``, ``[plate]``, ``[name]``). The placeholders are the same in Chinese and English
comments (they are codes, not words), so a table of comments reads the same in a report
in either language.

It sits at the bottom of the package, beside :mod:`.text` (text as the package compares
it), so that the loader and the estimators (comments beside ratings) may both use it: the
estimators may not import the loader.
"""

from __future__ import annotations

import re

import pandas as pd

from .._validation import check_choice

__all__ = ["KINDS", "PLACEHOLDERS", "mask_personal_data"]

#: What can be masked, in the order the patterns are applied.
KINDS = ("email", "id", "card", "phone", "plate", "name")

#: The text each kind is replaced by.
PLACEHOLDERS = {kind: f"[{kind}]" for kind in KINDS}

# ----------------------------------------------------------------------------------------
# Patterns. Chinese characters are written as \u escapes inside raw regexes: re reads them,
# and the module holds no Chinese text (the catalogue holds the package's words).
# Digit runs are delimited by lookarounds, not \b: in Chinese text a digit follows a
# character that is itself a word character (电话13812345678).
# ----------------------------------------------------------------------------------------

#: E-mail: the dot-atom form of RFC 5322 section 3.4.1, ASCII only, as the "valid e-mail
#: address" of the HTML Living Standard; the domain ends in a label of 2+ letters.
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+"
                    r"(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9\-])")

#: Resident ID (GB 11643-1999): 6-digit area code (GB/T 2260, first digit 1-9), birth date
#: YYYYMMDD (1900-2099, month 01-12, day 01-31), 3-digit sequence, check digit 0-9 or X.
_ID = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])"
                 r"(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9A-Za-z])")

#: NHS number (NHS Data Dictionary): 10 digits, written 3-3-4 with spaces or hyphens or
#: unbroken; the last digit is a modulus-11 check digit (checked in _nhs).
_NHS = re.compile(r"(?<![\d+])\d{3}([ \-]?)\d{3}\1\d{4}(?![\d])")

#: Bank card (ISO/IEC 7812-1): 16-19 digits, unbroken or in groups of 4 separated by single
#: spaces or hyphens (a fifth group of 1-3 digits); Luhn-valid (checked in _card).
_CARD = re.compile(r"(?<![\d+])(?:\d{16,19}|\d{4}(?:([ \-])\d{4})(?:\1\d{4}){2}(?:\1\d{1,3})?)"
                   r"(?![\d])")

#: Mainland mobile (MIIT numbering plan): 1[3-9] + 9 digits, as 3-4-4 with optional spaces or
#: hyphens, optionally after +86 / 0086 (and a space or hyphen).
_CN_MOBILE = re.compile(r"(?<![\d+])(?:(?:\+|00)86[ \-]?)?1[3-9]\d(?:[ \-]?\d{4}){2}(?![\d])")

#: Mainland landline (MIIT numbering plan): area code 0 + 2-3 digits, in ASCII or full-width
#: parentheses or followed by a hyphen or space, then a 7-8 digit local number; optional
#: extension (-123, \u8f6c123, ext. 123, x123). A local number without its area code is left.
_CN_LANDLINE = re.compile(r"(?<![\d+])(?:(?:\+|00)86[ \-]?)?(?:\(0\d{2,3}\) ?|\uff080\d{2,3}\uff09 ?"
                          r"|0\d{2,3}[ \-])\d{7,8}"
                          r"(?: ?(?:-|\u8f6c|(?i:ext)\.?|(?i:x)) ?\d{1,6})?(?![\d])")

#: UK phone (Ofcom National Telephone Numbering Plan): 0 + 1/2/7 + 9 digits (01xx, 02x
#: landlines and 07 mobiles), or +44 / 0044 (optionally "(0)") instead of the 0; spaces,
#: hyphens and parentheses around the area code allowed between the digits.
_UK_PHONE = re.compile(r"(?<![\d+])(?:(?:\+|00)44 ?(?:\(0\) ?)?|\(?0)[127]"
                       r"(?:(?:[ \-]|\) ?)?\d){9}(?![\d])")

#: Mainland licence plate (GA 36-2018): province abbreviation, the issuing office's letter
#: (A-Z without I and O), an optional separator (middle dot or space), then 5 letters and
#: digits (6 on new-energy plates), or 4 and a learner/police/trailer character.
_PROVINCES = (r"\u4eac\u6d25\u6caa\u6e1d\u5180\u8c6b\u4e91\u8fbd\u9ed1\u6e58\u7696\u9c81\u65b0"
              r"\u82cf\u6d59\u8d63\u9102\u6842\u7518\u664b\u8499\u9655\u5409\u95fd\u8d35\u7ca4"
              r"\u9752\u85cf\u5ddd\u5b81\u743c")
_PLATE = re.compile(rf"[{_PROVINCES}][A-HJ-NP-Za-hj-np-z][\u00b7\u30fb\u2022 ]?"
                    r"(?:[A-HJ-NP-Za-hj-np-z0-9]{5,6}|[A-HJ-NP-Za-hj-np-z0-9]{4}[\u5b66\u8b66\u6302])"
                    r"(?![A-Za-z0-9])")

#: Marks of a name that is already masked (张**, 李＊): nothing to find in the text.
_MASKED_NAME = re.compile(r"[*\uff0a\u00d7]")


def _luhn(digits: str) -> bool:
    """Whether ``digits`` passes the Luhn check (ISO/IEC 7812-1, annex B)."""
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _nhs_valid(digits: str) -> bool:
    """Whether the 10 ``digits`` end in their NHS modulus-11 check digit."""
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _card(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return PLACEHOLDERS["card"] if 16 <= len(digits) <= 19 and _luhn(digits) else match.group(0)


def _nhs(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return PLACEHOLDERS["id"] if _nhs_valid(digits) else match.group(0)


#: kind -> (pattern, replacement) in the order applied: e-mails first (their local part may
#: hold digits), IDs before cards and phones (an 18-digit ID is not cut into a phone).
_RULES = {
    "email": [(_EMAIL, PLACEHOLDERS["email"])],
    "id": [(_ID, PLACEHOLDERS["id"])],
    "card": [(_CARD, _card)],
    "phone": [(_CN_LANDLINE, PLACEHOLDERS["phone"]), (_CN_MOBILE, PLACEHOLDERS["phone"]),
              (_UK_PHONE, PLACEHOLDERS["phone"])],
    "plate": [(_PLATE, PLACEHOLDERS["plate"])],
}
#: NHS numbers (placeholder [id]) are looked for after phones: a UK phone has 11 digits.
_AFTER_PHONES = [("id", _NHS, _nhs)]


def _name_pattern(names) -> re.Pattern | None:
    """One regex finding every full name of ``names`` (longest first), or None."""
    if names is None:
        return None
    found = set()
    for name in pd.Series(names, dtype=object).dropna():
        text = str(name).strip()
        if len(text) >= 2 and not _MASKED_NAME.search(text):
            found.add(text)
    if not found:
        return None
    parts = []
    for text in sorted(found, key=lambda t: (-len(t), t)):
        escaped = re.escape(text)
        # A Latin name is a whole word (Ann is not in Annual); a Chinese one cannot be.
        parts.append(rf"(?<![A-Za-z]){escaped}(?![A-Za-z])" if text.isascii() else escaped)
    # Never inside a placeholder already written ([phone] hides no name "phone").
    return re.compile(r"(?<!\[)(?:" + "|".join(parts) + r")(?!\])", re.IGNORECASE)


def mask_personal_data(texts, *, names=None, kinds=None) -> pd.Series:
    """Replace personal data in free-text comments by a placeholder saying what was there.

    Parameters
    ----------
    texts : pandas.Series, list of str, or str
        The comments. Missing values stay missing; a cell that is not text (a number read
        from a sheet) is masked as its text. One ``str`` gives one masked ``str``.
    names : list of str or pandas.Series, optional
        The respondents' names from the sheet (the 评价人 column, say): each full name found
        in a comment becomes ``[name]``. Names of one character and names already masked
        (``张**``, ``李＊``, ``王××``) are ignored; missing values are skipped.
    kinds : str or sequence of str, optional
        What to mask, a subset of ``"email"``, ``"id"``, ``"card"``, ``"phone"``,
        ``"plate"``, ``"name"``; all by default. An unknown kind is refused, naming the
        allowed ones.

    Returns
    -------
    pandas.Series
        The comments with the same index and name, personal data replaced by ``[email]``,
        ``[id]``, ``[card]``, ``[phone]``, ``[plate]`` or ``[name]``.
        ``.attrs["masked"]`` holds the number of replacements of each kind asked for.

    Raises
    ------
    SurveyError
        ``choice.unknown``: a kind that is not one of the six.

    Notes
    -----
    Patterns, in the order they are applied (each finds what the earlier ones left):

    ``[email]``
        E-mail addresses: the dot-atom form of RFC 5322 section 3.4.1 in ASCII, as the HTML
        Living Standard's "valid e-mail address", with a domain ending in 2+ letters
        (``wang.li@example.com``, ``a+b@mail.example.org.cn``).
    ``[id]``
        Mainland resident ID numbers (GB 11643-1999): 18 characters, a 6-digit area code
        whose first digit is 1-9, a birth date YYYYMMDD with year 1900-2099, month 01-12 and
        day 01-31, a 3-digit sequence number and a check digit 0-9 or X/x. The check digit
        is **not** verified: a mistyped ID still identifies a person. 15-digit IDs (issued
        before 1999) are not looked for.
    ``[card]``
        Bank card numbers (ISO/IEC 7812-1): 16-19 digits, unbroken or in groups of 4
        separated by one space or hyphen (the same separator throughout), that pass the Luhn
        check (ISO/IEC 7812-1 annex B). A digit run failing it is left: it is more likely an
        order or case number. An 18-digit run shaped like a resident ID is masked as
        ``[id]``.
    ``[phone]``
        * Mainland landlines (MIIT numbering plan, 电信网编号计划): area code 0 + 2-3 digits
          in parentheses (ASCII or full-width) or followed by a hyphen or space, then a
          7-8 digit local number, an optional extension (``-123``, ``转123``, ``ext. 123``,
          ``x123``), optionally after +86 / 0086: ``(010)12345678``, ``0571-8765432``,
          ``021-12345678-801``. A local number without its area code is left (it cannot be
          told from a count).
        * Mainland mobiles (same plan): 11 digits starting 13-19, unbroken or 3-4-4 with
          spaces or hyphens, optionally after +86 / 0086: ``13812345678``,
          ``138 1234 5678``, ``+86 138-1234-5678``.
        * UK numbers (Ofcom National Telephone Numbering Plan): 11 digits starting 01, 02
          (landlines) or 07 (mobiles), or +44 / 0044 (optionally ``(0)``) in place of the
          0, with spaces, hyphens or parentheses around the area code between the digits:
          ``07700 900123``, ``+44 (0)7700 900123``, ``(020) 7946 0958``,
          ``0161 496 0123``.

        None of them matches inside a longer digit run.

    Digits may be full-width (every Unicode decimal digit counts); a full-width hyphen or
    space is not read as a separator (``0571－87654321`` is left: normalize the text with
    NFKC first if a sheet writes them).
    ``[id]`` (UK)
        NHS numbers (NHS Data Dictionary): 10 digits, unbroken or 3-3-4 with spaces or
        hyphens, whose last digit is the modulus-11 check digit of the first nine (a
        10-digit run without a valid check digit is left, as a phone or order number).
    ``[plate]``
        Mainland licence plates (GA 36-2018): a province abbreviation
        (京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼), the office
        letter (A-Z without I and O), an optional ``·`` or space, then 5 letters and digits,
        or 6 (new-energy plates), or 4 and 学/警/挂: ``京A·12345``, ``粤B D12345``.
        Lower-case letters are accepted.
    ``[name]``
        Each full name of ``names``, case-insensitive, longest first. A Latin-script name is
        found as a whole word only (``Ann`` is not masked in ``Annual``); a Chinese name has
        no word boundaries and is masked wherever its characters appear, also inside a
        longer word (a respondent named 王府 masks 王府井 to ``[name]井``): the trade-off
        of finding every mention of a name in Chinese text.

    Left as they are (no pattern matches them): dates (2023-04-05, 2023年4月5日,
    4/5/2023), amounts (¥1,234.56, 1234元, £50), times (14:30), counts, years, street
    numbers (3号楼2单元), percentages, case numbers shorter than the patterns, and service
    numbers of 3-5 digits: the 12345 hotline (打12345没人接), 110, 119, 120, 95598.

    Every match of the patterns is masked whatever surrounds it: an 11-digit run starting
    13-19 (an amount written 13800000000元) is masked as a phone number.

    The replacement is vectorized: ``Series.str.replace`` with compiled patterns; only the
    matches of card and NHS numbers go through a Python check (Luhn, modulus 11).

    References
    ----------
    .. [1] GB 11643-1999, Citizen identification number (公民身份号码).
    .. [2] GB/T 2260, Codes for the administrative divisions of the People's Republic of
       China.
    .. [3] Ministry of Industry and Information Technology, 电信网编号计划 (Numbering plan of
       the telecommunication networks), 2017.
    .. [4] GA 36-2018, Motor vehicle number plates of the People's Republic of China.
    .. [5] ISO/IEC 7812-1:2017, Identification cards -- Identification of issuers -- Part 1:
       Numbering system (Luhn check, annex B).
    .. [6] RFC 5322, Internet Message Format, section 3.4.1; WHATWG HTML Living Standard,
       "valid e-mail address".
    .. [7] Ofcom, The National Telephone Numbering Plan.
    .. [8] NHS Digital, NHS Data Dictionary: NHS Number (modulus 11 check digit).

    Examples
    --------
    >>> import survey_analysis as sa
    >>> comments = ["办事很快，有问题打13812345678找我", "车牌京A·12345被贴条了，打12345没人接",
    ...             None, "Call me on 07700 900123 or mail jo.smith@example.co.uk"]
    >>> masked = sa.mask_personal_data(comments)
    >>> for text in masked:
    ...     print(text)
    办事很快，有问题打[phone]找我
    车牌[plate]被贴条了，打12345没人接
    None
    Call me on [phone] or mail [email]
    >>> masked.attrs["masked"]
    {'email': 1, 'id': 0, 'card': 0, 'phone': 2, 'plate': 1, 'name': 0}

    Names from the sheet, and only some kinds:

    >>> sa.mask_personal_data(["张伟说窗口的李娜态度很好，电话010-12345678"],
    ...                       names=["张伟", "李娜", "王**"], kinds=["name"]).tolist()
    ['[name]说窗口的[name]态度很好，电话010-12345678']
    >>> sa.mask_personal_data(["x"], kinds=["phone", "address"])
    Traceback (most recent call last):
    ...
    survey_analysis.words.SurveyError: unknown kinds 'address'; allowed: 'email', 'id', 'card', 'phone', 'plate', 'name'
    """
    if isinstance(texts, str):
        return mask_personal_data(pd.Series([texts]), names=names, kinds=kinds).iloc[0]
    if kinds is None:
        wanted = KINDS
    else:
        wanted = (kinds,) if isinstance(kinds, str) else tuple(kinds)
        for kind in wanted:
            check_choice("kinds", kind, KINDS)
    series = texts.copy() if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
    if not (isinstance(series.dtype, pd.StringDtype)
            or pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty")):
        # Numbers read from a sheet (13812345678 as an int) are masked as their text.
        series = series.astype(object).where(series.isna(), series.astype(str))
    original = series

    steps = [(kind, pattern, replacement) for kind in KINDS if kind in wanted and kind in _RULES
             for pattern, replacement in _RULES[kind]]
    if "id" in wanted:
        at = max((i for i, (kind, _, _) in enumerate(steps) if kind == "phone"), default=len(steps) - 1)
        steps[at + 1:at + 1] = _AFTER_PHONES
    if "name" in wanted:
        pattern = _name_pattern(names)
        if pattern is not None:
            steps.append(("name", pattern, PLACEHOLDERS["name"]))
    for _, pattern, replacement in steps:
        series = series.str.replace(pattern, replacement, regex=True)

    counts = {}
    for kind in (k for k in KINDS if k in wanted):
        placeholder = re.escape(PLACEHOLDERS[kind])
        counts[kind] = int(series.str.count(placeholder).sum() - original.str.count(placeholder).sum())
    result = series
    result.attrs = dict(original.attrs)
    result.attrs["masked"] = counts
    return result
