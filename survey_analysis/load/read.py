"""Reading a file or frame into a grid of cell texts, each row with the line the analyst sees.

Nothing in an input file is executed: CSV is parsed by pyarrow's CSV reader where it reads a
file exactly as the standard library's ``csv`` reader does, else by the latter; Excel by
python-calamine and openpyxl (see :mod:`.excel`; formulas are read as the values Excel saved,
never evaluated), old binary ``.xls`` by python-calamine; Parquet by pandas/pyarrow; SPSS and
Stata files by pyreadstat (:mod:`.statfiles`, the optional ``spss`` extra). No pickle, no eval.

A compressed file (``.gz``, ``.bz2``, ``.xz``; also a ``.csv`` whose bytes are one) or a zip
archive holding one data file is unpacked within a bound (:mod:`.packed`) and read by the
reader of the file inside, with the same ledger and errors: ``answers.csv.gz`` is a CSV
file whose lines are those of the unpacked text.

Cell texts are kept once per distinct value (:mod:`.coded`): a column of a million rows is
integer codes into its few distinct texts.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io as _io
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..scales.text import id_keys, normalize_text
from ..words import Hint, Message, SurveyError, say
from . import bounds, coded
from .cells import dates_as_text
from .detect import known_labels
from .formats import EXCEL_SUFFIXES, PARQUET_SUFFIXES, check_parquet, file_kind
from .grid import Grid
from .names import COLUMN_ALIASES, META_COLUMNS
from .options import Placeholder
from .packed import Packed, unpack
from .report import Note, ResponseFileError

__all__ = ["DELIMITERS", "ENCODINGS_TRIED", "EXCEL_SUFFIXES", "PARQUET_SUFFIXES", "Grid", "as_strings",
           "decode_bytes", "read_source", "read_table"]

#: Encodings tried, in order, when none is given (a UTF-8 BOM selects utf-8-sig alone).
#: Big5 is tried after GB18030 decodes a file in which it finds no known header or label
#: (see :func:`decode_bytes`).
ENCODINGS_TRIED = ("utf-8-sig", "utf-8", "gb18030")
#: Field delimiters a CSV file is sniffed for, in order of preference on a tie, with
#: the words the load report uses for them.
DELIMITERS = {",": "commas", ";": "semicolons (';')", "\t": "tabs", "|": "vertical bars ('|')"}
# The catalogue's names of the delimiters, for the note that says which one a file uses.
_DELIMITER_WORDS = {",": "load.delimiter.commas", ";": "load.delimiter.semicolons", "\t": "load.delimiter.tabs",
                    "|": "load.delimiter.bars"}
_LINE_BREAKS = r"\r\n|\r|\n"
_UTF8_BOM = b"\xef\xbb\xbf"
_LINE_END = re.compile(r"\r\n|\r|\n")
_SAMPLE_CHARS = 65536  # the start of a CSV file looked at for its delimiter and first lines
_SNIFF_LINES = 50  # lines of the sample a delimiter / an encoding is judged on (the header search)
_LINE_END_BYTES = re.compile(rb"\r\n|\r|\n")
_UTF32_BOMS = {b"\xff\xfe\x00\x00": "little-endian", b"\x00\x00\xfe\xff": "big-endian"}
# A field holding more line breaks than this is an unclosed quote, not a comment.
_MAX_FIELD_LINES = 50

# ---------------------------------------------------------------------------
# Reading: file -> grid of texts with line numbers
# ---------------------------------------------------------------------------

def decode_bytes(data: bytes, source: str, encoding: str | None) -> tuple[str, str, list]:
    """Decode bytes strictly: the given encoding, else BOM, UTF-8, GB18030 in turn.

    Returns the text, the encoding used and notes. A NUL character never occurs in a
    text CSV (it means UTF-16/32 without a BOM, a binary file, or a stray byte), so a
    candidate that yields one is rejected; a stray NUL is named by its line.

    Errors name the first line a candidate cannot decode. A file that is UTF-8 up to a
    line that is not (rows pasted from a GBK file) is an error naming the lines, not
    read as GB18030 (which would turn its UTF-8 text into other characters). When
    GB18030 decodes the file but no known header or label appears in its first lines
    and Big5 decoding shows some, the file is read as Big5 (traditional Chinese) and the
    report says so.
    """
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as error:
            # The line is named in the text (ResponseFileError.line stays None: tests and
            # callers treat an undecodable file as a whole-file error).
            where = (Message("load.read.undecodable_line", {"line": _byte_line(data, error.start)})
                     if isinstance(error, UnicodeDecodeError) else "")
            raise ResponseFileError("load.read.cannot_decode", source, encoding=encoding, error=str(error),
                                    where=where) from None
        _refuse_nul(text, source, Message("load.read.decoded_with", {"encoding": encoding}))
        if text.startswith("\ufeff"):  # e.g. encoding="utf-8" on a file saved with a BOM
            return text[1:], encoding, [Note("load.read.bom_removed")]
        return text, encoding, []
    candidates = ENCODINGS_TRIED[:1] if data.startswith(_UTF8_BOM) else ENCODINGS_TRIED[1:]
    failures = []  # (encoding, first line it cannot decode)
    utf8_error = None
    for candidate in candidates:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError as error:
            utf8_error = error if candidate.startswith("utf-8") else utf8_error
            failures.append((candidate, _byte_line(data, error.start)))
            continue
        if "\x00" not in text:
            if candidate == "gb18030":
                mixed = _mixed_utf8(data, utf8_error) if utf8_error is not None else None
                if mixed:
                    raise ResponseFileError("load.read.mixed", source, line=mixed[1], mixed=mixed[0],
                                            tried=", ".join(candidates), fix=_MIXED_FIX)
                return _gb18030_or_big5(data, text)
            return text, candidate, []
        failures.append((candidate, None))
    hint = ""
    bom32 = next((order for bom, order in _UTF32_BOMS.items() if data.startswith(bom)), None)
    if bom32:  # before UTF-16: the UTF-32 little-endian BOM starts with the UTF-16 one
        hint = Message("load.read.bom32", {"order": bom32, "hint": Hint("encoding", "utf-32")})
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        hint = Message("load.read.bom16", {"hint": Hint("encoding", "utf-16")})
    elif data.startswith(b"PK\x03\x04"):
        hint = Message("load.read.zip_csv")
    elif b"\x00" in data:
        nul, count = data.find(b"\x00"), data.count(b"\x00")
        if count * 10 < len(data):
            # A few NUL bytes in a text file (UTF-16/32 text is about half NUL bytes): say where.
            line = _byte_line(data, nul)
            raise ResponseFileError("load.read.nul_line", source, line=line, at=line, tried=", ".join(candidates),
                                    count=count)
        hint = Message("load.read.nul_bytes")
    lines = [Message("load.read.fails_at" if not i else "load.read.fails_at_more", {"encoding": name, "line": line})
             for i, (name, line) in enumerate((n, x) for n, x in failures if x is not None)]
    where = Message("load.read.failures", {"p0": "", "p1": "", "p2": "", **{f"p{i}": m for i, m in enumerate(lines)}}) \
        if lines and not hint else ""
    mixed = _mixed_utf8(data, utf8_error) if utf8_error is not None and where else None
    raise ResponseFileError("load.read.no_encoding", source, tried=", ".join(candidates), hint=hint,
                            encoding=Hint("encoding", Placeholder("NAME")), where=where,
                            mixed=Message("load.read.mixed_where", {"mixed": mixed[0], "fix": _MIXED_FIX})
                            if mixed else "")


def _byte_line(data: bytes, position: int) -> int:
    """Line (1-based) of the byte at ``position``: line breaks are the same bytes in
    every encoding tried (no multi-byte character of UTF-8 or GB18030 holds one)."""
    return len(_LINE_END_BYTES.findall(data, 0, position)) + 1


def _refuse_nul(text: str, source: str, how: Message) -> None:
    if "\x00" in text:
        position = text.index("\x00")
        line = len(_LINE_END.findall(text, 0, position)) + 1
        raise ResponseFileError("load.read.nul_text", source, line=line, how=how, count=text.count(chr(0)),
                                hint=Hint("encoding", Placeholder("NAME")))


_MIXED_FIX = Message("load.read.mixed_fix")


def _mixed_utf8(data: bytes, error: UnicodeDecodeError) -> tuple[str, int] | None:
    """A file whose lines above the first byte UTF-8 cannot decode hold UTF-8 text (3 or
    more non-ASCII characters on whole lines: GB18030 bytes form so many valid UTF-8
    characters by chance only rarely) is UTF-8 with some lines in another encoding; read
    as GB18030, its UTF-8 text would become other characters. Returns what to say (the
    lines that are not UTF-8) and the first such line, or None."""
    prefix = data[:error.start]
    whole = prefix[:max(prefix.rfind(b"\n"), prefix.rfind(b"\r")) + 1]
    if sum(1 for ch in whole.decode("utf-8", errors="replace") if ord(ch) > 127) < 3:
        return None
    bad = []
    for number, raw in enumerate(_LINE_END_BYTES.split(data), 1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(number)
    shown = ", ".join(map(str, bad[:10])) + (" ..." if len(bad) > 10 else "")
    return Message("load.read.utf8_up_to", {"first": bad[0], "count": len(bad), "shown": shown}), bad[0]


def _gb18030_or_big5(data: bytes, text: str) -> tuple[str, str, list]:
    """GB18030 decodes nearly any byte string, Big5 files included (as nonsense). When the
    Big5 text shows more known headers and labels in its first lines than the GB18030
    text (a header in ASCII may be known in both), the file is Big5. A GB18030 file
    rarely decodes as Big5 at all (its trail bytes 0x80-0xA0 are not Big5), and then
    into words no list holds."""
    try:
        big5 = data.decode("big5")
    except UnicodeDecodeError:
        return text, "gb18030", []
    known = _known_cells(text)
    if "\x00" in big5 or _known_cells(big5) <= known:
        return text, "gb18030", []
    note = Note("load.read.big5", fewer=Message("load.read.no" if not known else "load.read.fewer"),
                hint=Hint("encoding", "gb18030"))
    return big5, "big5", [note]


def _sample_lines(text: str) -> list:
    return [line for line in text[:_SAMPLE_CHARS].splitlines()[:_SNIFF_LINES] if line.strip()]


def _split(lines: list, delimiter: str) -> list:
    """Cells of the lines, stripped (a quote left open runs on into the next lines)."""
    try:
        records = list(csv.reader(lines, delimiter=delimiter))
    except csv.Error:  # e.g. a field over the csv module's size limit: not a header line
        records = []
    return [[cell.strip() for cell in record] for record in records]


def _known_texts(cells: set, labels: bool) -> tuple[set, set]:
    """The known header names among ``cells`` and, when ``labels``, the rating labels in
    words: each distinct text normalized once."""

    texts = sorted(cells)
    if not texts:
        return set(), set()
    headers = set(META_COLUMNS).union(*COLUMN_ALIASES.values())
    if not labels:
        # Most headers are written as the names are: normalizing (a pandas call) only
        # when none is found as written.
        named = {t for t in texts if t.lower() in headers}
        if named:
            return named, set()
    norm = normalize_text(pd.Series(texts, dtype="string"))
    named = {t for t, hit in zip(texts, norm.isin(headers).to_numpy(dtype=bool)) if hit}
    if not labels:
        return named, set()
    _, worded = known_labels(norm)
    return named, {t for t, hit in zip(texts, worded) if hit}


def _known_cells(text: str) -> int:
    """Known header names and rating labels among the cells of the first lines (split at
    the delimiter that finds most of them)."""
    lines = _sample_lines(text)
    split = {delimiter: _split(lines, delimiter) for delimiter in DELIMITERS}
    named, labels = _known_texts({c for rows in split.values() for row in rows for c in row}, True)
    return max(sum(c in named or c in labels for row in rows for c in row) for rows in split.values())


def _delimiter(text: str, given: str | None = None) -> str:
    """The field delimiter: ``given``, else sniffed from the first lines of the sample.

    The header line is the best witness: the delimiter that splits some line into the
    most known header names (事项编号, 满意度 ...) wins, ties going to the order of
    :data:`DELIMITERS`. Without a known header name, the delimiter found the same number
    of times (at least once) on the most lines wins: a comma inside the comments of a
    tab-separated file does not make it comma-separated."""
    if given is not None:
        return given
    lines = _sample_lines(text)
    if not lines:
        return ","
    # The first line alone first (the header is there in most files), then all of them.
    for first in (lines[:1], lines):
        split = {delimiter: _split(first, delimiter) for delimiter in DELIMITERS}
        named, _ = _known_texts({c for rows in split.values() for row in rows for c in row}, False)
        hits = {d: max((sum(c in named for c in row) for row in rows), default=0)
                for d, rows in split.items()}
        best = max(hits.values())
        if best:
            return next(d for d, count in hits.items() if count == best)
    steady = {}
    for delimiter in DELIMITERS:
        counts = pd.Series([line.count(delimiter) for line in lines])
        counts = counts[counts > 0]
        steady[delimiter] = int(counts.value_counts().iloc[0]) if len(counts) else 0
    best = max(steady.values())
    return next(d for d, count in steady.items() if count == best) if best else ","


def _delimiter_notes(delimiter: str, notes: list) -> list:
    if delimiter == ",":
        return notes
    word = Message(_DELIMITER_WORDS[delimiter]) if delimiter in _DELIMITER_WORDS else repr(delimiter)
    return notes + [Note("load.read.delimiter", word=word)]


def _read_csv(data: bytes, name: str, encoding: str | None, delimiter: str | None = None,
              lines_checked: bool = False) -> Grid:
    """The grid of a CSV file's bytes (read from disk, or unpacked): a line longer than
    :data:`~.bounds.MAX_LINE_BYTES` is refused before they are decoded (``lines_checked``:
    the caller checked the file on disk already), and a field may be as long as a line."""
    if not lines_checked:
        bounds.check_lines(data, name)
    with bounds.field_limit():
        grid = _read_csv_fast(data, name, encoding, delimiter)
        if grid is not None:
            return grid
        text, used, notes = decode_bytes(data, name, encoding)
        return _read_csv_records(text, name, used, notes, delimiter)


def _record_line(text: str, delimiter: str, records: list, width: int) -> int:
    """Line on which the first record of ``width`` fields among ``records`` (those of
    ``text``) starts."""
    index = next(i for i, record in enumerate(records) if len(record) == width)
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=delimiter)
    line = 0
    for number, _ in enumerate(reader):
        if number == index:
            break
        line = reader.line_num
    return line + 1


def _read_csv_records(text: str, name: str, used: str, notes: list,
                      delimiter: str | None = None) -> Grid:
    """Any CSV, by the standard library's C reader: quoted fields (over several lines
    too), records of any length. A quote left open (see :func:`_check_quotes`) is an
    error naming the line where it opened."""
    delimiter = _delimiter(text, delimiter)
    notes = _delimiter_notes(delimiter, notes)
    # The standard library's reader, not pandas: pandas fixes the number of fields from
    # the first record, so a title line above the header would be a parse error.
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as error:
        raise ResponseFileError("load.read.csv_error", name, line=reader.line_num, error=str(error)) from None
    if not records:
        raise ResponseFileError("load.header.empty_csv", name)
    rows = len(records)
    # The usual record width, for telling swallowed records inside a field (only a
    # quoted field can hold a line break).
    width = (int(np.bincount(np.fromiter(map(len, records), dtype=np.int64, count=rows)).argmax())
             if '"' in text else 0)
    # Records differ in length (title lines, trailing commas): pad them to columns. Every
    # field is factorized at once (a wide sheet has thousands of columns: per-column pandas
    # calls would cost seconds), then each column gets its own codes, in first-seen order.
    fields = max(len(record) for record in records)
    bounds.check_width(fields, name, line=functools.partial(_record_line, text, delimiter, records, fields))
    grid = np.array([record + [""] * (fields - len(record)) for record in records], dtype=object)
    del records
    if grid.ndim != 2:  # every record empty
        grid = np.zeros((rows, fields), dtype=object)
    shared, texts = pd.factorize(grid.ravel(order="F"))
    shared = shared.reshape((rows, fields), order="F")
    del grid
    texts = np.asarray(texts, dtype=object)
    columns, global_of = [], []
    for j in range(fields):
        values, first, local = np.unique(shared[:, j], return_index=True, return_inverse=True)
        order = np.argsort(first, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        columns.append(coded.from_codes(rank[local.ravel()], texts[values[order]]))
        global_of.append(values[order])
    # Each record starts on the line after the line breaks inside earlier records (a
    # quoted comment may span lines); line breaks are counted once per distinct text.
    breaks_all = pd.Series(texts, dtype=object).str.count(_LINE_BREAKS).to_numpy(dtype=np.int64) \
        if len(texts) else np.zeros(0, dtype=np.int64)
    spans = breaks_all[shared].sum(axis=1) if breaks_all.any() else np.zeros(rows, dtype=np.int64)
    del shared
    breaks_of = [breaks_all[g] for g in global_of]
    lines = 1 + np.arange(rows) + np.cumsum(spans) - spans
    if spans.any():
        notes = _check_quotes(text, name, columns, breaks_of, lines, int(spans[-1]), width, delimiter,
                              notes)
    return Grid(coded.text_frame(columns, rows), lines, name, "csv", encoding=used, notes=notes)


def _check_quotes(text, name, columns, breaks_of, lines, last_span, width, delimiter, notes) -> list:
    """Refuse a quote that opens a field and never closes where it should.

    The ``csv`` module reads everything after an unmatched ``"`` -- line breaks and
    delimiters -- into one field, up to the next ``"`` or the end of the file: the rows
    inside are lost from the count without a word. A comment over a few lines is
    legitimate; a field is taken for an open quote when one of its inner lines holds a
    record's worth of delimiters (``width - 1``, at least 2), when it holds more than
    :data:`_MAX_FIELD_LINES` line breaks, or when the quote is still open at the end of
    the file after a line break. This is an error, not a note: which rows the analyst
    meant cannot be told from the file, and any guess changes the counts."""
    suspects = []
    for j, (column, breaks) in enumerate(zip(columns, breaks_of)):
        multi = np.flatnonzero(breaks)
        if not len(multi):
            continue
        codes, uniques = coded.parts(column)
        for k in multi:
            inner = re.split(_LINE_BREAKS, uniques[k])[1:]
            looks = [part for part in inner if part.count(delimiter) >= max(width - 1, 2)]
            if looks or breaks[k] > _MAX_FIELD_LINES:
                row = int(np.flatnonzero(codes == k)[0])
                suspects.append((row, j, len(looks), _swallowed(uniques[k])))
    open_at_end = _open_at_end(text, lines, last_span, delimiter)
    if open_at_end is not None and not any(row == open_at_end[0] for row, *_ in suspects):
        row, j = open_at_end[:2]
        value = coded.text(columns[j], [row])[0]
        if not _LINE_END.search(value.rstrip("\r\n")):
            # Benign: the quote opens on the last line and only the file's final line
            # breaks are inside it; no row is lost, the cell's text is what follows the quote.
            line = _field_line(columns, breaks_of, lines, row, j)
            notes = notes + [Note("load.read.quote_to_end", field=j + 1, line=line)]
        else:
            suspects.append(open_at_end)
    if not suspects:
        return notes
    row, j, records, spanned = min(suspects)
    line = _field_line(columns, breaks_of, lines, row, j)
    what = (Message("load.read.quote_records", {"count": records}) if records
            else Message("load.read.quote_at_end") if spanned < 0
            else Message("load.read.quote_long", {"lines": _MAX_FIELD_LINES}))
    spanned = abs(spanned)
    raise ResponseFileError("load.read.quote_open", name, line=line, field=j + 1, at=line, first=line + 1,
                            last=line + spanned, what=what)


def _swallowed(value: str) -> int:
    """Lines after its first that a field takes in (final line breaks of the file aside)."""
    return len(_LINE_END.findall(value.rstrip("\r\n")))


def _field_line(columns, breaks_of, lines, row: int, j: int) -> int:
    """Line on which field ``j`` of record ``row`` starts (after the breaks of the fields
    before it)."""
    return int(lines[row]) + sum(int(breaks_of[c][coded.parts(columns[c])[0][row]]) for c in range(j))


def _open_at_end(text: str, lines: np.ndarray, last_span: int, delimiter: str):
    """(row, field, 0, -line breaks swallowed) of a last record whose quote is still open
    at the end of the file, else None. Read again in strict mode, the ``csv`` module says
    "unexpected end of data" there (a quote that closes raises nothing)."""
    if not last_span:
        return None  # the last record holds no line break
    position, start = 0, int(lines[-1])
    if start > 1:
        for number, match in enumerate(_LINE_END.finditer(text), 2):
            if number == start:
                position = match.end()
                break
    tail = text[position:]
    try:
        list(csv.reader(_io.StringIO(tail, newline=""), delimiter=delimiter, strict=True))
        return None
    except csv.Error as error:
        if "unexpected end of data" not in str(error):
            return None
    record = next(csv.reader(_io.StringIO(tail, newline=""), delimiter=delimiter))
    field = len(record) - 1  # the open quote takes everything to the end: the last field
    return (len(lines) - 1, field, 0, -_swallowed(record[field]))


_HEAD_LINES = 200  # lines of the sample looked at for the title / header / body widths


def _head_lines(head: str, complete: bool) -> tuple[list, list]:
    """The first whole lines of ``head`` (the start of the text; all of it when
    ``complete``) and the position after each line's end."""
    lines, ends, position = [], [], 0
    for match in _LINE_END.finditer(head):
        if len(lines) == _HEAD_LINES:
            return lines, ends
        if not complete and match.end() >= len(head):
            break  # a final "\r" may be the first half of "\r\n"
        lines.append(head[position:match.start()])
        ends.append(match.end())
        position = match.end()
    if complete and position < len(head):
        lines.append(head[position:])
        ends.append(len(head))
    return lines, ends


_NOT_UTF8 = object()


def _read_csv_fast(data: bytes, name: str, encoding: str | None,
                   delimiter: str | None = None) -> Grid | None:
    """A CSV file read by pyarrow's multi-threaded reader into codes per column, or None
    when pyarrow might read it differently from :func:`_read_csv_records`.

    pyarrow reads exactly what the ``csv`` module reads when no field is quoted (no ``"``
    anywhere), no NUL occurs, and every record is one line of the same number of fields:
    then record i is line i + 1 and its fields are the texts between delimiters. The first
    lines of the file (a title, a header of another width, blank lines) are read by the
    ``csv`` module from the sample; every line below them must have the width of the last
    lines of the sample, else pyarrow stops and the ``csv`` module reads the file.
    Without ``encoding``, UTF-8 is validated by pyarrow as it reads (an invalid byte stops
    it, and the file is decoded strictly as :func:`decode_bytes` says); other encodings are
    decoded first and read as UTF-8.
    """
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return None
    # '"' and NUL bytes never occur inside a UTF-8 or GB18030 multi-byte character.
    if encoding is None and data.find(b'"') == -1 and data.find(b"\x00") == -1:
        bom = data[:len(_UTF8_BOM)] == _UTF8_BOM
        payload = memoryview(data)[len(_UTF8_BOM):] if bom else memoryview(data)
        size = 4 * _SAMPLE_CHARS + 4
        try:
            head = codecs.getincrementaldecoder("utf-8")().decode(payload[:size],
                                                                  final=len(payload) <= size)
        except UnicodeDecodeError:
            head = None
        if head is not None:
            grid = _arrow_grid(payload, head, len(payload) <= size, name,
                               "utf-8-sig" if bom else "utf-8", [], data, delimiter)
            if grid is not _NOT_UTF8:
                return grid
    text, used, notes = decode_bytes(data, name, encoding)
    if '"' in text or "\x00" in text:
        return None
    try:
        payload = memoryview(text.encode("utf-8"))
    except UnicodeEncodeError:
        return None
    grid = _arrow_grid(payload, text[:4 * _SAMPLE_CHARS], len(text) <= 4 * _SAMPLE_CHARS, name,
                       used, notes, None, delimiter)
    return None if grid is _NOT_UTF8 else grid


def _arrow_grid(payload: memoryview, head: str, complete: bool, name: str, used: str,
                notes: list, unchecked: bytes | None, given: str | None = None):
    """The grid of UTF-8 ``payload`` whose text starts with ``head`` (all of it when
    ``complete``); None when pyarrow might read it differently from the ``csv`` module;
    ``_NOT_UTF8`` when ``unchecked`` (the file's bytes, not yet known to be UTF-8) is not."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    delimiter = _delimiter(head, given)
    lines, ends = _head_lines(head[:_SAMPLE_CHARS], complete and len(head) <= _SAMPLE_CHARS)
    if not lines:
        return None
    fields = [line.count(delimiter) + 1 if line else 0 for line in lines]
    bounds.check_width(max(fields), name, line=lambda: fields.index(max(fields)) + 1)
    width = fields[-1]
    if width == 0:
        return None
    first = len(fields)  # the body: the last lines of the sample, all of one width
    while first and fields[first - 1] == width:
        first -= 1
    top = head[:ends[first - 1]] if first else ""
    leading = list(csv.reader(_io.StringIO(top, newline=""), delimiter=delimiter))
    if len(leading) != first:  # one record per line, or the csv module reads the file
        return None
    body = payload[len(top.encode("utf-8")):]
    names = [str(i) for i in range(width)]
    # A column whose sample lines hold no text twice (one respondent per row) is read as
    # plain bytes: a dictionary of a million distinct texts costs the reader more than
    # the column itself (see _distinct_codes).
    sample = [line.split(delimiter) for line in lines[first:]]
    distinct = {n for j, n in enumerate(names)
                if len(sample) >= _DISTINCT_SAMPLE and len({cells[j] for cells in sample}) == len(sample)}
    if distinct:
        distinct -= _repeating(body, names, distinct, delimiter)
    table = coded_body = None
    if len(body):
        try:
            # Fields are read as bytes into dictionaries (codes + distinct values); the
            # distinct values are then checked as UTF-8, not every field. The system
            # allocator returns the reader's working memory when it is done.
            pool = pa.system_memory_pool()
            table = pa_csv.read_csv(
                pa.BufferReader(pa.py_buffer(body)),
                read_options=pa_csv.ReadOptions(column_names=names, use_threads=True),
                parse_options=pa_csv.ParseOptions(
                    delimiter=delimiter, quote_char=False, double_quote=False, escape_char=False,
                    newlines_in_values=False, ignore_empty_lines=False),
                convert_options=pa_csv.ConvertOptions(
                    column_types={n: pa.binary() if n in distinct else pa.dictionary(pa.int32(), pa.binary())
                                  for n in names},
                    null_values=[], strings_can_be_null=False, quoted_strings_can_be_null=False),
                memory_pool=pool)
            plain = {n: _distinct_codes(table.column(n), pool) for n in distinct}
            table = table.select([n for n in names if n not in distinct])
            # One pass: concatenating the blocks unifies their dictionaries (in block order,
            # as unify_dictionaries does) and writes each block's codes translated.
            table = table.combine_chunks(memory_pool=pool)
            coded_body = [plain[n] if n in plain else _dictionary_codes(table.column(n)) for n in names]
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            if unchecked is not None:
                try:
                    unchecked.decode("utf-8")
                except UnicodeDecodeError:
                    return _NOT_UTF8
            return None  # records of another width below the sample: the csv module reads it
    rows = first + (table.num_rows if table is not None else 0)
    columns = []
    for j in range(max([width] + [len(record) for record in leading])):
        lead = np.array([record[j] if j < len(record) else "" for record in leading], dtype=object)
        body_codes = coded_body[j] if table is not None and j < width else None
        if body_codes is not None:
            codes, uniques, strings = body_codes
        else:
            codes = np.zeros(rows - first, dtype=np.int32)
            uniques = np.array([""], dtype=object)
        columns.append(_prepend(lead, codes, uniques))
        if not len(lead) and body_codes is not None:
            # The distinct texts are an Arrow array already: later text operations use it.
            large = strings.cast(pa.large_string())
            coded.remember_strings(coded.parts(columns[-1])[1], pd.arrays.ArrowStringArray(
                large if isinstance(large, pa.ChunkedArray) else pa.chunked_array([large])))
    del table, coded_body
    _return_freed_memory()
    notes = _delimiter_notes(delimiter, notes)
    return Grid(coded.text_frame(columns, rows), np.arange(1, rows + 1, dtype=np.int64), name, "csv",
                encoding=used, notes=notes)


#: Sample lines (below the header) a column's texts must all differ on to be read as
#: plain bytes (see :func:`_arrow_grid`).
_DISTINCT_SAMPLE = 50


#: Bytes at the start of the body read again (in one pass of pyarrow's reader) to confirm
#: that a column's texts all differ (see :func:`_repeating`).
_DISTINCT_PROBE_BYTES = 1 << 18


def _repeating(body, names: list, distinct: set, delimiter: str) -> set:
    """Those of the columns ``distinct`` (texts all differ on the sample lines) whose texts
    repeat within the first lines of ``body``: items in turn look distinct on 150 lines and
    repeat on thousands, and a column of few texts is read fastest as a dictionary. Either
    way of reading gives the same texts: when these lines cannot be read (the file is read
    by the ``csv`` module then), none is named."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv

    window = bytes(body[:_DISTINCT_PROBE_BYTES])
    cut = max(window.rfind(b"\n"), window.rfind(b"\r")) + 1
    if cut <= 0:
        return set()
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(window)[:cut]),
            read_options=pa_csv.ReadOptions(column_names=names, use_threads=False),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter, quote_char=False, double_quote=False, escape_char=False,
                newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                column_types={n: pa.binary() for n in distinct}, include_columns=sorted(distinct, key=int),
                null_values=[], strings_can_be_null=False, quoted_strings_can_be_null=False))
    except pa.ArrowException:  # the probe only advises: any failure names no column
        return set()
    return {n for n in distinct if pc.count_distinct(table.column(n)).as_py() < table.num_rows}


def _dictionary_codes(column):
    """Codes, distinct texts (an object array) and the same as an Arrow string array (UTF-8
    checked: ``ArrowInvalid`` when not) of a column read into one dictionary; None for a
    column without chunks."""
    import pyarrow as pa

    if not column.num_chunks:
        return None
    strings = column.chunk(0).dictionary.cast(pa.string())
    return (column.chunk(0).indices.to_numpy(zero_copy_only=False),
            strings.to_numpy(zero_copy_only=False).astype(object), strings)


def _distinct_codes(column, pool):
    """:func:`_dictionary_codes` of a column read as plain bytes. When its texts all differ
    (one respondent per row), the codes are the rows and the distinct texts the column,
    as an Index whose uniqueness pandas has checked: the Categorical made of them does
    not hash a million texts again (:func:`~.coded.from_codes`), and their Arrow strings
    the reader's chunks. Otherwise the column is encoded as the reader would have."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not column.num_chunks:
        return None
    # The first and last blocks read first: a column that repeats a text there (items in
    # turn) is encoded at once, before a million texts become Python strings.
    ends = [column.chunk(0)] + ([column.chunk(column.num_chunks - 1)] if column.num_chunks > 1 else [])
    probe = pa.concat_arrays(ends) if len(ends) > 1 else ends[0]
    if pc.count_distinct(probe).as_py() == len(probe):
        # The reader's blocks as they are (checked as UTF-8, not copied into one array).
        strings = pc.cast(column, pa.string(), memory_pool=pool)
        ordered = _header_last(strings)
        if ordered is not None:
            return ordered
        index = pd.Index(strings.to_numpy(zero_copy_only=False), dtype=object, copy=False)
        if index.is_unique:
            return np.arange(len(index), dtype=np.int32), index, strings
    encoded = pc.dictionary_encode(column, memory_pool=pool)
    strings = encoded.chunk(encoded.num_chunks - 1).dictionary.cast(pa.string())
    codes = np.concatenate([chunk.indices.to_numpy(zero_copy_only=False) for chunk in encoded.chunks])
    return codes, strings.to_numpy(zero_copy_only=False).astype(object), strings


def _header_last(strings):
    """:func:`_distinct_codes` of a column of sorted ids below its first text (the header),
    without hashing them: when the texts after the first are ASCII letters and digits in
    strictly increasing order (Arrow compares UTF-8 bytes, which is Python's code point
    order) and the first sorts after them, the distinct texts are those below it followed
    by it, an Index pandas finds unique by one pass over a monotonic Index instead of a
    hash of every text. The first text is the only one out of first-seen order; it stands
    above the data. None when the column is not so, or when the first text's id key
    (:func:`~survey_analysis.scales.text.id_keys`) is one of the ids below: then the order
    of the texts decides which spelling :func:`~.rules.merge_ids` keeps."""
    import pyarrow as pa
    import pyarrow.compute as pc

    rows = len(strings)
    if rows < _DISTINCT_SAMPLE or strings.null_count:
        return None
    below = strings.slice(1)
    if not (pc.all(pc.ascii_is_alnum(below)).as_py()
            and pc.all(pc.less(below.slice(0, rows - 2), below.slice(1))).as_py()
            and pc.less(below[rows - 2], strings[0]).as_py()):
        return None
    # Chunks, not one concatenated copy: the texts are converted to Python strings
    # into one array all the same.
    strings = pa.chunked_array(below.chunks + strings.slice(0, 1).chunks, type=strings.type)
    values = strings.to_numpy(zero_copy_only=False)
    key = id_keys(values[-1:])[1][0]
    at = int(np.searchsorted(values[:-1], key))
    if at < rows - 1 and values[at] == key:
        return None
    index = pd.Index(values, dtype=object, copy=False)
    if not index.is_unique:  # never, by the order checked above
        return None
    codes = np.empty(rows, dtype=np.int32)
    codes[0] = rows - 1
    codes[1:] = np.arange(rows - 1, dtype=np.int32)
    return codes, index, strings


def _return_freed_memory() -> None:
    """Give the C heap's free pages back to the operating system (glibc only).

    pyarrow's CSV reader allocates and frees several times the file's size; glibc keeps
    the freed pages in the process while later arrays are allocated elsewhere, so the
    peak memory of a load would hold both. ``malloc_trim`` returns them (about 1 ms).
    """
    global _MALLOC_TRIM
    if _MALLOC_TRIM is None:
        import ctypes
        import ctypes.util

        try:
            _MALLOC_TRIM = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
        except (OSError, AttributeError):  # not glibc (macOS, Windows, musl): nothing to do
            _MALLOC_TRIM = False
    if _MALLOC_TRIM:
        _MALLOC_TRIM(0)


_MALLOC_TRIM = None


def _prepend(lead: np.ndarray, codes: np.ndarray, uniques: np.ndarray) -> pd.Categorical:
    """A column of the leading texts ``lead`` followed by the coded body."""
    if not len(lead):
        return coded.from_codes(codes, uniques)
    index = uniques if isinstance(uniques, pd.Index) else pd.Index(uniques, dtype=object)
    where = index.get_indexer(lead)
    extra = pd.unique(lead[where < 0])
    if len(extra):
        where[where < 0] = len(uniques) + pd.Index(extra, dtype=object).get_indexer(lead[where < 0])
        uniques = np.concatenate([uniques, extra])
    return coded.from_codes(np.concatenate([where, codes]), uniques)


def _as_text(col: pd.Series) -> pd.Series:
    col = dates_as_text(col)
    if pd.api.types.is_float_dtype(col):
        values = col.to_numpy(dtype=float, na_value=np.nan)
        values = values[~np.isnan(values)]
        if np.all(np.abs(values) < 2**53) and np.all(values == np.round(values)):
            col = col.astype("Int64")
    return col.astype("string").fillna("").str.strip()


def as_strings(raw: pd.DataFrame) -> pd.DataFrame:
    """Cells as stripped text, '' when missing. A float column holding whole numbers (an
    integer column with a gap, as pandas stores it) is written without '.0', so ids from
    a DataFrame or Parquet file match the same ids read from CSV or Excel."""
    if raw.shape[1] == 0:
        return raw.astype("string")
    return raw.apply(_as_text)


def _coded_column(col: pd.Series) -> pd.Categorical:
    """:func:`as_strings` of a column, once per distinct value where that gives the same
    texts: for integers, booleans and text. Columns whose distinct values could share a
    hash and differ in text (``1``, ``1.0`` and ``True`` in an object column; ``0.0`` and
    ``-0.0``) are written cell by cell."""
    dtype = col.dtype
    by_value = (dtype.kind in "iub" or isinstance(dtype, pd.StringDtype)
                or (dtype == object and pd.api.types.infer_dtype(col, skipna=True) in ("string", "empty")))
    if not by_value:
        return coded.from_values(_as_text(col).to_numpy(dtype=object))
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    texts = _as_text(pd.Series(uniques, dtype=dtype)).to_numpy(dtype=object)
    texts = np.append(texts, "")  # code -1 (missing) -> ""
    new_codes, new_uniques = pd.factorize(texts)
    return coded.from_codes(new_codes[codes], new_uniques)


def read_table(path, what: str = "file") -> pd.DataFrame:
    """A small side table (an item catalogue, a claims file) as text cells.

    CSV through the loader's decoder (UTF-8 with or without BOM, then GB18030, strictly)
    and delimiter sniffing; Excel, ODS or .xls (first sheet) through the loader's hardened
    reader (entity declarations refused, damaged parts named, the cell limit), the first
    row the header; Parquet; SPSS or Stata (value labels applied); any of these compressed
    or alone in a zip archive (:mod:`.packed`). Empty cells are ``""``, blank rows are
    dropped. ``what`` names the file in the not-found error.
    """
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise FileNotFoundError(say("load.read.table_not_found", what=what, path=name))
    packed = unpack(path, name, sniff=file_kind(path.suffix) == "text")
    if packed is not None:
        if file_kind(packed.suffix) == "text":
            return _csv_table(packed.read(), packed.name)
        with tempfile.TemporaryDirectory(prefix="survey_analysis_") as folder:
            inner = packed.extract(Path(folder))
            try:
                return read_table(inner, what)
            except ResponseFileError as error:
                raise _renamed(error, str(inner), packed.name) from None
    kind = file_kind(path.suffix)
    if kind in ("excel", "ods", "xls"):
        from .excel import read_excel, read_ods

        reader = {"excel": read_excel, "ods": read_ods, "xls": _read_xls}[kind]
        return _first_row_header(reader(path, 0))
    if kind in ("spss", "stata"):
        from .statfiles import read_stat_file

        grid = read_stat_file(path, kind)
        return pd.DataFrame(coded.block(grid.text, 0, len(grid.text)), columns=grid.headers, dtype=object)
    if kind == "parquet":
        return _read_parquet(path, name)
    bounds.check_file_lines(path, name)
    return _csv_table(path.read_bytes(), name, lines_checked=True)


def _csv_table(data: bytes, name: str, lines_checked: bool = False) -> pd.DataFrame:
    if not lines_checked:
        bounds.check_lines(data, name)
    text, _, _ = decode_bytes(data, name, None)
    if not text.strip():  # nothing but a byte-order mark or white space: no header to read
        raise ResponseFileError("load.read.empty_table", name)
    return pd.read_csv(_io.StringIO(text), dtype=str, keep_default_na=False, sep=_delimiter(text))


def _first_row_header(grid: Grid) -> pd.DataFrame:
    """A sheet's grid as a table of text: its first row the header (an empty header cell
    named ``Unnamed: i``, as pandas does), the rows below without their blank rows."""
    cells = coded.block(grid.text, 0, len(grid.text))
    if not len(cells):
        return pd.DataFrame()
    headers = [str(text).strip() or f"Unnamed: {i}" for i, text in enumerate(cells[0])]
    body = cells[1:]
    if body.size:
        blank = np.vectorize(lambda text: not text.strip(), otypes=[bool])(body).all(axis=1)
        body = body[~blank]
    return pd.DataFrame(body, columns=headers, dtype=object).reset_index(drop=True)


def read_source(source, sheet, encoding, delimiter: str | None = None,
                max_cells: int | None = None) -> Grid:
    """The grid of a file or DataFrame.

    The reader is chosen by the suffix (:func:`~.formats.file_kind`): CSV (any suffix
    not listed), Excel (.xlsx, .xlsm), ODS, old binary .xls, Parquet, SPSS (.sav, .zsav)
    and Stata (.dta); a compressed file (.gz, .bz2, .xz) or a zip archive holding one data
    file is read as the file inside (:mod:`.packed`). ``encoding`` and ``delimiter``
    (None: sniffed) apply to text (CSV) files only, ``max_cells`` (None:
    ``excel.MAX_CELLS``) to Excel, ODS, .xls, SPSS and Stata files.
    """
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1
                                  or delimiter in '"\r\n' or delimiter.isalnum()):
        raise SurveyError("load.option.delimiter", value=delimiter, semicolon=Hint("delimiter", ";"),
                          tab=Hint("delimiter", "\t"))
    if isinstance(source, pd.DataFrame):
        return _frame_grid(source, "<DataFrame>", "dataframe")
    path = Path(source)
    name = str(path)
    if not path.exists():
        raise FileNotFoundError(say("load.source.not_found", path=name))
    if path.is_dir():
        raise ResponseFileError("load.read.folder", name)
    packed = unpack(path, name, sniff=file_kind(path.suffix) == "text")
    if packed is None:
        return _read_file(path, name, file_kind(path.suffix), sheet, encoding, delimiter, max_cells)
    return _read_packed(packed, sheet, encoding, delimiter, max_cells)


def _frame_grid(frame: pd.DataFrame, name: str, file_format: str) -> Grid:
    text = coded.text_frame([_coded_column(frame.iloc[:, i]) for i in range(frame.shape[1])], len(frame))
    return Grid(text, np.arange(1, len(frame) + 1), name, file_format,
                headers=[str(c) for c in frame.columns])


def _read_file(path: Path, name: str, kind: str, sheet, encoding, delimiter, max_cells) -> Grid:
    """The grid of a file that is not packed, by the reader of its ``kind``."""
    if delimiter is not None and kind not in ("text", "xls"):
        raise SurveyError("load.option.delimiter_not_csv")
    if kind in ("excel", "ods"):
        from .excel import read_excel, read_ods

        return (read_excel if kind == "excel" else read_ods)(path, sheet, max_cells)
    if kind == "xls":
        return _read_xls(path, sheet, max_cells, encoding, delimiter, name)
    if kind in ("spss", "stata"):
        from .statfiles import read_stat_file

        return read_stat_file(path, kind, max_cells, name=name)
    if kind == "parquet":
        return _frame_grid(_read_parquet(path, name), name, "parquet")
    bounds.check_file_lines(path, name)  # before the file is read whole
    return _read_csv(path.read_bytes(), name, encoding, delimiter, lines_checked=True)


def _read_parquet(path: Path, name: str) -> pd.DataFrame:
    """A Parquet file as a frame: a file that is none (:func:`~.formats.check_parquet`), one
    pyarrow cannot read and one of more than :data:`~.bounds.MAX_COLUMNS` columns (told by its
    schema) are errors naming it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    check_parquet(path, name)
    try:
        bounds.check_width(len(pq.read_schema(path).names), name)
        return pd.read_parquet(path)
    except (pa.ArrowException, OSError) as error:
        raise ResponseFileError("load.read.parquet_unreadable", name, kind=type(error).__name__,
                                error=str(error)) from None


def _read_packed(packed: Packed, sheet, encoding, delimiter, max_cells) -> Grid:
    """The grid of the data file inside a compressed file or a zip archive: a text file
    unpacked in memory, any other written to a temporary folder for its reader (the
    report and errors name it as ``packed.name``)."""
    kind = file_kind(packed.suffix)
    if kind == "text":
        data = packed.read()
        grid = _read_csv(data, packed.name, encoding, delimiter)
        size = len(data)
        del data
    else:
        if delimiter is not None and kind != "xls":
            raise SurveyError("load.option.delimiter_not_csv")
        with tempfile.TemporaryDirectory(prefix="survey_analysis_") as folder:
            inner = packed.extract(Path(folder))
            size = inner.stat().st_size
            try:
                grid = _read_file(inner, packed.name, kind, sheet, encoding, delimiter, max_cells)
            except ResponseFileError as error:
                raise _renamed(error, str(inner), packed.name) from None
        grid.source = packed.name
    grid.notes[:0] = packed.notes(size)
    return grid


def _renamed(error: ResponseFileError, inner: str, name: str) -> ResponseFileError:
    """``error`` about the unpacked copy ``inner``, naming the packed file instead."""
    params = {key: value.replace(inner, name) if isinstance(value, str) else value
              for key, value in error.params.items()}
    return type(error)(error.code, name if error.source == inner else error.source, error.line, error.column,
                       error.sheet, languages=error.languages, **params)


_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # an OLE2 compound file: BIFF .xls (or an encrypted .xlsx)


def _read_xls(path: Path, sheet, max_cells=None, encoding=None, delimiter=None, name: str | None = None) -> Grid:
    """A file named .xls by what it is: an old binary workbook (python-calamine), an
    .xlsx workbook, or a text table (many systems export tab-separated text as .xls), each
    with a note; an HTML page (another common export) is an error saying what to do."""
    from .excel import read_excel, read_xls

    name = str(path) if name is None else name
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head.startswith(_OLE_MAGIC):
        if delimiter is not None:
            raise SurveyError("load.option.delimiter_not_csv")
        return read_xls(path, sheet, max_cells)
    if head.startswith(b"PK\x03\x04"):
        if delimiter is not None:
            raise SurveyError("load.option.delimiter_not_csv")
        grid = read_excel(path, sheet, max_cells)
        grid.notes.insert(0, Note("load.xls.xlsx_named_xls"))
        return grid
    lower = head.lstrip(_UTF8_BOM + b" \t\r\n").lower()
    if lower.startswith(b"<") and any(tag in lower for tag in (b"<html", b"<table", b"<!doctype html")):
        raise ResponseFileError("load.xls.html", name)
    bounds.check_file_lines(path, name)
    grid = _read_csv(path.read_bytes(), name, encoding, delimiter, lines_checked=True)
    grid.notes.insert(0, Note("load.xls.text_named_xls"))
    return grid
