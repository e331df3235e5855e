"""The records' yearly figures for the annual report: counted per fiscal year with a fixed number of queries."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renkei.records.figures import annual_activities, annual_figures
from renkei.records.models import Pamphlet, PamphletDistribution, PamphletEdition
from tests.factories import coordinator_user, musashino

from .factories import (
    BodyFactory,
    ConsultationFactory,
    CouncilFactory,
    EventFactory,
    MeetingFactory,
    RegionalActivityFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def values(years):
    return {(f.fiscal_year, f.key): f.value for f in annual_figures(years, musashino())}


def test_consultations_are_counted_by_fiscal_year_april_to_march():
    ConsultationFactory(received_on=D(2025, 3, 31))
    ConsultationFactory(received_on=D(2025, 4, 1))
    ConsultationFactory(received_on=D(2026, 3, 31))
    assert values([2024, 2025]) == {(2024, "records.consultations"): 1, (2025, "records.consultations"): 2}


def test_a_year_without_records_has_no_figure():
    assert values([2019]) == {}


def test_council_and_subcommittee_meetings_are_counted_apart():
    council, sub1, sub2 = CouncilFactory(), BodyFactory(), BodyFactory()
    MeetingFactory(body=council, held_on=D(2025, 6, 1))
    MeetingFactory(body=council, held_on=D(2025, 12, 1))
    MeetingFactory(body=council, held_on=D(2025, 9, 1), format="cancelled")
    MeetingFactory(body=sub1, held_on=D(2025, 7, 1))
    MeetingFactory(body=sub1, held_on=D(2025, 8, 1))
    MeetingFactory(body=sub2, held_on=D(2025, 8, 1))
    v = values([2025])
    assert v[(2025, "records.council_meetings")] == 2
    assert v[(2025, "records.active_subcommittees")] == 2
    assert v[(2025, "records.subcommittee_meetings")] == 3


def test_each_held_event_gives_its_participants_and_accounts():
    event = EventFactory(starts_on=D(2021, 11, 1), ends_on=D(2021, 11, 1), delivery="online", participants=291, online_accounts=198)
    v = values([2021])
    assert v[(2021, f"records.training:{event.pk}")] == 291 and v[(2021, f"records.training_accounts:{event.pk}")] == 198


def test_a_planned_event_is_not_counted():
    EventFactory(starts_on=D(2025, 11, 1), ends_on=D(2025, 11, 1), status="planned", participants=None)
    assert values([2025]) == {}


def test_outreach_events_serve_item_ki():
    EventFactory(audience="residents", kind="seminar", starts_on=D(2025, 2, 15), ends_on=D(2025, 2, 15), participants=165)
    assert {f.item for f in annual_figures([2024], musashino())} == {"ki"}


def test_pamphlet_copies_are_summed_per_year():
    edition = PamphletEdition.objects.create(pamphlet=Pamphlet.objects.create(title="冊子", municipality=musashino()), edition="初版", published_on=D(2020, 3, 1), print_run=1000)
    PamphletDistribution.objects.create(edition=edition, place="A", distributed_on=D(2020, 5, 1), copies=100)
    PamphletDistribution.objects.create(edition=edition, place="B", distributed_on=D(2021, 2, 1), copies=50)
    assert values([2020])[(2020, "records.pamphlet_copies")] == 150


def test_regional_meetings_count_held_and_written_but_list_all():
    RegionalActivityFactory(held_on=D(2020, 6, 1))
    RegionalActivityFactory(title="東京都在宅療養担当者連絡会", counterpart="東京都", held_on=D(2020, 11, 1), format="written")
    RegionalActivityFactory(title="東京都在宅療養担当者連絡会", counterpart="東京都", held_on=D(2021, 11, 1), format="cancelled")
    assert values([2020, 2021]) == {(2020, "records.regional_meetings"): 2}
    texts = [a.text for a in annual_activities([2020, 2021], musashino())]
    assert "東京都在宅療養担当者連絡会（書面開催）" in texts and "東京都在宅療養担当者連絡会（中止）" in texts


def test_a_cancelled_event_is_an_activity_line():
    EventFactory(title="ケアリンピック武蔵野", audience="residents", kind="event", starts_on=D(2020, 11, 1), ends_on=D(2020, 11, 1), status="cancelled", participants=None)
    assert [a.text for a in annual_activities([2020], musashino())] == ["「ケアリンピック武蔵野」は中止"]


def test_the_query_count_does_not_grow_with_records():
    def count(rows):
        council = CouncilFactory()
        for i in range(rows):
            day = D(2021 + i % 5, 4 + i % 9, 1)
            ConsultationFactory(received_on=day)
            MeetingFactory(body=council, held_on=day)
        city = musashino()
        with CaptureQueriesContext(connection) as ctx:
            annual_figures([2021, 2022, 2023, 2024, 2025], city)
        return len(ctx)

    assert count(2) == count(25) == 5


def test_the_records_home_shows_this_years_figures(client, login):
    login(coordinator_user())
    from django.utils import timezone

    ConsultationFactory(received_on=timezone.localdate())
    r = client.get(reverse("records:index"))
    assert "相談実績" in r.content.decode()
