"""Auditor profiles: registration, qualifications, competence codes, conflicts of interest.

These models moved here from ``accounts``; their tables (and simple-history's historical and
M2M tables) keep their ``accounts_`` names, so the move wrote no data (migrations/0001_initial.py).
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import User
from core.access import AUDITING_ROLES, RestrictedQuerySet, Role
from standards.models import ManagementSystemFamily

from .rules import consulting_conflict_until

# The app these models (and their tables) came from.
_TABLE_PREFIX = "accounts_"


class _HistoryKeepingTables(HistoricalRecords):
    """Simple-history names a historical M2M table after the app it sits in and offers no
    option for it; give it the table it had before the move."""

    def get_meta_options_m2m(self, through_model):
        options = super().get_meta_options_m2m(through_model)
        options["db_table"] = _TABLE_PREFIX + self.get_history_model_name(through_model).lower()
        return options


# CCAA auditor registration numbers: year, grade, family, serial, e.g. 2018-N1QMS-2205805.
REGISTRATION_NUMBER_RE = re.compile(r"^(19|20)\d{2}-[A-Z]{1,2}\d{0,2}[A-Z]{2,6}-\d{5,8}$")
registration_number_validator = RegexValidator(
    REGISTRATION_NUMBER_RE,
    _("Enter a registration number like 2018-N1QMS-2205805 (year-grade and family-serial number)."),
    code="invalid_registration_number",
)


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class QualificationLevel(models.TextChoices):
    LEAD_AUDITOR = "lead_auditor", _("Lead auditor")
    AUDITOR = "auditor", _("Auditor (qualification)")
    TECHNICAL_EXPERT = "technical_expert", _("Technical expert")


class Employment(models.TextChoices):
    # Reported to the regulator (CNCA 103011 "full-time") and used when scheduling: part-time and
    # external auditors have a number of days per month (17021-1 7.3 external auditors).
    FULL_TIME = "full_time", _("full-time")
    PART_TIME = "part_time", _("part-time")
    EXTERNAL = "external", _("external")


class AuditorProfileQuerySet(RestrictedQuerySet):
    """CB staff see auditor profiles (team composition is staff business); only CB
    administrators change them. An auditor also sees their own profile."""

    def restrict(self, user, action="view"):
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.role == Role.CB_ADMIN:
            return self
        if action == "view" and user.is_cb_staff:
            return self
        return self.none()


class AuditorProfile(models.Model):
    """What the CB records about an auditor or team leader: the registration shown in the
    report's team table (注册资格), gender, competence codes (专业代码), qualifications."""

    user = models.OneToOneField(
        User,
        on_delete=models.PROTECT,
        related_name="auditor_profile",
        verbose_name=_("user"),
    )
    registration_number = models.CharField(
        _("registration number"),
        max_length=40,
        unique=True,
        validators=[registration_number_validator],
        help_text=_("e.g. 2018-N1QMS-2205805"),
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    technical_areas = models.ManyToManyField(
        "standards.TechnicalArea",
        verbose_name=_("competence codes"),
        blank=True,
        related_name="auditor_profiles",
        help_text=_("Technical areas the auditor is competent in; 33.02 covers 33.02.01."),
    )
    active = models.BooleanField(_("active"), default=True)
    employment = models.CharField(
        _("employment"), max_length=20, choices=Employment.choices, default=Employment.FULL_TIME
    )
    # Part-time and external auditors agree a number of days a month with the CB; staffing warns
    # beyond it (audits.availability).
    days_per_month = models.DecimalField(
        _("days per month"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Part-time and external auditors: the audit days a month agreed with the CB."),
    )

    objects = AuditorProfileQuerySet.as_manager()
    history = _HistoryKeepingTables(m2m_fields=[technical_areas], table_name=_TABLE_PREFIX + "historicalauditorprofile")

    class Meta:
        db_table = _TABLE_PREFIX + "auditorprofile"  # the M2M table follows: accounts_auditorprofile_technical_areas
        verbose_name = _("auditor profile")
        verbose_name_plural = _("auditor profiles")
        ordering = ["user__full_name", "user__username"]
        constraints = [models.CheckConstraint(name="auditor_gender_valid", condition=Q(gender__in=Gender.values))]

    def __str__(self):
        return f"{self.user} ({self.registration_number})"

    def clean(self):
        super().clean()
        if self.user_id and self.user.role not in AUDITING_ROLES:
            raise ValidationError({"user": _("Only auditors and team leaders have an auditor profile.")})


class Qualification(models.Model):
    """A qualification in one management-system family (QMS, EMS, OHSMS) at one level."""

    profile = models.ForeignKey(
        AuditorProfile, on_delete=models.CASCADE, related_name="qualifications", verbose_name=_("auditor profile")
    )
    family = models.CharField(_("management-system family"), max_length=16, choices=ManagementSystemFamily.choices)
    level = models.CharField(_("qualification level"), max_length=20, choices=QualificationLevel.choices)
    registration_number = models.CharField(
        _("registration number"),
        max_length=40,
        blank=True,
        validators=[registration_number_validator],
        help_text=_("Registration for this family, if different from the profile's."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    history = HistoricalRecords(table_name=_TABLE_PREFIX + "historicalqualification")

    class Meta:
        db_table = _TABLE_PREFIX + "qualification"
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["profile", "family"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "family"], name="qualification_one_per_family"),
            models.CheckConstraint(name="qualification_level_valid", condition=Q(level__in=QualificationLevel.values)),
            models.CheckConstraint(
                name="qualification_validity_ordered",
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
            ),
        ]

    def __str__(self):
        return f"{self.family} {self.get_level_display()}"

    def clean(self):
        super().clean()
        if self.family and self.family not in ManagementSystemFamily.values:
            raise ValidationError({"family": _("Choose QMS, EMS or OHSMS.")})
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end of validity cannot be before its start.")})


class ConflictOfInterest(models.Model):
    """A declared conflict: e.g. the auditor consulted for the client. The auditor may not
    audit that client until ``until`` (open-ended when empty). A declared consultancy has its end
    date; the bar is then computed from it (ISO/IEC 17021-1:2015 5.2.10, two years)."""

    profile = models.ForeignKey(
        AuditorProfile, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("auditor profile")
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="auditor_conflicts", verbose_name=_("client")
    )
    description = models.TextField(_("description"), help_text=_("e.g. consulted for the client in 2019."))
    declared_on = models.DateField(_("declared on"))
    until = models.DateField(
        _("conflict ends on"),
        null=True,
        blank=True,
        help_text=_("Empty: no end. Consulting: two years after the consulting ended."),
    )
    consulting_ended_on = models.DateField(
        _("consultancy ended on"),
        null=True,
        blank=True,
        help_text=_("For a consultancy to the client: the day it ended. The bar is computed from it."),
    )

    history = HistoricalRecords(table_name=_TABLE_PREFIX + "historicalconflictofinterest")

    class Meta:
        db_table = _TABLE_PREFIX + "conflictofinterest"
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["profile", "-declared_on"]

    def __str__(self):
        return f"{self.profile.user} – {self.client}"

    def clean(self):
        super().clean()
        if self.consulting_ended_on is None:
            return
        bar = consulting_conflict_until(self.consulting_ended_on)
        if self.until is None:
            self.until = bar
        elif self.until < bar:
            raise ValidationError(
                {
                    "until": _(
                        "A consultancy that ended on %(ended)s bars the auditor until %(bar)s at least "
                        "(ISO/IEC 17021-1 5.2.10: two years after the consultancy ended)."
                    )
                    % {"ended": self.consulting_ended_on.isoformat(), "bar": bar.isoformat()}
                }
            )

    def is_active_on(self, day):
        return self.until is None or self.until >= day
