"""A nonconformity's way to closure: the client's response rounds with their evidence files,
the auditor's verification and the team leader's closure decision on each round, the log of
every status change, the CB's due-date rules and the log of reminders sent.

Nothing is overwritten: a rejected response stays as it was and the client answers in a new
round; the decisions on a round are written once. Every move goes through
``findings.lifecycle.NC_MACHINE`` (the one place that knows who may move an NC from which status).
"""

import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import RestrictedQuerySet
from core.imported import ImportedRecord
from core.lifecycle import LifecycleEvent

from .nonconformity import NonconformityStatus, restrict_nonconformities


class ByNonconformityQuerySet(RestrictedQuerySet):
    """Rows of a nonconformity (rounds, transitions, reminders) follow their NC."""

    nc_path = "nc__"

    def restrict(self, user, action="view"):
        return restrict_nonconformities(self, user, action, prefix=self.nc_path)


def _nc_status_label(value):
    try:
        return NonconformityStatus(value).label
    except ValueError:
        return value


class VerificationDecision(models.TextChoices):
    PENDING = "pending", _("Awaiting verification")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class VerificationMethod(models.TextChoices):
    DOCUMENTS = "documents", _("Review of the documents and records submitted")
    ON_SITE = "on_site", _("On-site follow-up visit")
    NEXT_AUDIT = "next_audit", _("Action plan accepted; implementation verified at the next audit")


class ClosureDecision(models.TextChoices):
    PENDING = "pending", _("Awaiting the team leader")
    APPROVED = "approved", _("Closure approved")
    REJECTED = "rejected", _("Closure rejected")


class NonconformityResponse(ImportedRecord):
    """One round of the client's answer (correction, root cause, corrective action, evidence)
    and the decisions taken on it. Written once per step, never edited."""

    nc = models.ForeignKey(
        "findings.Nonconformity", on_delete=models.CASCADE, related_name="responses", verbose_name=_("nonconformity")
    )
    round = models.PositiveIntegerField(_("round"))
    correction = models.TextField(_("correction"), help_text=_("What was done to eliminate the nonconformity found."))
    root_cause = models.TextField(_("root-cause analysis"), help_text=_("Why it happened."))
    corrective_action = models.TextField(
        _("corrective action"), help_text=_("What is done (or planned, with dates) so that it does not happen again.")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("submitted by")
    )
    # Not auto_now_add: an imported round keeps the day the client answered.
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)
    verification = models.CharField(
        _("verification"), max_length=10, choices=VerificationDecision.choices, default=VerificationDecision.PENDING
    )
    verification_method = models.CharField(
        _("method of verification"), max_length=12, choices=VerificationMethod.choices, blank=True
    )
    verification_note = models.TextField(_("auditor's comment"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    closure = models.CharField(_("closure"), max_length=10, choices=ClosureDecision.choices, blank=True)
    closure_note = models.TextField(_("team leader's comment"), blank=True)
    closure_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closure decided by"),
    )
    closure_at = models.DateTimeField(_("closure decided at"), null=True, blank=True)

    objects = ByNonconformityQuerySet.as_manager()
    history = HistoricalRecords(table_name="audits_historicalnonconformityresponse")

    class Meta:
        db_table = "audits_nonconformityresponse"  # the audits app's tables, where NCs were first kept
        verbose_name = _("response to a nonconformity")
        verbose_name_plural = _("responses to nonconformities")
        ordering = ["nc", "round"]
        constraints = [
            models.UniqueConstraint(fields=["nc", "round"], name="ncresponse_round_unique"),
            models.CheckConstraint(
                name="ncresponse_verification_valid", condition=Q(verification__in=VerificationDecision.values)
            ),
        ]

    def __str__(self):
        return f"NC-{self.nc.number} #{self.round}"


def nc_evidence_path(instance, filename):
    """Outside any public URL; the uploader's file name is kept in ``original_name`` only."""
    ext = os.path.splitext(filename)[1].lower()
    return f"private/nc_evidence/{instance.response.nc.audit_id}/{uuid.uuid4().hex}{ext}"


class NCEvidenceQuerySet(ByNonconformityQuerySet):
    nc_path = "response__nc__"


class NonconformityEvidence(models.Model):
    """An evidence file of a response round, downloaded only through a permission-checked view."""

    response = models.ForeignKey(
        NonconformityResponse, on_delete=models.CASCADE, related_name="files", verbose_name=_("response")
    )
    file = models.FileField(_("file"), upload_to=nc_evidence_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0, editable=False)
    content_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = NCEvidenceQuerySet.as_manager()
    history = HistoricalRecords(table_name="audits_historicalnonconformityevidence")

    class Meta:
        db_table = "audits_nonconformityevidence"
        verbose_name = _("nonconformity evidence file")
        verbose_name_plural = _("nonconformity evidence files")
        ordering = ["response", "pk"]

    def __str__(self):
        return self.original_name


class NonconformityAction(models.TextChoices):
    RESPOND = "respond", _("Response submitted")
    ACCEPT = "accept", _("Response accepted by the auditor")
    REJECT = "reject", _("Response rejected by the auditor")
    CLOSE = "close", _("Closure approved by the team leader")
    REJECT_CLOSURE = "reject_closure", _("Closure rejected by the team leader")
    RECORD_PAST_CLOSURE = "record_past_closure", _("Past closure recorded (imported)")


class NonconformityTransition(LifecycleEvent):
    """Every status change of an NC (``findings.lifecycle.NC_MACHINE``): who, when, which action,
    from → to, why, and the response round it decided. Append-only."""

    nc = models.ForeignKey(
        "findings.Nonconformity", on_delete=models.CASCADE, related_name="transitions", verbose_name=_("nonconformity")
    )
    response = models.ForeignKey(
        NonconformityResponse,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="transitions",
        verbose_name=_("response"),
    )
    action = models.CharField(_("action"), max_length=30, choices=NonconformityAction.choices)

    objects = ByNonconformityQuerySet.as_manager()

    class Meta(LifecycleEvent.Meta):
        db_table = "audits_nonconformitytransition"
        verbose_name = _("nonconformity status change")
        verbose_name_plural = _("nonconformity status changes")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"NC {self.nc_id}: {self.from_status} → {self.to_status}"

    @property
    def from_label(self):
        return _nc_status_label(self.from_status)

    @property
    def to_label(self):
        return _nc_status_label(self.to_status)
