"""The one neutraliser of spreadsheet formulas every export uses (CSV cells and Excel cells)."""
import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from renkei.core.exports import put_cell, safe_cell, text_row
from renkei.core.models import Municipality

FORMULA_LIKE = ['=HYPERLINK("http://evil.invalid")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"]


def _reloaded(book):
    out = io.BytesIO()
    book.save(out)
    return load_workbook(io.BytesIO(out.getvalue())).active


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_like_text_gets_a_leading_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-2, 1.5, 0, None, datetime.date(2025, 4, 1), "", "武蔵野市", "a=b", "0422-00-1111"])
def test_numbers_dates_and_plain_text_are_left_as_they_are(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_an_excel_row_keeps_formula_like_text_as_a_text_cell(text):
    book = Workbook()
    text_row(book.active, [text])
    cell = _reloaded(book)["A1"]
    assert (cell.data_type, cell.number_format, cell.quotePrefix) == ("s", "@", True)


def test_an_error_code_is_written_as_text_not_as_an_error():
    book = Workbook()
    put_cell(book.active, row=1, column=1, value="#N/A")
    assert _reloaded(book)["A1"].data_type == "s"


def test_numbers_stay_numbers_in_an_excel_row():
    book = Workbook()
    text_row(book.active, [3, -2.5])
    sheet = _reloaded(book)
    assert (sheet["A1"].value, sheet["B1"].value, sheet["B1"].data_type) == (3, -2.5, "n")


def test_control_characters_excel_cannot_store_are_dropped_instead_of_failing():
    book = Workbook()
    text_row(book.active, ["訪問\x0b看護"])
    assert _reloaded(book)["A1"].value == "訪問看護"


@pytest.mark.django_db
def test_the_member_csv_neutralises_a_formula_like_municipality_name(staff_client):
    Municipality.objects.filter(code="13203").update(name="=HYPERLINK(1)")
    content = staff_client.get("/staff/members/members.csv?date=2023-01-31").content.decode("utf-8-sig")
    assert ",'=HYPERLINK(1)," in content.splitlines()[0]
