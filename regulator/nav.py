"""The regulator reporting's menu entry and the home page's reminder of the monthly deadline."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import CB_ADMIN
from core.dates import day_text
from core.navigation import GROUP_CERTIFICATION, Action, NavItem

from . import selectors

ITEMS = [
    NavItem(
        gettext_lazy("Regulator reporting (CNCA)"),
        "regulator:dashboard",
        description=gettext_lazy("The CNCA data sheets: plans, certificates, results; validation and submissions."),
        order=58,
        group=GROUP_CERTIFICATION,
    ),
]


def next_actions(user, shown=frozenset()):  # no kind of these is shown by a start page section
    if not (user.is_authenticated and user.is_active and CB_ADMIN.allows(user)):
        return []
    board = selectors.dashboard(with_changes=False)
    actions = []
    if board.submitted is None:
        actions.append(
            Action(
                label=_("Report %(month)s to CNCA") % {"month": board.month.strftime("%Y-%m")},
                url=reverse("regulator:dashboard"),
                detail=_("Due by %(date)s.") % {"date": day_text(board.deadline)},
                meta={"kind": "cnca_month", "month": board.month.isoformat()},
            )
        )
    if board.unreported_plans:
        actions.append(
            Action(
                label=_("%(n)s audit plans not reported to CNCA") % {"n": len(board.unreported_plans)},
                url=reverse("regulator:dashboard"),
                detail=_("The check-in at the opening meeting fails without a reported plan."),
                meta={"kind": "cnca_plans"},
            )
        )
    return actions
