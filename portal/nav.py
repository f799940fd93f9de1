from django.utils.translation import gettext_lazy as _

from core.navigation import GROUP_CERTIFICATION, NavItem

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
        # Beside "My applications" in one drop-down, so a client's top bar stays within six entries.
        group=GROUP_CERTIFICATION,
    ),
]
