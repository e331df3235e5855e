"""The care-plan tests' world: the world's patient born on the sample plan's day, the nursing station with the
事業所番号 the samples name for it, and the sample files (tests/careplans/data) as uploads."""
import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renkei.careplans import services
from tests.factories import api_key

DATA = Path(__file__).resolve().parent / "data"
STATION_NUMBER = "1379999902"  # （架空）さくら訪問看護ステーション in the samples
OFFICE_NUMBER = "1379999901"  # the care manager's office in the samples
MONTH = "202611"


PLAN_HOSOKU, MONTH_HOSOKU = "H", "HM"  # 補足情報 of the plan (対象年月 000000) and of the month
# the standard's file names: 補足情報・第1表・第2表・第3表 of the plan, then 補足情報・第6表・第7表 of the month
PATTERNS = {PLAN_HOSOKU: "UPHOSOKU_000000_*.CSV", 1: "UP1KYO_*.CSV", 2: "UP2KYO_*.CSV", 3: "UP3KYO_*.CSV",
            MONTH_HOSOKU: f"UPHOSOKU_{MONTH}_*.CSV", 6: "UPPLAN_*.CSV", 7: "UPSIKYU_*.CSV"}
ALL = tuple(PATTERNS)


def sample_paths(encoding="sjis", tables=ALL):
    """The sample files of the given tables (sjis, utf8 or older), in the order given."""
    return [p for t in tables for p in sorted((DATA / encoding).glob(PATTERNS[t]))]


def uploads(encoding="sjis", tables=ALL):
    return [services.Upload(name=p.name, content=p.read_bytes()) for p in sample_paths(encoding, tables)]


def bad(name):
    path = DATA / "bad" / name
    return services.Upload(name=path.name, content=path.read_bytes())


def files(*items):
    """Uploads as the test client posts them."""
    return [SimpleUploadedFile(u.name, u.content, content_type="text/csv") for u in items]


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_key(user)}"}


@pytest.fixture
def plan_world(world):
    """The world, with the patient the samples describe and the nurse's station numbered as in them."""
    world.patient.birth_date = datetime.date(1937, 6, 14)
    world.patient.save(update_fields=["birth_date"])
    world.station.official_id = STATION_NUMBER
    world.station.save(update_fields=["official_id"])
    world.office.official_id = OFFICE_NUMBER
    world.office.save(update_fields=["official_id"])
    return world


@pytest.fixture
def imported(plan_world):
    """The seven sample files imported by the team's care manager."""
    return services.import_plan(user=plan_world.care_manager, patient=plan_world.patient, uploads=uploads())
