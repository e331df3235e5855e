"""The medication list carried into the hospital-crossing sheets (renkei/sheets/prefill.py): a new admission or
discharge sheet's お薬 item (`medicines`, one medication a line, read by the FHIR export as MedicationStatements)
starts from the current medications read from the お薬手帳, unless a sheet finalised later says otherwise."""
import datetime

import pytest
from django.utils import timezone

from renkei.medication import selectors, services
from renkei.sheets import services as sheets
from renkei.sheets.models import SheetKind
from renkei.sheets.schemas import CONTENT_FORMS
from tests.medication import samples
from tests.sheets.factories import SheetFactory, admission_content, discharge_content

pytestmark = pytest.mark.django_db

MANY_LINES = ["ドネペジル塩酸塩錠5mg　1錠　1日1回朝食後　28日分", "ブロチゾラム錠0.25mg　1錠　1日1回就寝前　28日分",
              "ヒルドイドソフト軟膏0.3%　25g　1日2回 乾燥部に塗布　1調剤",
              "エルデカルシトールカプセル0.75μg　1カプセル　1日1回朝食後　56日分"]


def read(world, text):
    services.import_jahis(user=world.nurse, patient=world.patient, texts=[text])


def test_a_new_admission_sheet_lists_the_current_medications_one_a_line(world):
    read(world, samples.many())
    content = sheets.prefill(patient=world.patient, kind=SheetKind.ADMISSION, author=world.care_manager)
    assert content["medicines"].split("\n") == MANY_LINES
    assert content["pharmacy"] == "（架空）けやき薬局"


def test_the_prefilled_item_passes_the_sheets_own_validation(world):
    read(world, samples.many())
    content = sheets.prefill(patient=world.patient, kind=SheetKind.ADMISSION, author=world.care_manager)
    form = CONTENT_FORMS[SheetKind.ADMISSION](data=content | admission_content(medicines=content["medicines"]))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["medicines"].split("\n") == MANY_LINES


def test_a_new_discharge_sheet_starts_from_the_medications_before_the_stay(world):
    read(world, samples.single())
    content = sheets.prefill(patient=world.patient, kind=SheetKind.DISCHARGE, author=world.nurse)
    assert content["medicines"].startswith("アムロジピン錠5mg「サワイ」　1錠　1日1回朝食後　28日分\n")


def test_a_discharge_sheet_finalised_after_the_last_dispensing_keeps_its_prescription(world):
    read(world, samples.single(20))
    SheetFactory(patient=world.patient, kind=SheetKind.DISCHARGE, author=world.nurse,
                 content=discharge_content(medicines="退院時処方: ワーファリン錠1mg"),
                 finalised_at=timezone.now() - datetime.timedelta(days=2))
    content = sheets.prefill(patient=world.patient, kind=SheetKind.ADMISSION, author=world.care_manager)
    assert content["medicines"] == "退院時処方: ワーファリン錠1mg"


def test_a_dispensing_after_the_discharge_sheet_replaces_its_prescription(world):
    SheetFactory(patient=world.patient, kind=SheetKind.DISCHARGE, author=world.nurse,
                 content=discharge_content(medicines="退院時処方: ワーファリン錠1mg"),
                 finalised_at=timezone.now() - datetime.timedelta(days=30))
    read(world, samples.single(3))
    content = sheets.prefill(patient=world.patient, kind=SheetKind.ADMISSION, author=world.care_manager)
    assert "ワーファリン" not in content["medicines"] and "アムロジピン" in content["medicines"]


def test_medications_that_ran_out_are_not_carried(world):
    read(world, samples.single(200))
    content = sheets.prefill(patient=world.patient, kind=SheetKind.ADMISSION, author=world.care_manager)
    assert content.get("medicines", "") == ""


def test_an_author_off_the_team_carries_nothing(world):
    read(world, samples.single())
    content = sheets.prefill(patient=world.patient, kind=SheetKind.DISCHARGE, author=world.liaison)
    assert "medicines" not in content


def test_current_medications_follow_the_access_rule(world):
    read(world, samples.single())
    assert len(selectors.current_medications(world.care_manager, world.patient)) == 3
    assert selectors.current_medications(world.stranger, world.patient) == []


def test_the_sheet_text_stops_at_the_items_length(world):
    read(world, samples.many())
    text = selectors.sheet_text(selectors.current_medications(world.nurse, world.patient), limit=60)
    assert text.split("\n") == MANY_LINES[:2]
