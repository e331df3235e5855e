"""The ケアプラン pages: the plan on the care team's side (the provider's rows marked), the care manager's
import with the problems line by line, the CSV download; strangers get 404."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from renkei.careplans.models import CarePlan
from renkei.core.models import AuditEvent
from tests.careplans.conftest import MONTH, MONTH_HOSOKU, PLAN_HOSOKU, bad, files, sample_paths, uploads

pytestmark = pytest.mark.django_db


def plan_url(world):
    return reverse("careplans:plan", args=[world.patient.pk])


def import_url(world):
    return reverse("careplans:import", args=[world.patient.pk])


def test_the_plan_page_shows_the_supplement_and_the_four_tables(login, plan_world, imported):
    page = login(plan_world.physician).get(plan_url(plan_world)).content.decode()
    for text in ("補足情報", "区分支給限度基準額", "27048", "要介護3", "認定済", "2026年10月1日", "第1表", "総合的な援助の方針",
                 "心不全が悪くならないように過ごしたい", "継続", "週間サービス計画表", "起床・体重測定・朝食", "木曜日", "第6表", "111111", "（架空）電動ベッド3モーター",
                 "第7表", "全合計", "9448", "11AAAA（種類 11 の区分支給限度対象の小計）", "999999（全合計）"):
        assert text in page
    # the month's 補足情報 is shown, and its download names the month
    assert "補足情報（認定・支給限度）（2026年11月）" in page
    assert reverse("careplans:csv", args=[plan_world.patient.pk, 9]) + f"?month={MONTH}" in page


def test_the_nurse_sees_her_stations_rows_marked(login, plan_world, imported):
    page = login(plan_world.nurse).get(plan_url(plan_world)).content.decode()
    assert page.count('<tr class="mine">') == 3  # 第2表, 第6表's day grid (one service), 第7表


def test_mine_shows_only_the_nurses_rows(login, plan_world, imported):
    page = login(plan_world.nurse).get(plan_url(plan_world) + "?mine=1").content.decode()
    assert "（架空）ひかり訪問介護" not in page and "（架空）さくら訪問看護ステーション" in page


def test_the_plan_read_is_audited(login, plan_world, imported):
    login(plan_world.nurse).get(plan_url(plan_world))
    assert AuditEvent.objects.filter(action="read", actor=plan_world.nurse, detail="care plan").count() == 1


def test_a_patient_without_a_plan_says_so(login, plan_world):
    assert "ケアプランはまだ取り込まれていません" in login(plan_world.nurse).get(plan_url(plan_world)).content.decode()


def test_a_stranger_gets_404_on_the_plan_page(login, plan_world, imported):
    assert login(plan_world.stranger).get(plan_url(plan_world)).status_code == 404


def test_only_the_care_manager_is_offered_the_import(login, plan_world, imported):
    assert "CSV を取り込む" not in login(plan_world.nurse).get(plan_url(plan_world)).content.decode()
    assert login(plan_world.nurse).get(import_url(plan_world)).status_code == 403


def test_the_care_manager_imports_through_the_page(login, plan_world):
    client = login(plan_world.care_manager)
    response = client.post(import_url(plan_world), {"csv_files": files(*uploads())})
    assert response.status_code == 302 and CarePlan.objects.get().version == 1


def test_a_malformed_file_is_shown_line_by_line_and_nothing_stored(login, plan_world):
    client = login(plan_world.care_manager)
    response = client.post(import_url(plan_world), {"csv_files": files(*uploads(tables=(PLAN_HOSOKU, 1)),
                                                                        bad("UPPLAN_day_outside_month.CSV"))})
    page = response.content.decode()
    assert response.status_code == 422 and not CarePlan.objects.exists()
    assert "10（サービス利用日）" in page and "サービス利用日 20261201 が対象年月 2026年11月の日ではありません。" in page


def test_a_file_in_renkeis_former_layout_is_refused_on_the_page(login, plan_world):
    client = login(plan_world.care_manager)
    response = client.post(import_url(plan_world), {"csv_files": files(bad("careplan1_9999000001_20261015.csv"))})
    assert response.status_code == 422 and "Renkei の旧レイアウト" in response.content.decode()


def test_posting_no_file_asks_for_one(login, plan_world):
    response = login(plan_world.care_manager).post(import_url(plan_world), {})
    assert "CSV ファイルを選んでください" in response.content.decode()


def test_the_csv_download_is_the_imported_file(login, plan_world, imported):
    url = reverse("careplans:csv", args=[plan_world.patient.pk, 6]) + f"?month={MONTH}"
    response = login(plan_world.care_manager).get(url)
    assert response.content == sample_paths(tables=(6,))[0].read_bytes()
    url = reverse("careplans:csv", args=[plan_world.patient.pk, 9]) + f"?month={MONTH}"
    assert login(plan_world.care_manager).get(url).content == sample_paths(tables=(MONTH_HOSOKU,))[0].read_bytes()


def test_a_stranger_gets_404_on_the_download(login, plan_world, imported):
    url = reverse("careplans:csv", args=[plan_world.patient.pk, 1])
    assert login(plan_world.stranger).get(url).status_code == 404


def audit():
    return 1 if connection.vendor == "postgresql" else 2


@pytest.mark.parametrize("extra", [0, 30])
def test_the_plan_page_is_a_fixed_number_of_queries(login, plan_world, extra, django_assert_num_queries):
    path = sample_paths(tables=(6,))[0]
    rows = path.read_bytes().decode("cp932").split("\r\n")[:-1]
    # more services of the same provider: other times of day
    rows = rows + [rows[0].replace(",0900,0930,", f",{10 + n // 6:02d}{n % 6}0,2300,") for n in range(extra)]
    big = SimpleUploadedFile(path.name, ("\r\n".join(rows) + "\r\n").encode("cp932"))
    client = login(plan_world.care_manager)
    client.post(import_url(plan_world), {"csv_files": [*files(*uploads(tables=(PLAN_HOSOKU, 1, 2, MONTH_HOSOKU, 7))),
                                                        big]})
    assert CarePlan.objects.count() == 1
    client.get(plan_url(plan_world))
    # session, user, OTP device, the page's header (cities, unread), patient, offices, plan, months, tables,
    # history, care-manager check, then the audit row
    with django_assert_num_queries(13 + audit()):
        page = client.get(plan_url(plan_world)).content.decode()
    assert page.count("<td>111111</td>") == 2 + extra  # 第6表's grid and 第7表


def test_the_standards_items_are_worded_for_the_care_team(login, plan_world, imported):
    page = login(plan_world.nurse).get(plan_url(plan_world)).content.decode()
    assert "利用者" not in page and "患者住所１" in page and "自己負担保険／事業対象分" in page


def test_the_schedule_shows_the_hours_of_each_service(login, plan_world, imported):
    page = login(plan_world.nurse).get(plan_url(plan_world)).content.decode()
    assert "<td>09:00–09:30</td>" in page and "<td>―</td>" in page  # the rental has no time (9999)


def test_the_schedule_is_the_day_grid_of_the_per_day_records(login, plan_world, imported):
    from renkei.careplans import selectors

    view = selectors.plan_view(user=plan_world.nurse, patient=plan_world.patient)
    grid = {row.code: (row.total, sorted(row.counts)) for row in view.schedule}
    assert grid["131111"] == (4, [3, 10, 17, 24]) and grid["111111"][0] == 13 and grid["171001"] == (1, [1])
    assert len(view.days) == 30


def test_an_unknown_encoding_sends_back_to_the_plan_with_the_reason(login, plan_world, imported):
    url = reverse("careplans:csv", args=[plan_world.patient.pk, 1]) + "?encoding=latin-1"
    response = login(plan_world.care_manager).get(url, follow=True)
    assert "encoding は shift_jis または utf-8 を指定してください。" in response.content.decode()


def test_a_table_not_imported_is_404(login, plan_world):
    from renkei.careplans import services

    services.import_plan(user=plan_world.care_manager, patient=plan_world.patient, uploads=uploads(tables=(PLAN_HOSOKU, 1)))
    url = reverse("careplans:csv", args=[plan_world.patient.pk, 2])
    assert login(plan_world.care_manager).get(url).status_code == 404
