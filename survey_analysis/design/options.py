"""The options of a survey's design, once: their defaults, meanings and command-line flags.

:class:`~survey_analysis.Survey` takes these keywords; every plain function that builds a
Survey (``sa.item_rates(responses, cluster=...)``) takes the same ones with ``None``
meaning "not given" (the Survey's own value, or the default for a new one); the command
line builds its flags from this table (:data:`DESIGN_OPTIONS`).

>>> DESIGN_OPTIONS["lonely_cluster"].choices
('fail', 'remove', 'certainty', 'adjust', 'average')
>>> normalized("cluster", "item_id"), normalized("weight", False)
(('item_id',), None)
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["COUNTING_OPTIONS", "DESIGN_OPTIONS", "DUPLICATES", "ENGINES", "ITEMS_AS",
           "LONELY_CLUSTER_RULES", "DesignOption", "normalized"]

#: What the items (the ``cluster`` units) are in the design: a sample of clusters from
#: a wider population of items, or strata of a census of items.
ITEMS_AS = ("clusters", "strata")
#: What a stratum with a single cluster adds to the variance (R ``survey.lonely.psu``).
LONELY_CLUSTER_RULES = ("fail", "remove", "certainty", "adjust", "average")
#: How files and Dask DataFrames are counted.
ENGINES = ("auto", "pandas", "duckdb", "dask")
#: Two answers of one respondent to one item (as ``load_responses(duplicates=...)``).
DUPLICATES = ("error", "keep_first")


@dataclass(frozen=True)
class DesignOption:
    """One keyword of the design.

    Attributes
    ----------
    keyword : str
    default : object
        The value of a new Survey when the keyword is not given.
    help : str
        One line for the command line and the docs.
    flag : str or None
        The command-line flag (None: no flag; the CLI sets it itself).
    choices : tuple
        The allowed values, when they are a fixed list.
    cli : dict
        Other ``argparse`` keywords of the flag (``nargs``, ``metavar``, ``type``).
    """

    keyword: str
    default: object
    help: str
    flag: str | None = None
    choices: tuple = ()
    cli: dict = field(default_factory=dict)


#: Every design keyword of :class:`~survey_analysis.Survey`, in the order of its signature.
DESIGN_OPTIONS: dict = {option.keyword: option for option in (
    DesignOption("satisfied", None,
                 "who counts as satisfied: default (the scale's convention), top_box, top_two_box, "
                 "top_three_box, or the levels joined by commas",
                 "--satisfied", cli={"metavar": "DEFINITION"}),
    DesignOption("cluster", "item_id",
                 "cluster column(s) (default: item_id; e.g. item_id and a community column when "
                 "items span communities); none: every answer is its own sampling unit",
                 "--cluster", cli={"nargs": "+", "metavar": "COLUMN"}),
    DesignOption("strata", None, "stratum column (clusters nested in it)", "--strata",
                 cli={"metavar": "COLUMN"}),
    DesignOption("weight", None, "respondent weight column (default: a column named weight)",
                 "--weight", cli={"metavar": "COLUMN"}),
    DesignOption("groups", (), "other columns to count by (a file is scanned once)"),
    DesignOption("item", "item_id", "the item column"),
    DesignOption("items_as", "clusters",
                 "what the items are: clusters (default: a sample of possible items, answers "
                 "about one item share its circumstances) or strata (a census of the items: only "
                 "respondents within items are sampled)", "--items-as", ITEMS_AS),
    DesignOption("lonely_cluster", "fail",
                 "a stratum with one cluster: fail (default, the error names it), remove, "
                 "certainty, adjust or average (R's survey.lonely.psu)", "--lonely-cluster",
                 LONELY_CLUSTER_RULES),
    DesignOption("engine", "auto", "how files and Dask DataFrames are counted", None, ENGINES),
    DesignOption("rating", "rating", "the answer column of a long file"),
    DesignOption("scale", "auto", "the rating scale of a long file (as load_responses)"),
    DesignOption("labels", None, "what labels of a long file mean (as load_responses)"),
    DesignOption("duplicates", "error",
                 "two answers of one respondent to one item in a long file: error or keep_first",
                 None, DUPLICATES),
)}

#: The options that say how a file is counted (the rest say what the design is).
COUNTING_OPTIONS = ("engine", "rating", "scale", "labels", "duplicates")


def normalized(keyword: str, value):
    """A design option's value in one form, for comparing two of them: column lists as
    tuples (``"item_id"`` -> ``("item_id",)``, ``"none"`` or ``[]`` -> ``()``), ``False``
    weights as None."""
    if keyword in ("cluster", "groups"):
        if value is None:
            return ()
        if isinstance(value, str):
            return () if value == "none" else (value,)
        return tuple(str(v) for v in value)
    if keyword == "weight":
        return None if value is False else value
    return value
