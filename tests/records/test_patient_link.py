"""The consultation's patient link under the one access rule (renkei.core.access)."""
import pytest
from django.urls import reverse
from django.utils import timezone

from renkei.records.models import Consultation
from tests.factories import api_key, coordinator_user
from tests.network import factories as network

from .factories import ConsultationFactory, consultation_form

pytestmark = pytest.mark.django_db


def test_a_coordinator_on_the_team_links_the_patient(coordinator_client, coordinator):
    member = network.CareTeamMemberFactory(user=coordinator)
    coordinator_client.post(reverse("records:consultation_new"), consultation_form(patient_ref=str(member.patient.pk)))
    assert Consultation.objects.get().patient_ref == str(member.patient.pk)


def test_another_teams_patient_cannot_be_linked(coordinator_client):
    other = network.CareTeamMemberFactory()
    r = coordinator_client.post(reverse("records:consultation_new"), consultation_form(patient_ref=str(other.patient.pk)))
    assert r.status_code == 200 and not Consultation.objects.exists()


def test_a_removed_member_cannot_link_the_patient(coordinator_client, coordinator):
    member = network.CareTeamMemberFactory(user=coordinator, status=network.MemberStatus.REMOVED)
    r = coordinator_client.post(reverse("records:consultation_new"), consultation_form(patient_ref=str(member.patient.pk)))
    assert r.status_code == 200 and not Consultation.objects.exists()


def test_the_api_refuses_another_teams_patient(client):
    coordinator = coordinator_user()
    other = network.CareTeamMemberFactory()
    r = client.post("/api/v1/consultations", {
        "received_on": timezone.localdate().isoformat(), "channel": "phone", "asker_profession": "family",
        "category": "end_of_life", "summary": "相談", "patient_id": str(other.patient.pk),
    }, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {api_key(coordinator)}")
    assert r.status_code == 422 and "担当チーム" in r.json()["detail"][0]["msg"] and not Consultation.objects.exists()


def test_the_patients_name_shows_only_to_a_team_member(coordinator_client, coordinator):
    member = network.CareTeamMemberFactory(user=coordinator)
    c = ConsultationFactory(patient_ref=str(member.patient.pk))
    assert member.patient.name in coordinator_client.get(reverse("records:consultation_detail", args=[c.pk])).content.decode()
    member.status = network.MemberStatus.REMOVED
    member.save()
    assert member.patient.name not in coordinator_client.get(reverse("records:consultation_detail", args=[c.pk])).content.decode()
