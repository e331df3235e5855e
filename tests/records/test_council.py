"""Council and subcommittees (item イ): members, meetings with attachments, issues and countermeasures."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renkei.records.models import Body, Countermeasure, Issue, Meeting, MeetingAttachment
from tests.factories import UserFactory, coordinator_user

from .factories import BodyFactory, CouncilFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_the_council_page_lists_members_and_term(staff_client):
    council = CouncilFactory(name="テスト協議会")
    council.members.create(organisation="武蔵野市医師会")
    html = staff_client.get(reverse("records:body_list")).content.decode()
    assert "○武蔵野市医師会" in html and "令和6年4月1日～令和9年3月31日" in html


@pytest.mark.parametrize("rows", [2, 20])
def test_the_council_page_has_a_fixed_query_count(staff_client, django_assert_num_queries, rows):
    for _ in range(rows):
        BodyFactory().members.create(organisation="医師会")
    with django_assert_num_queries(9):
        staff_client.get(reverse("records:body_list"))


def test_staff_record_a_meeting(staff_client):
    council = CouncilFactory()
    r = staff_client.post(reverse("records:meeting_new"), {
        "body": council.pk, "held_on": "2025-07-28", "title": "第1回", "format": "in_person",
        "agenda": "事業報告", "attendees": "医師会 A\n薬剤師会 B", "minutes": "承認された",
    })
    meeting = Meeting.objects.get()
    assert r.status_code == 302 and meeting.attendee_list == ["医師会 A", "薬剤師会 B"]


def test_a_meeting_without_a_date_is_refused(staff_client):
    r = staff_client.post(reverse("records:meeting_new"), {"body": CouncilFactory().pk, "format": "in_person"})
    assert r.status_code == 200 and not Meeting.objects.exists()


def test_a_coordinator_cannot_record_a_meeting(client, login):
    login(coordinator_user())
    assert client.post(reverse("records:meeting_new"), {}).status_code == 403


def test_a_professional_cannot_read_meetings(client, login):
    login(UserFactory())
    assert client.get(reverse("records:meeting_detail", args=[MeetingFactory().pk])).status_code == 403


def test_staff_attach_a_file_and_it_can_be_downloaded(staff_client):
    meeting = MeetingFactory()
    staff_client.post(reverse("records:meeting_detail", args=[meeting.pk]), {"file": SimpleUploadedFile("資料1.pdf", b"%PDF-1.4 test")})
    attachment = MeetingAttachment.objects.get()
    r = staff_client.get(reverse("records:attachment_download", args=[attachment.pk]))
    assert b"".join(r.streaming_content) == b"%PDF-1.4 test"


def test_a_coordinator_cannot_attach_files(client, login):
    login(coordinator_user())
    meeting = MeetingFactory()
    r = client.post(reverse("records:meeting_detail", args=[meeting.pk]), {"file": SimpleUploadedFile("a.txt", b"x")})
    assert r.status_code == 404 and not MeetingAttachment.objects.exists()


def test_staff_raise_an_issue_tied_to_an_item(staff_client):
    body = BodyFactory()
    staff_client.post(reverse("records:issue_new"), {
        "body": body.pk, "title": "看護サマリーが届かない", "item": "u", "raised_on": "2025-06-18", "status": "open",
    })
    assert Issue.objects.get().get_item_display().startswith("(ウ)")


def test_an_issue_from_another_bodys_meeting_is_refused(staff_client):
    meeting = MeetingFactory()
    r = staff_client.post(reverse("records:issue_new"), {
        "body": BodyFactory().pk, "meeting": meeting.pk, "title": "課題", "item": "u", "raised_on": "2025-06-18", "status": "open",
    })
    assert "選んだ協議会・部会の会議" in r.content.decode() and not Issue.objects.exists()


def test_staff_add_a_countermeasure_with_owner_due_date_and_progress(staff_client):
    issue = Issue.objects.create(body=BodyFactory(), title="課題", item="e", raised_on="2025-06-01")
    staff_client.post(reverse("records:issue_detail", args=[issue.pk]), {
        "description": "未登録の事業所に案内する", "item": "e", "owner": "連携支援室", "due_on": "2025-12-25",
        "progress": "in_progress",
    })
    c = Countermeasure.objects.get()
    assert (c.owner, str(c.due_on), c.progress, c.item) == ("連携支援室", "2025-12-25", "in_progress", "e")


def test_staff_update_a_countermeasures_progress(staff_client):
    issue = Issue.objects.create(body=BodyFactory(), title="課題", item="e", raised_on="2025-06-01")
    c = Countermeasure.objects.create(issue=issue, description="案内", item="e", owner="室")
    staff_client.post(reverse("records:countermeasure_edit", args=[c.pk]), {
        "description": "案内", "item": "e", "owner": "室", "progress": "done",
    })
    c.refresh_from_db()
    assert c.progress == "done"


@pytest.mark.parametrize("rows", [2, 20])
def test_the_issue_list_has_a_fixed_query_count(staff_client, django_assert_num_queries, rows):
    body = BodyFactory()
    for i in range(rows):
        issue = Issue.objects.create(body=body, title=f"課題{i}", item="e", raised_on="2025-06-01")
        Countermeasure.objects.create(issue=issue, description="案", item="e", owner="室")
    with django_assert_num_queries(10):
        staff_client.get(reverse("records:issue_list"))


def test_the_five_subcommittees_of_the_document_are_seeded_with_their_items():
    from renkei.records.demo import load_bodies
    from renkei.records.models import Body

    load_bodies()
    subcommittees = dict(Body.objects.filter(kind="subcommittee").values_list("name", "items"))
    assert subcommittees == {
        "入退院時支援部会": ["u"], "ICT連携部会": ["e"], "多職種連携推進・研修部会": ["ka"], "普及・啓発部会": ["ki"],
        "認知症連携部会": ["u", "e"],
    }
    assert Body.objects.get(name="ICT連携部会").members.filter(organisation="高齢者支援課").exists()


def body_form(council, **kw):
    return {
        "kind": "subcommittee", "name": "在宅療養部会", "council": council.pk, "items": ["u", "e"],
        "members": "○医師会\n○薬剤師会\n\n地域包括支援センター", "order": "6",
    } | kw


def test_staff_add_a_subcommittee_with_items_and_members_in_order(staff_client):
    council = CouncilFactory()
    staff_client.post(reverse("records:body_new"), body_form(council))
    body = Body.objects.get(name="在宅療養部会")
    assert body.items == ["u", "e"]
    assert list(body.members.values_list("organisation", flat=True)) == ["医師会", "薬剤師会", "地域包括支援センター"]


def test_staff_renew_the_council_term_and_members(staff_client):
    council = CouncilFactory()
    council.members.create(organisation="旧団体")
    staff_client.post(reverse("records:body_edit", args=[council.pk]), {
        "kind": "council", "name": council.name, "items": ["i"], "term_start": "2024-04-01", "term_end": "2027-03-31",
        "members": "武蔵野市医師会\n武蔵野市", "order": "0",
    })
    council.refresh_from_db()
    assert str(council.term_end) == "2027-03-31"
    assert list(council.members.values_list("organisation", flat=True)) == ["武蔵野市医師会", "武蔵野市"]


def test_a_term_ending_before_it_starts_is_refused(staff_client):
    council = CouncilFactory()
    r = staff_client.post(reverse("records:body_edit", args=[council.pk]), {
        "kind": "council", "name": council.name, "term_start": "2024-04-01", "term_end": "2023-03-31", "order": "0",
    })
    council.refresh_from_db()
    assert "任期の終了" in r.content.decode() and str(council.term_end) == "2027-03-31"


def test_a_member_listed_twice_is_refused(staff_client):
    r = staff_client.post(reverse("records:body_new"), body_form(CouncilFactory(), members="医師会\n医師会"))
    assert "2回" in r.content.decode() and not Body.objects.filter(name="在宅療養部会").exists()


def test_a_coordinator_cannot_edit_the_council(client, login):
    login(coordinator_user())
    council = CouncilFactory()
    assert client.post(reverse("records:body_edit", args=[council.pk]), {"kind": "council", "name": "x"}).status_code == 403
