"""The findings app's menu entries and home-page actions (the nonconformity lifecycle).

* client user: its NCs to answer, overdue first;
* auditor / team leader: responses to verify; team leader: closures to approve;
* committee: overdue NCs of surveillance audits (grounds for suspension);
* CB administrator: how many NCs are overdue.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import AUDITING_STAFF, CB_ADMIN, CLIENT_USER, COMMITTEE
from core.dates import day_text
from core.navigation import GROUP_AUDITS, Action, NavItem

from . import selectors

HOME_LIMIT = 5  # each queue lists its first few on the home page, with its count

ITEMS = [
    NavItem(
        gettext_lazy("Nonconformities"),
        "findings:nc_register",
        description=gettext_lazy("Nonconformity register: responses, verification, closure, overdue; export."),
        order=27,
        group=GROUP_AUDITS,
    ),
    NavItem(
        gettext_lazy("NC due dates"),
        "findings:nc_due_rules",
        description=gettext_lazy("Days the client has for corrective action, per grade and audit type."),
        order=95,
    ),
]


def _more(actions, ncs, url_name="findings:nc_register"):
    """One line with the whole queue's count when it is longer than the lines shown."""
    total = selectors.total_of(ncs)
    if total > len(ncs):
        actions.append(
            Action(
                label=_("%(count)s nonconformities in this queue; the first %(n)s follow")
                % {"count": total, "n": len(ncs)},
                url=reverse(url_name),
                meta={"kind": "nc_queue", "count": total},
            )
        )


def _d(value):
    return day_text(value)


def _due_text(nc):
    if nc.is_overdue:
        return _("Overdue since %(date)s (%(days)s days)") % {"date": _d(nc.due_date), "days": nc.days_overdue}
    if nc.due_date:
        return _("Due by %(date)s") % {"date": _d(nc.due_date)}
    return _("No due date")


def _label(nc):
    return _("NC-%(number)s (%(grade)s) · %(client)s · %(audit)s") % {
        "number": nc.number,
        "grade": nc.get_grade_display(),
        "client": nc.audit.client.name_zh,
        "audit": nc.audit.get_audit_type_display(),
    }


def next_actions(user, shown=frozenset()):
    """``shown``: kinds of action the page shows already (a start page's sections): not computed."""
    actions = []
    if CLIENT_USER.allows(user) and "nc_answer" not in shown:
        ncs = selectors.to_answer(user=user, limit=HOME_LIMIT)
        _more(actions, ncs, "clients:portal_ncs")
        for nc in ncs:
            actions.append(
                Action(
                    label=_("Answer %(nc)s") % {"nc": _label(nc)},
                    url=reverse("clients:portal_nc", args=[nc.pk]),
                    detail=_due_text(nc)
                    + (" · " + _("your previous answer was sent back") if nc.status == "returned" else ""),
                    urgent=nc.is_overdue,
                    meta={"kind": "nc_answer", "nc": nc.pk},
                )
            )
    if AUDITING_STAFF.allows(user) and "nc_verify" not in shown:
        ncs = selectors.to_verify(user=user, limit=HOME_LIMIT)
        _more(actions, ncs)
        for nc in ncs:
            actions.append(
                Action(
                    label=_("Verify the response to %(nc)s") % {"nc": _label(nc)},
                    url=reverse("findings:nc_detail", args=[nc.pk]),
                    detail=_due_text(nc),
                    urgent=nc.is_overdue,
                    meta={"kind": "nc_verify", "nc": nc.pk},
                )
            )
    if AUDITING_STAFF.allows(user) and "nc_close" not in shown:
        ncs = selectors.to_approve(user=user, limit=HOME_LIMIT)
        _more(actions, ncs)
        for nc in ncs:
            actions.append(
                Action(
                    label=_("Approve the closure of %(nc)s") % {"nc": _label(nc)},
                    url=reverse("findings:nc_detail", args=[nc.pk]),
                    detail=_("Accepted by the auditor; your decision is awaited."),
                    meta={"kind": "nc_close", "nc": nc.pk},
                )
            )
    if COMMITTEE.allows(user) and "nc_suspension" not in shown:
        ncs = selectors.overdue_surveillance(user=user, limit=HOME_LIMIT)
        _more(actions, ncs)
        for nc in ncs:
            actions.append(
                Action(
                    label=_("Grounds for suspension: %(nc)s") % {"nc": _label(nc)},
                    url=reverse("findings:nc_detail", args=[nc.pk]),
                    detail=_due_text(nc),
                    urgent=True,
                    meta={"kind": "nc_suspension", "nc": nc.pk},
                )
            )
    if CB_ADMIN.allows(user) and "nc_overdue" not in shown:
        count = selectors.overdue_count(user=user)
        if count:
            actions.append(
                Action(
                    label=_("%(count)s overdue nonconformities") % {"count": count},
                    url=reverse("findings:nc_register") + "?overdue=true",
                    detail=_("Past their due date and not yet accepted by the auditor."),
                    urgent=True,
                    meta={"kind": "nc_overdue", "count": count},
                )
            )
    return actions
