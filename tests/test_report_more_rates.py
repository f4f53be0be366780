"""The report of a sheet with another published rate, a banner column and comments (issue 24):
the same tables as sa.proportion, sa.crosstab and Survey.comments."""

import warnings

import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis.present.cli import main


@pytest.fixture(scope="module")
def sheet(tmp_path_factory):
    # 8 items x 30 answers, made up for the test: a channel, a closure status, a comment column.
    rows = []
    for i, item in enumerate("ABCDEFGH"):
        for j in range(30):
            unhappy = (j + i) % 7 == 0
            rows.append({"事项": item, "评价": "不满意" if unhappy else ("满意" if j % 3 else "基本满意"),
                         "渠道": ["窗口", "电话", "网上"][j % 3], "办结状态": "已办结" if (i + j) % 5 else "未办结",
                         "评价内容": f"等了很久，电话13812345678没人接 {i}-{j}" if unhappy else ""})
    path = tmp_path_factory.mktemp("office") / "回访.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_report_shows_the_other_rate_the_banner_and_the_comments(sheet, tmp_path):
    out = tmp_path / "zh"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert main(["report", str(sheet), "--proportion", "办结状态=已办结", "--crosstab", "渠道",
                     "--comments", "评价内容", "-o", str(out)]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "另一项比率：办结状态 = 已办结" in page and "按 渠道 的交叉表" in page
    assert "不满意的受访者写了什么" in page and "13812345678" not in page and "[phone]" in page
    # the banner's total column and its note are said in Chinese too
    assert "合计" in page and "Total" not in page and "基数低于 30 的格已标记" in page
    responses = sa.load_responses(sheet, keep_columns=["办结状态", "渠道"], comments=["评价内容"])
    expected = sa.proportion(responses, {"办结状态": "已办结"})
    written = pd.read_csv(out / "proportion.csv", encoding="utf-8-sig")
    assert written["rate"].iloc[0] == pytest.approx(expected["rate"].iloc[0], rel=1e-12)   # one answer
    banner = pd.read_csv(out / "crosstab.csv", encoding="utf-8-sig")
    assert set(banner["column"].astype(str)) >= {"窗口", "电话", "网上"}
    # the banner laid out for pasting: a header naming the columns with their letters
    import openpyxl
    banner_sheet = openpyxl.load_workbook(out / "banner.xlsx").active
    header = [c.value for c in next(banner_sheet.iter_rows(min_row=1, max_row=1))]
    assert any(str(v).startswith(("窗口 (", "电话 (", "网上 (")) for v in header if v), header
    comments = pd.read_csv(out / "comments.csv", encoding="utf-8-sig")
    assert len(comments) == min(30, int((pd.read_csv(sheet)["评价"] == "不满意").sum()))


def test_a_banner_of_items_that_are_clusters_says_why_nothing_is_tested(sheet, tmp_path):
    # Reason: per-item banner, items as clusters: no pair can be tested; the report must say
    # so and name the option and flag that tests them (answers as units).
    out = tmp_path / "clusters"
    assert main(["report", str(sheet), "--crosstab", "渠道", "--crosstab-min-base", "5", "-o", str(out)]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "每个值都是设计中的一个群" in page and "items_as=&#39;strata&#39;" in page
    out = tmp_path / "strata"
    assert main(["report", str(sheet), "--crosstab", "渠道", "--crosstab-min-base", "5", "--items-as", "strata",
                 "-o", str(out)]) == 0
    assert "每个值都是设计中的一个群" not in (out / "report.html").read_text(encoding="utf-8")


def test_among_dissatisfied_and_english_report(sheet, tmp_path):
    out = tmp_path / "en"
    assert main(["report", str(sheet), "--proportion", "办结状态=未办结", "--among", "dissatisfied",
                 "--lang", "en", "-o", str(out)]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "Another rate: 办结状态 = 未办结" in page and "(among dissatisfied answers)" in page
