"""Plots for reports. Each function takes ``ax=None`` and returns the Axes.

Plots only draw what the estimators computed; no statistic is computed here.
Chinese labels need a CJK font: :func:`use_cjk_font` finds a freely licensed one
installed on the system (Noto Sans CJK, WenQuanYi ...) and registers it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["use_cjk_font", "forest_plot", "funnel_plot", "diverging_bars", "sensitivity_plot",
           "count_at_100_plot", "coverage_plot", "shrinkage_plot", "rank_interval_plot",
           "power_curve_plot", "CJK_FONT_FAMILIES"]

#: CJK font families looked for, in order of preference.
CJK_FONT_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC", "SimHei", "Droid Sans Fallback",
)
# File-name fragments of the same fonts, for fonts installed after matplotlib built its cache.
_CJK_FILE_HINTS = ("notosanscjk", "notosanssc", "sourcehansans", "wqy-microhei", "wqy-zenhei",
                   "msyh", "pingfang", "simhei", "droidsansfallback")
_registered: str | None = None


def use_cjk_font() -> str | None:
    """Register an installed CJK font with matplotlib and return its family name.

    Returns None when no CJK font is installed (install Debian ``fonts-noto-cjk`` or
    ``fonts-wqy-microhei``; see the README). The font is put first in
    ``font.sans-serif`` so Chinese and Latin text share one family.

    Examples
    --------
    >>> family = use_cjk_font()
    >>> family is None or isinstance(family, str)
    True
    """
    global _registered
    if _registered:
        return _registered
    import matplotlib
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    family = next((f for f in CJK_FONT_FAMILIES if f in names), None)
    if family is None:
        for path in font_manager.findSystemFonts():
            if any(hint in Path(path).name.lower().replace("_", "") for hint in _CJK_FILE_HINTS):
                try:
                    font_manager.fontManager.addfont(path)
                except (RuntimeError, OSError):  # unreadable font file: try the next one
                    continue
        names = {f.name for f in font_manager.fontManager.ttflist}
        family = next((f for f in CJK_FONT_FAMILIES if f in names), None)
    if family is not None:
        current = [f for f in matplotlib.rcParams["font.sans-serif"] if f != family]
        matplotlib.rcParams["font.sans-serif"] = [family, *current]
        matplotlib.rcParams["font.family"] = "sans-serif"
        matplotlib.rcParams["axes.unicode_minus"] = False  # CJK fonts often lack U+2212
        _registered = family
    return family


def _axes(ax, figsize):
    """The given Axes, or new ones of ``figsize``; registers the CJK font either way."""
    use_cjk_font()
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize)
    return ax


def forest_plot(rates: pd.DataFrame, ax=None, label="item_id", threshold: float | None = None,
                sort: bool = True, title: str | None = None):
    """Forest plot of item rates with their confidence intervals.

    Parameters
    ----------
    rates : pandas.DataFrame
        Output of :func:`~survey_analysis.item_rates` (``rate``, ``ci_low``,
        ``ci_high``, ``n``, ``satisfied`` and the ``label`` column).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when None.
    label : str, default "item_id"
        Column used for the item labels (e.g. ``name_zh`` after a merge).
    threshold : float, optional
        Draw a vertical reference line (e.g. 0.95 for "over 95%").
    sort : bool, default True
        Sort items by rate, then by lower bound.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Items where every respondent was satisfied are drawn as open red circles so a
    "100%" is never read without its interval.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> rates = pd.DataFrame({"item_id": ["A", "B"], "n": [10, 20], "satisfied": [10, 18],
    ...                       "rate": [1.0, 0.9], "ci_low": [0.72, 0.70], "ci_high": [1.0, 0.97]})
    >>> ax = forest_plot(rates, threshold=0.95)
    >>> len(ax.get_yticklabels())
    2
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    data = rates.sort_values(["rate", "ci_low"], kind="stable") if sort else rates
    ax = _axes(ax, (7.0, max(3.0, 0.12 * len(data) + 1.5)))
    y = np.arange(len(data))
    rate = data["rate"].to_numpy(dtype=float)
    low, high = data["ci_low"].to_numpy(dtype=float), data["ci_high"].to_numpy(dtype=float)
    perfect = (data["satisfied"] == data["n"]).to_numpy()
    ax.hlines(y, low, high, color="0.45", linewidth=1)
    ax.plot(rate[~perfect], y[~perfect], "o", color="tab:blue", markersize=3, label="rate")
    ax.plot(rate[perfect], y[perfect], "o", markerfacecolor="none", color="tab:red", markersize=4,
            label="100% (all satisfied)")
    if threshold is not None:
        ax.axvline(threshold, color="black", linestyle="--", linewidth=0.8,
                   label=f"{threshold:.0%}")
    ax.set_yticks(y)
    ax.set_yticklabels(data[label].astype(str).tolist(), fontsize=5 if len(data) > 40 else 8)
    ax.set_ylim(-1, len(data))
    ax.set_xlabel("satisfaction rate with confidence interval / 满意率及置信区间")
    ax.set_xlim(max(0.0, float(np.nanmin(low)) - 0.02) if len(data) else 0.0, 1.01)
    if title:
        ax.set_title(title)
    ax.legend(loc="lower left", fontsize=7)
    return ax


def coverage_plot(coverage: pd.DataFrame, ax=None, n=None, title: str | None = None):
    """Coverage of interval methods against the true rate, for one ``n``.

    Parameters
    ----------
    coverage : pandas.DataFrame
        Output of :func:`~survey_analysis.estimate.coverage.exact_coverage`.
    ax : matplotlib.axes.Axes, optional
    n : int, optional
        Which ``n`` to draw; defaults to the smallest in the table.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from survey_analysis.estimate.coverage import exact_coverage
    >>> table = exact_coverage(20, [0.9, 0.95, 0.99], methods=["wilson", "wald"])
    >>> ax = coverage_plot(table)
    >>> len(ax.get_lines())          # one line per method, plus the nominal level
    3
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    size = int(coverage["n"].min()) if n is None else int(n)
    data = coverage.loc[coverage["n"] == size]
    ax = _axes(ax, (6.0, 4.0))
    for method, group in data.groupby("method", sort=False):
        ax.plot(group["p"], group["coverage"], marker=".", linewidth=1, label=method)
    ax.axhline(float(data["nominal"].iloc[0]), color="black", linestyle="--", linewidth=0.8,
               label=f"nominal {float(data['nominal'].iloc[0]):.0%}")
    ax.set_xlabel("true satisfaction rate / 真实满意率")
    ax.set_ylabel("coverage / 覆盖率")
    ax.set_title(title or f"Exact coverage, n = {size}")
    ax.legend(fontsize=7)
    return ax


def funnel_plot(funnel: pd.DataFrame, ax=None, limits: pd.DataFrame | None = None,
                title: str | None = None):
    """Funnel plot: item rates against their number of respondents, with control limits.

    Parameters
    ----------
    funnel : pandas.DataFrame
        Output of :func:`~survey_analysis.funnel_table` (``n``, ``rate``, ``target``
        and ``flag_*`` columns).
    ax : matplotlib.axes.Axes, optional
    limits : pandas.DataFrame, optional
        Output of :func:`~survey_analysis.funnel_limits` over a grid of ``n`` (the
        curves to draw). Without it only the target line is drawn.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Points are coloured by the table's own flags (exact one-sided tests), not by
    comparing them with the drawn curves: an item at 100% sits above the
    interpolated upper limit without being significantly above the target.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd, survey_analysis as sa
    >>> rates = pd.DataFrame({"item_id": list("abc"), "n": [10, 40, 80], "satisfied": [10, 30, 78]})
    >>> table = sa.funnel_table(rates, target=0.95)
    >>> ax = funnel_plot(table, limits=sa.funnel_limits(range(5, 101, 5), 0.95))
    >>> ax.get_xlabel()
    'respondents per item / 每个事项的受访人数'
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    ax = _axes(ax, (7.0, 4.5))
    target = float(funnel["target"].iloc[0])
    if limits is not None:
        styles = {0: ("0.3", "--"), 1: ("0.5", ":")}
        for i, (level, group) in enumerate(limits.groupby("confidence_level", sort=True)):
            color, style = styles.get(i, ("0.6", "-."))
            ax.plot(group["n"], group["lower"], color=color, linestyle=style, linewidth=1,
                    label=f"{level:.1%} limits".replace(".0%", "%"))
            ax.plot(group["n"], group["upper"], color=color, linestyle=style, linewidth=1)
    ax.axhline(target, color="black", linewidth=0.8, label=f"target {target:.1%}")
    flag_columns = [c for c in funnel.columns if c.startswith("flag_")]
    outer = funnel[flag_columns[-1]] if flag_columns else pd.Series("within", index=funnel.index)
    inner = funnel[flag_columns[0]] if flag_columns else outer
    colors = {"below": "tab:red", "above": "tab:green"}
    for flag, color in (("within", "tab:blue"), ("above", "tab:green"), ("below", "tab:red")):
        mask = (inner == flag) if flag != "within" else (inner == "within")
        if mask.any():
            ax.scatter(funnel.loc[mask, "n"], funnel.loc[mask, "rate"], s=14, color=color,
                       label={"within": "within limits", "above": "above (inner limits)",
                              "below": "below (inner limits)"}[flag], zorder=3)
    strong = outer.isin(list(colors))
    if strong.any():
        ax.scatter(funnel.loc[strong, "n"], funnel.loc[strong, "rate"], s=60, facecolors="none",
                   edgecolors="black", label="outside outer limits", zorder=4)
    ax.set_xlabel("respondents per item / 每个事项的受访人数")
    ax.set_ylabel("satisfaction rate / 满意率")
    ax.set_title(title or "Funnel plot / 漏斗图")
    ax.legend(fontsize=7, loc="lower right")
    return ax


# Which side of the centre each level sits on, per scale (neutral levels are split in two).
_DIVERGING_SIDES = {3: {1: 1, 2: 1, 3: -1}, 5: {1: 1, 2: 1, 3: 0, 4: -1, 5: -1}, 2: {1: 1, 2: -1}}


def diverging_bars(shares: pd.DataFrame, ax=None, by: str = "item_id", max_groups: int = 40,
                   title: str | None = None):
    """Diverging stacked bars of the answer shares (satisfied to the right of 0).

    Parameters
    ----------
    shares : pandas.DataFrame
        Output of :func:`~survey_analysis.rating_shares` with ``by`` (columns
        ``rating``, ``rank``, ``share`` and the group column), for a 3-, 5- or 2-level
        scale.
    ax : matplotlib.axes.Axes, optional
    by : str, default "item_id"
        Group column (one bar per group); groups are sorted by their positive share.
    max_groups : int, default 40
        Draw at most this many groups (the lowest positive shares first).
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> shares = pd.DataFrame({"item_id": ["A"] * 3 + ["B"] * 3, "rating": ["满意", "基本满意", "不满意"] * 2,
    ...                        "rank": [1, 2, 3] * 2, "share": [0.6, 0.3, 0.1, 0.8, 0.2, 0.0]})
    >>> ax = diverging_bars(shares)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['A', 'B']
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    levels = shares.drop_duplicates("rank").sort_values("rank")[["rank", "rating"]]
    scale = len(levels) if len(levels) in _DIVERGING_SIDES else 3
    sides = _DIVERGING_SIDES[scale]
    table = shares.pivot_table(index=by, columns="rank", values="share", aggfunc="sum",
                               observed=True).fillna(0.0)
    positive = table[[r for r in table.columns if sides.get(r) == 1]].sum(axis=1)
    table = table.loc[positive.sort_values(kind="stable").index[:max_groups]]
    ax = _axes(ax, (7.0, max(2.5, 0.25 * len(table) + 1.2)))
    y = np.arange(len(table))
    colors = {1: "#1a9641", 2: "#a6d96a", 3: "#bdbdbd", 4: "#fdae61", 5: "#d7191c"}
    if scale == 3:
        colors = {1: "#1a9641", 2: "#a6d96a", 3: "#d7191c"}
    if scale == 2:
        colors = {1: "#1a9641", 2: "#d7191c"}
    neutral = table[3] / 2 if scale == 5 and 3 in table else pd.Series(0.0, index=table.index)
    right, left = neutral.to_numpy().copy(), -neutral.to_numpy().copy()
    names = dict(zip(levels["rank"], levels["rating"]))
    if scale == 5 and 3 in table:
        ax.barh(y, table[3].to_numpy(), left=-neutral.to_numpy(), color=colors[3], label=names.get(3, "3"))
    for rank in sorted(r for r in table.columns if sides.get(r) == 1):
        width = table[rank].to_numpy()
        ax.barh(y, width, left=right, color=colors[rank], label=names.get(rank, str(rank)))
        right += width
    for rank in sorted(r for r in table.columns if sides.get(r) == -1):
        width = table[rank].to_numpy()
        ax.barh(y, -width, left=left, color=colors[rank], label=names.get(rank, str(rank)))
        left -= width
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y)
    ax.set_yticklabels(table.index.astype(str), fontsize=7 if len(table) > 25 else 9)
    ax.set_xlabel("share of answers (negative side: dissatisfied) / 回答占比")
    ax.set_title(title or f"Answers by {by} / 回答分布")
    ax.legend(fontsize=7, loc="lower right", framealpha=0.9)
    return ax


def sensitivity_plot(sensitivity: pd.DataFrame, ax=None, title: str | None = None,
                     threshold: float | None = 0.95):
    """The headline under each definition of "satisfied", with intervals.

    Parameters
    ----------
    sensitivity : pandas.DataFrame
        Output of :func:`~survey_analysis.definition_sensitivity`.
    ax : matplotlib.axes.Axes, optional
    title : str, optional
    threshold : float or None, default 0.95
        Reference line (the claimed level); None draws none.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> table = pd.DataFrame({"definition": ["top_two_box", "top_box"], "estimand": ["pooled"] * 2,
    ...                       "estimate": [0.95, 0.65], "ci_low": [0.94, 0.62], "ci_high": [0.96, 0.68]})
    >>> ax = sensitivity_plot(table)
    >>> len(ax.get_yticklabels())
    2
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    ax = _axes(ax, (6.5, 3.2))
    definitions = list(dict.fromkeys(sensitivity["definition"]))
    estimands = list(dict.fromkeys(sensitivity["estimand"]))
    offsets = np.linspace(-0.15, 0.15, len(estimands)) if len(estimands) > 1 else [0.0]
    for offset, estimand in zip(offsets, estimands):
        rows = sensitivity.loc[sensitivity["estimand"] == estimand].set_index("definition")
        rows = rows.reindex(definitions)
        y = np.arange(len(definitions)) + offset
        ax.errorbar(rows["estimate"], y, xerr=[rows["estimate"] - rows["ci_low"],
                                               rows["ci_high"] - rows["estimate"]],
                    fmt="o", capsize=3, markersize=4, label=estimand)
    labels = {"top_two_box": "满意+基本满意 (top-two-box)", "top_box": "满意 only (top-box)",
              "score_index": "score index / 得分指数 (0-1)"}
    ax.set_yticks(np.arange(len(definitions)))
    ax.set_yticklabels([labels.get(d, d) for d in definitions])
    if threshold is not None:
        ax.axvline(threshold, color="black", linestyle="--", linewidth=0.8)
    ax.set_xlabel("overall satisfaction / 总体满意度")
    ax.set_title(title or "How the headline depends on the definition / 口径敏感性")
    ax.legend(fontsize=7)
    return ax


def count_at_100_plot(distribution, ax=None, observed: int | None = None,
                      claimed: tuple | None = (11, 19), title: str | None = None):
    """Distribution of the number of items at 100% that chance alone gives.

    Parameters
    ----------
    distribution : CountDistribution
        From :func:`~survey_analysis.count_at_100_distribution`.
    ax : matplotlib.axes.Axes, optional
    observed : int, optional
        The number of 100% items in the data (vertical line).
    claimed : (int, int) or None, default (11, 19)
        Shade the claimed range (十余件 read as 11 to 19).
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import survey_analysis as sa
    >>> chance = sa.count_at_100_distribution([30] * 152, rate=0.95)
    >>> ax = count_at_100_plot(chance, observed=15)
    >>> ax.get_xlabel()
    'number of items at 100% / 满意度100%的事项数'
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    ax = _axes(ax, (6.5, 3.5))
    pmf = distribution.pmf
    low, high = distribution.interval(0.999)
    shown = pmf.loc[max(0, low - 3): high + 3]
    if claimed is not None:
        ax.axvspan(claimed[0] - 0.5, claimed[1] + 0.5, color="#fdd0a2", alpha=0.6,
                   label=f"claimed {claimed[0]}-{claimed[1]} (十余件)")
    ax.bar(shown.index, shown.to_numpy(), color="tab:blue", width=0.8, label="chance alone")
    if observed is not None:
        ax.axvline(observed, color="tab:red", linewidth=1.5, label=f"in the data: {observed}")
    ax.set_xlabel("number of items at 100% / 满意度100%的事项数")
    ax.set_ylabel("probability / 概率")
    ax.set_title(title or "How many 100% items chance alone gives / 偶然出现的100%事项数")
    ax.legend(fontsize=7)
    return ax


def shrinkage_plot(shrunk: pd.DataFrame, ax=None, title: str | None = None):
    """Observed against shrunken item rates, coloured by the number of respondents.

    Parameters
    ----------
    shrunk : pandas.DataFrame
        Output of :func:`~survey_analysis.shrink_rates` (``rate``, ``shrunken_rate``, ``n``).
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> table = pd.DataFrame({"rate": [1.0, 0.8], "shrunken_rate": [0.96, 0.85], "n": [10, 40]})
    >>> ax = shrinkage_plot(table)
    >>> ax.get_xlabel()
    'observed rate / 观测满意率'
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    ax = _axes(ax, (6.0, 4.5))
    points = ax.scatter(shrunk["rate"], shrunk["shrunken_rate"], c=shrunk["n"], cmap="viridis", s=18)
    low = float(min(shrunk["rate"].min(), shrunk["shrunken_rate"].min()))
    ax.plot([low, 1.0], [low, 1.0], color="0.6", linewidth=0.8, label="no shrinkage / 不收缩")
    ax.set_xlabel("observed rate / 观测满意率")
    ax.set_ylabel("shrunken rate / 收缩后满意率")
    ax.set_title(title or "Small items are pulled towards the common level / 小样本事项收缩更多",
                 fontsize=10)
    ax.figure.colorbar(points, ax=ax, label="respondents n / 受访人数")
    ax.legend(loc="upper left", fontsize=8)
    return ax


def rank_interval_plot(ranks: pd.DataFrame, ax=None, title: str | None = None):
    """Each item's rank interval, items ordered by their mean simulated rank.

    Parameters
    ----------
    ranks : pandas.DataFrame
        Output of :func:`~survey_analysis.rank_intervals` (``rank_mean``,
        ``rank_median``, ``rank_low``, ``rank_high``).
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> ranks = pd.DataFrame({"rank_mean": [1.2, 1.8], "rank_median": [1, 2], "rank_low": [1, 1],
    ...                       "rank_high": [2, 2]})
    >>> ax = rank_interval_plot(ranks)
    >>> bool(ax.yaxis_inverted())      # rank 1 (best) at the top
    True
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    ax = _axes(ax, (10.0, 3.8))
    ordered = ranks.sort_values("rank_mean", kind="stable").reset_index(drop=True)
    ax.vlines(ordered.index, ordered["rank_low"], ordered["rank_high"], color="0.6", linewidth=1)
    ax.plot(ordered.index, ordered["rank_median"], "o", markersize=2.5, color="tab:blue")
    ax.invert_yaxis()
    ax.set_xlabel("items, ordered by mean simulated rank / 按平均排名排序的事项")
    ax.set_ylabel("rank (1 = best) / 排名")
    ax.set_title(title or "95% intervals of each item's rank / 排名的95%区间")
    return ax


def power_curve_plot(sizes, power, ax=None, target_power: float = 0.8, marks: dict | None = None,
                     title: str | None = None):
    """Power against the number of respondents (a step curve: power is saw-toothed in n).

    Parameters
    ----------
    sizes : array_like
        Numbers of respondents.
    power : array_like
        Power at each size, e.g. from :func:`~survey_analysis.lower_bound_power`.
    ax : matplotlib.axes.Axes, optional
    target_power : float, default 0.8
        Horizontal reference line.
    marks : dict of str -> int, optional
        Vertical lines to label, e.g. ``{"first n": 234, "stable n": 286}``.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = power_curve_plot([10, 20, 30], [0.2, 0.5, 0.81], marks={"first n": 30})
    >>> ax.get_ylabel()
    'power / 检验功效'
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    ax = _axes(ax, (8.0, 3.6))
    ax.step(np.asarray(sizes), np.asarray(power), where="mid", linewidth=1)
    ax.axhline(target_power, color="black", linestyle="--", linewidth=0.8,
               label=f"{target_power:.0%} power")
    for (label, size), color in zip((marks or {}).items(), ("tab:orange", "tab:green", "tab:red")):
        ax.axvline(size, color=color, linewidth=1, label=f"{label} = {size}")
    ax.set_xlabel("respondents n / 受访人数")
    ax.set_ylabel("power / 检验功效")
    ax.set_title(title or "Power to show the claim / 证明该说法的检验功效")
    ax.legend(fontsize=8)
    return ax
