"""SYNTHETIC respondent-level responses for the 152-item catalogue.

The article gives aggregate figures only; no respondent data exist in this repository.
This module samples demo responses from a stated model with a fixed seed. The model's
parameters are taken from the middle of the region where the article's two figures --
"over 95%" and "ten-plus items at 100%" -- arise together
(:func:`~survey_analysis.implied_designs`; see :func:`plausible_region`), so the demo is a
survey under which the published figures are typical (``tests/test_synthetic.py``
simulates how often they come out: about 4 samples in 10). The committed sample is a draw
conditioned on the figures by rejection sampling (:func:`conditioned_draw`): samples are
accepted or not, never changed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .._validation import check_choice, check_output_path
from ..words import Hint, SurveyError, say

__all__ = ["REGION_GRID", "SYNTHETIC_FILE_NAME", "SyntheticAssumptions", "conditioned_draw",
           "generate_synthetic_responses", "plausible_region", "shows_published_figures",
           "simulate_published_figures", "write_synthetic_dataset"]

SYNTHETIC_FILE_NAME = "responses_synthetic.csv"

#: The grid searched for the plausible region (see :func:`plausible_region`).
REGION_GRID = {"respondents": list(range(20, 201, 10)), "spread": [0.0, 0.01, 0.02, 0.03, 0.04],
               "mean": [0.955, 0.96, 0.965, 0.97, 0.975, 0.98]}


def plausible_region(n_items: int = 152, overall_above: float = 0.95, items_at_100=(11, 19),
                     min_probability: float = 0.5) -> pd.DataFrame:
    """Designs under which both published figures arise with at least ``min_probability``.

    :func:`~survey_analysis.implied_designs` over :data:`REGION_GRID`, keeping the rows
    with ``probability >= min_probability``. Its median mean, spread and respondents per
    item (taking the median mean and spread first, then the median respondents at those)
    are the synthetic model's parameters.
    """
    from ..estimate.implied import implied_designs

    table = implied_designs(n_items, overall_above, items_at_100, **REGION_GRID)
    return table.loc[table["probability"] >= min_probability].reset_index(drop=True)


def _beta_parameters(mean: float, spread: float) -> tuple[float, float]:
    concentration = mean * (1.0 - mean) / spread**2 - 1.0
    return mean * concentration, (1.0 - mean) * concentration


@dataclass(frozen=True)
class SyntheticAssumptions:
    """The model behind the synthetic responses (every number is an assumption).

    Attributes
    ----------
    seed : int
        Seed of :func:`numpy.random.default_rng`.
    min_respondents : int
        Smallest number of people asked about one item.
    extra_respondents_mean, extra_respondents_dispersion : float
        Respondents per item = ``min_respondents`` + NegativeBinomial with this mean
        and dispersion (size): about 105 people per item, give or take a few.
    rate_mean, rate_spread : float
        True satisfied rate (满意 + 基本满意) of each item ~ Beta with this mean and
        standard deviation: the middle of the plausible region.
    named_rate_mean, named_rate_spread : float
        The same for the items the article names as at 100% (catalogue provenance
        ``named_at_100``): their true rates are taken to be near 1.
    top_box_alpha, top_box_beta : float
        Share of 满意 among the satisfied, per item ~ Beta(alpha, beta).
    dont_know_share : float
        Probability that a respondent answers 不了解 (don't know).

    Examples
    --------
    >>> SyntheticAssumptions().seed
    20211031
    """

    seed: int = 20211031
    min_respondents: int = 80
    extra_respondents_mean: float = 25.0
    extra_respondents_dispersion: float = 20.0
    rate_mean: float = 0.965
    rate_spread: float = 0.02
    named_rate_mean: float = 0.998
    named_rate_spread: float = 0.002
    top_box_alpha: float = 7.0
    top_box_beta: float = 3.0
    dont_know_share: float = 0.04

    def describe(self, accepted_seed: int | None = None, tries: int | None = None,
                 lang: str = "en") -> str:
        """Plain-language statement of the assumptions (Markdown); with the seed that
        :func:`conditioned_draw` accepted and how many draws it took.

        ``lang`` is ``"en"``, ``"zh"`` or ``"both"`` (Chinese first, as ``ASSUMPTIONS.md``
        is written)."""
        if lang == "both":
            return (self.describe(accepted_seed, tries, "zh") + "\n---\n\n"
                    + self.describe(accepted_seed, tries, "en"))
        if lang == "zh":
            return self._describe_zh(accepted_seed, tries)
        check_choice("lang", lang, ("en", "zh", "both"))
        mean_top = self.top_box_alpha / (self.top_box_alpha + self.top_box_beta)
        a, b = _beta_parameters(self.rate_mean, self.rate_spread)
        na, nb = _beta_parameters(self.named_rate_mean, self.named_rate_spread)
        return "\n".join([
            "# Assumptions behind `responses_synthetic.csv` (SYNTHETIC data)",
            "",
            "These responses are **synthetic**: sampled by `survey_analysis.bundled.synthetic` from the",
            "model below. They are not real respondents. The article reports aggregate figures only.",
            "",
            "## How the parameters were chosen",
            "",
            "The article publishes two figures that pull against each other: 152 items with satisfaction",
            "\"over 95%\" and \"ten-plus\" (11 to 19) items at 100%. With few respondents per item, many items",
            "come out at 100% by chance; so both figures together say something about the survey behind",
            "them. `sa.implied_designs(152, 0.95, (11, 19), respondents=range(20, 201, 10),",
            "spread=[0, 0.01, 0.02, 0.03, 0.04], mean=[0.955, 0.96, ..., 0.98])` gives, for each mean true",
            "rate, spread (standard deviation) of the items' true rates and number of respondents per",
            "item, the probability that a survey shows both figures. The plausible region is the designs",
            "where that probability is at least 0.5 (`survey_analysis.bundled.synthetic.plausible_region()`);",
            "it is a ridge, from 50 respondents per item (mean 0.955, no spread) to 200 (mean 0.96-0.975,",
            "spread 0.02-0.04), where the grid ends; it goes on beyond 200 at larger spreads (notebook 03",
            "follows it). Its middle -- the median mean and spread over the region, then the median",
            f"respondents per item at those -- is mean {self.rate_mean:g}, spread {self.rate_spread:g} and "
            "about 105",
            "respondents per item (90 to 120 are in the region there). These are the parameters below.",
            "`tests/test_synthetic.py` recomputes this choice and simulates the model: the published figures",
            "are typical under it, not guaranteed.",
            "",
            "## The model",
            "",
            f"- Random seed: {self.seed} (`numpy.random.default_rng`).",
            "- Items: the 152 rows of `data/items.csv`, one sample per item.",
            f"- Respondents per item: {self.min_respondents} + NegativeBinomial(mean "
            f"{self.extra_respondents_mean:g}, dispersion {self.extra_respondents_dispersion:g}).",
            f"- True satisfied rate (满意 + 基本满意) per item: Beta({a:.4g}, {b:.4g}), i.e. mean "
            f"{self.rate_mean:g}, standard deviation {self.rate_spread:g}; items differ, so responses "
            "cluster within items.",
            f"- The three items the article names as reaching 100% (provenance `named_at_100`): true "
            f"rate Beta({na:.4g}, {nb:.4g}), mean {self.named_rate_mean:g}, standard deviation "
            f"{self.named_rate_spread:g} (the article says all their respondents were satisfied). "
            "Whether they come out at 100% is still sampled.",
            f"- Share of 满意 among the satisfied, per item: Beta({self.top_box_alpha:g}, "
            f"{self.top_box_beta:g}), mean {mean_top:.2f}; the rest answer 基本满意.",
            "- Everyone not satisfied answers 不满意.",
            f"- Each respondent answers 不了解 (don't know) with probability "
            f"{self.dont_know_share:g}, independently of the rest.",
            "- Each respondent answers on one item only; respondent ids are sequential.",
            "",
            "## Conditioning on the published figures",
            "",
            "The committed sample is a draw from this model conditioned on what the article publishes, by",
            f"rejection sampling: seeds are tried in order from {self.seed}, and the first sample whose",
            "pooled rate is above 95%, with 11 to 19 items at 100% and the three named items among them, is",
            "kept. Nothing in a sample is changed; a sample is only accepted or not. Under the model such a",
            "sample comes up in about 4 draws of 10 (`simulate_published_figures`), so this picks a typical",
            "survey consistent with the article, not an unusual one."
            + (f" Accepted: seed {accepted_seed}, draw {tries}." if accepted_seed is not None else ""),
            "",
            "Regenerate with `survey-analysis synthesize data/synthetic --force`; a test checks",
            "that the committed file is byte-identical to the generator's output.",
            "",
        ])

    def _describe_zh(self, accepted_seed: int | None, tries: int | None) -> str:
        # The same statement as the English one, sentence for sentence, for Chinese readers.
        mean_top = self.top_box_alpha / (self.top_box_alpha + self.top_box_beta)
        a, b = _beta_parameters(self.rate_mean, self.rate_spread)
        na, nb = _beta_parameters(self.named_rate_mean, self.named_rate_spread)
        return "\n".join([
            "# `responses_synthetic.csv` 背后的假设（合成数据，SYNTHETIC）",
            "",
            "这些回答是**合成的**：由 `survey_analysis.bundled.synthetic` 按下面的模型抽样生成，",
            "不是真实受访者的回答。文章只公布了汇总数字。",
            "",
            "## 参数如何选定",
            "",
            "文章公布的两个数字相互牵制：152个事项满意度“超过95%”，以及“十余件”（11至19件）事项满意度达100%。",
            "每个事项受访者少时，很多事项会偶然达到100%；所以两个数字合起来能说明其背后调查的一些情况。",
            "`sa.implied_designs(152, 0.95, (11, 19), respondents=range(20, 201, 10),",
            "spread=[0, 0.01, 0.02, 0.03, 0.04], mean=[0.955, 0.96, ..., 0.98])` 对每一种真实满意率均值、",
            "各事项真实满意率的离散程度（标准差）和每个事项的受访人数，给出一次调查同时得到这两个数字的概率。",
            "概率至少为0.5的设计构成“可信区域”（`survey_analysis.bundled.synthetic.plausible_region()`）；",
            "它是一条山脊：从每个事项50名受访者（均值0.955，无离散）到200名（均值0.96-0.975，离散0.02-0.04），",
            "200名是网格的终点；离散更大时，区域在200名以外仍会延续（第03本笔记本沿它继续计算）。",
            "取其中部（区域内均值和离散的中位数，再取这两个值处每个事项受访人数的中位数），得到",
            f"均值 {self.rate_mean:g}、离散 {self.rate_spread:g}，每个事项约105名受访者（该处90至120人都在区域内）。",
            "下面的参数即由此而来。`tests/test_synthetic.py` 会重算这一选择并模拟该模型：在此模型下，",
            "公布的数字是常见结果，但并非必然。",
            "",
            "## 模型",
            "",
            f"- 随机种子：{self.seed}（`numpy.random.default_rng`）。",
            "- 事项：`data/items.csv` 的152行，每个事项一个样本。",
            f"- 每个事项的受访人数：{self.min_respondents} + 负二项分布（均值 "
            f"{self.extra_respondents_mean:g}，离散参数 {self.extra_respondents_dispersion:g}）。",
            f"- 每个事项的真实满意率（满意 + 基本满意）：Beta({a:.4g}, {b:.4g})，即均值 "
            f"{self.rate_mean:g}、标准差 {self.rate_spread:g}；事项之间不同，所以回答在事项内成群。",
            f"- 文章点名达到100%的三个事项（来源标记 `named_at_100`）：真实满意率 "
            f"Beta({na:.4g}, {nb:.4g})，均值 {self.named_rate_mean:g}、标准差 "
            f"{self.named_rate_spread:g}（文章说其受访者全部满意）。它们是否达到100%仍由抽样决定。",
            f"- 满意者中回答“满意”的比例，每个事项：Beta({self.top_box_alpha:g}, "
            f"{self.top_box_beta:g})，均值 {mean_top:.2f}；其余满意者回答“基本满意”。",
            "- 不满意的人都回答“不满意”。",
            f"- 每名受访者以概率 {self.dont_know_share:g} 回答“不了解”，与其他情况无关。",
            "- 每名受访者只就一个事项作答；受访者编号按顺序排列。",
            "",
            "## 以公布的数字为条件",
            "",
            "仓库中的样本是该模型在“与文章公布数字相符”这一条件下的一次抽取，采用拒绝抽样：",
            f"从种子 {self.seed} 起依次尝试，第一个合并满意率超过95%、有11至19个事项达到100%、",
            "且点名的三个事项都在其中的样本被保留。样本本身不作任何改动，只决定接受与否。在此模型下，",
            "约每10次抽取中有4次得到这样的样本（`simulate_published_figures`），所以选出的是与文章相符的",
            "一次典型调查，而不是一次罕见的调查。"
            + (f"接受的种子：{accepted_seed}，第 {tries} 次抽取。" if accepted_seed is not None else ""),
            "",
            "用 `survey-analysis synthesize data/synthetic --force` 重新生成；有测试检查仓库中的文件",
            "与生成器的输出逐字节相同。",
            "",
        ])


def _true_rates(rng, a: SyntheticAssumptions, named: np.ndarray, size: int) -> np.ndarray:
    rates = rng.beta(*_beta_parameters(a.rate_mean, a.rate_spread), size=size)
    named_rates = rng.beta(*_beta_parameters(a.named_rate_mean, a.named_rate_spread), size=size)
    return np.where(named, named_rates, rates)


def generate_synthetic_responses(item_ids, assumptions: SyntheticAssumptions | None = None,
                                 named=()) -> pd.DataFrame:
    """Sample SYNTHETIC raw responses (as an analyst's sheet would hold them).

    Parameters
    ----------
    item_ids : sequence of str
        Item identifiers, e.g. ``load_items()["item_id"]``.
    assumptions : SyntheticAssumptions, optional
        The model; defaults to :class:`SyntheticAssumptions()`.
    named : collection of str, optional
        Items whose true rates follow the ``named_rate_*`` assumptions.

    Returns
    -------
    pandas.DataFrame
        Columns ``respondent_id``, ``item_id``, ``rating`` (满意 / 基本满意 / 不满意 /
        不了解), one row per respondent, items in the given order.

    Examples
    --------
    >>> responses = generate_synthetic_responses(["X1", "X2"])
    >>> list(responses.columns), sorted(responses["item_id"].unique())
    (['respondent_id', 'item_id', 'rating'], ['X1', 'X2'])
    """
    a = assumptions or SyntheticAssumptions()
    rng = np.random.default_rng(a.seed)
    items = np.asarray(list(item_ids), dtype=object)
    m = len(items)
    # NumPy's negative binomial counts failures with success probability p; mean = size (1 - p) / p.
    size = a.extra_respondents_dispersion
    p = size / (size + a.extra_respondents_mean)
    n_per_item = a.min_respondents + rng.negative_binomial(size, p, size=m)
    true_rate = _true_rates(rng, a, np.isin(items, list(named)), m)
    top_share = rng.beta(a.top_box_alpha, a.top_box_beta, size=m)

    item_index = np.repeat(np.arange(m), n_per_item)
    total = int(n_per_item.sum())
    dont_know = rng.random(total) < a.dont_know_share
    satisfied = rng.random(total) < true_rate[item_index]
    top_box = rng.random(total) < top_share[item_index]
    rating = np.where(satisfied, np.where(top_box, "满意", "基本满意"), "不满意")
    rating = np.where(dont_know, "不了解", rating)
    return pd.DataFrame({
        "respondent_id": [f"R{i:06d}" for i in range(1, total + 1)],
        "item_id": items[item_index],
        "rating": rating,
    })


def shows_published_figures(responses: pd.DataFrame, named=(), overall_above: float = 0.95,
                             items_at_100=(11, 19)) -> bool:
    """Whether a raw synthetic sample shows the figures: pooled rate above ``overall_above``,
    the number of items at 100% in ``items_at_100``, every ``named`` item at 100% (counts of
    满意 + 基本满意 over answers other than 不了解)."""
    answered = responses.loc[responses["rating"] != "不了解"]
    satisfied = answered["rating"].isin(["满意", "基本满意"])
    per_item = satisfied.groupby(answered["item_id"]).agg(["size", "sum"])
    perfect = set(per_item.index[per_item["size"] == per_item["sum"]])
    return (satisfied.mean() > overall_above and items_at_100[0] <= len(perfect) <= items_at_100[1]
            and set(named) <= perfect)


def conditioned_draw(item_ids, named=(), assumptions: SyntheticAssumptions | None = None,
                     max_tries: int = 200):
    """The first sample, over seeds ``assumptions.seed``, ``+1``, ..., that shows the published
    figures (:func:`shows_published_figures`): rejection sampling from the model conditioned
    on them. Returns ``(responses, seed, tries)``."""
    from dataclasses import replace

    a = assumptions or SyntheticAssumptions()
    for tries in range(1, max_tries + 1):
        seed = a.seed + tries - 1
        responses = generate_synthetic_responses(item_ids, replace(a, seed=seed), named=named)
        if shows_published_figures(responses, named):
            return responses, seed, tries
    raise RuntimeError(say("bundled.synthetic.no_sample", tries=max_tries))


def simulate_published_figures(item_ids, named=(), assumptions: SyntheticAssumptions | None = None,
                               surveys: int = 2000, seed: int = 1, overall_above: float = 0.95,
                               items_at_100=(11, 19)) -> dict:
    """How often the model produces the published figures: a simulation of ``surveys`` samples.

    Each simulated survey draws the respondents per item, the true rates, the "don't know"
    answers and the satisfied counts as :func:`generate_synthetic_responses` does (vectorized,
    counts only), and records whether the pooled rate is above ``overall_above``, whether the
    number of items at 100% is in ``items_at_100``, and whether every ``named`` item is at 100%.

    Returns
    -------
    dict
        Shares of surveys: ``overall``, ``items_at_100``, ``named_at_100``, ``all``
        (all three together), and ``surveys``.
    """
    a = assumptions or SyntheticAssumptions()
    rng = np.random.default_rng(seed)
    items = np.asarray(list(item_ids), dtype=object)
    named_mask = np.isin(items, list(named))
    size = a.extra_respondents_dispersion
    p = size / (size + a.extra_respondents_mean)
    asked = a.min_respondents + rng.negative_binomial(size, p, size=(surveys, len(items)))
    valid = rng.binomial(asked, 1.0 - a.dont_know_share)
    rates = _true_rates(rng, a, np.broadcast_to(named_mask, valid.shape), valid.shape)
    satisfied = rng.binomial(valid, rates)
    perfect = (satisfied == valid) & (valid > 0)
    count = perfect.sum(axis=1)
    overall = satisfied.sum(axis=1) / valid.sum(axis=1) > overall_above
    in_range = (count >= items_at_100[0]) & (count <= items_at_100[1])
    named_ok = perfect[:, named_mask].all(axis=1) if named_mask.any() else np.ones(surveys, bool)
    return {"overall": float(overall.mean()), "items_at_100": float(in_range.mean()),
            "named_at_100": float(named_ok.mean()),
            "all": float((overall & in_range & named_ok).mean()), "surveys": int(surveys)}


def write_synthetic_dataset(directory, item_ids=None, assumptions: SyntheticAssumptions | None = None,
                            force: bool = False) -> Path:
    """Write ``responses_synthetic.csv`` and ``ASSUMPTIONS.md`` into ``directory``.

    Parameters
    ----------
    directory : str or path
        Output folder (created if needed).
    item_ids : sequence of str, optional
        Defaults to the bundled catalogue ``data/items.csv`` (whose ``named_at_100`` items
        follow the named-item assumptions).
    assumptions : SyntheticAssumptions, optional
    force : bool, default False
        Replace the two files when ``directory`` already holds either (CLI ``--force``).

    Returns
    -------
    pathlib.Path
        Path of the CSV written (UTF-8 with BOM, like every CSV the package writes, so
        Excel shows the Chinese labels).

    Raises
    ------
    ValueError
        Before anything is drawn: ``directory`` already holds one of the files and
        ``force`` is False; or it is a file, a symbolic link, or below a file.
    """
    from .datasets import load_items

    directory = check_output_path(directory, Hint("directory", "FOLDER"))
    present = [name for name in (SYNTHETIC_FILE_NAME, "ASSUMPTIONS.md")
               if os.path.lexists(directory / name)]
    if present and not force:
        raise SurveyError("bundled.synthetic.exists", directory=directory, files=", ".join(present),
                          force=Hint("force", True))
    a = assumptions or SyntheticAssumptions()
    named = ()
    if item_ids is None:
        items = load_items()
        item_ids = items["item_id"]
        named = tuple(items.loc[items["provenance"] == "named_at_100", "item_id"])
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / SYNTHETIC_FILE_NAME
    responses, seed, tries = conditioned_draw(item_ids, named, a)
    # Ids and rating labels only, nothing formula-like: plain pandas CSV (UTF-8 with BOM,
    # "\n" line ends, so the same data give the same bytes on every platform).
    responses.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
    (directory / "ASSUMPTIONS.md").write_text(a.describe(seed, tries, lang="both"), encoding="utf-8")
    return path
