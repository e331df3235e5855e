import pytest
from django.urls import reverse

from renkei.core.models import AuditEvent
from renkei.network import services
from renkei.network.models import CareTeamMember, Patient
from tests.factories import UserFactory, musashino
from tests.network.conftest import queries_of
from tests.network.factories import CareTeamMemberFactory, PatientFactory, PostFactory

pytestmark = pytest.mark.django_db

LIST = reverse("network:patient_list")


def test_the_list_shows_only_my_patients(world, login):
    names = [p.name for p in login(world.nurse).get(LIST).context["page"]]
    assert names == ["武蔵野 テスト花子"]


def test_staff_and_coordinators_see_no_patient(world, login):
    staff = UserFactory(is_municipal_staff=True, is_coordinator=True)
    assert list(login(staff).get(LIST).context["page"]) == []


@pytest.mark.parametrize("query", ["むさしの", "ムサシノ", "ﾑｻｼﾉ", "武蔵野", "テスト花子", "てすと　はなこ", "ﾃｽﾄ ﾊﾅｺ"])
def test_search_is_insensitive_to_kana_kind_and_width(world, login, query):
    names = [p.name for p in login(world.nurse).get(LIST, {"q": query}).context["page"]]
    assert names == ["武蔵野 テスト花子"]


def test_search_finds_nothing_for_another_name(world, login):
    assert list(login(world.nurse).get(LIST, {"q": "みたか"}).context["page"]) == []


def test_the_list_shows_unread_counts(world, login):
    PostFactory.create_batch(3, patient=world.patient, author=world.physician)
    read = PostFactory(patient=world.patient, author=world.physician)
    services.mark_read(posts=[read], user=world.nurse)
    PostFactory(patient=world.patient, author=world.nurse)
    assert login(world.nurse).get(LIST).context["page"][0].unread == 3


def test_the_list_orders_by_last_activity_newest_first(world, login):
    second = PatientFactory(name="吉祥寺 架空三郎")
    CareTeamMemberFactory(patient=second, user=world.nurse)
    PostFactory(patient=world.patient, author=world.physician)
    PostFactory(patient=second, author=world.physician)
    names = [p.name for p in login(world.nurse).get(LIST).context["page"]]
    assert names == ["吉祥寺 架空三郎", "武蔵野 テスト花子"]


def test_the_list_is_audited(world, login):
    login(world.nurse).get(LIST)
    assert AuditEvent.objects.filter(action="read", actor=world.nurse, detail__startswith="patient list").exists()


def _add(world, n):
    for patient in PatientFactory.create_batch(n):
        CareTeamMemberFactory(patient=patient, user=world.nurse)
        CareTeamMemberFactory(patient=patient)
        PostFactory.create_batch(2, patient=patient, author=world.physician)


def test_the_list_runs_a_fixed_number_of_queries(world, login, django_assert_num_queries):
    c = login(world.nurse)
    _add(world, 1)
    queries = queries_of(lambda: c.get(LIST))
    _add(world, 18)
    with django_assert_num_queries(queries):
        assert len(c.get(LIST).context["page"]) == 20


def _patient_data(**extra):
    return {"name": "調布 架空四郎", "name_kana": "ちょうふ かくうしろう", "birth_date": "1940-05-02", "sex": "male",
            "municipality": musashino().pk, "address": "架空町1-1", "care_level": "care_3", "status": "home",
            "role": "physician", **extra}


def test_a_professional_registers_a_patient_and_becomes_manager(world, login):
    r = login(world.physician).post(reverse("network:patient_create"), _patient_data())
    patient = Patient.objects.get(name="調布 架空四郎")
    assert r.status_code == 302 and CareTeamMember.objects.get(patient=patient).is_manager


def test_an_ended_patient_needs_a_date(world, login):
    r = login(world.physician).post(reverse("network:patient_create"), _patient_data(status="ended", end_reason="death"))
    assert r.status_code == 400 and "終了日" in r.content.decode()
    assert not Patient.objects.filter(name="調布 架空四郎").exists()


def test_a_future_birth_date_is_refused(world, login):
    r = login(world.physician).post(reverse("network:patient_create"), _patient_data(birth_date="2999-01-01"))
    assert r.status_code == 400 and "未来" in r.content.decode()


def test_a_member_updates_the_status_to_hospital(world, login):
    data = _patient_data(status="hospital", form="patient")
    data.pop("role")
    login(world.nurse).post(reverse("network:profile", args=[world.patient.pk]), data)
    world.patient.refresh_from_db()
    assert world.patient.status == "hospital"


def test_a_key_person_is_added(world, login):
    login(world.nurse).post(reverse("network:profile", args=[world.patient.pk]),
                            {"form": "contact", "name": "武蔵野 架空太郎", "relationship": "長男", "is_key_person": "on"})
    assert world.patient.key_person.name == "武蔵野 架空太郎"


def test_an_outsider_cannot_read_the_profile(world, login):
    assert login(world.stranger).get(reverse("network:profile", args=[world.patient.pk])).status_code == 404


def test_the_network_pages_say_patient_not_user(world, login):
    """The network is the medical side (menu 「患者」): its pages say 患者, never 利用者, within one page."""
    client = login(world.physician)
    for url in (reverse("network:patient_list"), reverse("network:patient_create")):
        page = client.get(url).content.decode()
        assert "患者" in page and "利用者" not in page.split("<main", 1)[-1]
