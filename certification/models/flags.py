from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .access import CommitteeFlagQuerySet


class FlagKind(models.TextChoices):
    """What the daily job puts before the committee. It proposes; a person decides."""

    PROPOSED_SUSPENSION = "proposed_suspension", _("Proposed suspension")
    PROPOSED_WITHDRAWAL = "proposed_withdrawal", _("Proposed withdrawal")
    RECERTIFICATION_AFTER_EXPIRY = "recert_after_expiry", _("Expired before recertification")


class CommitteeFlag(models.Model):
    """One matter the daily job raised (e.g. surveillance overdue → proposed suspension).
    ``key`` makes raising idempotent: the job runs any number of times, one row per matter."""

    kind = models.CharField(_("kind"), max_length=24, choices=FlagKind.choices)
    key = models.CharField(max_length=120, unique=True, editable=False)
    certificate = models.ForeignKey(
        "certification.Certificate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="flags",
        verbose_name=_("certificate"),
    )
    programme = models.ForeignKey(
        "audits.AuditProgramme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committee_flags",
        verbose_name=_("audit programme"),
    )
    suggested_reason = models.ForeignKey(
        "certification.StatusReason",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suggested reason code"),
    )
    basis_date = models.DateField(_("due date that was missed"))
    message = models.TextField(_("why"))
    raised_on = models.DateField(_("raised on"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolution = models.TextField(_("resolution"), blank=True)

    objects = CommitteeFlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee flag")
        verbose_name_plural = _("committee flags")
        ordering = ["resolved_at", "-raised_on", "pk"]
        constraints = [
            models.CheckConstraint(name="committeeflag_kind_valid", condition=Q(kind__in=FlagKind.values)),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.certificate or self.programme}"

    @property
    def is_open(self):
        return self.resolved_at is None
