"""The FHIR R4 document Bundle of each kind validates with fhir.resources and follows JP-CLINS structure."""
import pytest
from fhir.resources.R4B.bundle import Bundle

from renkei.sheets import services
from renkei.sheets.fhir import build_bundle
from renkei.sheets.models import SheetKind
from tests.sheets.factories import SheetFactory, stroke_stage

pytestmark = pytest.mark.django_db
CLINS = "http://jpfhir.jp/fhir/clins/CodeSystem/document-section"


@pytest.mark.parametrize("kind", SheetKind.values)
def test_every_kind_exports_a_valid_document_bundle(world, kind):
    bundle = Bundle.model_validate(build_bundle(SheetFactory(patient=world.patient, author=world.care_manager, kind=kind)))
    assert bundle.type == "document" and bundle.entry[0].resource.__resource_type__ == "Composition"


def test_the_composition_is_first_and_references_resources_in_the_bundle(world):
    data = build_bundle(SheetFactory(patient=world.patient, author=world.care_manager))
    urls = {e["fullUrl"] for e in data["entry"]}
    composition = data["entry"][0]["resource"]
    assert composition["subject"]["reference"] in urls and all(a["reference"] in urls for a in composition["author"])


def test_the_patient_carries_the_jp_core_profile_and_kanji_and_kana_names(world):
    data = build_bundle(SheetFactory(patient=world.patient, author=world.care_manager))
    patient = next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Patient")
    codes = [n["extension"][0]["valueCode"] for n in patient["name"]]
    assert patient["meta"]["profile"] == ["http://jpfhir.jp/fhir/core/StructureDefinition/JP_Patient"]
    assert codes == ["IDE", "SYL"] and patient["gender"] == "female"


def test_the_sections_follow_jp_clins_referral_and_structure_codes(world):
    composition = build_bundle(SheetFactory(patient=world.patient, author=world.care_manager))["entry"][0]["resource"]
    top = [s["code"]["coding"][0] for s in composition["section"]]
    assert [(c["system"], c["code"]) for c in top] == [(CLINS, "910"), (CLINS, "920"), (CLINS, "300")]


def test_the_discharge_summary_uses_the_jp_clins_discharge_document_code(world):
    sheet = SheetFactory(patient=world.patient, author=world.care_manager, kind=SheetKind.DISCHARGE)
    assert build_bundle(sheet)["entry"][0]["resource"]["type"]["coding"][0]["code"] == "18842-5"


def test_the_narrative_holds_the_japanese_content(world):
    data = build_bundle(SheetFactory(patient=world.patient, author=world.care_manager))
    structured = data["entry"][0]["resource"]["section"][-1]["section"]
    assert any("アムロジピン" in s["text"]["div"] for s in structured)


def test_a_draft_exports_as_preliminary(world):
    from renkei.sheets.models import SheetStatus

    sheet = SheetFactory(patient=world.patient, author=world.care_manager, status=SheetStatus.DRAFT)
    assert build_bundle(sheet)["entry"][0]["resource"]["status"] == "preliminary"


def test_a_correction_says_which_version_it_replaces(world):
    sheet = SheetFactory(patient=world.patient, author=world.care_manager)
    new = services.revise(sheet=sheet, user=world.care_manager)
    relates = build_bundle(new)["entry"][0]["resource"]["relatesTo"][0]
    assert relates["code"] == "replaces" and relates["targetIdentifier"]["value"] == f"{sheet.series}-1"


def test_route_stages_and_receiving_facilities_are_in_the_bundle(world):
    sheet = SheetFactory(patient=world.patient, author=world.physician, kind=SheetKind.STROKE)
    services.send(sheet=sheet, user=world.physician, facility=world.hospital)
    services.answer_stage(sheet=sheet, user=world.liaison, content=stroke_stage())
    data = build_bundle(sheet, stages=list(sheet.stages.all()), deliveries=list(sheet.deliveries.all()))
    Bundle.model_validate(data)
    titles = [s["title"] for s in data["entry"][0]["resource"]["section"][-1]["section"]]
    names = [e["resource"].get("name") for e in data["entry"] if e["resource"]["resourceType"] == "Organization"]
    assert any(t.startswith("急性期") for t in titles) and world.hospital.name in names


def test_every_organization_in_the_bundle_is_referenced(world):
    sheet = SheetFactory(patient=world.patient, author=world.physician, kind=SheetKind.STROKE)
    services.send(sheet=sheet, user=world.physician, facility=world.hospital)
    data = build_bundle(sheet, deliveries=list(sheet.deliveries.all()))
    text = str(data["entry"][0]["resource"])
    organizations = [e["fullUrl"] for e in data["entry"] if e["resource"]["resourceType"] == "Organization"]
    assert organizations and all(url in text for url in organizations)


def test_the_hearing_log_of_a_discharge_sheet_is_in_its_section_narrative(world):
    from renkei.sheets.services import validate_content
    from tests.sheets.factories import discharge_content

    log = [{"date": "2025-05-20", "profession": "病棟看護師", "name": "架空 看子", "conference": True}]
    content = validate_content("discharge", discharge_content(hearings=log)).to_content()
    data = build_bundle(SheetFactory(patient=world.patient, author=world.care_manager, kind=SheetKind.DISCHARGE, content=content))
    Bundle.model_validate(data)
    sections = [s for top in data["entry"][0]["resource"]["section"] for s in top.get("section", [top])]
    hearing = next(s for s in sections if s["code"]["coding"][0]["code"] == "hearings")
    assert "病棟看護師（架空 看子）" in hearing["text"]["div"] and "（Ⅰ）ロ" in hearing["text"]["div"]
