"""Yearly figures for the annual report: registered members at the end of each fiscal year."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renkei.core import member_figures
from renkei.core.figures import ITEMS, Figure
from renkei.core.models import Affiliation, Municipality, Profession
from tests.factories import FacilityFactory, UserFactory, musashino

pytestmark = pytest.mark.django_db

D = datetime.date


def registered_member_figures(years):
    return member_figures.registered_member_figures(years, musashino())


def member(*codes, **kwargs):
    """A registered professional working for a facility in each city named (Musashino when none)."""
    user = UserFactory(**kwargs)
    for code in codes or ("13203",):
        Affiliation.objects.create(user=user, facility=FacilityFactory(municipality=Municipality.objects.get(code=code)))
    return user


def _value(figures, fy, key="network.registered_members"):
    return next(f.value for f in figures if f.fiscal_year == fy and f.key == key)


def test_it_counts_members_on_the_last_day_of_each_fiscal_year():
    member(approved_on=D(2020, 3, 31))
    member(approved_on=D(2020, 4, 1))
    figures = registered_member_figures([2019, 2020])
    assert (_value(figures, 2019), _value(figures, 2020)) == (1, 2)


def test_a_member_withdrawn_within_the_year_is_not_counted_at_its_end():
    member(approved_on=D(2019, 4, 1), withdrawn_on=D(2021, 3, 31))
    figures = registered_member_figures([2019, 2020])
    assert (_value(figures, 2019), _value(figures, 2020)) == (1, 0)


def test_it_gives_a_figure_per_profession():
    member(approved_on=D(2019, 4, 1), profession=Profession.PHYSICIAN)
    member(approved_on=D(2019, 4, 1), profession=Profession.CARE_MANAGER)
    figures = registered_member_figures([2021])
    assert _value(figures, 2021, "network.registered_members.physician") == 1
    assert _value(figures, 2021, "network.registered_members.dentist") == 0


def test_figures_belong_to_item_e_with_the_report_label():
    total = registered_member_figures([2021])[0]
    assert isinstance(total, Figure) and total.item in ITEMS and (total.item, total.label) == ("e", "ICT連携登録数")


def test_pending_applicants_are_not_members():
    member(approved_on=None, registration_status="pending")
    assert _value(registered_member_figures([2021]), 2021) == 0


def test_no_years_gives_no_figures():
    assert registered_member_figures([]) == []


def test_it_uses_one_query_for_any_number_of_years():
    for _ in range(5):
        member(approved_on=D(2019, 4, 1))
    city = musashino()
    with CaptureQueriesContext(connection) as ctx:
        member_figures.registered_member_figures([2019, 2020, 2021, 2022, 2023], city)
    assert len(ctx) == 1


def _of(figures_by_city, code, fy=2021, key="network.registered_members"):
    return _value(figures_by_city[Municipality.objects.get(code=code).pk], fy, key)


def test_a_member_counts_for_the_city_of_their_facility():
    member("13204", approved_on=D(2019, 4, 1))
    member("13203", approved_on=D(2019, 4, 1))
    member("13203", approved_on=D(2019, 4, 1))
    ids = list(Municipality.objects.filter(code__in=["13203", "13204", "13206"]).values_list("pk", flat=True))
    by_city = member_figures.city_figures([2021], ids)
    assert [_of(by_city, c) for c in ("13203", "13204", "13206")] == [2, 1, 0]


def test_a_member_with_facilities_in_two_cities_counts_once_in_each():
    member("13203", "13204", approved_on=D(2019, 4, 1), profession=Profession.PHYSICIAN)
    member("13203", approved_on=D(2019, 4, 1))  # a second facility in the same city: still one person
    user = member("13203", approved_on=D(2019, 4, 1))
    Affiliation.objects.create(user=user, facility=FacilityFactory())
    ids = list(Municipality.objects.filter(code__in=["13203", "13204"]).values_list("pk", flat=True))
    by_city = member_figures.city_figures([2021], ids)
    assert [_of(by_city, c) for c in ("13203", "13204")] == [3, 1]
    assert _of(by_city, "13204", key="network.registered_members.physician") == 1


def test_a_member_without_a_facility_counts_for_no_city():
    UserFactory(approved_on=D(2019, 4, 1))
    assert _value(registered_member_figures([2021]), 2021) == 0


def test_six_cities_take_one_query():
    from renkei.core.access import area_municipalities

    ids = [c.pk for c in area_municipalities()]
    with CaptureQueriesContext(connection) as ctx:
        member_figures.city_figures([2019, 2020, 2021], ids)
    assert len(ctx) == 1
