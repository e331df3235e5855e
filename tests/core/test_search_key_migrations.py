"""The data migrations recompute stored search keys with the one normalise, so stored and query keys agree."""
import importlib

import pytest
from django.apps import apps

from renkei.directory.models import FacilityProfile
from renkei.network.models import Patient
from tests.factories import FacilityFactory
from tests.network.factories import PatientFactory

pytestmark = pytest.mark.django_db


def migration(name):
    return importlib.import_module(name)


def test_the_network_migration_recomputes_patients_stale_search_keys():
    patient = PatientFactory(name="ジョン・スミス", name_kana="ｼﾞｮﾝ･ｽﾐｽ")
    Patient.objects.filter(pk=patient.pk).update(search_key="じょん・すみす|じょん・すみす")
    migration("renkei.network.migrations.0006_recompute_search_keys").recompute(apps, None)
    assert Patient.objects.get(pk=patient.pk).search_key == "じょんすみす|じょんすみす"


def test_the_directory_migration_recomputes_facilities_stale_search_keys():
    facility = FacilityFactory(name="（株）ひだまり①", name_kana="ﾋﾀﾞﾏﾘ", address="武蔵野市１－２")
    FacilityProfile.objects.filter(facility=facility).update(search_key="stale")
    migration("renkei.directory.migrations.0004_recompute_search_keys").recompute(apps, None)
    assert FacilityProfile.objects.get(facility=facility).search_key == "株ひだまり1ひだまり武蔵野市1-2"
