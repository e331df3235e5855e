"""Hostile input answers 4xx, never 500 (on PostgreSQL too): NUL characters, text that is not UTF-8,
integers beyond 64 bits, over-long usernames, malformed multipart bodies."""
import datetime
import secrets

import pytest
from django.test import Client
from django.utils import timezone

from renkei.core.models import ApiToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
BIG = str(2**70)


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.fixture
def bearer():
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=UserFactory(is_municipal_staff=True), key_hash=ApiToken.hash_key(key),
                            prefix=key[:8], expires_at=timezone.now() + datetime.timedelta(hours=1))
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.parametrize("url", [
    "/api/v1/facilities?q=a%00b",
    "/api/v1/facilities?q=%ff%fe",
    "/api/v1/sheets/a%00b",
])
def test_anonymous_api_query_with_nul_or_bad_utf8_is_400_json(client, url):
    r = client.get(url)
    assert r.status_code == 400 and r.json()["detail"]


@pytest.mark.parametrize("url", ["/api/v1/patients?q=a%00b", "/api/v1/consultations?q=a%00b"])
def test_signed_in_api_query_with_nul_is_400_json(client, bearer, url):
    r = client.get(url, **bearer)
    assert r.status_code == 400 and "NUL" in r.json()["detail"]


@pytest.mark.parametrize("body", [
    b'{"username": "a\\u0000b", "password": "x", "otp": "1"}',
    b'{"username": "\\ud800", "password": "x", "otp": "1"}',
    b'{"username": "\xff\xfe", "password": "x", "otp": "1"}',
    b'{"username": "a\x00b", "password": "x", "otp": "1"}',
])
def test_token_body_with_nul_or_bad_utf8_is_400_json(client, body):
    r = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert r.status_code == 400 and r.json()["detail"]


def test_escaped_backslash_before_u0000_is_ordinary_text(client):
    r = client.post("/api/v1/auth/token", b'{"username": "a\\\\u0000", "password": "x", "otp": "1"}',
                    content_type="application/json")
    assert r.status_code == 401


def test_a_post_body_with_nul_is_400(client, bearer):
    r = client.post("/api/v1/patients/1/posts", {"body": "a\x00b"}, content_type="application/json", **bearer)
    assert r.status_code == 400


def test_multipart_without_boundary_is_400(client):
    r = client.generic("POST", "/api/v1/auth/token", b"{}", content_type="multipart/form-data")
    assert r.status_code == 400 and r.json()["detail"]


@pytest.mark.parametrize("url", [
    f"/api/v1/facilities?offset={BIG}",
    f"/api/v1/facilities?limit={BIG}",
    f"/api/v1/facilities/{BIG}",
])
def test_anonymous_api_integers_beyond_64_bits_are_4xx(client, url):
    assert client.get(url).status_code in (400, 404, 422)


@pytest.mark.parametrize("url", [
    f"/api/v1/patients?offset={BIG}",
    f"/api/v1/patients?limit={BIG}",
    f"/api/v1/patients/{BIG}",
    f"/api/v1/consultations?offset={BIG}",
    f"/api/v1/auth/tokens?offset={BIG}",
    f"/api/v1/sheets/received?offset={BIG}",
    "/api/v1/consultations?fiscal_year=-9223372036854775808",
])
def test_signed_in_api_integers_beyond_64_bits_are_4xx(client, bearer, url):
    assert client.get(url, **bearer).status_code in (400, 404, 422)


def test_an_integer_beyond_64_bits_is_422_with_its_location(client, bearer):
    r = client.get(f"/api/v1/patients?offset={BIG}", **bearer)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "offset"]


def test_an_integer_beyond_64_bits_in_a_body_is_422(client, bearer):
    r = client.post("/api/v1/events", {"title": "t", "kind": "training", "audience": "professionals",
                                       "starts_on": "2025-05-01", "ends_on": "2025-05-01", "participants": 2**70},
                    content_type="application/json", **bearer)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "participants"


def test_nan_in_a_body_is_422(client, bearer):
    body = (b'{"birth_date": "1941-05-02", "as_of": "2026-01-10", "household": "alone", "cause": "other",'
            b' "ltc_certified": false, "uses_ltc_services": false, "hours_per_week": NaN, "days": 1}')
    r = client.post("/api/v1/programs/rescue-helper/assess", body, content_type="application/json", **bearer)
    assert r.status_code == 422


@pytest.mark.parametrize("username", ["a" * 300, "a\x00b"])
def test_login_page_with_hostile_username_is_4xx_or_form_error(client, username):
    r = client.post("/accounts/login/", {"username": username, "password": "x"})
    assert r.status_code in (200, 400)


def test_login_page_with_nul_username_shows_the_japanese_message(client):
    r = client.post("/accounts/login/", {"username": "a\x00b", "password": "x"})
    assert r.status_code == 400 and "NUL 文字" in r.content.decode()


def test_token_with_a_300_character_username_is_401(client):
    r = client.post("/api/v1/auth/token", {"username": "a" * 300, "password": "x", "otp": "1"},
                    content_type="application/json")
    assert r.status_code == 401


def test_a_page_query_with_nul_is_a_japanese_400_page(client):
    r = client.get("/directory/?q=a%00b")
    assert r.status_code == 400 and "入力に使えない文字" in r.content.decode()


def test_a_multipart_form_field_with_nul_is_400(client):
    r = client.post("/accounts/login/", {"username": "a\x00b", "password": "x", "file": b""})
    assert r.status_code == 400


def test_ordinary_japanese_input_passes(client):
    assert client.get("/api/v1/facilities?q=%E8%A8%AA%E5%95%8F").status_code == 200


@pytest.mark.parametrize("page", ["2", BIG, "-1", "x"])
def test_directory_pages_of_any_number_are_shown(client, page):
    assert client.get(f"/directory/?page={page}").status_code == 200


def test_a_request_for_a_host_not_served_is_a_400_page_not_a_500(client, settings):
    settings.ALLOWED_HOSTS = ["renkei.example.jp"]
    r = client.get("/", HTTP_HOST="evil.example")
    assert r.status_code == 400


def test_a_form_beyond_djangos_field_limit_is_a_japanese_400_page(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    r = client.post("/accounts/login/", {f"f{n}": "x" for n in range(11)})
    assert r.status_code == 400 and "一度に送れる項目は 10 個までです。" in r.content.decode()


def test_an_api_body_beyond_djangos_size_limit_is_400_json(client, bearer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    r = client.post("/api/v1/consultations", data="{" + " " * 200 + "}", content_type="application/json", **bearer)
    assert r.status_code == 400 and r.json()["detail"] == "送信された内容が大きすぎます。"
