"""JAHIS お薬手帳 samples written by hand for these tests, following the record layouts of the
JAHIS 電子版お薬手帳データフォーマット仕様書 Ver.2.x (see renkei/medication/jahis.py). The patient is the test
world's 武蔵野 テスト花子 (born 1938-04-12); pharmacies, clinics and people are fictional.

`day(n)` is n days before today, so that what is current stays current whenever the tests run.
"""
import datetime
import io

import qrcode
from django.utils import timezone


def day(days_ago):
    return (timezone.localdate() - datetime.timedelta(days=days_ago)).strftime("%Y%m%d")


def crlf(*lines):
    return "\r\n".join(lines) + "\r\n"


PATIENT = "1,武蔵野　テスト花子,2,19380412,1800001,東京都武蔵野市（架空）1-2-3,0422-00-0001,,A,48.5,ﾑｻｼﾉ ﾃｽﾄﾊﾅｺ"


def single(days_ago=10):
    """One dispensing: one pharmacy, one clinic, two RPs (two drugs under RP1), a 頓服 with a caution."""
    return crlf(
        "JAHISTC08,1",
        PATIENT,
        f"5,{day(days_ago)},1",
        "11,（架空）けやき薬局,13,4,1234567,1800004,東京都武蔵野市（架空）4-5-6,0422-11-2222,1",
        "15,薬剤 一郎,0422-11-2222,1",
        "51,（架空）みどりの森在宅クリニック,13,1,7654321,1",
        "55,往診 一郎,内科,1",
        "201,1,アムロジピン錠5mg「サワイ」,1,錠,2,622224901,1",
        "201,1,酸化マグネシウム錠330mg,2,錠,2,620002477,1",
        "301,1,1日1回朝食後,28,日分,1,1,,1",
        "201,2,ロキソプロフェンナトリウム錠60mg,1,錠,4,1149019F1560,1",
        "301,2,痛い時,10,回分,3,,,1",
        "291,2,空腹時を避けてください,1",
    )


def kana_full_width(days_ago=5):
    """Half-width kana drug names and full-width digits, the patient in kana only (no kanji name)."""
    return crlf(
        "ＪＡＨＩＳＴＣ０７,1",
        "1,ﾑｻｼﾉ ﾃｽﾄﾊﾅｺ,2,19380412,,,,,,,",
        f"5,{day(days_ago)},1",
        "11,（架空）ｻｸﾗ薬局,13,4,2345678,,,,1",
        "51,（架空）さくら整形外科,13,1,8765432,1",
        "201,1,ｾﾚｺｷｼﾌﾞ錠１００ｍｇ,２,錠,1,,1",
        "301,1,1日2回朝夕食後,１４,日分,1,,,1",
    )


def many(days_ago=3):
    """Two dispensings in one code (two 5 records), three RPs, every kind of note."""
    return crlf(
        "JAHISTC08,1",
        PATIENT,
        "2,1,ペニシリン系で発疹,1",
        f"5,{day(days_ago + 30)},1",
        "11,（架空）けやき薬局,13,4,1234567,,,0422-11-2222,1",
        "51,（架空）むさしの中央病院,13,1,1111111,1",
        "55,整形 二郎,整形外科,1",
        "201,1,エルデカルシトールカプセル0.75μg,1,カプセル,2,622085601,1",
        "281,1,骨粗しょう症の薬,1",
        "301,1,1日1回朝食後,56,日分,1,,,1",
        "311,1,毎日同じ時間に,1",
        f"5,{day(days_ago)},1",
        "11,（架空）けやき薬局,13,4,1234567,,,0422-11-2222,1",
        "51,（架空）みどりの森在宅クリニック,13,1,7654321,1",
        "201,1,ドネペジル塩酸塩錠5mg,1,錠,2,622110601,1",
        "301,1,1日1回朝食後,28,日分,1,,,1",
        "201,2,ブロチゾラム錠0.25mg,1,錠,2,621460401,1",
        "301,2,1日1回就寝前,28,日分,1,,,1",
        "201,3,ヒルドイドソフト軟膏0.3%,25,g,2,620008676,1",
        "301,3,1日2回 乾燥部に塗布,1,調剤,5,,,1",
        "391,ふらつきに注意,1",
        "401,グレープフルーツジュースは避けてください,1",
        "411,次回受診時に検査あり,1,1",
        "421,残薬なし,1",
        "501,一包化,1",
        "601,眠気が強い日があります,20261101",
    )


def split(days_ago=7):
    """`single`'s dispensing spread over three QR codes, each with the version and the 911 split record."""
    lines = single(days_ago).split("\r\n")[1:-1]
    chunks = (lines[:4], lines[4:8], lines[8:])
    return [crlf("JAHISTC08,1", f"911,20261120123456,3,{i}", *chunk) for i, chunk in enumerate(chunks, start=1)]


def qr_png(text, encoding="cp932"):
    """A QR code image of the text (Shift_JIS, as a pharmacy prints it)."""
    image = qrcode.make(text.encode(encoding), error_correction=qrcode.constants.ERROR_CORRECT_M)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


MALFORMED = crlf(
    "JAHISTC08,1",
    PATIENT,
    "201,1,先に薬品,1,錠,2,,1",
    "5,20261341,1",
    "11,,13,4,1234567,,,,1",
    "201,0,名前のない用量,一錠,錠,7,,1",
    "201,1,,1,,2,,1",
    "301,2,1日1回朝食後,28,日分,1,,,1",
    "x1,何か",
)
