"""Repository promises: README commands, CI, dependency lists, data files, public API."""

import re
import tomllib
from pathlib import Path

import pytest

import survey_analysis as sa

ROOT = Path(__file__).resolve().parent.parent


def readme_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, re.DOTALL)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_ci_runs_the_readme_test_command_exactly():
    commands = readme_commands()
    test_command = next(c for c in commands if "pytest" in c)
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert test_command in ci_lines
    assert any("survey-analysis reproduce" in c for c in commands)


def _names(requirements):
    return {re.split(r"[<>=!~\[ ]", r, maxsplit=1)[0].strip().lower() for r in requirements}


def test_environment_yml_lists_the_runtime_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = _names(project["dependencies"])
    env_text = (ROOT / "environment.yml").read_text()
    env = {m.group(1).lower() for m in re.finditer(r"^\s*-\s*([A-Za-z0-9_.-]+)\s*(?:[<>=].*)?$", env_text, re.MULTILINE)}
    assert runtime <= env, f"missing from environment.yml: {runtime - env}"
    # The same minimum version on both sides, for every runtime package.
    pinned = dict(re.findall(r"^\s*-\s*([A-Za-z0-9_.-]+)\s*>=\s*([0-9.]+)\s*$", env_text, re.MULTILINE))
    for requirement in project["dependencies"]:
        name, _, version = re.match(r"([A-Za-z0-9_.-]+)\s*(>=\s*([0-9.]+))?", requirement).groups()
        assert pinned.get(name.lower(), pinned.get(name)) == version, (name, version, pinned.get(name))
    # pip installs the package with its test extra: the README's pytest runs in the environment.
    assert re.search(r"^\s*-\s*-e \.\[test\]\s*$", env_text, re.MULTILINE)
    # statsmodels is a reference for tests only; the library must never import it.
    assert "statsmodels" not in runtime
    for source in (ROOT / "survey_analysis").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from)\s+statsmodels", text, re.MULTILINE), source


def test_public_api_names_from_design():
    for name in ("load_responses", "binomial_ci", "item_rates", "overall_rate", "check_claims"):
        assert name in sa.__all__ and callable(getattr(sa, name))
    for name in sa.__all__:
        assert hasattr(sa, name), name


def test_every_module_declares_all():
    for source in (ROOT / "survey_analysis").rglob("*.py"):
        if source.name != "__init__.py":
            assert "__all__ = [" in source.read_text(encoding="utf-8"), source


ARTICLE = ROOT.parent / "shared" / "sources" / "000_bb4921f8ae5260df.txt"


@pytest.mark.skipif(not ARTICLE.exists(), reason="source article (../shared/sources) not beside the clone")
def test_every_published_figure_quotes_the_article():
    article = re.sub(r"\s+", "", ARTICLE.read_text(encoding="utf-8"))
    claims = sa.load_published_claims()
    for row in claims.itertuples():
        assert re.sub(r"\s+", "", row.quote) in article, row.id
        assert f"{row.value:g}" in re.sub(r"\s+", "", row.quote).replace(",", ""), row.id


def test_claims_table_has_the_required_figures():
    claims = sa.load_published_claims().set_index("id")
    assert (claims["quote"] != "").all() and (claims["translation_en"] != "").all()
    assert claims.loc["items_completed", ["kind", "value"]].tolist() == ["n_items", 152]
    assert claims.loc["overall_satisfaction_over_95", ["kind", "value", "qualifier"]].tolist() == [
        "overall_rate", 95, "over"]
    assert claims.loc["items_at_100_ten_plus", ["kind", "qualifier", "lower", "upper", "wording"]] \
        .tolist() == ["items_at_100", "range", 11, 19, "十余件"]
    assert (claims["kind"] == "item_at_100").sum() == 3
    revenue = claims.loc[claims["value"] == 95.31]
    assert revenue["kind"].tolist() == ["finance"]
    for value in (10, 128, 316, 500, 200, 26, 108, 18, 131, 89, 300, 8000):
        assert value in set(claims["value"]), value
    assert claims.index.is_unique


def test_item_catalogue():
    items = sa.load_items()
    assert len(items) == 152 and items["item_id"].is_unique
    assert set(items["provenance"]) == {"named_at_100", "named_membership_unstated", "placeholder"}
    placeholders = items[items["provenance"] == "placeholder"]
    assert placeholders["name_zh"].str.contains("占位").all()
    assert placeholders["name_en"].str.contains("Placeholder").all()
    claims = sa.load_published_claims()
    named = claims.loc[claims["kind"] == "item_at_100", "item"]
    assert set(named) == set(items.loc[items["provenance"] == "named_at_100", "item_id"])


def test_data_readme_describes_every_data_file():
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for path in (ROOT / "data").rglob("*.csv"):
        assert path.name in text, path
    assert "CC0" in text and "SYNTHETIC" in text


def test_api_reference_is_up_to_date():
    # docs/api.md is generated from the docstrings; regenerate with `python docs/build_api_reference.py`.
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_api_reference", ROOT / "docs" / "build_api_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "docs" / "api.md").read_text(encoding="utf-8") == module.render()


def test_every_public_name_is_in_the_api_reference():
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    import inspect

    for name in sa.__all__:
        obj = getattr(sa, name)
        if inspect.isfunction(obj) or inspect.isclass(obj):
            # An alias (LoadReport = Ledger) is documented in full under its own name.
            assert f"### `{obj.__name__}(" in text, name


def test_readme_snippet_runs_on_a_sheet_where_items_span_communities(tmp_path, monkeypatch):
    # The README's "own report" snippet, run as written on a sheet in which the same items were
    # surveyed in two communities (so items are not nested in communities).
    import matplotlib

    matplotlib.use("Agg")
    import pandas as pd

    rows = [(item, f"R{i}", community, rating)
            for i, (item, community, rating) in enumerate([
                ("路灯维修", "东城", "满意"), ("路灯维修", "东城", "基本满意"), ("路灯维修", "西城", "满意"),
                ("路灯维修", "西城", "不满意"), ("道路修补", "东城", "满意"), ("道路修补", "西城", "满意"),
                ("道路修补", "西城", "基本满意"), ("道路修补", "东城", "不了解"), ("垃圾清运", "东城", "满意"),
                ("垃圾清运", "西城", "满意"), ("垃圾清运", "西城", "不满意"), ("垃圾清运", "东城", "满意")])]
    pd.DataFrame(rows, columns=["事项名称", "受访者", "社区", "满意度"]).to_excel(
        tmp_path / "满意度调查.xlsx", index=False)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = next(b for b in re.findall(r"```python\n(.*?)```", text, re.DOTALL) if "Survey(" in b)
    monkeypatch.chdir(tmp_path)
    namespace = {}
    exec(compile(snippet, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    assert (tmp_path / "items.png").stat().st_size > 0 and (tmp_path / "tables.xlsx").exists()
    overall = namespace["overall"]
    # 11 valid answers (one 不了解), 9 satisfied (满意 + 基本满意); 6 clusters (item x community).
    assert (overall.pooled.n_responses, overall.pooled.n_clusters) == (11, 6)
    assert overall.pooled.estimate == pytest.approx(9 / 11)
    import matplotlib.pyplot as plt

    plt.close("all")


def test_quick_start_runs_without_the_optional_pyarrow_and_duckdb(tmp_path):
    # Reason: `pip install -e .` brings neither pyarrow nor DuckDB (extras); the README's first
    # quick-start command must work without them. The child blocks both before pandas is
    # imported, as a machine without them would be, and runs `survey-analysis reproduce`.
    import subprocess
    import sys
    code = ("import sys; sys.modules['pyarrow'] = sys.modules['duckdb'] = None\n"
            "from survey_analysis.present.cli import main\n"
            "import pandas\n"
            "raise SystemExit(main(['reproduce']))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "reports" / "headline.csv").exists()
    assert "96.7%" in done.stdout
