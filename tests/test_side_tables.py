"""Side tables (an item catalogue, a claims file) in Excel or ODS are read by the loader's
hardened reader (issue 14's Excel rules apply to them too), the first row the header."""

import openpyxl
import pytest
from hostile.excel import build_laughs, build_xxe, ods

import survey_analysis as sa
from survey_analysis.load.read import read_table
from survey_analysis.load.report import ResponseFileError


def _catalogue_xlsx(path):
    book = openpyxl.Workbook()
    for row in [["item_id", "item_name", "n"], ["SX001", "户籍 ", 12], [None, None, None],
                ["SX002", None, 3.5]]:
        book.active.append(row)
    book.save(path)
    return path


def test_xlsx_table_first_row_header_blank_rows_dropped(tmp_path):
    table = read_table(_catalogue_xlsx(tmp_path / "catalogue.xlsx"))
    # As the CSV reader gives it: text cells as written, "" when empty, numbers as Excel
    # shows them; the blank row is not a row of the table.
    assert table.to_dict("list") == {"item_id": ["SX001", "SX002"], "item_name": ["户籍 ", ""],
                                     "n": ["12", "3.5"]}


def test_ods_table(tmp_path):
    path = ods(tmp_path / "catalogue.ods", [["item_id", None], ["SX001", "x"], ["SX002", None]])
    assert read_table(path).to_dict("list") == {"item_id": ["SX001", "SX002"], "Unnamed: 1": ["x", ""]}


@pytest.mark.parametrize("build", [build_xxe, build_laughs])
def test_entity_declarations_in_a_side_table_are_refused(tmp_path, build):
    with pytest.raises(ResponseFileError, match="entity declarations"):
        read_table(build(tmp_path))


def test_xlsx_catalogue_in_load_responses(tmp_path):
    answers = tmp_path / "answers.csv"
    answers.write_text("item_id,respondent_id,rating\nSX001,1,满意\nSX003,2,满意\n", encoding="utf-8")
    tidy = sa.load_responses(answers, catalogue=_catalogue_xlsx(tmp_path / "catalogue.xlsx"))
    unknown = tidy.attrs["load_report"].unknown_items
    assert unknown["item_id"].tolist() == ["SX003"]
