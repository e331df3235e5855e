"""On a phone: a post being written survives a reload and a dropped connection, and is sent once.

The text is kept on the device (localStorage) with a key made there; the form sends that key, so a resend
after an answer that never arrived leads to the first post instead of a second one.
"""
import pytest

from renkei.network.models import Post
from tests.e2e.conftest import log_in_as
from tests.e2e.test_network import team  # noqa: F401  (the fixture, shared with the network's test)

pytestmark = pytest.mark.django_db(transaction=True)
TEXT = "夕方の訪問で微熱 37.4℃。水分摂取を促しました。"


def _timeline(page, live_server, team):  # noqa: F811
    patient, people = team
    nurse, device = people["nurse"]
    log_in_as(page, live_server, nurse, device)
    url = f"{live_server.url}/network/{patient.pk}/"
    page.goto(url)
    page.locator("details.compose > summary").click()  # the compose box is collapsed until tapped
    return patient, url


def _drafts(page):
    return page.evaluate("Object.keys(localStorage).filter(function (k) { return k.indexOf('renkei-draft:') === 0; })")


def test_the_text_is_back_after_a_reload(page, live_server, team):  # noqa: F811
    patient, _url = _timeline(page, live_server, team)
    page.get_by_label("本文").fill(TEXT)
    page.reload()
    assert page.get_by_label("本文").input_value() == TEXT
    assert page.get_by_text("下書きを復元しました").is_visible()
    assert _drafts(page) == [f"renkei-draft:team:{patient.pk}"]


def test_a_sent_post_leaves_no_draft(page, live_server, team):  # noqa: F811
    _patient, url = _timeline(page, live_server, team)
    page.get_by_label("本文").fill(TEXT)
    page.get_by_role("button", name="投稿", exact=True).click()
    page.wait_for_selector("text=投稿しました。")
    page.goto(url)
    assert page.get_by_label("本文").input_value() == "" and _drafts(page) == []


def test_a_post_sent_again_after_a_dropped_answer_is_created_once(page, live_server, team):  # noqa: F811
    patient, url = _timeline(page, live_server, team)
    page.get_by_label("本文").fill(TEXT)

    def lost_answer(route):
        route.fetch()  # the server receives the post and saves it...
        route.abort("connectionreset")  # ...but the phone never hears back

    page.route(f"**/network/{patient.pk}/posts/", lost_answer)
    page.get_by_role("button", name="投稿", exact=True).click()
    page.wait_for_load_state()
    page.unroute(f"**/network/{patient.pk}/posts/")
    assert Post.objects.filter(body=TEXT).count() == 1

    page.goto(url)  # back on the timeline: the draft is still there, with its key
    assert page.get_by_label("本文").input_value() == TEXT
    page.get_by_role("button", name="投稿", exact=True).click()
    page.wait_for_selector("text=既に送信済み")
    assert Post.objects.filter(body=TEXT).count() == 1
    assert _drafts(page) == [] and page.get_by_label("本文").input_value() == ""
