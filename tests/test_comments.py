"""Comments beside ratings (issue 24): the loader's ``comments=``, ``comments()`` and ``topics()``."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis import SurveyError, load_responses


def _long():
    return pd.DataFrame({
        "事项编号": ["A", "A", "A", "B", "B", "B"],
        "受访者": ["1", "2", "3", "1", "2", "3"],
        "满意度": ["满意", "不满意", "基本满意", "不满意", "满意", "不满意"],
        "评价内容": ["很好", "电话13812345678打不通", "", "排队太久", "不错", "态度差"],
    })


def test_long_sheet_keeps_named_comment_column():
    tidy = load_responses(_long(), comments=["评价内容"])
    assert tidy["评价内容"].tolist() == ["很好", "电话13812345678打不通", "", "排队太久", "不错", "态度差"]
    assert tidy.attrs["comment_columns"] == ["评价内容"]
    roles = tidy.attrs["load_report"].column_table().set_index("column")
    assert roles.loc["评价内容", "role"] == "comment"
    assert not any(n.message.code == "load.comments.found" for n in tidy.attrs["load_report"].notes)


def test_comment_column_found_is_listed_not_kept():
    tidy = load_responses(_long())
    assert "评价内容" not in tidy.columns
    report = tidy.attrs["load_report"]
    roles = report.column_table().set_index("column")
    assert roles.loc["评价内容", "role"] == "ignored"
    assert roles.loc["评价内容", "why"] == "a free-text comment column"
    found = [n for n in report.notes if n.message.code == "load.comments.found"]
    assert len(found) == 1 and "comments=['评价内容']" in found[0] and "personal data" in found[0]
    assert "--comments 评价内容" in found[0].render(flags=sa.load.options.flag_for)


def test_wide_sheet_comment_never_an_item():
    # Every comment is a rating label: by its content it would be an item column.
    wide = pd.DataFrame({"受访者": ["1", "2", "3"], "窗口服务": ["满意", "不满意", "满意"],
                         "办事效率": ["基本满意", "满意", "不满意"], "意见建议": ["满意", "不满意", "满意"]})
    tidy = load_responses(wide)
    report = tidy.attrs["load_report"]
    assert report.item_columns == ("窗口服务", "办事效率")
    assert set(tidy["item_id"]) == {"窗口服务", "办事效率"}
    assert report.column_table().set_index("column").loc["意见建议", "why"] == "a free-text comment column"
    kept = load_responses(wide, comments="意见建议")
    assert kept.attrs["load_report"].item_columns == ("窗口服务", "办事效率")
    # Repeated for each answer of the row, as keep_columns.
    assert kept.groupby("respondent_id")["意见建议"].nunique().max() == 1
    assert kept.loc[kept["respondent_id"] == "2", "意见建议"].tolist() == ["不满意", "不满意"]


def test_english_headers_detected():
    sheet = pd.DataFrame({"item": ["A", "B"], "respondent": ["1", "2"], "rating": ["satisfied", "dissatisfied"],
                          "What could we do better?": ["", "call back"], "FFT answer": ["ok", "slow"]})
    report = load_responses(sheet).attrs["load_report"]
    why = report.column_table().set_index("column")["why"]
    assert why["What could we do better?"] == why["FFT answer"] == "a free-text comment column"


def test_comments_missing_column_is_an_error():
    with pytest.raises(SurveyError, match="comments: column '留言' not found"):
        load_responses(_long(), comments=["留言"])


def test_comments_order_among_limit_total_and_masking():
    survey = sa.Survey(load_responses(_long(), comments=["评价内容"]))
    out = survey.comments()
    assert list(out.columns) == ["item_id", "respondent_id", "rating", "comment", "source_line"]
    assert out["rating"].tolist() == ["不满意"] * 3 and out.attrs["total"] == 3
    assert out["source_line"].tolist() == [2, 4, 6]  # worst first, then by row (1-based)
    assert out["comment"].tolist()[0] == "电话[phone]打不通" and out.attrs["masked"]
    raw = survey.comments(mask=False)
    assert raw["comment"].tolist()[0] == "电话13812345678打不通" and not raw.attrs["masked"]
    everyone = survey.comments(among="all", limit=2)
    assert len(everyone) == 2 and everyone.attrs["total"] == 5  # the empty comment is left out
    assert everyone["rating"].tolist() == ["不满意", "不满意"]
    everything = survey.comments(among="all", limit=None)
    assert everything["rating"].tolist() == ["不满意"] * 3 + ["满意"] * 2
    assert survey.comments(among="satisfied")["comment"].tolist() == ["很好", "不错"]
    assert survey.comments(among={"item_id": "B"}, by="item_id").attrs["total"] == 3
    with pytest.raises(SurveyError, match="among="):
        survey.comments(among="angry")


def test_comments_plain_function_and_no_column():
    tidy = load_responses(_long(), comments=["评价内容"])
    assert sa.comments(tidy, limit=1)["comment"].tolist() == ["电话[phone]打不通"]
    with pytest.raises(SurveyError, match="no comment column"):
        sa.comments(load_responses(_long()))


def test_comments_mask_respondent_names():
    sheet = pd.DataFrame({"事项编号": ["A", "A"], "姓名": ["王小明", "李华"], "满意度": ["不满意", "满意"],
                          "意见": ["王小明反映排队久", "好"]})
    tidy = load_responses(sheet, comments=["意见"], keep_columns=["姓名"], columns={"respondent_id": None})
    assert sa.comments(tidy)["comment"].tolist() == ["[name]反映排队久"]


def test_topics_against_hand_counts():
    r = pd.DataFrame({"item_id": list("AABBCCDD"), "scale": "cn3", "rank": [1, 3, 1, 3, 1, 3, 2, 3],
                      "rating": ["满意", "不满意", "满意", "不满意", "满意", "不满意", "基本满意", "不满意"],
                      "排队": ["", "1", "", "1", "1", "", "", "1"], "态度": ["1", "0", "1", "", "", "", "1", "1"]})
    out = sa.topics(r, ["排队", "态度"])
    assert list(out.columns) == list(sa.estimate.comments.TOPIC_COLUMNS)
    assert out["topic"].tolist() == ["排队", "态度"]
    # satisfied rows 0, 2, 4, 6; dissatisfied 1, 3, 5, 7
    np.testing.assert_allclose(out["share_satisfied"], [1 / 4, 3 / 4])
    np.testing.assert_allclose(out["share_dissatisfied"], [3 / 4, 1 / 4])
    np.testing.assert_allclose(out["difference"], [0.5, -0.5])
    assert out["n_satisfied"].tolist() == [4, 4] and out["n_dissatisfied"].tolist() == [4, 4]
    # Each topic alone: the same as a yes/no design's domain rates and difference.
    alone = r.assign(scale="yes_no", rank=np.where(r["排队"] == "1", 1, 2),
                     group=np.where(r["rank"] <= 2, "s", "d"))
    rates = sa.domain_rates(alone, "group").set_index("group")
    diff = sa.domain_differences(alone, "group", pairs=[("d", "s")])
    assert out.loc[0, "ci_low_satisfied"] == pytest.approx(rates.loc["s", "ci_low"])
    assert out.loc[0, "ci_high_dissatisfied"] == pytest.approx(rates.loc["d", "ci_high"])
    assert out.loc[0, "diff_ci_low"] == pytest.approx(diff.loc[0, "ci_low"])
    assert out.loc[0, "p_value"] == pytest.approx(diff.loc[0, "p_value"])


@pytest.fixture(scope="module")
def fft():
    path = sa.fft_comments_path()
    headers = pd.read_csv(path, nrows=0).columns.tolist()
    topics = headers[headers.index("Not assigned"):]
    columns = {"item_id": ["Trust", "Service type 1", "Service type 2", "FFT question"],
               "rating": "FFT categorical answer", "respondent_id": "Respondent ID"}
    tidy = load_responses(path, columns=columns, scale="fft", unknown_labels="exclude",
                          comments=["FFT answer"], keep_columns=topics)
    return path, columns, topics, tidy


def test_fft_comments_load(fft):
    path, columns, topics, tidy = fft
    assert "FFT answer" in tidy.columns and len(topics) == 50
    # Without the question in the item, a respondent's two comments are two answers of one
    # item: refused, saying the repeats carry the same answer.
    with pytest.raises(SurveyError, match="same answer"):
        load_responses(path, columns={**columns, "item_id": ["Trust", "Service type 1", "Service type 2"]},
                       scale="fft", unknown_labels="exclude", comments=["FFT answer"])
    report = tidy.attrs["load_report"]
    assert report.rows_read == 7908 and report.excluded_by_reason().to_dict() == {"dont_know": 24,
                                                                                   "unknown_label": 416}
    assert tidy.groupby("respondent_id").size().max() > 1


def test_fft_topics(fft):
    _, _, topics, tidy = fft
    survey = sa.Survey(tidy, cluster="respondent_id")
    out = survey.topics(columns=topics[:12])
    assert out.shape == (12, 13) and out["topic"].tolist() == topics[:12]
    shares = out[["share_satisfied", "share_dissatisfied"]].to_numpy()
    assert ((shares >= 0) & (shares <= 1)).all()
    assert (out["n_satisfied"] + out["n_dissatisfied"] == len(tidy)).all()
    # Respondents are the clusters: the satisfied share's interval is the one of a design
    # clustered by respondent, wider than one treating each comment as its own unit.
    staff = out.set_index("topic").loc["Staff manner & personal attributes"]
    alone = tidy.assign(scale="yes_no", rank=np.where(tidy["Staff manner & personal attributes"] == "1", 1, 2),
                        group=np.where(tidy["rank"] <= 2, "s", "d"))
    by_respondent = sa.domain_rates(alone, "group", cluster="respondent_id").set_index("group")
    assert staff["ci_low_satisfied"] == pytest.approx(by_respondent.loc["s", "ci_low"])
    assert staff["share_satisfied"] > staff["share_dissatisfied"]
    worst = survey.comments(limit=3)
    # Independently from the raw file: answers coded 3-5 (not Very good / Good, not don't know
    # or the undocumented 7) with a written comment that is not a placeholder of the export.
    from survey_analysis.scales.text import NO_COMMENT
    raw = pd.read_csv(sa.fft_comments_path())
    text = raw["FFT answer"].astype("string").str.strip()
    written = text.fillna("").ne("")
    placeholder = text.str.casefold().isin(NO_COMMENT).fillna(False)
    unhappy = raw["FFT categorical answer"].isin([3, 4, 5])
    assert worst["rating"].tolist() == ["Very poor"] * 3
    assert worst.attrs["total"] == int((unhappy & written & ~placeholder).sum())
    assert worst.attrs["placeholders"] == int((unhappy & written & placeholder).sum()) > 0


def test_cli_validate_comments(tmp_path):
    path = tmp_path / "answers.csv"
    _long().to_csv(path, index=False)
    run = subprocess.run([sys.executable, "-m", "survey_analysis.present.cli", "validate", str(path),
                          "--comments", "评价内容"], capture_output=True, text=True, encoding="utf-8")
    assert run.returncode == 0, run.stderr
    plain = subprocess.run([sys.executable, "-m", "survey_analysis.present.cli", "validate", str(path)],
                           capture_output=True, text=True, encoding="utf-8")
    assert plain.returncode == 0 and "--comments" in plain.stdout + plain.stderr


def test_placeholders_that_say_nothing_was_written_are_not_comments():
    import survey_analysis as sa
    r = pd.DataFrame({"item_id": list("AAAA"), "rating": ["不满意"] * 4,
                      "评价内容": ["Did not answer", "无", "  ", "排队太久"]})
    tidy = sa.load_responses(r, comments=["评价内容"])
    listed = sa.comments(tidy, among="all", mask=False)
    assert listed["comment"].tolist() == ["排队太久"]
    assert listed.attrs["total"] == 1 and listed.attrs["placeholders"] == 2   # "Did not answer" and 无


def test_the_load_report_names_the_columns_kept_as_text():
    import survey_analysis as sa
    r = pd.DataFrame({"item_id": list("AB"), "rating": ["满意", "不满意"], "评价内容": ["好", "慢"],
                      "渠道": ["窗口", "电话"]})
    report = sa.load_responses(r, comments=["评价内容"], keep_columns=["渠道"]).attrs["load_report"]
    assert "columns kept as text: 评价内容 (comments=), 渠道 (keep_columns=)" in str(report)
    assert "作为文本保留的列：评价内容（comments=）；渠道（keep_columns=）" in report.render(lang="zh")
