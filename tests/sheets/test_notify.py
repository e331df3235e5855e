"""Nobody misses a sheet: the bell and an unread mark per addressee, read receipts for the sender,
the hospital's receipt confirmation in the sender's bell, and a send page that asks only what it must."""
import pytest
from django.urls import reverse

from renkei.network.models import Notification, NotificationKind, TeamRole
from renkei.network.selectors import unread_notification_count
from renkei.network.services import Refused
from renkei.sheets import services
from renkei.sheets.models import SheetKind, SheetRead
from renkei.sheets.rules import common_name
from tests.sheets.factories import SheetFactory, hospital, liaison_for, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(world):
    return SheetFactory(patient=world.patient, author=world.care_manager)


# --- 1. the bell, the unread mark, read receipts ------------------------------------------------

def test_sending_to_team_members_rings_each_addressees_bell(world, sheet):
    services.send(sheet=sheet, user=world.care_manager, addressees=[world.nurse, world.physician])
    rows = Notification.objects.filter(kind=NotificationKind.SHEET, sheet=sheet)
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted([world.nurse.pk, world.physician.pk])
    assert all(n.actor_id == world.care_manager.pk and n.patient_id == world.patient.pk for n in rows)
    assert unread_notification_count(world.nurse) == 1 and unread_notification_count(world.care_manager) == 0


def test_sending_leaves_an_unread_mark_per_addressee(world, sheet):
    services.send(sheet=sheet, user=world.care_manager, addressees=[world.nurse, world.physician])
    marks = SheetRead.objects.filter(sheet=sheet)
    assert {m.user_id for m in marks} == {world.nurse.pk, world.physician.pk}
    assert all(m.read_at is None for m in marks)


def test_the_bell_list_links_to_the_sheet(world, sheet, login):
    services.send(sheet=sheet, user=world.care_manager, addressees=[world.nurse])
    page = login(world.nurse).get(reverse("network:notifications")).content.decode()
    assert reverse("sheets:detail", args=[sheet.pk]) in page and "連携シート" in page


def test_the_addressee_sees_the_unread_mark_in_the_sheet_lists(world, sheet, login):
    services.send(sheet=sheet, user=world.care_manager, addressees=[world.nurse])
    client = login(world.nurse)
    assert "未読" in client.get(reverse("sheets:patient_sheets", args=[world.patient.pk])).content.decode()
    client.get(reverse("sheets:detail", args=[sheet.pk]))
    assert "未読" not in client.get(reverse("sheets:patient_sheets", args=[world.patient.pk])).content.decode()


def test_opening_the_sheet_marks_it_read_for_that_addressee_only(world, sheet, login):
    services.send(sheet=sheet, user=world.care_manager, addressees=[world.nurse, world.physician])
    login(world.nurse).get(reverse("sheets:detail", args=[sheet.pk]))
    assert SheetRead.objects.get(sheet=sheet, user=world.nurse).read_at is not None
    assert SheetRead.objects.get(sheet=sheet, user=world.physician).read_at is None
    assert unread_notification_count(world.nurse) == 0 and unread_notification_count(world.physician) == 1


def test_reading_the_sheet_over_the_api_marks_it_read(client, world, sheet, bearer):
    services.send(sheet=sheet, user=world.care_manager, addressees=[world.nurse])
    assert client.get(f"/api/v1/sheets/{sheet.pk}", HTTP_AUTHORIZATION=bearer(world.nurse)).status_code == 200
    assert SheetRead.objects.get(sheet=sheet, user=world.nurse).read_at is not None
    assert unread_notification_count(world.nurse) == 0


def test_the_sender_sees_per_addressee_unread_then_read_with_the_time(world, sheet, login):
    services.send(sheet=sheet, user=world.care_manager, addressees=[world.nurse, world.physician])
    client = login(world.care_manager)
    page = client.get(reverse("sheets:detail", args=[sheet.pk])).content.decode()
    assert page.count("未読") == 2 and "既読" not in page.replace("受領確認・既読", "")
    login(world.nurse).get(reverse("sheets:detail", args=[sheet.pk]))
    page = login(world.care_manager).get(reverse("sheets:detail", args=[sheet.pk])).content.decode()
    assert page.count("未読") == 1 and "既読（" in page


def test_a_sheet_sent_before_read_marks_existed_shows_a_dash_not_unread(world, sheet, login):
    sheet.addressees.add(world.nurse)
    page = login(world.care_manager).get(reverse("sheets:detail", args=[sheet.pk])).content.decode()
    assert "未読" not in page


def test_resending_keeps_the_read_time(world, sheet, login):
    services.send(sheet=sheet, user=world.care_manager, addressees=[world.nurse])
    login(world.nurse).get(reverse("sheets:detail", args=[sheet.pk]))
    services.send(sheet=sheet, user=world.care_manager, addressees=[world.nurse])
    assert SheetRead.objects.get(sheet=sheet, user=world.nurse).read_at is not None


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as counted:
        assert client.get(url).status_code == 200
    return len(counted)


def test_the_sheet_page_takes_the_same_queries_whatever_the_addressees(world, login):
    small = SheetFactory(patient=world.patient, author=world.care_manager)
    large = SheetFactory(patient=world.patient, author=world.care_manager)
    extra = [member(world.patient, role=TeamRole.OTHER) for _ in range(4)]
    services.send(sheet=small, user=world.care_manager, addressees=[world.nurse])
    services.send(sheet=large, user=world.care_manager, addressees=[world.nurse, world.physician, *extra])
    client = login(world.care_manager)
    client.get(reverse("sheets:detail", args=[small.pk]))  # warm the session
    assert _queries(client, reverse("sheets:detail", args=[small.pk])) == _queries(
        client, reverse("sheets:detail", args=[large.pk]))


def test_the_send_page_takes_the_same_queries_whatever_the_team(world, login):
    sheet = SheetFactory(patient=world.patient, author=world.nurse, kind=SheetKind.NURSING_INFO)
    client = login(world.nurse)
    client.get(reverse("sheets:send", args=[sheet.pk]))
    before = _queries(client, reverse("sheets:send", args=[sheet.pk]))
    for _ in range(4):
        member(world.patient, facility=world.office)
    liaison_for(hospital(name="医療法人社団成友会　小森病院"))
    assert _queries(client, reverse("sheets:send", args=[sheet.pk])) == before


# --- 2. the hospital's receipt confirmation ------------------------------------------------------

def test_the_receipt_confirmation_reaches_the_senders_bell(world, sheet):
    services.send(sheet=sheet, user=world.care_manager, facility=world.hospital)
    services.confirm_receipt(sheet=sheet, user=world.liaison)
    n = Notification.objects.get(kind=NotificationKind.RECEIPT)
    assert (n.recipient_id, n.actor_id, n.sheet_id) == (world.care_manager.pk, world.liaison.pk, sheet.pk)
    assert unread_notification_count(world.care_manager) == 1 and unread_notification_count(world.liaison) == 0


def test_a_refused_receipt_rings_no_bell(world, sheet):
    services.send(sheet=sheet, user=world.care_manager, facility=world.hospital)
    services.confirm_receipt(sheet=sheet, user=world.liaison)
    with pytest.raises(Refused):
        services.confirm_receipt(sheet=sheet, user=world.liaison)
    assert Notification.objects.filter(kind=NotificationKind.RECEIPT).count() == 1


# --- 3. the send page --------------------------------------------------------------------------

def test_the_sender_is_never_offered(world, sheet, login):
    page = login(world.care_manager).get(reverse("sheets:send", args=[sheet.pk])).content.decode()
    assert world.nurse.name in page and world.care_manager.name not in page.split("<form", 1)[1]


def test_a_forged_send_to_oneself_is_refused(world, sheet, login):
    r = login(world.care_manager).post(reverse("sheets:send", args=[sheet.pk]), {"addressees": [world.care_manager.pk]})
    assert r.status_code == 400 and not SheetRead.objects.exists() and not Notification.objects.exists()


def test_the_service_refuses_the_sender_as_addressee(world, sheet):
    with pytest.raises(Refused, match="ご自身"):
        services.send(sheet=sheet, user=world.care_manager, addressees=[world.care_manager, world.nurse])


def test_each_addressee_is_shown_with_profession_and_facility(world, sheet, login):
    page = login(world.care_manager).get(reverse("sheets:send", args=[sheet.pk])).content.decode()
    assert f"{world.nurse.name}（看護師（訪問看護）・（架空）さくら訪問看護）" in page


def test_the_unified_form_pre_selects_the_patients_care_manager(world, login):
    form = SheetFactory(patient=world.patient, author=world.nurse, kind=SheetKind.NURSING_INFO)
    r = login(world.nurse).get(reverse("sheets:send", args=[form.pk]))
    assert r.context["form"].initial["addressees"] == [world.care_manager.pk]
    chosen = [w for w in r.context["form"]["addressees"] if w.data["selected"]]
    assert [w.data["value"].value for w in chosen] == [world.care_manager.pk]


def test_other_kinds_pre_select_nobody(world, sheet, login):
    r = login(world.care_manager).get(reverse("sheets:send", args=[sheet.pk]))
    assert "addressees" not in r.context["form"].initial


def test_hospitals_are_listed_by_their_common_name(world, sheet, login):
    corp = hospital(name="医療法人社団成友会　小森病院")
    liaison_for(corp)
    page = login(world.care_manager).get(reverse("sheets:send", args=[sheet.pk])).content.decode()
    assert ">小森病院</option>" in page and "医療法人社団" not in page


def test_the_hospital_named_in_the_sheet_is_the_default_addressee(world, login):
    corp = hospital(name="医療法人社団成友会　小森病院")
    liaison_for(corp)
    admission = SheetFactory(patient=world.patient, author=world.care_manager)
    admission.content["hospital_name"] = "小森病院"
    admission.save()
    r = login(world.care_manager).get(reverse("sheets:send", args=[admission.pk]))
    assert r.context["form"].initial["facility"] == corp.pk
    assert f'<option value="{corp.pk}" selected>' in r.content.decode()


def test_an_unknown_hospital_name_leaves_the_choice_empty(world, sheet, login):
    r = login(world.care_manager).get(reverse("sheets:send", args=[sheet.pk]))  # 「架空総合病院」 is in no directory
    assert "facility" not in r.context["form"].initial


@pytest.mark.parametrize("name,expected", [
    ("医療法人社団成友会　小森病院", "小森病院"),
    ("医療法人社団　平和歯科医院", "平和歯科医院"),
    ("医療法人社団パーフェクトスマイル　吉祥寺デンタルオフィス", "吉祥寺デンタルオフィス"),
    ("医療法人財団慈生会野村病院", "野村病院"),
    ("医療法人社団 成友会 小森病院", "小森病院"),
    ("学校法人杏林学園杏林大学医学部付属病院", "杏林大学医学部付属病院"),
    ("社会福祉法人 むさしの福祉会 特別養護老人ホームけやき", "特別養護老人ホームけやき"),
    ("（架空）社会福祉法人むさしの会", "（架空）むさしの会"),
    ("（架空）医療法人社団テスト会　テスト中央病院", "（架空）テスト中央病院"),
    ("武蔵野赤十字病院", "武蔵野赤十字病院"),
    ("医療法人社団", "医療法人社団"),
    ("", ""),
])
def test_common_name(name, expected):
    assert common_name(name) == expected


# --- push to the phones (renkei/network/push.py; the push service is never reached) -------------------

def test_a_sheet_sent_to_a_member_is_pushed_to_the_members_phone(world, sheet, settings,
                                                                 django_capture_on_commit_callbacks):
    from unittest import mock

    from tests.network.factories import push_subscription

    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = "public", "private"
    phone = push_subscription(world.nurse)
    with mock.patch("pywebpush.webpush") as webpush, django_capture_on_commit_callbacks(execute=True):
        services.send(sheet=sheet, user=world.care_manager, addressees=[world.nurse])
    assert [c.args[0]["endpoint"] for c in webpush.call_args_list] == [phone.endpoint]
    assert world.patient.name not in webpush.call_args.kwargs["data"]
