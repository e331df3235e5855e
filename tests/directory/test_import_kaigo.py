"""Import of 介護サービス情報公表 jigyosho_<code>.csv files."""
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from renkei.core.models import Facility, FacilityKind
from renkei.directory.importing import ImportFileError, import_kaigo_file
from renkei.directory.models import (
    CoordSource,
    DirectoryStatus,
    FacilityCapability,
    ImportRun,
    Schedule,
    Service,
)

from .factories import kaigo_file, kaigo_row

pytestmark = pytest.mark.django_db


def test_it_creates_facilities_with_profile_service_and_days():
    result = import_kaigo_file(kaigo_file([kaigo_row("1360000001")]), file_name="jigyosho_130.csv")
    facility = Facility.objects.get(official_id="1360000001")
    assert (result.created, facility.kind, facility.profile.town) == (1, FacilityKind.VISITING_NURSING, "境南町二丁目")
    assert Service.objects.filter(facility=facility, code="130").exists()
    assert sorted(Schedule.objects.filter(facility=facility).values_list("weekday", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_reimport_of_the_same_file_changes_nothing():
    data = kaigo_file([kaigo_row("1360000001"), kaigo_row("1360000002")])
    import_kaigo_file(data, file_name="jigyosho_130.csv")
    again = import_kaigo_file(data, file_name="jigyosho_130.csv")
    assert (again.created, again.updated, again.unchanged, again.closed) == (0, 0, 2, 0)
    assert Facility.objects.filter(kind=FacilityKind.VISITING_NURSING).count() == 2


def test_reimport_updates_changed_rows_and_closes_vanished_ones_with_counts():
    import_kaigo_file(kaigo_file([kaigo_row("1360000001"), kaigo_row("1360000002")]), file_name="jigyosho_130.csv")
    result = import_kaigo_file(kaigo_file([kaigo_row("1360000001", name="新しい名前"), kaigo_row("1360000003")]),
                               file_name="jigyosho_130.csv")
    assert (result.created, result.updated, result.closed) == (1, 1, 1)
    assert Facility.objects.get(official_id="1360000001").name == "新しい名前"
    assert Facility.objects.get(official_id="1360000002").profile.status == DirectoryStatus.CLOSED
    assert ImportRun.objects.first().closed == 1


def test_a_closed_facility_that_reappears_is_open_again():
    import_kaigo_file(kaigo_file([kaigo_row("1360000001")]), file_name="jigyosho_130.csv")
    import_kaigo_file(kaigo_file([kaigo_row("1360000002")]), file_name="jigyosho_130.csv")
    import_kaigo_file(kaigo_file([kaigo_row("1360000001")]), file_name="jigyosho_130.csv")
    assert Facility.objects.get(official_id="1360000001").profile.status == DirectoryStatus.OPEN


def test_reimport_keeps_what_the_facility_entered():
    import_kaigo_file(kaigo_file([kaigo_row("1360000001")]), file_name="jigyosho_130.csv")
    facility = Facility.objects.get(official_id="1360000001")
    profile = facility.profile
    profile.accepting_new, profile.hours_entered_by_facility = True, True
    profile.save()
    FacilityCapability.objects.create(facility=facility, code="around_the_clock")
    Schedule.objects.filter(facility=facility).delete()
    Schedule.objects.create(facility=facility, weekday=7, entered_by_facility=True)
    import_kaigo_file(kaigo_file([kaigo_row("1360000001", name="改名")]), file_name="jigyosho_130.csv")
    facility.refresh_from_db()
    assert facility.profile.accepting_new is True and facility.capabilities.count() == 1
    assert list(facility.directory_schedules.values_list("weekday", flat=True)) == [7]


def test_zero_coordinates_are_placed_at_the_town_centre():
    result = import_kaigo_file(kaigo_file([kaigo_row("1360000001", lat="0", lon="0")]), file_name="jigyosho_130.csv")
    facility = Facility.objects.get(official_id="1360000001")
    assert result.repaired == 1 and facility.profile.coord_source == CoordSource.TOWN_CENTRE
    assert facility.lat == pytest.approx(35.698, abs=0.01)


def test_unplaceable_coordinates_are_reported_not_dropped():
    row = kaigo_row("1360000001", lat="0", lon="0", address="東京都武蔵野市（番地不明）")
    result = import_kaigo_file(kaigo_file([row]), file_name="jigyosho_130.csv")
    assert result.unlocated == 1 and "1360000001" in result.messages[0]
    assert Facility.objects.get(official_id="1360000001").lat is None


def test_shift_jis_files_are_read():
    data = kaigo_file([kaigo_row("1360000001", name="武蔵野訪問看護")], encoding="cp932")
    import_kaigo_file(data, file_name="jigyosho_130.csv")
    assert Facility.objects.get(official_id="1360000001").name == "武蔵野訪問看護"


def test_rows_outside_the_region_are_counted():
    result = import_kaigo_file(kaigo_file([kaigo_row("0160000001", code="011002")]), file_name="jigyosho_130.csv")
    assert (result.out_of_area, Facility.objects.count()) == (1, 0)


def test_an_unknown_service_code_is_refused():
    with pytest.raises(ImportFileError, match="不明なサービスコード"):
        import_kaigo_file(kaigo_file([kaigo_row("1360000001")]), file_name="jigyosho_999.csv")


def test_a_row_with_an_unknown_service_kind_refuses_the_whole_file():
    rows = [kaigo_row("1360000001"), kaigo_row("1360000002", service="宇宙旅行介護")]
    with pytest.raises(ImportFileError, match="3行目"):
        import_kaigo_file(kaigo_file(rows), file_name="jigyosho_130.csv")
    assert Facility.objects.count() == 0


def test_a_malformed_file_is_refused_and_nothing_is_imported():
    with pytest.raises(ImportFileError, match="24列"):
        import_kaigo_file(kaigo_file([["a", "b"]], header=["a", "b"]), file_name="jigyosho_130.csv")
    assert Facility.objects.count() == 0


def test_a_short_row_refuses_the_whole_file():
    rows = [kaigo_row("1360000001"), kaigo_row("1360000002")[:10]]
    with pytest.raises(ImportFileError, match="列数"):
        import_kaigo_file(kaigo_file(rows), file_name="jigyosho_130.csv")
    assert Facility.objects.count() == 0


def test_the_command_reports_counts(tmp_path, capsys):
    path = tmp_path / "jigyosho_130.csv"
    path.write_bytes(kaigo_file([kaigo_row("1360000001")]))
    call_command("import_kaigo", str(path))
    assert "新規 1 件" in capsys.readouterr().out


def test_the_command_fails_clearly_on_a_bad_file(tmp_path):
    path = tmp_path / "jigyosho_130.csv"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CommandError, match="取り込めませんでした"):
        call_command("import_kaigo", str(path))


def test_a_file_of_twenty_thousand_rows_imports_and_reimports_unchanged():
    codes = ["132039", "132047", "132063", "132080", "132101", "132195"]
    rows = [kaigo_row(f"13{n:08d}", code=codes[n % 6], lat=f"{35.65 + (n % 100) / 1000:.4f}",
                      lon=f"{139.50 + (n // 100) / 10000:.4f}") for n in range(20_000)]
    data = kaigo_file(rows)
    # Its speed is measured by the benchmark (make bench), not by a timed test.
    result = import_kaigo_file(data, file_name="jigyosho_130.csv")
    again = import_kaigo_file(data, file_name="jigyosho_130.csv")
    assert (result.created, again.unchanged) == (20_000, 20_000)
