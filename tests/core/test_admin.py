"""Django admin: needs the second factor; the audit trail is view-only."""
import pytest

from renkei.core.audit import Action, record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_the_admin_needs_the_second_factor(login, superuser):
    r = login(superuser, verified=False).get("/admin/")
    assert r.status_code == 302 and "/admin/login/" in r["Location"]


def test_a_verified_superuser_reaches_the_admin(login, superuser):
    assert login(superuser).get("/admin/").status_code == 200


def test_it_lists_the_core_models(login, superuser):
    body = login(superuser).get("/admin/").content.decode()
    assert all(name in body for name in ["監査ログ", "アカウント", "事業所・医療機関", "市区町村", "APIトークン"])


def test_audit_rows_can_be_viewed(login, superuser):
    event = record(action=Action.READ, object_type="t", object_id="1")
    assert login(superuser).get(f"/admin/core/auditevent/{event.pk}/change/").status_code == 200


def test_audit_rows_cannot_be_added(login, superuser):
    assert login(superuser).get("/admin/core/auditevent/add/").status_code == 403


def test_audit_rows_cannot_be_changed(login, superuser):
    event = record(action=Action.READ, object_type="t", object_id="1")
    login(superuser).post(f"/admin/core/auditevent/{event.pk}/change/", {"action": "delete"})
    event.refresh_from_db()
    assert event.action == "read"


def test_audit_rows_cannot_be_deleted(login, superuser):
    event = record(action=Action.READ, object_type="t", object_id="1")
    r = login(superuser).post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert r.status_code == 403


def test_the_user_page_opens(login, superuser):
    member = UserFactory()
    assert login(superuser).get(f"/admin/core/user/{member.pk}/change/").status_code == 200
