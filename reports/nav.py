from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.navigation import GROUP_REPORTS, Action, NavItem

ITEMS = [
    NavItem(
        gettext_lazy("Audit reports"),
        "reports:list",
        description=gettext_lazy("Write, review and approve audit reports."),
        order=40,
        group=GROUP_REPORTS,
    ),
    # Every role: client users see their own organisation's.
    NavItem(
        gettext_lazy("Issued reports"),
        "reports:issued_list",
        description=gettext_lazy("The issued audit reports (PDF) you may download."),
        order=45,
        group=GROUP_REPORTS,
    ),
]


REPORT_KINDS = frozenset({"report_approve", "report_revise", "report_write"})


def next_actions(user, shown=frozenset()):
    """Topics assigned to me in reports I can still write; reports waiting for my approval
    (``shown``: kinds the page shows already; none computed when it shows all three)."""
    from .selectors import actions_for

    if not getattr(user, "is_cb_staff", False) or shown >= REPORT_KINDS:
        return []
    actions = []
    for kind, report, count in actions_for(user=user):
        url = reverse("reports:editor", kwargs={"pk": report.pk})
        client = report.audit.client.name_zh
        if kind == "approve":
            actions.append(
                Action(
                    _("Review the submitted report: %(client)s") % {"client": client},
                    url,
                    _("Approve it or return it with comments."),
                    urgent=True,
                    meta={"kind": "report_approve", "report": report.pk},
                )
            )
        elif kind == "revise":
            actions.append(
                Action(
                    _("Revise returned topics: %(client)s") % {"client": client},
                    url,
                    _("%(count)s topics returned by the team leader.") % {"count": count},
                    urgent=True,
                    meta={"kind": "report_revise", "report": report.pk},
                )
            )
        else:
            actions.append(
                Action(
                    _("Write the report: %(client)s") % {"client": client},
                    url,
                    _("%(count)s of your topics are still empty.") % {"count": count},
                    meta={"kind": "report_write", "report": report.pk},
                )
            )
    return actions
