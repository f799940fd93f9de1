"""When an auditor cannot audit: leave, other unavailability and travel, to the half day.

An audit occupies its days from ``Audit.start_half`` of the first day to ``Audit.end_half`` of
the last; an absence likewise. The clash rule that compares them is ``audits.availability``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import RestrictedQuerySet, Role


class HalfDay(models.TextChoices):
    MORNING = "am", _("morning")
    AFTERNOON = "pm", _("afternoon")


class AbsenceKind(models.TextChoices):
    LEAVE = "leave", _("Leave")
    UNAVAILABLE = "unavailable", _("Unavailable")
    TRAVEL = "travel", _("Travel")


def half_days_in_order() -> Q:
    """A span ends after it starts: a later last day, or the same day not ending in the morning
    when it starts in the afternoon."""
    return Q(end_date__gt=F("start_date")) | (
        Q(end_date=F("start_date")) & ~(Q(start_half=HalfDay.AFTERNOON) & Q(end_half=HalfDay.MORNING))
    )


class AbsenceQuerySet(RestrictedQuerySet):
    """CB staff see every absence (staffing needs them); CB administrators change any; an auditor
    or team leader changes their own."""

    def restrict(self, user, action="view"):
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.role == Role.CB_ADMIN:
            return self
        if action == "view" and user.is_cb_staff:
            return self
        if action == "change" and user.role in (Role.AUDITOR, Role.TEAM_LEADER):
            return self.filter(profile__user=user)
        return self.none()


class Absence(models.Model):
    """A period an auditor is not available for audits."""

    profile = models.ForeignKey(
        "people.AuditorProfile", on_delete=models.CASCADE, related_name="absences", verbose_name=_("auditor")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=AbsenceKind.choices, default=AbsenceKind.LEAVE)
    start_date = models.DateField(_("first day"))
    start_half = models.CharField(_("from"), max_length=2, choices=HalfDay.choices, default=HalfDay.MORNING)
    end_date = models.DateField(_("last day"))
    end_half = models.CharField(_("until"), max_length=2, choices=HalfDay.choices, default=HalfDay.AFTERNOON)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AbsenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["start_date", "start_half", "pk"]
        constraints = [
            models.CheckConstraint(name="absence_half_days_in_order", condition=half_days_in_order()),
            models.CheckConstraint(name="absence_kind_valid", condition=Q(kind__in=AbsenceKind.values)),
        ]

    def __str__(self):
        return f"{self.profile.user} · {self.get_kind_display()} · {self.start_date:%Y-%m-%d}"
