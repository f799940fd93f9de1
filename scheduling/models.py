"""Scheduling's own records: the CB's scheduling and monitoring policy, each auditor's private
calendar feeds, and what competence monitoring (ISO/IEC 17021-1 7.2.10) records besides the
witnessing already on the audit teams: performance reviews, CPD and client feedback."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import RestrictedQuerySet, Role


class SchedulingPolicyManager(models.Manager):
    def current(self) -> "SchedulingPolicy":
        """The one row, or the defaults (unsaved) until a CB administrator saves it in the admin:
        opening a page never writes."""
        return self.filter(key=1).first() or self.model(key=1)


class SchedulingPolicy(models.Model):
    """The CB's staffing and monitoring settings (one row; edit it in the admin). Every figure is
    a CB setting: the defaults are common practice, from memory, not a quoted requirement except
    where the comment names the clause."""

    key = models.PositiveSmallIntegerField(default=1, editable=False, unique=True)
    # Rotation of the team leader (ISO/IEC 17021-1 5.2 impartiality threats of familiarity; CNCA
    # asks CBs to rotate; the number of cycles is CB policy, from memory 2).
    rotation_max_cycles = models.PositiveSmallIntegerField(
        _("a leader leads the same client for at most (consecutive cycles)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    # ISO/IEC 17021-1:2015 7.2.10 asks for on-site evaluation of each auditor; "every three years"
    # is the usual reading (IAF and accreditation bodies' guidance), from memory, so a setting.
    witness_interval_months = models.PositiveSmallIntegerField(
        _("on-site evaluation (witnessing) at least every (months)"),
        default=36,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    review_interval_months = models.PositiveSmallIntegerField(
        _("performance review every (months)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    cpd_hours_per_year = models.DecimalField(
        _("CPD hours required in the last 12 months"), max_digits=5, decimal_places=1, default=Decimal(16)
    )
    due_soon_days = models.PositiveSmallIntegerField(
        _("show as due this many days ahead"), default=60, validators=[MaxValueValidator(365)]
    )

    objects = SchedulingPolicyManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scheduling and monitoring policy")
        verbose_name_plural = _("scheduling and monitoring policy")
        constraints = [models.CheckConstraint(name="schedulingpolicy_single_row", condition=Q(key=1))]

    def __str__(self):
        return str(_("Scheduling and monitoring policy"))


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A private, revocable address of an auditor's calendar (iCalendar) for their phone."""

    profile = models.ForeignKey(
        "people.AuditorProfile", on_delete=models.CASCADE, related_name="calendar_feeds", verbose_name=_("auditor")
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.profile.user} feed"


class ReviewOutcome(models.TextChoices):
    SATISFACTORY = "satisfactory", _("Satisfactory")
    IMPROVE = "improve", _("Improvement needed")
    UNSATISFACTORY = "unsatisfactory", _("Unsatisfactory")


class MonitoringQuerySet(RestrictedQuerySet):
    """CB administrators see and record every auditor's monitoring; an auditor sees their own."""

    def restrict(self, user, action="view"):
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.role == Role.CB_ADMIN:
            return self
        if action == "view" and user.role in (Role.AUDITOR, Role.TEAM_LEADER):
            return self.filter(profile__user=user)
        return self.none()


class PerformanceReview(models.Model):
    """The annual performance review of an auditor (17021-1 7.2.10): reports' quality from the
    technical review, client feedback, complaints."""

    profile = models.ForeignKey(
        "people.AuditorProfile", on_delete=models.CASCADE, related_name="performance_reviews", verbose_name=_("auditor")
    )
    reviewed_on = models.DateField(_("reviewed on"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=ReviewOutcome.choices)
    summary = models.TextField(_("summary"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = MonitoringQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("performance review")
        verbose_name_plural = _("performance reviews")
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self):
        return f"{self.profile.user} {self.reviewed_on}"


class CpdRecord(models.Model):
    """Continual professional development an auditor completed."""

    profile = models.ForeignKey(
        "people.AuditorProfile", on_delete=models.CASCADE, related_name="cpd_records", verbose_name=_("auditor")
    )
    completed_on = models.DateField(_("completed on"))
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    title = models.CharField(_("activity"), max_length=200)

    objects = MonitoringQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("CPD record")
        verbose_name_plural = _("CPD records")
        ordering = ["-completed_on", "-pk"]

    def __str__(self):
        return f"{self.profile.user} {self.title}"


class Rating(models.IntegerChoices):
    POOR = 1, _("1 – poor")
    FAIR = 2, _("2 – fair")
    GOOD = 3, _("3 – good")
    VERY_GOOD = 4, _("4 – very good")
    EXCELLENT = 5, _("5 – excellent")


class ClientFeedback(models.Model):
    """The client's short feedback after an audit (portal), read by the auditors' review."""

    audit = models.OneToOneField(
        "audits.Audit", on_delete=models.CASCADE, related_name="client_feedback", verbose_name=_("audit")
    )
    competence = models.PositiveSmallIntegerField(_("the team's competence"), choices=Rating.choices)
    conduct = models.PositiveSmallIntegerField(_("professional conduct and punctuality"), choices=Rating.choices)
    communication = models.PositiveSmallIntegerField(_("clarity of findings and communication"), choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("client feedback")
        verbose_name_plural = _("client feedback")

    def __str__(self):
        return f"{self.audit_id}: {self.average}"

    @property
    def average(self) -> Decimal:
        return (Decimal(self.competence + self.conduct + self.communication) / 3).quantize(Decimal("0.1"))
