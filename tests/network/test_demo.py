import pytest
from django.core.management import call_command
from django.urls import reverse

from renkei.core.models import User
from renkei.network.models import Attachment, CareTeamMember, Patient, Post, VitalSigns
from renkei.network.selectors import patients_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_mode(settings):
    settings.DEMO = True


def _counts():
    return tuple(m.objects.count() for m in (Patient, CareTeamMember, Post, VitalSigns, Attachment))


def test_the_demo_has_six_fictional_patients_shared_by_the_team():
    call_command("load_demo")
    doctor = User.objects.get(username="doctor")
    assert patients_visible_to(doctor).filter(is_fictional=True).count() == 6


def test_the_outsider_is_in_no_team():
    call_command("load_demo")
    assert not patients_visible_to(User.objects.get(username="outsider")).exists()


def test_the_demo_has_posts_vitals_and_a_photo():
    call_command("load_demo")
    assert Post.objects.count() > 20 and VitalSigns.objects.count() > 10
    assert Attachment.objects.filter(kind="image").exists()


def test_loading_twice_gives_the_same_data():
    call_command("load_demo")
    first = _counts()
    call_command("load_demo")
    assert _counts() == first


# A Mitaka patient on a team across city lines. The core and network loaders alone, so that these tests
# do not depend on the loaders of the apps that come after the network.

def _load_core_and_network():
    from renkei.core import demo as core_demo
    from renkei.network import demo as network_demo

    core_demo.load()
    network_demo.load()
    return Patient.objects.get(municipality__code="13204", is_fictional=True)


def test_one_demo_patient_lives_in_mitaka():
    patient = _load_core_and_network()
    assert patient.municipality.name == "三鷹市" and "三鷹市" in patient.address
    assert Patient.objects.filter(is_fictional=True, municipality__code="13203").count() == 5


def test_the_mitaka_patients_team_has_the_musashino_professionals_and_a_fuchu_hospitals_liaison():
    patient = _load_core_and_network()
    members = CareTeamMember.objects.filter(patient=patient, status="active").select_related("user")
    cities = {m.user.username: {a.facility.municipality.code for a in m.user.affiliations.select_related(
        "facility__municipality")} for m in members}
    assert cities == {"doctor": {"13203"}, "nurse": {"13203"}, "caremanager": {"13203"}, "liaison_fuchu": {"13206"}}


def test_the_fuchu_liaison_is_a_fictional_hospitals_liaison_office():
    _load_core_and_network()
    liaison = User.objects.get(username="liaison_fuchu")
    facility = liaison.affiliations.get().facility
    assert liaison.profession == "hospital_liaison" and facility.kind == "hospital" and facility.is_fictional


@pytest.mark.parametrize("username", ["doctor", "nurse", "caremanager", "liaison_fuchu"])
def test_every_member_of_the_mitaka_team_opens_the_timeline(login, username):
    patient = _load_core_and_network()
    response = login(User.objects.get(username=username)).get(reverse("network:timeline", args=[patient.pk]))
    assert response.status_code == 200 and "府中けやき総合病院" in response.content.decode()


@pytest.mark.parametrize("username", ["outsider", "staff_mitaka", "staff"])
def test_anyone_off_the_team_gets_404_even_the_citys_staff(login, username):
    patient = _load_core_and_network()
    response = login(User.objects.get(username=username)).get(reverse("network:timeline", args=[patient.pk]))
    assert response.status_code == 404


def test_the_liaison_can_post_to_the_team(login):
    patient = _load_core_and_network()
    client = login(User.objects.get(username="liaison_fuchu"))
    before = Post.objects.filter(patient=patient).count()
    client.post(reverse("network:post_create", args=[patient.pk]), {"body": "退院日が決まりました。"})
    assert Post.objects.filter(patient=patient).count() == before + 1


def test_loading_the_mitaka_patient_twice_changes_nothing():
    _load_core_and_network()
    first = _counts()
    _load_core_and_network()
    assert _counts() == first


def test_the_demo_physician_has_items_in_their_list_and_reply_templates():
    from renkei.network import inbox

    call_command("load_demo")
    doctor = User.objects.get(username="doctor")
    reasons = {r.code for item in inbox.inbox_items(doctor) for r in item.reasons}
    assert {"important", "mention", "question"} <= reasons and doctor.reply_templates.count() == 3
