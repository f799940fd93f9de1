from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplaintPolicyManager(models.Manager):
    def current(self) -> "ComplaintPolicy":
        """The policy row, or the defaults (unsaved) until a CB administrator saves it in the
        admin: opening a page never writes."""
        return self.filter(key=1).first() or self.model(key=1)

    def ensure(self) -> "ComplaintPolicy":
        """The policy row, created with the defaults when missing (services that lock it)."""
        policy, _created = self.get_or_create(key=1)
        return policy


class ComplaintPolicy(models.Model):
    """The CB's deadlines for complaints and appeals (one row, edited in the admin).

    ISO/IEC 17021-1 9.7 and 9.8 require a documented process with timely handling but fix no
    number of days. The defaults are from memory of common CB practice (acknowledge within 5 days,
    answer a complaint within 30 days and an appeal within 60): CB settings, not rules of the
    standard. The reminder lead time is ours."""

    key = models.PositiveSmallIntegerField(default=1, editable=False, unique=True)
    acknowledge_days = models.PositiveSmallIntegerField(
        _("days to acknowledge"), default=5, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    complaint_days = models.PositiveSmallIntegerField(
        _("days to answer a complaint"), default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    appeal_days = models.PositiveSmallIntegerField(
        _("days to answer an appeal"), default=60, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    appeal_window_days = models.PositiveSmallIntegerField(
        _("days a client has to appeal a decision"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Counted from the approval of the decision appealed."),
    )
    declaration_months = models.PositiveSmallIntegerField(
        _("impartiality declarations are renewed every (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text=_("Yearly renewal is common practice (from memory), not a figure of ISO/IEC 17021-1."),
    )
    remind_before_days = models.PositiveSmallIntegerField(
        _("remind this many days before a deadline"), default=3, validators=[MaxValueValidator(60)]
    )

    objects = ComplaintPolicyManager()

    class Meta:
        verbose_name = _("complaints and appeals policy")
        verbose_name_plural = _("complaints and appeals policy")

    def __str__(self) -> str:
        return str(_("Complaints and appeals policy"))
