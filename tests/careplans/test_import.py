"""Importing a plan (services.import_plan): the team's care manager only, all files or none, a new version
each time with the one before kept, a notice on the timeline."""
import pytest

from renkei.careplans import services
from renkei.careplans.layout import HOSOKU
from renkei.careplans.models import CarePlan, CarePlanTable
from renkei.core.errors import AppError
from renkei.network.models import Post, PostKind
from tests.careplans.conftest import MONTH, MONTH_HOSOKU, OFFICE_NUMBER, PLAN_HOSOKU, bad, uploads
from tests.network.factories import PatientFactory

pytestmark = pytest.mark.django_db


def changed(files, old, new):
    """The uploads with bytes `old` replaced by `new` (another person's or plan's keys)."""
    return [services.Upload(u.name, u.content.replace(old, new)) for u in files]


def run(world, files, user=None, patient=None):
    return services.import_plan(user=user or world.care_manager, patient=patient or world.patient, uploads=files)


def notices(world):
    return Post.objects.filter(patient=world.patient, kind=PostKind.NOTICE)


def test_the_care_manager_imports_the_seven_files_as_version_one(plan_world):
    plan = run(plan_world, uploads())
    tables = sorted((t.table, t.month, len(t.records)) for t in plan.tables.all())
    assert (plan.version, plan.insured_number, plan.created_on, plan.office_number) == (
        1, "9999000001", "20261015", OFFICE_NUMBER)
    assert tables == [(1, "", 1), (2, "", 5), (3, "", 9), (6, MONTH, 22), (7, MONTH, 6), (HOSOKU, "", 1),
                      (HOSOKU, MONTH, 1)]


def test_the_utf8_samples_import_to_the_same_records(plan_world):
    sjis = {(t.table, t.month): t.records for t in run(plan_world, uploads()).tables.all()}
    utf8 = {(t.table, t.month): t.records for t in run(plan_world, uploads("utf8")).tables.all()}
    assert sjis == utf8


def test_the_import_posts_a_notice_on_the_team_timeline(plan_world):
    run(plan_world, uploads())
    assert list(notices(plan_world).values_list("body", flat=True)) == [
        "ケアプラン（第1版、補足情報・第1表・第2表・第3表・第6表・第7表）を取り込みました。ケアプランの画面で読めます。"]


def test_a_nurse_of_the_team_may_not_import(plan_world):
    with pytest.raises(AppError) as refused:
        run(plan_world, uploads(), user=plan_world.nurse)
    assert refused.value.status == 403 and not CarePlan.objects.exists()


def test_one_bad_file_stores_nothing_of_the_others(plan_world):
    with pytest.raises(services.CsvRejected) as refused:
        run(plan_world, uploads(tables=(PLAN_HOSOKU, 1, 2)) + [bad("UPPLAN_day_outside_month.CSV")])
    assert [(p.file, p.line, p.column) for p in refused.value.lines] == [("UPPLAN_day_outside_month.CSV", 2, 10)]
    assert not CarePlan.objects.exists() and not CarePlanTable.objects.exists() and not notices(plan_world).exists()


def test_problems_of_every_file_are_reported_at_once(plan_world):
    with pytest.raises(services.CsvRejected) as refused:
        run(plan_world, [bad("UP2KYO_wrong_item_count.CSV"), bad("careplan1_9999000001_20261015.csv")])
    assert [p.file for p in refused.value.lines] == ["UP2KYO_wrong_item_count.CSV", "careplan1_9999000001_20261015.csv"]


def test_a_plan_of_another_person_is_refused(plan_world):
    plan_world.patient.birth_date = plan_world.patient.birth_date.replace(year=1940)
    plan_world.patient.save()
    with pytest.raises(services.CsvRejected) as refused:
        run(plan_world, uploads())
    assert [(p.file[:9], p.line, p.column, p.message) for p in refused.value.lines] == [
        ("UPHOSOKU_", 1, 8, "生年月日がこの患者と一致しません。"), ("UPHOSOKU_", 1, 8, "生年月日がこの患者と一致しません。")]


def test_the_person_is_matched_by_the_reading_when_the_name_is_written_otherwise(plan_world):
    plan_world.patient.name = "武蔵野 てすと花子"
    plan_world.patient.save()
    assert run(plan_world, uploads()).version == 1


def test_a_person_of_another_name_and_reading_is_refused(plan_world):
    plan_world.patient.name, plan_world.patient.name_kana = "三鷹 架空次郎", "みたか かくうじろう"
    plan_world.patient.save()
    with pytest.raises(services.CsvRejected) as refused:
        run(plan_world, uploads(tables=(PLAN_HOSOKU, 1)))
    assert [(p.column, p.message) for p in refused.value.lines] == [(6, "氏名（フリガナ）がこの患者と一致しません。")]


def test_another_insured_number_than_the_plan_on_record_is_refused(imported, plan_world):
    with pytest.raises(services.CsvRejected) as refused:
        run(plan_world, changed(uploads(tables=(PLAN_HOSOKU, 1)), b",9999000001,", b",9999000003,"))
    messages = [p.message for p in refused.value.lines]
    assert "保険者番号・被保険者番号がこの患者の登録済みのケアプランと一致しません。" in messages
    assert CarePlan.objects.get().version == 1


def test_an_insured_number_already_on_another_patients_plan_is_refused(imported, plan_world):
    twin = PatientFactory(name=plan_world.patient.name, name_kana=plan_world.patient.name_kana,
                          birth_date=plan_world.patient.birth_date)
    plan_world.care_manager_member.__class__.objects.create(patient=twin, user=plan_world.care_manager,
                                                            role="care_manager", status="active")
    with pytest.raises(services.CsvRejected) as refused:
        run(plan_world, uploads(), patient=twin)
    assert [p.message for p in refused.value.lines] == ["保険者番号・被保険者番号がこの患者と一致しません。"]


def test_files_of_two_plans_in_one_upload_are_refused(plan_world):
    with pytest.raises(services.CsvRejected) as refused:
        run(plan_world, uploads(tables=(PLAN_HOSOKU, 2))
            + changed(changed(uploads(tables=(1,)), b",9999000001,", b",9999000003,"), b",20261015,", b",20261101,"))
    assert {p.column_name for p in refused.value.lines} >= {"被保険者番号", "居宅サービス計画作成（変更）日"}


def test_the_same_table_twice_is_refused(plan_world):
    with pytest.raises(services.CsvRejected) as refused:
        run(plan_world, uploads(tables=(1, 2)) + uploads("utf8", tables=(2,)))
    [problem] = refused.value.lines
    assert problem.message.startswith("第2表（対象年月なし）がファイル UP2KYO_") and problem.message.endswith("と重なっています。")


@pytest.mark.parametrize("tables", [(2, 6), (PLAN_HOSOKU, 2), (1, 2)])
def test_a_first_plan_needs_its_first_table_and_the_supplement(plan_world, tables):
    with pytest.raises(services.CsvRejected) as refused:
        run(plan_world, uploads(tables=tables))
    assert [p.message for p in refused.value.lines] == ["はじめて取り込む計画には第1表と利用者補足情報のファイルが必要です。"]


def test_a_newer_plan_needs_its_first_table(imported, plan_world):
    with pytest.raises(services.CsvRejected) as refused:
        run(plan_world, changed(uploads(tables=(PLAN_HOSOKU, 2)), b"20261015", b"20261120"))
    assert [p.message for p in refused.value.lines] == ["新しい計画（作成年月日の違う計画）には第1表のファイルが必要です。"]


def test_a_months_files_alone_add_to_the_current_plan(plan_world):
    run(plan_world, uploads(tables=(PLAN_HOSOKU, 1, 2)))
    second = run(plan_world, uploads(tables=(MONTH_HOSOKU, 6, 7)))
    assert (second.version, second.created_on) == (2, "20261015")
    assert sorted(second.tables.values_list("table", "month")) == [
        (1, ""), (2, ""), (6, MONTH), (7, MONTH), (HOSOKU, ""), (HOSOKU, MONTH)]


def test_files_of_two_care_manager_offices_are_refused(plan_world):
    with pytest.raises(services.CsvRejected) as refused:
        run(plan_world, uploads(tables=(PLAN_HOSOKU, 1)) + changed(uploads(tables=(6,)), b",1379999901,", b",1379999911,"))
    assert [(p.file[:7], p.column, p.column_name) for p in refused.value.lines] == [
        ("UPPLAN_", 6, "プラン担当業者コード")]


def test_a_reimport_makes_a_new_version_and_keeps_the_old_one(imported, plan_world):
    second = run(plan_world, uploads(tables=(1, 2)))
    imported.refresh_from_db()
    assert (second.version, second.is_current, imported.is_current) == (2, True, False)
    assert imported.superseded_at is not None and imported.tables.count() == 7


def test_a_reimport_of_the_same_plan_keeps_the_months_it_does_not_replace(imported, plan_world):
    second = run(plan_world, uploads(tables=(2,)))
    assert sorted(second.tables.values_list("table", flat=True)) == [1, 2, 3, 6, 7, HOSOKU, HOSOKU]


def test_a_table2_alone_keeps_the_care_managers_office_number_it_does_not_carry(imported, plan_world):
    """第2表 in the standard's layout has no 居宅介護支援事業所番号: the new version keeps the plan's."""
    second = run(plan_world, uploads(tables=(2,)))
    assert (imported.office_number, second.office_number) == (OFFICE_NUMBER, OFFICE_NUMBER)


def test_a_table2_of_another_insured_number_is_refused_at_its_key(imported, plan_world):
    other = [services.Upload(u.name, u.content.replace(b",9999000001,", b",9999000003,")) for u in uploads(tables=(2,))]
    with pytest.raises(services.CsvRejected) as refused:
        run(plan_world, other)
    assert [(p.line, p.column, p.column_name) for p in refused.value.lines] == [(1, 3, "被保険者番号")]


def test_a_plan_older_than_the_one_on_record_is_refused(plan_world):
    newer = [services.Upload(u.name, u.content.replace(b"20261015", b"20261120")) for u in uploads()]
    run(plan_world, newer)
    with pytest.raises(AppError) as refused:
        run(plan_world, uploads())
    assert refused.value.status == 409 and CarePlan.objects.filter(patient=plan_world.patient).count() == 1


def test_no_file_is_a_400(plan_world):
    with pytest.raises(AppError) as refused:
        run(plan_world, [])
    assert refused.value.status == 400


def test_a_newer_plan_starts_afresh_without_the_old_tables(imported, plan_world):
    newer = [services.Upload(u.name, u.content.replace(b"20261015", b"20261120")) for u in uploads(tables=(1,))]
    second = run(plan_world, newer)
    assert list(second.tables.values_list("table", flat=True)) == [1] and imported.tables.count() == 7
