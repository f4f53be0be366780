"""The ledger of a load: what happened to every row, and the error a bad sheet raises.

Also the small formatters that name lines in messages ("lines 3, 5, 9 ...").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["EXCLUSION_REASONS", "LOUD_REASONS", "QUIET_REASONS", "WARN_SHARE", "LoadReport", "ResponseFileError",
           "empty_exclusions", "empty_unknown_items", "exclusion_warnings", "first_lines",
           "label_listing", "where_lines"]

#: Reasons a row (a cell, in a wide sheet) is excluded, in the order they are checked.
EXCLUSION_REASONS = ("summary_row", "blank_row", "missing_rating", "not_asked", "unknown_item",
                     "duplicate", "dont_know", "unknown_label")

class ResponseFileError(ValueError):
    """A response sheet that cannot be read; names the file, line and column.

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
    """

    def __init__(self, message: str, source: str, line: int | None = None,
                 column: str | None = None, sheet: str | None = None):
        self.source, self.line, self.column, self.sheet = source, line, column, sheet
        where = source
        if sheet is not None:
            where += f", sheet {sheet!r}"
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")


def empty_exclusions() -> pd.DataFrame:
    return pd.DataFrame({"source_line": pd.Series(dtype="int64"), "reason": pd.Series(dtype=str),
                         "column": pd.Series(dtype=str), "value": pd.Series(dtype=str)})


def empty_unknown_items() -> pd.DataFrame:
    return pd.DataFrame({"item_id": pd.Series(dtype=str), "rows": pd.Series(dtype="int64"),
                         "source_lines": pd.Series(dtype=str)})


# eq=False: comparing two reports would compare their exclusions DataFrames, which
# has no truth value; pandas compares attrs in pd.concat, so that would crash.
#: Default share of the answers above which an exclusion is a warning.
WARN_SHARE = 0.05
#: Reasons that never warn: "don't know" answers and blank answers or rows.
QUIET_REASONS = ("dont_know", "blank_row", "missing_rating", "not_asked")
#: Reasons that always warn, whatever their share: a published percentage that no whole
#: count of its n gives is a finding about the table, not noise.
LOUD_REASONS = ("percent_fits_no_count",)


def exclusion_warnings(excluded: dict, rows_read: int, warn_share: float = WARN_SHARE) -> tuple:
    """Sentences for the reasons (not "don't know", not blank) that exclude at least
    ``warn_share`` of the non-blank answers.

    Examples
    --------
    >>> exclusion_warnings({"duplicate": 445, "dont_know": 3}, 791)
    ('duplicate excludes 445 of 791 answers (56.3%): check that this is what you meant',)
    """
    if not 0.0 <= float(warn_share) <= 1.0:
        raise ValueError(f"warn_share must be between 0 and 1, got {warn_share!r}")
    answers = rows_read - sum(n for reason, n in excluded.items()
                              if reason in ("blank_row", "missing_rating", "not_asked"))
    out = []
    for reason, count in excluded.items():
        if reason in QUIET_REASONS or count == 0 or answers <= 0:
            continue
        if reason in LOUD_REASONS:
            out.append(f"{reason}: on {count} of {rows_read} rows the published percentage fits "
                       "no whole count of its n; those rows are excluded (see percent_audit)")
        elif count / answers >= warn_share:
            out.append(f"{reason} excludes {count} of {answers} answers ({count / answers:.1%}): "
                       "check that this is what you meant")
    return tuple(out)


@dataclass(frozen=True, eq=False)
class LoadReport:
    """What happened to every row of a loaded sheet.

    Attributes
    ----------
    source : str
        File name or ``"<DataFrame>"``.
    file_format : str
        ``"csv"``, ``"excel"``, ``"parquet"`` or ``"dataframe"``.
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
        Rows in the tidy result.
    exclusions : pandas.DataFrame
        One row per excluded row (cell, in a wide sheet): ``source_line``, ``reason``
        (one of :data:`EXCLUSION_REASONS`), ``column`` (header as written), ``value``.
    columns : dict
        Canonical column -> header in the file.
    notes : tuple of str
        Other things the analyst should know (e.g. generated respondent ids).
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
    """

    source: str
    file_format: str
    encoding: str | None
    scale: str | None
    rows_read: int
    rows_kept: int
    exclusions: pd.DataFrame = field(repr=False)
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

    def __post_init__(self):
        excluded = len(self.exclusions)
        if self.rows_read != self.rows_kept + excluded:
            raise RuntimeError(
                f"load ledger does not balance for {self.source}: read {self.rows_read}, "
                f"kept {self.rows_kept}, excluded {excluded}"
            )

    # The report travels in DataFrame.attrs, which pandas deep-copies on many
    # operations; the report is immutable, so sharing it is safe and cheap.
    def __deepcopy__(self, memo):
        return self

    @property
    def rows_excluded(self) -> int:
        """Number of excluded rows."""
        return len(self.exclusions)

    def excluded_by_reason(self) -> pd.Series:
        """Count of excluded rows per reason (a Series named ``rows``)."""
        return self.exclusions.groupby("reason", sort=True).size().rename("rows")

    @property
    def warnings(self) -> tuple:
        """Exclusions that remove a large share of the answers, as sentences.

        Any reason other than "don't know" and blank answers (``blank_row``,
        ``missing_rating``, ``not_asked``) that excludes at least ``warn_share`` of the
        non-blank answers is a warning: reports and the CLI print these first.
        """
        return exclusion_warnings(self.excluded_by_reason().to_dict(), self.rows_read,
                                  self.warn_share)

    def scale_summary(self) -> str:
        """One line: the scale(s) and the satisfied levels by their convention."""
        if not self.scales:
            return "none (no substantive answer)"
        if len(self.scales) == 1:
            scale = next(iter(self.scales.values()))
            return (f"{scale.name}: {' / '.join(scale.levels)}; satisfied by its convention: "
                    f"{scale.describe()}")
        counts = pd.Series(self.item_scales).value_counts()
        return "; ".join(f"{name} ({counts.get(name, 0)} item(s)): {' / '.join(s.levels)}, "
                         f"satisfied {s.describe()}" for name, s in self.scales.items())

    def to_frame(self) -> pd.DataFrame:
        """The ledger as a tidy table: columns ``category``, ``rows``, ``source_lines``.

        ``category`` is ``read``, ``kept`` or ``excluded: <reason>``; ``source_lines``
        lists the first lines of each exclusion reason (distinct lines, in order).
        """
        rows = [("read", self.rows_read, ""), ("kept", self.rows_kept, "")]
        for reason, group in self.exclusions.groupby("reason", sort=True):
            lines = pd.unique(group["source_line"].to_numpy())
            shown = ", ".join(str(int(v)) for v in lines[:10]) + (" ..." if len(lines) > 10 else "")
            rows.append((f"excluded: {reason}", len(group), shown))
        return pd.DataFrame(rows, columns=["category", "rows", "source_lines"])

    def __str__(self) -> str:
        head = f"Load report for {self.source} ({self.file_format}"
        head += f", encoding {self.encoding}" if self.encoding else ""
        head += f", sheet {self.sheet!r}" if self.sheet is not None else ""
        lines = [f"WARNING: {w}" for w in self.warnings] + [head + ")"]
        if self.header_line is not None:
            unit = "row" if self.file_format == "excel" else "line"
            lines.append(f"  header: {unit} {self.header_line}")
        if self.layout == "wide":
            lines.append(f"  layout: wide, {len(self.item_columns)} item column(s) x "
                         f"{self.sheet_rows} data row(s) = {self.rows_read} answer cells "
                         "(the counts below are cells)")
        lines.append(f"  scale: {self.scale_summary()}")
        if self.scale_how:
            lines.append(f"         ({self.scale_how})")
        if len(self.scales) > 1:
            by_scale = pd.Series(self.item_scales, dtype=object)
            for name, group in by_scale.groupby(by_scale, sort=False):
                shown = ", ".join(map(str, group.index[:8])) + (" ..." if len(group) > 8 else "")
                lines.append(f"  items on {name}: {shown}")
        for category, rows, where in self.to_frame().itertuples(index=False):
            lines.append(f"  {category:<28} {rows:>8}" + (f"   lines {where}" if where else ""))
        if len(self.unknown_items):
            parts = [f"{item} x{rows} (lines {where})"
                     for item, rows, where in self.unknown_items.itertuples(index=False)]
            lines.append(f"  items not in the catalogue: {len(self.unknown_items)}: " + "; ".join(parts))
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


# ---------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------

def first_lines(lines, limit: int = 5) -> str:
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
    table = pd.DataFrame({"value": np.asarray(values, dtype=object), "line": np.asarray(lines),
                          "header": np.asarray(headers, dtype=object)})
    return "; ".join(f"{value!r} x{len(group)} ({where_lines(group['line'], group['header'], wide)})"
                     for value, group in table.groupby("value", sort=True))


