"""The care-plan rules of the access module: who imports (the team's care manager, active), whose rows are whose."""
import pytest

from renkei.core import access
from renkei.network.models import MemberStatus, TeamRole
from tests.careplans.conftest import STATION_NUMBER

pytestmark = pytest.mark.django_db


def test_the_teams_care_manager_imports(plan_world):
    assert access.is_team_care_manager(plan_world.care_manager, plan_world.patient)


def test_a_care_manager_by_profession_in_another_team_role_does_not(plan_world):
    plan_world.care_manager_member.role = TeamRole.OTHER
    plan_world.care_manager_member.save()
    assert not access.is_team_care_manager(plan_world.care_manager, plan_world.patient)


def test_a_removed_care_manager_does_not(plan_world):
    plan_world.care_manager_member.status = MemberStatus.REMOVED
    plan_world.care_manager_member.save()
    assert not access.is_team_care_manager(plan_world.care_manager, plan_world.patient)


def test_the_care_manager_of_another_patient_does_not(plan_world):
    assert not access.is_team_care_manager(plan_world.care_manager, plan_world.other_patient)


def test_the_nurses_office_number_is_her_stations(plan_world):
    assert access.office_numbers_of(plan_world.nurse) == [STATION_NUMBER]


def test_a_member_without_a_numbered_facility_has_none(plan_world):
    assert access.office_numbers_of(plan_world.physician) == []


def test_a_stranger_sees_no_plan(plan_world, imported):
    assert not access.care_plans_visible_to(plan_world.stranger).exists()
    assert access.care_plans_visible_to(plan_world.nurse).get() == imported
