"""The headline as text: what a terminal or a plain-text report shows.

Presentation only: every number comes from an :class:`~survey_analysis.analysis.Analysis`;
the level of the intervals and the definition of "satisfied" are read from it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..analysis import Analysis, analyze
from ..words import headline_number

__all__ = ["format_headline", "headline_table"]


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
        published = f"  claimed: {shown}" if shown else ""
        verdict = ""
        if row.verdict:
            verdict = {"zh": f"  -> {row.verdict_zh}", "en": f"  -> {row.verdict}"}.get(
                lang, f"  -> {row.verdict} / {row.verdict_zh}")
        lines.append(f"{measure}: {value}{published}{verdict}")
    percent = f"{level:.1%}".replace(".0%", "%")
    claims = table["verdict"].astype(bool).any()
    lines.append(f"(intervals: two-sided {percent}" + (f"; verdicts use one-sided {percent} bounds)" if claims
                                                       else ")"))
    if isinstance(analysis, Analysis):
        lines.append(analysis.definition.sentence("en" if lang == "en" else "zh")
                     if lang else f"{analysis.definition.sentence('zh')} {analysis.definition.sentence('en')}")
    return "\n".join(lines)
