from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.i18n import pick

# Default certificate number: CB code (3) + year (2) + standard code (Q1/E1/S1) + serial (4)
# + "R" and the recertification count + size band (S/M/L), e.g. 06913Q12270R0S.
DEFAULT_NUMBER_PATTERN = "{cb}{yy}{std}{serial:04d}R{recert}{size}"
DEFAULT_STANDARD_CODES = {"QMS": "Q1", "EMS": "E1", "OHSMS": "S1"}


def default_standard_codes():
    return dict(DEFAULT_STANDARD_CODES)


class CertificationPolicyManager(models.Manager):
    def current(self):
        """The policy row, created with the defaults on first use."""
        policy, _created = self.get_or_create(key=1)
        return policy


class CertificationPolicy(models.Model):
    """The CB's certification settings (one row, edited in the admin)."""

    key = models.PositiveSmallIntegerField(default=1, editable=False, unique=True)
    number_pattern = models.CharField(
        _("certificate number pattern"),
        max_length=100,
        default=DEFAULT_NUMBER_PATTERN,
        help_text=_(
            "Python format fields: {cb} CB code, {yy} or {yyyy} year of issue, {std} standard code, "
            "{serial:04d} serial within year and standard code, {recert} recertification count "
            "(0 in the first cycle), {size} size band (S, M, L)."
        ),
    )
    standard_codes = models.JSONField(
        _("standard codes"),
        default=default_standard_codes,
        help_text=_('Code per management-system family, e.g. {"QMS": "Q1", "EMS": "E1", "OHSMS": "S1"}.'),
    )
    small_max_headcount = models.PositiveIntegerField(
        _("largest headcount of size band S"), default=50, validators=[MinValueValidator(1)]
    )
    medium_max_headcount = models.PositiveIntegerField(
        _("largest headcount of size band M"), default=1000, validators=[MinValueValidator(2)]
    )
    validity_months = models.PositiveSmallIntegerField(
        _("validity (months)"),
        default=36,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text=_("Expiry is the last day of this period from the issue date (36: issue + 3 years − 1 day)."),
    )
    max_suspension_months = models.PositiveSmallIntegerField(
        _("longest suspension (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CertificationPolicyManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certification policy")
        verbose_name_plural = _("certification policy")
        constraints = [
            models.CheckConstraint(name="certificationpolicy_single_row", condition=Q(key=1)),
            models.CheckConstraint(
                name="certificationpolicy_size_bands_ordered",
                condition=Q(medium_max_headcount__gt=models.F("small_max_headcount")),
            ),
        ]

    def __str__(self):
        return str(_("certification policy"))


class ReasonKind(models.TextChoices):
    SUSPENSION = "suspension", _("Suspension")
    WITHDRAWAL = "withdrawal", _("Withdrawal")


class StatusReason(models.Model):
    """A reason code of the regulator's certificate-status data (e.g. suspension 0111)."""

    kind = models.CharField(_("kind"), max_length=12, choices=ReasonKind.choices)
    code = models.CharField(
        _("code"), max_length=4, validators=[RegexValidator(r"^\d{4}$", _("A reason code is four digits."))]
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("status reason")
        verbose_name_plural = _("status reasons")
        ordering = ["kind", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="statusreason_kind_code_unique"),
            models.CheckConstraint(name="statusreason_kind_valid", condition=Q(kind__in=ReasonKind.values)),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def title(self):
        return pick(self.title_zh, self.title_en)


class CommitteeProfile(models.Model):
    """A certification-committee member's competence codes: a technical reviewer must cover
    the audit's codes (33.02 covers 33.02.01, as for auditors)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="committee_profile", verbose_name=_("user")
    )
    technical_areas = models.ManyToManyField(
        "standards.TechnicalArea", blank=True, related_name="committee_profiles", verbose_name=_("competence codes")
    )
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(m2m_fields=[technical_areas])

    class Meta:
        verbose_name = _("committee member's competence")
        verbose_name_plural = _("committee members' competence")

    def __str__(self):
        return str(self.user)
