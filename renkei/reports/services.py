"""Writes of the annual report's own data: narrative lines and historical figures."""
from django.db import IntegrityError, transaction
from django.utils import timezone

from renkei.core.audit import Action, record
from renkei.core.errors import AppError, full_clean

from .models import HistoricalFigure, ReportLine


def add_line(*, user, fiscal_year, data, request=None):
    """A narrative line written by staff; it appears in the report once approved."""
    line = ReportLine(fiscal_year=fiscal_year, written_by=user, **data)
    full_clean(line)
    line.save()
    record(action=Action.CREATE, request=request, actor=user, obj=line)
    return line


def set_line_approval(*, user, line, approved, request=None):
    line.approved = approved
    line.approved_by = user if approved else None
    line.approved_at = timezone.now() if approved else None
    line.save(update_fields=["approved", "approved_by", "approved_at", "updated_at"])
    record(action=Action.UPDATE, request=request, actor=user, obj=line, detail="approved" if approved else "unapproved")
    return line


def delete_line(*, user, line, request=None):
    record(action=Action.DELETE, request=request, actor=user, obj=line, detail=line.text[:200])
    line.delete()


def add_historical_figure(*, user, data, request=None):
    """A pre-system figure from a dated source; one per fiscal year and key."""
    figure = HistoricalFigure(entered_by=user, **data)
    full_clean(figure)
    try:
        with transaction.atomic():
            figure.save()
    except IntegrityError:
        raise AppError({"key": "この年度のこのキーの数値はすでに登録されています。"}, status=422)
    record(action=Action.CREATE, request=request, actor=user, obj=figure)
    return figure
