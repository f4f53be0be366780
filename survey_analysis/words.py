"""Every sentence the package says, in English and Chinese: one catalogue.

The layers below the presentation never build sentences for people. They name an
entry of :data:`CATALOGUE` and its parameters -- a :class:`Message` -- and whoever shows
it renders it in a language: an exception's text, a note in a result, a verdict, a
reason in a ledger, a warning. A report in Chinese and one in English therefore say
the same thing, and a translation is fixed in one place.

Errors are :class:`SurveyError` (a ``ValueError``): their ``code`` and ``params`` are
data, their text is the English entry, followed by the Chinese one when the error is
about a sheet written in Chinese (``languages=("en", "zh")``). An error that proposes an
option names the keyword (:class:`Hint`): ``duplicates='keep_first'``. The command line
renders the same error with its flags beside the keywords
(``duplicates='keep_first' (CLI --duplicates keep_first)``), from the option tables it
builds its flags from; the library never names a flag.

>>> say("choice.unknown", name="method", value="wald", allowed="'logit', 'beta'")
"unknown method 'wald'; allowed: 'logit', 'beta'"
>>> say("choice.unknown", "zh", name="method", value="wald", allowed="'logit', 'beta'")
"未知的 method 取值 'wald'；可选：'logit', 'beta'"
>>> error = SurveyError("choice.unknown", name="method", value="wald", allowed="'logit'")
>>> isinstance(error, ValueError), error.code
(True, 'choice.unknown')
"""

from __future__ import annotations

import html
import math
import re
import warnings
from dataclasses import dataclass, field

__all__ = ["CATALOGUE", "LANGUAGES", "Hint", "Message", "SurveyError", "SurveyWarning",
           "frame_html", "html_table", "has_chinese", "join", "percent", "percent_interval", "say",
           "shorten", "warn"]

#: The languages every entry is written in.
LANGUAGES = ("en", "zh")

_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


def has_chinese(*texts) -> bool:
    """True when any of ``texts`` holds a Chinese character (errors about such a sheet
    are said in Chinese too)."""
    return any(_CJK.search(str(text)) for text in texts if text is not None)


# ----------------------------------------------------------------------------------------
# The catalogue: code -> (English, Chinese). Parameters in braces, as str.format.
# Sections follow the layers; a code's first word is its topic.
# ----------------------------------------------------------------------------------------
CATALOGUE: dict[str, tuple[str, str]] = {
    # -- checks shared by every layer ------------------------------------------------------
    "choice.unknown": ("unknown {name} {value!r}; allowed: {allowed}",
                       "未知的 {name} 取值 {value!r}；可选：{allowed}"),
    "level.not_number": (
        "confidence_level must be a number strictly between 0 and 1, got {value!r}",
        "confidence_level 必须是严格介于 0 和 1 之间的数，实际为 {value!r}"),
    "level.range": (
        "confidence_level must be strictly between 0 and 1, got {value!r} (write 0.95, not 95)",
        "confidence_level 必须严格介于 0 和 1 之间，实际为 {value!r}（应写 0.95，而不是 95）"),
    "counts.broadcast": (
        "successes and trials cannot be broadcast together: shapes {first} and {second}",
        "成功数与试验数的形状无法对齐：{first} 与 {second}"),
    "counts.index": ("successes and trials are Series with different indexes",
                     "成功数与试验数是索引不同的 Series"),
    "counts.trials_negative": ("trials must be >= 0: found successes={k}, trials={n}{where}",
                               "试验数必须 >= 0：发现 成功数={k}，试验数={n}{where}"),
    "counts.successes_negative": ("successes must be >= 0: found successes={k}, trials={n}{where}",
                                  "成功数必须 >= 0：发现 成功数={k}，试验数={n}{where}"),
    "counts.too_many": ("successes must not exceed trials: found successes={k}, trials={n}{where}",
                        "成功数不能超过试验数：发现 成功数={k}，试验数={n}{where}"),
    "counts.position": (" at position {position}", "（位置 {position}）"),

    # -- scales: levels, definitions of "satisfied" --------------------------------------------
    "definition.no_answers": ("(no answers)", "（无回答）"),
    "definition.counts": (
        '"Satisfied" as counted by the table\'s authors (a table of counts; the levels behind it '
        'are not known).',
        "“满意”按原表作者的统计口径（计数表；其背后的评价等级未知）。"),
    "definition.sentence": ('"Satisfied" = {text} (scale {names}; {tail}).',
                            "“满意”= {text}（量表 {names}；{tail}）。"),
    "definition.convention": ("the scale's own convention", "量表的通行口径"),
    "definition.not_convention": ("NOT the scale's own convention", "并非该量表的通行口径"),
    "scale.unknown": (
        "unknown scale {spec!r}; presets: {presets} (or 'auto', a sa.Scale(...), or a JSON file "
        "describing one: {fix})",
        "未知的量表 {spec!r}；预置量表：{presets}（或 'auto'、sa.Scale(...)，或描述量表的 JSON 文件：{fix}）"),

    # -- load: reading files, the ledger, reasons of exclusion ---------------------------------

    # -- design: the Survey, its options, calibration ------------------------------------------
    "design.lonely": (
        "strata with only one cluster: {shown} ({count} of {strata} strata); their variance "
        "cannot be estimated. Say how to treat them: {fix} (adds nothing; R survey.lonely.psu), "
        "'certainty' (the same for one stage), 'adjust' (centred at the overall mean; "
        "conservative) or 'average' (the other strata's average). Or merge each with a similar "
        "stratum.",
        "只有一个群的层：{shown}（{strata} 个层中有 {count} 个），无法估计其方差。请说明如何处理："
        "{fix}（不计入；同 R 的 survey.lonely.psu）、'certainty'（单阶段时相同）、'adjust'（以总体均值为中心；"
        "偏保守）或 'average'（取其他层的平均）。或者把它们分别与相近的层合并。"),
    "design.not_nested": (
        "clusters must be nested in strata: some {cluster!r} values appear in more than one "
        "{strata!r} ({shown}). If the same item was surveyed in several {strata} values, take item "
        "x {strata} as the cluster: {fix}",
        "群必须嵌套在层内：有些 {cluster!r} 值出现在不止一个 {strata!r} 中（{shown}）。如果同一事项在多个"
        " {strata} 中调查，请把“事项 × {strata}”作为群：{fix}"),
    "design.columns_missing": (
        "column(s) {missing} not found; columns are {found} (load_responses carries extra "
        "columns with {fix})",
        "未找到列 {missing}；现有列为 {found}（load_responses 用 {fix} 保留其他列）"),
    "design.not_counted": (
        "column(s) {missing} were not counted; the counts are kept by {keys}. Name them when "
        "building the Survey: {fix} (a file is scanned once)",
        "列 {missing} 未计入计数；计数按 {keys} 保存。请在建立 Survey 时指定：{fix}（文件只扫描一次）"),
    "design.contradicts": (
        "this Survey was built with {keyword}={own!r}; {keyword}={given!r} asks for another "
        "design. Build it with survey.{method}(...) and pass that Survey, or pass the responses "
        "instead of the Survey",
        "该 Survey 的 {keyword}={own!r}；而 {keyword}={given!r} 要求另一种设计。请用 "
        "survey.{method}(...) 建立新的 Survey 再传入，或直接传入回答数据"),
    "design.none": ("none", "无"),
    "design.describe": ("{answers} valid answers on {items} items; {units}; weights: {weight}.",
                        "{answers} 个有效回答，{items} 个事项；{units}；权重：{weight}。"),
    "design.units_clusters": ("clusters: {cluster}; strata: {strata}", "群：{cluster}；层：{strata}"),
    "design.units_census": (
        "strata: {cluster}{strata} (a census of items; answers are the sampling units)",
        "层：{cluster}{strata}（事项普查，回答为抽样单位）"),
    "design.units_answers": ("no clusters (every answer is a sampling unit); strata: {strata}",
                             "不分群（每个回答为一个抽样单位）；层：{strata}"),
    "design.calibrated": (" Weights calibrated ({method}) to {margins}.",
                          "权重已校准（{method}）至 {margins}。"),
    "design.domain": (" Subset: {domain}.", "子总体：{domain}。"),

    # -- estimate: notes and errors of the estimators ------------------------------------------
    "change.improved": ("improved", "提高"),
    "change.worsened": ("worsened", "下降"),
    "change.no clear change": ("no clear change", "无明显变化"),
    "change.in one round only": ("in one round only", "仅一轮有回答"),
    "rounds.summary": (
        "{later} against {earlier}: overall {rate_later:.1%} vs {rate_earlier:.1%}, a change of "
        "{difference:+.1%} ({level} design-based interval [{low:+.1%}, {high:+.1%}], p = {p:.3g}); "
        "after adjusting for {items} items, {improved} improved and {worsened} worsened beyond chance.",
        "{later} 相比 {earlier}：总体满意率 {rate_later:.1%} 对 {rate_earlier:.1%}，变化 {difference:+.1%}"
        "（{level} 设计区间 [{low:+.1%}, {high:+.1%}]，p = {p:.3g}）；经对 {items} 个事项作多重比较校正，"
        "{improved} 个事项提高、{worsened} 个事项下降。"),
    "rounds.name_two": (
        "{round!r} has {count} rounds {present}; name the two to compare, earliest first: {fix}",
        "{round!r} 列有 {count} 轮 {present}；请指定要比较的两轮（先早后晚）：{fix}"),

    # -- claims: verdicts and their reasons -----------------------------------------------------
    "verdict.supported": ("supported", "支持"),
    "verdict.consistent but not shown": ("consistent but not shown", "不矛盾但未证实"),
    "verdict.contradicted": ("contradicted", "矛盾"),
    "verdict.not in data": ("not in data", "数据中无此事项"),
    "claims.view.clusters": ("items as clusters (a sample of possible items)",
                             "事项作为群（可能事项的样本）"),
    "claims.view.strata": ("items as strata (a census of the items)", "事项作为层（全部事项的普查）"),
    "claims.other_view": (
        "the verdict depends on what the items are: with {view}, one-sided {level} bounds "
        "[{low:.4f}, {high:.4f}] (design effect {deff:.2f})",
        "结论取决于如何看待事项：若{view}，单侧 {level} 界限 [{low:.4f}, {high:.4f}]（设计效应 {deff:.2f}）"),
    "claims.pooled": (
        "pooled over all answers: one-sided {level} bounds [{low:.4f}, {high:.4f}]; {answers} "
        "answers on {units} clusters",
        "全部回答合并：单侧 {level} 界限 [{low:.4f}, {high:.4f}]；{answers} 个回答，{units} 个群"),
    "claims.mean_of_items": (
        "mean of the item rates: one-sided {level} bounds [{low:.4f}, {high:.4f}]; {answers} "
        "answers on {units} items",
        "各事项满意率的平均：单侧 {level} 界限 [{low:.4f}, {high:.4f}]；{answers} 个回答，{units} 个事项"),
    "claims.chance": (
        ". With these item sizes and a beta-binomial fit of the item rates (mean {mean:.3f}), "
        "chance alone gives {expected:.1f} items at 100% ({level} range {low} to {high}); "
        "P({span}) = {probability:.3f}",
        "。按这些事项的受访人数和β-二项模型拟合（平均 {mean:.3f}），偶然出现的100%事项约 "
        "{expected:.1f} 个（{level} 范围 {low} 至 {high}）；P({span}) = {probability:.3f}"),
    "claims.span_range": ("{low:g} to {high:g}", "{low:g} 至 {high:g}"),
    "claims.span_from": (">= {low:g}", ">= {low:g}"),
    "claims.at_100": ("{count} of {items} items have every respondent satisfied",
                      "{items} 个事项中 {count} 个全部受访者满意"),
    "claims.at_100_bounds": (
        " (n from {n_min} to {n_max}; one-sided {level} exact lower bounds {b_min:.3f} to "
        "{b_max:.3f}{shown})",
        "（n 为 {n_min} 至 {n_max}；单侧 {level} 精确下限 {b_min:.3f} 至 {b_max:.3f}{shown}）"),
    "claims.at_100_shown": ("; {shown} of them show a true rate above {threshold}",
                            "；其中 {shown} 个能说明真实满意率高于 {threshold}"),
    "claims.count": ("{count:,} {what} in the data", "数据中有 {count:,} 个{what}"),
    "claims.what.items": ("items with answers", "有回答的事项"),
    "claims.what.answers": ("valid answers", "有效回答"),
    "claims.item_missing": ("item {item!r} has no valid responses", "事项 {item} 在数据中没有有效回答"),
    "claims.item_all": (
        "all {n} respondents satisfied; this shows only that the true rate is above {low:.3f} "
        "(one-sided {level} exact bound)",
        "{n} 名受访者全部满意；这只能说明真实满意率高于 {low:.3f}（单侧 {level} 精确下限）"),
    "claims.item_not_all": ("{k} of {n} respondents satisfied: not 100% in these data",
                            "{n} 名受访者中 {k} 名满意：数据中并非100%"),
    "claims.item_rate": ("{k} of {n} respondents satisfied; one-sided {level} exact bounds",
                         "{n} 名受访者中 {k} 名满意；单侧 {level} 精确界限"),
    "claims.required": (
        "claims is required: a claims table or file (sa.read_claims), e.g. the office's own "
        "published statements, or sa.load_published_claims() for the bundled article",
        "需要提供声明（claims）：声明表或文件（sa.read_claims），例如单位自己发布的表述，或随附文章的 "
        "sa.load_published_claims()"),
    "claims.empty": ("the claims table has no rows: there is nothing to check",
                     "声明表没有任何行：没有可核对的内容"),
    "claims.no_answer": (
        "{source}: no valid answer{ledger}, so there is nothing to check the claims against: a "
        "verdict needs at least one answer",
        "{source}：没有有效回答{ledger}，无法核对声明：结论至少需要一个回答"),
    "claims.ledger": (" (rows read {read}, kept {kept}; excluded: {listing})",
                      "（读取 {read} 行，保留 {kept} 行；排除：{listing}）"),

    # -- analysis: the standard analysis, what was not computed ---------------------------------
    "measure.items": ("items with responses", "有回答的事项数"),
    "measure.responses": ("valid responses", "有效回答数"),
    "measure.excluded": ("rows excluded (see load report)", "排除的行（见加载报告）"),
    "measure.pooled": ("pooled satisfaction (clusters: {cluster})", "总体满意度（合并；按{cluster}整群）"),
    "measure.pooled_strata": ("pooled satisfaction (items as strata)", "总体满意度（合并；事项作为层）"),
    "measure.pooled_answers": ("pooled satisfaction (answers as units)", "总体满意度（合并；回答为抽样单位）"),
    "measure.naive": ("pooled satisfaction (naive interval, answers independent)",
                      "总体满意度（朴素区间，视每个回答独立）"),
    "measure.mean_of_items": ("mean of item rates", "事项满意度平均"),
    "measure.design_effect": ("design effect", "设计效应"),
    "measure.items_at_100": ("items at 100%", "满意度100%的事项数"),
    "measure.item": ("item", "事项"),
    "not_computed.funnel_all": (
        "Funnel plot: not drawn, every answer is satisfied, so the pooled rate is 100% and no item "
        "can lie above or below it (control limits need a rate strictly between 0% and 100%).",
        "漏斗图：未绘制。所有回答都是满意，总体满意率为100%，没有事项可能高于或低于它"
        "（控制限要求满意率严格介于0%和100%之间）。"),
    "not_computed.funnel_none": (
        "Funnel plot: not drawn, no answer is satisfied, so the pooled rate is 0% and no item can "
        "lie above or below it (control limits need a rate strictly between 0% and 100%).",
        "漏斗图：未绘制。没有任何满意的回答，总体满意率为0%，没有事项可能高于或低于它"
        "（控制限要求满意率严格介于0%和100%之间）。"),
    "not_computed.chance": (
        "How many 100% items chance alone gives: not computed, the beta-binomial fit of the item "
        "rates needs at least two items with answers whose rates are not all 100% or all 0%.",
        "偶然出现的100%事项数：未计算。对各事项满意率做β-二项拟合，至少需要两个有回答的事项，"
        "且满意率不能全为100%或全为0%。"),
    "analysis.counts_keys": (
        "counts= has unknown key(s) {unknown}; allowed: {allowed}",
        "counts= 含有未知的键 {unknown}；可用：{allowed}"),

    # -- present: labels of tables, figures and reports -----------------------------------------
    "report.items_all": ("all {total} {what}", "全部 {total} 个{what}"),
    "report.items_shown": (
        "showing {shown} of {total} {what}: the {low} lowest and the {high} highest {measure}",
        "显示 {total} 个{what}中的 {shown} 个：{measure}最低的 {low} 个和最高的 {high} 个"),
    "report.what_items": ("items", "事项"),
    "report.what_groups": ("groups", "组"),
    "report.measure_rates": ("rates", "满意率"),
    "report.measure_shares": ("satisfied shares", "满意比例"),
    "report.every_item_files": (
        " (every item is in item_rates.csv and tables.xlsx; the histogram and the funnel plot "
        "show them all)",
        "（每个事项都在 item_rates.csv 及 tables.xlsx 中；直方图和漏斗图显示全部事项）"),
    "report.dashed": ("; dashed line: {threshold}", "；虚线为 {threshold}"),
    "report.forest_caption": (
        "Item rates with {level} {method} intervals: {part}; open red circles are 100% items{line}.",
        "各事项满意率及{level}{method}区间：{part}；空心红圈为100%事项{line}。"),
    "report.histogram_caption": (
        "The rates of all {total} items, the 100% items in a bar of their own (red){line}. Items "
        "with few respondents land in the tails more easily: the funnel plot shows which "
        "differences chance explains.",
        "全部 {total} 个事项的满意率分布，满意度100%的事项单列（红色）{line}。受访人数少的事项更容易落在两端："
        "哪些差异只是偶然，见漏斗图。"),
    "report.funnel_every": (", one point per item ({count} items)", "，每点一个事项（共 {count} 个）"),
    "report.funnel_caption": (
        "Funnel plot: rate against respondents{every}; exact binomial limits ({levels}).",
        "漏斗图：满意率与受访人数{every}；控制限为精确二项界限（{levels}）。"),
    "report.sensitivity_caption": (
        "The headline under each definition of satisfied ({level} intervals).",
        "“满意”的不同口径下的总体满意度（{level}区间）。"),
    "report.claimed_band": ("; shaded: the claimed range", "；阴影为所称范围"),
    "report.chance_caption": (
        "How many 100% items chance alone gives under the fitted beta-binomial model{band}.",
        "按拟合的β-二项模型，偶然出现的100%事项数分布{band}。"),
    "report.answers_title": ("Answers", "回答分布"),
    "report.every_item_shares": (" (every item is in answer_shares.csv)", "（每个事项都在 answer_shares.csv 中）"),
    "report.shares_caption": ("Answer distribution: {part}.", "各事项的回答分布：{part}。"),
    "report.every_group": ("; {part} (every group is in groups.csv)", "；{part}（每组都在 groups.csv 中）"),
    "report.groups_caption": ("Satisfaction by {by} with {level} intervals{part}.",
                              "按{by}的满意率及{level}区间{part}。"),
    "report.item": ("item {item}", "事项 {item}"),
    "report.excluded_reason": ("excluded: {reason}", "排除：{reason}"),
    "report.scale_none": ("Scale: none (no substantive answer)", "量表：无（没有有效回答）"),
    "report.scale_part": ("{name} ({levels}); satisfied by its convention: {satisfied}",
                          "{name}（{levels}），按其通行口径“满意”= {satisfied}"),
    "report.scale_line": ("Scale: {parts}", "量表：{parts}"),
    "report.scale_sep": ("; ", "；"),
    "report.interval_logit": ("logit interval", "logit 区间"),
    "report.interval_beta": ("Korn-Graubard beta interval", "Korn-Graubard β 区间"),
    "report.method_dont_know": (
        " \"Don't know\" answers are left out of the denominator and listed in the load report.",
        "“不了解”等回答不计入分母，在加载报告中列出。"),
    "report.method_items": ("Item rates: {method} intervals ({level}).", "各事项满意率：{method} 区间（{level}）。"),
    "report.method_pooled": (
        "Pooled overall rate: satisfied over all valid answers; the interval treats {cluster} as "
        "clusters (Taylor linearization, {interval}, df = {df:g}), as R survey's svyciprop; the "
        "naive interval that treats every answer as independent is shown for contrast.",
        "总体满意度（合并）：全部有效回答中满意的比例；区间以 {cluster} 为群（泰勒线性化，{interval}，"
        "自由度 = {df:g}），与 R survey 包 svyciprop 一致；另列视每个回答独立的朴素区间作对照。"),
    "report.method_mean": ("Mean of item rates: every item counts once; t interval across items.",
                           "事项满意度平均：每个事项权重相同，跨事项的 t 区间。"),
    "report.method_100": ("100% items: one-sided exact (Clopper-Pearson) lower bound {alpha}^(1/n).",
                          "100% 事项：单侧精确（Clopper-Pearson）下限 {alpha}^(1/n)。"),
    "report.method_claims": (
        "Claim verdicts use one-sided {level} bounds: supported if the whole interval lies inside "
        "the claim, contradicted if it lies outside, otherwise consistent but not shown; counts "
        "are judged by the count in the data.",
        "公开说法的判定：用单侧 {level} 界限；区间全部落在所称范围内为“支持”，全部在范围外为“矛盾”，"
        "否则为“不矛盾但未证实”；计数类说法按数据中的实际计数判定。"),
    "plot.rate_ci": ("satisfaction rate, {level} {method} interval", "满意率及{level} {method}区间"),
    "plot.rate_ci_plain": ("satisfaction rate with interval", "满意率及置信区间"),
    "plot.satisfied_is": ("satisfied = {levels}", "满意 = {levels}"),
    "plot.rate": ("rate", "满意率"),
    "plot.all_satisfied": ("100% (all satisfied)", "100%（全部满意）"),
    "plot.respondents": ("respondents per item", "每个事项的受访人数"),
    "plot.satisfaction": ("satisfaction rate", "满意率"),
    "plot.funnel": ("Funnel plot", "漏斗图"),
    "plot.target": ("target {value}", "目标 {value}"),
    "plot.limits": ("{level} limits", "{level}控制限"),
    "plot.within": ("within limits", "在控制限内"),
    "plot.above": ("above (inner limits)", "高于内控制限"),
    "plot.below": ("below (inner limits)", "低于内控制限"),
    "plot.outer": ("outside outer limits", "超出外控制限"),
    "plot.share": ("share of answers (left of 0: not satisfied)", "回答占比（0 左侧：不满意）"),
    "plot.answers_by": ("Answers by {by}", "回答分布（按{by}）"),
    "plot.overall": ("overall satisfaction", "总体满意度"),
    "plot.sensitivity": ("How the headline depends on the definition", "口径敏感性"),
    "plot.score_index": ("score index (0-1)", "得分指数（0-1）"),
    "plot.pooled": ("pooled", "合并"),
    "plot.mean_of_items": ("mean of items", "事项平均"),
    "plot.n_at_100": ("number of items at 100%", "满意度100%的事项数"),
    "plot.probability": ("probability", "概率"),
    "plot.chance": ("chance alone", "偶然"),
    "plot.in_data": ("in the data: {value}", "数据中：{value}"),
    "plot.claimed": ("claimed {low}-{high}", "声称 {low}-{high}"),
    "plot.chance_title": ("How many 100% items chance alone gives", "偶然出现的100%事项数"),
    "plot.true_rate": ("true satisfaction rate", "真实满意率"),
    "plot.coverage": ("coverage", "覆盖率"),
    "plot.coverage_title": ("Exact coverage, n = {n}", "精确覆盖率，n = {n}"),
    "plot.nominal": ("nominal {level}", "名义 {level}"),
    "plot.observed_rate": ("observed rate", "观测满意率"),
    "plot.shrunken_rate": ("shrunken rate", "收缩后满意率"),
    "plot.no_shrinkage": ("no shrinkage", "不收缩"),
    "plot.respondents_n": ("respondents n", "受访人数"),
    "plot.shrink_title": ("Small items are pulled towards the common level", "小样本事项收缩更多"),
    "plot.rank_items": ("items, ordered by mean simulated rank", "按平均排名排序的事项"),
    "plot.rank": ("rank (1 = best)", "排名（1 = 最好）"),
    "plot.rank_title": ("{level} intervals of each item's rank", "各事项排名的{level}区间"),
    "plot.power": ("power", "检验功效"),
    "plot.implied_x": ("respondents per item", "每个事项的受访人数"),
    "plot.implied_y": ("P(both figures)", "两个数字同时出现的概率"),
    "plot.implied_title": (
        "Both published figures, mean true rate {mean}",
        "两个公开数字同时出现（平均真实满意率 {mean}）"),
    "plot.implied_spread": ("SD {spread}", "标准差 {spread}"),
    "plot.implied_legend": ("spread of true rates", "事项间差异"),
    "plot.power_title": ("Power to show the claim", "证明该说法的检验功效"),
    "plot.denominator_title": ("Which denominator reproduces the published rate?", "哪个分母能得出公布的比率？"),
    "plot.denominator_x": ("rate = count / denominator (%)", "比率 = 计数 / 分母（%）"),
    "plot.window": ("values that round to the published rate", "舍入后等于公布值的区间"),
    "plot.filled": ("filled: rounds to the published rate; hollow: does not", "实心：舍入后等于公布值；空心：不等于"),
    "plot.power_target": ("{level} power", "{level}功效"),
    "plot.rounds_title": ("Change per item, {earlier} to {later}", "各事项满意率变化：{earlier} → {later}"),
    "plot.rounds_verdict": (
        "colour: change after {adjustment} adjustment over {m} items, {level}",
        "颜色：对 {m} 个事项作 {adjustment} 多重比较校正后的判断（{level}）"),
    "plot.rounds_shown": (
        "{shown} of {total} items shown: every changed item, then the largest differences",
        "显示 {total} 个事项中的 {shown} 个：全部有变化的事项及变化最大的事项"),
    "plot.rows_shown": (
        "showing {shown} of {total} {what}: the {low} lowest and the {high} highest {by}",
        "显示 {total} 个{what}中的 {shown} 个：{by}最低的 {low} 个和最高的 {high} 个"),
    "plot.rows_hidden": (
        "… {hidden} {what} in between not shown …",
        "…… 中间另有 {hidden} 个{what}未显示 ……"),
    "plot.items": ("items", "事项"),
    "plot.groups": ("groups", "组"),
    "plot.rows": ("rows", "行"),
    "plot.by_rate": ("rates", "满意率"),
    "plot.by_share": ("satisfied shares", "满意比例"),
    "plot.perfect_all": (
        "{count} items at 100% in all (n {low}-{high})",
        "共 {count} 个事项满意度为100%（n = {low}-{high}）"),
    "plot.histogram_title": ("Item satisfaction rates, {total} items", "事项满意率分布（共 {total} 个事项）"),
    "plot.items_count": ("items", "事项数"),
    "plot.below_100": ("items below 100%", "低于100%的事项"),
    "plot.denominator_shown": (
        "showing {shown} of {total} rows: those no candidate reproduces first",
        "显示 {total} 行中的 {shown} 行：优先显示没有候选分母能得出公布值的行"),
    "plot.labelled": (
        "{shown} of {total} changed items labelled (the largest differences)",
        "标注了 {total} 个有变化事项中差异最大的 {shown} 个"),
    "report.title": ("Satisfaction survey report", "群众满意度分析报告"),
    "report.synthetic": (
        "Data: this report uses <strong>SYNTHETIC</strong> responses generated from stated assumptions, not real respondents; it shows the method, not any office's results.",
        "数据说明：本报告使用的是按既定假设生成的<strong>合成数据</strong>，并非真实受访者的回答；结论只说明分析方法，不代表任何单位的实际情况。"),
    "report.warning": ("Warning", "警告"),
    "report.source": ("Data file", "数据文件"),
    "report.generated": ("Generated", "生成日期"),
    "report.design": ("Design", "设计"),
    "report.definition": ("Definition", "口径"),
    "report.headline": ("Headline figures", "核心指标"),
    "report.claims": ("Published claims checked", "公开说法的核对"),
    "report.not_checked": (
        "{n} other statement(s) in the claims file are not about satisfaction (counts of works, money) and were not checked: {ids}.",
        "说法文件中另有 {n} 条不涉及满意度（工作量、资金等），未核对：{ids}。"),
    "report.perfect": ("Items at 100%", "满意度100%的事项"),
    "report.perfect_note": (
        "All respondents satisfied shows only that the true rate is above the one-sided {level} exact lower bound {alpha}^(1/n); the smaller n, the weaker that is.",
        "所有受访者都满意，只能说明真实满意率高于单侧{level}精确下限 {alpha}^(1/n)；n 越小，下限越低。"),
    "report.chance_note": (
        "Chance alone (a beta-binomial fit of the item rates) gives {mean:.1f} items at 100% ({level} range {low} to {high}); the data have {observed}.",
        "仅凭偶然（按各事项满意率的β-二项拟合），约有 {mean:.1f} 个事项达到100%（{level}范围 {low} 至 {high}）；数据中有 {observed} 个。"),
    "report.items": ("Item satisfaction rates, lowest first", "各事项满意率（从低到高）"),
    "report.groups": ("Satisfaction by {by}", "按{by}的满意率"),
    "report.group_test": (
        "Test of equal rates across {by}: {method}, p = {p:.4g}. {note}",
        "各{by}满意率相同的检验：{method}，p = {p:.4g}。{note}"),
    "report.figures": ("Figures", "图"),
    "report.not_computed": ("Not computed for these data", "这些数据无法计算的内容"),
    "report.load": ("Load report (where every row went)", "数据加载报告（每一行的去向）"),
    "report.methods": ("Methods", "方法说明"),
    "report.none": ("none", "无"),
    "report.first_rows": (
        "First {shown} of {total} rows shown; the full table is in {where}.",
        "仅显示 {total} 行中的前 {shown} 行；完整表格见 {where}。"),
    "report.end_rows": (
        "The {low} lowest and the {high} highest of {total} rows shown; the full table is in {where}.",
        "仅显示 {total} 行中最低的 {low} 行和最高的 {high} 行；完整表格见 {where}。"),
    "report.in_both": (
        "{name}.csv and in tables.xlsx (sheet {name})",
        "{name}.csv 及 tables.xlsx（工作表 {name}）"),
    "report.in_csv": (
        "{name}.csv (too long for tables.xlsx, which lists it)",
        "{name}.csv（行数过多，未放入 tables.xlsx，其目录页有说明）"),
    "report.hidden_rows": ("… {n} rows not shown …", "…… 中间 {n} 行未显示 ……"),
    "report.measure": ("Measure", "指标"),
    "report.estimate_ci": ("Estimate [{level} interval]", "估计值 [{level}区间]"),
    "report.published": ("Published", "公开数字"),
    "report.verdict": ("Verdict", "判定"),
    "report.percent_audit": ("Published percentages: which counts fit", "公布的百分比：哪些计数与之相符"),
    "report.percent_audit_text": (
        "Each row's percentage, rounded as published, is met by the satisfied counts from the fewest to the most shown; a row that no whole count fits is excluded from the estimates (another denominator, or other rounding?).",
        "每行公布的百分比（按公布的小数位四舍五入）只能由表中“最少满意数”至“最多满意数”之间的满意人数得到；没有任何整数计数相符的行不参与估计（分母可能另有所指，或取舍方式不同）。"),
    "column.item_id": ("item", "事项编号"),
    "column.name_zh": ("name (zh)", "事项名称"),
    "column.name_en": ("name", "名称（英文）"),
    "column.category": ("category", "类别"),
    "column.n": ("n", "有效回答"),
    "column.satisfied": ("satisfied", "满意"),
    "column.rate": ("rate", "满意率"),
    "column.ci_low": ("lower", "下限"),
    "column.ci_high": ("upper", "上限"),
    "column.satisfied_min": ("satisfied (fewest)", "满意（最少）"),
    "column.satisfied_max": ("satisfied (most)", "满意（最多）"),
    "column.k_min": ("fewest satisfied", "最少满意数"),
    "column.k_max": ("most satisfied", "最多满意数"),
    "column.n_consistent": ("counts that fit", "相符计数个数"),
    "column.consistent": ("fits a count", "有相符计数"),
    "column.decimals": ("decimals", "小数位"),
    "column.source_line": ("line", "行号"),
    "column.lower_bound": ("one-sided lower bound", "单侧下限"),
    "column.method": ("method", "方法"),
    "column.confidence_level": ("level", "置信水平"),
    "column.category_": ("category", "类别"),
    "column.rows": ("rows", "行数"),
    "column.source_lines": ("lines", "行号"),
    "column.claimed": ("claimed", "所称"),
    "column.wording": ("as published", "原文表述"),
    "column.quote": ("quote", "原文"),
    "column.estimand": ("estimand", "估计对象"),
    "column.estimate": ("estimate", "估计值"),
    "column.verdict": ("verdict", "判定"),
    "column.detail": ("detail", "说明"),
    "estimand.pooled": ("pooled", "合并"),
    "estimand.mean_of_items": ("mean of items", "事项平均"),
    "estimand.count_of_items_at_100": ("items at 100%", "100%事项数"),
    "estimand.items_with_responses": ("items", "事项数"),
    "estimand.valid_responses": ("answers", "回答数"),
    "ledger.read": ("read", "读入"),
    "ledger.kept": ("kept", "保留"),
    "ledger.excluded": ("excluded", "排除"),

}


def _format(template: str, params: dict, lang: str, flags) -> str:
    rendered = {name: (value.render(flags) if isinstance(value, Hint) else
                       value.render(lang, flags) if isinstance(value, Message) else value)
                for name, value in params.items()}
    return template.format(**rendered)


def say(code: str, lang: str = "en", **params) -> str:
    """The catalogue entry ``code`` in ``lang`` ("en" or "zh") with its ``params`` filled in.

    Raises
    ------
    KeyError
        For a code that is not in :data:`CATALOGUE` (a programming error).
    ValueError
        For a language other than those in :data:`LANGUAGES`.
    """
    return Message(code, params).render(lang)


@dataclass(frozen=True)
class Hint:
    """An option that changes what happens: ``keyword=value``, said by the library as the
    keyword and by the command line with its flag beside it."""

    keyword: str
    value: object

    def render(self, flags=None) -> str:
        """``keyword='value'``; with ``flags`` (a callable ``(keyword, value) -> flag text``
        or None when the keyword has no flag), ``keyword='value' (CLI --flag value)``."""
        text = f"{self.keyword}={self.value!r}"
        flag = flags(self.keyword, self.value) if flags is not None else None
        return f"{text} (CLI {flag})" if flag else text


@dataclass(frozen=True)
class Message:
    """A catalogue entry with its parameters: what a lower layer says, before a language
    is chosen.

    Parameters
    ----------
    code : str
        A key of :data:`CATALOGUE`.
    params : dict
        The values of the entry's placeholders (a :class:`Hint` or a nested Message
        is rendered in the same language).

    Examples
    --------
    >>> m = Message("level.range", {"value": 95})
    >>> m.render("en")
    'confidence_level must be strictly between 0 and 1, got 95 (write 0.95, not 95)'
    """

    code: str
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.code not in CATALOGUE:
            raise KeyError(f"no catalogue entry {self.code!r}")

    def render(self, lang: str = "en", flags=None) -> str:
        """The sentence in ``lang``; ``flags`` as in :meth:`Hint.render`."""
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}; allowed: {', '.join(LANGUAGES)}")
        return _format(CATALOGUE[self.code][LANGUAGES.index(lang)], self.params, lang, flags)

    def __str__(self) -> str:
        return self.render("en")


def join(messages, lang: str = "en", sep: str = "; ") -> str:
    """Several messages (or plain texts) rendered and joined."""
    return sep.join(m.render(lang) if isinstance(m, Message) else str(m) for m in messages if m)


class SurveyError(ValueError):
    """A ``ValueError`` whose text is a catalogue entry.

    Parameters
    ----------
    code : str
        A key of :data:`CATALOGUE`.
    languages : tuple of str, default ("en",)
        The languages of ``str(error)``, one paragraph each: ``("en", "zh")`` for an
        error about a sheet written in Chinese.
    prefix : str, optional
        Where the error is (a file, line and column), put before the sentence.
    **params
        The entry's parameters; :class:`Hint` values are options that would change
        the outcome (the command line adds their flags).

    Attributes
    ----------
    code, params, languages, prefix
        As given; :attr:`message` is the :class:`Message`.
    """

    def __init__(self, code: str, *, languages=("en",), prefix: str = "", **params):
        self.message = Message(code, params)
        self.code, self.params = code, params
        self.languages, self.prefix = tuple(languages), prefix
        super().__init__(self.render())

    @property
    def hints(self) -> tuple:
        """The options the error proposes (:class:`Hint` parameters), in order."""
        return tuple(v for v in self.params.values() if isinstance(v, Hint))

    def render(self, languages=None, flags=None) -> str:
        """The error's text in ``languages`` (default its own), keywords with their flags
        when ``flags`` is given (see :meth:`Hint.render`)."""
        languages = self.languages if languages is None else (
            (languages,) if isinstance(languages, str) else tuple(languages))
        head = f"{self.prefix}: " if self.prefix else ""
        return "\n".join(head + self.message.render(lang, flags) for lang in languages)

    def __reduce__(self):  # picklable (Dask workers send errors back)
        return (_rebuild_error, (type(self), self.code, self.params, self.languages, self.prefix))


def _rebuild_error(kind, code, params, languages, prefix):
    error = kind.__new__(kind)
    SurveyError.__init__(error, code, languages=languages, prefix=prefix, **params)
    return error


class SurveyWarning(UserWarning):
    """A warning whose text is a catalogue entry (``.message`` is the :class:`Message`)."""

    def __init__(self, message: Message):
        self.message = message
        super().__init__(message.render("en"))


def warn(code: str, stacklevel: int = 3, **params) -> None:
    """Issue a :class:`SurveyWarning` for the catalogue entry ``code``."""
    warnings.warn(SurveyWarning(Message(code, params)), stacklevel=stacklevel)


# ----------------------------------------------------------------------------------------
# How results show themselves (short reprs and notebook tables)
# ----------------------------------------------------------------------------------------
def percent(value, digits: int = 1) -> str:
    """A rate as a percentage (``0.9674 -> '96.7%'``); ``'-'`` when not a number."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return "-"
    return "-" if math.isnan(value) else f"{100.0 * value:.{digits}f}%"


def percent_interval(low, high, digits: int = 1) -> str:
    """``'[96.3%, 97.1%]'``."""
    return f"[{percent(low, digits)}, {percent(high, digits)}]"


def shorten(text: str, limit: int = 400) -> str:
    """``text`` cut to ``limit`` characters (an ellipsis says it was cut)."""
    return text if len(text) <= limit else text[:limit - 3] + "..."


def html_table(rows, columns, caption: str = "") -> str:
    """A small HTML table (every cell escaped) for a result's ``_repr_html_``."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in rows)
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{title}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def frame_html(frame, caption: str = "", percent_columns=(), max_rows: int = 20) -> str:
    """A result table as a small HTML table: rates as percentages, other numbers to four
    significant digits, at most ``max_rows`` rows (the rest counted in the caption)."""
    shown = frame.head(max_rows)
    rows = []
    for record in shown.itertuples(index=False):
        cells = []
        for column, value in zip(shown.columns, record):
            if column in percent_columns:
                cells.append(percent(value))
            elif isinstance(value, float):
                cells.append("-" if math.isnan(value) else f"{value:.4g}")
            else:
                cells.append(value)
        rows.append(cells)
    if len(frame) > max_rows:
        caption = f"{caption} ({max_rows} of {len(frame)} rows)".strip()
    return html_table(rows, list(shown.columns), caption)
