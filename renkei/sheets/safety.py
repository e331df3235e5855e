"""Allergies, drug contraindications and infections, kept once per patient (issue: sheets that cross to a
hospital carry them). Read through the access rule by the caller; every write is audited."""
from django.db import transaction
from django.utils import timezone

from renkei.core.audit import Action, record
from renkei.core.errors import AppError

from .models import PatientSafety
from .schemas import CONTENT_FORMS
from .schemas.base import SAFETY_FIELDS

MAX_LENGTH = 1000


def safety_of(patient):
    """{field: text} of the patient's record (blank when none was ever written). One query."""
    found = PatientSafety.objects.filter(patient=patient).first()
    return {name: getattr(found, name) if found else "" for name in SAFETY_FIELDS}


def carries_safety(kind):
    return getattr(CONTENT_FORMS.get(kind), "carries_safety", False)


def prefill(kind, patient):
    """The patient's current record for a new sheet of a kind that carries it (only fields that are written)."""
    if not carries_safety(kind):
        return {}
    return {name: value for name, value in safety_of(patient).items() if value}


def update(*, patient, user, values, sheet=None, request=None):
    """Store the texts (those given) as the patient's record; audited only when something changed."""
    values = {name: (values.get(name) or "").strip() for name in SAFETY_FIELDS if name in values}
    too_long = [name for name, text in values.items() if len(text) > MAX_LENGTH]
    if too_long:
        raise AppError({name: [f"{MAX_LENGTH} 文字以内にしてください。"] for name in too_long})
    with transaction.atomic():
        found, _ = PatientSafety.objects.select_for_update().get_or_create(patient=patient)
        changed = [name for name, text in values.items() if getattr(found, name) != text]
        if not changed:
            return found
        for name in changed:
            setattr(found, name, values[name])
        found.updated_at, found.updated_by, found.source_sheet = timezone.now(), user, sheet
        found.save()
        record(action=Action.UPDATE, request=request, actor=user, obj=found, patient=patient,
               detail="safety " + ",".join(changed) + (f" from sheet {sheet.pk}" if sheet else ""))
    return found


def store_from_sheet(*, sheet, user, request=None):
    """A finalised sheet of a carrying kind stores what it says back as the patient's record."""
    if carries_safety(sheet.kind):
        given = {name: sheet.content[name] for name in SAFETY_FIELDS if sheet.content.get(name)}
        if given:
            update(patient=sheet.patient, user=user, values=given, sheet=sheet, request=request)
