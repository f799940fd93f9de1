"""Invoices per milestone of the certification agreement and their payment state (no accounting:
the CB's accounting system books them; here only what the certification process needs — what is
due, when, whether it is paid). An issued invoice never changes: a correction is its
cancellation and a new invoice (``replaces``); every move is an ``InvoiceEvent``."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import local_today
from core.lifecycle import LifecycleEvent

from .access import ApplicationOwnedQuerySet
from .commercial import Contract
from .settings_row import SettingsRowManager

DEFAULT_INVOICE_PATTERN = "FP{yyyy}-{serial:04d}"


class InvoiceSettings(models.Model):
    """The CB's invoicing settings (one row, edited in the admin)."""

    key = models.PositiveSmallIntegerField(default=1, editable=False, unique=True)
    number_pattern = models.CharField(
        _("invoice number pattern"),
        max_length=60,
        default=DEFAULT_INVOICE_PATTERN,
        help_text=_("Python format fields: {yy} or {yyyy} year, {serial:04d} serial within the year."),
    )
    # A common term in Chinese CB agreements, from memory; the CB sets its own.
    payment_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), default=30, help_text=_("Days from the invoice date to its due date.")
    )
    release_only_when_paid = models.BooleanField(
        _("release a certificate only when the certification fee is paid"),
        default=False,
        help_text=_(
            "When on, a decision to grant still records, but the certificate is not released (not downloadable "
            "by the client, not on the public register) until the certificate-fee invoice is paid."
        ),
    )

    objects = SettingsRowManager()

    class Meta:
        verbose_name = _("invoice settings")
        verbose_name_plural = _("invoice settings")

    def __str__(self) -> str:
        return str(_("Invoice settings"))


class InvoiceMilestone(models.TextChoices):
    APPLICATION = "application", _("Application fee")
    INITIAL = "initial", _("Initial audit (stage 1 and stage 2)")
    CERTIFICATE = "certificate", _("Certificate fee")
    SURVEILLANCE_1 = "surveillance_1", _("First surveillance")
    SURVEILLANCE_2 = "surveillance_2", _("Second surveillance")
    RECERTIFICATION = "recertification", _("Recertification")


class InvoiceStatus(models.TextChoices):
    ISSUED = "issued", _("Issued, unpaid")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class InvoiceAction(models.TextChoices):
    CREATE = "create", _("Issued")
    PAY = "pay", _("Mark paid")
    CANCEL = "cancel", _("Cancel")


class InvoiceQuerySet(ApplicationOwnedQuerySet):
    """As the agreement's application: CB staff see, CB administrators manage (issue, mark paid,
    cancel), the client user sees its organisation's."""

    prefix = "contract__application__"

    def overdue(self, today):
        return self.filter(status=InvoiceStatus.ISSUED, due_on__lt=today)


# What a move may change on an issued invoice; everything else is frozen once issued.
PAYMENT_FIELDS = frozenset({"status", "paid_on", "paid_by_id", "paid_recorded_at", "cancel_reason", "version"})


class Invoice(models.Model):
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("certification agreement")
    )
    milestone = models.CharField(_("milestone"), max_length=20, choices=InvoiceMilestone.choices)
    number = models.CharField(_("invoice number"), max_length=40, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    serial = models.PositiveIntegerField(editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=InvoiceStatus.choices, default=InvoiceStatus.ISSUED, editable=False
    )
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)], editable=False
    )
    currency = models.CharField(_("currency"), max_length=3, editable=False)
    issued_on = models.DateField(_("invoice date"), editable=False)
    due_on = models.DateField(_("due on"), editable=False)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
        editable=False,
    )
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)
    paid_on = models.DateField(_("paid on"), null=True, blank=True, editable=False)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payment recorded by"),
        editable=False,
    )
    paid_recorded_at = models.DateTimeField(_("payment recorded at"), null=True, blank=True, editable=False)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["due_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="invoice_serial_per_year"),
            # One live invoice per milestone of an agreement: a correction cancels first.
            models.UniqueConstraint(
                fields=["contract", "milestone"],
                condition=~models.Q(status="cancelled"),
                name="invoice_one_live_per_milestone",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded = dict(zip(field_names, values, strict=True))
        return instance

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded", None)
        if not self._state.adding:
            fields = self._meta.concrete_fields
            changed = (
                {f.attname for f in fields}
                if loaded is None or any(f.attname not in loaded for f in fields)
                else {f.attname for f in fields if getattr(self, f.attname) != loaded[f.attname]}
            )
            if not changed <= PAYMENT_FIELDS:
                raise ValidationError(
                    _("An issued invoice cannot be changed; cancel it and issue a new one."), code="immutable"
                )
        super().save(*args, **kwargs)
        self._loaded = {f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields}

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An invoice cannot be deleted; cancel it."), code="immutable")

    def is_overdue(self, today=None) -> bool:
        return self.status == InvoiceStatus.ISSUED and self.due_on < (today or local_today())

    @property
    def overdue(self) -> bool:
        return self.is_overdue()


class InvoiceEvent(LifecycleEvent):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=30, choices=InvoiceAction.choices)

    class Meta(LifecycleEvent.Meta):
        verbose_name = _("invoice event")
