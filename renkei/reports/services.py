"""Writes of the annual report's own data: narrative lines and historical figures."""
from django.db import IntegrityError, transaction
from django.utils import timezone

from renkei.core.access import acts_for
from renkei.core.audit import Action, record
from renkei.core.errors import AppError, full_clean

from .models import HistoricalFigure, ReportLine

DUPLICATE = "この市区町村のこの年度のこのキーの数値はすでに登録されています。"


def _check_city(user, municipality):
    """A write belongs to one of the writer's cities; another city is refused as if it did not exist."""
    if municipality is None or not acts_for(user, municipality):
        raise AppError({"municipality": "担当していない市区町村の報告は編集できません。"}, status=404)


def add_line(*, user, fiscal_year, municipality, data, request=None):
    """A narrative line of one city's report written by staff; it appears in the report once approved."""
    _check_city(user, municipality)
    line = ReportLine(fiscal_year=fiscal_year, municipality=municipality, written_by=user, **data)
    full_clean(line)
    line.save()
    record(action=Action.CREATE, request=request, actor=user, obj=line)
    return line


def set_line_approval(*, user, line, approved, request=None):
    _check_city(user, line.municipality_id)
    line.approved = approved
    line.approved_by = user if approved else None
    line.approved_at = timezone.now() if approved else None
    line.save(update_fields=["approved", "approved_by", "approved_at", "updated_at"])
    record(action=Action.UPDATE, request=request, actor=user, obj=line, detail="approved" if approved else "unapproved")
    return line


def delete_line(*, user, line, request=None):
    _check_city(user, line.municipality_id)
    record(action=Action.DELETE, request=request, actor=user, obj=line, detail=line.text[:200])
    line.delete()


def add_historical_figure(*, user, data, request=None):
    """A pre-system figure of one city (`data["municipality"]`) from a dated source; one per city, fiscal year
    and key."""
    _check_city(user, data.get("municipality"))
    duplicate = {"municipality": data["municipality"], "fiscal_year": data.get("fiscal_year"), "key": data.get("key")}
    if HistoricalFigure.objects.filter(**duplicate).exists():
        raise AppError({"key": DUPLICATE}, status=422)
    figure = HistoricalFigure(entered_by=user, **data)
    full_clean(figure)
    try:
        with transaction.atomic():
            figure.save()
    except IntegrityError:
        raise AppError({"key": DUPLICATE}, status=422)
    record(action=Action.CREATE, request=request, actor=user, obj=figure)
    return figure
