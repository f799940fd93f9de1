"""An application for certification (ISO/IEC 17021-1 9.1.1): who applies, for which standards and
scope, where (sites, headcount, shifts), with which staff, codes, outsourced processes and
consultancy, the existing certification, the language and the preferred dates, with attachments.

A new organisation applies with its own data (``client`` empty until the contract creates it); an
existing client applies for another standard or an extension (``client`` set, its data copied
into the application so the review sees what was applied for)."""

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import SiteKind
from core.i18n import pick
from core.lifecycle import LifecycleEvent

from .access import ApplicationOwnedQuerySet, ApplicationQuerySet


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    ACCEPTED = "accepted", _("Accepted")
    ACCEPTED_CONDITIONS = "accepted_conditions", _("Accepted with conditions")
    DECLINED = "declined", _("Declined")
    CONTRACTED = "contracted", _("Contracted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ACCEPTED_STATUSES = (ApplicationStatus.ACCEPTED, ApplicationStatus.ACCEPTED_CONDITIONS)


class ApplicationAction(models.TextChoices):
    CREATE = "create", _("Created")
    SUBMIT = "submit", _("Submit")
    START_REVIEW = "start_review", _("Start the application review")
    RETURN = "return", _("Return for more information")
    ACCEPT = "accept", _("Accept")
    ACCEPT_CONDITIONS = "accept_conditions", _("Accept with conditions")
    DECLINE = "decline", _("Decline")
    CONTRACT = "contract", _("Contract signed")
    WITHDRAW = "withdraw", _("Withdraw")


class ApplicationKind(models.TextChoices):
    INITIAL = "initial", _("Initial certification")
    ADDITIONAL = "additional", _("Another standard")
    EXTENSION = "extension", _("Scope extension")
    TRANSFER = "transfer", _("Transfer from another certification body (IAF MD 2)")


class Language(models.TextChoices):
    ZH = "zh", _("Chinese")
    EN = "en", _("English")
    BOTH = "both", _("Chinese and English")


class Application(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, editable=False
    )
    kind = models.CharField(_("kind of application"), max_length=12, choices=ApplicationKind.choices)
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("existing client"),
    )
    # The organisation as applied for.
    name_zh = models.CharField(_("organisation name (Chinese)"), max_length=200, blank=True)
    name_en = models.CharField(_("organisation name (English)"), max_length=200, blank=True)
    address_zh = models.CharField(_("registered address (Chinese)"), max_length=300, blank=True)
    address_en = models.CharField(_("registered address (English)"), max_length=300, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    headcount = models.PositiveIntegerField(_("total headcount"), null=True, blank=True)
    temporary_staff = models.PositiveIntegerField(_("temporary staff"), default=0)
    part_time_staff = models.PositiveIntegerField(_("part-time staff"), default=0)
    technical_areas = models.ManyToManyField(
        "standards.TechnicalArea",
        blank=True,
        related_name="applications",
        verbose_name=_("proposed technical-area codes"),
    )
    integrated = models.BooleanField(_("integrated management system"), default=False)
    outsourced_processes = models.TextField(_("outsourced processes"), blank=True)
    consultancy = models.CharField(
        _("consultancy used"),
        max_length=200,
        blank=True,
        help_text=_("The consultancy that helped build the system, if any (the 2-year conflict rule)."),
    )
    consultancy_ended_on = models.DateField(_("consultancy ended on"), null=True, blank=True)
    # An existing certification: a transfer (IAF MD 2), reviewed in ``TransferReview``.
    existing_cb = models.CharField(_("current certification body"), max_length=200, blank=True)
    existing_certificate_number = models.CharField(_("current certificate number"), max_length=60, blank=True)
    existing_certificate_expires_on = models.DateField(_("current certificate expires on"), null=True, blank=True)
    language = models.CharField(_("audit language"), max_length=4, choices=Language.choices, default=Language.ZH)
    preferred_from = models.DateField(_("preferred audit dates from"), null=True, blank=True)
    preferred_until = models.DateField(_("preferred audit dates until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-pk"]
        permissions = [("review_application", "May conclude application reviews (17021-1 9.1.2)")]

    def __str__(self) -> str:
        return f"{self.reference} · {self.organisation_name}"

    @property
    def organisation_name(self) -> str:
        return pick(self.name_zh, self.name_en) or (self.client.name if self.client_id else "")


class ApplicationStandard(models.Model):
    """One standard applied for, with the requested scope in both languages and, for EMS/OHSMS,
    the IAF MD 5 complexity category the audit time needs."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="standards")
    standard = models.ForeignKey("standards.Standard", on_delete=models.PROTECT, related_name="+")
    scope_zh = models.TextField(_("requested scope (Chinese)"), blank=True)
    scope_en = models.TextField(_("requested scope (English)"), blank=True)
    complexity = models.CharField(
        _("complexity (EMS/OHSMS)"),
        max_length=12,
        blank=True,
        help_text=_("IAF MD 5 Annex B/C: high, medium, low, limited."),
    )

    objects = ApplicationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("standard applied for")
        verbose_name_plural = _("standards applied for")
        ordering = ["application", "standard__family", "standard__code"]
        constraints = [models.UniqueConstraint(fields=["application", "standard"], name="application_standard_once")]

    def __str__(self) -> str:
        return str(self.standard)


class ApplicationSite(models.Model):
    """A site of the applicant with its headcount and shifts (IAF MD 1 sampling, MD 5 time)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="sites")
    kind = models.CharField(_("kind of site"), max_length=20, choices=SiteKind.choices)
    name = models.CharField(_("site name"), max_length=200, blank=True)
    address_zh = models.CharField(_("address (Chinese)"), max_length=300)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    is_central = models.BooleanField(_("central function"), default=False)
    headcount = models.PositiveIntegerField(_("headcount at the site"), null=True, blank=True)
    shifts = models.PositiveSmallIntegerField(_("shifts"), default=1)

    objects = ApplicationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("site applied for")
        verbose_name_plural = _("sites applied for")
        ordering = ["application", "-is_central", "pk"]

    def __str__(self) -> str:
        return pick(self.address_zh, self.address_en)


def attachment_path(instance: "ApplicationAttachment", filename: str) -> str:
    ext = os.path.splitext(filename)[1].lower()
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}{ext}"


class ApplicationAttachment(models.Model):
    """A file the applicant joins (business licence, organisation chart, manual …), checked as
    every client document (``clients.uploads.check_document``)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0, editable=False)
    content_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)

    objects = ApplicationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["application", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class ApplicationEvent(LifecycleEvent):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=30, choices=ApplicationAction.choices)

    class Meta(LifecycleEvent.Meta):
        verbose_name = _("application event")
