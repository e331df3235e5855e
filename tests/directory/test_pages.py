"""Public pages: search, map, map data, detail, print list; no login needed; fixed query counts."""
import gzip
import json

import pytest
from django.urls import reverse

from renkei.core.models import FacilityKind
from renkei.directory.geo import town_centre

from .factories import FacilityFactory, open_on, with_capabilities

pytestmark = pytest.mark.django_db
KICHIJOJI = town_centre("吉祥寺本町")


def test_search_page_is_public_and_lists_facilities(client):
    FacilityFactory(name="公開の訪問看護")
    response = client.get(reverse("directory:search"))
    assert response.status_code == 200 and "公開の訪問看護" in response.content.decode()


def test_search_page_shows_the_attribution(client):
    assert "医療情報ネット" in client.get(reverse("directory:search")).content.decode()


def test_search_page_labels_fictional_facilities(client):
    FacilityFactory(name="（架空）テスト", is_fictional=True)
    assert "架空（デモ用）" in client.get(reverse("directory:search")).content.decode()


def test_search_page_shows_a_clear_message_for_bad_input(client):
    response = client.get(reverse("directory:search"), {"lat": "35.7"})
    assert response.status_code == 400 and "両方指定" in response.content.decode()


@pytest.mark.parametrize("rows", [2, 20])
def test_search_page_runs_a_fixed_number_of_queries(client, rows, django_assert_num_queries):
    for _ in range(rows):
        with_capabilities(FacilityFactory(), "home_visit")
    with django_assert_num_queries(4):  # municipalities (form), counts per kind, page, capabilities
        client.get(reverse("directory:search"), {"capability": "home_visit"})


def test_map_page_uses_local_leaflet_and_the_tile_setting(client, settings):
    settings.MAP_TILE_URL = "https://tiles.example.invalid/{z}/{x}/{y}.png"
    html = client.get(reverse("directory:map")).content.decode()
    assert "directory/vendor/leaflet/leaflet.js" in html and "tiles.example.invalid" in html
    assert "unpkg" not in html and "cdn" not in html.lower()


def test_map_page_still_lists_the_results_for_use_without_tiles(client):
    FacilityFactory(name="一覧にも出る事業所")
    assert "一覧にも出る事業所" in client.get(reverse("directory:map")).content.decode()


def test_map_data_returns_points_with_colour_and_detail_link(client):
    facility = FacilityFactory(kind=FacilityKind.DENTAL)
    item = client.get(reverse("directory:map_data")).json()["items"][0]
    assert item["url"] == reverse("directory:detail", args=[facility.pk]) and item["colour"].startswith("#")


def test_map_data_is_sent_gzipped_to_clients_that_accept_it(client):
    FacilityFactory.create_batch(3)
    plain = client.get(reverse("directory:map_data"))
    packed = client.get(reverse("directory:map_data"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(packed.content)) == plain.json() and plain.json()["count"] == 3
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]


@pytest.mark.parametrize("header", ["gzip;q=0", "identity", "br", ""])
def test_map_data_is_plain_where_gzip_is_not_accepted(client, header):
    FacilityFactory()
    response = client.get(reverse("directory:map_data"), HTTP_ACCEPT_ENCODING=header)
    assert "Content-Encoding" not in response and response.json()["count"] == 1


def test_map_data_refuses_bad_input_with_json(client):
    response = client.get(reverse("directory:map_data"), {"lat": "1"})
    assert response.status_code == 400 and "detail" in response.json()


@pytest.mark.parametrize("rows", [2, 20])
def test_map_data_runs_one_query(client, rows, django_assert_num_queries):
    FacilityFactory.create_batch(rows)
    with django_assert_num_queries(1):
        assert client.get(reverse("directory:map_data")).json()["count"] == rows


def test_dental_clinics_near_kichijoji_honcho_that_visit_homes_on_the_public_map(client):
    visiting = FacilityFactory(name="訪問歯科", kind=FacilityKind.DENTAL, lat=KICHIJOJI[0], lon=KICHIJOJI[1])
    with_capabilities(visiting, "dental_home_visit")
    FacilityFactory(name="外来のみ歯科", kind=FacilityKind.DENTAL, lat=KICHIJOJI[0], lon=KICHIJOJI[1])
    query = {"near": "吉祥寺本町", "kind": "dental", "capability": "dental_home_visit"}
    points = client.get(reverse("directory:map_data"), query).json()["items"]
    html = client.get(reverse("directory:map"), query, HTTP_USER_AGENT="Mozilla/5.0 (iPhone)").content.decode()
    assert [p["name"] for p in points] == ["訪問歯科"] and "訪問歯科" in html and "外来のみ歯科" not in html


def test_detail_page_shows_hours_phone_and_capabilities(client):
    facility = with_capabilities(FacilityFactory(phone="0422-11-2222"), "around_the_clock")
    open_on(facility, 1, 6)
    html = client.get(reverse("directory:detail", args=[facility.pk])).content.decode()
    assert "0422-11-2222" in html and "24時間対応" in html and "土曜日" in html


def test_detail_of_a_missing_facility_is_404(client):
    assert client.get(reverse("directory:detail", args=[999999])).status_code == 404


def test_print_list_shows_every_match_on_one_page(client):
    FacilityFactory.create_batch(25)
    html = client.get(reverse("directory:print")).content.decode()
    assert html.count("<tr>") == 26


def test_the_navigation_links_the_directory(client):
    assert reverse("directory:search") in client.get(reverse("directory:search")).content.decode()


def test_map_near_a_station_lists_what_is_close_to_it(client):
    FacilityFactory(name="駅前の訪問看護", lat=35.7030, lon=139.5800)
    FacilityFactory(name="遠くの訪問看護", lat=35.6500, lon=139.4800)
    html = client.get(reverse("directory:map"), {"near": "吉祥寺駅", "radius_m": "1000"}).content.decode()
    assert "駅前の訪問看護" in html and "遠くの訪問看護" not in html and "吉祥寺駅から" in html


def test_near_that_names_several_places_offers_each_as_a_link(client):
    html = client.get(reverse("directory:map"), {"near": "緑町"}).content.decode()
    assert "near=%E5%BA%9C%E4%B8%AD%E5%B8%82%E7%B7%91%E7%94%BA" in html  # 府中市緑町


def test_an_unknown_near_is_explained_next_to_the_field(client):
    html = client.get(reverse("directory:map"), {"near": "存在しない場所"}).content.decode()
    assert 'id="near-error"' in html and 'aria-describedby="near-help near-error"' in html


@pytest.mark.parametrize("page", ["directory:map", "directory:search"])
def test_the_filters_stay_open_when_near_is_not_understood(client, page):
    html = client.get(reverse(page), {"near": "存在しない場所"}).content.decode()
    assert "<details open>" in html


def test_facility_kinds_are_tick_boxes(client):
    html = client.get(reverse("directory:search")).content.decode()
    assert 'type="checkbox" name="kind" value="pharmacy"' in html


def test_near_a_facility_of_the_directory_by_its_name(client):
    FacilityFactory(name="武蔵野赤十字病院", kind=FacilityKind.HOSPITAL, lat=35.6990, lon=139.5480)
    FacilityFactory(name="病院の隣の薬局", kind=FacilityKind.PHARMACY, lat=35.6995, lon=139.5482)
    html = client.get(reverse("directory:search"), {"near": "武蔵野赤十字病院", "radius_m": "500"}).content.decode()
    assert "病院の隣の薬局" in html and "武蔵野赤十字病院から" in html


def test_detail_page_says_in_plain_words_what_the_open_data_lacks(client):
    facility = FacilityFactory(phone="", lat=None, lon=None)
    html = client.get(reverse("directory:detail", args=[facility.pk])).content.decode()
    assert "電話番号は国の公開データに掲載がありません" in html and "営業日・診療時間は国の公開データに掲載がありません" in html
    assert "地図上の位置は国の公開データに掲載がないため" in html
