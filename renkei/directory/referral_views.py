"""Pages shared among professionals only: consultation windows (ケアマネタイム), capacity, referral requests."""
import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from renkei.core.audit import Action, record
from renkei.core.auth import professional_required
from renkei.core.errors import AppError, attempt, show_error
from renkei.core.models import Facility
from renkei.core.paging import paginate

from . import referrals, selectors, windows
from .forms import AnswerForm, CapacityForm, ProviderSearchForm, ReferralForm, WindowFilterForm, WindowFormSet
from .models import Capacity, ConsultationWindow
from .views import _denied

WINDOWS_PER_PAGE = 30
REFERRALS_PER_PAGE = 20
PRINT_LIMIT = 500


def _window_filters(request):
    when = request.GET.get("when", "")
    now = timezone.now()
    return {"municipality": request.GET.get("municipality", ""), "kind": request.GET.get("kind", ""),
            "q": (request.GET.get("q") or "")[:200], "now": now if when == "now" else None,
            "today_only": timezone.localdate(now) if when == "today" else None}


def _windows_or_error(request):
    try:
        return windows.windows_list(**_window_filters(request)), ""
    except (AppError, selectors.SearchError) as error:
        return ConsultationWindow.objects.none(), str(getattr(error, "message", error))


@professional_required
def windows_list(request):
    """Who can I call now? Every published window, filtered by city, kind, name and today/now."""
    queryset, error = _windows_or_error(request)
    page = paginate(request, queryset, WINDOWS_PER_PAGE)
    return render(request, "directory/windows.html", {
        "form": WindowFilterForm(request.GET or None), "page": page, "error": error,
        "query": page.query}, status=400 if error else 200)


@professional_required
def windows_print(request):
    """The A4 list the 医師会 hand out: the same filters, up to PRINT_LIMIT rows."""
    queryset, error = _windows_or_error(request)
    rows = list(queryset[:PRINT_LIMIT + 1])
    return render(request, "directory/windows_print.html", {
        "rows": rows[:PRINT_LIMIT], "truncated": len(rows) > PRINT_LIMIT, "error": error,
        "today": timezone.localdate()}, status=400 if error else 200)


def _facility_to_manage(request, pk):
    facility = get_object_or_404(Facility, pk=pk, profile__isnull=False)
    if not windows.can_manage(request.user, pk):
        record(action=Action.PERMISSION_DENIED, request=request, object_type="core.facility", object_id=str(pk),
               detail="相談受付時間・受け入れ状況の編集")
        raise PermissionDenied(windows.NOT_ALLOWED)
    return facility


def _managing_the_facility(view):
    """The view gets the facility (`pk`) its user is a member of; anyone else gets the refusal page."""

    @functools.wraps(view)
    def wrapper(request, pk):
        try:
            facility = _facility_to_manage(request, pk)
        except PermissionDenied as denied:
            return _denied(request, str(denied))
        return view(request, pk, facility)

    return wrapper


@professional_required
@_managing_the_facility
def windows_edit(request, pk, facility):
    """Members of the facility publish its consultation windows to professionals."""
    initial = [{"weekday": str(w.weekday), "starts_at": w.starts_at, "ends_at": w.ends_at, "channel": w.channel,
                "direct_number": w.direct_number, "note": w.note}
               for w in ConsultationWindow.objects.filter(facility=facility).order_by("weekday", "starts_at", "id")]
    formset = WindowFormSet(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        entries = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("weekday")]
        if attempt(
            request, lambda: windows.save_windows(user=request.user, facility_id=pk, windows=entries, request=request),
            "相談受付時間を更新しました（登録された専門職だけに表示されます）。",
        ):
            return redirect("directory:detail", pk=pk)
    return render(request, "directory/windows_edit.html", {"facility": facility, "formset": formset})


@professional_required
@_managing_the_facility
def capacity_edit(request, pk, facility):
    """Members of the facility say whether it takes new patients now, and with what (dated)."""
    capacity = Capacity.objects.filter(facility=facility).first()
    initial = {}
    if capacity:
        initial = {"accepting_new": {True: "yes", False: "no"}.get(capacity.accepting_new),
                   "flags": [f for f in windows.CAPACITY_FLAGS if getattr(capacity, f)],
                   "languages": capacity.languages, "note": capacity.note}
    form = CapacityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def confirm():
            windows.confirm_capacity(user=request.user, facility_id=pk, accepting_new=data["accepting_new"] == "yes",
                                     flags=data["flags"], languages=data["languages"], note=data["note"],
                                     request=request)

        if attempt(request, confirm, "受け入れ状況を確認しました（今日の日付で表示されます）。", form):
            return redirect("directory:detail", pk=pk)
    return render(request, "directory/capacity_edit.html", {
        "facility": facility, "form": form, "capacity": windows.capacity_view(capacity),
        "fresh_days": windows.FRESH_DAYS})


def _provider_search(request):
    """(ProviderPage or None, error) for the GET filters of the provider search."""
    if not request.GET:
        return None, ""
    try:
        params = selectors.parse_params(request.GET)
        need = referrals.parse_need(request.GET)
    except selectors.SearchError as error:
        return None, str(error)
    except AppError as error:
        return None, error.message
    try:
        page = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        page = 1
    return referrals.search_providers(params, need, page=page), ""


@professional_required
def referral_new(request):
    """Search providers by need and place, pick some and send them one request."""
    result, error = _provider_search(request)
    patients = list(referrals.patients_to_refer(request.user))
    # Its own ids: the search form above has a `need` field too.
    form = ReferralForm(request.POST or None, patients=patients, auto_id="referral_%s",
                        initial={"patient": request.GET.get("patient", "")})
    chosen = request.POST.getlist("facility")
    if request.method == "POST" and form.is_valid():
        try:
            referral = referrals.send_request(
                user=request.user, facility_ids=chosen, need=form.cleaned_data["need"],
                place=request.GET.get("near", ""), conditions=_conditions(request),
                patient_id=form.cleaned_data["patient"] or None, request=request)
        except AppError as invalid:
            show_error(request, invalid, form)
        except PermissionDenied as denied:
            return _denied(request, str(denied))
        else:
            messages.success(request, f"{referral.answers.count()}か所に受け入れ依頼を送りました。回答はこの画面に表示されます。")
            return redirect("directory:referral_detail", pk=referral.pk)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "directory/referral_new.html", {
        "search_form": ProviderSearchForm(request.GET or None), "result": result, "error": error, "form": form,
        "chosen": chosen, "query": query.urlencode(), "max_providers": referrals.MAX_PROVIDERS},
        status=400 if error else 200)


def _conditions(request):
    keys = ["near", "radius_m", "kind", "need", "new", "fresh", "window", "municipality", "q"]
    return {k: request.GET.getlist(k) for k in keys if request.GET.getlist(k)}


@professional_required
def referral_list(request):
    """The requests the user sent (with each provider's answer) and the requests the user's facilities received."""
    sent = paginate(request, referrals.sent_by(request.user), REFERRALS_PER_PAGE)
    received = list(referrals.received_by(request.user)[:50])
    return render(request, "directory/referrals.html", {"page": sent, "received": received,
                                                        "answer_form": AnswerForm()})


@professional_required
def referral_detail(request, pk):
    """One request the user sent, its answers and their times."""
    referral = referrals.get_sent_or_404(request.user, pk)
    record(action=Action.READ, request=request, obj=referral, patient=referral.patient_id, detail="受け入れ依頼")
    return render(request, "directory/referral_detail.html", {"referral": referral})


@professional_required
@require_POST
def referral_answer(request, answer_id):
    """A provider's member accepts or declines a request."""
    referrals.get_received_or_404(request.user, answer_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "受け入れるかお断りするかを選んでください。")
        return redirect("directory:referrals")
    try:
        answer = referrals.answer_request(user=request.user, answer_id=answer_id,
                                          accept=form.cleaned_data["decision"] == "accept",
                                          reason=form.cleaned_data["reason"], request=request)
    except AppError as invalid:
        show_error(request, invalid)
        return redirect("directory:referrals")
    if answer.invited:
        messages.success(request, "受け入れを回答しました。患者のケアチームへの招待が届いています（「患者」から参加してください）。")
    else:
        messages.success(request, "回答を送りました。")
    return redirect("directory:referrals")
