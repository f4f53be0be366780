"""Plots for reports. Each function takes ``ax=None`` and returns the Axes.

Plots only draw what the estimators computed; no statistic is computed here.
Chinese labels need a CJK font: :func:`use_cjk_font` finds a freely licensed one
installed on the system (Noto Sans CJK, WenQuanYi ...) and registers it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["use_cjk_font", "forest_plot", "coverage_plot", "CJK_FONT_FAMILIES"]

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
    import matplotlib.pyplot as plt

    use_cjk_font()
    data = rates.sort_values(["rate", "ci_low"], kind="stable") if sort else rates
    if ax is None:
        height = max(3.0, 0.12 * len(data) + 1.5)
        _, ax = plt.subplots(figsize=(7.0, height))
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
        Output of :func:`~survey_analysis.coverage.exact_coverage`.
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
    >>> from survey_analysis.coverage import exact_coverage
    >>> table = exact_coverage(20, [0.9, 0.95, 0.99], methods=["wilson", "wald"])
    >>> ax = coverage_plot(table)
    >>> len(ax.get_lines())          # one line per method, plus the nominal level
    3
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    import matplotlib.pyplot as plt

    use_cjk_font()
    size = int(coverage["n"].min()) if n is None else int(n)
    data = coverage.loc[coverage["n"] == size]
    if ax is None:
        _, ax = plt.subplots(figsize=(6.0, 4.0))
    for method, group in data.groupby("method", sort=False):
        ax.plot(group["p"], group["coverage"], marker=".", linewidth=1, label=method)
    ax.axhline(float(data["nominal"].iloc[0]), color="black", linestyle="--", linewidth=0.8,
               label=f"nominal {float(data['nominal'].iloc[0]):.0%}")
    ax.set_xlabel("true satisfaction rate / 真实满意率")
    ax.set_ylabel("coverage / 覆盖率")
    ax.set_title(title or f"Exact coverage, n = {size}")
    ax.legend(fontsize=7)
    return ax
