import io

import pytest
from django.urls import reverse
from PIL import Image

from renkei.core.models import AuditEvent
from renkei.network.models import Attachment, Post
from tests.network.conftest import image_bytes, upload
from tests.network.factories import PostFactory

pytestmark = pytest.mark.django_db


def _post(client, world, *files, body="写真を共有します"):
    return client.post(reverse("network:post_create", args=[world.patient.pk]), {"body": body, "files": list(files)})


def _gps_exif():
    exif = Image.Exif()
    exif[0x010F] = "TestCamera"  # Make
    exif[0x8825] = {1: "N", 2: (35.0, 42.0, 0.0), 3: "E", 4: (139.0, 34.0, 0.0)}  # GPS
    return exif


def test_a_png_photo_is_attached_with_a_thumbnail(world, login, png):
    r = _post(login(world.nurse), world, png)
    attachment = Attachment.objects.get()
    assert r.status_code == 302 and attachment.kind == "image" and attachment.thumbnail_path


def test_files_are_stored_under_the_private_root(world, login, png, settings):
    _post(login(world.nurse), world, png)
    assert (settings.PRIVATE_MEDIA_ROOT / Attachment.objects.get().path).exists()


def test_gps_and_other_metadata_are_stripped(world, login, settings):
    jpeg = upload("gps.jpg", image_bytes("JPEG", exif=_gps_exif()), "image/jpeg")
    _post(login(world.nurse), world, jpeg)
    stored = (settings.PRIVATE_MEDIA_ROOT / Attachment.objects.get().path).read_bytes()
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif() and "exif" not in image.info


def test_a_pdf_is_accepted(world, login):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    _post(login(world.nurse), world, upload("summary.pdf", pdf, "application/pdf"))
    assert Attachment.objects.get().kind == "pdf"


def test_an_html_file_renamed_png_is_refused_and_nothing_is_saved(world, login):
    fake = upload("photo.png", b"<html><script>alert(1)</script></html>", "image/png")
    r = _post(login(world.nurse), world, fake)
    assert r.status_code == 400 and "添付できない種類" in r.content.decode()
    assert not Post.objects.exists() and not Attachment.objects.exists()


def test_an_svg_is_refused(world, login):
    svg = upload("chart.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml")
    r = _post(login(world.nurse), world, svg)
    assert r.status_code == 400 and not Post.objects.exists()


def test_a_truncated_image_is_refused(world, login):
    data = image_bytes("PNG", size=(300, 300))
    r = _post(login(world.nurse), world, upload("cut.png", data[: len(data) // 2], "image/png"))
    assert r.status_code == 400 and "途中で切れた" in r.content.decode() and not Post.objects.exists()


def test_an_oversized_file_is_refused(world, login, settings):
    settings.MAX_UPLOAD_MB = 1
    big = upload("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10) + b"\n%%EOF", "application/pdf")
    r = _post(login(world.nurse), world, big)
    assert r.status_code == 400 and "大きすぎます" in r.content.decode() and not Post.objects.exists()


def test_one_bad_file_refuses_the_good_ones_too(world, login, png, settings):
    fake = upload("x.png", b"<html></html>")
    _post(login(world.nurse), world, png, fake)
    private = settings.PRIVATE_MEDIA_ROOT
    assert not Attachment.objects.exists() and not (private.exists() and any(private.rglob("*.png")))


def test_a_refused_file_writes_an_audit_row(world, login):
    _post(login(world.nurse), world, upload("x.png", b"<html></html>"))
    assert AuditEvent.objects.filter(action="permission.denied", detail__contains="添付できない").exists()


def test_a_member_downloads_with_an_audit_row(world, login, png):
    c = login(world.nurse)
    _post(c, world, png)
    attachment = Attachment.objects.get()
    r = c.get(reverse("network:attachment", args=[attachment.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert AuditEvent.objects.filter(action="download", object_id=str(attachment.pk)).exists()


def test_an_outsider_gets_404_for_the_file_like_a_missing_one(world, login, png):
    _post(login(world.nurse), world, png)
    attachment = Attachment.objects.get()
    c = login(world.stranger)
    assert c.get(reverse("network:attachment", args=[attachment.pk])).status_code == 404
    assert c.get(reverse("network:attachment_thumbnail", args=[attachment.pk])).status_code == 404
    assert c.get(reverse("network:attachment", args=[999999])).status_code == 404
    assert AuditEvent.objects.filter(action="permission.denied", actor=world.stranger).count() == 3


def test_a_retracted_posts_file_is_no_longer_served(world, login, png):
    c = login(world.nurse)
    _post(c, world, png)
    post = Post.objects.get()
    c.post(reverse("network:post_retract", args=[post.pk]))
    assert c.get(reverse("network:attachment", args=[post.attachments.get().pk])).status_code == 404


def test_a_photo_shows_on_the_timeline_with_its_thumbnail(world, login, png):
    c = login(world.nurse)
    _post(c, world, png)
    page = c.get(reverse("network:timeline", args=[world.patient.pk])).content.decode()
    assert reverse("network:attachment_thumbnail", args=[Attachment.objects.get().pk]) in page


def test_the_timeline_query_count_does_not_grow_with_attachments(world, login, png, django_assert_num_queries):
    from tests.network.conftest import queries_of

    c = login(world.physician)
    url = reverse("network:timeline", args=[world.patient.pk])
    _post(login(world.nurse), world, png)
    c = login(world.physician)
    c.get(url)
    PostFactory(patient=world.patient, author=world.nurse)
    queries = queries_of(lambda: c.get(url))
    for _ in range(4):
        _post(login(world.nurse), world, upload("p.png", image_bytes(), "image/png"))
    c = login(world.physician)
    c.get(reverse("network:patient_list"))
    PostFactory(patient=world.patient, author=world.nurse)
    with django_assert_num_queries(queries):
        c.get(url)


def test_a_heic_photo_from_a_phone_is_stored_as_jpeg(world, login):
    _post(login(world.nurse), world, upload("IMG_0001.HEIC", image_bytes("HEIF"), "image/heic"))
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/jpeg" and attachment.path.endswith(".jpg")
