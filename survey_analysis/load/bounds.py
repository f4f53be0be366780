"""The bounds every reader keeps, whatever a file says: bytes a workbook part may unpack to,
columns a sheet may have, bytes a line of text may hold.

A hostile or broken file can make a small file cost gigabytes (issue 21): a 1 MB workbook
whose sheet unpacks to 1 GB, a text file of one line without a line break, a header of a
million columns. Each bound is checked before what it bounds is built, and each is a
module constant, raised for the session with ``survey_analysis.load.bounds.NAME = N``:

* :data:`BYTES_PER_CELL` x ``max_cells`` (at least :data:`MIN_PART_BYTES`): the most bytes
  any part of an .xlsx or .ods file may unpack to, checked on the sizes the zip declares
  before a byte is unpacked (:func:`check_parts`, called when any reader opens a workbook).
  A part that unpacks to more than it declares is stopped there: the standard library's
  ``zipfile`` (ElementTree, openpyxl and the checks here) gives no byte past the declared
  size and then fails its checksum, python-calamine's zip reader refuses it ("larger than
  its declared uncompressed size"); either is a damaged-part error.
* :data:`MAX_COLUMNS`: the most columns a sheet or a text file may have (100,000), checked from the sheet's extent or the header line (:func:`check_width`).
* :data:`MAX_LINE_BYTES`: the longest line of a text (CSV) file, checked on its bytes before
  they are decoded and, for a file on disk, before it is read whole (:func:`check_lines`,
  :func:`check_file_lines`; unpacked text as it comes, :class:`LineCheck`); the ``csv`` module's field limit is the same
  while a file is read (:func:`field_limit`), so a long comment is read and a line of a
  gigabyte is refused.
"""

from __future__ import annotations

import contextlib
import csv
import math
import zipfile

from ..words import Hint
from .report import ResponseFileError

__all__ = ["BYTES_PER_CELL", "MAX_COLUMNS", "MAX_LINE_BYTES", "MIN_PART_BYTES", "LineCheck", "check_file_lines",
           "check_lines", "check_parts", "check_width", "field_limit", "part_limit"]

#: Bytes of a workbook part allowed per cell of ``max_cells``. As Excel writes it a cell takes
#: 20-60 bytes of sheet XML (``<c r="AB12345" t="s"><v>1234</v></c>`` is 36); the default
#: 10,000,000 cells (:data:`survey_analysis.load.excel.MAX_CELLS`) allow 640 MB per part.
BYTES_PER_CELL = 64
#: The least a part may unpack to whatever ``max_cells`` is (styles, themes and the shared
#: strings of a small sheet need a few hundred kilobytes).
MIN_PART_BYTES = 16 * 1024 ** 2
#: The most columns a sheet or a text file may have: far beyond a questionnaire (a wide sheet
#: of 20,000 item columns is read, benchmarks/bench_loader.py) and far below the million
#: columns of a bomb (243 s and 5.3 GB for two rows before this limit). An Excel sheet has
#: at most 16,384 columns by itself.
MAX_COLUMNS = 100_000
#: The longest line (in bytes) a text file may hold: far beyond any comment (a 200,000
#: character comment in Chinese is 600 kB), far below what a line without a line break
#: costs to read (a 1 GB line took 6 GB).
MAX_LINE_BYTES = 16 * 1024 ** 2


def part_limit(max_cells: int) -> int:
    """The most bytes a workbook part may unpack to for a sheet of ``max_cells`` cells.

    Examples
    --------
    >>> part_limit(10_000_000) == 64 * 10_000_000, part_limit(10) == MIN_PART_BYTES
    (True, True)
    """
    return max(BYTES_PER_CELL * int(max_cells), MIN_PART_BYTES)


def check_parts(archive: zipfile.ZipFile, name: str, max_cells: int) -> None:
    """Refuse a workbook (.xlsx, .ods: a zip of parts) any part of which declares more
    unpacked bytes than :func:`part_limit` allows, before anything is unpacked.

    Raises
    ------
    ResponseFileError
        Naming the file and the part, its size, the limit and the ``max_cells`` that would
        allow it.
    """
    limit = part_limit(max_cells)
    for info in archive.infolist():
        if info.file_size > limit:
            raise ResponseFileError("load.bounds.part_too_big", name, part=info.filename, size=info.file_size,
                                    packed=info.compress_size, limit=limit, per_cell=BYTES_PER_CELL,
                                    hint=Hint("max_cells", math.ceil(info.file_size / BYTES_PER_CELL)))


def check_width(count: int, name: str, sheet: str | None = None, line=None) -> None:
    """Refuse a sheet or text of more than :data:`MAX_COLUMNS` columns. ``line`` (an int, or
    a callable giving it, called only when refusing) is the line of the widest row.

    Examples
    --------
    >>> check_width(3, "a.csv")
    >>> check_width(1_000_000, "a.csv", line=2)
    Traceback (most recent call last):
    ...
    survey_analysis.load.report.ResponseFileError: a.csv, line 2: 1,000,000 columns, more than the 100,000 a sheet may have; ...
    """
    if count > MAX_COLUMNS:
        raise ResponseFileError("load.bounds.too_many_columns", name, line=line() if callable(line) else line,
                                sheet=sheet, count=count, limit=MAX_COLUMNS)


def check_lines(data: bytes, name: str) -> None:
    """Refuse text whose longest line holds more than :data:`MAX_LINE_BYTES` bytes, from its
    bytes (line breaks are the same bytes in every encoding read), before it is decoded.

    Examples
    --------
    >>> check_lines(b"item,rating\\nA,good\\n", "a.csv")
    """
    lines = LineCheck(name, recount=lambda stop: _breaks(data, stop))
    lines.feed(data)
    lines.close()


def check_file_lines(path, name: str) -> None:
    """:func:`check_lines` of a file read in blocks, before it is read whole (a file of one
    line of gigabytes is refused without holding it)."""
    lines = LineCheck(name, recount=lambda stop: _file_breaks(path, stop))
    # One buffer read into again and again: a new block of 8 MB per read costs more than
    # the search in it.
    block = bytearray(max(MAX_LINE_BYTES // 2, 1 << 16))
    with open(path, "rb", buffering=0) as handle:
        while size := handle.readinto(block):
            if size < len(block):
                del block[size:]
            lines.feed(block)
    lines.close()


def _breaks(data: bytes, stop: int) -> int:
    """Line breaks (``\\n``, ``\\r\\n``, ``\\r``) in ``data[:stop]``; ``stop`` is never between
    the two bytes of a ``\\r\\n``."""
    return data.count(b"\n", 0, stop) + data.count(b"\r", 0, stop) - data.count(b"\r\n", 0, stop)


_RECOUNT_BLOCK = 1 << 22  # bytes read at a time when a file's line breaks are counted again


def _file_breaks(path, stop: int) -> int:
    """:func:`_breaks` of the first ``stop`` bytes of the file at ``path``, read in blocks."""
    count, last = 0, b""
    with open(path, "rb") as handle:
        while stop > 0 and (chunk := handle.read(min(stop, _RECOUNT_BLOCK))):
            stop -= len(chunk)
            count += _breaks(chunk, len(chunk))
            if last == b"\r" and chunk[:1] == b"\n":
                count -= 1  # a \r\n split between two blocks is one break
            last = chunk[-1:]
    return count


class LineCheck:
    """The line lengths of bytes fed in pieces (a file's blocks, unpacked chunks), checked
    against :data:`MAX_LINE_BYTES` as they come.

    A line longer than the limit covers a whole block of half the limit: in each block only
    the first and last line breaks are searched (``bytes.find``), so ordinary text costs a
    few byte searches per 8 MB. ``recount`` (offset -> line breaks before it), when the
    text can be read again, numbers the line of an error only then: the breaks of every
    block are not counted as they come.
    """

    def __init__(self, name: str, recount=None):
        self.name, self.recount = name, recount
        self.offset = 0  # where the next piece starts in the text
        self.start = 0  # where the current line starts
        self.breaks = 0  # line breaks before it
        self.carriage = False  # the last piece ended with "\r" (its "\n" may start the next)

    def feed(self, data: bytes) -> None:
        limit = MAX_LINE_BYTES
        block = max(limit // 2, 1)
        size, at = len(data), 0
        if self.carriage and data[:1] == b"\n":
            self.start, at = self.offset + 1, 1
        # Most text has no carriage return: then one count of "\n" per block numbers the lines.
        returns = b"\r" in data
        while at < size:
            end = min(at + block, size)
            found = [x for x in (data.find(b"\n", at, end), data.find(b"\r", at, end) if returns else -1)
                     if x != -1]
            if found:
                self._ends(min(found) + self.offset)
                last = max(data.rfind(b"\n", at, end), data.rfind(b"\r", at, end) if returns else -1)
                if returns and data[last:last + 2] == b"\r\n":
                    last += 1
                if self.recount is None:
                    self.breaks += data.count(b"\n", at, last + 1)
                    if returns:
                        self.breaks += data.count(b"\r", at, last + 1) - data.count(b"\r\n", at, last + 1)
                self.start = self.offset + last + 1
                end = max(end, last + 1)
            at = end
        self.offset += size
        self.carriage = data[-1:] == b"\r"

    def close(self) -> None:
        self._ends(self.offset)

    def _ends(self, where: int) -> None:
        """The current line ends at ``where``: refused when it is too long."""
        if where - self.start > MAX_LINE_BYTES:
            breaks = self.breaks if self.recount is None else self.recount(self.start)
            raise ResponseFileError("load.bounds.long_line", self.name, line=breaks + 1,
                                    length=where - self.start, limit=MAX_LINE_BYTES)


@contextlib.contextmanager
def field_limit():
    """The ``csv`` module's field limit at :data:`MAX_LINE_BYTES` while a file is read, and
    back to what it was after (the limit is the process's: nothing else is changed)."""
    before = csv.field_size_limit(MAX_LINE_BYTES)
    try:
        yield
    finally:
        csv.field_size_limit(before)
