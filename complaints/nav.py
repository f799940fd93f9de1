"""The complaints app's menu entries and home-page actions.

* CB administrator: complaints to acknowledge, open items past their deadline;
* investigator / reviewer: the complaints and appeals assigned to them, awaiting their decision;
* client user: the portal page of complaints and appeals.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import CB_ADMIN, CB_STAFF
from core.navigation import GROUP_CERTIFICATION, Action, NavItem

from .models import Appeal, AppealStatus, Complaint, ComplaintStatus

ITEMS = [
    NavItem(
        gettext_lazy("Complaints"),
        "complaints:complaint_register",
        description=gettext_lazy("Complaint register (ISO/IEC 17021-1 9.8): handling, deadlines, export."),
        order=60,
        group=GROUP_CERTIFICATION,
    ),
    NavItem(
        gettext_lazy("Appeals"),
        "complaints:appeal_register",
        description=gettext_lazy("Appeal register (ISO/IEC 17021-1 9.7): review by uninvolved people, outcome."),
        order=61,
        group=GROUP_CERTIFICATION,
    ),
    NavItem(
        gettext_lazy("Complaints and appeals: figures"),
        "complaints:figures",
        description=gettext_lazy("Counts by type and outcome, time to close, open items past deadline."),
        order=62,
        group=GROUP_CERTIFICATION,
    ),
    NavItem(
        gettext_lazy("Impartiality"),
        "complaints:impartiality",
        description=gettext_lazy("Risk register, impartiality committee and meetings, declarations due (5.2)."),
        order=63,
        group=GROUP_CERTIFICATION,
    ),
    NavItem(
        gettext_lazy("My impartiality declaration"),
        "complaints:declaration",
        description=gettext_lazy("Sign your yearly impartiality and confidentiality declaration."),
        order=905,  # the user menu: a personal item, like the password
    ),
    NavItem(
        gettext_lazy("Complaints and appeals"),
        "complaints:portal_index",
        description=gettext_lazy("Make a complaint, appeal a certification decision, follow their outcome."),
        order=20,
    ),
]


HOME_LIMIT = 5  # the first few on the home page; the register has them all


def next_actions(user, shown=frozenset()):  # no kind of these is shown by a start page section
    actions = []
    if CB_ADMIN.allows(user):
        waiting = Complaint.objects.restrict(user, "manage").filter(status=ComplaintStatus.RECEIVED).count()
        if waiting:
            actions.append(
                Action(
                    label=_("%(count)s complaints to acknowledge") % {"count": waiting},
                    url=reverse("complaints:complaint_register") + "?status=received",
                    meta={"kind": "complaint_acknowledge", "count": waiting},
                )
            )
    if CB_STAFF.allows(user):
        for complaint in (
            Complaint.objects.restrict(user, "handle")
            .filter(status=ComplaintStatus.INVESTIGATION)
            .order_by("pk")[:HOME_LIMIT]
        ):
            actions.append(
                Action(
                    label=_("Investigate complaint %(reference)s") % {"reference": complaint.reference},
                    url=reverse("complaints:complaint_detail", args=[complaint.pk]),
                    meta={"kind": "complaint_decide", "complaint": complaint.pk},
                )
            )
        for appeal in (
            Appeal.objects.restrict(user, "handle").filter(status=AppealStatus.REVIEW).order_by("pk")[:HOME_LIMIT]
        ):
            actions.append(
                Action(
                    label=_("Review appeal %(reference)s") % {"reference": appeal.reference},
                    url=reverse("complaints:appeal_detail", args=[appeal.pk]),
                    meta={"kind": "appeal_decide", "appeal": appeal.pk},
                )
            )
    return actions
