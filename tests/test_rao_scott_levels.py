"""Rao-Scott tests on every rating level: ``rao_scott_test(..., levels="all")``.

Reference values: R 4.2.2, survey 4.1.1, tests/R/reference_levels.R (output
tests/R/reference_levels.out) on tests/data/reference/levels.csv: 21 items (clusters) in 3
districts, a channel per answer, rank3 (cn3), rank5 (a 5-level scale) and rank5u (rank5 with
level 4 used by no answer).
"""

from pathlib import Path

import pandas as pd
import pytest

import survey_analysis as sa

DATA = Path(__file__).parent / "data" / "reference" / "levels.csv"
TOL = dict(rel=1e-10)
SCALE = {"rank3": "cn3", "rank5": "haochaping5", "rank5u": "haochaping5"}


@pytest.fixture(scope="module")
def data():
    return pd.read_csv(DATA)


def survey(data, rating, design):
    r = data.assign(scale=SCALE[rating], rank=data[rating])
    if design == "clusters weighted":   # R: svydesign(ids = ~item_id, weights = ~w, data = d)
        return sa.Survey(r, weight="w", groups=["district", "channel"])
    # R: svydesign(ids = ~1, strata = ~item_id, data = d)
    return sa.Survey(r, weight=False, items_as="strata", groups=["district", "channel"])


# reference_levels.out, "<design> <rating> <group> svychisq <st> statistic parameter p.value":
# svychisq(~<rating> + <group>, des, statistic = <st>)
R = {
    ("clusters weighted", "rank3", "district", "F"): (5.36925634432101, 3.09790002989013, 61.9580005978027, 0.0021464571836587),
    ("clusters weighted", "rank3", "district", "Chisq"): (28.8613671865609, 4, 0.000254645654398376),
    ("clusters weighted", "rank3", "channel", "F"): (0.342330199095205, 1.7486408568986, 34.972817137972, 0.683837379027165),
    ("clusters weighted", "rank5", "district", "F"): (4.9722564097395, 5.04620354069247, 100.924070813849, 0.000394918313823603),
    ("clusters weighted", "rank5", "district", "Chisq"): (46.986569004704, 8, 3.5235422689223e-06),
    ("clusters weighted", "rank5", "channel", "Chisq"): (1.52939995567389, 4, 0.755770219913716),
    ("clusters weighted", "rank5u", "district", "F"): (6.28890511866358, 3.52643857073307, 70.5287714146613, 0.000389487574565748),
    ("clusters weighted", "rank5u", "district", "Chisq"): (43.8188190137674, 6, 1.26651615595882e-06),
    ("strata unweighted", "rank3", "district", "F"): (7.63340668879688, 3.9648523830627, 670.060052737596, 5.54691334911067e-06),
    ("strata unweighted", "rank3", "channel", "Chisq"): (1.55363408774012, 2, 0.465057815451177),
    ("strata unweighted", "rank5", "district", "F"): (5.62070991171133, 7.91831334547445, 1338.19495538518, 5.55224407941831e-07),
    ("strata unweighted", "rank5u", "channel", "F"): (0.550616252505193, 2.9997187990166, 506.952477033806, 0.647913038702341),
}


@pytest.mark.parametrize("key", list(R), ids=[" ".join(k) for k in R])
def test_all_levels_as_r(data, key):
    design, rating, group, statistic = key
    test = sa.rao_scott_test(survey(data, rating, design), group, statistic=statistic, levels="all")
    expected = R[key]
    if statistic == "F":
        got = (test.statistic, test.ndf, test.ddf, test.p_value)
    else:   # R: statistic (Pearson's X^2), parameter df, p.value; no ddf
        got = (test.statistic, test.ndf, test.p_value)
        assert test.ddf != test.ddf
    assert got == pytest.approx(expected, **TOL)
    assert test.kind == statistic


def test_unused_level_is_left_out_as_r(data):
    # rank5u: level 4 (不满意) used by no answer; R tabulates the values present: ndf of
    # Chisq (4 levels - 1) x (3 districts - 1) = 6 (reference_levels.out, rank5u district Chisq)
    test = sa.rao_scott_test(survey(data, "rank5u", "clusters weighted"), "district",
                             statistic="Chisq", levels="all")
    assert test.ndf == 6
    assert "不满意" not in test.table.columns and "非常不满意" in test.table.columns
    shares = test.table[["非常满意", "满意", "基本满意", "非常不满意"]].sum(axis=1)
    assert shares.tolist() == pytest.approx([1, 1, 1], rel=1e-12)


def test_satisfied_is_the_default_and_survey_passes_levels(data):
    s = survey(data, "rank3", "clusters weighted")
    # R: svychisq(~sat + district, des, statistic = "F") with sat = rank3 <= 2
    expected = (4.55366869044307, 1.81406860722038, 36.2813721444075, 0.0199362576703308)
    test = s.rao_scott("district")
    assert (test.statistic, test.ndf, test.ddf, test.p_value) == pytest.approx(expected, **TOL)
    everything = s.rao_scott("district", levels="all")
    # R: svychisq(~rank3 + district, des, statistic = "F")
    assert everything.statistic == pytest.approx(5.36925634432101, **TOL)
    with pytest.raises(ValueError, match=r"unknown levels 'every'; allowed: 'satisfied', 'all'"):
        s.rao_scott("district", levels="every")
