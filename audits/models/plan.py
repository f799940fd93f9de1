from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from standards.models import clause_list_key

from .team import ByAuditQuerySet


class PlanItemKind(models.TextChoices):
    """What a line of the itinerary is: auditing a department or process, or one of the two
    meetings every audit has (ISO/IEC 17021-1 9.4.2 opening meeting, 9.4.7 closing meeting).
    The meetings print with their name in the report's language."""

    AUDIT = "audit", _("Audit of a department or process")
    OPENING = "opening", _("Opening meeting")
    CLOSING = "closing", _("Closing meeting")


class PlanItem(models.Model):
    """One line of the audit plan's itinerary (审核计划, attachment 1 of the report)."""

    audit = models.ForeignKey(
        "audits.Audit", on_delete=models.CASCADE, related_name="plan_items", verbose_name=_("audit")
    )
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind of line"), max_length=10, choices=PlanItemKind.choices, default=PlanItemKind.AUDIT)
    start_time = models.TimeField(_("from"), null=True, blank=True)
    end_time = models.TimeField(_("to"), null=True, blank=True)
    department = models.ForeignKey(
        "clients.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name=_("department"),
    )
    process = models.CharField(
        _("process or activity"),
        max_length=300,
        blank=True,
        help_text=_("e.g. opening meeting, design and development"),
    )
    clauses = models.ManyToManyField("standards.Clause", related_name="+", blank=True, verbose_name=_("clauses"))
    auditor = models.ForeignKey(
        "audits.TeamAssignment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name=_("auditor"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = ByAuditQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[clauses])

    class Meta:
        verbose_name = _("audit plan line")
        verbose_name_plural = _("audit plan lines")
        ordering = ["audit", "day", "order", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                name="planitem_times_in_order",
                condition=Q(start_time__isnull=True) | Q(end_time__isnull=True) | Q(end_time__gt=F("start_time")),
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.label}"

    @property
    def clause_list(self) -> str:
        """The line's clauses, each once with its standard's letter, Q, J, E, S in turn: "Q 5.1,
        Q 7.5, S 5.1" (two standards' 5.1 are two clauses). Prefetch ``clauses__standard``."""
        return ", ".join(c.tagged_number for c in sorted(self.clauses.all(), key=clause_list_key))

    @property
    def label(self) -> str:
        """What the line audits, or the meeting's name: "综合部: 内审", "首次会议"."""
        parts = [str(self.get_kind_display())] if self.kind != PlanItemKind.AUDIT else []
        if self.department is not None:
            parts.append(self.department.name)
        if self.process:
            parts.append(self.process)
        return ": ".join(parts)
