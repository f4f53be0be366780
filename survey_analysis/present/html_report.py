"""A self-contained HTML report (figures embedded) plus the tables as CSV and Excel.

Presentation only: every number comes from one :class:`~survey_analysis.analysis.Analysis`;
this module formats it, entirely in Chinese (``lang="zh"``) or entirely in English
(``lang="en"``). Every label that states a level, a method or a definition is read from
the analysis. Figures are drawn on matplotlib ``Figure`` objects, never through pyplot,
so a notebook's backend and open figures are left alone.

The page stays readable and small at any number of items: figures with a row per item
draw at most :data:`MAX_FIGURE_ITEMS` rows (the lowest and the highest) and a histogram of
every item's rate is added; tables show at most :data:`MAX_TABLE_ROWS` rows. Each capped
figure or table says how many of how many it shows and which CSV / Excel sheet holds all.
"""

from __future__ import annotations

import base64
import io
from datetime import date
from functools import cache
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup

from .._validation import check_choice
from ..analysis import Analysis, analyze
from ..load.report import reason_text, shown_source
from ..words import CATALOGUE, Message, headline_number, say
from . import plots
from .layout import extremes_shown, row_figsize
from .tables import banner_frame, chance_sentence

__all__ = ["LANGUAGES", "MAX_FIGURE_ITEMS", "MAX_TABLE_ROWS", "render_html", "report_figures",
           "write_report"]

LANGUAGES = ("zh", "en")
#: Items (groups) drawn one per row in a figure; beyond this the lowest and the highest are
#: drawn, the caption says how many of how many, and a histogram of every item's rate is added.
MAX_FIGURE_ITEMS = plots.MAX_ROWS
#: Rows of a table shown in the HTML (the lowest and highest item rates, the first rows of
#: other tables); the page says so, and the full tables are in the CSV and Excel files. A
#: survey of up to 200 items keeps its whole item table in the page.
MAX_TABLE_ROWS = 200
#: Tables longer than this go to CSV only (tables.xlsx lists them on its first sheet, and the
#: page says where each long table is): Excel is slow to write (XlsxWriter, some 2*10^4 rows
#: a second) and to open, so the workbook's cost stays bounded however many items there are.
MAX_EXCEL_ROWS = 20_000

def _column(name: str, lang: str) -> str:
    """A column name in prose: the item column is "items" / "事项"."""
    return say("plot.items", "zh" if lang == "zh" else "en") if name == "item_id" else name


def _scale_line(report, lang: str) -> str:
    """The scales of the load report in ``lang``: each scale's levels and its satisfied
    ones; a table of counts says it has no answer scale (its two counts are its own)."""
    scales = getattr(report, "scales", {}) or {}
    if not scales:
        return _t("scale_none", lang)
    if list(scales) == ["counts"]:
        return _t("scale_counts", lang)
    parts = [_t("scale_part", lang, name=name,
                levels=" / ".join(scale.level_label(level, lang) for level in scale.levels),
                satisfied=scale.describe(lang=lang))
             for name, scale in scales.items()]
    return _t("scale_line", lang, parts=_t("scale_sep", lang).join(parts)) + _t("scale_names", lang)


@cache
def _environment() -> jinja2.Environment:
    """The templates of ``present/templates`` (package data), autoescaped."""
    return jinja2.Environment(loader=jinja2.PackageLoader("survey_analysis.present", "templates"),
                              autoescape=True, undefined=jinja2.StrictUndefined)


def _t(key: str, lang: str, **values) -> str:
    """The report's sentence ``report.<key>`` of the catalogue."""
    return say(f"report.{key}", "zh" if lang == "zh" else "en", **values)


def _word(prefix: str, key: str, lang: str) -> str:
    """``prefix.key`` of the catalogue in ``lang``; the key itself when there is no entry."""
    code = f"{prefix}.{key}"
    return say(code, "zh" if lang == "zh" else "en") if code in CATALOGUE else str(key)


def _interval_name(method: str, lang: str) -> str:
    """An item interval's name in ``lang`` with its code in brackets ("威尔逊得分（wilson）")."""
    return _word("report.ci", method, lang)


def _pct(level: float) -> str:
    return f"{level:.1%}".replace(".0%", "%")


def _name_column(analysis: Analysis, lang: str) -> str:
    preferred = "name_zh" if lang == "zh" else "name_en"
    rates = analysis.item_rates
    if preferred in rates and rates[preferred].notna().all():
        return preferred
    return analysis.survey.item


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def _figure(size):
    # A bare Figure with the Agg canvas: nothing goes through pyplot or the user's backend.
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, layout="constrained")
    return figure, figure.add_subplot()


def _count(value) -> str:
    return f"{int(value):,}"


def _items_part(total: int, lang: str, by_share: bool = False, what: str = "items") -> str:
    """Which items a capped figure shows, for its caption ("showing k of N ...")."""
    low, high = extremes_shown(total, MAX_FIGURE_ITEMS)
    lang = "zh" if lang == "zh" else "en"
    if low + high >= total:
        return _t("items_all", lang, total=_count(total), what=Message(f"plot.{what}"))
    # The words the figure's own legend uses.
    return say("plot.rows_shown", lang, shown=_count(low + high), total=_count(total),
               what=Message(f"plot.{what}"), low=_count(low), high=_count(high),
               by=Message("plot.by_share" if by_share else "plot.by_rate"))


def _published(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``table`` a publication rule lets be published (all without a rule):
    figures draw a point or a row per published unit only."""
    if table is None or "suppressed" not in table:
        return table
    return table.loc[~table["suppressed"].to_numpy(dtype=bool)].reset_index(drop=True)


def _n_at_100(analysis: Analysis) -> int:
    """Items at 100% in the data, publishable or not."""
    return getattr(analysis, "n_items_at_100", len(analysis.items_at_100))


def report_figures(analysis: Analysis, lang: str = "zh") -> dict:
    """Every figure of the report as PNG bytes, with its caption: name -> (png, caption).

    Figures with a row per item (or group) draw at most :data:`MAX_FIGURE_ITEMS` rows,
    the lowest and the highest, and their caption says how many of how many; beyond
    that many items a histogram of every item's rate is added (the funnel plot shows
    every item too). Figure sizes follow the rows drawn, never the number of items.
    Under a publication rule (``analyze(..., suppress=...)``) the rows it hides are not
    drawn: the figures show only what may be published.
    """
    check_choice("lang", lang, LANGUAGES)
    level = _pct(analysis.confidence_level)
    out = {}
    rates = _published(analysis.item_rates)
    total = len(rates)
    capped = total > MAX_FIGURE_ITEMS
    label = _name_column(analysis, lang)
    fig, ax = _figure(row_figsize(total, MAX_FIGURE_ITEMS, width=7.5, per_row=0.14, base=2.0))
    plots.forest_plot(rates, ax=ax, label=label, threshold=analysis.threshold, lang=lang,
                      max_items=MAX_FIGURE_ITEMS)
    part = _items_part(total, lang) + (_t("every_item_files", lang) if capped else "")
    line = (_t("dashed", lang, threshold=_pct(analysis.threshold))
            if analysis.threshold is not None else "")
    method = rates["method"].iloc[0] if total else analysis.interval
    out["forest"] = (_png(fig), _t("forest_caption", lang, level=level,
                                   method=_interval_name(method, lang), part=part, line=line))
    if capped:
        fig, ax = _figure((7.0, 3.8))
        plots.rate_histogram(rates, ax=ax, threshold=analysis.threshold, lang=lang)
        out["rate_distribution"] = (_png(fig), _t("histogram_caption", lang, total=_count(total),
                                                  line=line))
    if len(analysis.funnel) and "funnel" not in analysis.not_computed:
        fig, ax = _figure((7.0, 4.6))
        funnel = _published(analysis.funnel)
        plots.funnel_plot(funnel, ax=ax, limits=analysis.funnel_limits, lang=lang)
        levels = " / ".join(_pct(v) for v in sorted(set(analysis.funnel_limits["confidence_level"]))) \
            if analysis.funnel_limits is not None else ""
        every = _t("funnel_every", lang, count=_count(len(funnel)))
        out["funnel"] = (_png(fig), _t("funnel_caption", lang, every=every, levels=levels))
    if analysis.sensitivity is not None:
        fig, ax = _figure((6.8, 3.6))
        plots.sensitivity_plot(analysis.sensitivity, ax=ax, threshold=analysis.threshold, lang=lang)
        out["definition_sensitivity"] = (_png(fig), _t("sensitivity_caption", lang, level=level))
    if analysis.tracking is not None and analysis.tracking["n"].sum() > 0:
        fig, ax = _figure((7.5, 3.8))
        plots.control_chart(analysis.tracking, ax=ax, lang=lang)
        out["control_chart"] = (_png(fig), _t("tracking_caption", lang, period=analysis.period))
    claimed = analysis.claimed_range("items_at_100")
    if analysis.chance is not None and (claimed or _n_at_100(analysis)
                                        or analysis.chance.interval(analysis.confidence_level)[1] > 0):
        # (a bar at 0 beside an observed 0 shows nothing: the note under the table says it)
        fig, ax = _figure((6.8, 3.8))
        # Chance is about every item: the observed count is every item at 100%, listed or not.
        plots.count_at_100_plot(analysis.chance, ax=ax, observed=_n_at_100(analysis),
                                claimed=claimed[:2] if claimed else None,
                                claimed_label=claimed[2] if claimed else None, lang=lang)
        band = _t("claimed_band", lang) if claimed else ""
        out["items_at_100_by_chance"] = (_png(fig), _t("chance_caption", lang, band=band))
    if analysis.shares is not None and len(_published(analysis.shares)):
        shares = _published(analysis.shares)
        groups = shares[analysis.survey.item].nunique()
        if label != analysis.survey.item:
            names = rates.set_index(analysis.survey.item)[label]
            shares = shares.assign(**{label: shares[analysis.survey.item].map(names)})
        scale = next(iter(analysis.survey.scales.values()))
        # Labelled once per level, not once per row (a row per item and level).
        labels = {level: scale.level_label(level, lang) for level in pd.unique(shares["rating"])}
        shares = shares.assign(rating=shares["rating"].map(labels))
        shares.attrs["satisfied_levels"] = next(iter(analysis.definition.levels.values()))
        fig, ax = _figure(row_figsize(groups, MAX_FIGURE_ITEMS, width=7.5, per_row=0.26,
                                             base=2.0, minimum=2.8))
        plots.diverging_bars(shares, by=label, ax=ax, max_groups=MAX_FIGURE_ITEMS, lang=lang,
                             title=_t("answers_title", lang))
        part = _items_part(groups, lang, by_share=True)
        if groups > MAX_FIGURE_ITEMS:
            part += _t("every_item_shares", lang)
        out["answer_distribution"] = (_png(fig), _t("shares_caption", lang, part=part))
    if analysis.groups is not None and len(_published(analysis.groups)):
        count = len(_published(analysis.groups))
        fig, ax = _figure(row_figsize(count, MAX_FIGURE_ITEMS, per_row=0.3, base=1.8,
                                             minimum=2.5))
        plots.forest_plot(_published(analysis.groups), ax=ax, label=analysis.by, threshold=analysis.threshold,
                          lang=lang, max_items=MAX_FIGURE_ITEMS)
        part = "" if count <= MAX_FIGURE_ITEMS else _t(
            "every_group", lang, part=_items_part(count, lang, what="groups"))
        out["groups"] = (_png(fig), _t("groups_caption", lang, by=analysis.by, level=level, part=part))
    return out


def _format_value(value, column: str = "") -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return "—" if value is pd.NA else ""
    if isinstance(value, (bool, np.bool_)):
        return "✓" if value else "✗"
    if isinstance(value, (float, np.floating)):
        if column in ("rate", "ci_low", "ci_high", "lower_bound", "estimate", "share", "center", "lcl", "ucl"):
            return f"{value:.1%}" if column != "estimate" or value <= 1 else f"{value:,.4g}"
        return f"{value:,.4g}"
    return str(value)


def _cell(text, num: bool = False, cls: str | None = None, span: str | None = None,
          small: str | None = None) -> dict:
    """A table cell for the templates: its text, right-aligned when ``num``, a class, a
    class of a ``<span>`` around the text, and a second line in small print."""
    return {"text": text, "num": num, "cls": cls, "span": span, "small": small}


def _row_cells(values, columns) -> list:
    return [_cell(_format_value(value, column),
                  num=isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool))
            for column, value in zip(columns, values)]


def _table(table: pd.DataFrame, columns: list, lang: str, max_rows: int | None = MAX_TABLE_ROWS,
           name: str | None = None, ends: bool = False, head: dict | None = None) -> dict:
    """A table for the templates of at most ``max_rows`` rows: the first ones, or with
    ``ends`` the first and the last half (a table sorted by rate: the lowest and the
    highest). A capped table says how many rows it shows and names the CSV and the Excel
    sheet ``name`` that hold them all. ``head`` names columns otherwise named by the
    catalogue's ``column.*`` words (or themselves)."""
    columns = [c for c in columns if c in table.columns]
    head = head or {}
    total = len(table)
    capped = max_rows is not None and total > max_rows
    if capped and ends:
        low, high = extremes_shown(total, max_rows)
    else:
        low, high = (total, 0) if not capped else (max_rows, 0)
    out = {"head": [head.get(c) or _word("column", c, lang) for c in columns],
           "rows": [_row_cells(row, columns) for row in table.head(low)[columns].itertuples(index=False)],
           "hidden": "", "tail": [], "note": ""}
    if capped and high:
        out["hidden"] = _t("hidden_rows", lang, n=_count(total - low - high))
        out["tail"] = [_row_cells(row, columns) for row in table.tail(high)[columns].itertuples(index=False)]
    if capped:
        name = name or "tables"
        where = _t("in_both" if total <= MAX_EXCEL_ROWS else "in_csv", lang, name=name)
        out["note"] = _t("end_rows", lang, low=_count(low), high=_count(high), total=_count(total),
                         where=where) if high else \
            _t("first_rows", lang, shown=_count(low), total=_count(total), where=where)
    return out


def _verdict_class(verdict: str) -> str:
    return {"supported": "supported", "contradicted": "contradicted"}.get(verdict, "consistent")


def _headline(analysis: Analysis, lang: str) -> dict:
    zh = lang == "zh"
    with_claims = analysis.checks is not None
    level = _pct(analysis.confidence_level)
    head = [_t("measure", lang), _t("estimate_ci", lang, level=level)]
    if with_claims:
        head += [_t("published", lang), _t("verdict", lang)]
    rows = []
    for row in analysis.headline.itertuples(index=False):
        if pd.isna(row.ci_low):
            value = headline_number(row.estimate, missing="")
        else:
            value = f"{row.estimate:.1%} [{row.ci_low:.1%}, {row.ci_high:.1%}]"
        cells = [_cell(row.measure_zh if zh else row.measure_en), _cell(value, num=True)]
        if with_claims:
            cells += [_cell(str(row.published if zh else row.claimed)),
                      _cell(row.verdict_zh if zh else row.verdict, span=_verdict_class(row.verdict))]
        rows.append(cells)
    return {"head": head, "rows": rows, "hidden": "", "tail": [], "note": ""}


def _claims(analysis: Analysis, lang: str) -> dict:
    zh = lang == "zh"
    checks = analysis.checks
    translations = analysis.claims.set_index("id")["translation_en"].to_dict()
    rows = []
    for row in checks.itertuples(index=False):
        bounds = "" if pd.isna(row.ci_low) else f"[{row.ci_low:.3f}, {row.ci_high:.3f}]"
        estimand = _word("estimand", row.estimand, lang)
        if row.estimand.startswith("item "):
            estimand = _t("item", lang, item=row.estimand[5:])
        quote = row.quote if zh else (translations.get(row.claim_id) or row.quote)
        rows.append([_cell((row.wording if zh else "") or row.claimed, small=quote), _cell(estimand),
                     _cell(_format_value(row.estimate), num=True), _cell(bounds, num=True),
                     _cell(row.verdict_zh if zh else _word("verdict", row.verdict, "en"),
                           cls=_verdict_class(row.verdict)),
                     _cell(row.detail_zh if zh else row.detail)])
    head = [_word("column", c, lang)
            for c in ("claimed", "estimand", "estimate", "ci_low", "verdict", "detail")]
    note = ""
    skipped = checks.attrs.get("not_checked")
    if skipped is not None and len(skipped):
        ids = ", ".join(skipped["id"].head(8)) + (" …" if len(skipped) > 8 else "")
        note = _t("not_checked", lang, n=len(skipped), ids=ids)
    return {"head": head, "rows": rows, "hidden": "", "tail": [], "note": note}


def _shown_rows(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``table`` as the page shows it: a row a publication rule hides says "suppressed" (已按
    规则隐藏) in its rate column; its ``n`` stays and its other results are blank."""
    if "suppressed" not in table or not table["suppressed"].any():
        return table
    hidden = table["suppressed"].to_numpy(dtype=bool)
    rate = table["rate"].astype(object)
    rate[hidden] = _t("suppressed_cell", lang)
    return table.assign(rate=rate)


def _suppression(analysis: Analysis, lang: str) -> list | None:
    """The publication rule in force and what it hid, sentence by sentence (None without a
    rule)."""
    rule = getattr(analysis, "suppression", None)
    if rule is None:
        return None
    lang = "zh" if lang == "zh" else "en"
    lines = [_t("suppression_rule", lang, title=rule.title.render(lang), minimum=rule.minimum_n),
             _t("suppression_source", lang, source=rule.source.render(lang))]
    items = analysis.item_rates
    lines.append(_t("suppression_items", lang, hidden=_count(items["suppressed"].sum()),
                    total=_count(len(items))))
    hidden_100 = (analysis.items_at_100.attrs.get("suppression") or {}).get("hidden", 0)
    if hidden_100:
        lines.append(_t("suppression_at_100", lang, hidden=_count(hidden_100),
                        count=_count(_n_at_100(analysis))))
    if analysis.groups is not None and "suppressed" in analysis.groups:
        lines.append(_t("suppression_groups", lang, by=analysis.by,
                        hidden=_count(analysis.groups["suppressed"].sum()),
                        total=_count(len(analysis.groups))))
    lines += [_t("suppression_figures", lang), _t("suppression_overall", lang)]
    return lines


def _tracking(analysis: Analysis, lang: str) -> dict | None:
    """The section on the rate of each period: what the chart is, which periods signal."""
    table = analysis.tracking
    if table is None:
        return None
    lang = "zh" if lang == "zh" else "en"
    signals = table.loc[table["signal"].to_numpy(dtype=bool)]
    lines = [_t("tracking_chart_" + table.attrs["chart"], lang, periods=_count(len(table))),
             table.attrs["note"].render(lang)]
    lines += ([_t("tracking_signal", lang, period=period, rule=rule.render(lang))
               for period, rule in zip(signals["period"], signals["rule"])]
              or [_t("tracking_no_signal", lang)])
    return {"title": _t("tracking", lang, period=analysis.period), "lines": lines,
            "table": _table(_shown_rows(table, lang), ["period", "n", "satisfied", "rate", "ci_low", "ci_high",
                                                       "center", "lcl", "ucl"], lang, name="tracking")}


def _proportion(analysis: Analysis, lang: str) -> dict | None:
    """The other share asked for (``proportion=``): overall and per item."""
    if analysis.proportion is None:
        return None
    row = analysis.proportion.iloc[0]
    of = "; ".join(f"{c} = {', '.join(map(str, v if isinstance(v, (list, tuple)) else [v]))}"
                   for c, v in (analysis.proportion.attrs.get("of") or {}).items()) \
        if isinstance(analysis.proportion.attrs.get("of"), dict) else str(analysis.proportion.attrs.get("of"))
    among = analysis.proportion.attrs.get("among")
    text = _t("proportion_overall", lang, of=of, rate=_pct(row["rate"]) if row["rate"] == row["rate"] else "—",
              low=_pct(row["ci_low"]) if row["ci_low"] == row["ci_low"] else "—",
              high=_pct(row["ci_high"]) if row["ci_high"] == row["ci_high"] else "—",
              positive=_count(row["positive"]), n=_count(row["n"]),
              level=_pct(analysis.confidence_level),
              among=_t("proportion_among", lang, among=_t(f"among_{among}", lang) if isinstance(among, str)
                       else "; ".join(f"{c} = {v}" for c, v in among.items())) if among is not None else "")
    item = analysis.survey.item
    return {"title": _t("proportion", lang, of=of), "text": text,
            "table": _table(analysis.proportion_by_item, [item, "n", "positive", "rate", "ci_low", "ci_high"],
                            lang, name="proportion_by_item")}


def _crosstab(analysis: Analysis, lang: str) -> dict | None:
    """The banner table (``crosstab=``) as :func:`~survey_analysis.write_banner` lays it out:
    each cell "96.5% BC", the base row, the note on the test."""
    table = analysis.crosstab
    if table is None:
        return None
    wide = banner_frame(table, lang)
    rows_name = table.attrs.get("rows", "row")
    first = wide.columns[0]
    head = {first: _word("column", rows_name, lang) if rows_name != analysis.survey.item else _column("item_id", lang)}
    return {"title": _t("crosstab", lang, column=table.attrs.get("columns", "")),
            "note": " ".join(wide.attrs["notes"]),
            "table": _table(wide, list(wide.columns), lang, name="crosstab", head=head)}


def _comments(analysis: Analysis, lang: str) -> dict | None:
    """What dissatisfied respondents wrote (masked), at most MAX_COMMENTS, with the count."""
    table = analysis.comments
    if table is None:
        return None
    total = int(table.attrs.get("total", len(table)))
    item = analysis.survey.item
    return {"title": _t("comments", lang),
            "text": _t("comments_text", lang, shown=_count(len(table)), total=_count(total),
                       masked=_t("comments_masked" if table.attrs.get("masked") else "comments_not_masked", lang)),
            "table": _table(table, [item, "rating", "comment", "source_line"], lang, name="comments")}


def _role(column: str, lang: str) -> str:
    """A canonical column of the loader (item_id, rating, n ...) in words."""
    return _column(column, lang) if column == "item_id" else _word("column", column, lang)


def _reading(report, lang: str) -> list:
    """The loader's reading of the sheet in ``lang``; the columns it read name each
    package column in words, its name in brackets (``满意（satisfied）= 满意数``)."""
    sentences = list(report.reading(lang))
    columns = getattr(report, "columns", None) or {}
    if columns:
        plain = say("load.ledger.columns", lang,
                    listing=", ".join(f"{name} = {header}" for name, header in columns.items()))
        listing = _t("column_read_sep", lang).join(
            _t("column_read", lang, role=_role(name, lang), name=name, header=header)
            if _role(name, lang) != name else f"{name} = {header}"
            for name, header in columns.items())
        sentences = [say("load.ledger.columns", lang, listing=listing) if s == plain else s
                     for s in sentences]
    return sentences


def _load_report(analysis: Analysis, lang: str, shown) -> dict | None:
    report = analysis.report
    if report is None:
        return None
    frame = report.to_frame().copy()
    if lang == "zh":
        def category(text: str) -> str:
            if text.startswith("excluded: "):
                reason = text.split(": ", 1)[1]
                return _t("excluded_reason", lang, reason=reason_text(reason, "zh"))
            return _word("ledger", text, "zh")
        frame["category"] = frame["category"].map(category)
    frame = frame.rename(columns={"category": "category_"})
    unknown = report.unknown_items
    return {"table": _table(frame, ["category_", "rows", "source_lines"], lang, None),
            "reading": [shown(s) for s in _reading(report, lang)],
            "scale": _scale_line(report, lang),
            "notes": [shown(note) for note in report.notes_in("zh" if lang == "zh" else "en")],
            "unknown": _table(unknown, ["item_id", "rows", "source_lines"], lang, name="unknown_items")
            if len(unknown) else None,
            "unknown_text": _t("unknown_items_text", lang, count=_count(len(unknown)))}


def _methods(analysis: Analysis, lang: str) -> list:
    level = _pct(analysis.confidence_level)
    rates = analysis.item_rates
    item_method = rates["method"].iloc[0] if len(rates) else analysis.interval
    cluster = " × ".join(_column(c, lang) for c in analysis.survey.cluster)
    items = [
        analysis.definition.sentence(lang) + _t("method_dont_know", lang),
        _t("method_items", lang, method=_interval_name(item_method, lang), level=level,
           about=_word("report.ci_about", item_method, lang)),
        _t("method_pooled", lang, cluster=cluster, interval=_t(f"interval_{analysis.method}", lang),
           df=analysis.overall.pooled.df),
        _t("method_mean", lang),
        _t("method_100", lang, alpha=f"{1 - analysis.confidence_level:.3g}"),
    ]
    if analysis.checks is not None:
        items.append(_t("method_claims", lang, level=level))
    return items


def _item_heads(analysis: Analysis, label: str, lang: str) -> dict:
    """The item column's header: "item code" beside a column of names, else "item"."""
    word = _word("column", "item_id", lang) if label != analysis.survey.item else _column("item_id", lang)
    return {analysis.survey.item: word}


def render_html(analysis: Analysis, lang: str = "zh", figures: dict | None = None) -> str:
    """Render an :class:`~survey_analysis.analysis.Analysis` as one self-contained HTML page.

    The page is the template ``present/templates/report.html.j2`` (Jinja2, autoescaped)
    filled with text rendered here from the catalogue, figures embedded as data URIs and
    the style sheet inlined. The input is named by its file name (or its path relative to
    the working folder), never by a path of the machine that wrote the report.

    Parameters
    ----------
    analysis : Analysis
    lang : {"zh", "en"}
        The whole page in Chinese or in English.
    figures : dict, optional
        Output of :func:`report_figures` (drawn here when not given).

    Returns
    -------
    str
    """
    check_choice("lang", lang, LANGUAGES)
    zh = lang == "zh"
    figures = report_figures(analysis, lang) if figures is None else figures
    title = analysis.title or _t("title", lang)
    source = analysis.survey.source

    def shown(text: str) -> str:
        # Notes and warnings that name the input name it as the report does.
        return text.replace(str(source), shown_source(source)) if source else text

    level = _pct(analysis.confidence_level)
    alpha = f"{1 - analysis.confidence_level:.3g}"
    label = _name_column(analysis, lang)
    heads = _item_heads(analysis, label, lang)
    perfect = analysis.items_at_100
    if len(perfect) and label != analysis.survey.item:
        names = analysis.item_rates.set_index(analysis.survey.item)[label]
        perfect = perfect.assign(**{label: perfect[analysis.survey.item].map(names)})
    chance_note = chance_sentence(analysis, "zh" if lang == "zh" else "en")
    groups = None
    if analysis.groups is not None:
        test = analysis.group_test
        groups = {"title": _t("groups", lang, by=str(analysis.by)),
                  "table": _table(_shown_rows(analysis.groups, lang), [analysis.by, "n", "satisfied", "rate", "ci_low",
                                                    "ci_high"], lang, name="groups"),
                  "test": _t("group_test", lang, by=analysis.by, method=test.method, p=test.p_value,
                             note=test.note) if test is not None else ""}
    ranges = ["satisfied_min", "satisfied_max"] if "satisfied_min" in analysis.item_rates else []
    item_columns = [analysis.survey.item] + ([label] if label != analysis.survey.item else []) + \
        ["n", "satisfied", *ranges, "rate", "ci_low", "ci_high"]
    audit = analysis.survey.percent_audit
    words = {key: _t(key, lang) for key in (
        "warning", "source", "generated", "design", "headline", "not_computed", "claims", "perfect",
        "none", "figures", "items", "percent_audit", "percent_audit_text", "load", "unknown_items",
        "methods", "suppression")}
    context = {
        "html_lang": "zh-CN" if zh else "en",
        "title": title,
        "words": words,
        "warnings": [shown(w.render("zh" if zh else "en")) for w in analysis.warnings],
        # The catalogue's banner marks SYNTHETIC in bold: trusted text of this package.
        "synthetic": Markup(_t("synthetic", lang)) if analysis.synthetic else "",
        "source": shown_source(source) or "<DataFrame>",
        "generated": date.today().isoformat(),
        "design": shown(analysis.survey.describe(lang)),
        "headline": _headline(analysis, lang),
        "suppression": _suppression(analysis, lang),
        "tracking": _tracking(analysis, lang),
        "proportion": _proportion(analysis, lang),
        "crosstab": _crosstab(analysis, lang),
        "comments": _comments(analysis, lang),
        # Say what is missing and why, rather than leave a reader to wonder (e.g. every
        # answer satisfied: no funnel around a rate of 100%).
        "not_computed": [r.render("zh" if zh else "en") for r in analysis.not_computed.values()],
        "claims": _claims(analysis, lang) if analysis.checks is not None else None,
        "perfect_note": _t("perfect_note", lang, level=level, alpha=alpha),
        "perfect": _table(perfect, list(dict.fromkeys([analysis.survey.item, label, "n", "lower_bound"])),
                          lang, name="items_at_100", head=heads) if len(perfect) else None,
        "chance_note": chance_note,
        "figures": [{"name": name, "caption": caption,
                     "uri": "data:image/png;base64," + base64.b64encode(png).decode("ascii")}
                    for name, (png, caption) in figures.items()],
        "groups": groups,
        "items": _table(_shown_rows(analysis.item_rates, lang), item_columns, lang, name="item_rates", ends=True,
                        head=heads),
        "percent_audit": _table(audit, list(audit.columns), lang, name="percent_audit")
        if audit is not None else None,
        "load": _load_report(analysis, lang, shown),
        "methods": _methods(analysis, lang),
    }
    return _environment().get_template("report.html.j2").render(context)


def write_report(source, output_dir, lang: str = "zh", force: bool = False, **options) -> dict:
    """Write ``report.html`` (self-contained), every table as CSV, and ``tables.xlsx``.

    Parameters
    ----------
    source : Analysis, path, pandas.DataFrame or Survey
        An :class:`~survey_analysis.analysis.Analysis`, or anything
        :func:`~survey_analysis.analyze` takes (then analysed with ``options``).
    output_dir : str or path
        Folder to write (created, with its parents, if needed).
    lang : {"zh", "en"}, default "zh"
    force : bool, default False
        Replace ``output_dir`` when it already holds files (CLI ``--force``); only a
        folder this package wrote is replaced, as a whole.
    **options
        Options of :func:`~survey_analysis.analyze` (``claims``, ``items``,
        ``confidence_level``, ``method``, ``synthetic`` ...), when ``source`` is not an
        Analysis.

    Returns
    -------
    dict
        ``{"html": path, "excel": path, "csv": [paths]}``, and ``"banner"`` (``banner.xlsx``,
        :func:`~survey_analysis.write_banner`) with ``crosstab=``.

    Raises
    ------
    ValueError
        ``output_dir`` is a file, is read-only, already holds files (without
        ``force``), or another run is writing it.
    OSError
        Writing failed (e.g. the disk is full); nothing of this run is left.

    Notes
    -----
    Everything is written into a new folder beside ``output_dir`` and moved into place
    when complete (see :func:`~survey_analysis.present.export.output_folder`): a
    failure, an interrupt or a second run at the same time leaves the previous report
    or nothing, never the page of one run beside the tables of another.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd, survey_analysis as sa
    >>> counts = pd.DataFrame({"item_id": ["A", "B"], "n": [20, 30], "satisfied": [18, 30]})
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report"
    >>> paths = write_report(sa.Survey.from_counts(counts), out, lang="en")
    >>> paths["html"].name, len(paths["csv"])
    ('report.html', 6)
    >>> write_report(sa.Survey.from_counts(counts), out)   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    survey_analysis.words.SurveyError: ... already holds 9 file(s) ...: pass force=True to replace ...
    >>> paths = write_report(sa.Survey.from_counts(counts), out, force=True)
    """
    from .export import escape_formulas, output_folder, write_banner, write_csv, write_excel

    check_choice("lang", lang, LANGUAGES)
    analysis = source if isinstance(source, Analysis) else analyze(source, **options)
    page = render_html(analysis, lang)  # drawn before any file is touched
    tables = analysis.tables()
    target = Path(output_dir)
    with output_folder(target, force=force) as out:
        (out / "report.html").write_text(page, encoding="utf-8")
        # Formula-like text escaped once per table, for the CSV and the workbook alike.
        escaped = {name: escape_formulas(table) for name, table in tables.items()}
        for name, table in escaped.items():
            write_csv(table, out / f"{name}.csv", escape=False)
        write_excel(escaped, out / "tables.xlsx", escape=False, max_rows=MAX_EXCEL_ROWS)
        if analysis.crosstab is not None:   # the banner laid out as analysts paste it
            write_banner(analysis.crosstab, out / "banner.xlsx", lang="zh" if lang == "zh" else "en")
    paths = {"html": target / "report.html", "excel": target / "tables.xlsx",
             "csv": [target / f"{name}.csv" for name in tables]}
    if analysis.crosstab is not None:
        paths["banner"] = target / "banner.xlsx"
    return paths
