"""Which medications are current (renkei/medication/rules.py): the latest dispensing of each prescriber, until
its supply (or UNCOUNTED_DAYS) and GRACE_DAYS have passed."""
import datetime

import pytest

from renkei.medication.rules import GRACE_DAYS, UNCOUNTED_DAYS, Supply, current, runs_until

TODAY = datetime.date(2026, 11, 29)


def ago(days):
    return TODAY - datetime.timedelta(days=days)


@pytest.mark.parametrize(("dispensed_days_ago", "days", "expected"), [
    (0, 28, True),
    (28 + GRACE_DAYS, 28, True),  # the last day of the grace
    (28 + GRACE_DAYS + 1, 28, False),
    (UNCOUNTED_DAYS + GRACE_DAYS, None, True),  # 頓服・外用 without 日分
    (UNCOUNTED_DAYS + GRACE_DAYS + 1, None, False),
    (90 + GRACE_DAYS, 90, True),
])
def test_a_supply_runs_for_its_days_and_the_grace(dispensed_days_ago, days, expected):
    assert current([Supply("A", ago(dispensed_days_ago), days)], TODAY) == [expected]


def test_runs_until_counts_from_the_dispensing_day():
    assert runs_until(Supply("A", TODAY, 14)) == TODAY + datetime.timedelta(days=14 + GRACE_DAYS)


def test_a_newer_dispensing_of_the_same_prescriber_replaces_the_older():
    supplies = [Supply("A", ago(5), 28), Supply("A", ago(20), 56), Supply("B", ago(20), 56)]
    assert current(supplies, TODAY) == [True, False, True]


def test_several_drugs_of_the_latest_dispensing_all_count():
    supplies = [Supply("A", ago(5), 28), Supply("A", ago(5), None), Supply("A", ago(5), 7)]
    assert current(supplies, TODAY) == [True, True, True]


def test_nothing_is_current_without_supplies():
    assert current([], TODAY) == []
