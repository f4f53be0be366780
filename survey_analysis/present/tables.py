"""The headline as text: what a terminal or a plain-text report shows.

Presentation only: every number comes from an :class:`~survey_analysis.analysis.Analysis`;
the level of the intervals and the definition of "satisfied" are read from it.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .._validation import check_choice
from ..analysis import Analysis, analyze
from ..words import CATALOGUE, LANGUAGES, Note, SurveyError, headline_number, percent, said, say

__all__ = ["banner_frame", "chance_sentence", "format_headline", "headline_table", "in_language"]

# Columns named after a level: lower_95, upper_99.8, flag_95 (funnel_table).
_LEVEL_COLUMN = re.compile(r"^(lower|upper|flag)_(\d+(?:\.\d+)?)$")


def headline_table(responses, claims=None, **options) -> pd.DataFrame:
    """The headline figures of :func:`~survey_analysis.analyze`, labelled in Chinese and English.

    Parameters
    ----------
    responses : anything :func:`~survey_analysis.analyze` takes
    claims : path or pandas.DataFrame, optional
        Published statements; without them the ``published`` and ``verdict`` columns
        are empty.
    **options
        Other options of :func:`~survey_analysis.analyze`.

    Returns
    -------
    pandas.DataFrame
        Columns ``measure``, ``measure_zh``, ``measure_en``, ``estimate``, ``ci_low``,
        ``ci_high`` (two-sided, ``confidence_level``), ``published`` (the claim's
        wording, if any), ``claimed`` (the claim in symbols, e.g. ``> 95 percent``),
        ``verdict`` and ``verdict_zh`` (one-sided bounds), ``confidence_level``.

    Examples
    --------
    >>> import survey_analysis as sa
    >>> from survey_analysis.present.tables import headline_table
    >>> table = headline_table(sa.load_synthetic_responses())   # SYNTHETIC data
    >>> table["measure"].tolist()[:4]
    ['items', 'responses', 'excluded', 'pooled']
    """
    return analyze(responses, claims=claims, **options).headline


def format_headline(analysis, lang: str | None = None) -> str:
    """Plain-text rendering of the headline of an :class:`~survey_analysis.analysis.Analysis`.

    ``lang=None`` writes every label in Chinese and English; ``"zh"`` or ``"en"`` in one.
    """
    table = analysis.headline if isinstance(analysis, Analysis) else analysis
    level = float(table["confidence_level"].iloc[0])
    lines = []
    for row in table.itertuples(index=False):
        if np.isnan(row.estimate) or np.isnan(row.ci_low):
            value = headline_number(row.estimate, missing="—")
        else:
            value = f"{row.estimate:.1%}  [{row.ci_low:.1%}, {row.ci_high:.1%}]"
        measure = {"zh": row.measure_zh, "en": row.measure_en}.get(lang, f"{row.measure_zh} / {row.measure_en}")
        shown = row.claimed if lang == "en" else row.published
        published = ("  " + say("present.headline.claimed", lang or "en", claim=shown)) if shown else ""
        verdict = ""
        if row.verdict:
            verdict = {"zh": f"  -> {row.verdict_zh}", "en": f"  -> {row.verdict}"}.get(
                lang, f"  -> {row.verdict} / {row.verdict_zh}")
        lines.append(f"{measure}: {value}{published}{verdict}")
    percent = f"{level:.1%}".replace(".0%", "%")
    claims = table["verdict"].astype(bool).any()
    key = "present.headline.intervals_verdicts" if claims else "present.headline.intervals"
    lines.append(say(key, lang, level=percent) if lang else
                 f"{say(key, 'zh', level=percent)} {say(key, 'en', level=percent)}")
    if isinstance(analysis, Analysis):
        lines.append(analysis.definition.sentence("en" if lang == "en" else "zh")
                     if lang else f"{analysis.definition.sentence('zh')} {analysis.definition.sentence('en')}")
    return "\n".join(lines)


def in_language(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A copy of a result table with its column headers in ``lang``, for showing.

    Every table of the package names its columns with codes (``rate``, ``ci_low``); this
    gives them the catalogue's words, the same the HTML report prints. Where a table holds a
    column and its translation (``verdict`` and ``verdict_zh``, ``measure`` and
    ``measure_en``), the translated values take the code column's place, so that the copy
    reads in one language; the codes of the funnel's ``flag_*`` columns and of ``estimand``
    are said in words too, and the package's notes (a domain's "only 2 clusters") in ``lang``. Columns the catalogue does not know keep their names. Values are
    not changed otherwise: the copy is for reading, the original for computing.

    Parameters
    ----------
    table : pandas.DataFrame, or a result with ``to_frame()``
        Any table of the package (or another DataFrame).
    lang : {"zh", "en"}, default "zh"
        The language of the headers.

    Returns
    -------
    pandas.DataFrame
        The same rows and values, the columns renamed (and ``*_zh`` / ``*_en`` columns folded
        into the column they translate).

    Raises
    ------
    ValueError
        If ``lang`` is not one of ``"zh"``, ``"en"``.

    Examples
    --------
    >>> import pandas as pd
    >>> import survey_analysis as sa
    >>> rates = pd.DataFrame({"item_id": ["A"], "n": [20], "satisfied": [19], "rate": [0.95],
    ...                       "ci_low": [0.76], "ci_high": [0.99], "lower_95": [0.8]})
    >>> list(sa.in_language(rates, "zh").columns)
    ['事项编号', '有效回答', '满意', '满意率', '下限', '上限', '下限（95%）']
    >>> list(sa.in_language(rates, "en").columns)[-3:]
    ['lower', 'upper', 'lower limit (95%)']
    """
    check_choice("lang", lang, LANGUAGES)
    frame = table.to_frame() if hasattr(table, "to_frame") else table
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"in_language takes a DataFrame (or a result with to_frame()), "
                        f"got {type(table).__name__}")
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object:   # notes of the package (e.g. a domain's) said in lang
            frame[column] = frame[column].map(lambda value: value.render(lang) if isinstance(value, Note)
                                              else value)
    for column in frame.columns:   # codes in a few columns have words of their own
        prefix = ("flag" if isinstance(column, str) and column.startswith("flag_")
                  else "estimand" if column == "estimand" else None)
        if prefix is not None:
            frame[column] = frame[column].map(
                lambda code: say(f"{prefix}.{code}", lang) if f"{prefix}.{code}" in CATALOGUE else code)
    other = "en" if lang == "zh" else "zh"
    for column in list(frame.columns):
        if not isinstance(column, str):
            continue
        if column.endswith(f"_{lang}") and column[: -len(lang) - 1] in frame.columns:
            frame[column[: -len(lang) - 1]] = frame.pop(column)
        elif column.endswith(f"_{other}") and column[: -len(other) - 1] in frame.columns:
            frame = frame.drop(columns=column)
    return frame.rename(columns=lambda column: _header(column, lang))


def _header(column, lang: str):
    """A column's header in ``lang``: the catalogue's word, or the column itself."""
    if not isinstance(column, str):
        return column
    if f"column.{column}" in CATALOGUE:
        return say(f"column.{column}", lang)
    at_level = _LEVEL_COLUMN.match(column)
    if at_level:
        kind, level = at_level.groups()
        return say(f"column.{kind}_at", lang, level=f"{level}%")
    return column


def chance_sentence(analysis: Analysis, lang: str = "zh") -> str:
    """What chance alone gives of items at 100%, against the data, as the report says it.

    An impossible count is said in words ("practically never ... probability of one or more:
    4e-17"), never as "0.0 items (range 0 to 0)". Empty when the analysis has no chance
    distribution (e.g. every item at 100%, or too few items to fit one).

    Parameters
    ----------
    analysis : Analysis
        The result of :func:`~survey_analysis.analyze`.
    lang : {"zh", "en"}, default "zh"

    Returns
    -------
    str

    Examples
    --------
    >>> import survey_analysis as sa
    >>> text = chance_sentence(sa.analyze(sa.load_synthetic_responses()), "en")   # SYNTHETIC data
    >>> text.startswith("Chance alone (a beta-binomial fit of the item rates) gives")
    True
    """
    check_choice("lang", lang, LANGUAGES)
    chance = analysis.chance
    if chance is None:
        return ""
    # every item at 100%, listed or not (a publication rule may leave some out of the list)
    observed = getattr(analysis, "n_items_at_100", len(analysis.items_at_100))
    low, high = chance.interval(analysis.confidence_level)
    if high == 0:
        return say("report.chance_note_none", lang, any=chance.probability(1), observed=observed)
    level = f"{analysis.confidence_level:.1%}".replace(".0%", "%")   # 95%, 99.5%
    return say("report.chance_note", lang, mean=chance.mean, level=level, low=low, high=high,
               observed=observed)


def banner_frame(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """A banner table (:func:`~survey_analysis.crosstab`) laid out as analysts paste it.

    Parameters
    ----------
    table : pandas.DataFrame
        What :func:`~survey_analysis.crosstab` returns (its ``.attrs`` give the labels,
        the letters and the note).
    lang : {"en", "zh"}, default "en"
        Language of the base row's label, the total's label and the notes.

    Returns
    -------
    pandas.DataFrame
        Text cells: the first column the row values (headed by the rows' column name, the
        package's own columns such as ``item_id`` in ``lang``), then
        one column per column value headed ``"phone (B)"``, then the total; a first row
        ``Base (n)`` (answers per column and in total; ``*`` when a cell of the column has a
        small base), then one row per row value, each cell ``"94.4% A"`` -- the rate and the
        letters of the columns it is significantly higher than -- with ``*`` after a small
        base and ``""`` for a cell without answers. ``.attrs["notes"]``: the sentences to
        print under it (the test, and the meaning of ``*`` when a base is small).

    Notes
    -----
    The one layout of a banner: :func:`~survey_analysis.write_banner` writes it to Excel
    and the HTML report shows it.

    Examples
    --------
    >>> import pandas as pd
    >>> import survey_analysis as sa
    >>> r = pd.DataFrame({"item_id": [f"I{i}" for i in range(6) for _ in range(20)],
    ...                   "channel": ["web", "desk"] * 60, "scale": "yes_no",
    ...                   "rank": ([1, 1, 1, 2] * 5 + [1, 2] * 10) * 3})
    >>> banner_frame(sa.crosstab(r, "channel", rows="scale", min_base=10)).values.tolist()
    [['Base (n)', '60', '60', '120'], ['yes_no', '25.0%', '100.0% A', '62.5%']]
    """
    needed = ["row", "column", "letter", "n", "rate", "letters", "small_base"]
    missing = [c for c in needed if c not in table.columns]
    if missing or "total" not in table.attrs:
        raise SurveyError("present.export.banner_table", missing=missing or ["attrs"])
    attrs = table.attrs
    total = attrs["total"]
    is_total = table["column"].map(lambda v: isinstance(v, str) and v == total).to_numpy(dtype=bool)
    cells = table.loc[~is_total]
    rows = list(dict.fromkeys(table["row"].tolist()))
    columns = list(dict.fromkeys(cells["column"].tolist()))
    header = [str(_header(str(attrs.get("rows", "row")), lang))] + [f"{c} ({letter})" for c, letter in
                                                 dict(zip(cells["column"], cells["letter"])).items()]
    header.append(said(total, lang))
    answered = (table["n"] > 0).to_numpy()
    small = table["small_base"].to_numpy(dtype=bool)
    shown = [("" if not a else percent(rate) + (f" {x}" if x else "") + ("*" if s else ""))
             for a, rate, x, s in zip(answered, table["rate"], table["letters"].astype(str), small)]
    key = np.where(is_total, None, table["column"].astype(object))
    position = {(r, k): i for i, (r, k) in enumerate(zip(table["row"], key))}
    body = [[str(r)] + [shown[position[(r, k)]] if (r, k) in position else "" for k in columns + [None]]
            for r in rows]
    keyed = table.assign(key=key)
    base = keyed.groupby("key", dropna=False, sort=False)["n"].sum()
    flagged = keyed.groupby("key", dropna=False, sort=False)["small_base"].any()
    base_row = [say("present.export.banner_base", lang)]
    for k in columns + [None]:
        count = int(base.get(k, 0)) if k is not None else int(table.loc[is_total, "n"].sum())
        mark = bool(flagged.get(k, False)) if k is not None else bool(small[is_total].any())
        base_row.append(f"{count}*" if mark else str(count))
    out = pd.DataFrame([base_row] + body, columns=header, dtype=object)
    notes = [said(attrs.get("note", ""), lang)]
    if small.any():
        notes.append(say("present.export.banner_small", lang, min_base=attrs.get("min_base", "")))
    out.attrs["notes"] = notes
    return out
