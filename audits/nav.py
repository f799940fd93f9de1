"""The audits app's menu entries and home-page actions."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import AUDITING_STAFF, CB_ADMIN
from core.dates import day_text
from core.navigation import GROUP_AUDITS, Action, NavItem

from . import selectors
from .models import AuditStatus

HOME_LIMIT = 5  # the home page lists the first few; the lists themselves are a click away

ITEMS = [
    NavItem(
        gettext_lazy("Audits"),
        "audits:list",
        description=gettext_lazy("Audits: plans, teams, itineraries."),
        order=20,
        group=GROUP_AUDITS,
    ),
    NavItem(
        gettext_lazy("Audit programmes"),
        "audits:programme_list",
        description=gettext_lazy("Certification cycles: which audits are due or overdue."),
        order=25,
        group=GROUP_AUDITS,
    ),
    NavItem(
        gettext_lazy("Plan an audit"),
        "audits:create",
        description=gettext_lazy("Plan a new audit for a client."),
        order=30,
        group=GROUP_AUDITS,
    ),
]


def _d(value):
    return day_text(value)


def next_actions(user, shown=frozenset()):
    """``shown``: kinds of action the page shows already (a start page's sections): not computed."""
    actions = []
    if CB_ADMIN.allows(user) and not shown >= {"programme", "programmes"}:
        found, total = selectors.programmes_needing_attention(user=user, limit=HOME_LIMIT)
        if total > HOME_LIMIT:
            actions.append(
                Action(
                    label=_("%(count)s audit programmes with an audit due or overdue") % {"count": total},
                    url=reverse("audits:programme_list"),
                    detail=_("The first %(n)s are listed below.") % {"n": HOME_LIMIT},
                    meta={"kind": "programmes", "count": total},
                )
            )
        for programme, entry in found:
            actions.append(
                Action(
                    label=_("%(client)s: %(audit)s %(status)s")
                    % {
                        "client": programme.client.name_zh,
                        "audit": entry.label,
                        "status": entry.status_label,
                    },
                    url=reverse("audits:programme", args=[programme.client_id]),
                    detail=_("Due by %(date)s. If missed: %(consequence)s")
                    % {
                        "date": _d(entry.due_by),
                        "consequence": entry.consequence,
                    },
                    urgent=entry.status == "overdue",
                    meta={"kind": "programme", "status": entry.status},
                )
            )
    if AUDITING_STAFF.allows(user) and "audit" not in shown:
        today = selectors.today()
        for audit in selectors.audits_of_auditor(user=user)[:HOME_LIMIT]:
            roles_text = ", ".join(str(a.get_role_display()) for a in audit.my_roles)
            actions.append(
                Action(
                    label=_("%(audit)s · %(client)s")
                    % {"audit": audit.get_audit_type_display(), "client": audit.client.name_zh},
                    url=reverse("audits:detail", args=[audit.pk]),
                    detail=_("%(start)s – %(end)s · %(role)s · %(status)s")
                    % {
                        "start": _d(audit.start_date),
                        "end": _d(audit.end_date),
                        "role": roles_text,
                        "status": audit.get_status_display(),
                    },
                    urgent=audit.status == AuditStatus.IN_PROGRESS
                    or (audit.status == AuditStatus.PLANNED and audit.start_date <= today),
                    meta={"kind": "audit", "audit": audit.pk},
                )
            )
    return actions
