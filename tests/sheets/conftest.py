"""The sheets' small world: a patient whose team has a care manager, a physician and a visiting nurse;
a hospital with a liaison office that is on no team; an outsider; another team's patient."""
import datetime
import secrets

import pytest
from django.utils import timezone

from renkei.core.models import ApiToken, FacilityKind, Profession
from renkei.network.models import TeamRole
from tests.factories import FacilityFactory, UserFactory
from tests.network.factories import CareTeamMemberFactory, ConsentFactory, PatientFactory
from tests.sheets.factories import hospital, liaison_for, member


@pytest.fixture
def world(db):
    class World:
        pass

    w = World()
    w.patient = PatientFactory(name="武蔵野 テスト花子", name_kana="むさしの てすとはなこ")
    ConsentFactory(patient=w.patient)
    w.office = FacilityFactory(name="（架空）けやき居宅", kind=FacilityKind.CARE_MANAGEMENT)
    w.station = FacilityFactory(name="（架空）さくら訪問看護", kind=FacilityKind.VISITING_NURSING)
    w.cm = member(w.patient, facility=w.office)
    w.doctor = member(w.patient, profession=Profession.PHYSICIAN, role=TeamRole.PHYSICIAN)
    w.nurse = member(w.patient, profession=Profession.NURSE, role=TeamRole.VISITING_NURSE, facility=w.station)
    w.hospital = hospital(name="（架空）テスト中央病院")
    w.liaison = liaison_for(w.hospital)
    w.bare_hospital = hospital(name="（架空）連携室のない病院")
    w.outsider = UserFactory(profession=Profession.PHARMACIST)
    w.other_patient = PatientFactory(name="三鷹 架空次郎")
    CareTeamMemberFactory(patient=w.other_patient, user=w.outsider)
    return w


@pytest.fixture
def bearer():
    """bearer(user) -> the Authorization header value of a fresh API token."""

    def _bearer(user):
        key = secrets.token_urlsafe(32)
        ApiToken.objects.create(user=user, key_hash=ApiToken.hash_key(key), prefix=key[:8],
                                expires_at=timezone.now() + datetime.timedelta(hours=1))
        return f"Bearer {key}"

    return _bearer


@pytest.fixture
def audit_queries():
    """Queries one audit row costs: one round trip on PostgreSQL, the chain read and the INSERT elsewhere."""
    from django.db import connection

    return 1 if connection.vendor == "postgresql" else 2
