"""Documents received from hospitals (issue 15 item 6): a JP-CLINS 診療情報提供書 or 退院時サマリー Bundle
posted by a liaison office or a team member is checked against the guide's rules, stored on its patient with
a timeline notice, a PDF and an audit row; anything malformed is refused with a 422 listing each problem and
nothing stored; strangers reach nothing."""
import copy
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from renkei.core.models import AuditEvent
from renkei.network.models import Post, PostKind
from renkei.sheets import clins_examples, received, services
from renkei.sheets.models import ReceivedDocument, ReceivedKind

pytestmark = pytest.mark.django_db
WRITTEN = timezone.make_aware(datetime.datetime(2026, 11, 20, 15, 30))
URL = "/api/v1/patients/{}/documents"


def referral(patient, **overrides):
    args = {"seed": "ref-1", "hospital": "（架空）テスト中央病院", "hospital_code": "1312345678",
            "physician": "紹介 太郎", "written": WRITTEN, "to": "（架空）みどりの森在宅クリニック 往診医 御中",
            "purpose": "退院後の訪問診療をお願いします。", "problems": "誤嚥性肺炎（治癒）、高血圧症",
            "course": "抗菌薬で改善。とろみ食で経口摂取可能。", "allergies": "ペニシリン系で発疹"} | overrides
    return clins_examples.referral(patient, **args)


def summary(patient):
    return clins_examples.discharge_summary(
        patient, seed="dis-1", hospital="（架空）テスト中央病院", hospital_code="1312345678", physician="病棟 医師",
        written=WRITTEN, admitted=datetime.date(2026, 11, 1), discharged=datetime.date(2026, 11, 20),
        diagnosis="誤嚥性肺炎", course="第3病日に解熱。", instructions="食事はとろみ付き。")


def post(client, patient, body, auth):
    return client.post(URL.format(patient.pk), body, content_type="application/fhir+json", HTTP_AUTHORIZATION=auth)


def test_both_examples_conform():
    from tests.network.factories import PatientFactory

    patient = PatientFactory()
    for bundle in (referral(patient), summary(patient)):
        checked, problems = received.check_bundle(bundle)
        assert problems == [] and checked is not None


def test_a_team_member_delivers_a_referral_and_the_team_sees_it(client, world, bearer, login):
    response = post(client, world.patient, referral(world.patient), bearer(world.physician))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "診療情報提供書" and body["source"] == "（架空）テスト中央病院"
    assert {"title": "構造情報：アレルギー・不耐性反応", "text": "ペニシリン系で発疹"} in body["sections"]
    document = ReceivedDocument.objects.get()
    notice = Post.objects.get(patient=world.patient, kind=PostKind.NOTICE)
    assert "（架空）テスト中央病院から診療情報提供書を受け取りました" in notice.body
    assert AuditEvent.objects.filter(object_type="sheets.receiveddocument", action="create").count() == 1
    page = login(world.nurse).get(reverse("sheets:received_detail", args=[document.pk])).content.decode()
    assert "退院後の訪問診療をお願いします。" in page and "紹介 太郎" in page
    pdf = client.get(reverse("sheets:received_pdf", args=[document.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "診療情報提供書" in text and "とろみ食で経口摂取可能" in text


def test_the_liaison_office_that_received_a_sheet_may_deliver_a_discharge_summary(client, world, bearer):
    from tests.sheets.factories import SheetFactory

    liaison = bearer(world.liaison)
    assert post(client, world.patient, summary(world.patient), liaison).status_code == 404  # no tie yet
    sheet = SheetFactory(patient=world.patient, author=world.care_manager)
    services.send(sheet=sheet, user=world.care_manager, facility=world.hospital)
    response = post(client, world.patient, summary(world.patient), liaison)
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == ReceivedKind.DISCHARGE_SUMMARY
    assert client.get(f"/api/v1/documents/{response.json()['id']}", HTTP_AUTHORIZATION=liaison).status_code == 404


def test_the_same_bundle_twice_is_stored_once(client, world, bearer):
    auth = bearer(world.physician)
    assert post(client, world.patient, referral(world.patient), auth).status_code == 201
    again = post(client, world.patient, referral(world.patient), auth)
    assert again.status_code == 200 and ReceivedDocument.objects.count() == 1
    assert Post.objects.filter(kind=PostKind.NOTICE).count() == 1


BREAKS = {
    "not a document": (lambda b: b.update(type="collection"), "Bundle.type"),
    "no identifier": (lambda b: b.pop("identifier"), "Bundle.identifier"),
    "no timestamp": (lambda b: b.pop("timestamp"), "Bundle.timestamp"),
    "wrong type code": (lambda b: b["entry"][0]["resource"]["type"]["coding"][0].update(code="18842-5"),
                        "Composition.type"),
    "wrong title": (lambda b: b["entry"][0]["resource"].update(title="紹介状"), "Composition.title"),
    "not final": (lambda b: b["entry"][0]["resource"].update(status="preliminary"), "Composition.status"),
    "no custodian": (lambda b: b["entry"][0]["resource"].pop("custodian"), "Composition.custodian"),
    "dangling subject": (lambda b: b["entry"][0]["resource"]["subject"].update(reference="urn:uuid:nowhere"),
                         "Composition.subject"),
    "no 910": (lambda b: b["entry"][0]["resource"]["section"].pop(1), "910"),
    "no patient identifier": (lambda b: b["entry"][1]["resource"].pop("identifier"), "Patient.identifier"),
}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_a_malformed_bundle_is_refused_with_its_problem_and_nothing_stored(client, world, bearer, name):
    breaking, where = BREAKS[name]
    bundle = copy.deepcopy(referral(world.patient))
    breaking(bundle)
    response = post(client, world.patient, bundle, bearer(world.physician))
    assert response.status_code == 422
    assert any(where in problem["msg"] for problem in response.json()["detail"])
    assert not ReceivedDocument.objects.exists() and not Post.objects.exists()


def test_every_problem_is_listed_at_once(world):
    bundle = referral(world.patient)
    bundle["type"] = "collection"
    bundle["entry"][0]["resource"]["title"] = "紹介状"
    _, problems = received.check_bundle(bundle)
    assert len(problems) == 2


def test_a_document_about_someone_else_is_refused(client, world, bearer):
    bundle = referral(world.other_patient)
    response = post(client, world.patient, bundle, bearer(world.physician))
    assert response.status_code == 422 and "一致しません" in response.json()["detail"][0]["msg"]
    assert not ReceivedDocument.objects.exists()


def test_not_json_and_not_fhir_are_4xx(client, world, bearer):
    auth = bearer(world.physician)
    assert post(client, world.patient, "{not json", auth).status_code == 400
    assert post(client, world.patient, {"resourceType": "Patient"}, auth).status_code == 422


def test_strangers_reach_nothing(client, world, bearer, login):
    doc, _ = received.receive(user=world.physician, patient=world.patient, data=referral(world.patient))
    outsider = bearer(world.stranger)
    assert post(client, world.patient, referral(world.patient, seed="x"), outsider).status_code == 404
    assert client.get(f"/api/v1/documents/{doc.pk}", HTTP_AUTHORIZATION=outsider).status_code == 404
    page = login(world.stranger)
    for name, args in (("sheets:received_detail", [doc.pk]), ("sheets:received_pdf", [doc.pk]),
                       ("sheets:received_list", [world.patient.pk])):
        assert page.get(reverse(name, args=args)).status_code == 404


def test_narrative_markup_is_shown_as_text_only(client, world, bearer, login):
    bundle = referral(world.patient, purpose='<script>alert(1)</script>訪問診療の依頼&amp;相談')
    post(client, world.patient, bundle, bearer(world.physician))
    document = ReceivedDocument.objects.get()
    page = login(world.nurse).get(reverse("sheets:received_detail", args=[document.pk])).content.decode()
    assert "<script>alert(1)" not in page and "訪問診療の依頼&amp;相談" in page
