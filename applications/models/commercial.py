"""The CB's side before the audit: its settings for contracts, its price list (data, edited in the
admin), the application review (17021-1 9.1.2), the quotation and the certification agreement
(17021-1 5.1.2)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.lifecycle import LifecycleEvent

from .access import ApplicationOwnedQuerySet
from .application import Application
from .settings_row import SettingsRowManager

DEFAULT_CONTRACT_PATTERN = "HT{yyyy}-{serial:04d}"

# From memory of common Chinese CB agreements; the CB replaces them with its own in the admin.
DEFAULT_TERMS_ZH = (
    "1. 认证机构依据认证依据标准和认证规则对委托方的管理体系实施认证审核，并依据审核结果作出认证决定。\n"
    "2. 委托方按本合同约定的金额和方式支付认证费用；审核人日数如因委托方变化需要调整，双方另行书面确认。\n"
    "3. 认证证书有效期三年，期间每年至少一次监督审核，第三年进行再认证审核。\n"
    "4. 双方对在认证活动中获得的对方信息负有保密义务（法律要求披露的除外）。"
)
DEFAULT_TERMS_EN = (
    "1. The certification body audits the client's management system against the certification standards and "
    "rules and decides on certification from the audit results.\n"
    "2. The client pays the fees in this agreement; if the audit days must change because the client changed, "
    "both parties confirm the change in writing.\n"
    "3. A certificate is valid for three years, with at least one surveillance audit a year and a "
    "recertification audit in the third year.\n"
    "4. Both parties keep the other's information obtained in the certification activity confidential "
    "(except where the law requires disclosure)."
)
# ISO/IEC 17021-1:2015 8.5.1 d) and e) (requirements for clients, rights and duties of certified clients),
# 8.3 (reference to certification and use of marks), 8.5.3 (the certified client's notice of changes):
# the clause numbers from memory of the 2015 edition.
DEFAULT_OBLIGATIONS_ZH = (
    "1. 始终满足认证要求，包括实施适当的变更；\n"
    "2. 为审核做出必要安排，包括提供文件、记录和进入所有过程、区域及接触人员的条件，并接受见证审核员和观察员；\n"
    "3. 仅就获证范围作出认证声明，不以误导方式使用认证证书和认证标志；\n"
    "4. 暂停、撤销或认证终止后，停止使用所有引用认证的宣传材料；\n"
    "5. 及时通知认证机构可能影响体系满足认证要求能力的变更（名称、地址、组织、范围、场所等）；\n"
    "6. 记录并处理针对管理体系的投诉。"
)
DEFAULT_OBLIGATIONS_EN = (
    "1. Always fulfil the certification requirements, including implementing appropriate changes;\n"
    "2. make all necessary arrangements for the audits: documents, records, access to all processes, areas "
    "and personnel, and accept witness auditors and observers;\n"
    "3. claim certification only for the certified scope and never use certificates or marks misleadingly;\n"
    "4. on suspension, withdrawal or termination, stop using all advertising that refers to certification;\n"
    "5. inform the CB without delay of changes that may affect the system's ability to meet the "
    "certification requirements (name, address, organisation, scope, sites …);\n"
    "6. keep records of complaints about the management system and of the actions taken."
)


class ContractSettings(models.Model):
    """The CB's certification agreement template and numbering (one row, edited in the admin)."""

    key = models.PositiveSmallIntegerField(default=1, editable=False, unique=True)
    number_pattern = models.CharField(
        _("contract number pattern"),
        max_length=60,
        default=DEFAULT_CONTRACT_PATTERN,
        help_text=_("Python format fields: {yy} or {yyyy} year, {serial:04d} serial within the year."),
    )
    terms_zh = models.TextField(_("terms (Chinese)"), default=DEFAULT_TERMS_ZH)
    terms_en = models.TextField(_("terms (English)"), default=DEFAULT_TERMS_EN)
    obligations_zh = models.TextField(_("client's obligations (Chinese)"), default=DEFAULT_OBLIGATIONS_ZH)
    obligations_en = models.TextField(_("client's obligations (English)"), default=DEFAULT_OBLIGATIONS_EN)
    quotation_valid_days = models.PositiveSmallIntegerField(_("quotations valid for (days)"), default=60)

    objects = SettingsRowManager()

    class Meta:
        verbose_name = _("contract settings")
        verbose_name_plural = _("contract settings")

    def __str__(self) -> str:
        return str(_("Contract settings"))


class PriceList(models.Model):
    """The CB's fees (data): a default day rate, rates per family or per code in ``DayRate``, and
    the fixed fees. The active list is used for new quotations."""

    name = models.CharField(_("name"), max_length=100)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    active = models.BooleanField(_("active"), default=True)
    day_rate = models.DecimalField(
        _("default day rate"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    application_fee = models.DecimalField(_("application fee"), max_digits=10, decimal_places=2, default=Decimal(0))
    certificate_fee = models.DecimalField(
        _("certificate fee (per certificate)"), max_digits=10, decimal_places=2, default=Decimal(0)
    )
    surveillance_fee = models.DecimalField(
        _("surveillance fee (per surveillance audit)"), max_digits=10, decimal_places=2, default=Decimal(0)
    )
    travel_per_audit = models.DecimalField(_("travel (per audit)"), max_digits=10, decimal_places=2, default=Decimal(0))

    class Meta:
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        ordering = ["-active", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.currency})"


class DayRate(models.Model):
    """A day rate for a management-system family or a technical-area code (33.02 covers 33.02.01)."""

    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="rates")
    family = models.CharField(_("management-system family"), max_length=16, blank=True)
    technical_area = models.ForeignKey(
        "standards.TechnicalArea", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rate = models.DecimalField(
        _("day rate"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        verbose_name = _("day rate")
        verbose_name_plural = _("day rates")
        constraints = [
            models.CheckConstraint(
                name="dayrate_family_or_code",
                condition=(Q(family="") & Q(technical_area__isnull=False))
                | (~Q(family="") & Q(technical_area__isnull=True)),
            )
        ]

    def __str__(self) -> str:
        return f"{self.family or self.technical_area}: {self.rate}"


class ReviewResult(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    ACCEPT_CONDITIONS = "accept_conditions", _("Accept with conditions")
    DECLINE = "decline", _("Decline")


class ApplicationReview(models.Model):
    """The application review (17021-1 9.1.2): the checklist's answers and remarks (``points``:
    ``{key: {"ok": bool, "remark": str}}``, the keys in ``applications.rules.REVIEW_POINTS``), the
    audit days of the cycle as calculated then, and the result the client is shown."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="review")
    points = models.JSONField(_("checklist"), default=dict, blank=True)
    cycle = models.JSONField(_("audit days of the cycle"), default=dict, blank=True)
    result = models.CharField(_("result"), max_length=20, choices=ReviewResult.choices, blank=True)
    conditions = models.TextField(_("conditions or reasons"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)

    objects = ApplicationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("application review")
        verbose_name_plural = _("application reviews")

    def __str__(self) -> str:
        return str(self.application)


class QuotationStatus(models.TextChoices):
    ISSUED = "issued", _("Sent to the client")
    ACCEPTED = "accepted", _("Accepted by the client")
    DECLINED = "declined", _("Declined by the client")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class QuotationAction(models.TextChoices):
    CREATE = "create", _("Issued")
    ACCEPT = "accept", _("Accept the quotation")
    DECLINE = "decline", _("Decline the quotation")
    WITHDRAW = "withdraw", _("Withdraw the quotation")


class Quotation(models.Model):
    """Audit days of the 3-year cycle and fees, from the price list; ``lines`` is the snapshot the
    page and the PDF show (``applications.rules.quotation_lines``)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="quotations")
    number = models.CharField(_("quotation number"), max_length=30, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=QuotationStatus.choices, default=QuotationStatus.ISSUED, editable=False
    )
    price_list = models.ForeignKey(PriceList, on_delete=models.PROTECT, related_name="+", verbose_name=_("price list"))
    currency = models.CharField(_("currency"), max_length=3)
    day_rate = models.DecimalField(_("day rate"), max_digits=10, decimal_places=2)
    lines = models.JSONField(_("lines"), default=list)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    valid_until = models.DateField(_("valid until"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    response_note = models.TextField(_("client's remark"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ApplicationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return self.number


class QuotationEvent(LifecycleEvent):
    quotation = models.ForeignKey(Quotation, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=30, choices=QuotationAction.choices)

    class Meta(LifecycleEvent.Meta):
        verbose_name = _("quotation event")


class ContractStatus(models.TextChoices):
    ISSUED = "issued", _("Sent to the client")
    CLIENT_ACCEPTED = "client_accepted", _("Accepted by the client")
    SIGNED = "signed", _("Signed")
    CANCELLED = "cancelled", _("Cancelled")


class ContractAction(models.TextChoices):
    CREATE = "create", _("Issued")
    CLIENT_ACCEPT = "client_accept", _("Accept the agreement")
    SIGN = "sign", _("Sign and create the audit programme")
    CANCEL = "cancel", _("Cancel")


def signed_copy_path(instance: "Contract", filename: str) -> str:
    import os
    import uuid

    return f"contracts/{instance.application_id}/{uuid.uuid4().hex}{os.path.splitext(filename)[1].lower()}"


class Contract(models.Model):
    """The certification agreement (17021-1 5.1.2): number, amount, terms and the client's
    obligations copied from the CB's template when issued, the client's acceptance in the portal or
    the signed copy, and what signing created (the programme and its stage 1 audit)."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="contract")
    quotation = models.ForeignKey(Quotation, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("contract number"), max_length=40, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    serial = models.PositiveIntegerField(editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ContractStatus.choices, default=ContractStatus.ISSUED, editable=False
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    terms_zh = models.TextField(_("terms (Chinese)"))
    terms_en = models.TextField(_("terms (English)"), blank=True)
    obligations_zh = models.TextField(_("client's obligations (Chinese)"))
    obligations_en = models.TextField(_("client's obligations (English)"), blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)
    client_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted in the portal by"),
    )
    client_accepted_at = models.DateTimeField(_("accepted in the portal at"), null=True, blank=True)
    signed_copy = models.FileField(_("signed copy"), upload_to=signed_copy_path, max_length=300, blank=True)
    signed_copy_name = models.CharField(_("file name"), max_length=255, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed for the CB by"),
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    programme = models.ForeignKey(
        "audits.AuditProgramme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("audit programme"),
    )
    stage_1_audit = models.ForeignKey(
        "audits.Audit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stage 1 audit"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ApplicationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("certification agreement")
        verbose_name_plural = _("certification agreements")
        ordering = ["-issued_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["year", "serial"], name="contract_serial_per_year")]

    def __str__(self) -> str:
        return self.number


class ContractEvent(LifecycleEvent):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=30, choices=ContractAction.choices)

    class Meta(LifecycleEvent.Meta):
        verbose_name = _("contract event")
