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

from .._validation import Option
from ..load.engines import DUPLICATES, ENGINES
from .variance import LONELY_CLUSTER_RULES

__all__ = ["COUNTING_OPTIONS", "DESIGN_OPTIONS", "DUPLICATES", "ENGINES", "ITEMS_AS",
           "LONELY_CLUSTER_RULES", "LONELY_DOMAIN", "normalized"]

#: What the items (the ``cluster`` units) are in the design: a sample of clusters from
#: a wider population of items, or strata of a census of items.
ITEMS_AS = ("clusters", "strata")
#: Whether the lonely-cluster rule also applies inside domains (R
#: ``survey.adjust.domain.lonely``).
LONELY_DOMAIN = (False, True)
# The choices defined where they are decided: the lonely-cluster rules by the variance
# routine, the engines and the rule for repeats by the loader.


#: Every design keyword of :class:`~survey_analysis.Survey`, in the order of its signature.
DESIGN_OPTIONS: dict = {option.keyword: option for option in (
    Option("satisfied", None,
                 "who counts as satisfied: default (the scale's convention), top_box, top_two_box, "
                 "top_three_box, or the levels joined by commas",
                 "--satisfied", cli={"metavar": "DEFINITION"}),
    Option("cluster", "item_id",
                 "cluster column(s) (default: item_id; e.g. item_id and a community column when "
                 "items span communities); none: every answer is its own sampling unit",
                 "--cluster", cli={"nargs": "+", "metavar": "COLUMN"}),
    Option("strata", None, "stratum column (clusters nested in it)", "--strata",
                 cli={"metavar": "COLUMN"}),
    Option("weight", None, "respondent weight column (default: a column named weight)",
                 "--weight", cli={"metavar": "COLUMN"}),
    Option("groups", (), "other columns to count by (a file is scanned once)"),
    Option("item", "item_id", "the item column"),
    Option("items_as", "clusters",
                 "what the items are: clusters (default: a sample of possible items, answers "
                 "about one item share its circumstances) or strata (a census of the items: only "
                 "respondents within items are sampled)", "--items-as", ITEMS_AS),
    Option("lonely_cluster", "fail",
                 "a stratum with one cluster: fail (default, the error names it), remove, "
                 "certainty, adjust or average (R's survey.lonely.psu)", "--lonely-cluster",
                 LONELY_CLUSTER_RULES),
    Option("engine", "auto",
                 "how a long file is counted: auto (default: DuckDB for files, Dask for a Dask "
                 "DataFrame or with --scheduler), pandas, duckdb or dask (Parquet read with "
                 "dask.dataframe)", "--engine", ENGINES),
    Option("rating", "rating", "the answer column of a long file"),
    Option("scale", "auto", "the rating scale of a long file (as load_responses)"),
    Option("labels", None, "what labels of a long file mean (as load_responses)"),
    Option("duplicates", "error",
                 "two answers of one respondent to one item in a long file: error or keep_first",
                 None, DUPLICATES),
    Option("fpc", None,
                 "finite population correction: column of the population size per stratum (items "
                 "in its population; cases per item with --items-as strata) or the sampling "
                 "fraction (values <= 1), as R svydesign(fpc=)", "--fpc", cli={"metavar": "COLUMN"}),
    Option("lonely_domain", False,
                 "apply the lonely-cluster rule inside domains (R survey.adjust.domain.lonely)",
                 "--lonely-domain", LONELY_DOMAIN, cli={"action": "store_const", "const": True}),
    Option("scheduler", None,
                 "address of a Dask scheduler (e.g. tcp://10.0.0.5:8786): the Dask engine counts the "
                 "file on that cluster (default: the current Dask scheduler, or a running Client)",
                 "--scheduler", cli={"metavar": "ADDRESS"}),
)}

#: The options that say how a file is counted (the rest say what the design is).
COUNTING_OPTIONS = ("engine", "rating", "scale", "labels", "duplicates", "scheduler")


def normalized(keyword: str, value):
    """A design option's value in one form, for comparing two of them: column lists as
    tuples (``"item_id"`` -> ``("item_id",)``, ``"none"`` or ``[]`` -> ``()``), ``False``
    weights as None."""
    if keyword in ("cluster", "groups"):
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        value = tuple(str(v) for v in value)
        return () if value == ("none",) else value  # "none" (CLI --cluster none): no clusters
    if keyword == "weight":
        return None if value is False else value
    return value
