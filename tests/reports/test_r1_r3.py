"""The demo's R1–R3 report reproduces the figures of 資料2 (令和4年3月28日)."""
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from renkei.reports.selectors import build_report
from tests.records.factories import api_key

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo(settings):
    settings.DEMO = True
    call_command("load_demo")


def cell(fy, item):
    return build_report(2019, 2021).cells[(fy, item)].activities


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
    report = build_report(2019, 2021)
    assert report.figure(2020, "records.consultations").source == "資料2（令和4年3月28日）"


def test_the_excel_of_r1_r3_has_the_seed_figures(client, login):
    from renkei.core.models import User

    login(User.objects.get(username="staff"))
    r = client.get(reverse("reports:annual_xlsx"), {"from_fy": 2019, "to_fy": 2021})
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet.cell(row=3, column=3).value == "令和元年度の実績"
    text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    for figure in ["605件", "637件", "659件", "203件", "276件", "170件", "147名", "77名", "110名", "291名", "50名", "165名", "704名", "118名", "104名"]:
        assert figure in text


def test_the_api_of_r1_r3_has_the_seed_figures(client):
    from renkei.core.models import User

    key = api_key(User.objects.get(username="staff"))
    body = client.get("/api/v1/reports/annual", {"from_fy": 2019, "to_fy": 2021}, HTTP_AUTHORIZATION=f"Bearer {key}").json()
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
    from renkei.records.models import Consultation

    fy = fiscal_year(timezone.localdate())
    report = build_report(fy, fy)
    counted = Consultation.objects.filter(received_on__gte=f"{fy}-04-01").count()
    assert counted and report.figure(fy, "records.consultations").value == counted
    assert report.figure(fy, "records.consultations").source == "記録から集計"


def test_loading_the_demo_twice_gives_the_same_data():
    from renkei.records.models import BodyMember, Consultation, Event
    from renkei.reports.models import HistoricalFigure, ReportLine

    counts = [m.objects.count() for m in (BodyMember, Consultation, Event, HistoricalFigure, ReportLine)]
    call_command("load_demo")
    assert [m.objects.count() for m in (BodyMember, Consultation, Event, HistoricalFigure, ReportLine)] == counts
