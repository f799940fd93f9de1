from django.utils.translation import gettext_lazy as _

from core.navigation import GROUP_CERTIFICATION, NavItem

ITEMS = [
    NavItem(
        _("The CB's figures"),
        "figures:figures",
        description=_("The CB's figures as charts, with their numbers and CSV."),
        order=600,
        group=GROUP_CERTIFICATION,
    ),
    NavItem(
        _("Weekly digest"),
        "figures:digest_preference",
        description=_("Whether you get the weekly e-mail digest, and in which language."),
        order=905,  # the user menu (USER_MENU_ORDER), beside Change password
    ),
]
