"""The per-member unread counter behind the patient list stays equal to the true number of unread posts."""
import pytest
from django.core.management import call_command
from django.db import connection

from renkei.network import services, unread
from renkei.network.models import CareTeamMember, MemberStatus, Post, PostRead
from tests.concurrency import at_once
from tests.factories import UserFactory
from tests.network.factories import CareTeamMemberFactory, PatientFactory
from tests.network.test_api import _auth

pytestmark = pytest.mark.django_db


def _count(patient, user):
    return CareTeamMember.objects.get(patient=patient, user=user).unread_count


def _truth(patient, user):
    return unread.unread_posts(user.pk).filter(patient=patient).count()


def _post(world, author, body="訪問しました。"):
    return services.create_post(author=author, body=body, patient=world.patient)


def test_a_new_post_by_someone_else_counts_as_unread(world):
    _post(world, world.physician)
    assert _count(world.patient, world.nurse) == 1 == _truth(world.patient, world.nurse)


def test_my_own_posts_are_never_unread_for_me(world):
    _post(world, world.nurse)
    _post(world, world.nurse)
    assert _count(world.patient, world.nurse) == 0 == _truth(world.patient, world.nurse)


def test_the_author_counts_a_reply_by_another_member(world):
    parent = _post(world, world.nurse)
    services.create_post(author=world.physician, body="了解です。", patient=world.patient, parent=parent)
    assert _count(world.patient, world.nurse) == 1 and _count(world.patient, world.physician) == 1


def test_reading_lowers_the_count_exactly_once(world):
    posts = [_post(world, world.physician) for _ in range(3)]
    services.mark_read(posts=posts[:2], user=world.nurse)
    services.mark_read(posts=posts[:2], user=world.nurse)
    services.mark_read(posts=posts, user=world.nurse)
    assert _count(world.patient, world.nurse) == 0 == _truth(world.patient, world.nurse)
    assert PostRead.objects.filter(user=world.nurse).count() == 3


def test_reading_through_the_api_twice_lowers_the_count_once(client, world):
    for _ in range(2):
        _post(world, world.physician)
    headers = _auth(world.nurse)
    client.get(f"/api/v1/patients/{world.patient.pk}/posts", **headers)
    client.get(f"/api/v1/patients/{world.patient.pk}/posts", **headers)
    assert _count(world.patient, world.nurse) == 0
    assert client.get("/api/v1/patients", **headers).json()["items"][0]["unread"] == 0


def test_the_counters_are_kept_by_the_services_alone_not_by_model_saves(world):
    post = Post.objects.create(patient=world.patient, author=world.physician, body="直接")
    assert _count(world.patient, world.nurse) == 0
    unread.recount(patient_ids=[world.patient.pk])  # what a direct (bulk) write runs afterwards
    assert _count(world.patient, world.nurse) == 1 == _truth(world.patient, world.nurse)
    PostRead.objects.create(post=post, user=world.nurse)
    assert _count(world.patient, world.nurse) == 1
    unread.recount(patient_ids=[world.patient.pk])
    assert _count(world.patient, world.nurse) == 0 == _truth(world.patient, world.nurse)


def test_retracting_an_unread_post_removes_it_from_the_count(world):
    keep = _post(world, world.physician)
    gone = _post(world, world.physician)
    services.retract_post(post=gone, by=world.physician)
    assert _count(world.patient, world.nurse) == 1 == _truth(world.patient, world.nurse)
    assert keep.pk != gone.pk


def test_retracting_a_post_already_read_leaves_the_count_alone(world):
    post = _post(world, world.physician)
    _post(world, world.physician)
    services.mark_read(posts=[post], user=world.nurse)
    services.retract_post(post=post, by=world.physician)
    assert _count(world.patient, world.nurse) == 1 == _truth(world.patient, world.nurse)
    assert _count(world.patient, world.physician) == 0


def test_reading_a_retracted_post_does_not_lower_the_count(world):
    post = _post(world, world.physician)
    _post(world, world.physician)
    services.retract_post(post=post, by=world.physician)
    post.refresh_from_db()
    services.mark_read(posts=[post], user=world.nurse)
    assert _count(world.patient, world.nurse) == 1 == _truth(world.patient, world.nurse)


def test_a_member_who_joins_later_finds_the_history_unread(world):
    _post(world, world.physician)
    _post(world, world.nurse)
    late = UserFactory(username="late1")
    services.invite_member(patient=world.patient, by=world.physician, user=late, role="pharmacist")
    member = CareTeamMember.objects.get(patient=world.patient, user=late)
    services.respond_invitation(member=member, user=late, accept=True)
    assert _count(world.patient, late) == 2 == _truth(world.patient, late)


def test_a_removed_member_invited_back_finds_the_true_count(world):
    services.remove_member(member=world.nurse_member, by=world.physician)
    _post(world, world.physician)
    services.invite_member(patient=world.patient, by=world.physician, user=world.nurse, role="visiting_nurse")
    assert CareTeamMember.objects.get(pk=world.nurse_member.pk).status == MemberStatus.INVITED
    assert _count(world.patient, world.nurse) == 1 == _truth(world.patient, world.nurse)


def test_a_notice_counts_as_unread_for_everyone_but_its_sender(world):
    services.post_notice(patient=world.patient, author=world.physician, body="連携シートを送付しました")
    services.post_notice(patient=world.patient, author=None, body="システムからのお知らせ")
    assert _count(world.patient, world.nurse) == 2 and _count(world.patient, world.physician) == 1


def test_family_channel_posts_are_not_counted(world):
    services.create_post(author=world.physician, body="ご家族へ", patient=world.patient, channel="family")
    assert _count(world.patient, world.nurse) == 0 == _truth(world.patient, world.nurse)


def test_another_patients_posts_do_not_touch_my_count(world):
    services.create_post(author=world.stranger, body="別チーム", patient=world.other_patient)
    assert _count(world.patient, world.nurse) == 0 and _count(world.other_patient, world.stranger) == 0


def test_recounting_everything_gives_the_maintained_numbers(world):
    posts = [_post(world, world.physician) for _ in range(4)]
    services.mark_read(posts=posts[:1], user=world.nurse)
    services.retract_post(post=posts[3], by=world.physician)
    PatientFactory()
    maintained = dict(CareTeamMember.objects.values_list("pk", "unread_count"))
    CareTeamMember.objects.update(unread_count=99)
    call_command("recount_unread", stdout=open("/dev/null", "w"))
    assert dict(CareTeamMember.objects.values_list("pk", "unread_count")) == maintained
    assert maintained[world.nurse_member.pk] == 2


def test_recounting_some_patients_leaves_the_others_alone(world):
    _post(world, world.physician)
    CareTeamMember.objects.update(unread_count=7)
    unread.recount(patient_ids=[world.patient.pk])
    assert _count(world.patient, world.nurse) == 1 and _count(world.other_patient, world.stranger) == 7


def test_the_patient_list_endpoint_shows_the_counter_per_patient(client, world):
    second = PatientFactory(name="吉祥寺 架空三郎")
    CareTeamMemberFactory(patient=second, user=world.nurse)
    _post(world, world.physician)
    _post(world, world.physician)
    items = client.get("/api/v1/patients", **_auth(world.nurse)).json()["items"]
    assert {i["name"]: i["unread"] for i in items} == {"武蔵野 テスト花子": 2, "吉祥寺 架空三郎": 0}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent readers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_requests_reading_the_same_posts_at_once_lower_the_count_once(world):
    posts = [_post(world, world.physician) for _ in range(5)]
    at_once(lambda: services.mark_read(posts=posts, user=world.nurse))
    assert _count(world.patient, world.nurse) == 0 == _truth(world.patient, world.nurse)


def test_retracting_a_post_twice_from_stale_copies_lowers_the_count_once(world):
    from renkei.network.models import Post

    post = _post(world, world.physician)
    stale = Post.objects.get(pk=post.pk)
    services.retract_post(post=post, by=world.physician)
    with pytest.raises(services.Refused):
        services.retract_post(post=stale, by=world.physician)
    assert _count(world.patient, world.nurse) == 0 == _truth(world.patient, world.nurse)
