"""Read-mostly admin views of the programs' records (staff work in the program pages)."""
from django.contrib import admin

from . import models


@admin.register(models.Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["decided_at", "municipality", "content_type", "object_id", "outcome_label", "rule", "decided_by"]
    list_filter = ["municipality", "content_type", "outcome"]

    def has_change_permission(self, request, obj=None):
        return False  # decisions are history: a changed decision is a new row

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.ProgramRule)
class ProgramRuleAdmin(admin.ModelAdmin):
    """Rule versions: a version a decision used is history (read-only, and PROTECT keeps it)."""

    list_display = ["municipality", "program", "effective_from", "note"]
    list_filter = ["program", "municipality"]
    readonly_fields = ["created_by", "created_at"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.pk and obj.decisions.exists():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.pk and obj.decisions.exists():
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(models.RescueHelperApplication)
class RescueHelperApplicationAdmin(admin.ModelAdmin):
    list_display = ["received_on", "person_name", "cause", "status"]
    list_filter = ["status", "cause"]


@admin.register(models.RestartGrantApplication)
class RestartGrantApplicationAdmin(admin.ModelAdmin):
    list_display = ["received_on", "applicant_name", "facility_type", "status", "amount_yen"]
    list_filter = ["status", "facility_type"]


@admin.register(models.LinkageFeeClaim)
class LinkageFeeClaimAdmin(admin.ModelAdmin):
    list_display = ["month", "station", "status", "patients", "total_yen"]
    list_filter = ["status", "month"]
