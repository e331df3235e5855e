"""Exports: CSV (UTF-8 BOM, Shift_JIS), Excel, and the HSDS 3.1 data package checked in every clone against the
specification's tables (field names, required fields, formats and fixed values: tests/directory/hsds_rules.json)."""
import csv
import io
import json
import re
import uuid
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from openpyxl import load_workbook

from renkei.directory.models import Organization

from .factories import FacilityFactory, open_on, with_capabilities

pytestmark = pytest.mark.django_db

# The specification's tables as data: their "_about" says where the facts come from.
TABLES = {name: rules for name, rules in json.loads((Path(__file__).parent / "hsds_rules.json").read_text("utf-8")).items()
          if name != "_about"}
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _problems(table, row):
    """What in one CSV row breaks the HSDS table's rules (empty cells are absent values)."""
    rules = TABLES[table]
    found = [f"{name} is required" for name in rules["required"] if not row.get(name)]
    for name, value in row.items():
        if not value:
            continue
        if name in rules.get("uuid", ()):
            try:
                uuid.UUID(value)
            except ValueError:
                found.append(f"{name} is not a uuid: {value}")
        if name in rules.get("enum", {}) and value not in rules["enum"][name]:
            found.append(f"{name} is not one of {rules['enum'][name]}: {value}")
        if name in rules.get("number", ()) and not NUMBER.match(value):
            found.append(f"{name} is not a number: {value}")
        if name in rules.get("datetime", ()) and parse_datetime(value) is None:
            found.append(f"{name} is not a date-time: {value}")
        for key, validator in (("uri", URLValidator()), ("email", EmailValidator())):
            if name in rules.get(key, ()):
                try:
                    validator(value)
                except ValidationError:
                    found.append(f"{name} is not a {key}: {value}")
    return found


def test_the_rules_catch_what_the_specification_forbids():
    assert _problems("service", {"id": "x", "name": "", "status": "open"}) == [
        "name is required", "id is not a uuid: x", "status is not one of "
        "['active', 'inactive', 'defunct', 'temporarily closed']: open"]


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


def test_hsds_package_follows_the_specifications_tables(client, entries):
    archive = _package(client)
    descriptor = json.loads(archive.read("datapackage.json"))
    checked = 0
    for resource in descriptor["resources"]:
        fields = [f["name"] for f in resource["schema"]["fields"]]
        assert set(fields) <= set(TABLES[resource["name"]]["fields"]), resource["name"]
        for row in csv.DictReader(io.StringIO(archive.read(resource["path"]).decode())):
            assert not _problems(resource["name"], row), (resource["name"], row, _problems(resource["name"], row))
            checked += 1
    assert checked >= 10


@pytest.mark.parametrize("rows", [2, 20])
def test_export_runs_a_fixed_number_of_queries(client, rows, django_assert_num_queries):
    FacilityFactory.create_batch(rows)
    with django_assert_num_queries(5):  # facilities, capabilities, schedules, services, areas
        client.get(reverse("directory:export", args=["csv"]))
