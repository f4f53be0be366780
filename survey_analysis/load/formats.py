"""Which reader a file goes to: its kind, told by its suffix (and, for a few, its first bytes).

One table for :mod:`.read` (response sheets and side tables) and :mod:`.packed` (which
member of a zip archive is a data file). A suffix not listed here is read as text (CSV).
"""

from __future__ import annotations

from pathlib import Path

from ..words import Message
from .report import ResponseFileError

__all__ = ["COMPRESSIONS", "EXCEL_SUFFIXES", "FILE_KINDS", "PARQUET_MAGIC", "PARQUET_SUFFIXES", "STAT_SUFFIXES",
           "ZIP_SUFFIXES", "check_parquet", "file_kind", "sniff_compression"]

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
#: SPSS and Stata data files (read by pyreadstat, the ``spss`` extra).
STAT_SUFFIXES = {".sav": "spss", ".zsav": "spss", ".dta": "stata"}
#: Suffix -> kind of the files each reader takes; text (CSV) for any other suffix.
FILE_KINDS = {
    **{suffix: "excel" for suffix in sorted(EXCEL_SUFFIXES)},
    ".ods": "ods",
    ".xls": "xls",
    **{suffix: "parquet" for suffix in sorted(PARQUET_SUFFIXES)},
    **STAT_SUFFIXES,
    ".csv": "text", ".tsv": "text", ".txt": "text", ".tab": "text", ".psv": "text", ".dat": "text",
}
#: Compressed single files: suffix -> (the compression's name, the first bytes it writes).
COMPRESSIONS = {
    ".gz": ("gzip", b"\x1f\x8b"),
    ".bz2": ("bzip2", b"BZh"),
    ".xz": ("xz", b"\xfd7zXZ\x00"),
}
ZIP_SUFFIXES = {".zip"}
#: The bytes a Parquet file starts and ends with (an encrypted footer ends with ``PARE``).
PARQUET_MAGIC = b"PAR1"


def file_kind(suffix: str) -> str:
    """The reader of a file with ``suffix`` (any case): ``"excel"``, ``"ods"``, ``"xls"``,
    ``"parquet"``, ``"spss"``, ``"stata"``, ``"compressed"``, ``"zip"`` or ``"text"``.

    Examples
    --------
    >>> [file_kind(s) for s in (".CSV", ".xls", ".sav", ".gz", ".zip", ".whatever")]
    ['text', 'xls', 'spss', 'compressed', 'zip', 'text']
    """
    suffix = suffix.lower()
    if suffix in COMPRESSIONS:
        return "compressed"
    if suffix in ZIP_SUFFIXES:
        return "zip"
    return FILE_KINDS.get(suffix, "text")


def sniff_compression(head: bytes) -> str | None:
    """The suffix of the compression whose signature ``head`` (a file's first bytes) starts
    with, else None. A bzip2 stream is told by its block header too (``BZh`` + level +
    ``1AY&SY``): three letters alone could start a text.

    Examples
    --------
    >>> import gzip
    >>> sniff_compression(gzip.compress(b"a,b")), sniff_compression(b"item,rating")
    ('.gz', None)
    """
    for suffix, (_, magic) in COMPRESSIONS.items():
        if head.startswith(magic):
            if suffix == ".bz2" and not (head[3:4].isdigit() and head[4:10] in (b"1AY&SY", b"\x17rE8P\x90")):
                continue
            return suffix
    return None


def check_parquet(path, name: str | None = None) -> None:
    """Refuse a file named as Parquet that is not one (a CSV file renamed, an empty file),
    told by its first and last bytes, before any Parquet reader sees it.

    Raises
    ------
    ResponseFileError
        "not a Parquet file", saying what its bytes are (empty; text, which may be a CSV
        file; other bytes).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = pathlib.Path(folder.name) / "answers.parquet"
    >>> _ = path.write_text("item,rating\\nA,good\\n")
    >>> check_parquet(path, "answers.parquet")
    Traceback (most recent call last):
    ...
    survey_analysis.load.report.ResponseFileError: answers.parquet: not a Parquet file: its 19 bytes start with b'item,rating\\nA,good\\n'; a Parquet file starts and ends with the bytes PAR1. It looks like text: if it is a CSV file, give it a .csv name and load it again
    >>> folder.cleanup()
    """
    path = Path(path)
    name = str(path) if name is None else name
    size = path.stat().st_size
    with open(path, "rb") as handle:
        head = handle.read(4096)
        handle.seek(max(size - 4, 0))
        tail = handle.read(4)
    if size >= 12 and head.startswith(PARQUET_MAGIC) and tail in (PARQUET_MAGIC, b"PARE"):
        return
    if not size:
        what, fix = Message("load.read.parquet_empty"), Message("load.read.parquet_again")
    else:
        what = Message("load.read.parquet_head", {"size": size, "head": head[:24]})
        fix = Message("load.read.parquet_text" if _looks_like_text(head) else "load.read.parquet_again")
    raise ResponseFileError("load.read.not_parquet", name, what=what, fix=fix)


def _looks_like_text(head: bytes) -> bool:
    """The first bytes of a file decode as UTF-8 or GB18030 text without control characters
    (tabs and line breaks aside); a character cut at the end is allowed."""
    if any(byte < 32 and byte not in b"\t\r\n" for byte in head):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as error:
            if error.start >= len(head) - 3:
                return True
    return False
