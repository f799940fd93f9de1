from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem
from core.access import CB_STAFF, CLIENT_USER

ITEMS = [
    NavItem(_("Clients"), "clients:list", CB_STAFF, _("Client organisations, sites, scopes, documents."), order=20),
    NavItem(
        _("My organisation"),
        "clients:mine",
        CLIENT_USER,
        _("Your organisation as the certification body records it."),
        order=20,
    ),
]

# The client portal (clients/portal_views.py).
ITEMS.append(
    NavItem(
        _("Client portal"),
        "clients:portal_home",
        CLIENT_USER,
        _("Your organisation's audits, nonconformities to answer and issued reports."),
        order=10,
    )
)
