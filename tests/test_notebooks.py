"""Notebooks are stored clean and run from a clean state, calling only the library."""

import json
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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_executes_cleanly(path, tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError on any failing cell
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error"
            if output.get("name") == "stderr":
                assert "Glyph" not in output.get("text", ""), output["text"]


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
