"""Strata with a single cluster ("lonely PSU"): every rule against R survey 4.1.1.

R 4.2.2, survey 4.1.1 -- tests/R/reference_lonely.R, output tests/R/reference_lonely.out:
    des <- svydesign(ids = ~cluster, strata = ~stratum, data = d)
    options(survey.lonely.psu = <rule>)
    svymean(~y, des); svyciprop(~y, des, method = <method>, level = 0.95)
on 7 clusters (k of n satisfied: 18/20, 25/25, 9/12, 40/42, 7/9, 28/31, 14/15) in strata
s1 (c1-c3), s2 (c4 alone), s3 (c5, c6), s4 (c7 alone).
"""

import numpy as np
import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis.present.cli import main

K = [18, 25, 9, 40, 7, 28, 14]
N = [20, 25, 12, 42, 9, 31, 15]
STRATA = ["s1", "s1", "s1", "s2", "s3", "s3", "s4"]

# (rule, SE of svymean, logit CI, beta CI) from tests/R/reference_lonely.out
R_VALUES = {
    "remove": (0.0238282802084705, (0.802606683333843, 0.966591142957875),
               (0.805434924060533, 0.97446676652526)),
    "certainty": (0.0238282802084705, (0.802606683333843, 0.966591142957875),
                  (0.805434924060533, 0.97446676652526)),
    "adjust": (0.0259130332455253, (0.788653073158463, 0.969254856266825),
               (0.792444790203811, 0.977848332360666)),
    "average": (0.0336982770388453, (0.730323275942659, 0.977497244604327),
                (0.739673546931367, 0.987881558282428)),
}
R_ESTIMATE = 0.915584415584416   # svymean coef = 141 / 154


def _responses() -> pd.DataFrame:
    rows = []
    for i, (k, n, stratum) in enumerate(zip(K, N, STRATA), start=1):
        rows += [(f"c{i}", stratum, "满意" if j < k else "不满意") for j in range(n)]
    sheet = pd.DataFrame(rows, columns=["事项", "层", "评价"])
    sheet.insert(0, "受访者", range(len(sheet)))
    return sa.load_responses(sheet, keep_columns=["层"])


@pytest.fixture(scope="module")
def responses():
    return _responses()


@pytest.mark.parametrize("rule", list(R_VALUES))
@pytest.mark.parametrize("method", ["logit", "beta"])
def test_every_rule_matches_r(responses, rule, method):
    se, logit, beta = R_VALUES[rule]
    pooled = sa.Survey(responses, strata="层", lonely_cluster=rule).overall(method=method).pooled
    assert pooled.estimate == pytest.approx(R_ESTIMATE, abs=1e-12)
    assert pooled.df == 3        # R degf(des): 7 clusters - 4 strata, whatever the rule
    low, high = logit if method == "logit" else beta
    assert (pooled.ci_low, pooled.ci_high) == pytest.approx((low, high), abs=1e-8)
    # The variance behind it: design effect x the SRS variance p(1-p)/(n-1) = R's SE^2.
    variance = pooled.design_effect * R_ESTIMATE * (1 - R_ESTIMATE) / (sum(N) - 1)
    assert np.sqrt(variance) == pytest.approx(se, rel=1e-10)
    assert f"2 of 4 strata have one cluster: lonely_cluster='{rule}'" in pooled.note


def test_default_fails_naming_the_strata_and_the_choices(responses):
    # R: options(survey.lonely.psu = "fail"); svymean(~y, des) -> "Stratum (s2) has only one
    # PSU at stage 1". The package names both lonely strata and every way forward.
    survey = sa.Survey(responses, strata="层")
    with pytest.raises(ValueError) as error:
        survey.overall()
    message = str(error.value)
    assert "only one cluster: 's2', 's4' (2 of 4 strata)" in message
    # The library names the keyword; the command line adds its flag (test_cli_flag below).
    for choice in ("lonely_cluster='remove'", "'certainty'", "'adjust'", "'average'"):
        assert choice in message
    assert "CLI" not in message
    with pytest.raises(ValueError, match="only one cluster"):
        sa.overall_rate(responses, strata="层").to_frame()
    table = sa.overall_rate(responses, strata="层", lonely_cluster="adjust").to_frame()
    assert table.loc[0, "ci_low"] == pytest.approx(R_VALUES["adjust"][1][0], abs=1e-8)


def test_rule_changes_without_recounting(responses):
    survey = sa.Survey(responses, strata="层")
    adjusted = survey.with_options(lonely_cluster="average")
    assert adjusted.sufficient is survey.sufficient          # the same counts: no recount
    assert adjusted.lonely_cluster == "average" and survey.lonely_cluster == "fail"
    assert adjusted.overall().pooled.ci_low == pytest.approx(R_VALUES["average"][1][0], abs=1e-8)


def test_unknown_rule_and_no_strata():
    responses = _responses()
    with pytest.raises(ValueError, match=r"unknown lonely_cluster 'drop'; allowed: 'fail', 'remove'"):
        sa.Survey(responses, strata="层", lonely_cluster="drop")
    # Without strata there is nothing lonely: the default works and the note says nothing.
    pooled = sa.Survey(responses).overall().pooled
    assert "lonely" not in pooled.note and pooled.df == 6


def test_definition_sensitivity_and_counts_tables_use_the_rule(responses):
    table = sa.Survey(responses, strata="层", lonely_cluster="remove").sensitivity()
    row = table.loc[(table["definition"] == "top_two_box") & (table["estimand"] == "pooled")].iloc[0]
    assert row["ci_low"] == pytest.approx(R_VALUES["remove"][1][0], abs=1e-8)
    counts = pd.DataFrame({"item_id": [f"c{i}" for i in range(1, 8)], "n": N, "satisfied": K,
                           "层": STRATA})
    with pytest.raises(ValueError, match="only one cluster"):
        sa.Survey.from_counts(counts, strata="层").overall()
    pooled = sa.Survey.from_counts(counts, strata="层", lonely_cluster="adjust").overall().pooled
    assert pooled.ci_low == pytest.approx(R_VALUES["adjust"][1][0], abs=1e-8)


def test_cli_flag(tmp_path, capsys):
    sheet = tmp_path / "strata.csv"
    rows = ["受访者,事项,层,评价"]
    count = 0
    for i, (k, n, stratum) in enumerate(zip(K, N, STRATA), start=1):
        for j in range(n):
            count += 1
            rows.append(f"{count},c{i},{stratum},{'满意' if j < k else '不满意'}")
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["reproduce", "--data", str(sheet), "--strata", "层", "--lonely-cluster", "adjust",
                 "-o", str(out)]) == 0
    assert "91.6%" in capsys.readouterr().out      # 141 / 154
    code = main(["reproduce", "--data", str(sheet), "--strata", "层", "-o", str(out)])
    printed = capsys.readouterr()
    assert code != 0 and "--lonely-cluster" in printed.out + printed.err
