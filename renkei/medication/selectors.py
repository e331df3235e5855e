"""Reads of the medication list, always through the access rule (renkei/core/access.py)."""
import datetime

from django.db.models import QuerySet
from django.utils import timezone

from renkei.core import access
from renkei.core.access import Viewer
from renkei.network.models import Patient

from . import rules
from .models import Dispensing, Medication


def dispensings_of(user: Viewer, patient: Patient) -> QuerySet[Dispensing]:
    """The patient's dispensings, newest first, with their drugs (two queries); none unless on the team."""
    return (access.dispensings_visible_to(user).filter(patient=patient)
            .prefetch_related("medications").order_by("-dispensed_on", "-id"))


def _supply(medication: Medication) -> rules.Supply:
    d = medication.dispensing
    return rules.Supply(prescriber=d.institution_code or d.institution_name or f"薬局:{d.pharmacy_name}",
                        dispensed_on=d.dispensed_on, days=medication.days)


def current_medications(user: Viewer, patient: Patient, *, today: datetime.date | None = None) -> list[Medication]:
    """The medications the patient takes now (rules.current), newest dispensing first; one query."""
    today = today or timezone.localdate()
    found = list(
        access.medications_visible_to(user)
        .filter(patient=patient, dispensing__dispensed_on__gte=today - datetime.timedelta(days=rules.LOOKBACK_DAYS))
        .select_related("dispensing").order_by("-dispensing__dispensed_on", "dispensing_id", "rp", "position"))
    keep = rules.current((_supply(m) for m in found), today)
    return [m for m, kept in zip(found, keep, strict=True) if kept]


def sheet_text(medications: list[Medication], *, limit: int = 2000) -> str:
    """The sheets' お薬 item (内服薬, 退院時処方): one medication a line (name, dose, usage, supply), at most
    `limit` characters; the FHIR export reads each line as one MedicationStatement."""
    lines: list[str] = []
    for medication in medications:
        if sum(len(line) + 1 for line in lines) + len(medication.line()) > limit:
            break
        lines.append(medication.line())
    return "\n".join(lines)
