"""The committed SYNTHETIC data are exactly what the generator produces."""

import pandas as pd

import survey_analysis as sa
from survey_analysis.bundled.synthetic import SyntheticAssumptions, write_synthetic_dataset


def test_committed_file_is_byte_identical_to_generator(tmp_path):
    write_synthetic_dataset(tmp_path)
    committed = sa.synthetic_responses_path()
    assert (tmp_path / "responses_synthetic.csv").read_bytes() == committed.read_bytes()
    assert (tmp_path / "ASSUMPTIONS.md").read_bytes() == (committed.parent / "ASSUMPTIONS.md").read_bytes()


def test_labelled_synthetic_and_follows_catalogue():
    path = sa.synthetic_responses_path()
    assert "synthetic" in path.name
    raw = pd.read_csv(path, dtype=str)
    assert list(raw.columns) == ["respondent_id", "item_id", "rating"]
    assert set(raw["item_id"]) == set(sa.load_items()["item_id"])
    assert set(raw["rating"]) <= {"满意", "基本满意", "不满意", "不了解"}
    assert raw["respondent_id"].is_unique
    assumptions = (path.parent / "ASSUMPTIONS.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in assumptions and str(SyntheticAssumptions().seed) in assumptions


def test_generator_depends_on_seed_only():
    first = sa.generate_synthetic_responses(["a", "b", "c"])
    again = sa.generate_synthetic_responses(["a", "b", "c"])
    other = sa.generate_synthetic_responses(["a", "b", "c"], SyntheticAssumptions(seed=1))
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)


def test_respondents_per_item_respect_minimum():
    a = SyntheticAssumptions(min_respondents=12)
    counts = sa.generate_synthetic_responses([f"i{j}" for j in range(50)], a)["item_id"].value_counts()
    assert counts.min() >= 12


def test_parameters_are_the_middle_of_the_plausible_region():
    """ASSUMPTIONS.md: mean and spread = medians over the region where both published figures
    arise with probability >= 0.5; respondents per item = the median at that mean and spread.
    The model's respondents per item are min_respondents + NegBin mean, i.e. that median."""
    from survey_analysis.bundled.synthetic import plausible_region

    region = plausible_region()
    assert (region["probability"] >= 0.5).all() and len(region) > 0
    a = SyntheticAssumptions()
    mean = region["mean"].median()
    spread = region.loc[region["mean"] == mean, "spread"].median()
    assert (a.rate_mean, a.rate_spread) == (mean, spread)
    at = region.loc[(region["mean"] == mean) & (region["spread"] == spread), "respondents_per_item"]
    # The model's expected respondents per item, minus the expected "don't know" share.
    expected_valid = (a.min_respondents + a.extra_respondents_mean) * (1 - a.dont_know_share)
    assert at.min() <= expected_valid <= at.max()
    assert abs(expected_valid - at.median()) <= 10  # within one grid step of the median


def test_published_figures_typical_not_guaranteed():
    """Under the model the article's figures come out often but not always (2000 simulated
    surveys; the shares are this model's, see ASSUMPTIONS.md)."""
    from survey_analysis.bundled.synthetic import simulate_published_figures

    items = sa.load_items()
    named = tuple(items.loc[items["provenance"] == "named_at_100", "item_id"])
    shares = simulate_published_figures(items["item_id"], named, surveys=2000)
    assert shares["overall"] > 0.95                  # "over 95%" nearly always
    assert 0.5 < shares["items_at_100"] < 0.95       # ten-plus at 100%: typical, not certain
    assert 0.2 < shares["all"] < 0.95                # all published figures together
    assert shares["all"] <= min(shares["overall"], shares["items_at_100"], shares["named_at_100"])


def test_committed_sample_is_a_draw_that_shows_the_figures():
    """The committed sample was accepted by rejection sampling: it shows the figures and the
    seed it came from is stated in ASSUMPTIONS.md."""
    from survey_analysis.bundled.synthetic import shows_published_figures

    items = sa.load_items()
    named = tuple(items.loc[items["provenance"] == "named_at_100", "item_id"])
    raw = pd.read_csv(sa.synthetic_responses_path(), dtype=str)
    assert shows_published_figures(raw, named)
    assert not shows_published_figures(raw, named, items_at_100=(0, 5))
    text = (sa.synthetic_responses_path().parent / "ASSUMPTIONS.md").read_text(encoding="utf-8")
    assert "Accepted: seed" in text


def test_conditioned_draw_fails_loudly_when_the_model_cannot_produce_the_figures():
    """A model with 5 respondents per item puts most items at 100%: no draw is accepted."""
    import pytest

    from survey_analysis.bundled.synthetic import conditioned_draw

    tiny = SyntheticAssumptions(min_respondents=5, extra_respondents_mean=0.5)
    with pytest.raises(RuntimeError, match="does not produce them"):
        conditioned_draw([f"i{j}" for j in range(152)], assumptions=tiny, max_tries=3)
