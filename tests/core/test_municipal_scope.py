"""Six cities: the municipality scoping rule of core.access and the cities set on approval."""
import pytest
from django.http import Http404
from django.utils import timezone

from renkei.core import access
from renkei.core.errors import AppError
from renkei.core.models import Profession, RegistrationStatus
from renkei.records.models import Consultation, RegionalActivity
from tests.factories import FacilityFactory, UserFactory, city, musashino

pytestmark = pytest.mark.django_db


def consultation(municipality, summary="相談"):
    return Consultation.objects.create(
        municipality=municipality, received_on=timezone.localdate(), channel="phone",
        asker_profession="care_manager", category="medical", summary=summary,
    )


def test_staff_act_for_their_cities_and_professionals_for_none():
    mitaka = city("13204")
    assert list(access.my_municipalities(UserFactory(is_municipal_staff=True))) == [musashino()]
    assert list(access.my_municipalities(UserFactory(is_coordinator=True, acts_for=[mitaka]))) == [mitaka]
    assert list(access.my_municipalities(UserFactory(acts_for=[mitaka]))) == []  # a professional
    withdrawn = UserFactory(is_municipal_staff=True, registration_status=RegistrationStatus.WITHDRAWN)
    assert list(access.my_municipalities(withdrawn)) == []


def test_records_of_another_city_are_missing():
    mitaka = city("13204")
    ours, theirs = consultation(musashino()), consultation(mitaka)
    staff = UserFactory(is_municipal_staff=True)
    assert list(access.in_my_cities(staff, Consultation)) == [ours]
    assert access.get_in_my_cities_or_404(staff, Consultation.objects.all(), ours.pk) == ours
    for forged in (theirs.pk, 10**9, "x", None):
        with pytest.raises(Http404):
            access.get_in_my_cities_or_404(staff, Consultation.objects.all(), forged)


def test_an_activity_is_seen_by_the_city_that_recorded_it_and_the_cities_that_took_part():
    mitaka, fuchu, chofu = city("13204"), city("13206"), city("13208")
    activity = RegionalActivity.objects.create(municipality=musashino(), title="圏域連絡会", counterpart="保健所",
                                               held_on=timezone.localdate())
    activity.participants.set([mitaka, fuchu])
    for town, seen in ((musashino(), True), (mitaka, True), (fuchu, True), (chofu, False)):
        staff = UserFactory(is_municipal_staff=True, acts_for=[town])
        assert list(access.in_my_cities(staff, RegionalActivity)) == ([activity] if seen else [])


def test_choose_municipality_names_one_city_or_refuses():
    mitaka = city("13204")
    one = UserFactory(is_municipal_staff=True)
    two = UserFactory(is_municipal_staff=True, acts_for=[musashino(), mitaka])
    assert access.choose_municipality(one) == musashino()
    assert access.choose_municipality(two, "13204") == mitaka
    with pytest.raises(Http404):
        access.choose_municipality(one, "13204")  # not one of the user's cities: as if missing
    with pytest.raises(Http404):
        access.choose_municipality(one, "99999")
    with pytest.raises(AppError) as several:
        access.choose_municipality(two)
    assert several.value.status == 422
    with pytest.raises(AppError) as none:
        access.choose_municipality(UserFactory())
    assert none.value.status == 403


def test_default_municipality_of_a_professional_is_their_facility_city():
    mitaka = city("13204")
    nurse = UserFactory()
    nurse.affiliations.create(facility=FacilityFactory(municipality=mitaka))
    assert access.default_municipality(nurse) == mitaka
    assert access.default_municipality(UserFactory()) == access.home_municipality() == musashino()


def _pending_employee(profession, municipality):
    user = UserFactory(registration_status=RegistrationStatus.PENDING, approved_on=None, profession=profession)
    user.affiliations.create(facility=FacilityFactory(municipality=municipality))
    return user


def _approve(client, user, **data):
    return client.post(f"/staff/registrations/{user.pk}/approve/",
                       {"approved_on": timezone.localdate().isoformat()} | data)


def test_approving_a_municipal_employee_sets_the_cities_they_act_for(login):
    applicant = _pending_employee(Profession.MUNICIPAL, musashino())
    client = login(UserFactory(is_municipal_staff=True, profession=Profession.MUNICIPAL))
    page = client.get(f"/staff/registrations/{applicant.pk}/").content.decode()
    assert "担当する市区町村" in page
    r = _approve(client, applicant, municipalities=[musashino().pk])
    assert r.status_code == 302
    applicant.refresh_from_db()
    assert applicant.is_municipal_staff and list(applicant.acts_for.all()) == [musashino()]


def test_an_approver_cannot_grant_a_city_they_do_not_act_for(login):
    applicant = _pending_employee(Profession.MUNICIPAL, city("13204"))
    client = login(UserFactory(is_municipal_staff=True, profession=Profession.MUNICIPAL))
    r = _approve(client, applicant, municipalities=[city("13204").pk])
    assert r.status_code == 400
    assert "選択された市区町村は選べません" in r.content.decode()
    applicant.refresh_from_db()
    assert applicant.registration_status == RegistrationStatus.PENDING and not applicant.acts_for.exists()


def test_a_municipal_employee_needs_at_least_one_city(login):
    applicant = _pending_employee(Profession.MUNICIPAL, musashino())
    r = _approve(login(UserFactory(is_municipal_staff=True)), applicant)
    assert r.status_code == 400 and "担当する市区町村を1つ以上選んでください" in r.content.decode()


def test_a_professional_is_approved_without_cities(login):
    applicant = _pending_employee(Profession.NURSE, musashino())
    assert _approve(login(UserFactory(is_municipal_staff=True)), applicant).status_code == 302
    applicant.refresh_from_db()
    assert not applicant.is_municipal_staff and not applicant.acts_for.exists()
