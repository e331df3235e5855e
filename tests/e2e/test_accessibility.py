"""Accessibility on the demo data: axe-core finds no serious or critical violation on any page a role
reaches (every page linked from its home, two clicks deep, one of each kind), and a doctor gets from the
login page to a posted message with the keyboard alone."""
import base64
import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django_otp.oath import TOTP

from renkei.network.models import CareTeamMember, Post
from renkei.records.models import SurveyInvitation
from tests.e2e.conftest import log_in
from tests.factories import musashino

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "renkei-demo-2026"
SERIOUS = ("serious", "critical")
# Links that are not pages: downloads, the API, the admin site, JSON for the map, and sign-out.
NOT_PAGES = re.compile(r"\.(csv|xlsx|pdf|json)$|/(pdf|fhir|export|files|attachments|documents|csv)/|^/(api|admin)/|logout")
MOST_PAGES = 60  # per role: every kind of page of the demo is reached well within this


@pytest.fixture
def demo(settings, page, live_server):
    """The demo data; the browser reaches nothing but the live server (no map tiles from outside)."""
    page.context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url)
                       else route.abort())
    settings.DEMO = True
    settings.NETWORK_POLL_SECONDS = 600
    musashino()  # transactional tests flush the seeded municipalities
    call_command("load_demo")
    return base64.b32decode(settings.RENKEI_DEMO_TOTP_SECRET)


def _kind(url):
    """One page of each kind: ids become N and filters are left out, so /network/3/ and /network/4/?page=2
    count once; only the timeline's views (?show=vitals) are pages of their own."""
    parts = urlsplit(url)
    show = re.search(r"(?:^|&)show=(\w+)", parts.query)
    return re.sub(r"\d+", "N", parts.path) + (f"?show={show.group(1)}" if show else "")


def _serious_violations(page):
    results = Axe().run(page)
    return [f"{page.url} [{v['impact']}] {v['id']}: {v['help']} — "
            + " | ".join(node["html"][:120] for node in v["nodes"][:3])
            for v in results.response["violations"] if v["impact"] in SERIOUS]


def _audit(page, live_server, seeds, depth=2):
    """Visit the seed pages and the pages they link to (`depth` clicks), one of each kind; axe each one."""
    seen, found, visited = set(), [], 0
    frontier = [f"{live_server.url}{path}" for path in seeds]
    for _ in range(depth + 1):
        following = []
        for url in frontier:
            kind = _kind(url)
            if kind in seen or visited >= MOST_PAGES:
                continue
            seen.add(kind)
            response = page.goto(url)
            if response is None or "text/html" not in (response.headers.get("content-type") or ""):
                continue
            visited += 1
            page.wait_for_load_state("networkidle")
            found += _serious_violations(page)
            for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
                href = href.split("#")[0]
                if href.startswith(live_server.url) and not NOT_PAGES.search(urlsplit(href).path):
                    following.append(href)
        frontier = following
    return found, visited


ROLES = ["doctor", "nurse", "caremanager", "liaison", "coordinator", "staff", "family"]
# The city's sections start the crawl too, so their forms (three clicks from home) are reached.
SECTIONS = {"staff": ["/records/", "/programs/", "/reports/"], "coordinator": ["/records/"]}


def test_no_serious_violation_on_any_page_of_any_role(page, live_server, demo):
    """One pass per role over the demo data (loaded once: it takes a while)."""
    found, visited = [], {}
    for username in ROLES:
        page.context.clear_cookies()
        log_in(page, live_server, username, DEMO_PASSWORD, demo)
        seeds = ["/", *SECTIONS.get(username, [])]
        patient = CareTeamMember.objects.filter(user__username=username).values_list("patient_id", flat=True).first()
        if patient:
            seeds += [f"/network/{patient}/", f"/network/{patient}/?show=vitals", f"/network/{patient}/?show=clinical"]
        role_found, visited[username] = _audit(page, live_server, seeds)
        found += [f"{username}: {line}" for line in role_found]
    page.goto("about:blank")  # stop polling before the live server shuts down
    assert min(visited.values()) >= 5 and found == [], "\n".join(found) or visited


def test_no_serious_violation_on_the_public_pages(page, live_server, demo):
    invitation = SurveyInvitation.objects.filter(answered_at__isnull=True).first()
    seeds = ["/accounts/login/", "/accounts/register/", "/accounts/password/reset/", "/directory/",
             "/directory/map/", f"/records/s/{invitation.token}/", "/no-such-page/"]
    found, visited = _audit(page, live_server, seeds, depth=1)
    assert visited >= 5 and found == [], "\n".join(found)


def test_a_doctor_posts_on_a_timeline_with_the_keyboard_alone(page, live_server, demo):
    patient = CareTeamMember.objects.filter(user__username="doctor", patient__consents__withdrawn_at__isnull=True) \
        .values_list("patient", flat=True).first()
    page.goto(f"{live_server.url}/accounts/login/")

    def tab_to(name):
        """Press Tab until the focused element's label or text is `name`; its focus outline must show clearly."""
        for _ in range(60):
            page.keyboard.press("Tab")
            focused = page.evaluate("""() => { const e = document.activeElement;
                return [(e.labels && e.labels[0] ? e.labels[0].innerText : e.innerText || e.value || '').trim(),
                        parseFloat(getComputedStyle(e).outlineWidth)]; }""")
            if focused[0].rstrip(" *") == name:
                assert focused[1] >= 2, f"{name}: the focus outline is {focused[1]} px"
                return
        raise AssertionError(f"Tab never reached {name}")

    tab_to("ユーザー名")
    page.keyboard.type("doctor")
    tab_to("パスワード")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/otp/**")
    tab_to("確認コード")
    page.keyboard.type(f"{TOTP(demo).token():06d}")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/network/{patient}/")
    tab_to("投稿する")
    page.keyboard.press("Enter")  # opens the compose box
    tab_to("本文")
    page.keyboard.type("キーボードだけで投稿しました。")
    tab_to("投稿")
    page.keyboard.press("Space")
    page.wait_for_selector("text=投稿しました。")
    # The timeline's own requests (read marks) finish before the page goes: a request still being answered
    # while the test database is flushed leaves a row behind (a FOREIGN KEY failure at teardown).
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")
    assert Post.objects.filter(patient=patient, body="キーボードだけで投稿しました。", author__username="doctor").exists()


def test_no_serious_violation_with_form_errors_or_a_message(page, live_server):
    from tests.factories import PASSWORD, UserFactory, totp_device
    from tests.network.factories import CareTeamMemberFactory, ConsentFactory, PatientFactory

    musashino()
    doctor = UserFactory(username="doctor", name="往診 一郎")
    device = totp_device(doctor)
    patient = PatientFactory(name="武蔵野 テスト花子")
    CareTeamMemberFactory(patient=patient, user=doctor, is_manager=True)
    ConsentFactory(patient=patient, obtained_by=doctor)
    log_in(page, live_server, doctor.username, PASSWORD, device.bin_key)
    page.goto(f"{live_server.url}/network/{patient.pk}/")
    page.get_by_text("投稿する", exact=True).click()
    page.get_by_role("button", name="投稿", exact=True).click()  # nothing written: refused on the page
    page.wait_for_selector(".has-error, .errors")
    found = _serious_violations(page)
    page.get_by_label("本文").fill("訪問しました。")
    page.get_by_role("button", name="投稿", exact=True).click()
    page.wait_for_selector("text=投稿しました。")
    found += _serious_violations(page)
    page.goto("about:blank")
    assert found == [], "\n".join(found)
