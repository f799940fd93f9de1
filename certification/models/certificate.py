import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audits.models import TeamAssignment
from core.access import RestrictedQuerySet, Role
from core.i18n import pick
from core.imported import ImportedRecord
from core.issued import IssuedPdf, IssuedPdfQuerySet, VersionKind  # noqa: F401 (VersionKind: re-exported)
from core.lifecycle import LifecycleEvent


class CertificateStatus(models.TextChoices):
    """The regulator's status codes (CNCA certification-information data)."""

    VALID = "01", _("Valid")  # 有效
    SUSPENDED = "02", _("Suspended")  # 暂停
    WITHDRAWN = "03", _("Withdrawn")  # 撤销
    CANCELLED = "04", _("Cancelled")  # 注销
    EXPIRED = "05", _("Expired")  # 过期失效


# A certificate still in force (valid or suspended): what decisions act on and what expires.
LIVE_STATUSES = (CertificateStatus.VALID, CertificateStatus.SUSPENDED)


class SizeBand(models.TextChoices):
    SMALL = "S", _("S (up to 50 people)")
    MEDIUM = "M", _("M (51 to 1000 people)")
    LARGE = "L", _("L (more than 1000 people)")


def new_public_token():
    """The unguessable token of the QR code's URL (/verify/<token>/): 192 random bits."""
    return secrets.token_urlsafe(24)


class ImmutableCertificateError(ValidationError):
    pass


# The only fields a stored certificate may change, and only through the certificate machine
# (certification.lifecycle). Everything printed on the certificate is frozen.
STATUS_FIELDS = frozenset({"status", "status_since", "suspended_until", "released_at", "released_by_id"})


def _audit_client_ids(user):
    return TeamAssignment.objects.filter(profile__user=user).values("audit__client_id")


class CertificateQuerySet(RestrictedQuerySet):
    """CB administrators and the committee: every certificate. Auditors and team leaders:
    the certificates of clients they audit. Client users: their own organisation's."""

    def restrict(self, user, action="view"):
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.role == Role.CB_ADMIN:
            return self
        if action != "view":
            return self.none()
        if user.role == Role.COMMITTEE:
            return self
        if user.role in (Role.AUDITOR, Role.TEAM_LEADER):
            return self.filter(client_id__in=_audit_client_ids(user))
        if user.role == Role.CLIENT and user.client_id:
            # A withheld certificate is not the client's until released (certification.registry).
            return self.filter(client_id=user.client_id).released()
        return self.none()

    def released(self):
        """Certificates not withheld, or released since: what the client and the public see."""
        return self.filter(Q(withheld_reason="") | Q(released_at__isnull=False))


class Certificate(ImportedRecord):
    """One certificate for one standard (Chinese practice), with the fields of
    ISO/IEC 17021-1 8.2.2. Printed fields are frozen once stored; a correction or a renewal
    is a new certificate whose ``replaces`` names the old one."""

    number = models.CharField(_("certificate number"), max_length=40, db_index=True)
    reissue = models.PositiveSmallIntegerField(
        _("reissue"),
        default=0,
        help_text=_(
            "0 for the certificate as first issued; 1, 2 … for each reissue under the same number "
            "(scope change, correction). The reissue replaces the previous one."
        ),
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="certificates", verbose_name=_("holder")
    )
    programme = models.ForeignKey(
        "audits.AuditProgramme",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("audit programme"),
    )
    standard = models.ForeignKey(
        "standards.Standard", on_delete=models.PROTECT, related_name="certificates", verbose_name=_("standard")
    )
    decision = models.ForeignKey(
        "certification.Decision",
        on_delete=models.PROTECT,
        related_name="issued_certificates",
        verbose_name=_("issuing decision"),
    )
    main_certificate = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_certificates",
        verbose_name=_("main certificate"),
        help_text=_("For a sub-certificate of a multi-site certification."),
    )
    site = models.ForeignKey(
        "clients.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site of a sub-certificate"),
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
        help_text=_("A reissued certificate names the one it replaces."),
    )
    # What is printed (a snapshot, so later edits of the client record do not change it).
    holder_name_zh = models.CharField(_("holder (Chinese)"), max_length=200)
    holder_name_en = models.CharField(_("holder (English)"), max_length=200, blank=True)
    address_zh = models.CharField(_("address (Chinese)"), max_length=300)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    sites = models.JSONField(
        _("sites"),
        default=list,
        blank=True,
        help_text=_('Sites covered: [{"name": …, "address_zh": …, "address_en": …}].'),
    )
    standard_label = models.CharField(
        _("standard and edition"), max_length=120, help_text=_("e.g. GB/T 19001-2016/ISO 9001:2015")
    )
    scope_zh = models.TextField(_("scope (Chinese)"))
    scope_en = models.TextField(_("scope (English)"), blank=True)
    technical_codes = models.CharField(_("technical codes"), max_length=300, blank=True)
    # A certificate issued on a transfer (IAF MD 2): the certification it takes over, for the
    # regulator's sheet (103010: reissue reason 0103, previous CB, previous certificate number).
    previous_cb = models.CharField(_("previous certification body"), max_length=200, blank=True)
    previous_certificate_number = models.CharField(_("previous certificate number"), max_length=60, blank=True)
    transfer_reason = models.TextField(_("reason for the transfer"), blank=True)
    # The number's parts.
    year = models.PositiveSmallIntegerField(_("year of the number"))
    standard_code = models.CharField(_("standard code"), max_length=4)
    serial = models.PositiveIntegerField(_("serial"))
    recertification_count = models.PositiveSmallIntegerField(_("recertification count"), default=0)
    size_band = models.CharField(_("size band"), max_length=1, choices=SizeBand.choices)
    # Dates.
    first_issued_on = models.DateField(
        _("initial certification date"), help_text=_("The first grant of this certification (carried over on renewal).")
    )
    issued_on = models.DateField(_("issue date"))
    expires_on = models.DateField(_("expiry date"))
    # Status (changed only by the services, each change a CertificateStatusChange row).
    status = models.CharField(
        _("status"), max_length=2, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    status_since = models.DateField(_("status since"))
    suspended_until = models.DateField(_("suspended until"), null=True, blank=True)
    public_token = models.CharField(max_length=64, unique=True, default=new_public_token, editable=False)
    # A CB policy may withhold a granted certificate (e.g. until the certification fee is paid:
    # certification.registry.register_release_hold): kept with the CB, not downloadable by the
    # client, not on the public register, until released (who and when).
    withheld_reason = models.CharField(_("withheld because"), max_length=200, blank=True, editable=False)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True, editable=False)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    # Not auto_now_add: an imported certificate is dated as recorded by the CB at the time.
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "number"]
        indexes = [models.Index(fields=["-issued_on", "number"], name="certificate_list_order")]
        constraints = [
            models.CheckConstraint(name="certificate_status_valid", condition=Q(status__in=CertificateStatus.values)),
            models.CheckConstraint(
                name="certificate_expiry_after_issue", condition=Q(expires_on__gt=models.F("issued_on"))
            ),
            models.CheckConstraint(name="certificate_size_band_valid", condition=Q(size_band__in=SizeBand.values)),
            models.UniqueConstraint(fields=["number", "reissue"], name="certificate_number_reissue_unique"),
        ]

    def __str__(self):
        return f"{self.number} ({_('reissue')} {self.reissue})" if self.reissue else self.number

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # What was read, so that a save can tell which fields changed (see save()).
        instance._loaded = dict(zip(field_names, values, strict=True))
        return instance

    def _changed_fields(self):
        """The fields that differ from the row as read; every field when it was not read whole."""
        loaded = getattr(self, "_loaded", None)
        fields = self._meta.concrete_fields
        if loaded is None or any(f.attname not in loaded for f in fields):
            return {f.attname for f in fields}
        return {f.attname for f in fields if getattr(self, f.attname) != loaded[f.attname]}

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        # The certificate machine saves the whole row (core.lifecycle); only the status fields
        # may differ from what was read.
        changed = set(update_fields) if update_fields is not None else self._changed_fields()
        if not self._state.adding and not changed <= STATUS_FIELDS:
            raise ImmutableCertificateError(
                _("An issued certificate cannot be changed; reissue it (a new certificate that replaces it)."),
                code="immutable",
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableCertificateError(_("A certificate cannot be deleted."), code="immutable")

    @property
    def withheld(self):
        return bool(self.withheld_reason) and self.released_at is None

    @property
    def holder_name(self):
        return pick(self.holder_name_zh, self.holder_name_en)

    @property
    def address(self):
        return pick(self.address_zh, self.address_en)

    @property
    def scope(self):
        return pick(self.scope_zh, self.scope_en)

    @property
    def is_transfer(self):
        return bool(self.previous_cb)

    @property
    def is_reissue(self):
        return self.replaces_id is not None


class CertificateSerial(models.Model):
    """The last serial used per year and standard code. The issuing service locks the row
    (select_for_update) so that concurrent issues never share a serial."""

    year = models.PositiveSmallIntegerField()
    standard_code = models.CharField(max_length=4)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("certificate serial counter")
        verbose_name_plural = _("certificate serial counters")
        constraints = [models.UniqueConstraint(fields=["year", "standard_code"], name="certificateserial_unique")]

    def __str__(self):
        return f"{self.year} {self.standard_code}: {self.last}"


class CertificateAction(models.TextChoices):
    """The moves of the certificate machine (``certification.lifecycle.CERTIFICATE_MACHINE``)."""

    ISSUE = "issue", _("Issued")
    SUSPEND = "suspend", _("Suspended")
    RESTORE = "restore", _("Restored")
    WITHDRAW = "withdraw", _("Withdrawn")
    CANCEL = "cancel", _("Cancelled (replaced)")
    EXPIRE = "expire", _("Expired")


class CertificateStatusChange(LifecycleEvent):
    """Every status change of a certificate (``certification.lifecycle``): which action, before,
    after, who (``by``: empty when the date alone changed it, expiry), when, and the move's own
    facts: reason code, effective date, suspension end, the decision. Append-only."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="status_changes")
    action = models.CharField(_("action"), max_length=30, choices=CertificateAction.choices)
    from_status = models.CharField(_("before"), max_length=30, choices=CertificateStatus.choices, blank=True)
    to_status = models.CharField(_("after"), max_length=30, choices=CertificateStatus.choices)
    reason = models.ForeignKey(
        "certification.StatusReason",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reason code"),
    )
    effective_on = models.DateField(_("date"))
    suspension_ends_on = models.DateField(_("suspension ends on"), null=True, blank=True)
    decision = models.ForeignKey(
        "certification.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_changes",
        verbose_name=_("decision"),
    )

    class Meta(LifecycleEvent.Meta):
        verbose_name = _("certificate status change")
        verbose_name_plural = _("certificate status changes")
        ordering = ["certificate", "at", "pk"]

    def __str__(self):
        return f"{self.certificate_id}: {self.from_status or '-'} → {self.to_status}"


def certificate_file_path(instance, filename):
    """Under ``private/``: downloads go through a permission-checked view."""
    return f"private/certificates/{instance.certificate_id}/{instance.kind}-{instance.language}-{uuid.uuid4().hex}.pdf"


class CertificateVersionQuerySet(IssuedPdfQuerySet):
    """Staff as for the certificate; client users only issued PDFs of their own certificates
    that no later PDF replaces."""

    def restrict(self, user, action="view"):
        if not (user.is_authenticated and user.is_active) or action != "view":
            return self.none()
        visible = self.filter(certificate__in=Certificate.objects.restrict(user, "view").values("pk"))
        if user.role == Role.CLIENT:
            return visible.in_force()
        return visible


class CertificateVersion(IssuedPdf):
    """One rendered PDF of a certificate (``core.issued``). Written once; issued ones never deleted."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="pdf_versions")
    file = models.FileField(_("PDF file"), upload_to=certificate_file_path, max_length=300)
    pages = models.PositiveIntegerField(_("pages"), default=1)

    objects = CertificateVersionQuerySet.as_manager()

    deleted_message = _("An issued certificate PDF cannot be deleted.")

    class Meta:
        verbose_name = _("certificate PDF version")
        verbose_name_plural = _("certificate PDF versions")
        ordering = ["certificate", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "sequence"], name="certificateversion_sequence_unique"),
        ]

    def __str__(self):
        return f"{self.certificate.number} v{self.sequence} ({self.language})"

    @property
    def download_name(self):
        label = "issued" if self.is_issued else f"draft-v{self.sequence}"
        return f"{self.certificate.number}-{label}-{self.language}.pdf"
