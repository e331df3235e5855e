"""In the browser: staff write a narrative line by picking a figure from the list, never typing its key."""
import pytest

from renkei.core.models import Municipality, Profession
from renkei.reports.models import ReportLine
from tests.e2e.conftest import log_in_as
from tests.factories import UserFactory, totp_device

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff(db):
    # A transactional test flushes the seeded municipalities after each test.
    musashino, _ = Municipality.objects.get_or_create(code="13203", defaults={"name": "武蔵野市", "name_kana": "むさしのし"})
    user = UserFactory(is_municipal_staff=True, profession=Profession.MUNICIPAL, acts_for=[musashino])
    return user, totp_device(user)


def test_staff_insert_a_figure_at_the_cursor_by_its_japanese_label(page, live_server, staff):
    log_in_as(page, live_server, *staff)
    page.goto(f"{live_server.url}/reports/lines/2025/")
    text = page.get_by_label("記述")
    text.fill("掲載 件")
    text.evaluate("field => field.setSelectionRange(3, 3)")
    page.get_by_label("数値を選ぶ").select_option("directory.entries")
    page.get_by_role("button", name="記述に挿入").click()
    assert text.input_value() == "掲載 {directory.entries}件"
    assert page.get_by_label("事業項目").input_value() == "a"
    page.get_by_role("button", name="追加する").click()
    page.get_by_text("記述を追加しました").wait_for()
    assert ReportLine.objects.get().text == "掲載 {directory.entries}件"
