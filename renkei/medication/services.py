"""Writes of the medication list: one reading of お薬手帳 data stored whole or not at all."""
import re
import unicodedata
from dataclasses import dataclass, field

import jaconv
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from renkei.core.audit import Action, record
from renkei.core.errors import AppError
from renkei.core.models import User
from renkei.network.models import Patient
from renkei.network.services import consent_state, post_notice

from . import jahis
from .models import Dispensing, Medication, Source

SUMMARY = "お薬手帳のデータを読み取れませんでした（何も登録していません）："


@dataclass
class Imported:
    """What one reading stored: the new dispensings, and those already on the list (not stored twice)."""

    created: list[Dispensing] = field(default_factory=list)
    duplicates: list[jahis.Dispensing] = field(default_factory=list)


def _squash(text: str) -> str:
    """A name compared across writings: NFKC, no spaces, katakana as hiragana."""
    return jaconv.kata2hira(re.sub(r"\s", "", unicodedata.normalize("NFKC", text or "")))


def same_person(patient: Patient, record_1: jahis.PatientRecord) -> bool:
    """The お薬手帳 is this patient's: the birth date when given, and the name in kanji or kana."""
    if record_1.birth_date is not None and record_1.birth_date != patient.birth_date:
        return False
    names = {_squash(record_1.name), _squash(record_1.kana)} - {""}
    return bool(names & {_squash(patient.name), _squash(patient.name_kana)})


def _rows(patient: Patient, d: jahis.Dispensing, *, book: jahis.Book, source: str, user: User) -> Dispensing:
    return Dispensing(
        patient=patient, dispensed_on=d.dispensed_on, pharmacy_name=d.pharmacy_name[:200],
        pharmacy_code=d.pharmacy_code[:20], pharmacy_phone=d.pharmacy_phone[:40],
        pharmacist_name=d.pharmacist_name[:100], institution_name=d.institution_name[:200],
        institution_code=d.institution_code[:20], physician_name=d.physician_name[:100],
        department=d.department[:100], notes="\n".join(d.notes), version=book.version, records="\n".join(d.lines),
        fingerprint=d.fingerprint(), source=source, imported_by=user)


def _medications(dispensing: Dispensing, d: jahis.Dispensing) -> list[Medication]:
    rows = []
    for position, drug in enumerate(d.drugs):
        usage = d.usages.get(drug.rp)
        notes = drug.notes + ([f"用法補足: {n}" for n in usage.notes] if usage else [])
        rows.append(Medication(
            dispensing=dispensing, patient_id=dispensing.patient_id, rp=drug.rp, position=position,
            name=drug.name[:200], amount=drug.amount[:20], unit=drug.unit[:20], code_system=drug.code_system[:2],
            code=drug.code[:20], usage=usage.name[:200] if usage else "", quantity=usage.quantity[:20] if usage else "",
            quantity_unit=usage.quantity_unit[:20] if usage else "", dosage_form=usage.dosage_form if usage else "",
            notes="\n".join(notes)))
    return rows


def import_jahis(*, user: User, patient: Patient, texts: list[str], source: str = Source.TEXT,
                 problems: list[str] | None = None, request: HttpRequest | None = None) -> Imported:
    """Read お薬手帳 data (the texts of its QR codes or a JAHIS file) into the patient's medication list.

    422 listing every problem, with nothing stored; a dispensing already on the list is not stored again.
    `problems` are those found before (an image without a QR code): they refuse the reading too.
    The caller reached the patient through the access rule.
    """
    if consent_state(patient) != "active":
        raise AppError("情報共有の同意が有効でないため、お薬の情報は登録できません。", status=409)
    book, found = jahis.parse(texts, today=timezone.localdate())
    found = list(problems or []) + found
    if book is None or found:
        raise AppError({None: found}, status=422, summary=SUMMARY)
    if book.patient is not None and not same_person(patient, book.patient):
        raise AppError({None: [f"{book.patient.where}: お薬手帳の患者（氏名・生年月日）がこの患者と一致しません。"]},
                       status=422, summary=SUMMARY)
    readings = {d.fingerprint(): d for d in book.dispensings}
    try:
        with transaction.atomic():
            return _store(user=user, patient=patient, book=book, readings=readings, source=source, request=request)
    except IntegrityError:  # the same code read twice at once: the other request stored it
        return Imported(duplicates=list(readings.values()))


def _store(*, user: User, patient: Patient, book: jahis.Book, readings: dict[str, jahis.Dispensing], source: str,
           request: HttpRequest | None) -> Imported:
    known = set(Dispensing.objects.filter(patient=patient, fingerprint__in=readings)
                .values_list("fingerprint", flat=True))
    result = Imported(duplicates=[d for key, d in readings.items() if key in known])
    new = [_rows(patient, d, book=book, source=source, user=user) for key, d in readings.items() if key not in known]
    if not new:
        return result
    result.created = Dispensing.objects.bulk_create(new)
    Medication.objects.bulk_create([m for row in result.created for m in _medications(row, readings[row.fingerprint])])
    for row in result.created:
        record(action=Action.CREATE, request=request, actor=user, obj=row, patient=patient,
               detail=f"jahis {row.dispensed_on} {Source(source).value}")
    days = "、".join(f"{row.dispensed_on.month}月{row.dispensed_on.day}日" for row in result.created)
    post_notice(patient=patient, author=user, request=request,
                body=f"お薬手帳から調剤{len(result.created)}件（{days}）を読み取り、お薬の一覧に加えました。")
    return result
