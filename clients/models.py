"""Client organisations (受审核方) and what the CB keeps about them.

Everything the seed report's part 四 (受审核方基本信息) prints is a field here: names,
headcount, sites (registered, operating, branch, temporary), contact, legal representative,
top management, management-system contact, requested scope per standard, technical-area
codes, integrated-audit flag, implementation date, last audit, changes since the last audit.
Departments and the clause × department responsibility matrix (职能分配表) follow the
client's own manual; documents are the client's manual, procedures, matrix …

Rules (validation, concurrency, uploads) live in ``services.py``; reads in ``selectors.py``.
"""

import os
import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import RestrictedQuerySet, Role
from core.i18n import pick

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()\-/]{2,38}(\s*(转|ext\.?|x)\s*[0-9]{1,6})?$",
    _("Enter a telephone or fax number: digits, spaces, brackets and hyphens, e.g. 010-51095332."),
    code="invalid_phone",
)
postal_code_validator = RegexValidator(
    r"^[0-9]{6}$", _("A Chinese postal code has six digits, e.g. 100029."), code="invalid_postal_code"
)


class ClientQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.role == Role.CLIENT:
            # A client user sees its own organisation and never changes it here.
            return self.filter(pk=user.client_id) if action == "view" else self.none()
        if user.role == Role.CB_ADMIN:
            return self
        if action == "view" and user.is_cb_staff:
            return self
        return self.none()


class ClientOwnedQuerySet(RestrictedQuerySet):
    """Rows that belong to one client (through ``client_path``): visible to whoever may see
    that client, changed by whoever may change it."""

    client_path = "client"

    def restrict(self, user, action="view"):
        visible = Client.objects.restrict(user, action)
        return self.filter(**{f"{self.client_path}__in": visible.values("pk")})


class ResponsibilityQuerySet(ClientOwnedQuerySet):
    client_path = "department__client"


class Client(models.Model):
    """An organisation the CB audits (受审核方)."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=200, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    headcount = models.PositiveIntegerField(
        _("headcount"), null=True, blank=True, help_text=_("Effective personnel (组织人数), e.g. 15.")
    )
    postal_code = models.CharField(
        _("postal code"),
        max_length=6,
        blank=True,
        validators=[postal_code_validator],
        help_text=_("Postal code of the registered address."),
    )
    phone = models.CharField(_("telephone"), max_length=40, blank=True, validators=[phone_validator])
    fax = models.CharField(_("fax"), max_length=40, blank=True, validators=[phone_validator])
    email = models.EmailField(_("e-mail"), blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    top_management = models.CharField(_("top management"), max_length=100, blank=True)
    ms_contact = models.CharField(
        _("management-system contact"),
        max_length=100,
        blank=True,
        help_text=_("The person responsible for the management system (体系负责人)."),
    )
    # ISO 45001:2018 5.4 asks for workers' consultation and participation, often through an
    # appointed representative (the seed manual's 职业健康安全事务代表任命书).
    ohs_representative = models.CharField(
        _("OH&S representative"),
        max_length=100,
        blank=True,
        help_text=_("The person appointed for occupational health and safety matters (职业健康安全事务代表)."),
    )
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True, validators=[phone_validator])
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    technical_areas = models.ManyToManyField(
        "standards.TechnicalArea",
        verbose_name=_("technical-area codes"),
        blank=True,
        related_name="clients",
        help_text=_("Scope codes of the requested certification, e.g. 33.02.01."),
    )
    integrated_audit = models.BooleanField(
        _("integrated audit"),
        default=False,
        help_text=_("One audit of an integrated management system covering several standards."),
    )
    system_implemented_on = models.DateField(
        _("management system implemented on"),
        null=True,
        blank=True,
        help_text=_("Date the management-system documents took effect (体系文件实施时间)."),
    )
    last_audit_on = models.DateField(
        _("date of the last audit"), null=True, blank=True, help_text=_("For recertification.")
    )
    changes_since_last_audit = models.TextField(
        _("significant changes since the last audit"),
        blank=True,
        help_text=_("Changes affecting the client's management system (recertification); e.g. 不适用."),
    )
    # An organisation that registered itself in the portal and has signed no certification
    # agreement yet (17021-1 9.1: an applicant, not yet a certified or contracted client).
    # Signing its first agreement clears it (applications.services.contract_sign).
    prospective = models.BooleanField(
        _("prospective"),
        default=False,
        help_text=_("Registered in the portal; no certification agreement signed yet."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ClientQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[technical_areas])

    class Meta:
        verbose_name = _("client organisation")
        verbose_name_plural = _("client organisations")
        ordering = ["name_zh"]

    def __str__(self):
        return self.name_zh

    @property
    def name(self):
        return pick(self.name_zh, self.name_en)

    @property
    def telephone(self):
        """The number to call, as the client page and the report show it: the contact's, else
        the organisation's switchboard."""
        return self.contact_phone or self.phone


class ClientScope(models.Model):
    """The certification scope the client requests for one standard (申请的认证范围),
    e.g. QMS (ISO 9001:2015): 基础软件服务."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="scopes", verbose_name=_("client"))
    standard = models.ForeignKey(
        "standards.Standard", on_delete=models.PROTECT, related_name="client_scopes", verbose_name=_("standard")
    )
    scope_zh = models.TextField(_("scope (Chinese)"))
    scope_en = models.TextField(_("scope (English)"), blank=True)

    objects = ClientOwnedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("requested scope")
        verbose_name_plural = _("requested scopes")
        ordering = ["client", "standard__family", "standard__code"]
        constraints = [models.UniqueConstraint(fields=["client", "standard"], name="client_scope_one_per_standard")]

    def __str__(self):
        return f"{self.standard.family}: {self.scope}"

    @property
    def scope(self):
        return pick(self.scope_zh, self.scope_en)


class SiteKind(models.TextChoices):
    REGISTERED = "registered", _("Registered address")
    OPERATING = "operating", _("Operating address")
    BRANCH = "branch", _("Branch (permanent site)")
    TEMPORARY = "temporary", _("Temporary site (project)")


SITE_KIND_ORDER = [SiteKind.REGISTERED, SiteKind.OPERATING, SiteKind.BRANCH, SiteKind.TEMPORARY]


class Site(models.Model):
    """An address of the client: registered (注册地址), operating (经营地址), a branch
    (分场所) or a temporary/project site (临时场所)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="sites", verbose_name=_("client"))
    kind = models.CharField(_("kind of site"), max_length=20, choices=SiteKind.choices)
    name = models.CharField(_("site name"), max_length=200, blank=True)
    address_zh = models.CharField(_("address (Chinese)"), max_length=300)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True, validators=[postal_code_validator])
    is_central = models.BooleanField(
        _("central function"), default=False, help_text=_("The site where the management system is run from.")
    )
    headcount = models.PositiveIntegerField(_("headcount at the site"), null=True, blank=True)

    objects = ClientOwnedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        # Registered address first, then operating addresses, branches, temporary sites.
        ordering = [
            "client",
            models.Case(
                *(models.When(kind=kind, then=models.Value(i)) for i, kind in enumerate(SITE_KIND_ORDER)),
                default=models.Value(len(SITE_KIND_ORDER)),
            ),
            "id",
        ]
        constraints = [
            models.CheckConstraint(name="site_kind_valid", condition=Q(kind__in=SiteKind.values)),
            models.UniqueConstraint(
                fields=["client"], condition=Q(is_central=True), name="site_one_central_per_client"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.address}"

    @property
    def address(self):
        return pick(self.address_zh, self.address_en)


class Department(models.Model):
    """An organisational unit of the client (部门), the columns of its responsibility matrix."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="departments", verbose_name=_("client"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ClientOwnedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["client", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["client", "name_zh"], name="department_name_unique_per_client")]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return pick(self.name_zh, self.name_en)


class ResponsibilityRole(models.TextChoices):
    OWNER = "owner", _("Responsible (●)")
    SUPPORT = "support", _("Supporting (○)")


class Responsibility(models.Model):
    """One cell of the client's responsibility matrix (职能分配表): the department owns
    (主管, ●) or supports (相关, ○) the clause. A blank cell is no row.

    Not tracked by simple-history row by row: the matrix is saved as a whole by
    ``services.responsibility_matrix_save``, which records the change on the client's history.
    """

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="responsibilities", verbose_name=_("department")
    )
    clause = models.ForeignKey(
        "standards.Clause", on_delete=models.PROTECT, related_name="responsibilities", verbose_name=_("clause")
    )
    role = models.CharField(_("responsibility"), max_length=10, choices=ResponsibilityRole.choices)

    objects = ResponsibilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["department", "clause__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["department", "clause"], name="responsibility_one_per_cell"),
            models.CheckConstraint(name="responsibility_role_valid", condition=Q(role__in=ResponsibilityRole.values)),
        ]

    def __str__(self):
        return f"{self.clause.number} {self.department}: {self.get_role_display()}"


class DocumentKind(models.TextChoices):
    MANUAL = "manual", _("Management manual")
    PROCEDURE = "procedure", _("Procedure")
    RESPONSIBILITY_MATRIX = "responsibility_matrix", _("Responsibility matrix")
    OTHER = "other", _("Other document")


def client_document_path(instance, filename):
    """Outside any public URL: ``private/clients/<client id>/<random>.<ext>``. The stored name
    never contains the uploader's file name (kept in ``original_name``)."""
    ext = os.path.splitext(filename)[1].lower()
    return f"private/clients/{instance.client_id}/{uuid.uuid4().hex}{ext}"


class ClientDocument(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="documents", verbose_name=_("client"))
    kind = models.CharField(_("kind of document"), max_length=30, choices=DocumentKind.choices)
    title = models.CharField(_("document title"), max_length=200)
    file = models.FileField(_("file"), upload_to=client_document_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0, editable=False)
    content_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ClientOwnedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("client document")
        verbose_name_plural = _("client documents")
        ordering = ["client", "kind", "-uploaded_at"]
        constraints = [
            models.CheckConstraint(name="client_document_kind_valid", condition=Q(kind__in=DocumentKind.values))
        ]

    def __str__(self):
        return self.title
