"""Meeting files come back as downloads named with the extension of the type found in their content."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renkei.records.models import MeetingAttachment
from tests.records.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _download(client, name, content):
    meeting = MeetingFactory()
    client.post(reverse("records:meeting_detail", args=[meeting.pk]), {"file": SimpleUploadedFile(name, content)})
    return client.get(reverse("records:attachment_download", args=[MeetingAttachment.objects.get().pk]))


def test_an_html_file_is_downloaded_as_plain_text(staff_client):
    r = _download(staff_client, "poly.html", b"<html><script>alert(1)</script></html>")
    assert (r["Content-Type"], r["Content-Disposition"]) == ("text/plain", 'attachment; filename="poly.txt"')


def test_a_pdf_named_exe_is_downloaded_as_pdf(staff_client):
    r = _download(staff_client, "資料.exe", b"%PDF-1.4 test")
    assert r["Content-Type"] == "application/pdf" and r["Content-Disposition"].startswith("attachment;")


def test_an_executable_is_an_opaque_download(staff_client):
    r = _download(staff_client, "setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00")
    assert (r["Content-Type"], r["Content-Disposition"]) == ("application/octet-stream",
                                                              'attachment; filename="setup.bin"')
