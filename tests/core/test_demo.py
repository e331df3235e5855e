import datetime

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from renkei.core.access import home_municipality
from renkei.core.demo import DEMO_PASSWORD
from renkei.core.member_figures import registered_member_figures
from renkei.core.models import Affiliation, Facility, RegistrationStatus, User
from renkei.core.selectors import member_table

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
    counts = (User.objects.count(), Facility.objects.count(), Affiliation.objects.count())
    call_command("load_demo")
    assert (User.objects.count(), Facility.objects.count(), Affiliation.objects.count()) == counts


def test_demo_accounts_use_the_documented_totp_secret():
    call_command("load_demo")
    device = User.objects.get(username="doctor").totpdevice_set.get()
    assert device.key == "48656c6c6f21deadbeef"


def test_demo_members_follow_the_citys_published_table():
    call_command("load_demo")
    table = member_table(datetime.date(2023, 1, 31))
    by_profession = {row.profession: row.total for row in table.rows}
    assert table.total == 675 and by_profession["physician"] == 80 and by_profession["care_manager"] == 126


def test_demo_members_give_the_reported_yearly_totals():
    call_command("load_demo")
    figures = {f.fiscal_year: f.value for f in registered_member_figures([2019, 2020], home_municipality()) if f.key == "network.registered_members"}
    assert figures == {2019: 605, 2020: 637}


def test_fictional_members_cannot_log_in(client):
    call_command("load_demo")
    member = User.objects.filter(username__startswith="demo-member-").first()
    assert not member.has_usable_password()


def test_demo_has_applications_waiting_for_a_decision():
    call_command("load_demo")
    assert User.objects.filter(registration_status=RegistrationStatus.PENDING).count() == 2


def test_reloading_brings_a_decided_application_back_to_pending():
    call_command("load_demo")
    User.objects.filter(username="applicant-pharmacist").update(registration_status=RegistrationStatus.REJECTED)
    call_command("load_demo")
    assert User.objects.get(username="applicant-pharmacist").is_pending


def test_it_refuses_to_run_outside_demo_mode(settings):
    settings.DEMO = False
    with pytest.raises(CommandError, match="RENKEI_DEMO=1"):
        call_command("load_demo")


# Two cities on the demo. The core loader alone: the other apps' loaders are tested in their own modules.

def _load_core():
    from renkei.core import demo

    demo.load()


def test_staff_mitaka_acts_for_mitaka_only():
    _load_core()
    mitaka = User.objects.get(username="staff_mitaka")
    assert mitaka.is_municipal_staff and mitaka.is_approved
    assert list(mitaka.acts_for.values_list("code", flat=True)) == ["13204"]


def test_staff_and_the_coordinator_act_for_musashino_only():
    _load_core()
    for username in ("staff", "coordinator"):
        assert list(User.objects.get(username=username).acts_for.values_list("code", flat=True)) == ["13203"]


def test_the_professionals_act_for_no_city():
    _load_core()
    assert not User.objects.filter(username__in=["doctor", "nurse", "caremanager", "outsider"],
                                   acts_for__isnull=False).exists()


def test_staff_mitaka_works_at_a_fictional_municipal_office_in_mitaka():
    _load_core()
    facility = Facility.objects.get(affiliations__user__username="staff_mitaka")
    assert facility.municipality.code == "13204" and facility.kind == "municipal_office"
    assert facility.is_fictional and "三鷹市" in facility.address and 35.6 < facility.lat < 35.8


def test_staff_mitaka_logs_in_with_the_demo_password_and_totp_secret(client):
    from renkei.core.demo import DEMO_PASSWORD
    from tests.factories import current_code

    _load_core()
    user = User.objects.get(username="staff_mitaka")
    device = user.totpdevice_set.get()
    assert device.key == User.objects.get(username="staff").totpdevice_set.get().key
    r = client.post("/accounts/login/", {"username": "staff_mitaka", "password": DEMO_PASSWORD})
    assert r.status_code == 302 and r["Location"].startswith("/accounts/otp/")
    r = client.post("/accounts/otp/", {"otp": current_code(device), "next": "/"})
    assert r.status_code == 302 and r["Location"] == "/"
    assert ">三鷹市</span>" in client.get("/").content.decode()


def test_staff_mitaka_leaves_musashinos_published_member_counts_alone():
    _load_core()
    table = member_table(datetime.date(2023, 1, 31))
    assert table.total == 675


def test_reloading_keeps_staff_mitaka_to_one_city():
    from renkei.core.models import Municipality

    _load_core()
    User.objects.get(username="staff_mitaka").acts_for.add(Municipality.objects.get(code="13203"))
    _load_core()
    assert list(User.objects.get(username="staff_mitaka").acts_for.values_list("code", flat=True)) == ["13204"]


def test_the_demo_facility_administrator_manages_the_nursing_station():
    from renkei.core.access import administered_facilities

    call_command("load_demo")
    (station,) = administered_facilities(User.objects.get(username="facility_admin"))
    assert User.objects.get(username="nurse").affiliations.filter(facility=station).exists()


def test_the_demo_facility_administrator_has_the_demo_secret_and_reloading_keeps_one_role():
    from renkei.core.models import FacilityAdministrator

    call_command("load_demo")
    call_command("load_demo")
    user = User.objects.get(username="facility_admin")
    assert FacilityAdministrator.objects.filter(user=user).count() == 1
    assert user.check_password(DEMO_PASSWORD) and TOTPDevice.objects.filter(user=user, confirmed=True).exists()
