"""The admin site: the CB's complaints and appeals policy (deadlines) is edited here; complaints,
appeals and their event rows are read-only (every change goes through the services)."""

from django.contrib import admin

from .models import Appeal, AppealEvent, Complaint, ComplaintEvent, ComplaintPolicy


@admin.register(ComplaintPolicy)
class ComplaintPolicyAdmin(admin.ModelAdmin):
    list_display = ("__str__", "acknowledge_days", "complaint_days", "appeal_days", "appeal_window_days")

    def has_add_permission(self, request):
        return not ComplaintPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(ReadOnly):
    list_display = ("reference", "received_on", "subject", "status")
    list_filter = ("status", "subject")
    exclude = ("complainant_name", "complainant_organisation", "complainant_email", "complainant_phone")


@admin.register(Appeal)
class AppealAdmin(ReadOnly):
    list_display = ("reference", "received_on", "client", "status", "outcome")


admin.site.register(ComplaintEvent, ReadOnly)
admin.site.register(AppealEvent, ReadOnly)
