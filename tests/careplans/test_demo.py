"""The care-plan demo: the demo patient's plan read from the shipped sample CSV through the import; idempotent."""
import pytest
from django.core.management import call_command

from renkei.careplans import demo
from renkei.careplans.models import CarePlan
from renkei.network.models import Post
from tests.careplans.conftest import sample_paths

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(settings):
    settings.DEMO = True
    call_command("load_demo")


def test_the_demo_patient_has_a_plan_of_the_seven_files(demo_world):
    plan = CarePlan.objects.get(patient__name=demo.PATIENT_NAME)
    assert sorted(plan.tables.values_list("table", flat=True)) == [1, 2, 3, 6, 7, 9, 9]
    assert plan.imported_by.username == demo.CARE_MANAGER


def test_the_import_left_its_notice_on_the_timeline(demo_world):
    assert Post.objects.filter(patient__name=demo.PATIENT_NAME, body__startswith="ケアプラン（第1版").count() == 1


def test_loading_the_demo_again_changes_nothing(demo_world):
    call_command("load_demo")
    assert CarePlan.objects.count() == 1


def test_the_shipped_demo_files_are_the_test_samples():
    shipped = demo.sample_files()
    assert [p.read_bytes() for p in shipped] == [p.read_bytes() for p in sorted(sample_paths())]
