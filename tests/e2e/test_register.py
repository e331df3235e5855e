import pytest

from renkei.core.models import RegistrationStatus, User
from tests.factories import FacilityFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_nurse_applies_on_a_phone_narrowing_the_facility_list(page, live_server):
    FacilityFactory(name="（架空）つばさ訪問看護ステーション", name_kana="ツバサホウモンカンゴステーション")
    FacilityFactory(name="（架空）べつの薬局", name_kana="ベツノヤッキョク")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="ICT連携ネットワークへの登録申請").click()
    page.locator("#id_name").fill("申請 花子")
    page.get_by_label("氏名（カナ）").fill("しんせい はなこ")
    page.get_by_label("職種").select_option(label="看護師（訪問看護）")
    page.get_by_label("所属事業所を名前で絞り込む").fill("つばさ")
    page.wait_for_function("() => document.querySelectorAll('#id_facility option').length === 2")  # a function: the CSP forbids eval
    page.locator("#id_facility").select_option(label="（架空）つばさ訪問看護ステーション（武蔵野市・訪問看護ステーション）")
    page.get_by_label("連絡先電話番号").fill("0422-11-2233")
    page.get_by_label("メールアドレス").fill("hanako@example.invalid")
    page.get_by_label("ユーザー名").fill("hanako")
    page.locator("#id_password1").fill("houmon-kango-2026!")
    page.get_by_label("パスワード（確認）").fill("houmon-kango-2026!")
    page.get_by_label("同意します").check()
    page.get_by_role("button", name="申請する").click()
    page.wait_for_url("**/accounts/register/done/")
    assert User.objects.get(username="hanako").registration_status == RegistrationStatus.PENDING


def test_an_application_without_a_facility_shows_the_error_next_to_the_field(page, live_server):
    page.goto(f"{live_server.url}/accounts/register/")
    page.get_by_role("button", name="申請する").click()
    error = page.locator(".field.has-error", has=page.locator("#id_facility")).locator(".error")
    assert "所属事業所を一覧から選んでください" in error.inner_text()
