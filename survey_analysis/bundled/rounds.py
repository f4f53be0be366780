"""SYNTHETIC responses of two survey rounds about the same items.

An office that surveys every quarter compares this round with the last
(:func:`~survey_analysis.compare_rounds`). No real data of that kind ship with the
package, so this module samples a demonstration from a stated model with a fixed seed:
the same items in both rounds, each with a persistent true rate, and a few named items
whose true rate moves in the second round while the rest stay where they were. Because
the truth is known (:func:`synthetic_rounds_truth`), a comparison can be checked against
it. Nothing here describes any real office or publication.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from .._validation import check_choice
from ..words import SurveyError

__all__ = ["ROUNDS_ASSUMPTIONS_FILE_NAME", "ROUNDS_FILE_NAME", "ROUNDS_SEED", "RoundsAssumptions",
           "generate_synthetic_rounds", "synthetic_rounds_truth", "write_synthetic_rounds"]

ROUNDS_FILE_NAME = "rounds_synthetic.csv"
ROUNDS_ASSUMPTIONS_FILE_NAME = "ROUNDS_ASSUMPTIONS.md"
#: Seed of the committed sample.
ROUNDS_SEED = 20261130

_LEVELS = ("满意", "基本满意", "不满意")  # the ``cn3`` scale, best first


def _default_shifts() -> dict:
    return {"I07": -1.5, "I22": -1.0, "I38": 1.5, "I51": 1.0}


@dataclass(frozen=True)
class RoundsAssumptions:
    """The model behind the synthetic rounds (every number is an assumption).

    Attributes
    ----------
    seed : int
        Seed of :func:`numpy.random.default_rng`.
    n_items : int
        Number of items, ``I01``, ``I02``, ... (the same items in both rounds).
    rounds : (str, str)
        Labels of the earlier and the later round.
    rate_mean : float
        Common mean: the satisfied rate (满意 + 基本满意) of an item with no item effect;
        on the logit scale, ``logit(rate_mean)``.
    item_sd : float
        Standard deviation of the persistent item effects (logit scale, normal, mean 0):
        an item's effect is the same in both rounds.
    shifts : dict of str -> float
        Change of the named items' true rates in the later round, on the logit scale
        (positive: up). Every other item keeps its true rate.
    min_respondents : int
        Smallest number of respondents per item and round.
    extra_respondents_mean, extra_respondents_dispersion : float
        Respondents per item and round = ``min_respondents`` + NegativeBinomial with this
        mean and dispersion (size), drawn independently for each item and round.
    top_box_alpha, top_box_beta : float
        Share of 满意 among the satisfied, per item ~ Beta(alpha, beta), the same in both
        rounds; the rest of the satisfied answer 基本满意, everyone else 不满意.
    """

    seed: int = ROUNDS_SEED
    n_items: int = 60
    rounds: tuple = ("2026Q2", "2026Q3")
    rate_mean: float = 0.88
    item_sd: float = 0.5
    shifts: dict = field(default_factory=_default_shifts)
    min_respondents: int = 40
    extra_respondents_mean: float = 80.0
    extra_respondents_dispersion: float = 4.0
    top_box_alpha: float = 6.0
    top_box_beta: float = 3.0

    def item_ids(self) -> list:
        """Item ids ``I01`` ... (zero-padded to the width of ``n_items``)."""
        width = max(2, len(str(self.n_items)))
        return [f"I{j:0{width}d}" for j in range(1, self.n_items + 1)]

    def check(self) -> None:
        """Raise ``ValueError`` for an impossible model (unknown shifted items, bad values)."""
        if int(self.n_items) < 1:
            raise SurveyError("bundled.rounds.n_items", value=self.n_items)
        if len(self.rounds) != 2 or self.rounds[0] == self.rounds[1]:
            raise SurveyError("bundled.rounds.labels", value=self.rounds)
        if not 0.0 < self.rate_mean < 1.0:
            raise SurveyError("bundled.rounds.rate_mean", value=self.rate_mean)
        if self.item_sd < 0 or self.min_respondents < 0 or self.extra_respondents_mean <= 0 \
                or self.extra_respondents_dispersion <= 0:
            raise SurveyError("bundled.rounds.spread")
        unknown = sorted(set(self.shifts) - set(self.item_ids()))
        if unknown:
            raise SurveyError("bundled.rounds.shifts", unknown=unknown, count=self.n_items)

    def describe(self, lang: str = "en") -> str:
        """Plain-language statement of the assumptions (Markdown), with the true rates of
        the shifted items; ``lang`` is ``"en"``, ``"zh"`` or ``"both"`` (Chinese first, as
        the committed file is written)."""
        if lang == "both":
            return self.describe("zh") + "\n---\n\n" + self.describe("en")
        if lang == "zh":
            return self._describe_zh()
        check_choice("lang", lang, ("en", "zh", "both"))
        earlier, later = self.rounds
        mean_top = self.top_box_alpha / (self.top_box_alpha + self.top_box_beta)
        logit_mean = float(np.log(self.rate_mean / (1.0 - self.rate_mean)))
        lines = [
            f"# Assumptions behind `{ROUNDS_FILE_NAME}` (SYNTHETIC data)",
            "",
            "**SYNTHETIC — not real respondents.** These answers were sampled by",
            "`survey_analysis.bundled.rounds` from the model below, to demonstrate comparing two",
            "survey rounds (`sa.compare_rounds`). They describe no real office, item or person.",
            "",
            "## The model",
            "",
            f"- Random seed: {self.seed} (`numpy.random.default_rng`); the draws are made in the",
            "  order: item effects, share of 满意 per item, respondents per item and round, answers.",
            (f"- Items: {self.n_items}, `{self.item_ids()[0]}` to `{self.item_ids()[-1]}`, "
             "the same items in both rounds."),
            f"- Rounds: `{earlier}` (earlier) and `{later}` (later), column `round`.",
            (f"- True satisfied rate (满意 + 基本满意) of item i in round r, on the logit scale: "
             f"common mean logit({self.rate_mean:g}) = {logit_mean:.4f} (so the median item's "
             f"true rate is {self.rate_mean:g}), plus a persistent item "
             f"effect ~ Normal(0, {self.item_sd:g}) that is the same in both rounds, plus the item's "
             f"shift in round `{later}` (0 unless listed below). Items differ, so answers cluster "
             "within items, and the clusters are shared by the rounds."),
            "- Shifts in the later round (logit scale; every other item keeps its true rate):",
        ]
        lines = self._with_shifts(lines, "| item | shift (logit) | true rate earlier | true rate later |",
                                  " none.")
        lines += [
            (f"- Respondents per item and round: {self.min_respondents} + NegativeBinomial(mean "
             f"{self.extra_respondents_mean:g}, dispersion {self.extra_respondents_dispersion:g}), "
             "independently for each item and round (different people in each round; each "
             "respondent answers on one item only; ids `R000001`... are sequential over the file)."),
            (f"- Share of 满意 among the satisfied, per item: Beta({self.top_box_alpha:g}, "
             f"{self.top_box_beta:g}), mean {mean_top:.2f}, the same in both rounds; the other "
             "satisfied answer 基本满意. Everyone not satisfied answers 不满意 (scale `cn3`)."),
            "- No don't-know answers, blank rows or other exclusions: every row is kept when loaded.",
            "",
            "## The file",
            "",
            f"`{ROUNDS_FILE_NAME}`: UTF-8 with BOM, `\\n` line ends, one row per respondent, columns",
            "`respondent_id,item_id,round,rating`; rows ordered by round, then item. Read it with",
            "`sa.load_responses(sa.synthetic_rounds_path(), keep_columns=[\"round\"])`.",
            "",
            ("Regenerate with `python -c \"from survey_analysis.bundled.rounds import "
             "write_synthetic_rounds; write_synthetic_rounds('data/synthetic')\"`; "
             "`tests/test_rounds_data.py` checks that the committed files are byte-identical to the "
             "generator's output. The true rates of every item are "
             "`survey_analysis.bundled.rounds.synthetic_rounds_truth()`."),
            "",
        ]
        return "\n".join(lines)

    def _with_shifts(self, lines: list, head: str, none: str) -> list:
        """``lines`` followed by the table of shifted items (``head`` names its columns), or
        with ``none`` added to the last line when no item shifts."""
        if not self.shifts:
            return lines[:-1] + [lines[-1] + none]
        truth = synthetic_rounds_truth(**asdict(self)).set_index("item_id")
        rows = [f"  | `{item}` | {shift:+.2f} | {truth.loc[item, 'true_rate_earlier']:.3f} | "
                f"{truth.loc[item, 'true_rate_later']:.3f} |" for item, shift in sorted(self.shifts.items())]
        return lines + ["", "  " + head, "  |---|---|---|---|", *rows, ""]

    def _describe_zh(self) -> str:
        # The same statement as the English one, sentence for sentence, for Chinese readers.
        earlier, later = self.rounds
        mean_top = self.top_box_alpha / (self.top_box_alpha + self.top_box_beta)
        logit_mean = float(np.log(self.rate_mean / (1.0 - self.rate_mean)))
        lines = [
            f"# `{ROUNDS_FILE_NAME}` 背后的假设（合成数据，SYNTHETIC）",
            "",
            "**合成数据，并非真实受访者。** 这些回答由 `survey_analysis.bundled.rounds` 按下面的模型抽样生成，",
            "用来演示两轮调查的比较（`sa.compare_rounds`），不描述任何真实的单位、事项或个人。",
            "",
            "## 模型",
            "",
            f"- 随机种子：{self.seed}（`numpy.random.default_rng`）；抽样顺序为：事项效应、每个事项中“满意”的",
            "  比例、每个事项每轮的受访人数、回答。",
            (f"- 事项：{self.n_items} 个，`{self.item_ids()[0]}` 至 `{self.item_ids()[-1]}`，两轮的事项相同。"),
            f"- 轮次：`{earlier}`（较早）和 `{later}`（较晚），列名 `round`。",
            (f"- 第 r 轮事项 i 的真实满意率（满意 + 基本满意），在 logit 尺度上等于：共同均值 "
             f"logit({self.rate_mean:g}) = {logit_mean:.4f}（所以中位事项的真实满意率为 {self.rate_mean:g}），"
             f"加上一个两轮相同的事项效应 ~ 正态(0, {self.item_sd:g})，再加上该事项在 `{later}` 轮的变动"
             "（除下表所列外均为0）。事项之间不同，所以回答在事项内成群，两轮共用这些群。"),
            "- 较晚一轮的变动（logit 尺度；其他事项的真实满意率不变）：",
        ]
        lines = self._with_shifts(lines, "| 事项 | 变动（logit） | 较早一轮真实满意率 | 较晚一轮真实满意率 |", "无。")
        lines += [
            (f"- 每个事项每轮的受访人数：{self.min_respondents} + 负二项分布（均值 "
             f"{self.extra_respondents_mean:g}，离散参数 {self.extra_respondents_dispersion:g}），"
             "各事项、各轮相互独立（每轮是不同的人；每名受访者只就一个事项作答；编号 `R000001`… 在整个文件中按顺序排列）。"),
            (f"- 满意者中回答“满意”的比例，每个事项：Beta({self.top_box_alpha:g}, {self.top_box_beta:g})，"
             f"均值 {mean_top:.2f}，两轮相同；其余满意者回答“基本满意”。不满意的人都回答“不满意”（量表 `cn3`）。"),
            "- 没有“不了解”、空行或其他排除：加载时每一行都保留。",
            "",
            "## 文件",
            "",
            f"`{ROUNDS_FILE_NAME}`：带 BOM 的 UTF-8，`\\n` 换行，每行一位受访者，列为",
            "`respondent_id,item_id,round,rating`；按轮次、再按事项排序。读取方法：",
            "`sa.load_responses(sa.synthetic_rounds_path(), keep_columns=[\"round\"])`。",
            "",
            ("重新生成：`python -c \"from survey_analysis.bundled.rounds import "
             "write_synthetic_rounds; write_synthetic_rounds('data/synthetic')\"`；"
             "`tests/test_rounds_data.py` 检查仓库中的文件与生成器的输出逐字节相同。每个事项的真实满意率见 "
             "`survey_analysis.bundled.rounds.synthetic_rounds_truth()`。"),
            "",
        ]
        return "\n".join(lines)


def _assumptions(seed, n_items, changes) -> RoundsAssumptions:
    unknown = sorted(set(changes) - set(RoundsAssumptions.__dataclass_fields__))
    if unknown:
        raise TypeError(f"unknown assumption(s) {unknown}; allowed: "
                        f"{sorted(RoundsAssumptions.__dataclass_fields__)}")
    a = replace(RoundsAssumptions(), seed=int(seed), n_items=int(n_items), **changes)
    a.check()
    return a


def _draw(a: RoundsAssumptions) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(raw answers, truth) of one sample; the only place the random numbers are drawn."""
    rng = np.random.default_rng(a.seed)
    items = np.asarray(a.item_ids(), dtype=object)
    m = len(items)
    effect = rng.normal(0.0, a.item_sd, size=m)
    top_share = rng.beta(a.top_box_alpha, a.top_box_beta, size=m)
    # NumPy's negative binomial counts failures with success probability p; mean = size (1 - p) / p.
    size = a.extra_respondents_dispersion
    p = size / (size + a.extra_respondents_mean)
    n = a.min_respondents + rng.negative_binomial(size, p, size=(2, m))
    shift = np.array([float(a.shifts.get(item, 0.0)) for item in items])
    base = np.log(a.rate_mean / (1.0 - a.rate_mean)) + effect
    true_rate = 1.0 / (1.0 + np.exp(-np.vstack([base, base + shift])))
    truth = pd.DataFrame({"item_id": items.astype(str), "item_effect": effect, "shift": shift,
                          "true_rate_earlier": true_rate[0], "true_rate_later": true_rate[1],
                          "top_box_share": top_share,
                          "n_earlier": n[0], "n_later": n[1]})
    round_index = np.repeat([0, 1], n.sum(axis=1))
    item_index = np.concatenate([np.repeat(np.arange(m), n[0]), np.repeat(np.arange(m), n[1])])
    total = len(item_index)
    satisfied = rng.random(total) < true_rate[round_index, item_index]
    top_box = rng.random(total) < top_share[item_index]
    rating = np.where(satisfied, np.where(top_box, _LEVELS[0], _LEVELS[1]), _LEVELS[2])
    raw = pd.DataFrame({
        "respondent_id": [f"R{i:06d}" for i in range(1, total + 1)],
        "item_id": items[item_index].astype(str),
        "round": np.asarray(a.rounds, dtype=object)[round_index].astype(str),
        "rating": rating,
    })
    return raw, truth


def generate_synthetic_rounds(seed: int = ROUNDS_SEED, n_items: int = 60,
                              **assumptions) -> pd.DataFrame:
    """Sample SYNTHETIC tidy responses of two rounds about the same items.

    Parameters
    ----------
    seed : int, default 20261130
        Seed of :func:`numpy.random.default_rng` (the committed sample's).
    n_items : int, default 60
        Number of items, ``I01`` ... (the default shifts name items up to ``I51``; with
        fewer items give ``shifts=`` too).
    **assumptions
        Any other field of :class:`RoundsAssumptions` (``rounds``, ``rate_mean``,
        ``item_sd``, ``shifts``, ``min_respondents`` ...).

    Returns
    -------
    pandas.DataFrame
        Tidy responses as :func:`~survey_analysis.load_responses` returns them
        (``item_id``, ``respondent_id``, ``rating``, ``scale`` = ``"cn3"``, ``rank``,
        ``round``, ``source_line``; the load report in ``.attrs["load_report"]``), one row
        per respondent, ready for :func:`~survey_analysis.compare_rounds`.

    See Also
    --------
    synthetic_rounds_truth : the true rates the sample was drawn from.
    write_synthetic_rounds : the same sample as a CSV file with its datasheet.

    Notes
    -----
    The model (:class:`RoundsAssumptions`): an item's true satisfied rate on the logit
    scale is a common mean plus a persistent normal item effect, plus, in the later round
    only, a stated shift for a few named items; respondents per item and round are a
    minimum plus a negative binomial count; everyone not satisfied answers 不满意.

    Examples
    --------
    >>> responses = generate_synthetic_rounds()
    >>> responses.groupby("round")["item_id"].nunique().to_dict()
    {'2026Q2': 60, '2026Q3': 60}
    >>> sorted(responses["rating"].unique()), responses["scale"].unique().tolist()
    (['不满意', '基本满意', '满意'], ['cn3'])
    >>> small = generate_synthetic_rounds(seed=1, n_items=5, shifts={"I02": -2.0})
    >>> small["item_id"].unique().tolist()
    ['I01', 'I02', 'I03', 'I04', 'I05']
    """
    from ..load.responses import load_responses

    raw, _ = _draw(_assumptions(seed, n_items, assumptions))
    return load_responses(raw, scale="cn3", keep_columns=["round"])


def synthetic_rounds_truth(seed: int = ROUNDS_SEED, n_items: int = 60, **assumptions) -> pd.DataFrame:
    """The true rates behind :func:`generate_synthetic_rounds` with the same arguments.

    Returns
    -------
    pandas.DataFrame
        One row per item: ``item_id``, ``item_effect`` (logit scale), ``shift`` (logit
        scale, 0 for unshifted items), ``true_rate_earlier``, ``true_rate_later``,
        ``top_box_share`` (满意 among the satisfied), ``n_earlier``, ``n_later``
        (respondents drawn).

    Examples
    --------
    >>> truth = synthetic_rounds_truth()
    >>> truth.loc[truth["shift"] != 0, ["item_id", "shift"]].to_string(index=False)
    'item_id  shift\\n    I07   -1.5\\n    I22   -1.0\\n    I38    1.5\\n    I51    1.0'
    >>> bool((truth.loc[truth["shift"] == 0, "true_rate_earlier"]
    ...       == truth.loc[truth["shift"] == 0, "true_rate_later"]).all())
    True
    """
    return _draw(_assumptions(seed, n_items, assumptions))[1]


def write_synthetic_rounds(directory, seed: int = ROUNDS_SEED, n_items: int = 60,
                           **assumptions) -> Path:
    """Write ``rounds_synthetic.csv`` and its datasheet ``ROUNDS_ASSUMPTIONS.md``.

    Parameters
    ----------
    directory : str or path
        Output folder (created if needed); the committed copy is ``data/synthetic/``.
    seed, n_items, **assumptions
        As for :func:`generate_synthetic_rounds`.

    Returns
    -------
    pathlib.Path
        Path of the CSV: UTF-8 with BOM (so Excel shows the Chinese labels), ``\\n`` line
        ends, columns ``respondent_id,item_id,round,rating``, one row per respondent;
        the same data give the same bytes on every platform.

    Examples
    --------
    >>> import tempfile
    >>> import survey_analysis as sa
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = write_synthetic_rounds(folder)
    ...     header = path.read_text(encoding="utf-8-sig").splitlines()[0]
    ...     responses = sa.load_responses(path, keep_columns=["round"])
    ...     report = responses.attrs["load_report"]
    ...     sheet = (path.parent / "ROUNDS_ASSUMPTIONS.md").read_text(encoding="utf-8")
    >>> header, report.rows_read == report.rows_kept, "SYNTHETIC" in sheet
    ('respondent_id,item_id,round,rating', True, True)
    """
    a = _assumptions(seed, n_items, assumptions)
    raw, _ = _draw(a)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / ROUNDS_FILE_NAME
    # Ids and rating labels only, nothing formula-like: plain pandas CSV.
    raw.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
    (directory / ROUNDS_ASSUMPTIONS_FILE_NAME).write_text(a.describe(lang="both"), encoding="utf-8")
    return path
