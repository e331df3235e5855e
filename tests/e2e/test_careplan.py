"""In the browser: the care manager reads the plan's CSV files (the national ケアプランデータ連携 files, Shift_JIS)
into the patient's ケアプラン page, the visiting nurse finds her station's rows marked, and a malformed file is
refused line by line with nothing stored."""
import datetime
import re

import pytest

from renkei.careplans.models import CarePlan
from tests import world as test_world
from tests.careplans.conftest import DATA, OFFICE_NUMBER, STATION_NUMBER
from tests.e2e.conftest import log_in_as
from tests.factories import musashino, totp_device

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def plan_team(db):
    """The one test world (its Musashino re-seeded: a transactional test flushes it), with the patient and the
    事業所番号 the sample plan names."""
    musashino()
    w = test_world.build()
    w.patient.birth_date = datetime.date(1937, 6, 14)
    w.patient.save(update_fields=["birth_date"])
    for facility, number in ((w.station, STATION_NUMBER), (w.office, OFFICE_NUMBER)):
        facility.official_id = number
        facility.save(update_fields=["official_id"])
    return w


def _sample_files():
    return sorted(str(p) for p in (DATA / "sjis").iterdir() if p.is_file())


def test_the_care_manager_reads_the_plan_in_and_the_nurse_finds_her_rows(page, browser, live_server, plan_team):
    w = plan_team
    log_in_as(page, live_server, w.care_manager, totp_device(w.care_manager))
    page.goto(f"{live_server.url}/careplans/patients/{w.patient.pk}/")
    page.get_by_role("link", name="CSV を取り込む").click()
    page.get_by_label("CSV ファイル").set_input_files(_sample_files())
    page.get_by_role("button", name="取り込む").click()
    page.wait_for_selector("text=ケアプラン（第1版）を取り込みました。")
    assert CarePlan.objects.get(patient=w.patient, is_current=True).version == 1
    for table in ("第1表", "第2表", "第6表", "第7表"):
        assert page.get_by_role("heading", name=re.compile(f"^{table}")).is_visible()
    assert page.get_by_role("table", name="第2表").get_by_role("row").count() > 1

    context = browser.new_context(locale="ja-JP")
    try:
        nurse_page = context.new_page()
        log_in_as(nurse_page, live_server, w.nurse, totp_device(w.nurse))
        nurse_page.goto(f"{live_server.url}/careplans/patients/{w.patient.pk}/")
        assert nurse_page.locator("tr.mine").count() > 0
        assert nurse_page.get_by_role("link", name="CSV を取り込む").count() == 0
    finally:
        context.close()


def test_a_malformed_file_is_refused_line_by_line_and_nothing_is_stored(page, live_server, plan_team, tmp_path):
    w = plan_team
    broken = tmp_path / (sorted((DATA / "sjis").iterdir())[0].name)
    lines = sorted((DATA / "sjis").iterdir())[0].read_bytes().split(b"\r\n")
    lines[0] = lines[0].replace(b"1379999901", b"13799999XX", 1).replace(b"139999", b"13999X", 1)
    broken.write_bytes(b"\r\n".join(lines))
    log_in_as(page, live_server, w.care_manager, totp_device(w.care_manager))
    page.goto(f"{live_server.url}/careplans/patients/{w.patient.pk}/import/")
    page.get_by_label("CSV ファイル").set_input_files([str(broken)])
    page.get_by_role("button", name="取り込む").click()
    problems = page.get_by_role("table", name="CSV の問題の一覧")
    problems.wait_for()
    assert problems.get_by_role("cell", name=broken.name).first.is_visible()
    assert problems.get_by_role("cell", name="1", exact=True).first.is_visible()  # the line of the fault
    assert not CarePlan.objects.filter(patient=w.patient).exists()
