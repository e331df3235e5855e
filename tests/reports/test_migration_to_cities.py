"""The data migrations move the report's rows and the records kept before cities were separated to the home
city (13203 武蔵野市): Musashino's R1–R3 report of 資料2 is reproduced after them, and Mitaka's holds nothing."""
import datetime

import pytest

from renkei.reports import demo
from renkei.reports.selectors import build_report
from tests.migrating import migrate_to, migrate_to_latest

from .helpers import MITAKA, city

BEFORE = [("records", "0002_file_sha256"), ("reports", "0001_initial")]




@pytest.mark.django_db(transaction=True)
def test_rows_kept_before_the_cities_reproduce_musashino_s_r1_r3_after_the_migration():
    old = migrate_to(BEFORE)
    HistoricalFigure = old.get_model("reports", "HistoricalFigure")
    ReportLine = old.get_model("reports", "ReportLine")
    Consultation = old.get_model("records", "Consultation")
    for fy, item, key, label, value, unit in demo.FIGURES:
        HistoricalFigure.objects.create(fiscal_year=fy, item=item, key=key, label=label, value=value, unit=unit,
                                        source=demo.SOURCE)
    for (fy, item), texts in demo.LINES.items():
        for order, text in enumerate(texts, start=1):
            ReportLine.objects.create(fiscal_year=fy, item=item, order=order, text=text, approved=True)
    Consultation.objects.create(received_on=datetime.date(2021, 6, 1), channel="phone",
                                asker_profession="care_manager", category="ict", summary="移行前の相談")
    try:
        migrate_to_latest()
        musashino = build_report(2019, 2021, city())
        mitaka = build_report(2019, 2021, city(MITAKA))
        lines = {fy: musashino.cells[(fy, "o")].activities for fy in (2019, 2020)}
        assert lines == {
            2019: ["相談実績 203件", "医師会の窓口として(ア)～(ク)8事業へ参加、各部会への参加"],
            2020: ["相談実績 276件", "医師会の窓口として(ア)～(ク)8事業へ参加、各部会への参加"],
        }
        assert [musashino.figure(fy, "network.registered_members").value for fy in (2019, 2020, 2021)] == [605, 637, 659]
        # FY2021 has a record now (moved to Musashino), which wins over the historical figure as before
        assert musashino.figure(2021, "records.consultations").value == 1
        assert all(not cell.activities and not cell.figures for cell in mitaka.cells.values())
    finally:
        migrate_to_latest()
