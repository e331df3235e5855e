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
    Program,
    ProgramRule,
    ProvisionSource,
    RescueHelperApplication,
    RescueHelperDispatch,
    RescueHelperProviderPayment,
    RescueHelperVisit,
    RescueStatus,
    RestartGrantApplication,
    RestartGrantDocument,
)
from .selectors import rule_in_force, rule_of

ProgramError = AppError  # the programs' name for the one application error (renkei.core.errors)


def _decide(*, subject, outcome, label, reason, actor, request=None):
    """Append a decision to the subject's history (earlier decisions stay) and audit it.

    The decision belongs to the subject's city and keeps the rule version the subject was decided with."""
    reason = (reason or "").strip()
    if not reason:
        raise ProgramError("決定の理由を入力してください。")
    decision = Decision.objects.create(
        subject=subject, outcome=outcome, outcome_label=label, reason=reason, decided_by=actor,
        municipality_id=subject.municipality_id, rule_id=subject.rule_id,
    )
    record(action=Action.UPDATE, request=request, actor=actor, obj=subject, detail=f"決定: {label} / {reason}"[:2000])
    return decision


# --- rule versions ------------------------------------------------------------------------------

# The records decided with a program's rules and the date that picks their version.
DECIDED_RECORDS = {
    Program.RESCUE_HELPER: (RescueHelperApplication, "received_on"),
    Program.RESTART_GRANT: (RestartGrantApplication, "hired_on"),
    Program.LINKAGE_FEE: (LinkageFeeClaim, "month"),
}


def _rule_problems(program, parameters, note):
    problems = []
    try:
        rules.parse_rule(program, parameters)
    except rules.InvalidFacts as bad:
        problems += bad.problems
    if not (note or "").strip():
        problems.append("根拠・備考（要綱の名称や改正日など）を入力してください。")
    return problems


def add_rule_version(*, municipality, program, effective_from, parameters, note, actor, request=None):
    """A new version of `municipality`'s rules of `program`, in force from `effective_from`.

    Refused when an application or claim of the city dated on or after `effective_from` has already been
    decided: it was decided with the version in force then, and a new version must not take that date
    from under it (decisions keep their version; a change takes effect after the last decided date).
    """
    problems = _rule_problems(program, parameters, note)
    if ProgramRule.objects.filter(municipality=municipality, program=program, effective_from=effective_from).exists():
        problems.append(f"{effective_from:%Y年%m月%d日}から適用する版は既にあります。")
    decided = DECIDED_RECORDS.get(program)
    if decided:
        model, date_field = decided
        last = (model.objects.filter(municipality=municipality, rule__isnull=False,
                                     **{f"{date_field}__gte": effective_from})
                .order_by(f"-{date_field}").values_list(date_field, flat=True).first())
        if last is not None:
            problems.append(
                f"{last:%Y年%m月%d日}の日付の申請・請求が既に決定されています。新しい版の適用開始日は"
                f"{last:%Y年%m月%d日}より後にしてください（決定済みの分は決定時の版のままです）。")
    if problems:
        raise ProgramError(problems, status=422)
    rule = ProgramRule(municipality=municipality, program=program, effective_from=effective_from,
                       parameters=parameters, note=note.strip(), created_by=actor)
    return _save_new(rule, actor=actor, request=request,
                     detail=f"事業の規程の版を追加: {municipality.name} {rule.get_program_display()} {effective_from}")


def update_rule_version(*, rule, parameters, note, actor, request=None):
    """Correct a version no decision has used yet (a used one is history: add a new version instead)."""
    if rule.decisions.exists():
        raise ProgramError("この版は決定に使われているため変更できません。新しい版を追加してください。", status=409)
    problems = _rule_problems(rule.program, parameters, note)
    if problems:
        raise ProgramError(problems, status=422)
    rule.parameters, rule.note = parameters, note.strip()
    rule._params = None
    rule.full_clean()
    rule.save()
    record(action=Action.UPDATE, request=request, actor=actor, obj=rule,
           detail=f"事業の規程の版を修正: {rule.municipality.name} {rule.get_program_display()} {rule.effective_from}")
    return rule


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


def _check_rescue_facts(application):
    """Refuse facts that contradict each other, or a city without the program on the receipt date (422)."""
    rule = rule_in_force(application.municipality, Program.RESCUE_HELPER, application.received_on)
    try:
        rules.assess_rescue_helper(application.facts(), rule.params)
    except rules.InvalidFacts as bad:
        raise ProgramError(bad.problems)
    return rule


def create_rescue_application(*, municipality, actor, request=None, **fields):
    """Register an application to `municipality`; facts that contradict each other are refused with every problem."""
    application = RescueHelperApplication(municipality=municipality, created_by=actor, **fields)
    _check_rescue_facts(application)
    return _save_new(application, actor=actor, request=request, detail="緊急訪問介護 申請受付")


def update_rescue_application(*, application, actor, request=None, **fields):
    """Correct the facts of an application not yet dispatched."""
    if hasattr(application, "dispatch"):
        raise ProgramError("派遣後の申請は修正できません。")
    fields.pop("municipality", None)  # an application stays with the city it was made to
    for name, value in fields.items():
        setattr(application, name, value)
    _check_rescue_facts(application)  # a decision already made keeps its version (application.rule)
    application.full_clean()
    application.save()
    record(action=Action.UPDATE, request=request, actor=actor, obj=application, detail="緊急訪問介護 申請修正")
    return application


def decide_rescue_application(
    *, application, approve, reason, actor, request=None, age_override_reason="", household_override_reason=""
):
    """Approve (only when the city's rules in force on the receipt date, with the staff overrides given, find
    the person eligible) or reject; the decision keeps that rule version."""
    with transaction.atomic():
        # Lock the application row only (not the city's row it joins, nor the nullable rule: PostgreSQL).
        application = RescueHelperApplication.objects.select_for_update(of=("self",)).select_related(
            "municipality").get(pk=application.pk)
        if not approve and RescueHelperVisit.objects.filter(dispatch__application=application).exists():
            raise ProgramError("訪問の記録がある申請は却下に変更できません。")
        application.age_override_reason = age_override_reason.strip()
        application.household_override_reason = household_override_reason.strip()
        if application.status == RescueStatus.APPROVED and application.rule_id is not None:
            rule = application.rule  # visits were fixed with this version; a re-decision keeps it
        else:
            rule = rule_in_force(application.municipality, Program.RESCUE_HELPER, application.received_on)
        application.rule = rule
        assessment = rules.assess_rescue_helper(application.facts(), rule.params)
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
        dispatch = RescueHelperDispatch.objects.select_for_update(of=("self",)).select_related(
            "application__rule", "application__municipality").get(pk=dispatch.pk)
        if dispatch.application.status != RescueStatus.APPROVED:
            raise ProgramError("利用決定が取り消された申請には訪問を記録できません。")
        rule = rule_of(dispatch.application, Program.RESCUE_HELPER).params
        existing = [rules.Visit(v, m) for v, m in dispatch.visits.values_list("visited_on", "minutes")]
        reasons = rules.check_rescue_visit(
            first_day=dispatch.first_day, existing=existing, new=rules.Visit(visited_on, minutes), rule=rule
        )
        if reasons:
            record(action=Action.UPDATE, request=request, actor=actor, obj=dispatch,
                   detail=f"訪問の記録を拒否: {' '.join(reasons)}"[:2000])
            raise ProgramError(reasons)
        visit = RescueHelperVisit(
            dispatch=dispatch, visited_on=visited_on, minutes=minutes, units=rules.rescue_visit_units(minutes, rule),
            fee_yen=rules.rescue_visit_fee(minutes, rule), note=note, created_by=actor,
        )
        return _save_new(visit, actor=actor, request=request, detail=f"訪問 {visited_on} {minutes}分")


def create_provider_payment(*, municipality, provider, month, unit_price_yen, actor, request=None):
    """Fix `municipality`'s payment of the month to a provider from the visits to its residents
    (units × contract unit price)."""
    if unit_price_yen is None or unit_price_yen <= 0:
        raise ProgramError("委託単価は1円以上で入力してください。")
    end = rules.month_end(month)
    units = RescueHelperVisit.objects.filter(
        dispatch__application__municipality=municipality, dispatch__provider=provider, visited_on__range=(month, end)
    ).aggregate(units=Sum("units"))["units"] or 0
    if not units:
        raise ProgramError(f"{municipality.name}の{provider.name}への{month:%Y年%m月}の訪問記録がありません。")
    if RescueHelperProviderPayment.objects.filter(municipality=municipality, provider=provider, month=month).exists():
        raise ProgramError("この事業所・月の支払は既に確定しています。")
    payment = RescueHelperProviderPayment(
        municipality=municipality, provider=provider, month=month, units=units, unit_price_yen=unit_price_yen,
        amount_yen=units * unit_price_yen, created_by=actor,
    )
    return _save_new(payment, actor=actor, request=request, detail=f"事業所への支払 {month:%Y-%m} {units}単位")


# --- restart grant ------------------------------------------------------------------------------


def _grant_facts_problems(application):
    """Contradicting facts, or types and qualifications the city's rule in force on the hiring date does not
    list; a city without the grant on that date is refused (422)."""
    left = application.last_care_job_left_on
    if left and left > application.hired_on:
        return ["前職の離職日が就職日より後になっています。"]
    application.months_since_last_care_job = rules.whole_months_between(left, application.hired_on) if left else None
    rule = rule_in_force(application.municipality, Program.RESTART_GRANT, application.hired_on)
    try:
        rules.assess_restart_grant(application.facts(), rule.params)
    except rules.InvalidFacts as bad:
        return bad.problems
    return []


def create_restart_application(*, municipality, actor, request=None, **fields):
    """Register an application to `municipality` with its facts (unknown types or qualifications are refused)."""
    application = RestartGrantApplication(municipality=municipality, created_by=actor, **fields)
    problems = _grant_facts_problems(application)
    if problems:
        raise ProgramError(problems)
    return _save_new(application, actor=actor, request=request, detail="Reスタート支援金 申請受付")


def update_restart_application(*, application, actor, request=None, **fields):
    """Correct the facts before payment; an assessed application goes back to 申請受付 to be re-assessed."""
    if application.status in (GrantStatus.CONFIRMED, GrantStatus.PAID):
        raise ProgramError("6か月確認後・支給後の申請は修正できません。")
    fields.pop("municipality", None)  # an application stays with the city it was made to
    for name, value in fields.items():
        setattr(application, name, value)
    problems = _grant_facts_problems(application)
    if problems:
        raise ProgramError(problems)
    application.status = GrantStatus.APPLIED
    application.amount_yen = 0
    application.rule = None  # re-assessed with the version in force on the (corrected) hiring date
    application.full_clean()
    application.save()
    record(action=Action.UPDATE, request=request, actor=actor, obj=application, detail="Reスタート支援金 申請修正")
    return application


def assess_restart_application(*, application, actor, note="", request=None):
    """Apply the city's rules in force on the hiring date: eligible → 審査済 with the amount; not eligible →
    不支給 with every failed reason. The application and the decision keep the rule version."""
    if application.status not in (GrantStatus.APPLIED, GrantStatus.REJECTED):
        raise ProgramError("審査できるのは申請受付・不支給の申請です。")
    problems = []
    if not application.documents.filter(kind="employment").exists():
        problems.append("雇用（在職）証明書が添付されていません。")
    if application.qualifications and not application.documents.filter(kind="qualification").exists():
        problems.append("資格証の写しが添付されていません。")
    if problems:
        raise ProgramError(problems)
    rule = rule_in_force(application.municipality, Program.RESTART_GRANT, application.hired_on)
    try:
        result = rules.assess_restart_grant(application.facts(), rule.params)
    except rules.InvalidFacts as bad:
        raise ProgramError(bad.problems)
    lines = [f"{c.label}: {c.reason}" for c in result.criteria if not result.eligible and not c.met]
    lines = lines or [f"{c.label}: {c.reason}" for c in result.criteria]
    reason = "\n".join(lines + ([note.strip()] if note.strip() else []))
    _set_status(application, status=GrantStatus.ASSESSED if result.eligible else GrantStatus.REJECTED,
                amount_yen=result.amount_yen, rule=rule, reason=reason, actor=actor, request=request)
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
    months = rule_of(application, Program.RESTART_GRANT).params.min_expected_months
    earliest = add_months(application.hired_on, months)
    if confirmed_on < earliest:
        problems.append(f"就職日から{months}か月（{earliest.isoformat()}）を経過していません。")
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


def claim_for(*, municipality, station, month, actor=None):
    """The station's claim to `municipality` for the month, created as a draft when missing.

    The station may be anywhere in the area; the claim goes to one city, which must run the linkage fee
    that month (else 422)."""
    if station.kind != FacilityKind.VISITING_NURSING:
        raise ProgramError("連携費の請求は訪問看護ステーションについて入力します。")
    existing = LinkageFeeClaim.objects.filter(municipality=municipality, station=station, month=month).first()
    if existing is not None:
        return existing
    rule_in_force(municipality, Program.LINKAGE_FEE, month)
    claim, _ = LinkageFeeClaim.objects.get_or_create(municipality=municipality, station=station, month=month,
                                                     defaults={"created_by": actor})
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
    """Approve the month's claim; the amount comes from the city's rule in force that month, which the claim
    and the decision keep (a month with no provisions is refused)."""
    _editable(claim)
    rule = rule_in_force(claim.municipality, Program.LINKAGE_FEE, claim.month)
    try:
        result = rules.calculate_linkage_fee(claim.month, [p.as_rule() for p in claim.provisions.all()], rule.params)
    except rules.InvalidFacts as bad:
        raise ProgramError(bad.problems)
    _set_status(claim, status=ClaimStatus.APPROVED, total_yen=result.total_yen, rule=rule,
                patients=sum(1 for line in result.lines if line.amount_yen),
                reason=f"{reason.strip()}（合計 {result.total_yen:,}円）" if reason.strip() else "", actor=actor,
                request=request)
    return result


def return_claim(*, claim, reason, actor, request=None):
    """Send a claim back for correction (an approved one too); the approval stays in the history."""
    # The approval keeps its version in the history; the claim is re-approved with the version in force then.
    return _set_status(claim, status=ClaimStatus.REJECTED, total_yen=0, patients=0, rule=None, reason=reason,
                       actor=actor, request=request)


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
    municipality_id: int | None = None  # the city the claim goes to (the patient's); None = the station's city


@dataclass(frozen=True)
class SheetImport:
    added: int
    updated: int
    skipped_approved: int
    skipped_no_program: int = 0


def add_provisions_from_sheets(provisions: Iterable[SheetProvision], *, actor=None) -> SheetImport:
    """The interface for the sheets app: put sheet provisions into the stations' draft claims.

    Provisions of a claim already approved are skipped (counted in `skipped_approved`); staff
    send the claim back first when a late sheet must still count. A provision for a city that does not
    run the linkage fee that month has no claim to go to (counted in `skipped_no_program`).
    """
    from renkei.core.models import Municipality

    added = updated = skipped = no_program = 0
    stations, cities = {}, {}
    with transaction.atomic():
        for p in provisions:
            month = p.provided_on.replace(day=1)
            if p.station_id not in stations:
                stations[p.station_id] = Facility.objects.select_related("municipality").get(pk=p.station_id)
            station = stations[p.station_id]
            city_id = p.municipality_id or station.municipality_id
            if city_id not in cities:
                cities[city_id] = Municipality.objects.get(pk=city_id)
            try:
                claim = claim_for(municipality=cities[city_id], station=station, month=month, actor=actor)
            except AppError as refused:
                if refused.status != 422:
                    raise
                no_program += 1
                continue
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
               detail=f"連携シートから取込: 追加{added} 更新{updated} 承認済のため除外{skipped}"
                      f" 事業なしのため除外{no_program}")
    return SheetImport(added, updated, skipped, no_program)


# --- end-of-life support ------------------------------------------------------------------------


def _record_end_of_life(record_, day, *, empty, actor, request, detail):
    """Save a new end-of-life record unless it is empty (`empty`: the message) or its city does not run
    end-of-life support on `day`."""
    if empty:
        raise ProgramError(empty)
    rule_in_force(record_.municipality, Program.END_OF_LIFE, day)
    return _save_new(record_, actor=actor, request=request, detail=detail)


def record_consultation(*, municipality, actor, request=None, **fields):
    """A consultation received by `municipality` (which must run end-of-life support on that day)."""
    consultation = EndOfLifeConsultation(municipality=municipality, created_by=actor, **fields)
    return _record_end_of_life(consultation, consultation.received_on, actor=actor, request=request,
                               empty="" if consultation.topics else "相談内容を1つ以上選んでください。",
                               detail="エンディング相談")


def record_distribution(*, municipality, actor, request=None, **fields):
    """Ending notes handed out by `municipality` (which must run end-of-life support on that day)."""
    distribution = EndingNoteDistribution(municipality=municipality, created_by=actor, **fields)
    return _record_end_of_life(distribution, distribution.distributed_on, actor=actor, request=request,
                               empty="" if distribution.count else "部数は1以上で入力してください。",
                               detail="エンディングノート配布")


def count_ending_note_download(day, municipality):
    """Add one to the city's download counter of the day (a single UPDATE when the row exists)."""
    rows = EndingNoteDownload.objects.filter(municipality=municipality, day=day)
    if not rows.update(count=F("count") + 1):
        _, created = EndingNoteDownload.objects.get_or_create(municipality=municipality, day=day,
                                                              defaults={"count": 1})
        if not created:
            rows.update(count=F("count") + 1)
    bump_report_version()
