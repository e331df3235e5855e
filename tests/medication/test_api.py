"""The medication API: GET /api/v1/patients/{id}/medications and POST …/medications/jahis (a JAHIS text, JSON,
a file or QR code images), 422 listing every problem with nothing stored, Idempotency-Key, strangers 404."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renkei.medication import services
from renkei.medication.models import Dispensing, Source
from tests.medication import samples

pytestmark = pytest.mark.django_db
LIST = "/api/v1/patients/{}/medications"
READ = "/api/v1/patients/{}/medications/jahis"


def post_text(client, world, text, auth, content_type="text/plain; charset=utf-8", **headers):
    return client.post(READ.format(world.patient.pk), text, content_type=content_type, HTTP_AUTHORIZATION=auth,
                       **headers)


def test_a_jahis_text_body_is_read(client, world, bearer):
    response = post_text(client, world, samples.single(), bearer(world.nurse))
    assert response.status_code == 201, response.content
    (created,) = response.json()["created"]
    assert created["pharmacy_name"] == "（架空）けやき薬局" and len(created["medications"]) == 3
    assert created["medications"][0] | {"days": 28} == created["medications"][0]


def test_a_utf8_csv_body_is_read_as_a_file(client, world, bearer):
    response = post_text(client, world, samples.many(), bearer(world.nurse), content_type="text/csv")
    assert response.status_code == 201 and len(response.json()["created"]) == 2
    assert set(Dispensing.objects.values_list("source", flat=True)) == {Source.FILE}


def test_a_shift_jis_file_is_read_from_multipart(client, world, bearer):
    upload = SimpleUploadedFile("okusuri.csv", samples.many().encode("cp932"), content_type="text/csv")
    response = client.post(READ.format(world.patient.pk), {"file": [upload]}, HTTP_AUTHORIZATION=bearer(world.nurse))
    assert response.status_code == 201 and len(response.json()["created"]) == 2


def test_a_shift_jis_body_is_refused_before_the_endpoint(client, world, bearer):
    response = post_text(client, world, samples.single().encode("cp932"), bearer(world.nurse), content_type="text/csv")
    assert response.status_code == 400 and "UTF-8" in response.json()["detail"]


def test_the_parts_of_a_split_code_are_read_from_json(client, world, bearer):
    response = post_text(client, world, {"parts": samples.split()}, bearer(world.nurse),
                         content_type="application/json")
    assert response.status_code == 201 and len(response.json()["created"][0]["medications"]) == 3


def test_qr_code_images_are_read_from_multipart(client, world, bearer):
    files = [SimpleUploadedFile(f"{i}.png", samples.qr_png(t), content_type="image/png")
             for i, t in enumerate(samples.split())]
    response = client.post(READ.format(world.patient.pk), {"file": files}, HTTP_AUTHORIZATION=bearer(world.nurse))
    assert response.status_code == 201 and Dispensing.objects.get().source == Source.IMAGE


def test_the_same_dispensing_again_answers_200_with_the_duplicate(client, world, bearer):
    auth = bearer(world.nurse)
    post_text(client, world, samples.single(), auth)
    response = post_text(client, world, samples.single(), auth)
    assert response.status_code == 200 and response.json()["created"] == []
    assert response.json()["duplicates"][0]["pharmacy_name"] == "（架空）けやき薬局"


def test_a_malformed_code_answers_422_with_every_problem_and_stores_nothing(client, world, bearer):
    response = post_text(client, world, samples.MALFORMED, bearer(world.nurse))
    assert response.status_code == 422
    messages = [p["msg"] for p in response.json()["detail"]]
    assert len(messages) == 10 and messages[0] == "3行目: レコード 201 が調剤等年月日レコード（5）より前にあります。"
    assert not Dispensing.objects.exists()


def test_a_file_in_another_encoding_is_a_422_naming_it(client, world, bearer):
    upload = SimpleUploadedFile("u16.txt", samples.single().encode("utf-16"), content_type="text/plain")
    response = client.post(READ.format(world.patient.pk), {"file": [upload]}, HTTP_AUTHORIZATION=bearer(world.nurse))
    assert response.status_code == 422 and "「u16.txt」の文字コードを読めません" in response.json()["detail"][0]["msg"]


def test_json_without_text_or_parts_is_a_400(client, world, bearer):
    response = post_text(client, world, {"x": 1}, bearer(world.nurse), content_type="application/json")
    assert response.status_code == 400


def test_a_retry_with_the_same_idempotency_key_replays_the_first_answer(client, world, bearer):
    auth = bearer(world.nurse)
    first = post_text(client, world, samples.single(), auth, HTTP_IDEMPOTENCY_KEY="okusuri-1")
    again = post_text(client, world, samples.single(), auth, HTTP_IDEMPOTENCY_KEY="okusuri-1")
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.content == first.content and Dispensing.objects.count() == 1


def test_the_list_gives_current_medications_and_dispensings(client, world, bearer):
    services.import_jahis(user=world.nurse, patient=world.patient, texts=[samples.many()])
    body = client.get(LIST.format(world.patient.pk), HTTP_AUTHORIZATION=bearer(world.care_manager)).json()
    assert body["count"] == 2 and [d["institution_name"] for d in body["dispensings"]] == [
        "（架空）みどりの森在宅クリニック", "（架空）むさしの中央病院"]
    assert {m["name"] for m in body["current"]} == {
        "ドネペジル塩酸塩錠5mg", "ブロチゾラム錠0.25mg", "ヒルドイドソフト軟膏0.3%", "エルデカルシトールカプセル0.75μg"}


@pytest.mark.parametrize("readings", [1, 5])
def test_the_list_takes_a_fixed_number_of_queries(client, world, bearer, readings, django_assert_num_queries,
                                                  audit_queries):
    for i in range(readings):
        services.import_jahis(user=world.nurse, patient=world.patient, texts=[samples.single(10 + i)])
    auth = bearer(world.nurse)
    with django_assert_num_queries(6 + audit_queries):
        assert client.get(LIST.format(world.patient.pk), HTTP_AUTHORIZATION=auth).status_code == 200


def test_the_list_pages_with_limit_and_offset(client, world, bearer):
    for i in range(3):
        services.import_jahis(user=world.nurse, patient=world.patient, texts=[samples.single(10 + i)])
    body = client.get(LIST.format(world.patient.pk) + "?limit=1&offset=1",
                      HTTP_AUTHORIZATION=bearer(world.nurse)).json()
    assert body["count"] == 3 and len(body["dispensings"]) == 1


def test_a_bad_limit_is_a_400(client, world, bearer):
    response = client.get(LIST.format(world.patient.pk) + "?limit=0", HTTP_AUTHORIZATION=bearer(world.nurse))
    assert response.status_code == 400


def test_a_stranger_gets_404_on_both(client, world, bearer):
    auth = bearer(world.stranger)
    assert client.get(LIST.format(world.patient.pk), HTTP_AUTHORIZATION=auth).status_code == 404
    assert post_text(client, world, samples.single(), auth).status_code == 404
    assert not Dispensing.objects.exists()


def test_without_a_token_it_is_a_401(client, world):
    assert client.get(LIST.format(world.patient.pk)).status_code == 401


def test_a_retried_upload_with_the_same_idempotency_key_replays_the_first_answer(client, world, bearer):
    auth = bearer(world.nurse)

    def upload():
        files = [SimpleUploadedFile("qr.png", samples.qr_png(samples.single()), content_type="image/png")]
        return client.post(READ.format(world.patient.pk), {"file": files}, HTTP_AUTHORIZATION=auth,
                           HTTP_IDEMPOTENCY_KEY="photo-1")

    first, again = upload(), upload()
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Dispensing.objects.count() == 1
