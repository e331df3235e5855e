"""Every directory export writes a facility name that looks like a formula as inert text."""
import csv
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from .factories import FacilityFactory

pytestmark = pytest.mark.django_db

NAMES = ['=HYPERLINK("http://evil.invalid","開く")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"]


@pytest.fixture(params=NAMES)
def name(request):
    FacilityFactory(name=request.param, phone="0422-00-1111")
    return request.param


def _export(client, fmt):
    return client.get(reverse("directory:export", args=[fmt])).content


def _names(rows):
    return [row[1] for row in rows[1:]]


def test_the_csv_export_prefixes_formula_like_names_with_an_apostrophe(client, name):
    rows = list(csv.reader(io.StringIO(_export(client, "csv").decode("utf-8-sig"))))
    assert _names(rows) == ["'" + name]


def test_the_shift_jis_csv_export_prefixes_formula_like_names_with_an_apostrophe(client, name):
    rows = list(csv.reader(io.StringIO(_export(client, "csv-sjis").decode("cp932"))))
    assert _names(rows) == ["'" + name]


def test_the_excel_export_writes_formula_like_names_as_text_cells(client, name):
    cell = load_workbook(io.BytesIO(_export(client, "xlsx")))["資源マップ"]["B2"]
    # XML reads a carriage return back as a line feed.
    expected = name.replace("\r", "\n")
    assert (cell.value, cell.data_type, cell.number_format, cell.quotePrefix) == (expected, "s", "@", True)


def test_the_hsds_package_prefixes_formula_like_names_with_an_apostrophe(client, name):
    archive = zipfile.ZipFile(io.BytesIO(_export(client, "hsds")))
    locations = list(csv.DictReader(io.StringIO(archive.read("locations.csv").decode())))
    assert [row["name"] for row in locations] == ["'" + name]


def test_numbers_stay_numbers_in_the_excel_export(client):
    facility = FacilityFactory(name="普通の名前", lat=35.7, lon=139.5)
    sheet = load_workbook(io.BytesIO(_export(client, "xlsx")))["資源マップ"]
    assert (sheet["A2"].value, sheet["H2"].value, sheet["H2"].data_type) == (facility.pk, 35.7, "n")


def test_plain_names_are_not_changed_in_the_csv_export(client):
    FacilityFactory(name="武蔵野訪問看護-第2")
    rows = list(csv.reader(io.StringIO(_export(client, "csv").decode("utf-8-sig"))))
    assert _names(rows) == ["武蔵野訪問看護-第2"]
