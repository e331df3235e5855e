"""The header names the cities a staff member or coordinator acts for (core.context_processors.acting_for)."""
import pytest
from django.test import RequestFactory
from django.urls import reverse

from renkei.core.context_processors import acting_for
from renkei.core.models import Profession
from tests.factories import UserFactory, city

pytestmark = pytest.mark.django_db


def header_of(response):
    html = response.content.decode()
    return html[html.index('<header class="site-header">'):html.index("</header>")]


def test_mitaka_staff_see_mitaka_in_the_header(login):
    staff = UserFactory(is_municipal_staff=True, profession=Profession.MUNICIPAL, acts_for=[city("13204")])
    header = header_of(login(staff).get(reverse("core:home")))
    assert '<span class="acting-for" title="担当する市区町村">三鷹市</span>' in header
    assert "武蔵野市" not in header


def test_staff_of_two_cities_see_both(login):
    staff = UserFactory(is_municipal_staff=True, profession=Profession.MUNICIPAL,
                        acts_for=[city("13203"), city("13206")])
    assert '<span class="acting-for" title="担当する市区町村">武蔵野市・府中市</span>' in header_of(
        login(staff).get(reverse("core:home")))


def test_a_coordinator_sees_her_city(login):
    coordinator = UserFactory(is_coordinator=True, profession=Profession.COORDINATOR)
    assert ">武蔵野市</span>" in header_of(login(coordinator).get(reverse("core:home")))


def test_a_professional_acts_for_no_city(login):
    nurse = UserFactory(profession=Profession.NURSE)
    assert "acting-for" not in header_of(login(nurse).get(reverse("core:home")))


def test_an_anonymous_visitor_sees_no_city(client):
    assert "acting-for" not in header_of(client.get(reverse("directory:search")))


def test_the_cities_cost_one_query_per_request_however_often_rendered(django_assert_num_queries):
    staff = UserFactory(is_municipal_staff=True, profession=Profession.MUNICIPAL, acts_for=[city("13204")])
    request = RequestFactory().get("/")
    request.user = staff
    with django_assert_num_queries(1):
        first = [m.code for m in acting_for(request)["acting_for"]]
        second = [m.code for m in acting_for(request)["acting_for"]]
    assert first == second == ["13204"]


def test_nothing_is_queried_when_the_page_does_not_show_the_cities(django_assert_num_queries):
    staff = UserFactory(is_municipal_staff=True, profession=Profession.MUNICIPAL)
    request = RequestFactory().get("/")
    request.user = staff
    with django_assert_num_queries(0):
        acting_for(request)


def test_a_professional_costs_no_query(django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = UserFactory(profession=Profession.NURSE)
    with django_assert_num_queries(0):
        assert list(acting_for(request)["acting_for"]) == []
