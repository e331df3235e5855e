import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from renkei.network.models import Notification
from renkei.network.services import create_post

pytestmark = pytest.mark.django_db


def _mention(world):
    return create_post(author=world.nurse, body=f"@{world.physician.username} 褥瘡の写真を見てください", patient=world.patient)


def test_an_at_username_in_the_text_is_a_mention(world):
    _mention(world)
    assert Notification.objects.get().recipient == world.physician


def test_the_bell_counts_unread_notifications(world, login):
    _mention(world)
    r = login(world.physician).get(reverse("network:notification_badge"))
    assert "未読1件" in r.content.decode()


def test_the_list_marks_all_read(world, login):
    _mention(world)
    c = login(world.physician)
    assert "武蔵野 テスト花子" in c.get(reverse("network:notifications")).content.decode()
    c.post(reverse("network:notifications"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_digest_carries_no_patient_identifying_content(world, settings):
    world.physician.email_digest = True
    world.physician.save()
    _mention(world)
    call_command("send_network_digest")
    message = mail.outbox[0]
    text = message.subject + message.body
    assert "メンション 1件" in text
    for secret in ("武蔵野", "テスト花子", "褥瘡", "むさしの"):
        assert secret not in text


def test_the_digest_is_sent_once(world):
    world.physician.email_digest = True
    world.physician.save()
    _mention(world)
    call_command("send_network_digest")
    call_command("send_network_digest")
    assert len(mail.outbox) == 1


def test_no_digest_without_opting_in(world):
    _mention(world)
    call_command("send_network_digest")
    assert mail.outbox == []


def test_a_removed_member_no_longer_sees_the_patient_in_old_notifications(world, login):
    from renkei.network.models import MemberStatus

    _mention(world)
    world.physician_member.status = MemberStatus.REMOVED
    world.physician_member.save()
    c = login(world.physician)
    assert "武蔵野 テスト花子" not in c.get(reverse("network:notifications")).content.decode()
    assert "未読" not in c.get(reverse("network:notification_badge")).content.decode()


def test_the_digest_names_the_site_url_setting(world, settings):
    settings.SITE_URL = "https://renkei.example.jp"
    world.physician.email_digest = True
    world.physician.save()
    _mention(world)
    call_command("send_network_digest")
    assert "https://renkei.example.jp" in mail.outbox[0].body
