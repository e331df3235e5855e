"""Annual figures of item (ア): directory size and freshness, counted from records with fixed queries."""
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from renkei.core.models import Municipality
from renkei.directory.figures import annual_figures, city_figures
from renkei.directory.models import ImportRun
from tests.factories import musashino

from .factories import FacilityFactory

pytestmark = pytest.mark.django_db


def _value(figures, fy, key):
    return next(f.value for f in figures if f.fiscal_year == fy and f.key == key)


def test_it_counts_open_entries_and_confirmations_per_fiscal_year():
    confirmed = FacilityFactory()
    confirmed.profile.last_confirmed_on = date.today()
    confirmed.profile.save()
    FacilityFactory(is_fictional=True)
    fy = date.today().year if date.today().month >= 4 else date.today().year - 1
    figures = annual_figures([fy], musashino())
    assert _value(figures, fy, "directory.entries") == 1 and _value(figures, fy, "directory.confirmed") == 1


def test_a_year_before_the_entries_existed_counts_zero():
    FacilityFactory()
    assert _value(annual_figures([2015], musashino()), 2015, "directory.entries") == 0


def test_it_runs_seven_queries_for_any_number_of_years(django_assert_num_queries):
    city = musashino()
    with django_assert_num_queries(7):
        annual_figures([2019, 2020, 2021, 2022, 2023], city)


def test_six_cities_take_the_same_seven_queries(django_assert_num_queries):
    from renkei.core.access import area_municipalities

    ids = [c.pk for c in area_municipalities()]
    with django_assert_num_queries(7):
        assert set(city_figures([2021, 2022], ids)) == set(ids)


def test_an_entry_counts_for_the_city_of_its_facility_and_an_import_for_every_city():
    mitaka = Municipality.objects.get(code="13204")
    FacilityFactory(municipality=mitaka)
    FacilityFactory(municipality=mitaka)
    FacilityFactory()
    ImportRun.objects.create(source="mhlw", file_name="x.csv")
    fy = date.today().year if date.today().month >= 4 else date.today().year - 1
    by_city = city_figures([fy], [musashino().pk, mitaka.pk])
    assert [_value(by_city[c], fy, "directory.entries") for c in (musashino().pk, mitaka.pk)] == [1, 2]
    assert [_value(by_city[c], fy, "directory.imports") for c in (musashino().pk, mitaka.pk)] == [1, 1]


# --- the professionals' part of item (ア) ----------------------------------------------------------------

def _referral(city, created, answers):
    from renkei.directory.models import ReferralAnswer, ReferralRequest
    from tests.factories import UserFactory

    referral = ReferralRequest.objects.create(requester=UserFactory(), municipality=city, need="訪問看護",
                                              created_at=created)
    for status, hours in answers:
        ReferralAnswer.objects.create(request=referral, facility=FacilityFactory(), status=status,
                                      answered_at=created + timedelta(hours=hours) if hours is not None else None)
    return referral


def test_it_counts_referral_requests_sent_and_accepted_and_the_median_hours_to_an_answer():
    start = timezone.make_aware(datetime(2025, 6, 2, 9, 0))
    _referral(musashino(), start, [("accepted", 2), ("declined", 10)])
    _referral(musashino(), start, [("declined", 4), ("pending", None)])
    figures = annual_figures([2025], musashino())
    assert [_value(figures, 2025, k) for k in ("directory.referrals_sent", "directory.referrals_accepted",
                                               "directory.referral_answer_hours")] == [2, 1, 4]


def test_a_referral_counts_for_the_city_it_was_sent_from():
    from tests.factories import mitaka

    _referral(mitaka(), timezone.make_aware(datetime(2025, 6, 2, 9, 0)), [])
    assert _value(annual_figures([2025], musashino()), 2025, "directory.referrals_sent") == 0
    assert _value(annual_figures([2025], mitaka()), 2025, "directory.referrals_sent") == 1


def test_it_counts_providers_with_windows_and_fresh_capacity_answers():
    from renkei.directory.models import Capacity, ConsultationWindow

    clinic = FacilityFactory()
    for day in (1, 2):
        ConsultationWindow.objects.create(facility=clinic, weekday=day, starts_at=time(9), ends_at=time(10))
    Capacity.objects.create(facility=clinic, accepting_new=True, confirmed_on=date.today())
    Capacity.objects.create(facility=FacilityFactory(), accepting_new=True, confirmed_on=date.today() - timedelta(days=90))
    fy = date.today().year if date.today().month >= 4 else date.today().year - 1
    figures = annual_figures([fy], musashino())
    assert (_value(figures, fy, "directory.windows_published"), _value(figures, fy, "directory.capacity_confirmed")) == (1, 1)


def test_the_annual_report_lists_the_referral_figures_under_item_a():
    from renkei.reports.selectors import build_report

    _referral(musashino(), timezone.make_aware(datetime(2025, 6, 2, 9, 0)), [("accepted", 3)])
    activities = build_report(2025, 2025, musashino()).cells[(2025, "a")].activities
    assert "受け入れ依頼（送信） 1件" in activities and "受け入れ依頼への回答までの時間（中央値） 3時間" in activities
