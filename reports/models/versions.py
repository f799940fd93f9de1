"""The report as PDF: numbers, stored versions and render jobs.

* ``ReportNumber``: the CB-style number of one audit's report, assigned once, at the first
  render: ``<CB code>-<systems>-<year>-<serial>``, e.g. ``CB-Q-2020-0001`` (see
  ``reports.versions.services.report_number_assign``).
* ``ReportVersion``: every render, stored (``core.issued.IssuedPdf``): who asked, when, the
  language, the report's status, the snapshot of the data it was rendered from (and its
  SHA-256), the PDF file (private storage) and the PDF's SHA-256. A row is never changed once
  written; an issued row is never deleted either. A correction is a new issued version whose
  ``replaces`` names the one it replaces.
* ``RenderJob``: one request to render (queued → rendering → ready / failed). At most one job
  per report is queued or rendering at a time: a partial unique constraint, plus a lock on the
  report row in the service, so asking twice does not start a second render.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audits.models import Audit
from core.access import RestrictedQuerySet, Role
from core.issued import IssuedPdf, IssuedPdfQuerySet, VersionKind

from .content import Report


class RenderStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RENDERING = "rendering", _("Rendering")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


ACTIVE_RENDER_STATUSES = (RenderStatus.QUEUED, RenderStatus.RENDERING)
PDF_LANGUAGES = [(code, name) for code, name in settings.LANGUAGES]


def version_file_path(instance: ReportVersion, filename: str) -> str:
    """Under ``private/``: never below a public URL; downloads go through a checked view."""
    report = instance.report
    return f"private/reports/{report.audit_id}/{report.pk}-{instance.kind}-{uuid.uuid4().hex}.pdf"


class ReportNumber(models.Model):
    """The number printed in the running header of every PDF of one report."""

    report = models.OneToOneField(
        "reports.Report", on_delete=models.PROTECT, related_name="pdf_number", verbose_name=_("audit report")
    )
    prefix = models.CharField(_("prefix"), max_length=12, help_text=_("The CB code, or CB when it is not set."))
    systems = models.CharField(_("systems"), max_length=8, help_text=_("Q, E, S: the audit's management systems."))
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial number"))
    number = models.CharField(_("report number"), max_length=40, unique=True)
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("report number")
        verbose_name_plural = _("report numbers")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year", "serial"], name="report_number_serial_unique"),
        ]

    def __str__(self):
        return self.number


class ReportVersionQuerySet(IssuedPdfQuerySet):
    """Who may see (and download) which PDF.

    * CB administrators: every version, drafts and issued, replaced ones included.
    * auditors and team leaders: every version of the reports of the audits they are on.
    * the certification committee: issued versions (replaced ones included).
    * client users: the issued versions of their own organisation that are in force (not
      replaced by a correction). Drafts and other organisations' versions are 404.
    """

    def restrict(self, user: Any, action: str = "view") -> ReportVersionQuerySet:
        if not (user.is_authenticated and user.is_active) or action != "view":
            return self.none()
        if user.role == Role.CB_ADMIN:
            return self
        if user.role in (Role.AUDITOR, Role.TEAM_LEADER):
            return self.filter(report__audit__in=Audit.objects.restrict(user, "view").values("pk"))
        if user.role == Role.COMMITTEE:
            return self.filter(kind=VersionKind.ISSUED)
        if user.role == Role.CLIENT and user.client_id:
            return self.in_force().filter(report__audit__client_id=user.client_id)
        return self.none()


class ReportVersion(IssuedPdf):
    """One rendered PDF of a report (``core.issued``): written once, never changed; issued ones
    never deleted. ``issue`` counts the issues per language; a correction names the issue it
    replaces and why."""

    report = models.ForeignKey(
        "reports.Report", on_delete=models.PROTECT, related_name="pdf_versions", verbose_name=_("audit report")
    )
    sequence = models.PositiveIntegerField(_("version"), help_text=_("1, 2, 3 … for every render of the report"))
    language_version = models.PositiveIntegerField(
        _("version in its language"),
        default=1,
        help_text=_("1, 2, 3 … for every render of the report in its language (the first English draft is version 1)"),
    )
    issue = models.PositiveSmallIntegerField(
        _("issue"), null=True, blank=True, help_text=_("1 for the first issue, 2 for its first correction …")
    )
    report_number = models.CharField(_("report number"), max_length=40)
    report_status = models.CharField(_("report status when rendered"), max_length=12)
    file = models.FileField(_("PDF file"), upload_to=version_file_path, max_length=300)
    data = models.JSONField(_("data rendered"), help_text=_("The report's content as it was rendered."))
    data_sha256 = models.CharField(_("SHA-256 of the data"), max_length=64)
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rendered for"),
        help_text=_("Empty when rendered from the command line."),
    )
    data_seconds = models.FloatField(_("seconds reading the data"), default=0)
    html_seconds = models.FloatField(_("seconds rendering the template"), default=0)
    render_seconds = models.FloatField(_("seconds in WeasyPrint"), default=0)
    warnings = models.JSONField(_("render warnings"), default=list, blank=True)

    objects = ReportVersionQuerySet.as_manager()

    changed_message = _("A stored PDF version cannot be changed; render a new one (a correction for an issued report).")
    deleted_message = _("An issued report cannot be deleted.")

    class Meta:
        verbose_name = _("report PDF version")
        verbose_name_plural = _("report PDF versions")
        ordering = ["report", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["report", "sequence"], name="report_version_sequence_unique"),
            models.UniqueConstraint(
                fields=["report", "language", "issue"],
                condition=Q(issue__isnull=False),
                name="report_version_issue_unique",
            ),
            models.CheckConstraint(
                name="report_version_issue_iff_issued",
                condition=(Q(kind="issued", issue__isnull=False) | Q(kind="draft", issue__isnull=True)),
            ),
            models.CheckConstraint(
                name="report_version_only_issued_replace",
                condition=Q(replaces__isnull=True) | Q(kind="issued"),
            ),
        ]

    def __str__(self) -> str:
        if self.kind == VersionKind.ISSUED:
            return f"{self.report_number} · {_('issue')} {self.issue} ({self.language})"
        return f"{self.report_number} · {_('draft')} v{self.language_version} ({self.language})"

    @property
    def download_name(self) -> str:
        label = f"issue{self.issue}" if self.is_issued else f"draft-v{self.language_version}"
        return f"{self.report_number}-{label}-{self.language}.pdf"


class RenderJobQuerySet(RestrictedQuerySet):
    """Render jobs are CB staff's: whoever may see the report (never client users)."""

    def restrict(self, user: Any, action: str = "view") -> RenderJobQuerySet:
        if not (user.is_authenticated and user.is_active) or user.role == Role.CLIENT:
            return self.none()
        return self.filter(report__in=Report.objects.restrict(user, "view").values("pk"))


class RenderJob(models.Model):
    """A request to render a report (draft or issue), run by a Celery task."""

    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="render_jobs", verbose_name=_("audit report")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=VersionKind.choices)
    language = models.CharField(_("language"), max_length=10, choices=PDF_LANGUAGES)
    status = models.CharField(_("status"), max_length=10, choices=RenderStatus.choices, default=RenderStatus.QUEUED)
    message = models.TextField(_("message"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    replaces = models.ForeignKey(
        ReportVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replaces"),
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    version = models.OneToOneField(
        ReportVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="render_job",
        verbose_name=_("version"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = RenderJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("PDF render job")
        verbose_name_plural = _("PDF render jobs")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(status__in=["queued", "rendering"]),
                name="render_job_one_active_per_report",
            ),
            models.CheckConstraint(
                name="render_job_status_valid", condition=Q(status__in=["queued", "rendering", "ready", "failed"])
            ),
        ]

    def __str__(self):
        return f"{self.report_id} {self.kind} {self.language}: {self.status}"

    @property
    def is_active(self):
        return self.status in ACTIVE_RENDER_STATUSES
