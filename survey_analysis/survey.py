"""``sa.Survey``: one study's design, its counts, and every estimate as a method.

The design (clusters, strata, weights, scales, the definition of "satisfied") is
declared once, the sufficient counts are made once (one scan of a file), and each
method computes from them, as R's ``svydesign`` object is passed to every ``svy*``
function. A Survey is immutable: methods that change something (``with_definition``,
``with_options``, ``subset``, ``poststratify``, ``rake``, ``trim``) return a new one.

Every method is the plain function of the same name run on the Survey
(``survey.item_rates()`` is ``sa.item_rates(survey)``), so the two give the same numbers
by construction; a plain function given tidy responses builds the Survey first.

>>> import pandas as pd, survey_analysis as sa
>>> r = pd.DataFrame({"item_id": list("AAABBB"), "scale": "cn3", "rank": [1, 2, 3, 1, 1, 1],
...                   "rating": ["满意", "基本满意", "不满意", "满意", "满意", "满意"]})
>>> survey = sa.Survey(r)
>>> survey.item_rates()[["item_id", "n", "satisfied"]].to_dict("list")
{'item_id': ['A', 'B'], 'n': [3, 3], 'satisfied': [2, 3]}
>>> round(survey.overall().pooled.estimate, 4)
0.8333
>>> round(survey.with_definition("top_box").overall().pooled.estimate, 4)
0.6667
"""

from __future__ import annotations

import pandas as pd

from .design.design import Design, as_design
from .estimate.chance import chance_of_100
from .estimate.comments import comments as comments_of
from .estimate.comments import topics as topics_of
from .estimate.comparisons import compare_groups, pairwise_comparisons
from .estimate.domains import domain_differences, domain_rates, rao_scott_test
from .estimate.funnel import funnel_table
from .estimate.multinomial import shares_of
from .estimate.proportions import proportion
from .estimate.rates import OverallRate, items_at_100, items_rounding_to_100, overall, rates_of
from .estimate.sensitivity import definition_sensitivity, score_index
from .estimate.shrinkage import shrink_rates
from .estimate.tracking import track

__all__ = ["Survey", "poststratify", "rake"]


class Survey(Design):
    """A satisfaction survey: its design, its sufficient counts, and the estimates as methods.

    Parameters
    ----------
    responses : pandas.DataFrame, path, list of paths, folder, glob or Dask DataFrame
        Tidy responses from :func:`~survey_analysis.load_responses` (counted with
        pandas), or long-format Parquet / CSV files or a Dask DataFrame (counted by
        DuckDB or Dask in one scan, without loading the rows into pandas). A table of
        counts or rounded percentages per unit: :meth:`from_counts`.
    satisfied : None, str, collection of str or dict
        Who counts as satisfied; default each scale's own convention (``cn3``: 满意 +
        基本满意; ``haochaping5``: not 差评); ``"top_box"``, ``"top_two_box"`` ...; the
        levels themselves; or a dict scale -> any of these.
    cluster : str, list of str or "none", default "item_id"
        Cluster (primary sampling unit) column(s): answers about one item share that
        item's circumstances. ``["item_id", "社区"]`` makes each item x community a
        cluster; ``[]`` (or ``"none"``) makes every answer its own sampling unit.
    strata : str, optional
        Stratum column; clusters nested in strata.
    weight : str, None or False
        Respondent weight column; ``None`` uses ``"weight"`` when tidy responses have one.
    groups : list of str, optional
        Other columns to count by (districts, channels, rounds); tidy responses are
        recounted when needed, a file is scanned once with these.
    item : str, default "item_id"
    items_as : {"clusters", "strata"}, default "clusters"
        The items are a sample of possible items (clusters) or all the items there are
        (strata of a census: only respondents within items are sampled).
    lonely_cluster : {"fail", "remove", "certainty", "adjust", "average"}, default "fail"
        What a stratum with one cluster adds to variances (R ``survey.lonely.psu``).
    fpc : str, optional
        Finite population correction: a column of the population size per stratum (items
        in the stratum's population; cases per item with ``items_as="strata"``) or of the
        sampling fraction (values <= 1), as R ``svydesign(fpc = ...)``.
    lonely_domain : bool, default False
        The lonely-cluster rule also inside domains (R ``survey.adjust.domain.lonely``).
    engine, rating, scale, labels, duplicates
        How files and Dask DataFrames are counted (see :class:`~survey_analysis.design.design.Design`).
    scheduler : str, optional
        Address of a Dask scheduler (``"tcp://10.0.0.5:8786"``, CLI ``--scheduler``): a file
        is counted by the Dask engine on that cluster (see
        :func:`~survey_analysis.load.engines.source_level_counts`).

    Returns
    -------
    Survey
        Immutable. Its attributes (``item``, ``cluster``, ``strata``, ``weight``,
        ``scales``, ``definition``, ``report``, ``calibration``, ``domain`` ...) are
        read-only; ``survey.with_options(...)`` and the other methods listed above build
        a new Survey.

    See Also
    --------
    survey_analysis.design.design.Design : the design and its counts (every option in
        detail, ``linearized_covariance``, ``subset``, ``poststratify``, ``rake``, ``trim``).

    Examples
    --------
    >>> import pandas as pd, survey_analysis as sa
    >>> r = pd.DataFrame({"item_id": list("AAAABBBBCCCC"), "社区": list("XXXXXXYYYYYY"),
    ...                   "scale": "cn3", "rating": "满意",
    ...                   "rank": [1, 1, 2, 3, 1, 1, 1, 1, 1, 2, 3, 3]})
    >>> survey = sa.Survey(r, groups=["社区"])
    >>> survey.n_responses, survey.n_items
    (12, 3)
    >>> survey.item_rates()[["item_id", "n", "satisfied"]].to_dict("list")
    {'item_id': ['A', 'B', 'C'], 'n': [4, 4, 4], 'satisfied': [3, 4, 2]}
    >>> survey.subset(社区="X").n_responses
    6
    >>> survey.cluster = "社区"
    Traceback (most recent call last):
    ...
    AttributeError: a Survey cannot be changed ('cluster' is read-only): build a new one with with_options(...), with_definition(...), subset(...), poststratify(...), rake(...) or trim(...)
    """

    def item_rates(self, by=None, method: str = "wilson", confidence_level: float = 0.95,
                   alternative: str = "two-sided", suppress=None) -> pd.DataFrame:
        """Rate of every item (or group ``by``) with its interval; ``suppress`` a publication
        rule; see :func:`~survey_analysis.item_rates`."""
        return rates_of(self, by, method=method, confidence_level=confidence_level,
                        alternative=alternative, suppress=suppress)

    def overall(self, method: str = "logit", confidence_level: float = 0.95,
                alternative: str = "two-sided") -> OverallRate:
        """Pooled and mean-of-items overall rate; see :func:`~survey_analysis.overall_rate`."""
        return overall(self, method=method, confidence_level=confidence_level,
                       alternative=alternative)

    def items_at_100(self, confidence_level: float = 0.95) -> pd.DataFrame:
        """Every 100% item with ``n`` and its exact lower bound; see :func:`~survey_analysis.items_at_100`."""
        return items_at_100(self, confidence_level=confidence_level)

    def items_rounding_to_100(self) -> pd.DataFrame:
        """Items whose rounded "100%" fewer satisfied answers also print as, with the counts it
        allows; see :func:`~survey_analysis.estimate.rates.items_rounding_to_100`."""
        return items_rounding_to_100(self)

    def sensitivity(self, method: str = "logit", confidence_level: float = 0.95,
                    scores=None) -> pd.DataFrame:
        """The headline under every definition of "satisfied"; see
        :func:`~survey_analysis.definition_sensitivity`."""
        return definition_sensitivity(self, confidence_level=confidence_level, method=method,
                                      scores=scores)

    def score_index(self, scores=None, confidence_level: float = 0.95) -> pd.DataFrame:
        """Mean satisfaction score; see :func:`~survey_analysis.score_index`."""
        return score_index(self, scores=scores, confidence_level=confidence_level)

    def compare(self, by: str, method: str = "rao_scott", **options):
        """Do groups differ? :func:`~survey_analysis.compare_groups` under this design
        (Rao-Scott F by default)."""
        return compare_groups(self, group=by, method=method, **options)

    def pairwise(self, by: str, **options) -> pd.DataFrame:
        """Every pair of groups, design-based; see :func:`~survey_analysis.pairwise_comparisons`."""
        return pairwise_comparisons(self, group=by, **options)

    def domain_rates(self, by, confidence_level: float = 0.95, suppress=None) -> pd.DataFrame:
        """Each group's rate with its design-based SE; ``suppress`` a publication rule; see
        :func:`~survey_analysis.domain_rates`."""
        return domain_rates(self, by, confidence_level=confidence_level, suppress=suppress)

    def proportion(self, of, among=None, by=None, confidence_level: float = 0.95,
                   method: str = "logit") -> pd.DataFrame:
        """Share of the answers with some value (of those ``among``), overall or per group
        ``by``, under this design; see :func:`~survey_analysis.proportion`."""
        return proportion(self, of, among=among, by=by, confidence_level=confidence_level,
                          method=method)

    def domain_differences(self, by: str, pairs=None, confidence_level: float = 0.95) -> pd.DataFrame:
        """Differences between groups, design-based; see :func:`~survey_analysis.domain_differences`."""
        return domain_differences(self, by, pairs=pairs, confidence_level=confidence_level)

    def rao_scott(self, by: str, statistic: str = "F", levels: str = "satisfied"):
        """Is satisfaction (``levels="all"``: the whole rating distribution) independent of the
        group? See :func:`~survey_analysis.rao_scott_test`."""
        return rao_scott_test(self, by, statistic=statistic, levels=levels)

    def rating_shares(self, by=None, confidence_level: float = 0.95,
                      method: str = "goodman") -> pd.DataFrame:
        """Share of each level with simultaneous intervals; see :func:`~survey_analysis.rating_shares`."""
        return shares_of(self, [] if by is None else by, confidence_level=confidence_level,
                         method=method)

    def funnel(self, target=None, **options) -> pd.DataFrame:
        """Funnel table of the items; see :func:`~survey_analysis.funnel_table`."""
        return funnel_table(self.counts([self.item])[[self.item, "n", "satisfied"]], target=target,
                            **options)

    def shrink(self, prior=None, confidence_level: float = 0.95) -> pd.DataFrame:
        """Empirical-Bayes item rates; see :func:`~survey_analysis.shrink_rates`."""
        return shrink_rates(self.counts([self.item])[[self.item, "n", "satisfied"]], prior=prior,
                            confidence_level=confidence_level)

    def track(self, period: str, **options) -> pd.DataFrame:
        """The rate of each period with control limits and signals; see :func:`~survey_analysis.track`."""
        return track(self, period, **options)

    def comments(self, among="dissatisfied", by=None, limit=50, column=None, mask: bool = True) -> pd.DataFrame:
        """The comments beside the ratings, worst first, personal data masked; see
        :func:`~survey_analysis.comments`."""
        return comments_of(self, among=among, by=by, limit=limit, column=column, mask=mask)

    def topics(self, columns, among=None, confidence_level: float = 0.95) -> pd.DataFrame:
        """Each coded topic's share among the satisfied and the dissatisfied, and the
        difference; see :func:`~survey_analysis.topics`."""
        return topics_of(self, columns, among=among, confidence_level=confidence_level)

    def chance_of_100(self):
        """How many 100% items chance alone gives; see
        :func:`~survey_analysis.estimate.chance.chance_of_100` (None when the fit is
        degenerate)."""
        return chance_of_100(self)


def poststratify(responses, by, population, weight=None, **design) -> Survey:
    """Post-stratify a survey's weights to known population totals per cell.

    Parameters
    ----------
    responses : pandas.DataFrame or Survey
        Tidy responses (a Survey is built with the ``design`` options) or a Survey.
    by, population
        The cells and their totals; see :meth:`Survey.poststratify
        <survey_analysis.design.design.Design.poststratify>`.
    weight : str, None or False
        Initial weight column (``None``: ``"weight"`` when present; none: every answer
        starts at 1, so the new weights are ``N_h / n_h``).
    **design
        Options of :class:`Survey` (``cluster``, ``strata`` ...).

    Returns
    -------
    Survey
        With the new weights (``.responses`` holds them), ``.calibration`` the adjustment
        per cell; its estimates' standard errors account for the calibration.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"item_id": list("ABC"), "community": ["东", "东", "西"],
    ...                   "scale": "yes_no", "rank": [1, 2, 1], "weight": [1.0, 3.0, 2.0]})
    >>> survey = poststratify(r, "community", {"东": 100, "西": 50})
    >>> survey.responses["weight"].tolist()
    [25.0, 75.0, 50.0]
    >>> survey.calibration.adjustment[["community", "n", "population", "factor"]]
      community  n  population  factor
    0         东  2       100.0    25.0
    1         西  1        50.0    25.0
    """
    return _survey_of(responses, weight, design).poststratify(by, population)


def rake(responses, margins: dict, weight=None, max_iter: int = 100, tol: float = 1e-10, trim=None,
         **design) -> Survey:
    """Rake a survey's weights to several known margins (iterative proportional fitting).

    Parameters
    ----------
    responses : pandas.DataFrame or Survey
        Tidy responses (a Survey is built with the ``design`` options) or a Survey.
    margins, max_iter, tol, trim
        See :meth:`Survey.rake <survey_analysis.design.design.Design.rake>`.
    weight : str, None or False
        Initial weight column (default ``"weight"`` when present, else 1).
    **design
        Options of :class:`Survey`.

    Returns
    -------
    Survey
        With the raked weights and ``.calibration`` (``converged``, ``iterations``,
        ``max_discrepancy``, ``n_trimmed``, ``adjustment``).

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"item_id": list("ABCDE"), "scale": "yes_no", "rank": [1, 1, 2, 1, 2],
    ...                   "sex": ["F", "F", "M", "M", "F"],
    ...                   "age": ["young", "old", "young", "old", "old"]})
    >>> survey = rake(r, {"sex": {"F": 60, "M": 40}, "age": {"young": 50, "old": 50}})
    >>> survey.calibration.converged, survey.responses.groupby("sex")["weight"].sum().round(6).to_dict()
    (True, {'F': 60.0, 'M': 40.0})
    """
    return _survey_of(responses, weight, design).rake(margins, max_iter=max_iter, tol=tol, trim=trim)


def _survey_of(responses, weight, design: dict) -> Survey:
    """A Survey given as it is when the options agree with it (else the error naming both,
    as every estimate says it), or one built from tidy responses with them."""
    if isinstance(responses, Design):
        return as_design(responses, weight=weight, **design)
    return Survey(responses, weight=weight, **design)
