"""The records' and programs' figures count each city's own rows (rows built here directly; the apps' own
figure tests are in tests/records and tests/programs); an item (ク) activity counts for every city that
took part; several cities cost the same queries as one."""
import datetime

import pytest

from renkei.core.access import area_municipalities
from renkei.programs import figures as program_figures
from renkei.programs.models import EndingNoteDownload, EndOfLifeConsultation
from renkei.records import figures as record_figures
from renkei.records.models import Pamphlet, PamphletDistribution, PamphletEdition

from .helpers import FUCHU, MITAKA, MUSASHINO, city, consultation, council, event, meeting, regional, staff_of

pytestmark = pytest.mark.django_db
D = datetime.date


def value(figures, fy, key):
    return next((f.value for f in figures if f.fiscal_year == fy and f.key == key), 0)


def records_of(code, years=(2025,)):
    return record_figures.annual_figures(list(years), city(code))


def test_each_city_counts_its_own_consultations():
    consultation(MUSASHINO, D(2025, 5, 1))
    consultation(MUSASHINO, D(2025, 6, 1))
    consultation(MITAKA, D(2025, 6, 1))
    assert [value(records_of(c), 2025, "records.consultations") for c in (MUSASHINO, MITAKA, FUCHU)] == [2, 1, 0]


def test_each_city_counts_its_own_council_meetings_and_events():
    meeting(council(MITAKA), D(2025, 7, 1))
    event(MITAKA, D(2025, 9, 1), participants=40)
    assert value(records_of(MITAKA), 2025, "records.council_meetings") == 1
    assert [f.key.split(":")[0] for f in records_of(MITAKA) if f.item == "ka"] == ["records.training"]
    assert records_of(MUSASHINO) == []


def test_pamphlet_copies_count_for_the_pamphlet_s_city():
    pamphlet = Pamphlet.objects.create(municipality=city(MITAKA), title="冊子")
    edition = PamphletEdition.objects.create(pamphlet=pamphlet, edition="初版", published_on=D(2025, 4, 1), print_run=100)
    PamphletDistribution.objects.create(edition=edition, place="A", distributed_on=D(2025, 5, 1), copies=30)
    assert [value(records_of(c), 2025, "records.pamphlet_copies") for c in (MITAKA, MUSASHINO)] == [30, 0]


def test_a_regional_activity_recorded_once_counts_for_every_city_that_took_part():
    regional(MUSASHINO, D(2025, 6, 1), participants=[MITAKA])
    assert [value(records_of(c), 2025, "records.regional_meetings") for c in (MUSASHINO, MITAKA, FUCHU)] == [1, 1, 0]


def test_a_regional_activity_listing_its_recorder_among_the_participants_counts_once():
    regional(MUSASHINO, D(2025, 6, 1), participants=[MUSASHINO, MITAKA])
    ids = [city(MUSASHINO).pk, city(MITAKA).pk]
    by_city = record_figures.city_figures([2025], ids)
    assert [value(by_city[i], 2025, "records.regional_meetings") for i in ids] == [1, 1]


def test_a_regional_activity_is_listed_in_each_participating_city_s_activities():
    regional(MITAKA, D(2025, 6, 1), participants=[FUCHU], title="北多摩南部保健医療圏 連絡会")
    texts = {c: [a.text for a in record_figures.annual_activities([2025], city(c))] for c in (MITAKA, FUCHU, MUSASHINO)}
    assert texts == {MITAKA: ["北多摩南部保健医療圏 連絡会"], FUCHU: ["北多摩南部保健医療圏 連絡会"], MUSASHINO: []}


def test_a_cancelled_event_is_listed_only_for_its_city():
    event(MITAKA, D(2025, 9, 1), participants=None, title="市民講座", status="cancelled")
    assert [a.text for a in record_figures.annual_activities([2025], city(MITAKA))] == ["「市民講座」は中止"]
    assert record_figures.annual_activities([2025], city(MUSASHINO)) == []


def test_six_cities_of_records_take_the_same_five_queries(django_assert_num_queries):
    regional(MUSASHINO, D(2025, 6, 1), participants=[MITAKA, FUCHU])
    consultation(MITAKA, D(2025, 6, 1))
    ids = [c.pk for c in area_municipalities()]
    with django_assert_num_queries(5):
        by_city = record_figures.city_figures([2024, 2025], ids)
    assert set(by_city) == set(ids)


def test_each_city_counts_its_own_program_records():
    staff = staff_of()
    EndOfLifeConsultation.objects.create(municipality=city(MITAKA), received_on=D(2025, 5, 1), topics=["will"],
                                         summary="x", created_by=staff)
    EndingNoteDownload.objects.create(municipality=city(MUSASHINO), day=D(2025, 12, 1), count=3)
    EndingNoteDownload.objects.create(municipality=city(MITAKA), day=D(2025, 12, 1), count=5)
    ids = [city(MUSASHINO).pk, city(MITAKA).pk]
    by_city = program_figures.city_figures([2025], ids)
    assert [value(by_city[i], 2025, "programs.end_of_life.consultations") for i in ids] == [0, 1]
    assert [value(by_city[i], 2025, "programs.end_of_life.downloads") for i in ids] == [3, 5]
    assert program_figures.annual_figures([2025], city(MITAKA)) == by_city[ids[1]]


def test_six_cities_of_programs_take_the_same_seven_queries(django_assert_num_queries):
    ids = [c.pk for c in area_municipalities()]
    with django_assert_num_queries(7):
        program_figures.city_figures([2024, 2025], ids)
