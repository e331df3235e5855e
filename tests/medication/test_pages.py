"""The お薬 page of a patient (care team, second factor): current medications, the dispensings read, and
reading an お薬手帳 from photos of its QR codes, a JAHIS file or the text a phone's camera read."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renkei.core.models import AuditEvent
from renkei.medication import services
from renkei.medication.models import Dispensing, Source
from renkei.network.models import Post, PostKind
from tests.medication import samples

pytestmark = pytest.mark.django_db


def page_url(world):
    return reverse("medication:patient_medications", args=[world.patient.pk])


def read_url(world):
    return reverse("medication:read", args=[world.patient.pk])


def png(text, name="qr.png"):
    return SimpleUploadedFile(name, samples.qr_png(text), content_type="image/png")


def test_the_page_lists_current_medications_and_the_dispensings(world, login):
    services.import_jahis(user=world.nurse, patient=world.patient, texts=[samples.many()])
    html = login(world.care_manager).get(page_url(world)).content.decode()
    assert "ドネペジル塩酸塩錠5mg" in html and "エルデカルシトールカプセル0.75μg" in html
    assert "（架空）むさしの中央病院" in html and "残薬確認: 残薬なし" in html
    assert "お薬手帳を読み取る" in html


def test_the_patient_menu_links_to_the_page(world, login):
    html = login(world.nurse).get(reverse("network:profile", args=[world.patient.pk])).content.decode()
    assert f'href="{page_url(world)}"' in html


@pytest.mark.parametrize("readings", [1, 6])
def test_the_page_takes_a_fixed_number_of_queries(world, login, readings, django_assert_num_queries, audit_queries):
    for i in range(readings):
        services.import_jahis(user=world.nurse, patient=world.patient, texts=[samples.single(10 + i)])
    client = login(world.nurse)
    with django_assert_num_queries(11 + audit_queries):
        assert client.get(page_url(world)).status_code == 200


def test_a_photo_of_the_qr_code_is_read(world, login):
    response = login(world.nurse).post(read_url(world), {"uploads": [png(samples.single())]})
    assert response.status_code == 302 and response["Location"] == page_url(world)
    assert Dispensing.objects.get().source == Source.IMAGE
    assert Post.objects.filter(patient=world.patient, kind=PostKind.NOTICE).count() == 1


def test_photos_of_a_split_code_are_read_together(world, login):
    files = [png(text, f"{i}.png") for i, text in enumerate(reversed(samples.split()))]
    assert login(world.nurse).post(read_url(world), {"uploads": files}).status_code == 302
    assert Dispensing.objects.get().medications.count() == 3


def test_a_jahis_file_is_read(world, login):
    upload = SimpleUploadedFile("okusuri.csv", samples.many().encode("cp932"), content_type="text/csv")
    assert login(world.nurse).post(read_url(world), {"uploads": [upload]}).status_code == 302
    assert set(Dispensing.objects.values_list("source", flat=True)) == {Source.FILE}


def test_the_text_the_camera_read_is_read(world, login):
    response = login(world.nurse).post(read_url(world), {"text": samples.single(), "source": "camera"})
    assert response.status_code == 302 and Dispensing.objects.get().source == Source.CAMERA


def test_a_malformed_code_shows_each_problem_and_stores_nothing(world, login):
    response = login(world.nurse).post(read_url(world), {"text": samples.MALFORMED})
    html = response.content.decode()
    assert response.status_code == 422
    assert "3行目: レコード 201 が調剤等年月日レコード（5）より前にあります。" in html
    assert "9行目: レコード番号「x1」が数字ではありません。" in html
    assert not Dispensing.objects.exists() and not Post.objects.exists()


def test_a_photo_without_a_qr_code_stores_nothing_of_the_other_files(world, login):
    blank = SimpleUploadedFile("blank.png", samples.qr_png("x")[:100], content_type="image/png")
    response = login(world.nurse).post(read_url(world), {"uploads": [png(samples.single()), blank]})
    assert response.status_code == 422 and "「blank.png」は画像として読めません" in response.content.decode()
    assert not Dispensing.objects.exists()


def test_an_empty_form_asks_for_a_photo_or_text(world, login):
    response = login(world.nurse).post(read_url(world), {})
    assert response.status_code == 400
    assert "QR コードの写真かファイルを選ぶか、読み取った文字列を入力してください。" in response.content.decode()


def test_reading_the_same_code_again_says_so(world, login):
    client = login(world.nurse)
    client.post(read_url(world), {"text": samples.single()})
    response = client.post(read_url(world), {"text": samples.single()}, follow=True)
    assert "調剤1件は読み取り済みのため、二重に登録していません。" in response.content.decode()
    assert Dispensing.objects.count() == 1


def test_a_stranger_gets_404_and_nothing_is_stored(world, login):
    client = login(world.stranger)
    assert client.get(page_url(world)).status_code == 404
    assert client.post(read_url(world), {"text": samples.single()}).status_code == 404
    assert not Dispensing.objects.exists()
    assert AuditEvent.objects.filter(actor=world.stranger, action="permission.denied").count() == 2


def test_the_page_needs_the_second_factor(world, login):
    response = login(world.nurse, verified=False).get(page_url(world))
    assert response.status_code == 302 and "otp" in response["Location"]


def test_the_camera_script_is_served_from_our_static_files(world, login):
    html = login(world.nurse).get(page_url(world)).content.decode()
    assert "medication/jahis_camera" in html and 'id="jahis-camera"' in html
