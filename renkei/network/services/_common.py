"""Shared pieces of the network writes: the error, membership checks, consent state, files, notices."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from renkei.core.compiled import CompiledQuery
from renkei.core.errors import AppError
from renkei.core.models import User

from .. import attachments, push
from ..models import (
    Attachment,
    CareTeamMember,
    Consent,
    Group,
    MemberStatus,
    Notification,
    Patient,
    Post,
)

MAX_BODY = 5000
MENTION = re.compile(r"@([A-Za-z0-9_.\-]+)")


if TYPE_CHECKING:
    from renkei.sheets.models import Sheet

Refused = AppError  # the network's name for the one application error (renkei.core.errors)
Saved = TypeVar("Saved", Post, Consent)


# --- helpers -------------------------------------------------------------------------------------

# One row at most (careteam_unique_member); compiled once per process: every post and team action asks it.
_MEMBER = CompiledQuery(CareTeamMember, lambda patient_id, user_id: CareTeamMember.objects.filter(
    patient_id=patient_id, user_id=user_id), -730_031, -730_032)


def _member(patient: Patient | int, user: User) -> CareTeamMember | None:
    if user is None or user.pk is None:
        return None
    rows: list[CareTeamMember] = _MEMBER.run(getattr(patient, "pk", patient), user.pk, limit=1)
    return rows[0] if rows else None


def _require_active_member(patient: Patient | int, user: User) -> CareTeamMember:
    member = _member(patient, user)
    if member is None or member.status != MemberStatus.ACTIVE:
        raise Refused("この患者のケアチームのメンバーではありません。", status=404)
    return member


def _require_manager(patient: Patient | int, user: User) -> CareTeamMember:
    member = _require_active_member(patient, user)
    if not member.is_manager:
        raise Refused("この操作はチーム管理者のみ行えます。", status=403)
    return member


def consent_state(patient: Patient) -> str:
    """'active' (sharing allowed), 'withdrawn' (read-only history) or 'none' (nothing clinical is shared).

    A patient read with selectors.get_visible_patient_or_404(..., with_consent=True) carries the answer.
    """
    if hasattr(patient, "consent_recorded"):
        read: Any = patient  # with the two annotations of get_visible_patient_or_404(..., with_consent=True)
        return "active" if read.consent_active else "withdrawn" if read.consent_recorded else "none"
    states = list(Consent.objects.filter(patient=patient).values_list("withdrawn_at", flat=True))
    if any(w is None for w in states):
        return "active"
    return "withdrawn" if states else "none"


def _save_with_files(create: Callable[[], Saved], uploads: Iterable[UploadedFile | None], *, uploaded_by: User,
                     audit: Callable[[Saved, list[Attachment]], None]) -> Saved:
    """Check every file first, then save rows and files together; on failure remove the written files."""
    try:
        prepared = attachments.prepare_all(uploads)
    except attachments.AttachmentRefused as refused:
        raise Refused(str(refused), field="files")
    written: list[str] = []
    try:
        with transaction.atomic():
            obj = create()
            post, patient = (obj, None) if isinstance(obj, Post) else (None, obj.patient)
            stored = [attachments.store(item, written=written, uploaded_by=uploaded_by, post=post, patient=patient)
                      for item in prepared]
            audit(obj, stored)
    except BaseException:
        attachments.remove_files(written)
        raise
    return obj


def _notify(recipients: Iterable[int], *, kind: str, actor: User | None = None, patient: Patient | None = None,
            group: Group | None = None, post: Post | None = None, sheet: Sheet | None = None) -> None:
    """The bell's rows for these users (never the actor), and the Web Push after the commit (network/push.py)."""
    rows = [
        Notification(recipient_id=uid, kind=kind, actor=actor, patient=patient, group=group, post=post, sheet=sheet)
        for uid in dict.fromkeys(recipients)
        if actor is None or uid != actor.pk
    ]
    Notification.objects.bulk_create(rows)
    push.schedule([row.recipient_id for row in rows], kind=kind)
