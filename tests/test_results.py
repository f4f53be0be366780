"""One result protocol: every result shows itself briefly, as a table, and as HTML in a notebook.

Every result object has a ``repr`` of at most 400 characters (rates as percentages with
one decimal), ``_repr_html_`` (a small table) and ``.to_frame()``; estimates also have
``estimate``, ``se``, ``df``, ``ci_low``, ``ci_high`` and ``.confidence_interval(level)``.
"""

import re

import numpy as np
import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis.present.tables import format_headline


@pytest.fixture(scope="module")
def survey():
    return sa.Survey(sa.load_synthetic_responses())  # SYNTHETIC data


@pytest.fixture(scope="module")
def rounds():
    first = pd.DataFrame({"item_id": list("AAAABBBBCCCC"), "scale": "yes_no", "round": "Q1",
                          "rank": [1, 1, 2, 2, 1, 1, 1, 2, 1, 2, 1, 1]})
    return sa.compare_rounds(pd.concat([first, first.assign(round="Q2", rank=1)]))


def _results(survey, rounds):
    responses = sa.load_synthetic_responses().merge(sa.load_items()[["item_id", "category"]],
                                                    on="item_id")
    counts = survey.counts()
    calibrated = sa.Survey(responses, cluster="none").poststratify(
        "category", responses.groupby("category").size().astype(float) * 10)
    return {
        "Survey": survey, "OverallRate": survey.overall(), "RateEstimate": survey.overall().pooled,
        "GroupComparison": sa.compare_groups(responses, group="category"),
        "RaoScottTest": sa.rao_scott_test(responses, "category"), "RoundsComparison": rounds,
        "CountDistribution": survey.chance_of_100(),
        "BetaBinomialFit": sa.fit_beta_binomial(counts["satisfied"], counts["n"]),
        "Overdispersion": sa.estimate_overdispersion(counts["satisfied"], counts["n"]),
        "PooledRange": sa.pooled_rate_range(["96%", "97.5%"], [100, 200]),
        "Calibration": calibrated.calibration,
        "Analysis": sa.analyze(survey),
    }


def test_every_result_shows_itself(survey, rounds):
    for name, result in _results(survey, rounds).items():
        text = repr(result)
        assert text.startswith(f"<{name}") and len(text) <= 400, (name, text)
        # Rates are written as percentages with one decimal, never at full float precision.
        assert not re.search(r"0\.\d{6,}", text), (name, text)
        page = result._repr_html_()
        assert page.startswith("<table") and "</table>" in page, name
        assert isinstance(result.to_frame(), pd.DataFrame) and len(result.to_frame()), name


def test_the_analysis_in_a_notebook_writes_figures_as_the_headline_does(survey):
    # Counts as counts and the design effect as a ratio (it was shown as "184.9%"), as the
    # printed headline and the HTML report write them.
    analysis = sa.analyze(survey)
    page = analysis._repr_html_()
    deff = analysis.headline.set_index("measure").loc["design_effect", "estimate"]
    assert f"<td>design effect</td><td>{deff:.2f}</td>" in page
    assert f"<td>valid responses</td><td>{survey.n_responses:,}</td>" in page
    assert f"design effect: {deff:.2f}\n" in format_headline(analysis, "en")
    # Every answer satisfied: the design effect is not a number, shown as "-" (it raised).
    every = pd.DataFrame({"item_id": list("AABB"), "respondent_id": list("1234"), "rating": "满意"})
    # Two items are two clusters: the label says how few.
    assert "<td>design effect (only 2 clusters: very uncertain)</td><td>-</td>" in sa.analyze(every)._repr_html_()


@pytest.mark.parametrize("name", ["OverallRate", "RateEstimate", "RoundsComparison", "Analysis"])
def test_estimates_have_the_fields_and_another_level(survey, rounds, name):
    result = _results(survey, rounds)[name]
    for field in ("estimate", "se", "df", "ci_low", "ci_high"):
        assert np.isfinite(getattr(result, field)), (name, field)
    assert result.ci_low <= result.estimate <= result.ci_high
    low, high = result.confidence_interval(0.80)
    assert result.ci_low <= low <= high <= result.ci_high          # narrower at a lower level
    wide = result.confidence_interval(0.99)
    assert wide.low <= result.ci_low and wide.high >= result.ci_high
    assert result.confidence_interval(0.95) == pytest.approx((result.ci_low, result.ci_high),
                                                              rel=1e-12)
    with pytest.raises(ValueError, match="strictly between"):
        result.confidence_interval(95)


def test_every_public_class_documents_itself():
    # numpydoc: what it holds (Parameters for what a user builds, Attributes for results)
    # and an example that runs (doctests run in the suite).
    import inspect

    for name in sa.__all__:
        obj = getattr(sa, name)
        if inspect.isclass(obj):
            doc = inspect.getdoc(obj) or ""
            assert "Examples" in doc, name
            assert "Parameters" in doc or "Attributes" in doc, name


def test_a_survey_cannot_be_changed_from_outside():
    # Issue 19: `s.cluster = "respondent_id"` succeeded and broke the next estimate.
    responses = pd.DataFrame({"item_id": list("AAB"), "respondent_id": list("xyz"),
                              "scale": "cn3", "rank": [1, 3, 2]})
    survey = sa.Survey(responses)
    before = survey.item_rates()["satisfied"].tolist()
    with pytest.raises(AttributeError, match="cannot be changed"):
        survey.cluster = "respondent_id"
    with pytest.raises(AttributeError, match="cannot be changed"):
        del survey.weight
    with pytest.raises(TypeError):
        survey.scales["cn3"] = None
    # What it hands out are views: changing them leaves the survey as it was.
    handed_out, table = survey.responses, survey.counts_table
    handed_out.loc[0, "rank"] = 3
    table["n"] = 0
    responses.loc[0, "rank"] = 3          # nor does changing the caller's frame afterwards
    assert survey.item_rates()["satisfied"].tolist() == before == [1, 1]
    assert survey.with_options(groups=["respondent_id"]).item_rates()["satisfied"].tolist() == [1, 1]
    assert survey.with_options(cluster="respondent_id").cluster == ("respondent_id",)
