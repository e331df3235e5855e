"""Recording and withdrawing the patient's consent."""
import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from renkei.core.audit import Action, record
from renkei.core.fields import future_message
from renkei.core.models import User

from ..models import (
    Attachment,
    Consent,
    ConsentGiver,
    Patient,
)
from ._common import (
    Refused,
    _require_active_member,
    _save_with_files,
)

# --- consent -------------------------------------------------------------------------------------

def record_consent(*, patient: Patient, by: User, obtained_on: datetime.date, method: str,
                   given_by: str = ConsentGiver.PATIENT, proxy_name: str = "", proxy_relationship: str = "",
                   scope: str = "", document: UploadedFile | None = None, request: HttpRequest | None = None) -> Consent:
    """Record the patient's (or proxy's) consent to share, with an optional scanned document."""
    _require_active_member(patient, by)
    if obtained_on > timezone.localdate():
        raise Refused(future_message("同意日"), field="obtained_on")
    if given_by == ConsentGiver.PROXY and not (proxy_name.strip() and proxy_relationship.strip()):
        raise Refused("代理人による同意の場合は代理人の氏名と続柄を入力してください。", field="proxy_name")

    def create() -> Consent:
        consent = Consent(patient=patient, obtained_on=obtained_on, method=method, given_by=given_by,
                          proxy_name=proxy_name.strip(), proxy_relationship=proxy_relationship.strip(), obtained_by=by)
        if scope.strip():
            consent.scope = scope.strip()
        consent.save()
        return consent

    def audit(consent: Consent, stored: list[Attachment]) -> None:
        if stored:
            consent.document = stored[0]
            consent.save(update_fields=["document"])
        record(action=Action.CREATE, request=request, actor=by, obj=consent, patient=patient)

    return _save_with_files(create, [document] if document else [], uploaded_by=by, audit=audit)


def withdraw_consent(*, consent: Consent, by: User, note: str = "", request: HttpRequest | None = None) -> Consent:
    """Withdraw a consent: the timeline stays readable but closes to new posts."""
    _require_active_member(consent.patient, by)
    if consent.withdrawn_at is not None:
        raise Refused("この同意はすでに撤回されています。")
    with transaction.atomic():
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = by
        consent.withdrawal_note = note[:300]
        consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
        record(action=Action.UPDATE, request=request, actor=by, obj=consent, patient=consent.patient, detail="withdrawn")
    return consent
