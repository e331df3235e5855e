"""Trainings and outreach (カ, キ): events, registrations, attendance; pamphlets; regional cooperation (ク)."""
import pytest
from django.urls import reverse

from renkei.records.models import Event, PamphletDistribution, PamphletEdition, RegionalActivity, Registration
from tests.factories import coordinator_user, musashino

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def event_form(**kw):
    return {
        "title": "ACP研修", "theme": "ACP", "kind": "training", "audience": "professionals", "delivery": "in_person",
        "status": "planned", "starts_on": "2025-07-05", "ends_on": "2025-07-05",
    } | kw


def test_staff_register_an_event(staff_client):
    r = staff_client.post(reverse("records:event_new"), event_form())
    assert r.status_code == 302 and Event.objects.get().item == "ka"


def test_an_event_ending_before_it_starts_is_refused_next_to_the_field(staff_client):
    r = staff_client.post(reverse("records:event_new"), event_form(ends_on="2025-07-04"))
    assert r.context["form"].errors["ends_on"] == ["終了日が開始日より前になっています。"] and not Event.objects.exists()


def test_a_streamed_event_over_a_period_is_fine(staff_client):
    r = staff_client.post(reverse("records:event_new"), event_form(
        audience="residents", kind="film", delivery="streamed", starts_on="2022-02-18", ends_on="2022-03-03",
        participants="104", status="held",
    ))
    assert r.status_code == 302 and Event.objects.get().item == "ki"


def test_attendance_above_listed_registrations_is_refused_and_nothing_changes(staff_client):
    event = EventFactory(registration_required=True, participants=None, status="planned")
    RegistrationFactory.create_batch(3, event=event)
    r = staff_client.post(reverse("records:event_edit", args=[event.pk]), event_form(
        title=event.title, registration_required="on", participants="4", status="held",
    ))
    event.refresh_from_db()
    assert "申込者数（3名）を超えています" in r.content.decode() and event.participants is None


def test_attendance_within_registrations_is_recorded(staff_client):
    event = EventFactory(registration_required=True, participants=None, status="planned")
    RegistrationFactory.create_batch(3, event=event)
    staff_client.post(reverse("records:event_edit", args=[event.pk]), event_form(
        title=event.title, registration_required="on", participants="3", status="held",
    ))
    event.refresh_from_db()
    assert event.participants == 3


def test_accounts_on_an_in_person_event_are_refused(staff_client):
    r = staff_client.post(reverse("records:event_new"), event_form(participants="10", online_accounts="5"))
    assert "online_accounts" in r.context["form"].errors


def test_staff_add_a_registration_with_profession(staff_client):
    event = EventFactory()
    staff_client.post(reverse("records:event_detail", args=[event.pk]), {"name": "受講 花子", "profession": "care_manager"})
    assert Registration.objects.get().get_profession_display() == "ケアマネジャー"


def test_registrations_are_counted_by_profession(staff_client):
    event = EventFactory()
    RegistrationFactory.create_batch(2, event=event, profession="nurse", attended=True)
    RegistrationFactory(event=event, profession="physician")
    r = staff_client.get(reverse("records:event_detail", args=[event.pk]))
    rows = {row["label"]: (row["n"], row["attended"]) for row in r.context["by_profession"]}
    assert rows == {"看護師": (2, 2), "医師": (1, 0)}


def test_a_coordinator_sees_events_but_cannot_add_one(client, login):
    login(coordinator_user())
    assert client.get(reverse("records:event_list")).status_code == 200
    assert client.post(reverse("records:event_new"), event_form()).status_code == 403


@pytest.mark.parametrize("rows", [2, 20])
def test_the_event_list_has_a_fixed_query_count(staff_client, django_assert_num_queries, rows):
    for event in EventFactory.create_batch(rows):
        RegistrationFactory(event=event)
    with django_assert_num_queries(9):  # … + the user's cities
        staff_client.get(reverse("records:event_list"))


def test_staff_record_pamphlet_editions_and_distribution(staff_client):
    staff_client.post(reverse("records:pamphlet_list"), {"title": "在宅医療ガイド"})
    from renkei.records.models import Pamphlet

    pamphlet = Pamphlet.objects.get()
    staff_client.post(reverse("records:edition_new", args=[pamphlet.pk]), {"edition": "初版", "published_on": "2021-03-01", "print_run": "1000"})
    edition = PamphletEdition.objects.get()
    staff_client.post(reverse("records:distribution_new", args=[edition.pk]), {"place": "市役所", "distributed_on": "2021-04-10", "copies": "400"})
    r = staff_client.get(reverse("records:pamphlet_list"))
    assert PamphletDistribution.objects.get().copies == 400 and "400" in r.content.decode()


def test_distributing_more_than_printed_is_refused(staff_client):
    from renkei.records.models import Pamphlet

    edition = PamphletEdition.objects.create(pamphlet=Pamphlet.objects.create(title="冊子", municipality=musashino()), edition="初版", published_on="2021-03-01", print_run=100)
    r = staff_client.post(reverse("records:distribution_new", args=[edition.pk]), {"place": "市役所", "distributed_on": "2021-04-10", "copies": "101"})
    assert "印刷部数（100部）を超えています" in r.content.decode() and not PamphletDistribution.objects.exists()


def test_staff_record_a_written_regional_meeting(staff_client):
    staff_client.post(reverse("records:regional_new"), {
        "title": "東京都在宅療養担当者連絡会", "counterpart": "東京都", "held_on": "2020-11-01", "format": "written",
    })
    assert RegionalActivity.objects.get().get_format_display() == "書面開催"


def test_attendance_of_a_future_event_is_refused(staff_client):
    r = staff_client.post(reverse("records:event_new"), event_form(starts_on="2099-07-05", ends_on="2099-07-05", participants="10"))
    assert "まだ始まっていない" in r.content.decode() and not Event.objects.exists()


@pytest.mark.parametrize("rows", [2, 20])
def test_the_pamphlet_list_has_a_fixed_query_count(staff_client, django_assert_num_queries, rows):
    from renkei.records.models import Pamphlet

    for i in range(rows):
        edition = PamphletEdition.objects.create(pamphlet=Pamphlet.objects.create(title=f"冊子{i}", municipality=musashino()), edition="初版", published_on="2021-03-01", print_run=100)
        PamphletDistribution.objects.create(edition=edition, place="市役所", distributed_on="2021-04-01", copies=10)
    with django_assert_num_queries(11):  # … + the user's cities, the new pamphlet's city
        staff_client.get(reverse("records:pamphlet_list"))


@pytest.mark.parametrize("rows", [2, 20])
def test_the_regional_list_has_a_fixed_query_count(staff_client, django_assert_num_queries, rows):
    from .factories import RegionalActivityFactory

    RegionalActivityFactory.create_batch(rows)
    with django_assert_num_queries(10):  # … + the user's cities, the cities that took part
        staff_client.get(reverse("records:regional_list"))


def test_ticking_attendance_sets_the_participants_of_a_registrants_only_event(staff_client):
    event = EventFactory(registration_required=True, participants=None, status="planned")
    first, second, _ = RegistrationFactory.create_batch(3, event=event)
    staff_client.post(reverse("records:event_attendance", args=[event.pk]), {"attended": [first.pk, second.pk]})
    event.refresh_from_db()
    assert (event.participants, event.status) == (2, "held")


def test_ticking_attendance_leaves_an_open_events_count_alone(staff_client):
    event = EventFactory(registration_required=False, participants=80)
    first = RegistrationFactory(event=event)
    staff_client.post(reverse("records:event_attendance", args=[event.pk]), {"attended": [first.pk]})
    event.refresh_from_db()
    first.refresh_from_db()
    assert event.participants == 80 and first.attended


def test_the_follow_up_survey_opens_three_months_after_the_event(staff_client):
    event = EventFactory(starts_on="2025-11-30", ends_on="2025-11-30")
    r = staff_client.get(reverse("records:survey_new", args=[event.pk]), {"kind": "follow_up"})
    assert str(r.context["form"].initial["opens_on"]) == "2026-02-28"
