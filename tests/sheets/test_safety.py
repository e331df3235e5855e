"""Allergies, drug contraindications and infections (issue 15 item 3): kept once per patient, carried into
every new sheet that crosses to a hospital, stored back when such a sheet is finalised, printed and exported
under the JP-CLINS sections 510 and 520; a page for the team; strangers reach nothing."""
import pytest
from django.urls import reverse

from renkei.core.models import AuditEvent
from renkei.sheets import safety, services
from renkei.sheets.fhir import build_bundle
from renkei.sheets.models import PatientSafety, SheetKind
from renkei.sheets.presentation import sheet_sections
from tests.sheets.factories import SheetFactory, admission_content, discharge_content, stroke_content

pytestmark = pytest.mark.django_db
CLINS = "http://jpfhir.jp/fhir/clins/CodeSystem/document-section"
RECORD = {"allergies": "ペニシリン系（発疹）", "drug_contraindications": "ワーファリン服用中のため NSAIDs 禁忌",
          "infections": "MRSA 保菌（2026年10月 鼻腔）"}


def test_a_new_hospital_sheet_is_prefilled_from_the_patient_record(world):
    safety.update(patient=world.patient, user=world.nurse, values=RECORD)
    for kind in (SheetKind.ADMISSION, SheetKind.DISCHARGE, SheetKind.STROKE, SheetKind.DEMENTIA):
        content = services.prefill(patient=world.patient, kind=kind, author=world.care_manager)
        assert {name: content[name] for name in RECORD} == RECORD, kind
    unified = services.prefill(patient=world.patient, kind=SheetKind.NURSING_INFO, author=world.nurse)
    assert "allergies" not in unified  # the city's unified form goes to the care manager, not a hospital


def test_the_record_wins_over_the_previous_sheet(world):
    SheetFactory(patient=world.patient, author=world.care_manager, kind=SheetKind.STROKE,
                 content=stroke_content(allergies="なし"))
    safety.update(patient=world.patient, user=world.nurse, values={"allergies": "造影剤（蕁麻疹）"})
    assert services.prefill(patient=world.patient, kind=SheetKind.STROKE, author=world.care_manager)["allergies"] == "造影剤（蕁麻疹）"


def test_finalising_a_sheet_stores_its_values_back_once_and_audits_it(world):
    sheet = services.create_sheet(patient=world.patient, author=world.care_manager, kind=SheetKind.DISCHARGE,
                                  content=discharge_content(**RECORD))
    assert not PatientSafety.objects.exists()  # a draft changes nothing
    services.finalise(sheet=sheet, user=world.care_manager)
    stored = PatientSafety.objects.get(patient=world.patient)
    assert {name: getattr(stored, name) for name in RECORD} == RECORD
    assert stored.source_sheet == sheet and stored.updated_by == world.care_manager
    rows = AuditEvent.objects.filter(object_type="sheets.patientsafety", patient_id=str(world.patient.pk))
    assert rows.count() == 1 and f"from sheet {sheet.pk}" in rows.get().detail
    # The next sheet says the same: nothing changes, no new audit row.
    again = services.create_sheet(patient=world.patient, author=world.care_manager, kind=SheetKind.DISCHARGE,
                                  content=discharge_content(**RECORD))
    services.finalise(sheet=again, user=world.care_manager)
    assert rows.count() == 1


def test_an_empty_field_in_a_sheet_does_not_erase_the_record(world):
    safety.update(patient=world.patient, user=world.nurse, values=RECORD)
    sheet = services.create_sheet(patient=world.patient, author=world.care_manager, kind=SheetKind.DISCHARGE,
                                  content=discharge_content(infections="なし（2026年11月 再検査陰性）"))
    services.finalise(sheet=sheet, user=world.care_manager)
    assert safety.safety_of(world.patient) == RECORD | {"infections": "なし（2026年11月 再検査陰性）"}


def test_the_pdf_sections_and_fhir_carry_sections_510_and_520(world):
    sheet = SheetFactory(patient=world.patient, author=world.physician, kind=SheetKind.ADMISSION,
                         content=admission_content(**RECORD))
    titles = [block.title for block in sheet_sections(sheet).blocks]
    assert "アレルギー・不耐性反応・禁忌" in titles and "感染症情報" in titles
    composition = build_bundle(sheet)["entry"][0]["resource"]
    structured = next(s for s in composition["section"] if s["code"]["coding"][0]["code"] == "300")
    codes = {s["code"]["coding"][0]["code"]: s for s in structured["section"]}
    assert codes["510"]["code"]["coding"][0]["system"] == CLINS
    assert "ペニシリン系（発疹）" in codes["510"]["text"]["div"] and "MRSA 保菌" in codes["520"]["text"]["div"]


def test_the_page_shows_and_edits_the_record_for_the_team(world, login):
    client = login(world.nurse)
    url = reverse("sheets:patient_safety", args=[world.patient.pk])
    assert client.post(url, RECORD).status_code == 302
    page = client.get(reverse("sheets:patient_sheets", args=[world.patient.pk])).content.decode()
    assert "ペニシリン系（発疹）" in page and "MRSA 保菌" in page
    too_long = client.post(url, RECORD | {"allergies": "あ" * 1001})
    assert too_long.status_code == 400 and "ペニシリン系（発疹）" in safety.safety_of(world.patient)["allergies"]


def test_a_stranger_neither_sees_nor_writes_the_record(world, login):
    safety.update(patient=world.patient, user=world.nurse, values=RECORD)
    client = login(world.stranger)
    url = reverse("sheets:patient_safety", args=[world.patient.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"allergies": "なし"}).status_code == 404
    assert safety.safety_of(world.patient) == RECORD
