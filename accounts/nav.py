from django.utils.translation import gettext_lazy as _

from core.access import AUTHENTICATED, CB_ADMIN, CB_STAFF

from .navigation import GROUP_REFERENCE, NavItem

ITEMS = [
    NavItem(
        _("Auditors"),
        "accounts:auditor_list",
        CB_STAFF,
        _("Auditor registrations, qualifications, competence codes and conflicts of interest."),
        order=600,
        group=GROUP_REFERENCE,
    ),
    NavItem(_("Change password"), "password_change", AUTHENTICATED, _("Change your own password."), order=900),
    NavItem(
        _("System administration"), "admin:index", CB_ADMIN, _("Users, reference data and report templates."), order=950
    ),
]
