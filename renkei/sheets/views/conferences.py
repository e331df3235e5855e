"""Case conference pages: a patient's conferences, schedule, detail (answer, cancel, tick action items), record."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from renkei.core import access
from renkei.core.audit import Action, record
from renkei.core.auth import verified_required
from renkei.core.errors import AppError, show_error
from renkei.core.paging import paginate

from .. import conferences
from ..forms import CaseConferenceForm, ConferenceRecordForm
from ..models import ConferenceAction, ConferenceStatus
from .common import first_or_denied, patient_form_page, visible_conference, visible_patient

PER_PAGE = 20



@verified_required
def patient_conferences(request, patient_id):
    patient = visible_patient(request, patient_id)
    found = (access.conferences_visible_to(request.user).filter(patient=patient)
             .select_related("organiser").order_by("-scheduled_at", "-id"))
    page = paginate(request, found, PER_PAGE)
    record(action=Action.READ, request=request, obj=patient, patient=patient, detail="conferences list")
    return render(request, "sheets/conference_list.html", {"patient": patient, "page": page})


@verified_required
def conference_create(request, patient_id):
    patient = visible_patient(request, patient_id)
    form = CaseConferenceForm(request.POST or None, team=conferences.team_users(patient).exclude(pk=request.user.pk),
                          sheets=conferences.sheets_to_discuss(patient))
    return patient_form_page(request, patient, form, lambda data: conferences.schedule(
        user=request.user, patient=patient, kind=data["kind"], scheduled_at=data["scheduled_at"],
        place=data["place"], online_url=data["online_url"], agenda=data["agenda"],
        invitees=list(data["invitees"]), outsiders=data["outsiders"], sheets=list(data["sheets"]),
        request=request,
    ), template="sheets/conference_form.html", done="sheets:conference_detail",
        success="カンファレンスを登録し、招待したメンバーに通知しました。")


@verified_required
def conference_detail(request, pk):
    conference = visible_conference(request, pk)
    attendees = list(conference.attendees.select_related("user"))
    mine = next((a for a in attendees if a.user_id == request.user.pk), None)
    context = {
        "conference": conference, "patient": conference.patient, "attendees": attendees, "mine": mine,
        "actions": list(conference.actions.select_related("owner")),
        "sheets": list(conference.sheets.all()),
        "scheduled": conference.status == ConferenceStatus.SCHEDULED,
    }
    record(action=Action.READ, request=request, obj=conference, patient=conference.patient, detail="conference")
    return render(request, "sheets/conference_detail.html", context)


def _write(request, conference, write, done):
    try:
        write()
    except AppError as error:
        show_error(request, error, patient=conference.patient, obj=conference)
    else:
        messages.success(request, done)
    return redirect("sheets:conference_detail", pk=conference.pk)


@verified_required
@require_POST
def conference_answer(request, pk):
    conference = visible_conference(request, pk)
    accept = request.POST.get("answer") == "accept"
    return _write(request, conference,
                  lambda: conferences.answer(user=request.user, conference=conference, accept=accept, request=request),
                  "出欠の予定を伝えました。")


@verified_required
@require_POST
def conference_cancel(request, pk):
    conference = visible_conference(request, pk)
    return _write(request, conference,
                  lambda: conferences.cancel(user=request.user, conference=conference,
                                             reason=request.POST.get("reason", ""), request=request),
                  "カンファレンスを中止にしました。")


@verified_required
@require_POST
def action_done(request, pk, action_id):
    conference = visible_conference(request, pk)
    action = first_or_denied(
        request, ConferenceAction.objects.filter(conference=conference, pk=action_id), "conference action"
    )
    return _write(request, conference,
                  lambda: conferences.complete_action(user=request.user, action=action, request=request),
                  "行動予定を完了にしました。")


@verified_required
def conference_record(request, pk):
    conference = visible_conference(request, pk)
    if conference.status != ConferenceStatus.SCHEDULED:
        messages.info(request, f"このカンファレンスは{conference.get_status_display()}です。")
        return redirect("sheets:conference_detail", pk=conference.pk)
    form = ConferenceRecordForm(request.POST or None, conference=conference,
                                team=conferences.team_users(conference.patient),
                                initial={"held_at": conference.scheduled_at})
    if request.method == "POST" and form.is_valid():
        try:
            conferences.record_held(user=request.user, conference=conference,
                                    held_at=form.cleaned_data["held_at"], text=form.cleaned_data["record"],
                                    attendance=form.attendance(), actions=form.actions(), request=request)
        except AppError as error:
            show_error(request, error, form, patient=conference.patient, obj=conference)
        else:
            messages.success(request, "記録を保存し、タイムラインに掲載しました。")
            return redirect("sheets:conference_detail", pk=conference.pk)
    return render(request, "sheets/conference_record.html",
                  {"conference": conference, "patient": conference.patient, "form": form},
                  status=400 if form.errors else 200)
