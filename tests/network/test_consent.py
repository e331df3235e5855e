import pytest
from django.urls import reverse
from django.utils import timezone

from renkei.core.models import AuditEvent
from renkei.network.models import Consent, Post
from tests.network.conftest import upload
from tests.network.factories import PatientFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_without_consent_the_timeline_is_closed_with_a_message(world, login):
    world.consent.delete()
    PostFactory(patient=world.patient, author=world.physician, body="臨床情報")
    page = login(world.nurse).get(reverse("network:timeline", args=[world.patient.pk])).content.decode()
    assert "同意が記録されていない" in page and "臨床情報" not in page


def test_without_consent_posting_is_refused_and_nothing_saved(world, login):
    world.consent.delete()
    r = login(world.nurse).post(reverse("network:post_create", args=[world.patient.pk]), {"body": "x"})
    assert r.status_code == 409 and "同意が記録されていない" in r.content.decode() and not Post.objects.exists()


def test_without_consent_a_notice_is_still_shown(world, login):
    from renkei.network.services import post_notice

    world.consent.delete()
    post_notice(patient=world.patient, author=world.physician, body="連携シートを送付しました")
    page = login(world.nurse).get(reverse("network:timeline", args=[world.patient.pk])).content.decode()
    assert "連携シートを送付しました" in page


def test_recording_consent_opens_the_timeline(world, login):
    world.consent.delete()
    c = login(world.nurse)
    c.post(reverse("network:consent", args=[world.patient.pk]),
           {"obtained_on": "2026-04-01", "method": "written", "given_by": "patient", "scope": "チーム内共有"})
    r = c.post(reverse("network:post_create", args=[world.patient.pk]), {"body": "同意後の投稿"})
    assert r.status_code == 302 and Post.objects.filter(body="同意後の投稿").exists()


def test_a_proxy_consent_needs_the_proxys_name(world, login):
    r = login(world.nurse).post(reverse("network:consent", args=[world.patient.pk]),
                                {"obtained_on": "2026-04-01", "method": "written", "given_by": "proxy", "scope": "共有"})
    assert r.status_code == 400 and "代理人" in r.content.decode() and Consent.objects.count() == 2


def test_a_future_consent_date_is_refused(world, login):
    r = login(world.nurse).post(reverse("network:consent", args=[world.patient.pk]),
                                {"obtained_on": "2999-01-01", "method": "written", "given_by": "patient", "scope": "共有"})
    assert r.status_code == 400 and "未来" in r.content.decode()


def test_a_scanned_consent_document_is_kept_privately(world, login):
    pdf = upload("consent.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    login(world.nurse).post(reverse("network:consent", args=[world.patient.pk]),
                            {"obtained_on": "2026-04-01", "method": "written", "given_by": "patient", "scope": "共有",
                             "document": pdf})
    assert Consent.objects.exclude(document=None).get().document.original_name == "consent.pdf"


def test_a_bad_consent_document_saves_no_consent(world, login):
    login(world.nurse).post(reverse("network:consent", args=[world.patient.pk]),
                            {"obtained_on": "2026-04-01", "method": "written", "given_by": "patient", "scope": "共有",
                             "document": upload("consent.png", b"<html></html>", "image/png")})
    assert Consent.objects.filter(patient=world.patient).count() == 1


def test_withdrawal_closes_the_timeline_to_new_posts(world, login):
    c = login(world.nurse)
    PostFactory(patient=world.patient, author=world.physician, body="これまでの記録")
    c.post(reverse("network:consent_withdraw", args=[world.patient.pk, world.consent.pk]), {"note": "本人より電話"})
    r = c.post(reverse("network:post_create", args=[world.patient.pk]), {"body": "撤回後"})
    assert r.status_code == 409 and "撤回" in r.content.decode() and not Post.objects.filter(body="撤回後").exists()
    assert "これまでの記録" in r.content.decode()


def test_withdrawal_is_audited(world, login):
    login(world.nurse).post(reverse("network:consent_withdraw", args=[world.patient.pk, world.consent.pk]),
                            {"note": "本人より電話"})
    assert AuditEvent.objects.filter(action="update", detail="withdrawn", patient_id=str(world.patient.pk)).exists()


def test_a_consent_of_another_patient_cannot_be_withdrawn(world, login):
    other = world.other_patient.consents.get()
    r = login(world.nurse).post(reverse("network:consent_withdraw", args=[world.patient.pk, other.pk]), {"note": "x"})
    other.refresh_from_db()
    assert r.status_code == 404 and other.withdrawn_at is None


def test_a_team_can_be_formed_without_consent(world, login):
    patient = PatientFactory()
    from tests.network.factories import CareTeamMemberFactory

    CareTeamMemberFactory(patient=patient, user=world.physician, is_manager=True)
    r = login(world.physician).get(reverse("network:team", args=[patient.pk]), {"q": "訪看"})
    assert r.status_code == 200 and world.nurse in list(r.context["candidates"])


def test_the_vitals_post_after_withdrawal_is_refused(world, login):
    world.consent.withdrawn_at = timezone.now()
    world.consent.save()
    r = login(world.nurse).post(reverse("network:vitals_create", args=[world.patient.pk]),
                                {"measured_at": "2026-01-05T10:00", "pulse": 70})
    assert r.status_code == 409 and not Post.objects.exists()
