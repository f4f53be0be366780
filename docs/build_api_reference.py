"""Write docs/api.md: every public function and class with its signature and docstring.

Run from the repository root:  python docs/build_api_reference.py
tests/test_packaging.py checks that docs/api.md is up to date with the docstrings.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import survey_analysis as sa

# Layers in the order of the data flow (docs/architecture.md); each layer's modules are
# documented in alphabetical order.
LAYERS = ["words", "scales", "load", "design", "estimate", "claims", "survey", "analysis", "bundled", "present"]


def modules() -> list[str]:
    """Dotted names (below ``survey_analysis``) of every public module, layer by layer."""
    package = Path(sa.__file__).resolve().parent
    names = []
    for layer in LAYERS:
        if (package / layer).is_dir():
            names += [f"{layer}.{p.stem}" for p in sorted((package / layer).glob("*.py"))
                      if not p.stem.startswith("_")]
        elif (package / f"{layer}.py").is_file():
            names.append(layer)
    return names


def _signature(obj) -> str:
    try:
        return str(inspect.signature(obj))
    except (TypeError, ValueError):
        return "(...)"


def _summary(obj) -> str:
    """The first paragraph of a docstring."""
    return (inspect.getdoc(obj) or "").split("\n\n")[0]


def _value(obj) -> str:
    """A constant as a short text: its repr, cut, and its type."""
    # A set's order changes from one process to the next: listed sorted, so the file is stable.
    text = f"{type(obj).__name__}({sorted(obj, key=str)!r})" if isinstance(obj, (set, frozenset)) else repr(obj)
    text = text if len(text) <= 160 else text[:157] + "..."
    return f"`{type(obj).__name__}`: `{text}`".replace("\n", " ")


def _methods(cls) -> list[str]:
    """Lines for the public methods and properties a class defines itself (not inherited)."""
    lines = []
    for name, member in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(member, property):
            lines.append(f"- property `{name}`: {_summary(member)}".rstrip(": "))
        elif isinstance(member, (classmethod, staticmethod)) or inspect.isfunction(member):
            function = member.__func__ if isinstance(member, (classmethod, staticmethod)) else member
            kind = "classmethod " if isinstance(member, classmethod) else ""
            lines.append(f"- {kind}`{name}{_signature(function)}`: {_summary(function)}".rstrip(": "))
    return lines


def render() -> str:
    lines = ["# API reference", "",
             "Generated from the docstrings by `python docs/build_api_reference.py`; do not edit by hand.",
             "Names marked *top level* can be used as `sa.NAME` after `import survey_analysis as sa`.",
             "Every public name is listed once, where it is defined; a module that re-exports it says where.", ""]
    top_level = set(sa.__all__)
    documented = {}  # id of a function or class -> the module it is documented in
    for name in modules():
        module = importlib.import_module(f"survey_analysis.{name}")
        lines += [f"## `survey_analysis.{name}`", "", inspect.getdoc(module) or "", ""]
        # A class or function under its own name first, its aliases (LoadReport = Ledger) after.
        names = sorted(module.__all__, key=lambda n: getattr(getattr(module, n), "__name__", n) != n)
        for public in names:
            obj = getattr(module, public)
            marker = " *(top level)*" if public in top_level else ""
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                if inspect.ismodule(obj):
                    continue
                lines += [f"### `{public}`{marker}", "", f"Constant, {_value(obj)}.", ""]
                continue
            home = getattr(obj, "__module__", "")
            if id(obj) in documented or (home.startswith("survey_analysis.") and home != module.__name__
                                          and home.removeprefix("survey_analysis.") in modules()):
                where = documented.get(id(obj), home)
                lines += [f"### `{public}`{marker}", "", f"See `{where}`.", ""]
                continue
            documented[id(obj)] = module.__name__
            lines += [f"### `{public}{_signature(obj)}`{marker}", "", "```text", inspect.getdoc(obj) or "",
                      "```", ""]
            if inspect.isclass(obj):
                methods = _methods(obj)
                if methods:
                    lines += ["Methods and properties:", "", *methods, ""]
    return "\n".join(lines)


def main() -> None:
    target = Path(__file__).resolve().parent / "api.md"
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
