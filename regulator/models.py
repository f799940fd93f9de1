"""What the CNCA data sheets need and the other apps do not keep, and the submission history.

The regulator's extra facts sit in one-to-one tables beside the records they describe (client,
auditor, audit, certificate, audit programme), so the lower apps carry no field only the
regulator reads and their migrations stay untouched. Codes (industry class, organisation type,
ID type …) are plain text checked against the code tables under ``regulator/layouts/codes/``
at validation time: when the regulator changes a table, a data file changes, not a migration.
"""

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import RestrictedQuerySet, Role

from .fields import EncryptedCharField, mask


class AdminOnlyQuerySet(RestrictedQuerySet):
    """Regulator data is the CB administrators' business (the reporting is theirs)."""

    def restrict(self, user, action="view"):
        if user.is_authenticated and user.is_active and user.role == Role.CB_ADMIN:
            return self
        return self.none()


class RegulatorSettingsManager(models.Manager):
    def current(self):
        """The settings row, or the defaults unsaved while the CB has saved none (a page that only
        reads never writes)."""
        return self.get_queryset().filter(key=1).first() or self.model(key=1)


class RegulatorSettings(models.Model):
    """The CB's identity on the reporting platform (one row, edited in the admin)."""

    key = models.PositiveSmallIntegerField(default=1, editable=False, unique=True)
    approval_number = models.CharField(
        _("CNCA approval number"),
        max_length=30,
        blank=True,
        help_text=_("The CB's approval number (批准号), e.g. CNCA-R-2002-069."),
    )
    branch_code = models.CharField(
        _("branch code of the head office"),
        max_length=2,
        default="00",
        validators=[RegexValidator(r"^\d{2}$", _("A branch code is two digits."))],
    )
    branches = models.JSONField(
        _("branches"),
        default=dict,
        blank=True,
        help_text=_('Branch codes and names, e.g. {"01": "上海分公司"}.'),
    )
    # 市监认证(司)函〔2021〕102号: a month's data is due by the 10th of the following month, no
    # extension for holidays. A setting, in case the regulator moves the day.
    deadline_day = models.PositiveSmallIntegerField(_("monthly deadline (day of the following month)"), default=10)
    # Plans must be on the platform before the audit starts (the check-in is generated from them);
    # how far ahead the dashboard warns is the CB's choice.
    plan_warning_days = models.PositiveSmallIntegerField(_("warn about unreported plans (days ahead)"), default=7)
    reporting_since = models.DateField(
        _("reporting through this product since"),
        null=True,
        blank=True,
        help_text=_(
            "Events before this day were reported before the CB used the product and are never reported "
            "again. Empty: from the first monthly export."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegulatorSettingsManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("regulator reporting settings")
        verbose_name_plural = _("regulator reporting settings")
        constraints = [models.CheckConstraint(name="regulatorsettings_single_row", condition=Q(key=1))]

    def __str__(self):
        return str(_("regulator reporting settings"))

    @property
    def approval_digits(self):
        """The last three digits of the approval number (the plan number's middle part)."""
        digits = "".join(ch for ch in self.approval_number if ch.isdigit())
        return digits[-3:].rjust(3, "0")


class ClientRegistration(models.Model):
    """The client's registration facts the certificate sheet (103010) reports."""

    client = models.OneToOneField(
        "clients.Client", on_delete=models.CASCADE, related_name="regulator_data", verbose_name=_("client")
    )
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, help_text=_("18 characters (GB 32100).")
    )
    former_name = models.CharField(_("former name"), max_length=200, blank=True)
    industry_code = models.CharField(_("industry class (GB/T 4754)"), max_length=5, blank=True)
    country_code = models.CharField(_("country code"), max_length=3, default="156")
    division_code = models.CharField(_("administrative division code"), max_length=6, blank=True)
    organisation_type = models.CharField(_("organisation type code"), max_length=4, blank=True)
    registered_capital = models.DecimalField(
        _("registered capital (10,000)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    capital_currency = models.CharField(_("currency of the registered capital"), max_length=3, default="CNY")
    total_staff = models.PositiveIntegerField(_("total staff"), null=True, blank=True)
    covered_staff = models.PositiveIntegerField(_("staff covered by the certification"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AdminOnlyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("client registration (regulator)")
        verbose_name_plural = _("client registrations (regulator)")

    def __str__(self):
        return f"{self.client_id}: {self.credit_code}"


class AuditorIdentity(models.Model):
    """An auditor's identity document, reported in the plan (102010) and result (103011) sheets.

    Personal data: the number is encrypted at rest, shown whole only to CB administrators, left out
    of the history (``excluded_fields``) and of ``__str__``/``repr``.
    """

    profile = models.OneToOneField(
        "people.AuditorProfile",
        on_delete=models.CASCADE,
        related_name="regulator_identity",
        verbose_name=_("auditor"),
    )
    id_type = models.CharField(_("ID document type"), max_length=2, default="01")
    id_number = EncryptedCharField(_("ID document number"), blank=True)
    id_digest = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AdminOnlyQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["id_number", "id_digest"])

    class Meta:
        verbose_name = _("auditor identity document")
        verbose_name_plural = _("auditor identity documents")

    def __str__(self):
        return f"{self.profile_id}: {self.masked_number}"

    def __repr__(self):
        return f"<AuditorIdentity {self.pk} {self.masked_number}>"

    @property
    def masked_number(self):
        return mask(self.id_number or "")

    def shown_to(self, user):
        """The number as ``user`` may see it: whole for a CB administrator, masked otherwise."""
        if user.is_authenticated and user.role == Role.CB_ADMIN:
            return self.id_number
        return self.masked_number


class AuditRegistration(models.Model):
    """The plan number an audit is reported under and the days actually performed."""

    audit = models.OneToOneField(
        "audits.Audit", on_delete=models.CASCADE, related_name="regulator_data", verbose_name=_("audit")
    )
    plan_number = models.CharField(_("audit plan number"), max_length=40, blank=True)
    actual_days = models.DecimalField(_("audit days performed"), max_digits=5, decimal_places=1, null=True, blank=True)
    remarks = models.CharField(_("remarks for the regulator"), max_length=300, blank=True)

    objects = AdminOnlyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("audit registration (regulator)")
        verbose_name_plural = _("audit registrations (regulator)")
        constraints = [
            models.UniqueConstraint(
                fields=["plan_number"], condition=~Q(plan_number=""), name="auditregistration_plan_number_unique"
            )
        ]

    def __str__(self):
        return self.plan_number


class CertificateRegistration(models.Model):
    """What the certificate sheet reports and the certificate does not print."""

    certificate = models.OneToOneField(
        "certification.Certificate",
        on_delete=models.CASCADE,
        related_name="regulator_data",
        verbose_name=_("certificate"),
    )
    item_code = models.CharField(_("certification item code"), max_length=10, blank=True)
    cnas_codes = models.CharField(
        _("CNAS scope codes"), max_length=300, blank=True, help_text=_("Separated by ；, e.g. 33.02.01")
    )
    accreditation_mark = models.CharField(_("accreditation mark code"), max_length=2, blank=True)
    risk_level = models.CharField(_("highest risk level"), max_length=2, blank=True)
    base_audit_days = models.DecimalField(
        _("base audit days (CNAS-CC105)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AdminOnlyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certificate registration (regulator)")
        verbose_name_plural = _("certificate registrations (regulator)")

    def __str__(self):
        return f"{self.certificate_id}: {self.item_code}"


class ProgrammeContract(models.Model):
    """The contract of an audit programme (until contracts have their own app)."""

    programme = models.OneToOneField(
        "audits.AuditProgramme", on_delete=models.CASCADE, related_name="contract", verbose_name=_("audit programme")
    )
    number = models.CharField(_("contract number"), max_length=60, blank=True)
    amount = models.DecimalField(_("contract amount"), max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")

    objects = AdminOnlyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme contract")
        verbose_name_plural = _("programme contracts")

    def __str__(self):
        return self.number


class SubmissionKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly certificates and results (103010, 103011)")
    PLANS = "plans", _("Audit plans (102010)")
    CERTSEARCH = "certsearch", _("IAF CertSearch upload")


def submission_file_path(instance, filename):
    return f"private/regulator/{instance.kind}/{uuid.uuid4().hex}.xlsx"


class Submission(models.Model):
    """One export: what period, who, when, the file and its SHA-256, and what it covered
    (``items``). Written once; a draft (exported despite validation errors) covers nothing."""

    kind = models.CharField(_("kind"), max_length=12, choices=SubmissionKind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    draft = models.BooleanField(_("draft"), default=False)
    problems = models.PositiveIntegerField(_("validation problems"), default=0)
    file = models.FileField(_("workbook"), upload_to=submission_file_path, max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.JSONField(_("rows per sheet"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("exported at"), auto_now_add=True)

    objects = AdminOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_start}–{self.period_end}"

    @property
    def download_name(self):
        mark = "-DRAFT" if self.draft else ""
        return f"cnca-{self.kind}-{self.period_start:%Y%m%d}-{self.period_end:%Y%m%d}{mark}.xlsx"


class SubmissionItem(models.Model):
    """One record or event a submission reported, with the fingerprint of its row's cells: the next
    export leaves out what is reported unchanged."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="items")
    sheet = models.CharField(_("sheet"), max_length=30)
    key = models.CharField(_("record"), max_length=80)
    fingerprint = models.CharField(max_length=64)
    late = models.BooleanField(_("reported late"), default=False)

    class Meta:
        verbose_name = _("submitted record")
        verbose_name_plural = _("submitted records")
        ordering = ["submission", "sheet", "pk"]
        indexes = [models.Index(fields=["sheet", "key"])]

    def __str__(self):
        return f"{self.sheet} {self.key}"


class ImportedReportRow(models.Model):
    """One row of a past monthly workbook (103010 or 103011) as the platform received it.

    Every fact of an imported row that a record models is written to that record (the client's
    registration, the certificate, its regulator data, the programme's contract, the past audits);
    this row keeps the month it was reported in, its place in the workbook and the cells no record
    models (the event it reported: report type, late marker, change and reissue data, the branch,
    overdue data …), so that exporting the month with its imported records gives the same cells.
    Never an ID number: a result row names its person (``profile``), whose document stays encrypted
    on ``AuditorIdentity``. Written once by the import, never edited.
    """

    sheet = models.CharField(_("sheet"), max_length=30)
    month = models.DateField(_("reported in the month of"), db_index=True)
    position = models.PositiveIntegerField(_("row in the workbook"))
    certificate = models.ForeignKey(
        "certification.Certificate",
        on_delete=models.PROTECT,
        related_name="regulator_imported_rows",
        verbose_name=_("certificate"),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="results", verbose_name=_("row")
    )
    audit = models.ForeignKey(
        "audits.Audit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("audit")
    )
    profile = models.ForeignKey(
        "people.AuditorProfile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auditor"),
    )
    cells = models.JSONField(_("cells no record models"), default=dict)
    # Another event of a certificate an earlier row of the workbook describes (e.g. issued, then
    # suspended in the same month): the records hold one state, so this row keeps every cell.
    complete = models.BooleanField(_("keeps every cell"), default=False)
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    objects = AdminOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("imported reporting row")
        verbose_name_plural = _("imported reporting rows")
        ordering = ["month", "sheet", "position", "pk"]

    def __str__(self):
        return f"{self.sheet} {self.month:%Y-%m} #{self.position}"
