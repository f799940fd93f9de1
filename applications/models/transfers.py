"""Transfer of accredited certification from another CB (IAF MD 2): the pre-transfer review of a
transfer application and what proceeding with it created.

The review's outcome is the application's own move (accept: transfer without an audit; accept with
conditions: a transfer audit first; decline: not transferable, the organisation applies as a new
client), so the application's machine records who concluded it and when. The facts and the
checklist are here; the rules that read them are ``applications.rules.transfer_assessment``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .access import ApplicationOwnedQuerySet
from .application import Application
from .settings_row import SettingsRowManager


class CertificateState(models.TextChoices):
    """The previous certificate's status as verified with the issuing CB or its public register."""

    VALID = "valid", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


class AccreditationState(models.TextChoices):
    """The issuing CB's accreditation (IAF MD 2 1.3, from memory: lapsed or ceased trading)."""

    VALID = "valid", _("Accredited")
    SUSPENDED = "suspended", _("Accreditation suspended")
    WITHDRAWN = "withdrawn", _("Accreditation withdrawn or expired")
    CEASED = "ceased", _("The CB ceased trading")


class LastAudit(models.TextChoices):
    INITIAL = "initial", _("Initial certification audit")
    SURVEILLANCE_1 = "surveillance_1", _("First surveillance audit")
    SURVEILLANCE_2 = "surveillance_2", _("Second surveillance audit")
    RECERTIFICATION = "recertification", _("Recertification audit")


class TransferOutcome(models.TextChoices):
    WITHOUT_AUDIT = "without_audit", _("Transfer without an audit")
    WITH_AUDIT = "with_audit", _("Transfer after a transfer audit")
    REFUSED = "refused", _("Not transferable: apply as a new client")


class TransferSettings(models.Model):
    """The CB's figures for transfers (one row, edited in the admin). The defaults are from memory
    of IAF MD 2:2017 and CNCA practice, so a CB sets its own."""

    key = models.PositiveSmallIntegerField(default=1, editable=False, unique=True)
    last_audit_max_months = models.PositiveSmallIntegerField(
        _("latest audit of the previous CB at most (months ago)"),
        default=12,
        help_text=_(
            "Older: a surveillance or recertification was missed and the organisation is treated as a new "
            "client (IAF MD 2 2.1.3 e; 12 months: CNCA surveillance interval, from memory)."
        ),
    )
    lapsed_cb_months = models.PositiveSmallIntegerField(
        _("transfer from a CB without accreditation completed within (months)"),
        default=6,
        help_text=_("IAF MD 2 1.3 (from memory): within 6 months or by the certificate's expiry, whichever is sooner."),
    )
    audit_for_open_complaints = models.BooleanField(
        _("a transfer audit when complaints are open"),
        default=True,
        help_text=_("The CB's choice: MD 2 asks that complaints be reviewed, not that they be closed."),
    )

    objects = SettingsRowManager()

    class Meta:
        verbose_name = _("transfer settings")
        verbose_name_plural = _("transfer settings")

    def __str__(self) -> str:
        return str(_("Transfer settings"))


class TransferReview(models.Model):
    """The pre-transfer review (IAF MD 2 2.1, from memory of the 2017 issue) of a transfer
    application: the facts found, a checklist of ``applications.rules.TRANSFER_POINTS`` (``points``:
    ``{key: {"ok": bool, "remark": str}}``), the outcome, and what proceeding created."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="transfer_review")
    certificate_state = models.CharField(
        _("status of the previous certificate"), max_length=12, choices=CertificateState.choices, blank=True
    )
    certificate_issued_on = models.DateField(
        _("previous certificate issued on (start of its cycle)"), null=True, blank=True
    )
    accreditation_body = models.CharField(_("accreditation body of the issuing CB"), max_length=200, blank=True)
    ab_mla_signatory = models.BooleanField(_("the accreditation body is an IAF MLA signatory"), null=True)
    accreditation_state = models.CharField(
        _("accreditation of the issuing CB"), max_length=12, choices=AccreditationState.choices, blank=True
    )
    accreditation_lapsed_on = models.DateField(_("accreditation lapsed on"), null=True, blank=True)
    last_audit = models.CharField(_("latest audit report seen"), max_length=20, choices=LastAudit.choices, blank=True)
    last_audit_on = models.DateField(_("last day of that audit"), null=True, blank=True)
    first_surveillance_on = models.DateField(
        _("last day of the first surveillance"),
        null=True,
        blank=True,
        help_text=_("When the latest report seen is the second surveillance's."),
    )
    open_major_ncs = models.PositiveSmallIntegerField(_("open major nonconformities"), default=0)
    open_minor_ncs = models.PositiveSmallIntegerField(_("open minor nonconformities"), default=0)
    open_complaints = models.PositiveSmallIntegerField(_("open complaints"), default=0)
    issuing_cb_cooperates = models.BooleanField(_("the issuing CB provided the information"), default=True)
    transfer_reason = models.TextField(_("reason for the transfer"), blank=True)
    points = models.JSONField(_("checklist"), default=dict, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=TransferOutcome.choices, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    programme = models.ForeignKey(
        "audits.AuditProgramme", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    audit = models.ForeignKey(
        "audits.Audit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transfer audit"),
    )
    decision = models.ForeignKey(
        "certification.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transfer decision"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ApplicationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("pre-transfer review")
        verbose_name_plural = _("pre-transfer reviews")

    def __str__(self) -> str:
        return str(self.application)
