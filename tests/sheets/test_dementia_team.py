"""The dementia initial-intensive-support team: cases, visits, conferences, six months of support, outcome."""
import datetime

import pytest
from django.urls import reverse

from renkei.network.services import Refused
from renkei.sheets import dementia
from renkei.sheets.models import CaseOutcome, DementiaCase

pytestmark = pytest.mark.django_db
START = datetime.date(2025, 4, 1)


@pytest.fixture
def case(world):
    return dementia.open_case(patient=world.patient, user=world.care_manager, referred_on=START, referral_source="family",
                              referral_reason="物忘れ", members=[world.care_manager, world.physician], support_started_on=START)


def test_a_case_is_opened_with_its_team(case, world):
    assert set(case.team_members.all()) == {world.care_manager, world.physician}


def test_a_visit_within_six_months_is_recorded(case, world):
    dementia.add_visit(case=case, user=world.care_manager, visited_on=START + datetime.timedelta(days=30), visitors="保健師",
                       summary="面談")
    assert case.visits.count() == 1


def test_a_visit_after_six_months_is_refused(case, world):
    with pytest.raises(Refused, match="6か月"):
        dementia.add_visit(case=case, user=world.care_manager, visited_on=datetime.date(2025, 10, 2), visitors="保健師",
                           summary="面談")


def test_a_conference_is_recorded(case, world):
    dementia.add_conference(case=case, user=world.physician, held_on=START + datetime.timedelta(days=7),
                            participants="専門医、保健師", decisions="受診につなぐ")
    assert case.conferences.count() == 1


def test_closing_records_the_outcome_and_case_study(case, world):
    dementia.close_case(case=case, user=world.care_manager, closed_on=datetime.date(2025, 7, 1), outcome=CaseOutcome.MEDICAL,
                        case_study=True)
    case.refresh_from_db()
    assert (case.outcome, case.case_study) == (CaseOutcome.MEDICAL, True)


def test_closing_twice_is_refused(case, world):
    dementia.close_case(case=case, user=world.care_manager, closed_on=datetime.date(2025, 7, 1), outcome=CaseOutcome.OTHER)
    with pytest.raises(Refused, match="既に終了"):
        dementia.close_case(case=case, user=world.care_manager, closed_on=datetime.date(2025, 7, 2), outcome=CaseOutcome.OTHER)


def test_someone_off_the_team_cannot_open_a_case(world):
    with pytest.raises(Refused):
        dementia.open_case(patient=world.patient, user=world.stranger, referred_on=START, referral_source="family",
                           referral_reason="x")
    assert not DementiaCase.objects.exists()


def test_the_case_page_warns_before_support_runs_out(world, login):
    from django.utils import timezone

    started = timezone.localdate() - datetime.timedelta(days=170)
    case = dementia.open_case(patient=world.patient, user=world.care_manager, referred_on=started, referral_source="family",
                              referral_reason="x", support_started_on=started)
    r = login(world.care_manager).get(reverse("sheets:dementia_detail", args=[case.pk]))
    assert "支援期間の終了まであと" in r.content.decode()


def test_another_teams_member_gets_404_on_the_case(case, world, login):
    assert login(world.stranger).get(reverse("sheets:dementia_detail", args=[case.pk])).status_code == 404


def test_a_visit_posted_on_the_page_out_of_period_shows_the_message(case, world, login):
    r = login(world.care_manager).post(reverse("sheets:dementia_detail", args=[case.pk]), {
        "form": "visit", "visited_on": "2026-01-01", "visitors": "保健師", "summary": "面談"})
    assert r.status_code == 400 and "6か月" in r.content.decode()


def test_a_case_is_selected_for_the_case_study_on_its_page(case, world, login):
    login(world.care_manager).post(reverse("sheets:dementia_detail", args=[case.pk]),
                         {"form": "case_study", "selected": "on", "note": "部会で検討"})
    case.refresh_from_db()
    assert (case.case_study, case.case_study_note) == (True, "部会で検討")
