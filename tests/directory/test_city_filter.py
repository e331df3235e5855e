"""The directory spans the area: every city of RENKEI_AREA_MUNICIPALITY_CODES by default, one city on request
(`municipality`, a code or a name) on the search page, the map data and the API alike."""
import pytest
from django.urls import reverse

from renkei.core.models import Municipality
from renkei.directory import selectors
from tests.factories import city

from .factories import FacilityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    """One facility in Musashino, Mitaka and Fuchu, and one in a city outside the area."""
    outside = Municipality.objects.create(code="13101", name="千代田区", name_kana="ちよだく")
    return {
        "13203": FacilityFactory(name="武蔵野の訪問看護", municipality=city("13203")),
        "13204": FacilityFactory(name="三鷹の訪問看護", municipality=city("13204"), address="東京都三鷹市下連雀1-1-1"),
        "13206": FacilityFactory(name="府中の訪問看護", municipality=city("13206"), address="東京都府中市宮西町1-1"),
        "13101": FacilityFactory(name="圏域外の訪問看護", municipality=outside, address="東京都千代田区1-1"),
    }


def names(result):
    return sorted(f.name for f in result.items)


def test_a_search_covers_every_city_of_the_area_by_default(area):
    assert names(selectors.search(selectors.parse_params({}))) == ["三鷹の訪問看護", "府中の訪問看護", "武蔵野の訪問看護"]


@pytest.mark.parametrize("value", ["13204", "三鷹市", "三鷹", " 13204 "])
def test_one_city_by_code_or_name(area, value):
    assert names(selectors.search(selectors.parse_params({"municipality": value}))) == ["三鷹の訪問看護"]


@pytest.mark.parametrize("value", ["13101", "千代田区", "99999", "三鷹市役所", "武"])
def test_a_city_outside_the_area_or_unknown_is_refused_with_the_areas_names(area, value):
    with pytest.raises(selectors.SearchError, match="武蔵野市、三鷹市、府中市、調布市、小金井市、狛江市のいずれか"):
        selectors.parse_params({"municipality": value})


def test_the_area_follows_the_setting(area, settings):
    settings.RENKEI_AREA_MUNICIPALITY_CODES = ["13204", "13206"]
    assert names(selectors.search(selectors.parse_params({}))) == ["三鷹の訪問看護", "府中の訪問看護"]
    with pytest.raises(selectors.SearchError):
        selectors.parse_params({"municipality": "13203"})


def test_a_code_costs_no_query_a_name_one(area, django_assert_num_queries):
    with django_assert_num_queries(0):
        selectors.parse_params({"municipality": "13206"})
    with django_assert_num_queries(1):
        selectors.parse_params({"municipality": "府中市"})


def test_the_search_page_lists_one_city_on_request(client, area):
    html = client.get(reverse("directory:search"), {"municipality": "13204"}).content.decode()
    assert "三鷹の訪問看護" in html and "武蔵野の訪問看護" not in html and "府中の訪問看護" not in html


def test_the_search_page_lists_the_whole_area_by_default(client, area):
    html = client.get(reverse("directory:search")).content.decode()
    assert all(name in html for name in ["三鷹の訪問看護", "府中の訪問看護", "武蔵野の訪問看護"])
    assert "圏域外の訪問看護" not in html


def test_the_search_page_offers_the_six_cities_in_the_areas_order(client, area):
    html = client.get(reverse("directory:search")).content.decode()
    select = html[html.index('name="municipality"'):]
    select = select[:select.index("</select>")]
    positions = [select.index(f'value="{code}"') for code in ["13203", "13204", "13206", "13208", "13210", "13219"]]
    assert positions == sorted(positions) and "圏域のすべての市" in select and "13101" not in select


def test_the_search_page_explains_an_unknown_city(client, area):
    response = client.get(reverse("directory:search"), {"municipality": "千代田区"})
    assert response.status_code == 400 and "のいずれか（名称または団体コード）で指定してください" in response.content.decode()


def test_the_map_data_shows_one_city_on_request(client, area):
    items = client.get(reverse("directory:map_data"), {"municipality": "三鷹市"}).json()["items"]
    assert [item["name"] for item in items] == ["三鷹の訪問看護"]


def test_the_map_data_shows_the_whole_area_by_default(client, area):
    items = client.get(reverse("directory:map_data")).json()["items"]
    assert sorted(item["name"] for item in items) == ["三鷹の訪問看護", "府中の訪問看護", "武蔵野の訪問看護"]


def test_the_map_data_refuses_an_unknown_city_with_400_json(client, area):
    response = client.get(reverse("directory:map_data"), {"municipality": "99999"})
    assert response.status_code == 400 and "いずれか" in response.json()["detail"]


def test_the_api_searches_one_city_on_request(client, area):
    body = client.get("/api/v1/facilities", {"municipality": "13206"}).json()
    assert body["count"] == 1 and body["items"][0]["municipality"] == "府中市"
    assert body["items"][0]["municipality_code"] == "13206"


def test_the_api_searches_the_whole_area_by_default(client, area):
    body = client.get("/api/v1/facilities").json()
    assert sorted(item["municipality_code"] for item in body["items"]) == ["13203", "13204", "13206"]


def test_the_api_refuses_an_unknown_city_with_400(client, area):
    response = client.get("/api/v1/facilities", {"municipality": "千代田区"})
    assert response.status_code == 400 and "いずれか" in response.json()["detail"]
