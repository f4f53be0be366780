"""Every plot returns its Axes, draws on a given Axes, and renders Chinese without missing glyphs."""

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
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

    import numpy as np

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
