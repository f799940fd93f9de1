from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem

ITEMS = [
    NavItem(_("Change password"), "password_change", description=_("Change your own password."), order=900),
    NavItem(
        _("System administration"),
        "admin:index",
        description=_("Users, reference data and report templates."),
        order=950,
    ),
]
