"""Menu entries and home-page actions of applications.

* CB staff: the applications list (17021-1 9.1); administrators: applications submitted and
  waiting for their review to start, agreements to sign;
* client users: the portal page of their applications (apply for another standard).
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import CB_ADMIN, CLIENT_USER
from core.navigation import GROUP_CERTIFICATION, Action, NavItem

from .models import Application, ApplicationStatus, Contract, ContractStatus, Quotation, QuotationStatus

ITEMS = [
    NavItem(
        gettext_lazy("Applications"),
        "applications:list",
        description=gettext_lazy("Applications, application review, quotations and agreements (ISO/IEC 17021-1 9.1)."),
        order=55,
        group=GROUP_CERTIFICATION,
    ),
    NavItem(
        gettext_lazy("Reported changes"),
        "applications:change_list",
        description=gettext_lazy("Changes of name, address or scope reported by certified clients (17021-1 8.5.3)."),
        order=56,
        group=GROUP_CERTIFICATION,
    ),
    NavItem(
        gettext_lazy("Invoices"),
        "applications:invoice_list",
        description=gettext_lazy("Invoices per milestone of the certification agreements and their payment state."),
        order=57,
        group=GROUP_CERTIFICATION,
    ),
    NavItem(
        gettext_lazy("My invoices"),
        "applications:portal_invoices",
        description=gettext_lazy("The invoices of your certification agreement and what is due."),
        order=15,
        group=GROUP_CERTIFICATION,
    ),
    NavItem(
        gettext_lazy("My applications"),
        "applications:portal_index",
        description=gettext_lazy("Apply for certification, follow the review, answer quotations and agreements."),
        order=14,
        group=GROUP_CERTIFICATION,
    ),
]


def next_actions(user, shown=frozenset()):  # no kind of these is shown by a start page section
    actions = []
    if CB_ADMIN.allows(user):
        waiting = Application.objects.restrict(user, "manage").filter(status=ApplicationStatus.SUBMITTED).count()
        if waiting:
            actions.append(
                Action(
                    label=_("%(count)s applications to review") % {"count": waiting},
                    url=reverse("applications:list") + "?status=submitted",
                    meta={"kind": "application_review", "count": waiting},
                )
            )
    if CLIENT_USER.allows(user):
        for quotation in Quotation.objects.restrict(user, "respond").filter(status=QuotationStatus.ISSUED):
            actions.append(
                Action(
                    label=_("Answer quotation %(number)s") % {"number": quotation.number},
                    url=reverse("applications:detail", args=[quotation.application_id]),
                    meta={"kind": "quotation_answer", "quotation": quotation.pk},
                )
            )
        for contract in Contract.objects.restrict(user, "respond").filter(status=ContractStatus.ISSUED):
            actions.append(
                Action(
                    label=_("Accept agreement %(number)s") % {"number": contract.number},
                    url=reverse("applications:detail", args=[contract.application_id]),
                    meta={"kind": "contract_accept", "contract": contract.pk},
                )
            )
    return actions
