"""Writes of the program records: validate, save, audit. Keyword-only arguments throughout.

A new top-level record belongs to the city in `data["municipality"]` (one the user acts for; forms and
the API choose it); a child (meeting, issue, edition, registration…) belongs to its parent's city, and a
parent of another city is refused. Editing never moves a record to another city.
"""
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from renkei.core.access import NOT_FOUND, acts_for, area_municipalities, city_id_of, patients_visible_to
from renkei.core.audit import Action, record
from renkei.core.backup.files import sha256_upload
from renkei.core.errors import AppError, full_clean

from . import rules
from .models import (
    Answer,
    Consultation,
    Countermeasure,
    Delivery,
    Event,
    EventStatus,
    Issue,
    Meeting,
    MeetingAttachment,
    Pamphlet,
    PamphletDistribution,
    PamphletEdition,
    Question,
    QuestionKind,
    RegionalActivity,
    Registration,
    Survey,
    SurveyInvitation,
)

CONSULTATION_FIELDS = (
    "received_on", "channel", "asker_profession", "asker_organisation", "category", "summary",
    "response", "referral", "minutes_spent", "follow_up", "follow_up_status",
)
EVENT_FIELDS = (
    "title", "theme", "kind", "audience", "delivery", "status", "venue", "starts_on", "ends_on",
    "registration_required", "registered_count", "participants", "online_accounts", "notes",
)


def _raise(check):
    if not check.ok:
        raise AppError(check.fields or check.reasons, status=422)


def visible_patient(user, patient_id):
    """The patient with this id if the user is on its care team, else None (the one access rule)."""
    return patients_visible_to(user).filter(pk=patient_id).first()


def _patient_link(user, patient_id):
    if not patient_id:
        return None
    patient = visible_patient(user, patient_id)
    if patient is None:
        raise AppError(
            {"patient_ref": "この患者とは関連付けできません。関連付けできるのは、あなたが担当チームに入っている患者だけです。"}, status=422)
    return patient


def _assign(obj, fields, data):
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


def _new_city(user, data):
    """The city of a new record: `data["municipality"]`, which must be one of the user's (404 otherwise)."""
    municipality = data.get("municipality")
    if municipality is None:
        raise AppError({"municipality": "市区町村を選んでください。"}, status=422)
    if not acts_for(user, municipality):
        raise Http404(NOT_FOUND)
    return municipality


def _parent_in_my_cities(user, parent, field, message):
    """A parent record chosen in a form or call must be of one of the user's cities (422 on the field)."""
    if parent is not None and not acts_for(user, city_id_of(parent)):
        raise AppError({field: message}, status=422)
    return parent


def _mine_or_404(user, obj):
    """A record (or a child's parent) being written must be of one of the user's cities: 404 as if missing."""
    if obj is not None and obj.pk is not None and not acts_for(user, city_id_of(obj)):
        raise Http404(NOT_FOUND)
    return obj


def _create(obj, *, user, request, detail=""):
    """Check, save and audit a new record (its parent already checked with _mine_or_404)."""
    full_clean(obj)
    obj.save()
    record(action=Action.CREATE, request=request, actor=user, obj=obj, detail=detail)
    return obj


def _save_unique(obj, field, message):
    """Save a record whose name is unique per city: a duplicate is a message on the field, never a 500."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:
        raise AppError({field: message}, status=422) from error


def save_consultation(*, user, data, consultation=None, patient_id="", request=None):
    """Create or update a consultation; the patient link only to a patient on the user's team."""
    _mine_or_404(user, consultation)
    _raise(rules.check_received_on(data["received_on"], timezone.localdate()))
    keep_link = consultation is not None and patient_id and patient_id == consultation.patient_ref
    patient = None if keep_link else _patient_link(user, patient_id)
    creating = consultation is None
    consultation = consultation or Consultation(recorded_by=user, municipality=_new_city(user, data))
    _assign(consultation, CONSULTATION_FIELDS, data)
    if not keep_link:
        consultation.patient_ref = str(patient.pk) if patient is not None else ""
    full_clean(consultation)
    consultation.save()
    record(
        action=Action.CREATE if creating else Action.UPDATE,
        request=request,
        actor=user,
        obj=consultation,
        patient=patient,
        detail="consultation",
    )
    return consultation


def _event_facts(event, registered=None):
    if registered is None:
        registered = event.registrations.count() if event.pk else 0
        if not registered:
            registered = event.registered_count
    return rules.EventFacts(
        starts_on=event.starts_on,
        ends_on=event.ends_on,
        registration_required=event.registration_required,
        registered=registered,
        participants=event.participants,
        online_accounts=event.online_accounts,
        online=event.delivery in (Delivery.ONLINE, Delivery.STREAMED),
        cancelled=event.status == EventStatus.CANCELLED,
        today=timezone.localdate(),
    )


def save_event(*, user, data, event=None, request=None):
    """Create or update an event after checking its dates and attendance."""
    creating = event is None
    _mine_or_404(user, event)
    event = event or Event(created_by=user, municipality=_new_city(user, data))
    _assign(event, EVENT_FIELDS, data)
    if event.participants is not None and event.status == EventStatus.PLANNED and event.starts_on <= timezone.localdate():
        event.status = EventStatus.HELD
    _raise(rules.check_event(_event_facts(event)))
    full_clean(event)
    event.save()
    record(action=Action.CREATE if creating else Action.UPDATE, request=request, actor=user, obj=event, detail="event")
    return event


def add_registration(*, user, event, data, request=None):
    """Register a participant for an event."""
    _mine_or_404(user, event)
    return _create(Registration(event=event, **data), user=user, request=request, detail=f"event {event.pk}")


def record_attendance(*, user, event, attended_ids, request=None):
    """Mark who of the registrants attended; an event open to registrants only takes that count as participants."""
    _mine_or_404(user, event)
    with transaction.atomic():
        event.registrations.update(attended=False)
        event.registrations.filter(pk__in=attended_ids).update(attended=True)
        if event.registration_required:
            event.participants = event.registrations.filter(attended=True).count()
            if event.status == EventStatus.PLANNED:
                event.status = EventStatus.HELD
            _raise(rules.check_event(_event_facts(event)))
            event.save(update_fields=["participants", "status"])
    record(action=Action.UPDATE, request=request, actor=user, obj=event, detail=f"attendance {len(attended_ids)}")
    return event


def set_members(*, body, organisations):
    """Make the body's member organisations exactly these, in this order."""
    from .models import BodyMember

    body.members.exclude(organisation__in=organisations).delete()
    for order, organisation in enumerate(organisations, start=1):
        BodyMember.objects.update_or_create(body=body, organisation=organisation, defaults={"order": order})


def save_body(*, user, data, body=None, request=None):
    """Create or update the council or a subcommittee with its items and member organisations (in order)."""
    from .models import Body, BodyKind

    creating = body is None
    _mine_or_404(user, body)
    body = body or Body(municipality=_new_city(user, data))
    _assign(body, ("kind", "name", "council", "term_start", "term_end", "established_on", "secretariat", "order", "items"), data)
    if body.kind == BodyKind.COUNCIL:
        body.council = None
    if body.council is not None and body.council.municipality_id != body.municipality_id:
        raise AppError({"council": "同じ市区町村の協議会を選んでください。"}, status=422)
    if body.term_start and body.term_end and body.term_end < body.term_start:
        raise AppError({"term_end": "任期の終了が開始より前になっています。"}, status=422)
    duplicate = f"{body.municipality}には同じ名称の協議会・部会「{body.name}」がすでにあります。別の名称にしてください。"
    if Body.objects.filter(municipality_id=body.municipality_id, name=body.name).exclude(pk=body.pk).exists():
        raise AppError({"name": duplicate}, status=422)
    full_clean(body)
    with transaction.atomic():
        _save_unique(body, "name", duplicate)
        set_members(body=body, organisations=data.get("members", []))
    record(action=Action.CREATE if creating else Action.UPDATE, request=request, actor=user, obj=body)
    return body


def save_meeting(*, user, data, meeting=None, request=None):
    """Create or update a meeting of a body of the user's cities (it stays in its body's city)."""
    creating = meeting is None
    _mine_or_404(user, meeting)
    city = None if creating else meeting.body.municipality_id
    meeting = meeting or Meeting(created_by=user)
    _assign(meeting, ("body", "held_on", "title", "format", "agenda", "attendees", "minutes"), data)
    _parent_in_my_cities(user, meeting.body, "body", "この協議会・部会は選べません。")
    if city is not None and meeting.body.municipality_id != city:
        raise AppError({"body": "会議を別の市区町村の協議会・部会に移すことはできません。"}, status=422)
    full_clean(meeting)
    meeting.save()
    record(action=Action.CREATE if creating else Action.UPDATE, request=request, actor=user, obj=meeting)
    return meeting


def add_meeting_attachment(*, user, meeting, upload, request=None):
    _mine_or_404(user, meeting)
    attachment = MeetingAttachment(meeting=meeting, file=upload, name=upload.name[:200], sha256=sha256_upload(upload),
                                   uploaded_by=user)
    attachment.save()
    record(action=Action.CREATE, request=request, actor=user, obj=attachment, detail=f"meeting {meeting.pk}")
    return attachment


def save_issue(*, user, data, issue=None, request=None):
    creating = issue is None
    _mine_or_404(user, issue)
    city = None if creating else issue.body.municipality_id
    issue = issue or Issue()
    _assign(issue, ("body", "meeting", "title", "description", "item", "raised_on", "status"), data)
    _parent_in_my_cities(user, issue.body, "body", "この協議会・部会は選べません。")
    if city is not None and issue.body.municipality_id != city:
        raise AppError({"body": "課題を別の市区町村の協議会・部会に移すことはできません。"}, status=422)
    if issue.meeting_id and issue.meeting.body_id != issue.body_id:
        raise AppError({"meeting": "提起された会議は、選んだ協議会・部会の会議から選んでください。"}, status=422)
    full_clean(issue)
    issue.save()
    record(action=Action.CREATE if creating else Action.UPDATE, request=request, actor=user, obj=issue)
    return issue


def save_countermeasure(*, user, data, issue=None, countermeasure=None, request=None):
    creating = countermeasure is None
    _mine_or_404(user, issue if creating else countermeasure)
    countermeasure = countermeasure or Countermeasure(issue=issue, item=issue.item)
    _assign(countermeasure, ("description", "item", "owner", "due_on", "progress", "progress_note"), data)
    full_clean(countermeasure)
    countermeasure.save()
    record(action=Action.CREATE if creating else Action.UPDATE, request=request, actor=user, obj=countermeasure)
    return countermeasure


def may_edit_regional_activity(user, activity):
    """Only the city that recorded an activity (ク) edits it; the cities that took part read it."""
    return acts_for(user, activity.municipality_id)


def save_regional_activity(*, user, data, activity=None, request=None):
    """Record an activity (ク) once, for the recording city, with the area's other cities that took part."""
    creating = activity is None
    if not creating and not may_edit_regional_activity(user, activity):
        raise AppError("この連携の記録は、記録した市区町村の職員だけが編集できます。", status=403)
    activity = activity or RegionalActivity(municipality=_new_city(user, data))
    _assign(activity, ("title", "counterpart", "held_on", "format", "summary"), data)
    participants = None
    if "participants" in data:
        area = {m.pk for m in area_municipalities()}
        chosen = [getattr(m, "pk", m) for m in data["participants"] or ()]
        if any(pk not in area for pk in chosen):
            raise AppError({"participants": "参加した市区町村は、圏域の市区町村から選んでください。"}, status=422)
        participants = sorted(set(chosen) - {activity.municipality_id})
    full_clean(activity)
    with transaction.atomic():
        activity.save()
        if participants is not None:
            activity.participants.set(participants)
    record(action=Action.CREATE if creating else Action.UPDATE, request=request, actor=user, obj=activity)
    return activity


def create_pamphlet(*, user, data, request=None):
    """A pamphlet of one of the user's cities; its title is unique in that city."""
    pamphlet = Pamphlet(municipality=_new_city(user, data), title=data["title"],
                        description=data.get("description", ""))
    duplicate = f"{pamphlet.municipality}には同じ名称のパンフレット「{pamphlet.title}」がすでにあります。"
    if Pamphlet.objects.filter(municipality_id=pamphlet.municipality_id, title=pamphlet.title).exists():
        raise AppError({"title": duplicate}, status=422)
    full_clean(pamphlet)
    _save_unique(pamphlet, "title", duplicate)
    record(action=Action.CREATE, request=request, actor=user, obj=pamphlet)
    return pamphlet


def add_pamphlet_edition(*, user, pamphlet, data, request=None):
    _mine_or_404(user, pamphlet)
    return _create(PamphletEdition(pamphlet=pamphlet, **data), user=user, request=request)


def add_pamphlet_distribution(*, user, edition, data, request=None):
    _mine_or_404(user, edition)
    distribution = PamphletDistribution(edition=edition, **data)
    already = sum(edition.distributions.values_list("copies", flat=True))
    if already + distribution.copies > edition.print_run:
        raise AppError(
            {"copies": f"配布部数の合計（{already + distribution.copies}部）が印刷部数（{edition.print_run}部）を超えています。"}, status=422)
    return _create(distribution, user=user, request=request)


DEFAULT_QUESTIONS = {
    "after": [
        ("研修の内容は業務に役立つと思いますか", QuestionKind.SCALE),
        ("他の職種への理解が深まりましたか", QuestionKind.SCALE),
        ("ご意見・ご感想", QuestionKind.TEXT),
    ],
    "follow_up": [
        ("研修後、他の職種との連携は広がりましたか", QuestionKind.SCALE),
        ("テーマについての知識は深まりましたか", QuestionKind.SCALE),
        ("研修後に実践したこと", QuestionKind.TEXT),
    ],
}


def create_survey(*, user, event, data, request=None):
    """A survey for an event, with a starting set of questions that staff can change."""
    _mine_or_404(user, event)
    survey = Survey(event=event, **data)
    full_clean(survey)
    with transaction.atomic():
        survey.save()
        Question.objects.bulk_create(
            Question(survey=survey, text=text, kind=kind, order=i)
            for i, (text, kind) in enumerate(DEFAULT_QUESTIONS[survey.kind], start=1)
        )
    record(action=Action.CREATE, request=request, actor=user, obj=survey)
    return survey


def add_question(*, user, survey, data, request=None):
    _mine_or_404(user, survey)
    question = Question(survey=survey, order=survey.questions.count() + 1, **data)
    full_clean(question)
    question.save()
    record(action=Action.UPDATE, request=request, actor=user, obj=survey, detail="question added")
    return question


def invite_participants(*, user, survey, request=None):
    """Give every registered participant of the event a unique answer link; returns how many are new."""
    _mine_or_404(user, survey)
    existing = set(survey.invitations.values_list("registration_id", flat=True))
    new = [
        SurveyInvitation(survey=survey, registration_id=pk)
        for pk in survey.event.registrations.values_list("id", flat=True)
        if pk not in existing
    ]
    SurveyInvitation.objects.bulk_create(new)
    record(action=Action.UPDATE, request=request, actor=user, obj=survey, detail=f"{len(new)} invitations")
    return len(new)


def submit_answers(*, invitation, answers):
    """Store one participant's answers (question id → value); each link answers once."""
    if invitation.answered_at is not None:
        raise AppError("このアンケートにはすでに回答いただいています。", status=422)
    today = timezone.localdate()
    survey = invitation.survey
    if today < survey.opens_on or (survey.closes_on and today > survey.closes_on):
        raise AppError("このアンケートは現在回答を受け付けていません。", status=422)
    rows = []
    for question in survey.questions.all():
        value = answers.get(question.pk)
        if question.kind == QuestionKind.SCALE:
            if value in (None, ""):
                raise AppError(f"「{question.text}」に回答してください。", status=422)
            try:
                scale = int(value)
            except (TypeError, ValueError):
                scale = 0
            if not 1 <= scale <= 5:
                raise AppError(f"「{question.text}」は1〜5で回答してください。", status=422)
            rows.append(Answer(invitation=invitation, question=question, scale=scale))
        elif value:
            rows.append(Answer(invitation=invitation, question=question, text=str(value)[:4000]))
    with transaction.atomic():
        Answer.objects.bulk_create(rows)
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["answered_at"])
    return invitation
