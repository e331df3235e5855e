"""The restart grant as staff run it: applied → assessed → six-month confirmation → paid, or rejected."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renkei.programs import services
from renkei.programs.models import GrantStatus, RestartGrantApplication, RestartGrantDocument
from tests.factories import UserFactory
from tests.programs.factories import RestartApplicationFactory, city_field

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


APPLICATION = {
    "received_on": "2020-08-20", "applicant_name": "架空 再子", "applicant_kana": "", "birth_date": "1985-01-01",
    "address": "", "employer_name": "（架空）社会福祉法人", "facility_name": "（架空）ホーム", "facility_type": "介護老人福祉施設",
    "facility_in_city": "on", "hired_on": "2020-05-01", "full_time": "on", "direct_employment": "on",
    "expected_months": "12", "last_care_job_left_on": "", "qualifications": ["初任者研修修了者"],
}


def _upload(client, application, kind, content=PDF, name="doc.pdf"):
    return client.post(reverse("programs:restart_upload", args=[application.pk]),
                       {"kind": kind, "file": SimpleUploadedFile(name, content)}, follow=True)


def test_staff_registers_an_application(staff_client):
    staff_client.post(reverse("programs:restart_new"), city_field() | APPLICATION)
    assert RestartGrantApplication.objects.get().qualifications == ["初任者研修修了者"]


def test_hire_before_birth_is_refused(staff_client):
    r = staff_client.post(reverse("programs:restart_new"), city_field() | APPLICATION | {"birth_date": "2021-01-01"})
    assert "生年月日より前" in r.content.decode() and not RestartGrantApplication.objects.exists()


def test_unknown_facility_type_is_refused(staff_client):
    r = staff_client.post(reverse("programs:restart_new"), city_field() | APPLICATION | {"facility_type": "病院"})
    assert r.status_code == 200 and not RestartGrantApplication.objects.exists()


def test_months_since_last_care_job_come_from_the_leaving_date(staff_client):
    staff_client.post(reverse("programs:restart_new"), city_field() | APPLICATION | {"last_care_job_left_on": "2020-01-31"})
    assert RestartGrantApplication.objects.get().months_since_last_care_job == 3


def test_a_pdf_is_stored_under_private_media(staff_client, settings):
    application = RestartApplicationFactory()
    _upload(staff_client, application, "employment")
    document = RestartGrantDocument.objects.get()
    assert document.content_type == "application/pdf"
    assert str(settings.PRIVATE_MEDIA_ROOT) in document.file.path


def test_a_file_whose_content_is_not_pdf_or_image_is_refused(staff_client):
    application = RestartApplicationFactory()
    r = _upload(staff_client, application, "employment", content=b"MZ\x90\x00 not a pdf", name="evil.pdf")
    assert not RestartGrantDocument.objects.exists() and "PDF・JPEG・PNG" in r.content.decode()


def test_a_png_is_accepted(staff_client):
    _upload(staff_client, RestartApplicationFactory(), "qualification", content=PNG, name="card.png")
    assert RestartGrantDocument.objects.get().content_type == "image/png"


def test_staff_downloads_a_document(staff_client):
    application = RestartApplicationFactory()
    _upload(staff_client, application, "employment")
    document = RestartGrantDocument.objects.get()
    r = staff_client.get(reverse("programs:restart_document", args=[application.pk, document.pk]))
    assert b"".join(r.streaming_content) == PDF


def test_non_staff_cannot_download_a_document(staff_client, login):
    application = RestartApplicationFactory()
    _upload(staff_client, application, "employment")
    document = RestartGrantDocument.objects.get()
    login(UserFactory())
    assert staff_client.get(reverse("programs:restart_document", args=[application.pk, document.pk])).status_code == 403


def test_document_of_another_application_is_404(staff_client):
    application = RestartApplicationFactory()
    _upload(staff_client, application, "employment")
    other = RestartApplicationFactory()
    document = RestartGrantDocument.objects.get()
    assert staff_client.get(reverse("programs:restart_document", args=[other.pk, document.pk])).status_code == 404


def _assess(client, application):
    return client.post(reverse("programs:restart_assess", args=[application.pk]), {"reason": ""}, follow=True)


def test_assessment_needs_the_documents(staff_client):
    application = RestartApplicationFactory()
    r = _assess(staff_client, application)
    assert "雇用（在職）証明書が添付されていません" in r.content.decode()
    assert RestartGrantApplication.objects.get().status == GrantStatus.APPLIED


def test_an_eligible_application_is_assessed_with_the_amount(staff_client):
    application = RestartApplicationFactory()
    _upload(staff_client, application, "employment")
    _upload(staff_client, application, "qualification")
    _assess(staff_client, application)
    application.refresh_from_db()
    assert (application.status, application.amount_yen) == (GrantStatus.ASSESSED, 150_000)


def test_an_ineligible_application_is_rejected_with_the_reason(staff_client):
    application = RestartApplicationFactory(hired_on=dt.date(2020, 4, 6))
    _upload(staff_client, application, "employment")
    _upload(staff_client, application, "qualification")
    _assess(staff_client, application)
    application.refresh_from_db()
    assert application.status == GrantStatus.REJECTED
    assert "2020年4月7日より前" in application.decisions.get().reason


def _assessed(client):
    application = RestartApplicationFactory(qualifications=[])
    _upload(client, application, "employment")
    _assess(client, application)
    application.refresh_from_db()
    return application


def test_six_months_cannot_be_confirmed_early(staff_client):
    application = _assessed(staff_client)
    _upload(staff_client, application, "continued")
    r = staff_client.post(reverse("programs:restart_confirm", args=[application.pk]),
                    {"on": "2020-10-31", "reason": "在職証明"}, follow=True)
    assert "6か月" in r.content.decode()
    assert RestartGrantApplication.objects.get().status == GrantStatus.ASSESSED


def test_six_months_need_the_certificate(staff_client):
    application = _assessed(staff_client)
    r = staff_client.post(reverse("programs:restart_confirm", args=[application.pk]),
                    {"on": "2020-11-01", "reason": "在職証明"}, follow=True)
    assert "継続勤務の証明書が添付されていません" in r.content.decode()


def test_the_whole_flow_ends_paid(staff_client):
    application = _assessed(staff_client)
    _upload(staff_client, application, "continued")
    staff_client.post(reverse("programs:restart_confirm", args=[application.pk]), {"on": "2020-11-01", "reason": "在職証明"})
    staff_client.post(reverse("programs:restart_pay", args=[application.pk]), {"on": "2020-11-20", "reason": "口座振込"})
    application.refresh_from_db()
    assert (application.status, application.amount_yen) == (GrantStatus.PAID, 50_000)
    assert list(application.decisions.values_list("outcome", flat=True)) == ["assessed", "confirmed", "paid"]


def test_payment_before_confirmation_is_refused(staff_client):
    application = _assessed(staff_client)
    r = staff_client.post(reverse("programs:restart_pay", args=[application.pk]), {"on": "2020-11-20", "reason": "x"},
                    follow=True)
    assert "確認した申請だけ" in r.content.decode()


def test_rejection_keeps_the_earlier_decisions(staff_client):
    application = _assessed(staff_client)
    staff_client.post(reverse("programs:restart_reject", args=[application.pk]), {"reason": "4か月で退職"})
    application.refresh_from_db()
    assert application.status == GrantStatus.REJECTED and application.amount_yen == 0
    assert list(application.decisions.values_list("outcome", flat=True)) == ["assessed", "rejected"]


def test_detail_shows_every_criterion(staff_client):
    application = RestartApplicationFactory(full_time=False)
    body = staff_client.get(reverse("programs:restart_detail", args=[application.pk])).content.decode()
    assert "常勤職員ではないため対象外" in body and "運営法人に直接雇用されています" in body


def test_add_months_clips_to_the_month_end():
    assert services.add_months(dt.date(2020, 8, 31), 6) == dt.date(2021, 2, 28)


def test_list_page_uses_a_fixed_number_of_queries(staff_client, django_assert_num_queries):
    RestartApplicationFactory.create_batch(2)
    url = reverse("programs:restart_list")
    with django_assert_num_queries(9) as ctx:  # + the user's cities
        staff_client.get(url)
    RestartApplicationFactory.create_batch(18)
    with django_assert_num_queries(len(ctx.captured_queries)):
        staff_client.get(url)


def test_non_staff_is_refused(client, login):
    login(UserFactory())
    assert client.get(reverse("programs:restart_detail", args=[RestartApplicationFactory().pk])).status_code == 403


def test_correcting_an_assessed_application_sends_it_back_to_assessment(staff_client):
    application = _assessed(staff_client)
    staff_client.post(reverse("programs:restart_edit", args=[application.pk]), APPLICATION)
    application.refresh_from_db()
    assert (application.status, application.amount_yen) == (GrantStatus.APPLIED, 0)
    assert application.decisions.count() == 1  # the earlier assessment stays in the history


def test_a_paid_application_cannot_be_corrected(staff_client):
    application = RestartApplicationFactory(status=GrantStatus.PAID)
    r = staff_client.post(reverse("programs:restart_edit", args=[application.pk]), APPLICATION)
    assert "修正できません" in r.content.decode()


def test_a_document_whose_file_is_gone_is_404(staff_client):
    application = RestartApplicationFactory()
    _upload(staff_client, application, "employment")
    document = RestartGrantDocument.objects.get()
    document.file.storage.delete(document.file.name)
    assert staff_client.get(reverse("programs:restart_document", args=[application.pk, document.pk])).status_code == 404
