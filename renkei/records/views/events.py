"""Pages of trainings and outreach events (items カ, キ): registrations, attendance, questionnaires."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from renkei.core.access import get_in_my_cities_or_404
from renkei.core.errors import AppError, attempt
from renkei.core.paging import paginate

from .. import forms, selectors, services
from ..models import (
    Event,
    Survey,
    SurveyInvitation,
    SurveyKind,
)
from ..rules import months_after
from .common import (
    MAX_REGISTRATIONS,
    PAGE_SIZE,
    city_filter,
    form_flow,
    record_form,
    save_form,
    staff_only,
    staff_or_coordinator,
)


@staff_or_coordinator
def event_list(request):
    audience = request.GET.get("audience", "")
    audience = audience if audience in ("professionals", "residents") else ""
    city, city_context = city_filter(request)
    page = paginate(request, selectors.events_list(request.user, audience=audience, city=city), PAGE_SIZE)
    return render(request, "records/event_list.html", {
        "page": page, "audience": audience, "keep": f"audience={audience}&" if audience else "",
        "city_query": f"&city={city.code}" if city else "", **city_context})


@staff_only
def event_new(request):
    return record_form(request, forms.EventForm, services.save_event, success="イベントを登録しました。",
                       title="研修・普及啓発イベントの登録", back=reverse("records:event_list"), done="records:event_detail")


@staff_only
def event_edit(request, pk):
    event = get_in_my_cities_or_404(request.user, Event, pk)
    return record_form(request, forms.EventForm, services.save_event, instance=event, saved_as="event",
                       success="イベントを更新しました（参加者数など）。", title="イベントの編集・参加者数の記録",
                       back=reverse("records:event_detail", args=[pk]), done="records:event_detail")


@staff_or_coordinator
def event_detail(request, pk):
    event = get_in_my_cities_or_404(request.user, Event.objects.select_related("municipality"), pk)
    form = forms.RegistrationForm(request.POST or None)
    obj = save_form(
        request, form, lambda data: services.add_registration(user=request.user, event=event, data=data, request=request),
        "申込を登録しました。",
        staff_writes=True,
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
    event = get_in_my_cities_or_404(request.user, Event, pk)
    ids = {int(v) for v in request.POST.getlist("attended") if v.isdigit()}
    attempt(request, lambda: services.record_attendance(user=request.user, event=event, attended_ids=ids,
                                                        request=request), "出席を記録しました。")
    return redirect("records:event_detail", pk=pk)


@staff_only
def survey_new(request, event_pk):
    event = get_in_my_cities_or_404(request.user, Event, event_pk)
    kind = SurveyKind.FOLLOW_UP if request.GET.get("kind") == SurveyKind.FOLLOW_UP else SurveyKind.AFTER
    opens_on = months_after(event.ends_on, 3) if kind == SurveyKind.FOLLOW_UP else event.ends_on
    initial = {"kind": kind, "title": f"{event.title} {kind.label}", "opens_on": opens_on}
    form = forms.SurveyForm(request.POST or None, initial=initial)
    return form_flow(
        request, form, lambda data: services.create_survey(user=request.user, event=event, data=data, request=request),
        success="アンケートを作成しました。", title=f"アンケートの作成（{event.title}）", back=reverse("records:event_detail", args=[event.pk]), done="records:survey_detail",
    )


@staff_or_coordinator
def survey_detail(request, pk):
    survey = get_in_my_cities_or_404(request.user, Survey.objects.select_related("event"), pk)
    form = forms.QuestionForm(request.POST or None)
    obj = save_form(request, form, lambda data: services.add_question(user=request.user, survey=survey, data=data, request=request), "設問を追加しました。", staff_writes=True)
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
    survey = get_in_my_cities_or_404(request.user, Survey.objects.select_related("event"), pk)
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
        except AppError as exc:
            error = exc.message
        else:
            return render(request, "records/survey_thanks.html", {"survey": survey})
    return render(
        request,
        "records/survey_answer.html",
        {"invitation": invitation, "survey": survey, "questions": questions, "error": error, "posted": request.POST},
        status=400 if error else 200,
    )
