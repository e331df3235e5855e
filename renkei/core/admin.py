"""Django admin for the core models. The admin login needs the second factor (django-otp's admin site);
the audit trail is view-only: rows cannot be added, changed or deleted here."""
from typing import TYPE_CHECKING

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django_otp.admin import OTPAdminSite

from .auth import SignedInRequest
from .models import Affiliation, ApiToken, AuditEvent, Facility, Municipality, User

if TYPE_CHECKING:  # the admin classes are generic only in django-stubs (not subscriptable when the site runs)
    _MunicipalityAdmin = admin.ModelAdmin[Municipality]
    _FacilityAdmin = admin.ModelAdmin[Facility]
    _AffiliationInline = admin.TabularInline[Affiliation, User]
    _UserAdmin = UserAdmin[User]
    _ApiTokenAdmin = admin.ModelAdmin[ApiToken]
    _AuditEventAdmin = admin.ModelAdmin[AuditEvent]
else:
    _MunicipalityAdmin = _FacilityAdmin = _ApiTokenAdmin = _AuditEventAdmin = admin.ModelAdmin
    _AffiliationInline = admin.TabularInline
    _UserAdmin = UserAdmin

admin.site.__class__ = OTPAdminSite
admin.site.site_header = "Renkei 管理サイト"
admin.site.site_title = "Renkei 管理"


@admin.register(Municipality)
class MunicipalityAdmin(_MunicipalityAdmin):
    list_display = ["code", "name", "prefecture"]
    search_fields = ["code", "name", "name_kana"]


@admin.register(Facility)
class FacilityAdmin(_FacilityAdmin):
    list_display = ["name", "kind", "municipality", "official_id", "is_fictional", "updated_at"]
    list_filter = ["kind", "municipality", "is_fictional"]
    search_fields = ["name", "name_kana", "address", "official_id"]
    list_select_related = ["municipality"]


class AffiliationInline(_AffiliationInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["facility"]


@admin.register(User)
class RenkeiUserAdmin(_UserAdmin):
    list_display = ["username", "name", "profession", "registration_status", "approved_on", "withdrawn_on"]
    list_filter = ["registration_status", "profession", "is_municipal_staff", "is_coordinator", "is_active"]
    search_fields = ["username", "name", "name_kana", "email"]
    ordering = ["name_kana", "username"]
    inlines = [AffiliationInline]
    filter_horizontal = ["acts_for"]
    readonly_fields = ["applied_at", "decided_at", "decided_by", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("本人", {"fields": ["name", "name_kana", "email", "phone", "profession"]}),
        ("役割", {"fields": ["is_municipal_staff", "is_coordinator", "acts_for", "is_active", "is_staff", "is_superuser"]}),
        (
            "登録",
            {
                "fields": [
                    "registration_status",
                    "applied_at",
                    "decided_at",
                    "decided_by",
                    "decision_reason",
                    "approved_on",
                    "withdrawn_on",
                    "applied_facility_name",
                    "applied_facility_kind",
                    "applied_facility_municipality",
                ]
            },
        ),
        ("記録", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "name", "profession", "password1", "password2"]}),
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(_ApiTokenAdmin):
    list_display = ["prefix", "user", "created_at", "expires_at", "revoked_at"]
    list_select_related = ["user"]
    search_fields = ["prefix", "user__username"]
    readonly_fields = ["user", "key_hash", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are issued with the three factors, never typed in

    @admin.action(description="選択したトークンを無効にする")
    def revoke(self, request: SignedInRequest, queryset: QuerySet[ApiToken]) -> None:
        from . import tokens

        for token in queryset.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()):
            tokens.revoke(token=token, by=request.user, request=request)


@admin.register(AuditEvent)
class AuditEventAdmin(_AuditEventAdmin):
    """Read-only: the trail is append-only and hash-chained."""

    list_display = ["created_at", "actor_username", "action", "object_type", "object_id", "patient_id", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_username", "object_id", "patient_id", "detail"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
