"""Import of 医療情報ネット facility and hours tables."""
import pytest

from renkei.core.models import Facility, FacilityKind
from renkei.directory.importing import DATA_DIR, ImportFileError, import_iryo_files
from renkei.directory.models import DirectoryStatus, Schedule

pytestmark = pytest.mark.django_db

HOSPITALS = DATA_DIR / "mhlw_hospitals_musashino_mitaka_20250601.csv"
RED_CROSS = "1311138000160"


def hours_file(rows):
    header = "ID,診療科目コード,診療科目名,月_診療開始時間,月_診療終了時間,土_診療開始時間,土_診療終了時間\n"
    return (header + "".join(",".join(r) + "\n" for r in rows)).encode("cp932")


def test_it_imports_the_shipped_hospital_table():
    result = import_iryo_files([HOSPITALS])
    assert result.created == 12
    red_cross = Facility.objects.get(official_id=RED_CROSS)
    assert (red_cross.kind, red_cross.profile.beds, red_cross.profile.town) == (FacilityKind.HOSPITAL, 611, "境南町一丁目")


def test_inverted_closed_flags_mean_open_days():
    import_iryo_files([HOSPITALS])
    days = set(Schedule.objects.filter(facility__official_id=RED_CROSS).values_list("weekday", flat=True))
    assert days == {1, 2, 3, 4, 5}  # 1 = open in the published files; Saturday, Sunday and holidays are 0


def test_hours_table_adds_departments_and_times():
    hours = hours_file([[RED_CROSS, "01", "内科", "08:30", "17:00", "", ""]])
    import_iryo_files([HOSPITALS], hours_paths=[hours])
    red_cross = Facility.objects.get(official_id=RED_CROSS)
    schedule = Schedule.objects.get(facility=red_cross)
    assert (red_cross.profile.departments, schedule.weekday, str(schedule.opens_at)) == ("内科", 1, "08:30:00")


def test_a_hospital_missing_from_the_next_snapshot_is_closed():
    import_iryo_files([HOSPITALS])
    lines = HOSPITALS.read_bytes().decode("utf-8-sig").splitlines()
    smaller = "\n".join(line for line in lines if RED_CROSS not in line).encode()
    result = import_iryo_files([smaller])
    assert result.closed == 1
    assert Facility.objects.get(official_id=RED_CROSS).profile.status == DirectoryStatus.CLOSED


def test_a_table_without_the_id_column_is_refused():
    with pytest.raises(ImportFileError, match="ID"):
        import_iryo_files(["名前,住所\nA,B\n".encode()])
    assert Facility.objects.count() == 0


def test_an_unknown_institution_class_refuses_the_file():
    data = "ID,正式名称,機関区分,都道府県コード,市区町村コード,所在地\n1,テスト,9,13,203,東京都武蔵野市境1-1\n".encode()
    with pytest.raises(ImportFileError, match="機関区分"):
        import_iryo_files([data])


def pharmacy_file():
    header = (["ID", "名称", "フリガナ", "都道府県コード", "市区町村コード", "所在地", "所在地座標（緯度）", "所在地座標（経度）"]
              + [f"営業日（{d}）" for d in "月火水木金土日祝"]
              + [f"{d}_開店時間帯{n}_{e}時間" for d in "月火水木金土日祝" for n in (1, 2) for e in ("開始", "終了")])
    values = {h: "" for h in header}
    values.update({"ID": "1351130000001", "名称": "テスト薬局", "フリガナ": "テストヤッキョク", "都道府県コード": "13",
                   "市区町村コード": "203", "所在地": "東京都武蔵野市中町１－１－１", "所在地座標（緯度）": "0",
                   "所在地座標（経度）": "0", "営業日（月）": "1", "営業日（土）": "1",
                   "月_開店時間帯1_開始時間": "09:00", "月_開店時間帯1_終了時間": "13:00",
                   "月_開店時間帯2_開始時間": "14:00", "月_開店時間帯2_終了時間": "18:00"})
    return (",".join(header) + "\n" + ",".join(values[h] for h in header) + "\n").encode("utf-8-sig")


def test_pharmacy_table_with_inline_opening_bands(tmp_path):
    path = tmp_path / "05_pharmacy_20250601.csv"
    path.write_bytes(pharmacy_file())
    result = import_iryo_files([path])
    pharmacy = Facility.objects.get(official_id="1351130000001")
    times = list(Schedule.objects.filter(facility=pharmacy).order_by("weekday", "opens_at")
                 .values_list("weekday", "opens_at__hour"))
    assert (pharmacy.kind, result.repaired) == (FacilityKind.PHARMACY, 1)
    assert times == [(1, 9), (1, 14), (6, None)]


def test_the_command_reports_counts_and_refuses_bad_files(tmp_path, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("import_iryo", str(HOSPITALS), "--as-of", "2025-06-01")
    assert "新規 12 件" in capsys.readouterr().out
    bad = tmp_path / "01-1_hospital_facility_info_20250601.csv"
    bad.write_text("名前\nA\n", encoding="utf-8")
    with pytest.raises(CommandError, match="取り込みませんでした"):
        call_command("import_iryo", str(bad))
