from django.contrib import admin

from .models import HistoricalFigure, ReportLine


@admin.register(HistoricalFigure)
class HistoricalFigureAdmin(admin.ModelAdmin):
    list_display = ["municipality", "fiscal_year", "item", "key", "label", "value", "unit", "source"]
    list_filter = ["municipality", "fiscal_year", "item"]


@admin.register(ReportLine)
class ReportLineAdmin(admin.ModelAdmin):
    list_display = ["municipality", "fiscal_year", "item", "order", "text", "approved"]
    list_filter = ["municipality", "fiscal_year", "item", "approved"]
