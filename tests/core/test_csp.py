"""Content-Security-Policy: every HTML page forbids inline script; no template carries any to forbid."""
import re
from pathlib import Path

import pytest
from django.urls import path, reverse

from tests.factories import UserFactory
from tests.network.factories import CareTeamMemberFactory, ConsentFactory, PatientFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
HOSTILE_NAME = """O'Brien"); alert(1)//"""


def _script_sources(response):
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return directives.get("script-src", directives.get("default-src", ""))


def _boom(request):
    raise RuntimeError("a failing view")


urlpatterns = [path("boom/", _boom)]


@pytest.mark.parametrize("url", ["/accounts/login/", "/directory/", "/api/v1/docs", "/admin/login/", "/no-such-page/"])
def test_public_pages_forbid_inline_script(client, url):
    r = client.get(url)
    assert r["Content-Type"].startswith("text/html") and _script_sources(r) == "'self'"


def test_a_logged_in_page_forbids_inline_script(login):
    assert _script_sources(login(UserFactory()).get(reverse("core:home"))) == "'self'"


def test_the_server_error_page_forbids_inline_script(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    r = client.get("/boom/")
    assert r.status_code == 500 and _script_sources(r) == "'self'"


def test_styles_are_only_our_own_files(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "style-src 'self';" in policy + ";" and "unsafe" not in policy


def test_map_tiles_may_be_loaded_from_the_tile_host(client):
    assert "https://cyberjapandata.gsi.go.jp" in client.get("/directory/map/")["Content-Security-Policy"]


@pytest.mark.parametrize("url, source", [
    ("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.org"),
    ("https://tiles.example.jp:8443/{z}/{x}/{y}.png", "https://tiles.example.jp:8443"),
    ("/static/tiles/{z}/{x}/{y}.png", None),
])
def test_the_tile_host_becomes_an_image_source(url, source):
    from renkei.settings import _tile_origin

    assert _tile_origin(url) == source


def test_the_api_docs_use_no_cdn(client):
    body = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in body and not re.search(r"""(src|href)=["']?(https?:)?//""", body)


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_has_inline_script_or_style(template):
    text = template.read_text()
    assert not re.search(r"""\son[a-z]+\s*=""", text), "inline event handler"
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", text), "inline <script>"
    assert "javascript:" not in text and not re.search(r"""\sstyle\s*=""", text) and "<style" not in text


def test_a_hostile_member_name_is_confirm_text_not_code(login):
    patient = PatientFactory()
    ConsentFactory(patient=patient)
    manager = CareTeamMemberFactory(patient=patient, is_manager=True).user
    CareTeamMemberFactory(patient=patient, user__name=HOSTILE_NAME)
    body = login(manager).get(reverse("network:team", args=[patient.pk])).content.decode()
    assert 'data-confirm="O&#x27;Brien&quot;); alert(1)// さんをチームから外しますか？"' in body
