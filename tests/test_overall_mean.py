"""``overall(method="mean")``: R ``svyciprop(~sat, design, method = "mean")``.

Reference values: R 4.2.2, survey 4.1.1, tests/R/reference_mean.R (output
tests/R/reference_mean.out) on tests/data/reference/domains.csv (written by
tests/R/reference_domains.R) and a 4-item design given in the script.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis.estimate.rates import CLUSTER_CI_METHODS, cluster_proportion_ci

DATA = Path(__file__).parent / "data" / "reference" / "domains.csv"
TOL = dict(rel=1e-10)


@pytest.fixture(scope="module")
def answers():
    d = pd.read_csv(DATA)
    return d.assign(scale="yes_no", rank=np.where(d["sat"] == 1, 1, 2))


# (weighted, items_as, level, coef, SE, ci) -- reference_mean.out, "<design> svyciprop mean
# level <level> coef SE ci": svyciprop(~sat, des, method = "mean", level = level)
CASES = [
    (True, "clusters", 0.95, 0.891722356097682, 0.0229002289958583, (0.844349623105061, 0.939095089090303)),
    (True, "clusters", 0.90, 0.891722356097682, 0.0229002289958583, (0.852474305642793, 0.930970406552571)),
    (False, "clusters", 0.95, 0.887201735357918, 0.0196367027861615, (0.846580120695788, 0.927823350020048)),
    (False, "clusters", 0.90, 0.887201735357918, 0.0196367027861615, (0.853546949553884, 0.920856521161951)),
    (False, "strata", 0.95, 0.887201735357918, 0.0144312949241439, (0.858838362483941, 0.915565108231894)),
    (False, "strata", 0.90, 0.887201735357918, 0.0144312949241439, (0.863413939788067, 0.910989530927768)),
]


@pytest.mark.parametrize(("weighted", "items_as", "level", "coef", "se", "ci"), CASES)
def test_mean_interval_as_r(answers, weighted, items_as, level, coef, se, ci):
    survey = sa.Survey(answers, weight="w" if weighted else False, items_as=items_as)
    pooled = survey.overall(method="mean", confidence_level=level).pooled
    assert pooled.estimate == pytest.approx(coef, **TOL)
    assert pooled.se == pytest.approx(se, **TOL)
    assert (pooled.ci_low, pooled.ci_high) == pytest.approx(ci, **TOL)
    assert pooled.ci_method == f"{'cluster' if items_as == 'clusters' else 'strata'}_mean"
    # the same interval at another level (R: the other level's line)
    other = [c for c in CASES if c[:2] == (weighted, items_as) and c[2] != level][0]
    assert pooled.confidence_interval(other[2]) == pytest.approx(other[5], **TOL)


def test_mean_interval_clipped_to_one():
    # R: svyciprop(~sat, svydesign(ids = ~item_id, data = s), method = "mean") on 4 items with
    # 10/10, 12/12, 9/10, 15/15 satisfied: 0.978723404255319, SE 0.0224102347556807,
    # CI 0.907404035456563 1.05004277305408 (R does not clip; degf 3)
    k, n = [10, 12, 9, 15], [10, 12, 10, 15]
    rows = [(f"H{i + 1}", 1 if j < k[i] else 2) for i in range(4) for j in range(n[i])]
    r = pd.DataFrame(rows, columns=["item_id", "rank"]).assign(scale="yes_no")
    pooled = sa.overall_rate(r, method="mean").pooled
    assert pooled.estimate == pytest.approx(0.978723404255319, **TOL)
    assert pooled.se == pytest.approx(0.0224102347556807, **TOL)
    assert pooled.ci_low == pytest.approx(0.907404035456563, **TOL)
    assert pooled.ci_high == 1.0 and pooled.df == 3


def test_mean_is_a_choice_and_bad_methods_name_the_allowed():
    assert CLUSTER_CI_METHODS == ("logit", "beta", "mean")
    with pytest.raises(ValueError, match=r"unknown method 'wald'; allowed: 'logit', 'beta', 'mean'"):
        cluster_proportion_ci(0.5, 0.01, 100, 10, method="wald")
    # one-sided: the other bound is the end of [0, 1]
    low, high, _ = cluster_proportion_ci(0.5, 0.01, 100, 10, method="mean", alternative="greater")
    assert high == 1.0 and 0 < low < 0.5
