"""Demo data (idempotent) and the yearly figures counted from the records."""
import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Q

from renkei.programs import figures, models
from tests.factories import musashino
from tests.programs.factories import (
    ClaimFactory,
    ProgramRuleFactory,
    RescueApplicationFactory,
    RestartApplicationFactory,
    StaffFactory,
    VisitFactory,
    seeded_rule,
)

pytestmark = pytest.mark.django_db

MODELS = [models.RescueHelperApplication, models.RescueHelperVisit, models.RestartGrantApplication, models.LinkageFeeClaim, models.Decision,
          models.EndOfLifeConsultation, models.EndingNoteDistribution]


def test_demo_has_each_program_at_several_stages(settings):
    settings.DEMO = True
    call_command("load_demo")
    assert set(models.RestartGrantApplication.objects.values_list("status", flat=True)) == set(models.GrantStatus.values)
    assert {"received", "approved", "rejected"} == set(models.RescueHelperApplication.objects.values_list("status", flat=True))
    assert models.LinkageFeeClaim.objects.filter(status=models.ClaimStatus.APPROVED).count() == 2
    assert models.RescueHelperVisit.objects.exists() and models.EndOfLifeConsultation.objects.exists()


def test_demo_is_idempotent(settings):
    settings.DEMO = True
    call_command("load_demo")
    counts = [m.objects.count() for m in MODELS]
    call_command("load_demo")
    assert [m.objects.count() for m in MODELS] == counts


def _values(fys):
    return {(f.fiscal_year, f.key): f.value for f in figures.annual_figures(fys, musashino())}


def test_figures_count_each_program_in_its_fiscal_year():
    staff = StaffFactory()
    ClaimFactory(status=models.ClaimStatus.APPROVED, total_yen=3000, patients=2, month=dt.date(2021, 3, 1))  # FY2020
    ClaimFactory(status=models.ClaimStatus.APPROVED, total_yen=1000, patients=1, month=dt.date(2021, 4, 1))  # FY2021
    ClaimFactory(status=models.ClaimStatus.DRAFT, total_yen=9999, month=dt.date(2021, 4, 1))
    RescueApplicationFactory(status="approved", received_on=dt.date(2021, 5, 1))
    VisitFactory(visited_on=dt.date(2021, 5, 2), fee_yen=500)
    RestartApplicationFactory(status=models.GrantStatus.PAID, amount_yen=150_000, paid_on=dt.date(2021, 1, 10),
                              rule=seeded_rule("restart_grant"))
    RestartApplicationFactory(status=models.GrantStatus.PAID, amount_yen=50_000, paid_on=dt.date(2021, 1, 11),
                              rule=seeded_rule("restart_grant"))
    models.EndOfLifeConsultation.objects.create(municipality=musashino(), received_on=dt.date(2021, 4, 1), topics=["will"], summary="x",
                                         referred_to_welfare_corporation=True, created_by=staff)
    models.EndingNoteDistribution.objects.create(municipality=musashino(), distributed_on=dt.date(2022, 3, 31), place="other",
                                          count=7, created_by=staff)
    models.EndingNoteDownload.objects.create(municipality=musashino(), day=dt.date(2021, 12, 1), count=3)
    v = _values([2020, 2021])
    assert v[(2020, "programs.linkage_fee.amount")] == 3000 and v[(2021, "programs.linkage_fee.amount")] == 1000
    assert v[(2021, "programs.linkage_fee.patients")] == 1
    assert v[(2021, "programs.rescue_helper.users")] == 1 and v[(2021, "programs.rescue_helper.fees")] == 500
    assert v[(2020, "programs.restart_grant.amount")] == 200_000 and v[(2020, "programs.restart_grant.qualified")] == 1
    assert v[(2021, "programs.end_of_life.referrals")] == 1 and v[(2021, "programs.end_of_life.notes")] == 7
    assert v[(2021, "programs.end_of_life.downloads")] == 3


def test_a_grant_counts_as_qualified_by_the_amounts_of_the_version_it_was_decided_with():
    musashino_rule = seeded_rule("restart_grant")
    lower = ProgramRuleFactory(program="restart_grant", municipality=musashino(), effective_from=dt.date(2022, 4, 1),
                               parameters=musashino_rule.parameters | {"amount_qualified_yen": 100_000,
                                                                       "amount_unqualified_yen": 30_000})
    RestartApplicationFactory(status=models.GrantStatus.PAID, amount_yen=100_000, paid_on=dt.date(2022, 10, 1), rule=lower)
    RestartApplicationFactory(status=models.GrantStatus.PAID, amount_yen=30_000, paid_on=dt.date(2022, 10, 2), rule=lower)
    RestartApplicationFactory(status=models.GrantStatus.PAID, amount_yen=150_000, paid_on=dt.date(2022, 10, 3),
                              rule=musashino_rule)
    v = _values([2022])
    assert v[(2022, "programs.restart_grant.paid")] == 3 and v[(2022, "programs.restart_grant.qualified")] == 2


def test_figures_are_zero_without_records():
    assert set(_values([2019]).values()) == {0}


def test_figures_belong_to_known_items():
    from renkei.core.figures import ITEMS

    assert {f.item for f in figures.annual_figures([2021], musashino())} <= set(ITEMS)


def test_figures_use_a_fixed_number_of_queries(django_assert_num_queries):
    city = musashino()
    with django_assert_num_queries(7):
        figures.annual_figures([2019, 2020, 2021, 2022], city)


def test_every_staff_page_renders_with_the_demo_data(settings, client, login):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    settings.DEMO = True
    call_command("load_demo")
    login(get_user_model().objects.get(username="staff"))
    urls = [reverse(n) for n in ("programs:index", "programs:rescue_list", "programs:rescue_new", "programs:restart_list",
                                 "programs:restart_new", "programs:linkage_list", "programs:linkage_totals",
                                 "programs:end_of_life")]
    urls += [reverse("programs:rescue_billing") + "?month=2025-06", reverse("programs:linkage_list") + "?month=2025-04",
             reverse("programs:linkage_totals") + "?fy=2025"]
    details = [("programs:rescue_detail", models.RescueHelperApplication), ("programs:restart_detail", models.RestartGrantApplication),
               ("programs:linkage_claim", models.LinkageFeeClaim)]
    ours = Q(municipality__code="13203")
    urls += [reverse(name, args=[pk]) for name, model in details for pk in model.objects.filter(ours).values_list("pk", flat=True)]
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 200)
    # Mitaka's demo application is missing for Musashino's staff, and Mitaka's staff open it.
    theirs = [reverse(name, args=[pk]) for name, model in details for pk in model.objects.exclude(ours).values_list("pk", flat=True)]
    assert theirs and {url: client.get(url).status_code for url in theirs} == dict.fromkeys(theirs, 404)
    login(get_user_model().objects.get(username="staff_mitaka"))
    assert {url: client.get(url).status_code for url in theirs} == dict.fromkeys(theirs, 200)
