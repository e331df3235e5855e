import datetime

import pytest
from django.utils import timezone

from renkei.network.figures import annual_figures
from tests.factories import UserFactory
from tests.network.factories import CareTeamMemberFactory, PostFactory

pytestmark = pytest.mark.django_db


def _at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 10))


def _values(fys):
    return {(f.key, f.fiscal_year): f.value for f in annual_figures(fys)}


def test_posts_are_counted_in_their_fiscal_year(world):
    PostFactory(patient=world.patient, author=world.doctor, created_at=_at(2021, 4, 1))
    PostFactory(patient=world.patient, author=world.doctor, created_at=_at(2022, 3, 31))
    PostFactory(patient=world.patient, author=world.doctor, created_at=_at(2022, 4, 1))
    values = _values([2021, 2022])
    assert (values[("network.posts", 2021)], values[("network.posts", 2022)]) == (2, 1)


def test_a_patient_is_counted_once_per_year_however_many_posts(world):
    PostFactory.create_batch(3, patient=world.patient, author=world.doctor, created_at=_at(2021, 6, 1))
    assert _values([2021])[("network.shared_patients", 2021)] == 1


def test_registrations_count_professionals_approved_by_year_end(world):
    UserFactory(approved_on=datetime.date(2022, 3, 31))
    UserFactory(approved_on=datetime.date(2022, 4, 1))
    UserFactory(approved_on=datetime.date(2021, 5, 1), withdrawn_on=datetime.date(2021, 12, 1))
    assert _values([2021])[("network.registered_members", 2021)] == 1


def test_team_professionals_exclude_removed_before_the_year(world):
    from renkei.network.models import MemberStatus

    CareTeamMemberFactory(responded_at=_at(2020, 5, 1), removed_at=_at(2021, 1, 1), status=MemberStatus.REMOVED)
    CareTeamMemberFactory(responded_at=_at(2021, 5, 1))
    values = _values([2020, 2021])
    assert (values[("network.team_professionals", 2020)], values[("network.team_professionals", 2021)]) == (1, 1)


def test_figures_use_a_fixed_number_of_queries(world, django_assert_num_queries):
    with django_assert_num_queries(3):
        annual_figures([2019, 2020, 2021, 2022, 2023])
