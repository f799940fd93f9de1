from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.imported import ImportedRecord
from core.lifecycle import LifecycleEvent

from .access import ReviewIssueQuerySet, TechnicalReviewQuerySet

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("In review")
    PASSED = "passed", _("Passed")
    NOT_PASSED = "not_passed", _("Not passed")


# The checklist after ISO/IEC 17021-1 9.5.2 (key, clause, question). The keys are stored in
# ReviewAnswer.point; the order here is the order on the page and in the report.
CHECKLIST = [
    (
        "information_sufficient",
        "9.5.2 a)",
        _(
            "The information provided by the audit team is sufficient with respect to the certification requirements and the scope of certification."
        ),
    ),
    (
        "major_ncs_verified",
        "9.5.2 b)",
        _(
            "For every major nonconformity, the correction and corrective action have been reviewed, accepted and verified."
        ),
    ),
    (
        "minor_action_plans_accepted",
        "9.5.2 c)",
        _(
            "For every minor nonconformity, the client's plan for correction and corrective action has been reviewed and accepted."
        ),
    ),
    (
        "audit_time_matches",
        "9.1.4",
        _("The audit time matches the calculation; any deviation is justified."),
    ),
    (
        "team_competent",
        "9.2.2",
        _("The audit team is competent for the audit's technical codes."),
    ),
]
CHECKLIST_KEYS = [key for key, _clause, _text in CHECKLIST]


class ChecklistAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_APPLICABLE = "na", _("Not applicable")


class TechnicalReview(ImportedRecord):
    """The technical review (评定) of one audit before the certification decision."""

    audit = models.OneToOneField(
        "audits.Audit", on_delete=models.PROTECT, related_name="technical_review", verbose_name=_("audit")
    )
    status = models.CharField(_("status"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    conclusion_remark = models.TextField(_("reviewer's conclusion"), blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("concluded by"),
    )
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    # Not auto_now_add: an imported review keeps the day it was opened.
    created_at = models.DateTimeField(_("opened at"), default=timezone.now, editable=False)
    # An imported review whose reviewer has no account here keeps the name only.
    reviewer_name = models.CharField(_("reviewer (imported record)"), max_length=100, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = TechnicalReviewQuerySet.as_manager()
    history = HistoricalRecords()

    # Not a column: (key, clause, question, answer or None) per point, set by
    # ``certification.selectors.review_for_audit``.
    checklist: "list[tuple[str, str, StrOrPromise, ReviewAnswer | None]]"

    class Meta:
        verbose_name = _("technical review")
        verbose_name_plural = _("technical reviews")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="technicalreview_status_valid", condition=Q(status__in=ReviewStatus.values)),
        ]

    def __str__(self):
        return f"{_('technical review')} · {self.audit}"


class ReviewerAssignment(models.Model):
    """A reviewer the CB assigned to a technical review."""

    review = models.ForeignKey(TechnicalReview, on_delete=models.CASCADE, related_name="reviewers")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_assignments",
        verbose_name=_("reviewer"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reviewer assignment")
        verbose_name_plural = _("reviewer assignments")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["review", "reviewer"], name="reviewerassignment_unique")]

    def __str__(self):
        return str(self.reviewer)


class ReviewAnswer(models.Model):
    """The answer to one checklist point, with the reviewer's remark."""

    review = models.ForeignKey(TechnicalReview, on_delete=models.CASCADE, related_name="answers")
    point = models.CharField(_("checklist point"), max_length=40, choices=[(k, k) for k in CHECKLIST_KEYS])
    answer = models.CharField(_("answer"), max_length=3, choices=ChecklistAnswer.choices)
    remark = models.TextField(_("remark"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("answered by")
    )
    answered_at = models.DateTimeField(_("answered at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        constraints = [
            models.UniqueConstraint(fields=["review", "point"], name="reviewanswer_unique_point"),
            models.CheckConstraint(name="reviewanswer_answer_valid", condition=Q(answer__in=ChecklistAnswer.values)),
        ]

    def __str__(self):
        return f"{self.point}: {self.answer}"


class ReviewIssue(models.Model):
    """A question the reviewer sends back to the team leader, and the leader's answer."""

    review = models.ForeignKey(TechnicalReview, on_delete=models.CASCADE, related_name="issues")
    text = models.TextField(_("issue"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("raised by")
    )
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    response = models.TextField(_("team leader's answer"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    resolved = models.BooleanField(_("resolved"), default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    objects = ReviewIssueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review issue")
        verbose_name_plural = _("review issues")
        ordering = ["raised_at", "pk"]

    def __str__(self):
        return self.text[:60]

    @property
    def answered(self):
        return bool(self.responded_at)


class ReviewAction(models.TextChoices):
    """The moves of the review machine (``certification.lifecycle.REVIEW_MACHINE``)."""

    OPEN = "create", _("Opened")
    PASS = "pass", _("Passed")
    NOT_PASS = "not_pass", _("Not passed")


class TechnicalReviewEvent(LifecycleEvent):
    """Every status change of a technical review: opened, passed or not passed; who, when, why."""

    review = models.ForeignKey(
        TechnicalReview, on_delete=models.CASCADE, related_name="events", verbose_name=_("technical review")
    )
    action = models.CharField(_("action"), max_length=30, choices=ReviewAction.choices)
    from_status = models.CharField(_("from"), max_length=30, choices=ReviewStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=30, choices=ReviewStatus.choices)

    class Meta(LifecycleEvent.Meta):
        verbose_name = _("technical review status change")
        verbose_name_plural = _("technical review status changes")

    def __str__(self):
        return f"{self.review_id}: {self.from_status or '-'} → {self.to_status}"
