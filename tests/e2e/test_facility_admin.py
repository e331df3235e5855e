"""The facility administrator in the browser, on a phone: a member nominates a colleague and the city's staff
approve it; the new administrator uploads a CSV of two new people and a leaver (UTF-8, and CP932 as Excel
saves it), sees each line's outcome and the error of a bad line, re-uploads the fixed file and confirms; the
people list shows the new people without the second factor and the leaver gone, and the leaver's care-team
place is the successor's. A member who administers nothing is refused, and another facility's person is 404.
Every facility page passes axe with no serious or critical violation."""
import re

import pytest
from playwright.sync_api import expect

from renkei.core.models import FacilityAdministrator, FacilityAdminStatus, RegistrationStatus, User
from renkei.network.models import CareTeamMember, MemberStatus
from tests.core import facility_world
from tests.core.facility_world import DATA
from tests.e2e.conftest import log_in
from tests.e2e.test_accessibility import _serious_violations
from tests.factories import PASSWORD, totp_device

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "氏名,ふりがな,職種,メールアドレス,操作,後任メールアドレス\n"
HANAKO = "新人 花子,しんじん はなこ,看護師,hanako.new@station.invalid,登録,\n"
LEAVER = "退職 予定子,たいしょく よていこ,看護師,leaver@station.invalid,退職,colleague@station.invalid\n"
BAD_JIRO = "新人 次郎,しんじん じろう,宇宙飛行士,jiro.new@station.invalid,登録,\n"
JIRO = "新人 次郎,しんじん じろう,理学療法士,jiro.new@station.invalid,登録,\n"


@pytest.fixture
def w(db, settings):
    # No polling in the background: a poll writing the session while a page reads it locks SQLite's table.
    settings.NETWORK_POLL_SECONDS = 600
    world = facility_world.build()
    for user in (world.staff, world.admin, world.leaver, world.colleague, world.other_admin, world.other_member):
        totp_device(user)
    return world


def _sign_in(page, live_server, user):
    """Sign in as `user` in a fresh session (the previous user's cookies are dropped)."""
    page.context.clear_cookies()
    log_in(page, live_server, user.username, PASSWORD, user.totpdevice_set.get().bin_key)
    page.wait_for_load_state("networkidle")  # the home page's own requests end before the next page


def _axe_clean(page):
    page.wait_for_load_state("networkidle")
    assert _serious_violations(page) == []


def _upload(page, text, encoding="utf-8", name="staff.csv"):
    page.get_by_label("職員のCSVファイル").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode(encoding)})
    with page.expect_navigation():
        page.get_by_role("button", name="読み込んで確認する").click()


def _row(page, number):
    """The preview's row of file line `number`."""
    return page.locator("table tbody tr").filter(has=page.locator("td:first-child", has_text=re.compile(
        rf"^{number}$")))


def _assert_applied(page, w):
    """After confirming: the people list shows the new people without the second factor and not the leaver;
    the leaver's care-team place is the successor's."""
    expect(page.get_by_text("登録 2名、退職 1名を反映しました。")).to_be_visible()
    people = page.locator("table tbody")
    for name in ("新人 花子", "新人 次郎"):
        expect(people.locator("tr", has_text=name).locator(".badge", has_text="未設定")).to_be_visible()
    expect(people).not_to_contain_text("退職 予定子")
    page.get_by_role("link", name="二段階認証 未設定").click()
    page.wait_for_url(re.compile(r"second_factor=missing"))
    expect(page.locator("table tbody tr")).to_have_count(2)
    expect(page.locator("table tbody")).to_contain_text("新人 花子")
    expect(page.locator("table tbody")).to_contain_text("新人 次郎")
    assert User.objects.get(pk=w.leaver.pk).registration_status == RegistrationStatus.WITHDRAWN
    active = CareTeamMember.objects.filter(patient=w.patient, status=MemberStatus.ACTIVE)
    assert set(active.values_list("user", flat=True)) == {w.manager.user_id, w.colleague.pk}
    assert not active.filter(user=w.leaver).exists()


def test_a_nominated_colleague_is_approved_and_registers_and_withdraws_people_from_a_csv(page, live_server, w):
    # A member nominates a colleague.
    _sign_in(page, live_server, w.leaver)
    page.get_by_role("link", name="施設管理者", exact=True).first.click()
    page.wait_for_url(f"{live_server.url}/facility/administrators/nominate/")
    _axe_clean(page)
    page.get_by_label("事業所").select_option(str(w.station.pk))
    page.get_by_label("施設管理者に推薦する職員").select_option(str(w.colleague.pk))
    page.get_by_label("推薦の理由").fill("事務を担当しているため")
    with page.expect_navigation():
        page.get_by_role("button", name="推薦する").click()
    expect(page.get_by_text("施設管理者の推薦を受け付けました。")).to_be_visible()
    expect(page.locator("table tbody tr", has_text="同僚 続子")).to_contain_text(FacilityAdminStatus.PENDING.label)

    # The city's staff approve it on the staff page.
    _sign_in(page, live_server, w.staff)
    page.goto(f"{live_server.url}/staff/facility-administrators/")
    _axe_clean(page)
    row = page.locator("table tbody tr", has_text="同僚 続子")
    expect(row).to_contain_text("事務を担当しているため")
    with page.expect_navigation():
        row.get_by_role("button", name="承認する").click()
    expect(page.get_by_text(f"同僚 続子 さん（（架空）ひまわり訪問看護）：{FacilityAdminStatus.APPROVED.label}にしました。"))\
        .to_be_visible()
    assert FacilityAdministrator.objects.get(user=w.colleague).status == FacilityAdminStatus.APPROVED

    # The new administrator reaches the people page from the nomination page and uploads a file with a bad line.
    _sign_in(page, live_server, w.colleague)
    page.goto(f"{live_server.url}/facility/administrators/nominate/")
    page.get_by_role("link", name="（架空）ひまわり訪問看護 の職員の管理").click()
    page.wait_for_url(re.compile(r"/facility/people/\?facility="))
    _axe_clean(page)
    page.get_by_role("link", name="CSVで一括登録・退職").click()
    page.wait_for_url(re.compile(r"/facility/people/import/\?facility="))
    _upload(page, HEADER + HANAKO + BAD_JIRO + LEAVER)
    expect(page.get_by_role("alert").filter(has_text="エラーのある行があります")).to_be_visible()
    expect(_row(page, 2)).to_contain_text("新人 花子 さん（看護師（訪問看護））を登録し、hanako.new@station.invalid に")
    expect(_row(page, 3)).to_contain_text("エラー：職種「宇宙飛行士」は登録できません")
    expect(_row(page, 3)).to_have_class(re.compile("has-error"))
    expect(_row(page, 4)).to_contain_text("退職 予定子 さんを退職（退会）にします。ケアチームの担当1件を 同僚 続子 さんに引き継ぎ")
    expect(page.get_by_role("button", name="反映する")).to_have_count(0)
    _axe_clean(page)
    assert page.viewport_size == {"width": 390, "height": 844}
    # On the phone the preview's table scrolls inside its frame; the page itself does not widen.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert not User.objects.filter(email="hanako.new@station.invalid").exists()

    # The fixed file previews clean; confirming applies it.
    _upload(page, HEADER + HANAKO + JIRO + LEAVER)
    expect(page.get_by_text("次の内容で反映します。")).to_be_visible()
    expect(page.locator("table tbody tr.has-error")).to_have_count(0)
    expect(page.locator("table tbody tr")).to_have_count(3)
    expect(_row(page, 3)).to_contain_text("新人 次郎 さん（理学療法士・作業療法士・言語聴覚士）を登録し")
    assert not User.objects.filter(email="hanako.new@station.invalid").exists()
    page.get_by_role("button", name="反映する").click()
    page.wait_for_url(re.compile(r"/facility/people/\?facility="))
    _assert_applied(page, w)
    _axe_clean(page)

    # The successor (the administrator here) now opens the patient's team page and finds the place theirs.
    response = page.goto(f"{live_server.url}/network/{w.patient.pk}/team/")
    assert response.status == 200
    expect(page.locator("main")).to_contain_text("同僚 続子")
    expect(page.locator("main")).not_to_contain_text("退職 予定子")


def test_the_administrator_applies_a_cp932_file(page, live_server, w):
    _sign_in(page, live_server, w.admin)
    page.goto(f"{live_server.url}/facility/people/import/")
    _axe_clean(page)
    page.get_by_label("職員のCSVファイル").set_input_files(str(DATA / "facility_staff_cp932.csv"))
    with page.expect_navigation():
        page.get_by_role("button", name="読み込んで確認する").click()
    expect(page.get_by_text("次の内容で反映します。")).to_be_visible()
    expect(_row(page, 2)).to_contain_text("新人 花子 さん（看護師（訪問看護））を登録し")
    expect(_row(page, 3)).to_contain_text("新人 次郎 さん（理学療法士・作業療法士・言語聴覚士）を登録し")
    expect(_row(page, 4)).to_contain_text("退職 予定子 さんを退職（退会）にします。ケアチームの担当1件を 同僚 続子 さんに引き継ぎ")
    page.get_by_role("button", name="反映する").click()
    page.wait_for_url(re.compile(r"/facility/people/\?facility="))
    _assert_applied(page, w)


def test_a_bad_line_of_a_cp932_file_is_shown_in_japanese(page, live_server, w):
    _sign_in(page, live_server, w.admin)
    page.goto(f"{live_server.url}/facility/people/import/")
    _upload(page, HEADER + BAD_JIRO, encoding="cp932")
    expect(_row(page, 2)).to_contain_text("エラー：職種「宇宙飛行士」は登録できません")
    expect(page.get_by_role("button", name="反映する")).to_have_count(0)


def test_a_member_who_administers_nothing_is_refused(page, live_server, w):
    _sign_in(page, live_server, w.leaver)
    for path in ("/facility/people/", "/facility/people/import/", f"/facility/people/{w.colleague.pk}/withdraw/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 403
        expect(page.get_by_role("heading", level=1)).to_have_text("権限がありません")
        expect(page.locator("body")).not_to_contain_text("同僚 続子")


def test_another_facilitys_person_is_not_found(page, live_server, w):
    _sign_in(page, live_server, w.admin)
    for path in (f"/facility/people/{w.other_member.pk}/withdraw/", "/facility/people/999999/withdraw/",
                 f"/facility/people/?facility={w.other_station.pk}"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("ページが見つかりません")
        expect(page.locator("body")).not_to_contain_text("（架空）あさがお訪問看護")
    assert User.objects.get(pk=w.other_member.pk).is_approved
    # The administrator's own person opens (the same URL shape is not refused for everyone).
    response = page.goto(f"{live_server.url}/facility/people/{w.leaver.pk}/withdraw/")
    assert response.status == 200
    _axe_clean(page)
