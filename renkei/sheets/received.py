"""Documents received from hospital systems: a JP-CLINS 診療情報提供書 (eReferral) or 退院時サマリー
(eDischargeSummary) document Bundle, checked against the guide's rules, stored on its patient whole or not
at all, with a notice on the team timeline and an audit row.

The checks are written in the project from the JP-CLINS 1.x profiles (JP_Bundle_eReferral,
JP_Bundle_eDischargeSummary, JP_Composition_eReferral, JP_Composition_eDischargeSummary): the Bundle is a
`document` with the fixed identifier system and a timestamp; its first entry is the Composition with the
profile, fixed type code, title and status; subject, author and custodian resolve to entries of the
Bundle; the required sections are present with the JP-CLINS section codes. The Patient must be the
patient the document is sent for (birth date and name), so a document never lands on the wrong person.
"""
import hashlib
import html
import json
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from renkei.core.audit import Action, record
from renkei.core.errors import AppError
from renkei.network.services import post_notice

from .models import ReceivedDocument, ReceivedKind

BUNDLE_IDENTIFIER_SYSTEM = "http://jpfhir.jp/fhir/clins/bundle-identifier"
DOC_TYPE_SYSTEM = "http://jpfhir.jp/fhir/Common/CodeSystem/doc-typecodes"
DOC_SUBTYPE_SYSTEM = "http://jpfhir.jp/fhir/Common/CodeSystem/doc-subtypecodes"
SECTION_SYSTEM = "http://jpfhir.jp/fhir/clins/CodeSystem/document-section"
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Rules:
    kind: str
    bundle_profile: str
    composition_profile: str
    type_code: str
    title: str
    required_sections: tuple  # top-level section codes that must be there
    category: str | None = None  # a fixed category code, when the profile fixes one


RULES = (
    Rules(ReceivedKind.REFERRAL, "http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_eReferral",
          "http://jpfhir.jp/fhir/eReferral/StructureDefinition/JP_Composition_eReferral", "57133-1", "診療情報提供書",
          ("910", "920")),
    Rules(ReceivedKind.DISCHARGE_SUMMARY, "http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_eDischargeSummary",
          "http://jpfhir.jp/fhir/eDischargeSummary/StructureDefinition/JP_Composition_eDischargeSummary", "18842-5",
          "退院時サマリー", (), "DISCHARGE"),
)


def _profiles(resource):
    """The resource's profiles without their `|version` suffix."""
    return {p.split("|")[0] for p in ((resource.get("meta") or {}).get("profile") or []) if isinstance(p, str)}


def _coding(concept):
    codings = (concept or {}).get("coding") or []
    return codings[0] if codings and isinstance(codings[0], dict) else {}


@dataclass
class Checked:
    rules: Rules
    composition: dict
    patient: dict
    organisations: dict
    practitioners: dict


def check_bundle(data):
    """(Checked, []) for a conforming Bundle, else (None, [each problem in Japanese, with where it is])."""
    problems = []
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        return None, ["resourceType: FHIR の Bundle ではありません。"]
    rules = next((r for r in RULES if r.bundle_profile in _profiles(data)), None)
    if rules is None:
        problems.append("Bundle.meta.profile: JP_Bundle_eReferral（診療情報提供書）または "
                        "JP_Bundle_eDischargeSummary（退院時サマリー）を指定してください。")
    if data.get("type") != "document":
        problems.append("Bundle.type: document でなければなりません。")
    identifier = data.get("identifier") or {}
    if identifier.get("system") != BUNDLE_IDENTIFIER_SYSTEM or not identifier.get("value"):
        problems.append(f"Bundle.identifier: system が {BUNDLE_IDENTIFIER_SYSTEM} の識別子（value あり）が必要です。")
    if not parse_datetime(str(data.get("timestamp") or "")):
        problems.append("Bundle.timestamp: 作成日時（タイムゾーン付き）が必要です。")
    entries = data.get("entry") or []
    if not isinstance(entries, list) or not entries:
        return None, problems + ["Bundle.entry: 文書の中身がありません。"]
    by_url = {}
    for i, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict) or not entry.get("fullUrl"):
            problems.append(f"Bundle.entry[{i}]: fullUrl と resource が必要です。")
            continue
        by_url[entry["fullUrl"]] = resource
    first = entries[0].get("resource") if isinstance(entries[0], dict) else None
    if not isinstance(first, dict) or first.get("resourceType") != "Composition":
        return None, problems + ["Bundle.entry[0]: 先頭は Composition でなければなりません。"]
    if rules is None:
        return None, problems
    composition = first
    problems += _check_composition(composition, rules, by_url)
    patient = by_url.get(((composition.get("subject") or {}).get("reference")) or "")
    organisations = {u: r for u, r in by_url.items() if r.get("resourceType") == "Organization"}
    practitioners = {u: r for u, r in by_url.items() if r.get("resourceType") == "Practitioner"}
    if patient is not None:
        problems += _check_patient(patient)
    if rules.kind == ReceivedKind.DISCHARGE_SUMMARY:
        if not any(r.get("resourceType") == "Encounter" for r in by_url.values()):
            problems.append("Bundle.entry: 退院時サマリーには入院の Encounter が1つ必要です。")
        if not any(r.get("resourceType") == "Condition" for r in by_url.values()):
            problems.append("Bundle.entry: 退院時サマリーには診断の Condition が1つ以上必要です。")
    if problems:
        return None, problems
    return Checked(rules, composition, patient, organisations, practitioners), []


def _check_composition(composition, rules, by_url):
    problems = []
    where = "Composition"
    if rules.composition_profile not in _profiles(composition):
        problems.append(f"{where}.meta.profile: {rules.composition_profile} を指定してください。")
    if composition.get("status") != "final":
        problems.append(f"{where}.status: final でなければなりません。")
    coding = _coding(composition.get("type"))
    if coding.get("system") != DOC_TYPE_SYSTEM or coding.get("code") != rules.type_code:
        problems.append(f"{where}.type: {DOC_TYPE_SYSTEM} の {rules.type_code}（{rules.title}）でなければなりません。")
    if composition.get("title") != rules.title:
        problems.append(f"{where}.title: 「{rules.title}」でなければなりません。")
    categories = composition.get("category") or []
    category = _coding(categories[0]) if categories else {}
    if category.get("system") != DOC_SUBTYPE_SYSTEM or not category.get("code") or (
            rules.category and category.get("code") != rules.category):
        fixed = f"（{rules.category}）" if rules.category else ""
        problems.append(f"{where}.category: {DOC_SUBTYPE_SYSTEM} の文書カテゴリコード{fixed}が必要です。")
    if not parse_datetime(str(composition.get("date") or "")):
        problems.append(f"{where}.date: 作成日時（秒とタイムゾーン付き）が必要です。")
    subject = (composition.get("subject") or {}).get("reference")
    if (by_url.get(subject) or {}).get("resourceType") != "Patient":
        problems.append(f"{where}.subject: Bundle 内の Patient を参照してください。")
    authors = composition.get("author") or []
    kinds = {(by_url.get(a.get("reference")) or {}).get("resourceType") for a in authors if isinstance(a, dict)}
    if not {"Practitioner", "Organization"} <= kinds:
        problems.append(f"{where}.author: Bundle 内の作成者（Practitioner）と作成機関（Organization）を参照してください。")
    custodian = (composition.get("custodian") or {}).get("reference")
    if (by_url.get(custodian) or {}).get("resourceType") != "Organization":
        problems.append(f"{where}.custodian: Bundle 内の文書管理責任機関（Organization）を参照してください。")
    sections = [s for s in composition.get("section") or [] if isinstance(s, dict)]
    codes = {_coding(s.get("code")).get("code") for s in sections
             if _coding(s.get("code")).get("system") == SECTION_SYSTEM}
    for code in rules.required_sections:
        if code not in codes:
            problems.append(f"{where}.section: セクション区分コード {code} のセクションが必要です。")
    if not codes & {"200", "300"}:
        problems.append(f"{where}.section: 構造情報セクション（300）または CDA 参照セクション（200）が必要です。")
    return problems


def _check_patient(patient):
    problems = []
    if not patient.get("identifier"):
        problems.append("Patient.identifier: 患者の識別子（医療機関の患者番号など）が必要です。")
    if not any(n.get("family") or n.get("text") for n in patient.get("name") or [] if isinstance(n, dict)):
        problems.append("Patient.name: 患者の氏名が必要です。")
    if not parse_date(str(patient.get("birthDate") or "")):
        problems.append("Patient.birthDate: 生年月日が必要です。")
    return problems


def _squash(text):
    return re.sub(r"[\s\u3000]", "", text or "")


def _names(patient_resource):
    """Every way the FHIR Patient writes the name, without spaces: text, and family + given."""
    found = set()
    for name in patient_resource.get("name") or []:
        if not isinstance(name, dict):
            continue
        found.add(_squash(name.get("text")))
        found.add(_squash((name.get("family") or "") + "".join(name.get("given") or [])))
    return found - {""}


def same_person(patient, resource):
    """The document's Patient is this patient: the birth date, and the kanji or kana name."""
    if str(resource.get("birthDate")) != patient.birth_date.isoformat():
        return False
    return bool(_names(resource) & {_squash(patient.name), _squash(patient.name_kana)})


def narrative(section):
    """A section's narrative as plain text (tags dropped, entities decoded): shown and printed as text only."""
    div = ((section.get("text") or {}).get("div")) or ""
    div = re.sub(r"<br\s*/?>|</p>|</li>|</tr>", "\n", div, flags=re.I)
    return html.unescape(re.sub(r"<[^>]+>", "", div)).strip()


def sections_of(document):
    """[(title, text)] of the document's sections, sub-sections of the structured section in order."""
    shown = []

    def walk(sections, prefix=""):
        for section in sections or []:
            title = section.get("title") or _coding(section.get("code")).get("display") or ""
            text = narrative(section)
            if text:
                shown.append((prefix + title, text))
            walk(section.get("section"), prefix=f"{title}：" if section.get("section") else prefix)

    walk(document.bundle["entry"][0]["resource"].get("section"))
    return shown


def _name_of(resource):
    names = resource.get("name")
    if isinstance(names, str):
        return names
    for name in names or []:
        if isinstance(name, dict):
            return name.get("text") or ((name.get("family") or "") + " " + " ".join(name.get("given") or [])).strip()
    return ""


def receive(*, user, patient, data, request=None):
    """Check and store a hospital's document for the patient; 422 with every problem, nothing half-stored.
    Returns (document, created): the same Bundle (its identifier) sent again returns the stored one."""
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
    if len(raw) > MAX_BYTES:
        raise AppError(f"文書が大きすぎます（{MAX_BYTES // (1024 * 1024)} MB まで）。", status=413)
    checked, problems = check_bundle(data)
    if problems:
        raise AppError({"bundle": problems}, status=422, summary="FHIR 文書の内容を確認してください：")
    if not same_person(patient, checked.patient):
        raise AppError("文書の患者（氏名・生年月日）がこの患者と一致しません。", status=422, field="bundle")
    identifier = data["identifier"]["value"]
    existing = ReceivedDocument.objects.filter(patient=patient, bundle_identifier=identifier).first()
    if existing is not None:
        return existing, False
    composition = checked.composition
    custodian = checked.organisations.get(composition["custodian"]["reference"], {})
    author = next((checked.practitioners[a["reference"]] for a in composition["author"]
                   if a.get("reference") in checked.practitioners), {})
    written = parse_datetime(composition["date"])
    try:
        with transaction.atomic():
            document = ReceivedDocument.objects.create(
                patient=patient, kind=checked.rules.kind, title=checked.rules.title,
                document_date=timezone.localtime(written).date() if timezone.is_aware(written) else written.date(),
                source=_name_of(custodian)[:200] or "（作成機関名なし）", author_name=_name_of(author)[:200],
                bundle_identifier=identifier[:200], bundle=data, sha256=hashlib.sha256(raw).hexdigest(),
                received_by=user)
            post_notice(patient=patient, author=user, request=request,
                        body=f"{document.source}から{document.title}を受け取りました。連携シートの画面で読めます。")
            record(action=Action.CREATE, request=request, actor=user, obj=document, patient=patient,
                   detail=f"received {document.kind} {identifier[:80]}")
    except IntegrityError:  # the same Bundle arrived twice at once: the other request stored it
        return ReceivedDocument.objects.get(patient=patient, bundle_identifier=identifier), False
    return document, True
