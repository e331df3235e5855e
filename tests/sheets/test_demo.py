"""The sheets demo: a finalised sheet of each kind, routes complete, a back-bed use, dementia cases; idempotent."""
import pytest
from django.core.management import call_command

from renkei.core.models import Profession, User
from renkei.network.models import TeamRole
from renkei.sheets import demo, services
from renkei.sheets.models import BackBedRequest, DementiaCase, Sheet, SheetKind, SheetStatus
from tests.network.factories import CareTeamMemberFactory, PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(settings):
    settings.DEMO = True
    call_command("load_demo")
    if not Sheet.objects.exists():  # the network demo is not there yet: give the demo accounts a patient
        patient = PatientFactory(name="（架空）連携 花子")
        for username, role in [("doctor", TeamRole.PHYSICIAN), ("nurse", TeamRole.VISITING_NURSE),
                               ("caremanager", TeamRole.CARE_MANAGER)]:
            CareTeamMemberFactory(patient=patient, user=User.objects.get(username=username), role=role)
        demo.load()


def test_the_demo_has_a_finalised_sheet_of_each_kind(demo_world):
    kinds = set(Sheet.objects.filter(status=SheetStatus.FINALISED).values_list("kind", flat=True))
    assert kinds == set(SheetKind.values)


def test_the_demo_routes_are_complete(demo_world):
    for kind in (SheetKind.STROKE, SheetKind.DEMENTIA):
        assert services.next_stage(Sheet.objects.get(kind=kind)).complete


def test_the_demo_admission_sheet_was_received_by_the_liaison_account(demo_world):
    delivery = Sheet.objects.get(kind=SheetKind.ADMISSION).deliveries.get()
    assert delivery.received_by.username == "liaison"


def test_the_liaison_account_is_a_hospital_liaison_with_the_demo_totp(demo_world):
    liaison = User.objects.get(username="liaison")
    assert liaison.profession == Profession.HOSPITAL_LIAISON and liaison.totpdevice_set.get().key == "48656c6c6f21deadbeef"


def test_the_demo_has_a_back_bed_use_and_dementia_cases(demo_world):
    assert BackBedRequest.objects.filter(admitted_on__isnull=False).exists() and DementiaCase.objects.count() == 2


def test_loading_the_demo_twice_changes_nothing(demo_world):
    counts = (Sheet.objects.count(), BackBedRequest.objects.count(), DementiaCase.objects.count())
    demo.load()
    assert (Sheet.objects.count(), BackBedRequest.objects.count(), DementiaCase.objects.count()) == counts


def test_the_demo_discharge_sheet_logs_two_hearings_one_at_the_conference(demo_world):
    hearings = Sheet.objects.get(kind=SheetKind.DISCHARGE).content["hearings"]
    assert len(hearings) == 2 and [h["conference"] for h in hearings] == [True, False]


def test_the_demo_sheets_export_and_only_a_physicians_claim_jp_clins(demo_world):
    """The demo's hospital-crossing sheets are the care manager's: plain documents with a LOINC type; the same
    content written by a physician follows JP-CLINS (every rule of the guide)."""
    from fhir.resources.R4B.bundle import Bundle

    from renkei.core.models import Profession
    from renkei.sheets import clins
    from renkei.sheets.fhir import build_bundle

    exported = 0
    for sheet in Sheet.objects.filter(status=SheetStatus.FINALISED).select_related("author"):
        data = build_bundle(sheet, stages=list(sheet.stages.all()), deliveries=list(sheet.deliveries.all()))
        Bundle.model_validate(data)
        composition = data["entry"][0]["resource"]
        assert "category" not in composition and composition["type"]["coding"][0]["system"] == "http://loinc.org"
        if sheet.kind in (SheetKind.ADMISSION, SheetKind.DISCHARGE):
            sheet.author = type(sheet.author).objects.filter(profession=Profession.PHYSICIAN).first()
            assert clins.problems(build_bundle(sheet, stages=list(sheet.stages.all()),
                                               deliveries=list(sheet.deliveries.all()))) == [], sheet.kind
            exported += 1
    assert exported >= 2
