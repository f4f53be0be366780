"""A report names its input without a machine path, states the definition of "satisfied" in
every table, and is written in one language all the way down (issue 22)."""

import html
import re

import pandas as pd
import pytest

from survey_analysis.present.html_report import write_report

COUNTS = {"item": "事项", "n": "样本", "satisfied": "满意数"}


@pytest.fixture(scope="module")
def counts_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("where_the_data_lives")
    path = folder / "满意度统计.csv"
    pd.DataFrame({"事项": ["办证", "咨询", "投诉", "社保"], "样本": [40, 30, 25, 52],
                  "满意数": [38, 30, 20, 50]}).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def reports(counts_file, tmp_path_factory):
    out = {}
    for lang in ("zh", "en"):
        folder = tmp_path_factory.mktemp(f"report_{lang}")
        write_report(str(counts_file), folder, lang=lang, force=True, counts=COUNTS)  # absolute path
        out[lang] = folder
    return out


def test_no_absolute_path_in_any_file_of_the_report(counts_file, reports):
    folder = str(counts_file.parent)
    for lang, out in reports.items():
        files = sorted(out.iterdir())
        assert {f.name for f in files} >= {"report.html", "overall.csv", "load_report.csv", "tables.xlsx"}
        for file in files:
            if file.suffix == ".xlsx":
                sheets = pd.read_excel(file, sheet_name=None, header=None, engine="calamine")
                text = "\n".join(sheet.astype(str).to_csv() for sheet in sheets.values())
            else:
                text = file.read_text(encoding="utf-8-sig")
            assert folder not in text and counts_file.parent.name not in text, (lang, file.name)
        assert "<code>满意度统计.csv</code>" in (out / "report.html").read_text(encoding="utf-8")


def test_every_table_states_the_definition_of_satisfied(reports):
    for name in ("overall", "load_report", "item_rates", "headline", "items_at_100", "funnel"):
        table = pd.read_csv(reports["en"] / f"{name}.csv")
        assert "satisfied_levels" in table.columns and table["satisfied_levels"].notna().all(), name
    book = pd.read_excel(reports["en"] / "tables.xlsx", sheet_name=["overall", "load_report"],
                         engine="calamine")
    assert all("satisfied_levels" in sheet.columns for sheet in book.values())


def visible_text(page: str) -> str:
    """The words a reader sees: no style, script, data URI or tag."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"data:[^\"']+", " ", page)
    return html.unescape(re.sub(r"<[^>]+>", "\n", page))


#: Identifiers that may stand in a Chinese report, each for a reason:
#: - column names of the package's tables (item_id, n, satisfied) and method codes are allowed
#:   only in brackets right after their Chinese explanation (removed by IDENTIFIER below);
#: - file names of the output folder the report points to (item_rates.csv, tables.xlsx);
#: - "Clopper-Pearson" in brackets after 精确二项 (two surnames: the method's name everywhere).
FILES = re.compile(r"\b[\w.-]+\.(csv|xlsx)\b")
IDENTIFIER = re.compile(r"（[A-Za-z][\w.-]*）")


def test_the_chinese_report_of_a_counts_table_has_no_english_word(reports, counts_file):
    text = visible_text((reports["zh"] / "report.html").read_text(encoding="utf-8"))
    text = FILES.sub(" ", IDENTIFIER.sub(" ", text))
    english = sorted(set(re.findall(r"[A-Za-z]{3,}", text)))
    assert english == [], english


def test_method_names_are_explained_in_the_report_language(reports):
    zh = visible_text((reports["zh"] / "report.html").read_text(encoding="utf-8"))
    assert "威尔逊得分（wilson）区间" in zh and "对数几率（logit）区间" in zh
    en = visible_text((reports["en"] / "report.html").read_text(encoding="utf-8"))
    assert "Wilson score (wilson) intervals" in en and "log-odds" in en
    users = ["满意度统计.csv", *COUNTS.values(), "办证", "咨询", "投诉", "社保"]  # the user's own words
    assert not re.search(r"[\u4e00-\u9fff]", re.sub("|".join(users), "", en))
    assert "n (n)" not in en and "columns read: items (item_id) = 事项, n = 样本" in en


def test_the_item_column_is_called_item_unless_names_stand_beside_it():
    import survey_analysis as sa
    from survey_analysis.present.html_report import render_html

    rates = sa.analyze(sa.load_synthetic_responses(), items=sa.load_items())
    page = render_html(rates, "zh", figures={})
    items = page.split("<h2>各事项满意率（从低到高）</h2>", 1)[1]
    assert items.startswith("\n<table><tr><th>事项编号</th><th>事项名称</th>")
    bare = render_html(sa.analyze(sa.load_synthetic_responses()), "zh", figures={})
    assert bare.split("<h2>各事项满意率（从低到高）</h2>", 1)[1].startswith("\n<table><tr><th>事项</th>")


# --- Tables and load reports for notebooks, in the reader's language -------------------------

def test_in_language_names_every_column_of_the_item_table_in_chinese():
    import survey_analysis as sa
    rates = pd.DataFrame({"item_id": ["A"], "n": [20], "satisfied": [19], "rate": [0.95], "ci_low": [0.75],
                          "ci_high": [0.99], "method": ["wilson"], "lower_99.8": [0.6], "extra": [1]})
    shown = sa.in_language(rates, "zh")
    assert list(shown.columns) == ["事项编号", "有效回答", "满意", "满意率", "下限", "上限", "方法",
                                   "下限（99.8%）", "extra"]   # a column the catalogue does not know keeps its name
    assert shown.iloc[0].tolist() == rates.iloc[0].tolist()   # values unchanged
    assert list(rates.columns)[0] == "item_id"                 # the original is not touched


def test_in_language_folds_a_translated_column_into_the_one_it_translates():
    import survey_analysis as sa
    checks = pd.DataFrame({"verdict": ["supported"], "verdict_zh": ["支持"], "measure": ["pooled"],
                           "measure_en": ["pooled rate"]})
    zh = sa.in_language(checks, "zh")
    assert list(zh.columns) == ["判定", "指标"] and zh.iloc[0].tolist() == ["支持", "pooled"]
    en = sa.in_language(checks, "en")
    assert list(en.columns) == ["verdict", "measure"] and en.iloc[0].tolist() == ["supported", "pooled rate"]


def test_in_language_refuses_an_unknown_language():
    import survey_analysis as sa
    with pytest.raises(ValueError, match="'fr'.*'en', 'zh'"):   # a SurveyError is a ValueError
        sa.in_language(pd.DataFrame({"rate": [0.5]}), "fr")


def test_the_load_report_in_chinese_has_no_english_word_outside_identifiers(tmp_path):
    import survey_analysis as sa
    path = tmp_path / "回访记录.csv"
    path.write_text("事项,评价人,评价\n办证,张**,满意\n办证,李**,不了解\n咨询,王**,基本满意\n咨询,赵**,不满意\n",
                    encoding="utf-8")
    report = sa.load_responses(str(path)).attrs["load_report"]
    text = report.render(lang="zh")
    assert str(tmp_path) not in text and "回访记录.csv" in text       # the file by its name
    assert "读入" in text and "保留" in text and "排除：不了解（dont_know）" in text
    # English words allowed: identifiers (scale and reason codes, options, file names).
    identifiers = {"csv", "utf", "cn3", "haochaping5", "dont_know", "SCALES", "sa", "item_id",
                   "respondent_id", "rating", "scale", "columns"}   # "columns=" is a keyword
    words = set(re.findall(r"[A-Za-z][A-Za-z_]+\d*", text)) - identifiers
    assert words == set(), words
    with pytest.raises(ValueError, match="'de'"):
        report.render(lang="de")


def test_in_language_says_funnel_flags_and_estimands_in_words():
    import survey_analysis as sa
    table = pd.DataFrame({"estimand": ["pooled", "mean_of_items", "something_else"],
                          "flag_95": ["within", "above", "below"]})
    zh = sa.in_language(table, "zh")
    assert zh["估计对象"].tolist() == ["合并", "事项平均", "something_else"]   # unknown codes kept
    assert zh["与控制限比较（95%）"].tolist() == ["限内", "高于上限", "低于下限"]


def test_in_language_says_the_package_notes_in_chinese():
    import survey_analysis as sa
    # three items in two districts: X in one item (no variance estimate), Y in two
    answers = pd.DataFrame({"item_id": list("AAABBBCCC"), "district": list("XXXYYYYYY"),
                            "scale": "yes_no", "rank": [1, 1, 2, 1, 2, 1, 1, 1, 2]})
    zh = sa.in_language(sa.domain_rates(answers, "district"), "zh").set_index("district")
    assert zh.loc["X", "说明"] == "只有 1 个群含有此类：无法估计方差"
    assert "很不确定" in zh.loc["Y", "说明"]


def test_parts_of_a_composite_item_id_are_not_called_unread(tmp_path):
    import survey_analysis as sa
    path = tmp_path / "wards.csv"
    path.write_text("trust,ward,date,rating\nT1,W1,2024-01,1\nT1,W2,2024-01,2\nT2,W1,2024-02,1\n",
                    encoding="utf-8")
    report = sa.load_responses(str(path), columns={"item_id": ["trust", "ward"], "rating": "rating"},
                               scale="fft").attrs["load_report"]
    roles = report.column_table().set_index("column")["role"]
    assert roles["trust"] == "item_id" and roles["ward"] == "item_id" and roles["date"] == "ignored"
    assert "columns not read: date (" in str(report) and "trust (" not in str(report)
    zh = report.render(lang="zh")
    assert "非常好（Very good）" in zh and "未读取的列：date" in zh


def test_definition_labels_name_the_levels_in_each_language():
    import survey_analysis as sa
    fft = pd.DataFrame({"item_id": list("AAAABBBB"), "rating": ["1", "2", "3", "5", "1", "1", "2", "4"]})
    table = sa.definition_sensitivity(sa.load_responses(fft, scale="fft"))
    first = table.iloc[0]
    assert (first["label"], first["label_zh"]) == ("Very good + Good", "非常好 + 好")   # labels_zh of fft
    cn3 = pd.DataFrame({"item_id": list("AABB"), "rating": ["满意", "基本满意", "不满意", "满意"]})
    first = sa.definition_sensitivity(sa.load_responses(cn3)).iloc[0]
    assert (first["label"], first["label_zh"]) == ("satisfied + basically satisfied", "满意 + 基本满意")
