"""End to end on a phone-sized screen: a care manager, trying Renkei for the first time, finds two 24-hour
visiting-nursing stations taking new patients near 吉祥寺本町, sends them one request; a nurse of one of them
accepts; the care manager sees the answer and the nurse is invited to the patient's team."""
import datetime

import pytest
from django.utils import timezone

from renkei.core.models import Affiliation, FacilityKind, Municipality, Profession
from renkei.directory.geo import town_centre
from renkei.directory.models import Capacity, ConsultationWindow
from renkei.network.models import CareTeamMember, MemberStatus, TeamRole
from tests.directory.factories import FacilityFactory
from tests.e2e.conftest import log_in_as
from tests.factories import UserFactory, totp_device
from tests.network.factories import CareTeamMemberFactory, ConsentFactory, PatientFactory

pytestmark = pytest.mark.django_db(transaction=True)
SECRET_NUMBER = "0422-99-7777"


@pytest.fixture
def world(db):
    Municipality.objects.get_or_create(code="13203", defaults={"name": "武蔵野市", "name_kana": "むさしのし"})
    lat, lon = town_centre("吉祥寺本町")
    today = timezone.localdate()
    stations = {}
    for name, flags, offset in (("（架空）本町24時間訪問看護", True, 0.002), ("（架空）東町24時間訪問看護", True, 0.004),
                                ("（架空）日中だけ訪問看護", False, 0.001)):
        facility = FacilityFactory(name=name, kind=FacilityKind.VISITING_NURSING, lat=lat + offset, lon=lon)
        Capacity.objects.create(facility=facility, accepting_new=True, around_the_clock=flags, confirmed_on=today)
        stations[name] = facility
    ConsultationWindow.objects.create(facility=stations["（架空）本町24時間訪問看護"], weekday=2,
                                      starts_at=datetime.time(14), ends_at=datetime.time(15),
                                      direct_number=SECRET_NUMBER, note="新規相談は火曜14時〜")
    office = FacilityFactory(name="（架空）テスト居宅", kind=FacilityKind.CARE_MANAGEMENT)
    care_manager = UserFactory(username="caremanager", name="計画 ケア子", profession=Profession.CARE_MANAGER)
    Affiliation.objects.create(user=care_manager, facility=office)
    nurse = UserFactory(username="nurse", name="訪看 さくら", profession=Profession.NURSE)
    Affiliation.objects.create(user=nurse, facility=stations["（架空）本町24時間訪問看護"])
    patient = PatientFactory(name="吉祥寺 テスト花子")
    CareTeamMemberFactory(patient=patient, user=care_manager, role=TeamRole.CARE_MANAGER, is_manager=True)
    ConsentFactory(patient=patient, obtained_by=care_manager)
    return {"care_manager": (care_manager, totp_device(care_manager)), "nurse": (nurse, totp_device(nurse)),
            "patient": patient, "stations": stations}


@pytest.fixture
def second_phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    yield context.new_page()
    context.close()


def test_a_care_manager_finds_two_providers_asks_them_and_gets_an_acceptance(page, second_phone, live_server, world):
    care_manager, cm_device = world["care_manager"]
    log_in_as(page, live_server, care_manager, cm_device)
    page.get_by_role("link", name="受け入れ依頼").first.click()
    page.get_by_role("link", name="事業所をさがして依頼する").click()
    page.get_by_label("この町の近く（距離順）").fill("吉祥寺本町")
    page.get_by_label("24時間対応").check()
    page.get_by_label("新規受け入れ可（1か月以内に確認された回答）").check()
    page.get_by_role("button", name="さがす").click()
    page.wait_for_selector("text=2 件")
    assert page.locator("text=（架空）日中だけ訪問看護").count() == 0
    page.get_by_label("（架空）本町24時間訪問看護").check()
    page.get_by_label("（架空）東町24時間訪問看護").check()
    page.get_by_label("依頼内容").fill("80代女性、退院後。24時間対応の訪問看護を来週から週2回希望。")
    page.get_by_label("ケアチームに招待する患者（任意）").select_option(label="吉祥寺 テスト花子")
    page.get_by_role("button", name="選んだ事業所に依頼を送る").click()
    page.wait_for_selector("text=2か所に受け入れ依頼を送りました")

    nurse, nurse_device = world["nurse"]
    nurse_page = second_phone
    log_in_as(nurse_page, live_server, nurse, nurse_device)
    nurse_page.get_by_role("link", name="受け入れ依頼").first.click()
    nurse_page.wait_for_selector("text=24時間対応の訪問看護を来週から週2回希望")
    assert nurse_page.locator("text=吉祥寺 テスト花子").count() == 0  # no patient data before joining the team
    nurse_page.get_by_label("受け入れる").check()
    nurse_page.get_by_label("理由・連絡事項（お断りのときは必須）").fill("来週火曜から訪問できます。")
    nurse_page.get_by_role("button", name="回答する").click()
    nurse_page.wait_for_selector("text=ケアチームへの招待が届いています")

    page.reload()
    page.wait_for_selector("text=来週火曜から訪問できます。")
    assert page.locator("text=ケアチームに招待済み").count() == 1
    member = CareTeamMember.objects.get(patient=world["patient"], user=nurse)
    assert member.status == MemberStatus.INVITED and member.invited_by == care_manager


def test_the_public_facility_page_shows_no_professional_field(page, live_server, world):
    station = world["stations"]["（架空）本町24時間訪問看護"]
    page.goto(f"{live_server.url}/directory/{station.pk}/")
    page.wait_for_selector("text=（架空）本町24時間訪問看護")
    html = page.content()
    assert SECRET_NUMBER not in html and "新規相談は火曜14時〜" not in html and "専門職向け情報" not in html
