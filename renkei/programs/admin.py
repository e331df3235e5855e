"""Read-mostly admin views of the programs' records (staff work in the program pages)."""
from django.contrib import admin

from . import models


@admin.register(models.Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["decided_at", "content_type", "object_id", "outcome_label", "decided_by"]
    list_filter = ["content_type", "outcome"]

    def has_change_permission(self, request, obj=None):
        return False  # decisions are history: a changed decision is a new row

    def has_delete_permission(self, request, obj=None):
        return False


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
