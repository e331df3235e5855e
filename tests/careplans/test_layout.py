"""The CSV layout: the samples read in both encodings, every malformed sample refused line by line, and a file
written from the records reads back to the same records and bytes."""
from renkei.careplans.layout import TABLES, parse_file, write_file
from tests.careplans.conftest import bad, sample_paths


def parsed(path):
    found, problems = parse_file(path.name, path.read_bytes())
    assert problems == []
    return found


def problems_of(name):
    upload = bad(name)
    found, problems = parse_file(upload.name, upload.content)
    assert found is None
    return [(p.line, p.column, p.message) for p in problems]


def test_the_shift_jis_and_utf8_samples_read_to_the_same_records():
    for sjis, utf8 in zip(sample_paths("sjis"), sample_paths("utf8"), strict=True):
        assert parsed(sjis).records == parsed(utf8).records and parsed(sjis).header == parsed(utf8).header


def test_a_value_with_a_line_break_and_a_comma_is_one_value():
    table1 = parsed(sample_paths(tables=(1,))[0])
    assert "\n長男" in table1.records[0][17] and len(table1.records[0]) == 22


def test_a_utf8_file_with_a_bom_is_read():
    path = sample_paths("utf8", tables=(2,))[0]
    found, problems = parse_file(path.name, b"\xef\xbb\xbf" + path.read_bytes())
    assert problems == [] and found.table == 2


def test_bytes_neither_utf8_nor_shift_jis_are_refused_with_their_line():
    found, problems = parse_file("x.csv", "H,あ\r\n".encode() + b"D,\xff\xfe\r\n")
    assert found is None and [(p.line, p.message[:5]) for p in problems] == [(2, "文字コード")]


def test_a_bad_header_names_each_wrong_value():
    assert [(line, column) for line, column, _ in problems_of("bad_header.csv")] == [(1, 2), (1, 3), (1, 4), (1, 6)]


def test_a_file_without_a_header_record_is_refused_on_its_first_line():
    assert problems_of("no_header.csv") == [(1, 1, "1行目はヘッダレコード（レコード種別 H）にしてください。")]


def test_a_record_with_a_missing_column_is_refused_with_its_line():
    assert problems_of("wrong_columns.csv") == [(2, 0, "列の数が22ではありません（21列あります）。")]


def test_the_standards_table2_has_no_header_and_its_keys_on_every_record():
    found = parsed(sample_paths(tables=(2,))[0])
    assert found.table == 2 and len(found.records) == 5 and all(len(r) == 22 for r in found.records)
    assert {tuple(r[1:5]) for r in found.records} == {("139999", "9999000001", "20261015", "20261015")}
    assert (found.header["保険者番号"], found.header["被保険者番号"], found.header["作成年月日"]) == (
        "139999", "9999000001", "20261015")
    assert found.key_at("被保険者番号") == (1, 3)


def test_table2_is_recognised_by_its_content_whatever_the_file_name():
    path = sample_paths(tables=(2,))[0]
    found, problems = parse_file("keikaku2.csv", path.read_bytes())
    assert problems == [] and found.table == 2


def test_a_table1_record_without_its_header_is_not_taken_for_a_table2():
    path = sample_paths(tables=(1,))[0]
    content = path.read_bytes().split(b"\r\n", 1)[1]
    found, problems = parse_file("keikaku1.csv", content)
    assert found is None and [(p.line, p.column_name) for p in problems] == [(1, "レコード種別")]


def test_two_plans_in_one_table2_file_are_refused_on_the_line_that_differs():
    assert problems_of("UP2KYO_two_plans.CSV") == [(3, 3, "被保険者番号が1行目と違います（1つのファイルは1つの計画です）。")]


def test_table2_in_the_projects_old_header_layout_is_refused():
    assert problems_of("table2_with_header.csv") == [
        (1, 3, "第2表は標準仕様のレイアウト（ヘッダレコードなし、ファイル名 UP2KYO_…）で取り込んでください。")]


def test_a_standard_file_renkei_cannot_read_yet_says_so():
    [(line, column, message)] = problems_of("UP1KYO_1379999901_1379999902_20261015090000.CSV")
    assert (line, column) == (0, 0) and message.startswith("標準仕様の居宅サービス計画1表のファイルにはまだ対応していません")


def test_impossible_dates_bad_formats_and_reversed_periods_are_each_reported():
    assert problems_of("bad_dates.csv") == [
        (2, 4, "生年月日の「19370231」は存在しない日付です。"),
        (2, 15, "認定日は年月日8桁の数字（例：20250401）で書いてください（「2026/09/01」）。"),
        (2, 17, "認定の有効期間（終了）が認定の有効期間（開始）より前になっています。"),
    ]


def test_a_day_the_month_has_not_and_a_wrong_total_are_reported():
    assert problems_of("bad_days.csv") == [
        (2, 39, "対象年月 2026年11月に31日はありません。"),
        (2, 40, "合計回数「4」が日ごとの回数の合計（5）と一致しません。"),
    ]


def test_a_record_count_that_does_not_match_is_refused():
    assert problems_of("wrong_count.csv") == [(1, 9, "データ件数「3」がデータレコードの数（4）と一致しません。")]


def test_units_that_are_not_units_times_count_are_refused():
    path = sample_paths(tables=(7,))[0]
    text = path.read_bytes().decode("cp932").replace(",3172,", ",3173,", 2)
    found, problems = parse_file(path.name, text.encode("cp932"))
    assert found is None and [(p.line, p.column_name) for p in problems] == [(2, "サービス単位数")]


def test_a_character_shift_jis_cannot_hold_is_refused():
    path = sample_paths("utf8", tables=(2,))[0]
    text = path.read_bytes().decode().replace("週3回", "週3回🙂")
    found, problems = parse_file(path.name, text.encode())
    assert found is None and problems[0].column_name == "頻度" and "🙂" in problems[0].message


def test_writing_the_records_back_gives_the_sample_file_byte_for_byte():
    for path in sample_paths("sjis"):
        found = parsed(path)
        header = None if TABLES[found.table].official else list(found.header.values())
        assert write_file(header, found.records) == path.read_bytes()
