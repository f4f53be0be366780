"""Finite population correction (``fpc=``) against R survey 4.1.1.

Every reference value is from R 4.2.2, survey 4.1.1, produced by tests/R/reference_fpc.R
(output tests/R/reference_fpc.out) on the synthetic data it writes to
tests/data/reference/fpc_clusters.csv (items as clusters in 5 districts; D2 a census of
its 4 items) and tests/data/reference/fpc_callback.csv (items as strata: cases per item,
item C5 a census). R designs always name the weights (weights = ~w).
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import survey_analysis as sa

DATA = Path(__file__).parent / "data" / "reference"
TOL = dict(rel=1e-10)


def _yes_no(frame):
    return frame.assign(scale="yes_no", rank=np.where(frame["sat"] == 1, 1, 2))


@pytest.fixture(scope="module")
def clustered():
    return _yes_no(pd.read_csv(DATA / "fpc_clusters.csv"))


@pytest.fixture(scope="module")
def callback():
    return _yes_no(pd.read_csv(DATA / "fpc_callback.csv", encoding="utf-8"))


# (fpc column, svymean SE, deff "replace", deff TRUE, svyciprop logit, svyby channel SE,
#  svychisq(~channel + sat, statistic = "F") statistic ndf ddf p) -- reference_fpc.out, lines
# "clusters fpc <kind> ...": svydesign(ids = ~item_id, strata = ~district, weights = ~w,
# fpc = ~<kind>, data = d)
CLUSTERED = [
    ("N_items", 0.0287738017658738, 0.819099183968078, 2.46842553693631,
     (0.719076562670944, 0.844446372673011), (0.0324340674583012, 0.0366906896093342),
     (8.19036466431411, 1, 12, 0.0143037903387327)),
    ("frac", 0.0287738017658738, 0.819099183968078, 2.46842553693631,
     (0.719076562670944, 0.844446372673011), (0.0324340674583012, 0.0366906896093342),
     (8.19036466431411, 1, 12, 0.0143037903387327)),
    (None, 0.0360944344413206, 1.28890966817469, 3.88423966474188,
     (0.699359249643754, 0.856599348479894), (0.0462379244727588, 0.0423101260137539),
     (6.02151796920375, 1, 12, 0.0303769027111156)),
]


@pytest.mark.parametrize(("fpc", "se", "deff", "deff_wor", "logit", "by_se", "chisq"), CLUSTERED)
def test_clustered_stratified_fpc_as_r(clustered, fpc, se, deff, deff_wor, logit, by_se, chisq):
    survey = sa.Survey(clustered, strata="district", weight="w", fpc=fpc, groups=["channel"])
    pooled = survey.overall().pooled
    assert pooled.estimate == pytest.approx(0.788480115923362, **TOL)  # R: coef(svymean(~sat, des))
    assert pooled.se == pytest.approx(se, **TOL)                       # R: SE(svymean(~sat, des))
    assert pooled.design_effect == pytest.approx(deff, **TOL)          # R: deff(svymean(..., deff = "replace"))
    # R: deff(svymean(..., deff = TRUE)) = design_effect / (1 - n / sum(w)) (SRS without replacement)
    n, total = len(clustered), clustered["w"].sum()
    assert pooled.design_effect / (1 - n / total) == pytest.approx(deff_wor, **TOL)
    assert pooled.df == 12                                             # R: degf(des)
    assert (pooled.ci_low, pooled.ci_high) == pytest.approx(logit, **TOL)  # R: svyciprop(method = "logit")
    rates = sa.domain_rates(survey, "channel")
    # R: coef and SE of svyby(~sat, ~channel, des, svymean)
    assert rates["rate"].tolist() == pytest.approx([0.714457637997433, 0.863004846526656], **TOL)
    assert rates["se"].tolist() == pytest.approx(list(by_se), **TOL)
    test = survey.rao_scott("channel")
    # R: svychisq(~channel + sat, des, statistic = "F"): statistic, ndf, ddf, p.value
    assert (test.statistic, test.ndf, test.ddf, test.p_value) == pytest.approx(chisq, **TOL)


def test_census_stratum_adds_no_variance(clustered):
    # D2: all 4 of its 4 items taken (N_items = 4 = n_h): its total has no variance.
    survey = sa.Survey(clustered, strata="district", weight="w", fpc="N_items")
    table = survey.table_for([])
    only = (table["district"] == "D2").to_numpy()
    result = survey.linearized_covariance(lambda t: (t["district"] == "D2").to_numpy(dtype=float))
    # R: SE(svytotal(~I(sat * (district == "D2")), des)) = 0 (reference_fpc.out); here the
    # total of the weights in D2 -- any variable of D2 alone -- has variance 0 as well.
    assert only.any() and result.covariance[0, 0] == 0.0
    without = sa.Survey(clustered, strata="district", weight="w")
    assert without.linearized_covariance(
        lambda t: (t["district"] == "D2").to_numpy(dtype=float)).covariance[0, 0] > 0


# (fpc, svymean SE, deff replace, deff TRUE, svyciprop logit, svyby district SE) --
# reference_fpc.out, "callback fpc <kind>": svydesign(ids = ~1, strata = ~item_id,
# weights = ~w, fpc = ~cases, data = cb)
CALLBACK = [
    ("cases", 0.0200870049883566, 0.640741342027349, 1.29104598766705,
     (0.858199202297661, 0.939087394236869), (0.0318138739557027, 0.025903032707)),
    (None, 0.0268373513656769, 1.14375149842801, 2.304573914743,
     (0.837983170023138, 0.947478598102679), (0.0451658600247138, 0.0330761177035164)),
]


@pytest.mark.parametrize(("fpc", "se", "deff", "deff_wor", "logit", "by_se"), CALLBACK)
def test_items_as_strata_with_cases_per_item_as_r(callback, fpc, se, deff, deff_wor, logit, by_se):
    survey = sa.Survey(callback, items_as="strata", weight="w", fpc=fpc, groups=["district"])
    pooled = survey.overall().pooled
    assert pooled.estimate == pytest.approx(0.906186868686869, **TOL)  # R: coef(svymean(~sat, des))
    assert pooled.se == pytest.approx(se, **TOL)                       # R: SE(svymean)
    assert pooled.design_effect == pytest.approx(deff, **TOL)          # R: deff = "replace"
    n, total = len(callback), callback["w"].sum()
    assert pooled.design_effect / (1 - n / total) == pytest.approx(deff_wor, **TOL)  # R: deff = TRUE
    assert pooled.df == 128                                            # R: degf(des)
    assert (pooled.ci_low, pooled.ci_high) == pytest.approx(logit, **TOL)  # R: svyciprop logit
    rates = sa.domain_rates(survey, "district")
    # R: svyby(~sat, ~district, des, svymean): coef 东区 西区, SE
    assert rates["rate"].tolist() == pytest.approx([0.871527777777778, 0.929292929292929], **TOL)
    assert rates["se"].tolist() == pytest.approx(list(by_se), **TOL)


def test_plain_function_and_with_options_take_fpc(callback):
    # R: SE(svymean(~sat, svydesign(ids = ~1, strata = ~item_id, weights = ~w, fpc = ~cases)))
    pooled = sa.overall_rate(callback, items_as="strata", weight="w", fpc="cases").pooled
    assert pooled.se == pytest.approx(0.0200870049883566, **TOL)
    plain = sa.Survey(callback, items_as="strata", weight="w", groups=["cases"])
    assert plain.with_options(fpc="cases").overall().pooled.se == pytest.approx(0.0200870049883566, **TOL)
    assert plain.with_options(fpc="cases").options["fpc"] == "cases" and plain.fpc is None


def test_fpc_errors_name_the_stratum(clustered):
    # Below the sample: R "FPC implies >100% sampling in some strata" (reference_fpc.out).
    small = clustered.assign(N_small=np.minimum(clustered["N_items"], 3))
    with pytest.raises(ValueError, match=r"stratum 'D2' has a population of 3 but 4 sampling units"):
        sa.Survey(small, strata="district", weight="w", fpc="N_small").overall()
    varies = clustered.assign(N_bad=clustered["N_items"] + (clustered["item_id"] == "D1_I1"))
    with pytest.raises(ValueError, match=r"varies within stratum 'D1' \(10 to 11\)"):
        sa.Survey(varies, strata="district", weight="w", fpc="N_bad").overall()
    # A fraction cannot exceed 1: 0.3 beside 25 mixes fractions and sizes.
    mixed = clustered.assign(f_bad=np.where(clustered["district"] == "D1", 0.3, clustered["N_items"]))
    with pytest.raises(ValueError, match=r"mixes sampling fractions .* a fraction cannot exceed 1"):
        sa.Survey(mixed, strata="district", weight="w", fpc="f_bad").overall()
    negative = clustered.assign(f_neg=-1.0)
    with pytest.raises(ValueError, match=r"must hold numbers > 0"):
        sa.Survey(negative, strata="district", weight="w", fpc="f_neg").overall()
    with pytest.raises(ValueError, match=r"fpc= is one column name"):
        sa.Survey(clustered, strata="district", fpc=["N_items"])


def test_fpc_cli_flag_is_built_from_the_design_options():
    from survey_analysis.design.options import DESIGN_OPTIONS
    from survey_analysis.present.cli import ANALYSIS_FLAGS

    assert DESIGN_OPTIONS["fpc"].flag == "--fpc"
    assert ANALYSIS_FLAGS["fpc"][0] == "--fpc"
