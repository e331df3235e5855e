import datetime

import pytest
from django.utils import timezone

from renkei.core.models import Affiliation, Municipality
from renkei.network.figures import annual_figures, city_figures
from tests.factories import FacilityFactory, UserFactory, musashino
from tests.network.factories import CareTeamMemberFactory, PatientFactory, PostFactory

pytestmark = pytest.mark.django_db


def _at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 10))


def _values(fys):
    return {(f.key, f.fiscal_year): f.value for f in annual_figures(fys, musashino())}


def _at_facility(code="13203", **kwargs):
    """A professional working for a facility in the city with this code."""
    user = UserFactory(**kwargs)
    Affiliation.objects.create(user=user, facility=FacilityFactory(municipality=Municipality.objects.get(code=code)))
    return user


def test_posts_are_counted_in_their_fiscal_year(world):
    PostFactory(patient=world.patient, author=world.physician, created_at=_at(2021, 4, 1))
    PostFactory(patient=world.patient, author=world.physician, created_at=_at(2022, 3, 31))
    PostFactory(patient=world.patient, author=world.physician, created_at=_at(2022, 4, 1))
    values = _values([2021, 2022])
    assert (values[("network.posts", 2021)], values[("network.posts", 2022)]) == (2, 1)


def test_a_patient_is_counted_once_per_year_however_many_posts(world):
    PostFactory.create_batch(3, patient=world.patient, author=world.physician, created_at=_at(2021, 6, 1))
    assert _values([2021])[("network.shared_patients", 2021)] == 1


def test_team_professionals_exclude_removed_before_the_year(world):
    from renkei.network.models import MemberStatus

    CareTeamMemberFactory(user=_at_facility(), responded_at=_at(2020, 5, 1), removed_at=_at(2021, 1, 1),
                          status=MemberStatus.REMOVED)
    CareTeamMemberFactory(user=_at_facility(), responded_at=_at(2021, 5, 1))
    values = _values([2020, 2021])
    assert (values[("network.team_professionals", 2020)], values[("network.team_professionals", 2021)]) == (1, 1)


def test_figures_use_a_fixed_number_of_queries(world, django_assert_num_queries):
    city = musashino()
    with django_assert_num_queries(2):
        annual_figures([2019, 2020, 2021, 2022, 2023], city)


def test_patients_and_their_posts_count_for_the_city_where_the_patient_lives(world):
    mitaka = Municipality.objects.get(code="13204")
    resident = PatientFactory(municipality=mitaka)
    PostFactory(patient=resident, author=world.physician, created_at=_at(2021, 6, 1))
    PostFactory(patient=world.patient, author=world.physician, created_at=_at(2021, 6, 1))
    PostFactory(patient=world.patient, author=world.physician, created_at=_at(2021, 7, 1))
    by_city = city_figures([2021], [musashino().pk, mitaka.pk])
    posts = {cid: next(f.value for f in figures if f.key == "network.posts") for cid, figures in by_city.items()}
    assert posts == {musashino().pk: 2, mitaka.pk: 1}


def test_a_professional_counts_for_the_city_of_their_facility_whatever_the_patient_s_city(world):
    mitaka = Municipality.objects.get(code="13204")
    CareTeamMemberFactory(patient=PatientFactory(municipality=mitaka), user=_at_facility("13203"),
                          responded_at=_at(2021, 5, 1))
    by_city = city_figures([2021], [musashino().pk, mitaka.pk])
    team = {cid: next(f.value for f in figures if f.key == "network.team_professionals") for cid, figures in by_city.items()}
    assert team == {musashino().pk: 1, mitaka.pk: 0}


def test_six_cities_take_the_same_two_queries(world, django_assert_num_queries):
    from renkei.core.access import area_municipalities

    ids = [c.pk for c in area_municipalities()]
    with django_assert_num_queries(2):
        city_figures([2021, 2022], ids)
