"""The standard analysis of one survey, computed once: every table a report needs.

:func:`analyze` takes a source (a file, tidy responses, a :class:`~survey_analysis.Survey`
or a table of counts), builds one Survey (one scan of a file), and computes the item
rates, the overall rate, the items at 100% and what chance gives, the funnel, the
definition sensitivity, answer shares, per-group rates and, when claims are given, the
verdicts. The command line, the HTML report and notebook 06 all render the same
:class:`Analysis`; none assembles its own.

Claims are an input: without ``claims=`` no published figure, verdict or claimed range
appears anywhere. The bundled article's claims are used for the bundled data only when
asked (``claims=sa.load_published_claims()``, CLI ``--claims article``).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ._validation import Option, check_choice, check_confidence_level, check_threshold
from .claims.check import check_claims
from .design.design import Design
from .estimate.crosstab import crosstab as crosstab_table
from .estimate.funnel import funnel_limits
from .estimate.intervals import BINOMIAL_CI_METHODS
from .estimate.rates import CLUSTER_CI_METHODS, FEW_DF
from .estimate.results import HeadlineEstimate
from .estimate.suppression import SUPPRESSION_RULES, suppression_rule
from .estimate.suppression import suppress as suppress_rows
from .estimate.tracking import FREQS
from .load.claimset import claim_interval, claimed_text, read_claims
from .load.engines import source_columns
from .load.report import WARN_SHARE, first_lines
from .load.responses import load_responses
from .scales.text import id_keys
from .survey import Survey
from .words import (
    Message,
    SurveyError,
    SurveyWarning,
    headline_number,
    html_table,
    percent,
    percent_interval,
    say,
    shorten,
)

__all__ = ["ANALYSIS_OPTIONS", "Analysis", "MAX_COMMENTS", "analyze", "counts_survey"]

#: At most this many comments of dissatisfied respondents are shown (and exported).
MAX_COMMENTS = 30

#: The options of :func:`analyze` beside the design's (:data:`~survey_analysis.design.options.DESIGN_OPTIONS`)
#: and the loader's: their defaults, meanings and command-line flags (the CLI builds its
#: flags from these tables).
ANALYSIS_OPTIONS: dict = {option.keyword: option for option in (
    Option("claims", None,
           "published statements to check: a claims CSV (see docs), 'article' for the bundled "
           "article's figures, or 'none' (default: none for your own file; the article's for "
           "the bundled data)", "--claims", cli={"metavar": "FILE|article|none"}),
    Option("items", None,
           "item catalogue with names (columns item_id, name_zh, name_en) for tables and plots",
           "--items", cli={"metavar": "FILE"}),
    Option("method", "logit", "design-based interval of the pooled rate (default: logit)",
           "--method", CLUSTER_CI_METHODS),
    Option("confidence_level", 0.95, "level of every interval, e.g. 0.9 (default: 0.95)",
           "--confidence-level", cli={"type": float}),
    Option("interval", "wilson", "item interval method: wilson (default), clopper_pearson, "
           "jeffreys ...", "--interval", BINOMIAL_CI_METHODS, cli={"metavar": "METHOD"}),
    Option("by", None, "a per-group table, plot and test (e.g. a community column)", "--by",
           cli={"metavar": "COLUMN"}),
    Option("period", None, "a column of periods (or of dates, with --freq): the rate of each period "
           "with control limits and signals (Laney p' chart)", "--period", cli={"metavar": "COLUMN"}),
    Option("freq", None, "with --period, the column holds dates: M (month), Q (quarter) or W (week)",
           "--freq", FREQS),
    Option("date_format", None, "with --freq, the dates' format, e.g. %%d/%%m/%%Y (default: detected)",
           "--date-format", cli={"metavar": "FORMAT"}),
    Option("proportion", None, "another rate to estimate under the design: the share of answers whose "
           "COLUMN is one of the values (e.g. status=closed), overall and per item", "--proportion",
           cli={"action": "append", "metavar": "COLUMN=V[,V]"}),
    Option("among", None, "with --proportion, the share among the answers whose COLUMN is one of the "
           "values, or among satisfied / dissatisfied answers", "--among",
           cli={"action": "append", "metavar": "COLUMN=V[,V]|satisfied|dissatisfied"}),
    Option("crosstab", None, "a banner table: the rate of each item (or --by group) in each value of "
           "COLUMN, with letters naming the columns a cell is significantly higher than", "--crosstab",
           cli={"metavar": "COLUMN"}),
    Option("crosstab_min_base", 30, "with --crosstab, cells with fewer answers are marked (*) and not "
           "tested (default: 30)", "--crosstab-min-base", cli={"type": int, "metavar": "N"}),
    Option("crosstab_alpha", 0.05, "with --crosstab, a pair of columns gets a letter when its adjusted "
           "p-value is at most this (default: 0.05)", "--crosstab-alpha", cli={"type": float, "metavar": "ALPHA"}),
    Option("threshold", None, "reference rate drawn in plots, e.g. 0.9 (default: the claimed "
           "overall rate)", "--threshold", cli={"type": float, "metavar": "RATE"}),
    Option("title", None, "report title", "--title"),
    Option("suppress", None,
           "publication rule: rows (items, groups) with fewer answers than N are not published "
           "(their n is shown, not their rate); a number, or a preset: "
           + ", ".join(f"{name} (fewer than {rule.minimum_n})" for name, rule in SUPPRESSION_RULES.items())
           + " (default: none)", "--suppress", cli={"metavar": "N|" + "|".join(SUPPRESSION_RULES)}),
    Option("counts", None,
           "the file is a table of counts per unit: item=HEADER (or item=A+B for a unit named by "
           "two columns) n=HEADER and one of satisfied=HEADER (a count), percent=HEADER (a "
           "published rounded percentage), dissatisfied=HEADER or percent_dissatisfied=HEADER; "
           "optional decimals=N, rounding=half_up|half_even|truncate, duplicates=sum (add up "
           "the rows of a unit named twice) and percent_scale=fraction|percent (values written "
           "0.97 for 97 percent, or as percentages)", "--counts",
           cli={"nargs": "+", "metavar": "NAME=HEADER"}),
)}

_ENGINE_SUFFIXES = {".parquet", ".pq"}


def _reads_with_loader(source, load: dict, rows_needed: bool = False) -> bool:
    """Sheets go through the loader (its header detection and ledger by line); long files
    go through the counting engine (DuckDB, one scan, no pandas frame of the rows):
    Parquet, folders and globs always, and a CSV whose header row already names the
    ``item_id`` and ``rating`` columns (the long format) when no option of the loader is
    asked for, or the rows themselves are needed (``rows_needed``: dates made periods)."""
    if isinstance(source, pd.DataFrame):
        return not {"scale", "rank"} <= set(source.columns)
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.is_dir() or "*" in str(source) or path.suffix.lower() in _ENGINE_SUFFIXES:
            return False
        return rows_needed or not (path.suffix.lower() == ".csv" and _is_long_csv(path, load))
    return False


def _is_long_csv(path: Path, load: dict) -> bool:
    import importlib.util

    loader_only = {k for k, v in load.items() if v is not None} - {"warn_share", "keep_columns",
                                                                  "scale", "labels", "duplicates"}
    # Without DuckDB (the optional extra "duckdb") the loader reads every CSV.
    if loader_only or not path.is_file() or importlib.util.find_spec("duckdb") is None:
        return False
    try:
        header = source_columns(path)
    except (UnicodeDecodeError, OSError):
        return False
    return {"item_id", "rating"} <= set(header)


def _refuse(load: dict, allowed: set, what: str) -> None:
    """Refuse the loader's options (those not ``allowed``) for an input the loader does not
    read; ``what`` names the input (``analysis.what.<what>`` in the catalogue)."""
    unused = sorted(k for k, v in load.items() if k not in allowed and v is not None)
    if unused:
        raise SurveyError("analysis.refuse", unused=unused, what=Message(f"analysis.what.{what}"))


def _survey_from(source, design: dict, load: dict, rows_needed: bool = False) -> Survey:
    """One Survey from any source: sheets the loader reads (CSV, Excel) get its full ledger;
    long files (Parquet, folders, globs, long CSV) are counted by DuckDB in one scan."""
    options = {k: v for k, v in design.items() if v is not None}
    if isinstance(source, Design):
        _refuse(load, {"warn_share", "keep_columns"}, "survey")
        if not isinstance(source, Survey):
            raise TypeError("analyze() takes a Survey (sa.Survey(...) or sa.Survey.from_counts(...)), "
                            f"got a {type(source).__name__}")
        return source.agreeing(**options)
    if _reads_with_loader(source, load, rows_needed):
        return Survey(load_responses(source, **load), **options)
    if isinstance(source, pd.DataFrame):
        _refuse(load, {"warn_share", "keep_columns"}, "tidy")
        return Survey(source, **options)
    _refuse(load, {"warn_share", "keep_columns", "scale", "labels", "duplicates"}, "duckdb")
    if "weight" not in options:
        # As the loader does for a sheet: a column named "weight" is the respondent weight.
        if "weight" in source_columns(source):
            options["weight"] = "weight"
    try:
        return Survey(source, **options, **{k: load[k] for k in ("scale", "labels", "duplicates")
                                            if load.get(k) is not None})
    except ValueError:
        if isinstance(source, (str, Path)) and Path(source).suffix.lower() == ".csv":
            # The one-scan count names labels, not lines: let the loader find the lines.
            load_responses(source, **load)
        raise


class Analysis(HeadlineEstimate):
    """Every table of the standard analysis of one survey, computed once.

    Build it with :func:`analyze`. Attributes are plain tables (DataFrames) and result
    objects; presentation (:mod:`survey_analysis.present`) only renders them.

    Attributes
    ----------
    survey : Survey
        The design, counts, scales and definition of "satisfied".
    confidence_level, method, interval : float, str, str
        Level of every interval; design-based interval of the pooled rate; item
        interval method.
    item_rates : pandas.DataFrame
        One row per item (names from ``items`` when given), sorted by rate then n.
    overall : OverallRate
        Pooled (design-based and naive) and mean-of-items overall rate.
    items_at_100 : pandas.DataFrame
        Every 100% item with ``n`` and its one-sided exact lower bound; under a
        publication rule (``suppress``) only the publishable ones, and
        ``.attrs["suppression"]["hidden"]`` says how many the rule left out.
    n_items_at_100 : int
        How many items are at 100% in the data, publishable or not (the headline's count,
        the one claims and chance are compared with).
    items_rounding_to_100 : pandas.DataFrame
        Items whose published rounded "100%" fewer satisfied answers also print as, with
        the counts it allows (``satisfied_min``, ``satisfied_max``); not counted at 100%.
        Under a publication rule only the publishable ones.
    suppression : SuppressionRule or None
        The publication rule (``suppress``): item rates, groups, funnel and answer shares
        keep their hidden rows with ``n`` only (``suppressed`` column); see
        :func:`~survey_analysis.estimate.suppression.suppress`.
    chance : CountDistribution or None
        How many 100% items chance alone gives (beta-binomial fit of the item rates).
    funnel, funnel_limits : pandas.DataFrame
        Each item against the funnel around the pooled rate, and the limits to draw.
    sensitivity : pandas.DataFrame or None
        The headline under each definition of "satisfied" (None for a counts table).
    shares : pandas.DataFrame or None
        Answer shares per item (one scale with known levels only).
    groups, group_test : pandas.DataFrame or None, GroupComparison or None
        Rates per ``by`` group and the test of equal rates.
    tracking : pandas.DataFrame or None
        With ``period``: the rate of each period with control limits and signals
        (:func:`~survey_analysis.track`).
    claims, checks : pandas.DataFrame or None
        The claims given and their verdicts (None without claims).
    threshold : float or None
        Reference rate for plots (``threshold=``, or the overall claim's value).
    warnings : tuple of str
        Exclusions that removed a large share of the answers (load report).
    not_computed : dict of str -> Message
        Parts that these data do not allow (e.g. the funnel when every answer is
        satisfied), each with its reason (a catalogue entry: ``.render("en")``,
        ``.render("zh")``); reports print them.

    See Also
    --------
    analyze : returns it.

    Examples
    --------
    >>> import survey_analysis as sa
    >>> analysis = sa.analyze(sa.synthetic_responses_path(), synthetic=True)  # SYNTHETIC data
    >>> round(analysis.estimate, 3), len(analysis.item_rates)
    (0.967, 152)
    >>> analysis.to_frame()["measure"].tolist()[:3]
    ['items', 'responses', 'excluded']
    """

    def __init__(self, survey: Survey, *, claims=None, items=None, method: str = "logit",
                 confidence_level: float = 0.95, interval: str = "wilson", by=None,
                 threshold=None, title=None, synthetic: bool = False, suppress=None, period=None,
                 freq=None, date_format=None, proportion=None, among=None, crosstab=None,
                 crosstab_min_base: int = 30, crosstab_alpha: float = 0.05):
        check_choice("method", method, CLUSTER_CI_METHODS)
        self.suppression = rule = suppression_rule(suppress)
        check_choice("interval", interval, BINOMIAL_CI_METHODS)
        self.confidence_level = check_confidence_level(confidence_level)
        threshold = check_threshold(threshold)
        self.survey, self.method, self.interval = survey, method, interval
        self.title, self.synthetic, self.by = title, bool(synthetic), by
        self.claims = read_claims(claims) if claims is not None else None
        self.items = items = _item_catalogue(items, survey.item) if items is not None else None
        if survey.n_responses == 0:
            raise survey.no_answer_error("analysis")
        level = self.confidence_level
        self.overall = survey.overall(method=method, confidence_level=level)
        rates = survey.item_rates(method=interval, confidence_level=level, suppress=rule)
        hidden_rows = rates.attrs.get("suppression")
        if items is not None:
            names = [c for c in ("name_zh", "name_en", "category") if c in items.columns]
            rates = rates.merge(items[[survey.item] + names].astype({survey.item: "string"}),
                                on=survey.item, how="left")
        self.item_rates = rates.sort_values(["rate", "n", survey.item], kind="stable") \
            .reset_index(drop=True)
        self.item_rates["satisfied_levels"] = survey.definition.describe()
        self.item_rates.attrs["definition"] = survey.definition
        if hidden_rows is not None:
            self.item_rates.attrs["suppression"] = hidden_rows
        perfect = survey.items_at_100(confidence_level=level)
        self.n_items_at_100 = len(perfect)
        # A publication lists only the items the rule lets it publish; the count of every
        # item at 100% (a fact of the data) stays in the headline.
        self.items_at_100 = self._publishable(perfect)
        self.items_rounding_to_100 = self._publishable(survey.items_rounding_to_100())
        #: What the analysis could not compute for these data: name -> reason (a Message).
        self.not_computed = {}
        self.chance = survey.chance_of_100()
        if self.chance is None and len(self.item_rates):
            self.not_computed["items_at_100_by_chance"] = Message("not_computed.chance")
        # The funnel's target is the pooled rate of every answer; the hidden items' points
        # (their rates) are not published.
        self.funnel = suppress_rows(self._funnel(), rule)
        target = float(self.funnel["target"].iloc[0]) if len(self.funnel) else np.nan
        sizes = self.item_rates["n"].to_numpy()
        if len(sizes) and 0 < target < 1:
            # From a quarter of the largest n at most, so that the funnel's shape shows even
            # when every item has about the same n (3 questions to the same 600 people).
            start = max(2, min(sizes.min(), sizes.max() // 4))
            grid = np.unique(np.linspace(start, max(sizes.max(), 3), 80).round())
            self.funnel_limits = funnel_limits(grid.astype(int), target)
        else:  # every answer satisfied (or none): no limits to draw around the target
            self.funnel_limits = None
        counts_only = "counts" in survey.scales
        self.sensitivity = None if counts_only else survey.sensitivity(method=method,
                                                                         confidence_level=level)
        self.shares = (suppress_rows(survey.rating_shares(by=survey.item, confidence_level=level), rule)
                       if len(survey.scales) == 1 and not counts_only else None)
        self.groups = self.group_test = None
        if by is not None:
            self.groups = survey.item_rates(by=by, method=interval, confidence_level=level,
                                            suppress=rule)
            if len(self.groups) >= 2:
                self.group_test = survey.compare(by)
        # The rate of each period, when the data have one: the same table as sa.track.
        self.period = period
        self.tracking = (survey.track(period, freq=freq, date_format=date_format, confidence_level=level,
                                      suppress=rule) if period is not None else None)
        # Another share the office publishes (办结率, 整改率 ...), overall and per item, and a
        # banner table: the same functions as sa.proportion and sa.crosstab.
        self.proportion = self.proportion_by_item = None
        if proportion is not None:
            self.proportion = survey.proportion(proportion, among=among, confidence_level=level, method=method)
            self.proportion_by_item = survey.proportion(proportion, among=among, by=survey.item,
                                                        confidence_level=level)
        self.crosstab = (crosstab_table(survey, crosstab, rows=by or survey.item, confidence_level=level,
                                        min_base=crosstab_min_base, alpha=crosstab_alpha)
                         if crosstab is not None else None)
        # What dissatisfied respondents wrote, when the loader kept a comment column (comments=).
        kept = (survey.responses.attrs.get("comment_columns") if survey.responses is not None else None) or []
        self.comments = survey.comments(among="dissatisfied", limit=MAX_COMMENTS) if kept else None
        self.threshold = threshold
        if self.claims is not None:
            overall_claims = self.claims.loc[self.claims["kind"] == "overall_rate"]
            if threshold is None and len(overall_claims):
                first = overall_claims.iloc[0]
                self.threshold = float(first["value"]) / (100.0 if first["unit"] != "fraction" else 1.0)
            self.checks = check_claims(survey, self.claims, method=method, confidence_level=level,
                                       threshold=self.threshold, suppress=rule)
        else:
            self.checks = None
        self.headline = self._headline()

    def _publishable(self, table: pd.DataFrame) -> pd.DataFrame:
        """The rows of a list of items (at 100%, rounding to 100%) the publication rule lets
        be published; ``.attrs["suppression"]`` says how many it left out."""
        rule = self.suppression
        if rule is None:
            return table
        hidden = rule.hides(table["n"].to_numpy(dtype=float))
        out = table.loc[~hidden].reset_index(drop=True)
        out.attrs["suppression"] = {"rule": rule.name, "minimum_n": rule.minimum_n,
                                    "hidden": int(hidden.sum()), "rows": len(table),
                                    "title": rule.title, "source": rule.source}
        return out

    def _funnel(self) -> pd.DataFrame:
        """The funnel table; when every answer is satisfied (or none is) the pooled rate is
        1 (or 0), a binomial around it has no spread and no item can differ from it: the
        table then lists the items at that target with no z or flags, and
        :attr:`not_computed` says why."""
        survey = self.survey
        counts = survey.counts([survey.item])[[survey.item, "n", "satisfied"]]
        answered, satisfied = float(counts["n"].sum()), float(counts["satisfied"].sum())
        if answered > 0 and 0 < satisfied < answered:
            return survey.funnel()
        out = counts.loc[counts["n"] > 0].reset_index(drop=True)
        out["rate"] = out["satisfied"] / out["n"]
        out["target"] = satisfied / answered if answered > 0 else np.nan
        out["z"] = np.nan
        if answered > 0:
            key = "funnel_all" if satisfied == answered else "funnel_none"
            self.not_computed["funnel"] = Message(f"not_computed.{key}")
        return out

    # -- what the report says --------------------------------------------------------
    @property
    def report(self):
        """The ledger of the input (LoadReport or CountsReport), or None."""
        return self.survey.report

    @property
    def warnings(self) -> tuple:
        """Warnings of the load report (large exclusions), in English; each is a
        :class:`~survey_analysis.words.Note` (``.render("zh")`` in Chinese)."""
        return tuple(getattr(self.report, "warnings", ()) or ())

    @property
    def definition(self):
        """The definition of "satisfied" in force."""
        return self.survey.definition

    def claim(self, kind: str):
        """The first claim of ``kind`` (a dict), or None."""
        if self.claims is None:
            return None
        found = self.claims.loc[self.claims["kind"] == kind]
        return found.iloc[0].to_dict() if len(found) else None

    def claimed_range(self, kind: str = "items_at_100"):
        """``(low, high, wording)`` of a count claim, for shading plots; None without one."""
        claim = self.claim(kind)
        if claim is None:
            return None
        low, high, open_low, open_high = claim_interval(claim)
        low = low + 1 if open_low else low
        high = high - 1 if open_high else high
        return low, high, claim.get("wording") or claim.get("id")

    def _verdict(self, kind: str, estimand: str):
        if self.checks is None:
            return "", ""
        rows = self.checks.loc[(self.checks["kind"] == kind) & (self.checks["estimand"] == estimand)]
        if not len(rows):
            return "", ""
        return rows["verdict"].iloc[0], rows["verdict_zh"].iloc[0]

    def _published(self, kind: str) -> str:
        claim = self.claim(kind)
        if claim is None:
            return ""
        return claim.get("wording") or claimed_text(claim)

    def _claimed(self, kind: str) -> str:
        claim = self.claim(kind)
        return "" if claim is None else claimed_text(claim)

    def _headline(self) -> pd.DataFrame:
        o = self.overall
        survey = self.survey

        def label(code, **params):
            return say(f"measure.{code}", "zh", **params), say(f"measure.{code}", "en", **params)

        if not survey.cluster:
            pooled = label("pooled_answers")
        elif survey.items_as == "strata":
            pooled = label("pooled_strata")
        else:
            zh = " × ".join(say("measure.item", "zh") if c == survey.item else c for c in survey.cluster)
            pooled = (say("measure.pooled", "zh", cluster=zh),
                      say("measure.pooled", "en", cluster=" x ".join(survey.cluster)))
        # Few clusters (or items) said beside every figure that rests on them.
        if survey.cluster and 1 <= o.pooled.df < FEW_DF:
            few = label("few_clusters", clusters=int(o.pooled.n_clusters))
            pooled = tuple(text + extra for text, extra in zip(pooled, few))
            deff_label = tuple(text + extra for text, extra in zip(label("design_effect"), few))
        else:
            deff_label = label("design_effect")
        mean_label = label("mean_of_items")
        if 2 <= o.mean_of_items.n_clusters <= FEW_DF:
            mean_label = tuple(text + extra for text, extra in
                               zip(mean_label, label("few_items", items=int(o.mean_of_items.n_clusters))))
        at_100_label = (label("items_at_100_rounding", more=len(self.items_rounding_to_100))
                        if len(self.items_rounding_to_100) else label("items_at_100"))
        hidden_100 = (self.items_at_100.attrs.get("suppression") or {}).get("hidden", 0)
        if hidden_100:  # counted here, not listed in the table of items at 100%
            at_100_label = tuple(text + extra for text, extra in zip(at_100_label, label(
                "items_at_100_suppressed", hidden=hidden_100, minimum=self.suppression.minimum_n)))
        report = self.report
        rows = [
            ("items", *label("items"), float(len(self.item_rates)),
             np.nan, np.nan, self._published("n_items"), *self._verdict("n_items", "items_with_responses")),
            ("responses", *label("responses"), float(o.pooled.n_responses), np.nan, np.nan,
             self._published("n_responses"), *self._verdict("n_responses", "valid_responses")),
        ]
        if report is not None and report.rows_excluded:
            rows.append(("excluded", *label("excluded"), float(report.rows_excluded), np.nan, np.nan,
                         "", "", ""))
        rows += [
            ("pooled", *pooled, o.pooled.estimate, o.pooled.ci_low, o.pooled.ci_high,
             self._published("overall_rate"), *self._verdict("overall_rate", "pooled")),
            ("naive", *label("naive"), o.naive.estimate, o.naive.ci_low, o.naive.ci_high, "", "", ""),
            ("mean_of_items", *mean_label, o.mean_of_items.estimate,
             o.mean_of_items.ci_low, o.mean_of_items.ci_high, self._published("overall_rate"),
             *self._verdict("overall_rate", "mean_of_items")),
            ("design_effect", *deff_label, o.pooled.design_effect, np.nan, np.nan,
             "", "", ""),
            ("items_at_100", *at_100_label, float(self.n_items_at_100),
             np.nan, np.nan, self._published("items_at_100"),
             *self._verdict("items_at_100", "count_of_items_at_100")),
        ]
        table = pd.DataFrame(rows, columns=["measure", "measure_zh", "measure_en", "estimate",
                                           "ci_low", "ci_high", "published", "verdict", "verdict_zh"])
        kinds = {"items": "n_items", "responses": "n_responses", "pooled": "overall_rate",
                 "mean_of_items": "overall_rate", "items_at_100": "items_at_100"}
        table.insert(7, "claimed", [self._claimed(kinds[m]) if m in kinds else "" for m in table["measure"]])
        table["confidence_level"] = self.confidence_level
        table["satisfied_levels"] = self.definition.describe()
        return table

    def tables(self) -> dict:
        """Every table by name (for CSV / Excel export), in reading order.

        Every table of estimates or counts says which answers count as satisfied: a
        ``satisfied_levels`` column (the definition's own description), added here to the
        tables that do not carry one.
        """
        satisfied = self.definition.describe()

        def defined(table: pd.DataFrame) -> pd.DataFrame:
            return table if "satisfied_levels" in table else table.assign(satisfied_levels=satisfied)

        out = {"headline": self.headline, "overall": defined(self.overall.to_frame())}
        if self.checks is not None:
            out["claims"] = self.checks
        out["items_at_100"] = defined(self.items_at_100)
        if len(self.items_rounding_to_100):
            out["items_rounding_to_100"] = self.items_rounding_to_100
        out["item_rates"] = self.item_rates
        if self.groups is not None:
            out["groups"] = defined(self.groups)
        if self.tracking is not None:
            out["tracking"] = defined(self.tracking)
        if self.proportion is not None:
            out["proportion"] = self.proportion
            out["proportion_by_item"] = self.proportion_by_item
        if self.crosstab is not None:
            out["crosstab"] = defined(self.crosstab)
        if self.comments is not None:
            out["comments"] = self.comments
        out["funnel"] = defined(self.funnel)
        if self.sensitivity is not None:
            out["definition_sensitivity"] = self.sensitivity
        if self.shares is not None:
            out["answer_shares"] = self.shares
        if self.survey.percent_audit is not None:
            out["percent_audit"] = self.survey.percent_audit
        if self.report is not None:
            out["load_report"] = defined(self.report.to_frame())
            if len(self.report.unknown_items):
                # Items the catalogue (items=) does not list: kept, counted, and named here.
                out["unknown_items"] = self.report.unknown_items
        return out

    # -- the result protocol: the headline is the analysis' own table ------------------
    def headline_estimate(self):
        """The pooled rate (see :class:`~survey_analysis.estimate.results.HeadlineEstimate`)."""
        return self.overall.pooled

    def to_frame(self) -> pd.DataFrame:
        """The headline table (see :meth:`tables` for every table)."""
        return self.headline.copy()

    def __repr__(self) -> str:
        p = self.overall.pooled
        return shorten(f"<Analysis of {self.survey.source or 'responses'}: {p.n_responses:,} answers on "
                       f"{len(self.item_rates)} items; pooled {percent(p.estimate)} "
                       f"{percent_interval(p.ci_low, p.ci_high)} ({p.ci_method}); "
                       f"{self.n_items_at_100} items at 100%; claims: "
                       f"{'none' if self.claims is None else len(self.claims)}>")

    def _repr_html_(self) -> str:
        rows = [(m, headline_number(e) if np.isnan(lo) else percent(e),
                 "" if np.isnan(lo) else percent_interval(lo, hi), v)
                for m, e, lo, hi, v in self.headline[["measure_en", "estimate", "ci_low", "ci_high",
                                                      "verdict"]].itertuples(index=False)]
        return html_table(rows, ["measure", "estimate", f"{percent(self.confidence_level, 0)} CI",
                                 "verdict"], self.survey.describe())


def _item_catalogue(items: pd.DataFrame, item: str) -> pd.DataFrame:
    """The item catalogue with one row per item id. Ids are compared as the loader keys
    them (Ａ1 = A1); an id on several rows that differ is an error listing the ids and
    their rows (1 = the first row below the header); identical repeats are dropped, and a
    :class:`~survey_analysis.words.SurveyWarning` says so (a repeated row would give its
    item two rows of the rate table)."""
    if item not in items.columns or not len(items):
        return items
    ids = items[item].astype("string").fillna("").str.strip().to_numpy(dtype=object)
    keys = pd.Series(id_keys(ids)[1])
    repeated = keys.duplicated(keep=False).to_numpy()
    if not repeated.any():
        return items
    shown = [c for c in (item, "name_zh", "name_en", "category") if c in items.columns]
    contents = items[shown].astype("string").fillna("").assign(**{item: keys.to_numpy()})
    differing = (contents.loc[repeated].drop_duplicates().duplicated(item, keep=False)).to_numpy()
    different_keys = set(contents.loc[repeated].drop_duplicates()[item].to_numpy()[differing])
    source = items.attrs.get("source")
    where = Message("analysis.items_source", {"source": source}) if source else ""
    rows = np.arange(1, len(items) + 1)

    def listing(chosen) -> str:
        found = [(k, rows[(keys == k).to_numpy()]) for k in dict.fromkeys(keys[repeated]) if k in chosen]
        return "; ".join(f"{k!r} x{len(r)} (rows {first_lines(r)})" for k, r in found)

    if different_keys:
        raise SurveyError("analysis.items_repeated", source=where, count=len(different_keys),
                          listing=listing(different_keys))
    same = set(keys[repeated])
    warnings.warn(SurveyWarning(Message("analysis.items_repeated_same", {
        "source": where, "count": len(same), "listing": listing(same)})), stacklevel=4)
    return items.loc[~keys.duplicated().to_numpy()].reset_index(drop=True)


_COUNTS_KEYS = ("item", "n", "satisfied", "percent", "dissatisfied", "percent_dissatisfied", "decimals",
                "rounding", "duplicates", "percent_scale")


def counts_survey(source, counts: dict, load: dict | None = None, design: dict | None = None) -> Survey:
    """A Survey from a table of counts per unit, as :func:`analyze` builds it with
    ``counts=`` (the CLI's ``report --counts`` and ``validate --counts``).

    Parameters
    ----------
    source : path or pandas.DataFrame
        The table.
    counts : dict
        Its columns and options (keys :data:`_COUNTS_KEYS`: ``item``, ``n``, one of
        ``satisfied`` / ``percent`` / ``dissatisfied`` / ``percent_dissatisfied``,
        ``decimals``, ``rounding``, ``duplicates``); see :meth:`Survey.from_counts`.
    load : dict, optional
        ``sheet``, ``encoding``, ``header_row``, ``warn_share`` (other loader options are
        refused).
    design : dict, optional
        ``strata``, ``groups``, ``lonely_cluster``, ``items_as`` (``satisfied``,
        ``cluster`` and ``weight`` are refused).

    Returns
    -------
    Survey

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"单位": ["甲", "乙"], "回访量": [40, 30], "不满意数": [2, 0]})
    >>> counts_survey(table, {"item": "单位", "n": "回访量", "dissatisfied": "不满意数"}).counts()[
    ...     ["单位", "satisfied"]].to_dict("list")
    {'单位': ['乙', '甲'], 'satisfied': [30, 38]}
    """
    design, load = dict(design or {}), dict(load or {})
    if not isinstance(counts, dict):
        raise SurveyError("analysis.counts_dict", counts=counts)
    unknown = sorted(set(counts) - set(_COUNTS_KEYS))
    if unknown:
        raise SurveyError("analysis.counts_keys", unknown=unknown, allowed=list(_COUNTS_KEYS))
    if isinstance(source, Design):
        raise SurveyError("analysis.counts_survey")
    for name in ("satisfied", "cluster", "weight"):
        if design.get(name) is not None:
            raise SurveyError("analysis.counts_option", name=name)
    _refuse(load, {"warn_share", "keep_columns", "sheet", "encoding", "header_row"}, "counts")
    spec = dict(counts)
    if spec.get("decimals") is not None:
        spec["decimals"] = int(spec["decimals"])
    groups = [g for g in (design.get("groups") or []) if g != design.get("strata")]
    for name in ("lonely_cluster", "items_as"):
        if design.get(name) is not None:
            spec[name] = design[name]
    return Survey.from_counts(source, strata=design.get("strata"), groups=groups,
                              **{k: v for k, v in spec.items() if v is not None},
                              **{k: load[k] for k in ("sheet", "encoding", "header_row", "warn_share")
                                 if k in load})


def analyze(source, *, claims=None, items=None, satisfied=None, cluster=None, strata=None,
            weight=None, method: str = "logit", confidence_level: float = 0.95,
            interval: str = "wilson", by=None, threshold=None, title=None, synthetic: bool = False,
            counts=None, lonely_cluster=None, items_as=None, suppress=None, fpc=None,
            lonely_domain=None, engine=None, scheduler=None, period=None, freq=None, date_format=None,
            proportion=None, among=None,
            crosstab=None, crosstab_min_base: int = 30, crosstab_alpha: float = 0.05,
            **load_options) -> Analysis:
    """The standard analysis of a survey: every table, computed once from one Survey.

    Parameters
    ----------
    source : path, pandas.DataFrame or Survey
        A response sheet (CSV / Excel: read by :func:`~survey_analysis.load_responses`
        with its full ledger; Parquet, a folder or a glob: counted by DuckDB in one
        scan), tidy responses, a raw sheet in a DataFrame (loaded first), or a
        :class:`~survey_analysis.Survey` (e.g. ``Survey.from_counts(...)``).
    claims : path or pandas.DataFrame, optional
        Published statements to check (:func:`~survey_analysis.read_claims`). Without
        them no published figure or verdict appears.
    items : pandas.DataFrame, optional
        Item catalogue (item column plus ``name_zh`` / ``name_en``) for item names. An
        id on several rows (Ａ1 = A1, as the loader compares ids) is an error listing
        the rows, unless the rows are identical: the repeats are then dropped with a
        :class:`~survey_analysis.words.SurveyWarning`.
    satisfied, cluster, strata, weight
        The design (see :class:`~survey_analysis.Survey`); default each scale's
        convention, items as clusters, no strata, the ``weight`` column if any.
    lonely_cluster : {"fail", "remove", "certainty", "adjust", "average"}, optional
        A stratum with a single cluster (see :class:`~survey_analysis.Survey`); default
        ``"fail"``, an error naming the strata.
    items_as : {"clusters", "strata"}, optional
        What the items are (see :class:`~survey_analysis.Survey`): a sample of
        possible items (clusters, the default) or all the items there are (strata of a
        census, so only respondents within items are sampled). Claims checks give the
        verdict both ways when it depends on this.
    fpc : str, optional
        Finite population correction column (CLI ``--fpc``): population size or
        sampling fraction per stratum, as :class:`~survey_analysis.Survey`.
    lonely_domain : bool, optional
        Apply the lonely-cluster rule inside the ``by`` groups (CLI ``--lonely-domain``;
        R ``survey.adjust.domain.lonely``), as :class:`~survey_analysis.Survey`.
    engine, scheduler : str, optional
        How a long file (Parquet, a folder, a glob) is counted (CLI ``--engine``): DuckDB by
        default, or ``"dask"``; ``scheduler`` (CLI ``--scheduler ADDRESS``) counts it with
        Dask on that cluster, as :class:`~survey_analysis.Survey`.
    proportion, among : dict or str, optional
        Another share to estimate under the design (CLI ``--proportion COLUMN=V[,V]``,
        ``--among ...``): :func:`~survey_analysis.proportion` overall and per item
        (``proportion`` and ``proportion_by_item``).
    crosstab : str, optional
        A banner table of the rate of each item (or ``by`` group) in each value of this
        column (CLI ``--crosstab``): :func:`~survey_analysis.crosstab`.
    crosstab_min_base, crosstab_alpha : optional
        The banner's ``min_base`` (default 30; CLI ``--crosstab-min-base``) and ``alpha``
        (default 0.05; ``--crosstab-alpha``), as :func:`~survey_analysis.crosstab`.
    period, freq, date_format : optional
        A column of periods (CLI ``--period``), or of dates with ``freq`` ``"M"``, ``"Q"``
        or ``"W"`` (``--freq``, ``--date-format``): the analysis then holds ``tracking``,
        the rate of each period with Laney p' control limits and the NHS rules
        (:func:`~survey_analysis.track`, the same table), and the report a control chart.
    method : {"logit", "beta"}
        Design-based interval of the pooled rate.
    confidence_level : float, default 0.95
        Level of every interval (and of the one-sided bounds of the verdicts).
    interval : str, default "wilson"
        Item interval method (see :func:`~survey_analysis.binomial_ci`).
    by : str, optional
        A column to give a per-group table and test (e.g. a community).
    threshold : float, optional
        Reference rate (strictly between 0 and 1) drawn in plots; default the overall
        claim's value. A percentage (95) is an error proposing 0.95.
    title : str, optional
        Report title.
    synthetic : bool, default False
        The data are the bundled SYNTHETIC responses (reports say so first).
    counts : dict, optional
        ``source`` is a table of counts per unit, not responses: its columns, as
        ``{"item": ..., "n": ..., "satisfied": ...}`` or with ``"percent"`` (a
        published rounded percentage), ``"dissatisfied"`` or ``"percent_dissatisfied"``
        instead of ``"satisfied"``, and optionally ``"decimals"``, ``"rounding"`` and
        ``"duplicates"``; see :meth:`Survey.from_counts`. CLI ``--counts item=单位
        n=回访量 percent=满意率`` (``item=A+B``: a unit named by two columns).
    suppress : int or str, optional
        A publication rule (:func:`~survey_analysis.suppression_rule`): a minimum number
        of answers (``10``) or a preset (``"gpps"``, ``"fft"``: fewer than 10;
        ``"hcahps"``: fewer than 100). CLI ``--suppress gpps``. See Notes.
    **load_options
        Options of :func:`~survey_analysis.load_responses` (``scale``, ``labels``,
        ``columns``, ``header_row``, ``sheet``, ``duplicates`` ...).

    Returns
    -------
    Analysis

    Notes
    -----
    A publication rule (``suppress``) decides which unit-level rows may be published;
    it changes no estimate. Rows of items (and of ``by`` groups) with fewer answers
    than its minimum keep ``n`` and lose their counts, rates and intervals in
    ``item_rates``, ``groups``, ``funnel`` and ``shares`` (``suppressed`` says which);
    ``items_at_100`` and ``items_rounding_to_100`` list only publishable items, and
    their ``.attrs["suppression"]`` says how many were left out. The headline's count of
    items at 100% still counts every item (``n_items_at_100``: a fact of the data, the
    one claims and chance are compared with), its label saying how many are not
    listed. The funnel keeps its target (the pooled rate of every answer); the report
    draws only the publishable points. The overall rates and their intervals are
    computed from every answer: hiding an item's row removes no answer from them.
    Claims about a hidden item get the verdict ``not_publishable``
    (:func:`~survey_analysis.check_claims`).

    References
    ----------
    .. [1] GP Patient Survey, "Why is data sometimes suppressed?" (Ipsos / NHS England):
       results based on fewer than 10 people are suppressed.
    .. [2] CMS, Technical Notes for HCAHPS Star Ratings: at least 100 completed surveys.
    .. [3] HSJ (2013): Picker Institute Europe asked NHS England to suppress Friends and
       Family Test ward results from fewer than 10 patients.

    Full citations: :func:`~survey_analysis.suppression_rule`.

    Examples
    --------
    >>> import survey_analysis as sa
    >>> a = sa.analyze(sa.synthetic_responses_path(), synthetic=True)   # SYNTHETIC data
    >>> a.checks is None, len(a.item_rates)
    (True, 152)
    >>> a.headline.set_index("measure").loc["pooled", "published"]      # no claims: nothing published
    ''
    >>> ruled = sa.analyze(sa.synthetic_responses_path(), synthetic=True, suppress="hcahps")
    >>> int(ruled.item_rates["suppressed"].sum()) > 0, ruled.estimate == a.estimate
    (True, True)
    """
    if "warn_share" not in load_options:
        load_options["warn_share"] = WARN_SHARE
    groups = [c for c in (by, period, crosstab) if c is not None] or None
    keep = list(load_options.pop("keep_columns", None) or [])
    wanted = [*(proportion or {}), *(among if isinstance(among, dict) else {}), crosstab]
    for column in [strata, by, fpc, period, *wanted, *(cluster if isinstance(cluster, (list, tuple)) else [cluster])]:
        if column and column != "item_id" and column not in keep:
            keep.append(column)
    if keep:
        load_options["keep_columns"] = keep
    design = {"satisfied": satisfied, "cluster": cluster, "strata": strata, "weight": weight,
              "groups": groups, "lonely_cluster": lonely_cluster, "items_as": items_as, "fpc": fpc,
              "lonely_domain": lonely_domain, "engine": engine, "scheduler": scheduler}
    if counts is not None:
        load_options.pop("keep_columns", None)  # strata and by are the table's own columns
        survey = counts_survey(source, counts, load_options, design)
    else:
        survey = _survey_from(source, design, load_options, rows_needed=freq is not None)
    return Analysis(survey, claims=claims, items=items, method=method,
                    confidence_level=confidence_level, interval=interval, by=by,
                    threshold=threshold, title=title, synthetic=synthetic, suppress=suppress,
                    period=period, freq=freq, date_format=date_format, proportion=proportion, among=among,
                    crosstab=crosstab, crosstab_min_base=crosstab_min_base, crosstab_alpha=crosstab_alpha)
