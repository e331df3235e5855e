"""Restart grant documents come back under a name with the extension of their checked type."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renkei.programs.models import RestartGrantDocument
from tests.programs.factories import RestartApplicationFactory

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


def test_a_jpeg_uploaded_as_exe_is_downloaded_as_jpg(staff_client):
    application = RestartApplicationFactory()
    staff_client.post(reverse("programs:restart_upload", args=[application.pk]),
                {"kind": "employment", "file": SimpleUploadedFile("gpj.exe", JPEG)})
    document = RestartGrantDocument.objects.get()
    r = staff_client.get(reverse("programs:restart_document", args=[application.pk, document.pk]))
    assert r["Content-Disposition"] == 'attachment; filename="gpj.jpg"'
