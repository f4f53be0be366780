"""Header names the loader recognizes: canonical columns, other usual columns, totals labels.

Compared after :func:`survey_analysis.scales.text.normalize_text`; each Chinese name is also
recognized in traditional characters (事項編號, 受訪者, 滿意度 ...).
"""

from __future__ import annotations

from ..scales.text import COMMENT_COLUMNS, NAME_COLUMNS, NOT_TAGGED, traditional_spellings

__all__ = ["COLUMN_ALIASES", "COMMENT_COLUMNS", "FLAG_ANSWERS", "META_COLUMNS", "NAME_COLUMNS", "NOT_TAGGED", "REQUIRED_COLUMNS", "SUMMARY_LABELS",
           "YES_NO_ANSWERS"]


def _and_traditional(names: tuple) -> tuple:
    """Each name followed by its traditional-character spelling (事项编号, 事項編號 ...):
    the order of preference among the names is kept."""
    return tuple(spelling for name in names for spelling in traditional_spellings([name]))


#: Header names recognized for each canonical column (compared after NFKC, trim,
#: lower-case; see :func:`survey_analysis.scales.text.normalize_text`). Within a tuple the
#: first alias found wins, so 事项编号 is preferred to 事项名称 when a sheet has both. Each
#: Chinese name is also recognized in traditional characters (事項編號, 受訪者, 滿意度 ...).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {name: _and_traditional(aliases) for name, aliases in {
    "item_id": ("item_id", "item", "item id", "item name", "item_name", "事项编号", "事项id", "事项",
                "项目编号", "项目", "事项名称", "项目名称", "服务事项", "评价事项"),
    "respondent_id": ("respondent_id", "respondent", "respondent id", "respondent no",
                      "受访者", "受访者编号", "受访者id", "受访人", "被访者", "问卷编号", "答卷编号",
                      "问卷id", "答卷id", "调查对象", "办件编号", "评价编号", "工单编号", "回访对象",
                      "评价人"),
    "rating": ("rating", "answer", "response", "satisfaction", "satisfaction level", "评价", "满意度",
               "满意程度", "评价结果", "满意度评价", "评价等级", "满意情况", "回访结果", "回访满意度",
               "满意度结果", "评价星级"),
    "weight": ("weight", "weights", "权重", "权数"),
}.items()}
#: Other header names a response sheet commonly has. They help find the header row and
#: are never taken for item columns of a wide sheet.
META_COLUMNS: tuple[str, ...] = _and_traditional((
    "序号", "编号", "no", "no.", "id", "姓名", "name", "性别", "gender", "sex", "年龄", "age",
    "电话", "联系电话", "手机", "phone", "地址", "address", "社区", "小区", "网格", "时间", "日期",
    "填写时间", "提交时间", "date", "time", "timestamp", "备注", "意见", "建议", "意见建议", "留言",
    "说明", "comment", "comments", "note", "notes", "remark", "remarks", "评价渠道", "渠道",
    "评价时间", "办结时间", "受理时间", "部门", "承办单位", "街道", "区县", "诉求内容", "评价内容",
))
#: Labels that mark a totals / summary row (in the item or respondent cell, or the
#: first non-empty cell when it is not a rating cell), compared after normalization
#: with a trailing colon, or a bracketed note after the label (合计（全市）), removed.
#: A published table's whole-area row (全市, 全区, 总体) is a total of the units above it.
SUMMARY_LABELS: tuple[str, ...] = _and_traditional((
    "合计", "总计", "小计", "共计", "总和", "平均", "平均值", "平均分", "均值",
    "全市", "全区", "全县", "全省", "全镇", "全街道", "总体", "总体情况", "全市合计", "全区合计", "全县合计",
    "total", "totals", "grand total", "subtotal", "sum", "average", "mean",
))
REQUIRED_COLUMNS = ("item_id", "rating")
#: Answers of a machine flag (a test entry, a consent box, a checkbox export), normalized: a
#: column of only these is never read as an item unless ``item_columns=`` names it.
FLAG_ANSWERS = frozenset({"true", "false", "0", "1", "0.0", "1.0"})
#: Answers of a yes/no question, normalized: a column of only these is an item only when
#: the sheet has no item column of more levels (a 是/否 flag beside 满意 / 不满意 items).
YES_NO_ANSWERS = frozenset({"yes", "no", "y", "n", "是", "否", "true", "false"})
