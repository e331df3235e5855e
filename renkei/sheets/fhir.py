"""HL7 FHIR R4 document Bundle of a sheet: a Composition first, then the resources it refers to.

Two kinds of document, decided per kind (docs/api.md lists them):

- The sheets that cross to or from a hospital and that JP-CLINS defines follow the guide exactly once they
  are finalised (the guide admits only `final` documents): the admission sheet is a 診療情報提供書
  (JP_Bundle_eReferral / JP_Composition_eReferral, sections 920 紹介元・910 紹介先 and the 300 構造情報
  sub-sections) and the discharge sheet a 退院時サマリー (JP_Bundle_eDischargeSummary /
  JP_Composition_eDischargeSummary). Each of our sections is placed in the guide's sub-section that fits
  (`REFERRAL_SECTIONS`, `DISCHARGE_SECTIONS`); sections sharing a code are one section, as the guide allows
  each code once. The resources follow the eCS profiles (`clins.PROFILES`). `clins.problems()` checks it.
- The care-manager and nurse documents JP-CLINS does not define (the unified nurse → care-manager form,
  the stroke pathway, the dementia sheet, the ACP record) and drafts of every kind are plain FHIR R4: a
  LOINC document type, no JP-CLINS profile or type, one section per section of the sheet.

Medicines are written as one MedicationStatement per line of the sheet's medicine text. The guide lets the
medication sections of its documents refer only to coded MedicationRequests (prescriptions); ours are what
the patient takes, in words, so in a JP-CLINS document they are entries of the Bundle that the section's
narrative describes, and in a plain document the section refers to them.
"""
import base64
import re
import uuid
from xml.sax.saxutils import escape

from django.utils import timezone

from renkei.core.models import FacilityKind, Profession

from . import clins
from .models import SheetKind
from .presentation import sheet_sections
from .safety import carries_safety, safety_of
from .schemas.base import SECTION_SYSTEM_CLINS, SECTION_SYSTEM_LOCAL

LOINC = "http://loinc.org"
JP_CORE = "http://jpfhir.jp/fhir/core/StructureDefinition/"
V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
ID_SYSTEM = "urn:renkei:id"
NAMESPACE = uuid.UUID("5b0e7a52-3c55-4b8e-9a43-2f1e8c7d6a10")
MEDICAL_KINDS = {FacilityKind.HOSPITAL, FacilityKind.CLINIC, FacilityKind.HOME_CARE_CLINIC, FacilityKind.DENTAL}

CLINS_DOCUMENTS = {SheetKind.ADMISSION: clins.REFERRAL, SheetKind.DISCHARGE: clins.DISCHARGE_SUMMARY}
TRANSFER_SUMMARY = ("18761-7", "Transfer summary note")
LOINC_TYPES = {
    SheetKind.NURSING_INFO: ("28651-8", "Nurse Transfer note"),
    SheetKind.STROKE: TRANSFER_SUMMARY,
    SheetKind.DEMENTIA: TRANSFER_SUMMARY,
    SheetKind.ACP: ("81334-5", "Patient Personal advance care plan"),
    SheetKind.ADMISSION: TRANSFER_SUMMARY,  # a draft, or written by someone other than a physician
    SheetKind.DISCHARGE: TRANSFER_SUMMARY,  # likewise (a nurse's: NURSE_TRANSFER)
}
NURSE_TRANSFER = ("28651-8", "Nurse Transfer note")


def document_type(sheet):
    """The LOINC document type of a sheet exported as a plain document: a nurse's hospital-crossing sheet is a
    nurse transfer note; the others as LOINC_TYPES says."""
    if sheet.kind in CLINS_DOCUMENTS and getattr(sheet.author, "profession", None) == Profession.NURSE:
        return NURSE_TRANSFER
    return LOINC_TYPES[sheet.kind]
# our section code → the guide's section code (None: the Patient resource carries it)
REFERRAL_SECTIONS = {
    "basics": None, "910": "910", "920": "920", "housing": "640", "care-level": "640", "household": "640",
    "wishes": "640", "services": "640", "outlook": "220", "conference-wishes": "220", "adl": "610", "eating": "610",
    "toileting": "610", "communication": "610", "bpsd": "610", "370": "370", "430": "430", "family-doctor": "220",
    "510": "510", "520": "520",
}
DISCHARGE_SECTIONS = {
    "basics": None, "920": "322", "340": "342", "follow-up": "424", "330": "333", "adl": "614", "eating": "614",
    "cognition": "614", "wishes": "424", "home-care-needs": "424", "viewpoints": "424", "prognosis": "424",
    "430": "444", "discharge-conference": "424", "hearings": "424", "510": "510", "520": "623",
}
SECTION_MAPS = {SheetKind.ADMISSION: (REFERRAL_SECTIONS, "220"), SheetKind.DISCHARGE: (DISCHARGE_SECTIONS, "424")}
REFERRAL_PURPOSE = "入院時情報連携：介護支援専門員から入院先医療機関への、入院前の生活・介護・服薬の情報提供"
NOT_WRITTEN = "この文書の様式には記載欄がありません。"
NONE_WORDS = {"なし", "特になし", "無し", "ない"}
UNKNOWN_WORDS = {"不明", "分からない", "わからない"}


def _urn(*parts):
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, ':'.join(str(p) for p in parts))}"


def _id(url):
    return str(uuid.UUID(url[9:]))


def _rows_html(rows, table=None):
    cells = "".join(
        f"<tr><th>{escape(label)}</th><td>{escape(value).replace(chr(10), '<br/>')}</td></tr>" for label, value in rows
    )
    log = ""
    if table:
        header, entries = table
        log = "<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr>" + "".join(
            "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in entry) + "</tr>" for entry in entries if any(entry[1:])
        ) + "</table>"
    return f"<table>{cells}</table>{log}"


def _div(inner):
    return f'<div xmlns="http://www.w3.org/1999/xhtml">{inner}</div>'


def _plain(text):
    """Spaces as the guide wants them in names: runs of half- and full-width spaces become one half-width space."""
    return re.sub(r"[\s\u3000]+", " ", text or "").strip()


def _katakana(text):
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def _name(text, code):
    text = _plain(text)
    family, _, given = text.partition(" ")
    name = {"use": "official", "extension": [{"url": clins.NAME_REPRESENTATION, "valueCode": code}], "text": text,
            "family": family}
    if given:
        name["given"] = [given]
    return name


def _items(text, separators=r"[、,，\n]+"):
    """The items of a free-text list (one per line or between 、), blank ones dropped."""
    return [item.strip() for item in re.split(separators, text or "") if item.strip()][:30]


def _iso(moment, timespec="seconds"):
    return timezone.localtime(moment).isoformat(timespec=timespec)


class _Builder:
    """Collects the Bundle's entries for one sheet."""

    def __init__(self, sheet, *, stages, deliveries):
        self.sheet, self.stages, self.deliveries = sheet, list(stages), list(deliveries)
        self.content = sheet.content
        self.document = clins_document(sheet)
        self.entries = []
        self.now = timezone.now()
        self.written = sheet.finalised_at or sheet.updated_at or self.now
        self.patient_ref = self.patient()
        self.author_ref = self.practitioner(sheet.author)
        self.issuer_ref = self.issuer()

    def profile(self, kind, core=None):
        """The eCS profile in a JP-CLINS document, else the JP Core one (or none)."""
        if self.document:
            return {"profile": [clins.PROFILES[kind]]}
        return {"profile": [JP_CORE + core]} if core else {}

    def add(self, url, resource):
        if all(e["fullUrl"] != url for e in self.entries):
            self.entries.append({"fullUrl": url, "resource": {"resourceType": resource.pop("resourceType"),
                                                              "id": _id(url), **resource}})
        return {"reference": url}

    # --- who and where

    def patient(self):
        sheet, content = self.sheet, self.content
        patient = sheet.patient
        names = [_name(content.get("patient_name") or patient.name, "IDE")]
        kana = content.get("patient_kana") or patient.name_kana
        if kana:
            names.append(_name(_katakana(kana), "SYL"))
        sex = {"男性": "male", "女性": "female", "その他・回答しない": "other"}.get(content.get("patient_sex"), "unknown")
        resource = {
            "resourceType": "Patient", "meta": self.profile("Patient", "JP_Patient"),
            "identifier": [{"system": f"{ID_SYSTEM}:patient", "value": str(sheet.patient_id)}],
            "name": names, "gender": sex,
            "birthDate": content.get("patient_birth_date") or patient.birth_date.isoformat(),
        }
        address = content.get("patient_address") or patient.address
        if address:
            resource["address"] = [{"text": address, "country": "JP"}]
        phone = content.get("patient_phone") or patient.phone
        if phone:
            resource["telecom"] = [{"system": "phone", "value": phone}]
        return self.add(_urn("patient", sheet.patient_id), resource)

    def practitioner(self, user):
        names = [_name(user.name or user.username, "IDE")]
        if user.name_kana:
            names.append(_name(_katakana(user.name_kana), "SYL"))
        return self.add(_urn("user", user.pk), {
            "resourceType": "Practitioner", "meta": self.profile("Practitioner", "JP_Practitioner"),
            "identifier": [{"system": f"{ID_SYSTEM}:user", "value": str(user.pk)}], "name": names,
        })

    def organization(self, facility, *, name="", role="named"):
        """A facility of the directory, or (without one) an organisation known only by the name the sheet gives."""
        resource = {"resourceType": "Organization", "meta": self.profile("Organization", "JP_Organization"),
                    "type": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/organization-type",
                                          "code": "prov"}]}]}
        if facility is None:
            return self.add(_urn("organization", role, self.sheet.pk), {**resource, "name": name})
        identifiers = []
        if medical_institution_code(facility):
            identifiers.append({"system": clins.MEDICAL_INSTITUTION_NO, "value": facility.official_id})
        identifiers.append({"system": f"{ID_SYSTEM}:facility", "value": str(facility.pk)})
        resource |= {"identifier": identifiers, "name": facility.name}
        if facility.phone:
            resource["telecom"] = [{"system": "phone", "value": facility.phone}]
        if facility.address:
            resource["address"] = [{"text": facility.address, "country": "JP"}]
        return self.add(_urn("facility", facility.pk), resource)

    def issuer(self):
        """The author's office; a sheet written without one names the office its content gives."""
        facility = self.sheet.author_facility
        return self.organization(facility, name=self.content.get("office_name") or "（作成事業所の登録なし）",
                                 role="issuer")

    # --- clinical content

    def safety(self):
        """{field: text}: what the sheet says; a draft's blank fields from the patient's current record."""
        if not carries_safety(self.sheet.kind):
            return {}
        values = {name: (self.content.get(name) or "").strip() for name in ("allergies", "drug_contraindications",
                                                                             "infections")}
        if not self.sheet.is_finalised and not all(values.values()):
            record = safety_of(self.sheet.patient)
            values = {name: value or record[name] for name, value in values.items()}
        return values

    def allergies(self, values):
        refs = []
        for field, category in (("allergies", None), ("drug_contraindications", "medication")):
            text = values.get(field) or ""
            if not text or text in NONE_WORDS | UNKNOWN_WORDS:
                continue
            resource = {
                "resourceType": "AllergyIntolerance", "meta": self.profile("AllergyIntolerance"),
                "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
                                               "code": "active"}]},
                "code": {"text": text}, "patient": self.patient_ref,
            }
            if category:
                resource |= {"category": [category], "type": "intolerance"}
            refs.append(self.add(_urn("allergy", self.sheet.pk, field), resource))
        return refs

    def medication_statements(self):
        status = "intended" if self.sheet.kind == SheetKind.DISCHARGE else "active"
        return [self.add(_urn("medication", self.sheet.pk, n), {
            "resourceType": "MedicationStatement", "status": status, "medicationCodeableConcept": {"text": line},
            "subject": self.patient_ref, "dateAsserted": self.sheet.document_date.isoformat(),
            "informationSource": self.author_ref,
        }) for n, line in enumerate(_items(self.content.get("medicines"), r"\n+"))]

    def conditions(self, text, category):
        return [self.add(_urn("condition", self.sheet.pk, n), {
            "resourceType": "Condition", "meta": self.profile("Condition"),
            "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                           "code": "active"}]},
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category",
                                      "code": category}]}],
            "code": {"text": item}, "subject": self.patient_ref,
        }) for n, item in enumerate(_items(text))]


def clins_document(sheet):
    """The JP-CLINS document the sheet is exported as (clins.REFERRAL / DISCHARGE_SUMMARY), else None.

    Only finalised sheets written by a physician: the guide's 診療情報提供書 and 退院時サマリー are physicians'
    documents, so a care manager's or a nurse's sheet claims no JP-CLINS type (it is a plain document with its
    LOINC type, document_type()). Only `final` documents (the guide admits no other); a discharge sheet also
    needs both the admission and the discharge day, the period the guide's 退院時サマリー is about."""
    by_physician = getattr(sheet.author, "profession", None) == Profession.PHYSICIAN
    document = CLINS_DOCUMENTS.get(sheet.kind) if sheet.is_finalised and by_physician else None
    if document is clins.DISCHARGE_SUMMARY and not (sheet.content.get("admitted_on") and sheet.content.get("discharge_on")):
        return None
    return document


def medical_institution_code(facility):
    """The facility's 医療機関コード (10 digits) when it is a medical institution that has one, else ''."""
    code = (facility.official_id or "").strip() if facility else ""
    if facility and facility.kind in MEDICAL_KINDS and clins.MEDICAL_INSTITUTION_NO_PATTERN.fullmatch(code):
        return code
    return ""


def issuer_number(facility):
    """The 10 digits that open the guide's document identifiers: the 医療機関コード, else the facility's own
    10-digit official number (介護保険事業所番号), else Renkei's facility number."""
    if facility is None:
        return "0" * 10
    official = (facility.official_id or "").strip()
    return medical_institution_code(facility) or (official if re.fullmatch(r"[0-9]{10}", official) else f"{facility.pk:010d}")


def _section(title, code, system, inner, *, display=None, entries=(), empty_reason=None):
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    section = {"title": title, "code": {"coding": [coding]}, "text": {"status": "additional", "div": _div(inner)}}
    if entries:
        section["entry"] = list(entries)
    elif empty_reason:
        section["emptyReason"] = {"coding": [{"system": clins.EMPTY_REASON_SYSTEM, "code": empty_reason}]}
    return section


def _blocks_html(blocks):
    return "".join(f"<p><b>{escape(b.title)}</b></p>{_rows_html(b.rows, b.table)}" for b in blocks)


def _empty_reason(text):
    """nilknown for 「なし」, unavailable for 「不明」, notasked for a blank."""
    text = (text or "").strip()
    if text in NONE_WORDS:
        return "nilknown"
    return "unavailable" if text in UNKNOWN_WORDS else "notasked"


def build_bundle(sheet, *, stages=(), deliveries=()):
    """The sheet as a FHIR R4 document Bundle (a dict ready for JSON)."""
    builder = _Builder(sheet, stages=stages, deliveries=deliveries)
    composition_url = _urn("sheet", sheet.series, sheet.version)
    issuer = builder.issuer_ref
    presented = sheet_sections(sheet, stages=builder.stages)
    safety = builder.safety()
    document = builder.document
    composition = {"resourceType": "Composition", "id": _id(composition_url),
                   "meta": {"lastUpdated": _iso(builder.now)}}
    if document:
        number = issuer_number(sheet.author_facility)
        composition["meta"]["profile"] = [document.rules.composition_profile + "|1"]
        composition["identifier"] = {"system": clins.RESOURCE_IDENTIFIER_SYSTEM,
                                     "value": f"{number}^{sheet.document_date.year}^{sheet.series.hex}"}
        composition["type"] = {"coding": [{"system": clins.received.DOC_TYPE_SYSTEM, "code": document.rules.type_code,
                                           "display": document.rules.title}]}
        composition["category"] = [{"coding": [{"system": clins.received.DOC_SUBTYPE_SYSTEM,
                                                "code": document.category}]}]
        sections, extra = _clins_sections(builder, presented.blocks, issuer, safety)
        title = document.rules.title
    else:
        code, display = document_type(sheet)
        composition["identifier"] = {"system": f"{ID_SYSTEM}:sheet", "value": f"{sheet.series}-{sheet.version}"}
        composition["type"] = {"coding": [{"system": LOINC, "code": code, "display": display}], "text": presented.title}
        sections, extra = _plain_sections(builder, presented.blocks, issuer, safety), {}
        title = presented.title
    composition |= {
        "extension": [{"url": clins.VERSION_EXTENSION, "valueString": str(sheet.version)}],
        "language": "ja", "status": "final" if sheet.is_finalised else "preliminary",
        "subject": builder.patient_ref | {"display": _plain(sheet.content.get("patient_name", ""))},
        "date": _iso(builder.written), "author": [builder.author_ref, issuer], "title": title, "custodian": issuer,
        **extra, "section": sections,
    }
    if sheet.version > 1:
        composition["relatesTo"] = [{"code": "replaces", "targetIdentifier": {
            "system": f"{ID_SYSTEM}:sheet", "value": f"{sheet.series}-{sheet.version - 1}"}}]
    bundle = {"resourceType": "Bundle", "id": str(uuid.uuid5(NAMESPACE, f"bundle:{sheet.series}:{sheet.version}")),
              "meta": {"lastUpdated": _iso(builder.now, "milliseconds")}}
    if document:
        bundle["meta"]["profile"] = [document.rules.bundle_profile + "|1"]
        # one identifier per version: a correction is a new document for the receiver, not a repeat
        bundle["identifier"] = {"system": clins.received.BUNDLE_IDENTIFIER_SYSTEM,
                                "value": f"{number}^{sheet.document_date.year}^{sheet.series.hex}-{sheet.version}"}
    else:
        bundle["identifier"] = {"system": f"{ID_SYSTEM}:bundle", "value": f"{sheet.series}-{sheet.version}"}
    bundle |= {"type": "document", "timestamp": _iso(builder.now, "milliseconds"),
               "entry": [{"fullUrl": composition_url, "resource": composition}, *builder.entries]}
    return bundle


def _plain_sections(builder, blocks, issuer, safety):
    """One section per section of the sheet, coded as the sheet's schema codes it."""
    recipients = [builder.organization(d.facility) | {"display": d.facility.name} for d in builder.deliveries]
    refs = {"510": builder.allergies(safety), "430": builder.medication_statements(), "910": recipients,
            "920": [issuer]}
    sections = []
    for block in blocks:
        entries = refs.get(block.code, ()) if block.system == SECTION_SYSTEM_CLINS else ()
        sections.append(_section(block.title, block.code, block.system, _rows_html(block.rows, block.table),
                                 entries=entries))
    if recipients and not any(b.system == SECTION_SYSTEM_CLINS and b.code == "910" for b in blocks):
        # sheets without a 紹介先 block still name where they were sent, so every Organization is referenced
        rows = [("送付先", r["display"]) for r in recipients]
        sections.insert(0, _section("送付先", "recipients", SECTION_SYSTEM_LOCAL, _rows_html(rows), entries=recipients))
    return sections


def _clins_sections(builder, blocks, issuer, safety):
    """The guide's sections (920/910 beside 300 for a referral; the 300 sub-sections), and the Composition's
    `event` (and `encounter`)."""
    sheet, content, document = builder.sheet, builder.content, builder.document
    mapping, default = SECTION_MAPS[sheet.kind]
    grouped = {}
    for block in blocks:
        target = mapping.get(block.code, default)
        if target:
            grouped.setdefault(target, []).append(block)
    allergies = builder.allergies(safety)
    builder.medication_statements()
    refs = {"510": allergies}
    generated = {}
    empty = {"510": _empty_reason(safety.get("allergies"))}  # why a section says nothing (else notasked)
    if not allergies and (safety.get("allergies") or "") in NONE_WORDS | UNKNOWN_WORDS:
        empty["declared"] = ("510",)  # 「なし」「不明」 written in words is still an empty list
    extra = {}
    if document is clins.REFERRAL:
        to = next((d.facility for d in reversed(builder.deliveries) if d.facility.kind in MEDICAL_KINDS), None)
        to_ref = builder.organization(to, name=content.get("hospital_name") or "（入院先医療機関）", role="to")
        encounter = {"resourceType": "Encounter", "meta": builder.profile("Encounter"),
                     "status": "in-progress" if content.get("admitted_on") else "planned",
                     "class": {"system": V3_ACT_CODE, "code": "IMP", "display": "入院"}, "subject": builder.patient_ref,
                     "reasonCode": [{"text": REFERRAL_PURPOSE}], "serviceProvider": to_ref}
        if content.get("admitted_on"):
            encounter["period"] = {"start": content["admitted_on"]}
        encounter_ref = builder.add(_urn("encounter", sheet.pk), encounter)
        illnesses = [i for i in content.get("illnesses") or [] if i not in ("なし", "その他")]
        conditions = builder.conditions(content.get("illness_notes") or "、".join(illnesses), "problem-list-item")
        refs |= {"920": [issuer, builder.author_ref], "910": [to_ref], "950": [encounter_ref], "340": conditions}
        generated["950"] = [("紹介目的", REFERRAL_PURPOSE)]
        generated["340"] = [("疾患", "、".join(_items(content.get("illness_notes")) or illnesses))] if conditions else []
        empty["340"] = "nilknown" if content.get("illnesses") == ["なし"] else "notasked"
        extra["event"] = [{"code": [{"text": "診療情報提供書発行"}], "period": {"start": sheet.document_date.isoformat()}}]
    else:
        diagnoses = content.get("diagnoses") or ""
        conditions = builder.conditions(diagnoses, "encounter-diagnosis")
        encounter = {"resourceType": "Encounter", "meta": builder.profile("Encounter"),
                     "status": "finished" if content["discharge_on"] <= timezone.localdate().isoformat()
                     else "in-progress",
                     "class": {"system": V3_ACT_CODE, "code": "IMP", "display": "入院"}, "subject": builder.patient_ref,
                     "period": {"start": content.get("admitted_on"), "end": content.get("discharge_on")},
                     "reasonCode": [{"text": diagnoses}], "diagnosis": [{"condition": c} for c in conditions],
                     "serviceProvider": {"display": content.get("hospital_name", "")}}
        if content.get("discharge_to"):
            encounter["hospitalization"] = {"dischargeDisposition": {"text": content["discharge_to"]}}
        encounter_ref = builder.add(_urn("encounter", sheet.pk), encounter)
        course = "\n".join(f"{label}：{value}" for b in grouped.get("333", []) for label, value in b.rows if value)
        course_ref = builder.add(_urn("course", sheet.pk), {
            "resourceType": "DocumentReference", "meta": builder.profile("DocumentReference"), "status": "current",
            "type": {"coding": [{"system": LOINC, "code": "8648-8", "display": "Hospital course Narrative"}]},
            "subject": builder.patient_ref, "date": _iso(builder.written), "author": [builder.author_ref],
            "description": "入院中経過",
            "content": [{"attachment": {"contentType": "text/plain; charset=utf-8", "title": "入院中経過",
                                        "data": base64.b64encode((course or "記載なし").encode()).decode()}}]})
        refs |= {"322": [encounter_ref], "312": [encounter_ref], "324": [encounter_ref], "342": conditions,
                 "344": conditions, "333": [course_ref]}
        generated["312"] = [("入院原因疾患・診断名", diagnoses)]
        generated["324"] = [(label, value) for b in blocks if b.code == "920" for label, value in b.rows
                            if label.startswith(("退院", "入院（所）先"))]
        extra["event"] = [{"period": {"start": content.get("admitted_on"), "end": content.get("discharge_on")}}]
        extra["encounter"] = encounter_ref
    top = []
    for code, (title, display) in document.top.items():
        if code in grouped or code in document.required_top:
            top.append(_guide_section(code, title, display, grouped.get(code, []), refs, generated, empty))
    subs = [_guide_section(code, title, display, grouped.get(code, []), refs, generated, empty)
            for code, (title, display) in document.sub.items()
            if code in grouped or code in document.required_sub or refs.get(code)]
    title, display = clins.STRUCTURE
    structure = {"title": title, "code": {"coding": [{"system": clins.SECTION_SYSTEM, "code": "300",
                                                      "display": display}]}, "section": subs}
    return [*top, structure], extra


def _guide_section(code, title, display, blocks, refs, generated, empty):
    rows = generated.get(code) or []
    inner = (_rows_html(rows) if rows else "") + _blocks_html(blocks)
    entries = refs.get(code) or ()
    written = any(value for _, value in rows) or any(value for b in blocks for _, value in b.rows)
    reason = None if written and code not in empty.get("declared", ()) else empty.get(code, "notasked")
    return _section(title, code, clins.SECTION_SYSTEM, inner or f"<p>{NOT_WRITTEN}</p>", display=display,
                    entries=entries, empty_reason=reason)
