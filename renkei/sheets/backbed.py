"""Writes of the back-bed scheme (医療機関一時入院連携制度): request, answer, admission and discharge."""
from django.db import transaction
from django.utils import timezone

from renkei.core.access import active_membership
from renkei.core.audit import Action, record
from renkei.core.fields import future_message
from renkei.core.models import Profession
from renkei.network.models import NotificationKind, TeamRole
from renkei.network.services import Refused, _notify, post_notice

from . import selectors
from .models import BackBedRequest, BackBedStatus
from .services import Conflict


def _is_team_physician(user, patient):
    return selectors.is_team_member(user, patient) and (
        user.profession == Profession.PHYSICIAN
        or active_membership(user).filter(patient=patient, role=TeamRole.PHYSICIAN).exists()
    )


def request_admission(*, patient, user, hospital, reason, detail, desired_on, request=None):
    """A team physician asks a participating hospital to admit a home patient temporarily."""
    if not _is_team_physician(user, patient):
        raise Refused("一時入院を依頼できるのは、この患者のケアチームの医師だけです。", status=403)
    if not hospital.is_active:
        raise Refused(f"{hospital} は現在この制度に参加していません。", field="hospital")
    if not (detail or "").strip():
        raise Refused("依頼内容を入力してください。", field="detail")
    if desired_on < timezone.localdate():
        raise Refused("入院希望日が過去の日付です。", field="desired_on")
    with transaction.atomic():
        created = BackBedRequest.objects.create(patient=patient, hospital=hospital, requested_by=user, reason=reason,
                                                detail=detail.strip(), desired_on=desired_on)
        post_notice(patient=patient, author=user, request=request,
                    body=f"{hospital} に一時入院（{created.get_reason_display()}）を依頼しました。")
        record(action=Action.CREATE, request=request, actor=user, obj=created, patient=patient, detail=reason)
    return created


def answer(*, bed_request, user, accept, note="", request=None):
    """The hospital's liaison office accepts or declines (with a reason). A request is answered once."""
    if not selectors.is_liaison_of(user, bed_request.hospital.facility_id):
        raise Refused("この依頼に回答できるのは依頼先の医療機関の医療連携室だけです。", status=403)
    note = (note or "").strip()
    if not accept and not note:
        raise Refused("受入れできない場合は理由を入力してください。", field="note")
    with transaction.atomic():
        locked = BackBedRequest.objects.select_for_update().get(pk=bed_request.pk)
        if locked.status != BackBedStatus.REQUESTED:
            raise Conflict(f"この依頼には既に回答済みです（{locked.get_status_display()}）。回答は変更できません。")
        locked.status = BackBedStatus.ACCEPTED if accept else BackBedStatus.DECLINED
        locked.answered_by, locked.answered_at, locked.answer_note = user, timezone.now(), note
        locked.save(update_fields=["status", "answered_by", "answered_at", "answer_note"])
        verdict = "受け入れます" if accept else f"受入れできません（理由：{note}）"
        notice = post_notice(patient=locked.patient, author=user, request=request,
                             body=f"{locked.hospital} から一時入院の依頼への回答：{verdict}")
        # The requesting physician hears of the answer in the bell (and by push): it points to the notice.
        _notify([locked.requested_by_id], kind=NotificationKind.BACKBED, actor=user, patient=locked.patient,
                post=notice)
        record(action=Action.UPDATE, request=request, actor=user, obj=locked, patient=locked.patient,
               detail=locked.status)
    return locked


def record_stay(*, bed_request, user, admitted_on, discharged_on=None, request=None):
    """Record the admission and discharge dates of an accepted request."""
    may = selectors.is_liaison_of(user, bed_request.hospital.facility_id) or selectors.is_team_member(
        user, bed_request.patient)
    if not may:
        raise Refused("入退院日を記録できるのは、依頼先の医療連携室かケアチームのメンバーです。", status=403)
    if admitted_on is None:
        raise Refused("入院日を入力してください。", field="admitted_on")
    if admitted_on > timezone.localdate():
        raise Refused(future_message("入院日"), field="admitted_on")
    if discharged_on is not None and discharged_on < admitted_on:
        raise Refused("退院日が入院日より前になっています。", field="discharged_on")
    with transaction.atomic():
        locked = BackBedRequest.objects.select_for_update().get(pk=bed_request.pk)
        if locked.status != BackBedStatus.ACCEPTED:
            raise Refused("入退院日は受入れが決まった依頼にだけ記録できます。")
        locked.admitted_on, locked.discharged_on = admitted_on, discharged_on
        locked.save(update_fields=["admitted_on", "discharged_on"])
        record(action=Action.UPDATE, request=request, actor=user, obj=locked, patient=locked.patient_id,
               detail="stay")
    bed_request.refresh_from_db()
    return bed_request
