"""The ledger of a load: what happened to every row, and the error a bad sheet raises.

One class, :class:`Ledger`, for every way rows are counted: :func:`load_responses` (every
excluded row with its line), the counting engines (rows per reason of exclusion) and a
published table of counts. ``LoadReport`` and ``CountsReport`` are its names in those
roles. Also the small formatters that name lines in messages ("lines 3, 5, 9 ...").

Sentences come from :data:`survey_analysis.words.CATALOGUE` (section ``load``); a ledger's
notes and warnings are kept in English (their text is part of the public report) and as
:class:`~survey_analysis.words.Message` for other languages (:meth:`Ledger.notes_in`).
"""

from __future__ import annotations

import dataclasses
import html
import warnings
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from unicodedata import east_asian_width

import numpy as np
import pandas as pd

from .._validation import check_choice
from ..words import (
    CATALOGUE,
    Hint,
    Message,
    Note,
    SurveyError,
    SurveyWarning,
    has_chinese,
    said,
    say,
)
from .options import Placeholder

__all__ = ["EXCLUSION_REASONS", "FILTERED", "LOUD_REASONS", "QUIET_REASONS", "WARN_SHARE", "CountsReport", "Ledger",
           "LoadReport", "Note", "ResponseFileError", "changed_after_loading", "empty_exclusions", "empty_unknown_items",
           "exclusion_messages", "first_lines", "label_listing", "reason_text",
           "sheet_languages", "shown_source", "where_lines"]

#: Reasons a row (a cell, in a wide sheet) is excluded, in the order the rule book
#: (:mod:`.rules`) applies them.
EXCLUSION_REASONS = ("summary_row", "footer_row", "blank_row", "not_published", "repeated_header", "missing_rating", "not_asked", "unknown_item",
                     "duplicate", "dont_know", "unknown_label")
#: How the reason of the rows a row filter (``exclude_rows=``, ``only_rows=``) leaves out
#: starts: ``filtered: COLUMN=VALUE``.
FILTERED = "filtered: "
#: Default share of the answers above which an exclusion is a warning.
WARN_SHARE = 0.05
#: Reasons that never warn: "don't know" answers and blank answers or rows.
QUIET_REASONS = ("dont_know", "footer_row", "blank_row", "missing_rating", "not_asked")
#: Reasons that always warn, whatever their share: a published percentage that no whole
#: count of its n gives is a finding about the table, not noise.
LOUD_REASONS = ("percent_fits_no_count",)
_BLANK_REASONS = ("blank_row", "missing_rating", "not_asked")


def changed_after_loading(report, answers: int):
    """The ledger of responses that were filtered (or added to) after loading: ``report``
    with a note and a :class:`~survey_analysis.words.SurveyWarning` saying that the frame now
    holds ``answers`` rows, not the rows the loader kept; ``report`` itself when they agree
    (or when it is no loader's ledger)."""
    kept = getattr(report, "rows_kept", None)
    if not isinstance(report, Ledger) or kept is None or kept == answers:
        return report
    message = Message("load.ledger.changed", {"kept": kept, "answers": answers, "source": report.source,
                                              "filters": Hint("exclude_rows", {Placeholder("COLUMN"): Placeholder("VALUE")})})
    warnings.warn(SurveyWarning(message), stacklevel=4)
    return dataclasses.replace(report, alerts=tuple(report.alerts) + (message,))


def shown_source(source) -> str:
    """The name a report gives its input: never a path of the machine it ran on.

    A relative path is shown as given (it names no folder of the machine); an absolute
    one by its file name. Reports (HTML, tables, notes) show this; the loader's own
    messages name the source as the caller gave it.

    Parameters
    ----------
    source : str or path-like or None

    Returns
    -------
    str
        ``""`` for no source.

    Examples
    --------
    >>> shown_source("/home/someone/data/survey 2024.xlsx")
    'survey 2024.xlsx'
    >>> shown_source("data/survey.csv")
    'data/survey.csv'
    """
    if source is None or str(source) == "":
        return ""
    path = Path(str(source))
    if not path.is_absolute():
        windows = PureWindowsPath(str(source))
        return windows.name if windows.is_absolute() else str(source)
    return path.name


def reason_text(reason: str, lang: str = "en") -> str:
    """What a reason of exclusion means, in ``lang``.

    Examples
    --------
    >>> reason_text("summary_row"), reason_text("summary_row", "zh")
    ('totals or summary row', '合计行')
    >>> reason_text("something_else")
    'something_else'
    """
    meaning = _meaning(reason)
    return meaning.render(lang) if isinstance(meaning, Message) else reason


class ResponseFileError(SurveyError):
    """A response sheet that cannot be read; names the file, line and column.

    A :class:`~survey_analysis.words.SurveyError` whose text starts with where the
    problem is ("file, sheet 'S', line N, column 'X'"), then the catalogue's sentence; an
    error about a sheet whose headers are Chinese says it in Chinese too.

    Parameters
    ----------
    code : str
        A key of :data:`~survey_analysis.words.CATALOGUE`.
    source, line, column, sheet
        Where (see the attributes).
    languages : tuple of str, default ("en",)
        Languages of the text, one paragraph each.
    **params
        The entry's parameters (:class:`~survey_analysis.words.Hint` for an option that
        would change the outcome).

    Attributes
    ----------
    source : str
        File name (or ``"<DataFrame>"``).
    line : int or None
        Line of the file (or sheet row) as the analyst sees it, 1-based.
    column : str or None
        Column header as written in the file.
    sheet : str or None
        Excel sheet name.

    Examples
    --------
    >>> error = ResponseFileError("load.read.xls", "old.xls")
    >>> str(error)
    'old.xls: the old binary .xls format is not read; open it in Excel or LibreOffice and save it as .xlsx'
    >>> error.source, error.line, error.code
    ('old.xls', None, 'load.read.xls')
    """

    def __init__(self, code: str, source: str, line: int | None = None, column: str | None = None,
                 sheet: str | None = None, *, languages=("en",), **params):
        self.source, self.line, self.column, self.sheet = source, line, column, sheet
        super().__init__(code, languages=languages, **params)

    def where(self, lang: str = "en") -> str:
        """"file, sheet 'S', line N, column 'X'" in ``lang``."""
        text = str(self.source)
        for part, value in (("sheet", self.sheet), ("line", self.line), ("column", self.column)):
            if value is not None:
                text += say(f"load.where.{part}", lang, **{part: value})
        return text

    def __reduce__(self):  # picklable with its place (Dask workers send errors back)
        return (_rebuild_file_error, (type(self), self.code, self.source, self.line, self.column,
                                      self.sheet, self.languages, self.params))


def _rebuild_file_error(kind, code, source, line, column, sheet, languages, params):
    return kind(code, source, line, column, sheet, languages=languages, **params)


def sheet_languages(*headers) -> tuple:
    """``("en", "zh")`` for a sheet whose headers hold Chinese, else ``("en",)``."""
    return ("en", "zh") if has_chinese(*headers) else ("en",)


def empty_exclusions() -> pd.DataFrame:
    return pd.DataFrame({"source_line": pd.Series(dtype="int64"), "reason": pd.Series(dtype=str),
                         "column": pd.Series(dtype=str), "value": pd.Series(dtype=str)})


def empty_unknown_items() -> pd.DataFrame:
    return pd.DataFrame({"item_id": pd.Series(dtype=str), "rows": pd.Series(dtype="int64"),
                         "source_lines": pd.Series(dtype=str)})


def exclusion_messages(excluded: dict, rows_read: int, warn_share: float = WARN_SHARE) -> tuple:
    """Warnings, as catalogue messages, for the reasons (not "don't know", not blank) that
    exclude at least ``warn_share`` of the non-blank answers, and for every percentage that
    fits no count.

    Examples
    --------
    >>> [m.render("en") for m in exclusion_messages({"duplicate": 445, "dont_know": 3}, 791)]
    ['duplicate excludes 445 of 791 answers (56.3%): check that this is what you meant']
    """
    if not 0.0 <= float(warn_share) <= 1.0:
        raise SurveyError("load.option.share", name="warn_share", value=warn_share)
    answers = rows_read - sum(n for reason, n in excluded.items() if reason in _BLANK_REASONS)
    out = []
    for reason, count in excluded.items():
        # Rows a filter of the analyst leaves out (filtered: COLUMN=VALUE) were asked for.
        if reason in QUIET_REASONS or reason.startswith(FILTERED) or count == 0 or answers <= 0:
            continue
        if reason in LOUD_REASONS:
            out.append(Message("load.warning.percent_fits_no_count", {"count": count, "rows": rows_read}))
        elif count / answers >= warn_share:
            out.append(Message("load.warning.excludes", {
                "reason": reason, "meaning": _meaning(reason), "count": count, "answers": answers,
                "share": count / answers}))
    return tuple(out)


def _meaning(reason: str):
    """The catalogue's name of ``reason`` (a Message), or the reason itself."""
    code = f"load.reason.{reason}"
    return Message(code) if code in CATALOGUE else reason


def _level_shown(scale, level: str, lang: str) -> str:
    """A level as the sheet writes it; in a Chinese report with its Chinese wording first when
    the scale gives one (``非常好（Very good）``), so the reader can find it in the file."""
    if lang != "zh":
        return level
    word = scale.level_label(level, "zh")
    return level if word == level else f"{word}（{level}）"


def _columns_wide(text: str) -> int:
    """How many terminal columns ``text`` takes: a Chinese character takes two."""
    return sum(2 if east_asian_width(c) in "WF" else 1 for c in text)


def _padded(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal columns (``str.ljust`` counts characters)."""
    return text + " " * max(0, width - _columns_wide(text))


def _as_text(values) -> tuple:
    """Messages rendered in English; notes and texts as they are."""
    return tuple(Note(v.code, **v.params) if isinstance(v, Message) else v for v in values)


# eq=False: comparing two ledgers would compare their exclusions DataFrames, which has no
# truth value; pandas compares attrs in pd.concat, so that would crash.
@dataclass(frozen=True, eq=False)
class Ledger:
    """What happened to every row read: rows read = rows kept + rows excluded, by reason.

    The loader's ledger names the line of every excluded row (:attr:`exclusions`); a
    counting engine's and a counts table's hold rows per reason only (:attr:`excluded`;
    ``exclusions`` is then empty: run ``survey-analysis validate FILE`` for the lines).
    Immutable; it travels in ``DataFrame.attrs["load_report"]``.

    Attributes
    ----------
    source : str
        File name or ``"<DataFrame>"``.
    file_format : str or None
        ``"csv"``, ``"excel"``, ``"parquet"`` or ``"dataframe"`` (the loader's ledger).
    encoding : str or None
        Text encoding used (CSV only).
    scale : str or None
        Name of the rating scale (``"cn3"``, ``"haochaping5"`` ...) when every item is on
        one; None when there is no substantive answer or items use several scales
        (see ``item_scales``).
    rows_read : int
        Long layout: data rows below the header (blank and totals rows included).
        Wide layout: answer cells, i.e. data rows x item columns (see ``sheet_rows``).
    rows_kept : int
        Rows in the tidy result (answers counted).
    exclusions : pandas.DataFrame
        One row per excluded row (cell, in a wide sheet): ``source_line``, ``reason``
        (one of :data:`EXCLUSION_REASONS`), ``column`` (header as written), ``value``;
        empty for a ledger of counts.
    columns : dict
        Canonical column -> header in the file.
    notes : tuple of str
        Other things the analyst should know (e.g. generated respondent ids), in English
        (each a :class:`Note`: :meth:`notes_in` gives them in another language).
    layout : {"long", "wide"}
        Long: one row per respondent x item. Wide: one row per respondent, one column
        per item.
    sheet : str or None
        Excel sheet read.
    header_line : int or None
        Line (CSV) or sheet row (Excel) of the header; None for DataFrames and Parquet.
    sheet_rows : int or None
        Data rows below the header (equal to ``rows_read`` in the long layout).
    item_columns : tuple of str
        Wide layout: the item column headers (each is an ``item_id``).
    unknown_items : pandas.DataFrame
        With a catalogue: items answered but not in it, columns ``item_id``, ``rows``,
        ``source_lines`` (first lines); empty otherwise.
    scales : dict
        Scale name -> :class:`~survey_analysis.scales.Scale`, for every scale used.
    item_scales : dict
        Item id -> scale name (every item with a kept answer).
    scale_how : str
        How the scale was chosen (given, or detected and why).
    warn_share : float
        Share of the answers above which an exclusion is reported as a warning (see
        :attr:`warnings`).
    engine : str or None
        The counting engine (``"duckdb"``, ``"pandas"``, ``"dask"``, ``"counts table"``);
        None for the loader's ledger.
    excluded : dict
        Reason -> excluded rows, in the rule book's order (computed from ``exclusions``
        when not given).
    unknown_labels : dict
        Unknown label -> rows (a ledger of counts).
    quiet_reasons : tuple of str
        Reasons that never warn here (a totals row is expected in a published table).
    unchecked : str or Message
        The loader's rules a count could not apply ("" when it applied them all).
    column_roles : tuple
        The loader's ledger: what each column of the sheet became and why, as objects with
        ``header``, ``role`` and ``why`` (see :meth:`column_table`).
    alerts : tuple of Message
        Warnings about the ledger itself, shown first with :attr:`warnings` (the responses
        changed after loading: :func:`changed_after_loading`).

    Examples
    --------
    >>> ledger = Ledger("a.csv", engine="duckdb", rows_read=10, rows_kept=8,
    ...                 excluded={"dont_know": 2})
    >>> ledger.rows_excluded, ledger.excluded_by_reason().to_dict()
    (2, {'dont_know': 2})
    >>> print(repr(ledger))
    Ledger('a.csv', engine='duckdb', read=10, kept=8, excluded={'dont_know': 2})
    """

    source: str
    file_format: str | None = None
    encoding: str | None = None
    scale: str | None = None
    rows_read: int = 0
    rows_kept: int = 0
    exclusions: pd.DataFrame = field(default_factory=empty_exclusions, repr=False)
    columns: dict = field(default_factory=dict)
    notes: tuple = ()
    layout: str = "long"
    sheet: str | None = None
    header_line: int | None = None
    sheet_rows: int | None = None
    item_columns: tuple = ()
    unknown_items: pd.DataFrame = field(default_factory=empty_unknown_items, repr=False)
    scales: dict = field(default_factory=dict, repr=False)
    item_scales: dict = field(default_factory=dict, repr=False)
    scale_how: str = ""
    warn_share: float = WARN_SHARE
    engine: str | None = None
    excluded: dict | None = None
    unknown_labels: dict = field(default_factory=dict)
    quiet_reasons: tuple = ()
    unchecked: object = ""
    column_roles: tuple = field(default=(), repr=False)
    alerts: tuple = field(default=(), repr=False)

    def __post_init__(self):
        exclusions = empty_exclusions() if self.exclusions is None else self.exclusions
        object.__setattr__(self, "exclusions", exclusions)
        counted = exclusions["reason"].value_counts(sort=False).to_dict() if len(exclusions) else {}
        excluded = counted if self.excluded is None else dict(self.excluded)
        order = {reason: i for i, reason in enumerate(EXCLUSION_REASONS)}
        excluded = {str(reason): int(rows) for reason, rows in
                    sorted(excluded.items(), key=lambda kv: (order.get(kv[0], len(order)), str(kv[0])))
                    if int(rows)}
        object.__setattr__(self, "excluded", excluded)
        object.__setattr__(self, "notes", _as_text(self.notes))
        total = sum(excluded.values())
        if self.rows_read != self.rows_kept + total or (len(exclusions) and len(exclusions) != total):
            raise RuntimeError(say("load.ledger.unbalanced", source=self.source, read=self.rows_read,
                                   kept=self.rows_kept, excluded=total if self.engine is None else excluded))

    # The ledger travels in DataFrame.attrs, which pandas deep-copies on many operations;
    # it is immutable, so sharing it is safe and cheap.
    def __deepcopy__(self, memo):
        return self

    @property
    def has_lines(self) -> bool:
        """Whether the ledger names the line of every excluded row (the loader's does)."""
        return self.engine is None

    @property
    def rows_excluded(self) -> int:
        """Number of excluded rows."""
        return int(sum(self.excluded.values()))

    def excluded_by_reason(self) -> pd.Series:
        """Count of excluded rows per reason (a Series named ``rows``, sorted by reason)."""
        return pd.Series(self.excluded, dtype="int64", name="rows").rename_axis("reason").sort_index()

    @property
    def not_checked(self) -> str:
        """The loader's rules this count did not apply (empty when it applied them all, and
        for a table of counts)."""
        return self._not_checked_in("en")

    def _not_checked_in(self, lang: str) -> str:
        if not self.unchecked:
            return ""
        what = self.unchecked.render(lang) if isinstance(self.unchecked, Message) else str(self.unchecked)
        return say("load.ledger.not_checked", lang, what=what)

    def warning_messages(self) -> tuple:
        """:attr:`warnings` as catalogue messages."""
        loud = {reason: rows for reason, rows in sorted(self.excluded.items())
                if reason not in self.quiet_reasons}
        return tuple(self.alerts) + exclusion_messages(loud, self.rows_read, self.warn_share)

    @property
    def warnings(self) -> tuple:
        """Exclusions that remove a large share of the answers, as sentences.

        Any reason other than "don't know" and blank answers (``blank_row``,
        ``missing_rating``, ``not_asked``) that excludes at least ``warn_share`` of the
        non-blank answers is a warning: reports and the CLI print these first.
        """
        return _as_text(self.warning_messages())

    def notes_in(self, lang: str = "en") -> tuple:
        """The notes in ``lang`` ("en" or "zh"); a note given as text is shown as written."""
        return tuple(said(n, lang) for n in self.notes)

    def scale_summary(self, lang: str = "en") -> str:
        """One line: the scale(s) and the satisfied levels by their convention."""
        if not self.scales:
            return say("load.ledger.no_scale", lang)
        if len(self.scales) == 1:
            scale = next(iter(self.scales.values()))
            return say("load.ledger.one_scale", lang, name=scale.name,
                       levels=" / ".join(_level_shown(scale, level, lang) for level in scale.levels),
                       satisfied=" + ".join(_level_shown(scale, level, lang) for level in scale.satisfied))
        counts = pd.Series(self.item_scales).value_counts()
        return say("load.ledger.scale_sep", lang).join(
            say("load.ledger.scale_of_items", lang, name=name, items=counts.get(name, 0),
                levels=" / ".join(_level_shown(s, level, lang) for level in s.levels),
                satisfied=" + ".join(_level_shown(s, level, lang) for level in s.satisfied))
            for name, s in self.scales.items())

    def reading(self, lang: str = "en") -> tuple:
        """How the loader read the sheet, one sentence each in ``lang`` ("en" or "zh"): the
        header row, the layout of a wide sheet, the header read as each canonical column, and
        the item columns of a wide sheet (the first eight); what a ledger records of these (a
        counting engine's records none).

        These are the loader's guesses (or the options that fixed them): the text report,
        ``survey-analysis validate`` and the HTML report show them.
        """
        lines = []
        if self.header_line is not None:
            unit = "row" if self.file_format == "excel" else "line"
            lines.append(say(f"load.ledger.header_{unit}", lang, line=self.header_line))
        if self.layout == "wide":
            lines.append(say("load.ledger.wide", lang, items=len(self.item_columns),
                             rows=self.sheet_rows, cells=self.rows_read))
        if self.columns:
            listing = ", ".join(f"{name} = {header}" for name, header in self.columns.items())
            lines.append(say("load.ledger.columns", lang, listing=listing))
        if self.layout == "wide" and self.item_columns:
            shown = ", ".join(self.item_columns[:8]) + (" ..." if len(self.item_columns) > 8 else "")
            lines.append(say("load.ledger.item_columns", lang, listing=shown))
        # the columns not read, then those kept as text (keep_columns=, comments=), with why
        for roles, code in ((("ignored",), "load.ledger.ignored"), (("kept", "comment"), "load.ledger.kept")):
            listed = [r for r in self.column_roles if r.role in roles]
            if listed:
                shown = say("load.ledger.ignored_sep", lang).join(
                    say("load.ledger.ignored_one", lang, header=r.header, why=say("load.why." + r.why, lang))
                    for r in listed[:8])
                lines.append(say(code, lang, listing=shown + (" ..." if len(listed) > 8 else "")))
        return tuple(lines)

    def column_table(self, lang: str = "en") -> pd.DataFrame:
        """Every column of the sheet with what the loader made of it: columns ``column``
        (the header as written), ``role`` (``item_id``, ``respondent_id``, ``rating``,
        ``weight``, ``item``, ``kept`` or ``ignored``) and ``why`` (a sentence in ``lang``).
        Empty for a ledger of counts."""
        return pd.DataFrame({"column": [r.header for r in self.column_roles],
                             "role": [r.role for r in self.column_roles],
                             "why": [say("load.why." + r.why, lang) for r in self.column_roles]},
                            columns=["column", "role", "why"])

    def to_frame(self) -> pd.DataFrame:
        """The ledger as a tidy table: columns ``category``, ``rows`` and, when the ledger
        names lines, ``source_lines``.

        ``category`` is ``read``, ``kept`` or ``excluded: <reason>`` (reasons sorted);
        ``source_lines`` lists the first lines of each exclusion reason (distinct lines,
        in order).
        """
        rows = [("read", self.rows_read, ""), ("kept", self.rows_kept, "")]
        lines = ({reason: group["source_line"].to_numpy() for reason, group in
                  self.exclusions.groupby("reason", sort=True)} if len(self.exclusions) else {})
        for reason, count in sorted(self.excluded.items()):
            shown = ""
            if reason in lines:
                distinct = pd.unique(lines[reason])
                shown = ", ".join(str(int(v)) for v in distinct[:10]) + (" ..." if len(distinct) > 10 else "")
            rows.append((f"excluded: {reason}", count, shown))
        frame = pd.DataFrame(rows, columns=["category", "rows", "source_lines"])
        return frame if self.has_lines else frame.drop(columns="source_lines")

    def _head(self, lang: str = "en") -> str:
        if not self.has_lines:
            return say("load.ledger.counts_head", lang, source=shown_source(self.source), engine=self.engine)
        parts = [self.file_format] if self.file_format else []
        if self.encoding:
            parts.append(say("load.ledger.encoding", lang, encoding=self.encoding))
        if self.sheet is not None:
            parts.append(say("load.ledger.sheet", lang, sheet=self.sheet))
        return say("load.ledger.load_head", lang, source=shown_source(self.source),
                   where=say("load.ledger.where_sep", lang).join(parts))

    def _categories(self, lang: str) -> list:
        """The categories of :meth:`to_frame` in ``lang``: 读入, 保留, 排除：不了解（dont_know）."""
        named = []
        for category in self.to_frame()["category"]:
            if category.startswith("excluded: "):
                reason = category.split(": ", 1)[1]
                named.append(category if lang == "en" else
                             say("load.ledger.excluded_reason", lang, meaning=reason_text(reason, lang),
                                 reason=reason))
            else:
                named.append(say(f"ledger.{category}", lang))
        return named

    def __str__(self) -> str:
        return self.render()

    def render(self, flags=None, lang: str = "en") -> str:
        """The ledger as text (``str(ledger)`` is the English one).

        Parameters
        ----------
        flags : mapping, optional
            As in :meth:`survey_analysis.words.Hint.render`: the command line shows its
            flags beside the keywords the notes propose.
        lang : {"en", "zh"}, default "en"
            The language of every line the package writes (headers and answers of the
            file are shown as written).

        Examples
        --------
        >>> import survey_analysis as sa
        >>> report = sa.load_responses(sa.synthetic_responses_path()).attrs["load_report"]
        >>> print(report.render(lang="zh").splitlines()[0])   # SYNTHETIC data
        responses_synthetic.csv 的加载报告（csv，编码 utf-8-sig）
        """
        check_choice("lang", lang, ("en", "zh"))
        notes = tuple(n.render(lang, flags) if isinstance(n, Note) else str(n) for n in self.notes)
        warnings = [m.render(lang) if isinstance(m, Message) else str(m) for m in self.warning_messages()]
        lines = [say("load.ledger.warning", lang, text=w) for w in warnings] + [self._head(lang)]
        lines.extend(f"  {sentence}" for sentence in self.reading(lang))
        frame = self.to_frame()
        categories = self._categories(lang)
        width = max(28, *(_columns_wide(c) for c in categories))
        if not self.has_lines:
            names = ", ".join(self.scales) or say("load.ledger.no_scale", lang)
            how = said(self.scale_how, lang)
            lines.append("  " + say("load.ledger.scale", lang, summary=names)
                         + (say("load.ledger.how", lang, how=how) if how else ""))
            lines += [f"  {_padded(category, width)} {rows:>12}" for category, rows in zip(categories, frame["rows"])]
            if self._not_checked_in(lang):
                lines.append(f"  {self._not_checked_in(lang)}")
            lines.extend("  " + say("load.ledger.note", lang, text=note) for note in notes)
            return "\n".join(lines)
        lines.append("  " + say("load.ledger.scale", lang, summary=self.scale_summary(lang)))
        if self.scale_how:
            lines.append("        " + say("load.ledger.how", lang, how=said(self.scale_how, lang)))
        if len(self.scales) > 1:
            by_scale = pd.Series(self.item_scales, dtype=object)
            for name, group in by_scale.groupby(by_scale, sort=False):
                shown = ", ".join(map(str, group.index[:8])) + (" ..." if len(group) > 8 else "")
                lines.append("  " + say("load.ledger.items_on", lang, name=name, listing=shown))
        for category, rows, where in zip(categories, frame["rows"], frame["source_lines"]):
            lines.append(f"  {_padded(category, width)} {rows:>8}"
                         + ("   " + say("load.ledger.lines", lang, lines=where) if where else ""))
        if len(self.unknown_items):
            parts = [say("load.ledger.unknown_item", lang, item=item, rows=rows, lines=where)
                     for item, rows, where in self.unknown_items.itertuples(index=False)]
            lines.append("  " + say("load.ledger.unknown_items", lang, count=len(self.unknown_items),
                                    listing="; ".join(parts)))
        lines.extend("  " + say("load.ledger.note", lang, text=note) for note in notes)
        return "\n".join(lines)

    def __repr__(self) -> str:
        source = self.source if len(str(self.source)) <= 60 else "..." + str(self.source)[-57:]
        parts = [repr(source)]
        parts.append(f"engine={self.engine!r}" if self.engine is not None else f"format={self.file_format!r}")
        parts += [f"read={self.rows_read}", f"kept={self.rows_kept}"]
        excluded = repr(self.excluded)
        parts.append(f"excluded={excluded if len(excluded) <= 150 else excluded[:146] + ' ...}'}")
        if self.scale is not None:
            parts.append(f"scale={self.scale!r}")
        if self.warnings:
            parts.append(f"warnings={len(self.warnings)}")
        if self.notes:
            parts.append(f"notes={len(self.notes)}")
        return f"Ledger({', '.join(parts)})"

    def _repr_html_(self) -> str:
        """A small table for notebooks: the ledger, each reason with what it means."""
        frame = self.to_frame()
        body = []
        for row in frame.itertuples(index=False):
            category = row.category
            meaning = reason_text(category.split(": ", 1)[1]) if category.startswith("excluded: ") else ""
            cells = [category, f"{row.rows:,}", meaning] + ([row.source_lines] if self.has_lines else [])
            body.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
        head = ["category", "rows", "meaning"] + (["lines"] if self.has_lines else [])
        warnings = "".join(f"<p><b>WARNING:</b> {html.escape(w)}</p>" for w in self.warnings)
        reading = "".join(f"<p>{html.escape(sentence)}</p>" for sentence in self.reading())
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return (f"{warnings}{reading}<table><caption>{html.escape(self._head())}</caption><thead><tr>"
                + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>" + "".join(body)
                + "</tbody></table>" + (f"<ul>{notes}</ul>" if notes else ""))


#: The loader's ledger (:func:`~survey_analysis.load_responses`): every excluded row with its line.
LoadReport = Ledger
#: A counting engine's ledger: rows per reason of exclusion.
CountsReport = Ledger


# ---------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------

def first_lines(lines, limit: int = 5) -> str:
    """'3, 5, 9 ...': the first ``limit`` lines."""
    lines = np.asarray(lines)
    shown = ", ".join(str(int(v)) for v in lines[:limit])
    return shown + (" ..." if len(lines) > limit else "")


def where_lines(lines, headers, wide: bool, limit: int = 5) -> str:
    """'lines 3, 5' (long) or 'lines 3 [路灯], 5 [道路]' (wide: the item column too)."""
    lines = np.asarray(lines)
    if not wide:
        return "lines " + first_lines(lines, limit)
    headers = np.asarray(headers)
    shown = ", ".join(f"{int(v)} [{h}]" for v, h in zip(lines[:limit], headers[:limit]))
    return "lines " + shown + (" ..." if len(lines) > limit else "")


def label_listing(values, lines, headers, wide: bool) -> str:
    """"'好' x2 (lines 3, 5); ...": each value with its count and first lines."""
    table = pd.DataFrame({"value": np.asarray(values, dtype=object), "line": np.asarray(lines),
                          "header": np.asarray(headers, dtype=object)})
    return "; ".join(f"{value!r} x{len(group)} ({where_lines(group['line'], group['header'], wide)})"
                     for value, group in table.groupby("value", sort=True))
