"""Done when: a new fiscal year's consultations, an event with attendance and a council meeting of the city
are recorded, and the city's annual report for that year counts them in the page, the Excel file and the API."""
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from renkei.records.models import Consultation, Event
from tests.factories import api_key

from .helpers import consultation, council, event, meeting

pytestmark = pytest.mark.django_db

FY = 2025  # a fiscal year without any record yet


@pytest.fixture
def entered(staff_client):
    """The year's records of Musashino, as the records pages store them (the pages themselves are tested in
    tests/records): three consultations of FY2025 and one of FY2026, an online training with its attendance,
    a council meeting."""
    body = council()
    for day, category in [("2025-04-10", "dementia"), ("2025-08-01", "ict"), ("2026-03-31", "end_of_life")]:
        consultation(received_on=datetime.date.fromisoformat(day), category=category)
    consultation(received_on=datetime.date(2026, 4, 1), category="ict")  # the next fiscal year: not in FY2025
    event(title="看取りを考える多職種研修", starts_on=datetime.date(2025, 10, 4), participants=291, online_accounts=198,
          delivery="online")
    meeting(body, held_on=datetime.date(2025, 7, 28))
    assert Consultation.objects.count() == 4 and Event.objects.count() == 1
    return body


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


def test_the_api_counts_them(staff_client, entered, staff):
    r = staff_client.get("/api/v1/reports/annual", {"from_fy": FY, "to_fy": FY}, HTTP_AUTHORIZATION=f"Bearer {api_key(staff)}")
    items = {i["item"]: i for i in r.json()["years"][0]["items"]}
    figures = {f["key"]: f["value"] for item in items.values() for f in item["figures"]}
    assert figures["records.consultations"] == 3
    assert figures["records.council_meetings"] == 1
    assert 291 in figures.values() and 198 in figures.values()
    assert "相談実績 3件" in items["o"]["activities"]


def test_a_narrative_line_takes_the_counted_figure(staff_client, entered):
    staff_client.post(reverse("reports:lines", args=[FY]), {"item": "o", "text": "相談実績 {records.consultations}件", "order": 1})
    from renkei.reports.models import ReportLine

    line = ReportLine.objects.get()
    staff_client.post(reverse("reports:line_action", args=[line.pk]), {"action": "approve"})
    r = staff_client.get(reverse("reports:annual"), {"from_fy": FY, "to_fy": FY})
    assert r.context["report"].cells[(FY, "o")].activities == ["相談実績 3件"]
