"""The annual report's Excel sheet writes its text as text cells, never as formulas."""
import io

import pytest
from openpyxl import load_workbook

from renkei.reports.exports import report_xlsx
from renkei.reports.selectors import build_report

from .helpers import city

pytestmark = pytest.mark.django_db


def test_a_formula_like_municipality_name_is_a_text_cell():
    sheet = load_workbook(io.BytesIO(report_xlsx(build_report(2023, 2023, city()), municipality="=HYPERLINK(1)"))).active
    assert (sheet["A1"].data_type, sheet["A1"].value.startswith("=HYPERLINK(1)"), sheet["A1"].quotePrefix) == ("s", True, True)
