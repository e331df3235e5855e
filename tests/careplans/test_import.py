"""Importing a plan (services.import_plan): the team's care manager only, all files or none, a new version
each time with the one before kept, a notice on the timeline."""
import pytest

from renkei.careplans import services
from renkei.careplans.models import CarePlan, CarePlanTable
from renkei.core.errors import AppError
from renkei.network.models import Post, PostKind
from tests.careplans.conftest import OFFICE_NUMBER, bad, uploads
from tests.network.factories import PatientFactory

pytestmark = pytest.mark.django_db


def run(world, files, user=None, patient=None):
    return services.import_plan(user=user or world.care_manager, patient=patient or world.patient, uploads=files)


def notices(world):
    return Post.objects.filter(patient=world.patient, kind=PostKind.NOTICE)


def test_the_care_manager_imports_the_four_tables_as_version_one(plan_world):
    plan = run(plan_world, uploads())
    tables = sorted((t.table, t.month, len(t.records)) for t in plan.tables.all())
    assert (plan.version, plan.insured_number, plan.created_on) == (1, "9999000001", "20261015")
    assert tables == [(1, "", 1), (2, "", 5), (6, "202611", 4), (7, "202611", 5)]


def test_the_utf8_samples_import_to_the_same_records(plan_world):
    sjis = {(t.table, t.month): t.records for t in run(plan_world, uploads()).tables.all()}
    utf8 = {(t.table, t.month): t.records for t in run(plan_world, uploads("utf8")).tables.all()}
    assert sjis == utf8


def test_the_import_posts_a_notice_on_the_team_timeline(plan_world):
    run(plan_world, uploads())
    assert list(notices(plan_world).values_list("body", flat=True)) == [
        "ケアプラン（第1版、第1表・第2表・第6表・第7表）を取り込みました。ケアプランの画面で読めます。"]


def test_a_nurse_of_the_team_may_not_import(plan_world):
    with pytest.raises(AppError) as refused:
        run(plan_world, uploads(), user=plan_world.nurse)
    assert refused.value.status == 403 and not CarePlan.objects.exists()


def test_one_bad_file_stores_nothing_of_the_others(plan_world):
    with pytest.raises(services.CsvRejected) as refused:
        run(plan_world, uploads(tables=(1, 2)) + [bad("bad_days.csv")])
    assert [(p.file, p.line, p.column) for p in refused.value.lines] == [("bad_days.csv", 2, 39), ("bad_days.csv", 2, 40)]
    assert not CarePlan.objects.exists() and not CarePlanTable.objects.exists() and not notices(plan_world).exists()


def test_problems_of_every_file_are_reported_at_once(plan_world):
    with pytest.raises(services.CsvRejected) as refused:
        run(plan_world, [bad("wrong_columns.csv"), bad("no_header.csv")])
    assert [p.file for p in refused.value.lines] == ["wrong_columns.csv", "no_header.csv"]


def test_a_plan_of_another_person_is_refused(plan_world):
    plan_world.patient.birth_date = plan_world.patient.birth_date.replace(year=1940)
    plan_world.patient.save()
    with pytest.raises(services.CsvRejected) as refused:
        run(plan_world, uploads())
    assert [p.message for p in refused.value.lines] == ["生年月日がこの患者と一致しません。"]


def test_another_insured_number_than_the_plan_on_record_is_refused(imported, plan_world):
    with pytest.raises(services.CsvRejected) as refused:
        run(plan_world, [bad("other_insured_table1.csv")])
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
        run(plan_world, uploads(tables=(2,)) + [bad("other_insured_table1.csv")])
    assert {p.column_name for p in refused.value.lines} >= {"被保険者番号", "作成年月日"}


def test_the_same_table_twice_is_refused(plan_world):
    with pytest.raises(services.CsvRejected) as refused:
        run(plan_world, uploads(tables=(1, 2)) + uploads("utf8", tables=(2,)))
    [problem] = refused.value.lines
    assert problem.message.startswith("第2表（対象年月なし）がファイル UP2KYO_") and problem.message.endswith("と重なっています。")


def test_a_new_plan_needs_its_first_table(plan_world):
    with pytest.raises(services.CsvRejected) as refused:
        run(plan_world, uploads(tables=(2, 6)))
    assert refused.value.lines[0].message == "新しい計画（作成年月日の違う計画）には第1表のファイルが必要です。"


def test_a_reimport_makes_a_new_version_and_keeps_the_old_one(imported, plan_world):
    second = run(plan_world, uploads(tables=(1, 2)))
    imported.refresh_from_db()
    assert (second.version, second.is_current, imported.is_current) == (2, True, False)
    assert imported.superseded_at is not None and imported.tables.count() == 4


def test_a_reimport_of_the_same_plan_keeps_the_months_it_does_not_replace(imported, plan_world):
    second = run(plan_world, uploads(tables=(2,)))
    assert sorted(second.tables.values_list("table", flat=True)) == [1, 2, 6, 7]


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
    assert list(second.tables.values_list("table", flat=True)) == [1] and imported.tables.count() == 4
