"""The demo's R1–R3 report of Musashino (13203) reproduces the figures of 資料2 (令和4年3月28日); Mitaka's
report of the same years holds only Mitaka's records."""
import datetime
import importlib
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from renkei.reports.selectors import build_report
from tests.factories import api_key

from .helpers import MITAKA, city, consultation, staff_of

pytestmark = pytest.mark.django_db

# The demo parts 資料2's R1–R3 figures and lines come from: the accounts and members, and the report's own
# seed (reports/demo.py: historical figures and approved lines, all Musashino's).
DEMO_PARTS = ["core", "reports"]


def load_demo():
    for part in DEMO_PARTS:
        importlib.import_module(f"renkei.{part}.demo").load()


@pytest.fixture(autouse=True)
def demo(settings):
    settings.DEMO = True
    load_demo()


def cell(fy, item, code="13203"):
    return build_report(2019, 2021, city(code)).cells[(fy, item)].activities


@pytest.mark.parametrize("fy, count", [(2019, 605), (2020, 637), (2021, 659)])
def test_ict_registrations(fy, count):
    assert any(line.startswith(f"ICT連携登録数 {count}件") for line in cell(fy, "e"))


@pytest.mark.parametrize("fy, count", [(2019, 203), (2020, 276), (2021, 170)])
def test_consultations(fy, count):
    assert any(line.startswith(f"相談実績 {count}件") for line in cell(fy, "o"))


@pytest.mark.parametrize("fy, count", [(2019, 3), (2020, 2), (2021, 2)])
def test_council_meetings(fy, count):
    assert f"協議会の開催（{count}回開催）" in cell(fy, "i")


def test_trainings_of_r1():
    assert cell(2019, "ka")[1:3] == ["①事前研修(講演会) 147名参加", "②合同グループワーク 77名参加"]


def test_the_online_training_of_r3_counts_accounts_and_persons():
    assert "198アカウント、291名参加" in cell(2021, "ka")[0]


def test_outreach_of_r1():
    assert "「ケアリンピック武蔵野2019」704名参加" in cell(2019, "ki")


def test_regional_cooperation_of_r2_was_written():
    assert "東京都在宅療養担当者連絡会(書面開催)" in cell(2020, "ku")


def test_historical_figures_carry_their_source():
    report = build_report(2019, 2021, city())
    assert report.figure(2020, "records.consultations").source == "資料2（令和4年3月28日）"


def test_the_excel_of_r1_r3_has_the_seed_figures(client, login):
    login(staff_of())
    r = client.get(reverse("reports:annual_xlsx"), {"from_fy": 2019, "to_fy": 2021})
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet.cell(row=3, column=3).value == "令和元年度の実績"
    text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    for figure in ["605件", "637件", "659件", "203件", "276件", "170件", "147名", "77名", "110名", "291名", "50名", "165名", "704名", "118名", "104名"]:
        assert figure in text


def test_the_api_of_r1_r3_has_the_seed_figures(client):
    key = api_key(staff_of())
    body = client.get("/api/v1/reports/annual", {"municipality": "13203", "from_fy": 2019, "to_fy": 2021},
                      HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert (body["municipality"], body["municipality_name"]) == ("13203", "武蔵野市")
    values = {
        (year["fiscal_year"], f["key"]): f["value"]
        for year in body["years"] for item in year["items"] for f in item["figures"]
    }
    assert values[(2019, "network.registered_members")] == 605
    assert values[(2021, "records.consultations")] == 170
    assert [y["label"] for y in body["years"]] == ["令和元年度", "令和2年度", "令和3年度"]


def test_the_current_year_counts_real_records():
    from django.utils import timezone

    from renkei.core.wareki import fiscal_year

    fy = fiscal_year(timezone.localdate())
    consultation(received_on=timezone.localdate())
    consultation(received_on=timezone.localdate())
    report = build_report(fy, fy, city())
    assert report.figure(fy, "records.consultations").value == 2
    assert report.figure(fy, "records.consultations").source == "記録から集計"
    assert "相談実績 2件" in report.cells[(fy, "o")].activities  # the demo's line of this year takes the count


def test_loading_the_demo_twice_gives_the_same_data():
    from renkei.reports.models import HistoricalFigure, ReportLine

    counts = [m.objects.count() for m in (HistoricalFigure, ReportLine)]
    load_demo()
    assert [m.objects.count() for m in (HistoricalFigure, ReportLine)] == counts


def test_the_seed_belongs_to_musashino():
    from renkei.reports.models import HistoricalFigure, ReportLine

    assert set(HistoricalFigure.objects.values_list("municipality__code", flat=True)) == {"13203"}
    assert set(ReportLine.objects.values_list("municipality__code", flat=True)) == {"13203"}


@pytest.mark.parametrize("item", ["a", "i", "u", "e", "o", "ka", "ki", "ku"])
def test_mitaka_s_report_of_r1_r3_has_none_of_musashino_s_lines_or_figures(item):
    report = build_report(2019, 2021, city(MITAKA))
    for fy in (2019, 2020, 2021):
        assert report.cells[(fy, item)].activities == []
        assert report.cells[(fy, item)].figures == []


def test_a_consultation_of_mitaka_adds_one_to_mitaka_s_count_only():
    consultation(MITAKA, received_on=datetime.date(2020, 6, 1))
    mitaka = build_report(2019, 2021, city(MITAKA)).figure(2020, "records.consultations")
    musashino = build_report(2019, 2021, city()).figure(2020, "records.consultations")
    assert (mitaka.value, mitaka.source) == (1, "記録から集計")
    assert (musashino.value, musashino.source) == (276, "資料2（令和4年3月28日）")


def test_mitaka_s_staff_get_mitaka_s_report_from_the_api_by_default(client):
    key = api_key(staff_of(MITAKA))
    body = client.get("/api/v1/reports/annual", {"from_fy": 2019, "to_fy": 2021},
                      HTTP_AUTHORIZATION=f"Bearer {key}").json()
    values = [f["value"] for year in body["years"] for item in year["items"] for f in item["figures"]]
    assert body["municipality"] == MITAKA and 605 not in values and 276 not in values
