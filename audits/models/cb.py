import datetime

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.i18n import pick

from .. import audit_time, itinerary_rules, programme_rules


class RuleSetChoice(models.TextChoices):
    """The certification-cycle rules (audits/programme_rules.py)."""

    CNCA = programme_rules.RuleSet.CNCA.value, _("CNCA certification rules")
    ISO_17021_1 = programme_rules.RuleSet.ISO_17021_1.value, _("ISO/IEC 17021-1")


class RoundingChoice(models.TextChoices):
    """How audit time is rounded to half days (audits/audit_time/)."""

    UP = audit_time.Rounding.UP.value, _("Up to the next half day")
    NEAREST = audit_time.Rounding.NEAREST.value, _("To the nearest half day (IAF MD 5 2.2.3)")


class CertificationBodyManager(models.Manager):
    def current(self):
        """The CB this installation runs (there is one row, created by the demo or the admin)."""
        return self.get_queryset().filter(key=1).first()


class CertificationBody(models.Model):
    """The certification body itself: part 一 of the report and the CB's planning policy.

    One row only (``key`` is always 1, enforced by a constraint); edit it in the admin.
    """

    key = models.PositiveSmallIntegerField(default=1, editable=False, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    address_zh = models.CharField(_("address (Chinese)"), max_length=300, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    postcode = models.CharField(_("postal code"), max_length=12, blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    fax = models.CharField(_("fax"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    cb_code = models.CharField(
        _("CB code"),
        max_length=3,
        blank=True,
        validators=[RegexValidator(r"^\d{3}$", _("The CB code is exactly three digits."))],
        help_text=_("Three digits, used in certificate numbers."),
    )
    accreditation_zh = models.TextField(_("accreditation (Chinese)"), blank=True)
    accreditation_en = models.TextField(_("accreditation (English)"), blank=True)
    # Planning policy.
    default_rule_set = models.CharField(
        _("default certification-cycle rules"),
        max_length=20,
        choices=RuleSetChoice.choices,
        default=RuleSetChoice.CNCA,
        help_text=_("Applied to new audit programmes; each programme keeps its own choice."),
    )
    due_soon_days = models.PositiveSmallIntegerField(
        _("days before a due date an activity shows as due"),
        default=60,
        validators=[MaxValueValidator(365)],
    )
    stage_1_share_percent = models.PositiveSmallIntegerField(
        _("stage 1 share of the initial audit time (%)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_(
            "IAF MD 5 gives the initial audit time for stage 1 and stage 2 together; the CB decides "
            "the split. Stage 1 gets this share (rounded up to a half day, at least half a day) "
            "unless a stage 1 audit of the programme has its own planned man-days."
        ),
    )
    # CB policy, not a figure of ISO/IEC 17021-1 (9.3.1.2.3 only asks the CB to consider the
    # client's needs when fixing the interval): six months is the common practice of Chinese CBs,
    # from memory, so it is a setting. After it, stage 1 is repeated.
    stage_2_interval_months = models.PositiveSmallIntegerField(
        _("longest interval between stage 1 and stage 2 (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_(
            "CB policy: stage 2 must start at the latest this many months after the last day of stage 1; "
            "later, stage 1 is repeated."
        ),
    )
    audit_time_rounding = models.CharField(
        _("audit-time rounding"), max_length=10, choices=RoundingChoice.choices, default=RoundingChoice.UP
    )
    # The audit day of a pre-filled itinerary: when a CB's auditors start, break and finish, and
    # how long its opening and closing meetings last, are the CB's habits, not a standard's rule.
    audit_day_start = models.TimeField(_("audit day starts at"), default=datetime.time(8, 30))
    audit_day_break_start = models.TimeField(_("lunch break from"), default=datetime.time(12, 0))
    audit_day_break_end = models.TimeField(_("lunch break to"), default=datetime.time(13, 0))
    audit_day_end = models.TimeField(_("audit day ends at"), default=datetime.time(17, 0))
    meeting_minutes = models.PositiveSmallIntegerField(
        _("length of the opening and closing meetings (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(180)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CertificationBodyManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certification body")
        verbose_name_plural = _("certification body")
        constraints = [
            models.CheckConstraint(name="certificationbody_single_row", condition=Q(key=1)),
            models.CheckConstraint(
                name="certificationbody_audit_day_in_order",
                condition=Q(audit_day_break_start__gte=F("audit_day_start"))
                & Q(audit_day_break_end__gte=F("audit_day_break_start"))
                & Q(audit_day_end__gt=F("audit_day_break_end")),
            ),
        ]

    def __str__(self):
        return self.name

    def working_day(self) -> itinerary_rules.WorkingDay:
        return itinerary_rules.WorkingDay(
            start=self.audit_day_start,
            break_start=self.audit_day_break_start,
            break_end=self.audit_day_break_end,
            end=self.audit_day_end,
            meeting_minutes=self.meeting_minutes,
        )

    @property
    def name(self):
        return pick(self.name_zh, self.name_en)

    @property
    def address(self):
        return pick(self.address_zh, self.address_en)

    @property
    def accreditation(self):
        return pick(self.accreditation_zh, self.accreditation_en)
