"""Capacity now: the provider's dated answer; a stale answer is shown as stale, never as true."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from renkei.core.errors import AppError
from renkei.core.models import Affiliation, FacilityKind
from renkei.directory import windows
from renkei.directory.models import Capacity, FacilityProfile
from renkei.network.models import Notification
from tests.factories import UserFactory

from .factories import FacilityFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 29)


@pytest.fixture
def station():
    return FacilityFactory(name="テスト訪問看護", kind=FacilityKind.VISITING_NURSING)


@pytest.fixture
def member(station):
    user = UserFactory()
    Affiliation.objects.create(user=user, facility=station)
    return user


def confirm(station, member, **kwargs):
    values = {"accepting_new": True, "flags": ["around_the_clock"], "today": TODAY, **kwargs}
    return windows.confirm_capacity(user=member, facility_id=station.pk, **values)


def test_a_member_confirms_the_capacity_with_today_s_date(station, member):
    capacity = confirm(station, member)
    assert (capacity.accepting_new, capacity.around_the_clock, capacity.confirmed_on) == (True, True, TODAY)


def test_the_public_yes_or_no_follows_the_answer(station, member):
    confirm(station, member, accepting_new=False)
    profile = FacilityProfile.objects.get(facility=station)
    assert (profile.accepting_new, profile.accepting_confirmed_on) == (False, TODAY)


def test_an_unknown_flag_is_refused(station, member):
    with pytest.raises(AppError, match="不明な項目"):
        confirm(station, member, flags=["teleport"])


def test_someone_of_another_facility_cannot_confirm(station):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        confirm(station, UserFactory())


def test_an_answer_of_31_days_ago_is_still_fresh(station, member):
    capacity = confirm(station, member, today=TODAY - datetime.timedelta(days=31))
    assert windows.capacity_view(capacity, TODAY).accepting is True


def test_an_older_answer_is_shown_as_stale_not_as_true(station, member):
    capacity = confirm(station, member, today=TODAY - datetime.timedelta(days=32))
    view = windows.capacity_view(capacity, TODAY)
    assert view.stale and view.accepting is None


def test_the_facility_page_marks_a_stale_answer(login, station, member):
    confirm(station, member, today=timezone.localdate() - datetime.timedelta(days=60))
    html = login(UserFactory()).get(reverse("directory:detail", args=[station.pk])).content.decode()
    assert "確認から1か月以上経過" in html and "新規受け入れ可" not in html


def test_the_capacity_page_saves_the_answer(login, station, member):
    response = login(member).post(reverse("directory:capacity_edit", args=[station.pk]),
                                  {"accepting_new": "yes", "flags": ["dementia", "pediatric"], "languages": "英語"})
    capacity = Capacity.objects.get(facility=station)
    assert response.status_code == 302 and capacity.dementia and capacity.pediatric and capacity.languages == "英語"


def test_the_reminder_asks_the_members_of_stale_providers_once_a_month(station, member):
    confirm(station, member, today=TODAY - datetime.timedelta(days=40))
    assert windows.remind_stale_capacities(today=TODAY) == 1
    assert windows.remind_stale_capacities(today=TODAY + datetime.timedelta(days=1)) == 0
    assert Notification.objects.filter(recipient=member, kind=windows.NOTIFY_RECONFIRM).count() == 1


def test_the_reminder_leaves_fresh_answers_alone(station, member):
    confirm(station, member, today=TODAY - datetime.timedelta(days=3))
    assert windows.remind_stale_capacities(today=TODAY) == 0


def test_the_reminder_comes_again_next_month(station, member):
    confirm(station, member, today=TODAY - datetime.timedelta(days=40))
    windows.remind_stale_capacities(today=TODAY)
    assert windows.remind_stale_capacities(today=datetime.date(2026, 12, 1)) == 1


def test_the_command_sends_the_reminders(station, member):
    from io import StringIO

    from django.core.management import call_command

    confirm(station, member, today=timezone.localdate() - datetime.timedelta(days=40))
    out = StringIO()
    call_command("remind_capacity", stdout=out)
    assert "1 事業所" in out.getvalue()


def test_the_public_page_shows_an_old_yes_as_unknown(client, station, member):
    confirm(station, member, today=timezone.localdate() - datetime.timedelta(days=45))
    html = client.get(reverse("directory:detail", args=[station.pk])).content.decode()
    assert "現在の状況は不明" in html and "受け入れ可</span>" not in html


def test_the_public_page_shows_a_fresh_yes(client, station, member):
    confirm(station, member, today=timezone.localdate())
    assert "受け入れ可</span>" in client.get(reverse("directory:detail", args=[station.pk])).content.decode()
