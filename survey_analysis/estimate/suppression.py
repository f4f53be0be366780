"""Suppression as a publication rule: rows based on too few answers are not published.

An office that publishes "100% satisfied" for an item answered by 3 people publishes
noise (the exact lower bound of 3 of 3 is 37% at 95% confidence). Publishers of
satisfaction surveys therefore hold back unit-level results below a minimum number of
answers: :data:`SUPPRESSION_RULES` holds three such rules as presets, and any whole number
is a rule of its own. :func:`suppress` applies one to a table of rates: the rows below the
minimum keep their ``n`` (so a reader sees why) and lose their counts, rates and intervals.

Suppression is about *publishing rows*; the estimates pooled over every answer (the
overall rate and its interval) are computed from every answer and do not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from ..words import Hint, Note, SurveyError

__all__ = ["SUPPRESSED_COLUMNS", "SUPPRESSION_RULES", "SuppressionRule", "suppress",
           "suppression_rule"]

#: Columns :func:`suppress` blanks in a suppressed row (those a table has): every count,
#: share, rate, interval, bound and funnel position that would tell the row's result. ``n``
#: (and ``weight_sum``, ``n_effective``, ``df``: sizes, not results) stay. Columns whose name
#: starts with ``flag_`` (the funnel's within / above / below) are blanked too.
SUPPRESSED_COLUMNS = ("satisfied", "satisfied_min", "satisfied_max", "satisfied_weight", "count",
                      "share", "rate", "se", "ci_low", "ci_high", "lower_bound", "z", "p_above",
                      "p_below")


@dataclass(frozen=True)
class SuppressionRule:
    """A publication rule: rows with fewer than ``minimum_n`` answers are not published.

    Attributes
    ----------
    name : str
        The preset's name (``"gpps"``, ``"hcahps"``, ``"fft"``), or the minimum written as
        a number (``"10"``) for a rule given as a whole number.
    minimum_n : int
        The fewest answers a published row may rest on.
    source : str
        Who publishes under this rule, with the sentence that says so (a
        :class:`~survey_analysis.words.Note`: English text, ``.render("zh")`` in Chinese).
    title : str
        ``"gpps: GP Patient Survey rule"`` (a Note).
    """

    name: str
    minimum_n: int
    source: str
    title: str

    def reason(self) -> Note:
        """Why a row is hidden: ``"fewer than 10 responses (gpps: GP Patient Survey rule)"``."""
        return Note("suppression.reason", minimum=self.minimum_n, title=self.title)

    def hides(self, n) -> np.ndarray:
        """Which of the answer counts ``n`` the rule hides (``0 < n < minimum_n``: a row
        without answers has no rate to hide, e.g. a month a ward was not surveyed)."""
        n = np.asarray(n, dtype=float)
        return (n > 0) & (n < self.minimum_n)


def _preset(name: str, minimum_n: int, source: Note, label: Note) -> SuppressionRule:
    return SuppressionRule(name, minimum_n, source, Note("suppression.title.preset", name=name, label=label))


#: The preset rules, by name: ``"gpps"`` (UK GP Patient Survey: a result based on fewer
#: than 10 people is suppressed), ``"hcahps"`` (CMS HCAHPS Star Ratings: fewer than 100
#: completed surveys get no star rating), ``"fft"`` (NHS Friends and Family Test: ward
#: results from fewer than 10 responses, as Picker Institute Europe asked NHS England).
#: Each rule's ``source`` quotes its source; see :func:`suppression_rule`.
SUPPRESSION_RULES = MappingProxyType({rule.name: rule for rule in (
    _preset("gpps", 10, Note("suppression.source.gpps"), Note("suppression.label.gpps")),
    _preset("hcahps", 100, Note("suppression.source.hcahps"), Note("suppression.label.hcahps")),
    _preset("fft", 10, Note("suppression.source.fft"), Note("suppression.label.fft")))})


def suppression_rule(value) -> SuppressionRule | None:
    """The publication rule ``value`` names.

    Parameters
    ----------
    value : int, str, SuppressionRule or None
        A whole number of answers of at least 1 (rows with fewer are hidden), the name of
        a preset of :data:`SUPPRESSION_RULES` (``"gpps"``, ``"hcahps"``, ``"fft"``), a
        rule, or None (no rule).

    Returns
    -------
    SuppressionRule or None

    Raises
    ------
    SurveyError
        (a ``ValueError``) for anything else -- 0, a negative or fractional number, an
        unknown name, ``True`` -- naming the values allowed.

    Notes
    -----
    The presets and their sources:

    * ``"gpps"`` -- England's GP Patient Survey (Ipsos for NHS England) suppresses "a
      result [...] based on fewer than 10 people (unweighted)" [1]_.
    * ``"hcahps"`` -- CMS gives HCAHPS Star Ratings only to hospitals with "at least 100
      completed HCAHPS surveys over a given four-quarter period" [2]_.
    * ``"fft"`` -- Picker Institute Europe "called on NHS England to 'suppress' any
      results from wards where fewer than 10 patients filled in the satisfaction survey"
      of the Friends and Family Test [3]_ (a recommendation, not NHS England's own rule).

    References
    ----------
    .. [1] GP Patient Survey, analysis tool, "Why is data sometimes suppressed?" (Ipsos /
       NHS England); https://analysistool.gp-patient.co.uk/analysistool (UK Government
       Web Archive copy). The GPPS Technical Annex lists the full rules.
    .. [2] Centers for Medicare & Medicaid Services, Technical Notes for HCAHPS Star
       Ratings (October 2015), "100 Survey Minimum for HCAHPS Star Ratings";
       https://hcahpsonline.org/en/hcahps-star-ratings
    .. [3] HSJ (2013), "Satisfaction survey damages staff morale and alarms patients";
       https://www.hsj.co.uk/home/satisfaction-survey-damages-staff-morale-and-alarms-patients/5062673.article

    Examples
    --------
    >>> rule = suppression_rule("gpps")
    >>> rule.minimum_n, rule.title
    (10, 'gpps: GP Patient Survey rule')
    >>> suppression_rule(30).name, suppression_rule(None)
    ('30', None)
    >>> suppression_rule(0)
    Traceback (most recent call last):
    ...
    survey_analysis.words.SurveyError: unknown suppress 0; allowed: a whole number of answers of at least 1 (e.g. suppress=10), a preset ('gpps', 'hcahps', 'fft') or None (no rule)
    """
    if value is None or isinstance(value, SuppressionRule):
        return value
    if isinstance(value, str) and value in SUPPRESSION_RULES:
        return SUPPRESSION_RULES[value]
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)) and value >= 1:
        minimum = int(value)
        return SuppressionRule(str(minimum), minimum, Note("suppression.source.custom", minimum=minimum),
                               Note("suppression.title.custom"))
    raise SurveyError("estimate.suppression.unknown", value=value, example=Hint("suppress", 10),
                      presets=", ".join(map(repr, SUPPRESSION_RULES)))


def suppress(table: pd.DataFrame, rule, n: str = "n", columns=None) -> pd.DataFrame:
    """A copy of ``table`` with the rows the publication ``rule`` hides blanked.

    Parameters
    ----------
    table : pandas.DataFrame
        A table with one row per published unit (item, group, domain) and its number of
        answers, e.g. the output of :func:`~survey_analysis.item_rates`.
    rule : int, str, SuppressionRule or None
        See :func:`suppression_rule`; None returns an unchanged copy.
    n : str, default "n"
        The column of answers per row.
    columns : list of str, optional
        The columns to blank; default those of :data:`SUPPRESSED_COLUMNS` the table has,
        and every ``flag_*`` column.

    Returns
    -------
    pandas.DataFrame
        The rows of ``table`` in their order, every column kept; in a row with ``n`` below
        the rule's minimum the blanked columns are missing (whole-number columns become
        pandas ``Int64`` with ``<NA>``). Two columns are added: ``suppressed`` (bool) and
        ``suppressed_reason`` (a :class:`~survey_analysis.words.Note`, e.g. ``"fewer than
        10 responses (gpps: GP Patient Survey rule)"``, ``.render("zh")`` in Chinese; ""
        in a published row). ``.attrs["suppression"]`` is a dict: ``rule`` (its name),
        ``minimum_n``, ``hidden`` (rows hidden), ``rows``, ``title`` and ``source`` (Notes).
        With ``rule=None`` nothing is added.

    Raises
    ------
    SurveyError
        ``rule`` is not a rule (see :func:`suppression_rule`), or the table has no
        column ``n``.

    Notes
    -----
    ``n`` stays in a suppressed row so that readers see why it is empty. The counts go
    with the rate, as 3 satisfied of 3 says "100%" as plainly as the rate does. A row at
    exactly the minimum is published ("fewer than 10" hides 9, not 10).

    Suppression hides rows from publication; it does not remove answers from estimates.
    The overall (pooled) rate and the mean of item rates are computed from every answer
    whatever the rule: hiding an item's row is not evidence that its answers are wrong.

    References
    ----------
    See :func:`suppression_rule` for the sources of the presets.

    Examples
    --------
    >>> import pandas as pd
    >>> rates = pd.DataFrame({"item_id": ["A", "B", "C"], "n": [3, 9, 10],
    ...                       "satisfied": [3, 8, 10], "rate": [1.0, 8 / 9, 1.0]})
    >>> out = suppress(rates, "gpps")
    >>> out[["item_id", "n", "satisfied", "rate", "suppressed"]]
      item_id   n  satisfied  rate  suppressed
    0       A   3       <NA>   NaN        True
    1       B   9       <NA>   NaN        True
    2       C  10         10   1.0       False
    >>> out.loc[0, "suppressed_reason"], out.loc[0, "suppressed_reason"].render("zh")
    ('fewer than 10 responses (gpps: GP Patient Survey rule)', '回答少于 10 个：英国全科医生患者调查规则（gpps）')
    >>> out.attrs["suppression"]["hidden"]
    2
    """
    rule = suppression_rule(rule)
    out = table.copy()
    if rule is None:
        return out
    if n not in out.columns:
        raise SurveyError("estimate.suppression.n_column", n=n, columns=list(map(str, out.columns)))
    hidden = rule.hides(out[n].to_numpy(dtype=float))
    if columns is None:
        columns = [c for c in out.columns if c in SUPPRESSED_COLUMNS
                   or (isinstance(c, str) and c.startswith("flag_"))]
    for column in columns:
        if column == n or column not in out.columns:
            continue
        values = out[column]
        if pd.api.types.is_integer_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
            values = values.astype("Int64" if pd.api.types.is_integer_dtype(values.dtype) else "boolean")
        elif not (pd.api.types.is_float_dtype(values.dtype) or pd.api.types.is_extension_array_dtype(values.dtype)):
            values = values.astype(object)
        out[column] = values.mask(hidden)
    out["suppressed"] = hidden
    reasons = np.full(len(out), "", dtype=object)
    reasons[hidden] = rule.reason()  # the Note itself (a report says it in Chinese)
    out["suppressed_reason"] = pd.Series(reasons, index=out.index, dtype=object)
    out.attrs["suppression"] = {"rule": rule.name, "minimum_n": rule.minimum_n,
                                "hidden": int(hidden.sum()), "rows": len(out),
                                "title": rule.title, "source": rule.source}
    return out
