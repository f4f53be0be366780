"""Words live in one catalogue (survey_analysis/words.py), in English and Chinese.

* Every entry is written in both languages, with the same placeholders.
* Every code the package names (``Message("...")``, ``SurveyError("...")``, ``say("...")``,
  ``warn("...")``) is in the catalogue.
* No module outside the catalogue writes Chinese sentences; only the vocabulary modules
  hold Chinese words as data (scale levels, header names, magnitudes, the synthetic data).
* Library errors name keywords, never command-line flags: the command line adds its flags.
"""

import ast
import re
import string
from pathlib import Path

import pytest

import survey_analysis as sa
from survey_analysis.words import CATALOGUE, Hint, Message, SurveyError, say

PACKAGE = Path(sa.__file__).resolve().parent
MODULES = sorted(PACKAGE.rglob("*.py"))
CJK = re.compile("[\u3400-\u9fff]")

#: Modules whose Chinese strings are data, not sentences: the catalogue itself, scale levels
#: and their traditional spellings, header names, Chinese magnitudes (万, 亿), the qualifiers
#: of claims files, and the bundled synthetic data's answers.
VOCABULARY = {"words.py", "scales/scale.py", "scales/text.py", "load/names.py",
              "load/rules.py", "claims/reconcile.py", "load/claimset.py", "bundled/synthetic.py",
              "bundled/rounds.py"}
#: Placeholders one language may use alone: a ledger reason is named by its code in English
#: (``duplicate``) and by its meaning in Chinese (重复回答).
ONE_LANGUAGE = {"reason", "meaning"}


def _fields(template: str) -> set:
    return {name.split("!")[0].split(":")[0] for _, name, _, _ in string.Formatter().parse(template)
            if name}


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_entry_in_both_languages(code):
    english, chinese = CATALOGUE[code]
    assert english.strip() and chinese.strip(), code
    assert _fields(english) - ONE_LANGUAGE == _fields(chinese) - ONE_LANGUAGE, code


def _strings(tree) -> list:
    """String constants that are not docstrings."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Constant)
            and isinstance(node.value, str) and id(node) not in docstrings]


def _codes_named(tree) -> list:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in ("Message", "SurveyError", "say", "warn", "ResponseFileError") and \
                    isinstance(node.args[0].value, str):
                found.append((node.lineno, node.args[0].value))
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_code_named_is_in_the_catalogue(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    missing = [f"line {line}: {code}" for line, code in _codes_named(tree)
               if "." in code and code not in CATALOGUE]
    assert not missing, missing


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_chinese_sentences_outside_the_catalogue(path):
    relative = path.relative_to(PACKAGE).as_posix()
    if relative in VOCABULARY:
        return
    found = [f"line {node.lineno}: {node.value[:40]!r}" for node in _strings(ast.parse(
        path.read_text(encoding="utf-8"))) if CJK.search(node.value)]
    assert not found, found


@pytest.mark.parametrize("path", [p for p in MODULES if "present" not in p.parts and p.name != "words.py"],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_library_errors_name_keywords_not_flags(path):
    found = [f"line {node.lineno}: {node.value[:60]!r}" for node in _strings(ast.parse(
        path.read_text(encoding="utf-8"))) if re.search(r"CLI\s+--|\(--[a-z]", node.value)]
    assert not found, found


def test_an_error_names_the_keyword_and_the_cli_adds_its_flag():
    error = SurveyError("design.lonely", shown="'s2'", count=1, strata=4,
                        fix=Hint("lonely_cluster", "remove"))
    assert "lonely_cluster='remove'" in str(error) and "CLI" not in str(error)
    flags = {"lonely_cluster": "--lonely-cluster"}
    text = error.render(flags=lambda keyword, value: f"{flags[keyword]} {value}")
    assert "lonely_cluster='remove' (CLI --lonely-cluster remove)" in text
    both = error.render(languages=("en", "zh"))
    assert "only one cluster" in both and "只有一个群" in both


def test_messages_render_in_either_language_and_nest():
    message = Message("claims.count", {"count": 1234, "what": Message("claims.what.items")})
    assert message.render("en") == "1,234 items with answers in the data"
    assert message.render("zh") == "数据中有 1,234 个有回答的事项"
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        message.render("fr")
    with pytest.raises(KeyError, match="no catalogue entry"):
        Message("no.such.code")
    assert say("verdict.supported", "zh") == "支持"
