"""Sending: to team members and/or a facility's liaison office; a notice on the timeline; clear refusals."""
import pytest
from django.urls import reverse

from renkei.core.errors import AppError
from renkei.network.models import Post
from renkei.network.services import Refused
from renkei.sheets import services
from renkei.sheets.models import SheetDelivery, SheetStatus
from tests.sheets.factories import SheetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(world):
    return SheetFactory(patient=world.patient, author=world.care_manager)


def test_sending_to_a_facility_without_a_liaison_account_is_refused(world, sheet):
    with pytest.raises(Refused, match="医療連携室のアカウントが登録されていない"):
        services.send(sheet=sheet, user=world.care_manager, facility=world.bare_hospital)


def test_the_refused_send_leaves_no_delivery_and_no_notice(world, sheet):
    with pytest.raises(Refused):
        services.send(sheet=sheet, user=world.care_manager, facility=world.bare_hospital)
    assert not SheetDelivery.objects.exists() and not Post.objects.exists()


def test_the_send_page_shows_the_refusal_next_to_the_facility(world, sheet, login):
    r = login(world.care_manager).post(reverse("sheets:send", args=[sheet.pk]), {"facility": world.bare_hospital.pk})
    assert r.status_code == 400 and "医療連携室のアカウントが登録されていない" in r.content.decode()


def test_the_api_answers_400_for_a_facility_without_a_liaison_account(client, world, sheet, bearer):
    r = client.post(f"/api/v1/sheets/{sheet.pk}/send", {"facility_id": world.bare_hospital.pk},
                    content_type="application/json", HTTP_AUTHORIZATION=bearer(world.care_manager))
    assert r.status_code == 400 and "医療連携室" in r.json()["detail"]


def test_a_draft_cannot_be_sent(world):
    draft = SheetFactory(patient=world.patient, author=world.care_manager, status=SheetStatus.DRAFT)
    with pytest.raises(Refused, match="確定してから"):
        services.send(sheet=draft, user=world.care_manager, facility=world.hospital)


def test_sending_to_team_members_records_them_as_addressees(world, sheet):
    services.send(sheet=sheet, user=world.care_manager, addressees=[world.nurse, world.physician])
    assert set(sheet.addressees.all()) == {world.nurse, world.physician} and sheet.sent_at


def test_a_non_member_cannot_be_an_addressee(world, sheet):
    with pytest.raises(Refused, match="ケアチームのメンバーではない"):
        services.send(sheet=sheet, user=world.care_manager, addressees=[world.stranger])


def test_sending_posts_a_notice_without_clinical_detail(world, sheet):
    services.send(sheet=sheet, user=world.care_manager, addressees=[world.nurse])
    body = Post.objects.get().body
    assert "送付しました" in body and sheet.content["medicines"] not in body


def test_sending_twice_to_the_same_facility_is_refused(world, sheet):
    services.send(sheet=sheet, user=world.care_manager, facility=world.hospital)
    with pytest.raises(AppError):
        services.send(sheet=sheet, user=world.care_manager, facility=world.hospital)


def test_someone_off_the_team_cannot_send(world, sheet):
    with pytest.raises(Refused):
        services.send(sheet=sheet, user=world.stranger, facility=world.hospital)


def test_a_liaison_of_another_hospital_cannot_confirm_receipt(world, sheet):
    from tests.sheets.factories import hospital, liaison_for

    services.send(sheet=sheet, user=world.care_manager, facility=world.hospital)
    stranger = liaison_for(hospital())
    with pytest.raises(Refused):
        services.confirm_receipt(sheet=sheet, user=stranger)


def test_an_unapproved_liaison_account_does_not_count_as_a_liaison_office(world, sheet):
    from renkei.core.models import RegistrationStatus
    from tests.sheets.factories import liaison_for

    liaison_for(world.bare_hospital, registration_status=RegistrationStatus.PENDING)
    with pytest.raises(Refused):
        services.send(sheet=sheet, user=world.care_manager, facility=world.bare_hospital)


def test_the_api_answers_400_for_an_addressee_who_does_not_exist(client, world, sheet, bearer):
    r = client.post(f"/api/v1/sheets/{sheet.pk}/send", {"addressee_ids": [world.nurse.pk, 987654]},
                    content_type="application/json", HTTP_AUTHORIZATION=bearer(world.care_manager))
    assert r.status_code == 400 and r.json()["detail"] == "宛先に存在しないアカウントが含まれています。"
    sheet.refresh_from_db()
    assert sheet.sent_at is None and not sheet.addressees.exists()
