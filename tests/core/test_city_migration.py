"""Existing data moves to the home city when cities are separated: nothing is lost, staff act for it."""
import datetime

import pytest

from tests.migrating import migrate_to, migrate_to_latest

BEFORE = [("core", "0004_idempotency_key"), ("records", "0002_file_sha256"), ("programs", "0002_file_sha256"),
          ("reports", "0001_initial")]
AFTER = [("core", "0005_user_acts_for"), ("records", "0004_municipality_required"),
         ("programs", "0004_municipality_required"), ("reports", "0003_municipality_required")]




@pytest.mark.django_db(transaction=True)
def test_records_programs_reports_and_staff_move_to_the_home_city():
    old = migrate_to(BEFORE)
    try:
        User = old.get_model("core", "User")
        staff = User.objects.create(username="old-staff", is_municipal_staff=True)
        nurse = User.objects.create(username="old-nurse")
        old.get_model("records", "Consultation").objects.create(
            received_on=datetime.date(2021, 5, 1), channel="phone", asker_profession="care_manager",
            category="medical", summary="移行前の相談")
        old.get_model("records", "Body").objects.create(kind="council", name="協議会")
        old.get_model("programs", "EndingNoteDownload").objects.create(day=datetime.date(2021, 5, 1), count=3)
        old.get_model("reports", "HistoricalFigure").objects.create(
            fiscal_year=2019, item="o", key="records.consultations", label="相談件数", value=42, source="資料2")

        new = migrate_to(AFTER)
        home = new.get_model("core", "Municipality").objects.get(code="13203")
        assert list(new.get_model("core", "User").objects.get(pk=staff.pk).acts_for.all()) == [home]
        assert not new.get_model("core", "User").objects.get(pk=nurse.pk).acts_for.exists()
        for app, model in (("records", "Consultation"), ("records", "Body"), ("programs", "EndingNoteDownload"),
                           ("reports", "HistoricalFigure")):
            rows = new.get_model(app, model).objects.all()
            assert rows.count() == 1 and rows.get().municipality_id == home.pk, model
        assert new.get_model("reports", "HistoricalFigure").objects.get().value == 42
    finally:
        migrate_to_latest()
