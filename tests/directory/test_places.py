"""「近く」: which place a resident's words name (towns of the six cities, stations, city halls, facilities)."""
import pytest

from renkei.directory import places
from renkei.directory.geo import haversine_m, town_centre

MUSASHINO_HALL = (35.7178, 139.5661)  # the city hall on 緑町二丁目, for the distance checks below


def resolved(text, facilities=()):
    return places.resolve(text, facilities).place


def labels(text, facilities=()):
    return [p.label for p in places.resolve(text, facilities).candidates]


def test_a_station_is_found_by_its_name():
    assert resolved("三鷹駅").label == "三鷹駅"


def test_a_station_is_found_without_eki_and_in_kana_of_either_width():
    assert resolved("吉祥寺").label == resolved("きちじょうじ").label == resolved("ｷﾁｼﾞｮｳｼﾞ駅").label == "吉祥寺駅"


def test_a_station_lies_within_a_few_hundred_metres_of_its_towns():
    station = resolved("吉祥寺駅")
    assert haversine_m(station.lat, station.lon, *town_centre("吉祥寺本町一丁目")) < 400


@pytest.mark.parametrize("name", ["井の頭公園駅", "三鷹台駅", "新小金井駅", "是政駅", "調布駅", "府中駅", "東小金井駅",
                                  "武蔵小金井駅", "武蔵境駅", "狛江駅"])
def test_the_stations_of_the_area_are_known(name):
    assert resolved(name).kind == "station"


@pytest.mark.parametrize("city", places.AREA_CITIES)
def test_every_city_hall_of_the_area_is_known(city):
    assert resolved(f"{city}役所").kind == "city_hall"


def test_the_city_hall_is_placed_on_its_town():
    hall = resolved("武蔵野市役所")
    assert haversine_m(hall.lat, hall.lon, *MUSASHINO_HALL) < 400


def test_a_town_of_another_city_of_the_area_is_found():
    assert resolved("下連雀三丁目").label == "三鷹市下連雀三丁目"


def test_a_bare_town_is_the_mean_of_its_chome_as_before():
    town = resolved("吉祥寺本町")
    assert (town.lat, town.lon) == pytest.approx(town_centre("吉祥寺本町"))


def test_an_address_resolves_to_its_chome():
    assert resolved("東京都武蔵野市吉祥寺本町１－２－３").label == "武蔵野市吉祥寺本町一丁目"


def test_a_town_name_found_in_several_cities_gives_candidates():
    assert labels("緑町") == ["小金井市緑町", "府中市緑町", "武蔵野市緑町"]


def test_a_candidate_label_resolves_to_that_place():
    assert resolved("府中市緑町").label == "府中市緑町"


def test_a_partial_name_lists_the_places_that_contain_it():
    assert labels("小金井駅") == ["新小金井駅", "東小金井駅", "武蔵小金井駅"]


def test_candidates_are_capped():
    assert len(labels("駅")) == places.MAX_CANDIDATES


def test_a_facility_is_found_by_its_name_at_its_own_coordinates():
    rows = [("武蔵野赤十字病院", "東京都武蔵野市境南町1-26-1", 35.699, 139.548)]
    place = resolved("武蔵野赤十字病院", rows)
    assert (place.kind, place.lat, place.lon) == ("facility", 35.699, 139.548)


def test_a_facility_is_found_by_part_of_its_name():
    rows = [("武蔵野赤十字病院", "東京都武蔵野市境南町1-26-1", 35.699, 139.548)]
    assert resolved("赤十字", rows).label == "武蔵野赤十字病院"


def test_two_facilities_of_one_name_are_told_apart_by_address():
    rows = [("さくら薬局", "武蔵野市境1-1", 35.70, 139.54), ("さくら薬局", "三鷹市下連雀3-1", 35.69, 139.56)]
    candidates = labels("さくら薬局", rows)
    assert candidates == ["さくら薬局（三鷹市下連雀3-1）", "さくら薬局（武蔵野市境1-1）"]
    assert resolved(candidates[0], rows).lat == 35.69


def test_a_station_wins_over_a_facility_named_after_it():
    rows = [("三鷹駅前クリニック", "三鷹市下連雀3-1", 35.70, 139.56)]
    assert resolved("三鷹駅", rows).kind == "station"


def test_an_unknown_place_resolves_to_nothing():
    assert places.resolve("存在しない場所") == places.Resolution(None)


def test_every_landmark_of_the_data_file_is_placed():
    rows = (places.DATA_DIR / "area_landmarks.csv").read_text(encoding="utf-8").strip().splitlines()
    assert len(places.landmarks()) == len(rows) - 1
