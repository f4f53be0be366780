"""The options of :func:`~survey_analysis.load_responses`, once, for the library and the CLI.

Every keyword of ``load_responses`` (except ``source``) has one entry here: its command-line
flag, how the flag's text becomes the keyword's value, and how a value is written back as a
flag. The CLI builds its arguments from this table, and renders the keywords that errors
propose (:class:`~survey_analysis.words.Hint`) with their flag beside them
(:func:`flag_for`), so the two cannot drift apart; a test checks that the table and the
function's signature list the same keywords.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..words import SurveyError

__all__ = ["DUPLICATES", "LAYOUTS", "LOAD_OPTIONS", "UNKNOWN_ITEMS", "UNKNOWN_LABELS", "LoadOption",
           "Placeholder", "flag_for", "parse_delimiter", "parse_filters", "parse_header_row", "parse_pairs"]

# The choices of the loader's options, here once: the rule book (:mod:`.rules`) checks them
# and the command line offers them.
#: What to do with two answers of one respondent to one item.
DUPLICATES = ("error", "keep_first")
#: What to do with answers that are no label of the scale.
UNKNOWN_LABELS = ("error", "exclude")
#: What to do with answers to items not in the catalogue.
UNKNOWN_ITEMS = ("report", "error", "exclude")
#: How a sheet is laid out: one row per respondent x item, or one column per item.
LAYOUTS = ("auto", "long", "wide")


class Placeholder(str):
    """A value an error proposes for the analyst to fill in (``N``, ``HEADER``), written
    without quotes: ``header_row=N`` (CLI ``--header-row N``).

    Examples
    --------
    >>> repr(Placeholder("N")), repr([Placeholder("HEADER"), Placeholder("...")])
    ('N', '[HEADER, ...]')
    """

    def __repr__(self) -> str:
        return str(self)


def parse_pairs(values, what: str) -> dict:
    """``["a=b", "c="]`` -> ``{"a": "b", "c": None}`` (an empty right side means None)."""
    out = {}
    for value in values or ():
        if "=" not in value:
            raise SurveyError("load.cli.pairs", what=what, value=value)
        key, _, right = value.partition("=")
        if not key.strip():
            raise SurveyError("load.cli.pairs_key", what=what, value=value)
        out[key.strip()] = right.strip() or None
    return out


def parse_header_row(text):
    """``"3"`` -> 3; ``"2-3"`` -> (2, 3)."""
    if text is None:
        return None
    match = re.fullmatch(r"\s*(\d+)\s*(?:[-:]\s*(\d+)\s*)?", str(text))
    if not match:
        raise SurveyError("load.cli.header_row", value=text)
    first, last = match.groups()
    return int(first) if last is None else (int(first), int(last))


_DELIMITER_NAMES = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t", "pipe": "|"}


def parse_delimiter(text):
    """``";"`` -> ``";"``; the names ``tab`` (or ``\\t`` as typed in a shell), ``comma``,
    ``semicolon`` and ``pipe`` -> the character.

    Examples
    --------
    >>> parse_delimiter("tab"), parse_delimiter(";")
    ('\\t', ';')
    """
    if text is None:
        return None
    return _DELIMITER_NAMES.get(str(text).strip().lower(), text)


def _parse_scale(values):
    if not values:
        return "auto"
    pairs = [v for v in values if "=" in v and not v.lower().endswith(".json")]
    if not pairs:
        if len(values) > 1:
            raise SurveyError("load.cli.scale_twice", count=len(values))
        return values[0]
    if len(pairs) != len(values):
        raise SurveyError("load.cli.scale_mixed")
    return parse_pairs(values, "--scale")


def parse_filters(values, flag: str) -> dict | None:
    """``["是否测试=True,1", "周次=1"]`` -> ``{"是否测试": ["True", "1"], "周次": ["1"]}``: a
    row filter per column (repeat the flag for more columns), values split at commas.

    Examples
    --------
    >>> parse_filters(["possible_test_entry=True", "week=1,2"], "--exclude-rows")
    {'possible_test_entry': ['True'], 'week': ['1', '2']}
    """
    out: dict = {}
    for column, right in (parse_pairs(values, flag) or {}).items():
        parts = [part.strip() for part in (right or "").replace("，", ",").split(",")]
        out.setdefault(column, []).extend(parts)
    return out or None


def _show_mapping(value: dict, flag: str) -> str:
    return " ".join(f"{flag} {k}={'' if v is None else v}" for k, v in value.items())


@dataclass(frozen=True)
class LoadOption:
    """One keyword of ``load_responses`` and its command-line flag.

    ``kind`` says how the flag is read: ``"text"`` (one value), ``"choice"`` (one of
    ``choices``), ``"list"`` (several values), ``"pairs"`` (repeated KEY=VALUE), ``"filter"`` (repeated COLUMN=V[,V]), ``"float"``.
    """

    keyword: str
    flag: str
    kind: str
    help: str
    choices: tuple = ()
    metavar: str | None = None

    def parse(self, raw):
        """The keyword's value from what argparse collected for the flag."""
        if self.keyword == "scale":
            return _parse_scale(raw)
        if self.keyword == "header_row":
            return parse_header_row(raw)
        if self.keyword == "delimiter":
            return parse_delimiter(raw)
        if self.keyword == "max_cells" and raw is not None:
            if not str(raw).strip().isdigit() or int(raw) < 1:
                raise SurveyError("load.cli.max_cells", value=raw)
            return int(raw)
        if self.keyword == "sheet":
            return int(raw) if isinstance(raw, str) and raw.isdigit() else raw
        if self.kind == "pairs":
            return parse_pairs(raw, self.flag) or None
        if self.kind == "filter":
            return parse_filters(raw, self.flag)
        if self.kind == "list":
            return list(raw) if raw else None
        return raw

    def show(self, value) -> str:
        """The flag that gives ``value`` (``--duplicates keep_first``)."""
        if isinstance(value, dict) and self.kind == "filter":
            return " ".join(f"{self.flag} {column}=" + ",".join(map(str, [v] if isinstance(v, str) else v))
                            for column, v in value.items())
        if isinstance(value, dict):
            return _show_mapping(value, self.flag)
        if self.kind == "list":
            return f"{self.flag} " + " ".join(map(str, value))
        if self.keyword == "header_row" and isinstance(value, tuple):
            return f"{self.flag} {value[0]}-{value[1]}"
        if self.keyword == "delimiter":
            name = {char: name for name, char in _DELIMITER_NAMES.items() if name != "\\t"}.get(value)
            return f"{self.flag} {name or repr(value)}"
        return f"{self.flag} {value}"


#: Every keyword of ``load_responses`` with its flag, in the order of the signature.
LOAD_OPTIONS: dict = {option.keyword: option for option in (
    LoadOption("columns", "--columns", "pairs",
               "name a column: CANONICAL=HEADER (item_id, respondent_id, rating, weight); "
               "respondent_id= (empty) when each row is its own respondent; item_id=A+B for an item "
               "id over several columns", metavar="NAME=HEADER"),
    LoadOption("sheet", "--sheet", "text", "Excel sheet name or number (default: the first)"),
    LoadOption("encoding", "--encoding", "text",
               "CSV text encoding (default: UTF-8 with or without BOM, then GB18030)"),
    LoadOption("delimiter", "--delimiter", "text",
               "CSV field delimiter: a character, or tab, comma, semicolon, pipe (default: "
               "sniffed among , ; tab | from the first lines, the header line first)",
               metavar="CHAR"),
    LoadOption("max_cells", "--max-cells", "text",
               "most cells (rows x columns from A1) an Excel / ODS sheet may span (default "
               "10,000,000): a stray value far from the data is refused, not read", metavar="N"),
    LoadOption("scale", "--scale", "pairs",
               "rating scale: a preset name (cn3, haochaping5, likert5, fft, points5 ...), a JSON "
               "file describing one, or ITEM=SCALE per item (default: detected)",
               metavar="SCALE"),
    LoadOption("labels", "--label", "pairs",
               "what a label means: LABEL=LEVEL, or LABEL=dont_know (repeat the flag)",
               metavar="LABEL=LEVEL"),
    LoadOption("unknown_labels", "--unknown-labels", "choice",
               "answers that are no label of the scale: error (default) or exclude and count them",
               UNKNOWN_LABELS),
    LoadOption("duplicates", "--duplicates", "choice",
               "two answers of one respondent to one item: error (default) or keep_first",
               DUPLICATES),
    LoadOption("layout", "--layout", "choice",
               "long: one row per respondent x item; wide: one column per item (default: auto)",
               LAYOUTS),
    LoadOption("item_columns", "--item-columns", "list",
               "wide sheet: the headers of the item columns", metavar="HEADER"),
    LoadOption("header_row", "--header-row", "text",
               "line / sheet row of the header, or a range like 2-3 for a header over two rows "
               "(default: found)", metavar="N"),
    LoadOption("catalogue", "--catalogue", "text",
               "item catalogue (CSV / Excel / Parquet with an item id column)", metavar="FILE"),
    LoadOption("unknown_items", "--unknown-items", "choice",
               "answers to items not in the catalogue: report (default), error or exclude",
               UNKNOWN_ITEMS),
    LoadOption("keep_columns", "--keep-columns", "list",
               "other columns to carry, e.g. a community used for strata or --by",
               metavar="HEADER"),
    LoadOption("comments", "--comments", "list",
               "free-text comment columns to keep as text for survey.comments() (never items nor "
               "ratings; not kept unless named: comments may hold personal data)", metavar="HEADER"),
    LoadOption("exclude_rows", "--exclude-rows", "filter",
               "leave out the rows whose COLUMN holds one of the values (test entries, a pilot week); "
               "counted in the load report as 'filtered: COLUMN=VALUE' (repeat the flag for more "
               "columns)", metavar="COLUMN=V[,V]"),
    LoadOption("only_rows", "--only-rows", "filter",
               "keep only the rows whose COLUMN holds one of the values (one district, one month); the "
               "others are counted as filtered (repeat the flag for more columns)", metavar="COLUMN=V[,V]"),
    LoadOption("warn_share", "--warn-share", "float",
               "warn at the top of every report when a reason other than don't-know or blank "
               "excludes at least this share of the answers (default: 0.05)", metavar="SHARE"),
)}


def flag_for(keyword: str, value) -> str | None:
    """The command-line flag that gives ``keyword=value``, or None for a keyword that is not
    an option of :func:`~survey_analysis.load_responses`.

    The library's errors name keywords (:class:`~survey_analysis.words.Hint`); the command
    line renders them with this beside each (``SurveyError.render(flags=...)``).

    Examples
    --------
    >>> flag_for("duplicates", "keep_first")
    '--duplicates keep_first'
    >>> flag_for("columns", {"respondent_id": "序号"})
    '--columns respondent_id=序号'
    >>> flag_for("delimiter", "\\t"), flag_for("confidence_level", 0.9)
    ('--delimiter tab', None)
    >>> from survey_analysis.words import Hint
    >>> Hint("duplicates", "keep_first").render(flag_for)
    "duplicates='keep_first' (CLI --duplicates keep_first)"
    """
    option = LOAD_OPTIONS.get(keyword)
    return option.show(value) if option is not None else None
