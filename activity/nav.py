from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem

ITEMS = [
    NavItem(
        _("Activity log"),
        "activity:log",
        description=_("Who did what to which record when: logins, status changes, decisions, issues, downloads."),
        order=940,  # the user menu, beside System administration (USER_MENU_ORDER)
    ),
]
