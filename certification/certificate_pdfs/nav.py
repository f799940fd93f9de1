"""Menu entry of the certificate PDFs for client users: "My certificates" (client portal).

Added to the app's ``nav.py`` (``ITEMS += certificate_pdfs.nav.ITEMS``); navigation reads only
``<app>.nav``. The rule is the view's own (``certificate_pdfs.views.portal_certificates``)."""

from django.utils.translation import gettext_lazy as _

from core.access import CLIENT_USER
from core.navigation import NavItem

ITEMS = [
    NavItem(
        _("My certificates"),
        "certification:portal_certificates",
        CLIENT_USER,
        _("Your organisation's certificates, their status and the issued PDFs."),
        order=15,
    ),
]
