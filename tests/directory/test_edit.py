"""Keeping entries current: facility administrators edit, staff approve, stale entries are flagged."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from renkei.core.models import Affiliation, AuditEvent
from renkei.directory.models import ChangeRequest, ChangeStatus
from tests.factories import UserFactory

from .factories import FacilityFactory

pytestmark = pytest.mark.django_db

FORM = {"accepting": "yes", "vacancies": "2", "capabilities": ["around_the_clock"], "areas": "武蔵野市、三鷹市",
        "day_1": "on", "opens_1": "09:00", "closes_1": "18:00", "languages": "英語"}


@pytest.fixture
def facility():
    return FacilityFactory(name="編集される訪問看護")


@pytest.fixture
def admin(facility):
    user = UserFactory()
    Affiliation.objects.create(user=user, facility=facility, is_admin=True)
    return user


def test_admin_sees_the_edit_form(login, admin, facility):
    assert login(admin).get(reverse("directory:edit", args=[facility.pk])).status_code == 200


def test_edit_needs_the_second_factor(login, admin, facility):
    response = login(admin, verified=False).get(reverse("directory:edit", args=[facility.pk]))
    assert response.status_code == 302


def test_admin_of_another_facility_gets_403_with_a_message(login, admin):
    other = FacilityFactory()
    response = login(admin).post(reverse("directory:edit", args=[other.pk]), FORM)
    assert response.status_code == 403 and "管理者だけ" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_a_refused_edit_is_audited(login, admin):
    other = FacilityFactory()
    login(admin).post(reverse("directory:edit", args=[other.pk]), FORM)
    assert AuditEvent.objects.filter(action="permission.denied", object_id=str(other.pk)).exists()


def test_a_member_who_is_not_admin_cannot_edit(login, facility):
    member = UserFactory()
    Affiliation.objects.create(user=member, facility=facility, is_admin=False)
    assert login(member).get(reverse("directory:edit", args=[facility.pk])).status_code == 403


def test_an_edit_waits_for_staff_approval(login, admin, facility):
    login(admin).post(reverse("directory:edit", args=[facility.pk]), FORM)
    facility.profile.refresh_from_db()
    assert ChangeRequest.objects.get().status == ChangeStatus.PENDING and facility.profile.accepting_new is None


def test_bad_hours_are_refused_next_to_the_field(login, admin, facility):
    response = login(admin).post(reverse("directory:edit", args=[facility.pk]), {**FORM, "closes_1": "08:00"})
    assert "終了時刻は開始時刻より後" in response.content.decode() and not ChangeRequest.objects.exists()


def test_auto_approval_setting_applies_at_once(login, admin, facility, settings):
    settings.DIRECTORY_AUTO_APPROVE = True
    login(admin).post(reverse("directory:edit", args=[facility.pk]), FORM)
    facility.profile.refresh_from_db()
    assert facility.profile.accepting_new is True and facility.profile.accepting_confirmed_on == timezone.localdate()


def test_staff_approval_applies_the_change(client, login, admin, staff, facility):
    login(admin).post(reverse("directory:edit", args=[facility.pk]), FORM)
    change = ChangeRequest.objects.get()
    client.logout()
    login(staff).post(reverse("directory:decide_change", args=[change.pk]), {"decision": "approve"})
    facility.profile.refresh_from_db()
    assert facility.profile.accepting_new is True and facility.profile.vacancies == 2
    assert list(facility.capabilities.values_list("code", flat=True)) == ["around_the_clock"]
    assert facility.profile.last_confirmed_on == timezone.localdate()
    assert facility.directory_schedules.get().opens_at.hour == 9


def test_rejection_needs_a_reason(client, login, admin, staff, facility):
    login(admin).post(reverse("directory:edit", args=[facility.pk]), FORM)
    change = ChangeRequest.objects.get()
    client.logout()
    login(staff).post(reverse("directory:decide_change", args=[change.pk]), {"decision": "reject"})
    assert ChangeRequest.objects.get().status == ChangeStatus.PENDING


def test_non_staff_cannot_approve(login, admin, facility):
    login(admin).post(reverse("directory:edit", args=[facility.pk]), FORM)
    change = ChangeRequest.objects.get()
    response = login(admin).post(reverse("directory:decide_change", args=[change.pk]), {"decision": "approve"})
    assert response.status_code == 403 and ChangeRequest.objects.get().status == ChangeStatus.PENDING


def test_admin_confirms_an_unchanged_entry(login, admin, facility):
    login(admin).post(reverse("directory:confirm", args=[facility.pk]))
    facility.profile.refresh_from_db()
    assert facility.profile.last_confirmed_on == timezone.localdate()


def test_another_admin_cannot_confirm(login, admin):
    other = FacilityFactory()
    assert login(admin).post(reverse("directory:confirm", args=[other.pk])).status_code == 403


def test_entries_unconfirmed_for_a_year_are_flagged_to_staff(login, staff):
    old = FacilityFactory(name="古い掲載")
    old.profile.last_confirmed_on = timezone.localdate() - timedelta(days=400)
    old.profile.save()
    fresh = FacilityFactory(name="新しい掲載")
    fresh.profile.last_confirmed_on = timezone.localdate()
    fresh.profile.save()
    html = login(staff).get(reverse("directory:staff_changes")).content.decode()
    assert "古い掲載" in html and "新しい掲載" not in html


def test_detail_shows_the_last_confirmed_date(client, facility):
    facility.profile.last_confirmed_on = timezone.localdate()
    facility.profile.save()
    assert "最終確認日" in client.get(reverse("directory:detail", args=[facility.pk])).content.decode()


@pytest.mark.parametrize("rows", [2, 20])
def test_staff_page_runs_a_fixed_number_of_queries(login, staff, rows, django_assert_num_queries):
    client = login(staff)
    for _ in range(rows):
        facility = FacilityFactory()
        user = UserFactory()
        Affiliation.objects.create(user=user, facility=facility, is_admin=True)
        ChangeRequest.objects.create(facility=facility, submitted_by=user, payload={"accepting_new": True})
    client.get(reverse("directory:staff_changes"))  # warm the session
    with django_assert_num_queries(11):  # session, second factor, the header's cities, pending changes, stale entries, their count, imports
        assert client.get(reverse("directory:staff_changes")).status_code == 200


def test_mine_lists_only_the_facilities_the_user_administers(login, admin, facility):
    FacilityFactory(name="よその事業所")
    html = login(admin).get(reverse("directory:mine")).content.decode()
    assert facility.name in html and "よその事業所" not in html
