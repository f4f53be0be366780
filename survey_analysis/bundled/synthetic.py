"""SYNTHETIC respondent-level responses for the 152-item catalogue.

The article gives aggregate figures only; no respondent data exist in this
repository. This module samples demo responses from a stated model with a fixed
seed. It does not force the published figures: whether the synthetic data show
"over 95%" or "ten-plus items at 100%" is an outcome of the model, not an input.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["SyntheticAssumptions", "generate_synthetic_responses", "write_synthetic_dataset",
           "SYNTHETIC_FILE_NAME"]

SYNTHETIC_FILE_NAME = "responses_synthetic.csv"


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
        and dispersion (size) parameter: most items get a few dozen answers, some
        many more.
    rate_alpha, rate_beta : float
        True satisfied rate (满意 + 基本满意) of each item ~ Beta(alpha, beta).
    top_box_alpha, top_box_beta : float
        Share of 满意 among the satisfied, per item ~ Beta(alpha, beta).
    dont_know_share : float
        Probability that a respondent answers 不了解 (don't know).
    """

    seed: int = 20211031
    min_respondents: int = 8
    extra_respondents_mean: float = 30.0
    extra_respondents_dispersion: float = 1.5
    rate_alpha: float = 30.0
    rate_beta: float = 1.5
    top_box_alpha: float = 7.0
    top_box_beta: float = 3.0
    dont_know_share: float = 0.04

    def describe(self) -> str:
        """Plain-language statement of the assumptions (Markdown)."""
        mean_rate = self.rate_alpha / (self.rate_alpha + self.rate_beta)
        mean_top = self.top_box_alpha / (self.top_box_alpha + self.top_box_beta)
        return "\n".join([
            "# Assumptions behind `responses_synthetic.csv` (SYNTHETIC data)",
            "",
            "These responses are **synthetic**: sampled by `survey_analysis.bundled.synthetic` from the",
            "model below. They are not real respondents. The article reports aggregate figures",
            "only; the model does not force them, so the synthetic data may or may not show",
            "them.",
            "",
            f"- Random seed: {self.seed} (`numpy.random.default_rng`).",
            "- Items: the 152 rows of `data/items.csv`, one sample per item.",
            f"- Respondents per item: {self.min_respondents} + NegativeBinomial(mean "
            f"{self.extra_respondents_mean:g}, dispersion {self.extra_respondents_dispersion:g}).",
            f"- True satisfied rate (满意 + 基本满意) per item: Beta({self.rate_alpha:g}, "
            f"{self.rate_beta:g}), mean {mean_rate:.3f}; items differ, so responses cluster "
            "within items.",
            f"- Share of 满意 among the satisfied, per item: Beta({self.top_box_alpha:g}, "
            f"{self.top_box_beta:g}), mean {mean_top:.2f}; the rest answer 基本满意.",
            "- Everyone not satisfied answers 不满意.",
            f"- Each respondent answers 不了解 (don't know) with probability "
            f"{self.dont_know_share:g}, independently of the rest.",
            "- Each respondent answers about one item; respondent ids are sequential.",
            "",
            "Regenerate with `survey-analysis synthesize data/synthetic`; a test checks",
            "that the committed file is byte-identical to the generator's output.",
            "",
        ])


def generate_synthetic_responses(item_ids, assumptions: SyntheticAssumptions | None = None) -> pd.DataFrame:
    """Sample SYNTHETIC raw responses (as an analyst's sheet would hold them).

    Parameters
    ----------
    item_ids : sequence of str
        Item identifiers, e.g. ``load_items()["item_id"]``.
    assumptions : SyntheticAssumptions, optional
        The model; defaults to :class:`SyntheticAssumptions()`.

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
    true_rate = rng.beta(a.rate_alpha, a.rate_beta, size=m)
    top_share = rng.beta(a.top_box_alpha, a.top_box_beta, size=m)

    item_index = np.repeat(np.arange(m), n_per_item)
    total = int(n_per_item.sum())
    dont_know = rng.random(total) < a.dont_know_share
    satisfied = rng.random(total) < true_rate[item_index]
    top_box = rng.random(total) < top_share[item_index]
    rating = np.where(satisfied, np.where(top_box, "满意", "基本满意"), "不满意")
    rating = np.where(dont_know, "不了解", rating)
    return pd.DataFrame({
        "respondent_id": [f"R{i:05d}" for i in range(1, total + 1)],
        "item_id": items[item_index],
        "rating": rating,
    })


def write_synthetic_dataset(directory, item_ids=None, assumptions: SyntheticAssumptions | None = None) -> Path:
    """Write ``responses_synthetic.csv`` and ``ASSUMPTIONS.md`` into ``directory``.

    Parameters
    ----------
    directory : str or path
        Output folder (created if needed).
    item_ids : sequence of str, optional
        Defaults to the bundled catalogue ``data/items.csv``.
    assumptions : SyntheticAssumptions, optional

    Returns
    -------
    pathlib.Path
        Path of the CSV written (UTF-8 with BOM, like every CSV the package writes, so
        Excel shows the Chinese labels).
    """
    from .datasets import load_items

    a = assumptions or SyntheticAssumptions()
    if item_ids is None:
        item_ids = load_items()["item_id"]
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / SYNTHETIC_FILE_NAME
    # Ids and rating labels only, nothing formula-like: plain pandas CSV (UTF-8 with BOM,
    # "\n" line ends, so the same data give the same bytes on every platform).
    generate_synthetic_responses(item_ids, a).to_csv(path, index=False, encoding="utf-8-sig",
                                                      lineterminator="\n")
    (directory / "ASSUMPTIONS.md").write_text(a.describe(), encoding="utf-8")
    return path
