"""The package's layers import only downward (docs/architecture.md).

Every import in every module is checked, including imports inside functions: a lazy
import of a higher layer is still an upward dependency.
"""

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "survey_analysis"

#: Layers from the bottom up; a module may import its own layer and those below it.
LAYERS = ["_validation", "load", "design", "estimate", "claims", "survey", "analysis", "bundled",
          "present"]


def _layer_of(dotted: str) -> str:
    """Layer of a module given as ``survey_analysis.<layer>[.<module>]``."""
    parts = dotted.split(".")
    if parts[0] != "survey_analysis" or len(parts) < 2:
        raise ValueError(dotted)
    return parts[1]


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import of the package in ``path``."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
                targets = [target] if node.module else [f"{target}.{a.name}" for a in node.names]
            else:
                targets = [node.module or ""]
            found += [(node.lineno, t) for t in targets if t.startswith("survey_analysis.")]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names
                      if a.name.startswith("survey_analysis.")]
    return found


MODULES = [p for p in sorted(PACKAGE.rglob("*.py")) if p != PACKAGE / "__init__.py"]


def test_every_module_is_in_a_known_layer():
    for path in MODULES:
        assert _layer_of(_module_name(path)) in LAYERS, path


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_upward_import(path):
    own = LAYERS.index(_layer_of(_module_name(path)))
    upward = [f"line {line}: {target}" for line, target in _imports(path)
              if LAYERS.index(_layer_of(target)) > own]
    assert not upward, f"{path.name} imports a higher layer: {upward}"


def test_the_checker_sees_upward_imports():
    # A module of the design layer that imports the presentation layer, at top level and
    # inside a function, must be caught (the check itself can fail).
    fake = PACKAGE / "design" / "_layer_probe.py"
    assert not fake.exists()
    source = "from ..present import plots\n\ndef f():\n    from ..claims.check import check_claims\n"
    tree_imports = []
    fake.write_text(source, encoding="utf-8")
    try:
        tree_imports = _imports(fake)
    finally:
        fake.unlink()
    assert [_layer_of(t) for _, t in tree_imports] == ["present", "claims"]


@pytest.mark.parametrize("layer", [layer for layer in LAYERS if (PACKAGE / layer).is_dir()])
def test_each_subpackage_imports(layer):
    importlib.import_module(f"survey_analysis.{layer}")
    for path in sorted((PACKAGE / layer).glob("*.py")):
        importlib.import_module(_module_name(path))
