"""The dashboard's charts across fiscal years, each from one aggregate query (or the built report)."""
from django.db.models import Count, Q

from renkei.core.models import Profession, User
from renkei.core.wareki import fiscal_year_bounds, fiscal_year_label
from renkei.records.models import Category
from renkei.records.selectors import consultation_yearly_counts

from .charts import stacked_bars
from .models import HistoricalFigure
from .selectors import family

HISTORICAL = "合計（過去の集計）"


def members_by_profession(fiscal_years):
    """{fy: {profession: n}}: professionals registered at the end of each fiscal year, in one query."""
    annotations = {}
    for fy in fiscal_years:
        end = fiscal_year_bounds(fy)[1]
        annotations[f"fy{fy}"] = Count(
            "id", filter=Q(approved_on__lte=end) & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=end))
        )
    rows = (
        User.objects.exclude(profession=Profession.MUNICIPAL)
        .filter(approved_on__isnull=False)
        .values("profession")
        .annotate(**annotations)
        .order_by("profession")
    )
    result = {fy: {} for fy in fiscal_years}
    for row in rows:
        for fy in fiscal_years:
            if row[f"fy{fy}"]:
                result[fy][row["profession"]] = row[f"fy{fy}"]
    return result


def _with_history(counts, choices, fiscal_years, historical):
    """Series per choice; a fiscal year without records shows its historical total as one bar."""
    series = [(label, [counts[fy].get(code, 0) for fy in fiscal_years]) for code, label in choices]
    series.append((HISTORICAL, [0 if counts[fy] else historical.get(fy, 0) for fy in fiscal_years]))
    return series


def charts(report):
    """Three charts over the report's fiscal years: members by profession, consultations by category, participants."""
    years = report.fiscal_years
    labels = [fiscal_year_label(fy) for fy in years]
    historical = {}
    for h in HistoricalFigure.objects.filter(
        fiscal_year__in=years, key__in=["network.registered_members", "records.consultations"]
    ).values("fiscal_year", "key", "value"):
        historical.setdefault(h["key"], {})[h["fiscal_year"]] = h["value"]
    members = members_by_profession(years)
    consultations = consultation_yearly_counts(years, "category")
    participants = {"records.training": [0] * len(years), "records.outreach": [0] * len(years)}
    for i, fy in enumerate(years):
        for cell in (report.cells[(fy, "ka")], report.cells[(fy, "ki")]):
            for f in cell.figures:
                if family(f.key) in participants and f.unit == "名":
                    participants[family(f.key)][i] += f.value
    return [
        stacked_bars(
            title="ICT連携の登録者数（職種別・年度末）", categories=labels, unit="人",
            series=_with_history(members, Profession.choices, years, historical.get("network.registered_members", {})),
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
