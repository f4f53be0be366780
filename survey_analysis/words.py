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

import re
import warnings
from dataclasses import dataclass, field

__all__ = ["CATALOGUE", "LANGUAGES", "Hint", "Message", "SurveyError", "SurveyWarning",
           "has_chinese", "join", "say", "warn"]

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
    # Reasons of exclusion (the ledger's categories) and where an error is.
    "load.reason.summary_row": ("totals or summary row", "合计行"),
    "load.reason.blank_row": ("blank row", "空行"),
    "load.reason.missing_rating": ("no answer (empty rating)", "未作答"),
    "load.reason.not_asked": ("not asked (empty cell of a wide sheet)", "未问"),
    "load.reason.unknown_item": ("item not in the catalogue", "目录外事项"),
    "load.reason.duplicate": ("another answer of the same respondent to the same item", "重复回答"),
    "load.reason.dont_know": ("\"don't know\" answer", "不了解"),
    "load.reason.unknown_label": ("answer that is no label of the scale", "无法识别的回答"),
    "load.reason.percent_fits_no_count": ("published percentage that no whole count fits",
                                          "百分比与人数对不上"),
    "load.where.sheet": (", sheet {sheet!r}", "，工作表 {sheet!r}"),
    "load.where.line": (", line {line}", "，第 {line} 行"),
    "load.where.column": (", column {column!r}", "，列 {column!r}"),
    # The ledger.
    "load.ledger.unbalanced": (
        "ledger does not balance for {source}: read {read}, kept {kept}, excluded {excluded}",
        "{source} 的台账不平衡：读入 {read}，保留 {kept}，排除 {excluded}"),
    "load.ledger.not_checked": (
        "not checked by this count: {what}; `survey-analysis validate FILE` applies every rule "
        "with line numbers",
        "此次计数未检查：{what}；`survey-analysis validate FILE` 会逐行应用全部规则并给出行号"),
    "load.ledger.empty_csv_lines": (
        "a CSV line with nothing on it (not even commas) is skipped, where the loader counts it as "
        "a blank row",
        "CSV 中完全空白（连逗号都没有）的行被跳过，而加载器会把它计为空行"),
    "load.ledger.no_scale": ("none (no substantive answer)", "无（没有实质性回答）"),
    "load.ledger.one_scale": ("{name}: {levels}; satisfied by its convention: {satisfied}",
                              "{name}：{levels}；按其惯例计为满意：{satisfied}"),
    "load.ledger.scale_of_items": ("{name} ({items} item(s)): {levels}, satisfied {satisfied}",
                                   "{name}（{items} 个事项）：{levels}，满意：{satisfied}"),
    "load.ledger.counts_head": ("Counts report for {source} (engine {engine})",
                                "{source} 的计数报告（引擎 {engine}）"),
    "load.ledger.load_head": ("Load report for {source} ({where})", "{source} 的加载报告（{where}）"),
    "load.ledger.wide": (
        "layout: wide, {items} item column(s) x {rows} data row(s) = {cells} answer cells (the "
        "counts below are cells)",
        "版式：宽表，{items} 个事项列 × {rows} 个数据行 = {cells} 个回答单元格（以下计数均为单元格）"),
    "load.ledger.unknown_items": ("items not in the catalogue: {count}: {listing}",
                                  "不在事项目录中的事项：{count} 个：{listing}"),
    "load.warning.excludes": (
        "{reason} excludes {count} of {answers} answers ({share:.1%}): check that this is what "
        "you meant",
        "“{meaning}”排除了 {answers} 个回答中的 {count} 个（{share:.1%}）：请确认这是否符合本意"),
    "load.warning.percent_fits_no_count": (
        "percent_fits_no_count: on {count} of {rows} rows the published percentage fits no whole "
        "count of its n; those rows are excluded (see percent_audit)",
        "{rows} 行中有 {count} 行的公布百分比与其人数对不上（没有任何整数计数能四舍五入得到它），"
        "这些行已排除（见 percent_audit）"),
    "load.option.share": ("{name} must be a share between 0 and 1, got {value!r}",
                          "{name} 必须是 0 到 1 之间的比例，实际为 {value!r}"),
    "load.text": ("{text}", "{text}"),  # TRANSITIONAL
    # Reading files.
    "load.read.xls": ("the old binary .xls format is not read; open it in Excel or LibreOffice and "
                      "save it as .xlsx",
                      "不读取旧的二进制 .xls 格式；请在 Excel 或 LibreOffice 中打开并另存为 .xlsx"),

    # -- design: the Survey, its options, calibration ------------------------------------------

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
