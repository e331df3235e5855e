from django.contrib import admin

from .models import (
    ChangeRequest,
    FacilityCapability,
    FacilityProfile,
    ImportRun,
    Schedule,
    Service,
    ServiceArea,
)


@admin.register(FacilityProfile)
class FacilityProfileAdmin(admin.ModelAdmin):
    list_display = ["facility", "status", "town", "source", "last_confirmed_on"]
    list_filter = ["status", "source", "coord_source"]
    search_fields = ["facility__name", "facility__official_id", "search_key"]
    raw_id_fields = ["facility"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["file_name", "started_at", "created", "updated", "unchanged", "closed", "repaired", "unlocated"]


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    list_display = ["facility", "status", "submitted_by", "submitted_at", "decided_by"]
    list_filter = ["status"]
    raw_id_fields = ["facility", "submitted_by", "decided_by"]


for model in (Service, Schedule, ServiceArea, FacilityCapability):
    admin.site.register(model, list_display=["facility", "__str__"], raw_id_fields=["facility"])
