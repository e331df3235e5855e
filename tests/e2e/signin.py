"""Signing in through the login page and its second step (the TOTP code), in a Playwright page.

Shared by the browser tests (tests/e2e/conftest.py) and the README's screenshots (bench/screenshots.py)."""


def sign_in(page, base_url, username, password, code):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="次へ").click()
    page.get_by_label("確認コード").fill(code)
    page.get_by_role("button", name="確認").click()
    page.wait_for_url(f"{base_url}/")
