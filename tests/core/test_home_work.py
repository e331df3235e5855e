"""The home page's "today's work" panel (issue 16, item 5): counts per role, in the user's cities and teams
only, a fixed number of queries, each count linking to the list that shows those items."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from renkei.core.home import todays_work
from renkei.core.models import Profession, RegistrationStatus
from renkei.network.models import MemberStatus, PostRead
from renkei.network.unread import recount
from renkei.programs.models import ClaimStatus, GrantStatus, RescueStatus
from renkei.records.models import FollowUpStatus
from renkei.sheets.models import SheetDelivery
from tests.factories import FacilityFactory, UserFactory, mitaka, musashino, staff_user
from tests.network.factories import CareTeamMemberFactory, PatientFactory, PostFactory
from tests.programs.factories import ClaimFactory, RescueApplicationFactory, RestartApplicationFactory
from tests.records.factories import ConsultationFactory
from tests.sheets.factories import SheetFactory, hospital, liaison_for

pytestmark = pytest.mark.django_db


def counts(user):
    """{label: count} over the sections of the user's panel."""
    return {item.label: item.count for section in todays_work(user) for item in section.items}


def item(user, label):
    return next(i for s in todays_work(user) for i in s.items if i.label == label)


def shown(body, label, n):
    return f"{label}：<strong>{n}</strong> 件" in body


def staff_data(n, city):
    RescueApplicationFactory.create_batch(n, municipality=city, status=RescueStatus.RECEIVED)
    RestartApplicationFactory.create_batch(n, municipality=city, status=GrantStatus.APPLIED)
    RestartApplicationFactory.create_batch(n, municipality=city, status=GrantStatus.ASSESSED)
    ClaimFactory.create_batch(n, municipality=city, status=ClaimStatus.DRAFT)
    ConsultationFactory.create_batch(n, municipality=city, follow_up_status=FollowUpStatus.OPEN)
    UserFactory.create_batch(n, registration_status=RegistrationStatus.PENDING, approved_on=None)


STAFF_LABELS = {
    "rescue": "利用決定待ちの緊急訪問介護の申請",
    "applied": "審査待ちのReスタート支援金の申請",
    "assessed": "6か月継続勤務の確認待ちのReスタート支援金",
    "claims": "確認待ちの連携費の請求",
    "follow": "フォローアップ対応中の相談",
    "registrations": "承認待ちの利用登録申請",
}


def test_staff_counts_only_their_cities_and_only_waiting_items(login):
    staff = staff_user()
    staff_data(2, musashino())
    staff_data(3, mitaka())  # another city: its applications, claims and consultations are not counted
    RescueApplicationFactory(municipality=musashino(), status=RescueStatus.APPROVED)
    RestartApplicationFactory(municipality=musashino(), status=GrantStatus.PAID)
    ClaimFactory(municipality=musashino(), status=ClaimStatus.APPROVED)
    ConsultationFactory(municipality=musashino(), follow_up_status=FollowUpStatus.DONE)
    got = counts(staff)
    for key in ("rescue", "applied", "assessed", "claims", "follow"):
        assert got[STAFF_LABELS[key]] == 2, key
    assert got[STAFF_LABELS["registrations"]] == 5  # registrations are area-wide

    body = login(staff).get("/").content.decode()
    assert "今日の仕事" in body
    assert shown(body, STAFF_LABELS["rescue"], 2)
    assert shown(body, STAFF_LABELS["registrations"], 5)


def test_staff_of_two_cities_counts_both():
    staff = UserFactory(is_municipal_staff=True, profession=Profession.MUNICIPAL, acts_for=[musashino(), mitaka()])
    staff_data(2, musashino())
    staff_data(3, mitaka())
    assert counts(staff)[STAFF_LABELS["rescue"]] == 5


def test_coordinator_sees_follow_ups_of_their_cities_only():
    coordinator = UserFactory(is_coordinator=True, profession=Profession.NURSE)
    ConsultationFactory.create_batch(2, municipality=musashino(), follow_up_status=FollowUpStatus.OPEN)
    ConsultationFactory.create_batch(4, municipality=mitaka(), follow_up_status=FollowUpStatus.OPEN)
    got = counts(coordinator)
    assert got[STAFF_LABELS["follow"]] == 2
    assert STAFF_LABELS["rescue"] not in got  # programs are the staff's


def _home_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


def test_staff_home_queries_do_not_grow_with_the_data(login):
    staff = staff_user()
    client = login(staff)
    staff_data(2, musashino())
    small = _home_queries(client)
    staff_data(18, musashino())
    assert counts(staff)[STAFF_LABELS["rescue"]] == 20
    assert _home_queries(client) == small


def test_staff_links_open_lists_of_those_items(login):
    staff = staff_user()
    client = login(staff)
    RescueApplicationFactory(person_name="架空 受付中", status=RescueStatus.RECEIVED)
    RescueApplicationFactory(person_name="架空 決定済", status=RescueStatus.APPROVED)
    RestartApplicationFactory(applicant_name="架空 審査待", status=GrantStatus.APPLIED)
    RestartApplicationFactory(applicant_name="架空 確認待", status=GrantStatus.ASSESSED)
    draft_station = FacilityFactory(name="架空 入力中ステーション")
    done_station = FacilityFactory(name="架空 承認済ステーション")
    ClaimFactory(station=draft_station, status=ClaimStatus.DRAFT)
    ClaimFactory(station=done_station, status=ClaimStatus.APPROVED)
    ClaimFactory(station=FacilityFactory(name="架空 他市ステーション"), municipality=mitaka(), status=ClaimStatus.DRAFT)
    ConsultationFactory(summary="フォロー中の相談", follow_up_status=FollowUpStatus.OPEN)
    ConsultationFactory(summary="完了した相談", follow_up_status=FollowUpStatus.DONE)
    pending = UserFactory(name="申請 中子", registration_status=RegistrationStatus.PENDING, approved_on=None)

    rescue = client.get(item(staff, STAFF_LABELS["rescue"]).url).content.decode()
    assert "架空 受付中" in rescue and "架空 決定済" not in rescue
    applied = client.get(item(staff, STAFF_LABELS["applied"]).url).content.decode()
    assert "架空 審査待" in applied and "架空 確認待" not in applied
    assessed = client.get(item(staff, STAFF_LABELS["assessed"]).url).content.decode()
    assert "架空 確認待" in assessed and "架空 審査待" not in assessed
    claims = client.get(item(staff, STAFF_LABELS["claims"]).url)
    assert claims.status_code == 200
    claims = claims.content.decode().split("<tbody>")[1].split("</tbody>")[0]  # the table, not the claim form
    assert "架空 入力中ステーション" in claims  # a claim of April 2025, listed whatever this month is
    assert "架空 承認済ステーション" not in claims and "架空 他市ステーション" not in claims
    follow = client.get(item(staff, STAFF_LABELS["follow"]).url).content.decode()
    assert "フォロー中の相談" in follow and "完了した相談" not in follow
    registrations = client.get(item(staff, STAFF_LABELS["registrations"]).url).content.decode()
    assert pending.name in registrations


def test_linkage_list_ignores_an_unknown_status(login):
    client = login(staff_user())
    response = client.get("/programs/linkage-fee/?status=<script>")
    assert response.status_code == 200


# --- professionals -----------------------------------------------------------------------------

UNREAD = "未読の投稿がある患者"
INVITES = "返事を待っている招待"


def unread_item(user):
    return next(i for s in todays_work(user) for i in s.items if i.label.startswith(UNREAD))


def test_professional_unread_by_patient_only_of_their_teams(login):
    nurse = UserFactory(profession=Profession.NURSE)
    mine = PatientFactory(name="自分 患者")
    quiet = PatientFactory(name="静か 患者")
    other = PatientFactory(name="他所 患者")
    CareTeamMemberFactory(patient=mine, user=nurse)
    CareTeamMemberFactory(patient=quiet, user=nurse)
    CareTeamMemberFactory(patient=other)  # another team: its posts are never counted for the nurse
    PostFactory.create_batch(3, patient=mine)
    read = PostFactory(patient=mine)
    PostRead.objects.create(post=read, user=nurse, read_at=timezone.now())
    recount(patient_ids=[mine.pk])
    PostFactory.create_batch(5, patient=other)
    removed = PatientFactory(name="離脱 患者")
    CareTeamMemberFactory(patient=removed, user=nurse, status=MemberStatus.REMOVED)
    PostFactory.create_batch(2, patient=removed)  # no longer on that team: not visible, not counted

    work = unread_item(nurse)
    assert work.count == 1 and "未読 3 件" in work.label
    section = next(s for s in todays_work(nurse) if s.patients)
    assert [(p.label, p.count) for p in section.patients] == [("自分 患者 さん", 3)]

    client = login(nurse)
    body = client.get("/").content.decode()
    assert "自分 患者 さん（未読 3 件）" in body and "他所 患者" not in body
    listed = client.get(work.url).content.decode()
    assert "自分 患者" in listed and "静か 患者" not in listed and "他所 患者" not in listed


def test_professional_invitations_counted(login):
    nurse = UserFactory(profession=Profession.NURSE)
    CareTeamMemberFactory(user=nurse, status=MemberStatus.INVITED, patient=PatientFactory(name="招待 患者"))
    CareTeamMemberFactory(status=MemberStatus.INVITED)  # someone else's invitation
    invites = item(nurse, INVITES)
    assert invites.count == 1
    assert "招待 患者" in login(nurse).get(invites.url).content.decode()


def test_professional_home_queries_do_not_grow_with_the_data(login):
    nurse = UserFactory(profession=Profession.NURSE)
    client = login(nurse)

    def add(n):
        for _ in range(n):
            patient = PatientFactory()
            CareTeamMemberFactory(patient=patient, user=nurse)
            PostFactory(patient=patient)
            CareTeamMemberFactory(user=nurse, status=MemberStatus.INVITED)
            address(SheetFactory(patient=patient), nurse)

    add(2)
    small = _home_queries(client)
    add(18)
    assert unread_item(nurse).count == 20
    assert item(nurse, "自分宛てで未開封の連携シート").count == 20
    assert _home_queries(client) == small


# --- hospital liaison --------------------------------------------------------------------------

CONFIRM = "受領確認待ちの連携シート"


def test_liaison_counts_unconfirmed_sheets_of_their_office_only(login):
    office = hospital(name="架空 連携病院")
    liaison = liaison_for(office)
    elsewhere = hospital(name="架空 別病院")
    sender = UserFactory()

    def deliver(facility, n, **kwargs):
        for _ in range(n):
            SheetDelivery.objects.create(sheet=SheetFactory(), facility=facility, sent_by=sender, **kwargs)

    deliver(office, 2)
    deliver(office, 1, received_at=timezone.now(), received_by=liaison)
    deliver(elsewhere, 4)
    work = item(liaison, CONFIRM)
    assert work.count == 2

    client = login(liaison)
    small = _home_queries(client)
    deliver(office, 18)
    assert item(liaison, CONFIRM).count == 20
    assert _home_queries(client) == small

    listed = client.get(work.url).content.decode()
    assert len(re.findall(r'<span class="badge warn">未確認</span>', listed)) == 20
    assert "受領確認待ちのシートはありません" not in listed


def test_nobody_without_the_second_factor_gets_a_panel(login):
    staff = staff_user()
    body = login(staff, verified=False).get("/").content.decode()
    assert "今日の仕事" not in body


UNOPENED = "自分宛てで未開封の連携シート"


def address(sheet, user):
    """What sending a sheet to a team member leaves: the addressee and an unread mark (sheets.services.send)."""
    from renkei.sheets.models import SheetRead

    sheet.addressees.add(user)
    SheetRead.objects.create(sheet=sheet, user=user)


def test_professional_unopened_sheets_addressed_to_them(login):
    nurse = UserFactory(profession=Profession.NURSE)
    waiting_patient = PatientFactory(name="宛先 待ち")
    opened_patient = PatientFactory(name="宛先 開封済")
    left_patient = PatientFactory(name="宛先 離脱")
    for patient in (waiting_patient, opened_patient):
        CareTeamMemberFactory(patient=patient, user=nurse)
    CareTeamMemberFactory(patient=left_patient, user=nurse, status=MemberStatus.REMOVED)
    waiting = SheetFactory(patient=waiting_patient)
    opened = SheetFactory(patient=opened_patient)
    gone = SheetFactory(patient=left_patient)  # no longer on the team: not visible, not counted
    for sheet in (waiting, opened, gone):
        address(sheet, nurse)
    address(SheetFactory(patient=waiting_patient), UserFactory())  # addressed to someone else
    assert item(nurse, UNOPENED).count == 3 - 1

    client = login(nurse)
    assert client.get(f"/sheets/{opened.pk}/").status_code == 200  # opening it takes it off the list
    assert client.get(f"/sheets/{opened.pk}/").status_code == 200  # a second opening changes nothing
    work = item(nurse, UNOPENED)
    assert work.count == 1
    listed = client.get(work.url).content.decode().split('class="sheet-list"')[1].split("</table>")[0]
    assert "宛先 待ち" in listed and "宛先 開封済" not in listed and "宛先 離脱" not in listed


# --- physicians: their list (renkei/network/inbox.py) on top ------------------------------------------

PHYSICIAN_LABEL = "確認が必要なもの（重要・メンション・未回答の質問・自分宛てのシート）"


def test_a_physicians_panel_starts_with_their_list(world):
    PostFactory(patient=world.patient, author=world.nurse, important=True)
    PostFactory(patient=world.patient, author=world.nurse, body="明日の往診は可能ですか？")
    sections = todays_work(world.physician)
    assert sections[0].title == "医師の確認" and sections[0].items[0].count == 2
    assert sections[0].link.url == "/network/doctor/"


def test_a_physicians_list_leaves_out_other_teams(world):
    PostFactory(patient=PatientFactory(), important=True)
    assert counts(world.physician)[PHYSICIAN_LABEL] == 0


def test_a_nurse_has_no_physicians_section(world):
    PostFactory(patient=world.patient, author=world.physician, important=True)
    assert PHYSICIAN_LABEL not in counts(world.nurse)
