"""An appeal (ISO/IEC 17021-1 9.7): a client asks the CB to reconsider a certification decision."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.lifecycle import LifecycleEvent

from .access import AppealQuerySet


class AppealStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    REVIEW = "review", _("Under review")
    DECIDED = "decided", _("Decided")
    ANSWERED = "answered", _("Answered (appellant told)")
    CLOSED = "closed", _("Closed")


OPEN_APPEAL_STATUSES = (AppealStatus.RECEIVED, AppealStatus.REVIEW, AppealStatus.DECIDED)


class AppealAction(models.TextChoices):
    CREATE = "create", _("Received")
    REVIEW = "review", _("Start the review")
    DECIDE = "decide", _("Decide")
    ANSWER = "answer", _("Answer the appellant")
    CLOSE = "close", _("Close")


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("Decision upheld")
    CHANGED = "changed", _("Decision changed")


class Appeal(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=AppealStatus.choices, default=AppealStatus.RECEIVED, editable=False
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="appeals", verbose_name=_("client")
    )
    decision = models.ForeignKey(
        "certification.Decision",
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("decision appealed"),
    )
    grounds = models.TextField(_("grounds of the appeal"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    received_on = models.DateField(_("received on"))
    answer_due_on = models.DateField(_("answer by"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals_reviewed",
        verbose_name=_("reviewer"),
    )
    findings = models.TextField(_("review findings"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=AppealOutcome.choices, blank=True)
    # A changed decision goes through the normal decision path: the new decision opened for it.
    new_decision = models.ForeignKey(
        "certification.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals_answered",
        verbose_name=_("new decision"),
    )
    answer_text = models.TextField(_("answer to the appellant"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.reference} · {self.client}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_APPEAL_STATUSES


class AppealEvent(LifecycleEvent):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=30, choices=AppealAction.choices)

    class Meta(LifecycleEvent.Meta):
        verbose_name = _("appeal event")
