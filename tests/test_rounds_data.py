"""The committed SYNTHETIC two-round data are exactly what the generator produces, and load whole."""

import numpy as np
import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis.bundled.rounds import (
    ROUNDS_ASSUMPTIONS_FILE_NAME,
    ROUNDS_SEED,
    RoundsAssumptions,
    synthetic_rounds_truth,
    write_synthetic_rounds,
)


def test_committed_files_are_byte_identical_to_generator(tmp_path):
    written = write_synthetic_rounds(tmp_path)
    committed = sa.synthetic_rounds_path()
    assert written.name == committed.name == "rounds_synthetic.csv"
    assert written.read_bytes() == committed.read_bytes()
    sheet = committed.parent / ROUNDS_ASSUMPTIONS_FILE_NAME
    assert (tmp_path / ROUNDS_ASSUMPTIONS_FILE_NAME).read_bytes() == sheet.read_bytes()


def test_committed_file_loads_with_every_row_kept():
    path = sa.synthetic_rounds_path()
    raw = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    assert list(raw.columns) == ["respondent_id", "item_id", "round", "rating"]
    responses = sa.load_responses(path, keep_columns=["round"])
    report = responses.attrs["load_report"]
    assert report.rows_read == report.rows_kept == len(raw) == len(responses)
    assert report.excluded_by_reason().sum() == 0
    assert set(responses["scale"]) == {"cn3"}
    assert sorted(responses["round"].unique()) == ["2026Q2", "2026Q3"]
    # The same items in both rounds; different respondents everywhere.
    items = responses.groupby("round")["item_id"].apply(frozenset)
    assert items.iloc[0] == items.iloc[1] and len(items.iloc[0]) == 60
    assert raw["respondent_id"].is_unique


def test_generator_returns_the_loaded_file():
    from_file = sa.load_responses(sa.synthetic_rounds_path(), keep_columns=["round"])
    generated = sa.generate_synthetic_rounds()
    columns = ["item_id", "respondent_id", "rating", "scale", "rank", "round"]
    pd.testing.assert_frame_equal(generated[columns].reset_index(drop=True),
                                  from_file[columns].reset_index(drop=True))


def test_datasheet_states_the_assumptions():
    text = (sa.synthetic_rounds_path().parent / ROUNDS_ASSUMPTIONS_FILE_NAME).read_text(encoding="utf-8")
    a = RoundsAssumptions()
    assert "SYNTHETIC — not real respondents" in text
    assert str(ROUNDS_SEED) in text and a.seed == ROUNDS_SEED
    for item, shift in a.shifts.items():
        assert f"`{item}` | {shift:+.2f}" in text
    for value in (f"Normal(0, {a.item_sd:g})", f"logit({a.rate_mean:g})",
                  f"NegativeBinomial(mean {a.extra_respondents_mean:g}"):
        assert value in text, value


def test_nothing_of_the_bundled_case_in_the_generator():
    from pathlib import Path

    import survey_analysis.bundled.rounds as module

    texts = [Path(module.__file__).read_text(encoding="utf-8"),
             (sa.synthetic_rounds_path().parent / ROUNDS_ASSUMPTIONS_FILE_NAME).read_text(encoding="utf-8")]
    for word in ("152", "十余", "市西", "Binzhou", "滨州", "Shixi", "SX0", "95%"):
        assert not any(word in text for text in texts), word
    raw = pd.read_csv(sa.synthetic_rounds_path(), dtype=str, encoding="utf-8-sig")
    assert raw["item_id"].str.fullmatch(r"I\d\d").all()      # generic ids, no catalogue's


def test_truth_only_shifted_items_move_and_follow_the_model():
    truth = synthetic_rounds_truth()
    a = RoundsAssumptions()
    moved = truth.loc[truth["true_rate_earlier"] != truth["true_rate_later"], "item_id"]
    assert set(moved) == set(a.shifts)
    logit = np.log(truth["true_rate_later"] / (1 - truth["true_rate_later"])) \
        - np.log(truth["true_rate_earlier"] / (1 - truth["true_rate_earlier"]))
    assert np.allclose(logit, truth["item_id"].map(a.shifts).fillna(0.0))
    assert (truth[["n_earlier", "n_later"]] >= a.min_respondents).all().all()


def test_seed_changes_the_sample_and_bad_shifts_are_named():
    first = sa.generate_synthetic_rounds(seed=1, n_items=6, shifts={"I02": 1.0})
    again = sa.generate_synthetic_rounds(seed=1, n_items=6, shifts={"I02": 1.0})
    other = sa.generate_synthetic_rounds(seed=2, n_items=6, shifts={"I02": 1.0})
    pd.testing.assert_frame_equal(first, again)
    assert not first[["item_id", "rating"]].equals(other[["item_id", "rating"]])
    with pytest.raises(ValueError, match="I51"):
        sa.generate_synthetic_rounds(n_items=10)
    with pytest.raises(TypeError, match="unknown assumption"):
        sa.generate_synthetic_rounds(mean=0.9)


def test_compare_rounds_runs_on_the_bundled_rounds():
    result = sa.compare_rounds(sa.generate_synthetic_rounds())
    assert (result.earlier, result.later) == ("2026Q2", "2026Q3")
    assert len(result.items) == 60
    assert set(result.improved["item_id"]) | set(result.worsened["item_id"]) <= set(RoundsAssumptions().shifts)
