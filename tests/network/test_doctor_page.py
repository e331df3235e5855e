"""The physician's list page (/network/doctor/): items, one-tap 「確認しました」 seen by the team, reply templates."""
import pytest
from django.urls import reverse

from renkei.core.models import AuditEvent
from renkei.network.models import PostAcknowledgement, ReplyTemplate
from renkei.sheets.models import SheetRead
from tests.network.conftest import queries_of
from tests.network.factories import PatientFactory, PostFactory
from tests.sheets.factories import SheetFactory

pytestmark = pytest.mark.django_db

LIST = "/network/doctor/"


def ack_url(post):
    return reverse("network:acknowledge_post", args=[post.pk])


def test_it_shows_my_important_post_with_its_button(world, login):
    PostFactory(patient=world.patient, author=world.nurse, important=True, body="転倒されました")
    body = login(world.physician).get(LIST).content.decode()
    assert "転倒されました" in body and "確認しました" in body and world.patient.name in body


def test_it_says_when_nothing_waits(world, login):
    assert "確認が必要なものはありません。" in login(world.physician).get(LIST).content.decode()


def test_the_list_view_is_audited(world, login):
    login(world.physician).get(LIST)
    assert AuditEvent.objects.filter(actor=world.physician, object_type="network.doctor_inbox").exists()


def test_it_needs_the_second_factor(world, login):
    assert login(world.physician, verified=False).get(LIST).status_code == 302


def test_the_page_takes_a_fixed_number_of_queries(world, login):
    client = login(world.physician)
    client.get(LIST)
    PostFactory(patient=world.patient, author=world.nurse, important=True)
    one = queries_of(lambda: client.get(LIST))
    PostFactory.create_batch(9, patient=world.patient, author=world.nurse, important=True)
    ReplyTemplate.objects.create(user=world.physician, body="了解")
    assert queries_of(lambda: client.get(LIST)) == one


def test_one_tap_stores_the_acknowledgement_and_empties_the_list(world, login):
    post = PostFactory(patient=world.patient, author=world.nurse, important=True, body="転倒されました")
    client = login(world.physician)
    response = client.post(ack_url(post), follow=True)
    assert PostAcknowledgement.objects.filter(post=post, user=world.physician).count() == 1
    assert "転倒されました" not in response.content.decode()


def test_the_team_sees_the_acknowledgement_under_the_post(world, login):
    post = PostFactory(patient=world.patient, author=world.nurse, important=True)
    login(world.physician).post(ack_url(post))
    body = login(world.nurse).get(reverse("network:timeline", args=[world.patient.pk])).content.decode()
    assert f"{world.physician}医師が確認しました" in body


def test_the_acknowledgement_is_audited_with_the_patient(world, login):
    post = PostFactory(patient=world.patient, author=world.nurse, important=True)
    login(world.physician).post(ack_url(post))
    row = AuditEvent.objects.get(object_type="network.postacknowledgement")
    assert row.actor == world.physician and row.patient_id == str(world.patient.pk)


def test_a_second_tap_changes_nothing(world, login):
    post = PostFactory(patient=world.patient, author=world.nurse, important=True)
    client = login(world.physician)
    client.post(ack_url(post))
    client.post(ack_url(post))
    assert PostAcknowledgement.objects.filter(post=post).count() == 1


def test_a_stranger_gets_404_and_an_audit_row(world, login):
    post = PostFactory(patient=world.patient, author=world.nurse, important=True)
    assert login(world.stranger).post(ack_url(post)).status_code == 404
    assert not PostAcknowledgement.objects.exists()
    assert AuditEvent.objects.filter(actor=world.stranger, action="permission.denied").exists()


def test_another_teams_post_is_404(world, login):
    post = PostFactory(patient=PatientFactory(), author=world.nurse, important=True)
    assert login(world.physician).post(ack_url(post)).status_code == 404


def test_a_family_timeline_post_cannot_be_acknowledged(world, login):
    post = PostFactory(patient=world.patient, author=world.nurse, channel="family")
    assert login(world.physician).post(ack_url(post)).status_code == 404


def test_acknowledging_needs_a_post_request(world, login):
    post = PostFactory(patient=world.patient, author=world.nurse, important=True)
    assert login(world.physician).get(ack_url(post)).status_code == 405


def test_a_sheet_is_acknowledged_as_opened(world, login):
    sheet = SheetFactory(patient=world.patient, author=world.nurse)
    SheetRead.objects.create(sheet=sheet, user=world.physician)
    login(world.physician).post(reverse("network:acknowledge_sheet", args=[sheet.pk]))
    assert SheetRead.objects.get(sheet=sheet, user=world.physician).read_at is not None


def test_another_teams_sheet_is_404(world, login):
    sheet = SheetFactory(patient=PatientFactory())
    assert login(world.physician).post(reverse("network:acknowledge_sheet", args=[sheet.pk])).status_code == 404


def test_the_reply_form_offers_my_templates_as_one_tap_buttons(world, login):
    PostFactory(patient=world.patient, author=world.nurse, body="点滴は継続ですか？")
    ReplyTemplate.objects.create(user=world.physician, body="継続してください。")
    ReplyTemplate.objects.create(user=world.nurse, body="看護師の定型文")
    body = login(world.physician).get(LIST).content.decode()
    assert 'data-reply-template="継続してください。"' in body and "看護師の定型文" not in body


def test_the_home_page_links_a_physician_to_the_list(world, login):
    PostFactory(patient=world.patient, author=world.nurse, important=True)
    body = login(world.physician).get("/").content.decode()
    assert f'href="{LIST}"' in body and "確認が必要なものを開く（1 件）" in body


def test_the_home_page_of_a_nurse_has_no_physicians_button(world, login):
    assert "確認が必要なものを開く" not in login(world.nurse).get("/").content.decode()


# --- reply templates -------------------------------------------------------------------------------

TEMPLATES = "/network/doctor/templates/"


def test_a_template_is_added(world, login):
    login(world.physician).post(TEMPLATES, {"body": "承知しました。"})
    assert list(ReplyTemplate.objects.filter(user=world.physician).values_list("body", flat=True)) == ["承知しました。"]


def test_an_empty_template_is_refused_next_to_the_field(world, login):
    response = login(world.physician).post(TEMPLATES, {"body": "  "})
    assert response.status_code == 400 and "定型文を入力してください。" in response.content.decode()


def test_a_too_long_template_is_refused(world, login):
    response = login(world.physician).post(TEMPLATES, {"body": "あ" * 201})
    assert response.status_code == 400 and not ReplyTemplate.objects.exists()


def test_a_template_is_changed(world, login):
    template = ReplyTemplate.objects.create(user=world.physician, body="旧")
    login(world.physician).post(reverse("network:reply_template_edit", args=[template.pk]), {"body": "新"})
    template.refresh_from_db()
    assert template.body == "新"


def test_a_template_is_deleted(world, login):
    template = ReplyTemplate.objects.create(user=world.physician, body="旧")
    login(world.physician).post(reverse("network:reply_template_delete", args=[template.pk]))
    assert not ReplyTemplate.objects.exists()


def test_someone_elses_template_is_404(world, login):
    template = ReplyTemplate.objects.create(user=world.nurse, body="看護師の定型文")
    client = login(world.physician)
    assert client.post(reverse("network:reply_template_edit", args=[template.pk]), {"body": "x"}).status_code == 404
    assert client.post(reverse("network:reply_template_delete", args=[template.pk])).status_code == 404
    assert ReplyTemplate.objects.get(pk=template.pk).body == "看護師の定型文"


def test_the_timeline_offers_the_button_on_an_important_post_and_comes_back_to_it(world, login):
    post = PostFactory(patient=world.patient, author=world.nurse, important=True)
    client = login(world.physician)
    timeline = reverse("network:timeline", args=[world.patient.pk])
    assert f'action="{ack_url(post)}"' in client.get(timeline).content.decode()
    response = client.post(ack_url(post), {"next": "timeline"})
    assert response["Location"] == f"{timeline}#post-{post.pk}"
    assert f'action="{ack_url(post)}"' not in client.get(timeline).content.decode()


def test_the_timeline_offers_no_button_on_a_plain_post_or_my_own(world, login):
    plain = PostFactory(patient=world.patient, author=world.nurse)
    mine = PostFactory(patient=world.patient, author=world.physician, important=True)
    body = login(world.physician).get(reverse("network:timeline", args=[world.patient.pk])).content.decode()
    assert f'action="{ack_url(plain)}"' not in body and f'action="{ack_url(mine)}"' not in body


def test_a_long_list_shows_the_oldest_and_says_how_many_wait(world, login, settings):
    from renkei.network import inbox

    PostFactory.create_batch(inbox.SHOWN + 2, patient=world.patient, author=world.nurse, important=True)
    body = login(world.physician).get(LIST).content.decode()
    assert f"全 {inbox.SHOWN + 2} 件のうち古い順に {inbox.SHOWN} 件を表示しています。" in body
