"""The API token page: a user lists, issues and revokes their own tokens; staff revoke anyone's."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from renkei.core.models import ApiToken, AuditEvent
from renkei.core.tokens import user_for_key
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/accounts/tokens/"


def _token(user, prefix="abcdefgh"):
    return ApiToken.objects.create(
        user=user, key_hash=ApiToken.hash_key(prefix + user.username), prefix=prefix,
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )


@pytest.fixture
def owner():
    return UserFactory(username="owner")


def test_it_lists_the_users_own_tokens(login, owner):
    _token(owner, "mine1234")
    _token(UserFactory(), "other123")
    body = login(owner).get(URL).content.decode()
    assert "mine1234" in body and "other123" not in body


def test_it_needs_the_second_factor(login, owner):
    r = login(owner, verified=False).get(URL)
    assert r.status_code == 302 and r["Location"].startswith("/accounts/otp/")


def test_it_issues_a_token_shown_once(login, owner):
    body = login(owner).post(URL).content.decode()
    key = body.split('<code class="token-key">')[1].split("</code>")[0]
    assert user_for_key(key)[0] == owner and key not in login(owner).get(URL).content.decode()


def test_issuing_from_the_page_is_audited(login, owner):
    login(owner).post(URL)
    assert AuditEvent.objects.filter(action="token.issued", actor=owner, detail="web").exists()


def test_the_owner_revokes_a_token(login, owner):
    token = _token(owner)
    login(owner).post(f"/accounts/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_revoking_is_audited(login, owner):
    token = _token(owner)
    login(owner).post(f"/accounts/tokens/{token.pk}/revoke/")
    assert AuditEvent.objects.filter(action="token.revoked", actor=owner, object_id=str(token.pk)).exists()


def test_another_users_token_is_404_and_stays_active(login, owner):
    token = _token(UserFactory())
    r = login(owner).post(f"/accounts/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert r.status_code == 404 and token.revoked_at is None


def test_the_attempt_on_another_users_token_is_audited(login, owner):
    token = _token(UserFactory())
    login(owner).post(f"/accounts/tokens/{token.pk}/revoke/")
    assert AuditEvent.objects.filter(action="permission.denied", actor=owner, object_id=str(token.pk)).exists()


def test_a_missing_token_is_404(login, owner):
    assert login(owner).post("/accounts/tokens/999999/revoke/").status_code == 404


def test_revoking_needs_a_post(login, owner):
    token = _token(owner)
    assert login(owner).get(f"/accounts/tokens/{token.pk}/revoke/").status_code == 405


def test_staff_revoke_any_users_token(staff_client, owner):
    token = _token(owner)
    r = staff_client.post(f"/accounts/tokens/{token.pk}/revoke/", {"next": f"/staff/registrations/{owner.pk}/"})
    token.refresh_from_db()
    assert token.revoked_at is not None and r["Location"] == f"/staff/registrations/{owner.pk}/"


def test_staff_see_a_members_tokens_on_the_member_page(staff_client, owner):
    _token(owner, "seen1234")
    assert "seen1234" in staff_client.get(f"/staff/registrations/{owner.pk}/").content.decode()


def test_revoke_does_not_redirect_off_site(login, owner):
    token = _token(owner)
    r = login(owner).post(f"/accounts/tokens/{token.pk}/revoke/", {"next": "https://evil.example/"})
    assert r["Location"] == URL


def test_the_list_uses_a_fixed_number_of_queries(login, owner, django_assert_num_queries):
    client = login(owner)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            client.get(URL)
        return len(ctx)

    for i in range(2):
        _token(owner, f"a{i:07d}")
    small = queries()
    for i in range(18):
        _token(owner, f"b{i:07d}")
    with django_assert_num_queries(small):
        client.get(URL)
