"""An account that is no longer approved loses the sheets at once, even while its team row is still ACTIVE.

The sheets use the one access rule (renkei.core.access): approved, active account and ACTIVE member.
"""
import datetime

import pytest
from django.utils import timezone

from renkei.core.errors import AppError
from renkei.core.models import RegistrationStatus
from renkei.sheets import backbed, dementia, selectors, services
from tests.sheets.factories import BackBedHospitalFactory

pytestmark = pytest.mark.django_db
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


@pytest.fixture(params=[RegistrationStatus.WITHDRAWN, RegistrationStatus.PENDING])
def lapsed(request):
    """Turn a user's registration to withdrawn or pending, leaving the care-team row ACTIVE."""

    def _lapse(user):
        user.registration_status = request.param
        user.save(update_fields=["registration_status"])
        return user

    return _lapse


def test_a_lapsed_member_is_no_team_member_for_the_sheets(world, lapsed):
    assert not selectors.is_team_member(lapsed(world.nurse), world.patient)


def test_a_lapsed_member_cannot_create_a_sheet(world, lapsed):
    with pytest.raises(AppError):
        services.create_sheet(patient=world.patient, author=lapsed(world.care_manager), kind="admission", content={})


def test_a_lapsed_physician_cannot_request_a_back_bed(world, lapsed):
    beds = BackBedHospitalFactory(facility=world.hospital)
    with pytest.raises(AppError, match="医師"):
        backbed.request_admission(patient=world.patient, user=lapsed(world.physician), hospital=beds,
                                  reason="respite", detail="介護者の入院のため", desired_on=TOMORROW)


def test_a_lapsed_member_cannot_open_a_dementia_case(world, lapsed):
    with pytest.raises(AppError):
        dementia.open_case(patient=world.patient, user=lapsed(world.care_manager), referred_on=timezone.localdate(),
                           referral_source="family", referral_reason="物忘れ")


def test_a_lapsed_liaison_is_no_liaison_office(world, lapsed):
    assert not selectors.is_liaison_of(lapsed(world.liaison), world.hospital.pk)
