"""A double tap or a resubmission of the new-consultation form records one consultation."""
import pytest
from django.urls import reverse

from renkei.records.models import Consultation
from tests.factories import submission_token
from tests.records.factories import ConsultationFactory, coordinator_user
from tests.records.test_consultations import form_data

pytestmark = pytest.mark.django_db

URL = reverse("records:consultation_new")


@pytest.fixture
def coordinator(login):
    user = coordinator_user()
    login(user)
    return user


def test_the_new_consultation_form_carries_a_one_time_token(client, coordinator):
    assert submission_token(client.get(URL))


def test_a_double_submission_records_one_consultation(client, coordinator):
    token = submission_token(client.get(URL))
    client.post(URL, form_data(submission_token=token))
    client.post(URL, form_data(submission_token=token))
    assert Consultation.objects.count() == 1


def test_the_second_submission_redirects_to_the_first_consultation(client, coordinator):
    token = submission_token(client.get(URL))
    client.post(URL, form_data(submission_token=token))
    r = client.post(URL, form_data(submission_token=token))
    assert r["Location"] == reverse("records:consultation_detail", args=[Consultation.objects.get().pk])


def test_a_refused_form_can_be_sent_again_with_the_same_token(client, coordinator):
    token = submission_token(client.get(URL))
    assert client.post(URL, form_data(summary="", submission_token=token)).status_code != 302
    assert client.post(URL, form_data(submission_token=token)).status_code == 302
    assert Consultation.objects.count() == 1


def test_the_edit_form_carries_no_token(client, coordinator):
    page = client.get(reverse("records:consultation_edit", args=[ConsultationFactory().pk])).content.decode()
    assert "submission_token" not in page
