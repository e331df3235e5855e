import pytest
from django.core.management import call_command

from renkei.core.models import Facility, User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_mode(settings):
    settings.DEMO = True


def test_it_creates_the_contract_accounts():
    call_command("load_demo")
    expected = {"staff", "coordinator", "doctor", "nurse", "caremanager", "outsider"}
    assert expected <= set(User.objects.values_list("username", flat=True))


def test_it_is_idempotent():
    call_command("load_demo")
    counts = (User.objects.count(), Facility.objects.count())
    call_command("load_demo")
    assert (User.objects.count(), Facility.objects.count()) == counts


def test_demo_accounts_use_the_documented_totp_secret():
    call_command("load_demo")
    device = User.objects.get(username="doctor").totpdevice_set.get()
    assert device.key == "48656c6c6f21deadbeef"
