"""In the browser: a resident types a station into 「近く」 on the map and gets what is near it, nearest first."""
import pytest

from renkei.core.models import FacilityKind, Municipality
from tests.factories import FacilityFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def facilities(db):
    # A transactional test flushes the seeded municipalities after each test.
    musashino, _ = Municipality.objects.get_or_create(code="13203", defaults={"name": "武蔵野市", "name_kana": "むさしのし"})
    FacilityFactory(name="駅前の歯科", kind=FacilityKind.DENTAL, municipality=musashino, lat=35.7031, lon=139.5800)
    FacilityFactory(name="府中の歯科", kind=FacilityKind.DENTAL, municipality=musashino, lat=35.6720, lon=139.4800)


def test_a_resident_finds_dentists_near_kichijoji_station_on_the_map(page, live_server, facilities):
    page.goto(f"{live_server.url}/directory/map/")
    page.get_by_text("条件をしぼる").click()
    page.get_by_label("歯科診療所").check()
    page.get_by_label("この場所の近く（距離順）").fill("きちじょうじ")
    page.get_by_label("距離", exact=True).select_option("1000")
    page.get_by_role("button", name="この条件で検索").click()
    results = page.locator(".dir-list")
    results.get_by_text("駅前の歯科").wait_for()
    assert "吉祥寺駅から" in page.locator(".dir-total").inner_text()
    assert results.get_by_text("府中の歯科").count() == 0


def test_a_place_of_several_cities_offers_candidates_beside_the_field(page, live_server, facilities):
    page.goto(f"{live_server.url}/directory/map/?near=緑町")
    page.get_by_role("link", name="府中市緑町").click()
    page.wait_for_url("**near=%E5%BA%9C%E4%B8%AD%E5%B8%82%E7%B7%91%E7%94%BA**")
    assert page.locator("#near-error").count() == 0
