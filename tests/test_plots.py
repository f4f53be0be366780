"""Plots return their Axes and render Chinese labels without missing glyphs."""

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from survey_analysis.plots import forest_plot, use_cjk_font  # noqa: E402

RATES = pd.DataFrame({"item_id": ["SX001", "SX002", "SX003"],
                      "name_zh": ["改善液化气小区积水问题", "解决民安馨苑小区电动车存放难问题", "占位事项 023（文章未列出）"],
                      "n": [32, 21, 13], "satisfied": [32, 20, 13], "rate": [1.0, 20 / 21, 1.0],
                      "ci_low": [0.89, 0.77, 0.77], "ci_high": [1.0, 0.99, 1.0]})


def test_forest_plot_uses_given_axes_and_returns_it():
    fig, ax = plt.subplots()
    try:
        assert forest_plot(RATES, ax=ax, threshold=0.95) is ax
        # Sorted by rate, then lower bound: 20/21 first, then the two 100% items (0.77 < 0.89).
        assert [t.get_text() for t in ax.get_yticklabels()] == ["SX002", "SX003", "SX001"]
    finally:
        plt.close(fig)


def test_chinese_labels_render_without_missing_glyphs():
    family = use_cjk_font()
    if family is None:
        pytest.skip("no CJK font installed (apt-get install fonts-wqy-microhei; .ci/run does this)")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font" is a UserWarning
        ax = forest_plot(RATES, label="name_zh", threshold=0.95, title="事项满意率（合成数据）")
        ax.figure.canvas.draw()
    plt.close(ax.figure)
