import pytest
from django.urls import reverse

from renkei.core.models import AuditEvent, Profession
from renkei.network.models import CareTeamMember, MemberStatus
from tests.factories import FacilityFactory, UserFactory

pytestmark = pytest.mark.django_db


def _team(world):
    return reverse("network:team", args=[world.patient.pk])


def _invite(client, world, user, role="pharmacist"):
    return client.post(reverse("network:team_invite", args=[world.patient.pk]), {"user": user.pk, "role": role})


@pytest.mark.parametrize("query", ["部外", "ぶがい", "ブガイ", "薬剤師", "ひまわり"])
def test_a_manager_finds_professionals_by_name_facility_or_profession(world, login, query):
    facility = FacilityFactory(name="（架空）ひまわり調剤薬局", name_kana="ヒマワリチョウザイヤッキョク")
    world.stranger.name_kana = "ブガイ ヤクタ"
    world.stranger.save()
    world.stranger.affiliations.create(facility=facility)
    r = login(world.physician).get(_team(world), {"q": query})
    assert world.stranger in list(r.context["candidates"])


def test_search_leaves_out_municipal_staff_and_current_members(world, login):
    UserFactory(name="部外 市職員", profession=Profession.MUNICIPAL)
    r = login(world.physician).get(_team(world), {"q": "訪看"})
    assert list(r.context["candidates"]) == []


def test_an_invitee_sees_nothing_until_accepting(world, login):
    _invite(login(world.physician), world, world.stranger)
    c = login(world.stranger)
    assert c.get(reverse("network:timeline", args=[world.patient.pk])).status_code == 404
    member = CareTeamMember.objects.get(user=world.stranger, patient=world.patient)
    c.post(reverse("network:invitation_respond", args=[member.pk]), {"answer": "accept"})
    assert c.get(reverse("network:timeline", args=[world.patient.pk])).status_code == 200


def test_an_invitation_notifies_the_invitee(world, login):
    _invite(login(world.physician), world, world.stranger)
    assert world.stranger.network_notifications.filter(kind="invitation").exists()


def test_a_declined_invitation_gives_no_access(world, login):
    _invite(login(world.physician), world, world.stranger)
    member = CareTeamMember.objects.get(user=world.stranger, patient=world.patient)
    c = login(world.stranger)
    c.post(reverse("network:invitation_respond", args=[member.pk]), {"answer": "decline"})
    member.refresh_from_db()
    assert member.status == MemberStatus.DECLINED
    assert c.get(reverse("network:timeline", args=[world.patient.pk])).status_code == 404


def test_someone_elses_invitation_cannot_be_accepted(world, login):
    _invite(login(world.physician), world, world.stranger)
    member = CareTeamMember.objects.get(user=world.stranger, patient=world.patient)
    r = login(world.nurse).post(reverse("network:invitation_respond", args=[member.pk]), {"answer": "accept"})
    member.refresh_from_db()
    assert r.status_code == 404 and member.status == MemberStatus.INVITED


def test_a_non_manager_cannot_invite(world, login):
    _invite(login(world.nurse), world, world.stranger)
    assert not CareTeamMember.objects.filter(user=world.stranger, patient=world.patient).exists()
    assert AuditEvent.objects.filter(action="permission.denied", actor=world.nurse).exists()


def test_a_manager_removes_a_member_effective_next_request(world, login):
    nurse_client = login(world.nurse)
    assert nurse_client.get(reverse("network:timeline", args=[world.patient.pk])).status_code == 200
    from django.test import Client

    from tests.factories import verify_client

    verify_client(Client(), world.physician).post(
        reverse("network:team_remove", args=[world.patient.pk, world.nurse_member.pk]))
    assert nurse_client.get(reverse("network:timeline", args=[world.patient.pk])).status_code == 404


def test_a_removed_member_cannot_post_from_an_open_page(world, login):
    world.nurse_member.status = MemberStatus.REMOVED
    world.nurse_member.save()
    r = login(world.nurse).post(reverse("network:post_create", args=[world.patient.pk]), {"body": "x"})
    assert r.status_code == 404


def test_a_non_manager_cannot_remove(world, login):
    login(world.nurse).post(reverse("network:team_remove", args=[world.patient.pk, world.physician_member.pk]))
    world.physician_member.refresh_from_db()
    assert world.physician_member.status == MemberStatus.ACTIVE


def test_the_last_manager_cannot_be_removed(world, login):
    world.nurse_member.is_manager = True
    world.nurse_member.save()
    login(world.nurse).post(reverse("network:team_manager", args=[world.patient.pk, world.physician_member.pk]),
                            {"is_manager": "0"})
    c = login(world.physician)
    c.post(reverse("network:team_remove", args=[world.patient.pk, world.nurse_member.pk]))
    world.nurse_member.refresh_from_db()
    assert world.nurse_member.status == MemberStatus.ACTIVE


def test_a_forged_member_id_of_another_team_is_404(world, login):
    r = login(world.physician).post(reverse("network:team_remove", args=[world.patient.pk, world.other_member.pk]))
    world.other_member.refresh_from_db()
    assert r.status_code == 404 and world.other_member.status == MemberStatus.ACTIVE


def test_a_removed_member_can_be_invited_again(world, login):
    c = login(world.physician)
    c.post(reverse("network:team_remove", args=[world.patient.pk, world.nurse_member.pk]))
    _invite(c, world, world.nurse, role="visiting_nurse")
    world.nurse_member.refresh_from_db()
    assert world.nurse_member.status == MemberStatus.INVITED


# --- a leaver's places handed over by the facility administrator (services.hand_over_places) ---------

def test_hand_over_refuses_the_leaver_as_their_own_successor(world):
    from renkei.network import services

    with pytest.raises(services.Refused):
        services.hand_over_places(leaver=world.nurse, successor=world.nurse, by=world.care_manager)
    assert CareTeamMember.objects.get(pk=world.nurse_member.pk).status == MemberStatus.ACTIVE


def test_hand_over_refuses_a_successor_who_may_not_join_a_team(world):
    from renkei.core.models import RegistrationStatus
    from renkei.network import services

    pending = UserFactory(registration_status=RegistrationStatus.PENDING)
    with pytest.raises(services.Refused):
        services.hand_over_places(leaver=world.nurse, successor=pending, by=world.care_manager)
    assert CareTeamMember.objects.get(pk=world.nurse_member.pk).status == MemberStatus.ACTIVE


def test_hand_over_gives_the_successor_the_leavers_role(world):
    from renkei.network import services

    successor = UserFactory(profession=Profession.NURSE)
    counts = services.hand_over_places(leaver=world.nurse, successor=successor, by=world.care_manager)
    place = CareTeamMember.objects.get(patient=world.patient, user=successor)
    assert counts["moved"] == 1 and place.role == world.nurse_member.role and place.status == MemberStatus.ACTIVE
    assert AuditEvent.objects.filter(action="create", patient_id=str(world.patient.pk),
                                     detail=f"took over from {world.nurse.pk}").exists()
