from django.utils.translation import gettext_lazy as _

from accounts.navigation import GROUP_REFERENCE, NavItem
from core.access import CB_STAFF

ITEMS = [
    NavItem(
        _("Auditors"),
        "people:auditor_list",
        CB_STAFF,
        _("Auditor registrations, qualifications, competence codes and conflicts of interest."),
        order=600,
        group=GROUP_REFERENCE,
    ),
]
