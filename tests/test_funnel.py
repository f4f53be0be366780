"""Funnel limits and over-dispersion against R (qbinom/pbinom, the Spiegelhalter 2005 formulas
written in R), the R - U quantile identity, flags, edges and properties."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from survey_analysis.estimate.funnel import (
    Overdispersion,
    estimate_overdispersion,
    funnel_limits,
    funnel_table,
)

# Dataset D1 (same 20 items as tests/test_shrinkage.py and tests/R/reference_shrinkage.R).
N1 = np.array([51, 12, 17, 20, 17, 50, 54, 38, 10, 12, 25, 30, 40, 33, 22, 16, 44, 46, 9, 14])
K1 = np.array([48, 10, 17, 19, 17, 40, 52, 35, 8, 12, 23, 27, 37, 25, 18, 13, 43, 42, 9, 14])

# R 4.2.2, tests/R/reference_funnel.R (output in tests/R/reference_funnel.out), for R_NS:
#   qbinom(p, ns, t); interpolated limit (Spiegelhalter 2005a, Appendix, written literally):
#   r <- qbinom(p, ns, t); a <- (pbinom(r, ns, t) - p) / (pbinom(r, ns, t) - pbinom(r - 1, ns, t))
#   pmin(pmax((r - a) / ns, 0), 1);  normal: t -/+ qnorm(1 - (1 - level)/2) sqrt(t (1 - t) / ns)
#   clipped to [0, 1].
R_NS = [1, 5, 10, 20, 30, 50, 71, 72, 100, 152, 500]
R_LIMITS = {
    'qbinom(0.001, ns, 0.8)': [0, 1, 4, 10, 17, 31, 46, 46, 67, 106, 372],
    'interpolated limit p=0.001 target=0.8': [
        0, 0.02125, 0.302463960193452, 0.46074587371573, 0.53481398380427, 0.600855902324962,
        0.635473789088023, 0.636848586667139, 0.663234148483358, 0.691315293182445,
        0.742105344993855],
    'qbinom(0.025, ns, 0.8)': [0, 2, 5, 12, 19, 34, 50, 51, 72, 112, 382],
    'interpolated limit p=0.025 target=0.8': [
        0, 0.27140625, 0.470506117078993, 0.583884520549027, 0.632059272993679, 0.672906116647942,
        0.695495932288335, 0.696660583240756, 0.713523914966408, 0.731247641367363,
        0.763353592174412],
    'qbinom(0.975, ns, 0.8)': [1, 5, 10, 19, 28, 45, 63, 64, 88, 131, 417],
    'interpolated limit p=0.975 target=0.8': [
        0.96875, 0.9847412109375, 0.976716935634613, 0.93831595655029, 0.918994833197048,
        0.895595177987731, 0.882448216114128, 0.882003446668258, 0.870257767284931,
        0.8585901225888, 0.833505393288885],
    'qbinom(0.999, ns, 0.8)': [1, 5, 10, 20, 30, 48, 66, 67, 91, 136, 427],
    'interpolated limit p=0.999 target=0.8': [
        0.99875, 0.9993896484375, 0.999068677425385, 0.995663191310058, 0.973073547768458,
        0.945223856792492, 0.926549048415304, 0.926117337796972, 0.9090217474354,
        0.891116043049372, 0.852510441727207],
    'normal lower level=0.95 target=0.8': [
        0.0160144061839786, 0.449390983769368, 0.552081987078175, 0.624695491884684,
        0.656864468502627, 0.689127694052026, 0.706958027697093, 0.707606411710022,
        0.721601440618398, 0.73641037141256, 0.764939098376937],
    'normal upper level=0.95 target=0.8': [
        1, 1, 1, 0.975304508115316, 0.943135531497373, 0.910872305947974, 0.893041972302907,
        0.892393588289979, 0.878398559381602, 0.86358962858744, 0.835060901623063],
    'normal lower level=0.998 target=0.8': [
        0, 0.247202439771426, 0.409113096538997, 0.523601219885713, 0.57432134106409,
        0.62519006246936, 0.653302759179278, 0.6543250520578, 0.676390707753287,
        0.699739624733853, 0.744720243977143],
    'normal upper level=0.998 target=0.8': [
        1, 1, 1, 1, 1, 0.97480993753064, 0.946697240820722, 0.9456749479422, 0.923609292246713,
        0.900260375266147, 0.855279756022857],
    'qbinom(0.001, ns, 0.95)': [0, 2, 6, 15, 24, 42, 61, 62, 87, 135, 459],
    'interpolated limit p=0.001 target=0.95': [
        0, 0.37196675900277, 0.597046258452821, 0.714940121347568, 0.771914747720403,
        0.822006409052456, 0.846686178622748, 0.848036987958361, 0.86536150456203,
        0.883919377222672, 0.916400760427714],
    'qbinom(0.025, ns, 0.95)': [0, 4, 8, 17, 26, 44, 63, 64, 90, 139, 465],
    'interpolated limit p=0.025 target=0.95': [
        0, 0.602364622739236, 0.718083310852756, 0.807635234983096, 0.840249083697403,
        0.870168289279597, 0.887143454081741, 0.887179145416551, 0.898092655976125,
        0.909212890857932, 0.92900911701501],
    'qbinom(0.975, ns, 0.95)': [1, 5, 10, 20, 30, 50, 71, 71, 99, 149, 484],
    'interpolated limit p=0.975 target=0.95': [
        0.973684210526316, 0.993538222825501, 0.995824543574712, 0.996513112728105,
        0.996117507769683, 0.99350184988426, 0.986562895816492, 0.986095546307758,
        0.983877068563928, 0.9786889492176, 0.967287459710439],
    'qbinom(0.999, ns, 0.95)': [1, 5, 10, 20, 30, 50, 71, 72, 100, 151, 489],
    'interpolated limit p=0.999 target=0.95': [
        0.998947368421053, 0.99974152891302, 0.999832981742989, 0.999860524509124,
        0.999844700310787, 0.99974007399537, 0.99946251583266, 0.999442085147936,
        0.998310961802932, 0.992243198032555, 0.976420567807375],
    'normal lower level=0.95 target=0.95': [
        0.522835752920529, 0.758966341194558, 0.814918804423794, 0.854483170597279,
        0.872010835371621, 0.889589852841932, 0.89930493065299, 0.89965821070161,
        0.907283575292053, 0.915352404391258, 0.930896634119456],
    'normal upper level=0.95 target=0.95': [
        1, 1, 1, 1, 1, 1, 1, 1, 0.992716424707947, 0.984647595608742, 0.969103365880544],
    'normal lower level=0.998 target=0.95': [
        0.276499483267493, 0.648801412340976, 0.737020436182493, 0.799400706170488,
        0.827036191498073, 0.85475264349716, 0.870070193995778, 0.8706272029143,
        0.882649948326749, 0.895371894521675, 0.919880141234098],
    'normal upper level=0.998 target=0.95': [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.980119858765902],
}

# R 4.2.2, tests/R/reference_funnel.R: over-dispersion of D1 written from Spiegelhalter (2005b):
#   z <- (k/n - t) / sqrt(t (1 - t) / n); qz <- quantile(z, c(.1, .9), type = 7)
#   zw <- pmin(pmax(z, qz[1]), qz[2]); phi <- mean(zw^2); w <- n / (t (1 - t))
#   tau2 <- max(0, (I phi - (I - 1)) / (sum(w) - sum(w^2) / sum(w)))
#   p <- pchisq(I phi, df, lower.tail = FALSE)  (df = I - 1 for the pooled target, I for 0.95)
#   additive limits t -/+ z_q sqrt(t (1 - t) / n + tau2); multiplicative t -/+ z_q sqrt(max(phi, 1)
#   t (1 - t) / n), clipped to [0, 1]; additive z (k/n - t) / sqrt(t (1 - t) / n + tau2);
#   p_above = pbinom(k - 1, n, .95, lower.tail = FALSE) = binom.test(k, n, .95, "greater")$p.value
#   p_below = pbinom(k, n, .95) = binom.test(k, n, .95, "less")$p.value
R_OD = {
    'D1 pooled target': [0.908928571428571],
    'D1 pooled z': [
        0.800443280021332, -0.910183818104589, 1.30512063891497, 0.638408785028746,
        1.30512063891497, -2.67713861252283, 1.38010202486837, 0.259766969872142,
        -1.1972527845581, 1.09652066275592, 0.192405602884684, -0.169975627242454,
        0.353287706918786, -3.0219795229392, -1.47940296209734, -1.34063258784166,
        1.57569359513894, 0.0970025095882209, 0.949614749721178, 1.18437768096124],
    'D1 pooled winsor quantiles': [-1.59917652713989, 1.31261877751031],
    'D1 pooled phi tau2': [1.15189441627441, 0.000637765359743006],
    'D1 pooled statistic df p': [23.0378883254881, 19, 0.235677111639992],
    'D1 pooled additive limits level=0.95 n=10,50,200 lower': [
        0.723864918268911, 0.815068725714154, 0.84536852356498],
    'D1 pooled additive limits level=0.95 n=10,50,200 upper': [1, 1, 0.972488619292163],
    'D1 pooled multiplicative limits level=0.95 n=10,50,200 lower': [
        0.717542477094176, 0.823338108052592, 0.866133339740582],
    'D1 pooled multiplicative limits level=0.95 n=10,50,200 upper': [
        1, 0.99451903480455, 0.951723803116561],
    'D1 pooled additive limits level=0.998 n=10,50,200 lower': [
        0.61714276097368, 0.760941807505109, 0.808714835442124],
    'D1 pooled additive limits level=0.998 n=10,50,200 upper': [1, 1, 1],
    'D1 pooled multiplicative limits level=0.998 n=10,50,200 lower': [
        0.607174306386697, 0.773979961601747, 0.841454266515159],
    'D1 pooled multiplicative limits level=0.998 n=10,50,200 upper': [1, 1, 0.976402876341984],
    'D1 pooled additive z': [
        0.678211815026842, -0.870817879595891, 1.22722333014119, 0.594263027345602,
        1.22722333014119, -2.27462633528072, 1.15977115216448, 0.228466543440213,
        -1.15363591522323, 1.04909555573363, 0.176184487581331, -0.153191047251575,
        0.308883162978871, -2.69835608108029, -1.36800040470963, -1.26493163739673,
        1.36169934304565, 0.0833504172776312, 0.918309962525616, 1.12524466745763],
    'D1 target=0.95 target': [0.95],
    'D1 target=0.95 z': [
        -0.289121654791455, -1.85434529989106, 0.945905302926918, 0, 0.945905302926918,
        -4.86664263392287, 0.437073378738123, -0.818755220321265, -2.17642875033003,
        0.794719414239027, -0.688247201611683, -1.25656172487508, -0.725476250110009,
        -5.07189145532603, -2.8368727306582, -2.52357307257618, 0.830057356639291,
        -1.15006715553595, 0.688247201611686, 0.858395075278953],
    'D1 target=0.95 winsor quantiles': [-3.03984972098467, 0.867146098043749],
    'D1 target=0.95 phi tau2': [2.49773253958639, 0.00280552560925401],
    'D1 target=0.95 statistic df p': [49.9546507917278, 20, 0.000224811126332173],
    'D1 target=0.95 additive limits level=0.95 n=10,50,200 lower': [
        0.779634978658619, 0.829888814101219, 0.841881280213522],
    'D1 target=0.95 additive limits level=0.95 n=10,50,200 upper': [1, 1, 1],
    'D1 target=0.95 multiplicative limits level=0.95 n=10,50,200 lower': [
        0.736514756234389, 0.854526496549396, 0.902263248274698],
    'D1 target=0.95 multiplicative limits level=0.95 n=10,50,200 upper': [1, 1, 0.997736751725302],
    'D1 target=0.95 additive limits level=0.998 n=10,50,200 lower': [
        0.681389200545105, 0.7606233227119, 0.779531581487664],
    'D1 target=0.95 additive limits level=0.998 n=10,50,200 upper': [1, 1, 1],
    'D1 target=0.95 multiplicative limits level=0.998 n=10,50,200 lower': [
        0.613402489852681, 0.799469017250684, 0.874734508625342],
    'D1 target=0.95 multiplicative limits level=0.998 n=10,50,200 upper': [1, 1, 1],
    'D1 target=0.95 additive z': [
        -0.144340001869938, -1.41856590889774, 0.668174387887416, 0, 0.668174387887416,
        -2.44768707827729, 0.213538597734933, -0.454554032049373, -1.72567464474938,
        0.607956818099032, -0.437337969293291, -0.754734482999494, -0.395629767571868,
        -2.95341892572248, -1.87082197733985, -1.80948065136844, 0.437551408309782,
        -0.596528236765775, 0.556129028465802, 0.635083470032236],
    'D1 p_above target=0.95': [
        0.74941421903857, 0.980431738002845, 0.418120335219177, 0.735839524943849,
        0.418120335219177, 0.999970353950468, 0.489224809119061, 0.879619122444365,
        0.988496442620703, 0.540360087662637, 0.872893504339067, 0.939228438691256,
        0.861850224498934, 0.999974889326638, 0.995977664691628, 0.992996092343793,
        0.347076797240267, 0.921388137118155, 0.630249409724609, 0.487674979115529],
    'D1 p_below target=0.95': [
        0.472521945800427, 0.118359856971487, 1, 0.641514077591458, 1, 0.000158563297623836,
        0.759206951650767, 0.295515805970567, 0.0861383558993166, 1, 0.357624146454701,
        0.18782118685304, 0.323264239251354, 0.000175552865002827, 0.0221824774303842,
        0.0429378534857728, 0.895326045276745, 0.196902855274604, 1, 1],
    'D1 binom.test greater p': [
        0.74941421903857, 0.980431738002845, 0.418120335219177, 0.735839524943849,
        0.418120335219177, 0.999970353950468, 0.489224809119061, 0.879619122444365,
        0.988496442620703, 0.540360087662637, 0.872893504339067, 0.939228438691256,
        0.861850224498934, 0.999974889326638, 0.995977664691628, 0.992996092343793,
        0.347076797240267, 0.921388137118155, 0.630249409724609, 0.487674979115529],
    'D1 binom.test less p': [
        0.472521945800427, 0.118359856971487, 1, 0.641514077591458, 1, 0.000158563297623836,
        0.759206951650767, 0.295515805970567, 0.0861383558993166, 1, 0.357624146454701,
        0.18782118685304, 0.323264239251354, 0.000175552865002827, 0.0221824774303842,
        0.0429378534857728, 0.895326045276745, 0.196902855274604, 1, 1],
}


@pytest.mark.parametrize("target", [0.8, 0.95])
@pytest.mark.parametrize(("level", "p_low", "p_high"), [(0.95, "0.025", "0.975"),
                                                         (0.998, "0.001", "0.999")])
def test_exact_limits_match_r(target, level, p_low, p_high):
    lim = funnel_limits(R_NS, target, confidence_levels=level)
    tag = f"target={target:g}"
    np.testing.assert_allclose(lim["lower"], R_LIMITS[f"interpolated limit p={p_low} {tag}"],
                               rtol=0, atol=1e-12)
    np.testing.assert_allclose(lim["upper"], R_LIMITS[f"interpolated limit p={p_high} {tag}"],
                               rtol=0, atol=1e-12)
    # The quantiles r_p themselves equal R's qbinom (checked through scipy, which the limits use).
    np.testing.assert_array_equal(stats.binom.ppf(float(p_low), R_NS, target),
                                  R_LIMITS[f"qbinom({p_low}, ns, {target:g})"])
    np.testing.assert_array_equal(stats.binom.isf(1 - float(p_high), R_NS, target),
                                  R_LIMITS[f"qbinom({p_high}, ns, {target:g})"])


@pytest.mark.parametrize("target", [0.8, 0.95])
def test_normal_limits_match_r(target):
    lim = funnel_limits(R_NS, target, method="normal")
    for level in (0.95, 0.998):
        rows = lim[lim["confidence_level"] == level]
        tag = f"level={level:g} target={target:g}"
        np.testing.assert_allclose(rows["lower"], R_LIMITS[f"normal lower {tag}"],
                                   rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(rows["upper"], R_LIMITS[f"normal upper {tag}"],
                                   rtol=1e-13, atol=1e-15)


def test_long_format_columns_and_order():
    lim = funnel_limits([0, 20, 5], 0.9, confidence_levels=(0.998, 0.95))
    assert list(lim.columns) == ["confidence_level", "n", "lower", "upper", "target", "method"]
    assert lim["confidence_level"].tolist() == [0.998] * 3 + [0.95] * 3
    assert lim["n"].tolist() == [0, 20, 5] * 2
    assert lim.loc[lim["n"] == 0, ["lower", "upper"]].isna().all().all()
    assert (lim["target"] == 0.9).all() and (lim["method"] == "exact").all()


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=2000), st.floats(min_value=0.02, max_value=0.98),
       st.sampled_from([0.8, 0.9, 0.95, 0.99, 0.998]))
def test_interpolated_limit_is_quantile_of_r_minus_uniform(n, target, level):
    """Spiegelhalter's interpolation = the exact p-quantile of R - U, U ~ Uniform(0, 1).

    For x in (j - 1, j]: P(R - U <= x) = F(j - 1) + P(R = j) (x - j + 1).
    """
    lim = funnel_limits(n, target, confidence_levels=level)
    q = (1 - level) / 2
    for p, limit in ((q, lim["lower"].iloc[0]), (1 - q, lim["upper"].iloc[0])):
        x = limit * n
        if limit == 0.0:  # clipped: the quantile of R - U is at or below 0
            assert stats.binom.cdf(0, n, target) >= p - 1e-12
            continue
        j = np.ceil(x - 1e-9)
        prob = stats.binom.cdf(j - 1, n, target) + stats.binom.pmf(j, n, target) * (x - j + 1)
        assert prob == pytest.approx(p, abs=1e-9)
    assert 0.0 <= lim["lower"].iloc[0] <= lim["upper"].iloc[0] <= 1.0


@pytest.mark.parametrize(("label", "target", "df"), [("D1 pooled", None, 19),
                                                    ("D1 target=0.95", 0.95, 20)])
def test_overdispersion_matches_r(label, target, df):
    est = estimate_overdispersion(K1, N1, target=target)
    assert isinstance(est, Overdispersion)
    assert est.target == pytest.approx(R_OD[f"{label} target"][0], rel=1e-14)
    assert (est.phi, est.tau2) == pytest.approx(R_OD[f"{label} phi tau2"], rel=1e-12)
    statistic, r_df, p_value = R_OD[f"{label} statistic df p"]
    assert est.df == df == r_df and est.n_items == 20 and est.winsorize == 0.1
    assert est.statistic == pytest.approx(statistic, rel=1e-12)
    assert est.p_value == pytest.approx(p_value, rel=1e-10)
    grid = [10, 50, 200]
    t = est.target
    np.testing.assert_allclose(est.sd(grid), np.sqrt(t * (1 - t) / np.array(grid) + est.tau2),
                               rtol=1e-15)
    for model in ("additive", "multiplicative"):
        est_m = estimate_overdispersion(K1, N1, target=target, model=model)
        lim = funnel_limits(grid, est_m.target, method="normal", overdispersion=est_m)
        for level in (0.95, 0.998):
            rows = lim[lim["confidence_level"] == level]
            key = f"{label} {model} limits level={level:g} n=10,50,200"
            np.testing.assert_allclose(rows["lower"], R_OD[f"{key} lower"], rtol=1e-12)
            np.testing.assert_allclose(rows["upper"], R_OD[f"{key} upper"], rtol=1e-12)


@pytest.mark.parametrize(("label", "target"), [("D1 pooled", None), ("D1 target=0.95", 0.95)])
def test_funnel_table_z_scores_match_r(label, target):
    rates = pd.DataFrame({"item_id": [f"事项{i}" for i in range(20)], "n": N1, "satisfied": K1})
    plain = funnel_table(rates, target=target)
    np.testing.assert_allclose(plain["z"], R_OD[f"{label} z"], rtol=1e-12, atol=1e-14)
    additive = funnel_table(rates, target=target, method="normal", overdispersion="additive")
    np.testing.assert_allclose(additive["z"], R_OD[f"{label} additive z"], rtol=1e-12, atol=1e-14)
    assert additive.attrs["overdispersion"].model == "additive"
    assert list(additive["item_id"]) == list(rates["item_id"])


def test_exact_flags_are_exact_binomial_tests_matching_r():
    rates = pd.DataFrame({"n": N1, "satisfied": K1})
    table = funnel_table(rates, target=0.95)
    np.testing.assert_allclose(table["p_above"], R_OD["D1 p_above target=0.95"], rtol=1e-12)
    np.testing.assert_allclose(table["p_below"], R_OD["D1 p_below target=0.95"], rtol=1e-12)
    below_95 = np.array(R_OD["D1 p_below target=0.95"]) < 0.025
    below_998 = np.array(R_OD["D1 p_below target=0.95"]) < 0.001
    assert (table["flag_95"] == "below").tolist() == below_95.tolist()
    assert (table["flag_99.8"] == "below").tolist() == below_998.tolist()
    assert not (table["flag_95"] == "above").any()  # every p_above in R is > 0.3


def test_100_percent_items_are_not_flagged_for_being_small():
    # R 4.2.2: qbinom(0.975, 20, 0.95) = 20 and the interpolated upper limit is 0.996513112728105
    # < 1, so "rate above the limit" would flag 20 of 20, which happens with probability
    # dbinom(20, 20, 0.95) = 0.358485922408542. The exact-test flag keeps it "within".
    rates = pd.DataFrame({"n": [20, 71, 72, 300], "satisfied": [20, 71, 72, 300]})
    table = funnel_table(rates, target=0.95)
    assert table["upper_95"].iloc[0] == pytest.approx(0.996513112728105, abs=1e-12)
    assert table["p_above"].iloc[0] == pytest.approx(0.358485922408542, rel=1e-12)
    # R: log(0.025) / log(0.95) = 71.9173821482846, so n of n is significantly above 0.95 from
    # n = 72 on (0.95^71 = 0.026 > 0.025 > 0.95^72 = 0.0249): the flag follows the exact test,
    # while the interpolated upper limit is below 1 for every n <= 71 (R qbinom(0.975, n, .95) = n).
    assert table["flag_95"].tolist() == ["within", "within", "above", "above"]
    assert table["p_above"].iloc[1:3].tolist() == pytest.approx([0.95**71, 0.95**72], rel=1e-12)
    assert (table["upper_95"].iloc[:2] < 1).all()
    assert R_LIMITS["qbinom(0.975, ns, 0.95)"][6] == 71  # n = 71
    # 300 of 300 at target 0.95: P = 0.95^300 = 2.07e-7 -> above the 99.8% limit too.
    assert table["flag_99.8"].tolist() == ["within", "within", "within", "above"]


@pytest.mark.parametrize("target", [0.8, 0.9, 0.95])
def test_exact_flags_versus_limits(target):
    # Every (k, n) with n <= 60: "below" <=> rate < lower limit;
    # "above" <=> (k - 1)/n > upper limit.
    n = np.repeat(np.arange(1, 61), np.arange(2, 62))
    k = np.concatenate([np.arange(m + 1) for m in range(1, 61)])
    table = funnel_table(pd.DataFrame({"n": n, "satisfied": k}), target=target)
    for label in ("95", "99.8"):
        below = table[f"flag_{label}"] == "below"
        above = table[f"flag_{label}"] == "above"
        np.testing.assert_array_equal(below, table["rate"] < table[f"lower_{label}"])
        np.testing.assert_array_equal(above, (k - 1) / n > table[f"upper_{label}"])


def test_normal_flags_match_z():
    rates = pd.DataFrame({"n": N1, "satisfied": K1})
    table = funnel_table(rates, method="normal", confidence_levels=0.95)
    z = table["z"].to_numpy()
    expected = np.where(z > 1.959963984540054, "above", np.where(z < -1.959963984540054, "below",
                                                                   "within"))
    assert table["flag_95"].tolist() == expected.tolist()
    assert "p_above" not in table.columns


def test_multiplicative_phi_below_one_does_not_narrow_limits():
    plain = funnel_limits([10, 100], 0.9, method="normal")
    under = funnel_limits([10, 100], 0.9, method="normal", overdispersion=0.5)
    over = funnel_limits([10, 100], 0.9, method="normal", overdispersion=4.0)
    pd.testing.assert_frame_equal(plain, under)
    # phi = 4 doubles the half-width (before clipping): 0.9 - 2 * 1.96 sqrt(0.09 / 100).
    assert over["lower"].iloc[1] == pytest.approx(0.9 - 2 * 1.959963984540054 * 0.03, rel=1e-12)


def test_empty_items_and_n_equals_one():
    rates = pd.DataFrame({"item_id": ["a", "b", "c"], "n": [0, 1, 1], "satisfied": [0, 0, 1]})
    table = funnel_table(rates, target=0.9)
    assert table["flag_95"].tolist() == ["no data", "within", "within"]
    assert np.isnan(table["z"].iloc[0]) and np.isnan(table["lower_95"].iloc[0])
    # 0 of 1 at target 0.9: P(R <= 0) = 0.1, not below the 95% limit.
    assert table["p_below"].iloc[1] == pytest.approx(0.1, rel=1e-14)
    # Default target: pooled rate of the items with respondents, 1/2.
    assert funnel_table(rates)["target"].iloc[0] == 0.5


@pytest.mark.parametrize(("call", "match"), [
    (lambda: funnel_limits(10, 0.9, method="wilson"), "unknown method 'wilson'"),
    (lambda: funnel_limits(10, 95), "strictly between 0 and 1"),
    (lambda: funnel_limits(10, 1.0), "strictly between 0 and 1"),
    (lambda: funnel_limits(10, 0.9, confidence_levels=95), "strictly between 0 and 1"),
    (lambda: funnel_limits(10, 0.9, confidence_levels=()), "at least one level"),
    (lambda: funnel_limits(-1, 0.9), "whole numbers >= 0"),
    (lambda: funnel_limits(10, 0.9, overdispersion=2.0), "method='normal'"),
    (lambda: funnel_limits(10, 0.9, method="normal", overdispersion=-1.0), "positive"),
    (lambda: funnel_limits(10, 0.9, method="normal", overdispersion="lots"), "Overdispersion"),
    (lambda: estimate_overdispersion([1], [2]), "at least two items"),
    (lambda: estimate_overdispersion([1, 2], [2, 3], winsorize=0.5), "winsorize"),
    (lambda: estimate_overdispersion([1, 2], [2, 3], model="random"), "unknown model"),
    (lambda: estimate_overdispersion([2, 3], [2, 3]), "strictly between 0 and 1"),
    (lambda: funnel_table(pd.DataFrame({"n": [1]})), "missing"),
    (lambda: funnel_table([1, 2]), "DataFrame"),
    (lambda: funnel_table(pd.DataFrame({"n": [10], "satisfied": [5]}), overdispersion="additive"),
     "method='normal'"),
    (lambda: funnel_table(pd.DataFrame({"n": [10], "satisfied": [5]}), method="normal",
                          overdispersion="both"), "unknown overdispersion"),
    (lambda: funnel_table(pd.DataFrame({"n": [0], "satisfied": [0]})), "no item has respondents"),
])
def test_bad_inputs(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=8),
       st.floats(min_value=0.01, max_value=0.99), st.sampled_from(["exact", "normal"]),
       st.floats(min_value=0.5, max_value=0.9999))
def test_limits_are_ordered_rates(ns, target, method, level):
    lim = funnel_limits(ns, target, confidence_levels=level, method=method)
    has = lim["n"] > 0
    low, high = lim.loc[has, "lower"], lim.loc[has, "upper"]
    assert ((0 <= low) & (low <= high) & (high <= 1)).all()
    if method == "normal":
        assert ((low <= target + 1e-15) & (target - 1e-15 <= high)).all()
