"""The Japanese base layout: navigation by role, links from the login page, phone-ready markup."""
import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_pages_are_japanese_and_phone_ready(client):
    body = client.get("/accounts/login/").content.decode()
    assert '<html lang="ja">' in body and 'name="viewport" content="width=device-width' in body


def test_the_login_page_links_to_registration(client):
    assert "/accounts/register/" in client.get("/accounts/login/").content.decode()


def test_the_login_page_links_to_password_reset(client):
    assert "/accounts/password/reset/" in client.get("/accounts/login/").content.decode()


def test_staff_see_the_staff_pages_in_the_navigation(staff_client):
    body = staff_client.get("/").content.decode()
    assert all(url in body for url in ["/staff/registrations/", "/staff/members/", "/staff/audit/"])


def test_professionals_do_not_see_the_staff_pages(login):
    body = login(UserFactory()).get("/").content.decode()
    assert "/staff/" not in body


def test_visitors_see_no_staff_or_token_links(client):
    body = client.get("/").content.decode()
    assert "/staff/" not in body and "/accounts/tokens/" not in body


def test_verified_users_find_their_api_tokens(login):
    assert "/accounts/tokens/" in login(UserFactory()).get("/").content.decode()


def test_the_stylesheet_is_served_locally(client):
    body = client.get("/accounts/login/").content.decode()
    assert "/static/core/renkei.css" in body and "https://" not in body.split("<body")[0]


def test_a_field_error_is_tied_to_its_input_for_screen_readers(client):
    body = client.post("/accounts/register/", {}).content.decode()
    assert 'aria-describedby="id_facility_helptext id_facility_error"' in body and 'id="id_facility_error"' in body


def test_an_invalid_field_is_marked_invalid(client):
    body = client.post("/accounts/register/", {}).content.decode()
    assert 'aria-invalid="true"' in body
