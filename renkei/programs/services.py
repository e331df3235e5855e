"""Writes of the programs: every function validates, saves, records the decision history and audits."""
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum

from renkei.core.audit import Action, record
from renkei.core.backup.files import sha256_upload
from renkei.core.errors import AppError
from renkei.core.models import Facility, FacilityKind
from renkei.reports.cache import bump as bump_report_version

from . import rules
from .models import (
    ClaimStatus,
    Decision,
    EndingNoteDistribution,
    EndingNoteDownload,
    EndOfLifeConsultation,
    GrantStatus,
    LinkageFeeClaim,
    LinkageFeeProvision,
    ProvisionSource,
    RescueHelperApplication,
    RescueHelperDispatch,
    RescueHelperProviderPayment,
    RescueHelperVisit,
    RescueStatus,
    RestartGrantApplication,
    RestartGrantDocument,
)

ProgramError = AppError  # the programs' name for the one application error (renkei.core.errors)


def _decide(*, subject, outcome, label, reason, actor, request=None):
    """Append a decision to the subject's history (earlier decisions stay) and audit it."""
    reason = (reason or "").strip()
    if not reason:
        raise ProgramError("決定の理由を入力してください。")
    decision = Decision.objects.create(
        subject=subject, outcome=outcome, outcome_label=label, reason=reason, decided_by=actor
    )
    record(action=Action.UPDATE, request=request, actor=actor, obj=subject, detail=f"決定: {label} / {reason}"[:2000])
    return decision


def _set_status(subject, *, status, reason, actor, request=None, **fields):
    """Move an application or claim to `status` (with any other fields) and append the decision."""
    if not (reason or "").strip():
        raise ProgramError("決定の理由を入力してください。")
    with transaction.atomic():
        subject.status = status
        for name, value in fields.items():
            setattr(subject, name, value)
        subject.save()
        _decide(subject=subject, outcome=status, label=subject.get_status_display(), reason=reason, actor=actor,
                request=request)
    return subject


def _save_new(obj, *, actor, request, detail):
    obj.full_clean()
    obj.save()
    record(action=Action.CREATE, request=request, actor=actor, obj=obj, detail=detail)
    return obj


# --- rescue helper ------------------------------------------------------------------------------


def create_rescue_application(*, actor, request=None, **fields):
    """Register an application; facts that contradict each other are refused with every problem."""
    application = RescueHelperApplication(created_by=actor, **fields)
    try:
        rules.assess_rescue_helper(application.facts())
    except rules.InvalidFacts as bad:
        raise ProgramError(bad.problems)
    return _save_new(application, actor=actor, request=request, detail="緊急訪問介護 申請受付")


def update_rescue_application(*, application, actor, request=None, **fields):
    """Correct the facts of an application not yet dispatched."""
    if hasattr(application, "dispatch"):
        raise ProgramError("派遣後の申請は修正できません。")
    for name, value in fields.items():
        setattr(application, name, value)
    try:
        rules.assess_rescue_helper(application.facts())
    except rules.InvalidFacts as bad:
        raise ProgramError(bad.problems)
    application.full_clean()
    application.save()
    record(action=Action.UPDATE, request=request, actor=actor, obj=application, detail="緊急訪問介護 申請修正")
    return application


def decide_rescue_application(
    *, application, approve, reason, actor, request=None, age_override_reason="", household_override_reason=""
):
    """Approve (only when the rules, with the staff overrides given, find the person eligible) or reject."""
    with transaction.atomic():
        application = RescueHelperApplication.objects.select_for_update().get(pk=application.pk)
        if not approve and RescueHelperVisit.objects.filter(dispatch__application=application).exists():
            raise ProgramError("訪問の記録がある申請は却下に変更できません。")
        application.age_override_reason = age_override_reason.strip()
        application.household_override_reason = household_override_reason.strip()
        assessment = rules.assess_rescue_helper(application.facts())
        if approve and not assessment.eligible:
            raise ProgramError(["要件を満たさないため利用決定できません。"]
                               + [c.reason for c in assessment.criteria if not c.met])
        return _set_status(application, status=RescueStatus.APPROVED if approve else RescueStatus.REJECTED,
                           reason=reason, actor=actor, request=request)


def dispatch_rescue_helper(*, application, provider, first_day, actor, request=None):
    """Send a home-help provider to an approved application from `first_day`."""
    problems = []
    if application.status != RescueStatus.APPROVED:
        problems.append("利用決定された申請にのみ派遣できます。")
    if provider.kind != FacilityKind.HOME_HELP:
        problems.append("派遣先は訪問介護事業所から選んでください。")
    if first_day < application.received_on:
        problems.append("利用開始日が受付日より前です。")
    if RescueHelperDispatch.objects.filter(application=application).exists():
        problems.append("この申請は既に派遣済みです。")
    if problems:
        raise ProgramError(problems)
    dispatch = RescueHelperDispatch(application=application, provider=provider, first_day=first_day, created_by=actor)
    return _save_new(dispatch, actor=actor, request=request, detail=f"派遣: {provider.name} 初日 {first_day}")


def record_rescue_visit(*, dispatch, visited_on, minutes, note="", actor, request=None):
    """Record a visit, refused with the reason when it breaks the weekly or two-week limit."""
    with transaction.atomic():
        # Serialise visits of one dispatch so two clerks cannot together exceed a limit.
        dispatch = RescueHelperDispatch.objects.select_for_update().select_related("application").get(pk=dispatch.pk)
        if dispatch.application.status != RescueStatus.APPROVED:
            raise ProgramError("利用決定が取り消された申請には訪問を記録できません。")
        existing = [rules.Visit(v, m) for v, m in dispatch.visits.values_list("visited_on", "minutes")]
        reasons = rules.check_rescue_visit(
            first_day=dispatch.first_day, existing=existing, new=rules.Visit(visited_on, minutes)
        )
        if reasons:
            record(action=Action.UPDATE, request=request, actor=actor, obj=dispatch,
                   detail=f"訪問の記録を拒否: {' '.join(reasons)}"[:2000])
            raise ProgramError(reasons)
        visit = RescueHelperVisit(
            dispatch=dispatch, visited_on=visited_on, minutes=minutes, units=rules.rescue_visit_units(minutes),
            fee_yen=rules.rescue_visit_fee(minutes), note=note, created_by=actor,
        )
        return _save_new(visit, actor=actor, request=request, detail=f"訪問 {visited_on} {minutes}分")


def create_provider_payment(*, provider, month, unit_price_yen, actor, request=None):
    """Fix the month's payment to a provider from the visits recorded (units × contract unit price)."""
    if unit_price_yen is None or unit_price_yen <= 0:
        raise ProgramError("委託単価は1円以上で入力してください。")
    end = rules.month_end(month)
    units = RescueHelperVisit.objects.filter(
        dispatch__provider=provider, visited_on__range=(month, end)
    ).aggregate(units=Sum("units"))["units"] or 0
    if not units:
        raise ProgramError(f"{provider.name}の{month:%Y年%m月}の訪問記録がありません。")
    if RescueHelperProviderPayment.objects.filter(provider=provider, month=month).exists():
        raise ProgramError("この事業所・月の支払は既に確定しています。")
    payment = RescueHelperProviderPayment(
        provider=provider, month=month, units=units, unit_price_yen=unit_price_yen,
        amount_yen=units * unit_price_yen, created_by=actor,
    )
    return _save_new(payment, actor=actor, request=request, detail=f"事業所への支払 {month:%Y-%m} {units}単位")


# --- restart grant ------------------------------------------------------------------------------


def _grant_facts_problems(application):
    left = application.last_care_job_left_on
    if left and left > application.hired_on:
        return ["前職の離職日が就職日より後になっています。"]
    application.months_since_last_care_job = rules.whole_months_between(left, application.hired_on) if left else None
    try:
        rules.assess_restart_grant(application.facts())
    except rules.InvalidFacts as bad:
        return bad.problems
    return []


def create_restart_application(*, actor, request=None, **fields):
    """Register an application with its facts (unknown types or qualifications are refused)."""
    application = RestartGrantApplication(created_by=actor, **fields)
    problems = _grant_facts_problems(application)
    if problems:
        raise ProgramError(problems)
    return _save_new(application, actor=actor, request=request, detail="Reスタート支援金 申請受付")


def update_restart_application(*, application, actor, request=None, **fields):
    """Correct the facts before payment; an assessed application goes back to 申請受付 to be re-assessed."""
    if application.status in (GrantStatus.CONFIRMED, GrantStatus.PAID):
        raise ProgramError("6か月確認後・支給後の申請は修正できません。")
    for name, value in fields.items():
        setattr(application, name, value)
    problems = _grant_facts_problems(application)
    if problems:
        raise ProgramError(problems)
    application.status = GrantStatus.APPLIED
    application.amount_yen = 0
    application.full_clean()
    application.save()
    record(action=Action.UPDATE, request=request, actor=actor, obj=application, detail="Reスタート支援金 申請修正")
    return application


def assess_restart_application(*, application, actor, note="", request=None):
    """Apply the rules: eligible → 審査済 with the amount; not eligible → 不支給 with every failed reason."""
    if application.status not in (GrantStatus.APPLIED, GrantStatus.REJECTED):
        raise ProgramError("審査できるのは申請受付・不支給の申請です。")
    problems = []
    if not application.documents.filter(kind="employment").exists():
        problems.append("雇用（在職）証明書が添付されていません。")
    if application.qualifications and not application.documents.filter(kind="qualification").exists():
        problems.append("資格証の写しが添付されていません。")
    if problems:
        raise ProgramError(problems)
    result = rules.assess_restart_grant(application.facts())
    lines = [f"{c.label}: {c.reason}" for c in result.criteria if not result.eligible and not c.met]
    lines = lines or [f"{c.label}: {c.reason}" for c in result.criteria]
    reason = "\n".join(lines + ([note.strip()] if note.strip() else []))
    _set_status(application, status=GrantStatus.ASSESSED if result.eligible else GrantStatus.REJECTED,
                amount_yen=result.amount_yen, reason=reason, actor=actor, request=request)
    return result


def add_months(day, months):
    """The same day `months` later, clipped to the month's last day (2020-08-31 + 6 → 2021-02-28)."""
    total = day.month - 1 + months
    first = datetime.date(day.year + total // 12, total % 12 + 1, 1)
    return first.replace(day=min(day.day, rules.month_end(first).day))


def confirm_six_months(*, application, confirmed_on, reason, actor, request=None):
    """Confirm six months of continued work (not before hired_on + 6 months, with the certificate)."""
    problems = []
    if application.status != GrantStatus.ASSESSED:
        problems.append("6か月継続勤務の確認は審査済の申請に対して行います。")
    earliest = add_months(application.hired_on, rules.RESTART_MIN_EXPECTED_MONTHS)
    if confirmed_on < earliest:
        problems.append(f"就職日から6か月（{earliest.isoformat()}）を経過していません。")
    if not application.documents.filter(kind="continued").exists():
        problems.append("6か月継続勤務の証明書が添付されていません。")
    if problems:
        raise ProgramError(problems)
    return _set_status(application, status=GrantStatus.CONFIRMED, six_month_confirmed_on=confirmed_on,
                       reason=reason, actor=actor, request=request)


def pay_restart_grant(*, application, paid_on, reason, actor, request=None):
    """Record the payment of a confirmed application."""
    if application.status != GrantStatus.CONFIRMED:
        raise ProgramError("支給できるのは6か月継続勤務を確認した申請だけです。")
    if paid_on < application.six_month_confirmed_on:
        raise ProgramError("支給日が6か月継続勤務の確認日より前です。")
    return _set_status(application, status=GrantStatus.PAID, paid_on=paid_on, reason=reason, actor=actor,
                       request=request)


def reject_restart_application(*, application, reason, actor, request=None):
    """Refuse the grant (e.g. left the job before six months), keeping the earlier decisions."""
    if application.status == GrantStatus.PAID:
        raise ProgramError("支給済の申請は不支給にできません。")
    return _set_status(application, status=GrantStatus.REJECTED, amount_yen=0, reason=reason, actor=actor,
                       request=request)


ALLOWED_DOCUMENT_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def upload_restart_document(*, application, kind, uploaded_file, actor, request=None):
    """Store a PDF/JPEG/PNG (checked by its content, not its name) under PRIVATE_MEDIA_ROOT."""
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    if uploaded_file.size > limit:
        raise ProgramError(f"ファイルが大きすぎます（{settings.MAX_UPLOAD_MB}MBまで）。")
    head = uploaded_file.read(262)
    uploaded_file.seek(0)
    kind_guess = filetype.guess(head)
    mime = kind_guess.mime if kind_guess else ""
    if mime not in ALLOWED_DOCUMENT_TYPES:
        raise ProgramError("PDF・JPEG・PNG のファイルを添付してください（内容から判定しています）。")
    original_name = (uploaded_file.name or "document")[:200]
    # The stored name never comes from the user: only the checked type's extension.
    uploaded_file.name = f"document.{ALLOWED_DOCUMENT_TYPES[mime]}"
    document = RestartGrantDocument(
        application=application, kind=kind, file=uploaded_file, original_name=original_name,
        content_type=mime, size=uploaded_file.size, sha256=sha256_upload(uploaded_file), uploaded_by=actor,
    )
    document.save()
    record(action=Action.CREATE, request=request, actor=actor, obj=document,
           detail=f"書類添付: {document.get_kind_display()}")
    return document


# --- linkage fee --------------------------------------------------------------------------------


def claim_for(*, station, month, actor=None):
    """The station's claim for the month, created as a draft when missing."""
    if station.kind != FacilityKind.VISITING_NURSING:
        raise ProgramError("連携費の請求は訪問看護ステーションについて入力します。")
    claim, _ = LinkageFeeClaim.objects.get_or_create(station=station, month=month, defaults={"created_by": actor})
    return claim


def _editable(claim):
    if claim.status == ClaimStatus.APPROVED:
        raise ProgramError("承認済の請求は変更できません（差戻してから修正してください）。")


def add_provision(*, claim, patient_ref, provided_on, unified_form, twenty_four_hour, actor, request=None):
    """Add one provision entered by hand (the date must fall in the claim's month)."""
    _editable(claim)
    problems = []
    if not (patient_ref or "").strip():
        problems.append("利用者の識別子を入力してください。")
    if not (claim.month <= provided_on <= rules.month_end(claim.month)):
        problems.append(f"提供日は{claim.month:%Y年%m月}の日付を入力してください。")
    if problems:
        raise ProgramError(problems)
    provision = LinkageFeeProvision(
        claim=claim, patient_ref=patient_ref.strip(), provided_on=provided_on, unified_form=unified_form,
        twenty_four_hour=twenty_four_hour,
    )
    return _save_new(provision, actor=actor, request=request, detail=f"連携費 情報提供 {provided_on}")


def remove_provision(*, provision, actor, request=None):
    _editable(provision.claim)
    record(action=Action.DELETE, request=request, actor=actor, obj=provision, detail="連携費 情報提供の削除")
    provision.delete()


def approve_claim(*, claim, reason, actor, request=None):
    """Approve the month's claim; the amount comes from the rule (a month with no provisions is refused)."""
    _editable(claim)
    try:
        result = rules.calculate_linkage_fee(claim.month, [p.as_rule() for p in claim.provisions.all()])
    except rules.InvalidFacts as bad:
        raise ProgramError(bad.problems)
    _set_status(claim, status=ClaimStatus.APPROVED, total_yen=result.total_yen,
                patients=sum(1 for line in result.lines if line.amount_yen),
                reason=f"{reason.strip()}（合計 {result.total_yen:,}円）" if reason.strip() else "", actor=actor,
                request=request)
    return result


def return_claim(*, claim, reason, actor, request=None):
    """Send a claim back for correction (an approved one too); the approval stays in the history."""
    return _set_status(claim, status=ClaimStatus.REJECTED, total_yen=0, patients=0, reason=reason, actor=actor,
                       request=request)


@dataclass(frozen=True)
class SheetProvision:
    """A provision taken from a nurse → care-manager sheet (the sheets app builds these).

    `source_ref` is the sheet's id: calling again with the same sheet updates, never duplicates.
    """

    station_id: int
    patient_ref: str
    provided_on: datetime.date
    unified_form: bool
    twenty_four_hour: bool
    source_ref: str


@dataclass(frozen=True)
class SheetImport:
    added: int
    updated: int
    skipped_approved: int


def add_provisions_from_sheets(provisions: Iterable[SheetProvision], *, actor=None) -> SheetImport:
    """The interface for the sheets app: put sheet provisions into the stations' draft claims.

    Provisions of a claim already approved are skipped (counted in `skipped_approved`); staff
    send the claim back first when a late sheet must still count.
    """
    added = updated = skipped = 0
    stations = {}
    with transaction.atomic():
        for p in provisions:
            month = p.provided_on.replace(day=1)
            if p.station_id not in stations:
                stations[p.station_id] = Facility.objects.get(pk=p.station_id)
            claim = claim_for(station=stations[p.station_id], month=month, actor=actor)
            if claim.status == ClaimStatus.APPROVED:
                skipped += 1
                continue
            _, created = LinkageFeeProvision.objects.update_or_create(
                claim=claim, source=ProvisionSource.SHEET, source_ref=str(p.source_ref),
                defaults={"patient_ref": p.patient_ref, "provided_on": p.provided_on,
                          "unified_form": p.unified_form, "twenty_four_hour": p.twenty_four_hour},
            )
            added, updated = (added + 1, updated) if created else (added, updated + 1)
        record(action=Action.CREATE, actor=actor, object_type="programs.linkagefeeprovision",
               detail=f"連携シートから取込: 追加{added} 更新{updated} 承認済のため除外{skipped}")
    return SheetImport(added, updated, skipped)


# --- end-of-life support ------------------------------------------------------------------------


def record_consultation(*, actor, request=None, **fields):
    consultation = EndOfLifeConsultation(created_by=actor, **fields)
    if not consultation.topics:
        raise ProgramError("相談内容を1つ以上選んでください。")
    return _save_new(consultation, actor=actor, request=request, detail="エンディング相談")


def record_distribution(*, actor, request=None, **fields):
    distribution = EndingNoteDistribution(created_by=actor, **fields)
    if not distribution.count:
        raise ProgramError("部数は1以上で入力してください。")
    return _save_new(distribution, actor=actor, request=request, detail="エンディングノート配布")


def count_ending_note_download(day):
    """Add one to the day's download counter (a single UPDATE when the row exists)."""
    if not EndingNoteDownload.objects.filter(day=day).update(count=F("count") + 1):
        _, created = EndingNoteDownload.objects.get_or_create(day=day, defaults={"count": 1})
        if not created:
            EndingNoteDownload.objects.filter(day=day).update(count=F("count") + 1)
    bump_report_version()
