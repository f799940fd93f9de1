from django.utils.translation import gettext_lazy as _

from accounts.navigation import GROUP_REFERENCE, NavItem
from core.access import CB_STAFF

ITEMS = [
    NavItem(
        _("Standards catalogue"),
        "standards:standard_list",
        CB_STAFF,
        _("Standards, their clause trees and the technical-area codes."),
        order=700,
        group=GROUP_REFERENCE,
    ),
]
