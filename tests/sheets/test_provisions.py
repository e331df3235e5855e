"""unified_form_provisions: the rows the linkage-fee program counts from the nurses' unified forms."""
import datetime

import pytest

from renkei.core.errors import AppError
from renkei.sheets import services
from renkei.sheets.selectors import unified_form_provisions
from tests.sheets.factories import nursing_info_content

pytestmark = pytest.mark.django_db


def _form(world, **content):
    sheet = services.create_sheet(patient=world.patient, author=world.nurse, kind="nursing_info",
                                  content=nursing_info_content(**content))
    return services.finalise(sheet=sheet, user=world.nurse)


def _send_corrected(world, first, **content):
    """Send `first` to the care manager, then its correction with these contents changed."""
    services.send(sheet=first, user=world.nurse, addressees=[world.care_manager])
    revised = services.revise(sheet=first, user=world.nurse)
    services.update_draft(sheet=revised, user=world.nurse, content=nursing_info_content(**content))
    services.send(sheet=services.finalise(sheet=revised, user=world.nurse), user=world.nurse, addressees=[world.care_manager])


def test_a_sent_form_gives_a_row_with_the_24_hour_flag(world):
    services.send(sheet=_form(world), user=world.nurse, addressees=[world.care_manager])
    assert unified_form_provisions(world.station, "2025-04") == [{
        "patient": world.patient, "patient_id": world.patient.pk, "provided_on": datetime.date(2025, 4, 25),
        "twenty_four_hour": True, "sheet_id": world.patient.sheets.get().pk}]


def test_a_form_never_sent_gives_no_row(world):
    _form(world)
    assert unified_form_provisions(world.station, "2025-04") == []


def test_another_month_gives_no_row(world):
    services.send(sheet=_form(world), user=world.nurse, addressees=[world.care_manager])
    assert unified_form_provisions(world.station, datetime.date(2025, 5, 1)) == []


def test_a_corrected_form_counts_once_with_its_correction(world):
    _send_corrected(world, _form(world, twenty_four_hour=False), twenty_four_hour=True)
    rows = unified_form_provisions(world.station, "2025-04")
    assert len(rows) == 1 and rows[0]["twenty_four_hour"] is True


def test_the_month_must_contain_the_provision_date(world):
    with pytest.raises(AppError, match="対象月の中にありません"):
        _form(world, provided_on="2025-05-01")


def test_a_second_unified_form_for_the_same_month_is_refused(world):
    _form(world)
    with pytest.raises(AppError, match="既にあります"):
        _form(world)


def test_a_form_for_the_next_month_is_a_new_sheet(world):
    _form(world)
    assert _form(world, month="2025-05", provided_on="2025-05-20").content["month"] == "2025-05"


def test_sending_a_unified_form_puts_it_in_the_stations_linkage_fee_claim(world):
    from renkei.programs.models import LinkageFeeProvision

    services.send(sheet=_form(world), user=world.nurse, addressees=[world.care_manager])
    provision = LinkageFeeProvision.objects.get()
    assert (provision.claim.station, provision.provided_on, provision.twenty_four_hour) == (
        world.station, datetime.date(2025, 4, 25), True)


def test_a_sent_correction_updates_the_claims_provision_instead_of_adding_one(world):
    from renkei.programs.models import LinkageFeeProvision

    _send_corrected(world, _form(world, twenty_four_hour=True), twenty_four_hour=False)
    assert list(LinkageFeeProvision.objects.values_list("twenty_four_hour", flat=True)) == [False]


def test_other_kinds_are_not_linkage_fee_provisions(world):
    from renkei.programs.models import LinkageFeeProvision
    from tests.sheets.factories import SheetFactory

    services.send(sheet=SheetFactory(patient=world.patient, author=world.nurse), user=world.nurse,
                  addressees=[world.care_manager])
    assert not LinkageFeeProvision.objects.exists()
