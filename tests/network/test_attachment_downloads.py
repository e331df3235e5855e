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


@pytest.mark.parametrize("name, content, declared, url, params, served, disposition", [
    # a PDF named .html is downloaded as a PDF
    ("poly.html", POLYGLOT_PDF, "text/html", "network:attachment", {}, "application/pdf",
     'attachment; filename="poly.pdf"'),
    # a JPEG named .exe is served inline as .jpg
    ("gpj.exe", "JPEG", "application/octet-stream", "network:attachment", {}, "image/jpeg", 'inline; filename="gpj.jpg"'),
    # an image asked as a download is an attachment with its type's extension
    ("photo.html.png", "PNG", "image/png", "network:attachment", {"download": "1"}, "image/png",
     'attachment; filename="photo_html.png"'),
    # an image's thumbnail is a JPEG named after the image
    ("wound.png", "PNG", "image/png", "network:attachment_thumbnail", {}, "image/jpeg", 'inline; filename="wound.jpg"'),
])
def test_a_file_is_served_with_the_checked_type_and_a_server_chosen_name(
        world, login, name, content, declared, url, params, served, disposition):
    c = login(world.nurse)
    data = image_bytes(content) if isinstance(content, str) else content
    r = _get(c, url, _attach(c, world, upload(name, data, declared)), **params)
    assert (r["Content-Type"], r["Content-Disposition"]) == (served, disposition)


def test_the_thumbnail_url_of_a_pdf_never_serves_the_pdf(world, login):
    c = login(world.nurse)
    attachment = _attach(c, world, upload("summary.pdf", POLYGLOT_PDF, "application/pdf"))
    assert _get(c, "network:attachment_thumbnail", attachment).status_code == 404


def test_a_right_to_left_override_cannot_disguise_the_extension(world, login):
    c = login(world.nurse)
    attachment = _attach(c, world, upload("photo\u202egpj.exe", image_bytes("JPEG"), "image/jpeg"))
    assert 'filename="photogpj.jpg"' in _get(c, "network:attachment", attachment)["Content-Disposition"]


def test_a_japanese_name_is_kept_with_the_type_extension(world, login):
    c = login(world.nurse)
    attachment = _attach(c, world, upload("創部写真.exe", image_bytes("PNG"), "image/png"))
    disposition = _get(c, "network:attachment", attachment)["Content-Disposition"]
    assert "filename*=utf-8''%E5%89%B5%E9%83%A8%E5%86%99%E7%9C%9F.png" in disposition
