from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import RestrictedQuerySet, Role

from .cb import RuleSetChoice
from .team import TeamAssignment


def _team_member_client_ids(user):
    return TeamAssignment.objects.filter(profile__user=user).values("audit__client_id")


class AuditProgrammeQuerySet(RestrictedQuerySet):
    """CB administrators: all. Committee: read. Auditors: read the programmes of clients they
    audit. Client users: read their own organisation's programmes."""

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
            return self.filter(client_id__in=_team_member_client_ids(user))
        if user.role == Role.CLIENT:
            return self.filter(client_id=user.client_id)
        return self.none()


class AuditProgramme(models.Model):
    """A client's certification cycle for a set of standards (审核方案).

    Stores the anchors the due dates are computed from (audits/programme_rules.py): the
    certificate issue date (CNCA), the certification decision date (ISO/IEC 17021-1) and the
    expiry date. The expected audits and their status are computed, never stored
    (audits.selectors.programme_schedule).
    """

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="programmes", verbose_name=_("client organisation")
    )
    standards = models.ManyToManyField("standards.Standard", related_name="programmes", verbose_name=_("standards"))
    rule_set = models.CharField(
        _("certification-cycle rules"), max_length=20, choices=RuleSetChoice.choices, default=RuleSetChoice.CNCA
    )
    cycle = models.PositiveSmallIntegerField(
        _("certification cycle"),
        default=1,
        help_text=_("1 for the initial certification, 2 after the first recertification …"),
    )
    starts_with_initial_audit = models.BooleanField(
        _("starts with an initial audit"),
        default=True,
        help_text=_("Stage 1 and stage 2 are expected (not for a recertification cycle or a transfer)."),
    )
    decision_on = models.DateField(_("certification decision date"), null=True, blank=True)
    certificate_issued_on = models.DateField(_("certificate issue date"), null=True, blank=True)
    expires_on = models.DateField(
        _("certificate expiry date"),
        null=True,
        blank=True,
        help_text=_("Empty: three years minus one day from the anchor."),
    )
    active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    # The first expected audit not done yet (``selectors.programme_next_due``), so the programme
    # list sorts and pages in the database. Derived data, kept true by
    # ``services.programme_next_due_refresh`` whenever the programme, one of its audits or one of
    # its certificates is saved (``audits.signals``, certification's ``ready()``); not history.
    next_due_on = models.DateField(null=True, blank=True, editable=False)
    next_due_window_opens = models.DateField(null=True, blank=True, editable=False)
    has_pending = models.BooleanField(default=False, editable=False)

    objects = AuditProgrammeQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[standards], excluded_fields=["next_due_on", "next_due_window_opens", "has_pending"]
    )

    class Meta:
        verbose_name = _("audit programme")
        verbose_name_plural = _("audit programmes")
        ordering = ["client__name_zh", "-cycle", "pk"]
        indexes = [
            # The programme list's order (selectors.programme_list): an ascending B-tree on PostgreSQL
            # keeps NULLs last, as the list orders them (SQLite refuses NULLS LAST in an index).
            models.Index(fields=["next_due_on"], name="programme_list_order", condition=Q(active=True)),
        ]

    def __str__(self):
        codes = ", ".join(str(s) for s in self.standards.all())
        return f"{self.client} · {codes} · {self.get_cycle_display_text()}"

    def get_cycle_display_text(self):
        return _("cycle %(n)s") % {"n": self.cycle}

    @property
    def has_anchors(self):
        return self.decision_on is not None and self.certificate_issued_on is not None
