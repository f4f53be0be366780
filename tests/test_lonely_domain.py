"""Domains with lonely strata: ``lonely_domain=`` as R ``options(survey.adjust.domain.lonely)``.

Reference values: R 4.2.2, survey 4.1.1, tests/R/reference_lonely_domain.R (output
tests/R/reference_lonely_domain.out) on tests/data/reference/lonely_domain.csv: strata s1
(c1 c2 c3), s2 (c4 alone: a lonely stratum), s3 (c5 c6), s4 (c7 c8 c9); domain X in c1, c2,
half of c3 and c5 (one of s3's two clusters), domain Y the rest (one cluster of s1: c3, and
of s3: c6).
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import survey_analysis as sa

DATA = Path(__file__).parent / "data" / "reference" / "lonely_domain.csv"
TOL = dict(rel=1e-10)


@pytest.fixture(scope="module")
def answers():
    d = pd.read_csv(DATA)
    return d.assign(item_id=d["cluster"], scale="yes_no", rank=np.where(d["y"] == 1, 1, 2))


def survey(answers, rule, lonely_domain):
    return sa.Survey(answers, strata="stratum", lonely_cluster=rule, lonely_domain=lonely_domain,
                     groups=["domain"])


# reference_lonely_domain.out, "<rule> adjust.domain.lonely=<FALSE|TRUE> ...":
# svyby(~y, ~domain, des, svymean, covmat = TRUE), des = svydesign(ids = ~cluster,
# strata = ~stratum, data = d): (SE(svyby) for X, Y; sqrt(diag(vcov(svyby))) for X, Y)
R = {
    ("remove", False): ((0.0892077210375389, 0.0376705107851287), (0.0892077210375389, 0.0376705107851287)),
    ("certainty", False): ((0.0892077210375389, 0.0376705107851287), (0.0892077210375389, 0.0376705107851287)),
    ("adjust", False): ((0.0892077210375389, 0.0400747744700844), (0.0892077210375389, 0.0400747744700844)),
    ("average", False): ((0.0892077210375389, 0.0434981590846095), (0.103008203509632, 0.0434981590846095)),
    ("remove", True): ((0.0892077210375389, 0.0376705107851287), (0.0892077210375389, 0.0376705107851287)),
    ("certainty", True): ((0.0892077210375389, 0.0376705107851287), (0.0892077210375389, 0.0376705107851287)),
    ("adjust", True): ((0.109128538434612, 0.0403593326558043), (0.0892077210375389, 0.0400747744700844)),
    ("average", True): ((0.0895209147020751, 0.0745265001106989), (0.103008203509632, 0.0434981590846095)),
}


@pytest.mark.parametrize(("rule", "lonely_domain"), list(R))
def test_domain_rates_as_r(answers, rule, lonely_domain):
    se_svyby, se_vcov = R[(rule, lonely_domain)]
    rates = sa.domain_rates(survey(answers, rule, lonely_domain), "domain")
    # R: coef(svyby) 0.742857142857143 0.875
    assert rates["rate"].tolist() == pytest.approx([0.742857142857143, 0.875], **TOL)
    # Without the option: the whole design's variance, R's vcov(svyby(covmat = TRUE)) (which
    # differs from SE(svyby) only under "average", stratum s2 lying outside X). With it: R's
    # SE(svyby) under survey.adjust.domain.lonely = TRUE.
    expected = se_svyby if lonely_domain else se_vcov
    assert rates["se"].tolist() == pytest.approx(list(expected), **TOL)


@pytest.mark.parametrize(("rule", "lonely_domain"), list(R))
def test_subset_domain_as_r(answers, rule, lonely_domain):
    # R: SE(svymean(~y, subset(des, domain == "X"))) = SE(svyby) of X (same .out lines)
    se_svyby, se_vcov = R[(rule, lonely_domain)]
    pooled = survey(answers, rule, lonely_domain).subset(domain="X").overall().pooled
    assert pooled.estimate == pytest.approx(0.742857142857143, **TOL)
    assert pooled.se == pytest.approx(se_svyby[0] if lonely_domain else se_vcov[0], **TOL)


def test_average_without_option_is_the_whole_design_not_svyby(answers):
    # The documented difference: "average", lonely s2 outside X -- the package (and R's
    # vcov) 0.103008203509632; R's SE(svyby) 0.0892077210375389 (reference_lonely_domain.out).
    se = sa.domain_rates(survey(answers, "average", False), "domain")["se"].iloc[0]
    assert se == pytest.approx(0.103008203509632, **TOL)
    assert se != pytest.approx(0.0892077210375389, rel=1e-3)


def test_fail_names_the_strata_lonely_in_a_domain(answers):
    # R only warns ("Stratum (s3) has only one PSU at stage 1") and keeps the usual variance;
    # the package's "fail" stops and names them.
    with pytest.raises(ValueError, match=r"strata where a single cluster holds a domain .*'s1', 's3'"):
        sa.domain_rates(survey(answers, "fail", True), "domain")


def test_differences_keep_the_whole_design_correlation(answers):
    plain = survey(answers, "adjust", False)
    adjusted = survey(answers, "adjust", True)
    d0 = sa.domain_differences(plain, "domain")
    d1 = sa.domain_differences(adjusted, "domain")
    r0 = sa.domain_rates(plain, "domain")["se"].to_numpy()
    r1 = sa.domain_rates(adjusted, "domain")["se"].to_numpy()
    # V'_XY = V_XY * (se'_X se'_Y) / (se_X se_Y): the correlation is kept
    cov0 = (r0 @ r0 - d0["se"].iloc[0] ** 2) / 2
    cov1 = (r1 @ r1 - d1["se"].iloc[0] ** 2) / 2
    assert cov1 == pytest.approx(cov0 * np.prod(r1) / np.prod(r0), rel=1e-9)


def test_option_is_validated_and_reused(answers):
    with pytest.raises(ValueError, match=r"unknown lonely_domain 'yes'; allowed: False, True"):
        sa.Survey(answers, strata="stratum", lonely_domain="yes")
    s = survey(answers, "adjust", False)
    t = s.with_options(lonely_domain=True)
    assert t.lonely_domain and not s.lonely_domain and t.options["lonely_domain"] is True
    assert sa.domain_rates(t, "domain")["se"].iloc[0] == pytest.approx(0.109128538434612, **TOL)
