"""The linkage fee as staff run it: claims per station and month, review, approval, payment list, totals."""
import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from renkei.core.models import FacilityKind
from renkei.programs import services
from renkei.programs.models import ClaimStatus, LinkageFeeClaim, LinkageFeeProvision
from tests.factories import FacilityFactory, UserFactory
from tests.programs.factories import ClaimFactory, ProvisionFactory, city_field

pytestmark = pytest.mark.django_db


def test_staff_opens_a_claim_for_a_station_and_month(staff_client):
    station = FacilityFactory(kind=FacilityKind.VISITING_NURSING)
    r = staff_client.post(reverse("programs:linkage_claim_new"), city_field() | {"station": station.pk, "month": "2025-04"})
    claim = LinkageFeeClaim.objects.get()
    assert r.url == reverse("programs:linkage_claim", args=[claim.pk]) and claim.month == dt.date(2025, 4, 1)


def test_opening_the_same_claim_twice_gives_the_same_claim(staff_client):
    station = FacilityFactory(kind=FacilityKind.VISITING_NURSING)
    for _ in range(2):
        staff_client.post(reverse("programs:linkage_claim_new"), city_field() | {"station": station.pk, "month": "2025-04"})
    assert LinkageFeeClaim.objects.count() == 1


def _add(client, claim, **kw):
    body = {"patient_ref": "A-001", "provided_on": "2025-04-03", "unified_form": "on"} | kw
    return client.post(reverse("programs:linkage_provision_add", args=[claim.pk]), body, follow=True)


def test_staff_enters_a_provision_by_hand(staff_client):
    claim = ClaimFactory()
    _add(staff_client, claim, twenty_four_hour="on")
    assert LinkageFeeProvision.objects.get().twenty_four_hour is True


def test_a_provision_outside_the_month_is_refused(staff_client):
    claim = ClaimFactory()
    r = _add(staff_client, claim, provided_on="2025-05-01")
    assert not LinkageFeeProvision.objects.exists() and "2025年04月の日付" in r.content.decode()


def test_the_claim_page_shows_each_patient_amount_and_reason(staff_client):
    claim = ClaimFactory()
    ProvisionFactory(claim=claim, patient_ref="A", twenty_four_hour=True)
    ProvisionFactory(claim=claim, patient_ref="B", unified_form=False)
    body = staff_client.get(reverse("programs:linkage_claim", args=[claim.pk])).content.decode()
    assert "2,000円" in body and "統一様式による情報提供がないため" in body


def test_approval_fixes_the_total_from_the_rule(staff_client):
    claim = ClaimFactory()
    ProvisionFactory(claim=claim, patient_ref="A", twenty_four_hour=True)
    ProvisionFactory(claim=claim, patient_ref="A", provided_on=dt.date(2025, 4, 20))
    ProvisionFactory(claim=claim, patient_ref="B")
    staff_client.post(reverse("programs:linkage_approve", args=[claim.pk]), {"reason": "内容確認"})
    claim.refresh_from_db()
    assert (claim.status, claim.total_yen, claim.patients) == (ClaimStatus.APPROVED, 3000, 2)


def test_a_month_with_no_provisions_cannot_be_approved(staff_client):
    claim = ClaimFactory()
    r = staff_client.post(reverse("programs:linkage_approve", args=[claim.pk]), {"reason": "確認"}, follow=True)
    assert "1件もありません" in r.content.decode()
    assert LinkageFeeClaim.objects.get().status == ClaimStatus.DRAFT


def test_an_approved_claim_cannot_be_changed(staff_client):
    claim = ClaimFactory(status=ClaimStatus.APPROVED)
    _add(staff_client, claim)
    assert not LinkageFeeProvision.objects.exists()


def test_returning_an_approved_claim_keeps_the_approval_in_history(staff_client):
    claim = ClaimFactory()
    ProvisionFactory(claim=claim)
    staff_client.post(reverse("programs:linkage_approve", args=[claim.pk]), {"reason": "確認"})
    staff_client.post(reverse("programs:linkage_return", args=[claim.pk]), {"reason": "提供日の誤り"})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED and claim.total_yen == 0
    assert list(claim.decisions.values_list("outcome", flat=True)) == ["approved", "rejected"]


def _csv_rows(response):
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_payment_list_has_one_row_per_approved_station(staff_client):
    approved = ClaimFactory(status=ClaimStatus.APPROVED, total_yen=3000, patients=2)
    approved.station.official_id = "1361290001"
    approved.station.save()
    ProvisionFactory(claim=approved, twenty_four_hour=True)
    ClaimFactory(total_yen=9999)  # a draft is not paid
    rows = _csv_rows(staff_client.get(reverse("programs:linkage_payment_csv"), {"month": "2025-04"}))
    assert rows[0] == ["対象月", "事業所番号", "訪問看護ステーション", "支給対象者数", "うち24時間体制", "支給額（円）"]
    assert rows[1] == ["2025-04", "1361290001", approved.station.name, "2", "1", "3000"] and len(rows) == 2


def test_station_statement_lists_each_patient(staff_client):
    claim = ClaimFactory()
    ProvisionFactory(claim=claim, patient_ref="A")
    ProvisionFactory(claim=claim, patient_ref="B", unified_form=False)
    staff_client.post(reverse("programs:linkage_approve", args=[claim.pk]), {"reason": "確認"})
    rows = _csv_rows(staff_client.get(reverse("programs:linkage_claim_csv", args=[claim.pk])))
    assert [r[3] for r in rows[1:]] == ["A", "B"] and [r[7] for r in rows[1:]] == ["1000", "0"]


def test_statement_of_a_draft_claim_is_refused(staff_client):
    claim = ClaimFactory()
    assert staff_client.get(reverse("programs:linkage_claim_csv", args=[claim.pk])).status_code == 302


def test_fiscal_year_totals_count_approved_claims_by_month(staff_client):
    ClaimFactory(status=ClaimStatus.APPROVED, total_yen=3000, patients=2, month=dt.date(2025, 4, 1))
    ClaimFactory(status=ClaimStatus.APPROVED, total_yen=1000, patients=1, month=dt.date(2026, 3, 1))
    ClaimFactory(status=ClaimStatus.APPROVED, total_yen=5000, patients=5, month=dt.date(2026, 4, 1))  # next FY
    r = staff_client.get(reverse("programs:linkage_totals"), {"fy": "2025"})
    assert r.context["total"] == {"claims": 2, "patients": 3, "total_yen": 4000}
    assert "4,000円" in r.content.decode()


def test_sheets_interface_builds_draft_claims_without_duplicates():
    station = FacilityFactory(kind=FacilityKind.VISITING_NURSING)
    p = services.SheetProvision(station.pk, "patient-7", dt.date(2025, 4, 3), True, True, source_ref="sheet-1")
    first = services.add_provisions_from_sheets([p])
    again = services.add_provisions_from_sheets([p])
    assert (first.added, again.added, again.updated) == (1, 0, 1) and LinkageFeeProvision.objects.count() == 1


def test_sheets_interface_skips_approved_claims():
    claim = ClaimFactory(status=ClaimStatus.APPROVED)
    p = services.SheetProvision(claim.station_id, "x", dt.date(2025, 4, 3), True, False, source_ref="s")
    assert services.add_provisions_from_sheets([p]).skipped_approved == 1


def test_sheets_interface_refuses_a_station_of_another_kind():
    other = FacilityFactory(kind=FacilityKind.PHARMACY)
    p = services.SheetProvision(other.pk, "x", dt.date(2025, 4, 3), True, False, source_ref="s")
    with pytest.raises(services.ProgramError):
        services.add_provisions_from_sheets([p])


@pytest.mark.parametrize("rows", [2, 20])
def test_list_page_uses_a_fixed_number_of_queries(staff_client, django_assert_num_queries, rows):
    ClaimFactory.create_batch(rows)
    with django_assert_num_queries(11):  # + the user's cities, + the claim form's city field
        staff_client.get(reverse("programs:linkage_list") + "?month=2025-04")


def test_claim_page_uses_a_fixed_number_of_queries(staff_client, django_assert_num_queries, django_assert_max_num_queries):
    claim = ClaimFactory()
    ProvisionFactory.create_batch(2, claim=claim)
    url = reverse("programs:linkage_claim", args=[claim.pk])
    with django_assert_max_num_queries(14) as ctx:
        staff_client.get(url)
    ProvisionFactory.create_batch(18, claim=claim)
    with django_assert_num_queries(len(ctx.captured_queries)):
        staff_client.get(url)


@pytest.mark.parametrize("name", ["linkage_payment_csv", "rescue_bills_csv", "rescue_payments_csv"])
def test_non_staff_cannot_export_a_monthly_list(client, login, name):
    login(UserFactory())
    assert client.get(reverse(f"programs:{name}"), {"month": "2025-04"}).status_code == 403


def test_statement_neutralises_formula_like_text(staff_client):
    claim = ClaimFactory()
    ProvisionFactory(claim=claim, patient_ref="=HYPERLINK(1)")
    staff_client.post(reverse("programs:linkage_approve", args=[claim.pk]), {"reason": "確認"})
    rows = _csv_rows(staff_client.get(reverse("programs:linkage_claim_csv", args=[claim.pk])))
    assert rows[1][3] == "'=HYPERLINK(1)"
