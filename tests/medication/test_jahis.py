"""The JAHIS お薬手帳 reader (renkei/medication/jahis.py): every record it knows read into dispensings, split
codes joined by their 911 records in any order, and every problem of a malformed code named with its line."""
import datetime

from django.utils import timezone

from renkei.medication import jahis
from tests.medication import samples


def parse(*texts):
    return jahis.parse(list(texts), today=timezone.localdate())


def test_a_single_code_gives_its_dispensing():
    book, problems = parse(samples.single())
    assert problems == []
    (d,) = book.dispensings
    assert d.dispensed_on == timezone.localdate() - datetime.timedelta(days=10)
    assert (d.pharmacy_name, d.pharmacy_code, d.pharmacist_name) == ("（架空）けやき薬局", "1234567", "薬剤 一郎")
    assert (d.institution_name, d.physician_name, d.department) == ("（架空）みどりの森在宅クリニック", "往診 一郎", "内科")
    assert [(x.rp, x.name, x.amount, x.unit) for x in d.drugs] == [
        (1, "アムロジピン錠5mg「サワイ」", "1", "錠"), (1, "酸化マグネシウム錠330mg", "2", "錠"),
        (2, "ロキソプロフェンナトリウム錠60mg", "1", "錠")]
    assert (d.usages[1].name, d.usages[1].quantity, d.usages[1].quantity_unit) == ("1日1回朝食後", "28", "日分")
    assert d.usages[2].dosage_form == "頓服"
    assert d.drugs[2].notes == ["薬品服用注意: 空腹時を避けてください"]


def test_the_patient_record_is_read():
    book, _ = parse(samples.single())
    assert (book.patient.name, book.patient.kana, book.patient.birth_date) == (
        "武蔵野 テスト花子", "ムサシノ テストハナコ", datetime.date(1938, 4, 12))
    assert book.version == "JAHISTC08"


def test_half_width_kana_and_full_width_digits_are_read():
    book, problems = parse(samples.kana_full_width())
    assert problems == []
    drug = book.dispensings[0].drugs[0]
    assert (drug.name, drug.amount) == ("セレコキシブ錠100mg", "2")
    assert book.dispensings[0].usages[1].quantity == "14"
    assert book.dispensings[0].pharmacy_name == "（架空）サクラ薬局"
    assert book.version == "JAHISTC07"


def test_several_dispensings_and_every_note_are_read():
    book, problems = parse(samples.many())
    assert problems == []
    older, newer = book.dispensings
    assert older.institution_name == "（架空）むさしの中央病院" and len(newer.drugs) == 3
    assert older.drugs[0].notes == ["薬品補足: 骨粗しょう症の薬"] and older.usages[1].notes == ["毎日同じ時間に"]
    assert newer.usages[3].dosage_form == "外用"
    assert newer.notes == ["処方服用注意: ふらつきに注意", "服用注意: グレープフルーツジュースは避けてください",
                           "医療機関等提供情報: 次回受診時に検査あり", "残薬確認: 残薬なし", "備考: 一包化",
                           "患者等記入: 眠気が強い日があります"]


def test_split_codes_are_joined_in_their_order_whatever_order_they_were_read_in():
    first, second, third = samples.split()
    book, problems = parse(third, first, second)
    whole, _ = parse(samples.single(7))
    assert problems == []
    assert book.dispensings[0].fingerprint() == whole.dispensings[0].fingerprint()
    assert [d.name for d in book.dispensings[0].drugs] == [d.name for d in whole.dispensings[0].drugs]


def test_split_codes_pasted_as_one_text_are_cut_at_their_version_records():
    book, problems = parse("".join(reversed(samples.split())))
    assert problems == [] and len(book.dispensings[0].drugs) == 3


def test_the_same_split_code_read_twice_counts_once():
    first, second, third = samples.split()
    book, problems = parse(first, second, second, third)
    assert problems == [] and len(book.dispensings[0].drugs) == 3


def test_a_missing_split_code_is_named():
    first, _, third = samples.split()
    book, problems = parse(first, third)
    assert book is None
    assert problems == ["分割された QR コード（データID 20261120123456、全3枚）のうち 2 枚目がありません。"
                        "すべての QR コードを読み取ってください。"]


def test_a_split_record_without_its_numbers_is_refused():
    book, problems = parse(samples.crlf("JAHISTC08,1", "911,abc,2", samples.PATIENT))
    assert book is None and problems[0].startswith("2行目: 分割制御レコード（911）は")


def test_every_problem_of_a_malformed_code_is_listed_with_its_line():
    book, problems = parse(samples.MALFORMED)
    assert book is None
    assert problems == [
        "3行目: レコード 201 が調剤等年月日レコード（5）より前にあります。",
        "4行目: 調剤等年月日「20261341」が YYYYMMDD の日付ではありません。",
        "5行目: 調剤－医療機関等レコード（11）に薬局名がありません。",
        "6行目: レコード 201 の RP番号「0」が1以上の数字ではありません。",
        "6行目: 薬品「名前のない用量」の用量「一錠」が数値ではありません。",
        "6行目: 薬品「名前のない用量」の薬品コード種別「7」は使えません（1・2・3・4・6）。",
        "7行目: 薬品レコード（201）に薬品名称がありません。",
        "7行目: 薬品「」の単位名がありません。",
        "8行目: 用法レコード（301）の RP2 に薬品レコード（201）がありません。",
        "9行目: レコード番号「x1」が数字ではありません。",
    ]


def test_lines_are_counted_per_code_when_there_are_several():
    first, second, third = samples.split()
    _, problems = parse(first, second.replace("201,1,アムロジピン", "201,X,アムロジピン"), third)
    assert "2枚目の5行目: レコード 201 の RP番号「X」が1以上の数字ではありません。" in problems


def test_text_without_a_version_record_is_refused():
    book, problems = parse("5,20261101,1\r\n201,1,薬,1,錠,1,,1\r\n")
    assert book is None and problems == ["1行目: 先頭が JAHIS のバージョンレコード（例: JAHISTC08,1）ではありません。"]


def test_a_version_1_code_is_refused_by_name():
    _, problems = parse(samples.single().replace("JAHISTC08", "JAHISTC02"))
    assert problems == ["1行目: JAHISTC02 は Ver.1 の形式のため読み取れません（JAHISTC03 以降に対応）。"]


def test_a_future_dispensing_date_is_refused():
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1))
    _, problems = parse(samples.single().replace(samples.day(10), f"{tomorrow:%Y%m%d}"))
    assert problems == [f"3行目: 調剤等年月日 {tomorrow:%Y年%m月%d日} は未来の日付です。"]


def test_a_code_without_a_patient_record_or_a_drug_is_refused():
    _, problems = parse(samples.crlf("JAHISTC08,1", "5,20261101,1", "11,薬局,13,4,1,,,,1"))
    assert problems == ["患者情報レコード（1）がありません。", "2行目: この調剤に薬品レコード（201）がありません。"]


def test_empty_input_is_refused():
    assert parse("  \r\n") == (None, ["お薬手帳のデータがありません。"])


def test_unknown_records_are_skipped():
    book, problems = parse(samples.single().replace("15,薬剤", "999,将来のレコード\r\n15,薬剤"))
    assert problems == [] and len(book.dispensings[0].drugs) == 3


def test_shift_jis_and_utf8_bytes_are_both_read():
    text = samples.single()
    assert jahis.decode_bytes(text.encode("cp932")) == text
    assert jahis.decode_bytes(("\ufeff" + text).encode("utf-8")) == text
    assert jahis.decode_bytes(b"\xff\xfe\x00\x81") is None


def test_the_fingerprint_differs_for_another_dispensing():
    a, _ = parse(samples.single(10))
    b, _ = parse(samples.single(11))
    assert a.dispensings[0].fingerprint() != b.dispensings[0].fingerprint()


def test_a_line_too_long_and_digits_other_than_ascii_are_problems():
    text = samples.single().replace("15,薬剤 一郎", "15," + "薬" * 1001).replace("201,2,", "201,²,")
    _, problems = parse(text)
    assert problems == ["5行目: 1行が長すぎます（1000文字まで）。", "11行目: レコード 201 の RP番号「²」が1以上の数字ではありません。",
                        "12行目: 用法レコード（301）の RP2 に薬品レコード（201）がありません。",
                        "13行目: レコード 291 の RP2 に薬品レコード（201）がありません。"]


def test_a_quote_mark_is_part_of_the_value():
    book, problems = parse(samples.single().replace("15,薬剤 一郎", '15,"薬剤 一郎'))
    assert problems == [] and book.dispensings[0].pharmacist_name == '"薬剤 一郎'
