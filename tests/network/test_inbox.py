"""The physician's list (renkei/network/inbox.py): what needs them across their patients, and nothing else."""
import datetime

import pytest
from django.utils import timezone

from renkei.network import inbox
from renkei.network.models import Channel, MemberStatus, PostKind
from renkei.network.services import acknowledge_post, create_post
from renkei.sheets.models import SheetRead
from tests.network.factories import CareTeamMemberFactory, PatientFactory, PostFactory
from tests.sheets.factories import SheetFactory

pytestmark = pytest.mark.django_db


def ids(user):
    return [(item.kind, item.id) for item in inbox.inbox_items(user)]


def codes(user, post):
    return [r.code for item in inbox.inbox_items(user) if item.id == post.pk and item.kind == "post" for r in item.reasons]


def test_an_important_post_of_my_patient_is_listed(world):
    post = PostFactory(patient=world.patient, author=world.nurse, important=True)
    assert ids(world.physician) == [("post", post.pk)] and codes(world.physician, post) == ["important"]


def test_a_plain_post_is_not_listed(world):
    PostFactory(patient=world.patient, author=world.nurse, body="本日訪問しました。")
    assert ids(world.physician) == []


def test_a_post_mentioning_me_is_listed(world):
    post = create_post(author=world.nurse, body="@physician 褥瘡の写真です", patient=world.patient)
    assert codes(world.physician, post) == ["mention"]


def test_a_reply_mentioning_me_is_listed(world):
    root = PostFactory(patient=world.patient, author=world.care_manager, body="来週の予定です")
    reply = create_post(author=world.nurse, body="@physician ご確認ください", patient=world.patient, parent=root)
    assert ids(world.physician) == [("post", reply.pk)]


def test_a_question_is_listed_with_a_full_or_half_width_mark(world):
    first = PostFactory(patient=world.patient, author=world.nurse, body="点滴は継続でよいですか？")
    second = PostFactory(patient=world.patient, author=world.nurse, body="Is the dose OK?")
    assert codes(world.physician, first) == ["question"] and codes(world.physician, second) == ["question"]


def test_a_reply_with_a_question_mark_is_not_a_question_of_its_own(world):
    root = PostFactory(patient=world.patient, author=world.physician, body="処方を変更しました")
    PostFactory(patient=world.patient, author=world.nurse, parent=root, body="了解です、明日からですか？")
    assert ids(world.physician) == []


def test_my_reply_answers_a_question(world):
    question = PostFactory(patient=world.patient, author=world.nurse, body="点滴は継続でよいですか？")
    create_post(author=world.physician, body="継続してください", patient=world.patient, parent=question)
    assert ids(world.physician) == []


def test_someone_elses_reply_does_not_answer_for_me(world):
    question = PostFactory(patient=world.patient, author=world.nurse, body="点滴は継続でよいですか？")
    PostFactory(patient=world.patient, author=world.care_manager, parent=question, body="私も知りたいです")
    assert ids(world.physician) == [("post", question.pk)]


def test_an_acknowledged_post_leaves_the_list(world):
    post = PostFactory(patient=world.patient, author=world.nurse, important=True)
    acknowledge_post(user=world.physician, post=post)
    assert ids(world.physician) == []


def test_another_members_acknowledgement_leaves_mine_waiting(world):
    post = PostFactory(patient=world.patient, author=world.care_manager, important=True)
    acknowledge_post(user=world.nurse, post=post)
    assert ids(world.physician) == [("post", post.pk)]


def test_my_own_posts_retracted_posts_and_notices_are_not_listed(world):
    PostFactory(patient=world.patient, author=world.physician, important=True, body="質問ありますか？")
    PostFactory(patient=world.patient, author=world.nurse, important=True, retracted_at=timezone.now())
    PostFactory(patient=world.patient, author=None, kind=PostKind.NOTICE, body="シートが送られました？")
    assert ids(world.physician) == []


def test_the_family_channel_is_not_listed(world):
    PostFactory(patient=world.patient, author=world.nurse, channel=Channel.FAMILY, important=True)
    assert ids(world.physician) == []


def test_posts_older_than_the_window_are_not_listed(world):
    now = timezone.now()
    old = PostFactory(patient=world.patient, author=world.nurse, important=True,
                      created_at=now - datetime.timedelta(days=inbox.INBOX_DAYS, seconds=1))
    edge = PostFactory(patient=world.patient, author=world.nurse, important=True,
                       created_at=now - datetime.timedelta(days=inbox.INBOX_DAYS))
    assert [p.pk for p in inbox.inbox_posts(world.physician, now=now)] == [edge.pk] and old.pk != edge.pk


def test_another_teams_posts_are_not_listed(world):
    elsewhere = PatientFactory()
    CareTeamMemberFactory(patient=elsewhere, user=world.nurse)
    PostFactory(patient=elsewhere, author=world.nurse, important=True)
    assert ids(world.physician) == []


def test_a_removed_member_no_longer_sees_the_teams_posts(world):
    PostFactory(patient=world.patient, author=world.nurse, important=True)
    world.physician_member.status = MemberStatus.REMOVED
    world.physician_member.save()
    assert ids(world.physician) == []


def test_an_unopened_sheet_addressed_to_me_is_listed_until_opened(world):
    sheet = SheetFactory(patient=world.patient, author=world.nurse, sent_at=timezone.now())
    read = SheetRead.objects.create(sheet=sheet, user=world.physician)
    assert ids(world.physician) == [("sheet", sheet.pk)]
    read.read_at = timezone.now()
    read.save()
    assert ids(world.physician) == []


def test_the_count_matches_the_list(world):
    PostFactory(patient=world.patient, author=world.nurse, important=True)
    PostFactory(patient=world.patient, author=world.nurse, body="明日伺ってよいですか？")
    assert inbox.inbox_count(world.physician) == len(inbox.inbox_items(world.physician)) == 2


@pytest.mark.parametrize("n", [1, 12])
def test_the_list_takes_two_queries_whatever_its_length(world, n, django_assert_num_queries):
    for _ in range(n):
        PostFactory(patient=world.patient, author=world.nurse, important=True)
    with django_assert_num_queries(2):
        assert len(inbox.inbox_items(world.physician)) == n


def test_acknowledging_twice_keeps_one_record_and_one_audit_row(world):
    from renkei.core.models import AuditEvent

    post = PostFactory(patient=world.patient, author=world.nurse, important=True)
    first, created = acknowledge_post(user=world.physician, post=post)
    again, created_again = acknowledge_post(user=world.physician, post=post)
    assert created and not created_again and first.pk == again.pk
    assert AuditEvent.objects.filter(object_type="network.postacknowledgement").count() == 1
