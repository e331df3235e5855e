from django.contrib import admin

from .models import BackBedHospital


@admin.register(BackBedHospital)
class BackBedHospitalAdmin(admin.ModelAdmin):
    list_display = ("facility", "beds", "joined_on", "is_active")
    list_filter = ("is_active",)
    raw_id_fields = ("facility",)
