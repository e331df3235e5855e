import pytest
from django.urls import reverse

from renkei.network.models import Group, GroupMember, Post
from tests.factories import FacilityFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_facility_group_is_open_to_the_facilitys_staff_only(world, login):
    facility = FacilityFactory()
    world.nurse.affiliations.create(facility=facility)
    colleague = UserFactory()
    colleague.affiliations.create(facility=facility)
    login(world.nurse).get(reverse("network:groups"))
    group = Group.objects.get(facility=facility)
    login(colleague).post(reverse("network:group_post_create", args=[group.pk]), {"body": "明日の朝礼は9時"})
    assert "明日の朝礼は9時" in login(world.nurse).get(reverse("network:group_timeline", args=[group.pk])).content.decode()
    assert login(world.stranger).get(reverse("network:group_timeline", args=[group.pk])).status_code == 404


def test_a_free_group_is_created_and_a_professional_invited(world, login):
    c = login(world.physician)
    c.post(reverse("network:groups"), {"name": "在宅医療部会 WG", "description": "部会の作業部会"})
    group = Group.objects.get(name="在宅医療部会 WG")
    c.post(reverse("network:group_invite", args=[group.pk]), {"user": world.stranger.pk})
    invitation = GroupMember.objects.get(group=group, user=world.stranger)
    o = login(world.stranger)
    assert o.get(reverse("network:group_timeline", args=[group.pk])).status_code == 404
    o.post(reverse("network:group_invitation_respond", args=[invitation.pk]), {"answer": "accept"})
    assert o.get(reverse("network:group_timeline", args=[group.pk])).status_code == 200


def test_a_non_member_cannot_post_in_a_free_group(world, login):
    c = login(world.physician)
    c.post(reverse("network:groups"), {"name": "事例検討会"})
    group = Group.objects.get()
    r = login(world.nurse).post(reverse("network:group_post_create", args=[group.pk]), {"body": "x"})
    assert r.status_code == 404 and not Post.objects.exists()


def test_a_group_without_a_name_is_refused(world, login):
    r = login(world.physician).post(reverse("network:groups"), {"name": ""})
    assert r.status_code == 400 and not Group.objects.filter(kind="free").exists()
