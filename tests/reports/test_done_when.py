"""Done when: staff enter a new fiscal year's consultations, an event with attendance and a council meeting,
and the annual report for that year counts them in the page, the Excel file and the API."""
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from renkei.records.models import Body, BodyKind, Consultation, Event
from tests.records.factories import api_key

pytestmark = pytest.mark.django_db

FY = 2025  # a fiscal year without any record yet


@pytest.fixture
def entered(client, staff):
    council = Body.objects.create(kind=BodyKind.COUNCIL, name="テスト市在宅医療・介護連携推進協議会", items=["i"])
    for day, category in [("2025-04-10", "dementia"), ("2025-08-01", "ict"), ("2026-03-31", "end_of_life")]:
        r = client.post(reverse("records:consultation_new"), {
            "received_on": day, "channel": "phone", "asker_profession": "family", "category": category,
            "summary": "相談", "follow_up_status": "none",
        })
        assert r.status_code == 302
    client.post(reverse("records:consultation_new"), {  # the next fiscal year: not counted in FY2025
        "received_on": "2026-04-01", "channel": "phone", "asker_profession": "family", "category": "ict",
        "summary": "翌年度の相談", "follow_up_status": "none",
    })
    r = client.post(reverse("records:event_new"), {
        "title": "看取りを考える多職種研修", "theme": "ACP", "kind": "training", "audience": "professionals",
        "delivery": "online", "status": "held", "starts_on": "2025-10-04", "ends_on": "2025-10-04",
        "participants": "291", "online_accounts": "198",
    })
    assert r.status_code == 302, r.context["form"].errors
    r = client.post(reverse("records:meeting_new"), {
        "body": council.pk, "held_on": "2025-07-28", "title": "第1回", "format": "in_person", "agenda": "議題",
    })
    assert r.status_code == 302
    assert Consultation.objects.count() == 4 and Event.objects.count() == 1
    return council


def test_the_page_counts_them(client, entered):
    r = client.get(reverse("reports:annual"), {"from_fy": FY, "to_fy": FY})
    html = r.content.decode()
    assert "相談実績 3件" in html
    assert "協議会の開催 1回" in html
    assert "「看取りを考える多職種研修」（研修）参加 198アカウント、291名" in html


def test_the_excel_file_counts_them(client, entered):
    r = client.get(reverse("reports:annual_xlsx"), {"from_fy": FY, "to_fy": FY})
    sheet = load_workbook(io.BytesIO(r.content)).active
    cells = {sheet.cell(row=row, column=1).value: sheet.cell(row=row, column=3).value for row in range(4, 12)}
    assert "相談実績 3件" in cells["(オ)"]
    assert "協議会の開催 1回" in cells["(イ)"]
    assert "198アカウント、291名" in cells["(カ)"]


def test_the_api_counts_them(client, entered, staff):
    r = client.get("/api/v1/reports/annual", {"from_fy": FY, "to_fy": FY}, HTTP_AUTHORIZATION=f"Bearer {api_key(staff)}")
    items = {i["item"]: i for i in r.json()["years"][0]["items"]}
    figures = {f["key"]: f["value"] for item in items.values() for f in item["figures"]}
    assert figures["records.consultations"] == 3
    assert figures["records.council_meetings"] == 1
    assert 291 in figures.values() and 198 in figures.values()
    assert "相談実績 3件" in items["o"]["activities"]


def test_a_narrative_line_takes_the_counted_figure(client, entered, staff):
    client.post(reverse("reports:lines", args=[FY]), {"item": "o", "text": "相談実績 {records.consultations}件", "order": 1})
    from renkei.reports.models import ReportLine

    line = ReportLine.objects.get()
    client.post(reverse("reports:line_action", args=[line.pk]), {"action": "approve"})
    r = client.get(reverse("reports:annual"), {"from_fy": FY, "to_fy": FY})
    assert r.context["report"].cells[(FY, "o")].activities == ["相談実績 3件"]
