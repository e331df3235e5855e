"""The six cities' shipped kaigo files (full and reduced copies) and the ministry's clinic files as downloaded."""
import csv
import io
import zipfile

import pytest

from renkei.core.models import Facility, FacilityKind
from renkei.directory.importing import DATA_DIR, ImportFileError, import_iryo_files, import_kaigo_file
from renkei.directory.models import Capacity
from tests.factories import AREA, city

pytestmark = pytest.mark.django_db

SHIPPED = [("kaigo_130_hokutama_nanbu_derived.csv", 124), ("kaigo_140_hokutama_nanbu.csv", 25),
           ("kaigo_160_hokutama_nanbu.csv", 31), ("kaigo_430_hokutama_nanbu_derived.csv", 231),
           ("kaigo_710_hokutama_nanbu.csv", 4), ("kaigo_760_hokutama_nanbu.csv", 6),
           ("kaigo_770_hokutama_nanbu.csv", 7)]


@pytest.fixture(autouse=True)
def six_cities():
    for code in AREA:
        city(code)


@pytest.mark.parametrize(("name", "rows"), SHIPPED)
def test_each_shipped_file_imports_every_row(name, rows):
    result = import_kaigo_file(DATA_DIR / name)
    assert (result.created, result.out_of_area) == (rows, 0)


def test_a_reduced_copy_without_city_codes_places_each_row_in_its_city():
    import_kaigo_file(DATA_DIR / "kaigo_130_hokutama_nanbu_derived.csv")
    stations = Facility.objects.filter(kind=FacilityKind.VISITING_NURSING)
    assert stations.filter(municipality__name="府中市").count() == 33
    assert stations.filter(municipality__name="三鷹市").count() == 21


def test_the_770_file_s_longer_service_name_is_the_same_service():
    result = import_kaigo_file(DATA_DIR / "kaigo_770_hokutama_nanbu.csv")
    assert result.created == 7 and Facility.objects.filter(kind=FacilityKind.SMALL_MULTI).count() == 7


def test_a_reduced_copy_without_a_city_is_refused():
    data = "事業所番号,事業所名,住所\n1360000001,テスト,東京都武蔵野市境1-1\n".encode()
    with pytest.raises(ImportFileError, match="市区町村名"):
        import_kaigo_file(data, service_code="130")


def test_a_re_import_leaves_the_providers_capacity_alone():
    import_kaigo_file(DATA_DIR / "kaigo_760_hokutama_nanbu.csv")
    facility = Facility.objects.filter(kind=FacilityKind.PATROL_NURSING).first()
    Capacity.objects.create(facility=facility, accepting_new=True, around_the_clock=True)
    import_kaigo_file(DATA_DIR / "kaigo_760_hokutama_nanbu.csv")
    assert Capacity.objects.get(facility=facility).around_the_clock


def clinic_file():
    """A 02-1 clinic facility table: the hospital file's layout with 機関区分 2."""
    rows = list(csv.reader(io.StringIO((DATA_DIR / "mhlw_hospitals_musashino_mitaka_20250601.csv").read_text("utf-8"))))
    header, body = rows[0], rows[1:3]
    kind = header.index("機関区分")
    for row in body:
        row[kind] = "2"
    out = io.StringIO()
    csv.writer(out).writerows([header, *body])
    return out.getvalue().encode("utf-8-sig")


def test_the_clinic_file_imports_as_downloaded_in_its_zip(tmp_path):
    path = tmp_path / "02-1_clinic_facility_info_20250601.csv.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("02-1_clinic_facility_info_20250601.csv", clinic_file())
    result = import_iryo_files([path])
    assert result.created == 2 and Facility.objects.filter(kind=FacilityKind.CLINIC).count() == 2


def test_the_clinic_file_imports_unzipped_too(tmp_path):
    path = tmp_path / "02-1_clinic_facility_info_20250601.csv"
    path.write_bytes(clinic_file())
    assert import_iryo_files([path]).created == 2


def test_a_zip_with_two_csv_files_is_refused(tmp_path):
    path = tmp_path / "02-1_clinic.csv.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.csv", clinic_file())
        archive.writestr("b.csv", clinic_file())
    with pytest.raises(ImportFileError, match="1つだけ"):
        import_iryo_files([path])
