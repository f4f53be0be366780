"""Compressed files and zip archives: the data file inside, unpacked within a bound.

A response sheet saved as ``answers.csv.gz`` (``.bz2``, ``.xz``) or put alone in a zip
archive is read as the file it holds, by the reader of that file's kind (:mod:`.read`):
the same encoding detection, delimiter sniffing, line numbers, ledger and errors. The
standard library unpacks (:mod:`gzip`, :mod:`bz2`, :mod:`lzma`, :mod:`zipfile`), in
chunks, and counts the bytes as they come:

* A file that unpacks to more than :data:`MAX_UNPACKED_BYTES`, or to more than
  :data:`MAX_UNPACKED_RATIO` times its packed size once past
  :data:`UNPACKED_RATIO_FLOOR`, is refused as a possible decompression bomb (a few
  kilobytes of gzip can unpack to gigabytes) before the rest is unpacked. A zip member
  is checked by its declared size first, then by the bytes it actually gives.
* A zip archive must hold exactly one data file (:data:`~.formats.FILE_KINDS`; folders
  and the ``__MACOSX/`` resource forks macOS adds are ignored); none or several is an
  error listing the members. The report names the member as ``archive.zip:member``.
* A damaged or cut-off stream and an encrypted member are errors naming the file.

Uncompressed files have no byte limit (Excel and ODS sheets have a cell limit,
:data:`survey_analysis.load.excel.MAX_CELLS`): these bounds only stop a small packed file
from becoming a huge one.
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import lzma
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from .bounds import LineCheck
from .formats import COMPRESSIONS, FILE_KINDS, ZIP_SUFFIXES, file_kind, sniff_compression
from .report import Note, ResponseFileError

__all__ = ["MAX_UNPACKED_BYTES", "MAX_UNPACKED_RATIO", "UNPACKED_RATIO_FLOOR", "Packed", "unpack"]

#: The most bytes a compressed file or a zip member may unpack to (2 GiB: far more than a
#: response sheet read into memory needs). Raise it for the session with
#: ``survey_analysis.load.packed.MAX_UNPACKED_BYTES = N``.
MAX_UNPACKED_BYTES = 2 * 1024 ** 3
#: The most a file may grow when unpacked, once past :data:`UNPACKED_RATIO_FLOOR`: text
#: tables compress 5 to 50 times, a file growing 1000 times is made to (a bomb).
MAX_UNPACKED_RATIO = 1000
#: Bytes unpacked before the ratio is checked (64 MiB): a tiny sheet of repeated labels
#: may compress very well, and unpacking this much costs nothing.
UNPACKED_RATIO_FLOOR = 64 * 1024 ** 2

_CHUNK = 1 << 20
_OPENERS = {"gzip": gzip.open, "bzip2": bz2.open, "xz": lzma.open}
# What unpacking a damaged or cut-off stream raises.
_UNPACK_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError, zipfile.BadZipFile, ValueError)


@dataclass
class Packed:
    """The data file inside a compressed file or a zip archive, not yet unpacked.

    Attributes
    ----------
    path : pathlib.Path
        The compressed file or the archive.
    name : str
        How reports and errors name the data: the file's path (``answers.csv.gz``), or
        ``archive.zip:member`` for a zip member.
    suffix : str
        The suffix of the data file (``".csv"``, ``".xlsx"`` ...), lower case; ``""``
        when it has none (read as text).
    kind : str
        ``"gzip"``, ``"bzip2"``, ``"xz"`` or ``"zip"``.
    member : str or None
        The zip member's name.
    packed_size : int
        Bytes of the packed data (the file, or the member's compressed size).
    ignored : list of str
        Zip members that are not data files (not read; the report names them).
    misnamed : bool
        A compressed file whose name does not say so (``answers.csv`` holding gzip).
    """

    path: Path
    name: str
    suffix: str
    kind: str
    member: str | None
    packed_size: int
    ignored: list
    misnamed: bool = False

    def chunks(self):
        """The unpacked bytes, chunk by chunk, each counted against the bounds first."""
        unpacked = 0
        with self._unpacking(), self._open() as stream:
            while chunk := stream.read(_CHUNK):
                unpacked += len(chunk)
                self._check(unpacked)
                yield chunk

    @contextlib.contextmanager
    def _unpacking(self):
        """What unpacking a damaged or cut-off stream raises, as an error naming the file."""
        try:
            yield
        except ResponseFileError:
            raise
        except _UNPACK_ERRORS as error:
            raise ResponseFileError("load.packed.damaged", self.name, kind=self.kind,
                                    error=f"{type(error).__name__}: {error}") from None

    def read(self) -> bytes:
        """All the unpacked bytes of a text (refused past the bounds, or at a line longer
        than :data:`~.bounds.MAX_LINE_BYTES`, before they are all unpacked)."""
        lines, chunks = LineCheck(self.name), []
        for chunk in self.chunks():
            lines.feed(chunk)
            chunks.append(chunk)
        lines.close()
        return b"".join(chunks)

    def extract(self, folder: Path) -> Path:
        """The data written to a file in ``folder`` (named as the member or the file
        without its compression suffix), chunk by chunk; its path."""
        target = Path(folder) / ("data" + self.suffix)
        with open(target, "wb") as out:
            out.writelines(self.chunks())
        return target

    def notes(self, unpacked: int) -> list:
        """What the report says: unpacked from what, how many bytes; a compressed file
        whose name does not say so; the zip members not read."""
        notes = [Note("load.packed.unpacked", kind=self.kind, packed=self.packed_size, unpacked=unpacked)]
        if self.misnamed:
            notes.append(Note("load.packed.misnamed", kind=self.kind, suffix=self.suffix or "''"))
        if self.ignored:
            shown = ", ".join(map(repr, self.ignored[:10])) + (" ..." if len(self.ignored) > 10 else "")
            notes.append(Note("load.packed.ignored", count=len(self.ignored), members=shown))
        return notes

    def _open(self):
        if self.member is None:
            return _OPENERS[self.kind](self.path, "rb")
        return _ZipMember(self.path, self.member)

    def _check(self, unpacked: int) -> None:
        if unpacked > MAX_UNPACKED_BYTES:
            raise ResponseFileError("load.packed.too_big", self.name, kind=self.kind, unpacked=unpacked,
                                    limit=MAX_UNPACKED_BYTES)
        if unpacked > UNPACKED_RATIO_FLOOR and unpacked > MAX_UNPACKED_RATIO * max(self.packed_size, 1):
            raise ResponseFileError("load.packed.ratio", self.name, kind=self.kind, unpacked=unpacked,
                                    packed=self.packed_size, ratio=MAX_UNPACKED_RATIO)


class _ZipMember:
    """A zip member opened for reading, closing its archive with it."""

    def __init__(self, path: Path, member: str):
        self.archive = zipfile.ZipFile(path)
        try:
            self.stream = self.archive.open(member)
        except BaseException:
            self.archive.close()
            raise

    def __enter__(self):
        return self.stream

    def __exit__(self, *exc):
        self.stream.close()
        self.archive.close()
        return False


def unpack(path, name: str | None = None, sniff: bool = False) -> Packed | None:
    """The data file inside ``path`` when it is compressed (``.gz``, ``.bz2``, ``.xz``) or
    a zip archive (``.zip``), else None.

    Nothing is unpacked yet (see :meth:`Packed.read` and :meth:`Packed.extract`); a zip
    archive's listing is read and checked here.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    name : str, optional
        How errors name the file (default its path).
    sniff : bool, default False
        Also look at the first bytes of a file with another suffix: one that starts as
        gzip, bzip2 or xz does (``answers.csv`` saved compressed) is unpacked as one.

    Returns
    -------
    Packed or None

    Raises
    ------
    ResponseFileError
        A zip archive without exactly one data file (the members listed), an encrypted
        member, a member declared larger than the bounds allow, an archive that is not
        one, and a compressed file holding another compressed file or an archive.

    Examples
    --------
    >>> import gzip, pathlib, tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = pathlib.Path(folder.name) / "answers.csv.gz"
    >>> _ = path.write_bytes(gzip.compress("item,rating\\nA,满意\\n".encode()))
    >>> packed = unpack(path)
    >>> packed.name == str(path), packed.suffix, packed.kind, packed.read().decode()
    (True, '.csv', 'gzip', 'item,rating\\nA,满意\\n')
    >>> folder.cleanup()
    """
    path = Path(path)
    name = str(path) if name is None else name
    suffix = path.suffix.lower()
    if suffix in COMPRESSIONS:
        inner = Path(path.stem).suffix.lower()
        if file_kind(inner) in ("compressed", "zip"):
            raise ResponseFileError("load.packed.nested", name, inner=inner)
        return Packed(path, name, inner, COMPRESSIONS[suffix][0], None, path.stat().st_size, [])
    if suffix in ZIP_SUFFIXES:
        return _zip_member(path, name)
    if sniff:
        with open(path, "rb") as handle:
            found = sniff_compression(handle.read(16))
        if found is not None:
            return Packed(path, name, suffix, COMPRESSIONS[found][0], None, path.stat().st_size, [],
                          misnamed=True)
    return None


def _is_data_member(info: zipfile.ZipInfo) -> bool:
    filename = info.filename
    if info.is_dir() or filename.startswith("__MACOSX/") or "/__MACOSX/" in filename:
        return False
    base = posixpath.basename(filename)
    return bool(base) and not base.startswith("._") and posixpath.splitext(base)[1].lower() in FILE_KINDS


def _zip_member(path: Path, name: str) -> Packed:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ResponseFileError("load.packed.not_zip", name, error=str(error)) from None
    data = [info for info in infos if _is_data_member(info)]
    listing = ", ".join(repr(info.filename) for info in infos if not info.is_dir()) or "-"
    if not data:
        raise ResponseFileError("load.packed.zip_none", name, members=listing)
    if len(data) > 1:
        raise ResponseFileError("load.packed.zip_several", name, count=len(data),
                                members=", ".join(repr(info.filename) for info in data))
    info = data[0]
    member_name = f"{name}:{info.filename}"
    if info.flag_bits & 0x1:
        raise ResponseFileError("load.packed.encrypted", member_name)
    ignored = [i.filename for i in infos if i is not info and not i.is_dir()
               and not i.filename.startswith("__MACOSX/") and "/__MACOSX/" not in i.filename]
    packed = Packed(path, member_name, posixpath.splitext(info.filename)[1].lower(), "zip", info.filename,
                    info.compress_size, ignored)
    packed._check(info.file_size)  # the declared size, before a byte is unpacked
    return packed
