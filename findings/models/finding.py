"""Findings recorded during the audit: what the auditor saw, against a clause and a department,
with its evidence (text and ``FindingEvidence`` attachments). Nonconformities are raised from
findings (``findings.models.nonconformity``); recording is in ``findings.services``.
"""

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audits.models.team import ByAuditQuerySet
from core.access import Role


class FindingQuerySet(ByAuditQuerySet):
    """Findings are the team's working material: the audit's team and CB administrators (and
    the committee, read-only, like the audit); never the client."""

    def restrict(self, user, action="view"):
        if getattr(user, "role", None) == Role.CLIENT:
            return self.none()
        return super().restrict(user, action)


class Finding(models.Model):
    audit = models.ForeignKey(
        "audits.Audit", on_delete=models.CASCADE, related_name="findings", verbose_name=_("audit")
    )
    clause = models.ForeignKey(
        "standards.Clause", on_delete=models.PROTECT, related_name="findings", verbose_name=_("clause")
    )
    department = models.ForeignKey(
        "clients.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("department"),
    )
    description = models.TextField(_("finding"), help_text=_("What was found, conforming or not."))
    evidence = models.TextField(
        _("audit evidence"), blank=True, help_text=_("Records seen, people interviewed, observations.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = FindingQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"], table_name="audits_historicalfinding")

    class Meta:
        db_table = "audits_finding"  # the table of the audits app, where findings were first kept
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["audit", "pk"]

    def __str__(self):
        return f"{self.clause.number} {self.description[:40]}"


def evidence_path(instance, filename):
    """Outside any public URL; the uploader's file name is kept in ``original_name`` only."""
    ext = os.path.splitext(filename)[1].lower()
    return f"private/evidence/{instance.finding.audit_id}/{uuid.uuid4().hex}{ext}"


class EvidenceQuerySet(FindingQuerySet):
    def restrict(self, user, action="view"):
        return self.filter(finding__in=Finding.objects.restrict(user, action).values("pk"))


class FindingEvidence(models.Model):
    """A file attached to a finding (photo, scanned record …), downloaded only through a
    permission-checked view."""

    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("finding")
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0, editable=False)
    content_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords(table_name="audits_historicalfindingevidence")

    class Meta:
        db_table = "audits_findingevidence"
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["finding", "pk"]

    def __str__(self):
        return self.original_name
