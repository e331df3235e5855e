"""HL7 FHIR R4 document Bundle of a sheet: a Composition first, then the resources it refers to.

Where the Japanese specifications define structure we follow them: the Patient carries the JP
Core profile and kanji/kana names (iso21090-EN-representation IDE/SYL); the Composition uses
JP-CLINS document type codes (診療情報提供書 57133-1, 退院時サマリー 18842-5) and the JP-CLINS
document-section codes (910 紹介先, 920 紹介元, 300 構造情報 with clinical sub-sections). Sheets
JP-CLINS does not cover (the city's own forms) use LOINC document codes and Renkei section codes.
The Composition does not claim the JP-CLINS profiles: our forms are not those documents.
"""
import uuid
from xml.sax.saxutils import escape

from django.utils import timezone

from .models import SheetKind
from .presentation import Block, sheet_sections
from .schemas.base import SECTION_SYSTEM_CLINS

DOC_TYPE_CLINS = "http://jpfhir.jp/fhir/Common/CodeSystem/doc-typecodes"
LOINC = "http://loinc.org"
JP_PATIENT = "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Patient"
JP_PRACTITIONER = "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Practitioner"
JP_ORGANIZATION = "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Organization"
NAME_REPRESENTATION = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation"
ID_SYSTEM = "urn:renkei:id"
NAMESPACE = uuid.UUID("5b0e7a52-3c55-4b8e-9a43-2f1e8c7d6a10")

DOCUMENT_TYPES = {
    SheetKind.ADMISSION: (DOC_TYPE_CLINS, "57133-1", "診療情報提供書"),
    SheetKind.DISCHARGE: (DOC_TYPE_CLINS, "18842-5", "退院時サマリー"),
    SheetKind.NURSING_INFO: (LOINC, "34746-8", "Nurse Note"),
    SheetKind.STROKE: (LOINC, "18776-5", "Plan of care note"),
    SheetKind.DEMENTIA: (DOC_TYPE_CLINS, "57133-1", "診療情報提供書"),
    SheetKind.ACP: (LOINC, "81334-5", "Patient Personal advance care plan"),
}
TOP_LEVEL_CLINS = {"910", "920"}  # JP-CLINS puts 紹介先・紹介元 beside the 構造情報 section


def _urn(*parts):
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, ':'.join(str(p) for p in parts))}"


def _div(rows, table=None):
    cells = "".join(
        f"<tr><th>{escape(label)}</th><td>{escape(value).replace(chr(10), '<br/>')}</td></tr>" for label, value in rows
    )
    log = ""
    if table:
        header, entries = table
        log = "<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr>" + "".join(
            "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in entry) + "</tr>" for entry in entries if any(entry[1:])
        ) + "</table>"
    return f'<div xmlns="http://www.w3.org/1999/xhtml"><table>{cells}</table>{log}</div>'


def _patient(sheet, full_url):
    content = sheet.content
    sex = {"男性": "male", "女性": "female"}.get(content.get("patient_sex"), "unknown")
    names = [{"use": "official", "text": content.get("patient_name", ""),
              "extension": [{"url": NAME_REPRESENTATION, "valueCode": "IDE"}]}]
    if content.get("patient_kana"):
        names.append({"use": "official", "text": content["patient_kana"],
                      "extension": [{"url": NAME_REPRESENTATION, "valueCode": "SYL"}]})
    resource = {
        "resourceType": "Patient",
        "id": str(uuid.UUID(full_url[9:])),
        "meta": {"profile": [JP_PATIENT]},
        "identifier": [{"system": f"{ID_SYSTEM}:patient", "value": str(sheet.patient_id)}],
        "name": names,
        "gender": sex,
    }
    if content.get("patient_birth_date"):
        resource["birthDate"] = content["patient_birth_date"]
    if content.get("patient_address"):
        resource["address"] = [{"text": content["patient_address"], "country": "JP"}]
    if content.get("patient_phone"):
        resource["telecom"] = [{"system": "phone", "value": content["patient_phone"]}]
    return resource


def _practitioner(user, full_url):
    return {
        "resourceType": "Practitioner",
        "id": str(uuid.UUID(full_url[9:])),
        "meta": {"profile": [JP_PRACTITIONER]},
        "identifier": [{"system": f"{ID_SYSTEM}:user", "value": str(user.pk)}],
        "name": [{"text": user.name or user.username}],
    }


def _organization(facility, full_url):
    resource = {
        "resourceType": "Organization",
        "id": str(uuid.UUID(full_url[9:])),
        "meta": {"profile": [JP_ORGANIZATION]},
        "identifier": [{"system": f"{ID_SYSTEM}:facility", "value": str(facility.pk)}],
        "name": facility.name,
    }
    if facility.address:
        resource["address"] = [{"text": facility.address, "country": "JP"}]
    return resource


def _section(block, entries=None):
    section = {
        "title": block.title,
        "code": {"coding": [{"system": block.system, "code": block.code}]},
        "text": {"status": "additional", "div": _div(block.rows, block.table)},
    }
    if entries:
        section["entry"] = entries
    return section


def build_bundle(sheet, *, stages=(), deliveries=()):
    """The sheet as a FHIR R4 document Bundle (a dict ready for JSON)."""
    patient_url = _urn("patient", sheet.patient_id)
    author_url = _urn("user", sheet.author_id)
    composition_url = _urn("sheet", sheet.series, sheet.version)
    entries = [
        {"fullUrl": patient_url, "resource": _patient(sheet, patient_url)},
        {"fullUrl": author_url, "resource": _practitioner(sheet.author, author_url)},
    ]
    authors = [{"reference": author_url, "display": str(sheet.author)}]
    org_url = None
    if sheet.author_facility:
        org_url = _urn("facility", sheet.author_facility_id)
        entries.append({"fullUrl": org_url, "resource": _organization(sheet.author_facility, org_url)})
        authors.append({"reference": org_url, "display": sheet.author_facility.name})
    recipients = []
    for delivery in deliveries:
        url = _urn("facility", delivery.facility_id)
        if url != org_url and all(e["fullUrl"] != url for e in entries):
            entries.append({"fullUrl": url, "resource": _organization(delivery.facility, url)})
        recipients.append({"reference": url, "display": delivery.facility.name})

    presented = sheet_sections(sheet, stages=stages)
    top, structured = [], []
    for block in presented.blocks:
        if block.system == SECTION_SYSTEM_CLINS and block.code in TOP_LEVEL_CLINS:
            refs = recipients if block.code == "910" else ([{"reference": org_url}] if org_url and block.code == "920" else None)
            top.append(_section(block, refs or None))
        else:
            structured.append(_section(block))
    if recipients and not any(block.system == SECTION_SYSTEM_CLINS and block.code == "910"
                               for block in presented.blocks):
        # Sheets without a 紹介先 block still name where they were sent, so every Organization is referenced.
        rows = [("送付先", r["display"]) for r in recipients]
        top.insert(0, _section(Block("送付先", rows, "910", SECTION_SYSTEM_CLINS), recipients))
    structure = {
        "title": "構造情報",
        "code": {"coding": [{"system": SECTION_SYSTEM_CLINS, "code": "300", "display": "構造情報セクション"}]},
        "section": structured,
    }
    system, code, display = DOCUMENT_TYPES[sheet.kind]
    composition = {
        "resourceType": "Composition",
        "id": str(uuid.UUID(composition_url[9:])),
        "language": "ja",
        "identifier": {"system": f"{ID_SYSTEM}:sheet", "value": f"{sheet.series}-{sheet.version}"},
        "status": "final" if sheet.is_finalised else "preliminary",
        "type": {"coding": [{"system": system, "code": code, "display": display}], "text": presented.title},
        "subject": {"reference": patient_url, "display": sheet.content.get("patient_name", "")},
        "date": (sheet.finalised_at or sheet.updated_at or timezone.now()).isoformat(),
        "author": authors,
        "title": presented.title,
        "extension": [{
            "url": "http://hl7.org/fhir/StructureDefinition/composition-clinicaldocument-versionNumber",
            "valueString": str(sheet.version),
        }],
        "section": [*top, structure],
    }
    if org_url:
        composition["custodian"] = {"reference": org_url}
    if sheet.version > 1:
        composition["relatesTo"] = [{"code": "replaces", "targetIdentifier": {
            "system": f"{ID_SYSTEM}:sheet", "value": f"{sheet.series}-{sheet.version - 1}"}}]
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid5(NAMESPACE, f"bundle:{sheet.series}:{sheet.version}")),
        "meta": {"lastUpdated": timezone.now().isoformat()},
        "identifier": {"system": f"{ID_SYSTEM}:bundle", "value": f"{sheet.series}-{sheet.version}"},
        "type": "document",
        "timestamp": timezone.now().isoformat(),
        "entry": [{"fullUrl": composition_url, "resource": composition}, *entries],
    }
