"""Yearly figures for the annual report: registered members at the end of each fiscal year."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renkei.core.figures import ITEMS, Figure
from renkei.core.member_figures import registered_member_figures
from renkei.core.models import Profession
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def _value(figures, fy, key="network.registered_members"):
    return next(f.value for f in figures if f.fiscal_year == fy and f.key == key)


def test_it_counts_members_on_the_last_day_of_each_fiscal_year():
    UserFactory(approved_on=D(2020, 3, 31))
    UserFactory(approved_on=D(2020, 4, 1))
    figures = registered_member_figures([2019, 2020])
    assert (_value(figures, 2019), _value(figures, 2020)) == (1, 2)


def test_a_member_withdrawn_within_the_year_is_not_counted_at_its_end():
    UserFactory(approved_on=D(2019, 4, 1), withdrawn_on=D(2021, 3, 31))
    figures = registered_member_figures([2019, 2020])
    assert (_value(figures, 2019), _value(figures, 2020)) == (1, 0)


def test_it_gives_a_figure_per_profession():
    UserFactory(approved_on=D(2019, 4, 1), profession=Profession.PHYSICIAN)
    UserFactory(approved_on=D(2019, 4, 1), profession=Profession.CARE_MANAGER)
    figures = registered_member_figures([2021])
    assert _value(figures, 2021, "network.registered_members.physician") == 1
    assert _value(figures, 2021, "network.registered_members.dentist") == 0


def test_figures_belong_to_item_e_with_the_report_label():
    total = registered_member_figures([2021])[0]
    assert isinstance(total, Figure) and total.item in ITEMS and (total.item, total.label) == ("e", "ICT連携登録数")


def test_pending_applicants_are_not_members():
    UserFactory(approved_on=None, registration_status="pending")
    assert _value(registered_member_figures([2021]), 2021) == 0


def test_no_years_gives_no_figures():
    assert registered_member_figures([]) == []


def test_it_uses_one_query_for_any_number_of_years():
    UserFactory.create_batch(5, approved_on=D(2019, 4, 1))
    with CaptureQueriesContext(connection) as ctx:
        registered_member_figures([2019, 2020, 2021, 2022, 2023])
    assert len(ctx) == 1
