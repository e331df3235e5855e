"""The rescue-helper program as staff run it: application → assessment → decision → dispatch → visits → billing."""
import datetime as dt

import pytest
from django.urls import reverse

from renkei.core.models import AuditEvent, FacilityKind
from renkei.programs.models import (
    RescueHelperApplication,
    RescueHelperProviderPayment,
    RescueHelperVisit,
    RescueStatus,
)
from tests.factories import FacilityFactory, UserFactory
from tests.programs.factories import (
    DispatchFactory,
    RescueApplicationFactory,
    StaffFactory,
    VisitFactory,
    city_field,
)

pytestmark = pytest.mark.django_db


APPLICATION = {
    "received_on": "2025-06-02", "applicant_kind": "care_manager", "applicant_name": "（架空）ケアマネ",
    "person_name": "架空 花子", "person_kana": "カクウ ハナコ", "birth_date": "1940-04-01", "address": "武蔵野市（架空）",
    "phone": "", "household": "alone", "household_note": "", "cause": "own_injury", "hours_per_week": "4",
    "days": "14",
}


def test_staff_registers_an_application(staff_client):
    r = staff_client.post(reverse("programs:rescue_new"), city_field() | APPLICATION)
    application = RescueHelperApplication.objects.get()
    assert r.url == reverse("programs:rescue_detail", args=[application.pk])


def test_negative_hours_are_refused_on_the_form(staff_client):
    r = staff_client.post(reverse("programs:rescue_new"), city_field() | APPLICATION | {"hours_per_week": "-1"})
    assert r.status_code == 200 and "0以上" in r.content.decode() and not RescueHelperApplication.objects.exists()


def test_birth_after_receipt_is_refused(staff_client):
    r = staff_client.post(reverse("programs:rescue_new"), city_field() | APPLICATION | {"birth_date": "2026-01-01"})
    assert "生年月日が受付日より後" in r.content.decode()


def test_detail_shows_the_reason_for_every_criterion(staff_client):
    application = RescueApplicationFactory(ltc_certified=True)
    body = staff_client.get(reverse("programs:rescue_detail", args=[application.pk])).content.decode()
    assert "85歳で、おおむね65歳以上" in body and "要介護・要支援の認定を受けているため対象外" in body


def test_detail_read_is_audited(staff_client):
    application = RescueApplicationFactory()
    staff_client.get(reverse("programs:rescue_detail", args=[application.pk]))
    assert AuditEvent.objects.filter(action="read", object_id=str(application.pk)).exists()


def _decide(client, application, approve="1", **extra):
    return client.post(reverse("programs:rescue_decide", args=[application.pk]),
                       {"approve": approve, "reason": "要件を確認"} | extra)


def test_staff_approves_an_eligible_application(staff_client, staff):
    application = RescueApplicationFactory()
    _decide(staff_client, application)
    application.refresh_from_db()
    assert application.status == RescueStatus.APPROVED and application.decisions.get().decided_by == staff


def test_an_ineligible_application_cannot_be_approved(staff_client):
    application = RescueApplicationFactory(cause="other")
    r = _decide(staff_client, application)
    application.refresh_from_db()
    assert application.status == RescueStatus.RECEIVED
    assert "利用決定できません" in staff_client.get(r.url).content.decode()


def test_under_65_is_approved_only_with_a_recorded_reason(staff_client):
    application = RescueApplicationFactory(birth_date=dt.date(1970, 1, 1))
    _decide(staff_client, application)
    assert RescueHelperApplication.objects.get().status == RescueStatus.RECEIVED
    _decide(staff_client, application, age_override_reason="障害があり介護保険の対象外")
    application.refresh_from_db()
    assert application.status == RescueStatus.APPROVED and application.age_override_reason


def test_household_with_member_who_cannot_help_needs_staff_decision(staff_client):
    application = RescueApplicationFactory(household="with_under_65")
    body = staff_client.get(reverse("programs:rescue_detail", args=[application.pk])).content.decode()
    assert "市職員の判断が必要" in body
    _decide(staff_client, application, household_override_reason="同居の子に重い障害")
    assert RescueHelperApplication.objects.get().status == RescueStatus.APPROVED


def test_a_changed_decision_keeps_the_earlier_one(staff_client):
    application = RescueApplicationFactory()
    _decide(staff_client, application)
    _decide(staff_client, application, approve="0", reason="本人が辞退")
    outcomes = list(application.decisions.values_list("outcome", flat=True))
    assert outcomes == ["approved", "rejected"]
    body = staff_client.get(reverse("programs:rescue_detail", args=[application.pk])).content.decode()
    assert "変更前" in body and "本人が辞退" in body


def test_a_decision_without_reason_is_refused(staff_client):
    application = RescueApplicationFactory()
    _decide(staff_client, application, reason="")
    assert not application.decisions.exists()


def test_staff_dispatches_a_home_help_provider(staff_client):
    application = RescueApplicationFactory(status=RescueStatus.APPROVED)
    provider = FacilityFactory(kind=FacilityKind.HOME_HELP)
    staff_client.post(reverse("programs:rescue_dispatch", args=[application.pk]),
                {"provider": provider.pk, "first_day": "2025-06-02"})
    application.refresh_from_db()
    assert application.dispatch.provider == provider


def test_dispatch_to_another_kind_of_facility_is_refused(staff_client):
    application = RescueApplicationFactory(status=RescueStatus.APPROVED)
    nursing = FacilityFactory(kind=FacilityKind.VISITING_NURSING)
    staff_client.post(reverse("programs:rescue_dispatch", args=[application.pk]),
                {"provider": nursing.pk, "first_day": "2025-06-02"})
    assert not hasattr(RescueHelperApplication.objects.get(), "dispatch")


def test_dispatch_before_approval_is_refused(staff_client):
    application = RescueApplicationFactory()
    provider = FacilityFactory(kind=FacilityKind.HOME_HELP)
    r = staff_client.post(reverse("programs:rescue_dispatch", args=[application.pk]),
                    {"provider": provider.pk, "first_day": "2025-06-02"}, follow=True)
    assert "利用決定された申請にのみ" in r.content.decode()


def _visit(client, dispatch, day, minutes):
    return client.post(reverse("programs:rescue_visit", args=[dispatch.application.pk]),
                       {"visited_on": day, "minutes": minutes, "note": "家事援助"}, follow=True)


@pytest.mark.parametrize("day, minutes, earlier, recorded, reason", [
    ("2025-06-03", 45, 0, {"fee_yen": 500}, ""),
    ("２０２５－０６－０３", "４５", 0, {"minutes": 45}, ""),  # typed in full-width digits
    ("2099-06-03", 45, 0, None, "訪問日に未来の日付は入力できません。"),  # the one date rule
    ("2025-06-08", 41, 200, None, "4時間（240分）を超えます"),  # the weekly limit, broken by a minute
    ("2025-06-08", 40, 200, {"minutes": 40}, ""),  # exactly at four hours
    ("2025-06-16", 30, 0, None, "15日目"),
    ("2025-06-15", 30, 0, {"minutes": 30}, ""),  # day 14
])
def test_a_visit_is_recorded_within_the_limits_or_refused_with_the_reason(
        staff_client, day, minutes, earlier, recorded, reason):
    dispatch = DispatchFactory()
    if earlier:
        VisitFactory(dispatch=dispatch, minutes=earlier, units=7, fee_yen=1750)
    r = _visit(staff_client, dispatch, day, minutes)
    new = RescueHelperVisit.objects.exclude(minutes=earlier) if earlier else RescueHelperVisit.objects.all()
    if recorded is None:
        assert not new.exists() and reason in r.content.decode()
    else:
        assert new.filter(**recorded).count() == 1


def test_billing_shows_the_users_monthly_bill(staff_client):
    VisitFactory(fee_yen=500)
    r = staff_client.get(reverse("programs:rescue_billing"), {"month": "2025-06"})
    assert "500円" in r.content.decode()


def test_bills_csv_has_a_bom(staff_client):
    VisitFactory()
    r = staff_client.get(reverse("programs:rescue_bills_csv"), {"month": "2025-06"})
    assert r.content.startswith("\ufeff".encode()) and "利用料" in r.content.decode("utf-8-sig")


def test_staff_fixes_a_provider_payment(staff_client):
    visit = VisitFactory(units=3)
    staff_client.post(reverse("programs:rescue_payment"),
                city_field() | {"provider": visit.dispatch.provider.pk, "month": "2025-06", "unit_price_yen": "1200"})
    assert RescueHelperProviderPayment.objects.get().amount_yen == 3600


def test_a_payment_for_a_month_without_visits_is_refused(staff_client):
    visit = VisitFactory()
    staff_client.post(reverse("programs:rescue_payment"),
                city_field() | {"provider": visit.dispatch.provider.pk, "month": "2025-07", "unit_price_yen": "1200"})
    assert not RescueHelperProviderPayment.objects.exists()


def test_list_page_uses_a_fixed_number_of_queries(staff_client, django_assert_num_queries):
    RescueApplicationFactory.create_batch(2)
    url = reverse("programs:rescue_list")
    staff_client.get(url)
    with django_assert_num_queries(9) as ctx:  # + the user's cities
        staff_client.get(url)
    RescueApplicationFactory.create_batch(18)
    with django_assert_num_queries(len(ctx.captured_queries)):
        staff_client.get(url)


@pytest.mark.parametrize("rows", [1, 20])
def test_billing_page_uses_a_fixed_number_of_queries(staff_client, django_assert_num_queries, rows):
    VisitFactory.create_batch(rows)
    with django_assert_num_queries(12):  # + the user's cities, + the payment form's city field
        staff_client.get(reverse("programs:rescue_billing") + "?month=2025-06")


@pytest.mark.parametrize("name", ["programs:index", "programs:rescue_list", "programs:rescue_new",
                                  "programs:rescue_billing"])
def test_non_staff_is_refused(client, login, name):
    login(UserFactory())
    assert client.get(reverse(name)).status_code == 403


def test_detail_of_non_staff_is_refused(client, login):
    login(UserFactory())
    assert client.get(reverse("programs:rescue_detail", args=[RescueApplicationFactory().pk])).status_code == 403


def test_staff_without_second_factor_is_sent_to_verify(client, login):
    login(StaffFactory(), verified=False)
    r = client.get(reverse("programs:rescue_list"))
    assert r.status_code == 302 and "otp" in r.url


def test_missing_application_is_404(staff_client):
    assert staff_client.get(reverse("programs:rescue_detail", args=[999999])).status_code == 404


def test_no_visit_is_recorded_once_the_approval_is_withdrawn(staff_client):
    dispatch = DispatchFactory()
    _decide(staff_client, dispatch.application, approve="0", reason="入院のため中止")
    r = _visit(staff_client, dispatch, "2025-06-03", 30)
    assert not RescueHelperVisit.objects.exists() and "取り消された" in r.content.decode()


def test_staff_corrects_an_application_before_dispatch(staff_client):
    application = RescueApplicationFactory()
    staff_client.post(reverse("programs:rescue_edit", args=[application.pk]), APPLICATION | {"cause": "carer_infected"})
    application.refresh_from_db()
    assert application.cause == "carer_infected"


def test_an_application_cannot_be_corrected_after_dispatch(staff_client):
    dispatch = DispatchFactory()
    r = staff_client.post(reverse("programs:rescue_edit", args=[dispatch.application.pk]), APPLICATION | {"cause": "other"})
    dispatch.application.refresh_from_db()
    assert dispatch.application.cause == "own_sudden_illness" and "派遣後の申請は修正できません" in r.content.decode()


def test_provider_payment_list_is_a_csv_with_bom(staff_client):
    visit = VisitFactory(units=3)
    staff_client.post(reverse("programs:rescue_payment"),
                city_field() | {"provider": visit.dispatch.provider.pk, "month": "2025-06", "unit_price_yen": "1200"})
    r = staff_client.get(reverse("programs:rescue_payments_csv"), {"month": "2025-06"})
    lines = r.content.decode("utf-8-sig").splitlines()
    assert r.content.startswith(b"\xef\xbb\xbf") and lines[1].endswith(",3,1200,3600")


def test_a_users_bill_lists_the_months_visits_and_total(staff_client):
    visit = VisitFactory(minutes=45, units=2, fee_yen=500)
    VisitFactory(dispatch=visit.dispatch, visited_on=dt.date(2025, 6, 5), minutes=30, units=1, fee_yen=250)
    r = staff_client.get(reverse("programs:rescue_bill", args=[visit.dispatch.application.pk]), {"month": "2025-06"})
    assert r.context["total"] == 750 and "750円" in r.content.decode()


def test_a_users_bill_leaves_out_other_months(staff_client):
    visit = VisitFactory()
    r = staff_client.get(reverse("programs:rescue_bill", args=[visit.dispatch.application.pk]), {"month": "2025-07"})
    assert r.context["total"] == 0


def test_non_staff_cannot_see_a_bill(client, login):
    visit = VisitFactory()
    login(UserFactory())
    assert client.get(reverse("programs:rescue_bill", args=[visit.dispatch.application.pk])).status_code == 403
