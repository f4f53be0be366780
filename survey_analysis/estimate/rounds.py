"""Two survey rounds compared: this quarter against the last, overall and per item.

An office that surveys every quarter wants to know whether satisfaction changed, and
with which items. :func:`compare_rounds` answers both:

* overall -- the difference of the pooled rates (later minus earlier) as a difference
  of two domains of one design (:func:`~survey_analysis.estimate.domains.domain_differences`):
  the same items surveyed in both rounds are the same clusters, so their shared
  circumstances are accounted for; the naive interval that treats every answer as
  independent is shown beside it;
* per item -- Newcombe's interval for each item's change (respondents within an item
  as independent), Fisher's exact test, and a multiplicity adjustment over the items,
  so "improved" and "worsened" are said only where chance is an unlikely explanation.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from .._validation import Option, check_choice, tail_probability
from ..design.design import as_design, is_tidy_responses
from ..scales.text import id_keys
from ..words import (
    Hint,
    Message,
    Note,
    SurveyError,
    SurveyWarning,
    frame_html,
    join_notes,
    percent,
    say,
    shorten,
)
from .comparisons import DIFFERENCE_CI_METHODS, fisher_exact_pvalues, rate_difference_ci
from .domains import domain_differences
from .multiplicity import PVALUE_ADJUSTMENTS, adjust_pvalues, simultaneous_confidence_level
from .results import Estimate, HeadlineEstimate

__all__ = ["CHANGES", "COMPARE_OPTIONS", "RoundsComparison", "compare_rounds", "stack_rounds"]

#: Per-item verdicts of :func:`compare_rounds` (codes; their words are the catalogue
#: entries ``change.<code>``).
CHANGES = ("improved", "worsened", "no clear change", "in one round only")

#: The options of :func:`compare_rounds` beside the design's: defaults, meanings and the
#: command-line flags of ``survey-analysis compare``.
COMPARE_OPTIONS: dict = {option.keyword: option for option in (
    Option("round", "round", "with one file: the column naming the round (default: round); with "
           "several: the name given to it", "--round-column", cli={"metavar": "COLUMN"}),
    Option("rounds", None, "the two rounds to compare when there are more, earliest first",
           "--rounds", cli={"nargs": 2, "metavar": ("EARLIER", "LATER")}),
    Option("labels", None, "round names for the files, in order (default: the file names)",
           "--labels", cli={"nargs": "+", "metavar": "LABEL"}),
    Option("confidence_level", 0.95, "level of every interval, e.g. 0.9 (default: 0.95)",
           "--confidence-level", cli={"type": float}),
    Option("method", "newcombe", "per-item interval of the change (default: newcombe)",
           "--difference-method", DIFFERENCE_CI_METHODS),
    Option("pvalue_adjustment", "holm",
           "adjustment of the per-item p-values over the items: holm (default), hochberg, "
           "bonferroni, sidak, benjamini_hochberg, benjamini_yekutieli", "--pvalue-adjustment",
           PVALUE_ADJUSTMENTS, cli={"metavar": "METHOD"}),
    Option("ci_adjustment", None,
           "simultaneous per-item intervals (default: each at the confidence level)",
           "--ci-adjustment", ("bonferroni", "sidak")),
)}


def stack_rounds(sources, labels=None, round: str = "round") -> pd.DataFrame:
    """Tidy responses of several rounds in one frame, with a ``round`` column.

    Parameters
    ----------
    sources : list of pandas.DataFrame
        Tidy responses per round (:func:`~survey_analysis.load_responses` of each
        round's sheet), earliest first.
    labels : list of str, optional
        Round names; default each frame's source file name without extension (from its
        load report), else ``round_1``, ``round_2`` ...
    round : str, default "round"
        Name of the new column.

    Returns
    -------
    pandas.DataFrame
        The rounds' rows one after the other; ``.attrs["load_reports"]`` holds each
        round's load report and ``.attrs["round_order"]`` the labels in order.

    Examples
    --------
    >>> import pandas as pd
    >>> q1 = pd.DataFrame({"item_id": ["A"], "scale": "yes_no", "rank": [1]})
    >>> stack_rounds([q1, q1.assign(rank=[2])], labels=["Q1", "Q2"])[["item_id", "rank", "round"]]
      item_id  rank round
    0       A     1    Q1
    1       A     2    Q2
    """
    sources = list(sources)
    if len(sources) < 2:
        raise SurveyError("estimate.rounds.two_needed", count=len(sources))
    untidy = [i for i, s in enumerate(sources, start=1) if not is_tidy_responses(s)]
    if untidy:
        raise SurveyError("estimate.rounds.not_tidy", rounds=untidy)
    if labels is None:
        labels = []
        for i, frame in enumerate(sources, start=1):
            report = frame.attrs.get("load_report")
            source = getattr(report, "source", "")
            labels.append(Path(source).stem if source and not source.startswith("<") else f"round_{i}")
    labels = [str(label) for label in labels]
    if len(labels) != len(sources) or len(set(labels)) != len(labels):
        raise SurveyError("estimate.rounds.labels", labels=labels, count=len(sources))
    frames, reports = [], {}
    for label, frame in zip(labels, sources):
        if round in frame.columns:
            raise SurveyError("estimate.rounds.column_taken", label=label, round=round)
        reports[label] = frame.attrs.get("load_report")
        frames.append(frame.assign(**{round: label}))
    out = pd.concat(frames, ignore_index=True)
    for column in out.columns:  # a category in one round only: keep the values as text
        if isinstance(out[column].dtype, pd.CategoricalDtype):
            out[column] = out[column].astype(str)
    out.attrs = {"load_reports": reports, "round_order": labels, "notes": _merge_lookalike_items(out)}
    return out


def _merge_lookalike_items(stacked: pd.DataFrame) -> tuple:
    """Item ids of different rounds that differ only by full-width forms, invisible
    characters or spaces (``Ａ`` / ``A``) are one item, as the loader reads them within one
    file: each takes the spelling of its first round. Returns the note saying so (or none)."""
    if "item_id" not in stacked.columns or not len(stacked):
        return ()
    texts = pd.unique(stacked["item_id"].astype(str))
    display, key = id_keys(np.asarray(texts, dtype=object))
    first = pd.Series(display).groupby(pd.Series(key)).transform("first").to_numpy(dtype=object)
    changed = first != np.asarray(texts, dtype=object)
    if not changed.any():
        return ()
    stacked["item_id"] = stacked["item_id"].astype(str).map(dict(zip(texts, first)))
    listing = ", ".join(f"{t!r} -> {f!r}" for t, f in zip(texts[changed], first[changed]))
    return (Note("estimate.rounds.items_merged", count=int(changed.sum()), listing=listing),)


@dataclass(frozen=True)
class RoundsComparison(HeadlineEstimate):
    """Result of :func:`compare_rounds`.

    Attributes
    ----------
    overall : pandas.DataFrame
        One row: ``earlier``, ``later``, ``n_earlier``, ``rate_earlier``, ``n_later``,
        ``rate_later``, ``difference`` (later minus earlier), ``se``, ``ci_low``,
        ``ci_high``, ``df``, ``p_value`` (design-based t), ``naive_ci_low``,
        ``naive_ci_high`` (Newcombe, every answer independent; with weights on Kish's
        effective numbers of answers), ``confidence_level``, ``note`` (a fallback,
        e.g. Newcombe's interval when every answer of both rounds is alike and the design
        variance is zero), ``design``.
    items : pandas.DataFrame
        One row per item: the item column, ``n_earlier``, ``satisfied_earlier``,
        ``rate_earlier``, ``n_later``, ``satisfied_later``, ``rate_later``,
        ``difference``, ``ci_low``, ``ci_high`` (Newcombe), ``ci_level``, ``p_value``
        (Fisher exact, two-sided), ``p_adjusted``, ``change`` (one of
        :data:`CHANGES`), ``change_zh`` (the same in Chinese).
    earlier, later : str
        The rounds compared.
    pvalue_adjustment : str
    confidence_level : float
    definition : object
        Who counted as satisfied.

    See Also
    --------
    compare_rounds : returns it.

    Examples
    --------
    >>> import pandas as pd
    >>> q1 = pd.DataFrame({"item_id": list("AAAABBBBCCCC"), "scale": "yes_no", "round": "Q1",
    ...                    "rank": [1, 1, 2, 2, 1, 1, 1, 2, 1, 2, 1, 1]})
    >>> result = compare_rounds(pd.concat([q1, q1.assign(round="Q2", rank=1)]))
    >>> round(result.estimate, 4), result.df                  # Q2 minus Q1, design-based
    (0.3333, 2.0)
    >>> low, high = result.confidence_interval(0.9)
    """

    overall: pd.DataFrame
    items: pd.DataFrame
    earlier: str
    later: str
    pvalue_adjustment: str
    confidence_level: float
    definition: object = None
    #: ``level -> (low, high)``: the overall change's interval at another level (not shown).
    interval_at: object = field(default=None, repr=False, compare=False)

    def headline_estimate(self) -> Estimate:
        """The overall change, later minus earlier, with its design-based interval."""
        row = self.overall.iloc[0]
        return Estimate(float(row["difference"]), float(row["se"]), float(row["df"]),
                        float(row["ci_low"]), float(row["ci_high"]), self.confidence_level,
                        self.interval_at)

    @property
    def p_value(self) -> float:
        """Design-based p-value of no overall change."""
        return float(self.overall.loc[0, "p_value"])

    def to_frame(self) -> pd.DataFrame:
        """The overall change (one row; see :attr:`overall`)."""
        return self.overall.copy()

    def __repr__(self) -> str:
        return shorten(f"<RoundsComparison {self.later} vs {self.earlier}: change "
                       f"{self.estimate * 100:+.1f} points [{self.ci_low * 100:+.1f}, "
                       f"{self.ci_high * 100:+.1f}] ({percent(self.confidence_level, 0)}, design-based), "
                       f"p = {self.p_value:.3g}; {len(self.improved)} item(s) improved, "
                       f"{len(self.worsened)} worsened of {len(self.items)}>")

    def _repr_html_(self) -> str:
        changed = self.items.loc[self.items["change"].isin(["improved", "worsened"])]
        head = frame_html(self.overall.drop(columns=["design", "note"]), repr(self)[1:-1],
                          percent_columns=("rate_earlier", "rate_later"))
        return head + (frame_html(changed, "items that changed beyond chance",
                                  percent_columns=("rate_earlier", "rate_later")) if len(changed) else "")

    @property
    def improved(self) -> pd.DataFrame:
        """Items whose rate rose beyond chance (after the multiplicity adjustment)."""
        return self.items.loc[self.items["change"] == "improved"].reset_index(drop=True)

    @property
    def worsened(self) -> pd.DataFrame:
        """Items whose rate fell beyond chance (after the multiplicity adjustment)."""
        return self.items.loc[self.items["change"] == "worsened"].reset_index(drop=True)

    def summary(self, lang: str = "en") -> str:
        """The overall change and the items that changed, in one paragraph."""
        check_choice("lang", lang, ("en", "zh"))
        row = self.overall.iloc[0]
        return say("rounds.summary", lang, later=row["later"], earlier=row["earlier"],
                   rate_later=row["rate_later"], rate_earlier=row["rate_earlier"],
                   difference=row["difference"], level=f"{self.confidence_level:.0%}",
                   low=row["ci_low"], high=row["ci_high"], p=row["p_value"], items=len(self.items),
                   improved=len(self.improved), worsened=len(self.worsened))


def _round_order(design, round: str, rounds, order=None) -> tuple[str, str]:
    present = [str(v) for v in design.counts([round])[round]]
    if rounds is None:
        order = order or present
        if len(present) < 2:
            # A round whose every answer was excluded has no row left: say which are missing.
            missing = [r for r in (order or []) if r not in present]
            raise SurveyError("rounds.too_few", round=round, count=len(present), present=present,
                              missing=Message("rounds.no_valid", {"rounds": missing}) if missing else "")
        if len(present) != 2:
            raise SurveyError("rounds.name_two", round=round, count=len(present), present=present,
                              fix=Hint("rounds", ("EARLIER", "LATER")))
        order = [r for r in order if r in present] if set(present) <= set(order) else present
        return order[0], order[1]
    rounds = [str(r) for r in rounds]
    if len(rounds) != 2 or rounds[0] == rounds[1]:
        raise SurveyError("estimate.rounds.two_different", rounds=rounds)
    missing = [r for r in rounds if r not in present]
    if missing:
        raise SurveyError("estimate.rounds.no_answers", missing=missing, round=round,
                          present=present)
    return rounds[0], rounds[1]


def _item_changes(design, item: str, round: str, earlier: str, later: str, level: float,
                  method: str, pvalue_adjustment: str, ci_adjustment) -> tuple[pd.DataFrame, float]:
    counts = design.counts([item, round])
    counts[round] = counts[round].astype(str)
    wide = {}
    for name, label in (("earlier", earlier), ("later", later)):
        part = counts.loc[counts[round] == label].set_index(item)
        wide[f"n_{name}"], wide[f"satisfied_{name}"] = part["n"], part["satisfied"]
        # The counts an interval uses (weighted: the rate times Kish's effective n).
        k_eff, n_eff = design.effective_counts(part)
        wide[f"_k_{name}"] = pd.Series(k_eff, index=part.index, dtype=float)
        wide[f"_n_{name}"] = pd.Series(n_eff, index=part.index, dtype=float)
        if design.weighted:
            wide[f"effective_n_{name}"] = wide[f"_n_{name}"]
        wide[f"rate_{name}"] = part["satisfied_weight"] / part["weight_sum"]
    table = pd.DataFrame(wide)
    table.index.name = item
    table = table.sort_index().reset_index()
    both = table["n_earlier"].gt(0) & table["n_later"].gt(0)
    m = int(both.sum())
    ci_level = level
    if ci_adjustment is not None and m > 0:
        ci_level = simultaneous_confidence_level(level, m, ci_adjustment)
    n1, n2, k1, k2 = (table.pop(c).to_numpy(float) for c in ("_n_later", "_n_earlier", "_k_later",
                                                               "_k_earlier"))
    ok = both.to_numpy()
    n1, n2, k1, k2 = (np.where(ok, v, 0.0) for v in (n1, n2, k1, k2))
    low, high = rate_difference_ci(k1, n1, k2, n2, method=method, confidence_level=ci_level)
    if design.weighted:
        # Pearson's test on the effective counts (R prop.test(correct = FALSE)): Fisher's
        # needs whole numbers.
        pooled = np.where(ok, (k1 + k2) / np.where(ok, n1 + n2, 1.0), np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (k1 / n1 - k2 / n2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        p_value = np.where(ok, np.where(np.isfinite(z), 2 * stats.norm.sf(np.abs(z)), 1.0), np.nan)
    else:
        p_value = np.where(ok, fisher_exact_pvalues(k1, n1 - k1, k2, n2 - k2), np.nan)
    table["difference"] = table["rate_later"] - table["rate_earlier"]
    table["ci_low"], table["ci_high"] = np.where(ok, low, np.nan), np.where(ok, high, np.nan)
    table["ci_level"] = ci_level
    table["p_value"] = p_value
    table["p_adjusted"] = adjust_pvalues(p_value, pvalue_adjustment)
    shown = table["p_adjusted"] <= 1.0 - level
    change = np.where(~ok, "in one round only",
                      np.where(shown & (table["difference"] > 0), "improved",
                               np.where(shown & (table["difference"] < 0), "worsened",
                                        "no clear change")))
    table["change"] = change
    table["change_zh"] = table["change"].map({c: say(f"change.{c}", "zh") for c in CHANGES})
    for name in ("n_earlier", "satisfied_earlier", "n_later", "satisfied_later"):
        table[name] = table[name].fillna(0).astype("int64")
    return table, ci_level


def compare_rounds(responses, round: str = "round", *, rounds=None, confidence_level: float = 0.95,
                   method: str = "newcombe", pvalue_adjustment: str = "holm", ci_adjustment=None,
                   satisfied=None, cluster=None, strata=None, weight=None, items_as=None,
                   lonely_cluster=None, labels=None, fpc=None, lonely_domain=None) -> RoundsComparison:
    """Did satisfaction change between two survey rounds? Overall and item by item.

    Parameters
    ----------
    responses : pandas.DataFrame, Survey, or list of frames
        Tidy responses of both rounds with a ``round`` column, a
        :class:`~survey_analysis.Survey` that counted it (``groups=["round"]``), or tidy
        responses per round, earliest first (stacked by :func:`stack_rounds`).
    round : str, default "round"
        The column naming the round.
    rounds : (earlier, later), optional
        The two rounds to compare, when the column has more (or to set the order);
        default the two rounds in order of the files given, else sorted.
    confidence_level : float, default 0.95
        Level of the intervals, and ``1 - alpha`` of the per-item verdicts (after
        adjustment).
    method : {"newcombe", "wald"}, default "newcombe"
        Per-item interval, see :func:`~survey_analysis.rate_difference_ci`.
    pvalue_adjustment : str, default "holm"
        Adjustment of the per-item p-values over the items in both rounds, one of
        :data:`~survey_analysis.estimate.multiplicity.PVALUE_ADJUSTMENTS`
        (``"benjamini_hochberg"`` controls the false discovery rate instead).
    ci_adjustment : {None, "bonferroni", "sidak"}, default None
        Simultaneous per-item intervals (see
        :func:`~survey_analysis.estimate.multiplicity.simultaneous_confidence_level`).
    satisfied, cluster, strata, weight, items_as, lonely_cluster, fpc, lonely_domain
        The design, as in :class:`~survey_analysis.Survey` (default: items as clusters
        shared by the rounds, the ``weight`` column if any; no finite population
        correction).
    labels : list of str, optional
        Round names when one frame per round is given (default their file names).

    Returns
    -------
    RoundsComparison
        ``.overall`` (one row), ``.items`` (one row per item), ``.improved``,
        ``.worsened``, ``.summary()``.

    Notes
    -----
    **Overall.** The rounds are two domains of one design; the difference of their
    pooled rates has the linearized variance ``v_11 + v_22 - 2 v_12``, where the
    covariance comes from items answered in both rounds (the same clusters):
    R ``svycontrast(svyby(~sat, ~round, design, svymean, covmat = TRUE), c(-1, 1))``
    (``tests/R/reference_domains.R``). The interval is ``d -/+ t_df se`` with the
    design's degrees of freedom. Treating every answer as independent (the
    ``naive_*`` columns) is too narrow when items differ and either the rounds
    survey different items or the items' rates move by different amounts; with the
    same items and persistent item effects those cancel from the change and the naive
    interval happens to be about right (the coverage study in
    ``benchmarks/results/rounds_coverage.md``, quoted in ``docs/statistics.md``).

    **Per item.** Respondents within an item are taken as independent samples of the
    two rounds; Newcombe's interval (method 10) and Fisher's exact test; with weights,
    both use the weighted rates and Kish's effective numbers of answers, and the
    p-value is Pearson's on those effective counts. An item is ``improved`` or
    ``worsened`` when its adjusted p-value is at most ``1 - confidence_level``.

    Examples
    --------
    >>> import pandas as pd
    >>> first = pd.DataFrame({"item_id": list("AAAABBBB"), "scale": "yes_no",
    ...                       "rank": [1, 1, 2, 2, 1, 1, 1, 2], "round": "Q1"})
    >>> second = first.assign(rank=[1, 1, 1, 2, 1, 1, 1, 1], round="Q2")
    >>> result = compare_rounds(pd.concat([first, second]))
    >>> result.overall[["earlier", "later", "difference"]].round(3)
      earlier later  difference
    0      Q1    Q2        0.25
    >>> result.items[["item_id", "difference", "change"]]
      item_id  difference           change
    0       A        0.25  no clear change
    1       B        0.25  no clear change
    """
    check_choice("method", method, DIFFERENCE_CI_METHODS)
    check_choice("pvalue_adjustment", pvalue_adjustment, PVALUE_ADJUSTMENTS)
    check_choice("ci_adjustment", ci_adjustment, (None, "bonferroni", "sidak"))
    tail_probability(confidence_level, "two-sided")  # validates the level
    order, notes = None, ()
    if isinstance(responses, (list, tuple)):
        responses = stack_rounds(responses, labels=labels, round=round)
        order, notes = responses.attrs["round_order"], responses.attrs["notes"]
    elif labels is not None:
        raise SurveyError("estimate.rounds.labels_one_frame")
    options = dict(satisfied=satisfied, cluster=cluster, strata=strata, weight=weight,
                   items_as=items_as, lonely_cluster=lonely_cluster, fpc=fpc, lonely_domain=lonely_domain)
    if isinstance(responses, pd.DataFrame) and round not in responses.columns:
        raise SurveyError("estimate.rounds.column_missing", round=round,
                          columns=list(responses.columns))
    design = as_design(responses, groups=[round], **options)
    earlier, later = _round_order(design, round, rounds, order)
    overall_table = _overall_change(design, round, earlier, later, float(confidence_level))
    items, _ = _item_changes(design, design.item, round, earlier, later, float(confidence_level),
                             method, pvalue_adjustment, ci_adjustment)
    one_round = items["change"] == "in one round only"
    if len(items) and one_round.all():
        # Nothing to compare item for item: the overall "change" is between different items.
        note = Note("estimate.rounds.no_common_items", earlier=earlier, later=later, items=len(items))
        warnings.warn(SurveyWarning(note.message), stacklevel=2)
        notes = notes + (note,)
    elif one_round.any():
        notes = notes + (Note("estimate.rounds.some_one_round", count=int(one_round.sum()), items=len(items)),)
    if notes:
        overall_table["note"] = [join_notes(overall_table.loc[0, "note"], *notes)]
    return RoundsComparison(overall=overall_table, items=items, earlier=earlier, later=later,
                            pvalue_adjustment=pvalue_adjustment,
                            confidence_level=float(confidence_level), definition=design.definition,
                            interval_at=lambda level: tuple(_overall_change(
                                design, round, earlier, later, level).loc[0, ["ci_low", "ci_high"]]))


def _overall_change(design, round: str, earlier: str, later: str, level: float) -> pd.DataFrame:
    """The overall change between the rounds at ``level``: one row (see :class:`RoundsComparison`)."""
    overall = domain_differences(design, round, pairs=[(later, earlier)], confidence_level=level)
    counts = design.counts([round])
    counts[round] = counts[round].astype(str)
    k_eff, n_eff = design.effective_counts(counts)  # weighted: Kish's effective answers
    k_eff, n_eff = pd.Series(k_eff, index=counts[round]), pd.Series(n_eff, index=counts[round])
    naive_low, naive_high = rate_difference_ci(k_eff[later], n_eff[later], k_eff[earlier],
                                               n_eff[earlier], method="newcombe",
                                               confidence_level=level)
    row = overall.iloc[0]
    low, high, note = row["ci_low"], row["ci_high"], row["note"]
    if row["se"] == 0 and row["df"] >= 1:  # the domain difference's zero-variance case
        # No design variance (every answer alike, e.g. all satisfied): the design gives no
        # width, so the interval is Newcombe's with answers as independent, as the note says.
        # (Rounds held by one cluster each have no variance estimate at all: se is nan, and
        # the domain difference's note says why.)
        low, high = float(naive_low), float(naive_high)
        note = Note("estimate.rounds.zero_variance")
    return pd.DataFrame([{
        "earlier": earlier, "later": later, "n_earlier": int(row["n_2"]), "rate_earlier": row["rate_2"],
        "n_later": int(row["n_1"]), "rate_later": row["rate_1"], "difference": row["difference"],
        "se": row["se"], "ci_low": low, "ci_high": high, "df": row["df"],
        "p_value": row["p_value"], "naive_ci_low": float(naive_low), "naive_ci_high": float(naive_high),
        "confidence_level": level, "note": note, "design": design.describe()}])
