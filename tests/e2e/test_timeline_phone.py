"""A long timeline on a phone (390×844): the posts come first, a page stays a few screens long, the notices
fold into one line, and every control is a tap target of at least 44×44 px."""
import pytest

from renkei.network import services
from tests.e2e.conftest import doctor_and_nurse_team, log_in
from tests.factories import PASSWORD, totp_device
from tests.network.factories import PostFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCREEN_HEIGHT = 844
# Controls smaller than 44×44 px on the shown page; a checkbox or radio counts with its label (tapping
# the label ticks it).
SMALL_TARGETS = """() => {
  const small = [];
  for (const el of document.querySelectorAll('a[href], button, summary, input:not([type=hidden]), select, textarea')) {
    let box = el.getBoundingClientRect();
    if (el.matches('input[type=checkbox], input[type=radio]')) {
      for (const label of el.labels) {
        const b = label.getBoundingClientRect();
        if (b.width * b.height > box.width * box.height) box = b;
      }
    }
    // Not shown: inside a closed <details>, hidden, or the skip link waiting off screen for the focus.
    if (!el.checkVisibility() || box.width === 0 || box.height === 0 || box.right <= 0) continue;
    if (Math.round(box.width) < 44 || Math.round(box.height) < 44) {
      small.push(`${el.outerHTML.slice(0, 90)} ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}"""


@pytest.fixture
def long_timeline(db, settings):
    """A patient whose team has written 40 posts with replies and read receipts, and 12 system notices."""
    settings.NETWORK_POLL_SECONDS = 600
    patient, doctor, nurse = doctor_and_nurse_team()
    for number in range(40):
        post = PostFactory(patient=patient, author=doctor, body=f"{number}日目：食事は半分ほど。夜間の咳が続いています。"
                                                                "明日の訪問で聴診をお願いします。")
        if number % 3 == 0:
            reply = PostFactory(patient=patient, author=doctor, parent=post, body="承知しました。")
            services.mark_read(posts=[post, reply], user=nurse)
        if number % 4 == 0:
            services.post_notice(patient=patient, author=doctor,
                                 body="退院時共同指導の連携シート（第2版）を （架空）さくら訪問看護ステーション に送付しました。")
    return patient, nurse, totp_device(nurse)


def _open_timeline(page, live_server, long_timeline):
    patient, nurse, device = long_timeline
    log_in(page, live_server, nurse.username, PASSWORD, device.bin_key)
    page.goto(f"{live_server.url}/network/{patient.pk}/")
    return patient


def test_a_page_of_a_long_timeline_is_a_few_phone_screens_long(page, live_server, long_timeline):
    _open_timeline(page, live_server, long_timeline)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert page.locator("section.timeline > article.post").count() == 10
    assert height <= 4 * SCREEN_HEIGHT, height


def test_the_first_post_starts_high_on_the_first_screen(page, live_server, long_timeline):
    _open_timeline(page, live_server, long_timeline)
    top = page.locator("section.timeline > article.post").first.bounding_box()["y"]
    assert top < 0.6 * SCREEN_HEIGHT, top


def test_a_system_notice_takes_one_line_until_tapped(page, live_server, long_timeline):
    _open_timeline(page, live_server, long_timeline)
    notice = page.locator("article.notice-post").first
    folded = notice.bounding_box()["height"]
    notice.locator("summary").click()
    assert folded <= 50 and notice.bounding_box()["height"] > folded


def test_the_clinical_view_shows_no_notice(page, live_server, long_timeline):
    _open_timeline(page, live_server, long_timeline)
    page.get_by_role("link", name="記録のみ").click()
    page.wait_for_url("**show=clinical")
    assert page.locator("article.post").count() == 10 and page.locator("article.notice-post").count() == 0


def test_the_compose_box_opens_when_tapped(page, live_server, long_timeline):
    _open_timeline(page, live_server, long_timeline)
    assert not page.get_by_label("本文").is_visible()
    page.get_by_text("投稿する", exact=True).click()
    assert page.get_by_label("本文").is_visible()


def test_every_control_on_the_timeline_is_at_least_44_px_square(page, live_server, long_timeline):
    _open_timeline(page, live_server, long_timeline)
    page.get_by_text("投稿する", exact=True).click()
    page.locator(".reply-form summary").first.click()
    page.locator("details.reads summary").first.click()
    page.locator(".notice-line summary").first.click()
    small = page.evaluate(SMALL_TARGETS)
    assert small == [], "\n".join(small)


def test_every_control_on_the_vitals_tab_is_at_least_44_px_square(page, live_server, long_timeline):
    patient = _open_timeline(page, live_server, long_timeline)
    page.goto(f"{live_server.url}/network/{patient.pk}/?show=vitals")
    page.get_by_text("バイタルを記録", exact=True).click()
    small = page.evaluate(SMALL_TARGETS)
    assert small == [], "\n".join(small)
