"""Report PDFs in the browser: the versions panel (generate a draft, issue, see the render's
progress, download), the versions page, the list of issued reports, and the download view.

Renders never run in a request: the views ask ``services.render_request`` (which queues the
Celery task on commit) and the panel polls its own URL with htmx while a job is queued or
rendering. Files are only served by ``version_download``, after ``ReportVersion.objects.restrict``.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audits.selectors import cb_code_notice
from core.access import AUDITING_STAFF, AUDITING_STAFF_AND_ADMIN, CB_STAFF, Role, access, roles
from core.downloads import private_file_response
from core.views import paginate, refusal_messages, report_refusal

from ..models import RenderJob, Report, ReportVersion, VersionKind
from . import services

EVERY_ROLE = roles(*Role.values)

VERSION_COLUMNS = [
    gettext_lazy("Version"),
    gettext_lazy("Language"),
    gettext_lazy("Rendered"),
    gettext_lazy("Pages"),
    "SHA-256",
    "",
]
ISSUED_COLUMNS = [
    gettext_lazy("Report number"),
    gettext_lazy("Organisation"),
    gettext_lazy("Audit"),
    gettext_lazy("Issue"),
    gettext_lazy("Language"),
    gettext_lazy("Issued"),
    "",
]


def _report(request, pk, action="view"):
    return get_object_or_404(Report.objects.restrict(request.user, action).select_related("audit__client"), pk=pk)


def panel_context(request, report, *, error=""):
    user = request.user
    versions = list(
        ReportVersion.objects.restrict(user, "view")
        .filter(report=report)
        .select_related("created_by", "replaces", "replaced_by")
        .order_by("-sequence")
    )
    job = (
        RenderJob.objects.restrict(user, "view").filter(report=report).select_related("requested_by", "version").first()
    )
    languages = services.pdf_languages()
    in_force = {}
    for version in versions:
        if version.is_issued and not _is_replaced(version):
            in_force.setdefault(version.language, version)
    refusal = services.issue_refusal(report=report, user=user)
    return {
        "report": report,
        "job": job,
        "active": job is not None and job.is_active,
        "versions": versions,
        "version_columns": VERSION_COLUMNS,
        "in_force": in_force,
        "languages": [(code, name) for code, name in settings.LANGUAGES if code in languages],
        "default_language": services.default_language(report),
        "can_render": services.may_render_draft(report=report, user=user),
        "can_issue": refusal is None,
        "is_leader": services.may_issue(report=report, user=user),
        "issue_refusal": refusal,
        "error": error,
        "cb_code_notice": cb_code_notice(),
    }


def _is_replaced(version):
    try:
        return version.replaced_by is not None
    except ReportVersion.DoesNotExist:
        return False


def _panel(request, report, *, error="", status=200):
    return render(request, "reports/versions_panel.html", panel_context(request, report, error=error), status=status)


@access(CB_STAFF)
def versions(request, pk):
    """The report's PDFs: generate, issue, follow the render, download (staff)."""
    report = _report(request, pk)
    if request.htmx:
        return _panel(request, report)
    return render(request, "reports/versions.html", panel_context(request, report))


@access(CB_STAFF)
def versions_panel(request, pk):
    """The panel alone (htmx: loaded into the report page, polled while a render runs)."""
    return _panel(request, _report(request, pk))


def _request(request, report, **kwargs):
    """Ask for a render; the answer is the panel again (htmx) with the refusal in it, or a message
    on the versions page."""
    try:
        _job, created = services.render_request(report=report, by=request.user, **kwargs)
    except (ValidationError, PermissionDenied) as exc:
        if request.htmx:
            return _panel(request, report, error=" ".join(refusal_messages(exc)))
        report_refusal(request, exc)
        return redirect("reports:versions", pk=report.pk)
    error = "" if created else _("A PDF of this report is already being produced; it was not started a second time.")
    if request.htmx:
        return _panel(request, report, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The PDF is being produced; this page shows when it is ready."))
    return redirect("reports:versions", pk=report.pk)


@access(AUDITING_STAFF_AND_ADMIN)
@require_POST
def render_draft(request, pk):
    report = _report(request, pk)
    return _request(request, report, kind=VersionKind.DRAFT, language=request.POST.get("language") or None)


@access(AUDITING_STAFF)
@require_POST
def issue(request, pk):
    report = _report(request, pk)
    return _request(
        request,
        report,
        kind=VersionKind.ISSUED,
        language=request.POST.get("language") or None,
        correction_reason=request.POST.get("reason", ""),
    )


@access(EVERY_ROLE)
def issued_list(request):
    """The issued reports in force the user may download (client users: their organisation's)."""
    versions = (
        ReportVersion.objects.restrict(request.user, "view")
        .filter(kind=VersionKind.ISSUED, replaced_by__isnull=True)
        .select_related("report__audit__client", "created_by")
        .order_by("-created_at", "-pk")
    )
    return render(
        request, "reports/versions_issued.html", {"versions": paginate(request, versions), "columns": ISSUED_COLUMNS}
    )


@access(EVERY_ROLE)
def version_download(request, pk):
    """A stored PDF, to whoever may see that version (anyone else: 404)."""
    version = get_object_or_404(ReportVersion.objects.restrict(request.user, "view"), pk=pk)
    return private_file_response(
        version.file,
        filename=version.download_name,
        content_type="application/pdf",
        sha256=version.sha256,
        request=request,
        record=version,
    )
