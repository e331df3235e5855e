"""A double tap or a resubmission of the new-sheet form creates one draft; the second answer leads to it."""
import pytest
from django.urls import reverse

from renkei.sheets.models import Sheet
from tests.factories import submission_token
from tests.sheets.factories import acp_content
from tests.sheets.test_admission_flow import _form_data

pytestmark = pytest.mark.django_db


def _url(world):
    return reverse("sheets:create", args=[world.patient.pk, "acp"])


def _submit(client, world, token, **content):
    return client.post(_url(world), {**_form_data(acp_content(**content)), "submission_token": token})


def test_the_new_sheet_form_carries_a_one_time_token(world, login):
    assert submission_token(login(world.care_manager).get(_url(world)))


def test_a_double_submission_creates_one_sheet(world, login):
    client = login(world.care_manager)
    token = submission_token(client.get(_url(world)))
    _submit(client, world, token)
    _submit(client, world, token)
    assert Sheet.objects.count() == 1


def test_the_second_submission_redirects_to_the_first_sheet(world, login):
    client = login(world.care_manager)
    token = submission_token(client.get(_url(world)))
    _submit(client, world, token)
    r = _submit(client, world, token)
    assert r.status_code == 302 and r["Location"] == reverse("sheets:detail", args=[Sheet.objects.get().pk])


def test_two_forms_create_two_sheets(world, login):
    client = login(world.care_manager)
    _submit(client, world, submission_token(client.get(_url(world))))
    _submit(client, world, submission_token(client.get(_url(world))))
    assert Sheet.objects.count() == 2
