"""In the browser, under the Content-Security-Policy: the main pages run without a single violation, and
the team page's remove confirmation shows a hostile name as text (no script runs) and still works."""
import base64

import pytest
from django.core.management import call_command

from renkei.network.models import CareTeamMember, MemberStatus
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, UserFactory, musashino, totp_device
from tests.network.factories import CareTeamMemberFactory, ConsentFactory, PatientFactory

pytestmark = pytest.mark.django_db(transaction=True)

HOSTILE_NAME = """O'Brien"); alert(1)//"""
DOCTOR_PAGES = ["/", "/network/", "/network/groups/", "/network/notifications/", "/network/notifications/settings/",
                "/directory/", "/directory/?q=訪問看護", "/directory/map/", "/sheets/", "/accounts/tokens/", "/api/v1/docs",
                "/no-such-page/"]
STAFF_PAGES = ["/records/", "/records/consultations/", "/reports/", "/reports/dashboard/", "/programs/",
               "/staff/members/", "/staff/audit/", "/staff/registrations/"]


@pytest.fixture
def violations(page, live_server):
    """Console messages about the Content-Security-Policy; the browser reaches nothing but the live server."""
    seen = []
    page.on("console", lambda message: "Content Security Policy" in message.text
            and seen.append(f"{page.url}: {message.text}"))
    page.context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url)
                       else route.abort())
    return seen


def _visit(page, live_server, paths):
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")


def test_the_main_pages_cause_no_policy_violation(page, live_server, settings, violations):
    settings.DEMO = True
    musashino()  # transactional tests flush the seeded municipalities
    call_command("load_demo")
    key = base64.b32decode(settings.RENKEI_DEMO_TOTP_SECRET)
    _visit(page, live_server, ["/accounts/login/", "/accounts/register/", "/admin/login/"])
    log_in(page, live_server, "doctor", "renkei-demo-2026", key)
    patient = CareTeamMember.objects.filter(user__username="doctor").values_list("patient_id", flat=True).first()
    _visit(page, live_server, [*DOCTOR_PAGES, f"/network/{patient}/", f"/network/{patient}/team/",
                               f"/network/{patient}/profile/", f"/sheets/patients/{patient}/"])
    page.context.clear_cookies()
    log_in(page, live_server, "staff", "renkei-demo-2026", key)
    _visit(page, live_server, STAFF_PAGES)
    page.goto("about:blank")  # stop polling before the live server shuts down
    assert violations == []


def test_the_map_draws_coloured_markers_under_the_policy(page, live_server, settings, violations):
    settings.DEMO = True
    musashino()
    call_command("load_demo")
    page.goto(f"{live_server.url}/directory/map/")
    page.wait_for_selector(".leaflet-marker-icon, .marker-cluster")
    legend_dot = page.locator(".dir-legend .dot").first
    assert legend_dot.evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert violations == []


@pytest.fixture
def team_with_a_hostile_name(db):
    musashino()
    patient = PatientFactory(name="武蔵野 テスト花子")
    manager = UserFactory(username="manager", name="管理 一郎")
    device = totp_device(manager)
    CareTeamMemberFactory(patient=patient, user=manager, is_manager=True)
    hostile = CareTeamMemberFactory(patient=patient, user__name=HOSTILE_NAME)
    ConsentFactory(patient=patient, obtained_by=manager)
    return patient, manager, device, hostile


def test_removing_a_member_with_quotes_in_the_name_asks_with_the_name_as_text(
        page, live_server, violations, team_with_a_hostile_name):
    patient, manager, device, hostile = team_with_a_hostile_name
    dialogs = []

    def answer(dialog):
        dialogs.append((dialog.type, dialog.message))
        dialog.dismiss() if len(dialogs) == 1 else dialog.accept()

    page.on("dialog", answer)
    log_in(page, live_server, manager.username, PASSWORD, device.bin_key)
    page.goto(f"{live_server.url}/network/{patient.pk}/team/")
    page.get_by_role("button", name="外す").click()  # dismissed: nothing happens
    page.wait_for_load_state("networkidle")
    hostile.refresh_from_db()
    assert hostile.status == MemberStatus.ACTIVE
    with page.expect_navigation():
        page.get_by_role("button", name="外す").click()  # accepted: the member is removed
    hostile.refresh_from_db()
    assert dialogs == [("confirm", f"{HOSTILE_NAME} さんをチームから外しますか？")] * 2
    assert hostile.status == MemberStatus.REMOVED and violations == []


def test_an_open_timeline_still_receives_new_posts_by_polling(page, live_server, settings, violations,
                                                             team_with_a_hostile_name):
    from renkei.network.services import create_post

    settings.NETWORK_POLL_SECONDS = 1
    patient, manager, device, hostile = team_with_a_hostile_name
    log_in(page, live_server, manager.username, PASSWORD, device.bin_key)
    page.goto(f"{live_server.url}/network/{patient.pk}/")
    with page.expect_request(lambda request: "/poll/" in request.url):
        pass
    create_post(author=manager, body="ポーリングで届く投稿です。", patient=patient)
    page.wait_for_selector("text=ポーリングで届く投稿です。", timeout=20000)
    page.goto("about:blank")  # stop polling before the live server shuts down
    assert violations == []
