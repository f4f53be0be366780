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
import html
import io
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from .._validation import check_choice
from ..analysis import Analysis, analyze
from ..load.report import reason_text
from ..words import CATALOGUE, Message, headline_number, say
from . import plots
from .layout import extremes_shown, row_figsize

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
#: Tables longer than this go to CSV only (tables.xlsx lists them on its first sheet): Excel
#: is slow to write and to open beyond some 10^5 rows.
MAX_EXCEL_ROWS = 200_000

def _column(name: str, lang: str) -> str:
    """A column name in prose: the item column is "items" / "事项"."""
    return say("plot.items", "zh" if lang == "zh" else "en") if name == "item_id" else name


def _scale_line(report, lang: str) -> str:
    scales = getattr(report, "scales", {}) or {}
    if not scales:
        return _t("scale_none", lang)
    parts = [_t("scale_part", lang, name=name,
                levels=" / ".join(scale.level_label(level, lang) for level in scale.levels),
                satisfied=scale.describe(lang=lang))
             for name, scale in scales.items()]
    return _t("scale_line", lang, parts=_t("scale_sep", lang).join(parts))


_CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei","PingFang SC",sans-serif;
max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}
h1{font-size:1.6em}h2{font-size:1.25em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}
th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}th{background:#f3f3f3}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.banner{background:#fff4e5;border:1px solid #f0b36b;padding:.6em 1em;border-radius:4px}
.warning{background:#fdecea;border:1px solid #e57373;padding:.6em 1em;border-radius:4px}
.supported{color:#17692a;font-weight:bold}.contradicted{color:#a11;font-weight:bold}
.consistent{color:#8a5a00;font-weight:bold}figure{margin:1em 0}figcaption{font-size:.85em;color:#555}
img{max-width:100%}small{color:#555}
"""


def _t(key: str, lang: str, **values) -> str:
    """The report's sentence ``report.<key>`` of the catalogue."""
    return say(f"report.{key}", "zh" if lang == "zh" else "en", **values)


def _word(prefix: str, key: str, lang: str) -> str:
    """``prefix.key`` of the catalogue in ``lang``; the key itself when there is no entry."""
    code = f"{prefix}.{key}"
    return say(code, "zh" if lang == "zh" else "en") if code in CATALOGUE else str(key)


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


def report_figures(analysis: Analysis, lang: str = "zh") -> dict:
    """Every figure of the report as PNG bytes, with its caption: name -> (png, caption).

    Figures with a row per item (or group) draw at most :data:`MAX_FIGURE_ITEMS` rows,
    the lowest and the highest, and their caption says how many of how many; beyond
    that many items a histogram of every item's rate is added (the funnel plot shows
    every item too). Figure sizes follow the rows drawn, never the number of items.
    """
    check_choice("lang", lang, LANGUAGES)
    level = _pct(analysis.confidence_level)
    out = {}
    rates = analysis.item_rates
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
    out["forest"] = (_png(fig), _t("forest_caption", lang, level=level, method=method, part=part,
                                   line=line))
    if capped:
        fig, ax = _figure((7.0, 3.8))
        plots.rate_histogram(rates, ax=ax, threshold=analysis.threshold, lang=lang)
        out["rate_distribution"] = (_png(fig), _t("histogram_caption", lang, total=_count(total),
                                                  line=line))
    if len(analysis.funnel) and "funnel" not in analysis.not_computed:
        fig, ax = _figure((7.0, 4.6))
        plots.funnel_plot(analysis.funnel, ax=ax, limits=analysis.funnel_limits, lang=lang)
        levels = " / ".join(_pct(v) for v in sorted(set(analysis.funnel_limits["confidence_level"]))) \
            if analysis.funnel_limits is not None else ""
        every = _t("funnel_every", lang, count=_count(len(analysis.funnel)))
        out["funnel"] = (_png(fig), _t("funnel_caption", lang, every=every, levels=levels))
    if analysis.sensitivity is not None:
        fig, ax = _figure((6.8, 3.6))
        plots.sensitivity_plot(analysis.sensitivity, ax=ax, threshold=analysis.threshold, lang=lang)
        out["definition_sensitivity"] = (_png(fig), _t("sensitivity_caption", lang, level=level))
    if analysis.chance is not None:
        claimed = analysis.claimed_range("items_at_100")
        fig, ax = _figure((6.8, 3.8))
        plots.count_at_100_plot(analysis.chance, ax=ax, observed=len(analysis.items_at_100),
                                claimed=claimed[:2] if claimed else None,
                                claimed_label=claimed[2] if claimed else None, lang=lang)
        band = _t("claimed_band", lang) if claimed else ""
        out["items_at_100_by_chance"] = (_png(fig), _t("chance_caption", lang, band=band))
    if analysis.shares is not None:
        shares = analysis.shares
        groups = shares[analysis.survey.item].nunique()
        if label != analysis.survey.item:
            names = rates.set_index(analysis.survey.item)[label]
            shares = shares.assign(**{label: shares[analysis.survey.item].map(names)})
        scale = next(iter(analysis.survey.scales.values()))
        shares = shares.assign(rating=[scale.level_label(level, lang) for level in shares["rating"]])
        shares.attrs["satisfied_levels"] = next(iter(analysis.definition.levels.values()))
        fig, ax = _figure(row_figsize(groups, MAX_FIGURE_ITEMS, width=7.5, per_row=0.26,
                                             base=2.0, minimum=2.8))
        plots.diverging_bars(shares, by=label, ax=ax, max_groups=MAX_FIGURE_ITEMS, lang=lang,
                             title=_t("answers_title", lang))
        part = _items_part(groups, lang, by_share=True)
        if groups > MAX_FIGURE_ITEMS:
            part += _t("every_item_shares", lang)
        out["answer_distribution"] = (_png(fig), _t("shares_caption", lang, part=part))
    if analysis.groups is not None:
        count = len(analysis.groups)
        fig, ax = _figure(row_figsize(count, MAX_FIGURE_ITEMS, per_row=0.3, base=1.8,
                                             minimum=2.5))
        plots.forest_plot(analysis.groups, ax=ax, label=analysis.by, threshold=analysis.threshold,
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
        if column in ("rate", "ci_low", "ci_high", "lower_bound", "estimate", "share"):
            return f"{value:.1%}" if column != "estimate" or value <= 1 else f"{value:,.4g}"
        return f"{value:,.4g}"
    return str(value)


def _row(values, columns) -> str:
    cells = []
    for column, value in zip(columns, values):
        numeric = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
        opening = '<td class="num">' if numeric else "<td>"
        cells.append(f"{opening}{html.escape(_format_value(value, column))}</td>")
    return "<tr>" + "".join(cells) + "</tr>"


def _table(table: pd.DataFrame, columns: list, lang: str, max_rows: int | None = MAX_TABLE_ROWS,
           name: str | None = None, ends: bool = False) -> str:
    """An HTML table of at most ``max_rows`` rows: the first ones, or with ``ends`` the
    first and the last half (a table sorted by rate: the lowest and the highest). A
    capped table says how many rows it shows and names the CSV and the Excel sheet
    ``name`` that hold them all."""
    columns = [c for c in columns if c in table.columns]
    total = len(table)
    capped = max_rows is not None and total > max_rows
    if capped and ends:
        low, high = extremes_shown(total, max_rows)
    else:
        low, high = (total, 0) if not capped else (max_rows, 0)
    head = "".join(f"<th>{html.escape(_word('column', c, lang))}</th>"
                   for c in columns)
    body = [_row(row, columns) for row in table.head(low)[columns].itertuples(index=False)]
    if capped and high:
        body.append(f'<tr><td colspan="{len(columns)}"><small>'
                    f"{html.escape(_t('hidden_rows', lang, n=_count(total - low - high)))}</small></td></tr>")
        body += [_row(row, columns) for row in table.tail(high)[columns].itertuples(index=False)]
    out = f"<table><tr>{head}</tr>{''.join(body)}</table>"
    if capped:
        name = name or "tables"
        where = _t("in_both" if total <= MAX_EXCEL_ROWS else "in_csv", lang, name=name)
        note = _t("end_rows", lang, low=_count(low), high=_count(high), total=_count(total), where=where) \
            if high else _t("first_rows", lang, shown=_count(low), total=_count(total), where=where)
        out += f"<p><small>{html.escape(note)}</small></p>"
    return out


def _verdict_class(verdict: str) -> str:
    return {"supported": "supported", "contradicted": "contradicted"}.get(verdict, "consistent")


def _headline(analysis: Analysis, lang: str) -> str:
    zh = lang == "zh"
    with_claims = analysis.checks is not None
    level = _pct(analysis.confidence_level)
    head = (f"<tr><th>{_t('measure', lang)}</th><th>{_t('estimate_ci', lang, level=level)}</th>"
            + (f"<th>{_t('published', lang)}</th><th>{_t('verdict', lang)}</th>" if with_claims else "")
            + "</tr>")
    rows = []
    for row in analysis.headline.itertuples(index=False):
        if pd.isna(row.ci_low):
            value = headline_number(row.estimate, missing="")
        else:
            value = f"{row.estimate:.1%} [{row.ci_low:.1%}, {row.ci_high:.1%}]"
        measure = row.measure_zh if zh else row.measure_en
        cells = f"<td>{html.escape(measure)}</td><td class=\"num\">{value}</td>"
        if with_claims:
            verdict = row.verdict_zh if zh else row.verdict
            published = row.published if zh else row.claimed
            cells += (f"<td>{html.escape(str(published))}</td>"
                      f"<td><span class=\"{_verdict_class(row.verdict)}\">{html.escape(verdict)}</span></td>")
        rows.append(f"<tr>{cells}</tr>")
    return f"<table>{head}{''.join(rows)}</table>"


def _claims(analysis: Analysis, lang: str) -> str:
    zh = lang == "zh"
    checks = analysis.checks
    translations = analysis.claims.set_index("id")["translation_en"].to_dict()
    head = "".join(f"<th>{html.escape(_word('column', c, lang))}</th>"
                   for c in ("claimed", "estimand", "estimate", "ci_low", "verdict", "detail"))
    body = []
    for row in checks.itertuples(index=False):
        bounds = "" if pd.isna(row.ci_low) else f"[{row.ci_low:.3f}, {row.ci_high:.3f}]"
        estimand = _word("estimand", row.estimand, lang)
        if row.estimand.startswith("item "):
            estimand = _t("item", lang, item=row.estimand[5:])
        claimed = html.escape((row.wording if zh else "") or row.claimed)
        quote = row.quote if zh else (translations.get(row.claim_id) or row.quote)
        body.append(
            f"<tr><td>{claimed}<br><small>{html.escape(quote)}</small></td>"
            f"<td>{html.escape(estimand)}</td><td class=\"num\">{_format_value(row.estimate)}</td>"
            f"<td class=\"num\">{bounds}</td><td class=\"{_verdict_class(row.verdict)}\">"
            f"{html.escape(row.verdict_zh if zh else row.verdict)}</td>"
            f"<td>{html.escape(row.detail_zh if zh else row.detail)}</td></tr>")
    out = f"<table><tr>{head}</tr>{''.join(body)}</table>"
    skipped = checks.attrs.get("not_checked")
    if skipped is not None and len(skipped):
        ids = ", ".join(skipped["id"].head(8)) + (" …" if len(skipped) > 8 else "")
        out += f"<p><small>{html.escape(_t('not_checked', lang, n=len(skipped), ids=ids))}</small></p>"
    return out


def _load_report(analysis: Analysis, lang: str) -> str:
    report = analysis.report
    if report is None:
        return ""
    frame = report.to_frame().copy()
    if lang == "zh":
        def category(text: str) -> str:
            if text.startswith("excluded: "):
                reason = text.split(": ", 1)[1]
                return _t("excluded_reason", lang, reason=reason_text(reason, "zh"))
            return _word("ledger", text, "zh")
        frame["category"] = frame["category"].map(category)
    frame = frame.rename(columns={"category": "category_"})
    notes = "".join(f"<li>{html.escape(note)}</li>"
                    for note in report.notes_in("zh" if lang == "zh" else "en"))
    reading = "".join(f"<p>{html.escape(sentence)}</p>"
                      for sentence in report.reading("zh" if lang == "zh" else "en"))
    scale_line = f"<p>{html.escape(_scale_line(report, lang))}</p>"
    return (_table(frame, ["category_", "rows", "source_lines"], lang, None) + reading + scale_line
            + (f"<ul>{notes}</ul>" if notes else ""))


def _methods(analysis: Analysis, lang: str) -> str:
    level = _pct(analysis.confidence_level)
    rates = analysis.item_rates
    item_method = rates["method"].iloc[0] if len(rates) else analysis.interval
    cluster = " × ".join(_column(c, lang) for c in analysis.survey.cluster)
    items = [
        analysis.definition.sentence(lang) + _t("method_dont_know", lang),
        _t("method_items", lang, method=item_method, level=level),
        _t("method_pooled", lang, cluster=cluster, interval=_t(f"interval_{analysis.method}", lang),
           df=analysis.overall.pooled.df),
        _t("method_mean", lang),
        _t("method_100", lang, alpha=f"{1 - analysis.confidence_level:.3g}"),
    ]
    if analysis.checks is not None:
        items.append(_t("method_claims", lang, level=level))
    return "<ul>" + "".join(f"<li>{html.escape(m)}</li>" for m in items) + "</ul>"


def render_html(analysis: Analysis, lang: str = "zh", figures: dict | None = None) -> str:
    """Render an :class:`~survey_analysis.analysis.Analysis` as one self-contained HTML page.

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
    parts = [f"<!DOCTYPE html><html lang=\"{'zh-CN' if zh else 'en'}\"><head><meta charset=\"utf-8\">"
             f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{html.escape(title)}</h1>"]
    for warning in analysis.warnings:
        parts.append(f"<p class=\"warning\"><strong>{_t('warning', lang)}:</strong> "
                     f"{html.escape(warning.render('zh' if zh else 'en'))}</p>")
    if analysis.synthetic:
        parts.append(f"<p class=\"banner\">{_t('synthetic', lang)}</p>")
    source = analysis.survey.source or "<DataFrame>"
    parts.append(f"<p>{_t('source', lang)}: <code>{html.escape(source)}</code> · "
                 f"{_t('generated', lang)}: {date.today().isoformat()}<br>"
                 f"{_t('design', lang)}: {html.escape(analysis.survey.describe(lang))}</p>")
    parts.append(f"<h2>{_t('headline', lang)}</h2>{_headline(analysis, lang)}")
    if analysis.not_computed:
        # Say what is missing and why, rather than leave a reader to wonder (e.g. every
        # answer satisfied: no funnel around a rate of 100%).
        reasons = "".join(f"<li>{html.escape(reason.render('zh' if zh else 'en'))}</li>"
                          for reason in analysis.not_computed.values())
        parts.append(f"<h2>{_t('not_computed', lang)}</h2><ul>{reasons}</ul>")
    if analysis.checks is not None:
        parts.append(f"<h2>{_t('claims', lang)}</h2>{_claims(analysis, lang)}")
    level = _pct(analysis.confidence_level)
    alpha = f"{1 - analysis.confidence_level:.3g}"
    parts.append(f"<h2>{_t('perfect', lang)}</h2><p>{_t('perfect_note', lang, level=level, alpha=alpha)}</p>")
    perfect = analysis.items_at_100
    if len(perfect):
        label = _name_column(analysis, lang)
        if label != analysis.survey.item:
            names = analysis.item_rates.set_index(analysis.survey.item)[label]
            perfect = perfect.assign(**{label: perfect[analysis.survey.item].map(names)})
        columns = list(dict.fromkeys([analysis.survey.item, label, "n", "lower_bound"]))
        parts.append(_table(perfect, columns, lang, name="items_at_100"))
    else:
        parts.append(f"<p>{_t('none', lang)}</p>")
    if analysis.chance is not None:
        low, high = analysis.chance.interval(analysis.confidence_level)
        parts.append(f"<p>{_t('chance_note', lang, mean=analysis.chance.mean, level=level, low=low, high=high, observed=len(analysis.items_at_100))}</p>")
    parts.append(f"<h2>{_t('figures', lang)}</h2>")
    for name, (png, caption) in figures.items():
        encoded = base64.b64encode(png).decode("ascii")
        parts.append(f"<figure><img alt=\"{html.escape(name)}\" src=\"data:image/png;base64,{encoded}\">"
                     f"<figcaption>{html.escape(caption)}</figcaption></figure>")
    if analysis.groups is not None:
        parts.append(f"<h2>{_t('groups', lang, by=html.escape(str(analysis.by)))}</h2>"
                     + _table(analysis.groups, [analysis.by, "n", "satisfied", "rate", "ci_low", "ci_high"], lang,
                              name="groups"))
        if analysis.group_test is not None:
            test = analysis.group_test
            parts.append(f"<p>{html.escape(_t('group_test', lang, by=analysis.by, method=test.method, p=test.p_value, note=test.note))}</p>")
    label = _name_column(analysis, lang)
    ranges = ["satisfied_min", "satisfied_max"] if "satisfied_min" in analysis.item_rates else []
    columns = [analysis.survey.item] + ([label] if label != analysis.survey.item else []) + \
        ["n", "satisfied", *ranges, "rate", "ci_low", "ci_high"]
    parts.append(f"<h2>{_t('items', lang)}</h2>"
                 + _table(analysis.item_rates, columns, lang, name="item_rates", ends=True))
    audit = analysis.survey.percent_audit
    if audit is not None:
        parts.append(f"<h2>{_t('percent_audit', lang)}</h2><p>{html.escape(_t('percent_audit_text', lang))}</p>"
                     + _table(audit, list(audit.columns), lang, name="percent_audit"))
    if analysis.report is not None:
        parts.append(f"<h2>{_t('load', lang)}</h2>{_load_report(analysis, lang)}")
        unknown = analysis.report.unknown_items
        if len(unknown):
            text = _t("unknown_items_text", lang, count=_count(len(unknown)))
            parts.append(f"<h2>{_t('unknown_items', lang)}</h2><p>{html.escape(text)}</p>"
                         + _table(unknown, ["item_id", "rows", "source_lines"], lang,
                                  name="unknown_items"))
    parts.append(f"<h2>{_t('methods', lang)}</h2>{_methods(analysis, lang)}</body></html>")
    return "\n".join(parts)


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
        ``{"html": path, "excel": path, "csv": [paths]}``.

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
    from .export import output_folder, write_csv, write_excel

    check_choice("lang", lang, LANGUAGES)
    analysis = source if isinstance(source, Analysis) else analyze(source, **options)
    page = render_html(analysis, lang)  # drawn before any file is touched
    tables = analysis.tables()
    target = Path(output_dir)
    with output_folder(target, force=force) as out:
        (out / "report.html").write_text(page, encoding="utf-8")
        for name, table in tables.items():
            write_csv(table, out / f"{name}.csv")
        write_excel(tables, out / "tables.xlsx", max_rows=MAX_EXCEL_ROWS)
    return {"html": target / "report.html", "excel": target / "tables.xlsx",
            "csv": [target / f"{name}.csv" for name in tables]}
