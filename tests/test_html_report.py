"""The HTML report is self-contained, bilingual, and renders in a real headless browser."""

import re
import shutil
import subprocess

import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis.present.html_report import render_html, write_report


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    paths = write_report(sa.load_synthetic_responses(), out, lang="zh", synthetic=True,  # SYNTHETIC
                         items=sa.load_items(), claims=sa.load_published_claims())
    return out, paths


def test_self_contained_with_figures_tables_verdicts(written):
    out, paths = written
    page = paths["html"].read_text(encoding="utf-8")
    assert "<html lang=\"zh-CN\">" in page and "合成数据" in page
    assert not re.search(r"(src|href)=\"(?!data:)", page)        # nothing loaded from elsewhere
    assert page.count("data:image/png;base64,") >= 5              # forest, funnel, sensitivity, ...
    for text in ("核心指标", "公开说法的核对", "满意度100%的事项", "数据加载报告", "方法说明", "不矛盾但未证实",
                 "“满意”= 满意 + 基本满意（量表 cn3；量表的通行口径）"):
        assert text in page
    assert {p.name for p in paths["csv"]} >= {"headline.csv", "claims.csv", "item_rates.csv",
                                               "items_at_100.csv", "load_report.csv", "funnel.csv"}
    with pd.ExcelFile(paths["excel"], engine="calamine") as book:
        sheets = book.sheet_names
    assert "headline" in sheets and "item_rates" in sheets


def test_english_report(tmp_path):
    paths = write_report(sa.load_synthetic_responses(), tmp_path, lang="en", synthetic=True,
                         claims=sa.load_published_claims())
    page = paths["html"].read_text(encoding="utf-8")
    assert "<html lang=\"en\">" in page and "SYNTHETIC" in page and "Published claims checked" in page


def test_without_claims_no_published_figure_appears(tmp_path):
    # An office's own sheet: no article figure, verdict, claimed band or claims section.
    paths = write_report(sa.load_synthetic_responses(), tmp_path, lang="zh")
    page = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", paths["html"].read_text(encoding="utf-8"))
    for text in ("公开说法", "十余", "152个事项", "超过95%", "矛盾", "支持", "所称范围", "声称"):
        assert text not in page, text
    assert not (tmp_path / "claims.csv").exists()


def test_bad_language():
    with pytest.raises(ValueError, match="unknown lang 'fr'"):
        render_html(None, lang="fr")


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian chromium not installed (.ci/run installs it)")
def test_renders_in_headless_chromium(written, tmp_path):
    _, paths = written
    shot = tmp_path / "report.png"
    result = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,3000",
         f"--screenshot={shot}", paths["html"].as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    assert shot.exists() and shot.stat().st_size > 50_000, result.stderr[-2000:]
    dom = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", f"--user-data-dir={tmp_path / 'profile2'}",
         "--dump-dom", paths["html"].as_uri()], capture_output=True, text=True, timeout=120, check=False)
    assert "群众满意度分析报告" in dom.stdout


# -- a report of many items: figures and tables capped, and the page says so (issue 13) ---------

def _counts(items: int) -> pd.DataFrame:
    """(n, satisfied) repeat every 180 items: 200 and 20,000 items have the same extremes."""
    index = pd.RangeIndex(items)
    n = 20 + (index * 7) % 180
    return pd.DataFrame({"item_id": [f"U{i:05d}" for i in index], "n": n,
                         "satisfied": n - (index % 9) * (1 + n // 40)})


def test_report_figures_and_tables_do_not_grow_with_the_number_of_items(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    from survey_analysis.present import html_report

    sizes, drawn = {}, html_report._figure

    def recording(size):
        sizes.setdefault(current, []).append(tuple(round(v, 3) for v in size))
        return drawn(size)

    monkeypatch.setattr(html_report, "_figure", recording)
    pages, captions = {}, {}
    for current in (200, 20_000):
        analysis = sa.analyze(sa.Survey.from_counts(_counts(current)))
        figures = html_report.report_figures(analysis, "en")
        captions[current] = {name: caption for name, (_, caption) in figures.items()}
        pages[current] = render_html(analysis, "en", figures)
    assert sizes[200] == sizes[20_000]                                # the same figures, same sizes
    assert list(captions[200]) == list(captions[20_000])
    assert "rate_distribution" in captions[20_000]                    # every item, as a histogram
    assert "showing 40 of 20,000 items: the 20 lowest and the 20 highest rates" in captions[20_000]["forest"]
    assert "item_rates.csv" in captions[20_000]["forest"]
    page = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", pages[20_000])
    assert "The 100 lowest and the 100 highest of 20,000 rows shown; the full table is in " \
           "item_rates.csv and in tables.xlsx (sheet item_rates)." in page
    assert "… 19,800 rows not shown …" in page
    assert page.count("<tr>") <= 2 * html_report.MAX_TABLE_ROWS + 40  # capped tables only
    assert len(pages[20_000]) < 2 * len(pages[200])


def test_capped_tables_in_chinese(tmp_path):
    analysis = sa.analyze(sa.Survey.from_counts(_counts(1_000)))
    paths = write_report(analysis, tmp_path, lang="zh")
    page = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", paths["html"].read_text(encoding="utf-8"))
    assert "仅显示 1,000 行中最低的 100 行和最高的 100 行；完整表格见 item_rates.csv 及 tables.xlsx（工作表 item_rates）。" in page
    assert "显示 1,000 个事项中的 40 个：满意率最低的 20 个和最高的 20 个" in page
    assert len(pd.read_csv(tmp_path / "item_rates.csv")) == 1_000     # the full table is there
