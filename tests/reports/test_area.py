"""The area view: the six cities' figures side by side for one fiscal year (page and API), counts only,
for every municipal staff member and coordinator, with a fixed number of queries whatever the cities."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renkei.core.access import area_municipalities
from renkei.reports.area import area_table
from renkei.reports.models import HistoricalFigure, ReportLine
from tests.factories import UserFactory, api_key

from .helpers import FUCHU, MITAKA, MUSASHINO, city, consultation, coordinator_of, event, regional, staff_of

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/area"


def api(client, user, **params):
    return client.get(URL, params, HTTP_AUTHORIZATION=f"Bearer {api_key(user)}")


def row(body, key):
    found = next((r for r in body["rows"] if r["key"] == key), None)
    return {v["municipality"]: v["value"] for v in found["values"]} if found else None


@pytest.fixture
def records():
    consultation(MUSASHINO, datetime.date(2025, 5, 1))
    consultation(MUSASHINO, datetime.date(2025, 6, 1))
    consultation(MITAKA, datetime.date(2025, 6, 1))
    event(FUCHU, datetime.date(2025, 9, 1), participants=40, title="府中の研修 講師 山田花子")
    event(FUCHU, datetime.date(2025, 10, 1), participants=20, title="二回目")
    regional(MUSASHINO, datetime.date(2025, 6, 1), participants=[MITAKA], title="圏域 連絡会（秘）")


def test_the_api_puts_the_six_cities_side_by_side(client, records):
    body = api(client, staff_of(MITAKA), fy=2025).json()
    assert [m["code"] for m in body["municipalities"]] == ["13203", "13204", "13206", "13208", "13210", "13219"]
    assert row(body, "records.consultations") == {
        "13203": 2, "13204": 1, "13206": 0, "13208": 0, "13210": 0, "13219": 0}
    assert row(body, "records.regional_meetings")["13203"] == row(body, "records.regional_meetings")["13204"] == 1


def test_per_record_figures_are_summed_under_fixed_labels(client, records):
    body = api(client, staff_of(), fy=2025).json()
    assert row(body, "records.training")[FUCHU] == 60 and row(body, "records.training.events")[FUCHU] == 2


def test_no_name_and_no_free_text_is_shown(client, records):
    ReportLine.objects.create(municipality=city(), fiscal_year=2025, item="a", text="承認済みの記述", approved=True)
    text = api(client, staff_of(), fy=2025).content.decode()
    for words in ("山田花子", "府中の研修", "二回目", "連絡会（秘）", "承認済みの記述", "相談内容"):
        assert words not in text
    assert all(":" not in r["key"] for r in api(client, staff_of(), fy=2025).json()["rows"])


def test_a_historical_figure_fills_a_city_without_records(client):
    HistoricalFigure.objects.create(municipality=city(), fiscal_year=2021, item="o", key="records.consultations",
                                    label="相談実績", value=170, source="資料2")
    consultation(MITAKA, datetime.date(2021, 6, 1))
    values = next(r for r in api(client, staff_of(), fy=2021).json()["rows"] if r["key"] == "records.consultations")
    by_city = {v["municipality"]: (v["value"], v["source"]) for v in values["values"]}
    assert by_city[MUSASHINO] == (170, "過去の集計") and by_city[MITAKA] == (1, "記録から集計")


def test_a_coordinator_may_read_it(client):
    assert api(client, coordinator_of(MITAKA), fy=2025).status_code == 200


def test_a_professional_may_not(client):
    assert api(client, UserFactory(), fy=2025).status_code == 403


def test_a_year_out_of_range_is_400(client):
    assert api(client, staff_of(), fy=1900).status_code == 400


def test_the_page_shows_the_cities_and_counts(client, login, records):
    login(staff_of(MITAKA))
    r = client.get(reverse("reports:area"), {"fy": 2025})
    html = r.content.decode()
    assert r.status_code == 200 and all(name in html for name in ("武蔵野市", "三鷹市", "狛江市"))
    assert "相談実績" in html and "山田花子" not in html


def test_a_coordinator_opens_the_page(client, login):
    login(coordinator_of(FUCHU))
    assert client.get(reverse("reports:area"), {"fy": 2025}).status_code == 200


def test_a_professional_cannot_open_the_page(client, login):
    login(UserFactory())
    assert client.get(reverse("reports:area"), {"fy": 2025}).status_code == 403


def test_a_bad_year_on_the_page_is_a_japanese_400(client, login):
    login(staff_of())
    r = client.get(reverse("reports:area"), {"fy": "令和"})
    assert r.status_code == 400 and "年度は西暦（例：2021）または和暦（例：令和3年度）で入力してください。" in r.content.decode()


def test_the_page_reads_a_year_typed_in_wareki(client, login):
    login(staff_of())
    assert client.get(reverse("reports:area"), {"fy": "令和7年度"}).context["form"].cleaned_data["fy"] == 2025


def test_the_view_is_audited(client, login):
    from renkei.core.models import AuditEvent

    login(staff_of())
    client.get(reverse("reports:area"), {"fy": 2025})
    assert AuditEvent.objects.filter(object_type="reports.area", object_id="2025").exists()


def _queries(cities):
    with CaptureQueriesContext(connection) as ctx:
        area_table(2025, cities)
    return len(ctx)


def test_the_queries_do_not_grow_with_the_number_of_cities_or_records(records):
    cities = area_municipalities()
    few = _queries(cities[:2])
    for code in (MITAKA, FUCHU):
        for _ in range(5):
            consultation(code, datetime.date(2025, 7, 1))
    assert few == _queries(cities) <= 35  # 30 before the five of the adoption figures (reports/adoption.py)
