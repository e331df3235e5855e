"""Cache-Control: no-store on every answer carrying patient data: pages, API, PDFs, FHIR and files."""
import datetime
import secrets

import pytest
from django.urls import reverse
from django.utils import timezone

from renkei.core.models import ApiToken
from renkei.network.models import Attachment
from tests.network.conftest import image_bytes, upload
from tests.network.factories import ConsentFactory, PatientFactory
from tests.sheets.factories import SheetFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient():
    p = PatientFactory()
    ConsentFactory(patient=p)
    return p


@pytest.fixture
def nurse(patient):
    return member(patient)


@pytest.fixture
def sheet(patient, nurse):
    return SheetFactory(patient=patient, author=nurse)


def _bearer(user):
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash_key(key), prefix=key[:8],
                            expires_at=timezone.now() + datetime.timedelta(hours=1))
    return f"Bearer {key}"


def _no_store(response):
    return "no-store" in response.get("Cache-Control", "")


def test_a_patient_page_is_not_stored(login, patient, nurse):
    r = login(nurse).get(reverse("network:timeline", args=[patient.pk]))
    assert r.status_code == 200 and _no_store(r)


def test_a_not_found_page_of_a_logged_in_user_is_not_stored(login, nurse):
    r = login(nurse).get(reverse("network:timeline", args=[999999]))
    assert r.status_code == 404 and _no_store(r)


def test_an_api_answer_is_not_stored(client, patient, nurse):
    r = client.get(f"/api/v1/patients/{patient.pk}/sheets", HTTP_AUTHORIZATION=_bearer(nurse))
    assert r.status_code == 200 and _no_store(r)


def test_a_refused_api_call_is_not_stored_either(client, patient):
    r = client.get(f"/api/v1/patients/{patient.pk}/sheets", HTTP_AUTHORIZATION="Bearer wrong")
    assert r.status_code == 401 and _no_store(r)


def test_a_sheet_pdf_page_is_not_stored(login, nurse, sheet):
    r = login(nurse).get(reverse("sheets:pdf", args=[sheet.pk]))
    assert r["Content-Type"] == "application/pdf" and _no_store(r)


def test_a_sheet_pdf_from_the_api_is_not_stored(client, nurse, sheet):
    r = client.get(f"/api/v1/sheets/{sheet.pk}/pdf", HTTP_AUTHORIZATION=_bearer(nurse))
    assert r["Content-Type"] == "application/pdf" and _no_store(r)


def test_a_fhir_bundle_is_not_stored(client, nurse, sheet):
    r = client.get(f"/api/v1/sheets/{sheet.pk}/fhir", HTTP_AUTHORIZATION=_bearer(nurse))
    assert r.status_code == 200 and _no_store(r)


def test_an_attachment_download_is_not_stored(login, patient, nurse):
    c = login(nurse)
    png = upload("photo.png", image_bytes(), "image/png")
    c.post(reverse("network:post_create", args=[patient.pk]), {"body": "写真", "files": [png]})
    r = c.get(reverse("network:attachment", args=[Attachment.objects.get().pk]))
    assert r.status_code == 200 and _no_store(r)


def test_a_public_directory_page_may_be_cached(client):
    r = client.get(reverse("directory:search"))
    assert r.status_code == 200 and not _no_store(r)
