from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.access import RestrictedQuerySet
from people.models import AuditorProfile

from .scope import audit_scoped


class TeamRole(models.TextChoices):
    # The labels the report prints in its team table (组内身份: 组长, 组员 …).
    LEADER = "leader", pgettext_lazy("role in the audit team", "Team leader")
    AUDITOR = "auditor", pgettext_lazy("role in the audit team", "Team member")
    TECHNICAL_EXPERT = "technical_expert", pgettext_lazy("role in the audit team", "Technical expert")
    OBSERVER = "observer", pgettext_lazy("role in the audit team", "Observer")


# Roles whose days count as audit time (IAF MD 5: technical experts, observers, translators
# and auditors in training do not).
AUDITING_ROLES = frozenset({TeamRole.LEADER, TeamRole.AUDITOR})
# Roles whose technical-area competence counts towards covering the client's codes.
CODE_COMPETENCE_ROLES = frozenset({TeamRole.LEADER, TeamRole.AUDITOR, TeamRole.TECHNICAL_EXPERT})


class WitnessRole(models.TextChoices):
    # 17021-1 7.2.10: an auditor's on-site evaluation (witnessing) is recorded on the team of the
    # audit where it happened, so competence monitoring counts it.
    NONE = "", _("—")
    WITNESS = "witness", _("evaluates another team member (witness)")
    WITNESSED = "witnessed", _("evaluated on site (witnessed)")


class ByAuditQuerySet(RestrictedQuerySet):
    """Rows of an audit are visible exactly when their audit is. (The audit model is the one the
    ``audit`` foreign key names: this module is imported by ``audit``, not the other way round.)"""

    def restrict(self, user, action="view"):
        return audit_scoped(self, user, action)


class TeamAssignment(models.Model):
    """A person on an audit's team, with the facts the report prints snapshotted at assignment
    (name, gender, registration number, technical-area codes), so later profile changes do not
    rewrite an issued report."""

    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="team", verbose_name=_("audit"))
    profile = models.ForeignKey(
        "people.AuditorProfile", on_delete=models.PROTECT, related_name="team_assignments", verbose_name=_("auditor")
    )
    role = models.CharField(_("role in the team"), max_length=20, choices=TeamRole.choices)
    days = models.DecimalField(
        _("days on this audit"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Empty: the audit's days on site."),
    )
    witness_role = models.CharField(
        _("on-site evaluation"), max_length=10, choices=WitnessRole.choices, default="", blank=True
    )
    # Snapshots for the report (part 一).
    name = models.CharField(_("name"), max_length=100, editable=False)
    gender = models.CharField(_("gender"), max_length=20, blank=True, editable=False)
    registration_number = models.CharField(_("registration number"), max_length=300, blank=True, editable=False)
    codes = models.CharField(_("technical-area codes"), max_length=300, blank=True, editable=False)
    qualifications = models.CharField(_("qualifications"), max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ByAuditQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team assignment")
        verbose_name_plural = _("team assignments")
        ordering = ["audit", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "profile"], name="teamassignment_once_per_audit"),
            models.UniqueConstraint(
                fields=["audit"], condition=Q(role="leader"), name="teamassignment_one_leader_per_audit"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"

    @property
    def counts_as_audit_time(self):
        return self.role in AUDITING_ROLES

    @property
    def effective_days(self):
        return self.days if self.days is not None else self.audit.on_site_days

    @property
    def gender_label(self):
        choices = dict(AuditorProfile._meta.get_field("gender").flatchoices)
        return choices.get(self.gender, self.gender)


class AccompanyingPerson(models.Model):
    """Someone accompanying the team who is not a CB auditor (与审核组同行人员): an accreditation
    witness, interpreter, guide …"""

    audit = models.ForeignKey(
        "audits.Audit", on_delete=models.CASCADE, related_name="accompanying_persons", verbose_name=_("audit")
    )
    name = models.CharField(_("name"), max_length=100)
    gender = models.CharField(_("gender"), max_length=20, blank=True)
    role = models.CharField(_("role"), max_length=100, help_text=_("e.g. observer, interpreter, guide"))
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    remarks = models.CharField(_("remarks"), max_length=300, blank=True)

    objects = ByAuditQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("accompanying person")
        verbose_name_plural = _("accompanying persons")
        ordering = ["audit", "pk"]

    def __str__(self):
        return self.name
