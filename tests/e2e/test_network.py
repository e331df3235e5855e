"""End to end on a phone-sized screen: the doctor posts with a photo, the nurse reads and replies,
the doctor sees the read receipt, and the outsider reaches nothing by page, file URL or API."""
import datetime
import secrets

import pytest
from django.utils import timezone

from renkei.core.models import ApiToken, Municipality, Profession
from renkei.network.models import Attachment, TeamRole
from tests.e2e.conftest import log_in_as
from tests.factories import UserFactory, totp_device
from tests.network.conftest import image_bytes
from tests.network.factories import CareTeamMemberFactory, ConsentFactory, PatientFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def team(db, settings):
    settings.NETWORK_POLL_SECONDS = 1
    # A transactional test flushes the seeded municipalities after each test.
    Municipality.objects.get_or_create(code="13203", defaults={"name": "武蔵野市", "name_kana": "むさしのし"})
    patient = PatientFactory(name="武蔵野 テスト花子", name_kana="むさしの てすとはなこ")
    people = {}
    for username, name, profession, role in (
        ("doctor", "往診 一郎", Profession.PHYSICIAN, TeamRole.PHYSICIAN),
        ("nurse", "訪看 さくら", Profession.NURSE, TeamRole.VISITING_NURSE),
        ("outsider", "部外 薬太", Profession.PHARMACIST, None),
    ):
        user = UserFactory(username=username, name=name, profession=profession)
        people[username] = (user, totp_device(user))
        if role:
            CareTeamMemberFactory(patient=patient, user=user, role=role, is_manager=username == "doctor")
    ConsentFactory(patient=patient, obtained_by=people["doctor"][0])
    return patient, people


@pytest.fixture
def second_phone(browser):
    """Another person's phone: a separate browser context, closed (with its polling) after the test."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    yield context.new_page()
    context.close()


def test_doctor_and_nurse_talk_about_a_patient_with_a_photo_and_read_receipts(page, second_phone, live_server, team,
                                                                            tmp_path):
    patient, people = team
    doctor, doctor_device = people["doctor"]
    nurse, nurse_device = people["nurse"]
    photo = tmp_path / "wound.png"
    photo.write_bytes(image_bytes("PNG", size=(800, 600)))

    log_in_as(page, live_server, doctor, doctor_device)
    page.goto(f"{live_server.url}/network/")
    page.get_by_role("link", name="武蔵野 テスト花子").click()
    page.get_by_text("投稿する", exact=True).click()  # the compose box opens when tapped
    page.get_by_label("本文").fill("仙骨部に発赤があります。写真を添付します。")
    page.get_by_label("写真・PDF").set_input_files(str(photo))
    page.get_by_role("button", name="投稿", exact=True).click()
    page.wait_for_selector("text=投稿しました。")
    assert page.locator("article.post img").count() == 1

    nurse_page = second_phone
    log_in_as(nurse_page, live_server, nurse, nurse_device)
    nurse_page.goto(f"{live_server.url}/network/")
    assert nurse_page.locator(".unread").first.inner_text() == "1"
    nurse_page.get_by_role("link", name="武蔵野 テスト花子").click()
    nurse_page.wait_for_selector("text=仙骨部に発赤があります。")
    image = nurse_page.locator("article.post img").first
    image.scroll_into_view_if_needed()
    nurse_page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    nurse_page.get_by_text("返信", exact=True).first.click()
    nurse_page.get_by_placeholder("返信を入力").first.fill("承知しました。体位変換を2時間ごとにします。")
    nurse_page.get_by_role("button", name="返信する").first.click()
    nurse_page.wait_for_selector("text=承知しました。体位変換を2時間ごとにします。")

    # The doctor's open page receives the reply by polling, without a reload.
    page.wait_for_selector("text=承知しました。体位変換を2時間ごとにします。", timeout=15000)
    page.reload()
    receipt = page.locator("article.post .reads summary").first
    assert receipt.inner_text() == "既読 1"
    receipt.click()
    assert "訪看 さくら" in page.locator("article.post .reads").first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    for open_page in (page, nurse_page):
        open_page.goto("about:blank")  # stop polling before the live server shuts down


def test_the_outsider_reaches_nothing_by_page_file_or_api(page, live_server, team):
    patient, people = team
    doctor = people["doctor"][0]
    from renkei.network.services import create_post
    from tests.network.conftest import upload

    post = create_post(author=doctor, body="外部に見せてはいけない内容", patient=patient,
                       files=[upload("p.png", image_bytes(), "image/png")])
    attachment = Attachment.objects.get(post=post)
    outsider, device = people["outsider"]
    log_in_as(page, live_server, outsider, device)

    page.goto(f"{live_server.url}/network/")
    assert "武蔵野 テスト花子" not in page.content()
    for path in (f"/network/{patient.pk}/", f"/network/files/{attachment.pk}/",
                 f"/network/files/{attachment.pk}/thumbnail/", f"/network/posts/{post.pk}/history/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 404 and "外部に見せてはいけない内容" not in page.content()

    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=outsider, key_hash=ApiToken.hash_key(key), prefix=key[:8],
                            expires_at=timezone.now() + datetime.timedelta(hours=1))
    api = page.request.get(f"{live_server.url}/api/v1/patients/{patient.pk}/posts",
                           headers={"Authorization": f"Bearer {key}"})
    assert api.status == 404
