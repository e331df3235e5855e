"""Public API: GET /api/v1/facilities and /api/v1/facilities/{id}."""
import pytest

from renkei.core.models import FacilityKind
from renkei.directory.geo import town_centre

from .factories import FacilityFactory, open_on

pytestmark = pytest.mark.django_db
URL = "/api/v1/facilities"
KYONAN = town_centre("境南町二丁目")


def test_search_is_public_and_carries_the_contract_fields(client):
    FacilityFactory(name="API訪問看護")
    body = client.get(URL).json()
    assert body["count"] == 1
    assert {"id", "name", "name_kana", "kind", "address", "lat", "lon", "municipality"} <= set(body["items"][0])


def test_search_filters_by_text_and_kind(client):
    FacilityFactory(name="さくら訪問看護")
    FacilityFactory(name="さくら薬局", kind=FacilityKind.PHARMACY)
    body = client.get(URL, {"q": "サクラ", "kind": "pharmacy"}).json()
    assert [i["name"] for i in body["items"]] == ["さくら薬局"]


def test_search_by_distance_gives_metres(client):
    FacilityFactory(lat=KYONAN[0], lon=KYONAN[1])
    item = client.get(URL, {"lat": KYONAN[0], "lon": KYONAN[1], "radius_m": 500}).json()["items"][0]
    assert item["distance_m"] == 0


def test_lat_without_lon_is_400_json(client):
    response = client.get(URL, {"lat": "35.7"})
    assert response.status_code == 400 and "経度" in response.json()["detail"]


def test_absurd_radius_is_400_json(client):
    response = client.get(URL, {"lat": "35.7", "lon": "139.5", "radius_m": "100000000"})
    assert response.status_code == 400 and "半径" in response.json()["detail"]


def test_bad_limit_is_400(client):
    assert client.get(URL, {"limit": "0"}).status_code == 400


def test_non_numeric_limit_is_422(client):
    assert client.get(URL, {"limit": "many"}).status_code == 422


@pytest.mark.parametrize("rows", [2, 20])
def test_search_runs_a_fixed_number_of_queries(client, rows, django_assert_num_queries):
    FacilityFactory.create_batch(rows)
    with django_assert_num_queries(3):
        assert client.get(URL, {"limit": 50}).json()["count"] == rows


def test_one_facility_with_services_hours_and_updated_date(client):
    facility = open_on(FacilityFactory(), 2)
    body = client.get(f"{URL}/{facility.pk}").json()
    assert body["id"] == facility.pk and body["hours"][0]["day"] == "火曜日"
    assert "services" in body and body["updated_at"]


def test_a_missing_facility_is_404_json(client):
    response = client.get(f"{URL}/999999")
    assert response.status_code == 404 and "detail" in response.json()


def test_answers_are_cached_until_the_data_changes(client):
    facility = FacilityFactory(name="古い名前")
    assert client.get(URL).json()["items"][0]["name"] == "古い名前"
    facility.name = "新しい名前"
    facility.save()
    assert client.get(URL).json()["items"][0]["name"] == "新しい名前"
