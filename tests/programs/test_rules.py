"""Table-driven tests of the programs' rules on every boundary."""
import datetime as dt

import pytest

from renkei.programs import rules
from renkei.programs.rules import InvalidFacts, Provision, RescueHelperFacts, RestartGrantFacts, Visit
from tests.programs.factories import MUSASHINO

D = dt.date
RESCUE = MUSASHINO["rescue_helper"]
GRANT = MUSASHINO["restart_grant"]
FEE = MUSASHINO["linkage_fee"]


def rescue(**kw):
    base = dict(
        birth_date=D(1941, 5, 2), as_of=D(2026, 1, 10), household="alone", under_65_member_can_help=False,
        cause="own_sudden_illness", ltc_certified=False, uses_ltc_services=False, hours_per_week=4.0, days=14,
    )
    return RescueHelperFacts(**(base | kw))


def grant(**kw):
    base = dict(
        hired_on=D(2020, 5, 1), facility_type="訪問介護", facility_in_city=True, full_time=True,
        direct_employment=True, expected_months=6, months_since_last_care_job=None, qualifications=["介護福祉士"],
    )
    return RestartGrantFacts(**(base | kw))


def criterion(result, key):
    return next(c for c in result.criteria if c.key == key)


# --- rescue helper -------------------------------------------------------------------------

@pytest.mark.parametrize("birth, as_of, ok", [
    (D(1961, 1, 10), D(2026, 1, 10), True),   # 65th birthday on as_of
    (D(1961, 1, 11), D(2026, 1, 10), False),  # the day before the 65th birthday
    (D(1940, 1, 1), D(2026, 1, 10), True),
    (D(1960, 2, 29), D(2025, 2, 28), False),  # leap-day birthday: not yet 65 on 28 Feb
    (D(1960, 2, 29), D(2025, 3, 1), True),
])
def test_rescue_age_boundary(birth, as_of, ok):
    assert criterion(rules.assess_rescue_helper(rescue(birth_date=birth, as_of=as_of), RESCUE), "age").met is ok


def test_rescue_under_65_is_eligible_only_with_a_staff_reason():
    young = rescue(birth_date=D(1970, 1, 1))
    assert not rules.assess_rescue_helper(young, RESCUE).eligible
    overridden = rules.assess_rescue_helper(rescue(birth_date=D(1970, 1, 1), age_override_reason="障害により必要"), RESCUE)
    assert overridden.eligible and "障害により必要" in criterion(overridden, "age").reason


def test_rescue_blank_override_reason_does_not_count():
    assert not rules.assess_rescue_helper(rescue(birth_date=D(1970, 1, 1), age_override_reason="  "), RESCUE).eligible


@pytest.mark.parametrize("household, can_help, eligible, staff", [
    ("alone", False, True, False),
    ("elderly_only", False, True, False),
    ("elderly_only", True, True, False),
    ("with_under_65", True, False, False),
    ("with_under_65", False, False, True),
])
def test_rescue_household(household, can_help, eligible, staff):
    r = rules.assess_rescue_helper(rescue(household=household, under_65_member_can_help=can_help), RESCUE)
    assert (r.eligible, r.needs_staff_decision) == (eligible, staff)


def test_rescue_household_member_who_cannot_help_says_staff_decision_needed():
    r = rules.assess_rescue_helper(rescue(household="with_under_65"), RESCUE)
    assert "市職員の判断が必要" in criterion(r, "household").reason


def test_rescue_staff_decision_admits_household_with_member_who_cannot_help():
    r = rules.assess_rescue_helper(rescue(household="with_under_65", household_override_reason="子が障害"), RESCUE)
    assert r.eligible and not r.needs_staff_decision


def test_rescue_override_does_not_admit_when_member_can_help():
    r = rules.assess_rescue_helper(
        rescue(household="with_under_65", under_65_member_can_help=True, household_override_reason="x"), RESCUE)
    assert not r.eligible


@pytest.mark.parametrize("cause, ok", [
    ("own_sudden_illness", True), ("own_injury", True), ("covid_home_recovery", True),
    ("carer_infected", True), ("other", False),
])
def test_rescue_causes(cause, ok):
    assert rules.assess_rescue_helper(rescue(cause=cause), RESCUE).eligible is ok


@pytest.mark.parametrize("certified, using, ok", [(False, False, True), (True, False, False), (False, True, False)])
def test_rescue_ltc_exclusion(certified, using, ok):
    assert rules.assess_rescue_helper(rescue(ltc_certified=certified, uses_ltc_services=using), RESCUE).eligible is ok


@pytest.mark.parametrize("hours, ok", [(0, True), (3.99, True), (4.0, True), (4.01, False), (5, False)])
def test_rescue_hours_per_week_boundary(hours, ok):
    assert rules.assess_rescue_helper(rescue(hours_per_week=hours), RESCUE).eligible is ok


@pytest.mark.parametrize("days, ok", [(1, True), (13, True), (14, True), (15, False)])
def test_rescue_days_boundary(days, ok):
    assert rules.assess_rescue_helper(rescue(days=days), RESCUE).eligible is ok


def test_rescue_gives_a_reason_for_every_criterion():
    r = rules.assess_rescue_helper(rescue(), RESCUE)
    assert [c.key for c in r.criteria] == ["age", "household", "cause", "ltc", "hours", "days"]
    assert all(r.reasons)


def test_rescue_lists_every_problem_of_bad_facts():
    with pytest.raises(InvalidFacts) as e:
        rules.assess_rescue_helper(rescue(birth_date=D(2027, 1, 1), hours_per_week=-1, days=-2,
                                          household="x", cause="y"), RESCUE)
    assert len(e.value.problems) == 5


@pytest.mark.parametrize("minutes, fee", [(1, 250), (29, 250), (30, 250), (31, 500), (60, 500), (61, 750), (240, 2000)])
def test_rescue_visit_fee_per_started_30_minutes(minutes, fee):
    assert rules.rescue_visit_fee(minutes, RESCUE) == fee


def test_rescue_visit_fee_refuses_zero_minutes():
    with pytest.raises(InvalidFacts):
        rules.rescue_visit_fee(0, RESCUE)


FIRST = D(2025, 6, 2)


@pytest.mark.parametrize("day_no, ok", [(1, True), (14, True), (15, False), (0, False)])
def test_rescue_visit_period_boundary(day_no, ok):
    new = Visit(FIRST + dt.timedelta(days=day_no - 1), 30)
    assert (rules.check_rescue_visit(first_day=FIRST, existing=[], new=new, rule=RESCUE) == []) is ok


@pytest.mark.parametrize("used, new, ok", [(180, 60, True), (180, 61, False), (0, 240, True), (0, 241, False)])
def test_rescue_visit_weekly_limit_boundary(used, new, ok):
    existing = [Visit(FIRST, used)] if used else []
    reasons = rules.check_rescue_visit(first_day=FIRST, existing=existing, new=Visit(FIRST + dt.timedelta(days=6), new), rule=RESCUE)
    assert (reasons == []) is ok


def test_rescue_weeks_are_seven_day_windows_from_the_first_day():
    existing = [Visit(FIRST + dt.timedelta(days=6), 240)]  # day 7: week 1 full
    assert rules.check_rescue_visit(first_day=FIRST, existing=existing, new=Visit(FIRST + dt.timedelta(days=7), 240), rule=RESCUE) == []


def test_rescue_refused_visit_names_the_week_and_minutes():
    reasons = rules.check_rescue_visit(first_day=FIRST, existing=[Visit(FIRST, 200)], new=Visit(FIRST, 60), rule=RESCUE)
    assert "第1週" in reasons[0] and "240分" in reasons[0]


# --- restart grant ---------------------------------------------------------------------------

@pytest.mark.parametrize("hired, ok", [(D(2020, 4, 6), False), (D(2020, 4, 7), True), (D(2024, 1, 1), True)])
def test_grant_hire_date_boundary(hired, ok):
    assert rules.assess_restart_grant(grant(hired_on=hired), GRANT).eligible is ok


@pytest.mark.parametrize("months, ok", [(None, True), (0, False), (2, False), (3, True), (12, True)])
def test_grant_months_since_last_care_job_boundary(months, ok):
    assert rules.assess_restart_grant(grant(months_since_last_care_job=months), GRANT).eligible is ok


@pytest.mark.parametrize("expected, ok", [(5, False), (6, True), (12, True)])
def test_grant_expected_months_boundary(expected, ok):
    assert rules.assess_restart_grant(grant(expected_months=expected), GRANT).eligible is ok


@pytest.mark.parametrize("field", ["facility_in_city", "full_time", "direct_employment"])
def test_grant_each_yes_no_condition_is_required(field):
    r = rules.assess_restart_grant(grant(**{field: False}), GRANT)
    assert not r.eligible and r.amount_yen == 0


@pytest.mark.parametrize("quals, facility, amount", [
    (["介護福祉士"], "訪問介護", 150_000),
    (["看護師"], "訪問看護", 150_000),
    (["准看護師", "社会福祉士"], "介護老人保健施設", 150_000),
    ([], "訪問介護", 50_000),
    (["保育士"], "障害児通所", 150_000),
    (["保育士（障害児通所のみ）"], "障害児通所", 150_000),
    (["保育士"], "共同生活援助", 50_000),
    (["児童指導員"], "訪問介護", 50_000),
])
def test_grant_amount_by_qualification(quals, facility, amount):
    assert rules.assess_restart_grant(grant(qualifications=quals, facility_type=facility), GRANT).amount_yen == amount


@pytest.mark.parametrize("facility", GRANT.facility_types)
def test_grant_every_listed_facility_type_is_accepted(facility):
    assert rules.assess_restart_grant(grant(facility_type=facility, qualifications=[]), GRANT).eligible


def test_grant_lists_every_problem_of_bad_facts():
    with pytest.raises(InvalidFacts) as e:
        rules.assess_restart_grant(grant(birth_date=D(2021, 1, 1), facility_type="病院", expected_months=-1,
                                         months_since_last_care_job=-3, qualifications=["医師", "介護福祉士", "魔法使い"]), GRANT)
    assert len(e.value.problems) == 6


def test_grant_hire_date_before_birth_is_a_problem():
    with pytest.raises(InvalidFacts) as e:
        rules.assess_restart_grant(grant(birth_date=D(2020, 6, 1)), GRANT)
    assert "生年月日" in e.value.problems[0]


def test_grant_reasons_cover_every_criterion_and_the_amount():
    r = rules.assess_restart_grant(grant(), GRANT)
    assert [c.key for c in r.criteria] == ["hired_on", "facility", "full_time", "expected", "previous", "direct", "amount"]


@pytest.mark.parametrize("left, hired, months", [
    (D(2020, 1, 15), D(2020, 4, 14), 2),
    (D(2020, 1, 15), D(2020, 4, 15), 3),
    (D(2020, 1, 31), D(2020, 4, 29), 2),
    (D(2020, 1, 31), D(2020, 4, 30), 3),
    (D(2020, 4, 1), D(2020, 4, 7), 0),
])
def test_whole_months_between(left, hired, months):
    assert rules.whole_months_between(left, hired) == months


# --- linkage fee -----------------------------------------------------------------------------

APRIL = D(2025, 4, 1)


def prov(pid="P1", day=3, form=True, h24=False):
    return Provision(pid, D(2025, 4, day), form, h24)


@pytest.mark.parametrize("provisions, total", [
    ([prov()], 1000),
    ([prov(h24=True)], 2000),
    ([prov(form=False)], 0),
    ([prov(), prov(day=20)], 1000),                      # once per patient per month
    ([prov(), prov(day=20, h24=True)], 2000),             # add-on applied that month
    ([prov(form=False), prov(day=20)], 1000),
    ([prov("P1"), prov("P2", h24=True), prov("P3", form=False)], 3000),
])
def test_linkage_fee_totals(provisions, total):
    assert rules.calculate_linkage_fee(APRIL, provisions, FEE).total_yen == total


def test_linkage_fee_shows_why_nothing_without_the_unified_form():
    line = rules.calculate_linkage_fee(APRIL, [prov(form=False)], FEE).lines[0]
    assert line.amount_yen == 0 and "統一様式" in line.reason


def test_linkage_fee_month_without_provisions_is_an_error():
    with pytest.raises(InvalidFacts):
        rules.calculate_linkage_fee(APRIL, [], FEE)


def test_linkage_fee_provision_outside_the_month_is_an_error():
    with pytest.raises(InvalidFacts) as e:
        rules.calculate_linkage_fee(APRIL, [Provision("P1", D(2025, 5, 1), True, False), prov(day=30),
                                            Provision("", D(2025, 3, 31), True, False)], FEE)
    assert len(e.value.problems) == 3


@pytest.mark.parametrize("value", ["2025-4", "2025/04", "abc", "2025-13", ""])
def test_parse_month_refuses_bad_months(value):
    with pytest.raises(InvalidFacts):
        rules.parse_month(value)


def test_a_month_input_shows_the_month_in_wareki_beside_it():
    import datetime

    from renkei.programs.forms import MonthForm

    html = str(MonthForm(data={"month": "2025-04"})["month"])
    assert 'type="month"' in html and 'value="2025-04"' in html and "（令和7年4月）" in html
    html = str(MonthForm(initial={"month": datetime.date(2019, 5, 1)})["month"])
    assert 'value="2019-05"' in html and "（令和元年5月）" in html
    assert "era-hint" not in str(MonthForm(data={"month": "bad"})["month"])
