"""sa.track: p and Laney p' control charts of a rate over periods, the Making Data Count
rules, periods from dates, the synthetic monthly series and the control chart plot.

Reference values are hand computations written out beside them (p-chart: Montgomery 2013,
sec. 7.2; Laney p': Laney 2002, Quality Engineering 14(4) 531-537), recomputed with plain
numpy on literal numbers, independent of the implementation's code path. Rule
expectations follow NHS England "Making data count" as operationalised by the R package
NHSRplotthedots (R/ptd_calculate_point_type.R, R/ptd_spc_standard.R).
"""

import warnings

import numpy as np
import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis.estimate.tracking import _rules
from survey_analysis.words import SurveyError


def _responses(periods, n, satisfied, column="period", **extra):
    """Tidy yes/no answers, ``satisfied[i]`` of ``n[i]`` satisfied in ``periods[i]``; every
    answer its own item (cluster), so the design effect is 1."""
    rows = []
    for label, size, yes in zip(periods, n, satisfied):
        rows += [{column: label, "rank": 1 if i < yes else 2} for i in range(size)]
    frame = pd.DataFrame(rows).assign(scale="yes_no", **extra)
    frame["item_id"] = [f"a{i}" for i in range(len(frame))]
    return frame


N = [50, 40, 60, 50, 50]
K = [45, 34, 54, 44, 30]
PERIODS = ["2021-01", "2021-02", "2021-03", "2021-04", "2021-05"]


def test_p_chart_limits_by_hand():
    table = sa.track(_responses(PERIODS, N, K), "period", chart="p")
    # p̄ = (45+34+54+44+30) / (50+40+60+50+50) = 207 / 250 = 0.828
    # σ_i = sqrt(0.828 * 0.172 / n_i): n=50 -> sqrt(0.142416/50) = 0.0533697;
    #   n=40 -> 0.0596691; n=60 -> 0.0487196
    # lcl = 0.828 - 3σ: 0.667891, 0.648993, 0.681841; ucl = 0.828 + 3σ: 0.988109,
    #   1.007007 -> clipped to 1, 0.974159
    sigma = np.sqrt(0.828 * 0.172 / np.array(N, dtype=float))
    assert table["center"].tolist() == pytest.approx([0.828] * 5)
    assert table["lcl"].to_numpy() == pytest.approx(0.828 - 3 * sigma)
    assert table["ucl"].to_numpy() == pytest.approx(np.minimum(0.828 + 3 * sigma, 1.0))
    assert table["lcl"].iloc[1] == pytest.approx(0.648993, abs=1e-6)
    assert table["ucl"].iloc[1] == 1.0  # 1.007007 clipped
    # Period 5: 30/50 = 0.60 < 0.667891: outside the limits, and only there.
    assert table["signal"].tolist() == [False, False, False, False, True]
    assert table["rule"].iloc[4] == "outside the limits"
    assert table["rule"].iloc[4].render("zh") == "超出控制限"
    assert list(table.columns) == ["period", "n", "satisfied", "rate", "ci_low", "ci_high", "center",
                                   "lcl", "ucl", "signal", "rule"]
    assert table.attrs["chart"] == "p" and table.attrs["design_effect"] == 1.0


def test_laney_limits_by_hand():
    table = sa.track(_responses(PERIODS, N, K), "period")
    # p_i = 0.90, 0.85, 0.90, 0.88, 0.60; p̄ = 0.828; σ_pi as in the p-chart test.
    # z_i = (p_i - p̄)/σ_pi = 1.349081, 0.368700, 1.477844, 0.974336, -4.272091
    # MR = |Δz| = 0.980381, 1.109144, 0.503508, 5.246427; mean 1.959865
    # σ_z = 1.959865 / 1.128 = 1.737469
    # limits p̄ ± 3 σ_pi σ_z: n=50 -> 0.549816, 1.106184 (-> 1); n=40 -> 0.516980;
    #   n=60 -> 0.574054
    p = np.array([0.90, 0.85, 0.90, 0.88, 0.60])
    sigma_p = np.sqrt(0.828 * 0.172 / np.array([50.0, 40.0, 60.0, 50.0, 50.0]))
    z = (p - 0.828) / sigma_p
    sigma_z = np.mean(np.abs(np.diff(z))) / 1.128
    assert sigma_z == pytest.approx(1.737469, abs=1e-6)
    assert table.attrs["sigma_z"] == pytest.approx(sigma_z)
    assert table["lcl"].to_numpy() == pytest.approx(0.828 - 3 * sigma_p * sigma_z)
    assert table["lcl"].iloc[0] == pytest.approx(0.549816, abs=1e-6)
    assert (table["ucl"] == 1.0).all()  # 1.106184 etc., clipped
    assert not table["signal"].any()  # 0.60 is inside Laney's wider limits


def test_baseline_uses_the_first_periods_only():
    table = sa.track(_responses(PERIODS, N, K), "period", chart="p", baseline=4)
    # p̄ = (45+34+54+44) / (50+40+60+50) = 177/200 = 0.885 over the first 4 periods
    # σ_5 = sqrt(0.885 * 0.115 / 50) = 0.0451165; lcl_5 = 0.885 - 0.135350 = 0.749650
    assert table["center"].tolist() == pytest.approx([0.885] * 5)
    assert table["lcl"].iloc[4] == pytest.approx(0.885 - 3 * np.sqrt(0.885 * 0.115 / 50))
    assert table.attrs["baseline"] == 4
    laney = sa.track(_responses(PERIODS, N, K), "period", baseline=4)
    # σ_z from the first 4 periods only: z = (p_i - 0.885)/σ_pi, MR over 3 pairs.
    p = np.array([0.90, 0.85, 0.90, 0.88])
    z = (p - 0.885) / np.sqrt(0.885 * 0.115 / np.array([50.0, 40.0, 60.0, 50.0]))
    assert laney.attrs["sigma_z"] == pytest.approx(np.mean(np.abs(np.diff(z))) / 1.128)
    for bad in (1, 6, 2.5, True):
        with pytest.raises(ValueError, match="baseline"):
            sa.track(_responses(PERIODS, N, K), "period", baseline=bad)


def _fired(rate, center=0.5, sigma=0.1, rules="nhs", group=None):
    rate = np.asarray(rate, dtype=float)
    size = len(rate)
    group = np.zeros(size, dtype=np.int64) if group is None else np.asarray(group)
    fired = _rules(rate, np.full(size, center), np.full(size, center - 3 * sigma),
                   np.full(size, center + 3 * sigma), np.full(size, sigma), group, rules)
    return {name: np.flatnonzero(mask).tolist() for name, mask in fired.items()}


def test_rule_one_point_outside():
    # limits 0.5 ± 0.3 = [0.2, 0.8]: only 0.85 (point 2) is outside; 0.8 on the limit is not.
    fired = _fired([0.5, 0.45, 0.85, 0.55, 0.8])
    assert fired["outside"] == [2]
    assert fired["run"] == fired["trend"] == fired["near"] == []


def test_rule_run_of_seven_and_a_point_on_the_centre_breaks_it():
    # Points 1-7 above the centre (7 in a row): all 7 flagged; alternate steps, no trend.
    above = [0.4, 0.6, 0.55, 0.6, 0.55, 0.6, 0.55, 0.6, 0.4]
    assert _fired(above)["run"] == [1, 2, 3, 4, 5, 6, 7]
    assert _fired(above)["trend"] == []
    # Six above, then one exactly on the centre, then more above: no run of 7.
    broken = [0.4, 0.6, 0.55, 0.6, 0.55, 0.6, 0.55, 0.5, 0.6, 0.55]
    assert _fired(broken)["run"] == []
    # Six below is not enough either.
    assert _fired([0.45] * 6 + [0.55])["run"] == []


def test_rule_trend_of_seven():
    # Points 1-7 rise at every step (6 rises): all 7 flagged, not points 0 or 8.
    rising = [0.45, 0.40, 0.42, 0.44, 0.46, 0.48, 0.50, 0.52, 0.49]
    assert _fired(rising)["trend"] == [1, 2, 3, 4, 5, 6, 7]
    # A tie breaks it: 6 points then an equal value.
    tied = [0.40, 0.42, 0.44, 0.46, 0.46, 0.48, 0.50, 0.52]
    assert _fired(tied)["trend"] == []
    # Falling counts too.
    assert _fired([0.6, 0.58, 0.56, 0.54, 0.52, 0.50, 0.48])["trend"] == [0, 1, 2, 3, 4, 5, 6]


def test_rule_two_of_three_near_a_limit():
    # σ = 0.1: "near" = beyond 0.5 ± 0.2 and inside the limits [0.2, 0.8].
    # Points 2 and 4 are near (0.75, 0.72) with 3 between them on the same side: flagged.
    fired = _fired([0.5, 0.45, 0.75, 0.6, 0.72, 0.5])
    assert fired["near"] == [2, 4]
    # Near points on opposite sides: nothing.
    assert _fired([0.5, 0.75, 0.25, 0.5])["near"] == []
    # A near point next to a point below the centre: the window is not on one side.
    assert _fired([0.75, 0.45, 0.75])["near"] == []
    # A point outside the limits does not count as near.
    assert _fired([0.85, 0.75, 0.6])["near"] == []


def test_rules_stop_at_group_boundaries_and_limits_rule_set():
    # 4 above in group 0 and 4 above in group 1: no run of 7 across groups.
    fired = _fired([0.6] * 8, group=[0] * 4 + [1] * 4)
    assert fired["run"] == []
    assert set(_fired([0.9, 0.6] * 5, rules="limits")) == {"outside"}


def test_track_names_every_rule_at_each_point():
    # 7 periods of 100 answers at 90% then 7 at 70%, p-chart, baseline 7: centre 0.90,
    # σ = sqrt(0.9*0.1/100) = 0.03, lcl = 0.81: points 7-13 are outside and make a run.
    n = [100] * 14
    k = [90] * 7 + [70] * 7
    labels = [f"P{i:02d}" for i in range(14)]
    table = sa.track(_responses(labels, n, k), "period", chart="p", baseline=7)
    assert table["signal"].tolist() == [False] * 7 + [True] * 7
    assert table["rule"].iloc[7] == "outside the limits; run of 7 on one side of the centre"
    assert table["rule"].iloc[7].render("zh") == "超出控制限；连续 7 点位于中心线同侧"
    assert table["rule"].iloc[0] == ""


def test_bad_options_name_the_allowed_ones():
    r = _responses(PERIODS, N, K)
    with pytest.raises(ValueError, match="'laney', 'p'"):
        sa.track(r, "period", chart="u")
    with pytest.raises(ValueError, match="'nhs', 'limits'"):
        sa.track(r, "period", rules="western")
    with pytest.raises(ValueError, match="'M', 'Q', 'W'"):
        sa.track(r, "period", freq="D")


def test_monthly_periods_from_day_first_dates_with_an_empty_month():
    # 13/01/2021 has a first field above 12: day first. No answer in February.
    dates = ["13/01/2021", "02/01/2021", "05/03/2021", "31/03/2021"]
    r = _responses(dates, [10, 10, 10, 10], [9, 8, 7, 10], column="date")
    table = sa.track(r, "date", freq="M")
    assert table["period"].tolist() == ["2021-01", "2021-02", "2021-03"]
    assert table["n"].tolist() == [20, 0, 20]
    assert table["satisfied"].tolist() == [17, 0, 17]
    empty = table.iloc[1]
    assert np.isnan(empty["rate"]) and np.isnan(empty["lcl"]) and not empty["signal"]
    # Quarters and ISO weeks: 2021-01-13 is in ISO week 2, 2021-03-31 in week 13.
    assert sa.track(r, "date", freq="Q")["period"].tolist() == ["2021Q1"]
    weeks = sa.track(r, "date", freq="W")["period"].tolist()
    assert weeks[0] == "2020-W53" and weeks[-1] == "2021-W13"  # 2 Jan 2021 is in 2020-W53
    # The same dates given with their format, and ISO dates.
    assert sa.track(r, "date", freq="M", date_format="%d/%m/%Y")["n"].tolist() == [20, 0, 20]
    iso = r.assign(date=pd.to_datetime(r["date"], format="%d/%m/%Y").dt.strftime("%Y-%m-%d"))
    assert sa.track(iso, "date", freq="M")["n"].tolist() == [20, 0, 20]


def test_ambiguous_and_bad_dates_are_refused_with_their_lines():
    r = _responses(["01/02/2021", "03/04/2021"], [2, 2], [1, 2], column="date")
    r["source_line"] = [11, 12, 13, 14]
    with pytest.raises(ValueError) as error:
        sa.track(r, "date", freq="M")
    text = str(error.value)
    assert "'01/02/2021' (line 11)" in text and "(line 14)" in text
    assert "date_format='%d/%m/%Y'" in text and "date_format='%m/%d/%Y'" in text
    mixed = r.assign(date=["13/02/2021", "01/02/2021", "02/13/2021", "01/02/2021"])
    with pytest.raises(ValueError, match="mix day first"):
        sa.track(mixed, "date", freq="M")
    bad = r.assign(date=["13/02/2021", "not a date", "31/02/2021", "01/02/2021"])
    with pytest.raises(ValueError) as error:
        sa.track(bad, "date", freq="M")
    assert "'not a date' (line 12)" in str(error.value) and "'31/02/2021' (line 13)" in str(error.value)
    assert error.value.code == "estimate.tracking.date_unparsed"


def test_a_period_with_one_answer_and_rates_at_0_and_1():
    r = _responses(["A", "B", "C", "D"], [1, 30, 30, 30], [1, 30, 0, 20])
    for chart in ("p", "laney"):
        table = sa.track(r, "period", chart=chart)
        assert table["n"].tolist() == [1, 30, 30, 30]
        assert table["rate"].tolist() == pytest.approx([1.0, 1.0, 0.0, 2 / 3])
        assert (table["lcl"] >= 0).all() and (table["ucl"] <= 1).all()
    # p-chart: p̄ = 51/91; n=1 -> σ = sqrt(p̄(1-p̄)) = 0.4963 -> limits clipped to [0, 1].
    table = sa.track(r, "period", chart="p")
    assert table["lcl"].iloc[0] == 0.0 and table["ucl"].iloc[0] == 1.0
    assert table["signal"].iloc[2]  # 0% of 30 is far below p̄ = 0.56


def test_weighted_or_clustered_answers_use_an_effective_n():
    # Items as clusters with very different items: d is the mean design effect of the months'
    # rates (their clustering within a month) and the p-chart limits widen by sqrt(d).
    rows = []
    for m in range(6):
        for item, rate in (("x", 0.95), ("y", 0.6), ("z", 0.8)):
            rows += [{"month": f"M{m}", "item_id": item, "rank": 1 if i < 20 * rate else 2}
                     for i in range(20)]
    r = pd.DataFrame(rows).assign(scale="yes_no")
    table = sa.track(r, "month", chart="p")
    d = table.attrs["design_effect"]
    # By hand, one month (every month alike): items of 20 with 19, 12, 16 satisfied, p = 47/60.
    # Linearized item totals (y_c - p n_c) / N = 3.3333, -3.6667, 0.3333 (/60), mean 0;
    # V = 3/2 * (11.1111 + 13.4444 + 0.1111) / 3600 = 0.0102778 (with-replacement clusters);
    # binomial p(1-p)/n = 0.783333 * 0.216667 / 60 = 0.0028287; d = 0.0102778 / 0.0028287 = 3.6334.
    p = 47 / 60
    totals = np.array([19, 12, 16]) - p * 20
    by_hand = 1.5 * np.sum((totals / 60) ** 2) / (p * (1 - p) / 60)
    assert by_hand == pytest.approx(3.6334, abs=1e-4) and d == pytest.approx(by_hand, rel=1e-10)
    center = table["center"].iloc[0]
    assert table["ucl"].iloc[0] == pytest.approx(min(1.0, center + 3 * np.sqrt(center * (1 - center) * d / 60)))
    assert "effective n" in table.attrs["note"]
    plain = sa.track(sa.Survey(r, cluster=[]), "month", chart="p")
    assert plain.attrs["design_effect"] == 1.0
    assert plain.attrs["note"].render("zh").startswith("控制限使用各时期的 n")


def test_by_groups_one_series_each():
    r = pd.concat([_responses(PERIODS, N, K, district="E"),
                   _responses(PERIODS[:3], [20, 20, 20], [10, 15, 20], district="W")])
    r["item_id"] = [f"a{i}" for i in range(len(r))]
    table = sa.track(r, "period", by="district", chart="p")
    assert list(table.columns[:2]) == ["district", "period"]
    assert table["district"].tolist() == ["E"] * 5 + ["W"] * 5
    assert table.loc[table["district"] == "W", "n"].tolist() == [20, 20, 20, 0, 0]
    # Each group's own centre: W 45/60 = 0.75, E 0.828.
    assert table.loc[table["district"] == "W", "center"].iloc[0] == pytest.approx(0.75)
    assert table.loc[table["district"] == "E", "center"].iloc[0] == pytest.approx(0.828)


def _fft():
    path = sa.fft_responses_path()
    return sa.load_responses(path, columns={"item_id": ["trust", "service_type_1", "service_type_2"],
                                            "rating": "fft_code"},
                             scale="fft", unknown_labels="exclude", keep_columns=["date"])


def test_fft_respondents_month_by_month():
    r = _fft()
    # The file mixes date orders: most dates are day first (30/09/2021), but one block of
    # NEAS "See and Convey" answers (file lines 2376-2626, in date order 10/03/2021 ...
    # 9/30/2022) is month first (10/17/2021). Detection refuses, naming lines.
    with pytest.raises(ValueError) as error:
        sa.track(r, "date", freq="M")
    assert "(line 2386)" in str(error.value) and error.value.code == "estimate.tracking.date_both_orders"
    # The analyst's fix: parse each block in its own order and pass the dates.
    block = r["source_line"].between(2376, 2626).to_numpy()
    dates = pd.to_datetime(r["date"].where(~block), format="%d/%m/%Y")
    dates = dates.fillna(pd.to_datetime(r["date"].where(block), format="%m/%d/%Y"))
    table = sa.track(r.assign(date=dates), "date", freq="M")
    assert table["period"].tolist() == [str(p) for p in pd.period_range("2021-04", "2022-09", freq="M")]
    assert table["period"].is_unique
    assert table["n"].sum() == len(r) == 4227
    assert table.attrs["design_effect"] > 1  # answers clustered by service
    by_trust = sa.track(r.assign(date=dates, trust=r["item_id"].str[:4]), "date", freq="M", by="trust")
    assert by_trust.groupby("trust")["n"].sum().to_dict() == {"NEAS": 2915, "NHFT": 1312}


def test_synthetic_monthly_shift_is_found_at_the_shift_and_not_before():
    r = sa.generate_synthetic_monthly(months=24, shift_at=16, shift=-0.04, seed=20261206)
    assert r["month"].nunique() == 24
    # Centre and σ_z from the 15 months before the shift.
    table = sa.track(r, "month", baseline=15)
    flagged = np.flatnonzero(table["signal"].to_numpy())
    assert len(flagged) and flagged.min() >= 15  # month 16 is index 15
    assert table["signal"].iloc[15]  # found at the shift itself (seed 20261206)
    assert (table["rate"].iloc[15:] < table["center"].iloc[15:]).all()
    with pytest.raises(ValueError, match="shift_at"):
        sa.generate_synthetic_monthly(months=10, shift_at=11)


@pytest.mark.parametrize("lang", ["en", "zh", None])
def test_control_chart_draws_without_warnings(lang):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = sa.track(sa.generate_synthetic_monthly(), "month", baseline=15)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = sa.plots.control_chart(table, lang=lang)
        ax.figure.canvas.draw()
    try:
        assert ax.get_xticklabels()[0].get_text() == "2024-01"
        labels = ax.get_legend_handles_labels()[1]
        assert any(("signal" in t) or ("信号" in t) for t in labels)
    finally:
        plt.close(ax.figure)


def test_control_chart_of_groups_needs_a_group():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    r = pd.concat([_responses(PERIODS, N, K, district="E"), _responses(PERIODS, N, K, district="W")])
    r["item_id"] = [f"a{i}" for i in range(len(r))]
    table = sa.track(r, "period", by="district")
    with pytest.raises(SurveyError, match="'E', 'W'"):
        sa.plots.control_chart(table)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = sa.plots.control_chart(table, group="W", lang="zh")
        ax.figure.canvas.draw()
    assert "W" in ax.get_title()
    plt.close(ax.figure)
