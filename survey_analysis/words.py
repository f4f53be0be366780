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
from dataclasses import dataclass, field

__all__ = ["CATALOGUE", "LANGUAGES", "Hint", "Message", "Note", "Parts", "SurveyError",
           "SurveyWarning", "column_letters", "join_notes",
           "frame_html", "headline_number", "html_table", "has_chinese", "join", "percent",
           "percent_interval", "said", "say", "shorten"]

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
    "counts.infinite": ("successes and trials must be finite: found successes={k}, trials={n}{where}",
                        "成功数与试验数必须是有限数：发现 成功数={k}，试验数={n}{where}"),
    "counts.trials_negative": ("trials must be >= 0: found successes={k}, trials={n}{where}",
                               "试验数必须 >= 0：发现 成功数={k}，试验数={n}{where}"),
    "counts.successes_negative": ("successes must be >= 0: found successes={k}, trials={n}{where}",
                                  "成功数必须 >= 0：发现 成功数={k}，试验数={n}{where}"),
    "counts.too_many": ("successes must not exceed trials: found successes={k}, trials={n}{where}",
                        "成功数不能超过试验数：发现 成功数={k}，试验数={n}{where}"),
    "counts.position": (" at position {position}", "（位置 {position}）"),
    "text.parts": ("{parts}", "{parts}"),

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
    # Scales and definitions of "satisfied" as analysts declare them (scales/).
    "scales.levels_of": ("{name}: {levels}", "{name}：{levels}"),
    "scales.definition.unknown_scales": (
        "satisfied= names scale(s) {unknown} not used here; scales: {scales}",
        "satisfied= 指定的量表 {unknown} 在此未使用；现有量表：{scales}"),
    "scales.definition.unknown": (
        "unknown satisfied {value!r}; allowed: 'default', {boxes}, levels of the scale(s) in use "
        "({levels}) or a dict scale -> levels",
        "未知的 satisfied 取值 {value!r}；可选：'default'、{boxes}、所用量表的等级（{levels}），"
        "或“量表 -> 等级”的字典"),
    "scales.definition.some_scales": (
        "satisfied={value!r} is a level of some scales in use only; give a dict scale -> levels",
        "satisfied={value!r} 只是部分所用量表的等级；请给出“量表 -> 等级”的字典"),
    "scales.definition.not_levels": (
        "satisfied= names {unknown}, which are not levels of the scale(s) in use: {levels} (or use "
        "'default', 'top_box', 'top_two_box' ...)",
        "satisfied= 指定的 {unknown} 不是所用量表的等级：{levels}（或使用 'default'、'top_box'、"
        "'top_two_box' ……）"),
    "scales.definition.no_level": (
        "satisfied= names no level of scale {scale!r} ({levels}); give a dict scale -> levels",
        "satisfied= 没有指定量表 {scale!r}（{levels}）的任何等级；请给出“量表 -> 等级”的字典"),
    "scales.scale.two_levels": ("a scale needs at least two levels (best first), got {levels!r}",
                                "量表至少需要两个等级（从好到差），实际为 {levels!r}"),
    "scales.scale.distinct": ("levels of scale {name!r} must be distinct and non-empty, got {levels}",
                              "量表 {name!r} 的等级必须互不相同且非空，实际为 {levels}"),
    "scales.scale.scores": (
        "scores of scale {name!r} need one number from 0 to 100 per level, got {scores}",
        "量表 {name!r} 的 scores 需要每个等级一个 0 到 100 之间的数，实际为 {scores}"),
    "scales.scale.order": (
        "which end of scale {name!r} is the best? Its levels ({levels}) do not say and "
        "satisfied={k} counts from the best end: pass order='best_first' ({first} is best) or "
        "order='worst_first' ({last} is best)",
        "量表 {name!r} 哪一端是最好的等级？其等级（{levels}）无法判断，而 satisfied={k} 从最好的一端计数："
        "请传入 order='best_first'（{first} 最好）或 order='worst_first'（{last} 最好）"),
    "scales.scale.top_count": (
        "{what}={k} on scale {name!r} must count between 1 and {most} top levels (it has {count})",
        "量表 {name!r} 上的 {what}={k} 必须计入 1 到 {most} 个靠前的等级（该量表共 {count} 个等级）"),
    "scales.scale.not_levels": (
        "{what} names {unknown}, which are not levels of scale {name!r} (levels, best first: "
        "{levels})",
        "{what} 指定的 {unknown} 不是量表 {name!r} 的等级（等级从好到差：{levels}）"),
    "scales.scale.not_top": (
        "{what} levels of scale {name!r} must be its top levels (best first: {levels}); got "
        "{wanted}, which leaves out {missing} above them",
        "量表 {name!r} 的 {what} 等级必须是最靠前的若干等级（从好到差：{levels}）；实际为 {wanted}，"
        "漏掉了排在它们之前的 {missing}"),
    "scales.scale.leave_one_out": (
        "{what} on scale {name!r} must leave at least one level out (otherwise every answer is "
        "satisfied)",
        "量表 {name!r} 上的 {what} 必须至少留出一个等级（否则每个回答都算满意）"),
    "scales.scale.target": (
        "{what} of scale {name!r} maps {raw!r} to {target!r}, which is not a level ({levels}) or "
        "{dont_know!r}",
        "量表 {name!r} 的 {what} 把 {raw!r} 映射到 {target!r}，它既不是等级（{levels}），也不是 "
        "{dont_know!r}"),
    "scales.scale.code": ("codes of scale {name!r}: {raw!r} is not a whole number",
                          "量表 {name!r} 的 codes：{raw!r} 不是整数"),
    "scales.scale.every_answer": (
        "satisfied={spec!r} on scale {name!r} ({count} levels) would count every answer as "
        "satisfied",
        "量表 {name!r}（{count} 个等级）上的 satisfied={spec!r} 会把每个回答都算作满意"),
    "scales.scale.unknown_satisfied": (
        "unknown satisfied={spec!r}; allowed: 'default', {boxes}, or levels of scale {name!r} "
        "({levels})",
        "未知的 satisfied={spec!r}；可选：'default'、{boxes}，或量表 {name!r} 的等级（{levels}）"),
    "scales.scale.keys": ("a scale needs 'levels' and 'satisfied'; unknown keys {unknown}; allowed: {allowed}",
                          "量表需要 'levels' 和 'satisfied'；未知的键 {unknown}；可用的键：{allowed}"),
    "scales.scale.cannot_read": ("cannot read scale file {path}: {error}", "无法读取量表文件 {path}：{error}"),
    "scales.scale.not_object": ("scale file {path} must hold one JSON object",
                                "量表文件 {path} 必须包含一个 JSON 对象"),
    "scales.scale.unknown_in_responses": (
        "responses use scale {key!r}, which is neither in responses.attrs['scales'] nor a preset "
        "({presets})",
        "回答使用的量表 {key!r} 既不在 responses.attrs['scales'] 中，也不是预置量表（{presets}）"),

    # -- load: reading files, the ledger, reasons of exclusion ---------------------------------
    # Reasons of exclusion (the ledger's categories) and where an error is.
    "load.reason.summary_row": ("totals or summary row", "合计行"),
    "load.reason.footer_row": ("footer line under the table (制表人, 审核人, Prepared by ...)",
                               "表尾行（制表人、审核人、填报日期等）"),
    "load.reason.blank_row": ("blank row", "空行"),
    "load.reason.repeated_header": ("the header row again (two exports pasted one under the other?)",
                                    "重复的表头行（两份导出表拼接在一起？）"),
    "load.reason.not_published": ("count or percentage not published (empty, NA, Not Available)",
                                  "未公布数量或百分比（空白、NA 等）"),
    "load.reason.missing_rating": ("no answer (empty rating)", "未作答"),
    "load.reason.not_asked": ("not asked (empty cell of a wide sheet)", "未问"),
    "load.reason.unknown_item": ("item not in the catalogue", "目录外事项"),
    "load.reason.duplicate": ("another answer of the same respondent to the same item", "重复回答"),
    "load.reason.dont_know": ("\"don't know\" answer", "不了解"),
    "load.reason.unknown_label": ("answer that is no label of the scale", "无法识别的回答"),
    "load.reason.percent_fits_no_count": ("published percentage that no whole count fits",
                                          "百分比与人数对不上"),
    "load.where.sheet": (", sheet {sheet!r}", "，工作表 {sheet!r}"),
    "load.where.line": (", line {line}", "，第 {line} 行"),
    "load.where.column": (", column {column!r}", "，列 {column!r}"),
    # The ledger.
    "load.ledger.unbalanced": (
        "ledger does not balance for {source}: read {read}, kept {kept}, excluded {excluded}",
        "{source} 的台账不平衡：读入 {read}，保留 {kept}，排除 {excluded}"),
    "load.ledger.not_checked": (
        "not checked by this count: {what}; `survey-analysis validate FILE` applies every rule "
        "with line numbers",
        "此次计数未检查：{what}；`survey-analysis validate FILE` 会逐行应用全部规则并给出行号"),
    "load.ledger.empty_csv_lines": (
        "a CSV line with nothing on it (not even commas) is skipped, where the loader counts it as "
        "a blank row",
        "CSV 中完全空白（连逗号都没有）的行被跳过，而加载器会把它计为空行"),
    "load.ledger.no_scale": ("none (no substantive answer)", "无（没有实质性回答）"),
    "load.ledger.one_scale": ("{name}: {levels}; satisfied by its convention: {satisfied}",
                              "{name}：{levels}；按其惯例计为满意：{satisfied}"),
    "load.ledger.scale_of_items": ("{name} ({items} item(s)): {levels}, satisfied {satisfied}",
                                   "{name}（{items} 个事项）：{levels}，满意：{satisfied}"),
    "load.ledger.counts_head": ("Counts report for {source} (engine {engine})",
                                "{source} 的计数报告（引擎 {engine}）"),
    "load.ledger.load_head": ("Load report for {source} ({where})", "{source} 的加载报告（{where}）"),
    "load.ledger.wide": (
        "layout: wide, {items} item column(s) x {rows} data row(s) = {cells} answer cells (the "
        "counts below are cells)",
        "版式：宽表，{items} 个事项列 × {rows} 个数据行 = {cells} 个回答单元格（以下计数均为单元格）"),
    "load.ledger.encoding": ("encoding {encoding}", "编码 {encoding}"),
    "load.ledger.sheet": ("sheet {sheet!r}", "工作表 {sheet!r}"),
    "load.ledger.where_sep": (", ", "，"),
    "load.ledger.scale_sep": ("; ", "；"),
    "load.ledger.excluded_reason": ("excluded: {reason} ({meaning})", "排除：{meaning}（{reason}）"),
    "load.ledger.warning": ("WARNING: {text}", "警告：{text}"),
    "load.ledger.scale": ("scale: {summary}", "量表：{summary}"),
    "load.ledger.items_on": ("items on {name}: {listing}", "使用 {name} 的事项：{listing}"),
    "load.ledger.lines": ("lines {lines}", "行号 {lines}"),
    "load.ledger.unknown_item": ("{item} x{rows} (lines {lines})", "{item} ×{rows}（行号 {lines}）"),
    "load.ledger.note": ("note: {text}", "说明：{text}"),
    "load.ledger.how": (" ({how})", "（{how}）"),
    "load.ledger.header_row": ("header: row {line}", "表头：第 {line} 行"),   # a sheet row (Excel)
    "load.ledger.header_line": ("header: line {line}", "表头：第 {line} 行"),  # a text line (CSV)
    "load.ledger.columns": ("columns read: {listing}", "读取的列：{listing}"),
    "load.ledger.item_columns": ("item columns: {listing}", "事项列：{listing}"),
    "load.ledger.unknown_items": ("items not in the catalogue: {count}: {listing}",
                                  "不在事项目录中的事项：{count} 个：{listing}"),
    "load.warning.excludes": (
        "{reason} excludes {count} of {answers} answers ({share:.1%}): check that this is what "
        "you meant",
        "“{meaning}”排除了 {answers} 个回答中的 {count} 个（{share:.1%}）：请确认这是否符合本意"),
    "load.warning.percent_fits_no_count": (
        "percent_fits_no_count: on {count} of {rows} rows the published percentage fits no whole "
        "count of its n; those rows are excluded (see percent_audit)",
        "{rows} 行中有 {count} 行的公布百分比与其人数对不上（没有任何整数计数能四舍五入得到它），"
        "这些行已排除（见 percent_audit）"),
    "load.option.share": ("{name} must be a share between 0 and 1, got {value!r}",
                          "{name} 必须是 0 到 1 之间的比例，实际为 {value!r}"),
    # Which scale: detection and why.
    "load.scale.only_preset": ("the only preset whose labels cover the answers",
                               "唯一能涵盖全部回答的预设量表"),
    "load.scale.first_preset": (
        "presets {chosen}, {others} cover the answers; {chosen} comes first (fewest levels, then "
        "the order of sa.SCALES)",
        "预设量表 {chosen}、{others} 都能涵盖这些回答；取 {chosen}（等级最少，其次按 sa.SCALES 的顺序）"),
    "load.scale.other_preset": (
        "under preset {name} the satisfied answers would be {theirs} instead of {mine}: pass "
        "{hint} if that is the sheet's scale",
        "若按量表 {name}，计为满意的回答将是 {theirs}，而不是 {mine}；如确为该量表，请使用 {hint}"),
    "load.scale.numbers": (
        "the answers are numbers ({shown}); numbers have no direction by themselves, so say which "
        "scale they are on: {points5} (5 = best ... 1 = worst), {fft} (1 = very good ... 5 = very "
        "poor, 6 = don't know), or your own sa.Scale(levels, satisfied, codes={{...}}) (or {own} "
        "for a JSON file describing one)",
        "回答是数字（{shown}）；数字本身没有方向，请说明它们所在的量表：{points5}（5 = 最好 …… "
        "1 = 最差）、{fft}（1 = 非常好 …… 5 = 非常差，6 = 不知道），或自定义的 "
        "sa.Scale(levels, satisfied, codes={{...}})（描述量表的 JSON 文件用 {own}）"),
    "load.scale.given": ("given (scale=)", "已指定（scale=）"),
    "load.scale.given_per_item": ("given per item (scale=)", "逐个事项指定（scale=）"),
    "load.scale.given_some": ("given per item for {count} item(s); the others {how}",
                              "{count} 个事项逐个指定；其余事项：{how}"),
    "load.scale.none": ("no substantive answer: no scale", "没有实质性回答：无量表"),
    "load.scale.detected": ("detected: {how}", "自动识别：{how}"),
    "load.scale.no_answers": ("scale= names item(s) with no answers in the sheet: {items}",
                              "scale= 指定的事项在表中没有回答：{items}"),
    "load.scale.per_item": (
        "no single preset covers every answer; each item's scale was detected from its own "
        "answers ({listing})",
        "没有一个预设量表能涵盖全部回答；各事项的量表按其自身的回答识别（{listing}）"),
    "load.scale.closest": (
        "no preset covers every answer; read on the closest preset ({chosen}); the other labels "
        "are unknown",
        "没有预设量表能涵盖全部回答；按最接近的预设量表（{chosen}）读取，其余回答视为无法识别"),
    "load.scale.closest_note": ("no preset covers {labels}: the items were read on {chosen}, the closest",
                                "没有预设量表涵盖 {labels}：这些事项按最接近的 {chosen} 读取"),
    "load.scale.lacks": ("{name} ({levels}) lacks {labels}", "{name}（{levels}）缺少 {labels}"),
    "load.scale.lacks_more": ("; {name} ({levels}) lacks {labels}", "；{name}（{levels}）缺少 {labels}"),
    "load.scale.closest_presets": (". Closest presets: {p0}{p1}{p2}", "。最接近的预设量表：{p0}{p1}{p2}"),
    "load.scale.together": (" together with the other answers ({others})", "（以及其他回答 {others}）"),
    "load.scale.uncovered": (
        "no preset scale covers the answers {labels}{others}{lacking}. Say what each label means "
        "with {label_hint} ('dont_know' for a non-answer), choose a preset with {scale_hint} "
        "(presets: {presets}), or declare sa.Scale(levels, satisfied, ...) (or {own_hint} for a "
        "JSON file describing one)",
        "没有预设量表能涵盖回答 {labels}{others}{lacking}。请用 {label_hint} 说明每个回答的含义"
        "（无效回答写 'dont_know'），用 {scale_hint} 选择预设量表（预设：{presets}），或声明 "
        "sa.Scale(levels, satisfied, ...)（描述量表的 JSON 文件用 {own_hint}）"),
    # Options of load_responses and of the counts.
    "load.option.scale": ("scale must be 'auto', a preset name, a sa.Scale or a dict item -> scale, "
                          "got {value!r}",
                          "scale 必须是 'auto'、预设量表名、sa.Scale 或“事项 -> 量表”的字典，实际为 {value!r}"),
    "load.option.labels": ("labels= must be a dict {{label: level}}, got {kind}",
                           "labels= 必须是字典 {{回答: 等级}}，实际为 {kind}"),
    "load.option.item_columns_long": (
        "item_columns= describes a wide sheet; it cannot be used with layout='long'",
        "item_columns= 描述的是宽表，不能与 layout='long' 同时使用"),
    "load.option.item_columns_empty": ("item_columns= is empty", "item_columns= 为空"),
    "load.keep.tidy": ("keep_columns: {name!r} is a column of the tidy result already",
                       "keep_columns：{name!r} 已是整理结果中的列"),
    "load.keep.missing": ("keep_columns: column {name!r} not found; columns found: {headers}",
                          "keep_columns：找不到列 {name!r}；现有的列：{headers}"),
    "load.comments.tidy": ("comments: {name!r} is a column of the tidy result already",
                           "comments：{name!r} 已是整理结果中的列"),
    "load.comments.missing": ("comments: column {name!r} not found; columns found: {headers}",
                              "comments：找不到列 {name!r}；现有的列：{headers}"),
    "load.comments.found": (
        "free-text comment column(s) found and not read: {headers}; they are never items nor "
        "ratings, and are not kept unless named (comments may hold names, phone numbers and other "
        "personal data): pass {hint} to keep them as text for survey.comments()",
        "发现自由文本评论列（未读取）：{headers}；评论列不会作为事项或评价读取，且除非指定不予保留（评论可能含有"
        "姓名、电话等个人信息）：如需保留为文本供 survey.comments() 使用，请传入 {hint}"),
    # Ids: empty, merged, one respondent per row.
    "load.ids.item": ("item", "事项"),
    "load.ids.respondent": ("respondent", "受访者"),
    "load.ids.empty": ("empty {what} id on {count} row(s){where}", "{count} 行的{what}编号为空{where}"),
    "load.ids.excel_error": (
        "the {what} id is an Excel error value ({value!r}: a formula failed) on {count} row(s){where}; "
        "fix the formula in the sheet, or save its value",
        "{count} 行的{what}编号是 Excel 错误值（{value!r}：公式出错）{where}；请修正表格中的公式或保存其数值"),
    "load.ids.empty_lines": (" (lines {lines})", "（第 {lines} 行）"),
    "load.ids.empty_counted": ("; every answer needs its {what}{validate}", "；每个回答都需要{what}编号{validate}"),
    "load.validate_lines": (" (`survey-analysis validate FILE` lists the lines)",
                            "（`survey-analysis validate FILE` 可列出所在行）"),
    "load.ids.cleaned": ("invisible characters or outer spaces removed from {what} ids (column {column!r})",
                         "已去掉{what}编号中的不可见字符或首尾空格（列 {column!r}）"),
    "load.ids.merged": (
        "{count} {what} id(s) written in several ways were merged (they differ only by invisible "
        "characters, full-width forms or spaces; column {column!r}): {listing}",
        "{count} 个{what}编号有多种写法，已合并（仅相差不可见字符、全角形式或空格；列 {column!r}）：{listing}"),
    "load.ids.no_column": ("no respondent column", "没有受访者列"),
    "load.ids.declared_absent": ("columns={{'respondent_id': None}}", "columns={{'respondent_id': None}}"),
    "load.filter.kind": ("{keyword} must be a dict of header -> value(s), not {kind}",
                         "{keyword} 应为“列名 -> 值（或值的列表）”的字典，而不是 {kind}"),
    "load.filter.missing": ("{keyword} names {name!r}, which is not a column; columns found: {headers}",
                            "{keyword} 指定的列 {name!r} 不存在；已有的列：{headers}"),
    "load.filter.no_match": (
        "{keyword}: no row has {values} in column {column!r}; the values there are {found}",
        "{keyword}：列 {column!r} 中没有任何一行的值为 {values}；该列的值有 {found}"),
    "load.ids.masked_column": (
        "column {header!r} holds masked names or numbers ({values}), which cannot tell respondents "
        "apart (pass {hint} to key respondents by it anyway)",
        "列 {header!r} 为遮盖后的姓名或号码（{values}），无法区分受访者（如仍要以此列区分受访者，请传入 {hint}）"),
    "load.ids.own_respondent": ("{why}: each row is treated as its own respondent",
                                "{why}：每一行视为一位受访者"),
    # Items outside the catalogue.
    "load.items.unknown": (
        "{count} item(s) not in the catalogue: {listing}. Pass {report} to keep them or {exclude} "
        "to exclude and count them",
        "{count} 个事项不在事项目录中：{listing}。传入 {report} 保留它们，或传入 {exclude} 将其排除并计数"),
    "load.items.unanswered": ("{count} catalogue item(s) have no kept answer: {listing}",
                              "目录中 {count} 个事项没有有效回答：{listing}"),
    "load.catalogue.no_item_column": ("the catalogue has no item_id column; columns found: {headers}",
                                      "事项目录没有 item_id 列；现有的列：{headers}"),
    # Repeated answers.
    "load.duplicates.rows": (
        "{count} duplicate respondent x item row(s) ({where}; all rows involved: {involved})."
        "{masked}{same}{key}{per_row} If the repeats are true duplicates, {keep_first} keeps the "
        "first answer of each and counts the rest as excluded",
        "{count} 行是同一受访者对同一事项的重复回答（{where}；涉及的全部行：{involved}）。"
        "{masked}{same}{key}{per_row}如果确是重复记录，{keep_first} 保留每组的第一条回答，其余计为排除"),
    "load.duplicates.same_answer": (
        " Every repeat gives the same answer as the first row of its respondent and item, as in a "
        "sheet with one row per comment or per question: counting every row would count a "
        "respondent's answer more than once.",
        "每个重复行的回答都与该受访者对该事项的第一行相同（如每条评论或每个问题各占一行的表）："
        "逐行计数会把同一位受访者的回答计入多次。"),
    "load.duplicates.masked": (
        " The respondent ids look masked ({shown}): a masked name or phone number is shared by "
        "many people and cannot tell respondents apart.",
        "受访者编号看起来经过遮盖（{shown}）：遮盖后的姓名或电话号码为许多人共用，无法区分受访者。"),
    "load.duplicates.key_column": (
        " Column {column!r} is filled on every row and never repeats within an item: use it as "
        "the respondent key with {hint}.",
        "列 {column!r} 每行都有值，且在同一事项内从不重复：可用 {hint} 把它作为受访者编号。"),
    "load.duplicates.one_per_row": (" If each row is one respondent's answer, use {hint}.",
                                    "如果每一行是一位受访者的回答，请使用 {hint}。"),
    "load.duplicates.pairs": (
        "{extra} duplicate respondent x item row(s) in {pairs} pair(s) ({shown}{more}). If the "
        "repeats are true duplicates, {keep_first} keeps the first answer of each (in file order) "
        "and counts the rest as excluded; `survey-analysis validate FILE` lists their lines",
        "{pairs} 组“受访者 × 事项”中有 {extra} 行重复回答（{shown}{more}）。如果确是重复记录，"
        "{keep_first} 保留每组的第一条回答（按文件顺序），其余计为排除；`survey-analysis validate "
        "FILE` 可列出所在行"),
    "load.duplicates.more": (" and {count} more pair(s)", "，另有 {count} 组"),
    "load.missing.markers": (
        "{count} answer(s) written as a missing value ({texts}) were read as empty cells, not as "
        "answers nor as \"don't know\"; pass {hint} if one is a real answer",
        "{count} 个回答写作缺失值（{texts}），按空白单元格处理，既不算回答也不算“不了解”；如其中有真实回答，"
        "请传入 {hint}"),
    "load.duplicates.masked_note": (
        "duplicates were dropped although the respondent ids look masked ({values}); see the "
        "warning above",
        "受访者编号看起来经过遮盖（{values}），但仍按重复回答删除了记录；见上方警告"),
    # Labels.
    "load.labels.undetected": ("{error}{lines}", "{error}{lines}"),
    "load.labels.lines": (". Lines: {listing}", "。所在行：{listing}"),
    "load.labels.targets": (
        "labels= maps {wrong} to text that is no level of the scale in use ({names}); map each "
        "label to one of those levels or to 'dont_know'",
        "labels= 把 {wrong} 映射到了所用量表（{names}）中不存在的等级；请把每个回答映射到这些等级之一或 "
        "'dont_know'"),
    "load.labels.unknown": (
        "labels that are no level of scale {names}: {listing}. Say what each means with {labels} "
        "('dont_know' for a non-answer), choose another scale with {scale}, or {exclude} to "
        "exclude and count them",
        "以下回答不是量表 {names} 的等级：{listing}。请用 {labels} 说明每个回答的含义（无效回答写 "
        "'dont_know'），用 {scale} 换用其他量表，或用 {exclude} 将其排除并计数"),
    "load.labels.unknown_counted": (
        "unknown rating labels (scale {names}): {listing}; say what they mean with {labels} or "
        "choose the scale with {scale}; `survey-analysis validate` shows their lines",
        "无法识别的评价（量表 {names}）：{listing}；请用 {labels} 说明其含义，或用 {scale} 指定量表；"
        "`survey-analysis validate` 可列出所在行"),
    # Weights.
    "load.weights.bad": (
        "weights must be numbers >= 0; {count} row(s) are empty, non-numeric, infinite or "
        "negative (first value {value!r}, lines {lines})",
        "权重必须是 >= 0 的数；{count} 行的权重为空、不是数字、无穷大或为负（第一个值 {value!r}，第 "
        "{lines} 行）"),
    "load.weights.bad_counted": (
        "{count} row(s) have an empty, non-numeric or negative weight (or an infinite one); "
        "weights must be numbers >= 0: run `survey-analysis validate` on the file to see the lines",
        "{count} 行的权重为空、不是数字、为负或无穷大；权重必须是 >= 0 的数：对文件运行 "
        "`survey-analysis validate` 可查看所在行"),
    # The header and the layout.
    "load.unit.line": ("line", "行"),
    "load.unit.lines": ("lines", "行"),
    "load.unit.row": ("row", "行"),
    "load.unit.rows": ("rows", "行"),
    "load.header.row_empty": (
        "header_row={shown} is not a non-empty {unit} of the file (it has {units} 1 to {last})",
        "header_row={shown} 不是文件中的非空{unit}（文件共有第 1 至 {last} {units}）"),
    "load.header.empty_sheet": ("the sheet is empty", "工作表是空的"),
    "load.header.empty_csv": ("not a readable CSV: the file is empty", "不是可读取的 CSV：文件是空的"),
    "load.header.nothing": ("{what} (no non-blank {unit} to take as the header)",
                            "{what}（没有可作为表头的非空{unit}）"),
    "load.header.searched": ("no known header name in the first {rows} {units} (only those are searched)",
                             "前 {rows} {units}中没有已知的表头名称（只查找这些行）"),
    "load.header.further_down": ("{searched}; {unit} {line} holds {names}: if it is the header, pass {hint}",
                                 "{searched}；第 {line} {unit}有 {names}：如果那是表头，请传入 {hint}"),
    "load.header.not_found": ("{searched}: if the header is further down, pass its {unit} number as {hint}",
                              "{searched}：如果表头在更下面，请用 {hint} 指明它所在的{unit}号"),
    "load.header.guessed": (" The header was guessed: {hint}.", "表头是推测的：{hint}。"),
    "load.header.row_not_file": (
        "header_row= applies to CSV and Excel files; the column names of a DataFrame or Parquet "
        "file are its header",
        "header_row= 只适用于 CSV 和 Excel 文件；DataFrame 或 Parquet 文件的列名就是表头"),
    "load.header.spans": ("the header spans {units} {first}-{last}; {how}", "表头跨第 {first}-{last} {units}；{how}"),
    "load.header.lower_row": ("the column names are read from the lower header row{joined}",
                              "列名取自下面一行表头{joined}"),
    "load.header.unnamed": ("{count} column(s) without a header hold values and were ignored",
                            "{count} 个无表头的列有内容，已忽略"),
    "load.header.on_line": (" on {unit} {line}", "（第 {line} {unit}）"),
    "load.header.shared": (
        "{twice}the header {header!r} names {count} columns ({columns}){where}: the loader would "
        "read one and ignore the other(s), which may hold the answers meant. Rename or delete the "
        "column(s) not meant, so that each header names one column",
        "{twice}表头 {header!r} 对应 {count} 列（{columns}）{where}：加载器只会读取其中一列而忽略其他列，"
        "被忽略的列可能才是要读的回答。请重命名或删除不需要的列，使每个表头只对应一列"),
    "load.header.shared_unused": ("headers shared by several columns the loader does not use: {listing}",
                                  "加载器未使用的列中有重复的表头：{listing}"),
    "load.columns.required": ("columns={{{canonical!r}: None}}: the {canonical} column is required",
                              "columns={{{canonical!r}: None}}：{canonical} 列是必需的"),
    "load.columns.not_a_column": (
        "columns= maps {canonical!r} to {header!r}, which is not a column; columns found: {headers}",
        "columns= 把 {canonical!r} 对应到 {header!r}，但没有这一列；现有的列：{headers}"),
    "load.layout.meta_item": (
        "column {header!r} was read as an item: every answer in it is a rating label, although "
        "such a header usually names another kind of column",
        "列 {header!r} 按事项列读取：其中每个回答都是评价用语（虽然这样的列名通常是其他信息）"),
    "load.layout.flag_column": (
        "column {header!r} holds only True/False (or 0/1) values and was not read as an item; "
        "pass {hint} if it is one",
        "列 {header!r} 只有 True/False（或 0/1）值，未作为事项列读取；如是事项，请传入 {hint}"),
    "load.layout.yes_no_column": (
        "column {header!r} holds only yes/no answers beside items with more levels and was not "
        "read as an item (a flag); pass {hint} if it is one",
        "列 {header!r} 只有“是/否”，而其他事项列有更多等级，故视为标记列、未作为事项读取；如是事项，请传入 {hint}"),
    "load.ledger.changed": (
        "the responses were changed after loading: the ledger of {source} counts {kept} kept "
        "answers, the frame now holds {answers}; the rows removed or added by hand are not in the "
        "ledger (filter in the loader, e.g. {filters}, to have them counted with their lines)",
        "加载后回答数据被改动：{source} 的台账记录保留 {kept} 个回答，而数据框现有 {answers} 个；手工删除或添加的行"
        "不在台账中（请在加载时筛选，例如 {filters}，以便按行号计数）"),
    "load.ledger.ignored": ("columns not read: {listing}", "未读取的列：{listing}"),
    "load.ledger.kept": ("columns kept as text: {listing}", "作为文本保留的列：{listing}"),
    "load.ledger.ignored_one": ("{header} ({why})", "{header}（{why}）"),
    "load.ledger.ignored_sep": (", ", "；"),
    # Comments beside ratings (estimate/comments.py).
    "estimate.comments.no_responses": (
        "{what}() needs tidy responses (load_responses(..., comments=[...]) or a Survey of them), "
        "not a survey counted from a file or a table of counts",
        "{what}() 需要整理后的回答（load_responses(..., comments=[...]) 或由其建立的 Survey），"
        "而不是由文件或计数表统计的调查"),
    "estimate.comments.among": (
        "among={value!r}: give one of {words} or a dict {{column: values}}",
        "among={value!r}：请使用 {words} 之一，或字典 {{列: 取值}}"),
    "estimate.comments.column_missing": ("column {name!r} not found; columns: {columns}",
                                         "找不到列 {name!r}；现有的列：{columns}"),
    "estimate.comments.several": ("several comment columns ({found}): choose one with column=",
                                  "有多个评论列（{found}）：请用 column= 选择其一"),
    "estimate.comments.no_column": (
        "no comment column: load the sheet with comments=[HEADER] (CLI --comments HEADER), or "
        "name the column with column=; columns: {columns}",
        "没有评论列：请以 comments=[列名]（命令行 --comments 列名）加载，或用 column= 指定；现有的列：{columns}"),
    "estimate.comments.limit": ("limit={value!r}: give a whole number >= 0, or None for every comment",
                                "limit={value!r}：请给出不小于 0 的整数，或 None 表示全部评论"),
    "estimate.comments.no_masking": (
        "comments(mask=True) needs survey_analysis.mask_personal_data, which this installation "
        "lacks; pass mask=False only if you take care of the personal data in the comments yourself",
        "comments(mask=True) 需要 survey_analysis.mask_personal_data，但当前安装中没有；仅当您自行处理评论中的"
        "个人信息时才传入 mask=False"),
    "estimate.topics.none": ("topics(): give at least one topic column",
                             "topics()：请至少给出一个主题列"),
    "load.why.labels": ("its answers are rating labels", "其回答为评价用语"),
    "load.why.meta_labels": ("every answer is a rating label, although the header usually names "
                             "another kind of column", "每个回答都是评价用语（虽然列名通常表示其他信息）"),
    "load.why.named": ("named by the options", "由选项指定"),
    "load.why.header": ("its header is a known name", "列名可识别"),
    "load.why.keep": ("keep_columns=", "keep_columns="),
    "load.why.flag": ("True/False flag", "True/False 标记"),
    "load.why.yes_no": ("yes/no flag beside items of more levels", "是/否标记（其他事项有更多等级）"),
    "load.why.not_labels": ("not rating labels", "不是评价用语"),
    "load.why.meta_name": ("not all rating labels, and the header names another kind of column",
                           "并非全是评价用语，且列名表示其他信息"),
    "load.why.not_used": ("not used by the long layout (keep_columns= carries it)",
                          "长表未使用（可用 keep_columns= 保留）"),
    "load.why.no_rows": ("no data rows", "没有数据行"),
    "load.why.comment": ("a free-text comment column", "自由文本评论列"),
    "load.why.comments": ("comments=", "comments="),
    "load.why.masked": ("masked names: each row is its own respondent", "遮盖后的姓名：每行视为一位受访者"),
    "load.layout.near_miss": (
        "column {header!r} holds {labels} rating label(s) among {answers} answers and was not read "
        "as an item column (name it in item_columns= if it is one)",
        "列 {header!r} 的 {answers} 个回答中有 {labels} 个是评价用语，未作为事项列读取（如是事项列，请在 "
        "item_columns= 中写明）"),
    "load.layout.item_column_missing": (
        "item_columns names {header!r}, which is not a column; columns found: {headers}",
        "item_columns 指定了 {header!r}，但没有这一列；现有的列：{headers}"),
    "load.layout.no_item_columns": (
        "no item columns found (columns whose answers are mostly rating labels, in words); columns "
        "found: {headers}. Name them with {hint}{guessed}",
        "没有找到事项列（回答大多为文字评价用语的列）；现有的列：{headers}。请用 {hint} 指明。{guessed}"),
    "load.layout.lone_column": (
        " Column {header!r} holds rating labels: name it in {columns} (long sheet) or {items} "
        "(wide sheet).",
        "列 {header!r} 中是评价用语：请用 {columns}（长表）或 {items}（宽表）指明。"),
    "load.layout.required": (
        "required column(s) {missing} not found; columns found: {headers}. Name them with "
        "{columns}, or, for a wide sheet with one column per item, {items}.{lone}{guessed}",
        "找不到必需的列 {missing}；现有的列：{headers}。请用 {columns} 指明；如果是每个事项一列的宽表，"
        "请用 {items}。{lone}{guessed}"),
    "load.layout.item_twice": ("item column {header!r} appears twice", "事项列 {header!r} 出现了两次"),
    "load.layout.item_twice_prefix": ("item column {header!r} appears twice: ", "事项列 {header!r} 出现了两次："),
    "load.excel.formula_no_value": (
        "{cell} holds a formula with no saved value ({count} such cell(s)); the file was written "
        "by a program that does not calculate formulas: open it in Excel or LibreOffice and save "
        "it, or replace the formulas by values",
        "{cell} 是没有保存计算结果的公式（共 {count} 个这样的单元格）；写出该文件的程序不计算公式："
        "请在 Excel 或 LibreOffice 中打开并保存，或把公式替换为数值"),
    # Excel and OpenDocument workbooks.
    "load.excel.resave": ("open it in Excel, WPS or LibreOffice and save it again, or export the sheet as CSV",
                          "请在 Excel、WPS 或 LibreOffice 中打开后重新保存，或把工作表导出为 CSV"),
    "load.excel.cannot_open": ("cannot open the workbook ({error})", "无法打开工作簿（{error}）"),
    "load.excel.cut_off": (
        "not a readable Excel workbook: it is cut off or damaged: it starts as a zip archive (as "
        "every .xlsx and .ods does) but the index at the end of the archive is missing; copy or "
        "download the file again, or {resave}",
        "不是可读取的 Excel 工作簿：文件被截断或已损坏：它以 zip 压缩包开头（.xlsx 和 .ods 都是如此），"
        "但缺少压缩包末尾的索引；请重新复制或下载文件，或{resave}"),
    "load.excel.ole": (
        "not a readable Excel workbook: it is an old binary .xls workbook or a password-protected "
        ".xlsx (both are stored the same way); open it in Excel, WPS or LibreOffice, remove the "
        "password if it has one, and save it as .xlsx",
        "不是可读取的 Excel 工作簿：它是旧的二进制 .xls 工作簿或设了密码的 .xlsx（两者存储方式相同）；"
        "请在 Excel、WPS 或 LibreOffice 中打开，如有密码请去掉，然后另存为 .xlsx"),
    "load.excel.not_zip": (
        "not a readable Excel workbook: an .xlsx file is a zip archive and this file is not one (a "
        "CSV or text export: give it the .csv suffix; an old .xls: save it as .xlsx)",
        "不是可读取的 Excel 工作簿：.xlsx 文件是 zip 压缩包，而此文件不是（若是 CSV 或文本导出，请改用 "
        ".csv 后缀；若是旧的 .xls，请另存为 .xlsx）"),
    "load.excel.the_sheet": (" (the sheet {sheet!r})", "（工作表 {sheet!r}）"),
    "load.excel.damaged": (
        "the part {part}{what} of the workbook is damaged and cannot be unpacked ({error}); the "
        "file was cut off or corrupted: copy or download it again, or {resave}",
        "工作簿中的部件 {part}{what}已损坏，无法解压（{error}）；文件被截断或已损坏：请重新复制或下载，"
        "或{resave}"),
    "load.excel.prolog": (
        "the part {part} of the workbook has more than {limit} bytes before its first element; refused",
        "工作簿中的部件 {part} 在第一个元素之前有超过 {limit} 字节；拒绝读取"),
    "load.excel.doctype": (
        "the part {part} has an XML document type declaration (<!DOCTYPE ...>): the workbook "
        "contains XML entity declarations; refused (Excel, WPS and LibreOffice never write them; "
        "they can read local files or expand to gigabytes when parsed)",
        "部件 {part} 含有 XML 文档类型声明（<!DOCTYPE ...>）：工作簿包含 XML 实体声明；拒绝读取（Excel、"
        "WPS 和 LibreOffice 从不写入这种声明；解析时它可能读取本地文件或膨胀到数 GB）"),
    "load.excel.missing_part": (
        "the workbook lists the sheet {listed!r} in the part {part}, but the file has no such "
        "part: the file is damaged or was cut off; {resave}",
        "工作簿列出的工作表 {listed!r} 位于部件 {part}，但文件中没有该部件：文件已损坏或被截断；{resave}"),
    "load.excel.merged_range": ("the merged range {range}", "合并区域 {range}"),
    "load.excel.value_in": ("the value in {cell}", "单元格 {cell} 中的值"),
    "load.excel.farthest_more": (", {item}", "、{item}"),
    "load.excel.too_big": (
        "the sheet's cells with a value and merged ranges span A1:{corner}, {rows:,} rows x "
        "{cols:,} columns = {cells:,} cells, more than the limit of {limit:,} cells; the farthest: "
        "{first}{more}. Something far from the data (a stray value: Excel's Ctrl+End goes to the "
        "last cell) is best deleted or unmerged; to read the sheet as it is, raise the limit: {hint}",
        "工作表中有值的单元格和合并区域覆盖 A1:{corner}，即 {rows:,} 行 × {cols:,} 列 = {cells:,} 个单元格，"
        "超过上限 {limit:,} 个单元格；最远处：{first}{more}。远离数据的内容（零散的值：Excel 的 Ctrl+End "
        "会跳到最后一个单元格）最好删除或取消合并；若要按原样读取，请提高上限：{hint}"),
    "load.excel.not_xml": (
        "the part {part}{what} is not well-formed XML: {reason} at line {xml_line}, column {xml_column} of "
        "the part; the file is damaged or was written by a faulty program: {resave}",
        "部件 {part}{what}不是格式正确的 XML：在该部件第 {xml_line} 行第 {xml_column} 列，{reason}；文件已损坏或由"
        "有缺陷的程序写出：{resave}"),
    "load.excel.unreadable": ("not a readable Excel workbook ({kind}: {error}); {resave}",
                              "不是可读取的 Excel 工作簿（{kind}：{error}）；{resave}"),
    "load.excel.no_sheet_number": ("no sheet number {number}; the workbook has {count} sheet(s): {names}",
                                   "没有第 {number} 号工作表；工作簿共有 {count} 个工作表：{names}"),
    "load.excel.no_sheet_named": ("no sheet named {name!r}; sheets: {names}",
                                  "没有名为 {name!r} 的工作表；现有工作表：{names}"),
    "load.excel.merges_overlap": (
        "the merged ranges cover {total:,} cells together (they overlap), more than the limit of "
        "{limit:,} cells; the file was not written by an office program: {resave}",
        "合并区域合计覆盖 {total:,} 个单元格（相互重叠），超过上限 {limit:,} 个单元格；该文件不是办公软件"
        "写出的：{resave}"),
    "load.excel.ods_named_xlsx": (
        "the file is an OpenDocument spreadsheet (.ods) although its name ends in {suffix}: it was "
        "read as one",
        "该文件名以 {suffix} 结尾，实际却是 OpenDocument 电子表格（.ods），已按此读取"),
    "load.excel.xlsx_named_ods": (
        "the file is an Excel workbook (.xlsx) although its name ends in .ods: it was read as one",
        "该文件名以 .ods 结尾，实际却是 Excel 工作簿（.xlsx），已按此读取"),
    "load.ods.note": (
        "read as an OpenDocument spreadsheet (.ods): values by python-calamine (formulas as the "
        "values saved with them), merged ranges from the file's content.xml",
        "按 OpenDocument 电子表格（.ods）读取：数值由 python-calamine 读取（公式取其保存的值），合并区域"
        "取自文件的 content.xml"),
    "load.ods.no_content": ("the OpenDocument file has no content.xml: it is damaged or was cut off; {resave}",
                            "OpenDocument 文件中没有 content.xml：文件已损坏或被截断；{resave}"),
    "load.ods.not_xml": (
        "the part content.xml is not well-formed ({error}); the file is damaged or was written by a "
        "faulty program: {resave}",
        "部件 content.xml 格式不正确（{error}）；文件已损坏或由有缺陷的程序写出：{resave}"),
    "load.ods.needs_calamine": (
        "reading an .ods file needs python-calamine (pip install python-calamine), or save the "
        "sheet as .xlsx in LibreOffice or WPS",
        "读取 .ods 文件需要 python-calamine（pip install python-calamine），或在 LibreOffice 或 WPS 中"
        "另存为 .xlsx"),
    "load.ods.unreadable": (
        "not a readable OpenDocument spreadsheet ({kind}: {error}); save it as .xlsx in LibreOffice or WPS",
        "不是可读取的 OpenDocument 电子表格（{kind}：{error}）；请在 LibreOffice 或 WPS 中另存为 .xlsx"),
    # The counting engines and their sources.
    "load.source.empty_folder": (
        "folder {folder} holds no .parquet, .pq or .csv response files; pass a file, or a folder "
        "of Parquet or CSV files",
        "文件夹 {folder} 中没有 .parquet、.pq 或 .csv 回答文件；请传入一个文件，或 Parquet / CSV 文件所在的文件夹"),
    "load.source.not_found": ("response file not found: {path}", "找不到回答文件：{path}"),
    "load.source.not_countable": (
        "{path} is a file of kind {kind}: the counting engines scan CSV (plain or .gz) and Parquet "
        "only; read it with sa.load_responses(path) (or sa.analyze(path), survey-analysis report "
        "FILE) and pass the responses",
        "{path} 的类型是 {kind}：计数引擎只直接扫描 CSV（含 .gz）和 Parquet 文件；请用 sa.load_responses(path)"
        "（或 sa.analyze(path)、survey-analysis report FILE）读取后再传入回答数据"),
    "load.source.no_match": ("no file matches {pattern}", "没有文件与 {pattern} 匹配"),
    "load.source.missing_columns": (
        "column(s) {listing} not found; the columns are {found}. Name the right column with that "
        "keyword (or read the sheet with sa.load_responses, which recognizes headers such as 事项编号 "
        "and 满意度)",
        "找不到列 {listing}；现有的列：{found}。请用该关键字指明正确的列（或用 sa.load_responses 读取该表，"
        "它能识别“事项编号”“满意度”等表头）"),
    "load.engine.pandas_frame": (
        "engine='pandas' needs a pandas DataFrame; use load_responses() for files",
        "engine='pandas' 需要 pandas DataFrame；文件请用 load_responses() 读取"),
    "load.dask.scheduler": (
        "cannot connect to the Dask scheduler at {address} ({hint}): {error}; check the address "
        "(such as tcp://10.0.0.5:8786) and that the scheduler is running, or leave the option out "
        "to count on this machine",
        "无法连接地址为 {address} 的 Dask 调度器（{hint}）：{error}；请检查地址（例如 tcp://10.0.0.5:8786）"
        "以及调度器是否在运行，或去掉该选项在本机计数"),
    "load.dask.distributed_missing": (
        "counting on a Dask cluster ({hint}) needs dask.distributed: pip install 'dask[distributed]'",
        "在 Dask 集群上计数（{hint}）需要 dask.distributed：pip install 'dask[distributed]'"),
    "load.dask.scheduler_engine": (
        "{hint} runs the Dask engine on a cluster, but engine={engine!r} was asked for; use "
        "engine='dask' (or leave engine out)",
        "{hint} 用于在集群上运行 Dask 引擎，但指定了 engine={engine!r}；请使用 engine='dask'（或不指定 engine）"),
    "load.duckdb.missing": (
        "counting a Parquet file, a folder or a glob needs DuckDB: pip install "
        "'survey_analysis[duckdb]' (or read a CSV / Excel sheet with sa.load_responses)",
        "计数 Parquet 文件、文件夹或通配路径需要 DuckDB：pip install 'survey_analysis[duckdb]'（或用 "
        "sa.load_responses 读取 CSV / Excel 表）"),
    "load.duckdb.cannot_read": ("DuckDB cannot read the file: {error}", "DuckDB 无法读取该文件：{error}"),
    "load.duckdb.cannot_count": ("DuckDB cannot count the file: {error}", "DuckDB 无法对该文件计数：{error}"),
    "load.duckdb.memory_setting": (
        "SURVEY_ANALYSIS_DUCKDB_MEMORY={value!r} is not a memory size DuckDB reads (write it as '4GB' "
        "or '512MB'): {error}",
        "SURVEY_ANALYSIS_DUCKDB_MEMORY={value!r} 不是 DuckDB 能读取的内存大小（请写成 '4GB' 或 "
        "'512MB'）：{error}"),
    "load.option.header_row": ("header_row must be a line number >= 1 or a range (first, last), got {value!r}",
                               "header_row 必须是 >= 1 的行号或范围 (first, last)，实际为 {value!r}"),
    "load.option.header_range": ("header_row range must be (first, last), got {value!r}",
                                 "header_row 范围必须是 (first, last)，实际为 {value!r}"),
    "load.option.header_order": ("header_row range must be (first, last) with first <= last, got {value!r}",
                                 "header_row 范围必须是 (first, last) 且 first <= last，实际为 {value!r}"),
    "load.columns.item_parts": ("columns={{'item_id': {parts!r}}}: name one or more headers",
                                "columns={{'item_id': {parts!r}}}：请写出一个或多个表头"),
    "load.columns.item_part_missing": (
        "columns= names {part!r} as part of the item id, which is not a column; columns found: {headers}",
        "columns= 把 {part!r} 作为事项编号的一部分，但没有这一列；现有的列：{headers}"),
    "load.columns.item_joined": ("item id = {name}: the non-empty parts joined with {separator!r}",
                                 "事项 = {name}：各行的非空部分以 {separator!r} 连接"),
    # The command line's flags of the load options (read by load.options).
    "load.cli.pairs": ("{what} expects KEY=VALUE, got {value!r}", "{what} 需要 KEY=VALUE 形式，实际为 {value!r}"),
    "load.cli.pairs_key": ("{what} expects KEY=VALUE with a key, got {value!r}",
                           "{what} 需要带键的 KEY=VALUE 形式，实际为 {value!r}"),
    "load.cli.header_row": ("--header-row expects a line number or a range like 2-3, got {value!r}",
                            "--header-row 需要行号或 2-3 这样的范围，实际为 {value!r}"),
    "load.cli.scale_twice": (
        "--scale given {count} times; give one scale, or ITEM=SCALE pairs for items on different scales",
        "--scale 给了 {count} 次；请只给一个量表，或为使用不同量表的事项给出 ITEM=SCALE"),
    "load.cli.scale_mixed": ("--scale mixes a scale for the whole sheet with ITEM=SCALE pairs",
                             "--scale 混用了整表的量表和 ITEM=SCALE"),
    "load.cli.max_cells": ("--max-cells expects a positive whole number, got {value!r}",
                           "--max-cells 需要正整数，实际为 {value!r}"),
    # Published tables of counts and percentages.
    "load.counts.not_a_column": ("the {role} column {header!r} is not a column; columns found: {headers}",
                                 "{role}列 {header!r} 不存在；现有的列：{headers}"),
    "load.counts.role_unit": ("unit", "单位"),
    "load.counts.role_answers": ("number of answers", "回答数"),
    "load.counts.role_satisfied": ("satisfied", "满意数"),
    "load.counts.role_percentage": ("percentage", "百分比"),
    "load.counts.role_kept": ("kept", "保留"),
    "load.counts.empty": ("empty", "空值"),
    "load.counts.whole_number": (
        "{header} must be a whole number >= {minimum} on every row; {what} here ({count} bad row(s), "
        "lines {lines})",
        "{header} 每一行都必须是 >= {minimum} 的整数；此处为 {what}（共 {count} 行有误，第 {lines} 行）"),
    "load.counts.one_value": (
        "name exactly one of satisfied= (the satisfied count), percent= (the published percentage), "
        "dissatisfied= (the dissatisfied count) and percent_dissatisfied= (the published "
        "dissatisfied percentage)",
        "satisfied=（满意人数）、percent=（公布的满意率）、dissatisfied=（不满意人数）与 "
        "percent_dissatisfied=（公布的不满意率）须且只能指定一个"),
    "load.counts.two_values": (
        "{names} are both given: name exactly one of satisfied=, percent=, dissatisfied= and "
        "percent_dissatisfied=",
        "同时给了 {names}：satisfied=、percent=、dissatisfied= 与 percent_dissatisfied= 须且只能指定一个"),
    "load.counts.role_dissatisfied": ("dissatisfied", "不满意数"),
    "load.counts.role_percentage_dissatisfied": ("dissatisfied percentage", "不满意率"),
    "load.counts.item_columns": (
        "item= must be a column's header or a list of headers that name a unit together (a name "
        "and a state: ['facility_name', 'state']), got {value!r}",
        "item= 必须是一列的表头，或共同确定一个单位的若干表头（名称和所在州：['facility_name', 'state']），"
        "实际为 {value!r}"),
    "load.counts.repeated_units": (
        "{count} unit name(s) are on more than one row ({rows} rows), and each row of a table of "
        "counts is one unit: {listing}. Name the units so that each is on one row: {fixes}",
        "有 {count} 个单位名称出现在不止一行（共 {rows} 行），而计数表的每一行是一个单位：{listing}。"
        "请让每个单位只占一行：{fixes}"),
    "load.counts.fix_id": ("the column {header!r} holds a different value on every row: {hint}",
                           "列 {header!r} 每一行的值都不同：{hint}"),
    "load.counts.fix_combination": ("{parts} together differ on every row: {hint}",
                                    "{parts} 合起来每一行都不同：{hint}"),
    "load.counts.fix_sum": ("or, if the rows of a name are parts of one unit, add them up: {hint}",
                            "或者，如果同名的几行是同一单位的几部分，把它们相加：{hint}"),
    "load.counts.units_summed": (
        "{count} unit name(s) on more than one row ({rows} rows) are added up into one unit each, "
        "as duplicates='sum' asks: {listing}",
        "{count} 个单位名称出现在不止一行（共 {rows} 行），已按 duplicates='sum' 相加为各一个单位：{listing}"),
    "load.counts.empty_unit": ("empty unit on {count} row(s) (lines {lines})", "{count} 行的单位为空（第 {lines} 行）"),
    "load.counts.over": ("{satisfied} is larger than {n} on {count} row(s) (lines {lines})",
                         "{count} 行的 {satisfied} 大于 {n}（第 {lines} 行）"),
    "load.counts.empty_percent": ("empty percentage on {count} row(s) (lines {lines})",
                                  "{count} 行的百分比为空（第 {lines} 行）"),
    "load.counts.not_percent": (
        "{header} must be a percentage like 96.75% or 96.75; {value!r} here ({count} bad row(s), lines {lines})",
        "{header} 必须是 96.75% 或 96.75 这样的百分比；此处为 {value!r}（共 {count} 行有误，第 {lines} 行）"),
    "load.counts.decimals_inferred": (
        "percentages of {column} read with {decimals} decimal(s), one precision for the column: "
        "the fewest every value fits ({why}); as printed, decimals (rows): {listing}; a unit's "
        "counts are those of its n whose share rounds ({rounding}) to the value (see "
        "percent_audit; {hint} reads them otherwise)",
        "{column} 的百分比按 {decimals} 位小数读取（整列统一精度：能容纳每个值的最少小数位，{why}）；"
        "印出的小数位数（行数）：{listing}；每个单位的人数取其 n 中按 {rounding} 舍入后等于该值的人数"
        "（见 percent_audit；{hint} 可另行指定）"),
    "load.counts.decimals_why_example": ("{example!r} needs {decimals}", "{example!r} 需要 {decimals} 位"),
    "load.counts.decimals_why_whole": (
        "every value is a whole percentage, however many zeros it is printed with",
        "每个值都是整数百分比，无论印了几个 0"),
    "load.counts.decimals_given": (
        "percentages read with the decimals given (decimals=), decimals (rows): {listing}; a "
        "unit's satisfied counts are those of its n whose share rounds ({rounding}) to the value "
        "(see percent_audit)",
        "百分比按指定的小数位数（decimals=）读取，小数位数（行数）：{listing}；每个单位的满意人数取其 n "
        "中按 {rounding} 舍入后等于该值的人数（见 percent_audit）"),
    "load.counts.fits_no_count_many": (
        "{source}: on {count} of {rows} rows ({share:.1%}, more than warn_share={warn_share:g}) the "
        "published percentage fits no whole count of its n when read with {decimals} decimal(s) "
        "({how}); those rows are left out. If the table was rounded to other decimals, say so: "
        "{hint}{better}",
        "{source}：{rows} 行中有 {count} 行（{share:.1%}，超过 warn_share={warn_share:g}）的公布百分比按 "
        "{decimals} 位小数（{how}）读取时与其 n 的任何整数计数都对不上，这些行已排除。如果该表按其他小数位"
        "舍入，请指明：{hint}{better}"),
    "load.counts.how_inferred": ("inferred from the column", "由整列推断"),
    "load.counts.how_given": ("as given", "按指定"),
    "load.counts.fits_better": ("; with decimals={decimals}, {fits} of {rows} rows fit",
                                "；若 decimals={decimals}，{rows} 行中有 {fits} 行对得上"),
    "load.counts.from_dissatisfied": (
        "satisfaction is 1 - dissatisfied: satisfied = {n} - the dissatisfied {what} of "
        "{column}, over {n} (every answer not counted as dissatisfied counts as satisfied)",
        "满意率 = 1 - 不满意率：满意数 = {n} - {column} 的不满意{what}，以 {n} 为分母（未计为不满意的"
        "回答都算满意）"),
    "load.counts.what_count": ("count", "人数"),
    "load.counts.what_percent": ("share (from the rounded percentage)", "比例（由舍入后的百分比得出）"),
    "load.counts.excluded_lines": ("rows excluded, by reason and line: {listing}",
                                   "排除的行（按原因和行号）：{listing}"),
    "load.counts.no_rows": ("no data rows below the header", "表头下没有数据行"),
    "load.counts.empty_key": ("column {column!r} has empty values: every answer needs its {column}",
                              "列 {column!r} 有空值：每个回答都需要 {column}"),
    # Numbers as published (issue 21): percent cells, fractions, separators, huge counts,
    # decimal commas, rates written as 95 instead of 0.95.
    "load.excel.percent_cells": (
        "{count} cell(s) formatted as percentages read as the percentage the sheet shows, not as "
        "the fraction stored (e.g. {stored!r} in the format {format!r} is {shown!r})",
        "{count} 个设为百分比格式的单元格按表中显示的百分比读取，而不是按存储的小数（例如格式 {format!r} 下的 "
        "{stored!r} 即 {shown!r}）"),
    "numbers.separators": (
        "{value!r} has thousands separators in the wrong places (1,234 and 12,345,678 are read; "
        "1,2,3,4 and 12,34 are not): write the number without separators, or with one every "
        "three digits",
        "{value!r} 的千位分隔符位置不对（1,234 和 12,345,678 可以读取；1,2,3,4 和 12,34 不行）：请去掉分隔符，"
        "或每三位一个"),
    "load.counts.separators": ("{header}: {what} ({count} bad row(s), lines {lines})",
                               "{header}：{what}（共 {count} 行有误，第 {lines} 行）"),
    "load.counts.too_large": (
        "{header} is {value} here, more than {most:,} (2**53 - 1: up to it a float64 holds "
        "every whole number exactly): no count of answers is that large -- a mistyped or "
        "corrupted cell? ({count} bad row(s), lines {lines})",
        "{header} 此处为 {value}，大于 {most:,}（2**53 - 1：不超过它的整数 float64 都能精确表示）：回答数不可能这么大——"
        "是输错或损坏的单元格吗？（共 {count} 行有误，第 {lines} 行）"),
    "load.counts.percent_ambiguous": (
        "every value of {header} is at most 1 ({examples}) and none is written with a % sign: is "
        "{value} a fraction of 1 ({as_fraction}) or a percentage ({as_percent})? Say which: "
        "{fraction} or {percent}",
        "{header} 的每个值都不超过 1（{examples}），且都没有写 % 号：{value} 是小数（{as_fraction}）还是百分数"
        "（{as_percent}）？请指明：{fraction} 或 {percent}"),
    "load.counts.not_fraction": (
        "{header} = {value!r} is not a fraction of 1, as percent_scale='fraction' reads the column "
        "(0.97 = 97%) ({count} bad row(s), lines {lines})",
        "{header} = {value!r} 不是 0 到 1 之间的小数，而 percent_scale='fraction' 按小数读取该列（0.97 = 97%）"
        "（共 {count} 行有误，第 {lines} 行）"),
    "load.counts.fraction_read": (
        "values of {column} read as fractions of 1 (0.97 = 97%), as percent_scale='fraction' says",
        "{column} 的值按 percent_scale='fraction' 作为小数读取（0.97 = 97%）"),
    "load.percent.too_many_decimals": (
        "{value} has {decimals} decimals; a percentage is read with at most {most}: round it",
        "{value} 有 {decimals} 位小数；百分比最多按 {most} 位小数读取：请先四舍五入"),
    "claims.where": ("{source}, line {line}, column {column!r}: ", "{source}，第 {line} 行，列 {column!r}："),
    "claims.value_empty": (
        "{where}the claim's value is empty; write the published figure (an Excel formula whose "
        "value was not saved reads as empty: open and save the file in Excel, or type the number)",
        "{where}声明的数值为空；请填写公开的数字（未保存计算结果的 Excel 公式会读作空值：请在 Excel 中打开并保存，"
        "或直接填写数字）"),
    "claims.not_a_number": ("{where}{value!r} is not a number", "{where}{value!r} 不是数字"),
    "claims.decimal_comma": (
        "{where}{value!r} has a decimal comma (a comma before one or two digits; a thousands "
        "separator comes before three): write {fixed}",
        "{where}{value!r} 用逗号作小数点（逗号后只有一两位数字；千位分隔符后是三位）：请写作 {fixed}"),
    "claims.separators": ("{where}{what}", "{where}{what}"),
    "claims.fraction_or_percent": (
        "{where}the rate {value!r} is at most 1 and the claim's unit is percent: it reads as "
        "{value}%. If {as_percent}% is meant, write {as_percent} (or unit fraction); if {value}% is "
        "meant, write {value}%",
        "{where}比率 {value!r} 不超过 1，而该说法的单位是百分数：将读作 {value}%。如指 {as_percent}%，请写 "
        "{as_percent}（或将 unit 设为 fraction）；如确指 {value}%，请写 {value}%"),
    "analysis.items_repeated": (
        "the item catalogue{source} names {count} item id(s) on more than one row with different "
        "contents: {listing}; keep one row per item",
        "事项目录{source}中有 {count} 个事项编号出现在多行且内容不同：{listing}；请每个事项只保留一行"),
    "analysis.items_repeated_same": (
        "the item catalogue{source} repeats {count} item id(s) on identical rows; the repeats are "
        "dropped: {listing}",
        "事项目录{source}中有 {count} 个事项编号在内容相同的多行重复出现；重复的行已去掉：{listing}"),
    "analysis.items_source": (" {source}", " {source} "),
    "threshold.not_number": ("threshold must be a rate strictly between 0 and 1, got {value!r}",
                             "threshold 必须是严格介于 0 和 1 之间的比率，实际为 {value!r}"),
    "threshold.range": ("threshold must be a rate strictly between 0 and 1, got {value!r}{fix}",
                        "threshold 必须是严格介于 0 和 1 之间的比率，实际为 {value!r}{fix}"),
    "threshold.fix": (" (a percentage? write {hint}, not {value!r})", "（是百分数吗？应写 {hint}，而不是 {value!r}）"),
    # A published "100%" that fewer satisfied answers also print as (rounding).
    "measure.items_at_100_rounding": ("items at 100% ({more} more round to 100%)",
                                      "满意度100%的事项数（另有 {more} 个四舍五入后为100%）"),
    "claims.at_100_rounding": (
        "; {more} more item(s) print as 100% but their rounding allows fewer satisfied answers "
        "({listing}), so the count is {low} to {high}",
        "；另有 {more} 个事项印作100%，但按舍入规则满意人数可能更少（{listing}），因此该数目在 {low} 至 "
        "{high} 之间"),
    "load.percent.not_number": ("{name} must be a number or text like '95.3%', got {value!r}",
                                "{name} 必须是数字或 '95.3%' 这样的文本，实际为 {value!r}"),
    "load.percent.not_finite": ("{name} must be finite, got {value!r}", "{name} 必须是有限数，实际为 {value!r}"),
    "load.percent.decimals_more": ("{number} has more than {decimals} decimals; pass {hint} or round it first",
                                   "{number} 的小数位多于 {decimals} 位；请传入 {hint} 或先四舍五入"),
    "load.percent.one_dimension": ("{name} must be one-dimensional", "{name} 必须是一维的"),
    "load.percent.totals": ("numbers of respondents must be integers >= 1, got {values}",
                            "受访人数必须是 >= 1 的整数，实际为 {values}"),
    "load.percent.decimals": ("decimals must be an integer in 0..{most}, got {value!r}",
                              "decimals 必须是 0..{most} 之间的整数，实际为 {value!r}"),
    "load.percent.range": ("percent must be between 0 and 100, got {value!r}",
                           "percent 必须在 0 到 100 之间，实际为 {value!r}"),
    "load.percent.lengths": ("percent and n must have the same length, got {percent} and {n}",
                             "percent 与 n 的长度必须相同，实际为 {percent} 和 {n}"),
    # Reading files.
    "load.read.table_not_found": ("{what} not found: {path}", "找不到{what}：{path}"),
    "load.read.folder": (
        "is a folder: give one response sheet (CSV, Excel, ODS, Parquet); a folder of Parquet files "
        "is counted by sa.item_rates / sa.analyze, not read by load_responses",
        "这是一个文件夹：请给出一个回答表（CSV、Excel、ODS、Parquet）；Parquet 文件的文件夹由 "
        "sa.item_rates / sa.analyze 计数，而不是由 load_responses 读取"),
    "load.option.delimiter": (
        "delimiter must be one character other than a letter, digit, quote or line break, e.g. "
        "{semicolon} or {tab}; got {value!r}",
        "delimiter 必须是一个字符，且不能是字母、数字、引号或换行，例如 {semicolon} 或 {tab}；实际为 {value!r}"),
    "load.option.delimiter_not_csv": (
        "delimiter= applies to CSV files; an Excel or Parquet file has no field delimiter",
        "delimiter= 只适用于 CSV 文件；Excel 或 Parquet 文件没有字段分隔符"),
    "load.read.cannot_decode": ("cannot decode with encoding {encoding!r}: {error}{where}",
                                "无法用编码 {encoding!r} 解码：{error}{where}"),
    "load.read.undecodable_line": (" (first undecodable byte on line {line})", "（第一个无法解码的字节在第 {line} 行）"),
    "load.read.decoded_with": ("decoded with encoding {encoding!r}", "用编码 {encoding!r} 解码后"),
    "load.read.bom_removed": ("a byte-order mark (BOM) at the start of the file was removed",
                              "已去掉文件开头的字节顺序标记（BOM）"),
    "load.read.mixed": ("{mixed}; tried {tried}. {fix}", "{mixed}；已尝试 {tried}。{fix}"),
    "load.read.mixed_fix": (
        "Lines in another encoding (rows pasted from a GBK / GB18030 file?) cannot be read beside "
        "UTF-8 ones: retype those lines, or re-save the file as 'CSV UTF-8' from the program that "
        "wrote them. encoding= applies to the whole file",
        "其他编码的行（从 GBK / GB18030 文件粘贴的行？）无法与 UTF-8 行一起读取：请重新输入这些行，或在"
        "写出它们的程序中另存为“CSV UTF-8”。encoding= 只能作用于整个文件"),
    "load.read.mixed_where": (" ({mixed}: {fix})", "（{mixed}：{fix}）"),
    "load.read.utf8_up_to": ("the file is UTF-8 up to line {first}, which is not ({count} such line(s): {shown})",
                             "文件在第 {first} 行之前都是 UTF-8，该行不是（共 {count} 行这样的行：{shown}）"),
    "load.read.bom32": (
        "; the file starts with a UTF-32 ({order}) byte-order mark: save it as 'CSV UTF-8', or pass {hint}",
        "；文件以 UTF-32（{order}）字节顺序标记开头：请另存为“CSV UTF-8”，或传入 {hint}"),
    "load.read.bom16": (
        "; the file starts with a UTF-16 byte-order mark (Excel's 'Unicode Text'): save it as "
        "'CSV UTF-8', or pass {hint}",
        "；文件以 UTF-16 字节顺序标记开头（Excel 的“Unicode 文本”）：请另存为“CSV UTF-8”，或传入 {hint}"),
    "load.read.zip_csv": ("; it looks like an Excel workbook: give it the .xlsx suffix",
                          "；它看起来是 Excel 工作簿：请改用 .xlsx 后缀"),
    "load.read.nul_line": (
        "no encoding decodes this file; tried {tried}; line {at} holds a NUL byte ({count} in the "
        "file), which no text CSV contains: remove it (a text editor shows it as \\0 or NUL) and load "
        "the file again",
        "没有编码能解码此文件；已尝试 {tried}；第 {at} 行含有 NUL 字节（文件中共 {count} 个），文本 CSV "
        "不会包含它：请删除它（文本编辑器显示为 \\0 或 NUL）后重新加载"),
    "load.read.nul_bytes": ("; it contains NUL bytes (UTF-16/UTF-32 text or a binary file)",
                            "；文件含有 NUL 字节（UTF-16/UTF-32 文本或二进制文件）"),
    "load.read.fails_at": ("{encoding} fails at line {line}", "{encoding} 在第 {line} 行失败"),
    "load.read.fails_at_more": (", {encoding} fails at line {line}", "，{encoding} 在第 {line} 行失败"),
    "load.read.failures": ("; {p0}{p1}{p2}", "；{p0}{p1}{p2}"),
    "load.read.no_encoding": (
        "no encoding decodes this file; tried {tried}{hint} (pass {encoding} if you know it){where}{mixed}",
        "没有编码能解码此文件；已尝试 {tried}{hint}（如果知道编码，请传入 {encoding}）{where}{mixed}"),
    "load.read.nul_text": (
        "the text {how} holds a NUL character ({count} in the file), which no text CSV contains: "
        "remove it, or pass the file's true encoding ({hint})",
        "{how}的文本含有 NUL 字符（文件中共 {count} 个），文本 CSV 不会包含它：请删除它，或传入文件的真实"
        "编码（{hint}）"),
    "load.read.big5": (
        "decoded as Big5 (traditional Chinese): GB18030 decodes the bytes too, but gives {fewer} "
        "known headers and labels; pass {hint} if that is wrong",
        "已按 Big5（繁体中文）解码：GB18030 也能解码这些字节，但得到的已知表头和评价用语{fewer}；如果不对，"
        "请传入 {hint}"),
    "load.read.no": ("no", "为零"),
    "load.read.fewer": ("fewer", "更少"),
    "load.read.delimiter": ("fields are separated by {word}", "字段以{word}分隔"),
    "load.delimiter.commas": ("commas", "逗号"),
    "load.delimiter.semicolons": ("semicolons (';')", "分号（';'）"),
    "load.delimiter.tabs": ("tabs", "制表符"),
    "load.delimiter.bars": ("vertical bars ('|')", "竖线（'|'）"),
    "load.read.csv_error": ("not a readable CSV: {error}", "不是可读取的 CSV：{error}"),
    "load.read.quote_to_end": (
        "a quote (\") opens field {field} on line {line} and is never closed; it runs to the end of "
        "the file, and no row follows it",
        "第 {line} 行第 {field} 个字段中的引号（\"）没有闭合；它一直延续到文件末尾，其后没有数据行"),
    "load.read.quote_records": ("{count} of them look like records", "其中 {count} 行看起来是数据行"),
    "load.read.quote_at_end": ("the quote is still open at the end of the file", "到文件末尾引号仍未闭合"),
    "load.read.quote_long": ("a comment of over {lines} lines is unlikely", "超过 {lines} 行的备注不太可能"),
    "load.read.quote_open": (
        "a quote (\") opens field {field} on line {at} and does not close before the next records: "
        "the field takes in lines {first}-{last} ({what}), so the rows on them would be lost. Close "
        "the quote, or write a quote inside a text as two quotes (\"\"), and load the file again",
        "第 {at} 行第 {field} 个字段中的引号（\"）在后面的数据行之前没有闭合：该字段吞掉了第 {first}-{last} "
        "行（{what}），这些行的数据会丢失。请闭合引号，或把文本中的引号写成两个引号（\"\"），然后重新加载"),
    "load.read.empty_table": ("the file is empty (no header row)", "文件为空（没有表头行）"),
    "load.read.xls": ("the old binary .xls format is not read; open it in Excel or LibreOffice and "
                      "save it as .xlsx",
                      "不读取旧的二进制 .xls 格式；请在 Excel 或 LibreOffice 中打开并另存为 .xlsx"),
    # Compressed files and zip archives (load/packed.py), .xls, SPSS and Stata files.
    "load.packed.damaged": (
        "the {kind} data cannot be unpacked: the file is damaged, cut off or not {kind} ({error}); copy or "
        "download it again",
        "无法解压 {kind} 数据：文件已损坏、被截断或并非 {kind} 格式（{error}）；请重新复制或下载"),
    "load.packed.too_big": (
        "unpacks ({kind}) to more than {limit:,} bytes (refused at {unpacked:,}): a possible "
        "decompression bomb. If the file is genuine, unpack it yourself, or raise the limit for the "
        "session: survey_analysis.load.packed.MAX_UNPACKED_BYTES = N",
        "解压（{kind}）后超过 {limit:,} 字节（在 {unpacked:,} 字节处拒绝）：可能是解压炸弹。如果文件确实无误，"
        "请自行解压，或在本次会话中提高上限：survey_analysis.load.packed.MAX_UNPACKED_BYTES = N"),
    "load.packed.ratio": (
        "unpacks ({kind}) to more than {ratio:,} times its packed size ({packed:,} bytes packed, refused "
        "at {unpacked:,} unpacked): a possible decompression bomb. If the file is genuine, unpack it "
        "yourself, or raise the limit for the session: survey_analysis.load.packed.MAX_UNPACKED_RATIO = N",
        "解压（{kind}）后超过压缩大小的 {ratio:,} 倍（压缩 {packed:,} 字节，解压到 {unpacked:,} 字节时拒绝）："
        "可能是解压炸弹。如果文件确实无误，请自行解压，或在本次会话中提高上限："
        "survey_analysis.load.packed.MAX_UNPACKED_RATIO = N"),
    "load.packed.nested": (
        "the compressed file holds another packed file ({inner}); unpack it once and load what it holds",
        "该压缩文件里还是一个压缩文件（{inner}）；请先解压一层，再加载其中的文件"),
    "load.packed.not_zip": ("not a readable zip archive ({error}); copy or download it again",
                            "不是可读取的 zip 压缩包（{error}）；请重新复制或下载"),
    "load.packed.zip_none": (
        "the zip archive holds no data file (CSV, TSV, TXT, Excel, ODS, Parquet, SPSS or Stata); "
        "its members: {members}",
        "该 zip 压缩包中没有数据文件（CSV、TSV、TXT、Excel、ODS、Parquet、SPSS 或 Stata）；其中的文件："
        "{members}"),
    "load.packed.zip_several": (
        "the zip archive holds {count} data files: {members}; it must hold one. Extract the one to "
        "load and give its path",
        "该 zip 压缩包中有 {count} 个数据文件：{members}；只能有一个。请解压出要加载的那个文件并给出其路径"),
    "load.packed.encrypted": ("the zip member is encrypted (password-protected); extract it with its "
                              "password and load the file",
                              "该 zip 成员已加密（设了密码）；请用密码解压后加载该文件"),
    "load.packed.unpacked": ("unpacked ({kind}) before reading: {packed:,} bytes packed, {unpacked:,} unpacked",
                             "读取前已解压（{kind}）：压缩 {packed:,} 字节，解压后 {unpacked:,} 字节"),
    "load.packed.misnamed": (
        "the file is {kind}-compressed although its name ends in {suffix}: it was unpacked and read",
        "该文件名以 {suffix} 结尾，实际却是 {kind} 压缩文件：已解压后读取"),
    "load.packed.ignored": ("the zip archive's {count} other member(s) are not data files and were not "
                            "read: {members}",
                            "zip 压缩包中另外 {count} 个文件不是数据文件，未读取：{members}"),
    "load.xls.needs_calamine": (
        "reading an old binary .xls workbook needs python-calamine (pip install python-calamine), or "
        "save it as .xlsx in Excel, WPS or LibreOffice",
        "读取旧的二进制 .xls 工作簿需要 python-calamine（pip install python-calamine），或在 Excel、WPS 或 "
        "LibreOffice 中另存为 .xlsx"),
    "load.xls.unreadable": (
        "not a readable .xls workbook ({kind}: {error}); it may be damaged or password-protected: open "
        "it in Excel, WPS or LibreOffice and save it as .xlsx",
        "不是可读取的 .xls 工作簿（{kind}：{error}）；它可能已损坏或设了密码：请在 Excel、WPS 或 LibreOffice "
        "中打开并另存为 .xlsx"),
    "load.xls.note": (
        "read as an old binary Excel workbook (.xls) by python-calamine: values as saved (formulas as "
        "the results saved with them), merged ranges from the file",
        "按旧的二进制 Excel 工作簿（.xls）由 python-calamine 读取：数值取其保存的值（公式取保存的结果），"
        "合并区域取自文件"),
    "load.xls.xlsx_named_xls": (
        "the file is an Excel workbook (.xlsx) although its name ends in .xls: it was read as one",
        "该文件名以 .xls 结尾，实际却是 Excel 工作簿（.xlsx），已按此读取"),
    "load.xls.text_named_xls": (
        "the file is a text table (CSV or tab-separated) although its name ends in .xls: it was read "
        "as one",
        "该文件名以 .xls 结尾，实际却是文本表格（CSV 或制表符分隔），已按此读取"),
    "load.xls.html": (
        "the file is a web page (HTML) although its name ends in .xls (some systems export tables "
        "so): open it in Excel, WPS or LibreOffice and save it as .xlsx, or export the data as CSV",
        "该文件名以 .xls 结尾，实际却是网页（HTML）（有些系统这样导出表格）：请在 Excel、WPS 或 LibreOffice "
        "中打开并另存为 .xlsx，或把数据导出为 CSV"),
    "load.stat.needs_pyreadstat": (
        "reading SPSS (.sav, .zsav) and Stata (.dta) files needs pyreadstat, the optional 'spss' "
        "extra: {install} (in a checkout of the project: {checkout}); or save the data as CSV",
        "读取 SPSS（.sav、.zsav）和 Stata（.dta）文件需要 pyreadstat，即可选的 'spss' 扩展：{install}"
        "（在项目源码目录中：{checkout}）；或把数据另存为 CSV"),
    "load.stat.unreadable": ("not a readable {format} file ({kind}: {error}); save the data as CSV from {format}",
                             "不是可读取的 {format} 文件（{kind}：{error}）；请在 {format} 中把数据另存为 CSV"),
    "load.stat.too_big": (
        "the file holds {rows:,} cases x {cols:,} variables = {cells:,} cells, more than the limit of "
        "{limit:,} cells; to read it as it is, raise the limit: {hint}",
        "文件有 {rows:,} 个个案 × {cols:,} 个变量 = {cells:,} 个单元格，超过上限 {limit:,} 个单元格；若要按原样"
        "读取，请提高上限：{hint}"),
    "load.stat.format_spss": ("SPSS", "SPSS"),
    "load.stat.format_stata": ("Stata", "Stata"),
    "load.stat.read": (
        "read by pyreadstat as {format} data; line numbers are the cases' positions in the file "
        "(1 = the first case), the header is the variable names",
        "按 {format} 数据文件由 pyreadstat 读取；行号是个案在文件中的位置（1 = 第一个个案），表头是变量名"),
    "load.stat.value_labels": (
        "value labels applied to column(s) {columns}, in code order: {listing}",
        "已对列 {columns} 应用值标签，按代码顺序：{listing}"),
    "load.stat.user_missing": (
        "column {column!r}: {count} cell(s) held user-defined missing value(s) {codes} and were read "
        "as empty",
        "列 {column!r}：{count} 个单元格是用户定义的缺失值 {codes}，已按空值读取"),
    # Bounds every reader keeps (load/bounds.py), Parquet files that are not, and CSV files
    # the DuckDB engine cannot read (issue 21).
    "load.bounds.part_too_big": (
        "the part {part} unpacks to {size:,} bytes ({packed:,} packed), more than the {limit:,} a "
        "workbook part may hold ({per_cell} bytes per cell of max_cells): a possible decompression "
        "bomb, refused before it was unpacked. If the file is genuine, raise the limit: {hint}",
        "其中的部件 {part} 解压后有 {size:,} 字节（压缩 {packed:,} 字节），超过工作簿部件允许的 {limit:,} 字节"
        "（max_cells 每个单元格 {per_cell} 字节）：可能是解压炸弹，已在解压前拒绝。如果文件确实无误，请提高上限："
        "{hint}"),
    "load.bounds.too_many_columns": (
        "{count:,} columns, more than the {limit:,} a sheet may have; refused before "
        "they were read. Check the delimiter and that this is a response sheet; to read it anyway, "
        "raise the limit for the session: survey_analysis.load.bounds.MAX_COLUMNS = N",
        "共 {count:,} 列，超过一张表允许的 {limit:,} 列；已在读取前拒绝。请检查分隔符，并确认"
        "这是回答表；如仍要读取，请在本次会话中提高上限：survey_analysis.load.bounds.MAX_COLUMNS = N"),
    "load.bounds.long_line": (
        "this line is {length:,} bytes long, more than the {limit:,} a line may hold (a file without "
        "line breaks, or not a text file?); refused before it was decoded. If the line is genuine, "
        "raise the limit for the session: survey_analysis.load.bounds.MAX_LINE_BYTES = N",
        "该行长 {length:,} 字节，超过一行允许的 {limit:,} 字节（文件没有换行，或并非文本文件？）；已在解码前"
        "拒绝。如果该行确实无误，请在本次会话中提高上限：survey_analysis.load.bounds.MAX_LINE_BYTES = N"),
    "load.read.not_parquet": (
        "not a Parquet file: {what}; a Parquet file starts and ends with the bytes PAR1. {fix}",
        "不是 Parquet 文件：{what}；Parquet 文件以字节 PAR1 开头和结尾。{fix}"),
    "load.read.parquet_empty": ("the file is empty (0 bytes)", "文件为空（0 字节）"),
    "load.read.parquet_head": ("its {size:,} bytes start with {head!r}", "其 {size:,} 字节以 {head!r} 开头"),
    "load.read.parquet_text": (
        "It looks like text: if it is a CSV file, give it a .csv name and load it again",
        "它看起来是文本：如果是 CSV 文件，请把文件名改为 .csv 后重新加载"),
    "load.read.parquet_again": ("Write the data as Parquet again, or give the file the suffix of its format",
                                "请重新把数据写为 Parquet，或把文件后缀改为其真实格式"),
    "load.read.parquet_unreadable": ("not a readable Parquet file ({kind}: {error}); write it again",
                                     "不是可读取的 Parquet 文件（{kind}：{error}）；请重新写出该文件"),
    "load.duckdb.not_utf8": (
        "the file is not UTF-8 from this line on, and the DuckDB engine (which sa.Survey(path), "
        "sa.item_rates(path) and the other counting functions use for a CSV file) reads UTF-8 only. "
        "Read the file with sa.load_responses(path), which detects GB18030, Big5 and UTF-8 with or "
        "without a BOM, and pass the responses; or save the file as UTF-8",
        "该文件从这一行起不是 UTF-8 编码，而 DuckDB 引擎（sa.Survey(path)、sa.item_rates(path) 等计数函数"
        "读取 CSV 文件时使用它）只读 UTF-8。请用 sa.load_responses(path) 读取该文件（它能识别 GB18030、Big5 "
        "以及带或不带 BOM 的 UTF-8），再传入回答数据；或把文件另存为 UTF-8"),
    "load.duckdb.ragged": (
        "this row has {fields} fields where the header (line {header}) has {expected}, and the DuckDB "
        "engine (which sa.Survey(path), sa.item_rates(path) and the other counting functions use for a "
        "CSV file) cannot read rows of different lengths. Read the file with sa.load_responses(path), "
        "which reads such rows and reports them, and pass the responses; or fix the row",
        "该行有 {fields} 个字段，而表头（第 {header} 行）有 {expected} 个；DuckDB 引擎（sa.Survey(path)、"
        "sa.item_rates(path) 等计数函数读取 CSV 文件时使用它）无法读取长度不一的行。请用 "
        "sa.load_responses(path) 读取该文件（它能读取这样的行并加以报告），再传入回答数据；或修正该行"),

    # -- design: the Survey, its options, calibration ------------------------------------------
    "design.lonely_domain": (
        "strata where a single cluster holds a domain though the stratum has more: {shown} "
        "({count}); with lonely_domain=True the lonely-cluster rule applies to them. Say how to "
        "treat them: {fix} (its cluster's total uncentred; R survey.adjust.domain.lonely), "
        "'average' (left out, the other strata of the domain scaled up), or 'remove' / "
        "'certainty' (no change, as R)",
        "某个域在这些层中只有一个群（层本身有多个群）：{shown}（{count} 个）；lonely_domain=True 时对其适用"
        "单群层规则。请说明如何处理：{fix}（该群的总量不居中；同 R 的 survey.adjust.domain.lonely）、"
        "'average'（不计入，按该域的其他层放大）或 'remove' / 'certainty'（不变，同 R）"),
    "design.fpc.one": ("fpc= is one column name, got {fpc!r}", "fpc= 只能是一个列名，实际为 {fpc!r}"),
    "design.fpc.not_number": (
        "fpc column {column!r} must hold numbers > 0 (population sizes, or sampling fractions "
        "<= 1); found {value!r} in stratum {stratum!r}",
        "fpc 列 {column!r} 必须是大于 0 的数（总体规模，或不大于 1 的抽样比）；层 {stratum!r} 中为 {value!r}"),
    "design.fpc.varies": (
        "fpc column {column!r} varies within stratum {stratum!r} ({low} to {high}): the population "
        "size (or sampling fraction) is one number per stratum",
        "fpc 列 {column!r} 在层 {stratum!r} 内取值不一（{low} 至 {high}）：每个层只有一个总体规模（或抽样比）"),
    "design.fpc.mixed": (
        "fpc column {column!r} mixes sampling fractions (values < 1: {small} in stratum "
        "{small_stratum!r}) with population sizes (values > 1: {big} in stratum {big_stratum!r}); "
        "a fraction cannot exceed 1: give every stratum the one or the other (R: 'Must have all "
        "fpc>=1 or all fpc<=1')",
        "fpc 列 {column!r} 混用了抽样比（小于 1：层 {small_stratum!r} 为 {small}）和总体规模（大于 1："
        "层 {big_stratum!r} 为 {big}）；抽样比不能大于 1：所有层请统一用其中一种"),
    "design.fpc.too_small": (
        "fpc column {column!r}: stratum {stratum!r} has a population of {population} but {units} "
        "sampling units were taken from it (R: 'FPC implies >100% sampling in some strata'); the "
        "population counts the design's units (clusters, or answers when they are the units)",
        "fpc 列 {column!r}：层 {stratum!r} 的总体规模为 {population}，但从中抽取了 {units} 个抽样单位"
        "（R：FPC implies >100% sampling）；总体规模按设计的抽样单位计（群，或以回答为单位时的回答数）"),
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
    # Building a Survey and changing it (design/design.py).
    "design.weight_missing": ("weight column {weight!r} not found; columns are {found}",
                              "找不到权重列 {weight!r}；现有列为 {found}"),
    "design.already_built": (
        "a Survey is already built: use it as it is, or change it with survey.with_options(...), "
        "survey.with_definition(...) or survey.subset(...)",
        "Survey 已经建立：请直接使用，或用 survey.with_options(...)、survey.with_definition(...) 或 "
        "survey.subset(...) 修改"),
    "design.strata_one": ("strata= is one column name, got {strata!r}",
                          "strata= 只能是一个列名，实际为 {strata!r}"),
    "design.not_tidy": (
        "these are not tidy responses (no 'scale' and 'rank' columns): load the sheet with "
        "sa.load_responses(frame) first -- it reads the headers, the labels and their scale, and "
        "keeps a ledger of every row -- or count a long frame with columns item_id and rating as "
        "it is with {fix}",
        "这不是整理后的回答（没有 'scale' 和 'rank' 列）：请先用 sa.load_responses(frame) 读取表格"
        "——它会识别表头、回答及其量表，并为每一行记账——或者用 {fix} 直接对含 item_id 和 rating "
        "列的长表计数"),
    "design.weights_all_zero": (
        "{source}: every weight in column {weight!r} is 0 ({rows} answers), so no answer counts and "
        "every rate would be 0/0; check the weight column (or leave weight= out for unweighted rates)",
        "{source}：列 {weight!r} 中的权重全部为 0（{rows} 个回答），没有任何回答计入，所有比率都是 0/0；请检查权重列"
        "（或不传 weight= 以计算不加权的比率）"),
    "design.weights_overflow": (
        "{source}: the weights in column {weight!r} are so large that their sum of squares "
        "overflows; divide the column by its mean (rates, intervals and Kish's n do not change)",
        "{source}：列 {weight!r} 中的权重太大，其平方和溢出；请把该列除以其均值（满意率、区间和 Kish "
        "有效样本量都不变）"),
    "design.read_only": (
        "a {kind} cannot be changed ({name!r} is read-only): build a new one with "
        "with_options(...), with_definition(...), subset(...), poststratify(...), rake(...) or "
        "trim(...)",
        "{kind} 不能修改（{name!r} 是只读的）：请用 with_options(...)、with_definition(...)、"
        "subset(...)、poststratify(...)、rake(...) 或 trim(...) 建立新的 {kind}"),
    "design.percent_fits_none": (
        "{source}: no row's percentage fits a whole count of its {n} ({rows} rows; see "
        "sa.counts_from_percentages): the percentages are not shares of {n} as rounded -- another "
        "denominator, or other decimals (decimals=, rounding=)?",
        "{source}：没有任何一行的百分比能由其 {n} 的整数计数得到（共 {rows} 行；见 "
        "sa.counts_from_percentages）：这些百分比不是 {n} 经舍入后的比例——是另有分母，还是小数位或"
        "舍入方式不同（decimals=、rounding=）？"),
    "design.counts_definition": (
        "a table of counts fixes the definition of satisfied: only its own count of satisfied "
        "answers is known",
        "计数表的“满意”口径是固定的：只知道表中自己的满意数"),
    "design.recount_calibrated": (
        "{changes} would recount a calibrated survey; choose the design first, then calibrate its "
        "weights",
        "{changes} 会对已校准的 Survey 重新计数；请先确定设计，再校准其权重"),
    "design.counts_recount": (
        "a design built from a counts table cannot be recounted; build a new one with "
        "Survey.from_counts(...)",
        "由计数表建立的设计不能重新计数；请用 Survey.from_counts(...) 建立新的设计"),
    "design.subset_empty": ("subset() needs at least one column=value(s)",
                            "subset() 至少需要一个“列=取值”"),
    "design.not_counted_calibrated": (
        "column(s) {missing} were not counted before calibration; name them when building the "
        "Survey: {fix}",
        "列 {missing} 在校准前未计入计数；请在建立 Survey 时指定：{fix}"),
    "design.subset_no_answer": ("no answer has {column} in {values}; its values are {present}",
                                "没有回答的 {column} 取值在 {values} 之中；该列的取值为 {present}"),
    "design.subset_none": ("the subset {domain} holds no answer", "子总体 {domain} 中没有回答"),
    "design.calibrate_subset": ("calibrate the whole survey, then take a subset of it",
                                "请先校准整个 Survey，再取其子总体"),
    "design.by_empty": ("by must name at least one column", "by 至少要指定一列"),
    "design.margins": ("margins must be a non-empty dict {{column: totals}}",
                       "margins 必须是非空字典 {{列: 总数}}"),
    "design.max_iter": ("max_iter must be at least 1, got {value!r}", "max_iter 至少为 1，实际为 {value!r}"),
    "design.tol": ("tol must be positive, got {value!r}", "tol 必须为正数，实际为 {value!r}"),
    "design.trim_sums_rake": (
        "trimming bounds each answer's weight: this survey keeps only the weight sums of answers "
        "with unequal weights; load the sheet with sa.load_responses and build the Survey from "
        "the responses",
        "截尾限定的是每个回答的权重：此 Survey 对权重不等的回答只保存了权重之和；请用 "
        "sa.load_responses 读取表格，再由这些回答建立 Survey"),
    "design.trim_sums": (
        "trimming bounds each answer's weight: this survey keeps only the weight sums of answers "
        "with unequal weights; build the Survey from tidy responses",
        "截尾限定的是每个回答的权重：此 Survey 对权重不等的回答只保存了权重之和；请由整理后的回答"
        "建立 Survey"),
    "design.trim_subset": ("trim the whole survey's weights, then take a subset of it",
                           "请先对整个 Survey 的权重截尾，再取其子总体"),
    "design.nested_pair": ("{unit} in {stratum}", "{unit} 在 {stratum} 中"),
    # Level counts and weights (design/level_counts.py, design/calibration.py).
    "design.scale_empty": ("the scale column has empty values; load the sheet with sa.load_responses",
                           "scale 列有空值；请先用 sa.load_responses 读取表格"),
    "design.rank_empty": (
        "the rank column has empty or non-numeric values; load the sheet with sa.load_responses",
        "rank 列有空值或非数字的值；请先用 sa.load_responses 读取表格"),
    "design.weights.missing": ("missing or non-numeric", "缺失或不是数字"),
    "design.weights.infinite": ("infinite", "无穷大"),
    "design.weights.negative": ("negative", "为负"),
    "design.weights.problem_rows": ("{count} {kind} (rows {shown}; first {first:g})",
                                    "{count} 个{kind}（行 {shown}；第一个为 {first:g}）"),
    "design.weights.problem_lines": ("{count} {kind} (lines {shown}; first {first:g})",
                                     "{count} 个{kind}（第 {shown} 行；第一个为 {first:g}）"),
    "design.weights.column": ("weight column {column!r}", "权重列 {column!r}"),
    "design.weights.column_bad": (
        "weight column {column!r} must hold finite numbers >= 0: {problems}; fix or remove those "
        "rows (a weight of 0 keeps the answer without weight)",
        "权重列 {column!r} 必须是有限且 >= 0 的数：{problems}；请修正或删除这些行（权重为 0 "
        "的回答会保留，但不计权重）"),
    "design.weights.one_dimension": ("{name} must be one-dimensional, got shape {shape}",
                                     "{name} 必须是一维的，实际形状为 {shape}"),
    "design.weights.bad": ("{name} must be finite and >= 0: {problems}",
                           "{name} 必须是有限且 >= 0 的数：{problems}"),
    "design.calibration.population": ("population", "总体"),
    "design.calibration.margin": ("margin {name!r}", "边际 {name!r}"),
    "design.calibration.frame": (
        "{what} DataFrame must have the columns {columns} and exactly one column of totals; it "
        "has {found}",
        "{what} DataFrame 必须包含列 {columns}，并且恰好有一列总数；它的列为 {found}"),
    "design.calibration.kind": (
        "{what} must be a pandas Series, dict or DataFrame of totals, got {kind}",
        "{what} 必须是总数的 pandas Series、dict 或 DataFrame，实际为 {kind}"),
    "design.calibration.levels": (
        "{what} is indexed by {levels} level(s) but the cells are defined by {count} column(s) "
        "{columns}",
        "{what} 的索引有 {levels} 层，但单元格由 {count} 列 {columns} 定义"),
    "design.calibration.twice": ("{what} lists some cells more than once: {cells}",
                                 "{what} 中有些单元格出现了不止一次：{cells}"),
    "design.calibration.bad_totals": (
        "{what} totals must be finite numbers >= 0; bad cells: {cells}",
        "{what} 的总数必须是有限且 >= 0 的数；有问题的单元格：{cells}"),
    "design.calibration.columns_missing": ("column(s) {missing} not found; columns are {found}",
                                           "未找到列 {missing}；现有列为 {found}"),
    "design.calibration.missing_values": (
        "{columns} have missing values in {count} row(s); every response must belong to a cell",
        "{columns} 在 {count} 行中有缺失值；每个回答都必须属于一个单元格"),
    "design.calibration.cells": ("{shown}{more}", "{shown}{more}"),
    "design.calibration.cells_more": (" ... ({count} in all)", " ……（共 {count} 个）"),
    "design.calibration.cell_rows": ("'{cell} ({rows} rows)'{next}", "'{cell}（{rows} 行）'{next}"),
    "design.calibration.next_cell_rows": (", '{cell} ({rows} rows)'{next}", "，'{cell}（{rows} 行）'{next}"),
    "design.calibration.no_total": ("cells in the sample with no {what} total: {cells}",
                                    "样本中以下单元格在{what}中没有总数：{cells}"),
    "design.calibration.no_sample": ("{what} cells with no responses in the sample: {cells}",
                                     "{what}中以下单元格在样本里没有回答：{cells}"),
    "design.calibration.zero_total": ("cells in the sample whose {what} total is 0: {cells}",
                                      "样本中以下单元格在{what}中的总数为 0：{cells}"),
    "design.calibration.zero_weight": (
        "cells whose responses all have weight 0 cannot be scaled to their {what} total: {cells}",
        "以下单元格的回答权重全为 0，无法调整到其在{what}中的总数：{cells}"),
    "design.calibration.trim_pair": (
        "trim must be a pair (low, high) of bounds relative to the mean weight, got {trim!r}",
        "trim 必须是一对相对于平均权重的界限 (low, high)，实际为 {trim!r}"),
    "design.calibration.trim_bounds": (
        "trim bounds are relative to the mean weight and need 0 <= low <= 1 <= high; got {trim!r}",
        "trim 的界限相对于平均权重，须满足 0 <= low <= 1 <= high；实际为 {trim!r}"),
    "design.calibration.grand_totals": ("margins must have the same grand total; got {totals}",
                                        "各边际的总计必须相同；实际为 {totals}"),
    "design.calibration.off_targets": (
        "margin {name!r} is off its targets by up to {share:.3g} of the total ({amount:.6g})",
        "边际 {name!r} 与其目标最多相差总计的 {share:.3g}（{amount:.6g}）"),
    "design.calibration.off_bounds": (
        "weights are outside the trim bounds by up to {share:.3g} of the mean weight",
        "权重超出截尾界限，最多达平均权重的 {share:.3g}"),
    "design.calibration.not_converged": (
        "raking did not converge in {sweeps} sweeps: {problem}; the margins may be incompatible "
        "(e.g. empty crossed cells) or the bounds too tight",
        "raking 在 {sweeps} 轮内未收敛：{problem}；各边际可能相互矛盾（例如交叉单元格为空），或界限过紧"),
    "design.calibration.lower_upper": ("lower ({lower}) must not exceed upper ({upper})",
                                       "lower（{lower}）不能大于 upper（{upper}）"),
    "design.calibration.no_weights_within": (
        "no weights within [{lower}, {upper}] keep the total {total:g} of {n} weights (the mean "
        "weight {mean:g} is outside the bounds)",
        "在 [{lower}, {upper}] 之内的权重无法保持 {n} 个权重的总和 {total:g}（平均权重 {mean:g} "
        "在界限之外）"),
    "design.calibration.all_outside": (
        "every weight is outside [{lower}, {upper}]; nothing to spread the trimmed amount over",
        "每个权重都在 [{lower}, {upper}] 之外；截去的部分无处分摊"),
    "design.calibration.still_outside": (
        "trim_weights: weights still outside [{lower}, {upper}] after {passes} passes",
        "trim_weights：经过 {passes} 轮后仍有权重在 [{lower}, {upper}] 之外"),

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
    "present.cli.no_round_column": (
        "{file}: one file compares its rounds by a column naming each answer's round, and "
        "{round!r} is not a column (columns: {headers}); name it with --round-column COLUMN, or "
        "give one file per round: survey-analysis compare EARLIER LATER",
        "{file}：单个文件需要一列注明每个回答属于哪一轮，而 {round!r} 不是其中的列（已有的列：{headers}）；请用 "
        "--round-column 列名 指定，或每轮一个文件：survey-analysis compare 较早 较晚"),
    "rounds.too_few": (
        "{round!r} holds valid answers of {count} round(s) {present}{missing}; a comparison needs two "
        "(a round whose every answer was excluded has none left: its load report says why)",
        "{round!r} 列只有 {count} 轮有有效回答 {present}{missing}；比较需要两轮（若某轮的回答全被排除，则没有剩余回答："
        "其加载报告说明了原因）"),
    "rounds.no_valid": ("; no valid answer in {rounds}", "；{rounds} 没有有效回答"),
    "rounds.name_two": (
        "{round!r} has {count} rounds {present}; name the two to compare, earliest first: {fix}",
        "{round!r} 列有 {count} 轮 {present}；请指定要比较的两轮（先早后晚）：{fix}"),
    # Said by several estimators.
    "estimate.one_column": ("{name} must be one column name, got {value!r}",
                            "{name} 必须是一个列名，实际为 {value!r}"),
    "estimate.few_clusters": ("fewer than two clusters: no design-based interval",
                              "群少于两个：无法给出基于设计的区间"),
    "estimate.no_responses": ("no responses", "没有回答"),
    # intervals, results: binomial intervals and the headline estimate.
    "estimate.intervals.mid_p_whole": ("method 'mid_p' needs whole-number successes",
                                       "mid_p 方法要求成功数为整数"),
    "estimate.results.no_other_level": ("this estimate cannot compute another interval",
                                        "该估计无法计算其他置信水平下的区间"),
    # rates: item rates and the overall rate.
    "estimate.rates.mid_p_weighted": (
        # The methods by value, not as method=...: the analysis passes its interval= here, so
        # a keyword would name the wrong option (and the command line the wrong flag).
        "method 'mid_p' needs whole-number counts; with weights the counts are effective (Kish): "
        "choose wilson, clopper_pearson or jeffreys",
        "mid_p 方法要求计数为整数；加权后的计数是（Kish）有效计数：请选择 wilson、clopper_pearson 或 "
        "jeffreys"),
    "estimate.rates.items_at_100_columns": (
        "items_at_100 needs a table of item rates with columns 'n' and 'satisfied' (sa.item_rates "
        "gives one); {missing} not found among {columns}",
        "items_at_100 需要含 'n' 和 'satisfied' 列的事项满意率表（sa.item_rates 可生成）；在 {columns} "
        "中找不到 {missing}"),
    "estimate.rates.lonely": (
        "{lonely} of {strata} strata have one cluster: lonely_cluster={rule!r}",
        "{strata} 个层中有 {lonely} 个只有一个群：lonely_cluster={rule!r}"),
    "estimate.rates.items_as_strata": (
        "items as strata (a census of items): only respondents within items are sampled",
        "事项作为层（事项普查）：只对事项内的受访者抽样"),
    "estimate.rates.count_range": ("counts from rounded percentages: interval over their range",
                                   "计数由四舍五入的百分比推得：区间覆盖计数的可能范围"),
    "estimate.rates.naive_clusters": (
        "treats responses as independent; too narrow when items differ",
        "视每个回答相互独立；事项之间有差异时区间过窄"),
    "estimate.rates.naive_answers": ("treats responses as independent, ignoring the items",
                                     "视每个回答相互独立，不考虑事项"),
    "estimate.rates.few_clusters": (
        "only {clusters} clusters ({df} design degrees of freedom, fewer than {few}): the interval and "
        "the design effect rest on so few units that they are themselves very uncertain",
        "只有 {clusters} 个群（设计自由度 {df}，少于 {few}）：区间和设计效应所依据的单元太少，本身很不确定"),
    "estimate.rates.items_few": (
        "only {items} items (at most {few}): the mean of item rates and its t interval rest on few items",
        "只有 {items} 个事项（不超过 {few} 个）：事项满意率平均及其 t 区间所依据的事项很少"),
    "estimate.rates.zero_variance": (
        "zero design variance: exact interval with responses treated as independent",
        "设计方差为零：改用精确区间，视每个回答相互独立"),
    "estimate.rates.few_items": ("fewer than two items: no interval", "事项少于两个：无法给出区间"),
    "estimate.rates.mean_of_items": ("each item counts once; t interval over items",
                                     "每个事项计一次；跨事项的 t 区间"),
    # comparisons: differences of rates, tests of a group table, pairs.
    "estimate.comparisons.indexes": ("count Series have different indexes", "各计数 Series 的索引不同"),
    "estimate.comparisons.broadcast": (
        "k1, n1, k2, n2 cannot be broadcast together: shapes {shapes}",
        "k1、n1、k2、n2 的形状无法对齐：{shapes}"),
    "estimate.comparisons.group_missing": (
        "group column {group!r} not found; columns are {columns}. To compare item categories, "
        "merge the catalogue first, e.g. responses.merge(sa.load_items()[['item_id', "
        "'category']], on='item_id')",
        "找不到分组列 {group!r}；现有的列为 {columns}。若要比较事项类别，请先合并事项目录，例如 "
        "responses.merge(sa.load_items()[['item_id', 'category']], on='item_id')"),
    "estimate.comparisons.counts_columns": (
        "a table of counts per group needs columns {group!r}, 'n' and 'satisfied'; it has "
        "{columns}",
        "分组计数表需要 {group!r}、'n' 和 'satisfied' 列；现有的列为 {columns}"),
    "estimate.comparisons.counts_satisfied": (
        "data already has 'n' and 'satisfied' counts; leave {fix} (the definition of satisfied was "
        "applied when counting)",
        "数据已有 'n' 和 'satisfied' 计数；请保持 {fix}（计数时已按“满意”的口径统计）"),
    "estimate.comparisons.counts_design": (
        "design options {options} do not apply to a table of counts per group",
        "设计选项 {options} 不适用于分组计数表"),
    "estimate.comparisons.whole_counts": (
        "group comparisons need whole-number counts 'n' and 'satisfied'",
        "组间比较要求 'n' 和 'satisfied' 为整数计数"),
    "estimate.comparisons.counts_order": ("counts must satisfy 0 <= satisfied <= n",
                                          "计数必须满足 0 <= satisfied <= n"),
    "estimate.comparisons.no_design": (
        "a table of counts per group has no design (no clusters or weights per answer): pass tidy "
        "responses or a Survey, or choose a method that treats answers as independent "
        "(compare_groups: {fisher} or 'chi2'; pairwise_comparisons: {newcombe})",
        "分组计数表没有抽样设计（没有每个回答的群或权重）：请传入整理好的回答数据或 Survey，或选择视回答"
        "相互独立的方法（compare_groups：{fisher} 或 'chi2'；pairwise_comparisons：{newcombe}）"),
    "estimate.comparisons.two_groups": ("need at least two groups in {group!r}, found {count}",
                                        "{group!r} 中至少需要两个组，实际只有 {count} 个"),
    "estimate.comparisons.two_groups_responses": (
        "need at least two groups with responses in {group!r}, found {count}",
        "{group!r} 中至少需要两个有回答的组，实际只有 {count} 个"),
    "estimate.comparisons.fisher_scipy": (
        "Fisher's test for more than two groups needs scipy >= 1.15; use {fix}",
        "两组以上的 Fisher 检验需要 scipy >= 1.15；请使用 {fix}"),
    "estimate.comparisons.independent": ("answers as independent", "视回答相互独立"),
    "estimate.comparisons.unweighted": ("answers counted as independent and unweighted",
                                        "回答按相互独立、不加权计数"),
    "estimate.comparisons.left_out": ("left out groups without valid responses: {groups}",
                                      "已略去没有有效回答的组：{groups}"),
    "estimate.comparisons.same_outcome": (
        "all responses have the same outcome (every group at 0% or every group at 100%): only one "
        "table has these margins, so p = 1",
        "所有回答的结果相同（各组都是 0% 或都是 100%）：具有这些边际合计的表只有一张，故 p = 1"),
    "estimate.comparisons.sparse": (
        "{share:.0%} of expected counts are below 5 (smallest {smallest:.3g}): the chi-square "
        "p-value may be inaccurate; consider {fix}",
        "{share:.0%} 的期望频数小于 5（最小为 {smallest:.3g}）：卡方检验的 p 值可能不准确；可考虑 {fix}"),
    "estimate.comparisons.monte_carlo": (
        "Monte Carlo p-value from {resamples} random tables with the observed margins",
        "蒙特卡罗 p 值，基于 {resamples} 张与观测边际合计相同的随机表"),
    "estimate.comparisons.rao_scott": (
        "Rao-Scott F under the design (mean design effect {deff:.2f})",
        "按抽样设计的 Rao-Scott F 检验（平均设计效应 {deff:.2f}）"),
    # domains: design-based rates and differences of domains, the Rao-Scott test.
    "estimate.domains.unknown_values": ("unknown {by} value(s) {unknown}; the values are {labels}",
                                        "未知的 {by} 取值 {unknown}；现有取值为 {labels}"),
    "estimate.domains.two_groups": (
        "need at least two groups with answers in {by!r}, found {count}",
        "{by!r} 中至少需要两个有回答的组，实际只有 {count} 个"),
    "estimate.domains.zero_variance": ("zero design variance: no design-based interval",
                                       "设计方差为零：无法给出基于设计的区间"),
    "estimate.domains.same_outcome": ("every answer has the same outcome: no test",
                                      "所有回答的结果相同：无法检验"),
    "estimate.domains.no_variance": (
        "the design has no variance between its {units} unit(s) (a single item as the only "
        "cluster): the design-based test is undefined; cluster='none' treats the answers as "
        "independent",
        "该设计的 {units} 个单元之间没有方差（只有一个事项作为唯一的群）：基于设计的检验无法计算；"
        "cluster='none' 视各回答为独立"),
    "estimate.domains.no_df": ("fewer than two clusters: no design degrees of freedom",
                               "群少于两个：没有设计自由度"),
    # Degrees of freedom of a domain (Korn & Graubard 1999): its own clusters - their strata.
    "estimate.domains.domain_no_df": (
        "only {clusters} cluster(s) hold this domain: no variance estimate",
        "只有 {clusters} 个群含有此类：无法估计方差"),
    "estimate.domains.domain_no_df_strata": (
        "the {clusters} cluster(s) holding this domain lie in {strata} stratum/strata "
        "({df} degree(s) of freedom): no variance estimate",
        "含有此类的 {clusters} 个群分属 {strata} 个层（自由度 {df}）：无法估计方差"),
    "estimate.domains.domain_no_df_answers": (
        "only {answers} answer(s) in {strata} stratum/strata belong to this domain "
        "({df} degree(s) of freedom): no variance estimate",
        "此类只有 {answers} 个回答，分属 {strata} 个层（自由度 {df}）：无法估计方差"),
    "estimate.domains.domain_all_alike": (
        "every answer alike: no design variance; the interval is Clopper-Pearson's on {n} "
        "effective answers",
        "所有回答相同：没有设计方差；区间为按 {n} 个有效回答计算的 Clopper-Pearson 区间"),
    "estimate.domains.domain_few": (
        "only {clusters} clusters hold this domain ({df} degree(s) of freedom, fewer than {few}): "
        "very uncertain",
        "仅 {clusters} 个群含有此类（自由度 {df}，少于 {few}）：很不确定"),
    "estimate.domains.domain_few_answers": (
        "only {answers} answers belong to this domain ({df} degree(s) of freedom, fewer than {few}): "
        "very uncertain",
        "此类仅 {answers} 个回答（自由度 {df}，少于 {few}）：很不确定"),
    "estimate.domains.pair_no_df": ("{group!r}: {reason}", "{group!r}：{reason}"),
    "estimate.domains.pair_few": (
        "only {clusters} clusters hold these two domains ({df} degree(s) of freedom, fewer than "
        "{few}): very uncertain",
        "仅 {clusters} 个群含有这两类（自由度 {df}，少于 {few}）：很不确定"),
    "estimate.domains.pair_few_small": (
        "'{group}' is held by only {units} units ({df:g} degree(s) of freedom for the difference, "
        "fewer than {few}): very uncertain",
        "'{group}' 仅由 {units} 个单元构成（差值的自由度 {df:g}，少于 {few}）：很不确定"),
    "estimate.domains.pair_few_answers": (
        "only {answers} answers belong to these two domains ({df} degree(s) of freedom, fewer than "
        "{few}): very uncertain",
        "这两类仅 {answers} 个回答（自由度 {df}，少于 {few}）：很不确定"),
    "estimate.domains.groups_one_cluster": (
        "fewer than two clusters hold group(s) {groups}: no design-based test",
        "以下组所在的群少于两个：{groups}；无法进行基于设计的检验"),
    "estimate.domains.groups_one_answer": (
        "fewer than two answers in group(s) {groups}: no design-based test",
        "以下组的回答少于两个：{groups}；无法进行基于设计的检验"),
    # proportions: any share of the answers under the design.
    "estimate.proportions.form": (
        "{name} must be a dict of a column and its value(s), or 'satisfied' or 'dissatisfied'; "
        "got {value!r}",
        "{name} 应为列名及其取值组成的 dict，或 'satisfied'、'dissatisfied'；实际为 {value!r}"),
    "estimate.proportions.column_missing": (
        "{name}: column(s) {missing} not found; columns are {columns}",
        "{name}：未找到列 {missing}；现有列为 {columns}"),
    "estimate.proportions.unseen": (
        "{name}: no answer has {column!r} equal to {unseen}; its values are {found}",
        "{name}：没有回答的 {column!r} 取值为 {unseen}；该列的取值为 {found}"),
    "estimate.proportions.empty_base": (
        "no answer is in among={among!r}: the share has no base",
        "没有回答属于 among={among!r}：比例没有分母"),
    "estimate.proportions.no_responses": (
        "a proportion needs the answers themselves, and {source} was counted without loading "
        "them: load it with load_responses(..., keep_columns=[...]) first",
        "计算比例需要逐条回答，而 {source} 是未载入回答直接计数的：请先用 "
        "load_responses(..., keep_columns=[...]) 载入"),
    "estimate.proportions.calibrated": (
        "a proportion of a calibrated (post-stratified or raked) survey is not supported yet: "
        "compute it before calibrating, or with the calibrated weights as a plain weight column",
        "暂不支持对已校准（事后分层或耙式加权）的调查计算比例：请在校准前计算，或把校准后的权重作为普通权重列"),
    # crosstab: banner tables, letters of significantly different columns.
    "estimate.crosstab.alpha": (
        "alpha must be a number strictly between 0 and 1, got {value!r} (write 0.05, not 5)",
        "alpha 必须是严格介于 0 和 1 之间的数，实际为 {value!r}（应写 0.05，而不是 5）"),
    "estimate.crosstab.min_base": ("min_base must be a whole number >= 0, got {value!r}",
                                   "min_base 必须是 >= 0 的整数，实际为 {value!r}"),
    "estimate.crosstab.same_column": (
        "rows and columns are the same column {column!r}: a banner crosses two columns",
        "rows 与 columns 是同一列 {column!r}：交叉表需要两列"),
    "estimate.crosstab.total": ("Total", "合计"),
    "estimate.crosstab.small_base": ("base {n} below {min_base}: marked, not tested",
                                     "基数 {n} 低于 {min_base}：已标记，未检验"),
    "estimate.crosstab.no_test": ("no test against column {other}: {reason}",
                                  "未与 {other} 列检验：{reason}"),
    "estimate.crosstab.method": (
        "design-based pairwise tests of column proportions within each row, p-values adjusted "
        "({adjustment}) within the row, alpha {alpha:g}; letters name the columns a cell is "
        "significantly higher than; bases below {min_base} are marked (*) and not tested",
        "在每一行内对各列比例作基于设计的两两检验，p 值在行内校正（{adjustment}），显著性水平 "
        "{alpha:g}；字母表示该格显著高于的列；基数低于 {min_base} 的格已标记（*），未检验"),
    "estimate.crosstab.rows_are_clusters": (
        "each value of {rows!r} is one cluster of the design, so the cells of a row share one "
        "cluster and no pair of columns can be tested; to test the columns within each row, take "
        "the answers as units: {fix}",
        "{rows!r} 的每个值都是设计中的一个群，一行的各格同属一个群，无法对任何两列作检验；如需在每行内"
        "检验各列，请以回答为单位：{fix}"),
    "estimate.crosstab.untested": (
        "{count} pair(s) of columns had no test (the cells' notes say why, e.g. a column held by "
        "one cluster has no variance estimate): no letter",
        "{count} 对列无法检验（原因见各格的注释，例如仅由一个群构成的列无法估计方差）：不标字母"),
    # rounds: two survey rounds compared.
    "estimate.rounds.items_merged": (
        "{count} item id(s) of a later round differ from an earlier round's only by full-width "
        "forms, invisible characters or spaces and were read as the same item: {listing}",
        "{count} 个后一轮的事项编号与前一轮的仅有全角/半角、不可见字符或空格之差，按同一事项处理：{listing}"),
    "estimate.rounds.no_common_items": (
        "no item is in both rounds ({earlier}, {later}; {items} items): the overall change compares "
        "different items, not the same services over time",
        "两轮（{earlier}、{later}；共 {items} 个事项）没有共同的事项：总体变化比较的是不同的事项，而非同一服务前后的变化"),
    "estimate.rounds.some_one_round": (
        "{count} of {items} items are in one round only: they weigh in the overall rate of that round alone",
        "{items} 个事项中有 {count} 个只在一轮中出现：它们只计入该轮的总体满意度"),
    "estimate.rounds.two_needed": ("need at least two rounds to compare, got {count}",
                                   "至少需要两轮才能比较，实际为 {count} 轮"),
    "estimate.rounds.not_tidy": (
        "round(s) {rounds} are not tidy responses: read each round's sheet with sa.load_responses "
        "first (or give the files to `survey-analysis compare`)",
        "轮次序号 {rounds} 不是整理好的回答数据：请先用 sa.load_responses 读取各轮的表（或把文件交给 "
        "`survey-analysis compare`）"),
    "estimate.rounds.labels": ("need one distinct label per round; got {labels} for {count} rounds",
                               "每轮需要一个互不相同的名称；{count} 轮得到的名称为 {labels}"),
    "estimate.rounds.column_taken": (
        "round {label!r} already has a {round!r} column; name the new column otherwise (round=...)",
        "轮次 {label!r} 已有 {round!r} 列；请给新列另取名称（round=...）"),
    "estimate.rounds.two_different": (
        "rounds must name two different rounds (earlier, later), got {rounds}",
        "rounds 必须指定两个不同的轮次（先早后晚），实际为 {rounds}"),
    "estimate.rounds.no_answers": ("round(s) {missing} have no answers; {round!r} has {present}",
                                   "轮次 {missing} 没有回答；{round!r} 列中的轮次为 {present}"),
    "estimate.rounds.labels_one_frame": ("labels= applies only when one frame per round is given",
                                         "只有按轮分别传入数据表时才能使用 labels="),
    "estimate.rounds.column_missing": (
        "round column {round!r} not found; columns are {columns}. Give one frame per round as a "
        "list, or name the column: round=...",
        "找不到轮次列 {round!r}；现有的列为 {columns}。请以列表形式按轮传入数据表，或指定该列：round=..."),
    "estimate.rounds.zero_variance": (
        "zero design variance (every answer alike, or each round's answers in a single cluster): "
        "Newcombe interval, answers as independent",
        "设计方差为零（所有回答相同，或每轮的回答都在同一个群中）：改用 Newcombe 区间，视回答相互独立"),
    # multiplicity: adjusted p-values, simultaneous levels, threshold tests.
    "estimate.multiplicity.one_dimensional": ("pvalues must be one-dimensional, got shape {shape}",
                                              "pvalues 必须是一维的，实际形状为 {shape}"),
    "estimate.multiplicity.pvalue_range": ("p-values must be in [0, 1] (or nan), found {value:g}",
                                           "p 值必须在 [0, 1] 之内（或为 nan），发现 {value:g}"),
    "estimate.multiplicity.m": ("m must be a whole number >= 1, got {m!r}",
                                "m 必须是 >= 1 的整数，实际为 {m!r}"),
    "estimate.multiplicity.columns": (
        "rates needs columns 'n' and 'satisfied' (as from item_rates); missing {missing}",
        "rates 需要 'n' 和 'satisfied' 列（item_rates 的结果即有）；缺少 {missing}"),
    "estimate.multiplicity.whole_counts": (
        "threshold_tests needs whole-number counts 'n' and 'satisfied' (the exact binomial test is "
        "not defined for weighted counts)",
        "threshold_tests 要求 'n' 和 'satisfied' 为整数计数（加权计数无法做精确二项检验）"),
    "estimate.multiplicity.threshold_number": (
        "threshold must be a number strictly between 0 and 1, got {value!r}",
        "threshold 必须是严格介于 0 和 1 之间的数，实际为 {value!r}"),
    "estimate.multiplicity.threshold_range": (
        "threshold must be strictly between 0 and 1, got {value!r} (write 0.95, not 95)",
        "threshold 必须严格介于 0 和 1 之间，实际为 {value!r}（应写 0.95，而不是 95）"),
    # multinomial: shares of every answer level.
    "estimate.multinomial.numeric": ("counts must be numeric (array-like, Series or DataFrame)",
                                     "计数必须是数值（数组、Series 或 DataFrame）"),
    "estimate.multinomial.dimensions": ("counts must be 1- or 2-dimensional, got {ndim} dimensions",
                                        "计数必须是一维或二维的，实际为 {ndim} 维"),
    "estimate.multinomial.categories": ("need at least 2 categories, got {count}",
                                        "至少需要 2 个类别，实际为 {count} 个"),
    "estimate.multinomial.finite": ("counts must be finite (no nan or inf)",
                                    "计数必须是有限数（不能有 nan 或 inf）"),
    "estimate.multinomial.negative": ("counts must be >= 0, found {value:g}",
                                      "计数必须 >= 0，发现 {value:g}"),
    "estimate.multinomial.sison_glaz": ("method 'sison_glaz' needs integer counts",
                                        "sison_glaz 方法要求计数为整数"),
    "estimate.multinomial.columns": ("responses lack column(s) {missing}; columns are {columns}",
                                     "回答数据缺少列 {missing}；现有的列为 {columns}"),
    "estimate.multinomial.empty": ("no responses to count", "没有可计数的回答"),
    "estimate.multinomial.mixed_scales": (
        "responses mix rating scales {scales}; compute shares for each scale separately (e.g. per "
        "item group)",
        "回答数据混用了多个量表 {scales}；请按量表分别计算回答占比（例如按事项分组）"),
    "estimate.multinomial.one_scale": (
        "answer shares need one rating scale with known levels; this survey has {scales}",
        "回答占比需要单一且等级已知的量表；该调查的量表为：{scales}"),
    # sensitivity: the headline under each definition of satisfied, the score index.
    "estimate.sensitivity.unknown_labels": (
        "scores has labels that are on no scale in use: {labels}",
        "scores 中有不属于所用任何量表的等级：{labels}"),
    "estimate.sensitivity.missing_score": (
        "no score for {level!r} on scale {scale}; pass scores={{scale: {{level: score}}}}",
        "量表 {scale} 的 {level!r} 没有分值；请传入 scores={{scale: {{level: score}}}}"),
    "estimate.sensitivity.score_range": ("scores must be between 0 and 100, got {level!r}: {value}",
                                         "分值必须在 0 到 100 之间，实际为 {level!r}：{value}"),
    "estimate.sensitivity.no_score": ("no score for level {rank} of scale {scale!r}",
                                      "量表 {scale!r} 的第 {rank} 级没有分值"),
    "estimate.sensitivity.few_clusters": ("fewer than two clusters: no interval",
                                          "群少于两个：无法给出区间"),
    "estimate.sensitivity.zero_variance": ("zero design variance: the interval has no width",
                                           "设计方差为零：区间宽度为零"),
    "estimate.sensitivity.conventions": ("each scale's convention", "各量表的通行口径"),
    "estimate.sensitivity.scale_top": ("{scale}: top {k} of {count}", "{scale}：前 {k} 级（共 {count} 级）"),
    "estimate.sensitivity.score_levels": ("mean score / 100", "平均得分 / 100"),
    # planning: sample sizes and power.
    "estimate.planning.indexes": ("Series inputs have different indexes (at {name!r})",
                                  "输入的 Series 索引不同（在 {name!r} 处）"),
    "estimate.planning.broadcast": ("inputs cannot be broadcast together: {shapes}",
                                    "输入的形状无法对齐：{shapes}"),
    "estimate.planning.nan": ("{name} must not be nan", "{name} 不能为 nan"),
    "estimate.planning.range": ("{name} must be in {left}{low:g}, {high:g}{right}, got {value:g}",
                                "{name} 必须在 {left}{low:g}, {high:g}{right} 之内，实际为 {value:g}"),
    "estimate.planning.design_effect": ("design_effect must be a positive number, got {value!r}",
                                        "design_effect 必须是正数，实际为 {value!r}"),
    "estimate.planning.no_n_half_width": (
        "no n <= {limit} reaches half-width {half_width:g} at rate {rate:g}",
        "满意率为 {rate:g} 时，n <= {limit} 都达不到半宽 {half_width:g}"),
    "estimate.planning.n_positive": ("n must be a positive integer, got {value:g}",
                                     "n 必须是正整数，实际为 {value:g}"),
    "estimate.planning.no_n_power": (
        "no n <= {limit} reaches power {power:g} for true rate {rate:g} against threshold "
        "{threshold:g}",
        "真实满意率为 {rate:g}、阈值为 {threshold:g} 时，n <= {limit} 都达不到检验功效 {power:g}"),
    "estimate.planning.power": ("power must be strictly between 0 and 1, got {power!r}",
                                "power 必须严格介于 0 和 1 之间，实际为 {power!r}"),
    "estimate.planning.rate_above_threshold": (
        "true_rate must exceed threshold, got true_rate={rate:g}, threshold={threshold:g}",
        "true_rate 必须大于 threshold，实际 true_rate={rate:g}，threshold={threshold:g}"),
    # shrinkage: the beta-binomial fit, shrunken rates and ranks.
    "estimate.shrinkage.one_dimensional": ("expected one count per item (1-D), got shape {shape}",
                                           "每个事项应有一个计数（一维），实际形状为 {shape}"),
    "estimate.shrinkage.finite": ("{name} must be finite numbers", "{name} 必须是有限数"),
    "estimate.shrinkage.whole": ("{name} must be whole numbers (counts of respondents)",
                                 "{name} 必须是整数（受访人数）"),
    "estimate.shrinkage.both_inputs": (
        "pass either a counts DataFrame or successes and trials, not both",
        "请传入计数 DataFrame，或传入 successes 和 trials，二者不能同时传入"),
    "estimate.shrinkage.columns": (
        "counts DataFrame needs columns 'n' and 'satisfied'; missing {missing}",
        "计数 DataFrame 需要 'n' 和 'satisfied' 列；缺少 {missing}"),
    "estimate.shrinkage.trials": ("trials is required unless successes is a counts DataFrame",
                                  "除非 successes 是计数 DataFrame，否则必须提供 trials"),
    "estimate.shrinkage.beta": (
        "the prior Beta(alpha, beta) needs finite alpha > 0 and beta > 0, got alpha={alpha:g}, "
        "beta={beta:g}",
        "先验分布 Beta(alpha, beta) 要求 alpha 和 beta 为有限的正数，实际 alpha={alpha:g}，beta={beta:g}"),
    "estimate.shrinkage.degenerate": (
        "the fitted prior is degenerate ({boundary}): the data cannot say how much items differ, "
        "so empirical Bayes has nothing to shrink towards. Pass an explicit prior=(alpha, beta), "
        "e.g. {fix} (Jeffreys) or one from comparable surveys.",
        "拟合的先验分布退化（{boundary}）：数据无法说明事项之间差异多大，经验贝叶斯没有可收缩的目标。"
        "请明确传入 prior=(alpha, beta)，例如 {fix}（Jeffreys 先验），或取自可比调查的先验。"),
    "estimate.shrinkage.boundary.all items at 100%": ("all items at 100%", "所有事项均为100%"),
    "estimate.shrinkage.boundary.all items at 0%": ("all items at 0%", "所有事项均为0%"),
    "estimate.shrinkage.prior_type": ("prior must be a BetaBinomialFit or an (alpha, beta) pair, "
                                      "got {prior!r}",
                                      "prior 必须是 BetaBinomialFit 或 (alpha, beta) 数对，实际为 {prior!r}"),
    "estimate.shrinkage.no_items": (
        "fit_beta_binomial needs at least one item with respondents (n > 0)",
        "fit_beta_binomial 至少需要一个有受访者的事项（n > 0）"),
    "estimate.shrinkage.all_same": (
        "{boundary}: the likelihood tends to its supremum 1 as the prior mean tends to {pooled:g}, "
        "whatever the spread; no finite maximum",
        "{boundary}：先验均值趋于 {pooled:g} 时，无论离散程度如何，似然都趋于其上确界 1；没有有限的极大值点"),
    "estimate.shrinkage.maximal": (
        "maximal overdispersion: every item is at 0% or 100%; the likelihood rises towards its "
        "supremum as alpha + beta -> 0; alpha + beta set to {value:g}",
        "最大过度离散：每个事项都是 0% 或 100%；alpha + beta -> 0 时似然升向其上确界；alpha + beta "
        "取 {value:g}"),
    "estimate.shrinkage.none": (
        "no overdispersion: the likelihood rises towards the binomial likelihood at the pooled "
        "rate as alpha + beta -> inf; alpha + beta capped at {value:g}",
        "无过度离散：alpha + beta -> inf 时似然升向合并满意率下的二项似然；alpha + beta 的上限取 {value:g}"),
    "estimate.shrinkage.draws": ("draws must be an integer >= 2, got {draws!r}",
                                 "draws 必须是 >= 2 的整数，实际为 {draws!r}"),
    # funnel: control limits and over-dispersion.
    "estimate.funnel.target_number": (
        "target must be a rate strictly between 0 and 1, got {value!r}",
        "target 必须是严格介于 0 和 1 之间的比率，实际为 {value!r}"),
    "estimate.funnel.target_range": (
        "target must be a rate strictly between 0 and 1, got {value!r} (write 0.95, not 95)",
        "target 必须是严格介于 0 和 1 之间的比率，实际为 {value!r}（应写 0.95，而不是 95）"),
    "estimate.funnel.no_levels": ("confidence_levels must hold at least one level",
                                  "confidence_levels 至少要包含一个置信水平"),
    "estimate.funnel.overdispersion_type": (
        "overdispersion must be None, a factor phi (float) or an Overdispersion estimate, got "
        "{value!r}",
        "overdispersion 必须是 None、离散因子 phi（浮点数）或 Overdispersion 估计，实际为 {value!r}"),
    "estimate.funnel.phi": ("overdispersion factor phi must be a positive number, got {phi!r}",
                            "过度离散因子 phi 必须是正数，实际为 {phi!r}"),
    "estimate.funnel.exact_overdispersion": (
        "limits allowing for over-dispersion use the normal approximation (Spiegelhalter 2005a, "
        "2005b): pass {fix}",
        "考虑过度离散的控制限采用正态近似（Spiegelhalter 2005a、2005b）：请传入 {fix}"),
    "estimate.funnel.winsorize": ("winsorize must be in [0, 0.5), got {value!r}",
                                  "winsorize 必须在 [0, 0.5) 之内，实际为 {value!r}"),
    "estimate.funnel.two_items": (
        "estimating over-dispersion needs at least two items with respondents",
        "估计过度离散至少需要两个有受访者的事项"),
    "estimate.funnel.sizes": ("n must be whole numbers >= 0 (one per funnel point)",
                              "n 必须是 >= 0 的整数（漏斗图每个点一个）"),
    "estimate.funnel.rates_frame": ("rates must be a DataFrame with columns 'n' and 'satisfied'",
                                    "rates 必须是含 'n' 和 'satisfied' 列的 DataFrame"),
    "estimate.funnel.no_target": ("no item has respondents: cannot compute a pooled target",
                                  "没有任何事项有受访者：无法计算合并的目标值"),
    # suppression: publication rules that hide rows based on too few answers.
    "estimate.suppression.unknown": (
        "unknown suppress {value!r}; allowed: a whole number of answers of at least 1 (e.g. "
        "{example}), a preset ({presets}) or None (no rule)",
        "未知的 suppress 取值 {value!r}；可选：至少为 1 的整数回答数（如 {example}）、预置规则"
        "（{presets}）或 None（不设规则）"),
    "estimate.suppression.n_column": (
        "suppression needs the number of answers of each row, column {n!r}; columns: {columns}",
        "按规则隐藏需要每行的回答数，即列 {n!r}；现有列：{columns}"),
    "suppression.label.gpps": ("GP Patient Survey rule", "英国全科医生患者调查规则"),
    "suppression.label.hcahps": ("HCAHPS Star Ratings rule", "美国住院患者体验调查星级评定规则"),
    "suppression.label.fft": ("Friends and Family Test ward rule", "英格兰“亲友推荐测试”病房结果规则"),
    "suppression.title.preset": ("{name}: {label}", "{label}（{name}）"),
    "suppression.title.custom": ("minimum set by the analyst", "分析者设定的最低回答数"),
    "suppression.source.gpps": (
        "GP Patient Survey (Ipsos for NHS England), analysis tool, \"Why is data sometimes "
        "suppressed?\": \"In cases where a result is based on fewer than 10 people (unweighted), "
        "it has been suppressed.\" https://analysistool.gp-patient.co.uk/analysistool (UK "
        "Government Web Archive copy); the Technical Annex gives the full rules",
        "英国全科医生患者调查（益普索受英格兰国民医疗服务体系委托开展）分析工具“为何有些数据被隐藏”："
        "“结果基于少于 10 人（未加权）时，不予显示。”完整规则见该调查的技术附录"),
    "suppression.source.hcahps": (
        "CMS, Technical Notes for HCAHPS Star Ratings (October 2015), \"100 Survey Minimum for "
        "HCAHPS Star Ratings\": \"In order to receive HCAHPS Star Ratings, hospitals must have "
        "at least 100 completed HCAHPS surveys over a given four-quarter period.\" "
        "https://hcahpsonline.org/en/hcahps-star-ratings",
        "美国医疗保险和医疗补助服务中心（CMS）《住院患者体验调查星级评定技术说明》（2015 年 10 月）"
        "“星级评定至少需 100 份问卷”一节：医院须在连续四个季度内至少完成 100 份问卷才获星级评定"),
    "suppression.source.fft": (
        "Picker Institute Europe's call to NHS England on the Friends and Family Test (HSJ, 2013, "
        "\"Satisfaction survey damages staff morale and alarms patients\"): it \"called on NHS "
        "England to 'suppress' any results from wards where fewer than 10 patients filled in the "
        "satisfaction survey\". https://www.hsj.co.uk/home/satisfaction-survey-damages-staff-"
        "morale-and-alarms-patients/5062673.article",
        "皮克研究所（欧洲）就英格兰“亲友推荐测试”向英格兰国民医疗服务体系提出的建议（《健康服务期刊》，"
        "2013 年）：病房填写问卷的患者少于 10 人时，其结果应不予公布"),
    "suppression.source.custom": ("set by the analyst: at least {minimum} answers",
                                  "由分析者设定：至少 {minimum} 个回答"),
    "suppression.reason": ("fewer than {minimum} responses ({title})",
                           "回答少于 {minimum} 个：{title}"),
    # chance: how many items chance alone puts at 100%.
    "estimate.chance.probabilities": ("probabilities must be numbers in [0, 1]",
                                      "概率必须是 [0, 1] 之间的数"),
    "estimate.chance.low_high": ("low must not exceed high, got low={low}, high={high}",
                                 "low 不能超过 high，实际 low={low}，high={high}"),
    "estimate.chance.rate_or_prior": (
        "give exactly one of rate (true satisfaction rate) and prior (Beta distribution of true "
        "rates)",
        "rate（真实满意率）与 prior（真实满意率的 Beta 分布）必须且只能给出一个"),
    "estimate.chance.trials": ("trials must be whole numbers >= 0, one per item",
                               "trials 必须是 >= 0 的整数，每个事项一个"),
    "estimate.chance.rate_range": ("rate must be in [0, 1], got {rate!r}",
                                   "rate 必须在 [0, 1] 之内，实际为 {rate!r}"),
    "estimate.chance.rate_shape": (
        "rate must be a number or one rate per item ({items}), got shape {shape}",
        "rate 必须是一个数，或每个事项一个满意率（共 {items} 个），实际形状为 {shape}"),
    "estimate.chance.fixed_rate": ("fixed rate", "固定满意率"),
    "estimate.chance.beta_prior": ("beta prior (alpha={alpha:.6g}, beta={beta:.6g})",
                                   "Beta 先验（alpha={alpha:.6g}，beta={beta:.6g}）"),
    # implied: which designs make two published figures likely together.
    "estimate.implied.spread": (
        "a spread of {spread:g} around a mean of {mean:g} is not possible for rates in [0, 1] (the "
        "standard deviation must be below {limit:.3g})",
        "满意率在 [0, 1] 之内，均值为 {mean:g} 时离散程度不可能达到 {spread:g}（标准差必须小于 {limit:.3g}）"),
    "estimate.implied.n_items": ("n_items must be at least 1, got {n_items}",
                                 "n_items 至少为 1，实际为 {n_items}"),
    "estimate.implied.overall_above": (
        "overall_above is a rate in [0, 1) (0.9 for 90%), got {value!r}",
        "overall_above 是 [0, 1) 之间的比率（90% 写作 0.9），实际为 {value!r}"),
    "estimate.implied.items_at_100": (
        "items_at_100 must be a count or a range within 0..{n_items}, got {value!r}",
        "items_at_100 必须是 0..{n_items} 之内的一个计数或一个范围，实际为 {value!r}"),
    "estimate.implied.respondents": ("respondents per item must be at least 1",
                                     "每个事项的受访人数至少为 1"),
    "estimate.implied.spread_negative": ("spread is a standard deviation: it must be >= 0",
                                         "spread 是标准差：必须 >= 0"),
    "estimate.implied.mean": ("mean true rates must be strictly between 0 and 1",
                              "平均真实满意率必须严格介于 0 和 1 之间"),
    # coverage, weights.
    "estimate.coverage.n": ("n must be at least 1", "n 至少为 1"),
    "estimate.coverage.p": ("true rates p must be strictly between 0 and 1",
                            "真实满意率 p 必须严格介于 0 和 1 之间"),
    "estimate.weights.by_length": ("by must have one value per weight ({n}), got shape {shape}",
                                   "by 必须为每个权重给出一个值（共 {n} 个），实际形状为 {shape}"),

    # tracking: a satisfaction rate over time periods, control charts (estimate.tracking).
    "estimate.tracking.rule.outside": ("outside the limits", "超出控制限"),
    "estimate.tracking.rule.run": ("run of {length} on one side of the centre",
                                   "连续 {length} 点位于中心线同侧"),
    "estimate.tracking.rule.trend": ("{length} rising or falling", "连续 {length} 点上升或下降"),
    "estimate.tracking.rule.near": ("two of three beyond 2 sigma, same side",
                                    "连续三点中有两点超过 2σ（同侧）"),
    "estimate.tracking.effective_n": (
        "limits use an effective n = n / {deff:.2f} (the mean design effect of the periods' rates)",
        "控制限使用有效样本量 n / {deff:.2f}（各时期满意率设计效应的平均）"),
    "estimate.tracking.effective_n_groups": (
        "limits use an effective n = n / d, d from {low:.2f} to {high:.2f} by group (the mean design "
        "effect of each group's period rates; 1 for a group held by one cluster)",
        "控制限使用有效样本量 n / d，各组 d 从 {low:.2f} 到 {high:.2f}（各组各时期满意率设计效应的平均；"
        "只含一个群的组取 1）"),
    "estimate.tracking.plain_n": (
        "limits use each period's n (design effect 1: no weights, one answer per cluster, or a "
        "design effect below 1)",
        "控制限使用各时期的 n（设计效应取 1：无权重、每群一个回答，或设计效应小于 1）"),
    "estimate.tracking.baseline": (
        "baseline must be a whole number of periods from 2 to {periods} (the periods in the "
        "table), got {value!r}",
        "baseline 须为 2 至 {periods}（表中的时期数）之间的整数个时期，实际为 {value!r}"),
    "estimate.tracking.no_periods": ("no period with answers in {column!r}: nothing to track",
                                     "{column!r} 中没有任何有回答的时期：无法跟踪"),
    "estimate.tracking.one_column": ("{name} must name one column, got {value!r}",
                                     "{name} 须为一个列名，实际为 {value!r}"),
    "estimate.tracking.same_column": ("by and period are the same column {column!r}",
                                      "by 与 period 是同一列 {column!r}"),
    "estimate.tracking.needs_responses": (
        "freq={freq!r} derives periods from the dates in {column!r}, which needs tidy responses "
        "(load the file with load_responses(..., keep_columns=[{column!r}]) first)",
        "freq={freq!r} 要从 {column!r} 的日期推出时期，需要整理后的回答"
        "（请先用 load_responses(..., keep_columns=[{column!r}]) 读取文件）"),
    "estimate.tracking.at_line": ("{value!r} (line {line})", "{value!r}（第 {line} 行）"),
    "estimate.tracking.at_row": ("{value!r} (row {line})", "{value!r}（第 {line} 行）"),
    "estimate.tracking.date_missing": (
        "{count} answer(s) have no date in {column!r}: {examples}",
        "{column!r} 中有 {count} 个回答没有日期：{examples}"),
    "estimate.tracking.date_unparsed": (
        "{count} value(s) of {column!r} are not dates{format}: {examples}",
        "{column!r} 中有 {count} 个取值不是日期{format}：{examples}"),
    "estimate.tracking.date_format_is": (" in the format {date_format!r}", "（格式 {date_format!r}）"),
    "estimate.tracking.date_both_orders": (
        "the dates in {column!r} mix day first ({day_first}) and month first ({month_first}); "
        "pass {fix} or {other} if one reading is right (the other's dates are then refused), or "
        "read the column yourself, each part in its format (pandas.to_datetime), and pass the "
        "dates as a datetime column",
        "{column!r} 中的日期既有日在前的（{day_first}），也有月在前的（{month_first}）；"
        "若其中一种读法正确，请指定 {fix} 或 {other}（另一种读法的日期将被拒绝）；否则请自行按各部分的格式"
        "读取该列（pandas.to_datetime），以日期时间列传入"),
    "estimate.tracking.date_ambiguous": (
        "every date in {column!r} reads both as day/month and as month/day (e.g. {examples}); "
        "pass {fix} or {other}",
        "{column!r} 中的每个日期既可读作日/月，也可读作月/日（例如 {examples}）；"
        "请指定 {fix} 或 {other}"),
    # SYNTHETIC monthly series (bundled.monthly).
    "bundled.monthly.months": ("months must be a whole number of at least 2, got {value!r}",
                               "months 须为不小于 2 的整数，实际为 {value!r}"),
    "bundled.monthly.shift_at": ("shift_at must be a month from 1 to {months}, got {value!r}",
                                 "shift_at 须为 1 至 {months} 之间的月份，实际为 {value!r}"),
    "bundled.monthly.rate": ("rate must be strictly between 0 and 1, got {value!r}",
                             "rate 须严格介于 0 和 1 之间，实际为 {value!r}"),
    "bundled.monthly.sizes": (
        "units and respondents must be at least 1, unit_sd at least 0 (got units={units!r}, "
        "respondents={respondents!r}, unit_sd={unit_sd!r})",
        "units 与 respondents 须至少为 1，unit_sd 须不小于 0（实际 units={units!r}，"
        "respondents={respondents!r}，unit_sd={unit_sd!r}）"),
    # -- claims: verdicts and their reasons -----------------------------------------------------
    "verdict.supported": ("supported", "支持"),
    "verdict.consistent but not shown": ("consistent but not shown", "不矛盾但未证实"),
    "verdict.contradicted": ("contradicted", "矛盾"),
    "verdict.not in data": ("not in data", "数据中无此事项"),
    "verdict.not_publishable": ("not publishable under the rule", "按发布规则不予公布"),
    "claims.not_publishable": (
        "item {item!r} has {n} answers, fewer than the {minimum} the publication rule requires "
        "({title}): its rate is not published, so no claim about it can be checked in public",
        "事项 {item} 只有 {n} 个回答，少于发布规则要求的 {minimum} 个（{title}）：其满意率不予公布，"
        "有关它的说法也无法公开核对"),
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
    "claims.chance_none": (
        ". With these item sizes and a beta-binomial fit of the item rates (mean {mean:.3f}), "
        "chance alone practically never gives an item at 100% (P(at least one) = {any:.2g}); "
        "P({span}) = {probability:.2g}",
        "。按这些事项的受访人数和β-二项模型拟合（平均 {mean:.3f}），偶然几乎不会出现100%的事项"
        "（P(至少一个) = {any:.2g}）；P({span}) = {probability:.2g}"),
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
    "claims.item_maybe_all": (
        "the published percentage allows {fewest} to {n} of {n} respondents satisfied: 100% is "
        "possible but not shown",
        "公布的百分比对应 {n} 名受访者中 {fewest} 至 {n} 名满意：可能为100%，但无法证实"),
    "claims.item_rate": ("{k} of {n} respondents satisfied; one-sided {level} exact bounds",
                         "{n} 名受访者中 {k} 名满意；单侧 {level} 精确界限"),
    "claims.required": (
        "claims is required: a claims table or file (sa.read_claims), e.g. the office's own "
        "published statements, or sa.load_published_claims() for the bundled article",
        "需要提供声明（claims）：声明表或文件（sa.read_claims），例如单位自己发布的表述，或随附文章的 "
        "sa.load_published_claims()"),
    "claims.empty": ("the claims table has no rows: there is nothing to check",
                     "声明表没有任何行：没有可核对的内容"),
    "design.no_answer": ("{source}: no valid answer{ledger}{what}", "{source}：没有有效回答{ledger}{what}"),
    "design.no_answer.claims": (
        ", so there is nothing to check the claims against: a verdict needs at least one answer",
        "，无法核对声明：结论至少需要一个回答"),
    "design.no_answer.analysis": (
        ", so there is nothing to analyse: the load report lists every row with the reason it "
        "was excluded (survey-analysis validate FILE)",
        "，没有可分析的内容：加载报告列出了每一行及其被排除的原因（survey-analysis validate FILE）"),
    "claims.ledger": (" (rows read {read}, kept {kept}; excluded: {listing})",
                      "（读取 {read} 行，保留 {kept} 行；排除：{listing}）"),
    # Which counts a published percentage allows (claims/audit.py).
    "claims.audit.tolerance": ("tolerance must be >= 0 percentage points, got {value!r}",
                               "tolerance 必须 >= 0 个百分点，实际为 {value!r}"),
    "claims.audit.tolerance_about": ("tolerance is used only with qualifier='about'",
                                     "tolerance 只能与 qualifier='about' 一起使用"),
    "claims.audit.single_n": ("n must be a single number of respondents; use consistent_totals for a range",
                              "n 必须是单个受访人数；若是一个范围，请用 consistent_totals"),
    # Published figures reconciled with each other (claims/reconcile.py).
    "claims.reconcile.column": ("column {column!r}", "列 {column!r}"),
    "claims.reconcile.whole": ("{name} must be whole numbers >= {minimum}, got {shown}",
                               "{name} 必须是 >= {minimum} 的整数，实际为 {shown}"),
    "claims.reconcile.unknown_column": ("unknown {role} column {name!r}; columns: {columns}",
                                        "未知的 {role} 列 {name!r}；现有列：{columns}"),
    "claims.reconcile.no_candidate": ("candidates must name at least one denominator",
                                      "candidates 至少要指定一个分母"),
    "claims.reconcile.candidate_length": ("candidate {name!r} has {count} values for {rows} rows",
                                          "候选分母 {name!r} 有 {count} 个值，而表有 {rows} 行"),
    "claims.reconcile.candidate_whole": ("candidate {name!r} must hold whole numbers >= 0, got {values}",
                                         "候选分母 {name!r} 必须是 >= 0 的整数，实际为 {values}"),
    "claims.reconcile.no_rate": ("no published rate", "没有公布的比率"),
    "claims.reconcile.no_denominator": ("no denominator (missing or 0)", "没有分母（缺失或为 0）"),
    "claims.reconcile.count_over": ("count exceeds denominator", "计数大于分母"),
    "claims.reconcile.no_fit": ("rate fits no count of this denominator", "该分母下没有任何计数与此比率相符"),
    "claims.reconcile.other_rate": ("count gives another rate", "该计数得出的是另一个比率"),
    "claims.reconcile.broadcast": (
        "percent and count cannot be broadcast together: shapes {first} and {second}",
        "percent 与 count 的形状无法对齐：{first} 与 {second}"),
    "claims.reconcile.percent_empty": ("percent must not be empty", "percent 不能为空"),
    "claims.reconcile.not_count": (
        "cannot read {text!r} as a count: digits with an optional magnitude ({magnitudes}) expected",
        "无法把 {text!r} 读作计数：应为数字，可带数量单位（{magnitudes}）"),
    "claims.reconcile.labels": ("labels must have one entry per part, got {labels} for {parts}",
                                "labels 必须每个部分一项：{parts} 个部分却有 {labels} 项"),
    "claims.reconcile.part_rate": (
        "every part needs a published rate; for parts with no rate use remainder_rate_range",
        "每个部分都需要公布的比率；没有比率的部分请用 remainder_rate_range"),
    "claims.reconcile.unfit": ("parts whose rate fits no whole count of their size: {labels}",
                               "比率与其人数的任何整数计数都不相符的部分：{labels}"),
    "claims.reconcile.broadcast_remainder": (
        "total_percent, total_n, known_n, known_k_min and known_k_max cannot be broadcast "
        "together: shapes {shapes}",
        "total_percent、total_n、known_n、known_k_min 和 known_k_max 的形状无法对齐：{shapes}"),
    "claims.reconcile.known_n": ("known_n must not exceed total_n", "known_n 不能超过 total_n"),
    "claims.reconcile.known_counts": (
        "known counts must satisfy 0 <= known_k_min <= known_k_max <= known_n",
        "已知计数必须满足 0 <= known_k_min <= known_k_max <= known_n"),
    "claims.reconcile.whole_unfit": ("the whole's rate fits no count of total_n",
                                     "整体的比率与 total_n 的任何计数都不相符"),
    "claims.reconcile.parts_exceed": ("the known parts alone exceed the whole", "仅已知部分就已超过整体"),
    "claims.reconcile.rest_too_few": ("even a fully satisfied rest is too few", "即使其余部分全部满意也不够"),
    "claims.reconcile.broadcast_claim": (
        "percent, not_satisfied, qualifier and n cannot be broadcast together: shapes {shapes}",
        "percent、not_satisfied、qualifier 和 n 的形状无法对齐：{shapes}"),

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
    "measure.few_clusters": (" (only {clusters} clusters: very uncertain)", "（仅 {clusters} 个群：很不确定）"),
    "measure.few_items": (" (only {items} items)", "（仅 {items} 个事项）"),
    "measure.design_effect": ("design effect", "设计效应"),
    "measure.items_at_100": ("items at 100%", "满意度100%的事项数"),
    "measure.items_at_100_suppressed": (
        " ({hidden} of them on fewer than {minimum} answers: not listed)",
        "（其中 {hidden} 个回答少于 {minimum} 个：不予列出）"),
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
    "analysis.refuse": (
        "option(s) {unused} apply to sheets read by load_responses (CSV, Excel, raw frames); "
        "{what} is used as it is",
        "选项 {unused} 只适用于由 load_responses 读取的表格（CSV、Excel、原始数据框）；{what}按原样使用"),
    "analysis.what.survey": ("a Survey", "Survey "),
    "analysis.what.tidy": ("a frame of tidy responses", "整理后的回答数据框"),
    "analysis.what.duckdb": ("a file counted by DuckDB", "由 DuckDB 计数的文件"),
    "analysis.what.counts": ("a table of counts", "计数表"),
    "analysis.counts_dict": (
        "counts= must be a dict naming the table's columns, e.g. {{'item': 'unit', 'n': 'answers', "
        "'percent': 'rate'}}; got {counts!r}",
        "counts= 必须是说明表中各列的字典，例如 {{'item': 'unit', 'n': 'answers', 'percent': 'rate'}}；"
        "实际为 {counts!r}"),
    "analysis.counts_survey": ("counts= describes a table of counts; a Survey is used as it is",
                               "counts= 描述的是计数表；Survey 按原样使用"),
    "analysis.counts_option": (
        "{name}= does not apply to a table of counts: its definition of satisfied is the table's "
        "own, its units are the clusters, it has no respondent weights",
        "{name}= 不适用于计数表：其“满意”口径由表本身决定，其单位就是群，也没有受访者权重"),
    # The bundled data (bundled/).
    "bundled.not_found": (
        "bundled data not found (looked in {looked}). Install from a clone with `pip install -e .`, "
        "or set SURVEY_ANALYSIS_DATA to the data folder.",
        "找不到随附数据（查找了 {looked}）。请从克隆的仓库用 `pip install -e .` 安装，或把 "
        "SURVEY_ANALYSIS_DATA 设为数据文件夹。"),
    "bundled.rounds.n_items": ("n_items must be at least 1, got {value!r}", "n_items 至少为 1，实际为 {value!r}"),
    "bundled.rounds.labels": ("rounds must be two different labels, got {value!r}",
                              "rounds 必须是两个不同的标签，实际为 {value!r}"),
    "bundled.rounds.rate_mean": ("rate_mean must be strictly between 0 and 1, got {value!r}",
                                 "rate_mean 必须严格介于 0 和 1 之间，实际为 {value!r}"),
    "bundled.rounds.spread": (
        "item_sd and min_respondents must be >= 0, the extra respondents' mean and dispersion > 0",
        "item_sd 和 min_respondents 必须 >= 0，额外受访人数的均值和离散度必须 > 0"),
    "bundled.rounds.shifts": (
        "shifted item(s) {unknown} are not among the {count} items I01...; give shifts={{...}} for "
        "the items you have (or shifts={{}})",
        "要变动的事项 {unknown} 不在 {count} 个事项 I01... 之中；请只为已有的事项给出 shifts={{...}}"
        "（或 shifts={{}}）"),
    "bundled.synthetic.no_sample": (
        "no sample in {tries} draws shows the published figures: the model does not produce them "
        "(check the assumptions)",
        "{tries} 次抽样中没有一次呈现公布的数字：该模型产生不了这些数字（请检查假设）"),

    # -- present: labels of tables, figures and reports -----------------------------------------
    "cli.synthetic_zh": ("Data: SYNTHETIC demo data, not real respondents.", "数据：合成演示数据，并非真实受访者。"),
    "cli.synthetic_title": ("SYNTHETIC data", "合成数据"),
    "report.items_all": ("all {total} {what}", "全部 {total} 个{what}"),
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
    # A table of counts has no answer scale: its "scale" is the table's own two counts.
    "report.scale_counts": (
        "Scale: none (a table of counts); \"satisfied\" = the table's count of satisfied respondents, "
        "as its authors defined it",
        "量表：无（计数表）；“满意”= 表中的满意人数，口径由制表者确定"),
    "report.scale_names": (
        " (the name before the brackets is the scale's name in the package and in the tables)",
        "（括号前为量表在本软件及各表格中的名称）"),
    "report.column_read": ("{role} ({name}) = {header}", "{role}（{name}）= {header}"),
    "report.column_read_sep": (", ", "；"),
    "report.interval_logit": (
        "logit interval, computed on the log-odds scale so that it stays between 0 and 100%",
        "对数几率（logit）区间，在对数几率尺度上计算，不会超出 0 至 100%"),
    "report.interval_beta": (
        "Korn-Graubard beta interval, exact binomial limits at the effective sample size",
        "Korn-Graubard 贝塔（beta）区间，按有效样本量取精确二项界限"),
    "report.interval_mean": (
        "Wald interval of the mean on the design's degrees of freedom (R svyciprop method "
        "\"mean\"), clipped to 0-100%",
        "均值的 Wald 区间，按设计自由度取 t 分位数（R svyciprop 的 mean 方法），截断在 0 至 100% 之内"),
    # The item intervals: the method's name in the report language, its code in brackets.
    "report.ci.wilson": ("Wilson score (wilson)", "威尔逊得分（wilson）"),
    "report.ci.wilson_cc": ("Wilson score with continuity correction (wilson_cc)",
                            "连续性校正的威尔逊得分（wilson_cc）"),
    "report.ci.clopper_pearson": ("Clopper-Pearson exact (clopper_pearson)", "精确二项（clopper_pearson）"),
    "report.ci.mid_p": ("mid-p exact (mid_p)", "中间概率精确（mid_p）"),
    "report.ci.jeffreys": ("Jeffreys (jeffreys)", "杰弗里斯先验（jeffreys）"),
    "report.ci.agresti_coull": ("Agresti-Coull (agresti_coull)", "加二成四（agresti_coull）"),
    "report.ci.wald": ("Wald normal approximation (wald)", "正态近似（wald）"),
    "report.ci_about.wilson": (
        "the rates a score test would not reject; reliable for small n and for rates near 100%",
        "由得分检验反推的区间，样本小或满意率接近100%时仍可靠"),
    "report.ci_about.wilson_cc": (
        "the Wilson interval widened by a continuity correction; a little conservative",
        "在威尔逊区间上加连续性校正，略偏保守"),
    "report.ci_about.clopper_pearson": (
        "inverts two one-sided exact binomial tests; never too narrow, often too wide",
        "由两个单侧精确二项检验反推，覆盖率不低于名义水平，常偏宽"),
    "report.ci_about.mid_p": (
        "the exact interval counting half the probability of the observed count; less conservative",
        "精确区间，但观测计数只计一半概率，不那么保守"),
    "report.ci_about.jeffreys": (
        "the equal-tailed interval of the beta posterior under the Jeffreys prior",
        "杰弗里斯先验下贝塔后验分布的等尾区间"),
    "report.ci_about.agresti_coull": (
        "the normal interval after adding about two satisfied and two not satisfied answers",
        "加约两个满意、两个不满意回答后的正态近似区间"),
    "report.ci_about.wald": (
        "rate ± z standard errors; too narrow for small n and for rates near 100%",
        "满意率加减若干个标准误；样本小或接近100%时过窄"),
    "report.method_dont_know": (
        " \"Don't know\" answers are left out of the denominator and listed in the load report.",
        "“不了解”等回答不计入分母，在加载报告中列出。"),
    "report.method_items": ("Item rates: {method} intervals ({level}): {about}.",
                            "各事项满意率：{method}区间（{level}），{about}。"),
    "report.method_pooled": (
        "Pooled overall rate: satisfied over all valid answers; the interval treats {cluster} as "
        "clusters (Taylor linearization, {interval}, df = {df:g}), as the svyciprop function of "
        "R's survey package; the naive interval that treats every answer as independent is shown "
        "for contrast.",
        "总体满意度（合并）：全部有效回答中满意的比例；区间以{cluster}为群（泰勒线性化，{interval}，"
        "自由度 = {df:g}），与 R 语言抽样调查包（survey）的比例区间函数（svyciprop）一致；"
        "另列视每个回答独立的朴素区间作对照。"),
    "report.method_mean": ("Mean of item rates: every item counts once; t interval across items.",
                           "事项满意度平均：每个事项权重相同，跨事项的 t 区间。"),
    "report.method_100": ("100% items: one-sided exact (Clopper-Pearson) lower bound {alpha}^(1/n).",
                          "100% 事项：单侧精确二项（Clopper-Pearson）下限 {alpha}^(1/n)。"),
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
    "plot.topics_x": ("dissatisfied minus satisfied, percentage points", "不满意减满意（百分点）"),
    "plot.topics_title": ("Share of answers tagged with each topic, dissatisfied minus satisfied, {level} intervals",
                          "各主题在不满意与满意回答中所占比例之差及{level}区间"),
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
    "plot.by_rate": ("rates", "满意率"),
    "plot.by_share": ("satisfied shares", "满意比例"),
    "plot.perfect_all": (
        "{count} items at 100% in all (n {low}-{high})",
        "共 {count} 个事项满意度为100%（n = {low}-{high}）"),
    "plot.histogram_title": ("Item satisfaction rates, {total} items", "事项满意率分布（共 {total} 个事项）"),
    "plot.items_count": ("items", "事项数"),
    "plot.no_cjk_font": (
        "no CJK font installed: the Chinese labels of this figure show as empty boxes "
        "(install fonts-wqy-microhei or fonts-noto-cjk)",
        "未安装中文字体：本图的中文标签显示为空框（请安装 fonts-wqy-microhei 或 fonts-noto-cjk）"),
    "plot.threshold": ("reference line {value}", "参考线 {value}"),
    "plot.n_header": ("n", "人数"),
    "plot.chance_none": (
        "chance alone: no item at 100% (practically impossible at these sizes and rates)",
        "偶然：按这些人数和满意率，几乎不可能有事项达到100%"),
    "plot.below_100": ("items below 100%", "低于100%的事项"),
    "plot.denominator_shown": (
        "showing {shown} of {total} rows: those no candidate reproduces first",
        "显示 {total} 行中的 {shown} 行：优先显示没有候选分母能得出公布值的行"),
    "plot.control_title": ("Satisfaction rate by period ({chart} chart)", "各时期满意率（{chart} 控制图）"),
    "plot.control_title_group": ("{group}: satisfaction rate by period ({chart} chart)",
                                 "{group}：各时期满意率（{chart} 控制图）"),
    "plot.control_rate": ("rate", "满意率"),
    "plot.control_center": ("centre {value}", "中心线 {value}"),
    "plot.control_limits": ("control limits", "控制限"),
    "plot.control_signal": ("signal (special cause)", "信号（特殊原因）"),
    "plot.period": ("period", "时期"),
    "plot.control_group": ("group", "组"),
    "plot.control_needs_group": (
        "the table holds one series per {by!r} value: pass group= one of {groups} (got {value!r})",
        "该表按 {by!r} 的取值各有一条序列：请用 group= 指定其中之一：{groups}（实际为 {value!r}）"),
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
    "report.chance_note_none": (
        "Chance alone (a beta-binomial fit of the item rates) practically never gives an item at 100% at these sizes and rates (probability of one or more: {any:.2g}); the data have {observed}.",
        "仅凭偶然（按各事项满意率的β-二项拟合），以这些人数和满意率，几乎不会有事项达到100%（出现至少一个的概率为 {any:.2g}）；数据中有 {observed} 个。"),
    "report.proportion": ("Another rate: {of}", "另一项比率：{of}"),
    "report.proportion_overall": (
        "{rate} [{level} interval {low} to {high}]: {positive} of {n} answers{among}, items as clusters (sa.proportion).",
        "{rate}（{level}区间 {low} 至 {high}）：{n} 个回答中 {positive} 个{among}，按事项整群（sa.proportion）。"),
    "report.proportion_among": (" (among {among})", "（范围：{among}）"),
    "report.among_satisfied": ("satisfied answers", "满意的回答"),
    "report.among_dissatisfied": ("dissatisfied answers", "不满意的回答"),
    "report.crosstab": ("Banner table by {column}", "按 {column} 的交叉表"),
    "report.comments": ("What dissatisfied respondents wrote", "不满意的受访者写了什么"),
    "report.comments_text": ("{shown} of {total} comments of dissatisfied respondents, the lowest ratings first; {masked}",
                             "不满意受访者的 {total} 条意见中的 {shown} 条，评价最低的在前；{masked}"),
    "report.comments_masked": ("phone, ID and card numbers, e-mail addresses, plates and names are masked.",
                               "手机号、证件号、银行卡号、电子邮箱、车牌和姓名已遮盖。"),
    "report.comments_not_masked": ("not masked (mask=False): personal data may be shown.",
                                   "未遮盖（mask=False）：可能显示个人信息。"),
    "report.tracking": ("The rate of each period ({period})", "各时期的满意率（{period}）"),
    "report.tracking_caption": (
        "The rate of each period ({period}) with its centre line and control limits; points where a rule fired are marked.",
        "各时期（{period}）的满意率、中心线与控制限；触发判异规则的点已标出。"),
    "report.tracking_chart_laney": (
        "Laney p' chart over {periods} periods: the limits allow for the variation between periods beyond chance (NHS Making Data Count rules).",
        "Laney p' 控制图，共 {periods} 个时期：控制限考虑了超出偶然的时期间差异（NHS“Making Data Count”判异规则）。"),
    "report.tracking_chart_p": (
        "p chart over {periods} periods (NHS Making Data Count rules).",
        "p 控制图，共 {periods} 个时期（NHS“Making Data Count”判异规则）。"),
    "report.tracking_signal": ("{period}: {rule}", "{period}：{rule}"),
    "report.tracking_no_signal": ("No period signals a change: the movement is within ordinary variation.",
                                  "没有时期发出变化信号：波动都在正常范围内。"),
    "report.items": ("Item satisfaction rates, lowest first", "各事项满意率（从低到高）"),
    "report.groups": ("Satisfaction by {by}", "按{by}的满意率"),
    "report.group_test": (
        "Test of equal rates across {by}: {method}, p = {p:.4g}. {note}",
        "各{by}满意率相同的检验：{method}，p = {p:.4g}。{note}"),
    "report.figures": ("Figures", "图"),
    "report.not_computed": ("Not computed for these data", "这些数据无法计算的内容"),
    "report.load": ("Load report (where every row went)", "数据加载报告（每一行的去向）"),
    "report.methods": ("Methods", "方法说明"),
    "report.suppression": ("Publication rule", "发布规则"),
    "report.suppression_rule": (
        "Rule in force: {title}. A row based on fewer than {minimum} answers is not published: "
        "its number of answers is shown, its satisfied count, rate and interval are not.",
        "所用规则：{title}。回答少于 {minimum} 个的行不予公布：只显示其回答数，不显示满意数、满意率和区间。"),
    "report.suppression_source": ("Source: {source}.", "来源：{source}。"),
    "report.suppression_items": ("Item rates: {hidden} rows hidden (of {total}).",
                                 "各事项满意率：已按规则隐藏 {hidden} 行（共 {total} 行）。"),
    "report.suppression_groups": ("Rates by {by}: {hidden} rows hidden (of {total}).",
                                  "按{by}的满意率：已按规则隐藏 {hidden} 行（共 {total} 行）。"),
    "report.suppression_at_100": (
        "Items at 100%: {hidden} not listed (too few answers); the headline counts all {count} "
        "items at 100%.",
        "满意度100%的事项：{hidden} 个因回答过少不予列出；核心指标中的计数包括全部 {count} 个。"),
    "report.suppression_figures": (
        "Figures with a point or a row per item leave out the hidden rows.",
        "每个事项一个点或一行的图不画已隐藏的行。"),
    "report.suppression_overall": (
        "The overall rates are computed from every answer: the rule hides rows from publication, "
        "not answers from the estimate.",
        "总体满意度按全部回答计算：规则只是不公布某些行，并不把其回答排除在估计之外。"),
    "report.suppressed_cell": ("suppressed", "已按规则隐藏"),
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
    "column.respondent_id": ("respondent", "受访者"),
    "column.rating": ("answer", "评价"),
    "column.weight": ("weight", "权重"),
    "column.percent": ("percentage", "百分比"),
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
    "column.suppressed": ("suppressed", "已按规则隐藏"),
    "column.suppressed_reason": ("why suppressed", "隐藏原因"),
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
    "column.alternative": ("alternative", "备择假设"),
    "column.ci_method": ("interval method", "区间方法"),
    "column.claim_id": ("claim", "说法编号"),
    "column.kind": ("kind", "类型"),
    "column.cred_low": ("credible lower", "可信下限"),
    "column.cred_high": ("credible upper", "可信上限"),
    "column.design_effect": ("design effect", "设计效应"),
    "column.kish_design_effect": ("Kish design effect", "Kish设计效应"),
    "column.kish_n_effective": ("Kish effective n", "Kish有效样本量"),
    "column.df": ("degrees of freedom", "自由度"),
    "column.ndf": ("numerator df", "分子自由度"),
    "column.ddf": ("denominator df", "分母自由度"),
    "column.n_clusters": ("clusters", "群数"),
    "column.n_responses": ("answers", "回答数"),
    "column.note": ("note", "说明"),
    "column.se": ("standard error", "标准误"),
    "column.z": ("z", "z值"),
    "column.target": ("target", "目标值"),
    "column.p_above": ("p (above)", "p值（高于）"),
    "column.p_below": ("p (below)", "p值（低于）"),
    "column.p_value": ("p-value", "p值"),
    "column.p_adjusted": ("adjusted p-value", "校正p值"),
    "column.statistic": ("statistic", "统计量"),
    "column.difference": ("difference", "差值"),
    "column.significant": ("significant", "显著"),
    "column.shrunken_rate": ("shrunken rate", "收缩满意率"),
    "column.weight_on_data": ("weight on the data", "数据权重"),
    "column.rank_observed": ("rank (observed)", "观察排名"),
    "column.rank_mean": ("rank (mean)", "平均排名"),
    "column.rank_median": ("rank (median)", "排名中位数"),
    "column.rank_low": ("rank (best)", "排名（最好）"),
    "column.rank_high": ("rank (worst)", "排名（最差）"),
    "column.prob_top": ("chance of being top", "居首概率"),
    "column.measure": ("measure", "指标"),
    "column.published": ("published", "公开数字"),
    "column.satisfied_levels": ("counted as satisfied", "计为满意的等级"),
    "column.share": ("share", "占比"),
    "column.level": ("level", "等级"),
    "column.count": ("count", "计数"),
    "column.groups": ("groups", "组数"),
    "column.pearson": ("Pearson X²", "Pearson卡方"),
    "column.mean_design_effect": ("mean design effect", "平均设计效应"),
    "column.group_1": ("group 1", "组1"),
    "column.group_2": ("group 2", "组2"),
    "column.n_1": ("n (group 1)", "有效回答（组1）"),
    "column.n_2": ("n (group 2)", "有效回答（组2）"),
    "column.rate_1": ("rate (group 1)", "满意率（组1）"),
    "column.rate_2": ("rate (group 2)", "满意率（组2）"),
    "column.bound_adjustment": ("bound adjustment", "界限校正"),
    "column.change": ("change", "变化"),
    "column.ci_level": ("interval level", "区间置信水平"),
    "column.column": ("column", "列"),
    "column.definition": ("definition", "口径"),
    "column.design": ("design", "设计"),
    "column.earlier": ("earlier round", "较早一轮"),
    "column.later": ("later round", "较晚一轮"),
    "column.n_earlier": ("n (earlier)", "有效回答（较早）"),
    "column.n_later": ("n (later)", "有效回答（较晚）"),
    "column.rate_earlier": ("rate (earlier)", "满意率（较早）"),
    "column.rate_later": ("rate (later)", "满意率（较晚）"),
    "column.satisfied_earlier": ("satisfied (earlier)", "满意（较早）"),
    "column.satisfied_later": ("satisfied (later)", "满意（较晚）"),
    "column.naive_ci_low": ("naive lower", "朴素下限"),
    "column.naive_ci_high": ("naive upper", "朴素上限"),
    "column.id": ("id", "编号"),
    "column.is_default": ("the convention", "是否通行口径"),
    "column.item": ("item", "事项"),
    "column.k": ("satisfied (k)", "满意数（k）"),
    "column.label": ("label", "标签"),
    "column.lower": ("lower", "下限"),
    "column.upper": ("upper", "上限"),
    "column.m": ("tests", "检验个数"),
    "column.provenance": ("provenance", "来源标记"),
    "column.pvalue_adjustment": ("p-value adjustment", "p值校正"),
    "column.qualifier": ("qualifier", "限定词"),
    "column.rank": ("rank", "等级序号"),
    "column.reason": ("reason", "原因"),
    "column.reject": ("rejected", "拒绝原假设"),
    "column.simultaneous_lower_bound": ("simultaneous lower bound", "联合下限"),
    "column.source": ("source", "来源"),
    "column.threshold": ("threshold", "阈值"),
    "column.unit": ("unit", "单位"),
    "column.value": ("value", "数值"),
    "column.phi": ("phi (over-dispersion)", "phi（过度离散）"),
    "column.tau2": ("tau² (between items)", "tau²（事项间方差）"),
    "column.model": ("model", "模型"),
    "column.n_items": ("items", "事项数"),
    "column.winsorize": ("winsorized at", "缩尾界限"),
    "column.period": ("period", "时期"),
    "column.center": ("centre line", "中心线"),
    "column.lcl": ("lower limit", "控制下限"),
    "column.ucl": ("upper limit", "控制上限"),
    "column.signal": ("signal", "信号"),
    "column.rule": ("rule", "规则"),
    "column.comment": ("comment", "意见"),
    "column.positive": ("counted", "计入数"),
    "flag.within": ("within", "限内"),
    "flag.above": ("above", "高于上限"),
    "flag.below": ("below", "低于下限"),
    "column.lower_at": ("lower limit ({level})", "下限（{level}）"),
    "column.upper_at": ("upper limit ({level})", "上限（{level}）"),
    "column.flag_at": ("against the limits ({level})", "与控制限比较（{level}）"),
    "estimand.pooled": ("pooled", "合并"),
    "estimand.mean_of_items": ("mean of items", "事项平均"),
    "estimand.count_of_items_at_100": ("items at 100%", "100%事项数"),
    "estimand.items_with_responses": ("items", "事项数"),
    "estimand.valid_responses": ("answers", "回答数"),
    "ledger.read": ("read", "读入"),
    "ledger.kept": ("kept", "保留"),
    "ledger.excluded": ("excluded", "排除"),
    # Figures, output folders and the command line (present/).
    "present.headline.claimed": ("claimed: {claim}", "公开说法：{claim}"),
    "present.headline.intervals": ("(intervals: two-sided {level})", "（区间：双侧 {level}）"),
    "present.headline.intervals_verdicts": ("(intervals: two-sided {level}; verdicts use one-sided {level} bounds)",
                                            "（区间：双侧 {level}；判定使用单侧 {level} 界限）"),
    "present.layout.cap": ("{name} must be a positive whole number or None, got {value!r}",
                           "{name} 必须是正整数或 None，实际为 {value!r}"),
    "present.plots.no_mean": ("no rows with mean {mean!r}; means in the table: {means}",
                              "没有 mean 为 {mean!r} 的行；表中的 mean 有：{means}"),
    "present.plots.rounds_columns": (
        "the items table lacks column(s) {missing}; pass the result of sa.compare_rounds (or its "
        ".items, with the label column)",
        "items 表缺少列 {missing}；请传入 sa.compare_rounds 的结果（或其 .items，并带上标签列）"),
    "present.export.no_table": ("write_excel needs at least one table", "write_excel 至少需要一个表"),
    "present.export.banner_base": ("Base (n)", "基数（n）"),
    "present.export.banner_small": ("* base below {min_base}", "* 基数低于 {min_base}"),
    "present.export.banner_table": (
        "write_banner needs the table crosstab returns (columns {missing} are missing)",
        "write_banner 需要 crosstab 返回的表（缺少列 {missing}）"),
    "present.export.only_csv": ("only in {name}.csv (more than {rows:,} rows)",
                                "仅在 {name}.csv 中（超过 {rows:,} 行）"),
    "present.export.in_workbook": ("sheet in this workbook", "本工作簿中的工作表"),
    "present.export.first_rows": (
        "first {rows:,} of {total:,} rows (an Excel sheet holds no more); the full table is in the CSV",
        "仅含 {total:,} 行中的前 {rows:,} 行（Excel 工作表最多只能容纳这些）；完整表格见 CSV"),
    "present.export.marker": (
        "Written by survey-analysis: the files below are replaced by its next run (a report folder "
        "as a whole, only when asked to: force=True).",
        "由 survey-analysis 写入：下列文件会被它的下一次运行替换（报告文件夹整体替换，且仅在要求时：force=True）。"),
    "present.export.a_file": (
        "{target} is a file, not a folder: give the output folder another name with {fix}",
        "{target} 是文件而不是文件夹：请用 {fix} 给输出文件夹另取一个名字"),
    "present.export.read_only": (
        "{target} is read-only: nothing was written; choose a folder you may write to with {fix}",
        "{target} 是只读的：什么也没有写入；请用 {fix} 选择一个可以写入的文件夹"),
    "present.export.current": (
        "{target} is the current folder or holds it: write the report into a folder of its own "
        "with {fix}",
        "{target} 是当前文件夹或包含当前文件夹：请用 {fix} 把报告写入单独的文件夹"),
    "present.export.not_empty": (
        "{target} already holds {count} file(s) ({shown}): pass {force} to replace the whole "
        "folder, or choose another one with {fix}",
        "{target} 中已有 {count} 个文件（{shown}）：传入 {force} 可替换整个文件夹，或用 {fix} 另选一个"),
    "present.export.foreign": (
        "{target} holds {count} file(s) survey-analysis did not write ({shown}): it is not replaced "
        "even with {force}; choose another folder with {fix} or move them out",
        "{target} 中有 {count} 个不是 survey-analysis 写入的文件（{shown}）：即使传入 {force} 也不会"
        "替换；请用 {fix} 另选文件夹，或把这些文件移走"),
    "present.export.locked_wait": (
        "another run is writing {target} (lock file {lock}); wait for it to finish, or delete the "
        "lock file if no run is active",
        "另一次运行正在写入 {target}（锁文件 {lock}）；请等它结束；如果没有正在进行的运行，请删除锁文件"),
    "present.export.locked": ("another run is writing {target} (lock file {lock})",
                              "另一次运行正在写入 {target}（锁文件 {lock}）"),
    "present.export.not_written": ("could not write {target}: {reason}{where}{hint}; {state}",
                                   "无法写入 {target}：{reason}{where}{hint}；{state}"),
    "present.export.where": (" ({filename})", "（{filename}）"),
    "present.export.disk_full": (" (disk full: free some space)", "（磁盘已满：请腾出空间）"),
    "present.export.unchanged": ("the previous files are unchanged", "原有文件未改动"),
    "present.export.nothing_written": ("nothing was written", "什么也没有写入"),
    "present.cli.no_item_id": ("{path}: the item catalogue needs an item_id column (and name_zh / name_en)",
                               "{path}：事项目录需要 item_id 列（以及 name_zh / name_en）"),
    "present.cli.folder": (
        "{path} is a folder: validate reads one response sheet (CSV, Excel, Parquet); give the "
        "path of a file in it",
        "{path} 是文件夹：validate 只读取一个回答表（CSV、Excel、Parquet）；请给出其中某个文件的路径"),
    "present.cli.labels_one_file": (
        "--labels names the files of the rounds; with one file the rounds are the values of "
        "--round-column",
        "--labels 用于命名各轮的文件；只有一个文件时，各轮就是 --round-column 列的取值"),
    "present.cli.synthetic_en": (
        "DATA: SYNTHETIC demo responses (data/synthetic/responses_synthetic.csv), generated from "
        "stated assumptions; they are not any office's real respondents.",
        "数据：合成演示回答（data/synthetic/responses_synthetic.csv），按既定假设生成，并非任何单位的"
        "真实受访者。"),
    "present.cli.synthetic_report": ("DATA: SYNTHETIC demo responses; the report says so on its first line.",
                                     "数据：合成演示回答；报告第一行即有说明。"),
    "present.cli.wrote": ("wrote: {paths}", "已写入：{paths}"),
    "present.cli.progress": ("... {work} (running for {seconds:.0f} s)", "……{work}（已运行 {seconds:.0f} 秒）"),
    "present.cli.progress_done": ("... done in {seconds:.1f} s", "……完成，用时 {seconds:.1f} 秒"),
    "present.cli.stage_analysis": ("reading and counting {source}", "读取并统计 {source}"),
    "present.cli.stage_report": ("drawing the figures and writing the report", "绘图并写出报告"),
    "present.cli.wrote_report": (
        "wrote {html} (self-contained), {excel} and {count} CSV tables in {folder}",
        "已在 {folder} 中写入 {html}（独立文件）、{excel} 和 {count} 个 CSV 表"),
    "present.cli.wrote_synthetic": ("wrote {path} and ASSUMPTIONS.md (SYNTHETIC data)",
                                    "已写入 {path} 和 ASSUMPTIONS.md（合成数据）"),
    "present.cli.warning": ("WARNING: {text}", "警告：{text}"),
    "present.cli.not_computed": ("NOT COMPUTED: {text}", "未计算：{text}"),
    "present.cli.figure_title": ("Item satisfaction, {level} {interval} intervals",
                                 "各事项满意率及{level} {interval}区间"),
    "present.cli.error": ("error: {text}", "错误：{text}"),
    "present.cli.track_groups_cut": ("the chart shows the first {shown} of {total} groups of {by} (the table holds them all)",
                                     "图中只画出 {by} 的前 {shown} 组（共 {total} 组；表格包含全部）"),
    # Issue 21, outputs: long values said in a line, cells Excel cannot hold, output paths
    # checked first, a killed run's folder put back, items outside the catalogue reported.
    "text.cut": (" ({count:,} characters)", "（共 {count:,} 个字符）"),
    "present.export.cell_cut": ("… [cut: {count:,} characters; the CSV file holds the full text]",
                                "……[已截断：共 {count:,} 个字符；完整内容见 CSV 文件]"),
    "present.export.cut_note": (
        "cell {cell} of sheet {sheet} holds {count:,} characters, more than an Excel cell holds "
        "({most:,}): the workbook shows its first characters and says so; the table's CSV file "
        "holds the full text",
        "工作表 {sheet} 的单元格 {cell} 有 {count:,} 个字符，超过 Excel 单元格的上限（{most:,}）：工作簿中只显示"
        "其开头部分并注明已截断；该表的 CSV 文件保留完整内容"),
    "present.export.symlink": (
        "{target} is a symbolic link (to {link}): outputs are not written through a link; give "
        "the folder itself with {fix}",
        "{target} 是符号链接（指向 {link}）：输出不会经由链接写入；请用 {fix} 直接给出文件夹本身"),
    "present.export.parent_file": (
        "{target} cannot be created: {parent} is a file, not a folder; choose another path with {fix}",
        "无法创建 {target}：{parent} 是文件而不是文件夹；请用 {fix} 另选路径"),
    "present.export.unreachable": (
        "{target} cannot be reached: {reason} ({path}); choose another path with {fix}",
        "无法访问 {target}：{reason}（{path}）；请用 {fix} 另选路径"),
    "present.export.restored": (
        "a run writing {target} was killed while moving its files into place: the previous "
        "outputs it had set aside ({aside}) are put back",
        "一次写入 {target} 的运行在把文件移入原位时被终止：它移到一旁的原有输出（{aside}）已放回原处"),
    "bundled.synthetic.exists": (
        "{directory} already holds {files}: pass {force} to replace them, or write into another folder",
        "{directory} 中已有 {files}：传入 {force} 可替换它们，或写入另一个文件夹"),
    "report.unknown_items": ("Items not in the catalogue", "不在事项目录中的事项"),
    "report.unknown_items_text": (
        "{count} item id(s) of the sheet are not in the item catalogue (catalogue=): their answers "
        "are kept and counted (unknown_items='report'); the table unknown_items lists each with "
        "its rows and first lines.",
        "表中有 {count} 个事项编号不在事项目录（catalogue=）中：其回答照常保留并计入（unknown_items='report'）；"
        "表 unknown_items 列出了每个事项的行数和前几行的行号。"),

}


#: Characters of one quoted value (``'...'``, ``"..."``) a message shows; the rest is counted,
#: not repeated: a 10,000-character label, or a row of a gigabyte, is said in a line.
VALUE_LIMIT = 200
#: Characters of any one parameter a message shows (a listing of many values, a path ...).
TEXT_LIMIT = 5_000
#: A Python literal of text: what ``repr`` of a string (alone or in a listing) writes.
_QUOTED = re.compile(r"'[^'\\\n]*(?:\\.[^'\\\n]*)*'|\"[^\"\\\n]*(?:\\.[^\"\\\n]*)*\"")


def bounded(text: str, lang: str = "en", limit: int = VALUE_LIMIT) -> str:
    """``text`` as a message shows it: every quoted value longer than ``limit`` characters cut
    there and its length said, the whole cut at :data:`TEXT_LIMIT` characters.

    Every parameter of every message goes through this when the message is rendered
    (:meth:`Message.render`, so :class:`SurveyError`, notes, ledgers and warnings too):
    values are cut once, there, whoever built the listing they are in.

    Examples
    --------
    >>> bounded("labels " + repr("x" * 12) + ", '好'", limit=5)
    "labels 'xxxx…' (12 characters), '好'"
    >>> bounded(repr("x" * 12), "zh", limit=5)
    "'xxxx…'（共 12 个字符）"
    >>> bounded(bounded(repr("x" * 12), limit=5), limit=5)  # said once
    "'xxxx…' (12 characters)"
    """
    total = len(text)
    text = text[:20 * TEXT_LIMIT]  # a gigabyte is never scanned

    def cut(match) -> str:
        literal = match.group(0)
        if len(literal) - 2 <= limit:
            return literal
        # limit characters in all, the ellipsis included: cut again, it stays as it is.
        return (f"{literal[0]}{literal[1:limit]}…{literal[0]}"
                + Message("text.cut", {"count": len(literal) - 2}).render(lang))

    text = _QUOTED.sub(cut, text)
    if len(text) > TEXT_LIMIT or total > 20 * TEXT_LIMIT:
        text = text[:TEXT_LIMIT] + "…" + Message("text.cut", {"count": total}).render(lang)
    return text


class _Shown:
    """A message's parameter as the message shows it: ``str``, ``repr`` and format specs of
    the value, :func:`bounded`."""

    __slots__ = ("lang", "value")

    def __init__(self, value, lang: str):
        self.value, self.lang = value, lang

    def __format__(self, spec: str) -> str:
        return bounded(format(self.value, spec), self.lang)

    def __str__(self) -> str:
        return self.__format__("")

    def __repr__(self) -> str:
        value = self.value
        if isinstance(value, str) and len(value) > VALUE_LIMIT:  # cut before repr copies it
            shown = repr(value[:VALUE_LIMIT - 1])
            return (shown[:-1] + "…" + shown[-1]
                    + Message("text.cut", {"count": len(value)}).render(self.lang))
        return bounded(repr(value), self.lang)


def _render(value, lang: str, flags):
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    if isinstance(value, Hint):
        return bounded(value.render(flags), lang)
    if isinstance(value, Note):
        return value.message.render(lang, flags)
    if isinstance(value, Message):
        return value.render(lang, flags)
    if isinstance(value, Parts):
        return ("；" if lang == "zh" else "; ").join(str(_render(v, lang, flags)) for v in value)
    return _Shown(value, lang)


def _format(template: str, params: dict, lang: str, flags) -> str:
    return template.format(**{name: _render(value, lang, flags) for name, value in params.items()})


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


class Parts(tuple):
    """Several sentences (messages, notes or plain text) said one after the other: joined by
    "; " in English and "；" in Chinese when a message renders them."""


class Note(str):
    """A sentence of the catalogue that is also a plain ``str``: its English text (so it
    reads, compares and prints as one) and the message behind it (:meth:`render` in another
    language). Results keep their notes as Notes, so a report in Chinese says them in Chinese.

    Examples
    --------
    >>> note = Note("verdict.supported")
    >>> note == "supported", note.render("zh")
    (True, '支持')
    >>> both = join_notes(note, "", Note("verdict.contradicted"))
    >>> both, both.render("zh")
    ('supported; contradicted', '支持；矛盾')
    """

    message: Message

    def __new__(cls, code: str, **params):
        message = Message(code, params)
        note = super().__new__(cls, message.render("en"))
        note.message = message
        return note

    def render(self, lang: str = "en", flags=None) -> str:
        """The note in ``lang``; ``flags`` as in :meth:`Hint.render`."""
        return self.message.render(lang, flags)

    def __reduce__(self):  # pickled and copied by its message, not by its text
        return (_note, (self.message.code, self.message.params))


def _note(code: str, params: dict) -> Note:
    return Note(code, **params)


def join_notes(*notes) -> str:
    """Notes (or plain texts; empty ones left out) said one after the other, as one Note
    ("" when there is none)."""
    kept = Parts(n for n in notes if n)
    if not kept:
        return ""
    return kept[0] if len(kept) == 1 else Note("text.parts", parts=kept)


def column_letters(number: int) -> str:
    """A spreadsheet column's letters from its number (1 -> A, 26 -> Z, 27 -> AA): how a
    workbook names a cell's column and a banner table its columns.

    Examples
    --------
    >>> column_letters(1), column_letters(28), column_letters(16384)
    ('A', 'AB', 'XFD')
    """
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def said(text, lang: str = "en") -> str:
    """A result's text in ``lang``: a :class:`Note` or :class:`Message` rendered, any other
    value (a column value, a text written by the user) as it is.

    Examples
    --------
    >>> said(Note("verdict.supported"), "zh"), said("合计", "en")
    ('支持', '合计')
    """
    return text.render(lang) if isinstance(text, (Note, Message)) else str(text)


def join(messages, lang: str = "en", sep: str = "; ") -> str:
    """Several messages, notes or plain texts, each :func:`said` in ``lang``, joined (empty
    ones left out).

    Examples
    --------
    >>> join([Message("verdict.supported", {}), Note("verdict.contradicted"), "", "合计"], "zh")
    '支持; 矛盾; 合计'
    """
    return sep.join(said(m, lang) for m in messages if m)


class SurveyError(ValueError):
    """A ``ValueError`` whose text is a catalogue entry.

    Parameters
    ----------
    code : str
        A key of :data:`CATALOGUE`.
    languages : tuple of str, default ("en",)
        The languages of ``str(error)``, one paragraph each: ``("en", "zh")`` for an
        error about a sheet written in Chinese.
    **params
        The entry's parameters; :class:`Hint` values are options that would change
        the outcome (the command line adds their flags).

    Attributes
    ----------
    code, params, languages
        As given; :attr:`message` is the :class:`Message`.

    Examples
    --------
    >>> import survey_analysis as sa
    >>> try:
    ...     sa.binomial_ci(3, 5, method="exact")
    ... except sa.SurveyError as error:   # a ValueError: except ValueError catches it too
    ...     print(error.code)
    ...     print(error.render("zh").split("；")[0])
    choice.unknown
    未知的 method 取值 'exact'
    """

    def __init__(self, code: str, *, languages=("en",), **params):
        self.message = Message(code, params)
        self.code, self.params = code, params
        self.languages = tuple(languages)
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
        return "\n".join(self._head(lang) + self.message.render(lang, flags) for lang in languages)

    def where(self, lang: str = "en") -> str:
        """Where the problem is, said before the sentence ("" here; an error about a file
        names the file, line and column)."""
        return ""

    def _head(self, lang: str) -> str:
        where = self.where(lang)
        return f"{where}{'：' if lang == 'zh' else ': '}" if where else ""

    def __reduce__(self):  # picklable (Dask workers send errors back)
        return (_rebuild_error, (type(self), self.code, self.params, self.languages))


def _rebuild_error(kind, code, params, languages):
    error = kind.__new__(kind)
    SurveyError.__init__(error, code, languages=languages, **params)
    return error


class SurveyWarning(UserWarning):
    """A warning whose text is a catalogue entry: something the analyst should act on that
    does not stop the analysis (e.g. many rows of a published table fitting no count).

    Parameters
    ----------
    message : Message
        The catalogue entry and its parameters (:attr:`message`).
    flags : callable, optional
        As in :meth:`Hint.render`: the options the warning proposes are said with the
        command-line form beside them.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warnings.warn(SurveyWarning(Message("verdict.supported")))
    >>> caught[0].category.__name__, str(caught[0].message), caught[0].message.message.render("zh")
    ('SurveyWarning', 'supported', '支持')
    """

    def __init__(self, message: Message, flags=None):
        self.message = message
        super().__init__(message.render("en", flags))


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


def headline_number(value, missing: str = "-") -> str:
    """A headline figure shown without an interval: a whole number with thousands separators
    (``15294.0 -> '15,294'``), else two decimals (a design effect, ``1.8493 -> '1.85'``);
    ``missing`` when not a number."""
    value = float(value)
    if math.isnan(value):
        return missing
    return f"{value:,.0f}" if value.is_integer() else f"{value:.2f}"


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
