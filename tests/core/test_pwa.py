"""The installable app: manifest and icons, the service worker at the root, and the VAPID key command."""
import base64
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

import renkei

STATIC = Path(renkei.__file__).parent.parent / "static" / "core"


def test_the_manifest_names_the_app_in_japanese():
    manifest = json.loads((STATIC / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] == "連携 Renkei" and manifest["lang"] == "ja"
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"


@pytest.mark.parametrize("size", [192, 512])
def test_the_manifest_icons_exist_in_their_sizes(size):
    manifest = json.loads((STATIC / "manifest.webmanifest").read_text(encoding="utf-8"))
    icon, = [i for i in manifest["icons"] if i["sizes"] == f"{size}x{size}"]
    with Image.open(STATIC / icon["src"]) as image:
        assert image.format == "PNG" and image.size == (size, size)


def test_every_page_links_the_manifest_and_registers_the_worker(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert "core/manifest.webmanifest" in page and 'data-sw="/sw.js"' in page


def test_the_worker_is_served_from_the_root_for_the_whole_site(client, db):
    r = client.get("/sw.js")
    assert r.status_code == 200 and "javascript" in r["Content-Type"]


def test_fetching_the_worker_touches_no_session_or_database(client, db, django_assert_num_queries):
    from tests.factories import UserFactory, verify_client

    verify_client(client, UserFactory())
    with django_assert_num_queries(0):
        assert client.get("/sw.js").status_code == 200


def _worker():
    return (Path(renkei.__file__).parent.parent / "root" / "sw.js").read_text(encoding="utf-8")


def test_the_worker_handles_static_files_only():
    source = _worker()
    assert 'var STATIC_PREFIX = "/static/"' in source and "if (!isStatic(event.request)) { return; }" in source


def test_the_worker_shows_only_the_generic_line():
    source = _worker()
    assert 'var BODY = "新しい連絡があります"' in source and "body: BODY" in source


def test_the_worker_opens_the_notifications_page():
    from django.urls import reverse

    assert f'var NOTIFICATIONS_URL = "{reverse("network:notifications")}"' in _worker()


def test_a_signed_in_page_is_never_stored(client, db):
    from tests.factories import UserFactory, verify_client

    verify_client(client, UserFactory())
    assert "no-store" in client.get("/network/").headers["Cache-Control"]


def _decoded(value):
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def test_the_key_command_prints_a_usable_pair(capsys):
    from py_vapid import Vapid

    call_command("generate_vapid_keys")
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    public, private = lines["VAPID_PUBLIC_KEY"], lines["VAPID_PRIVATE_KEY"]
    assert len(_decoded(public)) == 65 and _decoded(public)[0] == 4
    vapid = Vapid.from_string(private)
    assert vapid.public_key.public_numbers().x.to_bytes(32, "big") == _decoded(public)[1:33]


def test_the_manifest_is_served_as_a_manifest(client, db, settings):
    settings.WHITENOISE_USE_FINDERS = True  # as the demo serves it (production: from the collected files)
    response = client.get("/static/core/manifest.webmanifest")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/manifest+json")
