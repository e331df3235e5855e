"""Attachment downloads: a server-chosen name with the checked type's extension; only images inline."""
import pytest
from django.urls import reverse

from renkei.network.models import Attachment
from tests.network.conftest import image_bytes, upload

pytestmark = pytest.mark.django_db

# A valid PDF whose bytes also hold an HTML page (a polyglot).
POLYGLOT_PDF = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _attach(client, world, file):
    client.post(reverse("network:post_create", args=[world.patient.pk]), {"body": "共有", "files": [file]})
    return Attachment.objects.get()


def _get(client, name, attachment, **params):
    return client.get(reverse(name, args=[attachment.pk]), params)


def test_a_pdf_named_html_is_downloaded_as_pdf(world, login):
    c = login(world.nurse)
    attachment = _attach(c, world, upload("poly.html", POLYGLOT_PDF, "text/html"))
    r = _get(c, "network:attachment", attachment)
    assert r["Content-Type"] == "application/pdf" and r["Content-Disposition"] == 'attachment; filename="poly.pdf"'


def test_a_jpeg_named_exe_is_served_as_jpg(world, login):
    c = login(world.nurse)
    attachment = _attach(c, world, upload("gpj.exe", image_bytes("JPEG"), "application/octet-stream"))
    r = _get(c, "network:attachment", attachment)
    assert r["Content-Type"] == "image/jpeg" and r["Content-Disposition"] == 'inline; filename="gpj.jpg"'


def test_an_image_asked_as_a_download_is_an_attachment_with_its_type_extension(world, login):
    c = login(world.nurse)
    attachment = _attach(c, world, upload("photo.html.png", image_bytes("PNG"), "image/png"))
    r = _get(c, "network:attachment", attachment, download="1")
    assert r["Content-Disposition"] == 'attachment; filename="photo_html.png"'


def test_the_thumbnail_url_of_a_pdf_never_serves_the_pdf(world, login):
    c = login(world.nurse)
    attachment = _attach(c, world, upload("summary.pdf", POLYGLOT_PDF, "application/pdf"))
    assert _get(c, "network:attachment_thumbnail", attachment).status_code == 404


def test_an_image_thumbnail_is_a_jpeg_named_after_the_image(world, login):
    c = login(world.nurse)
    attachment = _attach(c, world, upload("wound.png", image_bytes("PNG"), "image/png"))
    r = _get(c, "network:attachment_thumbnail", attachment)
    assert r["Content-Type"] == "image/jpeg" and r["Content-Disposition"] == 'inline; filename="wound.jpg"'


def test_a_right_to_left_override_cannot_disguise_the_extension(world, login):
    c = login(world.nurse)
    attachment = _attach(c, world, upload("photo\u202egpj.exe", image_bytes("JPEG"), "image/jpeg"))
    assert 'filename="photogpj.jpg"' in _get(c, "network:attachment", attachment)["Content-Disposition"]


def test_a_japanese_name_is_kept_with_the_type_extension(world, login):
    c = login(world.nurse)
    attachment = _attach(c, world, upload("創部写真.exe", image_bytes("PNG"), "image/png"))
    disposition = _get(c, "network:attachment", attachment)["Content-Disposition"]
    assert "filename*=utf-8''%E5%89%B5%E9%83%A8%E5%86%99%E7%9C%9F.png" in disposition
