"""Which reader a file goes to: its kind, told by its suffix (and, for a few, its first bytes).

One table for :mod:`.read` (response sheets and side tables) and :mod:`.packed` (which
member of a zip archive is a data file). A suffix not listed here is read as text (CSV).
"""

from __future__ import annotations

__all__ = ["COMPRESSIONS", "EXCEL_SUFFIXES", "FILE_KINDS", "PARQUET_SUFFIXES", "STAT_SUFFIXES", "ZIP_SUFFIXES",
           "file_kind", "sniff_compression"]

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
#: SPSS and Stata data files (read by pyreadstat, the ``spss`` extra).
STAT_SUFFIXES = {".sav": "spss", ".zsav": "spss", ".dta": "stata"}
#: Suffix -> kind of the files each reader takes; text (CSV) for any other suffix.
FILE_KINDS = {
    **{suffix: "excel" for suffix in EXCEL_SUFFIXES},
    ".ods": "ods",
    ".xls": "xls",
    **{suffix: "parquet" for suffix in PARQUET_SUFFIXES},
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
