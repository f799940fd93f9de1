from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem

ITEMS = [
    NavItem(_("Clients"), "clients:list", description=_("Client organisations, sites, scopes, documents."), order=20),
    NavItem(
        _("My organisation"),
        "clients:mine",
        description=_("Your organisation as the certification body records it."),
        order=20,
    ),
]

# The client portal (clients/portal_views.py).
ITEMS.append(
    NavItem(
        _("Client portal"),
        "clients:portal_home",
        description=_("Your organisation's audits, nonconformities to answer and issued reports."),
        order=10,
    )
)
