import datetime

import pytest

from renkei.records.rules import EventFacts, check_event, check_received_on, months_after
from renkei.reports.rules import check_report_range

D = datetime.date


def facts(**kw):
    return EventFacts(**({"starts_on": D(2025, 7, 1), "ends_on": D(2025, 7, 1)} | kw))


def test_an_event_on_one_day_is_fine():
    assert check_event(facts()).ok


def test_an_event_ending_before_it_starts_is_refused():
    result = check_event(facts(ends_on=D(2025, 6, 30)))
    assert not result.ok and "終了日" in result.fields["ends_on"]


@pytest.mark.parametrize("registered, participants, ok", [(10, 10, True), (10, 11, False), (None, 50, True)])
def test_attendance_cannot_exceed_registrations_of_a_registration_only_event(registered, participants, ok):
    assert check_event(facts(registration_required=True, registered=registered, participants=participants)).ok is ok


def test_attendance_may_exceed_registrations_of_an_open_event():
    assert check_event(facts(registration_required=False, registered=5, participants=50)).ok


def test_accounts_are_for_online_events_only():
    assert "online_accounts" in check_event(facts(online_accounts=5, participants=10)).fields


def test_more_accounts_than_persons_is_impossible():
    assert not check_event(facts(online=True, online_accounts=300, participants=291)).ok


def test_the_seed_online_training_is_possible():
    assert check_event(facts(online=True, online_accounts=198, participants=291)).ok


def test_a_consultation_of_today_is_fine_and_tomorrow_is_not():
    today = D(2026, 5, 1)
    assert check_received_on(today, today).ok
    assert not check_received_on(today + datetime.timedelta(days=1), today).ok


@pytest.mark.parametrize(
    "from_fy, to_fy, ok", [(2019, 2021, True), (2021, 2021, True), (2021, 2019, False), (2017, 2026, True), (2016, 2026, False)]
)
def test_report_range_is_one_to_ten_years_oldest_first(from_fy, to_fy, ok):
    assert check_report_range(from_fy, to_fy).ok is ok


def test_attendance_of_an_event_that_has_not_started_is_refused():
    assert "participants" in check_event(facts(participants=10, today=D(2025, 6, 30))).fields


def test_attendance_of_a_cancelled_event_is_refused():
    assert not check_event(facts(participants=10, cancelled=True)).ok


@pytest.mark.parametrize("day, later", [(D(2025, 7, 5), D(2025, 10, 5)), (D(2025, 11, 30), D(2026, 2, 28)), (D(2025, 12, 1), D(2026, 3, 1))])
def test_three_months_after(day, later):
    assert months_after(day, 3) == later
