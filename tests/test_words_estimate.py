"""The estimate layer says every sentence through the catalogue (survey_analysis/words.py).

* No ``raise`` of ``ValueError``, ``TypeError``, ``KeyError`` or ``SurveyError`` in
  ``survey_analysis/estimate/`` writes its message as a string literal or an f-string:
  a builtin error's text comes from ``say(...)``, a ``SurveyError`` names a code that is
  in the catalogue (an f-string code would escape the check that the code exists).
* Every code a ``Note(...)`` of the estimate layer names is in the catalogue (including
  both branches of ``Note("a" if ... else "b")``), and notes are joined by ``join_notes``,
  not by ``"; ".join``, so a report in Chinese joins them with "；".
* Each check is shown to fail on a small source that breaks it (a probe), so a check that
  silently found nothing cannot pass for one that holds.
* The estimate entries say the same thing in both languages, with the options they
  propose rendered as keywords.
"""

import ast
from pathlib import Path

import pytest

import survey_analysis as sa
from survey_analysis.words import CATALOGUE, Hint, Note, SurveyError, join_notes

ESTIMATE = Path(sa.__file__).resolve().parent / "estimate"
MODULES = sorted(ESTIMATE.glob("*.py"))

#: Exceptions whose message must come from the catalogue.
CHECKED = {"ValueError", "TypeError", "KeyError", "SurveyError"}


def _name(node) -> str:
    """The called name of ``Name(...)`` or ``module.Name(...)``."""
    return getattr(node, "id", getattr(node, "attr", ""))


def _is_literal_text(node) -> bool:
    """A sentence written in place: a string literal, an f-string, ``"..." + x``,
    ``"..." % x`` or ``"...".format(...)``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _is_literal_text(node.left) or _is_literal_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr == "format":
        return _is_literal_text(node.func.value)
    return False


def literal_raises(source: str) -> list[str]:
    """``line: exception`` of every raise in ``source`` whose message is written in place
    (for a SurveyError: whose code is not a plain string naming a catalogue entry)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
            continue
        call = node.exc
        kind = _name(call.func)
        if kind not in CHECKED or not call.args:
            continue
        first = call.args[0]
        if kind == "SurveyError":
            named = isinstance(first, ast.Constant) and isinstance(first.value, str)
            if not named or first.value not in CATALOGUE:
                found.append(f"line {node.lineno}: {kind}")
        elif _is_literal_text(first):
            found.append(f"line {node.lineno}: {kind}")
    return found


def _codes(node) -> list:
    """The codes a ``Note``'s first argument can be (None for one not written out)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _codes(node.body) + _codes(node.orelse)
    return [None]


def unknown_note_codes(source: str) -> list[str]:
    """``line: code`` of every ``Note(...)`` whose code is not in the catalogue (or is
    computed, so that no test can see it exists)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node.func) == "Note" and node.args:
            found += [f"line {node.lineno}: {code}" for code in _codes(node.args[0])
                      if code not in CATALOGUE]
    return found


def semicolon_joins(source: str) -> list[str]:
    """``line`` of every ``"; ".join(...)``: notes joined by hand, in English only."""
    return [f"line {node.lineno}" for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "join" and isinstance(node.func.value, ast.Constant)
            and node.func.value.value in ("; ", ";")]


def _ids(path: Path) -> str:
    return path.name


def test_the_estimate_modules_are_all_scanned():
    names = {p.name for p in MODULES}
    assert {"intervals.py", "rates.py", "results.py", "weights.py", "comparisons.py",
            "domains.py", "rounds.py", "multiplicity.py", "multinomial.py", "sensitivity.py",
            "planning.py", "shrinkage.py", "funnel.py", "chance.py", "implied.py",
            "coverage.py"} <= names


@pytest.mark.parametrize("path", MODULES, ids=_ids)
def test_every_estimate_error_goes_through_the_catalogue(path):
    found = literal_raises(path.read_text(encoding="utf-8"))
    assert not found, found


@pytest.mark.parametrize("path", MODULES, ids=_ids)
def test_every_estimate_note_is_a_catalogue_entry(path):
    source = path.read_text(encoding="utf-8")
    assert not unknown_note_codes(source), unknown_note_codes(source)
    assert not semicolon_joins(source), semicolon_joins(source)


PROBE = '''
def f(x, n):
    if x:
        raise ValueError("method 'mid_p' needs whole-number successes")
    if n:
        raise ValueError(f"n must be at least 1, got {n}")
    raise TypeError("shapes " + str(x))
    raise KeyError("no score for level %s" % x)
    raise ValueError("{} must not be nan".format(x))
    raise errors.ValueError("through a module")
    raise SurveyError(f"estimate.coverage.{x}")
    raise SurveyError("estimate.no.such.entry")
    raise SurveyError(code)
'''

CLEAN = '''
def f(x):
    raise SurveyError("estimate.coverage.n")
    raise SurveyError("estimate.planning.nan", name="n")
    raise KeyError(say("estimate.sensitivity.no_score", rank=1, scale="cn3"))
    raise ValueError(x)
    raise RuntimeError("not a user's error: not checked")
    raise
'''


def test_the_raise_check_finds_every_kind_of_literal_message():
    found = literal_raises(PROBE)
    assert len(found) == 9, found
    assert {line.split(": ")[1] for line in found} == {"ValueError", "TypeError", "KeyError",
                                                       "SurveyError"}
    assert literal_raises(CLEAN) == []


def test_the_note_checks_find_unknown_codes_and_hand_joins():
    source = '''
note = Note("estimate.no_such_note")
other = Note("estimate.rates.few_items" if x else "estimate.rates.no_such_branch")
computed = Note(f"estimate.{x}")
fine = Note("estimate.rates.few_items")
text = "; ".join(notes)
'''
    assert unknown_note_codes(source) == [
        "line 2: estimate.no_such_note", "line 3: estimate.rates.no_such_branch",
        "line 4: None"]
    assert semicolon_joins(source) == ["line 6"]


# ----------------------------------------------------------------------------------------
# The entries themselves: said in both languages, options as keywords
# ----------------------------------------------------------------------------------------
def test_an_estimate_error_is_a_value_error_in_both_languages():
    with pytest.raises(ValueError, match="needs whole-number counts") as info:
        sa.item_rates(_weighted(), method="mid_p")
    error = info.value
    assert isinstance(error, SurveyError) and error.code == "estimate.rates.mid_p_weighted"
    assert "mid_p 方法要求计数为整数" in error.render("zh")


def test_an_estimate_error_proposes_its_option_as_a_keyword():
    import pandas as pd

    counts = pd.DataFrame({"category": ["a", "b"], "n": [6, 5], "satisfied": [5, 1]})
    with pytest.raises(ValueError, match="has no design") as info:
        sa.compare_groups(counts)
    error = info.value
    assert error.hints == (Hint("method", "fisher"), Hint("method", "newcombe"))
    assert "method='fisher'" in str(error) and "CLI" not in str(error)
    assert "compare_groups：method='fisher'" in error.render("zh")


def test_notes_of_the_overall_rate_say_themselves_in_chinese():
    overall = sa.Survey(_weighted()).overall()
    assert isinstance(overall.naive.note, Note)
    assert overall.naive.note == "treats responses as independent; too narrow when items differ"
    assert overall.naive.note.render("zh") == "视每个回答相互独立；事项之间有差异时区间过窄"
    # Three items: the mean of items also says it rests on few items.
    assert overall.mean_of_items.note.render("zh") == ("每个事项计一次；跨事项的 t 区间；只有 3 个事项（不超过 10 个）："
                                                       "事项满意率平均及其 t 区间所依据的事项很少")


def test_joined_notes_use_the_language_separator():
    both = join_notes(Note("estimate.rates.items_as_strata"), Note("estimate.rates.count_range"))
    assert both == ("items as strata (a census of items): only respondents within items are "
                    "sampled; counts from rounded percentages: interval over their range")
    assert both.render("zh") == ("事项作为层（事项普查）：只对事项内的受访者抽样；"
                                 "计数由四舍五入的百分比推得：区间覆盖计数的可能范围")


def test_a_group_test_note_renders_its_option_as_a_keyword():
    import pandas as pd

    counts = pd.DataFrame({"category": ["a", "b"], "n": [6, 5], "satisfied": [5, 1]})
    result = sa.compare_groups(counts, method="chi2")
    assert "method='fisher'" in result.note
    assert "可考虑 method='fisher'" in result.note.render("zh")


def _weighted():
    import pandas as pd

    return pd.DataFrame({"item_id": list("AAABBBCCC"), "scale": "yes_no",
                         "rank": [1, 1, 2, 1, 1, 1, 1, 2, 2],
                         "weight": [1.0, 2.0, 1.0, 1.0, 1.5, 1.0, 2.0, 1.0, 1.0]})
