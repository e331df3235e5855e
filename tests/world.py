"""The care side of the one test world (the `world` fixture of tests/conftest.py).

A Musashino patient with consent whose care team is a physician (the team's manager), a visiting nurse of
a nursing station and a care manager of a care-management office; a hospital with a liaison office on no
team, and a hospital without one; a stranger, a pharmacist who manages another patient's team and is on no
team of the first."""
from renkei.core.models import Affiliation, FacilityKind, Profession
from renkei.network.models import TeamRole
from tests.factories import FacilityFactory, UserFactory
from tests.network.factories import CareTeamMemberFactory, ConsentFactory, PatientFactory


class World:
    """Names every test module uses for the same people and places."""


def affiliated(user, facility):
    Affiliation.objects.create(user=user, facility=facility)
    return user


def build():
    w = World()
    w.station = FacilityFactory(name="（架空）さくら訪問看護", kind=FacilityKind.VISITING_NURSING)
    w.office = FacilityFactory(name="（架空）けやき居宅", kind=FacilityKind.CARE_MANAGEMENT)
    w.hospital = FacilityFactory(name="（架空）テスト中央病院", kind=FacilityKind.HOSPITAL)
    w.bare_hospital = FacilityFactory(name="（架空）連携室のない病院", kind=FacilityKind.HOSPITAL)

    w.physician = UserFactory(username="physician", name="往診 一郎", profession=Profession.PHYSICIAN)
    w.nurse = affiliated(UserFactory(username="nurse", name="訪看 さくら", profession=Profession.NURSE), w.station)
    w.care_manager = affiliated(UserFactory(username="care_manager", name="居宅 けやき",
                                            profession=Profession.CARE_MANAGER), w.office)
    w.liaison = affiliated(UserFactory(username="liaison", name="連携 室子", profession=Profession.HOSPITAL_LIAISON),
                           w.hospital)
    w.stranger = UserFactory(username="stranger", name="部外 薬太", profession=Profession.PHARMACIST)

    w.patient = PatientFactory(name="武蔵野 テスト花子", name_kana="むさしの てすとはなこ")
    w.physician_member = CareTeamMemberFactory(patient=w.patient, user=w.physician, role=TeamRole.PHYSICIAN,
                                               is_manager=True)
    w.nurse_member = CareTeamMemberFactory(patient=w.patient, user=w.nurse, role=TeamRole.VISITING_NURSE)
    w.care_manager_member = CareTeamMemberFactory(patient=w.patient, user=w.care_manager, role=TeamRole.CARE_MANAGER)
    w.consent = ConsentFactory(patient=w.patient, obtained_by=w.physician)

    w.other_patient = PatientFactory(name="三鷹 架空次郎", name_kana="みたか かくうじろう")
    w.other_member = CareTeamMemberFactory(patient=w.other_patient, user=w.stranger, is_manager=True)
    ConsentFactory(patient=w.other_patient, obtained_by=w.stranger)
    return w
