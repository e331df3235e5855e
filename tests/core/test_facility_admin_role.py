"""The facility administrator role: a member nominates a colleague, municipal staff of the facility's city
approve or reject it and may revoke it; every step is audited."""
import pytest

from renkei.core import facility_admin
from renkei.core.errors import AppError
from renkei.core.models import AuditEvent, FacilityAdministrator, FacilityAdminStatus
from tests.core import facility_world
from tests.factories import FacilityFactory, mitaka, staff_user

pytestmark = pytest.mark.django_db


def _nominate(client, w, nominee, facility=None):
    return client.post("/facility/administrators/nominate/", {"facility": (facility or w.station).pk,
                                                              "nominee": nominee.pk, "reason": "事務を担当"})


def _pending(w):
    return FacilityAdministrator.objects.create(facility=w.station, user=w.colleague, nominated_by=w.leaver)


def test_a_member_nominates_a_colleague(login, w):
    assert _nominate(login(w.leaver), w, w.colleague).status_code == 302
    role = FacilityAdministrator.objects.get(user=w.colleague)
    assert role.status == FacilityAdminStatus.PENDING and role.nominated_by == w.leaver


def test_a_nomination_is_audited(login, w):
    _nominate(login(w.leaver), w, w.colleague)
    assert AuditEvent.objects.filter(action="facility_admin.nominated", actor=w.leaver).exists()


def test_a_nominee_of_another_facility_is_refused(login, w):
    r = _nominate(login(w.leaver), w, w.other_member)
    assert r.status_code == 400 and not FacilityAdministrator.objects.filter(user=w.other_member).exists()


def test_a_stranger_cannot_nominate_for_a_facility(w):
    with pytest.raises(AppError) as refused:
        facility_admin.nominate(request=None, facility=w.station, nominee=w.other_member, by=w.other_member)
    assert refused.value.status == 404


def test_a_second_open_nomination_is_refused(w):
    _pending(w)
    with pytest.raises(AppError) as refused:
        facility_admin.nominate(request=None, facility=w.station, nominee=w.colleague, by=w.admin)
    assert refused.value.status == 409


def test_staff_see_the_pending_nominations(login, w):
    _pending(w)
    assert "同僚 続子" in login(w.staff).get("/staff/facility-administrators/").content.decode()


def test_staff_approve_and_the_nominee_manages_people(login, client, w):
    role = _pending(w)
    login(w.staff).post(f"/staff/facility-administrators/{role.pk}/decide/", {"decision": "approve"})
    role.refresh_from_db()
    assert role.status == FacilityAdminStatus.APPROVED and role.decided_by == w.staff
    client.logout()
    assert login(w.colleague).get("/facility/people/").status_code == 200


def test_a_rejection_needs_a_reason(login, w):
    role = _pending(w)
    login(w.staff).post(f"/staff/facility-administrators/{role.pk}/decide/", {"decision": "reject"})
    role.refresh_from_db()
    assert role.status == FacilityAdminStatus.PENDING


def test_staff_revoke_and_the_role_ends(login, client, w):
    login(w.staff).post(f"/staff/facility-administrators/{w.role.pk}/decide/",
                        {"decision": "revoke", "reason": "異動のため"})
    w.role.refresh_from_db()
    assert w.role.status == FacilityAdminStatus.REVOKED
    assert AuditEvent.objects.filter(action="facility_admin.revoked", object_id=str(w.role.pk)).exists()
    client.logout()
    assert login(w.admin).get("/facility/people/").status_code == 403


def test_staff_of_another_city_cannot_see_or_decide(login, w):
    role = _pending(w)
    other = login(staff_user(mitaka()))
    assert "同僚 続子" not in other.get("/staff/facility-administrators/").content.decode()
    assert other.post(f"/staff/facility-administrators/{role.pk}/decide/", {"decision": "approve"}).status_code == 404
    role.refresh_from_db()
    assert role.status == FacilityAdminStatus.PENDING


def test_a_professional_cannot_decide(login, w):
    role = _pending(w)
    assert login(w.admin).post(f"/staff/facility-administrators/{role.pk}/decide/",
                               {"decision": "approve"}).status_code == 403


def test_a_mitaka_facility_is_decided_by_mitaka_staff(login, w):
    facility = FacilityFactory(municipality=mitaka())
    person = facility_world.member(facility)
    role = FacilityAdministrator.objects.create(facility=facility, user=person, nominated_by=person)
    login(staff_user(mitaka())).post(f"/staff/facility-administrators/{role.pk}/decide/", {"decision": "approve"})
    role.refresh_from_db()
    assert role.status == FacilityAdminStatus.APPROVED


def test_the_nomination_page_links_an_administrator_to_the_people(login, w):
    page = login(w.admin).get("/facility/administrators/nominate/").content.decode()
    assert "/facility/people/?facility=" in page


def test_the_nomination_page_gives_a_colleague_no_link_to_the_people(login, w):
    page = login(w.colleague).get("/facility/administrators/nominate/").content.decode()
    assert "/facility/people/?facility=" not in page


def test_the_staff_list_takes_a_fixed_number_of_queries(login, w, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = login(w.staff)
    _pending(w)
    with CaptureQueriesContext(connection) as small:
        staff.get("/staff/facility-administrators/")
    for _ in range(10):
        facility = FacilityFactory()
        person = facility_world.member(facility)
        FacilityAdministrator.objects.create(facility=facility, user=person, nominated_by=person)
    with django_assert_num_queries(len(small)):
        assert staff.get("/staff/facility-administrators/").status_code == 200
