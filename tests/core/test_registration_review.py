"""Municipal staff review applications: approve, reject with a reason, record a withdrawal."""
import datetime

import pytest
from django.core import mail
from django.utils import timezone

from renkei.core.models import ApiToken, AuditEvent, Facility, RegistrationStatus, User
from tests.factories import PASSWORD, FacilityFactory, UserFactory, musashino

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _pending(**kwargs):
    return UserFactory(registration_status=RegistrationStatus.PENDING, approved_on=None, **kwargs)


@pytest.fixture
def applicant():
    user = _pending(username="applicant", name="申請 次郎")
    user.affiliations.create(facility=FacilityFactory())
    return user


def _approve(client, user, **data):
    return client.post(f"/staff/registrations/{user.pk}/approve/", {"approved_on": TODAY().isoformat()} | data)


def test_it_lists_pending_applications(staff_client, applicant):
    r = staff_client.get("/staff/registrations/")
    assert "申請 次郎" in r.content.decode()


def test_the_list_does_not_show_approved_accounts_under_pending(staff_client, applicant):
    UserFactory(name="承認済 三郎")
    assert "承認済 三郎" not in staff_client.get("/staff/registrations/").content.decode()


def test_the_list_uses_a_fixed_number_of_queries(staff_client, django_assert_num_queries):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert staff_client.get("/staff/registrations/").status_code == 200
        return len(ctx)

    for _ in range(2):
        _pending().affiliations.create(facility=FacilityFactory())
    small = count()
    for _ in range(18):
        _pending().affiliations.create(facility=FacilityFactory())
    with django_assert_num_queries(small):
        staff_client.get("/staff/registrations/")


def test_a_professional_cannot_see_the_applications(login, applicant):
    r = login(UserFactory()).get("/staff/registrations/")
    assert r.status_code == 403


def test_a_denied_visit_is_audited(login, applicant):
    login(UserFactory(username="nosy")).get("/staff/registrations/")
    assert AuditEvent.objects.filter(action="permission.denied", actor_username="nosy").exists()


def test_staff_without_the_second_factor_are_sent_to_it(login, staff, applicant):
    r = login(staff, verified=False).get("/staff/registrations/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/otp/")


def test_approval_lets_the_applicant_log_in(staff_client, applicant, client):
    _approve(staff_client, applicant)
    staff_client.post("/accounts/logout/")
    r = client.post("/accounts/login/", {"username": "applicant", "password": PASSWORD})
    assert r.status_code == 302


def test_approval_sets_the_registration_date(staff_client, applicant):
    _approve(staff_client, applicant, approved_on="2024-04-01")
    applicant.refresh_from_db()
    assert (applicant.registration_status, applicant.approved_on) == (RegistrationStatus.APPROVED, datetime.date(2024, 4, 1))


def test_approval_is_audited(staff_client, applicant, staff):
    _approve(staff_client, applicant)
    assert AuditEvent.objects.filter(action="registration.approved", actor=staff, object_id=str(applicant.pk)).exists()


def test_approval_registers_a_facility_the_applicant_named(staff_client):
    named = _pending(applied_facility_name="（架空）はじめ薬局", applied_facility_kind="pharmacy",
                     applied_facility_municipality=musashino())
    _approve(staff_client, named)
    assert named.facilities.get().name == Facility.objects.get(name="（架空）はじめ薬局").name


def test_approval_can_link_a_named_facility_to_an_existing_one(staff_client):
    existing = FacilityFactory(name="（架空）既存薬局")
    named = _pending(applied_facility_name="既存やっきょく", applied_facility_kind="pharmacy",
                     applied_facility_municipality=musashino())
    _approve(staff_client, named, facility=existing.pk)
    assert list(named.facilities.all()) == [existing] and not Facility.objects.filter(name="既存やっきょく").exists()


def test_approval_refuses_a_future_date(staff_client, applicant):
    r = _approve(staff_client, applicant, approved_on=(TODAY() + datetime.timedelta(days=3)).isoformat())
    applicant.refresh_from_db()
    assert r.status_code == 400 and "未来の日付" in r.content.decode() and applicant.is_pending


def test_an_application_cannot_be_decided_twice(staff_client, applicant):
    _approve(staff_client, applicant)
    r = staff_client.post(f"/staff/registrations/{applicant.pk}/reject/", {"reason": "重複"})
    applicant.refresh_from_db()
    assert r.status_code == 400 and "すでに審査済み" in r.content.decode() and applicant.is_approved


def test_rejection_needs_a_reason(staff_client, applicant):
    r = staff_client.post(f"/staff/registrations/{applicant.pk}/reject/", {"reason": "  "})
    applicant.refresh_from_db()
    assert r.status_code == 400 and "却下の理由を入力してください" in r.content.decode() and applicant.is_pending


def test_rejection_keeps_the_reason_and_is_audited(staff_client, applicant):
    staff_client.post(f"/staff/registrations/{applicant.pk}/reject/", {"reason": "所属を確認できませんでした"})
    applicant.refresh_from_db()
    assert applicant.registration_status == RegistrationStatus.REJECTED
    assert AuditEvent.objects.get(action="registration.rejected").detail == "所属を確認できませんでした"


def test_a_rejected_applicant_cannot_log_in(staff_client, applicant, client):
    staff_client.post(f"/staff/registrations/{applicant.pk}/reject/", {"reason": "確認不可"})
    staff_client.post("/accounts/logout/")
    r = client.post("/accounts/login/", {"username": "applicant", "password": PASSWORD})
    assert r.status_code == 200 and "_auth_user_id" not in client.session


def test_a_professional_cannot_approve(login, applicant):
    r = _approve(login(UserFactory()), applicant)
    applicant.refresh_from_db()
    assert r.status_code == 403 and applicant.is_pending


def test_approval_needs_a_post(staff_client, applicant):
    assert staff_client.get(f"/staff/registrations/{applicant.pk}/approve/").status_code == 405


def test_an_unknown_applicant_is_404(staff_client):
    assert staff_client.get("/staff/registrations/999999/").status_code == 404


def test_withdrawal_ends_login_and_is_audited(staff_client, client):
    member = UserFactory(username="leaving", approved_on=datetime.date(2023, 4, 1))
    staff_client.post(f"/staff/registrations/{member.pk}/withdraw/", {"withdrawn_on": TODAY().isoformat()})
    member.refresh_from_db()
    assert member.registration_status == RegistrationStatus.WITHDRAWN and member.withdrawn_on == TODAY()
    assert AuditEvent.objects.filter(action="registration.withdrawn", object_id=str(member.pk)).exists()


def test_withdrawal_revokes_the_members_api_tokens(staff_client):
    member = UserFactory(approved_on=datetime.date(2023, 4, 1))
    token = ApiToken.objects.create(user=member, key_hash="x" * 64, prefix="abcdefgh",
                                    expires_at=timezone.now() + datetime.timedelta(hours=1))
    staff_client.post(f"/staff/registrations/{member.pk}/withdraw/", {"withdrawn_on": TODAY().isoformat()})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_withdrawal_before_registration_is_refused(staff_client):
    member = UserFactory(approved_on=datetime.date(2023, 4, 1))
    r = staff_client.post(f"/staff/registrations/{member.pk}/withdraw/", {"withdrawn_on": "2023-03-31"})
    member.refresh_from_db()
    assert r.status_code == 400 and "登録日より後" in r.content.decode() and member.is_approved


def test_a_pending_applicant_cannot_be_withdrawn(staff_client, applicant):
    r = staff_client.post(f"/staff/registrations/{applicant.pk}/withdraw/", {"withdrawn_on": TODAY().isoformat()})
    assert r.status_code == 400 and User.objects.get(pk=applicant.pk).is_pending


def test_the_applicant_is_told_of_the_approval_by_mail(staff_client, applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _approve(staff_client, applicant)
    assert mail.outbox[0].to == [applicant.email] and "承認しました" in mail.outbox[0].subject
    assert "http://testserver/accounts/login/" in mail.outbox[0].body


def test_the_applicant_is_told_the_reason_of_a_rejection(staff_client, applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/staff/registrations/{applicant.pk}/reject/", {"reason": "所属を確認できませんでした"})
    assert "所属を確認できませんでした" in mail.outbox[0].body


def test_a_refused_decision_sends_no_mail(staff_client, applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/staff/registrations/{applicant.pk}/reject/", {"reason": ""})
    assert mail.outbox == []


def test_a_named_facility_without_its_municipality_needs_a_choice(staff_client):
    named = _pending(applied_facility_name="（架空）所在不明", applied_facility_kind="pharmacy")
    r = _approve(staff_client, named)
    named.refresh_from_db()
    assert r.status_code == 400 and "一覧から所属事業所を選んでください" in r.content.decode() and named.is_pending


@pytest.fixture
def other_browser():
    """A second browser, apart from the staff member's session."""
    from django.test import Client

    return Client()


def _fail_logins(client, user, times):
    for _ in range(times):
        client.post("/accounts/login/", {"username": user.username, "password": "wrong"})


def test_staff_see_failed_logins_on_the_member_page(staff_client, other_browser):
    member = UserFactory()
    _fail_logins(other_browser, member, 2)
    assert "パスワードの誤りが 2 回記録されています" in staff_client.get(f"/staff/registrations/{member.pk}/").content.decode()


def test_staff_unlock_a_locked_out_member(staff_client, other_browser, settings):
    member = UserFactory()
    _fail_logins(other_browser, member, settings.AXES_FAILURE_LIMIT)
    staff_client.post(f"/staff/registrations/{member.pk}/unlock/")
    r = other_browser.post("/accounts/login/", {"username": member.username, "password": PASSWORD})
    assert r.status_code == 302


def test_unlocking_is_audited(staff_client, staff, other_browser):
    member = UserFactory()
    _fail_logins(other_browser, member, 5)
    staff_client.post(f"/staff/registrations/{member.pk}/unlock/")
    assert AuditEvent.objects.filter(action="login.unlocked", actor=staff, object_id=str(member.pk)).exists()


def test_a_professional_cannot_unlock(login, other_browser):
    member = UserFactory()
    _fail_logins(other_browser, member, 5)
    r = login(UserFactory()).post(f"/staff/registrations/{member.pk}/unlock/")
    assert r.status_code == 403 and not AuditEvent.objects.filter(action="login.unlocked").exists()
