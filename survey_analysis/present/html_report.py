"""A self-contained HTML report (figures embedded) plus the tables as CSV and Excel.

Presentation only: every number comes from the estimators; this module formats
them, in Chinese (``lang="zh"``) or English (``lang="en"``).
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from .._validation import check_choice

__all__ = ["ReportContent", "build_report_content", "write_report", "LANGUAGES"]

LANGUAGES = ("zh", "en")

_TEXT = {
    "title": {"zh": "群众满意度分析报告", "en": "Satisfaction survey report"},
    "synthetic": {
        "zh": "数据说明：本报告使用的是按既定假设生成的<strong>合成数据</strong>，并非真实受访者的回答；"
              "结论只说明分析方法，不代表街道的实际情况。",
        "en": "Data: this report uses <strong>SYNTHETIC</strong> responses generated from stated "
              "assumptions, not real respondents; it shows the method, not the street office's results.",
    },
    "source": {"zh": "数据文件", "en": "Data file"},
    "generated": {"zh": "生成日期", "en": "Generated"},
    "headline": {"zh": "核心指标", "en": "Headline figures"},
    "claims": {"zh": "文章说法的核对", "en": "Published claims checked"},
    "perfect": {"zh": "满意度100%的事项", "en": "Items at 100%"},
    "perfect_note": {
        "zh": "所有受访者都满意，只能说明真实满意率高于单侧95%精确下限 0.05^(1/n)；n 越小，下限越低。",
        "en": "All respondents satisfied shows only that the true rate is above the one-sided 95% "
              "exact bound 0.05^(1/n); the smaller n, the weaker that is.",
    },
    "items": {"zh": "各事项满意率", "en": "Item satisfaction rates"},
    "figures": {"zh": "图", "en": "Figures"},
    "load": {"zh": "数据加载报告（每一行的去向）", "en": "Load report (where every row went)"},
    "methods": {"zh": "方法说明", "en": "Methods"},
    "none": {"zh": "无", "en": "none"},
}

_METHODS = {
    "zh": [
        "“满意”= 满意 + 基本满意（可改为只计“满意”）；“不了解”等回答不计入分母，在加载报告中列出。",
        "各事项满意率：Wilson 得分区间（{level:.0%}）。",
        "总体满意度（合并）：全部有效回答中满意的比例；区间把事项当作整群（泰勒线性化，logit 区间，"
        "自由度 = 事项数 − 1），与 R survey 包 svyciprop 一致；另列忽略聚集的朴素区间作对照。",
        "事项满意度平均：每个事项权重相同，跨事项的 t 区间。",
        "文章说法的判定：用单侧 {level:.0%} 界限；下限高于所称数值为“支持”，上限不高于所称数值为“矛盾”，"
        "否则为“不矛盾但未证实”；“十余件”理解为 11 至 19 件。",
        "100% 事项：单侧精确（Clopper-Pearson）下限 (1 − {level:.0%})^(1/n)。",
    ],
    "en": [
        "\"Satisfied\" = 满意 + 基本满意 (configurable to 满意 only); \"don't know\" answers are left "
        "out of the denominator and listed in the load report.",
        "Item rates: Wilson score intervals ({level:.0%}).",
        "Pooled overall rate: satisfied over all valid answers; the interval treats items as "
        "clusters (Taylor linearization, logit interval, df = items - 1), as R survey's svyciprop; "
        "the naive interval that ignores clustering is shown for contrast.",
        "Mean of item rates: every item counts once; t interval across items.",
        "Claim verdicts use one-sided {level:.0%} bounds: supported if the lower bound exceeds the "
        "claim, contradicted if the upper bound does not, otherwise consistent but not shown; "
        "十余件 (ten-plus) is read as 11 to 19 items.",
        "100% items: one-sided exact (Clopper-Pearson) lower bound (1 - {level:.0%})^(1/n).",
    ],
}

_CAPTIONS = {
    "forest": {"zh": "各事项满意率及95%置信区间；空心红圈为100%事项，虚线为95%。",
               "en": "Item rates with 95% intervals; open red circles are 100% items; dashed line: 95%."},
    "funnel": {"zh": "漏斗图：满意率与受访人数；控制限为精确二项界限（95%与99.8%）。",
               "en": "Funnel plot: rate against respondents, exact binomial limits (95% and 99.8%)."},
    "definition_sensitivity": {"zh": "“满意”的不同口径下的总体满意度。",
                               "en": "The headline under each definition of satisfied."},
    "items_at_100_by_chance": {"zh": "按拟合的β-二项模型，偶然出现的100%事项数分布；阴影为“十余件”。",
                               "en": "How many 100% items chance alone gives under the fitted "
                                      "beta-binomial model; shaded: ten-plus."},
    "answer_distribution": {"zh": "各事项的回答分布（满意率最低的40个事项）。",
                            "en": "Answer distribution of the 40 items with the lowest satisfaction."},
}

_CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei","PingFang SC",sans-serif;
max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}
h1{font-size:1.6em}h2{font-size:1.25em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}
th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left}th{background:#f3f3f3}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.banner{background:#fff4e5;border:1px solid #f0b36b;padding:.6em 1em;border-radius:4px}
.supported{color:#17692a;font-weight:bold}.contradicted{color:#a11;font-weight:bold}
.consistent{color:#8a5a00;font-weight:bold}figure{margin:1em 0}figcaption{font-size:.85em;color:#555}
img{max-width:100%}
"""


@dataclass
class ReportContent:
    """Tables and figures of a report, before rendering.

    Attributes
    ----------
    tables : dict of str -> pandas.DataFrame
        Named tables (also exported as CSV and Excel sheets).
    figures : dict of str -> bytes
        Named PNG images.
    notes : dict of str -> str
        Free text (e.g. the load report as printed).
    synthetic : bool
        Whether the data are the bundled synthetic responses.
    source : str
    """

    tables: dict = field(default_factory=dict)
    figures: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)
    synthetic: bool = False
    source: str = ""


def _png(ax) -> bytes:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    ax.figure.tight_layout()
    ax.figure.savefig(buffer, format="png", dpi=110)
    plt.close(ax.figure)
    return buffer.getvalue()


def build_report_content(responses: pd.DataFrame, synthetic: bool = False,
                         confidence_level: float = 0.95, method: str = "logit",
                         items: pd.DataFrame | None = None) -> ReportContent:
    """Compute every table and figure of the report by calling the library.

    Parameters
    ----------
    responses : pandas.DataFrame
        Tidy responses from :func:`~survey_analysis.load_responses`.
    synthetic : bool, default False
        Label the report as based on synthetic data.
    confidence_level : float, default 0.95
    method : {"logit", "beta"}
        Design-based interval for the pooled rate.
    items : pandas.DataFrame, optional
        Item catalogue with ``item_id`` and ``name_zh`` / ``name_en`` for labels.

    Returns
    -------
    ReportContent
    """
    import matplotlib

    matplotlib.use("Agg")
    from ..bundled.datasets import load_published_claims
    from ..claims.check import check_claims
    from ..claims.sensitivity import definition_sensitivity
    from ..estimate.chance import count_at_100_distribution
    from ..estimate.funnel import funnel_limits, funnel_table
    from ..estimate.multinomial import rating_shares
    from ..estimate.rates import item_rates, items_at_100, overall_rate
    from ..estimate.shrinkage import fit_beta_binomial
    from .plots import (
        count_at_100_plot,
        diverging_bars,
        forest_plot,
        funnel_plot,
        sensitivity_plot,
        use_cjk_font,
    )
    from .tables import headline_table

    rates = item_rates(responses, confidence_level=confidence_level)
    if items is not None:
        rates = rates.merge(items[["item_id", "name_zh", "name_en"]], on="item_id", how="left")
    report = responses.attrs.get("load_report")
    content = ReportContent(synthetic=synthetic, source=getattr(report, "source", "<DataFrame>"))
    content.tables["headline"] = headline_table(responses, method=method,
                                                confidence_level=confidence_level)
    content.tables["overall"] = overall_rate(responses, method=method,
                                             confidence_level=confidence_level)
    content.tables["claims"] = check_claims(responses, load_published_claims(), method=method,
                                            confidence_level=confidence_level)
    content.tables["items_at_100"] = items_at_100(rates, confidence_level=confidence_level)
    content.tables["item_rates"] = rates
    if report is not None:
        content.tables["load_report"] = report.to_frame()
        content.notes["load_report"] = str(report)
    label = "name_zh" if "name_zh" in rates and use_cjk_font() else "item_id"
    tag = " (SYNTHETIC / 合成数据)" if synthetic else ""
    content.figures["forest"] = _png(forest_plot(rates, label=label, threshold=0.95,
                                                 title="Item satisfaction / 各事项满意率" + tag))
    funnel = funnel_table(rates[[c for c in rates.columns if c in ("item_id", "n", "satisfied")]])
    content.tables["funnel"] = funnel
    limits = funnel_limits(np.unique(np.linspace(max(2, rates["n"].min()), rates["n"].max(), 60)
                                     .round().astype(int)), float(funnel["target"].iloc[0]))
    content.figures["funnel"] = _png(funnel_plot(funnel, limits=limits, title="Funnel plot / 漏斗图" + tag))
    sensitivity = definition_sensitivity(responses, confidence_level=confidence_level, method=method)
    content.tables["definition_sensitivity"] = sensitivity
    content.figures["definition_sensitivity"] = _png(sensitivity_plot(sensitivity))
    sized = rates.loc[rates["n"] > 0]
    fit = fit_beta_binomial(sized["satisfied"].to_numpy(), sized["n"].to_numpy())
    if np.isfinite(fit.alpha) and np.isfinite(fit.beta):
        chance = count_at_100_distribution(sized["n"].to_numpy(), prior=(fit.alpha, fit.beta))
        content.figures["items_at_100_by_chance"] = _png(count_at_100_plot(
            chance, observed=len(content.tables["items_at_100"])))
    if responses["scale"].nunique() == 1 and len(responses):
        shares = rating_shares(responses, by="item_id", confidence_level=confidence_level)
        content.figures["answer_distribution"] = _png(diverging_bars(shares, max_groups=40))
    return content


def _format_table(table: pd.DataFrame, max_rows: int | None = None) -> str:
    shown = table if max_rows is None else table.head(max_rows)
    formatters = {}
    for column in shown.columns:
        if pd.api.types.is_float_dtype(shown[column]):
            formatters[column] = lambda v: "" if pd.isna(v) else f"{v:.4g}"
    body = shown.to_html(index=False, escape=True, formatters=formatters, na_rep="",
                         border=0, classes="data")
    if max_rows is not None and len(table) > max_rows:
        body += f"<p>… {len(table) - max_rows} more rows in the CSV / Excel files.</p>"
    return body


def _verdict_class(verdict: str) -> str:
    return {"supported": "supported", "contradicted": "contradicted"}.get(verdict, "consistent")


def render_html(content: ReportContent, lang: str = "zh", confidence_level: float = 0.95) -> str:
    """Render :class:`ReportContent` as one self-contained HTML page (images inline)."""
    check_choice("lang", lang, LANGUAGES)

    def t(key):
        return _TEXT[key][lang]

    parts = [f"<!DOCTYPE html><html lang=\"{'zh-CN' if lang == 'zh' else 'en'}\"><head>"
             "<meta charset=\"utf-8\"><title>" + html.escape(t("title")) + "</title>"
             f"<style>{_CSS}</style></head><body>", f"<h1>{html.escape(t('title'))}</h1>"]
    if content.synthetic:
        parts.append(f"<p class=\"banner\">{t('synthetic')}</p>")
    parts.append(f"<p>{t('source')}: <code>{html.escape(content.source)}</code> · "
                 f"{t('generated')}: {date.today().isoformat()}</p>")

    headline = content.tables["headline"].copy()
    headline["measure"] = headline["measure_zh"] if lang == "zh" else headline["measure_en"]
    headline["verdict_shown"] = headline["verdict_zh"] if lang == "zh" else headline["verdict"]
    rows = []
    for row in headline.itertuples(index=False):
        if pd.isna(row.ci_low):
            value = f"{row.estimate:,.0f}" if float(row.estimate).is_integer() else f"{row.estimate:.2f}"
        else:
            value = f"{row.estimate:.1%} [{row.ci_low:.1%}, {row.ci_high:.1%}]"
        verdict = (f"<span class=\"{_verdict_class(row.verdict)}\">{html.escape(row.verdict_shown)}</span>"
                   if row.verdict else "")
        rows.append(f"<tr><td>{html.escape(row.measure)}</td><td class=\"num\">{value}</td>"
                    f"<td>{html.escape(str(row.published))}</td><td>{verdict}</td></tr>")
    header = ("<tr><th>指标</th><th>估计 [95%区间]</th><th>文章</th><th>判定</th></tr>" if lang == "zh"
              else "<tr><th>Measure</th><th>Estimate [95% CI]</th><th>Article</th><th>Verdict</th></tr>")
    parts.append(f"<h2>{t('headline')}</h2><table>{header}{''.join(rows)}</table>")

    claims = content.tables["claims"]
    parts.append(f"<h2>{t('claims')}</h2><table><tr><th>claim</th><th>estimand</th><th>estimate</th>"
                 "<th>bounds</th><th>verdict</th><th>detail</th></tr>")
    for row in claims.itertuples(index=False):
        bounds = "" if pd.isna(row.ci_low) else f"[{row.ci_low:.3f}, {row.ci_high:.3f}]"
        verdict = row.verdict_zh if lang == "zh" else row.verdict
        parts.append(f"<tr><td>{html.escape(row.claimed)}<br><small>{html.escape(row.quote_zh)}</small>"
                     f"</td><td>{html.escape(row.estimand)}</td><td class=\"num\">{row.estimate:.4g}</td>"
                     f"<td class=\"num\">{bounds}</td><td class=\"{_verdict_class(row.verdict)}\">"
                     f"{html.escape(verdict)}</td><td>{html.escape(row.detail)}</td></tr>")
    parts.append("</table>")

    parts.append(f"<h2>{t('perfect')}</h2><p>{t('perfect_note')}</p>")
    parts.append(_format_table(content.tables["items_at_100"]) if len(content.tables["items_at_100"])
                 else f"<p>{t('none')}</p>")

    parts.append(f"<h2>{t('figures')}</h2>")
    for name, png in content.figures.items():
        encoded = base64.b64encode(png).decode("ascii")
        caption = _CAPTIONS.get(name, {}).get(lang, name)
        parts.append(f"<figure><img alt=\"{html.escape(name)}\" src=\"data:image/png;base64,{encoded}\">"
                     f"<figcaption>{html.escape(caption)}</figcaption></figure>")

    parts.append(f"<h2>{t('items')}</h2>" + _format_table(content.tables["item_rates"], max_rows=200))
    if "load_report" in content.tables:
        parts.append(f"<h2>{t('load')}</h2>" + _format_table(content.tables["load_report"]))
    parts.append(f"<h2>{t('methods')}</h2><ul>"
                 + "".join(f"<li>{html.escape(m.format(level=confidence_level))}</li>" for m in _METHODS[lang])
                 + "</ul></body></html>")
    return "\n".join(parts)


def write_report(responses: pd.DataFrame, output_dir, lang: str = "zh", synthetic: bool = False,
                 confidence_level: float = 0.95, method: str = "logit",
                 items: pd.DataFrame | None = None) -> dict:
    """Write ``report.html`` (self-contained), every table as CSV, and ``tables.xlsx``.

    Parameters
    ----------
    responses : pandas.DataFrame
        Tidy responses from :func:`~survey_analysis.load_responses`.
    output_dir : str or path
        Folder to write into (created if needed).
    lang : {"zh", "en"}, default "zh"
    synthetic : bool, default False
        Label the report as based on SYNTHETIC data.
    confidence_level : float, default 0.95
    method : {"logit", "beta"}
    items : pandas.DataFrame, optional
        Item catalogue for item names.

    Returns
    -------
    dict
        ``{"html": path, "excel": path, "csv": [paths]}``.
    """
    from .export import write_csv, write_excel

    check_choice("lang", lang, LANGUAGES)
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    content = build_report_content(responses, synthetic=synthetic, confidence_level=confidence_level,
                                   method=method, items=items)
    html_path = out / "report.html"
    html_path.write_text(render_html(content, lang, confidence_level), encoding="utf-8")
    csv_paths = [write_csv(table, out / f"{name}.csv") for name, table in content.tables.items()]
    excel_path = write_excel(content.tables, out / "tables.xlsx")
    return {"html": html_path, "excel": excel_path, "csv": csv_paths}
