"""The annual report page, its exports, the JSON endpoint: ranges, sources, historical figures, speed."""
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from renkei.core.figures import Figure
from renkei.reports import sources
from renkei.reports.models import HistoricalFigure, ReportLine
from renkei.reports.selectors import build_report
from tests.factories import UserFactory, api_key

from .helpers import city, consultation, coordinator_of, council, event, meeting, staff_of

pytestmark = pytest.mark.django_db


def api(client, user, **params):
    return client.get("/api/v1/reports/annual", params, HTTP_AUTHORIZATION=f"Bearer {api_key(user)}")


def test_a_reversed_range_is_a_japanese_400_on_the_page(staff_client):
    r = staff_client.get(reverse("reports:annual"), {"from_fy": 2021, "to_fy": 2019})
    assert r.status_code == 400 and "範囲が逆" in r.content.decode()


def test_more_than_ten_years_is_a_japanese_400_on_the_page(staff_client):
    r = staff_client.get(reverse("reports:annual"), {"from_fy": 2010, "to_fy": 2021})
    assert r.status_code == 400 and "10年度分まで" in r.content.decode()


def test_a_non_numeric_year_is_400_not_500(staff_client):
    assert staff_client.get(reverse("reports:annual"), {"from_fy": "令和", "to_fy": 2021}).status_code == 400


def test_the_page_reads_a_range_typed_in_wareki(staff_client):
    r = staff_client.get(reverse("reports:annual"), {"from_fy": "令和3年度", "to_fy": "令和５年度"})
    assert r.status_code == 200 and r.context["report"].fiscal_years == [2021, 2022, 2023]


def test_a_year_that_is_no_fiscal_year_is_told_in_the_one_wording(staff_client):
    r = staff_client.get(reverse("reports:annual"), {"from_fy": "来年度", "to_fy": 2021})
    assert "開始年度は西暦（例：2021）または和暦（例：令和3年度）で入力してください。" in r.content.decode()


def test_the_api_keeps_western_years(client):
    assert api(client, staff_of(), from_fy="令和3年度", to_fy=2021).status_code == 422


def test_the_excel_export_refuses_a_reversed_range(staff_client):
    assert staff_client.get(reverse("reports:annual_xlsx"), {"from_fy": 2021, "to_fy": 2019}).status_code == 400


def test_the_api_refuses_a_reversed_range_with_json(client):
    r = api(client, staff_of(), from_fy=2021, to_fy=2019)
    assert r.status_code == 400 and "範囲が逆" in r.json()["detail"]


def test_the_api_refuses_eleven_years(client):
    assert api(client, staff_of(), from_fy=2010, to_fy=2020).status_code == 400


def test_the_api_without_years_is_422(client):
    assert api(client, staff_of()).status_code == 422


def test_a_professional_cannot_read_the_report_api(client):
    assert api(client, UserFactory(), from_fy=2021, to_fy=2021).status_code == 403


def test_a_coordinator_can_read_the_report_api(client):
    assert api(client, coordinator_of(), from_fy=2021, to_fy=2021).status_code == 200


def test_a_coordinator_cannot_open_the_report_page(client, login):
    login(coordinator_of())
    assert client.get(reverse("reports:annual")).status_code == 403


def test_the_api_lists_all_eight_items_per_year(client):
    body = api(client, staff_of(), from_fy=2020, to_fy=2021).json()
    assert [len(y["items"]) for y in body["years"]] == [8, 8]
    assert [i["item"] for i in body["years"][0]["items"]] == ["a", "i", "u", "e", "o", "ka", "ki", "ku"]


def test_a_historical_figure_is_used_where_no_records_exist():
    HistoricalFigure.objects.create(municipality=city(), fiscal_year=2021, item="o", key="records.consultations", label="相談実績", value=170, source="資料2")
    assert build_report(2021, 2021, city()).figure(2021, "records.consultations").value == 170


def test_records_win_over_the_historical_figure_of_the_same_year():
    HistoricalFigure.objects.create(municipality=city(), fiscal_year=2021, item="o", key="records.consultations", label="相談実績", value=170, source="資料2")
    consultation(received_on=datetime.date(2021, 6, 1))
    figure = build_report(2021, 2021, city()).figure(2021, "records.consultations")
    assert (figure.value, figure.source) == (1, "記録から集計")


def test_an_event_record_replaces_the_historical_trainings_of_that_year():
    HistoricalFigure.objects.create(municipality=city(), fiscal_year=2021, item="ka", key="records.training:old", label="旧研修", value=50, unit="名", source="資料2")
    event(starts_on=datetime.date(2021, 9, 1), participants=12)
    report = build_report(2021, 2021, city())
    assert report.figure(2021, "records.training:old") is None


def test_an_unapproved_line_is_not_in_the_report():
    ReportLine.objects.create(municipality=city(), fiscal_year=2021, item="a", text="下書き", approved=False)
    assert "下書き" not in build_report(2021, 2021, city()).cells[(2021, "a")].activities


def test_a_line_with_a_missing_figure_says_so():
    ReportLine.objects.create(municipality=city(), fiscal_year=2021, item="o", text="相談実績 {records.consultations}件", approved=True)
    assert build_report(2021, 2021, city()).cells[(2021, "o")].activities == ["相談実績 （記録なし）件"]


def test_a_missing_part_is_skipped(settings):
    settings.RENKEI_REPORT_FIGURE_SOURCES = ["renkei.nonexistent_part.figures.annual_figures", "renkei.records.figures.annual_figures"]
    consultation(received_on=datetime.date(2021, 6, 1))
    assert build_report(2021, 2021, city()).figure(2021, "records.consultations").value == 1


def test_an_error_inside_a_present_part_is_not_hidden(monkeypatch, tmp_path):
    (tmp_path / "renkei_broken_part_figures.py").write_text("import renkei_dependency_that_is_missing\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError):
        sources._load("renkei_broken_part_figures.annual_figures")


def test_figures_of_another_part_appear_in_their_item(settings, monkeypatch):
    import sys
    import types

    module = types.ModuleType("renkei_test_part_figures")
    module.annual_figures = lambda years, municipality: [Figure(fy, "u", "sheets.admission_sheets", "入院時情報連携シート", 12) for fy in years]
    monkeypatch.setitem(sys.modules, "renkei_test_part_figures", module)
    settings.RENKEI_REPORT_FIGURE_SOURCES = ["renkei_test_part_figures.annual_figures"]
    assert "入院時情報連携シート 12件" in build_report(2025, 2025, city()).cells[(2025, "u")].activities


def test_five_years_take_a_fixed_number_of_queries(django_assert_num_queries):
    def count_queries(rows):
        body = council()
        for i in range(rows):
            day = datetime.date(2021 + i % 5, 5 + i % 6, 1)
            consultation(received_on=day)
            meeting(body, held_on=day)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            build_report(2021, 2025, city())
        return len(ctx)

    # Every part adds its own few aggregate queries; none may grow with the records.
    assert count_queries(3) == count_queries(30) <= 40


def test_the_page_uses_a_fixed_number_of_queries(staff_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count_queries(rows):
        for i in range(rows):
            consultation(received_on=datetime.date(2021 + i % 5, 6, 1))
        with CaptureQueriesContext(connection) as ctx:
            staff_client.get(reverse("reports:annual"), {"from_fy": 2021, "to_fy": 2025})
        return len(ctx)

    assert count_queries(2) == count_queries(20) <= 50


def test_the_excel_sheet_prints_on_a3_landscape(staff_client):
    r = staff_client.get(reverse("reports:annual_xlsx"), {"from_fy": 2019, "to_fy": 2021})
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A3) and sheet.page_setup.orientation == "landscape"
    assert [sheet.cell(row=r, column=1).value for r in range(4, 12)] == ["(ア)", "(イ)", "(ウ)", "(エ)", "(オ)", "(カ)", "(キ)", "(ク)"]


def test_the_pdf_is_a3_landscape_with_japanese_fonts(staff_client):
    r = staff_client.get(reverse("reports:annual_pdf"), {"from_fy": 2019, "to_fy": 2021})
    assert r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert b"HeiseiKakuGo-W5" in r.content and b"HeiseiMin-W3" in r.content
    assert b"/MediaBox [ 0 0 1190.551 841.8898 ]" in r.content


def test_exports_are_audited(staff_client):
    from renkei.core.models import AuditEvent

    staff_client.get(reverse("reports:annual_xlsx"), {"from_fy": 2019, "to_fy": 2021})
    assert AuditEvent.objects.filter(action="export", object_type="reports.annual").exists()
