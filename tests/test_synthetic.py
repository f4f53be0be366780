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
