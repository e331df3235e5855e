"""Image uploads: a pixel limit per image and a budget per post, checked from the headers before decoding."""
import io

import pytest
from django.urls import reverse
from PIL import Image, ImageChops, JpegImagePlugin

from renkei.network import attachments
from renkei.network.models import Attachment, Post
from tests.network.conftest import image_bytes, upload

pytestmark = pytest.mark.django_db


def _post(client, world, *files):
    return client.post(reverse("network:post_create", args=[world.patient.pk]), {"body": "写真", "files": list(files)})


def _photos(count, size=(64, 48)):
    return [upload(f"p{i}.png", image_bytes("PNG", size=size), "image/png") for i in range(count)]


@pytest.fixture
def no_decoding(monkeypatch):
    def refuse(*args):
        raise AssertionError("an image was decoded")

    monkeypatch.setattr(attachments, "_reencode_image", refuse)


def test_a_post_over_the_pixel_budget_is_refused_in_japanese(world, login, settings):
    settings.UPLOAD_MAX_PIXELS_PER_REQUEST = 10_000
    r = _post(login(world.nurse), world, *_photos(4))
    assert r.status_code == 400 and "画素数の合計が大きすぎます" in r.content.decode()


def test_a_post_over_the_pixel_budget_saves_nothing(world, login, settings):
    settings.UPLOAD_MAX_PIXELS_PER_REQUEST = 10_000
    _post(login(world.nurse), world, *_photos(4))
    assert not Post.objects.exists() and not Attachment.objects.exists()


def test_the_budget_is_checked_before_any_image_is_decoded(no_decoding, settings):
    settings.UPLOAD_MAX_PIXELS_PER_REQUEST = 10_000
    with pytest.raises(attachments.AttachmentRefused, match="画素数の合計"):
        attachments.prepare_all(_photos(4))


def test_an_image_over_the_per_image_limit_is_refused_before_decoding(no_decoding, settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 3_000
    with pytest.raises(attachments.AttachmentRefused, match="画素数が大きすぎます"):
        attachments.prepare_all(_photos(1))


def test_a_post_within_the_budget_is_accepted(world, login, settings):
    settings.UPLOAD_MAX_PIXELS_PER_REQUEST = 4 * 64 * 48
    _post(login(world.nurse), world, *_photos(4))
    assert Attachment.objects.count() == 4


def test_a_large_image_is_stored_scaled_down_to_the_side_limit(settings):
    settings.UPLOAD_MAX_IMAGE_SIDE = 100
    (prepared,) = attachments.prepare_all(_photos(1, size=(400, 200)))
    assert (prepared.width, prepared.height) == (100, 50)


def test_a_large_jpeg_is_decoded_at_a_reduced_scale(settings, monkeypatch):
    settings.UPLOAD_MAX_IMAGE_SIDE = 100
    decoded, load = [], JpegImagePlugin.JpegImageFile.load

    def spy(self):
        decoded.append(self.size)
        return load(self)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", spy)
    attachments.prepare_all([upload("big.jpg", image_bytes("JPEG", size=(800, 400)), "image/jpeg")])
    assert decoded[-1] == (100, 50)  # 1/8 scale: never the full 800×400


def test_a_heic_photo_counts_against_the_budget(settings):
    settings.UPLOAD_MAX_PIXELS_PER_REQUEST = 5_000
    heic = [upload(f"IMG_{i}.HEIC", image_bytes("HEIF"), "image/heic") for i in range(2)]
    with pytest.raises(attachments.AttachmentRefused, match="画素数の合計"):
        attachments.prepare_all(heic)


def test_a_photo_turned_by_its_exif_orientation_is_stored_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    (prepared,) = attachments.prepare_all([upload("turned.jpg", image_bytes("JPEG", exif=exif), "image/jpeg")])
    assert (prepared.width, prepared.height) == (48, 64)


def test_an_image_beyond_pillows_own_bomb_limit_gets_the_pixel_message(settings, monkeypatch):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 1_000
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000)
    with pytest.raises(attachments.AttachmentRefused, match="画素数が大きすぎます"):
        attachments.prepare_all(_photos(1))


def test_resizing_band_by_band_matches_one_resize():
    source = Image.effect_noise((600, 700), 60).convert("RGB")
    banded = attachments._resize_in_bands(source, (300, 350))
    whole = source.resize((300, 350), Image.Resampling.LANCZOS)
    assert max(high for _, high in ImageChops.difference(banded, whole).getextrema()) <= 1


def test_a_large_palette_png_keeps_its_colours(settings):
    settings.UPLOAD_MAX_IMAGE_SIDE = 50
    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), (200, 30, 30)).convert("P", palette=Image.Palette.ADAPTIVE).save(buffer, "PNG")
    (prepared,) = attachments.prepare_all([upload("chart.png", buffer.getvalue(), "image/png")])
    with Image.open(io.BytesIO(prepared.data)) as stored:
        assert (stored.size, stored.convert("RGB").getpixel((10, 10))) == ((50, 25), (200, 30, 30))
