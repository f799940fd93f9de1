"""Changes a certified client reports (ISO/IEC 17021-1 8.5.3, the client informs the CB of changes;
9.6.3 the CB reviews them): a new name or address, a scope extension or reduction, a new total
headcount, a site added or closed. Entered in the
portal or by CB staff; approved or rejected by a CB administrator (``CHANGE_MACHINE``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import SiteKind
from core.access import STAFF_ROLES, RestrictedQuerySet, Role
from core.lifecycle import LifecycleEvent


class ChangeKind(models.TextChoices):
    NAME = "name", _("Change of name")
    ADDRESS = "address", _("Change of registered address")
    SCOPE_EXTENSION = "scope_extension", _("Scope extension")
    SCOPE_REDUCTION = "scope_reduction", _("Scope reduction")
    HEADCOUNT = "headcount", _("Change of headcount")
    SITE_ADDITION = "site_addition", _("New site")
    SITE_CLOSURE = "site_closure", _("Site closed")


NAME_OR_ADDRESS = (ChangeKind.NAME, ChangeKind.ADDRESS)
SCOPE_CHANGES = (ChangeKind.SCOPE_EXTENSION, ChangeKind.SCOPE_REDUCTION)
SITE_CHANGES = (ChangeKind.SITE_ADDITION, ChangeKind.SITE_CLOSURE)
# A reported site is an operating address, a branch or a temporary site: the registered address
# changes through an address change.
NEW_SITE_KINDS = (SiteKind.OPERATING, SiteKind.BRANCH, SiteKind.TEMPORARY)


class ChangeStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ChangeAction(models.TextChoices):
    CREATE = "create", _("Reported")
    APPROVE = "approve", _("Approve the change")
    REJECT = "reject", _("Reject the change")


class ChangeQuerySet(RestrictedQuerySet):
    """``view``: CB staff all, a client user its own organisation's; ``manage`` (approve, reject):
    CB administrators."""

    def restrict(self, user, action="view"):
        if not (user is not None and user.is_authenticated and user.is_active):
            return self.none()
        if user.role == Role.CB_ADMIN:
            return self.all()
        if action != "view":
            return self.none()
        if user.role == Role.CLIENT:
            return self.filter(client_id=user.client_id) if user.client_id else self.none()
        if user.role in STAFF_ROLES:
            return self.all()
        return self.none()


class ChangeRequest(models.Model):
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="change_requests", verbose_name=_("client")
    )
    kind = models.CharField(_("change"), max_length=20, choices=ChangeKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ChangeStatus.choices, default=ChangeStatus.SUBMITTED, editable=False
    )
    name_zh = models.CharField(_("new name (Chinese)"), max_length=200, blank=True)
    name_en = models.CharField(_("new name (English)"), max_length=200, blank=True)
    address_zh = models.CharField(_("new address (Chinese)"), max_length=300, blank=True)
    address_en = models.CharField(_("new address (English)"), max_length=300, blank=True)
    standard = models.ForeignKey(
        "standards.Standard",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("standard"),
    )
    scope_zh = models.TextField(_("new scope (Chinese)"), blank=True)
    scope_en = models.TextField(_("new scope (English)"), blank=True)
    headcount = models.PositiveIntegerField(_("new total headcount"), null=True, blank=True)
    # A new site (the fields of ``clients.Site``) ...
    site_kind = models.CharField(_("kind of site"), max_length=20, blank=True)
    site_name = models.CharField(_("site name"), max_length=200, blank=True)
    site_address_zh = models.CharField(_("site address (Chinese)"), max_length=300, blank=True)
    site_address_en = models.CharField(_("site address (English)"), max_length=300, blank=True)
    site_headcount = models.PositiveIntegerField(_("headcount at the site"), null=True, blank=True)
    # ... or the client's site to close (gone once closed: ``previous`` keeps what it was).
    site = models.ForeignKey(
        "clients.Site",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site to close"),
    )
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    # What it was, written on approval (the client's own history keeps it too).
    previous = models.JSONField(_("previous values"), default=dict, blank=True, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("reported at"), default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    decision = models.ForeignKey(
        "certification.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("certification decision proposed"),
    )
    audit = models.ForeignKey(
        "audits.Audit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("audit planned"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("reported change")
        verbose_name_plural = _("reported changes")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.client}"


class ChangeEvent(LifecycleEvent):
    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=30, choices=ChangeAction.choices)

    class Meta(LifecycleEvent.Meta):
        verbose_name = _("reported change event")
