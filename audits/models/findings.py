"""Findings recorded during the audit and the nonconformities raised from them.

A ``Finding`` is what the auditor saw, against a clause and a department, with its evidence
(text and ``FindingEvidence`` attachments). A ``Nonconformity`` is raised from a finding (grade
major/minor/observation, requirement, statement, evidence). The NC lifecycle (client response,
verification, closure) is built on ``Nonconformity.status``; raising is in
``audits.services.nonconformity_raise``.
"""

import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .team import ByAuditQuerySet


class FindingQuerySet(ByAuditQuerySet):
    """Findings are the team's working material: the audit's team and CB administrators (and
    the committee, read-only, like the audit); never the client."""

    def restrict(self, user, action="view"):
        from core.access import Role

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
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = FindingQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
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
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["finding", "pk"]

    def __str__(self):
        return self.original_name


class NonconformityGrade(models.TextChoices):
    MAJOR = "major", _("Major nonconformity")
    MINOR = "minor", _("Minor nonconformity")
    OBSERVATION = "observation", _("Observation")


class NonconformityStatus(models.TextChoices):
    """The NC lifecycle (``audits.nc_services`` moves it): open → responded (the client's
    answer) → verified (accepted by the auditor) → closed (approved by the team leader); a
    rejected answer or closure sends it back to the client (returned)."""

    OPEN = "open", _("Open")
    RESPONDED = "responded", _("Response submitted, awaiting verification")
    RETURNED = "returned", _("Returned to the client")
    VERIFIED = "verified", _("Accepted, closure pending")
    CLOSED = "closed", _("Closed")


class NonconformityQuerySet(ByAuditQuerySet):
    """The audit's team and CB administrators; the committee reads; a client user sees its own
    organisation's NCs (it answers them). Actions ``respond``, ``verify`` and ``approve``: see
    ``nc_lifecycle.restrict_nonconformities``."""

    def restrict(self, user, action="view"):
        from .nc_lifecycle import restrict_nonconformities

        return restrict_nonconformities(self, user, action)


class Nonconformity(models.Model):
    audit = models.ForeignKey(
        "audits.Audit", on_delete=models.CASCADE, related_name="nonconformities", verbose_name=_("audit")
    )
    finding = models.ForeignKey(
        Finding,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nonconformities",
        verbose_name=_("raised from finding"),
    )
    number = models.PositiveIntegerField(_("number"), editable=False, help_text=_("1, 2, 3 … within the audit"))
    grade = models.CharField(_("grade"), max_length=12, choices=NonconformityGrade.choices)
    family = models.CharField(
        _("management-system family"), max_length=16, help_text=_("QMS, EMS or OHSMS: from the clause's standard.")
    )
    clause = models.ForeignKey(
        "standards.Clause",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nonconformities",
        verbose_name=_("clause"),
    )
    department = models.ForeignKey(
        "clients.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nonconformities",
        verbose_name=_("department"),
    )
    requirement = models.TextField(
        _("requirement"), blank=True, help_text=_("What the standard or the client's documents require.")
    )
    statement = models.TextField(_("statement of nonconformity"), blank=True)
    evidence = models.TextField(_("objective evidence"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=NonconformityStatus.choices,
        default=NonconformityStatus.OPEN,
        editable=False,
    )
    due_date = models.DateField(_("corrective action due"), null=True, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("raised by"),
    )
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = NonconformityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nonconformity")
        verbose_name_plural = _("nonconformities")
        ordering = ["audit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "number"], name="nonconformity_number_unique_per_audit"),
            models.CheckConstraint(name="nonconformity_grade_valid", condition=Q(grade__in=NonconformityGrade.values)),
            models.CheckConstraint(
                name="nonconformity_status_valid", condition=Q(status__in=NonconformityStatus.values)
            ),
        ]

    def __str__(self):
        return f"NC-{self.number} {self.get_grade_display()}"

    def save(self, *args, **kwargs):
        # The due date is fixed when the NC is raised, from the CB's rules (audits.nc_rules).
        if self._state.adding and self.due_date is None:
            from audits.nc_selectors import default_due_date

            self.due_date = default_due_date(audit=self.audit, grade=self.grade)
        super().save(*args, **kwargs)
