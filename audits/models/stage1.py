"""The conclusion of a stage 1 audit (ISO/IEC 17021-1 9.3.1.2): is the client ready for stage 2?

It is written when the team leader approves the stage 1 report (``audits.services``'s
``stage_1_conclude``, called by the report's approval) and withdrawn when that report is
reopened. The gating rules that read it are in ``audits.stage_rules``. A later, fuller stage 1
review (documents, areas of concern) writes the same row through the same service.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .team import ByAuditQuerySet


class Stage1Outcome(models.TextChoices):
    READY = "ready", _("Ready for stage 2")
    NOT_READY = "not_ready", _("Not ready for stage 2")


class Stage1Conclusion(models.Model):
    """The readiness conclusion of one stage 1 audit, with the team leader's remark."""

    audit = models.OneToOneField(
        "audits.Audit", on_delete=models.CASCADE, related_name="stage_1_conclusion", verbose_name=_("audit")
    )
    outcome = models.CharField(_("conclusion"), max_length=10, choices=Stage1Outcome.choices)
    remark = models.TextField(_("remark"), blank=True)
    concluded_on = models.DateField(_("concluded on"))
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("concluded by"),
    )

    objects = ByAuditQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stage 1 conclusion")
        verbose_name_plural = _("stage 1 conclusions")
        constraints = [
            models.CheckConstraint(
                name="stage1conclusion_outcome_valid", condition=Q(outcome__in=[o.value for o in Stage1Outcome])
            )
        ]

    def __str__(self):
        return f"{self.audit_id}: {self.get_outcome_display()}"

    @property
    def is_ready(self):
        return self.outcome == Stage1Outcome.READY
