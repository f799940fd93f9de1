from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import RestrictedQuerySet, Role
from core.imported import ImportedRecord
from core.lifecycle import LifecycleEvent

from .. import audit_time
from .availability import HalfDay, half_days_in_order
from .scope import sees_every_audit
from .team import TeamAssignment, TeamRole


class AuditType(models.TextChoices):
    STAGE_1 = "stage_1", _("Stage 1 audit")
    STAGE_2 = "stage_2", _("Stage 2 audit")
    SURVEILLANCE_1 = "surveillance_1", _("Surveillance audit 1")
    SURVEILLANCE_2 = "surveillance_2", _("Surveillance audit 2")
    RECERTIFICATION = "recertification", _("Recertification audit")
    SPECIAL = "special", _("Special audit")
    SHORT_NOTICE = "short_notice", _("Short-notice audit")
    SCOPE_EXTENSION = "scope_extension", _("Scope-extension audit")
    TRANSFER = "transfer", _("Transfer audit")
    RESTORATION = "restoration", _("Restoration audit")


# Which IAF MD 5 audit-time basis an audit type uses (None: MD 5 gives no figure; the CB
# records the man-days and the reason). Restoration completes the outstanding
# recertification activities (ISO/IEC 17021-1 9.6.3.2.5), so it uses the recertification basis.
AUDIT_TIME_BASIS = {
    AuditType.STAGE_1: audit_time.AuditType.INITIAL,
    AuditType.STAGE_2: audit_time.AuditType.INITIAL,
    AuditType.SURVEILLANCE_1: audit_time.AuditType.SURVEILLANCE,
    AuditType.SURVEILLANCE_2: audit_time.AuditType.SURVEILLANCE,
    AuditType.RECERTIFICATION: audit_time.AuditType.RECERTIFICATION,
    AuditType.RESTORATION: audit_time.AuditType.RECERTIFICATION,
    AuditType.SPECIAL: None,
    AuditType.SHORT_NOTICE: None,
    AuditType.SCOPE_EXTENSION: None,
    AuditType.TRANSFER: None,
}


class AuditPurpose(models.TextChoices):
    """Part 二 of the report. The keys of the seed's rows (stage2, recertification,
    restoration) are the report template's option keys."""

    STAGE_1 = "stage1", _("Stage 1 audit")
    STAGE_2 = "stage2", _("Stage 2 audit")
    SURVEILLANCE = "surveillance", _("Surveillance audit")
    RECERTIFICATION = "recertification", _("Recertification audit")
    RESTORATION = "restoration", _("Restoration audit")
    SCOPE_EXTENSION = "scope_extension", _("Scope-extension audit")
    SPECIAL = "special", _("Special audit")
    TRANSFER = "transfer", _("Transfer audit")


PURPOSE_FOR_TYPE: dict[str, str] = {
    AuditType.STAGE_1: AuditPurpose.STAGE_1,
    AuditType.STAGE_2: AuditPurpose.STAGE_2,
    AuditType.SURVEILLANCE_1: AuditPurpose.SURVEILLANCE,
    AuditType.SURVEILLANCE_2: AuditPurpose.SURVEILLANCE,
    AuditType.RECERTIFICATION: AuditPurpose.RECERTIFICATION,
    AuditType.RESTORATION: AuditPurpose.RESTORATION,
    AuditType.SCOPE_EXTENSION: AuditPurpose.SCOPE_EXTENSION,
    AuditType.SPECIAL: AuditPurpose.SPECIAL,
    AuditType.SHORT_NOTICE: AuditPurpose.SPECIAL,
    AuditType.TRANSFER: AuditPurpose.TRANSFER,
}

# The sentence the report prints under each purpose (the seed's wording for its three rows).
PURPOSE_DESCRIPTIONS = {
    AuditPurpose.STAGE_1: _(
        "To audit the client's management system documented information, evaluate its readiness for "
        "stage 2 and plan stage 2."
    ),
    AuditPurpose.STAGE_2: _(
        "To evaluate the conformity and effectiveness of the establishment, implementation and operation "
        "of the organization's management system, to determine whether to recommend certification."
    ),
    AuditPurpose.SURVEILLANCE: _(
        "To evaluate whether the certified management system continues to fulfil the requirements, "
        "to determine whether to recommend maintaining certification."
    ),
    AuditPurpose.RECERTIFICATION: _(
        "To evaluate the continued conformity and effectiveness of the management system as a whole, to "
        "determine whether to recommend renewal of certification and reissue of the certificate."
    ),
    AuditPurpose.RESTORATION: _(
        "To evaluate whether the corrections made and the system's operation during the suspension meet "
        "the requirements, to determine whether to recommend restoration of certification."
    ),
    AuditPurpose.SCOPE_EXTENSION: _(
        "To evaluate the conformity of the management system for the extended scope, to determine "
        "whether to recommend extending the scope of certification."
    ),
    AuditPurpose.SPECIAL: _("To investigate the matter that gave rise to this special audit."),
    AuditPurpose.TRANSFER: _(
        "To review the certification issued by another certification body, to determine whether to "
        "recommend transferring the certification."
    ),
}


class AuditMethod(models.TextChoices):
    """The CNCA report codes for the audit method."""

    ON_SITE = "FS01", _("On-site (FS01)")
    REMOTE = "FS02", _("Remote (FS02)")
    MIXED = "FS03", _("On-site and remote (FS03)")


class AuditStatus(models.TextChoices):
    """The audit lifecycle (DESIGN.md). Changed only by the action functions in services.py,
    each of which writes an AuditTransition row."""

    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    REPORT_DRAFTED = "report_drafted", _("Report drafted")
    SUBMITTED = "submitted", _("Submitted to the team leader")
    APPROVED = "approved", _("Report approved")
    NCS_CLOSED = "ncs_closed", _("Nonconformities closed")
    TECHNICAL_REVIEW = "technical_review", _("In technical review")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses after the on-site audit: the audit counts as done for the programme.
ON_SITE_DONE_STATUSES = frozenset(
    {
        AuditStatus.REPORT_DRAFTED,
        AuditStatus.SUBMITTED,
        AuditStatus.APPROVED,
        AuditStatus.NCS_CLOSED,
        AuditStatus.TECHNICAL_REVIEW,
        AuditStatus.DECIDED,
        AuditStatus.CLOSED,
    }
)
# Statuses whose team still occupies the auditors' calendar.
ACTIVE_STATUSES = frozenset(set(AuditStatus.values) - {AuditStatus.CANCELLED})


# Report template option keys (report_template.yaml, part 三) for the standards.
CRITERIA_KEY_BY_STANDARD = {
    ("ISO 9001", "2015"): "gb19001",
    ("GB/T 50430", "2017"): "gb50430",
    ("ISO 14001", "2015"): "gb24001",
    ("GB/T 28001", "2011"): "gb28001",
    ("ISO 45001", "2018"): "iso45001",
}


class Complexity(models.TextChoices):
    """IAF MD 5 complexity categories (EMS: Annex B; OH&S: Annex C; QMS has none)."""

    HIGH = audit_time.Complexity.HIGH.value, _("High")
    MEDIUM = audit_time.Complexity.MEDIUM.value, _("Medium")
    LOW = audit_time.Complexity.LOW.value, _("Low")
    LIMITED = audit_time.Complexity.LIMITED.value, _("Limited (EMS only)")


def _team_scope(user, action):
    """The ids of the audits a team member may ``action`` (his team rows'), or None for an action
    that is not a team member's: the one rule ``restrict`` and ``ids_for`` both apply."""
    if action in ("view", "change"):
        return _team_audit_ids(user)
    if action == "lead":
        return _team_audit_ids(user, leader_only=True)
    return None


def _team_audit_ids(user, *, leader_only=False):
    assignments = TeamAssignment.objects.filter(profile__user=user)
    if leader_only:
        assignments = assignments.filter(role=TeamRole.LEADER)
    return assignments.values("audit_id")


class AuditQuerySet(RestrictedQuerySet):
    """Object-level access to audits.

    Actions: ``view`` (read the audit and its plan), ``change`` (work on the audit's report
    and findings: the team), ``lead`` (the team leader's acts), ``plan`` (plan, staff and
    schedule the audit: CB administrators only).

    * CB administrator: every audit, every action.
    * auditor / team leader: ``view`` and ``change`` on audits they are on; ``lead`` on
      audits they lead.
    * committee: ``view`` on every audit.
    * client user: ``view`` on its own organisation's audits.
    """

    def restrict(self, user, action="view"):
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if sees_every_audit(user, action):
            return self
        if user.role in (Role.AUDITOR, Role.TEAM_LEADER):
            team_ids = _team_scope(user, action)
            return self.none() if team_ids is None else self.filter(pk__in=team_ids)
        if user.role == Role.CLIENT and action == "view":
            return self.filter(client_id=user.client_id)
        return self.none()

    def ids_for(self, user, action="view"):
        """The ids of the audits ``restrict(user, action)`` keeps, as a subquery for rows of an
        audit (``audits.models.scope.audit_scoped``). For a team member, his team rows' audit ids
        directly: with the audit table nested in between, PostgreSQL hash-joined every NC of the
        CB before keeping his (a team leader's NC register: 187 ms -> 2 ms of SQL at mid size)."""
        if user.is_authenticated and user.is_active and user.role in (Role.AUDITOR, Role.TEAM_LEADER):
            team_ids = _team_scope(user, action)
            if team_ids is not None:
                return team_ids
        return self.restrict(user, action).values("pk")

    def for_list(self):
        """What the list page shows, in a fixed number of queries."""
        return self.select_related("client", "programme").prefetch_related(
            "standards",
            models.Prefetch(
                "team",
                queryset=TeamAssignment.objects.filter(role=TeamRole.LEADER),
                to_attr="leader_assignments",
            ),
        )


class Audit(ImportedRecord):
    """One audit of one client: what, against which criteria, when, where, by whom, how long."""

    programme = models.ForeignKey(
        "audits.AuditProgramme", on_delete=models.PROTECT, related_name="audits", verbose_name=_("audit programme")
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="audits", verbose_name=_("client organisation")
    )
    audit_type = models.CharField(_("audit type"), max_length=20, choices=AuditType.choices)
    purpose = models.CharField(_("audit purpose"), max_length=20, choices=AuditPurpose.choices)
    method = models.CharField(_("audit method"), max_length=4, choices=AuditMethod.choices, default=AuditMethod.ON_SITE)
    standards = models.ManyToManyField(
        "standards.Standard", through="audits.AuditStandard", related_name="audits", verbose_name=_("standards")
    )
    integrated = models.BooleanField(_("integrated audit"), default=False)
    integration_reduction_percent = models.DecimalField(
        _("integration reduction (%)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(0), MaxValueValidator(audit_time.MAX_INTEGRATION_REDUCTION_PERCENT)],
        help_text=_("IAF MD 11: at most 20 percent of the summed audit times, for integrated audits only."),
    )
    integration_reduction_reason = models.TextField(_("reason for the integration reduction"), blank=True)
    effective_personnel = models.PositiveIntegerField(
        _("effective number of personnel"),
        validators=[MinValueValidator(1)],
        help_text=_("IAF MD 5: usually the client's headcount; part-time staff counted as full-time equivalents."),
    )
    effective_personnel_reason = models.TextField(
        _("why the effective personnel differs from the headcount"), blank=True
    )
    criteria_client_documents = models.BooleanField(_("the auditee's management-system documents"), default=True)
    criteria_legislation = models.BooleanField(_("applicable laws and regulations"), default=True)
    criteria_other = models.CharField(_("other criteria"), max_length=300, blank=True)
    non_applicable_clauses = models.ManyToManyField(
        "standards.Clause",
        through="audits.NonApplicableClause",
        related_name="+",
        blank=True,
        verbose_name=_("non-applicable clauses"),
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    # The half days the team is taken (audits.availability): a half-day audit or one that
    # starts after lunch leaves the other half free for another audit.
    start_half = models.CharField(_("first day from"), max_length=2, choices=HalfDay.choices, default=HalfDay.MORNING)
    end_half = models.CharField(_("last day until"), max_length=2, choices=HalfDay.choices, default=HalfDay.AFTERNOON)
    on_site_days = models.DecimalField(
        _("days on site"), max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    sites = models.ManyToManyField("clients.Site", related_name="audits", blank=True, verbose_name=_("sites audited"))
    calculated_man_days = models.DecimalField(
        _("calculated man-days"), max_digits=5, decimal_places=1, null=True, blank=True, editable=False
    )
    calculation = models.JSONField(_("audit-time calculation"), default=dict, blank=True, editable=False)
    planned_man_days = models.DecimalField(
        _("planned man-days"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    man_days_deviation_reason = models.TextField(_("reason for deviating from the calculated man-days"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AuditStatus.choices, default=AuditStatus.PLANNED, editable=False
    )
    notes = models.TextField(_("notes"), blank=True)
    # An imported past audit whose team leader has no auditor profile here keeps the name only.
    imported_leader_name = models.CharField(_("team leader (imported record)"), max_length=100, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    plan_version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped by every itinerary save: detects concurrent itinerary edits."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    objects = AuditQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[sites], excluded_fields=["updated_at", "plan_version"])

    class Meta:
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["-start_date", "-id"], name="audit_list_order")]  # the audit list
        constraints = [
            models.CheckConstraint(name="audit_dates_in_order", condition=Q(end_date__gte=F("start_date"))),
            models.CheckConstraint(name="audit_half_days_in_order", condition=half_days_in_order()),
            models.CheckConstraint(name="audit_status_valid", condition=Q(status__in=AuditStatus.values)),
            models.CheckConstraint(name="audit_type_valid", condition=Q(audit_type__in=AuditType.values)),
        ]

    def __str__(self):
        return f"{self.client} · {self.get_audit_type_display()} · {self.start_date:%Y-%m-%d}"

    # --- facts for pages and the report -------------------------------------------------
    @property
    def leader(self):
        """The leader's TeamAssignment, or None."""
        cached = getattr(self, "leader_assignments", None)
        if cached is not None:
            return cached[0] if cached else None
        return self.team.filter(role=TeamRole.LEADER).select_related("profile__user").first()

    @property
    def families(self):
        """Management-system families audited, in QMS, EMS, OHSMS order."""
        order = {"QMS": 0, "EMS": 1, "OHSMS": 2}
        return sorted({s.family for s in self.standards.all()}, key=lambda f: (order.get(f, 9), f))

    @property
    def purpose_description(self):
        return PURPOSE_DESCRIPTIONS.get(self.purpose, "")

    @property
    def criteria(self):
        """Option keys of part 三 (report_template.yaml) that this audit ticks."""
        keys = []
        for standard in self.standards.all():
            key = CRITERIA_KEY_BY_STANDARD.get((standard.code, standard.edition))
            if key:
                keys.append(key)
        if self.criteria_client_documents:
            keys.append("client_ms_documents")
        if self.criteria_legislation:
            keys.append("applicable_legislation")
        if self.criteria_other:
            keys.append("other")
        return keys

    def non_applicable_for(self, standard):
        """The NonApplicableClause rows of one standard, in clause order."""
        return [
            row
            for row in self.non_applicable_rows.select_related("clause__standard").order_by("clause__sort_key")
            if row.clause.standard_id == standard.pk
        ]

    @property
    def counts_as_done(self):
        return self.status in ON_SITE_DONE_STATUSES

    @property
    def calendar_days(self):
        return (self.end_date - self.start_date).days + 1


class AuditStandard(models.Model):
    """A standard of the audit and its IAF MD 5 complexity category (EMS, OH&S)."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="audit_standards")
    standard = models.ForeignKey(
        "standards.Standard", on_delete=models.PROTECT, related_name="+", verbose_name=_("standard")
    )
    complexity = models.CharField(_("complexity category"), max_length=10, choices=Complexity.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("standard of the audit")
        verbose_name_plural = _("standards of the audit")
        constraints = [models.UniqueConstraint(fields=["audit", "standard"], name="auditstandard_unique")]

    def __str__(self):
        return str(self.standard)


class AuditTimeAdjustment(models.Model):
    """A documented increase (+) or reduction (−) of one standard's table time (IAF MD 5)."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="time_adjustments")
    standard = models.ForeignKey(
        "standards.Standard", on_delete=models.PROTECT, related_name="+", verbose_name=_("standard")
    )
    percent = models.DecimalField(
        _("percent"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(-100), MaxValueValidator(200)],
        help_text=_("Positive to increase, negative to reduce; reductions together at most 30 percent."),
    )
    reason = models.CharField(_("reason"), max_length=300)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("audit-time adjustment")
        verbose_name_plural = _("audit-time adjustments")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.standard} {self.percent:+}%: {self.reason}"


class NonApplicableClause(models.Model):
    """A clause of one of the audit's standards that does not apply, and why (不适用条款)."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="non_applicable_rows")
    clause = models.ForeignKey("standards.Clause", on_delete=models.PROTECT, related_name="+", verbose_name=_("clause"))
    justification = models.CharField(_("justification"), max_length=500)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("non-applicable clause")
        verbose_name_plural = _("non-applicable clauses")
        constraints = [models.UniqueConstraint(fields=["audit", "clause"], name="nonapplicableclause_unique")]

    def __str__(self):
        return f"{self.clause.standard} {self.clause.number}"


class AuditTransition(LifecycleEvent):
    """Every status change of an audit (``audits.lifecycle``): who, when, which action, from → to."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=30, choices=AuditStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=30, choices=AuditStatus.choices)

    class Meta(LifecycleEvent.Meta):
        verbose_name = _("audit status change")
        verbose_name_plural = _("audit status changes")

    def __str__(self):
        return f"{self.audit_id}: {self.from_status or '-'} → {self.to_status}"
