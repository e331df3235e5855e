"""The audit trail in Japanese: the detail column's machine words, as the services record them."""
import re
from pathlib import Path

import pytest

from renkei.core.audit_labels import detail_label

pytestmark = pytest.mark.django_db
SOURCE = Path(__file__).resolve().parents[2] / "renkei"
# Words that stay as they are in Japanese text: names of formats and protocols.
KEPT = re.compile(r"API|CSV|PDF|JSON|FHIR|Excel|Referer|Origin")


@pytest.mark.parametrize(("recorded", "shown"), [
    ("TOTPDevice", "認証アプリ"),
    ("consultation", "相談記録"),
    ("accepted", "承諾"),
    ("changed: address,phone", "変更した項目：住所、電話番号"),
    ("manager=True", "管理者にする"),
    ("patient list q=武蔵野", "患者の一覧（検索：武蔵野）"),
    ("team text group=3", "専門職タイムライン：投稿（グループ 3）"),
    ("family timeline page before=", "タイムラインの表示"),
    ("wait=30s", "試行制限（あと30秒）"),
    ("api token wait=30s", "APIトークン 試行制限（あと30秒）"),
    ("attendance 12", "出席 12名"),
    ("event 4", "研修・催し 4"),
    ("prefill admission", "入院時情報連携シートの作成画面"),
    ("draft stroke v2", "脳卒中地域連携パス 第2版の下書き"),
    ("recovery", "回復期リハビリテーション"),
    ("accepted ", "承諾"),
    ("declined", "辞退"),
    ("cancelled", "取消し"),
    ("404 GET /network/patients/9/ patient", "404 表示 /network/patients/9/（患者）"),
    ("404 POST /network/posts/3/ reply to post 3", "404 送信 /network/posts/3/（返信先の投稿 3）"),
    ("/network/ CSRF token missing.", "/network/（確認用の値がありません）"),
    ("tokens revoked=2 sessions ended=1", "APIトークン 2件を失効、ログイン 1件を終了"),
    ("backup: 120 rows, 3 files", "バックアップ：120行、ファイル3件"),
    ("profession=nurse facility=(new) さくら訪問看護", "職種：看護師（訪問看護） 事業所：新規（さくら訪問看護）"),
    ("conference discharge invited=3+1", "退院時カンファレンスの予定（招待 3名、Renkei 外 1名）"),
    ("conference answer accepted", "カンファレンスへの回答：出席予定"),
    ("safety allergies,infections from sheet 5", "アレルギー・禁忌・感染症の更新：アレルギー（薬剤・食物・その他）、感染症（MRSA・HBV・HCV・結核・疥癬など）（連携シート 5 から）"),
    ("緊急訪問介護 申請の閲覧", "緊急訪問介護 申請の閲覧"),
])
def test_a_recorded_detail_is_shown_in_japanese(recorded, shown):
    assert detail_label(recorded) == shown


def test_an_unknown_detail_is_shown_as_recorded():
    assert detail_label("something new") == "something new"


def _recorded_words():
    """Every plain English detail="…" the code records (the fixed words; patterns are tested above)."""
    words = set()
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        words |= set(re.findall(r'detail="([A-Za-z][A-Za-z \-]*)"', path.read_text(encoding="utf-8")))
    return sorted(words)


@pytest.mark.parametrize("recorded", _recorded_words())
def test_every_fixed_detail_the_code_records_has_japanese_words(recorded):
    shown = KEPT.sub("", detail_label(recorded))
    assert not re.search(r"[A-Za-z]", shown), f"{recorded!r} is shown as {detail_label(recorded)!r}"
