"""Issue 14, cases 4-5: ids that print alike are one id (tests/hostile/ids.py builds the files)."""

import pandas as pd
import pytest
from hostile.ids import CASES

from survey_analysis import ResponseFileError, item_rates, load_responses

BUILD = {case.number: case.build for case in CASES}


def test_zero_width_ids_are_one_item(tmp_path):
    tidy = load_responses(BUILD[4](tmp_path))
    # Lines 2-4 are item A1 three ways, lines 5-6 item B1: two items, 3 + 2 answers.
    assert tidy["item_id"].tolist() == ["A1", "A1", "A1", "B1", "B1"]
    # R1 on line 5 carries a zero-width joiner: shown without it.
    assert tidy["respondent_id"].tolist() == ["R1", "R2", "R3", "R1", "R2"]
    rates = item_rates(tidy).set_index("item_id")
    assert rates.loc["A1", ["n", "satisfied"]].tolist() == [3, 2]  # 满意, 不满意, 满意
    notes = " ".join(tidy.attrs["load_report"].notes)
    assert "item id(s) written in several ways were merged" in notes
    assert "'A\\u200b1'" in notes and "-> 'A1'" in notes


def test_full_width_ids_merge_and_reveal_a_duplicate(tmp_path):
    path = BUILD[5](tmp_path)
    # Line 4 is respondent １ (= 1) answering Ａ１ (= A1), which respondent 1 answered on line 2.
    with pytest.raises(ResponseFileError, match="1 duplicate respondent x item row") as info:
        load_responses(path)
    assert info.value.line == 4
    tidy = load_responses(path, duplicates="keep_first")
    report = tidy.attrs["load_report"]
    assert (report.rows_read, report.rows_kept) == (4, 3)
    assert report.exclusions[["source_line", "reason"]].values.tolist() == [[4, "duplicate"]]
    assert sorted(set(tidy["item_id"])) == ["A1", "B1"]


def test_catalogue_matches_by_key(tmp_path):
    # The catalogue writes A1 half-width; the sheet Ａ１ full-width: the same item.
    tidy = load_responses(BUILD[5](tmp_path), duplicates="keep_first",
                          catalogue=pd.DataFrame({"事项编号": ["A1", "B1", "C1"]}))
    report = tidy.attrs["load_report"]
    assert report.unknown_items.empty
    assert any("1 catalogue item(s) have no kept answer: C1" in n for n in report.notes)


def test_case_is_kept_and_plain_ids_untouched():
    sheet = pd.DataFrame({"事项编号": ["a1", "A1", "①"], "受访者": ["x", "y", "z"],
                          "满意度": ["满意", "满意", "满意"]})
    tidy = load_responses(sheet)
    # "a1" and "A1" may be different codes; "①" is kept as written (NFKC only compares).
    assert tidy["item_id"].tolist() == ["a1", "A1", "①"]
    assert tidy.attrs["load_report"].notes == ()


def test_claims_table_without_rows_is_a_clear_error(tmp_path):
    from survey_analysis import read_claims

    path = tmp_path / "claims.csv"
    path.write_text("id,kind,value,qualifier,quote,source\n", encoding="utf-8")
    with pytest.raises(ValueError, match="claims.csv: the claims table has a header and no claim"):
        read_claims(path)
