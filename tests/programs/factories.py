"""Factories of the programs' records (Musashino 13203 and its seeded rule versions unless told)."""
import datetime
import importlib

import factory

from renkei.core.models import FacilityKind
from renkei.programs import models, rules
from tests.factories import FacilityFactory, UserFactory, city, musashino

# Musashino's first versions as the data migration seeds them: the pure rule tests use these.
SEED = importlib.import_module("renkei.programs.migrations.0006_seed_musashino_rules")
MUSASHINO = {program: rules.parse_rule(program, parameters) for program, parameters in SEED.MUSASHINO.items()}


def seeded_rule(program, code="13203"):
    """The version the data migration seeded (Musashino) or the first version of the city."""
    return models.ProgramRule.objects.filter(municipality__code=code, program=program).earliest("effective_from")


class ProgramRuleFactory(factory.django.DjangoModelFactory):
    """A version of a city's rules; by default Mitaka's rescue helper with its own amounts."""

    class Meta:
        model = models.ProgramRule

    municipality = factory.LazyFunction(lambda: city("13204"))
    program = models.Program.RESCUE_HELPER
    effective_from = datetime.date(2024, 4, 1)
    parameters = factory.LazyFunction(lambda: {
        "min_age": 70, "max_minutes_per_week": 180, "max_days": 10, "unit_minutes": 60, "fee_per_unit_yen": 400,
        "eligible_causes": ["own_sudden_illness", "own_injury"]})
    note = "テスト用の規程"


class StaffFactory(UserFactory):
    is_municipal_staff = True


class RescueApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RescueHelperApplication

    municipality = factory.LazyFunction(musashino)
    received_on = datetime.date(2025, 6, 2)
    applicant_kind = models.ApplicantKind.CARE_MANAGER
    person_name = factory.Sequence(lambda n: f"架空 緊急{n}")
    birth_date = datetime.date(1940, 4, 1)
    household = "alone"
    cause = "own_sudden_illness"
    hours_per_week = 4
    days = 14
    created_by = factory.SubFactory(StaffFactory)


class DispatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RescueHelperDispatch

    application = factory.SubFactory(RescueApplicationFactory, status=models.RescueStatus.APPROVED)
    provider = factory.SubFactory(FacilityFactory, kind=FacilityKind.HOME_HELP)
    first_day = datetime.date(2025, 6, 2)
    created_by = factory.SelfAttribute("application.created_by")


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RescueHelperVisit

    dispatch = factory.SubFactory(DispatchFactory)
    visited_on = datetime.date(2025, 6, 3)
    minutes = 60
    units = 2
    fee_yen = 500
    created_by = factory.SelfAttribute("dispatch.created_by")


class RestartApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RestartGrantApplication

    municipality = factory.LazyFunction(musashino)
    received_on = datetime.date(2020, 8, 20)
    applicant_name = factory.Sequence(lambda n: f"架空 再就職{n}")
    birth_date = datetime.date(1985, 1, 1)
    employer_name = "（架空）社会福祉法人テスト会"
    facility_name = "（架空）テスト訪問介護"
    facility_type = "訪問介護"
    hired_on = datetime.date(2020, 5, 1)
    expected_months = 12
    qualifications = factory.LazyFunction(lambda: ["介護福祉士"])
    created_by = factory.SubFactory(StaffFactory)


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.LinkageFeeClaim

    municipality = factory.LazyFunction(musashino)
    station = factory.SubFactory(FacilityFactory, kind=FacilityKind.VISITING_NURSING)
    month = datetime.date(2025, 4, 1)


class ProvisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.LinkageFeeProvision

    claim = factory.SubFactory(ClaimFactory)
    patient_ref = factory.Sequence(lambda n: f"P{n:03d}")
    provided_on = datetime.date(2025, 4, 10)
    unified_form = True
    twenty_four_hour = False


def city_field(code="13203"):
    """The `municipality` a create form posts (the hidden field of a one-city user, the select of others)."""
    return {"municipality": city(code).pk}
