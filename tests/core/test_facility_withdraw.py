"""A facility administrator withdraws one member: a colleague takes over the member's care-team places
(through the network's team service), the account can no longer sign in or use its tokens."""
import pytest
from django.contrib.sessions.models import Session

from renkei.core import facility_staff
from renkei.core.errors import AppError
from renkei.core.models import (
    ApiToken,
    AuditEvent,
    FacilityAdministrator,
    FacilityAdminStatus,
    RegistrationStatus,
)
from renkei.network.models import CareTeamMember, MemberStatus, Post, PostKind
from tests.core import facility_world
from tests.factories import api_key
from tests.network.factories import CareTeamMemberFactory, PatientFactory

pytestmark = pytest.mark.django_db


def _withdraw(client, w, person, successor=None, facility=None):
    data = {"facility": (facility or w.station).pk}
    if successor is not None:
        data["successor"] = successor.pk
    return client.post(f"/facility/people/{person.pk}/withdraw/", data)


def _place(w, user):
    return CareTeamMember.objects.get(patient=w.patient, user=user)


def test_the_page_shows_the_count_of_places_and_the_colleagues(admin_client, w):
    page = admin_client.get(f"/facility/people/{w.leaver.pk}/withdraw/").content.decode()
    assert "ケアチームの担当：1件" in page and "同僚 続子" in page and w.patient.name not in page


def test_the_colleague_takes_over_the_place(admin_client, w):
    assert _withdraw(admin_client, w, w.leaver, w.colleague).status_code == 302
    assert _place(w, w.colleague).status == MemberStatus.ACTIVE and _place(w, w.colleague).role == w.place.role
    assert _place(w, w.leaver).status == MemberStatus.REMOVED


def test_the_team_is_told_on_its_timeline(admin_client, w):
    _withdraw(admin_client, w, w.leaver, w.colleague)
    notice = Post.objects.get(patient=w.patient, kind=PostKind.NOTICE)
    assert "同僚 続子 さんが担当を引き継ぎました" in notice.body


def test_the_hand_over_is_audited_per_patient(admin_client, w):
    _withdraw(admin_client, w, w.leaver, w.colleague)
    rows = AuditEvent.objects.filter(patient_id=str(w.patient.pk), actor=w.admin)
    assert {"create", "delete"} <= set(rows.values_list("action", flat=True))
    assert AuditEvent.objects.filter(action="facility_staff.withdrawn", object_id=str(w.leaver.pk)).exists()


def test_the_leaver_is_withdrawn_and_their_tokens_revoked(admin_client, w):
    api_key(w.leaver)
    _withdraw(admin_client, w, w.leaver, w.colleague)
    w.leaver.refresh_from_db()
    assert w.leaver.registration_status == RegistrationStatus.WITHDRAWN
    assert not ApiToken.objects.filter(user=w.leaver, revoked_at__isnull=True).exists()


def test_the_leavers_sessions_end(client, login, w):
    from django.test import Client

    leaver_client = Client()
    leaver_client.force_login(w.leaver, backend="renkei.core.auth.ApprovedUserBackend")
    assert Session.objects.count() == 1
    _withdraw(login(w.admin), w, w.leaver, w.colleague)
    keys = set(Session.objects.values_list("session_key", flat=True))
    assert leaver_client.session.session_key not in keys


def test_a_manager_leaving_makes_the_successor_manager(admin_client, w):
    w.place.is_manager = True
    w.place.save()
    _withdraw(admin_client, w, w.leaver, w.colleague)
    assert _place(w, w.colleague).is_manager


def test_a_successor_already_on_the_team_keeps_their_place(admin_client, w):
    CareTeamMemberFactory(patient=w.patient, user=w.colleague, role="other")
    _withdraw(admin_client, w, w.leaver, w.colleague)
    assert _place(w, w.colleague).role == "other" and _place(w, w.colleague).status == MemberStatus.ACTIVE


def test_a_team_without_consent_in_force_gets_no_new_member(admin_client, w):
    w.patient.consents.update(withdrawn_at="2026-01-01T00:00:00Z")
    _withdraw(admin_client, w, w.leaver, w.colleague)
    assert not CareTeamMember.objects.filter(patient=w.patient, user=w.colleague).exists()
    assert "担当が空きました" in Post.objects.get(patient=w.patient, kind=PostKind.NOTICE).body


def test_a_team_that_removed_the_successor_does_not_get_them_back(admin_client, w):
    CareTeamMemberFactory(patient=w.patient, user=w.colleague, status=MemberStatus.REMOVED)
    _withdraw(admin_client, w, w.leaver, w.colleague)
    assert _place(w, w.colleague).status == MemberStatus.REMOVED


def test_a_last_manager_leaving_a_vacated_team_leaves_a_manager(admin_client, w):
    patient = PatientFactory()
    CareTeamMemberFactory(patient=patient, user=w.leaver, is_manager=True)
    other = CareTeamMemberFactory(patient=patient)
    _withdraw(admin_client, w, w.leaver, w.colleague)  # no consent recorded for `patient`: the place stays empty
    other.refresh_from_db()
    assert other.is_manager


def test_pending_invitations_are_cancelled(admin_client, w):
    invited = CareTeamMemberFactory(patient=PatientFactory(), user=w.leaver, status=MemberStatus.INVITED)
    _withdraw(admin_client, w, w.leaver, w.colleague)
    invited.refresh_from_db()
    assert invited.status == MemberStatus.REMOVED


def test_a_member_without_places_leaves_without_a_successor(admin_client, w):
    assert _withdraw(admin_client, w, w.colleague).status_code == 302
    w.colleague.refresh_from_db()
    assert w.colleague.registration_status == RegistrationStatus.WITHDRAWN


def test_a_member_with_places_needs_a_successor(admin_client, w):
    r = _withdraw(admin_client, w, w.leaver)
    assert r.status_code == 400 and "後任" in r.content.decode()
    assert _place(w, w.leaver).status == MemberStatus.ACTIVE


def test_a_leaving_administrator_loses_the_role(admin_client, w):
    second = facility_world.make_admin(w.colleague, w.station)
    _withdraw(admin_client, w, w.colleague)
    second.refresh_from_db()
    assert second.status == FacilityAdminStatus.REVOKED


def test_the_administrator_cannot_withdraw_themselves(w):
    with pytest.raises(AppError):
        facility_staff.withdraw_person(request=None, facility=w.station, person=w.admin, successor=None, by=w.admin)


def test_another_facilitys_member_is_missing(admin_client, w):
    assert _withdraw(admin_client, w, w.other_member).status_code == 404
    w.other_member.refresh_from_db()
    assert w.other_member.is_approved


def test_a_successor_of_another_facility_is_refused(admin_client, w):
    r = _withdraw(admin_client, w, w.leaver, w.other_member)
    assert r.status_code == 400 and _place(w, w.leaver).status == MemberStatus.ACTIVE


def test_a_forged_id_is_missing(admin_client, w):
    assert admin_client.post("/facility/people/987654321/withdraw/", {"facility": w.station.pk}).status_code == 404


def test_a_colleague_who_is_no_administrator_is_refused(login, w):
    assert _withdraw(login(w.colleague), w, w.leaver, w.colleague).status_code == 403


def test_a_revoked_administrator_is_refused(admin_client, w):
    FacilityAdministrator.objects.filter(pk=w.role.pk).update(status=FacilityAdminStatus.REVOKED)
    assert _withdraw(admin_client, w, w.leaver, w.colleague).status_code == 403
    assert _place(w, w.leaver).status == MemberStatus.ACTIVE


def test_another_facilitys_administrator_cannot_reach_this_member(login, w):
    r = _withdraw(login(w.other_admin), w, w.leaver, facility=w.other_station)
    assert r.status_code == 404 and _place(w, w.leaver).status == MemberStatus.ACTIVE


def test_the_administrator_is_on_no_team_afterwards(admin_client, w):
    _withdraw(admin_client, w, w.leaver, w.colleague)
    assert not CareTeamMember.objects.filter(user=w.admin).exists()
