"""Each program run end to end by staff through the pages, as the issue's "done when" asks."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renkei.core.models import FacilityKind
from renkei.programs.models import (
    EndingNoteDistribution,
    EndOfLifeConsultation,
    GrantStatus,
    LinkageFeeClaim,
    RescueHelperApplication,
    RescueHelperProviderPayment,
    RestartGrantApplication,
)
from tests.factories import FacilityFactory
from tests.programs.factories import city_field

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def _done(response):
    """A step posted: it redirects (a form re-rendered with its errors answers 200)."""
    assert response.status_code == 302, response.status_code
    return response


def _shown(response):
    assert response.status_code == 200, response.status_code
    return response


def test_staff_runs_the_rescue_helper_end_to_end(staff_client):
    provider = FacilityFactory(kind=FacilityKind.HOME_HELP)
    _done(staff_client.post(reverse("programs:rescue_new"), city_field() | {
        "received_on": "2025-06-02", "applicant_kind": "family", "person_name": "架空 一郎", "birth_date": "1939-09-09",
        "household": "elderly_only", "cause": "own_sudden_illness", "hours_per_week": "3.5", "days": "10"}))
    pk = RescueHelperApplication.objects.get().pk
    _done(staff_client.post(reverse("programs:rescue_decide", args=[pk]), {"approve": "1", "reason": "要件を確認"}))
    _done(staff_client.post(reverse("programs:rescue_dispatch", args=[pk]), {"provider": provider.pk, "first_day": "2025-06-02"}))
    for day in ("2025-06-02", "2025-06-04"):
        _done(staff_client.post(reverse("programs:rescue_visit", args=[pk]), {"visited_on": day, "minutes": "60"}))
    bill = _shown(staff_client.get(reverse("programs:rescue_bill", args=[pk]), {"month": "2025-06"}))
    _done(staff_client.post(reverse("programs:rescue_payment"),
                    city_field() | {"provider": provider.pk, "month": "2025-06", "unit_price_yen": "1000"}))
    assert bill.context["total"] == 1000 and RescueHelperProviderPayment.objects.get().amount_yen == 4000


def test_staff_runs_the_restart_grant_end_to_end(staff_client):
    _done(staff_client.post(reverse("programs:restart_new"), city_field() | {
        "received_on": "2020-08-20", "applicant_name": "架空 再子", "birth_date": "1985-01-01", "employer_name": "法人",
        "facility_name": "ホーム", "facility_type": "訪問看護", "facility_in_city": "on", "hired_on": "2020-04-07",
        "full_time": "on", "direct_employment": "on", "expected_months": "6", "last_care_job_left_on": "2020-01-07",
        "qualifications": ["准看護師"]}))
    pk = RestartGrantApplication.objects.get().pk
    for kind in ("employment", "qualification", "continued"):
        _done(staff_client.post(reverse("programs:restart_upload", args=[pk]),
                        {"kind": kind, "file": SimpleUploadedFile(f"{kind}.pdf", PDF)}))
    _done(staff_client.post(reverse("programs:restart_assess", args=[pk]), {"reason": ""}))
    _done(staff_client.post(reverse("programs:restart_confirm", args=[pk]), {"on": "2020-10-07", "reason": "在職証明"}))
    _done(staff_client.post(reverse("programs:restart_pay", args=[pk]), {"on": "2020-10-30", "reason": "振込"}))
    application = RestartGrantApplication.objects.get()
    assert (application.status, application.amount_yen) == (GrantStatus.PAID, 150_000)


def test_staff_runs_the_linkage_fee_end_to_end(staff_client):
    station = FacilityFactory(kind=FacilityKind.VISITING_NURSING, official_id="1300000001")
    _done(staff_client.post(reverse("programs:linkage_claim_new"), city_field() | {"station": station.pk, "month": "2025-04"}))
    pk = LinkageFeeClaim.objects.get().pk
    for ref, day, extra in [("A", "2025-04-01", {"twenty_four_hour": "on"}), ("A", "2025-04-30", {}),
                            ("B", "2025-04-15", {}), ("C", "2025-04-15", {"unified_form": ""})]:
        body = {"patient_ref": ref, "provided_on": day, "unified_form": "on"} | extra
        _done(staff_client.post(reverse("programs:linkage_provision_add", args=[pk]), {k: v for k, v in body.items() if v}))
    _done(staff_client.post(reverse("programs:linkage_approve", args=[pk]), {"reason": "確認"}))
    csv_text = _shown(staff_client.get(reverse("programs:linkage_payment_csv"), {"month": "2025-04"})).content.decode("utf-8-sig")
    totals = _shown(staff_client.get(reverse("programs:linkage_totals"), {"fy": "2025"}))
    assert csv_text.splitlines()[1].endswith("1300000001," + station.name + ",2,1,3000")
    assert totals.context["total"]["total_yen"] == 3000


def test_staff_runs_end_of_life_support_end_to_end(staff_client):
    url = reverse("programs:end_of_life")
    _done(staff_client.post(url, city_field() | {"kind": "consultation", "received_on": "2025-05-01", "topics": ["will", "medical_wishes"],
                          "summary": "遺言と延命治療の希望", "referred_to_welfare_corporation": "on"}))
    _done(staff_client.post(url, city_field() | {"kind": "distribution", "distributed_on": "2025-05-01", "place": "community_support_center",
                          "count": "12"}))
    page = _shown(staff_client.get(url, {"fy": "2025"}))
    pdf = _shown(staff_client.get(reverse("programs:ending_note")))
    assert EndOfLifeConsultation.objects.count() == EndingNoteDistribution.objects.count() == 1
    assert page.context["by_place"][0]["total"] == 12 and pdf.content.startswith(b"%PDF")
