"""The network's small world: a patient with consent, a doctor (manager) and a nurse on its team,
an outsider on no team, and a second patient on another team."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from renkei.core.models import Profession
from renkei.network.models import TeamRole
from tests.factories import UserFactory
from tests.network.factories import CareTeamMemberFactory, ConsentFactory, PatientFactory


@pytest.fixture
def world(db):
    class World:
        pass

    w = World()
    w.patient = PatientFactory(name="武蔵野 テスト花子", name_kana="むさしの てすとはなこ")
    w.doctor = UserFactory(username="doc", name="往診 一郎", profession=Profession.PHYSICIAN)
    w.nurse = UserFactory(username="nurse1", name="訪看 さくら", profession=Profession.NURSE)
    w.outsider = UserFactory(username="outsider1", name="部外 薬太", profession=Profession.PHARMACIST)
    w.doctor_member = CareTeamMemberFactory(patient=w.patient, user=w.doctor, role=TeamRole.PHYSICIAN, is_manager=True)
    w.nurse_member = CareTeamMemberFactory(patient=w.patient, user=w.nurse, role=TeamRole.VISITING_NURSE)
    w.consent = ConsentFactory(patient=w.patient, obtained_by=w.doctor)
    w.other_patient = PatientFactory(name="三鷹 架空次郎", name_kana="みたか かくうじろう")
    w.other_member = CareTeamMemberFactory(patient=w.other_patient, user=w.outsider, is_manager=True)
    ConsentFactory(patient=w.other_patient, obtained_by=w.outsider)
    return w


def image_bytes(fmt="PNG", size=(64, 48), exif=None):
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, (200, 120, 40)).save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def png():
    return upload("photo.png", image_bytes(), "image/png")


def queries_of(fn):
    """How many SQL queries one call makes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx)
