"""Writes of the program records: validate, save, audit. Keyword-only arguments throughout."""
from django.db import transaction
from django.utils import timezone

from renkei.core.access import patients_visible_to
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


def save_consultation(*, user, data, consultation=None, patient_id="", request=None):
    """Create or update a consultation; the patient link only to a patient on the user's team."""
    _raise(rules.check_received_on(data["received_on"], timezone.localdate()))
    keep_link = consultation is not None and patient_id and patient_id == consultation.patient_ref
    patient = None if keep_link else _patient_link(user, patient_id)
    creating = consultation is None
    consultation = consultation or Consultation(recorded_by=user)
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
    event = event or Event(created_by=user)
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
    registration = Registration(event=event, **data)
    full_clean(registration)
    registration.save()
    record(action=Action.CREATE, request=request, actor=user, obj=registration, detail=f"event {event.pk}")
    return registration


def record_attendance(*, user, event, attended_ids, request=None):
    """Mark who of the registrants attended; an event open to registrants only takes that count as participants."""
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
    body = body or Body()
    _assign(body, ("kind", "name", "council", "term_start", "term_end", "established_on", "secretariat", "order", "items"), data)
    if body.kind == BodyKind.COUNCIL:
        body.council = None
    if body.term_start and body.term_end and body.term_end < body.term_start:
        raise AppError({"term_end": "任期の終了が開始より前になっています。"}, status=422)
    full_clean(body)
    with transaction.atomic():
        body.save()
        set_members(body=body, organisations=data.get("members", []))
    record(action=Action.CREATE if creating else Action.UPDATE, request=request, actor=user, obj=body)
    return body


def save_meeting(*, user, data, meeting=None, request=None):
    creating = meeting is None
    meeting = meeting or Meeting(created_by=user)
    _assign(meeting, ("body", "held_on", "title", "format", "agenda", "attendees", "minutes"), data)
    full_clean(meeting)
    meeting.save()
    record(action=Action.CREATE if creating else Action.UPDATE, request=request, actor=user, obj=meeting)
    return meeting


def add_meeting_attachment(*, user, meeting, upload, request=None):
    attachment = MeetingAttachment(meeting=meeting, file=upload, name=upload.name[:200], sha256=sha256_upload(upload),
                                   uploaded_by=user)
    attachment.save()
    record(action=Action.CREATE, request=request, actor=user, obj=attachment, detail=f"meeting {meeting.pk}")
    return attachment


def save_issue(*, user, data, issue=None, request=None):
    creating = issue is None
    issue = issue or Issue()
    _assign(issue, ("body", "meeting", "title", "description", "item", "raised_on", "status"), data)
    if issue.meeting_id and issue.meeting.body_id != issue.body_id:
        raise AppError({"meeting": "提起された会議は、選んだ協議会・部会の会議から選んでください。"}, status=422)
    full_clean(issue)
    issue.save()
    record(action=Action.CREATE if creating else Action.UPDATE, request=request, actor=user, obj=issue)
    return issue


def save_countermeasure(*, user, data, issue=None, countermeasure=None, request=None):
    creating = countermeasure is None
    countermeasure = countermeasure or Countermeasure(issue=issue, item=issue.item)
    _assign(countermeasure, ("description", "item", "owner", "due_on", "progress", "progress_note"), data)
    full_clean(countermeasure)
    countermeasure.save()
    record(action=Action.CREATE if creating else Action.UPDATE, request=request, actor=user, obj=countermeasure)
    return countermeasure


def save_regional_activity(*, user, data, activity=None, request=None):
    creating = activity is None
    activity = activity or RegionalActivity()
    _assign(activity, ("title", "counterpart", "held_on", "format", "summary"), data)
    full_clean(activity)
    activity.save()
    record(action=Action.CREATE if creating else Action.UPDATE, request=request, actor=user, obj=activity)
    return activity


def create_pamphlet(*, user, data, request=None):
    pamphlet = Pamphlet(**data)
    full_clean(pamphlet)
    pamphlet.save()
    record(action=Action.CREATE, request=request, actor=user, obj=pamphlet)
    return pamphlet


def add_pamphlet_edition(*, user, pamphlet, data, request=None):
    edition = PamphletEdition(pamphlet=pamphlet, **data)
    full_clean(edition)
    edition.save()
    record(action=Action.CREATE, request=request, actor=user, obj=edition)
    return edition


def add_pamphlet_distribution(*, user, edition, data, request=None):
    distribution = PamphletDistribution(edition=edition, **data)
    already = sum(edition.distributions.values_list("copies", flat=True))
    if already + distribution.copies > edition.print_run:
        raise AppError(
            {"copies": f"配布部数の合計（{already + distribution.copies}部）が印刷部数（{edition.print_run}部）を超えています。"}, status=422)
    full_clean(distribution)
    distribution.save()
    record(action=Action.CREATE, request=request, actor=user, obj=distribution)
    return distribution


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
    question = Question(survey=survey, order=survey.questions.count() + 1, **data)
    full_clean(question)
    question.save()
    record(action=Action.UPDATE, request=request, actor=user, obj=survey, detail="question added")
    return question


def invite_participants(*, user, survey, request=None):
    """Give every registered participant of the event a unique answer link; returns how many are new."""
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
