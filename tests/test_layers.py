"""The package's structure holds (docs/architecture.md).

* Layers import only downward. Every import in every module is checked, including
  imports inside functions: a lazy import of a higher layer is still an upward dependency.
* No cycle of imports between modules, inside a layer either (imports inside functions
  count: a cycle hidden in a function is still two modules that need each other).
* Private stays private: no module imports another module's ``_`` names, or reaches
  for a ``_`` attribute of another module or of a class defined in another module.
"""

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "survey_analysis"

#: Layers from the bottom up; a module may import its own layer and those below it.
LAYERS = ["words", "_validation", "scales", "load", "design", "estimate", "claims", "survey",
          "analysis", "bundled", "present"]


#: Imports that the layer order allows but the design does not: estimators work on a
#: Survey's counts, never on files (scales, the data both need, sit below both); a Survey
#: does not know about claims (claims take a Survey); bundled data do not check claims
#: (a claims file is data that claims/ reads).
FORBIDDEN = {("estimate", "load"), ("survey", "claims"), ("bundled", "claims")}


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


MODULES = [p for p in sorted(PACKAGE.rglob("*.py")) if p != PACKAGE / "__init__.py"]
KNOWN = {_module_name(p) for p in PACKAGE.rglob("*.py")}


def _resolve(path: Path, node: ast.ImportFrom) -> str:
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    if not node.level:
        return node.module or ""
    base = package.split(".")
    base = base[:len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(path: Path, tree=None) -> list[tuple[int, str, str | None]]:
    """(line, module, name) of every import of the package in ``path``: the module a name
    comes from, and the name taken from it (None for ``import x``). ``from pkg import mod``
    gives the module ``pkg.mod`` itself."""
    tree = tree or ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            target = _resolve(path, node)
            for alias in node.names:
                if f"{target}.{alias.name}" in KNOWN:
                    found.append((node.lineno, f"{target}.{alias.name}", None))
                else:
                    found.append((node.lineno, target, alias.name))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name, None) for a in node.names]
    return [(line, module, name) for line, module, name in found
            if module.startswith("survey_analysis.")]


def test_every_module_is_in_a_known_layer():
    for path in MODULES:
        assert _layer_of(_module_name(path)) in LAYERS, path


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_upward_import(path):
    own = LAYERS.index(_layer_of(_module_name(path)))
    upward = [f"line {line}: {target}" for line, target, _ in _imports(path)
              if LAYERS.index(_layer_of(target)) > own]
    assert not upward, f"{path.name} imports a higher layer: {upward}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_forbidden_import(path):
    own = _layer_of(_module_name(path))
    found = [f"line {line}: {target}" for line, target, _ in _imports(path)
             if (own, _layer_of(target)) in FORBIDDEN]
    assert not found, f"{path.name} ({own}) imports what it must not: {found}"


def test_the_checker_sees_upward_imports():
    # A module of the design layer that imports the presentation layer, at top level and
    # inside a function, must be caught (the check itself can fail).
    fake = PACKAGE / "design" / "_layer_probe.py"
    assert not fake.exists()
    source = "from ..present import plots\n\ndef f():\n    from ..claims.check import check_claims\n"
    fake.write_text(source, encoding="utf-8")
    try:
        tree_imports = _imports(fake)
    finally:
        fake.unlink()
    assert [_layer_of(t) for _, t, _ in tree_imports] == ["present", "claims"]


def _graph() -> dict:
    """Module -> the package modules it imports (a package's ``__init__`` by its name)."""
    graph = {}
    for path in MODULES:
        name = _module_name(path)
        graph[name] = {target for _, target, _ in _imports(path) if target in KNOWN and target != name}
    return graph


def _cycles(graph: dict) -> list:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(node, counter=[0]):  # noqa: B006 - the counter is shared on purpose
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


def test_no_import_cycles():
    assert _cycles(_graph()) == []


def test_the_checker_sees_cycles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def _private_members() -> dict:
    """``_name`` -> modules defining it as a module-level name or a class member."""
    owners = {}
    for path in PACKAGE.rglob("*.py"):
        name = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            defined = []
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defined.append(node.name)
            elif isinstance(node, ast.Assign):
                defined += [t.id for t in node.targets if isinstance(t, ast.Name)]
                defined += [t.attr for t in node.targets if isinstance(t, ast.Attribute)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                defined.append(node.target.id)
            for item in defined:
                if item.startswith("_") and not item.startswith("__"):
                    owners.setdefault(item, set()).add(name)
    return owners


#: Private names of the standard library used through their public meaning.
_STANDARD = {"_asdict", "_replace", "_fields", "_make"}


def _private_uses(path: Path, owners: dict) -> list[str]:
    name = _module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [f"line {line}: from {module} import {taken}" for line, module, taken in _imports(path, tree)
             if taken and taken.startswith("_") and not taken.startswith("__") and module != name]
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                and not node.attr.startswith("__") and node.attr not in _STANDARD
                and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
                and node.attr in owners and name not in owners[node.attr]):
            found.append(f"line {node.lineno}: .{node.attr} (defined in {sorted(owners[node.attr])})")
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_private_names_stay_in_their_module(path):
    uses = _private_uses(path, _private_members())
    assert not uses, f"{path.name} uses private names of other modules: {uses}"


def test_the_checker_sees_private_uses(tmp_path):
    fake = PACKAGE / "estimate" / "_private_probe.py"
    assert not fake.exists()
    fake.write_text("from ..estimate.shrinkage import _probe_name\n\ndef f(design):\n"
                    "    return design._probe_attribute\n", encoding="utf-8")
    owner = PACKAGE / "design" / "_private_owner.py"
    owner.write_text("class A:\n    def _probe_attribute(self):\n        pass\n", encoding="utf-8")
    try:
        uses = _private_uses(fake, _private_members())
    finally:
        fake.unlink()
        owner.unlink()
    assert len(uses) == 2, uses


@pytest.mark.parametrize("layer", [layer for layer in LAYERS if (PACKAGE / layer).is_dir()])
def test_each_subpackage_imports(layer):
    importlib.import_module(f"survey_analysis.{layer}")
    for path in sorted((PACKAGE / layer).glob("*.py")):
        importlib.import_module(_module_name(path))
