import pytest
from django.http import Http404

from renkei.network.models import MemberStatus
from renkei.network.selectors import get_visible_patient_or_404, patients_visible_to
from tests.factories import UserFactory
from tests.network.factories import CareTeamMemberFactory, PatientFactory

pytestmark = pytest.mark.django_db


def test_an_active_member_sees_the_patient():
    member = CareTeamMemberFactory()
    assert list(patients_visible_to(member.user)) == [member.patient]


def test_an_invited_member_sees_nothing_yet():
    member = CareTeamMemberFactory(status=MemberStatus.INVITED)
    assert not patients_visible_to(member.user).exists()


def test_a_removed_member_sees_nothing():
    member = CareTeamMemberFactory(status=MemberStatus.REMOVED)
    assert not patients_visible_to(member.user).exists()


def test_municipal_staff_see_no_patient_unless_members():
    PatientFactory()
    staff = UserFactory(is_municipal_staff=True, is_coordinator=True, is_superuser=True)
    assert not patients_visible_to(staff).exists()


def test_another_teams_patient_is_404_like_a_missing_one():
    member = CareTeamMemberFactory()
    other = PatientFactory()
    for pid in (other.pk, 999999, "abc"):
        with pytest.raises(Http404):
            get_visible_patient_or_404(member.user, pid)


def test_a_patient_is_listed_once_whatever_the_team_size():
    member = CareTeamMemberFactory()
    CareTeamMemberFactory.create_batch(3, patient=member.patient)
    assert patients_visible_to(member.user).count() == 1


def test_a_withdrawn_account_sees_nothing_even_with_a_live_session():
    member = CareTeamMemberFactory()
    member.user.registration_status = "withdrawn"
    member.user.save()
    assert not patients_visible_to(member.user).exists()
