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
