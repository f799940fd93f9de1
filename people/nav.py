from django.utils.translation import gettext_lazy as _

from core.navigation import GROUP_REFERENCE, NavItem

ITEMS = [
    NavItem(
        _("Auditors"),
        "people:auditor_list",
        description=_("Auditor registrations, qualifications, competence codes and conflicts of interest."),
        order=600,
        group=GROUP_REFERENCE,
    ),
]
