from django.utils.translation import gettext_lazy as _

from core.access import AUTHENTICATED, CB_ADMIN

from .navigation import NavItem

ITEMS = [
    NavItem(_("Change password"), "password_change", AUTHENTICATED, _("Change your own password."), order=900),
    NavItem(
        _("System administration"), "admin:index", CB_ADMIN, _("Users, reference data and report templates."), order=950
    ),
]
