"""On a phone (390 px wide) pages fit the screen: no sideways scrolling of the page itself."""
import pytest
from django_otp.oath import TOTP

from renkei.core.models import Profession
from tests.factories import PASSWORD, UserFactory, totp_device

pytestmark = pytest.mark.django_db(transaction=True)

PAGE_WIDTH = "document.documentElement.scrollWidth"


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/register/", "/accounts/password/reset/"])
def test_public_pages_fit_a_phone(page, live_server, path):
    page.goto(f"{live_server.url}{path}")
    assert page.evaluate(PAGE_WIDTH) <= 390


def test_staff_pages_fit_a_phone_with_tables_scrolling_inside(page, live_server):
    staff = UserFactory(username="staff", is_municipal_staff=True, profession=Profession.MUNICIPAL)
    device = totp_device(staff)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("ユーザー名").fill("staff")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="次へ").click()
    page.get_by_label("確認コード").fill(f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}")
    page.get_by_role("button", name="確認").click()
    page.wait_for_url(f"{live_server.url}/")
    widths = {}
    for path in ["/", "/staff/members/", "/staff/audit/", "/staff/registrations/"]:
        page.goto(f"{live_server.url}{path}")
        widths[path] = page.evaluate(PAGE_WIDTH)
    assert all(width <= 390 for width in widths.values()), widths
