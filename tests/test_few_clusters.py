"""Few clusters said beside every figure that rests on them (issue 22).

A design-based interval with items as clusters has clusters - 1 degrees of freedom; with
two units (a counts table of two districts) its interval and design effect are themselves
very uncertain, and a clustered interval can come out narrower than the naive one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import survey_analysis as sa
from survey_analysis.present.tables import format_headline


def _two_districts():
    # Two districts: 290 of 300 and 380 of 400 satisfied (written here).
    table = pd.DataFrame({"区县": ["甲", "乙"], "回访量": [300, 400], "满意数": [290, 380]})
    return sa.analyze(table, counts={"item": "区县", "n": "回访量", "satisfied": "满意数"})


def test_two_clusters_are_said_beside_the_interval_and_the_design_effect():
    analysis = _two_districts()
    pooled = analysis.overall.pooled
    # 2 clusters, 1 design degree of freedom.
    assert (pooled.n_clusters, pooled.df) == (2, 1)
    assert "only 2 clusters (1 design degrees of freedom, fewer than 10)" in str(pooled.note)
    headline = analysis.headline.set_index("measure")
    for measure in ("pooled", "design_effect"):
        assert headline.loc[measure, "measure_en"].endswith("(only 2 clusters: very uncertain)")
        assert headline.loc[measure, "measure_zh"].endswith("（仅 2 个群：很不确定）")
    assert headline.loc["mean_of_items", "measure_en"].endswith("(only 2 items)")
    assert "(only 2 clusters: very uncertain): 95.7%" in format_headline(analysis, "en")


def test_many_clusters_say_nothing_and_zero_variance_shows_no_design_effect():
    # 12 items of 10 answers, 9 satisfied each: 11 degrees of freedom, no note; the items are
    # alike, so the design variance is 0 and the design effect is not shown (it was 0.00).
    table = pd.DataFrame({"item": [f"I{i}" for i in range(12)], "n": 10, "satisfied": 9})
    analysis = sa.analyze(table, counts={"item": "item", "n": "n", "satisfied": "satisfied"})
    headline = analysis.headline.set_index("measure")
    assert "only" not in headline.loc["pooled", "measure_en"]
    assert np.isnan(headline.loc["design_effect", "estimate"])
    assert "few" not in str(analysis.overall.pooled.note)
