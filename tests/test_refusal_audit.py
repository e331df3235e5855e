"""Every refusal of a signed-in caller leaves one audit row, written where all refusals pass
(renkei.core.errors.audit_refusal: the API's exception handlers, the pages' middleware and show_error)."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from renkei.core.models import AuditEvent, Profession
from renkei.network.models import TeamRole
from renkei.sheets.models import BackBedRequest
from tests.factories import UserFactory, api_key
from tests.network.factories import CareTeamMemberFactory, ConsentFactory, PatientFactory
from tests.sheets.factories import BackBedHospitalFactory, hospital, liaison_for

pytestmark = pytest.mark.django_db
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def refusals():
    return AuditEvent.objects.filter(action="permission.denied")


@pytest.fixture
def stranger():
    """A nurse on the care team of a patient of her own, on no other team."""
    return CareTeamMemberFactory(patient=PatientFactory(), user__profession=Profession.NURSE).user


@pytest.fixture
def other_patient():
    patient = PatientFactory()
    ConsentFactory(patient=patient)
    CareTeamMemberFactory(patient=patient)
    return patient


def asked_bed():
    """A back-bed request of a team physician to a participating hospital, not yet answered."""
    doctor = CareTeamMemberFactory(user__profession=Profession.PHYSICIAN, role=TeamRole.PHYSICIAN)
    return BackBedRequest.objects.create(patient=doctor.patient, hospital=BackBedHospitalFactory(),
                                         requested_by=doctor.user, reason="respite", detail="x", desired_on=TOMORROW)


def call(client, method, path, user, **body):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_key(user)}"}
    return getattr(client, method)(f"/api/v1{path}", data=body or None, content_type="application/json", **headers)


def test_listing_another_teams_sheets_is_refused_and_audited(client, stranger, other_patient):
    r = call(client, "get", f"/patients/{other_patient.pk}/sheets", stranger)
    assert r.status_code == 404 and refusals().filter(actor=stranger, detail__contains="/sheets").count() == 1


def test_creating_a_sheet_for_another_teams_patient_is_refused_and_audited(client, stranger, other_patient):
    r = call(client, "post", f"/patients/{other_patient.pk}/sheets", stranger, kind="admission", content={})
    assert r.status_code == 404 and refusals().filter(actor=stranger).count() == 1


def test_a_back_bed_request_by_a_team_care_manager_is_refused_and_audited(client, other_patient):
    cm = CareTeamMemberFactory(patient=other_patient, user__profession=Profession.CARE_MANAGER,
                               role=TeamRole.CARE_MANAGER).user
    beds = BackBedHospitalFactory(facility=hospital())
    r = call(client, "post", f"/patients/{other_patient.pk}/back-bed-requests", cm, hospital_id=beds.pk,
             reason="respite", detail="介護者の入院のため", desired_on=TOMORROW.isoformat())
    assert r.status_code == 403 and refusals().filter(actor=cm, detail__contains="医師").count() == 1


def test_a_back_bed_answer_by_another_hospitals_liaison_is_refused_and_audited(client):
    bed_request = asked_bed()
    outsider = liaison_for(hospital())
    r = call(client, "post", f"/back-bed-requests/{bed_request.pk}/answer", outsider, accept=True, note="")
    assert r.status_code == 404 and refusals().filter(actor=outsider).count() == 1


def test_a_back_bed_answer_refused_on_the_page_is_audited(client, login):
    bed_request = asked_bed()
    team_nurse = CareTeamMemberFactory(patient=bed_request.patient).user
    login(team_nurse)
    client.post(reverse("sheets:backbed_detail", args=[bed_request.pk]), {"form": "answer", "decision": "accept"})
    assert refusals().filter(actor=team_nurse).count() == 1


def test_revoking_another_users_token_is_refused_and_audited(client, stranger):
    owner = UserFactory()
    api_key(owner)
    token = owner.api_tokens.get()
    r = call(client, "delete", f"/auth/tokens/{token.pk}", stranger)
    assert r.status_code == 404 and refusals().filter(actor=stranger).count() == 1


def test_a_records_api_role_refusal_is_audited(client, stranger):
    r = call(client, "get", "/consultations", stranger)
    assert r.status_code == 403 and refusals().filter(actor=stranger, detail__startswith="403").count() == 1


def test_a_reports_api_role_refusal_is_audited(client, stranger):
    r = call(client, "get", "/reports/annual?from_fy=2024&to_fy=2025", stranger)
    assert r.status_code == 403 and refusals().filter(actor=stranger).count() == 1


def test_a_page_404_of_a_signed_in_user_is_audited_once(client, login, stranger, other_patient):
    login(stranger)
    r = client.get(reverse("network:timeline", args=[other_patient.pk]))
    assert r.status_code == 404 and refusals().filter(actor=stranger).count() == 1


def test_an_anonymous_api_call_leaves_no_refusal_row(client, other_patient):
    r = client.get(f"/api/v1/patients/{other_patient.pk}/sheets")
    assert r.status_code == 401 and not refusals().exists()


def test_an_anonymous_page_leaves_no_refusal_row(client, other_patient):
    client.get(reverse("network:timeline", args=[other_patient.pk]))
    assert not refusals().exists()
