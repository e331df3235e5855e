"""The dashboard's charts across fiscal years, each from one aggregate query (or the built report), and the
network's adoption over the last months (renkei/reports/adoption.py)."""
from collections import defaultdict

from django.utils import timezone

from renkei.core.models import Profession
from renkei.core.wareki import fiscal_year_label, format_month
from renkei.records.models import Category, Consultation
from renkei.records.selectors import counts_by_month, fy_of, span

from . import adoption
from .charts import stacked_bars
from .models import HistoricalFigure
from .selectors import RECORDS_SOURCE, family

HISTORICAL = "合計（過去の集計）"


MEMBERS = "network.registered_members"


def members_by_profession(report):
    """{fy: {profession: n}} from the report's figures 'network.registered_members.<profession>' (item エ)."""
    result = {fy: {} for fy in report.fiscal_years}
    for fy in report.fiscal_years:
        for f in report.cells[(fy, "e")].figures:
            if f.key.startswith(f"{MEMBERS}.") and f.source == RECORDS_SOURCE:
                result[fy][f.key.removeprefix(f"{MEMBERS}.")] = f.value
    return result


def _with_history(counts, choices, fiscal_years, historical):
    """Series per choice; a fiscal year without records shows its historical total as one bar."""
    series = [(label, [counts[fy].get(code, 0) for fy in fiscal_years]) for code, label in choices]
    series.append((HISTORICAL, [0 if counts[fy] else historical.get(fy, 0) for fy in fiscal_years]))
    return series


def consultations_by_category(fiscal_years, municipality):
    """{fy: {category: n}} of one city's consultations, in one query."""
    start, end = span(fiscal_years)
    rows = Consultation.objects.filter(received_on__range=(start, end), municipality=municipality)
    result = {fy: {} for fy in fiscal_years}
    for (year, month, code), n in counts_by_month(rows, "received_on", "category").items():
        fy = fy_of(year, month)
        if fy in result:
            result[fy][code] = result[fy].get(code, 0) + n
    return result


def charts(report):
    """Three charts over the report's fiscal years of the report's city: members by profession, consultations
    by category, participants."""
    years = report.fiscal_years
    labels = [fiscal_year_label(fy) for fy in years]
    historical = {}
    for h in HistoricalFigure.objects.filter(
        fiscal_year__in=years, key__in=[MEMBERS, "records.consultations"], municipality=report.municipality
    ).values("fiscal_year", "key", "value"):
        historical.setdefault(h["key"], {})[h["fiscal_year"]] = h["value"]
    members = members_by_profession(report)
    consultations = consultations_by_category(years, report.municipality)
    participants = {"records.training": [0] * len(years), "records.outreach": [0] * len(years)}
    for i, fy in enumerate(years):
        for cell in (report.cells[(fy, "ka")], report.cells[(fy, "ki")]):
            for f in cell.figures:
                if family(f.key) in participants and f.unit == "名":
                    participants[family(f.key)][i] += f.value
    return [
        stacked_bars(
            title="ICT連携の登録者数（職種別・年度末）", categories=labels, unit="人",
            series=_with_history(members, Profession.choices, years, historical.get(MEMBERS, {})),
        ),
        stacked_bars(
            title="相談件数（相談分類別）", categories=labels, unit="件",
            series=_with_history(consultations, Category.choices, years, historical.get("records.consultations", {})),
        ),
        stacked_bars(
            title="研修・普及啓発の参加者数", categories=labels, unit="名",
            series=[("研修（カ）", participants["records.training"]), ("普及啓発（キ）", participants["records.outreach"])],
        ),
    ]


ADOPTION_MONTHS = 12


def adoption_charts(city, cities, *, now=None):
    """The network's adoption: over the last ADOPTION_MONTHS months in `city` (active members by profession,
    sheets sent, median time to the first reply to an important post), and now (patients with a team in
    each of the user's `cities`, dormant accounts of `city` by profession). Five queries."""
    now = now or timezone.now()
    starts = adoption.month_starts(timezone.localtime(now).date(), ADOPTION_MONTHS)
    months = [f"{m.month}月" for m in starts]
    period = f"{format_month(starts[0])}〜{format_month(starts[-1])}"
    active = adoption.active_members_by_month([city.pk], starts)
    sheets = adoption.sheets_sent_by_month([city.pk], starts)
    replies = defaultdict(list)
    begin, end = adoption.month_span(starts)
    for _, posted, minutes in adoption.first_reply_minutes([city.pk], begin, end):
        replies[adoption.month_of(posted)].append(minutes)
    teams = adoption.patients_with_team([c.pk for c in cities], {"now": now})
    dormant = adoption.dormant_members([city.pk], {"now": now})
    return [
        stacked_bars(
            title=f"ICT連携で活動した登録者数（職種別・月別、{period}）", categories=months, unit="人",
            series=[(label, [active.get((city.pk, code, m), 0) for m in starts]) for code, label in Profession.choices],
        ),
        stacked_bars(
            title=f"送付された連携シート数（月別、{period}）", categories=months, unit="件",
            series=[("連携シート", [sheets.get((city.pk, m), 0) for m in starts])],
        ),
        stacked_bars(
            title=f"重要な投稿への最初の返信までの時間（中央値・月別、{period}）", categories=months, unit="分",
            series=[("中央値", [adoption.median_minutes(replies.get(m, [])) for m in starts])],
        ),
        stacked_bars(
            title="ケアチームのある患者数（市区町村別・現在）", categories=[c.name for c in cities], unit="人",
            series=[("患者", [teams[(c.pk, "now")] for c in cities])],
        ),
        stacked_bars(
            title=f"{adoption.DORMANT_DAYS}日以上活動のない登録者数（職種別・現在）", categories=["現在"], unit="人",
            series=[(label, [dormant.get((city.pk, code, "now"), 0)]) for code, label in Profession.choices],
        ),
    ]
