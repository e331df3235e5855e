"""One city's report: the page, Excel, PDF and API count that city's records, name the city, refuse another
city as a missing one (404) and ask staff of several cities to name one (422 in the API); the cached JSON is
kept per city; lines and historical figures belong to one city."""
import datetime
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from renkei.reports.models import HistoricalFigure, ReportLine
from tests.factories import api_key

from .helpers import FUCHU, MITAKA, MUSASHINO, city, consultation, staff_of

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/annual"
YEARS = {"from_fy": 2025, "to_fy": 2025}


def api(client, user, **params):
    return client.get(URL, {**YEARS, **params}, HTTP_AUTHORIZATION=f"Bearer {api_key(user)}")


def consultations(body):
    figures = [f for item in body["years"][0]["items"] for f in item["figures"]]
    return next((f["value"] for f in figures if f["key"] == "records.consultations"), 0)


@pytest.fixture
def records():
    consultation(MUSASHINO, datetime.date(2025, 5, 1))
    consultation(MUSASHINO, datetime.date(2025, 6, 1))
    consultation(MITAKA, datetime.date(2025, 6, 1))


def test_the_api_counts_the_caller_s_only_city(client, records):
    body = api(client, staff_of(MITAKA)).json()
    assert (body["municipality"], body["municipality_name"], consultations(body)) == (MITAKA, "三鷹市", 1)


def test_the_api_counts_the_named_city(client, records):
    body = api(client, staff_of(MUSASHINO, MITAKA), municipality=MUSASHINO).json()
    assert (body["municipality"], consultations(body)) == (MUSASHINO, 2)


def test_another_city_answers_404_as_a_missing_one(client, records):
    assert api(client, staff_of(MUSASHINO), municipality=MITAKA).status_code == 404
    assert api(client, staff_of(MUSASHINO), municipality="99999").status_code == 404


def test_staff_of_several_cities_must_name_one(client):
    r = api(client, staff_of(MUSASHINO, MITAKA))
    assert r.status_code == 422 and "municipality" in str(r.json()["detail"])


def test_a_coordinator_gets_the_report_of_their_city(client, records):
    from .helpers import coordinator_of

    assert consultations(api(client, coordinator_of(MITAKA)).json()) == 1


def test_one_more_consultation_in_mitaka_changes_only_mitaka_s_report(client, records, settings):
    settings.REPORT_API_CACHE_SECONDS = 0
    user = staff_of(MUSASHINO, MITAKA)
    before = {c: consultations(api(client, user, municipality=c).json()) for c in (MUSASHINO, MITAKA)}
    consultation(MITAKA, datetime.date(2025, 9, 1))
    after = {c: consultations(api(client, user, municipality=c).json()) for c in (MUSASHINO, MITAKA)}
    assert after == {MUSASHINO: before[MUSASHINO], MITAKA: before[MITAKA] + 1}


def test_the_cached_report_of_one_city_is_never_served_for_another(client, records, settings):
    settings.REPORT_API_CACHE_SECONDS = 30
    cache.clear()
    user = staff_of(MUSASHINO, MITAKA)
    first = consultations(api(client, user, municipality=MUSASHINO).json())
    second = consultations(api(client, user, municipality=MITAKA).json())
    cache.clear()
    assert (first, second) == (2, 1)


def test_the_page_shows_the_city_s_name_and_counts(client, login, records):
    login(staff_of(MITAKA))
    r = client.get(reverse("reports:annual"), YEARS)
    html = r.content.decode()
    assert "三鷹市" in html and "相談実績 1件" in html and 'name="municipality"' in html


def test_the_page_of_another_city_is_404(client, login):
    login(staff_of(MUSASHINO))
    assert client.get(reverse("reports:annual"), {**YEARS, "municipality": MITAKA}).status_code == 404


def test_staff_of_several_cities_choose_the_city_on_the_page(client, login, records):
    login(staff_of(MUSASHINO, MITAKA))
    first = client.get(reverse("reports:annual"), YEARS)
    chosen = client.get(reverse("reports:annual"), {**YEARS, "municipality": MITAKA})
    assert "<select name=\"municipality\">" in first.content.decode()
    assert first.context["city"].code == MUSASHINO and chosen.context["city"].code == MITAKA
    assert chosen.context["report"].figure(2025, "records.consultations").value == 1


def test_the_excel_title_names_the_city_and_counts_its_records(client, login, records):
    login(staff_of(MUSASHINO, MITAKA))
    r = client.get(reverse("reports:annual_xlsx"), {**YEARS, "municipality": MITAKA})
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet.cell(row=1, column=1).value.startswith("三鷹市")
    assert "相談実績 1件" in sheet.cell(row=8, column=3).value
    assert f"annual-report-{MITAKA}-2025-2025.xlsx" in r["Content-Disposition"]


def test_the_pdf_title_names_the_city(client, login):
    login(staff_of(FUCHU))
    r = client.get(reverse("reports:annual_pdf"), YEARS)
    assert PdfReader(io.BytesIO(r.content)).metadata.title.startswith("府中市")


def test_exports_of_another_city_are_404(client, login):
    login(staff_of(MUSASHINO))
    assert client.get(reverse("reports:annual_pdf"), {**YEARS, "municipality": MITAKA}).status_code == 404


def test_a_line_belongs_to_the_city_it_was_written_for(client, login):
    login(staff_of(MUSASHINO, MITAKA))
    client.post(reverse("reports:lines", args=[2025]) + f"?municipality={MITAKA}", {"item": "a", "text": "行", "order": 1})
    assert ReportLine.objects.get().municipality.code == MITAKA


def test_a_line_of_another_city_is_neither_shown_nor_in_the_report(client, login):
    ReportLine.objects.create(municipality=city(MITAKA), fiscal_year=2025, item="a", text="三鷹の記述", approved=True)
    login(staff_of(MUSASHINO))
    assert "三鷹の記述" not in client.get(reverse("reports:lines", args=[2025])).content.decode()
    assert "三鷹の記述" not in client.get(reverse("reports:annual"), YEARS).content.decode()


def test_a_line_of_another_city_cannot_be_approved_or_deleted(client, login):
    line = ReportLine.objects.create(municipality=city(MITAKA), fiscal_year=2025, item="a", text="行")
    login(staff_of(MUSASHINO))
    for action in ("approve", "delete"):
        assert client.post(reverse("reports:line_action", args=[line.pk]), {"action": action}).status_code == 404
    line.refresh_from_db()
    assert not line.approved


def test_historical_figures_of_another_city_are_not_listed(client, login):
    HistoricalFigure.objects.create(municipality=city(MITAKA), fiscal_year=2018, item="o", key="records.consultations",
                                    label="三鷹の相談実績", value=9, source="x")
    login(staff_of(MUSASHINO))
    assert "三鷹の相談実績" not in client.get(reverse("reports:historical")).content.decode()


def test_a_historical_figure_is_entered_for_a_chosen_city(client, login):
    login(staff_of(MUSASHINO, MITAKA))
    r = client.post(reverse("reports:historical"), {
        "municipality": city(MITAKA).pk, "fiscal_year": 2018, "item": "o", "key": "records.consultations",
        "label": "相談実績", "value": 12, "unit": "件", "source": "事業報告",
    })
    assert r.status_code == 302 and HistoricalFigure.objects.get().municipality.code == MITAKA


def test_a_historical_figure_cannot_be_entered_for_another_city(client, login):
    login(staff_of(MUSASHINO))
    r = client.post(reverse("reports:historical"), {
        "municipality": city(MITAKA).pk, "fiscal_year": 2018, "item": "o", "key": "records.consultations",
        "label": "相談実績", "value": 12, "unit": "件", "source": "事業報告",
    })
    assert r.status_code == 400 and not HistoricalFigure.objects.exists()


def test_the_same_key_may_be_entered_for_two_cities():
    from renkei.reports import services

    user = staff_of(MUSASHINO, MITAKA)
    for code in (MUSASHINO, MITAKA):
        services.add_historical_figure(user=user, data={
            "municipality": city(code), "fiscal_year": 2018, "item": "o", "key": "records.consultations",
            "label": "相談実績", "value": 5, "unit": "件", "source": "x"})
    assert HistoricalFigure.objects.count() == 2


def test_a_historical_figure_counts_only_in_its_city_s_report():
    from renkei.reports.selectors import build_report

    HistoricalFigure.objects.create(municipality=city(MITAKA), fiscal_year=2018, item="o", key="records.consultations",
                                    label="相談実績", value=9, source="x")
    assert build_report(2018, 2018, city(MITAKA)).figure(2018, "records.consultations").value == 9
    assert build_report(2018, 2018, city(MUSASHINO)).figure(2018, "records.consultations") is None


def test_the_page_takes_a_fixed_number_of_queries_for_any_city(client, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(staff_of(MUSASHINO, MITAKA))

    def count(code, rows):
        for _ in range(rows):
            consultation(code, datetime.date(2025, 6, 1))
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("reports:annual"), {**YEARS, "municipality": code})
        return len(ctx)

    assert count(MUSASHINO, 1) == count(MITAKA, 10) <= 50
