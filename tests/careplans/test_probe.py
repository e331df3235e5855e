"""Adversarial probes of the care plans: who reads and exports what, malformed uploads (a clear 4xx, never a
500, nothing stored), the audit trail of every read, export, import and refusal."""
import pytest
from django.urls import reverse

from renkei.careplans import services
from renkei.careplans.layout import parse_file
from renkei.careplans.models import CarePlan, CarePlanTable
from renkei.core.models import AuditEvent
from renkei.network.models import MemberStatus
from tests.careplans.conftest import MONTH, PLAN_HOSOKU, auth, files, sample_paths, uploads

pytestmark = pytest.mark.django_db


def api(world, tail=""):
    return f"/api/v1/patients/{world.patient.pk}/careplan{tail}"


def sample(table):
    return sample_paths(tables=(table,))[0]


def text_of(table):
    return sample(table).read_bytes().decode("cp932")


def upload_text(table, text, name=None):
    return services.Upload(name or sample(table).name, text.encode("cp932"))


def replace_in(table, old, new, name=None):
    return upload_text(table, text_of(table).replace(old, new), name)


FAULTY = {
    "empty": lambda: services.Upload(sample(2).name, b""),
    "bom only": lambda: services.Upload(sample(2).name, b"\xef\xbb\xbf"),
    "blank lines": lambda: services.Upload(sample(2).name, b"\r\n\r\n,,,\r\n"),
    "nul byte": lambda: replace_in(2, "（架空）さくら訪問看護ステーション", "さくら\x00訪問看護"),
    "nul byte bare": lambda: services.Upload(sample(2).name, b"\x00"),
    "undecodable": lambda: services.Upload(sample(2).name, b"\xff\xfe\xfa" * 10),
    "utf16": lambda: services.Upload(sample(2).name, text_of(2).encode("utf-16")),
    "huge line": lambda: services.Upload(sample(2).name, b"202407," + b"x" * 1_500_000),
    "huge field quoted": lambda: services.Upload(sample(2).name, b'202407,"' + b"x" * 200_000 + b'"'),
    "unclosed quote": lambda: services.Upload(sample(2).name, b'202407,"abc'),
    "one item": lambda: services.Upload(sample(2).name, b"202407\r\n"),
    "one empty item then text": lambda: services.Upload(sample(2).name, b",x\r\n"),
    "no prefix": lambda: services.Upload("plan.csv", sample(2).read_bytes()),
    "path separators": lambda: services.Upload("../../etc/UP9_x.CSV", sample(2).read_bytes()),
    "windows path": lambda: services.Upload("C:\\data\\" + "x" * 300 + ".CSV", sample(2).read_bytes()),
    "month 13": lambda: replace_in(7, ",202611,", ",202613,"),
    "month 00": lambda: replace_in(7, ",202611,", ",202600,"),
    "day 31 of november": lambda: replace_in(6, ",20261102,", ",20261131,"),
    "prorate 30 chars": lambda: replace_in(6, ",20261102,,", ",20261102," + "0" * 30 + ","),
    "prorate 32 chars": lambda: replace_in(6, ",20261102,,", ",20261102," + "0" * 32 + ","),
    "negative count": lambda: replace_in(6, ",0900,0930,1,", ",0900,0930,-1,"),
    "full-width count": lambda: replace_in(6, ",0900,0930,1,", ",0900,0930,１,"),
    "full-width insured": lambda: replace_in(2, ",9999000001,", ",９９９９０００００１,"),
    "time 2460": lambda: replace_in(6, ",0900,0930,", ",0900,2460,"),
    "version text": lambda: replace_in(2, "202407,", "abcdef,"),
    "emoji in utf-8": lambda: services.Upload(sample(2).name, text_of(2).replace("（架空）さくら訪問看護ステーション",
                                                                                 "さくら😀").encode("utf-8")),
    "control character": lambda: replace_in(2, "（架空）さくら訪問看護ステーション", "さくら\x1b[31m"),
}


@pytest.mark.parametrize("fault", sorted(FAULTY))
def test_a_faulty_file_is_refused_with_a_japanese_message(plan_world, fault):
    found, problems = parse_file(FAULTY[fault]().name, FAULTY[fault]().content)
    assert found is None and problems and all(p.message for p in problems)


@pytest.mark.parametrize("fault", sorted(FAULTY))
def test_a_faulty_upload_is_a_json_4xx_and_stores_nothing(client, plan_world, imported, fault):
    before = list(CarePlanTable.objects.order_by("pk").values_list("pk", "records"))
    items = uploads(tables=(PLAN_HOSOKU, 1)) + [FAULTY[fault]()]
    response = client.post(api(plan_world, "/csv"), {"files": files(*items)}, **auth(plan_world.care_manager))
    assert 400 <= response.status_code < 500 and response.json()["detail"]
    assert CarePlan.objects.get(is_current=True) == imported and CarePlan.objects.count() == 1
    assert list(CarePlanTable.objects.order_by("pk").values_list("pk", "records")) == before
    assert AuditEvent.objects.filter(action="permission.denied", actor=plan_world.care_manager).count() == 1


@pytest.mark.parametrize("fault", sorted(FAULTY))
def test_a_faulty_upload_on_the_page_is_shown_not_a_500(login, plan_world, fault):
    client = login(plan_world.care_manager)
    items = uploads(tables=(PLAN_HOSOKU, 1)) + [FAULTY[fault]()]
    response = client.post(reverse("careplans:import", args=[plan_world.patient.pk]), {"csv_files": files(*items)})
    assert response.status_code in (200, 422) and not CarePlan.objects.exists()
