from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.imported import ImportedRecord
from core.lifecycle import LifecycleEvent

from .access import DecisionQuerySet


class DecisionType(models.TextChoices):
    GRANT = "grant", _("Grant certification")
    REFUSE = "refuse", _("Refuse certification")
    MAINTAIN = "maintain", _("Maintain certification (after surveillance)")
    RENEW = "renew", _("Renew certification (recertification)")
    EXTEND_SCOPE = "extend_scope", _("Extend the scope")
    REDUCE_SCOPE = "reduce_scope", _("Reduce the scope")
    SUSPEND = "suspend", _("Suspend certification")
    RESTORE = "restore", _("Restore certification")
    WITHDRAW = "withdraw", _("Withdraw certification")
    # IAF MD 2: certification transferred from another accredited CB (the previous CB's expiry kept).
    TRANSFER = "transfer", _("Transfer certification (IAF MD 2)")
    # A change of the holder's name or address: the certificates reissued under their numbers.
    REISSUE = "reissue", _("Reissue after a change of name or address")


class DecisionStatus(models.TextChoices):
    AWAITING_EVALUATION = "awaiting_evaluation", _("Awaiting the committee's evaluation")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    NOT_APPROVED = "not_approved", _("Not approved")


class EvaluationConclusion(models.TextChoices):
    """Part 十六 评定结论: 同意注册 / 不同意注册 (for other decision types: agree / disagree)."""

    AGREE = "agree", pgettext_lazy("evaluation conclusion", "Agree")
    DISAGREE = "disagree", pgettext_lazy("evaluation conclusion", "Disagree")


class ApprovalConclusion(models.TextChoices):
    """Part 十六 批准结论."""

    APPROVE = "approve", pgettext_lazy("approval conclusion", "Approved")
    NOT_APPROVE = "not_approve", pgettext_lazy("approval conclusion", "Not approved")


class Decision(ImportedRecord):
    """One certification decision, in the seed's two steps (part 十六): the committee's
    evaluation (评定结论, evaluator, date), then the approval (批准结论, approver, date).
    Part 十七 (differences from the closing meeting, other remarks) is written by the
    committee. The decision takes effect on approval (certification.services)."""

    decision_type = models.CharField(_("decision"), max_length=20, choices=DecisionType.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DecisionStatus.choices,
        default=DecisionStatus.AWAITING_EVALUATION,
        editable=False,
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="certification_decisions", verbose_name=_("client")
    )
    programme = models.ForeignKey(
        "audits.AuditProgramme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("audit programme"),
    )
    audit = models.ForeignKey(
        "audits.Audit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("audit decided on"),
        help_text=_("Empty for a suspension or withdrawal not based on an audit."),
    )
    review = models.ForeignKey(
        "certification.TechnicalReview",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("technical review"),
    )
    standards = models.ManyToManyField(
        "standards.Standard",
        blank=True,
        related_name="+",
        verbose_name=_("standards"),
        help_text=_("The standards certified (grant, renew, extend)."),
    )
    certificates = models.ManyToManyField(
        "certification.Certificate",
        blank=True,
        related_name="decisions",
        verbose_name=_("certificates"),
        help_text=_(
            "The certificates the decision acts on (maintain, scope change, suspend, restore, withdraw, renew)."
        ),
    )
    reason = models.ForeignKey(
        "certification.StatusReason",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reason code"),
    )
    suspension_ends_on = models.DateField(_("suspension ends on"), null=True, blank=True)
    # A transfer (IAF MD 2): the previous CB's certificate, printed on nothing but carried onto the
    # certificates issued and reported to the regulator (103010: reissue reason 0103, previous CB
    # and certificate number). Filled by the service that opens the decision, never by a form.
    previous_cb = models.CharField(_("previous certification body"), max_length=200, blank=True)
    previous_certificate_number = models.CharField(_("previous certificate number"), max_length=60, blank=True)
    previous_expires_on = models.DateField(_("previous certificate expires on"), null=True, blank=True)
    transfer_reason = models.TextField(_("reason for the transfer"), blank=True)
    flag = models.ForeignKey(
        "certification.CommitteeFlag",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("flag answered"),
    )
    # Step 1: the committee's evaluation (评定).
    evaluation_conclusion = models.CharField(
        _("evaluation conclusion"), max_length=10, choices=EvaluationConclusion.choices, blank=True
    )
    evaluation_remarks = models.TextField(_("evaluation remarks"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evaluator"),
    )
    evaluated_on = models.DateField(_("evaluation date"), null=True, blank=True)
    # Step 2: the approval (批准).
    approval_conclusion = models.CharField(
        _("approval conclusion"), max_length=12, choices=ApprovalConclusion.choices, blank=True
    )
    approval_remarks = models.TextField(_("approval remarks"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approver"),
    )
    approved_on = models.DateField(_("approval date"), null=True, blank=True)
    # An imported decision whose decision makers have no account here keeps their names only.
    evaluator_name = models.CharField(_("evaluator (imported record)"), max_length=100, blank=True)
    approver_name = models.CharField(_("approver (imported record)"), max_length=100, blank=True)
    # Part 十七.
    closing_meeting_differences = models.TextField(_("differences from the closing-meeting conclusion"), blank=True)
    other_remarks = models.TextField(_("other remarks"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    # Not auto_now_add: an imported decision keeps the day it was opened.
    created_at = models.DateTimeField(_("opened at"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = DecisionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[standards, certificates])

    class Meta:
        verbose_name = _("certification decision")
        verbose_name_plural = _("certification decisions")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("approve_decision", _("May approve certification decisions (批准)")),
        ]
        constraints = [
            models.CheckConstraint(name="decision_type_valid", condition=Q(decision_type__in=DecisionType.values)),
            models.CheckConstraint(name="decision_status_valid", condition=Q(status__in=DecisionStatus.values)),
        ]

    def __str__(self):
        return f"{self.get_decision_type_display()} · {self.client}"

    @property
    def decided_on(self):
        """The date the decision takes effect: the approval date."""
        return self.approved_on if self.status == DecisionStatus.APPROVED else None


class DecisionScope(models.Model):
    """The scope a decision certifies for one of its standards (zh and en): each certificate of an
    integrated decision prints its own standard's scope only (ISO/IEC 17021-1 8.2.2 e: the scope
    of certification is stated for the standard certified). Written when the decision is opened."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="scopes", verbose_name=_("certification decision")
    )
    standard = models.ForeignKey(
        "standards.Standard", on_delete=models.PROTECT, related_name="+", verbose_name=_("standard")
    )
    scope_zh = models.TextField(_("scope (Chinese)"))
    scope_en = models.TextField(_("scope (English)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scope of a decision")
        verbose_name_plural = _("scopes of a decision")
        ordering = ["decision", "standard__family", "standard__code"]
        constraints = [models.UniqueConstraint(fields=["decision", "standard"], name="decision_scope_one_per_standard")]

    def __str__(self):
        return f"{self.standard}: {self.scope_zh}"


class OpenDecisionOnCertificate(models.Model):
    """A certificate with a decision in progress on it: at most one row per certificate (the
    database refuses a second, so two racing requests cannot both open a decision on the same
    certificate). Written when the decision is opened, deleted when it is approved or not."""

    certificate = models.OneToOneField(
        "certification.Certificate",
        on_delete=models.CASCADE,
        related_name="open_decision",
        verbose_name=_("certificate"),
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="open_on_certificates", verbose_name=_("decision")
    )

    class Meta:
        verbose_name = _("decision in progress on a certificate")
        verbose_name_plural = _("decisions in progress on certificates")

    def __str__(self):
        return f"{self.certificate_id}: {self.decision_id}"


class DecisionAction(models.TextChoices):
    """The moves of the decision machine (``certification.lifecycle.DECISION_MACHINE``)."""

    OPEN = "create", _("Opened")
    EVALUATE = "evaluate", _("Evaluated by the committee")
    APPROVE = "approve", _("Approved")
    NOT_APPROVE = "not_approve", _("Not approved")


class DecisionEvent(LifecycleEvent):
    """Every status change of a certification decision: opened, evaluated, approved or not;
    who, when, why."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="events", verbose_name=_("certification decision")
    )
    action = models.CharField(_("action"), max_length=30, choices=DecisionAction.choices)
    from_status = models.CharField(_("from"), max_length=30, choices=DecisionStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=30, choices=DecisionStatus.choices)

    class Meta(LifecycleEvent.Meta):
        verbose_name = _("decision status change")
        verbose_name_plural = _("decision status changes")

    def __str__(self):
        return f"{self.decision_id}: {self.from_status or '-'} → {self.to_status}"
