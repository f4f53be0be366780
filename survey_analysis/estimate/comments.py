"""Comments beside ratings: what respondents wrote, and the topics coders tagged.

A satisfaction sheet often has a free-text column beside the rating (评价内容, 意见建议,
"What could we do better?"). :func:`~survey_analysis.load_responses` keeps it as text when
named in ``comments=``; :func:`comments` lists the comments of the dissatisfied (or any
answers) worst rating first, with personal data masked by default, and :func:`topics`
compares, for topic columns a coder filled in (1 where the comment touches the topic), each
topic's share among satisfied and among dissatisfied answers under the study's design.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..design.design import Design, as_design
from ..scales.definition import satisfied_mask
from ..scales.text import COMMENT_COLUMNS, NAME_COLUMNS, NO_COMMENT, NOT_TAGGED, normalize_many
from ..words import SurveyError
from .domains import domain_differences, domain_rates

__all__ = ["AMONG_WORDS", "TOPIC_COLUMNS", "comments", "topics"]

#: The words ``among`` takes besides a ``{column: values}`` dict.
AMONG_WORDS = ("dissatisfied", "satisfied", "all")
#: Columns of a :func:`topics` table.
TOPIC_COLUMNS = ("topic", "share_satisfied", "ci_low_satisfied", "ci_high_satisfied", "share_dissatisfied",
                 "ci_low_dissatisfied", "ci_high_dissatisfied", "difference", "diff_ci_low", "diff_ci_high",
                 "p_value", "n_satisfied", "n_dissatisfied")
_DOMAIN = "__topic_domain__"
_TOPIC_ITEM = "__topic_item__"
#: Topics estimated together: the joint covariance of a batch costs its domains squared.
_BATCH = 2


def _design_of(responses, design: dict) -> Design:
    """The design of a Survey as it is (options given must agree), or one built from tidy
    responses."""
    if isinstance(responses, Design):
        return as_design(responses, **design)
    return Design(responses, **design)


def _tidy(design: Design, what: str) -> pd.DataFrame:
    frame = design.responses
    if frame is None:
        raise SurveyError("estimate.comments.no_responses", what=what)
    return frame


def _among_mask(design: Design, frame: pd.DataFrame, among) -> np.ndarray:
    """Which answers ``among`` selects: the (dis)satisfied under the design's definition,
    all, or those whose columns hold the values of a ``{column: values}`` dict."""
    if among is None or (isinstance(among, str) and among == "all"):
        return np.ones(len(frame), dtype=bool)
    if isinstance(among, str):
        if among not in AMONG_WORDS:
            raise SurveyError("estimate.comments.among", value=among, words=list(AMONG_WORDS))
        satisfied = satisfied_mask(frame, design.definition).to_numpy(dtype=bool, na_value=False)
        return satisfied if among == "satisfied" else ~satisfied
    if not isinstance(among, dict) or not among:
        raise SurveyError("estimate.comments.among", value=among, words=list(AMONG_WORDS))
    hit = np.ones(len(frame), dtype=bool)
    for column, values in among.items():
        if column not in frame.columns:
            raise SurveyError("estimate.comments.column_missing", name=str(column), columns=list(frame.columns))
        values = [values] if isinstance(values, (str, int, float, bool, np.generic)) else list(values)
        hit &= frame[column].astype("string").isin([str(v) for v in values]).to_numpy(dtype=bool, na_value=False)
    return hit


def _comment_column(frame: pd.DataFrame, column) -> str:
    """The comment column: ``column``, else the one ``comments=`` kept (the loader records
    it in ``attrs["comment_columns"]``), else the one column whose header names a comment."""
    if column is not None:
        if column not in frame.columns:
            raise SurveyError("estimate.comments.column_missing", name=str(column), columns=list(frame.columns))
        return column
    kept = [c for c in frame.attrs.get("comment_columns", ()) if c in frame.columns]
    if not kept:
        names = set(normalize_many(COMMENT_COLUMNS))
        kept = [c for c, n in zip(frame.columns, normalize_many(frame.columns)) if n in names]
    if len(kept) > 1:
        raise SurveyError("estimate.comments.several", found=list(kept))
    if not kept:
        raise SurveyError("estimate.comments.no_column", columns=list(frame.columns))
    return kept[0]


def _respondent_names(frame: pd.DataFrame) -> list | None:
    """The sheet's respondent names (a kept name column, or a respondent id read from a
    column of names such as 评价人), to be masked in the comments; None without one."""
    wanted = set(normalize_many(NAME_COLUMNS))
    columns = [c for c, n in zip(frame.columns, normalize_many(frame.columns)) if n in wanted]
    report = frame.attrs.get("load_report")
    header = getattr(report, "columns", {}).get("respondent_id") if report is not None else None
    if header is not None and normalize_many([header])[0] in wanted and "respondent_id" in frame.columns:
        columns.append("respondent_id")
    if not columns:
        return None
    values = pd.unique(pd.concat([frame[c].astype("string") for c in columns]).dropna())
    return [v for v in values if str(v).strip()]


def _masker():
    """:func:`survey_analysis.mask_personal_data`, looked up when first needed (wherever the
    package defines it)."""
    import survey_analysis

    try:
        return survey_analysis.mask_personal_data
    except AttributeError:
        raise SurveyError("estimate.comments.no_masking") from None


def comments(responses, *, among="dissatisfied", by=None, limit: int | None = 50, column=None,
             mask: bool = True, **design) -> pd.DataFrame:
    """The comments respondents wrote beside their ratings, worst rating first.

    Parameters
    ----------
    responses : pandas.DataFrame or Survey
        Tidy responses with a comment column (``load_responses(..., comments=[...])``), or
        a Survey of them.
    among : "dissatisfied", "satisfied", "all" or dict, default "dissatisfied"
        Whose comments: the dissatisfied or satisfied under the design's definition of
        "satisfied", everyone, or the answers whose columns hold some values
        (``{"rating": ["Poor", "Very poor"]}``, ``{"社区": "东"}``).
    by : str or list of str, optional
        Columns to show beside each comment (a district, a channel), first.
    limit : int or None, default 50
        The most rows returned (None: every comment); ``.attrs["total"]`` says how many
        matched.
    column : str, optional
        The comment column; default the one ``comments=`` kept, else the one column whose
        header names a comment (评价内容, comment, FFT answer ...).
    mask : bool, default True
        Pass the comments through :func:`~survey_analysis.mask_personal_data` (phone,
        ID and card numbers, e-mail addresses, plates, and the respondents' names when
        a name column was kept or the respondent id is a name column such as 评价人).
        ``mask=False`` shows the text as written: keeping personal data out of what is
        shared is then the analyst's responsibility.
    **design
        Options of :class:`~survey_analysis.Survey` (``satisfied=`` ...) when
        ``responses`` are tidy responses.

    Returns
    -------
    pandas.DataFrame
        One row per answer with a non-empty comment: the ``by`` column(s), ``item_id``,
        ``respondent_id`` (when the responses have one), ``rating``, ``comment`` (masked
        unless ``mask=False``), ``source_line`` (the comment's line in the file, when the
        responses have one). Sorted worst rating first (``rank`` descending), then by
        line. ``.attrs["total"]``: comments matched before ``limit``;
        ``.attrs["masked"]``: whether the text was masked; ``.attrs["placeholders"]``: cells
        of the chosen answers that only say nothing was written ("Did not answer", 无, none:
        :data:`~survey_analysis.scales.text.NO_COMMENT`), not listed.

    Examples
    --------
    >>> import pandas as pd, survey_analysis as sa
    >>> r = pd.DataFrame({"item_id": "A", "respondent_id": ["1", "2", "3", "4"], "scale": "cn3",
    ...                   "rating": ["满意", "不满意", "基本满意", "不满意"], "rank": [1, 3, 2, 3],
    ...                   "意见": ["很好", "电话13812345678没人接", "", "排队太久"],
    ...                   "source_line": [2, 3, 4, 5]})
    >>> out = sa.comments(r, column="意见")
    >>> out[["respondent_id", "rating", "comment"]].values.tolist()
    [['2', '不满意', '电话[phone]没人接'], ['4', '不满意', '排队太久']]
    >>> sa.comments(r, among="all", limit=1, mask=False).attrs["total"]
    3
    """
    survey = _design_of(responses, design)
    frame = _tidy(survey, "comments")
    name = _comment_column(frame, column)
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, (int, np.integer)) or limit < 0):
        raise SurveyError("estimate.comments.limit", value=limit)
    by = [] if by is None else [by] if isinstance(by, str) else list(by)
    missing = [c for c in by if c not in frame.columns]
    if missing:
        raise SurveyError("estimate.comments.column_missing", name=str(missing[0]), columns=list(frame.columns))
    text = frame[name].astype("string")
    written = text.str.strip().fillna("").ne("").to_numpy(dtype=bool)
    # An export's placeholder ("Did not answer", 无) says nothing was written: not a comment.
    placeholder = written & text.str.strip().str.casefold().isin(NO_COMMENT).fillna(False).to_numpy(dtype=bool)
    chosen = _among_mask(survey, frame, among)
    rows = np.flatnonzero(written & ~placeholder & chosen)
    rank = pd.to_numeric(frame["rank"], errors="coerce").to_numpy(dtype=float)[rows]
    line = (frame["source_line"].to_numpy() if "source_line" in frame.columns else np.arange(len(frame)))[rows]
    rows = rows[np.lexsort((line, -np.nan_to_num(rank, nan=-np.inf)))]
    total = len(rows)
    if limit is not None:
        rows = rows[:limit]
    shown = by + [c for c in ("item_id", "respondent_id", "rating") if c in frame.columns]
    out = frame.iloc[rows][shown].reset_index(drop=True)
    texts = text.iloc[rows].reset_index(drop=True)
    if mask:
        texts = _masker()(texts, names=_respondent_names(frame))
    out["comment"] = pd.Series(texts.to_numpy(), dtype="string")
    if "source_line" in frame.columns:
        out["source_line"] = frame["source_line"].to_numpy()[rows]
    out.attrs = {"total": total, "masked": bool(mask), "placeholders": int((placeholder & chosen).sum())}
    return out


def _tagged(values: pd.Series) -> np.ndarray:
    """1 where a coder tagged the answer (a non-empty cell that is not 0 / no), else 0;
    each distinct text read once."""
    codes, uniques = pd.factorize(values.astype("string").fillna(""), use_na_sentinel=False)
    normalized = np.asarray(normalize_many([str(u) for u in uniques]), dtype=object)
    tagged = (normalized != "") & ~np.isin(normalized, NOT_TAGGED)
    return tagged[codes] if len(uniques) else np.zeros(len(values), dtype=bool)


def _topic_batch(base: pd.DataFrame, frame: pd.DataFrame, columns: list, batch, group: np.ndarray,
                 options: dict, confidence_level: float) -> tuple:
    """Domain shares and the dissatisfied - satisfied differences of the topics ``batch``
    (positions into ``columns``): every answer once per topic, a yes/no design with the
    original clusters, strata and weights, domains ``TOPIC|s``, ``TOPIC|d`` (and ``|o``
    outside ``among``). Returns (rates, differences) indexed by domain."""
    batch = np.asarray(list(batch))
    n = len(base)
    stacked = pd.concat([base] * len(batch), ignore_index=True)
    tags = np.concatenate([_tagged(frame[columns[t]]) for t in batch])
    topic_of = np.repeat(batch, n)
    stacked["scale"] = "yes_no"
    stacked["rank"] = np.where(tags, 1, 2).astype(np.int8)
    stacked["rating"] = np.where(tags, "yes", "no")
    # Each answer once per topic: the topic joins the item (no answer is a repeat of
    # another); the clusters stay the original columns, so the topic copies of an answer
    # share its cluster.
    stacked[_TOPIC_ITEM] = pd.Series(topic_of).astype(str).to_numpy(dtype=object) + "|" + \
        stacked[options["item"]].astype(str).to_numpy(dtype=object)
    labels = np.array(["s", "d", "o"], dtype=object)
    stacked[_DOMAIN] = pd.Series(topic_of).map("{:05d}".format).to_numpy(dtype=object) + "|" + \
        labels[np.tile(group, len(batch))]
    design = Design(stacked, cluster=list(options["cluster"]), strata=options["strata"],
                    weight=options["weight"] or False, groups=[_DOMAIN], item=_TOPIC_ITEM,
                    items_as=options["items_as"], lonely_cluster=options["lonely_cluster"], fpc=options["fpc"],
                    lonely_domain=options["lonely_domain"])
    rates = domain_rates(design, _DOMAIN, confidence_level=confidence_level).set_index(_DOMAIN)
    present = set(rates.index)
    pairs = [(f"{t:05d}|d", f"{t:05d}|s") for t in batch if f"{t:05d}|d" in present and f"{t:05d}|s" in present]
    diffs = (domain_differences(design, _DOMAIN, pairs=pairs, confidence_level=confidence_level)
             .set_index("group_1") if pairs else pd.DataFrame(columns=["difference", "ci_low", "ci_high", "p_value"]))
    return rates, diffs


def topics(responses, columns, *, among=None, confidence_level: float = 0.95, **design) -> pd.DataFrame:
    """Each coded topic's share among satisfied and among dissatisfied answers, and the
    difference, under the design.

    Parameters
    ----------
    responses : pandas.DataFrame or Survey
        Tidy responses with the topic columns (``keep_columns=[...]``), or a Survey.
    columns : str or list of str
        Topic columns: 1 (any non-empty cell other than 0 / no) where a coder tagged the
        answer's comment with the topic, 0 or blank where not.
    among : "dissatisfied", "satisfied", "all", dict or None
        Which answers count (default all), e.g. ``{"FFT question": "What could we do
        better?"}`` or those with a comment; the others stay in the design (a domain
        estimate, not a subset).
    confidence_level : float, default 0.95
    **design
        Options of :class:`~survey_analysis.Survey` when ``responses`` are tidy responses.
        When a respondent has several rows (one per comment or per question, as in the
        NHS FFT comments file), make the respondent the cluster: ``cluster="respondent_id"``.

    Returns
    -------
    pandas.DataFrame
        One row per topic, in the order given: ``topic``; ``share_satisfied``,
        ``ci_low_satisfied``, ``ci_high_satisfied`` (the share of the satisfied answers
        tagged with the topic, and its interval); ``share_dissatisfied``,
        ``ci_low_dissatisfied``, ``ci_high_dissatisfied`` (the same among the
        dissatisfied); ``difference`` (``share_dissatisfied - share_satisfied``: positive
        when the topic is raised more by the dissatisfied), ``diff_ci_low``,
        ``diff_ci_high``, ``p_value`` (two-sided); ``n_satisfied``, ``n_dissatisfied``
        (answers in each group). ``.attrs["confidence_level"]``: the intervals' level.

    Notes
    -----
    Each topic is a yes/no question (tagged or not) asked of every answer, and the
    satisfied and the dissatisfied are two domains of the whole design:
    :func:`~survey_analysis.domain_rates` gives each share's design-based standard error
    and t interval, :func:`~survey_analysis.domain_differences` the difference's, from the
    joint linearized covariance of the two shares (they share clusters). The topics are
    estimated together (every answer once per topic, the design's clusters, strata and
    weights kept; a few topics at a time), which gives each topic the numbers it has alone. Satisfied and
    dissatisfied follow the design's definition of "satisfied"; a topic with no tagged
    answer in a group has share 0 there, with Clopper-Pearson's interval on that group's
    answers (no design variance; see :func:`~survey_analysis.domain_rates`).

    Examples
    --------
    >>> import pandas as pd, survey_analysis as sa
    >>> r = pd.DataFrame({"item_id": list("AABBCCDD"), "scale": "cn3",
    ...                   "rank": [1, 3, 1, 3, 1, 3, 2, 3],
    ...                   "rating": ["满意", "不满意", "满意", "不满意", "满意", "不满意", "基本满意", "不满意"],
    ...                   "排队": ["", "1", "", "1", "1", "", "", "1"]})
    >>> out = sa.topics(r, ["排队"])
    >>> out[["topic", "share_satisfied", "share_dissatisfied", "difference", "n_satisfied"]]
      topic  share_satisfied  share_dissatisfied  difference  n_satisfied
    0    排队             0.25                0.75         0.5            4
    """
    survey = _design_of(responses, design)
    frame = _tidy(survey, "topics")
    columns = [columns] if isinstance(columns, str) else list(columns)
    if not columns:
        raise SurveyError("estimate.topics.none")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SurveyError("estimate.comments.column_missing", name=str(missing[0]), columns=list(frame.columns))
    satisfied = satisfied_mask(frame, survey.definition).to_numpy(dtype=bool, na_value=False)
    kept = _among_mask(survey, frame, among)
    # Group of each answer: 0 satisfied, 1 dissatisfied, 2 outside ``among`` (still in the design).
    group = np.where(kept, np.where(satisfied, 0, 1), 2)
    options = survey.options
    carried = {c for c in list(options["cluster"]) + [options["strata"], options["fpc"], options["item"],
                                                      "respondent_id"] + list(options["groups"])
               if isinstance(c, str) and c in frame.columns}
    if options["weight"]:
        carried.add(options["weight"])
    base = frame[sorted(carried)].reset_index(drop=True)
    base.attrs = {}  # the ledger stays with the responses: the stacked copies are no load
    k = len(columns)
    tables = [_topic_batch(base, frame, columns, range(first, min(first + _BATCH, k)), group, options,
                           confidence_level) for first in range(0, k, _BATCH)]
    rates = pd.concat([t[0] for t in tables])
    diffs = pd.concat([t[1] for t in tables])
    keys = [f"{t:05d}" for t in range(k)]

    def take(table, suffix, column, fill=np.nan):
        index = [key + suffix for key in keys]
        return table[column].reindex(index).to_numpy(dtype=float, na_value=fill) if column in table else \
            np.full(k, fill)

    n_satisfied, n_dissatisfied = int((group == 0).sum()), int((group == 1).sum())
    out = pd.DataFrame({
        "topic": [str(c) for c in columns],
        "share_satisfied": take(rates, "|s", "rate"),
        "ci_low_satisfied": take(rates, "|s", "ci_low"), "ci_high_satisfied": take(rates, "|s", "ci_high"),
        "share_dissatisfied": take(rates, "|d", "rate"),
        "ci_low_dissatisfied": take(rates, "|d", "ci_low"), "ci_high_dissatisfied": take(rates, "|d", "ci_high"),
        "difference": take(diffs, "|d", "difference"),
        "diff_ci_low": take(diffs, "|d", "ci_low"), "diff_ci_high": take(diffs, "|d", "ci_high"),
        "p_value": take(diffs, "|d", "p_value"),
        "n_satisfied": n_satisfied, "n_dissatisfied": n_dissatisfied,
    }, columns=list(TOPIC_COLUMNS))
    out.attrs["confidence_level"] = float(confidence_level)
    return out
