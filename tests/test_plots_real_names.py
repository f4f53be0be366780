"""Plots on real data: long names that share a prefix, many units, a neutral middle level,
units of one size, and fonts whatever CJK font the machine has (issue 22)."""

import io
import logging
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib import colors as mcolors
from matplotlib import font_manager
from matplotlib.collections import LineCollection

import survey_analysis as sa
from survey_analysis import plots

PREFIX = "NHFT / Community health services for adults / "


def _rates(names, n=None):
    count = len(names)
    size = np.full(count, 30) if n is None else np.asarray(n)
    satisfied = size - np.arange(count) % 4
    rate = satisfied / size
    return pd.DataFrame({"item_id": names, "n": size, "satisfied": satisfied, "rate": rate,
                         "ci_low": rate - 0.1, "ci_high": np.minimum(1.0, rate + 0.05),
                         "confidence_level": 0.95, "method": "wilson"})


def _long_names(count=40):
    return [f"{PREFIX}{'North' if i % 2 else 'South'} locality team {i // 2}" for i in range(count)]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_forty_long_names_sharing_a_prefix_read_differently():
    ax = plots.forest_plot(_rates(_long_names()), lang="en")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 40 and len(set(labels)) == 40
    assert all(len(label) <= 40 for label in labels)
    assert all(label.startswith("NHFT") for label in labels)   # the start is kept ...
    assert any(label.endswith("North locality team 3") for label in labels)   # ... and the end


def test_equal_names_are_numbered_and_n_is_beside_each_row():
    ax = plots.forest_plot(_rates(["Ward A", "Ward A", "Ward B"], n=[12, 30, 45]), lang="en")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(set(labels)) == 3
    counts, = ax.child_axes
    assert sorted(t.get_text() for t in counts.get_yticklabels()) == ["12", "30", "45"]


def test_diverging_bars_names_stay_distinct():
    names = _long_names()
    shares = pd.DataFrame({"item_id": np.repeat(names, 3), "rating": ["good", "fair", "poor"] * 40,
                           "rank": [1, 2, 3] * 40, "share": [0.7, 0.2, 0.1] * 40})
    ax = plots.diverging_bars(shares, positive=1, lang="en")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(set(labels)) == len(labels) == 40


def _level_colour(ax, name):
    container = next(c for c in ax.containers if c.get_label() == name)
    return mcolors.to_rgb(container.patches[0].get_facecolor())


@pytest.mark.parametrize("levels", [
    ["非常满意", "比较满意", "一般", "不太满意", "非常不满意"],
    ["Very good", "Good", "Neither good nor poor", "Poor", "Very poor"],
])
def test_neutral_middle_level_is_grey_and_not_on_the_dissatisfied_side(levels):
    shares = pd.DataFrame({"item_id": ["A"] * 5 + ["B"] * 5, "rating": levels * 2,
                           "rank": [1, 2, 3, 4, 5] * 2,
                           "share": [0.4, 0.3, 0.2, 0.05, 0.05, 0.5, 0.3, 0.1, 0.05, 0.05]})
    shares.attrs["satisfied_levels"] = levels[:2]
    ax = plots.diverging_bars(shares, lang="en")
    red, green, blue = _level_colour(ax, levels[2])
    assert red == green == blue                       # grey
    container = next(c for c in ax.containers if c.get_label() == levels[2])
    left, right = container.patches[0].get_x(), container.patches[0].get_x() + container.patches[0].get_width()
    assert left < 0 < right                           # split around 0, not all left of it
    worst = _level_colour(ax, levels[4])
    best = _level_colour(ax, levels[0])
    assert worst[0] > worst[1] and best[1] > best[0]  # reds and greens


def test_middle_level_counted_satisfied_is_drawn_satisfied():
    shares = pd.DataFrame({"item_id": ["A"] * 3, "rating": ["满意", "基本满意", "不满意"],
                           "rank": [1, 2, 3], "share": [0.6, 0.3, 0.1]})
    shares.attrs["satisfied_levels"] = ["满意", "基本满意"]
    ax = plots.diverging_bars(shares, lang="en")
    red, green, blue = _level_colour(ax, "基本满意")
    assert green > red


def test_funnel_with_units_of_one_size_draws_its_limits():
    rates = pd.DataFrame({"item_id": list("abcdef"), "n": 30, "satisfied": [30, 29, 28, 27, 25, 30]})
    table = sa.funnel_table(rates, target=0.9)
    limits = sa.funnel_limits(range(30, 31), target=0.9)
    ax = plots.funnel_plot(table, limits=limits, lang="en")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("limits" in text for text in legend)
    drawn = [c for c in ax.collections if isinstance(c, LineCollection) and "limits" in c.get_label()]
    assert drawn and all(len(c.get_segments()) == 2 for c in drawn)   # a lower and an upper


def test_threshold_line_is_labelled():
    ax = plots.forest_plot(_rates(_long_names(6)), threshold=0.95, lang="en")
    assert "reference line 95%" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_chance_that_cannot_happen_is_not_a_count_of_zero():
    chance = sa.count_at_100_distribution([20] * 10, rate=0.5)
    ax = plots.count_at_100_plot(chance, observed=0, lang="en")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("practically impossible" in text for text in legend)
    assert "chance alone" not in legend


@pytest.mark.parametrize("rows", [45, 300])
def test_many_rows_and_long_names_draw_without_any_warning(rows):
    names = [f"{name} {i}" for i, name in enumerate(_long_names(rows))]
    shares = pd.DataFrame({"item_id": np.repeat(names, 5),
                           "rating": ["Very good", "Good", "Neither good nor poor", "Poor", "Very poor"] * rows,
                           "rank": [1, 2, 3, 4, 5] * rows, "share": [0.5, 0.3, 0.1, 0.05, 0.05] * rows})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for ax in (plots.forest_plot(_rates(names), threshold=0.9, max_items=None),
                   plots.forest_plot(_rates(names), threshold=0.9),
                   plots.diverging_bars(shares, max_groups=None),
                   plots.diverging_bars(shares)):
            ax.figure.savefig(io.BytesIO(), format="png", dpi=40)


def _draw_chinese_and_latin():
    """A forest plot with Chinese and Latin names, a funnel plot on a log axis, a title of both."""
    rates = _rates(["改善液化气小区积水问题 (Ward A)", "FFT unit 2", "解决电动车存放难问题"])
    forest = plots.forest_plot(rates, threshold=0.9, title="Items 各事项满意率 −1")
    funnel = plots.funnel_plot(sa.funnel_table(rates, target=0.9),
                               limits=sa.funnel_limits(range(5, 101), 0.9), title="漏斗图 Funnel")
    funnel.set_xscale("log")
    for ax in (forest, funnel):
        ax.figure.suptitle("Number of items / 事项数", fontfamily=plots.font_family())
        ax.figure.canvas.draw()


def _only(monkeypatch, families):
    monkeypatch.setattr(plots, "CJK_FONT_FAMILIES", tuple(families))
    monkeypatch.setattr(plots, "_found", [])
    monkeypatch.setattr(plots, "_said_no_cjk", [])


def test_droid_sans_fallback_only_renders_both_scripts(monkeypatch, caplog):
    if not any("droidsansfallback" in p.lower() for p in font_manager.findSystemFonts()):
        pytest.skip("Droid Sans Fallback not installed (apt-get install fonts-droid-fallback)")
    _only(monkeypatch, ["Droid Sans Fallback"])
    assert plots.use_cjk_font() == "Droid Sans Fallback"   # found even if not in the cache
    assert plots.font_family() == ["DejaVu Sans", "Droid Sans Fallback"]
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        _draw_chinese_and_latin()
    messages = [str(w.message) for w in caught] + [r.getMessage() for r in caplog.records]
    assert not [m for m in messages if "missing from font" in m or "does not have a glyph" in m]


def test_without_a_cjk_font_one_warning_says_so(monkeypatch):
    _only(monkeypatch, [])
    assert plots.use_cjk_font() is None and plots.font_family() == ["DejaVu Sans"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _draw_chinese_and_latin()
    messages = [str(w.message) for w in caught]
    assert not [m for m in messages if "Glyph" in m]
    assert len([m for m in messages if "no CJK font" in m]) == 1, messages
