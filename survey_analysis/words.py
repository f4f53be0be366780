"""Every sentence the package says, in English and Chinese: one catalogue.

The layers below the presentation never build sentences for people. They name an
entry of :data:`CATALOGUE` and its parameters -- a :class:`Message` -- and whoever shows
it renders it in a language: an exception's text, a note in a result, a verdict, a
reason in a ledger, a warning. A report in Chinese and one in English therefore say
the same thing, and a translation is fixed in one place.

Errors are :class:`SurveyError` (a ``ValueError``): their ``code`` and ``params`` are
data, their text is the English entry, followed by the Chinese one when the error is
about a sheet written in Chinese (``languages=("en", "zh")``). An error that proposes an
option names the keyword (:class:`Hint`): ``duplicates='keep_first'``. The command line
renders the same error with its flags beside the keywords
(``duplicates='keep_first' (CLI --duplicates keep_first)``), from the option tables it
builds its flags from; the library never names a flag.

>>> say("choice.unknown", name="method", value="wald", allowed="'logit', 'beta'")
"unknown method 'wald'; allowed: 'logit', 'beta'"
>>> say("choice.unknown", "zh", name="method", value="wald", allowed="'logit', 'beta'")
"未知的 method 取值 'wald'；可选：'logit', 'beta'"
>>> error = SurveyError("choice.unknown", name="method", value="wald", allowed="'logit'")
>>> isinstance(error, ValueError), error.code
(True, 'choice.unknown')
"""

from __future__ import annotations

import html
import math
import re
import warnings
from dataclasses import dataclass, field

__all__ = ["CATALOGUE", "LANGUAGES", "Hint", "Message", "SurveyError", "SurveyWarning",
           "frame_html", "html_table", "has_chinese", "join", "percent", "percent_interval", "say",
           "shorten", "warn"]

#: The languages every entry is written in.
LANGUAGES = ("en", "zh")

_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


def has_chinese(*texts) -> bool:
    """True when any of ``texts`` holds a Chinese character (errors about such a sheet
    are said in Chinese too)."""
    return any(_CJK.search(str(text)) for text in texts if text is not None)


# ----------------------------------------------------------------------------------------
# The catalogue: code -> (English, Chinese). Parameters in braces, as str.format.
# Sections follow the layers; a code's first word is its topic.
# ----------------------------------------------------------------------------------------
CATALOGUE: dict[str, tuple[str, str]] = {
    # -- checks shared by every layer ------------------------------------------------------
    "choice.unknown": ("unknown {name} {value!r}; allowed: {allowed}",
                       "未知的 {name} 取值 {value!r}；可选：{allowed}"),
    "level.not_number": (
        "confidence_level must be a number strictly between 0 and 1, got {value!r}",
        "confidence_level 必须是严格介于 0 和 1 之间的数，实际为 {value!r}"),
    "level.range": (
        "confidence_level must be strictly between 0 and 1, got {value!r} (write 0.95, not 95)",
        "confidence_level 必须严格介于 0 和 1 之间，实际为 {value!r}（应写 0.95，而不是 95）"),
    "counts.broadcast": (
        "successes and trials cannot be broadcast together: shapes {first} and {second}",
        "成功数与试验数的形状无法对齐：{first} 与 {second}"),
    "counts.index": ("successes and trials are Series with different indexes",
                     "成功数与试验数是索引不同的 Series"),
    "counts.trials_negative": ("trials must be >= 0: found successes={k}, trials={n}{where}",
                               "试验数必须 >= 0：发现 成功数={k}，试验数={n}{where}"),
    "counts.successes_negative": ("successes must be >= 0: found successes={k}, trials={n}{where}",
                                  "成功数必须 >= 0：发现 成功数={k}，试验数={n}{where}"),
    "counts.too_many": ("successes must not exceed trials: found successes={k}, trials={n}{where}",
                        "成功数不能超过试验数：发现 成功数={k}，试验数={n}{where}"),
    "counts.position": (" at position {position}", "（位置 {position}）"),

    # -- scales: levels, definitions of "satisfied" --------------------------------------------

    # -- load: reading files, the ledger, reasons of exclusion ---------------------------------

    # -- design: the Survey, its options, calibration ------------------------------------------
    "design.columns_missing": (
        "column(s) {missing} not found; columns are {found} (load_responses carries extra "
        "columns with {fix})",
        "未找到列 {missing}；现有列为 {found}（load_responses 用 {fix} 保留其他列）"),
    "design.not_counted": (
        "column(s) {missing} were not counted; the counts are kept by {keys}. Name them when "
        "building the Survey: {fix} (a file is scanned once)",
        "列 {missing} 未计入计数；计数按 {keys} 保存。请在建立 Survey 时指定：{fix}（文件只扫描一次）"),
    "design.contradicts": (
        "this Survey was built with {keyword}={own!r}; {keyword}={given!r} asks for another "
        "design. Build it with survey.{method}(...) and pass that Survey, or pass the responses "
        "instead of the Survey",
        "该 Survey 的 {keyword}={own!r}；而 {keyword}={given!r} 要求另一种设计。请用 "
        "survey.{method}(...) 建立新的 Survey 再传入，或直接传入回答数据"),
    "design.none": ("none", "无"),
    "design.describe": ("{answers} valid answers on {items} items; {units}; weights: {weight}.",
                        "{answers} 个有效回答，{items} 个事项；{units}；权重：{weight}。"),
    "design.units_clusters": ("clusters: {cluster}; strata: {strata}", "群：{cluster}；层：{strata}"),
    "design.units_census": (
        "strata: {cluster}{strata} (a census of items; answers are the sampling units)",
        "层：{cluster}{strata}（事项普查，回答为抽样单位）"),
    "design.units_answers": ("no clusters (every answer is a sampling unit); strata: {strata}",
                             "不分群（每个回答为一个抽样单位）；层：{strata}"),
    "design.calibrated": (" Weights calibrated ({method}) to {margins}.",
                          "权重已校准（{method}）至 {margins}。"),
    "design.domain": (" Subset: {domain}.", "子总体：{domain}。"),

    # -- estimate: notes and errors of the estimators ------------------------------------------

    # -- claims: verdicts and their reasons -----------------------------------------------------

    # -- analysis: the standard analysis, what was not computed ---------------------------------

    # -- present: labels of tables, figures and reports -----------------------------------------

}


def _format(template: str, params: dict, lang: str, flags) -> str:
    rendered = {name: (value.render(flags) if isinstance(value, Hint) else
                       value.render(lang, flags) if isinstance(value, Message) else value)
                for name, value in params.items()}
    return template.format(**rendered)


def say(code: str, lang: str = "en", **params) -> str:
    """The catalogue entry ``code`` in ``lang`` ("en" or "zh") with its ``params`` filled in.

    Raises
    ------
    KeyError
        For a code that is not in :data:`CATALOGUE` (a programming error).
    ValueError
        For a language other than those in :data:`LANGUAGES`.
    """
    return Message(code, params).render(lang)


@dataclass(frozen=True)
class Hint:
    """An option that changes what happens: ``keyword=value``, said by the library as the
    keyword and by the command line with its flag beside it."""

    keyword: str
    value: object

    def render(self, flags=None) -> str:
        """``keyword='value'``; with ``flags`` (a callable ``(keyword, value) -> flag text``
        or None when the keyword has no flag), ``keyword='value' (CLI --flag value)``."""
        text = f"{self.keyword}={self.value!r}"
        flag = flags(self.keyword, self.value) if flags is not None else None
        return f"{text} (CLI {flag})" if flag else text


@dataclass(frozen=True)
class Message:
    """A catalogue entry with its parameters: what a lower layer says, before a language
    is chosen.

    Parameters
    ----------
    code : str
        A key of :data:`CATALOGUE`.
    params : dict
        The values of the entry's placeholders (a :class:`Hint` or a nested Message
        is rendered in the same language).

    Examples
    --------
    >>> m = Message("level.range", {"value": 95})
    >>> m.render("en")
    'confidence_level must be strictly between 0 and 1, got 95 (write 0.95, not 95)'
    """

    code: str
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.code not in CATALOGUE:
            raise KeyError(f"no catalogue entry {self.code!r}")

    def render(self, lang: str = "en", flags=None) -> str:
        """The sentence in ``lang``; ``flags`` as in :meth:`Hint.render`."""
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}; allowed: {', '.join(LANGUAGES)}")
        return _format(CATALOGUE[self.code][LANGUAGES.index(lang)], self.params, lang, flags)

    def __str__(self) -> str:
        return self.render("en")


def join(messages, lang: str = "en", sep: str = "; ") -> str:
    """Several messages (or plain texts) rendered and joined."""
    return sep.join(m.render(lang) if isinstance(m, Message) else str(m) for m in messages if m)


class SurveyError(ValueError):
    """A ``ValueError`` whose text is a catalogue entry.

    Parameters
    ----------
    code : str
        A key of :data:`CATALOGUE`.
    languages : tuple of str, default ("en",)
        The languages of ``str(error)``, one paragraph each: ``("en", "zh")`` for an
        error about a sheet written in Chinese.
    prefix : str, optional
        Where the error is (a file, line and column), put before the sentence.
    **params
        The entry's parameters; :class:`Hint` values are options that would change
        the outcome (the command line adds their flags).

    Attributes
    ----------
    code, params, languages, prefix
        As given; :attr:`message` is the :class:`Message`.
    """

    def __init__(self, code: str, *, languages=("en",), prefix: str = "", **params):
        self.message = Message(code, params)
        self.code, self.params = code, params
        self.languages, self.prefix = tuple(languages), prefix
        super().__init__(self.render())

    @property
    def hints(self) -> tuple:
        """The options the error proposes (:class:`Hint` parameters), in order."""
        return tuple(v for v in self.params.values() if isinstance(v, Hint))

    def render(self, languages=None, flags=None) -> str:
        """The error's text in ``languages`` (default its own), keywords with their flags
        when ``flags`` is given (see :meth:`Hint.render`)."""
        languages = self.languages if languages is None else (
            (languages,) if isinstance(languages, str) else tuple(languages))
        head = f"{self.prefix}: " if self.prefix else ""
        return "\n".join(head + self.message.render(lang, flags) for lang in languages)

    def __reduce__(self):  # picklable (Dask workers send errors back)
        return (_rebuild_error, (type(self), self.code, self.params, self.languages, self.prefix))


def _rebuild_error(kind, code, params, languages, prefix):
    error = kind.__new__(kind)
    SurveyError.__init__(error, code, languages=languages, prefix=prefix, **params)
    return error


class SurveyWarning(UserWarning):
    """A warning whose text is a catalogue entry (``.message`` is the :class:`Message`)."""

    def __init__(self, message: Message):
        self.message = message
        super().__init__(message.render("en"))


def warn(code: str, stacklevel: int = 3, **params) -> None:
    """Issue a :class:`SurveyWarning` for the catalogue entry ``code``."""
    warnings.warn(SurveyWarning(Message(code, params)), stacklevel=stacklevel)


# ----------------------------------------------------------------------------------------
# How results show themselves (short reprs and notebook tables)
# ----------------------------------------------------------------------------------------
def percent(value, digits: int = 1) -> str:
    """A rate as a percentage (``0.9674 -> '96.7%'``); ``'-'`` when not a number."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return "-"
    return "-" if math.isnan(value) else f"{100.0 * value:.{digits}f}%"


def percent_interval(low, high, digits: int = 1) -> str:
    """``'[96.3%, 97.1%]'``."""
    return f"[{percent(low, digits)}, {percent(high, digits)}]"


def shorten(text: str, limit: int = 400) -> str:
    """``text`` cut to ``limit`` characters (an ellipsis says it was cut)."""
    return text if len(text) <= limit else text[:limit - 3] + "..."


def html_table(rows, columns, caption: str = "") -> str:
    """A small HTML table (every cell escaped) for a result's ``_repr_html_``."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in rows)
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{title}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def frame_html(frame, caption: str = "", percent_columns=(), max_rows: int = 20) -> str:
    """A result table as a small HTML table: rates as percentages, other numbers to four
    significant digits, at most ``max_rows`` rows (the rest counted in the caption)."""
    shown = frame.head(max_rows)
    rows = []
    for record in shown.itertuples(index=False):
        cells = []
        for column, value in zip(shown.columns, record):
            if column in percent_columns:
                cells.append(percent(value))
            elif isinstance(value, float):
                cells.append("-" if math.isnan(value) else f"{value:.4g}")
            else:
                cells.append(value)
        rows.append(cells)
    if len(frame) > max_rows:
        caption = f"{caption} ({max_rows} of {len(frame)} rows)".strip()
    return html_table(rows, list(shown.columns), caption)
