"""Ask in one step: find providers by need and place, send one request to several, keep their answers.

The request carries the need only (no personal data). With a patient attached, the accepting provider's
user is invited to the patient's care team by the request's sender (the network's invitation service),
so the patient's data reaches the provider only once they accept that invitation, and only while the
patient's consent to share is recorded.
"""
import math
from dataclasses import dataclass, field, replace

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from renkei.core.access import get_visible_patient_or_404, home_municipality
from renkei.core.apibase import INT64_MAX
from renkei.core.audit import Action, record
from renkei.core.errors import AppError
from renkei.core.models import Affiliation, Facility, Profession, User
from renkei.reports.cache import bump as bump_report_version

from . import selectors, windows
from .models import AnswerStatus, ConsultationWindow, DirectoryStatus, ReferralAnswer, ReferralRequest

MAX_PROVIDERS = 10
MAX_NEED = 1000
PER_PAGE = 20
WINDOW_CHOICES = {"": "指定なし", "today": "今日相談できる", "now": "いま相談できる"}
NOT_A_PROFESSIONAL = "受け入れ依頼は、登録された専門職だけが使えます。"


# ---------------------------------------------------------------- search by need and place

@dataclass
class NeedParams:
    flags: list = field(default_factory=list)
    accepting: bool = False  # takes new patients, by an answer confirmed within FRESH_DAYS
    fresh: bool = False
    window: str = ""


def _on(value):
    return str(value or "").lower() in {"1", "true", "on", "yes"}


def parse_need(data):
    """NeedParams from GET parameters (`need`, `new`, `fresh`, `window`); raises AppError (400)."""
    getlist = data.getlist if hasattr(data, "getlist") else (lambda k: [v for v in [data.get(k)] if v])
    flags = [f for value in getlist("need") for f in str(value).split(",") if f]
    unknown = [f for f in flags if f not in windows.CAPACITY_FLAGS]
    if unknown:
        raise AppError(f"不明な条件です：{'、'.join(unknown)}", status=400)
    window = data.get("window") or ""
    if window not in WINDOW_CHOICES:
        raise AppError("相談受付の条件が正しくありません。", status=400)
    return NeedParams(flags=flags, accepting=_on(data.get("new")), fresh=_on(data.get("fresh")), window=window)


def _provider_base(params, need, now):
    base = selectors._filtered(replace(params, accepting=False))
    for flag in need.flags:
        base = base.filter(**{f"capacity__{flag}": True})
    since = windows.fresh_since(timezone.localdate(now))
    if need.accepting:
        base = base.filter(capacity__accepting_new=True, capacity__confirmed_on__gte=since)
    elif need.fresh:
        base = base.filter(capacity__confirmed_on__gte=since)
    local = timezone.localtime(now)
    if need.window == "today":
        base = windows.with_window_on(base, local.isoweekday())
    elif need.window == "now":
        base = windows.with_window_on(base, local.isoweekday(), local.time())
    return base


@dataclass
class ProviderPage:
    items: list
    total: int
    page: int
    pages: int


def _provider_queryset():
    return Facility.objects.select_related("profile", "municipality", "capacity").prefetch_related(
        Prefetch("consultation_windows", queryset=ConsultationWindow.objects.order_by("weekday", "starts_at", "id")))


def search_providers(params, need, *, page=1, now=None):
    """One page of providers matching place and need, nearest first when a place is given; 3 queries."""
    now = now or timezone.now()
    base = _provider_base(params, need, now)
    if params.point is not None:
        hits, _counter = selectors._within_radius(base, params)
        total = len(hits)
    else:
        if params.kinds:
            base = base.filter(kind__in=params.kinds)
        hits = None
        total = base.count()
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(max(1, page), pages)
    start = (page - 1) * PER_PAGE
    if hits is not None:
        window = hits[start:start + PER_PAGE]
        by_id = {f.pk: f for f in _provider_queryset().filter(pk__in=[pk for pk, _d in window])}
        items = []
        for pk, distance in window:
            by_id[pk].distance_m = round(distance)
            items.append(by_id[pk])
    else:
        items = list(_provider_queryset().filter(pk__in=base.values("pk")).order_by("name_kana", "name", "pk")
                     [start:start + PER_PAGE])
    today = timezone.localdate(now)
    for facility in items:
        facility.capacity_view = windows.capacity_view(windows.capacity_of(facility), today)
        facility.window_list = list(facility.consultation_windows.all())
    return ProviderPage(items, total, page, pages)


# ---------------------------------------------------------------- writes

ROLE_OF_PROFESSION = {
    Profession.PHYSICIAN: "physician", Profession.NURSE: "visiting_nurse", Profession.CARE_MANAGER: "care_manager",
    Profession.HOME_HELPER: "home_helper", Profession.PHARMACIST: "pharmacist", Profession.DENTIST: "dentist",
    Profession.THERAPIST: "therapist", Profession.HOSPITAL_LIAISON: "hospital_liaison",
    Profession.COMMUNITY_SUPPORT: "community_support",
}


def _notify(user_ids, *, kind, actor):
    from renkei.network.models import Notification

    Notification.objects.bulk_create([Notification(recipient_id=uid, kind=kind, actor=actor)
                                      for uid in dict.fromkeys(user_ids) if uid != actor.pk])


def _patient_for_request(user, patient_id):
    """The patient the sender manages, with sharing consent recorded; AppError otherwise."""
    from renkei.network import services as network

    patient = get_visible_patient_or_404(user, patient_id, with_consent=True)
    network._require_manager(patient, user)
    if network.consent_state(patient) != "active":
        raise AppError({"patient": "この患者の情報共有の同意が記録されていません。同意を記録してから依頼してください。"},
                       status=422)
    return patient


def send_request(*, user, facility_ids, need, place="", conditions=None, patient_id=None, request=None):
    """One request to several providers; each provider's members are notified. Returns the request."""
    if not windows.is_professional_account(user):
        raise PermissionDenied(NOT_A_PROFESSIONAL)
    need = (need or "").strip()
    errors = {}
    if not need:
        errors["need"] = "依頼内容を入力してください（例：24時間対応の訪問看護、来週から週2回）。"
    elif len(need) > MAX_NEED:
        errors["need"] = f"依頼内容は {MAX_NEED} 文字以内にしてください。"
    ids = list(dict.fromkeys(int(i) for i in facility_ids if str(i).isdigit() and int(i) <= INT64_MAX))
    if not ids:
        errors["facilities"] = "依頼する事業所を1か所以上選んでください。"
    elif len(ids) > MAX_PROVIDERS:
        errors["facilities"] = f"一度に依頼できるのは {MAX_PROVIDERS} か所までです。"
    if errors:
        raise AppError(errors, status=422)
    facilities = list(Facility.objects.filter(pk__in=ids, profile__status=DirectoryStatus.OPEN))
    if len(facilities) != len(ids):
        raise AppError({"facilities": "選んだ事業所が見つかりません（廃止・休止の可能性があります）。"}, status=422)
    patient = _patient_for_request(user, patient_id) if patient_id else None
    own = Affiliation.objects.filter(user=user).select_related("facility__municipality").first()
    municipality = (own.facility.municipality if own else None) or (patient.municipality if patient else None) \
        or home_municipality()
    with transaction.atomic():
        referral = ReferralRequest.objects.create(
            requester=user, requester_facility=own.facility if own else None, municipality=municipality,
            patient=patient, need=need, place=(place or "")[:100], conditions=conditions or {})
        ReferralAnswer.objects.bulk_create([ReferralAnswer(request=referral, facility=f) for f in facilities])
        bump_report_version()  # bulk_create sends no signal
        members = Affiliation.objects.filter(facility_id__in=ids).values_list("user_id", flat=True)
        _notify(members, kind=windows.NOTIFY_REFERRAL, actor=user)
        record(action=Action.CREATE, request=request, actor=user, obj=referral, patient=patient,
               detail=f"受け入れ依頼を送信：{len(facilities)}か所")
    return referral


def _invite(referral, user, request):
    """Invite the accepting user to the patient's team as the request's sender; '' or why it was not done."""
    from renkei.network import services as network

    if network.consent_state(referral.patient) != "active":
        return "（同意が撤回されているためケアチームに招待していません）"
    try:
        network.invite_member(patient=referral.patient, by=referral.requester, user=user,
                              role=ROLE_OF_PROFESSION.get(user.profession, "other"), request=request)
    except AppError as refused:
        return f"（ケアチームに招待できませんでした：{refused.message}）"
    return ""


def answer_request(*, user, answer_id, accept, reason="", request=None):
    """A member of the asked provider accepts or declines; acceptance with a patient invites them to the team."""
    answer = (ReferralAnswer.objects.select_related("request", "request__requester", "request__patient", "facility")
              .filter(pk=answer_id, facility__affiliations__user=user).first())
    if answer is None or not windows.is_professional_account(user):
        raise AppError("この依頼は見つかりません。", status=404)
    if answer.status != AnswerStatus.PENDING:
        raise AppError("この依頼にはすでに回答しています。", status=409)
    reason = (reason or "").strip()[:300]
    if not accept and not reason:
        raise AppError({"reason": "お断りの理由を入力してください（例：今月は新規の枠がありません）。"}, status=422)
    referral = answer.request
    with transaction.atomic():
        answer.status = AnswerStatus.ACCEPTED if accept else AnswerStatus.DECLINED
        answer.reason, answer.answered_at, answer.answered_by = reason, timezone.now(), user
        not_invited = ""
        if accept and referral.patient_id:
            not_invited = _invite(referral, user, request)
            answer.invited = not not_invited
        answer.save()
        _notify([referral.requester_id], kind=windows.NOTIFY_REFERRAL_ANSWER, actor=user)
        record(action=Action.UPDATE, request=request, actor=user, obj=answer, patient=referral.patient_id,
               detail=f"受け入れ依頼に回答：{answer.get_status_display()}"
                      + ("（ケアチームに招待）" if answer.invited else not_invited))
    return answer


# ---------------------------------------------------------------- reads

def sent_by(user):
    """The user's requests, newest first, with their answers (for the list: 2 queries a page)."""
    return (ReferralRequest.objects.filter(requester=user)
            .select_related("patient")
            .prefetch_related(Prefetch("answers", queryset=ReferralAnswer.objects.select_related(
                "facility", "answered_by").order_by("id"))))


def received_by(user):
    """Answers asked of the user's facilities, pending first, then newest."""
    return (ReferralAnswer.objects.filter(facility__affiliations__user=user)
            .select_related("request", "request__requester", "request__requester_facility", "facility", "answered_by")
            .order_by("-status", "-request__created_at", "-id")
            .distinct())


def pending_count(user: User) -> int:
    return ReferralAnswer.objects.filter(facility__affiliations__user=user, status=AnswerStatus.PENDING).count()


def get_sent_or_404(user, pk):
    referral = sent_by(user).filter(pk=pk).first()
    if referral is None:
        raise Http404("見つかりません。")
    return referral


def get_received_or_404(user, answer_id):
    """An answer asked of one of the user's facilities; Http404 exactly as a missing one otherwise."""
    answer = ReferralAnswer.objects.filter(pk=answer_id, facility__affiliations__user=user).first()
    if answer is None:
        raise Http404("見つかりません。")
    return answer


def patients_to_refer(user):
    """Patients the user manages whose sharing consent is recorded (the ones a request may name)."""
    from renkei.core.access import active_membership, patients_visible_to
    from renkei.network.models import Consent

    managed = active_membership(user).filter(is_manager=True).values("patient_id")
    return (patients_visible_to(user).filter(pk__in=managed)
            .filter(pk__in=Consent.objects.filter(withdrawn_at__isnull=True).values("patient_id"))
            .order_by("name_kana", "pk"))
