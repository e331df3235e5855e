"""Every route that takes an id, walked as a signed-in stranger (2FA passed for pages, a token for the API).

A patient, sheet, file, group, back-bed request or dementia case of another care team answers 404,
exactly as a missing one. Records, programs and staff pages are not per-city yet: for them the
stranger is a professional without the staff/coordinator role, and the current answer (403 from the
one role check) is written out per route. A new route with an id fails `test_every_route_with_an_id_is_swept`
until it is added to ROUTES.
"""
import datetime

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from renkei.careplans.models import CarePlan, CarePlanTable
from renkei.core.models import ApiToken, FacilityAdministrator, Profession
from renkei.directory.models import ReferralAnswer, ReferralRequest
from renkei.network.models import (
    Attachment,
    CareTeamMember,
    FamilyAccess,
    Group,
    GroupKind,
    GroupMember,
    MemberStatus,
    Notification,
    NotificationKind,
    ReplyTemplate,
)
from renkei.sheets.models import (
    BackBedRequest,
    CaseConference,
    ConferenceAction,
    DementiaCase,
    ReceivedDocument,
)
from tests.factories import FacilityFactory, UserFactory, api_key
from tests.network.factories import CareTeamMemberFactory, ConsentFactory, PatientFactory, PostFactory
from tests.programs import factories as programs
from tests.records import factories as records
from tests.sheets.factories import BackBedHospitalFactory, SheetFactory

pytestmark = pytest.mark.django_db

# route name: (the kind of object its ids name, the stranger's answer). The API's routes add the method
# and, where the endpoint takes one, a valid body (a body is validated before the endpoint runs).
ROUTES = {
    # patients and everything reached through a patient
    "network:timeline": ("patient", 404),
    "network:poll": ("patient", 404),
    "network:post_create": ("patient", 404),
    "network:vitals_create": ("patient", 404),
    "network:profile": ("patient", 404),
    "network:consent": ("patient", 404),
    "network:consent_withdraw": ("consent", 404),
    "network:team": ("patient", 404),
    "network:team_invite": ("patient", 404),
    "network:team_remove": ("member", 404),
    "network:team_manager": ("member", 404),
    "network:family_timeline": ("patient", 404),
    "network:family_poll": ("patient", 404),
    "network:family_post_create": ("patient", 404),
    "network:family_account_create": ("patient", 404),
    "network:family_account_revoke": ("family_access", 404),
    "network:invitation_respond": ("invitation", 404),
    "network:post_edit": ("post", 404),
    "network:post_retract": ("post", 404),
    "network:post_history": ("post", 404),
    "network:attachment": ("attachment", 404),
    "network:attachment_thumbnail": ("attachment", 404),
    "network:group_timeline": ("group", 404),
    "network:group_poll": ("group", 404),
    "network:group_post_create": ("group", 404),
    "network:group_members": ("group", 404),
    "network:group_invite": ("group", 404),
    "network:group_invitation_respond": ("group_invitation", 404),
    "network:acknowledge_post": ("post", 404),
    "network:acknowledge_sheet": ("sheet_id", 404),
    "network:reply_template_edit": ("reply_template", 404),
    "network:reply_template_delete": ("reply_template", 404),
    "api:acknowledge_post": ("api_post", 404, "post"),
    "api:update_template": ("api_reply_template", 404, "put", {"body": "他人の定型文"}),
    "api:delete_template": ("api_reply_template", 404, "delete"),
    "sheets:patient_sheets": ("patient_id", 404),
    "sheets:create": ("patient_kind", 404),
    "sheets:detail": ("sheet", 404),
    "sheets:edit": ("sheet", 404),
    "sheets:finalise": ("sheet", 404),
    "sheets:revise": ("sheet", 404),
    "sheets:discard": ("sheet", 404),
    "sheets:send": ("sheet", 404),
    "sheets:receipt": ("sheet", 404),
    "sheets:stage": ("sheet", 404),
    "sheets:pdf": ("sheet", 404),
    "sheets:fhir": ("sheet", 404),
    "sheets:backbed_request": ("patient_id", 404),
    "sheets:backbed_detail": ("bed", 404),
    "sheets:dementia_create": ("patient_id", 404),
    "sheets:dementia_detail": ("dementia", 404),
    "sheets:patient_safety": ("patient_id", 404),
    "sheets:received_list": ("patient_id", 404),
    "sheets:received_detail": ("received", 404),
    "sheets:received_pdf": ("received", 404),
    "api:deliver_document": ("api_patient", 404, "post", {"resourceType": "Bundle"}),
    "api:get_document": ("api_received", 404, "get"),
    "api:document_pdf": ("api_received", 404, "get"),
    "medication:patient_medications": ("patient_id", 404),
    "medication:read": ("patient_id", 404),
    "api:list_medications": ("api_patient", 404, "get"),
    "api:import_jahis": ("api_patient", 404, "post", {"text": "JAHISTC08,1"}),
    "careplans:plan": ("patient_id", 404),
    "careplans:import": ("patient_id", 404),
    "careplans:csv": ("patient_table", 404),
    "api:get_careplan": ("api_patient", 404, "get"),
    "api:import_careplan": ("api_patient", 404, "post"),
    "api:export_careplan": ("api_patient", 404, "get"),
    "sheets:conferences": ("patient_id", 404),
    "sheets:conference_create": ("patient_id", 404),
    "sheets:conference_detail": ("conference", 404),
    "sheets:conference_answer": ("conference", 404),
    "sheets:conference_cancel": ("conference", 404),
    "sheets:conference_record": ("conference", 404),
    "sheets:conference_action_done": ("conference_action", 404),
    "api:list_conferences": ("api_patient", 404, "get"),
    "api:schedule_conference": ("api_patient", 404, "post", {"kind": "discharge", "scheduled_at": "2030-04-01T10:00",
                                                             "place": "病院"}),
    "api:get_conference": ("api_conference", 404, "get"),
    "api:answer_conference": ("api_conference", 404, "post", {"accept": True}),
    "api:record_conference": ("api_conference", 404, "post", {"held_at": "2026-04-01T10:00", "record": "x"}),
    "api:get_patient": ("api_patient", 404, "get"),
    "api:list_posts": ("api_patient", 404, "get"),
    "api:create_post": ("api_patient", 404, "post", {"body": "見えない利用者への投稿"}),
    "api:list_sheets": ("api_patient", 404, "get"),
    "api:create_sheet": ("api_patient", 404, "post", {"kind": "admission", "content": {}}),
    "api:request_back_bed": ("api_patient", 404, "post", {"hospital_id": 1, "reason": "respite", "detail": "x",
                                                          "desired_on": "2030-04-01"}),
    "api:get_sheet": ("api_sheet", 404, "get"),
    "api:update_sheet": ("api_sheet", 404, "put", {"content": {}}),
    "api:discard_sheet": ("api_sheet", 404, "delete"),
    "api:finalise_sheet": ("api_sheet", 404, "post"),
    "api:revise_sheet": ("api_sheet", 404, "post"),
    "api:send_sheet": ("api_sheet", 404, "post"),
    "api:confirm_receipt": ("api_sheet", 404, "post"),
    "api:answer_stage": ("api_sheet", 404, "post", {"content": {}}),
    "api:sheet_pdf": ("api_sheet", 404, "get"),
    "api:sheet_fhir": ("api_sheet", 404, "get"),
    "api:answer_back_bed": ("api_bed", 404, "post", {"accept": True}),
    # another account's token and notification
    "core:token_revoke": ("token", 404),
    "api:read_notification": ("api_notification", 404, "post"),
    "api:revoke_token_by_id": ("api_token", 404, "delete"),
    # staff pages of accounts
    "core:registration_detail": ("user", 403),
    "core:registration_approve": ("user", 403),
    "core:registration_reject": ("user", 403),
    "core:registration_withdraw": ("user", 403),
    "core:registration_unlock": ("user", 403),
    # facility administrators (施設管理者): a stranger administers no facility; deciding is the staff's
    "core:facility_withdraw": ("user", 403),
    "api:withdraw_person": ("api_member", 403, "post", {"successor": None}),
    "core:facility_nomination_decide": ("facility_admin", 403),
    # records (items イ–ク): the staff/coordinator role check
    "records:consultation_detail": ("consultation", 403),
    "records:consultation_edit": ("consultation", 403),
    "records:body_detail": ("body", 403),
    "records:body_edit": ("body", 403),
    "records:meeting_detail": ("meeting", 403),
    "records:meeting_edit": ("meeting", 403),
    "records:attachment_download": ("record_attachment", 403),
    "records:issue_detail": ("issue", 403),
    "records:countermeasure_edit": ("countermeasure", 403),
    "records:event_detail": ("event", 403),
    "records:event_edit": ("event", 403),
    "records:event_attendance": ("event", 403),
    "records:survey_new": ("event_pk", 403),
    "records:survey_detail": ("survey", 403),
    "records:survey_invite": ("survey", 403),
    "records:edition_new": ("pamphlet_pk", 403),
    "records:distribution_new": ("edition_pk", 403),
    "records:regional_edit": ("regional", 403),
    "api:get_consultation": ("api_consultation", 403, "get"),
    "api:get_event": ("api_event", 403, "get"),
    "api:get_body": ("api_body", 403, "get"),
    "api:get_meeting": ("api_meeting", 403, "get"),
    "api:get_issue": ("api_issue", 403, "get"),
    "api:get_regional": ("api_regional", 403, "get"),
    "api:get_pamphlet": ("api_pamphlet", 403, "get"),
    "reports:lines": ("fy", 403),
    "reports:line_action": ("report_line", 403),
    # programs: staff only
    "programs:rescue_detail": ("rescue", 403),
    "programs:rescue_bill": ("rescue", 403),
    "programs:rescue_edit": ("rescue", 403),
    "programs:rescue_decide": ("rescue", 403),
    "programs:rescue_dispatch": ("rescue", 403),
    "programs:rescue_visit": ("rescue", 403),
    "programs:restart_detail": ("restart", 403),
    "programs:restart_edit": ("restart", 403),
    "programs:restart_assess": ("restart", 403),
    "programs:restart_confirm": ("restart", 403),
    "programs:restart_pay": ("restart", 403),
    "programs:restart_reject": ("restart", 403),
    "programs:restart_upload": ("restart", 403),
    "programs:restart_document": ("restart_document", 403),
    "programs:linkage_claim": ("claim", 403),
    "programs:linkage_provision_add": ("claim", 403),
    "programs:linkage_provision_delete": ("provision", 403),
    "programs:linkage_approve": ("claim", 403),
    "programs:linkage_return": ("claim", 403),
    "programs:linkage_claim_csv": ("claim", 403),
    "programs:rule_edit": ("program_rule", 403),
    # the directory: facilities are public; editing and deciding are not the stranger's
    "directory:detail": ("facility", 200),
    "api:get_facility": ("api_facility", 200, "get"),
    "directory:edit": ("facility", 403),
    "directory:confirm": ("facility", 403),
    "directory:decide_change": ("change", 403),
    "directory:export": ("format", 200),
    # shared among professionals: another facility's windows and capacity, another user's referral requests
    "directory:windows_edit": ("facility", 403),
    "directory:capacity_edit": ("facility", 403),
    "api:put_capacity": ("api_facility", 403, "put", {"accepting_new": True}),
    "directory:referral_detail": ("referral", 404),
    "directory:referral_answer": ("referral_answer", 404),
    "api:get_referral": ("api_referral", 404, "get"),
    "api:answer_referral": ("api_referral_answer", 404, "post", {"accept": True}),
    # public by design: links that carry their own secret, and the back-bed hospital list (staff)
    "core:password_reset_confirm": ("reset_link", 200),
    "records:survey_answer": ("survey_token", 404),
    "sheets:backbed_hospital_edit": ("bed_hospital", 403),
}
# The admin site answers only superusers with the second factor; a stranger is sent to its login page.
NOT_SWEPT_NAMESPACES = {"admin"}


def routes_with_an_id(patterns=None, prefix="", namespace=None):
    """(namespace:name) of every URL pattern whose route takes a parameter."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routes_with_an_id(pattern.url_patterns, prefix + str(pattern.pattern),
                                         pattern.namespace or namespace)
        elif "<" in prefix + str(pattern.pattern) and namespace not in NOT_SWEPT_NAMESPACES:
            yield f"{namespace}:{pattern.name}"


def test_every_route_with_an_id_is_swept():
    assert set(routes_with_an_id()) == set(ROUTES)


@pytest.fixture
def objects():
    """One object of each kind, owned by another care team (or, for records and programs, by the city)."""
    patient = PatientFactory()
    consent = ConsentFactory(patient=patient)
    owner = CareTeamMemberFactory(patient=patient, is_manager=True)
    invited = CareTeamMember.objects.create(patient=patient, user=UserFactory(), status=MemberStatus.INVITED,
                                            invited_by=owner.user)
    family = FamilyAccess.objects.create(patient=patient, user=UserFactory(), relationship="長女", invited_by=owner.user)
    post = PostFactory(patient=patient, author=owner.user)
    attachment = Attachment.objects.create(post=post, patient=patient, kind="pdf", content_type="application/pdf",
                                           original_name="a.pdf", path="x/a.pdf", size=1, sha256="0" * 64,
                                           uploaded_by=owner.user)
    group = Group.objects.create(name="他の多職種グループ", kind=GroupKind.FREE, created_by=owner.user)
    GroupMember.objects.create(group=group, user=owner.user, status=MemberStatus.ACTIVE)
    group_invitation = GroupMember.objects.create(group=group, user=UserFactory(), status=MemberStatus.INVITED,
                                                  invited_by=owner.user)
    sheet = SheetFactory(patient=patient, author=owner.user)
    beds = BackBedHospitalFactory()
    bed = BackBedRequest.objects.create(patient=patient, hospital=beds, requested_by=owner.user, reason="respite",
                                        detail="x", desired_on=datetime.date.today())
    case = DementiaCase.objects.create(patient=patient, referred_on=datetime.date.today(), referral_source="family",
                                       referral_reason="x", created_by=owner.user)
    conference = CaseConference.objects.create(patient=patient, kind="discharge", organiser=owner.user,
                                               scheduled_at=timezone.now(), place="病院")
    action = ConferenceAction.objects.create(conference=conference, text="x")
    document = ReceivedDocument.objects.create(patient=patient, kind="referral", title="診療情報提供書",
                                               document_date=datetime.date.today(), source="病院", bundle={},
                                               bundle_identifier="x", sha256="0" * 64, received_by=owner.user)
    plan = CarePlan.objects.create(patient=patient, version=1, insurer_number="139999", insured_number="9999000009",
                                   created_on="20261015", office_number="1379999901", imported_by=owner.user)
    CarePlanTable.objects.create(plan=plan, table=1, records=[["D"]])
    api_key(owner.user)
    token = ApiToken.objects.get(user=owner.user)
    notification = Notification.objects.create(recipient=owner.user, kind=NotificationKind.MENTION, patient=patient,
                                               post=post)
    template = ReplyTemplate.objects.create(user=owner.user, body="他人の定型文")
    consultation = records.ConsultationFactory()
    body = records.CouncilFactory()
    meeting = records.MeetingFactory(body=body)
    event = records.EventFactory()
    activity = records.RegionalActivityFactory()
    rescue = programs.RescueApplicationFactory()
    restart = programs.RestartApplicationFactory()
    provision = programs.ProvisionFactory()
    facility = FacilityFactory()
    nomination = FacilityAdministrator.objects.create(facility=facility, user=owner.user, nominated_by=owner.user)
    referral = ReferralRequest.objects.create(requester=owner.user, municipality=patient.municipality, need="x")
    answer = ReferralAnswer.objects.create(request=referral, facility=facility)
    p, s = {"pk": patient.pk}, {"pk": sheet.pk}
    missing = 999_999  # kinds without a factory: the role check answers before the object is looked up
    return {
        "patient": p, "patient_id": {"patient_id": patient.pk},
        "patient_kind": {"patient_id": patient.pk, "kind": "admission"},
        "patient_table": {"patient_id": patient.pk, "table": 1},
        "consent": p | {"consent_id": consent.pk}, "member": p | {"member_id": owner.pk},
        "family_access": p | {"access_id": family.pk}, "invitation": {"member_id": invited.pk},
        "post": {"post_id": post.pk}, "attachment": {"attachment_id": attachment.pk},
        "group": {"pk": group.pk}, "group_invitation": {"member_id": group_invitation.pk},
        "sheet": s, "sheet_id": {"sheet_id": sheet.pk}, "bed": {"pk": bed.pk},
        "api_post": {"post_id": post.pk}, "reply_template": {"template_id": template.pk},
        "api_reply_template": {"template_id": template.pk}, "dementia": {"pk": case.pk},
        "api_patient": {"patient_id": patient.pk}, "api_sheet": {"sheet_id": sheet.pk},
        "api_bed": {"request_id": bed.pk}, "token": {"pk": token.pk}, "api_token": {"token_id": token.pk},
        "api_notification": {"notification_id": notification.pk},
        "user": {"pk": owner.user.pk}, "api_member": {"member_id": owner.user.pk},
        "facility_admin": {"pk": nomination.pk},
        "consultation": {"pk": consultation.pk}, "body": {"pk": body.pk}, "meeting": {"pk": meeting.pk},
        "record_attachment": {"pk": missing}, "issue": {"pk": missing}, "countermeasure": {"pk": missing},
        "event": {"pk": event.pk}, "event_pk": {"event_pk": event.pk}, "survey": {"pk": missing},
        "pamphlet_pk": {"pamphlet_pk": missing}, "edition_pk": {"edition_pk": missing},
        "api_consultation": {"consultation_id": consultation.pk}, "api_event": {"event_id": event.pk},
        "api_body": {"body_id": body.pk}, "api_meeting": {"meeting_id": meeting.pk},
        "api_issue": {"issue_id": missing}, "api_regional": {"activity_id": activity.pk},
        "regional": {"pk": activity.pk},
        "api_pamphlet": {"pamphlet_id": missing}, "fy": {"fy": 2025}, "report_line": {"pk": missing},
        "rescue": {"pk": rescue.pk}, "restart": {"pk": restart.pk},
        "restart_document": {"pk": restart.pk, "doc_pk": missing},
        "claim": {"pk": provision.claim_id}, "provision": {"pk": provision.claim_id, "provision_pk": provision.pk},
        "program_rule": {"pk": programs.seeded_rule("rescue_helper").pk},
        "facility": {"pk": facility.pk}, "api_facility": {"facility_id": facility.pk},
        "change": {"change_id": missing}, "format": {"fmt": "csv"},
        "referral": {"pk": referral.pk}, "referral_answer": {"answer_id": answer.pk},
        "api_referral": {"referral_id": referral.pk}, "api_referral_answer": {"answer_id": answer.pk},
        "reset_link": {"uidb64": "MQ", "token": "set-password"}, "survey_token": {"token": "not-a-real-token"},
        "bed_hospital": {"pk": beds.pk},
        "conference": {"pk": conference.pk}, "api_conference": {"conference_id": conference.pk},
        "conference_action": {"pk": conference.pk, "action_id": action.pk},
        "received": {"pk": document.pk}, "api_received": {"document_id": document.pk},
    }


@pytest.fixture
def stranger(login):
    """An approved nurse with her own patient, on none of the other teams, signed in with the second factor."""
    user = CareTeamMemberFactory(user__profession=Profession.NURSE).user
    login(user)
    return user


def _as_stranger(client, stranger, name, kwargs):
    """The route's answer to the stranger: an API route with her token and its method, a page by GET (POST where
    it takes only that). (response, url)"""
    _kind, _expected, *api = ROUTES[name]
    url = reverse(name, kwargs=kwargs)
    if api:
        method, body = (api + [{}])[:2]
        headers = {"HTTP_AUTHORIZATION": f"Bearer {api_key(stranger)}"}
        return getattr(client, method)(url, data=body, content_type="application/json", **headers), url
    response = client.get(url)
    return (client.post(url, {}) if response.status_code == 405 else response), url


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_a_stranger_gets_the_routes_answer(client, stranger, objects, name):
    kind, expected, *_api = ROUTES[name]
    response, url = _as_stranger(client, stranger, name, objects[kind])
    assert response.status_code == expected, f"{name} {url}"


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_an_id_beyond_the_databases_integers_is_never_a_500(client, stranger, objects, name):
    """A forged id of 31 digits: the route answers as for a missing object (SQLite would overflow on it)."""
    kind, *_answer = ROUTES[name]
    kwargs = {key: 10**30 if isinstance(value, int) else value for key, value in objects[kind].items()}
    response, url = _as_stranger(client, stranger, name, kwargs)
    assert response.status_code < 500, f"{name} {url}"
