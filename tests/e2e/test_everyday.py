"""Everyday use, walked as its users would on two phone-sized browsers: the visiting nurse sends the city's
unified form and the care manager is told (bell and home page), opens it, and the nurse sees it opened;
a hospital liaison office confirms receipt of an admission sheet and the sender's bell rings; a family
account sees family things only."""
import pytest

from renkei.core.models import FacilityKind, Municipality, Profession
from renkei.network.models import FamilyAccess, TeamRole
from renkei.sheets import services
from renkei.sheets.models import SheetKind
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, FacilityFactory, UserFactory, totp_device
from tests.network.factories import ConsentFactory, PatientFactory
from tests.sheets.factories import SheetFactory, admission_content, hospital, liaison_for, member

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, live_server, user):
    log_in(page, live_server, user.username, PASSWORD, totp_device(user).bin_key)


@pytest.fixture
def second_phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    page = context.new_page()
    yield page
    try:
        page.goto("about:blank")
    finally:
        context.close()


@pytest.fixture
def team(db):
    Municipality.objects.get_or_create(code="13203", defaults={"name": "武蔵野市", "name_kana": "むさしのし"})
    patient = PatientFactory(name="武蔵野 テスト花子", name_kana="むさしの てすとはなこ")
    ConsentFactory(patient=patient)
    office = FacilityFactory(name="（架空）けやき居宅", kind=FacilityKind.CARE_MANAGEMENT)
    station = FacilityFactory(name="（架空）さくら訪問看護", kind=FacilityKind.VISITING_NURSING)
    cm = member(patient, facility=office)
    cm.name = "居宅 ケア子"
    cm.save()
    nurse = member(patient, profession=Profession.NURSE, role=TeamRole.VISITING_NURSE, facility=station)
    nurse.name = "訪看 さくら"
    nurse.save()
    return patient, cm, nurse


def test_the_nurse_sends_the_unified_form_and_the_care_manager_is_told_on_her_phone(page, second_phone,
                                                                                 live_server, team):
    patient, cm, nurse = team
    _login(page, live_server, nurse)
    page.goto(f"{live_server.url}/sheets/patients/{patient.pk}/")
    page.get_by_role("link", name=SheetKind.NURSING_INFO.label).click()
    page.get_by_label("対象月").fill("2026-10")
    page.get_by_label("情報提供日").fill("2026-10-20")
    page.get_by_label("病状・健康状態").fill("血圧は安定しています。")
    page.get_by_label("実施した看護の内容").fill("服薬管理、入浴介助")
    page.get_by_label("居宅サービス計画作成上の留意点（医療的観点）").fill("脱水に注意")
    page.get_by_role("button", name="下書きを保存").click()
    page.get_by_role("button", name="確定").click()
    page.get_by_role("link", name="送付").click()
    # The care manager is pre-selected, named with role and facility; the sender is not offered.
    addressee = page.get_by_label("居宅 ケア子", exact=False)
    assert addressee.is_checked()
    assert "（架空）けやき居宅" in page.locator("main form").inner_text()
    assert page.get_by_label("訪看 さくら", exact=False).count() == 0
    page.get_by_role("button", name="送付する").click()
    page.wait_for_selector("text=送付しました。")

    cm_page = second_phone
    _login(cm_page, live_server, cm)
    assert cm_page.locator(".bell-count").inner_text() == "1"
    work = cm_page.get_by_role("link", name="自分宛てで未開封の連携シート：1 件")
    work.click()
    cm_page.get_by_role("link", name=SheetKind.NURSING_INFO.label, exact=False).first.click()
    cm_page.wait_for_selector("text=血圧は安定しています。")
    cm_page.goto(f"{live_server.url}/")
    assert cm_page.locator(".bell-count").count() == 0
    assert cm_page.get_by_role("link", name="自分宛てで未開封の連携シート：0 件").count() == 1

    page.reload()
    assert "既読（" in page.locator("main").inner_text()


def test_the_hospitals_receipt_rings_the_senders_bell(page, second_phone, live_server, team):
    patient, cm, nurse = team
    central = hospital(name="（架空）テスト中央病院")
    liaison = liaison_for(central)
    sheet = SheetFactory(patient=patient, author=cm, kind=SheetKind.ADMISSION, content=admission_content())
    services.send(sheet=sheet, user=cm, addressees=[], facility=central)

    _login(page, live_server, liaison)
    page.get_by_role("link", name="受領確認待ちの連携シート：1 件").click()
    page.get_by_role("link", name=SheetKind.ADMISSION.label, exact=False).first.click()
    page.get_by_role("button", name="受領を確認する").click()

    _login(second_phone, live_server, cm)
    assert second_phone.locator(".bell-count").inner_text() == "1"
    second_phone.locator("a.bell").click()
    assert "受領" in second_phone.locator("main").inner_text()


def test_a_family_account_sees_family_things_only(page, live_server, team):
    patient = team[0]
    family = UserFactory(username="family_walk", name="家族 花子", profession=Profession.OTHER)
    FamilyAccess.objects.create(patient=patient, user=family, relationship="長女")
    _login(page, live_server, family)
    header = page.locator("body").inner_text()
    for professional in ("患者一覧", "連携シート", "バックベッド", "認知症", "API トークン"):
        assert professional not in header, professional
    page.goto(f"{live_server.url}/network/family/")
    assert page.url.endswith(f"/network/{patient.pk}/family/"), (page.url, page.locator("main").inner_text()[:300])
    assert page.get_by_label("本文").count() == 1
    assert page.get_by_text("重要（全員に通知）").count() == 0


def test_staff_home_counts_link_to_the_lists_that_hold_the_work(page, live_server):
    from renkei.programs.models import RescueStatus
    from tests.factories import musashino
    from tests.programs.factories import RescueApplicationFactory

    city = musashino()
    staff = UserFactory(username="staff_walk", is_municipal_staff=True, profession=Profession.MUNICIPAL)
    staff.acts_for.add(city)
    RescueApplicationFactory.create_batch(2, municipality=city, status=RescueStatus.RECEIVED)
    RescueApplicationFactory(municipality=city, status=RescueStatus.APPROVED)
    _login(page, live_server, staff)
    page.get_by_role("link", name="利用決定待ちの緊急訪問介護の申請：2 件").click()
    page.wait_for_url("**status=received**")
    assert page.locator("main tbody tr").count() == 2
