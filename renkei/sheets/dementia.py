"""Writes of the dementia initial-intensive-support team: cases, home visits, conferences, closing."""
from django.db import transaction

from renkei.core.audit import Action, record
from renkei.network.services import Refused
from renkei.reports.cache import bump as bump_report_version

from . import rules, selectors
from .models import DementiaCase, DementiaConference, DementiaVisit
from .services import Conflict


def _require_team(user, patient):
    if not selectors.is_team_member(user, patient):
        raise Refused("この患者のケアチームのメンバーだけが記録できます。")


def open_case(*, patient, user, referred_on, referral_source, referral_reason, team_note="", members=(),
              support_started_on=None, request=None):
    """Register a referral to the team (and, when given, the start of support)."""
    _require_team(user, patient)
    if not (referral_reason or "").strip():
        raise Refused("相談・紹介の内容を入力してください。", field="referral_reason")
    if support_started_on and support_started_on < referred_on:
        raise Refused("支援開始日が受付日より前になっています。", field="support_started_on")
    with transaction.atomic():
        case = DementiaCase.objects.create(
            patient=patient, referred_on=referred_on, referral_source=referral_source,
            referral_reason=referral_reason.strip(), team_note=team_note, support_started_on=support_started_on,
            created_by=user,
        )
        if members:
            case.team_members.add(*members)
        record(action=Action.CREATE, request=request, actor=user, obj=case, patient=patient, detail="dementia case")
    return case


def _within_support(case, day, what):
    if case.support_started_on is None:
        raise Refused(f"支援開始日を記録してから{what}を記録してください。")
    if day < case.referred_on:
        raise Refused(f"{what}の日付が受付日より前になっています。")
    ends_on = rules.add_months(case.support_started_on, rules.SUPPORT_MONTHS)
    if day > ends_on:
        raise Refused(f"{what}の日付が支援期間（最長6か月、{ends_on:%Y-%m-%d}まで）を超えています。")
    if case.closed_on:
        raise Refused("この事例の支援は終了しています。")


def start_support(*, case, user, started_on, request=None):
    _require_team(user, case.patient)
    if case.support_started_on:
        raise Conflict("支援は既に開始しています。")
    if started_on < case.referred_on:
        raise Refused("支援開始日が受付日より前になっています。", field="started_on")
    DementiaCase.objects.filter(pk=case.pk).update(support_started_on=started_on)
    bump_report_version()
    record(action=Action.UPDATE, request=request, actor=user, obj=case, patient=case.patient, detail="started")
    case.refresh_from_db()
    return case


def _add_entry(model, *, case, user, day, what, text_field, missing, request, **fields):
    """A dated entry of the support (a visit, a team meeting) by one of the patient's team: within the
    support period and with its text (`text_field`, stripped; empty: the `missing` message)."""
    _require_team(user, case.patient)
    _within_support(case, day, what)
    text = (fields[text_field] or "").strip()
    if not text:
        raise Refused(missing, field=text_field)
    entry = model.objects.create(case=case, recorded_by=user, **(fields | {text_field: text}))
    record(action=Action.CREATE, request=request, actor=user, obj=entry, patient=case.patient)
    return entry


def add_visit(*, case, user, visited_on, visitors, summary, request=None):
    return _add_entry(DementiaVisit, case=case, user=user, day=visited_on, what="訪問", text_field="summary",
                      missing="訪問の内容を入力してください。", request=request,
                      visited_on=visited_on, visitors=visitors, summary=summary)


def add_conference(*, case, user, held_on, participants, decisions, request=None):
    return _add_entry(DementiaConference, case=case, user=user, day=held_on, what="チーム員会議",
                      text_field="decisions", missing="検討内容・方針を入力してください。", request=request,
                      held_on=held_on, participants=participants, decisions=decisions)


def close_case(*, case, user, closed_on, outcome, outcome_detail="", case_study=False, case_study_note="",
               request=None):
    """End the support with its outcome (connected to medical care, care services, other)."""
    _require_team(user, case.patient)
    if case.closed_on:
        raise Conflict("この事例は既に終了しています。")
    _within_support(case, closed_on, "支援終了")
    if not outcome:
        raise Refused("終了時の状況を選んでください。", field="outcome")
    DementiaCase.objects.filter(pk=case.pk).update(
        closed_on=closed_on, outcome=outcome, outcome_detail=outcome_detail, case_study=case_study,
        case_study_note=case_study_note,
    )
    bump_report_version()
    record(action=Action.UPDATE, request=request, actor=user, obj=case, patient=case.patient, detail="closed")
    case.refresh_from_db()
    return case


def select_for_case_study(*, case, user, selected, note="", request=None):
    """Mark (or unmark) a case for the subcommittee's case study (事例研究)."""
    _require_team(user, case.patient)
    DementiaCase.objects.filter(pk=case.pk).update(case_study=selected, case_study_note=note)
    bump_report_version()
    record(action=Action.UPDATE, request=request, actor=user, obj=case, patient=case.patient,
           detail=f"case study {selected}")
    case.refresh_from_db()
    return case
