"""Nonconformities raised from findings (grade major/minor/observation, requirement, statement,
evidence) and who may see and move them. The lifecycle (client response, verification, closure)
is built on ``Nonconformity.status`` and moved by ``findings.lifecycle.NC_MACHINE``; raising is
``findings.services.nonconformity_raise``.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audits.models import TeamAssignment, TeamRole
from audits.models.scope import audit_scoped
from audits.models.team import AUDITING_ROLES, ByAuditQuerySet
from core.access import Role

from .. import rules


class NonconformityGrade(models.TextChoices):
    MAJOR = "major", _("Major nonconformity")
    MINOR = "minor", _("Minor nonconformity")
    OBSERVATION = "observation", _("Observation")


class NonconformityStatus(models.TextChoices):
    """The NC lifecycle (``findings.lifecycle.NC_MACHINE`` moves it): open → responded (the client's
    answer) → verified (accepted by the auditor) → closed (approved by the team leader); a
    rejected answer or closure sends it back to the client (returned)."""

    OPEN = "open", _("Open")
    RESPONDED = "responded", _("Response submitted, awaiting verification")
    RETURNED = "returned", _("Returned to the client")
    VERIFIED = "verified", _("Accepted, closure pending")
    CLOSED = "closed", _("Closed")


def restrict_nonconformities(queryset, user, action="view", prefix=""):
    """Object-level access to nonconformities (``prefix`` for related querysets, e.g. "nc__").

    * ``view``: whoever sees the audit (its team, CB administrators, the committee, the audited
      organisation's client users).
    * ``respond``: the audited organisation's client users.
    * ``verify``: the audit's team leader and members (not technical experts or observers).
    * ``approve``: the audit's team leader.
    * ``change``: the audit's team (raising NCs while writing the report).
    """
    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    if action == "respond":
        if user.role != Role.CLIENT or not user.client_id:
            return queryset.none()
        return queryset.filter(**{f"{prefix}audit__client_id": user.client_id})
    if action in ("verify", "approve"):
        # The audit's own team acts, never a CB administrator or the committee on its behalf.
        if user.role not in (Role.AUDITOR, Role.TEAM_LEADER):
            return queryset.none()
        roles = AUDITING_ROLES if action == "verify" else [TeamRole.LEADER]
        audit_ids = TeamAssignment.objects.filter(profile__user=user, role__in=roles).values("audit_id")
        return queryset.filter(**{f"{prefix}audit_id__in": audit_ids})
    audit_action = {"view": "view", "change": "change"}.get(action)
    if audit_action is None:
        return queryset.none()
    return audit_scoped(queryset, user, audit_action, field=f"{prefix}audit")


class NonconformityQuerySet(ByAuditQuerySet):
    """The audit's team and CB administrators; the committee reads; a client user sees its own
    organisation's NCs (it answers them). Actions ``respond``, ``verify`` and ``approve``: see
    ``restrict_nonconformities``."""

    def restrict(self, user, action="view"):
        return restrict_nonconformities(self, user, action)


class Nonconformity(models.Model):
    audit = models.ForeignKey(
        "audits.Audit", on_delete=models.CASCADE, related_name="nonconformities", verbose_name=_("audit")
    )
    finding = models.ForeignKey(
        "findings.Finding",
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
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("raised by"),
    )
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = NonconformityQuerySet.as_manager()
    history = HistoricalRecords(table_name="audits_historicalnonconformity")

    # Not columns: the register's flags, set on loaded rows by ``findings.selectors.with_flags``.
    is_overdue: bool
    days_overdue: int
    suspension_grounds: bool
    status_css: str
    stage2_limit: datetime.date | None
    new_stage2_required: bool

    class Meta:
        db_table = "audits_nonconformity"  # the table of the audits app, where NCs were first kept
        verbose_name = _("nonconformity")
        verbose_name_plural = _("nonconformities")
        ordering = ["audit", "number"]
        indexes = [
            # The figures' NCs raised per month (a range of months) and the open NCs' ageing by
            # grade (an index-only read of the open ones, not the table).
            models.Index(fields=["raised_at"], name="nonconformity_raised_at"),
            models.Index(fields=["grade", "raised_at"], name="nonconformity_open_age", condition=~Q(status="closed")),
            # Overdue NCs (``findings.selectors.overdue_q``: due before today, awaiting the
            # auditor's verification): the administrator's count and the committee's suspension
            # grounds, first by due date, read from the few waiting, not the table.
            models.Index(
                fields=["due_date", "id"],
                name="nonconformity_awaiting_due",
                condition=Q(status__in=sorted(rules.AWAITING_VERIFICATION)),
            ),
        ]
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
        # The due date is fixed when the NC is raised, from the CB's rules (findings.rules).
        if self._state.adding and self.due_date is None:
            from ..selectors import default_due_date  # the selectors import these models

            self.due_date = default_due_date(audit=self.audit, grade=self.grade)
        super().save(*args, **kwargs)
