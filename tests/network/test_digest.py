"""The e-mail digest: counts per kind, including the kinds other parts write (no patient data)."""
import pytest

from renkei.network.digest import digest_text


def test_it_counts_each_known_kind():
    assert "・メンション 2件" in digest_text({"mention": 2}, "https://renkei.example")


def test_the_directorys_kinds_have_their_own_words():
    text = digest_text({"referral": 1, "reconfirm": 2}, "https://renkei.example")
    assert "・受け入れ依頼 1件" in text and "・受け入れ状況の再確認 2件" in text and "その他" not in text


def test_a_kind_without_a_label_is_counted_as_other_notices():
    text = digest_text({"some_future_kind": 3}, "https://renkei.example")
    assert "・その他のお知らせ 3件" in text


# --- the physicians' morning digest of their list ---------------------------------------------------

def test_the_physicians_digest_counts_each_reason_without_patient_data():
    from renkei.network.digest import physician_digest_text

    text = physician_digest_text({"important": 2, "sheet": 1}, "https://renkei.example")
    assert "・重要 2件" in text and "・自分宛ての連携シート（未開封） 1件" in text
    assert "https://renkei.example/network/doctor/" in text and "メンション" not in text


@pytest.mark.django_db
def test_a_physician_who_opted_in_gets_the_morning_mail(world, mailoutbox):
    from renkei.network.digest import PHYSICIAN_SUBJECT, send_physician_digests
    from tests.network.factories import PostFactory

    world.physician.email_digest = True
    world.physician.save(update_fields=["email_digest"])
    PostFactory(patient=world.patient, author=world.nurse, important=True, body="褥瘡が悪化しています")
    assert send_physician_digests(site_url="https://renkei.example") == (1, 0)
    assert mailoutbox[0].subject == PHYSICIAN_SUBJECT and "・重要 1件" in mailoutbox[0].body
    assert "褥瘡" not in mailoutbox[0].body and world.patient.name not in mailoutbox[0].body


@pytest.mark.django_db
def test_a_physician_with_an_empty_list_gets_nothing(world, mailoutbox):
    from renkei.network.digest import send_physician_digests

    world.physician.email_digest = True
    world.physician.save(update_fields=["email_digest"])
    assert send_physician_digests() == (0, 0) and not mailoutbox


@pytest.mark.django_db
def test_the_morning_push_opens_the_physicians_list(world, settings):
    import json
    from unittest import mock

    from renkei.network.digest import send_physician_digests
    from tests.network.factories import PostFactory, push_subscription

    settings.VAPID_PUBLIC_KEY = "BCVaS6aZijhBXx42TfGSaot0IH7tqTgNh_26yQay69bNCsIeJU2GjR-PaPW8ZzhD19PRbrD1F7bBnoesjS6S_MA"
    settings.VAPID_PRIVATE_KEY = "55UWBJtcr1oqgIZ8XXpDpAOQzqT-xQonMvqxtJKzOQI"
    push_subscription(world.physician)
    push_subscription(world.nurse)
    PostFactory(patient=world.patient, author=world.nurse, important=True)
    with mock.patch("pywebpush.webpush") as sent:
        assert send_physician_digests() == (0, 1)
    assert json.loads(sent.call_args.kwargs["data"])["url"] == "/network/doctor/"


@pytest.mark.django_db
def test_the_command_sends_the_physicians_digest_with_its_flag_only(world, mailoutbox):
    from django.core.management import call_command

    from tests.network.factories import PostFactory

    world.physician.email_digest = True
    world.physician.save(update_fields=["email_digest"])
    PostFactory(patient=world.patient, author=world.nurse, important=True)
    call_command("send_network_digest")
    assert mailoutbox == []
    call_command("send_network_digest", "--physicians")
    assert [m.subject for m in mailoutbox] == ["【Renkei】確認が必要なものがあります"]
