"""JP-CLINS document Bundles as a hospital system would send them, written for the project (fictional
hospital and physician): the demo's received documents and the tests of `received.check_bundle`.

`referral(...)` builds a 診療情報提供書 (eReferral) and `discharge_summary(...)` a 退院時サマリー
(eDischargeSummary) for a Renkei patient, following the rules `received.py` checks.
"""
import uuid

from . import received

ORG_NO = "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no"
REPRESENTATION = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation"
ECS = "http://jpfhir.jp/fhir/eCS/StructureDefinition/"


def _uuid(seed, part):
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'renkei-example/{seed}/{part}')}"


def _split(name):
    family, _, given = name.replace("\u3000", " ").partition(" ")
    return family, [given] if given else []


def _section(code, title, text, entries=()):
    section = {"title": title, "code": {"coding": [{"system": received.SECTION_SYSTEM, "code": code}]},
               "text": {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{text}</div>'}}
    if entries:
        section["entry"] = [{"reference": e} for e in entries]
    return section


def _bundle(rules, *, seed, patient, hospital, hospital_code, physician, written, sections, extra=(),
            category="OUTPATIENT"):
    urls = {part: _uuid(seed, part) for part in ("composition", "patient", "practitioner", "organization")}
    family, given = _split(patient.name)
    kana_family, kana_given = _split(patient.name_kana)
    doctor_family, doctor_given = _split(physician)
    resources = {
        "patient": {
            "resourceType": "Patient", "meta": {"profile": [f"{ECS}JP_Patient_eCS"]},
            "identifier": [{"system": f"urn:oid:1.2.392.100495.20.3.51.1{hospital_code}", "value": f"R{patient.pk:08d}"}],
            "name": [{"extension": [{"url": REPRESENTATION, "valueCode": "IDE"}], "text": patient.name,
                      "family": family, "given": given},
                     {"extension": [{"url": REPRESENTATION, "valueCode": "SYL"}], "text": patient.name_kana,
                      "family": kana_family, "given": kana_given}],
            "birthDate": patient.birth_date.isoformat(), "address": [{"text": patient.address}],
        },
        "practitioner": {
            "resourceType": "Practitioner", "meta": {"profile": [f"{ECS}JP_Practitioner_eCS"]},
            "name": [{"extension": [{"url": REPRESENTATION, "valueCode": "IDE"}], "text": physician,
                      "family": doctor_family, "given": doctor_given}],
        },
        "organization": {
            "resourceType": "Organization", "meta": {"profile": [f"{ECS}JP_Organization_eCS"]},
            "identifier": [{"system": ORG_NO, "value": hospital_code}], "name": hospital,
        },
    }
    composition = {
        "resourceType": "Composition", "meta": {"profile": [rules.composition_profile + "|1"]},
        "status": "final", "title": rules.title, "language": "ja",
        "identifier": {"system": "http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier",
                       "value": f"{hospital_code}-{seed}"},
        "type": {"coding": [{"system": received.DOC_TYPE_SYSTEM, "code": rules.type_code, "display": rules.title}]},
        "category": [{"coding": [{"system": received.DOC_SUBTYPE_SYSTEM, "code": rules.category or category}]}],
        "subject": {"reference": urls["patient"], "type": "Patient"},
        "date": written.isoformat(timespec="seconds"),
        "author": [{"reference": urls["practitioner"], "type": "Practitioner"},
                   {"reference": urls["organization"], "type": "Organization"}],
        "custodian": {"reference": urls["organization"], "type": "Organization"},
        "section": sections(urls),
    }
    entries = [{"fullUrl": urls["composition"], "resource": composition}]
    entries += [{"fullUrl": urls[part], "resource": resource} for part, resource in resources.items()]
    entries += [{"fullUrl": _uuid(seed, f"extra{i}"), "resource": resource} for i, resource in enumerate(extra)]
    return {
        "resourceType": "Bundle", "meta": {"profile": [rules.bundle_profile + "|1"]},
        "identifier": {"system": received.BUNDLE_IDENTIFIER_SYSTEM, "value": f"{hospital_code}^{written.year}^{seed}"},
        "type": "document", "timestamp": written.isoformat(timespec="milliseconds"), "entry": entries,
    }


def referral(patient, *, seed, hospital, hospital_code, physician, written, to, purpose, problems, course,
             allergies="特記すべきアレルギーなし"):
    rules = received.RULES[0]

    def sections(urls):
        return [
            _section("920", "紹介元情報", f"{hospital}　{physician}", [urls["organization"]]),
            _section("910", "紹介先情報", to),
            {**_section("300", "構造情報", ""), "section": [
                _section("950", "紹介目的", purpose), _section("340", "傷病名・主訴", problems),
                _section("510", "アレルギー・不耐性反応", allergies), _section("330", "臨床経過", course)]},
        ]

    return _bundle(rules, seed=seed, patient=patient, hospital=hospital, hospital_code=hospital_code,
                   physician=physician, written=written, sections=sections)


def discharge_summary(patient, *, seed, hospital, hospital_code, physician, written, admitted, discharged,
                      diagnosis, course, instructions):
    rules = received.RULES[1]
    encounter = {"resourceType": "Encounter", "status": "finished", "class": {"code": "IMP"},
                 "period": {"start": admitted.isoformat(), "end": discharged.isoformat()}}
    condition = {"resourceType": "Condition", "code": {"text": diagnosis}}

    def sections(urls):
        return [{**_section("300", "構造情報", ""), "section": [
            _section("344", "退院時診断", diagnosis), _section("333", "入院中経過", course),
            _section("424", "退院時方針指示", instructions)]}]

    return _bundle(rules, seed=seed, patient=patient, hospital=hospital, hospital_code=hospital_code,
                   physician=physician, written=written, sections=sections, extra=(encounter, condition),
                   category="DISCHARGE")
