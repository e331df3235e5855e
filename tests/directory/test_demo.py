"""The demo directory: real shipped data plus labelled fictional entries, loaded idempotently."""
import pytest

from renkei.core import demo as core_demo
from renkei.core.models import Facility, FacilityKind
from renkei.directory import demo
from renkei.directory.models import CoordSource, FacilityCapability, FacilityProfile, Schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings):
    settings.DEMO = True
    core_demo.load()
    demo.load()


def test_it_loads_the_real_musashino_data(loaded):
    assert Facility.objects.filter(kind=FacilityKind.DENTAL, is_fictional=False).count() == 108
    assert Facility.objects.filter(kind=FacilityKind.HOSPITAL, is_fictional=False).count() == 40


def test_dental_clinics_without_coordinates_are_placed_at_their_town_centre(loaded):
    profiles = FacilityProfile.objects.filter(facility__kind=FacilityKind.DENTAL, facility__is_fictional=False)
    assert profiles.filter(coord_source=CoordSource.TOWN_CENTRE).count() >= 100


def test_running_it_twice_gives_the_same_data(loaded):
    counts = (Facility.objects.count(), FacilityProfile.objects.count(), Schedule.objects.count(),
              FacilityCapability.objects.count())
    demo.load()
    assert counts == (Facility.objects.count(), FacilityProfile.objects.count(), Schedule.objects.count(),
                      FacilityCapability.objects.count())


def test_fictional_entries_are_flagged_and_named_as_such(loaded):
    fictional = Facility.objects.filter(profile__source="demo")
    assert fictional.exists() and all(f.is_fictional and f.name.startswith("（架空）") for f in fictional)


def test_on_the_demo_a_resident_finds_home_visiting_dentists_near_kichijoji_honcho(loaded, client):
    query = {"near": "吉祥寺本町", "kind": "dental", "capability": "dental_home_visit"}
    names = [p["name"] for p in client.get("/directory/map/data.json", query).json()["items"]]
    assert names and all("歯科" in n for n in names)


def test_on_the_demo_a_care_manager_finds_visiting_nursing_in_kyonan_accepting_patients(loaded, client):
    items = client.get("/api/v1/facilities", {"kind": "visiting_nursing", "town": "境南町", "accepting": "1"}).json()
    assert items["count"] >= 1 and all(i["town"].startswith("境南町") for i in items["items"])


@pytest.mark.parametrize("city", ["三鷹市", "府中市"])
def test_on_the_demo_a_search_in_another_city_finds_its_real_nursing_stations_and_care_managers(loaded, client, city):
    for kind, at_least in (("visiting_nursing", 20), ("care_management", 40)):
        items = client.get("/api/v1/facilities", {"kind": kind, "municipality": city}).json()
        assert items["count"] >= at_least


def test_the_demo_has_windows_capacity_and_requests_of_fictional_providers(loaded):
    from renkei.directory.models import Capacity, ConsultationWindow, ReferralAnswer

    assert ConsultationWindow.objects.filter(facility__is_fictional=False).count() == 0
    assert ConsultationWindow.objects.count() >= 10 and Capacity.objects.count() >= 8
    assert set(ReferralAnswer.objects.values_list("status", flat=True)) == {"accepted", "declined", "pending"}
