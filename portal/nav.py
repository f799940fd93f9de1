from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem

ITEMS = [
    NavItem(
        _("Client portal"),
        "clients:portal_home",
        description=_("Your organisation's audits, nonconformities to answer and issued reports."),
        order=10,
    ),
    NavItem(
        _("My certificates"),
        "certification:portal_certificates",
        description=_("Your organisation's certificates, their status and the issued PDFs."),
        order=15,
    ),
]
