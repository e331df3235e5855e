"""The small world of the facility-administrator tests: a nursing station with its approved administrator,
two colleagues (one of whom leaves) and a patient each of them cares for; another station with its own
administrator and member."""
from pathlib import Path

from renkei.core.models import Affiliation, FacilityAdministrator, FacilityAdminStatus, Profession
from renkei.network.models import TeamRole
from tests.factories import FacilityFactory, UserFactory, staff_user
from tests.network.factories import CareTeamMemberFactory, ConsentFactory, PatientFactory

DATA = Path(__file__).parent / "data"
HEADER = "氏名,ふりがな,職種,メールアドレス,操作,後任メールアドレス\n"  # the staff CSV's header line


class FacilityWorld:
    """Names the facility tests share."""


def member(facility, **kwargs):
    user = UserFactory(**kwargs)
    Affiliation.objects.create(user=user, facility=facility)
    return user


def make_admin(user, facility, by=None):
    return FacilityAdministrator.objects.create(facility=facility, user=user, status=FacilityAdminStatus.APPROVED,
                                                nominated_by=user, decided_by=by)


def build():
    w = FacilityWorld()
    w.staff = staff_user(username="city_staff")
    w.station = FacilityFactory(name="（架空）ひまわり訪問看護")
    w.admin = member(w.station, username="station_admin", name="管理 ひまわり", email="admin@station.invalid")
    w.role = make_admin(w.admin, w.station, by=w.staff)
    w.leaver = member(w.station, username="leaver", name="退職 予定子", email="leaver@station.invalid")
    w.colleague = member(w.station, username="colleague", name="同僚 続子", email="colleague@station.invalid")
    w.patient = PatientFactory(name="（架空）在宅 太郎")
    w.manager = CareTeamMemberFactory(patient=w.patient, user=UserFactory(profession=Profession.PHYSICIAN),
                                      role=TeamRole.PHYSICIAN, is_manager=True)
    w.place = CareTeamMemberFactory(patient=w.patient, user=w.leaver, role=TeamRole.VISITING_NURSE)
    ConsentFactory(patient=w.patient, obtained_by=w.manager.user)

    w.other_station = FacilityFactory(name="（架空）あさがお訪問看護")
    w.other_admin = member(w.other_station, username="other_admin", email="admin@other.invalid")
    make_admin(w.other_admin, w.other_station)
    w.other_member = member(w.other_station, username="other_member", email="member@other.invalid")
    return w
