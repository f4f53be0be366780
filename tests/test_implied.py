"""implied_designs: the chance that a survey gives published figures, checked by hand and by simulation."""

import numpy as np
import pytest

from survey_analysis.estimate.implied import implied_designs, simulate_designs


def test_items_at_100_without_spread_by_hand():
    # Every item truly 96%: an item of m respondents is at 100% with probability 0.96^m, so
    # 152 items give 152 * 0.96^m on average; the count is Binomial(152, 0.96^m).
    table = implied_designs(152, 0.95, (11, 19), respondents=[20, 56], spread=[0], mean=[0.96])
    expected = 152 * 0.96 ** np.array([20, 56])
    assert table["expected_at_100"].to_numpy() == pytest.approx(expected, rel=1e-12)
    from scipy import stats
    p_count = stats.binom.cdf(19, 152, 0.96**56) - stats.binom.cdf(10, 152, 0.96**56)
    assert table["p_items_at_100"].iloc[1] == pytest.approx(p_count, rel=1e-12)
    # "Ten-plus" needs roughly 50 or more respondents per item at 96% (0.96^m = 0.1 at m = 56).
    assert table["probability"].iloc[0] < 1e-10 and table["probability"].iloc[1] > 0.5


def test_columns_and_grid():
    table = implied_designs(152, 0.95, (11, 19))
    assert list(table.columns) == ["mean", "spread", "respondents_per_item", "expected_at_100",
                                   "p_items_at_100", "p_overall", "probability"]
    assert len(table) == 4 * 5 * 13
    assert (table["probability"] <= table[["p_items_at_100", "p_overall"]].min(axis=1) + 1e-12).all()
    assert table["probability"].between(0, 1).all()


@pytest.mark.parametrize(("respondents", "spread", "mean"), [
    (60, 0.0, 0.96), (50, 0.01, 0.952), (60, 0.02, 0.955), (40, 0.0, 0.953), (150, 0.04, 0.955)])
def test_matches_monte_carlo(respondents, spread, mean):
    computed = implied_designs(152, 0.95, (11, 19), respondents=[respondents], spread=[spread],
                               mean=[mean]).iloc[0]
    draws = 20_000
    simulated = simulate_designs(152, 0.95, (11, 19), respondents, spread, mean, draws=draws, seed=7)
    for key in ("p_items_at_100", "p_overall", "probability"):
        p = simulated[key]
        se = np.sqrt(max(p * (1 - p), 1e-4) / draws)
        assert abs(computed[key] - p) < 4 * se + 0.003, (key, computed[key], p)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"n_items": 0}, "n_items"),
    ({"overall_above": 95}, "overall_above"),
    ({"items_at_100": (19, 11)}, "items_at_100"),
    ({"spread": [0.5]}, "not possible"),
    ({"mean": [1.0]}, "strictly between"),
    ({"respondents": [0]}, "at least 1"),
])
def test_bad_input(kwargs, match):
    arguments = {"n_items": 152, "overall_above": 0.95, "items_at_100": (11, 19)}
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=match):
        implied_designs(**arguments)
