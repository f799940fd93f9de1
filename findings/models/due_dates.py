"""The CB's due-date rules for nonconformities and the log of reminders sent about them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audits.models import AuditType
from core.access import RestrictedQuerySet, Role

from .nonconformity import NonconformityGrade
from .rounds import ByNonconformityQuerySet

REMINDER_STEP_LABELS = {
    "before_14": _("14 days before the due date"),
    "after_1": _("the day after the due date"),
    "after_30": _("30 days after the due date"),
}


class DueRuleQuerySet(RestrictedQuerySet):
    """CB staff read the due-date rules; CB administrators change them."""

    def restrict(self, user, action="view"):
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.role == Role.CB_ADMIN or (action == "view" and user.is_cb_staff):
            return self
        return self.none()


class NonconformityDueRule(models.Model):
    """The CB's number of days for the client's corrective action, counted from the audit's last
    day, per grade and (optionally) audit type. Without a row the defaults of
    ``findings.rules`` apply. Changing a rule does not move the due dates already set."""

    grade = models.CharField(_("grade"), max_length=12)
    audit_type = models.CharField(
        _("audit type"), max_length=20, blank=True, help_text=_("Empty: every audit type without a rule of its own.")
    )
    days = models.PositiveIntegerField(_("days after the audit's last day"))
    source = models.CharField(_("source or reason"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DueRuleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"], table_name="audits_historicalnonconformityduerule")

    class Meta:
        db_table = "audits_nonconformityduerule"  # the audits app's tables, where NCs were first kept
        verbose_name = _("nonconformity due-date rule")
        verbose_name_plural = _("nonconformity due-date rules")
        ordering = ["grade", "audit_type"]
        constraints = [models.UniqueConstraint(fields=["grade", "audit_type"], name="ncduerule_unique")]

    def __str__(self):
        return f"{self.grade} {self.audit_type or '*'}: {self.days}"

    @property
    def grade_label(self):
        return dict(NonconformityGrade.choices).get(self.grade, self.grade)

    @property
    def audit_type_label(self):
        return (
            dict(AuditType.choices).get(self.audit_type, self.audit_type) if self.audit_type else _("Every audit type")
        )


class NonconformityReminder(models.Model):
    """One reminder mailed for one NC, step and due date. The unique constraint is what makes
    the job send each step once, however often (or on how many workers) it runs."""

    nc = models.ForeignKey(
        "findings.Nonconformity", on_delete=models.CASCADE, related_name="reminders", verbose_name=_("nonconformity")
    )
    step = models.CharField(_("step"), max_length=20)
    due_date = models.DateField(_("due date"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.TextField(_("recipients"), blank=True)

    objects = ByNonconformityQuerySet.as_manager()

    class Meta:
        db_table = "audits_nonconformityreminder"
        verbose_name = _("nonconformity reminder")
        verbose_name_plural = _("nonconformity reminders")
        ordering = ["sent_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["nc", "step", "due_date"], name="ncreminder_once_per_step")]

    def __str__(self):
        return f"NC {self.nc_id} {self.step} {self.due_date}"

    @property
    def step_label(self):
        return REMINDER_STEP_LABELS.get(self.step, self.step)
