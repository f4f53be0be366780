"""Every plot returns its Axes, draws on a given Axes, and renders Chinese without missing glyphs."""

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis import plots

RATES = pd.DataFrame({"item_id": ["SX001", "SX002", "SX003"],
                      "name_zh": ["改善液化气小区积水问题", "解决民安馨苑小区电动车存放难问题", "占位事项 023（文章未列出）"],
                      "n": [32, 21, 13], "satisfied": [32, 20, 13], "rate": [1.0, 20 / 21, 1.0],
                      "ci_low": [0.89, 0.77, 0.77], "ci_high": [1.0, 0.99, 1.0]})


def test_forest_plot_order_and_given_axes():
    fig, ax = plt.subplots()
    try:
        assert plots.forest_plot(RATES, ax=ax, threshold=0.95) is ax
        # Sorted by rate, then lower bound: 20/21 first, then the two 100% items (0.77 < 0.89).
        assert [t.get_text() for t in ax.get_yticklabels()] == ["SX002", "SX003", "SX001"]
    finally:
        plt.close(fig)


def _every_plot(ax_factory):
    """Draw each plot with Chinese labels on the SYNTHETIC data; yield the Axes."""
    responses = sa.load_synthetic_responses()
    rates = sa.item_rates(responses).merge(sa.load_items(), on="item_id")
    funnel = sa.funnel_table(rates[["item_id", "n", "satisfied"]])
    yield plots.forest_plot(rates, ax=ax_factory(), label="name_zh", threshold=0.95, title="事项满意率")
    yield plots.funnel_plot(funnel, ax=ax_factory(),
                            limits=sa.funnel_limits(range(5, 120, 5), float(funnel["target"].iloc[0])))
    shares = sa.rating_shares(responses.merge(sa.load_items(), on="item_id"), by="name_zh")
    yield plots.diverging_bars(shares, by="name_zh", ax=ax_factory(), max_groups=15)
    five = pd.DataFrame({"item_id": ["甲"] * 5, "rating": ["非常满意", "满意", "一般", "不满意", "非常不满意"],
                         "scale": 5, "rank": [1, 2, 3, 4, 5]})
    yield plots.diverging_bars(sa.rating_shares(five, by="item_id"), ax=ax_factory())
    yield plots.sensitivity_plot(sa.definition_sensitivity(responses), ax=ax_factory())
    fit = sa.fit_beta_binomial(rates["satisfied"], rates["n"])
    yield plots.count_at_100_plot(sa.count_at_100_distribution(rates["n"], prior=fit), ax=ax_factory(),
                                  observed=int((rates["satisfied"] == rates["n"]).sum()))
    yield plots.coverage_plot(sa.exact_coverage(20, [0.9, 0.95, 0.99]), ax=ax_factory())
    implied = sa.implied_designs(152, 0.95, (11, 19), respondents=[20, 60, 100], spread=[0, 0.02],
                                 mean=[0.96])
    yield plots.implied_designs_plot(implied, ax=ax_factory(), lang="zh")
    rounds = sa.compare_rounds(sa.generate_synthetic_rounds())          # SYNTHETIC two rounds
    yield plots.rounds_plot(rounds, ax=ax_factory(), title="两轮调查各事项变化")
    yield plots.rounds_plot(rounds, ax=ax_factory(), kind="slope", lang="zh")
    coded = responses.assign(排队=(responses.index % 5 == 0).astype(int), 态度=(responses.index % 7 == 0).astype(int))
    yield plots.topics_plot(sa.topics(coded, ["排队", "态度"]), ax=ax_factory(), lang="zh")


def test_every_plot_uses_the_given_axes():
    made = []

    def factory():
        fig, ax = plt.subplots()
        made.append(ax)
        return ax

    try:
        for returned, given in zip(_every_plot(factory), iter(lambda: made[-1], None)):
            assert returned is given
    finally:
        plt.close("all")


def test_chinese_labels_render_without_missing_glyphs():
    if plots.use_cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-wqy-microhei; .ci/run does this)")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font" is a UserWarning
        try:
            for ax in _every_plot(lambda: plt.subplots(figsize=(8, 5))[1]):
                ax.figure.canvas.draw()
        finally:
            plt.close("all")


def test_shrinkage_rank_and_power_plots_with_chinese_labels():
    if plots.use_cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-wqy-microhei; .ci/run does this)")
    rates = sa.item_rates(sa.load_synthetic_responses())
    shrunk = sa.shrink_rates(rates[["item_id", "n", "satisfied"]])
    ranks = sa.rank_intervals(rates[["item_id", "n", "satisfied"]], draws=200)
    sizes = list(range(100, 140))
    power = sa.lower_bound_power(sizes, true_rate=0.98, threshold=0.95)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            for ax in (plots.shrinkage_plot(shrunk), plots.rank_interval_plot(ranks),
                       plots.power_curve_plot(sizes, power, marks={"first n": 120})):
                ax.figure.canvas.draw()
                assert ax.get_title()
        finally:
            plt.close("all")


def test_library_calls_leave_global_state_alone(tmp_path):
    # No rcParams rewritten, no backend switched, no threads left running (issue: a library
    # call must not change a notebook user's matplotlib set-up).
    import threading

    before, backend = dict(matplotlib.rcParams), matplotlib.get_backend()
    threads = threading.active_count()
    try:
        plots.forest_plot(RATES, label="name_zh", threshold=0.95)
        sa.write_report(sa.load_synthetic_responses(), tmp_path, lang="zh")   # SYNTHETIC data
        sa.binomial_ci(np.arange(300_000) % 7, np.full(300_000, 7))          # the threaded path
    finally:
        plt.close("all")
    assert dict(matplotlib.rcParams) == before and matplotlib.get_backend() == backend
    assert threading.active_count() == threads


def test_count_at_100_plot_shades_only_a_given_claim():
    chance = sa.count_at_100_distribution([30] * 50, rate=0.95)
    plain = plots.count_at_100_plot(chance, observed=10, lang="en")
    shaded = plots.count_at_100_plot(chance, observed=10, claimed=(11, 19), claimed_label="ten-plus",
                                     lang="en")
    try:
        plain_labels = [text.get_text() for text in plain.get_legend().get_texts()]
        assert sorted(plain_labels) == ["chance alone", "in the data: 10"]
        labels = [text.get_text() for text in shaded.get_legend().get_texts()]
        assert sorted(labels) == ["chance alone", "claimed 11-19 (ten-plus)", "in the data: 10"]
    finally:
        plt.close("all")


def test_implied_designs_plot_one_line_per_spread():
    # Two spreads at the one mean drawn -> two lines; x runs over the respondents of the grid.
    implied = sa.implied_designs(152, 0.95, (11, 19), respondents=[20, 60, 100], spread=[0, 0.02],
                                 mean=[0.96, 0.97])
    try:
        ax = plots.implied_designs_plot(implied, mean=0.97, lang="en")
        assert len(ax.get_lines()) == 2
        assert list(ax.get_lines()[0].get_xdata()) == [20, 60, 100]
        with pytest.raises(ValueError, match="0.99"):
            plots.implied_designs_plot(implied, mean=0.99)
    finally:
        plt.close("all")


def _two_rounds():
    # Item A: 2 of 4 then 4 of 4; B: 3 of 4 then 4 of 4; C asked in the later round only.
    first = pd.DataFrame({"item_id": list("AAAABBBB"), "scale": "yes_no",
                          "rank": [1, 1, 2, 2, 1, 1, 1, 2], "round": "第一轮"})
    second = pd.DataFrame({"item_id": list("AAAABBBBCC"), "scale": "yes_no", "rank": 1,
                           "round": "第二轮"})
    return sa.compare_rounds(pd.concat([first, second]), rounds=("第一轮", "第二轮"))


def test_rounds_plot_dumbbell_rows_legend_and_labels():
    result = _two_rounds()
    try:
        ax = plots.rounds_plot(result, lang="en")
        # Sorted by difference (the one-round item, without a difference, first).
        assert [t.get_text() for t in ax.get_yticklabels()] == ["C", "B", "A"]
        assert ax.get_title() == "Change per item, 第一轮 to 第二轮"
        legend = ax.get_legend()
        labels = [t.get_text() for t in legend.get_texts()]
        assert labels[:2] == ["第一轮", "第二轮"]
        assert set(labels[2:]) == {"no clear change", "in one round only"}
        assert "Holm adjustment over 2 items, 95%" in legend.get_title().get_text()
        assert "satisfied = yes" in ax.get_xlabel()
        zh = plots.rounds_plot(result, lang="zh")
        assert {t.get_text() for t in zh.get_legend().get_texts()} >= {"无明显变化", "仅一轮有回答"}
    finally:
        plt.close("all")


def test_rounds_plot_max_items_keeps_changed_items_and_says_so():
    result = sa.compare_rounds(sa.generate_synthetic_rounds())           # SYNTHETIC
    changed = set(result.improved["item_id"]) | set(result.worsened["item_id"])
    assert changed
    try:
        ax = plots.rounds_plot(result, max_items=10, lang="en")
        shown = {t.get_text() for t in ax.get_yticklabels()}
        assert len(shown) == 10 and changed <= shown
        assert "10 of 60 items shown" in ax.get_legend().get_title().get_text()
        slope = plots.rounds_plot(result, kind="slope", max_items=None, lang="en")
        assert [t.get_text() for t in slope.get_xticklabels()] == ["2026Q2", "2026Q3"]
        assert len(slope.get_lines()) >= 60                              # one line per item
        assert {t.get_text() for t in slope.texts} == changed            # changed items labelled
    finally:
        plt.close("all")


def test_rounds_plot_rejects_an_unknown_kind():
    with pytest.raises(ValueError, match="'dumbbell', 'slope'"):
        plots.rounds_plot(_two_rounds(), kind="bars")
    with pytest.raises(ValueError, match="rate_earlier"):
        plots.rounds_plot(pd.DataFrame({"item_id": ["A"]}))


# -- figures stay the same size at any number of items (issue 13) -----------------------------

def _counts(items: int) -> pd.DataFrame:
    """A counts table whose (n, satisfied) pattern repeats every 180 items: 200 and 20,000
    items then have the same lowest and highest rates and the same funnel flags."""
    index = pd.RangeIndex(items)
    n = 20 + (index * 7) % 180
    return pd.DataFrame({"item_id": [f"U{i:05d}" for i in index], "n": n,
                         "satisfied": n - (index % 9) * (1 + n // 40)})


def _shape(ax) -> tuple:
    """What a figure's size and cost depend on: its size in inches, rows labelled, artists."""
    legend = ax.get_legend()
    return (tuple(ax.figure.get_size_inches().round(3)), len(ax.get_yticklabels()), len(ax.lines),
            len(ax.collections), len(ax.patches), len(ax.texts),
            0 if legend is None else len(legend.get_texts()))


@pytest.fixture(scope="module")
def few_and_many():
    """Item rates and funnel tables of 200 and of 20,000 items (counts only, cheap)."""
    out = {}
    for items in (200, 20_000):
        survey = sa.Survey.from_counts(_counts(items))
        out[items] = (survey.item_rates(), survey.funnel())
    return out


def test_per_item_figures_do_not_grow_with_the_number_of_items(few_and_many):
    try:
        shapes = {}
        for items, (rates, funnel) in few_and_many.items():
            shares = pd.DataFrame({"item_id": rates["item_id"].repeat(2).to_numpy(),
                                   "rank": [1, 2] * len(rates), "rating": ["满意", "不满意"] * len(rates),
                                   "share": np.c_[rates["rate"], 1 - rates["rate"]].ravel()})
            check = pd.DataFrame({"row": np.repeat(rates["item_id"].to_numpy(), 2),
                                  "candidate": ["a", "b"] * len(rates), "share": 0.5,
                                  "window_low": 0.45, "window_high": 0.55,
                                  "reproduces": [True, False] * len(rates)})
            limits = sa.funnel_limits(range(20, 200, 10), float(funnel["target"].iloc[0]))
            shapes[items] = [
                _shape(plots.forest_plot(rates, threshold=0.95, lang="en")),
                _shape(plots.diverging_bars(shares, positive=1, lang="en")),
                _shape(plots.denominator_plot(check, lang="en")),
                _shape(plots.funnel_plot(funnel, limits=limits, lang="en")),
                _shape(plots.rate_histogram(rates, threshold=0.95, lang="en")),
            ]
            plt.close("all")
        assert shapes[200] == shapes[20_000]
        forest_rows = shapes[20_000][0][1]
        assert forest_rows == plots.MAX_ROWS                       # rows drawn, not items
    finally:
        plt.close("all")


def test_forest_plot_shows_the_extremes_and_says_how_many(few_and_many):
    rates, _ = few_and_many[20_000]
    try:
        ax = plots.forest_plot(rates, lang="en")
        names = [t.get_text() for t in ax.get_yticklabels()]
        ordered = rates.sort_values(["rate", "ci_low"], kind="stable")["item_id"].tolist()
        assert names == ordered[:20] + ordered[-20:]               # the 20 lowest and 20 highest
        note = ax.get_legend().get_title().get_text()
        assert "showing 40 of 20,000 items: the 20 lowest and the 20 highest rates" in note
        perfect = rates["satisfied"] == rates["n"]
        assert f"{perfect.sum():,} items at 100% in all" in note
        assert [t.get_text() for t in ax.texts] == ["… 19,960 items in between not shown …"]
        zh = plots.forest_plot(rates, lang="zh", max_items=10)
        assert "显示 20,000 个事项中的 10 个：满意率最低的 5 个和最高的 5 个" in zh.get_legend().get_title().get_text()
        both = plots.forest_plot(rates, max_items=11)        # lang=None: both languages, each whole
        title = both.get_legend().get_title().get_text()
        assert "showing 11 of 20,000 items: the 6 lowest and the 5 highest rates" in title
        assert "显示 20,000 个事项中的 11 个" in title
        every = plots.forest_plot(rates.head(60), max_items=None)
        assert len(every.get_yticklabels()) == 60 and every.get_legend().get_title().get_text() == ""
        with pytest.raises(ValueError, match="max_items must be a positive whole number"):
            plots.forest_plot(rates, max_items=0)
    finally:
        plt.close("all")


def test_point_plots_draw_every_item_cheaply_beyond_many_points():
    # Beyond MANY_POINTS the points are rasterized and small; rank intervals become one band;
    # a wide chance distribution is one outline, not a bar per count.
    items = 3 * plots.MANY_POINTS
    rng = np.random.default_rng(0)
    rate = rng.uniform(0.7, 1.0, items)
    shrunk = pd.DataFrame({"rate": rate, "shrunken_rate": 0.5 * rate + 0.45, "n": rng.integers(5, 99, items)})
    ranks = pd.DataFrame({"rank_mean": np.arange(items, dtype=float), "rank_median": np.arange(items),
                          "rank_low": np.arange(items) - 50, "rank_high": np.arange(items) + 50,
                          "confidence_level": 0.95})
    try:
        ax = plots.shrinkage_plot(shrunk)
        points = ax.collections[0]
        assert points.get_rasterized() and len(points.get_offsets()) == items
        ax = plots.rank_interval_plot(ranks)
        assert len(ax.collections) == 1 and len(ax.lines) == 1     # one band, one line of medians
        small = plots.rank_interval_plot(ranks.head(100))
        assert len(small.collections) == 1 and len(small.lines[0].get_xdata()) == 100
        chance = sa.count_at_100_distribution([20] * 20_000, rate=0.97)
        ax = plots.count_at_100_plot(chance, lang="en")
        assert len(ax.patches) == 1                                # one filled outline
    finally:
        plt.close("all")


def test_rounds_slope_of_many_items_is_one_collection_with_few_names():
    items = plots.MANY_POINTS + 500
    rng = np.random.default_rng(1)
    earlier = rng.uniform(0.8, 1.0, items)
    later = np.clip(earlier + rng.normal(0, 0.03, items), 0, 1)
    change = np.where(later - earlier > 0.05, "improved",
                      np.where(later - earlier < -0.05, "worsened", "no clear change"))
    table = pd.DataFrame({"item_id": [f"U{i}" for i in range(items)], "rate_earlier": earlier,
                          "rate_later": later, "difference": later - earlier, "change": change})
    try:
        ax = plots.rounds_plot(table, kind="slope", max_items=None, lang="en")
        assert len(ax.lines) <= 4 and len(ax.collections) == 2      # legend handles, two collections
        assert len(ax.texts) == plots.MAX_ROWS
        changed = int(np.isin(change, ["improved", "worsened"]).sum())
        assert f"40 of {changed:,} changed items labelled" in ax.get_legend().get_title().get_text()
        dumbbell = plots.rounds_plot(table, lang="en")
        assert len(dumbbell.get_yticklabels()) == plots.MAX_ROWS
        assert f"40 of {items:,} items shown" in dumbbell.get_legend().get_title().get_text()
    finally:
        plt.close("all")


def test_rate_histogram_counts_every_item_and_the_100s_apart():
    rates = _counts(360).assign(rate=lambda t: t["satisfied"] / t["n"])
    try:
        ax = plots.rate_histogram(rates, lang="zh")
        assert ax.get_title() == "事项满意率分布（共 360 个事项）"
        outline, bar = ax.patches[0], ax.patches[-1]
        perfect = int((rates["satisfied"] == rates["n"]).sum())
        assert bar.get_height() == perfect
        assert outline.get_label() == "低于100%的事项"
    finally:
        plt.close("all")


def test_topics_plot_keeps_the_largest_and_smallest_differences():
    # Reason: with more topics than top + bottom, the plot shows the extremes, largest on top.
    table = pd.DataFrame({"topic": [f"T{i}" for i in range(12)], "difference": np.linspace(0.2, -0.1, 12)})
    table["diff_ci_low"], table["diff_ci_high"] = table["difference"] - 0.02, table["difference"] + 0.02
    try:
        ax = plots.topics_plot(table, top=2, bottom=1, lang="en")
        assert [t.get_text() for t in ax.get_yticklabels()] == ["T11", "T1", "T0"]
        assert "95% intervals" in ax.get_title() and "percentage points" in ax.get_xlabel()
    finally:
        plt.close("all")
