"""Demo data of the programs: a few applications of each program at every stage (RENKEI_DEMO=1 only).

Idempotent: records are found by natural keys (names, dates) and only missing ones are made,
through the same services staff use, so decisions and audit rows appear as in real use.
"""
import datetime
import io

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from renkei.core.models import Facility, FacilityKind, Municipality, User

from . import models, services

D = datetime.date

PROVIDERS = [
    ("（架空）むさしのヘルパーステーション", "カクウ ムサシノヘルパーステーション"),
    ("（架空）けやき訪問介護", "カクウ ケヤキホウモンカイゴ"),
]
STATIONS = [
    ("（架空）さくら訪問看護ステーション", "カクウ サクラホウモンカンゴステーション", "9990000001"),
    ("（架空）いちょう訪問看護ステーション", "カクウ イチョウホウモンカンゴステーション", "9990000002"),
]

RESCUE = [
    # person, birth, household, cause, decision (approve?, reason) or None, dispatch first day, visits
    ("架空 一人暮子", D(1938, 7, 1), "alone", "own_injury", (True, "転倒による骨折で一時的に家事が困難。要件を確認。"),
     D(2025, 6, 2), [(D(2025, 6, 2), 60), (D(2025, 6, 4), 90), (D(2025, 6, 6), 90), (D(2025, 6, 10), 120)]),
    ("架空 老夫婦", D(1941, 2, 11), "elderly_only", "covid_home_recovery", (True, "自宅療養中、配偶者も高齢。"),
     D(2025, 7, 14), [(D(2025, 7, 14), 30), (D(2025, 7, 16), 45)]),
    ("架空 同居息子", D(1944, 10, 3), "with_under_65", "own_sudden_illness", None, None, []),
    ("架空 認定済", D(1936, 1, 20), "alone", "own_sudden_illness",
     (False, "要介護1の認定があるため、介護保険サービスの利用を案内。"), None, []),
]

GRANTS = [
    # name, type, hired, qualifications, left on, stage
    ("架空 復職介子", "介護老人福祉施設", D(2020, 6, 1), ["介護福祉士"], D(2019, 3, 31), "paid"),
    ("架空 新人介太", "通所介護", D(2020, 9, 1), [], None, "confirmed"),
    ("架空 看護戻子", "訪問看護", D(2020, 10, 1), ["看護師"], None, "assessed"),
    ("架空 転職直後", "訪問介護", D(2020, 8, 1), ["初任者研修修了者"], D(2020, 6, 30), "rejected"),
    ("架空 保育士子", "障害児通所", D(2020, 11, 1), ["保育士"], None, "applied"),
]


def _demo_pdf(title):
    """A one-page PDF standing in for a scanned certificate (clearly marked as fictional)."""
    if "HeiseiKakuGo-W5" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.setFont("HeiseiKakuGo-W5", 16)
    c.drawString(72, 760, f"{title}（デモ用・架空）")
    c.save()
    return buffer.getvalue()


def _facility(name, kana, kind, official_id, municipality):
    facility, _ = Facility.objects.update_or_create(
        name=name, defaults={"name_kana": kana, "kind": kind, "municipality": municipality, "official_id": official_id,
                             "address": "東京都武蔵野市（架空の所在地）", "is_fictional": True},
    )
    return facility


# Mitaka (13204) runs only the rescue helper in the demo, with its own amounts. These are NOT Mitaka's
# real rules: they are made up to show a second city with different rules.
MITAKA_RESCUE = {
    "min_age": 70, "max_minutes_per_week": 180, "max_days": 10, "unit_minutes": 60, "fee_per_unit_yen": 400,
    "eligible_causes": ["own_sudden_illness", "own_injury"],
}
MITAKA_NOTE = "デモ用の架空の規程（三鷹市の実際の制度ではありません）。"


def _mitaka(mitaka, providers):
    """Mitaka's (fictional) rescue-helper rule, and one application received by Mitaka's demo staff."""
    models.ProgramRule.objects.get_or_create(
        municipality=mitaka, program=models.Program.RESCUE_HELPER, effective_from=D(2024, 4, 1),
        defaults={"parameters": MITAKA_RESCUE, "note": MITAKA_NOTE},
    )
    staff = User.objects.filter(username="staff_mitaka").first()
    if staff is None:
        return  # Mitaka's demo staff come with the core demo; without them Mitaka has rules but no records
    application = models.RescueHelperApplication.objects.filter(person_name="架空 三鷹花子").first()
    if application is None:
        application = services.create_rescue_application(
            municipality=mitaka, actor=staff, received_on=D(2025, 9, 1), applicant_kind="family",
            applicant_name="（架空）申請者", person_name="架空 三鷹花子", birth_date=D(1939, 3, 3), household="alone",
            under_65_member_can_help=False, cause="own_injury", ltc_certified=False, uses_ltc_services=False,
            hours_per_week=3, days=10, address="東京都三鷹市（架空）",
        )
    if application.status == models.RescueStatus.RECEIVED:
        application = services.decide_rescue_application(
            application=application, approve=True, reason="転倒によるけが。三鷹市の規程（デモ）で要件を確認。", actor=staff)
    if not models.RescueHelperDispatch.objects.filter(application=application).exists():
        services.dispatch_rescue_helper(application=application, provider=providers[0], first_day=D(2025, 9, 2),
                                        actor=staff)
    dispatch = models.RescueHelperDispatch.objects.get(application=application)
    if not dispatch.visits.exists():
        services.record_rescue_visit(dispatch=dispatch, visited_on=D(2025, 9, 2), minutes=90, note="家事援助",
                                     actor=staff)


def _rescue(staff, providers, city):
    for i, (person, birth, household, cause, decision, first_day, visits) in enumerate(RESCUE):
        application = models.RescueHelperApplication.objects.filter(person_name=person).first()
        if application is None:
            application = services.create_rescue_application(
                municipality=city, actor=staff, received_on=first_day or D(2025, 8, 1), applicant_kind="care_manager" if i % 2 else "family",
                applicant_name="（架空）申請者", person_name=person, birth_date=birth, household=household,
                under_65_member_can_help=False, household_note="同居の子に障害があり支援が難しい"
                if household == "with_under_65" else "", cause=cause, ltc_certified=person == "架空 認定済",
                uses_ltc_services=False, hours_per_week=4, days=14, address="東京都武蔵野市（架空）",
            )
        if decision and application.status == models.RescueStatus.RECEIVED:
            application = services.decide_rescue_application(
                application=application, approve=decision[0], reason=decision[1], actor=staff)
        if first_day and not models.RescueHelperDispatch.objects.filter(application=application).exists():
            services.dispatch_rescue_helper(application=application, provider=providers[i % len(providers)],
                                            first_day=first_day, actor=staff)
        if first_day:
            dispatch = models.RescueHelperDispatch.objects.get(application=application)
            recorded = set(dispatch.visits.values_list("visited_on", flat=True))
            for day, minutes in visits:
                if day not in recorded:
                    services.record_rescue_visit(dispatch=dispatch, visited_on=day, minutes=minutes,
                                                 note="身体介護・家事援助", actor=staff)


def _grants(staff, city):
    for name, ftype, hired, quals, left, stage in GRANTS:
        application = models.RestartGrantApplication.objects.filter(applicant_name=name).first()
        if application is None:
            application = services.create_restart_application(
                municipality=city, actor=staff, received_on=hired + datetime.timedelta(days=20), applicant_name=name, applicant_kana="",
                birth_date=D(1980, 5, 5), address="東京都武蔵野市（架空）", employer_name="（架空）社会福祉法人むさしの会",
                facility_name=f"（架空）{ftype}の事業所", facility_type=ftype, facility_in_city=True, hired_on=hired,
                full_time=True, direct_employment=True, expected_months=12, last_care_job_left_on=left,
                qualifications=quals,
            )
        if stage == "applied":
            continue
        kinds = set(application.documents.values_list("kind", flat=True))
        for kind, title in [("employment", "在職証明書"), ("qualification", "資格証"), ("continued", "継続勤務証明書")]:
            if kind in kinds or (kind == "qualification" and not quals) or (
                    kind == "continued" and stage not in ("confirmed", "paid")):
                continue
            services.upload_restart_document(
                application=application, kind=kind, actor=staff,
                uploaded_file=SimpleUploadedFile(f"{title}.pdf", _demo_pdf(title), content_type="application/pdf"))
        if application.status == models.GrantStatus.APPLIED:
            services.assess_restart_application(application=application, actor=staff, note="書類を確認。")
        if stage in ("confirmed", "paid") and application.status == models.GrantStatus.ASSESSED:
            services.confirm_six_months(application=application, confirmed_on=services.add_months(hired, 6),
                                        reason="事業所の継続勤務証明書で確認。", actor=staff)
        if stage == "paid" and application.status == models.GrantStatus.CONFIRMED:
            services.pay_restart_grant(application=application, paid_on=services.add_months(hired, 7),
                                       reason="指定口座へ振込。", actor=staff)


def _claims(staff, stations, city):
    plan = {
        (0, D(2025, 4, 1)): ([("S-001", 3, True, True), ("S-001", 17, True, False), ("S-002", 8, True, False),
                              ("S-003", 12, False, False)], True),
        (1, D(2025, 4, 1)): ([("I-101", 5, True, True), ("I-102", 9, True, True)], True),
        (0, D(2025, 5, 1)): ([("S-001", 2, True, True), ("S-002", 20, True, False)], False),
    }
    for (station_no, month), (provisions, approve) in plan.items():
        claim = services.claim_for(municipality=city, station=stations[station_no], month=month, actor=staff)
        if claim.status == models.ClaimStatus.APPROVED:
            continue
        existing = set(claim.provisions.values_list("patient_ref", "provided_on"))
        for ref, day, form, h24 in provisions:
            if (ref, month.replace(day=day)) not in existing:
                services.add_provision(claim=claim, patient_ref=ref, provided_on=month.replace(day=day),
                                       unified_form=form, twenty_four_hour=h24, actor=staff)
        if approve:
            services.approve_claim(claim=claim, reason="提出内容と統一様式の写しを確認。", actor=staff)


def _end_of_life(staff, city):
    consultations = [
        (D(2025, 5, 12), 81, ["funeral", "contracts"], "ひとり暮らしで葬儀の手配が心配。生前契約について福祉公社を案内。", True),
        (D(2025, 6, 3), 74, ["medical_wishes"], "延命治療の希望をどう伝えるか。エンディングノートを渡し、かかりつけ医と話すよう助言。", False),
        (D(2025, 9, 18), 88, ["belongings", "will"], "家財整理と遺言について。家財整理の生前契約は福祉公社を案内。", True),
    ]
    for day, age, topics, summary, referred in consultations:
        if not models.EndOfLifeConsultation.objects.filter(received_on=day, summary=summary).exists():
            services.record_consultation(municipality=city, actor=staff, received_on=day, client_name="", client_age=age, topics=topics,
                                         summary=summary, referred_to_welfare_corporation=referred)
    for day, place, count in [(D(2025, 4, 15), "elderly_support_division", 40), (D(2025, 4, 15), "welfare_corporation", 25),
                              (D(2025, 6, 20), "outreach_lecture", 32), (D(2025, 7, 1), "community_support_center", 60)]:
        models.EndingNoteDistribution.objects.update_or_create(
            municipality=city, distributed_on=day, place=place,
            defaults={"count": count, "created_by": staff, "note": "デモ"}
        )


def load(stdout=None):
    """Create the programs' demo records (needs the core demo accounts)."""
    if not settings.DEMO:
        raise RuntimeError("Demo data is only loaded with RENKEI_DEMO=1.")
    staff = User.objects.get(username="staff")
    musashino = Municipality.objects.get(code="13203")
    # Fictional providers, so that fictional users are never shown as served by a real provider.
    providers = [_facility(n, k, FacilityKind.HOME_HELP, "", musashino) for n, k in PROVIDERS]
    stations = [_facility(n, k, FacilityKind.VISITING_NURSING, code, musashino) for n, k, code in STATIONS]
    _rescue(staff, providers, musashino)
    _grants(staff, musashino)
    _claims(staff, stations, musashino)
    _end_of_life(staff, musashino)
    _mitaka(Municipality.objects.get(code="13204"), providers)
    if stdout:
        stdout.write(f"programs: {models.RescueHelperApplication.objects.count()} rescue-helper, "
                     f"{models.RestartGrantApplication.objects.count()} restart-grant, "
                     f"{models.LinkageFeeClaim.objects.count()} linkage-fee claims")
