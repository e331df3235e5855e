import pytest
from django.core.management import call_command

from renkei.core.models import User
from renkei.network.models import Attachment, CareTeamMember, Patient, Post, VitalSigns
from renkei.network.selectors import patients_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_mode(settings):
    settings.DEMO = True


def _counts():
    return tuple(m.objects.count() for m in (Patient, CareTeamMember, Post, VitalSigns, Attachment))


def test_the_demo_has_five_fictional_patients_shared_by_the_team():
    call_command("load_demo")
    doctor = User.objects.get(username="doctor")
    assert patients_visible_to(doctor).filter(is_fictional=True).count() == 5


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
