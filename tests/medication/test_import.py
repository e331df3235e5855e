"""Reading お薬手帳 data into a patient's medication list (renkei/medication/services.py): stored whole with a
timeline notice and audit rows, or not at all; the same dispensing never twice; another person's code refused."""
import pytest

from renkei.core.errors import AppError
from renkei.core.models import AuditEvent
from renkei.medication import services
from renkei.medication.models import Dispensing, Medication, Source
from renkei.network.models import Consent, Post, PostKind
from tests.medication import samples

pytestmark = pytest.mark.django_db


def read(world, *texts, **kwargs):
    return services.import_jahis(user=world.nurse, patient=world.patient, texts=list(texts), **kwargs)


def test_a_code_is_stored_with_its_drugs(world):
    result = read(world, samples.single())
    (dispensing,) = result.created
    assert Dispensing.objects.get() == dispensing and dispensing.imported_by == world.nurse
    assert [(m.rp, m.name, m.dose, m.usage, m.supply) for m in Medication.objects.order_by("rp", "position")] == [
        (1, "アムロジピン錠5mg「サワイ」", "1錠", "1日1回朝食後", "28日分"),
        (1, "酸化マグネシウム錠330mg", "2錠", "1日1回朝食後", "28日分"),
        (2, "ロキソプロフェンナトリウム錠60mg", "1錠", "痛い時", "10回分")]
    assert Medication.objects.get(rp=2).notes == "薬品服用注意: 空腹時を避けてください"


def test_the_records_read_are_kept_on_the_dispensing(world):
    (dispensing,) = read(world, samples.single()).created
    assert dispensing.records.splitlines()[0].startswith("5,") and dispensing.version == "JAHISTC08"


def test_each_reading_posts_one_notice_on_the_timeline(world):
    read(world, samples.many())
    notice = Post.objects.get(patient=world.patient, kind=PostKind.NOTICE)
    assert notice.body.startswith("お薬手帳から調剤2件（") and notice.author == world.nurse


def test_each_dispensing_is_audited(world):
    read(world, samples.many())
    rows = AuditEvent.objects.filter(object_type="medication.dispensing", action="create")
    assert rows.count() == 2 and {r.patient_id for r in rows} == {str(world.patient.pk)}


def test_the_same_dispensing_read_again_is_not_stored_twice(world):
    read(world, samples.single())
    result = read(world, samples.single())
    assert result.created == [] and len(result.duplicates) == 1
    assert Dispensing.objects.count() == 1 and Post.objects.filter(kind=PostKind.NOTICE).count() == 1


def test_the_split_codes_of_a_dispensing_already_read_whole_are_duplicates(world):
    read(world, samples.single(7))
    assert read(world, *samples.split(7)).created == []


def test_a_reading_with_one_new_dispensing_stores_only_that(world):
    read(world, samples.single(3))
    result = read(world, samples.single(3), samples.kana_full_width(2))
    assert len(result.created) == 1 and len(result.duplicates) == 1 and Dispensing.objects.count() == 2


def test_a_malformed_code_stores_nothing_and_lists_its_problems(world):
    with pytest.raises(AppError) as refused:
        read(world, samples.single(), samples.MALFORMED)
    assert refused.value.status == 422 and len(refused.value.problems) == 10
    assert "2枚目の3行目: レコード 201 が調剤等年月日レコード（5）より前にあります。" in refused.value.problems
    assert not Dispensing.objects.exists() and not Post.objects.exists()


def test_problems_of_the_uploads_refuse_the_reading(world):
    with pytest.raises(AppError) as refused:
        read(world, samples.single(), problems=["「a.png」から QR コードを読み取れませんでした。"])
    assert refused.value.problems == ["「a.png」から QR コードを読み取れませんでした。"]
    assert not Dispensing.objects.exists()


def test_another_persons_code_is_refused(world):
    other = samples.single().replace("19380412", "19400101")
    with pytest.raises(AppError) as refused:
        read(world, other)
    assert refused.value.problems == ["2行目: お薬手帳の患者（氏名・生年月日）がこの患者と一致しません。"]
    assert not Dispensing.objects.exists()


def test_another_name_with_the_same_birth_date_is_refused(world):
    other = samples.single().replace("武蔵野　テスト花子", "三鷹 別人").replace("ﾑｻｼﾉ ﾃｽﾄﾊﾅｺ", "ﾐﾀｶ ﾍﾞﾂｼﾞﾝ")
    with pytest.raises(AppError):
        read(world, other)


def test_the_name_in_half_width_kana_matches_the_kana_of_the_patient(world):
    assert len(read(world, samples.kana_full_width()).created) == 1


def test_without_consent_nothing_is_read(world):
    Consent.objects.filter(patient=world.patient).delete()
    with pytest.raises(AppError) as refused:
        read(world, samples.single())
    assert refused.value.status == 409 and not Dispensing.objects.exists()


def test_the_source_is_recorded(world):
    (dispensing,) = read(world, samples.single(), source=Source.IMAGE).created
    assert dispensing.get_source_display() == "QR コードの画像"
