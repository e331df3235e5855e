"""A double tap or a resubmission of the new-consultation form records one consultation."""
import pytest
from django.urls import reverse

from renkei.records.models import Consultation
from tests.factories import submission_token
from tests.records.factories import ConsultationFactory, consultation_form

pytestmark = pytest.mark.django_db

URL = reverse("records:consultation_new")


def test_the_new_consultation_form_carries_a_one_time_token(coordinator_client):
    assert submission_token(coordinator_client.get(URL))


def test_a_double_submission_records_one_consultation(coordinator_client):
    token = submission_token(coordinator_client.get(URL))
    coordinator_client.post(URL, consultation_form(submission_token=token))
    coordinator_client.post(URL, consultation_form(submission_token=token))
    assert Consultation.objects.count() == 1


def test_the_second_submission_redirects_to_the_first_consultation(coordinator_client):
    token = submission_token(coordinator_client.get(URL))
    coordinator_client.post(URL, consultation_form(submission_token=token))
    r = coordinator_client.post(URL, consultation_form(submission_token=token))
    assert r["Location"] == reverse("records:consultation_detail", args=[Consultation.objects.get().pk])


def test_a_refused_form_can_be_sent_again_with_the_same_token(coordinator_client):
    token = submission_token(coordinator_client.get(URL))
    assert coordinator_client.post(URL, consultation_form(summary="", submission_token=token)).status_code != 302
    assert coordinator_client.post(URL, consultation_form(submission_token=token)).status_code == 302
    assert Consultation.objects.count() == 1


def test_the_edit_form_carries_no_token(coordinator_client):
    page = coordinator_client.get(reverse("records:consultation_edit", args=[ConsultationFactory().pk])).content.decode()
    assert "submission_token" not in page
