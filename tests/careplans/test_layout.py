"""The standard's CSV layouts: every file of the sample plan reads in both encodings, an older version's 第6表・
第7表 read, every malformed sample is refused at its line and item, Renkei's former layout is refused, and a
file written from the records reads back to the same records and bytes."""
import pytest

from renkei.careplans.layout import HOSOKU, TABLES, parse_file, write_file
from tests.careplans.conftest import ALL, MONTH, MONTH_HOSOKU, PLAN_HOSOKU, bad, sample_paths


def parsed(path, name=None):
    found, problems = parse_file(name or path.name, path.read_bytes())
    assert problems == []
    return found


def problems_of(name):
    upload = bad(name)
    found, problems = parse_file(upload.name, upload.content)
    assert found is None
    return [(p.line, p.column, p.message) for p in problems]


@pytest.mark.parametrize(("table", "number", "items", "count"), [
    (PLAN_HOSOKU, HOSOKU, 63, 1), (1, 1, 28, 1), (2, 2, 22, 5), (3, 3, 13, 9), (MONTH_HOSOKU, HOSOKU, 63, 1),
    (6, 6, 25, 22),
    (7, 7, 37, 6)])
def test_every_file_of_the_sample_plan_reads(table, number, items, count):
    found = parsed(sample_paths(tables=(table,))[0])
    assert (found.table, len(found.records), {len(r) for r in found.records}) == (number, count, {items})
    assert (found.header["保険者番号"], found.header["被保険者番号"], found.header["CSVバージョン"]) == (
        "139999", "9999000001", "202407")


def test_the_keys_that_tie_the_files_together():
    keys = {t: parsed(sample_paths(tables=(t,))[0]).header for t in ALL}
    assert [keys[t]["作成年月日"] for t in (PLAN_HOSOKU, 1, 2, 3)] == ["20261015"] * 4
    assert [keys[t]["作成年月日"] for t in (MONTH_HOSOKU, 6, 7)] == ["", "", ""]
    assert [keys[t]["対象年月"] for t in ALL] == ["", "", "", "", MONTH, MONTH, MONTH]
    assert keys[1]["居宅介護支援事業所番号"] == keys[6]["居宅介護支援事業所番号"] == "1379999901"


def test_the_shift_jis_and_utf8_samples_read_to_the_same_records():
    for sjis, utf8 in zip(sample_paths("sjis"), sample_paths("utf8"), strict=True):
        assert parsed(sjis).records == parsed(utf8).records and parsed(sjis).header == parsed(utf8).header


def test_a_value_with_a_line_break_a_comma_and_a_quote_is_one_value():
    table1 = parsed(sample_paths(tables=(1,))[0])
    assert "\n長男" in table1.records[0][21] and '"夜だけでも"' in table1.records[0][21]
    assert len(table1.records[0]) == 28


def test_a_utf8_file_with_a_bom_is_read():
    path = sample_paths("utf8", tables=(2,))[0]
    found, problems = parse_file(path.name, b"\xef\xbb\xbf" + path.read_bytes())
    assert problems == [] and found.table == 2


def test_bytes_neither_shift_jis_nor_utf8_are_refused_with_their_line():
    path = sample_paths(tables=(2,))[0]
    found, problems = parse_file(path.name, path.read_bytes() + b"202407,\x82\xff\r\n")
    assert found is None and [(p.line, p.message[:5]) for p in problems] == [(6, "文字コード")]


def test_an_older_versions_table6_and_table7_without_the_rental_items_read():
    table6 = parsed(sample_paths("older", tables=(6,))[0])
    table7 = parsed(sample_paths("older", tables=(7,))[0])
    assert {len(r) for r in table6.records} == {22} and {len(r) for r in table7.records} == {34}
    assert table6.header["CSVバージョン"] == "202208" and table6.month == MONTH


def test_a_current_version_record_with_the_older_item_count_is_refused():
    path = sample_paths("older", tables=(6,))[0]
    content = path.read_bytes().replace(b"202208,", b"202407,")
    found, problems = parse_file(path.name, content)
    assert found is None and problems[0].message == "項目の数が25ではありません（22項目あります。CSVバージョン 202407）。"


def test_table2_may_leave_the_issue_and_goals_empty_on_rows_after_the_first_of_their_number():
    rows = parsed(sample_paths(tables=(2,))[0]).records
    assert (rows[1][5], rows[1][6], rows[3][5], rows[3][6], rows[3][8], rows[3][9]) == ("1", "", "2", "", "", "")


@pytest.mark.parametrize(("name", "expected"), [
    ("UPHOSOKU_000000_bad_birth_date.CSV", [(1, 8, "利用者生年月日の「19370231」は存在しない日付です。")]),
    ("UPHOSOKU_000000_bad_insured_number.CSV",
     [(1, 3, "被保険者番号は10桁の数字（生活保護単独は H と9桁の数字）で書いてください（「99990001」）。")]),
    ("UPHOSOKU_000000_without_plan_date.CSV",
     [(1, 4, "第1表・第2表とともに送る利用者補足情報（対象年月 000000）には居宅サービス計画作成（変更）日が必要です。")]),
    ("UP1KYO_bad_date_format.CSV", [(1, 18, "認定日は年月日8桁の数字（例：20250401）で書いてください（「2026/09/01」）。")]),
    ("UP1KYO_bad_plan_kind.CSV", [(1, 16, "計画書区分の「3」は使えません。11（初回）・12（紹介）・21（継続）・51（初回＆紹介）・"
                                          "52（初回＆継続）・53（紹介＆継続）・54（初回＆紹介＆継続）のいずれかを書いてください。")]),
    ("UP1KYO_reversed_period.CSV", [(1, 20, "認定有効期間終了日が認定有効期間開始日より前になっています。")]),
    ("UP2KYO_missing_issue.CSV", [(5, 7, "課題NO 3 の最初の行に課題がありません。")]),
    ("UP2KYO_mixed_versions.CSV", [(2, 1, "CSVバージョンが1行目と違います（1つのファイルに複数のCSVバージョンは混在できません）。")]),
    ("UP2KYO_two_plans.CSV", [(3, 3, "被保険者番号が1行目と違います（1つのファイルは1人の1つの計画です）。")]),
    ("UP2KYO_unknown_version.CSV",
     [(1, 1, "CSVバージョン「1」は標準仕様の版ではありません（201910・202003・202208・202504・202407 のいずれか）。")]),
    ("UP2KYO_wrong_item_count.CSV", [(2, 0, "項目の数が22ではありません（21項目あります。CSVバージョン 202407）。")]),
    ("UPPLAN_bad_prorate_days.CSV",
     [(1, 11, "日割対象日は0と1の31文字（日割りで請求できる日が1）で書くか、空にしてください（「111」）。")]),
    ("UPPLAN_bad_time.CSV",
     [(1, 12, "サービス開始時刻は時刻4桁の数字（例：0930、時刻のないサービスは 9999）で書いてください（「900」）。")]),
    ("UPPLAN_day_outside_month.CSV", [(2, 10, "サービス利用日 20261201 が対象年月 2026年11月の日ではありません。")]),
    ("UPPLAN_rental_without_tais.CSV", [(22, 16, "福祉用具貸与には TAISコードか福祉用具届出コードが必要です。")]),
    ("UPPLAN_two_months.CSV", [(3, 5, "対象年月が1行目と違います（1つのファイルは1か月分です）。")]),
    ("UPSIKYU_bad_service_code.CSV", [(1, 9, "サービスコードは6文字の半角英数字（小計は種類コード＋AAAA・EEEE・ZZZZ、"
                                             "全合計は 999999）で書いてください（「11-111」）。")]),
    ("UPSIKYU_without_total.CSV", [(0, 0, "第7表には全合計の行（サービスコード 999999）が1行必要です（0行あります）。")]),
    ("UP3KYO_bad_weekday.CSV", [(1, 7, "曜日の「8」は使えません。1（月曜日）・2（火曜日）・3（水曜日）・4（木曜日）・5（金曜日）・"
                                           "6（土曜日）・7（日曜日）のいずれかを書いてください。")]),
    ("UP3KYO_service_without_weekday.CSV", [(2, 7, "介護サービス内容には曜日が必要です。")]),
    ("UPSIKYU_subtotal_with_units.CSV", [(2, 13, "種類別小計の行の単位数は 0 です。")]),
    ("UPPLAN_detail_code_not_rental.CSV", [(1, 19, "明細判別コードは福祉用具貸与にだけ書きます（ほかは空）。")]),
])
def test_each_malformed_sample_is_refused_at_its_line_and_item(name, expected):
    assert problems_of(name) == expected


@pytest.mark.parametrize("name", ["careplan1_9999000001_20261015.csv", "table2_with_header.csv"])
def test_renkeis_former_layout_is_refused(name):
    [(line, column, message)] = problems_of(name)
    assert (line, column) == (1, 0) and message.startswith("Renkei の旧レイアウト（ヘッダレコード H、RENKEI-CP1）")


def test_the_former_layout_under_a_standard_name_is_refused_too():
    upload = bad("careplan1_9999000001_20261015.csv")
    found, problems = parse_file("UP1KYO_1379999901_43_1379999902_13_20261015090000.CSV", upload.content)
    assert found is None and problems[0].message.startswith("Renkei の旧レイアウト")


def test_the_former_layouts_records_without_their_header_are_refused_too():
    content = bad("careplan1_9999000001_20261015.csv").content.split(b"\r\n", 1)[1]
    found, problems = parse_file("UP1KYO_x.CSV", content)
    assert found is None and [(p.line, p.message[:14]) for p in problems] == [(1, "Renkei の旧レイアウト")]


def test_a_file_without_the_standards_prefix_is_refused():
    [(line, column, message)] = problems_of("keikaku2.csv")
    assert (line, column) == (0, 0) and message.startswith("ファイル名が標準仕様のファイル名ではありません")


def test_a_file_of_the_standard_renkei_does_not_read_says_so():
    [(line, column, message)] = problems_of("UPJSK_202611_1379999902_13_1379999901_43_20261130090000.CSV")
    assert (line, column) == (0, 0) and message.startswith("標準仕様の第6表の実績情報のファイルは、Renkei ではまだ読めません")


def test_the_rest_of_the_name_is_not_read():
    path = sample_paths(tables=(2,))[0]
    assert parsed(path, name="up2kyo_anything.csv").table == 2


def test_a_character_shift_jis_cannot_hold_is_refused():
    path = sample_paths("utf8", tables=(2,))[0]
    text = path.read_bytes().decode().replace("週3回", "週3回🙂")
    found, problems = parse_file(path.name, text.encode())
    assert found is None and problems[0].column_name == "頻度" and "🙂" in problems[0].message


def test_an_insured_number_of_public_assistance_alone_is_h_and_nine_digits():
    path = sample_paths(tables=(2,))[0]
    found, problems = parse_file(path.name, path.read_bytes().replace(b",9999000001,", b",H999000001,"))
    assert problems == [] and found.header["被保険者番号"] == "H999000001"


def test_a_satellite_number_of_one_digit_reads():
    path = sample_paths(tables=(6,))[0]
    found, problems = parse_file(path.name, path.read_bytes().replace(b",,0,,\r\n", b",1,0,,\r\n"))
    assert problems == [] and {r[21] for r in found.records} == {"1"}


def test_a_table7_subtotal_row_reads():
    rows = parsed(sample_paths(tables=(7,))[0]).records
    assert [r[8] for r in rows] == ["111111", "11AAAA", "131111", "151111", "171001", "999999"]


@pytest.mark.parametrize("encoding", ["sjis", "utf8", "older"])
def test_writing_the_records_back_gives_the_sample_file_byte_for_byte(encoding):
    for path in sample_paths(encoding):
        found = parsed(path)
        written = write_file(found.table, found.records, encoding="utf-8" if encoding == "utf8" else "cp932")
        assert written == path.read_bytes()
        assert written.endswith(b"\r\n") and b"\r\n" in written


def test_free_text_is_quoted_and_a_quote_doubled():
    table1 = parsed(sample_paths(tables=(1,))[0])
    written = write_file(1, table1.records).decode("cp932")
    assert '"計画 ケア子"' in written and '""夜だけでも""' in written and ",1379999901," in written


def test_every_table_is_named_by_its_prefix():
    assert [TABLES[n].prefix for n in (HOSOKU, 1, 2, 3, 6, 7)] == [
        "UPHOSOKU", "UP1KYO", "UP2KYO", "UP3KYO", "UPPLAN", "UPSIKYU"]


def test_table3_keeps_services_activities_and_the_rest_in_one_file():
    rows = parsed(sample_paths(tables=(3,))[0]).records
    assert [r[6] for r in rows if r[5]] == ["1", "2", "3", "4", "5"]
    assert [r[9] for r in rows if r[9]][0] == "起床・体重測定・朝食" and rows[-1][12].startswith("福祉用具貸与")
