"""Write tables for analysts: CSV that Excel opens correctly, Excel workbooks, text cells made safe.

Text cells that begin with ``=``, ``+``, ``-`` or ``@`` (also after leading whitespace,
control or zero-width characters, which a reader may drop first), or with tab, carriage
return or NUL, are prefixed with a single quote (the OWASP "CSV injection" rule; OWASP
ASVS 1.2.10 adds NUL) so a spreadsheet does not run them as formulas. Only text is touched,
never numbers: a negative number stays a number. Column headers that are text are
treated the same way, each level of a MultiIndex header too. Every writer takes
``escape=False`` to write text verbatim.

Two choices, and why:

* Full-width ``＝ ＋ － ＠`` (U+FF1D, U+FF0B, U+FF0D, U+FF20) are escaped as their ASCII
  forms are. Spreadsheets made for East Asian input turn them into formula characters:
  SpreadJS documents that a formula may be entered starting with full-width ``＝``,
  ``＋`` or ``－`` and normalizes it to ``=``. Whether Excel or WPS do the same on opening
  a CSV we could not establish from their documentation; Chinese sheets are typed with
  Chinese input methods, so the cautious choice is to escape them.
* A leading ``|`` is not escaped. A cell is a formula only when its first character
  starts one; ``|`` is the separator *inside* a DDE formula (``=cmd|' /C calc'!A0``),
  inert at the start of a cell, and item names such as ``|A|B|`` stay as written.

CSV files end lines with ``\\r\\n`` (RFC 4180), so every field holding a carriage return
or a line feed is quoted and cannot start a new row, and a formula, in a reader.
Categorical columns are written as their values' text.

A folder of outputs (a report, its tables and figures) is written with
:func:`output_folder`: into a new folder beside the target, moved into place when
complete, under a lock, so a failure or a second run at the same time leaves the
previous folder or nothing, never a mix of two runs.

References
----------
OWASP Foundation, "CSV Injection",
https://owasp.org/www-community/attacks/CSV_Injection

OWASP Application Security Verification Standard 5.0, requirement 1.2.10.

MESCIUS, "SpreadJS: East Asian Full-Width Formula Input",
https://developer.mescius.com/spreadjs/docs/features/formulas/east-asian-full-width-formula-input
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import shutil
import socket
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from ..words import Hint, Message, SurveyError, say

__all__ = ["OUTPUT_MARKER", "check_output_folder", "escape_formulas", "excel_sheet_name",
           "output_folder", "write_csv", "write_excel"]

#: Characters that make a spreadsheet read a cell as a formula (ASCII and full-width).
_FORMULA_CHARS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: A cell starting with one of these is escaped whatever follows (OWASP, ASVS 1.2.10).
_FORMULA_START = (*_FORMULA_CHARS, "\t", "\r", "\x00")
#: Whitespace, control and zero-width characters before a formula character (a reader
#: may drop them first).
_LEADING_BLANKS = r"^[\s\x00-\x1f\x7f\u200b-\u200d\u2060\ufeff]+"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31


def _text_mask(values: pd.Series) -> pd.Series:
    """Which cells hold text (str), whatever the column's dtype."""
    if pd.api.types.is_string_dtype(values) and not pd.api.types.is_object_dtype(values):
        return values.notna()
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind == "string":
        return values.notna()
    if kind in ("mixed", "mixed-integer", "mixed-integer-float"):
        # A column mixing numbers and text: only the text cells may be escaped.
        return values.map(lambda v: isinstance(v, str)).astype(bool)
    return pd.Series(False, index=values.index)


def _risky(values: pd.Series) -> pd.Series:
    """Text cells a spreadsheet could run: starting with a formula character, also after
    leading spaces or control characters (a reader may drop those first)."""
    text = values.astype("string")
    starts = text.str.startswith(_FORMULA_START).fillna(False).astype(bool)
    after_blank = text.str.replace(_LEADING_BLANKS, "", regex=True).str.startswith(
        _FORMULA_CHARS).fillna(False).astype(bool)
    return (starts | after_blank) & _text_mask(values)


def _escaped_labels(labels: pd.Index) -> pd.Index:
    """Column labels with formula-like text prefixed by ``'``; each level of a MultiIndex."""
    if isinstance(labels, pd.MultiIndex):
        return pd.MultiIndex.from_arrays(
            [_escaped_labels(labels.get_level_values(level)) for level in range(labels.nlevels)],
            names=labels.names)
    names = pd.Series(labels, dtype=object)
    risky = _risky(names).to_numpy()
    if not risky.any():
        return labels
    return pd.Index(np.where(risky, "'" + names.astype(str), names.to_numpy()), dtype=object,
                    name=labels.name)


def escape_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``table`` with formula-like text cells (and headers) prefixed by ``'``.

    Parameters
    ----------
    table : pandas.DataFrame

    Returns
    -------
    pandas.DataFrame
        Same shape and index; text cells (and text column names, each level of a
        MultiIndex) that begin with ``=``, ``+``, ``-``, ``@`` (or their full-width
        forms ``＝ ＋ － ＠``), tab, carriage return or NUL -- also after
        leading spaces, control or zero-width characters -- get a leading ``'``.
        Numbers, including negative numbers in a column that mixes numbers and text,
        are left alone. Categorical columns become columns of their values (object
        dtype); other dtypes are kept.

    Notes
    -----
    The module docstring says why full-width signs are escaped and ``|`` is not.

    Examples
    --------
    >>> import pandas as pd
    >>> escape_formulas(pd.DataFrame({"a": ["=1+1", "ok"], "b": [-1, 2]})).to_dict("list")
    {'a': ["'=1+1", 'ok'], 'b': [-1, 2]}
    >>> escape_formulas(pd.DataFrame({"c": ["-x", -3]}))["c"].tolist()
    ["'-x", -3]
    >>> escape_formulas(pd.DataFrame({"d": pd.Categorical(["＝A1", " @x", "|a|"])}))["d"].tolist()
    ["'＝A1", "' @x", '|a|']
    """
    out = table.copy()
    for position in range(out.shape[1]):
        values = out.iloc[:, position]
        if isinstance(values.dtype, pd.CategoricalDtype):
            # Written as their values' text; an escaped value would be a new category.
            values = values.astype(object)
            out.isetitem(position, values)
        if pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
            risky = _risky(values)
            if risky.any():
                escaped = values.where(~risky.to_numpy(), "'" + values.astype("string"))
                out.isetitem(position, escaped.astype(values.dtype) if
                             pd.api.types.is_string_dtype(values) and not
                             pd.api.types.is_object_dtype(values) else escaped)
    out.columns = _escaped_labels(out.columns)
    return out


def write_csv(table: pd.DataFrame, path, escape: bool = True) -> Path:
    """Write ``table`` as UTF-8 CSV with a BOM (so Excel reads the Chinese correctly).

    Parameters
    ----------
    table : pandas.DataFrame
    path : str or path
        Parent folders are created.
    escape : bool, default True
        Escape formula-like text cells (see :func:`escape_formulas`); pass False to
        write them verbatim.

    Returns
    -------
    pathlib.Path
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # RFC 4180 line ends ("\r\n") on every platform: the same bytes everywhere, and every
    # field holding a CR or a LF is quoted (with "\n" ends a lone CR would not be, and a
    # reader could start a new row, and a formula, there).
    (escape_formulas(table) if escape else table).to_csv(path, index=False, encoding="utf-8-sig",
                                                         lineterminator="\r\n")
    return path


def excel_sheet_name(name, taken=()) -> str:
    """A valid Excel sheet name made from ``name``, distinct from the names in ``taken``.

    Excel's rules: 1 to 31 characters, none of ``[ ] : * ? / \\``, not beginning or
    ending with an apostrophe, and unique within a workbook ignoring case. Forbidden
    characters become ``_``; a clash gets a suffix ``~2``, ``~3`` ...

    Parameters
    ----------
    name : object
        Wanted name (converted to text).
    taken : collection of str
        Names already used in the workbook.

    Returns
    -------
    str

    Examples
    --------
    >>> excel_sheet_name("items: rates [95%] / 2024?")
    'items_ rates _95%_ _ 2024_'
    >>> excel_sheet_name("x" * 40, taken=["x" * 31])
    'xxxxxxxxxxxxxxxxxxxxxxxxxxxxx~2'
    """
    base = _SHEET_FORBIDDEN.sub("_", str(name)).strip("'").strip() or "Sheet"
    used = {t.lower() for t in taken}
    candidate, number = base[:_SHEET_MAX], 1
    while candidate.lower() in used:
        number += 1
        suffix = f"~{number}"
        candidate = base[:_SHEET_MAX - len(suffix)].rstrip("'") + suffix
    return candidate


def write_excel(tables, path, escape: bool = True, max_rows: int | None = None) -> Path:
    """Write one table or several (one per sheet) to an ``.xlsx`` workbook.

    Parameters
    ----------
    tables : pandas.DataFrame or dict of str -> pandas.DataFrame
        A single table (written to sheet ``Sheet1``) or sheet name -> table. Sheet
        names are made valid with :func:`excel_sheet_name` (at most 31 characters,
        none of ``[]:*?/\\``, unique).
    path : str or path
        Output file (parent folders are created).
    escape : bool, default True
        Escape formula-like text cells and headers (see :func:`escape_formulas`).
        With ``escape=False`` text is written verbatim, and always as text: a cell
        ``"=1+1"`` is stored as the string, never as a formula.
    max_rows : int, optional
        Tables with more rows are left out of the workbook (write them as CSV): a
        first sheet ``contents`` then lists every table, its rows, and whether it is
        in the workbook or only in ``<name>.csv``. Excel is slow to write and to open
        beyond some 10^5 rows; a sheet holds at most 1,048,575 rows in any case.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "t.xlsx"
    >>> path = write_excel({"rates/2024": pd.DataFrame({"item": ["=A1"], "n": [-3]})}, out)
    >>> back = pd.read_excel(path, sheet_name=None, engine="calamine")
    >>> list(back), back["rates_2024"].to_dict("list")
    (['rates_2024'], {'item': ["'=A1"], 'n': [-3]})
    """
    if isinstance(tables, pd.DataFrame):
        tables = {"Sheet1": tables}
    if not tables:
        raise SurveyError("present.export.no_table")
    for wanted, table in tables.items():
        if not isinstance(table, pd.DataFrame):
            raise TypeError(f"table {wanted!r} is a {type(table).__name__}, not a DataFrame")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # XlsxWriter, not openpyxl: it streams rows (constant memory) and writes several times
    # faster, which matters for per-item tables of 10^5 items; with strings_to_formulas off
    # a text cell starting with "=" is stored as text, never as a formula.
    import xlsxwriter

    names: list[str] = []
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False,
                                          "strings_to_urls": False, "strings_to_numbers": False})
    long = {k for k, t in tables.items() if max_rows is not None and len(t) > max_rows}
    try:
        if long:
            contents = pd.DataFrame({
                "table": list(tables), "rows": [len(t) for t in tables.values()],
                "where": [say("present.export.only_csv", name=k, rows=max_rows) if k in long
                          else say("present.export.in_workbook") for k in tables]})
            names.append("contents")
            _write_sheet(workbook.add_worksheet("contents"), escape_formulas(contents))
        for wanted, table in tables.items():
            if wanted in long:
                continue
            name = excel_sheet_name(wanted, names)
            names.append(name)
            _write_sheet(workbook.add_worksheet(name), escape_formulas(table) if escape else table)
    finally:
        workbook.close()
    return path


#: Rows of an Excel sheet, the header included.
EXCEL_MAX_ROWS = 1_048_576


def _cell_values(values: pd.Series) -> list:
    """A column as Python values XlsxWriter writes: numbers, text, booleans; None for a
    missing value (an empty cell); dates as ISO text."""
    if pd.api.types.is_datetime64_any_dtype(values):
        values = values.dt.strftime("%Y-%m-%d %H:%M:%S").str.replace(" 00:00:00", "", regex=False)
    return values.astype(object).where(values.notna(), None).tolist()


def _write_sheet(worksheet, table: pd.DataFrame) -> None:
    """Header row(s) and rows of ``table``: one header row per level of a MultiIndex, as
    ``to_csv`` writes them. XlsxWriter writes cell by cell, so this is a loop over rows
    (one ``write_row`` each, in order, as constant-memory mode needs); a table longer
    than a sheet holds keeps its first rows and says so beside the header."""
    labels = table.columns
    levels = labels.nlevels if isinstance(labels, pd.MultiIndex) else 1
    headers = ([[str(c) for c in labels.get_level_values(level)] for level in range(levels)]
               if levels > 1 else [[str(c) for c in labels]])
    rows = min(len(table), EXCEL_MAX_ROWS - levels)
    if rows < len(table):
        headers[0].append(say("present.export.first_rows", rows=rows, total=len(table)))
    for row, header in enumerate(headers):
        worksheet.write_row(row, 0, header)
    columns = [_cell_values(table.iloc[:rows, j]) for j in range(table.shape[1])]
    for i, row in enumerate(zip(*columns), start=levels):
        worksheet.write_row(i, 0, row)


#: File in every folder :func:`output_folder` writes, listing the files runs wrote there
#: (one block per kind of run, blocks apart by an empty line): only those are ever
#: replaced or removed by a later run.
OUTPUT_MARKER = ".survey-analysis-output"
_MARKER_HEADER = "# " + say("present.export.marker")
_LOCK = ".survey-analysis.lock"


def _entries(folder: Path) -> list:
    return sorted(entry.name for entry in folder.iterdir())


def _groups(folder: Path) -> list:
    """The blocks of file names in the folder's marker, one per kind of run (none without
    a marker). Only plain names count: never a path out of the folder."""
    try:
        lines = (folder / OUTPUT_MARKER).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    groups, group = [], set()
    for line in [*lines[1:], ""]:
        if not line:
            if group:
                groups.append(group)
            group = set()
        elif "/" not in line and "\\" not in line and line not in (".", ".."):
            group.add(line)
    return groups


def _ours(folder: Path) -> set:
    """Every file the folder's marker lists."""
    return set().union(*_groups(folder))


def _shown(names) -> str:
    names = sorted(names)
    return ", ".join(names[:3]) + (" ..." if len(names) > 3 else "")


#: The options an output folder's errors propose: another folder, or replacing this one.
#: Keywords only; the command line adds its flags (``-o``, ``--force``).
_ANOTHER_FOLDER = Hint("output_dir", "FOLDER")
_REPLACE = Hint("force", True)


def _check_target(target: Path, force: bool, replace: bool) -> None:
    """Refuse a target that is a file, is read-only, or (``replace``) is a non-empty folder
    not to be replaced."""
    if target.exists() and not target.is_dir():
        raise SurveyError("present.export.a_file", target=target, fix=_ANOTHER_FOLDER)
    if not target.is_dir():
        return
    if not os.access(target, os.W_OK | os.X_OK):
        raise SurveyError("present.export.read_only", target=target, fix=_ANOTHER_FOLDER)
    if replace and (target == Path.cwd() or target in Path.cwd().parents):
        # Replacing it would pull the current folder (and whatever it holds) away.
        raise SurveyError("present.export.current", target=target, fix=_ANOTHER_FOLDER)
    entries = _entries(target)
    if not replace or not entries:
        return
    if not force:
        raise SurveyError("present.export.not_empty", target=target, count=len(entries),
                          shown=_shown(entries), force=_REPLACE, fix=_ANOTHER_FOLDER)
    foreign = set(entries) - _ours(target) - {OUTPUT_MARKER, _LOCK}
    if foreign:
        # --force deletes the folder: only one holding nothing but what this package wrote.
        raise SurveyError("present.export.foreign", target=target, count=len(foreign),
                          shown=_shown(foreign), force=_REPLACE, fix=_ANOTHER_FOLDER)


def _running(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine (POSIX; elsewhere assume it does)."""
    if os.name != "posix":
        return True  # os.kill(pid, 0) would send CTRL_C_EVENT on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it runs, as another user
        return True
    return True


def _take_lock(lock: Path, target: Path) -> None:
    """Create ``lock`` atomically (``O_CREAT | O_EXCL``); a lock left by a process of this
    machine that no longer runs (killed) is taken over."""
    for _ in range(2):
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                pid, host = lock.read_text(encoding="utf-8").split()
                stale = host == socket.gethostname() and not _running(int(pid))
            except (OSError, ValueError):
                stale = False  # being written, or not ours: leave it
            if stale:
                lock.unlink(missing_ok=True)
                continue
            raise SurveyError("present.export.locked_wait", target=target, lock=lock) from None
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(f"{os.getpid()} {socket.gethostname()}\n")
        return
    raise SurveyError("present.export.locked", target=target, lock=lock)


def _remove_leftovers(folder: Path, prefixes: tuple) -> None:
    """Folders a killed run left (we hold the lock, so no other run is writing them)."""
    for entry in folder.iterdir():
        if entry.name.startswith(prefixes) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)


def _write_marker(folder: Path, groups) -> None:
    blocks = ["\n".join(sorted(group)) for group in groups if group]
    text = _MARKER_HEADER + "\n" + "\n\n".join(blocks) + "\n"
    (folder / OUTPUT_MARKER).write_text(text, encoding="utf-8")


def _swap(new: Path, target: Path) -> None:
    """Move the complete folder ``new`` to ``target``: a rename on one file system; an
    existing target is moved aside first, put back if the move fails, then deleted."""
    if not target.exists():
        os.replace(new, target)
        return
    aside = target.parent / f".{target.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
    os.replace(target, aside)
    try:
        os.replace(new, target)
    except BaseException:
        os.replace(aside, target)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def _update(new: Path, target: Path) -> None:
    """Move the files of ``new`` into ``target`` (renames within one folder) and remove the
    files an earlier run of the same kind wrote and this one did not (a run is of the same
    kind when it writes some of the same file names: ``reproduce`` twice, not ``reproduce``
    then ``compare``); other files are left alone."""
    names = {name for name in _entries(new) if name != OUTPUT_MARKER}
    groups = _groups(target)
    same = [group for group in groups if group & names]
    for name in sorted(names):
        os.replace(new / name, target / name)
    for name in sorted(set().union(*same) - names):
        (target / name).unlink(missing_ok=True)
    _write_marker(target, [group for group in groups if not group & names] + [names])


def check_output_folder(path, force: bool = False, replace: bool = True) -> None:
    """Raise now what :func:`output_folder` would raise about ``path`` before writing.

    A command checks its output folder before the analysis, so a folder that needs
    ``--force`` (or is a file, or read-only) is said at once, not after minutes of work.
    :func:`output_folder` checks again when it writes (the folder may change meanwhile).

    Parameters
    ----------
    path : str or path
    force, replace : bool
        As for :func:`output_folder`.

    Raises
    ------
    ValueError
        As :func:`output_folder`: ``path`` is a file or read-only; with ``replace``, it
        holds files and ``force`` is False, or holds files this package did not write.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> check_output_folder(pathlib.Path(tempfile.mkdtemp()) / "new")  # nothing to say
    """
    _check_target(Path(os.path.realpath(path)), bool(force), bool(replace))


@contextmanager
def output_folder(path, force: bool = False, replace: bool = True):
    """Write a folder of outputs all at once: the previous outputs or the new ones, never a mix.

    Parameters
    ----------
    path : str or path
        The folder to produce. Its parents are created if needed.
    force : bool, default False
        With ``replace``: replace an existing folder that holds files (CLI ``--force``);
        only a folder holding nothing but files this package wrote there.
    replace : bool, default True
        True: the folder is replaced as a whole (a report). False: the files written
        are moved into the folder, which may hold other files (the input sheets);
        files an earlier run of the same kind wrote there (some of the same names) and
        this one does not are removed.

    Yields
    ------
    pathlib.Path
        An empty folder on the same file system (beside ``path``, or inside it with
        ``replace=False``) to write into. When the block ends without an error its
        files are moved into place by renames; on any error (including an interrupt)
        it is deleted and ``path`` is left as it was.

    Raises
    ------
    ValueError
        ``path`` is a file, or is read-only; with ``replace``, it holds files and
        ``force`` is False, or it holds files this package did not write; another run
        is writing it.
    OSError
        Writing failed (disk full, no permission ...): the message names ``path`` and
        says that nothing was written.

    Notes
    -----
    A lock file (``<path>.lock`` beside a folder to replace, ``.survey-analysis.lock``
    in a folder to update), created with ``O_CREAT | O_EXCL`` and removed at the end,
    stops a second run writing the same folder at the same time; a lock left by a
    killed process of this machine is taken over, with the half-written folders such a
    run left. Every folder written holds :data:`OUTPUT_MARKER`, the list of its files.
    With ``replace=False`` the files are moved in one rename each, after all of them
    were written: only a failure between two renames (not a full disk, which strikes
    while writing) could leave files of two runs side by side.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> with output_folder(target) as folder:
    ...     _ = (folder / "a.txt").write_text("complete")
    >>> sorted(p.name for p in target.iterdir())
    ['.survey-analysis-output', 'a.txt']
    """
    # A link to a folder: the folder it points to is written (the link keeps pointing to it).
    target = Path(os.path.realpath(path))
    replace = bool(replace)
    _check_target(target, bool(force), replace)
    created = not target.exists()
    if replace:
        home, lock = target.parent, target.parent / f"{target.name}.lock"
        prefixes = (f".{target.name}.partial-", f".{target.name}.old-")
    else:
        home, lock, prefixes = target, target / _LOCK, (".partial-",)
    try:
        home.mkdir(parents=True, exist_ok=True)
        _take_lock(lock, target)
    except OSError as error:
        raise _not_written(error, target) from error
    try:
        _check_target(target, bool(force), replace)  # as it is now that no other run writes it
        _remove_leftovers(home, prefixes)
        folder = home / f"{prefixes[0]}{os.getpid()}-{secrets.token_hex(4)}"
        try:
            folder.mkdir()
            yield folder
            if replace:
                _write_marker(folder, [set(_entries(folder))])
                _swap(folder, target)
            else:
                _update(folder, target)
                folder.rmdir()
        except BaseException as error:
            shutil.rmtree(folder, ignore_errors=True)
            if isinstance(error, OSError):
                raise _not_written(error, target) from error
            raise
    finally:
        lock.unlink(missing_ok=True)
        if created and not replace and target.is_dir() and not any(target.iterdir()):
            target.rmdir()  # a folder made for a run that wrote nothing


def _not_written(error: OSError, target: Path) -> OSError:
    """An OSError naming the output folder, in one line: what failed, and that nothing of
    this run is left."""
    where = Message("present.export.where", {"filename": error.filename}) if error.filename else ""
    state = Message("present.export.unchanged" if target.exists() else "present.export.nothing_written")
    hint = Message("present.export.disk_full") if error.errno == errno.ENOSPC else ""
    # An OSError still (the caller tells a failed write from bad options by its type).
    return OSError(error.errno, say("present.export.not_written", target=target,
                                    reason=error.strerror or str(error), where=where, hint=hint,
                                    state=state))
