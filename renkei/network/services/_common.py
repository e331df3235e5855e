"""Shared pieces of the network writes: the error, membership checks, consent state, files, notices."""
import re

from django.db import transaction

from renkei.core.errors import AppError

from .. import attachments, push
from ..models import (
    CareTeamMember,
    Consent,
    MemberStatus,
    Notification,
    Post,
)

MAX_BODY = 5000
MENTION = re.compile(r"@([A-Za-z0-9_.\-]+)")


Refused = AppError  # the network's name for the one application error (renkei.core.errors)


# --- helpers -------------------------------------------------------------------------------------

def _member(patient, user):
    return CareTeamMember.objects.filter(patient=patient, user=user).first()


def _require_active_member(patient, user):
    member = _member(patient, user)
    if member is None or member.status != MemberStatus.ACTIVE:
        raise Refused("この利用者のケアチームのメンバーではありません。", status=404)
    return member


def _require_manager(patient, user):
    member = _require_active_member(patient, user)
    if not member.is_manager:
        raise Refused("この操作はチーム管理者のみ行えます。", status=403)
    return member


def consent_state(patient):
    """'active' (sharing allowed), 'withdrawn' (read-only history) or 'none' (nothing clinical is shared).

    A patient read with selectors.get_visible_patient_or_404(..., with_consent=True) carries the answer.
    """
    if hasattr(patient, "consent_recorded"):
        return "active" if patient.consent_active else "withdrawn" if patient.consent_recorded else "none"
    states = list(Consent.objects.filter(patient=patient).values_list("withdrawn_at", flat=True))
    if any(w is None for w in states):
        return "active"
    return "withdrawn" if states else "none"


def _save_with_files(create, uploads, *, uploaded_by, audit):
    """Check every file first, then save rows and files together; on failure remove the written files."""
    try:
        prepared = attachments.prepare_all(uploads)
    except attachments.AttachmentRefused as refused:
        raise Refused(str(refused), field="files")
    written = []
    try:
        with transaction.atomic():
            obj = create()
            place = {"post": obj} if isinstance(obj, Post) else {"patient": obj.patient}
            stored = [attachments.store(item, written=written, uploaded_by=uploaded_by, **place) for item in prepared]
            audit(obj, stored)
    except BaseException:
        attachments.remove_files(written)
        raise
    return obj


def _notify(recipients, *, kind, actor=None, patient=None, group=None, post=None, sheet=None):
    """The bell's rows for these users (never the actor), and the Web Push after the commit (network/push.py)."""
    rows = [
        Notification(recipient_id=uid, kind=kind, actor=actor, patient=patient, group=group, post=post, sheet=sheet)
        for uid in dict.fromkeys(recipients)
        if actor is None or uid != actor.pk
    ]
    Notification.objects.bulk_create(rows)
    push.schedule([row.recipient_id for row in rows], kind=kind)
