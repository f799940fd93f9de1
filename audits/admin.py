"""Admin: the CB profile is edited here (one row). Audits, programmes and their rows are
shown read-only with their history: they change only through the planning pages (services),
so no rule is bypassed."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Audit, AuditProgramme, AuditTransition, CertificationBody, PlanItem, TeamAssignment
from .selectors import cb_code_notice


@admin.register(CertificationBody)
class CertificationBodyAdmin(SimpleHistoryAdmin):
    list_display = ("name_zh", "cb_code", "phone", "website", "default_rule_set")
    fieldsets = (
        (None, {"fields": ("name_zh", "name_en", "address_zh", "address_en", "postcode")}),
        (
            _("Contact and certificates"),
            {"fields": ("phone", "fax", "email", "website", "cb_code", "accreditation_zh", "accreditation_en")},
        ),
        (
            _("Planning policy"),
            {
                "fields": (
                    "default_rule_set",
                    "due_soon_days",
                    "stage_1_share_percent",
                    "stage_2_interval_months",
                    "audit_time_rounding",
                )
            },
        ),
        (
            _("Audit day of a pre-filled itinerary"),
            {
                "fields": (
                    "audit_day_start",
                    "audit_day_break_start",
                    "audit_day_break_end",
                    "audit_day_end",
                    "meeting_minutes",
                )
            },
        ),
    )

    def changelist_view(self, request, extra_context=None):
        notice = cb_code_notice()
        if notice:
            messages.warning(request, notice)
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        notice = cb_code_notice()
        if notice and request.method == "GET":
            messages.warning(request, notice)
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not CertificationBody.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TeamInline(admin.TabularInline):
    model = TeamAssignment
    fields = ("name", "role", "registration_number", "codes", "days")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class TransitionInline(admin.TabularInline):
    model = AuditTransition
    fields = ("at", "by", "from_status", "to_status", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Audit)
class AuditAdmin(ReadOnlyAdmin):
    list_display = ("client", "audit_type", "start_date", "end_date", "status", "planned_man_days")
    list_filter = ("audit_type", "status")
    list_select_related = ("client",)
    search_fields = ("client__name_zh",)
    inlines = [TeamInline, TransitionInline]


@admin.register(AuditProgramme)
class AuditProgrammeAdmin(ReadOnlyAdmin):
    list_display = ("client", "rule_set", "cycle", "certificate_issued_on", "active")
    list_select_related = ("client",)


@admin.register(PlanItem)
class PlanItemAdmin(ReadOnlyAdmin):
    list_display = ("audit", "day", "start_time", "kind", "department", "process")
    list_select_related = ("audit__client", "department")
