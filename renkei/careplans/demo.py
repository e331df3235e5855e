"""Demo data of care plans (RENKEI_DEMO=1, after the network demo): the first demo patient's plan, read from
the shipped sample CSV files (renkei/careplans/data/demo, Shift_JIS) through the real import path.

The demo care-management office and nursing station get fictional 介護保険事業所番号 (137999990x), so the
nurse's rows of the plan are marked as hers. Idempotent: a patient who has a plan is left alone.
"""
from pathlib import Path

from django.conf import settings

from renkei.core.models import Facility, User
from renkei.network.models import Patient

from . import services
from .models import CarePlan

DATA = Path(__file__).resolve().parent / "data" / "demo"
PATIENT_NAME = "武蔵野 テスト花子"
CARE_MANAGER = "caremanager"
# demo facility name: the fictional 事業所番号 the sample files use for it
OFFICE_NUMBERS = {"（架空）けやき居宅介護支援事業所": "1379999901", "（架空）さくら訪問看護ステーション": "1379999902"}


def sample_files() -> list[Path]:
    """The shipped files, in the standard's layouts and under its names (UPHOSOKU_…, UP1KYO_… .CSV)."""
    return sorted(p for p in DATA.iterdir() if p.suffix.lower() == ".csv")


def load(stdout=None):
    """Import the sample plan for the first demo patient, unless she has one."""
    if not settings.DEMO:
        raise RuntimeError("Demo data is only loaded with RENKEI_DEMO=1.")
    for name, number in OFFICE_NUMBERS.items():
        if not Facility.objects.filter(official_id=number).exists():
            Facility.objects.filter(name=name, official_id="").update(official_id=number)
    patient = Patient.objects.get(name=PATIENT_NAME, is_fictional=True)
    if CarePlan.objects.filter(patient=patient).exists():
        return
    uploads = [services.Upload(name=path.name, content=path.read_bytes()) for path in sample_files()]
    plan = services.import_plan(user=User.objects.get(username=CARE_MANAGER), patient=patient, uploads=uploads)
    if stdout:
        stdout.write(f"careplans: {patient.name} さんのケアプラン第{plan.version}版を {len(uploads)} ファイルから取り込みました")
