"""A form sent back with several problems: the summary at its top lists them all, each a link to its field,
and the focus is on the summary (static/core/renkei.js; no inline script under the CSP)."""
import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_form_with_several_errors_shows_the_summary_with_focus_on_it(page, live_server):
    page.goto(f"{live_server.url}/accounts/register/")
    page.get_by_label("連絡先電話番号").fill("１２３")
    page.get_by_role("button", name="申請する").click()
    summary = page.get_by_role("alert").filter(has_text="入力内容を確認してください")
    links = summary.get_by_role("link")
    assert links.count() >= 5
    assert links.filter(has_text="氏名を入力してください。").get_attribute("href") == "#id_name"
    assert links.filter(has_text="電話番号は").get_attribute("href") == "#id_phone"
    assert page.evaluate("() => document.activeElement.hasAttribute('data-error-summary')")


def test_a_link_of_the_summary_puts_the_focus_in_its_field(page, live_server):
    page.goto(f"{live_server.url}/accounts/register/")
    page.get_by_role("button", name="申請する").click()
    page.locator("[data-error-summary]").get_by_role("link", name="メールアドレスを入力してください。").click()
    assert page.evaluate("() => document.activeElement.id") == "id_email"
