from django.utils.translation import gettext_lazy as _

from core.navigation import GROUP_REFERENCE, NavItem

ITEMS = [
    NavItem(
        _("Standards catalogue"),
        "standards:standard_list",
        description=_("Standards, their clause trees and the technical-area codes."),
        order=700,
        group=GROUP_REFERENCE,
    ),
]
