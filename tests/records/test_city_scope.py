"""Six cities: each city's staff see and write only their own city's program records.

A record of another city answers 404 exactly like a missing one on every page, API call and download
with an id; lists hold only the user's cities; a new record belongs to a city the user acts for; an item
(ク) activity recorded by one city is read by the cities that took part.
"""
import datetime

import pytest
from django.urls import URLResolver, get_resolver, reverse

from renkei.records import api as records_api
from renkei.records.models import Body, Consultation, Event, Meeting, Pamphlet, RegionalActivity
from tests.factories import api_key, mitaka, musashino, staff_user

from .factories import (
    ConsultationFactory,
    CouncilFactory,
    CountermeasureFactory,
    EditionFactory,
    EventFactory,
    IssueFactory,
    MeetingAttachmentFactory,
    MeetingFactory,
    PamphletFactory,
    RegionalActivityFactory,
    SurveyFactory,
    consultation_form,
    fuchu,
)

pytestmark = pytest.mark.django_db

# Page routes of renkei/records/urls.py that take an id: the kind of object the id names.
PAGES = {
    "consultation_detail": ("pk", "consultation"),
    "consultation_edit": ("pk", "consultation"),
    "body_detail": ("pk", "body"),
    "body_edit": ("pk", "body"),
    "meeting_detail": ("pk", "meeting"),
    "meeting_edit": ("pk", "meeting"),
    "attachment_download": ("pk", "attachment"),
    "issue_detail": ("pk", "issue"),
    "countermeasure_edit": ("pk", "countermeasure"),
    "event_detail": ("pk", "event"),
    "event_edit": ("pk", "event"),
    "event_attendance": ("pk", "event"),
    "survey_new": ("event_pk", "event"),
    "survey_detail": ("pk", "survey"),
    "survey_invite": ("pk", "survey"),
    "edition_new": ("pamphlet_pk", "pamphlet"),
    "distribution_new": ("edition_pk", "edition"),
    "regional_edit": ("pk", "regional"),
}
# The public answer page is reached by its own secret token, not by an id of a city's record.
PUBLIC_BY_TOKEN = {"survey_answer"}
# API operations of renkei/records/api.py that take an id.
API = {
    "get_consultation": ("consultation_id", "consultation"),
    "get_event": ("event_id", "event"),
    "get_body": ("body_id", "body"),
    "get_meeting": ("meeting_id", "meeting"),
    "get_issue": ("issue_id", "issue"),
    "get_regional": ("activity_id", "regional"),
    "get_pamphlet": ("pamphlet_id", "pamphlet"),
}


def records_routes_with_an_id():
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "records":
            yield from (p.name for p in pattern.url_patterns if "<" in str(p.pattern))


def records_api_operations_with_an_id():
    for path, view in records_api.router.path_operations.items():
        if "{" in path:
            yield from (operation.view_func.__name__ for operation in view.operations)


def test_every_records_route_with_an_id_is_checked():
    assert set(records_routes_with_an_id()) == set(PAGES) | PUBLIC_BY_TOKEN
    assert set(records_api_operations_with_an_id()) == set(API)


def one_of_each(city):
    """One record of every kind, belonging to `city`."""
    council = CouncilFactory(municipality=city)
    meeting = MeetingFactory(body=council)
    issue = IssueFactory(body=council, meeting=meeting)
    event = EventFactory(municipality=city)
    pamphlet = PamphletFactory(municipality=city)
    return {
        "consultation": ConsultationFactory(municipality=city), "body": council, "meeting": meeting,
        "attachment": MeetingAttachmentFactory(meeting=meeting), "issue": issue,
        "countermeasure": CountermeasureFactory(issue=issue), "event": event,
        "survey": SurveyFactory(event=event), "pamphlet": pamphlet, "edition": EditionFactory(pamphlet=pamphlet),
        "regional": RegionalActivityFactory(municipality=city),
    }


@pytest.fixture(params=["mitaka_staff_on_musashino", "musashino_staff_on_mitaka"])
def crossing(request, login):
    """(the other city's records, staff of one city signed in): both directions."""
    own, other = (mitaka(), musashino()) if request.param == "mitaka_staff_on_musashino" else (musashino(), mitaka())
    staff = staff_user(own)
    login(staff)
    return one_of_each(other), staff


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_page_of_another_citys_record_is_missing(client, crossing, name):
    objects, _ = crossing
    kwarg, kind = PAGES[name]
    url = reverse(f"records:{name}", kwargs={kwarg: objects[kind].pk})
    missing = reverse(f"records:{name}", kwargs={kwarg: 999_999})
    answers = (client.get(url).status_code, client.post(url, {}).status_code)
    assert answers == (client.get(missing).status_code, 404) and answers[0] in (404, 405), url  # 405: POST only


@pytest.mark.parametrize("name", sorted(API))
def test_an_api_call_on_another_citys_record_is_missing(client, crossing, name):
    objects, staff = crossing
    kwarg, kind = API[name]
    url = reverse(f"api:{name}", kwargs={kwarg: objects[kind].pk})
    r = client.get(url, HTTP_AUTHORIZATION=f"Bearer {api_key(staff)}")
    assert r.status_code == 404 and r.json() == {"detail": "見つかりません。"}


@pytest.mark.parametrize("name", sorted(API))
def test_an_api_call_on_an_own_record_answers(client, name):
    objects, staff = one_of_each(musashino()), staff_user(musashino())
    kwarg, kind = API[name]
    r = client.get(reverse(f"api:{name}", kwargs={kwarg: objects[kind].pk}),
                   HTTP_AUTHORIZATION=f"Bearer {api_key(staff)}")
    assert r.status_code == 200 and r.json()["id"] == objects[kind].pk and r.json()["municipality"] == "13203"


@pytest.mark.parametrize("name", ["consultation_detail", "body_detail", "meeting_detail", "attachment_download",
                                  "issue_detail", "event_detail", "survey_detail", "edition_new", "distribution_new",
                                  "regional_edit", "survey_new", "countermeasure_edit", "event_edit", "body_edit"])
def test_a_page_of_an_own_record_answers(client, login, name):
    objects = one_of_each(musashino())
    login(staff_user(musashino()))
    kwarg, kind = PAGES[name]
    assert client.get(reverse(f"records:{name}", kwargs={kwarg: objects[kind].pk})).status_code == 200


def test_nothing_of_another_city_was_written_by_the_refused_posts(client, crossing):
    objects, _ = crossing
    before = (Meeting.objects.count(), Body.objects.count(), objects["event"].registrations.count())
    for name, (kwarg, kind) in PAGES.items():
        client.post(reverse(f"records:{name}", kwargs={kwarg: objects[kind].pk}),
                    {"name": "書き込み", "title": "書き込み", "description": "x", "item": "u", "owner": "x",
                     "profession": "nurse", "text": "x", "kind": "after", "opens_on": "2025-07-05"})
    assert (Meeting.objects.count(), Body.objects.count(), objects["event"].registrations.count()) == before


# --- lists --------------------------------------------------------------------------------------------

LISTS = ["consultation_list", "body_list", "issue_list", "event_list", "pamphlet_list", "regional_list"]


def two_cities_records():
    mine = {"c": ConsultationFactory(summary="武蔵野の相談", municipality=musashino()),
            "b": CouncilFactory(name="武蔵野の協議会", municipality=musashino()),
            "e": EventFactory(title="武蔵野の研修", municipality=musashino()),
            "p": PamphletFactory(title="武蔵野の冊子", municipality=musashino()),
            "r": RegionalActivityFactory(title="武蔵野の連携", municipality=musashino())}
    IssueFactory(title="武蔵野の課題", body=mine["b"])
    theirs = CouncilFactory(name="三鷹の協議会", municipality=mitaka())
    ConsultationFactory(summary="三鷹の相談", municipality=mitaka())
    EventFactory(title="三鷹の研修", municipality=mitaka())
    PamphletFactory(title="三鷹の冊子", municipality=mitaka())
    RegionalActivityFactory(title="三鷹の連携", municipality=mitaka())
    IssueFactory(title="三鷹の課題", body=theirs)
    return mine


@pytest.mark.parametrize("name", LISTS)
def test_a_list_shows_only_the_users_city(client, login, name):
    two_cities_records()
    login(staff_user(musashino()))
    page = client.get(reverse(f"records:{name}")).content.decode()
    assert "三鷹の" not in page and "武蔵野の" in page


@pytest.mark.parametrize("path", ["/api/v1/consultations", "/api/v1/events", "/api/v1/council", "/api/v1/issues",
                                  "/api/v1/pamphlets", "/api/v1/regional-activities", "/api/v1/meetings"])
def test_an_api_list_holds_only_the_callers_city(client, path):
    two_cities_records()
    MeetingFactory(body=Body.objects.get(name="三鷹の協議会"))
    MeetingFactory(body=Body.objects.get(name="武蔵野の協議会"))
    r = client.get(path, HTTP_AUTHORIZATION=f"Bearer {api_key(staff_user(mitaka()))}")
    assert r.status_code == 200 and r.json()["count"] >= 1
    assert {row["municipality"] for row in r.json()["items"]} == {"13204"}


def test_the_consultation_counts_are_the_users_citys(client, login):
    ConsultationFactory.create_batch(3, municipality=mitaka(), received_on=datetime.date(2025, 5, 1))
    ConsultationFactory(municipality=musashino(), received_on=datetime.date(2025, 5, 1))
    login(staff_user(musashino()))
    r = client.get(reverse("records:consultation_stats"), {"fy": 2025})
    assert r.context["monthly_category"]["total"] == 1


def test_a_multi_city_user_sees_every_city_of_theirs_with_its_name_and_can_narrow_to_one(client, login):
    two_cities_records()
    ConsultationFactory(summary="府中の相談", municipality=fuchu())
    login(staff_user(musashino(), mitaka()))
    page = client.get(reverse("records:consultation_list")).content.decode()
    assert "武蔵野の相談" in page and "三鷹の相談" in page and "府中の相談" not in page and "三鷹市" in page
    narrowed = client.get(reverse("records:consultation_list"), {"city": "13204"}).content.decode()
    assert "三鷹の相談" in narrowed and "武蔵野の相談" not in narrowed


def test_narrowing_a_list_to_a_city_not_theirs_is_missing(client, login):
    login(staff_user(musashino(), mitaka()))
    assert client.get(reverse("records:event_list"), {"city": "13206"}).status_code == 404


def test_an_api_list_narrowed_to_another_city_is_missing(client):
    r = client.get("/api/v1/consultations", {"municipality": "13204"},
                   HTTP_AUTHORIZATION=f"Bearer {api_key(staff_user(musashino()))}")
    assert r.status_code == 404


# --- creating ---------------------------------------------------------------------------------------------

def test_a_new_record_of_a_single_city_user_is_that_citys(client, login):
    login(staff_user(mitaka()))
    client.post(reverse("records:consultation_new"), consultation_form())
    assert Consultation.objects.get().municipality == mitaka()


def test_a_multi_city_user_must_choose_the_city(client, login):
    login(staff_user(musashino(), mitaka()))
    r = client.post(reverse("records:consultation_new"), consultation_form())
    assert r.status_code == 200 and r.context["form"].errors["municipality"] == ["市区町村を選んでください。"]
    assert not Consultation.objects.exists()


def test_a_multi_city_user_records_for_the_chosen_city(client, login):
    login(staff_user(musashino(), mitaka()))
    client.post(reverse("records:event_new"), {
        "municipality": mitaka().pk, "title": "三鷹の研修", "kind": "training", "audience": "professionals",
        "delivery": "in_person", "status": "planned", "starts_on": "2030-07-05", "ends_on": "2030-07-05"})
    assert Event.objects.get().municipality == mitaka()


@pytest.mark.parametrize("name", ["consultation_new", "body_new", "event_new", "regional_new", "pamphlet_list"])
def test_a_forged_city_is_an_error_on_the_field(client, login, name):
    login(staff_user(musashino(), mitaka()))
    r = client.post(reverse(f"records:{name}"), consultation_form(municipality=fuchu().pk, name="x", title="x"))
    assert r.status_code == 200 and r.context["form"].errors["municipality"] == ["選択された市区町村は選べません。"]


def test_a_single_city_user_cannot_forge_another_city_either(client, login):
    login(staff_user(musashino()))
    r = client.post(reverse("records:consultation_new"), consultation_form(municipality=mitaka().pk))
    assert r.context["form"].errors["municipality"] and not Consultation.objects.exists()


def test_a_meeting_of_another_citys_body_is_refused_on_the_field(client, login):
    theirs = CouncilFactory(municipality=mitaka())
    login(staff_user(musashino()))
    r = client.post(reverse("records:meeting_new"), {"body": theirs.pk, "held_on": "2025-07-01", "format": "in_person"})
    assert r.context["form"].errors["body"] == ["この協議会・部会は選べません。"] and not Meeting.objects.exists()


def test_the_body_select_offers_only_the_users_bodies(client, login):
    CouncilFactory(name="三鷹の協議会", municipality=mitaka())
    CouncilFactory(name="武蔵野の協議会", municipality=musashino())
    login(staff_user(musashino()))
    page = client.get(reverse("records:meeting_new")).content.decode()
    assert "武蔵野の協議会" in page and "三鷹の協議会" not in page


def test_an_issue_cannot_name_a_meeting_of_another_city(client, login):
    body = CouncilFactory(municipality=musashino())
    theirs = MeetingFactory(body=CouncilFactory(municipality=mitaka()))
    login(staff_user(musashino()))
    r = client.post(reverse("records:issue_new"), {"body": body.pk, "meeting": theirs.pk, "title": "課題", "item": "u",
                                                   "raised_on": "2025-07-01", "status": "open"})
    assert r.context["form"].errors["meeting"] == ["この会議は選べません。"]


def test_a_subcommittee_cannot_join_another_citys_council(client, login):
    theirs = CouncilFactory(municipality=mitaka())
    login(staff_user(musashino(), mitaka()))
    r = client.post(reverse("records:body_new"), {"municipality": musashino().pk, "kind": "subcommittee",
                                                  "name": "部会", "council": theirs.pk, "order": 1})
    assert r.context["form"].errors["council"] == ["同じ市区町村の協議会を選んでください。"]


def test_editing_keeps_the_records_city(client, login):
    consultation = ConsultationFactory(municipality=mitaka())
    login(staff_user(musashino(), mitaka()))
    client.post(reverse("records:consultation_edit", args=[consultation.pk]),
                consultation_form(municipality=musashino().pk, summary="更新"))
    consultation.refresh_from_db()
    assert (consultation.summary, consultation.municipality) == ("更新", mitaka())


def test_an_api_create_takes_the_named_city(client):
    r = client.post("/api/v1/consultations", consultation_form(municipality="13204"), content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {api_key(staff_user(musashino(), mitaka()))}")
    assert r.status_code == 201 and r.json()["municipality"] == "13204"


def test_an_api_create_of_a_multi_city_user_without_a_city_is_refused(client):
    r = client.post("/api/v1/events", {"title": "研修", "kind": "training", "audience": "professionals",
                                       "starts_on": "2025-07-05", "ends_on": "2025-07-05"},
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {api_key(staff_user(musashino(), mitaka()))}")
    assert r.status_code == 422 and not Event.objects.exists()


def test_an_api_create_for_a_city_not_the_callers_is_missing(client):
    r = client.post("/api/v1/consultations", consultation_form(municipality="13204"), content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {api_key(staff_user(musashino()))}")
    assert r.status_code == 404 and not Consultation.objects.exists()


def test_an_api_create_defaults_to_the_callers_only_city(client):
    r = client.post("/api/v1/consultations", consultation_form(), content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {api_key(staff_user(mitaka()))}")
    assert r.status_code == 201 and Consultation.objects.get().municipality == mitaka()


# --- names unique per city ------------------------------------------------------------------------------

def test_the_same_body_name_is_allowed_in_two_cities(client, login):
    CouncilFactory(name="在宅医療・介護連携推進協議会", municipality=musashino())
    login(staff_user(mitaka()))
    client.post(reverse("records:body_new"), {"kind": "council", "name": "在宅医療・介護連携推進協議会", "order": 0})
    assert Body.objects.filter(name="在宅医療・介護連携推進協議会").count() == 2


def test_a_duplicate_body_name_in_one_city_is_a_message_on_the_name(client, login):
    CouncilFactory(name="在宅医療・介護連携推進協議会", municipality=musashino())
    login(staff_user(musashino()))
    r = client.post(reverse("records:body_new"), {"kind": "council", "name": "在宅医療・介護連携推進協議会", "order": 0})
    assert r.status_code == 200 and "同じ名称の協議会・部会" in r.context["form"].errors["name"][0]
    assert Body.objects.count() == 1


def test_a_duplicate_pamphlet_title_in_one_city_is_a_message_and_allowed_in_another(client, login):
    PamphletFactory(title="ガイドブック", municipality=musashino())
    login(staff_user(musashino()))
    r = client.post(reverse("records:pamphlet_list"), {"title": "ガイドブック"})
    assert "同じ名称のパンフレット" in r.context["form"].errors["title"][0]
    login(staff_user(mitaka()))
    client.post(reverse("records:pamphlet_list"), {"title": "ガイドブック"})
    assert sorted(Pamphlet.objects.values_list("municipality__code", flat=True)) == ["13203", "13204"]


# --- item (ク): recorded once, read by every city that took part -------------------------------------

def test_a_regional_activity_is_recorded_with_the_cities_that_took_part(client, login):
    login(staff_user(musashino()))
    client.post(reverse("records:regional_new"), {
        "title": "3市合同検討会", "counterpart": "北多摩南部保健医療圏", "held_on": "2025-08-01", "format": "online",
        "participants": [mitaka().pk, fuchu().pk, musashino().pk]})
    activity = RegionalActivity.objects.get()
    assert activity.municipality == musashino()
    assert set(activity.participants.values_list("code", flat=True)) == {"13204", "13206"}


def test_a_participating_city_sees_the_activity_and_a_city_that_did_not_does_not(client, login):
    activity = RegionalActivityFactory(title="3市合同検討会", municipality=musashino())
    activity.participants.set([mitaka()])
    login(staff_user(mitaka()))
    assert "3市合同検討会" in client.get(reverse("records:regional_list")).content.decode()
    assert client.get(f"/api/v1/regional-activities/{activity.pk}",
                      HTTP_AUTHORIZATION=f"Bearer {api_key(staff_user(mitaka()))}").json()["participants"] == ["13204"]
    login(staff_user(fuchu()))
    assert "3市合同検討会" not in client.get(reverse("records:regional_list")).content.decode()


def test_only_the_recording_city_edits_a_shared_activity(client, login):
    activity = RegionalActivityFactory(title="合同検討会", municipality=musashino())
    activity.participants.set([mitaka()])
    login(staff_user(mitaka()))
    r = client.post(reverse("records:regional_edit", args=[activity.pk]),
                    {"title": "書き換え", "counterpart": "x", "held_on": "2025-08-01", "format": "online"})
    activity.refresh_from_db()
    assert r.status_code == 302 and activity.title == "合同検討会"
    login(staff_user(musashino()))
    client.post(reverse("records:regional_edit", args=[activity.pk]),
                {"title": "更新", "counterpart": "x", "held_on": "2025-08-01", "format": "online",
                 "participants": [mitaka().pk, fuchu().pk]})
    activity.refresh_from_db()
    assert activity.title == "更新" and activity.participants.count() == 2


def test_participants_outside_the_area_are_refused(client, login):
    from renkei.core.models import Municipality

    outside = Municipality.objects.get_or_create(code="13101", defaults={"name": "千代田区"})[0]
    login(staff_user(musashino()))
    r = client.post(reverse("records:regional_new"), {
        "title": "会議", "counterpart": "x", "held_on": "2025-08-01", "format": "online", "participants": [outside.pk]})
    assert r.context["form"].errors["participants"] and not RegionalActivity.objects.exists()


@pytest.mark.parametrize("name", LISTS)
def test_a_multi_city_users_list_takes_the_same_queries_for_2_or_20_rows(client, login, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(staff_user(musashino(), mitaka()))

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(f"records:{name}")).status_code == 200
        return len(ctx)

    def add(n):
        for i in range(n):
            city = (musashino(), mitaka())[i % 2]
            activity = RegionalActivityFactory(municipality=city)
            activity.participants.set([fuchu()])
            IssueFactory(body=CouncilFactory(municipality=city))
            ConsultationFactory(municipality=city)
            EditionFactory(pamphlet=PamphletFactory(municipality=city))
            EventFactory(municipality=city)

    add(2)
    few = queries()
    add(18)
    assert queries() == few


def test_the_demo_keeps_musashinos_records_and_adds_fictional_mitaka_ones(settings):
    from django.db.models import Count

    from renkei.records import demo

    settings.DEMO = True
    musashino(), mitaka(), fuchu()
    demo.load()
    demo.load()  # idempotent
    bodies = dict(Body.objects.values_list("municipality__code").annotate(n=Count("id")))
    assert bodies == {"13203": 6, "13204": 2}
    assert Body.objects.get(name=demo.COUNCIL).municipality.code == "13203"
    mitaka_consultations = Consultation.objects.filter(municipality__code="13204")
    assert mitaka_consultations.count() == 3 and all("架空" in c.summary for c in mitaka_consultations)
    assert Event.objects.filter(municipality__code="13204", kind="training").count() == 1
    shared = RegionalActivity.objects.get(participants__code="13204")
    assert shared.municipality.code == "13203"
    assert set(shared.participants.values_list("code", flat=True)) == {"13204", "13206"}


def test_a_meeting_is_not_moved_to_a_body_of_another_city_even_of_the_users(client, login):
    meeting = MeetingFactory(body=CouncilFactory(municipality=musashino()))
    theirs = CouncilFactory(municipality=mitaka())
    login(staff_user(musashino(), mitaka()))
    r = client.post(reverse("records:meeting_edit", args=[meeting.pk]),
                    {"body": theirs.pk, "held_on": "2025-07-01", "format": "in_person"})
    meeting.refresh_from_db()
    assert r.context["form"].errors["body"] == ["この協議会・部会は選べません。"]
    assert meeting.body.municipality == musashino()


def test_the_services_refuse_a_parent_of_another_city_as_missing():
    from django.http import Http404

    from renkei.records import services

    staff = staff_user(mitaka())
    event = EventFactory(municipality=musashino())
    with pytest.raises(Http404):
        services.add_registration(user=staff, event=event, data={"name": "x", "profession": "nurse"})
    with pytest.raises(Http404):
        services.save_consultation(user=staff, data=consultation_form(
            municipality=musashino(), received_on=datetime.date(2025, 5, 10)))
    assert not event.registrations.exists() and not Consultation.objects.exists()
