"""Consultation windows (ケアマネタイム): kept by the facility's members, shown to professionals only."""
import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from renkei.core.models import Affiliation, AuditEvent, FacilityKind, Profession
from renkei.directory import windows
from renkei.directory.models import ConsultationWindow
from renkei.network.models import FamilyAccess
from tests.factories import UserFactory
from tests.network.factories import PatientFactory

from .factories import FacilityFactory, monday_windows

pytestmark = pytest.mark.django_db
SECRET_NUMBER = "0422-99-1234"
SECRET_NOTE = "訪問診療の新規相談は火曜14時〜"


@pytest.fixture
def clinic():
    facility = FacilityFactory(name="テスト在宅クリニック", kind=FacilityKind.HOME_CARE_CLINIC)
    ConsultationWindow.objects.create(facility=facility, weekday=2, starts_at=datetime.time(14),
                                      ends_at=datetime.time(15), direct_number=SECRET_NUMBER, note=SECRET_NOTE)
    return facility


def member_of(facility, **kwargs):
    user = UserFactory(**kwargs)
    Affiliation.objects.create(user=user, facility=facility)
    return user


def test_the_public_facility_page_shows_neither_the_direct_number_nor_the_note(client, clinic):
    html = client.get(reverse("directory:detail", args=[clinic.pk])).content.decode()
    assert clinic.name in html and SECRET_NUMBER not in html and SECRET_NOTE not in html


def test_the_public_api_shows_neither_the_direct_number_nor_the_note(client, clinic):
    body = json.dumps(client.get(f"/api/v1/facilities/{clinic.pk}").json(), ensure_ascii=False)
    listing = json.dumps(client.get("/api/v1/facilities", {"q": "テスト在宅"}).json(), ensure_ascii=False)
    assert clinic.name in listing and SECRET_NUMBER not in body + listing and SECRET_NOTE not in body + listing


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "hsds"])
def test_the_public_exports_do_not_carry_the_direct_number(client, clinic, fmt):
    response = client.get(reverse("directory:export", args=[fmt]))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert SECRET_NUMBER.encode() not in content


def test_a_signed_in_professional_sees_the_windows_on_the_facility_page(login, clinic):
    html = login(UserFactory(profession=Profession.CARE_MANAGER)).get(
        reverse("directory:detail", args=[clinic.pk])).content.decode()
    assert SECRET_NUMBER in html and SECRET_NOTE in html


def test_a_professional_without_the_second_factor_does_not_see_them(login, clinic):
    html = login(UserFactory(), verified=False).get(reverse("directory:detail", args=[clinic.pk])).content.decode()
    assert SECRET_NUMBER not in html


def test_a_family_account_does_not_see_them(login, clinic):
    family = UserFactory(profession=Profession.OTHER)
    FamilyAccess.objects.create(patient=PatientFactory(), user=family, relationship="長女")
    html = login(family).get(reverse("directory:detail", args=[clinic.pk])).content.decode()
    assert SECRET_NUMBER not in html


def test_the_windows_list_needs_a_signed_in_professional(client, clinic):
    response = client.get(reverse("directory:windows"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_windows_list_shows_who_can_be_called(login, clinic):
    html = login(UserFactory()).get(reverse("directory:windows")).content.decode()
    assert clinic.name in html and SECRET_NOTE in html


def test_now_keeps_only_the_windows_open_at_this_moment(clinic):
    tuesday_2pm = timezone.make_aware(datetime.datetime(2026, 12, 1, 14, 30))
    wednesday = timezone.make_aware(datetime.datetime(2026, 12, 2, 14, 30))
    assert list(windows.windows_list(now=tuesday_2pm)) == list(clinic.consultation_windows.all())
    assert not windows.windows_list(now=wednesday).exists()


@pytest.mark.parametrize("rows", [2, 20])
def test_the_windows_list_runs_a_fixed_number_of_queries(login, rows, django_assert_num_queries):
    monday_windows(rows)
    client = login(UserFactory())
    client.get(reverse("directory:windows"))  # warm the session
    with django_assert_num_queries(9):
        assert client.get(reverse("directory:windows")).status_code == 200


def test_the_print_list_shows_the_direct_number_to_professionals(login, clinic):
    html = login(UserFactory()).get(reverse("directory:windows_print")).content.decode()
    assert SECRET_NUMBER in html and "関係者限り" in html


def test_a_member_replaces_the_windows(login, clinic):
    user = member_of(clinic)
    windows.save_windows(user=user, facility_id=clinic.pk, windows=[
        {"weekday": 4, "starts_at": "13:00", "ends_at": "14:00", "channel": "network", "note": "木曜午後"}])
    assert [(w.weekday, w.channel, w.note) for w in clinic.consultation_windows.all()] == [(4, "network", "木曜午後")]


def test_saving_windows_is_audited(clinic):
    user = member_of(clinic)
    windows.save_windows(user=user, facility_id=clinic.pk, windows=[])
    assert AuditEvent.objects.filter(actor=user, object_id=str(clinic.pk), detail__contains="相談受付時間").exists()


def test_a_window_ending_before_it_starts_is_refused(clinic):
    from renkei.core.errors import AppError

    with pytest.raises(AppError, match="終了時刻"):
        windows.save_windows(user=member_of(clinic), facility_id=clinic.pk, windows=[
            {"weekday": 1, "starts_at": "15:00", "ends_at": "14:00"}])


def test_someone_of_another_facility_cannot_edit_the_windows(login, clinic):
    outsider = member_of(FacilityFactory())
    response = login(outsider).get(reverse("directory:windows_edit", args=[clinic.pk]))
    assert response.status_code == 403


def test_municipal_staff_may_edit_the_windows(login, clinic):
    staff = UserFactory(profession=Profession.MUNICIPAL, is_municipal_staff=True)
    assert login(staff).get(reverse("directory:windows_edit", args=[clinic.pk])).status_code == 200


def test_the_edit_page_saves_the_rows_with_a_weekday(login, clinic):
    client = login(member_of(clinic))
    form = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0",
            "form-0-weekday": "3", "form-0-starts_at": "10:00", "form-0-ends_at": "11:00", "form-0-channel": "phone",
            "form-0-direct_number": "0422-11-2222", "form-1-weekday": "", "form-1-channel": "phone"}
    response = client.post(reverse("directory:windows_edit", args=[clinic.pk]), form)
    assert response.status_code == 302
    assert [w.direct_number for w in clinic.consultation_windows.all()] == ["0422-11-2222"]


def test_an_import_leaves_the_windows_alone(clinic):
    from renkei.directory.importing import import_kaigo_file

    from .factories import kaigo_file, kaigo_row

    clinic.kind, clinic.official_id = FacilityKind.VISITING_NURSING, "1360000001"
    clinic.save()
    import_kaigo_file(kaigo_file([kaigo_row("1360000001", name="改名後")]), file_name="jigyosho_130.csv")
    assert clinic.consultation_windows.get().direct_number == SECRET_NUMBER
