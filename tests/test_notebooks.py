"""Notebooks are stored clean and run from a clean state, calling only the library."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_synthetic_data_is_labelled(path):
    text = path.read_text(encoding="utf-8")
    if "synthetic" in text.lower():
        assert "SYNTHETIC" in text


EXECUTED = {}   # notebook name -> the notebook as executed, so that each notebook runs once per session


def executed(path, tmp_path):
    """The notebook at `path`, executed once (in `tmp_path`) and kept for the other checks."""
    if path.name not in EXECUTED:
        nbformat = pytest.importorskip("nbformat")
        nbclient = pytest.importorskip("nbclient")
        notebook = nbformat.read(path, as_version=4)
        client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                         resources={"metadata": {"path": str(tmp_path)}})
        client.execute()  # raises CellExecutionError on any failing cell
        EXECUTED[path.name] = notebook
    return EXECUTED[path.name]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_executes_cleanly(path, tmp_path):
    notebook = executed(path, tmp_path)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error"
            if output.get("name") == "stderr":
                assert "Glyph" not in output.get("text", ""), output["text"]


# A number in the prose: digits, with decimal or thousands separators, and a percent sign if any.
# Not when it is part of a word or an identifier (cn3, SX001, p0), but Chinese text may touch it (超过95%).
NUMBER = re.compile(r"(?<![A-Za-z_\d.])\d+(?:[.,]\d+)*%?")
# The only numbers of the prose that need not be printed by the notebook, each explicit:
NOT_FIGURES = (
    re.compile(r"^#+ *\d+[a-z]?\.? ", re.M),                 # a heading's own numbering: "## 3.", "# 01 ·"
    re.compile(r"^ *\d+\. ", re.M),                            # a numbered list's markers: "1. What ..."
    re.compile(r"(?<![A-Za-z_\d.])0[1-9](?!\d|[.,]\d|%)"),         # a notebook of this series: 01 ... 09
    re.compile(r"\b[A-Z][a-z]+(?: & [A-Z][a-z]+)? (?:19|20)\d\d[a-z]?\b"),  # a reference: "Goodman 1965"
    re.compile(r"(?:sections?|第) *\d+[a-z]?(?:(?:,| and|、|和) *\d+[a-z]?)*(?: *节)?"),  # a section of it
)


def prose_numbers(notebook):
    """Every number written in the notebook's markdown cells, less the explicit NOT_FIGURES."""
    found = set()
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            text = cell.source
            for pattern in NOT_FIGURES:
                text = pattern.sub(" ", text)
            found.update(NUMBER.findall(text))
    return found


def code_and_output_numbers(notebook):
    """Every number in the notebook's code cells and in their outputs (text, plain, Markdown, HTML)."""
    texts = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        texts.append(cell.source)
        for output in cell.get("outputs", []):
            text = output.get("text", "")
            texts.append("".join(text) if isinstance(text, list) else text)
            for kind in ("text/plain", "text/markdown", "text/html"):
                data = output.get("data", {}).get(kind, "")
                texts.append("".join(data) if isinstance(data, list) else data)
    return set(NUMBER.findall("\n".join(texts)))


def numbers_not_from_the_results(notebook):
    """The prose numbers that no code cell and no output of the notebook shows."""
    shown = code_and_output_numbers(notebook)
    shown |= {number.replace(",", "") for number in shown}   # 7,600 in the prose is shown by a 7600
    return sorted(number for number in prose_numbers(notebook)   # and 95% by a 95% or a 95 (a column "95")
                  if not {number, number.rstrip("%"), number.replace(",", "")} & shown)


# Issue 22: every notebook's prose has been rewritten so that every figure is printed by a cell.
NUMBERS_FROM_RESULTS = [path.name for path in NOTEBOOKS]


@pytest.mark.parametrize("path", [ROOT / "notebooks" / name for name in NUMBERS_FROM_RESULTS],
                         ids=lambda p: p.name)
def test_every_number_in_the_prose_comes_from_the_results(path, tmp_path):
    # A figure typed into the prose drifts when the data or the library change; every number
    # written in a markdown cell must be printed by the notebook's code (or be in its code).
    assert numbers_not_from_the_results(executed(path, tmp_path)) == [], path.name


def test_prose_numbers_are_found_and_checked():
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## 3. Items / 事项\n\n1. see notebook 04, section 2b\n"
                                      "超过95% of 152 items, 61 of 64 = 95.3125%; n from 88 to 117 (Goodman 1965)"),
        nbformat.v4.new_code_cell("print(f'{152} items, 95%')", outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="152 items, 95% from 88 to 117\n")]),
    ])
    assert prose_numbers(notebook) == {"95%", "152", "61", "64", "95.3125%", "88", "117"}
    assert numbers_not_from_the_results(notebook) == ["61", "64", "95.3125%"]


def test_notebook_06_on_another_sheet_changes_only_the_path(tmp_path):
    # An office's 好差评 export: only PATH changes, and no bundled catalogue, claim or article
    # figure appears anywhere in the outputs.
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(ROOT / "notebooks" / "06_your_data.ipynb", as_version=4)
    settings = next(c for c in notebook.cells if "PATH = sa.synthetic_responses_path()" in c.source)
    sheet = ROOT / "tests" / "data" / "office" / "haochaping_export.xlsx"
    settings.source = settings.source.replace("PATH = sa.synthetic_responses_path()", f"PATH = {str(sheet)!r}", 1)
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    text = "\n".join(output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
                     for cell in notebook.cells for output in cell.get("outputs", []))
    assert "haochaping5" in text and "非常满意 + 满意 + 基本满意" in text
    for case in ("十余", "152", "超过95%", "SX00", "SYNTHETIC", "contradicted"):
        assert case not in text, case


# Chinese first: what a paragraph may hold before its Chinese without being "English first".
NOT_PROSE = re.compile(
    r"```.*?```"                          # a code block
    r"|`[^`]*`"                           # code in a sentence
    r"|\[[^\]]*\]\([^)]*\)"                # a link
    r"|^(?:> )?\*\*[^*\n]+\*\*"            # a bold label opening a paragraph (**REAL DATA / 真实数据.**)
    # a line that says itself twice, "English / 中文" (a Latin letter before any Chinese one)
    r"|^[^A-Za-z\u4e00-\u9fff\n]*[A-Za-z][^\n]* / [^\n]*[\u4e00-\u9fff][^\n]*$"
    r'|\([^)]*\)|"[^"]*"|“[^”]*”',           # a bracket or a quotation
    re.M)
ENGLISH_WORD = re.compile(r"[A-Za-z]{4,}")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def english_first_paragraphs(markdown: str) -> list:
    """The paragraphs of ``markdown`` whose prose is English only, or English before Chinese
    (headings and tables excepted: they say both on one line)."""
    found = []
    for paragraph in re.split(r"\n\s*\n", re.sub(r"```.*?```", "", markdown, flags=re.S)):
        if not paragraph.strip() or paragraph.lstrip().startswith(("#", "|")):
            continue
        prose = NOT_PROSE.sub(" ", paragraph)
        english, chinese = ENGLISH_WORD.search(prose), CHINESE.search(prose)
        if english and (not chinese or english.start() < chinese.start()):
            found.append(paragraph[:80])
    return found


def test_the_chinese_first_rule_finds_english_first_prose():
    assert english_first_paragraphs("Rates per item.\n每个事项的满意率。") == ["Rates per item.\n每个事项的满意率。"]
    assert english_first_paragraphs("Only English here, none else.") == ["Only English here, none else."]
    assert english_first_paragraphs("每个事项的满意率。\nRates per item.") == []
    assert english_first_paragraphs("> **REAL DATA / 真实数据.** 真实回答。Real answers.") == []
    assert english_first_paragraphs("1. What was read? / 读了什么？\n2. Rates / 满意率") == []
    assert english_first_paragraphs("## 1. Load / 加载\n\n| item | 事项 |") == []
    assert english_first_paragraphs("* *长表 / long*：每行一个回答；\n  one row per answer") == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_paragraph_is_chinese_first(path):
    # Issue 22: Chinese readers get the whole story; each paragraph says it in Chinese, then in English.
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    markdown = "\n\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
    assert english_first_paragraphs(markdown) == [], path.name
