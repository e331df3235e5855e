"""A double tap or a resubmission of the post form creates one post; the second answer leads to the first."""
import pytest
from django.urls import reverse

from renkei.core.models import AuditEvent, IdempotencyKey
from renkei.network.models import Post
from tests.factories import submission_token

pytestmark = pytest.mark.django_db


def _page(client, world):
    return client.get(reverse("network:timeline", args=[world.patient.pk]))


def _post(client, world, token, body="本日訪問、発熱なし。", patient=None):
    url = reverse("network:post_create", args=[(patient or world.patient).pk])
    return client.post(url, {"body": body, "submission_token": token})


def test_the_post_form_carries_a_one_time_token(world, login):
    client = login(world.nurse)
    assert submission_token(_page(client, world)) != submission_token(_page(client, world))


def test_a_double_submission_creates_one_post(world, login):
    client = login(world.nurse)
    token = submission_token(_page(client, world))
    _post(client, world, token)
    _post(client, world, token)
    assert Post.objects.count() == 1


def test_the_second_submission_redirects_to_the_first_post(world, login):
    client = login(world.nurse)
    token = submission_token(_page(client, world))
    first, second = _post(client, world, token), _post(client, world, token)
    post = Post.objects.get()
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert second["Location"].endswith(f"#post-{post.pk}")


def test_the_second_submission_says_it_was_already_sent(world, login):
    client = login(world.nurse)
    token = submission_token(_page(client, world))
    _post(client, world, token)
    page = client.get(_post(client, world, token)["Location"]).content.decode()
    assert "既に送信済み" in page


def test_two_forms_create_two_posts(world, login):
    client = login(world.nurse)
    _post(client, world, submission_token(_page(client, world)))
    _post(client, world, submission_token(_page(client, world)))
    assert Post.objects.count() == 2


def test_a_refused_form_can_be_sent_again_with_the_same_token(world, login):
    client = login(world.nurse)
    token = submission_token(_page(client, world))
    assert _post(client, world, token, body="  ").status_code == 400
    assert _post(client, world, token).status_code == 302 and Post.objects.count() == 1


def test_the_same_token_from_another_member_is_independent(world, login):
    nurse = login(world.nurse)
    token = submission_token(_page(nurse, world))
    _post(nurse, world, token)
    _post(login(world.physician), world, token)
    assert Post.objects.count() == 2


def test_a_refused_post_on_another_team_is_404_and_still_audited(world, login):
    client = login(world.nurse)
    r = _post(client, world, submission_token(_page(client, world)), patient=world.other_patient)
    assert r.status_code == 404 and not IdempotencyKey.objects.exists()
    assert AuditEvent.objects.filter(action="permission.denied", actor=world.nurse).exists()


def test_without_a_token_the_form_still_posts(world, login):
    login(world.nurse).post(reverse("network:post_create", args=[world.patient.pk]), {"body": "トークンなし"})
    assert Post.objects.count() == 1


def test_a_submission_that_meets_a_database_error_keeps_nothing(world, login, monkeypatch):
    from django.db import OperationalError

    from renkei.network import services

    def away(**kwargs):
        Post.objects.create(patient=world.patient, author=world.nurse, body="途中まで")
        raise OperationalError("connection lost")

    client = login(world.nurse)
    token = submission_token(_page(client, world))
    monkeypatch.setattr(services, "create_post", away)
    assert _post(client, world, token).status_code == 503
    assert not IdempotencyKey.objects.exists() and not Post.objects.exists()


# --- the device's draft (static/network/draft.js) learns that its key was taken ----------------------

DEVICE_KEY = "0123456789abcdef0123456789abcdef0123"


def test_a_key_made_on_the_device_counts_once(world, login):
    client = login(world.nurse)
    _post(client, world, DEVICE_KEY)
    _post(client, world, DEVICE_KEY)
    assert Post.objects.count() == 1


def test_the_page_after_sending_carries_the_keys_tag(world, login):
    client = login(world.nurse)
    page = client.get(_post(client, world, DEVICE_KEY)["Location"]).content.decode()
    assert f"sent-{DEVICE_KEY}" in page


def test_the_page_after_a_resend_carries_the_keys_tag_too(world, login):
    client = login(world.nurse)
    client.get(_post(client, world, DEVICE_KEY)["Location"])
    page = client.get(_post(client, world, DEVICE_KEY)["Location"]).content.decode()
    assert f"sent-{DEVICE_KEY}" in page and "既に送信済み" in page


def test_a_key_with_other_characters_gets_no_tag(world, login):
    client = login(world.nurse)
    page = client.get(_post(client, world, 'x" onmouseover="y')["Location"]).content.decode()
    assert "sent-" not in page and "onmouseover" not in page


def test_a_refused_post_carries_no_tag(world, login):
    client = login(world.nurse)
    page = _post(client, world, DEVICE_KEY, body="").content.decode()
    assert f"sent-{DEVICE_KEY}" not in page and not Post.objects.exists()
