"""The errors of scales/, design/, claims/, analysis, bundled/ and present/ go through the catalogue.

A ``raise`` of ``ValueError``, ``KeyError`` or ``SurveyError`` in these modules names a
catalogue entry (``SurveyError("design.subset_none", domain=...)``); none writes its sentence
inline, as a string literal, an f-string, or text glued together with ``+``, ``%`` or
``.format``. Inline text would be said in English only, and would escape the checks of
``tests/test_words.py`` (both languages, no command-line flags). The probe at the end shows
that the check finds each kind of inline message.
"""

import ast
from pathlib import Path

import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis.design.calibration import weight_values
from survey_analysis.present.layout import check_cap
from survey_analysis.words import CATALOGUE, SurveyError

PACKAGE = Path(sa.__file__).resolve().parent

#: The modules whose words were moved into the catalogue (relative to the package).
CONVERTED = sorted(
    [PACKAGE / "_validation.py", PACKAGE / "analysis.py"]
    + [p for folder in ("scales", "design", "claims", "bundled", "present")
       for p in (PACKAGE / folder).glob("*.py")])

#: Exceptions whose text must come from the catalogue (SurveyError is a ValueError).
CHECKED = {"ValueError", "KeyError", "SurveyError"}


def _is_text(node) -> bool:
    """Whether ``node`` builds a sentence inline: a string literal, an f-string, or text
    glued from a literal (``"a" + b``, ``"%s" % b``, ``"{}".format(b)``)."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _is_text(node.left) or _is_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in ("format", "join") and _is_text(node.func.value)
    return False


def inline_messages(source: str) -> list:
    """``(line, exception)`` of every raise in ``source`` whose message is written inline.

    A SurveyError names its entry by a literal code that is in the catalogue; any other
    literal (a sentence) or an f-string code (which ``test_words`` cannot check) counts
    as inline.
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args):
            continue
        name = getattr(node.exc.func, "id", getattr(node.exc.func, "attr", ""))
        if name not in CHECKED:
            continue
        first = node.exc.args[0]
        if name == "SurveyError":
            bad = isinstance(first, ast.JoinedStr) or _is_text(first) and not (
                isinstance(first, ast.Constant) and first.value in CATALOGUE)
        else:
            bad = _is_text(first)
        if bad:
            found.append((node.lineno, name))
    return found


def test_the_converted_modules_are_found():
    names = {p.relative_to(PACKAGE).as_posix() for p in CONVERTED}
    assert {"_validation.py", "analysis.py", "scales/scale.py", "design/design.py",
            "design/calibration.py", "claims/reconcile.py", "bundled/rounds.py",
            "present/export.py", "present/cli.py"} <= names


def _assert_clean(source: str) -> None:
    found = inline_messages(source)
    assert not found, [f"line {line}: {name}" for line, name in found]


@pytest.mark.parametrize("path", CONVERTED, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_every_error_goes_through_the_catalogue(path):
    _assert_clean(path.read_text(encoding="utf-8"))


PROBE = '''
def f(x):
    if x == 1:
        raise ValueError("x must not be 1")
    if x == 2:
        raise KeyError(f"no key {x!r}")
    if x == 3:
        raise ValueError("x is " + str(x))
    if x == 4:
        raise ValueError("x is {}".format(x))
    if x == 5:
        raise SurveyError("x must not be 5", value=x)
    if x == 6:
        raise SurveyError(f"design.{x}")
    if x == 7:
        raise words.SurveyError("x must not be 7")
    # Not inline: a catalogue code, a message built elsewhere, a TypeError, a bare raise.
    raise SurveyError("design.subset_none", domain=x)
    raise ValueError(problem)
    raise SurveyError(problem.code, **problem.params)
    raise TypeError(f"x is a {type(x).__name__}")
    raise
'''


def test_the_check_finds_inline_messages():
    assert inline_messages(PROBE) == [(4, "ValueError"), (6, "KeyError"), (8, "ValueError"),
                                      (10, "ValueError"), (12, "SurveyError"), (14, "SurveyError"),
                                      (16, "SurveyError")]


def test_the_check_fails_on_a_module_with_an_inline_message():
    module = (PACKAGE / "design" / "design.py").read_text(encoding="utf-8")
    _assert_clean(module)
    with pytest.raises(AssertionError, match="ValueError"):
        _assert_clean(module + '\n\ndef _probe():\n    raise ValueError("inline")\n')


def test_converted_errors_say_themselves_in_both_languages():
    """A few of the moved errors: in English as before, and in Chinese."""
    responses = pd.DataFrame({"item_id": list("AABB"), "scale": "yes_no", "rank": [1, 2, 1, 1]})
    with pytest.raises(SurveyError, match=r"subset\(\) needs at least one column") as info:
        sa.Survey(responses).subset()
    assert "至少需要" in info.value.render("zh")
    with pytest.raises(SurveyError, match="max_items must be a positive whole number") as info:
        check_cap("max_items", 0)
    assert "必须是正整数" in info.value.render("zh")
    with pytest.raises(SurveyError, match="weights must be finite and >= 0: 1 negative") as info:
        weight_values(pd.Series([1.0, -2.0]))
    assert info.value.render("zh").startswith("weights 必须是有限且 >= 0 的数：1 个为负（行 1")
