"""Search: free text over name/kana/address, filters, distance, counts per kind, fixed query counts."""
import datetime

import pytest
from django.utils import timezone

from renkei.core.models import FacilityKind
from renkei.directory import selectors
from renkei.directory.geo import normalise, town_centre

from .factories import FacilityFactory, open_on, with_capabilities

pytestmark = pytest.mark.django_db

KICHIJOJI_HONCHO = town_centre("吉祥寺本町")
KYONAN_2 = town_centre("境南町二丁目")


def search(**query):
    return selectors.search(selectors.parse_params(query))


def dental(name, point, *caps):
    facility = FacilityFactory(name=name, name_kana="", kind=FacilityKind.DENTAL, lat=point[0], lon=point[1],
                               address="東京都武蔵野市吉祥寺本町二丁目1-1")
    return with_capabilities(facility, *caps)


def test_normalise_folds_width_and_kana():
    assert normalise("ｷﾁｼﾞｮｳｼﾞ ＡＢＣ１") == normalise("きちじょうじabc1") == "きちじょうじabc1"


def test_text_matches_katakana_name_with_hiragana_query():
    FacilityFactory(name="サクラ訪問看護")
    FacilityFactory(name="けやき薬局", kind=FacilityKind.PHARMACY)
    assert [f.name for f in search(q="さくら").items] == ["サクラ訪問看護"]


def test_text_matches_the_kana_reading_in_half_width():
    FacilityFactory(name="武蔵野訪問看護", name_kana="ムサシノホウモンカンゴ")
    assert search(q="ﾑｻｼﾉ").total == 1


def test_text_matches_the_address():
    FacilityFactory(address="東京都武蔵野市境南町２－１－１")
    FacilityFactory(address="東京都武蔵野市中町１－１－１")
    assert search(q="境南町2").total == 1


def test_kind_filter_and_counts_per_kind():
    FacilityFactory.create_batch(2, kind=FacilityKind.VISITING_NURSING)
    FacilityFactory(kind=FacilityKind.PHARMACY)
    result = search(kind="pharmacy")
    assert result.total == 1
    assert {kind: n for kind, _label, n in result.counts} == {"visiting_nursing": 2, "pharmacy": 1}


def test_town_filter_matches_every_chome_of_a_town():
    FacilityFactory(address="東京都武蔵野市境南町2-1-1")
    FacilityFactory(address="東京都武蔵野市境南町4-1-1")
    FacilityFactory(address="東京都武蔵野市境2-1-1")
    assert search(town="境南町").total == 2


def test_capability_filter():
    with_capabilities(FacilityFactory(), "around_the_clock")
    FacilityFactory()
    assert search(capability="around_the_clock").total == 1


def test_open_on_weekday_filter():
    open_on(FacilityFactory(name="土曜も"), 6)
    open_on(FacilityFactory(name="平日のみ"), 1, 2)
    assert [f.name for f in search(weekday="6").items] == ["土曜も"]


def test_closed_entries_are_hidden_unless_asked():
    facility = FacilityFactory()
    facility.profile.status = "closed"
    facility.profile.save()
    assert (search().total, search(include_closed="1").total) == (0, 1)


def test_distance_from_a_town_sorts_nearest_first_and_respects_the_radius():
    near = dental("近い歯科", (KICHIJOJI_HONCHO[0] + 0.001, KICHIJOJI_HONCHO[1]))
    dental("遠い歯科", (KICHIJOJI_HONCHO[0] + 0.1, KICHIJOJI_HONCHO[1]))
    middle = dental("中くらい歯科", (KICHIJOJI_HONCHO[0] + 0.005, KICHIJOJI_HONCHO[1]))
    result = search(near="吉祥寺本町", radius_m="2000")
    assert [f.pk for f in result.items] == [near.pk, middle.pk]
    assert result.items[0].distance_m == pytest.approx(111, abs=5)


def test_dental_clinics_near_kichijoji_honcho_that_visit_homes():
    visiting = dental("訪問する歯科", (KICHIJOJI_HONCHO[0], KICHIJOJI_HONCHO[1] + 0.002), "dental_home_visit")
    dental("訪問しない歯科", (KICHIJOJI_HONCHO[0], KICHIJOJI_HONCHO[1] + 0.001))
    FacilityFactory(kind=FacilityKind.CLINIC, lat=KICHIJOJI_HONCHO[0], lon=KICHIJOJI_HONCHO[1])
    result = search(near="吉祥寺本町", kind="dental", capability="dental_home_visit")
    assert [f.pk for f in result.items] == [visiting.pk]


def test_visiting_nursing_in_kyonan_accepting_new_patients():
    today = timezone.localdate()
    accepting = FacilityFactory(address="東京都武蔵野市境南町2-3-4", lat=KYONAN_2[0], lon=KYONAN_2[1])
    accepting.profile.accepting_new, accepting.profile.accepting_confirmed_on = True, today
    accepting.profile.save()
    FacilityFactory(address="東京都武蔵野市境南町3-1-1")  # not accepting
    stale = FacilityFactory(address="東京都武蔵野市境南町4-1-1")  # said yes two months ago: not shown as true
    stale.profile.accepting_new, stale.profile.accepting_confirmed_on = True, today - datetime.timedelta(days=60)
    stale.profile.save()
    other_town = FacilityFactory(address="東京都武蔵野市中町1-1-1")
    other_town.profile.accepting_new, other_town.profile.accepting_confirmed_on = True, today
    other_town.profile.save()
    result = search(kind="visiting_nursing", town="境南町", accepting="1")
    assert [f.pk for f in result.items] == [accepting.pk]


@pytest.mark.parametrize(
    "query,message",
    [({"lat": "35.7"}, "両方"), ({"lat": "35.7", "lon": "139.5", "radius_m": "999999"}, "半径"),
     ({"lat": "x", "lon": "139.5"}, "数値"), ({"near": "存在しない町"}, "位置が分かりません"),
     ({"kind": "spaceship"}, "種別"), ({"radius_m": "500"}, "位置"), ({"weekday": "9"}, "曜日")],
)
def test_bad_parameters_are_refused_with_a_message(query, message):
    with pytest.raises(selectors.SearchError, match=message):
        selectors.parse_params(query)


@pytest.mark.parametrize("rows", [2, 20])
def test_search_runs_a_fixed_number_of_queries(rows, django_assert_num_queries):
    for _ in range(rows):
        with_capabilities(FacilityFactory(), "home_visit")
    params = selectors.parse_params({"q": "テスト", "capability": "home_visit"})
    with django_assert_num_queries(3):
        result = selectors.search(params)
        [list(f.capabilities.all()) for f in result.items]


@pytest.mark.parametrize("rows", [2, 20])
def test_distance_search_runs_a_fixed_number_of_queries(rows, django_assert_num_queries):
    FacilityFactory.create_batch(rows, lat=KYONAN_2[0], lon=KYONAN_2[1])
    params = selectors.parse_params({"near": "境南町二丁目", "radius_m": "1000"})
    with django_assert_num_queries(3):
        result = selectors.search(params)
        assert result.total == rows


def test_pages_hold_twenty_entries():
    FacilityFactory.create_batch(25)
    params = selectors.parse_params({})
    assert (len(selectors.search(params, page=2).items), selectors.search(params).pages) == (5, 2)


def test_visiting_area_filter():
    from renkei.directory.models import ServiceArea

    visiting = FacilityFactory()
    ServiceArea.objects.create(facility=visiting, name="三鷹市")
    FacilityFactory()
    assert [f.pk for f in search(area="三鷹").items] == [visiting.pk]


def test_language_filter():
    english = FacilityFactory()
    english.profile.languages = "英語、中国語"
    english.profile.save()
    FacilityFactory()
    assert [f.pk for f in search(language="中国語").items] == [english.pk]


def test_near_a_facility_by_name_finds_its_neighbours():
    FacilityFactory(name="武蔵野赤十字病院", kind=FacilityKind.HOSPITAL, lat=35.6990, lon=139.5480)
    FacilityFactory(name="隣の薬局", kind=FacilityKind.PHARMACY, lat=35.6992, lon=139.5481)
    FacilityFactory(name="遠くの薬局", kind=FacilityKind.PHARMACY, lat=35.7300, lon=139.6000)
    assert [f.name for f in search(near="武蔵野赤十字病院", kind="pharmacy", radius_m="500").items] == ["隣の薬局"]


def test_near_that_names_several_places_raises_with_the_candidates():
    with pytest.raises(selectors.SearchError) as raised:
        selectors.parse_params({"near": "緑町"})
    assert raised.value.field == "near" and len(raised.value.candidates) == 3


@pytest.mark.parametrize("rows", [2, 20])
def test_near_a_facility_by_name_runs_a_fixed_number_of_queries(rows, django_assert_num_queries):
    FacilityFactory(name="武蔵野赤十字病院", kind=FacilityKind.HOSPITAL, lat=35.6990, lon=139.5480)
    FacilityFactory.create_batch(rows, lat=35.6991, lon=139.5481)
    with django_assert_num_queries(4):  # the facility's point, then the search with a point
        search(near="武蔵野赤十字病院", radius_m="500")
