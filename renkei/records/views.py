"""Pages of the program records: council and subcommittees, consultations, events, surveys, pamphlets, regional."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from renkei.core.audit import Action, record
from renkei.core.auth import role_required
from renkei.core.figures import ITEMS
from renkei.core.wareki import fiscal_year

from . import forms, selectors, services
from .models import (
    Body,
    Consultation,
    Countermeasure,
    Event,
    FollowUpStatus,
    Issue,
    IssueStatus,
    Meeting,
    MeetingAttachment,
    Pamphlet,
    PamphletEdition,
    Progress,
    RegionalActivity,
    Survey,
    SurveyInvitation,
    SurveyKind,
)
from .rules import months_after

PAGE_SIZE = 50
MAX_REGISTRATIONS = 1000
staff_only = role_required("staff")
staff_or_coordinator = role_required("staff", "coordinator")


def apply_errors(form, error):
    """Put a service's ValidationError next to the form's fields (or above the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _save(request, form, save, success):
    """Validate the form, call the service, report errors on the form; return the saved object or None."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        obj = save(form.cleaned_data)
    except ValidationError as error:
        apply_errors(form, error)
        return None
    messages.success(request, success)
    return obj


def _form_page(request, form, title, back, **extra):
    return render(request, "records/form.html", {"form": form, "title": title, "back": back, **extra})


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _fy(request):
    try:
        return int(request.GET.get("fy") or fiscal_year(timezone.localdate()))
    except ValueError:
        return fiscal_year(timezone.localdate())


@staff_or_coordinator
def index(request):
    """The records home: this fiscal year at a glance and links to every record."""
    fy = fiscal_year(timezone.localdate())
    from .figures import annual_figures

    figures = [(ITEMS[f.item], f) for f in annual_figures([fy])]
    open_countermeasures = Countermeasure.objects.exclude(progress__in=[Progress.DONE, Progress.DROPPED]).count()
    open_follow_ups = Consultation.objects.filter(follow_up_status=FollowUpStatus.OPEN).count()
    return render(
        request,
        "records/index.html",
        {"fy": fy, "figures": figures, "open_countermeasures": open_countermeasures, "open_follow_ups": open_follow_ups},
    )


# --- consultations (オ) -------------------------------------------------------------------------------


def _visible_patients(user):
    try:
        from renkei.network.selectors import patients_visible_to
    except ImportError:
        return []
    return list(patients_visible_to(user)[:500])


@staff_or_coordinator
def consultation_list(request):
    form = forms.ConsultationSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = _page(request, selectors.consultations_search(**{k: v for k, v in filters.items() if v}))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "records/consultation_list.html", {"form": form, "page": page, "query": query.urlencode()})


@staff_or_coordinator
def consultation_new(request):
    form = forms.ConsultationForm(request.POST or None, patients=_visible_patients(request.user))
    obj = _save(
        request,
        form,
        lambda data: services.save_consultation(
            user=request.user, data=data, patient_id=data.get("patient_ref"), request=request
        ),
        "相談を記録しました。",
    )
    if obj:
        return redirect("records:consultation_detail", pk=obj.pk)
    return _form_page(request, form, "相談の記録", reverse("records:consultation_list"))


@staff_or_coordinator
def consultation_edit(request, pk):
    consultation = get_object_or_404(Consultation, pk=pk)
    form = forms.ConsultationForm(request.POST or None, instance=consultation, patients=_visible_patients(request.user))
    obj = _save(
        request,
        form,
        lambda data: services.save_consultation(
            user=request.user, data=data, consultation=consultation, patient_id=data.get("patient_ref"), request=request
        ),
        "相談の記録を更新しました。",
    )
    if obj:
        return redirect("records:consultation_detail", pk=obj.pk)
    return _form_page(request, form, "相談の記録を編集", reverse("records:consultation_detail", args=[pk]))


@staff_or_coordinator
def consultation_detail(request, pk):
    consultation = get_object_or_404(Consultation.objects.select_related("recorded_by"), pk=pk)
    patient = services.visible_patient(request.user, consultation.patient_ref) if consultation.patient_ref else None
    if patient is not None:
        record(action=Action.READ, request=request, obj=consultation, patient=patient, detail="consultation")
    return render(request, "records/consultation_detail.html", {"c": consultation, "patient": patient})


@staff_or_coordinator
def consultation_stats(request):
    """Monthly counts of one fiscal year and yearly counts of the last five, by category and by asker."""
    fy = _fy(request)
    years = list(range(fy - 4, fy + 1))
    context = {
        "fy": fy,
        "years": years,
        "monthly_category": selectors.consultation_monthly_table(fy, "category"),
        "monthly_asker": selectors.consultation_monthly_table(fy, "asker_profession"),
        "yearly_category": selectors.consultation_yearly_table(years, "category"),
        "yearly_asker": selectors.consultation_yearly_table(years, "asker_profession"),
        "prev": fy - 1,
        "next": fy + 1,
    }
    return render(request, "records/consultation_stats.html", context)


# --- council and subcommittees (イ) ------------------------------------------------------------------


@staff_or_coordinator
def body_list(request):
    return render(request, "records/body_list.html", {"bodies": selectors.bodies_with_members()})


@staff_or_coordinator
def body_detail(request, pk):
    body = get_object_or_404(Body.objects.prefetch_related("members"), pk=pk)
    context = {
        "body": body,
        "meetings": selectors.meetings_list(body)[:100],
        "issues": selectors.issues_list(body=body)[:100],
    }
    return render(request, "records/body_detail.html", context)


@staff_only
def meeting_new(request):
    initial = {"body": request.GET.get("body")} if request.GET.get("body") else None
    form = forms.MeetingForm(request.POST or None, initial=initial)
    obj = _save(request, form, lambda data: services.save_meeting(user=request.user, data=data, request=request), "会議を記録しました。")
    if obj:
        return redirect("records:meeting_detail", pk=obj.pk)
    return _form_page(request, form, "会議の記録", reverse("records:body_list"))


@staff_only
def meeting_edit(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = forms.MeetingForm(request.POST or None, instance=meeting)
    obj = _save(
        request, form, lambda data: services.save_meeting(user=request.user, data=data, meeting=meeting, request=request),
        "会議の記録を更新しました。",
    )
    if obj:
        return redirect("records:meeting_detail", pk=obj.pk)
    return _form_page(request, form, "会議の記録を編集", reverse("records:meeting_detail", args=[pk]))


@staff_or_coordinator
def meeting_detail(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    form = forms.AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not request.user.is_municipal_staff:
            raise Http404
        if form.is_valid():
            services.add_meeting_attachment(user=request.user, meeting=meeting, upload=form.cleaned_data["file"], request=request)
            messages.success(request, "資料を添付しました。")
            return redirect("records:meeting_detail", pk=pk)
    context = {"meeting": meeting, "attachments": meeting.attachments.all(), "issues": meeting.issues.all(), "form": form}
    return render(request, "records/meeting_detail.html", context)


@staff_or_coordinator
def attachment_download(request, pk):
    attachment = get_object_or_404(MeetingAttachment, pk=pk)
    record(action=Action.DOWNLOAD, request=request, obj=attachment)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@staff_or_coordinator
def issue_list(request):
    item = request.GET.get("item", "")
    status = request.GET.get("status", "")
    page = _page(request, selectors.issues_list(item=item if item in ITEMS else "", status=status))
    return render(
        request,
        "records/issue_list.html",
        {"page": page, "items": forms.ITEM_FILTER, "item": item, "statuses": IssueStatus.choices, "status": status},
    )


@staff_only
def issue_new(request):
    form = forms.IssueForm(request.POST or None, initial={"body": request.GET.get("body")})
    obj = _save(request, form, lambda data: services.save_issue(user=request.user, data=data, request=request), "課題を登録しました。")
    if obj:
        return redirect("records:issue_detail", pk=obj.pk)
    return _form_page(request, form, "課題の登録", reverse("records:issue_list"))


@staff_or_coordinator
def issue_detail(request, pk):
    issue = get_object_or_404(Issue.objects.select_related("body", "meeting"), pk=pk)
    form = forms.CountermeasureForm(request.POST or None, initial={"item": issue.item})
    if request.method == "POST" and not request.user.is_municipal_staff:
        raise Http404
    obj = _save(
        request, form, lambda data: services.save_countermeasure(user=request.user, data=data, issue=issue, request=request),
        "対応策を登録しました。",
    )
    if obj:
        return redirect("records:issue_detail", pk=pk)
    return render(request, "records/issue_detail.html", {"issue": issue, "countermeasures": issue.countermeasures.all(), "form": form})


@staff_only
def countermeasure_edit(request, pk):
    countermeasure = get_object_or_404(Countermeasure.objects.select_related("issue"), pk=pk)
    form = forms.CountermeasureForm(request.POST or None, instance=countermeasure)
    obj = _save(
        request, form,
        lambda data: services.save_countermeasure(user=request.user, data=data, countermeasure=countermeasure, request=request),
        "対応策を更新しました。",
    )
    if obj:
        return redirect("records:issue_detail", pk=countermeasure.issue_id)
    return _form_page(request, form, "対応策の更新", reverse("records:issue_detail", args=[countermeasure.issue_id]))


# --- events, registrations and surveys (カ, キ) ----------------------------------------------------------


@staff_or_coordinator
def event_list(request):
    audience = request.GET.get("audience", "")
    page = _page(request, selectors.events_list(audience=audience if audience in ("professionals", "residents") else ""))
    return render(request, "records/event_list.html", {"page": page, "audience": audience})


@staff_only
def event_new(request):
    form = forms.EventForm(request.POST or None)
    obj = _save(request, form, lambda data: services.save_event(user=request.user, data=data, request=request), "イベントを登録しました。")
    if obj:
        return redirect("records:event_detail", pk=obj.pk)
    return _form_page(request, form, "研修・普及啓発イベントの登録", reverse("records:event_list"))


@staff_only
def event_edit(request, pk):
    event = get_object_or_404(Event, pk=pk)
    form = forms.EventForm(request.POST or None, instance=event)
    obj = _save(
        request, form, lambda data: services.save_event(user=request.user, data=data, event=event, request=request),
        "イベントを更新しました（参加者数など）。",
    )
    if obj:
        return redirect("records:event_detail", pk=pk)
    return _form_page(request, form, "イベントの編集・参加者数の記録", reverse("records:event_detail", args=[pk]))


@staff_or_coordinator
def event_detail(request, pk):
    event = get_object_or_404(Event, pk=pk)
    form = forms.RegistrationForm(request.POST or None)
    if request.method == "POST" and not request.user.is_municipal_staff:
        raise Http404
    obj = _save(
        request, form, lambda data: services.add_registration(user=request.user, event=event, data=data, request=request),
        "申込を登録しました。",
    )
    if obj:
        return redirect("records:event_detail", pk=pk)
    context = {
        "event": event,
        "registrations": event.registrations.all()[:MAX_REGISTRATIONS],
        "by_profession": selectors.event_registrations_by_profession(event),
        "surveys": event.surveys.all(),
        "form": form,
    }
    return render(request, "records/event_detail.html", context)


@require_POST
@staff_only
def event_attendance(request, pk):
    """Tick who attended; for an event open to registrants only, the attendance becomes the participants."""
    event = get_object_or_404(Event, pk=pk)
    ids = {int(v) for v in request.POST.getlist("attended") if v.isdigit()}
    try:
        services.record_attendance(user=request.user, event=event, attended_ids=ids, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "出席を記録しました。")
    return redirect("records:event_detail", pk=pk)


@staff_only
def survey_new(request, event_pk):
    event = get_object_or_404(Event, pk=event_pk)
    kind = SurveyKind.FOLLOW_UP if request.GET.get("kind") == SurveyKind.FOLLOW_UP else SurveyKind.AFTER
    opens_on = months_after(event.ends_on, 3) if kind == SurveyKind.FOLLOW_UP else event.ends_on
    initial = {"kind": kind, "title": f"{event.title} {kind.label}", "opens_on": opens_on}
    form = forms.SurveyForm(request.POST or None, initial=initial)
    obj = _save(request, form, lambda data: services.create_survey(user=request.user, event=event, data=data, request=request), "アンケートを作成しました。")
    if obj:
        return redirect("records:survey_detail", pk=obj.pk)
    return _form_page(request, form, f"アンケートの作成（{event.title}）", reverse("records:event_detail", args=[event.pk]))


@staff_or_coordinator
def survey_detail(request, pk):
    survey = get_object_or_404(Survey.objects.select_related("event"), pk=pk)
    form = forms.QuestionForm(request.POST or None)
    if request.method == "POST" and not request.user.is_municipal_staff:
        raise Http404
    obj = _save(request, form, lambda data: services.add_question(user=request.user, survey=survey, data=data, request=request), "設問を追加しました。")
    if obj:
        return redirect("records:survey_detail", pk=pk)
    invitations = survey.invitations.select_related("registration").order_by("registration_id")
    context = {
        "survey": survey,
        "form": form,
        "results": selectors.survey_results(survey),
        "invitations": invitations,
        "base_url": request.build_absolute_uri("/")[:-1],
    }
    return render(request, "records/survey_detail.html", context)


@require_POST
@staff_only
def survey_invite(request, pk):
    survey = get_object_or_404(Survey, pk=pk)
    n = services.invite_participants(user=request.user, survey=survey, request=request)
    messages.success(request, f"{n}名分の回答用リンクを作成しました。")
    return redirect("records:survey_detail", pk=pk)


def survey_answer(request, token):
    """The public answer page of one participant's unique link (no login: participants have no account)."""
    invitation = get_object_or_404(SurveyInvitation.objects.select_related("survey__event", "registration"), token=token)
    survey = invitation.survey
    questions = list(survey.questions.all())
    error = None
    if request.method == "POST" and invitation.answered_at is None:
        answers = {q.pk: request.POST.get(f"q{q.pk}", "").strip() for q in questions}
        try:
            services.submit_answers(invitation=invitation, answers=answers)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return render(request, "records/survey_thanks.html", {"survey": survey})
    return render(
        request,
        "records/survey_answer.html",
        {"invitation": invitation, "survey": survey, "questions": questions, "error": error, "posted": request.POST},
        status=400 if error else 200,
    )


# --- pamphlets (キ) and regional cooperation (ク) -----------------------------------------------------------


@staff_or_coordinator
def pamphlet_list(request):
    form = forms.PamphletForm(request.POST or None)
    if request.method == "POST" and not request.user.is_municipal_staff:
        raise Http404

    def create(data):
        pamphlet = Pamphlet(**data)
        pamphlet.full_clean()
        pamphlet.save()
        record(action=Action.CREATE, request=request, obj=pamphlet)
        return pamphlet

    if _save(request, form, create, "パンフレットを登録しました。"):
        return redirect("records:pamphlet_list")
    return render(request, "records/pamphlet_list.html", {"pamphlets": selectors.pamphlets_with_editions(), "form": form})


@staff_only
def edition_new(request, pamphlet_pk):
    pamphlet = get_object_or_404(Pamphlet, pk=pamphlet_pk)
    form = forms.EditionForm(request.POST or None)
    if _save(request, form, lambda data: services.add_pamphlet_edition(user=request.user, pamphlet=pamphlet, data=data, request=request), "版を登録しました。"):
        return redirect("records:pamphlet_list")
    return _form_page(request, form, f"版の登録（{pamphlet.title}）", reverse("records:pamphlet_list"))


@staff_only
def distribution_new(request, edition_pk):
    edition = get_object_or_404(PamphletEdition.objects.select_related("pamphlet"), pk=edition_pk)
    form = forms.DistributionForm(request.POST or None)
    if _save(request, form, lambda data: services.add_pamphlet_distribution(user=request.user, edition=edition, data=data, request=request), "配布を記録しました。"):
        return redirect("records:pamphlet_list")
    return _form_page(request, form, f"配布の記録（{edition}）", reverse("records:pamphlet_list"))


@staff_or_coordinator
def regional_list(request):
    page = _page(request, RegionalActivity.objects.order_by("-held_on", "-id"))
    return render(request, "records/regional_list.html", {"page": page})


@staff_only
def regional_new(request):
    form = forms.RegionalActivityForm(request.POST or None)
    if _save(request, form, lambda data: services.save_regional_activity(user=request.user, data=data, request=request), "連携の記録を登録しました。"):
        return redirect("records:regional_list")
    return _form_page(request, form, "関係市区町村との連携の記録", reverse("records:regional_list"))
