"""Load response sheets into tidy responses, with a ledger of every row.

Flow: file -> grid of cell texts, each row carrying the line (CSV) or sheet row
(Excel) the analyst sees -> header row found below any title rows -> canonical
columns -> layout (long, or wide melted to long) -> the answers as codes
(:mod:`.answers`) -> the rule book (:mod:`.rules`) applied row by row, every excluded
answer with its line -> normalized ratings -> tidy responses + :class:`LoadReport`. The
invariant ``rows_read == rows_kept + rows_excluded`` is checked on every load.

Nothing in an input file is executed: CSV is parsed by pyarrow or the standard library's
``csv`` reader, Excel by python-calamine or openpyxl (formulas are read as the values Excel
saved, never evaluated), Parquet by pandas/pyarrow. No pickle, no eval (see :mod:`.read`).

Every step works on the distinct texts of a column and integer codes per row
(:mod:`.coded`): labels, ids and totals words are cleaned and read once per distinct
text; exclusions, duplicates and the ledger are integer array operations.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._validation import check_choice
from ..scales.text import normalize_many
from ..words import Hint, Message, SurveyError, SurveyWarning
from . import coded, rules
from .answers import KEEP_PREFIX, InPlay, build_answers, merge_equivalent_ids
from .answers import keep_columns as add_kept_columns
from .header import (
    ColumnRole,
    Plan,
    Sheet,
    check_formulas,
    choose_layout,
    comment_positions,
    find_column,
    first_nonempty,
    footer_of_first,
    is_summary,
    split_header,
    summary_of_first,
)
from .names import COLUMN_ALIASES
from .options import LAYOUTS, Placeholder, parse_header_row
from .parts import PART_SEPARATOR, join_parts, joined_name
from .read import as_strings, read_source, read_table
from .report import (
    FILTERED,
    WARN_SHARE,
    LoadReport,
    Note,
    ResponseFileError,
    empty_unknown_items,
    first_lines,
    label_listing,
)

__all__ = ["load_responses"]


class SheetPlace:
    """Where the loader's errors point (a :class:`~.rules.Place`): the sheet's file, line
    and column, and the answers of a mask listed with their lines."""

    has_lines = True
    validate = ""

    def __init__(self, sheet: Sheet, ledger: InPlay, label_codes=None, reading_codes=None):
        self.sheet, self.ledger = sheet, ledger
        self.label_codes, self.reading_codes = label_codes, reading_codes

    def fail(self, code: str, line=None, column=None, **params) -> ResponseFileError:
        return self.sheet.fail(code, line=line, column=column, **params)

    def _listing(self, bad: np.ndarray) -> tuple:
        lines, headers = self.ledger.where(bad)
        listing = label_listing(self.ledger.text("rating")[bad], lines, headers, self.ledger.wide)
        return listing, int(lines[0]), str(headers[0])

    def labels_where(self, mask: np.ndarray) -> tuple:
        bad = mask[self.label_codes]
        return self._listing(bad) if bad.any() else ("", None, None)

    def readings_where(self, mask: np.ndarray) -> tuple:
        return self._listing(mask[self.reading_codes])


def _all_masked(ledger: InPlay) -> bool:
    """Whether every filled respondent id in play looks masked (张**, 138****5678, 王某)."""
    filled = ~ledger.mask("respondent_id", lambda u: rules.empty(u, stripped=True))
    if not filled.any():
        return False
    # One filled id that does not look masked decides (the first, in most sheets): the
    # distinct ids of a big column are then not read.
    first = ledger.uniques("respondent_id")[ledger.codes("respondent_id")[np.argmax(filled)]]
    if not rules.looks_masked(np.array([first], dtype=object))[0]:
        return False
    return bool(ledger.mask("respondent_id", rules.looks_masked)[filled].all())


def _check_ids(ledger: InPlay, sheet: Sheet, plan: Plan, place: SheetPlace, named_respondent: bool) -> None:
    """Item and respondent ids must not be empty; without a respondent column, one per row.

    A respondent column found by its header (not named in ``columns=``) whose every value
    is masked cannot tell respondents apart: each row is then its own respondent, and the
    report says so. Masked ids mixed with real ones stay ids (repeats are an error that
    says they look masked)."""
    header_of = ledger.header_of
    for canonical, what in (("item_id", "item"), ("respondent_id", "respondent")):
        if canonical in plan.mapping:
            failed = ledger.mask(canonical, rules.excel_errors)
            if failed.any():
                lines = pd.unique(ledger.lines()[failed])
                rules.RuleBook.refuse_error_ids(place, what, len(lines), str(ledger.text(canonical, failed)[0]),
                                                lines, header_of[canonical])
    if plan.layout == "long":
        empty = ledger.mask("item_id", lambda u: rules.empty(u, stripped=True))
        if empty.any():
            rules.RuleBook.refuse_empty_ids(place, "item", int(empty.sum()), ledger.lines()[empty],
                                            header_of["item_id"])
    masked = "respondent_id" in plan.mapping and not named_respondent and _all_masked(ledger)
    masked_values = pd.unique(ledger.text("respondent_id"))[:3] if masked else ()
    if "respondent_id" in plan.mapping and not masked:
        empty = ledger.mask("respondent_id", lambda u: rules.empty(u, stripped=True))
        if empty.any():
            first = pd.unique(ledger.lines()[empty])
            rules.RuleBook.refuse_empty_ids(place, "respondent", len(first), first, header_of["respondent_id"])
    else:
        # "L<line>": one respondent per sheet row, so the codes are the rows themselves.
        names = ("L" + pd.Series(np.asarray(sheet.lines, dtype=np.int64)).astype(str)).to_numpy(dtype=object)
        ledger.answers.columns["respondent_id"] = (ledger.answers.row, names)
        ledger.drop("respondent_id")
        if masked:
            why = Message("load.ids.masked_column", {
                "header": header_of["respondent_id"], "values": ", ".join(map(str, masked_values)),
                "hint": Hint("columns", {"respondent_id": header_of["respondent_id"]})})
            header = header_of.pop("respondent_id")
            ledger.header_of.pop("respondent_id", None)
            del plan.mapping["respondent_id"]
            plan.roles = plan.roles + (ColumnRole(header.strip(), "ignored", "masked"),)
        else:
            why = Message("load.ids.declared_absent" if "respondent_id" in plan.absent else "load.ids.no_column")
        sheet.notes.append(Note("load.ids.own_respondent", **{"why": why}))


def _exclude_repeated_headers(ledger: InPlay) -> None:
    """Answers whose rating cell holds its own column's header (满意度 under 满意度): the
    header row again, as where two exports were pasted one under the other; excluded as
    ``repeated_header`` with their lines, not read as an unknown label."""
    codes, uniques = ledger.answers.columns["rating"]
    header_codes, headers = ledger.answers.rating_header
    texts = normalize_many([str(u) for u in uniques])
    position = {name: j for j, name in enumerate(normalize_many([str(h) for h in headers])) if name}
    # The header each distinct label is the text of (-1: none), then per answer by codes:
    # a label under the column it names.
    header_of_label = np.array([position.get(text, -1) for text in texts], dtype=np.int64)
    if not (header_of_label >= 0).any():
        return
    # The header row's own text is among the distinct labels of its column: a count of the
    # codes in play says whether a header text is an answer at all (seldom).
    codes = ledger.codes("rating")
    if not ((header_of_label >= 0) & (np.bincount(codes, minlength=len(header_of_label)) > 0)).any():
        return
    repeated = header_of_label[codes] == ledger.rows(header_codes)
    if repeated.any():
        ledger.exclude(repeated, "repeated_header")


def _filter_values(values) -> list[str]:
    """A filter's values as texts (a single value, a list, True, 3 ...)."""
    values = [values] if isinstance(values, (str, bool, int, float, np.generic)) or values is None else list(values)
    return [str(v) for v in values]


def _filter_rows(ledger: InPlay, sheet: Sheet, exclude_rows, only_rows) -> None:
    """``exclude_rows`` / ``only_rows``: the answers of the rows a filter leaves out, counted
    as ``filtered: COLUMN=VALUE`` (``filtered: COLUMN not V1, V2`` for ``only_rows``)."""
    for keyword, filters in (("exclude_rows", exclude_rows), ("only_rows", only_rows)):
        if filters is None:
            continue
        if not isinstance(filters, dict):
            raise SurveyError("load.filter.kind", keyword=keyword, kind=type(filters).__name__)
        for column, given in filters.items():
            position = find_column(sheet.headers, sheet.normalized, column)
            if position is None:
                raise sheet.fail("load.filter.missing", name=str(column), keyword=keyword,
                                 headers=[h for h in sheet.headers if str(h).strip()])
            header = sheet.header(position).strip()
            values = _filter_values(given)
            wanted = normalize_many(values)
            codes, uniques = coded.parts(sheet.cells[position])
            found = np.asarray(normalize_many([str(u) for u in uniques]), dtype=object)
            name = f"_filter:{header}"
            ledger.answers.columns[name] = (codes[ledger.answers.row], uniques)
            occurring = set(found[np.unique(codes[ledger.answers.row[ledger.alive]])]) if len(ledger) else set()
            missing = [v for v, w in zip(values, wanted) if w not in occurring]
            if missing:
                shown = sorted({str(u) for u, f in zip(uniques, found) if f in occurring})
                message = Message("load.filter.no_match", {
                    "keyword": keyword, "column": header, "values": ", ".join(map(repr, missing)),
                    "found": ", ".join(map(repr, shown[:12])) + (" ..." if len(shown) > 12 else "")})
                sheet.notes.append(Note(message.code, **message.params))
                warnings.warn(SurveyWarning(message), stacklevel=4)
            # ledger.mask hands the predicate this column's distinct texts: ``found`` is theirs.
            if keyword == "exclude_rows":
                ledger.exclude_in_turn([(ledger.mask(name, lambda _, w=w: found == w), f"{FILTERED}{header}={v}",
                                         header, name) for v, w in zip(values, wanted)])
            else:
                keep = ledger.mask(name, lambda _: np.isin(found, wanted))
                ledger.exclude(~keep, f"{FILTERED}{header} not {', '.join(values)}", header, name)


def _check_catalogue(ledger: InPlay, place: SheetPlace, catalogue_ids: set, book: rules.RuleBook) -> pd.DataFrame:
    """Answers to items not in the catalogue: a table, and what the rule book does with them."""
    outside = ledger.mask("item_id", lambda u: rules.RuleBook.outside_catalogue(u, catalogue_ids))
    if not outside.any():
        return empty_unknown_items()
    part = pd.DataFrame({"item_id": pd.array(ledger.text("item_id", outside), dtype="string"),
                         "source_line": ledger.lines()[outside]})
    grouped = part.groupby("item_id", sort=True)["source_line"]
    counts = grouped.size()
    unknown = pd.DataFrame({
        "item_id": counts.index.astype(str),
        "rows": counts.to_numpy(dtype=np.int64),
        "source_lines": grouped.agg(lambda s: first_lines(pd.unique(s.to_numpy()))).to_numpy(),
    })
    listing = "; ".join(f"{i!r} x{n} (lines {w})" for i, n, w in unknown.itertuples(index=False))
    column = ledger.header_of.get("item_id") or str(ledger.headers(outside)[0])
    action = book.unknown_items_action(place, len(unknown), listing, line=int(part["source_line"].iloc[0]),
                                       column=column)
    if action == "exclude":
        ledger.exclude(outside, "unknown_item", "rating" if ledger.wide else "item_id", "item_id")
    return unknown


def _key_candidates(sheet: Sheet, plan: Plan, ledger: InPlay) -> list[str]:
    """Columns that could key respondents instead: filled on every row and never repeated
    within an item (序号 / 编号 / 问卷编号 ...)."""
    used = set(plan.mapping.values()) | set(plan.items)
    names = []
    at = ledger.answers.row[ledger.alive]
    items = ledger.codes("item_id")
    for position, header in enumerate(sheet.headers):
        if position in used or not str(header).strip():
            continue
        codes, uniques = coded.parts(sheet.cells[position])
        if rules.empty(uniques, stripped=True)[codes[at]].any():
            continue
        pairs = pd.DataFrame({"item": items, "key": codes[at]})
        if not pairs.duplicated().any():
            names.append(str(header).strip())
    return names


def _pair_keys(ledger: InPlay) -> np.ndarray:
    """One integer per item x respondent pair, from the two columns' codes."""
    respondents = max(len(ledger.uniques("respondent_id")), 1)
    items = ledger.codes("item_id")
    if len(ledger.uniques("item_id")) * respondents < 2**31:
        return items.astype(np.int32) * np.int32(respondents) + ledger.codes("respondent_id")
    return items.astype(np.int64) * respondents + ledger.codes("respondent_id")


def _repeats_agree(keys: np.ndarray, ratings: np.ndarray, duplicated: np.ndarray) -> bool:
    """Whether every later answer of a respondent to an item is the first one's raw text again."""
    first = pd.Series(ratings).groupby(keys, sort=False).transform("first").to_numpy()
    return bool((first[duplicated] == ratings[duplicated]).all())


def _check_duplicates(ledger: InPlay, sheet: Sheet, plan: Plan, place: SheetPlace, book: rules.RuleBook) -> None:
    """Two answers of one respondent to one item ("don't know" and unknown labels included):
    the later ones found here (a sort of integer pair keys), what happens to them decided
    by the rule book."""
    # A repeated pair repeats its respondent: when every respondent answers once (a row
    # each), there is none to look for (a count, not a sort of every answer).
    respondents = ledger.codes("respondent_id")
    if not len(respondents) or np.bincount(respondents).max() < 2:
        return
    keys = _pair_keys(ledger)
    if not coded.any_repeated(keys):
        return
    duplicated = pd.Series(keys).duplicated(keep="first").to_numpy()
    looks_masked = ledger.mask("respondent_id", rules.looks_masked)
    masked = pd.unique(ledger.text("respondent_id", duplicated & looks_masked))

    def error():
        involved = pd.Series(keys).duplicated(keep=False).to_numpy()
        lines, headers = ledger.where(duplicated)
        # A real key whose every repeat carries the first answer again is one respondent's answer
        # written on several rows (one per comment, per question): another key would count it twice.
        same_answer = not len(masked) and _repeats_agree(keys, ledger.codes("rating"), duplicated)
        candidates = (_key_candidates(sheet, plan, ledger)
                      if "respondent_id" in plan.mapping and not same_answer else [])
        return rules.RuleBook.repeats_error(
            place, int(duplicated.sum()), lines=(lines, headers), involved=ledger.where(involved),
            wide=ledger.wide, masked=list(masked), key_column=candidates[0] if candidates else None,
            one_per_row=bool(len(masked) or candidates), same_answer=same_answer, line=int(lines[0]),
            column=ledger.header_of.get("respondent_id", str(headers[0]) if ledger.wide else None))

    reason = book.repeats(error)
    if len(masked):
        sheet.notes.append(Note("load.duplicates.masked_note", **{"values": ", ".join(map(str, masked[:5]))}))
    ledger.exclude(duplicated, reason)


@dataclass
class _Rated:
    """Level, scale and rank of each kept answer: ``level`` and ``scale`` are codes into
    ``levels`` and ``scale_names`` (texts; None for no scale)."""

    level: np.ndarray
    levels: np.ndarray
    scale: np.ndarray
    scale_names: np.ndarray
    rank: np.ndarray


def _rate(ledger: InPlay, sheet: Sheet, book: rules.RuleBook):
    """Read every answer on its item's scale (:meth:`~.rules.RuleBook.read_answers`: once per
    distinct label, or per distinct item x label when items have scales of their own),
    exclude "don't know", and unknown labels as the rule book says. Returns the
    :class:`_Rated` kept answers and the :class:`~.detect.ScaleChoice`."""
    # Distinct labels in the order they first occur, as pd.factorize of the texts gives.
    label_codes, label_index = coded.factorize_codes(ledger.codes("rating"), len(ledger.uniques("rating")))
    raw_labels = ledger.uniques("rating")[label_index]
    of_row = {}

    def pairs():
        item_codes, item_index = pd.factorize(ledger.codes("item_id"))
        item_values = ledger.uniques("item_id")[item_index]
        pair = item_codes.astype(np.int64) * len(raw_labels) + label_codes
        unique_pairs, of_row["pair"] = np.unique(pair, return_inverse=True)
        return item_values[unique_pairs // len(raw_labels)], unique_pairs % len(raw_labels)

    place = SheetPlace(sheet, ledger, label_codes=label_codes)
    readings = book.read_answers(raw_labels, place, pairs)
    reading = of_row["pair"] if readings.by_pair else label_codes
    reason = readings.reason
    dont_know = (reason == "dont_know")[reading] if len(reason) else np.zeros(len(reading), bool)
    ledger.exclude(dont_know, "dont_know")
    reading = reading[~dont_know]
    # Most sheets hold no unknown label: no pass over the answers then.
    is_unknown = reason == "unknown_label"
    unknown = is_unknown[reading] if is_unknown.any() else np.zeros(0, bool)
    if unknown.any():
        place.reading_codes = reading
        book.unknown_labels_action(readings, place)
        ledger.exclude(unknown, "unknown_label")
        reading = reading[~unknown]
    scale_of_reading, scale_names = pd.factorize(readings.scale, use_na_sentinel=False)
    scale_of_reading = scale_of_reading.astype(coded.small_codes(max(len(scale_names), 1)))
    if not len(scale_names):
        scale_names = np.array([None], dtype=object)
    scale_code = scale_of_reading[reading] if len(scale_of_reading) else np.zeros(len(reading), np.int8)
    ranks = readings.rank[reading] if len(readings.rank) else np.zeros(len(reading), np.int8)
    return _Rated(reading, readings.level, scale_code, np.asarray(scale_names, dtype=object), ranks), \
        readings.choice


def _note_missing_markers(answers, sheet: Sheet, book: rules.RuleBook) -> None:
    """The load report says which written missing answers (NA, N/A, -, 无 ...) were read as
    empty cells, how often, and how to read one as an answer instead."""
    codes, uniques = answers.columns["rating"]
    markers = rules.missing_markers(uniques, book.declared_labels())
    if not markers.any():
        return
    count = int(markers[codes].sum())
    if count:
        texts = [str(t) for t in uniques[markers]]
        sheet.notes.append(Note("load.missing.markers", count=count, texts=", ".join(map(repr, texts[:8])),
                                hint=Hint("labels", {texts[0]: Placeholder("LEVEL")})))


def _check_weights(ledger: InPlay, place: SheetPlace) -> np.ndarray:
    """Weights of the kept answers, each distinct weight text read once by the rule book."""
    codes, uniques = ledger.codes("weight"), ledger.uniques("weight")
    if not len(uniques):
        return np.zeros(len(codes))
    values, bad_value = rules.RuleBook.weights(uniques)
    bad = bad_value[codes]
    if bad.any():
        first = pd.unique(ledger.lines()[bad])
        rules.RuleBook.refuse_bad_weights(place, len(first), column=ledger.header_of["weight"], lines=first,
                                          value=ledger.text("weight", bad)[0])
    return values[codes]


def _read_catalogue(catalogue) -> set:
    """Item ids of a catalogue (DataFrame or CSV / Excel / Parquet path)."""
    if isinstance(catalogue, pd.DataFrame):
        frame, name = catalogue, "<catalogue DataFrame>"
    else:
        frame, name = read_table(catalogue, "catalogue file"), str(catalogue)
    headers = [str(c) for c in frame.columns]
    position = None
    normalized = normalize_many(headers)
    for alias in COLUMN_ALIASES["item_id"]:
        if alias in normalized:
            position = normalized.index(alias)
            break
    if position is None:
        raise ResponseFileError("load.catalogue.no_item_column", name, headers=headers)
    ids = as_strings(frame.iloc[:, [position]]).iloc[:, 0]
    return set(ids[ids != ""])


def load_responses(
    source,
    *,
    columns: dict | None = None,
    sheet=0,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_cells: int | None = None,
    scale="auto",
    labels: dict | None = None,
    unknown_labels: str = "error",
    duplicates: str = "error",
    layout: str = "auto",
    item_columns=None,
    header_row=None,
    catalogue=None,
    unknown_items: str = "report",
    keep_columns=None,
    comments=None,
    exclude_rows: dict | None = None,
    only_rows: dict | None = None,
    warn_share: float = WARN_SHARE,
) -> pd.DataFrame:
    """Read a response sheet into tidy responses (one row per respondent x item).

    Parameters
    ----------
    source : str, path or pandas.DataFrame
        CSV (``.csv``, ``.tsv``, ``.txt``; any other suffix is read as CSV), Excel
        (``.xlsx``, ``.xlsm``), OpenDocument (``.ods``), old binary Excel (``.xls``, read
        by python-calamine with its title rows, merged cells and totals rows as for
        ``.xlsx``; a text export named ``.xls`` is read as CSV and the report says so),
        Parquet (``.parquet``, ``.pq``), SPSS (``.sav``, ``.zsav``) and Stata (``.dta``)
        with the optional ``spss`` extra (``pip install "survey_analysis[spss]"``), or an
        in-memory DataFrame; long or wide layout (see ``layout``). In SPSS and Stata
        files value labels become the answers' texts (the report lists each set in code
        order; :func:`survey_analysis.load.statfiles.value_labels` gives them to build a
        scale), user-defined missing codes are empty cells (a missing rating), and line
        numbers are the cases' positions (1 = the first), as for Parquet; ``max_cells``
        bounds ``.xls`` sheets and these files too. Any of these compressed
        (``answers.csv.gz``, ``.bz2``, ``.xz``) or alone in a ``.zip`` archive is read as
        the file inside, with the same ledger and errors (a zip member is named
        ``data.zip:answers.csv``; a zip with several data files is an error listing
        them); unpacking stops at
        :data:`survey_analysis.load.packed.MAX_UNPACKED_BYTES` (2 GiB) or
        :data:`~survey_analysis.load.packed.MAX_UNPACKED_RATIO` (1000) times the packed
        size.
    columns : dict, optional
        Canonical name -> header in the file, e.g. ``{"item_id": "编号"}``;
        ``{"respondent_id": None}`` says the sheet has no respondent key (e.g. only
        masked names such as 张**): each row is then its own respondent. Headers
        not given are recognized from :data:`COLUMN_ALIASES` (事项编号, 事项名称, 受访者,
        评价, 满意度, 满意程度, 权重, item, respondent, rating, weight ...), compared
        after NFKC, trimming and lower-casing. Non-string column names (e.g. integers
        of a DataFrame) are compared as text. The item id can span several columns
        (a department and its sub-department, a trust and its service):
        ``{"item_id": ["科室", "病区"]}`` (CLI ``--columns item_id=科室+病区``, split at
        ``+`` unless the text is itself a header) joins each row's non-empty parts
        with ``" / "``; the report notes it.
    sheet : str or int, default 0
        Excel sheet name, or index (0 = first sheet). Ignored for other formats.
    encoding : str, optional
        CSV text encoding. By default the file is decoded strictly with, in turn,
        UTF-8 with BOM (only if the file starts with one), UTF-8, then GB18030 (a
        superset of GBK and GB2312); the first that decodes without error is used
        and recorded in the report (a text with NUL characters, i.e. UTF-16 without
        a BOM, counts as not decoded; a stray NUL byte is an error naming its line).
        A file GB18030 decodes into no known header or label, but Big5 into some, is
        read as Big5 and the report says so. A UTF-8 file with some lines in another
        encoding is an error naming those lines. A given encoding is used as is, and
        a leading byte-order mark is removed. Errors name the first line an encoding
        cannot decode, and a UTF-16 or UTF-32 byte-order mark.
    delimiter : str, optional
        CSV field delimiter (one character; CLI ``--delimiter`` also takes ``tab``,
        ``semicolon``, ``comma``, ``pipe``). By default it is sniffed among ``,``
        ``;`` tab and ``|`` from the first 50 lines: the one that splits a line into
        the most known header names, else the one found equally often on the most
        lines; the report notes a delimiter other than the comma. A quote (``"``) that
        opens a field and does not close before the next records is an error naming
        the line where it opened (a comment over a few lines is read as one field).
    max_cells : int, optional
        Excel and ODS: the most cells (rows x columns, counted from A1) a sheet may
        span; default :data:`survey_analysis.load.excel.MAX_CELLS` (10,000,000). A
        sheet's stated size is never trusted: the cells present are located first, and
        a stray value far from the data (Excel's Ctrl+End) is an error naming it, not
        gigabytes of empty cells.
    scale : "auto", str, Scale or dict, default "auto"
        The rating scale (see :mod:`survey_analysis.scales`): a preset name from
        :data:`~survey_analysis.scales.SCALES` (``"cn3"``, ``"haochaping5"``,
        ``"likert5"``, ``"cn4"``, ``"cn5"``, ``"yes_no"``, ``"good5_en"``,
        ``"satisfied5_en"``, ``"easy4_en"``, ``"fft"``, ``"points5"``), a
        :class:`~survey_analysis.scales.Scale`, the path of a JSON file describing
        one, or a dict item id -> any of these for a sheet whose questions use
        different scales (items not in the dict are detected). ``"auto"`` keeps the
        presets whose labels cover every answer of the sheet and takes the one with
        the fewest levels (ties: the order of ``SCALES``); the load report says which
        and why, and names any other fitting preset that would count different answers
        as satisfied. When no preset covers the whole sheet, each item's scale is
        detected from its own answers (the report lists them). Numbers never get a
        direction by assumption: numeric answers are read only on a scale given here
        (``points5``: 5 = best; ``fft``: 1 = very good, 6 = don't know).
    labels : dict, optional
        What labels mean on this sheet: raw label -> level of the scale, or
        ``"dont_know"`` for a non-answer, e.g. ``{"很满意": "满意", "比较满意": "基本满意",
        "不太满意": "不满意"}`` for spoken variants of the 3-level scale. Applied (after
        normalization) before the scale is chosen.
    unknown_labels : {"error", "exclude"}
        An answer that is not a known label is an error listing each unknown label
        with its count and first lines; ``"exclude"`` excludes and counts them.
    duplicates : {"error", "keep_first"}
        Two answers of the same respondent to the same item are an error;
        ``"keep_first"`` keeps the first (in file order) and counts the others as
        excluded (``duplicate``). A "don't know" answer counts as an answer here, so
        不了解 followed by 满意 for the same respondent and item is a duplicate; a blank
        rating is no answer and is not.
    layout : {"auto", "long", "wide"}
        ``"long"``: one row per respondent x item, with item and rating columns.
        ``"wide"``: one row per respondent and one column per item; the item id is the
        column header and each cell a rating. ``"auto"`` (default) reads a sheet that
        has an item column as long; otherwise it looks for item columns and reads the
        sheet as wide when it finds at least two (a single column of labels without an
        item column is an error that asks which layout is meant).
    item_columns : list of str, optional
        Wide layout: the headers of the item columns. By default they are detected:
        columns with a header, other than the respondent, weight and common meta
        columns (:data:`META_COLUMNS`: 序号, 姓名, 备注 ...), whose non-empty cells are at
        least half rating labels (or "don't know"), at least one in words. A column
        of numbers alone may hold ids, ages or counts as well as 1-5 scores, so
        numeric item columns must be named here. A column that holds some labels
        but was not taken is mentioned in the report's notes. Giving
        ``item_columns`` implies ``layout="wide"``.
    header_row : int, (int, int) or str, optional
        Line (CSV) or sheet row (Excel) of the header, 1-based as the analyst sees
        it; a range ``(2, 3)`` (or ``"2-3"``) for a header over two rows, whose column
        names are the lower row's labels (the upper row's where a label is merged
        down; ``group/label`` where a lower label repeats under several groups). A
        header over two rows is also recognized by itself: Excel cells merged across
        or down from the header row, or a next row holding known header names under
        empty or unknown cells and no answer. By default the header is the first row, among the first 50, that holds
        a recognized header name (:data:`COLUMN_ALIASES`, :data:`META_COLUMNS`, or a
        header named in ``columns`` / ``item_columns``), so title rows above it are
        skipped; if none does, the first row with the most filled cells, and an
        error that follows names the row further down (up to row 1000) that holds a
        known header name, as a ``header_row=`` to pass. Not used for DataFrames and
        Parquet, whose column names are the header. Two columns whose headers are
        the same (after normalization) are an error when the loader uses one of them.
    catalogue : pandas.DataFrame or path, optional
        The item catalogue (a table with an item id column, e.g. ``data/items.csv``).
        Answers to items not in it are reported (see ``unknown_items``).
    unknown_items : {"report", "error", "exclude"}
        With a catalogue, answers to unknown items are listed in
        ``LoadReport.unknown_items`` and kept (``"report"``, default), raise an
        error listing them (``"error"``), or are excluded and counted
        (``"exclude"``, reason ``unknown_item``).

    keep_columns : list of str, optional
        Other columns to carry into the tidy result as text, by their header as
        written (e.g. ``["社区"]`` for a community used as stratum, or a category),
        so later calls can group or stratify by them. In a wide sheet they are
        row-level values, repeated for each of the row's answers.
    comments : str or list of str, optional
        Headers of free-text comment columns to keep as text (CLI ``--comments COL
        [COL ...]``): a tidy column per comment column, named as the header, like
        ``keep_columns`` (repeated for each answer of the row in a wide sheet), never an
        item nor a rating; :meth:`Survey.comments <survey_analysis.Survey.comments>`
        reads them. A column whose header usually names a comment
        (:data:`~survey_analysis.load.names.COMMENT_COLUMNS`: 评价内容, 意见建议, 意见,
        建议, 留言内容, 备注, comment, "What could we do better?", "FFT answer" ...) is
        never taken for an item of a wide sheet; when not named here it is not kept
        (comments may hold names, phone numbers and other personal data), and the load
        report lists it (``column_table()``: "a free-text comment column") with a note
        proposing ``comments=[...]``.
    exclude_rows : dict, optional
        Rows to leave out: header -> a value or a list of values, e.g.
        ``{"possible_test_entry": True}`` or ``{"周次": ["试点周"]}`` (CLI ``--exclude-rows
        COLUMN=V[,V]``, repeatable). Values are compared as normalized text (NFKC, trimmed,
        lower-case), so ``True``, ``"TRUE"`` and a boolean cell match. The rows are counted
        in the ledger as ``filtered: COLUMN=VALUE`` with their lines; a column that does not
        exist is an error, a value that no row holds a warning naming the values that occur.
    only_rows : dict, optional
        Rows to keep: header -> a value or list of values (CLI ``--only-rows COLUMN=V[,V]``);
        the other rows are counted as ``filtered: COLUMN not V, ...``. Both filters apply
        after totals, footer and blank rows are set aside.
    warn_share : float, default 0.05
        When a reason other than "don't know" or blank answers (duplicates, unknown
        labels, unknown items, totals rows) excludes at least this share of the
        answers, the load report starts with a warning (see
        :attr:`LoadReport.warnings`), and so do the CLI and the HTML report.

    Returns
    -------
    pandas.DataFrame
        Columns ``item_id``, ``respondent_id`` (strings), ``rating`` (the canonical
        level), ``scale`` (the scale's name), ``rank`` (1 = best), ``weight`` (only if
        the sheet has one), the ``keep_columns`` and ``source_line``.
        ``.attrs["load_report"]`` holds the :class:`LoadReport`; ``.attrs["scales"]``
        maps each scale name to its :class:`~survey_analysis.scales.Scale`, so the
        definition of "satisfied" travels with the responses.

    Raises
    ------
    ResponseFileError
        When the file cannot be decoded (the message names the encodings tried) or
        parsed, a required column is missing (the message lists the columns found),
        labels are unknown (by default) or mix scales (each label with its count
        and first lines), an item id, respondent id or weight is empty or invalid,
        a respondent answered an item twice (by default), an Excel formula cell
        holds no saved value (the cell is named, e.g. ``Sheet1!C7``), or, with
        ``unknown_items="error"``, items are not in the catalogue. The message
        names the file, line and column.
    FileNotFoundError
        When ``source`` (or ``catalogue``) does not exist.

    Notes
    -----
    Excluded, and counted in the load report by reason, in this order: totals rows
    (``summary_row``: 合计, 总计, 小计, 平均, Total, Sum, Average ... in the item or
    respondent cell, or in the first non-empty cell unless that is a rating cell,
    since "average" is also an answer), footer lines under the table (``footer_row``: a first
    non-empty cell, not a rating, that opens with 制表人, 审核人, 填报日期, 单位（盖章）, 注：,
    Prepared by ...), blank rows (``blank_row``),
    empty ratings (``missing_rating``; in a wide sheet an empty cell means the item
    was not asked: ``not_asked``), items not in the catalogue when asked
    (``unknown_item``), repeated answers when asked (``duplicate``), "don't know"
    answers (``dont_know``), and unknown labels when asked (``unknown_label``).

    Line numbers are those an analyst sees: for CSV the physical line (line 1 is
    the first line of the file; a quoted field spanning lines moves later rows
    down), for Excel the sheet row (title rows included); for Parquet and
    DataFrames the 1-based row position.

    The ledger counts rows read: in the long layout the data rows below the
    header; in the wide layout the answer cells, data rows x item columns (the
    number of data rows is ``sheet_rows``), so ``rows_read == rows_kept +
    rows_excluded`` holds in both. A blank or totals row of a wide sheet counts
    once per item column.

    Excel: cells merged over several rows below the header (an item name merged
    down over its respondents) take the merged value in every row; formula cells
    are read as the values Excel saved with the file, never evaluated.

    Item and respondent ids that differ only by invisible characters (zero-width
    space, soft hyphen, byte-order mark), full-width forms (``Ａ１`` = ``A1``) or white
    space are one id: they print alike, and counted apart they would split an item. Each
    keeps its first spelling and the report's notes list the merges; case is kept
    (``a1`` and ``A1`` may be different codes). A catalogue is matched the same way.

    When the sheet has no respondent column, each row is its own respondent
    (``"L<line>"``) and the report says so.

    Examples
    --------
    >>> import pandas as pd
    >>> from survey_analysis import load_responses
    >>> sheet = pd.DataFrame({"事项编号": ["A", "A", "B", "B"], "受访者": [1, 2, 1, 2],
    ...                       "满意度": ["满意", "基本满意", "不了解", "不满意"]})
    >>> tidy = load_responses(sheet)
    >>> tidy[["item_id", "rating", "rank"]].to_dict("list")
    {'item_id': ['A', 'A', 'B'], 'rating': ['满意', '基本满意', '不满意'], 'rank': [1, 2, 3]}
    >>> tidy.attrs["load_report"].excluded_by_reason().to_dict()
    {'dont_know': 1}

    The same answers in the wide layout (one column per item; a blank cell means
    the item was not asked):

    >>> wide = pd.DataFrame({"受访者": [1, 2], "A": ["满意", "基本满意"], "B": ["不了解", "不满意"]})
    >>> tidy = load_responses(wide)
    >>> tidy[["item_id", "respondent_id", "rating"]].to_dict("list")
    {'item_id': ['A', 'A', 'B'], 'respondent_id': ['1', '2', '2'], 'rating': ['满意', '基本满意', '不满意']}
    >>> report = tidy.attrs["load_report"]
    >>> report.layout, report.rows_read, report.rows_kept, report.item_columns
    ('wide', 4, 3, ('A', 'B'))

    A comment column is kept as text only when named:

    >>> wide["意见建议"] = ["", "排队太久"]
    >>> load_responses(wide, comments=["意见建议"])["意见建议"].tolist()
    ['', '排队太久', '排队太久']
    >>> report = load_responses(wide).attrs["load_report"]
    >>> report.column_table().iloc[-1].tolist()
    ['意见建议', 'ignored', 'a free-text comment column']
    """
    book = rules.RuleBook.of(duplicates=duplicates, unknown_labels=unknown_labels,
                             unknown_items=unknown_items, scale=scale, labels=labels)
    check_choice("layout", layout, LAYOUTS)
    if item_columns is not None:
        item_columns = [item_columns] if isinstance(item_columns, str) else list(item_columns)
        if layout == "long":
            raise SurveyError("load.option.item_columns_long")
        if not item_columns:
            raise SurveyError("load.option.item_columns_empty")
    header_row = _check_header_row(header_row)
    if not 0.0 <= float(warn_share) <= 1.0:
        raise SurveyError("load.option.share", name="warn_share", value=warn_share)
    catalogue_ids = _read_catalogue(catalogue) if catalogue is not None else None

    grid = read_source(source, sheet, encoding, delimiter, max_cells)
    columns = _item_parts(columns, grid)
    frame = split_header(grid, header_row, columns, item_columns)
    item_parts = columns["item_id"] if columns and isinstance(columns.get("item_id"), list) else []
    columns = _compose_item_column(frame, columns)
    first_column = first_nonempty(frame)
    summaries: dict = {}  # column position -> totals label per row, computed once

    def column_summary(position: int) -> np.ndarray:
        if position not in summaries:
            summaries[position] = is_summary(frame.cells[position])
        return summaries[position]

    first_totals = summary_of_first(frame, first_column, column_summary)
    check_formulas(frame, [], first_totals)  # header names first: the layout depends on them
    comments = _comment_names(comments, keep_columns)
    kept_names = [keep_columns] if isinstance(keep_columns, str) else list(keep_columns or ())
    plan = choose_layout(frame, columns, item_columns, layout, book.declared_labels(), kept_names + comments)
    # The facts of each sheet row the rule book decides totals rows from: a rating cell is
    # never a totals label ("Average" is also an answer on the 5-level scale), but the item
    # or respondent cell may be one.
    ratings = plan.items if plan.layout == "wide" else [plan.mapping["rating"]]
    is_rating = np.zeros(max(frame.cells.shape[1], 1), dtype=bool)
    is_rating[ratings] = True
    not_rating = ~is_rating[first_column]
    facts = ((first_totals & not_rating).astype(np.int8) * np.int8(rules.FIRST_TOTALS)
             | (footer_of_first(frame, first_column) & not_rating).astype(np.int8) * np.int8(rules.FOOTER))
    for canonical, fact in (("item_id", rules.ITEM_TOTALS), ("respondent_id", rules.RESPONDENT_TOTALS)):
        if canonical in plan.mapping:
            facts |= column_summary(plan.mapping[canonical]).astype(np.int8) * np.int8(fact)
    check_formulas(frame, list(plan.mapping.values()) + plan.items, facts != 0)

    header_of = plan.header_of(frame)
    wide = plan.layout == "wide"
    answers = build_answers(frame, plan, facts, first_column, book.no_answer)
    _note_missing_markers(answers, frame, book)
    merge_equivalent_ids(answers, header_of, frame.notes)
    kept_extra = add_kept_columns(frame, keep_columns, answers)
    comment_names = add_kept_columns(frame, comments, answers, "comments")
    _note_comment_columns(frame, plan, comment_names + kept_extra)
    ledger = InPlay(answers, frame, header_of, wide)
    place = SheetPlace(frame, ledger)
    ledger.early(wide)
    _exclude_repeated_headers(ledger)
    _filter_rows(ledger, frame, exclude_rows, only_rows)
    _check_ids(ledger, frame, plan, place, bool(columns) and columns.get("respondent_id") is not None)
    unknown_table = (_check_catalogue(ledger, place, catalogue_ids, book)
                     if catalogue_ids is not None else empty_unknown_items())
    _check_duplicates(ledger, frame, plan, place, book)
    rated, choice = _rate(ledger, frame, book)
    weights = _check_weights(ledger, place) if "weight" in plan.mapping else None

    # What the result needs from the sheet, gathered first: the sheet's own arrays are
    # then let go, so the peak memory does not hold them beside the tidy columns.
    text_columns = {name: (ledger.codes(name), ledger.uniques(name)) for name in ("item_id", "respondent_id")}
    for name in kept_extra + comment_names:
        text_columns[name] = (ledger.codes(KEEP_PREFIX + name), ledger.uniques(KEEP_PREFIX + name))
    source_line = ledger.lines().astype(np.int64, copy=False)
    rows_read, exclusions = ledger.rows_read, ledger.exclusions()
    sheet_rows, item_headers = len(frame.cells), tuple(frame.header(i).strip() for i in plan.items)
    column_roles = _column_roles(frame, plan, columns, kept_extra, item_parts, comment_names)
    frame.cells = frame.no_value = grid.text = grid.no_value = None
    summaries.clear()  # the column_summary closure holds the dict itself
    del ledger, place, answers, facts, first_totals, first_column

    # The tidy columns: each distinct text converted once, then taken by code.
    items, item_uniques = text_columns["item_id"]
    tidy = pd.DataFrame({
        "item_id": coded.strings(items, item_uniques),
        "respondent_id": coded.strings(*text_columns.pop("respondent_id")),
        "rating": coded.strings(rated.level, rated.levels),
        "scale": coded.strings(rated.scale, rated.scale_names),
        "rank": rated.rank,
    })
    if weights is not None:
        tidy["weight"] = weights
    for name in kept_extra + comment_names:
        tidy[name] = coded.strings(*text_columns.pop(name))
    tidy["source_line"] = source_line

    # Items in the order of their first kept answer, each with that answer's scale.
    first_answer = coded.first_occurrence(items, len(item_uniques))
    distinct_items = np.flatnonzero(first_answer >= 0)
    distinct_items = distinct_items[np.argsort(first_answer[distinct_items], kind="stable")]
    first_answer = first_answer[distinct_items]
    item_texts = item_uniques[distinct_items]
    if catalogue_ids is not None:
        unanswered = rules.RuleBook.catalogue_note(catalogue_ids, item_texts)
        if unanswered is not None:
            frame.notes.append(unanswered)
    scale_texts = [name if isinstance(name, str) else pd.NA for name in rated.scale_names]
    used = sorted({scale_texts[code] for code in np.unique(rated.scale) if isinstance(scale_texts[code], str)})
    item_scales = {item: scale_texts[rated.scale[answer]] for item, answer in zip(item_texts, first_answer)}
    frame.notes.extend(choice.notes)
    tidy.attrs["scales"] = {name: choice.scales[name] for name in used}
    if comment_names:
        tidy.attrs["comment_columns"] = list(comment_names)
    tidy.attrs["load_report"] = LoadReport(
        source=grid.source, file_format=grid.file_format, encoding=grid.encoding,
        scale=used[0] if len(used) == 1 else None,
        rows_read=rows_read, rows_kept=len(tidy), exclusions=exclusions,
        columns=header_of, notes=tuple(frame.notes), layout=plan.layout, sheet=grid.sheet,
        header_line=frame.header_line, sheet_rows=sheet_rows,
        item_columns=item_headers, unknown_items=unknown_table,
        scales=dict(tidy.attrs["scales"]), item_scales=item_scales, scale_how=choice.how,
        warn_share=float(warn_share), column_roles=column_roles)
    return tidy


def _column_roles(sheet: Sheet, plan: Plan, columns, kept: list, item_parts=(), comments=()) -> tuple:
    """What each column with a header became: a canonical column (named in ``columns=`` or
    recognized by its header; each part of a composite item id is the item id), an item, a
    kept column, a comment column (``comments=``), or ignored, and why (a comment column
    found by its header and not named: ``comment``)."""
    roles = {role.header: role for role in plan.roles}
    named = {c for c, header in (columns or {}).items() if header is not None}
    for canonical, position in plan.mapping.items():
        header = sheet.header(position).strip()
        roles[header] = ColumnRole(header, canonical, "named" if canonical in named else "header")
    for part in item_parts:
        roles[str(part).strip()] = ColumnRole(str(part).strip(), "item_id", "named")
    for position in comment_positions(sheet):
        header = sheet.header(position).strip()
        if header not in roles or roles[header].role == "ignored":
            roles[header] = ColumnRole(header, "ignored", "comment")
    for header in kept:
        roles[header.strip()] = ColumnRole(header.strip(), "kept", "keep")
    for header in comments:
        roles[header.strip()] = ColumnRole(header.strip(), "comment", "comments")
    out = []
    for position in range(len(sheet.headers)):
        header = sheet.header(position).strip()
        if header:
            out.append(roles.get(header) or ColumnRole(header, "ignored",
                                                      "not_used" if plan.layout == "long" else "not_labels"))
    return tuple(out)


def _comment_names(comments, keep_columns) -> list[str]:
    """``comments=`` as a list of headers (a single header as a text), without those
    ``keep_columns=`` carries already."""
    if comments is None:
        return []
    names = [comments] if isinstance(comments, str) else [str(c) for c in comments]
    kept = {keep_columns} if isinstance(keep_columns, str) else {str(c) for c in keep_columns or ()}
    return [name for name in dict.fromkeys(names) if name not in kept]


def _note_comment_columns(sheet: Sheet, plan: Plan, named: list) -> None:
    """The load report lists the comment columns found by their header (评价内容, comment,
    FFT answer ...) and not named in ``comments=``: never read, not kept unless named."""
    used = set(plan.mapping.values()) | set(plan.items)
    named = {str(n).strip() for n in named}
    found = [sheet.header(p).strip() for p in comment_positions(sheet)
             if p not in used and sheet.header(p).strip() not in named]
    if found:
        sheet.notes.append(Note("load.comments.found", headers=", ".join(map(repr, found)),
                                hint=Hint("comments", found)))


def _item_parts(columns, grid) -> dict | None:
    """``columns`` with a composite item id as a list of headers: ``["科室", "病区"]``, or
    the CLI's text ``"科室+病区"`` when that text is not itself a header."""
    if not columns or columns.get("item_id") is None:
        return columns
    value = columns["item_id"]
    if isinstance(value, str) and "+" in value:
        headers = grid.headers if grid.headers is not None else \
            [h for row in grid.text.iloc[:50].itertuples(index=False) for h in row]
        if value not in headers and value.strip() not in [str(h).strip() for h in headers]:
            value = [part.strip() for part in value.split("+")]
    if isinstance(value, (list, tuple)):
        parts = [str(p) for p in value]
        if not parts or any(not p.strip() for p in parts):
            raise SurveyError("load.columns.item_parts", parts=list(value))
        if len(parts) == 1:
            return {**columns, "item_id": parts[0]}
        return {**columns, "item_id": parts}
    return columns


def _compose_item_column(frame: Sheet, columns) -> dict | None:
    """A composite item id (several columns, e.g. department and sub-department) becomes
    one column of the sheet: the non-empty parts joined with " / "."""
    if not columns or not isinstance(columns.get("item_id"), list):
        return columns
    parts = columns["item_id"]
    positions = []
    for part in parts:
        position = find_column(frame.headers, frame.normalized, part)
        if position is None:
            raise frame.fail("load.columns.item_part_missing", column=part, part=part,
                             headers=[h for h in frame.headers if str(h).strip()])
        positions.append(position)
    # The distinct combinations of the parts are joined (a loop over the parts, each step
    # vectorized over the combinations), then mapped back to the rows.
    combination = np.zeros(len(frame.cells), dtype=np.int64)
    for position in positions:
        codes, uniques = coded.parts(frame.cells[position])
        combination, _ = pd.factorize(combination * max(len(uniques), 1) + codes)
    _, first = np.unique(combination, return_index=True)  # a row of each combination
    joined = join_parts([coded.text(frame.cells[p], first) for p in positions])
    name = joined_name(frame.header(p) for p in positions)
    column = frame.cells.shape[1]
    codes, texts = pd.factorize(joined.to_numpy(dtype=object))
    frame.cells[column] = coded.from_codes(codes[combination], texts)
    frame.headers.append(name)
    frame.normalized.extend(normalize_many([name]))
    if frame.no_value is not None:
        frame.no_value[column] = frame.no_value[positions].any(axis=1)
    frame.notes.append(Note("load.columns.item_joined", name=name, separator=PART_SEPARATOR))
    return {**columns, "item_id": name}


def _check_header_row(header_row):
    """``header_row``: a line >= 1, or a (first, last) range of lines (a text "2-3" too)."""
    if header_row is None:
        return None
    if isinstance(header_row, str):
        try:
            header_row = parse_header_row(header_row)
        except SurveyError:  # the command line's words; the library names its keyword
            raise SurveyError("load.option.header_row", value=header_row) from None
    if isinstance(header_row, (list, tuple)):
        if len(header_row) != 2:
            raise SurveyError("load.option.header_range", value=header_row)
        first, last = (_check_header_row(v) for v in header_row)
        if last < first:
            raise SurveyError("load.option.header_order", value=header_row)
        return (first, last) if last > first else first
    if isinstance(header_row, bool) or not isinstance(header_row, (int, np.integer)) or header_row < 1:
        raise SurveyError("load.option.header_row", value=header_row)
    return int(header_row)
