"""The guide-rule checker (`clins.problems`): an exported referral / discharge summary passes; each break of the
guide's structure is named (the tests of fhir.py check that every kind we export passes)."""
import copy

import pytest

from renkei.sheets import clins
from renkei.sheets.fhir import build_bundle
from renkei.sheets.models import SheetKind
from tests.sheets.factories import SheetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(world):
    return build_bundle(SheetFactory(patient=world.patient, author=world.physician, author_facility=world.office))


@pytest.fixture
def summary(world):
    return build_bundle(SheetFactory(patient=world.patient, author=world.physician, author_facility=world.office,
                                     kind=SheetKind.DISCHARGE))


def composition(data):
    return data["entry"][0]["resource"]


def section(data, code):
    for top in composition(data)["section"]:
        for found in [top, *top.get("section", [])]:
            if found["code"]["coding"][0]["code"] == code:
                return found
    raise LookupError(code)


def structure(data):
    return section(data, "300")["section"]


def broken(data, change):
    data = copy.deepcopy(data)
    change(data)
    return clins.problems(data)


def test_both_exports_pass(referral, summary):
    assert clins.problems(referral) == [] and clins.problems(summary) == []


def test_a_missing_required_sub_section_is_named(referral):
    found = broken(referral, lambda d: structure(d).remove(section(d, "950")))
    assert "Composition.section[300].section: セクション区分コード 950 のセクションが必要です。" in found


def test_a_missing_required_sub_section_of_a_summary_is_named(summary):
    found = broken(summary, lambda d: structure(d).remove(section(d, "444")))
    assert any("444" in p for p in found)


def test_a_title_other_than_the_guides_is_named(referral):
    found = broken(referral, lambda d: section(d, "340").update(title="病名"))
    assert any(p.startswith("Composition.section[300].section[340]: title「傷病名・主訴」") for p in found)


def test_a_code_twice_is_named(referral):
    found = broken(referral, lambda d: structure(d).append(copy.deepcopy(section(d, "370"))))
    assert "Composition.section[300].section: セクション区分コード 370 のセクションは1つまでです。" in found


def test_a_code_the_document_does_not_have_is_named(summary):
    found = broken(summary, lambda d: section(d, "424")["code"]["coding"][0].update(code="910"))
    assert any("この文書では使えません" in p for p in found)


def test_an_entry_of_a_type_the_section_may_not_refer_to_is_named(referral):
    patient = composition(referral)["subject"]["reference"]
    found = broken(referral, lambda d: section(d, "340").update(entry=[{"reference": patient}]))
    assert any(p.startswith("Composition.section[340].entry: 参照できるのは Condition") for p in found)


def test_an_entry_outside_the_bundle_is_named(referral):
    found = broken(referral, lambda d: section(d, "950").update(entry=[{"reference": "urn:uuid:nowhere"}]))
    assert "Composition.section[950].entry: Bundle 内のリソースを参照してください。" in found


def test_an_empty_reason_beside_entries_is_named(referral):
    reason = {"coding": [{"system": clins.EMPTY_REASON_SYSTEM, "code": "notasked"}]}
    found = broken(referral, lambda d: section(d, "950").update(emptyReason=reason))
    assert "Composition.section[950].emptyReason: entry があるセクションには書けません。" in found


def test_a_referral_to_two_organizations_in_910_is_named(referral):
    issuer = composition(referral)["custodian"]
    found = broken(referral, lambda d: section(d, "910")["entry"].append(issuer))
    assert "Composition.section[910].entry: 医療機関等（Organization）をちょうど1つ参照してください。" in found


def test_a_missing_issue_event_is_named(referral):
    found = broken(referral, lambda d: composition(d).pop("event"))
    assert any(p.startswith("Composition.event:") for p in found)


def test_a_summary_without_the_discharge_day_is_named(summary):
    found = broken(summary, lambda d: composition(d)["event"][0]["period"].pop("end"))
    assert any(p.startswith("Composition.event:") for p in found)


def test_a_bundle_identifier_of_another_shape_is_named(referral):
    found = broken(referral, lambda d: d["identifier"].update(value="sheet-1"))
    assert any(p.startswith("Bundle.identifier.value:") for p in found)


def test_a_full_width_space_in_the_patients_name_is_named(referral):
    def change(data):
        next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Patient")["name"][0][
            "text"] = "武蔵野\u3000テスト花子"
    assert "Patient.name.text: 姓と名の区切りに全角空白は使えません。" in broken(referral, change)


def test_a_resource_without_its_ecs_profile_is_named(summary):
    def change(data):
        next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Encounter")["meta"] = {}
    assert any(p.startswith("Encounter.meta.profile:") for p in broken(summary, change))


def test_a_draft_status_is_named_by_the_receivers_checks(referral):
    found = broken(referral, lambda d: composition(d).update(status="preliminary"))
    assert "Composition.status: final でなければなりません。" in found


def test_text_in_the_structure_section_is_named(summary):
    text = {"status": "additional", "div": '<div xmlns="http://www.w3.org/1999/xhtml">x</div>'}
    found = broken(summary, lambda d: section(d, "300").update(text=text))
    assert "Composition.section[300]: 構造情報セクションには text を書きません。" in found
