"""Annual figures of item (ア): directory size and freshness, counted from records with fixed queries."""
from datetime import date

import pytest

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


def test_it_runs_three_queries_for_any_number_of_years(django_assert_num_queries):
    city = musashino()
    with django_assert_num_queries(3):
        annual_figures([2019, 2020, 2021, 2022, 2023], city)


def test_six_cities_take_the_same_three_queries(django_assert_num_queries):
    from renkei.core.access import area_municipalities

    ids = [c.pk for c in area_municipalities()]
    with django_assert_num_queries(3):
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
