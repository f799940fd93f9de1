"""A review of one document version: its progress as a background job, the outline read, the
proposals and the auditor's decision on each; the areas of concern of the stage 1 audit."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..analysis.proposals import KIND_LABELS
from .documents import DocumentVersion


class ReviewStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Reading the document")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ProposalDecision(models.TextChoices):
    OPEN = "open", _("To decide")
    CONFIRMED = "confirmed", _("Confirmed: area of concern")
    DISMISSED = "dismissed", _("Dismissed")


class ProposalChange(models.TextChoices):
    FIRST = "", _("First review")
    NEW = "new", _("New in this version")
    UNCHANGED = "unchanged", _("Also in the previous version")


class DocumentReview(models.Model):
    """The review of one version (a Celery job: queued → running → done/failed, with progress).

    Like a report's render job, its status is the progress of a background job nobody decides,
    not a lifecycle: it is written with conditional updates."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="reviews")
    standards = models.ManyToManyField("standards.Standard", related_name="+", verbose_name=_("standards"))
    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.TextField(_("message"), blank=True)
    outline = models.JSONField(_("outline"), default=list, blank=True)
    matrices = models.JSONField(_("responsibility matrices"), default=list, blank=True)
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("compared with")
    )
    resolved = models.JSONField(_("no longer found"), default=list, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document review")
        verbose_name_plural = _("document reviews")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="stage1_review_status_valid", condition=Q(status__in=ReviewStatus.values)),
            models.CheckConstraint(name="stage1_review_progress_range", condition=Q(progress__lte=100)),
        ]

    def __str__(self):
        return f"{self.version} ({self.get_status_display()})"


class ReviewProposal(models.Model):
    """What the analyser proposed, with its evidence; the auditor confirms or dismisses it."""

    review = models.ForeignKey(DocumentReview, on_delete=models.CASCADE, related_name="proposals")
    position = models.PositiveIntegerField()
    kind = models.CharField(_("kind"), max_length=30)
    clause = models.CharField(_("clause"), max_length=40, blank=True)
    standard = models.CharField(_("standard"), max_length=80, blank=True)
    template = models.TextField()
    params = models.JSONField(default=dict)
    evidence = models.JSONField(_("evidence"), default=list)
    key = models.CharField(max_length=400)
    change = models.CharField(_("change"), max_length=10, choices=ProposalChange.choices, blank=True, default="")
    decision = models.CharField(
        _("decision"), max_length=10, choices=ProposalDecision.choices, default=ProposalDecision.OPEN
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review proposal")
        verbose_name_plural = _("review proposals")
        ordering = ["review", "position"]
        constraints = [
            models.CheckConstraint(name="stage1_decision_valid", condition=Q(decision__in=ProposalDecision.values)),
            models.CheckConstraint(
                name="stage1_dismissal_has_reason", condition=~Q(decision=ProposalDecision.DISMISSED) | ~Q(reason="")
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def kind_label(self) -> str:
        return gettext(KIND_LABELS.get(self.kind, self.kind))

    @property
    def text(self) -> str:
        """The message in the reader's language."""
        try:
            return gettext(self.template) % self.params
        except (KeyError, TypeError, ValueError):
            return self.template % self.params


class AreaOfConcern(models.Model):
    """An area of concern of the stage 1 audit (ISO/IEC 17021-1 9.3.1.2.3: areas that could be
    classified as nonconformities at stage 2), from a confirmed proposal or written by hand."""

    audit = models.ForeignKey(
        "audits.Audit", on_delete=models.CASCADE, related_name="stage_1_concerns", verbose_name=_("audit")
    )
    clause = models.ForeignKey(
        "standards.Clause", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("clause")
    )
    text = models.TextField(_("area of concern"))
    evidence = models.TextField(_("evidence"), blank=True)
    proposal = models.OneToOneField(
        ReviewProposal, on_delete=models.PROTECT, null=True, blank=True, related_name="concern"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("raised by")
    )
    created_at = models.DateTimeField(_("raised at"), default=timezone.now)
    answer = models.TextField(_("client's answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer_version = models.ForeignKey(
        DocumentVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("corrected document"),
    )

    class Meta:
        verbose_name = _("area of concern")
        verbose_name_plural = _("areas of concern")
        ordering = ["audit", "created_at", "pk"]

    def __str__(self):
        return self.text[:80]

    @property
    def is_open(self) -> bool:
        return not self.answer
