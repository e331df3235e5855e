"""figures.py: sheets exchanged by kind, back-bed uses, dementia-team cases, per fiscal year."""
import datetime

import pytest
from django.utils import timezone

from renkei.core.wareki import fiscal_year
from renkei.sheets import backbed, dementia, figures, services
from renkei.sheets.models import CaseOutcome, DementiaCase, Sheet, SheetKind
from tests.factories import musashino
from tests.sheets.factories import BackBedHospitalFactory, SheetFactory

pytestmark = pytest.mark.django_db


def _value(result, fy, key):
    return next(f.value for f in result if f.fiscal_year == fy and f.key == key)


def _at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 12))


def test_sheets_sent_are_counted_by_kind_and_fiscal_year(world):
    for kind, sent in [(SheetKind.ADMISSION, _at(2024, 4, 1)), (SheetKind.ADMISSION, _at(2025, 3, 31)),
                       (SheetKind.STROKE, _at(2025, 4, 1))]:
        Sheet.objects.filter(pk=SheetFactory(patient=world.patient, author=world.care_manager, kind=kind).pk).update(sent_at=sent)
    result = figures.annual_figures([2024, 2025], musashino())
    assert _value(result, 2024, "sheets.sent.admission") == 2 and _value(result, 2025, "sheets.sent.stroke") == 1
    assert _value(result, 2025, "sheets.sent.admission") == 0


def test_the_fiscal_year_turns_at_midnight_japan_time(world):
    tokyo = timezone.get_current_timezone()
    for sent in [datetime.datetime(2025, 3, 31, 23, 50, tzinfo=tokyo), datetime.datetime(2025, 4, 1, 0, 10, tzinfo=tokyo)]:
        Sheet.objects.filter(pk=SheetFactory(patient=world.patient, author=world.care_manager).pk).update(sent_at=sent)
    result = figures.annual_figures([2023, 2024, 2025], musashino())
    assert [_value(result, fy, "sheets.sent.admission") for fy in (2023, 2024, 2025)] == [0, 1, 1]


def test_a_corrected_sheet_counts_once(world):
    sheet = SheetFactory(patient=world.patient, author=world.care_manager)
    services.send(sheet=sheet, user=world.care_manager, facility=world.hospital)
    new = services.finalise(sheet=services.revise(sheet=sheet, user=world.care_manager), user=world.care_manager)
    services.send(sheet=new, user=world.care_manager, addressees=[world.nurse])
    fy = fiscal_year(timezone.localdate())
    assert _value(figures.annual_figures([fy], musashino()), fy, "sheets.sent.admission") == 1


def test_sheet_items_are_u_and_e(world):
    items = {f.key: f.item for f in figures.annual_figures([2025], musashino())}
    assert items["sheets.sent.admission"] == "u" and items["sheets.sent.dementia"] == "e"


def test_back_bed_requests_acceptances_and_admissions_are_counted(world):
    beds = BackBedHospitalFactory(facility=world.hospital)
    asked = backbed.request_admission(patient=world.patient, user=world.physician, hospital=beds, reason="respite",
                                      detail="x", desired_on=timezone.localdate())
    backbed.answer(bed_request=asked, user=world.liaison, accept=True)
    backbed.record_stay(bed_request=asked, user=world.liaison, admitted_on=datetime.date(2025, 5, 1))
    this_year = fiscal_year(timezone.localdate())
    result = figures.annual_figures([2025, this_year], musashino())
    assert _value(result, 2025, "backbed.admitted") == 1
    assert (_value(result, this_year, "backbed.requested"), _value(result, this_year, "backbed.accepted")) == (1, 1)


def test_dementia_team_cases_and_outcomes_are_counted(world):
    case = dementia.open_case(patient=world.patient, user=world.care_manager, referred_on=datetime.date(2025, 4, 10),
                              referral_source="family", referral_reason="x",
                              support_started_on=datetime.date(2025, 4, 10))
    dementia.close_case(case=case, user=world.care_manager, closed_on=datetime.date(2025, 8, 1), outcome=CaseOutcome.BOTH,
                        case_study=True)
    result = figures.annual_figures([2025], musashino())
    assert [_value(result, 2025, k) for k in ("dementia_team.referred", "dementia_team.to_medical",
                                              "dementia_team.to_care", "dementia_team.case_study")] == [1, 1, 1, 1]


@pytest.mark.parametrize("years", [[2024], [2019, 2020, 2021, 2022, 2023]])
def test_figures_take_five_queries_whatever_the_years(years, django_assert_num_queries, db):
    city = musashino()
    with django_assert_num_queries(5):
        figures.annual_figures(years, city)


def test_six_cities_take_the_same_five_queries(django_assert_num_queries, db):
    from renkei.core.access import area_municipalities

    ids = [c.pk for c in area_municipalities()]
    with django_assert_num_queries(5):
        assert set(figures.city_figures([2024, 2025], ids)) == set(ids)


def test_sheets_and_cases_count_for_the_city_where_the_patient_lives(world):
    from renkei.core.models import Municipality
    from tests.network.factories import PatientFactory

    mitaka = Municipality.objects.get(code="13204")
    resident = PatientFactory(municipality=mitaka)
    Sheet.objects.filter(pk=SheetFactory(patient=resident, author=world.care_manager).pk).update(sent_at=_at(2025, 6, 1))
    Sheet.objects.filter(pk=SheetFactory(patient=world.patient, author=world.care_manager).pk).update(sent_at=_at(2025, 6, 1))
    Sheet.objects.filter(pk=SheetFactory(patient=world.patient, author=world.care_manager).pk).update(sent_at=_at(2025, 7, 1))
    DementiaCase.objects.create(patient=resident, created_by=world.care_manager, referred_on=datetime.date(2025, 4, 10),
                                referral_source="family", referral_reason="x")
    by_city = figures.city_figures([2025], [musashino().pk, mitaka.pk])
    assert [_value(by_city[c], 2025, "sheets.sent.admission") for c in (musashino().pk, mitaka.pk)] == [2, 1]
    assert [_value(by_city[c], 2025, "dementia_team.referred") for c in (musashino().pk, mitaka.pk)] == [0, 1]


def test_receipts_are_counted_per_delivery(world):
    from tests.sheets.factories import hospital, liaison_for

    second = hospital()
    second_liaison = liaison_for(second)
    sheet = SheetFactory(patient=world.patient, author=world.care_manager)
    services.send(sheet=sheet, user=world.care_manager, facility=world.hospital)
    services.send(sheet=sheet, user=world.care_manager, facility=second)
    services.confirm_receipt(sheet=sheet, user=world.liaison)
    services.confirm_receipt(sheet=sheet, user=second_liaison)
    fy = fiscal_year(timezone.localdate())
    result = figures.annual_figures([fy], musashino())
    assert (_value(result, fy, "sheets.received"), _value(result, fy, "sheets.sent.admission")) == (2, 1)
