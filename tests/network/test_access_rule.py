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


def test_post_notice_is_allowed_without_consent_and_audited():
    from renkei.core.models import AuditEvent
    from renkei.network.services import post_notice

    member = CareTeamMemberFactory()
    post = post_notice(patient=member.patient, author=member.user, body="入院時情報連携シートを送付しました")
    assert post.kind == "notice" and AuditEvent.objects.filter(object_id=str(post.pk), detail="notice").exists()


PATIENT_URLS = [
    "timeline", "poll", "post_create", "vitals_create", "profile", "consent", "team", "team_invite",
    "family_timeline", "family_poll", "family_post_create", "family_account_create",
]


# The pages that answer only one method: the other is refused (405) before any lookup, revealing nothing.
REFUSED = {"get": {"post_create", "vitals_create", "team_invite", "family_post_create", "family_account_create"},
           "post": {"timeline", "poll", "family_timeline", "family_poll"}}


@pytest.mark.parametrize("name", PATIENT_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_patient_page_answers_an_outsider_as_if_the_patient_did_not_exist(world, login, name, method):
    from django.urls import reverse

    ask = getattr(login(world.stranger), method)
    response = ask(reverse(f"network:{name}", args=[world.patient.pk]))
    missing = ask(reverse(f"network:{name}", args=[world.patient.pk + 1000]))
    expected = 405 if name in REFUSED[method] else 404
    assert (response.status_code, missing.status_code) == (expected, expected)
    assert world.patient.name not in response.content.decode()


def test_every_patient_url_is_covered_by_the_outsider_test():
    from django.urls import get_resolver

    patterns = get_resolver("renkei.network.urls").url_patterns
    with_pk = {p.name for p in patterns if "<int:pk>" in str(p.pattern) and not p.name.startswith("group")}
    nested = {"consent_withdraw", "team_remove", "team_manager", "family_account_revoke"}
    assert with_pk - nested == set(PATIENT_URLS)
