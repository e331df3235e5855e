"""Writes of the directory: profiles kept in step with facilities, facility edits and their approval."""
from datetime import time

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from renkei.core.audit import Action, record
from renkei.core.errors import AppError

from . import conf, geo, selectors
from .caching import bump_data_version
from .importing import search_key
from .models import (
    ChangeRequest,
    ChangeStatus,
    CoordSource,
    FacilityCapability,
    FacilityProfile,
    Schedule,
    ServiceArea,
)
from .taxonomy import CAPABILITIES


def sync_profile(facility):
    """Create or refresh the directory profile of a facility after it was saved (search key, 町丁目)."""
    profile, _created = FacilityProfile.objects.get_or_create(
        facility=facility,
        defaults={"source": "demo" if facility.is_fictional else "", "coord_source": CoordSource.SOURCE
                  if geo.valid_point(facility.lat, facility.lon) else CoordSource.NONE},
    )
    profile.search_key = search_key(facility.name, facility.name_kana, facility.address)
    profile.town = geo.town_from_address(facility.address, facility.municipality.name)
    profile.save(update_fields=["search_key", "town"])
    bump_data_version()
    return profile


# The fields a facility administrator keeps current, as they travel in a ChangeRequest payload.
EDITABLE_FIELDS = ["accepting_new", "vacancies", "languages", "pt_count", "ot_count", "st_count", "hours_note",
                   "description"]


def _validate_payload(payload):
    errors = {}
    unknown = [c for c in payload.get("capabilities", []) if c not in CAPABILITIES]
    if unknown:
        errors["capabilities"] = f"不明な機能です：{'、'.join(unknown)}"
    for entry in payload.get("schedules", []):
        if not 1 <= int(entry.get("weekday", 0)) <= 8:
            errors["schedules"] = "曜日が正しくありません。"
        opens, closes = entry.get("opens_at"), entry.get("closes_at")
        if opens and closes and time.fromisoformat(opens) >= time.fromisoformat(closes):
            errors["schedules"] = "終了時刻は開始時刻より後にしてください。"
    if errors:
        raise AppError(errors, status=422)


EDIT_REFUSED = "この事業所の掲載情報を編集・確認できるのは、その事業所の管理者だけです。"


def refuse_edit(*, user, facility_id, request=None):
    """Record a refused edit of another facility's entry; returns the message to show."""
    record(action=Action.PERMISSION_DENIED, request=request, actor=user, object_type="core.facility",
           object_id=str(facility_id), detail="資源マップ：他の事業所の掲載情報の編集")
    return EDIT_REFUSED


def submit_change(*, user, facility_id, payload, request=None):
    """A facility administrator's update of their own entry; applied at once when auto-approval is on."""
    facility = selectors.administered_by(user, facility_id)
    if facility is None:
        raise PermissionDenied(refuse_edit(user=user, facility_id=facility_id, request=request))
    _validate_payload(payload)
    with transaction.atomic():
        change = ChangeRequest.objects.create(facility=facility, submitted_by=user, payload=payload)
        record(action=Action.CREATE, request=request, actor=user, obj=change, detail=f"掲載情報の変更申請：{facility}")
        if conf.auto_approve():
            _approve(change, user=user, request=request, note="自動承認")
    return change


def confirm_unchanged(*, user, facility_id, request=None):
    """The administrator confirms that the entry is still right; only the confirmation date changes."""
    facility = selectors.administered_by(user, facility_id)
    if facility is None:
        raise PermissionDenied(refuse_edit(user=user, facility_id=facility_id, request=request))
    profile = FacilityProfile.objects.filter(facility=facility).first() or sync_profile(facility)
    profile.last_confirmed_on = timezone.localdate()
    profile.save(update_fields=["last_confirmed_on"])
    record(action=Action.UPDATE, request=request, actor=user, obj=facility, detail="掲載情報を確認（変更なし）")
    bump_data_version()
    return profile


def approve_change(*, user, change_id, request=None, note=""):
    """Municipal staff approve a pending change, which is then applied."""
    if not user.is_municipal_staff:
        raise PermissionDenied("変更申請を承認できるのは市の担当者だけです。")
    with transaction.atomic():
        change = ChangeRequest.objects.select_for_update().get(pk=change_id, status=ChangeStatus.PENDING)
        _approve(change, user=user, request=request, note=note)
    return change


def reject_change(*, user, change_id, note, request=None):
    if not user.is_municipal_staff:
        raise PermissionDenied("変更申請を差し戻せるのは市の担当者だけです。")
    if not note.strip():
        raise AppError({"note": "差し戻しの理由を入力してください。"}, status=422)
    with transaction.atomic():
        change = ChangeRequest.objects.select_for_update().get(pk=change_id, status=ChangeStatus.PENDING)
        change.status = ChangeStatus.REJECTED
        change.decided_by, change.decided_at, change.decision_note = user, timezone.now(), note.strip()[:300]
        change.save()
        record(action=Action.UPDATE, request=request, actor=user, obj=change, detail=f"変更申請を差し戻し：{note}")
    return change


def _approve(change, *, user, request, note):
    change.status = ChangeStatus.APPROVED
    change.decided_by, change.decided_at, change.decision_note = user, timezone.now(), note[:300]
    change.save()
    apply_payload(change.facility, change.payload, confirmed_on=timezone.localdate(change.submitted_at))
    record(action=Action.UPDATE, request=request, actor=user, obj=change, detail=f"変更申請を承認：{change.facility}")


def apply_payload(facility, payload, *, confirmed_on):
    """Write an approved payload onto the facility's directory entry."""
    profile = FacilityProfile.objects.filter(facility=facility).first() or sync_profile(facility)
    for name in EDITABLE_FIELDS:
        if name in payload:
            setattr(profile, name, payload[name])
    if "accepting_new" in payload:
        profile.accepting_confirmed_on = confirmed_on
    if "vacancies" in payload:
        profile.vacancies_confirmed_on = confirmed_on
    if "capabilities" in payload:
        FacilityCapability.objects.filter(facility=facility).delete()
        FacilityCapability.objects.bulk_create(
            [FacilityCapability(facility=facility, code=c) for c in sorted(set(payload["capabilities"]))])
    if "schedules" in payload:
        Schedule.objects.filter(facility=facility).delete()
        Schedule.objects.bulk_create([
            Schedule(facility=facility, weekday=int(s["weekday"]), entered_by_facility=True,
                     opens_at=time.fromisoformat(s["opens_at"]) if s.get("opens_at") else None,
                     closes_at=time.fromisoformat(s["closes_at"]) if s.get("closes_at") else None)
            for s in payload["schedules"]])
        profile.hours_entered_by_facility = True
    if "areas" in payload:
        ServiceArea.objects.filter(facility=facility).delete()
        ServiceArea.objects.bulk_create([ServiceArea(facility=facility, name=a) for a in sorted(set(payload["areas"]))])
    profile.last_confirmed_on = confirmed_on
    profile.save()
    bump_data_version()
    return profile
