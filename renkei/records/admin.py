from django.contrib import admin

from . import models


class MemberInline(admin.TabularInline):
    model = models.BodyMember
    extra = 0


@admin.register(models.Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "kind", "term_start", "term_end", "order"]
    list_filter = ["municipality", "kind"]
    inlines = [MemberInline]


@admin.register(models.Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["body", "held_on", "title", "format"]
    list_filter = ["body", "format"]


class CountermeasureInline(admin.TabularInline):
    model = models.Countermeasure
    extra = 0


@admin.register(models.Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["title", "body", "item", "raised_on", "status"]
    list_filter = ["item", "status"]
    inlines = [CountermeasureInline]


@admin.register(models.Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["received_on", "municipality", "channel", "asker_profession", "category", "follow_up_status"]
    list_filter = ["municipality", "category", "asker_profession", "channel"]
    exclude = ["patient_ref"]  # the patient link is set only through the pages, under the team rule


@admin.register(models.Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "kind", "audience", "starts_on", "status", "participants",
                    "online_accounts"]
    list_filter = ["municipality", "audience", "kind", "status"]


admin.site.register([models.Pamphlet, models.PamphletEdition, models.PamphletDistribution, models.RegionalActivity])
