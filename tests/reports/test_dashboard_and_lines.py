"""The dashboard's SVG charts, the narrative lines and the historical figures pages."""
import datetime

import pytest
from django.urls import reverse

from renkei.reports.models import HistoricalFigure, ReportLine

from .helpers import city, consultation, coordinator_of, event

pytestmark = pytest.mark.django_db


def test_the_dashboard_draws_inline_svg_charts_three_by_year_and_five_of_adoption(staff_client):
    r = staff_client.get(reverse("reports:dashboard"), {"from_fy": 2024, "to_fy": 2025})
    html = r.content.decode()
    assert html.count("<svg") == 3 + 5 and "http" not in html.split("<svg", 1)[1].split("</svg>")[0].replace("http://www.w3.org/2000/svg", "")


def test_consultations_by_category_appear_in_the_chart(staff_client):
    consultation(received_on=datetime.date(2025, 6, 1), category="dementia")
    r = staff_client.get(reverse("reports:dashboard"), {"from_fy": 2025, "to_fy": 2025})
    assert "令和7年度 認知症: 1件" in r.content.decode()


@pytest.fixture
def member_figures(settings, monkeypatch):
    """A stand-in for core.member_figures: one care manager registered in every year asked."""
    import sys
    import types

    from renkei.core.figures import Figure

    module = types.ModuleType("renkei_test_member_figures")
    module.registered_member_figures = lambda years, municipality: [
        f for fy in years for f in (
            Figure(fy, "e", "network.registered_members", "ICT連携登録数", 1),
            Figure(fy, "e", "network.registered_members.care_manager", "ICT連携登録数（介護支援専門員）", 1),
            Figure(fy, "e", "network.registered_members.nurse", "ICT連携登録数（看護師（訪問看護））", 2),
        )
    ]
    monkeypatch.setitem(sys.modules, "renkei_test_member_figures", module)
    settings.RENKEI_REPORT_FIGURE_SOURCES = ["renkei_test_member_figures.registered_member_figures", "renkei.records.figures.annual_figures"]


def test_members_by_profession_appear_in_the_chart(staff_client, member_figures):
    r = staff_client.get(reverse("reports:dashboard"), {"from_fy": 2025, "to_fy": 2025})
    assert "介護支援専門員: 1人" in r.content.decode()


def test_a_breakdown_joins_its_totals_line_in_the_report(staff_client, member_figures):
    r = staff_client.get(reverse("reports:annual"), {"from_fy": 2025, "to_fy": 2025})
    assert r.context["report"].cells[(2025, "e")].activities == ["ICT連携登録数 1件（介護支援専門員 1、看護師（訪問看護） 2）"]


def test_participants_appear_in_the_chart(staff_client):
    event(starts_on=datetime.date(2025, 9, 1), participants=45)
    r = staff_client.get(reverse("reports:dashboard"), {"from_fy": 2025, "to_fy": 2025})
    assert "研修（カ）: 45名" in r.content.decode()


def test_a_year_before_the_system_shows_its_historical_total(staff_client):
    HistoricalFigure.objects.create(municipality=city(), fiscal_year=2020, item="o", key="records.consultations", label="相談実績", value=276, source="資料2")
    r = staff_client.get(reverse("reports:dashboard"), {"from_fy": 2020, "to_fy": 2020})
    assert "合計（過去の集計）: 276件" in r.content.decode()


def test_the_dashboard_refuses_a_reversed_range(staff_client):
    assert staff_client.get(reverse("reports:dashboard"), {"from_fy": 2025, "to_fy": 2020}).status_code == 400


def test_staff_write_a_line_that_waits_for_approval(staff_client, staff):
    staff_client.post(reverse("reports:lines", args=[2025]), {"item": "a", "text": "医療・介護マップの更新", "order": 1})
    line = ReportLine.objects.get()
    assert (line.fiscal_year, line.approved, line.written_by) == (2025, False, staff)


def test_staff_approve_a_line(staff_client, staff):
    line = ReportLine.objects.create(municipality=city(), fiscal_year=2025, item="a", text="行")
    staff_client.post(reverse("reports:line_action", args=[line.pk]), {"action": "approve"})
    line.refresh_from_db()
    assert line.approved and line.approved_by == staff


def test_staff_remove_a_line(staff_client):
    line = ReportLine.objects.create(municipality=city(), fiscal_year=2025, item="a", text="行")
    staff_client.post(reverse("reports:line_action", args=[line.pk]), {"action": "delete"})
    assert not ReportLine.objects.exists()


def test_a_coordinator_cannot_approve_lines(client, login):
    login(coordinator_of())
    line = ReportLine.objects.create(municipality=city(), fiscal_year=2025, item="a", text="行")
    assert client.post(reverse("reports:line_action", args=[line.pk]), {"action": "approve"}).status_code == 403


def test_staff_enter_a_historical_figure_with_its_source(staff_client):
    staff_client.post(reverse("reports:historical"), {
        "fiscal_year": 2018, "item": "o", "key": "records.consultations", "label": "相談実績", "value": 180,
        "unit": "件", "source": "平成30年度 事業報告",
    })
    assert HistoricalFigure.objects.get().source == "平成30年度 事業報告"


def test_the_same_year_and_key_cannot_be_entered_twice(staff_client):
    HistoricalFigure.objects.create(municipality=city(), fiscal_year=2018, item="o", key="records.consultations", label="相談実績", value=1, source="x")
    r = staff_client.post(reverse("reports:historical"), {
        "fiscal_year": 2018, "item": "o", "key": "records.consultations", "label": "相談実績", "value": 2,
        "unit": "件", "source": "y",
    })
    assert r.status_code == 400 and HistoricalFigure.objects.get().value == 1


def test_the_lines_page_lists_the_figures_a_line_can_cite(staff_client):
    consultation(received_on=datetime.date(2025, 6, 1))
    r = staff_client.get(reverse("reports:lines", args=[2025]))
    assert "相談実績（1件） <code>{records.consultations}</code>" in r.content.decode()


def test_the_figure_picker_offers_each_figure_by_its_japanese_label(staff_client):
    consultation(received_on=datetime.date(2025, 6, 1))
    html = staff_client.get(reverse("reports:lines", args=[2025])).content.decode()
    assert '<option value="records.consultations" data-item="o">相談実績（1件）</option>' in html


def test_the_figure_picker_offers_figures_not_yet_counted_this_year(staff_client):
    html = staff_client.get(reverse("reports:lines", args=[2025])).content.decode()
    assert '<option value="directory.confirmed" data-item="a">掲載情報の確認件数（年度内）（記録なし）</option>' in html


def test_a_line_is_listed_with_its_figure_filled_in(staff_client):
    consultation(received_on=datetime.date(2025, 6, 1))
    ReportLine.objects.create(municipality=city(), fiscal_year=2025, item="o", text="相談実績 {records.consultations}件")
    html = staff_client.get(reverse("reports:lines", args=[2025])).content.decode()
    assert "相談実績 1件" in html and "相談実績 {records.consultations}件" not in html


def test_the_year_range_is_chosen_in_wareki_and_sent_as_the_western_year(staff_client):
    html = staff_client.get(reverse("reports:annual"), {"from_fy": 2023, "to_fy": 2025}).content.decode()
    assert '<option value="2023" selected>令和5年度</option>' in html
