"""Exports: CSV (UTF-8 BOM, Shift_JIS), Excel, and the HSDS 3.1 data package validated against the official schemas
(shipped in tests/directory/hsds under their CC BY-SA 4.0 licence, see its README)."""
import csv
import io
import json
import zipfile
from pathlib import Path

import jsonschema
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from renkei.directory.models import Organization

from .factories import FacilityFactory, open_on, with_capabilities

pytestmark = pytest.mark.django_db

SCHEMA_DIR = Path(__file__).parent / "hsds"


@pytest.fixture
def entries():
    facility = with_capabilities(FacilityFactory(name="書き出し訪問看護", phone="0422-00-1111"), "around_the_clock")
    open_on(facility, 1, 8)
    corporation = Organization.objects.create(corporation_number="1234567890123", name="テスト法人")
    facility.profile.languages = "英語"
    facility.profile.organization = corporation
    facility.profile.save()
    second = FacilityFactory(name="同じ法人の通所介護", kind="day_care")
    second.profile.organization = corporation
    second.profile.save()
    return [facility, second]


def test_hsds_package_has_one_organization_per_corporation(client, entries):
    rows = list(csv.DictReader(io.StringIO(_package(client).read("organizations.csv").decode())))
    assert [r["name"] for r in rows] == ["テスト法人"]


def test_csv_is_utf8_with_bom(client, entries):
    content = client.get(reverse("directory:export", args=["csv"])).content
    assert content.startswith(b"\xef\xbb\xbf") and "書き出し訪問看護" in content.decode("utf-8-sig")


def test_shift_jis_csv_opens_in_excel(client, entries):
    content = client.get(reverse("directory:export", args=["csv-sjis"])).content
    rows = list(csv.reader(io.StringIO(content.decode("cp932"))))
    assert rows[0][1] == "名称" and rows[1][1] == "書き出し訪問看護"


def test_excel_has_the_entries_and_the_attribution(client, entries):
    book = load_workbook(io.BytesIO(client.get(reverse("directory:export", args=["xlsx"])).content))
    assert book["資源マップ"]["B2"].value == "書き出し訪問看護" and "出典" in book.sheetnames


def test_unknown_format_is_404(client):
    assert client.get(reverse("directory:export", args=["pdf"])).status_code == 404


def _package(client):
    data = client.get(reverse("directory:export", args=["hsds"])).content
    return zipfile.ZipFile(io.BytesIO(data))


def test_hsds_package_lists_every_csv(client, entries):
    archive = _package(client)
    descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["profile"] == "tabular-data-package"
    assert {r["path"] for r in descriptor["resources"]} <= set(archive.namelist())


def test_hsds_package_validates_against_the_official_schemas(client, entries):
    archive = _package(client)
    descriptor = json.loads(archive.read("datapackage.json"))
    checked = 0
    for resource in descriptor["resources"]:
        schema = json.loads((SCHEMA_DIR / f"{resource['name']}.json").read_text())
        fields = [f["name"] for f in resource["schema"]["fields"]]
        assert set(fields) <= set(schema["properties"]), resource["name"]
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        for row in csv.DictReader(io.StringIO(archive.read(resource["path"]).decode())):
            record = {}
            for key, value in row.items():
                if value == "" and key not in schema.get("required", []):
                    continue
                record[key] = float(value) if schema["properties"][key].get("type") == "number" else value
            errors = [e.message for e in validator.iter_errors(record)]
            assert not errors, (resource["name"], record, errors)
            checked += 1
    assert checked >= 10


@pytest.mark.parametrize("rows", [2, 20])
def test_export_runs_a_fixed_number_of_queries(client, rows, django_assert_num_queries):
    FacilityFactory.create_batch(rows)
    with django_assert_num_queries(5):  # facilities, capabilities, schedules, services, areas
        client.get(reverse("directory:export", args=["csv"]))
