"""Report PDF versions and render jobs in the admin: read-only lists for CB administrators.

Nothing can be added, changed or deleted here (versions are immutable; renders are asked for
on the report's page or with ``manage.py render_report``). Registered by reports/admin.py.
"""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from ..models import RenderJob, ReportVersion


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdmin):
    list_display = (
        "report_number",
        "kind",
        "issue",
        "sequence",
        "language",
        "pages",
        "created_by",
        "created_at",
        "sha256",
    )
    list_filter = ("kind", "language")
    search_fields = ("report_number", "sha256", "data_sha256")
    exclude = ("data",)
    list_select_related = ("created_by",)


@admin.register(RenderJob)
class RenderJobAdmin(ReadOnlyAdmin):
    list_display = ("report", "kind", "language", "status", "attempts", "requested_by", "requested_at", "finished_at")
    list_filter = ("status", "kind")
    list_select_related = ("report__audit__client", "requested_by")
