"""Plots for reports. Each function takes ``ax=None`` and returns the Axes.

Plots only draw what the estimators computed; no statistic is computed here, and every
label that states a level, a method or a definition is read from the data (the
``confidence_level`` and ``method`` columns, ``satisfied_levels``). ``lang=None`` labels
in English and Chinese; ``"zh"`` or ``"en"`` in one language.

Chinese labels need a CJK font: :func:`use_cjk_font` finds a freely licensed one
installed on the system (Noto Sans CJK, WenQuanYi ...), and every text is given
:func:`font_family` -- a Latin family and that CJK family, so either script renders
whatever the CJK font lacks. The families are set on each plot's own texts and tick
labels -- never in matplotlib's global ``rcParams`` -- so a notebook's other figures and
backend are left as they were. Without a CJK font a figure with Chinese says so in one
warning.

Every figure stays readable and cheap at any number of items. Plots with one row per
item draw at most :data:`MAX_ROWS` rows by default -- the lowest and the highest items --
and say in the legend how many of how many they show; their size follows the rows drawn,
not the number of items. :func:`rate_histogram` and :func:`funnel_plot` show every item
as a distribution. Beyond :data:`MANY_POINTS` items, scatter plots are rasterized with
small translucent markers and rank intervals are drawn as one band, so drawing costs
little more for 100,000 items than for 1,000.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .._validation import check_threshold
from ..words import CATALOGUE, Message, SurveyError, say
from .layout import MAX_ROWS, check_cap, extremes_shown, row_figsize, rows_drawn

__all__ = ["CJK_FONT_FAMILIES", "LATIN_FONT_FAMILY", "MANY_POINTS", "MAX_ROWS", "control_chart",
           "count_at_100_plot",
           "coverage_plot", "denominator_plot", "diverging_bars", "font_family", "forest_plot",
           "funnel_plot", "implied_designs_plot", "power_curve_plot", "rank_interval_plot",
           "rate_histogram", "rounds_plot", "sensitivity_plot", "shrinkage_plot", "topics_plot",
           "use_cjk_font"]

#: Points beyond which scatter plots are rasterized with small translucent markers, rank
#: intervals are drawn as one band and lines go into one collection: drawing stays cheap.
MANY_POINTS = 2000

#: CJK font families looked for, in order of preference.
CJK_FONT_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC", "SimHei", "Droid Sans Fallback",
)
# File-name fragments of the same fonts, for fonts installed after matplotlib built its cache.
_CJK_FILE_HINTS = ("notosanscjk", "notosanssc", "sourcehansans", "wqy-microhei", "wqy-zenhei",
                   "msyh", "pingfang", "simhei", "droidsansfallback")
_found: list = []  # [family or None] once looked up
#: Latin family drawn for the characters the CJK font lacks (matplotlib's own font).
LATIN_FONT_FAMILY = "DejaVu Sans"



_MAX_LABEL = 38  # characters of an item name shown on an axis; the tables have the full names


_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _cut(name: str, head: int) -> str:
    """``name`` in :data:`_MAX_LABEL` characters: its first ``head`` characters, an
    ellipsis, and its end (the end of a long name is what tells units of one place apart)."""
    if len(name) <= _MAX_LABEL:
        return name
    tail = _MAX_LABEL - 1 - head
    return f"{name[:head].rstrip()}…{name[-tail:].lstrip()}"


def _short(values) -> list:
    """Item names on one line (control characters such as a carriage return, which no font
    draws, become a space), at most :data:`_MAX_LABEL` characters, no two alike.

    A long name keeps its start and its end and loses its middle ("NHFT / Community
    health … / North Locality"), so names sharing a long prefix stay apart; where two
    shortened names still read the same, more of the end is kept, and rows whose names
    still match (or are equal in the data) are numbered "[2]", "[3]" ...
    """
    names = [_CONTROL.sub(" ", s) for s in map(str, values)]
    shown = [_cut(s, _MAX_LABEL * 2 // 5) for s in names]
    for head in (_MAX_LABEL // 4, _MAX_LABEL // 8, 0):
        counts = pd.Series(shown).value_counts()
        clashes = [i for i, s in enumerate(shown) if counts[s] > 1 and len(names[i]) > _MAX_LABEL]
        if not clashes:
            break
        for i in clashes:
            shown[i] = _cut(names[i], head)
    seen: dict = {}
    for i, s in enumerate(shown):
        seen[s] = seen.get(s, 0) + 1
        if seen[s] > 1:
            shown[i] = f"{s} [{seen[s]}]"
    return shown


def _width(names, fontsize: float, least: float = 7.0) -> float:
    """Width of a one-row-per-item figure (inches): ``least``, wider when the longest of
    ``names`` at ``fontsize`` would leave the data less than 4.5 inches (a Chinese
    character is about 1 em wide, a Latin one about 0.6 em)."""
    from unicodedata import east_asian_width

    ems = max((sum(1.0 if east_asian_width(c) in "WF" else 0.6 for c in n) for n in names),
              default=0.0)
    return max(least, round(ems * fontsize / 72 + 4.5, 1))


def _label(key: str, lang, **values) -> str:
    """The catalogue's label ``plot.<key>`` in ``lang`` ("en", "zh", or None for both:
    "english / 中文"); a value given as a Message is put in the same language."""
    if lang in ("en", "zh"):
        return say(f"plot.{key}", lang, **values)
    return f"{say(f'plot.{key}', 'en', **values)} / {say(f'plot.{key}', 'zh', **values)}"


def _percent(level: float) -> str:
    return f"{level:.1%}".replace(".0%", "%")


def _count(value: int) -> str:
    """A count with thousands separators (20,000), in either language."""
    return f"{int(value):,}"


def _ends(data: pd.DataFrame, low: int, high: int) -> tuple:
    """The ``low`` first and ``high`` last rows of sorted ``data``, and their y positions
    (a gap row between the two ends when rows are left out)."""
    total = len(data)
    if low + high >= total:
        return data, np.arange(total, dtype=float), None
    shown = pd.concat([data.head(low), data.tail(high)]) if high else data.head(low)
    y = np.r_[np.arange(low), np.arange(high) + low + 1].astype(float)
    return shown, y, float(low)


def _gap(ax, y: float | None, hidden: int, what: str, lang) -> None:
    """Say in the gap row how many rows are not drawn."""
    if y is None:
        return
    ax.axhline(y, color="0.85", linewidth=0.6, linestyle=":")
    ax.text(0.5, y, _label("rows_hidden", lang, hidden=_count(hidden), what=Message(f"plot.{what}")),
            transform=ax.get_yaxis_transform(), ha="center", va="center", fontsize=7, color="0.35",
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})


def _shown_note(total: int, low: int, high: int, what: str, by: str, lang) -> str:
    return _label("rows_shown", lang, shown=_count(low + high), total=_count(total),
                  what=Message(f"plot.{what}"), low=_count(low), high=_count(high), by=Message(f"plot.{by}"))


def _note_title(*notes) -> str | None:
    """Notes heading a legend, both languages on lines of their own."""
    return "\n".join(n.replace(" / ", "\n") for n in notes if n) or None


def _scatter_style(count: int, size: float) -> dict:
    """Marker options: beyond :data:`MANY_POINTS` points, small, translucent and rasterized
    (a PDF or SVG then holds one image, not a path per point)."""
    if count <= MANY_POINTS:
        return {"s": size}
    return {"s": max(1.0, size / 6), "alpha": 0.35, "linewidths": 0, "rasterized": True}


def _definition_line(table, lang) -> str:
    definition = getattr(table, "attrs", {}).get("definition")
    if definition is not None and hasattr(definition, "describe"):
        # Say who counts as satisfied, as every output does.
        return _label("satisfied_is", lang, levels=definition.describe("en" if lang == "en" else "zh"))
    return ""


def _font_names() -> set:
    from matplotlib import font_manager

    return {f.name for f in font_manager.fontManager.ttflist}


def _add_new_cjk_fonts() -> None:
    """Make CJK fonts installed after matplotlib built its font cache known to it: the
    system's font files named like one of :data:`CJK_FONT_FAMILIES` that the font manager
    does not list yet are added to it (no need to delete ``~/.cache/matplotlib``)."""
    from matplotlib import font_manager

    known = {f.fname for f in font_manager.fontManager.ttflist}
    for path in font_manager.findSystemFonts():
        name = Path(path).name.lower().replace("_", "")
        if path not in known and any(hint in name for hint in _CJK_FILE_HINTS):
            try:
                font_manager.fontManager.addfont(path)
            except (RuntimeError, OSError, ValueError):  # unreadable font file: try the next one
                continue


def use_cjk_font() -> str | None:
    """The CJK font family the plots use: the first of :data:`CJK_FONT_FAMILIES` installed.

    CJK only: a CJK font may lack Latin letters and digits (Droid Sans Fallback has none),
    so give texts :func:`font_family` -- this family and a Latin one -- rather than this
    family alone. Returns None when no CJK font is installed (install Debian
    ``fonts-wqy-microhei`` or ``fonts-noto-cjk``; see the README). A font installed after
    matplotlib built its font cache is found without deleting the cache. Nothing global
    is changed besides making the font known to matplotlib's font manager.

    Examples
    --------
    >>> family = use_cjk_font()
    >>> family is None or isinstance(family, str)
    True
    """
    if _found:
        return _found[0]
    names = _font_names()
    family = next((f for f in CJK_FONT_FAMILIES if f in names), None)
    if family is None or family != CJK_FONT_FAMILIES[0]:  # (a family found: the tuple is not empty)
        # A better font may have been installed since the cache was built: look once.
        _add_new_cjk_fonts()
        names = _font_names()
        family = next((f for f in CJK_FONT_FAMILIES if f in names), None)
    _found.append(family)
    return family


def font_family() -> list:
    """The font families every text of these plots uses: a Latin one and a CJK one.

    Returns ``[LATIN_FONT_FAMILY, cjk]`` (``cjk`` from :func:`use_cjk_font`), or
    ``[LATIN_FONT_FAMILY]`` when no CJK font is installed. Matplotlib (3.6 and later)
    draws each character in the first family of the list that has it, so a text mixing
    Chinese and English -- and numbers on a log axis, which matplotlib draws with the
    first family only -- renders whole even with a CJK font that has no Latin letters
    (Droid Sans Fallback). Give it to texts a notebook draws itself, e.g.
    ``fig.suptitle("Items / 事项", fontfamily=plots.font_family())``; nothing global
    (``rcParams``) is changed.

    Examples
    --------
    >>> families = font_family()
    >>> families[0], len(families) in (1, 2)
    ('DejaVu Sans', True)
    """
    family = use_cjk_font()
    return [LATIN_FONT_FAMILY, family] if family else [LATIN_FONT_FAMILY]


_CJK_TEXT = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Matplotlib's warning for each character no font has, when the character is CJK.
_CJK_GLYPH_WARNING = r"Glyph \d+ \(\\N\{(CJK|FULLWIDTH|HALFWIDTH|IDEOGRAPHIC)"
_said_no_cjk: list = []


def _without_cjk_font(texts) -> None:
    """No CJK font installed but Chinese to draw: say so once, in place of matplotlib's
    warning per missing character (dozens per figure)."""
    import warnings

    if not any(_CJK_TEXT.search(t.get_text()) for t in texts):
        return
    # Only the per-character warnings about CJK characters are hidden; the one below says it.
    warnings.filterwarnings("ignore", message=_CJK_GLYPH_WARNING, category=UserWarning)
    if not _said_no_cjk:
        _said_no_cjk.append(True)
        warnings.warn(say("plot.no_cjk_font", "en") + " / " + say("plot.no_cjk_font", "zh"),
                      UserWarning, stacklevel=4)


def _axes(ax, figsize):
    """The given Axes, or new ones of ``figsize`` (constrained layout, so nothing clips)."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _fonts(ax, *more_axes):
    """Finish the texts of ``ax`` (and of extra Axes such as a colorbar): every title,
    label, legend entry, annotation and categorical tick label is plain text, and carries
    the CJK font when one is installed (tick labels made later at draw time too).

    Plain text: item names, titles and labels come from users' sheets, and matplotlib
    would read ``$...$`` in them as mathtext (an item named ``$\\undefinedcmd$`` stops
    the drawing with an error) or hand them to LaTeX under ``text.usetex``. Every plot
    function ends here, so this is the one place that turns both off, per Text object
    (``parse_math=False``, ``usetex=False``), never in the global ``rcParams``. Numeric
    tick labels are left alone: their formatters may use mathtext on purpose.
    """
    from matplotlib.ticker import FixedFormatter, FuncFormatter

    families = font_family()
    for axes in (ax, *more_axes):
        axes.tick_params(labelfontfamily=families)
        texts = [axes.title, axes._left_title, axes._right_title, axes.xaxis.label,
                 axes.yaxis.label, *axes.texts]
        legend = axes.get_legend()
        if legend is not None:
            texts += [*legend.get_texts(), legend.get_title()]
        ticks = [*axes.get_xticklabels(), *axes.get_yticklabels()]
        for axis in (axes.xaxis, axes.yaxis):
            # Labels given as text (set_ticklabels makes a FixedFormatter, or a FuncFormatter
            # in recent matplotlib): names from the data.
            if isinstance(axis.get_major_formatter(), (FixedFormatter, FuncFormatter)):
                for tick in axis.get_major_ticks():
                    texts += [tick.label1, tick.label2]
        for text in texts:
            text.set_parse_math(False)
            text.set_usetex(False)
        for text in [*texts, *ticks]:
            text.set_fontfamily(families)
        if len(families) == 1:
            _without_cjk_font([*texts, *ticks])
    return ax


def _n_beside(ax, y, sizes, fontsize, lang):
    """Each row's number of respondents right of the Axes (a secondary y axis, so the
    layout makes room for it), headed "n"; returns that axis."""
    counts = ax.secondary_yaxis("right")
    counts.set_yticks(y, labels=[_count(v) if pd.notna(v) else "" for v in sizes], fontsize=fontsize)
    counts.tick_params(length=0, pad=2)
    counts.spines["right"].set_visible(False)
    counts.set_ylabel(_label("n_header", lang), fontsize=7, rotation=0, ha="left", va="bottom")
    counts.yaxis.set_label_coords(1.0, 1.0)
    return counts


def _legend_below(ax, order=None, **options):
    """A legend under the Axes, so it never covers data.

    ``order`` (labels, in the order wanted) puts the entries in one row when there are six
    or fewer, so that a scale's levels read left to right as the bars do (none left alone
    on a second line)."""
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ncol = min(4, len(handles))
        if order is not None:
            position = {label: i for i, label in enumerate(order)}
            pairs = sorted(zip(handles, labels), key=lambda pair: position.get(pair[1], len(position)))
            handles, labels = [h for h, _ in pairs], [label for _, label in pairs]
            ncol = len(handles) if len(handles) <= 6 else -(-len(handles) // 2)
        # About 0.65 inch below the Axes (under the tick labels and the x label), whatever
        # the Axes' height.
        height = max(ax.get_position().height * ax.figure.get_figheight(), 0.5)
        ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.65 / height), ncol=ncol,
                  fontsize=7, frameon=False, **options)


def forest_plot(rates: pd.DataFrame, ax=None, label="item_id", threshold: float | None = None,
                sort: bool = True, title: str | None = None, lang=None,
                max_items: int | None = MAX_ROWS):
    """Forest plot of item rates with their confidence intervals.

    Parameters
    ----------
    rates : pandas.DataFrame
        Output of :func:`~survey_analysis.item_rates` (``rate``, ``ci_low``,
        ``ci_high``, ``n``, ``satisfied``, ``confidence_level``, ``method`` and the
        ``label`` column).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when None (its height follows the rows
        drawn).
    label : str, default "item_id"
        Column used for the item labels (e.g. ``name_zh`` after a merge).
    threshold : float, optional
        Draw a vertical reference line (e.g. a claimed or target rate).
    sort : bool, default True
        Sort items by rate, then by lower bound.
    title : str, optional
    lang : {None, "zh", "en"}
        Language of the labels (None: both).
    max_items : int or None, default :data:`MAX_ROWS`
        With more items, draw the lowest half of ``max_items`` and the highest rest
        (after sorting), a row between them saying how many are left out, and a legend
        note "showing k of N items" with the number of 100% items in all; the tables
        hold every item (:func:`rate_histogram` and :func:`funnel_plot` show them all).
        None draws every item (the figure then grows with them).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        For a ``max_items`` that is not a positive whole number or None.

    Notes
    -----
    Items where every respondent was satisfied are drawn as open red circles so a
    "100%" is never read without its interval. The axis label states the level and
    method of the intervals, read from the table. Each row's ``n`` is written right of
    the Axes. Long names keep their start and their end (what tells units of one place
    apart) and lose their middle, so no two rows read the same (names equal in the data
    are numbered); the figure widens for long Chinese names. The reference line is
    named in the legend with its value.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> rates = pd.DataFrame({"item_id": ["A", "B"], "n": [10, 20], "satisfied": [10, 18],
    ...                       "rate": [1.0, 0.9], "ci_low": [0.72, 0.70], "ci_high": [1.0, 0.97],
    ...                       "confidence_level": 0.9, "method": "wilson"})
    >>> ax = forest_plot(rates, threshold=0.95, lang="en")
    >>> len(ax.get_yticklabels()), ax.get_xlabel()
    (2, 'satisfaction rate, 90% wilson interval')
    >>> many = pd.DataFrame({"item_id": [f"U{i}" for i in range(500)], "n": 20,
    ...                      "satisfied": [10 + i % 11 for i in range(500)]})
    >>> many = many.assign(rate=many["satisfied"] / 20, ci_low=many["satisfied"] / 20 - 0.1,
    ...                    ci_high=1.0)
    >>> ax = forest_plot(many, lang="en")
    >>> len(ax.get_yticklabels()), ax.get_legend().get_title().get_text().splitlines()[0]
    (40, 'showing 40 of 500 items: the 20 lowest and the 20 highest rates')
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    threshold = check_threshold(threshold)
    data = rates.sort_values(["rate", "ci_low"], kind="stable") if sort else rates
    total = len(data)
    low_count, high_count = extremes_shown(total, max_items)
    data, y, gap = _ends(data, low_count, high_count)
    rows = rows_drawn(total, max_items)
    names, size = _short(data[label]), 5 if len(data) > 40 else 8
    ax = _axes(ax, row_figsize(total, max_items, width=_width(names, size)))
    rate = data["rate"].to_numpy(dtype=float)
    low, high = data["ci_low"].to_numpy(dtype=float), data["ci_high"].to_numpy(dtype=float)
    perfect = (data["satisfied"] == data["n"]).to_numpy()
    ax.hlines(y, low, high, color="0.45", linewidth=1)
    ax.plot(rate[~perfect], y[~perfect], "o", color="tab:blue", markersize=3,
            label=_label("rate", lang))
    ax.plot(rate[perfect], y[perfect], "o", markerfacecolor="none", color="tab:red", markersize=4,
            label=_label("all_satisfied", lang))
    if threshold is not None:
        ax.axvline(threshold, color="black", linestyle="--", linewidth=0.8,
                   label=_label("threshold", lang, value=_percent(threshold)))
    ax.set_yticks(y)
    ax.set_yticklabels(names, fontsize=size)
    ax.set_ylim(-1, rows)
    counts = _n_beside(ax, y, data["n"], size, lang)
    _gap(ax, gap, total - len(data), "items", lang)
    if "confidence_level" in data and "method" in data and len(data):
        xlabel = _label("rate_ci", lang, level=_percent(float(data["confidence_level"].iloc[0])),
                        method=str(data["method"].iloc[0]))
    else:
        xlabel = _label("rate_ci_plain", lang)
    definition = _definition_line(rates, lang)
    ax.set_xlabel(f"{xlabel}\n{definition}" if definition else xlabel)
    ax.set_xlim(max(0.0, float(np.nanmin(low)) - 0.02) if len(data) else 0.0, 1.01)
    if title:
        ax.set_title(title)
    notes = []
    if gap is not None:
        notes.append(_shown_note(total, low_count, high_count, "items", "by_rate", lang))
        everywhere = rates["satisfied"] == rates["n"]
        if everywhere.any():
            sizes = rates.loc[everywhere, "n"]
            notes.append(_label("perfect_all", lang, count=_count(everywhere.sum()),
                                low=_count(sizes.min()), high=_count(sizes.max())))
    _legend_below(ax, title=_note_title(*notes), title_fontsize=7)
    return _fonts(ax, counts)


def rate_histogram(rates: pd.DataFrame, ax=None, threshold: float | None = None,
                   bins: int | None = None, title: str | None = None, lang=None):
    """Histogram of the item rates, the items at 100% in a bar of their own.

    The view of every item when there are too many for one row each: its cost and
    size do not depend on the number of items.

    Parameters
    ----------
    rates : pandas.DataFrame
        Output of :func:`~survey_analysis.item_rates` (``rate``; ``n`` and
        ``satisfied`` tell the 100% items, else ``rate == 1``).
    ax : matplotlib.axes.Axes, optional
    threshold : float, optional
        Vertical reference line (e.g. a claimed or target rate).
    bins : int, optional
        Bins between the lowest rate and 100% (the 100% items are not binned). Default:
        bins no narrower than one answer of the median item (1 / median ``n``), so the
        steps of k / n do not show as spikes; between 5 and 40.
    title : str, optional
        Default: "Item satisfaction rates, N items".
    lang : {None, "zh", "en"}

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Observed rates spread more than the true rates (an item with few respondents
    lands in the tails by chance); :func:`funnel_plot` shows which spread chance
    explains. The bars count the rows of the table; nothing is estimated here.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> rates = pd.DataFrame({"n": [10, 20, 20, 40], "satisfied": [10, 18, 20, 36]})
    >>> ax = rate_histogram(rates.assign(rate=rates["satisfied"] / rates["n"]), lang="en")
    >>> ax.get_title(), [t.get_text() for t in ax.get_legend().get_texts()]
    ('Item satisfaction rates, 4 items', ['items below 100%', '100% (all satisfied)'])
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    from matplotlib.ticker import PercentFormatter

    check_cap("bins", bins)
    threshold = check_threshold(threshold)
    rate = rates["rate"].to_numpy(dtype=float)
    if {"n", "satisfied"} <= set(rates.columns):
        perfect = (rates["satisfied"] == rates["n"]).to_numpy()
    else:
        perfect = rate >= 1.0
    known = ~np.isnan(rate)
    below = rate[known & ~perfect]
    ax = _axes(ax, (7.0, 3.8))
    start = float(np.floor(below.min() * 50) / 50) if len(below) else 0.9
    start = min(start, 0.98)
    if bins is None:
        size = float(np.nanmedian(rates["n"])) if "n" in rates.columns and len(rates) else np.nan
        bins = int(np.clip(round((1.0 - start) * size), 5, 40)) if np.isfinite(size) else 40
    edges = np.linspace(start, 1.0, int(bins) + 1)
    counts, _ = np.histogram(below, bins=edges)
    width = edges[1] - edges[0]
    ax.stairs(counts, edges, fill=True, color="tab:blue", alpha=0.8, label=_label("below_100", lang))
    at_100 = int((known & perfect).sum())
    ax.bar([1.0 + 0.75 * width], [at_100], width=width, color="tab:red",
           label=_label("all_satisfied", lang))
    if threshold is not None:
        ax.axvline(threshold, color="black", linestyle="--", linewidth=0.8,
                   label=_label("threshold", lang, value=_percent(threshold)))
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0 if 1 - start >= 0.1 else 1))
    ax.set_xlim(start - width, 1.0 + 1.5 * width)
    definition = _definition_line(rates, lang)
    xlabel = _label("satisfaction", lang)
    ax.set_xlabel(f"{xlabel}\n{definition}" if definition else xlabel)
    ax.set_ylabel(_label("items_count", lang))
    ax.set_title(title or _label("histogram_title", lang, total=_count(int(known.sum()))), fontsize=10)
    _legend_below(ax)
    return _fonts(ax)


def coverage_plot(coverage: pd.DataFrame, ax=None, n=None, title: str | None = None, lang=None):
    """Coverage of interval methods against the true rate, for one ``n``.

    Parameters
    ----------
    coverage : pandas.DataFrame
        Output of :func:`~survey_analysis.estimate.coverage.exact_coverage`.
    ax : matplotlib.axes.Axes, optional
    n : int, optional
        Which ``n`` to draw; defaults to the smallest in the table.
    title : str, optional
    lang : {None, "zh", "en"}

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from survey_analysis.estimate.coverage import exact_coverage
    >>> table = exact_coverage(20, [0.9, 0.95, 0.99], methods=["wilson", "wald"])
    >>> ax = coverage_plot(table)
    >>> len(ax.get_lines())          # one line per method, plus the nominal level
    3
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    size = int(coverage["n"].min()) if n is None else int(n)
    data = coverage.loc[coverage["n"] == size]
    ax = _axes(ax, (6.0, 4.0))
    for method, group in data.groupby("method", sort=False):
        ax.plot(group["p"], group["coverage"], marker=".", linewidth=1, label=method)
    nominal = float(data["nominal"].iloc[0])
    ax.axhline(nominal, color="black", linestyle="--", linewidth=0.8,
               label=_label("nominal", lang, level=_percent(nominal)))
    ax.set_xlabel(_label("true_rate", lang))
    ax.set_ylabel(_label("coverage", lang))
    ax.set_title(title or _label("coverage_title", lang, n=size))
    _legend_below(ax)
    return _fonts(ax)


def funnel_plot(funnel: pd.DataFrame, ax=None, limits: pd.DataFrame | None = None,
                title: str | None = None, lang=None):
    """Funnel plot: item rates against their number of respondents, with control limits.

    Parameters
    ----------
    funnel : pandas.DataFrame
        Output of :func:`~survey_analysis.funnel_table` (``n``, ``rate``, ``target``
        and ``flag_*`` columns).
    ax : matplotlib.axes.Axes, optional
    limits : pandas.DataFrame, optional
        Output of :func:`~survey_analysis.funnel_limits` over a grid of ``n`` (the
        curves to draw). Without it only the target line is drawn. Limits at a single
        ``n`` (every item of one size) are drawn as short lines at that ``n``.
    title : str, optional
    lang : {None, "zh", "en"}

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Points are coloured by the table's own flags (exact one-sided tests), not by
    comparing them with the drawn curves: an item at 100% sits above the
    interpolated upper limit without being significantly above the target. The
    legend's levels are read from the limits table.

    Every item is drawn, at any number of items: beyond :data:`MANY_POINTS` points of
    a colour they are small, translucent (dense regions look darker) and rasterized.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd, survey_analysis as sa
    >>> rates = pd.DataFrame({"item_id": list("abc"), "n": [10, 40, 80], "satisfied": [10, 30, 78]})
    >>> table = sa.funnel_table(rates, target=0.95)
    >>> ax = funnel_plot(table, limits=sa.funnel_limits(range(5, 101, 5), 0.95))
    >>> ax.get_xlabel()
    'respondents per item / 每个事项的受访人数'
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    ax = _axes(ax, (7.0, 4.5))
    target = float(funnel["target"].iloc[0])
    if limits is not None:
        styles = {0: ("0.3", "--"), 1: ("0.5", ":")}
        for i, (level, group) in enumerate(limits.groupby("confidence_level", sort=True)):
            color, style = styles.get(i, ("0.6", "-."))
            text = _label("limits", lang, level=_percent(level))
            if group["n"].nunique() > 1:
                ax.plot(group["n"], group["lower"], color=color, linestyle=style, linewidth=1,
                        label=text)
                ax.plot(group["n"], group["upper"], color=color, linestyle=style, linewidth=1)
            elif len(group):  # every item of one size: the limits as short lines at that n
                size = float(group["n"].iloc[0])
                half = max(1.0, 0.15 * size)
                ax.hlines([float(group["lower"].iloc[0]), float(group["upper"].iloc[0])],
                          size - half, size + half, colors=color, linestyles=style, linewidth=1.2,
                          label=text)
    # grey and thicker than the frame, so that it never reads as an edge of the axes
    ax.axhline(target, color="tab:gray", linewidth=1.6,
               label=_label("target", lang, value=f"{target:.1%}"))
    flag_columns = [c for c in funnel.columns if c.startswith("flag_")]
    outer = funnel[flag_columns[-1]] if flag_columns else pd.Series("within", index=funnel.index)
    inner = funnel[flag_columns[0]] if flag_columns else outer
    for flag, color in (("within", "tab:blue"), ("above", "tab:green"), ("below", "tab:red")):
        mask = (inner == flag).to_numpy()
        if mask.any():
            ax.scatter(funnel["n"].to_numpy()[mask], funnel["rate"].to_numpy()[mask], color=color,
                       label=_label(flag, lang), zorder=3, **_scatter_style(int(mask.sum()), 14))
    strong = outer.isin(["above", "below"]).to_numpy()
    if strong.any():
        style = _scatter_style(int(strong.sum()), 60)
        style.pop("linewidths", None)
        ax.scatter(funnel["n"].to_numpy()[strong], funnel["rate"].to_numpy()[strong],
                   facecolors="none", edgecolors="black", label=_label("outer", lang), zorder=4,
                   **style)
    ax.set_xlabel(_label("respondents", lang))
    ax.set_ylabel(_label("satisfaction", lang))
    from matplotlib.ticker import PercentFormatter  # matplotlib is imported when a plot is drawn

    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title(title or _label("funnel", lang))
    _legend_below(ax)
    legend = ax.get_legend()
    for handle in legend.legend_handles if legend is not None else ():
        if hasattr(handle, "set_sizes") and handle.get_alpha() is not None:
            handle.set_alpha(1.0)  # legend markers at full size, however small the points
            handle.set_sizes([14.0 if handle.get_facecolor().size else 60.0])
    return _fonts(ax)


def _sides(levels: int, positive: int | None) -> dict:
    """Rank -> +1 (right of 0), -1 (left) or 0 (neutral, split around 0): the top
    ``positive`` levels right (without it, the top half); the middle level of an odd
    scale, when it is not among them, neutral; the others left."""
    middle = levels // 2 + 1 if levels % 2 else None
    if positive is None:
        positive = levels // 2
    return {r: (1 if r <= positive else 0 if r == middle else -1) for r in range(1, levels + 1)}


def diverging_bars(shares: pd.DataFrame, ax=None, by: str = "item_id",
                   max_groups: int | None = MAX_ROWS, title: str | None = None,
                   positive: int | None = None, lang=None):
    """Diverging stacked bars of the answer shares (satisfied to the right of 0).

    Parameters
    ----------
    shares : pandas.DataFrame
        Output of :func:`~survey_analysis.rating_shares` with ``by`` (columns
        ``rating``, ``rank``, ``share`` and the group column), for any scale.
    ax : matplotlib.axes.Axes, optional
    by : str, default "item_id"
        Group column (one bar per group); groups are sorted by their positive share.
    max_groups : int or None, default :data:`MAX_ROWS`
        With more groups, draw the lowest half of ``max_groups`` positive shares and
        the highest rest, a row between them saying how many are left out, and a legend
        note "showing k of N"; None draws every group. The figure's height follows
        the rows drawn.
    title : str, optional
    positive : int, optional
        How many top levels are drawn right of 0; default the satisfied levels of the
        definition in force (``shares.attrs["satisfied_levels"]``), else the top half
        of the scale. The middle level of an odd scale ("一般", "Neither good nor
        poor"), when not satisfied, is neutral: grey, split around 0; the satisfied
        levels are greens and the others reds.
    lang : {None, "zh", "en"}

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> shares = pd.DataFrame({"item_id": ["A"] * 3 + ["B"] * 3, "rating": ["满意", "基本满意", "不满意"] * 2,
    ...                        "rank": [1, 2, 3] * 2, "share": [0.6, 0.3, 0.1, 0.8, 0.2, 0.0]})
    >>> ax = diverging_bars(shares, positive=2)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['A', 'B']
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    from matplotlib import colormaps

    levels = shares.drop_duplicates("rank").sort_values("rank")[["rank", "rating"]]
    count = len(levels)
    if positive is None and shares.attrs.get("satisfied_levels"):
        positive = len(shares.attrs["satisfied_levels"])
    sides = _sides(count, positive)
    table = shares.pivot_table(index=by, columns="rank", values="share", aggfunc="sum",
                               observed=True).fillna(0.0)
    right_ranks = [r for r in table.columns if sides.get(r) == 1]
    order = table[right_ranks].sum(axis=1).sort_values(kind="stable").index
    total = len(order)
    low_count, high_count = extremes_shown(total, max_groups)
    table, y, gap = _ends(table.loc[order], low_count, high_count)
    rows = rows_drawn(total, max_groups)
    row_names, size = _short(table.index), 7 if len(table) > 25 else 9
    ax = _axes(ax, row_figsize(total, max_groups, width=_width(row_names, size), per_row=0.25, base=1.6,
                               minimum=2.5))
    # Satisfied levels in greens (darkest for the best), the others in reds (darkest for the
    # worst), a level split around 0 in grey.
    right_side = sorted(r for r in range(1, count + 1) if sides.get(r) == 1)
    left_side = sorted(r for r in range(1, count + 1) if sides.get(r) == -1)
    colors = {r: "#bdbdbd" for r in range(1, count + 1)}
    colors.update({r: colormaps["Greens"](0.85 - 0.45 * i / max(len(right_side) - 1, 1))
                   for i, r in enumerate(right_side)})
    colors.update({r: colormaps["Reds"](0.45 + 0.4 * i / max(len(left_side) - 1, 1))
                   for i, r in enumerate(left_side)})
    names = dict(zip(levels["rank"], levels["rating"]))
    split = [r for r in table.columns if sides.get(r) == 0]
    half = table[split].sum(axis=1).to_numpy() / 2 if split else np.zeros(len(table))
    right, left = half.copy(), -half.copy()
    for rank in split:
        ax.barh(y, table[rank].to_numpy(), left=-half, color=colors[rank], label=names.get(rank, rank))
    # the mildest levels next to 0, the strongest at the ends (as on the left)
    for rank in sorted((r for r in table.columns if sides.get(r) == 1), reverse=True):
        width = table[rank].to_numpy()
        ax.barh(y, width, left=right, color=colors[rank], label=names.get(rank, rank))
        right += width
    for rank in sorted(r for r in table.columns if sides.get(r) == -1):
        width = table[rank].to_numpy()
        ax.barh(y, -width, left=left, color=colors[rank], label=names.get(rank, rank))
        left -= width
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y)
    ax.set_ylim(-0.7, rows - 0.3)
    ax.set_yticklabels(row_names, fontsize=size)
    what = "items" if by in ("item_id", "name_zh", "name_en") else "groups"
    _gap(ax, gap, total - len(table), what, lang)
    ax.set_xlabel(_label("share", lang))
    ax.set_title(title or _label("answers_by", lang, by=by))
    note = _shown_note(total, low_count, high_count, what, "by_share", lang) if gap is not None \
        else None
    worst_first = [names.get(rank, rank) for rank in sorted(table.columns, reverse=True)]
    _legend_below(ax, order=worst_first, title=_note_title(note), title_fontsize=7)
    return _fonts(ax)


def sensitivity_plot(sensitivity: pd.DataFrame, ax=None, title: str | None = None,
                     threshold: float | None = None, lang=None):
    """The headline under each definition of "satisfied", with intervals.

    Parameters
    ----------
    sensitivity : pandas.DataFrame
        Output of :func:`~survey_analysis.definition_sensitivity` (the labels are its
        ``satisfied_levels``).
    ax : matplotlib.axes.Axes, optional
    title : str, optional
    threshold : float, optional
        Reference line (e.g. a claimed rate); None draws none.
    lang : {None, "zh", "en"}

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> table = pd.DataFrame({"definition": ["top_two_box", "top_box"], "estimand": ["pooled"] * 2,
    ...                       "satisfied_levels": ["满意 + 基本满意", "满意"],
    ...                       "estimate": [0.95, 0.65], "ci_low": [0.94, 0.62], "ci_high": [0.96, 0.68]})
    >>> ax = sensitivity_plot(table)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['满意 + 基本满意', '满意']
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    threshold = check_threshold(threshold)
    ax = _axes(ax, (6.5, 3.4))
    definitions = list(dict.fromkeys(sensitivity["definition"]))
    estimands = list(dict.fromkeys(sensitivity["estimand"]))
    offsets = np.linspace(-0.15, 0.15, len(estimands)) if len(estimands) > 1 else [0.0]
    for offset, estimand in zip(offsets, estimands):
        rows = sensitivity.loc[sensitivity["estimand"] == estimand].set_index("definition")
        rows = rows.reindex(definitions)
        y = np.arange(len(definitions)) + offset
        ax.errorbar(rows["estimate"], y, xerr=[rows["estimate"] - rows["ci_low"],
                                               rows["ci_high"] - rows["estimate"]],
                    fmt="o", capsize=3, markersize=4,
                    label=_label(estimand, lang) if f"plot.{estimand}" in CATALOGUE else estimand)
    # Rows named by the short label (one scale: its levels; several: "scale: levels"), the
    # full description only where a table has no label.
    column = next((c for c in (("label_zh", "label") if lang == "zh" else ("label",)) + ("satisfied_levels",)
                   if c in sensitivity), None)
    if column is not None:
        named = sensitivity.drop_duplicates("definition").set_index("definition")[column]
        labels = [_label("score_index", lang) if d == "score_index" else str(named[d]) for d in definitions]
    else:
        labels = definitions
    ax.set_yticks(np.arange(len(definitions)))
    ax.set_yticklabels(labels)
    ax.invert_yaxis()
    if threshold is not None:
        ax.axvline(threshold, color="black", linestyle="--", linewidth=0.8,
                   label=_label("threshold", lang, value=_percent(threshold)))
    ax.set_xlabel(_label("overall", lang))
    ax.set_title(title or _label("sensitivity", lang))
    _legend_below(ax)
    return _fonts(ax)


def count_at_100_plot(distribution, ax=None, observed: int | None = None,
                      claimed: tuple | None = None, claimed_label: str | None = None,
                      title: str | None = None, lang=None):
    """Distribution of the number of items at 100% that chance alone gives.

    Parameters
    ----------
    distribution : CountDistribution
        From :func:`~survey_analysis.count_at_100_distribution`.
    ax : matplotlib.axes.Axes, optional
    observed : int, optional
        The number of 100% items in the data (vertical line).
    claimed : (int, int), optional
        A claimed range to shade (from a claims file), e.g. ``(11, 19)``.
    claimed_label : str, optional
        The claim's own wording, added to the legend.
    title : str, optional
    lang : {None, "zh", "en"}

    Returns
    -------
    matplotlib.axes.Axes
        When chance alone puts no item at 100% (but 1 time in 1,000 or less), the legend
        says so instead of naming a count of 0.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import survey_analysis as sa
    >>> chance = sa.count_at_100_distribution([30] * 152, rate=0.95)
    >>> ax = count_at_100_plot(chance, observed=15)
    >>> ax.get_xlabel()
    'number of items at 100% / 满意度100%的事项数'
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    ax = _axes(ax, (6.5, 3.6))
    pmf = distribution.pmf
    low, high = distribution.interval(0.999)
    shown = pmf.loc[max(0, low - 3): high + 3]
    # Chance that puts no item at 100% (all but 1 in 1,000 times) is said as such, not
    # as "0 items" read like a finding.
    chance = _label("chance_none" if high == 0 else "chance", lang)
    if claimed is not None:
        text = _label("claimed", lang, low=f"{claimed[0]:g}", high=f"{claimed[1]:g}")
        ax.axvspan(claimed[0] - 0.5, claimed[1] + 0.5, color="#fdd0a2", alpha=0.6,
                   label=f"{text} ({claimed_label})" if claimed_label else text)
    if len(shown) <= 4 * MAX_ROWS:
        ax.bar(shown.index, shown.to_numpy(), color="tab:blue", width=0.8, label=chance)
    else:  # hundreds of counts (many items): one outline, not a bar per count
        edges = np.r_[shown.index.to_numpy(dtype=float), float(shown.index[-1]) + 1.0] - 0.5
        ax.stairs(shown.to_numpy(), edges, fill=True, color="tab:blue", label=chance)
    if observed is not None:
        ax.axvline(observed, color="tab:red", linewidth=1.5,
                   label=_label("in_data", lang, value=observed))
    ax.set_xlabel(_label("n_at_100", lang))
    ax.set_ylabel(_label("probability", lang))
    ax.set_title(title or _label("chance_title", lang))
    _legend_below(ax)
    return _fonts(ax)


def shrinkage_plot(shrunk: pd.DataFrame, ax=None, title: str | None = None, lang=None):
    """Observed against shrunken item rates, coloured by the number of respondents.

    Parameters
    ----------
    shrunk : pandas.DataFrame
        Output of :func:`~survey_analysis.shrink_rates` (``rate``, ``shrunken_rate``, ``n``).
    ax : matplotlib.axes.Axes, optional
    title : str, optional
    lang : {None, "zh", "en"}

    Returns
    -------
    matplotlib.axes.Axes
        One point per item; beyond :data:`MANY_POINTS` items, small, translucent and
        rasterized.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> table = pd.DataFrame({"rate": [1.0, 0.8], "shrunken_rate": [0.96, 0.85], "n": [10, 40]})
    >>> ax = shrinkage_plot(table)
    >>> ax.get_xlabel()
    'observed rate / 观测满意率'
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    ax = _axes(ax, (6.0, 4.5))
    points = ax.scatter(shrunk["rate"].to_numpy(), shrunk["shrunken_rate"].to_numpy(),
                        c=shrunk["n"].to_numpy(), cmap="viridis", **_scatter_style(len(shrunk), 18))
    low = float(min(shrunk["rate"].min(), shrunk["shrunken_rate"].min()))
    ax.plot([low, 1.0], [low, 1.0], color="0.6", linewidth=0.8, label=_label("no_shrinkage", lang))
    ax.set_xlabel(_label("observed_rate", lang))
    ax.set_ylabel(_label("shrunken_rate", lang))
    ax.set_title(title or _label("shrink_title", lang), fontsize=10)
    bar = ax.figure.colorbar(points, ax=ax, label=_label("respondents_n", lang))
    _legend_below(ax)
    return _fonts(ax, bar.ax)


def topics_plot(topics: pd.DataFrame, ax=None, top: int = 8, bottom: int = 3, title: str | None = None,
                lang=None):
    """Each coded topic's share among dissatisfied minus its share among satisfied answers,
    with its interval: the topics raised most by the dissatisfied at the top.

    Parameters
    ----------
    topics : pandas.DataFrame
        Output of :meth:`Survey.topics <survey_analysis.Survey.topics>` (``topic``,
        ``difference``, ``diff_ci_low``, ``diff_ci_high``; the level from
        ``.attrs["confidence_level"]``, default 95%).
    ax : matplotlib.axes.Axes, optional
    top, bottom : int, default 8 and 3
        How many topics with the largest and the smallest difference to draw (all when
        there are no more than ``top + bottom``).
    title : str, optional
    lang : {None, "zh", "en"}

    Returns
    -------
    matplotlib.axes.Axes
        One point and interval per topic, in percentage points, a line at 0.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> table = pd.DataFrame({"topic": ["waiting", "staff", "parking"], "difference": [0.12, -0.08, 0.01],
    ...                       "diff_ci_low": [0.09, -0.11, -0.01], "diff_ci_high": [0.15, -0.05, 0.03]})
    >>> ax = topics_plot(table, lang="en")
    >>> [t.get_text() for t in ax.get_yticklabels()]      # the largest difference at the top
    ['staff', 'parking', 'waiting']
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    ordered = topics.sort_values("difference", ascending=False, kind="stable").reset_index(drop=True)
    if len(ordered) > top + bottom:
        ordered = pd.concat([ordered.head(top), ordered.tail(bottom)])
    shown = ordered.iloc[::-1]
    ax = _axes(ax, (10.0, 0.4 * len(shown) + 1.6))
    y = np.arange(len(shown))
    middle = 100 * shown["difference"].to_numpy(dtype=float)
    ax.errorbar(middle, y, xerr=[middle - 100 * shown["diff_ci_low"].to_numpy(dtype=float),
                                 100 * shown["diff_ci_high"].to_numpy(dtype=float) - middle],
                fmt="o", color="tab:red", ecolor="0.5", capsize=3)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y)
    ax.set_yticklabels(shown["topic"].astype(str))
    ax.set_xlabel(_label("topics_x", lang))
    level = float(topics.attrs.get("confidence_level", 0.95))
    ax.set_title(title or _label("topics_title", lang, level=_percent(level)), fontsize=10)
    return _fonts(ax)


def rank_interval_plot(ranks: pd.DataFrame, ax=None, title: str | None = None, lang=None):
    """Each item's rank interval, items ordered by their mean simulated rank.

    Parameters
    ----------
    ranks : pandas.DataFrame
        Output of :func:`~survey_analysis.rank_intervals` (``rank_mean``,
        ``rank_median``, ``rank_low``, ``rank_high``, ``confidence_level``).
    ax : matplotlib.axes.Axes, optional
    title : str, optional
    lang : {None, "zh", "en"}

    Returns
    -------
    matplotlib.axes.Axes
        One vertical line (the interval) and one dot (the median) per item; beyond
        :data:`MANY_POINTS` items, one band of the intervals and one line of the
        medians, which look the same at a fixed cost.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> ranks = pd.DataFrame({"rank_mean": [1.2, 1.8], "rank_median": [1, 2], "rank_low": [1, 1],
    ...                       "rank_high": [2, 2], "confidence_level": 0.9})
    >>> ax = rank_interval_plot(ranks, lang="en")
    >>> bool(ax.yaxis_inverted()), ax.get_title()      # rank 1 (best) at the top
    (True, "90% intervals of each item's rank")
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    ax = _axes(ax, (10.0, 3.8))
    ordered = ranks.sort_values("rank_mean", kind="stable").reset_index(drop=True)
    x = ordered.index.to_numpy()
    if len(ordered) <= MANY_POINTS:
        ax.vlines(x, ordered["rank_low"], ordered["rank_high"], color="0.6", linewidth=1)
        ax.plot(x, ordered["rank_median"], "o", markersize=2.5, color="tab:blue")
    else:  # one band and one line: as the many vertical lines look, at a fixed cost
        ax.fill_between(x, ordered["rank_low"].to_numpy(dtype=float),
                        ordered["rank_high"].to_numpy(dtype=float), color="0.75", linewidth=0,
                        step="mid", rasterized=True)
        ax.plot(x, ordered["rank_median"].to_numpy(dtype=float), color="tab:blue", linewidth=0.8)
    ax.invert_yaxis()
    ax.set_xlabel(_label("rank_items", lang))
    ax.set_ylabel(_label("rank", lang))
    level = float(ranks["confidence_level"].iloc[0]) if "confidence_level" in ranks and len(ranks) \
        else None
    ax.set_title(title or (_label("rank_title", lang, level=_percent(level)) if level else ""))
    return _fonts(ax)


def power_curve_plot(sizes, power, ax=None, target_power: float = 0.8, marks: dict | None = None,
                     title: str | None = None, lang=None):
    """Power against the number of respondents (a step curve: power is saw-toothed in n).

    Parameters
    ----------
    sizes : array_like
        Numbers of respondents.
    power : array_like
        Power at each size, e.g. from :func:`~survey_analysis.lower_bound_power`.
    ax : matplotlib.axes.Axes, optional
    target_power : float, default 0.8
        Horizontal reference line.
    marks : dict of str -> int, optional
        Vertical lines to label, e.g. ``{"first n": 234, "stable n": 286}``.
    title : str, optional
    lang : {None, "zh", "en"}

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = power_curve_plot([10, 20, 30], [0.2, 0.5, 0.81], marks={"first n": 30})
    >>> ax.get_ylabel()
    'power / 检验功效'
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    ax = _axes(ax, (8.0, 3.8))
    ax.step(np.asarray(sizes), np.asarray(power), where="mid", linewidth=1)
    ax.axhline(target_power, color="black", linestyle="--", linewidth=0.8,
               label=_label("power_target", lang, level=_percent(target_power)))
    for (name, size), color in zip((marks or {}).items(), ("tab:orange", "tab:green", "tab:red")):
        ax.axvline(size, color=color, linewidth=1, label=f"{name} = {size}")
    ax.set_xlabel(_label("respondents_n", lang))
    ax.set_ylabel(_label("power", lang))
    ax.set_title(title or _label("power_title", lang))
    _legend_below(ax)
    return _fonts(ax)


def implied_designs_plot(table: pd.DataFrame, mean: float | None = None, ax=None,
                         title: str | None = None, lang=None):
    """Probability that a survey gives the published figures, by respondents per item.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`~survey_analysis.implied_designs`.
    mean : float, optional
        Which mean true rate to draw (one line per spread); default the mean with the
        highest probability in the table.
    ax : matplotlib.axes.Axes, optional
    title : str, optional
    lang : {None, "zh", "en"}

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import survey_analysis as sa
    >>> table = sa.implied_designs(60, 0.90, (3, 8), spread=[0, 0.02], mean=[0.93])
    >>> ax = implied_designs_plot(table, lang="en")
    >>> len(ax.get_lines()), ax.get_xlabel()
    (2, 'respondents per item')
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    if mean is None:
        mean = float(table.loc[table["probability"].idxmax(), "mean"])
    data = table.loc[np.isclose(table["mean"], mean)]
    if data.empty:
        raise SurveyError("present.plots.no_mean", mean=mean, means=sorted(set(table["mean"])))
    ax = _axes(ax, (7.0, 4.0))
    for spread, group in data.groupby("spread", sort=True):
        ax.plot(group["respondents_per_item"], group["probability"], marker="o", markersize=3,
                linewidth=1, label=_label("implied_spread", lang, spread=f"{spread:g}"))
    ax.set_xlabel(_label("implied_x", lang))
    ax.set_ylabel(_label("implied_y", lang))
    ax.set_ylim(-0.02, 1.02)
    # Bilingual labels on two lines: each language stays readable beside a second plot.
    ax.set_title(title or _label("implied_title", lang, mean=f"{mean:.1%}").replace(" / ", "\n"),
                 fontsize=10)
    ax.set_ylabel(ax.get_ylabel().replace(" / ", "\n"))
    ax.legend(title=_label("implied_legend", lang).replace(" / ", "\n"), fontsize=7, title_fontsize=7,
              loc="best", frameon=False)
    return _fonts(ax)


_CHANGE_COLORS = {"improved": "tab:green", "worsened": "tab:red", "no clear change": "0.55",
                  "in one round only": "0.8"}
ROUNDS_PLOT_KINDS = ("dumbbell", "slope")


def _change_name(change: str, zh: str | None, lang) -> str:
    """A verdict of :func:`~survey_analysis.compare_rounds` in the language asked for."""
    if lang == "en" or not zh:
        return change
    return zh if lang == "zh" else f"{change} / {zh}"


def rounds_plot(comparison, ax=None, kind: str = "dumbbell", label: str = "item_id",
                max_items: int | None = MAX_ROWS, title: str | None = None, lang=None):
    """Each item's satisfaction rate in two rounds, coloured by the verdict on its change.

    Parameters
    ----------
    comparison : RoundsComparison or pandas.DataFrame
        Result of :func:`~survey_analysis.compare_rounds`, or its ``.items`` table
        (e.g. merged with item names): ``rate_earlier``, ``rate_later``,
        ``difference``, ``change`` and the ``label`` column.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when None.
    kind : {"dumbbell", "slope"}, default "dumbbell"
        ``"dumbbell"``: one row per item, sorted by the difference, an open dot for the
        earlier round and a filled dot for the later one joined by a line.
        ``"slope"``: the two rounds side by side on the x axis, one line per item; the
        items that changed are drawn in colour and labelled, the others in grey.
    label : str, default "item_id"
        Column used for the item labels.
    max_items : int or None, default :data:`MAX_ROWS`
        Draw at most this many items: every item judged improved or worsened, then the
        largest absolute differences (the legend says how many are shown). None draws
        every item: the dumbbell figure then grows with them; the slope figure keeps its
        size, draws beyond :data:`MANY_POINTS` items one collection of lines, and names at
        most :data:`MAX_ROWS` changed items (the largest differences).
    title : str, optional
    lang : {None, "zh", "en"}
        Language of the labels (None: both).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        For an unknown ``kind``.

    Notes
    -----
    The colours are the comparison's own verdicts (``change``: improved / worsened after
    the multiplicity adjustment, no clear change, in one round only); nothing is
    tested here. The round names, the adjustment, the level and the definition of
    "satisfied" in the labels are read from the comparison.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> import survey_analysis as sa
    >>> first = pd.DataFrame({"item_id": list("AAAABBBB"), "scale": "yes_no",
    ...                       "rank": [1, 1, 2, 2, 1, 1, 1, 2], "round": "Q1"})
    >>> result = sa.compare_rounds(pd.concat([first, first.assign(rank=1, round="Q2")]))
    >>> ax = rounds_plot(result, lang="en")
    >>> [t.get_text() for t in ax.get_yticklabels()], ax.get_title()
    (['B', 'A'], 'Change per item, Q1 to Q2')
    >>> ax = rounds_plot(result, kind="slope", lang="en")
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['Q1', 'Q2']
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    from .._validation import check_choice

    check_choice("kind", kind, ROUNDS_PLOT_KINDS)
    if isinstance(comparison, pd.DataFrame):
        items, earlier, later = comparison, "earlier", "later"
        adjustment, level, definition = None, None, None
    else:
        items, earlier, later = comparison.items, comparison.earlier, comparison.later
        adjustment, level = comparison.pvalue_adjustment, comparison.confidence_level
        definition = comparison.definition
    missing = [c for c in ("rate_earlier", "rate_later", "difference", "change", label)
               if c not in items.columns]
    if missing:
        raise SurveyError("present.plots.rounds_columns", missing=missing)
    check_cap("max_items", max_items)
    data = items.reset_index(drop=True)
    total = len(data)
    if max_items is not None and total > max_items:
        changed = data["change"].isin(["improved", "worsened"])
        priority = pd.DataFrame({"changed": changed, "size": data["difference"].abs().fillna(-1.0)})
        keep = priority.sort_values(["changed", "size"], ascending=False, kind="stable").index
        data = data.loc[sorted(keep[:max_items])]
    data = data.sort_values("difference", kind="stable", na_position="first").reset_index(drop=True)
    zh_names = (dict(zip(items["change"], items["change_zh"])) if "change_zh" in items.columns
                else {})
    if not zh_names:
        from ..estimate.rounds import CHANGES  # here: the estimators are not plots' start-up

        zh_names = {c: say(f"change.{c}", "zh") for c in CHANGES}
    colors = data["change"].map(_CHANGE_COLORS).fillna("0.55").tolist()
    early = data["rate_earlier"].to_numpy(dtype=float)
    late = data["rate_later"].to_numpy(dtype=float)
    names = _short(data[label])
    present = [c for c in _CHANGE_COLORS if c in set(data["change"])]
    labelled = None
    if kind == "dumbbell":
        ax = _axes(ax, (7.0, max(3.0, 0.16 * len(data) + 2.2)))
        y = np.arange(len(data))
        ax.hlines(y, np.fmin(early, late), np.fmax(early, late), colors=colors, linewidth=1.6)
        ax.scatter(early, y, s=16, facecolors="white", edgecolors=colors, linewidths=1, zorder=3)
        ax.scatter(late, y, s=16, c=colors, zorder=3)
        ax.set_yticks(y)
        ax.set_yticklabels(names, fontsize=5 if len(data) > 40 else 7)
        ax.set_ylim(-1, len(data))
        # Legend entries: the two rounds' markers, then the verdicts' colours.
        ax.scatter([], [], s=16, facecolors="white", edgecolors="0.3",
                   label=str(earlier))
        ax.scatter([], [], s=16, c="0.3", label=str(later))
        for change in present:
            ax.plot([], [], color=_CHANGE_COLORS[change], linewidth=2,
                    label=_change_name(change, zh_names.get(change), lang))
        xlabel = _label("satisfaction", lang)
    else:
        ax = _axes(ax, (5.5, 5.5))
        changed = data["change"].isin(["improved", "worsened"]).to_numpy()
        many = len(data) > MANY_POINTS
        if many:  # one collection of lines, not a Line2D per item
            from matplotlib.collections import LineCollection

            palette = np.asarray(colors, dtype=object)
            for mask, width, alpha, order in ((~changed, 0.5, 0.35, 2), (changed, 1.2, 0.8, 3)):
                segments = np.stack([np.zeros(mask.sum()), early[mask], np.ones(mask.sum()),
                                     late[mask]], axis=1).reshape(-1, 2, 2)
                ax.add_collection(LineCollection(segments, colors=list(palette[mask]), linewidths=width,
                                                 alpha=alpha, zorder=order, rasterized=True))
            ax.autoscale_view()
        else:
            for i in np.flatnonzero(~changed):
                ax.plot([0, 1], [early[i], late[i]], color=colors[i], linewidth=0.7, alpha=0.6,
                        marker="o", markersize=2)
            for i in np.flatnonzero(changed):
                ax.plot([0, 1], [early[i], late[i]], color=colors[i], linewidth=1.8, marker="o",
                        markersize=3.5, zorder=3)
        # Names beside the changed items, at most MAX_ROWS (the largest differences).
        named = np.flatnonzero(changed)
        if len(named) > MAX_ROWS:
            sizes = np.abs(late[named] - early[named])
            named = np.sort(named[np.argsort(-sizes, kind="stable")[:MAX_ROWS]])
            labelled = _label("labelled", lang, shown=_count(len(named)),
                              total=_count(int(changed.sum())))
        for i in named:
            ax.annotate(names[i], (1, late[i]), xytext=(4, 0), textcoords="offset points",
                        va="center", fontsize=7, color=colors[i])
        for change in present:
            ax.plot([], [], color=_CHANGE_COLORS[change], linewidth=2,
                    label=_change_name(change, zh_names.get(change), lang))
        ax.set_xticks([0, 1])
        ax.set_xticklabels([earlier, later])
        ax.set_xlim(-0.25, 1.35)
        ax.set_ylabel(_label("satisfaction", lang))
        xlabel = ""
    definition_line = ""
    if definition is not None and hasattr(definition, "describe"):
        # Say who counts as satisfied, as every output does.
        definition_line = _label("satisfied_is", lang,
                                 levels=definition.describe("en" if lang == "en" else "zh"))
    ax.set_xlabel("\n".join(t for t in (xlabel, definition_line) if t))
    notes = []
    if adjustment is not None:
        judged = int(items["change"].isin(["improved", "worsened", "no clear change"]).sum())
        notes.append(_label("rounds_verdict", lang, m=judged, level=_percent(level),
                            adjustment=str(adjustment).replace("_", "-").title()))
    if len(data) < total:
        notes.append(_label("rounds_shown", lang, shown=_count(len(data)), total=_count(total)))
    if labelled:
        notes.append(labelled)
    ax.set_title(title or _label("rounds_title", lang, earlier=earlier, later=later), fontsize=10)
    # The notes head the legend under the Axes; both languages on lines of their own.
    _legend_below(ax, title="\n".join(n.replace(" / ", "\n") for n in notes) or None,
                  title_fontsize=7)
    return _fonts(ax)


def denominator_plot(check: pd.DataFrame, ax=None, title: str | None = None, lang=None,
                     max_rows: int | None = MAX_ROWS):
    """Each published rate's rounding window beside the rate each candidate denominator gives.

    Parameters
    ----------
    check : pandas.DataFrame
        Output of :func:`~survey_analysis.check_denominators` (``row``, ``candidate``,
        ``share``, ``window_low``, ``window_high``, ``reproduces``).
    ax : matplotlib.axes.Axes, optional
    title : str, optional
    lang : {None, "zh", "en"}
    max_rows : int or None, default :data:`MAX_ROWS`
        With more rows, draw this many: the rows that no candidate reproduces first,
        then the others, in the table's order; the legend says how many of how many.
        None draws every row.

    Returns
    -------
    matplotlib.axes.Axes
        One grey band per row (the values that round to the published rate) and one
        marker per row and candidate at ``count / denominator``: filled when it rounds to
        the published rate, hollow when it does not.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> import survey_analysis as sa
    >>> table = pd.DataFrame({"unit": ["A"], "bad": [8], "rate": ["9%"], "all": [99], "hotline": [87]})
    >>> check = sa.check_denominators(table, "bad", "rate", ["all", "hotline"], label="unit")
    >>> ax = denominator_plot(check, lang="en")
    >>> ax.get_xlabel()
    'rate = count / denominator (%)'
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    check_cap("max_rows", max_rows)
    rows = list(dict.fromkeys(check["row"]))
    total = len(rows)
    if max_rows is not None and total > max_rows:
        reproduced = check.groupby("row", sort=False)["reproduces"].any().reindex(rows)
        first = [r for r in rows if not reproduced[r]] + [r for r in rows if reproduced[r]]
        keep = set(first[:max_rows])
        rows = [r for r in rows if r in keep]
        check = check.loc[check["row"].isin(keep)]
    ax = _axes(ax, (7.0, 1.8 + 0.45 * len(rows)))
    y = np.arange(len(rows), dtype=float)
    windows = check.drop_duplicates("row").set_index("row").reindex(rows)
    ax.barh(y, windows["window_high"] - windows["window_low"], left=windows["window_low"],
            height=0.7, color="0.85", label=_label("window", lang))
    candidates = list(dict.fromkeys(check["candidate"]))
    offsets = np.linspace(-0.2, 0.2, len(candidates)) if len(candidates) > 1 else [0.0]
    colors = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown")
    for i, (offset, candidate) in enumerate(zip(offsets, candidates)):
        part = check.loc[check["candidate"] == candidate].set_index("row").reindex(rows)
        hit = part["reproduces"].fillna(False).to_numpy(dtype=bool)
        color = colors[i % len(colors)]
        ax.plot(part["share"][hit], (y + offset)[hit], linestyle="none", marker="o",
                color=color, label=str(candidate))
        ax.plot(part["share"][~hit], (y + offset)[~hit], linestyle="none", marker="o",
                markerfacecolor="none", color=color, label="_nolegend_")
    ax.set_yticks(y)
    ax.set_yticklabels([str(r) for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel(_label("denominator_x", lang))
    ax.set_title(title or _label("denominator_title", lang))
    shown = _label("denominator_shown", lang, shown=_count(len(rows)), total=_count(total)) \
        if len(rows) < total else None
    _legend_below(ax, title=_note_title(_label("filled", lang), shown), title_fontsize=7)
    return _fonts(ax)


def control_chart(table: pd.DataFrame, ax=None, group=None, title: str | None = None, lang=None):
    """Control chart of a rate tracked over periods: rates, centre line, limits, signals.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`~survey_analysis.track` (``period``, ``rate``, ``center``,
        ``lcl``, ``ucl``, ``signal``; its ``.attrs["chart"]`` names the chart).
    ax : matplotlib.axes.Axes, optional
    group : optional
        With a table made with ``by=``, the group to draw (required: one chart per group).
    title : str, optional
    lang : {None, "zh", "en"}

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    The rate of each period is a line with points (periods without answers leave a
    gap); the centre line is drawn across, the limits as steps (they move with each
    period's n); points where a rule fired are drawn in orange and named in the legend
    (the table's ``rule`` column says which rule). Tick labels are the periods, turned
    when there are many.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import survey_analysis as sa
    >>> table = sa.track(sa.generate_synthetic_monthly(), "month", baseline=15)
    >>> ax = control_chart(table, lang="en")
    >>> ax.get_xlabel()
    'period'
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    by = table.attrs.get("by")
    if by is None and len(table.columns) and table.columns[0] != "period":
        by = table.columns[0]
    if by is not None:
        groups = list(pd.unique(table[by]))
        if group is None or group not in groups:
            raise SurveyError("plot.control_needs_group", by=by, value=group,
                              groups=", ".join(map(repr, groups[:20])))
        table = table.loc[table[by] == group]
    ax = _axes(ax, (max(6.5, min(12.0, 0.35 * len(table) + 3.0)), 4.0))
    x = np.arange(len(table), dtype=float)
    rate = table["rate"].to_numpy(dtype=float)
    ax.plot(x, rate, color="tab:blue", linewidth=1.2, marker="o", markersize=4,
            label=_label("control_rate", lang), zorder=3)
    center = table["center"].to_numpy(dtype=float)
    if np.isfinite(center).any():
        value = float(center[np.isfinite(center)][0])
        ax.plot(x, center, color="tab:gray", linewidth=1.4,
                label=_label("control_center", lang, value=f"{value:.1%}"))
    edges = np.r_[x - 0.5, x[-1] + 0.5] if len(x) else x
    if len(x):
        for column, label in (("lcl", _label("control_limits", lang)), ("ucl", None)):
            ax.stairs(table[column].to_numpy(dtype=float), edges, color="0.35", linestyle="--",
                      linewidth=1.0, baseline=None, label=label)
    signal = table["signal"].to_numpy(dtype=bool)
    if signal.any():
        ax.scatter(x[signal], rate[signal], s=46, color="tab:orange", edgecolors="black",
                   linewidths=0.6, zorder=4, label=_label("control_signal", lang))
    periods = [str(p) for p in table["period"].tolist()]
    ax.set_xticks(x, labels=periods, rotation=45 if len(periods) > 8 else 0,
                  ha="right" if len(periods) > 8 else "center", fontsize=7)
    ax.set_xlim(-0.7, len(x) - 0.3)
    ax.set_xlabel(_label("period", lang))
    ax.set_ylabel(_label("control_rate", lang))
    from matplotlib.ticker import PercentFormatter  # matplotlib is imported when a plot is drawn

    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    chart = {"laney": "Laney p'", "p": "p"}.get(table.attrs.get("chart"), str(table.attrs.get("chart", "")))
    if title is None:
        title = (_label("control_title_group", lang, group=str(group), chart=chart) if by is not None
                 else _label("control_title", lang, chart=chart))
    ax.set_title(title)
    _legend_below(ax, title=_note_title(_definition_line(table, lang)) or None, title_fontsize=7)
    return _fonts(ax)
