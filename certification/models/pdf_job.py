"""The progress of a certificate's PDFs after a decision's approval (queued → rendering →
ready/failed), shown on the decision page as the report's render panel shows a ``RenderJob``.

Like ``reports.RenderJob`` it is not a machine (nobody decides it): the Celery task writes it
with conditional updates (``certificate_pdfs.services``), one row per certificate, covering
both languages."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import RestrictedQuerySet, Role
from reports.models import ACTIVE_RENDER_STATUSES, RenderStatus

from .certificate import Certificate


class CertificatePdfJobQuerySet(RestrictedQuerySet):
    """CB staff who may see the certificate (never client users: they see the PDFs once issued)."""

    def restrict(self, user, action="view"):
        if not (user.is_authenticated and user.is_active) or user.role == Role.CLIENT or action != "view":
            return self.none()
        return self.filter(certificate__in=Certificate.objects.restrict(user, "view").values("pk"))


class CertificatePdfJob(models.Model):
    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="pdf_jobs", verbose_name=_("certificate")
    )
    decision = models.ForeignKey(
        "certification.Decision",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pdf_jobs",
        verbose_name=_("decision"),
    )
    status = models.CharField(_("status"), max_length=10, choices=RenderStatus.choices, default=RenderStatus.QUEUED)
    message = models.TextField(_("message"), blank=True)
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

    objects = CertificatePdfJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate PDF job")
        verbose_name_plural = _("certificate PDF jobs")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="certificate_pdf_job_status_valid",
                condition=Q(status__in=["queued", "rendering", "ready", "failed"]),
            ),
        ]

    def __str__(self):
        return f"{self.certificate_id}: {self.status}"

    @property
    def is_active(self):
        return self.status in ACTIVE_RENDER_STATUSES
