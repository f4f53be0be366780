"""`survey-analysis track` and `Survey.track`: the same table as `sa.track` (issue 23)."""

import warnings

import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis.present.cli import main


@pytest.fixture(scope="module")
def monthly(tmp_path_factory):
    # SYNTHETIC: the package's generator, a known shift from month 16 (see its docstring)
    path = tmp_path_factory.mktemp("monthly") / "monthly_SYNTHETIC.csv"
    sa.generate_synthetic_monthly().drop(columns=["scale", "rank", "source_line"], errors="ignore") \
        .to_csv(path, index=False)
    return path


def test_survey_track_is_sa_track(monthly):
    responses = sa.load_responses(monthly, keep_columns=["month"])
    direct = sa.track(responses, "month", baseline=15)
    method = sa.Survey(responses, groups=["month"]).track("month", baseline=15)
    pd.testing.assert_frame_equal(direct.drop(columns="rule"), method.drop(columns="rule"))
    assert direct["rule"].map(str).tolist() == method["rule"].map(str).tolist()


def test_the_command_writes_the_same_table(monthly, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["track", str(monthly), "--period", "month", "--baseline", "15", "-o", str(out)]) == 0
    assert {p.name for p in out.iterdir()} >= {"track.csv", "track.xlsx", "track.png"}
    written = pd.read_csv(out / "track.csv", encoding="utf-8-sig")
    expected = sa.track(sa.load_responses(monthly, keep_columns=["month"]), "month", baseline=15)
    assert written["period"].astype(str).tolist() == expected["period"].astype(str).tolist()
    assert written["rate"].tolist() == pytest.approx(expected["rate"].tolist(), rel=1e-12)
    assert written["signal"].tolist() == expected["signal"].tolist()
    assert "wrote:" in capsys.readouterr().out


def test_the_command_draws_one_panel_per_group_without_warnings(monthly, tmp_path):
    out = tmp_path / "by"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert main(["track", str(monthly), "--period", "month", "--by", "item_id", "--chart", "p",
                     "--lang", "en", "-o", str(out)]) == 0
    table = pd.read_csv(out / "track.csv", encoding="utf-8-sig")
    assert table.columns[0] == "item_id" and table["item_id"].nunique() > 1


def test_ambiguous_dates_name_the_flag_that_picks_a_reading(tmp_path, capsys):
    path = tmp_path / "dates.csv"
    path.write_text("item_id,rating,date\nA,满意,01/02/2024\nA,不满意,03/04/2024\nB,满意,05/06/2024\n",
                    encoding="utf-8")
    # exit 2, as every bad option or data the command line reports in one line
    assert main(["track", str(path), "--period", "date", "--freq", "M", "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "(CLI --date-format %d/%m/%Y)" in err and "(line 2)" in err
    assert main(["track", str(path), "--period", "date", "--freq", "M", "--date-format", "%d/%m/%Y",
                 "-o", str(tmp_path / "o")]) == 0


def test_suppressed_periods_keep_n_and_lose_their_rate_and_signal(monthly, tmp_path):
    responses = sa.load_responses(monthly, keep_columns=["month"])
    plain = sa.track(responses, "month", by="item_id", baseline=15)
    # a rule above some unit-months' n: those rows keep n, lose rate, interval and signal
    minimum = int(plain["n"].median()) + 1
    hidden = sa.track(responses, "month", by="item_id", baseline=15, suppress=minimum)
    low = hidden["n"] < minimum
    assert low.any() and (~low).any()
    assert hidden.loc[low, "rate"].isna().all() and hidden.loc[low, "ci_low"].isna().all()
    assert not hidden.loc[low, "signal"].any() and hidden["suppressed"].tolist() == low.tolist()
    # what is published is unchanged, and so are the limits (the rule is about publishing)
    kept = ~low.to_numpy()
    assert hidden.loc[kept, "rate"].tolist() == pytest.approx(plain.loc[kept, "rate"].tolist())
    assert hidden["ucl"].tolist() == pytest.approx(plain["ucl"].tolist())
    out = tmp_path / "s"
    assert main(["track", str(monthly), "--period", "month", "--by", "item_id", "--baseline", "15",
                 "--suppress", str(minimum), "-o", str(out)]) == 0
    written = pd.read_csv(out / "track.csv", encoding="utf-8-sig")
    assert written["suppressed"].tolist() == low.tolist()
    with pytest.raises(ValueError, match="suppress"):
        sa.track(responses, "month", suppress=0)


def test_the_report_of_data_with_a_period_has_the_chart_and_the_signals(monthly, tmp_path):
    import re
    for lang, title in (("zh", "各时期的满意率（month）"), ("en", "The rate of each period (month)")):
        out = tmp_path / lang
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert main(["report", str(monthly), "--period", "month", "--lang", lang, "-o", str(out)]) == 0
        page = (out / "report.html").read_text(encoding="utf-8")
        assert title in page and 'alt="control_chart"' in page
        written = pd.read_csv(out / "tracking.csv", encoding="utf-8-sig")
        # one question, one answer: the report's table is sa.track's
        expected = sa.track(sa.load_responses(monthly, keep_columns=["month"]), "month")
        assert written["rate"].tolist() == pytest.approx(expected["rate"].tolist(), rel=1e-12)
        signalled = expected.loc[expected["signal"], "period"].tolist()
        assert signalled and all(re.search(rf"{p}[:：]", page) for p in signalled)


def test_track_keeps_the_columns_its_design_names(tmp_path):
    # --strata and --fpc name sheet columns the loader must keep (it keeps only what it is told)
    frame = sa.generate_synthetic_monthly().drop(columns=["scale", "rank", "source_line"])
    frame = frame.assign(区 = frame["item_id"].str[-1].map(lambda c: "东" if c in "02468" else "西"),
                         总数=10_000)
    path = tmp_path / "monthly_SYNTHETIC.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "o"
    assert main(["track", str(path), "--period", "month", "--strata", "区", "--fpc", "总数",
                 "-o", str(out)]) == 0
    written = pd.read_csv(out / "track.csv", encoding="utf-8-sig")
    responses = sa.load_responses(path, keep_columns=["month", "区", "总数"])
    expected = sa.track(sa.Survey(responses, strata="区", fpc="总数", groups=["month"]), "month")
    assert written["ci_low"].tolist() == pytest.approx(expected["ci_low"].tolist(), rel=1e-12)
