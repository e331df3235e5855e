"""The FHIR R4 document Bundle of each kind (issue 15 item 5): the hospital-crossing kinds JP-CLINS defines follow
the guide exactly (no problem from `clins.problems`, which starts from the checks applied to documents we
receive); the other kinds claim no JP-CLINS profile or type; every kind validates with fhir.resources."""
import base64

import pytest
from fhir.resources.R4B.bundle import Bundle

from renkei.sheets import clins, received, safety, services
from renkei.sheets.fhir import NURSE_TRANSFER, TRANSFER_SUMMARY, build_bundle  # noqa: E402
from renkei.sheets.models import SheetKind, SheetStatus
from renkei.sheets.services import validate_content
from tests.sheets.factories import CONTENT, SheetFactory, admission_content, stroke_stage

pytestmark = pytest.mark.django_db
CLINS_KINDS = [SheetKind.ADMISSION, SheetKind.DISCHARGE]
OTHER_KINDS = [SheetKind.NURSING_INFO, SheetKind.STROKE, SheetKind.DEMENTIA, SheetKind.ACP]
SECTIONS = "http://jpfhir.jp/fhir/clins/CodeSystem/document-section"
HOSPITAL_CODE = "1312345678"


def sheet_of(world, kind, status=SheetStatus.FINALISED, author=None, **content):
    """A sheet of the kind about world.patient: the hospital-crossing kinds written by the physician (JP-CLINS
    documents are physicians'), the others by the care manager; at the care manager's office either way."""
    author = author or (world.physician if kind in CLINS_KINDS else world.care_manager)
    body = CONTENT[kind](**{"patient_name": world.patient.name} | content)
    return SheetFactory(patient=world.patient, author=author, author_facility=world.office, kind=kind,
                        status=status, content=validate_content(kind, body).to_content())


def export(sheet):
    return build_bundle(sheet, stages=list(sheet.stages.all()), deliveries=list(sheet.deliveries.all()))


def resources(data, kind):
    return [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == kind]


def sub_sections(data):
    structure = next(s for s in data["entry"][0]["resource"]["section"] if s["code"]["coding"][0]["code"] == "300")
    return {s["code"]["coding"][0]["code"]: s for s in structure["section"]}


@pytest.fixture
def hospital(world):
    world.hospital.official_id = HOSPITAL_CODE
    world.hospital.save()
    return world.hospital


@pytest.fixture
def referral(world, hospital):
    sheet = sheet_of(world, SheetKind.ADMISSION, illness_notes="高血圧症、アルツハイマー型認知症",
                     medicines="アムロジピン錠5mg 1日1回 朝食後\nドネペジル塩酸塩錠5mg 1日1回 朝食後",
                     allergies="ペニシリン系（発疹）")
    services.send(sheet=sheet, user=world.care_manager, facility=hospital)
    return sheet


@pytest.mark.parametrize("kind", SheetKind.values)
@pytest.mark.parametrize("status", [SheetStatus.FINALISED, SheetStatus.DRAFT])
def test_every_kind_and_state_exports_a_document_bundle_that_validates(world, kind, status):
    bundle = Bundle.model_validate(export(sheet_of(world, kind, status)))
    assert bundle.type == "document" and bundle.entry[0].resource.__resource_type__ == "Composition"


@pytest.mark.parametrize("kind", CLINS_KINDS)
def test_the_jp_clins_kinds_pass_every_rule_of_the_guide(world, hospital, kind):
    sheet = sheet_of(world, kind)
    services.send(sheet=sheet, user=world.care_manager, facility=hospital)
    assert clins.problems(export(sheet)) == []


def test_the_referral_with_everything_filled_passes_every_rule_of_the_guide(referral):
    data = export(referral)
    Bundle.model_validate(data)
    assert clins.problems(data) == []


@pytest.mark.parametrize(("kind", "bundle_profile", "composition_profile"), [
    (SheetKind.ADMISSION, "http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_eReferral|1",
     "http://jpfhir.jp/fhir/eReferral/StructureDefinition/JP_Composition_eReferral|1"),
    (SheetKind.DISCHARGE, "http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_eDischargeSummary|1",
     "http://jpfhir.jp/fhir/eDischargeSummary/StructureDefinition/JP_Composition_eDischargeSummary|1"),
])
def test_the_jp_clins_kinds_claim_the_guides_profiles(world, kind, bundle_profile, composition_profile):
    data = export(sheet_of(world, kind))
    assert data["meta"]["profile"] == [bundle_profile]
    assert data["entry"][0]["resource"]["meta"]["profile"] == [composition_profile]


@pytest.mark.parametrize(("kind", "code", "title", "category"), [
    (SheetKind.ADMISSION, "57133-1", "診療情報提供書", "OUTPATIENT"),
    (SheetKind.DISCHARGE, "18842-5", "退院時サマリー", "DISCHARGE"),
])
def test_the_jp_clins_kinds_have_the_fixed_type_title_and_category(world, kind, code, title, category):
    composition = export(sheet_of(world, kind))["entry"][0]["resource"]
    assert composition["type"]["coding"] == [{"system": "http://jpfhir.jp/fhir/Common/CodeSystem/doc-typecodes",
                                              "code": code, "display": title}]
    assert composition["title"] == title and composition["status"] == "final"
    assert composition["category"][0]["coding"][0] == {
        "system": "http://jpfhir.jp/fhir/Common/CodeSystem/doc-subtypecodes", "code": category}


@pytest.mark.parametrize(("kind", "code"), [(SheetKind.NURSING_INFO, "28651-8"), (SheetKind.STROKE, "18761-7"),
                                            (SheetKind.DEMENTIA, "18761-7"), (SheetKind.ACP, "81334-5")])
def test_the_other_kinds_use_a_loinc_document_type(world, kind, code):
    coding = export(sheet_of(world, kind))["entry"][0]["resource"]["type"]["coding"][0]
    assert (coding["system"], coding["code"]) == ("http://loinc.org", code)


@pytest.mark.parametrize("kind", OTHER_KINDS)
def test_the_other_kinds_claim_no_jp_clins_profile(world, kind):
    data = export(sheet_of(world, kind))
    profiles = [p for r in [data, *(e["resource"] for e in data["entry"])] for p in (r.get("meta") or {}).get("profile", [])]
    assert not [p for p in profiles if "/clins/" in p or "/eCS/" in p or "eReferral" in p or "eDischarge" in p]
    assert received.check_bundle(data)[0] is None  # a receiver would not take it for a JP-CLINS document


@pytest.mark.parametrize("kind", CLINS_KINDS)
def test_a_draft_of_a_jp_clins_kind_is_a_plain_preliminary_document(world, kind):
    data = export(sheet_of(world, kind, SheetStatus.DRAFT))
    composition = data["entry"][0]["resource"]
    assert "profile" not in data["meta"] and composition["status"] == "preliminary"
    assert composition["type"]["coding"][0]["system"] == "http://loinc.org"


def test_the_bundle_identifier_is_the_jpfhir_one_opened_by_the_issuers_number(world):
    world.office.official_id = "1371234567"  # a care office's 介護保険事業所番号
    world.office.save()
    sheet = sheet_of(world, SheetKind.ADMISSION)
    identifier = export(sheet)["identifier"]
    assert identifier == {"system": "http://jpfhir.jp/fhir/clins/bundle-identifier",
                          "value": f"1371234567^2025^{sheet.series.hex}-1"}


def test_a_correction_is_a_new_bundle_identifier_and_says_which_version_it_replaces(world):
    sheet = sheet_of(world, SheetKind.ADMISSION)
    new = services.finalise(sheet=services.revise(sheet=sheet, user=world.physician), user=world.physician)
    data = export(new)
    relates = data["entry"][0]["resource"]["relatesTo"][0]
    assert data["identifier"]["value"].endswith(f"{sheet.series.hex}-2") and relates["code"] == "replaces"
    assert relates["targetIdentifier"]["value"] == f"{sheet.series}-1"


def test_the_referral_has_the_issue_event_and_the_custodian(referral):
    composition = export(referral)["entry"][0]["resource"]
    assert composition["event"] == [{"code": [{"text": "診療情報提供書発行"}], "period": {"start": "2025-05-10"}}]
    assert composition["custodian"] == {"reference": composition["author"][1]["reference"]}


def test_the_referral_names_the_hospital_in_910_with_its_medical_institution_code(referral, hospital):
    data = export(referral)
    to = next(s for s in data["entry"][0]["resource"]["section"] if s["code"]["coding"][0]["code"] == "910")
    organization = next(e["resource"] for e in data["entry"] if e["fullUrl"] == to["entry"][0]["reference"])
    assert organization["name"] == hospital.name
    assert {"system": "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no",
            "value": HOSPITAL_CODE} in organization["identifier"]


def test_the_referral_names_its_office_and_writer_in_920(referral, world):
    data = export(referral)
    source = next(s for s in data["entry"][0]["resource"]["section"] if s["code"]["coding"][0]["code"] == "920")
    named = {e["fullUrl"]: e["resource"] for e in data["entry"]}
    kinds = [named[entry["reference"]]["resourceType"] for entry in source["entry"]]
    assert kinds == ["Organization", "Practitioner"] and named[source["entry"][0]["reference"]]["name"] == world.office.name


def test_the_referral_sub_sections_are_the_guides(referral):
    codes = list(sub_sections(export(referral)))
    assert {"950", "340", "360"} <= set(codes) and len(codes) == len(set(codes))
    assert all(s["code"]["coding"][0]["system"] == SECTIONS for s in sub_sections(export(referral)).values())


def test_the_referral_carries_the_illnesses_as_conditions_of_section_340(referral):
    data = export(referral)
    conditions = resources(data, "Condition")
    assert [c["code"]["text"] for c in conditions] == ["高血圧症", "アルツハイマー型認知症"]
    assert len(sub_sections(data)["340"]["entry"]) == 2


def test_a_medicine_line_is_one_medication_statement(referral):
    statements = resources(export(referral), "MedicationStatement")
    assert [s["medicationCodeableConcept"]["text"] for s in statements] == [
        "アムロジピン錠5mg 1日1回 朝食後", "ドネペジル塩酸塩錠5mg 1日1回 朝食後"]
    assert {s["status"] for s in statements} == {"active"}


def test_in_a_plain_document_the_medicine_section_refers_to_its_statements(world):
    data = export(sheet_of(world, SheetKind.ADMISSION, SheetStatus.DRAFT, medicines="A錠\nB錠"))
    section = next(s for s in data["entry"][0]["resource"]["section"] if s["code"]["coding"][0]["code"] == "430")
    assert len(section["entry"]) == 2 and len(resources(data, "MedicationStatement")) == 2


def test_allergies_are_allergy_intolerances_of_section_510(referral):
    data = export(referral)
    allergies = resources(data, "AllergyIntolerance")
    assert [a["code"]["text"] for a in allergies] == ["ペニシリン系（発疹）"]
    assert sub_sections(data)["510"]["entry"] == [{"reference": next(
        e["fullUrl"] for e in data["entry"] if e["resource"]["resourceType"] == "AllergyIntolerance")}]


def test_a_draft_takes_the_allergies_it_leaves_blank_from_the_patients_safety_record(world):
    safety.update(patient=world.patient, user=world.nurse, values={"allergies": "そば"})
    data = export(sheet_of(world, SheetKind.ADMISSION, SheetStatus.DRAFT))
    assert [a["code"]["text"] for a in resources(data, "AllergyIntolerance")] == ["そば"]


def test_a_finalised_sheet_says_what_it_said_whatever_the_record_says_now(world):
    sheet = sheet_of(world, SheetKind.ADMISSION)
    safety.update(patient=world.patient, user=world.nurse, values={"allergies": "そば"})
    data = export(sheet)
    assert resources(data, "AllergyIntolerance") == [] and sub_sections(data)["510"]["emptyReason"]


def test_none_written_as_nashi_is_nilknown(world):
    data = export(sheet_of(world, SheetKind.ADMISSION, allergies="なし"))
    assert sub_sections(data)["510"]["emptyReason"]["coding"][0]["code"] == "nilknown"


def test_the_patient_has_kanji_and_katakana_names_split_into_family_and_given(world):
    patient = resources(export(sheet_of(world, SheetKind.ADMISSION, patient_kana="むさしの てすとはなこ")), "Patient")[0]
    assert patient["meta"]["profile"] == ["http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Patient_eCS"]
    assert [(n["extension"][0]["valueCode"], n["family"], n["given"]) for n in patient["name"]] == [
        ("IDE", "武蔵野", ["テスト花子"]), ("SYL", "ムサシノ", ["テストハナコ"])]


def test_a_full_width_space_in_a_name_becomes_a_half_width_one(world):
    patient = resources(export(sheet_of(world, SheetKind.ADMISSION, patient_name="武蔵野\u3000テスト花子")), "Patient")[0]
    assert patient["name"][0]["text"] == "武蔵野 テスト花子"


def test_the_patient_identifier_is_renkeis_and_claims_no_hospital_patient_number(world):
    patient = resources(export(sheet_of(world, SheetKind.ADMISSION)), "Patient")[0]
    assert patient["identifier"] == [{"system": "urn:renkei:id:patient", "value": str(world.patient.pk)}]


def test_a_care_office_has_no_medical_institution_code(world):
    world.office.official_id = "1371234567"
    world.office.save()
    organizations = resources(export(sheet_of(world, SheetKind.ADMISSION)), "Organization")
    systems = {i["system"] for o in organizations for i in o.get("identifier", [])}
    assert "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no" not in systems


def test_the_discharge_summary_has_the_stay_as_event_encounter_and_diagnoses(world):
    data = export(sheet_of(world, SheetKind.DISCHARGE, diagnoses="誤嚥性肺炎、高血圧症"))
    composition = data["entry"][0]["resource"]
    encounter = resources(data, "Encounter")[0]
    assert composition["event"] == [{"period": {"start": "2025-05-09", "end": "2025-06-01"}}]
    assert encounter["period"] == {"start": "2025-05-09", "end": "2025-06-01"}
    assert composition["encounter"]["reference"] == next(e["fullUrl"] for e in data["entry"] if e["resource"] is encounter)
    assert [c["code"]["text"] for c in resources(data, "Condition")] == ["誤嚥性肺炎", "高血圧症"]
    assert len(sub_sections(data)["344"]["entry"]) == 2


def test_the_discharge_course_is_a_document_reference_of_section_333(world):
    data = export(sheet_of(world, SheetKind.DISCHARGE, course="抗菌薬で改善した。"))
    reference = resources(data, "DocumentReference")[0]
    assert "抗菌薬で改善した。" in base64.b64decode(reference["content"][0]["attachment"]["data"]).decode()
    assert sub_sections(data)["333"]["entry"][0]["reference"] in {e["fullUrl"] for e in data["entry"]}


def test_a_discharge_sheet_without_the_admission_day_is_not_claimed_as_a_discharge_summary(world):
    data = export(sheet_of(world, SheetKind.DISCHARGE, admitted_on=None))
    assert "profile" not in data["meta"] and data["entry"][0]["resource"]["type"]["coding"][0]["code"] == "18761-7"


def test_the_hearing_log_of_a_discharge_sheet_is_in_its_section_narrative(world):
    log = [{"date": "2025-05-20", "profession": "病棟看護師", "name": "架空 看子", "conference": True}]
    data = export(sheet_of(world, SheetKind.DISCHARGE, hearings=log))
    assert "病棟看護師（架空 看子）" in sub_sections(data)["424"]["text"]["div"]


def test_the_narrative_holds_the_japanese_content(referral):
    assert "アムロジピン" in sub_sections(export(referral))["430"]["text"]["div"]


def test_an_exported_referral_is_accepted_as_a_received_document(client, world, referral, bearer):
    r = client.post(f"/api/v1/patients/{world.patient.pk}/documents", export(referral),
                    content_type="application/fhir+json", HTTP_AUTHORIZATION=bearer(world.physician))
    assert r.status_code == 201, r.content
    assert r.json()["title"] == "診療情報提供書" and r.json()["source"] == world.office.name


def test_an_exported_discharge_summary_is_accepted_as_a_received_document(client, world, bearer):
    data = export(sheet_of(world, SheetKind.DISCHARGE))
    r = client.post(f"/api/v1/patients/{world.patient.pk}/documents", data,
                    content_type="application/fhir+json", HTTP_AUTHORIZATION=bearer(world.physician))
    assert r.status_code == 201, r.content


def test_route_stages_and_receiving_facilities_are_in_a_plain_bundle(world):
    sheet = SheetFactory(patient=world.patient, author=world.physician, kind=SheetKind.STROKE)
    services.send(sheet=sheet, user=world.physician, facility=world.hospital)
    services.answer_stage(sheet=sheet, user=world.liaison, content=stroke_stage())
    data = export(sheet)
    Bundle.model_validate(data)
    titles = [s["title"] for s in data["entry"][0]["resource"]["section"]]
    assert any(t.startswith("急性期") for t in titles) and world.hospital.name in [
        o.get("name") for o in resources(data, "Organization")]


def test_every_organization_in_the_bundle_is_referenced(world):
    sheet = SheetFactory(patient=world.patient, author=world.physician, kind=SheetKind.STROKE)
    services.send(sheet=sheet, user=world.physician, facility=world.hospital)
    data = export(sheet)
    text = str(data["entry"][0]["resource"])
    organizations = [e["fullUrl"] for e in data["entry"] if e["resource"]["resourceType"] == "Organization"]
    assert organizations and all(url in text for url in organizations)


def test_a_sheet_written_without_an_office_names_the_office_its_content_gives(world):
    sheet = SheetFactory(patient=world.patient, author=world.care_manager, kind=SheetKind.ADMISSION,
                         content=validate_content("admission", admission_content(office_name="（架空）名のみ居宅")).to_content())
    assert "（架空）名のみ居宅" in [o["name"] for o in resources(export(sheet), "Organization")]



@pytest.mark.parametrize("kind", CLINS_KINDS)
@pytest.mark.parametrize("writer, code", [("care_manager", "18761-7"), ("nurse", "28651-8")])
def test_a_hospital_crossing_sheet_not_written_by_a_physician_claims_no_jp_clins_type(world, kind, writer, code):
    data = export(sheet_of(world, kind, author=getattr(world, writer)))
    composition = data["entry"][0]["resource"]
    assert composition["type"]["coding"][0] == {"system": "http://loinc.org", "code": code,
                                                "display": dict([TRANSFER_SUMMARY, NURSE_TRANSFER])[code]}
    assert "profile" not in data.get("meta", {}) and "category" not in composition
    assert not any("jpfhir.jp/fhir/clins" in p for e in data["entry"] for p in e["resource"].get("meta", {}).get("profile", []))
