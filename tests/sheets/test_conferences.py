"""Case conferences on the patient's team: schedule with invitations, answers, the record with attendance and
action items on the timeline, linked sheets, cancellation; strangers reach nothing; the item (エ) figures."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from renkei.core.errors import AppError
from renkei.core.models import AuditEvent
from renkei.network.models import Notification, NotificationKind, Post, PostKind
from renkei.sheets import conferences
from renkei.sheets.figures import annual_figures
from renkei.sheets.models import (
    Attendance,
    CaseConference,
    ConferenceAction,
    ConferenceKind,
    ConferenceStatus,
    InvitationAnswer,
    SheetKind,
)
from tests.factories import musashino
from tests.sheets.factories import SheetFactory, discharge_content

pytestmark = pytest.mark.django_db

IN_TWO_DAYS = timezone.now() + datetime.timedelta(days=2)


def schedule(world, **overrides):
    args = {"user": world.care_manager, "patient": world.patient, "kind": ConferenceKind.DISCHARGE,
            "scheduled_at": IN_TWO_DAYS, "place": "テスト中央病院 3階 面談室",
            "invitees": [world.nurse, world.physician],
            "outsiders": [conferences.Outsider("病棟 看護子", "テスト中央病院 病棟看護師")]} | overrides
    return conferences.schedule(**args)


def test_scheduling_invites_the_members_and_puts_a_notice_on_the_timeline(world):
    conference = schedule(world)
    rows = Notification.objects.filter(kind=NotificationKind.CONFERENCE, patient=world.patient)
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted([world.nurse.pk, world.physician.pk])
    notice = Post.objects.get(patient=world.patient, kind=PostKind.NOTICE)
    assert notice.body.startswith("退院時カンファレンスを予定しました（令和")
    attendees = {(a.user_id, a.name, a.answer) for a in conference.attendees.all()}
    assert attendees == {(world.care_manager.pk, "", InvitationAnswer.ACCEPTED), (world.nurse.pk, "", InvitationAnswer.PENDING),
                         (world.physician.pk, "", InvitationAnswer.PENDING),
                         (None, "病棟 看護子", InvitationAnswer.PENDING)}
    assert AuditEvent.objects.filter(object_type="sheets.caseconference", object_id=str(conference.pk),
                                     action="create", patient_id=world.patient.pk).exists()


def test_only_team_members_may_be_invited_and_only_this_patients_sheets_linked(world):
    with pytest.raises(AppError) as refused:
        schedule(world, invitees=[world.stranger])
    assert refused.value.fields == {"invitees": ["招待できるのはこの患者のケアチームのメンバーだけです。"]}
    other_sheet = SheetFactory(patient=world.other_patient, author=world.stranger)
    with pytest.raises(AppError):
        schedule(world, sheets=[other_sheet])
    assert not CaseConference.objects.exists() and not Post.objects.exists()


def test_a_stranger_can_neither_schedule_nor_see(world, login):
    with pytest.raises(AppError) as refused:
        schedule(world, user=world.stranger, invitees=[])
    assert refused.value.status == 404
    conference = schedule(world)
    client = login(world.stranger)
    for url in (reverse("sheets:conferences", args=[world.patient.pk]),
                reverse("sheets:conference_create", args=[world.patient.pk]),
                reverse("sheets:conference_detail", args=[conference.pk]),
                reverse("sheets:conference_record", args=[conference.pk])):
        assert client.get(url).status_code == 404, url
    for url in (reverse("sheets:conference_answer", args=[conference.pk]),
                reverse("sheets:conference_cancel", args=[conference.pk])):
        assert client.post(url, {"answer": "accept", "reason": "x"}).status_code == 404, url
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.SCHEDULED


def test_an_invited_member_answers_and_an_uninvited_one_cannot(world):
    conference = schedule(world, invitees=[world.nurse])
    conferences.answer(user=world.nurse, conference=conference, accept=False)
    assert conference.attendees.get(user=world.nurse).answer == InvitationAnswer.DECLINED
    with pytest.raises(AppError) as refused:
        conferences.answer(user=world.physician, conference=conference, accept=True)
    assert refused.value.status == 403


def test_the_record_goes_on_the_timeline_with_attendance_actions_and_sheets(world):
    sheet = SheetFactory(patient=world.patient, author=world.nurse, kind=SheetKind.DISCHARGE,
                         content=discharge_content())
    conference = schedule(world, sheets=[sheet], scheduled_at=timezone.now() - datetime.timedelta(hours=1))
    people = {a.user_id or a.name: a.pk for a in conference.attendees.all()}
    conferences.record_held(
        user=world.care_manager, conference=conference, held_at=timezone.now() - datetime.timedelta(minutes=30),
        text="退院日は来週月曜。訪問看護は退院当日から。",
        attendance={people[world.care_manager.pk]: Attendance.IN_PERSON, people[world.nurse.pk]: Attendance.ONLINE,
                    people["病棟 看護子"]: Attendance.IN_PERSON, people[world.physician.pk]: Attendance.ABSENT},
        actions=[conferences.ActionItem("退院当日に訪問", world.nurse, datetime.date(2026, 12, 7)),
                 conferences.ActionItem("福祉用具（介護ベッド）の手配", world.care_manager)])
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.HELD and conference.recorded_by == world.care_manager
    post = conference.record_post
    assert post.patient == world.patient and post.kind == PostKind.TEXT
    assert "【退院時カンファレンス 記録】" in post.body and "退院日は来週月曜。" in post.body
    assert f"{world.nurse.name}（オンラインで出席）" in post.body and "病棟 看護子（対面で出席）" in post.body
    assert world.physician.name not in post.body.split("\n")[1]
    assert f"・退院当日に訪問（担当 {world.nurse.name}、期限 令和8年12月7日）" in post.body
    assert "検討した連携シート：退院時看護サマリー・退院・退所情報記録書 第1版" in post.body
    assert ConferenceAction.objects.filter(conference=conference).count() == 2


def test_a_failed_record_leaves_nothing_half_saved(world):
    conference = schedule(world, scheduled_at=timezone.now() - datetime.timedelta(hours=1))
    world.patient.consents.update(withdrawn_at=timezone.now())  # posting is refused without consent
    with pytest.raises(AppError):
        conferences.record_held(user=world.care_manager, conference=conference, held_at=timezone.now(), text="記録",
                                attendance={}, actions=[conferences.ActionItem("やること")])
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.SCHEDULED and not conference.actions.exists()


def test_a_future_time_and_an_owner_off_the_team_are_refused(world):
    conference = schedule(world)
    with pytest.raises(AppError) as refused:
        conferences.record_held(user=world.care_manager, conference=conference, held_at=IN_TWO_DAYS, text="記録", attendance={})
    assert "held_at" in refused.value.fields
    with pytest.raises(AppError) as refused:
        conferences.record_held(user=world.care_manager, conference=conference, held_at=timezone.now(), text="記録",
                                attendance={}, actions=[conferences.ActionItem("やること", world.stranger)])
    assert "actions" in refused.value.fields


def test_cancelled_conferences_take_no_record(world):
    conference = schedule(world)
    conferences.cancel(user=world.nurse, conference=conference, reason="病状悪化のため延期")
    with pytest.raises(AppError) as refused:
        conferences.record_held(user=world.care_manager, conference=conference, held_at=timezone.now(), text="記録",
                                attendance={})
    assert refused.value.status == 409


def test_the_pages_schedule_answer_and_record(world, login):
    client = login(world.care_manager)
    url = reverse("sheets:conference_create", args=[world.patient.pk])
    page = client.get(url).content.decode()
    assert world.nurse.name in page and f"{world.care_manager.name}（" not in page  # the organiser is not offered
    response = client.post(url, {"kind": "discharge", "scheduled_at": "2026-11-28T14:00", "place": "面談室",
                                 "invitees": [world.nurse.pk], "outsiders": "病棟 看護子、病棟看護師"})
    conference = CaseConference.objects.get()
    assert response.status_code == 302 and response.url == reverse("sheets:conference_detail", args=[conference.pk])
    assert conference.attendees.filter(name="病棟 看護子", role="病棟看護師").exists()

    nurse = login(world.nurse)
    nurse.post(reverse("sheets:conference_answer", args=[conference.pk]), {"answer": "accept"})
    assert conference.attendees.get(user=world.nurse).answer == InvitationAnswer.ACCEPTED

    record_url = reverse("sheets:conference_record", args=[conference.pk])
    form = client.get(record_url).content.decode()
    assert "出欠：病棟 看護子（病棟看護師）" in form
    nurse_row = conference.attendees.get(user=world.nurse).pk
    response = client.post(record_url, {"held_at": "2026-11-28T14:00", "record": "在宅酸素を導入。",
                                        f"attendance_{nurse_row}": "online",
                                        "action_0_text": "酸素業者に連絡", "action_0_owner": world.care_manager.pk})
    assert response.status_code == 302
    detail = client.get(reverse("sheets:conference_detail", args=[conference.pk])).content.decode()
    assert "在宅酸素を導入。" in detail and "酸素業者に連絡" in detail and "開催済み" in detail


def test_the_record_form_says_each_problem_and_keeps_what_was_typed(world, login):
    conference = schedule(world)
    client = login(world.care_manager)
    response = client.post(reverse("sheets:conference_record", args=[conference.pk]),
                           {"held_at": "", "record": "", "action_0_text": "残す内容"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "残す内容" in body and body.count('class="error"') >= 2


def test_the_list_takes_a_fixed_number_of_queries(world, login, django_assert_max_num_queries):
    client = login(world.care_manager)
    url = reverse("sheets:conferences", args=[world.patient.pk])

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    schedule(world)
    one = count()
    for _ in range(5):
        schedule(world)
    assert count() == one


def test_item_e_counts_discharge_conferences_per_discharge_sheet(world):
    world.patient.municipality = musashino()
    world.patient.save()
    held = timezone.make_aware(datetime.datetime(2025, 6, 2, 14))
    SheetFactory.create_batch(4, patient=world.patient, author=world.nurse, kind=SheetKind.DISCHARGE,
                              content=discharge_content(), sent_at=held)
    for kind in (ConferenceKind.DISCHARGE, ConferenceKind.SERVICE):
        conference = schedule(world, kind=kind, scheduled_at=held)
        CaseConference.objects.filter(pk=conference.pk).update(status=ConferenceStatus.HELD, held_at=held)
    schedule(world, scheduled_at=held)  # never held: not counted
    figures = {f.key: f for f in annual_figures([2025], musashino())}
    assert figures["conferences.held.discharge"].value == 1
    assert figures["conferences.held.service"].value == 1
    assert figures["conferences.discharge_per_sheet"].value == 25
    assert figures["conferences.discharge_per_sheet"].unit == "%"


def test_a_consent_is_needed_to_record_but_not_to_schedule(world):
    patient = world.patient
    patient.consents.all().delete()
    conference = schedule(world)
    assert conference.status == ConferenceStatus.SCHEDULED
    with pytest.raises(AppError):
        conferences.record_held(user=world.care_manager, conference=conference, held_at=timezone.now(), text="記録",
                                attendance={})


# --- the API ----------------------------------------------------------------------------------------

def test_the_api_schedules_answers_and_records(client, world, bearer):
    cm, nurse = bearer(world.care_manager), bearer(world.nurse)
    response = client.post(f"/api/v1/patients/{world.patient.pk}/conferences", content_type="application/json",
                           HTTP_AUTHORIZATION=cm, data={
                               "kind": "service", "scheduled_at": "2026-11-20T10:00:00+09:00", "place": "自宅",
                               "invitee_ids": [world.nurse.pk], "outsiders": [{"name": "福祉 用具太", "role": "福祉用具"}]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind_label"] == "サービス担当者会議" and len(body["attendees"]) == 3
    url = f"/api/v1/conferences/{body['id']}"
    answered = client.post(f"{url}/answer", {"accept": True}, content_type="application/json", HTTP_AUTHORIZATION=nurse)
    assert answered.json()["attendees"][1]["answer"] == "accepted"
    nurse_row = body["attendees"][1]["id"]
    response = client.post(f"{url}/record", content_type="application/json", HTTP_AUTHORIZATION=cm, data={
        "held_at": "2026-11-20T10:00:00+09:00", "record": "短期目標を見直し。", "attendance": {nurse_row: "in_person"},
        "actions": [{"text": "計画書を交付", "owner_id": world.care_manager.pk, "due_on": "2026-11-30"}]})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "held" and response.json()["record_post_id"]
    assert client.get(url, HTTP_AUTHORIZATION=cm).json()["actions"][0]["text"] == "計画書を交付"


def test_the_api_refuses_strangers_and_bad_input_with_4xx(client, world, bearer):
    conference = schedule(world)
    outsider, cm = bearer(world.stranger), bearer(world.care_manager)
    assert client.get(f"/api/v1/conferences/{conference.pk}", HTTP_AUTHORIZATION=outsider).status_code == 404
    assert client.get(f"/api/v1/patients/{world.patient.pk}/conferences",
                      HTTP_AUTHORIZATION=outsider).status_code == 404
    bad = client.post(f"/api/v1/patients/{world.patient.pk}/conferences", content_type="application/json",
                      HTTP_AUTHORIZATION=cm, data={"kind": "discharge", "scheduled_at": "2026-11-20T10:00:00+09:00",
                                                   "place": "病院", "invitee_ids": [world.stranger.pk]})
    assert bad.status_code == 422 and "チームのメンバーだけ" in bad.json()["detail"][0]["msg"]
    bad = client.post(f"/api/v1/conferences/{conference.pk}/record", content_type="application/json",
                      HTTP_AUTHORIZATION=cm, data={"held_at": "2026-11-20T10:00:00+09:00", "record": "x",
                                                   "attendance": {"999999": "online"}})
    assert bad.status_code == 400 and bad.json()["detail"] == "出欠の内容が正しくありません。"
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.SCHEDULED
