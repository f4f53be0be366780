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


def render() -> str:
    lines = ["# API reference", "",
             "Generated from the docstrings by `python docs/build_api_reference.py`; do not edit by hand.",
             "Names marked *top level* can be used as `sa.NAME` after `import survey_analysis as sa`.", ""]
    top_level = set(sa.__all__)
    for name in modules():
        module = importlib.import_module(f"survey_analysis.{name}")
        lines += [f"## `survey_analysis.{name}`", "", inspect.getdoc(module) or "", ""]
        for public in module.__all__:
            obj = getattr(module, public)
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            try:
                signature = str(inspect.signature(obj))
            except (TypeError, ValueError):
                signature = "(...)"
            marker = " *(top level)*" if public in top_level else ""
            lines += [f"### `{public}{signature}`{marker}", "", "```text", inspect.getdoc(obj) or "",
                      "```", ""]
    return "\n".join(lines)


def main() -> None:
    target = Path(__file__).resolve().parent / "api.md"
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
