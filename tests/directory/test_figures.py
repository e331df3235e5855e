"""Annual figures of item (ア): directory size and freshness, counted from records with fixed queries."""
from datetime import date

import pytest

from renkei.directory.figures import annual_figures

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
    figures = annual_figures([fy])
    assert _value(figures, fy, "directory.entries") == 1 and _value(figures, fy, "directory.confirmed") == 1


def test_a_year_before_the_entries_existed_counts_zero():
    FacilityFactory()
    assert _value(annual_figures([2015]), 2015, "directory.entries") == 0


def test_it_runs_three_queries_for_any_number_of_years(django_assert_num_queries):
    with django_assert_num_queries(3):
        annual_figures([2019, 2020, 2021, 2022, 2023])
