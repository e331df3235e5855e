"""The JP-CLINS 1.x documents Renkei writes, as tables, and the guide's structural rules as one checker.

Written in the project from the guide's profiles (JP_Bundle_eReferral, JP_Bundle_eDischargeSummary,
JP_Composition_eReferral, JP_Composition_eDischargeSummary, the document-section code system and the eCS
resource profiles). `fhir.build_bundle` writes from these tables; `problems()` checks any Bundle against the
guide: first everything `received.check_bundle` checks for an incoming document, then the rules a sender
must keep (fixed section titles and codes, required sub-sections, what each section may refer to, the
resource profiles, the issue event). Our own exports of the JP-CLINS kinds must pass it with no problem.
"""
import re
from dataclasses import dataclass

from . import received

SECTION_SYSTEM = received.SECTION_SYSTEM
EMPTY_REASON_SYSTEM = "http://terminology.hl7.org/CodeSystem/list-empty-reason"
RESOURCE_IDENTIFIER_SYSTEM = "http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier"
MEDICAL_INSTITUTION_NO = "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no"
MEDICAL_INSTITUTION_NO_PATTERN = re.compile(r"[0-4][0-9][1-3][0-9]{7}")  # 都道府県2桁・点数表1桁・機関7桁
BUNDLE_ID_PATTERN = re.compile(r"[0-9]{10}\^[0-9]{4}\^[A-Za-z0-9-]{1,36}")  # 機関番号^発行年^文書番号
VERSION_EXTENSION = "http://hl7.org/fhir/StructureDefinition/composition-clinicaldocument-versionNumber"
NAME_REPRESENTATION = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation"
ECS = "http://jpfhir.jp/fhir/eCS/StructureDefinition/"
PROFILES = {kind: f"{ECS}JP_{kind}_eCS" for kind in (
    "Patient", "Practitioner", "Organization", "Encounter", "Condition", "AllergyIntolerance", "DocumentReference")}


@dataclass(frozen=True)
class Document:
    """One JP-CLINS document type: its rules (shared with received.py) and its sections."""

    rules: received.Rules
    category: str  # the doc-subtypecode Renkei writes
    top: dict  # {code: (title, display)} of the sections beside 構造情報
    required_top: tuple
    sub: dict  # {code: (title, display)} of the sub-sections of 構造情報 (each at most once)
    required_sub: tuple
    targets: dict  # {section code: resource type its entries may refer to}


STRUCTURE = ("構造情報", "構造情報セクション")
REFERRAL = Document(
    received.RULES[0], "OUTPATIENT",
    top={"920": ("紹介元情報", "紹介元情報セクション"), "910": ("紹介先情報", "紹介先情報セクション"),
         "220": ("備考・連絡情報", "備考・連絡情報セクション")},
    required_top=("920", "910"),
    sub={"950": ("紹介目的", "紹介目的セクション"), "340": ("傷病名・主訴", "傷病名・主訴セクション"),
         "360": ("現病歴", "現病歴セクション"), "370": ("既往歴", "既往歴セクション"),
         "510": ("アレルギー・不耐性反応", "アレルギー・不耐性反応セクション"),
         "610": ("身体所見", "身体所見セクション"), "520": ("感染症情報", "感染症情報セクション"),
         "640": ("社会歴・生活習慣", "社会歴・生活習慣セクション"), "720": ("処置", "処置セクション"),
         "430": ("投薬指示", "投薬指示セクション"), "330": ("臨床経過", "臨床経過セクション"),
         "420": ("診療方針指示", "診療方針指示セクション")},
    required_sub=("950", "340", "360"),
    targets={"920": ("Organization", "Practitioner"), "910": ("Organization", "Practitioner"), "950": ("Encounter",),
             "340": ("Condition",), "360": ("Condition",), "370": ("Condition",), "510": ("AllergyIntolerance",),
             "430": ("MedicationRequest",), "330": ("DocumentReference",), "220": ("DocumentReference",)},
)
DISCHARGE_SUMMARY = Document(
    received.RULES[1], "DISCHARGE",
    top={}, required_top=(),
    sub={"322": ("入院時詳細", "入院時詳細セクション"), "342": ("入院時診断", "入院時診断セクション"),
         "510": ("アレルギー・不耐性反応", "アレルギー・不耐性反応セクション"), "352": ("主訴", "主訴セクション"),
         "312": ("入院理由", "入院理由セクション"), "362": ("現病歴", "現病歴セクション"),
         "372": ("既往歴", "既往歴セクション"), "432": ("入院時服薬", "入院時服薬セクション"),
         "333": ("入院中経過", "入院中経過セクション"), "324": ("退院時詳細", "退院時詳細セクション"),
         "344": ("退院時診断", "退院時診断セクション"), "444": ("退院時投薬指示", "退院時投薬指示セクション"),
         "424": ("退院時方針指示", "退院時方針指示セクション"), "614": ("退院時身体所見", "退院時身体所見セクション"),
         "623": ("入院中検査結果", "入院中検査結果セクション")},
    required_sub=("322", "342", "352", "312", "362", "333", "324", "344", "444", "424"),
    targets={"322": ("Encounter",), "312": ("Encounter",), "324": ("Encounter",), "342": ("Condition",),
             "344": ("Condition",), "352": ("Condition",), "362": ("Condition",), "372": ("Condition",),
             "510": ("AllergyIntolerance",), "333": ("DocumentReference",), "432": ("MedicationRequest",),
             "444": ("MedicationRequest",), "424": ("CarePlan",)},
)
DOCUMENTS = (REFERRAL, DISCHARGE_SUMMARY)
ENTRIES_REQUIRED = {"920": 1, "910": 1, "322": 1, "324": 1, "333": 1, "344": 1}  # at least this many entries


def _coding(concept):
    return received._coding(concept)


def _where(section):
    coding = _coding(section.get("code"))
    return f"section[{coding.get('code') or section.get('title') or '?'}]"


def problems(data):
    """Every way the Bundle breaks the guide (in Japanese, with where); [] for a conforming document."""
    checked, found = received.check_bundle(data)
    if not isinstance(data, dict) or not isinstance(data.get("entry"), list) or not data["entry"]:
        return found
    by_url = {e.get("fullUrl"): e.get("resource") for e in data["entry"]
              if isinstance(e, dict) and isinstance(e.get("resource"), dict)}
    composition = next(iter(by_url.values()), None)
    document = next((d for d in DOCUMENTS if d.rules.bundle_profile in received._profiles(data)), None)
    if document is None or not isinstance(composition, dict) or composition.get("resourceType") != "Composition":
        return found
    if not (data.get("meta") or {}).get("lastUpdated"):
        found.append("Bundle.meta.lastUpdated: 最終更新日時が必要です。")
    if not BUNDLE_ID_PATTERN.fullmatch(str((data.get("identifier") or {}).get("value") or "")):
        found.append("Bundle.identifier.value: 「機関番号10桁^発行年^文書番号」の形でなければなりません。")
    found += _composition_problems(composition, document)
    found += _section_problems(composition, document, by_url)
    found += _resource_problems(by_url, document)
    return found


def _composition_problems(composition, document):
    found = []
    if not (composition.get("meta") or {}).get("lastUpdated"):
        found.append("Composition.meta.lastUpdated: 最終更新日時が必要です。")
    if not any(e.get("url") == VERSION_EXTENSION and e.get("valueString") for e in composition.get("extension") or []):
        found.append("Composition.extension: 文書バージョン（versionNumber）が必要です。")
    if (composition.get("identifier") or {}).get("system") != RESOURCE_IDENTIFIER_SYSTEM:
        found.append(f"Composition.identifier: system は {RESOURCE_IDENTIFIER_SYSTEM} でなければなりません。")
    if _coding(composition.get("type")).get("display") != document.rules.title:
        found.append(f"Composition.type.display: 「{document.rules.title}」でなければなりません。")
    events = composition.get("event") or []
    period = (events[0].get("period") or {}) if len(events) == 1 else {}
    if document is REFERRAL:
        codes = (events[0].get("code") or [{}]) if len(events) == 1 else [{}]
        if codes[0].get("text") != "診療情報提供書発行" or codes[0].get("coding") or not period.get("start"):
            found.append("Composition.event: 「診療情報提供書発行」と発行日（period.start）の1件が必要です。")
    elif not (period.get("start") and period.get("end")) or (events and events[0].get("code")):
        found.append("Composition.event: 入院期間（period.start と period.end）の1件が必要です。")
    return found


def _section_problems(composition, document, by_url):
    found = []
    sections = [s for s in composition.get("section") or [] if isinstance(s, dict)]
    top = {"300": STRUCTURE, **document.top}
    found += _fixed(sections, top, document.required_top + ("300",), "Composition")
    structure = next((s for s in sections if _coding(s.get("code")).get("code") == "300"), {})
    if structure.get("text"):
        found.append("Composition.section[300]: 構造情報セクションには text を書きません。")
    subs = [s for s in structure.get("section") or [] if isinstance(s, dict)]
    found += _fixed(subs, document.sub, document.required_sub, "Composition.section[300]")
    for section in sections + subs:
        found += _entries(section, document, by_url)
    return found


def _fixed(sections, allowed, required, where):
    """Codes from the guide's list (each once, the required ones there), its titles and displays, text additional."""
    found = []
    seen = []
    for section in sections:
        coding = _coding(section.get("code"))
        code = coding.get("code")
        if coding.get("system") != SECTION_SYSTEM or code not in allowed:
            found.append(f"{where}.{_where(section)}: このセクション区分コードはこの文書では使えません。")
            continue
        seen.append(code)
        title, display = allowed[code]
        if section.get("title") != title or coding.get("display") != display:
            found.append(f"{where}.{_where(section)}: title「{title}」、display「{display}」でなければなりません。")
        if code != "300" and (section.get("text") or {}).get("status") != "additional":
            found.append(f"{where}.{_where(section)}.text: status が additional の叙述が必要です。")
        if code != "300" and section.get("section"):
            found.append(f"{where}.{_where(section)}: このセクションは下位セクションを持てません。")
    found += [f"{where}.section: セクション区分コード {code} のセクションは1つまでです。"
              for code in sorted({c for c in seen if seen.count(c) > 1})]
    found += [f"{where}.section: セクション区分コード {code} のセクションが必要です。" for code in required
              if code not in seen]
    return found


def _entries(section, document, by_url):
    found = []
    code = _coding(section.get("code")).get("code")
    where = f"Composition.{_where(section)}"
    references = [e.get("reference") for e in section.get("entry") or [] if isinstance(e, dict)]
    types = [(by_url.get(r) or {}).get("resourceType") for r in references]
    if None in types:
        found.append(f"{where}.entry: Bundle 内のリソースを参照してください。")
    allowed = document.targets.get(code, ())
    if code != "300" and any(t not in allowed for t in types if t):
        found.append(f"{where}.entry: 参照できるのは {'・'.join(allowed) or '（なし）'} だけです。")
    if len(references) < ENTRIES_REQUIRED.get(code, 0):
        found.append(f"{where}.entry: 参照が必要です。")
    if code in ("910", "920") and types.count("Organization") != 1:
        found.append(f"{where}.entry: 医療機関等（Organization）をちょうど1つ参照してください。")
    if section.get("emptyReason") and references:
        found.append(f"{where}.emptyReason: entry があるセクションには書けません。")
    if code != "300" and not references and not section.get("emptyReason") and code not in ("220",):
        if not (section.get("text") or {}).get("div"):
            found.append(f"{where}: 内容（entry・text・emptyReason）がありません。")
    return found


def _resource_problems(by_url, document):
    found = []
    resources = list(by_url.values())[1:]
    for resource in resources:
        kind = resource.get("resourceType")
        if kind in PROFILES and PROFILES[kind] not in received._profiles(resource):
            found.append(f"{kind}.meta.profile: {PROFILES[kind]} を指定してください。")
    organisations = [r for r in resources if r.get("resourceType") == "Organization"]
    if document is REFERRAL and not 2 <= len(organisations) <= 4:
        found.append("Bundle.entry: 診療情報提供書の Organization は2〜4件です。")
    if document is DISCHARGE_SUMMARY and sum(r.get("resourceType") == "Encounter" for r in resources) != 1:
        found.append("Bundle.entry: 退院時サマリーの Encounter はちょうど1件です。")
    for organisation in organisations:
        for identifier in organisation.get("identifier") or []:
            if identifier.get("system") == MEDICAL_INSTITUTION_NO and not MEDICAL_INSTITUTION_NO_PATTERN.fullmatch(
                    str(identifier.get("value") or "")):
                found.append("Organization.identifier: 医療機関コードは10桁（都道府県・点数表・機関番号）です。")
    patient = next((r for r in resources if r.get("resourceType") == "Patient"), {})
    names = [n for n in patient.get("name") or [] if isinstance(n, dict)]
    kanji = [n for n in names if {"url": NAME_REPRESENTATION, "valueCode": "IDE"} in (n.get("extension") or [])]
    if not kanji or not all(n.get("family") and n.get("given") for n in kanji):
        found.append("Patient.name: 漢字氏名（IDE）の family と given が必要です。")
    if any("\u3000" in (n.get("text") or "") for n in names):
        found.append("Patient.name.text: 姓と名の区切りに全角空白は使えません。")
    if patient.get("gender") not in ("male", "female", "other", "unknown"):
        found.append("Patient.gender: 性別が必要です。")
    if len(patient.get("address") or []) != 1 or not patient["address"][0].get("text"):
        found.append("Patient.address: 住所（text）が1件必要です。")
    return found
